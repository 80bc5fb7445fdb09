# SPDX-License-Identifier: Apache-2.0
"""A second quota pool for history reads (issue 15): groups with few
streams active in the window are read stream by stream with GetLogEvents
(listed first with DescribeLogStreams) while FilterLogEvents reads the
others. On moto, the output is byte for byte the FilterLogEvents-only
read's, in text and JSON, events at the window's edges included (moto's
GetLogEvents treats endTime as inclusive, AWS as exclusive)."""

import json
import time

from harness import ApilogsTestCase, now_ms


def iso(ms):
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(ms // 1000)) + \
        ".%03dZ" % (ms % 1000)


class TestStreamReads(ApilogsTestCase):
    def setUp(self):
        super().setUp()
        self.start = (now_ms() // 1000 - 3000) * 1000
        self.end = self.start + 2000 * 1000
        self.groups = []
        # Groups of 1, 2 and 3 streams, and one of 12; distinct times
        # within a group, equal ones across groups.
        for k, nstreams in enumerate((1, 2, 3, 12, 1, 2)):
            g = "/pools/g%d" % k
            self.groups.append(g)
            per = {}
            for i in range(240):
                per.setdefault("s%02d" % (i % nstreams), []).append(
                    (self.start + 5000 + i * 7000 + k % 2, "%s #%d" % (g, i)))
            per["s00"] += [(self.start - 1, "before"), (self.start, "first"),
                           (self.end, "last"), (self.end + 1, "after")]
            for s, evs in per.items():
                self.put_events(g, s, evs)

    def read(self, *extra):
        args = ["get"]
        for g in self.groups:
            args += ["-g", g]
        args += ["-s", iso(self.start), "-e", iso(self.end),
                 "--page-size", "50", "--no-progress"] + list(extra)
        r = self.run_apilogs(*args, timeout=120)
        self.assertEqual(r.rc, 0, r)
        return r

    def test_same_output_as_filter_only(self):
        ref = self.read("--stream-reads", "0", "-v")
        self.assertNotIn(b"GetLogEvents", ref.err)
        got = self.read("-v")
        self.assertIn(b"with GetLogEvents", got.err)
        self.assertEqual(got.out, ref.out)
        lines = got.out.decode().splitlines()
        self.assertEqual(len(lines), 6 * 242)
        self.assertEqual(sum("last" in ln for ln in lines), 6)
        self.assertFalse(any(ln.endswith(("before", "after"))
                             for ln in lines))

        ref = self.read("--stream-reads", "0", "--timestamp",
                        "--ingestion-time")
        got = self.read("--timestamp", "--ingestion-time", "-vv")
        self.assertEqual(got.out, ref.out)
        # The 12-stream group stays on FilterLogEvents.
        self.assertIn(b"'/pools/g0': 1 streams in the window", got.err)
        self.assertNotIn(b"'/pools/g3'", got.err)

    def test_filter_pattern_and_event_id_stay_on_filter(self):
        r = self.read("-f", "g1", "-v")
        self.assertNotIn(b"GetLogEvents", r.err)
        self.assertEqual(len(r.out.splitlines()), 240)
        # What prints an eventId (GetLogEvents has none).
        for opt in ("--event-id", "-ojson"):
            r = self.read(opt, "-v")
            self.assertNotIn(b"GetLogEvents", r.err)
            self.assertEqual(len(r.out.splitlines()), 6 * 242)

    def test_bad_values(self):
        for opt, val in (("--stream-reads", "-1"), ("--stream-reads", "x"),
                         ("--max-get-rps", "0"), ("--max-describe-rps", "")):
            r = self.run_apilogs("get", "-g", "/pools/g0", opt, val)
            self.assertEqual(r.rc, 2, r)
            self.assertEqual(len(r.err.splitlines()), 1, r)
            self.assertIn(opt.encode(), r.err)


class TestStreamReadsCost(ApilogsTestCase):
    """Which groups GetLogEvents reads is a cost test (issue 15): a group
    of 10 big streams (more than the old fixed 8) moves with the default
    --stream-reads; one of 40 small streams stays on FilterLogEvents (its
    40 requests cost more than its few pages); both print the
    FilterLogEvents-only bytes."""

    def setUp(self):
        super().setUp()
        self.start = (now_ms() // 1000 - 3000) * 1000
        self.end = self.start + 2000 * 1000
        for g, nstreams, n in (("/cost/big", 10, 1500),
                               ("/cost/small", 40, 200)):
            per = {}
            for i in range(n):
                per.setdefault("s%02d" % (i % nstreams), []).append(
                    (self.start + 1000 + i * (1990000 // n), "%s #%d" % (g, i)))
            for s, evs in per.items():
                self.put_events(g, s, evs)

    def read(self, group, *extra):
        r = self.run_apilogs("get", "-g", group, "-s", iso(self.start),
                             "-e", iso(self.end), "--page-size", "50",
                             "--no-progress", *extra, timeout=120)
        self.assertEqual(r.rc, 0, r)
        return r

    def test_big_streams_move_small_ones_stay(self):
        ref = self.read("/cost/big", "--stream-reads", "0")
        got = self.read("/cost/big", "-v")
        self.assertIn(b"'/cost/big': 10 streams in the window", got.err)
        self.assertEqual(got.out, ref.out)
        self.assertEqual(len(got.out.splitlines()), 1500)
        # The user's bound still rules.
        got = self.read("/cost/big", "-v", "--stream-reads", "9")
        self.assertNotIn(b"GetLogEvents", got.err)
        self.assertEqual(got.out, ref.out)

        # 40 streams: under a bound of 50, the cost keeps it off.
        ref = self.read("/cost/small", "--stream-reads", "0")
        got = self.read("/cost/small", "-v", "--stream-reads", "50")
        self.assertNotIn(b"with GetLogEvents", got.err)
        self.assertEqual(got.out, ref.out)
        self.assertEqual(len(got.out.splitlines()), 200)

    def test_help_says_the_default(self):
        r = self.run_apilogs("get", "--help")
        self.assertIn(b"(default 25; 0: off)", r.out)

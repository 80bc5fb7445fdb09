# SPDX-License-Identifier: Apache-2.0
"""`get --engine auto` over a big window reads through the three quota
pools at once (issue 15): Logs Insights reads a share of the groups,
FilterLogEvents and GetLogEvents the others, in one time-ordered merge.
On bench/fakecwl.py (whose Insights and GetLogEvents boto3 reads in
test_insights.py and test_getevents.py), the output is the bytes of
--engine filter: every event once and in order, equal timestamps across
groups of different pools included; Insights refused before any output
gives way to FilterLogEvents for its groups."""

import re
import signal
import time

from faultproxy import FaultProxy, Rule
from harness import FakeCwlTestCase, now_ms, wait_for

# The group of 12 streams is one GetLogEvents cannot read under
# --stream-reads 8 (the default, 25, would allow it): Logs Insights takes
# it first.
GROUPS = (("/aws/lambda/many", 12), ("/aws/lambda/one", 1),
          ("/aws/lambda/two", 2), ("/aws/lambda/three", 3))
N = 400


class ThreePools(FakeCwlTestCase):

    FAKECWL_ARGS = ("--page-bytes", "20000")

    def setUp(self):
        super().setUp()
        base = (now_ms() - 3600000) // 60000 * 60000
        for gi, (g, ns) in enumerate(GROUPS):
            for si in range(ns):
                # Every group has events at the same milliseconds as the
                # others (ties across pools); distinct within a group.
                self.fake.put_events(g, "s%02d" % si, [
                    (base + i * 250 + gi % 2, "%s #%d %s" % (
                        g, i, "x" * (i % 50)))
                    for i in range(N) if i % ns == si], ingest_delay=0)
        self.args = ["-G", "--start", "2h", "--timestamp"]
        wait_for(lambda: len(self.get(engine="filter").stdout.splitlines())
                 >= N * len(GROUPS), what="the events to be ingested")

    def get(self, *args, engine="auto"):
        g = []
        for name, _ in GROUPS:
            g += ["-g", name]
        return self.run_apilogs("get", *g, "--engine", engine,
                                *self.args, *args)

    def test_same_bytes_as_filter(self):
        f = self.get(engine="filter")
        self.assertEqual(f.rc, 0, f)
        self.assertEqual(len(f.stdout.splitlines()), N * len(GROUPS))
        self.fake.reset(everything=False)
        r = self.get("--insights-threshold", "0", "-v", "--stream-reads", "8")
        self.assertEqual(r.rc, 0, r)
        self.assertEqual(r.stdout, f.stdout)
        m = re.search(r"reading (\d+) of 4 groups through Logs Insights "
                      r"\((\d+) may be read with GetLogEvents\)", r.stderr)
        self.assertIsNotNone(m, r.stderr)
        self.assertEqual(m.group(2), "3")
        k = int(m.group(1))
        self.assertTrue(1 <= k <= 3, r.stderr)
        m = re.search(r"pools: (\d+) events of (\d+) groups through Logs "
                      r"Insights, (\d+) with GetLogEvents \((\d+) groups\), "
                      r"(\d+) with FilterLogEvents", r.stderr)
        self.assertIsNotNone(m, r.stderr)
        self.assertEqual(int(m.group(1)), N * k)
        self.assertEqual(sum(int(m.group(i)) for i in (1, 3, 5)),
                         N * len(GROUPS))
        st = self.fake.stats()
        counts = st.get("counts", st)
        self.assertGreater(counts.get("StartQuery", 0), 0, st)
        self.assertGreater(counts.get("FilterLogEvents", 0), 0, st)

    def test_split_at_once_reads_every_group_once(self):
        # When the split needs no listing of streams (no GetLogEvents:
        # -o json, --event-id, --stream-reads 0, a filter pattern), it
        # starts the other pools' feeds itself: they were once started a
        # second time for every group, so every event came out twice or
        # more.
        f = self.get(engine="filter")
        self.assertEqual(f.rc, 0, f)
        fj = self.get("-o", "json", engine="filter")
        self.fake.reset(everything=False)
        for extra in (["--stream-reads", "0"], ["-o", "json"],
                      ["--event-id"], ["--filter-pattern", "lambda"]):
            with self.subTest(extra=extra):
                r = self.get("--insights-threshold", "0", "-v", *extra)
                self.assertEqual(r.rc, 0, r)
                self.assertIn("through Logs Insights beside", r.stderr)
                if extra == ["-o", "json"]:
                    # eventId is the row's @ptr through Logs Insights.
                    strip = re.compile(r'"eventId": ?"[^"]*", ?')
                    self.assertEqual(strip.sub("", r.stdout),
                                     strip.sub("", fj.stdout))
                elif extra == ["--event-id"]:
                    self.assertEqual(len(r.stdout.splitlines()),
                                     N * len(GROUPS))
                else:
                    self.assertEqual(r.stdout, f.stdout)

    def test_group_by_name_and_by_arn(self):
        # One group named twice, by name and by ARN, is one group: one
        # pool reads it, and it prints what --engine filter prints.
        name = GROUPS[3][0]
        g = ["-g", name, "-g", self.fake.arn(name)]
        f = self.run_apilogs("get", *g, "--engine", "filter",
                             "--stream-reads", "0", *self.args)
        self.assertEqual(f.rc, 0, f)
        for extra in ([], ["--stream-reads", "0"]):
            with self.subTest(extra=extra):
                r = self.run_apilogs("get", *g, "--insights-threshold", "0",
                                     *self.args, *extra)
                self.assertEqual(r.rc, 0, r)
                self.assertEqual(r.stdout, f.stdout)

    def test_listing_or_getlogevents_denied(self):
        # Through a proxy that denies DescribeLogStreams, then
        # GetLogEvents: the same bytes; -v says once that a listing
        # failed, and the pools line counts no group for GetLogEvents
        # when it read nothing.
        f = self.get(engine="filter")
        proxy = FaultProxy(self.fake.url).start()
        self.addCleanup(proxy.stop)
        env = {"AWS_ENDPOINT_URL": proxy.url}
        g = []
        for name, _ in GROUPS:
            g += ["-g", name]
        proxy.add(Rule("error", op="DescribeLogStreams", count=None,
                       status=400, code="AccessDeniedException",
                       message="no listing"))
        r = self.run_apilogs("get", *g, "--insights-threshold", "0", "-v",
                             "--stream-reads", "8", *self.args, env=env)
        self.assertEqual(r.rc, 0, r)
        self.assertEqual(r.stdout, f.stdout)
        self.assertEqual(r.stderr.count("DescribeLogStreams on "), 1,
                         r.stderr)
        proxy.clear()
        proxy.add(Rule("error", op="GetLogEvents", count=None, status=400,
                       code="AccessDeniedException",
                       message="User is not authorized to perform: "
                       "logs:GetLogEvents"))
        r = self.run_apilogs("get", *g, "--insights-threshold", "0", "-v",
                             "--stream-reads", "8", *self.args, env=env)
        self.assertEqual(r.rc, 0, r)
        self.assertEqual(r.stdout, f.stdout)
        self.assertIn("GetLogEvents is denied", r.stderr)
        self.assertIn("0 with GetLogEvents (0 groups)", r.stderr)

    def test_refused_gives_way(self):
        f = self.get(engine="filter")
        self.fake.config(qi_mode="invalid")
        r = self.get("--insights-threshold", "0", "-v")
        self.assertEqual(r.rc, 0, r)
        self.assertEqual(r.stdout, f.stdout)
        self.assertEqual(len(re.findall("Logs Insights refused the read",
                                        r.stderr)), 1, r.stderr)
        self.assertNotIn("pools:", r.stderr)

    def test_insights_alone_and_filter_keep_their_meaning(self):
        f = self.get("-v", engine="filter")
        self.assertNotIn("Logs Insights", f.stderr)
        i = self.get("-v", engine="insights")
        self.assertEqual(i.rc, 0, i)
        self.assertEqual(i.stdout, f.stdout)
        self.assertNotIn("pools:", i.stderr)
        self.assertNotIn("GetLogEvents", i.stderr)

    def test_ctrl_c_stops_running_queries(self):
        # Queries that run for minutes beside the feeds: Ctrl-C ends the
        # read and stops every query not read to its end.
        self.fake.config(qi_scan_rate=100)
        g = []
        for name, _ in GROUPS:
            g += ["-g", name]
        p = self.spawn_apilogs("get", *g, "--insights-threshold", "0",
                               "--start", "2h")
        try:
            wait_for(lambda: self.fake.stats()["insights"]["started"] >= 1,
                     what="the queries to start")
            time.sleep(0.3)
            p.send_signal(signal.SIGINT)
            p.wait(timeout=20)
        finally:
            if p.poll() is None:
                p.kill()
                p.wait()
            p.stdout.close()
            p.stderr.close()
        st = self.fake.stats()["insights"]
        self.assertEqual(st["active"], 0, st)
        self.assertGreater(st["stopped"], 0, st)
        self.assertGreaterEqual(len(st["stop_ids"]) + st["completed"],
                                st["started"], st)

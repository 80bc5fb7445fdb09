# SPDX-License-Identifier: Apache-2.0
"""groups, streams and get against moto (issue 4)."""

import json
import os
import signal
import subprocess
import time

from faultcase import FaultCase
from faultproxy import Rule
from harness import ApilogsTestCase, now_ms


def awslogs_line(group, stream, message, width=10, ts=None, ingest=None):
    """A line exactly as awslogs 0.15 prints it with --color never."""
    cols = [group, stream.ljust(width)]
    if ts is not None:
        cols.append(iso(ts))
    if ingest is not None:
        cols.append(iso(ingest))
    cols.append(message.rstrip())
    return " ".join(cols)


def iso(ms):
    t = time.gmtime(ms // 1000)
    return time.strftime("%Y-%m-%dT%H:%M:%S", t) + ".%03dZ" % (ms % 1000)


class TestGroups(ApilogsTestCase):
    def test_groups_all_pages(self):
        names = ["/g/%03d" % i for i in range(120)]  # > 2 pages of 50
        for n in names:
            self.logs.create_log_group(logGroupName=n)
        r = self.run_apilogs("groups")
        self.assertEqual(r.rc, 0, r)
        self.assertEqual(r.stdout.splitlines(), sorted(names))
        self.assertEqual(r.stderr, "")

    def test_groups_prefix(self):
        for n in ["/aws/lambda/a", "/aws/lambda/b", "/app/x"]:
            self.logs.create_log_group(logGroupName=n)
        r = self.run_apilogs("groups", "-p", "/aws/lambda/")
        self.assertEqual(r.stdout, "/aws/lambda/a\n/aws/lambda/b\n")
        r = self.run_apilogs("groups", "--log-group-prefix=/app")
        self.assertEqual(r.stdout, "/app/x\n")

    def test_common_options_before_command(self):
        self.logs.create_log_group(logGroupName="/x")
        r = self.run_apilogs("--region", "us-east-1", "groups",
                             unset=["AWS_REGION"])
        self.assertEqual((r.rc, r.stdout), (0, "/x\n"), r)


class TestStreams(ApilogsTestCase):
    def test_streams_window_and_pages(self):
        t = now_ms()
        self.logs.create_log_group(logGroupName="/g")
        for i in range(60):  # > 1 page of 50
            self.put_events("/g", "s%02d" % i, [(t - 1000, "x")])
        self.put_events("/g", "old", [(t - 3 * 3600 * 1000, "x")])
        self.logs.create_log_stream(logGroupName="/g", logStreamName="empty")
        r = self.run_apilogs("streams", "/g")
        self.assertEqual(r.rc, 0, r)
        # "old" was ingested now, so awslogs' lastIngestionTime rule keeps
        # it; empty streams are always listed.
        got = r.stdout.splitlines()
        self.assertEqual(len(got), 62, r)
        self.assertIn("empty", got)
        self.assertIn("s59", got)

    def test_streams_unknown_group(self):
        r = self.run_apilogs("streams", "/nope")
        self.assertEqual(r.rc, 5, r)
        self.assertEqual(r.stdout, "")
        self.assertEqual(r.stderr,
                         "apilogs: log group '/nope' does not exist\n")


class TestGet(ApilogsTestCase):
    def seed(self, group, streams, n, t0, step=7):
        evs = {}
        for i in range(n):
            s = streams[i % len(streams)]
            evs.setdefault(s, []).append((t0 + i * step, "%s line %d  " % (
                group, i)))
        for s, e in evs.items():
            self.put_events(group, s, e)
        return sorted(((t, group, s, m) for s, e in evs.items()
                       for t, m in e), key=lambda x: x[0])

    def test_one_group_awslogs_format(self):
        t0 = now_ms() - 60000
        evs = self.seed("/aws/lambda/orders", ["2024/04/02/[$LATEST]abc",
                                               "s2"], 30, t0)
        r = self.run_apilogs("get", "/aws/lambda/orders", "--color",
                             "never", "-s", "2m")
        self.assertEqual(r.rc, 0, r)
        want = "".join(awslogs_line(g, s, m) + "\n" for _, g, s, m in evs)
        self.assertEqual(r.stdout, want)
        self.assertEqual(r.stderr, "")

    def test_columns(self):
        t0 = now_ms() - 60000
        self.put_events("/g", "DDD", [(t0, "Hello 1"), (t0 + 5006,
                                                        "Hello 2 👎")])
        base = ["get", "/g", "--color=never", "-s", "2m"]
        r = self.run_apilogs(*base, "-GS")
        self.assertEqual(r.stdout, "Hello 1\nHello 2 👎\n")
        r = self.run_apilogs(*base, "--no-group")
        self.assertEqual(r.stdout, "DDD        Hello 1\nDDD        Hello 2 👎\n")
        r = self.run_apilogs(*base, "-S", "--timestamp")
        self.assertEqual(r.stdout.splitlines()[0],
                         "/g %s Hello 1" % iso(t0))
        # The stream pattern sets the padding to the longest match.
        r = self.run_apilogs("get", "/g", "DDD", "--color=never", "-s", "2m")
        self.assertEqual(r.stdout, "/g DDD Hello 1\n/g DDD Hello 2 👎\n")

    def test_color_always(self):
        t0 = now_ms() - 60000
        self.put_events("/g", "DDD", [(t0, "Hello ERROR x")])
        r = self.run_apilogs("get", "/g", "DDD", "--color", "always", "-s",
                             "2m", "-H", "x")
        line = r.stdout
        self.assertIn("\x1b[36mDDD\x1b[0m ", line)
        self.assertTrue(line.startswith("\x1b["), line)
        self.assertIn("\x1b[31mHello ERROR \x1b[43m\x1b[34mx\x1b[0m", line)
        # auto: not a TTY, so no colour; FORCE_COLOR forces it.
        r = self.run_apilogs("get", "/g", "-s", "2m")
        self.assertNotIn("\x1b", r.stdout)
        r = self.run_apilogs("get", "/g", "-s", "2m",
                             env={"FORCE_COLOR": "1"})
        self.assertIn("\x1b[", r.stdout)
        r = self.run_apilogs("get", "/g", "-s", "2m", "--color",
                             env={"NO_COLOR": "1"})
        self.assertIn("\x1b[", r.stdout)  # bare --color = always

    def test_four_groups_time_order(self):
        t0 = now_ms() - 100000
        allev = []
        for k in range(4):
            g = "/grp/%d" % k
            # Interleaved timestamps, several streams, equal timestamps too.
            evs = [(t0 + (i * 4 + k) * 10 - (i % 3 == 0) * k * 10,
                    "%s %d" % (g, i)) for i in range(200)]
            for j in range(3):
                self.put_events(g, "st%d" % j, evs[j::3])
            allev += [(t, g, m) for t, m in evs]
        r = self.run_apilogs("get", "-g", "/grp/0", "-g", "/grp/1", "-g",
                             "/grp/2", "-g", "/grp/3", "-s", "5m", "-o",
                             "json")
        self.assertEqual(r.rc, 0, r)
        got = [json.loads(line) for line in r.stdout.splitlines()]
        self.assertEqual(len(got), 800)
        keys = [(e["timestamp"], e["ingestionTime"]) for e in got]
        self.assertEqual(keys, sorted(keys))
        self.assertEqual(sorted((e["timestamp"], e["logGroupName"],
                                 e["message"]) for e in got),
                         sorted(allev))

    def test_group_prefix_and_padding(self):
        t0 = now_ms() - 10000
        self.put_events("/aws/lambda/a", "s", [(t0, "a")])
        self.put_events("/aws/lambda/bbbb", "s", [(t0 + 1, "b")])
        self.put_events("/other", "s", [(t0 + 2, "c")])
        r = self.run_apilogs("get", "-g", "/aws/lambda/*", "-s", "1m")
        self.assertEqual(r.stdout,
                         "/aws/lambda/a    s          a\n"
                         "/aws/lambda/bbbb s          b\n")
        r = self.run_apilogs("get", "-g", "/nomatch*")
        self.assertEqual((r.rc, r.stderr),
                         (5, "apilogs: no log group matches '/nomatch*'\n"))

    def test_stream_patterns(self):
        t0 = now_ms() - 10000
        for s in ["AAA", "ABA", "ACA", "ADA", "BAA"]:
            self.put_events("/g", s, [(t0, "from " + s)])
            t0 += 1
        def streams(*args):
            r = self.run_apilogs("get", "/g", *args, "-s", "1m", "-o",
                                 "json")
            self.assertEqual(r.rc, 0, r)
            return [json.loads(x)["logStreamName"]
                    for x in r.stdout.splitlines()]
        self.assertEqual(streams("ALL"), ["AAA", "ABA", "ACA", "ADA", "BAA"])
        self.assertEqual(streams("A"), ["AAA", "ABA", "ACA", "ADA"])
        self.assertEqual(streams("A[AC]A"), ["AAA", "ACA"])
        self.assertEqual(streams("AB"), ["ABA"])
        self.assertEqual(streams("ABA$"), ["ABA"])
        r = self.run_apilogs("get", "/g", "foo.*")
        self.assertEqual(r.rc, 7)
        self.assertEqual(r.stderr, "apilogs: No streams match your pattern "
                         "'foo.*' for the given time period.\n")
        self.assertEqual(r.stdout, "")
        r = self.run_apilogs("get", "/g", "Z")  # literal prefix, none
        self.assertEqual(r.rc, 7)
        r = self.run_apilogs("get", "/g", "A[")
        self.assertEqual(r.rc, 2)
        self.assertTrue(r.stderr.startswith("apilogs: bad stream pattern"))

    def test_more_than_100_streams(self):
        t0 = now_ms() - 30000
        for i in range(130):
            self.put_events("/g", "str-%03d" % i, [(t0 + i, "m%d" % i)])
        self.put_events("/g", "other", [(t0, "no")])
        r = self.run_apilogs("get", "/g", "str-[0-9]+", "-s", "1m", "-S",
                             "-G")
        self.assertEqual(r.rc, 0, r)
        self.assertEqual(r.stdout.splitlines(),
                         ["m%d" % i for i in range(130)])

    def test_filter_pattern(self):
        t0 = now_ms() - 10000
        self.put_events("/g", "s", [(t0, "ERROR one"), (t0 + 1, "INFO two"),
                                    (t0 + 2, "ERROR three")])
        r = self.run_apilogs("get", "/g", "-f", "ERROR", "-GS", "-s", "1m")
        self.assertEqual(r.stdout, "ERROR one\nERROR three\n")

    def test_time_expressions(self):
        t = now_ms()
        self.put_events("/g", "s", [(t - 150 * 60000, "old"),
                                    (t - 20 * 60000, "mid"),
                                    (t - 1000, "new")])
        def msgs(*args):
            r = self.run_apilogs("get", "/g", "-GS", *args)
            self.assertEqual(r.rc, 0, r)
            return r.stdout.split()
        self.assertEqual(msgs(), ["new"])  # default 5m
        self.assertEqual(msgs("-s", "30m"), ["mid", "new"])
        self.assertEqual(msgs("-s", "3h"), ["old", "mid", "new"])
        self.assertEqual(msgs("-s", "2 hours 40 minutes ago"),
                         ["old", "mid", "new"])
        self.assertEqual(msgs("-s", "1h30m", "-e", "10m ago"), ["mid"])
        self.assertEqual(msgs("-s", "90 seconds"), ["new"])
        self.assertEqual(msgs("-s", str((t - 25 * 60000) // 1000)),
                         ["mid", "new"])
        self.assertEqual(msgs("-s", str(t - 25 * 60000), "-e", "now"),
                         ["mid", "new"])
        self.assertEqual(msgs("-s", iso(t - 25 * 60000)), ["mid", "new"])
        self.assertEqual(msgs("-s", "today", "-e", "now"),
                         [m for m, ts in [("old", t - 150 * 60000),
                                          ("mid", t - 20 * 60000),
                                          ("new", t - 1000)]
                          if ts // 86400000 == t // 86400000])
        # awslogs' dateutil forms (issue 16), 25 minutes ago.
        t25 = time.gmtime((t - 25 * 60000) // 1000)
        for form in ["%a %b %d %H:%M:%S UTC %Y", "%a, %d %b %Y %H:%M:%S +0000",
                     "%m/%d/%Y %H:%M:%S", "%d %b %Y %H:%M:%S"]:
            self.assertEqual(msgs("-s", time.strftime(form, t25)),
                             ["mid", "new"], form)
        self.assertEqual(msgs("-s", "-25m"), ["mid", "new"])
        if (t - 25 * 60000) // 86400000 == t // 86400000:
            self.assertEqual(msgs("-s", time.strftime("%H:%M:%S", t25)),
                             ["mid", "new"])
        for trap in ["1month", "1 month ago", "2 mo", "1.5h", "???", "1y",
                     "07/06/2021 11:27 EST", "2016-08-31 10:23:25 UTC-8",
                     "2015", "31/31/2015"]:
            r = self.run_apilogs("get", "/g", "-s", trap)
            self.assertEqual(r.rc, 3, (trap, r))
            self.assertEqual(r.stderr, "apilogs: cannot read '%s' as a time "
                             "(try '1h ago', '2024-05-01T10:00Z' or an "
                             "epoch)\n" % trap)
            self.assertEqual(r.stdout, "")
        r = self.run_apilogs("get", "/g", "-s", "1h", "-e", "2h")
        self.assertEqual(r.rc, 3, r)

    def test_control_characters_escaped(self):
        t0 = now_ms() - 1000
        self.put_events("/g", "s", [(t0, "a\x1b[2Jb\x07c\rd\te\nf")])
        r = self.run_apilogs("get", "/g", "-GS", "-s", "1m")
        self.assertEqual(r.stdout, "a\\x1b[2Jb\\x07c\\x0dd\te\nf\n")
        r = self.run_apilogs("get", "/g", "-GS", "-s", "1m", "--raw")
        self.assertEqual(r.stdout, "a\x1b[2Jb\x07c\rd\te\nf\n")
        r = self.run_apilogs("get", "/g", "-s", "1m", "-o", "json")
        self.assertEqual(json.loads(r.stdout)["message"],
                         "a\x1b[2Jb\x07c\rd\te\nf")


class TestQuery(ApilogsTestCase):
    def test_query(self):
        t0 = now_ms() - 10000
        msgs = ['{"foo": "bar"}', '{"foo": {"bar": "baz", "u": "\u00e9"}}',
                'Hello 3 \U0001F44E', '  [1, 2, 3]', '{"foo": null}',
                '{bad json', '2026-11-25T10:00:00.030Z\tabc\tINFO\t'
                '{"foo":"from node"}', '[INFO]\t2026-11-25T10:00:00.030Z\t'
                'abc\t{"foo": 7}']
        self.put_events("/q", "s", [(t0 + i, m) for i, m in
                                    enumerate(msgs)])
        r = self.run_apilogs("get", "/q", "-GS", "-s", "1m", "-q", "foo")
        self.assertEqual(r.rc, 0, r)
        self.assertEqual(r.stdout.splitlines(), [
            "bar", '{"bar": "baz", "u": "\\u00e9"}', "Hello 3 \U0001F44E",
            "{bad json", "from node", "7"])
        r = self.run_apilogs("get", "/q", "-GS", "-s", "1m", "-q", "foo",
                             "--query-keep-null")
        self.assertEqual(len(r.stdout.splitlines()), 8)
        # An evaluation error passes the message through, with -v a notice.
        r = self.run_apilogs("get", "/q", "-GS", "-s", "1m", "-q", "max(@)",
                             "-v")
        self.assertEqual(r.rc, 0, r)
        self.assertIn("  [1, 2, 3]".strip() and "3", r.stdout.splitlines())
        self.assertIn('{"foo": "bar"}', r.stdout.splitlines())
        self.assertIn("invalid-type", r.stderr)

    def test_query_prints_like_json_dumps(self):
        """-q results are printed byte for byte as awslogs prints them:
        json.dumps(result), whose output Python itself gives here."""
        t0 = now_ms() - 10000
        docs = [{"a": "error", "b": ["boom", 1]},
                {"a": {"x": 0.1, "y": 1.0, "z": 1e16, "w": 1e-05,
                       "n": None, "t": True, "e": [], "o": {}}},
                {"a": ["caf\u00e9 \U0001F44E", "tab\there", 'q"\\']},
                {"a": 12345678901234}, {"a": None}, {"b": 1}]
        self.put_events("/qd", "s", [(t0 + i, json.dumps(d)) for i, d in
                                     enumerate(docs)])
        r = self.run_apilogs("get", "/qd", "-GS", "-s", "1m", "-q", "a")
        self.assertEqual(r.rc, 0, r)
        want = [d["a"] if isinstance(d["a"], str) else json.dumps(d["a"])
                for d in docs if d.get("a") is not None]
        self.assertEqual(r.stdout.splitlines(), want)
        # awslogs prints null results as "null"; apilogs skips them unless
        # --query-keep-null.
        r = self.run_apilogs("get", "/qd", "-GS", "-s", "1m", "-q", "a",
                             "--query-keep-null")
        self.assertEqual(r.stdout.splitlines(),
                         want + ["null", "null"])

    def test_bad_query_before_any_request(self):
        r = self.run_apilogs("get", "/nope", "-q", "foo[",
                             env={"AWS_ENDPOINT_URL": "http://127.0.0.1:9"})
        self.assertEqual(r.rc, 2, r)
        self.assertEqual(len(r.stderr.splitlines()), 1)
        self.assertIn("position 4", r.stderr)
        self.assertLess(r.elapsed, 5)


class TestGetExitCodes(ApilogsTestCase):
    def test_unknown_group(self):
        r = self.run_apilogs("get", "/nope")
        self.assertEqual((r.rc, r.stdout), (5, ""))
        self.assertEqual(r.stderr, "apilogs: log group '/nope' does not "
                         "exist\n")

    def test_usage(self):
        for args in [["get"], ["get", "--bogus", "/g"], ["frobnicate"],
                     ["get", "/g", "-i", "0.01"], ["get", "/g", "-o", "xml"],
                     ["groups", "extra"], ["get", "/g", "--start"],
                     ["get", "/g", "--max-rps", "zero"]]:
            r = self.run_apilogs(*args)
            self.assertEqual(r.rc, 2, (args, r))
            self.assertEqual(r.stdout, "")
            self.assertEqual(len(r.stderr.splitlines()), 1, (args, r))
            self.assertTrue(r.stderr.startswith("apilogs: "), r)

    def test_hint(self):
        r = self.run_apilogs("get", "/g", "--wacth")
        self.assertIn("did you mean '--watch'", r.stderr)

    def test_no_region_no_credentials(self):
        r = self.run_apilogs("groups", unset=["AWS_REGION"])
        self.assertEqual(r.rc, 4, r)
        self.assertEqual(r.stderr, "apilogs: no region: pass --aws-region "
                         "or set AWS_REGION\n")
        r = self.run_apilogs("groups", unset=["AWS_ACCESS_KEY_ID",
                                              "AWS_SECRET_ACCESS_KEY"])
        self.assertEqual(r.rc, 4, r)
        self.assertEqual(len(r.stderr.splitlines()), 1, r)

    def test_unreachable_endpoint(self):
        r = self.run_apilogs("groups", env={
            "AWS_ENDPOINT_URL": "http://127.0.0.1:9"}, timeout=30)
        self.assertEqual(r.rc, 1, r)
        self.assertEqual(len(r.stderr.splitlines()), 1, r)
        self.assertLess(r.elapsed, 15)

    def test_malformed_endpoint(self):
        r = self.run_apilogs("groups", "--endpoint-url", "ftp://x")
        self.assertEqual(r.rc, 2, r)

    def test_help_and_version(self):
        for args in [["--help"], ["help", "get"], ["get", "--help"],
                     ["help"]]:
            r = self.run_apilogs(*args)
            self.assertEqual(r.rc, 0, (args, r))
            self.assertIn("usage: apilogs", r.stdout)
            self.assertIn("Exit codes", r.stdout)


class TestWatch(ApilogsTestCase):
    def test_watch_new_events_streams_groups_late(self):
        t = now_ms()
        self.put_events("/w/a", "s1", [(t - 2000, "before")])
        p = self.spawn_apilogs("get", "-g", "/w/a", "-g", "/w/b", "--watch",
                               "-s", "1m", "-i", "0.2", "--hold-back", "0.5",
                               "-o", "json")
        try:
            first = self.read_lines(p, 1)
            self.assertEqual(json.loads(first[0])["message"], "before")
            t = now_ms()
            self.put_events("/w/a", "s1", [(t, "live")], create=False)
            self.put_events("/w/a", "s-new", [(t + 1, "new stream")])
            self.put_events("/w/b", "x", [(t + 2, "new group")])
            # Late: an older timestamp ingested after newer events.
            self.put_events("/w/a", "s1", [(t - 1500, "late")],
                            create=False)
            got = [json.loads(x) for x in self.read_lines(p, 4)]
            self.assertEqual(sorted(e["message"] for e in got),
                             ["late", "live", "new group", "new stream"])
            time.sleep(1.5)  # more polls: nothing may repeat
        finally:
            p.send_signal(signal.SIGINT)
            out, err = p.communicate(timeout=10)
        self.assertEqual(p.returncode, 0, err)
        self.assertEqual(out, b"")  # nothing printed twice
        self.assertIn(b"'/w/b' does not exist (yet)", err)

    def test_watch_with_end_stops(self):
        t = now_ms()
        self.put_events("/w", "s", [(t - 1000, "one")])
        r = self.run_apilogs("get", "/w", "--watch", "-s", "1m", "-e",
                             str(t + 2000), "-GS", "-i", "0.2", timeout=20)
        self.assertEqual((r.rc, r.stdout), (0, "one\n"), r)
        self.assertLess(r.elapsed, 15)

    def test_sigpipe(self):
        t = now_ms() - 50000
        self.put_events("/g", "s", [(t + i, "line %d" % i)
                                    for i in range(5000)])
        p = subprocess.Popen("'%s' get /g -s 2m | head -n 3" %
                             os.environ.get("APILOGS_BIN_ABS", self.bin()),
                             shell=True, env=self.base_env(),
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             executable="/bin/bash")
        out, err = p.communicate(timeout=30)
        self.assertEqual(len(out.splitlines()), 3)
        self.assertEqual(err, b"")

    def bin(self):
        from harness import APILOGS
        return APILOGS

    def test_sigint_exit_zero(self):
        self.put_events("/g", "s", [(now_ms() - 1000, "x")])
        # Polling: on moto, auto mode's Live Tail fallback notice may come
        # before or after the SIGINT.
        p = self.spawn_apilogs("get", "/g", "--watch", "-s", "1m", "-GS",
                               "--follow-mode", "poll")
        self.assertEqual(p.stdout.readline(), b"x\n")
        p.send_signal(signal.SIGINT)
        out, err = p.communicate(timeout=10)
        self.assertEqual((p.returncode, out, err), (0, b"", b""))


class TestSlices(FaultCase):
    page_limit = None

    def test_sliced_read_identical_to_sequential(self):
        t = now_ms() - 3000000
        evs = []
        for i in range(3000):
            ts = t + i * 900
            if 1500 <= i < 1600:
                ts = t + 1500 * 900  # 100 events in one millisecond
            evs.append((ts, "event %d" % i))
        for k in range(3):
            self.put_events("/busy", "stream-%d" % k, evs[k::3])
        # 150 ms per page: a long read is latency-bound, so it is sliced.
        self.proxy.add(Rule("slow", first=1, count=10**6, delay=0.15))
        base = ["get", "/busy", "-s", "1h", "--page-size", "100", "-o",
                "json", "--timestamp"]
        seq = self.run_apilogs(*base, "--slices", "1", "-vv")
        sliced = self.run_apilogs(*base, "--slices", "8", "-vv")
        self.assertEqual(seq.rc, 0, seq)
        self.assertEqual(sliced.rc, 0, sliced)
        self.assertNotIn("time slices", seq.stderr)
        self.assertIn("more time slices in parallel", sliced.stderr)
        self.assertEqual(len(seq.stdout.splitlines()), 3000)
        self.assertEqual(sliced.stdout, seq.stdout)
        self.assertLess(sliced.elapsed, seq.elapsed)

# SPDX-License-Identifier: Apache-2.0
"""`get --engine insights|auto|filter`: the history read through Logs
Insights gives the same output as FilterLogEvents, on moto (StartQuery with
fields, sort and limit; no filter, no statistics, epoch-ms @timestamp) and
on bench/fakecwl.py (the Insights model: Scheduled -> Running -> Complete,
the 100 000-row limit read in pages, a concurrency limit, StopQuery, AccessDenied), which
boto3 proves speaks the real wire protocol."""

import re
import signal
import time

import botocore.exceptions

from harness import (ApilogsTestCase, FakeCwlTestCase, now_ms, wait_for)

GROUPS = ("/aws/lambda/alpha", "/aws/lambda/beta")


def seed(put, base, n=300):
    """Events of two groups and two streams each, every timestamp distinct
    (the two engines order equal timestamps of one group differently)."""
    for gi, g in enumerate(GROUPS):
        for si, s in enumerate(("s1", "s2")):
            put(g, s, [(base + i * 1000 + gi * 10 + si * 3,
                        "%s %s event %d %s" % (g, s, i,
                                               "ERROR timed out" if i % 7 == 0
                                               else "INFO ok"))
                       for i in range(n)])


class InsightsOnMoto(ApilogsTestCase):

    def get(self, *args, engine="insights"):
        return self.run_apilogs("get", "-g", GROUPS[0], "-g", GROUPS[1],
                                "--engine", engine, *args)

    def same_as_filter(self, *args):
        f = self.get(*args, engine="filter")
        i = self.get(*args)
        self.assertEqual(f.rc, 0, f)
        self.assertEqual(i.rc, 0, i)
        self.assertEqual(i.stderr, "")
        self.assertEqual(i.stdout, f.stdout)
        return i

    def test_output_identical_to_filter(self):
        seed(self.put_events, now_ms() - 3600000)
        r = self.same_as_filter("--start", "2h")
        self.assertEqual(len(r.stdout.splitlines()), 1200)
        self.same_as_filter("--start", "2h", "--timestamp", "-G")

    def test_filter_pattern_translated(self):
        seed(self.put_events, now_ms() - 3600000)
        r = self.same_as_filter("--start", "2h", "-f", "ERROR")
        self.assertEqual(len(r.stdout.splitlines()), 4 * 43)
        # moto's FilterLogEvents knows no quoted phrases: compare with
        # the lines that hold both.
        every = self.get("--start", "2h", engine="filter").stdout
        r = self.get("--start", "2h", "-f", '"timed out" beta')
        self.assertEqual(r.rc, 0, r)
        self.assertEqual(r.stdout, "".join(
            l for l in every.splitlines(True)
            if "timed out" in l and "/aws/lambda/beta s" in l))
        self.assertEqual(len(r.stdout.splitlines()), 2 * 43)

    def test_untranslatable_pattern(self):
        seed(self.put_events, now_ms() - 3600000, n=10)
        r = self.get("--start", "2h", "-f", "{ $.level = 1 }")
        self.assertEqual(r.rc, 2)
        self.assertIn("does not translate to Logs Insights", r.stderr)
        self.assertEqual(r.stdout, "")
        # auto reads it with FilterLogEvents, and -v says why.
        r = self.get("--start", "2h", "-f", "ERROR ?INFO",
                     "--insights-threshold", "0", "-v", engine="auto")
        self.assertEqual(r.rc, 0, r)
        self.assertIn("reading with FilterLogEvents: the filter pattern "
                      "does not translate", r.stderr)

    def test_millisecond_edges(self):
        base = (now_ms() - 3600000) // 1000 * 1000 + 500
        ev = [(base + d, "at %+d" % d) for d in (-2, -1, 0, 1, 500, 998,
                                                  999, 1000, 1001)]
        self.put_events(GROUPS[0], "s1", ev)
        self.put_events(GROUPS[1], "s1", [(base + 5, "b")])
        r = self.same_as_filter("--start", str(base),
                                "--end", str(base + 999))
        self.assertEqual([l.split()[-1] for l in r.stdout.splitlines()],
                         ["+0", "+1", "b", "+500", "+998", "+999"])

    def test_limit_holds_a_big_slice(self):
        # 12 000 events in one minute of a two-hour window: one slice
        # holds them all, within StartQuery's limit of 100 000 (the
        # query string has no `limit` command of 10 000 any more, which
        # moto honours: it ignores the request's limit and pages).
        base = now_ms() - 3600000
        self.put_events(GROUPS[0], "s1", [(base + i * 5, "e%05d" % i)
                                          for i in range(12000)])
        self.put_events(GROUPS[1], "s1", [(base + 7, "other")])
        r = self.same_as_filter("--start", "2h", "-G", "-S")
        lines = r.stdout.splitlines()
        self.assertEqual(len(lines), 12001)
        r = self.get("--start", "2h", "-v", "-G", "-S")
        m = re.search(r"Logs Insights: (\d+) queries \((\d+) split at the "
                      r"100000-row limit\)", r.stderr)
        self.assertIsNotNone(m, r.stderr)
        self.assertEqual(int(m.group(2)), 0)

    def test_auto_chooses_by_estimate(self):
        seed(self.put_events, now_ms() - 3600000, n=20)
        r = self.get("--start", "2h", "-v", engine="auto")
        self.assertEqual(r.rc, 0, r)
        self.assertIn("Logs Insights estimate:", r.stderr)
        self.assertNotIn("reading through Logs Insights", r.stderr)
        r2 = self.get("--start", "2h", "-v", "--insights-threshold", "1k",
                      engine="auto")
        self.assertIn("reading through Logs Insights", r2.stderr)
        self.assertIn("queries (0 split", r2.stderr)
        self.assertEqual(r2.stdout, r.stdout)
        # A short window is not even estimated (no extra request).
        r = self.get("--start", "5m", "-vvv", "--insights-threshold", "0",
                     engine="auto")
        self.assertNotIn("DescribeLogGroups", r.stderr)
        self.assertNotIn("StartQuery", r.stderr)
        # --engine filter never estimates.
        r = self.get("--start", "2h", "-vvv", engine="filter")
        self.assertNotIn("DescribeLogGroups", r.stderr)

    def test_bad_usage(self):
        r = self.get("--watch")
        self.assertEqual(r.rc, 2)
        self.assertIn("--engine insights reads history only", r.stderr)
        r = self.get("--start", "1h", engine="sql")
        self.assertEqual(r.rc, 2)
        self.assertIn("--engine 'sql': expected 'auto', 'filter' or "
                      "'insights'", r.stderr)
        r = self.get("--insights-threshold", "lots", engine="auto")
        self.assertEqual(r.rc, 2)
        self.assertIn("--insights-threshold 'lots'", r.stderr)

    def test_missing_group_as_filter(self):
        self.put_events(GROUPS[0], "s1", [(now_ms() - 60000, "x")])
        f = self.get("--start", "1h", engine="filter")
        i = self.get("--start", "1h")
        self.assertEqual(f.rc, 5)
        self.assertEqual((i.rc, i.stderr), (f.rc, f.stderr))


class InsightsOnFakeCwl(FakeCwlTestCase):

    def setUp(self):
        super().setUp()
        self.base = (now_ms() - 3600000) // 60000 * 60000

    def put(self, group, stream, events):
        self.fake.put_events(group, stream, events, ingest_delay=0)

    def get(self, *args, engine="insights", **kw):
        return self.run_apilogs("get", "-g", GROUPS[0], "-g", GROUPS[1],
                                "--engine", engine, *args, **kw)

    def wait_ingested(self, n):
        wait_for(lambda: len(self.get("--start", "2h", "-G", "-S",
                                      engine="filter").stdout.splitlines())
                 >= n, what="the events to be ingested")

    def test_boto3_query_lifecycle(self):
        self.put(GROUPS[0], "s1", [(self.base + i * 1000, "m%d %s" % (
            i, "ERROR" if i % 2 else "INFO")) for i in range(120)])
        self.put(GROUPS[1], "s1", [(self.base, "other")])
        self.wait_ingested(121)
        self.fake.config(qi_sched=0.3, qi_scan_rate=20000)
        s = self.base // 1000
        qid = self.logs.start_query(
            logGroupNames=[GROUPS[0]], startTime=s, endTime=s + 59,
            queryString='fields @timestamp, @message, @ptr | filter '
            '@message like "ERROR" | sort @timestamp asc | limit 5'
        )["queryId"]
        seen = []
        while True:
            r = self.logs.get_query_results(queryId=qid)
            if not seen or seen[-1] != r["status"]:
                seen.append(r["status"])
            if r["status"] == "Complete":
                break
            time.sleep(0.05)
        self.assertEqual(seen, ["Scheduled", "Running", "Complete"])
        rows = r["results"]
        self.assertEqual(len(rows), 5)
        self.assertEqual([c["field"] for c in rows[0]],
                         ["@timestamp", "@message", "@ptr"])
        self.assertEqual([row[1]["value"] for row in rows],
                         ["m%d ERROR" % i for i in (1, 3, 5, 7, 9)])
        self.assertRegex(rows[0][0]["value"],
                         r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}$")
        self.assertEqual(r["statistics"]["recordsMatched"], 30.0)
        self.assertEqual(r["statistics"]["recordsScanned"], 60.0)
        self.assertGreater(r["statistics"]["bytesScanned"], 0)
        # Default order is newest first; stats by bin.
        self.fake.config(qi_sched=0, qi_scan_rate=0)
        qid = self.logs.start_query(logGroupName=GROUPS[0], startTime=s,
                                    endTime=s + 119,
                                    queryString="fields @message | limit 2"
                                    )["queryId"]
        r = wait_for(lambda: (lambda x: x if x["status"] == "Complete"
                              else None)(
            self.logs.get_query_results(queryId=qid)))
        self.assertEqual([row[0]["value"] for row in r["results"]],
                         ["m119 ERROR", "m118 INFO"])
        qid = self.logs.start_query(
            logGroupName=GROUPS[0], startTime=s, endTime=s + 119,
            queryString="stats count(*) by bin(1m)")["queryId"]
        r = wait_for(lambda: (lambda x: x if x["status"] == "Complete"
                              else None)(
            self.logs.get_query_results(queryId=qid)))
        self.assertEqual([[c["value"] for c in row] for row in r["results"]],
                         [[time.strftime("%Y-%m-%d %H:%M:%S.000",
                                         time.gmtime(s + 60 * k)), "60"]
                          for k in (0, 1)])
        # StopQuery, the concurrency limit, a malformed query.
        self.fake.config(qi_sched=30, qi_max_queries=1)
        qid = self.logs.start_query(logGroupName=GROUPS[0], startTime=s,
                                    endTime=s + 1, queryString="fields @ptr"
                                    )["queryId"]
        with self.assertRaises(botocore.exceptions.ClientError) as cm:
            self.logs.start_query(logGroupName=GROUPS[0], startTime=s,
                                  endTime=s + 1, queryString="fields @ptr")
        self.assertEqual(cm.exception.response["Error"]["Code"],
                         "LimitExceededException")
        self.assertTrue(self.logs.stop_query(queryId=qid)["success"])
        self.assertEqual(self.logs.get_query_results(queryId=qid)["status"],
                         "Cancelled")
        with self.assertRaises(botocore.exceptions.ClientError) as cm:
            self.logs.start_query(logGroupName=GROUPS[0], startTime=s,
                                  endTime=s + 1, queryString="bogus | x")
        self.assertEqual(cm.exception.response["Error"]["Code"],
                         "MalformedQueryException")
        st = self.fake.stats()
        self.assertEqual(st["counts"]["StopQuery"], 1)
        self.assertEqual(st["insights"]["limited"], 1)

    def test_boto3_limit_and_pages(self):
        """The fake's StartQuery limit (up to 100 000) and GetQueryResults
        maxItems/nextToken, as botocore's model has them, read by boto3."""
        self.put(GROUPS[0], "s1", [(self.base + i * 10, "p%05d" % i)
                                   for i in range(12000)])
        s = self.base // 1000
        q = "fields @timestamp, @message, @ptr | sort @timestamp asc"

        def done(qid, **kw):
            return wait_for(lambda: (lambda x: x if x["status"] == "Complete"
                                     else None)(
                self.logs.get_query_results(queryId=qid, **kw)))
        qid = self.logs.start_query(logGroupName=GROUPS[0], startTime=s,
                                    endTime=s + 3600, queryString=q,
                                    limit=11500)["queryId"]
        r = done(qid, maxItems=5000)
        got = [row[1]["value"] for row in r["results"]]
        while "nextToken" in r:
            r = self.logs.get_query_results(queryId=qid, maxItems=5000,
                                            nextToken=r["nextToken"])
            got += [row[1]["value"] for row in r["results"]]
        self.assertEqual(got, ["p%05d" % i for i in range(11500)])
        # No maxItems: pages of 10 000; no limit: 10 000 rows.
        r = done(qid)
        self.assertEqual(len(r["results"]), 10000)
        self.assertIn("nextToken", r)
        qid2 = self.logs.start_query(logGroupName=GROUPS[0], startTime=s,
                                     endTime=s + 3600, queryString=q
                                     )["queryId"]
        r = done(qid2)
        self.assertEqual(len(r["results"]), 10000)
        self.assertNotIn("nextToken", r)
        # Out of range, a token of another query, an expired token.
        for bad in (dict(limit=100001),):  # botocore checks the min
            with self.assertRaises(botocore.exceptions.ClientError) as cm:
                self.logs.start_query(logGroupName=GROUPS[0], startTime=s,
                                      endTime=s + 1, queryString=q, **bad)
            self.assertEqual(cm.exception.response["Error"]["Code"],
                             "InvalidParameterException")
        self.logs.start_query(logGroupName=GROUPS[0], startTime=s,
                              endTime=s + 1, queryString=q, limit=100000)
        tok = done(qid, maxItems=100)["nextToken"]
        with self.assertRaises(botocore.exceptions.ClientError) as cm:
            self.logs.get_query_results(queryId=qid2, nextToken=tok)
        self.assertEqual(cm.exception.response["Error"]["Code"],
                         "InvalidParameterException")
        self.fake.config(qi_token_ttl=0)
        time.sleep(0.01)
        with self.assertRaises(botocore.exceptions.ClientError) as cm:
            self.logs.get_query_results(queryId=qid, nextToken=tok)
        self.assertIn("expired", cm.exception.response["Error"]["Message"])

    def seed_json(self):
        seed(self.put, self.base, n=400)
        self.wait_ingested(1600)

    def test_json_output_identical_but_for_ids(self):
        self.seed_json()
        f = self.get("--start", "2h", "-o", "json", engine="filter")
        i = self.get("--start", "2h", "-o", "json", "-v")
        self.assertEqual((f.rc, i.rc), (0, 0), i)
        strip = re.compile(r'"eventId":"[^"]*",')
        self.assertEqual(strip.sub("", i.stdout), strip.sub("", f.stdout))
        self.assertRegex(i.stderr, r"Logs Insights: \d+ queries \(0 split "
                         r"at the 100000-row limit\), \d+ more pages? read, "
                         r"0\.\d MB scanned")
        st = self.fake.stats()["insights"]
        self.assertEqual(st["started"], st["completed"])
        self.assertEqual(st["stop_ids"], [])

    def test_group_by_arn(self):
        # -g ARN (with or without ":*"): the rows' @log is "ACCOUNT:NAME",
        # matched to the ARN by its account and name (the audit found every
        # row dropped and "has no events yet" said).
        self.put(GROUPS[0], "s1", [(self.base + i * 1000, "by arn %d" % i)
                                   for i in range(30)])
        self.put(GROUPS[1], "s1", [(self.base, "other group")])
        self.wait_ingested(31)
        for arn in (self.fake.arn(GROUPS[0]), self.fake.arn(GROUPS[0]) +
                    ":*"):
            f = self.run_apilogs("get", "-g", arn, "--start", "2h",
                                 "--engine", "filter")
            i = self.run_apilogs("get", "-g", arn, "--start", "2h",
                                 "--engine", "insights")
            self.assertEqual((f.rc, i.rc), (0, 0), i)
            self.assertEqual(len(f.stdout.splitlines()), 30, f)
            self.assertEqual(i.stdout, f.stdout)
            self.assertNotIn("no events", i.stderr)
        # Another account's group of that name is not this one.
        other = self.fake.arn(GROUPS[0]).replace(":123456789012:",
                                                  ":210987654321:")
        i = self.run_apilogs("get", "-g", other, "--start", "2h",
                             "--engine", "insights")
        self.assertEqual(i.stdout, "", i)

    def test_cap_split_and_concurrency_limit(self):
        # A window of 1 100 s in ten slices of 110 s: the first holds
        # 105 000 events, more than the 100 000 rows a query returns; its
        # statistics say so, and it is cut again before a row is read.
        # The rows are read in pages of 5 000.
        self.put(GROUPS[0], "s1", [(self.base + i, "e%06d" % i)
                                   for i in range(105000)])
        self.put(GROUPS[1], "s1", [(self.base + 3, "b")])
        # Queries stay Scheduled for a second: the third start meets the
        # limit whatever the timing.
        self.fake.config(qi_max_queries=2, qi_sched=1.0)
        win = ("--start", str(self.base), "--end", str(self.base + 1099999))
        f = self.get(*win, engine="filter")
        i = self.get(*win)
        self.assertEqual(i.rc, 0, i)
        self.assertEqual(i.stdout, f.stdout)
        st = self.fake.stats()["insights"]
        self.assertEqual(len(i.stdout.splitlines()), 105001)
        self.assertIn(100000, [rows for _, _, rows in st["ranges"]])
        self.assertGreater(st["limited"], 0)
        self.assertEqual(st["started"], st["completed"])
        # Pages of at most 10 000 rows (after a first page of one row).
        self.assertGreaterEqual(st["pages"], 105001 // 10000 + 1)

    def test_busy_second_many_groups(self):
        # More rows in one second of a batch's groups than a query returns:
        # the groups are read by halves, never a partial second, never a
        # failure; the same lines as FilterLogEvents.
        g = ["/busy/g%02d" % k for k in range(11)]
        self.fake.create_groups(*g)
        base = (now_ms() - 3600000) // 1000 * 1000
        for k, name in enumerate(g):
            self.put(name, "s1", [(base + j % 1000, "g%d e%d" % (k, j))
                                  for j in range(9200)])
        args = ["get"]
        for name in g:
            args += ["-g", name]
        args += ["--start", "2h", "-GS"]
        f = self.run_apilogs(*args, "--engine", "filter")
        self.assertEqual(len(f.stdout.splitlines()), 101200)
        for eng in ("insights", "auto"):
            i = self.run_apilogs(*args, "--engine", eng, "-v",
                                 "--insights-threshold", "0")
            self.assertEqual(i.rc, 0, i.stderr[-500:])
            # Every line once (ties within a millisecond are ordered by
            # @ptr, not by FilterLogEvents' order).
            self.assertEqual(sorted(i.stdout.splitlines()),
                             sorted(f.stdout.splitlines()))
            self.assertIn("Logs Insights:", i.stderr)

    def test_page_broken_midway_read_again(self):
        # GetQueryResults pages are decoded as they arrive: a page whose
        # connection is reset after half its body is asked for again,
        # and its rows are printed once (the decoded half is dropped).
        pad = "x" * 300
        self.put(GROUPS[0], "s1", [(self.base + i * 100,
                                    "b%05d %s" % (i, pad))
                                   for i in range(3000)])
        self.put(GROUPS[1], "s1", [(self.base + 7, "other")])
        self.wait_ingested(3001)
        f = self.get("--start", "2h", engine="filter")
        self.fake.reset(everything=False)
        self.fake.config(qi_break=3)
        i = self.get("--start", "2h")
        self.assertEqual(i.rc, 0, i)
        self.assertEqual(len(f.stdout.splitlines()), 3001)
        self.assertEqual(i.stdout, f.stdout)
        st = self.fake.stats()["insights"]
        self.assertEqual(st["broken"], 3, st)
        # botocore reads the fake's break as what it is: a transfer cut
        # short, which it retries (its one retry), then the whole page.
        s = self.base // 1000
        qid = self.logs.start_query(
            logGroupName=GROUPS[0], startTime=s, endTime=s + 3600,
            queryString="fields @timestamp, @message | sort @timestamp asc",
            limit=50)["queryId"]
        wait_for(lambda: self.logs.get_query_results(
            queryId=qid, maxItems=1)["status"] == "Complete")
        self.fake.config(qi_break=1)
        r = self.logs.get_query_results(queryId=qid)
        self.assertEqual(len(r["results"]), 50)
        self.assertEqual(self.fake.stats()["insights"]["broken"], 4)

    def test_answers_held_within_budget(self):
        # The first slice of the window scans 6 MB that the filter drops
        # (4 s at 1.5 MB/s); every later one answers sooner with about
        # 2 MB of rows, 17 MB in all. Unbounded, they would all wait in
        # memory for the first (the merge needs it); the reader holds at
        # most its budget (12 MiB) and one answer more.
        base = self.base
        self.put(GROUPS[0], "filler", [(base + i, "x" * 4000)
                                       for i in range(1500)])
        pad = "p" * 2000
        self.put(GROUPS[0], "s1", [(base + 200000 + i * 425,
                                    "keep %05d %s" % (i, pad))
                                   for i in range(8000)])
        self.put(GROUPS[1], "s1", [(base + 5, "keep b")])
        self.wait_ingested(9501)
        self.fake.config(qi_scan_rate=1.5e6)
        args = ("--start", str(base), "--end", str(base + 3599999),
                "-f", "keep")
        f = self.get(*args, engine="filter")
        i = self.get(*args, "-v")
        self.assertEqual(i.rc, 0, i)
        self.assertEqual(len(f.stdout.splitlines()), 8001)
        self.assertEqual(i.stdout, f.stdout)
        m = re.search(r"at most (\d+) answers? \(([\d.]+) MiB\) held",
                      i.stderr)
        self.assertIsNotNone(m, i.stderr)
        self.assertLessEqual(float(m.group(2)), 14.5, i.stderr)
        self.assertGreater(float(m.group(2)), 0.5, i.stderr)

    def test_boto3_results_read_again_and_rates(self):
        # A finished query's results can be read again (the reader reads
        # the rows of a slice far ahead of the merge only when the merge
        # gets near it); StartQuery and GetQueryResults have request
        # rates, throttled as the service does.
        self.put(GROUPS[0], "s1", [(self.base + i * 1000, "r%d" % i)
                                   for i in range(30)])
        self.put(GROUPS[1], "s1", [(self.base, "other")])
        self.wait_ingested(31)
        s = self.base // 1000
        qid = self.logs.start_query(
            logGroupName=GROUPS[0], startTime=s, endTime=s + 59,
            queryString="fields @timestamp, @message, @ptr | sort "
            "@timestamp asc")["queryId"]
        first = wait_for(lambda: (lambda x: x if x["status"] == "Complete"
                                  else None)(
            self.logs.get_query_results(queryId=qid)))
        again = self.logs.get_query_results(queryId=qid)
        self.assertEqual(again["status"], "Complete")
        self.assertEqual(again["results"], first["results"])
        self.assertEqual(len(again["results"]), 30)
        self.assertEqual(self.fake.stats()["insights"]["reread"], 1)
        # One request per 100 s: the second of each pair is throttled
        # however slowly this machine runs (and after botocore's retry).
        self.fake.config(qi_start_tps=0.01, qi_results_tps=0.01)
        codes = []
        for call in (lambda: self.logs.get_query_results(queryId=qid),
                     lambda: self.logs.get_query_results(queryId=qid),
                     lambda: self.logs.start_query(
                         logGroupName=GROUPS[0], startTime=s,
                         endTime=s + 1, queryString="fields @ptr"),
                     lambda: self.logs.start_query(
                         logGroupName=GROUPS[0], startTime=s,
                         endTime=s + 1, queryString="fields @ptr")):
            try:
                call()
                codes.append("ok")
            except botocore.exceptions.ClientError as e:
                codes.append(e.response["Error"]["Code"])
        self.assertEqual(codes, ["ok", "ThrottlingException", "ok",
                                 "ThrottlingException"])
        # (the client retries a throttled call once)
        self.assertGreaterEqual(self.fake.stats()["insights"]["throttled"],
                                2)

    def test_queries_in_flight_not_bounded_by_memory(self):
        # The first slice scans 6 MB that the filter drops (4 s at
        # 1.5 MB/s); every query stays Scheduled 1.5 s, the later slices
        # hold about 2 MB of rows each, 17 MB in all. The reader starts
        # queries up to the concurrency quota (10) while holding at most
        # its budget (6 MiB) and one answer: a slice that finishes far
        # ahead of the merge has read a first page of one row (the poll's
        # maxItems) and reads the rest when the merge gets to it, so
        # nothing is read twice. Bounded by memory instead, at most 4
        # would run at once.
        base = self.base
        self.put(GROUPS[0], "filler", [(base + i, "x" * 4000)
                                       for i in range(1500)])
        pad = "p" * 2000
        self.put(GROUPS[0], "s1", [(base + 200000 + i * 425,
                                    "keep %05d %s" % (i, pad))
                                   for i in range(8000)])
        self.put(GROUPS[1], "s1", [(base + 5, "keep b")])
        self.wait_ingested(9501)
        self.fake.config(qi_scan_rate=1.5e6, qi_sched=1.5, qi_start_tps=5,
                         qi_results_tps=5)
        args = ("--start", str(base), "--end", str(base + 3599999),
                "-f", "keep")
        f = self.get(*args, engine="filter")
        self.fake.reset(everything=False)
        i = self.get(*args, "-v")
        self.assertEqual(i.rc, 0, i)
        self.assertEqual(len(f.stdout.splitlines()), 8001)
        self.assertEqual(i.stdout, f.stdout)
        st = self.fake.stats()["insights"]
        self.assertGreaterEqual(st["peak_active"], 8, st)
        m = re.search(r"at most (\d+) answers? \(([\d.]+) MiB\) held, "
                      r"(\d+) running, (\d+) read again", i.stderr)
        self.assertIsNotNone(m, i.stderr)
        self.assertLessEqual(float(m.group(2)), 9.0, i.stderr)
        self.assertGreaterEqual(int(m.group(3)), 8, i.stderr)
        self.assertEqual(int(m.group(4)), 0, i.stderr)
        self.assertEqual(st["reread"], 0, st)
        self.assertEqual(st["started"], st["completed"], st)

    def test_ctrl_c_stops_running_queries(self):
        self.seed_json()
        self.fake.config(qi_scan_rate=100)   # minutes per query
        p = self.spawn_apilogs("get", "-g", GROUPS[0], "-g", GROUPS[1],
                               "--engine", "insights", "--start", "2h")
        try:
            wait_for(lambda: self.fake.stats()["insights"]["started"] >= 10,
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
        # Every query is over: complete (empty slices) or stopped.
        self.assertEqual(st["active"], 0, st)
        self.assertGreater(st["stopped"], 0, st)
        # StopQuery for every query not read to its end.
        self.assertGreaterEqual(len(st["stop_ids"]) + st["completed"],
                                st["started"], st)

    def test_access_denied(self):
        seed(self.put, self.base, n=30)
        self.wait_ingested(120)
        self.fake.config(qi_mode="denied")
        f = self.get("--start", "2h", engine="filter")
        r = self.get("--start", "2h", "--insights-threshold", "0",
                     engine="auto")
        self.assertEqual(r.rc, 0, r)
        self.assertEqual(r.stdout, f.stdout)
        self.assertEqual(len(re.findall("Logs Insights is not allowed",
                                        r.stderr)), 1, r.stderr)
        r = self.get("--start", "2h")
        self.assertEqual(r.rc, 4, r)
        self.assertIn("AccessDeniedException", r.stderr)
        self.assertEqual(r.stdout, "")

    def test_other_refusal_falls_back_under_auto(self):
        # Any other StartQuery failure (InvalidParameterException here)
        # under auto before any event: FilterLogEvents reads the window,
        # one -v notice; --engine insights fails with one line.
        seed(self.put, self.base, n=30)
        self.wait_ingested(120)
        self.fake.config(qi_mode="invalid")
        f = self.get("--start", "2h", engine="filter")
        r = self.get("--start", "2h", "--insights-threshold", "0", "-v",
                     engine="auto")
        self.assertEqual(r.rc, 0, r)
        self.assertEqual(r.stdout, f.stdout)
        self.assertEqual(len(re.findall("Logs Insights refused the read",
                                        r.stderr)), 1, r.stderr)
        r = self.get("--start", "2h", "--insights-threshold", "0",
                     engine="auto")
        self.assertEqual((r.rc, r.stdout), (0, f.stdout), r)
        self.assertNotIn("refused", r.stderr)
        r = self.get("--start", "2h")
        self.assertNotEqual(r.rc, 0, r)
        self.assertEqual(r.stdout, "")
        self.assertEqual(len(r.stderr.strip().splitlines()), 1, r.stderr)
        self.assertIn("InvalidParameterException", r.stderr)

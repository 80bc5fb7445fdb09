# SPDX-License-Identifier: Apache-2.0
"""`trace --engine auto|filter|insights` (issue 15): over a long window the
request is found with one Logs Insights query per 50 groups, then
FilterLogEvents reads only the span that holds it, so the trace is the
same through both engines. On moto (whose Insights ignores `filter`: the
reader checks the term again) and on bench/fakecwl.py, whose filtered
FilterLogEvents scans a bounded number of bytes per call
(fle_scan_bytes), so that requests can be counted."""

import json
import re
import signal
import time

from harness import ApilogsTestCase, FakeCwlTestCase, now_ms, wait_for
from sample_api import SampleApi, Traffic


def record(traffic, t):
    """Four interleaved requests of the sample API at t: (name, request)."""
    api = traffic.api
    return [
        ("auth", traffic.request(t, "GET", "/orders", "/orders", api.ORDERS,
                                 "live", lines=["listing orders"],
                                 cold=True, json_line="cache miss")),
        ("error", traffic.request(t + 50, "GET", "/users", "/users",
                                  api.USERS, authorized=False, python=True,
                                  outcome="error", lines=["creating user"])),
        ("timeout", traffic.request(t + 100, "POST", "/orders", "/orders",
                                    api.ORDERS, "live", authorized=False,
                                    outcome="timeout",
                                    lines=["charging card"])),
        ("plain", traffic.request(t + 150, "GET", "/orders/17",
                                  "/orders/{id}", api.ORDERS,
                                  authorized=False, lines=["order 17"])),
    ]


class TraceInsightsOnMoto(ApilogsTestCase):

    def setUp(self):
        super().setUp()
        self.api = SampleApi(self.moto).build()
        self.traffic = Traffic(self.api, seed=23)
        self.reqs = record(self.traffic, now_ms() - 5 * 60000)
        self.traffic.flush(self.logs)

    def trace(self, rid, *args, engine=None):
        e = ("--engine", engine) if engine else ()
        return self.run_apilogs("trace", rid, "-a", self.api.api_id, "-t",
                                "prod", *e, *args)

    def test_same_trace_through_both_engines(self):
        # The authorizer and cold start by API id, the Python error by
        # Lambda id (text and JSON), the timeout by API id.
        for name, req in self.reqs[:3]:
            rid = req.lambda_id if name == "error" else req.apigw_id
            for fmt in ((("-o", "json"), ()) if name == "error"
                        else (("-o", "json"),)):
                f = self.trace(rid, "-s", "1h", *fmt, engine="filter")
                i = self.trace(rid, "-s", "1h", *fmt,
                               engine="insights")
                a = self.trace(rid, "-s", "1h", *fmt)
                self.assertEqual(f.rc, 0, (name, f))
                self.assertEqual((i.rc, a.rc), (0, 0), (name, i, a))
                self.assertEqual(i.stdout, f.stdout, name)
                self.assertEqual(a.stdout, f.stdout, name)
                self.assertEqual(i.stderr, f.stderr, name)
        doc = json.loads(self.trace(self.reqs[0][1].apigw_id, "-s", "1h",
                                    "-o", "json").stdout)
        self.assertEqual(doc["idKind"], "api")
        self.assertGreaterEqual(len(doc["timeline"]), 10)

    def test_auto_uses_insights_only_for_long_windows(self):
        rid = self.reqs[1][1].apigw_id
        long_ = self.trace(rid, "-s", "1h", "-v")
        self.assertEqual(long_.rc, 0, long_)
        self.assertIn("searching for the request with Logs Insights",
                      long_.stderr)
        self.assertRegex(long_.stderr, r"Logs Insights: 1 query ")
        short = self.trace(rid, "-s", "9m", "-v")
        self.assertEqual(short.rc, 0, short)
        self.assertNotIn("Logs Insights", short.stderr)
        self.assertEqual(short.stdout, long_.stdout)
        # --engine insights takes a short window through Insights too.
        forced = self.trace(rid, "-s", "9m", "-v", engine="insights")
        self.assertIn("searching for the request with Logs Insights",
                      forced.stderr)
        self.assertEqual(forced.stdout, long_.stdout)

    def test_not_found_and_missing_group(self):
        args = ("-s", "1h", "-g", "/aws/lambda/not-there")
        when = re.compile(r"\d{4}-\d\d-\d\dT[0-9:.]+Z")
        for rid in (self.reqs[0][1].apigw_id, "00000000-dead-beef"):
            f = self.trace(rid, *args, engine="filter")
            i = self.trace(rid, *args, engine="insights")
            self.assertEqual((i.rc, i.stdout, when.sub("T", i.stderr)),
                             (f.rc, f.stdout, when.sub("T", f.stderr)))
            self.assertIn("log group '/aws/lambda/not-there' does not "
                          "exist", i.stderr)
        self.assertEqual(i.rc, 5, i)
        self.assertIn("request '00000000-dead-beef' not found", i.stderr)

    def test_bad_usage(self):
        r = self.trace('a"b', "-s", "1h", engine="insights")
        self.assertEqual(r.rc, 2, r)
        self.assertEqual(len(r.stderr.splitlines()), 1, r)
        self.assertIn("--engine insights: the request id does not "
                      "translate", r.stderr)
        r = self.trace("x", "-s", "1h", engine="bogus")
        self.assertEqual(r.rc, 2, r)
        self.assertIn("--engine 'bogus'", r.stderr)
        h = self.run_apilogs("trace", "--help").stdout
        self.assertIn("--engine E", h)


class FakeApi(SampleApi):
    """The sample API's names and ids, for logs written straight into
    fakecwl (which serves no API Gateway): trace reads them with -g."""

    def __init__(self):
        super().__init__(None)
        self.api_id = "fk1a2b3c4d"
        self.authorizer_id = "au1234"


class TraceInsightsOnFakeCwl(FakeCwlTestCase):

    GROUPS = 8

    def setUp(self):
        super().setUp()
        self.api = FakeApi()
        traffic = Traffic(self.api, seed=31)
        now = now_ms()
        self.reqs = record(traffic, now - 3 * 3600000)
        # Filler: 8 groups of 1500 unrelated lines over the last 20 h.
        self.groups = sorted({g for g, _ in traffic.events})
        extra = ["/aws/lambda/fill-%d" % i
                 for i in range(self.GROUPS - len(self.groups))]
        self.groups += extra
        for gi, g in enumerate(self.groups):
            traffic.events.setdefault((g, "filler"), []).extend(
                (now - 20 * 3600000 + i * 48000 + gi,
                 "filler %d of %s: nothing to see here, just bytes" % (i, g))
                for i in range(1500))
        for (g, s), evs in sorted(traffic.events.items()):
            self.fake.put_events(g, s, sorted(evs), ingest_delay=0)
        self.fake.config(fle_scan_bytes=32768)
        self.fake.reset(everything=False)

    def trace(self, rid, *args, engine="auto", **kw):
        a = ["trace", rid, "-s", "24h", "--engine", engine]
        for g in self.groups:
            a += ["-g", g]
        return self.run_apilogs(*a, *args, **kw)

    def requests(self):
        st = self.fake.stats()
        self.fake.reset(everything=False)
        return sum(st["counts"].values()), st

    def test_boto3_reads_partial_pages(self):
        # The filtered pages are the real wire format: boto3 pages
        # through them, empty ones included.
        rid = self.reqs[0][1].apigw_id
        pages = list(self.logs.get_paginator("filter_log_events").paginate(
            logGroupName=self.api.execution_group,
            filterPattern='"%s"' % rid))
        self.assertGreater(len(pages), 3)
        self.assertTrue(any(p["events"] == [] for p in pages))
        got = [e["message"] for p in pages for e in p["events"]]
        self.assertGreater(len(got), 5)
        self.assertTrue(all(rid in m for m in got))

    def test_same_trace_fewer_requests(self):
        for name, req in self.reqs[:2]:
            for rid in (req.apigw_id, req.lambda_id)[:2 if name == "auth"
                                                     else 1]:
                f = self.trace(rid, "-o", "json", engine="filter")
                nf, _ = self.requests()
                i = self.trace(rid, "-o", "json", engine="insights")
                ni, st = self.requests()
                a = self.trace(rid, "-o", "json")
                self.requests()
                self.assertEqual(f.rc, 0, (name, f))
                self.assertEqual((i.rc, a.rc), (0, 0), (name, i, a))
                self.assertEqual(i.stdout, f.stdout, name)
                self.assertEqual(a.stdout, f.stdout, name)
                self.assertGreater(len(json.loads(f.stdout)["timeline"]), 3)
                # One query for the 8 groups, not one page per 32 KiB.
                self.assertEqual(st["insights"]["started"], 1, st)
                self.assertLess(ni * 3, nf, (name, ni, nf))

    def test_groups_by_arn(self):
        # The same trace when the groups are given by ARN: Insights rows
        # name their group "ACCOUNT:NAME" (the audit found "not found").
        def timeline(r):
            self.assertEqual(r.rc, 0, r)
            tl = json.loads(r.stdout)["timeline"]
            for ev in tl:
                ev["logGroupName"] = ev["logGroupName"].split(
                    ":log-group:")[-1]
            return tl
        rid = self.reqs[0][1].apigw_id
        by_name = timeline(self.trace(rid, "-o", "json", engine="filter"))
        self.assertGreater(len(by_name), 3)
        self.groups = [self.fake.arn(g) for g in self.groups]
        for engine in ("filter", "insights", "auto"):
            self.assertEqual(timeline(self.trace(rid, "-o", "json",
                                                 engine=engine)),
                             by_name, engine)

    def test_ctrl_c_stops_the_query(self):
        self.fake.config(qi_scan_rate=100)   # minutes per query
        p = self.spawn_apilogs("trace", self.reqs[0][1].apigw_id, "-s",
                               "24h", *sum((["-g", g] for g in self.groups),
                                           []))
        try:
            wait_for(lambda: self.fake.stats()["insights"]["started"] >= 1,
                     what="the query to start")
            time.sleep(0.3)
            p.send_signal(signal.SIGINT)
            rc = p.wait(timeout=20)
        finally:
            if p.poll() is None:
                p.kill()
                p.wait()
            out = p.stdout.read()
            p.stdout.close()
            p.stderr.close()
        st = self.fake.stats()["insights"]
        self.assertEqual(rc, 0)
        self.assertEqual(out, b"")
        self.assertEqual(st["active"], 0, st)
        self.assertEqual(len(st["stop_ids"]), 1, st)

    def test_access_denied(self):
        rid = self.reqs[2][1].apigw_id
        f = self.trace(rid, engine="filter")
        self.fake.config(qi_mode="denied")
        a = self.trace(rid)
        self.assertEqual(a.rc, 0, a)
        self.assertEqual(a.stdout, f.stdout)
        self.assertEqual(len(re.findall("Logs Insights is not allowed",
                                        a.stderr)), 1, a.stderr)
        i = self.trace(rid, engine="insights")
        self.assertEqual(i.rc, 4, i)
        self.assertIn("AccessDeniedException", i.stderr)
        self.assertEqual(i.stdout, "")

"""trace REQUEST_ID and request ids in get, on realistic logs (issue 6)."""

import json

from harness import ApilogsTestCase, now_ms
from sample_api import SampleApi, Traffic


class TestTrace(ApilogsTestCase):
    @classmethod
    def setUpClass(cls):
        cls.seeded = False

    def setUp(self):
        super().setUp()
        self.api = SampleApi(self.moto).build()
        self.traffic = Traffic(self.api, seed=11)
        self.reqs = {}
        t = now_ms() - 10 * 60000
        api = self.api
        # Interleaved requests (50 ms apart, overlapping): one with the
        # authorizer and a cold start and a JSON log line, one Python
        # with a multi-line stack trace, one timing out.
        self.record("auth", t, "GET", "/orders", "/orders", api.ORDERS,
                    "live", lines=["listing orders", "found 3"], cold=True,
                    json_line="cache miss")
        self.record("error", t + 50, "GET", "/users", "/users", api.USERS,
                    authorized=False, python=True, outcome="error",
                    lines=["creating user"])
        self.record("timeout", t + 100, "POST", "/orders", "/orders",
                    api.ORDERS, "live", authorized=False,
                    outcome="timeout", lines=["charging card"])
        self.record("plain", t + 150, "GET", "/orders/17", "/orders/{id}",
                    api.ORDERS, authorized=False, lines=["order 17"])
        self.traffic.flush(self.logs)

    def record(self, name, *args, **kw):
        """Generate a request, remembering exactly which events it wrote."""
        before = {k: list(v) for k, v in self.traffic.events.items()}
        req = self.traffic.request(*args, **kw)
        evs = set()
        for (group, stream), lst in self.traffic.events.items():
            for ts, msg in lst[len(before.get((group, stream), [])):]:
                evs.add((ts, group, msg))
        self.reqs[name] = (req, evs)

    def trace(self, rid, *args):
        return self.run_apilogs("trace", rid, "-a", self.api.api_id, "-t",
                                "prod", "-s", "1h", *args)

    def timeline(self, r):
        doc = json.loads(r.stdout)
        return doc, [(e["timestamp"], e["logGroupName"], e["message"])
                     for e in doc["timeline"]]

    def test_trace_api_id_with_authorizer_and_cold_start(self):
        req, evs = self.reqs["auth"]
        r = self.trace(req.apigw_id, "-o", "json")
        self.assertEqual(r.rc, 0, r)
        doc, tl = self.timeline(r)
        self.assertEqual(doc["idKind"], "api")
        self.assertEqual(doc["apiRequestId"], req.apigw_id)
        # Exactly this request's lines, in time order.
        self.assertEqual(sorted(tl), sorted(evs))
        self.assertEqual([x[0] for x in tl], sorted(x[0] for x in tl))
        s = doc["summary"]
        self.assertEqual((s["method"], s["path"], s["status"]),
                         ("GET", "/orders", 200))
        self.assertIsNotNone(s["integrationLatencyMs"])
        self.assertEqual(s["authorizer"]["result"], "allowed")
        inv = {i["function"]: i for i in s["invocations"]}
        orders = inv[SampleApi.ORDERS]
        self.assertEqual(orders["requestId"], req.lambda_id)
        self.assertTrue(orders["coldStart"])
        self.assertEqual(orders["initDurationMs"], 150.25)
        self.assertEqual(orders["memorySizeMB"], 128)
        auth = inv[SampleApi.AUTH]
        self.assertEqual(auth["requestId"], req.auth_id)
        self.assertTrue(auth["authorizer"])
        self.assertTrue(auth["inferred"])
        self.assertEqual(s["errors"], [])
        # The authorizer's lines are marked as matched by time.
        inferred = [e for e in doc["timeline"] if e.get("inferred")]
        self.assertTrue(inferred)
        self.assertTrue(all(e["logGroupName"] == "/aws/lambda/" +
                            SampleApi.AUTH for e in inferred))

    def test_trace_lambda_id_same_timeline(self):
        req, evs = self.reqs["auth"]
        a = self.trace(req.apigw_id, "-o", "json")
        b = self.trace(req.lambda_id, "-o", "json")
        self.assertEqual(b.rc, 0, b)
        da, ta = self.timeline(a)
        db, tb = self.timeline(b)
        self.assertEqual(db["idKind"], "lambda")
        self.assertEqual(db["apiRequestId"], req.apigw_id)
        self.assertEqual(tb, ta)
        self.assertEqual(db["summary"], da["summary"])

    def test_trace_timeout_and_stack_trace(self):
        req, evs = self.reqs["timeout"]
        r = self.trace(req.apigw_id, "-o", "json")
        doc, tl = self.timeline(r)
        self.assertEqual(sorted(tl), sorted(evs))
        s = doc["summary"]
        self.assertEqual(s["status"], 502)
        self.assertIn("the Lambda function timed out", s["errors"])
        self.assertIn("HTTP 502", s["errors"])
        self.assertEqual(s["invocations"][0]["status"], "timeout")
        req, evs = self.reqs["error"]
        r = self.trace(req.lambda_id, "-o", "json")
        doc, tl = self.timeline(r)
        self.assertEqual(sorted(tl), sorted(evs))
        self.assertTrue(any("Traceback (most recent call last)" in m
                            for _, _, m in tl))
        self.assertTrue(any(e.startswith("error logged")
                            for e in doc["summary"]["errors"]))

    def test_trace_text(self):
        req, evs = self.reqs["plain"]
        r = self.trace(req.apigw_id)
        self.assertEqual(r.rc, 0, r)
        lines = r.stdout.splitlines()
        timeline = lines[:lines.index("")]
        self.assertEqual(len(timeline), len(evs))
        self.assertIn("Route       GET /orders/17", lines)
        self.assertIn("Status      200", lines)
        self.assertTrue(any(x.startswith("Lambda      " + SampleApi.ORDERS)
                            for x in lines), lines)

    def test_query(self):
        req, evs = self.reqs["auth"]
        r = self.trace(req.apigw_id, "-q", "message", "-GS")
        self.assertEqual(r.rc, 0, r)
        timeline = r.stdout.splitlines()
        timeline = timeline[:timeline.index("")]
        # The JSON-format Lambda line is replaced by its message field;
        # the JSON access-log line has none (null: skipped); every other
        # line passes through unchanged.
        self.assertIn("cache miss", timeline)
        self.assertEqual(len(timeline), len(evs) - 1)
        r = self.trace(req.apigw_id, "-q", "message", "-GS",
                       "--query-keep-null")
        timeline = r.stdout.splitlines()
        self.assertEqual(timeline.index(""), len(evs))

    def test_not_found(self):
        r = self.trace("00000000-0000-4000-8000-000000000000")
        self.assertEqual(r.rc, 5, r)
        self.assertEqual(r.stdout, "")
        self.assertEqual(len(r.stderr.splitlines()), 1, r)
        self.assertIn("not found in API-Gateway-Execution-Logs_", r.stderr)
        self.assertIn(" between ", r.stderr)

    def test_get_tags_and_request_id(self):
        r = self.run_apilogs("get", "-a", self.api.api_id, "-t", "prod",
                             "-s", "1h", "-o", "json")
        self.assertEqual(r.rc, 0, r)
        got = [json.loads(x) for x in r.stdout.splitlines()]
        auth_group = "/aws/lambda/" + SampleApi.AUTH
        for name, (req, evs) in self.reqs.items():
            mine = [e for e in got
                    if (e["timestamp"], e["logGroupName"], e["message"])
                    in evs and e["logGroupName"] != auth_group]
            self.assertEqual(len(mine), len([x for x in evs
                                             if x[1] != auth_group]), name)
            for e in mine:
                self.assertEqual(e.get("apiRequestId"), req.apigw_id, e)
                if e["logGroupName"].startswith("/aws/lambda/"):
                    self.assertEqual(e["lambdaRequestId"], req.lambda_id)
        req, evs = self.reqs["timeout"]
        for rid in (req.apigw_id, req.lambda_id):
            r = self.run_apilogs("get", "-a", self.api.api_id, "-t", "prod",
                                 "-s", "1h", "-o", "json", "--request-id",
                                 rid)
            mine = {(e["timestamp"], e["logGroupName"], e["message"])
                    for e in map(json.loads, r.stdout.splitlines())}
            self.assertEqual(mine, evs)

# SPDX-License-Identifier: Apache-2.0
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


# Issue 17: the failing requests, in the formats found in the wild (see
# tests/data/logline/README.md for the sources of each line).
EXEC = "API-Gateway-Execution-Logs_f17api/prod"
ACCESS = "/aws/apigateway/f17-access"
FN = "/aws/lambda/f17-orders"
JAVA = "/aws/lambda/f17-java"


def uid(n):
    return "%08x-1e4f-4a6b-9c7d-%012x" % (0x17000000 + n, n)


class TestTraceFailures(ApilogsTestCase):
    def report(self, lid, extra=""):
        return ("REPORT RequestId: %s\tDuration: 1534.21 ms\tBilled "
                "Duration: 1535 ms\tMemory Size: 128 MB\tMax Memory Used: "
                "128 MB%s" % (lid, extra))

    def rest(self, t, api, lid, lines, status):
        """A REST request's execution and access lines around lines."""
        ex = [(t, "(%s) Starting execution for request: %s" % (api, api)),
              (t + 1, "(%s) HTTP Method: POST, Resource Path: /orders"
               % api)]
        ex += [(t + 2 + i, "(%s) %s" % (api, m)) for i, m in
               enumerate(lines)]
        ex.append((t + 40, "(%s) Method completed with status: %d"
                   % (api, status)))
        return ex

    def trace(self, rid, *groups):
        args = ["trace", rid, "-s", "1h", "-o", "json"]
        for g in groups:
            args += ["-g", g]
        r = self.run_apilogs(*args)
        self.assertEqual(r.rc, 0, r)
        return json.loads(r.stdout)

    def test_504_broken_access_line(self):
        t = now_ms() - 120000
        api, lid = uid(1), uid(2)
        self.put_events(EXEC, "e1", self.rest(t, api, lid, [
            "Endpoint request body after transformations: {}",
            "Execution failed due to a timeout error"], 504))
        # $context.error.messageString comes with its own quotes.
        self.put_events(ACCESS, "a1", [(t + 41, (
            '{ "requestId":"%s", "httpMethod":"POST", "resourcePath":'
            '"/orders", "status":"504", "integrationRequestId":"%s", '
            '"error":""Endpoint request timed out"", "responseLatency":'
            '"29032" }' % (api, lid)))])
        doc = self.trace(api, EXEC, ACCESS)
        self.assertEqual(len(doc["timeline"]), 6)
        s = doc["summary"]
        self.assertEqual(s["status"], 504)
        self.assertEqual(s["latencyMs"], 29032)
        self.assertIn("integration timed out (504)", s["errors"])

    def test_lambda_throttle(self):
        t = now_ms() - 120000
        api, lid = uid(3), uid(4)
        self.put_events(EXEC, "e2", self.rest(t, api, lid, [
            "Lambda invocation failed with status: 429. Lambda request "
            "id: %s" % lid,
            "Execution failed due to configuration error: Rate "
            "Exceeded."], 500))
        doc = self.trace(api, EXEC, FN)
        self.assertEqual(doc["summary"]["errors"],
                         ["Lambda throttled", "HTTP 500"])
        # The Lambda request id of the throttled call finds the request.
        doc = self.trace(lid, EXEC, FN)
        self.assertEqual(doc["apiRequestId"], api)
        self.assertEqual(len(doc["timeline"]), 5)

    def test_out_of_memory(self):
        t = now_ms() - 120000
        api, lid = uid(5), uid(6)
        self.put_events(EXEC, "e3", self.rest(t, api, lid, [
            "Lambda execution failed with status 200 due to customer "
            "function error: RequestId: %s Error: Runtime exited with "
            "error: signal: killed. Lambda request id: %s" % (lid, lid)],
            502))
        self.put_events(FN, "2024/02/01/[$LATEST]aa01", [
            (t + 3, "START RequestId: %s Version: $LATEST" % lid),
            (t + 30, "RequestId: %s Error: Runtime exited with error: "
             "signal: killed\nRuntime.ExitError" % lid),
            (t + 31, "END RequestId: %s" % lid),
            (t + 31, self.report(lid, "\tStatus: error\tError Type: "
                                 "Runtime.OutOfMemory"))])
        doc = self.trace(api, EXEC, FN)
        s = doc["summary"]
        self.assertIn("the Lambda function ran out of memory", s["errors"])
        self.assertNotIn("the Lambda runtime crashed", s["errors"])
        self.assertEqual(s["invocations"][0]["status"], "error")

    def test_init_failure_includes_init_lines(self):
        t = now_ms() - 120000
        api, lid, prev = uid(7), uid(8), uid(9)
        self.put_events(EXEC, "e4", self.rest(t, api, lid, [
            "AWS Integration Endpoint RequestId : %s" % lid], 502))
        stream = "2024/02/01/[$LATEST]bb02"
        init = [
            (t - 20, "INIT_START Runtime Version: python:3.12.v18\tRuntime "
             "Version ARN: arn:aws:lambda:us-east-1::runtime:abc"),
            (t - 10, "[ERROR] Runtime.ImportModuleError: Unable to import "
             "module 'app': No module named 'requests'\nTraceback (most "
             "recent call last):"),
            (t - 5, "INIT_REPORT Init Duration: 1666.62 ms\tPhase: invoke"
             "\tStatus: error\tError Type: Runtime.ImportModuleError")]
        self.put_events(FN, stream, [
            # An earlier invocation in the stream: not this request's.
            (t - 5000, "START RequestId: %s Version: $LATEST" % prev),
            (t - 4990, "a line of the earlier request"),
            (t - 4980, self.report(prev))] + init + [
            (t + 3, "START RequestId: %s Version: $LATEST" % lid),
            (t + 30, "END RequestId: %s" % lid),
            (t + 31, self.report(lid, "\tStatus: error\tError Type: "
                                 "Runtime.ImportModuleError"))])
        doc = self.trace(api, EXEC, FN)
        msgs = [e["message"] for e in doc["timeline"]]
        for _, m in init:
            self.assertIn(m, msgs)
        self.assertNotIn("a line of the earlier request", msgs)
        self.assertFalse(any(prev in m for m in msgs))
        self.assertIn("Lambda init failed (Runtime.ImportModuleError)",
                      doc["summary"]["errors"])

    def test_java_exception(self):
        t = now_ms() - 120000
        api, lid = uid(10), uid(11)
        self.put_events(EXEC, "e5", self.rest(t, api, lid, [
            "AWS Integration Endpoint RequestId : %s" % lid], 502))
        exc = ('{"errorMessage":"Order 17 not found","errorType":'
               '"java.lang.IllegalStateException","stackTrace":["example.'
               'OrderHandler.handleRequest(OrderHandler.java:42)"]}')
        self.put_events(JAVA, "2024/02/01/[$LATEST]cc03", [
            (t + 3, "START RequestId: %s Version: $LATEST" % lid),
            (t + 20, exc),
            (t + 31, "END RequestId: %s" % lid),
            (t + 31, self.report(lid))])
        doc = self.trace(api, EXEC, JAVA)
        self.assertIn(exc, [e["message"] for e in doc["timeline"]])
        self.assertIn("error logged: java.lang.IllegalStateException: "
                      "Order 17 not found", doc["summary"]["errors"])
        # Red in get's error marking.
        r = self.run_apilogs("get", JAVA, "-s", "1h", "--color=always",
                             "-GS")
        line = [x for x in r.stdout.splitlines() if "errorMessage" in x][0]
        self.assertIn("\x1b[31", line)

    def test_http_api_powertools_correlation_id(self):
        t = now_ms() - 120000
        api, lid = "KqL8sjHfoAMEZ1A=", uid(12)
        self.put_events(ACCESS, "a2", [(t + 50, json.dumps({
            "requestId": api, "httpMethod": "GET", "routeKey": "GET /",
            "status": "200", "responseLatency": "48"}))])
        lines = [
            (t + 3, "START RequestId: %s Version: $LATEST" % lid),
            (t + 10, json.dumps({
                "level": "INFO", "message": "listing orders",
                "function_request_id": lid, "correlation_id": api})),
            (t + 11, "a print without any id"),
            (t + 40, "END RequestId: %s" % lid),
            (t + 40, self.report(lid))]
        self.put_events(FN, "2024/02/01/[$LATEST]dd04", lines)
        a = self.trace(api, ACCESS, FN)
        b = self.trace(lid, ACCESS, FN)
        self.assertEqual(a["idKind"], "api")
        self.assertEqual(b["idKind"], "lambda")
        self.assertEqual(b["apiRequestId"], api)
        self.assertEqual(len(a["timeline"]), 6)
        self.assertEqual(a["timeline"], b["timeline"])
        s = a["summary"]
        self.assertEqual((s["method"], s["path"]), ("GET", "/"))
        self.assertEqual(s["invocations"][0]["requestId"], lid)
        # get: the Lambda lines carry the API request id too.
        r = self.run_apilogs("get", "-g", ACCESS, "-g", FN, "-s", "1h",
                             "-o", "json", "--request-id", api)
        got = [json.loads(x) for x in r.stdout.splitlines()]
        self.assertEqual(len(got), 6)
        self.assertTrue(all(e.get("apiRequestId") == api for e in got))
        r = self.trace(api, ACCESS, FN)
        text = self.run_apilogs("trace", api, "-s", "1h", "-g", ACCESS,
                                "-g", FN).stdout
        self.assertIn("Route       GET /\n", text)

    def test_max_rps(self):
        t = now_ms() - 120000
        api, lid = uid(13), uid(14)
        self.put_events(EXEC, "e6", self.rest(t, api, lid, [], 200))
        groups = ["/aws/lambda/f17-many-%d" % i for i in range(6)]
        for g in groups:
            self.put_events(g, "s", [(t, "unrelated")])
        # FilterLogEvents' budget: --engine auto would find the request
        # with one Logs Insights query over a window of an hour.
        args = ["trace", api, "-s", "1h", "-g", EXEC, "--engine", "filter"]
        for g in groups:
            args += ["-g", g]
        fast = self.run_apilogs(*args)
        slow = self.run_apilogs(*(args + ["--max-rps", "2"]))
        self.assertEqual(fast.rc, 0, fast)
        self.assertEqual(slow.rc, 0, slow)
        self.assertEqual(slow.stdout, fast.stdout)
        # Seven FilterLogEvents calls at 2 a second take 3 s or more.
        self.assertGreater(slow.elapsed, 2.5)
        bad = self.run_apilogs(*(args + ["--max-rps", "0"]))
        self.assertEqual(bad.rc, 2, bad)
        help_ = self.run_apilogs("trace", "--help").stdout
        self.assertIn("--max-rps", help_)

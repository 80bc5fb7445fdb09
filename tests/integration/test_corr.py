# SPDX-License-Identifier: Apache-2.0
"""Request ids in get: tags, the --request-ids column, --request-id."""

import json

from harness import ApilogsTestCase, now_ms

EXEC = "API-Gateway-Execution-Logs_abc123/prod"
LAMBDA = "/aws/lambda/orders"
A = "a1f1e99c-1111-4aaa-8bbb-000000000001"
LA = "57593f79-6e46-4a6f-91b1-f5d848cc2059"
B = "b2a7c310-2222-4aaa-8bbb-000000000002"
LB = "67593f79-6e46-4a6f-91b1-f5d848cc2060"


class TestCorrelation(ApilogsTestCase):
    def seed(self):
        t = now_ms() - 30000
        self.put_events(EXEC, "e1", [
            (t, "(%s) Starting execution for request: %s" % (A, A)),
            (t + 1, "(%s) HTTP Method: GET, Resource Path: /orders" % A),
            (t + 5, "(%s) Starting execution for request: %s" % (B, B)),
            (t + 200, "(%s) Endpoint response headers: {Date=x, "
             "x-amzn-RequestId=%s, Connection=keep-alive}" % (A, LA)),
            (t + 201, "(%s) Method completed with status: 200" % A),
            (t + 900, "(%s) AWS Integration Endpoint RequestId : %s" % (B,
                                                                        LB)),
            (t + 901, "(%s) Method completed with status: 502" % B)])
        self.put_events(LAMBDA, "2026/11/25/[$LATEST]aaa", [
            (t + 10, "START RequestId: %s Version: $LATEST" % LA),
            (t + 20, "plain print line"),
            (t + 30, "2026-11-25T10:00:00.030Z\t%s\tINFO\thandled" % LA),
            (t + 40, "END RequestId: %s" % LA),
            (t + 41, "REPORT RequestId: %s\tDuration: 30.00 ms\tBilled "
             "Duration: 31 ms\tMemory Size: 128 MB\tMax Memory Used: 70 MB"
             % LA)])
        self.put_events(LAMBDA, "2026/11/25/[$LATEST]bbb", [
            (t + 6, "INIT_START Runtime Version: nodejs:20.v1"),
            (t + 7, "loading config"),
            (t + 100, "START RequestId: %s Version: $LATEST" % LB),
            (t + 800, '{"timestamp":"2026-11-25T10:00:00.800Z","level":'
             '"ERROR","requestId":"%s","message":"boom"}' % LB),
            (t + 850, "REPORT RequestId: %s\tDuration: 750.00 ms\tBilled "
             "Duration: 751 ms\tMemory Size: 128 MB\tMax Memory Used: 80 MB"
             "\tInit Duration: 90.1 ms" % LB)])

    def get(self, *args):
        r = self.run_apilogs("get", "-g", EXEC, "-g", LAMBDA, "-s", "2m",
                             *args)
        self.assertEqual(r.rc, 0, r)
        return r

    def test_json_tags(self):
        self.seed()
        evs = [json.loads(x) for x in self.get("-o", "json").stdout
               .splitlines()]
        self.assertEqual(len(evs), 17)
        for e in evs:
            api = A if A in e["message"] or LA in e["message"] or \
                e["message"] in ("plain print line",) else B
            self.assertEqual(e.get("apiRequestId"), api, e)
            if e["logGroupName"] == LAMBDA:
                self.assertEqual(e["lambdaRequestId"],
                                 LA if api == A else LB, e)
        ts = [e["timestamp"] for e in evs]
        self.assertEqual(ts, sorted(ts))

    def test_request_id_filter(self):
        self.seed()
        r = self.get("--request-id", B, "-GS")
        self.assertEqual([x.split(" ")[0] for x in r.stdout.splitlines()], [
            "(%s)" % B, "INIT_START", "loading", "START", '{"timestamp":'
            '"2026-11-25T10:00:00.800Z","level":"ERROR","requestId":"%s",'
            '"message":"boom"}' % LB, "REPORT", "(%s)" % B,
            "(%s)" % B])
        # A Lambda request id selects the same request.
        r2 = self.get("--request-id", LB, "-GS")
        self.assertEqual(r2.stdout, r.stdout)

    def test_request_ids_column(self):
        self.seed()
        lines = self.get("--request-ids", "-G", "-S").stdout.splitlines()
        self.assertEqual(len(lines), 17)
        self.assertTrue(all(x[:9] in ("a1f1e99c ", "b2a7c310 ")
                            for x in lines), lines)
        self.assertTrue(lines[3].startswith("b2a7c310 INIT_START"), lines)

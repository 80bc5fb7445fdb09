# SPDX-License-Identifier: Apache-2.0
"""apilogs stats on Logs Insights (issue 15): on bench/fakecwl.py, whose
Insights runs the `stats` queries apilogs sends (proved with boto3), the
Insights engine gives exactly the numbers of the local count; on moto,
whose Insights has no `stats`, auto counts locally and --engine insights
is an error."""

import json
import signal
import time

from harness import ApilogsTestCase, FakeCwlTestCase, now_ms
from sample_api import SampleApi, Traffic

EXEC = "API-Gateway-Execution-Logs_fakeapi15/prod"


def window():
    """A fixed window around the traffic, so two runs read the same."""
    t = (now_ms() // 60000 - 40) * 60000
    fmt = "%Y-%m-%dT%H:%M:%SZ"
    return ["-s", time.strftime(fmt, time.gmtime(t / 1000)),
            "-e", time.strftime(fmt, time.gmtime(t / 1000 + 1800))]


def traffic():
    """Realistic requests (sample_api's generator) plus access lines with
    a responseLatency, throttles and a JSON-format Lambda line."""
    api = SampleApi(None)
    api.api_id = "fakeapi15"
    tr = Traffic(api, seed=21)
    t = (now_ms() // 60000 - 30) * 60000 + 700
    tr.request(t, "GET", "/orders", "/orders", api.ORDERS, "live",
               cold=True, lines=["a"])
    tr.scenario(t + 1000, step=11000)
    tr.scenario(t + 200000, step=7000)
    for i in range(40):
        tr.add(api.ACCESS, "extra", t + 400000 + i * 1500, json.dumps({
            "requestId": "x%d" % i, "httpMethod": "GET",
            "resourcePath": "/fast" if i % 3 else "/slow",
            "status": "200" if i % 7 else "503",
            "responseLatency": str((i * 37) % 101 + 1),
            "integrationLatency": str((i * 13) % 50)}))
    tr.add(EXEC, "throttle", t + 500000,
           "(t1) Key throttle limit exceeded for RestApi fakeapi15, Stage "
           "prod, Resource k0w8mc, HttpMethod GET. Limit: 1.00 Burst: 1")
    tr.add(EXEC, "throttle", t + 500100,
           "(t2) Lambda invocation failed with status: 429. Lambda request "
           "id: 00000000-aaaa-4bbb-8ccc-000000000000")
    return api, tr.events


class StatsOnFakeCwl(FakeCwlTestCase):
    def setUp(self):
        super().setUp()
        self.api, events = traffic()
        self.groups = sorted({g for g, _ in events})
        for (group, stream), evs in sorted(events.items()):
            self.fake.put_events(group, stream, sorted(evs), ingest_delay=0)
        self.total = sum(len(v) for v in events.values())
        self.window = window()

    def stats(self, engine, *args):
        cmd = ["stats", "-o", "json", "--engine", engine] + self.window
        for g in self.groups:
            cmd += ["-g", g]
        r = self.run_apilogs(*cmd, *args)
        self.assertEqual(r.rc, 0, r)
        return json.loads(r.stdout), r

    def test_boto3_reads_the_stats_answers(self):
        s = (now_ms() - 3600000) // 1000
        e = now_ms() // 1000
        qid = self.logs.start_query(
            logGroupNames=[self.api.ACCESS], startTime=s, endTime=e,
            queryString="filter ispresent(status) | stats count(*) as "
            "requests by bin(60s), status")["queryId"]
        r = self.wait(qid)
        self.assertGreater(len(r["results"]), 2)
        for row in r["results"]:
            self.assertEqual([c["field"] for c in row],
                             ["bin(60s)", "status", "requests"])
            self.assertRegex(row[0]["value"],
                             r"^\d{4}-\d\d-\d\d \d\d:\d\d:00\.000$")
        qid = self.logs.start_query(
            logGroupNames=[g for g in self.groups if "/aws/lambda/" in g],
            startTime=s, endTime=e,
            queryString='filter @type = "REPORT" | stats count(*) as '
            'invocations, count(@initDuration) as cold, pct(@duration, 50) '
            'as d50 by @log')["queryId"]
        r = self.wait(qid)
        self.assertEqual(len(r["results"]), 3)
        self.assertEqual(sum(int(row[2]["value"]) for row in r["results"]),
                         1)
        self.assertTrue(all(row[0]["value"].split(":", 1)[1] in self.groups
                            for row in r["results"]))
        self.assertGreater(r["statistics"]["bytesScanned"], 0)
        with self.assertRaises(self.logs.exceptions.MalformedQueryException):
            self.logs.start_query(logGroupName=self.api.ACCESS, startTime=s,
                                  endTime=e, queryString="stats avg(x)")

    def wait(self, qid):
        for _ in range(200):
            r = self.logs.get_query_results(queryId=qid)
            if r["status"] == "Complete":
                return r
            time.sleep(0.05)
        self.fail("the query did not complete")

    def wait_ingested(self):
        def n():
            r = self.run_apilogs("get", "-s", "1h", "-G", "-S",
                                 "--engine", "filter",
                                 *sum((["-g", g] for g in self.groups), []))
            return len(r.stdout.splitlines())
        for _ in range(100):
            if n() >= self.total:
                return
            time.sleep(0.1)

    def test_same_numbers_as_the_local_count(self):
        self.wait_ingested()
        for by in ([], ["--by", "route"], ["--by", "status"],
                   ["--by", "function"]):
            ins, r = self.stats("insights", "--bin", "2m", "-v", *by)
            self.assertIn("stats queries", r.stderr)
            self.assertRegex(r.stderr, r"[1-9][0-9.]* MB scanned|0\.[0-9]*[1-9]"
                             r"[0-9]* MB scanned")
            loc, _ = self.stats("filter", "--bin", "2m", *by)
            self.assertEqual(ins, loc, by)
        tot = ins["total"]
        self.assertGreater(tot["requests"], 50)
        self.assertGreater(tot["status5xx"], 0)
        self.assertEqual(tot["throttles"], 2)
        self.assertEqual(tot["coldStarts"], 1)
        self.assertEqual(tot["timeouts"], 2)
        self.assertEqual(tot["latencyMs"]["count"], 40)
        self.assertEqual(len(ins["groups"]), 3)

    def test_groups_by_arn(self):
        # Groups given by ARN: the same numbers by function as by name,
        # through both engines (Insights rows name their group
        # "ACCOUNT:NAME"; the Lambda function comes from the ARN's name).
        self.wait_ingested()
        by_name, _ = self.stats("filter", "--by", "function")
        self.assertGreater(by_name["total"]["invocations"], 10)
        self.assertGreater(len(json.dumps(by_name["groups"])), 100)
        self.groups = [self.fake.arn(g) for g in self.groups]
        for engine in ("filter", "insights"):
            doc, _ = self.stats(engine, "--by", "function")
            for k in ("total", "bins", "groups"):
                self.assertEqual(doc[k], by_name[k], (engine, k))

    def test_auto_uses_insights(self):
        self.wait_ingested()
        before = self.fake.stats()["insights"]["started"] \
            if "insights" in self.fake.stats() else None
        doc, r = self.stats("auto", "-v")
        self.assertIn("stats queries", r.stderr)
        self.assertNotIn("counting locally", r.stderr)
        if before is not None:
            self.assertGreater(self.fake.stats()["insights"]["started"],
                               before)
        self.assertGreater(doc["total"]["requests"], 50)

    def test_denied_falls_back_under_auto(self):
        self.wait_ingested()
        self.fake.config(qi_mode="denied")
        loc, _ = self.stats("filter")
        doc, r = self.stats("auto")
        self.assertIn("Logs Insights denied", r.stderr)
        self.assertEqual(doc, loc)
        cmd = ["stats", "-s", "1h", "--engine", "insights"]
        for g in self.groups:
            cmd += ["-g", g]
        r = self.run_apilogs(*cmd)
        self.assertEqual(r.rc, 4, r)
        self.assertEqual(len(r.stderr.strip().splitlines()), 1, r)


class StatsStopOnFakeCwl(FakeCwlTestCase):
    def test_ctrl_c_stops_the_queries(self):
        self.fake.put_events("/acc", "s", [(now_ms() - 60000, json.dumps(
            {"requestId": "r", "status": "200"}))], ingest_delay=0)
        self.fake.config(qi_sched=60)
        p = self.spawn_apilogs("stats", "-g", "/acc", "-s", "1h",
                               "--engine", "insights")
        deadline = time.time() + 30
        while time.time() < deadline and \
                self.fake.stats()["insights"]["started"] < 3:
            time.sleep(0.05)
        self.assertEqual(self.fake.stats()["insights"]["started"], 3)
        p.send_signal(signal.SIGINT)
        out, err = p.communicate(timeout=30)
        self.assertEqual(p.returncode, 0, err)
        self.assertEqual(out, b"")
        st = self.fake.stats()["insights"]
        self.assertEqual(st["stopped"], 3, st)


class StatsInsightsOnMoto(ApilogsTestCase):
    def setUp(self):
        super().setUp()
        self.api, events = traffic()
        for (group, stream), evs in sorted(events.items()):
            self.put_events(group, stream, evs)
        self.groups = sorted({g for g, _ in events})
        self.window = window()

    def run_stats(self, *args):
        cmd = ["stats", "-o", "json"] + self.window
        for g in self.groups:
            cmd += ["-g", g]
        return self.run_apilogs(*cmd, *args)

    def test_moto_has_no_stats(self):
        r = self.run_stats("-v")
        self.assertEqual(r.rc, 0, r)
        self.assertIn("counting locally: Logs Insights cannot", r.stderr)
        loc = self.run_stats("--engine", "filter")
        self.assertEqual(json.loads(r.stdout), json.loads(loc.stdout))
        r = self.run_stats("--engine", "insights")
        self.assertEqual(r.rc, 1, r)
        self.assertEqual(len(r.stderr.strip().splitlines()), 1, r)
        self.assertIn("--engine filter", r.stderr)
        self.assertEqual(r.stdout, "")

# SPDX-License-Identifier: Apache-2.0
"""apilogs stats (issue 15): an API's requests, errors, latencies and
Lambda durations, counted from a seeded API on moto; the expected numbers
are computed here from the very events written, with nearest-rank
percentiles."""

import json
import math
import re

from harness import ApilogsTestCase, now_ms
from sample_api import SampleApi, Traffic

ESC = re.compile(r"\x1b\[[0-9;]*m")


def rank(values, p):
    """Nearest rank: the value at rank ceil(p/100 * n) of the sorted
    values."""
    v = sorted(values)
    return v[max(1, math.ceil(p / 100.0 * len(v) - 1e-9)) - 1]


def pcts(values):
    if not values:
        return None
    return {"count": len(values), "p50": rank(values, 50),
            "p95": rank(values, 95), "p99": rank(values, 99)}


REPORT = re.compile(r"^REPORT RequestId: \S+\tDuration: ([0-9.]+) ms")


class TestStats(ApilogsTestCase):
    def setUp(self):
        super().setUp()
        self.api = SampleApi(self.moto).build()
        self.traffic = Traffic(self.api, seed=15)
        api = self.api
        t = (now_ms() // 60000 - 20) * 60000 + 500
        # Three minutes of traffic: a cold start, errors, a timeout, and
        # extra access lines (a 404, a 429) with a responseLatency.
        self.traffic.request(t, "GET", "/orders", "/orders", api.ORDERS,
                             "live", cold=True, lines=["a"])
        self.traffic.scenario(t + 1000, step=9000)
        self.traffic.scenario(t + 150000, step=4000)
        self.events = {k: list(v) for k, v in self.traffic.events.items()}
        self.traffic.flush(self.logs)
        self.t0 = t

    def run_stats(self, *args, env=None):
        return self.run_apilogs("stats", "-a", self.api.api_id, "-t",
                                "prod", "-s", "1h", *args, env=env)

    def expected(self):
        """Totals and per-minute request counts from the seeded events."""
        acc, durs, cold, timeouts = [], [], 0, 0
        for (group, _), evs in self.events.items():
            for ts, msg in evs:
                if group == self.api.ACCESS:
                    acc.append((ts, json.loads(msg)))
                elif group.startswith("/aws/lambda/"):
                    m = REPORT.match(msg)
                    if m:
                        durs.append(float(m.group(1)))
                        cold += "Init Duration" in msg
                    timeouts += "Task timed out" in msg
        statuses = [int(a["status"]) for _, a in acc]
        ilat = [int(a["integrationLatency"]) for _, a in acc
                if "integrationLatency" in a]
        bins = {}
        for ts, _ in acc:
            bins[ts // 60000 * 60000] = bins.get(ts // 60000 * 60000, 0) + 1
        return {
            "requests": len(acc),
            "status4xx": sum(1 for s in statuses if 400 <= s < 500),
            "status5xx": sum(1 for s in statuses if s >= 500),
            "integrationLatencyMs": pcts(ilat),
            "invocations": len(durs),
            "durationMs": pcts(durs),
            "coldStarts": cold,
            "timeouts": timeouts,
            "bins": bins,
            "routes": [(a["httpMethod"] + " " + a["resourcePath"],
                        int(a["status"])) for _, a in acc],
        }

    def test_json_counts_and_percentiles(self):
        r = self.run_stats("-o", "json", "--bin", "1m")
        self.assertEqual(r.rc, 0, r)
        doc = json.loads(r.stdout)
        exp = self.expected()
        tot = doc["total"]
        self.assertGreater(exp["requests"], 20)
        self.assertGreater(exp["status5xx"], 0)
        for k in ("requests", "status4xx", "status5xx", "invocations",
                  "coldStarts", "timeouts"):
            self.assertEqual(tot[k], exp[k], k)
        self.assertEqual(tot["throttles"], 0)
        self.assertEqual(tot["integrationLatencyMs"],
                         exp["integrationLatencyMs"])
        self.assertEqual(tot["durationMs"], exp["durationMs"])
        self.assertAlmostEqual(
            tot["errorRate"],
            (exp["status4xx"] + exp["status5xx"]) / exp["requests"], 4)
        # The sample's access-log format has no responseLatency.
        self.assertIsNone(tot["latencyMs"])
        self.assertIn("no total latency", r.stderr)
        self.assertIn("$context.responseLatency", r.stderr)
        self.assertEqual(doc["binMs"], 60000)
        self.assertEqual(doc["requestsFrom"], "access")
        self.assertIsNone(doc["groups"])
        got = {b["start"]: b["requests"] for b in doc["bins"]
               if b["requests"]}
        self.assertEqual(got, exp["bins"])
        starts = [b["start"] for b in doc["bins"]]
        self.assertEqual(starts, sorted(starts))
        self.assertTrue(all(s % 60000 == 0 for s in starts))

    def test_by_route_and_status(self):
        exp = self.expected()
        r = self.run_stats("-o", "json", "--by", "route")
        self.assertEqual(r.rc, 0, r)
        doc = json.loads(r.stdout)
        routes = {}
        for route, _ in exp["routes"]:
            routes[route] = routes.get(route, 0) + 1
        self.assertEqual({g["key"]: g["total"]["requests"]
                          for g in doc["groups"]}, routes)
        r = self.run_stats("-o", "json", "--by", "status")
        doc = json.loads(r.stdout)
        statuses = {}
        for _, s in exp["routes"]:
            statuses[str(s)] = statuses.get(str(s), 0) + 1
        self.assertEqual({g["key"]: g["total"]["requests"]
                          for g in doc["groups"]}, statuses)
        r = self.run_stats("-o", "json", "--by", "function")
        doc = json.loads(r.stdout)
        fns = {g["key"]: g["total"]["invocations"] for g in doc["groups"]}
        self.assertEqual(sum(fns.values()), exp["invocations"])
        self.assertIn(self.api.ORDERS, fns)
        self.assertIn(self.api.USERS, fns)

    def test_text_fits_and_has_no_escapes(self):
        r = self.run_stats("--bin", "1m", env={"COLUMNS": "60",
                                                "TERM": "xterm"})
        self.assertEqual(r.rc, 0, r)
        out = r.stdout
        self.assertNotIn("\x1b", out)
        self.assertTrue(out.isascii(), out)
        lines = out.splitlines()
        self.assertTrue(all(len(l) <= 60 for l in lines), out)
        exp = self.expected()
        self.assertRegex(out, r"requests +[ _.=+*#@-]+ total %d\b"
                         % exp["requests"], r)
        total = [l for l in lines if l.strip().startswith("total")]
        self.assertEqual(len(total), 2, r)  # requests and Lambda
        self.assertEqual(total[0].split()[1], str(exp["requests"]), r)
        r = self.run_stats("--by", "route", env={"COLUMNS": "100"})
        self.assertTrue(all(len(l) <= 100 for l in r.stdout.splitlines()),
                        r.stdout)
        self.assertIn("GET /orders ", r.stdout)

    def test_counts_after_insights_clean_up_runs_out_of_time(self):
        """moto answers stats queries with events, so stats stops the
        queries still running and counts locally; moto answers StopQuery
        with a 500, and with 8 attempts its retries outlast the 3 s given
        to the clean-up. The local count must still read every event (it
        once read none when the retries ran long, and printed a total of
        0 with no Lambda table)."""
        r = self.run_stats("-o", "json", "--bin", "1m", "-vv",
                           env={"AWS_MAX_ATTEMPTS": "8"})
        self.assertEqual(r.rc, 0, r)
        self.assertIn("StopQuery: HTTP 500; retry 2/8", r.stderr)
        self.assertIn("counting locally", r.stderr)
        exp = self.expected()
        tot = json.loads(r.stdout)["total"]
        for k in ("requests", "status5xx", "invocations", "timeouts"):
            self.assertEqual(tot[k], exp[k], (k, r))

    def test_terminal_gets_blocks_and_colour(self):
        r = self.run_apilogs_on_pty(
            "stats", "-a", self.api.api_id, "-t", "prod", "-s", "1h",
            "--no-progress", env={"COLUMNS": "72", "TERM": "xterm"},
            timeout=60)
        self.assertEqual(r.rc, 0)
        out = r.out.decode("utf-8")
        self.assertIn("\x1b[31m", out)  # 5xx in red
        self.assertTrue(any(c in out for c in "\u2581\u2584\u2588"), out)
        for line in out.replace("\r\n", "\n").split("\n"):
            self.assertLessEqual(len(ESC.sub("", line)), 72, line)

    def test_bad_bin_and_by(self):
        for args, word in ((["--bin", "1x"], "--bin"),
                           (["--bin", "0s"], "--bin"),
                           (["--bin", "2d"], "--bin"),
                           (["--by", "colour"], "--by"),
                           (["--bin", "1s", "-s", "1w"], "--bin")):
            r = self.run_stats(*args)
            self.assertEqual(r.rc, 2, (args, r))
            self.assertEqual(len(r.stderr.strip().splitlines()), 1, r)
            self.assertIn(word, r.stderr)
            self.assertEqual(r.stdout, "")
        r = self.run_apilogs("stats")
        self.assertEqual(r.rc, 2, r)
        self.assertIn("stats needs", r.stderr)


EXEC = "API-Gateway-Execution-Logs_st15exec/prod"
FN = "/aws/lambda/st15-fn"


class TestStatsExecutionOnly(ApilogsTestCase):
    """Without an access log: requests from the execution log's status
    lines, integration latency from its "Received response" lines,
    throttles from its throttle lines; exact values."""

    def test_exact(self):
        t = (now_ms() // 60000 - 10) * 60000
        ex, lam = [], []
        lat = [12, 40, 7, 300, 55, 18, 90, 21, 33, 64]
        status = [200, 200, 404, 502, 200, 200, 429, 200, 500, 200]
        for i in range(10):
            rid = "%08x-aaaa-4bbb-8ccc-%012x" % (i, i)
            ex += [(t + i * 7000, "(%s) Starting execution for request: %s"
                    % (rid, rid)),
                   (t + i * 7000 + 1, "(%s) Received response. Status: 200, "
                    "Integration latency: %d ms" % (rid, lat[i])),
                   (t + i * 7000 + 2, "(%s) Method completed with status: %d"
                    % (rid, status[i]))]
            lam.append((t + i * 7000 + 1, "REPORT RequestId: %s\tDuration: "
                        "%d.50 ms\tBilled Duration: %d ms\tMemory Size: 128 "
                        "MB\tMax Memory Used: 60 MB%s" % (
                            rid, lat[i], lat[i] + 1,
                            "\tInit Duration: 99.00 ms" if i == 0 else "")))
        ex.append((t + 70000, "(x) Key throttle limit exceeded for RestApi "
                   "st15exec, Stage prod, Resource k0w8mc, HttpMethod GET. "
                   "Limit: 1.00 Burst: 1"))
        ex.append((t + 70001, "(y) Lambda invocation failed with status: "
                   "429. Lambda request id: 00000000-aaaa-4bbb-8ccc-"
                   "000000000000"))
        self.put_events(EXEC, "s", ex)
        self.put_events(FN, "2026/01/01/[$LATEST]abc", lam)
        r = self.run_apilogs("stats", "-g", EXEC, "-g", FN, "-s", "1h",
                             "-o", "json", "--bin", "30s")
        self.assertEqual(r.rc, 0, r)
        tot = json.loads(r.stdout)["total"]
        self.assertEqual(tot["requests"], 10)
        self.assertEqual(tot["status4xx"], 2)
        self.assertEqual(tot["status5xx"], 2)
        self.assertEqual(tot["errorRate"], 0.4)
        self.assertEqual(tot["throttles"], 2)
        self.assertEqual(tot["integrationLatencyMs"],
                         {"count": 10, "p50": 33, "p95": 300, "p99": 300})
        self.assertEqual(tot["durationMs"],
                         {"count": 10, "p50": 33.5, "p95": 300.5,
                          "p99": 300.5})
        self.assertEqual(tot["invocations"], 10)
        self.assertEqual(tot["coldStarts"], 1)
        self.assertIsNone(tot["latencyMs"])
        self.assertIn("no access log", r.stderr)

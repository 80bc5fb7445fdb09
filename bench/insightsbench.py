#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Logs Insights against FilterLogEvents (issue 15), on bench/fakecwl.py.

(a) big read: G groups x N events (--streams S a group) over an hour,
    150 ms latency on every response, every quota a token bucket:
    FilterLogEvents 5/s (burst 5), GetLogEvents 10/s, DescribeLogStreams
    25/s, StartQuery and GetQueryResults 5/s each; Insights at fakecwl's
    model (at most 30 queries Scheduled or Running, Scheduled 0.2 s,
    Running bytes / 100 MB/s, 10 000-row cap). `apilogs get` (auto, the
    default), `--engine filter` with `--stream-reads 0` and with the
    default, `--engine insights`, and AWS CLI v2 `aws logs tail` reading
    the groups one after another, in one run: wall time, the ratio to
    `aws logs tail`, lines, whether the lines are in time order and
    printed once (every apilogs run prints the same bytes), requests by
    operation, peak RSS.
(b) trace over 24 h of G groups of N events each (an execution log, four
    Lambda groups and plain groups, the request's own lines written into
    them 3 h ago): `apilogs trace --engine filter` against `--engine
    insights`: requests and wall time. FilterLogEvents with a filter
    pattern scans at most --fle-scan-bytes (1 MiB) of the window per call;
    the same trace is also run with the scan unbounded (a filtered page
    holds every match of the window: the fastest FilterLogEvents could be).

    python3 bench/insightsbench.py BIN [--groups 10] [--events 100000]
        [--trace-events 100000] [--only a,b] [--runs 1] [--streams 10]

Prints markdown on stdout (a section of bench/results.md).
"""

import argparse
import hashlib
import json
import os
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "tests", "integration"))

from benchlib import (Env, Fake, Launcher, Result, Tools,  # noqa: E402
                      set_launcher, log)
import benchlib  # noqa: E402

LAT = 0.15
TPS = 5
MIB = 1024.0


def run_checked(cmd, env, tcol):
    """Run cmd under the launcher, its stdout through a pipe: lines, a
    digest of the bytes, and the lines whose timestamp (field tcol, ISO)
    is older than the previous line's."""
    import subprocess
    r = Result()
    h = hashlib.sha256()
    err = tempfile.TemporaryFile()
    p = subprocess.Popen(benchlib.LAUNCHER.argv(cmd), env=env,
                         stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                         stderr=err)
    back, last, rest = 0, "", b""
    while True:
        b = p.stdout.read1(1 << 20) if hasattr(p.stdout, "read1") else \
            p.stdout.read(1 << 20)
        if not b:
            break
        h.update(b)
        buf = rest + b
        lines = buf.split(b"\n")
        rest = lines.pop()
        r.nlines += len(lines)
        for ln in lines:
            f = ln.split(b" ", tcol + 1)
            if len(f) <= tcol:
                continue
            ts = f[tcol][:23].decode(errors="replace")
            if ts < last:
                back += 1
            last = ts
    p.stdout.close()
    p.wait()
    if not benchlib.Launcher.read(benchlib.LAUNCHER.out, r):
        r.rc = p.returncode
    err.seek(0)
    r.err = err.read().decode(errors="replace")
    err.close()
    r.digest = h.hexdigest()[:12]
    r.back = back
    return r


def counts(fake):
    st = fake.stats()
    c = dict(st["counts"])
    c["_throttled"] = st["throttled"] + st["insights"].get("throttled", 0)
    return c


def req_text(c):
    ops = [("FilterLogEvents", "FLE"), ("GetLogEvents", "GetLogEvents"),
           ("DescribeLogStreams", "DescribeLogStreams"),
           ("StartQuery", "StartQuery"),
           ("GetQueryResults", "GetQueryResults"),
           ("DescribeLogGroups", "DescribeLogGroups"),
           ("StopQuery", "StopQuery")]
    parts = ["%s %d" % (short, c[op]) for op, short in ops if c.get(op)]
    if c.get("_throttled"):
        parts.append("throttled %d" % c["_throttled"])
    return ", ".join(parts) or "0"


def total(c):
    return sum(v for k, v in c.items() if not k.startswith("_"))


def sec_a(o, tools, env0):
    g, n = o.groups, o.events
    # Every quota modelled: FilterLogEvents 5/s, GetLogEvents 10/s,
    # DescribeLogStreams 25/s (aws-facts.md 3.1), at most 30 Insights
    # queries at once, StartQuery and GetQueryResults 5/s each (assumed:
    # their rates are not in aws-facts.md; 5/s is what apilogs paces at).
    f = Fake("--groups", g, "--events", n, "--latency", LAT, "--tps", TPS,
             "--burst", TPS, "--get-tps", 10, "--describe-tps", 25,
             "--qi-start-tps", 5, "--qi-results-tps", 5,
             "--streams", o.streams)
    env = env0.for_url(f.url)
    groups = ["/bench/api-%d" % i for i in range(g)]
    now = int(time.time() * 1000)
    start, end = now - 3 * 3600000, now
    rows = []
    base = [tools.apilogs, "get"] + sum((["-g", x] for x in groups), []) + \
        ["-s", str(start), "-e", str(end), "--no-progress", "--timestamp"]
    clients = [
        ("apilogs get (auto: the default)", [base + ["-v"]], 2),
        ("apilogs get --engine filter --stream-reads 0",
         [base + ["--engine", "filter", "--stream-reads", "0", "-v"]], 2),
        ("apilogs get --engine filter (--stream-reads: the default)",
         [base + ["--engine", "filter", "-v"]], 2),
        ("apilogs get --engine insights", [base + ["--engine", "insights",
                                                   "-v"]], 2),
    ]
    if tools.v2:
        clients.append(("aws logs tail (v2), %d groups in a row" % g,
                        tools.v2_cmds(groups, start, f.url), 0))
    res = {}
    for run in range(o.runs):
        for name, cmds, tcol in clients:
            time.sleep(1.2)
            f.reset()
            parts = [run_checked(c, env, tcol) for c in cmds]
            c = counts(f)
            r = Result()
            r.wall = sum(p.wall for p in parts)
            r.cpu_s = sum(p.cpu for p in parts)
            r.rss = max(p.rss_kib for p in parts) / MIB
            r.nlines = sum(p.nlines for p in parts)
            r.back = sum(p.back for p in parts)
            r.rc = max(p.rc for p in parts)
            r.digest = parts[0].digest if len(parts) == 1 else "-"
            r.req = c
            r.err = parts[-1].err
            res.setdefault(name, []).append(r)
            log("(a) %s: %.1f s, %d lines, rc %d" % (name, r.wall, r.nlines,
                                                      r.rc))
            if r.rc:
                log(r.err[-500:])
    f.stop()
    ins = res["apilogs get --engine insights"]
    ours = [rs for name, rs in res.items() if name.startswith("apilogs")]
    same = all(len(set(rs[i].digest for rs in ours)) == 1
               for i in range(o.runs))
    tail = [r for name, rs in res.items() if name.startswith("aws")
            for r in rs]
    for name, rs in res.items():
        for i, r in enumerate(rs):
            ratio = ("%.2f×" % (tail[i].wall / r.wall)) if tail else "-"
            rows.append("| %s%s | %.1f s | %s | %.1f s | %d | %s | %s | "
                        "%.1f MiB | %s |" % (
                            name, "" if o.runs == 1 else " (run %d)" % (i + 1),
                            r.wall, ratio, r.cpu_s, r.nlines,
                            ("%d steps back" % r.back if r.back else "yes")
                            + (" within each group" if len(rs) and
                               name.startswith("aws") else ""),
                            req_text(r.req), r.rss, r.rc))
    scanned = [ln for ln in ins[-1].err.splitlines() if "Logs Insights:" in ln]
    auto = res["apilogs get (auto: the default)"][-1].err.splitlines()
    scanned += [ln for ln in auto if "auto chooses" in ln or
                "moved to GetLogEvents" in ln or "GetLogEvents" in ln][:3]
    return rows, same, res, scanned


def trace_seed(f, now):
    """The request's lines, 3 h ago, and the group names (exec first)."""
    from sample_api import SampleApi, Traffic

    class FakeApi(SampleApi):
        def __init__(self):
            super().__init__(None)
            self.api_id = "fk1a2b3c4d"
            self.authorizer_id = "au1234"

    api = FakeApi()
    tr = Traffic(api, seed=5)
    req = tr.request(now - 3 * 3600000, "GET", "/orders", "/orders",
                     api.ORDERS, "live", lines=["listing orders", "found 3"],
                     cold=True)
    for (g, s), evs in sorted(tr.events.items()):
        f.control("/_events", {"group": g, "stream": s, "events":
                               [[t, m] for t, m in sorted(evs)],
                               "ingest_delay": 0})
    return req, sorted({g for g, _ in tr.events})


def sec_b(o, tools, env0):
    g, n = o.groups, o.trace_events
    now = int(time.time() * 1000)
    base = (now - 24 * 3600000) // 60000 * 60000
    names = ["API-Gateway-Execution-Logs_fk1a2b3c4d/prod",
             "/apilogs-sample/shop/access", "/aws/lambda/shop-orders",
             "/aws/lambda/shop-users", "/aws/lambda/shop-authorizer"]
    extra = sum((["--group", "%s:%d" % (x, n)] for x in names), [])
    f = Fake("--groups", max(0, g - len(names)), "--events", n,
             "--base-ms", base, "--window", 86400 - 120, "--latency", LAT,
             "--tps", TPS, "--burst", TPS, "--fle-scan-bytes", 1 << 20,
             *extra)
    env = env0.for_url(f.url)
    req, _ = trace_seed(f, now)
    groups = names + ["/bench/api-%d" % i for i in range(g - len(names))]
    time.sleep(0.5)
    cmd = [tools.apilogs, "trace", req.apigw_id, "-s", "24h", "-o", "json"]
    for x in groups:
        cmd += ["-g", x]
    out = []
    res = {}
    for run in range(o.runs):
        for name, eng, scan in (("FilterLogEvents only", "filter", 1 << 20),
                                ("Logs Insights, then the span",
                                 "insights", 1 << 20),
                                ("FilterLogEvents only, scan unbounded",
                                 "filter", 0)):
            f.control("/_config", {"fle_scan_bytes": scan})
            time.sleep(1.2)
            f.reset()
            r = run_checked(cmd + ["--engine", eng, "-v"], env, 99)
            r.req = counts(f)
            res.setdefault(name, []).append(r)
            log("(b) %s: %.1f s, %d requests, rc %d" % (
                name, r.wall, total(r.req), r.rc))
            if r.rc:
                log(r.err[-500:])
    f.stop()
    for name, rs in res.items():
        for i, r in enumerate(rs):
            out.append("| %s%s | %.1f s | %d (%s) | %.1f MiB | %s | %s |" % (
                name, "" if o.runs == 1 else " (run %d)" % (i + 1), r.wall,
                total(r.req), req_text(r.req), r.rss_kib / MIB, r.digest,
                r.rc))
    return out, res, len(groups)


def main(argv):
    p = argparse.ArgumentParser()
    p.add_argument("apilogs")
    p.add_argument("--groups", type=int, default=10)
    p.add_argument("--events", type=int, default=100000)
    p.add_argument("--trace-events", type=int, default=100000)
    p.add_argument("--runs", type=int, default=1)
    p.add_argument("--only", default="a,b")
    p.add_argument("--streams", type=int, default=10,
                   help="streams per group in (a) (default 10)")
    o = p.parse_args(argv)
    work = tempfile.mkdtemp(prefix="apilogs-qibench-")
    set_launcher(Launcher(work))
    tools = Tools(o.apilogs)
    env0 = Env(work)
    t0 = time.time()
    md = []
    if "a" in o.only:
        rows, same, res, scanned = sec_a(o, tools, env0)
        md += ["(a) %d groups × %d events over 1 h, %d streams a group "
               "(%d lines expected)"
               % (o.groups, o.events, o.streams, o.groups * o.events),
               "", "| client | wall | `aws logs tail` ÷ this | CPU | lines "
               "| in time order | requests | peak RSS | exit |",
               "|---|---|---|---|---|---|---|---|---|"] + rows + [
            "", "Every apilogs run printed the same bytes: %s."
            % ("yes" if same else "NO"), ""] + \
            ["apilogs -v: " + s.split("apilogs: ", 1)[-1] for s in scanned]
        md.append("")
    if "b" in o.only:
        rows, res, ng = sec_b(o, tools, env0)
        md += ["(b) trace over 24 h of %d groups × %d events" % (
            ng, o.trace_events), "",
            "| search | wall | requests | peak RSS | stdout digest | exit |",
            "|---|---|---|---|---|---|"] + rows + [""]
        fl = res["FilterLogEvents only"][0]
        qi = res["Logs Insights, then the span"][0]
        md.append("Ratios (FilterLogEvents ÷ Insights): requests %.1f×, "
                  "wall %.1f×; same output: %s." % (
                      total(fl.req) / max(1, total(qi.req)),
                      fl.wall / qi.wall,
                      "yes" if fl.digest == qi.digest else "NO"))
        md.append("")
    md.append("Ran %s UTC in %.0f s; load average at the end %s." % (
        time.strftime("%Y-%m-%d %H:%M", time.gmtime(t0)), time.time() - t0,
        " ".join(open("/proc/loadavg").read().split()[:3])))
    print("\n".join(md))


if __name__ == "__main__":
    main(sys.argv[1:])

# SPDX-License-Identifier: Apache-2.0
"""`apilogs stats` over 1M access-log events on fakecwl (issue 15): the
Insights engine (stats queries; only aggregates come back) against the
local count (every event through FilterLogEvents at the account quota).
Prints a Markdown section and, with --out FILE, puts it into FILE in
place of its "## `stats`" section (appended when there is none).

    python3 bench/statsbench.py build/apilogs [--events 1000000]
        [--out bench/results.md]
"""

import argparse
import json
import os
import subprocess
import sys
import time

from benchlib import Fake, put_section

GROUP = "/bench/access"
NOTE = ("fakecwl evaluates a query in Python, in its one thread, when StartQuery arrives (about 10 s for each of the 3 queries over 1M events here) and then models the service's scan at 100 MB/s per query, so the Insights wall time is mostly the fake's own work; what carries over to AWS is the traffic: 3 queries and a few polls returning only aggregates, against 383 FilterLogEvents pages (400 MB) at the account quota of 5 a second. Insights bills the bytes it scans (each query scans the window again).")


def start_fake(args):
    return Fake("--groups", 0, "--group", "%s:%d" % (GROUP, args.events),
                "--msg-format", "access", "--window", 3600, "--latency",
                args.latency, "--tps", 5)


def run(args, fake, engine):
    env = dict(os.environ, AWS_ENDPOINT_URL=fake.url, AWS_ACCESS_KEY_ID="x",
               AWS_SECRET_ACCESS_KEY="y", AWS_REGION="us-east-1")
    fake.control("/_reset", {})
    t0 = time.time()
    p = subprocess.run([args.apilogs, "stats", "-g", GROUP] + args.window +
                       ["--bin", "5m", "-o", "json", "--engine", engine,
                        "-v", "--no-progress"], env=env,
                       capture_output=True, text=True)
    wall = time.time() - t0
    if p.returncode != 0:
        sys.exit("apilogs stats --engine %s failed: %s" % (engine, p.stderr))
    st = fake.stats()
    doc = json.loads(p.stdout)
    return {"wall": wall, "doc": doc, "stats": st, "stderr": p.stderr}


def main(argv):
    ap = argparse.ArgumentParser()
    ap.add_argument("apilogs")
    ap.add_argument("--events", type=int, default=1000000)
    ap.add_argument("--latency", type=float, default=0.15)
    ap.add_argument("--out")
    args = ap.parse_args(argv)
    now = int(time.time())
    fmt = "%Y-%m-%dT%H:%M:%SZ"
    args.window = ["-s", time.strftime(fmt, time.gmtime(now - 10800)),
                   "-e", time.strftime(fmt, time.gmtime(now))]
    fake = start_fake(args)
    try:
        ins = run(args, fake, "insights")
        loc = run(args, fake, "filter")
    finally:
        fake.stop()
    same = ins["doc"] == loc["doc"]
    qi = ins["stats"]["insights"]
    fle = loc["stats"]["counts"].get("FilterLogEvents", 0)
    tot = ins["doc"]["total"]
    lines = [
        "## `stats`",
        "",
        "`apilogs stats -g %s -s T-3h -e T --bin 5m -o json` over %d API Gateway "
        "access-log events (one hour, JSON lines as the sample API writes "
        "them), fakecwl with %.0f ms latency and 5 FilterLogEvents/s; "
        "written by `python3 bench/statsbench.py`, one run each on %s."
        % (GROUP, args.events, args.latency * 1000,
           time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())),
        "",
        "| engine | wall time | requests | bytes scanned / read |",
        "|---|---|---|---|",
        "| `--engine insights` (stats queries) | %.1f s | %d StartQuery, "
        "GetQueryResults polls | %.1f MB scanned by the service |"
        % (ins["wall"], qi["started"], qi["bytes_scanned"] / 1e6),
        "| `--engine filter` (local count) | %.1f s | %d FilterLogEvents | "
        "%.1f MB read by apilogs |"
        % (loc["wall"], fle, loc["stats"]["fle_bytes"] / 1e6
           if isinstance(loc["stats"].get("fle_bytes"), (int, float))
           else 0),
        "",
        "Same document from both engines: %s (requests %d, 5xx %d, "
        "latency p50/p95/p99 %s/%s/%s ms)."
        % ("yes" if same else "**no**", tot["requests"], tot["status5xx"],
           tot["latencyMs"]["p50"], tot["latencyMs"]["p95"],
           tot["latencyMs"]["p99"]),
        "",
        NOTE,
        "",
    ]
    text = "\n".join(lines)
    print(text)
    if args.out:
        put_section(args.out, "## `stats`", text)
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

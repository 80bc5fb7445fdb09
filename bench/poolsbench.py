# SPDX-License-Identifier: Apache-2.0
"""A history read through one quota pool or two (issue 15): `apilogs get`
over G groups x E events on fakecwl with 150 ms latency and every quota
modelled (FilterLogEvents 5/s, GetLogEvents 10/s, DescribeLogStreams
25/s, each a token bucket answering ThrottlingException), with
`--stream-reads 0` (FilterLogEvents only) and with the second pool.
Checks that both print the same bytes (every event once, in order).
Prints a Markdown section and, with --out FILE, puts it into FILE in
place of its "## Two quota pools" section (appended when there is none).

    python3 bench/poolsbench.py build/apilogs [--groups 10]
        [--events 100000] [--streams 4 10] [--out bench/results.md]
"""

import argparse
import hashlib
import os
import subprocess
import sys
import time

from benchlib import Fake, put_section

TITLE = "## Two quota pools: GetLogEvents beside FilterLogEvents"


def start_fake(args, streams):
    return Fake("--groups", args.groups, "--events", args.events,
                "--streams", streams, "--latency", args.latency, "--tps", 5,
                "--get-tps", 10, "--describe-tps", 25, "--base-ms", args.base)


def run(args, fake, extra):
    url = fake.url
    env = dict(os.environ, AWS_ENDPOINT_URL=url, AWS_ACCESS_KEY_ID="x",
               AWS_SECRET_ACCESS_KEY="y", AWS_REGION="us-east-1")
    fake.control("/_reset", {})
    cmd = [args.apilogs, "get"]
    for i in range(args.groups):
        cmd += ["-g", "/bench/api-%d" % i]
    cmd += args.window + ["--no-progress", "-v"] + extra
    t0 = time.time()
    p = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, stdin=subprocess.DEVNULL)
    h = hashlib.sha256()
    lines = 0
    while True:
        b = p.stdout.read(1 << 20)
        if not b:
            break
        h.update(b)
        lines += b.count(b"\n")
    err = p.stderr.read().decode(errors="replace")
    _, status, ru = os.wait4(p.pid, 0)
    wall = time.time() - t0
    p.returncode = os.waitstatus_to_exitcode(status)
    if p.returncode != 0:
        sys.exit("apilogs failed (%d): %s" % (p.returncode, err))
    st = fake.stats()
    return {"wall": wall, "sha": h.hexdigest(), "lines": lines,
            "rss": ru.ru_maxrss / 1024.0, "counts": st["counts"],
            "throttled": st["throttled"], "err": err}


def row(label, r):
    c = r["counts"]
    return "| %s | %.1f s | %d | %d | %d | %d | %.1f MiB |" % (
        label, r["wall"], c.get("FilterLogEvents", 0),
        c.get("GetLogEvents", 0), c.get("DescribeLogStreams", 0),
        r["throttled"], r["rss"])


def main(argv):
    ap = argparse.ArgumentParser()
    ap.add_argument("apilogs")
    ap.add_argument("--groups", type=int, default=10)
    ap.add_argument("--events", type=int, default=100000)
    ap.add_argument("--streams", type=int, nargs="+", default=[4, 10])
    ap.add_argument("--latency", type=float, default=0.15)
    ap.add_argument("--out")
    args = ap.parse_args(argv)
    now = int(time.time()) // 60 * 60
    args.base = (now - 7200) * 1000
    fmt = "%Y-%m-%dT%H:%M:%SZ"
    args.window = ["-s", time.strftime(fmt, time.gmtime(now - 10800)),
                   "-e", time.strftime(fmt, time.gmtime(now))]
    lines = [
        TITLE, "",
        "`apilogs get` over %d groups x %d events (one hour), fakecwl with "
        "%.0f ms latency and every quota modelled as a token bucket: "
        "FilterLogEvents 5/s, GetLogEvents 10/s, DescribeLogStreams 25/s. "
        "FilterLogEvents only (`--stream-reads 0`) against the default "
        "read, which lists the streams of each group whose first page shows "
        "a long read and moves about two groups in three to GetLogEvents, "
        "stream by stream (`--stream-reads 10` where the groups have 10 "
        "streams, above the default of 8). Written by "
        "`python3 bench/poolsbench.py`, one run each on %s."
        % (args.groups, args.events, args.latency * 1000,
           time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())), "",
        "| streams per group | read | wall | FilterLogEvents | GetLogEvents "
        "| DescribeLogStreams | throttled | peak RSS |",
        "|---|---|---|---|---|---|---|---|"]
    ok = True
    notes = []
    for s in args.streams:
        fake = start_fake(args, s)
        try:
            one = run(args, fake, ["--stream-reads", "0"])
            two = run(args, fake, ["--stream-reads", str(max(8, s))])
        finally:
            fake.stop()
        same = one["sha"] == two["sha"] and one["lines"] == two["lines"] \
            == args.groups * args.events
        ok = ok and same
        lines.append(row("%d | FilterLogEvents only" % s, one))
        lines.append(row("%d | both pools" % s, two))
        notes.append("%d streams: %.2fx faster with both pools; same bytes "
                     "(%d lines): %s." % (s, one["wall"] / two["wall"],
                                          two["lines"],
                                          "yes" if same else "**no**"))
    lines += [""] + notes + [""]
    text = "\n".join(lines)
    print(text)
    if args.out:
        put_section(args.out, TITLE, text)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

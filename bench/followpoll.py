#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Follow by polling at scale (issue 14): 40 groups of which 3 are active.

Starts fakecwl with 37 quiet groups (no recent events) and the 5 requests/s
FilterLogEvents quota, writes live events into 3 more groups, runs
`apilogs get -g ... --watch -o json` on a pipe, and reports for the events
written during the measured window: write-to-print latency (p50, p95,
max), lines printed out of time order (a timestamp older than one printed
before it; how many of them carry "late": true), events never printed or
printed twice, and FilterLogEvents per second (mean over the follower's
life, history read included, and the most in any one-second window while
following, from the server's log), and the requests the quota refused.

    python3 bench/followpoll.py BIN [BIN...] [--seconds 40] [--rate 1.0]

Prints one markdown table row per binary. Latency is from the write (the
event's timestamp and ingestion time: fakecwl runs with --ingest-delay 0)
to the moment the harness reads the line.
"""

import argparse
import json
import os
import select
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
NQUIET = 37
NLIVE = 3
WARM = 15.0   # history read and the first round of 40 polls (8 s)
DRAIN = 8.0


def ctl(url, path, body=None):
    req = urllib.request.Request(url + path, method="POST" if body is not
                                 None else "GET",
                                 data=json.dumps(body).encode()
                                 if body is not None else None)
    with urllib.request.urlopen(req, timeout=10) as r:
        return json.loads(r.read() or b"null")


def pct(xs, p):
    if not xs:
        return None
    xs = sorted(xs)
    k = min(len(xs) - 1, max(0, int(round(p / 100.0 * (len(xs) - 1)))))
    return xs[k]


def run_one(binary, seconds, rate, latency):
    fake = subprocess.Popen(
        [sys.executable, os.path.join(HERE, "fakecwl.py"), "--groups",
         str(NQUIET), "--events", "0", "--prefix", "/bench/quiet-",
         "--tps", "5", "--latency", str(latency),
         # Write to print, as measured before fakecwl had an ingestion
         # delay (bench/followscale.py measures from ingestionTime).
         "--ingest-delay", "0", "--ingest-jitter", "0"],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    try:
        line = fake.stdout.readline().decode()
        assert line.startswith("READY "), line
        url = "http://127.0.0.1:%d" % int(line.split()[1])
        live = ["/bench/live-%d" % i for i in range(NLIVE)]
        for i, g in enumerate(live):
            ctl(url, "/_live", {"group": g, "rate": rate, "seed": 7 + i})
        groups = ["/bench/quiet-%d" % i for i in range(NQUIET)] + live
        home = tempfile.mkdtemp(prefix="followpoll-")
        env = dict(os.environ, HOME=home, AWS_ACCESS_KEY_ID="AKIDPOLL",
                   AWS_SECRET_ACCESS_KEY="x", AWS_REGION="us-east-1",
                   AWS_ENDPOINT_URL=url, AWS_EC2_METADATA_DISABLED="true",
                   AWS_CONFIG_FILE=os.path.join(home, "c"),
                   AWS_SHARED_CREDENTIALS_FILE=os.path.join(home, "k"))
        ctl(url, "/_reset", {})
        t_start = time.time()
        # Polling is what is measured: since Live Tail, auto mode would
        # follow fakecwl through it.
        mode = ["--follow-mode", "poll"] if b"--follow-mode" in \
            subprocess.run([binary, "get", "--help"], capture_output=True,
                           env=env).stdout else []
        p = subprocess.Popen([binary, "get"] + sum((["-g", g] for g in
                                                    groups), []) +
                             ["--watch", "-s", "1m", "-o", "json"] + mode,
                             env=env, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, start_new_session=True)
        os.set_blocking(p.stdout.fileno(), False)
        seen, dups, order = {}, 0, []
        partial = b""
        t_meas0 = t_start + WARM
        t_meas1 = t_meas0 + seconds
        t_stop = t_meas1 + DRAIN
        while time.time() < t_stop:
            r, _, _ = select.select([p.stdout], [], [], 0.2)
            now = time.time()
            if not r:
                continue
            data = p.stdout.read(65536) or b""
            if not data:
                if p.poll() is not None:
                    break
                continue
            lines = (partial + data).split(b"\n")
            partial = lines.pop()
            for ln in lines:
                ev = json.loads(ln)
                msg = ev["message"]
                i = msg.find("live-")
                if i < 0:
                    continue
                gi, seq = msg[i + 5:].split('"')[0].split("-")[:2]
                k = (int(gi), int(seq))
                if k in seen:
                    dups += 1
                    continue
                seen[k] = now
                order.append((ev["timestamp"], bool(ev.get("late"))))
        wlog = ctl(url, "/_live/log")
        st = ctl(url, "/_stats")
        life = time.time() - t_start
        p.send_signal(signal.SIGINT)
        try:
            p.communicate(timeout=5)
        except subprocess.TimeoutExpired:
            p.kill()
            p.communicate()
    finally:
        fake.send_signal(signal.SIGINT)
        try:
            fake.wait(timeout=5)
        except subprocess.TimeoutExpired:
            fake.kill()
    gidx = {}
    lat, missed = [], 0
    for gname, gi, seq, wt, _ in wlog:
        if t_meas0 <= wt < t_meas1:
            t = seen.get((gi, seq))
            if t is None:
                missed += 1
            else:
                lat.append(t - wt)
        gidx[gname] = gi
    ooo = ooo_late = 0
    top = None
    for ts, late in order:
        if top is not None and ts < top:
            ooo += 1
            ooo_late += late
        top = ts if top is None or ts > top else top
    fle = st["counts"].get("FilterLogEvents", 0)
    # The most in one second while following (the history read before it
    # may use the bucket's burst).
    times = sorted(x for x in st.get("fle_times", []) if x >= t_meas0)
    peak, j = 0, 0
    for i in range(len(times)):
        while times[i] - times[j] >= 1.0:
            j += 1
        peak = max(peak, i - j + 1)
    return {"n": len(lat), "missed": missed, "dups": dups,
            "p50": pct(lat, 50), "p95": pct(lat, 95),
            "max": max(lat) if lat else None, "ooo": ooo,
            "ooo_late": ooo_late, "rps": fle / life, "peak": peak,
            "throttled": st.get("throttled", 0)}


def fmt(x, unit="", nd=2):
    return "—" if x is None else ("%.*f%s" % (nd, x, unit))


def main(argv):
    ap = argparse.ArgumentParser()
    ap.add_argument("binaries", nargs="+")
    ap.add_argument("--seconds", type=float, default=40.0)
    ap.add_argument("--rate", type=float, default=1.0,
                    help="events/s written into each active group")
    ap.add_argument("--latency", type=float, default=0.05)
    ap.add_argument("--label", action="append", default=[])
    a = ap.parse_args(argv)
    print("| build | events | p50 | p95 | max | out of order (late) | "
          "missed | duplicated | FilterLogEvents/s (peak in 1 s) | "
          "throttled |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for i, b in enumerate(a.binaries):
        r = run_one(b, a.seconds, a.rate, a.latency)
        label = a.label[i] if i < len(a.label) else b
        print("| %s | %d | %s | %s | %s | %d (%d) | %d | %d | %s (%d) | %d |"
              % (label, r["n"], fmt(r["p50"], " s"), fmt(r["p95"], " s"),
                 fmt(r["max"], " s"), r["ooo"], r["ooo_late"], r["missed"],
                 r["dups"], fmt(r["rps"]), r["peak"], r["throttled"]),
              flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

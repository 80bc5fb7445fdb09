# SPDX-License-Identifier: Apache-2.0
"""Section 8: follow at scale (issue 14).  Latency from an event's
ingestionTime (the moment the service can first deliver it) to its line on
stdout, with N = 1, 3, 10, 20, 40 followed groups under a 5 TPS
FilterLogEvents quota, for apilogs (by --follow-mode when the build has
it), `aws logs tail --follow` (one process per group) and
`aws logs start-live-tail` (one process per 10 groups), one follower at a
time so that each has the account's quota to itself."""

import os
import subprocess
import time

from benchlib import MIB, fmt, log, pct
from follow import INF, Proc, read_marks, spawn

SIZES = (1, 3, 10, 20, 40)
TOTAL_RATE = 6.0    # events/s written, spread over the active groups
LATENCY = 0.05
TPS = 5
WARM = 6.0          # s before events count, plus 0.5 s per Python CLI
DRAIN = 8.0
T_LIVE = (1.0, 2.0)  # issue 14: p50, p95 with Live Tail
T_POLL40 = 1.5       # issue 14: p50, 40 groups polled, 3 active
ARN = "arn:aws:logs:us-east-1:123456789012:log-group:"   # fakecwl defaults


def apilogs_modes(apilogs):
    """The --follow-mode values to measure: live and poll when the build
    has the option, else [None] (the default --watch, polling)."""
    h = subprocess.run([apilogs, "get", "--help"], capture_output=True,
                       text=True).stdout
    return ["live", "poll"] if "--follow-mode" in h else [None]


def v1_has_live_tail(v1):
    if not v1:
        return False
    r = subprocess.run([v1, "logs", "start-live-tail", "help"],
                       capture_output=True, text=True,
                       env=dict(os.environ, PAGER="cat", MANPAGER="cat"))
    return r.returncode == 0


def followers(b, groups, url, arns, modes, peers):
    """[(name, [argv, ...], extra env)] for one phase."""
    t = b.tools
    out = []
    for m in modes:
        ap = [t.apilogs, "get"] + sum((["-g", g] for g in groups), []) + \
            ["--watch"] + (["--follow-mode", m] if m else [])
        out.append(("apilogs --watch" + (" --follow-mode " + m if m else
                                         " (polling)"), [ap], {}))
    if "tail" in peers:
        out.append(("aws logs tail --follow (v2)",
                    [[t.v2, "logs", "tail", g, "--follow", "--since", "1m",
                      "--endpoint-url", url] for g in groups], {}))
    if "slt" in peers:
        # botocore adds the stream- host prefix even to an endpoint URL
        # unless told not to (aws-facts.md 2.5).
        out.append(("aws logs start-live-tail (v1)",
                    [[t.v1, "logs", "start-live-tail",
                      "--log-group-identifiers"] + arns[i:i + 10] +
                     ["--endpoint-url", url]
                     for i in range(0, len(arns), 10)],
                    {"AWS_DISABLE_HOST_PREFIX_INJECTION": "true"}))
    return out


def phase(b, f, groups, active, dur, name, cmds, extra, key):
    """Run one follower (one or more processes) while writers append to
    the active groups; return its figures."""
    f.control("/_reset", {"all": True})
    f.control("/_group", {"names": groups})
    for seed, g in enumerate(active):
        f.live(g, TOTAL_RATE / len(active), 100 + seed)
    env = b.env.for_url(f.url, key)
    env.update(extra)
    py = 0 if cmds[0][0] == b.tools.apilogs else len(cmds)
    warm = WARM + 0.5 * py
    t_start = time.time()
    procs = []
    for ci, c in enumerate(cmds):
        out = os.path.join(b.home, "scale-%d.out" % ci)
        p, fd = spawn(b, c, env, "pty", out)
        procs.append(Proc(ci, p, fd, out))
    order = {pr.fd: [] for pr in procs}   # per process: keys in print order
    seen = {}
    dups = [0]
    t_meas0 = t_start + warm
    t_meas1 = t_meas0 + dur

    def mark(pr, k, now):
        order[pr.fd].append(k)
        if k in seen:
            dups[0] += 1
        else:
            seen[k] = now

    wlog, st, t_end, results = read_marks(f, procs, t_meas1, DRAIN, mark)
    ts_of = {(gi, seq): int(wt * 1000) for _, gi, seq, wt, _ in wlog}
    lat = []
    for gname, gi, seq, wt, it in wlog:
        if t_meas0 <= wt < t_meas1:
            t = seen.get((gi, seq))
            lat.append(INF if t is None else t - it)
    ooo, gap = 0, 0
    for keys in order.values():
        hi = None
        for k in keys:
            ts = ts_of.get(k)
            if ts is None:
                continue
            if hi is not None and ts < hi:
                ooo += 1
                gap = max(gap, hi - ts)
            hi = ts if hi is None else max(hi, ts)
    kc = st["by_key"].get(key, {})
    life = t_end - t_start
    cpu = sum(r.cpu for r in results if r is not None)
    rss = max([r.rss_kib for r in results if r is not None] or [0])
    return {"name": name, "nproc": len(cmds), "lat": lat, "dups": dups[0],
            "ooo": ooo, "gap": gap / 1000.0,
            "fle_s": kc.get("FilterLogEvents", 0) / life,
            "throttled": st["throttled"],
            "lt": kc.get("StartLiveTail", 0),
            "cpu": cpu, "rss": rss / MIB,
            "ok": all(r is not None for r in results)}


def row(label, o):
    lat = o["lat"]
    missed = len([x for x in lat if x == INF])
    return ("| %s | %s | %d | %d | %s | %s | %s | %d | %d | %d%s | %s | %d "
            "| %d | %s | %s |" % (
                label, o["name"], o["nproc"], len(lat),
                fmt(pct(lat, 50), " s"), fmt(pct(lat, 95), " s"),
                fmt(max(lat) if lat else None, " s"), missed, o["dups"],
                o["ooo"], " (≤ %.1f s)" % o["gap"] if o["ooo"] else "",
                fmt(o["fle_s"], "", 1), o["throttled"], o["lt"],
                fmt(o["cpu"], " s"), fmt(o["rss"], " MiB", 1)))


def section(b):
    """Section 8 of results.md."""
    dur = 15.0 if b.o.quick else b.o.scale_seconds
    sizes = (1, 3) if b.o.quick else b.o.scale_sizes
    t = b.tools
    modes = apilogs_modes(t.apilogs)
    peers = [p for p, ok in (("tail", t.v2), ("slt", v1_has_live_tail(t.v1)))
             if ok and p in b.o.scale_peers]
    f = b.fake("--groups", 0, "--latency", LATENCY, "--tps", TPS)
    cfg = f.control("/_config")
    n0 = b.noise.cpu[:] if b.noise.cpu else []
    t0 = time.time()
    lines = [
        "Each row is one follower run alone against fakecwl (%d ms latency, "
        "a %d TPS FilterLogEvents bucket shared by all its processes, "
        "ingestion delay %.1f s + uniform 0–%.1f s, Live Tail updates "
        "every %.0f s) while writers append %.0f events/s in total, spread "
        "evenly over the followed groups (or over 3 of them in the "
        "polling-only row). Latency is from the event's `ingestionTime`, "
        "the moment the service can first deliver it, to the moment the "
        "harness reads its line from the follower's stdout (a pty: `aws "
        "logs tail` does not flush into a pipe, see section 4). Only "
        "events written during %.0f s after a warm-up (%.0f s, plus 0.5 s "
        "per Python CLI process) count; a follower then has %.0f s more; "
        "missed = never printed (infinite in the percentiles). Out of "
        "order = lines whose timestamp is earlier than one the same "
        "process printed before (each `aws logs tail` process sees one "
        "group, so its order is only within that group). FilterLogEvents/s "
        "and Live Tail sessions are counted by the follower's access key "
        "id; throttled = ThrottlingException answers it got. CPU (summed) "
        "and peak RSS (largest) cover the processes' whole life; "
        "FilterLogEvents/s is over the follower's life, so the bucket's "
        "initial burst of %d can put it a little over %d/s."
        % (LATENCY * 1000, TPS, cfg["ingest_delay"], cfg["ingest_jitter"],
           cfg["lt_interval"], TOTAL_RATE, dur, WARM, DRAIN, TPS, TPS), ""]
    lines += ["apilogs: `%s` (%s%s)." % (
        t.apilogs_version, os.path.relpath(t.apilogs),
        ", " + b.o.apilogs_note if b.o.apilogs_note else ""), ""]
    if modes == [None]:
        lines += ["This build has no `--follow-mode` (Live Tail is not in "
                  "it yet): the apilogs rows are its default `--watch`, "
                  "which polls.", ""]
    if "slt" not in peers and "slt" in b.o.scale_peers:
        lines += ["`aws logs start-live-tail` was not found (AWS CLI v1 "
                  "on PATH lacks it?).", ""]
    if "tail" not in peers and "tail" in b.o.scale_peers:
        lines += ["AWS CLI v2 is not installed: no `aws logs tail` rows.",
                  ""]
    lines += ["| groups | follower | processes | events | p50 | p95 | max "
              "| missed | duplicated | out of order | FilterLogEvents/s | "
              "throttled | Live Tail sessions | CPU | peak RSS |",
              "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"
              "---|"]
    by_mode = {}
    for n in sizes:
        groups = ["/bench/n%02d-%02d" % (n, i) for i in range(n)]
        arns = [ARN + g for g in groups]
        for fi, (name, cmds, extra) in enumerate(
                followers(b, groups, f.url, arns, modes, peers)):
            log("follow at scale: %d groups, %s" % (n, name))
            b.noise.sample(1)
            b.cmd("follow at scale, %s, %d groups" % (name, n), cmds[0])
            o = phase(b, f, groups, groups, dur, name, cmds, extra,
                      "AKIDSCALE%d" % fi)
            lines.append(row(str(n), o))
            if name.startswith("apilogs"):
                by_mode.setdefault(name, []).append((n, o))
    # Polling only: 40 groups, 3 of them active.
    poll_o = None
    if 40 in sizes or b.o.quick:
        n = 40 if not b.o.quick else 10
        groups = ["/bench/p%02d-%02d" % (n, i) for i in range(n)]
        mode = "poll" if "poll" in modes else None
        name = "apilogs --watch" + (" --follow-mode poll" if mode
                                    else " (polling)")
        cmd = [t.apilogs, "get"] + sum((["-g", g] for g in groups), []) + \
            ["--watch"] + (["--follow-mode", mode] if mode else [])
        log("follow at scale: %d groups, 3 active, %s" % (n, name))
        b.noise.sample(1)
        b.cmd("follow at scale, polling only, %d groups (3 active)" % n, cmd)
        poll_o = phase(b, f, groups, groups[:3], dur, name, [cmd], {},
                       "AKIDSCALEP")
        poll_o["ngroups"] = n
        lines.append(row("%d (3 active)" % n, poll_o))
    b.done(f)
    n1 = b.noise.cpu[len(n0):]
    lines += ["", "This section ran %s UTC in %.0f s; load average at its "
              "end %s; noise during it: fixed workload CPU time %s."
              % (time.strftime("%Y-%m-%d %H:%M", time.gmtime(t0)),
                 time.time() - t0,
                 " ".join(open("/proc/loadavg").read().split()[:3]),
                 "median %.1f ms, min %.1f, max %.1f over %d samples"
                 % (sorted(n1)[len(n1) // 2] * 1e3, min(n1) * 1e3,
                    max(n1) * 1e3, len(n1)) if n1 else "not sampled")]
    targets(b, by_mode, poll_o, modes)
    b.md["l"] = lines


def targets(b, by_mode, poll_o, modes):
    live = [k for k in by_mode if "live" in k] or \
        [k for k in by_mode if "polling" in k]
    for k in live:
        for n, o in by_mode[k]:
            lat = o["lat"]
            p50, p95 = pct(lat, 50), pct(lat, 95)
            missed = len([x for x in lat if x == INF])
            ok = (p50 is not None and p50 <= T_LIVE[0] and p95 <= T_LIVE[1]
                  and missed == 0 and o["dups"] == 0 and o["ooo"] == 0
                  and o["fle_s"] <= 5)
            note = "" if "live" in k else \
                "this build has no Live Tail: its polling --watch measured"
            b.target14("follow, Live Tail available, %d group%s (%s)"
                       % (n, "" if n == 1 else "s", k),
                       "p50 ≤ 1.0 s, p95 ≤ 2.0 s, 0 missed/dup/"
                       "out of order, FilterLogEvents ≤ 5/s",
                       "p50 %s, p95 %s, %d/%d/%d, %.1f/s"
                       % (fmt(p50, " s"), fmt(p95, " s"), missed, o["dups"],
                          o["ooo"], o["fle_s"]), ok, note)
    if poll_o is not None:
        lat = poll_o["lat"]
        p50 = pct(lat, 50)
        ok = p50 is not None and p50 <= T_POLL40 and poll_o["ooo"] == 0 \
            and poll_o["fle_s"] <= 5
        b.target14("follow, polling only, %d groups of which 3 active"
                   % poll_o["ngroups"],
                   "p50 ≤ 1.5 s, 0 out of order, ≤ 5 requests/s",
                   "p50 %s, %d out of order, %.1f/s"
                   % (fmt(p50, " s"), poll_o["ooo"], poll_o["fle_s"]), ok)

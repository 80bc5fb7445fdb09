# SPDX-License-Identifier: Apache-2.0
"""Follow-mode benchmark: latency from write to print, requests per minute.

fakecwl appends live events and logs each write time; the followers
(apilogs --watch and aws logs tail --follow) run at the same time on a pty
and on a pipe; the harness timestamps each output line as it reads it and
matches the event's "live-<group>-<seq>" marker.
"""

import os
import pty
import re
import select
import signal
import subprocess
import time

from benchlib import MIB, Launcher, Result, fmt, log, pct

ANSI = re.compile(rb"\x1b\[[0-9;]*[A-Za-z]")
MARK = re.compile(rb"live-(\d+)-(\d+)")
WARM = 6.0      # seconds before events count (the CLIs start in ~1 s)
DRAIN = 8.0     # seconds a follower has to print the last events
INF = float("inf")


class Proc:
    """One follower process (a launcher and its child)."""

    def __init__(self, fi, popen, fd, out):
        self.fi = fi
        self.p = popen
        self.fd = fd
        self.out = out
        self.partial = b""
        self.t0 = time.time()


def spawn(b, cmd, env, mode, out):
    """Start cmd under the launcher with stdout on a pty or a pipe."""
    argv = b.launcher.argv(cmd, out)
    if mode == "pty":
        master, slave = pty.openpty()
        p = subprocess.Popen(argv, env=env, stdin=subprocess.DEVNULL,
                             stdout=slave, stderr=subprocess.DEVNULL,
                             start_new_session=True)
        os.close(slave)
        fd = master
    else:
        p = subprocess.Popen(argv, env=env, stdin=subprocess.DEVNULL,
                             stdout=subprocess.PIPE,
                             stderr=subprocess.DEVNULL,
                             start_new_session=True)
        fd = p.stdout.fileno()
    os.set_blocking(fd, False)
    return p, fd


def stop_all(procs):
    """SIGINT every follower's process group (the launchers ignore it and
    report), keep draining their output so that none blocks on a full pty
    or pipe while exiting, SIGKILL what is left after 3 s.  Returns a
    Result (or None) per process."""
    for pr in procs:
        try:
            os.killpg(pr.p.pid, signal.SIGINT)
        except ProcessLookupError:
            pass
    deadline = time.time() + 3
    fds = {pr.fd for pr in procs}
    while time.time() < deadline and any(pr.p.poll() is None
                                         for pr in procs):
        rl = select.select(list(fds), [], [], 0.1)[0] if fds else []
        for fd in rl:
            try:
                if not os.read(fd, 65536):
                    fds.discard(fd)
            except BlockingIOError:
                pass
            except OSError:
                fds.discard(fd)
        if not fds:
            time.sleep(0.05)
    out = []
    for pr in procs:
        if pr.p.poll() is None:
            try:
                os.killpg(pr.p.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            pr.p.wait()
        try:
            os.close(pr.fd)
        except OSError:
            pass
        r = Result()
        out.append(r if Launcher.read(pr.out, r) else None)
    return out


def read_marks(f, procs, t_meas1, drain, mark):
    """Read the followers' output until drain seconds after t_meas1 (or
    until every one closed it), calling mark(proc, (group, seq), now) for
    each live-G-S marker printed; stop the fake's writers at t_meas1, then
    the followers.  Returns the writers' log, the fake's statistics, the
    time the reading ended and stop_all's results."""
    t_stop = t_meas1 + drain
    writing = True
    live = {pr.fd: pr for pr in procs}
    while time.time() < t_stop and live:
        rl, _, _ = select.select(list(live), [], [], 0.2)
        now = time.time()
        for fd in rl:
            pr = live[fd]
            try:
                data = os.read(fd, 65536)
            except BlockingIOError:
                continue
            except OSError:          # EIO: the pty's other side closed
                data = b""
            if not data:
                del live[fd]
                continue
            lines = (pr.partial + data).split(b"\n")
            pr.partial = lines.pop()
            for ln in lines:
                for m in MARK.finditer(ANSI.sub(b"", ln)):
                    mark(pr, (int(m.group(1)), int(m.group(2))), now)
        if writing and now >= t_meas1:
            f.live_stop()
            writing = False
    f.live_stop()
    wlog = f.live_log()
    st = f.stats()
    t_end = time.time()
    return wlog, st, t_end, stop_all(procs)


def phase(b, f, groups, rate, dur, label):
    """One follow run: writers on groups, every follower at once."""
    t = b.tools
    followers = []
    ap = [t.apilogs, "get"] + sum((["-g", g] for g in groups), []) + \
        ["--watch"]
    b.cmd("follow, apilogs, %s" % label, ap)
    for mode in ("pty", "pipe"):
        followers.append(("apilogs --watch", mode, [ap]))
    if t.v2:
        cs = [[t.v2, "logs", "tail", g, "--follow", "--since", "1m",
               "--endpoint-url", f.url] for g in groups]
        b.cmd("follow, AWS CLI v2, %s (one process per group)" % label,
              cs[0])
        for mode in ("pty", "pipe"):
            followers.append(("aws logs tail --follow", mode, cs))
    f.reset()
    for seed, g in enumerate(groups):
        f.live(g, rate, 100 + seed)
    t_start = time.time()
    procs = []
    for fi, (name, mode, cmds) in enumerate(followers):
        env = b.env.for_url(f.url, "AKIDFOLLOW%d" % fi)
        for ci, c in enumerate(cmds):
            out = os.path.join(b.home, "follow-%d-%d.out" % (fi, ci))
            p, fd = spawn(b, c, env, mode, out)
            procs.append(Proc(fi, p, fd, out))
    seen = [dict() for _ in followers]     # (gidx, seq) -> first print
    dups = [0] * len(followers)
    t_meas0 = t_start + WARM
    t_meas1 = t_meas0 + dur

    def mark(pr, k, now):
        if k in seen[pr.fi]:
            dups[pr.fi] += 1
        else:
            seen[pr.fi][k] = now

    wlog, st, t_end, results = read_marks(f, procs, t_meas1, DRAIN, mark)
    res = []
    for fi, (name, mode, cmds) in enumerate(followers):
        cpu, rss, life, ok = 0.0, 0, 0.0, True
        for pr, r in zip(procs, results):
            if pr.fi != fi:
                continue
            life = max(life, t_end - pr.t0)
            if r is None:
                ok = False
                continue
            cpu += r.cpu
            rss = max(rss, r.rss_kib)
        lat = []
        for gname, gidx, seq, wt, _ in wlog:
            if gname in groups and t_meas0 <= wt < t_meas1:
                ts = seen[fi].get((gidx, seq))
                lat.append(INF if ts is None else ts - wt)
        kc = st["by_key"].get("AKIDFOLLOW%d" % fi, {})
        rpm = kc.get("FilterLogEvents", 0) / (life / 60.0) if life else None
        res.append({"name": name, "mode": mode, "lat": lat,
                    "dups": dups[fi], "rpm": rpm,
                    "cpu": cpu if ok else None,
                    "rss": rss / MIB if ok else None, "nproc": len(cmds)})
    return res


def section(b):
    """Section 4 of results.md."""
    lat_s = 0.05
    # Issue 7's figure is write to print: no ingestion delay here (section
    # 8 models it and measures from ingestionTime).
    f = b.fake("--groups", 0, "--latency", lat_s, "--ingest-delay", 0,
               "--ingest-jitter", 0)
    dur = 20.0 if b.o.quick else b.o.follow_seconds
    lines = [
        "fakecwl appends events live at random (exponential) intervals, "
        "timestamp = now and visible at once (no ingestion delay here: "
        "`--ingest-delay 0`; section 8 models it), and logs each write "
        "time; the harness timestamps every "
        "output line as it reads it from the pty or pipe and matches the "
        "event's marker. All followers of a row group run at the same "
        "time against one endpoint (%d ms latency, no quota: they would "
        "otherwise share one bucket); requests are counted per follower by "
        "access key id. Default options: apilogs polls every 1 s (`-i`) "
        "and, with several groups, holds events up to 2 s for time order; "
        "`aws logs tail --follow` sleeps 5 s after the last page and takes "
        "one group per process (3 processes for 3 sources, not merged). "
        "Only events written during %.0f s after a %.0f s warm-up count; "
        "a follower then has %.0f s more to print them; 'never' = not "
        "printed by then (counted as infinite in the percentiles). CPU and "
        "RSS cover the follower's whole life (start-up included; summed "
        "CPU and largest RSS over the 3 tail processes)."
        % (lat_s * 1000, dur, WARM, DRAIN), "",
        "| sources | follower | stdout | events printed | p50 | p95 | max | "
        "duplicates | FilterLogEvents per minute | CPU | peak RSS |",
        "|---|---|---|---|---|---|---|---|---|---|---|"]
    for label, groups, rate in (
            ("1 source", ["/bench/live-a"], 2.0),
            ("3 sources", ["/bench/live-b", "/bench/live-c",
                           "/bench/live-d"], 1.0)):
        log("follow, %s, %.0f s" % (label, dur + WARM + DRAIN))
        b.noise.sample(1)
        for o in phase(b, f, groups, rate, dur, label):
            lat = o["lat"]
            n_ok = len([x for x in lat if x != INF])
            p50, p95 = pct(lat, 50), pct(lat, 95)
            lines.append(
                "| %s | %s | %s | %d of %d | %s | %s | %s | %d | %s | %s | "
                "%s |" % (label, o["name"], o["mode"], n_ok, len(lat),
                          fmt(p50, " s"), fmt(p95, " s"),
                          fmt(max(lat) if lat else None, " s"), o["dups"],
                          fmt(o["rpm"], "", 0), fmt(o["cpu"], " s"),
                          fmt(o["rss"], " MiB", 1)))
            if not o["name"].startswith("apilogs"):
                continue
            tg = b.T_FOLLOW1 if label == "1 source" else b.T_FOLLOW3
            ok = p50 is not None and p50 <= tg[0] and p95 <= tg[1]
            notes = []
            if p50 is not None and p50 > tg[0]:
                notes.append("p50 over by %s" % fmt((p50 - tg[0]) * 1e3,
                                                    " ms", 0))
            if p95 is not None and p95 > tg[1]:
                notes.append("p95 over by %s" % fmt((p95 - tg[1]) * 1e3,
                                                    " ms", 0))
            b.target("follow latency, %s, %s" % (label, o["mode"]),
                     "p50 ≤ %.1f s, p95 ≤ %.1f s" % tg,
                     "p50 %s, p95 %s" % (fmt(p50, " s"), fmt(p95, " s")),
                     ok, ", ".join(notes))
    b.done(f)
    b.md["f"] = lines

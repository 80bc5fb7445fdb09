# SPDX-License-Identifier: Apache-2.0
"""Section g of bench/run.py: a history read of the same number of events
spread over 1, 10 and 40 groups (issue 14).  Peak RSS and CPU per event
of apilogs at each size, of a baseline apilogs binary when one is given
(`--baseline`, e.g. the build before a change), and of the AWS CLI at 40
groups (one process per group, one after another)."""

import re
import statistics
import subprocess

from benchlib import MIB, fmt, fmt_med, log, med, probe, run, run_seq

SIZES = (1, 10, 40)
T_RSS_40_MIB = 24.0
T_RSS_RATIO = 1.5
T_US_40 = 1.0

HIST_RE = re.compile(r"history: (\d+) pages in memory at most \(budget "
                     r"(\d+)\), (\d+) with responses in flight; (\d+) pages "
                     r"spilled")


def check(cmd, env):
    """Not timed: lines printed and the engine's own memory figures
    (-vv), or None for a binary that does not report them."""
    p = subprocess.run(cmd + ["-vv"], env=env, stdin=subprocess.DEVNULL,
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    m = HIST_RE.search(p.stderr.decode(errors="replace"))
    return p.stdout.count(b"\n"), (tuple(int(x) for x in m.groups())
                                   if m else None)


def section(b):
    total = 100000 if b.o.quick else 1000000
    runs = b.o.gruns
    t = b.tools
    start, end = b.window()
    bins = [("apilogs", t.apilogs)]
    if b.o.baseline:
        bins.append(("apilogs baseline", b.o.baseline))
    res = {}      # (key, n) -> [Result]
    checks = {}   # (key, n) -> (lines, memory figures)
    peers = {}    # ("v1"|"v2", n) -> Result
    probes = []
    for n in SIZES:
        f = b.fake("--groups", n, "--events", total // n)
        env = b.env.for_url(f.url)
        groups = ["/bench/api-%d" % i for i in range(n)]
        for key, path in bins:
            c = [path] + t.ap_get(groups, start, end,
                                  ["--max-rps", "1000"])[1:]
            if key == "apilogs":
                b.cmd("history with many groups, apilogs, %d group%s"
                      % (n, "s" if n > 1 else ""),
                      c if n <= 2 else c[:6] + ["..."] + c[2 + 2 * n:])
            res[(key, n)] = []
        for i in range(runs):
            probes.append(probe()[0])
            for key, path in bins:
                c = [path] + t.ap_get(groups, start, end,
                                      ["--max-rps", "1000"])[1:]
                f.reset()
                r = run(c, env)
                r.events = f.stats()["fle_events"]
                res[(key, n)].append(r)
            log("groups %d, run %d/%d: %s" % (n, i + 1, runs, ", ".join(
                "%s %.1f MiB %.2f s" % (k, res[(k, n)][-1].rss_kib / MIB,
                                        res[(k, n)][-1].cpu)
                for k, _ in bins)))
        for key, path in bins:
            c = [path] + t.ap_get(groups, start, end,
                                  ["--max-rps", "1000"])[1:]
            checks[(key, n)] = check(c, env)
        if n == SIZES[-1]:
            for key, cmds in (("v1", t.v1_cmds(groups, start, end, f.url)
                               if t.v1 else None),
                              ("v2", t.v2_cmds(groups, start, f.url)
                               if t.v2 else None)):
                if cmds is None:
                    continue
                b.cmd("history with many groups, AWS CLI %s, per group "
                      "(%d in a row)" % (key, n), cmds[0])
                f.reset()
                r = run_seq(cmds, env)
                r.events = f.stats()["fle_events"]
                peers[(key, n)] = r
                log("groups %d, %s: %.1f MiB, %.1f s CPU"
                    % (n, key, r.rss_kib / MIB, r.cpu))
        b.done(f)
    b.md["g"] = report(b, total, runs, bins, res, checks, peers, probes)


def count(n):
    """1000000 -> '1M', 100000 -> '100k'."""
    if n % 1000000 == 0:
        return "%dM" % (n // 1000000)
    return "%dk" % (n // 1000) if n % 1000 == 0 else str(n)


def report(b, total, runs, bins, res, checks, peers, probes):
    L = [
        "Endpoint: fakecwl, %s events in all, spread evenly over 1, 10 or "
        "40 groups (`--groups N --events %s/N`, messages of 120 bytes, "
        "JSON), every group covering the same hour, so the merge needs a "
        "page of every group at once; no latency, no quota; apilogs with "
        "`--max-rps 1000`, stdout /dev/null. %d runs per size, interleaved "
        "between the binaries; median [min–max]. Peak RSS is the "
        "process's ru_maxrss." % (count(total), count(total), runs)]
    if b.o.baseline:
        L[-1] += (" *apilogs baseline* is `%s`, the build before the "
                  "memory budget, run against the same endpoints in the "
                  "same run." % b.o.baseline_name)
    L += ["", "| groups | client | peak RSS | ÷ RSS at 1 group | CPU | "
          "CPU per event | events fetched | lines printed (check run) | "
          "pages in memory / in memory or in flight / spilled (check "
          "run, `-vv`) |", "|---|---|---|---|---|---|---|---|---|"]
    base = {k: med([r.rss_kib for r in res[(k, SIZES[0])]]) for k, _ in bins}
    for n in SIZES:
        for key, _ in bins:
            rs = res[(key, n)]
            lines, mem = checks[(key, n)]
            L.append("| %d | %s | %s | %s | %s | %s | %s | %d | %s |" % (
                n, key, fmt_med([r.rss_kib / MIB for r in rs], " MiB", 1),
                fmt(med([r.rss_kib for r in rs]) / base[key], "×", 2),
                fmt_med([r.cpu for r in rs], " s"),
                fmt_med([r.cpu / total * 1e6 for r in rs], " µs"),
                fmt_med([r.events for r in rs], "", 0), lines,
                "%d / %d / %d (budget %d)" % (mem[0], mem[2], mem[3], mem[1])
                if mem else "n/a"))
            if lines != total:
                b.target14("history, %d groups: %s prints every event once"
                         % (n, key), "%d lines" % total, "%d lines" % lines,
                         False)
    for (key, n), r in sorted(peers.items()):
        L.append("| %d | AWS CLI %s (%d processes in a row) | %.1f MiB "
                 "(largest) | | %.2f s | %.2f µs | %d | | |"
                 % (n, key, n, r.rss_kib / MIB, r.cpu,
                    r.cpu / total * 1e6, r.events))
    rss40 = med([r.rss_kib for r in res[("apilogs", 40)]])
    us40 = med([r.cpu / total * 1e6 for r in res[("apilogs", 40)]])
    ratio = rss40 / base["apilogs"]
    L += [""]
    for key, _ in bins:
        r = (med([r.rss_kib for r in res[(key, 40)]]) / base[key])
        L.append("- %s: peak RSS at 40 groups ÷ at 1 group = %s; CPU per "
                 "event at 40 groups ÷ at 1 group = %s." % (
                     key, fmt(r, "×", 2),
                     fmt(med([x.cpu for x in res[(key, 40)]]) /
                         med([x.cpu for x in res[(key, 1)]]), "×", 2)))
    if b.o.baseline:
        L.append("- apilogs ÷ baseline at 40 groups: peak RSS %s, CPU %s." % (
            fmt(rss40 / med([r.rss_kib for r in
                             res[("apilogs baseline", 40)]]), "×", 2),
            fmt(med([r.cpu for r in res[("apilogs", 40)]]) /
                med([r.cpu for r in res[("apilogs baseline", 40)]]),
                "×", 2)))
    for (key, n), r in sorted(peers.items()):
        L.append("- AWS CLI %s ÷ apilogs at %d groups: peak RSS %s, CPU %s."
                 % (key, n, fmt(r.rss_kib / rss40, "×", 1),
                    fmt(r.cpu / med([x.cpu for x in res[("apilogs", n)]]),
                        "×", 1)))
    lo, hi, m = min(probes), max(probes), statistics.median(probes)
    L += ["", "Noise during this section: the fixed workload (see Machine) "
          "took %.1f ms median, %.1f–%.1f ms over %d samples (spread %.0f %% "
          "of the median). Peak RSS moves little from run to run (see the "
          "ranges); CPU per event moves with the machine's load, so compare "
          "the binaries within a row group, which ran interleaved."
          % (m * 1e3, lo * 1e3, hi * 1e3, len(probes),
             (hi - lo) / m * 100),
          "", "Why RSS no longer grows with the groups: a history read keeps "
          "at most 4 pages (~1.3 MB each: the response body, in which "
          "strings are decoded in place, and the event index) in memory "
          "over all groups, decoded or in flight; a page arriving over "
          "that goes to its group's spill file (unlinked, in TMPDIR) and "
          "is read back in chunks of a few KB (512 KiB shared over the "
          "groups). See README, \"Memory of a long read\"."]
    b.target14("history, 40 groups: apilogs peak RSS",
             "≤ %.0f MiB" % T_RSS_40_MIB, fmt(rss40 / MIB, " MiB", 1),
             rss40 / MIB <= T_RSS_40_MIB)
    b.target14("history: peak RSS at 40 groups ÷ at 1 group",
             "≤ %.1f×" % T_RSS_RATIO, fmt(ratio, "×", 2),
             ratio <= T_RSS_RATIO, "" if ratio <= T_RSS_RATIO else
             "%.2f× over" % (ratio / T_RSS_RATIO))
    b.target14("history, 40 groups: apilogs CPU per event",
             "≤ %.1f µs" % T_US_40, fmt(us40, " µs"), us40 <= T_US_40,
             "" if us40 <= T_US_40 else b.noise_why())
    return L

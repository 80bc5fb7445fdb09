# SPDX-License-Identifier: Apache-2.0
"""bench/results.md: the machine, the targets, the sections, the
commands and the method.  Called by bench/run.py once every section ran."""

import os
import platform
import subprocess
import time

from benchlib import kev


def git_rev():
    """', commit abc1234' for the source tree the binary came from."""
    top = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    try:
        rev = subprocess.run(["git", "-C", top, "rev-parse", "--short",
                              "HEAD"], capture_output=True, text=True,
                             timeout=10).stdout.strip()
        dirty = subprocess.run(["git", "-C", top, "status", "--porcelain",
                                "--untracked-files=no", "src"],
                               capture_output=True, text=True,
                               timeout=10).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return ""
    if not rev:
        return ""
    return ", commit %s%s" % (rev, " + uncommitted src/ changes"
                               if dirty else "")


def machine(b):
    model = "unknown"
    try:
        with open("/proc/cpuinfo") as f:
            for ln in f:
                if ln.startswith("model name"):
                    model = ln.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    mem = "?"
    try:
        with open("/proc/meminfo") as f:
            mem = "%.1f GiB" % (int(f.readline().split()[1]) / 2**20)
    except OSError:
        pass
    return [
        "| | |", "|---|---|",
        "| date | %s |" % time.strftime("%Y-%m-%d %H:%M UTC",
                                       time.gmtime(b.t_wall0)),
        "| `nproc` | %d |" % os.cpu_count(),
        "| CPU | %s |" % model,
        "| memory | %s |" % mem,
        "| kernel | %s |" % platform.release(),
        "| load average at start | %s |" % b.load0,
        "| load average at end | %s |" % b.load1,
        "| machine busy during the run (all processes) | %.0f %% of %d "
        "cores |" % (b.busy * 100, os.cpu_count()),
        "| noise | %s |" % b.noise.text(),
        "| apilogs | `%s` (%s%s) |" % (b.tools.apilogs_version,
                                      os.path.relpath(b.tools.apilogs),
                                      git_rev()),
        "| AWS CLI v1 | %s |" % (b.tools.v1_version or
                                 "not installed"),
        "| AWS CLI v2 | %s |" % (b.tools.v2_version or
                                 "not installed"),
        "| Python (fakecwl, harness) | %s |" % platform.python_version(),
        "| total benchmark time | %.0f s |" % b.elapsed,
    ]

def previous(path):
    """The sections of an existing results file: {number or title: lines},
    its target rows {figure: row} and its date, for the sections a run
    with --only leaves out."""
    secs, rows, date = {"order": []}, {}, None
    try:
        with open(path) as f:
            text = f.read()
    except OSError:
        return secs, rows, date
    cur = None
    for ln in text.split("\n"):
        if ln.startswith("## "):
            title = ln[3:]
            cur = title.split(" ", 1)[0] if title[:1].isdigit() else title
            secs[cur] = []
            secs["title " + cur] = title
            secs["order"].append(cur)
        elif cur is not None:
            secs[cur].append(ln)
    for k, lines in secs.items():
        if k.startswith("Targets") and isinstance(lines, list):
            for ln in lines:
                cells = ln.split(" | ")
                if ln.startswith("| ") and len(cells) > 2 and \
                        not ln.startswith(("| figure", "|---")):
                    rows[cells[0][2:]] = ln
    for ln in secs.get("Machine", []):
        if ln.startswith("| date | "):
            date = ln[len("| date | "):-2]
    return secs, rows, date


def kept(lines, date):
    """A section from the previous file, said to be so."""
    while lines and not lines[0].strip():
        lines = lines[1:]
    while lines and not lines[-1].strip():
        lines = lines[:-1]
    if lines and lines[0].startswith("*Not run"):
        return lines
    return ["*Not run this time (`--only`): kept from the run of %s.*"
            % date, ""] + lines


def write(b, path):
    L = ["# apilogs benchmarks", "",
         "Written by `make bench` (`python3 bench/run.py "
         "build/apilogs`); do not edit by hand. The endpoint is "
         "`bench/fakecwl.py`, a synthetic CloudWatch Logs on loopback "
         "(moto is too slow to benchmark against: its page cost grows "
         "with the group). Every figure compares clients **in the same "
         "run** against the same endpoint; the machine is shared, so "
         "read ratios and instruction counts rather than absolute "
         "times. Medians with [min–max] over the repetitions.", "",
         "## Machine", ""] + machine(b)
    old, old_rows, old_date = previous(path)
    partial = set("tqrfsjpg") - set(b.o.only)
    if partial and old:
        L.append("| sections run | %s (the others are kept from the run of "
                 "%s) |" % (", ".join(sorted(b.o.only)), old_date))
    L += ["", "## Targets (issues 7 and 14)", "",
          "| figure | target | measured | met | by how much |",
          "|---|---|---|---|---|"]
    for w, t, m, ok, note in b.summary:
        L.append("| %s | %s | %s | %s | %s |" % (w, t, m, ok, note))
    if partial:
        now = set(w for w, _, _, _, _ in b.summary)
        for w, row in old_rows.items():
            if w not in now:
                L.append(row if "(from the run of" in row else
                         row[:-2] + " (from the run of %s) |" % old_date)
    sections = [
        ("t", "1. Client CPU, wall time and peak RSS: %s events"
         % kev(3 * b.o.events)),
        ("q", "2. Quota-bound history read: 150 ms latency, 5 TPS"),
        ("r", "3. Peak RSS against the size of the read"),
        ("f", "4. Follow mode: latency from write to print"),
        ("s", "5. Start-up time"),
        ("j", "6. JMESPath (`-q`) cost per event"),
        ("p", "7. Profile of apilogs on the %s-event read"
         % kev(3 * b.o.events)),
        ("g", "8. History reads with many groups: peak RSS and CPU at 1, "
         "10 and 40 groups"),
    ]
    for k, title in sections:
        num = title.split(" ", 1)[0]
        if k not in b.md and num in old:
            L += ["", "## " + old["title " + num], ""] + kept(old[num],
                                                               old_date)
            continue
        L += ["", "## " + title, ""]
        L += b.md.get(k, ["not run (`--only`)."])
    L += ["", "## Commands", "",
          "Environment: `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY` "
          "(dummy), `AWS_REGION=us-east-1`, `AWS_ENDPOINT_URL` (apilogs), "
          "`AWS_CONFIG_FILE`/`AWS_SHARED_CREDENTIALS_FILE` pointing "
          "nowhere, `AWS_PAGER=`, `HOME` a temporary directory. `<ms>` "
          "are epoch milliseconds around the data (now − 2 h − 1 min to "
          "now − 1 h + 1 min), `<iso>` the same start in ISO 8601. "
          "Endpoints: `python3 bench/fakecwl.py --groups 3 --events "
          "%d [--latency 0.15 --tps 5 --burst 5]`." % b.o.events, ""]
    for title, c in b.commands:
        L.append("- %s: `%s`" % (title, c))
    if partial:
        now = set(title for title, _ in b.commands)
        L += [ln for ln in old.get("Commands", [])
              if ln.startswith("- ") and ln[2:].split(": `", 1)[0] not in now]
    L += ["", "## Method and limits", "",
          "- fakecwl pre-renders each group into one buffer of event "
          "JSON with an offset array; a page is two bisects and a "
          "`sendmsg()` of a slice (no copy), so its CPU per read is "
          "reported next to the client's (section 1) and stays far "
          "below it. Pages hold ≤ 10 000 events and ≤ 1 MiB of "
          "response body; `nextToken` is present while events remain.",
          "- Wall time, CPU and peak RSS are the client's `wait4()` "
          "rusage, taken by `bench/spawn.c`: ru_maxrss survives exec(), so "
          "a client forked straight from the Python harness would report "
          "the harness's RSS. A peer reading 3 groups is 3 invocations "
          "(CPU and wall summed, RSS the largest). The AWS CLI v1 runs from "
          "its real path, not the pyenv shim; no `PYTHON*` variable is "
          "passed on (`PYTHONUNBUFFERED` would hide that `aws logs tail` "
          "does not flush into a pipe).",
          "- fakecwl's page limit counts the JSON response body (1 MiB, "
          "about 3 000 events of 343 bytes), a conservative reading of "
          "AWS's \"1 MB\"; responses are not compressed; throttled answers "
          "get the same latency as the others; the bucket starts full "
          "(burst = rate), so short reads can use more than 100 % of the "
          "budget.",
          "- The noise probe is a fixed Python loop timed at the start of "
          "each repetition: its CPU time should be constant, so its "
          "spread is the machine's. CPU time itself inflates when the "
          "cores are shared (caches, SMT siblings): compare the ratios "
          "in one run, and the callgrind instruction counts across runs.",
          "- The follow test counts only events written after a warm-up, "
          "so start-up (about 1 s for the Python CLIs) is excluded."]
    # Sections written by hand (by another harness) stay, after ours.
    ours = set(t.split(" ", 1)[0] for _, t in sections) | {
        "Machine", "Commands", "Method and limits"}
    for k in old.get("order", []):
        if k not in ours and not k.startswith("Targets"):
            lines = old[k]
            while lines and not lines[-1].strip():
                lines = lines[:-1]
            L += ["", "## " + old["title " + k]] + lines
    with open(path, "w") as f:
        f.write("\n".join(L) + "\n")


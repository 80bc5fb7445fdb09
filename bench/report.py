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
    L += ["", "## Targets from issue 7", "",
          "| figure | target | measured | met | by how much |",
          "|---|---|---|---|---|"]
    for w, t, m, ok, note in b.summary:
        L.append("| %s | %s | %s | %s | %s |" % (w, t, m, ok, note))
    L += ["", "## Targets from issue 14", "",
          "| figure | target | measured | met | note |",
          "|---|---|---|---|---|"]
    for w, t, m, ok, note in b.summary14:
        L.append("| %s | %s | %s | %s | %s |" % (w, t, m, ok, note))
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
        ("l", "8. Follow at scale: latency from ingestion to print, "
         "1 to 40 groups"),
        ("g", "9. History reads with many groups: peak RSS and CPU at 1, "
         "10 and 40 groups"),
    ]
    for k, title in sections:
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
          "so start-up (about 1 s for the Python CLIs) is excluded.",
          "- fakecwl models ingestion (section 8): an event becomes "
          "visible to FilterLogEvents and Live Tail at its `ingestionTime`"
          ", a random 0.3–0.8 s after it is written, so ingestion order "
          "differs from time order as on AWS; Live Tail sends an update "
          "every second. Section 4 turns the delay off (`--ingest-delay "
          "0`) to keep issue 7's write-to-print figure."]
    text = "\n".join(L) + "\n"
    ran = {title for k, title in sections if k in b.md}
    if len(ran) < len(sections) and os.path.exists(path):
        with open(path) as f:
            text = splice(f.read(), text, ran | {"Targets from issue 14"})
    elif os.path.exists(path):
        with open(path) as f:
            text = keep_foreign(f.read(), text)
    with open(path, "w") as f:
        f.write(text)


def blocks(text):
    """[(heading or None, [lines])] split at the "## " headings."""
    out = [(None, [])]
    for ln in text.rstrip("\n").split("\n"):
        if ln.startswith("## "):
            out.append((ln[3:], []))
        out[-1][1].append(ln)
    return out


def keep_foreign(old, new):
    """A full run: the sections of the old results.md that no section of
    this harness writes (written by hand, e.g. from bench/followpoll.py)
    stay, at the end."""
    heads = set(h for h, _ in blocks(new))
    ours = ("Machine", "Targets", "Commands", "Method and limits")
    keep = [ls for h, ls in blocks(old)[1:] if h not in heads and
            not h[:1].isdigit() and not h.startswith(ours)]
    if not keep:
        return new
    return new.rstrip("\n") + "\n\n" + "\n\n".join(
        "\n".join(ls).strip("\n") for ls in keep) + "\n"


def merge_targets(old_ls, new_ls):
    """The issue-14 target table of a partial run: the rows measured now,
    then the old rows of figures not measured this time."""
    now = set(x.split(" | ")[0] for x in new_ls if x.startswith("| "))
    keep = [x for x in old_ls if x.startswith("| ") and
            not x.startswith(("| figure", "|---")) and
            x.split(" | ")[0] not in now]
    while new_ls and new_ls[-1] == "":
        new_ls = new_ls[:-1]
    return new_ls + keep + [""]


def splice(old, new, fresh):
    """A partial run (--only): keep every block of the old results.md
    except the sections that ran now (headings in fresh), which are
    replaced or inserted before the Commands; the command list keeps the
    old lines and adds the new ones."""
    ob, nb = blocks(old), blocks(new)
    nd = dict(nb[1:])
    heads = [h for h, _ in ob]
    out = []
    for h, ls in ob:
        if h == "Targets from issue 14" and h in nd:
            out.append(merge_targets(ls, nd[h]))
        elif h in fresh:
            out.append(nd[h])
        elif h == "Commands" and "Commands" in nd:
            add = [x for x in nd["Commands"] if x.startswith("- ") and
                   x not in ls]
            while ls and ls[-1] == "":
                ls = ls[:-1]
            out.append(ls + add + [""])
        else:
            out.append(ls)
    missing = [nd[h] for h, _ in nb[1:] if h in fresh and h not in heads]
    if missing:
        i = heads.index("Commands") if "Commands" in heads else len(out)
        k = heads.index("Targets from issue 7") + 1 \
            if "Targets from issue 7" in heads else i
        for ls in missing:
            if ls[0] == "## Targets from issue 14":
                out.insert(k, ls)
                i += 1
            else:
                out.insert(i, ls)
                i += 1
    return "\n\n".join("\n".join(ls).strip("\n") for ls in out) + "\n"


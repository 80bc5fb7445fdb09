# SPDX-License-Identifier: Apache-2.0
"""Shared pieces of the apilogs benchmarks: formatting, the noise probe,
the fakecwl endpoint, running clients through the spawn launcher, the
client environment and the tools under test.  Used by bench/run.py."""

import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
FAKECWL = os.path.join(HERE, "fakecwl.py")
SPAWN_C = os.path.join(HERE, "spawn.c")
MIB = 1024.0
T0 = time.monotonic()


# --- helpers ---------------------------------------------------------------

def log(msg):
    print("[bench %6.1fs] %s" % (time.monotonic() - T0, msg), file=sys.stderr,
          flush=True)


def med(xs):
    xs = [x for x in xs if x is not None]
    return statistics.median(xs) if xs else None


def spread(xs):
    """(min, max) of the values, or None."""
    xs = [x for x in xs if x is not None]
    return (min(xs), max(xs)) if xs else None


def kev(n):
    """150000 -> '150k'."""
    return "%dk" % (n // 1000) if n % 1000 == 0 else str(n)


def fmt(x, unit="", nd=2):
    if x is None:
        return "n/a"
    if x == float("inf"):
        return "never"
    return ("%%.%df%%s" % nd) % (x, unit)


def fmt_ms(xs, nd=2):
    """median [min–max] of a list of seconds."""
    m = med(xs)
    s = spread(xs)
    if m is None:
        return "n/a"
    if len([x for x in xs if x is not None]) == 1:
        return fmt(m, " s", nd)
    return "%s [%s–%s]" % (fmt(m, " s", nd), fmt(s[0], "", nd),
                           fmt(s[1], "", nd))


def fmt_med(xs, unit="", nd=2):
    m = med(xs)
    s = spread(xs)
    if m is None:
        return "n/a"
    if len([x for x in xs if x is not None]) == 1:
        return fmt(m, unit, nd)
    return "%s [%s–%s]" % (fmt(m, unit, nd), fmt(s[0], "", nd),
                           fmt(s[1], "", nd))


def pct(xs, p):
    """Nearest-rank percentile; missing values are +inf."""
    if not xs:
        return None
    s = sorted(xs)
    k = max(0, min(len(s) - 1, int(round(p / 100.0 * len(s) + 0.5)) - 1))
    return s[k]


def probe():
    """A fixed CPU workload: (cpu seconds, wall seconds)."""
    c0 = time.process_time()
    w0 = time.perf_counter()
    x = 0
    for i in range(400000):
        x += i * i % 7
    return time.process_time() - c0, time.perf_counter() - w0


class Noise:
    """Repeated probes: the spread of a fixed workload's CPU time."""

    def __init__(self):
        self.cpu = []
        self.share = []

    def sample(self, n=3):
        for _ in range(n):
            c, w = probe()
            self.cpu.append(c)
            self.share.append(c / w if w > 0 else 1.0)

    def text(self):
        if not self.cpu:
            return "not measured"
        lo, hi = min(self.cpu), max(self.cpu)
        m = statistics.median(self.cpu)
        return ("fixed workload CPU time median %.1f ms, min %.1f, max %.1f "
                "(spread %.0f %% of the median) over %d samples; share of a "
                "core it got while running: median %.0f %%, min %.0f %%"
                % (m * 1e3, lo * 1e3, hi * 1e3, (hi - lo) / m * 100,
                   len(self.cpu), statistics.median(self.share) * 100,
                   min(self.share) * 100))


def cpu_stat():
    """(busy, total) jiffies of the whole machine from /proc/stat."""
    with open("/proc/stat") as f:
        v = [int(x) for x in f.readline().split()[1:]]
    idle = v[3] + (v[4] if len(v) > 4 else 0)
    return sum(v) - idle, sum(v)


# --- the endpoint ----------------------------------------------------------

class Fake:
    """A fakecwl process."""

    def __init__(self, *args):
        self.args = [sys.executable, FAKECWL] + [str(a) for a in args]
        t = time.monotonic()
        self.p = subprocess.Popen(self.args, stdout=subprocess.PIPE,
                                  stdin=subprocess.DEVNULL)
        line = self.p.stdout.readline().split()
        if len(line) != 2 or line[0] != b"READY":
            raise RuntimeError("fakecwl did not start: %r" % line)
        self.port = int(line[1])
        self.url = "http://127.0.0.1:%d" % self.port
        self.startup = time.monotonic() - t

    def _req(self, path, body=None):
        r = urllib.request.Request(self.url + path, data=body,
                                   method="POST" if body is not None
                                   else "GET")
        with urllib.request.urlopen(r, timeout=30) as f:
            return json.loads(f.read())

    def stats(self):
        return self._req("/_stats")

    def reset(self):
        return self._req("/_reset", b"{}")

    def live(self, group, rate, seed):
        return self._req("/_live", json.dumps(
            {"group": group, "rate": rate, "seed": seed}).encode())

    def control(self, path, body=None):
        """GET path, or POST body (an object) as JSON."""
        return self._req(path, None if body is None
                         else json.dumps(body).encode())

    def live_stop(self):
        return self._req("/_live/stop", b"{}")

    def live_log(self):
        return self._req("/_live/log")

    def stop(self):
        if self.p.poll() is None:
            self.p.terminate()
            try:
                self.p.wait(5)
            except subprocess.TimeoutExpired:
                self.p.kill()
                self.p.wait()


def put_section(path, title, text):
    """Put text into the Markdown file at path in place of its section
    headed by the line title (up to the next "## " heading), or append it
    when there is none."""
    with open(path) as f:
        old = f.read()
    m = re.search(r"^" + re.escape(title) + r"\n.*?(?=^## |\Z)", old,
                  re.S | re.M)
    new = old[:m.start()] + text + "\n" + old[m.end():] if m else \
        old.rstrip("\n") + "\n\n" + text
    with open(path, "w") as f:
        f.write(new)


# --- running clients -------------------------------------------------------

class Result:
    def __init__(self):
        self.wall = None
        self.user = None
        self.sys = None
        self.rss_kib = None
        self.rc = None
        self.first = None      # seconds to the first byte of stdout
        self.nbytes = 0
        self.nlines = 0

    @property
    def cpu(self):
        return None if self.user is None else self.user + self.sys


class Launcher:
    """bench/spawn.c, compiled once: runs a command and reports its wall
    time, CPU and peak RSS measured from a small parent process."""

    def __init__(self, workdir):
        self.path = os.path.join(workdir, "spawn")
        self.out = os.path.join(workdir, "spawn.out")
        cc = os.environ.get("CC", "cc")
        r = subprocess.run([cc, "-std=gnu11", "-O2", "-o", self.path,
                            SPAWN_C], capture_output=True, text=True)
        if r.returncode != 0:
            raise RuntimeError("cannot build bench/spawn.c: " + r.stderr)

    def argv(self, cmd, out=None):
        return [self.path, out or self.out] + list(cmd)

    @staticmethod
    def read(out, r):
        """Fill r's wall, CPU, RSS and exit code from the report file."""
        try:
            with open(out) as f:
                v = f.read().split()
            os.unlink(out)
        except OSError:
            return False
        r.wall = float(v[0])
        r.user = int(v[1]) / 1e6
        r.sys = int(v[2]) / 1e6
        r.rss_kib = int(v[3])
        r.rc = int(v[4])
        return True


LAUNCHER = None


def set_launcher(launcher):
    global LAUNCHER
    LAUNCHER = launcher


def run(cmd, env, pipe=False):
    """Run cmd under the launcher; stdout to /dev/null, or through a pipe
    when pipe (then the time to the first byte and the lines are counted).
    """
    r = Result()
    err = tempfile.TemporaryFile()
    t0 = time.perf_counter()
    p = subprocess.Popen(LAUNCHER.argv(cmd), env=env,
                         stdin=subprocess.DEVNULL,
                         stdout=subprocess.PIPE if pipe else
                         subprocess.DEVNULL, stderr=err)
    if pipe:
        fd = p.stdout.fileno()
        while True:
            b = os.read(fd, 1 << 20)
            if not b:
                break
            if r.first is None:
                r.first = time.perf_counter() - t0
            r.nbytes += len(b)
            r.nlines += b.count(b"\n")
        p.stdout.close()
    p.wait()
    if not Launcher.read(LAUNCHER.out, r):
        r.rc = p.returncode
    if r.rc != 0:
        err.seek(0)
        r.err = err.read().decode(errors="replace")[-600:]
        log("exit %s from %s: %s" % (r.rc, " ".join(cmd[:4]), r.err))
    err.close()
    return r


def run_seq(cmds, env, pipe=False):
    """Run several commands one after another; sum wall and CPU, max RSS."""
    tot = Result()
    tot.wall = tot.user = tot.sys = 0.0
    tot.rss_kib = 0
    tot.rc = 0
    t = 0.0
    for c in cmds:
        r = run(c, env, pipe)
        if tot.first is None and r.first is not None:
            tot.first = t + r.first
        t += r.wall
        tot.wall += r.wall
        tot.user += r.user
        tot.sys += r.sys
        tot.rss_kib = max(tot.rss_kib, r.rss_kib)
        tot.rc = tot.rc or r.rc
        tot.nlines += r.nlines
        tot.parts = getattr(tot, "parts", []) + [r]
    return tot


class Env:
    """Client environment: credentials, region, endpoint, no user config."""

    def __init__(self, home):
        # No AWS_* from the caller; no PYTHON* either: PYTHONUNBUFFERED
        # would hide that `aws logs tail` does not flush into a pipe.
        base = {k: v for k, v in os.environ.items()
                if not k.startswith(("AWS_", "PYTHON"))}
        base.update({
            "HOME": home,
            "AWS_ACCESS_KEY_ID": "AKIDBENCH",
            "AWS_SECRET_ACCESS_KEY": "bench-secret-not-real",
            "AWS_REGION": "us-east-1",
            "AWS_DEFAULT_REGION": "us-east-1",
            "AWS_CONFIG_FILE": os.path.join(home, "nonexistent-config"),
            "AWS_SHARED_CREDENTIALS_FILE": os.path.join(home, "nonexistent"),
            "AWS_PAGER": "",
            "AWS_DEFAULT_OUTPUT": "json",
            "AWS_EC2_METADATA_DISABLED": "true",
            "LC_ALL": "C.UTF-8",
        })
        self.base = base

    def for_url(self, url, key=None):
        e = dict(self.base)
        e["AWS_ENDPOINT_URL"] = url
        if key is not None:
            e["AWS_ACCESS_KEY_ID"] = key
        return e


# --- the tools -------------------------------------------------------------

class Tools:
    def __init__(self, apilogs):
        self.apilogs = os.path.abspath(apilogs)
        self.v1 = self.find_v1()
        self.v2 = "/usr/bin/aws" if os.path.exists("/usr/bin/aws") else None
        self.v1_version = self.version(self.v1)
        self.v2_version = self.version(self.v2)
        if self.v2_version and not self.v2_version.startswith("aws-cli/2"):
            self.v2 = None
        if self.v1_version and not self.v1_version.startswith("aws-cli/1"):
            self.v1 = None
        self.apilogs_version = self.version(self.apilogs)
        h = subprocess.run([self.apilogs, "get", "--help"],
                           capture_output=True, text=True).stdout
        self.has_query = "--query" in h or " -q" in h

    @staticmethod
    def find_v1():
        """The AWS CLI v1 on PATH, past a pyenv shim (its bash start-up
        would otherwise be billed to the peer)."""
        p = shutil.which("aws")
        if p is None:
            return None
        if "/shims/" in p and shutil.which("pyenv"):
            q = subprocess.run(["pyenv", "which", "aws"], capture_output=True,
                               text=True).stdout.strip()
            if q:
                p = q
        return p

    @staticmethod
    def version(path):
        if path is None:
            return None
        r = subprocess.run([path, "--version"], capture_output=True,
                           text=True)
        return (r.stdout + r.stderr).strip().splitlines()[0] \
            if (r.stdout + r.stderr).strip() else None

    def ap_get(self, groups, start, end, extra=()):
        c = [self.apilogs, "get"]
        for g in groups:
            c += ["-g", g]
        c += ["-s", str(start), "-e", str(end), "--no-progress"]
        return c + list(extra)

    def v1_cmds(self, groups, start, end, url):
        return [[self.v1, "logs", "filter-log-events", "--log-group-name", g,
                 "--start-time", str(start), "--end-time", str(end),
                 "--endpoint-url", url] for g in groups]

    def v2_cmds(self, groups, start, url):
        since = time.strftime("%Y-%m-%dT%H:%M:%SZ",
                              time.gmtime(start / 1000.0))
        return [[self.v2, "logs", "tail", g, "--since", since,
                 "--endpoint-url", url] for g in groups]


def shown(cmd, names):
    """A command line for the report: known paths (names: path -> text)
    shortened, times, ports and temporary files made generic."""
    out = []
    for a in cmd:
        for path, text in names.items():
            if path and path in a:
                a = a.replace(path, text)
        if re.fullmatch(r"\d{13}", a):
            a = "<ms>"
        elif re.fullmatch(r"\d{4}-\d\d-\d\dT[\d:]+Z", a):
            a = "<iso>"
        elif a.startswith("http://127.0.0.1:"):
            a = "http://127.0.0.1:<port>"
        if re.search(r"[\s$*'\"]", a):
            a = "'%s'" % a
        out.append(a)
    return " ".join(out)



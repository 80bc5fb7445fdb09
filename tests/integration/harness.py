# SPDX-License-Identifier: Apache-2.0
"""Test bed for integration tests: a real moto_server on loopback, seeded
with boto3, and the real build/apilogs binary run against it.

One moto_server is started per test run (on a free port, by this process,
so we know its PID), reset before every test (POST /moto-api/reset), and
stopped by its own PID at exit.
"""

import atexit
import json
import os
import pty
import select
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import unittest
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))
APILOGS = os.path.abspath(os.environ.get(
    "APILOGS_BIN", os.path.join(ROOT, "build", "apilogs")))
REGION = "us-east-1"
ACCOUNT = "123456789012"

try:
    import boto3
    import botocore.config
    import moto  # noqa: F401
    import moto.server  # noqa: F401
except ImportError as exc:  # never skip silently
    sys.stderr.write(
        "integration tests need moto and boto3 in this python3 (%s): %s\n"
        "install them with: pip install 'moto[server]' boto3\n"
        % (sys.executable, exc))
    raise SystemExit(1)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]



def stop_process(proc):
    """SIGTERM a server this harness started (by its own PID), SIGKILL it
    when it has not ended 5 s later."""
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()

def listens_on(pid, port):
    """Whether process PID (or a thread of it) owns a socket listening on
    127.0.0.1:PORT (Linux /proc; elsewhere assume yes)."""
    try:
        fds = os.listdir("/proc/%d/fd" % pid)
    except OSError:
        return sys.platform != "linux"
    inodes = set()
    for fd in fds:
        try:
            link = os.readlink("/proc/%d/fd/%s" % (pid, fd))
        except OSError:
            continue
        if link.startswith("socket:["):
            inodes.add(link[8:-1])
    try:
        with open("/proc/net/tcp") as f:
            rows = f.read().splitlines()[1:]
    except OSError:
        return True
    for row in rows:
        cols = row.split()
        local, state, inode = cols[1], cols[3], cols[9]
        if state == "0A" and int(local.split(":")[1], 16) == port \
                and inode in inodes:
            return True
    return False


class Moto:
    """A moto_server process on 127.0.0.1 that this harness owns."""

    def __init__(self, env=None):
        self.proc = None
        self.port = None
        self.env = env or {}
        self.log = tempfile.NamedTemporaryFile(
            prefix="moto-", suffix=".log", delete=False)

    @property
    def url(self):
        return "http://127.0.0.1:%d" % self.port

    def start(self):
        for _ in range(5):
            self.port = free_port()
            env = dict(os.environ)
            env.update(self.env)
            # Run the server module with this interpreter, not through a
            # pyenv shim, so self.proc.pid is the server itself.
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "moto.server", "-H", "127.0.0.1",
                 "-p", str(self.port)],
                stdout=self.log, stderr=subprocess.STDOUT, env=env,
                start_new_session=True)
            deadline = time.time() + 20
            while time.time() < deadline:
                if self.proc.poll() is not None:
                    break
                try:
                    urllib.request.urlopen(
                        self.url + "/moto-api/data.json", timeout=1).read()
                except OSError:
                    time.sleep(0.05)
                    continue
                # Another runner's moto may have taken the same free port
                # while this one was still importing: only a listening
                # socket of our own process counts.
                if listens_on(self.proc.pid, self.port):
                    return self
                break
            self.stop()
        raise RuntimeError("moto_server did not start; see " + self.log.name)

    def reset(self):
        req = urllib.request.Request(self.url + "/moto-api/reset",
                                     method="POST", data=b"")
        urllib.request.urlopen(req, timeout=10).read()

    def config(self, body):
        req = urllib.request.Request(self.url + "/moto-api/config",
                                     method="POST",
                                     data=json.dumps(body).encode())
        urllib.request.urlopen(req, timeout=10).read()

    def stop(self):
        if self.proc is None:
            return
        stop_process(self.proc)
        self.proc = None

    def client(self, service, **kw):
        return boto3.client(
            service, region_name=kw.pop("region", REGION),
            endpoint_url=self.url, aws_access_key_id="testing",
            aws_secret_access_key="testing",
            config=botocore.config.Config(retries={"max_attempts": 1}),
            **kw)


class FakeCwl:
    """A bench/fakecwl.py process on 127.0.0.1 that this harness owns: the
    synthetic CloudWatch Logs endpoint with Live Tail (StartLiveTail in
    event-stream framing), an ingestion delay and control endpoints (see
    the docstring of bench/fakecwl.py).  It picks its own free port and
    reports it ("READY <port>"), so there is no port race.

    args are fakecwl options; by default no generated groups and a fixed
    ingestion delay of 0.1 s with no jitter."""

    SCRIPT = os.path.join(ROOT, "bench", "fakecwl.py")
    DEFAULT_ARGS = ("--groups", "0", "--ingest-delay", "0.1",
                    "--ingest-jitter", "0")

    def __init__(self, *args):
        self.args = list(self.DEFAULT_ARGS) + [str(a) for a in args]
        self.proc = None
        self.port = None
        self.log = tempfile.NamedTemporaryFile(
            prefix="fakecwl-", suffix=".log", delete=False)

    @property
    def url(self):
        return "http://127.0.0.1:%d" % self.port

    def start(self):
        self.proc = subprocess.Popen(
            [sys.executable, self.SCRIPT] + self.args,
            stdout=subprocess.PIPE, stderr=self.log,
            stdin=subprocess.DEVNULL, start_new_session=True)
        line = self.proc.stdout.readline().split()
        if len(line) != 2 or line[0] != b"READY":
            self.stop()
            raise RuntimeError("fakecwl did not start; see " + self.log.name)
        self.port = int(line[1])
        return self

    def stop(self):
        if self.proc is None:
            return
        stop_process(self.proc)
        self.proc.stdout.close()
        self.proc = None

    def control(self, path, body=None):
        """GET path (body None) or POST body as JSON; the decoded answer."""
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(self.url + path, data=data,
                                     method="GET" if body is None
                                     else "POST")
        return json.loads(urllib.request.urlopen(req, timeout=10).read())

    def reset(self, everything=True):
        """Zero the counters; with everything, also drop every group,
        writer and Live Tail session and restore the start-up settings."""
        return self.control("/_reset", {"all": bool(everything)})

    def config(self, **kw):
        """Change settings at run time, e.g. ingest_delay=0.5, lt_mode=
        "unknown", lt_max_sessions=1, lt_max_duration=2, lt_sample=5."""
        return self.control("/_config", kw)

    def create_groups(self, *names):
        return self.control("/_group", {"names": list(names)})

    def put_events(self, group, stream, events, ingest_delay=None):
        """events: list of (timestamp_ms, message); visible after the
        ingestion delay (or ingest_delay s).  Returns their ingestionTime."""
        body = {"group": group, "stream": stream,
                "events": [[t, m] for t, m in events]}
        if ingest_delay is not None:
            body["ingest_delay"] = ingest_delay
        return self.control("/_events", body)["ingestionTime"]

    def break_sessions(self, how="drop"):
        """End every open Live Tail session: drop (connection reset),
        truncate (half a message, then reset), streaming
        (SessionStreamingException) or timeout (SessionTimeoutException).
        Returns how many there were."""
        return self.control("/_livetail/break", {"how": how})["sessions"]

    def sessions(self):
        return self.control("/_livetail")

    def stats(self):
        return self.control("/_stats")

    def arn(self, group):
        return "arn:aws:logs:%s:%s:log-group:%s" % (REGION, ACCOUNT, group)

    def client(self, service="logs", **kw):
        """A boto3 client for the fake (no host prefix, no retries)."""
        return boto3.client(
            service, region_name=REGION, endpoint_url=self.url,
            aws_access_key_id="testing", aws_secret_access_key="testing",
            config=botocore.config.Config(retries={"max_attempts": 1},
                                          inject_host_prefix=False), **kw)


def wait_for(cond, timeout=30.0, step=0.05, what="a condition"):
    """Poll cond() until it returns a true value (returned); fail with an
    AssertionError after timeout s.  For waiting, never for timing."""
    deadline = time.time() + timeout
    while True:
        v = cond()
        if v:
            return v
        if time.time() > deadline:
            raise AssertionError("timed out waiting for " + what)
        time.sleep(step)


_MOTO = None


def moto_server():
    """The shared moto server of this run, started on first use."""
    global _MOTO
    if _MOTO is None:
        _MOTO = Moto().start()
        atexit.register(_MOTO.stop)
    return _MOTO


def now_ms():
    return int(time.time() * 1000)


class Result:
    def __init__(self, rc, out, err, elapsed):
        self.rc = rc
        self.out = out
        self.err = err
        self.elapsed = elapsed

    @property
    def stdout(self):
        return self.out.decode("utf-8", "replace")

    @property
    def stderr(self):
        return self.err.decode("utf-8", "replace")

    def __repr__(self):
        return "Result(rc=%r, out=%r, err=%r)" % (self.rc, self.out[:2000],
                                                   self.err[:2000])


def valgrind_prefix():
    if os.environ.get("APILOGS_VALGRIND") != "1":
        return []
    return ["valgrind", "-q", "--error-exitcode=99", "--leak-check=full",
            "--errors-for-leak-kinds=definite,indirect"]


class ApilogsTestCase(unittest.TestCase):
    """Base class: a fresh moto state, a private HOME, dummy credentials."""

    maxDiff = None

    def setUp(self):
        self.moto = moto_server()
        self.moto.reset()
        self.home = tempfile.mkdtemp(prefix="apilogs-home-")
        self.addCleanup(shutil.rmtree, self.home, True)
        self.logs = self.moto.client("logs")

    def endpoint_url(self):
        return self.moto.url

    def base_env(self):
        env = {k: v for k, v in os.environ.items()
               if not k.startswith("AWS_") and k not in (
                   "NO_COLOR", "FORCE_COLOR", "HTTPS_PROXY", "https_proxy",
                   "HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy")}
        env.update({
            "HOME": self.home,
            "AWS_ACCESS_KEY_ID": "testing",
            "AWS_SECRET_ACCESS_KEY": "testing",
            "AWS_REGION": REGION,
            "AWS_ENDPOINT_URL": self.endpoint_url(),
            "AWS_EC2_METADATA_DISABLED": "true",
            "AWS_CONFIG_FILE": os.path.join(self.home, "config"),
            "AWS_SHARED_CREDENTIALS_FILE": os.path.join(self.home,
                                                        "credentials"),
            "TZ": "UTC",
            "LC_ALL": "C.UTF-8",
        })
        return env

    def run_apilogs(self, *args, env=None, unset=(), timeout=60, stdin=None,
                    input=None):
        full_env = self.base_env()
        if env:
            full_env.update(env)
        for k in unset:
            full_env.pop(k, None)
        cmd = valgrind_prefix() + [APILOGS] + [str(a) for a in args]
        t0 = time.time()
        p = subprocess.run(cmd, env=full_env, stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, timeout=timeout,
                           stdin=stdin if stdin is not None
                           else subprocess.DEVNULL, input=input)
        return Result(p.returncode, p.stdout, p.stderr, time.time() - t0)

    def run_apilogs_on_pty(self, *args, env=None, stderr_on_pty=False,
                           timeout=120):
        """Run apilogs with stdout (and stderr, with stderr_on_pty; else
        nowhere) on a pseudo-terminal, read it until the program closes
        it or timeout seconds pass; Result.out is what the terminal got."""
        full_env = self.base_env()
        if env:
            full_env.update(env)
        master, slave = pty.openpty()
        t0 = time.time()
        p = subprocess.Popen(
            valgrind_prefix() + [APILOGS] + [str(a) for a in args],
            env=full_env, stdin=subprocess.DEVNULL, stdout=slave,
            stderr=slave if stderr_on_pty else subprocess.DEVNULL)
        os.close(slave)
        data = b""
        deadline = t0 + timeout
        while time.time() < deadline:
            r, _, _ = select.select([master], [], [], 1)
            if not r:
                if p.poll() is not None:
                    break
                continue
            try:
                chunk = os.read(master, 65536)
            except OSError:  # EIO: the other side is closed
                break
            if not chunk:
                break
            data += chunk
        os.close(master)
        rc = p.wait(timeout=30)
        return Result(rc, data, b"", time.time() - t0)

    @staticmethod
    def read_lines(proc, n, timeout=30):
        """Up to n lines (decoded) from proc's stdout, fewer at its end or
        once timeout seconds passed (checked between lines)."""
        lines = []
        deadline = time.time() + timeout
        while len(lines) < n and time.time() < deadline:
            line = proc.stdout.readline()
            if not line:
                break
            lines.append(line.decode())
        return lines

    @staticmethod
    def read_line_with(stream, needle, timeout=15):
        """Read a binary stream (a process's stdout or stderr) up to the
        first line holding needle (bytes) and return it; at its end or
        after timeout seconds (checked between lines), the last line read
        (b"" at the end)."""
        deadline = time.time() + timeout
        line = b""
        while time.time() < deadline:
            line = stream.readline()
            if not line or needle in line:
                break
        return line

    def spawn_apilogs(self, *args, env=None, unset=(), **kw):
        full_env = self.base_env()
        if env:
            full_env.update(env)
        for k in unset:
            full_env.pop(k, None)
        cmd = valgrind_prefix() + [APILOGS] + [str(a) for a in args]
        kw.setdefault("stdout", subprocess.PIPE)
        kw.setdefault("stderr", subprocess.PIPE)
        kw.setdefault("stdin", subprocess.DEVNULL)
        return subprocess.Popen(cmd, env=full_env, **kw)

    # Seeding helpers -------------------------------------------------

    def put_events(self, group, stream, events, create=True):
        """events: list of (timestamp_ms, message); created if needed."""
        if create:
            try:
                self.logs.create_log_group(logGroupName=group)
            except self.logs.exceptions.ResourceAlreadyExistsException:
                pass
            try:
                self.logs.create_log_stream(logGroupName=group,
                                            logStreamName=stream)
            except self.logs.exceptions.ResourceAlreadyExistsException:
                pass
        batch = sorted(events, key=lambda e: e[0])
        for i in range(0, len(batch), 10000):
            self.logs.put_log_events(
                logGroupName=group, logStreamName=stream,
                logEvents=[{"timestamp": t, "message": m}
                           for t, m in batch[i:i + 10000]])


class FakeCwlTestCase(ApilogsTestCase):
    """Base class for tests against bench/fakecwl.py instead of moto (Live
    Tail, ingestion delay, quotas): one fakecwl per test class, started
    with the class's FAKECWL_ARGS and stopped by its own PID; every test
    starts from an empty fake (no groups, counters zero, start-up
    settings).  self.fake is the FakeCwl; self.logs a boto3 client of it."""

    FAKECWL_ARGS = ()

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.fake = FakeCwl(*cls.FAKECWL_ARGS).start()

    @classmethod
    def tearDownClass(cls):
        cls.fake.stop()
        super().tearDownClass()

    def setUp(self):
        self.fake.reset()
        self.home = tempfile.mkdtemp(prefix="apilogs-home-")
        self.addCleanup(shutil.rmtree, self.home, True)
        self.logs = self.fake.client("logs")

    def endpoint_url(self):
        return self.fake.url

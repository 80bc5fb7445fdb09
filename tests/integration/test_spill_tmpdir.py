# SPDX-License-Identifier: Apache-2.0
"""An unusable TMPDIR (issue 13): missing, not a directory, read-only or
full, it never fails a read that does not need the disk. A sliced read
whose later slices would read ahead to disk reads ahead in memory instead
(back-pressure), says so once at -v, and prints every event once, in
order: the same bytes as with a usable TMPDIR."""

import os
import resource
import shutil
import signal
import subprocess
import tempfile
import time

from faultcase import FaultCase
from faultproxy import Rule
from harness import APILOGS, Result, now_ms, valgrind_prefix

NOTICE = b"cannot read ahead to disk"
# Time slices read ahead to disk: FilterLogEvents alone (a group of few
# streams would otherwise move to GetLogEvents rather than be sliced).
ARGS = ["get", "/busy", "-s", "1h", "--page-size", "100", "--slices", "8",
        "--stream-reads", "0", "-GS"]


class TestUnusableTmpdir(FaultCase):
    page_limit = None

    def setUp(self):
        super().setUp()
        t = now_ms() - 3000000
        evs = [(t + i * 900, "event %d" % i) for i in range(3000)]
        for k in range(3):
            self.put_events("/busy", "stream-%d" % k, evs[k::3])
        # 150 ms per page: the read is sliced, later slices read ahead.
        self.proxy.add(Rule("slow", first=1, count=10**6, delay=0.15))
        self.home = tempfile.mkdtemp(prefix="apilogs-spill-home-")
        self.addCleanup(shutil.rmtree, self.home, True)
        os.chmod(self.home, 0o755)

    def read(self, tmpdir, *extra, as_nobody=False, fsize=None):
        env = self.base_env()
        env["TMPDIR"] = tmpdir
        cmd = valgrind_prefix() + [APILOGS] + ARGS + list(extra)
        if as_nobody and os.geteuid() == 0:
            cmd = ["setpriv", "--reuid=65534", "--regid=65534",
                   "--clear-groups"] + cmd

        def limit():
            # SIGXFSZ ignored (inherited by exec): a write past the limit
            # fails with EFBIG, as on a full disk.
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
            hard = resource.getrlimit(resource.RLIMIT_FSIZE)[1]
            resource.setrlimit(resource.RLIMIT_FSIZE, (fsize, hard))
        t0 = time.time()
        p = subprocess.run(cmd, env=env, stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, timeout=60,
                           stdin=subprocess.DEVNULL,
                           preexec_fn=limit if fsize else None)
        return Result(p.returncode, p.stdout, p.stderr, time.time() - t0)

    def reference(self):
        tmp = tempfile.mkdtemp(prefix="apilogs-spill-ok-")
        self.addCleanup(shutil.rmtree, tmp, True)
        r = self.read(tmp, "-vv")
        self.assertEqual(r.rc, 0, r)
        self.assertIn(b"more time slices in parallel", r.err)
        self.assertNotIn(NOTICE, r.err)
        lines = r.out.splitlines()
        self.assertEqual(len(lines), 3000)
        self.assertEqual(len(set(lines)), 3000)
        return r.out

    def check(self, tmpdir, want, quiet=False, **kw):
        r = self.read(tmpdir, "-vv", **kw)
        self.assertEqual(r.rc, 0, r)
        self.assertIn(b"more time slices in parallel", r.err, r)
        self.assertEqual(r.err.count(NOTICE), 1, r)
        self.assertIn(b"reading ahead in memory only", r.err)
        self.assertEqual(r.out, want, "not the same output")
        if not quiet:
            return
        # Without -v: nothing on stderr.
        r = self.read(tmpdir, **kw)
        self.assertEqual((r.rc, r.err), (0, b""), r)
        self.assertEqual(r.out, want)

    def test_missing_tmpdir(self):
        self.check("/nonexistent/apilogs-tmp", self.reference(), quiet=True)

    def test_tmpdir_not_a_directory(self):
        f = tempfile.NamedTemporaryFile(prefix="apilogs-spill-file-")
        self.addCleanup(f.close)
        self.check(os.path.join(f.name, "tmp"), self.reference())

    def test_read_only_tmpdir(self):
        want = self.reference()
        ro = tempfile.mkdtemp(prefix="apilogs-spill-ro-")
        self.addCleanup(shutil.rmtree, ro, True)
        os.chmod(ro, 0o555)
        # Root writes anywhere: run as nobody when the suite runs as root.
        self.check(ro, want, as_nobody=True)
        self.assertEqual(os.listdir(ro), [])

    def test_full_disk_mid_read(self):
        """The disk fills up after a few pages of a slice are on disk (a
        file size limit of 16 KiB, about one page): those pages are still printed first,
        then the slice goes on in memory."""
        want = self.reference()
        tmp = tempfile.mkdtemp(prefix="apilogs-spill-full-")
        self.addCleanup(shutil.rmtree, tmp, True)
        self.check(tmp, want, fsize=16384)

# SPDX-License-Identifier: Apache-2.0
"""Write errors on standard output (issue 13): only a reader that went away
(EPIPE) is a quiet, successful end. A full device, a closed descriptor or
any other write error prints one line and exits 1, for every command,
--help and --version included."""

import os
import subprocess

from harness import APILOGS, ApilogsTestCase, now_ms, valgrind_prefix


class TestOutputErrors(ApilogsTestCase):
    def setUp(self):
        super().setUp()
        t = now_ms() - 60000
        self.put_events("/out/a", "s", [(t + i, "line %d" % i)
                                        for i in range(3000)])

    def run_to(self, args, stdout, close_stdout=False):
        cmd = valgrind_prefix() + [APILOGS] + list(args)
        kw = {}
        if close_stdout:
            # Start the program with descriptor 1 closed.
            kw["preexec_fn"] = lambda: os.close(1)
            stdout = None
        p = subprocess.run(cmd, env=self.base_env(), stdout=stdout,
                           stderr=subprocess.PIPE, stdin=subprocess.DEVNULL,
                           timeout=60, **kw)
        return p.returncode, p.stderr.decode("utf-8", "replace")

    def assert_one_error(self, rc, err, needle):
        self.assertEqual(rc, 1, err)
        lines = err.splitlines()
        self.assertEqual(len(lines), 1, err)
        self.assertTrue(lines[0].startswith("apilogs: error writing to "
                                            "standard output"), err)
        self.assertIn(needle, lines[0])

    def test_full_device(self):
        for args in (["--help"], ["--version"], ["get", "--help"],
                     ["groups"], ["streams", "/out/a"],
                     ["get", "/out/a", "-s", "1h"]):
            with self.subTest(args=args), open("/dev/full", "wb") as full:
                rc, err = self.run_to(args, full)
                self.assert_one_error(rc, err, "No space left on device")

    def test_closed_descriptor(self):
        for args in (["--version"], ["groups"],
                     ["get", "/out/a", "-s", "1h"]):
            with self.subTest(args=args):
                rc, err = self.run_to(args, None, close_stdout=True)
                self.assert_one_error(rc, err, "Bad file descriptor")

    def test_reader_gone_is_quiet(self):
        cmd = valgrind_prefix() + [APILOGS, "get", "/out/a", "-s", "1h"]
        p = subprocess.Popen(cmd, env=self.base_env(),
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             stdin=subprocess.DEVNULL)
        p.stdout.readline()
        p.stdout.close()
        err = p.stderr.read()
        p.stderr.close()
        self.assertEqual(p.wait(timeout=60), 0, err)
        self.assertEqual(err, b"")

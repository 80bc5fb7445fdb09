# SPDX-License-Identifier: Apache-2.0
"""Run the integration suite and print "RESULT passed failed".

APILOGS_IT_PATTERN selects test files: one glob, or several separated by
spaces (default test_*.py).  APILOGS_IT_JOBS (default: twice the number of CPUs,
at most 4) runs that many files at once, each in its own process with its
own moto_server: most of the suite's time is spent waiting for moto and
for the binary's timers, not computing.  Each file's output is printed
whole when it ends, so the log reads as if the files ran one by one."""

import fnmatch
import os
import subprocess
import sys
import tempfile
import time
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import harness  # noqa: E402  (fails loudly when moto/boto3 are missing)


def run_here(pattern):
    """Run the matching tests in this process; returns the exit status."""
    suite = unittest.TestSuite()
    for p in pattern.split():
        suite.addTests(unittest.defaultTestLoader.discover(HERE, pattern=p))
    runner = unittest.TextTestRunner(verbosity=2, stream=sys.stdout)
    result = runner.run(suite)
    failed = len(result.failures) + len(result.errors) + \
        len(result.unexpectedSuccesses)
    passed = result.testsRun - failed - len(result.skipped)
    if result.skipped:
        # A skipped test is a test that did not run: count it as failed.
        failed += len(result.skipped)
    harness.moto_server  # keep the import used
    print("RESULT %d %d" % (passed, failed))
    return 1 if failed else 0


def files_for(pattern):
    """The test files the pattern selects, largest first (a rough guess at
    the longest first, so the last to start are short)."""
    names = sorted(f for f in os.listdir(HERE)
                   if f.endswith(".py") and
                   any(fnmatch.fnmatch(f, p) for p in pattern.split()))
    return sorted(names, key=lambda f: -os.path.getsize(os.path.join(HERE, f)))


def result_of(out):
    for line in reversed(out.splitlines()):
        if line.startswith("RESULT "):
            _, p, f = line.split()
            return int(p), int(f)
    return None


def run_parallel(files, jobs):
    """Run each file in a child process, jobs at a time."""
    todo = list(files)
    running = []  # (file, proc, start)
    passed = failed = 0
    env = dict(os.environ, APILOGS_IT_JOBS="1")
    while todo or running:
        while todo and len(running) < jobs:
            f = todo.pop(0)
            log = tempfile.TemporaryFile()
            p = subprocess.Popen(
                [sys.executable, os.path.abspath(__file__)],
                env=dict(env, APILOGS_IT_PATTERN=f),
                stdout=log, stderr=subprocess.STDOUT)
            p.log = log
            running.append((f, p, time.monotonic()))
        # Wait for the first child to end (output goes to a file: no pipe
        # to fill up while another child is awaited).
        done = None
        while done is None:
            for item in running:
                if item[1].poll() is not None:
                    done = item
                    break
            else:
                time.sleep(0.05)
        running.remove(done)
        f, p, t0 = done
        p.log.seek(0)
        out = p.log.read().decode("utf-8", "replace")
        p.log.close()
        sys.stdout.write("---- %s (%.0f s)\n%s" % (f, time.monotonic() - t0,
                                                   out))
        sys.stdout.flush()
        r = result_of(out)
        if r is None:
            print("FAIL: %s printed no result (exit status %d)"
                  % (f, p.returncode))
            failed += 1
        else:
            passed += r[0]
            failed += r[1]
            if p.returncode != 0 and r[1] == 0:
                print("FAIL: %s exited with status %d" % (f, p.returncode))
                failed += 1
    print("RESULT %d %d" % (passed, failed))
    return 1 if failed else 0


def main():
    pattern = os.environ.get("APILOGS_IT_PATTERN", "test_*.py")
    jobs = os.environ.get("APILOGS_IT_JOBS")
    jobs = int(jobs) if jobs else min(2 * (os.cpu_count() or 1), 4)
    files = files_for(pattern)
    if jobs <= 1 or len(files) <= 1:
        return run_here(pattern)
    return run_parallel(files, jobs)


if __name__ == "__main__":
    sys.exit(main())

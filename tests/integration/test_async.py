# SPDX-License-Identifier: Apache-2.0
"""The runtime model (issue 12): a gone reader ends a quiet --watch, spill
files do not outlive their slices, and an interrupted read frees all it
had in flight (run under `make asan`, a leak would show on stderr)."""

import os
import signal
import tempfile
import threading
import time

from faultcase import FaultCase, Follower
from faultproxy import Rule
from harness import ApilogsTestCase, now_ms


def deleted_fds(pid):
    """The descriptors of pid that name a deleted file."""
    out = []
    d = "/proc/%d/fd" % pid
    try:
        names = os.listdir(d)
    except FileNotFoundError:
        return out
    for n in names:
        try:
            target = os.readlink(os.path.join(d, n))
        except OSError:
            continue
        if target.endswith("(deleted)"):
            out.append(target)
    return out


class TestStdoutGone(ApilogsTestCase):
    def test_watch_ends_when_reader_closes_without_events(self):
        # An empty group: nothing is ever written, so no EPIPE can tell.
        # Polling: on moto, auto mode would add Live Tail's fallback
        # notice to stderr, which must otherwise stay empty.
        self.logs.create_log_group(logGroupName="/quiet")
        r, w = os.pipe()
        p = self.spawn_apilogs("get", "/quiet", "--watch", "-s", "1m",
                               "-i", "0.5", "--follow-mode", "poll",
                               stdout=w)
        os.close(w)
        time.sleep(1.0)  # following by now
        self.assertIsNone(p.poll())
        t0 = time.time()
        os.close(r)
        _, err = p.communicate(timeout=10)
        self.assertLess(time.time() - t0, 3.0)
        self.assertEqual((p.returncode, err), (0, b""))


class TestSpillLifecycle(FaultCase):
    page_limit = None

    def seed_busy(self):
        t = now_ms() - 3000000
        evs = [(t + i * 900, "event %d" % i) for i in range(3000)]
        for k in range(3):
            self.put_events("/busy", "stream-%d" % k, evs[k::3])
        # 150 ms per page: the read is sliced, later slices spill.
        self.proxy.add(Rule("slow", first=1, count=10**6, delay=0.15))

    def test_no_deleted_file_held_after_handover_to_watch(self):
        self.seed_busy()
        tmp = tempfile.mkdtemp(prefix="apilogs-spill-test-")
        self.addCleanup(os.rmdir, tmp)
        env = {"TMPDIR": tmp}
        p = self.spawn_apilogs("get", "/busy", "-s", "1h", "--page-size",
                               "100", "--slices", "8", "--watch", "-i",
                               "0.5", "-GS", "-vv", env=env)
        f = Follower(p)
        self.addCleanup(f.kill)
        seen = set()
        stop = threading.Event()

        def watch_fds():
            while not stop.is_set():
                for t in deleted_fds(p.pid):
                    if tmp in t:
                        seen.add(t)
                time.sleep(0.01)

        th = threading.Thread(target=watch_fds, daemon=True)
        th.start()
        f.wait_lines(3000, timeout=60)
        # Following now; give it a few polls.
        time.sleep(1.5)
        stop.set()
        th.join()
        self.assertTrue(seen, "the read never spilled: the test proves "
                        "nothing\n" + "".join(
                            x.decode() for x in f.errlines()))
        self.assertIn("more time slices in parallel",
                      "".join(x.decode() for x in f.errlines()))
        held = [t for t in deleted_fds(p.pid) if tmp in t]
        self.assertEqual(held, [])
        self.assertEqual(f.stop(), 0)

    def test_sigint_mid_sliced_read_exits_cleanly(self):
        self.seed_busy()
        tmp = tempfile.mkdtemp(prefix="apilogs-spill-test-")
        self.addCleanup(os.rmdir, tmp)
        p = self.spawn_apilogs("get", "/busy", "-s", "1h", "--page-size",
                               "100", "--slices", "8", "-GS",
                               env={"TMPDIR": tmp})
        f = Follower(p)
        self.addCleanup(f.kill)
        # The read takes about 6 s; at 2 s requests, timers and spill
        # files are in flight.
        time.sleep(2.0)
        self.assertIsNone(p.poll())
        p.send_signal(signal.SIGINT)
        p.wait(timeout=10)
        f.threads[0].join(5)
        f.threads[1].join(5)
        self.assertEqual(p.returncode, 0)
        self.assertEqual(f.errlines(), [])
        self.assertLess(len(f.lines()), 3000)


class TestInterrupt(FaultCase):
    def test_sigint_while_a_request_hangs(self):
        self.put_events("/g", "s", [(now_ms() - 1000, "x")])
        self.proxy.add(Rule("slow", first=1, count=10**6, delay=5))
        p = self.spawn_apilogs("get", "/g", "-s", "1m")
        time.sleep(1.0)
        self.assertIsNone(p.poll())
        p.send_signal(signal.SIGINT)
        out, err = p.communicate(timeout=10)
        self.assertEqual((p.returncode, out, err), (0, b"", b""))

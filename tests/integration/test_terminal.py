# SPDX-License-Identifier: Apache-2.0
"""Output on a shared terminal (issue 13): the progress line on stderr is
erased before lines are written to stdout when both are the same terminal,
and no control sequence is written when TERM=dumb."""

import os
import pty
import select
import subprocess
import time

from faultcase import FaultCase, now_ms
from faultproxy import Rule
from harness import APILOGS, valgrind_prefix


class TestSharedTerminal(FaultCase):
    page_limit = 50

    def setUp(self):
        super().setUp()
        t = now_ms() - 600000
        self.put_events("/tty/a", "s", [(t + i * 10, "event-%05d" % i)
                                        for i in range(2000)])
        # Slow pages so that the read lasts a few progress ticks.
        self.proxy.add(Rule("slow", first=1, count=1000, delay=0.05))

    def run_on_pty(self, env_extra):
        master, slave = pty.openpty()
        env = self.base_env()
        env.update(env_extra)
        p = subprocess.Popen(valgrind_prefix() +
                             [APILOGS, "get", "/tty/a", "-s", "1h",
                              "--no-color"],
                             env=env, stdin=subprocess.DEVNULL,
                             stdout=slave, stderr=slave)
        os.close(slave)
        data = b""
        deadline = time.time() + 120
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
        self.assertEqual(p.wait(timeout=30), 0, data[-2000:])
        return data.decode("utf-8", "replace")

    def test_progress_never_splices_lines(self):
        out = self.run_on_pty({"TERM": "xterm"})
        self.assertIn("sources done", out, "no progress line was shown")
        lines = [l for l in out.replace("\r\n", "\n").split("\n")]
        events = [l for l in lines if "event-" in l]
        self.assertEqual(len(events), 2000)
        for l in events:
            # What the terminal shows: the text after the last \r.
            shown = l.split("\r")[-1].replace("\x1b[K", "")
            self.assertRegex(shown, r"^s event-\d{5}$|event-\d{5}$")
            self.assertFalse("sources done" in shown, repr(l[-300:]))

    def test_dumb_terminal_gets_no_escape(self):
        out = self.run_on_pty({"TERM": "dumb"})
        i = out.find("\x1b")
        self.assertEqual(i, -1, "an escape sequence: %r" % out[i - 80:i + 80])
        self.assertEqual(out.count("event-"), 2000)

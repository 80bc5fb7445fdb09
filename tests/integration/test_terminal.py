# SPDX-License-Identifier: Apache-2.0
"""Output on a shared terminal (issue 13): the progress line on stderr is
erased before lines are written to stdout when both are the same terminal,
and no control sequence is written when TERM=dumb."""


from faultcase import FaultCase, now_ms
from faultproxy import Rule


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
        r = self.run_apilogs_on_pty("get", "/tty/a", "-s", "1h",
                                    "--no-color", env=env_extra,
                                    stderr_on_pty=True)
        self.assertEqual(r.rc, 0, r.out[-2000:])
        return r.stdout

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

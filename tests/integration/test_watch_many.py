# SPDX-License-Identifier: Apache-2.0
"""--watch over many groups against moto (issue 14): lines stay in time
order with the default hold-back, an event stamped before lines already
printed comes out once, marked late (JSON) or dimmed (colour)."""

import json
import signal
import time

from harness import ApilogsTestCase, now_ms

NGROUPS = 25


class TestWatchMany(ApilogsTestCase):
    def stop(self, proc):
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=15)
        self.assertEqual(proc.returncode, 0, err)
        return out, err

    def test_many_groups_ordered_then_late(self):
        groups = ["/m/%02d" % i for i in range(NGROUPS)]
        t = now_ms()
        for g in groups:
            self.logs.create_log_group(logGroupName=g)
            self.logs.create_log_stream(logGroupName=g, logStreamName="s")
        # Two busy groups: recent history makes them active at once.
        self.put_events("/m/03", "s", [(t - 3000, "warm 3")], create=False)
        self.put_events("/m/08", "s", [(t - 2900, "warm 8")], create=False)
        args = ["get"] + sum((["-g", g] for g in groups), []) + [
            "--watch", "-s", "1m", "-i", "0.3", "-o", "json"]
        p = self.spawn_apilogs(*args)
        try:
            got = [json.loads(x) for x in self.read_lines(p, 2)]
            self.assertEqual([e["message"] for e in got],
                             ["warm 3", "warm 8"])
            # 25 groups at 5 requests/s: a plain round-robin would poll
            # each every 5 s, longer than any fixed hold-back of 2 s.
            # Writes alternate between the two groups, 100 ms apart,
            # stamped now.
            n = 30
            for i in range(n):
                g = "/m/03" if i % 2 == 0 else "/m/08"
                self.put_events(g, "s", [(now_ms(), "w-%02d" % i)],
                                create=False)
                time.sleep(0.1)
            got = [json.loads(x) for x in self.read_lines(p, n)]
            self.assertEqual(sorted(e["message"] for e in got),
                             ["w-%02d" % i for i in range(n)])
            ts = [e["timestamp"] for e in got]
            self.assertEqual(ts, sorted(ts), got)
            self.assertFalse([e for e in got if "late" in e], got)
            # Stamped 2 s before the newest line printed, within the 5 s
            # overlap: read, printed once, marked late.
            self.put_events("/m/08", "s",
                            [(max(ts) - 2000, "deliberately late")],
                            create=False)
            late = [json.loads(x) for x in self.read_lines(p, 1)]
            self.assertEqual(len(late), 1)
            self.assertEqual(late[0]["message"], "deliberately late")
            self.assertIs(late[0]["late"], True)
            time.sleep(2)  # more polls: nothing may repeat
        finally:
            out, err = self.stop(p)
        self.assertEqual(out, b"")
        self.assertNotIn(b"does not exist", err)

    def test_late_line_dimmed_in_colour(self):
        t = now_ms()
        self.put_events("/c/a", "s", [(t - 1000, "first")])
        self.put_events("/c/b", "s", [(t - 900, "other")])
        p = self.spawn_apilogs("get", "-g", "/c/a", "-g", "/c/b", "--watch",
                               "-s", "1m", "-i", "0.2", "--color", "always",
                               "-GS")
        try:
            self.assertEqual(len(self.read_lines(p, 2)), 2)
            t = now_ms()
            self.put_events("/c/a", "s", [(t, "on time")], create=False)
            on_time = self.read_lines(p, 1)
            self.put_events("/c/b", "s", [(t - 2000, "late one")],
                            create=False)
            late = self.read_lines(p, 1)
        finally:
            out, _ = self.stop(p)
        self.assertEqual(on_time, ["on time\n"])
        self.assertEqual(late, ["\x1b[2mlate one\x1b[0m\n"])
        self.assertEqual(out, b"")

    def test_hold_back_values(self):
        t = now_ms()
        self.put_events("/h", "s", [(t - 1000, "x")])
        for v in ("auto", "0", "2.5"):
            r = self.run_apilogs("get", "/h", "-s", "1m", "-GS",
                                 "--hold-back", v)
            self.assertEqual((r.rc, r.stdout), (0, "x\n"), (v, r))
        r = self.run_apilogs("get", "/h", "--hold-back", "automatic")
        self.assertEqual(r.rc, 2, r)
        self.assertIn("--hold-back 'automatic'", r.stderr)
        for shell, want in (("bash", "--hold-back) compgen -W 'auto'"),
                            ("zsh", "--hold-back) compadd -- auto"),
                            ("fish", "-l hold-back")):
            r = self.run_apilogs("completion", shell)
            self.assertEqual(r.rc, 0, r)
            self.assertIn(want, r.stdout)

# SPDX-License-Identifier: Apache-2.0
"""--watch through CloudWatch Logs Live Tail (StartLiveTail), against
bench/fakecwl.py (real event-stream framing, session breaks, sampling,
refusals) and moto (which lacks the operation): live follow of 1 and 12
groups (two sessions), a first open with no backfill (the sessions open
before the history read), reconnection with a backfill, the sampled notice,
the fallback to polling, --follow-mode poll and live.  No timing
assertions: every wait is for a condition."""

import json
import os
import select
import signal
import time

from harness import ApilogsTestCase, FakeCwlTestCase, now_ms, wait_for


class Follower:
    """An `apilogs get --watch` process whose stdout lines are collected
    without blocking (JSON output)."""

    def __init__(self, proc):
        self.p = proc
        self.buf = b""
        self.lines = []
        self.err = ""  # stderr read so far

    def pump(self):
        while not self.p.stdout.closed:
            r, _, _ = select.select([self.p.stdout], [], [], 0)
            if not r:
                return
            chunk = os.read(self.p.stdout.fileno(), 65536)
            if not chunk:
                return
            self.buf += chunk
            while b"\n" in self.buf:
                line, self.buf = self.buf.split(b"\n", 1)
                self.lines.append(json.loads(line))

    def messages(self):
        self.pump()
        return [e["message"] for e in self.lines]

    def wait_messages(self, want, what="lines"):
        """Wait until every message of want was printed."""
        want = set(want)
        return wait_for(lambda: want <= set(self.messages()), timeout=40,
                        what=what)

    def stop(self):
        if self.p.poll() is None:
            self.p.send_signal(signal.SIGINT)
        out, err = self.p.communicate(timeout=20)
        for line in (self.buf + out).splitlines():
            self.lines.append(json.loads(line))
        self.buf = b""
        return self.p.returncode, self.err + err.decode()


class LiveTailFake(FakeCwlTestCase):
    def follow(self, groups, *extra):
        args = ["get", "--watch", "-s", "1m", "-o", "json", "-v"]
        for g in groups:
            args += ["-g", g]
        f = Follower(self.spawn_apilogs(*(args + list(extra))))
        self.addCleanup(lambda: f.p.poll() is None and f.p.kill())
        return f

    def wait_sessions(self, n):
        return wait_for(lambda: len(self.fake.sessions()) >= n and
                        self.fake.stats()["livetail"]["updates"] > 0,
                        what="%d open Live Tail sessions" % n)

    def put(self, group, msg, stream="s1", **kw):
        self.fake.put_events(group, stream, [(now_ms(), msg)], **kw)

    def assert_once(self, f, msgs):
        got = f.messages()
        for m in msgs:
            self.assertEqual(got.count(m), 1, (m, got))

    def test_one_group(self):
        self.fake.create_groups("/lt/a")
        self.fake.put_events("/lt/a", "s1", [(now_ms() - 5000, "history")])
        f = self.follow(["/lt/a"])
        f.wait_messages(["history"])
        self.wait_sessions(1)
        self.put("/lt/a", "live one")
        self.put("/lt/a", "live two", stream="s2")
        f.wait_messages(["live one", "live two"])
        st = self.fake.stats()
        rc, err = f.stop()
        self.assertEqual(rc, 0, err)
        self.assert_once(f, ["history", "live one", "live two"])
        self.assertEqual(st["counts"]["StartLiveTail"], 1)
        self.assertGreaterEqual(st["livetail"]["events"], 2)
        self.assertNotIn("polling", err)

    def test_json_event_id_only_where_there_is_one(self):
        # -o json: FilterLogEvents' id for the history; no eventId key
        # (not "", which looks like one id shared by all) for what Live
        # Tail delivered, which has none.
        self.fake.create_groups("/lt/id")
        self.fake.put_events("/lt/id", "s1", [(now_ms() - 5000, "history")],
                             ingest_delay=0)
        wait_for(lambda: self.logs.filter_log_events(
            logGroupName="/lt/id")["events"], what="the history event")
        f = self.follow(["/lt/id"])
        self.wait_sessions(1)
        self.put("/lt/id", "live")
        f.wait_messages(["history", "live"])
        rc, err = f.stop()
        self.assertEqual(rc, 0, err)
        ev = {e["message"]: e for e in f.lines}
        self.assertRegex(ev["history"]["eventId"], r"^\d{20,}$")
        self.assertNotIn("eventId", ev["live"])

    def test_first_open_needs_no_backfill(self):
        # The sessions open before the history read, which reads up to a
        # t0 after sessionStart: one FilterLogEvents per group (the
        # history), none for a backfill; the history's last seconds come
        # out once, in order with the live lines, none of them late.
        groups = ["/lt/n%d" % i for i in range(3)]
        self.fake.create_groups(*groups)
        self.fake.put_events(groups[1], "s1", [(now_ms() - 3000, "recent")])
        f = self.follow(groups)
        self.wait_sessions(1)
        msgs = ["live %s" % g for g in groups]
        for g, m in zip(groups, msgs):
            self.put(g, m)
        f.wait_messages(["recent"] + msgs)
        st = self.fake.stats()
        rc, err = f.stop()
        self.assertEqual(rc, 0, err)
        self.assert_once(f, ["recent"] + msgs)
        self.assertEqual(f.messages()[0], "recent")
        self.assertFalse(any(e.get("late") for e in f.lines), f.lines)
        self.assertEqual(st["counts"]["StartLiveTail"], 1)
        self.assertEqual(st["counts"]["FilterLogEvents"], 3, st["counts"])

    def test_group_given_by_arn(self):
        self.fake.create_groups("/lt/arn")
        f = self.follow([self.fake.arn("/lt/arn")])
        self.wait_sessions(1)
        self.put("/lt/arn", "by arn")
        f.wait_messages(["by arn"])
        rc, err = f.stop()
        self.assertEqual(rc, 0, err)
        self.assert_once(f, ["by arn"])
        self.assertNotIn("polling", err)

    def test_twelve_groups_two_sessions(self):
        groups = ["/lt/g%02d" % i for i in range(12)]
        self.fake.create_groups(*groups)
        f = self.follow(groups)
        self.wait_sessions(2)
        self.assertEqual(len(self.fake.sessions()), 2)
        msgs = ["live %s" % g for g in groups]
        for g, m in zip(groups, msgs):
            self.put(g, m)
        f.wait_messages(msgs)
        rc, err = f.stop()
        self.assertEqual(rc, 0, err)
        self.assert_once(f, msgs)
        got = [(e["logGroupName"], e["message"]) for e in f.lines]
        self.assertEqual(sorted(got), sorted(zip(groups, msgs)))
        # Printed in time order.
        ts = [e["timestamp"] for e in f.lines]
        self.assertEqual(ts, sorted(ts))

    def test_reconnect_backfills_the_gap(self):
        for how in ("drop", "truncate", "streaming", "timeout"):
            with self.subTest(how=how):
                self.fake.reset()
                self.reconnect(how)

    def reconnect(self, how):
        self.fake.create_groups("/lt/r")
        f = self.follow(["/lt/r"])
        self.wait_sessions(1)
        self.put("/lt/r", "before " + how)
        f.wait_messages(["before " + how])
        # The next session opens late: what is written meanwhile can only
        # come back through FilterLogEvents.
        self.fake.config(latency=1.5)
        fle = self.fake.stats()["counts"].get("FilterLogEvents", 0)
        self.assertEqual(self.fake.break_sessions(how), 1)
        self.put("/lt/r", "gap " + how, ingest_delay=0)
        f.wait_messages(["gap " + how], "the backfilled line")
        self.fake.config(latency=0)
        wait_for(lambda: self.fake.sessions(), what="a new session")
        self.put("/lt/r", "after " + how)
        f.wait_messages(["after " + how])
        st = self.fake.stats()
        rc, err = f.stop()
        self.assertEqual(rc, 0, err)
        # Nothing twice, though the backfill re-read "before".
        self.assert_once(f, ["before " + how, "gap " + how, "after " + how])
        self.assertGreater(st["counts"]["FilterLogEvents"], fle)
        self.assertGreaterEqual(st["counts"]["StartLiveTail"], 2)
        self.assertIn("reconnecting", err)

    def test_identical_events_all_printed(self):
        # Two real events with the same millisecond and message in one
        # stream print twice, as --follow-mode poll prints them (the audit
        # found Live Tail printing one); the backfill after a break, which
        # reads them again, adds none.
        for mode in ("poll", "live"):
            with self.subTest(mode=mode):
                self.fake.reset()
                self.identical(mode)

    def identical(self, mode):
        self.fake.create_groups("/lt/d")
        f = self.follow(["/lt/d"], "--follow-mode", mode, "-i", "0.2")
        if mode == "live":
            self.wait_sessions(1)
        else:
            wait_for(lambda: self.fake.stats()["counts"].get(
                "FilterLogEvents", 0) >= 2, what="a poll")
        t = now_ms()
        self.fake.put_events("/lt/d", "s1", [(t, "same line"),
                                             (t, "same line"),
                                             (t + 1, "marker " + mode)])
        f.wait_messages(["marker " + mode])
        if mode == "live":
            fle = self.fake.stats()["counts"].get("FilterLogEvents", 0)
            self.assertEqual(self.fake.break_sessions("drop"), 1)
            wait_for(lambda: self.fake.stats()["counts"].get(
                "FilterLogEvents", 0) > fle, what="the backfill")
            wait_for(lambda: self.fake.sessions(), what="a new session")
        self.put("/lt/d", "after " + mode)
        f.wait_messages(["after " + mode])
        rc, err = f.stop()
        self.assertEqual(rc, 0, err)
        self.assertEqual(f.messages().count("same line"), 2, f.lines)
        self.assert_once(f, ["marker " + mode, "after " + mode])

    def test_sampled_is_reported_and_filled_in(self):
        self.fake.create_groups("/lt/s")
        f = self.follow(["/lt/s"])
        self.wait_sessions(1)
        self.fake.config(lt_sample=3)
        t = now_ms()
        msgs = ["burst %d" % i for i in range(20)]
        self.fake.put_events("/lt/s", "s1",
                             [(t + i, m) for i, m in enumerate(msgs)])
        f.wait_messages(msgs, "every line of the sampled second")
        wait_for(lambda: self.fake.stats()["livetail"]["sampled_updates"],
                 what="a sampled update")
        rc, err = f.stop()
        self.assertEqual(rc, 0, err)
        self.assert_once(f, msgs)
        self.assertEqual(err.count("Live Tail sampled"), 1, err)

    def test_sampled_said_again_after_a_reconnection(self):
        # "once per session": a new session that is sampled says it again
        # (the audit found it said once per run).
        self.fake.create_groups("/lt/s2")
        f = self.follow(["/lt/s2"])
        self.wait_sessions(1)
        self.fake.config(lt_sample=3)
        for n in (1, 2):
            t = now_ms()
            msgs = ["burst %d.%d" % (n, i) for i in range(20)]
            self.fake.put_events("/lt/s2", "s1",
                                 [(t + i, m) for i, m in enumerate(msgs)])
            f.wait_messages(msgs, "every line of the sampled second")
            wait_for(lambda: self.fake.stats()["livetail"][
                "sampled_updates"] >= n, what="a sampled update")
            if n == 1:
                self.assertEqual(self.fake.break_sessions("drop"), 1)
                wait_for(lambda: self.fake.sessions(), what="a new session")
        rc, err = f.stop()
        self.assertEqual(rc, 0, err)
        self.assertEqual(err.count("Live Tail sampled the events"), 2, err)

    def test_skipped_said_once_a_span(self):
        # --max-rps 1 and a session of ten groups sampled at once: its ten
        # backfills hold the quota for about ten seconds, so the other
        # session's window cannot be read again.  Sampled in three updates
        # in a row, it says so once.
        groups = ["/lt/k%02d" % i for i in range(11)]
        self.fake.create_groups(*groups)
        f = self.follow(groups, "--max-rps", "1")
        self.wait_sessions(2)
        # The history read (one request a group) is over first.
        wait_for(lambda: self.fake.stats()["counts"].get(
            "FilterLogEvents", 0) >= 11, what="the history read")
        self.fake.config(lt_sample=3)
        t = now_ms()
        for g in groups[:10]:
            self.fake.put_events(g, "s1", [(t + i, "fill %s %d" % (g, i))
                                           for i in range(10)],
                                 ingest_delay=0)
        wait_for(lambda: self.fake.stats()["livetail"]["sampled_updates"],
                 what="the first sampled update")
        for k in range(3):
            self.fake.put_events(groups[10], "s1",
                                 [(t + i, "burst %d.%d" % (k, i))
                                  for i in range(10)], ingest_delay=k)
        wait_for(lambda: self.fake.stats()["livetail"]["sampled_updates"]
                 >= 4, what="three more sampled updates")
        wait_for(lambda: "were skipped" in self.peek_err(f),
                 what="the skipped notice")
        rc, err = f.stop()
        self.assertEqual(rc, 0, err)
        self.assertEqual(err.count("were skipped"), 1, err)

    def test_fallback_when_refused(self):
        for mode in ("unknown", "moto", "denied", "limit"):
            with self.subTest(mode=mode):
                self.fake.reset()
                self.fake.config(lt_mode=mode)
                self.fake.create_groups("/lt/f")
                f = self.follow(["/lt/f"])
                wait_for(lambda: "polling" in self.peek_err(f),
                         what="the fallback notice")
                self.put("/lt/f", "polled " + mode)
                f.wait_messages(["polled " + mode])
                rc, err = f.stop()
                self.assertEqual(rc, 0, err)
                self.assertEqual(err.count("Live Tail is not available"), 1,
                                 err)
                self.assert_once(f, ["polled " + mode])
                self.assertEqual(self.fake.sessions(), [])

    def peek_err(self, f):
        r, _, _ = select.select([f.p.stderr], [], [], 0)
        if r:
            f.err += os.read(f.p.stderr.fileno(), 65536).decode()
        return f.err

    def test_poll_mode_opens_no_session(self):
        self.fake.create_groups("/lt/p")
        f = self.follow(["/lt/p"], "--follow-mode", "poll", "-i", "0.2")
        self.put("/lt/p", "polled")
        f.wait_messages(["polled"])
        rc, err = f.stop()
        self.assertEqual(rc, 0, err)
        self.assertEqual(self.fake.stats()["counts"].get("StartLiveTail", 0),
                         0)
        self.assertNotIn("Live Tail", err)

    def test_ends_when_reader_closes_without_events(self):
        # Nothing is ever written, so no EPIPE can tell: the hang-up of
        # stdout must end a run whose only I/O is an open Live Tail
        # session, quietly and at once.
        self.fake.create_groups("/lt/q")
        r, w = os.pipe()
        p = self.spawn_apilogs("get", "/lt/q", "--watch", "-s", "1m",
                               "--follow-mode", "live", stdout=w)
        self.addCleanup(lambda: p.poll() is None and p.kill())
        os.close(w)
        self.wait_sessions(1)
        self.assertIsNone(p.poll())
        os.close(r)
        _, err = p.communicate(timeout=20)
        self.assertEqual((p.returncode, err), (0, b""))
        wait_for(lambda: not self.fake.sessions(),
                 what="the Live Tail session closed")

    def test_live_mode_refused_fails(self):
        self.fake.config(lt_mode="denied")
        self.fake.create_groups("/lt/d")
        r = self.run_apilogs("get", "-g", "/lt/d", "--watch",
                             "--follow-mode", "live", timeout=60)
        self.assertEqual(r.rc, 4, r)
        self.assertEqual(len(r.stderr.splitlines()), 1, r)
        self.assertIn("Live Tail (StartLiveTail) refused", r.stderr)
        self.assertIn("AccessDeniedException", r.stderr)


class LiveTailMoto(ApilogsTestCase):
    """moto 5.2.1 answers StartLiveTail with an HTML 500 page."""

    def test_fallback_notice(self):
        self.put_events("/m/a", "s", [(now_ms() - 2000, "old")])
        p = self.spawn_apilogs("get", "-g", "/m/a", "--watch", "-s", "1m",
                               "-GS", "-i", "0.2")
        try:
            line = p.stdout.readline()
            self.assertEqual(line, b"old\n")
            self.put_events("/m/a", "s", [(now_ms(), "new")], create=False)
            self.assertEqual(p.stdout.readline(), b"new\n")
        finally:
            p.send_signal(signal.SIGINT)
            out, err = p.communicate(timeout=20)
        self.assertEqual(p.returncode, 0, err)
        self.assertEqual(out, b"")
        self.assertEqual(err.decode().count("Live Tail is not available"), 1,
                         err)

    def test_live_mode_fails(self):
        self.put_events("/m/b", "s", [(now_ms() - 2000, "old")])
        r = self.run_apilogs("get", "-g", "/m/b", "--watch", "-s", "1m",
                             "--follow-mode", "live", timeout=60)
        self.assertEqual(r.rc, 1, r)
        self.assertTrue(r.stdout.endswith("old\n"), r)  # the history
        self.assertEqual(len(r.stderr.splitlines()), 1, r)
        self.assertIn("Live Tail (StartLiveTail) refused", r.stderr)

    def test_bad_follow_mode(self):
        r = self.run_apilogs("get", "-g", "/m/c", "--watch",
                             "--follow-mode", "fast")
        self.assertEqual(r.rc, 2, r)
        self.assertIn("--follow-mode 'fast'", r.stderr)

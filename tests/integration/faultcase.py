# SPDX-License-Identifier: Apache-2.0
"""Shared helpers for the fault tests: a test case with a fault proxy in
front of moto, event seeding that remembers what was put, a follower that
reads a running `get --watch` from threads, and the exactly-once/in-order
assertions.

(Not a test_*.py module, so the suite does not collect it twice.)
"""

import json
import signal
import threading
import time

from faultproxy import FaultProxy
from harness import ApilogsTestCase, now_ms


# Live events are stamped this far ahead of the clock. A follower treats
# a group as complete up to the start of its last poll (less the ingestion
# delay it has learned); an event stamped "now" but visible a few ms later
# could miss a poll that began in between, arrive after a newer event of
# another group was printed, and be printed late. That race is real (and
# tested in tests/unit/test_engine.c); stamping ahead keeps the order of
# these tests exact, so that "late" can only come from the faults.
LIVE_AHEAD_MS = 500


def live_ms():
    """A timestamp for an event put now, for a follower to read."""
    return now_ms() + LIVE_AHEAD_MS


class Follower:
    """A running apilogs whose stdout/stderr lines are collected."""

    def __init__(self, proc):
        self.proc = proc
        self.out = []
        self.err = []
        self.lock = threading.Lock()
        self.threads = [
            threading.Thread(target=self._read, args=(proc.stdout, self.out),
                             daemon=True),
            threading.Thread(target=self._read, args=(proc.stderr, self.err),
                             daemon=True)]
        for t in self.threads:
            t.start()

    def _read(self, f, into):
        for line in iter(f.readline, b""):
            with self.lock:
                into.append(line)

    def lines(self):
        with self.lock:
            return list(self.out)

    def errlines(self):
        with self.lock:
            return list(self.err)

    def wait_lines(self, n, timeout=20):
        deadline = time.time() + timeout
        while time.time() < deadline:
            if len(self.lines()) >= n or self.proc.poll() is not None:
                break
            time.sleep(0.02)
        return self.lines()

    def running(self):
        return self.proc.poll() is None

    def stop(self, timeout=10):
        """SIGINT, wait, and return the exit status."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
        try:
            rc = self.proc.wait(timeout)
        except Exception:
            self.proc.kill()
            self.proc.wait()
            raise
        for t in self.threads:
            t.join(5)
        return rc

    def kill(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        for t in self.threads:
            t.join(5)


class FaultCase(ApilogsTestCase):
    """apilogs talks to moto through a FaultProxy (self.proxy)."""

    page_limit = 7  # small pages, so that every read has several
    paginate = None

    def setUp(self):
        super().setUp()
        self.proxy = FaultProxy(self.moto.url, page_limit=self.page_limit,
                                paginate=self.paginate).start()
        self.addCleanup(self.proxy.stop)
        self.followers = []
        self.addCleanup(self._kill_followers)

    def tearDown(self):
        self.assertEqual(self.proxy.errors, [], "the proxy itself failed")
        super().tearDown()

    def _kill_followers(self):
        for f in self.followers:
            f.kill()

    def base_env(self):
        env = super().base_env()
        env["AWS_ENDPOINT_URL"] = self.proxy.url
        return env

    def follow(self, *args, **kw):
        f = Follower(self.spawn_apilogs(*args, **kw))
        self.followers.append(f)
        return f

    # Seeding ----------------------------------------------------------

    def seed(self, layout, t0, step=10, prefix="m"):
        """Put one event per slot of layout, a list of (group, stream),
        repeated round-robin; timestamps t0, t0+step, ... in that order and
        each put later in time than the one before (so a follower never
        sees an older event after a newer one). Returns the expected
        events: dicts with ts, group, stream, message."""
        out = []
        for i, (g, s) in enumerate(layout):
            out.append({"ts": t0 + i * step, "group": g, "stream": s,
                        "message": "%s %s %s #%d" % (prefix, g, s, i)})
        for e in out:
            self.put_events(e["group"], e["stream"],
                            [(e["ts"], e["message"])])
        return out

    def seed_batched(self, layout, t0, step=10, prefix="h"):
        """Like seed() but one put per stream (history only: a follower
        could see a stream's later events before another's earlier)."""
        out = []
        for i, (g, s) in enumerate(layout):
            out.append({"ts": t0 + i * step, "group": g, "stream": s,
                        "message": "%s %s %s #%d" % (prefix, g, s, i)})
        by = {}
        for e in out:
            by.setdefault((e["group"], e["stream"]), []).append(
                (e["ts"], e["message"]))
        for (g, s), evs in by.items():
            self.put_events(g, s, evs)
        return out

    @staticmethod
    def layout(groups, streams, n):
        """n slots cycling over every (group, stream)."""
        pairs = [(g, s) for g in groups for s in streams]
        return [pairs[i % len(pairs)] for i in range(n)]

    # Assertions -------------------------------------------------------

    def parse_json_lines(self, lines):
        got = []
        for raw in lines:
            if isinstance(raw, bytes):
                raw = raw.decode("utf-8")  # strict: output is UTF-8
            self.assertTrue(raw.endswith("\n"), raw)
            got.append(json.loads(raw))
        return got

    def assert_exactly_once_in_order(self, lines, expected, allow_late=False):
        """Every expected event once (by message), nothing else, in
        (timestamp, ingestionTime) order, eventIds unique."""
        got = self.parse_json_lines(lines)
        msgs = [e["message"] for e in got]
        want = {e["message"]: e for e in expected}
        dup = sorted({m for m in msgs if msgs.count(m) > 1})
        self.assertEqual(dup, [], "printed more than once")
        self.assertEqual(sorted(msgs), sorted(want),
                         "not exactly the seeded set")
        for e in got:
            w = want[e["message"]]
            self.assertEqual((e["logGroupName"], e["logStreamName"],
                              e["timestamp"]),
                             (w["group"], w["stream"], w["ts"]), e)
        ids = [(e["logGroupName"], e["eventId"]) for e in got]
        self.assertEqual(len(set(ids)), len(ids), "eventId repeated")
        if not allow_late:
            self.assertEqual([e for e in got if e.get("late")], [],
                             "events out of order")
            keys = [(e["timestamp"], e["ingestionTime"]) for e in got]
            self.assertEqual(keys, sorted(keys), "not in time order")
        return got

    def assert_one_error_line(self, r, *needles):
        """Exactly one line on stderr, starting with 'apilogs:'."""
        lines = r.stderr.splitlines()
        self.assertEqual(len(lines), 1, r)
        self.assertTrue(lines[0].startswith("apilogs: "), r)
        for n in needles:
            self.assertIn(n, lines[0])
        return lines[0]

    def wait_polls(self, n, since, group=None, timeout=15):
        """Wait for n successful FilterLogEvents answers after `since`
        (per group when given)."""
        def ok(recs):
            good = [r for r in recs if r.op == "FilterLogEvents" and
                    r.status == 200 and r.t > since and
                    (group is None or r.group == group)]
            return len(good) >= n
        self.assertTrue(self.proxy.wait_for(ok, timeout),
                        "the follower stopped polling")


__all__ = ["FaultCase", "Follower", "live_ms", "now_ms"]

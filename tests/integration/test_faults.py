# SPDX-License-Identifier: Apache-2.0
"""The fault matrix (issue 8): build/apilogs talks to moto through
faultproxy.FaultProxy, which injects one kind of fault per test, in `get`
(history) and in `get --watch` (follow). Each test proves that every
seeded event is printed exactly once, in time order, and that the program
either finished with the right exit code or is still following, with one
clear stderr line where the user must know (retries exhausted, a read cut
short) and nothing on stderr when the fault was absorbed.

The same faults are tested in-process on a fake in tests/unit/
test_engine.c; here it is the real binary over real sockets.
"""

import threading
import time

from faultcase import FaultCase, live_ms, now_ms
from faultproxy import Rule, group_is, has_token, no_token

A, B = "/f/a", "/f/b"


def _a_token(req):
    """A follow-up page of group A."""
    return has_token(req) and group_is(A)(req)


# Faults the program must absorb without a word: name -> rules. In history
# "first=2" is the second FilterLogEvents request of the run; in follow the
# rules are added just before the live events are put, so they hit the
# next polls.
ABSORBED = {
    "throttling_burst": lambda: [Rule("throttle", first=2, count=5)],
    "http_500": lambda: [Rule("http", status=500, first=2)],
    "http_502": lambda: [Rule("http", status=502, first=2)],
    "http_503": lambda: [Rule("http", status=503, first=2)],
    "http_504": lambda: [Rule("http", status=504, first=2)],
    # Two failed attempts of three: the last one succeeds.
    "http_5xx_twice": lambda: [Rule("http", status=503, first=2, count=2)],
    "reset_before_headers": lambda: [Rule("reset_before", first=2)],
    "reset_after_headers": lambda: [Rule("reset_after_headers", first=2)],
    "truncated_body": lambda: [Rule("truncate", first=2)],
    "invalid_json": lambda: [Rule("bad_json", first=2, count=2)],
    # Slower than --cli-read-timeout 1: the attempt times out, a retry
    # gets the page.
    "slow_headers": lambda: [Rule("slow", first=2, delay=4)],
    "slow_body": lambda: [Rule("slow", phase="body", first=2, delay=4)],
    # The token of the request comes back once: the page is served twice
    # and must be printed once.
    "repeated_token": lambda: [Rule("repeat_token")],
    # Then an empty page whose token leads back to the same place: the
    # page comes a third time, under another token.
    "repeated_token_then_empty_page": lambda: [
        Rule("repeat_token", when=_a_token),
        Rule("empty_page", when=_a_token),
    ],
    "empty_first_page": lambda: [Rule("empty_page", when=no_token,
                                      count=2)],
    "empty_pages_mid_read": lambda: [Rule("empty_page", when=has_token,
                                          count=3)],
    # One after the other (a rule counts only the requests that no earlier
    # rule took, so first=1 everywhere means consecutive requests). Per
    # group, never more than two transport failures in a row (a third
    # would exhaust the retries of one call).
    "everything_at_once": lambda: [
        Rule("throttle", count=2),
        Rule("http", status=502, when=group_is(A)),
        Rule("reset_before", when=group_is(B)),
        Rule("bad_json", when=group_is(A)),
        Rule("truncate", when=group_is(B)),
        Rule("reset_after_headers", when=group_is(A)),
        Rule("slow", delay=4, when=group_is(A)),
        Rule("repeat_token", when=has_token),
        Rule("empty_page", when=has_token),
    ],
}

# Extra follow options per fault. A follower holds events back for at
# most --hold-back seconds waiting for the other group; the faults above
# can delay one group's poll by several seconds in all (backoff included).
WATCH_EXTRA = {"everything_at_once": ["--hold-back", "15"]}

READ = ["-s", "5m", "-o", "json", "--cli-read-timeout", "1"]
# These follow tests exercise polling under faults: no Live Tail.
WATCH = ["--watch", "-i", "0.2", "--hold-back", "5", "--follow-mode", "poll"]


class TestHistoryFaults(FaultCase):
    """`get -g A -g B` over several pages per group, one fault each."""

    def seed_history(self):
        return self.seed_batched(self.layout([A, B], ["s1", "s2"], 40),
                                 now_ms() - 120000)

    def check_absorbed(self, rules):
        want = self.seed_history()
        self.proxy.add(*rules)
        r = self.run_apilogs("get", "-g", A, "-g", B, *READ, timeout=60)
        self.assertEqual(r.rc, 0, r)
        self.assertEqual(r.stderr, "", r)
        self.assert_exactly_once_in_order(r.out.splitlines(True), want)
        for rule in rules:
            self.assertEqual(rule.fired, rule.count,
                             (rule, self.proxy.records()))
        self.assertLess(r.elapsed, 20)
        return r

    def test_control_no_fault(self):
        self.check_absorbed([])
        # The pages were small: several requests per group.
        self.assertGreaterEqual(self.proxy.count(), 6)

    def test_throttling_notice_with_verbose(self):
        want = self.seed_history()
        self.proxy.add(Rule("throttle", first=1, count=2))
        r = self.run_apilogs("get", "-g", A, "-g", B, *READ, "-v")
        self.assertEqual(r.rc, 0, r)
        self.assert_exactly_once_in_order(r.out.splitlines(True), want)
        notes = [x for x in r.stderr.splitlines() if "throttled" in x]
        self.assertEqual(len(notes), 2, r)
        self.assertIn("slowing down to", notes[0])

    def test_describe_calls_absorb_faults(self):
        """The listings before the read (a -g prefix, a stream regex) go
        through the request layer's retries."""
        want = self.seed_history()
        self.proxy.add(Rule("throttle", op="DescribeLogGroups", count=2),
                       Rule("reset_before", op="DescribeLogStreams"),
                       Rule("http", op="DescribeLogStreams", status=503))
        r = self.run_apilogs("get", "-g", "/f/*", *READ)
        self.assertEqual((r.rc, r.stderr), (0, ""), r)
        self.assert_exactly_once_in_order(r.out.splitlines(True), want)
        r = self.run_apilogs("get", A, "s[12]", *READ)
        self.assertEqual((r.rc, r.stderr), (0, ""), r)
        self.assert_exactly_once_in_order(
            r.out.splitlines(True), [e for e in want if e["group"] == A])
        self.assertEqual(self.proxy.count("DescribeLogStreams"), 3)

    # Faults that do not go away --------------------------------------

    def seed_one(self):
        return self.seed_batched(self.layout([A], ["s"], 20),
                                 now_ms() - 60000)

    def check_exhausted(self, rule, needle, rc=1, attempts=3):
        self.seed_one()
        self.proxy.add(rule)
        r = self.run_apilogs("get", A, *READ, timeout=60)
        self.assertEqual(r.rc, rc, r)
        self.assertEqual(r.out, b"", r)
        line = self.assert_one_error_line(
            r, "FilterLogEvents on '%s'" % A, needle)
        self.assertEqual(self.proxy.count(), attempts, self.proxy.records())
        self.assertLess(r.elapsed, 15)
        return line

    def test_exhausted_http_500(self):
        self.check_exhausted(Rule("http", status=500, count=None),
                             "InternalFailure: injected 500")

    def test_exhausted_http_502(self):
        self.check_exhausted(Rule("http", status=502, count=None), "502")

    def test_exhausted_reset(self):
        self.check_exhausted(Rule("reset_before", count=None),
                             "connection reset")

    def test_exhausted_truncated(self):
        self.check_exhausted(Rule("truncate", count=None),
                             "connection reset")

    def test_exhausted_slow(self):
        self.check_exhausted(Rule("slow", delay=30, count=None),
                             "timed out")

    def test_exhausted_invalid_json(self):
        self.check_exhausted(Rule("bad_json", count=None),
                             "bad FilterLogEvents response")

    def test_exhausted_max_attempts(self):
        self.seed_one()
        self.proxy.add(Rule("http", status=503, count=None))
        r = self.run_apilogs("get", A, *READ, env={"AWS_MAX_ATTEMPTS": "5"},
                             timeout=60)
        self.assertEqual(r.rc, 1, r)
        self.assert_one_error_line(r, "ServiceUnavailableException")
        self.assertEqual(self.proxy.count(), 5)

    def test_expired_token(self):
        """Not retried: an access error, exit 4 at once."""
        self.check_exhausted(Rule("expired", count=None),
                             "ExpiredTokenException", rc=4, attempts=1)

    def test_throttled_for_long_still_finishes(self):
        want = self.seed_one()
        self.proxy.add(Rule("throttle", count=8))
        r = self.run_apilogs("get", A, *READ, timeout=60)
        self.assertEqual((r.rc, r.stderr), (0, ""), r)
        self.assert_exactly_once_in_order(r.out.splitlines(True), want)
        self.assertEqual(self.proxy.count(fault="throttle"), 8)

    def test_token_repeated_for_good(self):
        """The service keeps answering with the token it was sent: the
        read would never end, and stopping it quietly would lose the rest
        (issue 13): one error line and exit 1. Nothing is printed twice."""
        want = self.seed_one()
        self.proxy.add(Rule("repeat_token", count=None))
        # One read (no time slices: other slices would recover the rest).
        r = self.run_apilogs("get", A, *READ, "--slices", "1")
        self.assertEqual(r.rc, 1, r)
        self.assert_one_error_line(r, "returned the token it was sent, "
                                   "twice in a row")
        # Pages of 7: the first, then the second served twice.
        self.assert_exactly_once_in_order(r.out.splitlines(True), want[:14])
        self.assertEqual(self.proxy.count(), 3)


def _absorbed_history(name):
    def test(self):
        self.check_absorbed(ABSORBED[name]())
    test.__doc__ = "history: %s is absorbed" % name
    return test


for _name in ABSORBED:
    setattr(TestHistoryFaults, "test_" + _name, _absorbed_history(_name))


class TestFollowFaults(FaultCase):
    """`get -g A -g B --watch`: history, then live events under faults."""

    def start(self, groups=(A, B), extra=()):
        """Seed a little history, start following, wait for it."""
        hist = self.seed_batched(self.layout(groups, ["s1"], 4 * len(groups)),
                                 now_ms() - 60000)
        args = ["get"]
        for g in groups:
            args += ["-g", g]
        f = self.follow(*args, *READ, *WATCH, *extra)
        got = f.wait_lines(len(hist))
        self.assertEqual(len(got), len(hist), f.errlines())
        # The follow polls have begun.
        self.wait_polls(len(groups), time.time())
        return f, hist

    def put_live(self, groups=(A, B), n=24):
        """Events stamped with the time they are put, in order, over two
        streams per group: 12 per group, so polls take two pages."""
        out = []
        layout = self.layout(groups, ["s1", "s2"], n)
        last = 0
        for i, (g, s) in enumerate(layout):
            ts = max(live_ms(), last + 1)
            last = ts
            e = {"ts": ts, "group": g, "stream": s,
                 "message": "live %s %s #%d" % (g, s, i)}
            self.put_events(g, s, [(ts, e["message"])])
            out.append(e)
        return out

    def finish(self, f, want, stderr_lines=0):
        got = f.wait_lines(len(want), timeout=25)
        self.assertEqual(len(got), len(want), (got, f.errlines()))
        # Some more polls: nothing may come twice.
        self.wait_polls(6, time.time())
        self.assertTrue(f.running(), f.errlines())
        self.assertEqual(f.stop(), 0, f.errlines())
        self.assert_exactly_once_in_order(f.lines(), want)
        err = f.errlines()
        self.assertEqual(len(err), stderr_lines, err)
        for line in err:
            self.assertTrue(line.startswith(b"apilogs: "), err)
        return err

    def check_absorbed(self, rules, extra=()):
        f, hist = self.start(extra=extra)
        self.proxy.add(*rules)
        live = self.put_live()
        self.finish(f, hist + live)
        for rule in rules:
            self.assertEqual(rule.fired, rule.count,
                             (rule, self.proxy.records()))

    def test_control_no_fault(self):
        self.check_absorbed([])
        # Polls of 12 events in pages of 7: follow-up pages happened.
        self.assertTrue([r for r in self.proxy.records() if r.req_token])

    def test_retries_exhausted_warns_once_and_recovers(self):
        f, hist = self.start(groups=(A,))
        rule = self.proxy.add(Rule("http", status=500, count=3))
        live = self.put_live(groups=(A,), n=12)
        err = self.finish(f, hist + live, stderr_lines=1)
        self.assertIn(b"warning: FilterLogEvents on '/f/a': InternalFailure:"
                      b" injected 500; retrying", err[0])
        self.assertEqual(rule.fired, 3)

    def test_expired_token_mid_follow(self):
        """An expired-token error mid-follow, then normal answers (with
        environment credentials nothing refreshes: the follower warns once
        and keeps going)."""
        f, hist = self.start(groups=(A,))
        rule = self.proxy.add(Rule("expired", count=2, when=group_is(A)))
        live = self.put_live(groups=(A,), n=12)
        err = self.finish(f, hist + live, stderr_lines=1)
        self.assertIn(b"warning: FilterLogEvents on '/f/a': "
                      b"ExpiredTokenException: The security token included "
                      b"in the request is expired; retrying", err[0])
        self.assertEqual(rule.fired, 2)

    def test_long_outage_then_recovery(self):
        """Every request fails for a while, over two warn-and-retry rounds
        (one warning for the whole streak), then the service is back."""
        f, hist = self.start(groups=(A,))
        cut = threading.Event()
        rule = self.proxy.add(Rule("reset_before", count=None,
                                   when=lambda req: not cut.is_set()))
        live = self.put_live(groups=(A,), n=12)
        # The retries of one poll are exhausted, the user is told, and the
        # next round (after a pause) fails too.
        deadline = time.time() + 30
        while rule.fired < 4 and time.time() < deadline:
            time.sleep(0.05)
        self.assertTrue(f.running())
        self.assertEqual(len(f.errlines()), 1, f.errlines())
        self.assertEqual(f.lines()[len(hist):], [])
        cut.set()
        err = self.finish(f, hist + live, stderr_lines=1)
        self.assertIn(b"warning: FilterLogEvents on '/f/a': ", err[0])
        self.assertIn(b" connection reset: ", err[0])
        self.assertTrue(err[0].endswith(b"; retrying\n"), err)
        self.assertGreaterEqual(rule.fired, 4)


def _absorbed_follow(name):
    def test(self):
        self.check_absorbed(ABSORBED[name](), WATCH_EXTRA.get(name, ()))
    test.__doc__ = "follow: %s is absorbed" % name
    return test


for _name in ABSORBED:
    setattr(TestFollowFaults, "test_" + _name, _absorbed_follow(_name))

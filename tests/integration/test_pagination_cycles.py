# SPDX-License-Identifier: Apache-2.0
"""Pagination cycles (issue 13): a server that hands back a token it
returned before (A, B, A) or ignores the token and repeats a page must not
make `groups`, `streams` or `get` loop forever or print duplicates: one
error line, exit 1. (`get` tolerates the token it sent coming back, once:
see test_faults.py.)"""

import json

from faultcase import FaultCase, now_ms
from faultproxy import Rule


class TestListingCycles(FaultCase):
    page_limit = None

    def setUp(self):
        super().setUp()
        for i in range(6):
            self.logs.create_log_group(logGroupName="/cyc/g%d" % i)
            self.logs.create_log_stream(logGroupName="/cyc/g0",
                                        logStreamName="s%d" % i)

    def tokens(self, op, seq):
        """Give page n the token seq[n] (None: the last page)."""
        state = {"n": 0}

        def func(page):
            n = state["n"]
            state["n"] += 1
            tok = seq[n] if n < len(seq) else None
            page["nextToken"] = tok
            return json.dumps(page).encode()
        self.proxy.add(Rule("mangle", op=op, count=None, func=func,
                            drop_token=True))

    def check(self, r, op):
        self.assertEqual(r.rc, 1, r)
        lines = r.stderr.splitlines()
        self.assertEqual(len(lines), 1, r)
        self.assertIn("%s returned a page token it had returned before" % op,
                      lines[0])

    def test_groups_a_b_a(self):
        self.tokens("DescribeLogGroups", ["A", "B", "A", "C"])
        r = self.run_apilogs("groups", timeout=30)
        self.check(r, "DescribeLogGroups")
        # Pages 1 and 2 were printed once; page 3 came with a token seen
        # before and was not.
        self.assertEqual(len(r.stdout.splitlines()), 12)

    def test_groups_token_ignored(self):
        # Every page says "more, token T": the server ignores the token.
        self.tokens("DescribeLogGroups", ["T"] * 1000)
        r = self.run_apilogs("groups", timeout=30)
        self.check(r, "DescribeLogGroups")
        # The repeated page is not printed again.
        out = r.stdout.splitlines()
        self.assertEqual(len(out), 6)
        self.assertEqual(len(set(out)), 6)

    def test_streams_cycle(self):
        self.tokens("DescribeLogStreams", ["A", "B", "A"])
        r = self.run_apilogs("streams", "/cyc/g0", timeout=30)
        self.check(r, "DescribeLogStreams")
        # (Each page of this proxy holds the same six streams.)
        self.assertEqual(len(r.stdout.splitlines()), 12)

    def test_normal_tokens_still_work(self):
        self.tokens("DescribeLogGroups", ["A", "B"])
        r = self.run_apilogs("groups", timeout=30)
        self.assertEqual(r.rc, 0, r)
        # Three pages, each with the six groups (the proxy rewrites only
        # the token): printed as the server gave them.
        self.assertEqual(len(r.stdout.splitlines()), 18)


READ = ["-s", "5m", "-o", "json", "--cli-read-timeout", "1",
        "--slices", "1"]
G = "/cyc/read"


class TestReadCycles(FaultCase):
    """`get` over FilterLogEvents pages (7 events each) whose tokens cycle:
    one error line, exit 1, the pages before the cycle printed once and
    the page that closes it not at all."""

    def setUp(self):
        super().setUp()
        self.want = self.seed_batched(self.layout([G], ["s"], 35),
                                      now_ms() - 60000)

    def check(self, r, needle, pages):
        self.assertEqual(r.rc, 1, r)
        self.assert_one_error_line(r, "FilterLogEvents on '%s'" % G, needle,
                                   "the read would never end")
        self.assert_exactly_once_in_order(r.out.splitlines(True),
                                          self.want[:7 * pages])

    def test_a_b_a(self):
        tokens = []

        def func(page):
            # The third page comes with the first page's token.
            tok = page.get("nextToken")
            if len(tokens) == 2:
                tok = tokens[0]
            tokens.append(tok)
            page["nextToken"] = tok
            return json.dumps(page).encode()
        self.proxy.add(Rule("mangle", count=None, func=func))
        r = self.run_apilogs("get", G, *READ, timeout=30)
        self.check(r, "returned a page token it had returned before "
                   "(after 3 pages)", 2)
        self.assertEqual(self.proxy.count(), 3)

    def test_token_ignored_fresh_tokens(self):
        # The server ignores nextToken (the proxy drops it) and answers
        # the first page each time, with a new token.
        state = {"n": 0}

        def func(page):
            state["n"] += 1
            page["nextToken"] = "fresh-%d" % state["n"]
            return json.dumps(page).encode()
        self.proxy.add(Rule("mangle", count=None, func=func,
                            drop_token=True))
        r = self.run_apilogs("get", G, *READ, timeout=30)
        self.check(r, "returned a page it had returned before under "
                   "another token (after 2 pages)", 1)
        self.assertEqual(self.proxy.count(), 2)

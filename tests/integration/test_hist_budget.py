# SPDX-License-Identifier: Apache-2.0
"""The memory budget of a history read with many groups (issue 14): the
real binary reads 12 interleaved groups from moto, in pages of 20 events,
and keeps at most 4 pages in memory or in flight over all of them (its
own figures at -vv); the pages over that go to disk and come back in
order: every event once, in time order, the same bytes as a read without
a disk, which keeps the budget by waiting instead."""

import json
import os
import re
import shutil
import tempfile

from harness import ApilogsTestCase, now_ms

NGROUPS = 12
PER_GROUP = 200
HIST = re.compile(rb"history: (\d+) pages in memory at most \(budget (\d+)\), "
                  rb"(\d+) with responses in flight; (\d+) pages spilled "
                  rb"\((\d+) for the budget\)")


class TestHistoryBudget(ApilogsTestCase):
    def setUp(self):
        super().setUp()
        t = now_ms() - 3000000
        self.groups = ["/budget/g%02d" % k for k in range(NGROUPS)]
        for k, g in enumerate(self.groups):
            # Every group covers the same span, so the merge needs a page
            # of each at once; equal timestamps across groups.
            self.put_events(g, "s", [(t + i * 1000 + (k if i % 3 else 0),
                                      "%s #%d" % (g, i))
                                     for i in range(PER_GROUP)])

    def read(self, tmpdir):
        args = ["get"]
        for g in self.groups:
            args += ["-g", g]
        args += ["-s", "1h", "--page-size", "20", "--slices", "1",
                 "--max-rps", "50", "-o", "json", "-vv"]
        r = self.run_apilogs(*args, env={"TMPDIR": tmpdir}, timeout=120)
        self.assertEqual(r.rc, 0, r)
        return r

    def check_output(self, out):
        evs = [json.loads(ln) for ln in out.splitlines()]
        self.assertEqual(len(evs), NGROUPS * PER_GROUP)
        self.assertEqual(len(set((e["logGroupName"], e["message"])
                                 for e in evs)), NGROUPS * PER_GROUP)
        ts = [e["timestamp"] for e in evs]
        self.assertEqual(ts, sorted(ts), "not in time order")

    def test_budget_with_disk(self):
        tmp = tempfile.mkdtemp(prefix="apilogs-budget-")
        self.addCleanup(shutil.rmtree, tmp, True)
        r = self.read(tmp)
        self.check_output(r.out)
        m = HIST.search(r.err)
        self.assertIsNotNone(m, r.err)
        mem, budget, held, spilled, for_budget = map(int, m.groups())
        self.assertEqual(budget, 4)
        self.assertLessEqual(held, budget, r.err)
        self.assertLess(mem, budget)
        self.assertGreater(for_budget, 0, r.err)
        self.assertEqual(spilled, for_budget)  # --slices 1: no slices
        self.assertEqual(os.listdir(tmp), [])  # unlinked at once

        # Without a disk: one notice, the same bytes.
        r2 = self.read("/nonexistent/apilogs-budget")
        self.assertEqual(r2.out, r.out)
        self.assertEqual(r2.err.count(b"cannot read ahead to disk"), 1)
        m = HIST.search(r2.err)
        self.assertIsNotNone(m, r2.err)
        self.assertEqual(int(m.group(4)), 0)
        # One page per group at most beyond the budget.
        self.assertLessEqual(int(m.group(1)), NGROUPS + 4)

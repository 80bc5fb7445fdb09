# SPDX-License-Identifier: Apache-2.0
"""bench/fakecwl.py's FilterLogEvents window, read with boto3: startTime
and endTime inclusive, and a window with nothing in it is an empty page,
also when it lies before every event of the group (it used to return every
event then, which made the section 8 history reads print events past their
end)."""

from harness import FakeCwlTestCase, now_ms, wait_for

GROUP = "/window/a"


class TestFilterWindow(FakeCwlTestCase):

    def seed(self):
        self.t0 = (now_ms() // 1000 - 600) * 1000
        self.evs = [(self.t0 + i * 10, "m%02d" % i) for i in range(20)]
        self.fake.put_events(GROUP, "s", self.evs, ingest_delay=0)
        wait_for(lambda: len(self.logs.filter_log_events(
            logGroupName=GROUP)["events"]) == 20,
            what="the events to be ingested")

    def msgs(self, **kw):
        r = self.logs.filter_log_events(logGroupName=GROUP, **kw)
        self.assertNotIn("nextToken", r)
        return [e["message"] for e in r["events"]]

    def test_window(self):
        self.seed()
        self.assertEqual(self.msgs(startTime=self.t0 + 10,
                                   endTime=self.t0 + 30),
                         ["m01", "m02", "m03"])
        # Before every event, after every event, between two events.
        self.assertEqual(self.msgs(startTime=self.t0 - 5000,
                                   endTime=self.t0 - 1), [])
        self.assertEqual(self.msgs(endTime=self.t0 - 1), [])
        self.assertEqual(self.msgs(startTime=self.t0 + 1000), [])
        self.assertEqual(self.msgs(startTime=self.t0 + 11,
                                   endTime=self.t0 + 19), [])

    def test_live_group_before_its_events(self):
        # A live group whose events all come after the window's end (a
        # history read up to the moment writers started).
        end = now_ms()
        self.fake.control("/_group", {"names": ["/window/live"]})
        self.fake.control("/_live", {"group": "/window/live", "rate": 50,
                                     "seed": 3})
        wait_for(lambda: len(self.logs.filter_log_events(
            logGroupName="/window/live")["events"]) >= 5,
            what="live events")
        self.fake.control("/_live/stop", {})
        r = self.logs.filter_log_events(logGroupName="/window/live",
                                        startTime=end - 60000, endTime=end)
        self.assertEqual([e["timestamp"] for e in r["events"]
                          if e["timestamp"] > end], [])

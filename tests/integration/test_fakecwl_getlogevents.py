# SPDX-License-Identifier: Apache-2.0
"""bench/fakecwl.py speaks GetLogEvents and paces it with a bucket of its
own (issue 15): proven with boto3 (forward pages, startTime inclusive and
endTime exclusive, the token sent coming back at the end, the event shape,
throttling on its own bucket while FilterLogEvents still answers), then
apilogs reading it with and without the second pool prints the same."""

import botocore.exceptions

from harness import FakeCwlTestCase, now_ms, wait_for

GROUP = "/pools/a"


class TestGetLogEventsWithBoto3(FakeCwlTestCase):

    def seed(self):
        self.t0 = (now_ms() // 1000 - 600) * 1000
        self.evs = [(self.t0 + i * 10, "m%03d" % i) for i in range(250)]
        self.fake.put_events(GROUP, "s1", self.evs[::2], ingest_delay=0)
        self.fake.put_events(GROUP, "s2", self.evs[1::2], ingest_delay=0)
        wait_for(lambda: len(self.logs.filter_log_events(
            logGroupName=GROUP, limit=10000)["events"]) == 250,
            what="the events to be ingested")

    def read(self, stream, **kw):
        pages, tok = [], None
        while True:
            args = dict(logGroupName=GROUP, logStreamName=stream,
                        startFromHead=True, **kw)
            if tok is not None:
                args["nextToken"] = tok
            r = self.logs.get_log_events(**args)
            pages.append(r["events"])
            self.assertIn("nextBackwardToken", r)
            if r["nextForwardToken"] == tok:
                return pages
            tok = r["nextForwardToken"]
            self.assertLess(len(pages), 100)

    def test_pages_window_and_end(self):
        self.seed()
        pages = self.read("s1", limit=40)
        evs = [e for p in pages for e in p]
        self.assertEqual([(e["timestamp"], e["message"]) for e in evs],
                         self.evs[::2])
        self.assertEqual(sorted(evs[0]), ["ingestionTime", "message",
                                          "timestamp"])
        self.assertEqual([len(p) for p in pages], [40, 40, 40, 5, 0])
        # startTime inclusive, endTime exclusive.
        pages = self.read("s2", startTime=self.t0 + 10,
                          endTime=self.t0 + 50)
        self.assertEqual([e["message"] for p in pages for e in p],
                         ["m001", "m003"])
        # Nothing in the window: an empty page, then the same token.
        self.assertEqual(self.read("s2", startTime=self.t0 + 99999), [[], []])
        with self.assertRaises(self.logs.exceptions.ResourceNotFoundException):
            self.logs.get_log_events(logGroupName=GROUP, logStreamName="x",
                                     startFromHead=True)

    def test_own_bucket(self):
        self.seed()
        self.fake.config(get_tps=0.5, tps=0)
        self.logs.get_log_events(logGroupName=GROUP, logStreamName="s1",
                                 startFromHead=True)
        with self.assertRaises(botocore.exceptions.ClientError) as cm:
            self.logs.get_log_events(logGroupName=GROUP, logStreamName="s1",
                                     startFromHead=True)
        self.assertEqual(cm.exception.response["Error"]["Code"],
                         "ThrottlingException")
        # FilterLogEvents has its own pool.
        self.logs.filter_log_events(logGroupName=GROUP)
        st = self.fake.stats()
        self.assertGreaterEqual(st["counts"]["GetLogEvents"], 2)
        self.assertEqual(st["throttled"], st["counts"]["GetLogEvents"] - 1)

    def test_apilogs_same_output_both_pools(self):
        self.seed()
        self.fake.put_events("/pools/b", "only", self.evs, ingest_delay=0)
        wait_for(lambda: len(self.logs.filter_log_events(
            logGroupName="/pools/b", limit=10000)["events"]) == 250,
            what="the events to be ingested")
        args = ["get", "-g", GROUP, "-g", "/pools/b", "-s", "1h",
                "--page-size", "30", "--no-progress"]
        ref = self.run_apilogs(*args, "--stream-reads", "0")
        self.assertEqual(ref.rc, 0, ref)
        self.fake.reset(everything=False)
        got = self.run_apilogs(*args, "-v")
        self.assertEqual(got.rc, 0, got)
        self.assertEqual(got.out, ref.out)
        self.assertEqual(len(got.out.splitlines()), 500)
        counts = self.fake.stats()["counts"]
        self.assertGreater(counts.get("GetLogEvents", 0), 0, counts)
        self.assertEqual(counts.get("DescribeLogStreams"), 2, counts)

# SPDX-License-Identifier: Apache-2.0
"""bench/fakecwl.py speaks StartLiveTail as AWS does: proven with boto3
(start_live_tail and its event stream) and with botocore's own event-stream
decoder on the raw bytes.  Also the ingestion delay, the write operations
and the control API the Live Tail tests of apilogs rely on."""

import http.client
import json
import urllib.error

import botocore.exceptions
from botocore.eventstream import ChecksumMismatch, EventStreamBuffer

from harness import ACCOUNT, REGION, FakeCwlTestCase, now_ms, wait_for

GROUP = "/aws/lambda/orders"
TARGET = "Logs_20140328.StartLiveTail"


def updates(stream, want, limit=60):
    """Read sessionUpdate events from a boto3 event stream until want(all
    results so far) is true; at most limit updates (about 1 s each).
    Returns (results, list of sampled flags)."""
    results, flags = [], []
    for ev in stream:
        if "sessionUpdate" not in ev:
            continue
        u = ev["sessionUpdate"]
        results += u["sessionResults"]
        flags.append(u["sessionMetadata"]["sampled"])
        if want(results):
            return results, flags
        limit -= 1
        if limit == 0:
            break
    raise AssertionError("the session ended or never delivered: %r"
                         % (results,))


class TestLiveTailWithBoto3(FakeCwlTestCase):

    def start(self, *groups, **kw):
        r = self.logs.start_live_tail(
            logGroupIdentifiers=[self.fake.arn(g) for g in groups], **kw)
        stream = r["responseStream"]
        self.addCleanup(stream.close)
        return stream

    def test_describe_log_groups_gives_arns(self):
        self.fake.create_groups(GROUP)
        g = self.logs.describe_log_groups()["logGroups"][0]
        arn = "arn:aws:logs:%s:%s:log-group:%s" % (REGION, ACCOUNT, GROUP)
        self.assertEqual(g["logGroupArn"], arn)
        self.assertEqual(g["arn"], arn + ":*")

    def test_session_start_then_updates_with_written_events(self):
        self.fake.create_groups(GROUP, "/other")
        stream = self.start(GROUP, "/other")
        first = next(iter(stream))
        start = first["sessionStart"]
        self.assertEqual(start["logGroupIdentifiers"],
                         [self.fake.arn(GROUP), self.fake.arn("/other")])
        self.assertRegex(start["sessionId"], r"^[0-9a-f-]{36}$")
        self.assertRegex(start["requestId"], r"^[0-9a-f-]{36}$")
        t = now_ms() - 5000
        ingested = self.fake.put_events(GROUP, "s1", [(t, "hello"),
                                                      (t + 1, "world")])
        self.fake.put_events("/other", "s2", [(t + 2, "other")])
        got, _ = updates(stream, lambda r: len(r) >= 3)
        self.assertEqual(len(got), 3)
        by_msg = {e["message"]: e for e in got}
        self.assertEqual(by_msg["hello"], {
            "logStreamName": "s1", "logGroupIdentifier": self.fake.arn(GROUP),
            "message": "hello", "timestamp": t, "ingestionTime": ingested})
        self.assertEqual(by_msg["other"]["logGroupIdentifier"],
                         self.fake.arn("/other"))
        st = self.fake.stats()
        self.assertEqual(st["counts"]["StartLiveTail"], 1)
        self.assertEqual(st["livetail"]["started"], 1)
        self.assertEqual(st["livetail"]["open"], 1)

    def test_stream_filters_and_pattern(self):
        self.fake.create_groups(GROUP)
        stream = self.start(GROUP, logStreamNamePrefixes=["keep"],
                            logEventFilterPattern="ERROR")
        start = next(iter(stream))["sessionStart"]
        self.assertEqual(start["logStreamNamePrefixes"], ["keep"])
        self.assertEqual(start["logEventFilterPattern"], "ERROR")
        t = now_ms()
        self.fake.put_events(GROUP, "drop-1", [(t, "ERROR not this")])
        self.fake.put_events(GROUP, "keep-1", [(t, "INFO not this"),
                                               (t, "ERROR this")])
        self.fake.put_events(GROUP, "keep-2", [(t, "ERROR and this")])
        got, _ = updates(stream, lambda r: len(r) >= 2)
        self.assertEqual(sorted(e["message"] for e in got),
                         ["ERROR and this", "ERROR this"])

    def test_live_writer_events_reach_live_tail_and_filter_log_events(self):
        self.fake.create_groups(GROUP)
        stream = self.start(GROUP)
        next(iter(stream))
        self.fake.control("/_live", {"group": GROUP, "rate": 20, "seed": 3})
        got, _ = updates(stream, lambda r: len(r) >= 5)
        self.fake.control("/_live/stop", {})
        self.assertIn('"msg":"live-0-000000"', got[0]["message"])
        log = wait_for(lambda: len(self.fake.control("/_live/log")) >= 5
                       and self.fake.control("/_live/log"))
        # [group, index, seq, write time, ingestion time]: the ingestion
        # time logged is the event's ingestionTime.
        self.assertEqual(log[0][4] * 1000, got[0]["ingestionTime"])
        self.assertGreaterEqual(got[0]["ingestionTime"], got[0]["timestamp"])
        fle = self.logs.filter_log_events(logGroupName=GROUP)["events"]
        seen = {(e["timestamp"], e["message"], e["ingestionTime"])
                for e in fle}
        for e in got:
            self.assertIn((e["timestamp"], e["message"], e["ingestionTime"]),
                          seen)

    def test_sampled_above_the_threshold(self):
        self.fake.create_groups(GROUP)
        self.fake.config(lt_sample=5)
        stream = self.start(GROUP)
        next(iter(stream))
        t = now_ms()
        self.fake.put_events(GROUP, "s", [(t + i, "m%d" % i)
                                          for i in range(50)])
        got, flags = updates(stream, lambda r: len(r) >= 5)
        # The 50 events are published at once, so they land in one update,
        # sampled down to 5 of them, in order.
        self.assertEqual(flags[-1], True)
        self.assertEqual(len(got), 5)
        self.assertEqual(got, sorted(got, key=lambda e: e["timestamp"]))
        self.assertEqual(self.fake.stats()["livetail"]["sampled_updates"], 1)
        self.fake.put_events(GROUP, "s", [(t + 99, "alone")])
        got, flags = updates(stream, lambda r: len(r) >= 1)
        self.assertEqual([e["message"] for e in got], ["alone"])
        self.assertEqual(flags[-1], False)

    def test_session_timeout_is_botocores_exception(self):
        self.fake.create_groups(GROUP)
        self.fake.config(lt_max_duration=1.5)
        stream = self.start(GROUP)
        with self.assertRaises(botocore.exceptions.EventStreamError) as cm:
            for _ in stream:
                pass
        self.assertEqual(cm.exception.response["Error"]["Code"],
                         "SessionTimeoutException")
        st = self.fake.stats()["livetail"]
        self.assertEqual((st["open"], st["ended"]), (0, {"timeout": 1}))

    def test_break_streaming_is_botocores_exception(self):
        self.fake.create_groups(GROUP)
        stream = self.start(GROUP)
        next(iter(stream))
        self.assertEqual(self.fake.break_sessions("streaming"), 1)
        with self.assertRaises(botocore.exceptions.EventStreamError) as cm:
            for _ in stream:
                pass
        self.assertEqual(cm.exception.response["Error"]["Code"],
                         "SessionStreamingException")

    def test_concurrent_sessions_limit(self):
        self.fake.create_groups(GROUP)
        self.fake.config(lt_max_sessions=1)
        first = self.start(GROUP)
        next(iter(first))
        with self.assertRaises(botocore.exceptions.ClientError) as cm:
            self.start(GROUP)
        err = cm.exception.response
        self.assertEqual(err["Error"]["Code"], "LimitExceededException")
        self.assertEqual(err["Error"]["Message"], "Rate exceeded")
        self.assertEqual(err["ResponseMetadata"]["HTTPStatusCode"], 400)
        first.close()
        wait_for(lambda: self.fake.stats()["livetail"]["open"] == 0,
                 what="the closed session to end")
        next(iter(self.start(GROUP)))
        st = self.fake.stats()["livetail"]
        self.assertEqual(st["refused"], {"LimitExceededException": 1})
        self.assertEqual(st["ended"], {"client": 1})

    def test_refusals(self):
        self.fake.create_groups(GROUP)
        cases = [
            ({}, [self.fake.arn("/nope")], 400, "ResourceNotFoundException"),
            ({}, [GROUP], 400, "InvalidParameterException"),
            ({}, [self.fake.arn(GROUP) + ":*"], 400,
             "InvalidParameterException"),
            ({"lt_mode": "denied"}, [self.fake.arn(GROUP)], 400,
             "AccessDeniedException"),
            ({"lt_mode": "limit"}, [self.fake.arn(GROUP)], 400,
             "LimitExceededException"),
            ({"lt_mode": "unknown"}, [self.fake.arn(GROUP)], 400,
             "UnknownOperationException"),
            ({"lt_mode": "moto"}, [self.fake.arn(GROUP)], 500, "500"),
        ]
        for cfg, ids, status, code in cases:
            with self.subTest(cfg=cfg, ids=ids):
                self.fake.config(**dict({"lt_mode": "on"}, **cfg))
                with self.assertRaises(botocore.exceptions.ClientError) as cm:
                    self.logs.start_live_tail(logGroupIdentifiers=ids)
                r = cm.exception.response
                self.assertEqual(r["Error"]["Code"], code)
                self.assertEqual(r["ResponseMetadata"]["HTTPStatusCode"],
                                 status)
        self.assertEqual(self.fake.stats()["livetail"]["started"], 0)


class TestLiveTailRawFrames(FakeCwlTestCase):
    """The bytes on the wire, read with http.client and decoded with
    botocore.eventstream.EventStreamBuffer (which checks both CRCs)."""

    def open(self, *groups):
        c = http.client.HTTPConnection("127.0.0.1", self.fake.port,
                                       timeout=30)
        self.addCleanup(c.close)
        c.request("POST", "/", body=json.dumps({
            "logGroupIdentifiers": [self.fake.arn(g) for g in groups]}),
            headers={"X-Amz-Target": TARGET,
                     "Content-Type": "application/x-amz-json-1.1"})
        return c, c.getresponse()

    def messages(self, resp, n, raw=None):
        """The next n messages of resp (raw: list collecting the bytes)."""
        buf = EventStreamBuffer()
        out = []
        while len(out) < n:
            data = resp.read1(65536)
            if not data:
                break
            if raw is not None:
                raw.append(data)
            buf.add_data(data)
            out += list(buf)
        return out

    def test_head_and_first_messages(self):
        self.fake.create_groups(GROUP)
        c, resp = self.open(GROUP)
        self.assertEqual(resp.status, 200)
        self.assertEqual(resp.getheader("Content-Type"),
                         "application/vnd.amazon.eventstream")
        self.assertEqual(resp.getheader("Transfer-Encoding"), "chunked")
        self.assertIsNone(resp.getheader("Content-Length"))
        raw = []
        msgs = self.messages(resp, 3, raw)
        init, start, upd = msgs[:3]
        self.assertEqual(init.headers, {":event-type": "initial-response",
                                        ":content-type": "application/json",
                                        ":message-type": "event"})
        self.assertEqual(init.payload, b"{}")
        self.assertEqual(start.headers[":event-type"], "sessionStart")
        self.assertEqual(json.loads(start.payload)["logGroupIdentifiers"],
                         [self.fake.arn(GROUP)])
        self.assertEqual(upd.headers[":event-type"], "sessionUpdate")
        self.assertEqual(json.loads(upd.payload), {
            "sessionMetadata": {"sampled": False}, "sessionResults": []})
        self.assertEqual(resp.getheader("x-amzn-RequestId"),
                         json.loads(start.payload)["requestId"])
        # The decoder checks the CRCs: a flipped payload byte is refused.
        frame = bytearray(b"".join(raw))
        frame[init.prelude.headers_length + 12] ^= 1
        bad = EventStreamBuffer()
        bad.add_data(bytes(frame))
        with self.assertRaises(ChecksumMismatch):
            list(bad)

    def test_streaming_exception_then_end_of_body(self):
        self.fake.create_groups(GROUP)
        c, resp = self.open(GROUP)
        self.messages(resp, 2)
        self.fake.break_sessions("streaming")
        rest = []
        while True:
            data = resp.read1(65536)
            if not data:
                break
            rest.append(data)
        buf = EventStreamBuffer()
        buf.add_data(b"".join(rest))
        last = list(buf)[-1]
        self.assertEqual(last.headers, {
            ":exception-type": "SessionStreamingException",
            ":content-type": "application/json",
            ":message-type": "exception"})
        self.assertIn("message", json.loads(last.payload))
        # The body ended cleanly: the connection serves the next request.
        c.request("POST", "/", body="{}", headers={
            "X-Amz-Target": "Logs_20140328.DescribeLogGroups",
            "Content-Type": "application/x-amz-json-1.1"})
        r2 = c.getresponse()
        self.assertEqual(r2.status, 200)
        self.assertEqual(json.loads(r2.read())["logGroups"][0]
                         ["logGroupName"], GROUP)

    def test_drop_and_truncate_break_the_body(self):
        self.fake.create_groups(GROUP)
        for how in ("drop", "truncate"):
            with self.subTest(how=how):
                c, resp = self.open(GROUP)
                self.messages(resp, 2)
                wait_for(lambda: self.fake.stats()["livetail"]["open"] == 1)
                self.assertEqual(self.fake.break_sessions(how), 1)
                buf = EventStreamBuffer()
                with self.assertRaises((http.client.IncompleteRead,
                                        ConnectionError)):
                    while True:
                        data = resp.read1(65536)
                        if not data:
                            break
                        buf.add_data(data)
                        list(buf)
        self.assertEqual(self.fake.stats()["livetail"]["ended"],
                         {"drop": 1, "truncate": 1})


class TestFakeWrites(FakeCwlTestCase):
    """The write path tests use: ingestion delay, PutLogEvents, apilogs."""

    def test_events_hidden_until_ingested(self):
        self.fake.create_groups(GROUP)
        t = now_ms() - 1000
        self.fake.put_events(GROUP, "s", [(t, "late")], ingest_delay=600)
        self.fake.put_events(GROUP, "s", [(t + 1, "soon")], ingest_delay=0)
        got = wait_for(lambda: self.logs.filter_log_events(
            logGroupName=GROUP)["events"])
        self.assertEqual([e["message"] for e in got], ["soon"])

    def test_put_log_events_and_apilogs_reads_them(self):
        t = now_ms() - 60000
        self.put_events(GROUP, "2024/05/01/[$LATEST]abc",
                        [(t, "first"), (t + 1000, "second")])
        wait_for(lambda: len(self.logs.filter_log_events(
            logGroupName=GROUP)["events"]) == 2)
        r = self.run_apilogs("get", "-g", GROUP, "-s", "10m")
        self.assertEqual(r.rc, 0, r)
        self.assertEqual([ln.split()[-1] for ln in r.stdout.splitlines()],
                         ["first", "second"])
        self.assertEqual(self.fake.stats()["counts"].get("PutLogEvents"), 1)

    def test_reset_all_forgets_groups_and_settings(self):
        self.fake.create_groups(GROUP)
        self.fake.config(ingest_delay=9, lt_mode="denied")
        self.fake.reset()
        self.assertEqual(self.logs.describe_log_groups()["logGroups"], [])
        cfg = self.fake.control("/_config")
        self.assertEqual((cfg["ingest_delay"], cfg["lt_mode"]), (0.1, "on"))
        with self.assertRaises(urllib.error.HTTPError) as cm:
            self.fake.config(lt_mode="sideways")
        self.assertEqual(cm.exception.code, 400)

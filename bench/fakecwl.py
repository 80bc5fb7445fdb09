#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""fakecwl: a fast synthetic CloudWatch Logs endpoint for benchmarks.

Serves FilterLogEvents, DescribeLogGroups and DescribeLogStreams (awsJson1_1,
POST / with X-Amz-Target) on loopback, for deterministic generated data.
Signatures are not checked.  Not for tests: moto stays the correctness oracle.

Speed: every group is rendered once at start-up into one bytes object holding
the JSON of each event followed by a comma, plus an array of offsets and one
of timestamps.  A page is then two bisects and one slice, so the server's cost
per page is a memcpy of at most 1 MB; the client dominates.

Model (see /work/shared/docs/aws-facts.md sections 2.1 and 3):
  - startTime and endTime are inclusive epoch ms on the event timestamp;
  - a page holds at most `limit` (<= 10 000) events and at most --page-bytes
    bytes of response body (1 MiB), at least one event; nextToken is opaque
    and present while events remain in the window;
  - events are sorted by timestamp, then ingestion time;
  - an account-wide token bucket (--tps, --burst) guards FilterLogEvents;
    when empty the answer is HTTP 400 with X-Amzn-ErrorType and body
    {"__type":"ThrottlingException","message":"Rate exceeded"};
  - every response (throttled ones included) is delayed by --latency seconds
    after the request arrived; connections are HTTP/1.1 keep-alive.

Control (plain HTTP, no signing, path starting with /_):
  GET  /_stats       request counters (also per access key id, taken from
                     the Authorization header), FilterLogEvents arrival
                     times, the server's own CPU time since the reset
  POST /_reset       zero the counters and refill the token bucket
  POST /_live        {"group": G, "rate": R, "seed": S, "msg_bytes": B}:
                     append events to G (created if missing) at R events/s
                     (exponential gaps), timestamp = ingestion = now
  POST /_live/stop   stop every writer
  GET  /_live/log    [[group, group_index, seq, write_time_epoch_s], ...]
Live messages carry the marker "live-<group_index>-<seq>" so a reader can match
its output lines to write times.

Start-up prints one line "READY <port>" on stdout once it listens.
"""

import argparse
import base64
import bisect
import hashlib
import heapq
import json
import random
import resource
import selectors
import socket
import struct
import sys
import time

from fakedata import Group
from fakelive import LiveTail

MAX_LIMIT = 10000
LT_MODES = ("on", "unknown", "moto", "denied", "limit")
MOTO_500 = (b"<!doctype html>\n<html lang=en>\n<title>500 Internal Server "
            b"Error</title>\n<h1>Internal Server Error</h1>\n<p>The server "
            b"encountered an internal error and was unable to complete your "
            b"request. Either the server is overloaded or there is an error "
            b"in the application.</p>\n")
REASON = {200: b"OK", 400: b"Bad Request", 404: b"Not Found",
          500: b"INTERNAL SERVER ERROR"}


class AwsError(Exception):
    def __init__(self, code, message, status=400):
        super().__init__(message)
        self.code = code
        self.message = message
        self.status = status


class Bucket:
    """A token bucket: rate tokens per second, at most burst."""

    def __init__(self, rate, burst):
        self.rate = rate
        self.burst = burst
        self.tokens = burst
        self.t = time.monotonic()

    def take(self):
        if self.rate <= 0:
            return True
        now = time.monotonic()
        self.tokens = min(self.burst, self.tokens + (now - self.t) * self.rate)
        self.t = now
        if self.tokens >= 1.0:
            self.tokens -= 1.0
            return True
        return False


class Server:
    def __init__(self, args):
        self.args = args
        self.groups = {}
        self.order = []
        self.bucket = Bucket(args.tps, args.burst if args.burst else args.tps)
        self.live_writers = []
        self.loop = None
        self.live_log = []
        self.reqid = 0
        self.lt = LiveTail({"mode": args.lt_mode, "interval": args.lt_interval,
                            "sample": args.lt_sample,
                            "max_sessions": args.lt_max_sessions,
                            "max_duration": args.lt_max_duration},
                           args.region, args.account)
        self.ingest = {"delay": args.ingest_delay,
                       "jitter": args.ingest_jitter}
        self.ingest_defaults = dict(self.ingest)
        self.ingest_rnd = random.Random(7)
        self.reset()

    def reset(self):
        self.counts = {}
        self.by_key = {}         # access key id -> {op: count}
        self.bucket.tokens = self.bucket.burst
        self.throttled = 0
        self.fle_times = []      # arrival time of accepted FilterLogEvents
        self.fle_events = 0
        self.fle_bytes = 0
        self.t_reset = time.time()
        ru = resource.getrusage(resource.RUSAGE_SELF)
        self.cpu0 = ru.ru_utime + ru.ru_stime
        self.user0 = ru.ru_utime
        self.lt.reset()

    def add_group(self, name):
        g = Group(name, len(self.order), int(time.time() * 1000) - 86400000)
        self.groups[name] = g
        self.order.append(name)
        return g

    # --- operations -------------------------------------------------------

    def group_of(self, req):
        name = req.get("logGroupName")
        ident = req.get("logGroupIdentifier")
        if name is not None and ident is not None:
            raise AwsError("InvalidParameterException",
                           "LogGroup name and LogGroup ARN are mutually "
                           "exclusive parameters.")
        if name is None and ident is not None:
            name = ident
            if name.startswith("arn:"):
                name = name.split(":log-group:", 1)[-1]
                if name.endswith(":*"):
                    name = name[:-2]
        if not isinstance(name, str):
            raise AwsError("InvalidParameterException",
                           "logGroupName is required")
        g = self.groups.get(name)
        if g is None:
            raise AwsError("ResourceNotFoundException",
                           "The specified log group does not exist.")
        return g

    def filter_log_events(self, req):
        g = self.group_of(req)
        names = req.get("logStreamNames")
        prefix = req.get("logStreamNamePrefix")
        if names is not None and prefix is not None:
            raise AwsError("InvalidParameterException",
                           "logStreamNames and logStreamNamePrefix are "
                           "mutually exclusive")
        limit = req.get("limit", MAX_LIMIT)
        if not isinstance(limit, int) or limit < 1 or limit > MAX_LIMIT:
            raise AwsError("InvalidParameterException",
                           "1 validation error detected: Value at 'limit' "
                           "failed to satisfy constraint")
        v = g.select(names, prefix, req.get("filterPattern") or None)
        start = req.get("startTime")
        end = req.get("endTime")
        lo = 0 if start is None else bisect.bisect_left(v.ts, start)
        hi = len(v) if end is None else bisect.bisect_right(v.ts, end)
        tok = req.get("nextToken")
        if tok is not None:
            try:
                parts = base64.urlsafe_b64decode(tok.encode()).split(b".")
                if parts[0] != b"fk1" or parts[1] != g.name.encode():
                    raise ValueError
                lo = int(parts[2])
            except (ValueError, IndexError, TypeError):
                raise AwsError("InvalidParameterException",
                               "The specified nextToken is invalid.")
        lo = min(lo, hi)
        room = self.args.page_bytes - 64
        # Largest j with j - lo <= limit and off[j] - 1 - off[lo] <= room.
        j = min(hi, lo + limit)
        if j > lo and v.off[j] - 1 - v.off[lo] > room:
            j = bisect.bisect_right(v.off, v.off[lo] + room + 1, lo, j) - 1
            j = max(j, lo + 1)
        body = memoryview(v.data)[v.off[lo]:v.off[j] - 1]
        head = b'{"events":['
        if j < hi:
            t = base64.urlsafe_b64encode(
                b"fk1.%s.%d.%s" % (g.name.encode(), j,
                                   hashlib.md5(b"%d" % j).hexdigest()[:16]
                                   .encode()))
            tail = b'],"searchedLogStreams":[],"nextToken":"%s"}' % t
        else:
            tail = b'],"searchedLogStreams":[]}'
        self.fle_events += j - lo
        self.fle_bytes += len(body)
        return (head, body, tail)

    def describe_log_groups(self, req):
        prefix = req.get("logGroupNamePrefix") or ""
        limit = min(int(req.get("limit", 50)), 50)
        names = [n for n in self.order if n.startswith(prefix)]
        lo = int(req["nextToken"]) if req.get("nextToken") else 0
        out = []
        for n in names[lo:lo + limit]:
            g = self.groups[n]
            arn = self.lt.arn(n)
            out.append({"logGroupName": n, "creationTime": g.created,
                        "metricFilterCount": 0, "arn": arn + ":*",
                        "storedBytes": len(g.view.data) if g.view else 0,
                        "logGroupClass": "STANDARD",
                        "logGroupArn": arn})
        r = {"logGroups": out}
        if lo + limit < len(names):
            r["nextToken"] = str(lo + limit)
        return r

    def describe_log_streams(self, req):
        g = self.group_of(req)
        prefix = req.get("logStreamNamePrefix") or ""
        limit = min(int(req.get("limit", 50)), 50)
        names = sorted(s for s in g.stream_names if s.startswith(prefix))
        if req.get("descending"):
            names.reverse()
        lo = int(req["nextToken"]) if req.get("nextToken") else 0
        out = []
        for s in names[lo:lo + limit]:
            out.append({"logStreamName": s, "creationTime": g.created,
                        "arn": "%s:log-stream:%s" % (self.lt.arn(g.name),
                                                     s),
                        "storedBytes": 0})
        r = {"logStreams": out}
        if lo + limit < len(names):
            r["nextToken"] = str(lo + limit)
        return r

    # --- live writers and ingestion ---------------------------------------

    def ingest_at(self, now, rnd=None, delay=None):
        """Epoch seconds at which an event written at now is ingested."""
        if delay is None:
            delay = self.ingest["delay"]
            if self.ingest["jitter"] > 0:
                delay += (rnd or self.ingest_rnd).uniform(
                    0, self.ingest["jitter"])
        return now + max(0.0, delay)

    def write(self, g, stream_idx, events, now, ingest, logent=None):
        """Make events [(timestamp ms, message)] of one stream visible at
        epoch second ingest, all at once (FilterLogEvents and Live Tail both
        see them from then on, with that ingestionTime)."""
        ims = int(ingest * 1000)

        def publish():
            stream = g.stream_at(stream_idx)
            for ts, msg in events:
                g.add_live(stream_idx, ts, msg, ims)
                self.lt.publish(g.name, stream, ts, msg, ims)
            if logent is not None:
                self.live_log.append(logent + [ims / 1000.0])
        self.loop.call_at(time.monotonic() + (ingest - now), publish)

    def live_tick(self, w):
        """Write the next event of live writer w and schedule the next."""
        if not w["on"]:
            return
        g = w["group"]
        now = time.time()
        msg = '{"level":"INFO","msg":"live-%d-%06d","pad":"%s"}' % (
            g.gidx, w["seq"], "x" * w["pad"])
        self.write(g, w["seq"] % 3, [(int(now * 1000), msg)], now,
                   self.ingest_at(now, w["rnd"]),
                   [g.name, g.gidx, w["seq"], now])
        w["seq"] += 1
        self.loop.call_at(time.monotonic() + w["rnd"].expovariate(w["rate"]),
                          self.live_tick, w)

    def live_group(self, name):
        """The live group name, created (empty) if missing."""
        g = self.groups.get(name)
        if g is None:
            g = self.add_group(name)
            g.live = True
        elif not g.live:
            raise AwsError("InvalidParameterException", "not a live group")
        return g

    def put_events(self, req):
        """POST /_events: {"group", "stream", "events": [[ts, msg], ...],
        "ingest_delay": s (optional)}."""
        g = self.live_group(req["group"])
        si = g.stream_index(req.get("stream", "fake-stream"))
        now = time.time()
        ingest = self.ingest_at(now, delay=req.get("ingest_delay"))
        evs = [(int(e["timestamp"]), str(e["message"]))
               if isinstance(e, dict) else (int(e[0]), str(e[1]))
               for e in req["events"]]
        self.write(g, si, evs, now, ingest)
        return {"ingestionTime": int(ingest * 1000)}

    def write_op(self, op, req):
        """CreateLogGroup, CreateLogStream, PutLogEvents (minimal: no
        sequence tokens, no batch rules; events become visible after the
        ingestion delay like every write)."""
        name = req.get("logGroupName")
        if not isinstance(name, str):
            raise AwsError("InvalidParameterException",
                           "logGroupName is required")
        g = self.groups.get(name)
        if op == "CreateLogGroup":
            if g is not None:
                raise AwsError("ResourceAlreadyExistsException",
                               "The specified log group already exists")
            self.live_group(name)
            return {}
        if g is None:
            raise AwsError("ResourceNotFoundException",
                           "The specified log group does not exist.")
        if not g.live:
            raise AwsError("InvalidParameterException", "not a live group")
        stream = req.get("logStreamName")
        if not isinstance(stream, str):
            raise AwsError("InvalidParameterException",
                           "logStreamName is required")
        if op == "CreateLogStream":
            if stream in g.stream_names:
                raise AwsError("ResourceAlreadyExistsException",
                               "The specified log stream already exists")
            g.stream_index(stream)
            return {}
        if stream not in g.stream_names:
            raise AwsError("ResourceNotFoundException",
                           "The specified log stream does not exist.")
        si = g.stream_index(stream)
        now = time.time()
        ingest = self.ingest_at(now)
        self.write(g, si, [(int(e["timestamp"]), str(e["message"]))
                           for e in req.get("logEvents") or []], now, ingest)
        return {}

    def configure(self, req):
        """POST /_config: change the model at run time (see the docstring)."""
        for k, v in req.items():
            if k in ("ingest_delay", "ingest_jitter"):
                self.ingest[k[7:]] = float(v)
            elif k == "tps":
                self.bucket.rate = float(v)
                self.bucket.burst = float(req.get("burst", v))
                self.bucket.tokens = self.bucket.burst
            elif k == "burst":
                pass
            elif k == "latency":
                self.args.latency = float(v)
            elif k.startswith("lt_") and k[3:] in self.lt.cfg:
                if k == "lt_mode" and v not in LT_MODES:
                    raise AwsError("InvalidParameterException",
                                   "lt_mode: one of %s" % ", ".join(LT_MODES))
                self.lt.cfg[k[3:]] = v if k == "lt_mode" else float(v)
            else:
                raise AwsError("InvalidParameterException",
                               "unknown setting %s" % k)
        return self.settings()

    def settings(self):
        return {"ingest_delay": self.ingest["delay"],
                "ingest_jitter": self.ingest["jitter"],
                "tps": self.bucket.rate, "burst": self.bucket.burst,
                "latency": self.args.latency,
                **{"lt_" + k: v for k, v in self.lt.cfg.items()}}

    def forget(self):
        """POST /_reset {"all": true}: also drop every group, writer and
        session and restore the start-up settings."""
        self.lt.break_all("drop")
        for w in self.live_writers:
            w["on"] = False
        self.live_writers = []
        self.live_log = []
        self.groups = {}
        self.order = []
        self.ingest = dict(self.ingest_defaults)
        self.lt.cfg = dict(self.lt.defaults)
        self.args.latency = self.args.latency0
        self.bucket.rate = self.args.tps
        self.bucket.burst = self.args.burst if self.args.burst \
            else self.args.tps

    def control(self, method, path, body):
        req = json.loads(body or b"{}") if method == "POST" else {}
        if path == "/_stats":
            ru = resource.getrusage(resource.RUSAGE_SELF)
            return {"counts": self.counts, "throttled": self.throttled,
                    "by_key": self.by_key,
                    "fle_times": self.fle_times,
                    "fle_events": self.fle_events,
                    "fle_bytes": self.fle_bytes,
                    "since": self.t_reset,
                    "cpu": ru.ru_utime + ru.ru_stime - self.cpu0,
                    "cpu_user": ru.ru_utime - self.user0,
                    "maxrss_kib": ru.ru_maxrss,
                    "livetail": dict(self.lt.stats,
                                     open=len(self.lt.sessions))}
        if path == "/_reset" and method == "POST":
            if req.get("all"):
                self.forget()
            self.reset()
            return {}
        if path == "/_config":
            return self.configure(req) if method == "POST" \
                else self.settings()
        if path == "/_group" and method == "POST":
            for n in req.get("names", []) + ([req["name"]] if "name" in req
                                             else []):
                self.live_group(n)
            return {}
        if path == "/_events" and method == "POST":
            return self.put_events(req)
        if path == "/_live" and method == "POST":
            g = self.live_group(req["group"])
            w = {"on": True, "group": g, "seq": 0,
                 "rate": float(req.get("rate", 1)),
                 "rnd": random.Random(int(req.get("seed", 1))),
                 "pad": max(0, int(req.get("msg_bytes",
                                           self.args.msg_bytes)) - 60)}
            self.live_writers.append(w)
            self.loop.call_at(
                time.monotonic() + w["rnd"].expovariate(w["rate"]),
                self.live_tick, w)
            return {}
        if path == "/_live/stop" and method == "POST":
            for w in self.live_writers:
                w["on"] = False
            self.live_writers = []
            return {}
        if path == "/_live/log":
            return self.live_log
        if path == "/_livetail/break" and method == "POST":
            how = req.get("how", "drop")
            if how not in ("drop", "truncate", "streaming", "timeout"):
                raise AwsError("InvalidParameterException", "how: drop, "
                               "truncate, streaming or timeout")
            return {"sessions": self.lt.break_all(how)}
        if path == "/_livetail":
            return [{"sessionId": s.session_id, "groups": list(s.groups),
                     "age": time.monotonic() - s.t0 if s.t0 else 0.0}
                    for s in self.lt.sessions]
        raise AwsError("UnknownOperationException", "no such path", 404)

    def start_live_tail(self, conn, body):
        """StartLiveTail: a Session to stream, or an error answer."""
        mode = self.lt.cfg["mode"]
        if mode == "unknown":
            # What CloudWatch Logs answers for an operation it does not
            # have (aws/aws-sdk-net#1536): 400, a __type and no message.
            self.lt.refuse("UnknownOperationException")
            return (400, [b"X-Amzn-ErrorType: UnknownOperationException"],
                    [b'{"__type":"UnknownOperationException"}'])
        if mode == "moto":
            # moto 5.2.1's answer: the action is not implemented.
            self.lt.refuse("moto-500")
            return (500, [b"Content-Type: text/html; charset=utf-8"],
                    [MOTO_500])
        try:
            return ("stream", self.lt.start(conn, json.loads(body or b"{}"),
                                            self.groups, AwsError), None)
        except AwsError as e:
            self.lt.refuse(e.code)
            raise

    def handle(self, method, path, headers, body, conn=None):
        """Answer one request: (status, extra headers, body chunks), or
        ("stream", session) for StartLiveTail."""
        if path.startswith("/_"):
            try:
                r = self.control(method, path, body)
                return 200, [], [json.dumps(r).encode()]
            except AwsError as e:
                return self.error(e)
        target = headers.get("x-amz-target", "")
        op = target.rsplit(".", 1)[-1]
        self.counts[op] = self.counts.get(op, 0) + 1
        auth = headers.get("authorization", "")
        i = auth.find("Credential=")
        if i >= 0:
            key = auth[i + 11:].split("/", 1)[0]
            kc = self.by_key.setdefault(key, {})
            kc[op] = kc.get(op, 0) + 1
        try:
            if op == "FilterLogEvents":
                if not self.bucket.take():
                    self.throttled += 1
                    raise AwsError("ThrottlingException", "Rate exceeded")
                self.fle_times.append(time.time())
                req = json.loads(body or b"{}")
                return 200, [], list(self.filter_log_events(req))
            if op == "StartLiveTail":
                return self.start_live_tail(conn, body)
            req = json.loads(body or b"{}")
            if op == "DescribeLogGroups":
                r = self.describe_log_groups(req)
            elif op == "DescribeLogStreams":
                r = self.describe_log_streams(req)
            elif op in ("CreateLogGroup", "CreateLogStream", "PutLogEvents"):
                r = self.write_op(op, req)
            else:
                raise AwsError("UnknownOperationException",
                               "Unknown operation %s" % target)
            return 200, [], [json.dumps(r).encode()]
        except AwsError as e:
            return self.error(e)
        except (ValueError, KeyError, TypeError) as e:
            return self.error(AwsError("SerializationException", str(e)))

    def error(self, e):
        return (e.status, [b"X-Amzn-ErrorType: " + e.code.encode()],
                [json.dumps({"__type": e.code,
                             "message": e.message}).encode()])


class Loop:
    """A small event loop: epoll readiness callbacks and a timer heap."""

    def __init__(self):
        self.sel = selectors.DefaultSelector()
        self.timers = []
        self.seq = 0

    def call_at(self, when, fn, *args):
        """Run fn(*args) at monotonic time when."""
        self.seq += 1
        heapq.heappush(self.timers, (when, self.seq, fn, args))

    def run(self):
        while True:
            timeout = None
            if self.timers:
                timeout = max(0.0, self.timers[0][0] - time.monotonic())
            for key, mask in self.sel.select(timeout):
                key.data(mask)
            now = time.monotonic()
            while self.timers and self.timers[0][0] <= now:
                _, _, fn, args = heapq.heappop(self.timers)
                fn(*args)


class Conn:
    """One HTTP/1.1 keep-alive connection, one request at a time.

    Responses go out with sendmsg() straight from memoryviews of the
    pre-rendered buffers, so a page is never copied in user space.
    """

    def __init__(self, server, loop, sock):
        self.server = server
        self.loop = loop
        self.sock = sock
        self.buf = bytearray()
        self.out = []
        self.busy = False
        self.closing = False
        self.continued = False
        self.writing = False
        self.session = None      # the Live Tail session being streamed
        sock.setblocking(False)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        loop.sel.register(sock, selectors.EVENT_READ, self.on_event)

    def on_event(self, mask):
        if mask & selectors.EVENT_READ and self.sock is not None:
            self.on_read()
        if mask & selectors.EVENT_WRITE and self.sock is not None:
            self.flush()

    def on_read(self):
        try:
            data = self.sock.recv(262144)
        except (BlockingIOError, InterruptedError):
            return
        except OSError:
            data = b""
        if not data:
            self.close()
            return
        self.buf += data
        if not self.busy:
            self.next_request()

    def close(self):
        if self.sock is None:
            return
        self.loop.sel.unregister(self.sock)
        self.sock.close()
        self.sock = None
        s, self.session = self.session, None
        if s is not None:
            s.gone()

    def next_request(self):
        end = self.buf.find(b"\r\n\r\n")
        if end < 0:
            return
        lines = bytes(self.buf[:end]).split(b"\r\n")
        try:
            method, path, version = lines[0].decode().split(" ", 2)
        except ValueError:
            self.close()
            return
        headers = {}
        for ln in lines[1:]:
            k, _, v = ln.partition(b":")
            headers[k.strip().lower().decode()] = v.strip().decode()
        n = int(headers.get("content-length", "0"))
        if len(self.buf) < end + 4 + n:
            if headers.get("expect", "").lower() == "100-continue" and \
                    not self.continued:
                self.sock.send(b"HTTP/1.1 100 Continue\r\n\r\n")
                self.continued = True
            return
        self.continued = False
        body = bytes(self.buf[end + 4:end + 4 + n])
        del self.buf[:end + 4 + n]
        arrived = time.monotonic()
        status, hdrs, chunks = self.server.handle(method, path, headers, body,
                                                  self)
        self.closing = (version == "HTTP/1.0" or
                        headers.get("connection", "").lower() == "close")
        self.busy = True
        delay = 0.0 if path.startswith("/_") else self.server.args.latency
        if status == "stream":
            self.loop.call_at(arrived + delay, self.stream_start, hdrs)
        elif delay > 0:
            self.loop.call_at(arrived + delay, self.respond, status, hdrs,
                              chunks)
        else:
            self.respond(status, hdrs, chunks)

    def respond(self, status, hdrs, chunks):
        if self.sock is None:
            return
        self.server.reqid += 1
        n = sum(len(c) for c in chunks)
        head = [b"HTTP/1.1 %d %s" % (status, REASON.get(status, b"Error"))]
        if not any(h.lower().startswith(b"content-type:") for h in hdrs):
            head.append(b"Content-Type: application/x-amz-json-1.1")
        head += [b"Content-Length: %d" % n,
                 b"x-amzn-RequestId: 00000000-0000-4000-8000-%012d"
                 % self.server.reqid]
        head += hdrs
        if self.closing:
            head.append(b"Connection: close")
        self.out = [memoryview(b"\r\n".join(head) + b"\r\n\r\n")]
        self.out += [memoryview(c) for c in chunks if len(c)]
        self.flush()

    # --- a streamed (chunked) response: StartLiveTail ---------------------

    def stream_start(self, session):
        """Send the head of session's response, then its first messages."""
        if self.sock is None:
            session.gone()
            return
        if not session.open:         # broken before its head went out
            self.close()
            return
        self.session = session
        head = [b"HTTP/1.1 200 OK",
                b"Content-Type: application/vnd.amazon.eventstream",
                b"Transfer-Encoding: chunked",
                b"x-amzn-RequestId: " + session.request_id.encode()]
        if self.closing:
            head.append(b"Connection: close")
        self.out.append(memoryview(b"\r\n".join(head) + b"\r\n\r\n"))
        self.flush()
        if self.sock is not None:
            session.begin()

    def stream_chunk(self, data):
        """Queue one chunk of the body (one event-stream message)."""
        if self.sock is None or self.session is None:
            return
        self.out.append(memoryview(b"%x\r\n" % len(data) + data + b"\r\n"))
        self.flush()

    def stream_end(self):
        """End the body; the connection then serves its next request."""
        if self.sock is None or self.session is None:
            return
        self.session = None
        self.out.append(memoryview(b"0\r\n\r\n"))
        self.flush()

    def stream_abort(self):
        """Reset the connection: no end of body (a broken session)."""
        if self.sock is None:
            return
        self.session = None
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                             struct.pack("ii", 1, 0))
        self.close()

    def flush(self):
        while self.out:
            try:
                n = self.sock.sendmsg(self.out)
            except (BlockingIOError, InterruptedError):
                break
            except OSError:
                self.close()
                return
            while n > 0:
                if n >= len(self.out[0]):
                    n -= len(self.out[0])
                    self.out.pop(0)
                else:
                    self.out[0] = self.out[0][n:]
                    n = 0
        if self.out:
            if not self.writing:
                self.loop.sel.modify(
                    self.sock, selectors.EVENT_READ | selectors.EVENT_WRITE,
                    self.on_event)
                self.writing = True
            return
        if self.writing:
            self.loop.sel.modify(self.sock, selectors.EVENT_READ,
                                 self.on_event)
            self.writing = False
        if self.session is not None:
            return
        if self.closing:
            self.close()
            return
        self.busy = False
        if self.buf:
            self.next_request()


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=0)
    p.add_argument("--groups", type=int, default=3,
                   help="number of generated groups (default 3)")
    p.add_argument("--events", type=int, default=50000,
                   help="events per generated group (default 50000)")
    p.add_argument("--group", action="append", default=[],
                   metavar="NAME:EVENTS", help="an extra generated group")
    p.add_argument("--prefix", default="/bench/api-",
                   help="name prefix of the generated groups")
    p.add_argument("--streams", type=int, default=10,
                   help="streams per group (default 10)")
    p.add_argument("--msg-bytes", type=int, default=120)
    p.add_argument("--msg-format", choices=("json", "text"), default="json")
    p.add_argument("--base-ms", type=int, default=None,
                   help="first timestamp (default: now - 2 h, on a minute)")
    p.add_argument("--window", type=float, default=3600.0,
                   help="seconds the events are spread over (default 3600)")
    p.add_argument("--latency", type=float, default=0.0,
                   help="seconds added to every AWS response")
    p.add_argument("--tps", type=float, default=0.0,
                   help="FilterLogEvents requests/s (0: no limit)")
    p.add_argument("--burst", type=float, default=0.0,
                   help="token bucket size (default: --tps)")
    p.add_argument("--page-bytes", type=int, default=1 << 20)
    p.add_argument("--region", default="us-east-1",
                   help="region in ARNs (default us-east-1)")
    p.add_argument("--account", default="123456789012",
                   help="account id in ARNs (default 123456789012)")
    p.add_argument("--ingest-delay", type=float, default=0.3,
                   help="seconds from write to ingestion (default 0.3)")
    p.add_argument("--ingest-jitter", type=float, default=0.5,
                   help="plus a uniform random 0..this (default 0.5)")
    p.add_argument("--lt-mode", choices=LT_MODES, default="on",
                   help="StartLiveTail: on, unknown (400 "
                   "UnknownOperationException), moto (500 like moto 5.2.1), "
                   "denied (AccessDeniedException), limit "
                   "(LimitExceededException)")
    p.add_argument("--lt-interval", type=float, default=1.0,
                   help="seconds between sessionUpdate messages (default 1)")
    p.add_argument("--lt-sample", type=float, default=500,
                   help="events/s a session delivers before sampling "
                   "(default 500)")
    p.add_argument("--lt-max-sessions", type=int, default=15,
                   help="concurrent sessions (default 15)")
    p.add_argument("--lt-max-duration", type=float, default=10800,
                   help="seconds before SessionTimeoutException (3 h)")
    a = p.parse_args(argv)
    a.latency0 = a.latency
    return a


def serve(args):
    """Generate the groups, listen, print READY <port>, serve forever."""
    srv = Server(args)
    base = args.base_ms
    if base is None:
        base = (int(time.time()) // 60 * 60 - 7200) * 1000
    window = int(args.window * 1000)
    specs = [("%s%d" % (args.prefix, i), args.events)
             for i in range(args.groups)]
    for s in args.group:
        name, _, n = s.rpartition(":")
        specs.append((name, int(n)))
    for name, n in specs:
        srv.add_group(name).generate(n, args.streams, base, window,
                                     args.msg_bytes, args.msg_format)
    srv.reset()
    loop = Loop()
    srv.loop = loop
    srv.lt.loop = loop
    ls = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    ls.bind((args.host, args.port))
    ls.listen(256)
    ls.setblocking(False)

    def on_accept(mask):
        try:
            s, _ = ls.accept()
        except (BlockingIOError, InterruptedError):
            return
        Conn(srv, loop, s)

    loop.sel.register(ls, selectors.EVENT_READ, on_accept)
    print("READY %d" % ls.getsockname()[1], flush=True)
    loop.run()


def main(argv):
    args = parse_args(argv)
    try:
        serve(args)
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

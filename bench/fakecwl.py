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
import sys
import time

from fakedata import Group

MAX_LIMIT = 10000


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
            arn = "arn:aws:logs:us-east-1:123456789012:log-group:%s" % n
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
                        "arn": "arn:aws:logs:us-east-1:123456789012:"
                               "log-group:%s:log-stream:%s" % (g.name, s),
                        "storedBytes": 0})
        r = {"logStreams": out}
        if lo + limit < len(names):
            r["nextToken"] = str(lo + limit)
        return r

    # --- live writers -----------------------------------------------------

    def live_tick(self, w):
        """Append the next event of live writer w and schedule the next."""
        if not w["on"]:
            return
        g = w["group"]
        now = time.time()
        ms = int(now * 1000)
        if g.lts and ms < g.lts[-1]:
            ms = g.lts[-1]
        msg = '{"level":"INFO","msg":"live-%d-%06d","pad":"%s"}' % (
            g.gidx, w["seq"], "x" * w["pad"])
        g.add_live(w["seq"] % 3, ms, msg)
        self.live_log.append([g.name, g.gidx, w["seq"], now])
        w["seq"] += 1
        self.loop.call_at(time.monotonic() + w["rnd"].expovariate(w["rate"]),
                          self.live_tick, w)

    def control(self, method, path, body):
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
                    "maxrss_kib": ru.ru_maxrss}
        if path == "/_reset" and method == "POST":
            self.reset()
            return {}
        if path == "/_live" and method == "POST":
            req = json.loads(body or b"{}")
            name = req["group"]
            g = self.groups.get(name)
            if g is None:
                g = self.add_group(name)
                g.live = True
            elif not g.live:
                raise AwsError("InvalidParameterException",
                               "not a live group")
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
        raise AwsError("UnknownOperationException", "no such path", 404)

    def handle(self, method, path, headers, body):
        """Answer one request: (status, extra headers, body chunks)."""
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
            req = json.loads(body or b"{}")
            if op == "DescribeLogGroups":
                r = self.describe_log_groups(req)
            elif op == "DescribeLogStreams":
                r = self.describe_log_streams(req)
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
        status, hdrs, chunks = self.server.handle(method, path, headers, body)
        self.closing = (version == "HTTP/1.0" or
                        headers.get("connection", "").lower() == "close")
        self.busy = True
        delay = 0.0 if path.startswith("/_") else self.server.args.latency
        if delay > 0:
            self.loop.call_at(arrived + delay, self.respond, status, hdrs,
                              chunks)
        else:
            self.respond(status, hdrs, chunks)

    def respond(self, status, hdrs, chunks):
        if self.sock is None:
            return
        self.server.reqid += 1
        n = sum(len(c) for c in chunks)
        head = [b"HTTP/1.1 %d %s" % (status, b"OK" if status == 200
                                     else b"Bad Request"),
                b"Content-Type: application/x-amz-json-1.1",
                b"Content-Length: %d" % n,
                b"x-amzn-RequestId: 00000000-0000-4000-8000-%012d"
                % self.server.reqid]
        head += hdrs
        if self.closing:
            head.append(b"Connection: close")
        self.out = [memoryview(b"\r\n".join(head) + b"\r\n\r\n")]
        self.out += [memoryview(c) for c in chunks if len(c)]
        self.flush()

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
    return p.parse_args(argv)


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

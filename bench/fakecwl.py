#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""fakecwl: a fast synthetic CloudWatch Logs endpoint for benchmarks and
for the integration tests that moto cannot serve (Live Tail).

Serves FilterLogEvents, GetLogEvents, DescribeLogGroups, DescribeLogStreams,
StartLiveTail,
Logs Insights (StartQuery, GetQueryResults, StopQuery, DescribeQueries: the
model and the query language are in bench/fakeinsights.py) and, minimally, CreateLogGroup, CreateLogStream and PutLogEvents (awsJson1_1,
POST / with X-Amz-Target) on loopback.  Signatures are not checked.  moto
stays the correctness oracle for everything it implements.

Speed: every generated group is rendered once at start-up into one bytes
object holding the JSON of each event followed by a comma, plus an array of
offsets and one of timestamps.  A page is then two bisects and one slice, so
the server's cost per page is a memcpy of at most 1 MB; the client dominates.

Model (see /work/shared/docs/aws-facts.md sections 2.1, 2.5 and 3):
  - startTime and endTime are inclusive epoch ms on the event timestamp;
  - a page holds at most `limit` (<= 10 000) events and at most --page-bytes
    bytes of response body (1 MiB), at least one event; nextToken is opaque
    and present while events remain in the window;
  - events are sorted by timestamp, then ingestion time;
  - written events (live writers, /_events, PutLogEvents) become visible,
    to FilterLogEvents and Live Tail alike, only at their ingestionTime =
    write time + --ingest-delay + uniform(0, --ingest-jitter) seconds;
  - filterPattern: the documented term forms (words, "quoted phrases",
    ?any ?of, -excluded; bench/fakepattern.py) are matched on the message,
    case-sensitive substrings; any other syntax is a plain substring of
    the event's JSON;
  - with --fle-scan-bytes N (0: off), a call with a filterPattern scans
    at most N bytes of the window's events (from where its nextToken
    left off) and answers the matches among them, with a nextToken while
    the window has more: sparse matches take many partial or empty pages,
    as the service's "might only be partially full, or even empty" pages
    do (the real per-call scan budget is not documented);
  - an account-wide token bucket (--tps, --burst) guards FilterLogEvents,
    another one GetLogEvents (--get-tps, 10 on AWS) and another
    DescribeLogStreams (--describe-tps, 25 on AWS); when one is empty the
    answer is HTTP 400 with X-Amzn-ErrorType and body
    {"__type":"ThrottlingException","message":"Rate exceeded"};
  - GetLogEvents (section 2.2) reads one stream forward (startFromHead must
    be true here): startTime inclusive, endTime exclusive, pages like
    FilterLogEvents' (events: timestamp, message, ingestionTime), tokens
    "f/INDEX" and "b/INDEX", both always present; at the end of the stream
    the token sent comes back;
  - every response (throttled ones included; for StartLiveTail its head) is
    delayed by --latency seconds after the request arrived; connections are
    HTTP/1.1 keep-alive;
  - ARNs are arn:aws:logs:--region:--account:log-group:NAME
    (DescribeLogGroups gives logGroupArn and arn = logGroupArn + ":*").

StartLiveTail (bench/fakelive.py has the framing): logGroupIdentifiers must
be 1..10 ARNs of existing groups of this region and account (no trailing
"*"), logStreamNames / logStreamNamePrefixes (exclusive, one group only),
logEventFilterPattern (a plain substring here).  The answer is HTTP/1.1 200,
Content-Type application/vnd.amazon.eventstream, chunked, carrying the
event-stream messages initial-response, sessionStart, then a sessionUpdate
every --lt-interval s (possibly empty) with the events ingested since the
last one.  More than --lt-sample events/s in an update: sampled=true and a
random --lt-sample x interval of them.  More than --lt-max-sessions open
sessions: HTTP 400 LimitExceededException "Rate exceeded" before any
stream.  After --lt-max-duration s: a SessionTimeoutException message and
the end of the body.  Not modelled: back-pressure (AWS drops the oldest
updates beyond 10 buffered), real filter-pattern syntax.

Control (plain HTTP, no signing, path starting with /_; bodies are JSON):
  GET  /_stats       request counters (also per access key id, taken from
                     the Authorization header), FilterLogEvents arrival
                     times, the server's own CPU time since the reset, and
                     "livetail": {started, open, refused: {code: n},
                     ended: {how: n}, updates, sampled_updates, events},
                     "insights": {started, completed, stopped, limited,
                     malformed, bytes_scanned, active, peak_active (the
                     most Scheduled or Running at once), throttled,
                     reread (GetQueryResults of an already read
                     Complete query), stop_ids (query ids
                     StopQuery was called for), ranges ([startTime,
                     endTime, rows] of each query started)}
  POST /_reset       zero the counters and refill the token bucket;
                     {"all": true} also drops every group, writer and
                     session and restores the start-up settings
  GET  /_config      the settings below
  POST /_config      change settings: ingest_delay, ingest_jitter, tps,
                     burst, get_tps, describe_tps, latency, fle_scan_bytes,
                     lt_mode, lt_interval, lt_sample,
                     lt_max_sessions, lt_max_duration, qi_max_queries,
                     qi_sched, qi_scan_rate, qi_start_tps,
                     qi_results_tps, qi_break (the next N GetQueryResults
                     pages with rows send half their body, then reset the
                     connection), qi_mode ("on", or "denied":
                     every Insights call is AccessDeniedException)
  POST /_group       {"name": G} or {"names": [G, ...]}: create empty groups
  POST /_events      {"group": G, "stream": S, "events": [[ts_ms, msg], ...],
                     "ingest_delay": s (optional)}: write events with the
                     given timestamps (group and stream created if missing;
                     into a generated group they are visible at once);
                     answers {"ingestionTime": ms}
  POST /_live        {"group": G, "rate": R, "seed": S, "msg_bytes": B}:
                     write events to G (created if missing) at R events/s
                     (exponential gaps), timestamp = write time
  POST /_live/stop   stop every writer
  GET  /_live/log    [[group, group_index, seq, write_time, ingestion_time],
                     ...] in epoch seconds, one entry per published event
  GET  /_livetail    the open sessions: [{sessionId, groups, age}]
  POST /_livetail/break  {"how": H}: end every open session: "drop"
                     (connection reset), "truncate" (half a message, then
                     reset), "streaming" (SessionStreamingException) or
                     "timeout" (SessionTimeoutException); the last two end
                     the body cleanly.  Answers {"sessions": n}
lt_mode (--lt-mode) decides how StartLiveTail answers: "on"; "unknown" (HTTP
400 {"__type":"UnknownOperationException"}, what CloudWatch Logs answers for
an operation it lacks); "moto" (HTTP 500 text/html, what moto 5.2.1
answers); "denied" (AccessDeniedException); "limit" (LimitExceededException).
Live messages carry the marker "live-<group_index>-<seq>" so a reader can
match its output lines to write and ingestion times.

Start-up prints one line "READY <port>" on stdout once it listens.
"""

import argparse
import base64
import bisect
import hashlib
import json
import random
import resource
import selectors
import socket
import sys
import time

import fakepattern
from fakectl import LT_MODES, AwsError, Control
from fakedata import Group, View
from fakehttpd import Conn, Loop
from fakeinsights import Insights
from fakelive import LiveTail

MAX_LIMIT = 10000
MOTO_500 = (b"<!doctype html>\n<html lang=en>\n<title>500 Internal Server "
            b"Error</title>\n<h1>Internal Server Error</h1>\n<p>The server "
            b"encountered an internal error and was unable to complete your "
            b"request. Either the server is overloaded or there is an error "
            b"in the application.</p>\n")


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


class Server(Control):
    def __init__(self, args):
        self.args = args
        self.groups = {}
        self.order = []
        self.bucket = Bucket(args.tps, args.burst if args.burst else args.tps)
        self.get_bucket = Bucket(args.get_tps,
                                 max(1.0, min(args.get_tps, 5.0)))
        self.desc_bucket = Bucket(args.describe_tps,
                                  max(1.0, min(args.describe_tps, 5.0)))
        self.get_views = {}      # (group, stream) -> GetLogEvents view
        self.live_writers = []
        self.loop = None
        self.live_log = []
        self.reqid = 0
        self.lt = LiveTail({"mode": args.lt_mode, "interval": args.lt_interval,
                            "sample": args.lt_sample,
                            "max_sessions": args.lt_max_sessions,
                            "max_duration": args.lt_max_duration},
                           args.region, args.account)
        self.qi = Insights({"max_queries": args.qi_max_queries,
                            "sched": args.qi_sched,
                            "scan_rate": args.qi_scan_rate,
                            "token_ttl": 3600.0,
                            "start_tps": args.qi_start_tps,
                            "results_tps": args.qi_results_tps,
                            "break": 0,
                            "mode": "on"}, args.account)
        self.ingest = {"delay": args.ingest_delay,
                       "jitter": args.ingest_jitter}
        self.ingest_defaults = dict(self.ingest)
        self.fle_scan = args.fle_scan_bytes
        self.ingest_rnd = random.Random(7)
        self.reset()

    def reset(self):
        self.counts = {}
        self.by_key = {}         # access key id -> {op: count}
        self.bucket.tokens = self.bucket.burst
        self.get_bucket.tokens = self.get_bucket.burst
        self.desc_bucket.tokens = self.desc_bucket.burst
        self.throttled = 0
        self.fle_times = []      # arrival time of accepted FilterLogEvents
        self.get_times = []      # the same for GetLogEvents
        self.get_events = 0
        self.fle_events = 0
        self.fle_bytes = 0
        self.t_reset = time.time()
        ru = resource.getrusage(resource.RUSAGE_SELF)
        self.cpu0 = ru.ru_utime + ru.ru_stime
        self.user0 = ru.ru_utime
        self.lt.reset()
        self.qi.reset()

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
        pat = req.get("filterPattern") or None
        if pat is not None and fakepattern.parse(pat) is not None:
            pat = fakepattern.parse(pat)
        if pat is not None and self.fle_scan > 0:
            return self.filter_scanned(g, req, names, prefix, pat, limit)
        v = g.select(names, prefix, pat)
        lo, hi = self.window(g, v, req, b"fk1")
        room = self.args.page_bytes - 64
        # Largest j with j - lo <= limit and off[j] - 1 - off[lo] <= room.
        j = min(hi, lo + limit)
        if j > lo and v.off[j] - 1 - v.off[lo] > room:
            j = bisect.bisect_right(v.off, v.off[lo] + room + 1, lo, j) - 1
            j = max(j, lo + 1)
        # Nothing in the window: an empty page (off[lo] - 1 would be -1 at
        # lo = 0, a slice of every event).
        body = memoryview(v.data)[v.off[lo]:v.off[j] - 1] if j > lo else b""
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

    def get_view(self, g, stream):
        """The events of one stream as GetLogEvents renders them (no
        logStreamName, no eventId), cut from the group's fragments once."""
        key = (g.name, stream)
        v = self.get_views.get(key)
        if v is None or g.live:
            src = g.select([stream], None, None)
            frags = []
            for i in range(len(src)):
                f = bytes(src.frag(i))
                frags.append(b"{" + f[f.index(b'"timestamp"'):
                                      f.rindex(b',"eventId"')] + b"}")
            v = View(frags, src.ts, src.streams)
            if not g.live:
                self.get_views[key] = v
        return v

    def get_log_events(self, req):
        g = self.group_of(req)
        stream = req.get("logStreamName")
        if not isinstance(stream, str) or stream not in g.stream_names:
            raise AwsError("ResourceNotFoundException",
                           "The specified log stream does not exist.")
        if req.get("startFromHead") is not True:
            raise AwsError("InvalidParameterException",
                           "fakecwl reads forward only (startFromHead)")
        limit = req.get("limit", MAX_LIMIT)
        if not isinstance(limit, int) or limit < 1 or limit > MAX_LIMIT:
            raise AwsError("InvalidParameterException",
                           "1 validation error detected: Value at 'limit' "
                           "failed to satisfy constraint")
        v = self.get_view(g, stream)
        start = req.get("startTime")
        end = req.get("endTime")
        lo = 0 if start is None else bisect.bisect_left(v.ts, start)
        hi = len(v) if end is None else bisect.bisect_left(v.ts, end)
        tok = req.get("nextToken")
        if tok is not None:
            if not isinstance(tok, str) or tok[:2] != "f/" or \
                    not tok[2:].isdigit():
                raise AwsError("InvalidParameterException",
                               "The specified nextToken is invalid.")
            lo = max(lo, int(tok[2:]))
        lo = min(lo, max(hi, 0))
        room = self.args.page_bytes - 200
        j = min(hi, lo + limit)
        if j > lo and v.off[j] - 1 - v.off[lo] > room:
            j = bisect.bisect_right(v.off, v.off[lo] + room + 1, lo, j) - 1
            j = max(j, lo + 1)
        body = memoryview(v.data)[v.off[lo]:v.off[j] - 1] if j > lo else b""
        nxt = tok if j == lo and tok is not None else "f/%d" % j
        self.get_events += j - lo
        return (b'{"events":[', body,
                b'],"nextForwardToken":"%s","nextBackwardToken":"b/%d"}' %
                (nxt.encode(), lo))

    def window(self, g, v, req, tag):
        """The [lo, hi) event range of a FilterLogEvents request over the
        view v: its time window, resumed at its nextToken (tagged tag)."""
        start = req.get("startTime")
        end = req.get("endTime")
        lo = 0 if start is None else bisect.bisect_left(v.ts, start)
        hi = len(v) if end is None else bisect.bisect_right(v.ts, end)
        tok = req.get("nextToken")
        if tok is not None:
            try:
                parts = base64.urlsafe_b64decode(tok.encode()).split(b".")
                if parts[0] != tag or parts[1] != g.name.encode():
                    raise ValueError
                lo = int(parts[2])
            except (ValueError, IndexError, TypeError):
                raise AwsError("InvalidParameterException",
                               "The specified nextToken is invalid.")
        return min(lo, hi), hi

    def filter_scanned(self, g, req, names, prefix, pat, limit):
        """A filtered FilterLogEvents page under --fle-scan-bytes: the
        matches among the next fle_scan bytes of the window."""
        v = g.select(names, prefix, None)
        lo, hi = self.window(g, v, req, b"fs1")
        j = bisect.bisect_right(v.off, v.off[lo] + self.fle_scan, lo,
                                hi + 1) - 1
        j = min(hi, max(j, lo + 1))
        if isinstance(pat, fakepattern.Pattern):
            needle, exact = pat.needle(), pat.match_frag
        else:
            needle, exact = pat.encode(), None
        hits, pos = [], v.off[lo]
        while pos < v.off[j]:
            k = pos if needle is None else v.data.find(needle, pos,
                                                       v.off[j])
            if k < 0:
                break
            i = bisect.bisect_right(v.off, k) - 1
            pos = v.off[i + 1]
            if exact is not None and not exact(bytes(v.frag(i))):
                continue
            hits.append(i)
            if len(hits) == limit:
                j = i + 1
                break
        body = b",".join(bytes(v.frag(i)) for i in hits)
        head = b'{"events":['
        if j < hi:
            t = base64.urlsafe_b64encode(b"fs1.%s.%d" % (g.name.encode(), j))
            tail = b'],"searchedLogStreams":[],"nextToken":"%s"}' % t
        else:
            tail = b'],"searchedLogStreams":[]}'
        self.fle_events += len(hits)
        self.fle_bytes += len(body)
        return (head, body, tail)

    def describe_log_groups(self, req):
        prefix = req.get("logGroupNamePrefix") or ""
        limit = min(int(req.get("limit", 50)), 50)
        names = [n for n in self.order if n.startswith(prefix)]
        ids = req.get("logGroupIdentifiers")
        if ids is not None:
            if prefix or not 1 <= len(ids) <= 50:
                raise AwsError("InvalidParameterException",
                               "logGroupIdentifiers: 1 to 50, and not with "
                               "logGroupNamePrefix")
            want = {i.split(":log-group:", 1)[-1].removesuffix(":*")
                    for i in ids}
            names = [n for n in self.order if n in want]
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
            if op == "GetLogEvents":
                if not self.get_bucket.take():
                    self.throttled += 1
                    raise AwsError("ThrottlingException", "Rate exceeded")
                self.get_times.append(time.time())
                req = json.loads(body or b"{}")
                return 200, [], list(self.get_log_events(req))
            if op == "DescribeLogStreams" and not self.desc_bucket.take():
                self.throttled += 1
                raise AwsError("ThrottlingException", "Rate exceeded")
            if op == "StartLiveTail":
                return self.start_live_tail(conn, body)
            req = json.loads(body or b"{}")
            if op == "DescribeLogGroups":
                r = self.describe_log_groups(req)
            elif op == "DescribeLogStreams":
                r = self.describe_log_streams(req)
            elif op in ("StartQuery", "GetQueryResults", "StopQuery",
                        "DescribeQueries"):
                r = self.qi.handle(op, req, self.groups)
                if (op == "GetQueryResults" and r.get("results") and
                        r.get("status") == "Complete" and
                        int(self.qi.cfg.get("break", 0)) > 0):
                    # A page cut midway: half its body, then a reset.
                    self.qi.cfg["break"] = int(self.qi.cfg["break"]) - 1
                    self.qi.stats["broken"] = \
                        self.qi.stats.get("broken", 0) + 1
                    return "break", [], [json.dumps(r).encode()]
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
    p.add_argument("--msg-format", choices=("json", "text", "access"),
                   default="json",
                   help="access: API Gateway access-log lines")
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
    p.add_argument("--get-tps", type=float, default=0.0,
                   help="GetLogEvents requests/s (0: no limit; 10 on AWS)")
    p.add_argument("--describe-tps", type=float, default=0.0,
                   help="DescribeLogStreams requests/s (0: no limit; 25 on "
                   "AWS)")
    p.add_argument("--page-bytes", type=int, default=1 << 20)
    p.add_argument("--fle-scan-bytes", type=int, default=0,
                   help="bytes a filtered FilterLogEvents call scans "
                   "(0: the whole window)")
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
    p.add_argument("--qi-max-queries", type=int, default=30,
                   help="Insights queries Scheduled or Running at once "
                   "(default 30)")
    p.add_argument("--qi-sched", type=float, default=0.2,
                   help="seconds an Insights query stays Scheduled "
                   "(default 0.2)")
    p.add_argument("--qi-scan-rate", type=float, default=100e6,
                   help="bytes/s an Insights query scans while Running "
                   "(default 100e6)")
    p.add_argument("--qi-start-tps", type=float, default=0.0,
                   help="StartQuery requests/s, account-wide (0: no limit)")
    p.add_argument("--qi-results-tps", type=float, default=0.0,
                   help="GetQueryResults requests/s, account-wide (0: no "
                   "limit)")
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

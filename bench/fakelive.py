# SPDX-License-Identifier: Apache-2.0
"""fakecwl's Live Tail: StartLiveTail sessions in AWS event-stream framing.

The response of StartLiveTail is HTTP/1.1 200 with Content-Type
application/vnd.amazon.eventstream and a chunked body of event-stream
messages (aws-facts.md section 2.5):

    [total_len u32][headers_len u32][prelude_crc u32][headers][payload]
    [message_crc u32]

big-endian; the prelude CRC32 covers the first 8 bytes, the message CRC32
everything before it (zlib CRC32, i.e. seeded with the prelude CRC).  Headers
are typed; every header here is a string (type 7).  As botocore's
EventStreamJSONParser requires for the awsJson protocols, the first message
is the `initial-response` event (payload `{}`), then `sessionStart` once,
then `sessionUpdate` every interval (possibly with no results), until the
session ends with a `SessionTimeoutException` or `SessionStreamingException`
exception message, a broken connection, or the client hanging up.
"""

import json
import random
import struct
import time
import uuid
import zlib

STRING = 7


def es_headers(headers):
    """Encode (name, str value) pairs as event-stream string headers."""
    out = []
    for name, value in headers:
        n = name.encode()
        v = value.encode()
        out.append(struct.pack(">B", len(n)) + n +
                   struct.pack(">BH", STRING, len(v)) + v)
    return b"".join(out)


def es_message(headers, payload):
    """One event-stream message: prelude, CRCs, headers, payload."""
    hb = es_headers(headers)
    total = 12 + len(hb) + len(payload) + 4
    prelude = struct.pack(">II", total, len(hb))
    head = prelude + struct.pack(">I", zlib.crc32(prelude))
    body = head + hb + payload
    return body + struct.pack(">I", zlib.crc32(body))


def es_event(event_type, obj):
    """An event message carrying obj as JSON."""
    return es_message([(":event-type", event_type),
                       (":content-type", "application/json"),
                       (":message-type", "event")],
                      json.dumps(obj, separators=(",", ":")).encode())


def es_exception(exception_type, message):
    """A modeled exception message ({"message": ...})."""
    return es_message([(":exception-type", exception_type),
                       (":content-type", "application/json"),
                       (":message-type", "exception")],
                      json.dumps({"message": message}).encode())


class Session:
    """One open StartLiveTail response.

    conn is the connection streaming it (see fakecwl.Conn.stream_*);
    groups maps a group name to the ARN the client gave for it.
    """

    def __init__(self, lt, conn, groups, names, prefixes, pattern, req):
        self.lt = lt
        self.conn = conn
        self.groups = groups
        self.names = set(names) if names else None
        self.prefixes = list(prefixes) if prefixes else None
        self.pattern = pattern or None
        self.req = req
        self.pending = []
        self.open = True
        self.t0 = None
        self.ticks = 0
        self.request_id = str(uuid.UUID(int=lt.rnd.getrandbits(128),
                                        version=4))
        self.session_id = str(uuid.UUID(int=lt.rnd.getrandbits(128),
                                        version=4))

    def matches(self, stream, msg):
        if self.names is not None and stream not in self.names:
            return False
        if self.prefixes is not None and \
                not any(stream.startswith(p) for p in self.prefixes):
            return False
        return self.pattern is None or self.pattern in msg

    def begin(self):
        """The response head went out: send the first two messages."""
        self.t0 = time.monotonic()
        self.conn.stream_chunk(es_event("initial-response", {}))
        start = {"requestId": self.request_id, "sessionId": self.session_id,
                 "logGroupIdentifiers": self.req["logGroupIdentifiers"]}
        for k in ("logStreamNames", "logStreamNamePrefixes",
                  "logEventFilterPattern"):
            if self.req.get(k) is not None:
                start[k] = self.req[k]
        self.conn.stream_chunk(es_event("sessionStart", start))
        self.lt.loop.call_at(self.t0 + self.lt.cfg["interval"], self.tick)

    def on_event(self, gname, stream, ts, msg, ingest):
        if self.open and self.matches(stream, msg):
            self.pending.append({"logStreamName": stream,
                                 "logGroupIdentifier": self.groups[gname],
                                 "message": msg, "timestamp": ts,
                                 "ingestionTime": ingest})

    def tick(self):
        if not self.open:
            return
        cfg = self.lt.cfg
        now = time.monotonic()
        if now - self.t0 >= cfg["max_duration"]:
            self.end("timeout")
            return
        got = self.pending
        self.pending = []
        cap = max(1, int(cfg["sample"] * cfg["interval"]))
        sampled = len(got) > cap
        if sampled:
            keep = sorted(self.lt.rnd.sample(range(len(got)), cap))
            got = [got[i] for i in keep]
            self.lt.stats["sampled_updates"] += 1
        self.lt.stats["updates"] += 1
        self.lt.stats["events"] += len(got)
        self.conn.stream_chunk(es_event("sessionUpdate", {
            "sessionMetadata": {"sampled": sampled},
            "sessionResults": got}))
        self.ticks += 1
        self.lt.loop.call_at(self.t0 + (self.ticks + 1) * cfg["interval"],
                             self.tick)

    def end(self, how):
        """End the session: 'timeout' or 'streaming' (an exception message
        then the end of the body), 'drop' (the connection is reset with no
        end of body), 'truncate' (half a message, then reset)."""
        if not self.open:
            return
        self.open = False
        self.lt.closed(self, how)
        if how == "timeout":
            self.conn.stream_chunk(es_exception(
                "SessionTimeoutException",
                "Live Tail session has reached the maximum duration"))
            self.conn.stream_end()
        elif how == "streaming":
            self.conn.stream_chunk(es_exception(
                "SessionStreamingException", "Internal Server Error"))
            self.conn.stream_end()
        elif how == "truncate":
            m = es_event("sessionUpdate", {
                "sessionMetadata": {"sampled": False},
                "sessionResults": []})
            self.conn.stream_chunk(m[:len(m) // 2])
            self.conn.stream_abort()
        else:
            self.conn.stream_abort()

    def gone(self):
        """The connection closed under us (client hung up or reset)."""
        if self.open:
            self.open = False
            self.lt.closed(self, "client")


class LiveTail:
    """The sessions of one fakecwl and their configuration (cfg keys:
    mode, interval, sample, max_sessions, max_duration)."""

    def __init__(self, cfg, region, account):
        self.cfg = dict(cfg)
        self.defaults = dict(cfg)
        self.region = region
        self.account = account
        self.sessions = []
        self.loop = None
        self.rnd = random.Random(14)
        self.reset()

    def reset(self):
        self.stats = {"started": 0, "refused": {}, "ended": {},
                      "updates": 0, "sampled_updates": 0, "events": 0}

    def arn(self, name):
        return "arn:aws:logs:%s:%s:log-group:%s" % (self.region,
                                                    self.account, name)

    def publish(self, gname, stream, ts, msg, ingest):
        for s in self.sessions:
            if gname in s.groups:
                s.on_event(gname, stream, ts, msg, ingest)

    def closed(self, session, how):
        if session in self.sessions:
            self.sessions.remove(session)
        e = self.stats["ended"]
        e[how] = e.get(how, 0) + 1

    def break_all(self, how):
        n = 0
        for s in list(self.sessions):
            s.end(how)
            n += 1
        return n

    def refuse(self, code):
        r = self.stats["refused"]
        r[code] = r.get(code, 0) + 1

    def validate(self, req, groups, error):
        """Check a StartLiveTail request; return {group name: ARN} or raise
        error(code, message)."""
        ids = req.get("logGroupIdentifiers")
        if not isinstance(ids, list) or not 1 <= len(ids) <= 10:
            raise error("InvalidParameterException",
                        "1 validation error detected: Value at "
                        "'logGroupIdentifiers' failed to satisfy constraint: "
                        "Member must have length between 1 and 10")
        names = req.get("logStreamNames")
        prefixes = req.get("logStreamNamePrefixes")
        if names is not None and prefixes is not None:
            raise error("InvalidParameterException",
                        "logStreamNames and logStreamNamePrefixes are "
                        "mutually exclusive")
        if (names is not None or prefixes is not None) and len(ids) != 1:
            raise error("InvalidParameterException",
                        "logStreamNames and logStreamNamePrefixes are only "
                        "allowed with exactly one log group")
        pat = req.get("logEventFilterPattern")
        if pat is not None and (not isinstance(pat, str) or len(pat) > 1024):
            raise error("InvalidParameterException",
                        "logEventFilterPattern is invalid")
        out = {}
        head = "arn:aws:logs:%s:%s:log-group:" % (self.region, self.account)
        for ident in ids:
            if not isinstance(ident, str) or not ident.startswith("arn:"):
                raise error("InvalidParameterException",
                            "Log group identifiers must be ARNs: %s"
                            % (ident,))
            if ident.endswith("*"):
                raise error("InvalidParameterException",
                            "Log group ARN must not end with '*': %s" % ident)
            name = ident[len(head):] if ident.startswith(head) else None
            if name is None or name not in groups:
                raise error("ResourceNotFoundException",
                            "The specified log group does not exist.")
            out[name] = ident
        return out

    def start(self, conn, req, groups, error):
        """Open a session for req (raises error(...) to refuse it)."""
        mode = self.cfg["mode"]
        if mode == "denied":
            raise error("AccessDeniedException",
                        "User: arn:aws:iam::%s:user/fake is not authorized "
                        "to perform: logs:StartLiveTail because no "
                        "identity-based policy allows the logs:StartLiveTail "
                        "action" % self.account)
        gmap = self.validate(req, groups, error)
        if mode == "limit" or len(self.sessions) >= self.cfg["max_sessions"]:
            raise error("LimitExceededException", "Rate exceeded")
        s = Session(self, conn, gmap, req.get("logStreamNames"),
                    req.get("logStreamNamePrefixes"),
                    req.get("logEventFilterPattern"), req)
        self.sessions.append(s)
        self.stats["started"] += 1
        return s

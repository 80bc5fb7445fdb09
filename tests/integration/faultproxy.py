# SPDX-License-Identifier: Apache-2.0
"""A fault-injecting HTTP/1.1 proxy for the integration tests (issue 8).

It sits between build/apilogs (AWS_ENDPOINT_URL points at it) and
moto_server, forwards every request and, by script, answers some of them
with a fault instead: throttling, 5xx, connection resets before and after
the headers, truncated bodies, invalid JSON, responses slower than the read
timeout, a nextToken that repeats, an empty page that still has a token, an
expired-token error. It records every request for assertions.

Stdlib only. It runs in threads of the test process on a free loopback
port and stops cleanly (stop() wakes every sleeping handler and closes
every open connection).

    proxy = FaultProxy(moto_url).start()
    proxy.add(Rule("throttle", first=2, count=3))
    ... run apilogs with AWS_ENDPOINT_URL=proxy.url ...
    proxy.stop()

Rules are matched per request, in the order they were added; the first
rule that fires decides. A rule counts the requests it matches (by
operation and an optional predicate) and fires on matches number first ..
first + count - 1 (count=None: every match from first on).
"""

import http.client
import json
import socket
import socketserver
import struct
import threading
import time
import urllib.parse

FAULTS = (
    "throttle",        # 400 ThrottlingException
    "http",            # status=500/502/503/504
    "reset_before",    # RST before any byte of the response
    "reset_after_headers",  # headers and half the body, then RST
    "truncate",        # Content-Length larger than sent, then FIN
    "bad_json",        # 200 with half the real body (valid HTTP framing)
    "slow",            # stall `delay` s before the headers or mid-body
    "repeat_token",    # the response's nextToken = the request's
    "empty_page",      # {"events":[],"nextToken":<resumes correctly>}
    "expired",         # 400 ExpiredTokenException
    "error",           # status=, code=, message=: any AWS JSON error
    "mangle",          # func(dict) -> bytes: rewrite a 200 JSON body (of
                       # any op; drop_token=True keeps the request's
                       # nextToken from the service)
)

# Headers never forwarded (hop-by-hop, or recomputed here). Accept-Encoding
# is dropped so that bodies come back uncompressed and can be rewritten.
_HOP = {"connection", "keep-alive", "proxy-connection", "transfer-encoding",
        "te", "trailer", "upgrade", "content-length", "accept-encoding"}

_EMPTY_PREFIX = "faultproxy-empty-"
_PAGE_PREFIX = "faultproxy-page:"


def has_token(req):
    """Predicate: the request carries a nextToken (a follow-up page)."""
    return isinstance(req, dict) and req.get("nextToken") is not None


def no_token(req):
    """Predicate: the first page of a read."""
    return isinstance(req, dict) and req.get("nextToken") is None


def group_is(name):
    """Predicate factory: the request is about log group `name`."""
    def pred(req):
        return isinstance(req, dict) and req.get("logGroupName") == name
    return pred


class Rule:
    """One scripted fault; see the module docstring."""

    def __init__(self, fault, op="FilterLogEvents", first=1, count=1,
                 when=None, **params):
        if fault not in FAULTS:
            raise ValueError("unknown fault %r" % fault)
        self.fault = fault
        self.op = op
        self.first = first
        self.count = count
        self.when = when
        self.params = params
        self.seen = 0    # matching requests so far
        self.fired = 0   # faults injected
        if fault == "repeat_token" and when is None:
            # Only a follow-up page has a token to repeat.
            self.when = has_token

    def matches(self, op, req):
        if self.op is not None and op != self.op:
            return False
        if self.when is not None and not self.when(req):
            return False
        return True

    def take(self, op, req):
        """Count a request; True when this rule fires on it."""
        if not self.matches(op, req):
            return False
        self.seen += 1
        if self.seen < self.first:
            return False
        if self.count is not None and self.seen >= self.first + self.count:
            return False
        self.fired += 1
        return True

    def __repr__(self):
        return "Rule(%s, op=%s, first=%d, count=%s, fired=%d)" % (
            self.fault, self.op, self.first, self.count, self.fired)


class Record:
    """What the proxy saw and did for one request."""

    __slots__ = ("t", "op", "status", "fault", "group", "ident",
                 "req_token", "resp_token", "events", "start", "end")

    def __init__(self, t, op):
        self.t = t
        self.op = op
        self.status = None      # HTTP status sent, None for a reset
        self.fault = None       # the fault injected, or None
        self.group = None
        self.ident = None       # logGroupIdentifier as sent
        self.req_token = None
        self.resp_token = None
        self.events = None      # number of events in a 200 page
        self.start = None
        self.end = None

    def __repr__(self):
        return ("Record(t=%.3f, op=%s, status=%s, fault=%s, group=%s, "
                "events=%s, req_token=%s, resp_token=%s)" % (
                    self.t, self.op, self.status, self.fault, self.group,
                    self.events, self.req_token, self.resp_token))


class _Request:
    def __init__(self, method, target, headers, body):
        self.method = method
        self.target = target
        self.headers = headers  # list of (name, value)
        self.body = body

    def header(self, name):
        name = name.lower()
        for k, v in self.headers:
            if k.lower() == name:
                return v
        return None


class _Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True
    block_on_close = True


class FaultProxy:
    """The proxy. Thread-safe: rules may be added while apilogs runs."""

    def __init__(self, upstream, page_limit=None, paginate=None):
        u = urllib.parse.urlsplit(upstream)
        self.upstream = (u.hostname, u.port or 80)
        # page_limit: add "limit" to FilterLogEvents requests, so that
        # moto itself answers in small pages with its own tokens.
        self.page_limit = page_limit
        # paginate: ask moto for everything and cut pages of this size
        # here, with opaque tokens (moto's own tokens break on '@' in
        # stream names: moto-emulator.md section 3.1).
        self.paginate = paginate
        self.rules = []
        self.log = []
        self.lock = threading.Lock()
        self.stopping = threading.Event()
        self.empty_tokens = {}  # synthetic token -> real token (or None)
        self.conns = set()
        self.server = None
        self.thread = None
        self.errors = []  # unexpected exceptions in handlers
        # resolve_arns: moto ignores logGroupIdentifier (moto-emulator.md
        # 3.1 and 3.2); resolve an ARN to its group name as CloudWatch
        # Logs does, so reads by ARN can be tested. Each record keeps the
        # identifier as apilogs sent it.
        self.resolve_arns = False

    # Life cycle ---------------------------------------------------------

    @property
    def url(self):
        return "http://127.0.0.1:%d" % self.server.server_address[1]

    def start(self):
        proxy = self

        class Handler(socketserver.BaseRequestHandler):
            def handle(self):
                proxy._handle(self.request)

        self.server = _Server(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05},
            name="faultproxy", daemon=True)
        self.thread.start()
        return self

    def stop(self):
        if self.server is None:
            return
        self.stopping.set()
        with self.lock:
            conns = list(self.conns)
        for s in conns:
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        self.server.shutdown()
        self.server.server_close()  # joins the handler threads
        self.thread.join(5)
        self.server = None

    # Script and records -------------------------------------------------

    def add(self, *rules):
        with self.lock:
            self.rules.extend(rules)
        return rules[0] if len(rules) == 1 else rules

    def clear(self):
        with self.lock:
            self.rules = []

    def records(self, op="FilterLogEvents"):
        with self.lock:
            return [r for r in self.log if op is None or r.op == op]

    def count(self, op="FilterLogEvents", fault=None, status=None):
        return len([r for r in self.records(op)
                    if (fault is None or r.fault == fault) and
                    (status is None or r.status == status)])

    def wait_for(self, pred, timeout=20):
        """Wait until pred(records of every op) is true; return it."""
        deadline = time.time() + timeout
        while time.time() < deadline:
            v = pred(self.records(None))
            if v:
                return v
            time.sleep(0.02)
        return pred(self.records(None))

    # The connection handler ---------------------------------------------

    def _handle(self, sock):
        with self.lock:
            self.conns.add(sock)
        try:
            sock.settimeout(10)
            req = self._read_request(sock)
            if req is not None:
                self._serve(sock, req)
        except (OSError, ValueError, http.client.HTTPException) as exc:
            if not self.stopping.is_set() and not isinstance(
                    exc, (ConnectionError, BrokenPipeError, socket.timeout)):
                self.errors.append(repr(exc))
        finally:
            with self.lock:
                self.conns.discard(sock)

    def _read_request(self, sock):
        f = sock.makefile("rb")
        line = f.readline(65537)
        if not line:
            return None
        parts = line.decode("latin-1").split()
        if len(parts) != 3:
            raise ValueError("bad request line %r" % line)
        method, target, _ = parts
        headers = []
        while True:
            h = f.readline(65537)
            if h in (b"\r\n", b"\n", b""):
                break
            name, _, value = h.decode("latin-1").partition(":")
            headers.append((name.strip(), value.strip()))
        req = _Request(method, target, headers, b"")
        if (req.header("Transfer-Encoding") or "").lower() == "chunked":
            raise ValueError("chunked request bodies are not supported")
        n = int(req.header("Content-Length") or 0)
        req.body = f.read(n) if n else b""
        return req

    def _serve(self, sock, req):
        target = req.header("X-Amz-Target") or ""
        op = target.rsplit(".", 1)[-1] if target else req.method
        try:
            body = json.loads(req.body) if req.body else None
        except ValueError:
            body = None
        rec = Record(time.time(), op)
        client_token = None
        resolved = False
        if isinstance(body, dict):
            rec.ident = body.get("logGroupIdentifier")
            if self.resolve_arns and isinstance(rec.ident, str) and \
                    "logGroupName" not in body:
                name = rec.ident.split(":log-group:", 1)[-1]
                if name.endswith(":*"):
                    name = name[:-2]
                del body["logGroupIdentifier"]
                body["logGroupName"] = name
                resolved = True
            rec.group = body.get("logGroupName")
            rec.start = body.get("startTime")
            rec.end = body.get("endTime")
            client_token = body.get("nextToken")
            rec.req_token = client_token
        with self.lock:
            rule = None
            for r in self.rules:
                if r.take(op, body):
                    rule = r
                    break
            self.log.append(rec)
        # Resume a synthetic empty-page token where the real one would.
        fwd = req.body
        page_from = None
        if isinstance(body, dict):
            changed = resolved
            tok = body.get("nextToken")
            if isinstance(tok, str) and tok.startswith(_EMPTY_PREFIX):
                with self.lock:
                    real = self.empty_tokens[tok]
                if real is None:
                    del body["nextToken"]
                else:
                    body["nextToken"] = real
                changed = True
            if self.paginate and op == "FilterLogEvents":
                page_from = body.pop("nextToken", None)
                body["limit"] = 10000
                changed = True
            elif (self.page_limit and op == "FilterLogEvents" and
                    "limit" not in body):
                body["limit"] = self.page_limit
                changed = True
            if rule is not None and rule.params.get("drop_token") and \
                    "nextToken" in body:
                # The token is the rule's own invention (a mangled
                # listing): the service must not see it.
                del body["nextToken"]
                changed = True
            if changed:
                fwd = json.dumps(body).encode()
        fault = rule.fault if rule else None
        rec.fault = fault
        p = rule.params if rule else {}

        if fault == "throttle":
            return self._error(sock, rec, 400, "ThrottlingException",
                               "Rate exceeded")
        if fault == "expired":
            return self._error(sock, rec, 400, "ExpiredTokenException",
                               "The security token included in the request "
                               "is expired")
        if fault == "http":
            return self._http_error(sock, rec, p.get("status", 500))
        if fault == "error":
            return self._error(sock, rec, p.get("status", 400), p["code"],
                               p.get("message", "injected"))
        if fault == "reset_before":
            rec.status = None
            return self._rst(sock)
        if fault == "empty_page":
            with self.lock:
                synth = "%s%d" % (_EMPTY_PREFIX, len(self.empty_tokens))
                # The real page would start right after the request's
                # token (or at the beginning without one): resume there.
                real = body.get("nextToken") if isinstance(body, dict) \
                    else None
                self.empty_tokens[synth] = real
            out = json.dumps({"events": [], "nextToken": synth,
                              "searchedLogStreams": []}).encode()
            rec.resp_token = synth
            rec.events = 0
            return self._send(sock, rec, 200, [
                ("Content-Type", "application/x-amz-json-1.1")], out)
        if fault == "slow" and p.get("phase", "headers") == "headers":
            if self.stopping.wait(p.get("delay", 3)):
                return None

        status, reason, headers, out = self._forward(req, fwd)
        if status == 200 and op == "FilterLogEvents":
            try:
                page = json.loads(out)
            except ValueError:
                page = None
            if isinstance(page, dict) and self.paginate:
                self._cut_page(page, page_from)
                out = json.dumps(page).encode()
            if isinstance(page, dict):
                if fault == "repeat_token":
                    page["nextToken"] = client_token
                    out = json.dumps(page).encode()
                elif fault == "mangle":
                    out = p["func"](page)
                rec.resp_token = page.get("nextToken")
                rec.events = len(page.get("events") or [])
        elif status == 200 and fault == "mangle":
            # Any other operation's JSON answer (a listing, say).
            try:
                page = json.loads(out)
            except ValueError:
                page = None
            if isinstance(page, dict):
                out = p["func"](page)
        if fault == "bad_json":
            out = out[:max(1, len(out) // 2)]
        if fault in ("reset_after_headers", "truncate"):
            return self._send_partial(sock, rec, status, reason, headers,
                                      out, rst=fault == "reset_after_headers")
        if fault == "slow":  # mid-body
            return self._send_partial(sock, rec, status, reason, headers,
                                      out, stall=p.get("delay", 3))
        return self._send(sock, rec, status, headers, out, reason)

    def _cut_page(self, page, token):
        """Cut one page of self.paginate events out of moto's complete
        answer; a token names the last event of the previous page."""
        if page.get("nextToken"):
            self.errors.append("paginate: more than 10000 events")
        events = page.get("events") or []
        start = 0
        if token is not None:
            try:
                stream, eid = json.loads(token[len(_PAGE_PREFIX):])
                start = 1 + next(i for i, e in enumerate(events)
                                 if e["logStreamName"] == stream and
                                 e["eventId"] == eid)
            except (ValueError, TypeError, KeyError, StopIteration):
                events, start = [], 0  # an unknown token: like moto
        cut = events[start:start + self.paginate]
        page["events"] = cut
        page["nextToken"] = None
        if cut and start + len(cut) < len(events):
            page["nextToken"] = _PAGE_PREFIX + json.dumps(
                [cut[-1]["logStreamName"], cut[-1]["eventId"]])

    # Upstream and responses ---------------------------------------------

    def _forward(self, req, body):
        conn = http.client.HTTPConnection(*self.upstream, timeout=60)
        try:
            headers = [(k, v) for k, v in req.headers
                       if k.lower() not in _HOP]
            conn.putrequest(req.method, req.target, skip_host=True,
                            skip_accept_encoding=True)
            for k, v in headers:
                conn.putheader(k, v)
            conn.putheader("Content-Length", str(len(body)))
            conn.endheaders(body)
            resp = conn.getresponse()
            out = resp.read()
            hdrs = [(k, v) for k, v in resp.getheaders()
                    if k.lower() not in _HOP]
            return resp.status, resp.reason, hdrs, out
        finally:
            conn.close()

    @staticmethod
    def _head(status, reason, headers, length):
        lines = ["HTTP/1.1 %d %s" % (status, reason or "")]
        lines += ["%s: %s" % (k, v) for k, v in headers]
        lines += ["Content-Length: %d" % length, "Connection: close", "", ""]
        return "\r\n".join(lines).encode("latin-1")

    def _send(self, sock, rec, status, headers, body, reason=None):
        rec.status = status
        sock.sendall(self._head(status, reason or http.client.responses.get(
            status, ""), headers, len(body)) + body)
        self._shut(sock)
        return None

    @staticmethod
    def _shut(sock):
        """End the response (FIN); the client may be gone already."""
        try:
            sock.shutdown(socket.SHUT_WR)
        except OSError:
            pass

    def _send_partial(self, sock, rec, status, reason, headers, body,
                      rst=False, stall=None):
        rec.status = status
        half = max(1, len(body) // 2)
        sock.sendall(self._head(status, reason, headers, len(body)) +
                     body[:half])
        if stall is not None:
            if self.stopping.wait(stall):
                return None
            sock.sendall(body[half:])
            self._shut(sock)
            return None
        # Let the client read the headers before the connection goes.
        time.sleep(0.1)
        if rst:
            rec.status = None
            return self._rst(sock)
        self._shut(sock)
        return None

    def _error(self, sock, rec, status, code, message):
        body = json.dumps({"__type": code, "message": message}).encode()
        return self._send(sock, rec, status, [
            ("Content-Type", "application/x-amz-json-1.1"),
            ("X-Amzn-ErrorType", code),
            ("x-amzn-RequestId", "faultproxy-%d" % id(rec))], body)

    def _http_error(self, sock, rec, status):
        if status in (500, 503):
            code = "InternalFailure" if status == 500 else \
                "ServiceUnavailableException"
            return self._error(sock, rec, status, code,
                               "injected %d" % status)
        # A load balancer's answer: HTML, no AWS error code.
        reason = http.client.responses.get(status, "Error")
        body = ("<html><body><h1>%d %s</h1></body></html>\n" % (
            status, reason)).encode()
        return self._send(sock, rec, status, [("Content-Type", "text/html")],
                          body)

    @staticmethod
    def _rst(sock):
        """Close with a TCP reset (SO_LINGER 0)."""
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                        struct.pack("ii", 1, 0))
        sock.close()
        return None

# SPDX-License-Identifier: Apache-2.0
"""fakecwl's HTTP/1.1 server: a small event loop (epoll readiness callbacks
and a timer heap) and keep-alive connections that answer one request at a
time, either whole (Content-Length) or streamed (chunked, for StartLiveTail).
The server object gives handle(method, path, headers, body, conn),
args.latency and a reqid counter (see fakecwl.Server)."""

import heapq
import selectors
import socket
import struct
import time

REASON = {200: b"OK", 400: b"Bad Request", 404: b"Not Found",
          500: b"INTERNAL SERVER ERROR"}


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
        self.break_after_flush = False  # respond_break: reset once sent
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
        elif status == "break":
            self.loop.call_at(arrived + delay, self.respond_break, chunks)
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

    def respond_break(self, chunks):
        """A 200 whose body breaks midway: the head (with the whole
        Content-Length) and half the body, then, once they are sent, a
        connection reset."""
        if self.sock is None:
            return
        body = b"".join(chunks)
        self.server.reqid += 1
        head = [b"HTTP/1.1 200 OK",
                b"Content-Type: application/x-amz-json-1.1",
                b"Content-Length: %d" % len(body),
                b"x-amzn-RequestId: 00000000-0000-4000-8000-%012d"
                % self.server.reqid]
        self.out = [memoryview(b"\r\n".join(head) + b"\r\n\r\n"),
                    memoryview(body[:len(body) // 2])]
        self.break_after_flush = True
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
        if self.break_after_flush:
            # Sent: let the client read it, then reset (respond_break).
            self.break_after_flush = False
            self.loop.call_at(time.monotonic() + 0.1, self.stream_abort)
        if self.session is not None:
            return
        if self.closing:
            self.close()
            return
        self.busy = False
        if self.buf:
            self.next_request()

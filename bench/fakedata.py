# SPDX-License-Identifier: Apache-2.0
"""fakecwl's data: deterministic log groups rendered once into one buffer
of event JSON with offsets, so that a page is a slice (see fakecwl.py)."""

import array
import bisect
import itertools
import json
import hashlib
import random

LEVELS = ("INFO",) * 8 + ("WARN", "ERROR")
PATHS = ("/orders", "/orders/{}", "/users/{}", "/health", "/carts/{}/items")
VERBS = ("GET", "GET", "GET", "POST", "PUT", "DELETE")


def message_table(g, size, fmt):
    """1024 (level, text) pairs for group g; text is escaped for JSON.

    A message is HEAD + request id + TEXT; its length is about size bytes.
    """
    rnd = random.Random(g * 7919 + 17)
    table = []
    for _ in range(1024):
        level = rnd.choice(LEVELS)
        path = rnd.choice(PATHS).format(rnd.randrange(100000))
        status = 500 if level == "ERROR" else (404 if level == "WARN" else 200)
        text = "%s %s %d in %d ms" % (rnd.choice(VERBS), path, status,
                                      rnd.randrange(1, 900))
        if fmt == "json":
            fixed = len('{"level":"","requestId":"","msg":""}') + 36
        else:
            fixed = len("\t\t") + 36
        pad = size - fixed - len(level) - len(text)
        if pad > 1:
            text += " " + "x" * (pad - 1)
        table.append((level, text))
    return table


def uuid_of(r):
    """A UUID-shaped string from a 128-bit integer."""
    h = "%032x" % r
    return "%s-%s-%s-%s-%s" % (h[:8], h[8:12], h[12:16], h[16:20], h[20:])


def stream_name(g, s):
    """The name of stream s of group g, shaped like a Lambda stream."""
    d = hashlib.md5(b"s%d/%d" % (g, s)).hexdigest()
    return "2024/05/01/[$LATEST]%s" % d


def event_id(ts, g, i):
    """A 56-digit event id, unique per (group, event)."""
    return "%019d%037d" % (ts, g * 10**12 + i)


def _needle(pattern):
    """A filter pattern as _matches takes it, or None for none."""
    if not pattern:
        return None
    return pattern.encode() if isinstance(pattern, str) else pattern


def _matches(pattern, frag):
    """Does the JSON of an event (bytes) pass a filter pattern: a plain
    substring (bytes) or a parsed one (fakepattern.Pattern)?"""
    if isinstance(pattern, bytes):
        return pattern in frag
    return pattern.match_frag(frag)


def render_event(stream, ts, msg, ingest, eid):
    """The JSON of one event, keys in AWS order."""
    return '{"logStreamName":%s,"timestamp":%d,"message":%s,' \
        '"ingestionTime":%d,"eventId":"%s"}' % (
            json.dumps(stream), ts, json.dumps(msg), ingest, eid)


class View:
    """Events of a group (or a filtered subset) as one rendered buffer.

    data holds the JSON of each event followed by a comma; event i is
    data[off[i]:off[i + 1] - 1].  frags are ASCII str or bytes.
    """

    __slots__ = ("data", "off", "ts", "streams")

    def __init__(self, frags, ts, streams):
        if frags and isinstance(frags[0], str):
            self.data = (",".join(frags) + ",").encode("ascii")
        else:
            self.data = b",".join(frags) + b"," if frags else b""
        self.off = array.array("q", itertools.accumulate(
            map(len, frags), lambda a, n: a + n + 1, initial=0))
        self.ts = ts
        self.streams = streams  # per event, an index into group.stream_names

    def __len__(self):
        return len(self.ts)

    def frag(self, i):
        return self.data[self.off[i]:self.off[i + 1] - 1]


class Group:
    """A log group: static (pre-rendered) or live (appended to)."""

    def __init__(self, name, gidx, created):
        self.name = name
        self.gidx = gidx
        self.created = created
        self.stream_names = []
        self.view = None
        self.live = False
        self.lfrags = []
        self.lts = []
        self.lstreams = []
        self.nlive = 0
        self.cache = {}

    def generate(self, n, nstreams, base_ms, window_ms, msg_bytes, fmt):
        """Render n events over [base_ms, base_ms + window_ms)."""
        self.stream_names = [stream_name(self.gidx, s)
                             for s in range(nstreams)]
        sjson = [json.dumps(s) for s in self.stream_names]
        table = message_table(self.gidx, msg_bytes, fmt)
        if fmt == "json":
            fmt_s = ('{"logStreamName":%s,"timestamp":%d,"message":'
                     '"{\\"level\\":\\"%s\\",\\"requestId\\":\\"%s\\",'
                     '\\"msg\\":\\"%s\\"}","ingestionTime":%d,'
                     '"eventId":"%019d%037d"}')
        else:
            fmt_s = ('{"logStreamName":%s,"timestamp":%d,"message":'
                     '"%s\\t%s\\t%s","ingestionTime":%d,'
                     '"eventId":"%019d%037d"}')
        if fmt == "access":
            return self.generate_access(n, nstreams, base_ms, window_ms)
        rnd = random.Random(self.gidx)
        bits = rnd.getrandbits
        frags = [None] * n
        ts = array.array("q", [0]) * n
        streams = array.array("i", [0]) * n
        idbase = self.gidx * 10**12
        rid = ""
        json_fmt = fmt == "json"
        for i in range(n):
            t = base_ms + (i * window_ms) // n
            r = bits(32)
            s = r % nstreams
            level, text = table[(r >> 8) & 1023]
            if i & 3 == 0:
                rid = uuid_of(bits(128))
            if json_fmt:
                frags[i] = fmt_s % (sjson[s], t, level, rid, text,
                                    t + 200 + (r >> 18) % 800, t, idbase + i)
            else:
                frags[i] = fmt_s % (sjson[s], t, rid, level, text,
                                    t + 200 + (r >> 18) % 800, t, idbase + i)
            ts[i] = t
            streams[i] = s
        self.view = View(frags, ts, streams)

    def generate_access(self, n, nstreams, base_ms, window_ms):
        """API Gateway access-log lines (JSON, as the sample API's format
        with responseLatency): one request each; 2 % 5xx, 8 % 4xx."""
        rnd = random.Random(self.gidx)
        sjson = [json.dumps(s) for s in self.stream_names]
        frags = [None] * n
        ts = array.array("q", [0]) * n
        streams = array.array("i", [0]) * n
        idbase = self.gidx * 10**12
        for i in range(n):
            t = base_ms + (i * window_ms) // n
            r = rnd.getrandbits(32)
            s = r % nstreams
            status = 502 if r % 50 == 0 else 404 if r % 50 < 5 else 200
            ilat = 5 + (r >> 8) % 400
            msg = ('{"requestId":"%s","httpMethod":"%s","resourcePath":"%s",'
                   '"status":"%d","responseLatency":"%d",'
                   '"integrationLatency":"%d"}'
                   % (uuid_of(rnd.getrandbits(128)), VERBS[(r >> 4) % 6],
                      PATHS[(r >> 12) % 5], status, ilat + 3 + r % 20,
                      ilat))
            frags[i] = ('{"logStreamName":%s,"timestamp":%d,"message":%s,'
                        '"ingestionTime":%d,"eventId":"%019d%037d"}'
                        % (sjson[s], t, json.dumps(msg), t + 200, t,
                           idbase + i))
            ts[i] = t
            streams[i] = s
        self.view = View(frags, ts, streams)

    def stream_index(self, name):
        """The index of stream name, added if new."""
        try:
            return self.stream_names.index(name)
        except ValueError:
            self.stream_names.append(name)
            return len(self.stream_names) - 1

    def stream_at(self, stream_idx):
        """The name of stream stream_idx, generated streams added if new."""
        while stream_idx >= len(self.stream_names):
            self.stream_names.append(
                stream_name(self.gidx, len(self.stream_names)))
        return self.stream_names[stream_idx]

    def add_live(self, stream_idx, ts, msg, ingest=None):
        """Insert one live event in (timestamp, ingestion) order; it is
        visible to FilterLogEvents from now on."""
        self.stream_at(stream_idx)
        self.nlive += 1
        n = self.nlive
        i = bisect.bisect_right(self.lts, ts)
        self.lfrags.insert(i, render_event(
            self.stream_names[stream_idx], ts, msg,
            ts if ingest is None else ingest,
            event_id(ts, self.gidx, n)).encode())
        self.lts.insert(i, ts)
        self.lstreams.insert(i, stream_idx)

    def insert_static(self, stream_idx, evs, ingest_ms):
        """Insert events [(ts, msg)] into a generated group, visible at
        once (the group is re-rendered: for a few events, e.g. a
        benchmark's needle in its haystack)."""
        v = self.view
        frags = [bytes(v.frag(i)) for i in range(len(v))]
        ts, st = list(v.ts), list(v.streams)
        self.stream_at(stream_idx)
        for t, msg in evs:
            self.nlive += 1
            i = bisect.bisect_right(ts, t)
            frags.insert(i, render_event(
                self.stream_names[stream_idx], t, msg, max(t, ingest_ms),
                event_id(t, self.gidx, 10**11 + self.nlive)).encode())
            ts.insert(i, t)
            st.insert(i, stream_idx)
        self.view = View(frags, array.array("q", ts), array.array("i", st))
        self.cache = {}

    def select(self, names, prefix, pattern):
        """The view for a stream filter and filter pattern, cached."""
        if self.live:
            keep = self._keep(names, prefix)
            pat = _needle(pattern)
            frags, ts, st = [], [], []
            for i, f in enumerate(self.lfrags):
                if keep is not None and self.lstreams[i] not in keep:
                    continue
                if pat is not None and not _matches(pat, f):
                    continue
                frags.append(f)
                ts.append(self.lts[i])
                st.append(self.lstreams[i])
            return View(frags, ts, st)
        if names is None and not prefix and not pattern:
            return self.view
        key = (tuple(names) if names is not None else None, prefix, pattern)
        v = self.cache.get(key)
        if v is not None:
            return v
        keep = self._keep(names, prefix)
        src = self.view
        frags, ts, st = [], array.array("q"), array.array("i")
        pat = _needle(pattern)
        for i in range(len(src)):
            if keep is not None and src.streams[i] not in keep:
                continue
            f = src.frag(i)
            if pat is not None and not _matches(pat, f):
                continue
            frags.append(f)
            ts.append(src.ts[i])
            st.append(src.streams[i])
        v = View(frags, ts, st)
        self.cache[key] = v
        return v

    def _keep(self, names, prefix):
        if names is not None:
            want = set(names)
            return {i for i, s in enumerate(self.stream_names) if s in want}
        if prefix:
            return {i for i, s in enumerate(self.stream_names)
                    if s.startswith(prefix)}
        return None

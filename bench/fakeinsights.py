# SPDX-License-Identifier: Apache-2.0
"""fakecwl's CloudWatch Logs Insights: StartQuery, GetQueryResults,
StopQuery and DescribeQueries on the awsJson1_1 wire (documented at the top
of fakecwl.py; see /work/shared/docs/aws-facts.md section 2.4).

A query is evaluated when it starts; what time changes is what
GetQueryResults shows: "Scheduled" for qi_sched s, then "Running" for
bytesScanned / qi_scan_rate s (partial results: a prefix of the rows),
then "Complete" with every row and the statistics.  StopQuery turns a
Scheduled or Running query into "Cancelled".  At most qi_max_queries are
Scheduled or Running at once: one more is LimitExceededException.
StartQuery and GetQueryResults each pass an account-wide token bucket of
qi_start_tps and qi_results_tps requests/s (0: no limit; burst min(rate,
5)); when empty: ThrottlingException "Rate exceeded".  A finished query's
results stay readable: GetQueryResults answers them again, as often as
asked (AWS stores them; "reread" counts the reads after the first one that
saw Complete).

The language: commands separated by "|":
  fields F, F...         the fields of each row (default @timestamp,
                         @message, @logStream, @log); @ptr is always given
  filter @message like "text"   (or like /regex/; several joined by "and"
                         or by "or", not both; "not" before one, or
                         "not like", negates it)
  sort @timestamp asc|desc      (desc is the default order)
  limit N
  filter ispresent(F)           (F a discovered field, see below)
  filter @type = "REPORT"
  stats count(*) by bin(Nm|Ns|Nh)
  stats AGG [as NAME], ... [by bin(Nm|Ns|Nh)|F, ...]   AGG: count(*),
                         count(F), pct(F, N) (nearest rank); a row per
                         key, keys first, sorted; what `apilogs stats`
                         asks.  Discovered fields: @message, @log,
                         @logStream, the top-level keys of a JSON message,
                         and @type, @duration, @billedDuration and
                         @initDuration of a Lambda REPORT line.
Anything else is MalformedQueryException.  startTime and endTime are epoch
seconds, both inclusive: an event is in when startTime*1000 <= timestamp <=
endTime*1000 + 999.  A query returns at most the request's `limit`
(1..100 000, InvalidParameterException otherwise; 10 000 when absent),
and no more than the query string's `limit N` (1..10 000) when it has one.
GetQueryResults gives at most `maxItems` rows (0..10 000; absent or 0:
10 000) of a Complete query at a time, from the offset its `nextToken`
names, and a `nextToken` when more rows follow (the botocore model of
2014-03-28: StartQuery limit "up to 100,000 ... by paginating with the
nextToken", GetQueryResults maxItems and nextToken, "The token expires
after 1 hour": an expired or foreign token is InvalidParameterException).
A Running query's partial rows come in one page with no token.  @timestamp and @ingestionTime are "YYYY-MM-DD
HH:MM:SS.mmm" (UTC), @log is "ACCOUNT:GROUP", @ptr an opaque string.
"""

import base64
import bisect
import json
import math
import re
import time
import uuid

from fakectl import AwsError

ROW_CAP = 10000
MAX_LIMIT = 100000  # StartQuery limit (EventsLimitStartQuery)
TOKEN_TTL = 3600.0  # s: "The token expires after 1 hour"
DEFAULT_FIELDS = ("@timestamp", "@message", "@logStream", "@log")
KNOWN_FIELDS = ("@timestamp", "@message", "@logStream", "@log",
                "@ingestionTime", "@ptr")


def stamp(ms):
    """Insights' time format: "YYYY-MM-DD HH:MM:SS.mmm" in UTC."""
    return time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(ms // 1000)) + \
        ".%03d" % (ms % 1000)


def malformed(msg):
    return AwsError("MalformedQueryException", msg)


LIKE = re.compile(r'\s*(not\s+)?@message\s+(not\s+)?like\s+'
                  r'("(?:[^"\\]|\\.)*"|/(?:[^/\\]|\\.)*/)\s*')
JOIN = re.compile(r"(and|or)\s+")


def parse_like(text):
    """One "filter" command of @message matches joined by "and" or by "or"
    (not both: there are no parentheses here): (op, [(negate, kind,
    needle)])."""
    out, ops, i = [], set(), 0
    while True:
        m = LIKE.match(text, i)
        if m is None:
            raise malformed("unsupported filter: %s" % text)
        if m.group(1) and m.group(2):
            raise malformed("unsupported filter: %s" % text)
        lit = m.group(3)
        neg = bool(m.group(1) or m.group(2))
        if lit[0] == '"':
            out.append((neg, "like", json.loads(lit)))
        else:
            out.append((neg, "re", re.compile(lit[1:-1])))
        i = m.end()
        if i == len(text):
            break
        j = JOIN.match(text, i)
        if j is None:
            raise malformed("unsupported filter: %s" % text)
        ops.add(j.group(1))
        i = j.end()
    if len(ops) > 1:
        raise malformed("and with or needs parentheses: %s" % text)
    return ("or" if ops == {"or"} else "and", out)


def split_commands(q):
    """The commands of a query: split at "|" outside "..." and /.../."""
    out, cur, quote = [], "", None
    for i, ch in enumerate(q):
        if quote:
            if ch == "\\" and i + 1 < len(q):
                cur += ch
                continue
            if ch == quote and (i == 0 or q[i - 1] != "\\"):
                quote = None
        elif ch in "\"/":
            quote = ch
        elif ch == "|":
            out.append(cur)
            cur = ""
            continue
        cur += ch
    out.append(cur)
    return out


def parse_query(q):
    """A query string: dict of fields, filters, sort, limit, stats."""
    p = {"fields": None, "filters": [], "desc": True, "limit": None,
         "bin": None, "preds": [], "agg": None}
    for cmd in (c.strip() for c in split_commands(q)):
        word, _, rest = cmd.partition(" ")
        rest = rest.strip()
        if word == "fields":
            fs = [f.strip() for f in rest.split(",")]
            for f in fs:
                if f not in KNOWN_FIELDS:
                    raise malformed("unknown field %s" % f)
            p["fields"] = (p["fields"] or []) + fs
        elif word == "filter":
            m = re.fullmatch(r"ispresent\((@?\w+)\)", rest)
            t = re.fullmatch(r'@type\s*=\s*"(\w+)"', rest)
            if m is not None:
                p["preds"].append(("present", m.group(1)))
            elif t is not None:
                p["preds"].append(("type", t.group(1)))
            else:
                p["filters"].append(parse_like(rest))
        elif word == "sort":
            m = re.fullmatch(r"@timestamp(?:\s+(asc|desc))?", rest)
            if m is None:
                raise malformed("unsupported sort: %s" % rest)
            p["desc"] = m.group(1) != "asc"
        elif word == "limit":
            if not rest.isdigit() or not 0 < int(rest) <= ROW_CAP:
                raise malformed("limit must be 1..10000: %s" % rest)
            p["limit"] = int(rest)
        elif word == "stats":
            m = re.fullmatch(r"count\(\*\)\s+by\s+bin\((\d+)([smh])\)", rest)
            if m is None:
                p["agg"] = parse_stats(rest)
            else:
                p["bin"] = int(m.group(1)) * {"s": 1000, "m": 60000,
                                              "h": 3600000}[m.group(2)]
        else:
            raise malformed("unknown command: %s" % word)
    return p


UNITS = {"s": 1000, "m": 60000, "h": 3600000}


def parse_stats(rest):
    """The general `stats` command: AGG [as NAME], ... [by KEY, ...] with
    AGG count(*), count(F) or pct(F, N), and KEY bin(Ns|m|h) or a field:
    {"aggs": [(name, fn, field, n)], "by": [(name, bin_ms or None)]}."""
    m = re.fullmatch(r"(.*?)(?:\s+by\s+(.*))?", rest.strip())
    aggs, by = [], []
    for part in re.split(r",\s*(?![^(]*\))", m.group(1)):
        a = re.fullmatch(r"(count|pct)\((\*|@?\w+)(?:,\s*(\d+))?\)"
                         r"(?:\s+as\s+(\w+))?", part.strip())
        if a is None or (a.group(1) == "pct") != (a.group(3) is not None) \
                or (a.group(1) == "pct" and a.group(2) == "*"):
            raise malformed("unsupported stats: %s" % part)
        name = a.group(4) or part.strip()
        aggs.append((name, a.group(1), a.group(2),
                     int(a.group(3) or 0)))
    for part in re.split(r",\s*", m.group(2)) if m.group(2) else []:
        b = re.fullmatch(r"bin\((\d+)([smh])\)", part)
        if b is not None:
            by.append((part, int(b.group(1)) * UNITS[b.group(2)]))
        elif re.fullmatch(r"@?\w+", part):
            by.append((part, None))
        else:
            raise malformed("unsupported stats key: %s" % part)
    return {"aggs": aggs, "by": by}


REPORT_FIELDS = (("@duration", r"\tDuration: ([0-9.]+) ms"),
                 ("@billedDuration", r"\tBilled Duration: ([0-9.]+) ms"),
                 ("@initDuration", r"\tInit Duration: ([0-9.]+) ms"))


def discovered(e, account, group):
    """The fields Insights discovers in one event: @message, @log, @type
    and the @duration fields of a Lambda REPORT line, and the top-level
    keys of a JSON message."""
    msg = e["message"]
    f = {"@message": msg, "@log": "%s:%s" % (account, group),
         "@logStream": e["logStreamName"]}
    if msg.startswith("REPORT RequestId: "):
        f["@type"] = "REPORT"
        for name, rx in REPORT_FIELDS:
            m = re.search(rx, msg)
            if m:
                f[name] = m.group(1)
    elif msg.startswith("{"):
        try:
            doc = json.loads(msg)
        except ValueError:
            doc = None
        if isinstance(doc, dict):
            for k, v in doc.items():
                if isinstance(v, (str, int, float)) and \
                        not isinstance(v, bool):
                    f[k] = str(v)
    return f


def number(v):
    try:
        return float(v)
    except (TypeError, ValueError):
        return None


def shown(x):
    """A number as Insights shows it: no ".0" on whole values."""
    return str(int(x)) if x == int(x) else repr(x)


def aggregate(agg, found):
    """The rows of a general `stats` over the discovered fields of the
    matching events; pct is nearest-rank."""
    groups = {}
    for f, ts in found:
        key = []
        for name, b in agg["by"]:
            key.append(ts - ts % b if b else f.get(name))
        groups.setdefault(tuple(key), []).append(f)
    rows = []
    for key in sorted(groups, key=lambda k: [(v is None, v) for v in k]):
        fs = groups[key]
        row = []
        for (name, b), v in zip(agg["by"], key):
            if v is not None:
                row.append({"field": name, "value":
                            stamp(v) if b else v})
        for name, fn, field, n in agg["aggs"]:
            if fn == "count":
                c = len(fs) if field == "*" else \
                    sum(1 for f in fs if field in f)
                row.append({"field": name, "value": str(c)})
                continue
            vals = sorted(x for x in (number(f.get(field)) for f in fs)
                          if x is not None)
            if vals:
                r = max(1, math.ceil(n / 100.0 * len(vals) - 1e-9))
                row.append({"field": name, "value": shown(vals[r - 1])})
        rows.append(row)
    return rows


def matches(filters, msg):
    """Every filter command holds: all of its matches ("and") or any
    ("or")."""
    for op, items in filters:
        hits = ((needle in msg if kind == "like" else
                 needle.search(msg) is not None) != neg
                for neg, kind, needle in items)
        if not (any(hits) if op == "or" else all(hits)):
            return False
    return True



class Rows:
    """A query's rows, made when a page of them is read: a list of up to
    100 000 rows of dicts would cost the fake seconds at StartQuery."""

    def __init__(self, account, groups, fields, cand):
        self.account = account
        self.groups = groups
        self.fields = fields
        self.cand = cand
        self.views = [g.select(None, None, None) for g in groups]

    def __len__(self):
        return len(self.cand)

    def __getitem__(self, sl):
        return [self.row(c) for c in self.cand[sl]]

    def row(self, c):
        ts, gi, k, e = c
        g = self.groups[gi]
        if e is None:
            e = json.loads(self.views[gi].frag(k))
        vals = {"@timestamp": stamp(ts), "@message": e["message"],
                "@logStream": e["logStreamName"],
                "@log": "%s:%s" % (self.account, g.name),
                "@ingestionTime": stamp(e["ingestionTime"]),
                "@ptr": base64.b64encode(
                    b"fq1\x00%d\x00%s" % (g.gidx, e["eventId"].encode())
                ).decode()}
        row = [{"field": f, "value": vals[f]} for f in self.fields
               if f != "@ptr"]
        row.append({"field": "@ptr", "value": vals["@ptr"]})
        return row

class Query:
    def __init__(self, qid, groups, start, end, text, rows, stats, t0,
                 sched, run):
        self.qid = qid
        self.groups = groups
        self.start = start
        self.end = end
        self.text = text
        self.rows = rows
        self.stats = stats
        self.t0 = t0
        self.created = int(time.time() * 1000)
        self.t_run = t0 + sched
        self.t_done = t0 + sched + run
        self.cancelled = False

    def status(self, now):
        if self.cancelled:
            return "Cancelled"
        if now < self.t_run:
            return "Scheduled"
        if now < self.t_done:
            return "Running"
        return "Complete"


class Rate:
    """A token bucket whose rate is read from cfg[key] at each take."""

    def __init__(self, cfg, key):
        self.cfg = cfg
        self.key = key
        self.tokens = None
        self.t = time.monotonic()

    def take(self):
        rate = float(self.cfg.get(self.key) or 0)
        if rate <= 0:
            return True
        burst = max(1.0, min(rate, 5.0))
        now = time.monotonic()
        if self.tokens is None:
            self.tokens = burst
        self.tokens = min(burst, self.tokens + (now - self.t) * rate)
        self.t = now
        if self.tokens >= 1.0:
            self.tokens -= 1.0
            return True
        return False


class Insights:
    """The Insights model of one fakecwl Server (groups, account)."""

    def __init__(self, cfg, account):
        self.cfg = dict(cfg)
        self.defaults = dict(cfg)
        self.account = account
        self.queries = {}
        self.rates = {}
        self.reset()

    def reset(self):
        self.stats = {"started": 0, "completed": 0, "stopped": 0,
                      "limited": 0, "malformed": 0, "bytes_scanned": 0,
                      "stop_ids": [], "ranges": [], "throttled": 0,
                      "peak_active": 0, "reread": 0, "pages": 0,
                      "broken": 0}
        self.rates = {"StartQuery": Rate(self.cfg, "start_tps"),
                      "GetQueryResults": Rate(self.cfg, "results_tps")}

    def forget(self):
        self.queries = {}
        self.cfg = dict(self.defaults)
        self.reset()

    def active(self, now):
        return sum(1 for q in self.queries.values()
                   if q.status(now) in ("Scheduled", "Running"))

    # --- evaluation --------------------------------------------------------

    def events(self, g, lo_ms, hi_ms):
        """(index, ts, stream, message, ingest, frag bytes) of group g in
        [lo_ms, hi_ms], as the group's select() view holds them."""
        v = g.select(None, None, None)
        i = bisect.bisect_left(v.ts, lo_ms)
        j = bisect.bisect_right(v.ts, hi_ms)
        return v, i, j

    def evaluate(self, groups, start, end, p, req_limit):
        lo, hi = start * 1000, end * 1000 + 999
        scanned = nbytes = 0
        cand = []           # (ts, gorder, idx, event dict)
        quick = None        # bytes every matching event's JSON holds
        for op, items in p["filters"]:
            for neg, kind, n in items:
                if (op == "and" or len(items) == 1) and not neg and \
                        kind == "like" and \
                        json.dumps(n)[1:-1] == n:
                    quick = n.encode()
            if quick is not None:
                break
        for gi, g in enumerate(groups):
            v, i, j = self.events(g, lo, hi)
            scanned += j - i
            nbytes += v.off[j] - v.off[i] if j > i else 0
            if not p["filters"]:
                # No filter: nothing to parse until the rows are built.
                cand.extend((v.ts[k], gi, k, None) for k in range(i, j))
                continue
            for k in range(i, j):
                frag = v.frag(k)
                if quick is not None and quick not in frag:
                    continue
                e = json.loads(frag)
                if not matches(p["filters"], e["message"]):
                    continue
                cand.append((e["timestamp"], gi, k, e))
        if p["agg"] is not None or p["preds"]:
            found = []
            for gi, g in enumerate(groups):
                v, i, j = self.events(g, lo, hi)
                for k in range(i, j):
                    e = json.loads(v.frag(k))
                    if not matches(p["filters"], e["message"]):
                        continue
                    f = discovered(e, self.account, g.name)
                    if all((field in f) if kind == "present" else
                           f.get("@type") == field
                           for kind, field in p["preds"]):
                        found.append((f, e["timestamp"]))
            cand = [c for c in cand if p["agg"] is None]
        matched = len(cand) if p["agg"] is None else len(found)
        if p["agg"] is not None:
            rows = aggregate(p["agg"], found)
        elif p["bin"]:
            bins = {}
            for ts, _, _, _ in cand:
                b = ts - ts % p["bin"]
                bins[b] = bins.get(b, 0) + 1
            rows = [[{"field": "bin(%s)" % self.bin_name(p["bin"]),
                      "value": stamp(b)},
                     {"field": "count(*)", "value": str(n)}]
                    for b, n in sorted(bins.items())]
        else:
            cand.sort(key=lambda c: (c[0], c[1], c[2]), reverse=p["desc"])
            cap = req_limit or ROW_CAP
            if p["limit"]:
                cap = min(cap, p["limit"])
            fields = p["fields"] or list(DEFAULT_FIELDS)
            rows = Rows(self.account, groups, fields, cand[:cap])
        st = {"recordsMatched": float(matched),
              "recordsScanned": float(scanned),
              "estimatedRecordsSkipped": 0.0,
              "bytesScanned": float(nbytes),
              "estimatedBytesSkipped": 0.0,
              "logGroupsScanned": float(len(groups))}
        return rows, st

    @staticmethod
    def bin_name(ms):
        for unit, n in (("h", 3600000), ("m", 60000), ("s", 1000)):
            if ms % n == 0:
                return "%d%s" % (ms // n, unit)
        return "%dms" % ms

    # --- operations --------------------------------------------------------

    def start_query(self, req, all_groups):
        names = []
        given = [k for k in ("logGroupName", "logGroupNames",
                             "logGroupIdentifiers") if k in req]
        if len(given) != 1:
            raise AwsError("InvalidParameterException",
                           "Exactly one of logGroupName, logGroupNames or "
                           "logGroupIdentifiers must be given")
        v = req[given[0]]
        names = [v] if isinstance(v, str) else list(v)
        if not 1 <= len(names) <= 50:
            raise AwsError("InvalidParameterException",
                           "1 to 50 log groups can be queried at once")
        groups = []
        for n in names:
            if isinstance(n, str) and n.startswith("arn:"):
                n = n.split(":log-group:", 1)[-1]
                if n.endswith(":*"):
                    n = n[:-2]
            g = all_groups.get(n)
            if g is None:
                raise AwsError("ResourceNotFoundException",
                               "Log group '%s' does not exist for account "
                               "ID '%s'" % (n, self.account))
            groups.append(g)
        start, end = req.get("startTime"), req.get("endTime")
        if not isinstance(start, int) or not isinstance(end, int):
            raise AwsError("InvalidParameterException",
                           "startTime and endTime are required")
        if end < start:
            raise AwsError("InvalidParameterException",
                           "endTime must be greater than startTime")
        lim = req.get("limit")
        if lim is not None and (not isinstance(lim, int)
                                or not 1 <= lim <= MAX_LIMIT):
            raise AwsError("InvalidParameterException",
                           "limit must be between 1 and %d" % MAX_LIMIT)
        text = req.get("queryString")
        if not isinstance(text, str) or not 0 < len(text) <= 10000:
            raise AwsError("InvalidParameterException",
                           "queryString is required (at most 10000 "
                           "characters)")
        try:
            p = parse_query(text)
        except AwsError:
            self.stats["malformed"] += 1
            raise
        now = time.monotonic()
        if self.active(now) >= int(self.cfg["max_queries"]):
            self.stats["limited"] += 1
            raise AwsError("LimitExceededException",
                           "Account maximum query concurrency limit of "
                           "[%d] reached." % int(self.cfg["max_queries"]))
        rows, st = self.evaluate(groups, start, end, p, req.get("limit"))
        rate = float(self.cfg["scan_rate"])
        run = st["bytesScanned"] / rate if rate > 0 else 0.0
        qid = str(uuid.uuid4())
        self.queries[qid] = Query(qid, [g.name for g in groups], start, end,
                                  text, rows, st, now,
                                  float(self.cfg["sched"]), run)
        self.stats["started"] += 1
        self.stats["peak_active"] = max(self.stats["peak_active"],
                                        self.active(now))
        self.stats["bytes_scanned"] += int(st["bytesScanned"])
        self.stats["ranges"].append([start, end, len(rows)])
        return {"queryId": qid}

    def query_of(self, req):
        q = self.queries.get(req.get("queryId"))
        if q is None:
            raise AwsError("ResourceNotFoundException",
                           "Query does not exist")
        return q

    def page_of(self, q, req, now):
        """The offset and size of the page req asks of q."""
        n = req.get("maxItems")
        if n is not None and (not isinstance(n, int)
                              or not 0 <= n <= ROW_CAP):
            raise AwsError("InvalidParameterException",
                           "maxItems must be between 0 and %d" % ROW_CAP)
        tok = req.get("nextToken")
        off = 0
        if tok is not None:
            try:
                qid, off, t = base64.b64decode(tok).decode().split(" ")
                off, t = int(off), float(t)
            except (ValueError, UnicodeDecodeError):
                qid, off, t = None, 0, 0.0
            if qid != q.qid or not 0 < off <= len(q.rows):
                raise AwsError("InvalidParameterException",
                               "The nextToken is not valid")
            if now - t > float(self.cfg.get("token_ttl", TOKEN_TTL)):
                raise AwsError("InvalidParameterException",
                               "The nextToken has expired")
        return off, n or ROW_CAP

    def get_query_results(self, req):
        q = self.query_of(req)
        now = time.monotonic()
        s = q.status(now)
        if s == "Complete":
            off, n = self.page_of(q, req, now)
            rows = q.rows[off:off + n]
            st = q.stats
            self.stats["pages"] += 1
            if off > 0:
                pass
            elif not getattr(q, "counted", False):
                q.counted = True
                self.stats["completed"] += 1
            else:
                self.stats["reread"] += 1
            out = {"results": rows, "statistics": st, "status": s}
            if off + n < len(q.rows):
                out["nextToken"] = base64.b64encode(
                    ("%s %d %.3f" % (q.qid, off + n, now)
                     ).encode()).decode()
            return out
        elif s == "Running":
            frac = (now - q.t_run) / max(q.t_done - q.t_run, 1e-9)
            rows = q.rows[:int(len(q.rows) * frac / 2)]
            rows = rows[:req.get("maxItems") or ROW_CAP]
            st = {k: v * frac for k, v in q.stats.items()}
        else:
            rows, st = [], {k: 0.0 for k in q.stats}
        return {"results": rows, "statistics": st, "status": s}

    def stop_query(self, req):
        q = self.query_of(req)
        self.stats["stop_ids"].append(q.qid)
        if q.status(time.monotonic()) in ("Scheduled", "Running"):
            q.cancelled = True
            self.stats["stopped"] += 1
            return {"success": True}
        return {"success": False}

    def describe_queries(self, req):
        now = time.monotonic()
        want = req.get("status")
        out = []
        for q in self.queries.values():
            s = q.status(now)
            if want and s != want:
                continue
            out.append({"queryId": q.qid, "queryString": q.text,
                        "status": s, "createTime": q.created,
                        "logGroupName": q.groups[0]})
        return {"queries": out}

    def handle(self, op, req, groups):
        if self.cfg.get("mode") == "denied":
            raise AwsError("AccessDeniedException",
                           "User: arn:aws:iam::%s:user/test is not "
                           "authorized to perform: logs:%s" % (self.account,
                                                              op))
        if self.cfg.get("mode") == "invalid" and op == "StartQuery":
            # A group Insights will not query (its class, say).
            raise AwsError("InvalidParameterException",
                           "Logs Insights cannot query these log groups")
        r = self.rates.get(op)
        if r is not None and not r.take():
            self.stats["throttled"] += 1
            raise AwsError("ThrottlingException", "Rate exceeded")
        if op == "StartQuery":
            return self.start_query(req, groups)
        if op == "GetQueryResults":
            return self.get_query_results(req)
        if op == "StopQuery":
            return self.stop_query(req)
        return self.describe_queries(req)

# SPDX-License-Identifier: Apache-2.0
"""fakecwl's writes and control API: live writers, the ingestion delay,
/_events, /_config, /_reset and the other /_ endpoints (documented at the
top of fakecwl.py).  A mixin of fakecwl.Server."""

import json
import random
import resource
import time

LT_MODES = ("on", "unknown", "moto", "denied", "limit")


class AwsError(Exception):
    def __init__(self, code, message, status=400):
        super().__init__(message)
        self.code = code
        self.message = message
        self.status = status


class Control:
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
        g = self.groups.get(req["group"])
        if g is None or g.live:
            g = self.live_group(req["group"])
        si = g.stream_index(req.get("stream", "fake-stream"))
        now = time.time()
        ingest = self.ingest_at(now, delay=req.get("ingest_delay"))
        evs = [(int(e["timestamp"]), str(e["message"]))
               if isinstance(e, dict) else (int(e[0]), str(e[1]))
               for e in req["events"]]
        if not g.live:
            # A generated group: re-rendered with them, visible at once.
            g.insert_static(si, evs, int(now * 1000))
            return {"ingestionTime": int(now * 1000)}
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
            elif k in ("get_tps", "describe_tps"):
                b = self.get_bucket if k == "get_tps" else self.desc_bucket
                b.rate = float(v)
                b.burst = max(1.0, min(b.rate, 5.0))
                b.tokens = b.burst
            elif k == "latency":
                self.args.latency = float(v)
            elif k == "fle_scan_bytes":
                self.fle_scan = int(v)
            elif k == "qi_mode":
                if v not in ("on", "denied", "invalid"):
                    raise AwsError("InvalidParameterException",
                                   "qi_mode: on, denied or invalid")
                self.qi.cfg["mode"] = v
            elif k.startswith("qi_") and k[3:] in self.qi.cfg:
                self.qi.cfg[k[3:]] = float(v)
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
                "get_tps": self.get_bucket.rate,
                "describe_tps": self.desc_bucket.rate,
                "latency": self.args.latency,
                "fle_scan_bytes": self.fle_scan,
                **{"lt_" + k: v for k, v in self.lt.cfg.items()},
                **{"qi_" + k: v for k, v in self.qi.cfg.items()}}

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
        self.qi.forget()
        self.args.latency = self.args.latency0
        self.fle_scan = self.args.fle_scan_bytes
        self.bucket.rate = self.args.tps
        self.bucket.burst = self.args.burst if self.args.burst \
            else self.args.tps
        for b, r in ((self.get_bucket, self.args.get_tps),
                     (self.desc_bucket, self.args.describe_tps)):
            b.rate = r
            b.burst = max(1.0, min(r, 5.0))

    def control(self, method, path, body):
        req = json.loads(body or b"{}") if method == "POST" else {}
        if path == "/_stats":
            ru = resource.getrusage(resource.RUSAGE_SELF)
            return {"counts": self.counts, "throttled": self.throttled,
                    "by_key": self.by_key,
                    "fle_times": self.fle_times,
                    "fle_events": self.fle_events,
                    "fle_bytes": self.fle_bytes,
                    "get_times": self.get_times,
                    "get_events": self.get_events,
                    "since": self.t_reset,
                    "cpu": ru.ru_utime + ru.ru_stime - self.cpu0,
                    "cpu_user": ru.ru_utime - self.user0,
                    "maxrss_kib": ru.ru_maxrss,
                    "livetail": dict(self.lt.stats,
                                     open=len(self.lt.sessions)),
                    "insights": dict(self.qi.stats,
                                     active=self.qi.active(time.monotonic()))}
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

# SPDX-License-Identifier: Apache-2.0
"""Read a callgrind output file: self and inclusive instruction counts per
function and per object (shared library), for bench/results.md.

The format (valgrind's docs, "Callgrind Format Specification"): ob=, fl=,
fi=, fe=, fn= set the current object/file/function, with "(id) name" name
compression; cob=, cfi=, cfn= name the callee of the next calls= line,
whose following cost line is the inclusive cost of that call.  Other cost
lines are self cost: a position column, then one count per event.
"""

import os
import re

NAME = re.compile(r"^\((\d+)\)(?:\s+(.*))?$")


class Profile:
    def __init__(self, path):
        self.self_ir = {}      # (object, function) -> self Ir
        self.incl = {}         # (object, function) -> inclusive Ir
        self.edges = {}        # (caller, callee) -> Ir spent in the call
        self.total = 0
        self.cmd = ""
        self._read(path)

    def _read(self, path):
        names = {}

        def name(kind, v):
            m = NAME.match(v)
            if not m:
                return v
            key = (kind, m.group(1))
            if m.group(2) is not None:
                names[key] = m.group(2)
            return names.get(key, "?")

        ob = fn = cob = cfn = None
        after_calls = False
        callee = None
        with open(path) as f:
            for ln in f:
                ln = ln.rstrip("\n")
                if not ln or ln[0] == "#":
                    continue
                c = ln[0]
                if c.isdigit() or c in "+-*":
                    parts = ln.split()
                    ir = int(parts[1]) if len(parts) > 1 else 0
                    key = (ob, fn)
                    if after_calls:
                        self.incl[key] = self.incl.get(key, 0) + ir
                        e = (key, callee)
                        self.edges[e] = self.edges.get(e, 0) + ir
                        after_calls = False
                    else:
                        self.self_ir[key] = self.self_ir.get(key, 0) + ir
                        self.incl[key] = self.incl.get(key, 0) + ir
                    continue
                if ln.startswith("cmd:"):
                    self.cmd = ln[4:].strip()
                    continue
                k, _, v = ln.partition("=")
                if k == "ob":
                    ob = name("ob", v)
                elif k == "fn":
                    fn = name("fn", v)
                    cob = None
                elif k == "cob":
                    cob = name("ob", v)
                elif k == "cfn" or k == "cfi" or k == "cfl":
                    if k == "cfn":
                        cfn = name("fn", v)
                elif k in ("fl", "fi", "fe"):
                    name("fl", v)
                elif k == "calls":
                    after_calls = True
                    callee = (cob if cob is not None else ob, cfn)
                    cob = None
                elif k == "summary" or k == "totals":
                    self.total = int(v.split()[0])
        if not self.total:
            self.total = sum(self.self_ir.values())

    @staticmethod
    def short(obj):
        return os.path.basename(obj or "?")

    def by_object(self):
        acc = {}
        for (ob, _), ir in self.self_ir.items():
            acc[self.short(ob)] = acc.get(self.short(ob), 0) + ir
        return sorted(acc.items(), key=lambda x: -x[1])

    def top_self(self, n):
        return sorted(((ir, self.short(ob), fn) for (ob, fn), ir
                       in self.self_ir.items()), reverse=True)[:n]

    def top_incl(self, n, obj=None):
        """Largest inclusive costs, of one object's functions if obj;
        recursion copies (fn'2) and cycles over 100 % are left out."""
        rows = []
        for (ob, fn), ir in self.incl.items():
            if obj is not None and self.short(ob) != obj:
                continue
            if "'" in (fn or "") or ir > self.total or \
                    fn == "(below main)":
                continue
            rows.append((ir, self.short(ob), fn))
        return sorted(rows, reverse=True)[:n]

    def callers(self, key, n):
        """The functions that spend the most in calls to key."""
        rows = [(ir, self.short(a[0]), a[1]) for (a, b), ir
                in self.edges.items() if b == key and a != key]
        return sorted(rows, reverse=True)[:n]


def report(path, nev, what):
    """Markdown lines for a profile of a read of nev events (nev may be 0
    for a run that reads nothing)."""
    p = Profile(path)
    t = p.total or 1
    per = (lambda ir: "%.0f" % (ir / nev)) if nev else (lambda ir: "")
    lines = ["%s. Instruction counts (Ir) do not depend on the machine's "
             "load." % what, ""]
    lines += ["Total: **{:,} instructions{}**.".format(
        p.total, ", %.0f per event" % (p.total / nev) if nev else ""), ""]
    lines += ["By object (self cost):", "",
              "| object | Ir | share |%s" % (" per event |" if nev else ""),
              "|---|---|---|%s" % ("---|" if nev else "")]
    for obj, ir in p.by_object()[:8]:
        lines.append("| %s | {:,} | %.1f %% |%s".format(ir) % (
            obj, ir * 100.0 / t, " %s |" % per(ir) if nev else ""))
    lines += ["", "Top functions by self cost (`0x…` = no symbols):", "",
              "| Ir | share |%s function | object |" % (
                  " per event |" if nev else ""),
              "|---|---|%s---|---|" % ("---|" if nev else "")]
    for ir, obj, fn in p.top_self(20):
        lines.append("| {:,} | %.1f %% |%s `%s` | %s |".format(ir) % (
            ir * 100.0 / t, " %s |" % per(ir) if nev else "", fn, obj))
    main_obj = os.path.basename(p.cmd.split()[0]) if p.cmd else None
    lines += ["", "apilogs' own functions by inclusive cost (callees, in "
              "any library, included):", "",
              "| Ir | share |%s function |" % (" per event |" if nev else ""),
              "|---|---|%s---|" % ("---|" if nev else "")]
    for ir, obj, fn in p.top_incl(20, main_obj):
        lines.append("| {:,} | %.1f %% |%s `%s` |".format(ir) % (
            ir * 100.0 / t, " %s |" % per(ir) if nev else "", fn))
    entry = {}     # libc function -> Ir of the calls into it from outside
    for (caller, callee), ir in p.edges.items():
        if p.short(callee[0]).startswith("libc.") and \
                not p.short(caller[0]).startswith("libc.") and \
                not (callee[1] or "").startswith("__libc_start"):
            entry[callee] = entry.get(callee, 0) + ir
    top = sorted(entry.items(), key=lambda x: -x[1])[:5]
    if top:
        lines += ["", "Calls into libc from outside it (Ir of each call, "
                  "callees included), by caller:", "",
                  "| libc function | total | caller | Ir |",
                  "|---|---|---|---|"]
        for key, tot in top:
            rows = [r for r in p.callers(key, 12)
                    if not r[1].startswith("libc.")][:3]
            for i, (ir, cobj, cfn) in enumerate(rows):
                lines.append("| %s | %s | `%s` (%s) | {:,} |".format(ir) % (
                    "`%s`" % key[1] if i == 0 else "",
                    "{:,} ({:.1f} %)".format(tot, tot * 100.0 / t)
                    if i == 0 else "", cfn, cobj))
    return lines, p

# SPDX-License-Identifier: Apache-2.0
"""FilterLogEvents filter patterns of unstructured events, for fakecwl.py:
the forms AWS documents ("Filter pattern syntax for metric filters,
subscription filters, filter log events, and Live Tail"):

  ERROR timeout          every term appears (case-sensitive)
  "Task timed out"       a quoted phrase (any characters but '"')
  ?ERROR ?WARN           any of the terms
  ERROR -DEBUG           ERROR, and not DEBUG

An unquoted term is letters, digits and '_'.  A term matches as a
substring of the message (the documentation says events "contain the
terms"; whether a term must also stand as a word is not documented).

parse() returns None for any other syntax (JSON "{ ... }", space-delimited
"[ ... ]", "%regex%", ?terms mixed with others, -terms alone, quoted
phrases with a backslash or a control character): fakecwl then keeps its
old approximation (a plain substring of the event's JSON).  The forms
accepted are exactly those apilogs translates to Logs Insights
(src/logs/fpattern.c), so the two engines can be compared on this fake.
"""

import json
import re

WORD = re.compile(r"[A-Za-z0-9_]+(?=[ \t]|$)")
PHRASE = re.compile(r'"([^"]+)"(?=[ \t]|$)')


class Pattern:
    """A parsed pattern: op "and" (terms, some negated) or "or"."""

    def __init__(self, text, op, terms):
        self.text = text
        self.op = op
        self.terms = terms          # [(negate, str)]

    def __eq__(self, other):
        return isinstance(other, Pattern) and other.text == self.text

    def __hash__(self):
        return hash(("fakepattern", self.text))

    def match(self, msg):
        if self.op == "or":
            return any(t in msg for _, t in self.terms)
        return all((t in msg) != neg for neg, t in self.terms)

    def needle(self):
        """Bytes every matching event's JSON holds, or None."""
        if self.op != "and":
            return None
        for neg, t in self.terms:
            if not neg and json.dumps(t)[1:-1] == t:
                return t.encode()
        return None

    def match_frag(self, frag):
        """Match the JSON of one event (str or bytes)."""
        n = self.needle()
        if n is not None and n not in (frag if isinstance(frag, bytes)
                                       else frag.encode()):
            return False
        return self.match(json.loads(frag)["message"])


def parse(text):
    """A Pattern, or None for syntax outside the term forms."""
    terms, i, nor = [], 0, 0
    while True:
        while i < len(text) and text[i] in " \t":
            i += 1
        if i == len(text):
            break
        prefix = text[i] if text[i] in "?-" else ""
        i += len(prefix)
        m = PHRASE.match(text, i) or WORD.match(text, i)
        if m is None:
            return None
        t = m.group(1) if m.re is PHRASE else m.group(0)
        if "\\" in t or any(ord(c) < 0x20 or ord(c) == 0x7f for c in t):
            return None
        terms.append((prefix == "-", t))
        nor += prefix == "?"
        i = m.end()
    if not terms or len(terms) > 32:
        return None
    if nor == len(terms):
        return Pattern(text, "or", terms)
    if nor or all(neg for neg, _ in terms):
        return None
    return Pattern(text, "and", terms)

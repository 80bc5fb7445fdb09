# SPDX-License-Identifier: Apache-2.0
"""`get --filter-pattern P --engine insights` prints what `--engine filter`
prints, for every filter pattern form apilogs translates to Logs Insights
(terms, "phrases", ?any ?of, -excluded), on bench/fakecwl.py, whose
FilterLogEvents reads those forms as AWS documents them
(bench/fakepattern.py) and whose Insights evaluates the query's `filter`
itself.  The queries are read back with boto3 (DescribeQueries) and run
again over the whole window, so the Insights filter alone is exact, not
only the reader's check of every row.  Forms with no exact Insights form
stay on FilterLogEvents under auto and fail under --engine insights.  On
moto, whose Insights ignores `filter`, only the reader's check is seen."""

from harness import ApilogsTestCase, FakeCwlTestCase, now_ms, wait_for

GROUPS = ("/aws/lambda/alpha", "/aws/lambda/beta")

MESSAGES = (
    "ERROR timed out after 3.00 seconds",
    "ERROR DEBUG retry",
    "WARN disk 91% full",
    "INFO GET /pets/{id} | 200",
    "INFO GET /pets 404",
    "error lower case",
    "ERRORS plural",
    'quoted "x" and `tick` C:\\temp',
    "caf\u00e9 \u2713 done",
    "Task timed out",
)

# pattern -> what a message must satisfy (written out by hand, not with
# the code under test).
CASES = (
    ("ERROR", lambda m: "ERROR" in m),
    ("ERROR DEBUG", lambda m: "ERROR" in m and "DEBUG" in m),
    ("?WARN ?DEBUG", lambda m: "WARN" in m or "DEBUG" in m),
    ("?\"timed out\" ?caf\u00e9", None),  # unquoted é: not translated
    ("?\"timed out\" ?\"caf\u00e9\"",
     lambda m: "timed out" in m or "caf\u00e9" in m),
    ("ERROR -DEBUG", lambda m: "ERROR" in m and "DEBUG" not in m),
    ("INFO -\"/pets/{id}\"", lambda m: "INFO" in m and "/pets/{id}" not in m),
    ("\"GET /pets/{id} | 200\"", lambda m: "GET /pets/{id} | 200" in m),
    ("\"91% full\"", lambda m: "91% full" in m),
    ("\"`tick`\"", lambda m: "`tick`" in m),
    ("\"\u2713 done\"", lambda m: "\u2713 done" in m),
)

# Accepted by FilterLogEvents, no exact Insights form.
UNTRANSLATED = ("{ $.level = \"ERROR\" }", "[w1, w2, ...]", "%ERR.R%",
                "ERROR ?WARN", "-DEBUG", "\"C:\\temp\"")


def seed(put, base):
    """Every message in both groups, two streams, distinct timestamps."""
    for gi, g in enumerate(GROUPS):
        for si, s in enumerate(("s1", "s2")):
            put(g, s, [(base + (k * len(MESSAGES) + i) * 1000 + gi * 10 +
                        si * 3, "%s %s #%d %s" % (g[-5:], s, k, m))
                       for k in range(3) for i, m in enumerate(MESSAGES)])


class PatternsOnFakeCwl(FakeCwlTestCase):

    def setUp(self):
        super().setUp()
        self.base = (now_ms() - 3600000) // 60000 * 60000
        seed(lambda g, s, ev: self.fake.put_events(g, s, ev, ingest_delay=0),
             self.base)
        n = 2 * 2 * 3 * len(MESSAGES)
        wait_for(lambda: len(self.get(engine="filter").stdout.splitlines())
                 >= n, what="the events to be ingested")

    def get(self, *args, engine="insights"):
        return self.run_apilogs("get", "-g", GROUPS[0], "-g", GROUPS[1],
                                "--start", "2h", "-G", "-S", "--engine",
                                engine, *args)

    def insights_rows(self, query):
        """Run query over the whole window with boto3: the messages."""
        s = self.base // 1000
        qid = self.logs.start_query(logGroupNames=list(GROUPS),
                                    startTime=s, endTime=s + 3600,
                                    queryString=query)["queryId"]
        r = wait_for(lambda: (lambda x: x if x["status"] == "Complete"
                              else None)(
            self.logs.get_query_results(queryId=qid)))
        return sorted(c["value"] for row in r["results"] for c in row
                      if c["field"] == "@message")

    def test_same_lines_as_filter(self):
        every = self.get(engine="filter").stdout.splitlines()
        self.assertEqual(sorted(every), sorted(self.raw()))
        for pattern, want in CASES:
            with self.subTest(pattern=pattern):
                f = self.get("-f", pattern, engine="filter")
                i = self.get("-f", pattern)
                self.assertEqual(f.rc, 0, f)
                if want is None:
                    self.assertEqual(i.rc, 2, i)
                    self.assertIn("does not translate", i.stderr)
                    continue
                self.assertEqual(i.rc, 0, i)
                self.assertEqual(i.stderr, "")
                self.assertEqual(i.stdout, f.stdout)
                lines = i.stdout.splitlines()
                self.assertGreater(len(lines), 0)
                self.assertEqual(len(lines),
                                 sum(1 for m in every if want(m)))
                # The query as sent, run again whole: the Insights
                # filter alone selects exactly these messages.
                sent = [q["queryString"] for q in
                        self.logs.describe_queries()["queries"]]
                self.assertIn("| filter @message ", sent[-1])
                self.assertEqual(
                    self.insights_rows(sent[-1]),
                    sorted(m for m in self.raw() if want(m)))

    def raw(self):
        """Every message as stored (with its group/stream prefix)."""
        return ["%s %s #%d %s" % (g[-5:], s, k, m) for g in GROUPS
                for s in ("s1", "s2") for k in range(3) for m in MESSAGES]

    def test_untranslated_stay_on_filterlogevents(self):
        for pattern in UNTRANSLATED:
            with self.subTest(pattern=pattern):
                i = self.get("-f", pattern)
                self.assertEqual(i.rc, 2, i)
                self.assertEqual(len(i.stderr.splitlines()), 1, i)
                self.assertIn("--engine insights: the filter pattern does "
                              "not translate to Logs Insights", i.stderr)
                self.assertEqual(i.stdout, "")
                a = self.get("-f", pattern, "--insights-threshold", "0",
                             "-v", engine="auto")
                self.assertEqual(a.rc, 0, a)
                self.assertIn("reading with FilterLogEvents: the filter "
                              "pattern does not translate", a.stderr)
        self.assertEqual(self.fake.stats()["insights"]["started"], 0)


class PatternsOnMoto(ApilogsTestCase):
    """moto's Insights ignores `filter` and its FilterLogEvents knows
    neither ?terms nor -terms: the reader's own check of every row gives
    the lines a pattern selects."""

    def test_or_and_exclusion_checked_by_the_reader(self):
        base = now_ms() - 3600000
        for si, s in enumerate(("s1", "s2")):
            self.put_events(GROUPS[0], s, [
                (base + i * 1000 + si * 3, "%s #%d %s" % (s, i, m))
                for i, m in enumerate(MESSAGES)])
        every = self.run_apilogs("get", "-g", GROUPS[0], "--start", "2h",
                                 "--engine", "filter")
        self.assertEqual(every.rc, 0, every)
        for pattern, want in (
                ("?WARN ?DEBUG", lambda m: "WARN" in m or "DEBUG" in m),
                ("ERROR -DEBUG",
                 lambda m: "ERROR" in m and "DEBUG" not in m)):
            with self.subTest(pattern=pattern):
                r = self.run_apilogs("get", "-g", GROUPS[0], "--start",
                                     "2h", "--engine", "insights", "-f",
                                     pattern)
                self.assertEqual(r.rc, 0, r)
                self.assertEqual(r.stdout, "".join(
                    l for l in every.stdout.splitlines(True) if want(l)))
                self.assertEqual(len(r.stdout.splitlines()), 2 * 2)

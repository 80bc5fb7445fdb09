# SPDX-License-Identifier: Apache-2.0
"""What users ask for (issue 16): the note on an empty window, --last,
--expand, --grep/--exclude/--level, --max-length, --event-id, the X-Ray
trace id in trace, and a bare apilogs."""

import json

from faultcase import FaultCase
from faultproxy import Rule
from harness import ApilogsTestCase, now_ms

G = "/aws/lambda/orders"


class TestEmptyWindow(ApilogsTestCase):
    def test_note_says_when_the_newest_event_was(self):
        t = now_ms() - 3 * 3600 * 1000  # 3 h ago
        self.put_events(G, "s1", [(t, "old line")])
        r = self.run_apilogs("get", G, "--start", "5m")
        self.assertEqual((r.rc, r.stdout), (0, ""), r)
        self.assertRegex(
            r.stderr,
            r"^apilogs: no events between \S+Z and \S+Z; the newest event "
            r"in log group /aws/lambda/orders is from \S+Z: try --start 4h\n$")
        newest = r.stderr.split("is from ")[1].split(":")[0]
        self.assertTrue(newest.startswith(
            __import__("time").strftime("%Y-%m-%dT",
                                        __import__("time").gmtime(t / 1000))))

    def test_note_json_output_keeps_stdout_empty(self):
        t = now_ms() - 30 * 60 * 1000
        self.put_events(G, "s1", [(t, "x")])
        r = self.run_apilogs("get", G, "-o", "json")
        self.assertEqual((r.rc, r.stdout), (0, ""), r)
        self.assertIn("try --start 31m", r.stderr)

    def test_note_several_groups_names_the_newest(self):
        t = now_ms()
        self.put_events("/g/a", "s", [(t - 2 * 86400 * 1000 - 5000, "a")])
        self.put_events("/g/b", "s", [(t - 3 * 86400 * 1000, "b")])
        r = self.run_apilogs("get", "-g", "/g/a", "-g", "/g/b")
        self.assertEqual((r.rc, r.stdout), (0, ""), r)
        self.assertIn("the newest event in these 2 log groups (in /g/a)",
                      r.stderr)
        self.assertIn("try --start 3d", r.stderr)

    def test_note_empty_group(self):
        self.logs.create_log_group(logGroupName=G)
        r = self.run_apilogs("get", G)
        self.assertEqual((r.rc, r.stdout), (0, ""), r)
        self.assertIn("log group /aws/lambda/orders has no events yet",
                      r.stderr)

    def test_note_filter_pattern(self):
        t = now_ms() - 1000
        self.put_events(G, "s1", [(t, "INFO fine")])
        r = self.run_apilogs("get", G, "-f", "ERROR")
        self.assertEqual((r.rc, r.stdout), (0, ""), r)
        self.assertIn("matched the filter pattern; the newest event",
                      r.stderr)
        self.assertNotIn("try --start", r.stderr)

    def test_note_newest_after_the_end(self):
        self.put_events(G, "s1", [(now_ms() - 1000, "recent")])
        r = self.run_apilogs("get", G, "-s", "3h", "-e", "2h")
        self.assertEqual((r.rc, r.stdout), (0, ""), r)
        self.assertRegex(r.stderr, r"^apilogs: no events between \S+ and "
                         r"\S+; the newest event in log group "
                         r"/aws/lambda/orders is from \S+Z, after the end\n$")

    def test_no_note_when_lines_are_printed(self):
        self.put_events(G, "s1", [(now_ms() - 1000, "hello")])
        r = self.run_apilogs("get", G)
        self.assertEqual((r.rc, r.stderr), (0, ""), r)

    def test_note_when_local_filters_drop_everything(self):
        self.put_events(G, "s1", [(now_ms() - 1000, "hello")])
        r = self.run_apilogs("get", G, "--grep", "nomatch")
        self.assertEqual((r.rc, r.stdout), (0, ""), r)
        self.assertEqual(r.stderr, "apilogs: 1 events read, none passed "
                         "--grep, --exclude or --level\n")


class TestLast(ApilogsTestCase):
    def test_last_n_whatever_their_age(self):
        t = now_ms()
        # Old events (days ago) and a gap: the default 5m window is empty.
        ev = [(t - 5 * 86400 * 1000 + i * 1000, "old %d" % i)
              for i in range(5)]
        ev += [(t - 2 * 86400 * 1000 + i * 1000, "new %d" % i)
               for i in range(3)]
        self.put_events(G, "s1", ev)
        r = self.run_apilogs("get", G, "--last", "4", "-GS")
        self.assertEqual(r.rc, 0, r)
        self.assertEqual(r.stdout, "old 4\nnew 0\nnew 1\nnew 2\n")
        self.assertEqual(r.stderr, "")

    def test_last_across_groups_in_time_order(self):
        t = now_ms() - 3600 * 1000
        self.put_events("/g/a", "s", [(t + 1, "a1"), (t + 3, "a3")])
        self.put_events("/g/b", "s", [(t + 2, "b2"), (t + 4, "b4")])
        r = self.run_apilogs("get", "-g", "/g/a", "-g", "/g/b", "--last",
                             "3", "-GS")
        self.assertEqual((r.rc, r.stdout), (0, "b2\na3\nb4\n"), r)

    def test_last_more_than_there_are(self):
        self.put_events(G, "s1", [(now_ms() - 7 * 86400 * 1000, "only")])
        r = self.run_apilogs("get", G, "--last", "50", "-GS")
        self.assertEqual((r.rc, r.stdout, r.stderr), (0, "only\n", ""), r)

    def test_last_bounded_by_start(self):
        t = now_ms()
        self.put_events(G, "s1", [(t - 3 * 3600 * 1000, "3h"),
                                  (t - 600 * 1000, "10m")])
        r = self.run_apilogs("get", G, "--last", "5", "--start", "1h", "-GS")
        self.assertEqual((r.rc, r.stdout), (0, "10m\n"), r)

    def test_last_counts_lines_that_pass_local_filters(self):
        t = now_ms() - 86400 * 1000
        self.put_events(G, "s1", [(t + i, "%s %d" % (
            "ERROR" if i % 2 else "INFO", i)) for i in range(10)])
        r = self.run_apilogs("get", G, "--last", "2", "--grep", "^ERROR",
                             "-GS")
        self.assertEqual((r.rc, r.stdout), (0, "ERROR 7\nERROR 9\n"), r)

    def test_last_nothing_at_all(self):
        self.logs.create_log_group(logGroupName=G)
        r = self.run_apilogs("get", G, "--last", "3")
        self.assertEqual((r.rc, r.stdout), (0, ""), r)
        self.assertEqual(
            r.stderr,
            "apilogs: no events; log group /aws/lambda/orders has no "
            "events yet\n")

    def test_last_json(self):
        t = now_ms() - 86400 * 1000
        self.put_events(G, "s1", [(t, "a"), (t + 1, "b")])
        r = self.run_apilogs("get", G, "--last", "1", "-o", "json")
        self.assertEqual(r.rc, 0, r)
        self.assertEqual([json.loads(x)["message"]
                          for x in r.stdout.splitlines()], ["b"])

    def test_last_bad_value(self):
        for v in ("0", "-1", "x", "100001"):
            r = self.run_apilogs("get", G, "--last", v)
            self.assertEqual(r.rc, 2, r)
            self.assertTrue(r.stderr.startswith("apilogs: --last '%s'" % v),
                            r)


SHORT_HELP_HEAD = ("apilogs: no command given\n"
                   "usage: apilogs [OPTIONS] COMMAND [ARGS]\n\nCommands:\n")


class TestBare(ApilogsTestCase):
    def test_bare_prints_the_short_help_on_stderr(self):
        for args in ([], ["--color"], ["--profile", "x", "-v"]):
            r = self.run_apilogs(*args)
            self.assertEqual((r.rc, r.stdout), (2, ""), (args, r))
            self.assertTrue(r.stderr.startswith(SHORT_HELP_HEAD), r)
            self.assertIn("  trace    follow one request", r.stderr)
            self.assertTrue(r.stderr.endswith(
                "'apilogs --help' shows the options, 'apilogs help COMMAND' "
                "a command's.\n"), r)
            # Short: no option list.
            self.assertNotIn("--start", r.stderr)

    def test_help_is_still_on_stdout(self):
        r = self.run_apilogs("--help")
        self.assertEqual((r.rc, r.stderr), (0, ""), r)
        self.assertIn("Commands:", r.stdout)
        r = self.run_apilogs("get", "--help")
        self.assertEqual((r.rc, r.stderr), (0, ""), r)
        for opt in ("--last N", "--grep REGEX", "--exclude REGEX",
                    "--level LEVEL", "--expand", "--max-length N",
                    "--event-id"):
            self.assertIn(opt, r.stdout)


RID = "6f1c2e9a-2b7d-4c11-9a3e-0f5b7c8d9e01"


class TestLocalFilters(ApilogsTestCase):
    def setUp(self):
        super().setUp()
        t = now_ms() - 60000
        self.lines = [
            "START RequestId: %s Version: $LATEST" % RID,
            "2026-12-06T10:00:00.000Z\t%s\tINFO\tlisting orders" % RID,
            "2026-12-06T10:00:00.001Z\t%s\tWARN\tslow query" % RID,
            "[ERROR]\t2026-12-06T10:00:00.002Z\t%s\tboom" % RID,
            '{"level":"fatal","message":"disk gone"}',
            "plain print from a health check",
            "2026-12-06T10:00:03.110Z %s Task timed out after 3.00 seconds"
            % RID,
            "END RequestId: %s" % RID,
        ]
        self.put_events(G, "s1", [(t + i, m)
                                  for i, m in enumerate(self.lines)])

    def get(self, *args):
        r = self.run_apilogs("get", G, "-GS", *args)
        self.assertEqual(r.rc, 0, r)
        return r.stdout.splitlines()

    def test_grep_any_of_them(self):
        self.assertEqual(self.get("--grep", "orders|boom"),
                         [self.lines[1], self.lines[3]])
        self.assertEqual(self.get("--grep", "orders", "--grep", "(?i)TASK"),
                         [self.lines[1], self.lines[6]])

    def test_exclude(self):
        self.assertEqual(self.get("--exclude", "RequestId", "--exclude",
                                  "health"), self.lines[1:5] + [self.lines[6]])
        self.assertEqual(self.get("--grep", "RequestId", "--exclude", "^END"),
                         [self.lines[0]])

    def test_level(self):
        self.assertEqual(self.get("--level", "warn"),
                         [self.lines[2], self.lines[3], self.lines[4],
                          self.lines[6]])
        self.assertEqual(self.get("--level", "ERROR"),
                         [self.lines[3], self.lines[4], self.lines[6]])
        self.assertEqual(self.get("--level", "critical"), [self.lines[4]])
        self.assertEqual(self.get("--level", "info", "--grep", "o"),
                         [self.lines[1], self.lines[2], self.lines[3],
                          self.lines[4], self.lines[6]])

    def test_filters_apply_before_query(self):
        r = self.run_apilogs("get", G, "-GS", "--grep", "disk",
                             "-q", "message")
        self.assertEqual((r.rc, r.stdout), (0, "disk gone\n"), r)

    def test_json_output(self):
        r = self.run_apilogs("get", G, "--level", "fatal", "-o", "json")
        self.assertEqual([json.loads(x)["message"]
                          for x in r.stdout.splitlines()], [self.lines[4]])

    def test_bad_values(self):
        for args, needle in (
                (["--grep", "a(b"], "apilogs: --grep 'a(b': missing closing "
                 "parenthesis at offset 3\n"),
                (["--exclude", "ok", "--exclude", "[z-a]"],
                 "apilogs: --exclude '[z-a]': range out of order in "
                 "character class at offset 3\n"),
                (["--level", "loud"], "apilogs: --level 'loud': expected "
                 "trace, debug, info, warn, error or fatal\n")):
            r = self.run_apilogs("get", G, *args)
            self.assertEqual((r.rc, r.stdout, r.stderr), (2, "", needle), r)
        # A bad regex is found before any request is sent.
        r = self.run_apilogs("get", G, "--grep", "(",
                             env={"AWS_ENDPOINT_URL": "http://127.0.0.1:9"})
        self.assertEqual(r.rc, 2, r)

    def test_only_for_get(self):
        r = self.run_apilogs("groups", "--grep", "x")
        self.assertEqual(r.rc, 2, r)
        self.assertIn("does not apply to 'groups'", r.stderr)


class TestDisplay(ApilogsTestCase):
    def test_expand(self):
        t = now_ms() - 1000
        node = ("2026-12-06T10:00:00.000Z\t%s\tINFO\t"
                '{"order":{"id":17,"total":1.50},"tags":[]}' % RID)
        self.put_events(G, "s1", [(t, '{"a":1,"b":[true,null]}'),
                                  (t + 1, node), (t + 2, "{not json"),
                                  (t + 3, "plain")])
        r = self.run_apilogs("get", G, "-GS", "--expand")
        self.assertEqual(r.rc, 0, r)
        self.assertEqual(
            r.stdout,
            '{\n  "a": 1,\n  "b": [\n    true,\n    null\n  ]\n}\n'
            "2026-12-06T10:00:00.000Z\t%s\tINFO\t{\n  \"order\": {\n"
            '    "id": 17,\n    "total": 1.50\n  },\n  "tags": []\n}\n'
            "{not json\nplain\n" % RID)
        # Keys coloured on a terminal (forced here).
        r = self.run_apilogs("get", G, "-GS", "--expand", "--color=always",
                             "--grep", "^{\"a\"")
        self.assertIn('\033[1;34m"a"\033[0m: 1', r.stdout)
        # JSON output is unchanged.
        r = self.run_apilogs("get", G, "--expand", "-o", "json")
        self.assertEqual(json.loads(r.stdout.splitlines()[0])["message"],
                         '{"a":1,"b":[true,null]}')

    def test_expand_after_query(self):
        self.put_events(G, "s1", [(now_ms() - 1000,
                                   '{"a":{"b":1},"c":2}')])
        r = self.run_apilogs("get", G, "-GS", "--expand", "-q", "a")
        self.assertEqual((r.rc, r.stdout), (0, '{\n  "b": 1\n}\n'), r)

    def test_max_length_counts_characters(self):
        msg = "h\u00e9llo w\u00f6rld \U0001F44E" + "x" * 100
        self.put_events(G, "s1", [(now_ms() - 1000, msg), (now_ms(), "ok")])
        r = self.run_apilogs("get", G, "-GS", "--max-length", "13")
        self.assertEqual(r.rc, 0, r)
        self.assertEqual(r.out.decode("utf-8"),
                         "h\u00e9llo w\u00f6rld \U0001F44E"
                         "\u2026 [+100 chars]\nok\n")
        r = self.run_apilogs("get", G, "--max-length", "3", "-o", "json")
        self.assertEqual(json.loads(r.stdout.splitlines()[0])["message"],
                         msg)
        for v in ("0", "-5", "ten"):
            r = self.run_apilogs("get", G, "--max-length", v)
            self.assertEqual(r.rc, 2, r)
            self.assertTrue(r.stderr.startswith(
                "apilogs: --max-length '%s'" % v), r)

    def test_event_id_column(self):
        self.put_events(G, "s1", [(now_ms() - 1000, "one")])
        ev = self.logs.filter_log_events(logGroupName=G)["events"][0]
        r = self.run_apilogs("get", G, "--event-id")
        self.assertEqual(r.rc, 0, r)
        self.assertEqual(r.stdout, "%s s1         %s one\n"
                         % (G, ev["eventId"]))
        r = self.run_apilogs("get", G, "--event-id", "--timestamp", "-GS")
        self.assertRegex(r.stdout, r"^\S+Z %s one\n$" % ev["eventId"])


class TestTraceXray(ApilogsTestCase):
    EXEC = "API-Gateway-Execution-Logs_a1b2c3d4e5/prod"
    API_RID = "8e2b1c34-7d0a-4c6e-9f12-3a4b5c6d7e8f"
    XRAY = "1-5c755b5d-07b29b94e632d3da19d88789"

    def test_xray_id_text_and_json(self):
        t = now_ms() - 60000
        p = "(%s) " % self.API_RID
        self.put_events(self.EXEC, "e1", [
            (t, p + "Starting execution for request: " + self.API_RID),
            (t + 1, p + "HTTP Method: GET, Resource Path: /orders"),
            (t + 2, p + "Method completed with status: 200"),
            (t + 3, p + "X-ray Tracing ID : " + self.XRAY)])
        r = self.run_apilogs("trace", self.API_RID, "-g", self.EXEC, "-s",
                             "1h")
        self.assertEqual(r.rc, 0, r)
        self.assertIn("\nX-Ray trace %s\n" % self.XRAY, r.stdout)
        r = self.run_apilogs("trace", self.API_RID, "-g", self.EXEC, "-s",
                             "1h", "-o", "json")
        self.assertEqual(json.loads(r.stdout)["summary"]["xrayTraceId"],
                         self.XRAY)

    def test_no_xray_id(self):
        t = now_ms() - 60000
        p = "(%s) " % self.API_RID
        self.put_events(self.EXEC, "e1", [
            (t, p + "Starting execution for request: " + self.API_RID),
            (t + 2, p + "Method completed with status: 200")])
        r = self.run_apilogs("trace", self.API_RID, "-g", self.EXEC, "-s",
                             "1h", "-o", "json")
        self.assertEqual(r.rc, 0, r)
        self.assertIsNone(json.loads(r.stdout)["summary"]["xrayTraceId"])
        r = self.run_apilogs("trace", self.API_RID, "-g", self.EXEC, "-s",
                             "1h")
        self.assertNotIn("X-Ray", r.stdout)


class TestLastMore(ApilogsTestCase):
    def test_last_with_local_filters_dropping_all(self):
        self.put_events(G, "s1", [(now_ms() - 86400 * 1000, "INFO a")])
        r = self.run_apilogs("get", G, "--last", "2", "--level", "error")
        self.assertEqual((r.rc, r.stdout), (0, ""), r)
        self.assertEqual(r.stderr, "apilogs: 1 events read, none passed "
                         "--grep, --exclude or --level\n")

    def test_last_then_watch(self):
        import time
        t = now_ms()
        self.put_events(G, "s1", [(t - 86400 * 1000, "old a"),
                                  (t - 86400 * 1000 + 1, "old b")])
        p = self.spawn_apilogs("get", G, "--last", "1", "--watch", "-GS",
                               "-i", "0.2")
        try:
            line = p.stdout.readline()
            self.assertEqual(line, b"old b\n")
            self.put_events(G, "s1", [(now_ms(), "new c")], create=False)
            deadline = time.time() + 30
            got = b""
            while time.time() < deadline and b"new c" not in got:
                got += p.stdout.readline()
            self.assertEqual(got, b"new c\n")
        finally:
            p.kill()
            p.wait()
            p.stdout.close()
            p.stderr.close()

    def test_note_when_query_gives_null_for_everything(self):
        self.put_events(G, "s1", [(now_ms() - 1000, '{"a":1}'),
                                  (now_ms(), '{"c":2}')])
        r = self.run_apilogs("get", G, "-q", "b")
        self.assertEqual((r.rc, r.stdout), (0, ""), r)
        self.assertEqual(r.stderr, "apilogs: 2 events read, --query gave "
                         "null for each (--query-keep-null prints them)\n")
        r = self.run_apilogs("get", G, "-q", "b", "--query-keep-null", "-GS")
        self.assertEqual((r.rc, r.stdout, r.stderr), (0, "null\nnull\n", ""),
                         r)


class TestLastInterrupted(FaultCase):
    def test_sigint_during_last_ends_quietly(self):
        import signal
        import time
        self.put_events(G, "s1", [(now_ms() - 3 * 86400 * 1000, "old")])
        # Every FilterLogEvents hangs: Ctrl-C arrives during a window.
        self.proxy.add(Rule("slow", op="FilterLogEvents", count=10**6,
                            delay=5))
        p = self.spawn_apilogs("get", G, "--last", "5")
        time.sleep(1.5)
        self.assertIsNone(p.poll())
        p.send_signal(signal.SIGINT)
        out, err = p.communicate(timeout=10)
        self.assertEqual((p.returncode, out, err), (0, b"", b""))

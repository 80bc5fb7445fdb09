# SPDX-License-Identifier: Apache-2.0
"""What users ask for (issue 16): the note on an empty window, --last,
--expand, --grep/--exclude/--level, --max-length, --event-id, the X-Ray
trace id in trace, and a bare apilogs."""

import json

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

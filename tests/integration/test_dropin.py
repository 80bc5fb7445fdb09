# SPDX-License-Identifier: Apache-2.0
"""Drop-in for awslogs and `aws logs tail` (issue 16): --format layouts and
the tail spellings, stream filters over several groups and --api-id,
group regexes and group ARNs, against moto."""

import json
from datetime import datetime, timezone

from faultcase import FaultCase
from harness import ApilogsTestCase, now_ms
from sample_api import SampleApi
import test_packaging

ACCOUNT = "123456789012"


def tail_time(ms, micro=True):
    """The time as `aws logs tail` prints it (an aware UTC datetime)."""
    d = datetime.fromtimestamp(ms / 1000.0, timezone.utc)
    return d.isoformat(timespec="microseconds") if micro else d.isoformat()


def tail_line(fmt, ms, stream, msg):
    """One line of `aws logs tail --format FMT --color off`: tail.py joins
    the fields with spaces, strips the line's end and adds a newline."""
    if fmt == "short":
        d = datetime.fromtimestamp(ms / 1000.0, timezone.utc)
        line = "%s %s" % (d.strftime("%Y-%m-%dT%H:%M:%S"), msg)
    elif fmt == "detailed":
        line = "%s %s %s" % (tail_time(ms), stream, msg)
    else:
        try:
            msg = "\n" + json.dumps(json.loads(msg), indent=4)
        except ValueError:
            pass
        line = "%s %s %s" % (tail_time(ms, micro=False), stream, msg)
    return line.rstrip() + "\n"


class TestTailFormats(ApilogsTestCase):
    def setUp(self):
        super().setUp()
        t = now_ms() - 60000
        t -= t % 1000  # whole seconds: isoformat() drops the fraction
        self.events = [(t, "s1", "plain line  "),
                       (t + 123, "s2", '{"a": [1, {"b": null}], '
                        '"c": "\u00e9", "d": 0.1}'),
                       (t + 2000, "s1", "   "),
                       (t + 3000, "s2", "[1, 2]"),
                       (t + 4000, "s1", "{not json")]
        for ts, stream, msg in self.events:
            self.put_events("/tail/app", stream, [(ts, msg)])

    def expect(self, fmt):
        return "".join(tail_line(fmt, ts, s, m)
                       for ts, s, m in sorted(self.events))

    def test_layouts_like_aws_logs_tail(self):
        for fmt in ("detailed", "short", "json"):
            r = self.run_apilogs("get", "/tail/app", "--since", "10m",
                                 "--format", fmt, "--color", "off")
            self.assertEqual(r.rc, 0, r)
            self.assertEqual(r.stdout, self.expect(fmt), fmt)
            self.assertEqual(r.stderr, "")

    def test_colour_on(self):
        r = self.run_apilogs("get", "/tail/app", "--since", "10m",
                             "--format", "short", "--color", "on")
        self.assertEqual(r.rc, 0, r)
        first = r.stdout.splitlines()[0]
        ts = self.events[0][0]
        d = datetime.fromtimestamp(ts / 1000.0, timezone.utc)
        self.assertEqual(first, "\x1b[32m%s\x1b[0m plain line" %
                         d.strftime("%Y-%m-%dT%H:%M:%S"))
        r = self.run_apilogs("get", "/tail/app", "--since", "10m",
                             "--format", "detailed", "--color=off")
        self.assertNotIn("\x1b", r.stdout)

    def test_query_then_layout(self):
        r = self.run_apilogs("get", "/tail/app", "--since", "10m",
                             "--format", "json", "-q", "a", "--color", "off")
        self.assertEqual(r.rc, 0, r)
        ts = self.events[1][0]
        self.assertIn("%s s2 \n[\n    1,\n    {\n        \"b\": null\n"
                      "    }\n]\n" % tail_time(ts, micro=False), r.stdout)

    def test_format_excludes_output(self):
        r = self.run_apilogs("get", "/tail/app", "--format", "short",
                             "-o", "json")
        self.assertEqual(r.rc, 2, r)
        self.assertEqual(r.stderr, "apilogs: --format and --output exclude "
                         "each other (try 'apilogs get --help')\n")


class TestTailStreams(ApilogsTestCase):
    def setUp(self):
        super().setUp()
        t = now_ms() - 30000
        for i, s in enumerate(["web-1", "web-2", "api-1"]):
            self.put_events("/ts/app", s, [(t + i, "from " + s)])

    def msgs(self, *args):
        r = self.run_apilogs("get", "/ts/app", "-GS", "--since", "5m", *args)
        self.assertEqual(r.rc, 0, r)
        return r.stdout.splitlines()

    def test_stream_names(self):
        self.assertEqual(self.msgs("--log-stream-names", "web-1", "api-1"),
                         ["from web-1", "from api-1"])
        self.assertEqual(self.msgs("--log-stream-names=web-2"),
                         ["from web-2"])

    def test_stream_name_prefix(self):
        self.assertEqual(self.msgs("--log-stream-name-prefix", "web-"),
                         ["from web-1", "from web-2"])
        # As aws logs tail: a prefix matching nothing prints nothing.
        self.assertEqual(self.msgs("--log-stream-name-prefix", "zzz"), [])

    def test_follow_is_watch(self):
        p = self.spawn_apilogs("get", "/ts/app", "-GS", "--since", "5m",
                               "--follow", "--log-stream-names", "api-1")
        try:
            line = p.stdout.readline()
            self.assertEqual(line, b"from api-1\n")
            self.assertIsNone(p.poll())  # still following
        finally:
            p.kill()
            p.wait()
            p.stdout.close()
            p.stderr.close()


class TestStreamRegexSeveralGroups(ApilogsTestCase):
    def setUp(self):
        super().setUp()
        t = now_ms() - 30000
        self.put_events("/m/a", "web-1", [(t, "a web-1")])
        self.put_events("/m/a", "api-1", [(t + 1, "a api-1")])
        self.put_events("/m/b", "web-2", [(t + 2, "b web-2")])
        self.put_events("/m/b", "db-1", [(t + 3, "b db-1")])
        self.put_events("/m/c", "api-2", [(t + 4, "c api-2")])

    def msgs(self, *args, rc=0):
        r = self.run_apilogs("get", "-GS", "-s", "5m", *args)
        self.assertEqual(r.rc, rc, r)
        return r.stdout.splitlines()

    def test_regex_applies_to_every_group(self):
        # The positional was read as a group name before issue 16.
        self.assertEqual(self.msgs("-g", "/m/a", "-g", "/m/b", "-g", "/m/c",
                                   "web-.*"), ["a web-1", "b web-2"])
        self.assertEqual(self.msgs("-g", "/m/a", "-g", "/m/b", "db"),
                         ["b db-1"])

    def test_per_group_regex(self):
        self.assertEqual(self.msgs("-g", "/m/a:api", "-g", "/m/b", "-g",
                                   "/m/c", "web"),
                         ["a api-1", "b web-2"])
        self.assertEqual(self.msgs("-g", "/m/a:api", "-g", "/m/c"),
                         ["a api-1", "c api-2"])

    def test_no_stream_in_any_group(self):
        r = self.run_apilogs("get", "-g", "/m/a", "-g", "/m/b", "nope.*",
                             "-s", "5m")
        self.assertEqual(r.rc, 7, r)
        self.assertEqual(r.stderr, "apilogs: No streams match your pattern "
                         "'nope.*' for the given time period.\n")

    def test_group_regex(self):
        self.assertEqual(self.msgs("-g", "/m/(a|b)"),
                         ["a web-1", "a api-1", "b web-2", "b db-1"])
        self.assertEqual(self.msgs("-g", "/m/[bc]:(db|api)"),
                         ["b db-1", "c api-2"])
        # The positional GROUP takes the same forms.
        self.assertEqual(self.msgs("/m/[ac]", "api"), ["a api-1", "c api-2"])
        # The whole name must match.
        r = self.run_apilogs("get", "-g", "/m/(x|y)", "-s", "5m")
        self.assertEqual(r.rc, 5, r)
        self.assertEqual(r.stderr,
                         "apilogs: no log group matches '/m/(x|y)'\n")
        r = self.run_apilogs("get", "-g", "/m/(a", "-s", "5m")
        self.assertEqual(r.rc, 2, r)
        self.assertEqual(r.stderr, "apilogs: bad log group regex '/m/(a': "
                         "missing closing parenthesis at offset 5\n")


class TestStreamRegexWithApi(ApilogsTestCase):
    def test_api_groups_filtered_by_stream(self):
        api = SampleApi(self.moto).build()
        t = now_ms() - 30000
        self.put_events(api.execution_group, "web-exec", [(t, "exec web")])
        self.put_events(api.execution_group, "other", [(t + 1, "exec other")])
        self.put_events("/aws/lambda/shop-orders", "web-o", [(t + 2, "orders")])
        self.put_events("/aws/lambda/shop-users", "x", [(t + 3, "users")])
        r = self.run_apilogs("get", "-a", api.api_id, "-t", "prod", "-GS",
                             "-s", "5m", "web-")
        self.assertEqual(r.rc, 0, r)
        self.assertEqual(r.stdout.splitlines(), ["exec web", "orders"])


class TestGroupArn(FaultCase):
    def setUp(self):
        super().setUp()
        t = now_ms() - 30000
        self.put_events("/arn/app", "s1", [(t, "by arn")])
        self.put_events("/arn/other", "s1", [(t + 1, "other")])
        self.arn = "arn:aws:logs:us-east-1:%s:log-group:/arn/app" % ACCOUNT

    def test_moto_ignores_identifiers(self):
        # What moto answers to a read by ARN (moto-emulator.md 3.1): the
        # group is "not found". apilogs sends the identifier and says so.
        r = self.run_apilogs("get", "-g", self.arn, "-s", "5m",
                             env={"AWS_ENDPOINT_URL": self.moto.url})
        self.assertEqual(r.rc, 5, r)
        self.assertIn(self.arn, r.stderr)

    def test_read_by_arn(self):
        self.proxy.resolve_arns = True
        for arg in (self.arn, self.arn + ":*"):
            r = self.run_apilogs("get", "-g", arg, "-g", "/arn/other",
                                 "-s", "5m", "--color", "never")
            self.assertEqual(r.rc, 0, r)
            self.assertEqual(r.stdout.splitlines(), [
                self.arn + " s1         by arn",
                "/arn/other" + " " * (len(self.arn) - 10) + " s1         other"])
        recs = [x for x in self.proxy.records() if x.ident is not None]
        self.assertTrue(recs)
        self.assertTrue(all(x.ident == self.arn for x in recs))
        # A stream regex lists the streams by identifier too.
        self.proxy.log.clear()
        r = self.run_apilogs("get", self.arn + ":*:s", "-GS", "-s", "5m")
        self.assertEqual((r.rc, r.stdout), (0, "by arn\n"), r)
        listed = self.proxy.records("DescribeLogStreams")
        self.assertEqual([x.ident for x in listed], [self.arn])
        # The note on an empty window asks for the newest stream by ARN.
        self.proxy.log.clear()
        r = self.run_apilogs("get", self.arn, "-s", "1d", "-e", "23h")
        self.assertEqual((r.rc, r.stdout), (0, ""), r)
        self.assertIn("the newest event", r.stderr)
        listed = self.proxy.records("DescribeLogStreams")
        self.assertEqual([x.ident for x in listed], [self.arn])

    def test_arn_of_another_region(self):
        arn = "arn:aws:logs:eu-west-1:%s:log-group:/arn/app" % ACCOUNT
        r = self.run_apilogs("get", "-g", arn, "-s", "5m")
        self.assertEqual(r.rc, 2, r)
        self.assertEqual(r.stderr, "apilogs: log group '%s' is in region "
                         "eu-west-1; apilogs reads us-east-1 (give --region "
                         "eu-west-1)\n" % arn)

    def test_bad_arn(self):
        r = self.run_apilogs("get", "-g", "arn:aws:logs:us-east-1:1:x",
                             "-s", "5m")
        self.assertEqual(r.rc, 2, r)
        self.assertIn("bad log group ARN", r.stderr)


class TestDropinCompletion(test_packaging.CompletionCase):
    complete = test_packaging.TestBashCompletion.complete

    def test_values(self):
        r = self.complete("apilogs get --format ", "apilogs get --color=o",
                          "apilogs get --fol", "apilogs get --log-stream-n",
                          "apilogs get --since ")
        self.assertEqual(r[0], ["detailed", "short", "json"])
        self.assertEqual(r[1], ["on", "off"])
        self.assertEqual(r[2], ["--follow-mode", "--follow"])
        self.assertEqual(r[3], ["--log-stream-names",
                                "--log-stream-name-prefix"])
        self.assertIn("1h", r[4])

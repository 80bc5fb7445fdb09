# SPDX-License-Identifier: Apache-2.0
"""Terminal safety of names (issue 13): group and stream names, API names,
request ids and echoed arguments are escaped in text output and on stderr
like messages are, so no name from AWS or the command line can send a
control sequence to the terminal."""

import os
import re

from harness import ApilogsTestCase, now_ms
from sample_api import SampleApi, log_arn

# What a terminal may act on: C0 controls but TAB and LF, DEL, and the C1
# controls U+0080-U+009F (C2 80 to C2 9F in UTF-8).
RAW_CONTROL = re.compile(rb"[\x00-\x08\x0b-\x1f\x7f]|\xc2[\x80-\x9f]")

ESC = "\x1b[31m"
CSI = "\u009b2J"  # the one-character CSI
BEL = "\x07"
DEL = "\x7f"
GROUP = "/names/g" + ESC + CSI + BEL + DEL
STREAM = "s" + ESC + CSI + BEL + DEL + "\nsecond-line"
# Invalid UTF-8 (a lone C1 byte, a truncated sequence) can only come from
# the command line: the AWS APIs speak JSON, which is always UTF-8.
BAD_UTF8 = os.fsdecode(b"/x\x9b\xe2\x82")


class TestNamesEscaped(ApilogsTestCase):
    def setUp(self):
        super().setUp()
        self.t0 = now_ms() - 600000
        self.rid = "6f1c3a2e-7f4b-4c1d-9e2a-0123456789ab"
        self.put_events(GROUP, STREAM, [
            (self.t0, "START RequestId: %s Version: $LATEST" % self.rid),
            (self.t0 + 5, "hello"),
            (self.t0 + 9, "END RequestId: %s" % self.rid),
            (self.t0 + 9, "REPORT RequestId: %s\tDuration: 8.00 ms\t"
             "Billed Duration: 9 ms\tMemory Size: 128 MB\t"
             "Max Memory Used: 70 MB" % self.rid)])

    def assertTerminalSafe(self, r):
        for name, data in (("stdout", r.out), ("stderr", r.err)):
            m = RAW_CONTROL.search(data)
            self.assertIsNone(m, "raw control byte on %s at %d: %r" % (
                name, m.start() if m else 0, data[:1000]))
            data.decode("utf-8")  # invalid UTF-8 is escaped too

    def test_groups(self):
        r = self.run_apilogs("groups")
        self.assertEqual(r.rc, 0, r)
        self.assertTerminalSafe(r)
        self.assertIn("/names/g\\x1b[31m\\u009b2J\\x07\\x7f\n", r.stdout)

    def test_streams(self):
        r = self.run_apilogs("streams", GROUP, "-s", "1h")
        self.assertEqual(r.rc, 0, r)
        self.assertTerminalSafe(r)
        # One line per stream, even when the name holds a newline.
        self.assertEqual(
            r.stdout, "s\\x1b[31m\\u009b2J\\x07\\x7f\\x0asecond-line\n")

    def test_get_columns(self):
        r = self.run_apilogs("get", GROUP, "-s", "1h", "--no-color")
        self.assertEqual(r.rc, 0, r)
        self.assertTerminalSafe(r)
        lines = r.stdout.splitlines()
        self.assertEqual(len(lines), 4, r)
        self.assertTrue(lines[1].startswith(
            "/names/g\\x1b[31m\\u009b2J\\x07\\x7f "
            "s\\x1b[31m\\u009b2J\\x07\\x7f\\x0asecond-line hello"), lines)

    def test_get_columns_raw_still_escapes_names(self):
        # --raw is for messages; names stay escaped.
        r = self.run_apilogs("get", GROUP, "-s", "1h", "--raw")
        self.assertEqual(r.rc, 0, r)
        self.assertTerminalSafe(r)

    def test_trace(self):
        r = self.run_apilogs("trace", self.rid, "-g", GROUP, "-s", "1h",
                             "--no-color")
        self.assertEqual(r.rc, 0, r)
        self.assertTerminalSafe(r)
        self.assertIn("Lambda      /names/g\\x1b[31m\\u009b2J\\x07\\x7f " +
                      self.rid, r.stdout)

    def test_sources(self):
        api = SampleApi(self.moto, name="shop" + ESC + CSI + BEL).build()
        access = "/access" + ESC + CSI + DEL
        self.logs.create_log_group(logGroupName=access)
        self.moto.client("apigateway").update_stage(
            restApiId=api.api_id, stageName="prod", patchOperations=[
                {"op": "replace",
                 "path": "/accessLogSettings/destinationArn",
                 "value": log_arn(access)}])
        r = self.run_apilogs("sources", "-a", api.api_id, "-t", "prod")
        self.assertEqual(r.rc, 0, r)
        self.assertTerminalSafe(r)
        self.assertIn("(shop\\x1b[31m\\u009b2J\\x07)", r.stdout)
        # Not a valid log group name: discovery warns, and echoes it.
        self.assertIn("/access\\x1b[31m\\u009b2J\\x7f'", r.stderr)

    def test_errors_echo_arguments_escaped(self):
        cases = [
            ("get", "-g", "/missing" + ESC + CSI + BEL, "-s", "1h"),
            ("get", "-g", BAD_UTF8, "-s", "1h"),
            ("streams", "/missing" + ESC + DEL),
            ("get", GROUP, "-s", "\x1b]0;title" + BEL),
            ("get", GROUP, "--bogus" + CSI),
            ("trace", self.rid, "-g", "/missing" + CSI, "-s", "1h"),
            ("get", GROUP, "-s", "1h", "--stream", "nomatch" + ESC),
        ]
        for args in cases:
            with self.subTest(args=args):
                r = self.run_apilogs(*args)
                self.assertNotEqual(r.rc, 0, r)
                self.assertTerminalSafe(r)
                self.assertEqual(len(r.err.splitlines()), 1, r)
        r = self.run_apilogs("get", "-g", BAD_UTF8, "-s", "1h")
        self.assertIn("/x\\x9b\\xe2\\x82", r.stderr)

# SPDX-License-Identifier: Apache-2.0
"""Command-line basics of the real binary."""

from harness import ApilogsTestCase


class TestVersion(ApilogsTestCase):
    def test_version(self):
        r = self.run_apilogs("--version")
        self.assertEqual(r.rc, 0, r)
        self.assertRegex(r.stdout, r"^apilogs \d+\.\d+\.\d+\n$")
        self.assertEqual(r.stderr, "")

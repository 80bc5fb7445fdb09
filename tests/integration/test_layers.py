# SPDX-License-Identifier: Apache-2.0
"""scripts/layers.sh: the check that keeps includes pointing down."""

import os
import shutil
import subprocess
import tempfile
import unittest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))
SCRIPT = os.path.join(ROOT, "scripts", "layers.sh")


class TestLayers(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="apilogs-layers-")
        shutil.copytree(os.path.join(ROOT, "src"),
                        os.path.join(self.tmp, "src"))

    def tearDown(self):
        shutil.rmtree(self.tmp)

    def check(self):
        return subprocess.run(["sh", SCRIPT, self.tmp], capture_output=True,
                              text=True, timeout=120)

    def append(self, rel, line):
        with open(os.path.join(self.tmp, "src", rel), "a") as f:
            f.write(line + "\n")

    def test_tree_is_layered(self):
        r = self.check()
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertRegex(r.stdout, r"layers: \d+ files, \d+ includes, ok")

    def test_upward_include_fails(self):
        self.append("logs/engine.c", '#include "cli/out.h"')
        r = self.check()
        self.assertEqual(r.returncode, 1)
        self.assertIn('src/logs/engine.c (logs) includes "cli/out.h" from '
                      'a later layer (cli)', r.stdout)

    def test_creds_below_aws_fails(self):
        self.append("aws/aws.c", '#include "aws/creds/creds.h"')
        r = self.check()
        self.assertEqual(r.returncode, 1)
        self.assertIn("from a later layer (aws/creds)", r.stdout)

    def test_include_without_folder_fails(self):
        self.append("core/buf.c", '#include "xmalloc.h"')
        r = self.check()
        self.assertEqual(r.returncode, 1)
        self.assertIn("without its folder", r.stdout)

    def test_same_and_lower_layer_pass(self):
        self.append("cli/out.c", '#include "core/buf.h"')
        self.append("trace/corr.c", '#include "trace/logline.h"')
        r = self.check()
        self.assertEqual(r.returncode, 0, r.stdout)


if __name__ == "__main__":
    unittest.main()

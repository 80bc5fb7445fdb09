# SPDX-License-Identifier: Apache-2.0
"""Run the integration suite and print "RESULT passed failed"."""

import os
import sys
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import harness  # noqa: E402  (fails loudly when moto/boto3 are missing)


def main():
    pattern = os.environ.get("APILOGS_IT_PATTERN", "test_*.py")
    suite = unittest.defaultTestLoader.discover(HERE, pattern=pattern)
    runner = unittest.TextTestRunner(verbosity=2, stream=sys.stdout)
    result = runner.run(suite)
    failed = len(result.failures) + len(result.errors) + \
        len(result.unexpectedSuccesses)
    passed = result.testsRun - failed - len(result.skipped)
    if result.skipped:
        # A skipped test is a test that did not run: count it as failed.
        failed += len(result.skipped)
    harness.moto_server  # keep the import used
    print("RESULT %d %d" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

# SPDX-License-Identifier: Apache-2.0
"""The bad input catalogue (issue 8): bad invocations of the real binary,
table-driven. Each must end in bounded time with the documented exit code
(0 success; 1 AWS/network; 2 usage; 3 bad time; 4 credentials/access;
5 not found; 7 no stream matches), exactly one line on stderr starting
with 'apilogs:' and nothing on stdout.

Cases that answer from the service go through the fault proxy, so that
access errors and endless failures can be scripted.
"""

import os
import shutil
import socket
import subprocess
import tempfile
import time

from faultcase import FaultCase, now_ms
from faultproxy import Rule
from harness import APILOGS, Result, valgrind_prefix

USAGE, AWS, TIME, CREDS, NOTFOUND, NOSTREAM = 2, 1, 3, 4, 5, 7

# (name, argv, exit code, a piece of the message or None, environment:
# a dict of overrides, None values unset the variable).
CASES = [
    # Options.
    ("unknown option", ["--bogus"], USAGE, "unknown option '--bogus'", {}),
    ("unknown option after command", ["get", "/g", "--bogus"], USAGE,
     "try 'apilogs get --help'", {}),
    ("misspelt option", ["get", "/g", "--wacth"], USAGE,
     "did you mean '--watch'", {}),
    ("unknown short option", ["get", "/g", "-x"], USAGE,
     "unknown option '-x'", {}),
    ("option of another command", ["groups", "--watch"], USAGE,
     "does not apply to 'groups'", {}),
    ("short option of another command", ["streams", "/g", "-f", "x"],
     USAGE, "does not apply to 'streams'", {}),
    ("value given to a flag", ["get", "/g", "--no-group=1"], USAGE,
     "takes no value", {}),
    ("value given to --no-color", ["get", "/g", "--no-color=x"], USAGE,
     "takes no value", {}),
    ("missing value, short", ["get", "/g", "-s"], USAGE, "needs a value",
     {}),
    ("missing value, long", ["get", "/g", "--start"], USAGE,
     "needs a value", {}),
    ("missing group value", ["get", "/g", "-g"], USAGE, "needs a value",
     {}),
    ("missing prefix value", ["groups", "--log-group-prefix"], USAGE,
     "needs a value", {}),
    ("missing request id value", ["get", "/g", "--request-id"], USAGE,
     "needs a value", {}),
    # Numbers.
    ("interval not a number", ["get", "/g", "-i", "abc"], USAGE,
     "--watch-interval 'abc'", {}),
    ("interval zero", ["get", "/g", "-i", "0"], USAGE, "too small", {}),
    ("interval too small", ["get", "/g", "-i", "0.05"], USAGE,
     "too small", {}),
    ("interval negative", ["get", "/g", "-i", "-1"], USAGE, "invalid", {}),
    ("interval overflows", ["get", "/g", "-i", "1e999"], USAGE, "invalid",
     {}),
    ("max-rps zero", ["get", "/g", "--max-rps", "0"], USAGE,
     "--max-rps '0'", {}),
    ("max-rps not a number", ["get", "/g", "--max-rps", "zero"], USAGE,
     "--max-rps 'zero'", {}),
    ("hold-back not a number", ["get", "/g", "--hold-back", "x"], USAGE,
     "--hold-back 'x'", {}),
    ("overlap negative", ["get", "/g", "--overlap", "-3"], USAGE,
     "--overlap '-3'", {}),
    ("slices zero", ["get", "/g", "--slices", "0"], USAGE,
     "--slices '0'", {}),
    ("page size too large", ["get", "/g", "--page-size", "20000"], USAGE,
     "too large", {}),
    ("read timeout zero", ["get", "/g", "--cli-read-timeout", "0"], USAGE,
     "--cli-read-timeout '0'", {}),
    ("connect timeout not a number",
     ["groups", "--cli-connect-timeout", "abc"], USAGE,
     "--cli-connect-timeout 'abc'", {}),
    # Time expressions.
    ("month (awslogs reads minutes)", ["get", "/g", "-s", "1month"], TIME,
     "cannot read '1month' as a time", {}),
    ("zone name dateutil ignores", ["get", "/g", "-e", "12 dec 2023 EST"],
     TIME, "cannot read '12 dec 2023 EST' as a time", {}),
    ("impossible date", ["get", "/g", "-s", "2024-13-45"], TIME,
     "cannot read '2024-13-45'", {}),
    ("february 30th, local", ["get", "/g", "--local", "-s", "2024-02-30"],
     TIME, "cannot read '2024-02-30'", {}),
    ("POSIX zone sign", ["get", "/g", "-s", "2016-08-31 10:23 UTC-8"],
     TIME, "cannot read '2016-08-31 10:23 UTC-8'", {}),
    ("end before start", ["get", "/g", "-s", "1h", "-e", "2h"], TIME,
     "is before the start time", {}),
    ("end before start, watching", ["get", "/g", "-w", "-s", "1h", "-e",
                                    "2h"], TIME, "before the start", {}),
    ("start in the future, read ending now",
     ["get", "/g", "-s", "2999-01-01"], TIME, "is in the future", {}),
    ("trace in a missing group",
     ["trace", "abc", "-g", "/missing-group"], NOTFOUND,
     "(log group '/missing-group' does not exist", {}),
    ("trace in a missing and an empty group",
     ["trace", "abc", "-g", "/missing-group", "-g", "/g"], NOTFOUND,
     "not found in /missing-group, /g", {}),
    ("bad time for streams", ["streams", "/g", "-s", "bogus"], TIME,
     "cannot read 'bogus'", {}),
    ("bad time for trace", ["trace", "abc", "-g", "/g", "-s", "bogus"],
     TIME, "cannot read 'bogus'", {}),
    # Commands and arguments.
    # No command at all prints the short help too: test_everyday.py.
    ("unknown command", ["frobnicate"], USAGE,
     "unknown command 'frobnicate'", {}),
    ("misspelt command", ["gropus"], USAGE, "did you mean 'groups'", {}),
    ("help for an unknown command", ["help", "frobnicate"], USAGE,
     "no help for 'frobnicate'", {}),
    ("help with two topics", ["help", "get", "extra"], USAGE,
     "unexpected argument 'extra'", {}),
    ("version with a stray word", ["--version", "extra"], USAGE,
     "unknown command 'extra'", {}),
    ("get without a group", ["get"], USAGE, "get needs a log group", {}),
    ("empty group name", ["get", ""], USAGE, "empty log group name", {}),
    ("empty --group", ["get", "-g", ""], USAGE, "empty log group name", {}),
    ("streams without a group", ["streams"], USAGE,
     "streams needs a log group", {}),
    ("extra argument to groups", ["groups", "extra"], USAGE,
     "unexpected argument 'extra'", {}),
    ("extra argument to streams", ["streams", "/g", "extra"], USAGE,
     "unexpected argument 'extra'", {}),
    ("third argument to get", ["get", "/g", "s", "extra"], USAGE,
     "unexpected argument 'extra'", {}),
    ("unknown output format", ["get", "/g", "-o", "xml"], USAGE,
     "--output 'xml'", {}),
    ("unknown colour", ["get", "/g", "--color=sometimes"], USAGE,
     "--color 'sometimes'", {}),
    ("stage without an API", ["get", "--stage", "prod", "/g"], USAGE,
     "--stage needs --api-id", {}),
    ("trace without a request id", ["trace"], USAGE,
     "trace needs a request id", {}),
    ("trace with nowhere to look", ["trace", "abc"], USAGE,
     "trace needs an API", {}),
    ("sources without an API", ["sources"], USAGE,
     "sources needs --api-id", {}),
    # Patterns and queries.
    ("bad stream regex", ["get", "/g", "A["], USAGE,
     "bad stream pattern 'A['", {}),
    ("bad named group", ["get", "/g", "(?<"], USAGE, "bad stream pattern",
     {}),
    ("bad JMESPath", ["get", "/g", "-q", "foo[[["], USAGE,
     "--query 'foo[[['", {}),
    ("empty JMESPath", ["get", "/g", "-q", ""], USAGE, "--query ''", {}),
    # Not found, no match.
    ("unknown group", ["get", "/nope"], NOTFOUND,
     "log group '/nope' does not exist", {}),
    ("unknown group, streams", ["streams", "/nope"], NOTFOUND,
     "log group '/nope' does not exist", {}),
    ("unknown group among several", ["get", "-g", "/g", "-g", "/nope"],
     NOTFOUND, "log group '/nope' does not exist", {}),
    ("no group matches a prefix", ["get", "-g", "/nomatch*"], NOTFOUND,
     "no log group matches '/nomatch*'", {}),
    ("unknown request id", ["trace", "abc", "-g", "/g"], NOTFOUND,
     "request 'abc' not found", {}),
    ("no stream matches a regex", ["get", "/g", "foo.*"], NOSTREAM,
     "No streams match your pattern 'foo.*'", {}),
    ("no stream has a prefix", ["get", "/g", "Z"], NOSTREAM,
     "No streams match your pattern 'Z'", {}),
    # Region, credentials, endpoint.
    ("no region", ["groups"], CREDS, "no region", {"AWS_REGION": None}),
    ("empty region", ["--region", "", "groups"], CREDS, "region",
     {"AWS_REGION": None}),
    ("no credentials", ["groups"], CREDS, "unable to locate credentials",
     {"AWS_ACCESS_KEY_ID": None, "AWS_SECRET_ACCESS_KEY": None}),
    ("access key without secret", ["groups"], CREDS,
     "missing: AWS_SECRET_ACCESS_KEY", {"AWS_SECRET_ACCESS_KEY": None}),
    ("key on the command line, no secret",
     ["--aws-access-key-id", "AK", "groups"], CREDS,
     "missing: --aws-secret-access-key", {}),
    ("unknown profile", ["--profile", "nope", "groups"], CREDS,
     "the config profile (nope) could not be found", {}),
    ("unknown profile from the environment", ["groups"], CREDS,
     "the config profile (nope) could not be found",
     {"AWS_PROFILE": "nope"}),
    ("bad AWS_MAX_ATTEMPTS", ["groups"], CREDS,
     "AWS_MAX_ATTEMPTS: value 'abc' is invalid",
     {"AWS_MAX_ATTEMPTS": "abc"}),
    ("endpoint with another scheme", ["groups", "--endpoint-url",
                                      "ftp://x"], USAGE,
     "unsupported scheme 'ftp'", {}),
    ("endpoint without a host", ["groups", "--endpoint-url", "http://"],
     USAGE, "empty host", {}),
    ("endpoint that is not a URL", ["groups", "--endpoint-url",
                                    "not-a-url"], USAGE, "no scheme", {}),
    ("malformed endpoint from the environment", ["get", "/g"], USAGE,
     "unsupported scheme", {"AWS_ENDPOINT_URL": "ftp://x"}),
]

# The shared config and credentials files (written to the private HOME;
# AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE point there):
# (name, argv, exit code, piece, environment, {file: text}).
NO_KEYS = {"AWS_ACCESS_KEY_ID": None, "AWS_SECRET_ACCESS_KEY": None}
ROLE = "role_arn = arn:aws:iam::123456789012:role/r\n"
CONFIG_CASES = [
    ("config section not closed", ["groups"], CREDS,
     "config:1: line before any [section]", {},
     {"config": "[default\nregion = us-east-1\n"}),
    ("config line without '='", ["groups"], CREDS,
     "config:2: line is neither [section] nor 'key = value'", {},
     {"config": "[default]\nregion us-east-1\n"}),
    ("config with a NUL byte", ["groups"], CREDS, "config:1: NUL byte", {},
     {"config": "[default]\x00\nregion = us-east-1\n"}),
    ("credentials file malformed", ["groups"], CREDS,
     "credentials:1: line before any [section]", NO_KEYS,
     {"credentials": "aws_access_key_id = x\n[default\n"}),
    ("profile with no credentials", ["--profile", "p", "groups"], CREDS,
     "unable to locate credentials", NO_KEYS,
     {"config": "[profile p]\nregion = us-east-1\n"}),
    ("source_profile loop", ["--profile", "p", "groups"], CREDS,
     "infinite loop in credential configuration", NO_KEYS,
     {"config": "[profile p]\nsource_profile = p\n" + ROLE}),
    ("source_profile missing", ["--profile", "p", "groups"], CREDS,
     'the source_profile "q" referenced in the profile "p" does not exist',
     NO_KEYS, {"config": "[profile p]\nsource_profile = q\n" + ROLE}),
    ("credential_process fails", ["--profile", "p", "groups"], CREDS,
     "credential_process /bin/false exited with status 1", NO_KEYS,
     {"config": "[profile p]\ncredential_process = /bin/false\n"}),
    ("credential_process not found", ["--profile", "p", "groups"], CREDS,
     "cannot run /nonexistent/helper", NO_KEYS,
     {"config": "[profile p]\ncredential_process = /nonexistent/helper\n"}),
    ("credential_process prints no JSON", ["--profile", "p", "groups"],
     CREDS, "printed invalid JSON", NO_KEYS,
     {"config": "[profile p]\ncredential_process = /bin/echo nope\n"}),
    ("SSO profile never logged in", ["--profile", "p", "groups"], CREDS,
     "run `aws sso login --profile p`", NO_KEYS,
     {"config": "[profile p]\nsso_start_url = https://x.awsapps.com/start"
                "\nsso_region = us-east-1\nsso_account_id = 123456789012\n"
                "sso_role_name = r\n"}),
]

# An API Gateway REST API that exists but was never deployed ({api}).
API_CASES = [
    ("unknown API", ["get", "-a", "nope"], NOTFOUND,
     "no REST, HTTP or WebSocket API has the id 'nope'"),
    ("unknown API, sources", ["sources", "-a", "nope"], NOTFOUND,
     "has the id 'nope'"),
    ("unknown API, trace", ["trace", "abc", "-a", "nope"], NOTFOUND,
     "has the id 'nope'"),
    ("unknown stage", ["get", "-a", "{api}", "-t", "nope"], NOTFOUND,
     "has no stage 'nope'"),
    ("unknown stage, sources", ["sources", "-a", "{api}", "-t", "nope"],
     NOTFOUND, "has no stage 'nope'"),
    ("API never deployed", ["get", "-a", "{api}"], NOTFOUND,
     "has no stage (it was never deployed)"),
]

# Answers scripted at the proxy: (name, argv, rules, exit code, piece).
SERVICE_CASES = [
    ("access denied", ["groups"],
     lambda: [Rule("error", op="DescribeLogGroups", status=400,
                   code="AccessDeniedException", count=None,
                   message="User: x is not authorized")],
     CREDS, "AccessDeniedException: User: x is not authorized"),
    ("unknown access key", ["get", "/g"],
     lambda: [Rule("error", status=400, code="UnrecognizedClientException",
                   count=None, message="The security token included in "
                   "the request is invalid.")],
     CREDS, "UnrecognizedClientException"),
    ("expired token", ["streams", "/g"],
     lambda: [Rule("expired", op="DescribeLogStreams", count=None)],
     CREDS, "ExpiredTokenException"),
    ("invalid parameter", ["get", "/g"],
     lambda: [Rule("error", status=400, code="InvalidParameterException",
                   count=None, message="bad")],
     AWS, "InvalidParameterException: bad"),
    ("throttled for good", ["groups"],
     lambda: [Rule("throttle", op="DescribeLogGroups", count=None)],
     AWS, "ThrottlingException: Rate exceeded"),
    ("server errors for good", ["get", "/g", "s[0-9]"],
     lambda: [Rule("http", op="DescribeLogStreams", status=503,
                   count=None)],
     AWS, "ServiceUnavailableException"),
    ("connection resets for good", ["get", "-g", "/g*"],
     lambda: [Rule("reset_before", op="DescribeLogGroups", count=None)],
     AWS, "connection reset"),
    ("no answer within the read timeout", ["groups", "--cli-read-timeout",
                                           "0.5"],
     lambda: [Rule("slow", op="DescribeLogGroups", delay=30, count=None)],
     AWS, "timed out"),
]


def split_env(env):
    """Overrides and names to unset (None values)."""
    return ({k: v for k, v in env.items() if v is not None},
            [k for k, v in env.items() if v is None])


class TestBadInput(FaultCase):
    page_limit = None

    def setUp(self):
        super().setUp()
        self.put_events("/g", "s", [(now_ms() - 1000, "x")])

    def write_files(self, files):
        for name in ("config", "credentials"):
            path = os.path.join(self.home, name)
            if os.path.exists(path):
                os.unlink(path)
            if name in files:
                with open(path, "w") as f:
                    f.write(files[name])

    def check(self, name, args, rc, needle, env=None, unset=(),
              limit=10):
        r = self.run_apilogs(*args, env=env, unset=unset, timeout=30)
        with self.subTest(name):
            self.assertEqual(r.rc, rc, (name, args, r))
            self.assertEqual(r.out, b"", (name, r))
            lines = r.stderr.splitlines()
            self.assertEqual(len(lines), 1, (name, args, r))
            self.assertTrue(lines[0].startswith("apilogs: "), (name, r))
            if needle is not None:
                self.assertIn(needle, lines[0], (name, r))
            self.assertLess(r.elapsed, limit, (name, r))
        return r

    def test_catalogue(self):
        names = [c[0] for c in CASES + CONFIG_CASES + API_CASES +
                 SERVICE_CASES]
        self.assertGreaterEqual(len(names), 40)
        self.assertEqual(len(names), len(set(names)))
        for name, args, rc, needle, env in CASES:
            self.check(name, args, rc, needle, *split_env(env))

    def test_config_files(self):
        for name, args, rc, needle, env, files in CONFIG_CASES:
            self.write_files(files)
            self.check(name, args, rc, needle, *split_env(env))

    def test_unreadable_config(self):
        """A config file the user may not read is skipped, as the AWS CLI
        does: credentials from the environment still work (issue 13), and
        a profile only it could hold is one error line naming it. Run as
        an unprivileged user when the suite runs as root (root reads a
        mode 000 file)."""
        home = tempfile.mkdtemp(prefix="apilogs-unreadable-")
        self.addCleanup(shutil.rmtree, home, True)
        os.chmod(home, 0o755)
        config = os.path.join(home, "config")
        with open(config, "w") as f:
            f.write("[profile p]\nregion = us-east-1\n")
        os.chmod(config, 0)
        env = self.base_env()
        env.update(HOME=home, AWS_CONFIG_FILE=config,
                   AWS_SHARED_CREDENTIALS_FILE=os.path.join(home, "c"))
        for extra, rc in (([], 0), (["--profile", "p"], CREDS)):
            cmd = valgrind_prefix() + [APILOGS] + extra + ["groups"]
            if os.geteuid() == 0:
                cmd = ["setpriv", "--reuid=65534", "--regid=65534",
                       "--clear-groups"] + cmd
            t0 = time.time()
            p = subprocess.run(cmd, env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, timeout=30,
                               stdin=subprocess.DEVNULL)
            r = Result(p.returncode, p.stdout, p.stderr, time.time() - t0)
            self.assertEqual(r.rc, rc, r)
            if rc == 0:
                self.assertEqual(r.err, b"", r)
                continue
            self.assertEqual(r.out, b"", r)
            self.assert_one_error_line(
                r, "the config profile (p) could not be found (skipped "
                + config + ": Permission denied)")

    def test_api_not_found(self):
        api = self.moto.client("apigateway").create_rest_api(
            name="never-deployed")["id"]
        for name, args, rc, needle in API_CASES:
            args = [a.format(api=api) for a in args]
            self.check(name, args, rc, needle)

    def test_service_answers(self):
        for name, args, rules, rc, needle in SERVICE_CASES:
            self.proxy.clear()
            self.proxy.add(*rules())
            self.check(name, args, rc, needle)

    def test_unreachable_endpoint(self):
        """A closed loopback port (bound, never listening): connections
        are refused; exit 1 after the retries, in bounded time."""
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            url = "http://127.0.0.1:%d" % s.getsockname()[1]
            for args in (["groups"], ["get", "/g"], ["streams", "/g"],
                         ["get", "/g", "-w"]):
                t0 = time.time()
                r = self.check("unreachable: %s" % args[0], args, AWS,
                               "cannot connect",
                               env={"AWS_ENDPOINT_URL": url}, limit=8)
                self.assertLess(time.time() - t0, 8, r)

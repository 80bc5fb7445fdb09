# SPDX-License-Identifier: Apache-2.0
"""Credentials, region and endpoints exactly like the AWS CLI (issue 3).

Every provider of the chain is driven through the real binary: static keys,
environment, profiles, assume role through source_profile and web identity
against moto's STS, credential_process with a script, and SSO, container
and instance-metadata endpoints served by small loopback http.server
instances started here. `apilogs groups` is the probe: it prints log group
names, and -v prints the provider, region and endpoint lines on stderr.
"""

import http.server
import json
import os
import re
import signal
import stat
import threading
import time
import unittest
import urllib.parse

from harness import ACCOUNT, ApilogsTestCase, Moto

KEYS = ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN",
        "AWS_SECURITY_TOKEN")
ROLE = "arn:aws:iam::%s:role/reader" % ACCOUNT


def alive(pid):
    """Is pid a process that has not exited (zombies count as gone)?"""
    try:
        with open("/proc/%d/stat" % pid) as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def iso(ts):
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(ts))


class Loopback:
    """A tiny HTTP server on 127.0.0.1 answering from a routes table.

    routes maps "METHOD /path" (query stripped) to (status, body) or to a
    function taking the handler and returning (status, body). Every request
    is recorded as (method, path with query, headers dict).
    """

    def __init__(self, routes):
        self.routes = routes
        self.requests = []
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def _serve(self):
                n = int(self.headers.get("Content-Length") or 0)
                if n:
                    self.rfile.read(n)
                outer.requests.append(
                    (self.command, self.path,
                     {k.lower(): v for k, v in self.headers.items()}))
                key = "%s %s" % (self.command, self.path.split("?")[0])
                route = outer.routes.get(key, (404, "not found"))
                if callable(route):
                    route = route(self)
                status, body = route
                data = body.encode() if isinstance(body, str) else body
                self.send_response(status)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_PUT = do_POST = _serve

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0),
                                                      Handler)
        self.thread = threading.Thread(target=self.server.serve_forever,
                                       daemon=True)
        self.thread.start()

    @property
    def url(self):
        return "http://127.0.0.1:%d" % self.server.server_address[1]

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


class CredsTestCase(ApilogsTestCase):
    def setUp(self):
        super().setUp()
        self.logs.create_log_group(logGroupName="/creds/probe")

    def write(self, rel, text, mode=0o600):
        path = os.path.join(self.home, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as f:
            f.write(text)
        os.chmod(path, mode)
        return path

    def config(self, text):
        return self.write("config", text)

    def credentials(self, text):
        return self.write("credentials", text)

    def script(self, rel, body):
        return self.write(rel, "#!/bin/sh\n" + body, 0o700)

    def groups(self, *args, env=None, unset=KEYS, **kw):
        """Run `groups` without the harness's env keys unless asked."""
        return self.run_apilogs(*args, "groups", env=env, unset=unset, **kw)

    def assert_probe(self, r):
        self.assertEqual(r.rc, 0, r)
        self.assertEqual(r.stdout, "/creds/probe\n")

    def assert_verbose(self, r, line):
        self.assertIn("apilogs: " + line + "\n", r.stderr, r)

    def assert_error(self, r, *needles):
        """Exit 4, nothing on stdout, exactly one line on stderr."""
        self.assertEqual(r.rc, 4, r)
        self.assertEqual(r.stdout, "", r)
        lines = r.stderr.splitlines()
        self.assertEqual(len(lines), 1, r)
        self.assertTrue(lines[0].startswith("apilogs: "), r)
        for n in needles:
            self.assertIn(n, lines[0])


class TestStaticAndEnv(CredsTestCase):
    def test_env(self):
        r = self.run_apilogs("-v", "groups")
        self.assert_probe(r)
        self.assert_verbose(r, "credentials: env")
        self.assert_verbose(r, "region us-east-1 (AWS_REGION)")
        self.assert_verbose(r, "logs endpoint %s (AWS_ENDPOINT_URL)"
                            % self.moto.url)

    def test_security_token_and_explicit_flags(self):
        r = self.run_apilogs("-v", "groups", env={
            "AWS_SECURITY_TOKEN": "legacy-token-value"})
        self.assert_probe(r)
        r = self.run_apilogs("-v", "--aws-access-key-id", "AKIAFLAG",
                             "--aws-secret-access-key", "flag-secret",
                             "groups")
        self.assert_probe(r)
        self.assert_verbose(r, "credentials: explicit")

    def test_config_file_static_keys_and_region(self):
        self.config("[profile dev]\nregion = eu-west-1\n"
                    "aws_access_key_id = AKIADEV\n"
                    "aws_secret_access_key = dev-secret\n")
        self.logs_eu = self.moto.client("logs", region="eu-west-1")
        self.logs_eu.create_log_group(logGroupName="/creds/eu")
        r = self.groups("-v", "--profile", "dev",
                        unset=KEYS + ("AWS_REGION",))
        self.assertEqual((r.rc, r.stdout), (0, "/creds/eu\n"), r)
        self.assert_verbose(r, "credentials: config-file (profile dev)")
        self.assert_verbose(r, "region eu-west-1 (profile dev)")
        self.assert_verbose(r, "profile dev (--profile)")

    def test_credentials_file_wins_and_aws_profile(self):
        self.config("[profile dev]\naws_access_key_id = AKIACONFIG\n"
                    "aws_secret_access_key = config-secret\n")
        self.credentials("[dev]\naws_access_key_id = AKIACREDS\n"
                         "aws_secret_access_key = creds-secret\n")
        r = self.groups("-v", env={"AWS_PROFILE": "dev"})
        self.assert_probe(r)
        self.assert_verbose(r, "credentials: shared-credentials-file "
                            "(profile dev)")
        self.assert_verbose(r, "profile dev (AWS_PROFILE)")
        # AWS_PROFILE picks the profile, but env keys still win...
        r = self.run_apilogs("-v", "groups", env={"AWS_PROFILE": "dev"})
        self.assert_verbose(r, "credentials: env")
        # ... while --profile turns the environment provider off.
        r = self.run_apilogs("-v", "--profile", "dev", "groups")
        self.assert_verbose(r, "credentials: shared-credentials-file "
                            "(profile dev)")

    def test_long_session_token(self):
        token = ("IQoJb3JpZ2luX2VjE" * 80)[:1200]
        self.credentials("[default]\naws_access_key_id = ASIALONG\n"
                         "aws_secret_access_key = long-secret\n"
                         "aws_session_token = %s\n" % token)
        r = self.groups("-vvv")
        self.assert_probe(r)
        self.assertNotIn(token, r.stderr)

    def test_services_section_endpoint(self):
        self.config("[default]\nservices = local\n"
                    "endpoint_url = http://127.0.0.1:1\n"
                    "[services local]\ncloudwatch_logs =\n"
                    "  endpoint_url = %s\n" % self.moto.url)
        r = self.run_apilogs("-v", "groups", unset=["AWS_ENDPOINT_URL"])
        self.assert_probe(r)
        self.assert_verbose(r, "logs endpoint %s (services local)"
                            % self.moto.url)
        r = self.run_apilogs("-v", "groups", env={
            "AWS_ENDPOINT_URL_CLOUDWATCH_LOGS": self.moto.url,
            "AWS_ENDPOINT_URL": "http://127.0.0.1:1"})
        self.assert_probe(r)
        self.assert_verbose(r, "logs endpoint %s "
                            "(AWS_ENDPOINT_URL_CLOUDWATCH_LOGS)"
                            % self.moto.url)


class TestAssumeRole(CredsTestCase):
    def setUp(self):
        super().setUp()
        self.credentials("[base]\naws_access_key_id = AKIABASE\n"
                         "aws_secret_access_key = base-secret\n")
        self.config("[profile base]\n"
                    "[profile dev]\nrole_arn = %s\nsource_profile = base\n"
                    "[profile top]\nrole_arn = %s\nsource_profile = dev\n"
                    "role_session_name = top-session\n" % (ROLE, ROLE))

    def cache_files(self):
        d = os.path.join(self.home, ".aws", "cli", "cache")
        return sorted(os.listdir(d)) if os.path.isdir(d) else []

    def test_source_profile_and_cache(self):
        r = self.groups("-vv", "--profile", "dev")
        self.assert_probe(r)
        self.assert_verbose(r, "credentials: assume-role (profile dev, role "
                            "%s) <- shared-credentials-file (profile base)"
                            % ROLE)
        files = self.cache_files()
        self.assertEqual(len(files), 1)
        path = os.path.join(self.home, ".aws", "cli", "cache", files[0])
        self.assertEqual(stat.S_IMODE(os.stat(path).st_mode), 0o600)
        with open(path) as f:
            entry = json.load(f)
        creds = entry["Credentials"]
        self.assertTrue(creds["AccessKeyId"].startswith("ASIA"))
        self.assertTrue(creds["Expiration"].endswith("UTC"))
        # The AWS CLI's key for {"RoleArn": ROLE}.
        import hashlib
        want = hashlib.sha1(json.dumps({"RoleArn": ROLE},
                                       sort_keys=True).encode()).hexdigest()
        self.assertEqual(files[0], want + ".json")
        # The second run reuses the cache instead of calling STS.
        r = self.groups("-vvv", "--profile", "dev")
        self.assert_probe(r)
        self.assertIn("from the cache " + want, r.stderr)
        self.assertNotIn("AssumeRole: POST", r.stderr)

    def test_chain_of_two(self):
        r = self.groups("-v", "--profile", "top")
        self.assert_probe(r)
        self.assertEqual(len(self.cache_files()), 2)

    def test_no_secret_in_vvv_output(self):
        r = self.groups("-vvv", "--profile", "top")
        self.assert_probe(r)
        out = r.out + r.err
        secrets = [b"base-secret"]
        d = os.path.join(self.home, ".aws", "cli", "cache")
        for name in os.listdir(d):
            with open(os.path.join(d, name)) as f:
                c = json.load(f)["Credentials"]
            secrets += [c["SecretAccessKey"].encode(),
                        c["SessionToken"].encode()]
        self.assertGreaterEqual(len(secrets), 5)
        for s in secrets:
            self.assertNotIn(s, out)
        # -vvv did trace requests, so this is not an empty check.
        self.assertIn(b"AssumeRole", r.err)

    def test_static_env_secret_not_in_vvv(self):
        r = self.run_apilogs("-vvv", "groups", env={
            "AWS_SECRET_ACCESS_KEY": "wJalrXUtnFEMI-K7MDENG-bPxRfiCYsecret",
            "AWS_SESSION_TOKEN": "FwoGZXIvYXdzEXAMPLEsessiontoken"})
        self.assert_probe(r)
        for s in (b"wJalrXUtnFEMI-K7MDENG-bPxRfiCYsecret",
                  b"FwoGZXIvYXdzEXAMPLEsessiontoken"):
            self.assertNotIn(s, r.out + r.err)

    def test_web_identity(self):
        tok = self.write("token", "eyJraWQiOi.web-identity-token.sig")
        r = self.groups("-v", env={
            "AWS_WEB_IDENTITY_TOKEN_FILE": tok, "AWS_ROLE_ARN": ROLE,
            "AWS_ROLE_SESSION_NAME": "pod-session"})
        self.assert_probe(r)
        self.assert_verbose(r, "credentials: web-identity (profile default, "
                            "role %s)" % ROLE)
        self.assertEqual(len(self.cache_files()), 1)
        self.assertNotIn("web-identity-token", r.stderr)


class TestCacheInterop(CredsTestCase):
    """The cache is botocore's: each side reads what the other wrote."""

    def setUp(self):
        super().setUp()
        self.credentials("[base]\naws_access_key_id = AKIABASE\n"
                         "aws_secret_access_key = base-secret\n")
        self.config("[profile dev]\nrole_arn = %s\nsource_profile = base\n"
                    % ROLE)
        self.cache_dir = os.path.join(self.home, ".aws", "cli", "cache")

    def botocore_credentials(self):
        """botocore's chain for profile dev with the AWS CLI's cache; any
        STS call it tried would go to a closed port and fail."""
        import botocore.session
        from botocore.credentials import JSONFileCache
        saved = dict(os.environ)
        try:
            for k in list(os.environ):
                if k.startswith("AWS_"):
                    del os.environ[k]
            os.environ.update({
                "AWS_CONFIG_FILE": os.path.join(self.home, "config"),
                "AWS_SHARED_CREDENTIALS_FILE":
                    os.path.join(self.home, "credentials"),
                "AWS_ENDPOINT_URL": "http://127.0.0.1:9",
                "AWS_EC2_METADATA_DISABLED": "true",
                "AWS_REGION": "us-east-1"})
            session = botocore.session.Session(profile="dev")
            chain = session.get_component("credential_provider")
            chain.get_provider("assume-role").cache = JSONFileCache(
                self.cache_dir)
            return session.get_credentials().get_frozen_credentials()
        finally:
            os.environ.clear()
            os.environ.update(saved)

    def test_botocore_reads_ours(self):
        r = self.groups("--profile", "dev")
        self.assert_probe(r)
        (name,) = os.listdir(self.cache_dir)
        with open(os.path.join(self.cache_dir, name)) as f:
            ours = json.load(f)["Credentials"]
        theirs = self.botocore_credentials()
        self.assertEqual(theirs.access_key, ours["AccessKeyId"])
        self.assertEqual(theirs.token, ours["SessionToken"])

    def test_we_read_botocores(self):
        import datetime
        from botocore.credentials import (AssumeRoleCredentialFetcher,
                                          JSONFileCache)
        from dateutil.tz import tzutc
        key = AssumeRoleCredentialFetcher(
            client_creator=None, source_credentials=None,
            role_arn=ROLE)._cache_key
        JSONFileCache(self.cache_dir)[key] = {
            "Credentials": {
                "AccessKeyId": "ASIAFROMBOTOCORE",
                "SecretAccessKey": "botocore-secret",
                "SessionToken": "botocore-token",
                "Expiration": datetime.datetime.now(tzutc()) +
                datetime.timedelta(hours=1)},
            "AssumedRoleUser": {"Arn": "arn:aws:sts::%s:assumed-role/"
                                "reader/x" % ACCOUNT,
                                "AssumedRoleId": "AROA:x"},
            "ResponseMetadata": {"RequestId": "r"}}
        r = self.groups("-vvv", "--profile", "dev")
        self.assert_probe(r)
        self.assertIn("from the cache " + key, r.stderr)
        self.assertNotIn("AssumeRole: POST", r.stderr)


class TestAssumeRoleSigned(ApilogsTestCase):
    """Against a moto that checks signatures: the AssumeRole call is signed
    with the source profile's keys, the logs call with the role's."""

    @classmethod
    def setUpClass(cls):
        cls.strict = Moto(env={"INITIAL_NO_AUTH_ACTION_COUNT": "5"}).start()
        iam = cls.strict.client("iam")
        allow = json.dumps({"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Action": "*", "Resource": "*"}]})
        iam.create_user(UserName="u")
        iam.put_user_policy(UserName="u", PolicyName="all",
                            PolicyDocument=allow)
        iam.create_role(RoleName="reader", AssumeRolePolicyDocument=json.dumps(
            {"Version": "2012-10-17", "Statement": [
                {"Effect": "Allow", "Principal": {"AWS": "*"},
                 "Action": "sts:AssumeRole"}]}))
        iam.put_role_policy(RoleName="reader", PolicyName="all",
                            PolicyDocument=allow)
        key = iam.create_access_key(UserName="u")["AccessKey"]
        cls.key_id, cls.secret = key["AccessKeyId"], key["SecretAccessKey"]
        import boto3
        boto3.client("logs", region_name="us-east-1",
                     endpoint_url=cls.strict.url,
                     aws_access_key_id=cls.key_id,
                     aws_secret_access_key=cls.secret).create_log_group(
            logGroupName="/strict/ok")

    @classmethod
    def tearDownClass(cls):
        cls.strict.stop()

    def setUp(self):
        super().setUp()
        with open(os.path.join(self.home, "credentials"), "w") as f:
            f.write("[base]\naws_access_key_id = %s\n"
                    "aws_secret_access_key = %s\n" % (self.key_id,
                                                      self.secret))
        with open(os.path.join(self.home, "config"), "w") as f:
            f.write("[profile dev]\nrole_arn = %s\nsource_profile = base\n"
                    % ROLE)

    def test_assumed_credentials_accepted(self):
        r = self.run_apilogs("--profile", "dev", "groups", unset=KEYS,
                             env={"AWS_ENDPOINT_URL": self.strict.url})
        self.assertEqual((r.rc, r.stdout), (0, "/strict/ok\n"), r)

    def test_wrong_source_secret_rejected(self):
        with open(os.path.join(self.home, "credentials"), "w") as f:
            f.write("[base]\naws_access_key_id = %s\n"
                    "aws_secret_access_key = wrong\n" % self.key_id)
        r = self.run_apilogs("--profile", "dev", "groups", unset=KEYS,
                             env={"AWS_ENDPOINT_URL": self.strict.url})
        self.assertEqual(r.rc, 4, r)
        self.assertIn("AssumeRole %s" % ROLE, r.stderr)
        self.assertEqual(len(r.stderr.splitlines()), 1, r)


class TestProcess(CredsTestCase):
    def test_credential_process(self):
        exp = iso(time.time() + 3600)
        helper = self.script("bin/helper",
                             "echo 'helper says hello' >&2\n"
                             "[ \"$1\" = '--with space' ] || exit 7\n"
                             "echo '{\"Version\": 1, \"AccessKeyId\": "
                             "\"AKIAPROC\", \"SecretAccessKey\": "
                             "\"proc-secret\", \"SessionToken\": "
                             "\"proc-token\", \"Expiration\": \"%s\"}'\n"
                             % exp)
        self.config("[default]\ncredential_process = %s \"--with space\"\n"
                    % helper)
        r = self.groups("-v")
        self.assert_probe(r)
        self.assert_verbose(r, "credentials: credential-process "
                            "(profile default)")
        # The helper's stderr reaches the user.
        self.assertIn("helper says hello\n", r.stderr)
        self.assertNotIn("proc-secret", r.stderr)


    def test_one_helper_run_for_many_groups(self):
        """Single flight: `get` over 10 groups runs a 1 s helper once."""
        now = int(time.time() * 1000)
        args = ["get"]
        for i in range(10):
            self.put_events("/flight/g%d" % i, "s",
                            [(now - 60000, "flight-event-%d" % i)])
            args += ["-g", "/flight/g%d" % i]
        runs = os.path.join(self.home, "runs")
        helper = self.script("bin/slow",
                             "echo run >> '%s'\n"
                             "sleep 1\n"
                             "echo '{\"Version\": 1, \"AccessKeyId\": "
                             "\"AKIASLOW\", \"SecretAccessKey\": "
                             "\"slow-secret\", \"Expiration\": \"%s\"}'\n"
                             % (runs, iso(time.time() + 3600)))
        self.config("[default]\ncredential_process = %s\n" % helper)
        r = self.run_apilogs(*args, "-s", "5m", "--color=never",
                             unset=KEYS)
        self.assertEqual(r.rc, 0, r)
        for i in range(10):
            self.assertIn("flight-event-%d" % i, r.stdout)
        with open(runs) as f:
            self.assertEqual(f.read(), "run\n")


    def test_signal_stops_helper(self):
        """SIGTERM or SIGINT while a credential_process helper runs stops
        the helper, its own children included (its process group), and
        apilogs exits at once (issue 13)."""
        for sig in (signal.SIGTERM, signal.SIGINT):
            sleeper = os.path.join(self.home, "sleeper")
            if os.path.exists(sleeper):
                os.remove(sleeper)
            helper = self.script("bin/hang",
                                 "sleep 30 &\n"
                                 "echo $! > '%s.tmp'\n"
                                 "mv '%s.tmp' '%s'\n"
                                 "wait\n" % (sleeper, sleeper, sleeper))
            self.config("[default]\ncredential_process = %s\n" % helper)
            p = self.spawn_apilogs("groups", unset=KEYS)
            deadline = time.time() + 20
            while not os.path.exists(sleeper) and time.time() < deadline:
                time.sleep(0.05)
            self.assertTrue(os.path.exists(sleeper), "helper never ran")
            with open(sleeper) as f:
                pid = int(f.read())
            t0 = time.time()
            p.send_signal(sig)
            out, err = p.communicate(timeout=10)
            self.assertLess(time.time() - t0, 5, err)
            self.assertNotIn(b"Traceback", err)
            # The helper's child is gone (or a zombie waiting for init).
            deadline = time.time() + 5
            while time.time() < deadline and alive(pid):
                time.sleep(0.05)
            self.assertFalse(alive(pid), "sleep 30 survived %s" % sig)


class TestMetadataEndpoints(CredsTestCase):
    def tearDown(self):
        self.server.stop()
        super().tearDown()

    def role_json(self, ak):
        return json.dumps({"Code": "Success", "AccessKeyId": ak,
                           "SecretAccessKey": "meta-secret",
                           "Token": "meta-token",
                           "Expiration": iso(time.time() + 3600)})

    def test_sso(self):
        def creds(handler):
            q = urllib.parse.parse_qs(urllib.parse.urlparse(
                handler.path).query)
            if (handler.headers.get("x-amz-sso_bearer_token") != "sso-tok"
                    or q != {"account_id": ["123456789012"],
                             "role_name": ["Reader"]}):
                return 401, json.dumps({"message": "bad token"})
            return 200, json.dumps({"roleCredentials": {
                "accessKeyId": "ASIASSO", "secretAccessKey": "sso-secret",
                "sessionToken": "sso-session-token",
                "expiration": int(time.time() + 3600) * 1000}})
        self.server = Loopback({"GET /federation/credentials": creds})
        self.config("[profile corp]\nsso_session = corp\n"
                    "sso_account_id = 123456789012\nsso_role_name = Reader\n"
                    "[sso-session corp]\n"
                    "sso_start_url = https://corp.awsapps.com/start\n"
                    "sso_region = eu-west-1\n")
        import hashlib
        tokfile = ".aws/sso/cache/%s.json" % hashlib.sha1(b"corp").hexdigest()
        self.write(tokfile, json.dumps({
            "startUrl": "https://corp.awsapps.com/start",
            "region": "eu-west-1", "accessToken": "sso-tok",
            "expiresAt": iso(time.time() + 3600)}))
        env = {"AWS_ENDPOINT_URL_SSO": self.server.url}
        r = self.groups("-v", "--profile", "corp", env=env)
        self.assert_probe(r)
        self.assert_verbose(r, "credentials: sso (profile corp, account "
                            "123456789012, role Reader)")
        self.assertEqual(len(self.server.requests), 1)
        # Expired token: one line, exit 4, the advice of the AWS CLI.
        self.write(tokfile, json.dumps({
            "accessToken": "sso-tok", "expiresAt": iso(time.time() - 60)}))
        for f in os.listdir(os.path.join(self.home, ".aws/cli/cache")):
            os.unlink(os.path.join(self.home, ".aws/cli/cache", f))
        r = self.groups("--profile", "corp", env=env)
        self.assert_error(r, "run `aws sso login --profile corp`")

    def test_container(self):
        def creds(handler):
            if handler.headers.get("Authorization") != "container-auth":
                return 401, "no"
            return 200, self.role_json("ASIATASK")
        self.server = Loopback({"GET /v1/creds": creds})
        r = self.groups("-v", env={
            "AWS_CONTAINER_CREDENTIALS_FULL_URI": self.server.url + "/v1/creds",
            "AWS_CONTAINER_AUTHORIZATION_TOKEN": "container-auth"})
        self.assert_probe(r)
        self.assert_verbose(r, "credentials: container")
        self.assertEqual(self.server.requests[0][2].get("accept"),
                         "application/json")

    def test_imds_credentials_and_region(self):
        def token(handler):
            if handler.headers.get(
                    "x-aws-ec2-metadata-token-ttl-seconds") != "21600":
                return 400, ""
            return 200, "imds-token"

        def need_token(body):
            def route(handler):
                if handler.headers.get("x-aws-ec2-metadata-token") != \
                        "imds-token":
                    return 401, ""
                return 200, body
            return route
        base = "/latest/meta-data/"
        self.server = Loopback({
            "PUT /latest/api/token": token,
            "GET " + base + "iam/security-credentials/":
                need_token("instance-role"),
            "GET " + base + "iam/security-credentials/instance-role":
                need_token(self.role_json("ASIAINSTANCE")),
            "GET " + base + "placement/availability-zone/":
                need_token("us-east-1c"),
        })
        r = self.groups("-v", env={
            "AWS_EC2_METADATA_SERVICE_ENDPOINT": self.server.url + "/"},
            unset=KEYS + ("AWS_EC2_METADATA_DISABLED", "AWS_REGION"))
        self.assert_probe(r)
        self.assert_verbose(r, "credentials: imds")
        self.assert_verbose(r, "region us-east-1 (imds)")


class TestErrors(CredsTestCase):
    def test_unknown_profile(self):
        r = self.run_apilogs("--profile", "nope", "groups")
        self.assert_error(r, "the config profile (nope) could not be found")
        r = self.run_apilogs("groups", env={"AWS_PROFILE": "gone"})
        self.assert_error(r, "the config profile (gone) could not be found")

    def test_malformed_file(self):
        path = self.config("[default]\nregion = us-east-1\nthis is junk\n")
        r = self.run_apilogs("groups")
        self.assert_error(r, path + ":3:")
        path = self.credentials("[a]\nk = 1\n[a]\n")
        os.unlink(os.path.join(self.home, "config"))
        r = self.run_apilogs("groups")
        self.assert_error(r, path + ":3: duplicate section [a]")

    def test_unreadable_file(self):
        """Files that cannot be read are skipped, as the AWS CLI does:
        credentials from the environment or the command line still work
        (issue 13); -v names the file, and a profile only it could hold is
        not found, saying why."""
        loop = os.path.join(self.home, "loop")
        os.symlink(loop, loop)
        why = "%s: Too many levels of symbolic links" % loop
        r = self.groups("-v", env={"AWS_CONFIG_FILE": loop}, unset=())
        self.assert_probe(r)
        self.assert_verbose(r, "ignoring unreadable " + why)
        r = self.groups("--aws-access-key-id", "AKIAFLAG",
                        "--aws-secret-access-key", "flag-secret",
                        env={"AWS_CONFIG_FILE": loop,
                             "AWS_SHARED_CREDENTIALS_FILE": loop})
        self.assert_probe(r)
        # A directory where a file should be.
        d = os.path.join(self.home, "dir")
        os.makedirs(d)
        r = self.groups(env={"AWS_CONFIG_FILE": d,
                             "AWS_SHARED_CREDENTIALS_FILE": d}, unset=())
        self.assert_probe(r)
        r = self.run_apilogs("--profile", "dev", "groups",
                             env={"AWS_CONFIG_FILE": loop})
        self.assert_error(r, "the config profile (dev) could not be found "
                          "(skipped %s)" % why)
        if os.geteuid() != 0:
            path = self.config("[default]\n")
            os.chmod(path, 0)
            r = self.groups(unset=())
            self.assert_probe(r)

    def test_source_profile_cycle(self):
        self.config("[profile a]\nrole_arn = %s\nsource_profile = b\n"
                    "[profile b]\nrole_arn = %s\nsource_profile = a\n"
                    % (ROLE, ROLE))
        r = self.run_apilogs("--profile", "a", "groups")
        self.assert_error(r, "source_profile cycle a -> b -> a")

    def test_process_failure(self):
        helper = self.script("bin/fails", "exit 3\n")
        self.config("[default]\ncredential_process = %s\n" % helper)
        r = self.groups()
        self.assert_error(r, "credential_process %s exited with status 3"
                          % helper)
        self.config("[default]\ncredential_process = %s/missing\n"
                    % self.home)
        r = self.groups()
        self.assert_error(r, "cannot run")
        helper = self.script("bin/garbage", "echo not json\n")
        self.config("[default]\ncredential_process = %s\n" % helper)
        r = self.groups()
        self.assert_error(r, "printed invalid JSON")

    def test_expired_sso_token(self):
        self.config("[profile corp]\nsso_start_url = https://x/start\n"
                    "sso_region = us-east-1\nsso_account_id = 1\n"
                    "sso_role_name = R\n")
        r = self.groups("--profile", "corp")
        self.assert_error(r, "run `aws sso login --profile corp`")

    def test_no_credentials(self):
        r = self.groups()
        self.assert_error(r, "unable to locate credentials")

    def test_no_region(self):
        r = self.run_apilogs("groups", unset=["AWS_REGION"])
        self.assert_error(r, "no region: pass --aws-region or set AWS_REGION")

    def test_partial_env_keys(self):
        r = self.run_apilogs("groups", unset=["AWS_SECRET_ACCESS_KEY"])
        self.assert_error(r, "missing: AWS_SECRET_ACCESS_KEY")


if __name__ == "__main__":
    unittest.main()

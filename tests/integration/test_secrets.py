# SPDX-License-Identifier: Apache-2.0
"""No secret key, session token or signature in any output (issue 8).

Every command runs with -vvv, on success paths and on failure paths: an
unreachable proxy, and a server that echoes every request header back in
its error message (as a buggy proxy or service might).
"""

import http.server
import json
import os
import re
import threading
import urllib.parse

from harness import ApilogsTestCase, now_ms

SECRET = "wJalrXUtnFEMI-K7MDENG-bPxRfiCYSECRETKEY99"
TOKEN = "IQoJb3JpZ2luX2VjEJr-SESSION-TOKEN-" + "x" * 200
SIGNATURE = re.compile(rb"Signature=[0-9a-f]{64}")


class EchoHandler(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        length = int(self.headers.get("Content-Length", 0))
        self.rfile.read(length)
        body = json.dumps({"__type": "AccessDeniedException",
                           "message": "denied: " + repr(dict(self.headers))})
        self.send_response(400)
        self.send_header("Content-Type", "application/json")
        self.send_header("X-Amzn-ErrorType", "AccessDeniedException")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body.encode())

    do_GET = do_POST

    def log_message(self, *args):
        pass


class TestSecrets(ApilogsTestCase):
    def env(self, **kw):
        env = {"AWS_SECRET_ACCESS_KEY": SECRET, "AWS_SESSION_TOKEN": TOKEN}
        env.update(kw)
        return env

    def check(self, r):
        everything = r.out + r.err
        self.assertNotIn(SECRET.encode(), everything, r)
        self.assertNotIn(TOKEN.encode(), everything, r)
        self.assertNotIn(TOKEN[:40].encode(), everything, r)
        self.assertIsNone(SIGNATURE.search(everything), r)

    def commands(self):
        return [["groups"], ["streams", "/g"], ["get", "/g", "-s", "1h"],
                ["get", "-g", "/g", "-o", "json", "--request-ids"],
                ["trace", "x-id", "-g", "/g"],
                ["sources", "-a", "nope"], ["get", "-a", "nope"]]

    def test_success_and_not_found_paths(self):
        self.put_events("/g", "s", [(now_ms() - 1000, "hello")])
        for cmd in self.commands():
            r = self.run_apilogs("-vvv", *cmd, env=self.env())
            self.check(r)
            self.assertIn(b"apilogs: ", r.err)  # -vvv did print traces

    def test_proxy_failure(self):
        for cmd in self.commands()[:3]:
            r = self.run_apilogs("-vvv", *cmd, env=self.env(
                http_proxy="http://127.0.0.1:9", AWS_MAX_ATTEMPTS="2"),
                timeout=60)
            self.assertNotEqual(r.rc, 0, r)
            self.check(r)

    def test_server_echoes_headers(self):
        srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), EchoHandler)
        t = threading.Thread(target=srv.serve_forever, daemon=True)
        t.start()
        try:
            url = "http://127.0.0.1:%d" % srv.server_address[1]
            for cmd in self.commands()[:4]:
                r = self.run_apilogs("-vvv", *cmd,
                                     env=self.env(AWS_ENDPOINT_URL=url))
                self.assertEqual(r.rc, 4, r)
                self.assertIn(b"<redacted>", r.err)
                self.check(r)
        finally:
            srv.shutdown()
            srv.server_close()


class EchoAllHandler(http.server.BaseHTTPRequestHandler):
    """An error that repeats every header and the whole body, cut after
    `cut` characters when the class attribute is set (a server that
    truncates what it echoes)."""

    cut = None  # (token, n): end the echo n characters into the token

    def do_POST(self):
        length = int(self.headers.get("Content-Length", 0))
        body = self.rfile.read(length).decode("utf-8", "replace")
        echo = "denied: %r %s %s" % (dict(self.headers), self.path, body)
        if self.cut is not None:
            i = echo.find(self.cut[0])
            if i >= 0:
                echo = echo[:i + self.cut[1]]
        out = json.dumps({"__type": "AccessDeniedException",
                          "message": echo}).encode()
        self.send_response(403)
        self.send_header("Content-Type", "application/json")
        self.send_header("X-Amzn-ErrorType", "AccessDeniedException")
        self.send_header("Content-Length", str(len(out)))
        self.end_headers()
        self.wfile.write(out)

    do_GET = do_POST

    def log_message(self, *args):
        pass


SSO_TOKEN = "aoaAAAAAGN-SSO-ACCESS-TOKEN-" + "s" * 120
WEB_TOKEN = "eyJraWQiOiJr.WEB+IDENTITY/TOKEN=" + "w" * 120


class TestBearerTokens(ApilogsTestCase):
    """SSO access tokens and web identity tokens are redacted like secret
    keys (issue 13), whole or cut by a server that truncates its echo, in
    error lines as in -vvv output."""

    def setUp(self):
        super().setUp()
        EchoAllHandler.cut = None
        self.srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0),
                                                   EchoAllHandler)
        t = threading.Thread(target=self.srv.serve_forever, daemon=True)
        t.start()
        self.addCleanup(self.srv.server_close)
        self.addCleanup(self.srv.shutdown)
        self.url = "http://127.0.0.1:%d" % self.srv.server_address[1]

    def write(self, rel, text):
        path = os.path.join(self.home, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as f:
            f.write(text)
        return path

    def assert_hidden(self, r, token):
        everything = (r.out + r.err).decode("utf-8", "replace")
        self.assertEqual(r.rc, 4, r)
        self.assertIn("<redacted>", everything)
        for form in (token, urllib.parse.quote(token, safe="")):
            # Not whole, and no piece of 12 characters or more of it.
            for i in range(0, len(form) - 12):
                self.assertNotIn(form[i:i + 12], everything, r)

    def sso(self, *args):
        import hashlib
        with open(os.path.join(self.home, "config"), "w") as f:
            f.write("[profile corp]\nsso_session = corp\n"
                    "sso_account_id = 123456789012\n"
                    "sso_role_name = Reader\n[sso-session corp]\n"
                    "sso_start_url = https://corp.awsapps.com/start\n"
                    "sso_region = eu-west-1\n")
        self.write(".aws/sso/cache/%s.json"
                   % hashlib.sha1(b"corp").hexdigest(),
                   json.dumps({"startUrl": "https://corp.awsapps.com/start",
                               "region": "eu-west-1",
                               "accessToken": SSO_TOKEN,
                               "expiresAt": "2099-01-01T00:00:00Z"}))
        return self.run_apilogs(*args, "--profile", "corp", "groups",
                                env={"AWS_ENDPOINT_URL_SSO": self.url},
                                unset=("AWS_ACCESS_KEY_ID",
                                       "AWS_SECRET_ACCESS_KEY"))

    def web_identity(self, *args):
        tok = self.write("token", WEB_TOKEN)
        return self.run_apilogs(*args, "groups", env={
            "AWS_WEB_IDENTITY_TOKEN_FILE": tok,
            "AWS_ROLE_ARN": "arn:aws:iam::123456789012:role/r",
            "AWS_ENDPOINT_URL_STS": self.url},
            unset=("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"))

    def test_sso_token(self):
        for args in ((), ("-vvv",)):
            self.assert_hidden(self.sso(*args), SSO_TOKEN)

    def test_web_identity_token(self):
        for args in ((), ("-vvv",)):
            self.assert_hidden(self.web_identity(*args), WEB_TOKEN)

    def test_cut_echo(self):
        # A server that cuts its echo inside the token: what is left of
        # the token is redacted too.
        for n in (12, 40, len(SSO_TOKEN) - 1):
            EchoAllHandler.cut = (SSO_TOKEN, n)
            r = self.sso()
            self.assertIn("<redacted>", r.stderr, r)
            self.assertNotIn(SSO_TOKEN[:10], r.stderr, r)

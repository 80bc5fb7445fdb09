"""No secret key, session token or signature in any output (issue 8).

Every command runs with -vvv, on success paths and on failure paths: an
unreachable proxy, and a server that echoes every request header back in
its error message (as a buggy proxy or service might).
"""

import http.server
import json
import re
import threading

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

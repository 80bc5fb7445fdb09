# SPDX-License-Identifier: Apache-2.0
"""API discovery against moto: sources and get --api-id (issue 5)."""

import json
import signal
import time

from faultproxy import FaultProxy, Rule
from harness import ACCOUNT, REGION, ApilogsTestCase, now_ms
from sample_api import (SampleApi, Traffic, create_function, function_arn,
                        lambda_role, lambda_uri, log_arn)


class DiscoverCase(ApilogsTestCase):
    def sources(self, *args, rc=0):
        r = self.run_apilogs("sources", "-o", "json", *args)
        self.assertEqual(r.rc, rc, r)
        return r, (json.loads(r.stdout) if rc == 0 else None)

    def roles(self, doc):
        return {s["role"]: s["group"] for s in doc["sources"]}

    def distractor(self):
        # A group that looks like it belongs (a Lambda group, an API
        # Gateway execution group of another API) but must never appear.
        t = now_ms() - 60000
        self.put_events("/aws/lambda/unrelated", "s", [(t, "distractor")])
        self.put_events("API-Gateway-Execution-Logs_zzzzzzzzzz/prod", "s",
                        [(t + 1, "other api")])


class TestRestSources(DiscoverCase):
    def setUp(self):
        super().setUp()
        self.api = SampleApi(self.moto, dev_stage=True).build()
        self.distractor()

    def test_exact_sources_of_prod(self):
        r, doc = self.sources("-a", self.api.api_id, "-t", "prod")
        self.assertEqual(doc["api"], {"id": self.api.api_id, "name": "shop",
                                      "type": "REST", "stage": "prod"})
        self.assertEqual(self.roles(doc), self.api.groups())
        self.assertEqual(len(doc["sources"]), 5)
        by = {s["role"]: s for s in doc["sources"]}
        # One source for a function behind three methods, reached
        # unqualified, through its alias and through a stage variable.
        orders = by["lambda:" + SampleApi.ORDERS]
        self.assertEqual(orders["routes"],
                         ["GET /orders", "GET /orders/{id}", "POST /orders"])
        self.assertEqual(orders["function"], SampleApi.ORDERS)
        # A function name from a stage variable.
        self.assertEqual(by["lambda:" + SampleApi.USERS]["routes"],
                         ["GET /users"])
        auth = by["authorizer:" + SampleApi.AUTH]
        self.assertIn("authorizer 'token-auth' (TOKEN)", auth["reason"])
        self.assertEqual(auth["routes"], orders["routes"])
        self.assertIn("logging level INFO", by["execution"]["reason"])
        self.assertIsNone(by["access"]["function"])
        self.assertEqual(doc["warnings"], [])
        self.assertEqual(r.stderr, "")

    def test_text_output(self):
        r = self.run_apilogs("sources", "-a", self.api.api_id, "-t", "prod")
        self.assertEqual(r.rc, 0, r)
        lines = r.stdout.splitlines()
        self.assertEqual(lines[0], "REST API %s (shop), stage prod: 5 log "
                         "groups" % self.api.api_id)
        self.assertEqual(len(lines), 6)
        self.assertTrue(lines[1].startswith("execution "), lines)
        for role, group in self.api.groups().items():
            self.assertTrue(any(ln.split()[:2] == [role, group]
                                for ln in lines[1:]), (role, lines))
        self.assertNotIn("unrelated", r.stdout)
        self.assertNotIn("/health", r.stdout)  # the MOCK integration

    def test_second_stage_other_variables(self):
        r, doc = self.sources("-a", self.api.api_id, "--stage", "dev")
        self.assertEqual(self.roles(doc), {
            "lambda:" + SampleApi.ORDERS: "/aws/lambda/" + SampleApi.ORDERS,
            "lambda:" + SampleApi.USERS_DEV:
                "/aws/lambda/" + SampleApi.USERS_DEV,
            "authorizer:" + SampleApi.AUTH: "/aws/lambda/" + SampleApi.AUTH,
        })
        # Logging was never turned on for dev: a hint naming the setting.
        self.assertEqual(len(doc["warnings"]), 1, doc)
        self.assertIn("execution logging is off on stage 'dev'",
                      doc["warnings"][0])
        self.assertIn("path=/*/*/logging/loglevel,value=INFO",
                      doc["warnings"][0])
        self.assertIn("apilogs: warning: execution logging is off", r.stderr)

    def test_stage_omitted_with_several(self):
        r = self.run_apilogs("sources", "-a", self.api.api_id)
        self.assertEqual(r.rc, 5, r)
        self.assertEqual(r.stdout, "")
        self.assertEqual(r.stderr,
                         "apilogs: REST API %s has 2 stages: choose one "
                         "with --stage (stages: prod, dev)\n"
                         % self.api.api_id)

    def test_unknown_stage(self):
        r = self.run_apilogs("get", "-a", self.api.api_id, "-t", "qa")
        self.assertEqual(r.rc, 5, r)
        self.assertEqual(r.stderr, "apilogs: REST API %s has no stage 'qa' "
                         "(stages: prod, dev)\n" % self.api.api_id)

    def test_unknown_api(self):
        r = self.run_apilogs("sources", "-a", "nope123456", "-t", "prod")
        self.assertEqual(r.rc, 5, r)
        self.assertEqual(r.stderr,
                         "apilogs: no REST, HTTP or WebSocket API has the "
                         "id 'nope123456' in us-east-1 (APIs there: %s "
                         "(REST, shop))\n" % self.api.api_id)
        r = self.run_apilogs("get", "--api-id", "nope123456")
        self.assertEqual(r.rc, 5, r)


class TestRestGet(DiscoverCase):
    def setUp(self):
        super().setUp()
        self.api = SampleApi(self.moto).build()
        self.distractor()
        self.traffic = Traffic(self.api)
        self.traffic.scenario(now_ms() - 10 * 60 * 1000, step=20000)
        # What AWS would have written, before flush() empties it.
        self.expected = sorted(
            (ts, group, msg)
            for (group, _), evs in self.traffic.events.items()
            for ts, msg in evs)
        self.traffic.flush(self.logs)

    def test_stage_omitted_with_one(self):
        r, doc = self.sources("-a", self.api.api_id)
        self.assertEqual(doc["api"]["stage"], "prod")
        self.assertEqual(self.roles(doc), self.api.groups())

    def test_get_prints_every_event_in_order(self):
        r = self.run_apilogs("get", "-a", self.api.api_id, "-t", "prod",
                             "-s", "15m", "-o", "json")
        self.assertEqual(r.rc, 0, r)
        self.assertEqual(r.stderr, "")
        got = [json.loads(x) for x in r.stdout.splitlines()]
        roles = {g: role for role, g in self.api.groups().items()}
        # Every event of the five groups, nothing else (no distractor).
        self.assertEqual(sorted((e["timestamp"], e["logGroupName"],
                                 e["message"]) for e in got),
                         self.expected)
        self.assertEqual(len(got), len(self.expected))
        # In time order across groups.
        ts = [e["timestamp"] for e in got]
        self.assertEqual(ts, sorted(ts))
        # Each event says which source it comes from.
        for e in got:
            self.assertEqual(e["source"], roles[e["logGroupName"]])
        self.assertEqual(set(e["logGroupName"] for e in got),
                         set(self.api.groups().values()))

    def test_get_text_and_extra_group(self):
        self.put_events("/extra/group", "s", [(now_ms() - 5000, "extra")])
        r = self.run_apilogs("get", "-a", self.api.api_id, "-t", "prod",
                             "-g", "/extra/group", "-s", "15m", "--color",
                             "never")
        self.assertEqual(r.rc, 0, r)
        lines = r.stdout.splitlines()
        # Multi-line messages (a Python traceback) print as they are.
        self.assertEqual(len(lines), 1 + sum(m.count("\n") + 1
                                             for _, _, m in self.expected))
        self.assertTrue(lines[-1].startswith("/extra/group"), lines[-1])
        self.assertTrue(lines[-1].endswith(" extra"), lines[-1])
        width = len(self.api.execution_group)
        heads = [ln for ln in lines if ln.startswith(("/", "API-"))]
        self.assertEqual(len(heads), len(self.expected) + 1)
        self.assertTrue(all(ln[width] == " " for ln in heads))
        self.assertNotIn("distractor", r.stdout)

    def add_function_method(self, name, path_part):
        """A new Lambda function behind GET /orders/path_part."""
        role = lambda_role(self.moto.client("iam"))
        create_function(self.moto.client("lambda"), name, role)
        ag = self.moto.client("apigateway")
        res = ag.create_resource(restApiId=self.api.api_id,
                                 parentId=self.api.resources["/orders"],
                                 pathPart=path_part)["id"]
        ag.put_method(restApiId=self.api.api_id, resourceId=res,
                      httpMethod="GET", authorizationType="NONE")
        ag.put_integration(restApiId=self.api.api_id, resourceId=res,
                           httpMethod="GET", type="AWS_PROXY",
                           integrationHttpMethod="POST",
                           uri=lambda_uri(function_arn(name)))

    def test_never_invoked_function_is_watched_for(self):
        # A new function behind a new method, never invoked: no group.
        self.add_function_method("shop-idle", "idle")
        r = self.run_apilogs("get", "-a", self.api.api_id, "-t", "prod",
                             "-s", "15m", "-o", "json")
        self.assertEqual(r.rc, 0, r)
        self.assertEqual(r.stderr, "apilogs: warning: log group "
                         "'/aws/lambda/shop-idle' does not exist (yet)\n")
        self.assertEqual(len(r.stdout.splitlines()), len(self.expected))

    def test_watch_rediscovers_new_integrations(self):
        p = self.spawn_apilogs("get", "-a", self.api.api_id, "-t", "prod",
                               "--watch", "-s", "1s", "-i", "0.2",
                               "--hold-back", "0.3", "-o", "json", "-v",
                               env={"APILOGS_REDISCOVER_SECONDS": "0.5"})
        try:
            # Change the API only once the first discovery is done.
            msg = self.read_line_with(p.stderr, b"stage prod: 5 log groups",
                                      30)
            self.assertIn(b"stage prod: 5 log groups", msg)
            self.add_function_method("shop-reports", "report")
            self.put_events("/aws/lambda/shop-reports", "2026/01/01/[1]x",
                            [(now_ms(), "report ready")])
            line = self.read_line_with(p.stdout, b"report ready")
        finally:
            p.send_signal(signal.SIGINT)
            out, err = p.communicate(timeout=10)
        ev = json.loads(line)
        self.assertEqual(ev["message"], "report ready")
        self.assertEqual(ev["source"], "lambda:shop-reports")
        self.assertEqual(p.returncode, 0, err)
        self.assertIn(b"apilogs: new log group /aws/lambda/shop-reports "
                      b"(lambda:shop-reports)", err)

    def test_slow_rediscovery_does_not_stall_following(self):
        # API Gateway and Lambda through a proxy that, once the first
        # discovery is done, holds every control-plane GET for 3 s: each
        # re-discovery then takes many seconds, and live events must keep
        # coming meanwhile (re-discovery runs beside the follow, on the
        # loop, not in a nested run inside a timer).
        proxy = FaultProxy(self.moto.url).start()
        self.addCleanup(proxy.stop)
        p = self.spawn_apilogs("get", "-a", self.api.api_id, "-t", "prod",
                               "--watch", "-s", "1s", "-i", "0.2",
                               "--hold-back", "0.3", "-o", "json", "-v",
                               env={"APILOGS_REDISCOVER_SECONDS": "0.2",
                                    "AWS_ENDPOINT_URL": proxy.url})
        got = []
        try:
            msg = self.read_line_with(p.stderr, b"stage prod: 5 log groups",
                                      30)
            self.assertIn(b"stage prod: 5 log groups", msg)
            proxy.add(Rule("slow", op="GET", count=None, delay=3))
            time.sleep(0.5)  # a re-discovery is now waiting on the proxy
            for i in range(4):
                sent = time.time()
                self.put_events("/aws/lambda/shop-orders", "2026/01/01/[1]x",
                                [(now_ms(), "live %d" % i)])
                line = p.stdout.readline()
                self.assertIn(b"live %d" % i, line)
                got.append(time.time() - sent)
        finally:
            p.send_signal(signal.SIGINT)
            out, err = p.communicate(timeout=15)
        # Every event came within a couple of poll periods, well before
        # the held GETs (3 s each) could have let a re-discovery end.
        self.assertLess(max(got), 2.5, got)
        self.assertGreater(proxy.count(op="GET", fault="slow"), 0)
        self.assertEqual(p.returncode, 0, err)


class TestHttpApi(DiscoverCase):
    def setUp(self):
        super().setUp()
        self.distractor()
        iam = self.moto.client("iam")
        lam = self.moto.client("lambda")
        role = lambda_role(iam)
        for fn in ("http-orders", "http-auth", "http-other"):
            create_function(lam, fn, role)
        v2 = self.moto.client("apigatewayv2")
        self.api_id = v2.create_api(Name="orders-http",
                                    ProtocolType="HTTP")["ApiId"]
        # A plain function ARN with a stage-variable name and an alias.
        i1 = v2.create_integration(
            ApiId=self.api_id, IntegrationType="AWS_PROXY",
            IntegrationUri="arn:aws:lambda:%s:%s:function:"
            "${stageVariables.fn}:live" % (REGION, ACCOUNT),
            PayloadFormatVersion="2.0")["IntegrationId"]
        # The same function through an invocations URI.
        i2 = v2.create_integration(
            ApiId=self.api_id, IntegrationType="AWS_PROXY",
            IntegrationUri=lambda_uri(function_arn("http-orders")),
            PayloadFormatVersion="2.0")["IntegrationId"]
        i3 = v2.create_integration(
            ApiId=self.api_id, IntegrationType="HTTP_PROXY",
            IntegrationMethod="GET",
            IntegrationUri="https://example.com/{proxy}",
            PayloadFormatVersion="1.0")["IntegrationId"]
        auth = v2.create_authorizer(
            ApiId=self.api_id, AuthorizerType="REQUEST", Name="lambda-auth",
            AuthorizerUri=lambda_uri(function_arn("http-auth")),
            IdentitySource=["$request.header.Authorization"],
            AuthorizerPayloadFormatVersion="2.0")["AuthorizerId"]
        v2.create_route(ApiId=self.api_id, RouteKey="GET /orders",
                        Target="integrations/" + i1,
                        AuthorizationType="CUSTOM", AuthorizerId=auth)
        v2.create_route(ApiId=self.api_id, RouteKey="POST /orders",
                        Target="integrations/" + i2)
        v2.create_route(ApiId=self.api_id, RouteKey="GET /legacy/{proxy+}",
                        Target="integrations/" + i3)
        v2.create_stage(ApiId=self.api_id, StageName="$default",
                        AutoDeploy=True, StageVariables={"fn": "http-orders"},
                        AccessLogSettings={
                            "DestinationArn": log_arn("/http/access"),
                            "Format": "$context.requestId"})
        self.v2 = v2

    def test_http_sources(self):
        r, doc = self.sources("-a", self.api_id)  # the only stage
        self.assertEqual(doc["api"], {"id": self.api_id,
                                      "name": "orders-http",
                                      "type": "HTTP", "stage": "$default"})
        self.assertEqual(self.roles(doc), {
            "access": "/http/access",
            "lambda:http-orders": "/aws/lambda/http-orders",
            "authorizer:http-auth": "/aws/lambda/http-auth",
        })
        by = {s["role"]: s for s in doc["sources"]}
        self.assertEqual(by["lambda:http-orders"]["routes"],
                         ["GET /orders", "POST /orders"])
        self.assertEqual(by["authorizer:http-auth"]["routes"],
                         ["GET /orders"])
        self.assertEqual(doc["warnings"], [])

    def test_http_get_and_second_stage(self):
        t = now_ms() - 30000
        self.put_events("/http/access", "a", [(t, "req-1"), (t + 4, "req-2")])
        self.put_events("/aws/lambda/http-orders", "s", [(t + 1, "orders")])
        self.put_events("/aws/lambda/http-auth", "s", [(t + 2, "auth")])
        self.put_events("/aws/lambda/http-other", "s", [(t + 3, "other")])
        # A second stage whose variable names another function, without
        # access logs: HTTP APIs then have nothing but Lambda logs.
        self.v2.create_stage(ApiId=self.api_id, StageName="beta",
                             StageVariables={"fn": "http-other"})
        r = self.run_apilogs("get", "-a", self.api_id, "-t", "$default",
                             "-s", "5m", "-GS")
        self.assertEqual(r.rc, 0, r)
        self.assertEqual(r.stdout, "req-1\norders\nauth\nreq-2\n")
        r = self.run_apilogs("get", "-a", self.api_id, "-t", "beta", "-s",
                             "5m", "-GS")
        self.assertEqual(r.rc, 0, r)
        self.assertEqual(r.stdout, "orders\nauth\nother\n")
        self.assertIn("access logging is off on stage 'beta'", r.stderr)
        r = self.run_apilogs("sources", "-a", self.api_id)
        self.assertEqual(r.rc, 5, r)
        self.assertIn("has 2 stages: choose one with --stage (stages: ",
                      r.stderr)


class TestOtherRegion(DiscoverCase):
    def test_cross_region_and_account_are_reported(self):
        api = SampleApi(self.moto).build()
        ag = self.moto.client("apigateway")
        for part, arn in (("eu", function_arn("far", region="eu-west-1")),
                          ("ext", function_arn("theirs",
                                               account="999999999999"))):
            res = ag.create_resource(restApiId=api.api_id,
                                     parentId=api.resources["/orders"],
                                     pathPart=part)["id"]
            ag.put_method(restApiId=api.api_id, resourceId=res,
                          httpMethod="GET", authorizationType="NONE")
            ag.put_integration(restApiId=api.api_id, resourceId=res,
                               httpMethod="GET", type="AWS_PROXY",
                               integrationHttpMethod="POST",
                               uri=lambda_uri(arn, region=arn.split(":")[3]))
        r, doc = self.sources("-a", api.api_id, "-t", "prod")
        self.assertEqual(self.roles(doc), api.groups())
        self.assertEqual(len(doc["warnings"]), 2, doc)
        self.assertIn("Lambda function far (GET /orders/eu) is in region "
                      "eu-west-1, not us-east-1", doc["warnings"][0])
        self.assertIn("Lambda function theirs (GET /orders/ext) is in "
                      "account 999999999999, not 123456789012",
                      doc["warnings"][1])

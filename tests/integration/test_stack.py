# SPDX-License-Identifier: Apache-2.0
"""--stack-name against moto's CloudFormation: a real template creates a
Lambda function, a REST API with a Lambda integration, a Step Functions
state machine, a log group and a nested stack with a log group of its own
(issue 16)."""

import json
import signal

from harness import ACCOUNT, REGION, ApilogsTestCase, now_ms

BUCKET = "apilogs-templates"

INNER = {
    "Resources": {
        "InnerGroup": {"Type": "AWS::Logs::LogGroup",
                       "Properties": {"LogGroupName": "/shop/inner"}},
    }
}

SFN_GROUP_ARN = ("arn:aws:logs:%s:%s:log-group:/shop/states:*"
                 % (REGION, ACCOUNT))


def template():
    role = {"Fn::GetAtt": ["Role", "Arn"]}
    return {
        "Resources": {
            "Role": {"Type": "AWS::IAM::Role", "Properties": {
                "AssumeRolePolicyDocument": {
                    "Version": "2012-10-17", "Statement": []}}},
            "Orders": {"Type": "AWS::Lambda::Function", "Properties": {
                "FunctionName": "shop-orders", "Runtime": "python3.11",
                "Handler": "index.handler", "Role": role,
                "Code": {"ZipFile": "def handler(e, c): return 1"}}},
            "Worker": {"Type": "AWS::Lambda::Function", "Properties": {
                "Runtime": "python3.11", "Handler": "index.handler",
                "Role": role,
                "Code": {"ZipFile": "def handler(e, c): return 1"}}},
            "Api": {"Type": "AWS::ApiGateway::RestApi",
                    "Properties": {"Name": "shop-api"}},
            "OrdersResource": {
                "Type": "AWS::ApiGateway::Resource", "Properties": {
                    "RestApiId": {"Ref": "Api"},
                    "ParentId": {"Fn::GetAtt": ["Api", "RootResourceId"]},
                    "PathPart": "orders"}},
            "OrdersGet": {"Type": "AWS::ApiGateway::Method", "Properties": {
                "RestApiId": {"Ref": "Api"},
                "ResourceId": {"Ref": "OrdersResource"},
                "HttpMethod": "GET", "AuthorizationType": "NONE",
                "Integration": {
                    "Type": "AWS_PROXY", "IntegrationHttpMethod": "POST",
                    "Uri": {"Fn::Sub": "arn:aws:apigateway:%s:lambda:path/"
                            "2015-03-31/functions/${Orders.Arn}/"
                            "invocations" % REGION}}}},
            "Deployment": {"Type": "AWS::ApiGateway::Deployment",
                           "DependsOn": "OrdersGet",
                           "Properties": {"RestApiId": {"Ref": "Api"},
                                          "StageName": "prod"}},
            "AuditLog": {"Type": "AWS::Logs::LogGroup",
                         "Properties": {"LogGroupName": "/shop/audit"}},
            "Checkout": {
                "Type": "AWS::StepFunctions::StateMachine", "Properties": {
                    "RoleArn": role,
                    "DefinitionString": json.dumps({
                        "StartAt": "A",
                        "States": {"A": {"Type": "Pass", "End": True}}})}},
            "Inner": {"Type": "AWS::CloudFormation::Stack", "Properties": {
                "TemplateURL": "https://s3.amazonaws.com/%s/inner.json"
                               % BUCKET}},
        }
    }


class StackCase(ApilogsTestCase):
    def setUp(self):
        super().setUp()
        s3 = self.moto.client("s3")
        s3.create_bucket(Bucket=BUCKET)
        s3.put_object(Bucket=BUCKET, Key="inner.json",
                      Body=json.dumps(INNER).encode())
        cf = self.moto.client("cloudformation")
        cf.create_stack(StackName="shop", TemplateBody=json.dumps(template()),
                        Capabilities=["CAPABILITY_IAM"])
        self.res = {r["LogicalResourceId"]: r for r in
                    cf.list_stack_resources(
                        StackName="shop")["StackResourceSummaries"]}
        self.worker = self.res["Worker"]["PhysicalResourceId"]
        self.api_id = self.res["Api"]["PhysicalResourceId"]
        # moto's CloudFormation drops LoggingConfiguration: set it here.
        sfn = self.moto.client("stepfunctions")
        sfn.update_state_machine(
            stateMachineArn=self.res["Checkout"]["PhysicalResourceId"],
            loggingConfiguration={
                "level": "ALL", "includeExecutionData": False,
                "destinations": [{"cloudWatchLogsLogGroup": {
                    "logGroupArn": SFN_GROUP_ARN}}]})
        # Execution logs for the API's stage.
        self.moto.client("apigateway").update_stage(
            restApiId=self.api_id, stageName="prod",
            patchOperations=[{"op": "replace",
                              "path": "/*/*/logging/loglevel",
                              "value": "INFO"}])
        self.exec_group = "API-Gateway-Execution-Logs_%s/prod" % self.api_id

    def sources(self, *args, rc=0):
        r = self.run_apilogs("sources", "--stack-name", "shop", "-o", "json",
                             *args)
        self.assertEqual(r.rc, rc, r)
        return r, (json.loads(r.stdout) if rc == 0 else None)

    def seed_everything(self):
        t = now_ms() - 60000
        groups = {
            "/aws/lambda/shop-orders": "orders line",
            "/aws/lambda/" + self.worker: "worker line",
            self.exec_group: "execution line",
            "/shop/audit": "audit line",
            "/shop/states": "states line",
            "/shop/inner": "inner line",
        }
        for i, (g, m) in enumerate(sorted(groups.items())):
            self.put_events(g, "s", [(t + i, m)])
        # Never read: not in the stack.
        self.put_events("/aws/lambda/unrelated", "s", [(t, "distractor")])
        return groups


class TestStackSources(StackCase):
    def test_every_kind_of_resource(self):
        r, doc = self.sources()
        self.assertEqual(doc["stack"], {"name": "shop"})
        got = {(s["logicalId"], s["resourceType"], s["role"], s["group"])
               for s in doc["sources"]}
        self.assertEqual(got, {
            ("Api", "AWS::ApiGateway::RestApi", "execution",
             self.exec_group),
            ("AuditLog", "AWS::Logs::LogGroup", "loggroup", "/shop/audit"),
            ("Checkout", "AWS::StepFunctions::StateMachine",
             "states:" + self.res["Checkout"]["PhysicalResourceId"]
             .rsplit(":", 1)[1], "/shop/states"),
            ("Inner/InnerGroup", "AWS::Logs::LogGroup", "loggroup",
             "/shop/inner"),
            ("Orders", "AWS::Lambda::Function", "lambda:shop-orders",
             "/aws/lambda/shop-orders"),
            ("Worker", "AWS::Lambda::Function", "lambda:" + self.worker,
             "/aws/lambda/" + self.worker),
        })
        # The function behind the API is one source: the stack's
        # resource, which the API's integration reaches too.
        orders = [s for s in doc["sources"]
                  if s["group"] == "/aws/lambda/shop-orders"][0]
        self.assertIn("Lambda function shop-orders", orders["reason"])
        self.assertIn("Api (AWS::ApiGateway::RestApi)", orders["reason"])
        self.assertEqual(orders["routes"], ["GET /orders"])
        # Sorted by logical id.
        ids = [s["logicalId"] for s in doc["sources"]]
        self.assertEqual(ids, sorted(ids))

    def test_every_stage_of_an_api(self):
        ag = self.moto.client("apigateway")
        dep = ag.get_stage(restApiId=self.api_id,
                           stageName="prod")["deploymentId"]
        ag.create_stage(restApiId=self.api_id, stageName="dev",
                        deploymentId=dep)
        ag.update_stage(restApiId=self.api_id, stageName="dev",
                        patchOperations=[{"op": "replace",
                                          "path": "/*/*/logging/loglevel",
                                          "value": "ERROR"}])
        r, doc = self.sources("--name", "Api")
        dev = "API-Gateway-Execution-Logs_%s/dev" % self.api_id
        self.assertEqual(sorted(s["group"] for s in doc["sources"]),
                         sorted([self.exec_group, dev,
                                 "/aws/lambda/shop-orders"]))
        # --stage picks one stage of every API of the stack.
        r, doc = self.sources("--name", "Api", "--stage", "dev")
        self.assertEqual(sorted(s["group"] for s in doc["sources"]),
                         sorted([dev, "/aws/lambda/shop-orders"]))

    def test_text_shows_logical_id_and_type(self):
        r = self.run_apilogs("sources", "--stack-name", "shop")
        self.assertEqual(r.rc, 0, r)
        lines = r.stdout.splitlines()
        self.assertEqual(lines[0], "stack shop: 6 log groups")
        audit = [ln for ln in lines if "/shop/audit" in ln][0]
        self.assertTrue(audit.startswith("AuditLog "), audit)
        self.assertIn("AWS::Logs::LogGroup", audit)
        self.assertIn("loggroup", audit)

    def test_name_narrows(self):
        r, doc = self.sources("--name", "AuditLog", "--name", "Inner")
        self.assertEqual(sorted(s["group"] for s in doc["sources"]),
                         ["/shop/audit", "/shop/inner"])
        r, doc = self.sources("--name", "Inner/InnerGroup")
        self.assertEqual([s["group"] for s in doc["sources"]],
                         ["/shop/inner"])

    def test_unknown_name(self):
        r, _ = self.sources("--name", "Nope", rc=5)
        self.assertIn("stack 'shop' has no resource with the logical id "
                      "'Nope'", r.stderr)
        self.assertIn("AuditLog", r.stderr)
        self.assertEqual(len(r.stderr.splitlines()), 1, r)
        self.assertEqual(r.stdout, "")

    def test_unknown_stack(self):
        r = self.run_apilogs("sources", "--stack-name", "nope")
        self.assertEqual(r.rc, 5, r)
        self.assertEqual(r.stderr.strip(),
                         "apilogs: no CloudFormation stack 'nope' in %s"
                         % REGION)
        self.assertEqual(r.stdout, "")

    def test_usage_errors(self):
        for args, text in (
                (("--stack-name", "shop", "--api-id", "x"),
                 "--api-id and --stack-name cannot be used together"),
                (("--api-id", "x", "--name", "Api"),
                 "--name needs --stack-name"),
                (("--stack-name", ""), "empty stack name")):
            r = self.run_apilogs("sources", *args)
            self.assertEqual(r.rc, 2, r)
            self.assertIn(text, r.stderr)
            self.assertEqual(len(r.stderr.splitlines()), 1, r)


class TestStackGet(StackCase):
    def test_events_from_every_kind_of_group(self):
        groups = self.seed_everything()
        r = self.run_apilogs("get", "--stack-name", "shop", "-s", "10m",
                             "--no-progress", "-o", "json")
        self.assertEqual(r.rc, 0, r)
        evs = [json.loads(ln) for ln in r.stdout.splitlines()]
        self.assertEqual({e["logGroupName"]: e["message"] for e in evs},
                         groups)
        src = {e["logGroupName"]: e.get("source") for e in evs}
        self.assertEqual(src["/shop/audit"], "loggroup")
        self.assertEqual(src["/aws/lambda/shop-orders"],
                         "lambda:shop-orders")
        self.assertEqual(src[self.exec_group], "execution")

    def test_get_with_name(self):
        self.seed_everything()
        r = self.run_apilogs("get", "--stack-name", "shop", "--name",
                             "Checkout", "-s", "10m", "--no-progress")
        self.assertEqual(r.rc, 0, r)
        lines = r.stdout.splitlines()
        self.assertEqual(len(lines), 1, r)
        self.assertEqual(lines[0].split(), ["/shop/states", "s", "states",
                                            "line"])

    def test_get_unknown_stack(self):
        r = self.run_apilogs("get", "--stack-name", "nope", "-s", "10m")
        self.assertEqual(r.rc, 5, r)
        self.assertIn("no CloudFormation stack 'nope'", r.stderr)

    def test_trace_searches_the_stack(self):
        self.seed_everything()
        r = self.run_apilogs("trace", "0f0e0d0c-0000-4000-8000-000000000000",
                             "--stack-name", "shop", "-s", "10m",
                             "--no-progress")
        self.assertEqual(r.rc, 5, r)
        # Nothing found: the message names the groups searched.
        self.assertIn("/shop/audit", r.stderr)
        self.assertIn("/aws/lambda/shop-orders", r.stderr)

    def test_watch_rediscovers_the_stack(self):
        p = self.spawn_apilogs("get", "--stack-name", "shop", "--watch",
                               "-s", "1s", "-i", "0.2", "--hold-back", "0.3",
                               "-o", "json", "-v",
                               env={"APILOGS_REDISCOVER_SECONDS": "0.5"})
        line = b""
        try:
            msg = self.read_line_with(p.stderr, b"stack shop: 6 log groups",
                                      30)
            self.assertIn(b"stack shop: 6 log groups", msg)
            # A log group resource added to the stack joins the run.
            tmpl = template()
            tmpl["Resources"]["Late"] = {
                "Type": "AWS::Logs::LogGroup",
                "Properties": {"LogGroupName": "/shop/late"}}
            self.moto.client("cloudformation").update_stack(
                StackName="shop", TemplateBody=json.dumps(tmpl),
                Capabilities=["CAPABILITY_IAM"])
            self.put_events("/shop/late", "s", [(now_ms(), "late line")])
            line = self.read_line_with(p.stdout, b"late line")
        finally:
            p.send_signal(signal.SIGINT)
            out, err = p.communicate(timeout=10)
        ev = json.loads(line)
        self.assertEqual(ev["source"], "loggroup")
        self.assertEqual(p.returncode, 0, err)
        self.assertIn(b"apilogs: new log group /shop/late (loggroup)", err)

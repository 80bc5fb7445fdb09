# SPDX-License-Identifier: Apache-2.0
"""A sample serverless API in moto, and realistic logs for it.

moto stores the API Gateway, Lambda and IAM resources but never writes a
log line, so this module also generates the CloudWatch Logs events AWS
would write, in the real formats (aws-facts.md 4.1, 5.3 and 6):

- API Gateway execution logs: every line prefixed "(<request id>) ", the
  INFO-level sequence of a Lambda proxy request, authorizer lines,
  "Endpoint response headers: {... x-amzn-RequestId=<lambda id> ...}" and
  "AWS Integration Endpoint RequestId : <lambda id>";
- access logs: one JSON line per request with $context.requestId and
  $context.integration.requestId;
- Lambda: START/END/REPORT, Node "<ts>\\t<id>\\tINFO\\t..." lines, Python
  "[INFO]\\t<ts>\\t<id>\\t..." lines, an unhandled error and a timeout.

The request-tracing work reuses these logs: every request returns the ids
that tie its lines together (Request.apigw_id, Request.lambda_id,
Request.auth_id).

Used by scripts/demo.py and tests/integration/test_discover.py.
"""

import io
import json
import random
import time
import zipfile

REGION = "us-east-1"
ACCOUNT = "123456789012"

ROLE_POLICY = json.dumps({
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow",
                   "Principal": {"Service": "lambda.amazonaws.com"},
                   "Action": "sts:AssumeRole"}]})


def now_ms():
    return int(time.time() * 1000)


def iso(ms):
    t = time.gmtime(ms // 1000)
    return time.strftime("%Y-%m-%dT%H:%M:%S", t) + ".%03dZ" % (ms % 1000)


def function_arn(name, qualifier=None, region=REGION, account=ACCOUNT):
    arn = "arn:aws:lambda:%s:%s:function:%s" % (region, account, name)
    return arn + (":" + qualifier if qualifier else "")


def lambda_uri(ref, region=REGION):
    """The apigateway invocations URI of a function reference (a name, an
    ARN, or text holding ${stageVariables.x})."""
    return ("arn:aws:apigateway:%s:lambda:path/2015-03-31/functions/%s"
            "/invocations" % (region, ref))


def log_arn(group, region=REGION, account=ACCOUNT):
    return "arn:aws:logs:%s:%s:log-group:%s" % (region, account, group)


def zip_code(source, filename):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr(filename, source)
    return buf.getvalue()


def lambda_role(iam, name="apilogs-sample-lambda"):
    """An IAM role Lambda can assume (moto checks that it exists)."""
    try:
        return iam.get_role(RoleName=name)["Role"]["Arn"]
    except iam.exceptions.NoSuchEntityException:
        return iam.create_role(RoleName=name,
                               AssumeRolePolicyDocument=ROLE_POLICY)[
                                   "Role"]["Arn"]


def create_function(lam, name, role, runtime="nodejs20.x"):
    if runtime.startswith("python"):
        code = zip_code("def handler(event, context):\n"
                        "    return {'statusCode': 200}\n", "index.py")
        handler = "index.handler"
    else:
        code = zip_code("exports.handler = async () => "
                        "({statusCode: 200});\n", "index.js")
        handler = "index.handler"
    return lam.create_function(FunctionName=name, Runtime=runtime,
                               Role=role, Handler=handler,
                               Code={"ZipFile": code}, Timeout=3)[
                                   "FunctionArn"]


class SampleApi:
    """The 'shop' REST API: resources /orders, /orders/{id}, /users and
    /health; functions 'orders' (Node, alias 'live'), 'users' (Python) and
    'authorizer' (Node, a TOKEN authorizer); stage 'prod' with stage
    variables, execution logging (INFO) and access logs; optionally a
    second stage 'dev' whose variables name other functions."""

    ORDERS = "shop-orders"
    USERS = "shop-users"
    USERS_DEV = "shop-users-dev"
    AUTH = "shop-authorizer"
    ACCESS = "/apilogs-sample/shop/access"

    def __init__(self, moto, name="shop", dev_stage=False):
        self.moto = moto
        self.name = name
        self.dev_stage = dev_stage
        self.api_id = None
        self.stage = "prod"
        self.resources = {}
        self.authorizer_id = None

    @property
    def execution_group(self):
        return "API-Gateway-Execution-Logs_%s/%s" % (self.api_id, self.stage)

    def groups(self):
        """The log groups discovery must find for stage prod."""
        return {
            "execution": self.execution_group,
            "access": self.ACCESS,
            "lambda:" + self.ORDERS: "/aws/lambda/" + self.ORDERS,
            "lambda:" + self.USERS: "/aws/lambda/" + self.USERS,
            "authorizer:" + self.AUTH: "/aws/lambda/" + self.AUTH,
        }

    def build(self):
        iam = self.moto.client("iam")
        lam = self.moto.client("lambda")
        ag = self.moto.client("apigateway")
        role = lambda_role(iam)
        create_function(lam, self.ORDERS, role)
        lam.publish_version(FunctionName=self.ORDERS)
        lam.create_alias(FunctionName=self.ORDERS, Name="live",
                         FunctionVersion="1")
        create_function(lam, self.USERS, role, runtime="python3.12")
        create_function(lam, self.AUTH, role)
        if self.dev_stage:
            create_function(lam, self.USERS_DEV, role, runtime="python3.12")

        self.api_id = ag.create_rest_api(name=self.name)["id"]
        items = ag.get_resources(restApiId=self.api_id)["items"]
        root = [r for r in items if r["path"] == "/"][0]["id"]
        orders = ag.create_resource(restApiId=self.api_id, parentId=root,
                                    pathPart="orders")["id"]
        order = ag.create_resource(restApiId=self.api_id, parentId=orders,
                                   pathPart="{id}")["id"]
        users = ag.create_resource(restApiId=self.api_id, parentId=root,
                                   pathPart="users")["id"]
        health = ag.create_resource(restApiId=self.api_id, parentId=root,
                                    pathPart="health")["id"]
        self.resources = {"/orders": orders, "/orders/{id}": order,
                          "/users": users, "/health": health}
        self.authorizer_id = ag.create_authorizer(
            restApiId=self.api_id, name="token-auth", type="TOKEN",
            authorizerUri=lambda_uri(function_arn(self.AUTH)),
            identitySource="method.request.header.Authorization",
            authorizerResultTtlInSeconds=0)["id"]

        def method(res, verb, uri, auth=True, kind="AWS_PROXY"):
            ag.put_method(restApiId=self.api_id, resourceId=res,
                          httpMethod=verb,
                          authorizationType="CUSTOM" if auth else "NONE",
                          **({"authorizerId": self.authorizer_id}
                             if auth else {}))
            if kind == "MOCK":
                ag.put_integration(restApiId=self.api_id, resourceId=res,
                                   httpMethod=verb, type="MOCK")
            else:
                ag.put_integration(restApiId=self.api_id, resourceId=res,
                                   httpMethod=verb, type=kind,
                                   integrationHttpMethod="POST", uri=uri)

        # One function behind several methods, reached three ways: an
        # alias through a stage variable, an alias, and unqualified.
        method(orders, "GET", lambda_uri(
            function_arn(self.ORDERS) + ":${stageVariables.alias}"))
        method(orders, "POST", lambda_uri(function_arn(self.ORDERS, "live")))
        method(order, "GET", lambda_uri(function_arn(self.ORDERS)))
        # The function name itself from a stage variable.
        method(users, "GET", lambda_uri(
            "arn:aws:lambda:%s:%s:function:${stageVariables.usersFn}"
            % (REGION, ACCOUNT)), auth=False)
        method(health, "GET", None, auth=False, kind="MOCK")

        ag.create_deployment(restApiId=self.api_id, stageName="prod",
                             variables={"alias": "live",
                                        "usersFn": self.USERS})
        ag.update_stage(restApiId=self.api_id, stageName="prod",
                        patchOperations=[
                            {"op": "replace",
                             "path": "/*/*/logging/loglevel",
                             "value": "INFO"},
                            {"op": "replace",
                             "path": "/accessLogSettings/destinationArn",
                             "value": log_arn(self.ACCESS)},
                            {"op": "replace",
                             "path": "/accessLogSettings/format",
                             "value": ACCESS_FORMAT}])
        if self.dev_stage:
            ag.create_deployment(restApiId=self.api_id, stageName="dev",
                                 variables={"alias": "live",
                                            "usersFn": self.USERS_DEV})
        return self


ACCESS_FORMAT = json.dumps({
    "requestId": "$context.requestId",
    "ip": "$context.identity.sourceIp",
    "requestTime": "$context.requestTime",
    "httpMethod": "$context.httpMethod",
    "resourcePath": "$context.resourcePath",
    "status": "$context.status",
    "protocol": "$context.protocol",
    "responseLength": "$context.responseLength",
    "integrationRequestId": "$context.integration.requestId",
    "integrationLatency": "$context.integrationLatency",
}, separators=(",", ":"))


class Request:
    """The ids of one simulated request."""

    def __init__(self, apigw_id, lambda_id, auth_id, status):
        self.apigw_id = apigw_id
        self.lambda_id = lambda_id
        self.auth_id = auth_id
        self.status = status


class Traffic:
    """Generates the log events of requests to a SampleApi.

    Events accumulate per (group, stream) in self.events; flush() writes
    them with PutLogEvents (creating groups and streams) and empties the
    buffer. Everything random comes from one seeded generator.
    """

    def __init__(self, api, seed=7):
        self.api = api
        self.rng = random.Random(seed)
        self.events = {}
        self.exec_streams = [self.hex(32) for _ in range(2)]
        self.lambda_streams = {}

    # ids ---------------------------------------------------------------

    def hex(self, n):
        return "".join(self.rng.choice("0123456789abcdef") for _ in range(n))

    def uuid(self):
        h = self.hex(32)
        return "%s-%s-4%s-%s-%s" % (h[:8], h[8:12], h[13:16],
                                    "89ab"[int(h[16], 16) % 4] + h[17:20],
                                    h[20:32])

    def add(self, group, stream, ts, msg):
        self.events.setdefault((group, stream), []).append((ts, msg))

    def lambda_stream(self, fn, version, ts):
        key = (fn, version)
        if key not in self.lambda_streams:
            day = time.strftime("%Y/%m/%d", time.gmtime(ts // 1000))
            self.lambda_streams[key] = "%s/[%s]%s" % (day, version,
                                                      self.hex(32))
        return self.lambda_streams[key]

    # Lambda ------------------------------------------------------------

    def invocation(self, fn, version, ts, lines, duration, python=False,
                   outcome="ok", timeout_s=3, cold=False, json_line=None):
        """START, the function's own lines, END and REPORT. Returns the
        Lambda request id and the end time. cold adds INIT_START (in a new
        stream) and an Init Duration; json_line adds one line in Lambda's
        JSON log format."""
        rid = self.uuid()
        group = "/aws/lambda/" + fn
        if cold:
            self.lambda_streams.pop((fn, version), None)
        stream = self.lambda_stream(fn, version, ts)
        init = None
        if cold:
            init = 150.25
            self.add(group, stream, ts - 160, "INIT_START Runtime Version: "
                     "nodejs:20.v32\tRuntime Version ARN: arn:aws:lambda:%s"
                     "::runtime:%s" % (REGION, self.hex(64)))
            self.add(group, stream, ts - 120, "loading configuration")
        self.add(group, stream, ts, "START RequestId: %s Version: %s"
                 % (rid, version))
        t = ts + 1
        if json_line is not None:
            t += 1
            self.add(group, stream, t, json.dumps({
                "timestamp": iso(t), "level": "INFO", "requestId": rid,
                "message": json_line}, separators=(",", ":")))
        for text in lines:
            t += self.rng.randint(1, 9)
            if python:
                self.add(group, stream, t, "[INFO]\t%s\t%s\t%s"
                         % (iso(t), rid, text))
            else:
                self.add(group, stream, t, "%s\t%s\tINFO\t%s"
                         % (iso(t), rid, text))
        if outcome == "error":
            t += 2
            if python:
                self.add(group, stream, t,
                         "[ERROR] KeyError: 'email'\nTraceback (most recent "
                         "call last):\n  File \"/var/task/index.py\", line "
                         "14, in handler\n    email = event['body']"
                         "['email']")
            else:
                self.add(group, stream, t,
                         "%s\t%s\tERROR\tInvoke Error \t{\"errorType\":"
                         "\"TypeError\",\"errorMessage\":\"Cannot read "
                         "properties of undefined (reading 'id')\"}"
                         % (iso(t), rid))
        if outcome == "timeout":
            t = ts + timeout_s * 1000
            self.add(group, stream, t, "%s %s Task timed out after %d.00 "
                     "seconds" % (iso(t), rid, timeout_s))
            duration = timeout_s * 1000.0
        end = max(t + 1, ts + int(duration))
        self.add(group, stream, end, "END RequestId: %s" % rid)
        billed = int(duration) + 1
        self.add(group, stream, end,
                 "REPORT RequestId: %s\tDuration: %.2f ms\tBilled Duration: "
                 "%d ms\tMemory Size: 128 MB\tMax Memory Used: %d MB%s"
                 % (rid, duration, billed, self.rng.randint(60, 90),
                    "\tInit Duration: %.2f ms" % init if init else ""))
        return rid, end

    # API Gateway -------------------------------------------------------

    def request(self, ts, verb, path, resource, fn, qualifier=None,
                authorized=True, outcome="ok", python=False, lines=None,
                cold=False, json_line=None):
        """One request through API Gateway to a Lambda proxy integration
        (and the TOKEN authorizer when authorized is set)."""
        api = self.api
        group = api.execution_group
        stream = self.rng.choice(self.exec_streams)
        rid = self.uuid()
        ext = self.hex(16)
        p = "(%s) " % rid
        t = ts

        def ex(msg, dt=0):
            nonlocal t
            t += dt
            self.add(group, stream, t, p + msg)

        ex("Extended Request Id: %s=" % ext[:15])
        ex("Verifying Usage Plan for request: %s. API Key:  API Stage: "
           "%s/%s" % (rid, api.api_id, api.stage))
        ex("API Key  authorized because method '%s %s' does not require "
           "API Key. Request will not contribute to throttle or quota "
           "limits" % (verb, resource))
        ex("Usage Plan check succeeded for API Key  and API Stage %s/%s"
           % (api.api_id, api.stage))
        ex("Starting execution for request: %s" % rid)
        ex("HTTP Method: %s, Resource Path: %s" % (verb, path))
        auth_id = None
        if authorized:
            ex("Starting authorizer: %s for request: %s"
               % (api.authorizer_id, rid), 1)
            ex("Incoming identity: ****%s" % self.hex(4))
            ex("Endpoint request URI: https://lambda.%s.amazonaws.com/"
               "2015-03-31/functions/%s/invocations"
               % (REGION, function_arn(api.AUTH)))
            auth_id, t_end = self.invocation(
                api.AUTH, "$LATEST", t + 2, ["verifying token for user-42"],
                self.rng.uniform(3, 12))
            t = t_end + 2
            ex("Authorizer result body before parsing: {\"principalId\":"
               "\"user-42\",\"policyDocument\":{\"Version\":\"2012-10-17\","
               "\"Statement\":[{\"Action\":\"execute-api:Invoke\","
               "\"Effect\":\"Allow\"}]}}")
            ex("Using valid authorizer policy for principal: user-42")
            ex("Successfully completed authorizer execution")
        ex("Method request path: {%s}" % ("id=" + path.rsplit("/", 1)[1]
                                         if "{id}" in resource else ""))
        ex("Method request query string: {}")
        ex("Method request headers: {Accept=application/json, "
           "User-Agent=curl/8.5.0, X-Amzn-Trace-Id=Root=1-%s-%s}"
           % (self.hex(8), self.hex(24)))
        ex("Method request body before transformations: ")
        target = function_arn(fn, qualifier)
        uri = ("https://lambda.%s.amazonaws.com/2015-03-31/functions/%s/"
               "invocations" % (REGION, target))
        ex("Endpoint request URI: %s" % uri, 1)
        ex("Endpoint request headers: {x-amzn-lambda-integration-tag=%s, "
           "Authorization=****************************************************"
           "************************************************************"
           "a3f1c2, X-Amz-Date=%s, x-amzn-apigateway-api-id="
           "%s, X-Amz-Source-Arn=arn:aws:execute-api:%s:%s:%s/%s/%s%s, "
           "Accept=application/json, User-Agent=AmazonAPIGateway_%s, "
           "X-Amz-Security-Token=IQoJb3JpZ2luX2VjEJr//////////wEaCXVzLWVhc3Q"
           "tMSJGMEQCIB [TRUNCATED]" % (rid, time.strftime(
               "%Y%m%dT%H%M%SZ", time.gmtime(t // 1000)), api.api_id,
                                        REGION, ACCOUNT,
                                        api.api_id, api.stage, verb,
                                        resource, api.api_id))
        ex("Endpoint request body after transformations: {\"resource\":"
           "\"%s\",\"path\":\"%s\",\"httpMethod\":\"%s\",\"headers\":{"
           "\"Accept\":\"application/json\"} [TRUNCATED]"
           % (resource, path, verb))
        ex("Sending request to %s" % uri)
        version = "1" if qualifier == "live" else "$LATEST"
        lambda_id, t_end = self.invocation(
            fn, version, t + 3, lines or ["handling %s %s" % (verb, path)],
            self.rng.uniform(20, 180), python=python, outcome=outcome,
            cold=cold, json_line=json_line)
        latency = t_end - t + 2
        t = t_end + 2
        if outcome == "timeout":
            ex("Lambda execution failed with status 200 due to customer "
               "function error: %s %s Task timed out after 3.00 seconds. "
               "Lambda request id: %s" % (iso(t_end - 1), lambda_id,
                                          lambda_id))
            ex("Method completed with status: 502")
            status = 502
        else:
            status = 200 if outcome == "ok" else 502
            if outcome == "ok":
                body = "{\"statusCode\":200,\"body\":\"[{\\\"id\\\":17}]\"}"
            else:
                body = ("{\"errorType\":\"KeyError\",\"errorMessage\":"
                        "\"'email'\"}")
            ex("Received response. Status: 200, Integration latency: %d ms"
               % latency)
            ex("Endpoint response headers: {Date=%s, "
               "Content-Type=application/json, Content-Length=%d, "
               "Connection=keep-alive, x-amzn-RequestId=%s, "
               "x-amzn-Remapped-Content-Length=0, X-Amz-Executed-Version=%s,"
               " X-Amzn-Trace-Id=root=1-%s-%s;sampled=0}"
               % (time.strftime("%a, %d %b %Y %H:%M:%S GMT",
                                time.gmtime(t // 1000)), len(body),
                  lambda_id, version, self.hex(8), self.hex(24)))
            ex("Endpoint response body before transformations: %s" % body)
            if outcome == "ok":
                ex("Method response body after transformations: "
                   "[{\"id\":17}]")
                ex("Method response headers: {X-Amzn-Trace-Id=Root=1-%s-%s;"
                   "Sampled=0}" % (self.hex(8), self.hex(24)))
                ex("Successfully completed execution")
            else:
                ex("Execution failed due to configuration error: Malformed "
                   "Lambda proxy response")
            ex("Method completed with status: %d" % status)
        ex("AWS Integration Endpoint RequestId : %s" % lambda_id)
        ex("X-ray Tracing ID : 1-%s-%s" % (self.hex(8), self.hex(24)))
        t += 1  # the access log line is written when the request ends
        self.add(api.ACCESS, "access-" + self.exec_streams[0][:8], t,
                 json.dumps({
                     "requestId": rid,
                     "ip": "203.0.113.%d" % self.rng.randint(2, 250),
                     "requestTime": time.strftime(
                         "%d/%b/%Y:%H:%M:%S +0000", time.gmtime(t // 1000)),
                     "httpMethod": verb, "resourcePath": resource,
                     "status": str(status), "protocol": "HTTP/1.1",
                     "responseLength": str(self.rng.randint(20, 900)),
                     "integrationRequestId": lambda_id,
                     "integrationLatency": str(latency),
                 }, separators=(",", ":")))
        return Request(rid, lambda_id, auth_id, status)

    def mock(self, ts, path="/health"):
        """A MOCK integration: execution and access logs, no Lambda."""
        api = self.api
        rid = self.uuid()
        stream = self.rng.choice(self.exec_streams)
        for i, msg in enumerate([
                "Starting execution for request: %s" % rid,
                "HTTP Method: GET, Resource Path: %s" % path,
                "Method completed with status: 200"]):
            self.add(api.execution_group, stream, ts + i,
                     "(%s) %s" % (rid, msg))
        self.add(api.ACCESS, "access-" + self.exec_streams[0][:8], ts + 3,
                 json.dumps({"requestId": rid, "httpMethod": "GET",
                             "resourcePath": path, "status": "200"},
                            separators=(",", ":")))
        return Request(rid, None, None, 200)

    def scenario(self, start, step=45000):
        """A varied series of requests from start (ms), one every step:
        orders through the alias, a single order, users (Python), a
        health check, a user error and an order timeout."""
        api = self.api
        t = start
        reqs = []
        for i in range(3):
            reqs.append(self.request(t, "GET", "/orders", "/orders",
                                     api.ORDERS, "live",
                                     lines=["listing orders for user-42",
                                            "found 3 orders"]))
            t += step
            reqs.append(self.request(t, "GET", "/orders/%d" % (17 + i),
                                     "/orders/{id}", api.ORDERS,
                                     lines=["fetching order %d" % (17 + i)]))
            t += step
            reqs.append(self.request(t, "GET", "/users", "/users",
                                     api.USERS, authorized=False,
                                     python=True,
                                     lines=["listing users", "page 1 of 1"]))
            t += step
        reqs.append(self.mock(t))
        t += step
        reqs.append(self.request(t, "GET", "/users", "/users", api.USERS,
                                 authorized=False, python=True,
                                 outcome="error", lines=["creating user"]))
        t += step
        reqs.append(self.request(t, "POST", "/orders", "/orders",
                                 api.ORDERS, "live", outcome="timeout",
                                 lines=["charging card for order 21"]))
        return reqs

    def flush(self, logs):
        """PutLogEvents every buffered event (groups and streams created
        as needed), in chronological order per stream."""
        for (group, stream), evs in sorted(self.events.items()):
            try:
                logs.create_log_group(logGroupName=group)
            except logs.exceptions.ResourceAlreadyExistsException:
                pass
            try:
                logs.create_log_stream(logGroupName=group,
                                       logStreamName=stream)
            except logs.exceptions.ResourceAlreadyExistsException:
                pass
            batch = sorted(evs, key=lambda e: e[0])
            logs.put_log_events(logGroupName=group, logStreamName=stream,
                                logEvents=[{"timestamp": ts, "message": m}
                                           for ts, m in batch])
        n = sum(len(v) for v in self.events.values())
        self.events = {}
        return n

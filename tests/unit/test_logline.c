/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Tests for the API Gateway and Lambda log line readers. Lines are the
 * captures quoted in shared/docs/aws-facts.md (sections 4.1, 5.3, 5.4), and
 * complete public captures where those elide ids with "...".
 */

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "testmain.h"

#include "trace/logline.h"

#define APIGW_ID "cf101403-4a17-11e7-935f-35dfc4618b7d"
#define LAMBDA_ID "57593f79-6e46-4a6f-91b1-f5d848cc2059"
#define AUTH_REQ "9cef3834-f42c-46d7-83fe-a6401a431398"

/*
 * Parse text as a message of exactly strlen(text) bytes in a buffer with
 * no NUL after it, so that ASan catches any read past the length.
 */
static int
parse(const char *text, enum logline_source hint, struct logline *l)
{
	size_t len = strlen(text);
	char *buf;
	int rc;

	buf = malloc(len == 0 ? 1 : len);
	assert_non_null(buf);
	memcpy(buf, text, len);
	rc = logline_parse(buf, len, hint, l);
	free(buf);
	return (rc);
}

/* Parse and check the kind, failing with the line when it differs. */
static void
expect_kind(const char *text, enum logline_source hint, enum logline_kind kind,
    struct logline *l)
{
	int rc;

	rc = parse(text, hint, l);
	if (l->kind != kind) {
		print_error("'%s': kind %s, want %s\n", text,
		    logline_kind_name(l->kind), logline_kind_name(kind));
		fail();
	}
	assert_int_equal(rc, kind == LOGLINE_UNKNOWN ? -1 : 0);
}

/* The text part of a parsed line, as a new string. */
static char *
text_of(const char *msg, const struct logline *l)
{
	char *s;

	assert_true(l->text_off + l->text_len <= strlen(msg));
	s = malloc(l->text_len + 1);
	assert_non_null(s);
	memcpy(s, msg + l->text_off, l->text_len);
	s[l->text_len] = '\0';
	return (s);
}

/* Check the text part of a parsed line. */
static void
expect_text(const char *msg, const struct logline *l, const char *want)
{
	char *got = text_of(msg, l);

	assert_string_equal(got, want);
	free(got);
}

/* The sequence in aws-facts.md 4.1, ids elided there as "515f1e99-...". */
static void
test_exec_capture_elided(void **state)
{
	struct logline l;

	(void)state;
	expect_kind("(515f1e99-…) Extended Request Id: Vts2pH6ArPEFcuQ=",
	    LOGLINE_SRC_EXECUTION, LOGLINE_EXEC_EXTENDED_ID, &l);
	assert_string_equal(l.extended_id, "Vts2pH6ArPEFcuQ=");
	assert_string_equal(l.apigw_id, ""); /* "…" is not an id byte */
	expect_kind("(515f1e99-…) HTTP Method: POST, Resource Path: "
		    "/verifyReceipt",
	    LOGLINE_SRC_EXECUTION, LOGLINE_EXEC_METHOD, &l);
	assert_string_equal(l.method, "POST");
	assert_string_equal(l.path, "/verifyReceipt");
	expect_kind("(515f1e99-…) Endpoint request URI: "
		    "https://lambda.eu-west-2.amazonaws.com/2015-03-31/"
		    "functions/arn:aws:lambda:eu-west-2:ACCT:function:NAME/"
		    "invocations",
	    LOGLINE_SRC_EXECUTION, LOGLINE_EXEC_ENDPOINT_URI, &l);
	assert_string_equal(l.function, ""); /* ACCT is no account id */
	expect_kind("(515f1e99-…) Received response. Integration latency: "
		    "40 ms",
	    LOGLINE_SRC_EXECUTION, LOGLINE_EXEC_RESPONSE, &l);
	assert_int_equal(l.integration_latency_ms, 40);
	assert_int_equal(l.status, -1);
	expect_kind("(515f1e99-…) Received response. Status: 200, "
		    "Integration latency: 392 ms",
	    LOGLINE_SRC_EXECUTION, LOGLINE_EXEC_RESPONSE, &l);
	assert_int_equal(l.integration_latency_ms, 392);
	assert_int_equal(l.status, 200);
	expect_kind("(515f1e99-…) Endpoint response headers: {Date=…, "
		    "Content-Type=application/json, Content-Length=1136, "
		    "Connection=keep-alive, "
		    "x-amzn-RequestId=57593f79-6e46-4a6f-91b1-f5d848cc2059, "
		    "x-amzn-Remapped-Content-Length=0, "
		    "X-Amz-Executed-Version=$LATEST, "
		    "X-Amzn-Trace-Id=root=1-…}",
	    LOGLINE_SRC_EXECUTION, LOGLINE_EXEC_RESPONSE_HEADERS, &l);
	assert_string_equal(l.lambda_id, LAMBDA_ID);
	expect_kind("(515f1e99-…) Successfully completed execution",
	    LOGLINE_SRC_EXECUTION, LOGLINE_EXEC_COMPLETED, &l);
	expect_kind("(515f1e99-…) Method completed with status: 200",
	    LOGLINE_SRC_EXECUTION, LOGLINE_EXEC_STATUS, &l);
	assert_int_equal(l.status, 200);
	assert_false(l.is_error);
	expect_kind("(515f1e99-…) AWS Integration Endpoint RequestId : "
		    "57593f79-6e46-4a6f-91b1-f5d848cc2059",
	    LOGLINE_SRC_EXECUTION, LOGLINE_EXEC_INTEGRATION_ID, &l);
	assert_string_equal(l.lambda_id, LAMBDA_ID);
	expect_kind("(515f1e99-…) X-ray Tracing ID : "
		    "1-5c755b5d-07b29b94e632d3da19d88789",
	    LOGLINE_SRC_EXECUTION, LOGLINE_EXEC_TRACE_ID, &l);
	assert_string_equal(l.trace_id, "1-5c755b5d-07b29b94e632d3da19d88789");
	expect_kind("(515f1e99-…) Method request path: {}",
	    LOGLINE_SRC_EXECUTION, LOGLINE_EXEC_OTHER, &l);
	expect_kind("(515f1e99-…) Endpoint request headers: "
		    "{x-amzn-lambda-integration-tag=515f1e99-…, "
		    "Authorization=****…, … [TRUNCATED]",
	    LOGLINE_SRC_EXECUTION, LOGLINE_EXEC_OTHER, &l);
	assert_string_equal(l.lambda_id, "");
}

/* A complete 2017 capture (a public log parser's fixture). */
static void
test_exec_capture_full(void **state)
{
	static const char *uri_line =
	    "(" APIGW_ID ") Endpoint request URI: "
	    "https://lambda.us-west-2.amazonaws.com/2015-03-31/functions/"
	    "arn:aws:lambda:us-west-2:919586034543:function:extension_state/"
	    "invocations";
	struct logline l;

	(void)state;
	expect_kind("(" APIGW_ID ") Starting execution for request: " APIGW_ID,
	    LOGLINE_SRC_EXECUTION, LOGLINE_EXEC_START, &l);
	assert_string_equal(l.apigw_id, APIGW_ID);
	assert_int_equal(l.source, LOGLINE_SRC_EXECUTION);
	expect_kind("(" APIGW_ID ") HTTP Method: GET, Resource Path: "
		    "/user_info",
	    LOGLINE_SRC_EXECUTION, LOGLINE_EXEC_METHOD, &l);
	assert_string_equal(l.method, "GET");
	assert_string_equal(l.path, "/user_info");
	expect_kind(
	    uri_line, LOGLINE_SRC_EXECUTION, LOGLINE_EXEC_ENDPOINT_URI, &l);
	assert_string_equal(l.function, "extension_state");
	assert_string_equal(l.apigw_id, APIGW_ID);
	expect_text(uri_line, &l,
	    "Endpoint request URI: https://lambda.us-west-2.amazonaws.com/"
	    "2015-03-31/functions/arn:aws:lambda:us-west-2:919586034543:"
	    "function:extension_state/invocations");
	expect_kind("(" APIGW_ID ") Endpoint response headers: "
		    "{x-amzn-Remapped-Content-Length=0, "
		    "x-amzn-RequestId=cf154484-4a17-11e7-aa36-15f3676da0c2, "
		    "Connection=keep-alive, Content-Length=183, Date=Mon, 05 "
		    "Jun 2017 17:52:57 GMT, X-Amzn-Trace-Id=root=1-59359a79-"
		    "3f2c1fd185751bfd75aaa3b7;sampled=0, "
		    "Content-Type=application/json}",
	    LOGLINE_SRC_EXECUTION, LOGLINE_EXEC_RESPONSE_HEADERS, &l);
	assert_string_equal(
	    l.lambda_id, "cf154484-4a17-11e7-aa36-15f3676da0c2");
	/* The id as the last header, and cut by [TRUNCATED]. */
	expect_kind("(" APIGW_ID ") Endpoint response headers: {Date=x, "
		    "x-amzn-RequestId=" LAMBDA_ID "}",
	    LOGLINE_SRC_EXECUTION, LOGLINE_EXEC_RESPONSE_HEADERS, &l);
	assert_string_equal(l.lambda_id, LAMBDA_ID);
	expect_kind("(" APIGW_ID ") Endpoint response headers: {Date=x, "
		    "x-amzn-RequestId=57593f79-6e46 [TRUNCATED]",
	    LOGLINE_SRC_EXECUTION, LOGLINE_EXEC_RESPONSE_HEADERS, &l);
	assert_string_equal(l.lambda_id, "");
	expect_kind("(" APIGW_ID ") Sending request to "
		    "https://lambda.us-east-1.amazonaws.com/2015-03-31/"
		    "functions/arn:aws:lambda:us-east-1:123456789012:function:"
		    "books:prod/invocations",
	    LOGLINE_SRC_EXECUTION, LOGLINE_EXEC_SENDING, &l);
	assert_string_equal(l.function, "books");
	expect_kind("(" APIGW_ID ") Method completed with status: 502",
	    LOGLINE_SRC_EXECUTION, LOGLINE_EXEC_STATUS, &l);
	assert_int_equal(l.status, 502);
	assert_true(l.is_error);
}

static void
test_exec_authorizer(void **state)
{
	struct logline l;

	(void)state;
	/* A 2026 capture of a rejected request. */
	expect_kind("(" AUTH_REQ ") Starting authorizer: 4hugyv for request: "
		    "" AUTH_REQ,
	    LOGLINE_SRC_EXECUTION, LOGLINE_EXEC_AUTH_START, &l);
	assert_string_equal(l.authorizer, "4hugyv");
	assert_string_equal(l.apigw_id, AUTH_REQ);
	expect_kind("(" AUTH_REQ ") Unauthorized request: " AUTH_REQ,
	    LOGLINE_SRC_EXECUTION, LOGLINE_EXEC_UNAUTHORIZED, &l);
	assert_string_equal(l.apigw_id, AUTH_REQ);
	assert_false(l.is_error);
	/* Without the prefix the ids come from the message. */
	expect_kind("Starting authorizer: 62mgrc for request: " AUTH_REQ,
	    LOGLINE_SRC_EXECUTION, LOGLINE_EXEC_AUTH_START, &l);
	assert_string_equal(l.authorizer, "62mgrc");
	assert_string_equal(l.apigw_id, AUTH_REQ);
	/* The 2017 capture of an allowed request. */
	expect_kind("(" APIGW_ID ") Authorizer result body before parsing: "
		    "{\"policyDocument\": {\"Version\": \"2012-10-17\"}, "
		    "\"principalId\": \"UkoTIwQiZZsx03SlU9t_y\"}",
	    LOGLINE_SRC_EXECUTION, LOGLINE_EXEC_AUTH_RESULT, &l);
	expect_kind("(" APIGW_ID ") Using valid authorizer policy for "
		    "principal: ****bkwef5",
	    LOGLINE_SRC_EXECUTION, LOGLINE_EXEC_AUTH_POLICY, &l);
	expect_kind("(" APIGW_ID ") Successfully completed authorizer "
		    "execution",
	    LOGLINE_SRC_EXECUTION, LOGLINE_EXEC_AUTH_DONE, &l);
	assert_string_equal(l.apigw_id, APIGW_ID);
	expect_kind("(" APIGW_ID ") Incoming identity: ****I1BUdE",
	    LOGLINE_SRC_EXECUTION, LOGLINE_EXEC_OTHER, &l);
}

static void
test_exec_errors(void **state)
{
	struct logline l;

	(void)state;
	expect_kind("(" APIGW_ID ") Lambda execution failed with status 200 "
		    "due to customer function error: 2019-03-04T12:00:10.000Z "
		    "" LAMBDA_ID " Task timed out after 10.00 seconds. Lambda "
		    "request id: " LAMBDA_ID,
	    LOGLINE_SRC_EXECUTION, LOGLINE_EXEC_LAMBDA_ERROR, &l);
	assert_int_equal(l.status, 200);
	assert_string_equal(l.lambda_id, LAMBDA_ID);
	assert_true(l.is_error);
	expect_kind("(7735a87a-73d3-439b-8079-2f731fec9980) Execution failed "
		    "due to configuration error: Malformed Lambda proxy "
		    "response",
	    LOGLINE_SRC_EXECUTION, LOGLINE_EXEC_CONFIG_ERROR, &l);
	assert_true(l.is_error);
	assert_string_equal(l.apigw_id, "7735a87a-73d3-439b-8079-2f731fec9980");
	expect_kind("(" APIGW_ID ") Execution failed due to a timeout error",
	    LOGLINE_SRC_EXECUTION, LOGLINE_EXEC_TIMEOUT, &l);
	assert_true(l.is_error);
	expect_kind("(" APIGW_ID ") Key throttle limit exceeded for RestApi "
		    "h733q2j6gb, Stage Prod, Resource k0w8mc, HttpMethod POST. "
		    "Limit: 1.00 Burst: 1",
	    LOGLINE_SRC_EXECUTION, LOGLINE_EXEC_THROTTLED, &l);
	assert_false(l.is_error);
	expect_kind("(" APIGW_ID ") Method completed with status: 429",
	    LOGLINE_SRC_EXECUTION, LOGLINE_EXEC_STATUS, &l);
	assert_int_equal(l.status, 429);
	assert_false(l.is_error);
}

/* Lines from before 2018 carry no "(id) " prefix. */
static void
test_exec_unprefixed(void **state)
{
	struct logline l;

	(void)state;
	expect_kind("Starting execution for request: "
		    "9537d573-87c5-11e6-b3e4-6f23bc206746",
	    LOGLINE_SRC_EXECUTION, LOGLINE_EXEC_START, &l);
	assert_string_equal(l.apigw_id, "9537d573-87c5-11e6-b3e4-6f23bc206746");
	expect_kind("Method completed with status: 400", LOGLINE_SRC_EXECUTION,
	    LOGLINE_EXEC_STATUS, &l);
	assert_int_equal(l.status, 400);
	expect_kind("Execution failed due to configuration error: Invalid "
		    "permissions on Lambda function",
	    LOGLINE_SRC_AUTO, LOGLINE_EXEC_CONFIG_ERROR, &l);
	expect_kind("Method request path: {id=hello}", LOGLINE_SRC_EXECUTION,
	    LOGLINE_UNKNOWN, &l);
	/* Not a prefix: a space inside, no space after, nothing after. */
	expect_kind("(not an id) Method completed with status: 200",
	    LOGLINE_SRC_EXECUTION, LOGLINE_UNKNOWN, &l);
	expect_kind("(abc)Method completed", LOGLINE_SRC_EXECUTION,
	    LOGLINE_UNKNOWN, &l);
	expect_kind("(abc)", LOGLINE_SRC_EXECUTION, LOGLINE_UNKNOWN, &l);
	expect_kind("(abc) ", LOGLINE_SRC_EXECUTION, LOGLINE_EXEC_OTHER, &l);
	assert_string_equal(l.apigw_id, "abc");
	assert_int_equal(l.text_len, 0);
	assert_int_equal(l.text_off, 6);
}

static void
test_lambda_platform_text(void **state)
{
	static const char *report =
	    "REPORT RequestId: " LAMBDA_ID "\tDuration: 128.83 ms\tBilled "
	    "Duration: 200 ms\tMemory Size: 128 MB\tMax Memory Used: 74 MB\t"
	    "Init Duration: 166.62 ms\tXRAY TraceId: "
	    "1-5c755b5d-07b29b94e632d3da19d88789\tSegmentId: 6c1a2c8b9f3e4d5a"
	    "\tSampled: true";
	struct logline l;

	(void)state;
	expect_kind("START RequestId: 00c4bc44-e48e-4e7d-ab38-a47800cd734b "
		    "Version: $LATEST",
	    LOGLINE_SRC_LAMBDA, LOGLINE_LAMBDA_START, &l);
	assert_string_equal(
	    l.lambda_id, "00c4bc44-e48e-4e7d-ab38-a47800cd734b");
	assert_string_equal(l.version, "$LATEST");
	assert_int_equal(l.source, LOGLINE_SRC_LAMBDA);
	expect_kind("END RequestId: 436a9395-6742-4adb-8b87-76f6a0ebfca7",
	    LOGLINE_SRC_LAMBDA, LOGLINE_LAMBDA_END, &l);
	assert_string_equal(
	    l.lambda_id, "436a9395-6742-4adb-8b87-76f6a0ebfca7");
	expect_kind(report, LOGLINE_SRC_LAMBDA, LOGLINE_LAMBDA_REPORT, &l);
	assert_string_equal(l.lambda_id, LAMBDA_ID);
	assert_true(fabs(l.duration_ms - 128.83) < 1e-9);
	assert_true(fabs(l.billed_ms - 200) < 1e-9);
	assert_true(fabs(l.init_ms - 166.62) < 1e-9);
	assert_int_equal(l.memory_mb, 128);
	assert_int_equal(l.max_memory_mb, 74);
	assert_string_equal(l.trace_id, "1-5c755b5d-07b29b94e632d3da19d88789");
	assert_string_equal(l.lambda_status, "");
	assert_false(l.is_error);
	/* Warm start: no Init Duration. A timed-out invocation (2023). */
	expect_kind("REPORT RequestId: 13222b1e-f16b-4550-89df-869ab0a9806d\t"
		    "Duration: 3000.00 ms\tBilled Duration: 3000 ms\tMemory "
		    "Size: 1024 MB\tMax Memory Used: 64 MB\tStatus: timeout",
	    LOGLINE_SRC_LAMBDA, LOGLINE_LAMBDA_REPORT, &l);
	assert_true(fabs(l.duration_ms - 3000) < 1e-9);
	assert_true(l.init_ms < 0);
	assert_int_equal(l.memory_mb, 1024);
	assert_string_equal(l.lambda_status, "timeout");
	assert_true(l.is_error);
	/* A copy with a space where a tab was. */
	expect_kind("REPORT RequestId: 069c8528-5926-43e2-a016-66ceeb943a46\t"
		    "Duration: 300000.00 ms\tBilled Duration: 300000 ms Memory "
		    "Size: 128 MB\tMax Memory Used: 127 MB\tStatus: timeout",
	    LOGLINE_SRC_LAMBDA, LOGLINE_LAMBDA_REPORT, &l);
	assert_true(fabs(l.billed_ms - 300000) < 1e-9);
	assert_int_equal(l.memory_mb, 128);
	assert_int_equal(l.max_memory_mb, 127);
	expect_kind("INIT_START Runtime Version: python:3.12.mainlinev2.v27\t"
		    "Runtime Version ARN: arn:aws:lambda:us-east-1::runtime:"
		    "fb4a",
	    LOGLINE_SRC_LAMBDA, LOGLINE_LAMBDA_INIT_START, &l);
	assert_string_equal(l.version, "python:3.12.mainlinev2.v27");
	expect_kind("INIT_REPORT Init Duration: 150.79 ms\tPhase: init\t"
		    "Status: error\tError Type: Runtime.UserCodeSyntaxError",
	    LOGLINE_SRC_LAMBDA, LOGLINE_LAMBDA_INIT_REPORT, &l);
	assert_true(fabs(l.init_ms - 150.79) < 1e-9);
	assert_string_equal(l.lambda_status, "error");
	assert_true(l.is_error);
	/* In AUTO mode too. */
	expect_kind(report, LOGLINE_SRC_AUTO, LOGLINE_LAMBDA_REPORT, &l);
	assert_int_equal(l.max_memory_mb, 74);
}

static void
test_lambda_app_text(void **state)
{
	static const char *node =
	    "2026-08-10T02:34:39.674Z\t13aa488f-ea9e-4d38-bdfe-74ad3d71e708\t"
	    "WARN\tCannot push rates for property '934811' as there are no "
	    "rates available.";
	static const char *multi =
	    "2024-04-02T10:15:30.123Z\t" LAMBDA_ID "\tERROR\tboom\n"
	    "    at handler (/var/task/index.js:3:9)\n";
	static const char *python =
	    "[INFO]\t2019-06-07T20:38:34.123Z\t" LAMBDA_ID
	    "\tprocessing order 42";
	struct logline l;

	(void)state;
	expect_kind(node, LOGLINE_SRC_LAMBDA, LOGLINE_LAMBDA_APP, &l);
	assert_string_equal(
	    l.lambda_id, "13aa488f-ea9e-4d38-bdfe-74ad3d71e708");
	assert_int_equal(l.level, LOGLINE_LVL_WARN);
	assert_false(l.is_error);
	expect_text(node, &l,
	    "Cannot push rates for property '934811' as there are no rates "
	    "available.");
	expect_kind(multi, LOGLINE_SRC_AUTO, LOGLINE_LAMBDA_APP, &l);
	assert_int_equal(l.level, LOGLINE_LVL_ERROR);
	assert_true(l.is_error);
	expect_text(
	    multi, &l, "boom\n    at handler (/var/task/index.js:3:9)\n");
	/* Outside an invocation Node writes "undefined" for the id. */
	expect_kind(
	    "2025-02-10T07:37:11.523Z\tundefined\tERROR\tUncaught "
	    "Exception \t{\"errorType\":\"Runtime.UserCodeSyntaxError\"}",
	    LOGLINE_SRC_LAMBDA, LOGLINE_LAMBDA_APP, &l);
	assert_string_equal(l.lambda_id, "");
	assert_int_equal(l.level, LOGLINE_LVL_ERROR);
	/* Only a whole UUID counts as the id. */
	expect_kind("2025-02-10T07:37:11.523Z\t" LAMBDA_ID "0\tINFO\tx",
	    LOGLINE_SRC_LAMBDA, LOGLINE_LAMBDA_APP, &l);
	assert_string_equal(l.lambda_id, "");
	/* Old Node runtimes had no level field. */
	expect_kind("2016-10-01T10:47:56.582Z\t8329c002-87c4-11e6-bbf0-"
		    "c124e4d39f76\t{ [Error: Request failed]\n  config: x",
	    LOGLINE_SRC_LAMBDA, LOGLINE_LAMBDA_APP, &l);
	assert_int_equal(l.level, LOGLINE_LVL_NONE);
	assert_string_equal(
	    l.lambda_id, "8329c002-87c4-11e6-bbf0-c124e4d39f76");
	expect_kind(python, LOGLINE_SRC_LAMBDA, LOGLINE_LAMBDA_APP, &l);
	assert_int_equal(l.level, LOGLINE_LVL_INFO);
	assert_string_equal(l.lambda_id, LAMBDA_ID);
	expect_text(python, &l, "processing order 42");
	expect_kind("[WARNING]\t2019-06-07T20:38:34.123Z\t" LAMBDA_ID "\tx",
	    LOGLINE_SRC_LAMBDA, LOGLINE_LAMBDA_APP, &l);
	assert_int_equal(l.level, LOGLINE_LVL_WARN);
	expect_kind("[CRITICAL]\t2019-06-07T20:38:34.123Z\t" LAMBDA_ID "\tx",
	    LOGLINE_SRC_LAMBDA, LOGLINE_LAMBDA_APP, &l);
	assert_int_equal(l.level, LOGLINE_LVL_FATAL);
	assert_true(l.is_error);
	/* An uncaught Python error: no timestamp or id. */
	expect_kind(
	    "[ERROR] Runtime.ImportModuleError: Unable to import module "
	    "'app': No module named 'daily'\nTraceback (most recent "
	    "call last):",
	    LOGLINE_SRC_LAMBDA, LOGLINE_LAMBDA_APP, &l);
	assert_int_equal(l.level, LOGLINE_LVL_ERROR);
	assert_string_equal(l.lambda_id, "");
	/* print() output has nothing to read. */
	expect_kind("hello world", LOGLINE_SRC_LAMBDA, LOGLINE_UNKNOWN, &l);
	expect_kind("[1, 2, 3]", LOGLINE_SRC_LAMBDA, LOGLINE_UNKNOWN, &l);
	expect_kind("[NOTE]\tx", LOGLINE_SRC_LAMBDA, LOGLINE_UNKNOWN, &l);
}

static void
test_lambda_failures_text(void **state)
{
	struct logline l;

	(void)state;
	expect_kind("2019-03-04T12:00:10.000Z " LAMBDA_ID " Task timed out "
		    "after 10.00 seconds",
	    LOGLINE_SRC_LAMBDA, LOGLINE_LAMBDA_TIMEOUT, &l);
	assert_string_equal(l.lambda_id, LAMBDA_ID);
	assert_true(l.is_error);
	expect_kind("RequestId: 2ce4dae6-d9c1-4f05-a66b-9fa8dee16e2e Error: "
		    "Runtime exited with error: exit status 1\n"
		    "Runtime.ExitError",
	    LOGLINE_SRC_AUTO, LOGLINE_LAMBDA_RUNTIME_EXIT, &l);
	assert_string_equal(
	    l.lambda_id, "2ce4dae6-d9c1-4f05-a66b-9fa8dee16e2e");
	assert_true(l.is_error);
	expect_kind("RequestId: 590ec71e-14c1-4498-8edf-2bd808dc3c0e Error: "
		    "Runtime exited without providing a reason",
	    LOGLINE_SRC_LAMBDA, LOGLINE_LAMBDA_RUNTIME_EXIT, &l);
	expect_kind("RequestId: " LAMBDA_ID " Error: Task timed out after "
		    "3.00 seconds",
	    LOGLINE_SRC_LAMBDA, LOGLINE_LAMBDA_TIMEOUT, &l);
	assert_string_equal(l.lambda_id, LAMBDA_ID);
	expect_kind("RequestId: " LAMBDA_ID " Error: Something else",
	    LOGLINE_SRC_LAMBDA, LOGLINE_LAMBDA_INVOKE_ERROR, &l);
	assert_true(l.is_error);
	expect_kind("RequestId: " LAMBDA_ID " Process exited before "
		    "completing request",
	    LOGLINE_SRC_LAMBDA, LOGLINE_LAMBDA_CRASH, &l);
	assert_string_equal(l.lambda_id, LAMBDA_ID);
	expect_kind("Process exited before completing request",
	    LOGLINE_SRC_LAMBDA, LOGLINE_LAMBDA_CRASH, &l);
	assert_true(l.is_error);
	expect_kind("RequestId: " LAMBDA_ID " all fine", LOGLINE_SRC_LAMBDA,
	    LOGLINE_UNKNOWN, &l);
}

static void
test_lambda_json(void **state)
{
	struct logline l;

	(void)state;
	expect_kind("{\"time\":\"2024-06-17T17:23:55.902Z\",\"type\":"
		    "\"platform.start\",\"record\":{\"requestId\":\"ca52c236-"
		    "a38d-40fc-aa6b-7e3be2b7aa55\",\"version\":\"$LATEST\"}}",
	    LOGLINE_SRC_LAMBDA, LOGLINE_LAMBDA_START, &l);
	assert_string_equal(
	    l.lambda_id, "ca52c236-a38d-40fc-aa6b-7e3be2b7aa55");
	assert_string_equal(l.version, "$LATEST");
	assert_true(l.is_json);
	expect_kind("{\"time\":\"2024-06-17T17:23:55.826Z\",\"type\":"
		    "\"platform.report\",\"record\":{\"requestId\":\"40f6c622-"
		    "67a3-4159-97f2-ce364a0cb7a8\",\"metrics\":{\"durationMs\":"
		    "18.593,\"billedDurationMs\":19,\"memorySizeMB\":2048,"
		    "\"maxMemoryUsedMB\":246},\"status\":\"success\"}}",
	    LOGLINE_SRC_AUTO, LOGLINE_LAMBDA_REPORT, &l);
	assert_true(fabs(l.duration_ms - 18.593) < 1e-9);
	assert_true(fabs(l.billed_ms - 19) < 1e-9);
	assert_true(l.init_ms < 0);
	assert_int_equal(l.memory_mb, 2048);
	assert_int_equal(l.max_memory_mb, 246);
	assert_string_equal(l.lambda_status, "success");
	assert_false(l.is_error);
	expect_kind("{\"time\":\"2026-10-08T07:30:29.470Z\",\"type\":"
		    "\"platform.report\",\"record\":{\"requestId\":\"79b5e81f-"
		    "9cdd-4145-b1f6-7c50ef8a2a36\",\"metrics\":{\"durationMs\":"
		    "1233.96,\"billedDurationMs\":1698,\"memorySizeMB\":256,"
		    "\"maxMemoryUsedMB\":123,\"initDurationMs\":463.512},"
		    "\"status\":\"success\"}}",
	    LOGLINE_SRC_LAMBDA, LOGLINE_LAMBDA_REPORT, &l);
	assert_true(fabs(l.init_ms - 463.512) < 1e-9);
	expect_kind("{\"time\":\"2026-07-09T06:05:50.581Z\",\"type\":"
		    "\"platform.report\",\"record\":{\"requestId\":\"aec7a529-"
		    "47f9-4090-be01-c9ed91bf83cf\",\"metrics\":{\"durationMs\":"
		    "5000.0,\"billedDurationMs\":5000,\"memorySizeMB\":128,"
		    "\"maxMemoryUsedMB\":94},\"status\":\"timeout\"}}",
	    LOGLINE_SRC_LAMBDA, LOGLINE_LAMBDA_REPORT, &l);
	assert_string_equal(l.lambda_status, "timeout");
	assert_true(l.is_error);
	expect_kind("{\"time\":\"2024-02-09T08:42:44.079Z\",\"type\":"
		    "\"platform.runtimeDone\",\"record\":{\"requestId\":"
		    "\"d661f7cf-9208-46b9-85b0-213b04a91065\",\"status\":"
		    "\"success\",\"spans\":[{\"name\":\"responseLatency\","
		    "\"start\":\"2024-02-09T08:42:44.078Z\",\"durationMs\":"
		    "0.677}],\"metrics\":{\"durationMs\":1.056,"
		    "\"producedBytes\":50}}}",
	    LOGLINE_SRC_LAMBDA, LOGLINE_LAMBDA_RUNTIME_DONE, &l);
	assert_true(fabs(l.duration_ms - 1.056) < 1e-9);
	assert_false(l.is_error);
	expect_kind("{\"time\":\"2024-02-09T08:42:40.000Z\",\"type\":"
		    "\"platform.initStart\",\"record\":{\"initializationType\":"
		    "\"on-demand\",\"phase\":\"init\",\"runtimeVersion\":"
		    "\"nodejs:20.v13\",\"runtimeVersionArn\":\"arn:aws:lambda:"
		    "us-east-1::runtime:abc\"}}",
	    LOGLINE_SRC_AUTO, LOGLINE_LAMBDA_INIT_START, &l);
	assert_string_equal(l.version, "nodejs:20.v13");
	expect_kind(
	    "{\"time\":\"2024-02-09T08:42:40.100Z\",\"type\":"
	    "\"platform.initReport\",\"record\":{\"initializationType\":"
	    "\"on-demand\",\"phase\":\"init\",\"status\":\"error\","
	    "\"errorType\":\"Runtime.ExitError\",\"metrics\":"
	    "{\"durationMs\":10.17}}}",
	    LOGLINE_SRC_LAMBDA, LOGLINE_LAMBDA_INIT_REPORT, &l);
	assert_true(fabs(l.init_ms - 10.17) < 1e-9);
	assert_true(l.is_error);
	expect_kind("{\"time\":\"2024-02-09T08:42:40.100Z\",\"type\":"
		    "\"platform.extension\",\"record\":{\"name\":\"x\"}}",
	    LOGLINE_SRC_LAMBDA, LOGLINE_LAMBDA_PLATFORM, &l);
	/* Application lines. */
	expect_kind("{\"timestamp\":\"2024-02-09T08:42:44.078Z\",\"level\":"
		    "\"INFO\",\"requestId\":\"d661f7cf-9208-46b9-85b0-"
		    "213b04a91065\",\"message\":\"Just some logs here =)\"}",
	    LOGLINE_SRC_AUTO, LOGLINE_LAMBDA_APP, &l);
	assert_string_equal(
	    l.lambda_id, "d661f7cf-9208-46b9-85b0-213b04a91065");
	assert_int_equal(l.level, LOGLINE_LVL_INFO);
	expect_kind("  {\"timestamp\":\"2024-02-09T08:42:44.078Z\",\"level\":"
		    "\"ERROR\",\"requestId\":\"" LAMBDA_ID "\",\"message\":"
		    "{\"errorType\":\"Error\",\"errorMessage\":\"boom\"}}\n",
	    LOGLINE_SRC_LAMBDA, LOGLINE_LAMBDA_APP, &l);
	assert_int_equal(l.level, LOGLINE_LVL_ERROR);
	assert_true(l.is_error);
	/* Powertools, with and without its function_request_id. */
	expect_kind("{\"level\":\"WARN\",\"message\":\"Cannot push rates for "
		    "property '934811'\",\"service\":\"rate-pusher\"}",
	    LOGLINE_SRC_AUTO, LOGLINE_LAMBDA_APP, &l);
	assert_int_equal(l.level, LOGLINE_LVL_WARN);
	assert_string_equal(l.lambda_id, "");
	expect_kind("{\"level\":\"INFO\",\"message\":\"ok\",\"service\":"
		    "\"orders\",\"function_request_id\":\"" LAMBDA_ID "\"}",
	    LOGLINE_SRC_LAMBDA, LOGLINE_LAMBDA_APP, &l);
	assert_string_equal(l.lambda_id, LAMBDA_ID);
	/* Any other object in a Lambda group is an application line. */
	expect_kind(
	    "{\"order\":42}", LOGLINE_SRC_LAMBDA, LOGLINE_LAMBDA_APP, &l);
	assert_int_equal(l.level, LOGLINE_LVL_NONE);
}

static void
test_access_json(void **state)
{
	static const char *rest =
	    "{ \"requestId\":\"c6af9ac6-7b61-11e6-9a41-93e8deadbeef\", "
	    "\"ip\": \"203.0.113.7\", \"caller\":\"-\", \"user\":\"-\","
	    "\"requestTime\":\"01/May/2024:10:00:00 +0000\", "
	    "\"httpMethod\":\"POST\",\"resourcePath\":\"/orders\", "
	    "\"status\":\"201\",\"protocol\":\"HTTP/1.1\", "
	    "\"responseLength\":\"42\" }";
	struct logline l;

	(void)state;
	expect_kind(rest, LOGLINE_SRC_ACCESS, LOGLINE_ACCESS_JSON, &l);
	assert_string_equal(l.apigw_id, "c6af9ac6-7b61-11e6-9a41-93e8deadbeef");
	assert_string_equal(l.method, "POST");
	assert_string_equal(l.path, "/orders");
	assert_int_equal(l.status, 201);
	assert_false(l.is_error);
	assert_true(l.is_json);
	/* With no "level", AUTO takes it for an access log line too. */
	expect_kind(rest, LOGLINE_SRC_AUTO, LOGLINE_ACCESS_JSON, &l);
	expect_kind(
	    "{\"requestId\":\"c6af9ac6-7b61-11e6-9a41-93e8deadbeef\","
	    "\"integrationRequestId\":\"" LAMBDA_ID "\","
	    "\"authorizerRequestId\":\"" AUTH_REQ "\","
	    "\"extendedRequestId\":\"Vts2pH6ArPEFcuQ=\",\"status\":502,"
	    "\"integrationLatency\":\"31\",\"responseLatency\":45,"
	    "\"integrationErrorMessage\":\"The Lambda function returned "
	    "the following error: boom\"}",
	    LOGLINE_SRC_ACCESS, LOGLINE_ACCESS_JSON, &l);
	assert_string_equal(l.apigw_id, "c6af9ac6-7b61-11e6-9a41-93e8deadbeef");
	assert_string_equal(l.lambda_id, LAMBDA_ID);
	assert_string_equal(l.authorizer_request_id, AUTH_REQ);
	assert_string_equal(l.extended_id, "Vts2pH6ArPEFcuQ=");
	assert_int_equal(l.status, 502);
	assert_int_equal(l.integration_latency_ms, 31);
	assert_int_equal(l.latency_ms, 45);
	assert_true(l.is_error);
	/* HTTP API ids, nested keys, snake case and "-" for "none". */
	expect_kind("{\"request_id\":\"JNyDPiGQoAMEPzQ=\",\"integration\":"
		    "{\"requestId\":\"" LAMBDA_ID "\",\"status\":\"200\","
		    "\"latency\":\"12\",\"error\":\"-\"},\"authorizer\":"
		    "{\"requestId\":\"-\"},\"routeKey\":\"GET /items\","
		    "\"status\":\"200\"}",
	    LOGLINE_SRC_ACCESS, LOGLINE_ACCESS_JSON, &l);
	assert_string_equal(l.apigw_id, "JNyDPiGQoAMEPzQ=");
	assert_string_equal(l.lambda_id, LAMBDA_ID);
	assert_string_equal(l.authorizer_request_id, "");
	assert_int_equal(l.integration_latency_ms, 12);
	/* The route key gives the method and the path. */
	assert_string_equal(l.method, "GET");
	assert_string_equal(l.path, "/items");
	assert_int_equal(l.status, 200);
	assert_false(l.is_error);
	expect_kind("{\"RequestID\":\"" LAMBDA_ID "\",\"aws.endpoint-request-"
		    "id\":\"" AUTH_REQ "\"}",
	    LOGLINE_SRC_ACCESS, LOGLINE_ACCESS_JSON, &l);
	assert_string_equal(l.apigw_id, LAMBDA_ID);
	assert_string_equal(l.lambda_id, AUTH_REQ);
	/* No request id key: nothing to correlate. */
	expect_kind("{\"ip\":\"203.0.113.7\",\"status\":\"200\"}",
	    LOGLINE_SRC_ACCESS, LOGLINE_UNKNOWN, &l);
	assert_true(l.is_json);
	assert_int_equal(l.status, -1);
	/* An id that is too long is dropped, not cut. */
	expect_kind("{\"requestId\":\"a123456789b123456789c123456789d1234567"
		    "89e123456789f123456789g123456789\"}",
	    LOGLINE_SRC_ACCESS, LOGLINE_ACCESS_JSON, &l);
	assert_string_equal(l.apigw_id, "");
}

static void
test_access_text(void **state)
{
	struct logline l;

	(void)state;
	expect_kind("203.0.113.7 - - [01/May/2024:10:00:00 +0000] \"POST "
		    "/orders HTTP/1.1\" 201 42 "
		    "c6af9ac6-7b61-11e6-9a41-93e8deadbeef",
	    LOGLINE_SRC_ACCESS, LOGLINE_ACCESS_TEXT, &l);
	assert_string_equal(l.apigw_id, "c6af9ac6-7b61-11e6-9a41-93e8deadbeef");
	assert_string_equal(l.method, "POST");
	assert_string_equal(l.path, "/orders");
	assert_int_equal(l.status, 201);
	assert_int_equal(l.nuuids, 1);
	/* HTTP API: route key in the request, a non-UUID request id. */
	expect_kind("203.0.113.7 - - [01/May/2024:10:00:00 +0000] \"GET GET "
		    "/items HTTP/1.1\" 503 17 JNyDPiGQoAMEPzQ=",
	    LOGLINE_SRC_ACCESS, LOGLINE_ACCESS_TEXT, &l);
	assert_string_equal(l.apigw_id, "JNyDPiGQoAMEPzQ=");
	assert_string_equal(l.method, "GET");
	assert_string_equal(l.path, "/items"); /* never "GET GET /items" */
	assert_int_equal(l.status, 503);
	assert_true(l.is_error);
	assert_int_equal(l.nuuids, 0);
	/* CSV and XML presets: UUIDs only, distinct, at most four. */
	expect_kind(
	    "203.0.113.7,-,-,01/May/2024:10:00:00 +0000,POST,/orders,"
	    "201,HTTP/1.1,42,c6af9ac6-7b61-11e6-9a41-93e8deadbeef," LAMBDA_ID
	    "," LAMBDA_ID,
	    LOGLINE_SRC_ACCESS, LOGLINE_ACCESS_TEXT, &l);
	assert_int_equal(l.nuuids, 2);
	assert_string_equal(l.uuids[0], "c6af9ac6-7b61-11e6-9a41-93e8deadbeef");
	assert_string_equal(l.uuids[1], LAMBDA_ID);
	assert_string_equal(l.apigw_id, l.uuids[0]);
	assert_int_equal(l.status, -1);
	expect_kind("<request id=\"" LAMBDA_ID "\"><a>" APIGW_ID
		    "</a><b>" AUTH_REQ
		    "</b><c>00c4bc44-e48e-4e7d-ab38-a47800cd734b</c><d>"
		    "13aa488f-ea9e-4d38-bdfe-74ad3d71e708</d></request>",
	    LOGLINE_SRC_ACCESS, LOGLINE_ACCESS_TEXT, &l);
	assert_int_equal(l.nuuids, LOGLINE_MAXUUIDS);
	/* A UUID glued to other id characters is not one. */
	expect_kind("x" LAMBDA_ID " " LAMBDA_ID "0 -" LAMBDA_ID,
	    LOGLINE_SRC_ACCESS, LOGLINE_UNKNOWN, &l);
	expect_kind(
	    "nothing to see here", LOGLINE_SRC_ACCESS, LOGLINE_UNKNOWN, &l);
}

static void
test_garbage(void **state)
{
	static const char *junk[] = {
	    "",
	    " ",
	    "\n\t\r",
	    "(",
	    "()",
	    "( ) x",
	    "{",
	    "[",
	    "{\"a\":",
	    "{\"level\":\"ERROR\", \"message\": \"cut [TRUNCATED]",
	    "[]",
	    "[[[[[[",
	    "START RequestId: ",
	    "REPORT ",
	    "REPORT RequestId: x\tDuration: \tMemory Size: 99999999999 MB",
	    "INIT_START Runtime Version: ",
	    "RequestId: ",
	    "RequestId: x",
	    "[ERROR]",
	    "[ERROR",
	    "2024-01-01T00:00:00",
	    "2024-01-01T00:00:00.000Z\t",
	    "2024-01-01T00:00:00.000Z\t\t",
	    "2024-01-01T00:00:00.000Z x",
	    "HTTP Method: ",
	    ("Received response. Status: 9999999999999999999999, Integration "
	     "latency: 99999999999999999999999 ms"),
	    "Endpoint response headers: x-amzn-RequestId=",
	    "Lambda execution failed with status ",
	    "\"\" 200",
	    "\xff\xfe\x00\x01",
	};
	enum logline_source hints[] = {LOGLINE_SRC_AUTO, LOGLINE_SRC_EXECUTION,
	    LOGLINE_SRC_ACCESS, LOGLINE_SRC_LAMBDA};
	struct logline l;
	size_t i, h;
	char *big;

	(void)state;
	for (i = 0; i < sizeof(junk) / sizeof(junk[0]); i++) {
		for (h = 0; h < 4; h++) {
			parse(junk[i], hints[h], &l);
			assert_true(l.text_off + l.text_len <= strlen(junk[i]));
			assert_true(strlen(l.apigw_id) < LOGLINE_IDLEN);
		}
	}
	/* The truncated JSON is not JSON, but still an error line. */
	expect_kind(junk[9], LOGLINE_SRC_LAMBDA, LOGLINE_UNKNOWN, &l);
	assert_false(l.is_json);
	assert_true(l.is_error);
	expect_kind("", LOGLINE_SRC_AUTO, LOGLINE_UNKNOWN, &l);
	assert_int_equal(l.status, -1);
	assert_true(l.duration_ms < 0);
	assert_int_equal(l.memory_mb, -1);
	/* Embedded NULs and a megabyte of text. */
	assert_int_equal(logline_parse("(a) x\0y", 7, LOGLINE_SRC_AUTO, &l), 0);
	assert_int_equal(l.kind, LOGLINE_EXEC_OTHER);
	big = malloc(1 << 20);
	assert_non_null(big);
	memset(big, 'A', 1 << 20);
	big[0] = '(';
	assert_int_equal(logline_parse(big, 1 << 20, LOGLINE_SRC_AUTO, &l), -1);
	memcpy(big, "REPORT ", 7);
	assert_int_equal(
	    logline_parse(big, 1 << 20, LOGLINE_SRC_LAMBDA, &l), 0);
	free(big);
}

/* The length is honoured: bytes past it are never read. */
static void
test_length(void **state)
{
	static const char text[] = "Method completed with status: 200";
	struct logline l;

	(void)state;
	assert_int_equal(
	    logline_parse(text, sizeof(text) - 3, LOGLINE_SRC_EXECUTION, &l),
	    0);
	assert_int_equal(l.status, 2);
	assert_int_equal(
	    logline_parse("{\"a\":1}xx", 7, LOGLINE_SRC_LAMBDA, &l), 0);
	assert_true(l.is_json);
	assert_null(logline_json_start("abc{", 3));
	assert_false(logline_is_error("TASK ERROR", 6));
}

static void
test_json_start(void **state)
{
	static const char *node =
	    "2024-05-01T10:00:00.000Z\t" LAMBDA_ID "\tINFO\t{\"order\":42}";
	static const char *python =
	    "[INFO]\t2024-05-01T10:00:00.000Z\t" LAMBDA_ID "\t[1,2]";
	static const char *no[] = {
	    "",
	    "   ",
	    "Hello 3 👎",
	    "2024-05-01T10:00:00.000Z\t" LAMBDA_ID "\tINFO\tplain text",
	    "2024-05-01T10:00:00.000Z\t" LAMBDA_ID "\tINFO\t {\"a\":1}",
	    "2024-05-01T10:00:00.000Z\t" LAMBDA_ID "\t{\"a\":1}",
	    "2024-05-01T10:00:00.000Z\t\tINFO\t{\"a\":1}",
	    "2024-05-01 10:00\t" LAMBDA_ID "\tINFO\t{\"a\":1}",
	    "[INFO]\tnot a time\t" LAMBDA_ID "\t{\"a\":1}",
	    "[ERROR] Runtime.ImportModuleError: x",
	    "[INFO]",
	    "[INFO] 2024-05-01T10:00:00.000Z\t" LAMBDA_ID "\t{\"a\":1}",
	    "(" APIGW_ID ") Method request body before transformations: {}",
	};
	const char *msg = "{\"foo\": \"bar\"}", *ws = " \t[1]";
	size_t i;

	(void)state;
	assert_ptr_equal(logline_json_start(msg, strlen(msg)), msg);
	assert_ptr_equal(logline_json_start(ws, strlen(ws)), ws + 2);
	assert_ptr_equal(
	    logline_json_start(node, strlen(node)), strchr(node, '{'));
	assert_ptr_equal(
	    logline_json_start(python, strlen(python)), strrchr(python, '['));
	/* Not a level in brackets: the rule for '[' applies. */
	msg = "[NOPE]\t2024-05-01T10:00:00.000Z\tid\t{}";
	assert_ptr_equal(logline_json_start(msg, strlen(msg)), msg);
	for (i = 0; i < sizeof(no) / sizeof(no[0]); i++) {
		if (logline_json_start(no[i], strlen(no[i])) != NULL) {
			print_error("'%s' has JSON?\n", no[i]);
			fail();
		}
	}
}

static void
test_is_error(void **state)
{
	static const char *yes[] = {
	    "[ERROR]\t2024-05-01T10:00:00.000Z\tid\tx",
	    "2024-05-01T10:00:00.000Z\tid\tERROR\tx",
	    "ERROR",
	    "something: ERROR: bad",
	    "FATAL crash",
	    "[CRITICAL] x",
	    "2019-03-04T12:00:10.000Z id Task timed out after 10.00 seconds",
	    "Process exited before completing request",
	    "RequestId: x Error: Runtime exited with error: signal: killed",
	    "(id) Execution failed due to configuration error: x",
	    "(id) Lambda execution failed with status 200 due to x",
	    "{\"level\":\"error\",\"message\":\"x\"}",
	    "{\"LEVEL\" : \"Error\"}",
	    "{\"level\":\"FATAL\"}",
	    "{\"level\":\"critical\"}",
	    "{\"msg\":\"x\",\"level\":50}",
	    "{\"level\":\"info\",\"nested\":{\"level\":\"error\"}}",
	};
	static const char *no[] = {
	    "",
	    "TypeError: x is not a function",
	    "ERRORS: 0",
	    "NO_ERROR",
	    "ERROR_COUNT=0",
	    "error_count=0",
	    "no errors here",
	    "Error handling enabled",
	    "{\"level\":\"info\",\"message\":\"error\"}",
	    "{\"level\":\"warn\"}",
	    "{\"level\":30}",
	    "{\"level\":\"errors\"}",
	    "{\"level\"}",
	    "{\"level\":",
	    "Task timed",
	    "(id) Method completed with status: 500",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
		if (!logline_is_error(yes[i], strlen(yes[i]))) {
			print_error("'%s' is an error\n", yes[i]);
			fail();
		}
	}
	for (i = 0; i < sizeof(no) / sizeof(no[0]); i++) {
		if (logline_is_error(no[i], strlen(no[i]))) {
			print_error("'%s' is no error\n", no[i]);
			fail();
		}
	}
}

static void
test_kind_names(void **state)
{
	int k, j;

	(void)state;
	assert_string_equal(logline_kind_name(LOGLINE_UNKNOWN), "unknown");
	assert_string_equal(
	    logline_kind_name(LOGLINE_EXEC_STATUS), "exec-status");
	for (k = 1; k <= LOGLINE_ACCESS_TEXT; k++) {
		assert_string_not_equal(logline_kind_name(k), "unknown");
		for (j = 1; j < k; j++)
			assert_string_not_equal(
			    logline_kind_name(k), logline_kind_name(j));
	}
	assert_string_equal(
	    logline_kind_name(LOGLINE_ACCESS_TEXT + 1), "unknown");
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_exec_capture_elided),
    cmocka_unit_test(test_exec_capture_full),
    cmocka_unit_test(test_exec_authorizer),
    cmocka_unit_test(test_exec_errors),
    cmocka_unit_test(test_exec_unprefixed),
    cmocka_unit_test(test_lambda_platform_text),
    cmocka_unit_test(test_lambda_app_text),
    cmocka_unit_test(test_lambda_failures_text),
    cmocka_unit_test(test_lambda_json),
    cmocka_unit_test(test_access_json),
    cmocka_unit_test(test_access_text),
    cmocka_unit_test(test_garbage),
    cmocka_unit_test(test_length),
    cmocka_unit_test(test_json_start),
    cmocka_unit_test(test_is_error),
    cmocka_unit_test(test_kind_names),
};

TEST_MAIN(tests)

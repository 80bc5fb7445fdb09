/* SPDX-License-Identifier: Apache-2.0 */
/* Request correlation (get) and the trace summary. */

#include <stdlib.h>
#include <string.h>

#include "testmain.h"

#include "core/xmalloc.h"
#include "logs/source.h"
#include "trace/corr.h"
#include "trace/trace.h"

#define API1 "a1f1e99c-1111-4aaa-8bbb-000000000001"
#define LAM1 "57593f79-6e46-4a6f-91b1-f5d848cc2059"

struct out {
	char lines[64][200];
	size_t n;
};

static int
collect(void *arg, const struct event *ev, const struct source *s,
    const struct corr_tag *t)
{
	struct out *o = arg;

	(void)s;
	snprintf(o->lines[o->n++], 200, "%s|%s|%.*s", t->apigw, t->lambda,
	    (int)ev->msg_len, ev->msg);
	return (0);
}

static enum discover_role role_access = DISCOVER_ROLE_ACCESS;
static enum discover_role role_lambda = DISCOVER_ROLE_LAMBDA;

static void
push(struct corr *c, const struct source *s, const char *stream, int64_t ts,
    const char *msg)
{
	const enum discover_role *role;
	struct event ev;

	memset(&ev, 0, sizeof ev);
	ev.ts = ev.ingest = ts;
	ev.stream = stream;
	ev.stream_len = strlen(stream);
	ev.id = "1";
	ev.id_len = 1;
	ev.msg = msg;
	ev.msg_len = strlen(msg);
	/* The test's record of a source is its role (NULL: none). */
	role = s->owner;
	assert_int_equal(
	    corr_push(c, &ev, s,
		corr_source_kind(
		    role != NULL ? *role : DISCOVER_ROLE_NONE, s->group),
		0),
	    0);
}

static void
test_corr_tags(void **state)
{
	struct source ex = {0}, lam = {0};
	struct corr_opts o;
	struct corr *c;
	struct out out = {{{0}}, 0};

	(void)state;
	ex.group = "API-Gateway-Execution-Logs_x/prod";
	lam.group = "/aws/lambda/f";
	assert_int_equal(corr_source_kind(DISCOVER_ROLE_NONE, ex.group),
	    LOGLINE_SRC_EXECUTION);
	assert_int_equal(corr_source_kind(DISCOVER_ROLE_NONE, lam.group),
	    LOGLINE_SRC_LAMBDA);
	assert_int_equal(
	    corr_source_kind(DISCOVER_ROLE_NONE, "/custom"), LOGLINE_SRC_AUTO);
	/* The role wins over the name. */
	assert_int_equal(corr_source_kind(DISCOVER_ROLE_EXECUTION, "/custom"),
	    LOGLINE_SRC_EXECUTION);
	assert_int_equal(corr_source_kind(DISCOVER_ROLE_ACCESS, ex.group),
	    LOGLINE_SRC_ACCESS);
	assert_int_equal(corr_source_kind(DISCOVER_ROLE_LAMBDA, "/custom"),
	    LOGLINE_SRC_LAMBDA);
	assert_int_equal(corr_source_kind(DISCOVER_ROLE_AUTHORIZER, "/custom"),
	    LOGLINE_SRC_LAMBDA);
	memset(&o, 0, sizeof o);
	o.lookahead_ms = 30000;
	o.wait_for_mapping = 1;
	c = corr_new(&o, collect, &out);
	push(
	    c, &ex, "e", 1, "(" API1 ") Starting execution for request: " API1);
	push(c, &lam, "s1", 2, "INIT_START Runtime Version: x");
	push(c, &lam, "s1", 3, "init log");
	push(c, &lam, "s1", 4, "START RequestId: " LAM1 " Version: $LATEST");
	push(c, &lam, "s1", 5, "print without id");
	/* Held: the mapping has not been seen. */
	assert_int_equal(out.n, 1);
	push(c, &lam, "s1", 6,
	    "REPORT RequestId: " LAM1 "\tDuration: 1.00 ms"
	    "\tBilled Duration: 1 ms\tMemory Size: 128 MB\tMax Memory Used: "
	    "10 MB");
	push(c, &lam, "s1", 7, "after REPORT: nobody's");
	push(c, &ex, "e", 8,
	    "(" API1 ") Endpoint response headers: {"
	    "x-amzn-RequestId=" LAM1 "}");
	assert_int_equal(corr_release(c, 0, 1), 0);
	assert_int_equal(out.n, 8);
	assert_string_equal(
	    out.lines[1], API1 "|" LAM1 "|INIT_START Runtime Version: x");
	assert_string_equal(out.lines[2], API1 "|" LAM1 "|init log");
	assert_string_equal(out.lines[4], API1 "|" LAM1 "|print without id");
	assert_string_equal(out.lines[6], "||after REPORT: nobody's");
	assert_string_equal(out.lines[7],
	    API1 "|" LAM1 "|(" API1
		 ") Endpoint response headers: {x-amzn-RequestId=" LAM1 "}");
	corr_free(c);
}

static void
test_corr_window_and_filter(void **state)
{
	struct source ex = {0}, lam = {0};
	struct corr_opts o;
	struct corr *c;
	struct out out = {{{0}}, 0};

	(void)state;
	ex.group = "API-Gateway-Execution-Logs_x/prod";
	lam.group = "/aws/lambda/f";
	memset(&o, 0, sizeof o);
	o.lookahead_ms = 1000;
	o.wait_for_mapping = 1;
	o.only_id = LAM1;
	c = corr_new(&o, collect, &out);
	push(
	    c, &ex, "e", 1, "(" API1 ") Starting execution for request: " API1);
	push(c, &ex, "e", 2,
	    "(other-id-000) Starting execution for request: "
	    "other-id-000");
	push(c, &lam, "s1", 3, "START RequestId: " LAM1 " Version: $LATEST");
	push(c, &ex, "e", 4,
	    "(" API1 ") AWS Integration Endpoint RequestId : " LAM1);
	push(c, &ex, "e", 5000,
	    "(other-id-000) Method completed with status: "
	    "200");
	assert_int_equal(corr_release(c, 0, 1), 0);
	/* Only API1's lines, found through the Lambda id. */
	assert_int_equal(out.n, 3);
	assert_non_null(strstr(out.lines[0], "Starting execution"));
	assert_non_null(strstr(out.lines[1], "START RequestId"));
	assert_non_null(strstr(out.lines[2], "Integration Endpoint"));
	corr_free(c);
}

/* Lines before START without INIT_START belong to the coming invocation;
 * old execution lines without "(id) " to the request of their stream. */
static void
test_corr_before_start_and_unprefixed(void **state)
{
	struct source ex = {0}, lam = {0};
	struct corr_opts o;
	struct corr *c;
	struct out out = {{{0}}, 0};

	(void)state;
	ex.group = "API-Gateway-Execution-Logs_x/prod";
	lam.group = "/aws/lambda/f";
	memset(&o, 0, sizeof o);
	o.lookahead_ms = 30000;
	o.wait_for_mapping = 1;
	c = corr_new(&o, collect, &out);
	push(c, &ex, "e", 1, "Starting execution for request: " API1);
	push(c, &ex, "e", 2, "Method request path: {}");
	push(c, &lam, "s1", 3,
	    "TELEMETRY\tName: my-extension\tState: Subscribed\tTypes: "
	    "[Platform]");
	push(c, &lam, "s1", 4, "START RequestId: " LAM1 " Version: $LATEST");
	push(c, &ex, "e", 5, "AWS Integration Endpoint RequestId : " LAM1);
	push(c, &ex, "e", 6, "Method completed with status: 200");
	assert_int_equal(corr_release(c, 0, 1), 0);
	assert_int_equal(out.n, 6);
	assert_string_equal(out.lines[1], API1 "||Method request path: {}");
	assert_string_equal(out.lines[2],
	    API1 "|" LAM1 "|TELEMETRY\tName: my-extension\tState: "
		 "Subscribed\tTypes: [Platform]");
	assert_string_equal(
	    out.lines[5], API1 "||Method completed with status: 200");
	corr_free(c);
}

/* An HTTP API: the access line names no Lambda request; Powertools'
 * correlation_id does, and --request-id works with either id. */
static void
test_corr_correlation_id(void **state)
{
	static const char *const ids[] = {NULL, "KqL8sjHfoAMEZ1A=", LAM1};
	struct source acc = {0}, lam = {0};
	struct corr_opts o;
	struct corr *c;
	struct out out;
	size_t k;

	(void)state;
	acc.group = "/aws/apigateway/http";
	acc.owner = &role_access;
	lam.group = "/aws/lambda/f";
	lam.owner = &role_lambda;
	for (k = 0; k < 3; k++) {
		memset(&out, 0, sizeof out);
		memset(&o, 0, sizeof o);
		o.lookahead_ms = 30000;
		o.wait_for_mapping = 1;
		o.only_id = ids[k];
		c = corr_new(&o, collect, &out);
		push(c, &lam, "s1", 1,
		    "START RequestId: " LAM1 " Version: $LATEST");
		push(c, &lam, "s1", 2,
		    "{\"level\":\"INFO\",\"message\":\"x\","
		    "\"function_request_id\":\"" LAM1 "\","
		    "\"correlation_id\":\"KqL8sjHfoAMEZ1A=\"}");
		push(c, &lam, "s1", 3, "REPORT RequestId: " LAM1);
		push(c, &acc, "a", 4,
		    "{\"requestId\":\"OtherReqId0000=\",\"status\":\"200\"}");
		push(c, &acc, "a", 5,
		    "{\"requestId\":\"KqL8sjHfoAMEZ1A=\",\"routeKey\":"
		    "\"GET /\",\"status\":\"200\"}");
		assert_int_equal(corr_release(c, 0, 1), 0);
		assert_int_equal(out.n, k == 0 ? 5 : 4);
		assert_true(strncmp(out.lines[0], "KqL8sjHfoAMEZ1A=|" LAM1 "|",
				strlen("KqL8sjHfoAMEZ1A=|" LAM1 "|")) == 0);
		assert_true(strncmp(out.lines[2], "KqL8sjHfoAMEZ1A=|" LAM1 "|",
				strlen("KqL8sjHfoAMEZ1A=|" LAM1 "|")) == 0);
		corr_free(c);
	}
}

/* A correlation_id that no API log has is not an API request id. */
static void
test_corr_correlation_id_unknown(void **state)
{
	struct source lam = {0};
	struct corr_opts o;
	struct corr *c;
	struct out out = {{{0}}, 0};

	(void)state;
	lam.group = "/aws/lambda/f";
	memset(&o, 0, sizeof o);
	o.lookahead_ms = 30000;
	o.wait_for_mapping = 1;
	c = corr_new(&o, collect, &out);
	push(c, &lam, "s1", 1, "START RequestId: " LAM1 " Version: $LATEST");
	push(c, &lam, "s1", 2,
	    "{\"level\":\"INFO\",\"function_request_id\":\"" LAM1 "\","
	    "\"correlation_id\":\"order-17\"}");
	assert_int_equal(corr_release(c, 0, 1), 0);
	assert_int_equal(out.n, 2);
	assert_true(strncmp(out.lines[1], "|" LAM1 "|", 38) == 0);
	corr_free(c);
}

static struct trace_ev *
tev(const struct trace_source *s, int64_t ts, const char *msg)
{
	struct trace_ev *t = xcalloc(1, sizeof *t);

	t->src = s;
	t->ev.ts = ts;
	t->ev.msg = msg;
	t->ev.msg_len = strlen(msg);
	logline_parse(
	    msg, strlen(msg), corr_source_kind(s->role, s->group), &t->ll);
	return (t);
}

/* The X-Ray trace id: API Gateway's, else the Lambda REPORT's. */
static void
test_trace_summary_xray(void **state)
{
	struct trace_source ex = {"API-Gateway-Execution-Logs_x/prod",
				DISCOVER_ROLE_NONE},
			    lam = {"/custom/f", DISCOVER_ROLE_LAMBDA};
	struct trace_summary s;
	struct trace_ev *ev[4];
	size_t n = 0, i;

	(void)state;
	ev[n++] = tev(&lam, 100,
	    "REPORT RequestId: " LAM1 "\tDuration: 3.00 ms\tBilled "
	    "Duration: 3 ms\tMemory Size: 128 MB\tMax Memory Used: 64 "
	    "MB\tXRAY TraceId: 1-aaaaaaaa-bbbbbbbbbbbbbbbbbbbbbbbb\t"
	    "SegmentId: 1234\tSampled: true");
	memset(&s, 0, sizeof s);
	s.status = s.latency_ms = s.integration_latency_ms = -1;
	s.kind = TRACE_LAMBDA;
	trace_summarise(ev, n, &s);
	assert_string_equal(s.xray_id, "1-aaaaaaaa-bbbbbbbbbbbbbbbbbbbbbbbb");
	trace_summary_free(&s);
	ev[n++] = tev(&ex, 90,
	    "(" API1 ") X-ray Tracing ID : "
	    "1-5c755b5d-07b29b94e632d3da19d88789");
	memset(&s, 0, sizeof s);
	s.status = s.latency_ms = s.integration_latency_ms = -1;
	s.kind = TRACE_API;
	snprintf(s.apigw_id, sizeof s.apigw_id, "%s", API1);
	trace_summarise(ev, n, &s);
	assert_string_equal(s.xray_id, "1-5c755b5d-07b29b94e632d3da19d88789");
	for (i = 0; i < n; i++)
		free(ev[i]);
	trace_summary_free(&s);
}

static void
test_trace_summary(void **state)
{
	struct trace_source ex = {"API-Gateway-Execution-Logs_x/prod",
				DISCOVER_ROLE_NONE},
			    lam = {"/custom/f", DISCOVER_ROLE_LAMBDA};
	struct trace_summary s;
	struct trace_ev *ev[8];
	size_t n = 0, i;

	(void)state;
	ev[n++] = tev(&ex, 100,
	    "(" API1 ") HTTP Method: POST, Resource Path: "
	    "/orders");
	ev[n++] = tev(&lam, 110, "START RequestId: " LAM1 " Version: $LATEST");
	ev[n++] = tev(&lam, 3110,
	    "2026-11-25T10:00:03.110Z " LAM1 " Task timed "
	    "out after 3.00 seconds");
	ev[n++] = tev(&lam, 3111,
	    "REPORT RequestId: " LAM1 "\tDuration: "
	    "3000.00 ms\tBilled Duration: 3000 ms\tMemory Size: 128 MB\tMax "
	    "Memory Used: 64 MB\tInit Duration: 120.50 ms");
	ev[n++] = tev(&ex, 3120,
	    "(" API1 ") Received response. Status: 200, "
	    "Integration latency: 3010 ms");
	ev[n++] = tev(&ex, 3130,
	    "(" API1 ") Method completed with status: "
	    "502");
	memset(&s, 0, sizeof s);
	s.status = -1;
	s.latency_ms = s.integration_latency_ms = -1;
	s.kind = TRACE_API;
	snprintf(s.apigw_id, sizeof s.apigw_id, "%s", API1);
	trace_summarise(ev, n, &s);
	assert_string_equal(s.method, "POST");
	assert_string_equal(s.path, "/orders");
	assert_int_equal(s.status, 502);
	assert_int_equal(s.integration_latency_ms, 3010);
	assert_int_equal(s.latency_ms, 3030);
	assert_int_equal(s.ninv, 1);
	assert_string_equal(s.inv[0].id, LAM1);
	assert_true(s.inv[0].have_report);
	assert_true(s.inv[0].init_ms > 120.4 && s.inv[0].init_ms < 120.6);
	assert_int_equal(s.inv[0].max_memory_mb, 64);
	assert_string_equal(s.inv[0].status, "timeout");
	assert_true(s.nerrors >= 2);
	assert_string_equal(s.errors[0], "the Lambda function timed out");
	assert_string_equal(s.errors[s.nerrors - 1], "HTTP 502");
	for (i = 0; i < n; i++)
		free(ev[i]);
	trace_summary_free(&s);
}

/* No cap on invocations or errors: a request that fans out keeps all. */
static void
test_trace_summary_many(void **state)
{
	struct trace_source lam = {"/aws/lambda/f", DISCOVER_ROLE_LAMBDA};
	struct trace_summary s;
	struct trace_ev *ev[40];
	char msgs[40][160];
	size_t n = 0, i;

	(void)state;
	for (i = 0; i < 20; i++) {
		snprintf(msgs[n], sizeof msgs[n],
		    "START RequestId: %08zx-0000-4000-8000-000000000000 "
		    "Version: $LATEST",
		    i);
		ev[n] = tev(&lam, (int64_t)(10 * i), msgs[n]);
		n++;
		snprintf(msgs[n], sizeof msgs[n],
		    "2024-04-02T10:15:30.123Z\t%08zx-0000-4000-8000-"
		    "000000000000\tERROR\tfailure %zu",
		    i, i);
		ev[n] = tev(&lam, (int64_t)(10 * i + 1), msgs[n]);
		n++;
	}
	memset(&s, 0, sizeof s);
	s.status = -1;
	s.latency_ms = s.integration_latency_ms = -1;
	s.kind = TRACE_LAMBDA;
	trace_summarise(ev, n, &s);
	assert_int_equal(s.ninv, 20);
	assert_string_equal(
	    s.inv[19].id, "00000013-0000-4000-8000-000000000000");
	assert_int_equal(s.nerrors, 20);
	assert_non_null(strstr(s.errors[19], "failure 19"));
	for (i = 0; i < n; i++)
		free(ev[i]);
	trace_summary_free(&s);
}

/* Summarise lines msgs (source letter + message) as API request API1. */
static void
summarise(const char *const *msgs, struct trace_summary *s)
{
	static const struct trace_source
	    ex = {"API-Gateway-Execution-Logs_x/prod", DISCOVER_ROLE_NONE},
	    lam = {"/aws/lambda/f", DISCOVER_ROLE_LAMBDA},
	    acc = {"/access", DISCOVER_ROLE_ACCESS};
	struct trace_ev *ev[16];
	size_t n = 0, i;

	for (i = 0; msgs[i] != NULL; i++) {
		ev[n] = tev(msgs[i][0] == 'e'   ? &ex
			    : msgs[i][0] == 'l' ? &lam
						: &acc,
		    (int64_t)(100 + i), msgs[i] + 1);
		ev[n]->ev.stream = "s";
		ev[n]->ev.stream_len = 1;
		n++;
	}
	/* s holds the previous call's summary (or zeros): free it. */
	trace_summary_free(s);
	memset(s, 0, sizeof *s);
	s->status = -1;
	s->latency_ms = s->integration_latency_ms = -1;
	s->kind = TRACE_API;
	snprintf(s->apigw_id, sizeof s->apigw_id, "%s", API1);
	trace_summarise(ev, n, s);
	for (i = 0; i < n; i++)
		free(ev[i]);
}

/* Is text one of the summary's errors? */
static int
has_error(const struct trace_summary *s, const char *text)
{
	size_t i;

	for (i = 0; i < s->nerrors; i++) {
		if (strcmp(s->errors[i], text) == 0)
			return (1);
	}
	for (i = 0; i < s->nerrors; i++)
		print_message("error: %s\n", s->errors[i]);
	return (0);
}

/* The failing requests of issue 17, each summarised in its own words. */
static void
test_trace_summary_failures(void **state)
{
	struct trace_summary s;
	const char *timeout[] = {"e(" API1 ") Execution failed due to a "
				 "timeout error",
	    "e(" API1 ") Method completed with status: 504", NULL};
	const char *throttle[] = {
	    "e(" API1 ") Lambda invocation failed with status: 429. Lambda "
	    "request id: " LAM1,
	    "e(" API1 ") Execution failed due to configuration error: Rate "
	    "Exceeded.",
	    "e(" API1 ") Method completed with status: 500", NULL};
	const char *perms[] = {"e(" API1 ") Execution failed due to "
			       "configuration error: Invalid permissions on "
			       "Lambda function",
	    NULL};
	const char *malformed[] = {"e(" API1 ") Execution failed due to "
				   "configuration error: Malformed Lambda "
				   "proxy response",
	    NULL};
	const char *oom[] = {"lSTART RequestId: " LAM1 " Version: $LATEST",
	    "lRequestId: " LAM1 " Error: Runtime exited with error: signal: "
	    "killed\nRuntime.ExitError",
	    "lREPORT RequestId: " LAM1 "\tDuration: 1534.21 ms\tBilled "
	    "Duration: 1535 ms\tMemory Size: 128 MB\tMax Memory Used: 128 "
	    "MB\tStatus: error\tError Type: Runtime.OutOfMemory",
	    NULL};
	const char *init[] = {"lINIT_START Runtime Version: python:3.12.v18",
	    "l[ERROR] Runtime.ImportModuleError: Unable to import module "
	    "'app': No module named 'requests'",
	    "lINIT_REPORT Init Duration: 1666.62 ms\tPhase: invoke\tStatus: "
	    "error\tError Type: Runtime.ImportModuleError",
	    "lSTART RequestId: " LAM1 " Version: $LATEST",
	    "lREPORT RequestId: " LAM1 "\tDuration: 1687.96 ms\tBilled "
	    "Duration: 1688 ms\tMemory Size: 128 MB\tMax Memory Used: 16 "
	    "MB\tStatus: error\tError Type: Runtime.ImportModuleError",
	    NULL};
	const char *java[] = {"lSTART RequestId: " LAM1 " Version: $LATEST",
	    "l{\"errorMessage\":\"Order 17 not found\",\"errorType\":"
	    "\"java.lang.IllegalStateException\",\"stackTrace\":[\"a.B.c("
	    "B.java:1)\"]}",
	    "lREPORT RequestId: " LAM1 "\tDuration: 10.00 ms", NULL};
	const char *jsonfmt[] = {
	    "l{\"time\":\"x\",\"type\":\"platform.runtimeDone\",\"record\""
	    ":{\"requestId\":\"" LAM1 "\",\"status\":\"timeout\"}}",
	    NULL};
	const char *http[] = {"a{\"requestId\":\"" API1 "\",\"httpMethod\":"
			      "\"GET\",\"routeKey\":\"GET /\",\"status\":"
			      "\"200\"}",
	    NULL};

	(void)state;
	memset(&s, 0, sizeof s);
	summarise(timeout, &s);
	assert_true(has_error(&s, "integration timed out (504)"));
	assert_true(has_error(&s, "HTTP 504"));
	summarise(throttle, &s);
	assert_true(has_error(&s, "Lambda throttled"));
	assert_int_equal(s.nerrors, 2); /* and HTTP 500 */
	summarise(perms, &s);
	assert_true(has_error(&s, "Invalid permissions on Lambda function"));
	summarise(malformed, &s);
	assert_true(has_error(&s, "API Gateway configuration error: "
				  "Malformed Lambda proxy response"));
	summarise(oom, &s);
	assert_true(has_error(&s, "the Lambda function ran out of memory"));
	assert_false(has_error(&s, "the Lambda runtime crashed"));
	assert_string_equal(s.inv[0].error_type, "Runtime.OutOfMemory");
	assert_string_equal(s.inv[0].status, "error");
	summarise(init, &s);
	assert_true(has_error(&s, "Lambda init failed "
				  "(Runtime.ImportModuleError)"));
	assert_true(has_error(&s, "error logged: Runtime.ImportModuleError: "
				  "Unable to import module 'app': No module "
				  "named 'requests'"));
	assert_true(has_error(&s, "the Lambda function failed "
				  "(Runtime.ImportModuleError)"));
	summarise(java, &s);
	assert_true(has_error(&s, "error logged: "
				  "java.lang.IllegalStateException: Order 17 "
				  "not found"));
	summarise(jsonfmt, &s);
	assert_true(has_error(&s, "the Lambda function timed out"));
	summarise(http, &s);
	assert_string_equal(s.method, "GET");
	assert_string_equal(s.path, "/");
	trace_summary_free(&s);
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_corr_tags),
    cmocka_unit_test(test_corr_before_start_and_unprefixed),
    cmocka_unit_test(test_corr_correlation_id),
    cmocka_unit_test(test_corr_correlation_id_unknown),
    cmocka_unit_test(test_trace_summary_failures),
    cmocka_unit_test(test_corr_window_and_filter),
    cmocka_unit_test(test_trace_summary),
    cmocka_unit_test(test_trace_summary_xray),
    cmocka_unit_test(test_trace_summary_many),
};

TEST_MAIN(tests)

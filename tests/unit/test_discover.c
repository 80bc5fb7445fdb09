/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Discovery end to end through the aws layer's fake transport, on
 * recorded API Gateway and Lambda responses, in virtual time: the sources
 * found (roles, groups, routes), the warnings, the calls made (one
 * GetFunctionConfiguration per function, GetResources only as the
 * fallback), and the stage and API errors.
 */

#include <stdlib.h>
#include <string.h>

#include "testmain.h"

#include "aws/aws.h"
#include "aws/loop.h"
#include "core/xmalloc.h"
#include "discover/discover.h"
#include "discover/discover_int.h"
#include "fakeaws.h"
#include "fakelogs.h"
#include "logs/source.h"

#define T0 INT64_C(1757671200000)
#define API "/restapis/a1b2c3d4e5"
#define FN "GET /2015-03-31/functions/"
#define CFG "/configuration"

struct denv {
	struct fakeclock clk;
	struct loop *loop;
	struct fakeaws fa;
	struct aws_ctx ctx;
	struct aws_client *v1, *v2, *lam;
	struct discover *d;
	struct discover_result *r;
};

static void
denv_init(struct denv *e, const char *account)
{
	char *cause = NULL;

	memset(e, 0, sizeof *e);
	fakeclock_init(&e->clk, T0);
	e->loop = loop_new(&e->clk.clock, NULL);
	fakeaws_init(&e->fa, e->loop);
	fakeaws_ctx(&e->fa, &e->ctx, e->loop);
	assert_int_equal(aws_client_new(&e->v1, &e->ctx, AWS_APIGATEWAY,
			     "us-east-1", "http://fake.invalid", &cause),
	    0);
	assert_int_equal(aws_client_new(&e->v2, &e->ctx, AWS_APIGATEWAYV2,
			     "us-east-1", "http://fake.invalid", &cause),
	    0);
	assert_int_equal(aws_client_new(&e->lam, &e->ctx, AWS_LAMBDA,
			     "us-east-1", "http://fake.invalid", &cause),
	    0);
	e->d = discover_new(e->v1, e->v2, e->lam, account);
}

static void
denv_free(struct denv *e)
{
	discover_result_free(e->r);
	discover_free(e->d);
	aws_client_free(e->v1);
	aws_client_free(e->v2);
	aws_client_free(e->lam);
	fakeaws_free(&e->fa);
	loop_free(e->loop);
}

/* The source with a role; fails the test when there is none. */
static const struct discover_source *
find(const struct discover_result *r, const char *role)
{
	size_t i;
	char *text;
	int same;

	for (i = 0; i < r->nsrcs; i++) {
		text =
		    discover_role_format(r->srcs[i].role, r->srcs[i].function);
		same = strcmp(text, role) == 0;
		free(text);
		if (same)
			return (&r->srcs[i]);
	}
	fail_msg("no source with role %s", role);
	return (NULL);
}

/* Is there a warning containing text? */
static int
warned(const struct discover_result *r, const char *text)
{
	size_t i;

	for (i = 0; i < r->nwarnings; i++) {
		if (strstr(r->warnings[i], text) != NULL)
			return (1);
	}
	return (0);
}

/* Assert the roles of r, in order, and that each has its group. */
static void
expect(const struct discover_result *r, const char *const *pairs)
{
	size_t i;
	char *text;

	for (i = 0; pairs[2 * i] != NULL; i++) {
		if (i >= r->nsrcs)
			fail_msg("missing source %s", pairs[2 * i]);
		text =
		    discover_role_format(r->srcs[i].role, r->srcs[i].function);
		assert_string_equal(text, pairs[2 * i]);
		free(text);
		assert_string_equal(r->srcs[i].group, pairs[2 * i + 1]);
		assert_true(r->srcs[i].optional);
		assert_non_null(r->srcs[i].reason);
	}
	assert_int_equal(r->nsrcs, i);
}

static void
expect_routes(const struct discover_source *s, const char *const *routes)
{
	size_t i;

	for (i = 0; routes[i] != NULL; i++) {
		if (i >= s->nroutes)
			fail_msg("missing route %s", routes[i]);
		assert_string_equal(s->routes[i], routes[i]);
	}
	assert_int_equal(s->nroutes, i);
}

/* The REST API with its export: everything but the fallback. */
static void
rest_routes(struct fakeaws *fa)
{
	fakeaws_route_file(fa, "GET " API, "discover/rest-getrestapi.json");
	fakeaws_route_file(
	    fa, "GET " API "/stages/prod", "discover/rest-getstage-prod.json");
	fakeaws_route_file(
	    fa, "GET " API "/stages/dev", "discover/rest-getstage-dev.json");
	fakeaws_route_file(
	    fa, "GET " API "/stages", "discover/rest-getstages.json");
	fakeaws_route_file(fa, "GET " API "/stages/prod/exports/oas30",
	    "discover/rest-getexport-oas30.json");
	fakeaws_route_file(
	    fa, "GET " API "/authorizers", "discover/rest-getauthorizers.json");
	fakeaws_route_file(fa, FN "orders" CFG,
	    "discover/lambda-getfunctionconfiguration-logging.json");
	fakeaws_route_file(fa, FN "users" CFG,
	    "discover/lambda-getfunctionconfiguration-moto.json");
	fakeaws_route_file(fa, FN "auth-token" CFG,
	    "discover/lambda-getfunctionconfiguration-text.json");
	fakeaws_error(fa, FN "orders-next" CFG, 404,
	    "ResourceNotFoundException", "Function not found");
}

static void
test_rest_export(void **state)
{
	static const char *const want[] = {"execution",
	    "API-Gateway-Execution-Logs_a1b2c3d4e5/prod", "access",
	    "/aws/apigateway/orders-api-prod", "lambda:orders",
	    "/shared/orders-service", "lambda:orders-next",
	    "/aws/lambda/orders-next", "lambda:users", "/aws/lambda/users",
	    "authorizer:auth-token", "/aws/lambda/auth-token", NULL};
	static const char *const orders[] = {
	    "GET /orders", "GET /orders/{id}", "POST /orders", NULL};
	static const char *const canary[] = {"GET /orders (canary)", NULL};
	struct denv e;
	const struct discover_source *s;

	(void)state;
	denv_init(&e, "123456789012");
	rest_routes(&e.fa);
	e.r = discover_run_sync(e.d, "a1b2c3d4e5", "prod");
	assert_int_equal(e.r->status, DISCOVER_OK);
	assert_int_equal(e.r->type, DISCOVER_REST);
	assert_string_equal(e.r->api_name, "orders-api");
	assert_string_equal(e.r->stage, "prod");
	expect(e.r, want);
	/* One function behind three methods and two qualifiers: one source,
	 * its group from LoggingConfig.LogGroup. */
	s = find(e.r, "lambda:orders");
	expect_routes(s, orders);
	assert_string_equal(s->function, "orders");
	assert_non_null(strstr(s->reason, "LoggingConfig.LogGroup"));
	/* The canary's stage-variable override names another function. */
	expect_routes(find(e.r, "lambda:orders-next"), canary);
	expect_routes(find(e.r, "authorizer:auth-token"), orders);
	assert_non_null(strstr(find(e.r, "authorizer:auth-token")->reason,
	    "authorizer 'token-auth' (TOKEN)"));
	assert_non_null(strstr(find(e.r, "execution")->reason, "INFO"));
	/* What is reported rather than read. */
	assert_true(
	    warned(e.r, "reports (GET /reports) is in region eu-west-1"));
	assert_true(warned(e.r, "partner-feed (GET /partners) is in account "
				"999999999999"));
	assert_true(warned(e.r, "stage variable 'betaFn' is not set on stage "
				"'prod'"));
	assert_true(warned(e.r, "orders-next (GET /orders (canary)) does not "
				"exist"));
	assert_int_equal(e.r->nwarnings, 4);
	/* The calls: the export, no GetResources, one configuration per
	 * function in the account and region, nothing unanswered. */
	assert_int_equal(fakeaws_count(&e.fa, "GET " API "/resources"), 0);
	assert_int_equal(fakeaws_count(&e.fa, FN), 4);
	assert_int_equal(fakeaws_count(&e.fa, FN "orders" CFG), 1);
	assert_int_equal(e.fa.unmatched, 0);
	denv_free(&e);
}

static void
test_rest_fallback_and_dev_stage(void **state)
{
	static const char *const want[] = {"execution",
	    "API-Gateway-Execution-Logs_a1b2c3d4e5/dev", "lambda:orders",
	    "/shared/orders-service", "lambda:users", "/aws/lambda/users",
	    "authorizer:auth-token", "/aws/lambda/auth-token", NULL};
	static const char *const orders[] = {
	    "DELETE /orders/{id}", "GET /orders/{id}", NULL};
	static const char *const auth[] = {
	    "GET /orders", "GET /orders/{id}", NULL};
	struct denv e;

	(void)state;
	denv_init(&e, NULL);
	rest_routes(&e.fa);
	/* moto: the export carries no integration at all. */
	fakeaws_route_file(&e.fa, "GET " API "/stages/dev/exports/oas30",
	    "discover/rest-getexport-moto.json");
	fakeaws_route_file(&e.fa, "GET " API "/resources",
	    "discover/rest-getresources-page1.json");
	fakeaws_route_file(&e.fa,
	    "GET " API "/resources?embed=methods&"
	    "limit=500&position=cjAwMDM%3D",
	    "discover/rest-getresources-page2.json");
	fakeaws_route_file(&e.fa,
	    "GET " API "/resources?embed=methods&"
	    "limit=500&position=cjAwMDU%3D",
	    "discover/rest-getresources-page3.json");
	e.r = discover_run_sync(e.d, "a1b2c3d4e5", "dev");
	assert_int_equal(e.r->status, DISCOVER_OK);
	expect(e.r, want);
	expect_routes(find(e.r, "lambda:orders"), orders);
	expect_routes(find(e.r, "authorizer:auth-token"), auth);
	/* Logging on for one method only. */
	assert_non_null(
	    strstr(find(e.r, "execution")->reason, "ERROR on ~1orders/GET"));
	assert_true(warned(e.r, "Firehose stream "
				"'amazon-apigateway-orders-dev'"));
	assert_true(warned(e.r, "GET /orders: stage variable 'alias' is not "
				"set on stage 'dev'"));
	assert_int_equal(e.r->nwarnings, 2);
	assert_int_equal(fakeaws_count(&e.fa, "GET " API "/resources"), 3);
	/* The account comes from a function ARN the caller could read. */
	assert_string_equal(e.d->account, "123456789012");
	assert_int_equal(e.fa.unmatched, 0);
	denv_free(&e);
}

static void
test_rest_logging_off_and_errors(void **state)
{
	struct denv e;

	(void)state;
	denv_init(&e, "123456789012");
	rest_routes(&e.fa);
	fakeaws_route(&e.fa, "GET " API "/stages/quiet", 200,
	    "{\"stageName\":\"quiet\",\"methodSettings\":{\"*/*\":"
	    "{\"loggingLevel\":\"OFF\"}},\"variables\":{}}");
	fakeaws_route(&e.fa, "GET " API "/stages/quiet/exports/oas30", 200,
	    "{\"openapi\":\"3.0.1\",\"paths\":{\"/u\":{\"get\":{"
	    "\"x-amazon-apigateway-integration\":{\"type\":\"aws_proxy\","
	    "\"uri\":\"arn:aws:lambda:us-east-1:123456789012:function:bad "
	    "name\"}}}}}");
	fakeaws_error(&e.fa, "GET " API "/authorizers", 400,
	    "BadRequestException", "nope");
	e.r = discover_run_sync(e.d, "a1b2c3d4e5", "quiet");
	assert_int_equal(e.r->status, DISCOVER_OK);
	assert_int_equal(e.r->nsrcs, 0);
	assert_true(warned(e.r, "execution logging is off on stage 'quiet'"));
	assert_true(warned(e.r, "path=/*/*/logging/loglevel,value=INFO"));
	assert_true(warned(e.r, "GET /u: cannot read the Lambda URI"));
	assert_true(warned(e.r, "GetAuthorizers: BadRequestException"));
	denv_free(&e);

	/* No permission to read the API: exit 4 material. */
	denv_init(&e, NULL);
	fakeaws_error(&e.fa, "GET " API, 403, "AccessDeniedException",
	    "User is not authorized to perform: apigateway:GET");
	e.r = discover_run_sync(e.d, "a1b2c3d4e5", "prod");
	assert_int_equal(e.r->status, DISCOVER_ERR_ACCESS);
	assert_non_null(strstr(e.r->cause, "GetRestApi: AccessDenied"));
	denv_free(&e);
}

static void
test_stage_choice(void **state)
{
	struct denv e;

	(void)state;
	/* Several stages and none given: list them. */
	denv_init(&e, NULL);
	rest_routes(&e.fa);
	e.r = discover_run_sync(e.d, "a1b2c3d4e5", NULL);
	assert_int_equal(e.r->status, DISCOVER_NO_STAGE);
	assert_non_null(strstr(e.r->cause, "has 2 stages"));
	assert_int_equal(e.r->nchoices, 2);
	assert_string_equal(e.r->choices[0], "prod");
	assert_string_equal(e.r->choices[1], "dev");
	assert_int_equal(e.r->nsrcs, 0);
	discover_result_free(e.r);

	/* An unknown stage: list the ones there are. */
	e.r = discover_run_sync(e.d, "a1b2c3d4e5", "qa");
	assert_int_equal(e.r->status, DISCOVER_NO_STAGE);
	assert_non_null(strstr(e.r->cause, "has no stage 'qa'"));
	assert_int_equal(e.r->nchoices, 2);
	discover_result_free(e.r);

	/* Exactly one stage: it is chosen. */
	fakeaws_route(&e.fa, "GET " API "/stages", 200,
	    "{\"item\":[{\"stageName\":\"prod\",\"deploymentId\":\"d\"}]}");
	e.r = discover_run_sync(e.d, "a1b2c3d4e5", NULL);
	assert_int_equal(e.r->status, DISCOVER_OK);
	assert_string_equal(e.r->stage, "prod");
	discover_result_free(e.r);

	/* No stage at all. */
	fakeaws_route(&e.fa, "GET " API "/stages", 200, "{\"item\":[]}");
	e.r = discover_run_sync(e.d, "a1b2c3d4e5", NULL);
	assert_int_equal(e.r->status, DISCOVER_NO_STAGE);
	assert_non_null(strstr(e.r->cause, "never deployed"));
	assert_int_equal(e.r->nchoices, 0);
	denv_free(&e);
}

static void
test_unknown_api(void **state)
{
	struct denv e;

	(void)state;
	denv_init(&e, NULL);
	/* Neither v1 nor v2 know it (the fake answers 404 to both). */
	fakeaws_route(&e.fa, "GET /restapis", 200,
	    "{\"item\":[{\"id\":\"a1b2c3d4e5\",\"name\":\"orders-api\"}]}");
	fakeaws_route(&e.fa, "GET /v2/apis", 200,
	    "{\"items\":[{\"apiId\":\"h1t2t3p4q5\",\"name\":\"orders-http\","
	    "\"protocolType\":\"HTTP\"}]}");
	e.r = discover_run_sync(e.d, "nope", "prod");
	assert_int_equal(e.r->status, DISCOVER_NO_API);
	assert_non_null(strstr(e.r->cause, "'nope' in us-east-1"));
	assert_int_equal(e.r->nchoices, 2);
	assert_string_equal(e.r->choices[0], "a1b2c3d4e5 (REST, orders-api)");
	assert_string_equal(e.r->choices[1], "h1t2t3p4q5 (HTTP, orders-http)");
	assert_int_equal(fakeaws_count(&e.fa, "GET /restapis/nope"), 1);
	assert_int_equal(fakeaws_count(&e.fa, "GET /v2/apis/nope"), 1);
	denv_free(&e);
}

static void
test_http_api(void **state)
{
	static const char *const want[] = {"access",
	    "/aws/apigateway/orders-http", "lambda:orders-http",
	    "/aws/lambda/orders-http", "authorizer:http-auth",
	    "/aws/lambda/http-auth", NULL};
	static const char *const fn[] = {
	    "$default", "GET /orders", "POST /orders", NULL};
	static const char *const auth[] = {"GET /orders", "POST /orders", NULL};
	struct denv e;

	(void)state;
	denv_init(&e, "123456789012");
	fakeaws_route_http_api(&e.fa);
	fakeaws_route(&e.fa, FN "orders-http" CFG, 200,
	    "{\"FunctionName\":\"orders-http\"}");
	fakeaws_route(
	    &e.fa, FN "http-auth" CFG, 200, "{\"FunctionName\":\"http-auth\"}");
	/* Not found in v1: the 404 of the fake (no route). */
	e.r = discover_run_sync(e.d, "h1t2t3p4q5", NULL);
	assert_int_equal(e.r->status, DISCOVER_OK);
	assert_int_equal(e.r->type, DISCOVER_HTTP);
	assert_string_equal(e.r->stage, "$default");
	expect(e.r, want);
	/* A plain function ARN with a stage variable, and an invocations
	 * URI with an alias: one function. */
	expect_routes(find(e.r, "lambda:orders-http"), fn);
	expect_routes(find(e.r, "authorizer:http-auth"), auth);
	assert_int_equal(e.r->nwarnings, 0);
	/* The integration no route uses is not read. */
	assert_int_equal(fakeaws_count(&e.fa, FN "orphan"), 0);
	assert_int_equal(fakeaws_count(&e.fa, FN), 2);
	assert_int_equal(e.fa.unmatched, 1); /* GetRestApi */
	denv_free(&e);
}

static void
test_http_without_access_logs(void **state)
{
	struct denv e;

	(void)state;
	denv_init(&e, NULL);
	fakeaws_route_http_api(&e.fa);
	fakeaws_route(&e.fa, "GET /v2/apis/h1t2t3p4q5/stages/%24default", 200,
	    "{\"stageName\":\"$default\",\"stageVariables\":{\"fn\":\"x\"}}");
	e.r = discover_run_sync(e.d, "h1t2t3p4q5", "$default");
	assert_int_equal(e.r->status, DISCOVER_OK);
	assert_true(warned(e.r, "access logging is off on stage '$default'"));
	/* The Lambda functions are still found (their config 404s: the
	 * fake knows none, so each gets a warning and its default group). */
	assert_string_equal(find(e.r, "lambda:x")->group, "/aws/lambda/x");
	assert_true(warned(e.r, "Lambda function x (GET /orders, $default) "
				"does not exist"));
	denv_free(&e);
}

static void
test_websocket_api(void **state)
{
	static const char *const want[] = {"execution",
	    "API-Gateway-Execution-Logs_w1s2s3k4t5/prod", "lambda:chat-connect",
	    "/aws/lambda/chat-connect", "lambda:chat-message",
	    "/aws/lambda/chat-message", NULL};
	static const char *const connect[] = {"$connect", "$disconnect", NULL};
	struct denv e;

	(void)state;
	denv_init(&e, "123456789012");
	fakeaws_route_file(
	    &e.fa, "GET /v2/apis/w1s2s3k4t5", "discover/ws-getapi.json");
	fakeaws_route_file(&e.fa, "GET /v2/apis/w1s2s3k4t5/stages/prod",
	    "discover/ws-getstage-prod.json");
	fakeaws_route_file(&e.fa, "GET /v2/apis/w1s2s3k4t5/integrations",
	    "discover/ws-getintegrations.json");
	fakeaws_route_file(&e.fa, "GET /v2/apis/w1s2s3k4t5/routes",
	    "discover/ws-getroutes.json");
	fakeaws_route(&e.fa, FN "chat-connect" CFG, 200,
	    "{\"FunctionName\":\"chat-connect\"}");
	fakeaws_route(&e.fa, FN "chat-message" CFG, 200,
	    "{\"FunctionName\":\"chat-message\",\"LoggingConfig\":null}");
	e.r = discover_run_sync(e.d, "w1s2s3k4t5", "prod");
	assert_int_equal(e.r->status, DISCOVER_OK);
	assert_int_equal(e.r->type, DISCOVER_WEBSOCKET);
	expect(e.r, want);
	expect_routes(find(e.r, "lambda:chat-connect"), connect);
	assert_int_equal(e.r->nwarnings, 0);
	/* No route has an authorizer: GetAuthorizers is not called. */
	assert_int_equal(
	    fakeaws_count(&e.fa, "GET /v2/apis/w1s2s3k4t5/authorizers"), 0);
	denv_free(&e);
}

static void
test_control_plane_pacing(void **state)
{
	struct denv e;
	size_t i, n = 0;

	(void)state;
	denv_init(&e, "123456789012");
	rest_routes(&e.fa);
	e.fa.latency_ms = 1;
	/* Several runs back to back (re-discovery): the API Gateway calls
	 * of all of them stay at or under 10 per second after the burst. */
	for (i = 0; i < 4; i++) {
		e.r = discover_run_sync(e.d, "a1b2c3d4e5", "prod");
		assert_int_equal(e.r->status, DISCOVER_OK);
		discover_result_free(e.r);
	}
	e.r = NULL;
	for (i = 0; i < e.fa.nrequests; i++) {
		if (strncmp(e.fa.requests[i], "GET /restapis", 13) == 0)
			n++;
	}
	assert_int_equal(n, 16);
	/* 16 calls, a burst of 5 then 10/s: at least 1.1 s. */
	assert_true(e.fa.times[e.fa.nrequests - 1] - e.fa.times[0] >= 1000);
	denv_free(&e);
}

struct ticker {
	struct loop *loop;
	int64_t period_ms;
	int ticks;
	int ticks_at_done; /* ticks when the discovery ended */
	int done;
	struct discover_result *r;
};

/* A periodic timer standing for the engine's polls. */
static void
tick(void *arg)
{
	struct ticker *t = arg;

	t->ticks++;
	if (!t->done)
		loop_timer_at(
		    t->loop, loop_mono(t->loop) + t->period_ms, tick, t);
}

static void
discovered(void *arg, struct discover_result *r)
{
	struct ticker *t = arg;

	t->r = r;
	t->ticks_at_done = t->ticks;
	t->done = 1;
}

static void
test_async_run_keeps_the_loop_going(void **state)
{
	struct denv e;
	struct ticker t;
	struct discover_op *op;
	int64_t t0;

	(void)state;
	denv_init(&e, "123456789012");
	rest_routes(&e.fa);
	/* A slow control plane: every answer takes 300 ms. */
	e.fa.latency_ms = 300;
	memset(&t, 0, sizeof t);
	t.loop = e.loop;
	t.period_ms = 50;
	loop_timer_at(e.loop, loop_mono(e.loop) + t.period_ms, tick, &t);
	t0 = loop_mono(e.loop);
	op = discover_start(e.d, "a1b2c3d4e5", "prod", discovered, &t);
	assert_non_null(op);
	/* Never called back from inside discover_start. */
	assert_false(t.done);
	loop_run_until(e.loop, &t.done);
	e.r = t.r;
	assert_int_equal(e.r->status, DISCOVER_OK);
	assert_int_equal(e.r->nsrcs, 6);
	/* The other timers kept firing all along (no nested run blocked
	 * them): one tick every 50 ms of the discovery. */
	assert_true(t.ticks_at_done >= (loop_mono(e.loop) - t0) / 50 - 1);
	/* Requests that do not depend on each other are in flight at once:
	 * GetExport with GetAuthorizers, the four GetFunctionConfiguration
	 * calls together. 4 round trips to the export, then 1 for the
	 * functions: well under the 9 a call-after-call run takes. */
	assert_true(loop_mono(e.loop) - t0 < 7 * 300);
	denv_free(&e);
}

static void
never_discovered(void *arg, struct discover_result *r)
{
	(void)arg;
	(void)r;
	fail_msg("a cancelled discovery called back");
}

static void
stop_at(void *arg)
{
	*(int *)arg = 1;
}

static void
test_async_cancel(void **state)
{
	struct denv e;
	struct discover_op *op;
	size_t n;
	int64_t when;
	int done = 0;

	(void)state;
	denv_init(&e, "123456789012");
	rest_routes(&e.fa);
	e.fa.latency_ms = 100;
	/* Cancelled in the middle: after the stage, with GetExport and
	 * GetAuthorizers in flight. */
	op = discover_start(e.d, "a1b2c3d4e5", "prod", never_discovered, NULL);
	loop_timer_at(e.loop, loop_mono(e.loop) + 250, stop_at, &done);
	loop_run_until(e.loop, &done);
	n = e.fa.nrequests;
	assert_true(n >= 3);
	assert_int_equal(fakeaws_count(&e.fa, FN), 0);
	discover_op_cancel(op);
	/* Nothing more is asked, nothing calls back. */
	done = 0;
	when = loop_mono(e.loop) + 5000;
	loop_timer_at(e.loop, when, stop_at, &done);
	loop_run_until(e.loop, &done);
	assert_int_equal(e.fa.nrequests, n);
	/* Cancelled before anything answered, and while pacing. */
	discover_op_cancel(
	    discover_start(e.d, "a1b2c3d4e5", "prod", never_discovered, NULL));
	discover_op_cancel(NULL);
	denv_free(&e);
}

static void
test_pagination_cycle_fails_the_run(void **state)
{
	struct denv e;

	(void)state;
	denv_init(&e, "123456789012");
	rest_routes(&e.fa);
	/* moto-like export (no integration) and GetResources positions that
	 * go A, B, A: one error, no endless loop. */
	fakeaws_route_file(&e.fa, "GET " API "/stages/prod/exports/oas30",
	    "discover/rest-getexport-moto.json");
	fakeaws_route(&e.fa, "GET " API "/resources", 200,
	    "{\"item\":[],\"position\":\"A\"}");
	fakeaws_route(&e.fa,
	    "GET " API "/resources?embed=methods&limit=500&position=A", 200,
	    "{\"item\":[],\"position\":\"B\"}");
	fakeaws_route(&e.fa,
	    "GET " API "/resources?embed=methods&limit=500&position=B", 200,
	    "{\"item\":[],\"position\":\"A\"}");
	e.r = discover_run_sync(e.d, "a1b2c3d4e5", "prod");
	assert_int_equal(e.r->status, DISCOVER_ERR_AWS);
	assert_non_null(strstr(e.r->cause, "GetResources: "));
	assert_non_null(strstr(e.r->cause, "pagination cycle"));
	assert_int_equal(fakeaws_count(&e.fa, "GET " API "/resources"), 3);
	discover_result_free(e.r);

	/* An HTTP API whose GetRoutes ignores nextToken. */
	fakeaws_route_http_api(&e.fa);
	fakeaws_route(&e.fa, "GET /v2/apis/h1t2t3p4q5/routes", 200,
	    "{\"items\":[],\"nextToken\":\"again\"}");
	e.r = discover_run_sync(e.d, "h1t2t3p4q5", NULL);
	assert_int_equal(e.r->status, DISCOVER_ERR_AWS);
	assert_non_null(strstr(e.r->cause, "GetRoutes: "));
	assert_non_null(strstr(e.r->cause, "'again'"));
	denv_free(&e);
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_rest_export),
    cmocka_unit_test(test_rest_fallback_and_dev_stage),
    cmocka_unit_test(test_rest_logging_off_and_errors),
    cmocka_unit_test(test_stage_choice),
    cmocka_unit_test(test_unknown_api),
    cmocka_unit_test(test_http_api),
    cmocka_unit_test(test_http_without_access_logs),
    cmocka_unit_test(test_websocket_api),
    cmocka_unit_test(test_control_plane_pacing),
    cmocka_unit_test(test_async_run_keeps_the_loop_going),
    cmocka_unit_test(test_async_cancel),
    cmocka_unit_test(test_pagination_cycle_fails_the_run),
};

TEST_MAIN(tests)

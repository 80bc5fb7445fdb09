/* SPDX-License-Identifier: Apache-2.0 */
/*
 * API Gateway v1 and v2 decoders on recorded responses, and the calls
 * through the aws layer's fake transport in virtual time: GetResources
 * one call per page with embed/limit/position, paced to one call every
 * 400 ms; GetExport's query and Accept header; v2 paging by nextToken,
 * GetAuthorizers tried once; pagination cycles (A, B, A) stop a listing
 * with an error; a cancelled call never calls back.
 */

#include <stdlib.h>
#include <string.h>

#include "testmain.h"

#include "aws/aws.h"
#include "aws/loop.h"
#include "core/xmalloc.h"
#include "discover/apigw.h"
#include "discover/apigwv2.h"
#include "fakeaws.h"
#include "fakelogs.h"

#define T0 INT64_C(1757671200000)
#define API "/restapis/a1b2c3d4e5"

static json_t *
load(const char *file)
{
	json_t *j;
	char *s;
	size_t len;

	s = fakeaws_read(file, &len);
	j = json_loadb(s, len, 0, NULL);
	free(s);
	assert_non_null(j);
	return (j);
}

static const struct apigw_method *
method(const struct apigw_definition *d, const char *route)
{
	size_t i;

	for (i = 0; i < d->nmethods; i++) {
		if (strcmp(d->methods[i].route, route) == 0)
			return (&d->methods[i]);
	}
	fail_msg("no method %s", route);
	return (NULL);
}

static void
test_decode_stage_canary(void **state)
{
	struct apigw_stage st;
	json_t *j;
	char *cause = NULL;

	(void)state;
	j = load("discover/rest-getstage-prod.json");
	assert_int_equal(apigw_decode_stage(j, &st, &cause), 0);
	assert_string_equal(st.name, "prod");
	assert_string_equal(st.deployment_id, "dep0prod01");
	assert_int_equal(st.nsettings, 1);
	assert_string_equal(st.settings[0].key, "*/*");
	assert_string_equal(st.settings[0].logging_level, "INFO");
	assert_int_equal(st.settings[0].data_trace, 0);
	assert_int_equal(st.variables.n, 3);
	assert_string_equal(restjson_map_get(&st.variables, "fn"), "orders");
	assert_string_equal(st.access_destination,
	    "arn:aws:logs:us-east-1:123456789012:log-group:"
	    "/aws/apigateway/orders-api-prod");
	assert_non_null(strstr(st.access_format, "$context.requestId"));
	assert_true(st.canary);
	assert_string_equal(st.canary_deployment_id, "dep0canary");
	assert_int_equal(st.canary_variables.n, 1);
	assert_string_equal(
	    restjson_map_get(&st.canary_variables, "fn"), "orders-next");
	apigw_stage_free(&st);
	json_decref(j);

	/* moto's nulls: accessLogSettings null, no canary. */
	j = json_loads("{\"stageName\":\"s\",\"methodSettings\":{},"
		       "\"variables\":null,\"accessLogSettings\":null}",
	    0, NULL);
	assert_int_equal(apigw_decode_stage(j, &st, &cause), 0);
	assert_null(st.access_destination);
	assert_false(st.canary);
	assert_int_equal(st.variables.n, 0);
	apigw_stage_free(&st);
	json_decref(j);

	j = json_loads("{\"deploymentId\":\"x\"}", 0, NULL);
	assert_int_equal(apigw_decode_stage(j, &st, &cause), -1);
	assert_non_null(cause);
	free(cause);
	apigw_stage_free(&st);
	json_decref(j);
}

static void
test_decode_export_oas30(void **state)
{
	struct apigw_definition d;
	const struct apigw_method *m;
	json_t *j;

	(void)state;
	memset(&d, 0, sizeof d);
	j = load("discover/rest-getexport-oas30.json");
	apigw_decode_export(j, &d);
	assert_int_equal(d.nmethods, 9);
	assert_int_equal(d.nintegrations, 9);
	m = method(&d, "GET /orders");
	assert_string_equal(m->type, "AWS_PROXY");
	assert_non_null(strstr(m->uri, "${stageVariables.fn}"));
	assert_string_equal(m->authorizer, "token-auth");
	m = method(&d, "POST /orders");
	assert_string_equal(m->type, "AWS");
	assert_string_equal(method(&d, "OPTIONS /orders")->type, "MOCK");
	assert_null(method(&d, "OPTIONS /orders")->uri);
	assert_string_equal(
	    method(&d, "GET /orders/{id}")->authorizer, "token-auth");
	m = method(&d, "ANY /users");
	assert_string_equal(m->authorizer, "cognito");
	assert_string_equal(method(&d, "GET /external")->type, "HTTP_PROXY");
	assert_int_equal(d.authorizers.n, 2);
	assert_string_equal(d.authorizers.v[0].name, "token-auth");
	assert_string_equal(d.authorizers.v[0].type, "TOKEN");
	assert_non_null(strstr(d.authorizers.v[0].uri, "function:auth-token/"));
	assert_null(d.authorizers.v[0].id);
	assert_string_equal(d.authorizers.v[1].type, "COGNITO_USER_POOLS");
	assert_null(d.authorizers.v[1].uri);
	apigw_definition_free(&d);
	json_decref(j);
}

static void
test_decode_export_moto(void **state)
{
	struct apigw_definition d;
	json_t *j;

	(void)state;
	/* moto ignores the extensions: methods, but no integration. */
	memset(&d, 0, sizeof d);
	j = load("discover/rest-getexport-moto.json");
	apigw_decode_export(j, &d);
	assert_int_equal(d.nmethods, 2);
	assert_int_equal(d.nintegrations, 0);
	assert_non_null(method(&d, "GET /orders"));
	assert_null(method(&d, "POST /orders")->type);
	apigw_definition_free(&d);
	json_decref(j);
}

struct genv {
	struct fakeclock clk;
	struct loop *loop;
	struct fakeaws fa;
	struct aws_ctx ctx;
	struct aws_client *c;
	struct ratelimit total;
	struct apigw g;
	struct apigwv2 g2;
};

static void
genv_init(struct genv *e)
{
	char *cause = NULL;

	memset(e, 0, sizeof *e);
	fakeclock_init(&e->clk, T0);
	e->loop = loop_new(&e->clk.clock, NULL);
	fakeaws_init(&e->fa, e->loop);
	fakeaws_ctx(&e->fa, &e->ctx, e->loop);
	assert_int_equal(aws_client_new(&e->c, &e->ctx, AWS_APIGATEWAY,
			     "us-east-1", "http://fake.invalid", &cause),
	    0);
	ratelimit_init(&e->total, 10, T0);
	apigw_init(&e->g, e->c, &e->total);
	apigwv2_init(&e->g2, e->c, &e->total);
}

static void
genv_free(struct genv *e)
{
	aws_client_free(e->c);
	fakeaws_free(&e->fa);
	loop_free(e->loop);
}

static void
test_get_resources_pages(void **state)
{
	struct genv e;
	struct apigw_definition d;
	struct fakeaws_wait w;

	(void)state;
	genv_init(&e);
	memset(&w, 0, sizeof w);
	memset(&d, 0, sizeof d);
	fakeaws_route_file(&e.fa,
	    "GET " API "/resources?embed=methods&limit=500",
	    "discover/rest-getresources-page1.json");
	fakeaws_route_file(&e.fa,
	    "GET " API "/resources?embed=methods&limit=500&position=cjAwMDM%3D",
	    "discover/rest-getresources-page2.json");
	fakeaws_route_file(&e.fa,
	    "GET " API "/resources?embed=methods&limit=500&position=cjAwMDU%3D",
	    "discover/rest-getresources-page3.json");
	assert_int_equal(
	    fakeaws_wait(e.loop,
		apigw_get_resources(&e.g, "a1b2c3d4e5", &d, fakeaws_done, &w),
		&w),
	    RESTJSON_OK);
	assert_int_equal(w.res.aws.status, AWS_OK);
	/* One call per page, never one per method. */
	assert_int_equal(e.fa.nrequests, 3);
	assert_int_equal(e.fa.unmatched, 0);
	assert_int_equal(d.pages, 3);
	assert_int_equal(w.res.pages, 3);
	assert_int_equal(d.nmethods, 6);
	assert_int_equal(d.nintegrations, 5); /* /health has a null one */
	assert_string_equal(method(&d, "GET /orders")->authorizer, "tok3n1");
	assert_string_equal(method(&d, "DELETE /orders/{id}")->type, "AWS");
	assert_null(method(&d, "ANY /users")->authorizer);
	assert_null(method(&d, "GET /health")->type);
	/* GetResources: one call every 400 ms (5 per 2 s at most). */
	assert_true(e.fa.times[1] - e.fa.times[0] >= 400);
	assert_true(e.fa.times[2] - e.fa.times[1] >= 400);
	assert_true(e.fa.times[2] - e.fa.times[1] < 500);
	apigw_definition_free(&d);
	fakeaws_wait_free(&w);
	genv_free(&e);
}

static void
test_get_resources_repeated_position(void **state)
{
	struct genv e;
	struct apigw_definition d;
	struct fakeaws_wait w;

	(void)state;
	genv_init(&e);
	memset(&w, 0, sizeof w);
	memset(&d, 0, sizeof d);
	/* A service that keeps answering the same position must not loop:
	 * the listing fails after the second page, once. */
	fakeaws_route(&e.fa, "GET " API "/resources", 200,
	    "{\"item\":[],\"position\":\"same\"}");
	assert_int_equal(
	    fakeaws_wait(e.loop,
		apigw_get_resources(&e.g, "a1b2c3d4e5", &d, fakeaws_done, &w),
		&w),
	    RESTJSON_CYCLE);
	assert_int_equal(e.fa.nrequests, 2);
	assert_non_null(strstr(w.res.aws.message, "GetResources"));
	assert_non_null(strstr(w.res.aws.message, "'same'"));
	apigw_definition_free(&d);
	fakeaws_wait_free(&w);

	fakeaws_error(&e.fa, "GET " API "/resources", 429,
	    "TooManyRequestsException", "Too Many Requests");
	e.ctx.max_attempts = 1;
	assert_int_equal(
	    fakeaws_wait(e.loop,
		apigw_get_resources(&e.g, "a1b2c3d4e5", &d, fakeaws_done, &w),
		&w),
	    RESTJSON_FAILED);
	assert_string_equal(w.res.aws.code, "TooManyRequestsException");
	/* Throttling slows the GetResources bucket down. */
	assert_true(e.g.resources.rate < 2.5);
	apigw_definition_free(&d);
	fakeaws_wait_free(&w);
	genv_free(&e);
}

static void
test_pagination_cycle(void **state)
{
	struct genv e;
	struct apigw_authorizers a;
	struct apigwv2_routes r;
	struct fakeaws_wait w;

	(void)state;
	genv_init(&e);
	memset(&w, 0, sizeof w);
	memset(&a, 0, sizeof a);
	memset(&r, 0, sizeof r);
	/* Positions A, B, A: not the same token twice in a row, still a
	 * cycle. Three pages are read, the fourth is never asked for. */
	fakeaws_route(&e.fa, "GET " API "/authorizers", 200,
	    "{\"position\":\"A\",\"item\":[]}");
	fakeaws_route(&e.fa, "GET " API "/authorizers?limit=500&position=A",
	    200, "{\"position\":\"B\",\"item\":[]}");
	fakeaws_route(&e.fa, "GET " API "/authorizers?limit=500&position=B",
	    200, "{\"position\":\"A\",\"item\":[]}");
	assert_int_equal(
	    fakeaws_wait(e.loop,
		apigw_get_authorizers(&e.g, "a1b2c3d4e5", &a, fakeaws_done, &w),
		&w),
	    RESTJSON_CYCLE);
	assert_int_equal(e.fa.nrequests, 3);
	assert_int_equal(w.res.pages, 3);
	assert_non_null(strstr(w.res.aws.message, "pagination cycle"));
	apigw_authorizers_free(&a);
	fakeaws_wait_free(&w);

	/* A v2 server that ignores nextToken and repeats its first page. */
	fakeaws_route(&e.fa, "GET /v2/apis/x/routes", 200,
	    "{\"items\":[{\"routeKey\":\"GET /\"}],\"nextToken\":"
	    "\"t1\"}");
	assert_int_equal(
	    fakeaws_wait(e.loop,
		apigwv2_get_routes(&e.g2, "x", &r, fakeaws_done, &w), &w),
	    RESTJSON_CYCLE);
	assert_int_equal(fakeaws_count(&e.fa, "GET /v2/apis/x/routes"), 2);
	/* Every page went through the control-plane bucket: 5 pages so far
	 * from a burst of 5, so the bucket is empty. */
	assert_int_equal(e.total.granted, 5);
	apigwv2_routes_free(&r);
	fakeaws_wait_free(&w);
	genv_free(&e);
}

static void
never_done(void *arg, struct restjson_res *res)
{
	(void)arg;
	(void)res;
	fail_msg("a cancelled operation called back");
}

static void
set_flag(void *arg)
{
	*(int *)arg = 1;
}

static void
test_cancel(void **state)
{
	struct genv e;
	struct apigw_definition d;
	struct restjson_op *op;
	int64_t t;
	int done = 0;

	(void)state;
	genv_init(&e);
	memset(&d, 0, sizeof d);
	fakeaws_route(&e.fa, "GET " API "/resources", 200,
	    "{\"item\":[],\"position\":\"p2\"}");
	/* Cancelled while its request is in flight. */
	op = apigw_get_resources(&e.g, "a1b2c3d4e5", &d, never_done, NULL);
	restjson_cancel(op);
	/* Cancelled while it waits for a GetResources token (a timer). */
	op = apigw_get_resources(&e.g, "a1b2c3d4e5", &d, never_done, NULL);
	restjson_cancel(op);
	t = loop_mono(e.loop) + 2000;
	loop_timer_at(e.loop, t, set_flag, &done);
	loop_run_until(e.loop, &done);
	assert_int_equal(e.fa.nrequests, 1);
	apigw_definition_free(&d);
	genv_free(&e);
}

static void
test_get_export_request(void **state)
{
	struct genv e;
	struct apigw_definition d;
	struct fakeaws_wait w;

	(void)state;
	genv_init(&e);
	memset(&w, 0, sizeof w);
	memset(&d, 0, sizeof d);
	fakeaws_route_file(&e.fa,
	    "GET " API "/stages/prod/exports/oas30?extensions="
	    "integrations%2Cauthorizers",
	    "discover/rest-getexport-oas30.json");
	assert_int_equal(fakeaws_wait(e.loop,
			     apigw_get_export(&e.g, "a1b2c3d4e5", "prod", &d,
				 fakeaws_done, &w),
			     &w),
	    RESTJSON_OK);
	assert_int_equal(e.fa.unmatched, 0);
	assert_string_equal(e.fa.accepts[0], "application/json");
	assert_int_equal(d.nintegrations, 9);
	apigw_definition_free(&d);
	fakeaws_wait_free(&w);
	genv_free(&e);
}

static void
test_get_authorizers_pages(void **state)
{
	struct genv e;
	struct apigw_authorizers a;
	struct fakeaws_wait w;

	(void)state;
	genv_init(&e);
	memset(&w, 0, sizeof w);
	memset(&a, 0, sizeof a);
	fakeaws_route(&e.fa, "GET " API "/authorizers?limit=500", 200,
	    "{\"position\":\"p2\",\"item\":[{\"id\":\"x1\",\"name\":\"one\","
	    "\"type\":\"TOKEN\",\"authorizerUri\":\"u1\"}]}");
	fakeaws_route_file(&e.fa,
	    "GET " API "/authorizers?limit=500&position=p2",
	    "discover/rest-getauthorizers.json");
	assert_int_equal(
	    fakeaws_wait(e.loop,
		apigw_get_authorizers(&e.g, "a1b2c3d4e5", &a, fakeaws_done, &w),
		&w),
	    RESTJSON_OK);
	assert_int_equal(a.n, 4);
	assert_string_equal(a.v[0].name, "one");
	assert_string_equal(a.v[1].id, "tok3n1");
	assert_string_equal(a.v[2].type, "COGNITO_USER_POOLS");
	assert_null(a.v[2].uri);
	assert_int_equal(e.fa.nrequests, 2);
	apigw_authorizers_free(&a);
	fakeaws_wait_free(&w);
	genv_free(&e);
}

static void
test_v2_paging_and_stage_path(void **state)
{
	struct genv e;
	struct apigwv2_integrations v;
	struct apigwv2_stage st;
	struct fakeaws_wait w;

	(void)state;
	genv_init(&e);
	memset(&w, 0, sizeof w);
	memset(&v, 0, sizeof v);
	memset(&st, 0, sizeof st);
	fakeaws_route_file(&e.fa,
	    "GET /v2/apis/h1t2t3p4q5/integrations?maxResults=500",
	    "discover/http-getintegrations-page1.json");
	fakeaws_route_file(&e.fa,
	    "GET /v2/apis/h1t2t3p4q5/integrations?maxResults=500&"
	    "nextToken=page2token",
	    "discover/http-getintegrations-page2.json");
	assert_int_equal(fakeaws_wait(e.loop,
			     apigwv2_get_integrations(
				 &e.g2, "h1t2t3p4q5", &v, fakeaws_done, &w),
			     &w),
	    RESTJSON_OK);
	assert_int_equal(v.n, 4);
	assert_string_equal(v.v[2].type, "HTTP_PROXY");
	assert_string_equal(v.v[3].id, "int0004");
	assert_int_equal(e.fa.unmatched, 0);
	apigwv2_integrations_free(&v);
	fakeaws_wait_free(&w);

	/* "$default" goes on the wire as %24default. */
	fakeaws_route(&e.fa, "GET /v2/apis/h1t2t3p4q5/stages/%24default", 200,
	    "{\"stageName\":\"$default\",\"defaultRouteSettings\":"
	    "{\"loggingLevel\":\"error\"},\"routeSettings\":{\"$connect\":"
	    "{\"loggingLevel\":\"INFO\"}},\"stageVariables\":{\"a\":\"b\"}}");
	assert_int_equal(fakeaws_wait(e.loop,
			     apigwv2_get_stage(&e.g2, "h1t2t3p4q5", "$default",
				 &st, fakeaws_done, &w),
			     &w),
	    RESTJSON_OK);
	assert_int_equal(e.fa.unmatched, 0);
	assert_string_equal(st.logging_level, "ERROR");
	assert_int_equal(st.nroute_settings, 1);
	assert_string_equal(st.route_settings[0].route_key, "$connect");
	assert_string_equal(restjson_map_get(&st.variables, "a"), "b");
	assert_null(st.access_destination);
	apigwv2_stage_free(&st);
	fakeaws_wait_free(&w);
	genv_free(&e);
}

static void
test_v2_authorizers(void **state)
{
	struct genv e;
	struct apigw_authorizers a;
	struct fakeaws_wait w;

	(void)state;
	genv_init(&e);
	memset(&w, 0, sizeof w);
	memset(&a, 0, sizeof a);
	/* moto: the list call is an HTML 500, tried once (no retries). */
	fakeaws_route(&e.fa, "GET /v2/apis/h1t2t3p4q5/authorizers", 500,
	    "<!doctype html><title>500 Internal Server Error</title>");
	fakeaws_route_file(&e.fa, "GET /v2/apis/h1t2t3p4q5/authorizers/auth01",
	    "discover/http-getauthorizer-auth01.json");
	assert_int_equal(fakeaws_wait(e.loop,
			     apigwv2_get_authorizers(
				 &e.g2, "h1t2t3p4q5", &a, fakeaws_done, &w),
			     &w),
	    RESTJSON_SERVER);
	assert_int_equal(
	    fakeaws_count(&e.fa, "GET /v2/apis/h1t2t3p4q5/authorizers?"), 1);
	fakeaws_wait_free(&w);
	/* GetAuthorizer appends one. */
	assert_int_equal(fakeaws_wait(e.loop,
			     apigwv2_get_authorizer(&e.g2, "h1t2t3p4q5",
				 "auth01", &a, fakeaws_done, &w),
			     &w),
	    RESTJSON_OK);
	assert_int_equal(a.n, 1);
	assert_string_equal(a.v[0].type, "REQUEST");
	assert_string_equal(a.v[0].name, "lambda-auth");
	apigw_authorizers_free(&a);
	fakeaws_wait_free(&w);

	/* A 4xx is a plain failure; access errors are told apart. */
	fakeaws_error(&e.fa, "GET /v2/apis/x/authorizers", 403,
	    "AccessDeniedException", "denied");
	assert_int_equal(
	    fakeaws_wait(e.loop,
		apigwv2_get_authorizers(&e.g2, "x", &a, fakeaws_done, &w), &w),
	    RESTJSON_ACCESS);
	assert_string_equal(w.res.aws.code, "AccessDeniedException");
	apigw_authorizers_free(&a);
	fakeaws_wait_free(&w);
	genv_free(&e);
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_decode_stage_canary),
    cmocka_unit_test(test_decode_export_oas30),
    cmocka_unit_test(test_decode_export_moto),
    cmocka_unit_test(test_get_resources_pages),
    cmocka_unit_test(test_get_resources_repeated_position),
    cmocka_unit_test(test_pagination_cycle),
    cmocka_unit_test(test_cancel),
    cmocka_unit_test(test_get_export_request),
    cmocka_unit_test(test_get_authorizers_pages),
    cmocka_unit_test(test_v2_paging_and_stage_path),
    cmocka_unit_test(test_v2_authorizers),
};

TEST_MAIN(tests)

/*
 * API Gateway v1 and v2 decoders on recorded responses, and the calls
 * through the aws layer's fake transport in virtual time: GetResources
 * one call per page with embed/limit/position, paced to one call every
 * 400 ms; GetExport's query and Accept header; v2 paging by nextToken and
 * the GetAuthorizers fallback.
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
	assert_int_equal(d.nauthorizers, 2);
	assert_string_equal(d.authorizers[0].name, "token-auth");
	assert_string_equal(d.authorizers[0].type, "TOKEN");
	assert_non_null(strstr(d.authorizers[0].uri, "function:auth-token/"));
	assert_null(d.authorizers[0].id);
	assert_string_equal(d.authorizers[1].type, "COGNITO_USER_POOLS");
	assert_null(d.authorizers[1].uri);
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
	struct aws_result res;

	(void)state;
	genv_init(&e);
	fakeaws_route_file(&e.fa,
	    "GET " API "/resources?embed=methods&limit=500",
	    "discover/rest-getresources-page1.json");
	fakeaws_route_file(&e.fa,
	    "GET " API "/resources?embed=methods&limit=500&position=cjAwMDM%3D",
	    "discover/rest-getresources-page2.json");
	fakeaws_route_file(&e.fa,
	    "GET " API "/resources?embed=methods&limit=500&position=cjAwMDU%3D",
	    "discover/rest-getresources-page3.json");
	assert_int_equal(apigw_get_resources(&e.g, "a1b2c3d4e5", &d, &res), 0);
	assert_int_equal(res.status, AWS_OK);
	/* One call per page, never one per method. */
	assert_int_equal(e.fa.nrequests, 3);
	assert_int_equal(e.fa.unmatched, 0);
	assert_int_equal(d.pages, 3);
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
	aws_result_free(&res);
	genv_free(&e);
}

static void
test_get_resources_repeated_position(void **state)
{
	struct genv e;
	struct apigw_definition d;
	struct aws_result res;

	(void)state;
	genv_init(&e);
	/* A service that keeps answering the same position must not loop. */
	fakeaws_route(&e.fa, "GET " API "/resources", 200,
	    "{\"item\":[],\"position\":\"same\"}");
	assert_int_equal(apigw_get_resources(&e.g, "a1b2c3d4e5", &d, &res), 0);
	assert_int_equal(e.fa.nrequests, 2);
	apigw_definition_free(&d);
	aws_result_free(&res);

	fakeaws_error(&e.fa, "GET " API "/resources", 429,
	    "TooManyRequestsException", "Too Many Requests");
	e.ctx.max_attempts = 1;
	assert_int_equal(apigw_get_resources(&e.g, "a1b2c3d4e5", &d, &res), -1);
	assert_string_equal(res.code, "TooManyRequestsException");
	/* Throttling slows the GetResources bucket down. */
	assert_true(e.g.resources.rate < 2.5);
	apigw_definition_free(&d);
	aws_result_free(&res);
	genv_free(&e);
}

static void
test_get_export_request(void **state)
{
	struct genv e;
	struct apigw_definition d;
	struct aws_result res;

	(void)state;
	genv_init(&e);
	fakeaws_route_file(&e.fa,
	    "GET " API "/stages/prod/exports/oas30?extensions="
	    "integrations%2Cauthorizers",
	    "discover/rest-getexport-oas30.json");
	assert_int_equal(
	    apigw_get_export(&e.g, "a1b2c3d4e5", "prod", &d, &res), 0);
	assert_int_equal(e.fa.unmatched, 0);
	assert_string_equal(e.fa.accepts[0], "application/json");
	assert_int_equal(d.nintegrations, 9);
	apigw_definition_free(&d);
	aws_result_free(&res);
	genv_free(&e);
}

static void
test_get_authorizers_pages(void **state)
{
	struct genv e;
	struct apigw_authorizer *a;
	struct aws_result res;
	size_t n;

	(void)state;
	genv_init(&e);
	fakeaws_route(&e.fa, "GET " API "/authorizers?limit=500", 200,
	    "{\"position\":\"p2\",\"item\":[{\"id\":\"x1\",\"name\":\"one\","
	    "\"type\":\"TOKEN\",\"authorizerUri\":\"u1\"}]}");
	fakeaws_route_file(&e.fa,
	    "GET " API "/authorizers?limit=500&position=p2",
	    "discover/rest-getauthorizers.json");
	assert_int_equal(
	    apigw_get_authorizers(&e.g, "a1b2c3d4e5", &a, &n, &res), 0);
	assert_int_equal(n, 4);
	assert_string_equal(a[0].name, "one");
	assert_string_equal(a[1].id, "tok3n1");
	assert_string_equal(a[2].type, "COGNITO_USER_POOLS");
	assert_null(a[2].uri);
	assert_int_equal(e.fa.nrequests, 2);
	apigw_authorizers_free(a, n);
	aws_result_free(&res);
	genv_free(&e);
}

static void
test_v2_paging_and_stage_path(void **state)
{
	struct genv e;
	struct apigwv2_integration *v;
	struct apigwv2_stage st;
	struct aws_result res;
	size_t n;

	(void)state;
	genv_init(&e);
	fakeaws_route_file(&e.fa,
	    "GET /v2/apis/h1t2t3p4q5/integrations?maxResults=500",
	    "discover/http-getintegrations-page1.json");
	fakeaws_route_file(&e.fa,
	    "GET /v2/apis/h1t2t3p4q5/integrations?maxResults=500&"
	    "nextToken=page2token",
	    "discover/http-getintegrations-page2.json");
	assert_int_equal(
	    apigwv2_get_integrations(&e.g2, "h1t2t3p4q5", &v, &n, &res), 0);
	assert_int_equal(n, 4);
	assert_string_equal(v[2].type, "HTTP_PROXY");
	assert_string_equal(v[3].id, "int0004");
	assert_int_equal(e.fa.unmatched, 0);
	apigwv2_integrations_free(v, n);
	aws_result_free(&res);

	/* "$default" goes on the wire as %24default. */
	fakeaws_route(&e.fa, "GET /v2/apis/h1t2t3p4q5/stages/%24default", 200,
	    "{\"stageName\":\"$default\",\"defaultRouteSettings\":"
	    "{\"loggingLevel\":\"error\"},\"routeSettings\":{\"$connect\":"
	    "{\"loggingLevel\":\"INFO\"}},\"stageVariables\":{\"a\":\"b\"}}");
	assert_int_equal(
	    apigwv2_get_stage(&e.g2, "h1t2t3p4q5", "$default", &st, &res), 0);
	assert_int_equal(e.fa.unmatched, 0);
	assert_string_equal(st.logging_level, "ERROR");
	assert_int_equal(st.nroute_settings, 1);
	assert_string_equal(st.route_settings[0].route_key, "$connect");
	assert_string_equal(restjson_map_get(&st.variables, "a"), "b");
	assert_null(st.access_destination);
	apigwv2_stage_free(&st);
	aws_result_free(&res);
	genv_free(&e);
}

static void
test_v2_authorizers_fallback(void **state)
{
	struct genv e;
	struct apigwv2_route *r;
	struct apigwv2_authorizer *a;
	struct aws_result res;
	size_t nr, na;
	int fb;

	(void)state;
	genv_init(&e);
	fakeaws_route_file(&e.fa, "GET /v2/apis/h1t2t3p4q5/routes",
	    "discover/http-getroutes.json");
	/* moto: the list call is an HTML 500. */
	fakeaws_route(&e.fa, "GET /v2/apis/h1t2t3p4q5/authorizers", 500,
	    "<!doctype html><title>500 Internal Server Error</title>");
	fakeaws_route_file(&e.fa, "GET /v2/apis/h1t2t3p4q5/authorizers/auth01",
	    "discover/http-getauthorizer-auth01.json");
	fakeaws_route_file(&e.fa, "GET /v2/apis/h1t2t3p4q5/authorizers/jwt001",
	    "discover/http-getauthorizer-jwt001.json");
	assert_int_equal(
	    apigwv2_get_routes(&e.g2, "h1t2t3p4q5", &r, &nr, &res), 0);
	assert_int_equal(nr, 4);
	aws_result_free(&res);
	assert_int_equal(apigwv2_get_authorizers(
			     &e.g2, "h1t2t3p4q5", r, nr, &a, &na, &fb, &res),
	    0);
	assert_true(fb);
	assert_int_equal(res.status, AWS_OK);
	assert_int_equal(na, 2);
	assert_string_equal(a[0].type, "REQUEST");
	assert_string_equal(a[0].name, "lambda-auth");
	assert_string_equal(a[1].type, "JWT");
	/* The list call is tried once (no retries), each id fetched once. */
	assert_int_equal(
	    fakeaws_count(&e.fa, "GET /v2/apis/h1t2t3p4q5/authorizers?"), 1);
	assert_int_equal(
	    fakeaws_count(&e.fa, "GET /v2/apis/h1t2t3p4q5/authorizers/"), 2);
	apigwv2_authorizers_free(a, na);
	apigwv2_routes_free(r, nr);
	aws_result_free(&res);

	/* A 4xx is a real error: no fallback. */
	fakeaws_error(&e.fa, "GET /v2/apis/x/authorizers", 403,
	    "AccessDeniedException", "denied");
	assert_int_equal(
	    apigwv2_get_authorizers(&e.g2, "x", NULL, 0, &a, &na, &fb, &res),
	    -1);
	assert_false(fb);
	assert_string_equal(res.code, "AccessDeniedException");
	apigwv2_authorizers_free(a, na);
	aws_result_free(&res);
	genv_free(&e);
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_decode_stage_canary),
    cmocka_unit_test(test_decode_export_oas30),
    cmocka_unit_test(test_decode_export_moto),
    cmocka_unit_test(test_get_resources_pages),
    cmocka_unit_test(test_get_resources_repeated_position),
    cmocka_unit_test(test_get_export_request),
    cmocka_unit_test(test_get_authorizers_pages),
    cmocka_unit_test(test_v2_paging_and_stage_path),
    cmocka_unit_test(test_v2_authorizers_fallback),
};

TEST_MAIN(tests)

/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Lambda GetFunctionConfiguration: the LoggingConfig.LogGroup decoder on
 * recorded responses (moto never returns LoggingConfig), the default
 * group, and the request through the aws layer (ARN percent-encoded into
 * the path, the qualifier as a query).
 */

#include <stdlib.h>
#include <string.h>

#include "testmain.h"

#include "aws/aws.h"
#include "aws/loop.h"
#include "aws/restjson.h"
#include "core/xmalloc.h"
#include "discover/lambda.h"
#include "fakeaws.h"
#include "fakelogs.h"

#define T0 INT64_C(1757671200000)

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

static void
test_decode_logging_config(void **state)
{
	struct lambda_config c;
	json_t *j;
	char *cause = NULL, *g;

	(void)state;
	j = load("discover/lambda-getfunctionconfiguration-logging.json");
	assert_int_equal(lambda_decode_config(j, &c, &cause), 0);
	assert_string_equal(c.name, "orders");
	assert_string_equal(
	    c.arn, "arn:aws:lambda:us-east-1:123456789012:function:orders");
	assert_string_equal(c.log_group, "/shared/orders-service");
	assert_string_equal(c.log_format, "JSON");
	g = lambda_log_group(&c);
	assert_string_equal(g, "/shared/orders-service");
	free(g);
	lambda_config_free(&c);
	json_decref(j);
}

static void
test_decode_moto_nulls(void **state)
{
	struct lambda_config c;
	json_t *j;
	char *cause = NULL, *g;

	(void)state;
	/* moto: no LoggingConfig, explicit nulls elsewhere. */
	j = load("discover/lambda-getfunctionconfiguration-moto.json");
	assert_int_equal(lambda_decode_config(j, &c, &cause), 0);
	assert_string_equal(c.name, "users");
	assert_null(c.log_group);
	assert_null(c.log_format);
	g = lambda_log_group(&c);
	assert_string_equal(g, "/aws/lambda/users");
	free(g);
	lambda_config_free(&c);
	json_decref(j);
}

static void
test_decode_edge_cases(void **state)
{
	struct lambda_config c;
	json_t *j;
	char *cause = NULL, *g;

	(void)state;
	j = json_loads("{\"FunctionArn\":\"x\"}", 0, NULL);
	assert_int_equal(lambda_decode_config(j, &c, &cause), -1);
	assert_non_null(strstr(cause, "FunctionName"));
	free(cause);
	lambda_config_free(&c);
	json_decref(j);
	/* An empty or null LogGroup means the default group. */
	j = json_loads("{\"FunctionName\":\"f\",\"LoggingConfig\":"
		       "{\"LogGroup\":\"\",\"LogFormat\":null}}",
	    0, NULL);
	assert_int_equal(lambda_decode_config(j, &c, &cause), 0);
	assert_null(c.log_group);
	assert_null(c.log_format);
	g = lambda_log_group(&c);
	assert_string_equal(g, "/aws/lambda/f");
	free(g);
	lambda_config_free(&c);
	json_decref(j);
	lambda_config_free(NULL);
}

struct lenv {
	struct fakeclock clk;
	struct loop *loop;
	struct fakeaws fa;
	struct aws_ctx ctx;
	struct aws_client *c;
	struct lambda lam;
};

static void
lenv_init(struct lenv *e)
{
	char *cause = NULL;

	memset(e, 0, sizeof *e);
	fakeclock_init(&e->clk, T0);
	e->loop = loop_new(&e->clk.clock, NULL);
	fakeaws_init(&e->fa, e->loop);
	fakeaws_ctx(&e->fa, &e->ctx, e->loop);
	assert_int_equal(aws_client_new(&e->c, &e->ctx, AWS_LAMBDA, "us-east-1",
			     "http://fake.invalid", &cause),
	    0);
	lambda_init(&e->lam, e->c);
}

static void
lenv_free(struct lenv *e)
{
	aws_client_free(e->c);
	fakeaws_free(&e->fa);
	loop_free(e->loop);
}

static void
test_get_config_encodes_arn(void **state)
{
	struct lenv e;
	struct lambda_config c;
	struct fakeaws_wait w;

	(void)state;
	lenv_init(&e);
	memset(&w, 0, sizeof w);
	memset(&c, 0, sizeof c);
	fakeaws_route_file(&e.fa,
	    "GET /2015-03-31/functions/"
	    "arn%3Aaws%3Alambda%3Aus-east-1%3A123456789012%3Afunction%3Aorders/"
	    "configuration",
	    "discover/lambda-getfunctionconfiguration-logging.json");
	assert_int_equal(
	    fakeaws_wait(e.loop,
		lambda_get_config(&e.lam,
		    "arn:aws:lambda:us-east-1:123456789012:function:orders",
		    NULL, &c, fakeaws_done, &w),
		&w),
	    RESTJSON_OK);
	assert_int_equal(w.res.aws.status, AWS_OK);
	assert_string_equal(c.log_group, "/shared/orders-service");
	assert_int_equal(e.fa.nrequests, 1);
	assert_int_equal(e.fa.unmatched, 0);
	lambda_config_free(&c);
	fakeaws_wait_free(&w);

	/* A partial ARN with a qualifier: ':' encoded, '$' too. */
	fakeaws_route_file(&e.fa,
	    "GET /2015-03-31/functions/123456789012%3Afunction%3Aorders/"
	    "configuration?Qualifier=%24LATEST",
	    "discover/lambda-getfunctionconfiguration-logging.json");
	assert_int_equal(
	    fakeaws_wait(e.loop,
		lambda_get_config(&e.lam, "123456789012:function:orders",
		    "$LATEST", &c, fakeaws_done, &w),
		&w),
	    RESTJSON_OK);
	assert_int_equal(e.fa.unmatched, 0);
	lambda_config_free(&c);
	fakeaws_wait_free(&w);
	lenv_free(&e);
}

static void
test_get_config_not_found(void **state)
{
	struct lenv e;
	struct lambda_config c;
	struct fakeaws_wait w;

	(void)state;
	lenv_init(&e);
	memset(&w, 0, sizeof w);
	memset(&c, 0, sizeof c);
	fakeaws_error(&e.fa, "GET /2015-03-31/functions/nope/configuration",
	    404, "ResourceNotFoundException",
	    "Function not found: arn:aws:lambda:us-east-1:123456789012:"
	    "function:nope");
	assert_int_equal(
	    fakeaws_wait(e.loop,
		lambda_get_config(&e.lam, "nope", NULL, &c, fakeaws_done, &w),
		&w),
	    RESTJSON_NOT_FOUND);
	assert_int_equal(w.res.aws.status, AWS_ERR_SERVICE);
	assert_string_equal(w.res.aws.code, "ResourceNotFoundException");
	assert_null(c.name);
	fakeaws_wait_free(&w);

	/* A 200 that is not JSON is a decode error, not a crash. */
	fakeaws_route(&e.fa, "GET /2015-03-31/functions/bad/configuration", 200,
	    "<html>");
	assert_int_equal(
	    fakeaws_wait(e.loop,
		lambda_get_config(&e.lam, "bad", NULL, &c, fakeaws_done, &w),
		&w),
	    RESTJSON_BAD);
	assert_int_equal(w.res.aws.status, AWS_ERR_TRANSPORT);
	assert_non_null(strstr(w.res.aws.message, "GetFunctionConfiguration"));
	fakeaws_wait_free(&w);
	lenv_free(&e);
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_decode_logging_config),
    cmocka_unit_test(test_decode_moto_nulls),
    cmocka_unit_test(test_decode_edge_cases),
    cmocka_unit_test(test_get_config_encodes_arn),
    cmocka_unit_test(test_get_config_not_found),
};

TEST_MAIN(tests)

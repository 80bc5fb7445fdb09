/* SPDX-License-Identifier: Apache-2.0 */
/* Tests for Lambda references in API Gateway URIs and destination ARNs. */

#include <stdlib.h>
#include <string.h>

#include "testmain.h"

#include "discover/apiuri.h"

struct lambda_case {
	const char *uri;
	const char *name;
	const char *qualifier;
	const char *region;
	const char *account;
	const char *partition;
	int unresolved;
};

/* Compare a possibly-NULL string with what was expected. */
static void
check_str(const char *uri, const char *what, const char *got, const char *want)
{
	if (want == NULL && got == NULL)
		return;
	if (want == NULL || got == NULL || strcmp(want, got) != 0) {
		print_error("%s: %s is '%s', want '%s'\n", uri, what,
		    got ? got : "(null)", want ? want : "(null)");
		fail();
	}
}

/* Run a table of URIs that must name the given functions. */
static void
check_lambda_table(const struct lambda_case *t, size_t n)
{
	struct apiuri_lambda l;
	char *cause = NULL;
	size_t i;
	enum apiuri_kind k;

	for (i = 0; i < n; i++) {
		k = apiuri_parse_lambda(t[i].uri, &l, &cause);
		if (k != APIURI_LAMBDA) {
			print_error("%s: kind %d (%s)\n", t[i].uri, (int)k,
			    cause ? cause : "no cause");
			free(cause);
			fail();
		}
		assert_null(cause);
		check_str(t[i].uri, "name", l.name, t[i].name);
		check_str(t[i].uri, "qualifier", l.qualifier, t[i].qualifier);
		check_str(t[i].uri, "region", l.region, t[i].region);
		check_str(t[i].uri, "account", l.account, t[i].account);
		check_str(t[i].uri, "partition", l.partition, t[i].partition);
		assert_int_equal(l.unresolved, t[i].unresolved);
		apiuri_lambda_free(&l);
		assert_null(l.name);
	}
}

/* Check that uri is of kind want with everything cleared. */
static void
check_kind(const char *uri, enum apiuri_kind want, const char *cause_has)
{
	struct apiuri_lambda l;
	char *cause = NULL;
	enum apiuri_kind k;

	k = apiuri_parse_lambda(uri, &l, &cause);
	if (k != want) {
		print_error("'%s': kind %d, want %d (%s)\n", uri, (int)k,
		    (int)want, cause ? cause : "no cause");
		fail();
	}
	assert_null(l.name);
	assert_null(l.qualifier);
	assert_null(l.region);
	assert_null(l.account);
	assert_null(l.partition);
	if (want == APIURI_MALFORMED) {
		assert_non_null(cause);
		if (cause_has != NULL && strstr(cause, cause_has) == NULL) {
			print_error("'%s': cause '%s' lacks '%s'\n", uri, cause,
			    cause_has);
			fail();
		}
	} else
		assert_null(cause);
	free(cause);
}

#define APIGW "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/"
#define FN "arn:aws:lambda:us-east-1:123456789012:function:"

static void
test_integration_uris(void **state)
{
	static const struct lambda_case t[] = {
	    {APIGW FN "orders/invocations", "orders", NULL, "us-east-1",
		"123456789012", "aws", 0},
	    {APIGW FN "orders:prod/invocations", "orders", "prod", "us-east-1",
		"123456789012", "aws", 0},
	    {APIGW FN "orders:7/invocations", "orders", "7", "us-east-1",
		"123456789012", "aws", 0},
	    {APIGW FN "orders:$LATEST/invocations", "orders", "$LATEST",
		"us-east-1", "123456789012", "aws", 0},
	    {APIGW FN "my_Fn-2/invocations", "my_Fn-2", NULL, "us-east-1",
		"123456789012", "aws", 0},
	    /* The function's region and account win over the outer ARN. */
	    {"arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/"
	     "functions/arn:aws:lambda:eu-west-1:210987654321:function:"
	     "fx/invocations",
		"fx", NULL, "eu-west-1", "210987654321", "aws", 0},
	    {"arn:aws-cn:apigateway:cn-north-1:lambda:path/2015-03-31/"
	     "functions/arn:aws-cn:lambda:cn-north-1:123456789012:"
	     "function:orders/invocations",
		"orders", NULL, "cn-north-1", "123456789012", "aws-cn", 0},
	    {"arn:aws-us-gov:apigateway:us-gov-west-1:lambda:path/"
	     "2015-03-31/functions/arn:aws-us-gov:lambda:us-gov-west-1:"
	     "123456789012:function:orders:live/invocations",
		"orders", "live", "us-gov-west-1", "123456789012", "aws-us-gov",
		0},
	    /* Partial ARN and plain name inside the path. */
	    {APIGW "123456789012:function:orders/invocations", "orders", NULL,
		"us-east-1", "123456789012", "aws", 0},
	    {APIGW "orders:blue/invocations", "orders", "blue", "us-east-1",
		NULL, "aws", 0},
	    /* A 64-character name is the longest allowed. */
	    {APIGW FN "a123456789b123456789c123456789d123456789e123456789"
		      "f123456789abcd/invocations",
		"a123456789b123456789c123456789d123456789e123456789"
		"f123456789abcd",
		NULL, "us-east-1", "123456789012", "aws", 0},
	};

	(void)state;
	check_lambda_table(t, sizeof(t) / sizeof(t[0]));
}

static void
test_plain_forms(void **state)
{
	static const struct lambda_case t[] = {
	    {FN "orders", "orders", NULL, "us-east-1", "123456789012", "aws",
		0},
	    {FN "orders:prod", "orders", "prod", "us-east-1", "123456789012",
		"aws", 0},
	    {"arn:aws-cn:lambda:cn-northwest-1:123456789012:function:x:1", "x",
		"1", "cn-northwest-1", "123456789012", "aws-cn", 0},
	    {"123456789012:function:orders", "orders", NULL, NULL,
		"123456789012", NULL, 0},
	    {"123456789012:function:orders:prod", "orders", "prod", NULL,
		"123456789012", NULL, 0},
	    {"orders", "orders", NULL, NULL, NULL, NULL, 0},
	    {"orders:alias", "orders", "alias", NULL, NULL, NULL, 0},
	    {"orders:$LATEST", "orders", "$LATEST", NULL, NULL, NULL, 0},
	    {"O-_9", "O-_9", NULL, NULL, NULL, NULL, 0},
	};

	(void)state;
	check_lambda_table(t, sizeof(t) / sizeof(t[0]));
}

/* The URL API Gateway logs as "Endpoint request URI". */
static void
test_invocations_url(void **state)
{
	static const struct lambda_case t[] = {
	    {"https://lambda.eu-west-2.amazonaws.com/2015-03-31/functions/"
	     "arn:aws:lambda:eu-west-2:123456789012:function:NAME/"
	     "invocations",
		"NAME", NULL, "eu-west-2", "123456789012", "aws", 0},
	    {"https://lambda.us-west-2.amazonaws.com/2015-03-31/functions/"
	     "arn:aws:lambda:us-west-2:919586034543:function:"
	     "ExtensionGatewayAuthorizer/invocations",
		"ExtensionGatewayAuthorizer", NULL, "us-west-2", "919586034543",
		"aws", 0},
	    {"https://lambda.us-east-1.amazonaws.com/2015-03-31/functions/"
	     "arn:aws:lambda:us-east-1:123456789012:function:books:"
	     "prod/invocations",
		"books", "prod", "us-east-1", "123456789012", "aws", 0},
	    {"https://lambda.cn-north-1.amazonaws.com.cn/2015-03-31/"
	     "functions/arn:aws-cn:lambda:cn-north-1:123456789012:"
	     "function:f/invocations",
		"f", NULL, "cn-north-1", "123456789012", "aws-cn", 0},
	    {"https://lambda.eu-west-2.amazonaws.com/2015-03-31/functions/"
	     "plain/invocations",
		"plain", NULL, "eu-west-2", NULL, NULL, 0},
	};

	(void)state;
	check_lambda_table(t, sizeof(t) / sizeof(t[0]));
	/* The capture in aws-facts.md has "ACCT" for the account. */
	check_kind("https://lambda.eu-west-2.amazonaws.com/2015-03-31/"
		   "functions/arn:aws:lambda:eu-west-2:ACCT:function:NAME/"
		   "invocations",
	    APIURI_MALFORMED, "invalid account id 'ACCT'");
}

static void
test_stage_variables(void **state)
{
	static const struct lambda_case t[] = {
	    {APIGW "arn:aws:lambda:us-east-1:123456789012:function:"
		   "${stageVariables.fn}/invocations",
		"${stageVariables.fn}", NULL, "us-east-1", "123456789012",
		"aws", 1},
	    {APIGW FN "orders:${stageVariables.alias}/invocations", "orders",
		"${stageVariables.alias}", "us-east-1", "123456789012", "aws",
		1},
	    {APIGW FN "orders-${stageVariables.env}/invocations",
		"orders-${stageVariables.env}", NULL, "us-east-1",
		"123456789012", "aws", 1},
	    {APIGW "${stageVariables.fnArn}/invocations",
		"${stageVariables.fnArn}", NULL, "us-east-1", NULL, "aws", 1},
	    {"${stageVariables.fn}:${stageVariables.v_2}",
		"${stageVariables.fn}", "${stageVariables.v_2}", NULL, NULL,
		NULL, 1},
	};

	(void)state;
	check_lambda_table(t, sizeof(t) / sizeof(t[0]));
}

static void
test_not_lambda(void **state)
{
	static const char *t[] = {
	    "https://example.com/orders",
	    "http://internal.example.com:8080/api/{proxy}",
	    "http://${stageVariables.host}/resource",
	    "https://lambda.example.com/2015-03-31/functions/x/invocations",
	    "https://lambda-url.us-east-1.on.aws/",
	    "ftp://lambda.eu-west-2.amazonaws.com/2015-03-31/functions/"
	    "f/invocations",
	    "wss://example.com/socket",
	    "arn:aws:apigateway:us-east-1:states:action/StartExecution",
	    "arn:aws:apigateway:us-east-1:sqs:path/123456789012/queue",
	    "arn:aws:apigateway:us-east-1:dynamodb:action/PutItem",
	    "arn:aws:apigateway:us-east-1:s3:path/bucket/{key}",
	    "arn:aws:apigateway:us-east-1:lambda:action/ListFunctions",
	    "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions",
	    "arn:aws:states:us-east-1:123456789012:stateMachine:flow",
	    "arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/"
	    "app/my/50dc6c495c0c9188/0467ef3c8400ae65",
	    "arn:aws:servicediscovery:us-east-1:123456789012:service/"
	    "srv-id",
	    "arn:aws:lambda:us-east-1:123456789012:layer:deps:3",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		check_kind(t[i], APIURI_NOT_LAMBDA, NULL);
}

static void
test_malformed(void **state)
{
	static const struct {
		const char *uri;
		const char *cause_has;
	} t[] = {
	    {"", "empty URI"},
	    {"arn:aws:lambda", "not a Lambda function ARN"},
	    {"arn:aws:lambda:us-east-1:123456789012:function",
		"not a Lambda function ARN"},
	    {"arn:aws:lambda:us-east-1:123456789012:function:",
		"invalid Lambda function name ''"},
	    {APIGW FN "/invocations", "invalid Lambda function name"},
	    {APIGW "arn:aws:lambda:us-east-1:123456789012:function:"
		   "${stageVariables.fn/invocations",
		"unterminated or invalid stage variable"},
	    {APIGW FN "orders:${stageVariables./invocations",
		"unterminated or invalid stage variable"},
	    {APIGW FN "orders:${stageVariables.a-b}/invocations",
		"unterminated or invalid stage variable"},
	    {APIGW FN "${stageVars.fn}/invocations",
		"invalid stage variable reference"},
	    {"${stageVariables.fn", "unterminated"},
	    /* 65 characters. */
	    {APIGW FN "a123456789b123456789c123456789d123456789e123456789"
		      "f123456789abcde/invocations",
		"invalid Lambda function name"},
	    {"a123456789b123456789c123456789d123456789e123456789"
	     "f123456789abcde",
		"invalid Lambda function name"},
	    {"garbage !!", "invalid Lambda function name"},
	    {"orders.v2", "invalid Lambda function name"},
	    {"orders:", "invalid Lambda qualifier ''"},
	    {"orders:pr/od", "invalid Lambda qualifier"},
	    {"orders:a:b", "not a Lambda function reference"},
	    {"1234:function:orders", "invalid account id '1234'"},
	    {"a:b:c:d:e:f:g:h:i", "too many ':'"},
	    {APIGW FN "orders", "no '/invocations'"},
	    {APIGW FN "orders/invocations/x", "no '/invocations'"},
	    {APIGW FN "orders/x/invocations", "invalid function reference"},
	    {APIGW "arn:aws:sqs:us-east-1:123456789012:function:x/"
		   "invocations",
		"not a Lambda function ARN"},
	    {"arn:aws:apigateway:us-east-1", "incomplete API Gateway ARN"},
	    {"arn:aws:apigateway:US-EAST-1:lambda:path/x", "invalid region"},
	    {"arn:amazon:apigateway:us-east-1:lambda:path/x",
		"invalid partition"},
	    {"arn:aws:apigateway:us-east-1:lambda:${stageVariables.p}",
		"substitute stage variables first"},
	    {"arn:aws:lambda::123456789012:function:orders", "invalid region"},
	    {"arn:aws:lambda:us-east-1:12345678901a:function:orders",
		"invalid account id"},
	    {"https://lambda.eu-west-2.amazonaws.com", "no function"},
	    {"https://lambda.eu-west-2.amazonaws.com/2015-03-31/functions/"
	     "x",
		"no '/invocations'"},
	    {"https://lambda.EU.amazonaws.com/x", "invalid region"},
	    /* Found by fuzz_apiuri: not a scheme, so not a URL. */
	    {"h${stageVariables.ttps://lambda.eu-west-2.amazonaws.com/"
	     "2015-03-31/functions/ction:NAME/invocations",
		"not a Lambda function reference"},
	    {"://lambda.eu-west-2.amazonaws.com/2015-03-31/functions/f/"
	     "invocations",
		"invalid Lambda function name"},
	    {"arn:aws:apigateway:us-east-1:lambda:path/"
	     "${stageVariables.v}/functions/orders/invocations",
		"invalid API version"},
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		check_kind(t[i].uri, APIURI_MALFORMED, t[i].cause_has);
}

static void
test_substitute(void **state)
{
	static const struct apiuri_var vars[] = {
	    {"fn", "orders"},
	    {"alias", "prod"},
	    {"env", "dev"},
	    {"self", "${stageVariables.self}"},
	};
	char *out = NULL, *cause = NULL, **missing = NULL;
	size_t nmissing = 99;
	struct apiuri_lambda l;

	(void)state;
	assert_int_equal(apiuri_substitute(APIGW FN "${stageVariables.fn}:"
						    "${stageVariables.alias}/"
						    "invocations",
			     vars, 4, &out, &missing, &nmissing, &cause),
	    0);
	assert_string_equal(out, APIGW FN "orders:prod/invocations");
	assert_int_equal(nmissing, 0);
	assert_null(missing);
	assert_null(cause);
	assert_int_equal(apiuri_parse_lambda(out, &l, &cause), APIURI_LAMBDA);
	assert_string_equal(l.name, "orders");
	assert_string_equal(l.qualifier, "prod");
	assert_int_equal(l.unresolved, 0);
	apiuri_lambda_free(&l);
	free(out);

	/* Missing variables stay verbatim and are reported once each. */
	assert_int_equal(apiuri_substitute("${stageVariables.nope}-"
					   "${stageVariables.env}-"
					   "${stageVariables.nope}:"
					   "${stageVariables.gone}",
			     vars, 4, &out, &missing, &nmissing, &cause),
	    0);
	assert_string_equal(out, "${stageVariables.nope}-dev-"
				 "${stageVariables.nope}:"
				 "${stageVariables.gone}");
	assert_int_equal(nmissing, 2);
	assert_string_equal(missing[0], "nope");
	assert_string_equal(missing[1], "gone");
	apiuri_missing_free(missing, nmissing);
	free(out);

	/* Values are not expanded again; other ${...} text is left alone. */
	assert_int_equal(apiuri_substitute("${stageVariables.self}"
					   "${context.x}${stageVariables}$",
			     vars, 4, &out, NULL, NULL, &cause),
	    0);
	assert_string_equal(
	    out, "${stageVariables.self}${context.x}${stageVariables}$");
	free(out);

	/* No variables at all: everything is missing, nothing crashes. */
	assert_int_equal(apiuri_substitute("f:${stageVariables.a}", NULL, 0,
			     &out, &missing, &nmissing, &cause),
	    0);
	assert_string_equal(out, "f:${stageVariables.a}");
	assert_int_equal(nmissing, 1);
	apiuri_missing_free(missing, nmissing);
	free(out);
	assert_int_equal(
	    apiuri_substitute("", vars, 4, &out, &missing, &nmissing, &cause),
	    0);
	assert_string_equal(out, "");
	free(out);
}

static void
test_substitute_errors(void **state)
{
	static const struct apiuri_var vars[] = {{"fn", "orders"}};
	static const char *bad[] = {
	    "function:${stageVariables.fn",
	    "function:${stageVariables.",
	    "function:${stageVariables.}",
	    "function:${stageVariables.f-n}",
	    "${stageVariables.fn}${stageVariables.x y}",
	};
	char *out = (char *)1, *cause = NULL, **missing = (char **)1;
	size_t nmissing = 5, i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(apiuri_substitute(bad[i], vars, 1, &out,
				     &missing, &nmissing, &cause),
		    -1);
		assert_null(out);
		assert_null(missing);
		assert_int_equal(nmissing, 0);
		assert_non_null(strstr(cause, "unterminated or invalid"));
		free(cause);
		cause = NULL;
	}
}

/* A value that makes the result too long is refused, not truncated. */
static void
test_substitute_too_long(void **state)
{
	struct apiuri_var v;
	char *big, *out = NULL, *cause = NULL;

	(void)state;
	big = malloc(40000);
	assert_non_null(big);
	memset(big, 'a', 39999);
	big[39999] = '\0';
	v.name = "x";
	v.value = big;
	assert_int_equal(apiuri_substitute("${stageVariables.x}", &v, 1, &out,
			     NULL, NULL, &cause),
	    0);
	assert_int_equal(strlen(out), 39999);
	free(out);
	assert_int_equal(apiuri_substitute("${stageVariables.x}"
					   "${stageVariables.x}",
			     &v, 1, &out, NULL, NULL, &cause),
	    -1);
	assert_null(out);
	assert_non_null(strstr(cause, "longer than"));
	free(cause);
	free(big);
}

static void
test_destination(void **state)
{
	struct apiuri_dest d;
	char *cause = NULL;
	size_t i;
	static const char *bad[] = {
	    "",
	    "arn:aws:logs",
	    "arn:aws:logs:us-east-1:123456789012:log-group:",
	    "arn:aws:logs:us-east-1:123456789012:log-group:a b",
	    "arn:aws:logs:us-east-1:123456789012:log-group:g:x",
	    "arn:aws:logs:us-east-1:123456789012:log-stream:g",
	    "arn:aws:logs:us-east-1:1234:log-group:g",
	    "arn:aws:s3:::bucket",
	    "arn:aws:firehose:us-east-1:123456789012:deliverystream/",
	    "arn:aws:firehose:us-east-1:123456789012:stream/x",
	    "/aws/api-gateway/orders-prod",
	};

	(void)state;
	assert_int_equal(apiuri_parse_destination("arn:aws:logs:us-east-1:"
						  "123456789012:log-group:"
						  "/aws/api-gateway/"
						  "orders-prod",
			     &d, &cause),
	    APIURI_DEST_LOGS);
	assert_null(cause);
	assert_string_equal(d.name, "/aws/api-gateway/orders-prod");
	assert_string_equal(d.region, "us-east-1");
	assert_string_equal(d.account, "123456789012");
	assert_string_equal(d.partition, "aws");
	apiuri_dest_free(&d);
	assert_null(d.name);
	assert_int_equal(apiuri_parse_destination("arn:aws-cn:logs:cn-north-1:"
						  "123456789012:log-group:"
						  "API-Gateway-Access_a.b#c:*",
			     &d, &cause),
	    APIURI_DEST_LOGS);
	assert_string_equal(d.name, "API-Gateway-Access_a.b#c");
	assert_string_equal(d.partition, "aws-cn");
	apiuri_dest_free(&d);
	assert_int_equal(apiuri_parse_destination("arn:aws:firehose:eu-west-1:"
						  "123456789012:"
						  "deliverystream/"
						  "amazon-apigateway-logs",
			     &d, &cause),
	    APIURI_DEST_FIREHOSE);
	assert_string_equal(d.name, "amazon-apigateway-logs");
	assert_string_equal(d.region, "eu-west-1");
	apiuri_dest_free(&d);
	apiuri_dest_free(NULL);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(apiuri_parse_destination(bad[i], &d, &cause),
		    APIURI_DEST_MALFORMED);
		assert_null(d.name);
		assert_non_null(strstr(cause, bad[i]));
		free(cause);
		cause = NULL;
	}
}

static void
test_free_null(void **state)
{
	(void)state;
	apiuri_lambda_free(NULL);
	apiuri_dest_free(NULL);
	apiuri_missing_free(NULL, 0);
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_integration_uris),
    cmocka_unit_test(test_plain_forms),
    cmocka_unit_test(test_invocations_url),
    cmocka_unit_test(test_stage_variables),
    cmocka_unit_test(test_not_lambda),
    cmocka_unit_test(test_malformed),
    cmocka_unit_test(test_substitute),
    cmocka_unit_test(test_substitute_errors),
    cmocka_unit_test(test_substitute_too_long),
    cmocka_unit_test(test_destination),
    cmocka_unit_test(test_free_null),
};

TEST_MAIN(tests)

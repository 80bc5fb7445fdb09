/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Tests for sigv4_sign() on the requests apilogs actually sends, with
 * botocore as the oracle, plus the canonicalisation rules and errors.
 *
 * The expected signatures were computed once with botocore 1.43.11 and
 * hardcoded here:
 *
 *	import datetime
 *	from unittest import mock
 *	from botocore.auth import SigV4Auth
 *	from botocore.awsrequest import AWSRequest
 *	from botocore.credentials import Credentials
 *
 *	NOW = datetime.datetime(2026, 9, 12, 8, 30, 0)  # 1789201800
 *	K = ('AKIDEXAMPLE', 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY')
 *
 *	def sign(creds, service, region, **kw):
 *	    req = AWSRequest(**kw)
 *	    with mock.patch('botocore.auth.get_current_datetime',
 *	                    return_value=NOW):
 *	        SigV4Auth(creds, service, region).add_auth(req)
 *	    return req.headers['Authorization']
 *
 *	sign(Credentials(*K), 'lambda', 'us-east-1', method='GET',
 *	    url='https://lambda.us-east-1.amazonaws.com/2015-03-31/functions/'
 *	        'arn%3Aaws%3Alambda%3Aus-east-1%3A123456789012%3Afunction'
 *	        '%3Aorders/configuration', params={'Qualifier': '$LATEST'})
 *	sign(Credentials(*K), 'apigateway', 'eu-west-2', method='GET',
 *	    url='https://apigateway.eu-west-2.amazonaws.com/restapis/abc/'
 *	        'resources', headers={'Accept': 'application/json'},
 *	    params=[('position', 'ab+c='), ('limit', '500'),
 *	            ('embed', 'methods')])
 *	sign(Credentials(*K, token=TOKEN), 'logs', 'us-east-1', method='POST',
 *	    url='https://logs.us-east-1.amazonaws.com/',
 *	    headers={'X-Amz-Target': 'Logs_20140328.FilterLogEvents',
 *	             'Content-Type': 'application/x-amz-json-1.1'},
 *	    data=BODY)
 *
 * The canonical requests come from the same requests with
 * req.context['timestamp'] = '20260912T083000Z',
 * auth._modify_request_before_signing(req), auth.canonical_request(req).
 */

#include <stdlib.h>
#include <string.h>

#include "testmain.h"

#include "aws/sigv4.h"

#define AKID "AKIDEXAMPLE"
#define SECRET "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
#define NOW ((time_t)1789201800) /* 2026-09-12T08:30:00Z */
#define TOKEN "FwoGZXIvYXdzEXAMPLE//////////wEaDH+token/with=padding=="
#define LOGS_BODY                                                              \
	"{\"logGroupName\":\"/aws/lambda/orders\",\"startTime\":"              \
	"1789201000000,\"interleaved\":true}"
#define EMPTY_SHA256                                                           \
	"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

/* Fill the fields every test shares. */
static void
input_init(struct sigv4_input *in, const char *service, const char *region)
{
	memset(in, 0, sizeof *in);
	in->method = "GET";
	in->path = "/";
	in->region = region;
	in->service = service;
	in->access_key = AKID;
	in->secret_key = SECRET;
	in->now = NOW;
}

static void
test_lambda_get(void **state)
{
	static const struct sigv4_header h[] = {
	    {"Host", "lambda.us-east-1.amazonaws.com"},
	};
	struct sigv4_input in;
	struct sigv4_output out;
	char *cause = NULL;

	(void)state;
	input_init(&in, "lambda", "us-east-1");
	in.path = "/2015-03-31/functions/arn%3Aaws%3Alambda%3Aus-east-1%3A"
		  "123456789012%3Afunction%3Aorders/configuration";
	in.query = "Qualifier=%24LATEST";
	in.headers = h;
	in.nheaders = 1;
	assert_int_equal(sigv4_sign(&in, &out, &cause), 0);
	assert_string_equal(out.canonical_request,
	    "GET\n"
	    "/2015-03-31/functions/arn%253Aaws%253Alambda%253Aus-east-1%253A"
	    "123456789012%253Afunction%253Aorders/configuration\n"
	    "Qualifier=%24LATEST\n"
	    "host:lambda.us-east-1.amazonaws.com\n"
	    "x-amz-date:20260912T083000Z\n"
	    "\n"
	    "host;x-amz-date\n" EMPTY_SHA256);
	assert_string_equal(out.amz_date, "20260912T083000Z");
	assert_null(out.content_sha256);
	assert_string_equal(out.authorization,
	    "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260912/us-east-1/lambda/"
	    "aws4_request, SignedHeaders=host;x-amz-date, Signature="
	    "e0dc1033e89c48c40461088538d35d09a2faa5a2860db5125aac6b13b9ea14e2");
	sigv4_output_free(&out);
}

static void
test_apigw_unsorted_query(void **state)
{
	static const struct sigv4_header h[] = {
	    {"Host", "apigateway.eu-west-2.amazonaws.com"},
	    {"Accept", "application/json"},
	};
	struct sigv4_input in;
	struct sigv4_output out;
	char *cause = NULL;

	(void)state;
	input_init(&in, "apigateway", "eu-west-2");
	in.path = "/restapis/abc/resources";
	in.query = "position=ab%2Bc%3D&limit=500&embed=methods";
	in.headers = h;
	in.nheaders = 2;
	assert_int_equal(sigv4_sign(&in, &out, &cause), 0);
	assert_string_equal(out.canonical_request,
	    "GET\n/restapis/abc/resources\n"
	    "embed=methods&limit=500&position=ab%2Bc%3D\n"
	    "accept:application/json\n"
	    "host:apigateway.eu-west-2.amazonaws.com\n"
	    "x-amz-date:20260912T083000Z\n"
	    "\n"
	    "accept;host;x-amz-date\n" EMPTY_SHA256);
	assert_string_equal(out.signature,
	    "7b77a3a56a340823e1d062e6867347171b21d96e53af3af6d6a15eb20ee92df1");
	assert_string_equal(out.authorization,
	    "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260912/eu-west-2/"
	    "apigateway/aws4_request, SignedHeaders=accept;host;x-amz-date, "
	    "Signature="
	    "7b77a3a56a340823e1d062e6867347171b21d96e53af3af6d6a15eb20ee92df1");
	sigv4_output_free(&out);
}

static void
test_logs_post_token(void **state)
{
	static const struct sigv4_header h[] = {
	    {"Host", "logs.us-east-1.amazonaws.com"},
	    {"X-Amz-Target", "Logs_20140328.FilterLogEvents"},
	    {"Content-Type", "application/x-amz-json-1.1"},
	};
	struct sigv4_input in;
	struct sigv4_output out;
	char *cause = NULL;

	(void)state;
	input_init(&in, "logs", "us-east-1");
	in.method = "POST";
	in.headers = h;
	in.nheaders = 3;
	in.body = LOGS_BODY;
	in.body_len = strlen(LOGS_BODY);
	in.session_token = TOKEN;
	assert_int_equal(sigv4_sign(&in, &out, &cause), 0);
	assert_non_null(strstr(
	    out.canonical_request, "\nx-amz-security-token:" TOKEN "\n"));
	assert_non_null(
	    strstr(out.canonical_request, "\nc5f2f38b23eb2eb875e00c21895a7c116f"
					  "13030de4cb9b95b0e7a6bfd1d5b091"));
	assert_string_equal(out.authorization,
	    "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260912/us-east-1/logs/"
	    "aws4_request, SignedHeaders=content-type;host;x-amz-date;"
	    "x-amz-security-token;x-amz-target, Signature="
	    "bae4f4f048ba4d6aae3f95e0add15fcbb008ead09f4d3e66d7adc0f96fa851e2");
	sigv4_output_free(&out);

	/* Omitted token: not signed, so a different signature. */
	in.flags = SIGV4_OMIT_TOKEN;
	assert_int_equal(sigv4_sign(&in, &out, &cause), 0);
	assert_null(strstr(out.canonical_request, "x-amz-security-token"));
	assert_non_null(strstr(out.authorization,
	    "SignedHeaders=content-type;host;x-amz-date;x-amz-target, "));
	assert_null(strstr(out.authorization, "bae4f4f048ba4d6a"));
	sigv4_output_free(&out);
}

static void
test_sign_body(void **state)
{
	static const struct sigv4_header h[] = {
	    {"Host", "logs.us-east-1.amazonaws.com"},
	};
	struct sigv4_input in;
	struct sigv4_output out;
	char *cause = NULL;

	(void)state;
	input_init(&in, "logs", "us-east-1");
	in.method = "POST";
	in.headers = h;
	in.nheaders = 1;
	in.body = LOGS_BODY;
	in.body_len = strlen(LOGS_BODY);
	in.flags = SIGV4_SIGN_BODY;
	assert_int_equal(sigv4_sign(&in, &out, &cause), 0);
	assert_string_equal(out.content_sha256,
	    "c5f2f38b23eb2eb875e00c21895a7c116f13030de4cb9b95b0e7a6bfd1d5b091");
	assert_non_null(strstr(out.canonical_request,
	    "\nx-amz-content-sha256:c5f2f38b23eb2eb875e00c21895a7c116f13030de4"
	    "cb9b95b0e7a6bfd1d5b091\nx-amz-date:"));
	assert_non_null(strstr(out.authorization,
	    "SignedHeaders=host;x-amz-content-sha256;x-amz-date, "));
	sigv4_output_free(&out);
}

/* Sign a GET with the given path, query and headers; return the creq. */
static char *
creq_of(const char *path, const char *query, const struct sigv4_header *h,
    size_t nh, int flags)
{
	struct sigv4_input in;
	struct sigv4_output out;
	char *cause = NULL, *creq;

	input_init(&in, "service", "us-east-1");
	in.path = path;
	in.query = query;
	in.headers = h;
	in.nheaders = nh;
	in.flags = flags;
	if (sigv4_sign(&in, &out, &cause) != 0)
		fail_msg("sigv4_sign: %s", cause);
	creq = out.canonical_request;
	out.canonical_request = NULL;
	sigv4_output_free(&out);
	return (creq);
}

/*
 * Path, query and header canonicalisation. The repeated-header case was
 * checked against botocore (headers.add_header() for each pair, then
 * canonical_request()).
 */
static void
test_canonical_rules(void **state)
{
	static const struct sigv4_header host[] = {{"Host", "h"}};
	static const struct sigv4_header rep[] = {
	    {"host", "h"},
	    {"X-B", "  two   words\t "},
	    {"x-a", "1"},
	    {"X-A", ""},
	    {"x-a", "3"},
	    {"X-A-B", "folded\r\n  line"},
	};
	static const struct {
		const char *path, *query, *want;
		int flags;
	} c[] = {
	    {"/a/./b/../c//", NULL, "GET\n/a/c/\n\n", 0},
	    {"/a/./b/../c//", NULL, "GET\n/a/./b/../c//\n\n",
		SIGV4_NO_NORMALIZE},
	    {"/a%2Fb%20c", NULL, "GET\n/a%252Fb%2520c\n\n", 0},
	    {"/a%2Fb%20c", NULL, "GET\n/a%2Fb%20c\n\n", SIGV4_NO_NORMALIZE},
	    {"/../..", NULL, "GET\n/\n\n", 0},
	    {"", NULL, "GET\n/\n\n", 0},
	    {"/x", "b&a=1", "GET\n/x\na=1&b=\n", 0},
	    {"/x", "a=2&a=1&&", "GET\n/x\na=1&a=2\n", 0},
	    {"/x", "a-b=1&a=2", "GET\n/x\na=2&a-b=1\n", 0},
	    {"/x", "k=%zz%4&s=a+b%7e", "GET\n/x\nk=%25zz%254&s=a%2Bb~\n", 0},
	    {"/x", "%E1%88%b4=%00", "GET\n/x\n%E1%88%B4=%00\n", 0},
	    {"/x", "=v&k==", "GET\n/x\n=v&k=%3D\n", 0},
	};
	char *creq;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof c / sizeof c[0]; i++) {
		creq = creq_of(c[i].path, c[i].query, host, 1, c[i].flags);
		if (strncmp(creq, c[i].want, strlen(c[i].want)) != 0)
			fail_msg("case %zu: got\n%s", i, creq);
		free(creq);
	}
	creq = creq_of("/", NULL, rep, sizeof rep / sizeof rep[0], 0);
	assert_non_null(
	    strstr(creq, "\nhost:h\nx-a:1,,3\nx-a-b:folded line\n"
			 "x-amz-date:20260912T083000Z\nx-b:two words\n"
			 "\nhost;x-a;x-a-b;x-amz-date;x-b\n"));
	free(creq);
}

static void
test_payload_hash_header(void **state)
{
	static const struct sigv4_header h[] = {
	    {"Host", "h"},
	    {"X-Amz-Content-Sha256", "UNSIGNED-PAYLOAD"},
	};
	char *creq;

	(void)state;
	creq = creq_of("/", NULL, h, 2, 0);
	assert_non_null(
	    strstr(creq, "x-amz-content-sha256:UNSIGNED-PAYLOAD\n"));
	assert_non_null(strstr(
	    creq, "\nhost;x-amz-content-sha256;x-amz-date\nUNSIGNED-PAYLOAD"));
	free(creq);
}

static void
test_errors(void **state)
{
	static const struct sigv4_header ok[] = {{"Host", "h"}};
	static const struct {
		struct sigv4_header h[2];
		const char *path, *region, *want;
		int flags;
		time_t now;
	} c[] = {
	    {{{"Accept", "x"}}, "/", "r", "no Host header", 0, NOW},
	    {{{"Host", "h"}, {"X-Amz-Date", "x"}}, "/", "r",
		"set by the signer", 0, NOW},
	    {{{"Host", "h"}, {"Authorization", "x"}}, "/", "r",
		"set by the signer", 0, NOW},
	    {{{"Host", "h"}, {"x-amz-security-token", "x"}}, "/", "r",
		"set by the signer", 0, NOW},
	    {{{"Host", "h"}, {"x-amz-content-sha256", "x"}}, "/", "r",
		"set by the signer", SIGV4_SIGN_BODY, NOW},
	    {{{"Host", "h"}, {"Host", "h"}}, "/", "r", "more than one Host", 0,
		NOW},
	    {{{"Host", "h"}, {"X-A", "a\r\nX-Evil: 1"}}, "/", "r", "line break",
		0, NOW},
	    {{{"Host", "h"}, {"X-A", "a\001"}}, "/", "r", "control character",
		0, NOW},
	    {{{"Host", "h"}, {"Bad Name", "a"}}, "/", "r",
		"invalid header name", 0, NOW},
	    {{{"Host", "h"}, {"", "a"}}, "/", "r", "invalid header name", 0,
		NOW},
	    {{{"Host", "h"}}, "x", "r", "begin with '/'", 0, NOW},
	    {{{"Host", "h"}}, "/a b", "r", "wire path", SIGV4_NO_NORMALIZE,
		NOW},
	    {{{"Host", "h"}}, "/", "us/east", "invalid region", 0, NOW},
	    {{{"Host", "h"}}, "/", "", "invalid region", 0, NOW},
	    {{{"Host", "h"}}, "/", "r", "out of range", 0,
		(time_t)-100000000000LL},
	    {{{"Host", "h"}}, "/", "r", "out of range", 0,
		(time_t)300000000000LL},
	};
	struct sigv4_input in;
	struct sigv4_output out;
	char *cause;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof c / sizeof c[0]; i++) {
		input_init(&in, "service", c[i].region);
		in.path = c[i].path;
		in.headers = c[i].h;
		in.nheaders = c[i].h[1].name != NULL ? 2 : 1;
		in.flags = c[i].flags;
		in.now = c[i].now;
		cause = NULL;
		if (sigv4_sign(&in, &out, &cause) != -1)
			fail_msg("case %zu: signed", i);
		assert_non_null(cause);
		if (strstr(cause, c[i].want) == NULL)
			fail_msg("case %zu: cause '%s'", i, cause);
		assert_null(out.authorization);
		free(cause);
	}
	input_init(&in, "service", "r");
	in.headers = ok;
	in.nheaders = 1;
	in.access_key = "AKID/x";
	cause = NULL;
	assert_int_equal(sigv4_sign(&in, &out, &cause), -1);
	assert_string_equal(cause, "invalid access key id");
	free(cause);
	in.access_key = AKID;
	in.secret_key = "";
	cause = NULL;
	assert_int_equal(sigv4_sign(&in, &out, &cause), -1);
	assert_string_equal(cause, "empty secret access key");
	free(cause);
	in.secret_key = SECRET;
	in.body_len = 3;
	cause = NULL;
	assert_int_equal(sigv4_sign(&in, &out, &cause), -1);
	free(cause);
	sigv4_output_free(NULL);
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_lambda_get),
    cmocka_unit_test(test_apigw_unsorted_query),
    cmocka_unit_test(test_logs_post_token),
    cmocka_unit_test(test_sign_body),
    cmocka_unit_test(test_canonical_rules),
    cmocka_unit_test(test_payload_hash_header),
    cmocka_unit_test(test_errors),
};

TEST_MAIN(tests)

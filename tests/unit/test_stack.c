/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Stack discovery end to end through the aws layer's fake transport, in
 * virtual time: ListStackResources pages (query protocol, XML), nested
 * stacks (followed, a cycle and a denied one), Lambda LoggingConfig, an
 * HTTP API through API discovery, a state machine's log destinations,
 * --name, the depth bound and an unknown stack. Plus the XML list reader
 * and the CloudFormation and Step Functions decoders.
 */

#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "testmain.h"

#include "aws/aws.h"
#include "aws/loop.h"
#include "core/buf.h"
#include "core/xmalloc.h"
#include "core/xmltag.h"
#include "discover/cfn.h"
#include "discover/discover.h"
#include "discover/sfn.h"
#include "fakeaws.h"
#include "fakelogs.h"

#define T0 INT64_C(1757671200000)
#define FN "GET /2015-03-31/functions/"
#define CFG "/configuration"
#define SM_ARN "arn:aws:states:us-east-1:123456789012:stateMachine:checkout"
#define NESTED "arn:aws:cloudformation:us-east-1:123456789012:stack/n/1"
#define DENIED "arn:aws:cloudformation:us-east-1:123456789012:stack/d/2"

struct senv {
	struct fakeclock clk;
	struct loop *loop;
	struct fakeaws fa;
	struct aws_ctx ctx;
	struct aws_client *c[5];
	struct discover *d;
	struct discover_result *r;
};

static void
senv_init(struct senv *e)
{
	static const enum aws_service svc[5] = {AWS_APIGATEWAY,
	    AWS_APIGATEWAYV2, AWS_LAMBDA, AWS_CLOUDFORMATION, AWS_SFN};
	char *cause = NULL;
	size_t i;

	memset(e, 0, sizeof *e);
	fakeclock_init(&e->clk, T0);
	e->loop = loop_new(&e->clk.clock, NULL);
	fakeaws_init(&e->fa, e->loop);
	fakeaws_ctx(&e->fa, &e->ctx, e->loop);
	for (i = 0; i < 5; i++)
		assert_int_equal(
		    aws_client_new(&e->c[i], &e->ctx, svc[i], "us-east-1",
			"http://fake.invalid", &cause),
		    0);
	e->d = discover_new(e->c[0], e->c[1], e->c[2], "123456789012");
	discover_stack_clients(e->d, e->c[3], e->c[4]);
}

static void
senv_free(struct senv *e)
{
	size_t i;

	discover_result_free(e->r);
	discover_free(e->d);
	for (i = 0; i < 5; i++)
		aws_client_free(e->c[i]);
	fakeaws_free(&e->fa);
	loop_free(e->loop);
}

/*
 * A ListStackResources page: triples of logical id, type and physical id
 * (NULL: none), up to a NULL logical id; next is the NextToken or NULL.
 * Caller frees.
 */
static char *
page(const char *const *v, const char *next)
{
	struct buf b;
	size_t i;

	buf_init(&b, BUF_NOCAP);
	buf_puts(&b, "<ListStackResourcesResponse xmlns=\"http://"
		     "cloudformation.amazonaws.com/doc/2010-05-15/\">"
		     "<ListStackResourcesResult><StackResourceSummaries>");
	for (i = 0; v[i] != NULL; i += 3) {
		buf_putf(&b,
		    "<member><LogicalResourceId>%s</LogicalResourceId>"
		    "<ResourceType>%s</ResourceType>"
		    "<ResourceStatus>CREATE_COMPLETE</ResourceStatus>"
		    "<DriftInformation><StackResourceDriftStatus>NOT_CHECKED"
		    "</StackResourceDriftStatus></DriftInformation>",
		    v[i], v[i + 1]);
		if (v[i + 2] != NULL)
			buf_putf(&b,
			    "<PhysicalResourceId>%s</PhysicalResourceId>",
			    v[i + 2]);
		buf_puts(&b, "</member>");
	}
	buf_puts(&b, "</StackResourceSummaries>");
	if (next != NULL)
		buf_putf(&b, "<NextToken>%s</NextToken>", next);
	buf_puts(&b, "</ListStackResourcesResult><ResponseMetadata><RequestId>"
		     "r1</RequestId></ResponseMetadata>"
		     "</ListStackResourcesResponse>");
	return (buf_take(&b, NULL));
}

/* Answer the listing of a stack (matched on the form's StackName). */
static void
route_stack(struct senv *e, const char *stack, const char *extra,
    const char *const *v, const char *next)
{
	char *req, *body;

	req = xprintf("POST /?~StackName=%s%s", stack, extra);
	body = page(v, next);
	fakeaws_route(&e->fa, req, 200, body);
	free(body);
	free(req);
}

static void
http_routes(struct fakeaws *fa)
{
	fakeaws_route_http_api(fa);
	fakeaws_route(fa, FN "orders-http" CFG, 200,
	    "{\"FunctionName\":\"orders-http\"}");
	fakeaws_route(
	    fa, FN "http-auth" CFG, 200, "{\"FunctionName\":\"http-auth\"}");
}

/* The stack "shop": two pages, a nested stack (which lists its parent's
 * nested stack again: a cycle) and a nested stack that is denied. */
static void
shop_routes(struct senv *e)
{
	static const char *const p1[] = {"Fn", "AWS::Lambda::Function",
	    "orders-fn", "Http", "AWS::ApiGatewayV2::Api", "h1t2t3p4q5",
	    "Table", "AWS::DynamoDB::Table", "shop-table", NULL};
	static const char *const p2[] = {"Grp", "AWS::Logs::LogGroup",
	    "/shop/audit", "SM", "AWS::StepFunctions::StateMachine", SM_ARN,
	    "Nested", "AWS::CloudFormation::Stack", NESTED, "Denied",
	    "AWS::CloudFormation::Stack", DENIED, "Pending",
	    "AWS::Lambda::Function", NULL, NULL};
	static const char *const nested[] = {"Inner", "AWS::Logs::LogGroup",
	    "/shop/inner", "Again", "AWS::CloudFormation::Stack", NESTED, NULL};

	route_stack(e, "shop", "", p1, "tok1");
	route_stack(e, "shop", "&NextToken=tok1", p2, NULL);
	route_stack(e,
	    "arn%3Aaws%3Acloudformation%3Aus-east-1%3A123456789012"
	    "%3Astack%2Fn%2F1",
	    "", nested, NULL);
	fakeaws_route(&e->fa,
	    "POST /?~StackName=arn%3Aaws%3Acloudformation%3Aus-east-1%3A"
	    "123456789012%3Astack%2Fd%2F2",
	    403,
	    "<ErrorResponse><Error><Type>Sender</Type><Code>AccessDenied"
	    "</Code><Message>not allowed</Message></Error></ErrorResponse>");
	fakeaws_route(&e->fa, FN "orders-fn" CFG, 200,
	    "{\"FunctionName\":\"orders-fn\",\"FunctionArn\":\"arn:aws:lambda:"
	    "us-east-1:123456789012:function:orders-fn\",\"LoggingConfig\":"
	    "{\"LogFormat\":\"JSON\",\"LogGroup\":\"/custom/orders\"}}");
	fakeaws_route(&e->fa,
	    "POST /AWSStepFunctions.DescribeStateMachine?~checkout", 200,
	    "{\"name\":\"checkout\",\"stateMachineArn\":\"" SM_ARN "\","
	    "\"loggingConfiguration\":{\"level\":\"ERROR\",\"destinations\":"
	    "[{\"cloudWatchLogsLogGroup\":{\"logGroupArn\":\"arn:aws:logs:"
	    "us-east-1:123456789012:log-group:/shop/states:*\"}}]}}");
	http_routes(&e->fa);
}

/* Was a warning containing text given? */
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

/* Assert the sources: logical id, role, group, ... up to NULL. */
static void
expect(const struct discover_result *r, const char *const *v)
{
	char *role;
	size_t i;

	for (i = 0; v[3 * i] != NULL; i++) {
		if (i >= r->nsrcs)
			fail_msg("missing source %s", v[3 * i + 2]);
		assert_string_equal(r->srcs[i].logical_id, v[3 * i]);
		role =
		    discover_role_format(r->srcs[i].role, r->srcs[i].function);
		assert_string_equal(role, v[3 * i + 1]);
		free(role);
		assert_string_equal(r->srcs[i].group, v[3 * i + 2]);
	}
	assert_int_equal(r->nsrcs, i);
}

static void
test_stack_everything(void **state)
{
	static const char *const want[] = {"Fn", "lambda:orders-fn",
	    "/custom/orders", "Grp", "loggroup", "/shop/audit", "Http",
	    "access", "/aws/apigateway/orders-http", "Http",
	    "lambda:orders-http", "/aws/lambda/orders-http", "Http",
	    "authorizer:http-auth", "/aws/lambda/http-auth", "Nested/Inner",
	    "loggroup", "/shop/inner", "SM", "states:checkout", "/shop/states",
	    NULL};
	struct senv e;

	(void)state;
	senv_init(&e);
	shop_routes(&e);
	e.r = discover_stack_run_sync(e.d, "shop", NULL, 0, NULL);
	assert_int_equal(e.r->status, DISCOVER_OK);
	assert_string_equal(e.r->stack, "shop");
	expect(e.r, want);
	assert_string_equal(
	    e.r->srcs[0].resource_type, "AWS::Lambda::Function");
	assert_non_null(strstr(e.r->srcs[0].reason, "LoggingConfig.LogGroup"));
	assert_non_null(strstr(e.r->srcs[6].reason, "level ERROR"));
	assert_string_equal(
	    e.r->srcs[2].resource_type, "AWS::ApiGatewayV2::Api");
	/* The denied nested stack is a warning; the rest is read. */
	assert_true(warned(e.r, "cannot list nested stack Denied"));
	assert_true(warned(e.r, "AccessDenied"));
	/* Pages: two of the top stack; the cycle is not listed again. */
	assert_int_equal(fakeaws_count(&e.fa, "POST /?Action=ListStackRes"), 4);
	assert_int_equal(fakeaws_count(&e.fa, FN "orders-fn"), 1);
	assert_int_equal(
	    fakeaws_count(&e.fa, "POST /AWSStepFunctions.DescribeState"), 1);
	senv_free(&e);
}

static void
test_stack_names(void **state)
{
	static const char *const inner[] = {
	    "Nested/Inner", "loggroup", "/shop/inner", NULL};
	static const char *const two[] = {"Grp", "loggroup", "/shop/audit",
	    "SM", "states:checkout", "/shop/states", NULL};
	char *names[] = {"Nested", "Grp", "SM", "Nested/Inner", "Nope"};
	struct senv e;
	size_t n;

	(void)state;
	senv_init(&e);
	shop_routes(&e);
	/* A nested stack's logical id picks what is in it; nothing else is
	 * asked for. */
	e.r = discover_stack_run_sync(e.d, "shop", names, 1, NULL);
	assert_int_equal(e.r->status, DISCOVER_OK);
	expect(e.r, inner);
	assert_int_equal(fakeaws_count(&e.fa, FN), 0);
	assert_int_equal(fakeaws_count(&e.fa, "GET /v2"), 0);
	discover_result_free(e.r);
	e.r = discover_stack_run_sync(e.d, "shop", names + 1, 2, NULL);
	expect(e.r, two);
	discover_result_free(e.r);
	e.r = discover_stack_run_sync(e.d, "shop", names + 3, 1, NULL);
	expect(e.r, inner);
	discover_result_free(e.r);
	/* A name that matches nothing ends the run, with the choices, before
	 * any request but the listings. */
	n = e.fa.nrequests;
	e.r = discover_stack_run_sync(e.d, "shop", names + 3, 2, NULL);
	assert_int_equal(e.r->status, DISCOVER_NO_NAME);
	assert_non_null(strstr(e.r->cause, "'Nope'"));
	assert_true(e.r->nchoices >= 8);
	for (; n < e.fa.nrequests; n++)
		assert_non_null(strstr(e.fa.requests[n], "ListStackResources"));
	senv_free(&e);
}

static void
test_stack_unknown(void **state)
{
	struct senv e;

	(void)state;
	senv_init(&e);
	fakeaws_route(&e.fa, "POST /?~StackName=nope", 400,
	    "<ErrorResponse xmlns=\"http://cloudformation.amazonaws.com/doc/"
	    "2010-05-15/\"><Error><Type>Sender</Type><Code>ValidationError"
	    "</Code><Message>Stack with id nope does not exist</Message>"
	    "</Error><RequestId>x</RequestId></ErrorResponse>");
	e.r = discover_stack_run_sync(e.d, "nope", NULL, 0, NULL);
	assert_int_equal(e.r->status, DISCOVER_NO_STACK);
	assert_string_equal(
	    e.r->cause, "no CloudFormation stack 'nope' in us-east-1");
	assert_int_equal(fakeaws_count(&e.fa, "POST"), 1);
	discover_result_free(e.r);
	/* Denied on the top stack: an access error, not a warning. */
	fakeaws_route(&e.fa, "POST /?~StackName=top", 403,
	    "<ErrorResponse><Error><Code>AccessDenied</Code><Message>no"
	    "</Message></Error></ErrorResponse>");
	e.r = discover_stack_run_sync(e.d, "top", NULL, 0, NULL);
	assert_int_equal(e.r->status, DISCOVER_ERR_ACCESS);
	assert_non_null(strstr(e.r->cause, "AccessDenied"));
	senv_free(&e);
}

/* Stacks nested deeper than the bound are not listed. */
static void
test_stack_depth(void **state)
{
	const char *v[] = {"Child", "AWS::CloudFormation::Stack", NULL, "G",
	    "AWS::Logs::LogGroup", NULL, NULL};
	char name[16], child[16], group[16];
	struct senv e;
	int i;

	(void)state;
	senv_init(&e);
	for (i = 0; i < 20; i++) {
		snprintf(name, sizeof name, "s%02d", i);
		snprintf(child, sizeof child, "s%02d", i + 1);
		snprintf(group, sizeof group, "/g%02d", i);
		v[2] = child;
		v[5] = group;
		route_stack(&e, name, "", v, NULL);
	}
	e.r = discover_stack_run_sync(e.d, "s00", NULL, 0, NULL);
	assert_int_equal(e.r->status, DISCOVER_OK);
	assert_int_equal(e.r->nsrcs, DISCOVER_STACK_DEPTH + 1);
	assert_true(warned(e.r, "more than 8 levels deep"));
	assert_int_equal(
	    fakeaws_count(&e.fa, "POST"), DISCOVER_STACK_DEPTH + 1);
	senv_free(&e);
}

/* A run cancelled while it waits leaves nothing behind. */
static void
test_stack_cancel(void **state)
{
	struct discover_stack_op *op;
	struct senv e;
	int called = 0;

	(void)state;
	senv_init(&e);
	shop_routes(&e);
	op = discover_stack_start(e.d, "shop", NULL, 0, NULL, NULL, &called);
	discover_stack_cancel(op);
	senv_free(&e);
	assert_int_equal(called, 0);
}

static void
test_xmltag_list(void **state)
{
	const char *x = "<R><L><m><a>1</a></m><m/><m><a>&amp;3</a><m>in</m>"
			"</m><x>not</x><m><a>4</a></m></L></R>";
	struct xmltag_span *v;
	char *s;
	size_t n;

	(void)state;
	assert_int_equal(xmltag_list(x, strlen(x), "R/L", "m", 10, &v, &n), 0);
	assert_int_equal(n, 4);
	s = xmltag_get(v[0].p, v[0].len, "a");
	assert_string_equal(s, "1");
	free(s);
	assert_int_equal(v[1].len, 0);
	s = xmltag_get(v[2].p, v[2].len, "a");
	assert_string_equal(s, "&3");
	free(s);
	s = xmltag_get(v[3].p, v[3].len, "a");
	assert_string_equal(s, "4");
	free(s);
	free(v);
	assert_int_equal(xmltag_list(x, strlen(x), "R/L", "m", 2, &v, &n), 0);
	assert_int_equal(n, 2);
	free(v);
	assert_int_equal(xmltag_list(x, strlen(x), "R/Q", "m", 9, &v, &n), -1);
	assert_null(v);
	/* Truncated: what is complete is read, nothing past the end. */
	assert_int_equal(xmltag_list(x, 30, "R", "m", 9, &v, &n), -1);
	assert_int_equal(
	    xmltag_list("<L><m>1</m><m>2", 15, "L", "m", 9, &v, &n), -1);
}

static void
test_cfn_decode(void **state)
{
	static const char *const v[] = {"A&amp;B", "AWS::Logs::LogGroup", "/g",
	    "", "AWS::X", "x", "C", "AWS::Lambda::Function", NULL, NULL};
	struct cfn_resources r;
	char *xml, *cause = NULL;

	(void)state;
	memset(&r, 0, sizeof r);
	xml = page(v, "t");
	assert_int_equal(cfn_decode_resources(xml, strlen(xml), &r, &cause), 0);
	assert_int_equal(r.n, 2); /* the one without a logical id is not */
	assert_string_equal(r.v[0].logical_id, "A&B");
	assert_string_equal(r.v[0].physical_id, "/g");
	assert_string_equal(r.v[0].status, "CREATE_COMPLETE");
	assert_null(r.v[1].physical_id);
	cfn_resources_free(&r);
	free(xml);
	assert_int_equal(cfn_decode_resources("<x/>", 4, &r, &cause), -1);
	assert_non_null(strstr(cause, "StackResourceSummaries"));
	free(cause);
}

static void
test_sfn_decode(void **state)
{
	struct sfn_machine m;
	json_t *o;
	char *cause = NULL;

	(void)state;
	o = json_loads("{\"name\":\"n\",\"loggingConfiguration\":{\"level\":"
		       "\"ALL\",\"destinations\":[{\"cloudWatchLogsLogGroup\":"
		       "{\"logGroupArn\":\"a1\"}},{},{\"cloudWatchLogsLogGroup"
		       "\":{\"logGroupArn\":null}},{\"cloudWatchLogsLogGroup\":"
		       "{\"logGroupArn\":\"a2\"}}]}}",
	    0, NULL);
	assert_int_equal(sfn_decode_machine(o, &m, &cause), 0);
	assert_string_equal(m.level, "ALL");
	assert_int_equal(m.ngroup_arns, 2);
	assert_string_equal(m.group_arns[1], "a2");
	sfn_machine_free(&m);
	json_decref(o);
	o = json_loads("{\"loggingConfiguration\":{}}", 0, NULL);
	assert_int_equal(sfn_decode_machine(o, &m, &cause), -1);
	free(cause);
	sfn_machine_free(&m);
	json_decref(o);
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_stack_everything),
    cmocka_unit_test(test_stack_names),
    cmocka_unit_test(test_stack_unknown),
    cmocka_unit_test(test_stack_depth),
    cmocka_unit_test(test_stack_cancel),
    cmocka_unit_test(test_xmltag_list),
    cmocka_unit_test(test_cfn_decode),
    cmocka_unit_test(test_sfn_decode),
};

TEST_MAIN(tests)

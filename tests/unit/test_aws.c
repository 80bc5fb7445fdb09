/* SPDX-License-Identifier: Apache-2.0 */
/* The AWS error parser, the standard retry policy and the aws layer's
 * retries (fake transport, virtual time). */

#include <stdlib.h>
#include <string.h>

#include "testmain.h"

#include "aws/aws.h"
#include "aws/awserr.h"
#include "aws/http.h"
#include "aws/loop.h"
#include "aws/retry.h"
#include "core/xmalloc.h"
#include "fakelogs.h"

static void
resp_init(struct http_response *r, long status, const char *body)
{
	memset(r, 0, sizeof *r);
	r->status = status;
	buf_init(&r->body, 0);
	buf_puts(&r->body, body);
}

static void
resp_header(struct http_response *r, const char *n, const char *v)
{
	r->headers =
	    xreallocarray(r->headers, r->nheaders + 1, sizeof *r->headers);
	r->headers[r->nheaders].name = xstrdup(n);
	r->headers[r->nheaders].value = xstrdup(v);
	r->nheaders++;
}

static void
test_awserr(void **state)
{
	struct http_response r;
	struct awserr e;

	(void)state;
	/* awsJson: __type qualified with a namespace and a colon part. */
	resp_init(&r, 400,
	    "{\"__type\":\"com.amazonaws.logs#"
	    "ResourceNotFoundException:http://x\",\"message\":\"The "
	    "specified log group does not exist.\"}");
	resp_header(&r, "x-amzn-RequestId", "req-1");
	awserr_parse(&r, &e);
	assert_string_equal(e.code, "ResourceNotFoundException");
	assert_string_equal(e.message, "The specified log group does not "
				       "exist.");
	assert_string_equal(e.request_id, "req-1");
	awserr_free(&e);
	http_response_free(&r);

	/* REST-JSON: the header wins; Lambda's Message with a capital M. */
	resp_init(&r, 404,
	    "{\"Type\":\"User\",\"Message\":\"Function not "
	    "found: arn\"}");
	resp_header(&r, "X-Amzn-ErrorType",
	    "ResourceNotFoundException:"
	    "http://internal.amazon.com/");
	awserr_parse(&r, &e);
	assert_string_equal(e.code, "ResourceNotFoundException");
	assert_string_equal(e.message, "Function not found: arn");
	awserr_free(&e);
	http_response_free(&r);

	/* Query protocol / moto's signature errors: XML. */
	resp_init(&r, 403,
	    "<ErrorResponse><Error><Type>Sender</Type><Code>"
	    "SignatureDoesNotMatch</Code><Message>The request signature we "
	    "calculated does not match</Message></Error><RequestId>abc"
	    "</RequestId></ErrorResponse>");
	awserr_parse(&r, &e);
	assert_string_equal(e.code, "SignatureDoesNotMatch");
	assert_string_equal(e.request_id, "abc");
	assert_true(aws_code_is_access(e.code));
	awserr_free(&e);
	http_response_free(&r);

	/* x-amzn-query-error overrides; an HTML page falls back to status. */
	resp_init(&r, 400, "{\"__type\":\"A\"}");
	resp_header(
	    &r, "x-amzn-query-error", "AWS.SimpleQueueService.X;Sender");
	awserr_parse(&r, &e);
	assert_string_equal(e.code, "AWS.SimpleQueueService.X");
	awserr_free(&e);
	http_response_free(&r);
	resp_init(&r, 500, "<html><body>Internal Server Error</body></html>");
	awserr_parse(&r, &e);
	assert_string_equal(e.code, "500");
	assert_null(e.message);
	awserr_free(&e);
	http_response_free(&r);

	/* Control characters never reach a message. */
	resp_init(
	    &r, 400, "{\"__type\":\"X\",\"message\":\"a\\u001b[2Jb\\nc\"}");
	awserr_parse(&r, &e);
	assert_string_equal(e.message, "a[2Jb c");
	awserr_free(&e);
	http_response_free(&r);
}

static void
test_retry_policy(void **state)
{
	struct retry_quota q = {RETRY_QUOTA_INITIAL};
	int64_t d;

	(void)state;
	assert_int_equal(retry_classify(HTTP_OK, 400, "ThrottlingException"),
	    RETRY_THROTTLE);
	assert_int_equal(
	    retry_classify(HTTP_OK, 429, "Whatever"), RETRY_THROTTLE);
	assert_int_equal(retry_classify(HTTP_OK, 400, "LimitExceededException"),
	    RETRY_THROTTLE);
	assert_int_equal(retry_classify(HTTP_OK, 503, "503"), RETRY_TRANSIENT);
	assert_int_equal(
	    retry_classify(HTTP_OK, 400, "RequestTimeout"), RETRY_TRANSIENT);
	assert_int_equal(
	    retry_classify(HTTP_ERR_RESET, 0, NULL), RETRY_TRANSIENT);
	assert_int_equal(
	    retry_classify(HTTP_ERR_TIMEOUT, 0, NULL), RETRY_TIMEOUT);
	assert_int_equal(
	    retry_classify(HTTP_OK, 400, "InvalidParameterException"),
	    RETRY_NO);
	assert_int_equal(
	    retry_classify(HTTP_OK, 403, "AccessDenied"), RETRY_NO);
	assert_int_equal(retry_classify(HTTP_ERR_TLS, 0, NULL), RETRY_NO);

	/* Backoff: rand * min(2^(attempt-1) s, 20 s). */
	assert_true(retry_decide(&q, RETRY_TRANSIENT, 1, 3, 0.5, &d));
	assert_int_equal(d, 500);
	assert_true(retry_decide(&q, RETRY_TRANSIENT, 2, 3, 0.5, &d));
	assert_int_equal(d, 1000);
	assert_false(retry_decide(&q, RETRY_TRANSIENT, 3, 3, 0.5, &d));
	assert_true(retry_decide(&q, RETRY_TRANSIENT, 9, 10, 0.999, &d));
	assert_int_equal(d, 19980);
	assert_false(retry_decide(&q, RETRY_NO, 1, 3, 0.5, &d));
	/* The quota: 5 per retry, 10 per timeout; throttles are free. */
	q.available = 12;
	assert_true(retry_decide(&q, RETRY_TIMEOUT, 1, 3, 0, &d));
	assert_int_equal(q.available, 2);
	assert_false(retry_decide(&q, RETRY_TRANSIENT, 1, 3, 0, &d));
	assert_true(retry_decide(&q, RETRY_THROTTLE, 1, 3, 0, &d));
	retry_success(&q, 0, RETRY_NO);
	assert_int_equal(q.available, 3);
	retry_success(&q, 1, RETRY_TRANSIENT);
	assert_int_equal(q.available, 8);
}

struct call_env {
	struct fakeclock clk;
	struct loop *loop;
	struct fakelogs fl;
	struct aws_ctx ctx;
	struct aws_client *c;
};

static void
call_env_init(struct call_env *t)
{
	char *cause = NULL;

	fakeclock_init(&t->clk, 1700000000000);
	t->loop = loop_new(&t->clk.clock, NULL);
	fakelogs_init(&t->fl, t->loop);
	fakelogs_ctx(&t->fl, &t->ctx, t->loop);
	fakelogs_add_group(&t->fl, "/g");
	assert_int_equal(aws_client_new(&t->c, &t->ctx, AWS_LOGS, "us-east-1",
			     "http://127.0.0.1:9/base/", &cause),
	    0);
	assert_string_equal(t->c->host, "127.0.0.1:9");
	assert_string_equal(t->c->base_path, "/base");
}

static void
call_env_free(struct call_env *t)
{
	aws_client_free(t->c);
	fakelogs_free(&t->fl);
	loop_free(t->loop);
}

static int
call_groups(struct call_env *t, struct aws_result *res)
{
	struct aws_call call;

	memset(&call, 0, sizeof call);
	call.op = "DescribeLogGroups";
	call.target = "Logs_20140328.DescribeLogGroups";
	call.body = "{}";
	call.body_len = 2;
	return (aws_call_sync(t->c, &call, res));
}

static void
test_aws_retries(void **state)
{
	struct call_env t;
	struct aws_result res;
	int64_t start;

	(void)state;
	call_env_init(&t);
	/* Two transient failures, then success: three attempts. */
	fakelogs_fault(&t.fl, 0, FAULT_503);
	fakelogs_fault(&t.fl, 1, FAULT_RESET);
	start = t.clk.now;
	assert_int_equal(call_groups(&t, &res), 0);
	assert_int_equal(res.status, AWS_OK);
	assert_int_equal(res.attempts, 3);
	assert_non_null(strstr(res.body.data, "\"/g\""));
	/* Jittered backoff: under 1 s then under 2 s. */
	assert_true(t.clk.now - start < 3000);
	aws_result_free(&res);

	/* Exhausted: the last error comes back. */
	t.fl.every = 1;
	t.fl.every_fault = FAULT_500;
	assert_int_equal(call_groups(&t, &res), -1);
	assert_int_equal(res.status, AWS_ERR_SERVICE);
	assert_string_equal(res.code, "ServiceUnavailableException");
	assert_int_equal(res.attempts, 3);
	aws_result_free(&res);

	/* Not retryable: one attempt. */
	t.fl.every_fault = FAULT_EXPIRED;
	assert_int_equal(call_groups(&t, &res), -1);
	assert_int_equal(res.attempts, 1);
	assert_true(aws_code_is_access(res.code));
	aws_result_free(&res);

	/* max_attempts from the settings (AWS_MAX_ATTEMPTS). */
	t.fl.every_fault = FAULT_THROTTLE;
	t.ctx.max_attempts = 5;
	assert_int_equal(call_groups(&t, &res), -1);
	assert_int_equal(res.attempts, 5);
	assert_true(res.throttled);
	aws_result_free(&res);
	call_env_free(&t);
}

static int notices;
static char last_notice[256];

static void
record_notice(void *arg, const char *msg)
{
	(void)arg;
	notices++;
	snprintf(last_notice, sizeof last_notice, "%s", msg);
}

/* Retry-After is obeyed up to 20 s, and a long wait is said once. */
static void
test_aws_retry_after(void **state)
{
	struct call_env t;
	struct aws_result res;
	int64_t start;

	(void)state;
	call_env_init(&t);
	t.ctx.notice = record_notice;
	notices = 0;
	/* A server that asks for an hour is waited for 20 s. */
	t.fl.retry_after = "3600";
	fakelogs_fault(&t.fl, 0, FAULT_THROTTLE);
	start = t.clk.now;
	assert_int_equal(call_groups(&t, &res), 0);
	assert_int_equal(res.attempts, 2);
	assert_true(t.clk.now - start >= AWS_WAIT_MAX_MS);
	assert_true(t.clk.now - start < AWS_WAIT_MAX_MS + 1000);
	assert_int_equal(notices, 1);
	assert_non_null(strstr(last_notice, "asked to wait 20 s"));
	aws_result_free(&res);

	/* A second long wait is not said again. */
	fakelogs_fault(&t.fl, t.fl.requests, FAULT_THROTTLE);
	assert_int_equal(call_groups(&t, &res), 0);
	assert_int_equal(notices, 1);
	aws_result_free(&res);

	/* A short one is obeyed as given, and not said. */
	t.ctx.said_long_wait = 0;
	t.fl.retry_after = "3";
	fakelogs_fault(&t.fl, t.fl.requests, FAULT_THROTTLE);
	start = t.clk.now;
	assert_int_equal(call_groups(&t, &res), 0);
	assert_true(t.clk.now - start >= 3000);
	assert_true(t.clk.now - start < 4000);
	assert_int_equal(notices, 1);
	aws_result_free(&res);
	call_env_free(&t);
}

static void
test_aws_describe(void **state)
{
	struct aws_result res;
	char *d;

	(void)state;
	memset(&res, 0, sizeof res);
	res.status = AWS_ERR_SERVICE;
	res.code = xstrdup("AccessDeniedException");
	res.message = xstrdup("User is not authorized");
	d = aws_result_describe(&res);
	assert_string_equal(d, "AccessDeniedException: User is not authorized");
	free(d);
	aws_result_free(&res);
	res.status = AWS_ERR_SERVICE;
	res.code = xstrdup("500");
	res.http_status = 500;
	d = aws_result_describe(&res);
	assert_string_equal(d, "HTTP 500");
	free(d);
	aws_result_free(&res);
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_awserr),
    cmocka_unit_test(test_retry_policy),
    cmocka_unit_test(test_aws_retries),
    cmocka_unit_test(test_aws_retry_after),
    cmocka_unit_test(test_aws_describe),
};

TEST_MAIN(tests)

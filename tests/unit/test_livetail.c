/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Live Tail sessions (logs/livetail.h) over the aws layer's streaming
 * call, through a fake transport that hands event-stream bytes to the
 * call's sink in chunks of any size, in virtual time: the request (host
 * prefix, body), the messages (start, update, exceptions), a refusal, a
 * broken or truncated stream, and cancelling from inside a callback.
 */

#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "testmain.h"

#include "aws/aws.h"
#include "aws/http.h"
#include "aws/loop.h"
#include "core/buf.h"
#include "core/xmalloc.h"
#include "evframe.h"
#include "fakelogs.h"
#include "logs/livetail.h"

#define ARN_A "arn:aws:logs:us-east-1:123456789012:log-group:/a"
#define ARN_B "arn:aws:logs:us-east-1:123456789012:log-group:/b"

/* The fake transport: one streaming answer, scripted per test. */
struct fake {
	struct loop *loop;
	struct buf stream; /* the body to hand over */
	size_t off;
	size_t chunk; /* bytes per on_data call */
	long status;
	enum http_err end_err;  /* how the transfer ends */
	const char *error_body; /* non-2xx body */
	/* The request seen. */
	char *url, *host, *body, *target;
	void (*on_data)(void *, const void *, size_t);
	void *data_arg;
	http_done_cb done;
	void *done_arg;
	uint64_t timer;
	int requests;
	int cancelled;
};

static struct fake F;

static const char *
header_value(const struct http_request *req, const char *name)
{
	size_t i, n = strlen(name);

	for (i = 0; req->headers[i] != NULL; i++) {
		if (strncasecmp(req->headers[i], name, n) == 0 &&
		    req->headers[i][n] == ':')
			return (req->headers[i] + n + 2);
	}
	return (NULL);
}

static void
fake_step(void *arg)
{
	struct http_response r;
	size_t n;

	(void)arg;
	F.timer = 0;
	if (F.status >= 200 && F.status < 300 && F.off < F.stream.len) {
		n = F.stream.len - F.off;
		if (n > F.chunk)
			n = F.chunk;
		F.off += n;
		/* The next step first: the sink may cancel the transfer. */
		F.timer = loop_timer_in(F.loop, 10, fake_step, NULL);
		F.on_data(F.data_arg, F.stream.data + F.off - n, n);
		return;
	}
	memset(&r, 0, sizeof r);
	r.status = F.status;
	r.err = F.end_err;
	buf_init(&r.body, 0);
	if (F.error_body != NULL)
		buf_puts(&r.body, F.error_body);
	if (r.err != HTTP_OK)
		strcpy(r.errmsg, "Connection reset by peer");
	F.done(&r, F.done_arg);
	http_response_free(&r);
}

static struct http_xfer *
fake_submit(
    struct loop *l, const struct http_request *req, http_done_cb cb, void *arg)
{
	const char *p;

	F.requests++;
	free(F.url);
	free(F.host);
	free(F.body);
	free(F.target);
	F.url = xstrdup(req->url);
	F.host = xstrdup(header_value(req, "Host"));
	p = header_value(req, "X-Amz-Target");
	F.target = p ? xstrdup(p) : NULL;
	F.body = xstrndup(req->body, req->body_len);
	assert_non_null(req->on_data);
	assert_int_equal(req->read_timeout_ms, AWS_STREAM_READ_TIMEOUT_MS);
	F.on_data = req->on_data;
	F.data_arg = req->data_arg;
	F.done = cb;
	F.done_arg = arg;
	F.off = 0;
	F.timer = loop_timer_in(l, 50, fake_step, NULL);
	return ((struct http_xfer *)&F);
}

static void
fake_cancel(struct loop *l, struct http_xfer *x)
{
	assert_ptr_equal(x, &F);
	loop_timer_cancel(l, F.timer);
	F.timer = 0;
	F.cancelled++;
}

/* What the session said, in order. */
struct seen {
	int starts, updates, ends;
	enum livetail_end end;
	enum logs_err err;
	char code[64], message[256];
	struct page *pages[8];
	int sampled;
	size_t unknown;
	int cancel_on; /* cancel from inside the callback of this kind + 1 */
	struct livetail *lt;
	int done;
};

static void
seen_cb(void *arg, struct livetail_msg *m)
{
	struct seen *s = arg;

	assert_int_equal(s->ends, 0); /* nothing after the end */
	switch (m->kind) {
	case LIVETAIL_START:
		s->starts++;
		break;
	case LIVETAIL_UPDATE:
		s->pages[s->updates++] = m->page;
		m->page = NULL;
		s->sampled |= m->sampled;
		s->unknown += m->unknown;
		break;
	case LIVETAIL_END:
		s->ends++;
		s->end = m->end;
		s->err = m->err;
		snprintf(s->code, sizeof s->code, "%s", m->code ? m->code : "");
		snprintf(s->message, sizeof s->message, "%s",
		    m->message ? m->message : "");
		s->done = 1;
		break;
	}
	if (s->cancel_on == (int)m->kind + 1) {
		livetail_cancel(s->lt);
		s->done = 1;
	}
}

struct env {
	struct fakeclock clk;
	struct loop *loop;
	struct fakelogs fl;
	struct aws_ctx ctx;
	struct aws_client *c;
};

static void
env_init(struct env *t, int default_endpoint)
{
	char *cause = NULL;

	memset(&F, 0, sizeof F);
	fakeclock_init(&t->clk, 1700000000000);
	t->loop = loop_new(&t->clk.clock, NULL);
	fakelogs_init(&t->fl, t->loop);
	fakelogs_ctx(&t->fl, &t->ctx, t->loop);
	t->ctx.transport = fake_submit;
	t->ctx.transport_cancel = fake_cancel;
	assert_int_equal(
	    aws_client_new(&t->c, &t->ctx, AWS_LOGS, "us-east-1",
		default_endpoint ? "https://logs.us-east-1.amazonaws.com"
				 : "http://127.0.0.1:9",
		&cause),
	    0);
	t->c->default_endpoint = default_endpoint;
	F.loop = t->loop;
	F.status = 200;
	F.chunk = 1;
	buf_init(&F.stream, 0);
}

static void
env_free(struct env *t, struct seen *s)
{
	int i;

	for (i = 0; i < s->updates; i++)
		page_free(s->pages[i]);
	aws_client_free(t->c);
	fakelogs_free(&t->fl);
	loop_free(t->loop);
	buf_free(&F.stream);
	free(F.url);
	free(F.host);
	free(F.body);
	free(F.target);
}

static struct livetail *
start(struct env *t, struct seen *s)
{
	static const char *const arns[] = {ARN_A, ARN_B};
	struct livetail_req req;

	memset(&req, 0, sizeof req);
	req.arns = arns;
	req.narns = 2;
	req.pattern = "ERROR";
	s->lt = livetail_start(t->c, &req, seen_cb, s);
	/* Never a callback inside the start call. */
	assert_int_equal(s->starts + s->updates + s->ends, 0);
	return (s->lt);
}

#define UPDATE                                                                 \
	"{\"sessionMetadata\":{\"sampled\":true},\"sessionResults\":["         \
	"{\"logStreamName\":\"s2\",\"logGroupIdentifier\":\"" ARN_B "\","      \
	"\"message\":\"second\",\"timestamp\":20,\"ingestionTime\":25},"       \
	"{\"logStreamName\":\"s1\",\"logGroupIdentifier\":\"" ARN_A ":*\","    \
	"\"message\":\"first\",\"timestamp\":10,\"ingestionTime\":12},"        \
	"{\"logStreamName\":\"s9\",\"logGroupIdentifier\":\"/other\","         \
	"\"message\":\"not ours\",\"timestamp\":5}]}"

/* A whole session, one byte at a time, on AWS's own endpoint. */
static void
test_session(void **state)
{
	struct env t;
	struct seen s;
	struct page *p;
	json_t *body;

	(void)state;
	memset(&s, 0, sizeof s);
	env_init(&t, 1);
	evframe_event(&F.stream, "initial-response", "{}");
	evframe_event(&F.stream, "sessionStart", "{\"sessionId\":\"x\"}");
	evframe_event(&F.stream, "sessionUpdate", UPDATE);
	evframe_event(&F.stream, "sessionUpdate",
	    "{\"sessionMetadata\":{\"sampled\":false},\"sessionResults\":[]}");
	evframe_exception(&F.stream, "SessionTimeoutException",
	    "{\"message\":\"three hours\"}");
	start(&t, &s);
	loop_run_until(t.loop, &s.done);
	/* The host prefix of the operation, on the default endpoint. */
	assert_string_equal(
	    F.url, "https://stream-logs.us-east-1.amazonaws.com/");
	assert_string_equal(F.host, "stream-logs.us-east-1.amazonaws.com");
	assert_string_equal(F.target, "Logs_20140328.StartLiveTail");
	body = json_loads(F.body, 0, NULL);
	assert_non_null(body);
	assert_string_equal(
	    json_string_value(json_array_get(
		json_object_get(body, "logGroupIdentifiers"), 1)),
	    ARN_B);
	assert_string_equal(
	    json_string_value(json_object_get(body, "logEventFilterPattern")),
	    "ERROR");
	/* Stream filters only with one group. */
	assert_null(json_object_get(body, "logStreamNamePrefixes"));
	json_decref(body);

	assert_int_equal(s.starts, 1);
	assert_int_equal(s.updates, 2);
	assert_int_equal(s.ends, 1);
	assert_int_equal(s.end, LIVETAIL_TIMEOUT);
	assert_string_equal(s.code, "SessionTimeoutException");
	assert_string_equal(s.message, "three hours");
	assert_true(s.sampled);
	assert_int_equal(s.unknown, 1);
	p = s.pages[0];
	assert_int_equal(p->n, 2);
	/* Sorted by time; each names its group by index; no eventId. */
	assert_string_equal(p->ev[0].msg, "first");
	assert_int_equal(p->ev[0].src, 0);
	assert_int_equal(p->ev[0].ts, 10);
	assert_int_equal(p->ev[0].ingest, 12);
	assert_string_equal(p->ev[0].stream, "s1");
	assert_int_equal(p->ev[0].id_len, 0);
	assert_string_equal(p->ev[1].msg, "second");
	assert_int_equal(p->ev[1].src, 1);
	assert_int_equal(s.pages[1]->n, 0);
	/* The exception ended the call: no done afterwards. */
	assert_int_equal(F.cancelled, 1);
	env_free(&t, &s);
}

/* An endpoint override is used as given; big chunks. */
static void
test_override_and_chunks(void **state)
{
	struct env t;
	struct seen s;

	(void)state;
	memset(&s, 0, sizeof s);
	env_init(&t, 0);
	F.chunk = 100000;
	evframe_event(&F.stream, "sessionStart", "{}");
	evframe_event(&F.stream, "sessionUpdate", UPDATE);
	evframe_exception(&F.stream, "SessionStreamingException", "{}");
	start(&t, &s);
	loop_run_until(t.loop, &s.done);
	assert_string_equal(F.url, "http://127.0.0.1:9/");
	assert_string_equal(F.host, "127.0.0.1:9");
	assert_int_equal(s.updates, 1);
	assert_int_equal(s.end, LIVETAIL_STREAMING);
	env_free(&t, &s);
}

/* Refused: the error is classified like any other AWS error. */
static void
test_refused(void **state)
{
	struct env t;
	struct seen s;

	(void)state;
	memset(&s, 0, sizeof s);
	env_init(&t, 0);
	F.status = 400;
	F.error_body = "{\"__type\":\"AccessDeniedException\",\"message\":"
		       "\"not allowed\"}";
	start(&t, &s);
	loop_run_until(t.loop, &s.done);
	assert_int_equal(s.starts, 0);
	assert_int_equal(s.end, LIVETAIL_REFUSED);
	assert_int_equal(s.err, LOGS_ERR_ACCESS);
	assert_string_equal(s.code, "AccessDeniedException");
	assert_non_null(strstr(s.message, "not allowed"));
	assert_int_equal(F.requests, 1);
	env_free(&t, &s);
}

/* A connection that breaks after data, or ends inside a message. */
static void
test_broken(void **state)
{
	struct env t;
	struct seen s;

	(void)state;
	memset(&s, 0, sizeof s);
	env_init(&t, 0);
	F.chunk = 7;
	F.end_err = HTTP_ERR_RESET;
	evframe_event(&F.stream, "sessionStart", "{}");
	start(&t, &s);
	loop_run_until(t.loop, &s.done);
	assert_int_equal(s.starts, 1);
	assert_int_equal(s.end, LIVETAIL_BROKEN);
	assert_int_equal(s.err, LOGS_ERR_TRANSPORT);
	/* Bytes went to the sink: never retried. */
	assert_int_equal(F.requests, 1);
	env_free(&t, &s);

	memset(&s, 0, sizeof s);
	env_init(&t, 0);
	evframe_event(&F.stream, "sessionStart", "{}");
	evframe_event(&F.stream, "sessionUpdate", UPDATE);
	F.stream.len -= 9; /* cut inside the update */
	start(&t, &s);
	loop_run_until(t.loop, &s.done);
	assert_int_equal(s.updates, 0);
	assert_int_equal(s.end, LIVETAIL_BROKEN);
	env_free(&t, &s);

	/* A corrupt message ends the session as BAD. */
	memset(&s, 0, sizeof s);
	env_init(&t, 0);
	evframe_event(&F.stream, "sessionUpdate", "{\"sessionResults\":7}");
	start(&t, &s);
	loop_run_until(t.loop, &s.done);
	assert_int_equal(s.end, LIVETAIL_BAD);
	assert_int_equal(s.err, LOGS_ERR_BAD_PAGE);
	assert_int_equal(F.cancelled, 1);
	env_free(&t, &s);
}

/* Cancelled from inside its callback: nothing more runs. */
static void
test_cancel_in_callback(void **state)
{
	struct env t;
	struct seen s;
	int i;

	(void)state;
	memset(&s, 0, sizeof s);
	env_init(&t, 0);
	F.chunk = 100000; /* everything in one chunk */
	evframe_event(&F.stream, "sessionStart", "{}");
	for (i = 0; i < 3; i++)
		evframe_event(&F.stream, "sessionUpdate", UPDATE);
	s.cancel_on = LIVETAIL_UPDATE + 1;
	start(&t, &s);
	loop_run_until(t.loop, &s.done);
	assert_int_equal(s.updates, 1);
	assert_int_equal(s.ends, 0);
	assert_int_equal(F.cancelled, 1);
	/* Let the loop run on: no callback comes. */
	loop_run_until(t.loop, NULL);
	assert_int_equal(s.updates, 1);
	assert_int_equal(s.ends, 0);
	env_free(&t, &s);

	/* Cancelled before anything arrived. */
	memset(&s, 0, sizeof s);
	env_init(&t, 0);
	evframe_event(&F.stream, "sessionStart", "{}");
	livetail_cancel(start(&t, &s));
	loop_run_until(t.loop, NULL);
	assert_int_equal(s.starts + s.ends, 0);
	env_free(&t, &s);
}

/* The payload parser on its own. */
static void
test_decode_update(void **state)
{
	static const char *const arns[] = {ARN_A, "/named"};
	struct page *p = NULL;
	char *cause = NULL;
	size_t unknown;
	int sampled;
	const char *ok = "{\"sessionResults\":[{\"logGroupIdentifier\":"
			 "\"/named\",\"message\":\"m\",\"timestamp\":1},"
			 "{\"message\":5},{\"logGroupIdentifier\":\"/a\","
			 "\"message\":\"n\"}]}";

	(void)state;
	assert_int_equal(livetail_decode_update(ok, strlen(ok), arns, 2, &p,
			     &sampled, &unknown, &cause),
	    0);
	assert_int_equal(p->n, 2);
	assert_int_equal(sampled, 0);
	assert_int_equal(p->ev[0].ts, 0);  /* no timestamp: 0, first */
	assert_int_equal(p->ev[0].src, 0); /* "/a" is ARN_A's name */
	assert_int_equal(p->ev[1].src, 1);
	page_free(p);
	assert_int_equal(livetail_decode_update(
			     "[1]", 3, arns, 2, &p, &sampled, &unknown, &cause),
	    -1);
	assert_non_null(cause);
	free(cause);
	cause = NULL;
	assert_int_equal(livetail_decode_update("{\"a\":", 5, arns, 2, &p,
			     &sampled, &unknown, &cause),
	    -1);
	free(cause);
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_session),
    cmocka_unit_test(test_override_and_chunks),
    cmocka_unit_test(test_refused),
    cmocka_unit_test(test_broken),
    cmocka_unit_test(test_cancel_in_callback),
    cmocka_unit_test(test_decode_update),
};

TEST_MAIN(tests)

/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The engine's Live Tail side (--watch, --follow-mode auto|live) in
 * virtual time: FilterLogEvents from the in-memory fakelogs, StartLiveTail
 * from a scripted streaming transport (one script per session). Checks
 * the backfill on open and after a break, de-duplication without eventId,
 * the sampled notice and its backfill, and refusals (auto: poll; live:
 * error).
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testmain.h"

#include "aws/aws.h"
#include "aws/http.h"
#include "aws/loop.h"
#include "core/buf.h"
#include "core/xmalloc.h"
#include "evframe.h"
#include "fakelogs.h"
#include "logs/engine.h"
#include "logs/logs.h"
#include "logs/source.h"

#define T0 1700000000000LL
#define ARN "arn:aws:logs:us-east-1:123456789012:log-group:"

/* One scripted StartLiveTail answer. */
struct script {
	long status;
	const char *error_body;
	struct buf bytes;
	enum http_err end_err; /* after the bytes; keep_open: never */
	int keep_open;
	int64_t step_ms; /* one message per step */
};

static struct {
	struct loop *loop;
	struct script s[4];
	size_t n, next;
	struct script *cur;
	size_t off;
	http_done_cb done;
	void *done_arg;
	void (*on_data)(void *, const void *, size_t);
	void *data_arg;
	uint64_t timer;
	size_t half; /* the first half of a message went */
	int requests;
} L;

static void
live_step(void *arg)
{
	struct script *s = L.cur;
	struct http_response r;
	const unsigned char *p;
	size_t n;

	(void)arg;
	L.timer = 0;
	if (s->status == 200 && L.off < s->bytes.len) {
		/* One message each step_ms, split in two chunks. */
		p = (const unsigned char *)s->bytes.data + L.off;
		if (L.half == 0) {
			n = (size_t)p[0] << 24 | (size_t)p[1] << 16 |
			    (size_t)p[2] << 8 | p[3];
			L.half = n - n / 2; /* what the second chunk holds */
			n /= 2;
		} else {
			n = L.half;
			L.half = 0;
		}
		L.off += n;
		L.timer = loop_timer_in(
		    L.loop, L.half ? 0 : s->step_ms, live_step, NULL);
		L.on_data(L.data_arg, s->bytes.data + L.off - n, n);
		return;
	}
	if (s->keep_open)
		return;
	memset(&r, 0, sizeof r);
	r.status = s->status;
	r.err = s->end_err;
	buf_init(&r.body, 0);
	if (s->error_body != NULL)
		buf_puts(&r.body, s->error_body);
	if (r.err != HTTP_OK)
		strcpy(r.errmsg, "reset");
	L.done(&r, L.done_arg);
	http_response_free(&r);
}

static struct http_xfer *
live_submit(
    struct loop *l, const struct http_request *req, http_done_cb cb, void *arg)
{
	L.requests++;
	assert_true(L.next < L.n);
	L.cur = &L.s[L.next++];
	L.off = 0;
	L.half = 0;
	L.done = cb;
	L.done_arg = arg;
	L.on_data = req->on_data;
	L.data_arg = req->data_arg;
	L.timer = loop_timer_in(l, 100, live_step, NULL);
	return ((struct http_xfer *)&L);
}

static void
live_cancel(struct loop *l, struct http_xfer *x)
{
	(void)x;
	loop_timer_cancel(l, L.timer);
	L.timer = 0;
}

static struct script *
script(long status)
{
	struct script *s = &L.s[L.n++];

	s->status = status;
	s->step_ms = 1000;
	buf_init(&s->bytes, 0);
	return (s);
}

/* A sessionUpdate of group /a with (ts, message) pairs. */
static void
update(struct script *s, int sampled, const int64_t *ts, const char **msg,
    size_t n)
{
	struct buf b;
	size_t i;

	buf_init(&b, 0);
	buf_putf(&b,
	    "{\"sessionMetadata\":{\"sampled\":%s},\"sessionResults\":[",
	    sampled ? "true" : "false");
	for (i = 0; i < n; i++)
		buf_putf(&b,
		    "%s{\"logStreamName\":\"s\",\"logGroupIdentifier\":\"" ARN
		    "/a\",\"message\":\"%s\",\"timestamp\":%lld,"
		    "\"ingestionTime\":%lld}",
		    i ? "," : "", msg[i], (long long)ts[i], (long long)ts[i]);
	buf_puts(&b, "]}");
	evframe_event(&s->bytes, "sessionUpdate", buf_str(&b));
	buf_free(&b);
}

struct tenv {
	struct fakeclock clk;
	struct loop *loop;
	struct fakelogs fl;
	struct aws_ctx ctx, lctx;
	struct aws_client *c, *lc;
	struct source src;
	struct engine_opts eo;
	struct engine *e;
	char *out[32];
	size_t nout, want;
	char notices[4096];
	enum engine_status status;
	char *cause;
	struct engine_stats st;
	uint64_t guard;
};

static int
t_emit(void *arg, const struct event *ev, const struct source *s)
{
	struct tenv *t = arg;

	(void)s;
	assert_true(t->nout < 32);
	t->out[t->nout++] = xstrndup(ev->msg, ev->msg_len);
	return (t->nout >= t->want);
}

static void
t_notice(void *arg, int level, const char *msg)
{
	struct tenv *t = arg;
	size_t len = strlen(t->notices);

	(void)level;
	snprintf(t->notices + len, sizeof t->notices - len, "%s\n", msg);
}

static void
t_guard(void *arg)
{
	struct tenv *t = arg;

	t->guard = 0;
	engine_stop(t->e);
}

static void
tenv_init(struct tenv *t, enum engine_follow mode)
{
	char *cause = NULL;

	memset(t, 0, sizeof *t);
	memset(&L, 0, sizeof L);
	fakeclock_init(&t->clk, T0);
	t->loop = loop_new(&t->clk.clock, NULL);
	L.loop = t->loop;
	fakelogs_init(&t->fl, t->loop);
	t->fl.latency_ms = 50;
	t->fl.no_ids = 0;
	fakelogs_ctx(&t->fl, &t->ctx, t->loop);
	t->lctx = t->ctx;
	t->lctx.transport = live_submit;
	t->lctx.transport_cancel = live_cancel;
	assert_int_equal(aws_client_new(&t->c, &t->ctx, AWS_LOGS, "us-east-1",
			     "http://fake.invalid", &cause),
	    0);
	assert_int_equal(aws_client_new(&t->lc, &t->lctx, AWS_LOGS, "us-east-1",
			     "http://fake.invalid", &cause),
	    0);
	t->eo.start = T0 - 60000;
	t->eo.end = LOGS_TIME_UNSET;
	t->eo.max_rps = 1000;
	t->eo.interval_ms = 1000;
	t->eo.hold_back_ms = 2000;
	t->eo.overlap_ms = 5000;
	t->eo.follow = 1;
	t->eo.follow_mode = mode;
	t->eo.live_client = t->lc;
	t->src.group = xstrdup("/a");
	t->src.arn = xstrdup(ARN "/a");
}

static void
tenv_run(struct tenv *t, size_t want)
{
	t->want = want;
	t->e = engine_new(t->loop, t->c, &t->eo);
	engine_add_source(t->e, &t->src);
	engine_set_callbacks(t->e, t_emit, t_notice, NULL, t);
	/* Never hang: stop after two virtual minutes. */
	t->guard = loop_timer_in(t->loop, 120000, t_guard, t);
	t->status = engine_run(t->e, &t->cause);
	t->st = *engine_stats(t->e);
	loop_timer_cancel(t->loop, t->guard);
	engine_free(t->e);
}

static void
tenv_free(struct tenv *t)
{
	size_t i;

	for (i = 0; i < t->nout; i++)
		free(t->out[i]);
	for (i = 0; i < L.n; i++)
		buf_free(&L.s[i].bytes);
	source_free_contents(&t->src);
	free(t->cause);
	aws_client_free(t->c);
	aws_client_free(t->lc);
	fakelogs_free(&t->fl);
	loop_free(t->loop);
}

static void
assert_out(struct tenv *t, const char **want, size_t n)
{
	size_t i;

	for (i = 0; i < t->nout && getenv("TEST_DEBUG"); i++)
		fprintf(stderr, "out %zu: %s\n", i, t->out[i]);
	if (getenv("TEST_DEBUG"))
		fprintf(stderr, "notices: %s\n", t->notices);
	assert_int_equal(t->nout, n);
	for (i = 0; i < n; i++)
		assert_string_equal(t->out[i], want[i]);
}

/* The first open backfills from t0; live and backfill overlap and each
 * line comes out once, in time order. */
static void
test_open_backfill_dedup(void **state)
{
	struct tenv t;
	struct script *s;
	const int64_t ts[] = {T0 + 10, T0 + 1500};
	const char *msg[] = {"gap", "live"};
	const char *want[] = {"history", "gap", "live"};

	(void)state;
	tenv_init(&t, ENGINE_FOLLOW_AUTO);
	fakelogs_add(&t.fl, "/a", "s", T0 - 2000, -1, "history");
	fakelogs_add(&t.fl, "/a", "s", T0 + 10, -1, "gap");
	s = script(200);
	s->keep_open = 1;
	evframe_event(&s->bytes, "initial-response", "{}");
	evframe_event(&s->bytes, "sessionStart", "{}");
	update(s, 0, ts, msg, 2);
	tenv_run(&t, 3);
	assert_int_equal(t.status, ENGINE_OK);
	assert_out(&t, want, 3);
	assert_int_equal(t.st.live_sessions, 1);
	assert_true(t.fl.filter_requests >= 2); /* history + backfill */
	tenv_free(&t);
}

/* A break: the session opens again and the gap comes from the backfill. */
static void
test_reconnect(void **state)
{
	struct tenv t;
	struct script *s;
	const int64_t ts1[] = {T0 + 1100}, ts2[] = {T0 + 3000};
	const char *m1[] = {"one"}, *m2[] = {"three"};
	const char *want[] = {"one", "two", "three"};

	(void)state;
	tenv_init(&t, ENGINE_FOLLOW_AUTO);
	/* A session sends a message a second: the first opens at about
	 * T0 + 0.15 s and breaks at 2.15 s; the second opens at about
	 * 2.3 s. */
	fakelogs_add(&t.fl, "/a", "s", T0 + 1100, -1, "one");
	/* Only ever in FilterLogEvents: ingested while no session showed it
	 * (after the first backfill, before the second). */
	fakelogs_add(&t.fl, "/a", "s", T0 + 1200, T0 + 1500, "two");
	s = script(200);
	evframe_event(&s->bytes, "sessionStart", "{}");
	update(s, 0, ts1, m1, 1);
	s->end_err = HTTP_ERR_RESET;
	s = script(200);
	s->keep_open = 1;
	evframe_event(&s->bytes, "sessionStart", "{}");
	update(s, 0, ts2, m2, 1);
	tenv_run(&t, 3);
	assert_int_equal(t.status, ENGINE_OK);
	assert_out(&t, want, 3);
	assert_int_equal(t.st.live_sessions, 2);
	assert_int_equal(L.requests, 2);
	tenv_free(&t);
}

/* Sampled: said once, and the window read again. */
static void
test_sampled(void **state)
{
	struct tenv t;
	struct script *s;
	const int64_t ts[] = {T0 + 902, T0 + 904};
	const char *msg[] = {"b2", "b4"};
	const char *want[] = {"b1", "b2", "b3", "b4", "b5"};
	char m[16];
	int i;

	(void)state;
	tenv_init(&t, ENGINE_FOLLOW_AUTO);
	for (i = 1; i <= 5; i++) {
		snprintf(m, sizeof m, "b%d", i);
		/* Ingested after the backfill of the open (0.15 s), before
		 * the sampled update (1.15 s). */
		fakelogs_add(&t.fl, "/a", "s", T0 + 900 + i, T0 + 1000, m);
	}
	s = script(200);
	s->keep_open = 1;
	evframe_event(&s->bytes, "sessionStart", "{}");
	update(s, 1, ts, msg, 2);
	update(s, 1, ts, msg, 2);
	tenv_run(&t, 5);
	assert_int_equal(t.status, ENGINE_OK);
	assert_out(&t, want, 5);
	assert_non_null(strstr(t.notices, "Live Tail sampled"));
	/* Once per session. */
	assert_null(strstr(
	    strstr(t.notices, "Live Tail sampled") + 1, "Live Tail sampled"));
	tenv_free(&t);
}

/* Refused in auto mode: one notice, then polling. */
static void
test_refused_auto(void **state)
{
	struct tenv t;
	struct script *s;
	const char *want[] = {"polled"};

	(void)state;
	tenv_init(&t, ENGINE_FOLLOW_AUTO);
	fakelogs_add(&t.fl, "/a", "s", T0 + 3000, -1, "polled");
	s = script(400);
	s->error_body = "{\"__type\":\"LimitExceededException\","
			"\"message\":\"Rate exceeded\"}";
	tenv_run(&t, 1);
	assert_int_equal(t.status, ENGINE_OK);
	assert_out(&t, want, 1);
	assert_non_null(strstr(t.notices, "Live Tail is not available "
					  "(LimitExceededException: Rate "
					  "exceeded); following by polling"));
	assert_int_equal(L.requests, 1);
	tenv_free(&t);
}

/* Refused in live mode: the run fails with the service's error. */
static void
test_refused_live(void **state)
{
	struct tenv t;
	struct script *s;

	(void)state;
	tenv_init(&t, ENGINE_FOLLOW_LIVE);
	fakelogs_add_group(&t.fl, "/a");
	s = script(400);
	s->error_body = "{\"__type\":\"AccessDeniedException\","
			"\"message\":\"no\"}";
	tenv_run(&t, 1);
	assert_int_equal(t.status, ENGINE_ERR_ACCESS);
	assert_non_null(strstr(t.cause, "Live Tail (StartLiveTail) refused: "
					"AccessDeniedException: no"));
	tenv_free(&t);
}

/* poll never opens a session. */
static void
test_poll_mode(void **state)
{
	struct tenv t;
	const char *want[] = {"polled"};

	(void)state;
	tenv_init(&t, ENGINE_FOLLOW_POLL);
	fakelogs_add(&t.fl, "/a", "s", T0 + 3000, -1, "polled");
	tenv_run(&t, 1);
	assert_out(&t, want, 1);
	assert_int_equal(L.requests, 0);
	assert_int_equal(t.st.live_sessions, 0);
	tenv_free(&t);
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_open_backfill_dedup),
    cmocka_unit_test(test_reconnect),
    cmocka_unit_test(test_sampled),
    cmocka_unit_test(test_refused_auto),
    cmocka_unit_test(test_refused_live),
    cmocka_unit_test(test_poll_mode),
};

TEST_MAIN(tests)

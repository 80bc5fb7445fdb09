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

/* One scripted StartLiveTail answer, and the transfer that plays it. */
struct script {
	long status;
	const char *error_body;
	struct buf bytes;
	enum http_err end_err; /* after the bytes; keep_open: never */
	int keep_open;
	int64_t first_ms; /* the first message after this long (100) */
	int64_t step_ms;  /* then one message per step */
	/* The transfer. */
	size_t off;
	http_done_cb done;
	void *done_arg;
	void (*on_data)(void *, const void *, size_t);
	void *data_arg;
	uint64_t timer;
	size_t half;    /* the first half of a message went */
	int64_t at[32]; /* wall time each message was whole */
	size_t nat;
};

static struct {
	struct loop *loop;
	struct script s[4];
	size_t n, next;
	int requests;
} L;

static void
live_step(void *arg)
{
	struct script *s = arg;
	struct http_response r;
	const unsigned char *p;
	size_t n;

	s->timer = 0;
	if (s->status == 200 && s->off < s->bytes.len) {
		/* One message each step_ms, split in two chunks. */
		p = (const unsigned char *)s->bytes.data + s->off;
		if (s->half == 0) {
			n = (size_t)p[0] << 24 | (size_t)p[1] << 16 |
			    (size_t)p[2] << 8 | p[3];
			s->half = n - n / 2; /* what the second chunk holds */
			n /= 2;
		} else {
			n = s->half;
			s->half = 0;
			if (s->nat < 32)
				s->at[s->nat++] = loop_now(L.loop);
		}
		s->off += n;
		s->timer = loop_timer_in(
		    L.loop, s->half ? 0 : s->step_ms, live_step, s);
		s->on_data(s->data_arg, s->bytes.data + s->off - n, n);
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
	s->done(&r, s->done_arg);
	http_response_free(&r);
}

static struct http_xfer *
live_submit(
    struct loop *l, const struct http_request *req, http_done_cb cb, void *arg)
{
	struct script *s;

	L.requests++;
	assert_true(L.next < L.n);
	s = &L.s[L.next++];
	s->off = 0;
	s->half = 0;
	s->done = cb;
	s->done_arg = arg;
	s->on_data = req->on_data;
	s->data_arg = req->data_arg;
	s->timer = loop_timer_in(l, s->first_ms, live_step, s);
	return ((struct http_xfer *)s);
}

static void
live_cancel(struct loop *l, struct http_xfer *x)
{
	struct script *s = (struct script *)x;

	loop_timer_cancel(l, s->timer);
	s->timer = 0;
}

static struct script *
script(long status)
{
	struct script *s = &L.s[L.n++];

	s->status = status;
	s->first_ms = 100;
	s->step_ms = 1000;
	buf_init(&s->bytes, 0);
	return (s);
}

/* A sessionUpdate of group g with (ts, ingestion time, message) triples
 * (ing NULL: ingested at ts). */
static void
update_of(struct script *s, const char *g, int sampled, const int64_t *ts,
    const int64_t *ing, const char **msg, size_t n)
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
		    "%s\",\"message\":\"%s\",\"timestamp\":%lld,"
		    "\"ingestionTime\":%lld}",
		    i ? "," : "", g, msg[i], (long long)ts[i],
		    (long long)(ing != NULL ? ing[i] : ts[i]));
	buf_puts(&b, "]}");
	evframe_event(&s->bytes, "sessionUpdate", buf_str(&b));
	buf_free(&b);
}

/* A sessionUpdate of group /a with (ts, message) pairs. */
static void
update(struct script *s, int sampled, const int64_t *ts, const char **msg,
    size_t n)
{
	update_of(s, "/a", sampled, ts, NULL, msg, n);
}

struct tenv {
	struct fakeclock clk;
	struct loop *loop;
	struct fakelogs fl;
	struct aws_ctx ctx, lctx;
	struct aws_client *c, *lc;
	struct source src;
	struct source more[10]; /* further groups /g1.. */
	size_t nmore;
	struct engine_opts eo;
	struct engine *e;
	char *out[32];
	int64_t out_at[32]; /* wall time of each line */
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
	t->out_at[t->nout] = loop_now(t->loop);
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
	size_t i;

	t->want = want;
	t->e = engine_new(t->loop, t->c, &t->eo);
	engine_add_source(t->e, &t->src);
	for (i = 0; i < t->nmore; i++)
		engine_add_source(t->e, &t->more[i]);
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
	for (i = 0; i < t->nmore; i++)
		source_free_contents(&t->more[i]);
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
		fprintf(stderr, "out %zu: %s at %lld\n", i, t->out[i],
		    (long long)(t->out_at[i] - T0));
	if (getenv("TEST_DEBUG"))
		fprintf(stderr, "notices: %s\n", t->notices);
	assert_int_equal(t->nout, n);
	for (i = 0; i < n; i++)
		assert_string_equal(t->out[i], want[i]);
}

/* The session opens before the history read, which then reads up to a t0
 * after sessionStart: no backfill; an event in both the history's last
 * seconds and the session comes out once, in time order. */
static void
test_open_history_dedup(void **state)
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
	assert_int_equal(t.fl.filter_requests, 1); /* the history only */
	tenv_free(&t);
}

/* Identical events (same stream, millisecond, ingestion time and
 * message) are all printed: three in FilterLogEvents, of which the
 * session delivers two, print three times; two the session alone
 * delivers print twice (the audit found them collapsed into one). */
static void
test_identical_events(void **state)
{
	struct tenv t;
	struct script *s;
	const int64_t ts[] = {T0 + 10, T0 + 10, T0 + 1500, T0 + 1500};
	const char *msg[] = {"dup", "dup", "twin", "twin"};
	const char *want[] = {"history", "dup", "dup", "dup", "twin", "twin"};
	int i;

	(void)state;
	tenv_init(&t, ENGINE_FOLLOW_AUTO);
	fakelogs_add(&t.fl, "/a", "s", T0 - 2000, -1, "history");
	for (i = 0; i < 3; i++)
		fakelogs_add(&t.fl, "/a", "s", T0 + 10, -1, "dup");
	s = script(200);
	s->keep_open = 1;
	evframe_event(&s->bytes, "initial-response", "{}");
	evframe_event(&s->bytes, "sessionStart", "{}");
	update(s, 0, ts, msg, 4);
	for (i = 0; i < 4; i++)
		update(s, 0, NULL, NULL, 0);
	/* One more than expected: the run goes on to the guard. */
	tenv_run(&t, 7);
	assert_out(&t, want, 6);
	tenv_free(&t);
}

/* A session that has not started when the history read begins (after
 * 3 s) backfills from the history's end when it starts. */
static void
test_open_late_backfill(void **state)
{
	struct tenv t;
	struct script *s;
	const int64_t ts[] = {T0 + 4500};
	const char *msg[] = {"live"};
	const char *want[] = {"history", "gap", "live"};

	(void)state;
	tenv_init(&t, ENGINE_FOLLOW_AUTO);
	fakelogs_add(&t.fl, "/a", "s", T0 + 1000, -1, "history");
	/* Ingested after the history read (about T0 + 3 s), before the
	 * session started (T0 + 4 s). */
	fakelogs_add(&t.fl, "/a", "s", T0 + 3200, T0 + 3300, "gap");
	s = script(200);
	s->keep_open = 1;
	s->first_ms = 4000;
	evframe_event(&s->bytes, "sessionStart", "{}");
	update(s, 0, ts, msg, 1);
	update(s, 0, NULL, NULL, 0);
	tenv_run(&t, 3);
	assert_int_equal(t.status, ENGINE_OK);
	assert_out(&t, want, 3);
	assert_int_equal(t.fl.filter_requests, 2); /* history + backfill */
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
	const int64_t ts1[] = {T0 + 902}, ts2[] = {T0 + 904};
	const int64_t ing[] = {T0 + 1000};
	const char *m1[] = {"b2"}, *m2[] = {"b4"};
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
	/* Two sampled updates: a sample of the burst each. */
	update_of(s, "/a", 1, ts1, ing, m1, 1);
	update_of(s, "/a", 1, ts2, ing, m2, 1);
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

/* Groups /g1../gn beside /a, each with its ARN. */
static void
tenv_more(struct tenv *t, size_t n)
{
	char g[32];
	size_t i;

	for (i = 0; i < n; i++) {
		snprintf(g, sizeof g, "/g%zu", i + 1);
		fakelogs_add_group(&t->fl, g);
		t->more[i].group = xstrdup(g);
		t->more[i].arn = xprintf(ARN "%s", g);
	}
	t->nmore = n;
}

/*
 * The watermark rule: once the ingestion delay is learned (800 ms, from 16
 * events), an update received at U releases every event stamped up to
 * U - 50 ms - 850 ms (800 + 1/16): here each event with the update that
 * brings it, none a second later (the rule before this one kept a further
 * second).
 */
static void
test_release_after_update(void **state)
{
	struct tenv t;
	struct script *s;
	int64_t ts[4], ing[4];
	const char *msg[4];
	char names[24][32];
	const char *want[24];
	size_t k, j, n = 0;

	(void)state;
	tenv_init(&t, ENGINE_FOLLOW_AUTO);
	fakelogs_add_group(&t.fl, "/a");
	tenv_more(&t, 1); /* two groups: the merge waits for watermarks */
	s = script(200);
	s->keep_open = 1;
	evframe_event(&s->bytes, "sessionStart", "{}");
	/* Update k comes at about T0 + 150 + 1000 k ms (history, then the
	 * first message 100 ms after the call). */
	for (k = 1; k <= 6; k++) {
		for (j = 0; j < 4; j++) {
			/* Oldest first, each ingested 800 ms after its stamp,
			 * the last 100 ms before the update. */
			ing[j] = T0 + 1000 * (int64_t)k - 100 -
				 200 * (3 - (int64_t)j);
			ts[j] = ing[j] - 800;
			snprintf(names[n], sizeof names[n], "e%zu.%zu", k, j);
			msg[j] = names[n];
			want[n] = names[n];
			n++;
		}
		update_of(s, "/a", 0, ts, ing, msg, 4);
	}
	tenv_run(&t, n);
	assert_int_equal(t.status, ENGINE_OK);
	assert_out(&t, want, n);
	/* s->at[k]: update k was whole. From update 4 on (16 events seen)
	 * each event goes out with its own update. */
	assert_true(s->nat >= 7);
	for (k = 4; k <= 6; k++)
		for (j = 0; j < 4; j++)
			assert_int_equal(t.out_at[(k - 1) * 4 + j], s->at[k]);
	tenv_free(&t);
}

/* Ingestion jitter reorders events across updates: the one stamped first
 * but ingested late (800 ms) comes in the later update, and still goes out
 * first; with one group too. */
static void
test_jitter_order(void **state)
{
	struct tenv t;
	struct script *s;
	const int64_t ts1[] = {T0 + 800}, ing1[] = {T0 + 900};
	const int64_t ts2[] = {T0 + 700}, ing2[] = {T0 + 1500};
	const char *m1[] = {"quick"}, *m2[] = {"slow"};
	const char *want[] = {"slow", "quick"};

	(void)state;
	tenv_init(&t, ENGINE_FOLLOW_AUTO);
	fakelogs_add_group(&t.fl, "/a");
	s = script(200);
	s->keep_open = 1;
	evframe_event(&s->bytes, "sessionStart", "{}");
	update_of(s, "/a", 0, ts1, ing1, m1, 1); /* at about T0 + 1150 */
	update_of(s, "/a", 0, ts2, ing2, m2, 1); /* at about T0 + 2150 */
	update_of(s, "/a", 0, NULL, NULL, NULL, 0);
	tenv_run(&t, 2);
	assert_int_equal(t.status, ENGINE_OK);
	assert_out(&t, want, 2);
	assert_int_equal(t.out_at[0], s->at[2]);
	tenv_free(&t);
}

/*
 * Two sessions (11 groups) whose updates come half a second apart: an
 * event goes out when the update of the later session covers it too, in
 * time order across the sessions, and no later (the delay learned so far
 * is the 1 s prior: covered at U - 50 - 1062 ms). The events were
 * ingested 700 and 800 ms after their stamps.
 */
static void
test_sessions_spread(void **state)
{
	struct tenv t;
	struct script *s1, *s2;
	const int64_t tsa[] = {T0 + 950}, inga[] = {T0 + 1650};
	const int64_t tsb[] = {T0 + 900}, ingb[] = {T0 + 1700};
	const char *ma[] = {"a"}, *mb[] = {"b"};
	const char *want[] = {"b", "a"};
	int k;

	(void)state;
	tenv_init(&t, ENGINE_FOLLOW_AUTO);
	fakelogs_add_group(&t.fl, "/a");
	tenv_more(&t, 10);
	/* Session 1: /a, /g1../g9, updates at T0 + 1100, 2100...;
	 * session 2: /g10, at T0 + 1600, 2600... (each whole a second
	 * after its first half) */
	s1 = script(200);
	s1->keep_open = 1;
	evframe_event(&s1->bytes, "sessionStart", "{}");
	s2 = script(200);
	s2->keep_open = 1;
	s2->first_ms = 600;
	evframe_event(&s2->bytes, "sessionStart", "{}");
	update_of(s1, "/a", 0, NULL, NULL, NULL, 0);
	update_of(s1, "/a", 0, tsa, inga, ma, 1);
	update_of(s2, "/g10", 0, NULL, NULL, NULL, 0);
	update_of(s2, "/g10", 0, tsb, ingb, mb, 1);
	for (k = 0; k < 3; k++) {
		update_of(s1, "/a", 0, NULL, NULL, NULL, 0);
		update_of(s2, "/g10", 0, NULL, NULL, NULL, 0);
	}
	tenv_run(&t, 2);
	assert_int_equal(t.status, ENGINE_OK);
	assert_out(&t, want, 2);
	assert_int_equal(t.st.live_sessions, 2);
	/* Session 1 covers T0 + 950 from its update at T0 + 2100, session
	 * 2 covers T0 + 900 from its update at T0 + 2600: both go then. */
	assert_true(s1->at[2] < s2->at[2]);
	assert_int_equal(t.out_at[0], s2->at[2]);
	assert_int_equal(t.out_at[1], s2->at[2]);
	tenv_free(&t);
}

/* How many times needle is in haystack. */
static int
count_of(const char *haystack, const char *needle)
{
	int n = 0;

	while ((haystack = strstr(haystack, needle)) != NULL) {
		n++;
		haystack++;
	}
	return (n);
}

/*
 * Sampled while the FilterLogEvents quota is busy (1 request/s, ten
 * backfills queued by a session of ten groups that opens late): the
 * lines that cannot be read again are said skipped once for the three
 * sampled updates in a row, and again after an update that is not
 * sampled; "sampled" is said once a session, so again after the
 * reconnection (the audit found it once a run, and the skip said at
 * every update).
 */
static void
test_sampled_skipped(void **state)
{
	struct tenv t;
	struct script *s1, *s2, *s3;
	const int64_t ts[] = {T0 + 17000};
	const char *msg[] = {"x"};
	int k;

	(void)state;
	tenv_init(&t, ENGINE_FOLLOW_AUTO);
	t.eo.max_rps = 1;
	fakelogs_add_group(&t.fl, "/a");
	tenv_more(&t, 10);
	/* Session 1: /a, /g1../g9, opens at T0 + 15 s and backfills its ten
	 * groups from the history's end. */
	s1 = script(200);
	s1->keep_open = 1;
	s1->first_ms = 15000;
	evframe_event(&s1->bytes, "sessionStart", "{}");
	for (k = 0; k < 5; k++)
		update_of(s1, "/a", 0, NULL, NULL, NULL, 0);
	/* Session 2: /g10, open from the start, sampled three times in a
	 * row at about T0 + 17, 18, 19 s, then not, then once more; then it
	 * breaks, and session 3 is sampled at once. */
	s2 = script(200);
	s2->first_ms = 600;
	s2->end_err = HTTP_ERR_RESET;
	evframe_event(&s2->bytes, "sessionStart", "{}");
	for (k = 0; k < 15; k++)
		update_of(s2, "/g10", 0, NULL, NULL, NULL, 0);
	for (k = 0; k < 3; k++)
		update_of(s2, "/g10", 1, ts, NULL, msg, 1);
	update_of(s2, "/g10", 0, NULL, NULL, NULL, 0);
	update_of(s2, "/g10", 1, ts, NULL, msg, 1);
	s3 = script(200);
	s3->keep_open = 1;
	evframe_event(&s3->bytes, "sessionStart", "{}");
	update_of(s3, "/g10", 1, ts, NULL, msg, 1);
	update_of(s3, "/g10", 0, NULL, NULL, NULL, 0);
	tenv_run(&t, 32);
	if (getenv("TEST_DEBUG"))
		fprintf(stderr, "notices: %s\n", t.notices);
	assert_int_equal(L.requests, 3);
	assert_int_equal(
	    count_of(t.notices, "Live Tail sampled the events"), 2);
	assert_int_equal(count_of(t.notices, "were skipped"), 2);
	tenv_free(&t);
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_release_after_update),
    cmocka_unit_test(test_jitter_order),
    cmocka_unit_test(test_sessions_spread),
    cmocka_unit_test(test_open_history_dedup),
    cmocka_unit_test(test_open_late_backfill),
    cmocka_unit_test(test_identical_events),
    cmocka_unit_test(test_reconnect),
    cmocka_unit_test(test_sampled),
    cmocka_unit_test(test_sampled_skipped),
    cmocka_unit_test(test_refused_auto),
    cmocka_unit_test(test_refused_live),
    cmocka_unit_test(test_poll_mode),
};

TEST_MAIN(tests)

/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The reading engine against an in-memory CloudWatch Logs in virtual time:
 * merge order, back-pressure, the rate limiter, faults, follow mode.
 */

#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "testmain.h"

#include "aws/aws.h"
#include "aws/loop.h"
#include "core/buf.h"
#include "core/xmalloc.h"
#include "fakelogs.h"
#include "logs/engine.h"
#include "logs/logs.h"
#include "logs/source.h"

#define T0 INT64_C(1700000000000)

struct got {
	char *group;
	char *msg;
	int64_t ts;
	int64_t ingest;
	int64_t at; /* monotonic time it was emitted */
	int late;
};

struct tenv {
	struct fakeclock clk;
	struct loop *loop;
	struct fakelogs fl;
	struct aws_ctx ctx;
	struct aws_client *c;
	struct source src[8];
	size_t nsrc;
	struct engine_opts eo;
	struct got *out;
	size_t nout;
	char notices[4096];
	size_t max_backlog;
	enum engine_status status;
	char *cause;
	struct engine_stats st;
	int64_t unflushed_since; /* first event emitted since the last idle */
	int64_t max_unflushed_ms;
};

static void
tenv_init(struct tenv *t)
{
	char *cause = NULL;

	memset(t, 0, sizeof *t);
	fakeclock_init(&t->clk, T0);
	t->loop = loop_new(&t->clk.clock, NULL);
	fakelogs_init(&t->fl, t->loop);
	t->fl.latency_ms = 50;
	fakelogs_ctx(&t->fl, &t->ctx, t->loop);
	assert_int_equal(aws_client_new(&t->c, &t->ctx, AWS_LOGS, "us-east-1",
			     "http://fake.invalid", &cause),
	    0);
	t->eo.start = T0 - 3600000;
	t->eo.end = LOGS_TIME_UNSET;
	t->eo.max_rps = 1000;
	t->eo.interval_ms = 1000;
	t->eo.hold_back_ms = 2000;
	t->eo.overlap_ms = 5000;
	t->unflushed_since = -1;
}

static void
tenv_free(struct tenv *t)
{
	size_t i;

	for (i = 0; i < t->nout; i++) {
		free(t->out[i].group);
		free(t->out[i].msg);
	}
	free(t->out);
	for (i = 0; i < t->nsrc; i++)
		source_free_contents(&t->src[i]);
	free(t->cause);
	aws_client_free(t->c);
	fakelogs_free(&t->fl);
	loop_free(t->loop);
}

static void
tenv_source(struct tenv *t, const char *group, int optional)
{
	struct source *s = &t->src[t->nsrc++];

	memset(s, 0, sizeof *s);
	s->group = xstrdup(group);
	s->optional = optional;
}

static int
t_emit(void *arg, const struct event *ev, const struct source *s)
{
	struct tenv *t = arg;
	struct got *g;
	size_t backlog;

	t->out = xreallocarray(t->out, t->nout + 1, sizeof *t->out);
	g = &t->out[t->nout++];
	g->group = xstrdup(s->group);
	g->msg = xstrndup(ev->msg, ev->msg_len);
	g->ts = ev->ts;
	g->ingest = ev->ingest;
	g->late = (ev->flags & EVENT_LATE) != 0;
	g->at = loop_mono(t->loop);
	backlog = t->fl.served - t->nout;
	if (backlog > t->max_backlog)
		t->max_backlog = backlog;
	if (t->unflushed_since < 0)
		t->unflushed_since = loop_mono(t->loop);
	return (0);
}

/* The caller flushes its output here: note how long events waited. */
static void
t_idle(void *arg)
{
	struct tenv *t = arg;
	int64_t waited;

	if (t->unflushed_since < 0)
		return;
	waited = loop_mono(t->loop) - t->unflushed_since;
	if (waited > t->max_unflushed_ms)
		t->max_unflushed_ms = waited;
	t->unflushed_since = -1;
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
tenv_run(struct tenv *t)
{
	struct engine *e;
	size_t i;

	e = engine_new(t->loop, t->c, &t->eo);
	for (i = 0; i < t->nsrc; i++)
		engine_add_source(e, &t->src[i]);
	engine_set_callbacks(e, t_emit, t_notice, t_idle, t);
	t->status = engine_run(e, &t->cause);
	t->st = *engine_stats(e);
	engine_free(e);
}

/* Output is sorted by (ts, ingest) and holds each message once. */
static void
assert_ordered_once(struct tenv *t, size_t expect)
{
	size_t i, j;

	assert_int_equal(t->nout, expect);
	for (i = 1; i < t->nout; i++) {
		assert_true(t->out[i - 1].ts < t->out[i].ts ||
			    (t->out[i - 1].ts == t->out[i].ts &&
				t->out[i - 1].ingest <= t->out[i].ingest));
	}
	for (i = 0; i < t->nout; i++) {
		for (j = i + 1; j < t->nout && j < i + 50; j++)
			assert_string_not_equal(t->out[i].msg, t->out[j].msg);
	}
}

static void
seed_groups(struct tenv *t, int ngroups, int n)
{
	char g[32], m[64];
	int i, k;

	for (k = 0; k < ngroups; k++) {
		snprintf(g, sizeof g, "/g/%d", k);
		tenv_source(t, g, 0);
		for (i = 0; i < n; i++) {
			snprintf(m, sizeof m, "%s #%d", g, i);
			/* Interleaved, with equal timestamps across groups. */
			fakelogs_add(&t->fl, g, i % 2 ? "s1" : "s2",
			    T0 - 600000 + i * 10 + (i % 3 ? k : 0), -1, m);
		}
	}
}

static void
test_history_merge(void **state)
{
	struct tenv t;

	(void)state;
	tenv_init(&t);
	t.fl.page_size = 7;
	seed_groups(&t, 3, 300);
	tenv_run(&t);
	assert_int_equal(t.status, ENGINE_OK);
	assert_ordered_once(&t, 900);
	/* Equal keys keep source order: group 0 before group 1. */
	assert_string_equal(t.out[0].msg, "/g/0 #0");
	assert_string_equal(t.out[1].msg, "/g/1 #0");
	assert_string_equal(t.out[2].msg, "/g/2 #0");
	tenv_free(&t);
}

static void
test_history_backpressure(void **state)
{
	struct tenv t;

	(void)state;
	tenv_init(&t);
	t.fl.page_size = 10;
	t.eo.max_pages = 2;
	seed_groups(&t, 2, 2000);
	tenv_run(&t);
	assert_int_equal(t.status, ENGINE_OK);
	assert_ordered_once(&t, 4000);
	/* At most (max_pages + 1 in flight) pages per feed held. */
	assert_true(t.max_backlog <= 2 * 3 * 10);
	tenv_free(&t);
}

static void
test_rate_limit(void **state)
{
	struct tenv t;
	int64_t span;
	int i;

	(void)state;
	tenv_init(&t);
	t.fl.page_size = 10;
	t.fl.latency_ms = 1;
	t.eo.max_rps = 5;
	seed_groups(&t, 4, 100); /* 4 x 10 pages + 4 last = 44 */
	tenv_run(&t);
	assert_int_equal(t.status, ENGINE_OK);
	assert_ordered_once(&t, 400);
	/* Burst of 5, then 5 per second: never faster, not much slower. */
	for (i = 10; i < t.fl.requests; i++)
		assert_true(t.fl.req_times[i] - t.fl.req_times[i - 5] >= 999);
	span = t.fl.req_times[t.fl.requests - 1] - t.fl.req_times[0];
	assert_true(span <= (t.fl.requests - 5) * 200 + 300);
	tenv_free(&t);
}

static void
test_throttling_adapts(void **state)
{
	struct tenv t;

	(void)state;
	tenv_init(&t);
	t.fl.page_size = 10;
	t.fl.every = 3;
	t.fl.every_fault = FAULT_THROTTLE;
	t.eo.max_rps = 5;
	seed_groups(&t, 3, 200);
	tenv_run(&t);
	assert_int_equal(t.status, ENGINE_OK);
	assert_ordered_once(&t, 600);
	tenv_free(&t);
}

static void
test_transient_faults(void **state)
{
	struct tenv t;

	(void)state;
	tenv_init(&t);
	t.fl.page_size = 10;
	fakelogs_fault(&t.fl, 1, FAULT_500);
	fakelogs_fault(&t.fl, 4, FAULT_503);
	fakelogs_fault(&t.fl, 6, FAULT_RESET);
	fakelogs_fault(&t.fl, 9, FAULT_BADJSON);
	fakelogs_fault(&t.fl, 12, FAULT_EMPTY_PAGE);
	fakelogs_fault(&t.fl, 13, FAULT_EMPTY_PAGE);
	seed_groups(&t, 2, 100);
	tenv_run(&t);
	assert_int_equal(t.status, ENGINE_OK);
	assert_ordered_once(&t, 200);
	tenv_free(&t);
}

static void
test_retries_exhausted(void **state)
{
	struct tenv t;

	(void)state;
	tenv_init(&t);
	t.fl.every = 1;
	t.fl.every_fault = FAULT_500;
	seed_groups(&t, 1, 10);
	tenv_run(&t);
	assert_int_equal(t.status, ENGINE_ERR_AWS);
	assert_non_null(strstr(t.cause, "FilterLogEvents on '/g/0'"));
	assert_int_equal(t.nout, 0);
	assert_int_equal(t.fl.requests, 3); /* max_attempts */
	tenv_free(&t);
}

static void
test_repeated_token(void **state)
{
	struct tenv t;

	(void)state;
	tenv_init(&t);
	t.fl.page_size = 10;
	fakelogs_fault(&t.fl, 1, FAULT_REPEAT_TOKEN);
	fakelogs_fault(&t.fl, 2, FAULT_REPEAT_TOKEN);
	seed_groups(&t, 1, 50);
	tenv_run(&t);
	/* Answered with the token it was sent, twice in a row: the read
	 * would never end, an error (issue 13), after three requests. */
	assert_int_equal(t.status, ENGINE_ERR_AWS);
	assert_non_null(strstr(t.cause, "returned the token it was sent, "
					"twice in a row"));
	assert_int_equal(t.fl.requests, 3);
	tenv_free(&t);
}

/* One repeated token: the page comes twice, is printed once, the read
 * goes on to the end. */
static void
test_repeated_token_once(void **state)
{
	struct tenv t;

	(void)state;
	tenv_init(&t);
	t.fl.page_size = 10;
	fakelogs_fault(&t.fl, 2, FAULT_REPEAT_TOKEN);
	seed_groups(&t, 2, 50);
	tenv_run(&t);
	assert_int_equal(t.status, ENGINE_OK);
	assert_null(strstr(t.notices, "same nextToken twice"));
	assert_ordered_once(&t, 100);
	tenv_free(&t);
}

/* A repeated token, then an empty page whose token leads back to the same
 * place: the page served a third time is still printed once. */
static void
test_repeated_token_then_alias(void **state)
{
	struct tenv t;

	(void)state;
	tenv_init(&t);
	t.fl.page_size = 10;
	fakelogs_fault(&t.fl, 1, FAULT_REPEAT_TOKEN);
	fakelogs_fault(&t.fl, 2, FAULT_EMPTY_ALIAS);
	seed_groups(&t, 1, 50);
	tenv_run(&t);
	assert_int_equal(t.status, ENGINE_OK);
	assert_ordered_once(&t, 50);
	tenv_free(&t);
}

/* Tokens A, B, A: the third page comes with a token the read saw before.
 * One error; the pages before it are printed once, that one is not. */
static void
test_token_cycle(void **state)
{
	struct tenv t;

	(void)state;
	tenv_init(&t);
	t.fl.page_size = 10;
	fakelogs_fault(&t.fl, 2, FAULT_TOKEN_BACK);
	seed_groups(&t, 1, 50);
	tenv_run(&t);
	assert_int_equal(t.status, ENGINE_ERR_AWS);
	assert_non_null(strstr(t.cause, "FilterLogEvents on '/g/0' returned "
					"a page token it had returned before "
					"(after 3 pages)"));
	assert_non_null(strstr(t.cause, "would never end"));
	assert_int_equal(t.fl.requests, 3);
	assert_ordered_once(&t, 20);
	tenv_free(&t);
}

/* A server that ignores nextToken and answers the first page again under
 * a fresh token: the repeated page is the cycle. */
static void
test_page_cycle(void **state)
{
	struct tenv t;

	(void)state;
	tenv_init(&t);
	t.fl.page_size = 10;
	t.fl.every = 1;
	t.fl.every_fault = FAULT_IGNORE_TOKEN;
	seed_groups(&t, 1, 50);
	tenv_run(&t);
	assert_int_equal(t.status, ENGINE_ERR_AWS);
	assert_non_null(strstr(t.cause, "returned a page it had returned "
					"before under another token (after 2 "
					"pages)"));
	assert_int_equal(t.fl.requests, 2);
	assert_ordered_once(&t, 10);
	tenv_free(&t);
}

/* The first page again after an empty page (no repeated token before it):
 * tolerated, and printed once. */
static void
test_page_again_after_empty(void **state)
{
	struct tenv t;

	(void)state;
	tenv_init(&t);
	t.fl.page_size = 10;
	fakelogs_fault(&t.fl, 1, FAULT_EMPTY_PAGE);
	fakelogs_fault(&t.fl, 2, FAULT_IGNORE_TOKEN);
	seed_groups(&t, 1, 50);
	tenv_run(&t);
	assert_int_equal(t.status, ENGINE_OK);
	assert_ordered_once(&t, 50);
	tenv_free(&t);
}

/* In follow mode, a cycle within one poll is the same error. */
static void
test_follow_token_cycle(void **state)
{
	struct tenv t;
	char m[32];
	int i;

	(void)state;
	tenv_init(&t);
	t.fl.page_size = 3;
	/* From the third page of a read on, the token of the page before. */
	t.fl.every = 1;
	t.fl.every_fault = FAULT_TOKEN_BACK;
	t.eo.follow = 1;
	t.eo.end = T0 + 10000;
	tenv_source(&t, "/a", 0);
	fakelogs_add(&t.fl, "/a", "s", T0 - 2000, -1, "history");
	for (i = 0; i < 12; i++) {
		snprintf(m, sizeof m, "live %d", i);
		fakelogs_add(&t.fl, "/a", "s", T0 + 100 + i * 50, -1, m);
	}
	tenv_run(&t);
	assert_int_equal(t.status, ENGINE_ERR_AWS);
	assert_non_null(strstr(t.cause, "returned a page token it had "
					"returned before (after 3 pages)"));
	/* The history came out first; the run ended at the cycle. */
	assert_true(t.nout >= 1 && t.nout < 13);
	assert_string_equal(t.out[0].msg, "history");
	tenv_free(&t);
}

static void
test_missing_groups(void **state)
{
	struct tenv t;

	(void)state;
	tenv_init(&t);
	seed_groups(&t, 1, 5);
	tenv_source(&t, "/aws/lambda/never-invoked", 1);
	tenv_run(&t);
	assert_int_equal(t.status, ENGINE_OK);
	assert_int_equal(t.nout, 5);
	assert_non_null(strstr(t.notices, "never-invoked' does not exist"));
	tenv_free(&t);

	tenv_init(&t);
	seed_groups(&t, 1, 5);
	tenv_source(&t, "/required", 0);
	tenv_run(&t);
	assert_int_equal(t.status, ENGINE_ERR_NOTFOUND);
	assert_string_equal(t.cause, "log group '/required' does not exist");
	assert_int_equal(t.nout, 0);
	tenv_free(&t);
}

static void
add_later(void *arg)
{
	struct tenv *t = arg;

	fakelogs_add(&t->fl, "/late", "s", T0 + 6000, T0 + 6100, "late group");
}

static void
test_follow(void **state)
{
	struct tenv t;
	size_t i, nlate = 0;

	(void)state;
	tenv_init(&t);
	t.fl.page_size = 3;
	t.eo.follow = 1;
	t.eo.end = T0 + 12000;
	t.eo.hold_back_ms = 1500;
	tenv_source(&t, "/a", 0);
	tenv_source(&t, "/b", 0);
	tenv_source(&t, "/late", 0);
	/* History. */
	fakelogs_add(&t.fl, "/a", "s", T0 - 5000, -1, "a hist 1");
	fakelogs_add(&t.fl, "/b", "s", T0 - 4000, -1, "b hist 1");
	fakelogs_add(&t.fl, "/a", "s", T0 - 100, -1, "a hist 2");
	/* Live, visible at their ingestion time. */
	for (i = 0; i < 10; i++) {
		char m[32];

		snprintf(m, sizeof m, "a live %zu", i);
		fakelogs_add(&t.fl, "/a", i % 2 ? "s" : "new-stream",
		    T0 + 1000 + (int64_t)i * 500, T0 + 1000 + (int64_t)i * 500,
		    m);
		snprintf(m, sizeof m, "b live %zu", i);
		/* b's events arrive 800 ms after their timestamp. */
		fakelogs_add(&t.fl, "/b", "s", T0 + 1100 + (int64_t)i * 500,
		    T0 + 1900 + (int64_t)i * 500, m);
	}
	/* Ingested 3 s late: older than events already printed. */
	fakelogs_add(&t.fl, "/a", "s", T0 + 2000, T0 + 5000, "a late");
	loop_timer_at(t.loop, T0 + 4000, add_later, &t);
	tenv_run(&t);
	assert_int_equal(t.status, ENGINE_OK);
	assert_int_equal(t.nout, 3 + 20 + 1 + 1);
	for (i = 0; i < t.nout; i++) {
		size_t j;

		for (j = i + 1; j < t.nout; j++)
			assert_string_not_equal(t.out[i].msg, t.out[j].msg);
		if (t.out[i].late) {
			nlate++;
			assert_string_equal(t.out[i].msg, "a late");
			continue;
		}
	}
	assert_int_equal(nlate, 1);
	/* Apart from the late one, time order across groups holds. */
	{
		int64_t prev = INT64_MIN;

		for (i = 0; i < t.nout; i++) {
			if (t.out[i].late)
				continue;
			assert_true(t.out[i].ts >= prev);
			prev = t.out[i].ts;
		}
	}
	assert_non_null(strstr(t.notices, "'/late' does not exist"));
	tenv_free(&t);
}

/*
 * One followed group whose events are ingested with jitter (300 to
 * 800 ms after their timestamps), so an event can become visible after a
 * poll that returned a newer one: once the ingestion delay is learned,
 * the lines still come out in time order, none of them late.
 */
static void
test_follow_one_group_in_order(void **state)
{
	struct tenv t;
	size_t i;
	int64_t prev = INT64_MIN;

	(void)state;
	tenv_init(&t);
	t.eo.follow = 1;
	t.eo.end = T0 + 30000;
	t.eo.hold_back_ms = -1; /* auto, the default */
	t.eo.interval_ms = 500;
	tenv_source(&t, "/one", 0);
	fakelogs_add(&t.fl, "/one", "s", T0 - 5000, T0 - 4200, "hist");
	for (i = 0; i < 80; i++) {
		char m[32];
		int64_t ts = T0 + 1000 + (int64_t)i * 300;

		snprintf(m, sizeof m, "ev %zu", i);
		fakelogs_add(&t.fl, "/one", "s", ts,
		    ts + 300 + (int64_t)((i * 7) % 6) * 100, m);
	}
	tenv_run(&t);
	assert_int_equal(t.status, ENGINE_OK);
	assert_int_equal(t.nout, 81);
	for (i = 0; i < t.nout; i++) {
		assert_false(t.out[i].late);
		assert_true(t.out[i].ts >= prev);
		prev = t.out[i].ts;
	}
	tenv_free(&t);
}

static void
test_follow_faults(void **state)
{
	struct tenv t;
	size_t i;

	(void)state;
	tenv_init(&t);
	t.eo.follow = 1;
	t.eo.end = T0 + 20000;
	tenv_source(&t, "/a", 0);
	for (i = 0; i < 20; i++) {
		char m[32];

		snprintf(m, sizeof m, "ev %zu", i);
		fakelogs_add(&t.fl, "/a", "s", T0 + (int64_t)i * 900,
		    T0 + (int64_t)i * 900, m);
	}
	/* An expired token mid-follow, throttling, a server error burst. */
	fakelogs_fault(&t.fl, 3, FAULT_EXPIRED);
	fakelogs_fault(&t.fl, 5, FAULT_THROTTLE);
	fakelogs_fault(&t.fl, 6, FAULT_THROTTLE);
	fakelogs_fault(&t.fl, 8, FAULT_500);
	fakelogs_fault(&t.fl, 9, FAULT_500);
	fakelogs_fault(&t.fl, 10, FAULT_500);
	fakelogs_fault(&t.fl, 12, FAULT_BADJSON);
	tenv_run(&t);
	assert_int_equal(t.status, ENGINE_OK);
	assert_ordered_once(&t, 20);
	assert_non_null(strstr(t.notices, "ExpiredTokenException"));
	tenv_free(&t);
}

/* One busy group: 6000 events over the hour, 300 in the same ms. */
static void
seed_busy(struct tenv *t)
{
	char m[64];
	int i;

	tenv_source(t, "/busy", 0);
	for (i = 0; i < 6000; i++) {
		int64_t ts = T0 - 3600000 + (int64_t)i * 590;

		if (i >= 3000 && i < 3300)
			ts = T0 - 1800000; /* a burst in one millisecond */
		snprintf(m, sizeof m, "busy #%d", i);
		fakelogs_add(
		    &t->fl, "/busy", i % 3 ? "a" : "b", ts, ts + (i % 7), m);
	}
}

static char *
tenv_transcript(struct tenv *t)
{
	struct buf b;
	size_t i;

	buf_init(&b, 0);
	for (i = 0; i < t->nout; i++)
		buf_putf(&b, "%lld %lld %s %s\n", (long long)t->out[i].ts,
		    (long long)t->out[i].ingest, t->out[i].group,
		    t->out[i].msg);
	return (buf_take(&b, NULL));
}

static void
test_slices_identical(void **state)
{
	struct tenv t;
	char *seq, *sliced;
	int64_t seq_time, sliced_time;

	(void)state;
	tenv_init(&t);
	t.fl.page_size = 50;
	t.fl.latency_ms = 400;
	t.eo.max_rps = 5;
	t.eo.end = T0;
	seed_busy(&t);
	tenv_run(&t);
	assert_int_equal(t.status, ENGINE_OK);
	assert_int_equal(t.nout, 6000);
	assert_int_equal(t.st.slices, 0);
	seq = tenv_transcript(&t);
	seq_time = t.clk.now - T0;
	tenv_free(&t);

	tenv_init(&t);
	t.fl.page_size = 50;
	t.fl.latency_ms = 400;
	t.eo.max_rps = 5;
	t.eo.end = T0;
	t.eo.max_slices = 8;
	seed_busy(&t);
	tenv_run(&t);
	assert_int_equal(t.status, ENGINE_OK);
	assert_int_equal(t.st.slices, 7);
	sliced = tenv_transcript(&t);
	sliced_time = t.clk.now - T0;
	/* Byte-identical output... */
	assert_string_equal(sliced, seq);
	/* ...faster: sequential is latency-bound, slices are quota-bound. */
	assert_true(sliced_time * 10 < seq_time * 6);
	/* ...and memory stays bounded: later slices read ahead to disk. */
	assert_true(t.st.peak_mem_pages <= 8 * 2 + 1);
	assert_true(t.st.spilled > 20);
	print_message("sequential %lld ms, sliced %lld ms, %zu pages spilled, "
		      "%zu in memory at most\n",
	    (long long)seq_time, (long long)sliced_time, t.st.spilled,
	    t.st.peak_mem_pages);
	free(seq);
	free(sliced);
	tenv_free(&t);
}

/* The busy read, sequential (max_slices 0) or in 8 slices: its transcript
 * (caller frees). */
static char *
busy_read(struct tenv *t, size_t max_slices)
{
	tenv_init(t);
	t->fl.page_size = 50;
	t->fl.latency_ms = 400;
	t->eo.max_rps = 5;
	t->eo.end = T0;
	t->eo.max_slices = max_slices;
	seed_busy(t);
	tenv_run(t);
	assert_int_equal(t->status, ENGINE_OK);
	return (tenv_transcript(t));
}

static size_t
count_str(const char *s, const char *needle)
{
	size_t n = 0;

	while ((s = strstr(s, needle)) != NULL) {
		n++;
		s += strlen(needle);
	}
	return (n);
}

/*
 * No usable TMPDIR: the read-ahead stays in memory, a few pages per slice
 * (back-pressure), with one notice; the output is the sequential one.
 */
static void
test_spill_no_tmpdir(void **state)
{
	struct tenv t;
	char *seq, *sliced, *old;

	(void)state;
	seq = busy_read(&t, 0);
	tenv_free(&t);
	old = getenv("TMPDIR") ? strdup(getenv("TMPDIR")) : NULL;
	setenv("TMPDIR", "/nonexistent/apilogs-test", 1);
	sliced = busy_read(&t, 8);
	if (old != NULL)
		setenv("TMPDIR", old, 1);
	else
		unsetenv("TMPDIR");
	free(old);
	assert_int_equal(t.st.slices, 7);
	assert_string_equal(sliced, seq);
	assert_int_equal(t.st.spilled, 0);
	assert_int_equal(count_str(t.notices, "cannot read ahead to disk in "
					      "/nonexistent/apilogs-test"),
	    1);
	assert_non_null(strstr(t.notices, "reading ahead in memory only"));
	/* Memory stays bounded: max_pages per slice. */
	assert_true(t.st.peak_mem_pages <= 8 * 2 + 1);
	free(seq);
	free(sliced);
	tenv_free(&t);
}

/*
 * The disk fills up in the middle of the read (a file size limit makes
 * writes fail once a spill file holds a few pages): the pages already on
 * disk are read back first, then the feed goes on in memory. Same output,
 * one notice.
 */
static void
test_spill_full_mid_read(void **state)
{
	struct tenv t;
	struct rlimit old, lim;
	char *seq, *sliced;
	void (*oldsig)(int);

	(void)state;
	seq = busy_read(&t, 0);
	tenv_free(&t);
	assert_int_equal(getrlimit(RLIMIT_FSIZE, &old), 0);
	lim = old;
	lim.rlim_cur = 16384; /* about four pages per spill file */
	oldsig = signal(SIGXFSZ, SIG_IGN);
	/* Nothing else writes a file until the limit is lifted again. */
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &lim), 0);
	sliced = busy_read(&t, 8);
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &old), 0);
	signal(SIGXFSZ, oldsig);
	assert_int_equal(t.st.slices, 7);
	assert_string_equal(sliced, seq);
	assert_true(t.st.spilled > 0);
	assert_int_equal(count_str(t.notices, "cannot read ahead to disk"), 1);
	assert_true(t.st.peak_mem_pages <= 8 * 2 * 2 + 1);
	free(seq);
	free(sliced);
	tenv_free(&t);
}

static void
test_slices_small_read(void **state)
{
	struct tenv t;

	(void)state;
	/* One page only: no slices, one request. */
	tenv_init(&t);
	t.eo.max_slices = 8;
	t.eo.end = T0;
	seed_groups(&t, 1, 20);
	tenv_run(&t);
	assert_int_equal(t.st.slices, 0);
	assert_int_equal(t.fl.requests, 1);
	assert_int_equal(t.nout, 20);
	tenv_free(&t);
}

/*
 * Followed events reach the idle callback (where apilogs flushes its
 * output) before time moves on: on a terminal nothing else flushes, so
 * they would sit in the buffer until it filled.
 */
static void
test_follow_flushes(void **state)
{
	struct tenv t;
	size_t i;

	(void)state;
	tenv_init(&t);
	t.eo.follow = 1;
	t.eo.end = T0 + 10000;
	tenv_source(&t, "/a", 0);
	fakelogs_add(&t.fl, "/a", "s", T0 - 2000, -1, "history");
	for (i = 0; i < 8; i++) {
		char m[32];

		snprintf(m, sizeof m, "live %zu", i);
		fakelogs_add(&t.fl, "/a", "s", T0 + 700 + (int64_t)i * 1100,
		    T0 + 700 + (int64_t)i * 1100, m);
	}
	tenv_run(&t);
	assert_int_equal(t.status, ENGINE_OK);
	assert_ordered_once(&t, 9);
	assert_int_equal(t.max_unflushed_ms, 0);
	tenv_free(&t);
}

struct wallstep {
	struct tenv *t;
	struct engine *e;
	int n;
};

/* Step the wall clock (not the monotonic one) by minutes, then stop. */
static void
wallstep_timer(void *arg)
{
	static const int64_t step[] = {-300000, 600000, -300000};
	struct wallstep *w = arg;

	if (w->n < 3) {
		w->t->clk.now += step[w->n++];
		loop_timer_in(w->t->loop, 7000, wallstep_timer, w);
	} else
		engine_stop(w->e);
}

/*
 * The wall clock steps back 5 minutes, forward 10, back 5 during a follow
 * run: polls keep their interval and held events their hold-back, because
 * deadlines are on the monotonic clock.
 */
static void
test_follow_wall_steps(void **state)
{
	struct tenv t;
	struct wallstep w;
	struct engine *e;
	int64_t gap, maxgap = 0;
	size_t i, nreq = 0;
	char m[32];

	(void)state;
	tenv_init(&t);
	t.eo.follow = 1;
	t.eo.hold_back_ms = 1500;
	tenv_source(&t, "/a", 0);
	tenv_source(&t, "/b", 0);
	/* The last ones visible a poll and a round trip before the end. */
	for (i = 0; i < 39; i++) {
		snprintf(m, sizeof m, "a %zu", i);
		fakelogs_add(
		    &t.fl, "/a", "s", T0 + 1000 + (int64_t)i * 700, -1, m);
		snprintf(m, sizeof m, "b %zu", i);
		fakelogs_add(&t.fl, "/b", "s", T0 + 1300 + (int64_t)i * 650,
		    T0 + 1500 + (int64_t)i * 650, m);
	}
	e = engine_new(t.loop, t.c, &t.eo);
	engine_add_source(e, &t.src[0]);
	engine_add_source(e, &t.src[1]);
	engine_set_callbacks(e, t_emit, t_notice, t_idle, &t);
	w.t = &t;
	w.e = e;
	w.n = 0;
	loop_timer_at(t.loop, T0 + 8000, wallstep_timer, &w);
	t.status = engine_run(e, &t.cause);
	engine_free(e);
	assert_int_equal(t.status, ENGINE_OK);
	assert_int_equal(w.n, 3);
	assert_int_equal(t.clk.now, t.clk.mono);
	assert_int_equal(t.nout, 78);
	/* Every event is out within a poll, a round trip and the hold-back
	 * of becoming visible (at its ingestion time, on the service's
	 * clock), wherever the wall clock was. */
	for (i = 0; i < t.nout; i++) {
		assert_true(t.out[i].at >= t.out[i].ingest);
		assert_true(t.out[i].at - t.out[i].ingest <= 1000 + 1500 + 300);
	}
	/* Two groups, one poll each a second, never a pause. */
	for (i = 1; i < (size_t)t.fl.requests; i++) {
		if (t.fl.req_times[i] < T0 + 2000)
			continue;
		nreq++;
		gap = t.fl.req_times[i] - t.fl.req_times[i - 1];
		if (gap > maxgap)
			maxgap = gap;
	}
	assert_true(maxgap <= 1000);
	assert_true(nreq >= 2 * 26 && nreq <= 2 * 30);
	tenv_free(&t);
}

struct typed {
	int calls;
	enum logs_err err;
	size_t n;
	int has_token;
	char msg[256];
};

static void
typed_done(void *arg, struct logs_filter_result *r)
{
	struct typed *k = arg;

	k->calls++;
	k->err = r->err;
	k->n = r->page != NULL ? r->page->n : 0;
	k->has_token = r->next_token != NULL;
	snprintf(k->msg, sizeof k->msg, "%s", r->message ? r->message : "");
}

/* One FilterLogEvents through the logs client; its typed outcome. */
static struct typed
typed_call(struct tenv *t, const char *group)
{
	struct logs_filter lf;
	struct typed k;
	struct logs_op *op;

	memset(&k, 0, sizeof k);
	memset(&lf, 0, sizeof lf);
	lf.group = group;
	lf.start = LOGS_TIME_UNSET;
	lf.end = LOGS_TIME_UNSET;
	op = logs_filter_async(t->c, &lf, typed_done, &k);
	assert_non_null(op);
	assert_int_equal(k.calls, 0); /* never before it returns */
	loop_run_until(t->loop, NULL);
	assert_int_equal(k.calls, 1);
	return (k);
}

/* The engine sees errors as kinds, never as AWS error codes. */
static void
test_logs_typed_errors(void **state)
{
	struct tenv t;
	struct typed k;
	struct logs_filter lf;
	struct logs_op *op;

	(void)state;
	tenv_init(&t);
	t.ctx.max_attempts = 1;
	fakelogs_add(&t.fl, "/a", "s", T0 - 1000, -1, "one");
	fakelogs_add(&t.fl, "/a", "s", T0 - 900, -1, "two");
	t.fl.page_size = 1;
	k = typed_call(&t, "/a");
	assert_int_equal(k.err, LOGS_OK);
	assert_int_equal(k.n, 1);
	assert_true(k.has_token);
	k = typed_call(&t, "/nope");
	assert_int_equal(k.err, LOGS_ERR_NOT_FOUND);
	assert_non_null(strstr(k.msg, "ResourceNotFoundException"));
	fakelogs_fault(&t.fl, (size_t)t.fl.requests, FAULT_THROTTLE);
	assert_int_equal(typed_call(&t, "/a").err, LOGS_ERR_THROTTLED);
	fakelogs_fault(&t.fl, (size_t)t.fl.requests, FAULT_EXPIRED);
	assert_int_equal(typed_call(&t, "/a").err, LOGS_ERR_ACCESS);
	fakelogs_fault(&t.fl, (size_t)t.fl.requests, FAULT_500);
	assert_int_equal(typed_call(&t, "/a").err, LOGS_ERR_TRANSPORT);
	fakelogs_fault(&t.fl, (size_t)t.fl.requests, FAULT_RESET);
	assert_int_equal(typed_call(&t, "/a").err, LOGS_ERR_TRANSPORT);
	fakelogs_fault(&t.fl, (size_t)t.fl.requests, FAULT_BADJSON);
	assert_int_equal(typed_call(&t, "/a").err, LOGS_ERR_BAD_PAGE);
	/* Cancelled: the callback never runs. */
	memset(&k, 0, sizeof k);
	memset(&lf, 0, sizeof lf);
	lf.group = "/a";
	lf.start = lf.end = LOGS_TIME_UNSET;
	op = logs_filter_async(t.c, &lf, typed_done, &k);
	logs_op_cancel(op);
	loop_run_until(t.loop, NULL);
	assert_int_equal(k.calls, 0);
	tenv_free(&t);
}

static void
stop_engine(void *arg)
{
	engine_stop(arg);
}

static void
t_tick(void *arg, const struct engine_stats *st)
{
	(void)arg;
	(void)st;
}

/*
 * Freeing an engine stopped in the middle of a sliced, spilling read with
 * a follow to come cancels all it had: no request is still owed an answer
 * and no timer is left on the loop (ASan checks that nothing leaks).
 */
static void
test_engine_free_cancels(void **state)
{
	struct tenv t;
	struct engine *e;

	(void)state;
	tenv_init(&t);
	t.fl.page_size = 50;
	t.fl.latency_ms = 400;
	t.eo.max_rps = 5;
	t.eo.max_slices = 4;
	t.eo.follow = 1;
	seed_busy(&t);
	e = engine_new(t.loop, t.c, &t.eo);
	engine_add_source(e, &t.src[0]);
	engine_set_callbacks(e, t_emit, t_notice, t_idle, &t);
	engine_set_tick(e, t_tick, 250);
	loop_timer_at(t.loop, T0 + 5000, stop_engine, e);
	t.status = engine_run(e, &t.cause);
	t.st = *engine_stats(e);
	assert_int_equal(t.status, ENGINE_OK);
	assert_true(t.st.slices > 0);
	assert_true(t.st.spilled > 0);
	assert_true(t.fl.inflight > 0);
	assert_true(t.nout < 6000);
	engine_free(e);
	assert_int_equal(t.fl.inflight, 0);
	assert_true(t.fl.cancelled > 0);
	assert_int_equal(loop_next_deadline(t.loop), INT64_MAX);
	tenv_free(&t);
}

/*
 * --watch with an event stamped an hour ahead of the clock: printed once,
 * and the polls keep reading from the clock, not from that event, so the
 * events after it are printed too (and not as late).
 */
static void
test_follow_future_event(void **state)
{
	struct tenv t;
	size_t i, nfuture = 0;
	char m[32];

	(void)state;
	tenv_init(&t);
	t.eo.follow = 1;
	t.eo.end = LOGS_TIME_UNSET;
	tenv_source(&t, "/a", 0);
	tenv_source(&t, "/b", 0);
	fakelogs_add(&t.fl, "/a", "s", T0 + 3600000, T0 + 1500, "future");
	for (i = 0; i < 10; i++) {
		snprintf(m, sizeof m, "now %zu", i);
		fakelogs_add(&t.fl, i % 2 ? "/a" : "/b", "s",
		    T0 + 2000 + (int64_t)i * 700, -1, m);
	}
	t.eo.end = LOGS_TIME_UNSET;
	{
		struct engine *e = engine_new(t.loop, t.c, &t.eo);

		engine_add_source(e, &t.src[0]);
		engine_add_source(e, &t.src[1]);
		engine_set_callbacks(e, t_emit, t_notice, t_idle, &t);
		loop_timer_at(t.loop, T0 + 20000, stop_engine, e);
		t.status = engine_run(e, &t.cause);
		engine_free(e);
	}
	assert_int_equal(t.status, ENGINE_OK);
	assert_int_equal(t.nout, 11);
	for (i = 0; i < t.nout; i++) {
		if (strcmp(t.out[i].msg, "future") == 0)
			nfuture++;
		else
			assert_false(t.out[i].late);
	}
	assert_int_equal(nfuture, 1);
	tenv_free(&t);
}

/* Events without eventId (an emulator or proxy dropped it): follow
 * de-duplicates them on stream, times and message, and two different
 * events that share a millisecond both come out. */
static void
test_follow_no_event_ids(void **state)
{
	struct tenv t;
	size_t i;
	char m[32];

	(void)state;
	tenv_init(&t);
	t.fl.no_ids = 1;
	t.eo.follow = 1;
	t.eo.end = T0 + 12000;
	tenv_source(&t, "/a", 0);
	fakelogs_add(&t.fl, "/a", "s", T0 - 2000, -1, "history");
	for (i = 0; i < 8; i++) {
		snprintf(m, sizeof m, "live %zu", i);
		fakelogs_add(&t.fl, "/a", "s",
		    T0 + 1000 + (int64_t)(i / 2) * 900, -1, m);
	}
	/* The same message twice in one ms in two streams: two events. */
	fakelogs_add(&t.fl, "/a", "s", T0 + 6000, -1, "twin");
	fakelogs_add(&t.fl, "/a", "t", T0 + 6000, -1, "twin");
	tenv_run(&t);
	assert_int_equal(t.status, ENGINE_OK);
	/* Every poll re-reads the overlap: each event still comes once. */
	assert_true(t.fl.filter_requests > 8);
	assert_int_equal(t.nout, 1 + 8 + 2);
	for (i = 0; i + 1 < t.nout; i++)
		assert_true(t.out[i].ts <= t.out[i + 1].ts);
	tenv_free(&t);
}

/* Several groups, sliced, with server errors: exact order, each once. */
static void
test_slices_groups_faults(void **state)
{
	struct tenv t;

	(void)state;
	tenv_init(&t);
	t.fl.page_size = 7;
	t.fl.latency_ms = 300;
	t.fl.every = 5;
	t.fl.every_fault = FAULT_500;
	t.eo.max_rps = 5;
	t.eo.end = T0;
	t.eo.max_slices = 4;
	seed_groups(&t, 2, 120);
	tenv_run(&t);
	assert_int_equal(t.status, ENGINE_OK);
	print_message("slices %zu\n", t.st.slices);
	assert_true(t.st.slices > 0);
	assert_ordered_once(&t, 240);
	tenv_free(&t);
}

/*
 * One group's first page is slow (a retried 500), so the other group is
 * sliced and its later slices finish with their pages on disk: they must
 * still hold the merge (a waiting-feed counter once got that wrong).
 */
static void
test_slices_spilled_done(void **state)
{
	struct tenv t;
	char m[32];
	int i;

	(void)state;
	tenv_init(&t);
	t.fl.page_size = 4;
	t.fl.latency_ms = 200;
	t.eo.max_rps = 50;
	t.eo.end = T0;
	t.eo.max_slices = 4;
	fakelogs_fault(&t.fl, 0, FAULT_500);
	tenv_source(&t, "/a", 0);
	tenv_source(&t, "/b", 0);
	for (i = 0; i < 60; i++) {
		snprintf(m, sizeof m, "%s #%d", i % 2 ? "/b" : "/a", i);
		fakelogs_add(&t.fl, i % 2 ? "/b" : "/a", "s",
		    T0 - 600000 + i * 5000, -1, m);
	}
	tenv_run(&t);
	assert_int_equal(t.status, ENGINE_OK);
	assert_true(t.st.slices > 0);
	assert_true(t.st.spilled > 0);
	assert_ordered_once(&t, 60);
	tenv_free(&t);
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_slices_spilled_done),
    cmocka_unit_test(test_follow_wall_steps),
    cmocka_unit_test(test_logs_typed_errors),
    cmocka_unit_test(test_engine_free_cancels),
    cmocka_unit_test(test_follow_future_event),
    cmocka_unit_test(test_follow_no_event_ids),
    cmocka_unit_test(test_slices_groups_faults),
    cmocka_unit_test(test_slices_identical),
    cmocka_unit_test(test_slices_small_read),
    cmocka_unit_test(test_spill_no_tmpdir),
    cmocka_unit_test(test_spill_full_mid_read),
    cmocka_unit_test(test_history_merge),
    cmocka_unit_test(test_history_backpressure),
    cmocka_unit_test(test_rate_limit),
    cmocka_unit_test(test_throttling_adapts),
    cmocka_unit_test(test_transient_faults),
    cmocka_unit_test(test_retries_exhausted),
    cmocka_unit_test(test_repeated_token),
    cmocka_unit_test(test_repeated_token_once),
    cmocka_unit_test(test_repeated_token_then_alias),
    cmocka_unit_test(test_token_cycle),
    cmocka_unit_test(test_page_cycle),
    cmocka_unit_test(test_page_again_after_empty),
    cmocka_unit_test(test_follow_token_cycle),
    cmocka_unit_test(test_missing_groups),
    cmocka_unit_test(test_follow),
    cmocka_unit_test(test_follow_one_group_in_order),
    cmocka_unit_test(test_follow_faults),
    cmocka_unit_test(test_follow_flushes),
};

TEST_MAIN(tests)

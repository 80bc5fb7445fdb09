/* SPDX-License-Identifier: Apache-2.0 */
/*
 * --watch at 40 groups, 3 of them active, against the in-memory CloudWatch
 * Logs in virtual time with the real 5 requests/s budget: the active groups
 * are polled every interval, the total never exceeds the budget, lines come
 * out in time order, a late event is printed once and flagged, a quiet
 * group that wakes up is found and then followed every interval; every
 * group written (all waking up), and a spread ingestion delay, keep time
 * order.
 */

#include <stdlib.h>
#include <string.h>

#include "testmain.h"

#include "aws/aws.h"
#include "aws/loop.h"
#include "core/xmalloc.h"
#include "fakelogs.h"
#include "logs/engine.h"
#include "logs/logs.h"
#include "logs/source.h"

#define T0 INT64_C(1700000000000)
#define NG 40
#define END_MS 150000 /* the run: 150 s of following */

struct got {
	int group;
	char *msg;
	int64_t ts;
	int64_t ingest;
	int64_t at; /* monotonic time it was emitted */
	int late;
};

struct fenv {
	struct fakeclock clk;
	struct loop *loop;
	struct fakelogs fl;
	struct aws_ctx ctx;
	struct aws_client *c;
	struct source src[NG];
	char names[NG][16];
	int ng; /* groups followed (the first ng) */
	struct engine_opts eo;
	struct got *out;
	size_t nout;
	enum engine_status status;
	char *cause;
};

static void
fenv_init(struct fenv *t)
{
	char *cause = NULL;
	int i;

	memset(t, 0, sizeof *t);
	fakeclock_init(&t->clk, T0);
	t->loop = loop_new(&t->clk.clock, NULL);
	fakelogs_init(&t->fl, t->loop);
	t->fl.latency_ms = 50;
	fakelogs_ctx(&t->fl, &t->ctx, t->loop);
	assert_int_equal(aws_client_new(&t->c, &t->ctx, AWS_LOGS, "us-east-1",
			     "http://fake.invalid", &cause),
	    0);
	t->eo.start = T0 - 60000;
	t->eo.end = T0 + END_MS;
	t->eo.follow = 1;
	t->eo.max_rps = 5;
	t->eo.interval_ms = 1000;
	t->eo.hold_back_ms = -1; /* auto, the default */
	t->eo.overlap_ms = 5000;
	t->ng = NG;
	for (i = 0; i < NG; i++) {
		snprintf(t->names[i], sizeof t->names[i], "/g/%02d", i);
		t->src[i].group = t->names[i];
		fakelogs_add_group(&t->fl, t->names[i]);
	}
}

static void
fenv_free(struct fenv *t)
{
	size_t i;

	for (i = 0; i < t->nout; i++)
		free(t->out[i].msg);
	free(t->out);
	free(t->cause);
	aws_client_free(t->c);
	fakelogs_free(&t->fl);
	loop_free(t->loop);
}

static int
f_emit(void *arg, const struct event *ev, const struct source *s)
{
	struct fenv *t = arg;
	struct got *g;

	t->out = xreallocarray(t->out, t->nout + 1, sizeof *t->out);
	g = &t->out[t->nout++];
	g->group = atoi(s->group + 3);
	g->msg = xstrndup(ev->msg, ev->msg_len);
	g->ts = ev->ts;
	g->ingest = ev->ingest;
	g->late = (ev->flags & EVENT_LATE) != 0;
	g->at = loop_mono(t->loop);
	return (0);
}

static void
fenv_run(struct fenv *t)
{
	struct engine *e;
	size_t i;

	e = engine_new(t->loop, t->c, &t->eo);
	for (i = 0; i < (size_t)t->ng; i++)
		engine_add_source(e, &t->src[i]);
	engine_set_callbacks(e, f_emit, NULL, NULL, t);
	t->status = engine_run(e, &t->cause);
	engine_free(e);
}

/* Events every 300 ms in group g from..to, visible delay ms after their
 * timestamp. */
static void
write_events(struct fenv *t, int g, int64_t from, int64_t to, int64_t delay)
{
	char m[64];
	int64_t ts;

	for (ts = from; ts < to; ts += 300) {
		snprintf(m, sizeof m, "g%02d at %lld", g, (long long)(ts - T0));
		fakelogs_add(&t->fl, t->names[g], "s", ts, ts + delay, m);
	}
}

/* The FilterLogEvents requests of group g (or all: g < 0) from t on. */
static size_t
requests(const struct fenv *t, int g, int64_t from, int64_t *gap)
{
	size_t k, n = 0;
	int64_t prev = -1;

	*gap = 0;
	for (k = 0; k < (size_t)t->fl.requests; k++) {
		if (t->fl.req_groups[k] == NULL || t->fl.req_times[k] < from ||
		    t->fl.req_times[k] > T0 + END_MS - 3000)
			continue;
		if (g >= 0 && strcmp(t->fl.req_groups[k], t->names[g]) != 0)
			continue;
		if (prev >= 0 && t->fl.req_times[k] - prev > *gap)
			*gap = t->fl.req_times[k] - prev;
		prev = t->fl.req_times[k];
		n++;
	}
	return (n);
}

static const int active[] = {5, 21, 39};

static void
test_forty_groups_three_active(void **state)
{
	struct fenv t;
	size_t i, j, k, nlate = 0, nwoke = 0;
	int64_t gap, prev = INT64_MIN;

	(void)state;
	fenv_init(&t);
	for (i = 0; i < 3; i++)
		write_events(&t, active[i], T0 - 30000 + (int64_t)i * 100,
		    T0 + END_MS - 5000, 400);
	/* Stamped 2 s before it becomes visible, well after later lines were
	 * printed: late, but within the 5 s overlap, so it is read. */
	fakelogs_add(&t.fl, t.names[21], "s", T0 + 40050, T0 + 43000, "late");
	/* A quiet group wakes up after 100 s. */
	write_events(&t, 17, T0 + 100000, T0 + 120000, 400);
	fenv_run(&t);
	assert_int_equal(t.status, ENGINE_OK);

	/* Never more than 5 FilterLogEvents in any second while following
	 * (the history read before may use the bucket's burst). */
	for (k = 0; k < (size_t)t.fl.requests; k++) {
		if (t.fl.req_times[k] < T0 + 10000)
			continue;
		for (j = k; j < (size_t)t.fl.requests &&
			    t.fl.req_times[j] < t.fl.req_times[k] + 1000;
		     j++)
			;
		assert_true(j - k <= 5);
	}
	/* Active groups: every interval after the first round (40 polls at
	 * 5/s, 8 s, after the history read); a quiet group at its idle bound
	 * may go first now and then (after the first round they come due
	 * together; with 4 active groups, after 100 s, the active ones get 3.5
	 * requests/s: every 1.14 s). */
	for (i = 0; i < 3; i++) {
		assert_true(requests(&t, active[i], T0 + 20000, &gap) >= 115);
		assert_true(gap <= 2000);
	}
	/* Quiet groups: at least every 3N/R = 24 s, within a few pacing
	 * slots. */
	for (i = 0; i < NG; i++) {
		if (i == 5 || i == 21 || i == 39 || i == 17)
			continue;
		assert_true(requests(&t, (int)i, T0 + 70000, &gap) >= 3);
		assert_true(gap <= 24000 + 1000);
	}
	/* The woken group: like the other active ones from its first events
	 * on. */
	assert_true(requests(&t, 17, T0 + 125000, &gap) >= 15);
	assert_true(gap <= 2000);

	/* Every event once; time order apart from the late one and the
	 * first events of the woken group. */
	for (i = 0; i < t.nout; i++) {
		for (j = i + 1; j < t.nout && j < i + 200; j++)
			assert_string_not_equal(t.out[i].msg, t.out[j].msg);
		if (t.out[i].late) {
			if (strcmp(t.out[i].msg, "late") == 0)
				nlate++;
			else {
				/* Found by its first poll after waking. */
				assert_int_equal(t.out[i].group, 17);
				assert_true(t.out[i].ts < T0 + 100000 + 24000);
				nwoke++;
			}
			continue;
		}
		assert_true(t.out[i].ts >= prev);
		prev = t.out[i].ts;
	}
	assert_int_equal(nlate, 1);
	/* Printed lines: 3 groups from T0 - 30 s on, the late one, 20 s of
	 * the woken one. */
	k = 0;
	for (i = 0; i < t.nout; i++)
		k += t.out[i].group == 17;
	assert_int_equal(k, 20000 / 300 + 1);
	/* Latency of the active groups' lines (virtual time): once every
	 * active group has polled past them (a period, 1 s, or 2 s when a
	 * quiet group at its bound goes first) and a round trip; most within
	 * 1.2 s. */
	k = j = 0;
	for (i = 0; i < t.nout; i++) {
		if (t.out[i].ingest < T0 + 20000 || t.out[i].group == 17 ||
		    t.out[i].late)
			continue;
		/* The late event taught a 3 s ingestion delay, which fades
		 * over a minute (down to the usual 0.4 s after 52 s): lines
		 * wait for it. */
		if (t.out[i].ingest >= T0 + 41000 &&
		    t.out[i].ingest < T0 + 100000)
			continue;
		assert_true(t.out[i].at - t.out[i].ingest <= 2000 + 200);
		k++;
		j += t.out[i].at - t.out[i].ingest <= 1200;
	}
	assert_true(k > 500);
	assert_true(j * 2 > k);
	assert_true(nwoke > 0);
	fenv_free(&t);
}

/* --hold-back S waits for every group: the quiet ones hold the active
 * ones' lines up to S, so nothing but the deliberately late event is late
 * here (the contrast with auto). */
static void
test_explicit_hold_back_waits_for_all(void **state)
{
	struct fenv t;
	size_t i, nlate = 0;
	int64_t maxwait = 0;

	(void)state;
	fenv_init(&t);
	t.eo.end = T0 + 60000;
	t.eo.hold_back_ms = 3000;
	for (i = 0; i < 3; i++)
		write_events(
		    &t, active[i], T0 + (int64_t)i * 100, T0 + 55000, 400);
	fenv_run(&t);
	assert_int_equal(t.status, ENGINE_OK);
	for (i = 0; i < t.nout; i++) {
		/* The first round (40 polls at 5/s) takes longer than 3 s:
		 * lines of groups polled late in it are late. */
		if (t.out[i].ts > T0 + 20000)
			nlate += t.out[i].late;
		if (t.out[i].ingest > T0 + 15000 &&
		    t.out[i].at - t.out[i].ingest > maxwait)
			maxwait = t.out[i].at - t.out[i].ingest;
	}
	assert_int_equal(nlate, 0);
	/* The quiet groups are polled rarely: lines wait the full 3 s after
	 * they were read (a poll, at most 2 s, after they became visible). */
	assert_true(maxwait >= 3000);
	assert_true(maxwait <= 3000 + 2000 + 1000);
	fenv_free(&t);
}

/* A deterministic pseudo-random number in [0, n). */
static int64_t
rnd(uint64_t *x, int64_t n)
{
	*x = *x * 6364136223846793005ULL + 1442695040888963407ULL;
	return ((int64_t)((*x >> 33) % (uint64_t)n));
}

/* Every line once, in time order, none late. */
static void
assert_all_ordered(const struct fenv *t, size_t want)
{
	size_t i;

	assert_int_equal(t->nout, want);
	for (i = 0; i < t->nout; i++) {
		assert_false(t->out[i].late);
		if (i > 0)
			assert_true(t->out[i].ts >= t->out[i - 1].ts);
	}
}

/*
 * Every one of 40 groups written, a few events a minute each, from the
 * moment following starts: all of them quiet at first (nothing in the
 * history), each waking up at its first event. Favouring the active
 * groups, the quiet ones were polled every 3N/R = 22 s and not waited for,
 * so each group's first lines came out late, up to 20 s back; once most
 * groups are active the round-robin (8 s) costs the active ones less than
 * twice their own period, and every group is polled in turn and waited
 * for. No ingestion delay here: only the order of groups is tested.
 */
static void
test_forty_groups_all_waking(void **state)
{
	struct fenv t;
	char m[64];
	uint64_t x = 42;
	int64_t ts;
	size_t n = 0;
	int g;

	(void)state;
	fenv_init(&t);
	t.eo.end = T0 + 90000;
	for (g = 0; g < NG; g++) {
		for (ts = T0 + rnd(&x, 20000); ts < T0 + 85000;
		     ts += 2000 + rnd(&x, 10000)) {
			snprintf(m, sizeof m, "g%02d at %lld", g,
			    (long long)(ts - T0));
			fakelogs_add(&t.fl, t.names[g], "s", ts, ts, m);
			n++;
		}
	}
	fenv_run(&t);
	assert_int_equal(t.status, ENGINE_OK);
	assert_all_ordered(&t, n);
	fenv_free(&t);
}

/*
 * 3 groups, polled every interval and all waited for, with an ingestion
 * delay of 300 to 800 ms: the watermark must allow for the largest delay,
 * learnt over every group and kept for a minute. A per-group estimate
 * starting at 0 and decaying by an eighth at every poll let lines out
 * before an older event, ingested later, was read.
 */
static void
test_ingestion_delay_spread(void **state)
{
	struct fenv t;
	char m[64];
	uint64_t x = 7;
	int64_t ts;
	size_t n = 0;
	int g;

	(void)state;
	fenv_init(&t);
	t.ng = 3;
	t.eo.end = T0 + 60000;
	for (g = 0; g < 3; g++) {
		for (ts = T0 + rnd(&x, 1000); ts < T0 + 55000;
		     ts += 100 + rnd(&x, 700)) {
			snprintf(m, sizeof m, "g%02d at %lld", g,
			    (long long)(ts - T0));
			fakelogs_add(&t.fl, t.names[g], "s", ts,
			    ts + 300 + rnd(&x, 501), m);
			n++;
		}
	}
	fenv_run(&t);
	assert_int_equal(t.status, ENGINE_OK);
	assert_all_ordered(&t, n);
	fenv_free(&t);
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_forty_groups_all_waking),
    cmocka_unit_test(test_ingestion_delay_spread),
    cmocka_unit_test(test_forty_groups_three_active),
    cmocka_unit_test(test_explicit_hold_back_waits_for_all),
};

TEST_MAIN(tests)

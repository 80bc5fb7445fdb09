/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The --watch poll scheduler on a virtual clock: which group goes next,
 * the budget, the idle bound, fairness, a quiet group that wakes up.
 */

#include <stdlib.h>
#include <string.h>

#include "testmain.h"

#include "logs/pollsched.h"

#define SIM_MAX 64
#define SIM_MAX_GRANTS 4096

/*
 * A simulation: n groups, each poll answered after latency ms with pages
 * requests (1: one page); a group "writes" while writing[i] is set, and a
 * poll then returns events.
 */
struct sim {
	struct pollsched ps;
	size_t n;
	double rate;
	int64_t now;
	int64_t latency;
	int pages;
	int writing[SIM_MAX];
	int64_t answer_at[SIM_MAX]; /* -1: nothing in flight */
	int pages_left[SIM_MAX];
	/* Log. */
	int64_t grant_t[SIM_MAX_GRANTS];
	size_t ngrants;
	int64_t starts[SIM_MAX][512]; /* when each poll began */
	size_t nstarts[SIM_MAX];
};

static struct sim *
sim_new(size_t n, double rate, int64_t interval)
{
	struct sim *s = calloc(1, sizeof *s);
	size_t i;

	assert_non_null(s);
	pollsched_init(&s->ps, interval);
	s->n = n;
	s->rate = rate;
	s->now = 1000000;
	s->latency = 50;
	s->pages = 1;
	for (i = 0; i < n; i++) {
		assert_int_equal(pollsched_add(&s->ps, s->now, 0), i);
		s->answer_at[i] = -1;
	}
	return (s);
}

static void
sim_free(struct sim *s)
{
	pollsched_free(&s->ps);
	free(s);
}

/* Run until end, millisecond by millisecond. */
static void
sim_run(struct sim *s, int64_t end)
{
	size_t i, slot;
	int more;

	for (; s->now < end; s->now++) {
		for (i = 0; i < s->n; i++) {
			if (s->answer_at[i] != s->now)
				continue;
			s->answer_at[i] = -1;
			if (--s->pages_left[i] > 0)
				pollsched_more(&s->ps, i);
			else
				pollsched_done(
				    &s->ps, i, s->now, s->writing[i]);
		}
		while (pollsched_next(&s->ps, s->now, s->rate, &slot, &more) ==
		       0) {
			assert_true(slot < s->n);
			assert_int_equal(s->answer_at[slot], -1);
			if (!more) {
				assert_true(s->nstarts[slot] < 512);
				s->starts[slot][s->nstarts[slot]++] = s->now;
				s->pages_left[slot] =
				    s->writing[slot] ? s->pages : 1;
			}
			s->answer_at[slot] = s->now + s->latency;
			assert_true(s->ngrants < SIM_MAX_GRANTS);
			s->grant_t[s->ngrants++] = s->now;
		}
	}
}

/* No window [t, t + 1000) holds more than max grants. */
static void
assert_budget(const struct sim *s, size_t max)
{
	size_t i, j;

	for (i = 0; i < s->ngrants; i++) {
		for (j = i;
		     j < s->ngrants && s->grant_t[j] < s->grant_t[i] + 1000;
		     j++)
			;
		assert_true(j - i <= max);
	}
}

/* The longest gap between polls of slot i from time from on. */
static int64_t
max_gap(const struct sim *s, size_t i, int64_t from)
{
	int64_t gap = 0;
	size_t k;

	for (k = 1; k < s->nstarts[i]; k++) {
		if (s->starts[i][k - 1] < from)
			continue;
		if (s->starts[i][k] - s->starts[i][k - 1] > gap)
			gap = s->starts[i][k] - s->starts[i][k - 1];
	}
	return (gap);
}

static size_t
polls_since(const struct sim *s, size_t i, int64_t from)
{
	size_t k, n = 0;

	for (k = 0; k < s->nstarts[i]; k++)
		n += s->starts[i][k] >= from;
	return (n);
}

/* Few groups: the budget allows every group every interval. */
static void
test_few_groups_every_interval(void **state)
{
	struct sim *s = sim_new(3, 5, 1000);
	size_t i;

	(void)state;
	sim_run(s, s->now + 30000);
	for (i = 0; i < 3; i++) {
		assert_true(s->nstarts[i] >= 29);
		assert_true(max_gap(s, i, 0) <= 1000 + 200);
	}
	assert_budget(s, 5);
	sim_free(s);
}

/*
 * 40 groups of which 3 are active (writing all the time): the active ones
 * are polled every interval, the quiet ones at least every 3N/R s and
 * evenly, and never more than 5 requests in a second.
 */
static void
test_forty_three_active(void **state)
{
	struct sim *s = sim_new(40, 5, 1000);
	int64_t t0 = s->now, settle;
	size_t i, lo = SIZE_MAX, hi = 0, n;

	(void)state;
	s->writing[5] = s->writing[21] = s->writing[39] = 1;
	/* The first round finds them (40 polls at 5/s: 8 s, and the ones
	 * found go every interval meanwhile). */
	sim_run(s, t0 + 12000);
	for (i = 0; i < 40; i++)
		assert_int_equal(
		    pollsched_active(&s->ps, i, s->now), s->writing[i]);
	/* Then a minute later every quiet group has gone quiet. */
	settle = t0 + 75000;
	sim_run(s, t0 + 195000);
	assert_budget(s, 5);
	for (i = 0; i < 40; i++) {
		if (s->writing[i]) {
			/* Every interval, give or take one pacing slot. */
			assert_true(max_gap(s, i, settle) <= 1000 + 200);
			assert_true(polls_since(s, i, settle) >= 110);
			continue;
		}
		/* The idle bound, 3N/R = 24 s (the plan: 37 polls at the
		 * 2 requests/s left over, 18.5 s, and pacing). */
		assert_true(max_gap(s, i, settle) <= 3 * 40 * 1000 / 5);
		assert_true(max_gap(s, i, settle) <= 18500 + 1000);
		assert_true(max_gap(s, i, settle) >= 8000);
		n = polls_since(s, i, settle);
		if (n < lo)
			lo = n;
		if (n > hi)
			hi = n;
	}
	/* Fair: every quiet group as often as the others, within one. */
	assert_true(hi - lo <= 1);
	assert_true(lo >= 6);
	sim_free(s);
}

/* Many active groups: stretched evenly, quiet ones still within 3N/R, and
 * a poll of several pages still within the budget. */
static void
test_many_active_pages(void **state)
{
	struct sim *s = sim_new(40, 5, 1000);
	struct pollsched_plan pl;
	int64_t t0 = s->now;
	size_t i;

	(void)state;
	s->pages = 3;
	for (i = 0; i < 20; i++)
		s->writing[i] = 1;
	sim_run(s, t0 + 180000);
	assert_budget(s, 5);
	pollsched_plan(&s->ps, s->now, 5, &pl);
	assert_int_equal(pl.nactive, 20);
	assert_int_equal(pl.nquiet, 20);
	/* Favouring the active groups would poll each every
	 * 60 / (5 - 1.1 * 5 * 20 / 120) = 14.7 s and the quiet ones every
	 * 21.8 s; the round-robin, 80 requests at 5/s, is 16 s, less than
	 * twice that: every group in turn, every one waited for. */
	assert_true(pl.merged);
	/* (a poll's cost is smoothed: just under 3 requests) */
	assert_in_range(pl.active_ms, 15900, 16000);
	assert_int_equal(pl.quiet_ms, pl.active_ms);
	assert_true(pollsched_waited(&s->ps, &pl, 30, s->now));
	for (i = 20; i < 40; i++)
		assert_true(max_gap(s, i, t0 + 80000) <= 16000 + 3 * 200);
	for (i = 0; i < 20; i++)
		assert_true(polls_since(s, i, t0 + 80000) >= 6);
	sim_free(s);
}

static void
set_writing(struct sim *s, size_t i, int on, int64_t until)
{
	sim_run(s, until);
	s->writing[i] = on;
}

/* A burst in a quiet group: found at its next poll, then polled every
 * interval, and quiet again a minute after it stops. */
static void
test_quiet_group_wakes(void **state)
{
	struct sim *s = sim_new(40, 5, 1000);
	int64_t t0 = s->now, woke, found;
	size_t k, before;

	(void)state;
	s->writing[0] = 1;
	sim_run(s, t0 + 90000);
	assert_false(pollsched_active(&s->ps, 17, s->now));
	woke = s->now;
	before = s->nstarts[17];
	set_writing(s, 17, 1, woke);
	sim_run(s, woke + 30000);
	/* Its next poll found the events, within the quiet period. */
	assert_true(s->nstarts[17] > before);
	found = s->starts[17][before];
	assert_true(found - woke <= 18500 + 1000);
	/* From then on: every interval. */
	for (k = before + 1; k < s->nstarts[17]; k++)
		assert_true(
		    s->starts[17][k] - s->starts[17][k - 1] <= 1000 + 200);
	assert_true(pollsched_active(&s->ps, 17, s->now));
	/* It stops: still active for a minute, then quiet. */
	set_writing(s, 17, 0, s->now);
	sim_run(s, s->now + 59000);
	assert_true(pollsched_active(&s->ps, 17, s->now));
	sim_run(s, s->now + 3000);
	assert_false(pollsched_active(&s->ps, 17, s->now));
	sim_free(s);
}

/* Which group is next: a page owed first, then the most overdue, active
 * first on a tie; pacing between any two requests. */
static void
test_next_order(void **state)
{
	struct pollsched ps;
	size_t slot;
	int more;
	int64_t now = 5000;

	(void)state;
	pollsched_init(&ps, 1000);
	pollsched_add(&ps, now, 0);
	pollsched_add(&ps, now - 100, 1); /* re-discovered: active */
	pollsched_add(&ps, now, 0);
	/* The first round (never polled) goes first, by due time, then by
	 * slot. */
	assert_int_equal(pollsched_next(&ps, now, 5, &slot, &more), 0);
	assert_int_equal(slot, 1);
	assert_false(more);
	/* Pacing: 200 ms at 5 requests/s. */
	assert_int_equal(pollsched_next(&ps, now, 5, &slot, &more), 200);
	now += 200;
	assert_int_equal(pollsched_next(&ps, now, 5, &slot, &more), 0);
	assert_int_equal(slot, 0);
	/* Slot 1 wants its next page: it goes before slot 2. */
	pollsched_more(&ps, 1);
	now += 200;
	assert_int_equal(pollsched_next(&ps, now, 5, &slot, &more), 0);
	assert_int_equal(slot, 1);
	assert_true(more);
	now += 200;
	assert_int_equal(pollsched_next(&ps, now, 5, &slot, &more), 0);
	assert_int_equal(slot, 2);
	/* All busy: nothing to wait for. */
	now += 200;
	assert_int_equal(pollsched_next(&ps, now, 5, &slot, &more), -1);
	/* Slot 0 done without events, slot 1 with: 1 is due first (every
	 * interval), 0 after the round-robin period (3 groups: 1 s too). */
	pollsched_done(&ps, 0, now, 0);
	pollsched_done(&ps, 1, now, 1);
	assert_int_equal(pollsched_next(&ps, now, 5, &slot, &more), 200);
	/* Slot 1 began at 5000: due at 6000. */
	now = 6000;
	assert_int_equal(pollsched_next(&ps, now, 5, &slot, &more), 0);
	assert_int_equal(slot, 1);
	/* Later and off. */
	pollsched_later(&ps, 0, now + 10000);
	pollsched_off(&ps, 2);
	pollsched_done(&ps, 1, now, 1);
	assert_int_equal(pollsched_next(&ps, now, 5, &slot, &more), 1000);
	now += 1000;
	assert_int_equal(pollsched_next(&ps, now, 5, &slot, &more), 0);
	assert_int_equal(slot, 1);
	pollsched_done(&ps, 1, now, 0);
	/* Slot 0 waits for its not-before, slot 2 never comes back. */
	assert_int_equal(pollsched_next(&ps, now, 5, &slot, &more), 1000);
	now = 16000;
	/* Slot 0, quiet and past its idle bound (3N/R = 1.2 s), goes before
	 * slot 1 (active, overdue since 8000); then slot 1. */
	assert_int_equal(pollsched_next(&ps, now, 5, &slot, &more), 0);
	assert_int_equal(slot, 0);
	assert_int_equal(pollsched_next(&ps, now, 5, &slot, &more), 200);
	now += 200;
	assert_int_equal(pollsched_next(&ps, now, 5, &slot, &more), 0);
	assert_int_equal(slot, 1);
	assert_int_equal(pollsched_next(&ps, now, 5, &slot, &more), -1);
	pollsched_more(&ps, 2); /* off stays off */
	assert_int_equal(ps.slot[2].state, POLLSCHED_OFF);
	pollsched_free(&ps);
}

/* The plan, and which groups count for time order. */
static void
test_plan_waited(void **state)
{
	struct pollsched ps;
	struct pollsched_plan pl;
	size_t i;
	int64_t now = 1000;

	(void)state;
	pollsched_init(&ps, 1000);
	for (i = 0; i < 3; i++)
		pollsched_add(&ps, now, 0);
	for (i = 0; i < 3; i++)
		pollsched_done(&ps, i, now, 0);
	pollsched_plan(&ps, now, 5, &pl);
	/* 3 quiet groups fit every interval: all count. */
	assert_int_equal(pl.quiet_ms, 1000);
	assert_true(pollsched_waited(&ps, &pl, 0, now));
	for (; i < 40; i++)
		pollsched_add(&ps, now, i == 3 || i == 4 || i == 5);
	pollsched_plan(&ps, now, 5, &pl);
	assert_int_equal(pl.nactive, 3);
	assert_int_equal(pl.active_ms, 1000);
	assert_int_equal(pl.quiet_ms, 18500);
	/* A quiet group never polled counts (nothing is known of it)... */
	assert_true(pollsched_waited(&ps, &pl, 6, now));
	/* ...one polled does not. */
	assert_false(pollsched_waited(&ps, &pl, 0, now));
	assert_true(pollsched_waited(&ps, &pl, 4, now));
	/* Throttled down to 2.5/s: the active groups are stretched, the
	 * quiet ones keep their third and a tenth (3N/R = 48 s). */
	pollsched_plan(&ps, now, 2.5, &pl);
	/* 3 / (2.5 - 1.1 * 2.5 * 37 / 120), 37 / (1.1 * 2.5 * 37 / 120) */
	assert_int_equal(pl.active_ms, 1816);
	assert_int_equal(pl.quiet_ms, 43637);
	/* Nothing active: a plain round-robin. */
	pollsched_plan(&ps, now + POLLSCHED_ACTIVE_MS, 5, &pl);
	assert_int_equal(pl.nactive, 0);
	assert_int_equal(pl.quiet_ms, 8000);
	pollsched_off(&ps, 4);
	assert_false(pollsched_waited(&ps, &pl, 4, now));
	pollsched_free(&ps);
}

/* Merged: every group in turn and waited for once the active groups'
 * period is at least half the round-robin one. */
static void
test_plan_merged(void **state)
{
	struct pollsched ps;
	struct pollsched_plan pl;
	size_t i;
	int64_t now = 1000;

	(void)state;
	pollsched_init(&ps, 1000);
	/* 15 active of 40: 15 / (5 - 1.1 * 5 * 25 / 120) = 3.89 s, the
	 * round-robin 8 s is more than twice that: the active ones go first,
	 * the quiet ones every 21.8 s, not waited for. */
	for (i = 0; i < 40; i++)
		pollsched_add(&ps, now, i < 15);
	for (i = 0; i < 40; i++)
		pollsched_done(&ps, i, now, i < 15);
	pollsched_plan(&ps, now, 5, &pl);
	assert_false(pl.merged);
	assert_int_equal(pl.active_ms, 3892);
	assert_int_equal(pl.quiet_ms, 21819);
	assert_false(pollsched_waited(&ps, &pl, 30, now));
	/* 16 active: 16 / 3.9 = 4.10 s, half the round-robin or more. */
	pollsched_done(&ps, 15, now, 1);
	pollsched_plan(&ps, now, 5, &pl);
	assert_true(pl.merged);
	assert_int_equal(pl.active_ms, 8000);
	assert_int_equal(pl.quiet_ms, 8000);
	assert_true(pollsched_waited(&ps, &pl, 30, now));
	assert_true(pollsched_waited(&ps, &pl, 3, now));
	/* Throttled to 2.5/s: 16 s against 16 / (2.5 - 0.55) = 8.2 s. */
	pollsched_plan(&ps, now, 2.5, &pl);
	assert_true(pl.merged);
	assert_int_equal(pl.quiet_ms, 16000);
	pollsched_free(&ps);

	/* Nothing active: waited for when the round-robin is at most two
	 * intervals (10 groups at 5/s), not beyond (11). */
	pollsched_init(&ps, 1000);
	for (i = 0; i < 10; i++) {
		pollsched_add(&ps, now, 0);
		pollsched_done(&ps, i, now, 0);
	}
	pollsched_plan(&ps, now, 5, &pl);
	assert_true(pl.merged);
	assert_int_equal(pl.quiet_ms, 2000);
	assert_true(pollsched_waited(&ps, &pl, 0, now));
	pollsched_add(&ps, now, 0);
	pollsched_done(&ps, 10, now, 0);
	pollsched_plan(&ps, now, 5, &pl);
	assert_false(pl.merged);
	assert_false(pollsched_waited(&ps, &pl, 0, now));
	pollsched_free(&ps);
}

/* Merged, the quiet groups are polled in turn with the active ones: each
 * every 8 s at 40 groups, not every 22 s. */
static void
test_merged_round_robin(void **state)
{
	struct sim *s = sim_new(40, 5, 1000);
	int64_t t0 = s->now;
	size_t i;

	(void)state;
	for (i = 0; i < 20; i++)
		s->writing[i] = 1;
	sim_run(s, t0 + 120000);
	assert_budget(s, 5);
	for (i = 0; i < 40; i++)
		assert_true(max_gap(s, i, t0 + 30000) <= 8000 + 400);
	sim_free(s);
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_plan_merged),
    cmocka_unit_test(test_merged_round_robin),
    cmocka_unit_test(test_few_groups_every_interval),
    cmocka_unit_test(test_forty_three_active),
    cmocka_unit_test(test_many_active_pages),
    cmocka_unit_test(test_quiet_group_wakes),
    cmocka_unit_test(test_next_order),
    cmocka_unit_test(test_plan_waited),
};

TEST_MAIN(tests)

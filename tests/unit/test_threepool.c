/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Three quota pools at once (engine_insights_mix.c): under auto, Logs
 * Insights reads a share of the groups while FilterLogEvents and
 * GetLogEvents read the others, against the in-memory CloudWatch Logs
 * (with its Logs Insights, fakeinsights.c) in virtual time. The output is
 * the FilterLogEvents-only read's, byte for byte: every event once and in
 * order, equal timestamps across groups of different pools included;
 * Insights refused before any output gives way to FilterLogEvents for its
 * groups, refused after it fails the read; throttling slows, never loses.
 */

#include <stdlib.h>
#include <string.h>

#include "testmain.h"

#include "aws/aws.h"
#include "aws/loop.h"
#include "core/buf.h"
#include "core/xmalloc.h"
#include "fakelogs.h"
#include "histenv.h"
#include "logs/engine.h"
#include "logs/logs.h"
#include "logs/source.h"

#define T0 HISTENV_T0
#define NG 6
#define NEV 300

/*
 * NG groups of NEV events each over the window, group k with streams[k]
 * streams. Timestamps are distinct within a group and equal across the
 * groups of the same parity (so groups of different pools tie), with
 * events on both sides of the window and one at its end; events of a
 * second stamped on several of its milliseconds.
 */
static void
seed(struct histenv *h, int ngroups, const int *streams, int n)
{
	char g[32], st[32], m[64];
	int i, k;

	for (k = 0; k < ngroups; k++) {
		snprintf(g, sizeof g, "/g/%02d", k);
		h->src[h->nsrc++].group = xstrdup(g);
		for (i = 0; i < n; i++) {
			snprintf(st, sizeof st, "s%d", i % streams[k]);
			snprintf(m, sizeof m, "%s #%d", g, i);
			fakelogs_add(&h->fl, g, st,
			    T0 - 3000000 + (int64_t)i * 250 + k % 2, -1, m);
		}
		fakelogs_add(&h->fl, g, "s0", h->eo.start - 1, -1, "before");
		fakelogs_add(&h->fl, g, "s0", h->eo.end, -1, "at the end");
		fakelogs_add(&h->fl, g, "s0", h->eo.end + 1, -1, "after");
	}
}

static const int streams[NG] = {1, 2, 3, 2, 12, 1};

/* Set up a read of the seeded groups; mix: through the three pools. */
static void
setup(struct histenv *h, int mix)
{
	histenv_init(h);
	h->fl.page_size = 40;
	h->eo.stream_reads = mix ? 8 : 0;
	if (mix) {
		h->eo.insights = 1;
		h->eo.insights_auto = 1;
		h->eo.insights_mix = 1;
	}
	seed(h, NG, streams, NEV);
}

/* Run h and return its transcript (caller frees), checking every event
 * came once and in order. */
static char *
run(struct histenv *h)
{
	histenv_run(h);
	assert_int_equal(h->status, ENGINE_OK);
	assert_int_equal(h->nout, (size_t)NG * (NEV + 1));
	assert_int_equal(h->disorder, 0);
	return (buf_take(&h->out, NULL));
}

/* The FilterLogEvents-only transcript (caller frees). */
static char *
filter_only(void)
{
	struct histenv a;
	char *x;

	setup(&a, 0);
	x = run(&a);
	assert_int_equal(a.fl.start_requests, 0);
	histenv_free(&a);
	return (x);
}

/* Is g one of the groups the split gives Logs Insights? */
static int
ir_group(const char *g)
{
	return (strcmp(g, "/g/04") == 0 || strcmp(g, "/g/00") == 0 ||
		strcmp(g, "/g/01") == 0);
}

/*
 * The split: Logs Insights takes its share of the groups (by the three
 * pools' rates), first those GetLogEvents cannot read (too many streams);
 * FilterLogEvents and GetLogEvents the others, each group through one
 * pool; the same bytes as FilterLogEvents alone, ties across pools
 * included.
 */
static void
test_split_same_output(void **state)
{
	struct histenv b;
	char *x, *y;
	size_t i;

	(void)state;
	x = filter_only();
	setup(&b, 1);
	b.fl.insights_running = 2;
	y = run(&b);
	assert_string_equal(x, y);
	/* 6 groups at 40 000 : 15 000 : 30 000 events a second: Logs
	 * Insights takes 3, first the one of 12 streams GetLogEvents would
	 * not read, then the first two. */
	assert_int_equal(b.st.ir_groups, 3);
	assert_true(b.fl.start_requests > 0);
	assert_true(b.fl.filter_requests > 0);
	assert_true(b.fl.get_requests > 0);
	assert_int_equal(b.st.ir_events, 3 * (NEV + 1));
	assert_true(b.st.get_events > 0);
	/* Each group through one pool: Insights asked only for its own,
	 * FilterLogEvents never for those. */
	for (i = 0; i < b.fl.nqueries; i++) {
		size_t j;

		for (j = 0; j < b.fl.queries[i].ngroups; j++)
			assert_true(ir_group(b.fl.queries[i].groups[j]));
	}
	for (i = 0; i < (size_t)b.fl.requests; i++) {
		if (b.fl.req_kinds[i] == FAKE_OP_FILTER ||
		    b.fl.req_kinds[i] == FAKE_OP_GET)
			assert_false(ir_group(b.fl.req_groups[i]));
	}
	assert_non_null(strstr(b.notices, "reading 3 of 6 groups through Logs "
					  "Insights (5 may be read with "
					  "GetLogEvents)"));
	assert_non_null(strstr(b.notices, "pools: 903 events of 3 groups"));
	assert_int_equal(b.fl.stop_requests, 0);
	free(x);
	free(y);
	histenv_free(&b);
}

/*
 * The split counts a group for GetLogEvents when GetLogEvents reads it
 * sooner at the groups' average storedBytes (at most 50 streams here):
 * 50 MB a group, every group, 12 streams included; 2 MB, only those of
 * one stream (two cost 3 requests at 10/s against 2 pages at 5/s). A group
 * not counted is never read with GetLogEvents. The same bytes.
 */
static void
test_split_by_cost(void **state)
{
	static const char *const want[] = {
	    "reading 3 of 6 groups through Logs Insights (6 may be read",
	    "reading 3 of 6 groups through Logs Insights (2 may be read"};
	struct histenv b;
	char *x, *y;
	size_t i;
	int k;

	(void)state;
	x = filter_only();
	for (k = 0; k < 2; k++) {
		setup(&b, 1);
		b.eo.stream_reads = 50;
		b.eo.group_stored = k == 0 ? 50e6 : 2e6;
		y = run(&b);
		assert_string_equal(x, y);
		assert_non_null(strstr(b.notices, want[k]));
		for (i = 0; k == 1 && i < (size_t)b.fl.requests; i++)
			if (b.fl.req_kinds[i] == FAKE_OP_GET)
				assert_true(
				    strcmp(b.fl.req_groups[i], "/g/00") == 0 ||
				    strcmp(b.fl.req_groups[i], "/g/05") == 0);
		free(y);
		histenv_free(&b);
	}
	free(x);
}

/*
 * Logs Insights refused mid-plan (the second StartQuery fails) before any
 * output: the queries started are stopped and FilterLogEvents reads its
 * groups; the output is whole and the same.
 */
static void
test_refused_gives_way(void **state)
{
	struct histenv b;
	char *x, *y;

	(void)state;
	x = filter_only();
	setup(&b, 1);
	b.fl.insights_running = 4;
	b.fl.insights_fail_start = 2;
	y = run(&b);
	assert_string_equal(x, y);
	/* Those sent at once (the StartQuery burst) are all stopped but
	 * the refused one. */
	assert_true(b.fl.start_requests >= 2);
	assert_int_equal(b.fl.stop_requests, b.fl.start_requests - 1);
	assert_int_equal(b.st.ir_events, 0);
	assert_non_null(strstr(b.notices, "Logs Insights refused the read"));
	assert_null(strstr(b.notices, "pools:"));
	free(x);
	free(y);
	histenv_free(&b);
}

/*
 * Refused after events went out: the read fails with one line (it cannot
 * give way without printing some twice), and the queries still running
 * are stopped.
 */
static void
test_refused_after_output(void **state)
{
	struct histenv b;

	(void)state;
	setup(&b, 1);
	b.fl.insights_fail_start = 8;
	histenv_run(&b);
	assert_int_equal(b.status, ENGINE_ERR_AWS);
	assert_non_null(strstr(b.cause, "could not be started"));
	assert_true(b.nout > 0 && b.nout < (size_t)NG * (NEV + 1));
	assert_int_equal(b.disorder, 0);
	assert_int_equal(b.fl.start_requests, 8);
	histenv_free(&b);
}

/*
 * Every pool throttled now and then (every fifth request): the read is
 * slower, and prints the same bytes.
 */
static void
test_throttled(void **state)
{
	struct histenv b;
	char *x, *y;

	(void)state;
	x = filter_only();
	setup(&b, 1);
	b.fl.every = 5;
	b.fl.every_fault = FAULT_THROTTLE;
	y = run(&b);
	assert_string_equal(x, y);
	assert_true(b.st.throttles > 0);
	assert_int_equal(b.st.ir_events, 3 * (NEV + 1));
	/* GetQueryResults alone throttled, often. */
	histenv_free(&b);
	setup(&b, 1);
	b.fl.kind_fault = FAULT_THROTTLE;
	b.fl.kind_fault_kind = FAKE_OP_RESULTS;
	b.fl.kind_fault_n = 0;
	b.fl.kind_fault_every = 2;
	free(y);
	y = run(&b);
	assert_string_equal(x, y);
	assert_int_equal(b.st.ir_events, 3 * (NEV + 1));
	free(x);
	free(y);
	histenv_free(&b);
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_split_same_output),
    cmocka_unit_test(test_split_by_cost),
    cmocka_unit_test(test_refused_gives_way),
    cmocka_unit_test(test_refused_after_output),
    cmocka_unit_test(test_throttled),
};

TEST_MAIN(tests)

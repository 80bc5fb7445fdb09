/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Which groups GetLogEvents reads (engine_get.c): a cost test, not a
 * fixed number of streams. A group moves when GetLogEvents, one request
 * per stream beyond its pages (which hold more events than
 * FilterLogEvents'), at its budget reads it sooner than FilterLogEvents
 * at its own. Against the in-memory CloudWatch Logs in virtual time:
 * every event once, in order, the same bytes as the FilterLogEvents-only
 * read.
 */

#include <stdlib.h>
#include <string.h>

#include "testmain.h"

#include "core/buf.h"
#include "core/xmalloc.h"
#include "fakelogs.h"
#include "histenv.h"
#include "logs/engine.h"
#include "logs/engine_int.h"
#include "logs/event.h"

#define T0 HISTENV_T0

/* The rule alone: the page gain from the events' sizes, and the cost. */
static void
test_rule(void **state)
{
	static char msg[121], st[44];
	struct event ev[4];
	struct page p;
	double f, g, gain;
	size_t i;

	(void)state;
	memset(msg, 'm', 120);
	memset(st, 's', 43);
	memset(&p, 0, sizeof p);
	for (i = 0; i < 4; i++) {
		memset(&ev[i], 0, sizeof ev[i]);
		ev[i].msg = msg;
		ev[i].msg_len = 120;
		ev[i].stream = st;
		ev[i].stream_len = 43;
	}
	p.ev = ev;
	p.n = 4;
	/* fakecwl with 120-byte messages: 5164 events a GetLogEvents page,
	 * 3056 a FilterLogEvents one. */
	gain = getplan_gain(&p, 0);
	assert_true(gain > 1.64 && gain < 1.74);
	/* With --page-size 50 both pages hold 50 events. */
	assert_true(getplan_gain(&p, 50) == 1.0);

	/* 100 000 events a group (33 pages): 10 streams move, 50 do not. */
	assert_true(getplan_cost(33, 10, gain, 5, 10, &f, &g));
	assert_true(g < f);
	assert_true(getplan_cost(33, 25, gain, 5, 10, &f, &g));
	assert_false(getplan_cost(33, 50, gain, 5, 10, &f, &g));
	/* Many small streams: a Lambda group's day. */
	assert_false(getplan_cost(5, 40, gain, 5, 10, &f, &g));
	/* A slower GetLogEvents budget keeps even a few streams off. */
	assert_false(getplan_cost(33, 4, 1.0, 5, 1, &f, &g));
}

/* groups: ng groups, group k with streams[k] streams and n[k] events. */
static void
seed(struct histenv *h, int ng, const int *streams, const int *n)
{
	char g[32], st[32], m[64];
	int i, k;

	for (k = 0; k < ng; k++) {
		snprintf(g, sizeof g, "/g/%02d", k);
		h->src[h->nsrc++].group = xstrdup(g);
		for (i = 0; i < n[k]; i++) {
			snprintf(st, sizeof st, "s%02d", i % streams[k]);
			snprintf(m, sizeof m, "%s #%d", g, i);
			fakelogs_add(&h->fl, g, st,
			    T0 - 3000000 + (int64_t)i * 3000000 / n[k] + k % 2,
			    -1, m);
		}
	}
}

/* Read them with stream_reads (the transcript in h; caller frees h). */
static void
read_all(struct histenv *h, int ng, const int *streams, const int *n,
    size_t stream_reads)
{
	size_t total = 0;
	int k;

	histenv_init(h);
	h->fl.page_size = 40;
	h->eo.stream_reads = stream_reads;
	seed(h, ng, streams, n);
	histenv_run(h);
	for (k = 0; k < ng; k++)
		total += (size_t)n[k];
	assert_int_equal(h->status, ENGINE_OK);
	assert_int_equal(h->nout, total);
	assert_int_equal(h->disorder, 0);
}

/*
 * One group of 40 streams with 15 pages of events, under the cap of 50:
 * 40 requests at least against 15 pages on FilterLogEvents, so it is
 * listed and stays (a fixed count of 50 moved it).
 */
static void
test_many_small_streams_stay(void **state)
{
	static const int streams[] = {40}, n[] = {600};
	struct histenv a, b;

	(void)state;
	read_all(&a, 1, streams, n, 0);
	read_all(&b, 1, streams, n, 50);
	assert_string_equal(a.out.data, b.out.data);
	assert_int_equal(b.fl.describe_requests, 1);
	assert_int_equal(b.fl.get_requests, 0);
	assert_int_equal(b.st.get_groups, 0);
	histenv_free(&a);
	histenv_free(&b);
}

/*
 * One group of 10 streams with 75 pages: GetLogEvents reads it sooner, so
 * it moves, every stream read on its own, the same bytes. The cap still
 * rules: at 9 it stays.
 */
static void
test_ten_big_streams_move(void **state)
{
	static const int streams[] = {10}, n[] = {3000};
	struct histenv a, b, c;

	(void)state;
	read_all(&a, 1, streams, n, 0);
	read_all(&b, 1, streams, n, 50);
	assert_string_equal(a.out.data, b.out.data);
	assert_int_equal(b.st.get_groups, 1);
	assert_int_equal(b.st.get_streams, 10);
	assert_true(b.fl.get_requests > 10);
	assert_true(b.fl.filter_requests < a.fl.filter_requests / 4);
	read_all(&c, 1, streams, n, 9);
	assert_string_equal(a.out.data, c.out.data);
	assert_int_equal(c.st.get_groups, 0);
	assert_int_equal(c.fl.get_requests, 0);
	histenv_free(&a);
	histenv_free(&b);
	histenv_free(&c);
}

/*
 * Groups of every kind at once: big ones with 10 and 25 streams move
 * while FilterLogEvents keeps enough (the pools' loads), the one of many
 * small streams and the short one stay; every event once and in order,
 * the FilterLogEvents-only bytes, within the memory budget.
 */
static void
test_mixed(void **state)
{
	static const int streams[] = {10, 40, 25, 10, 1, 10, 10};
	static const int n[] = {3000, 600, 3000, 3000, 30, 3000, 3000};
	struct histenv a, b;

	(void)state;
	read_all(&a, 7, streams, n, 0);
	read_all(&b, 7, streams, n, 50);
	assert_string_equal(a.out.data, b.out.data);
	assert_true(b.st.get_groups >= 2 && b.st.get_groups <= 5);
	assert_null(strstr(b.notices, "'/g/01'"));
	assert_null(strstr(b.notices, "'/g/04'"));
	assert_true(b.st.peak_held_pages <= ENGINE_MEM_PAGES);
	print_message("moved %zu groups (%zu streams): %d Get, %d Filter "
		      "(filter only %d)\n",
	    b.st.get_groups, b.st.get_streams, b.fl.get_requests,
	    b.fl.filter_requests, a.fl.filter_requests);
	histenv_free(&a);
	histenv_free(&b);
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_rule),
    cmocka_unit_test(test_many_small_streams_stay),
    cmocka_unit_test(test_ten_big_streams_move),
    cmocka_unit_test(test_mixed),
};

TEST_MAIN(tests)

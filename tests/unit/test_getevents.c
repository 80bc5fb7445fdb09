/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The second quota pool of a history read (engine_get.c): groups with few
 * active streams read stream by stream with GetLogEvents, alongside
 * FilterLogEvents for the others, against the in-memory CloudWatch Logs
 * in virtual time. The output is the FilterLogEvents-only read's, byte
 * for byte, each event once and in order, within the same memory budget;
 * a stream's read ends on its own token coming back and reads on over
 * empty pages; each operation keeps its own budget.
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

/*
 * ngroups groups of n events each over the window; group k has
 * streams[k] streams. Timestamps are distinct within a group (equal ones
 * across groups), with events just outside the window on both sides and
 * one at its very end.
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
			    T0 - 3000000 + (int64_t)i * 1000 + k % 2, -1, m);
		}
		fakelogs_add(&h->fl, g, "s0", h->eo.start - 1, -1, "before");
		fakelogs_add(&h->fl, g, "s0", h->eo.end, -1, "at the end");
		fakelogs_add(&h->fl, g, "s0", h->eo.end + 1, -1, "after");
	}
}

/* The transcript of a read (caller frees). */
static char *
read_all(struct histenv *h, int ngroups, const int *streams, int n,
    size_t stream_reads)
{
	histenv_init(h);
	h->fl.page_size = 40;
	h->eo.stream_reads = stream_reads;
	seed(h, ngroups, streams, n);
	histenv_run(h);
	assert_int_equal(h->status, ENGINE_OK);
	assert_int_equal(h->nout, (size_t)ngroups * (size_t)(n + 1));
	assert_int_equal(h->disorder, 0);
	return (buf_take(&h->out, NULL));
}

/*
 * Six groups, some with few streams and one with many: the read moves
 * some of the few-stream groups to GetLogEvents after their first pages
 * and prints exactly what the FilterLogEvents-only read prints, within the
 * same memory budget.
 */
static void
test_same_output(void **state)
{
	static const int streams[] = {1, 2, 3, 2, 12, 1};
	struct histenv a, b;
	char *x, *y;

	(void)state;
	x = read_all(&a, 6, streams, 300, 0);
	assert_int_equal(a.fl.get_requests, 0);
	assert_int_equal(a.fl.describe_requests, 0);
	y = read_all(&b, 6, streams, 300, 8);
	assert_string_equal(x, y);
	/* The 12-stream group is listed, then read by FilterLogEvents. */
	assert_int_equal(b.fl.describe_requests, 6);
	/* Each few-stream group reads sooner on GetLogEvents; how many move
	 * depends on the pools' loads as they decide. */
	assert_true(b.st.get_groups >= 2 && b.st.get_groups <= 5);
	assert_null(strstr(b.notices, "'/g/04'"));
	assert_true(b.fl.get_requests > 0);
	assert_true(b.fl.filter_requests > 0);
	assert_int_equal(b.st.get_requests, (uint64_t)b.fl.get_requests);
	assert_true(b.st.peak_held_pages <= ENGINE_MEM_PAGES);
	assert_non_null(strstr(b.notices, "with GetLogEvents"));
	print_message("get groups %zu (%zu streams), %d Get, %d Filter; "
		      "filter only: %d Filter\n",
	    b.st.get_groups, b.st.get_streams, b.fl.get_requests,
	    b.fl.filter_requests, a.fl.filter_requests);
	free(x);
	free(y);
	histenv_free(&a);
	histenv_free(&b);
}

/*
 * One group, one stream, 8 pages: after its first pages the read goes on
 * with GetLogEvents, where empty pages with a new token in the middle
 * read on and the token sent coming back ends the read (one request after
 * the last page). Every event once, in order.
 */
static void
test_token_semantics(void **state)
{
	static const int streams[] = {1};
	struct histenv a, b;
	char *x;

	(void)state;
	x = read_all(&a, 1, streams, 300, 0);
	histenv_init(&b);
	b.fl.page_size = 40;
	b.eo.stream_reads = 8;
	seed(&b, 1, streams, 300);
	/* The second GetLogEvents and every other one after it. */
	b.fl.kind_fault_kind = FAKE_OP_GET;
	b.fl.kind_fault_n = 1;
	b.fl.kind_fault_every = 2;
	b.fl.kind_fault = FAULT_EMPTY_ALIAS;
	histenv_run(&b);
	assert_int_equal(b.status, ENGINE_OK);
	assert_string_equal(x, b.out.data);
	assert_int_equal(b.st.get_groups, 1);
	assert_true(b.fl.get_empties >= 3);
	/* Pages with events, the empty ones, and the one that gives the
	 * token back. */
	assert_int_equal(b.fl.get_requests,
	    (int)((b.fl.get_served + 39) / 40) + b.fl.get_empties + 1);
	/* FilterLogEvents read the start: its pages, and the one cut. */
	assert_true(b.fl.filter_requests >= 2 && b.fl.filter_requests <= 4);
	free(x);
	histenv_free(&a);
	histenv_free(&b);
}

/*
 * The move happens inside a millisecond that spans several pages (200
 * events of two streams stamped alike): FilterLogEvents reads that whole
 * millisecond, GetLogEvents the ones after it; every event once.
 */
static void
test_cut_inside_millisecond(void **state)
{
	struct histenv a, b;
	struct histenv *h;
	char m[32];
	int i, k;

	(void)state;
	for (k = 0; k < 2; k++) {
		h = k == 0 ? &a : &b;
		histenv_init(h);
		h->fl.page_size = 40;
		h->eo.stream_reads = k == 0 ? 0 : 8;
		h->src[h->nsrc++].group = xstrdup("/g/00");
		for (i = 0; i < 600; i++) {
			snprintf(m, sizeof m, "e%03d", i);
			fakelogs_add(&h->fl, "/g/00", i % 2 ? "a" : "b",
			    i < 40    ? T0 - 3000000 + i
			    : i < 240 ? T0 - 2999000
				      : T0 - 2999000 + i * 1000,
			    -1, m);
		}
		histenv_run(h);
		assert_int_equal(h->status, ENGINE_OK);
		assert_int_equal(h->nout, 600);
	}
	assert_string_equal(a.out.data, b.out.data);
	assert_int_equal(b.st.get_groups, 1);
	assert_non_null(strstr(b.notices, "reading on from 1699997001000"));
	histenv_free(&a);
	histenv_free(&b);
}

/* Requests of kind in any second never exceed the bucket's bound. */
static void
check_budget(struct fakelogs *fl, int kind, double rps)
{
	double burst = rps < 1 ? 1 : (rps > 5 ? 5 : rps);
	int i, j, n, total = 0;

	for (i = 0; i < fl->requests; i++) {
		if (fl->req_kinds[i] != kind)
			continue;
		total++;
		n = 0;
		for (j = i; j < fl->requests; j++) {
			if (fl->req_kinds[j] == kind &&
			    fl->req_times[j] < fl->req_times[i] + 1000)
				n++;
		}
		assert_true((double)n <= burst + rps);
	}
	assert_true(total > 0);
}

/*
 * Each operation keeps its own budget: with small ones, FilterLogEvents,
 * GetLogEvents and DescribeLogStreams each stay within theirs in every
 * second of the read, and a throttled GetLogEvents slows its own pool.
 */
static void
test_budgets(void **state)
{
	static const int streams[] = {1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2};
	struct histenv h;

	(void)state;
	histenv_init(&h);
	h.fl.page_size = 20;
	h.eo.stream_reads = 8;
	h.eo.max_rps = 2;
	h.eo.get_rps = 3;
	h.eo.describe_rps = 1.5;
	seed(&h, 12, streams, 100);
	h.fl.kind_fault_kind = FAKE_OP_GET;
	h.fl.kind_fault_n = 3;
	h.fl.kind_fault = FAULT_THROTTLE;
	histenv_run(&h);
	assert_int_equal(h.status, ENGINE_OK);
	assert_int_equal(h.nout, 12 * 101);
	assert_int_equal(h.disorder, 0);
	check_budget(&h.fl, FAKE_OP_FILTER, 2);
	check_budget(&h.fl, FAKE_OP_GET, 3);
	check_budget(&h.fl, FAKE_OP_DESCRIBE, 1.5);
	assert_non_null(strstr(h.notices, "slowing GetLogEvents down"));
	histenv_free(&h);
}

/*
 * When it does not apply: a filter pattern (GetLogEvents has none) or a
 * short read (one page) lists nothing; a group with more active streams
 * than allowed stays on FilterLogEvents; a stream whose last ingestion is
 * long before the window does not count.
 */
static void
test_when_not(void **state)
{
	static const int streams[] = {3};
	struct histenv h;

	(void)state;
	histenv_init(&h);
	h.eo.stream_reads = 8;
	h.eo.pattern = "#";
	seed(&h, 1, streams, 50);
	histenv_run(&h);
	assert_int_equal(h.status, ENGINE_OK);
	assert_int_equal(h.fl.describe_requests, 0);
	assert_int_equal(h.fl.get_requests, 0);
	histenv_free(&h);

	histenv_init(&h);
	h.eo.stream_reads = 8;
	seed(&h, 1, streams, 50);
	histenv_run(&h);
	assert_int_equal(h.nout, 51);
	assert_int_equal(h.fl.filter_requests, 1);
	assert_int_equal(h.fl.describe_requests, 0);
	histenv_free(&h);

	histenv_init(&h);
	h.eo.stream_reads = 2;
	h.fl.page_size = 10;
	seed(&h, 1, streams, 50);
	histenv_run(&h);
	assert_int_equal(h.nout, 51);
	assert_int_equal(h.fl.describe_requests, 1);
	assert_int_equal(h.fl.get_requests, 0);
	histenv_free(&h);

	/* Three streams in pages of two: two listings; a fourth stream
	 * last written a day before the window does not count. */
	histenv_init(&h);
	h.eo.stream_reads = 3;
	h.fl.streams_page = 2;
	h.fl.page_size = 10;
	seed(&h, 1, streams, 50);
	fakelogs_add(&h.fl, "/g/00", "old", T0 - 86400000 * 2, -1, "old");
	histenv_run(&h);
	assert_int_equal(h.nout, 51);
	assert_int_equal(h.fl.describe_requests, 2);
	assert_int_equal(h.st.get_streams, 3);
	histenv_free(&h);
}

/*
 * A policy without logs:GetLogEvents: the first stream's read is denied,
 * so it and every other stream of the plan are read with FilterLogEvents
 * (logStreamNames), one warning, the same output. Denied after a page, the
 * read fails (what it read cannot be taken back).
 */
static void
test_denied(void **state)
{
	static const int streams[] = {2, 3, 1};
	struct histenv a, b;
	char *x;
	int i, first = 0, gets = 0;

	(void)state;
	x = read_all(&a, 3, streams, 120, 0);
	histenv_init(&b);
	b.fl.page_size = 40;
	b.eo.stream_reads = 8;
	seed(&b, 3, streams, 120);
	b.fl.deny_get = 1;
	histenv_run(&b);
	assert_int_equal(b.status, ENGINE_OK);
	assert_string_equal(x, b.out.data);
	/* None is sent after the first denial is in (at the same instant,
	 * one may go before it is read). */
	for (i = 0; i < b.fl.requests; i++) {
		if (b.fl.req_kinds[i] != FAKE_OP_GET)
			continue;
		if (gets++ == 0)
			first = i;
		assert_true(b.fl.req_times[i] <=
			    b.fl.req_times[first] + b.fl.latency_ms);
	}
	assert_true(gets >= 1);
	assert_non_null(strstr(b.notices, "GetLogEvents is denied"));
	free(x);
	histenv_free(&a);
	histenv_free(&b);

	histenv_init(&b);
	b.fl.page_size = 40;
	b.eo.stream_reads = 8;
	seed(&b, 1, streams + 2, 120);
	b.fl.kind_fault_kind = FAKE_OP_GET;
	b.fl.kind_fault_n = 1;
	b.fl.kind_fault = FAULT_DENIED;
	histenv_run(&b);
	assert_int_equal(b.status, ENGINE_ERR_ACCESS);
	assert_non_null(strstr(b.cause, "GetLogEvents on '/g/00'"));
	histenv_free(&b);
}

/* The decoders: GetLogEvents' forward token, DescribeLogStreams' times. */
static void
test_decode(void **state)
{
	static const char get[] =
	    "{\"events\":[{\"timestamp\":2,\"message\":\"b\","
	    "\"ingestionTime\":3},{\"timestamp\":1,\"message\":\"a\"}],"
	    "\"nextForwardToken\":\"f/1\",\"nextBackwardToken\":\"b/0\"}";
	static const char ls[] =
	    "{\"logStreams\":[{\"logStreamName\":\"x\","
	    "\"firstEventTimestamp\":5,\"lastIngestionTime\":9},"
	    "{\"logStreamName\":\"y\"},{\"bad\":1}],\"nextToken\":\"t\"}";
	struct page *p = NULL;
	struct logs_stream *s = NULL;
	char *next = NULL, *cause = NULL;
	size_t n;

	(void)state;
	assert_int_equal(
	    logs_get_decode(get, strlen(get), &p, &next, &cause), 0);
	assert_int_equal(p->n, 2);
	assert_int_equal(p->ev[0].ts, 1);
	assert_int_equal(p->ev[0].ingest, 1);
	assert_int_equal(p->ev[1].ingest, 3);
	assert_string_equal(next, "f/1");
	page_free(p);
	free(next);
	assert_int_equal(
	    logs_get_decode("{\"events\":[", 11, &p, &next, &cause), -1);
	assert_non_null(strstr(cause, "bad GetLogEvents response"));
	free(cause);
	assert_int_equal(
	    logs_streams_decode(ls, strlen(ls), &s, &n, &next, &cause), 0);
	assert_int_equal(n, 2);
	assert_string_equal(s[0].name, "x");
	assert_int_equal(s[0].first_event, 5);
	assert_int_equal(s[0].last_ingestion, 9);
	assert_int_equal(s[1].last_ingestion, LOGS_TIME_UNSET);
	assert_string_equal(next, "t");
	logs_streams_free(s, n);
	free(next);
	assert_int_equal(logs_streams_decode(
			     "{\"logStreams\":3}", 16, &s, &n, &next, &cause),
	    -1);
	free(cause);
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_same_output),
    cmocka_unit_test(test_token_semantics),
    cmocka_unit_test(test_cut_inside_millisecond),
    cmocka_unit_test(test_budgets),
    cmocka_unit_test(test_when_not),
    cmocka_unit_test(test_denied),
    cmocka_unit_test(test_decode),
};

TEST_MAIN(tests)

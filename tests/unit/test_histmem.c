/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The history read's memory budget (engine_opts.max_mem_pages) with many
 * groups, against the in-memory CloudWatch Logs in virtual time: pages in
 * memory and in flight never exceed it, whatever the number of groups;
 * pages over it go to disk and come back in chunks; the output is the one
 * an unbounded read prints, in order; no deadlock when every group has one
 * page waiting; the read goes on when the disk refuses.
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
#include "histenv.h"
#include "logs/engine.h"
#include "logs/logs.h"
#include "logs/source.h"

#define T0 HISTENV_T0
#define NGROUPS 40

/*
 * ngroups groups of n events each, interleaved in time (every group
 * covers the whole window, so the merge needs a page of each at once),
 * with equal timestamps across groups, messages of about msg_bytes.
 */
static void
seed(struct histenv *h, int ngroups, int n, int msg_bytes)
{
	char g[32], *m;
	int i, k, len;

	m = xmalloc((size_t)msg_bytes + 64);
	for (k = 0; k < ngroups; k++) {
		snprintf(g, sizeof g, "/g/%02d", k);
		h->src[h->nsrc].group = xstrdup(g);
		h->nsrc++;
		for (i = 0; i < n; i++) {
			len = snprintf(m, 64, "%s #%d ", g, i);
			while (len < msg_bytes) {
				m[len] = (char)('a' + (i + k + len) % 26);
				len++;
			}
			m[len] = '\0';
			fakelogs_add(&h->fl, g, i % 2 ? "s1" : "s2",
			    T0 - 3000000 + (int64_t)i * 1000 + (i % 3 ? k : 0),
			    -1, m);
		}
	}
	free(m);
}

/* The first request of a read fails this way (FAULT_NONE: none). */
static enum fake_fault first_fault;

/* The transcript of a read of the seeded data with budget max_mem_pages
 * (caller frees); *st gets its statistics. */
static char *
read_all(struct histenv *h, size_t max_mem_pages, int page_size, int n,
    int msg_bytes, struct engine_stats *st)
{
	histenv_init(h);
	h->eo.max_rps = 1000;
	if (first_fault != FAULT_NONE) {
		fakelogs_fault(&h->fl, 0, first_fault);
		h->fl.retry_after = "3";
	}
	h->fl.page_size = page_size;
	h->eo.max_mem_pages = max_mem_pages;
	seed(h, NGROUPS, n, msg_bytes);
	histenv_run(h);
	assert_int_equal(h->status, ENGINE_OK);
	assert_int_equal(h->nout, (size_t)NGROUPS * (size_t)n);
	assert_int_equal(h->disorder, 0);
	assert_int_equal(h->late, 0);
	*st = h->st;
	return (buf_take(&h->out, NULL));
}

/*
 * 40 groups, 20 pages each: without a budget (or a very large one) the
 * read holds pages for every group; with the default one it never holds
 * more than 4 pages, decoded or in flight, and prints the same bytes.
 */
static void
test_budget_40_groups(void **state)
{
	struct histenv h;
	struct engine_stats big, dflt;
	char *a, *b;

	(void)state;
	a = read_all(&h, 1000, 10, 200, 100, &big);
	histenv_free(&h);
	/* Unbounded, memory grows with the groups: the test can tell. */
	assert_true(big.peak_held_pages > 2 * NGROUPS / 2);
	assert_int_equal(big.budget_spills, 0);

	b = read_all(&h, 0, 10, 200, 100, &dflt);
	assert_string_equal(a, b);
	assert_true(dflt.peak_held_pages <= ENGINE_MEM_PAGES);
	assert_true(dflt.peak_mem_pages < ENGINE_MEM_PAGES);
	assert_true(dflt.budget_spills > 0);
	assert_true(dflt.spilled >= dflt.budget_spills);
	/* Chunks read back stay within their fixed share. */
	assert_true(dflt.peak_chunk_bytes <= 2 * 1024 * 1024);
	print_message("40 groups: %zu pages held at most without a budget, "
		      "%zu with it (%zu spilled, %zu KiB of chunks)\n",
	    big.peak_held_pages, dflt.peak_held_pages, dflt.budget_spills,
	    dflt.peak_chunk_bytes / 1024);
	free(a);
	free(b);
	histenv_free(&h);
}

/*
 * Pages larger than a chunk (100 events of ~700 bytes: 70 KB of strings,
 * chunks of 26 KB at 40 feeds) are read back in several chunks, and the
 * smallest budget (2) still reads everything in order.
 */
static void
test_budget_chunks_smallest(void **state)
{
	struct histenv h;
	struct engine_stats big, small;
	char *a, *b;

	(void)state;
	a = read_all(&h, 1000, 100, 300, 700, &big);
	histenv_free(&h);
	b = read_all(&h, 2, 100, 300, 700, &small);
	assert_string_equal(a, b);
	assert_true(small.peak_held_pages <= 2);
	assert_true(small.budget_spills > 0);
	/* Several chunks per page: a chunk holds less than a page. */
	assert_true(small.peak_chunk_bytes < (size_t)NGROUPS * 100 * 700);
	free(a);
	free(b);
	histenv_free(&h);
}

/*
 * Every group has one page, all waiting at once: the budget holds one or
 * two of them, the rest go to disk, and the merge still gets a head from
 * every group (no deadlock).
 */
static void
test_budget_one_page_each(void **state)
{
	struct histenv h;
	struct engine_stats big, small;
	char *a, *b;

	(void)state;
	a = read_all(&h, 1000, 10000, 50, 100, &big);
	histenv_free(&h);
	assert_int_equal(big.requests, NGROUPS);
	b = read_all(&h, 2, 10000, 50, 100, &small);
	assert_string_equal(a, b);
	assert_int_equal(small.requests, NGROUPS);
	assert_true(small.peak_held_pages <= 2);
	assert_true(small.budget_spills >= NGROUPS - 2);
	free(a);
	free(b);
	histenv_free(&h);
}

/* No usable TMPDIR: the budget is kept by waiting (a feed with nothing
 * buffered may still fetch), one notice, the same output. */
static void
test_budget_no_disk(void **state)
{
	struct histenv h;
	struct engine_stats big, st;
	char *a, *b, *old;

	(void)state;
	a = read_all(&h, 1000, 10, 200, 100, &big);
	histenv_free(&h);
	old = getenv("TMPDIR") ? xstrdup(getenv("TMPDIR")) : NULL;
	setenv("TMPDIR", "/nonexistent/apilogs-test", 1);
	b = read_all(&h, 0, 10, 200, 100, &st);
	if (old != NULL)
		setenv("TMPDIR", old, 1);
	else
		unsetenv("TMPDIR");
	free(old);
	assert_string_equal(a, b);
	assert_int_equal(st.spilled, 0);
	assert_non_null(strstr(h.notices, "cannot read ahead to disk in "
					  "/nonexistent/apilogs-test"));
	assert_null(strstr(
	    strstr(h.notices, "cannot read ahead") + 1, "cannot read ahead"));
	/* Without a disk the merge needs a page of every group in memory:
	 * one per group at most beyond the budget. */
	assert_true(st.peak_mem_pages <= NGROUPS + ENGINE_MEM_PAGES);
	free(a);
	free(b);
	histenv_free(&h);
}

/*
 * The disk fills up in the middle of the read (a file size limit): the
 * pages already on disk are read back first, then the read goes on in
 * memory. Same output, one notice. The first group's first answer is a
 * throttle with Retry-After: 3 s: meanwhile the others read ahead, two
 * pages per spill file.
 */
static void
test_budget_disk_full(void **state)
{
	struct histenv h;
	struct engine_stats big, st;
	struct rlimit old, lim;
	void (*oldsig)(int);
	char *a, *b;

	(void)state;
	a = read_all(&h, 1000, 100, 300, 700, &big);
	histenv_free(&h);
	assert_int_equal(getrlimit(RLIMIT_FSIZE, &old), 0);
	lim = old;
	lim.rlim_cur = 100000; /* one page (70 KB) per spill file */
	oldsig = signal(SIGXFSZ, SIG_IGN);
	/* Nothing else writes a file until the limit is lifted again. */
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &lim), 0);
	first_fault = FAULT_THROTTLE;
	b = read_all(&h, 0, 100, 300, 700, &st);
	first_fault = FAULT_NONE;
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &old), 0);
	signal(SIGXFSZ, oldsig);
	print_message("disk full: %zu spilled, %zu pages in memory at most\n",
	    st.spilled, st.peak_mem_pages);
	assert_string_equal(a, b);
	assert_true(st.spilled > 0);
	assert_non_null(strstr(h.notices, "cannot read ahead to disk"));
	assert_null(strstr(
	    strstr(h.notices, "cannot read ahead") + 1, "cannot read ahead"));
	free(a);
	free(b);
	histenv_free(&h);
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_budget_40_groups),
    cmocka_unit_test(test_budget_chunks_smallest),
    cmocka_unit_test(test_budget_one_page_each),
    cmocka_unit_test(test_budget_no_disk),
    cmocka_unit_test(test_budget_disk_full),
};

TEST_MAIN(tests)

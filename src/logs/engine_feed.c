/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The life of a feed, whatever its kind (a source's history read, one of
 * its time slices, a follow poller): made by feed_new(), freed by
 * feed_free(), which takes it off every list it may be on and cancels or
 * closes all it still holds (its request, its timer, its spill file, its
 * pages). Nothing else allocates or frees a feed.
 */

#include <stdlib.h>
#include <string.h>

#include "aws/loop.h"
#include "core/xmalloc.h"
#include "logs/dedup.h"
#include "logs/engine_int.h"
#include "logs/logs.h"
#include "logs/source.h"

/*
 * A new idle feed of source srcidx over the engine's window, reading the
 * stream names given (copied pointers into the source, or none), added to
 * e->feeds. The engine owns it; feed_free() ends it.
 */
struct feed *
feed_new(struct engine *e, uint32_t srcidx, const char **names, size_t nnames)
{
	struct feed *f;

	f = xcalloc(1, sizeof *f);
	f->eng = e;
	f->src = e->srcs[srcidx];
	f->srcidx = srcidx;
	if (nnames > 0) {
		f->names = xreallocarray(NULL, nnames, sizeof *f->names);
		memcpy(f->names, names, nnames * sizeof *names);
		f->nnames = nnames;
	}
	f->start = e->o.start;
	f->end = e->o.end;
	f->state = FEED_IDLE;
	f->heap_pos = -1;
	f->cut = LOGS_TIME_UNSET;
	f->spill_fd = -1; /* 0 is a valid descriptor */
	e->feeds = xreallocarray(e->feeds, e->nfeeds + 1, sizeof *e->feeds);
	e->feeds[e->nfeeds++] = f;
	e->st.feeds++;
	return (f);
}

/* Take f off a rate-limit queue (head/tail) if it is there. */
static void
feed_unqueue(struct feed **head, struct feed **tail, struct feed *f)
{
	struct feed **pp, *prev = NULL;

	for (pp = head; *pp != NULL; prev = *pp, pp = &(*pp)->wait_next) {
		if (*pp == f) {
			*pp = f->wait_next;
			if (*tail == f)
				*tail = prev;
			f->wait_next = NULL;
			return;
		}
	}
}

/*
 * Free a feed: cancel its request (its callback never runs) and its timer,
 * take it off the rate-limit queues, close its spill file and free its
 * pages (queued, and held after the spill file). The caller removes it from
 * e->feeds and the history heap (as feed_free_all does).
 */
void
feed_free(struct engine *e, struct feed *f)
{
	struct page *p, *next;

	if (f == NULL)
		return;
	if (f->op != NULL) {
		logs_op_cancel(f->op);
		f->op = NULL;
		e->inflight--;
	}
	loop_timer_cancel(e->loop, f->timer);
	f->timer = 0;
	if (f->queued) {
		feed_unqueue(&e->wq_head, &e->wq_tail, f);
		feed_unqueue(&e->bq_head, &e->bq_tail, f);
		feed_unqueue(&e->gq_head, &e->gq_tail, f);
	}
	spill_close(e, f);
	for (p = f->qhead; p != NULL; p = next) {
		next = p->link;
		if (p->chunk)
			e->chunk_mem -= p->bytes;
		else
			e->mem_pages--;
		page_free(p);
	}
	for (p = f->ohead; p != NULL; p = next) {
		next = p->link;
		page_free(p);
		e->mem_pages--;
	}
	feed_read_reset(f);
	free(f->names);
	free(f->token);
	free(f->gstream); /* after the pages, whose events point to it */
	free(f);
}

/* Free every feed of the engine (history ends, or the engine goes). */
void
feed_free_all(struct engine *e)
{
	size_t i;

	for (i = 0; i < e->nfeeds; i++)
		feed_free(e, e->feeds[i]);
	e->nfeeds = 0;
	heap_clear(&e->heap);
	e->st.feeds = 0;
	e->st.feeds_done = 0;
}

/* A page may come back (at most this often per read) after an empty page
 * whose token leads to the same place. */
#define FEED_MAX_AGAIN 3

/* The operation f reads with, for messages. */
const char *
feed_op(const struct feed *f)
{
	return (f->get ? "GetLogEvents" : "FilterLogEvents");
}

/* The key of a page: its events' keys, folded (never 0). */
static uint64_t
feed_page_key(const struct page *p)
{
	uint64_t h = 0x9e3779b97f4a7c15ULL;
	size_t i;

	for (i = 0; i < p->n; i++) {
		h ^= dedup_event_key(0, &p->ev[i]);
		h *= 0x100000001b3ULL;
		h ^= h >> 29;
	}
	return (h == 0 ? 1 : h);
}

/*
 * Pagination guard of one read: a history feed (or slice) from its first
 * page to its last, or one follow poll. A returned token the read saw
 * before (A, B, A), other than the one just sent, would loop forever; so
 * would a page returned before under a fresh token (a server that ignores
 * nextToken). Both are FEED_PAGE_CYCLE with one line in *cause (caller
 * frees); that page is not to be used. Tolerated, because CloudWatch does
 * it: the token that was sent coming back (repeated: the caller handles
 * it), and a page coming back after an empty page whose token leads to the
 * same place (FEED_PAGE_AGAIN, a few times per read: its events were
 * delivered already). Only 64-bit hashes are kept, for this read only.
 */
enum feed_page
feed_check_page(struct feed *f, const struct page *p, const char *next,
    int repeated, char **cause)
{
	int empty = p->n == 0;

	*cause = NULL;
	f->read_pages++;
	if (f->seen == NULL)
		f->seen = dedup_new();
	if (next != NULL && !repeated &&
	    !dedup_add(f->seen, UINT32_MAX, next, strlen(next), 0)) {
		*cause = xprintf("%s on '%s' returned a page "
				 "token it had returned before (after %zu "
				 "pages): the read would never end",
		    feed_op(f), f->src->group, f->read_pages);
		return (FEED_PAGE_CYCLE);
	}
	if (!empty && !repeated &&
	    !dedup_add_key(f->seen, feed_page_key(p), 0)) {
		if (f->last_empty && f->again < FEED_MAX_AGAIN) {
			f->again++;
			f->last_empty = 0;
			return (FEED_PAGE_AGAIN);
		}
		*cause = xprintf("%s on '%s' returned a page it "
				 "had returned before under another token "
				 "(after %zu pages): the read would never end",
		    feed_op(f), f->src->group, f->read_pages);
		return (FEED_PAGE_CYCLE);
	}
	f->last_empty = empty;
	return (FEED_PAGE_NEW);
}

/* Forget the pagination of f's read (a new follow poll, or the end). */
void
feed_read_reset(struct feed *f)
{
	dedup_free(f->seen);
	f->seen = NULL;
	f->read_pages = 0;
	f->last_empty = 0;
	f->again = 0;
}

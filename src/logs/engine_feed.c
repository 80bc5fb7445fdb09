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
 * pages. The caller removes it from e->feeds and the history heap (as
 * feed_free_all does).
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
	}
	spill_close(e, f);
	for (p = f->qhead; p != NULL; p = next) {
		next = p->link;
		page_free(p);
		e->mem_pages--;
	}
	free(f->names);
	free(f->token);
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

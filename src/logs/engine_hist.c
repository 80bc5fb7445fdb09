/* SPDX-License-Identifier: Apache-2.0 */
/*
 * History: bounded page queues per feed and a k-way merge (a binary heap
 * of feeds keyed by their head event). An event is emitted only while no
 * live feed is waiting for its next page, so output is in exact order.
 */

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "aws/loop.h"
#include "core/xmalloc.h"
#include "logs/engine_int.h"
#include "logs/logs.h"
#include "logs/source.h"

static struct event *
hist_head(struct feed *f)
{
	return (f->qhead == NULL ? NULL : &f->qhead->ev[f->qhead->next]);
}

static int
hist_less(const void *a, const void *b)
{
	return (event_cmp(hist_head((struct feed *)a),
		    hist_head((struct feed *)b)) < 0);
}

static void
hist_moved(void *item, long pos)
{
	((struct feed *)item)->heap_pos = pos;
}

/* Set up the history merge. */
void
hist_init(struct engine *e)
{
	heap_init(&e->heap, hist_less, hist_moved);
}

/* Is f the slice being printed (every earlier slice finished)? */
int
hist_feed_active(const struct feed *f)
{
	const struct feed *p;

	for (p = f->prev_slice; p != NULL; p = p->prev_slice) {
		if (p->state != FEED_DONE || p->qhead != NULL ||
		    p->nspilled > 0)
			return (0);
	}
	return (1);
}

/* Count a page in or out of memory. */
static void
hist_mem(struct engine *e, int delta)
{
	e->mem_pages += (size_t)delta;
	if (e->mem_pages > e->st.peak_mem_pages)
		e->st.peak_mem_pages = e->mem_pages;
}

static void
hist_enqueue(struct engine *e, struct feed *f, struct page *p)
{
	p->next = 0;
	p->link = NULL;
	if (f->qhead == NULL) {
		f->qhead = f->qtail = p;
		heap_push(&e->heap, f);
	} else {
		f->qtail->link = p;
		f->qtail = p;
	}
	f->npages++;
	hist_mem(e, 1);
}

/* Refill f's memory queue from its spill file, oldest first. */
static void
hist_refill(struct engine *e, struct feed *f)
{
	struct page *p;
	char *cause = NULL;

	while (f->nspilled > 0 && f->npages < e->o.max_pages) {
		p = spill_read(e, f, &cause);
		if (p == NULL) {
			engine_fail(e, ENGINE_ERR_AWS, "%s", cause);
			free(cause);
			return;
		}
		hist_enqueue(e, f, p);
	}
	/* The file is read: the pages held after it come next. */
	while (f->nspilled == 0 && f->ohead != NULL) {
		p = f->ohead;
		f->ohead = p->link;
		if (f->ohead == NULL)
			f->otail = NULL;
		f->nover--;
		hist_mem(e, -1);
		hist_enqueue(e, f, p);
	}
}

/* May f fetch another page now? */
static int
hist_may_fetch(struct engine *e, struct feed *f)
{
	/* No disk: a few pages per feed in memory, then back-pressure. */
	if (e->spill_off)
		return (f->npages + f->nover < e->o.max_pages);
	if (f->npages < e->o.max_pages && f->nspilled == 0)
		return (1);
	/* A later slice reads ahead to disk, within the disk budget. */
	return (!hist_feed_active(f) && e->spill_bytes < e->o.spill_max);
}

/* A feed finished (no more pages). */
void
hist_feed_done(struct engine *e, struct feed *f)
{
	if (f->state == FEED_DONE)
		return;
	f->state = FEED_DONE;
	e->st.feeds_done++;
	hist_drain(e);
	if (hist_finished(e))
		e->wake = 1;
}

/* Drop the events of p already seen on f's source (remembering the rest). */
void
hist_drop_seen(struct engine *e, struct feed *f, struct page *p)
{
	struct event *ev;
	size_t i, n = 0;

	for (i = 0; i < p->n; i++) {
		ev = &p->ev[i];
		if (!dedup_add_event(e->dedup, f->srcidx, ev))
			continue;
		if (n != i)
			p->ev[n] = *ev;
		n++;
	}
	p->n = n;
}

/*
 * A page that is not its turn yet (or comes after pages on disk): on disk
 * behind the feed's earlier ones. When the disk refuses, now or before,
 * the read goes on without it (one notice): the page waits in memory,
 * after the spilled pages if there are any (they are read back first),
 * else in the feed's queue; hist_may_fetch then holds the feed to a few
 * pages.
 */
static void
hist_park(struct engine *e, struct feed *f, struct page *p)
{
	const char *dir;

	if (!e->spill_off) {
		if (spill_write(e, f, p) == 0) {
			page_free(p);
			return;
		}
		dir = getenv("TMPDIR");
		e->spill_off = 1;
		engine_notice(e, ENGINE_NOTICE_INFO,
		    "cannot read ahead to disk in %s (%s); reading ahead in "
		    "memory only",
		    dir != NULL && *dir != '\0' ? dir : "/tmp",
		    strerror(errno));
	}
	if (f->nspilled == 0) {
		hist_enqueue(e, f, p);
		return;
	}
	p->link = NULL;
	if (f->otail != NULL)
		f->otail->link = p;
	else
		f->ohead = p;
	f->otail = p;
	f->nover++;
	hist_mem(e, 1);
}

/* A decoded page of a feed arrived. */
void
hist_page(struct engine *e, struct feed *f, struct page *p)
{
	struct event *ev;
	size_t i, n = 0;

	/* Client-side stream selection and tagging. */
	for (i = 0; i < p->n; i++) {
		ev = &p->ev[i];
		if (!source_stream_ok(f->src, ev->stream, ev->stream_len))
			continue;
		ev->src = f->srcidx;
		ev->seq = e->seq++;
		if (n != i)
			p->ev[n] = *ev;
		n++;
	}
	p->n = n;
	if (n == 0)
		page_free(p);
	else if (f->nspilled > 0 || !hist_feed_active(f))
		hist_park(e, f, p);
	else
		hist_enqueue(e, f, p);
	if (f->token == NULL) {
		hist_feed_done(e, f);
		return;
	}
	if (hist_may_fetch(e, f))
		engine_request(e, f);
	else
		f->paused = 1;
	hist_drain(e);
}

/*
 * Split a long read of one source into time slices, after its first page:
 * that page covered [start, last] of the window, so the rest will take
 * about (end - start) / (last - start) pages. The first feed goes on to a
 * cut; the slices after it start fetching at once (reading ahead to disk).
 */
void
hist_split(struct engine *e, struct feed *f, const struct page *p)
{
	struct feed *s, *prev = f;
	int64_t start, end, last, b, width;
	size_t k, nslices;
	uint64_t pages;

	if (f->split_done)
		return;
	f->split_done = 1;
	if (e->o.max_slices < 2 || f->token == NULL || p->n == 0 ||
	    f->prev_slice != NULL || f->nnames > 0 || f->src->nstream_names > 0)
		return;
	start = f->start != LOGS_TIME_UNSET ? f->start : p->ev[0].ts;
	end = e->hist_end;
	last = p->ev[p->n - 1].ts;
	if (end == LOGS_TIME_UNSET || last < start || end - last < 2)
		return;
	/* Measured from the first event, not the window's start: the window
	 * often begins long before the data. */
	pages =
	    (uint64_t)(end - p->ev[0].ts) / (uint64_t)(last - p->ev[0].ts + 1);
	if (pages < 3)
		return;
	/* Only when reading on alone would be slow: slices cost requests at
	 * the cuts and, with the disk read-ahead, CPU. */
	if ((double)(pages - 1) * e->latency_ms < 2000.0)
		return;
	nslices = e->o.max_slices - 1;
	if (pages - 1 < nslices)
		nslices = (size_t)(pages - 1);
	b = start + (end - start) / (int64_t)(nslices + 1);
	if (b < last)
		b = last;
	width = (end - b) / (int64_t)nslices;
	if (width < 1)
		return;
	f->cut = b;
	for (k = 0; k < nslices; k++) {
		s = feed_new(e, f->srcidx, NULL, 0);
		s->start = b + 1;
		b = k + 1 == nslices ? end : b + width;
		s->end = b;
		s->split_done = 1;
		s->prev_slice = prev;
		prev->next_slice = s;
		prev = s;
		e->st.slices++;
	}
	engine_notice(e, ENGINE_NOTICE_DEBUG,
	    "'%s': about %llu pages at %.0f ms "
	    "each: reading %zu more time slices in parallel",
	    f->src->group, (unsigned long long)pages, e->latency_ms, nslices);
	for (s = f->next_slice; s != NULL; s = s->next_slice)
		engine_request(e, s);
}

/*
 * Until when may events be emitted? An event may go out only if no live
 * feed without a head could still deliver an event at or before it: a
 * feed's events are never older than its window's start, so a later slice
 * does not hold up this one. Returns the smallest start of such a feed
 * (LOGS_TIME_UNSET, the smallest int64, when one has no start); events
 * strictly older may be emitted. Feeds change state only at page
 * boundaries, so the caller recomputes it there. (No counter: a slice can
 * finish with its pages on disk and get a head later, which a counter of
 * waiting feeds got wrong. There are few feeds.)
 */
static int64_t
hist_bound(struct engine *e)
{
	struct feed *f;
	int64_t bound = INT64_MAX;
	size_t i;

	for (i = 0; i < e->nfeeds; i++) {
		f = e->feeds[i];
		if (f->qhead != NULL ||
		    (f->state == FEED_DONE && f->nspilled == 0))
			continue;
		if (f->start < bound)
			bound = f->start;
	}
	return (bound);
}

/* Emit events while the merge allows (see hist_bound). */
void
hist_drain(struct engine *e)
{
	struct feed *f;
	struct page *p;
	struct event *ev;
	int64_t bound;
	size_t i;

	/* A slice whose turn came has its pages on disk: load them. */
	for (i = 0; i < e->nfeeds; i++) {
		f = e->feeds[i];
		if (f->qhead == NULL && f->nspilled > 0 && hist_feed_active(f))
			hist_refill(e, f);
	}
	bound = hist_bound(e);
	while (!e->done && e->heap.n > 0) {
		f = heap_top(&e->heap);
		p = f->qhead;
		ev = &p->ev[p->next];
		if (ev->ts >= bound)
			break;
		if (engine_emit_event(e, ev, f->src) != 0)
			return;
		if (++p->next < p->n) {
			heap_fix(&e->heap, 0);
			continue;
		}
		f->qhead = p->link;
		if (f->qhead == NULL)
			f->qtail = NULL;
		f->npages--;
		hist_mem(e, -1);
		page_free(p);
		if (f->qhead == NULL && f->nspilled > 0)
			hist_refill(e, f);
		if (f->qhead != NULL)
			heap_fix(&e->heap, 0);
		else
			heap_pop(&e->heap);
		hist_refill(e, f);
		/* Back-pressure released: fetch the next page. */
		if (f->paused && hist_may_fetch(e, f)) {
			f->paused = 0;
			engine_request(e, f);
		}
		/* The next slice's turn: it may be paused on its budget. */
		if (f->state == FEED_DONE && f->qhead == NULL &&
		    f->nspilled == 0 && f->next_slice != NULL) {
			hist_refill(e, f->next_slice);
			if (f->next_slice->paused &&
			    hist_may_fetch(e, f->next_slice)) {
				f->next_slice->paused = 0;
				engine_request(e, f->next_slice);
			}
		}
		bound = hist_bound(e);
	}
	if (e->heap.n == 0 && hist_finished(e))
		e->wake = 1;
}

/* Has the history been read and emitted completely? */
int
hist_finished(struct engine *e)
{
	size_t i;

	if (e->heap.n > 0)
		return (0);
	for (i = 0; i < e->nfeeds; i++) {
		if (e->feeds[i]->state != FEED_DONE ||
		    e->feeds[i]->nspilled > 0)
			return (0);
	}
	return (1);
}

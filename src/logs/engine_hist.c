/* SPDX-License-Identifier: Apache-2.0 */
/*
 * History: page queues per feed and a k-way merge (a binary heap of feeds
 * keyed by their head event). An event is emitted only while no live feed
 * is waiting for its next page, so output is in exact order.
 *
 * Memory is bounded whatever the number of feeds: whole decoded pages
 * over all feeds plus the responses in flight (and the one just arrived)
 * never exceed max_mem_pages. engine_pump sends a request only within the
 * budget; an arriving page stays in memory only if that leaves a page of
 * the budget for a request, and otherwise goes to its feed's spill file. A
 * feed whose next page is on disk holds only a chunk of it in memory
 * (HIST_CHUNK_TOTAL bytes of strings shared over the feeds, at least
 * HIST_CHUNK_MIN each), so every feed with pages has a head; fetching never
 * waits for the budget itself while there is a disk, and a request can
 * always be sent: the feed holding the smallest head can always make
 * progress.
 */

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "aws/loop.h"
#include "core/xmalloc.h"
#include "logs/engine_int.h"
#include "logs/logs.h"
#include "logs/source.h"

#define HIST_CHUNK_TOTAL (512 * 1024)
#define HIST_CHUNK_MIN (8 * 1024)

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

/* Note the pages held: whole pages in memory, responses in flight and the
 * one that arrived, if it is not stored yet. */
void
hist_note_held(struct engine *e)
{
	size_t held = e->mem_pages + (size_t)e->inflight + (size_t)e->in_hand;

	if (held > e->st.peak_held_pages)
		e->st.peak_held_pages = held;
}

/* Count a page (whole, or a chunk read back) in or out of memory. */
static void
hist_mem(struct engine *e, const struct page *p, int in)
{
	if (p->chunk) {
		if (in)
			e->chunk_mem += p->bytes;
		else
			e->chunk_mem -= p->bytes;
		if (e->chunk_mem > e->st.peak_chunk_bytes)
			e->st.peak_chunk_bytes = e->chunk_mem;
		return;
	}
	if (in)
		e->mem_pages++;
	else
		e->mem_pages--;
	if (e->mem_pages > e->st.peak_mem_pages)
		e->st.peak_mem_pages = e->mem_pages;
	hist_note_held(e);
}

/* Append p to f's memory queue (f enters the merge if it had no head). */
static void
hist_enqueue(struct engine *e, struct feed *f, struct page *p)
{
	p->next = 0;
	p->link = NULL;
	if (f->qhead == NULL) {
		f->qhead = f->qtail = p;
		if (f->heap_pos < 0)
			heap_push(&e->heap, f);
	} else {
		f->qtail->link = p;
		f->qtail = p;
	}
	if (!p->chunk)
		f->npages++;
	hist_mem(e, p, 1);
}

/* Bytes of strings per chunk read back: a fixed total over the feeds. */
static size_t
hist_chunk_size(struct engine *e)
{
	size_t n = e->nfeeds > 0 ? e->nfeeds : 1;

	if (HIST_CHUNK_TOTAL / n < HIST_CHUNK_MIN)
		return (HIST_CHUNK_MIN);
	return (HIST_CHUNK_TOTAL / n);
}

/*
 * Give f a head again when it has none: the next chunk of its oldest page
 * on disk, or, once the disk holds nothing more of it, the pages held in
 * memory after the spilled ones.
 */
static void
hist_refill(struct engine *e, struct feed *f)
{
	struct page *p;
	char *cause = NULL;

	if (f->qhead == NULL && f->nspilled > 0) {
		p = spill_read(e, f, hist_chunk_size(e), &cause);
		if (p == NULL) {
			engine_fail(e, ENGINE_ERR_AWS, "%s", cause);
			free(cause);
			return;
		}
		hist_enqueue(e, f, p);
	}
	while (f->nspilled == 0 && f->ohead != NULL) {
		p = f->ohead;
		f->ohead = p->link;
		if (f->ohead == NULL)
			f->otail = NULL;
		f->nover--;
		hist_mem(e, p, 0);
		hist_enqueue(e, f, p);
	}
}

/*
 * May f fetch another page now? A feed reads ahead max_pages pages (in
 * memory or on disk); a later slice reads ahead to disk, within the disk
 * budget. Fetching never waits for the memory budget while there is a
 * disk (pages over it are spilled), so the merge cannot starve. Without a
 * disk the budget is kept by waiting, except for a feed with nothing
 * buffered: the merge may be waiting for its next page.
 */
static int
hist_may_fetch(struct engine *e, struct feed *f)
{
	size_t held = f->npages + f->nspilled + f->nover;

	if (!e->spill_off && !hist_feed_active(f))
		return (e->spill_bytes < e->o.spill_max);
	if (held >= e->o.max_pages)
		return (0);
	if (e->spill_off)
		return (held == 0 || e->mem_pages < e->o.max_mem_pages);
	return (1);
}

/* Let the paused feeds that may fetch now go. */
static void
hist_wake(struct engine *e)
{
	struct feed *f;
	size_t i;

	for (i = 0; i < e->nfeeds; i++) {
		f = e->feeds[i];
		if (f->paused && f->state != FEED_DONE &&
		    hist_may_fetch(e, f)) {
			f->paused = 0;
			engine_request(e, f);
		}
	}
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

/* Keep p in memory behind f's pages (after the spilled ones, if any). */
static void
hist_keep(struct engine *e, struct feed *f, struct page *p)
{
	if (f->nspilled == 0 && f->ohead == NULL) {
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
	hist_mem(e, p, 1);
}

/* Write p to f's spill file; when the disk refuses, say so once and go on
 * without it. */
static int
hist_spill(struct engine *e, struct feed *f, struct page *p)
{
	const char *dir;

	if (spill_write(e, f, p) == 0)
		return (0);
	dir = getenv("TMPDIR");
	e->spill_off = 1;
	engine_notice(e, ENGINE_NOTICE_INFO,
	    "cannot read ahead to disk in %s (%s); reading ahead in "
	    "memory only",
	    dir != NULL && *dir != '\0' ? dir : "/tmp", strerror(errno));
	return (-1);
}

/*
 * Where an arriving page goes. Oldest first, a feed's pages are: its
 * memory queue, its spill file, the pages held in memory after that. A
 * page stays in memory when it is its feed's turn and the memory budget
 * (max_mem_pages whole pages over all feeds) allows; else it goes to disk
 * (a later slice reading ahead, or the budget spent), behind the feed's
 * pages held after the spilled ones, which go first. When the disk
 * refuses, now or before, the page stays in memory and hist_may_fetch
 * waits instead.
 */
static void
hist_store(struct engine *e, struct feed *f, struct page *p)
{
	struct page *o;
	int active = hist_feed_active(f);

	e->in_hand = 0; /* counted from here on as kept, or spilled */

	/* One page of the budget stays free for a request: the merge may be
	 * waiting for one. */
	if (active && (e->spill_off || e->mem_pages + (size_t)e->inflight + 1 <
					   e->o.max_mem_pages)) {
		hist_keep(e, f, p);
		return;
	}
	if (!e->spill_off) {
		while (f->ohead != NULL && hist_spill(e, f, f->ohead) == 0) {
			o = f->ohead;
			f->ohead = o->link;
			if (f->ohead == NULL)
				f->otail = NULL;
			f->nover--;
			hist_mem(e, o, 0);
			page_free(o);
		}
		if (f->ohead == NULL && hist_spill(e, f, p) == 0) {
			if (active)
				e->st.budget_spills++;
			page_free(p);
			return;
		}
	}
	hist_keep(e, f, p);
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
	else
		hist_store(e, f, p);
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
	    f->prev_slice != NULL || f->nnames > 0 ||
	    f->src->nstream_names > 0 || f->gstream != NULL)
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

/* Emit events while the merge allows (see hist_bound); beside a Logs
 * Insights reader (engine_insights_mix.c), its rows too. */
static void
hist_drain_once(struct engine *e)
{
	struct feed *f;
	struct page *p;
	struct event *ev, *iev;
	int64_t bound, ibound;
	size_t i;
	int p_chunk;

	/* A slice whose turn came has its pages on disk: load them. */
	for (i = 0; i < e->nfeeds; i++) {
		f = e->feeds[i];
		if (f->qhead == NULL && f->nspilled > 0 && hist_feed_active(f))
			hist_refill(e, f);
	}
	bound = hist_bound(e);
	while (!e->done) {
		ev = NULL;
		if (e->heap.n > 0) {
			f = heap_top(&e->heap);
			p = f->qhead;
			ev = &p->ev[p->next];
		}
		if (insights_mix_peek(e, &iev, &ibound) &&
		    (ev == NULL || event_cmp(iev, ev) < 0)) {
			/* The reader's row is the smallest. */
			if (iev->ts >= bound || iev->ts >= ibound)
				break;
			if (insights_mix_take(e) != 0)
				return;
			continue;
		}
		if (ev == NULL || ev->ts >= bound || ev->ts >= ibound)
			break;
		if (f->get)
			e->st.get_events++;
		if (engine_emit_event(e, ev, f->src) != 0)
			return;
		if (++p->next < p->n) {
			heap_fix(&e->heap, 0);
			continue;
		}
		f->qhead = p->link;
		if (f->qhead == NULL)
			f->qtail = NULL;
		p_chunk = p->chunk;
		if (!p_chunk)
			f->npages--;
		hist_mem(e, p, 0);
		page_free(p);
		if (f->qhead != NULL)
			heap_fix(&e->heap, 0);
		else
			heap_pop(&e->heap);
		hist_refill(e, f);
		/* The next slice's turn: its pages on disk come next. */
		if (f->state == FEED_DONE && f->qhead == NULL &&
		    f->nspilled == 0 && f->next_slice != NULL)
			hist_refill(e, f->next_slice);
		/* Back-pressure released (this feed's read-ahead, the budget
		 * without a disk, the next slice's turn): fetch. */
		hist_wake(e);
		if (!p_chunk)
			engine_pump(e);
		bound = hist_bound(e);
	}
	if (e->heap.n == 0 && hist_finished(e))
		e->wake = 1;
}

/* Emit what may go out; not re-entered (the Logs Insights reader calls it
 * when rows come in, and may be called back from it): a call meanwhile
 * makes it go round once more. After each round the reader reads on: its
 * rows went out, or its next task became the merge's (a page of one row
 * at its last timestamp takes no row out, yet needs the next page). */
void
hist_drain(struct engine *e)
{
	if (e->draining) {
		e->drain_again = 1;
		return;
	}
	e->draining = 1;
	do {
		e->drain_again = 0;
		hist_drain_once(e);
		insights_mix_after(e);
	} while (e->drain_again && !e->done);
	e->draining = 0;
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

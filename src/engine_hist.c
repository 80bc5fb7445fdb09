/*
 * History: bounded page queues per feed and a k-way merge (a binary heap
 * of feeds keyed by their head event). An event is emitted only while no
 * live feed is waiting for its next page, so output is in exact order.
 */

#include <stdlib.h>

#include "engine_int.h"
#include "loop.h"
#include "source.h"
#include "xmalloc.h"

static struct event *
hist_head(struct feed *f)
{
	return (f->qhead == NULL ? NULL : &f->qhead->ev[f->qhead->next]);
}

static int
hist_less(struct feed *a, struct feed *b)
{
	return (event_cmp(hist_head(a), hist_head(b)) < 0);
}

static void
hist_swap(struct engine *e, size_t i, size_t j)
{
	struct feed *t = e->heap[i];

	e->heap[i] = e->heap[j];
	e->heap[j] = t;
	e->heap[i]->heap_pos = (long)i;
	e->heap[j]->heap_pos = (long)j;
}

static void
hist_up(struct engine *e, size_t i)
{
	while (i > 0 && hist_less(e->heap[i], e->heap[(i - 1) / 2])) {
		hist_swap(e, i, (i - 1) / 2);
		i = (i - 1) / 2;
	}
}

static void
hist_down(struct engine *e, size_t i)
{
	size_t l, r, m;

	for (;;) {
		l = 2 * i + 1;
		r = l + 1;
		m = i;
		if (l < e->nheap && hist_less(e->heap[l], e->heap[m]))
			m = l;
		if (r < e->nheap && hist_less(e->heap[r], e->heap[m]))
			m = r;
		if (m == i)
			return;
		hist_swap(e, i, m);
		i = m;
	}
}

static void
hist_push(struct engine *e, struct feed *f)
{
	e->heap = xreallocarray(e->heap, e->nheap + 1, sizeof *e->heap);
	e->heap[e->nheap] = f;
	f->heap_pos = (long)e->nheap;
	e->nheap++;
	hist_up(e, e->nheap - 1);
}

static void
hist_remove_top(struct engine *e)
{
	struct feed *f = e->heap[0];

	e->nheap--;
	if (e->nheap > 0) {
		e->heap[0] = e->heap[e->nheap];
		e->heap[0]->heap_pos = 0;
		hist_down(e, 0);
	}
	f->heap_pos = -1;
}

/* A feed finished (no more pages). */
void
hist_feed_done(struct engine *e, struct feed *f)
{
	if (f->state == FEED_DONE)
		return;
	if (f->qhead == NULL)
		e->nwaiting--;
	f->state = FEED_DONE;
	e->st.feeds_done++;
	hist_drain(e);
	if (hist_finished(e))
		e->wake = 1;
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
	else {
		p->next = 0;
		if (f->qhead == NULL) {
			f->qhead = f->qtail = p;
			e->nwaiting--;
			hist_push(e, f);
		} else {
			f->qtail->link = p;
			f->qtail = p;
		}
		f->npages++;
	}
	if (f->token == NULL) {
		hist_feed_done(e, f);
		return;
	}
	if (f->npages < e->o.max_pages)
		engine_request(e, f);
	else
		f->paused = 1;
	hist_drain(e);
}

/* Emit events while the merge is complete (no live feed without a head). */
void
hist_drain(struct engine *e)
{
	struct feed *f;
	struct page *p;
	struct event *ev;

	while (!e->done && e->nheap > 0 && e->nwaiting == 0) {
		f = e->heap[0];
		p = f->qhead;
		ev = &p->ev[p->next];
		if (engine_emit_event(e, ev, f->src) != 0)
			return;
		if (++p->next < p->n) {
			hist_down(e, 0);
			continue;
		}
		f->qhead = p->link;
		if (f->qhead == NULL)
			f->qtail = NULL;
		f->npages--;
		page_free(p);
		if (f->qhead != NULL)
			hist_down(e, 0);
		else {
			hist_remove_top(e);
			if (f->state != FEED_DONE)
				e->nwaiting++;
		}
		/* Back-pressure released: fetch the next page. */
		if (f->paused && f->npages < e->o.max_pages) {
			f->paused = 0;
			engine_request(e, f);
		}
	}
	if (e->nheap == 0 && hist_finished(e))
		e->wake = 1;
}

/* Has the history been read and emitted completely? */
int
hist_finished(struct engine *e)
{
	size_t i;

	if (e->nheap > 0)
		return (0);
	for (i = 0; i < e->nfeeds; i++) {
		if (e->feeds[i]->state != FEED_DONE)
			return (0);
	}
	return (1);
}

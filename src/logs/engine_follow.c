/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Follow (--watch): every feed polls from max(seen timestamp) - overlap,
 * when the poll scheduler (pollsched.c) gives it its turn within the one
 * FilterLogEvents budget; new events (dedup on source + eventId) go into
 * one heap, and an event is released once every source that counts for
 * time order has completed a poll that started after its timestamp (its
 * watermark), or when it has been held for the hold-back limit.
 *
 * Which sources count: with --hold-back auto (the default), those polled
 * every interval (the active ones, or all when the budget allows), so the
 * wait follows their actual poll age; a quiet group, polled rarely, is not
 * waited for: were it to wake up, its first events may be older than lines
 * already printed and are printed once, flagged late. With --hold-back S,
 * every source counts, for at most S seconds.
 */

#include <stdlib.h>
#include <string.h>

#include "aws/loop.h"
#include "core/xmalloc.h"
#include "logs/engine_int.h"
#include "logs/logs.h"
#include "logs/source.h"

/* Never re-read more than this far back when a group is idle. */
#define FOLLOW_MAX_LOOKBACK_MS (10 * 60 * 1000)
#define FOLLOW_PRUNE_EVERY_MS 10000

static int
fev_less(const void *a, const void *b)
{
	return (event_cmp(&((const struct fev *)a)->ev,
		    &((const struct fev *)b)->ev) < 0);
}

/* Set up the follow merge. */
void
follow_init(struct engine *e)
{
	heap_init(&e->fheap, fev_less, NULL);
	pollsched_init(&e->ps, e->o.interval_ms);
}

/* Copy an event and its strings into one allocation. */
static struct fev *
fev_new(const struct event *ev, const struct source *s, int64_t now)
{
	struct fev *v;

	v = xmalloc(sizeof *v + event_strings_size(ev));
	event_copy(&v->ev, ev, (char *)(v + 1));
	v->arrival = now;
	v->src = s;
	return (v);
}

static void follow_cycle(struct engine *, struct feed *);
static void follow_schedule(struct engine *);

/* The follow feed of a scheduler slot, or NULL. */
static struct feed *
follow_feed_of(struct engine *e, size_t slot)
{
	size_t i;

	for (i = 0; i < e->nfeeds; i++) {
		if (e->feeds[i]->following && e->feeds[i]->slot == slot)
			return (e->feeds[i]);
	}
	return (NULL);
}

static void
follow_sched_timer(void *arg)
{
	struct engine *e = arg;

	e->sched_timer = 0;
	follow_schedule(e);
	/* Time passing may turn a source quiet: it no longer holds lines. */
	follow_release(e, 0);
}

/* Send every request the scheduler allows now (a new poll, or the next
 * request of one in progress) and wait for the next. */
static void
follow_schedule(struct engine *e)
{
	struct feed *f;
	size_t slot;
	int64_t wait;
	int more;

	if (e->done)
		return;
	for (;;) {
		wait = pollsched_next(
		    &e->ps, loop_mono(e->loop), e->rl.rate, &slot, &more);
		if (wait != 0)
			break;
		f = follow_feed_of(e, slot);
		if (f == NULL) {
			pollsched_off(&e->ps, slot);
			continue;
		}
		f->granted = 1;
		if (more)
			engine_request(e, f);
		else
			follow_cycle(e, f);
	}
	loop_timer_cancel(e->loop, e->sched_timer);
	e->sched_timer = 0;
	if (wait > 0)
		e->sched_timer =
		    loop_timer_in(e->loop, wait, follow_sched_timer, e);
}

/* The poll in progress of f wants another request (a page, a retry):
 * it goes at the scheduler's next turn. */
void
follow_want(struct engine *e, struct feed *f)
{
	f->state = FEED_TIMER;
	pollsched_more(&e->ps, f->slot);
	follow_schedule(e);
}

/* Poll f again, afresh, in delay_ms at the earliest. */
void
follow_retry_later(struct engine *e, struct feed *f, int64_t delay)
{
	free(f->token);
	f->token = NULL;
	f->state = FEED_TIMER;
	f->poll_found = 0;
	pollsched_later(&e->ps, f->slot, loop_mono(e->loop) + delay);
	follow_schedule(e);
}

static int
follow_all_done(struct engine *e)
{
	size_t i;

	for (i = 0; i < e->nfeeds; i++) {
		if (e->feeds[i]->state != FEED_DONE)
			return (0);
	}
	return (1);
}

/* Start one poll of f: a fresh query from max_seen - overlap. */
static void
follow_cycle(struct engine *e, struct feed *f)
{
	int64_t now = loop_now(e->loop), start;

	if (e->done)
		return;
	f->cycle_start = now;
	f->cycle_mono = loop_mono(e->loop);
	start = f->max_seen - e->o.overlap_ms;
	if (start < now - FOLLOW_MAX_LOOKBACK_MS - e->o.overlap_ms)
		start = now - FOLLOW_MAX_LOOKBACK_MS - e->o.overlap_ms;
	/* An event stamped far ahead of the clock must not drag the window
	 * along: it would skip everything until then. */
	if (start > now - e->o.overlap_ms)
		start = now - e->o.overlap_ms;
	if (e->o.start != LOGS_TIME_UNSET && start < e->o.start)
		start = e->o.start;
	f->start = start;
	f->end = e->o.end;
	free(f->token);
	f->token = NULL;
	f->poll_found = 0;
	feed_read_reset(f);
	f->state = FEED_IDLE;
	engine_request(e, f);
}

/* Begin following f; events up to from + overlap count as seen. Its first
 * poll is due at once; active: it counts as active until it has been
 * quiet for a while (a re-discovered group). */
void
follow_feed_start(struct engine *e, struct feed *f, int64_t from, int active)
{
	f->following = 1;
	f->max_seen = from + e->o.overlap_ms;
	f->watermark = from + e->o.overlap_ms;
	f->cycle_start = f->watermark;
	f->state = FEED_TIMER;
	f->slot = pollsched_add(&e->ps, loop_mono(e->loop), active);
	follow_schedule(e);
}

/* The follow feed of source i: the group or prefix, or its exact stream
 * names (up to 100). */
struct feed *
follow_feed_new(struct engine *e, uint32_t i)
{
	struct source *s = e->srcs[i];
	size_t n = 0;
	struct feed *f;

	if (s->names_exact && s->nstream_names > 0) {
		n = s->nstream_names;
		if (n > LOGS_MAX_STREAM_NAMES)
			n = LOGS_MAX_STREAM_NAMES;
	}
	f = feed_new(e, i, (const char **)s->stream_names, n);
	f->missing = s->missing;
	f->warned_missing = s->missing;
	return (f);
}

/* Switch from history to follow: one feed per source, polling the group
 * or prefix (never a frozen stream list, so new streams show up). */
void
follow_start(struct engine *e)
{
	size_t i;

	/* Every history feed goes, with its spill file. */
	feed_free_all(e);
	e->following = 1;
	for (i = 0; i < e->nsrc; i++)
		follow_feed_new(e, (uint32_t)i);
	/* A source whose history has events of the last minute starts as
	 * active: polled every interval, and waited for. */
	for (i = 0; i < e->nfeeds; i++)
		follow_feed_start(e, e->feeds[i], e->t0 - e->o.overlap_ms,
		    e->hist_last[e->feeds[i]->srcidx] >=
			e->t0 - POLLSCHED_ACTIVE_MS);
}

static void
follow_release_timer(void *arg)
{
	struct engine *e = arg;

	e->release_timer = 0;
	follow_release(e, 0);
}

/* Emit the held events that ordering allows (all of them when all). */
void
follow_release(struct engine *e, int all)
{
	struct pollsched_plan pl;
	struct fev *v;
	int64_t min_wm = INT64_MAX, now = loop_mono(e->loop);
	uint32_t one_src = UINT32_MAX;
	int nsrc = 0, ordered;
	size_t i;
	struct feed *f;

	pollsched_plan(&e->ps, now, e->rl.rate, &pl);
	for (i = 0; i < e->nfeeds; i++) {
		f = e->feeds[i];
		if (f->state == FEED_DONE || f->missing || f->warned_error)
			continue;
		if (e->hold_auto && f->following &&
		    !pollsched_waited(&e->ps, &pl, f->slot, now))
			continue;
		if (f->watermark < min_wm)
			min_wm = f->watermark;
		if (f->srcidx != one_src) {
			one_src = f->srcidx;
			nsrc++;
		}
	}
	ordered = live_bound(e, &min_wm, &nsrc); /* Live Tail sessions */
	/* One polled group is held too: an event ingested after a poll can
	 * be older than lines that poll returned, and comes with the next. */
	ordered = ordered || nsrc > 0;
	while (e->fheap.n > 0 && !e->stopping) {
		v = heap_top(&e->fheap);
		if (!all && ordered && v->ev.ts > min_wm &&
		    now < v->arrival + e->o.hold_back_ms) {
			if (e->release_timer == 0)
				e->release_timer = loop_timer_at(e->loop,
				    v->arrival + e->o.hold_back_ms,
				    follow_release_timer, e);
			return;
		}
		v = heap_pop(&e->fheap);
		if (engine_emit_event(e, &v->ev, v->src) != 0) {
			free(v);
			return;
		}
		free(v);
		/* Return to engine_run() so that its idle callback flushes
		 * the output: on a terminal nothing else does. */
		e->wake = 1;
	}
}

/* A page of a follow poll arrived. */
void
follow_page(struct engine *e, struct feed *f, struct page *p)
{
	struct event *ev;
	int64_t now = loop_mono(e->loop), cut;
	size_t i;

	for (i = 0; i < p->n; i++) {
		ev = &p->ev[i];
		if (!source_stream_ok(f->src, ev->stream, ev->stream_len))
			continue;
		if (!dedup_add_event(e->dedup, f->srcidx, ev))
			continue;
		f->poll_found++;
		ev->src = f->srcidx;
		ev->seq = e->seq++;
		if (ev->ts > f->max_seen)
			f->max_seen = ev->ts;
		if (ev->ingest - ev->ts > f->delay_cur)
			f->delay_cur = ev->ingest - ev->ts;
		heap_push(&e->fheap, fev_new(ev, f->src, now));
	}
	page_free(p);
	if (f->token != NULL)
		engine_request(e, f);
	else
		follow_cycle_done(e, f);
	if (now - e->last_prune > FOLLOW_PRUNE_EVERY_MS) {
		e->last_prune = now;
		cut = INT64_MAX;
		for (i = 0; i < e->nfeeds; i++) {
			if (e->feeds[i]->start != LOGS_TIME_UNSET &&
			    e->feeds[i]->start < cut)
				cut = e->feeds[i]->start;
		}
		if (cut != INT64_MAX)
			dedup_prune(e->dedup, cut - 1000);
	}
	follow_release(e, 0);
}

/*
 * A poll of f read every page: f is complete up to its start time, minus
 * the ingestion delay its events show (an event stamped at t may only be
 * visible at t + delay). The delay estimate is the largest one seen,
 * decaying slowly, and never more than the overlap (what arrives later is
 * not read again anyway) or an explicit hold-back (the deadline releases
 * events anyway).
 */
void
follow_cycle_done(struct engine *e, struct feed *f)
{
	int64_t cap = e->hold_auto ? e->o.overlap_ms : e->o.hold_back_ms;

	f->delay_est -= f->delay_est / 8;
	if (f->delay_cur > f->delay_est)
		f->delay_est = f->delay_cur;
	if (f->delay_est > cap)
		f->delay_est = cap;
	f->delay_cur = 0;
	if (f->cycle_start - f->delay_est > f->watermark)
		f->watermark = f->cycle_start - f->delay_est;
	f->warned_error = 0;
	/* Complete past --end: this feed is done. */
	if (e->o.end != LOGS_TIME_UNSET && f->watermark > e->o.end) {
		f->state = FEED_DONE;
		pollsched_off(&e->ps, f->slot);
		if (follow_all_done(e))
			e->done = e->wake = 1;
		return;
	}
	/* The next poll: when the scheduler says (every interval for an
	 * active group, less often for a quiet one). */
	pollsched_done(&e->ps, f->slot, loop_mono(e->loop), f->poll_found > 0);
	f->poll_found = 0;
	f->state = FEED_TIMER;
	follow_schedule(e);
}

/* Free what follow mode holds. */
void
follow_free(struct engine *e)
{
	size_t i;

	for (i = 0; i < e->fheap.n; i++)
		free(e->fheap.v[i]);
	heap_free(&e->fheap);
	loop_timer_cancel(e->loop, e->release_timer);
	e->release_timer = 0;
	loop_timer_cancel(e->loop, e->sched_timer);
	e->sched_timer = 0;
	pollsched_free(&e->ps);
}

/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The FilterLogEvents reads of live mode: backfills of a session's gap or
 * of a sampled window, pollers of the groups Live Tail does not cover; the
 * de-duplication between them and the sessions' events; the release
 * bound the sessions put on the follow merge.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "aws/loop.h"
#include "core/xmalloc.h"
#include "logs/engine_live.h"
#include "logs/logs.h"
#include "logs/source.h"

/* A held event with its own copy of the strings. */
static struct fev *
live_fev(const struct event *ev, const struct source *s, int64_t now)
{
	struct fev *v;

	v = xmalloc(sizeof *v + event_strings_size(ev));
	event_copy(&v->ev, ev, (char *)(v + 1));
	v->arrival = now;
	v->src = s;
	return (v);
}

/* The key of an event in live mode: (source, stream, timestamp,
 * ingestion time, message); Live Tail gives no eventId, both APIs give
 * the ingestion time. Never 0. */
static uint64_t
live_key(uint32_t src, const struct event *ev)
{
	uint64_t k;

	k = dedup_hash(src, ev->stream, ev->stream_len);
	k ^= (uint64_t)ev->ts * 0x9e3779b97f4a7c15ULL;
	k = (k << 31 | k >> 33) * 0xbf58476d1ce4e5b9ULL;
	k ^= (uint64_t)ev->ingest * 0xc2b2ae3d27d4eb4fULL;
	k = (k << 27 | k >> 37) * 0x94d049bb133111ebULL;
	k ^= dedup_hash(src ^ 0x5bd1e995u, ev->msg, ev->msg_len);
	return (k == 0 ? 1 : k);
}

/* The key of the n-th copy (n >= 1) of the events of live key k that the
 * sessions (side 1) or the FilterLogEvents reads (side 0) delivered.
 * Never 0. */
static uint64_t
live_copy_key(uint64_t k, uint64_t n, int side)
{
	uint64_t h = k ^ ((n << 1 | (uint64_t)side) * 0x9e3779b97f4a7c15ULL);

	h ^= h >> 31;
	h *= 0xbf58476d1ce4e5b9ULL;
	h ^= h >> 29;
	return (h == 0 ? 1 : h);
}

/*
 * Count one more copy of an event on its side; 1 when the other side has
 * delivered fewer copies of its key, so that it is new. Each side
 * delivers an event once (a session once; the reads' repeats are dropped
 * by eventId before), so of n identical events (same stream, timestamp,
 * ingestion time and message) delivered by both, n print, not one.
 */
static int
live_count(struct engine *e, uint32_t src, const struct event *ev, int side)
{
	uint64_t k = live_key(src, ev), n = 1;

	while (!dedup_add_key(e->dedup, live_copy_key(k, n, side), ev->ts))
		n++;
	return (!dedup_has_key(e->dedup, live_copy_key(k, n, !side)));
}

/* An event printed by the history read, which a backfill or a session
 * may deliver again: count it as a FilterLogEvents copy. */
void
live_mark_read(struct engine *e, const struct event *ev)
{
	(void)live_count(e, ev->src, ev, 0);
}

/* Take feed f off the engine and free it. */
static void
live_feed_drop(struct engine *e, struct feed *f)
{
	size_t i;

	for (i = 0; i < e->nfeeds; i++) {
		if (e->feeds[i] == f) {
			memmove(&e->feeds[i], &e->feeds[i + 1],
			    (e->nfeeds - i - 1) * sizeof *e->feeds);
			e->nfeeds--;
			break;
		}
	}
	if (e->st.feeds > 0)
		e->st.feeds--;
	if (f->following)
		pollsched_off(&e->ps, f->slot);
	feed_free(e, f);
}

/* A FilterLogEvents read of source i for session ls from from on: a
 * backfill (one read) or a poller (poll on). */
void
live_feed(struct live_session *ls, uint32_t i, int64_t from, int poll)
{
	struct engine *e = ls->e;
	struct feed *f;

	f = follow_feed_new(e, i);
	f->live = ls;
	f->live_poll = poll;
	if (!poll)
		ls->nbackfill++;
	follow_feed_start(e, f, from - e->o.overlap_ms, 1);
	/* Hold the release at the start of the read until it is over. */
	f->watermark = from - e->o.overlap_ms;
}

/* Requests waiting for the FilterLogEvents quota: the rate limiter's
 * queue and the backfills not in flight (while following, a feed waits
 * for its turn in the poll scheduler, not in the queue). */
static size_t
live_waiting(struct engine *e)
{
	struct feed *f;
	size_t i, n = 0;

	for (f = e->wq_head; f != NULL; f = f->wait_next)
		n++;
	for (i = 0; i < e->nfeeds; i++) {
		f = e->feeds[i];
		if (f->live != NULL && !f->live_poll && !f->queued &&
		    f->state != FEED_INFLIGHT && f->state != FEED_DONE)
			n++;
	}
	return (n);
}

/* Report a sampled update (once a session) and backfill its window when
 * the quota allows; otherwise say that lines were skipped (once a span of
 * such updates). */
void
live_sampled(struct live_session *ls, int64_t now)
{
	struct engine *e = ls->e;
	int64_t from = ls->last_update - live_delay(e, now) - LIVE_SLACK_MS;
	size_t i;
	char a[32];
	time_t t;

	if (!ls->said_sampled)
		engine_notice(e, ENGINE_NOTICE_WARN,
		    "Live Tail sampled the events of %zu group%s (more than "
		    "500 events/s); filling in with FilterLogEvents",
		    ls->nsrc, ls->nsrc == 1 ? "" : "s");
	ls->said_sampled = 1;
	if (ls->nbackfill > 0 || !e->following) {
		/* One read at a time (and none during the history read):
		 * remember where the next starts. */
		if (ls->sampled_from == LOGS_TIME_UNSET ||
		    from < ls->sampled_from)
			ls->sampled_from = from;
		return;
	}
	if (live_waiting(e) > (size_t)(e->rl.rate * 2) + ls->nsrc) {
		/* Said once a span of such updates: the next sampled update
		 * that is backfilled, an update that is not sampled or a new
		 * session ends it. */
		if (ls->said_skipped)
			return;
		ls->said_skipped = 1;
		t = (time_t)(from / 1000);
		strftime(a, sizeof a, "%H:%M:%S", gmtime(&t));
		engine_notice(e, ENGINE_NOTICE_WARN,
		    "Live Tail sampled its events and the FilterLogEvents "
		    "quota is busy: some lines from %s UTC on were skipped",
		    a);
		return;
	}
	ls->said_skipped = 0;
	for (i = 0; i < ls->nsrc; i++)
		live_feed(ls, ls->src[i], from, 0);
}

/* Learn the ingestion delay from an event of a session or a backfill. */
void
live_delay_learn(struct engine *e, const struct event *ev)
{
	struct live *lv = e->live;

	if (ev->ingest <= 0 || ev->ts <= 0)
		return;
	lv->delay_n++;
	if (ev->ingest - ev->ts > lv->delay_max)
		lv->delay_max = ev->ingest - ev->ts;
}

/*
 * The ingestion delay D of the watermark rule: the largest one seen (one
 * service, so over every session and backfill), plus 1/16 for the one not
 * seen yet; it fades slowly (LIVE_DELAY_DECAY_MS), so that one slow event
 * does not slow the output for good, while the usual maximum, seen again
 * and again, stays. Until LIVE_DELAY_MIN_N events were seen it is at least
 * LIVE_DELAY_PRIOR_MS. Never more than the hold-back, which releases
 * anyway.
 */
int64_t
live_delay(struct engine *e, int64_t now)
{
	struct live *lv = e->live;
	int64_t d, dt = now - lv->delay_at;

	if (lv->delay_at == 0 || dt < 0)
		dt = 0;
	lv->delay_at = now;
	if (dt > LIVE_DELAY_DECAY_MS)
		dt = LIVE_DELAY_DECAY_MS;
	lv->delay_max -= lv->delay_max * dt / LIVE_DELAY_DECAY_MS;
	d = lv->delay_max;
	if (lv->delay_n < LIVE_DELAY_MIN_N && d < LIVE_DELAY_PRIOR_MS)
		d = LIVE_DELAY_PRIOR_MS;
	d += d / 16;
	if (d > e->o.hold_back_ms)
		d = e->o.hold_back_ms;
	return (d);
}

/* Forget keys no window can read again. */
void
live_prune(struct engine *e)
{
	int64_t now = loop_mono(e->loop), cut = INT64_MAX;
	size_t i;

	if (now - e->last_prune < LIVE_PRUNE_EVERY_MS)
		return;
	e->last_prune = now;
	for (i = 0; i < e->live->n; i++) {
		if (e->live->s[i]->state == LIVE_POLLED)
			continue;
		if (e->live->s[i]->watermark < cut)
			cut = e->live->s[i]->watermark;
		if (e->live->s[i]->gap_from != LOGS_TIME_UNSET &&
		    e->live->s[i]->gap_from < cut)
			cut = e->live->s[i]->gap_from;
	}
	for (i = 0; i < e->nfeeds; i++) {
		if (e->feeds[i]->start != LOGS_TIME_UNSET &&
		    e->feeds[i]->start < cut)
			cut = e->feeds[i]->start;
	}
	if (cut != INT64_MAX)
		dedup_prune(e->dedup, cut - e->o.overlap_ms - LIVE_KEEP_MS);
}

/* Hold an event of source i that a session (live) or a FilterLogEvents
 * read (!live) delivered, unless the other side delivered it; 1 if held.
 * A read's repeat (the same eventId) is dropped. */
static int
live_hold_side(
    struct engine *e, uint32_t i, struct event *ev, int64_t now, int live)
{
	struct source *s = e->srcs[i];

	if (!source_stream_ok(s, ev->stream, ev->stream_len))
		return (0);
	ev->src = i;
	if (!live && !dedup_add_event(e->dedup, i, ev))
		return (0);
	if (!live_count(e, i, ev, live))
		return (0);
	ev->seq = e->seq++;
	heap_push(&e->fheap, live_fev(ev, s, now));
	return (1);
}

/* Hold an event of a session; 1 if held. */
int
live_hold(struct engine *e, uint32_t i, struct event *ev, int64_t now)
{
	return (live_hold_side(e, i, ev, now, 1));
}

/* Hold an event of a FilterLogEvents read; 1 if held. */
int
live_hold_read(struct engine *e, uint32_t i, struct event *ev, int64_t now)
{
	return (live_hold_side(e, i, ev, now, 0));
}

/* A page of a live-mode FilterLogEvents read (backfill or poller). */
void
live_page(struct engine *e, struct feed *f, struct page *p)
{
	struct live_session *ls = f->live;
	int64_t now = loop_mono(e->loop), from;
	struct event *ev;
	size_t i;

	for (i = 0; i < p->n; i++) {
		ev = &p->ev[i];
		if (!live_hold_read(e, f->srcidx, ev, now))
			continue;
		f->poll_found++; /* activity, for the poll scheduler */
		if (ev->ts > f->max_seen)
			f->max_seen = ev->ts;
		if (ev->ingest - ev->ts > f->delay_cur)
			f->delay_cur = ev->ingest - ev->ts;
		live_delay_learn(e, ev);
	}
	page_free(p);
	if (f->token != NULL)
		engine_request(e, f);
	else if (f->live_poll)
		follow_cycle_done(e, f);
	else {
		/* A backfill read its last page: it goes. */
		ls->nbackfill--;
		live_feed_drop(e, f);
		if (ls->nbackfill == 0 && ls->sampled_from != LOGS_TIME_UNSET &&
		    ls->state != LIVE_POLLED) {
			from = ls->sampled_from;
			ls->sampled_from = LOGS_TIME_UNSET;
			for (i = 0; i < ls->nsrc; i++)
				live_feed(ls, ls->src[i], from, 0);
		}
	}
	live_prune(e);
	follow_release(e, 0);
}

/* Lower the release bound of the follow merge by every session's
 * watermark; count their groups as sources. 1 when a Live Tail session
 * counted: its events are held even with one group, since ingestion
 * jitter reorders them across updates. */
int
live_bound(struct engine *e, int64_t *min_wm, int *nsrc)
{
	struct live_session *ls;
	int any = 0;
	size_t k;

	if (e->live == NULL)
		return (0);
	for (k = 0; k < e->live->n; k++) {
		ls = e->live->s[k];
		if (ls->state == LIVE_POLLED)
			continue;
		if (ls->watermark < *min_wm)
			*min_wm = ls->watermark;
		*nsrc += (int)ls->nsrc;
		any = 1;
	}
	return (any);
}

/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The FilterLogEvents reads of live mode: backfills of a session's gap or
 * of a sampled window, pollers of the groups Live Tail does not cover; the
 * de-duplication key they share with the sessions' events; the release
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

/* The de-duplication key of an event in live mode: (source, stream,
 * timestamp, message); Live Tail gives no eventId. Never 0. */
uint64_t
live_key(uint32_t src, const struct event *ev)
{
	uint64_t k;

	k = dedup_hash(src, ev->stream, ev->stream_len);
	k ^= (uint64_t)ev->ts * 0x9e3779b97f4a7c15ULL;
	k = (k << 31 | k >> 33) * 0xbf58476d1ce4e5b9ULL;
	k ^= dedup_hash(src ^ 0x5bd1e995u, ev->msg, ev->msg_len);
	return (k == 0 ? 1 : k);
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

/* Report a sampled update and backfill its window when the quota
 * allows; otherwise say that lines were skipped. */
void
live_sampled(struct live_session *ls, int64_t now)
{
	struct engine *e = ls->e;
	int64_t from = ls->last_update - live_delay(e, now) - LIVE_SLACK_MS;
	struct feed *f;
	size_t i, queued = 0;
	char a[32], b[32];
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
	for (f = e->wq_head; f != NULL; f = f->wait_next)
		queued++;
	if (queued > (size_t)(e->rl.rate * 2) + ls->nsrc) {
		t = (time_t)(from / 1000);
		strftime(a, sizeof a, "%H:%M:%S", gmtime(&t));
		t = (time_t)(now / 1000);
		strftime(b, sizeof b, "%H:%M:%S", gmtime(&t));
		engine_notice(e, ENGINE_NOTICE_WARN,
		    "Live Tail sampled its events and the FilterLogEvents "
		    "quota is busy: some lines between %s and %s UTC were "
		    "skipped",
		    a, b);
		return;
	}
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

/* Hold an event of source i unless its key was seen; 1 if held. */
int
live_hold(struct engine *e, uint32_t i, struct event *ev, int64_t now)
{
	struct source *s = e->srcs[i];

	if (!source_stream_ok(s, ev->stream, ev->stream_len))
		return (0);
	ev->src = i;
	if (!dedup_add_key(e->dedup, live_key(i, ev), ev->ts))
		return (0);
	ev->seq = e->seq++;
	heap_push(&e->fheap, live_fev(ev, s, now));
	return (1);
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
		if (!live_hold(e, f->srcidx, ev, now))
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

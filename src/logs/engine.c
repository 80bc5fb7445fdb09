/* SPDX-License-Identifier: Apache-2.0 */
/* The reading engine: its life, feeds, requests and the rate limiter, the
 * output order. The answers are handled in engine_page.c. */

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aws/loop.h"
#include "core/xmalloc.h"
#include "logs/engine_int.h"
#include "logs/logs.h"
#include "logs/source.h"

/* The longest an event is held for time order with --hold-back auto. */
#define ENGINE_AUTO_HOLD_MS 30000
/* With --hold-back auto, an event stamped this far ahead of the clock does
 * not make the events after it late. */
#define ENGINE_FUTURE_MS 2000

/* Create an engine; see engine.h. */
struct engine *
engine_new(struct loop *l, struct aws_client *logs, const struct engine_opts *o)
{
	struct engine *e;

	e = xcalloc(1, sizeof *e);
	e->loop = l;
	e->logs = logs;
	e->o = *o;
	if (e->o.max_pages == 0)
		e->o.max_pages = 2;
	if (e->o.max_mem_pages == 0)
		e->o.max_mem_pages = ENGINE_MEM_PAGES;
	if (e->o.max_mem_pages < 2)
		e->o.max_mem_pages = 2;
	if (e->o.interval_ms <= 0)
		e->o.interval_ms = 1000;
	if (e->o.spill_max == 0)
		e->o.spill_max = (uint64_t)4 << 30;
	if (e->o.missing_recheck_ms <= 0)
		e->o.missing_recheck_ms = 5000;
	/* Auto hold-back: wait as long as the sources that count need, up to
	 * a limit against a source that stops answering. */
	if (e->o.hold_back_ms < 0) {
		e->hold_auto = 1;
		e->o.hold_back_ms = 2 * e->o.interval_ms + e->o.overlap_ms;
		if (e->o.hold_back_ms < ENGINE_AUTO_HOLD_MS)
			e->o.hold_back_ms = ENGINE_AUTO_HOLD_MS;
	}
	ratelimit_init(&e->rl, o->max_rps > 0 ? o->max_rps : 5, loop_mono(l));
	ratelimit_init(
	    &e->rl_get, o->get_rps > 0 ? o->get_rps : 10, loop_mono(l));
	ratelimit_init(&e->rl_desc, o->describe_rps > 0 ? o->describe_rps : 25,
	    loop_mono(l));
	e->dedup = dedup_new();
	hist_init(e);
	follow_init(e);
	return (e);
}

/* Free an engine. Accepts NULL. */
void
engine_free(struct engine *e)
{
	if (e == NULL)
		return;
	feed_free_all(e);
	getplan_free(e);
	insights_mix_end(e);
	live_free(e);
	free(e->feeds);
	free(e->srcs);
	free(e->hist_last);
	heap_free(&e->heap);
	follow_free(e);
	loop_timer_cancel(e->loop, e->wq_timer);
	loop_timer_cancel(e->loop, e->tick_timer);
	dedup_free(e->dedup);
	free(e->spill_stage);
	free(e->cause);
	free(e);
}

/* Set the output callbacks. */
void
engine_set_callbacks(struct engine *e, engine_emit_cb emit,
    engine_notice_cb notice, engine_idle_cb idle, void *arg)
{
	e->emit = emit;
	e->notice = notice;
	e->idle = idle;
	e->cb_arg = arg;
}

/* Set a periodic hook. */
void
engine_set_tick(struct engine *e, engine_tick_cb cb, int64_t period_ms)
{
	e->tick = cb;
	e->tick_ms = period_ms;
}

/* Statistics so far. */
const struct engine_stats *
engine_stats(const struct engine *e)
{
	return (&e->st);
}

/* Tell the user something (through the CLI's callback). */
void
engine_notice(struct engine *e, int level, const char *fmt, ...)
{
	va_list ap;
	char *msg;

	if (e->notice == NULL)
		return;
	va_start(ap, fmt);
	xvasprintf(&msg, fmt, ap);
	va_end(ap);
	e->notice(e->cb_arg, level, msg);
	free(msg);
}

/* Stop the run with an error (the first one wins). */
void
engine_fail(struct engine *e, enum engine_status st, const char *fmt, ...)
{
	va_list ap;

	if (e->status == ENGINE_OK) {
		e->status = st;
		va_start(ap, fmt);
		xvasprintf(&e->cause, fmt, ap);
		va_end(ap);
	}
	e->done = 1;
	e->wake = 1;
	loop_stop(e->loop);
}

/* A history feed: it ends at the handover to follow mode, if any. */
static void
engine_history_feed(
    struct engine *e, uint32_t srcidx, const char **names, size_t nnames)
{
	struct feed *f = feed_new(e, srcidx, names, nnames);

	if (e->will_follow)
		f->end = e->t0;
}

/* Make the feeds of source i: one per chunk of 100 stream names. */
static void
engine_make_feeds(struct engine *e, uint32_t i)
{
	struct source *s = e->srcs[i];
	size_t off, n;

	if (s->nstream_names == 0) {
		engine_history_feed(e, i, NULL, 0);
		return;
	}
	for (off = 0; off < s->nstream_names; off += n) {
		n = s->nstream_names - off;
		if (n > LOGS_MAX_STREAM_NAMES)
			n = LOGS_MAX_STREAM_NAMES;
		engine_history_feed(
		    e, i, (const char **)s->stream_names + off, n);
	}
}

/* Make and request the history feeds of every source skip does not mark
 * (skip may be NULL). */
void
engine_start_feeds(struct engine *e, const unsigned char *skip)
{
	size_t i, first = e->nfeeds, n = e->nsrc;

	for (i = 0; i < n && !e->done; i++)
		if (skip == NULL || !skip[i])
			engine_make_feeds(e, (uint32_t)i);
	for (i = first; i < e->nfeeds && !e->done; i++)
		engine_request(e, e->feeds[i]);
}

/* The Logs Insights reader gave way (auto, refused before any event):
 * FilterLogEvents reads its groups. Their feeds are made before it is
 * closed, so the merge waits for them while its queries are stopped. */
static void
engine_mix_fallback(struct engine *e)
{
	size_t i, first = e->nfeeds;

	for (i = 0; i < e->nsrc; i++)
		if (e->ir_src[i])
			engine_make_feeds(e, (uint32_t)i);
	insights_mix_close(e);
	for (i = first; i < e->nfeeds && !e->done; i++)
		engine_request(e, e->feeds[i]);
	hist_drain(e);
}

/* Add a source; see engine.h. */
uint32_t
engine_add_source(struct engine *e, struct source *s)
{
	uint32_t i = (uint32_t)e->nsrc;

	e->srcs = xreallocarray(e->srcs, e->nsrc + 1, sizeof *e->srcs);
	e->hist_last =
	    xreallocarray(e->hist_last, e->nsrc + 1, sizeof *e->hist_last);
	e->hist_last[e->nsrc] = INT64_MIN;
	e->srcs[e->nsrc++] = s;
	/* Re-discovery: follow it from now on. */
	if (e->following && !live_add_source(e, i))
		follow_feed_start(e, follow_feed_new(e, i),
		    loop_now(e->loop) - e->o.overlap_ms, 1);
	return (i);
}

static void
engine_pump_timer(void *arg)
{
	struct engine *e = arg;

	e->wq_timer = 0;
	engine_pump(e);
}

/* Send the FilterLogEvents request of a feed. */
static void
engine_send(struct engine *e, struct feed *f)
{
	struct logs_filter lf;

	memset(&lf, 0, sizeof lf);
	lf.group = f->src->group;
	lf.stream_names = f->names;
	lf.nstream_names = f->nnames;
	if (f->nnames == 0)
		lf.stream_prefix = f->src->stream_prefix;
	lf.start = f->start;
	lf.end = f->end;
	lf.pattern = e->o.pattern;
	lf.token = f->token;
	lf.limit = e->o.limit;
	f->state = FEED_INFLIGHT;
	f->granted = 0;
	f->sent_at = loop_mono(e->loop);
	e->inflight++;
	hist_note_held(e);
	if (f->get) {
		getfeed_send(e, f);
		return;
	}
	e->st.requests++;
	f->op = logs_filter_async(e->logs, &lf, engine_on_page, f);
}

/* Requests in flight the rate and the latency call for (2 to 8). */
static int
engine_max_inflight(struct engine *e)
{
	double rate = e->rl.rate + (e->get_feeds > 0 ? e->rl_get.rate : 0);
	double n = rate * e->latency_ms / 1000.0 + 1;

	if (n < 2)
		return (2);
	if (n > 8)
		return (8);
	return ((int)n + (n > (int)n));
}

/* Take the first feed of a queue. */
static struct feed *
engine_pop(struct feed **head, struct feed **tail)
{
	struct feed *f = *head;

	*head = f->wait_next;
	if (*head == NULL)
		*tail = NULL;
	f->wait_next = NULL;
	f->queued = 0;
	return (f);
}

/*
 * Let one request of a pool go if its budget has a token: GetLogEvents
 * feeds (gq, under rl_get), or FilterLogEvents ones (under rl: feeds the
 * output is waiting on before read-ahead slices). Returns 0 when one was
 * sent, -1 when the pool has nothing waiting, else the wait in ms.
 */
static int64_t
engine_pump_pool(struct engine *e, int get)
{
	struct feed *f;
	int64_t wait;

	if (get ? e->gq_head == NULL : e->wq_head == NULL && e->bq_head == NULL)
		return (-1);
	wait = ratelimit_take(get ? &e->rl_get : &e->rl, loop_mono(e->loop));
	if (wait > 0)
		return (wait);
	if (get)
		f = engine_pop(&e->gq_head, &e->gq_tail);
	else if (e->wq_head != NULL)
		f = engine_pop(&e->wq_head, &e->wq_tail);
	else
		f = engine_pop(&e->bq_head, &e->bq_tail);
	engine_send(e, f);
	return (0);
}

/*
 * Hand out rate-limit tokens to waiting feeds, first come first served
 * within each pool, the pools taking turns; the memory budget and the
 * requests in flight are shared.
 */
void
engine_pump(struct engine *e)
{
	int64_t w[2], wait;
	int i, first;

	while (
	    (e->wq_head != NULL || e->bq_head != NULL || e->gq_head != NULL) &&
	    !e->done) {
		/* Each request in flight holds a response of up to 1 MB: no
		 * more than the rate needs to cover the latency. */
		if (e->inflight >= engine_max_inflight(e))
			return;
		/* History: a response in flight is a page in memory to be;
		 * the budget counts both (see engine_hist.c). */
		if (!e->following && !e->spill_off &&
		    e->mem_pages + (size_t)e->inflight + (size_t)e->in_hand >=
			e->o.max_mem_pages)
			return;
		first = e->pump_turn;
		e->pump_turn = !e->pump_turn;
		for (i = 0; i < 2; i++) {
			w[i] = engine_pump_pool(e, i == 0 ? first : !first);
			if (w[i] == 0)
				break;
		}
		if (i < 2)
			continue;
		wait = w[0] < 0 || (w[1] > 0 && w[1] < w[0]) ? w[1] : w[0];
		loop_timer_cancel(e->loop, e->wq_timer);
		e->wq_timer =
		    loop_timer_in(e->loop, wait, engine_pump_timer, e);
		return;
	}
}

/* Queue a feed's next request behind the rate limiter. */
void
engine_request(struct engine *e, struct feed *f)
{
	struct feed **head, **tail;

	if (f->queued || f->state == FEED_INFLIGHT || f->state == FEED_DONE)
		return;
	/* Follow requests wait for the poll scheduler's turn. */
	if (e->following && !f->granted) {
		follow_want(e, f);
		return;
	}
	/* GetLogEvents was denied on another stream: do not ask again. */
	if (f->get && e->said_get_denied)
		getfeed_denied(e, f);
	f->state = FEED_QUEUED;
	f->queued = 1;
	if (f->get) {
		head = &e->gq_head;
		tail = &e->gq_tail;
	} else if (e->following || hist_feed_active(f)) {
		head = &e->wq_head;
		tail = &e->wq_tail;
	} else {
		head = &e->bq_head;
		tail = &e->bq_tail;
	}
	if (*tail != NULL)
		(*tail)->wait_next = f;
	else
		*head = f;
	*tail = f;
	engine_pump(e);
}

/* Emit one event in order, flagging it late when it is older than the last
 * one emitted. Returns non-zero when the run must stop. */
int
engine_emit_event(struct engine *e, struct event *ev, const struct source *s)
{
	/* Live Tail opened before the history: the history's last seconds
	 * go into the follow merge, in order with the sessions' events
	 * (which may be stamped before t0, ingested after the history read
	 * their group). */
	if (e->hold_hist && !e->following && ev->ts > e->t0 - e->o.overlap_ms) {
		live_hold_read(e, ev->src, ev, loop_mono(e->loop));
		return (0);
	}
	if (e->emitted_any &&
	    (ev->ts < e->last_ts ||
		(ev->ts == e->last_ts && ev->ingest < e->last_ingest)))
		ev->flags |= EVENT_LATE;
	else if (e->following &&
		 ev->ts > loop_now(e->loop) + (e->hold_auto
						      ? ENGINE_FUTURE_MS
						      : e->o.hold_back_ms)) {
		/* Stamped ahead of the clock: printed now, but the events
		 * after it are not late for it. */
	} else {
		e->last_ts = ev->ts;
		e->last_ingest = ev->ingest;
	}
	e->emitted_any = 1;
	/* Events near the history/follow boundary will be read again by the
	 * first poll: remember them. */
	if (e->will_follow && !e->following &&
	    ev->ts >= e->t0 - e->o.overlap_ms - 1000) {
		dedup_add_event(e->dedup, ev->src, ev);
		/* Live Tail's backfill knows them by another key. */
		if (e->o.follow_mode != ENGINE_FOLLOW_POLL)
			live_mark_read(e, ev);
	}
	/* How recent each source's history is: follow polls the recent ones
	 * every interval from the start. */
	if (e->will_follow && !e->following && ev->src < e->nsrc &&
	    ev->ts > e->hist_last[ev->src])
		e->hist_last[ev->src] = ev->ts;
	e->st.events++;
	e->st.position = ev->ts;
	if (e->emit != NULL && e->emit(e->cb_arg, ev, s) != 0) {
		e->done = 1;
		e->wake = 1;
		e->stopping = 1;
		loop_stop(e->loop);
		return (1);
	}
	return (0);
}

/* Sources whose every feed (chunk, slice) is finished. */
static void
engine_count_sources(struct engine *e)
{
	size_t i, j, done = 0;

	for (i = 0; i < e->nsrc; i++) {
		/* Read by Logs Insights beside the feeds: done with it. */
		if (e->ir != NULL && e->ir_src[i] && !insights_mix_finished(e))
			continue;
		for (j = 0; j < e->nfeeds; j++) {
			if (e->feeds[j]->srcidx == i &&
			    (e->feeds[j]->state != FEED_DONE ||
				e->feeds[j]->qhead != NULL ||
				e->feeds[j]->nspilled > 0))
				break;
		}
		if (j == e->nfeeds)
			done++;
	}
	e->st.sources = e->nsrc;
	e->st.sources_done = done;
}

static void
engine_tick(void *arg)
{
	struct engine *e = arg;

	e->tick_timer = 0;
	if (e->done)
		return;
	engine_count_sources(e);
	e->tick(e->cb_arg, &e->st);
	e->tick_timer = loop_timer_in(e->loop, e->tick_ms, engine_tick, e);
}

/* Ask the engine to finish. */
void
engine_stop(struct engine *e)
{
	e->stopping = 1;
	e->done = 1;
	e->wake = 1;
	loop_stop(e->loop);
}

/* Run the engine; see engine.h. */
enum engine_status
engine_run(struct engine *e, char **cause)
{
	int mixed = 0;

	*cause = NULL;
	e->st.start = e->o.start;
	e->st.end = e->o.end;
	live_early(e); /* Live Tail sessions open before the history */
	if (e->done)
		goto out;
	if (e->o.follow) {
		e->t0 = loop_now(e->loop);
		live_early_t0(e);
		if (e->o.end == LOGS_TIME_UNSET || e->o.end > e->t0)
			e->will_follow = 1;
		if (e->o.end == LOGS_TIME_UNSET)
			e->st.end = e->t0;
	}
	e->hist_end = e->o.end;
	if (e->will_follow)
		e->hist_end = e->t0;
	else if (e->hist_end == LOGS_TIME_UNSET)
		e->hist_end = loop_now(e->loop);
	if (e->tick != NULL && e->tick_ms > 0)
		e->tick_timer =
		    loop_timer_in(e->loop, e->tick_ms, engine_tick, e);
	if (e->o.insights && !e->will_follow) {
		/* Logs Insights alone, or as one pool among three (it
		 * reads a share of the groups beside the feeds, and starts
		 * the feeds of the others itself: at once, or when the
		 * groups' streams are listed, or when it gives way). */
		if (e->o.insights_mix)
			mixed = 1;
		else if (insights_read(e) == 0)
			goto out;
	}
	/* Long reads of groups with few streams may move to GetLogEvents
	 * (engine_get.c). */
	getplan_start(e);
	if (mixed)
		insights_mix_start(e);
	else
		engine_start_feeds(e, NULL);
	hist_drain(e);
	while (!e->done && (!hist_finished(e) || !insights_mix_finished(e))) {
		if (e->idle != NULL)
			e->idle(e->cb_arg);
		e->wake = 0;
		if (loop_run_until(e->loop, &e->wake) != 0)
			break;
		if (insights_mix_wake(e))
			engine_mix_fallback(e);
	}
	insights_mix_end(e);
	insights_mix_report(e);
	engine_notice(e, ENGINE_NOTICE_DEBUG,
	    "history: %zu pages in memory at most (budget %zu), %zu with "
	    "responses in flight; %zu pages spilled (%zu for the budget), "
	    "%zu KiB of chunks read back at most",
	    e->st.peak_mem_pages, e->o.max_mem_pages, e->st.peak_held_pages,
	    e->st.spilled, e->st.budget_spills, e->st.peak_chunk_bytes / 1024);
	if (e->st.describe_requests > 0)
		engine_notice(e, ENGINE_NOTICE_DEBUG,
		    "requests: %llu FilterLogEvents, %llu GetLogEvents (%zu "
		    "groups, %zu streams), %llu DescribeLogStreams",
		    (unsigned long long)e->st.requests,
		    (unsigned long long)e->st.get_requests, e->st.get_groups,
		    e->st.get_streams,
		    (unsigned long long)e->st.describe_requests);
	if (e->status == ENGINE_OK && !e->stopping && !loop_stopped(e->loop) &&
	    e->will_follow) {
		if (!live_start(e))
			follow_start(e);
		while (!e->done) {
			if (e->idle != NULL)
				e->idle(e->cb_arg);
			e->wake = 0;
			if (loop_run_until(e->loop, &e->wake) != 0)
				break;
		}
		/* Ctrl-C or the end time: print what is held back. */
		if (e->status == ENGINE_OK)
			follow_release(e, 1);
	}
out:
	if (e->idle != NULL)
		e->idle(e->cb_arg);
	if (e->status != ENGINE_OK) {
		*cause = e->cause;
		e->cause = NULL;
	}
	return (e->status);
}

/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A FilterLogEvents answer for a feed: errors (throttling, retries, a
 * missing group, failures for good), repeated tokens and cycles (see
 * feed_check_page), the cut of a time slice, then the page goes to the
 * history merge or to follow mode.
 */

#include <stdlib.h>
#include <string.h>

#include "aws/loop.h"
#include "core/xmalloc.h"
#include "logs/engine_int.h"
#include "logs/logs.h"
#include "logs/source.h"

#define ENGINE_MAX_BAD_PAGES 3

static void
engine_retry_timer(void *arg)
{
	struct feed *f = arg;

	f->timer = 0;
	f->state = FEED_IDLE;
	engine_request(f->eng, f);
}

/* Retry the same request (same token) after delay_ms. */
static void
engine_retry(struct engine *e, struct feed *f, int64_t delay_ms)
{
	f->state = FEED_TIMER;
	f->timer = loop_timer_in(e->loop, delay_ms, engine_retry_timer, f);
}

/* The group of f does not exist. */
static void
engine_missing(struct engine *e, struct feed *f)
{
	if (e->following || e->will_follow) {
		if (!f->warned_missing)
			engine_notice(e, ENGINE_NOTICE_WARN,
			    "log group '%s' "
			    "does not exist (yet); watching for it",
			    f->src->group);
		f->warned_missing = 1;
		f->missing = 1;
		f->src->missing = 1;
		if (e->following) {
			follow_retry_later(e, f, e->o.missing_recheck_ms);
			return;
		}
		hist_feed_done(e, f);
		return;
	}
	if (f->src->optional) {
		if (!f->warned_missing)
			engine_notice(e, ENGINE_NOTICE_WARN,
			    "log group '%s' "
			    "does not exist (yet)",
			    f->src->group);
		f->warned_missing = 1;
		f->src->missing = 1;
		hist_feed_done(e, f);
		return;
	}
	engine_fail(e, ENGINE_ERR_NOTFOUND, "log group '%s' does not exist",
	    f->src->group);
}

/* A call failed for good (after the request layer's retries). */
static void
engine_error(struct engine *e, struct feed *f, const char *what, int access)
{
	if (e->following) {
		/* Keep going: report once per failure streak, retry later. */
		if (!f->warned_error)
			engine_notice(
			    e, ENGINE_NOTICE_WARN, "%s; retrying", what);
		f->warned_error = 1;
		follow_retry_later(
		    e, f, e->o.interval_ms > 5000 ? e->o.interval_ms : 5000);
		return;
	}
	engine_fail(e, access ? ENGINE_ERR_ACCESS : ENGINE_ERR_AWS, "%s", what);
}

/*
 * A slice stops at its cut: later events belong to the next slice. Pages
 * come in time order, so once one passes the cut the feed is done.
 */
static void
engine_apply_cut(struct feed *f, struct page *p)
{
	if (f->cut == LOGS_TIME_UNSET || p->n == 0 ||
	    p->ev[p->n - 1].ts <= f->cut)
		return;
	while (p->n > 0 && p->ev[p->n - 1].ts > f->cut)
		p->n--;
	free(f->token);
	f->token = NULL;
}

static void engine_answer(
    struct engine *, struct feed *, struct logs_filter_result *, int64_t now);

/*
 * A FilterLogEvents response arrived: its slot is free, so a waiting feed
 * may go. In history, only once the page is stored (kept or spilled): the
 * memory budget counts a page in hand like one in flight.
 */
void
engine_on_page(void *arg, struct logs_filter_result *r)
{
	struct feed *f = arg;
	struct engine *e = f->eng;
	int64_t now = loop_mono(e->loop);

	f->op = NULL;
	f->state = FEED_IDLE;
	e->inflight--;
	e->latency_ms =
	    e->latency_ms == 0
		? (double)(now - f->sent_at)
		: 0.8 * e->latency_ms + 0.2 * (double)(now - f->sent_at);
	if (e->done || r->err == LOGS_ERR_STOPPED)
		return;
	if (e->following) {
		engine_pump(e);
		engine_answer(e, f, r, now);
		return;
	}
	e->in_hand = r->err == LOGS_OK;
	hist_note_held(e);
	engine_answer(e, f, r, now);
	e->in_hand = 0;
	engine_pump(e);
}

/* What the answer says: retry, give up, or a page for the feed. */
static void
engine_answer(
    struct engine *e, struct feed *f, struct logs_filter_result *r, int64_t now)
{
	struct page *p;
	char *next, *cause;
	struct ratelimit *rl = f->get ? &e->rl_get : &e->rl;
	int64_t delay;
	int repeated;

	switch (r->err) {
	case LOGS_OK:
		break;
	case LOGS_ERR_THROTTLED:
		e->st.throttles++;
		ratelimit_throttled(rl, now);
		engine_notice(e, ENGINE_NOTICE_INFO,
		    "throttled on '%s' (%s); "
		    "slowing %sdown to %.1f requests/s",
		    f->src->group, r->code ? r->code : "throttled",
		    f->get ? "GetLogEvents " : "", rl->rate);
		delay = r->retry_after_ms;
		if (delay >= AWS_WAIT_NOTICE_MS && !e->said_long_wait) {
			e->said_long_wait = 1;
			engine_notice(e, ENGINE_NOTICE_WARN,
			    "throttled on '%s': the service asked to wait "
			    "%lld s",
			    f->src->group, (long long)((delay + 999) / 1000));
		}
		if (delay > 0)
			engine_retry(e, f, delay);
		else
			engine_request(e, f);
		return;
	case LOGS_ERR_NOT_FOUND:
		if (f->get) {
			/* The stream went away since it was listed (its
			 * events expired): nothing left to read. */
			engine_notice(e, ENGINE_NOTICE_DEBUG,
			    "'%s': stream '%s' is gone", f->src->group,
			    f->gstream);
			free(f->token);
			f->token = NULL;
			hist_feed_done(e, f);
			return;
		}
		engine_missing(e, f);
		return;
	case LOGS_ERR_BAD_PAGE:
		ratelimit_success(rl, now);
		if (++f->failures < ENGINE_MAX_BAD_PAGES) {
			engine_notice(e, ENGINE_NOTICE_INFO, "%s: %s; retrying",
			    f->src->group, r->message);
			engine_retry(e, f, 200 * f->failures);
			return;
		}
		f->failures = 0;
		/* FALLTHROUGH */
	default:
		if (r->err == LOGS_ERR_ACCESS && f->get &&
		    getfeed_denied(e, f)) {
			engine_request(e, f);
			return;
		}
		cause = xprintf(
		    "%s on '%s': %s", feed_op(f), f->src->group, r->message);
		engine_error(e, f, cause, r->err == LOGS_ERR_ACCESS);
		free(cause);
		return;
	}
	ratelimit_success(rl, now);
	p = r->page;
	next = r->next_token;
	r->page = NULL;
	r->next_token = NULL;
	f->failures = 0;
	f->warned_error = 0;
	if (f->get) {
		getfeed_page(e, f, p, next);
		return;
	}
	if (f->missing) {
		f->missing = 0;
		f->src->missing = 0;
		engine_notice(e, ENGINE_NOTICE_INFO,
		    "log group '%s' exists "
		    "now",
		    f->src->group);
	}
	repeated =
	    next != NULL && f->token != NULL && strcmp(next, f->token) == 0;
	/* A repeated token asks for the same page again. In history, where
	 * nothing else de-duplicates, drop what an earlier answer already
	 * delivered, from then on for the rest of this read: the same place
	 * may come back under another token (an empty page in between).
	 * Follow mode de-duplicates every page anyway. */
	switch (feed_check_page(f, p, next, repeated, &cause)) {
	case FEED_PAGE_CYCLE:
		page_free(p);
		free(next);
		engine_fail(e, ENGINE_ERR_AWS, "%s", cause);
		free(cause);
		return;
	case FEED_PAGE_AGAIN:
		p->n = 0; /* delivered already */
		break;
	case FEED_PAGE_NEW:
		break;
	}
	if (repeated)
		f->reread = 1;
	if (!e->following && f->reread)
		hist_drop_seen(e, f, p);
	if (repeated) {
		if (++f->repeats >= 2) {
			/* Asked again, it answers the same: the read would
			 * never end, and what it has not read is lost. */
			page_free(p);
			free(next);
			engine_fail(e, ENGINE_ERR_AWS,
			    "FilterLogEvents on '%s' returned the token it was "
			    "sent, twice in a row: the read would never end",
			    f->src->group);
			return;
		}
	} else
		f->repeats = 0;
	if (next == NULL)
		f->repeats = 0;
	free(f->token);
	f->token = next;
	if (f->live != NULL)
		live_page(e, f, p); /* Live Tail's backfill or fallback */
	else if (e->following)
		follow_page(e, f, p);
	else {
		engine_apply_cut(f, p);
		if (!getplan_page(e, f, p))
			hist_split(e, f, p);
		hist_page(e, f, p);
	}
}

/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The history read through Logs Insights (get --engine insights): the
 * window's groups in batches of 50, each batch's window in time slices
 * (tasks), one query per task, several in flight; GetQueryResults polled
 * on timers; rows read in pages (nextToken) as the merge needs them and
 * merged in time order into the engine's output. A query over the
 * 100 000-row limit is cut again (engine_insights_rows.c).
 */

#include <stdlib.h>
#include <string.h>

#include "aws/loop.h"
#include "core/xmalloc.h"
#include "logs/engine_insights_int.h"
#include "logs/engine_int.h"
#include "logs/insights.h"

static void ir_poll_now(void *);
static void ir_on_results(void *, struct insights_reply *);

/* Fail the read. */
static void
ir_fail(struct ireader *ir, enum engine_status st, const char *what,
    const struct insights_reply *r)
{
	engine_fail(ir->e, st, "%s: %s", what,
	    r->message != NULL ? r->message : "failed");
}

/* Under auto, before any event: read the window with FilterLogEvents
 * instead (said once, at level, with why). Returns 1 when so. */
static int
ir_fallback(struct ireader *ir, int level, const char *why, const char *what)
{
	struct engine *e = ir->e;

	if (!e->o.insights_auto || e->st.events != 0)
		return (0);
	if (!ir->fallback)
		engine_notice(e, level, "%s (%s); reading with FilterLogEvents",
		    why, what);
	ir->fallback = 1;
	if (!ir->mixed)
		e->done = 1; /* mixed: the run goes on (insights_mix_wake) */
	e->wake = 1;
	return (1);
}

/* A call failed with r: throttled (retry later), or the end. Under auto,
 * any failure before the first event falls back to FilterLogEvents;
 * after it, the read fails with one line. */
static int
ir_error(struct ireader *ir, const char *what, struct insights_reply *r)
{
	struct engine *e = ir->e;

	switch (r->err) {
	case LOGS_ERR_THROTTLED:
		e->st.throttles++;
		return (1);
	case LOGS_ERR_ACCESS:
		if (!ir_fallback(ir, ENGINE_NOTICE_WARN,
			"Logs Insights is not allowed",
			r->message != NULL ? r->message : what))
			ir_fail(ir, ENGINE_ERR_ACCESS, what, r);
		return (0);
	case LOGS_ERR_NOT_FOUND:
		if (!ir_fallback(ir, ENGINE_NOTICE_INFO,
			"Logs Insights refused the read",
			r->message != NULL ? r->message : what))
			ir_fail(ir, ENGINE_ERR_NOTFOUND, what, r);
		return (0);
	case LOGS_ERR_STOPPED:
		e->done = 1;
		e->wake = 1;
		return (0);
	default:
		if (ir_fallback(ir, ENGINE_NOTICE_INFO,
			"Logs Insights refused the read",
			r->message != NULL ? r->message : what))
			return (0);
		if (r->malformed)
			engine_fail(e, ENGINE_ERR_AWS,
			    "Logs Insights rejected the query: %s", r->message);
		else
			ir_fail(ir, ENGINE_ERR_AWS, what, r);
		return (0);
	}
}

static void
ir_pump_timer(void *arg)
{
	struct ireader *ir = arg;

	ir->start_timer = 0;
	ir_pump(ir);
}

/* Throttled or over the concurrency quota: wait, slower each time. */
static void
ir_backoff(struct ireader *ir)
{
	ir->backoff_ms = ir->backoff_ms == 0 ? 1000 : ir->backoff_ms * 2;
	if (ir->backoff_ms > IR_BACKOFF_MAX_MS)
		ir->backoff_ms = IR_BACKOFF_MAX_MS;
	loop_timer_cancel(ir->e->loop, ir->start_timer);
	ir->start_timer =
	    loop_timer_in(ir->e->loop, ir->backoff_ms, ir_pump_timer, ir);
}

/* Send GetQueryResults for tasks waiting to poll, as the budget allows. */
static void
ir_poll_pump(struct ireader *ir)
{
	struct itask *t;
	int64_t wait;

	while (ir->gq_head != NULL && !ir_off(ir)) {
		wait = ratelimit_take(&ir->rl_get, loop_mono(ir->e->loop));
		if (wait > 0) {
			if (ir->get_timer == 0)
				ir->get_timer = loop_timer_in(
				    ir->e->loop, wait, ir_poll_now, ir);
			return;
		}
		t = ir->gq_head;
		ir->gq_head = t->qnext;
		if (ir->gq_head == NULL)
			ir->gq_tail = NULL;
		t->qnext = NULL;
		t->queued = 0;
		ir->e->st.requests++;
		t->op = insights_results_async(ir->e->logs, t->qid,
		    t->paging || t->pf ? t->token : NULL,
		    t->state == IT_POLL ? IR_POLL_ITEMS : ir->page_rows,
		    ir_on_results, t);
	}
}

static void
ir_poll_now(void *arg)
{
	struct ireader *ir = arg;

	ir->get_timer = 0;
	ir_poll_pump(ir);
}

/* Queue t behind the GetQueryResults budget: a read of rows the merge
 * needs goes first, a poll last. */
static void
ir_enqueue(struct ireader *ir, struct itask *t)
{
	t->queued = 1;
	if (t->state == IT_FETCH) {
		t->qnext = ir->gq_head;
		ir->gq_head = t;
		if (ir->gq_tail == NULL)
			ir->gq_tail = t;
	} else {
		if (ir->gq_tail != NULL)
			ir->gq_tail->qnext = t;
		else
			ir->gq_head = t;
		ir->gq_tail = t;
	}
	ir_poll_pump(ir);
}

/* A task's poll (or its retried read) is due. */
static void
ir_poll_due(void *arg)
{
	struct itask *t = arg;

	t->timer = 0;
	ir_enqueue(t->ir, t);
}

static void ir_page_in(struct ireader *, struct itask *, int, int);

/* Read the next page of the queries whose page the merge has used up
 * (ir_page_next), and again the rows of finished queries the merge gets
 * near, as the memory budget allows (ir_fetch_next). */
static void
ir_fetch_pump(struct ireader *ir)
{
	struct itask *t;

	while (!ir_off(ir) && (t = ir_page_next(ir)) != NULL) {
		ir_carry(ir, t); /* held: the carried rows only */
		t->state = IT_FETCH;
		t->paging = 1;
		t->floor = t->page_last;
		ir->ready--;
		ir->pages++;
		if (t->has_next) {
			/* Read ahead: in place now. */
			t->ans = t->ahead;
			memset(&t->ahead, 0, sizeof t->ahead);
			t->has_next = 0;
			ir->held -= t->next_bytes;
			ir_page_in(ir, t, 1, 1);
		} else if (!t->pf)
			ir_enqueue(ir, t);
	}
	while (!ir_off(ir) && (t = ir_prefetch_next(ir)) != NULL) {
		t->pf = 1;
		ir_enqueue(ir, t);
	}
	while (!ir_off(ir) && (t = ir_fetch_next(ir)) != NULL) {
		t->state = IT_FETCH;
		t->paging = 0;
		t->got = 0;
		ir->held += t->bytes; /* its known size, reserved */
		if (ir->held > ir->peak_held)
			ir->peak_held = ir->held;
		ir->refetches++;
		ir_enqueue(ir, t);
	}
}

/* Rows were merged out or a query finished: read, merge, start more. */
static void
ir_advance(struct ireader *ir)
{
	ir_merge(ir);
	ir_fetch_pump(ir);
	ir_pump(ir);
	ir->e->wake = 1;
}

/* Poll t again later, a little later each time. */
static void
ir_poll_later(struct ireader *ir, struct itask *t)
{
	t->poll_ms = t->poll_ms == 0 ? IR_POLL_FIRST_MS : t->poll_ms * 3 / 2;
	if (t->poll_ms > IR_POLL_MAX_MS)
		t->poll_ms = IR_POLL_MAX_MS;
	t->timer = loop_timer_in(ir->e->loop, t->poll_ms, ir_poll_due, t);
}

/* A StartQuery answer. */
static void
ir_on_start(void *arg, struct insights_reply *r)
{
	struct itask *t = arg;
	struct ireader *ir = t->ir;
	struct engine *e = ir->e;

	t->op = NULL;
	if (r->err == LOGS_OK) {
		t->qid = r->query_id;
		r->query_id = NULL;
		ir->queries++;
		ir->backoff_ms = 0;
		ratelimit_success(&ir->rl_start, loop_mono(e->loop));
		t->state = IT_POLL;
		if (ir->closing) {
			/* The run ended while it was being started (counted
			 * in ir->stops by ir_close). */
			e->st.requests++;
			t->op =
			    insights_stop_async(e->logs, t->qid, ir_on_stop, t);
			return;
		}
		ir_poll_later(ir, t);
		return;
	}
	ir->running--;
	t->state = IT_WAIT;
	if (ir->closing) {
		if (--ir->stops <= 0)
			ir->stops_done = 1;
		return;
	}
	if (ir_error(ir, "StartQuery", r)) {
		/* Over the concurrency quota (LimitExceededException) or
		 * the rate: fewer at once, and wait. */
		if (r->code != NULL &&
		    strcmp(r->code, "LimitExceededException") == 0)
			ir->max_running = ir->running > 1 ? ir->running : 1;
		else
			ratelimit_throttled(&ir->rl_start, loop_mono(e->loop));
		ir_backoff(ir);
	}
}

/* t's query returned too many rows and its range (or groups) were cut
 * again: it waits to start again, holding nothing. */
static void
ir_restart(struct ireader *ir, struct itask *t)
{
	(void)ir;
	insights_answer_free(&t->ans);
	free(t->ev);
	free(t->qid);
	free(t->token);
	free(t->carry);
	t->ev = NULL;
	t->qid = t->token = t->carry = NULL;
	t->n = t->pos = t->got = t->bytes = t->carry_len = 0;
	t->paging = 0;
	t->poll_ms = 0;
	t->floor = t->lo;
	t->state = IT_WAIT;
}

/* A GetQueryResults answer. */
static void
ir_on_results(void *arg, struct insights_reply *r)
{
	static const char *names[] = {"Scheduled", "Running", "Complete",
	    "Failed", "Cancelled", "Timeout", "Unknown"};
	struct itask *t = arg;
	struct ireader *ir = t->ir;
	struct engine *e = ir->e;
	int fetch, paging;

	t->op = NULL;
	if (r->err != LOGS_OK) {
		if (ir_error(ir, "GetQueryResults", r)) {
			ratelimit_throttled(&ir->rl_get, loop_mono(e->loop));
			ir_poll_later(ir, t);
		}
		return;
	}
	ratelimit_success(&ir->rl_get, loop_mono(e->loop));
	fetch = t->state == IT_FETCH;
	paging = fetch && t->paging;
	if ((fetch || t->pf) && r->answer.status != INSIGHTS_COMPLETE) {
		engine_fail(e, ENGINE_ERR_AWS,
		    "the results of a finished Logs Insights query are gone "
		    "(status %s)",
		    names[r->answer.status]);
		return;
	}
	switch (r->answer.status) {
	case INSIGHTS_SCHEDULED:
	case INSIGHTS_RUNNING:
		ir_poll_later(ir, t);
		return;
	case INSIGHTS_COMPLETE:
		break;
	default:
		ir->running--;
		free(t->qid); /* nothing left to stop */
		t->qid = NULL;
		if (ir_fallback(ir, ENGINE_NOTICE_INFO,
			"a Logs Insights query ended", names[r->answer.status]))
			return;
		engine_fail(e, ENGINE_ERR_AWS,
		    "a Logs Insights query ended %s%s", names[r->answer.status],
		    r->answer.status == INSIGHTS_TIMEOUT
			? " (60 minutes): use --engine filter or a shorter "
			  "window"
			: "");
		return;
	}
	if (t->pf) {
		t->pf = 0;
		if (t->state == IT_DONE) {
			/* The merge is still on the page before: keep it. */
			t->ahead = r->answer;
			memset(&r->answer, 0, sizeof r->answer);
			t->has_next = 1;
			t->next_bytes =
			    t->ahead.mem_len + t->ahead.n * sizeof *t->ahead.ev;
			ir->held += t->next_bytes;
			if (ir->held > ir->peak_held)
				ir->peak_held = ir->held;
			return;
		}
	}
	t->ans = r->answer;
	memset(&r->answer, 0, sizeof r->answer);
	ir_page_in(ir, t, fetch, paging);
}

/* t->ans is a complete answer (fetch: rows read again; paging: the next
 * page): its rows, held or dropped, then the merge goes on. */
static void
ir_page_in(struct ireader *ir, struct itask *t, int fetch, int paging)
{
	int rc;

	free(t->token);
	t->token = t->ans.next_token;
	t->ans.next_token = NULL;
	if (paging) {
		ir->held -= t->bytes; /* the carry; counted again below */
	} else if (fetch) {
		ir->held -= t->bytes; /* the reservation; counted again below */
		ir->complete--;
	} else {
		ir->running--;
		if (ir->max_running < ir->conc)
			ir->max_running++;
		ir->bytes += t->ans.bytes;
		ir->has_stats |= t->ans.has_stats;
	}
	rc = paging ? 0 : ir_capped_early(ir, t);
	if (rc == 0)
		rc = ir_rows(ir, t);
	if (rc < 0)
		return;
	if (rc > 0) {
		/* Cut again (over the limit): start it again. */
		ir_restart(ir, t);
		ir_advance(ir);
		return;
	}
	if (!fetch) {
		ir->answers++;
		if (t->bytes > ir->answer_max)
			ir->answer_max = t->bytes;
	}
	if (paging && t->bytes > ir->page_max)
		ir->page_max = t->bytes;
	if (!fetch && !ir_hold_ok(ir, t)) {
		/* Too far ahead of the merge: the service keeps the rows;
		 * read them again when the merge gets near (ir_fetch_pump). */
		free(t->ev);
		t->ev = NULL;
		t->n = 0;
		insights_answer_free(&t->ans);
		free(t->token); /* read again from the first page */
		t->token = NULL;
		free(t->carry);
		t->carry = NULL;
		t->carry_len = 0;
		t->state = IT_COMPLETE;
		ir->complete++;
		ir_advance(ir);
		return;
	}
	if (t->token == NULL) {
		free(t->qid); /* every page read */
		t->qid = NULL;
	}
	t->state = IT_DONE;
	ir->ready++;
	ir->held += t->bytes;
	if (ir->held > ir->peak_held)
		ir->peak_held = ir->held;
	if (ir->ready > ir->peak_ready)
		ir->peak_ready = ir->ready;
	ir_advance(ir);
}

/* The earliest task not started, of any batch. */
static struct itask *
ir_next_task(struct ireader *ir)
{
	struct itask *t, *best = NULL;
	size_t b;

	for (b = 0; b < ir->nb; b++) {
		for (t = ir->b[b].head; t != NULL; t = t->next) {
			if (t->state == IT_WAIT &&
			    (best == NULL || t->lo < best->lo))
				best = t;
		}
	}
	return (best);
}

/* Start queries while the concurrency quota, the StartQuery budget and
 * IR_MAX_STARTED allow: memory does not bound them (a finished query's
 * rows wait on the service, see ir_hold_ok). */
void
ir_pump(struct ireader *ir)
{
	struct engine *e = ir->e;
	struct insights_start q;
	struct ibatch *b;
	struct itask *t;
	int64_t wait;

	if (ir_off(ir) || ir->start_timer != 0)
		return;
	while (ir->running < ir->max_running) {
		t = ir_next_task(ir);
		if (t == NULL)
			return;
		/* Not too far ahead, unless the merge waits for it (a task
		 * split off at the cap). */
		if (ir->running + ir->ready + ir->complete >= IR_MAX_STARTED &&
		    ir_rank(ir, t) > 0)
			return;
		wait = ratelimit_take(&ir->rl_start, loop_mono(e->loop));
		if (wait > 0) {
			ir->start_timer =
			    loop_timer_in(e->loop, wait, ir_pump_timer, ir);
			return;
		}
		b = &ir->b[t->batch];
		memset(&q, 0, sizeof q);
		q.groups = t->groups != NULL ? t->groups : b->groups;
		q.ngroups = t->groups != NULL ? t->ngroups : b->n;
		q.limit = IR_QUERY_LIMIT;
		/* Seconds, both ends inclusive: cover [lo, hi] whether the
		 * end second counts whole or not; rows outside are
		 * dropped. */
		q.start_s = t->lo / 1000;
		q.end_s = (t->hi + 999) / 1000;
		q.query = ir->query;
		t->state = IT_START;
		t->poll_ms = 0;
		ir->running++;
		if (ir->running > ir->peak_running)
			ir->peak_running = ir->running;
		e->st.requests++;
		t->op = insights_start_async(e->logs, &q, ir_on_start, t);
	}
}

/* Rows were merged out by the history merge: read and start more. */
void
ir_after_merge(struct ireader *ir)
{
	ir_fetch_pump(ir);
	ir_pump(ir);
}

/* Read the history through Logs Insights; see engine_int.h. */
int
insights_read(struct engine *e)
{
	struct ireader ir;

	memset(&ir, 0, sizeof ir);
	if (ir_open(&ir, e, 0) != 0)
		return (0);
	while (!e->done && !ir_finished(&ir)) {
		if (e->idle != NULL)
			e->idle(e->cb_arg);
		e->wake = 0;
		if (loop_run_until(e->loop, &e->wake) != 0)
			break;
	}
	ir_close(&ir);
	ir_report(&ir);
	ir_free(&ir);
	if (ir.fallback && e->status == ENGINE_OK) {
		e->done = 0;
		e->wake = 0;
		return (1);
	}
	return (0);
}

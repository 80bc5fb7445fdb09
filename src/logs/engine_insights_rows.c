/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The Logs Insights reader's data side: its batches and tasks (time
 * slices), the rows of a finished query (cut at the cap, filtered to the
 * task's range and sources, sorted, without repeats) and their merge in
 * time order into the engine's output.
 */

#include <stdlib.h>
#include <string.h>

#include "aws/loop.h"
#include "core/xmalloc.h"
#include "logs/engine_insights_int.h"
#include "logs/engine_int.h"
#include "logs/groupspec.h"
#include "logs/insights.h"
#include "logs/source.h"

/* A new task of batch b over [lo, hi], linked after prev (NULL: head). */
struct itask *
ir_task(
    struct ireader *ir, size_t b, int64_t lo, int64_t hi, struct itask *prev)
{
	struct itask *t = xcalloc(1, sizeof *t);

	t->ir = ir;
	t->batch = b;
	t->lo = lo;
	t->hi = hi;
	t->floor = lo;
	t->page_last = lo;
	if (prev != NULL) {
		t->next = prev->next;
		prev->next = t;
	} else {
		t->next = ir->b[b].head;
		ir->b[b].head = t;
	}
	return (t);
}

/* Free a task: cancel what it waits for. */
void
ir_task_free(struct ireader *ir, struct itask *t)
{
	struct itask **pp;

	loop_timer_cancel(ir->e->loop, t->timer);
	insights_op_cancel(t->op);
	if (t->queued) {
		for (pp = &ir->gq_head; *pp != NULL; pp = &(*pp)->qnext) {
			if (*pp == t) {
				*pp = t->qnext;
				break;
			}
		}
		ir->gq_tail = NULL;
		for (pp = &ir->gq_head; *pp != NULL; pp = &(*pp)->qnext)
			ir->gq_tail = *pp;
	}
	if (t->state == IT_DONE || t->state == IT_FETCH)
		ir->held -= t->bytes;
	insights_answer_free(&t->ans);
	free(t->ev);
	free(t->qid);
	free(t->token);
	free(t->carry);
	free(t->groups);
	if (t->has_next)
		ir->held -= t->next_bytes;
	insights_answer_free(&t->ahead);
	free(t);
}

/* Split [lo, hi] of batch b into about k tasks after prev (NULL: the
 * batch's first). Returns the last task made. */
struct itask *
ir_split(struct ireader *ir, size_t b, int64_t lo, int64_t hi, size_t k,
    struct itask *prev)
{
	int64_t cuts[IR_MAX_FIRST_SLICES];
	size_t m, i;

	if (k > IR_MAX_FIRST_SLICES)
		k = IR_MAX_FIRST_SLICES;
	m = insights_cuts(lo, hi, k, cuts);
	for (i = 0; i <= m; i++) {
		prev = ir_task(ir, b, i == 0 ? lo : cuts[i - 1],
		    i == m ? hi : cuts[i] - 1, prev);
	}
	return (prev);
}

/* Does the message match the filter pattern? (checked again: moto
 * ignores `filter`) */
static int
ir_terms_ok(struct ireader *ir, const struct event *ev)
{
	return (fpattern_match(ir->fp, ev->msg, ev->msg_len));
}

/* The task whose next page to ask for ahead of the merge: of the first
 * IR_AHEAD + 1 tasks of a batch, one with more pages, none asked for;
 * the merge's own always, the others while the held bytes leave room
 * for a page. Or NULL. */
struct itask *
ir_prefetch_next(struct ireader *ir)
{
	struct itask *t;
	size_t b, k;

	for (b = 0; b < ir->nb; b++) {
		k = 0;
		for (t = ir->b[b].head; t != NULL && k <= ir->ahead;
		     t = t->next, k++) {
			if (t->state == IT_DONE && t->token != NULL && !t->pf &&
			    !t->has_next &&
			    (k == 0 ||
				ir->held + ir->page_max <= ir->mem_budget))
				return (t);
		}
	}
	return (NULL);
}

/* Order of rows: (timestamp, ingestion time, source, @ptr). */
static int
ir_row_cmp(const void *a, const void *b)
{
	const struct event *x = a, *y = b;

	if (x->ts != y->ts)
		return (x->ts < y->ts ? -1 : 1);
	if (x->ingest != y->ingest)
		return (x->ingest < y->ingest ? -1 : 1);
	if (x->src != y->src)
		return (x->src < y->src ? -1 : 1);
	if (x->id == NULL || y->id == NULL)
		return ((x->id == NULL) - (y->id == NULL));
	return (strcmp(x->id, y->id));
}

/* More events in one second of t's groups than a query returns: read
 * them by halves of the groups (a batch of its own for the second half),
 * or, for one group, give up: FilterLogEvents under auto when nothing was
 * printed yet. Returns 1 (t starts again), or -1. */
static int
ir_busy_second(struct ireader *ir, struct itask *t)
{
	struct engine *e = ir->e;
	struct ibatch *b = &ir->b[t->batch];
	const char **g = t->groups != NULL ? t->groups : b->groups;
	size_t n = t->groups != NULL ? t->ngroups : b->n, h = n / 2;
	struct ibatch *nb;

	if (n > 1) {
		ir->b = xreallocarray(ir->b, ir->nb + 1, sizeof *ir->b);
		nb = &ir->b[ir->nb];
		nb->groups = xmemdup(g + h, (n - h) * sizeof *g);
		nb->n = n - h;
		nb->head = NULL;
		ir->nb++;
		ir_task(ir, ir->nb - 1, t->lo, t->hi, NULL);
		g = xmemdup(g, h * sizeof *g);
		free(t->groups);
		t->groups = g;
		t->ngroups = h;
		ir->splits++;
		return (1);
	}
	if (e->o.insights_auto && e->st.events == 0) {
		engine_notice(e, ENGINE_NOTICE_WARN,
		    "more than %d events in one second of log group '%s': "
		    "reading with FilterLogEvents",
		    IR_QUERY_LIMIT, g[0]);
		ir->fallback = 1;
		if (!ir->mixed)
			e->done = 1;
		e->wake = 1;
		return (-1);
	}
	engine_fail(e, ENGINE_ERR_AWS,
	    "more than %d events in one second of log group '%s' in a Logs "
	    "Insights query: use --engine filter",
	    IR_QUERY_LIMIT, g[0]);
	return (-1);
}

/* Is t's finished query over the limit (its statistics say more rows
 * matched than it returns)? Then its range is cut again before any of its
 * rows is read (or its groups halved when it is one second): returns 1
 * and t waits to start again, -1 when the read cannot go on, 0 when the
 * rows are all there (or the service gives no statistics: the last page
 * tells, see ir_rows). */
int
ir_capped_early(struct ireader *ir, struct itask *t)
{
	int64_t cuts[16];
	struct itask *prev = t;
	size_t k, m, i;

	if (!t->ans.has_stats || t->ans.matched <= (double)IR_QUERY_LIMIT)
		return (0);
	k = (size_t)(t->ans.matched / IR_ROWS_PER_TASK) + 1;
	if (k > 16)
		k = 16;
	m = insights_cuts(t->lo, t->hi, k, cuts);
	if (m == 0)
		return (ir_busy_second(ir, t));
	for (i = 0; i < m; i++)
		prev = ir_task(ir, t->batch, cuts[i],
		    i + 1 < m ? cuts[i + 1] - 1 : t->hi, prev);
	t->hi = cuts[0] - 1;
	ir->splits++;
	return (1);
}

/* The rows of a page of a finished query, with those carried from the
 * page before: split off what the limit left out (the last page of a
 * query that returned IR_QUERY_LIMIT rows), keep the rows of the task's
 * range and sources, sorted, without repeats. Returns -1 when the read
 * cannot go on. */
int
ir_rows(struct ireader *ir, struct itask *t)
{
	struct engine *e = ir->e;
	struct insights_answer *a = &t->ans;
	struct ibatch *b = &ir->b[t->batch];
	struct event *rows = a->ev, *carry = t->ev;
	const char *g;
	int64_t last = INT64_MIN;
	size_t i, j, n = 0, cap = 0, k, ncarry = t->n;

	t->ev = NULL;
	t->n = t->pos = 0;
	t->got += a->rows;
	for (i = 0; i < a->n; i++)
		if (a->ev[i].ts > last)
			last = a->ev[i].ts;
	if (t->token != NULL) {
		if (last != INT64_MIN)
			t->page_last = last;
	} else if (t->got >= IR_QUERY_LIMIT && last <= t->hi) {
		/* Capped (no statistics told before): the rows before the
		 * last timestamp are all there; the rest of the range is
		 * read again, split. */
		if (last / 1000 <= t->lo / 1000) {
			free(carry);
			if (t->got > a->rows) {
				/* Pages of it are out: no reading it again. */
				engine_fail(e, ENGINE_ERR_AWS,
				    "more than %d events in one second in a "
				    "Logs Insights query: use --engine filter",
				    IR_QUERY_LIMIT);
				return (-1);
			}
			return (ir_busy_second(ir, t) > 0 ? 1 : -1);
		}
		k = (size_t)((double)t->got / IR_ROWS_PER_TASK) + 1;
		if (k > 16)
			k = 16;
		ir_split(ir, t->batch, last, t->hi, k, t);
		t->hi = last - 1;
		ir->splits++;
	}
	if (ir->one_src && a->n > 0 && ncarry == 0) {
		/* A row belongs to one source at most: keep the rows in the
		 * decoded array, no copy. */
		t->ev = a->ev;
		a->ev = NULL;
		cap = a->n;
	}
	for (i = 0; i < a->n; i++) {
		struct event *ev = &rows[i];

		if (ev->ts < t->lo || ev->ts > t->hi || !ir_terms_ok(ir, ev))
			continue;
		g = a->group[i];
		if (g == NULL && b->n == 1)
			g = b->groups[0];
		if (g == NULL)
			continue;
		for (j = 0; j < e->nsrc; j++) {
			struct source *s = e->srcs[j];

			if (s->missing ||
			    (e->ir_src != NULL && !e->ir_src[j]) ||
			    !groupspec_same(s->group, g) ||
			    !source_stream_ok(s, ev->stream, ev->stream_len))
				continue;
			if (n == cap) {
				cap = cap == 0 ? a->n + ncarry + 1 : cap * 2;
				t->ev =
				    xreallocarray(t->ev, cap, sizeof *t->ev);
			}
			t->ev[n] = *ev; /* n <= i when in place */
			t->ev[n++].src = (uint32_t)j;
			if (t->ev == rows)
				break;
		}
	}
	for (i = 0; i < ncarry; i++) {
		/* Rows of the last timestamp of the page before. */
		if (carry[i].ts > t->hi)
			continue;
		if (n == cap) {
			cap = cap == 0 ? ncarry + 1 : cap * 2;
			t->ev = xreallocarray(t->ev, cap, sizeof *t->ev);
		}
		t->ev[n++] = carry[i];
	}
	free(carry);
	if (n > 0)
		qsort(t->ev, n, sizeof *t->ev, ir_row_cmp);
	for (i = 0, j = 0; i < n; i++) {
		if (j > 0 && t->ev[i].id != NULL && t->ev[j - 1].id != NULL &&
		    t->ev[i].src == t->ev[j - 1].src &&
		    strcmp(t->ev[i].id, t->ev[j - 1].id) == 0)
			continue; /* the same row twice */
		t->ev[j] = t->ev[i];
		t->ev[j++].seq = ir->seq++;
	}
	t->n = j;
	/* Keep only the strings and the rows kept: the decoded arrays go,
	 * the kept ones shrink to fit. */
	insights_answer_free_rows(a);
	if (j == 0) {
		free(t->ev);
		t->ev = NULL;
		insights_answer_free(a);
		free(t->carry);
		t->carry = NULL;
		t->carry_len = 0;
	} else
		t->ev = xreallocarray(t->ev, j, sizeof *t->ev);
	t->bytes = a->mem_len + t->carry_len + j * sizeof *t->ev;
	return (0);
}

/* Copy the rows of t not merged yet (those of its page's last timestamp)
 * with their strings into t->carry, and free the page: the next page is
 * read (see insights.h for the owners). */
void
ir_carry(struct ireader *ir, struct itask *t)
{
	size_t i, need = 0, n = t->n - t->pos;
	struct event *ev = NULL;
	char *mem = NULL, *p;

	for (i = t->pos; i < t->n; i++)
		need += t->ev[i].stream_len + t->ev[i].msg_len +
			(t->ev[i].id != NULL ? t->ev[i].id_len + 1 : 0) + 2;
	if (n > 0) {
		ev = xreallocarray(NULL, n, sizeof *ev);
		mem = p = xmalloc(need);
		for (i = 0; i < n; i++) {
			ev[i] = t->ev[t->pos + i];
			memcpy(p, ev[i].stream, ev[i].stream_len);
			p[ev[i].stream_len] = '\0';
			ev[i].stream = p;
			p += ev[i].stream_len + 1;
			memcpy(p, ev[i].msg, ev[i].msg_len);
			p[ev[i].msg_len] = '\0';
			ev[i].msg = p;
			p += ev[i].msg_len + 1;
			if (ev[i].id != NULL) {
				memcpy(p, ev[i].id, ev[i].id_len);
				p[ev[i].id_len] = '\0';
				ev[i].id = p;
				p += ev[i].id_len + 1;
			}
		}
	}
	free(t->ev);
	free(t->carry);
	insights_answer_free(&t->ans);
	t->ev = ev;
	t->n = n;
	t->pos = 0;
	t->carry = mem;
	t->carry_len = need;
	ir->held -= t->bytes;
	t->bytes = need + n * sizeof *ev;
	ir->held += t->bytes;
}

/* The task whose next page the merge needs now (its rows before the
 * page's last timestamp are all merged out), or NULL. */
struct itask *
ir_page_next(struct ireader *ir)
{
	struct itask *t;
	size_t b;

	for (b = 0; b < ir->nb; b++) {
		t = ir->b[b].head;
		if (t != NULL && t->state == IT_DONE && t->token != NULL &&
		    (t->pos == t->n || t->ev[t->pos].ts >= t->page_last))
			return (t);
	}
	return (NULL);
}

/* How many tasks of t's batch before it are not done: 0 when the merge
 * waits for t. */
size_t
ir_rank(struct ireader *ir, struct itask *t)
{
	struct itask *u;
	size_t k = 0;

	for (u = ir->b[t->batch].head; u != NULL && u != t; u = u->next)
		if (u->state != IT_DONE)
			k++;
	return (k);
}

/* Hold t's rows now (it has just finished; t->bytes is their size)? The
 * merge's next task of its batch always: the merge waits for it. Up to
 * IR_AHEAD tasks after that one while the held bytes stay within
 * IR_MEM_BUDGET. Otherwise they wait on the service (IT_COMPLETE). */
int
ir_hold_ok(struct ireader *ir, struct itask *t)
{
	size_t k = ir_rank(ir, t);

	/* A first page of IR_POLL_ITEMS rows with more to read costs next
	 * to nothing: held, its pages read when the merge gets near. */
	return (k == 0 || (t->token != NULL && t->n <= IR_POLL_ITEMS) ||
		(k <= ir->ahead && ir->held + t->bytes <= ir->mem_budget));
}

/* The finished task whose rows to read again now, by the rule of
 * ir_hold_ok, or NULL. */
struct itask *
ir_fetch_next(struct ireader *ir)
{
	struct itask *t;
	size_t b, k;

	for (b = 0; b < ir->nb; b++) {
		k = 0;
		for (t = ir->b[b].head; t != NULL && k <= ir->ahead;
		     t = t->next) {
			if (t->state == IT_DONE)
				continue;
			if (t->state == IT_COMPLETE &&
			    (k == 0 || ir->held + t->bytes <= ir->mem_budget))
				return (t);
			k++;
		}
	}
	return (NULL);
}

/* The task whose row the merge may take next (t->ev[t->pos], which may
 * be at or past *bound), or NULL; *bound: no row still to come from an
 * unfinished task or page is older. Finished tasks are freed. */
struct itask *
ir_peek(struct ireader *ir, int64_t *bound)
{
	struct itask *t, *bt = NULL;
	struct event *best = NULL;
	size_t b;

	*bound = INT64_MAX;
	for (b = 0; b < ir->nb; b++) {
		t = ir->b[b].head;
		while (t != NULL && t->state == IT_DONE && t->pos == t->n &&
		       t->token == NULL) {
			ir->b[b].head = t->next;
			ir->ready--;
			ir_task_free(ir, t);
			t = ir->b[b].head;
		}
		if (t == NULL)
			continue;
		if (t->state != IT_DONE) {
			if (t->floor < *bound)
				*bound = t->floor;
			continue;
		}
		if (t->token != NULL) {
			/* More pages: the next one may hold rows of this
			 * page's last timestamp. */
			if (t->page_last < *bound)
				*bound = t->page_last;
			if (t->pos == t->n || t->ev[t->pos].ts >= t->page_last)
				continue;
		}
		if (best == NULL || event_cmp(&t->ev[t->pos], best) < 0) {
			best = &t->ev[t->pos];
			bt = t;
		}
	}
	return (bt);
}

/* Emit rows while no task could still give an older one. Beside the
 * other pools, the history merge does it (hist_drain asks ir_peek). */
void
ir_merge(struct ireader *ir)
{
	struct engine *e = ir->e;
	struct itask *bt;
	struct event ev;
	int64_t bound;

	if (ir->mixed) {
		if (!ir_off(ir))
			hist_drain(e);
		return;
	}
	while (!e->done) {
		bt = ir_peek(ir, &bound);
		if (bt == NULL || bt->ev[bt->pos].ts >= bound)
			return;
		ev = bt->ev[bt->pos++];
		if (engine_emit_event(e, &ev, e->srcs[ev.src]) != 0)
			return;
	}
}

/* The batches: the groups of the sources that exist, 50 a query. */
void
ir_batches(struct ireader *ir)
{
	struct engine *e = ir->e;
	const char **names = NULL;
	size_t i, j, n = 0, off, m, nsel = 0;

	for (i = 0; i < e->nsrc; i++) {
		struct source *s = e->srcs[i];

		if (e->ir_src != NULL && !e->ir_src[i])
			continue; /* another pool reads it */
		nsel++;
		if (s->missing) {
			if (s->optional)
				engine_notice(e, ENGINE_NOTICE_WARN,
				    "log group '%s' does not exist (yet)",
				    s->group);
			else
				engine_fail(e, ENGINE_ERR_NOTFOUND,
				    "log group '%s' does not exist", s->group);
			continue;
		}
		for (j = 0; j < n; j++)
			if (strcmp(names[j], s->group) == 0)
				break;
		if (j < n)
			continue;
		names = xreallocarray(names, n + 1, sizeof *names);
		names[n++] = s->group;
	}
	/* Every source a group of its own: a row belongs to one at most. */
	ir->one_src = n == nsel;
	for (off = 0; off < n; off += m) {
		m = n - off > INSIGHTS_MAX_GROUPS ? INSIGHTS_MAX_GROUPS
						  : n - off;
		ir->b = xreallocarray(ir->b, ir->nb + 1, sizeof *ir->b);
		ir->b[ir->nb].groups = xmemdup(names + off, m * sizeof *names);
		ir->b[ir->nb].n = m;
		ir->b[ir->nb++].head = NULL;
	}
	free(names);
}

/* The first tasks of each batch: enough to fill the concurrency, more
 * when the estimate says the window holds many rows (the estimate is of
 * ngroups groups: the whole read's, of which the reader may have a
 * share). */
void
ir_first_tasks(struct ireader *ir, int64_t lo, int64_t hi, size_t ngroups)
{
	double rows;
	size_t b, k, kmin;

	kmin = (IR_CONCURRENCY + ir->nb - 1) / ir->nb;
	for (b = 0; b < ir->nb; b++) {
		rows = ir->e->o.insights_estimate / IR_EVENT_BYTES *
		       (double)ir->b[b].n / (double)ngroups;
		k = (size_t)(rows / IR_ROWS_PER_TASK) + 1;
		if (k < kmin)
			k = kmin;
		if (ir->e->o.insights_slices > 0)
			k = ir->e->o.insights_slices;
		ir_split(ir, b, lo, hi, k, NULL);
	}
}

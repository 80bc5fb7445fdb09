/* SPDX-License-Identifier: Apache-2.0 */
/* The poll scheduler of --watch; the policy is in pollsched.h. */

#include <math.h>
#include <stdlib.h>

#include "core/xmalloc.h"
#include "logs/pollsched.h"

#define POLLSCHED_MIN_RATE 0.01 /* requests/s: a floor against zero */
/* The quiet groups' share is planned a tenth above what the idle bound
 * needs, so that pacing and pages do not push them past it. */
#define POLLSCHED_SLACK 1.1
/* Every group is polled in turn, and waited for, when that costs the active
 * groups no more than this factor of their own period (pollsched.h). */
#define POLLSCHED_MERGE 2.0

/* Start a scheduler of groups polled every interval_ms at best. */
void
pollsched_init(struct pollsched *ps, int64_t interval_ms)
{
	ps->interval_ms = interval_ms > 0 ? interval_ms : 1000;
	ps->slot = NULL;
	ps->n = 0;
	ps->next_grant = INT64_MIN;
	ps->grants = 0;
	ps->qcredit = 1;
	ps->qlast = INT64_MIN;
}

/* Free the slots. */
void
pollsched_free(struct pollsched *ps)
{
	free(ps->slot);
	ps->slot = NULL;
	ps->n = 0;
}

/* Add a group; see pollsched.h. */
size_t
pollsched_add(struct pollsched *ps, int64_t now, int active)
{
	struct pollsched_slot *s;

	ps->slot = xreallocarray(ps->slot, ps->n + 1, sizeof *ps->slot);
	s = &ps->slot[ps->n];
	s->state = POLLSCHED_IDLE;
	s->last_start = INT64_MIN;
	s->last_events = active ? now : INT64_MIN;
	s->not_before = now;
	s->polls = 0;
	s->done = 0;
	s->cost = 1;
	s->cur = 0;
	return (ps->n++);
}

/* Did slot return events in the last POLLSCHED_ACTIVE_MS? */
int
pollsched_active(const struct pollsched *ps, size_t i, int64_t now)
{
	const struct pollsched_slot *s = &ps->slot[i];

	return (s->state != POLLSCHED_OFF && s->last_events != INT64_MIN &&
		now - s->last_events < POLLSCHED_ACTIVE_MS);
}

static int64_t
pollsched_ms(double ms)
{
	return ((int64_t)ceil(ms - 1e-6));
}

/*
 * Favouring the active groups leaves the quiet ones polled rarely, and so
 * not waited for: one that wakes up prints its first lines late. When the
 * budget is so tight that the active groups' period is already at least
 * 1/POLLSCHED_MERGE of the round-robin one (rr), every group is polled in
 * turn every rr instead, and every group counts for time order.
 */
static void
pollsched_merge(struct pollsched_plan *pl, double rr, double rate,
    double cost_a, double cost_q)
{
	if (pl->nquiet == 0 || pl->quiet_ms <= pl->active_ms ||
	    rr > POLLSCHED_MERGE * (double)pl->active_ms)
		return;
	pl->merged = 1;
	pl->active_ms = pl->quiet_ms = pollsched_ms(rr);
	pl->quiet_share = rate * cost_q / (cost_a + cost_q);
}

/* The periods; see pollsched.h for the policy. Rates are in requests/s,
 * a poll costing what the group's recent polls took. */
void
pollsched_plan(const struct pollsched *ps, int64_t now, double rate,
    struct pollsched_plan *pl)
{
	double n, rq, ra, rr, cost_a = 0, cost_q = 0;
	size_t i;

	if (rate < POLLSCHED_MIN_RATE)
		rate = POLLSCHED_MIN_RATE;
	pl->nactive = pl->nquiet = 0;
	pl->merged = 0;
	for (i = 0; i < ps->n; i++) {
		if (ps->slot[i].state == POLLSCHED_OFF)
			continue;
		if (pollsched_active(ps, i, now)) {
			pl->nactive++;
			cost_a += ps->slot[i].cost;
		} else {
			pl->nquiet++;
			cost_q += ps->slot[i].cost;
		}
	}
	n = (double)(pl->nactive + pl->nquiet);
	/* Round-robin: every group in turn at the full rate. */
	rr = (cost_a + cost_q) * 1000.0 / rate;
	if (rr < (double)ps->interval_ms)
		rr = (double)ps->interval_ms;
	pl->active_ms = ps->interval_ms;
	pl->quiet_ms = pollsched_ms(rr);
	pl->quiet_share = rate;
	if (pl->nactive == 0) {
		pollsched_merge(pl, rr, rate, cost_a, cost_q);
		return;
	}
	/* Quiet groups keep a third of their round-robin share (and the
	 * slack); active groups take what they need of the rest. */
	rq = POLLSCHED_SLACK * rate * (double)pl->nquiet / (3.0 * n);
	pl->quiet_share = rq;
	ra = cost_a * 1000.0 / (double)ps->interval_ms;
	if (ra > rate - rq)
		ra = rate - rq;
	pl->active_ms = pollsched_ms(cost_a * 1000.0 / ra);
	if (pl->active_ms < ps->interval_ms)
		pl->active_ms = ps->interval_ms;
	if (pl->nquiet > 0 && cost_q * 1000.0 / (rate - ra) > rr)
		pl->quiet_ms = pollsched_ms(cost_q * 1000.0 / (rate - ra));
	pollsched_merge(pl, rr, rate, cost_a, cost_q);
}

/* The idle bound: a quiet group is polled at least this often (3N/R, or
 * the plan's period if longer, as when polls cost several requests). */
static int64_t
pollsched_bound(const struct pollsched_plan *pl, double rate)
{
	int64_t b;

	b = pollsched_ms(3000.0 * (double)(pl->nactive + pl->nquiet) / rate);
	return (b > pl->quiet_ms ? b : pl->quiet_ms);
}

/* When slot is next due, given its period. */
static int64_t
pollsched_due(const struct pollsched_slot *s, int64_t period)
{
	int64_t due = s->not_before;

	if (s->last_start != INT64_MIN && s->last_start + period > due)
		due = s->last_start + period;
	return (due);
}

/* Count a request granted at now. */
static void
pollsched_grant(struct pollsched *ps, int64_t now, double rate)
{
	ps->next_grant = now + pollsched_ms(1000.0 / rate);
	ps->grants++;
}

/*
 * The rank of an idle slot (lower goes first): a group never polled or a
 * quiet group at its idle bound (0), an active group that is due (1), any
 * other (2, by due time).
 * The plan gives quiet groups their share, so due active groups may go
 * first and are polled every interval while the quiet ones (overdue
 * whenever the budget is tight) take every request left; the bound keeps
 * them from starving should polls cost more requests than planned. Going
 * first at the bound takes a credit that accrues at the quiet groups'
 * share: when many reach it at once (they were polled together, as in the
 * first round), they catch up at that rate, not by starving active ones.
 */
static int
pollsched_rank(const struct pollsched *ps, size_t i, int64_t now,
    const struct pollsched_plan *pl, int64_t bound, int credit, int64_t *due)
{
	const struct pollsched_slot *s = &ps->slot[i];
	int act = pollsched_active(ps, i, now);

	*due = pollsched_due(s, act ? pl->active_ms : pl->quiet_ms);
	/* Never polled: nothing is known of it, and time order waits. */
	if (s->last_start == INT64_MIN && *due <= now)
		return (0);
	if (!act && credit && s->last_start != INT64_MIN &&
	    now - s->last_start >= bound && *due <= now)
		return (0);
	/* Merged: quiet and active groups alike, by due time. */
	if ((act || pl->merged) && *due <= now)
		return (1);
	return (2);
}

/* The next request; see pollsched.h. */
int64_t
pollsched_next(
    struct pollsched *ps, int64_t now, double rate, size_t *slot, int *more)
{
	struct pollsched_plan pl;
	struct pollsched_slot *s;
	size_t i, best = SIZE_MAX;
	int64_t due, best_due = INT64_MAX, bound;
	int rank, best_rank = 3;

	if (rate < POLLSCHED_MIN_RATE)
		rate = POLLSCHED_MIN_RATE;
	/* A poll in progress goes first: it moves a watermark. */
	for (i = 0; i < ps->n; i++) {
		if (ps->slot[i].state == POLLSCHED_MORE)
			break;
	}
	if (i < ps->n) {
		if (now < ps->next_grant)
			return (ps->next_grant - now);
		pollsched_grant(ps, now, rate);
		ps->slot[i].state = POLLSCHED_BUSY;
		ps->slot[i].cur++;
		*slot = i;
		*more = 1;
		return (0);
	}
	pollsched_plan(ps, now, rate, &pl);
	bound = pollsched_bound(&pl, rate);
	if (ps->qlast != INT64_MIN && now > ps->qlast)
		ps->qcredit +=
		    (double)(now - ps->qlast) * pl.quiet_share / 1000;
	if (ps->qcredit > 1)
		ps->qcredit = 1;
	ps->qlast = now;
	for (i = 0; i < ps->n; i++) {
		if (ps->slot[i].state != POLLSCHED_IDLE)
			continue;
		rank = pollsched_rank(
		    ps, i, now, &pl, bound, ps->qcredit >= 1, &due);
		if (rank < best_rank || (rank == best_rank && due < best_due)) {
			best = i;
			best_rank = rank;
			best_due = due;
		}
	}
	if (best == SIZE_MAX)
		return (-1);
	if (best_due < ps->next_grant)
		best_due = ps->next_grant;
	if (best_due > now)
		return (best_due - now);
	pollsched_grant(ps, now, rate);
	s = &ps->slot[best];
	if (best_rank == 0 && s->last_start != INT64_MIN)
		ps->qcredit -= 1;
	s->state = POLLSCHED_BUSY;
	s->last_start = now;
	s->polls++;
	s->cur = 1;
	*slot = best;
	*more = 0;
	return (0);
}

/* The poll in progress wants another request. */
void
pollsched_more(struct pollsched *ps, size_t i)
{
	if (ps->slot[i].state != POLLSCHED_OFF)
		ps->slot[i].state = POLLSCHED_MORE;
}

/* A poll is complete. */
void
pollsched_done(struct pollsched *ps, size_t i, int64_t now, int events)
{
	struct pollsched_slot *s = &ps->slot[i];

	if (s->state == POLLSCHED_OFF)
		return;
	s->state = POLLSCHED_IDLE;
	s->done++;
	if (events)
		s->last_events = now;
	/* What a poll of this group costs: its recent polls, smoothed. */
	s->cost = (s->cost + (double)(s->cur > 0 ? s->cur : 1)) / 2;
}

/* Poll again no earlier than at. */
void
pollsched_later(struct pollsched *ps, size_t i, int64_t at)
{
	struct pollsched_slot *s = &ps->slot[i];

	if (s->state == POLLSCHED_OFF)
		return;
	s->state = POLLSCHED_IDLE;
	s->not_before = at;
}

/* Never poll again. */
void
pollsched_off(struct pollsched *ps, size_t i)
{
	ps->slot[i].state = POLLSCHED_OFF;
}

/* Does slot count for time order? See pollsched.h. */
int
pollsched_waited(const struct pollsched *ps, const struct pollsched_plan *pl,
    size_t i, int64_t now)
{
	if (ps->slot[i].state == POLLSCHED_OFF)
		return (0);
	/* Never polled: nothing is known of it yet (the first round). */
	if (ps->slot[i].done == 0 || pollsched_active(ps, i, now))
		return (1);
	return (pl->quiet_ms <= pl->active_ms);
}

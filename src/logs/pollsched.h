/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The poll scheduler of --watch: which followed group sends the next
 * FilterLogEvents request, and when. Pure (no loop, no I/O): time and the
 * budget are passed in, so tests drive it with a virtual clock.
 *
 * Policy:
 * - Budget: requests are paced at least 1000/rate ms apart, whatever they
 *   are (a poll's first page, a further page, a retry), so no window of
 *   one second holds more than `rate` of them.
 * - Activity: a group is active for POLLSCHED_ACTIVE_MS after a poll that
 *   returned events (and when added as active: re-discovered groups);
 *   otherwise it is quiet.
 * - Periods (N groups, A active, Q quiet, rate R, interval I): quiet groups
 *   together are guaranteed R * Q / 3N requests/s (planned a tenth above),
 *   so each is polled at least every 3N/R s (three times a plain
 *   round-robin); active groups get
 *   the rest, each every interval when that suffices, else stretched
 *   evenly. (Every group every N/R s and the active ones every interval
 *   cannot both fit in R once N/R > I: the round-robin alone takes R.)
 *   Quiet groups back off to the round-robin period N/R, or to what the
 *   active ones leave over, whichever is longer. With few groups (N/R <= I)
 *   every group is polled every interval.
 *   Rates count requests: a poll costs what the group's recent polls took
 *   (a busy group's poll may need several pages).
 * - Merged: when the budget is so tight that the active groups' period is
 *   at least half the round-robin one (N/R), every group is polled in turn
 *   every N/R and every group counts for time order (pollsched_waited): a
 *   quiet group waking up then cannot print older lines late, at the cost
 *   of at most twice the active groups' wait. (At 40 groups and 5/s:
 *   from about 16 active groups on; 8 s.)
 * - Order: a request still owed by a poll in progress goes first; then a
 *   group never polled (the first round: time order waits for it) or a
 *   quiet group at its idle bound; then an active group that is due; then
 *   the earliest due.
 */
#ifndef APILOGS_LOGS_POLLSCHED_H
#define APILOGS_LOGS_POLLSCHED_H

#include <stddef.h>
#include <stdint.h>

#define POLLSCHED_ACTIVE_MS 60000

enum pollsched_state {
	POLLSCHED_IDLE, /* waiting to be due */
	POLLSCHED_MORE, /* a poll in progress wants its next request */
	POLLSCHED_BUSY, /* a request granted and not answered yet */
	POLLSCHED_OFF   /* never polled again */
};

struct pollsched_slot {
	enum pollsched_state state;
	int64_t last_start;  /* a poll last began (INT64_MIN: never) */
	int64_t last_events; /* a poll last returned events (INT64_MIN) */
	int64_t not_before;  /* no poll before (retry later) */
	uint64_t polls;      /* polls begun */
	uint64_t done;       /* polls complete */
	double cost;         /* requests a poll takes (smoothed) */
	int cur;             /* requests of the poll in progress */
};

struct pollsched {
	int64_t interval_ms;
	struct pollsched_slot *slot;
	size_t n;
	int64_t next_grant; /* pacing: no request before this */
	uint64_t grants;
	double qcredit; /* quiet groups going first at their bound */
	int64_t qlast;  /* its last refill */
};

/* Periods for the groups as they are now (see pollsched_plan). */
struct pollsched_plan {
	size_t nactive, nquiet;
	int64_t active_ms;  /* period of an active group */
	int64_t quiet_ms;   /* period of a quiet group */
	double quiet_share; /* requests/s kept for the quiet groups */
	int merged;         /* every group in turn, every one waited for */
};

void pollsched_init(struct pollsched *, int64_t interval_ms);
void pollsched_free(struct pollsched *);
/* A new group, due at once; active says it counts as active until it has
 * been quiet for POLLSCHED_ACTIVE_MS. Returns its slot. */
size_t pollsched_add(struct pollsched *, int64_t now, int active);
/*
 * What to send at now with rate requests/s: 0 and *slot (*more: a further
 * request of the poll in progress, else a new poll) when a request may go
 * now (it is counted); otherwise the milliseconds until one may (> 0), or
 * -1 when no group will want one until told (all busy or off).
 */
int64_t pollsched_next(
    struct pollsched *, int64_t now, double rate, size_t *slot, int *more);
/* The poll in progress of slot wants another request (a page, a retry). */
void pollsched_more(struct pollsched *, size_t slot);
/* The poll of slot is complete; events: it returned any. */
void pollsched_done(struct pollsched *, size_t slot, int64_t now, int events);
/* Poll slot again no earlier than at (an error or a missing group). */
void pollsched_later(struct pollsched *, size_t slot, int64_t at);
/* Never poll slot again (complete past --end). */
void pollsched_off(struct pollsched *, size_t slot);
/* The periods for the groups now, at rate requests/s. */
void pollsched_plan(const struct pollsched *, int64_t now, double rate,
    struct pollsched_plan *);
int pollsched_active(const struct pollsched *, size_t slot, int64_t now);
/* Does slot count for time order: is it polled as often as the active
 * groups (active, or quiet groups polled no less often), or has it never
 * been polled (nothing is known of it yet)? */
int pollsched_waited(const struct pollsched *, const struct pollsched_plan *,
    size_t slot, int64_t now);

#endif

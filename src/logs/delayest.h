/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The ingestion delay estimate D of follow mode (ingestionTime - timestamp),
 * shared by Live Tail sessions and polled reads: one service, so one
 * estimate. D is the largest delay seen, fading linearly to 0 over
 * DELAYEST_FADE_MS from the moment it was seen, so that one slow event does
 * not slow the output for good while the usual maximum, seen again and
 * again, stays; plus 1/16 for the one not seen yet; at least
 * DELAYEST_PRIOR_MS until DELAYEST_MIN_N events were seen. Pure: the
 * caller passes a monotonic time in ms.
 */
#ifndef APILOGS_LOGS_DELAYEST_H
#define APILOGS_LOGS_DELAYEST_H

#include <stddef.h>
#include <stdint.h>

#define DELAYEST_PRIOR_MS 1000
#define DELAYEST_MIN_N 16
#define DELAYEST_FADE_MS 60000

struct delayest {
	int64_t max; /* the largest delay, as seen at `at` */
	int64_t at;  /* when it was seen (monotonic ms) */
	uint64_t n;  /* events learned from */
};

/* Learn from n events whose largest delay is d (n may be 0: a poll that
 * found nothing teaches nothing but is harmless). */
void delayest_learn(struct delayest *, int64_t d, size_t n, int64_t now);
/* D at time now, never more than cap. */
int64_t delayest_get(const struct delayest *, int64_t now, int64_t cap);

#endif

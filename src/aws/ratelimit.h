/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A token bucket for every call of one operation in a run: one per quota
 * pool (FilterLogEvents 5 requests/s per account and region, GetLogEvents
 * 10, DescribeLogStreams 25: each its own). Throttling shrinks the rate
 * (multiplicative decrease, at most once per second); successes grow it
 * back linearly up to the configured maximum. Time is passed in, so tests
 * drive it with a fake clock.
 */
#ifndef APILOGS_RATELIMIT_H
#define APILOGS_RATELIMIT_H

#include <stdint.h>

struct ratelimit {
	double max_rate; /* configured requests per second */
	double rate;     /* current rate */
	double min_rate;
	double tokens;
	double burst;
	int64_t last_ms;     /* last refill */
	int64_t last_cut_ms; /* last decrease */
	uint64_t granted;
	uint64_t throttled;
};

void ratelimit_init(struct ratelimit *, double rps, int64_t now_ms);
/* Take a token: 0 when granted, else the milliseconds to wait (>0). */
int64_t ratelimit_take(struct ratelimit *, int64_t now_ms);
/* The service throttled us: slow down. */
void ratelimit_throttled(struct ratelimit *, int64_t now_ms);
/* A call succeeded: speed up towards the maximum. */
void ratelimit_success(struct ratelimit *, int64_t now_ms);

#endif

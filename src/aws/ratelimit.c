/* SPDX-License-Identifier: Apache-2.0 */
/* Global token bucket with adaptive rate. */

#include "aws/ratelimit.h"

#define RATELIMIT_BETA 0.7 /* decrease factor (botocore) */
#define RATELIMIT_STEPS 20 /* successes to recover fully */

/* Start a bucket of rps requests per second, full. */
void
ratelimit_init(struct ratelimit *r, double rps, int64_t now_ms)
{
	r->max_rate = rps;
	r->rate = rps;
	r->min_rate = rps < 0.2 ? rps : 0.2;
	r->burst = rps < 1 ? 1 : (rps > 5 ? 5 : rps);
	r->tokens = r->burst;
	r->last_ms = now_ms;
	r->last_cut_ms = INT64_MIN;
	r->granted = 0;
	r->throttled = 0;
}

static void
ratelimit_refill(struct ratelimit *r, int64_t now_ms)
{
	if (now_ms > r->last_ms) {
		r->tokens += (double)(now_ms - r->last_ms) * r->rate / 1000.0;
		if (r->tokens > r->burst)
			r->tokens = r->burst;
		r->last_ms = now_ms;
	}
}

/* Take a token, or say how long to wait for one. */
int64_t
ratelimit_take(struct ratelimit *r, int64_t now_ms)
{
	double wait;

	ratelimit_refill(r, now_ms);
	if (r->tokens >= 1.0) {
		r->tokens -= 1.0;
		r->granted++;
		return (0);
	}
	wait = (1.0 - r->tokens) * 1000.0 / r->rate;
	return ((int64_t)wait + 1);
}

/* Throttled: cut the rate, at most once a second, and drain the bucket. */
void
ratelimit_throttled(struct ratelimit *r, int64_t now_ms)
{
	r->throttled++;
	ratelimit_refill(r, now_ms);
	if (r->last_cut_ms != INT64_MIN && now_ms - r->last_cut_ms < 1000)
		return;
	r->last_cut_ms = now_ms;
	r->rate *= RATELIMIT_BETA;
	if (r->rate < r->min_rate)
		r->rate = r->min_rate;
	if (r->tokens > 0)
		r->tokens = 0;
}

/* Success: grow the rate linearly back towards the maximum. */
void
ratelimit_success(struct ratelimit *r, int64_t now_ms)
{
	ratelimit_refill(r, now_ms);
	if (r->rate < r->max_rate) {
		r->rate += r->max_rate / RATELIMIT_STEPS;
		if (r->rate > r->max_rate)
			r->rate = r->max_rate;
	}
}

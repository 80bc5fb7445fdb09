/* SPDX-License-Identifier: Apache-2.0 */
#include "logs/delayest.h"

/* The remembered maximum, faded linearly from when it was seen. */
static int64_t
delayest_faded(const struct delayest *de, int64_t now)
{
	int64_t dt = now - de->at;

	if (dt < 0)
		dt = 0;
	if (dt >= DELAYEST_FADE_MS)
		return (0);
	return (de->max - de->max * dt / DELAYEST_FADE_MS);
}

void
delayest_learn(struct delayest *de, int64_t d, size_t n, int64_t now)
{
	if (n == 0)
		return;
	de->n += n;
	if (d >= delayest_faded(de, now)) {
		de->max = d;
		de->at = now;
	}
}

int64_t
delayest_get(const struct delayest *de, int64_t now, int64_t cap)
{
	int64_t d = delayest_faded(de, now);

	if (de->n < DELAYEST_MIN_N && d < DELAYEST_PRIOR_MS)
		d = DELAYEST_PRIOR_MS;
	d += d / 16;
	return (d > cap ? cap : d);
}

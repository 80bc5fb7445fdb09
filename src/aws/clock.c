/* SPDX-License-Identifier: Apache-2.0 */
/* The system clock (CLOCK_REALTIME and CLOCK_MONOTONIC); see clock.h. */

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "aws/clock.h"

static int64_t
clock_system_now(void *arg)
{
	struct timespec ts;

	(void)arg;
	clock_gettime(CLOCK_REALTIME, &ts);
	return ((int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000);
}

static int64_t
clock_system_mono(void *arg)
{
	struct timespec ts;

	(void)arg;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000);
}

const struct clock clock_system = {
    .now_ms = clock_system_now, .mono_ms = clock_system_mono};

/* The wall-clock time of a clock in epoch milliseconds. */
int64_t
clock_now(const struct clock *c)
{
	return (c->now_ms(c->arg));
}

/* The monotonic time of a clock in milliseconds. */
int64_t
clock_mono(const struct clock *c)
{
	return (c->mono_ms != NULL ? c->mono_ms(c->arg) : c->now_ms(c->arg));
}

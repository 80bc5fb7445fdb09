/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The clocks the event loop (loop.h) runs on: the system clock, and the
 * shape of the fake ones tests inject.
 */
#ifndef APILOGS_CLOCK_H
#define APILOGS_CLOCK_H

#include <stdint.h>

/*
 * A clock with two readings: wall-clock time (milliseconds since the
 * epoch, CLOCK_REALTIME), used only for event timestamps, time windows and
 * signing; and monotonic time (CLOCK_MONOTONIC, in milliseconds from an
 * arbitrary origin), used for every deadline, so that stepping the system
 * clock never stretches or squeezes a timer. Tests inject a fake one; when
 * it has an advance function the loop runs in virtual time: instead of
 * sleeping until the next timer it moves the clock there (as long as no
 * real transfer is in flight), both readings by the same amount.
 */
struct clock {
	int64_t (*now_ms)(void *arg); /* wall clock */
	void *arg;
	/* Move to monotonic time to_ms (and the wall clock as far). */
	void (*advance)(void *arg, int64_t to_ms);
	int64_t (*mono_ms)(void *arg); /* monotonic; NULL: now_ms */
};

extern const struct clock clock_system;

/* The wall-clock reading of a clock (epoch milliseconds). */
int64_t clock_now(const struct clock *);
/* The monotonic reading of a clock (milliseconds). */
int64_t clock_mono(const struct clock *);

#endif

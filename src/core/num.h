/* SPDX-License-Identifier: Apache-2.0 */
/* Bounded number parsing (tmux strtonum style). */
#ifndef APILOGS_NUM_H
#define APILOGS_NUM_H

#include <stdint.h>

/*
 * Parse a decimal integer in [min, max]. On error return 0 and set *errstr
 * to a static message ("invalid", "too small", "too large"); else NULL.
 */
long long num_parse(
    const char *, long long min, long long max, const char **errstr);
/* Parse a non-negative decimal like "0.5" or "2" into milliseconds. */
int64_t num_parse_seconds_ms(
    const char *, int64_t min_ms, int64_t max_ms, const char **errstr);

#endif

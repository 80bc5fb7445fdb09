/* SPDX-License-Identifier: Apache-2.0 */
/*
 * What the two parts of the time-expression parser share (not for other
 * modules): the calendar arithmetic and character tests of timeexpr.c and
 * the human date forms of timeexpr_free.c.
 */
#ifndef APILOGS_TIMEEXPR_INT_H
#define APILOGS_TIMEEXPR_INT_H

#include <stddef.h>
#include <stdint.h>

#define MS_PER_SEC INT64_C(1000)
#define MS_PER_DAY INT64_C(86400000)

/* A broken-down civil date and time, all fields already range-checked. */
struct civil {
	int year, month, day;
	int hour, min, sec, ms;
};

/* ASCII tests (the <ctype.h> ones depend on the locale). */
int timeexpr_is_digit(char);
int timeexpr_is_alpha(char);
int timeexpr_is_blank(char); /* space or tab */
/* Are the n bytes at p the lower-case word w, ignoring case? */
int timeexpr_word_is(const char *p, size_t n, const char *w);
/* Floor division, for dates before the epoch. */
int64_t timeexpr_floor_div(int64_t a, int64_t b);
/* The number of days in month m (1-12) of year y. */
int timeexpr_month_days(int64_t y, int m);
/* Days from 1970-01-01 to y-m-d, and back. */
int64_t timeexpr_days_from_civil(int64_t y, int m, int d);
void timeexpr_civil_from_days(int64_t z, int64_t *y, int *m, int *d);
/* Epoch ms of c taken as UTC. */
int64_t timeexpr_civil_to_utc_ms(const struct civil *c);
/* Epoch ms of c taken as local time: -1 when DST skips it (unless
 * lenient); a time that happens twice gives the earlier instant. */
int timeexpr_civil_to_local_ms(
    const struct civil *c, int lenient, int64_t *out);
/* The civil date (year, month, day; time fields zero) of the day that
 * holds now_ms, in UTC or with TIMEEXPR_LOCAL in local time. */
int timeexpr_today(int64_t now_ms, int flags, struct civil *c);
/*
 * The human forms of timeexpr_free.c (see timeexpr.h): 0 with *out, or -1.
 * s is trimmed and NUL-terminated.
 */
int timeexpr_parse_free(const char *s, int64_t now_ms, int flags, int64_t *out);

#endif

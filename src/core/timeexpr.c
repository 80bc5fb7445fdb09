/* SPDX-License-Identifier: Apache-2.0 */
/* Time expressions for --start and --end; see timeexpr.h for the grammar. */

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/timeexpr.h"
#include "core/timeexpr_int.h"
#include "core/xmalloc.h"

struct unit {
	const char *name;
	int64_t ms;
	unsigned bit;
};

static const struct unit units[] = {
    {"s", 1000, 0x01},
    {"sec", 1000, 0x01},
    {"secs", 1000, 0x01},
    {"second", 1000, 0x01},
    {"seconds", 1000, 0x01},
    {"m", 60000, 0x02},
    {"min", 60000, 0x02},
    {"mins", 60000, 0x02},
    {"minute", 60000, 0x02},
    {"minutes", 60000, 0x02},
    {"h", 3600000, 0x04},
    {"hr", 3600000, 0x04},
    {"hrs", 3600000, 0x04},
    {"hour", 3600000, 0x04},
    {"hours", 3600000, 0x04},
    {"d", 86400000, 0x08},
    {"day", 86400000, 0x08},
    {"days", 86400000, 0x08},
    {"w", 604800000, 0x10},
    {"week", 604800000, 0x10},
    {"weeks", 604800000, 0x10},
};

/* Is c an ASCII digit? (isdigit() depends on the locale.) */
int
timeexpr_is_digit(char c)
{
	return (c >= '0' && c <= '9');
}

/* Is c an ASCII letter? */
int
timeexpr_is_alpha(char c)
{
	return ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'));
}

/* Is c a space or a tab? */
int
timeexpr_is_blank(char c)
{
	return (c == ' ' || c == '\t');
}

/* Lower-case an ASCII letter. */
static char
to_lower(char c)
{
	if (c >= 'A' && c <= 'Z')
		return ((char)(c - 'A' + 'a'));
	return (c);
}

/* Compare n bytes of p with the lower-case word w, ignoring case. */
int
timeexpr_word_is(const char *p, size_t n, const char *w)
{
	size_t i;

	if (strlen(w) != n)
		return (0);
	for (i = 0; i < n; i++) {
		if (to_lower(p[i]) != w[i])
			return (0);
	}
	return (1);
}

/* Floor division, for dates before the epoch. */
int64_t
timeexpr_floor_div(int64_t a, int64_t b)
{
	int64_t q = a / b;

	if ((a % b) != 0 && ((a < 0) != (b < 0)))
		q--;
	return (q);
}

/* Is y a leap year in the proleptic Gregorian calendar? */
static int
is_leap(int64_t y)
{
	return ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0);
}

/* The number of days in month m (1-12) of year y. */
int
timeexpr_month_days(int64_t y, int m)
{
	static const int days[] = {
	    31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

	if (m == 2 && is_leap(y))
		return (29);
	return (days[m - 1]);
}

/* Days from 1970-01-01 to y-m-d (H. Hinnant's days_from_civil). */
int64_t
timeexpr_days_from_civil(int64_t y, int m, int d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = timeexpr_floor_div(y, 400);
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return (era * 146097 + doe - 719468);
}

/* The civil date of day z after 1970-01-01 (H. Hinnant's civil_from_days). */
void
timeexpr_civil_from_days(int64_t z, int64_t *y, int *m, int *d)
{
	int64_t era, doe, yoe, doy, mp;

	z += 719468;
	era = timeexpr_floor_div(z, 146097);
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = yoe + era * 400 + (*m <= 2);
}

/* Epoch ms of a civil date and time taken as UTC. */
int64_t
timeexpr_civil_to_utc_ms(const struct civil *c)
{
	int64_t days;

	days = timeexpr_days_from_civil(c->year, c->month, c->day);
	return (days * MS_PER_DAY +
		((int64_t)c->hour * 3600 + (int64_t)c->min * 60 + c->sec) *
		    MS_PER_SEC +
		c->ms);
}

/* Does the local time t show the same wall clock as c? */
static int
local_matches(time_t t, const struct civil *c)
{
	struct tm tm;

	if (localtime_r(&t, &tm) == NULL)
		return (0);
	return (tm.tm_year + 1900 == c->year && tm.tm_mon + 1 == c->month &&
		tm.tm_mday == c->day && tm.tm_hour == c->hour &&
		tm.tm_min == c->min && tm.tm_sec == c->sec);
}

/*
 * Epoch ms of a civil date and time taken as local time. Each tm_isdst
 * guess is tried and the result kept only when it shows the same wall clock
 * again, so a time skipped by DST fails (unless lenient: then mktime's
 * normalised answer is used) and a time that happens twice gives the
 * earlier instant, whatever the C library prefers.
 */
int
timeexpr_civil_to_local_ms(const struct civil *c, int lenient, int64_t *out)
{
	static const int guesses[] = {-1, 0, 1};
	struct tm tm;
	time_t t, best = 0, fallback = 0;
	size_t i;
	int found = 0, have_fallback = 0;

	for (i = 0; i < sizeof(guesses) / sizeof(guesses[0]); i++) {
		memset(&tm, 0, sizeof(tm));
		tm.tm_year = c->year - 1900;
		tm.tm_mon = c->month - 1;
		tm.tm_mday = c->day;
		tm.tm_hour = c->hour;
		tm.tm_min = c->min;
		tm.tm_sec = c->sec;
		tm.tm_isdst = guesses[i];
		t = mktime(&tm);
		if (t == (time_t)-1)
			continue; /* an error, or before the epoch anyway */
		if (guesses[i] == -1) {
			fallback = t;
			have_fallback = 1;
		}
		if (!local_matches(t, c))
			continue;
		if (!found || t < best)
			best = t;
		found = 1;
	}
	if (!found) {
		if (!lenient || !have_fallback)
			return (-1);
		best = fallback;
	}
	*out = (int64_t)best * MS_PER_SEC + c->ms;
	return (0);
}

/* Read exactly n digits at *pp into *v and advance; -1 if not digits. */
static int
read_digits(const char **pp, int n, int *v)
{
	const char *p = *pp;
	int i, x = 0;

	for (i = 0; i < n; i++) {
		if (!timeexpr_is_digit(p[i]))
			return (-1);
		x = x * 10 + (p[i] - '0');
	}
	*pp = p + n;
	*v = x;
	return (0);
}

/* Parse a zone suffix at p (Z, +HH:MM, +HHMM, -...) into seconds east. */
static int
parse_zone(const char *p, int *offset_s)
{
	int sign, hh, mm;

	if ((*p == 'Z' || *p == 'z') && p[1] == '\0') {
		*offset_s = 0;
		return (0);
	}
	if (*p != '+' && *p != '-')
		return (-1);
	sign = *p == '-' ? -1 : 1;
	p++;
	if (read_digits(&p, 2, &hh) != 0)
		return (-1);
	if (*p == ':')
		p++;
	if (read_digits(&p, 2, &mm) != 0 || *p != '\0')
		return (-1);
	if (mm > 59 || hh * 60 + mm > 18 * 60)
		return (-1);
	*offset_s = sign * (hh * 3600 + mm * 60);
	return (0);
}

/* Read optional :SS[.fff] (1 to 9 fraction digits) at *pp into c. */
static int
parse_seconds(const char **pp, struct civil *c)
{
	const char *p = *pp;
	int digits = 0, v;

	if (*p != ':')
		return (0);
	p++;
	if (read_digits(&p, 2, &c->sec) != 0)
		return (-1);
	if (*p == '.') {
		for (p++; timeexpr_is_digit(*p) && digits < 9; p++) {
			if (digits < 3)
				c->ms = c->ms * 10 + (*p - '0');
			digits++;
		}
		if (digits == 0 || timeexpr_is_digit(*p))
			return (-1);
		for (v = digits; v < 3; v++)
			c->ms *= 10;
	}
	*pp = p;
	return (0);
}

/*
 * Parse YYYY-MM-DD[(T|t| )HH[:MM[:SS[.fff]]][zone]]. Naive times are UTC,
 * or local with TIMEEXPR_LOCAL.
 */
static int
parse_absolute(const char *p, int flags, int64_t *out)
{
	struct civil c;
	int offset_s = 0, has_zone = 0;

	memset(&c, 0, sizeof(c));
	if (read_digits(&p, 4, &c.year) != 0 || *p++ != '-' ||
	    read_digits(&p, 2, &c.month) != 0 || *p++ != '-' ||
	    read_digits(&p, 2, &c.day) != 0)
		return (-1);
	if (c.year < 1 || c.month < 1 || c.month > 12 || c.day < 1 ||
	    c.day > timeexpr_month_days(c.year, c.month))
		return (-1);
	if (*p != '\0') {
		if (*p != 'T' && *p != 't' && *p != ' ')
			return (-1);
		p++;
		if (read_digits(&p, 2, &c.hour) != 0)
			return (-1);
		/* The hour alone (2026-12-06T04) means minute 0 of it. */
		if (*p == ':') {
			p++;
			if (read_digits(&p, 2, &c.min) != 0 ||
			    parse_seconds(&p, &c) != 0)
				return (-1);
		}
		if (c.hour > 23 || c.min > 59 || c.sec > 59)
			return (-1);
		if (*p != '\0') {
			if (parse_zone(p, &offset_s) != 0)
				return (-1);
			has_zone = 1;
		}
	}
	if (!has_zone && (flags & TIMEEXPR_LOCAL))
		return (timeexpr_civil_to_local_ms(&c, 0, out));
	*out = timeexpr_civil_to_utc_ms(&c) - (int64_t)offset_s * MS_PER_SEC;
	return (0);
}

/* Find a unit by its name (n bytes at p, any case). */
static const struct unit *
find_unit(const char *p, size_t n)
{
	size_t i;

	for (i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		if (timeexpr_word_is(p, n, units[i].name))
			return (&units[i]);
	}
	return (NULL);
}

/* Parse "1h 30m ago" and friends (without "ago" unless allow_ago) into a
 * duration in ms. */
static int
parse_relative(const char *p, int allow_ago, int64_t *dur)
{
	const struct unit *u;
	const char *w;
	int64_t n, total = 0;
	unsigned seen = 0;

	if (!timeexpr_is_digit(*p))
		return (-1);
	while (timeexpr_is_digit(*p)) {
		for (n = 0; timeexpr_is_digit(*p); p++) {
			if (n > (INT64_MAX - 9) / 10)
				return (-1);
			n = n * 10 + (*p - '0');
		}
		while (timeexpr_is_blank(*p))
			p++;
		for (w = p; timeexpr_is_alpha(*p); p++)
			;
		u = find_unit(w, (size_t)(p - w));
		if (u == NULL || (seen & u->bit))
			return (-1);
		seen |= u->bit;
		if (n > INT64_MAX / u->ms || total > INT64_MAX - n * u->ms)
			return (-1);
		total += n * u->ms;
		while (timeexpr_is_blank(*p))
			p++;
	}
	if (*p != '\0') {
		for (w = p; timeexpr_is_alpha(*p); p++)
			;
		if (!allow_ago || *p != '\0' ||
		    !timeexpr_word_is(w, (size_t)(p - w), "ago"))
			return (-1);
	}
	*dur = total;
	return (0);
}

/* The civil date of the day that holds now_ms; see timeexpr_int.h. */
int
timeexpr_today(int64_t now_ms, int flags, struct civil *c)
{
	struct tm tm;
	time_t t;
	int64_t y;

	memset(c, 0, sizeof(*c));
	if (now_ms < TIMEEXPR_MIN_MS || now_ms > TIMEEXPR_MAX_MS)
		return (-1);
	if (!(flags & TIMEEXPR_LOCAL)) {
		timeexpr_civil_from_days(timeexpr_floor_div(now_ms, MS_PER_DAY),
		    &y, &c->month, &c->day);
		c->year = (int)y;
		return (0);
	}
	t = (time_t)timeexpr_floor_div(now_ms, MS_PER_SEC);
	if (localtime_r(&t, &tm) == NULL)
		return (-1);
	c->year = tm.tm_year + 1900;
	c->month = tm.tm_mon + 1;
	c->day = tm.tm_mday;
	return (0);
}

/* 00:00 of the day that holds now_ms, plus days (-1 is yesterday). */
static int
parse_midnight(int64_t now_ms, int days, int flags, int64_t *out)
{
	struct civil c;
	int64_t y, day;

	if (timeexpr_today(now_ms, flags, &c) != 0)
		return (-1);
	day = timeexpr_days_from_civil(c.year, c.month, c.day) + days;
	timeexpr_civil_from_days(day, &y, &c.month, &c.day);
	if (y < 1 || y > 9999)
		return (-1);
	c.year = (int)y;
	if (!(flags & TIMEEXPR_LOCAL)) {
		*out = timeexpr_civil_to_utc_ms(&c);
		return (0);
	}
	return (timeexpr_civil_to_local_ms(&c, 1, out));
}

/* Parse 9-11 digits as epoch seconds or 12-14 digits as epoch ms. */
static int
parse_epoch(const char *p, int64_t *out)
{
	size_t len = strlen(p), i;
	int64_t v = 0;

	if (len < 9 || len > 14)
		return (-1);
	for (i = 0; i < len; i++)
		v = v * 10 + (p[i] - '0');
	*out = len <= 11 ? v * MS_PER_SEC : v;
	return (0);
}

/* Do the work of timeexpr_parse on a trimmed, NUL-terminated string. */
static int
parse_trimmed(const char *s, int64_t now_ms, int flags, int64_t *out)
{
	const char *p;
	int64_t dur;

	if (*s == '\0')
		return (-1);
	for (p = s; timeexpr_is_digit(*p); p++)
		;
	if (*p == '\0')
		return (parse_epoch(s, out));
	if (p - s == 4 && *p == '-' && parse_absolute(s, flags, out) == 0)
		return (0);
	/* -2h is 2h ago (as in saw and Go durations); no "ago" then. */
	if (*s == '-' && timeexpr_is_digit(s[1])) {
		if (parse_relative(s + 1, 0, &dur) != 0 ||
		    now_ms < INT64_MIN + dur)
			return (-1);
		*out = now_ms - dur;
		return (0);
	}
	if (timeexpr_is_digit(*s) && parse_relative(s, 1, &dur) == 0) {
		if (now_ms < INT64_MIN + dur)
			return (-1);
		*out = now_ms - dur;
		return (0);
	}
	if (timeexpr_word_is(s, strlen(s), "now")) {
		*out = now_ms;
		return (0);
	}
	if (timeexpr_word_is(s, strlen(s), "today"))
		return (parse_midnight(now_ms, 0, flags, out));
	if (timeexpr_word_is(s, strlen(s), "yesterday"))
		return (parse_midnight(now_ms, -1, flags, out));
	if (timeexpr_word_is(s, strlen(s), "tomorrow"))
		return (parse_midnight(now_ms, 1, flags, out));
	return (timeexpr_parse_free(s, now_ms, flags, out));
}

/* Parse a time expression; see timeexpr.h. */
int
timeexpr_parse(
    const char *text, int64_t now_ms, int flags, int64_t *out_ms, char **cause)
{
	const char *start, *end;
	char *s;
	int64_t v = 0;
	int rc;

	start = text;
	while (timeexpr_is_blank(*start))
		start++;
	end = start + strlen(start);
	while (end > start && timeexpr_is_blank(end[-1]))
		end--;
	s = xstrndup(start, (size_t)(end - start));
	rc = parse_trimmed(s, now_ms, flags, &v);
	free(s);
	if (rc == 0 && (v < TIMEEXPR_MIN_MS || v > TIMEEXPR_MAX_MS))
		rc = -1;
	if (rc != 0) {
		*cause = xprintf("cannot read '%s' as a time (try '1h ago', "
				 "'2024-05-01T10:00Z' or an epoch)",
		    text);
		return (-1);
	}
	*out_ms = v;
	return (0);
}

/* Format epoch ms as UTC with a Z suffix. */
static void
format_utc(int64_t ms, char *out)
{
	int64_t day, rem, y;
	int m, d;

	day = timeexpr_floor_div(ms, MS_PER_DAY);
	rem = ms % MS_PER_DAY;
	if (rem < 0)
		rem += MS_PER_DAY;
	timeexpr_civil_from_days(day, &y, &m, &d);
	snprintf(out, TIMEEXPR_FMTLEN, "%04lld-%02d-%02dT%02d:%02d:%02d.%03dZ",
	    (long long)y, m, d, (int)(rem / 3600000), (int)(rem / 60000 % 60),
	    (int)(rem / 1000 % 60), (int)(rem % 1000));
}

/* Format epoch ms; see timeexpr.h. */
void
timeexpr_format(int64_t ms, int flags, char *out)
{
	struct tm tm;
	time_t t;
	long off, aoff;
	int hh, mm, ss, frac;
	char zone[16];

	if (!(flags & TIMEEXPR_LOCAL)) {
		format_utc(ms, out);
		return;
	}
	t = (time_t)timeexpr_floor_div(ms, MS_PER_SEC);
	frac = (int)(ms % MS_PER_SEC);
	if (frac < 0)
		frac += 1000;
	if (localtime_r(&t, &tm) == NULL) {
		format_utc(ms, out);
		return;
	}
	off = tm.tm_gmtoff;
	aoff = off < 0 ? -off : off;
	hh = (int)(aoff / 3600 % 100); /* offsets stay below 26 hours */
	mm = (int)(aoff / 60 % 60);
	ss = (int)(aoff % 60);
	if (ss != 0)
		snprintf(zone, sizeof(zone), "%c%02d:%02d:%02d",
		    off < 0 ? '-' : '+', hh, mm, ss);
	else
		snprintf(zone, sizeof(zone), "%c%02d:%02d", off < 0 ? '-' : '+',
		    hh, mm);
	snprintf(out, TIMEEXPR_FMTLEN, "%04lld-%02d-%02dT%02d:%02d:%02d.%03d%s",
	    (long long)tm.tm_year + 1900, (tm.tm_mon + 1) % 100,
	    tm.tm_mday % 100, tm.tm_hour % 100, tm.tm_min % 100,
	    tm.tm_sec % 100, frac, zone);
}

/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The human date forms of time expressions, those awslogs reads through
 * python-dateutil: "23/1/2015 14:23", "1/1/2015", "Sat Oct 11 17:13:46 UTC
 * 2003", "Sat, 11 Oct 2003 17:13:46 +0000", "12 Dec 2023", "10:00". The
 * grammar is in timeexpr.h; this file only tokenises and checks it.
 */

#include <stdint.h>
#include <string.h>

#include "core/timeexpr.h"
#include "core/timeexpr_int.h"

static const char *const free_months[] = {"jan", "feb", "mar", "apr", "may",
    "jun", "jul", "aug", "sep", "oct", "nov", "dec"};
static const char *const free_months_long[] = {"january", "february", "march",
    "april", "may", "june", "july", "august", "september", "october",
    "november", "december"};
static const char *const free_days[] = {
    "mon", "tue", "wed", "thu", "fri", "sat", "sun"};
static const char *const free_days_long[] = {"monday", "tuesday", "wednesday",
    "thursday", "friday", "saturday", "sunday"};

/* What the tokens of one expression said. */
struct free_parts {
	struct civil c;
	int have_date;  /* c.year/month/day set by a numeric date */
	int month;      /* from a month name, 0 if none */
	int weekday;    /* 1 (Monday) to 7, 0 if none */
	int nums[2];    /* bare numbers: a day and/or a year */
	int num_len[2]; /* their digit counts */
	int nnums;
	int have_time;
	int ampm; /* 0, 'a' or 'p' */
	int have_zone;
	int have_offset;
	int offset_s; /* seconds east of UTC */
};

/* Read 1 to max digits at *pp into *v; -1 if none or too many. */
static int
free_num(const char **pp, int max, int *v, int *len)
{
	const char *p = *pp;
	int n = 0, x = 0;

	while (timeexpr_is_digit(*p) && n <= max) {
		x = x * 10 + (*p - '0');
		p++;
		n++;
	}
	if (n == 0 || n > max)
		return (-1);
	*pp = p;
	*v = x;
	if (len != NULL)
		*len = n;
	return (0);
}

/* Index (1-based) of the n bytes at w in a word list, or 0. */
static int
free_lookup(const char *w, size_t n, const char *const *list,
    const char *const *longs, int count)
{
	int i;

	for (i = 0; i < count; i++) {
		if (timeexpr_word_is(w, n, list[i]) ||
		    timeexpr_word_is(w, n, longs[i]))
			return (i + 1);
	}
	/* dateutil knows "Sept" and "Tues"/"Thur"/"Thurs" too. */
	if (list == free_months && timeexpr_word_is(w, n, "sept"))
		return (9);
	if (list == free_days && (timeexpr_word_is(w, n, "tues")))
		return (2);
	if (list == free_days &&
	    (timeexpr_word_is(w, n, "thur") || timeexpr_word_is(w, n, "thurs")))
		return (4);
	return (0);
}

/* A word: month, weekday, UTC/GMT/Z, AM/PM. */
static int
free_word(const char *w, size_t n, struct free_parts *fp)
{
	int v;

	v = free_lookup(w, n, free_months, free_months_long, 12);
	if (v != 0) {
		if (fp->month != 0 || fp->have_date)
			return (-1);
		fp->month = v;
		return (0);
	}
	v = free_lookup(w, n, free_days, free_days_long, 7);
	if (v != 0) {
		if (fp->weekday != 0)
			return (-1);
		fp->weekday = v;
		return (0);
	}
	if (timeexpr_word_is(w, n, "utc") || timeexpr_word_is(w, n, "gmt") ||
	    timeexpr_word_is(w, n, "ut") || timeexpr_word_is(w, n, "z")) {
		if (fp->have_zone)
			return (-1);
		fp->have_zone = 1;
		return (0);
	}
	if (timeexpr_word_is(w, n, "am") || timeexpr_word_is(w, n, "pm")) {
		if (fp->ampm != 0)
			return (-1);
		fp->ampm = w[0] == 'a' || w[0] == 'A' ? 'a' : 'p';
		return (0);
	}
	return (-1);
}

/* A numeric date: D/M/YYYY or M/D/YYYY (month first unless the first
 * number cannot be a month, as python-dateutil does), YYYY/M/D, or
 * YYYY-MM-DD. */
static int
free_date(const char *p, const char *end, struct free_parts *fp)
{
	int a, b, y, la, lb, ly;
	char sep;

	if (fp->have_date || fp->month != 0 || fp->nnums > 0)
		return (-1);
	if (free_num(&p, 4, &a, &la) != 0 || (*p != '/' && *p != '-'))
		return (-1);
	sep = *p++;
	if (free_num(&p, 2, &b, &lb) != 0 || *p++ != sep)
		return (-1);
	if (free_num(&p, 4, &y, &ly) != 0 || p != end)
		return (-1);
	if (sep == '-' && (la != 4 || lb != 2 || ly != 2))
		return (-1);
	if (la == 4) {
		if (ly > 2)
			return (-1);
		fp->c.year = a;
		fp->c.month = b;
		fp->c.day = y;
	} else {
		if (ly != 4)
			return (-1);
		fp->c.year = y;
		if (a > 12) {
			fp->c.day = a;
			fp->c.month = b;
		} else {
			fp->c.month = a;
			fp->c.day = b;
		}
	}
	fp->have_date = 1;
	return (0);
}

/* H:MM[:SS[.fff]] */
static int
free_time(const char *p, const char *end, struct free_parts *fp)
{
	int digits = 0;

	if (fp->have_time)
		return (-1);
	if (free_num(&p, 2, &fp->c.hour, NULL) != 0 || *p++ != ':' ||
	    free_num(&p, 2, &fp->c.min, NULL) != 0)
		return (-1);
	if (p < end && *p == ':') {
		p++;
		if (free_num(&p, 2, &fp->c.sec, NULL) != 0)
			return (-1);
		if (p < end && *p == '.') {
			for (p++; p < end && timeexpr_is_digit(*p); p++) {
				if (digits < 3)
					fp->c.ms = fp->c.ms * 10 + (*p - '0');
				digits++;
			}
			if (digits == 0 || digits > 9)
				return (-1);
			for (; digits < 3; digits++)
				fp->c.ms *= 10;
		}
	}
	if (p != end || fp->c.hour > 23 || fp->c.min > 59 || fp->c.sec > 59)
		return (-1);
	fp->have_time = 1;
	return (0);
}

/* +HHMM or +HH:MM (or -), at most 18:00. */
static int
free_offset(const char *p, const char *end, struct free_parts *fp)
{
	int sign, hh, mm, lh, lm;

	if (fp->have_offset)
		return (-1);
	sign = *p++ == '-' ? -1 : 1;
	if (end - p == 4) {
		if (free_num(&p, 4, &hh, &lh) != 0 || lh != 4)
			return (-1);
		mm = hh % 100;
		hh /= 100;
	} else if (free_num(&p, 2, &hh, &lh) != 0 || lh != 2 || *p++ != ':' ||
		   free_num(&p, 2, &mm, &lm) != 0 || lm != 2)
		return (-1);
	if (p != end || mm > 59 || hh * 60 + mm > 18 * 60)
		return (-1);
	fp->have_offset = 1;
	fp->offset_s = sign * (hh * 3600 + mm * 60);
	return (0);
}

/* Classify one token (n bytes at t) and record it. */
static int
free_token(const char *t, size_t n, struct free_parts *fp)
{
	const char *end = t + n, *p;

	if (timeexpr_is_alpha(*t)) {
		for (p = t; p < end; p++) {
			if (!timeexpr_is_alpha(*p))
				return (-1);
		}
		return (free_word(t, n, fp));
	}
	if (*t == '+' || *t == '-')
		return (free_offset(t, end, fp));
	if (!timeexpr_is_digit(*t))
		return (-1);
	for (p = t; p < end && timeexpr_is_digit(*p); p++)
		;
	if (p == end) {
		if (fp->nnums == 2 || n > 4 || fp->have_date)
			return (-1);
		fp->num_len[fp->nnums] = (int)n;
		fp->nums[fp->nnums] = 0;
		for (p = t; p < end; p++)
			fp->nums[fp->nnums] =
			    fp->nums[fp->nnums] * 10 + *p - '0';
		fp->nnums++;
		return (0);
	}
	if (*p == ':')
		return (free_time(t, end, fp));
	return (free_date(t, end, fp));
}

/* Day and year from a month name's numbers ("Oct 11 2003", "11 Oct"). */
static int
free_named_date(struct free_parts *fp, const struct civil *today)
{
	int i, day = 0, year = 0;

	if (fp->nnums == 0)
		return (-1);
	for (i = 0; i < fp->nnums; i++) {
		if (fp->num_len[i] == 4 && year == 0)
			year = fp->nums[i];
		else if (fp->num_len[i] <= 2 && day == 0)
			day = fp->nums[i];
		else
			return (-1);
	}
	if (day == 0)
		return (-1);
	fp->c.year = year != 0 ? year : today->year;
	fp->c.month = fp->month;
	fp->c.day = day;
	return (0);
}

/* Parse the human forms; see timeexpr_int.h. */
int
timeexpr_parse_free(const char *s, int64_t now_ms, int flags, int64_t *out)
{
	struct free_parts fp;
	struct civil today;
	const char *t;
	int local;

	memset(&fp, 0, sizeof(fp));
	while (*s != '\0') {
		while (timeexpr_is_blank(*s) || *s == ',')
			s++;
		if (*s == '\0')
			break;
		for (t = s; *s != '\0' && !timeexpr_is_blank(*s) && *s != ',';
		     s++)
			;
		if (free_token(t, (size_t)(s - t), &fp) != 0)
			return (-1);
	}
	fp.have_zone |= fp.have_offset;
	local = !fp.have_zone && (flags & TIMEEXPR_LOCAL);
	if (timeexpr_today(now_ms, local ? TIMEEXPR_LOCAL : 0, &today) != 0)
		return (-1);
	if (fp.month != 0) {
		if (free_named_date(&fp, &today) != 0)
			return (-1);
	} else if (fp.nnums > 0)
		return (-1);
	else if (!fp.have_date) {
		/* A time alone is that time today. */
		if (!fp.have_time || fp.weekday != 0)
			return (-1);
		fp.c.year = today.year;
		fp.c.month = today.month;
		fp.c.day = today.day;
	}
	if (fp.c.year < 1 || fp.c.year > 9999 || fp.c.month < 1 ||
	    fp.c.month > 12 || fp.c.day < 1 ||
	    fp.c.day > timeexpr_month_days(fp.c.year, fp.c.month))
		return (-1);
	/* A weekday must be the date's (1970-01-01 was a Thursday). */
	if (fp.weekday != 0 &&
	    ((timeexpr_days_from_civil(fp.c.year, fp.c.month, fp.c.day) % 7 +
		 10) %
		    7 +
		1) != fp.weekday)
		return (-1);
	if (fp.ampm != 0) {
		if (!fp.have_time || fp.c.hour < 1 || fp.c.hour > 12)
			return (-1);
		fp.c.hour %= 12;
		if (fp.ampm == 'p')
			fp.c.hour += 12;
	}
	if (local)
		return (timeexpr_civil_to_local_ms(&fp.c, 0, out));
	*out =
	    timeexpr_civil_to_utc_ms(&fp.c) - (int64_t)fp.offset_s * MS_PER_SEC;
	return (0);
}

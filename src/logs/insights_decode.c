/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Logs Insights, the text side: statuses and timestamps, the envelope
 * check of a GetQueryResults answer as a JSON tree (stats tables; the
 * reader's rows are scanned without a tree in insights_rows.c), and the
 * query string of a read with its filter pattern translated.
 */

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "core/buf.h"
#include "core/xmalloc.h"
#include "logs/fpattern.h"
#include "logs/insights.h"
#include "logs/insights_int.h"

static const struct {
	const char *name;
	enum insights_status st;
} insights_statuses[] = {
    {"Scheduled", INSIGHTS_SCHEDULED},
    {"Running", INSIGHTS_RUNNING},
    {"Complete", INSIGHTS_COMPLETE},
    {"Failed", INSIGHTS_FAILED},
    {"Cancelled", INSIGHTS_CANCELLED},
    {"Timeout", INSIGHTS_TIMEOUT},
};

/* A status by name; see insights.h. */
enum insights_status
insights_status_of(const char *s)
{
	size_t i;

	for (i = 0; i < sizeof insights_statuses / sizeof *insights_statuses;
	     i++)
		if (strcmp(s, insights_statuses[i].name) == 0)
			return (insights_statuses[i].st);
	return (INSIGHTS_UNKNOWN);
}

/* Days from 1970-01-01 to y-m-d (proleptic Gregorian; H. Hinnant). */
static int64_t
insights_days(int64_t y, int64_t m, int64_t d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return (era * 146097 + doe - 719468);
}

/* n digits at s as a number, or -1. */
static int64_t
insights_digits(const char *s, size_t n)
{
	int64_t v = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return (-1);
		v = v * 10 + (s[i] - '0');
	}
	return (v);
}

/* Parse @timestamp; see insights.h. */
int
insights_parse_time(const char *s, size_t len, int64_t *ms)
{
	int64_t y, mo, d, h, mi, sec, frac = 0;
	size_t i, n;

	if (len > 0 && len <= 18 && insights_digits(s, len) >= 0) {
		*ms = insights_digits(s, len); /* moto: epoch ms */
		return (0);
	}
	if (len > 0 && s[len - 1] == 'Z')
		len--;
	if (len < 19 || s[4] != '-' || s[7] != '-' ||
	    (s[10] != ' ' && s[10] != 'T') || s[13] != ':' || s[16] != ':')
		return (-1);
	y = insights_digits(s, 4);
	mo = insights_digits(s + 5, 2);
	d = insights_digits(s + 8, 2);
	h = insights_digits(s + 11, 2);
	mi = insights_digits(s + 14, 2);
	sec = insights_digits(s + 17, 2);
	if (y < 0 || mo < 1 || mo > 12 || d < 1 || d > 31 || h < 0 || h > 23 ||
	    mi < 0 || mi > 59 || sec < 0 || sec > 60)
		return (-1);
	if (len > 19) {
		if (s[19] != '.' || len == 20 || len > 29)
			return (-1);
		n = len - 20;
		if (insights_digits(s + 20, n) < 0)
			return (-1);
		for (i = 0; i < 3; i++)
			frac = frac * 10 + (i < n ? s[20 + i] - '0' : 0);
	}
	*ms = ((insights_days(y, mo, d) * 24 + h) * 60 + mi) * 60 + sec;
	*ms = *ms * 1000 + frac;
	return (0);
}

/* A number in the statistics, or 0. */
static double
insights_stat(json_t *st, const char *key)
{
	json_t *v = json_object_get(st, key);

	return (json_is_number(v) ? json_number_value(v) : 0);
}

/* Parse and check a GetQueryResults envelope; see insights_int.h. */
json_t *
insights_envelope(const char *body, size_t len, struct insights_meta *m,
    json_t **results, char **cause)
{
	json_t *root, *v, *row;
	json_error_t jerr;
	size_t i;

	memset(m, 0, sizeof *m);
	m->status = INSIGHTS_UNKNOWN;
	*results = NULL;
	root = json_loadb(body, len, 0, &jerr);
	if (!json_is_object(root)) {
		*cause = xprintf("bad GetQueryResults answer: %s",
		    root == NULL ? jerr.text : "not an object");
		goto fail;
	}
	v = json_object_get(root, "status");
	if (!json_is_string(v)) {
		*cause = xstrdup("bad GetQueryResults answer: no status");
		goto fail;
	}
	m->status = insights_status_of(json_string_value(v));
	v = json_object_get(root, "statistics");
	if (json_is_object(v)) {
		m->has_stats = 1;
		m->matched = insights_stat(v, "recordsMatched");
		m->scanned = insights_stat(v, "recordsScanned");
		m->bytes = insights_stat(v, "bytesScanned");
	}
	v = json_object_get(root, "results");
	if (v != NULL && !json_is_null(v) && !json_is_array(v)) {
		*cause = xstrdup("bad GetQueryResults answer: results is not "
				 "an array");
		goto fail;
	}
	json_array_foreach(v, i, row)
	{
		if (!json_is_array(row)) {
			*cause = xstrdup("bad GetQueryResults answer: a row is "
					 "not an array");
			goto fail;
		}
	}
	*results = json_is_array(v) ? v : NULL;
	return (root);
fail:
	json_decref(root);
	return (NULL);
}

/* The query string of a read; see insights.h. */
char *
insights_query(const char *pattern, struct fpattern **fp, char **why)
{
	struct fpattern p;
	struct buf b;
	size_t len;

	if (fp != NULL)
		*fp = NULL;
	if (fpattern_parse(pattern, &p, why) != 0)
		return (NULL);
	buf_init(&b, 0);
	buf_puts(&b, INSIGHTS_FIELDS);
	fpattern_insights(&p, &b);
	/* No `limit` command (at most 10 000): the reader sends StartQuery's
	 * `limit` (up to 100 000) and reads the rows in pages. */
	buf_puts(&b, " | sort @timestamp asc");
	if (fp != NULL) {
		*fp = xmalloc(sizeof **fp);
		**fp = p;
	} else
		fpattern_free(&p);
	return (buf_take(&b, &len));
}

/* Cut points of [lo, hi] into about k parts; see insights.h. */
size_t
insights_cuts(int64_t lo, int64_t hi, size_t k, int64_t *cuts)
{
	int64_t c, last = lo;
	size_t i, m = 0;

	for (i = 1; i < k; i++) {
		c = lo +
		    (int64_t)((double)(hi - lo + 1) * (double)i / (double)k);
		c -= ((c % 1000) + 1000) % 1000; /* a whole second */
		if (c <= last || c > hi)
			continue;
		cuts[m++] = c;
		last = c;
	}
	return (m);
}

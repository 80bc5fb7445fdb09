/* SPDX-License-Identifier: Apache-2.0 */
/*
 * How `stats` shows its result: one JSON document (-o json, the schema is
 * in the README and the man page), or charts and tables for people.
 *
 * Text: a header line, one sparkline per metric over the window (one
 * column per bin, or per run of bins when there are more bins than
 * columns: counts are summed, percentiles take the worst bin), then a
 * table of requests and one of Lambda invocations, with a row per bin
 * that has data (or per --by key, with a bar of its share) and a total.
 * Every line fits in width columns. unicode draws with block characters
 * (U+2581..U+2588), otherwise with ASCII; colour marks errors.
 */
#ifndef APILOGS_STATSVIEW_H
#define APILOGS_STATSVIEW_H

#include <stdint.h>

#include "core/buf.h"
#include "trace/stats.h"

struct statsview_opts {
	const char *api_id; /* or NULL */
	const char *stage;  /* or NULL */
	int64_t start, end;
	enum stats_by by;
	int width; /* columns, at least 40 is used */
	int unicode;
	int color;
};

/* The terminal width: COLUMNS when set to a number, else the width of
 * the terminal fd is, else 80. */
int statsview_width(int fd);
/* Append the JSON document (one line) to b. */
void statsview_json(
    struct buf *b, const struct stats_result *, const struct statsview_opts *);
/* Append the charts and tables to b. */
void statsview_text(
    struct buf *b, const struct stats_result *, const struct statsview_opts *);

#endif

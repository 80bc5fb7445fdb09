/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Local filters of `get`, applied on this side after the service's
 * filter pattern: --grep REGEX (keep an event that matches any),
 * --exclude REGEX (drop one that matches any) and --level LEVEL (keep
 * LEVEL and worse). Regexes are PCRE2, compiled once, searched anywhere
 * in the message as received (before --query). A line's level is the one
 * the log-line readers find (trace/logline.h); a line without one that
 * they flag as a failure (Task timed out, a REPORT with Status: error,
 * Execution failed due to ..., a 5xx access-log line) counts as ERROR;
 * any other line without a level is dropped by --level.
 */
#ifndef APILOGS_FILTER_H
#define APILOGS_FILTER_H

#include <stddef.h>

#include "trace/logline.h"

struct opts;
struct filter;

/*
 * The filters the options ask for, or NULL (no error) when there are
 * none. NULL with *cause (caller frees; one line naming the option and
 * the offset) on a bad regex. Caller frees with filter_free().
 */
struct filter *filter_new(const struct opts *, char **cause);
/* Free. Accepts NULL. */
void filter_free(struct filter *);
/* Does a message of len bytes from a log of kind hint pass? A NULL
 * filter passes everything. */
int filter_match(
    struct filter *, const char *msg, size_t len, enum logline_source hint);
/* The level named s (any case: trace, debug, info, warn or warning,
 * error, fatal or critical): 0 and *out, or -1. */
int filter_parse_level(const char *s, enum logline_level *out);
/* The level of a message as --level sees it (LOGLINE_LVL_NONE: none). */
enum logline_level filter_level_of(
    const char *msg, size_t len, enum logline_source hint);

#endif

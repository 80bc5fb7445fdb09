/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Time expressions for --start and --end.
 *
 * Accepted, after surrounding spaces and tabs are dropped (case is ignored
 * in every word):
 *
 * - Relative, meaning "that long before now": one or more terms NUMBER UNIT,
 *   optionally separated by spaces, with spaces allowed between the number
 *   and its unit, and an optional final " ago": "30s", "5m", "1h30m",
 *   "1h 30m", "2 days ago", "1 hour 30 minutes ago". Units: s sec secs
 *   second seconds, m min mins minute minutes, h hr hrs hour hours,
 *   d day days, w week weeks. Numbers are plain decimal digits; each unit
 *   may appear once. A leading minus means the same ("-2h"; no "ago"
 *   then). The result is now_ms minus the exact duration.
 * - "now"; "today", "yesterday" and "tomorrow" (00:00 of that day), in
 *   UTC, or in local time with TIMEEXPR_LOCAL. When local midnight is
 *   skipped by a DST change, the first instant of the day.
 * - ISO 8601: YYYY-MM-DD, then optionally T, t or a space and HH, HH:MM,
 *   HH:MM:SS or HH:MM:SS.fff (1 to 9 fraction digits; below a millisecond
 *   is dropped), then optionally Z, z, +HH:MM, -HH:MM, +HHMM or -HHMM
 *   (at most 18:00).
 * - The forms awslogs reads through python-dateutil, as words separated by
 *   spaces or commas, in any order:
 *   - a date: D/M/YYYY or M/D/YYYY, month first unless the first number
 *     is above 12 ("1/2/2015" is 2 January, "23/1/2015" is 23 January;
 *     dateutil's rule), YYYY/M/D, YYYY-MM-DD; or a month name (Jan,
 *     January, Sept) with a day and a year ("12 Dec 2023", "Oct 11 2003";
 *     without the year, this year);
 *   - a time H:MM[:SS[.fff]], with AM or PM after it for 1-12;
 *     without a date it is that time today ("10:00");
 *   - a weekday name, which must be the date's ("Sat Oct 11 17:13:46 UTC
 *     2003", "Sat, 11 Oct 2003 17:13:46 +0000");
 *   - a zone: UTC, GMT, UT, Z, +HHMM, +HH:MM, -HHMM, -HH:MM. Other zone
 *     names (EST, which dateutil ignores) and the POSIX "UTC-8" (which
 *     dateutil reads as UTC+8) fail.
 * - Without a zone a date or time is UTC, or local time with
 *   TIMEEXPR_LOCAL; a local time that a DST change skips is an error, one
 *   that happens twice means the first (earlier) instant.
 * - Epoch: 9 to 11 digits are seconds, 12 to 14 digits are milliseconds.
 *   Both ranges cover 1973-03-03 to 5138-11-16, so a number is never
 *   ambiguous; other digit counts are errors.
 *
 * Every result must lie between 1970-01-01T00:00:00.000Z and
 * 9999-12-31T23:59:59.999Z. Anything else fails, including what awslogs
 * silently misreads: "1month", "2 mo", "1y", "1.5h", "2015" alone.
 */
#ifndef APILOGS_TIMEEXPR_H
#define APILOGS_TIMEEXPR_H

#include <stdint.h>

#define TIMEEXPR_LOCAL 0x1 /* naive absolute input is local time */

/* Every result lies in [TIMEEXPR_MIN_MS, TIMEEXPR_MAX_MS]: 1970 to 9999. */
#define TIMEEXPR_MIN_MS INT64_C(0)
#define TIMEEXPR_MAX_MS INT64_C(253402300799999)

/* Bytes timeexpr_format() writes at most, with the NUL. */
#define TIMEEXPR_FMTLEN 64

/*
 * Parse text into epoch milliseconds relative to now_ms. On error return -1
 * and set *cause to "cannot read 'TEXT' as a time (try '1h ago',
 * '2024-05-01T10:00Z' or an epoch)"; the caller frees it with free().
 */
int timeexpr_parse(
    const char *text, int64_t now_ms, int flags, int64_t *out_ms, char **cause);

/*
 * Format epoch ms as 2024-05-01T10:00:00.123Z (UTC), or with TIMEEXPR_LOCAL
 * as local time with its offset, 2024-05-01T12:00:00.123+02:00. out must
 * hold TIMEEXPR_FMTLEN bytes.
 */
void timeexpr_format(int64_t ms, int flags, char *out);

#endif

/* SPDX-License-Identifier: Apache-2.0 */
/* Tests for --start/--end time expressions and timestamp formatting. */

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "testmain.h"

#include "core/timeexpr.h"

/* 2015-01-01T03:00:00.000Z, the "now" of awslogs' date tests. */
#define NOW INT64_C(1420081200000)

struct good {
	const char *text;
	const char *want; /* timeexpr_format(result, 0) */
};

/* Parse text at now with flags; fail the test if it does not parse. */
static int64_t
must_parse(const char *text, int64_t now, int flags)
{
	int64_t ms = -1;
	char *cause = NULL;

	if (timeexpr_parse(text, now, flags, &ms, &cause) != 0) {
		print_error("'%s' did not parse: %s\n", text, cause);
		free(cause);
		fail();
	}
	assert_null(cause);
	return (ms);
}

/* Check that text fails with exactly the documented message. */
static void
must_fail(const char *text, int64_t now, int flags)
{
	int64_t ms = 12345;
	char *cause = NULL, *want;
	size_t n;

	if (timeexpr_parse(text, now, flags, &ms, &cause) == 0) {
		print_error("'%s' parsed as %lld\n", text, (long long)ms);
		fail();
	}
	assert_int_equal(ms, 12345);
	assert_non_null(cause);
	n = strlen(text) + 100;
	want = malloc(n);
	assert_non_null(want);
	snprintf(want, n,
	    "cannot read '%s' as a time (try '1h ago', '2024-05-01T10:00Z' "
	    "or an epoch)",
	    text);
	assert_string_equal(cause, want);
	free(want);
	free(cause);
}

/* Run a table of inputs that must parse to the given UTC times. */
static void
check_table(const struct good *t, size_t n, int64_t now, int flags)
{
	char buf[TIMEEXPR_FMTLEN];
	size_t i;

	for (i = 0; i < n; i++) {
		timeexpr_format(must_parse(t[i].text, now, flags), 0, buf);
		if (strcmp(buf, t[i].want) != 0) {
			print_error("'%s': got %s, want %s\n", t[i].text, buf,
			    t[i].want);
			fail();
		}
	}
}

/* Set the local time zone and check that the zone data is really there. */
static void
set_tz(const char *tz, long jan_offset_s)
{
	time_t t = 1705312800; /* 2024-01-15T10:00:00Z */
	struct tm tm;

	setenv("TZ", tz, 1);
	tzset();
	assert_non_null(localtime_r(&t, &tm));
	if (tm.tm_gmtoff != jan_offset_s) {
		print_error("zone %s missing (is tzdata installed?)\n", tz);
		fail();
	}
}

static void
test_relative(void **state)
{
	static const struct good t[] = {
	    {"30s", "2015-01-01T02:59:30.000Z"},
	    {"5m", "2015-01-01T02:55:00.000Z"},
	    {"2h", "2015-01-01T01:00:00.000Z"},
	    {"1d", "2014-12-31T03:00:00.000Z"},
	    {"1w", "2014-12-25T03:00:00.000Z"},
	    {"1h30m", "2015-01-01T01:30:00.000Z"},
	    {"2d4h", "2014-12-29T23:00:00.000Z"},
	    {"1h 30m", "2015-01-01T01:30:00.000Z"},
	    {"1h   30m  ago", "2015-01-01T01:30:00.000Z"},
	    {"5 m", "2015-01-01T02:55:00.000Z"},
	    {"5 m ago", "2015-01-01T02:55:00.000Z"},
	    {"2 days ago", "2014-12-30T03:00:00.000Z"},
	    {"90 seconds", "2015-01-01T02:58:30.000Z"},
	    {"1 hour 30 minutes ago", "2015-01-01T01:30:00.000Z"},
	    {"1w2d3h4m5s", "2014-12-22T23:55:55.000Z"},
	    {"5s 1w", "2014-12-25T02:59:55.000Z"},
	    {"10 sec", "2015-01-01T02:59:50.000Z"},
	    {"10 secs ago", "2015-01-01T02:59:50.000Z"},
	    {"1 second", "2015-01-01T02:59:59.000Z"},
	    {"1 min", "2015-01-01T02:59:00.000Z"},
	    {"2 mins ago", "2015-01-01T02:58:00.000Z"},
	    {"1 hr", "2015-01-01T02:00:00.000Z"},
	    {"2hrs", "2015-01-01T01:00:00.000Z"},
	    {"1 day", "2014-12-31T03:00:00.000Z"},
	    {"1 week", "2014-12-25T03:00:00.000Z"},
	    {"2 weeks ago", "2014-12-18T03:00:00.000Z"},
	    {"1H", "2015-01-01T02:00:00.000Z"},
	    {"5M", "2015-01-01T02:55:00.000Z"},
	    {"2 Days AGO", "2014-12-30T03:00:00.000Z"},
	    {"1 HOUR 30 Minutes", "2015-01-01T01:30:00.000Z"},
	    {" 5m", "2015-01-01T02:55:00.000Z"},
	    {"\t5m ago  ", "2015-01-01T02:55:00.000Z"},
	    {"0s", "2015-01-01T03:00:00.000Z"},
	    {"007m", "2015-01-01T02:53:00.000Z"},
	    {"2190d", "2009-01-02T03:00:00.000Z"},
	};

	(void)state;
	check_table(t, sizeof(t) / sizeof(t[0]), NOW, 0);
	/* The local flag changes nothing for relative times. */
	check_table(t, sizeof(t) / sizeof(t[0]), NOW, TIMEEXPR_LOCAL);
}

/* Relative results keep now's milliseconds: no truncation to seconds. */
static void
test_relative_exact_ms(void **state)
{
	(void)state;
	assert_int_equal(must_parse("1m", NOW + 123, 0), NOW + 123 - 60000);
	assert_int_equal(
	    must_parse("1h30m", NOW + 999, 0), NOW + 999 - 5400000);
	assert_int_equal(must_parse("now", NOW + 7, 0), NOW + 7);
	assert_int_equal(must_parse("0s", NOW + 7, 0), NOW + 7);
}

/* awslogs tests/test_it.py date cases, with the same fake now. */
static void
test_awslogs_port(void **state)
{
	static const struct good t[] = {
	    {"1m", "2015-01-01T02:59:00.000Z"},
	    {"1m ago", "2015-01-01T02:59:00.000Z"},
	    {"1minute", "2015-01-01T02:59:00.000Z"},
	    {"1minute ago", "2015-01-01T02:59:00.000Z"},
	    {"1minutes", "2015-01-01T02:59:00.000Z"},
	    {"1minutes ago", "2015-01-01T02:59:00.000Z"},
	    {"1 minutes ago", "2015-01-01T02:59:00.000Z"},
	    {"1h", "2015-01-01T02:00:00.000Z"},
	    {"1h ago", "2015-01-01T02:00:00.000Z"},
	    {"1hour", "2015-01-01T02:00:00.000Z"},
	    {"1hour ago", "2015-01-01T02:00:00.000Z"},
	    {"1hours", "2015-01-01T02:00:00.000Z"},
	    {"1 hours ago", "2015-01-01T02:00:00.000Z"},
	    {"1d", "2014-12-31T03:00:00.000Z"},
	    {"1d ago", "2014-12-31T03:00:00.000Z"},
	    {"1day", "2014-12-31T03:00:00.000Z"},
	    {"1days", "2014-12-31T03:00:00.000Z"},
	    {"1 days ago", "2014-12-31T03:00:00.000Z"},
	    {"1w", "2014-12-25T03:00:00.000Z"},
	    {"1w ago", "2014-12-25T03:00:00.000Z"},
	    {"1week", "2014-12-25T03:00:00.000Z"},
	    {"1weeks", "2014-12-25T03:00:00.000Z"},
	    {"1 weeks ago", "2014-12-25T03:00:00.000Z"},
	    {"2016-08-31T02:23:25.000Z", "2016-08-31T02:23:25.000Z"},
	    {"1/1/2013", "2013-01-01T00:00:00.000Z"},
	    {"1/1/2012 12:34", "2012-01-01T12:34:00.000Z"},
	    {"1/1/2011 12:34:56", "2011-01-01T12:34:56.000Z"},
	};

	(void)state;
	check_table(t, sizeof(t) / sizeof(t[0]), NOW, 0);
	/* awslogs returns None for ""; apilogs refuses it (the CLI decides). */
	must_fail("", NOW, 0);
	must_fail("???", NOW, 0);
	/* dateutil reads the POSIX "UTC-8" as UTC+8 (awslogs' test asserts
	 * 02:23:25Z); apilogs refuses it rather than guess. */
	must_fail("2016-08-31 10:23:25 UTC-8", NOW, 0);
}

/*
 * Every human form of issue 16, with the instant it means. "now" is
 * 2015-01-01T03:00:00Z (a Thursday), so "today" is 2015-01-01.
 */
static void
test_human_forms(void **state)
{
	static const struct good t[] = {
	    /* awslogs' README. */
	    {"23/1/2015 14:23", "2015-01-23T14:23:00.000Z"},
	    {"23/1/2015 12:00", "2015-01-23T12:00:00.000Z"},
	    {"1/1/2015", "2015-01-01T00:00:00.000Z"},
	    {"Sat Oct 11 17:13:46 UTC 2003", "2003-10-11T17:13:46.000Z"},
	    {"2m", "2015-01-01T02:58:00.000Z"},
	    {"1 minute", "2015-01-01T02:59:00.000Z"},
	    {"5 hours", "2014-12-31T22:00:00.000Z"},
	    {"2d ago", "2014-12-30T03:00:00.000Z"},
	    {"2w ago", "2014-12-18T03:00:00.000Z"},
	    /* Day and month as dateutil resolves them: month first unless
	     * the first number is above 12. */
	    {"1/2/2015", "2015-01-02T00:00:00.000Z"},
	    {"12/1/2015", "2015-12-01T00:00:00.000Z"},
	    {"13/1/2015", "2015-01-13T00:00:00.000Z"},
	    {"1/13/2015", "2015-01-13T00:00:00.000Z"},
	    {"01/02/2015", "2015-01-02T00:00:00.000Z"},
	    {"29/2/2016", "2016-02-29T00:00:00.000Z"},
	    {"2015/1/23", "2015-01-23T00:00:00.000Z"},
	    {"2015/01/23 14:23", "2015-01-23T14:23:00.000Z"},
	    /* `date` output and RFC 2822. */
	    {"Sat Oct 11 17:13:46 GMT 2003", "2003-10-11T17:13:46.000Z"},
	    {"Sat Oct 11 17:13:46 2003", "2003-10-11T17:13:46.000Z"},
	    {"sat oct 11 17:13:46 utc 2003", "2003-10-11T17:13:46.000Z"},
	    {"Sat, 11 Oct 2003 17:13:46 +0000", "2003-10-11T17:13:46.000Z"},
	    {"Sat, 11 Oct 2003 17:13:46 +0200", "2003-10-11T15:13:46.000Z"},
	    {"Sat, 11 Oct 2003 17:13:46 -05:30", "2003-10-11T22:43:46.000Z"},
	    {"Saturday, October 11, 2003 5:13 PM", "2003-10-11T17:13:00.000Z"},
	    {"Thu Sep 4 09:00:00 UTC 2025", "2025-09-04T09:00:00.000Z"},
	    {"4 Sept 2025", "2025-09-04T00:00:00.000Z"},
	    /* Month names, any case (awslogs misread "12 dec 2023" as 12
	     * days ago and "20 may 2024" as 20 minutes ago). */
	    {"12 dec 2023", "2023-12-12T00:00:00.000Z"},
	    {"20 may 2024", "2024-05-20T00:00:00.000Z"},
	    {"20 May 2024", "2024-05-20T00:00:00.000Z"},
	    {"Dec 12 2023 08:00", "2023-12-12T08:00:00.000Z"},
	    {"Mar 3", "2015-03-03T00:00:00.000Z"},
	    /* A time alone is today. */
	    {"10:00", "2015-01-01T10:00:00.000Z"},
	    {"12:00", "2015-01-01T12:00:00.000Z"},
	    {"0:30", "2015-01-01T00:30:00.000Z"},
	    {"02:59:30", "2015-01-01T02:59:30.000Z"},
	    {"02:59:30.25", "2015-01-01T02:59:30.250Z"},
	    {"10:00 UTC", "2015-01-01T10:00:00.000Z"},
	    {"10:00 +01:00", "2015-01-01T09:00:00.000Z"},
	    {"12:00 AM", "2015-01-01T00:00:00.000Z"},
	    {"12:30 pm", "2015-01-01T12:30:00.000Z"},
	    {"1:05 PM", "2015-01-01T13:05:00.000Z"},
	    /* Relative with a minus, and tomorrow. */
	    {"-2h", "2015-01-01T01:00:00.000Z"},
	    {"-1h30m", "2015-01-01T01:30:00.000Z"},
	    {"-90 seconds", "2015-01-01T02:58:30.000Z"},
	    {"tomorrow", "2015-01-02T00:00:00.000Z"},
	    {"Tomorrow", "2015-01-02T00:00:00.000Z"},
	    /* ISO with the hour alone, and dateutil's spaced forms. */
	    {"2026-12-06T04", "2026-12-06T04:00:00.000Z"},
	    {"2026-12-06 04", "2026-12-06T04:00:00.000Z"},
	    {"2026-12-06T04Z", "2026-12-06T04:00:00.000Z"},
	    {"2026-12-06T04+02:00", "2026-12-06T02:00:00.000Z"},
	    {"2016-08-31 10:23:25 UTC", "2016-08-31T10:23:25.000Z"},
	    {"2016-08-31 10:23:25 +08:00", "2016-08-31T02:23:25.000Z"},
	    {"2024-05-01  10:00", "2024-05-01T10:00:00.000Z"},
	};
	static const char *bad[] = {
	    "31/31/2015",                   /* neither can be a month */
	    "31/2/2015",                    /* no such day */
	    "29/2/2015",                    /* not a leap year */
	    "1/2/15",                       /* two-digit years */
	    "2015/13/1",                    /* YYYY/M/D is never swapped */
	    "Fri Oct 11 17:13:46 UTC 2003", /* it was a Saturday */
	    "Sat",                          /* a weekday alone */
	    "Sat 10:00",                    /* ... or with a time only */
	    "Oct",                          /* a month without a day */
	    "Oct 2003",                     /* ... */
	    "Oct 11 12 2003",
	    "11 Oct Nov 2003",
	    "1/1/2015 2/2/2015",
	    "1/1/2015 12",
	    "10:00 10:00",
	    "24:00",
	    "10:60",
	    "10:00:60",
	    "10:00:00.",
	    "10:00:00.1234567890",
	    "100:00",
	    "13:00 PM",
	    "0:30 AM",
	    "PM",
	    "UTC",
	    "10:00 UTC UTC",
	    "10:00 +02",
	    "10:00 +1900",
	    "10:00 +02:60",
	    "10:00 EST",
	    "07/06/2021 11:27 EST",
	    "2016-08-31 10:23:25 UTC-8",
	    "2016-08-31 10:23:25 GMT+3",
	    "-2h ago",
	    "--2h",
	    "-h",
	    "- 2h",
	    "12 dec 2023 ago",
	    "tomorrow 10:00",
	    "1/1/10000",
	    "1/1/0",
	    "Oct 11 0",
	    "2015-1-1",
	    "1-1-2015",
	    "1.1.2015",
	    "1/1-2015",
	};
	size_t i;

	(void)state;
	check_table(t, sizeof(t) / sizeof(t[0]), NOW, 0);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		must_fail(bad[i], NOW, 0);
}

/* The human forms in local time: naive ones are local, zoned ones not. */
static void
test_human_local(void **state)
{
	static const struct good t[] = {
	    {"23/1/2015 14:23", "2015-01-23T13:23:00.000Z"},
	    {"1/6/2015", "2015-01-05T23:00:00.000Z"},
	    {"10:00", "2015-01-01T09:00:00.000Z"},
	    {"tomorrow", "2015-01-01T23:00:00.000Z"},
	    {"Sat Oct 11 17:13:46 UTC 2003", "2003-10-11T17:13:46.000Z"},
	    {"Sat Oct 11 17:13:46 2003", "2003-10-11T15:13:46.000Z"},
	    {"10:00 +00:00", "2015-01-01T10:00:00.000Z"},
	    {"2026-12-06T04", "2026-12-06T03:00:00.000Z"},
	};

	(void)state;
	set_tz("Europe/Berlin", 3600);
	check_table(t, sizeof(t) / sizeof(t[0]), NOW, TIMEEXPR_LOCAL);
	/* 02:30 on the spring-forward day does not exist in Berlin. */
	must_fail("3/31/2024 02:30", NOW, TIMEEXPR_LOCAL);
	set_tz("UTC", 0);
}

static void
test_keywords(void **state)
{
	static const struct good t[] = {
	    {"now", "2015-01-01T03:00:00.000Z"},
	    {"NOW", "2015-01-01T03:00:00.000Z"},
	    {"today", "2015-01-01T00:00:00.000Z"},
	    {"Today", "2015-01-01T00:00:00.000Z"},
	    {"yesterday", "2014-12-31T00:00:00.000Z"},
	    {" yesterday ", "2014-12-31T00:00:00.000Z"},
	};

	(void)state;
	check_table(t, sizeof(t) / sizeof(t[0]), NOW, 0);
	/* Exactly midnight is already "today". */
	assert_int_equal(must_parse("today", INT64_C(1420070400000), 0),
	    INT64_C(1420070400000));
	assert_int_equal(must_parse("yesterday", INT64_C(1420070399999), 0),
	    INT64_C(1419897600000));
}

static void
test_absolute(void **state)
{
	static const struct good t[] = {
	    {"2024-05-01T10:00:00Z", "2024-05-01T10:00:00.000Z"},
	    {"2024-05-01T10:00Z", "2024-05-01T10:00:00.000Z"},
	    {"2024-05-01T10:00:00.123+02:00", "2024-05-01T08:00:00.123Z"},
	    {"2024-05-01T10:00:00+0200", "2024-05-01T08:00:00.000Z"},
	    {"2024-05-01T10:00:00-05:30", "2024-05-01T15:30:00.000Z"},
	    {"2024-05-01T10:00-0530", "2024-05-01T15:30:00.000Z"},
	    {"2024-05-01t10:00:00z", "2024-05-01T10:00:00.000Z"},
	    {"2024-05-01 10:00:00Z", "2024-05-01T10:00:00.000Z"},
	    {"2024-05-01T23:30:00-01:00", "2024-05-02T00:30:00.000Z"},
	    {"2024-05-01T00:30:00+01:00", "2024-04-30T23:30:00.000Z"},
	    {"2024-05-01T10:00:00+18:00", "2024-04-30T16:00:00.000Z"},
	    {"2024-05-01T10:00:00-18:00", "2024-05-02T04:00:00.000Z"},
	    {"2024-05-01", "2024-05-01T00:00:00.000Z"},
	    {"2024-05-01 10:00", "2024-05-01T10:00:00.000Z"},
	    {"2024-05-01 10:00:01", "2024-05-01T10:00:01.000Z"},
	    {"2024-05-01 10:00:01.5", "2024-05-01T10:00:01.500Z"},
	    {"2024-05-01 10:00:01.05", "2024-05-01T10:00:01.050Z"},
	    {"2024-05-01 10:00:01.123", "2024-05-01T10:00:01.123Z"},
	    {"2024-05-01T10:00:01.123456789Z", "2024-05-01T10:00:01.123Z"},
	    {"2024-05-01T10:00:01.999999Z", "2024-05-01T10:00:01.999Z"},
	    {"2024-05-01T10:00:00", "2024-05-01T10:00:00.000Z"},
	    {" 2024-05-01T10:00Z ", "2024-05-01T10:00:00.000Z"},
	    {"2024-12-31T23:59:59.999Z", "2024-12-31T23:59:59.999Z"},
	    {"1970-01-01T00:00:00Z", "1970-01-01T00:00:00.000Z"},
	    {"1970-01-01T01:00:00+01:00", "1970-01-01T00:00:00.000Z"},
	    {"9999-12-31T23:59:59.999Z", "9999-12-31T23:59:59.999Z"},
	};

	(void)state;
	check_table(t, sizeof(t) / sizeof(t[0]), NOW, 0);
	assert_int_equal(must_parse("2024-05-01T10:00:00.123Z", NOW, 0),
	    INT64_C(1714557600123));
	assert_int_equal(must_parse("1970-01-01", NOW, 0), 0);
	assert_int_equal(
	    must_parse("9999-12-31T23:59:59.999Z", NOW, 0), TIMEEXPR_MAX_MS);
}

static void
test_leap_years(void **state)
{
	static const struct good t[] = {
	    {"2024-02-29", "2024-02-29T00:00:00.000Z"},
	    {"2000-02-29T12:00Z", "2000-02-29T12:00:00.000Z"},
	    {"2400-02-29", "2400-02-29T00:00:00.000Z"},
	    {"2023-02-28", "2023-02-28T00:00:00.000Z"},
	    {"2024-03-01", "2024-03-01T00:00:00.000Z"},
	    {"2024-12-31", "2024-12-31T00:00:00.000Z"},
	    {"2023-04-30", "2023-04-30T00:00:00.000Z"},
	};

	(void)state;
	check_table(t, sizeof(t) / sizeof(t[0]), NOW, 0);
	must_fail("2023-02-29", NOW, 0);
	must_fail("2100-02-29", NOW, 0);
	must_fail("2024-02-30", NOW, 0);
	must_fail("2024-04-31", NOW, 0);
	must_fail("2024-06-31", NOW, 0);
	must_fail("2024-09-31", NOW, 0);
	must_fail("2024-11-31", NOW, 0);
	must_fail("2024-01-32", NOW, 0);
	assert_int_equal(
	    must_parse("2024-03-01", NOW, 0) - must_parse("2024-02-28", NOW, 0),
	    2 * 86400000);
	assert_int_equal(
	    must_parse("2023-03-01", NOW, 0) - must_parse("2023-02-28", NOW, 0),
	    86400000);
}

static void
test_epoch(void **state)
{
	(void)state;
	assert_int_equal(
	    must_parse("1700000000", NOW, 0), INT64_C(1700000000000));
	assert_int_equal(
	    must_parse("100000000", NOW, 0), INT64_C(100000000000));
	assert_int_equal(
	    must_parse("99999999999", NOW, 0), INT64_C(99999999999000));
	assert_int_equal(
	    must_parse("1700000000123", NOW, 0), INT64_C(1700000000123));
	assert_int_equal(
	    must_parse("100000000000", NOW, 0), INT64_C(100000000000));
	assert_int_equal(
	    must_parse("99999999999999", NOW, 0), INT64_C(99999999999999));
	assert_int_equal(
	    must_parse(" 1700000000 ", NOW, 0), INT64_C(1700000000000));
	must_fail("0", NOW, 0);
	must_fail("2015", NOW, 0);
	must_fail("12345678", NOW, 0);
	must_fail("20240501", NOW, 0);
	must_fail("123456789012345", NOW, 0);
	must_fail("1700000000.5", NOW, 0);
	must_fail("-1700000000", NOW, 0);
	must_fail("+1700000000", NOW, 0);
}

static void
test_awslogs_traps(void **state)
{
	static const char *bad[] = {
	    "1month",
	    "1 month ago",
	    "2 mo",
	    "1y",
	    "1 year ago",
	    "1yr",
	    "1.5h",
	    "1,5h",
	    "+1h",
	    "5 m ago x",
	    "???",
	    "",
	    "  ",
	    "\t",
	    "X",
	    "2015",
	    "07/06/2021 11:27 EST",
	    "1h1h",
	    "1h 2m 3h",
	    "5",
	    "ago",
	    "5 ago",
	    "1h ago ago",
	    "ago 1h",
	    "1 h30",
	    "h",
	    "1ms",
	    "5mago",
	    "5m-",
	    "5m,",
	    "1hour30",
	    "2 hours, 30 minutes",
	    "2 hours and 30 minutes",
	    "now ago",
	    "1h now",
	    "today 10:00",
	    "noon",
	    "1e3s",
	    "0x10m",
	    "1h\n",
	    "5m\x01",
	    "5 m ago\tx",
	    "1 h o u r",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		must_fail(bad[i], NOW, 0);
}

static void
test_bad_absolute(void **state)
{
	static const char *bad[] = {
	    "2024-13-01",
	    "2024-00-10",
	    "2024-05-00",
	    "2024-05-01T24:00",
	    "2024-05-01T23:60",
	    "2024-05-01T23:59:60",
	    "2024-05-01T10:",
	    "2024-05-01T10:0",
	    "2024-05-01T10:00:0",
	    "2024-05-01T10:00:00.",
	    "2024-05-01T10:00:00.1234567890",
	    "2024-05-01T10:00:00 Z",
	    "2024-05-01T10:00:00+02",
	    "2024-05-01T10:00:00+2:00",
	    "2024-05-01T10:00:00+18:01",
	    "2024-05-01T10:00:00+19:00",
	    "2024-05-01T10:00:00+02:60",
	    "2024-05-01T10:00:00+02:00Z",
	    "2024-05-01T10:00:00ZZ",
	    "2024-05-01T10:00:00UTC",
	    "2024-05-01T",
	    "2024-05-01Z",
	    "2024-05-01X10:00",
	    "24-05-01",
	    "2024-5-1",
	    "+2024-05-01",
	    "0000-01-01",
	    "1969-12-31",
	    "1969-12-31T23:59:59.999Z",
	    "1970-01-01T00:00:00+00:01",
	    "9999-12-31T23:59:59.999-00:01",
	    "10000-01-01",
	    "2024-05-01T10:00:00.12a",
	    "2024-05-01T1O:00",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		must_fail(bad[i], NOW, 0);
}

/* Huge numbers and results outside 1970..9999 fail instead of wrapping. */
static void
test_overflow(void **state)
{
	static const char *bad[] = {
	    "99999999999999999999d", "99999999999999999999",
	    "9223372036854775807s", "9223372036854775808s", "106751991167d",
	    "15250284452w", "1000000000000000000000000s",
	    "9223372036854775807w", "1h 9223372036854775807s",
	    "2440588d", /* 1970-01-01 minus 6682 years */
	    "3000w",    /* before 1970 */
	};
	size_t i;
	int64_t ms;
	char *cause = NULL;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		must_fail(bad[i], NOW, 0);
	/* Extreme values of now must not overflow either. */
	assert_int_equal(timeexpr_parse("1w", INT64_MIN, 0, &ms, &cause), -1);
	free(cause);
	cause = NULL;
	assert_int_equal(timeexpr_parse("now", INT64_MAX, 0, &ms, &cause), -1);
	free(cause);
	cause = NULL;
	assert_int_equal(
	    timeexpr_parse("today", INT64_MIN, 0, &ms, &cause), -1);
	free(cause);
	cause = NULL;
	assert_int_equal(
	    timeexpr_parse("yesterday", INT64_MAX, TIMEEXPR_LOCAL, &ms, &cause),
	    -1);
	free(cause);
	/* The largest relative value that still lands on the epoch. */
	assert_int_equal(must_parse("1420081200s", NOW, 0), 0);
	must_fail("1420081201s", NOW, 0);
}

static void
test_cause_message(void **state)
{
	int64_t ms;
	char *cause = NULL;

	(void)state;
	assert_int_equal(
	    timeexpr_parse("1 month ago", NOW, 0, &ms, &cause), -1);
	assert_string_equal(cause,
	    "cannot read '1 month ago' as a time (try '1h ago', "
	    "'2024-05-01T10:00Z' or an epoch)");
	free(cause);
	cause = NULL;
	/* The text is quoted as given, surrounding spaces included. */
	assert_int_equal(timeexpr_parse(" 1y ", NOW, 0, &ms, &cause), -1);
	assert_string_equal(cause,
	    "cannot read ' 1y ' as a time (try '1h ago', "
	    "'2024-05-01T10:00Z' or an epoch)");
	free(cause);
}

static void
test_local_berlin(void **state)
{
	static const struct good t[] = {
	    /* CEST, UTC+2 */
	    {"2024-05-01 10:00", "2024-05-01T08:00:00.000Z"},
	    {"2024-05-01T10:00:00.250", "2024-05-01T08:00:00.250Z"},
	    {"2024-05-01", "2024-04-30T22:00:00.000Z"},
	    /* CET, UTC+1 */
	    {"2024-01-15 10:00", "2024-01-15T09:00:00.000Z"},
	    {"2024-02-29 00:00:00", "2024-02-28T23:00:00.000Z"},
	    /* An explicit zone wins over TIMEEXPR_LOCAL. */
	    {"2024-05-01T10:00Z", "2024-05-01T10:00:00.000Z"},
	    {"2024-05-01T10:00+05:00", "2024-05-01T05:00:00.000Z"},
	    /* Spring forward: 02:00 CET becomes 03:00 CEST on 03-31. */
	    {"2024-03-31 01:59:59", "2024-03-31T00:59:59.000Z"},
	    {"2024-03-31 03:00", "2024-03-31T01:00:00.000Z"},
	    /* Fall back: 02:00-02:59 happens twice; the first one wins. */
	    {"2024-10-27 01:59", "2024-10-26T23:59:00.000Z"},
	    {"2024-10-27 02:30", "2024-10-27T00:30:00.000Z"},
	    {"2024-10-27 03:00", "2024-10-27T02:00:00.000Z"},
	    /* Relative times do not depend on the zone. */
	    {"1h", "2015-01-01T02:00:00.000Z"},
	};

	(void)state;
	set_tz("Europe/Berlin", 3600);
	check_table(t, sizeof(t) / sizeof(t[0]), NOW, TIMEEXPR_LOCAL);
	/* Without the flag, naive times stay UTC even with TZ set. */
	assert_int_equal(
	    must_parse("2024-05-01 10:00", NOW, 0), INT64_C(1714557600000));
	/* A wall-clock time skipped by DST does not exist. */
	must_fail("2024-03-31 02:30", NOW, TIMEEXPR_LOCAL);
	must_fail("2024-03-31T02:00:00", NOW, TIMEEXPR_LOCAL);
	/* It is fine when the zone is given. */
	assert_int_equal(must_parse("2024-03-31T02:30Z", NOW, TIMEEXPR_LOCAL),
	    INT64_C(1711852200000));
	set_tz("UTC", 0);
}

/* today/yesterday follow the local calendar day with TIMEEXPR_LOCAL. */
static void
test_local_midnight(void **state)
{
	/* 2024-05-01T23:30Z is already 2024-05-02 01:30 in Berlin. */
	int64_t now = INT64_C(1714606200000);
	char buf[TIMEEXPR_FMTLEN];

	(void)state;
	set_tz("Europe/Berlin", 3600);
	timeexpr_format(must_parse("today", now, TIMEEXPR_LOCAL), 0, buf);
	assert_string_equal(buf, "2024-05-01T22:00:00.000Z");
	timeexpr_format(must_parse("yesterday", now, TIMEEXPR_LOCAL), 0, buf);
	assert_string_equal(buf, "2024-04-30T22:00:00.000Z");
	timeexpr_format(must_parse("today", now, 0), 0, buf);
	assert_string_equal(buf, "2024-05-01T00:00:00.000Z");
	/* The day of the spring change is 23 hours long. */
	now = INT64_C(1711886400000); /* 2024-03-31T12:00Z */
	timeexpr_format(must_parse("today", now, TIMEEXPR_LOCAL), 0, buf);
	assert_string_equal(buf, "2024-03-30T23:00:00.000Z");
	timeexpr_format(must_parse("yesterday", now, TIMEEXPR_LOCAL), 0, buf);
	assert_string_equal(buf, "2024-03-29T23:00:00.000Z");
	/* Yesterday across a month and year boundary. */
	now = INT64_C(1704070800000); /* 2024-01-01T01:00Z = 02:00 CET */
	timeexpr_format(must_parse("yesterday", now, TIMEEXPR_LOCAL), 0, buf);
	assert_string_equal(buf, "2023-12-30T23:00:00.000Z");
	/* Sao Paulo skipped midnight on 2018-11-04: the day began at 01:00. */
	set_tz("America/Sao_Paulo", -10800);
	now = INT64_C(1541332800000); /* 2018-11-04T12:00Z */
	timeexpr_format(must_parse("today", now, TIMEEXPR_LOCAL), 0, buf);
	assert_string_equal(buf, "2018-11-04T03:00:00.000Z");
	must_fail("2018-11-04 00:30", now, TIMEEXPR_LOCAL);
	set_tz("UTC", 0);
}

static void
test_format_utc(void **state)
{
	static const struct {
		int64_t ms;
		const char *want;
	} t[] = {
	    {0, "1970-01-01T00:00:00.000Z"},
	    {5006, "1970-01-01T00:00:05.006Z"},
	    {INT64_C(1714557600123), "2024-05-01T10:00:00.123Z"},
	    {INT64_C(951782400000), "2000-02-29T00:00:00.000Z"},
	    {INT64_C(1420081200000), "2015-01-01T03:00:00.000Z"},
	    {TIMEEXPR_MAX_MS, "9999-12-31T23:59:59.999Z"},
	    {-1, "1969-12-31T23:59:59.999Z"},
	    {-86400000, "1969-12-31T00:00:00.000Z"},
	};
	char buf[TIMEEXPR_FMTLEN];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		timeexpr_format(t[i].ms, 0, buf);
		assert_string_equal(buf, t[i].want);
	}
	/* Extremes must not crash or overflow the buffer. */
	timeexpr_format(INT64_MAX, 0, buf);
	assert_true(strlen(buf) < TIMEEXPR_FMTLEN);
	timeexpr_format(INT64_MIN, 0, buf);
	assert_true(strlen(buf) < TIMEEXPR_FMTLEN);
	timeexpr_format(INT64_MAX, TIMEEXPR_LOCAL, buf);
	assert_true(strlen(buf) < TIMEEXPR_FMTLEN);
	timeexpr_format(INT64_MIN, TIMEEXPR_LOCAL, buf);
	assert_true(strlen(buf) < TIMEEXPR_FMTLEN);
}

static void
test_format_local(void **state)
{
	char buf[TIMEEXPR_FMTLEN];
	int64_t ms, back;

	(void)state;
	set_tz("Europe/Berlin", 3600);
	timeexpr_format(INT64_C(1714557600123), TIMEEXPR_LOCAL, buf);
	assert_string_equal(buf, "2024-05-01T12:00:00.123+02:00");
	timeexpr_format(INT64_C(1705312800000), TIMEEXPR_LOCAL, buf);
	assert_string_equal(buf, "2024-01-15T11:00:00.000+01:00");
	/* Both 02:30s of the fall-back night, told apart by the offset. */
	timeexpr_format(INT64_C(1729989000000), TIMEEXPR_LOCAL, buf);
	assert_string_equal(buf, "2024-10-27T02:30:00.000+02:00");
	timeexpr_format(INT64_C(1729992600000), TIMEEXPR_LOCAL, buf);
	assert_string_equal(buf, "2024-10-27T02:30:00.000+01:00");
	timeexpr_format(INT64_C(1714557600123), 0, buf);
	assert_string_equal(buf, "2024-05-01T10:00:00.123Z");
	/* Formatting in local time and parsing back is lossless. */
	for (ms = INT64_C(1704067200000); ms < INT64_C(1735689600000);
	     ms += INT64_C(3599999)) {
		timeexpr_format(ms, TIMEEXPR_LOCAL, buf);
		back = must_parse(buf, NOW, TIMEEXPR_LOCAL);
		assert_int_equal(back, ms);
	}
	set_tz("Asia/Kolkata", 19800);
	timeexpr_format(INT64_C(1714557600123), TIMEEXPR_LOCAL, buf);
	assert_string_equal(buf, "2024-05-01T15:30:00.123+05:30");
	set_tz("America/New_York", -18000);
	timeexpr_format(INT64_C(1714557600000), TIMEEXPR_LOCAL, buf);
	assert_string_equal(buf, "2024-05-01T06:00:00.000-04:00");
	timeexpr_format(INT64_C(-1), TIMEEXPR_LOCAL, buf);
	assert_string_equal(buf, "1969-12-31T18:59:59.999-05:00");
	set_tz("UTC", 0);
	timeexpr_format(INT64_C(1714557600000), TIMEEXPR_LOCAL, buf);
	assert_string_equal(buf, "2024-05-01T10:00:00.000+00:00");
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_relative),
    cmocka_unit_test(test_relative_exact_ms),
    cmocka_unit_test(test_awslogs_port),
    cmocka_unit_test(test_keywords),
    cmocka_unit_test(test_human_forms),
    cmocka_unit_test(test_human_local),
    cmocka_unit_test(test_absolute),
    cmocka_unit_test(test_leap_years),
    cmocka_unit_test(test_epoch),
    cmocka_unit_test(test_awslogs_traps),
    cmocka_unit_test(test_bad_absolute),
    cmocka_unit_test(test_overflow),
    cmocka_unit_test(test_cause_message),
    cmocka_unit_test(test_local_berlin),
    cmocka_unit_test(test_local_midnight),
    cmocka_unit_test(test_format_utc),
    cmocka_unit_test(test_format_local),
};

TEST_MAIN(tests)

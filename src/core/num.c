/* SPDX-License-Identifier: Apache-2.0 */
/* Bounded number parsing. */

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>

#include "core/num.h"

/* Parse a decimal integer in [min, max]; see num.h. */
long long
num_parse(const char *s, long long min, long long max, const char **errstr)
{
	char *end;
	long long v;

	*errstr = NULL;
	if (s == NULL || *s == '\0' || isspace((unsigned char)*s)) {
		*errstr = "invalid";
		return (0);
	}
	errno = 0;
	v = strtoll(s, &end, 10);
	if (*end != '\0') {
		*errstr = "invalid";
		return (0);
	}
	if ((errno == ERANGE && v == LLONG_MIN) || v < min) {
		*errstr = "too small";
		return (0);
	}
	if ((errno == ERANGE && v == LLONG_MAX) || v > max) {
		*errstr = "too large";
		return (0);
	}
	return (v);
}

/*
 * Parse seconds with up to three decimals ("1", "0.25", "2.5") into
 * milliseconds in [min_ms, max_ms]; no exponents, signs or spaces.
 */
int64_t
num_parse_seconds_ms(
    const char *s, int64_t min_ms, int64_t max_ms, const char **errstr)
{
	int64_t ms = 0, frac = 0;
	int digits = 0, fdigits = 0;

	*errstr = NULL;
	for (; isdigit((unsigned char)*s); s++) {
		if (ms > (INT64_MAX / 10 - 9) / 1000) {
			*errstr = "too large";
			return (0);
		}
		ms = ms * 10 + (*s - '0');
		digits++;
	}
	if (*s == '.') {
		for (s++; isdigit((unsigned char)*s); s++) {
			if (fdigits < 3)
				frac = frac * 10 + (*s - '0');
			fdigits++;
		}
		if (fdigits == 0) {
			*errstr = "invalid";
			return (0);
		}
	}
	if (*s != '\0' || digits + fdigits == 0) {
		*errstr = "invalid";
		return (0);
	}
	while (fdigits < 3) {
		frac *= 10;
		fdigits++;
	}
	ms = ms * 1000 + frac;
	if (ms < min_ms) {
		*errstr = "too small";
		return (0);
	}
	if (ms > max_ms) {
		*errstr = "too large";
		return (0);
	}
	return (ms);
}

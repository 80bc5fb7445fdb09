/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Error detection for red marking (logline_is_error): a scan of the raw
 * message, no JSON parse, since get calls it on every line it colours.
 * See logline.h for what counts as an error.
 */

#include <string.h>

#include "trace/logline.h"
#include "trace/logline_int.h"

/* Is there an upper-case word w in s, not part of a longer word? */
static int
has_word(struct logline_span s, const char *w)
{
	size_t n = strlen(w), off = 0, at, end;
	long hit;

	for (;;) {
		hit = logline_find(logline_span_from(s, off), w);
		if (hit < 0)
			return (0);
		at = off + (size_t)hit;
		end = at + n;
		if ((at == 0 ||
			(!is_alnum(s.p[at - 1]) && s.p[at - 1] != '_')) &&
		    (end == s.n || (!is_alnum(s.p[end]) && s.p[end] != '_')))
			return (1);
		off = at + 1;
	}
}

/* The JSON value after key (a literal with its quotes) in s, or empty. */
static struct logline_span
json_value_after(struct logline_span *s, const char *key)
{
	struct logline_span v = {"", 0};
	long at;

	for (;;) {
		at = logline_find_ci(*s, key);
		if (at < 0) {
			s->n = 0;
			return (v);
		}
		*s = logline_span_from(*s, (size_t)at + strlen(key));
		v = *s;
		while (v.n > 0 && is_space(v.p[0]))
			v = logline_span_from(v, 1);
		if (v.n > 0 && v.p[0] == ':')
			break;
	}
	v = logline_span_from(v, 1);
	while (v.n > 0 && is_space(v.p[0]))
		v = logline_span_from(v, 1);
	return (v);
}

/*
 * Does a level key in s (level, log_level, levelname, severity) have an
 * error value (error, fatal, critical, fail, crit, or a number of 50+)?
 */
static int
has_json_error_level(struct logline_span msg)
{
	static const char *const keys[] = {
	    "\"level\"", "\"log_level\"", "\"levelname\"", "\"severity\""};
	struct logline_span s, v;
	size_t used, k;
	long n;

	for (k = 0; k < sizeof(keys) / sizeof(keys[0]); k++) {
		s = msg;
		while (s.n > 0) {
			v = json_value_after(&s, keys[k]);
			if (v.n > 0 && v.p[0] == '"') {
				v = logline_token(
				    logline_span_from(v, 1), "\"");
				if (logline_level_word(v) >= LOGLINE_LVL_ERROR)
					return (1);
			} else if (logline_uint(v, &used, 1000, &n) == 0 &&
				   n >= 50)
				return (1);
		}
	}
	return (0);
}

/* Does a platform.* record in s have a "status" of error or timeout? */
static int
has_platform_failure(struct logline_span s)
{
	struct logline_span v;

	if (logline_find(s, "\"platform.") < 0)
		return (0);
	while (s.n > 0) {
		v = json_value_after(&s, "\"status\"");
		if (logline_starts(v, "\"error\"") ||
		    logline_starts(v, "\"timeout\"") ||
		    logline_starts(v, "\"failure\""))
			return (1);
	}
	return (0);
}

/* Does a REPORT or INIT_REPORT line say a Status other than success? */
static int
has_report_failure(struct logline_span s)
{
	long at;

	if (!logline_starts(s, "REPORT ") && !logline_starts(s, "INIT_REPORT "))
		return (0);
	at = logline_find(s, "Status: ");
	if (at <= 0 || (s.p[at - 1] != '\t' && s.p[at - 1] != ' '))
		return (0);
	return (!logline_starts(
	    logline_span_from(s, (size_t)at + strlen("Status: ")), "success"));
}

/* A .NET level: a tab-separated fail/crit field, or "fail: " first. */
static int
has_dotnet_failure(struct logline_span s)
{
	return (logline_starts(s, "fail: ") || logline_starts(s, "crit: ") ||
		logline_find(s, "\tfail\t") >= 0 ||
		logline_find(s, "\tcrit\t") >= 0);
}

/* Does the message look like an error; see logline.h. */
int
logline_is_error(const char *msg, size_t len)
{
	static const char *const phrases[] = {
	    "Task timed out",
	    "Process exited before completing request",
	    "Error: Runtime exited",
	    "Execution failed due to",
	    "Lambda execution failed",
	    "Lambda invocation failed",
	    "' panicked at ",
	};
	struct logline_span s = {msg, len};
	size_t i;

	for (i = 0; i < sizeof(phrases) / sizeof(phrases[0]); i++) {
		if (logline_find(s, phrases[i]) >= 0)
			return (1);
	}
	if (has_word(s, "ERROR") || has_word(s, "FATAL") ||
	    has_word(s, "CRITICAL"))
		return (1);
	if (has_report_failure(s) || has_dotnet_failure(s))
		return (1);
	if (logline_find(s, "\"errorType\"") >= 0 &&
	    logline_find(s, "\"errorMessage\"") >= 0)
		return (1);
	return (has_json_error_level(s) || has_platform_failure(s));
}

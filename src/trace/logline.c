/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Log line readers: the dispatcher, the --query JSON finder, and the
 * span helpers the readers share. See logline.h.
 */

#include <string.h>

#include <jansson.h>

#include "trace/logline.h"
#include "trace/logline_int.h"

static const char *const kind_names[] = {
    [LOGLINE_UNKNOWN] = "unknown",
    [LOGLINE_EXEC_OTHER] = "exec-other",
    [LOGLINE_EXEC_EXTENDED_ID] = "exec-extended-id",
    [LOGLINE_EXEC_START] = "exec-start",
    [LOGLINE_EXEC_METHOD] = "exec-method",
    [LOGLINE_EXEC_ENDPOINT_URI] = "exec-endpoint-uri",
    [LOGLINE_EXEC_SENDING] = "exec-sending",
    [LOGLINE_EXEC_RESPONSE] = "exec-response",
    [LOGLINE_EXEC_RESPONSE_HEADERS] = "exec-response-headers",
    [LOGLINE_EXEC_INTEGRATION_ID] = "exec-integration-id",
    [LOGLINE_EXEC_COMPLETED] = "exec-completed",
    [LOGLINE_EXEC_STATUS] = "exec-status",
    [LOGLINE_EXEC_AUTH_START] = "exec-auth-start",
    [LOGLINE_EXEC_AUTH_RESULT] = "exec-auth-result",
    [LOGLINE_EXEC_AUTH_POLICY] = "exec-auth-policy",
    [LOGLINE_EXEC_AUTH_DONE] = "exec-auth-done",
    [LOGLINE_EXEC_UNAUTHORIZED] = "exec-unauthorized",
    [LOGLINE_EXEC_LAMBDA_ERROR] = "exec-lambda-error",
    [LOGLINE_EXEC_CONFIG_ERROR] = "exec-config-error",
    [LOGLINE_EXEC_FAILED] = "exec-failed",
    [LOGLINE_EXEC_THROTTLED] = "exec-throttled",
    [LOGLINE_EXEC_TRACE_ID] = "exec-trace-id",
    [LOGLINE_EXEC_INVOKE_FAILED] = "exec-invoke-failed",
    [LOGLINE_EXEC_TIMEOUT] = "exec-timeout",
    [LOGLINE_EXEC_WS_ROUTE] = "exec-ws-route",
    [LOGLINE_LAMBDA_INIT_START] = "lambda-init-start",
    [LOGLINE_LAMBDA_INIT_REPORT] = "lambda-init-report",
    [LOGLINE_LAMBDA_START] = "lambda-start",
    [LOGLINE_LAMBDA_END] = "lambda-end",
    [LOGLINE_LAMBDA_RUNTIME_DONE] = "lambda-runtime-done",
    [LOGLINE_LAMBDA_REPORT] = "lambda-report",
    [LOGLINE_LAMBDA_APP] = "lambda-app",
    [LOGLINE_LAMBDA_TIMEOUT] = "lambda-timeout",
    [LOGLINE_LAMBDA_RUNTIME_EXIT] = "lambda-runtime-exit",
    [LOGLINE_LAMBDA_INVOKE_ERROR] = "lambda-invoke-error",
    [LOGLINE_LAMBDA_CRASH] = "lambda-crash",
    [LOGLINE_LAMBDA_PLATFORM] = "lambda-platform",
    [LOGLINE_ACCESS_JSON] = "access-json",
    [LOGLINE_ACCESS_TEXT] = "access-text",
};

/* Lower-case an ASCII letter. */
static char
to_lower(char c)
{
	if (c >= 'A' && c <= 'Z')
		return ((char)(c - 'A' + 'a'));
	return (c);
}

/* The part of s from offset off on (empty past the end). */
struct logline_span
logline_span_from(struct logline_span s, size_t off)
{
	if (off > s.n)
		off = s.n;
	s.p += off;
	s.n -= off;
	return (s);
}

/* Does s start with lit? */
int
logline_starts(struct logline_span s, const char *lit)
{
	size_t n = strlen(lit);

	return (s.n >= n && memcmp(s.p, lit, n) == 0);
}

/* Offset of the first lit in s, or -1. */
long
logline_find(struct logline_span s, const char *lit)
{
	const char *hit;

	hit = memmem(s.p, s.n, lit, strlen(lit));
	return (hit == NULL ? -1 : (long)(hit - s.p));
}

/* Offset of the first lit in s, ignoring ASCII case, or -1. */
long
logline_find_ci(struct logline_span s, const char *lit)
{
	size_t n = strlen(lit), i, j;

	for (i = 0; n <= s.n && i <= s.n - n; i++) {
		for (j = 0; j < n; j++) {
			if (to_lower(s.p[i + j]) != to_lower(lit[j]))
				break;
		}
		if (j == n)
			return ((long)i);
	}
	return (-1);
}

/* The leading part of s up to (not including) any byte of stops. */
struct logline_span
logline_token(struct logline_span s, const char *stops)
{
	size_t i;

	for (i = 0; i < s.n; i++) {
		if (s.p[i] == '\0' || strchr(stops, s.p[i]) != NULL)
			break;
	}
	s.n = i;
	return (s);
}

/* s without leading and trailing white space. */
struct logline_span
logline_trim(struct logline_span s)
{
	while (s.n > 0 && is_space(s.p[0])) {
		s.p++;
		s.n--;
	}
	while (s.n > 0 && is_space(s.p[s.n - 1]))
		s.n--;
	return (s);
}

/* Is s exactly a UUID: 8-4-4-4-12 hex digits? */
int
logline_is_uuid(struct logline_span s)
{
	size_t i;
	char c;

	if (s.n != 36)
		return (0);
	for (i = 0; i < 36; i++) {
		c = s.p[i];
		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (c != '-')
				return (0);
		} else if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') ||
			       (c >= 'A' && c <= 'F')))
			return (0);
	}
	return (1);
}

/* Does s start like an ISO-8601 timestamp, YYYY-MM-DDTHH:MM:SS? */
int
logline_looks_like_ts(struct logline_span s)
{
	static const char shape[] = "dddd-dd-ddTdd:dd:dd";
	size_t i;

	if (s.n < sizeof(shape) - 1)
		return (0);
	for (i = 0; i < sizeof(shape) - 1; i++) {
		if (shape[i] == 'd' ? !(s.p[i] >= '0' && s.p[i] <= '9')
				    : s.p[i] != shape[i])
			return (0);
	}
	return (1);
}

/*
 * Read the decimal integer that s starts with, at most max, into *v and
 * the number of bytes read into *used. -1 when there is none or too large.
 */
int
logline_uint(struct logline_span s, size_t *used, long max, long *v)
{
	size_t i;
	long x = 0;

	for (i = 0; i < s.n && s.p[i] >= '0' && s.p[i] <= '9'; i++) {
		if (x > (max - (s.p[i] - '0')) / 10)
			return (-1);
		x = x * 10 + (s.p[i] - '0');
	}
	if (i == 0)
		return (-1);
	*used = i;
	*v = x;
	return (0);
}

/* Read a non-negative decimal like 128.83 that s starts with into *v. */
int
logline_decimal(struct logline_span s, size_t *used, double *v)
{
	size_t i, n;
	long ip;
	double frac = 0, scale = 1;

	if (logline_uint(s, &n, 999999999999L, &ip) != 0)
		return (-1);
	i = n;
	if (i < s.n && s.p[i] == '.') {
		for (i++; i < s.n && s.p[i] >= '0' && s.p[i] <= '9'; i++) {
			if (scale < 1e12) {
				scale *= 10;
				frac = frac * 10 + (s.p[i] - '0');
			}
		}
		if (i == n + 1)
			return (-1);
	}
	*used = i;
	*v = (double)ip + frac / scale;
	return (0);
}

/* The level a word names (INFO, warn, WARNING, CRITICAL, ...), any case. */
enum logline_level
logline_level_word(struct logline_span s)
{
	static const struct {
		const char *word;
		enum logline_level level;
	} words[] = {
	    {"trace", LOGLINE_LVL_TRACE}, {"debug", LOGLINE_LVL_DEBUG},
	    {"info", LOGLINE_LVL_INFO}, {"warn", LOGLINE_LVL_WARN},
	    {"warning", LOGLINE_LVL_WARN}, {"error", LOGLINE_LVL_ERROR},
	    {"fatal", LOGLINE_LVL_FATAL}, {"critical", LOGLINE_LVL_FATAL},
	    {"trce", LOGLINE_LVL_TRACE}, /* .NET */
	    {"dbug", LOGLINE_LVL_DEBUG}, {"fail", LOGLINE_LVL_ERROR},
	    {"crit", LOGLINE_LVL_FATAL},
	    {"panic", LOGLINE_LVL_FATAL}, /* Go loggers */
	};
	size_t i, j;

	for (i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
		if (strlen(words[i].word) != s.n)
			continue;
		for (j = 0; j < s.n; j++) {
			if (to_lower(s.p[j]) != words[i].word[j])
				break;
		}
		if (j == s.n)
			return (words[i].level);
	}
	return (LOGLINE_LVL_NONE);
}

/* Does a JSON key, lower-cased and without '_', '-', '.', hold requestid? */
int
logline_key_has_requestid(const char *key)
{
	char norm[256];
	size_t i, j = 0;

	for (i = 0; key[i] != '\0' && j + 1 < sizeof(norm); i++) {
		if (strchr("_-.", key[i]) == NULL)
			norm[j++] = to_lower(key[i]);
	}
	norm[j] = '\0';
	return (strstr(norm, "requestid") != NULL);
}

/*
 * Split s at the first n - 1 tabs into f[0..n); the last field is the
 * rest of s. -1 when there are fewer tabs.
 */
int
logline_split_tabs(struct logline_span s, struct logline_span *f, int n)
{
	int i;
	long tab;

	for (i = 0; i < n - 1; i++) {
		tab = logline_find(s, "\t");
		if (tab < 0)
			return (-1);
		f[i].p = s.p;
		f[i].n = (size_t)tab;
		s = logline_span_from(s, (size_t)tab + 1);
	}
	f[n - 1] = s;
	return (0);
}

/* Copy an id into dst (LOGLINE_IDLEN bytes); -1 and no copy if invalid. */
int
logline_set_id(char *dst, struct logline_span s)
{
	size_t i;

	if (s.n == 0 || s.n >= LOGLINE_IDLEN)
		return (-1);
	for (i = 0; i < s.n; i++) {
		if (!is_alnum(s.p[i]) && strchr("$._:/+=-", s.p[i]) == NULL)
			return (-1);
		if (s.p[i] == '\0')
			return (-1);
	}
	memcpy(dst, s.p, s.n);
	dst[s.n] = '\0';
	return (0);
}

/* Copy display text into dst of size bytes, cut to fit, NULs dropped. */
void
logline_set_text(char *dst, size_t size, struct logline_span s)
{
	size_t i, j = 0;

	for (i = 0; i < s.n && j + 1 < size; i++) {
		if (s.p[i] != '\0')
			dst[j++] = s.p[i];
	}
	dst[j] = '\0';
}

/* Set *out to "nothing found" for a message of len bytes. */
static void
reset(struct logline *out, size_t len)
{
	memset(out, 0, sizeof(*out));
	out->kind = LOGLINE_UNKNOWN;
	out->source = LOGLINE_SRC_AUTO;
	out->status = -1;
	out->integration_latency_ms = -1;
	out->latency_ms = -1;
	out->duration_ms = -1;
	out->billed_ms = -1;
	out->init_ms = -1;
	out->memory_mb = -1;
	out->max_memory_mb = -1;
	out->text_len = len;
}

/* Read a message that starts with '{' as JSON, per the hint. */
static int
parse_json(struct logline_span s, enum logline_source hint, struct logline *out,
    int *is_json)
{
	json_t *obj;
	json_error_t err;
	int rc = -1;

	*is_json = 0;
	obj = json_loadb(s.p, s.n, 0, &err);
	if (obj == NULL)
		return (-1);
	if (!json_is_object(obj))
		goto out;
	*is_json = 1;
	out->is_json = 1;
	switch (hint) {
	case LOGLINE_SRC_LAMBDA:
		rc = logline_lambda_json(obj, 1, out);
		break;
	case LOGLINE_SRC_ACCESS:
		rc = logline_access_json(obj, out);
		break;
	case LOGLINE_SRC_AUTO:
		rc = logline_lambda_json(obj, 0, out);
		if (rc != 0)
			rc = logline_access_json(obj, out);
		break;
	default:
		break;
	}
out:
	json_decref(obj);
	return (rc);
}

/* Read one log message; see logline.h. */
int
logline_parse(
    const char *msg, size_t len, enum logline_source hint, struct logline *out)
{
	struct logline_span s = {msg, len}, t;
	int rc = -1, is_json;

	reset(out, len);
	t = logline_trim(s);
	if (t.n > 0 && t.p[0] == '{') {
		rc = parse_json(t, hint, out, &is_json);
		if (rc != 0) {
			reset(out, len);
			out->is_json = is_json;
			/* Not JSON: API Gateway does not escape values. */
			if (!is_json && (hint == LOGLINE_SRC_ACCESS ||
					    hint == LOGLINE_SRC_AUTO)) {
				rc = logline_access_scan(t, out);
				if (rc != 0)
					reset(out, len);
			}
		}
		goto done;
	}
	switch (hint) {
	case LOGLINE_SRC_EXECUTION:
		rc = logline_exec_parse(s, out);
		break;
	case LOGLINE_SRC_LAMBDA:
		rc = logline_lambda_text(s, out);
		break;
	case LOGLINE_SRC_ACCESS:
		rc = logline_access_text(s, out);
		break;
	case LOGLINE_SRC_AUTO:
		rc = logline_exec_parse(s, out);
		if (rc != 0) {
			reset(out, len);
			rc = logline_lambda_text(s, out);
		}
		break;
	}
	if (rc != 0)
		reset(out, len);
done:
	if (out->level >= LOGLINE_LVL_ERROR || out->status >= 500 ||
	    (out->lambda_status[0] != '\0' &&
		strcmp(out->lambda_status, "success") != 0))
		out->is_error = 1;
	if (!out->is_error && logline_is_error(msg, len))
		out->is_error = 1;
	return (out->kind == LOGLINE_UNKNOWN ? -1 : 0);
}

/* Does s start with a level in brackets, like "[INFO]"? */
static int
starts_bracket_level(struct logline_span s)
{
	struct logline_span w;

	if (s.n < 3 || s.p[0] != '[')
		return (0);
	w = logline_token(logline_span_from(s, 1), "]");
	return (w.n + 1 < s.n && logline_level_word(w) != LOGLINE_LVL_NONE);
}

/*
 * Where the JSON part of a message starts; see logline.h. A message that
 * starts with "[LEVEL]" is a Python line, never a JSON array.
 */
const char *
logline_json_start(const char *msg, size_t len)
{
	struct logline_span s = {msg, len}, t, f[4];
	int split;

	split = logline_split_tabs(s, f, 4) == 0;
	if (starts_bracket_level(s)) {
		if (!split || f[0].n != logline_token(s, "]").n + 1 ||
		    !logline_looks_like_ts(f[1]) || f[2].n == 0)
			return (NULL);
		t = f[3]; /* Python: [LEVEL] \t TS \t ID \t MESSAGE */
	} else if (split && logline_looks_like_ts(f[0]) && f[1].n > 0 &&
		   logline_level_word(f[2]) != LOGLINE_LVL_NONE)
		t = f[3]; /* Node: TS \t ID \t LEVEL \t MESSAGE */
	else
		t = logline_trim(s);
	if (t.n > 0 && (t.p[0] == '{' || t.p[0] == '['))
		return (t.p);
	return (NULL);
}

/* A short stable name for a kind. */
const char *
logline_kind_name(enum logline_kind kind)
{
	if ((size_t)kind >= sizeof(kind_names) / sizeof(kind_names[0]) ||
	    kind_names[kind] == NULL)
		return ("unknown");
	return (kind_names[kind]);
}

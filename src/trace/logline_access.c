/* SPDX-License-Identifier: Apache-2.0 */
/*
 * API Gateway access log lines: JSON formats with user-chosen keys, and
 * text formats (CLF, CSV, XML) from which UUIDs and the CLF request are
 * taken. The key rule is described in logline.h.
 */

#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "trace/logline.h"
#include "trace/logline_int.h"

#define KEYPATH_MAX 256
#define MAX_DEPTH 4

/* Append key, lower-cased and without '_', '-' and '.', to path. */
static void
append_norm(char *path, const char *key)
{
	size_t j = strlen(path), i;

	for (i = 0; key[i] != '\0' && j + 1 < KEYPATH_MAX; i++) {
		if (strchr("_-.", key[i]) != NULL)
			continue;
		path[j++] = (key[i] >= 'A' && key[i] <= 'Z')
				? (char)(key[i] - 'A' + 'a')
				: key[i];
	}
	path[j] = '\0';
}

/* A number in [0, max] written as the whole of s, or -1. */
static long
num_value(struct logline_span s, long max)
{
	size_t used;
	long n;

	if (logline_uint(s, &used, max, &n) != 0 || used != s.n)
		return (-1);
	return (n);
}

/* Store a request id found under the normalised key path np. */
static void
take_id(const char *np, struct logline_span id, struct logline *out)
{
	char *dst;

	if (strstr(np, "authorizer") != NULL)
		dst = out->authorizer_request_id;
	else if (strstr(np, "integration") != NULL ||
		 strstr(np, "awsendpoint") != NULL)
		dst = out->lambda_id;
	else if (strstr(np, "extended") != NULL)
		dst = out->extended_id;
	else
		dst = out->apigw_id;
	if (dst[0] == '\0' && !(id.n == 1 && id.p[0] == '-'))
		logline_set_id(dst, id);
}

/* Fill the top-level fields (status, method, path, latency). */
static void
take_top(const char *nk, struct logline_span s, struct logline *out)
{
	long n;

	if (strcmp(nk, "status") == 0 && out->status < 0) {
		n = num_value(s, 999);
		if (n >= 0)
			out->status = (int)n;
	} else if ((strcmp(nk, "httpmethod") == 0 ||
		       strcmp(nk, "method") == 0) &&
		   out->method[0] == '\0' && s.n > 0 && s.n < LOGLINE_METHODLEN)
		logline_set_text(out->method, sizeof(out->method), s);
	else if ((strcmp(nk, "resourcepath") == 0 || strcmp(nk, "path") == 0 ||
		     strcmp(nk, "routekey") == 0) &&
		 out->path[0] == '\0' && s.n > 0)
		logline_set_text(out->path, sizeof(out->path), s);
	else if ((strcmp(nk, "responselatency") == 0 ||
		     strcmp(nk, "latency") == 0) &&
		 out->latency_ms < 0)
		out->latency_ms = num_value(s, 999999999L);
}

/*
 * One scalar value v (a string's bytes, or a number's text) under key
 * (normalised nk) at path np (normalised, keys joined), depth levels
 * down. Returns 1 when it was a request id.
 */
static int
take_value(const char *np, const char *nk, int depth, struct logline_span v,
    struct logline *out)
{
	int found = 0;

	if (v.n > 0 && strstr(nk, "requestid") != NULL) {
		take_id(np, v, out);
		found = 1;
	}
	if (depth == 0)
		take_top(nk, v, out);
	if (strcmp(np, "integrationlatency") == 0 &&
	    out->integration_latency_ms < 0)
		out->integration_latency_ms = num_value(v, 999999999L);
	if ((strcmp(np, "integrationerror") == 0 ||
		strcmp(np, "integrationerrormessage") == 0) &&
	    v.n > 0 && !(v.n == 1 && v.p[0] == '-'))
		out->is_error = 1;
	return (found);
}

/* Walk one object, with prefix the normalised path of keys leading to it. */
static int
walk(json_t *obj, const char *prefix, int depth, struct logline *out)
{
	char np[KEYPATH_MAX], nk[KEYPATH_MAX], num[32];
	const char *key;
	json_t *v;
	struct logline_span s;
	int found = 0;

	json_object_foreach(obj, key, v)
	{
		nk[0] = '\0';
		append_norm(nk, key);
		strcpy(np, prefix);
		append_norm(np, key);
		if (json_is_object(v)) {
			if (depth < MAX_DEPTH)
				found |= walk(v, np, depth + 1, out);
			continue;
		}
		if (json_is_string(v)) {
			s.p = json_string_value(v);
			s.n = json_string_length(v);
		} else if (json_is_integer(v) && json_integer_value(v) >= 0) {
			snprintf(num, sizeof num, "%lld",
			    (long long)json_integer_value(v));
			s.p = num;
			s.n = strlen(num);
		} else
			continue;
		found |= take_value(np, nk, depth, s, out);
	}
	return (found);
}

/*
 * "GET /items" as the path with GET as the method (an HTTP API's route
 * key next to its method): keep "/items". A route key with no method
 * gives both.
 */
static void
fix_route(struct logline *out)
{
	size_t m = strlen(out->method), i;
	char *sp;

	if (m > 0 && strncmp(out->path, out->method, m) == 0 &&
	    out->path[m] == ' ') {
		memmove(out->path, out->path + m + 1, strlen(out->path + m));
		return;
	}
	sp = strchr(out->path, ' ');
	if (m > 0 || sp == NULL || sp == out->path ||
	    (size_t)(sp - out->path) >= LOGLINE_METHODLEN || sp[1] != '/')
		return;
	for (i = 0; out->path + i < sp; i++) {
		if (out->path[i] < 'A' || out->path[i] > 'Z')
			return;
	}
	memcpy(out->method, out->path, (size_t)(sp - out->path));
	out->method[sp - out->path] = '\0';
	memmove(out->path, sp + 1, strlen(sp));
}

/* Read a JSON access log line; -1 when it has no request id key. */
int
logline_access_json(json_t *obj, struct logline *out)
{
	if (!walk(obj, "", 0, out))
		return (-1);
	fix_route(out);
	out->kind = LOGLINE_ACCESS_JSON;
	out->source = LOGLINE_SRC_ACCESS;
	return (0);
}

/* Skip white space at the start of *s. */
static void
skip_space(struct logline_span *s)
{
	while (s->n > 0 && (s->p[0] == ' ' || s->p[0] == '\t' ||
			       s->p[0] == '\r' || s->p[0] == '\n'))
		*s = logline_span_from(*s, 1);
}

/*
 * The end of a string value in s (after its opening quote): the first
 * '"' followed, after white space, by ',' or '}' or the end. So the value
 * of "error":""Endpoint request timed out"" is "Endpoint request timed
 * out" with its quotes. -1 when there is none.
 */
static long
scan_string_end(struct logline_span s)
{
	struct logline_span r;
	size_t i;

	for (i = 0; i < s.n; i++) {
		if (s.p[i] == '\\') {
			i++;
			continue;
		}
		if (s.p[i] != '"')
			continue;
		r = logline_span_from(s, i + 1);
		skip_space(&r);
		if (r.n == 0 || r.p[0] == ',' || r.p[0] == '}')
			return ((long)i);
	}
	return (-1);
}

/*
 * Read an access line that starts with '{' but is not JSON, key by key:
 * '"key": "value"', '"key": 123' and '"key": {' (nested up to MAX_DEPTH).
 * -1 when no request id was found.
 */
int
logline_access_scan(struct logline_span s, struct logline *out)
{
	char prefix[MAX_DEPTH + 2][KEYPATH_MAX], np[KEYPATH_MAX],
	    nk[KEYPATH_MAX], key[KEYPATH_MAX];
	struct logline_span k, v;
	long end;
	int depth = 0, found = 0;

	prefix[0][0] = '\0';
	s = logline_span_from(s, 1); /* the '{' */
	for (;;) {
		skip_space(&s);
		while (s.n > 0 && (s.p[0] == ',' || s.p[0] == '}')) {
			if (s.p[0] == '}' && --depth < 0)
				goto done;
			s = logline_span_from(s, 1);
			skip_space(&s);
		}
		if (s.n == 0 || s.p[0] != '"')
			break;
		k = logline_token(logline_span_from(s, 1), "\"");
		if (k.n + 1 >= s.n)
			break;
		s = logline_span_from(s, k.n + 2);
		skip_space(&s);
		if (s.n == 0 || s.p[0] != ':')
			break;
		s = logline_span_from(s, 1);
		skip_space(&s);
		logline_set_text(key, sizeof key, k);
		nk[0] = '\0';
		append_norm(nk, key);
		snprintf(np, sizeof np, "%s", prefix[depth]);
		append_norm(np, key);
		if (s.n > 0 && s.p[0] == '{') {
			if (depth == MAX_DEPTH)
				break;
			snprintf(prefix[++depth], KEYPATH_MAX, "%s", np);
			s = logline_span_from(s, 1);
			continue;
		}
		if (s.n > 0 && s.p[0] == '"') {
			s = logline_span_from(s, 1);
			end = scan_string_end(s);
			if (end < 0)
				break;
			v.p = s.p;
			v.n = (size_t)end;
			s = logline_span_from(s, (size_t)end + 1);
		} else {
			v = logline_trim(logline_token(s, ",}"));
			s = logline_span_from(s, logline_token(s, ",}").n);
		}
		found |= take_value(np, nk, depth, v, out);
	}
done:
	if (!found)
		return (-1);
	fix_route(out);
	out->kind = LOGLINE_ACCESS_JSON;
	out->source = LOGLINE_SRC_ACCESS;
	return (0);
}

/* Can c be part of an id-like token (so a UUID next to it is not one)? */
static int
is_token_char(char c)
{
	return ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		(c >= '0' && c <= '9') || c == '-' || c == '_');
}

/* Collect up to LOGLINE_MAXUUIDS distinct UUID tokens of s. */
static void
collect_uuids(struct logline_span s, struct logline *out)
{
	struct logline_span u;
	size_t i;
	int k;

	for (i = 0; i + 36 <= s.n && out->nuuids < LOGLINE_MAXUUIDS; i++) {
		if (i > 0 && is_token_char(s.p[i - 1]))
			continue;
		u.p = s.p + i;
		u.n = 36;
		if (!logline_is_uuid(u) ||
		    (i + 36 < s.n && is_token_char(s.p[i + 36])))
			continue;
		for (k = 0; k < out->nuuids; k++) {
			if (memcmp(out->uuids[k], u.p, 36) == 0)
				break;
		}
		if (k == out->nuuids) {
			memcpy(out->uuids[k], u.p, 36);
			out->uuids[k][36] = '\0';
			out->nuuids++;
		}
		i += 35;
	}
}

/* Take the next space-separated word of *s and step past it. */
static struct logline_span
next_word(struct logline_span *s)
{
	struct logline_span w;

	w = logline_token(*s, " ");
	*s = logline_span_from(*s, w.n);
	if (s->n > 0)
		*s = logline_span_from(*s, 1);
	return (w);
}

/*
 * Read a CLF request: '"METHOD PATH PROTO" STATUS LEN ID'. PATH may hold
 * spaces: HTTP APIs log the route key ("GET /items") there.
 */
static int
read_clf(struct logline_span s, struct logline *out)
{
	struct logline_span in, m, path, w;
	long q, status;
	size_t used, i;

	q = logline_find(s, "\"");
	if (q < 0)
		return (-1);
	s = logline_span_from(s, (size_t)q + 1);
	in = logline_token(s, "\"");
	if (in.n == s.n)
		return (-1);
	s = logline_span_from(s, in.n + 1);
	m = next_word(&in);
	while (in.n > 0 && in.p[in.n - 1] != ' ')
		in.n--; /* drop the protocol */
	path = logline_trim(in);
	if (m.n == 0 || m.n >= LOGLINE_METHODLEN || path.n == 0)
		return (-1);
	for (i = 0; i < m.n; i++) {
		if (m.p[i] < 'A' || m.p[i] > 'Z')
			return (-1);
	}
	if (!logline_starts(s, " "))
		return (-1);
	s = logline_span_from(s, 1);
	w = next_word(&s);
	if (logline_uint(w, &used, 999, &status) != 0 || used != w.n)
		return (-1);
	logline_set_text(out->method, sizeof(out->method), m);
	logline_set_text(out->path, sizeof(out->path), path);
	out->status = (int)status;
	fix_route(out);
	next_word(&s); /* the response length */
	w = logline_token(s, " \t\r\n");
	if (out->apigw_id[0] == '\0' && !(w.n == 1 && w.p[0] == '-'))
		logline_set_id(out->apigw_id, w);
	return (0);
}

/* Read a text access log line; -1 when nothing was found. */
int
logline_access_text(struct logline_span s, struct logline *out)
{
	int clf;

	collect_uuids(s, out);
	if (out->nuuids > 0)
		memcpy(out->apigw_id, out->uuids[0], LOGLINE_UUIDLEN);
	clf = read_clf(s, out);
	if (out->nuuids == 0 && clf != 0)
		return (-1);
	out->kind = LOGLINE_ACCESS_TEXT;
	out->source = LOGLINE_SRC_ACCESS;
	return (0);
}

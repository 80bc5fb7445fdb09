/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Internals shared by the logline readers (logline.c, logline_exec.c,
 * logline_lambda.c, logline_access.c). Not for other modules.
 */
#ifndef APILOGS_LOGLINE_INT_H
#define APILOGS_LOGLINE_INT_H

#include <stddef.h>

#include <jansson.h>

#include "trace/logline.h"

/* n bytes at p; never NUL-terminated as far as the readers know. */
struct logline_span {
	const char *p;
	size_t n;
};

/* Span helpers (logline.c). */
struct logline_span logline_span_from(struct logline_span, size_t off);
int logline_starts(struct logline_span, const char *lit);
long logline_find(struct logline_span, const char *lit);
long logline_find_ci(struct logline_span, const char *lit);
struct logline_span logline_token(struct logline_span, const char *stops);
struct logline_span logline_trim(struct logline_span);
int logline_is_uuid(struct logline_span);
int logline_looks_like_ts(struct logline_span);
int logline_uint(struct logline_span, size_t *used, long max, long *v);
int logline_decimal(struct logline_span, size_t *used, double *v);
enum logline_level logline_level_word(struct logline_span);
int logline_key_has_requestid(const char *key);
int logline_split_tabs(struct logline_span, struct logline_span *f, int n);

/* Is c an ASCII letter or digit? */
static inline int
is_alnum(char c)
{
	return ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		(c >= '0' && c <= '9'));
}

/* Is c white space as JSON and log lines use it? */
static inline int
is_space(char c)
{
	return (c == ' ' || c == '\t' || c == '\r' || c == '\n');
}

/* Copy helpers: ids are refused when invalid, text is cut to fit. */
int logline_set_id(char *dst, struct logline_span);
void logline_set_text(char *dst, size_t size, struct logline_span);

/* The readers; each returns 0 when it recognised the line, else -1. */
int logline_exec_parse(struct logline_span msg, struct logline *out);
int logline_lambda_text(struct logline_span msg, struct logline *out);
int logline_lambda_json(json_t *obj, int force, struct logline *out);
int logline_access_json(json_t *obj, struct logline *out);
int logline_access_text(struct logline_span msg, struct logline *out);
int logline_access_scan(struct logline_span msg, struct logline *out);

#endif

/* SPDX-License-Identifier: Apache-2.0 */
/*
 * --query: a JMESPath expression applied to the JSON part of a message
 * (an object or array after leading white space, or the JSON field of a
 * Lambda Node/Python text line). Other messages pass through unchanged, an
 * evaluation error passes the message through too (with a notice), and a
 * null result skips the line unless keep_null.
 */
#ifndef APILOGS_QUERY_H
#define APILOGS_QUERY_H

#include <stddef.h>

struct query;

/* Compile expr. NULL with *cause ("--query: ... at position N") on a bad
 * expression. Caller frees with query_free(). */
struct query *query_new(const char *expr, int keep_null, char **cause);
void query_free(struct query *);
/* Called with a one-line message when a message could not be queried. */
void query_set_notice(struct query *, void (*)(void *, const char *), void *);
/*
 * Apply to one message: 1 with *out (caller frees) to replace it, 0 to keep
 * it, -1 to skip the line. Matches the render transform hook.
 */
int query_apply(
    void *q, const char *msg, size_t len, char **out, size_t *outlen);

#endif

/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Inside the apiuri module (apiuri.c, apiuri_dest.c, apiuri_span.c): spans
 * of a string and the checks of ARN fields both kinds of URI use.
 */
#ifndef APILOGS_APIURI_INT_H
#define APILOGS_APIURI_INT_H

#include <stddef.h>

#define APIURI_REF_PREFIX "${stageVariables."
#define APIURI_MAX_FIELDS 8

/* A slice of a string: n bytes at p, not NUL-terminated. */
struct apiuri_span {
	const char *p;
	size_t n;
};

struct apiuri_span apiuri_span_of(const char *s);
int apiuri_span_eq(struct apiuri_span s, const char *lit);
int apiuri_span_starts(struct apiuri_span s, const char *lit);
int apiuri_span_ends(struct apiuri_span s, const char *lit);
struct apiuri_span apiuri_span_from(struct apiuri_span s, size_t off);
long apiuri_span_find(struct apiuri_span s, const char *lit);
/* A new string (the caller frees it), or NULL for a NULL span. */
char *apiuri_span_dup(struct apiuri_span s);
int apiuri_split_colons(
    struct apiuri_span s, struct apiuri_span *f, size_t max, size_t *nf);
int apiuri_is_alnum(char c);
long apiuri_ref_len(struct apiuri_span s);
int apiuri_valid_partition(struct apiuri_span s);
int apiuri_valid_region(struct apiuri_span s);
int apiuri_valid_account(struct apiuri_span s);

#endif

/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The FilterLogEvents filter patterns that Logs Insights can read exactly,
 * parsed once: matched locally (the reader checks every Insights row
 * again, since moto ignores `filter`) and written as an Insights `filter`
 * command. See README.md (--engine) for the rules and why other forms
 * (JSON, space-delimited, %regex%) stay on FilterLogEvents.
 */
#ifndef APILOGS_FPATTERN_H
#define APILOGS_FPATTERN_H

#include <stddef.h>

#include "core/buf.h"

#define FPATTERN_MAX_TERMS 32

enum fpattern_op {
	FPATTERN_ALL, /* empty pattern: every event */
	FPATTERN_AND, /* every plain term, none of the -terms */
	FPATTERN_OR   /* ?a ?b: any of the terms */
};

struct fpattern_term {
	char *text; /* a case-sensitive substring, no '"' '\\' or control */
	size_t len;
	int negate; /* -term (FPATTERN_AND only) */
};

struct fpattern {
	enum fpattern_op op;
	struct fpattern_term *t;
	size_t n;
};

/*
 * Parse a filter pattern (NULL: empty) into *out. Returns 0, or -1 with
 * *why (caller frees; one line saying what has no exact Insights form)
 * and *out empty. Free *out with fpattern_free.
 */
int fpattern_parse(const char *s, struct fpattern *out, char **why);
/* Does a message match? (the semantics FilterLogEvents documents) */
int fpattern_match(const struct fpattern *, const char *msg, size_t len);
/* Append the Insights command (" | filter ...") to b; nothing for ALL. */
void fpattern_insights(const struct fpattern *, struct buf *b);
/* Free what a pattern holds. Accepts NULL. */
void fpattern_free(struct fpattern *);

#endif

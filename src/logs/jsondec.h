/* SPDX-License-Identifier: Apache-2.0 */
/*
 * An in-place JSON scanner for the page decoders of the logs layer: a
 * cursor over a body, read one value at a time. Strings that are kept are
 * unescaped into the arena (which may be the body itself: no escape is
 * shorter than what it decodes to) and NUL-terminated; nothing is
 * allocated. A body that must not be written (a chunk of a streamed
 * answer) is read with the span functions instead: strings as raw spans,
 * unescaped by the caller where it keeps them. Every function sets d->err
 * (a static string) when it fails.
 */
#ifndef APILOGS_JSONDEC_H
#define APILOGS_JSONDEC_H

#include <stddef.h>
#include <stdint.h>

struct jsondec {
	const char *p;   /* the cursor */
	const char *end; /* the end of the body */
	char *arena;     /* unescaped strings, NUL-terminated */
	size_t alen;
	const char *err; /* why the last call failed */
};

/* Skip white space (inline: the decoders call it between every token). */
static inline void
jsondec_ws(struct jsondec *d)
{
	while (d->p < d->end && (*d->p == ' ' || *d->p == '\n' ||
				    *d->p == '\r' || *d->p == '\t'))
		d->p++;
}

/*
 * Read the string at d->p (its opening quote). With keep, unescape it into
 * the arena and return it (borrowed from the arena; length in *len); else
 * skip it and return a non-NULL dummy. NULL on error.
 */
const char *jsondec_string(struct jsondec *d, int keep, size_t *len);

/* Read any JSON number at d->p; an integer goes to *out (fractions are
 * truncated; out may be NULL). 0, or -1 on error. */
int jsondec_number(struct jsondec *d, int64_t *out);

/* Skip any value (depth: how deep it stands, for the nesting limit). */
int jsondec_skip(struct jsondec *d, int depth);

/* Is the next value null? 1 (consumed), 0 (not null), -1 on error. */
int jsondec_null(struct jsondec *d);

/* Expect ',' or the close of a container: 0 after a ',', 1 at the end. */
int jsondec_next(struct jsondec *d, char close);

/* Expect ':' (blanks around it are skipped). 0, or -1. */
int jsondec_colon(struct jsondec *d);

/* Read a key and its ':'; *key is a span of the body (or of the arena,
 * when it had escapes), not NUL-terminated, *klen long. */
int jsondec_key(struct jsondec *d, const char **key, size_t *klen);

/* jsondec_span.c */
/*
 * Read the string at d->p without keeping it (nothing is written: the
 * body may be read-only): its raw bytes, escapes not undone, in *s and
 * *len (a span of the body). 0, or -1.
 */
int jsondec_span(struct jsondec *d, const char **s, size_t *len);

/* Read a key and its ':' with jsondec_span (read-only: the key is a raw
 * span, escapes not undone). 0, or -1. */
int jsondec_span_key(struct jsondec *d, const char **key, size_t *klen);

/* Undo the escapes of a span read by jsondec_span into out (at least len
 * + 1 bytes: nothing grows), NUL-terminated; its length. */
size_t jsondec_unescape_span(const char *s, size_t len, char *out);

/* Does a span read by jsondec_span say lit (escapes undone)? */
int jsondec_span_is(const char *s, size_t len, const char *lit);

#endif

/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Pretty-printing of JSON text for --expand: one value re-indented, every
 * token's bytes kept as written (numbers are never re-formatted, strings
 * keep their escapes), with the spans of object keys for colouring.
 */
#ifndef APILOGS_JSONFMT_H
#define APILOGS_JSONFMT_H

#include <stddef.h>

struct buf;

#define JSONFMT_MAXDEPTH 128 /* deeper text is left as it is */

/* Where an object key (with its quotes) is in the output. */
struct jsonfmt_span {
	size_t off;
	size_t len;
};

/*
 * Append s (len bytes: one JSON value, white space around it allowed) to
 * out, indent spaces per level: "{}" and "[]" when empty, otherwise one
 * member per line and ": " after keys, as Python's json.dumps(indent=N).
 * When keys is not NULL, *keys (caller frees with free()) and *nkeys get
 * the spans of the keys, offsets from the start of out->data.
 * Returns 0; or -1, with out and *keys as they were, when s is not valid
 * JSON or nests deeper than JSONFMT_MAXDEPTH.
 */
int jsonfmt_pretty(const char *s, size_t len, int indent, struct buf *out,
    struct jsonfmt_span **keys, size_t *nkeys);

#endif

/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The JSON writer: every JSON text apilogs builds by hand (event lines,
 * trace documents, JMESPath's to_string) goes through here, so strings
 * are escaped one way and the commas and colons come out right.
 *
 * Compact output (no spaces). Strings are escaped as Python's json.dumps
 * and jansson do: \" \\ \n \r \t \b \f, other control characters as
 * \u00XX, UTF-8 kept; invalid UTF-8 bytes become U+FFFD. Flags give
 * Python's defaults instead (botocore's cache keys): JSONW_ASCII writes
 * everything outside printable ASCII as \uXXXX (ensure_ascii=True),
 * JSONW_SPACED separates with ", " and ": ".
 *
 *	jsonw_init(&w, &b);
 *	jsonw_object(&w);
 *	jsonw_key(&w, "status");
 *	jsonw_int(&w, 200);
 *	jsonw_end(&w);
 */
#ifndef APILOGS_JSONW_H
#define APILOGS_JSONW_H

#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"

#define JSONW_MAX_DEPTH 64 /* deeper nesting aborts: a programming error */

#define JSONW_ASCII 0x1  /* \uXXXX (surrogate pairs) past printable ASCII */
#define JSONW_SPACED 0x2 /* ", " and ": " between items, keys and values */

struct jsonw {
	struct buf *b;    /* borrowed: the text is appended here */
	uint64_t items;   /* bit d: the container at depth d has an item */
	uint64_t objects; /* bit d: it is an object (else an array) */
	int depth;        /* open containers */
	int after_key;    /* a key was written: its value comes next */
	int flags;        /* JSONW_ASCII, JSONW_SPACED */
};

/* Write to b (appending). Nothing to free. */
void jsonw_init(struct jsonw *, struct buf *b);
/* The same, with JSONW_* flags. */
void jsonw_init_flags(struct jsonw *, struct buf *b, int flags);
/* Open an object or an array; jsonw_end() closes the innermost. */
void jsonw_object(struct jsonw *);
void jsonw_array(struct jsonw *);
void jsonw_end(struct jsonw *);
/* A member's key (inside an object); its value follows. */
void jsonw_key(struct jsonw *, const char *key);
/* Values. */
void jsonw_string(struct jsonw *, const char *s, size_t len);
void jsonw_stringz(struct jsonw *, const char *s); /* NULL: null */
void jsonw_int(struct jsonw *, long long);
/* v as an integer when it is whole, else with this many decimals. */
void jsonw_real(struct jsonw *, double v, int decimals);
void jsonw_bool(struct jsonw *, int);
void jsonw_null(struct jsonw *);

/* Append s as one JSON string (quotes included) to b. */
void jsonw_put_string(struct buf *b, const char *s, size_t len);
/* The same, with JSONW_ASCII or not. */
void jsonw_put_string_flags(
    struct buf *b, const char *s, size_t len, int flags);

#endif

/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The read-only side of the JSON cursor (jsondec.c): strings read as raw
 * spans of a body that is never written (a chunk of a streamed answer,
 * insights_rowread.c), undone only when and where they are kept.
 */

#include <stdint.h>
#include <string.h>

#include "logs/jsondec.h"

/* Read a string without keeping it: its raw span; see jsondec.h. */
int
jsondec_span(struct jsondec *d, const char **s, size_t *len)
{
	const char *start;

	jsondec_ws(d);
	if (d->p >= d->end || *d->p != '"') {
		d->err = d->p >= d->end ? "truncated" : "expected a string";
		return (-1);
	}
	start = d->p + 1;
	if (jsondec_string(d, 0, NULL) == NULL)
		return (-1);
	*s = start;
	*len = (size_t)(d->p - 1 - start);
	return (0);
}

/* Read a key and its ':' without keeping it; see jsondec.h. */
int
jsondec_span_key(struct jsondec *d, const char **key, size_t *klen)
{
	if (jsondec_span(d, key, klen) != 0)
		return (-1);
	return (jsondec_colon(d));
}

/* Does a raw span say lit? See jsondec.h. */
int
jsondec_span_is(const char *s, size_t len, const char *lit)
{
	char tmp[64];
	size_t n = strlen(lit);

	if (len == 0)
		return (n == 0);
	if (memchr(s, '\\', len) == NULL)
		return (len == n && memcmp(s, lit, n) == 0);
	if (len >= sizeof tmp)
		return (0);
	return (jsondec_unescape_span(s, len, tmp) == n &&
		memcmp(tmp, lit, n) == 0);
}

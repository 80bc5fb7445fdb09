/* SPDX-License-Identifier: Apache-2.0 */
/* Bounded growable buffer. */

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/xmalloc.h"

/* Prepare an empty buffer that refuses to grow past max bytes. */
void
buf_init(struct buf *b, size_t max)
{
	b->data = NULL;
	b->len = 0;
	b->size = 0;
	b->max = max;
}

/* Release the memory of a buffer; it can be reused after buf_init. */
void
buf_free(struct buf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = b->size = 0;
}

/* Empty the buffer but keep its memory. */
void
buf_reset(struct buf *b)
{
	b->len = 0;
	if (b->data != NULL)
		b->data[0] = '\0';
}

static void
buf_grow(struct buf *b, size_t need)
{
	size_t size;

	if (need < b->size)
		return;
	size = b->size == 0 ? 64 : b->size;
	while (size <= need)
		size *= 2;
	b->data = xrealloc(b->data, size);
	b->size = size;
}

/* Make room for n more bytes (plus the NUL) in one allocation. */
void
buf_reserve(struct buf *b, size_t n)
{
	if (b->len + n + 1 <= b->size)
		return;
	b->data = xrealloc(b->data, b->len + n + 1);
	b->size = b->len + n + 1;
}

/* Append n bytes; -1 if that would pass the cap. */
int
buf_add(struct buf *b, const void *p, size_t n)
{
	if (b->max != 0 && (n > b->max || b->len > b->max - n))
		return (-1);
	buf_put(b, p, n);
	return (0);
}

/* Append one byte; -1 past the cap. */
int
buf_addc(struct buf *b, char c)
{
	return (buf_add(b, &c, 1));
}

/* Append a string; -1 past the cap. */
int
buf_adds(struct buf *b, const char *s)
{
	return (buf_add(b, s, strlen(s)));
}

/* Append formatted text; -1 past the cap. */
int
buf_vprintf(struct buf *b, const char *fmt, va_list ap)
{
	va_list ap2;
	int n;

	va_copy(ap2, ap);
	n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (n < 0)
		return (-1);
	if (b->max != 0 && ((size_t)n > b->max || b->len > b->max - (size_t)n))
		return (-1);
	buf_grow(b, b->len + (size_t)n);
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
	return (0);
}

/* Append formatted text; -1 past the cap. */
int
buf_printf(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = buf_vprintf(b, fmt, ap);
	va_end(ap);
	return (rc);
}

/* Append n bytes, ignoring the cap. */
void
buf_put(struct buf *b, const void *p, size_t n)
{
	const char *s = p;
	char *d;
	size_t i;

	if (b->len + n >= b->size)
		buf_grow(b, b->len + n);
	d = b->data + b->len;
	/* Short pieces (cells, escapes, a newline) inline, not via libc. */
	if (n <= 8) {
		for (i = 0; i < n; i++)
			d[i] = s[i];
	} else
		memcpy(d, s, n);
	b->len += n;
	b->data[b->len] = '\0';
}

/* Append a string, ignoring the cap. */
void
buf_puts(struct buf *b, const char *s)
{
	buf_put(b, s, strlen(s));
}

/* Append a byte, ignoring the cap. */
void
buf_putc(struct buf *b, char c)
{
	buf_put(b, &c, 1);
}

/* Append formatted text, ignoring the cap. */
void
buf_putf(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	size_t max;
	int rc;

	max = b->max;
	b->max = 0;
	va_start(ap, fmt);
	rc = buf_vprintf(b, fmt, ap);
	va_end(ap);
	b->max = max;
	(void)rc;
}

/* Hand the bytes to the caller, who frees them with free(). */
char *
buf_take(struct buf *b, size_t *len)
{
	char *p;

	if (b->data == NULL)
		buf_grow(b, 0), b->data[0] = '\0';
	p = b->data;
	if (len != NULL)
		*len = b->len;
	b->data = NULL;
	b->len = b->size = 0;
	return (p);
}

/* The contents as a string, "" when empty. Borrowed. */
const char *
buf_str(const struct buf *b)
{
	return (b->data == NULL ? "" : b->data);
}

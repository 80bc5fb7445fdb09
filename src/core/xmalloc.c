/* SPDX-License-Identifier: Apache-2.0 */
/* Allocation wrappers that abort on out-of-memory. */

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/xmalloc.h"

static void __attribute__((noreturn)) xmalloc_fatal(size_t size)
{
	char msg[96];
	int n;

	n = snprintf(msg, sizeof msg,
	    "apilogs: out of memory allocating %zu bytes\n", size);
	if (n > 0 && write(STDERR_FILENO, msg, (size_t)n) < 0)
		_exit(1);
	_exit(1);
}

/* Allocate size bytes (at least one). */
void *
xmalloc(size_t size)
{
	void *p;

	p = malloc(size == 0 ? 1 : size);
	if (p == NULL)
		xmalloc_fatal(size);
	return (p);
}

/* Allocate a zeroed array, checking for overflow. */
void *
xcalloc(size_t n, size_t size)
{
	void *p;

	if (n == 0 || size == 0)
		n = size = 1;
	p = calloc(n, size);
	if (p == NULL)
		xmalloc_fatal(n * size);
	return (p);
}

/* Resize p to size bytes. */
void *
xrealloc(void *p, size_t size)
{
	void *q;

	q = realloc(p, size == 0 ? 1 : size);
	if (q == NULL)
		xmalloc_fatal(size);
	return (q);
}

/* Resize p to n * size bytes, checking for overflow. */
void *
xreallocarray(void *p, size_t n, size_t size)
{
	if (size != 0 && n > SIZE_MAX / size)
		xmalloc_fatal(SIZE_MAX);
	return (xrealloc(p, n * size));
}

/* Duplicate a string. Caller frees with free(). */
char *
xstrdup(const char *s)
{
	return (xmemdup(s, strlen(s) + 1));
}

/* Duplicate at most n bytes of s, NUL-terminated. Caller frees. */
char *
xstrndup(const char *s, size_t n)
{
	char *p;
	size_t len;

	len = strnlen(s, n);
	p = xmalloc(len + 1);
	memcpy(p, s, len);
	p[len] = '\0';
	return (p);
}

/* Duplicate n bytes. Caller frees with free(). */
void *
xmemdup(const void *s, size_t n)
{
	void *p;

	p = xmalloc(n);
	if (n != 0)
		memcpy(p, s, n);
	return (p);
}

/* vasprintf that aborts on failure. */
int
xvasprintf(char **ret, const char *fmt, va_list ap)
{
	int n;

	n = vasprintf(ret, fmt, ap);
	if (n < 0)
		xmalloc_fatal(strlen(fmt));
	return (n);
}

/* asprintf that aborts on failure. */
int
xasprintf(char **ret, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = xvasprintf(ret, fmt, ap);
	va_end(ap);
	return (n);
}

/* Format into a new string. Caller frees with free(). */
char *
xprintf(const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	xvasprintf(&s, fmt, ap);
	va_end(ap);
	return (s);
}

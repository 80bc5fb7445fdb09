/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Allocation wrappers that never return NULL: on failure they print one
 * line and exit(1), so call sites stay linear (STYLE.md habit 4).
 */
#ifndef APILOGS_XMALLOC_H
#define APILOGS_XMALLOC_H

#include <stdarg.h>
#include <stddef.h>

void *xmalloc(size_t);
void *xcalloc(size_t, size_t);
void *xrealloc(void *, size_t);
void *xreallocarray(void *, size_t, size_t);
char *xstrdup(const char *);
char *xstrndup(const char *, size_t);
void *xmemdup(const void *, size_t);
int xasprintf(char **, const char *, ...) __attribute__((format(printf, 2, 3)));
int xvasprintf(char **, const char *, va_list)
    __attribute__((format(printf, 2, 0)));
/* Format into a new string. Caller frees with free(). */
char *xprintf(const char *, ...) __attribute__((format(printf, 1, 2)));

/* Free *pp and set it to NULL. */
#define xfree(pp)                                                              \
	do {                                                                   \
		free(*(pp));                                                   \
		*(pp) = NULL;                                                  \
	} while (0)

#endif

/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A growable byte buffer with a hard size cap (curl's dynbuf). Everything
 * sized by the network goes through one of these (STYLE.md habit 6).
 */
#ifndef APILOGS_BUF_H
#define APILOGS_BUF_H

#include <stdarg.h>
#include <stddef.h>

struct buf {
	char *data;  /* always NUL-terminated when non-NULL */
	size_t len;  /* bytes used, excluding the NUL */
	size_t size; /* bytes allocated */
	size_t max;  /* adding past this fails; 0 = no cap */
};

#define BUF_NOCAP 0

void buf_init(struct buf *, size_t max);
void buf_free(struct buf *);
void buf_reset(struct buf *);
int buf_add(struct buf *, const void *, size_t)
    __attribute__((warn_unused_result));
int buf_addc(struct buf *, char) __attribute__((warn_unused_result));
int buf_adds(struct buf *, const char *) __attribute__((warn_unused_result));
int buf_printf(struct buf *, const char *, ...)
    __attribute__((warn_unused_result, format(printf, 2, 3)));
int buf_vprintf(struct buf *, const char *, va_list)
    __attribute__((warn_unused_result, format(printf, 2, 0)));
/* Add without a cap check; for buffers built from trusted data. */
void buf_put(struct buf *, const void *, size_t);
void buf_puts(struct buf *, const char *);
void buf_putc(struct buf *, char);
void buf_putf(struct buf *, const char *, ...)
    __attribute__((format(printf, 2, 3)));
/* Make room for n more bytes without a cap check (a size hint). */
void buf_reserve(struct buf *, size_t);
/* Hand the bytes to the caller, who frees them with free(). */
char *buf_take(struct buf *, size_t *len);
/* The contents as a string; "" when empty. Borrowed. */
const char *buf_str(const struct buf *);

#endif

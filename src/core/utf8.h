/* SPDX-License-Identifier: Apache-2.0 */
/*
 * UTF-8: the one decoder, validator, width and encoder. Valid means what
 * RFC 3629 says: no overlong forms, no surrogates, nothing past U+10FFFF.
 */
#ifndef APILOGS_UTF8_H
#define APILOGS_UTF8_H

#include <stddef.h>
#include <stdint.h>

#define UTF8_REPLACEMENT "\xef\xbf\xbd" /* U+FFFD */

/* Decode the sequence at s (len > 0 bytes): its length with *cp set, or 0
 * when it is not valid UTF-8 (or cut short by len). */
size_t utf8_decode(const char *s, size_t len, uint32_t *cp);
/* The offset of the first byte of s that is not valid UTF-8, or len. */
size_t utf8_valid(const char *s, size_t len);
/* Characters in s: code points, each invalid byte counting as one. */
size_t utf8_width(const char *s, size_t len);
/* Write cp (at most U+10FFFF) to out (room for 4 bytes); returns the
 * number of bytes written. */
size_t utf8_encode(uint32_t cp, char *out);

#endif

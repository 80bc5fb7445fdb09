/* SPDX-License-Identifier: Apache-2.0 */
/*
 * UTF-8: the one decoder, validator, width, encoder and terminal escaper.
 * Valid means what RFC 3629 says: no overlong forms, no surrogates,
 * nothing past U+10FFFF.
 */
#ifndef APILOGS_UTF8_H
#define APILOGS_UTF8_H

#include <stddef.h>
#include <stdint.h>

#define UTF8_REPLACEMENT "\xef\xbf\xbd" /* U+FFFD */

struct buf;

/* Decode the sequence at s (len > 0 bytes): its length with *cp set, or 0
 * when it is not valid UTF-8 (or cut short by len). */
size_t utf8_decode(const char *s, size_t len, uint32_t *cp);
/* The offset of the first byte of s that is not valid UTF-8, or len. */
size_t utf8_valid(const char *s, size_t len);
/* Characters in s: code points, each invalid byte counting as one. */
size_t utf8_width(const char *s, size_t len);
/* The bytes of the first n characters of s (counted as utf8_width()
 * does): never ends inside a valid sequence. len when s is shorter. */
size_t utf8_prefix(const char *s, size_t len, size_t n);
/* Write cp (at most U+10FFFF) to out (room for 4 bytes); returns the
 * number of bytes written. */
size_t utf8_encode(uint32_t cp, char *out);

#define UTF8_ESC_KEEP_LF 0x1 /* keep LF (multi-line text such as messages) */

/*
 * Append s to b as text that a terminal only shows, never acts on: C0
 * controls but TAB (and LF with UTF8_ESC_KEEP_LF) and DEL become \xNN,
 * the C1 controls U+0080-U+009F \u00NN, each byte of invalid UTF-8
 * \xNN. Every string from AWS or the user printed as text goes through
 * here: messages, names, summaries and the lines on stderr.
 */
void utf8_escape(struct buf *b, const char *s, size_t len, int flags);
/* The width (utf8_width()) of what utf8_escape() writes for s. */
size_t utf8_escape_width(const char *s, size_t len, int flags);

#endif

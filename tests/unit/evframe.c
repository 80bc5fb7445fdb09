/* SPDX-License-Identifier: Apache-2.0 */
/* Test helper: AWS event-stream messages, built the way AWS frames them. */

#include <stdint.h>
#include <string.h>

#include <zlib.h>

#include "evframe.h"

static void
put32(struct buf *b, uint32_t v)
{
	unsigned char p[4] = {v >> 24, v >> 16, v >> 8, v};

	buf_put(b, p, 4);
}

/* One event-stream message with string headers (name, value pairs). */
/* See evframe.h. */
void
evframe(struct buf *out, const char *const *hdrs, const char *payload)
{
	struct buf h, m;
	size_t i, n, pl = strlen(payload);

	buf_init(&h, 0);
	buf_init(&m, 0);
	for (i = 0; hdrs[i] != NULL; i += 2) {
		n = strlen(hdrs[i]);
		buf_putc(&h, (char)n);
		buf_put(&h, hdrs[i], n);
		buf_putc(&h, 7);
		n = strlen(hdrs[i + 1]);
		buf_putc(&h, (char)(n >> 8));
		buf_putc(&h, (char)n);
		buf_put(&h, hdrs[i + 1], n);
	}
	put32(&m, (uint32_t)(12 + h.len + pl + 4));
	put32(&m, (uint32_t)h.len);
	put32(&m, (uint32_t)crc32(0, (const unsigned char *)m.data, 8));
	buf_put(&m, h.data, h.len);
	buf_put(&m, payload, pl);
	put32(&m, (uint32_t)crc32(0, (const unsigned char *)m.data, m.len));
	buf_put(out, m.data, m.len);
	buf_free(&h);
	buf_free(&m);
}

/* See evframe.h. */
void
evframe_event(struct buf *out, const char *type, const char *payload)
{
	const char *h[] = {":message-type", "event", ":event-type", type,
	    ":content-type", "application/json", NULL};

	evframe(out, h, payload);
}

/* See evframe.h. */
void
evframe_exception(struct buf *out, const char *type, const char *payload)
{
	const char *h[] = {
	    ":message-type", "exception", ":exception-type", type, NULL};

	evframe(out, h, payload);
}

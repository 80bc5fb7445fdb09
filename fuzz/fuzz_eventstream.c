/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fuzz the event-stream decoder (aws/eventstream.h). The first byte
 * chooses the chunking, the message size limit and whether the CRCs of
 * the messages in the rest are recomputed first (so that the fuzzer gets
 * past the CRC checks into the headers). The stream is decoded twice,
 * whole and in chunks: both must give the same messages and the same
 * outcome, every message must be consistent with its lengths, and the
 * decoder may never take bytes it was not given.
 */

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

#include "aws/eventstream.h"
#include "core/buf.h"
#include "core/xmalloc.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static uint32_t
get32(const unsigned char *p)
{
	return ((uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
		(uint32_t)p[2] << 8 | (uint32_t)p[3]);
}

static void
set32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)(v >> 24);
	p[1] = (unsigned char)(v >> 16);
	p[2] = (unsigned char)(v >> 8);
	p[3] = (unsigned char)v;
}

/* Recompute the CRCs of every whole message at the start of p. */
static void
fix_crcs(unsigned char *p, size_t len)
{
	uint32_t total;

	while (len >= 16) {
		total = get32(p);
		if (total < 16 || total > len)
			return;
		set32(p + 8, (uint32_t)crc32(0, p, 8));
		set32(p + total - 4, (uint32_t)crc32(0, p, total - 4));
		p += total;
		len -= total;
	}
}

/* Check one message and append what it says to out. */
static void
record(struct buf *out, const struct evstream_message *m, size_t max)
{
	struct evstream_meta meta;
	char *cause = NULL;
	size_t i, sum = 0;

	if (m->total_len < 16 || m->total_len > max ||
	    m->headers_len > m->total_len - 16 ||
	    m->payload_len != m->total_len - 16 - m->headers_len)
		__builtin_trap();
	buf_putf(
	    out, "msg %u %u %zu\n", m->total_len, m->headers_len, m->nheaders);
	for (i = 0; i < m->nheaders; i++) {
		const struct evstream_header *h = &m->headers[i];

		if (h->name[h->name_len] != '\0' || h->type > EVSTREAM_UUID)
			__builtin_trap();
		sum += 2 + h->name_len + h->len;
		buf_put(out, h->name, h->name_len);
		buf_putf(out, " %d %lld %zu ", (int)h->type, (long long)h->num,
		    h->len);
		if (h->data != NULL)
			buf_put(out, h->data, h->len);
		buf_putc(out, '\n');
	}
	if (sum > m->headers_len)
		__builtin_trap();
	buf_put(out, m->payload, m->payload_len);
	if (evstream_meta(m, &meta, &cause) == 0) {
		if (meta.message_type == NULL)
			__builtin_trap();
		buf_putf(out, "\nmeta %s\n", meta.message_type);
	} else {
		if (cause == NULL)
			__builtin_trap();
		buf_putf(out, "\nmeta: %s\n", cause);
		free(cause);
	}
}

/* Decode data in chunks of chunk bytes (0: whole); describe it in out. */
static void
decode(const unsigned char *data, size_t len, size_t chunk, size_t max,
    struct buf *out)
{
	struct evstream es;
	const struct evstream_message *m;
	size_t off = 0, n, used;
	char *cause = NULL;
	int rc = 0;

	evstream_init(&es, max);
	while (off < len) {
		n = chunk == 0 || chunk > len - off ? len - off : chunk;
		/* A copy of exactly n bytes: ASan sees any read past it. */
		unsigned char *piece = xmemdup(data + off, n);
		size_t at = 0;

		while (at < n) {
			rc = evstream_feed(
			    &es, piece + at, n - at, &used, &m, &cause);
			if (used > n - at)
				__builtin_trap();
			at += used;
			if (rc < 0) {
				if (cause == NULL || m != NULL)
					__builtin_trap();
				break;
			}
			if (rc == 0) {
				if (at != n)
					__builtin_trap();
				break;
			}
			record(out, m, es.max);
		}
		free(piece);
		if (rc < 0)
			break;
		off += n;
	}
	if (rc < 0) {
		buf_putf(out, "error %s\n", cause);
		free(cause);
	} else
		buf_putf(out, "end %d\n", evstream_pending(&es));
	evstream_free(&es);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct buf whole, split;
	unsigned char *p;
	size_t len, max;
	unsigned ctl;

	if (size < 1)
		return (0);
	ctl = data[0];
	len = size - 1;
	p = xmemdup(data + 1, len);
	if (ctl & 1)
		fix_crcs(p, len);
	max = (ctl & 2) ? 64 : 0;
	buf_init(&whole, BUF_NOCAP);
	buf_init(&split, BUF_NOCAP);
	decode(p, len, 0, max, &whole);
	decode(p, len, 1 + (ctl >> 2), max, &split);
	if (whole.len != split.len ||
	    memcmp(whole.data, split.data, whole.len) != 0)
		__builtin_trap();
	buf_free(&whole);
	buf_free(&split);
	free(p);
	return (0);
}

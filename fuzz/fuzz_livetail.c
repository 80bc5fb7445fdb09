/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fuzz the Live Tail decoding (logs/livetail.h). The first byte chooses
 * the target: a sessionUpdate payload alone (livetail_decode_update), or
 * an event stream whose messages go through livetail_decode (the CRCs of
 * whole messages are recomputed so that the fuzzer reaches the payloads).
 * Every decoded event must name one of the requested groups and carry its
 * strings whole.
 */

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

#include "aws/eventstream.h"
#include "core/xmalloc.h"
#include "logs/livetail.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static const char *const arns[] = {
    "arn:aws:logs:us-east-1:123456789012:log-group:/a",
    "arn:aws:logs:us-east-1:123456789012:log-group:/b:*",
    "/c",
};

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

static void
check_page(const struct page *p)
{
	size_t i;

	for (i = 0; p != NULL && i < p->n; i++) {
		if (p->ev[i].src >= 3 || p->ev[i].msg == NULL ||
		    p->ev[i].stream == NULL || p->ev[i].id_len != 0 ||
		    strlen(p->ev[i].msg) > p->ev[i].msg_len)
			abort();
		if (i > 0 && p->ev[i - 1].ts > p->ev[i].ts)
			abort(); /* sorted */
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct evstream_message *m;
	struct livetail_msg msg;
	struct evstream d;
	struct page *p = NULL;
	unsigned char *copy, *q;
	char *cause = NULL;
	size_t used, left, unknown, total;
	int sampled, rc;

	if (size < 1)
		return (0);
	if (data[0] & 1) {
		if (livetail_decode_update(data + 1, size - 1, arns, 3, &p,
			&sampled, &unknown, &cause) == 0)
			check_page(p);
		page_free(p);
		free(cause);
		return (0);
	}
	copy = xmemdup(data + 1, size - 1);
	for (q = copy, left = size - 1; left >= 16; q += total, left -= total) {
		total = get32(q);
		if (total < 16 || total > left)
			break;
		set32(q + 8, (uint32_t)crc32(0, q, 8));
		set32(q + total - 4, (uint32_t)crc32(0, q, total - 4));
	}
	evstream_init(&d, 1 << 20);
	for (q = copy, left = size - 1; left > 0; q += used, left -= used) {
		rc = evstream_feed(&d, q, left, &used, &m, &cause);
		if (rc < 0) {
			free(cause);
			break;
		}
		if (rc == 0)
			break;
		if (livetail_decode(m, arns, 3, &msg, &cause) < 0) {
			free(cause);
			cause = NULL;
			continue;
		}
		check_page(msg.page);
		page_free(msg.page);
	}
	evstream_free(&d);
	free(copy);
	return (0);
}

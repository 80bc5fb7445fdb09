/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fuzz the streamed decoding of GetQueryResults bodies (insights_rows.c):
 * the input's first bytes choose the chunk sizes, the bound on a unit and
 * whether rows of a running query are kept; the rest is the body. Fed in
 * those chunks, the decoder must give exactly what it gives for the body
 * fed whole: the same verdict, the same cause, the same answer.
 */

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "logs/insights.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* Are two strings of lengths the same (NULL only with NULL)? */
static int
same_str(const char *a, size_t alen, const char *b, size_t blen)
{
	if (a == NULL || b == NULL)
		return (a == b);
	return (alen == blen && memcmp(a, b, alen) == 0 && a[alen] == '\0' &&
		b[blen] == '\0');
}

static void
same_answer(const struct insights_answer *x, const struct insights_answer *y)
{
	size_t i;

	if (x->status != y->status || x->has_stats != y->has_stats ||
	    memcmp(&x->matched, &y->matched, sizeof x->matched) != 0 ||
	    memcmp(&x->bytes, &y->bytes, sizeof x->bytes) != 0 ||
	    x->rows != y->rows || x->dropped != y->dropped || x->n != y->n ||
	    x->n + x->dropped != x->rows ||
	    !same_str(x->next_token, x->next_token ? strlen(x->next_token) : 0,
		y->next_token, y->next_token ? strlen(y->next_token) : 0))
		abort();
	for (i = 0; i < x->n; i++) {
		if (x->ev[i].ts != y->ev[i].ts ||
		    x->ev[i].ingest != y->ev[i].ingest ||
		    !same_str(x->ev[i].msg, x->ev[i].msg_len, y->ev[i].msg,
			y->ev[i].msg_len) ||
		    !same_str(x->ev[i].stream, x->ev[i].stream_len,
			y->ev[i].stream, y->ev[i].stream_len) ||
		    !same_str(x->ev[i].id, x->ev[i].id_len, y->ev[i].id,
			y->ev[i].id_len) ||
		    !same_str(x->group[i], x->group_len[i], y->group[i],
			y->group_len[i]))
			abort();
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct insights_rowdec *whole, *cut;
	struct insights_answer a, b;
	const uint8_t *chunks;
	const char *body;
	char *c1 = NULL, *c2 = NULL;
	size_t nchunks, len, off, n, k = 0, max_unit;
	int complete_only, r1, r2;

	if (size < 2)
		return (0);
	nchunks = 1 + data[0] % 8;
	complete_only = data[0] >> 7;
	max_unit = data[1] % 4 == 0 ? 1 + data[1] : 0; /* a small bound */
	if (size < 2 + nchunks)
		return (0);
	chunks = data + 2;
	body = (const char *)data + 2 + nchunks;
	len = size - 2 - nchunks;

	whole = insights_rowdec_new(complete_only, 0, max_unit);
	(void)insights_rowdec_feed(whole, body, len);
	r1 = insights_rowdec_end(whole, &a, &c1);

	cut = insights_rowdec_new(complete_only, 4, max_unit);
	for (off = 0; off < len; off += n) {
		n = 1 + chunks[k++ % nchunks] % 64;
		if (n > len - off)
			n = len - off;
		(void)insights_rowdec_feed(cut, body + off, n);
	}
	r2 = insights_rowdec_end(cut, &b, &c2);
	if (r1 != r2)
		abort();
	if (r1 == 0) {
		same_answer(&a, &b);
		insights_answer_free(&a);
		insights_answer_free(&b);
	} else if (c1 == NULL || c2 == NULL || strcmp(c1, c2) != 0)
		abort();
	free(c1);
	free(c2);
	insights_rowdec_free(whole);
	insights_rowdec_free(cut);
	return (0);
}

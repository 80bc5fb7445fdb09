/* SPDX-License-Identifier: Apache-2.0 */
/* Log events and pages. */

#include <stdlib.h>
#include <string.h>

#include "core/xmalloc.h"
#include "logs/event.h"

/* Free a page. Accepts NULL. */
void
page_free(struct page *p)
{
	if (p == NULL)
		return;
	if (p->mem_free != NULL)
		p->mem_free(p->mem);
	free(p->ev);
	free(p);
}

/* Order events by (timestamp, ingestion time, source, arrival). */
int
event_cmp(const struct event *a, const struct event *b)
{
	if (a->ts != b->ts)
		return (a->ts < b->ts ? -1 : 1);
	if (a->ingest != b->ingest)
		return (a->ingest < b->ingest ? -1 : 1);
	if (a->src != b->src)
		return (a->src < b->src ? -1 : 1);
	if (a->seq != b->seq)
		return (a->seq < b->seq ? -1 : 1);
	return (0);
}

static int
event_key_less(const struct event *a, const struct event *b)
{
	if (a->ts != b->ts)
		return (a->ts < b->ts);
	return (a->ingest < b->ingest);
}

/*
 * Stable sort by (ts, ingest). Pages from CloudWatch are almost always
 * sorted already, so check first, then fall back to a merge sort.
 */
void
page_sort(struct page *p)
{
	struct event *tmp, *src, *dst, *swap;
	size_t i, width, lo, mid, hi, a, b, k;

	for (i = 1; i < p->n; i++) {
		if (event_key_less(&p->ev[i], &p->ev[i - 1]))
			break;
	}
	if (i >= p->n)
		return;
	tmp = xreallocarray(NULL, p->n, sizeof *tmp);
	src = p->ev;
	dst = tmp;
	for (width = 1; width < p->n; width *= 2) {
		for (lo = 0; lo < p->n; lo += 2 * width) {
			mid = lo + width < p->n ? lo + width : p->n;
			hi = lo + 2 * width < p->n ? lo + 2 * width : p->n;
			a = lo;
			b = mid;
			k = lo;
			while (a < mid && b < hi) {
				if (event_key_less(&src[b], &src[a]))
					dst[k++] = src[b++];
				else
					dst[k++] = src[a++];
			}
			while (a < mid)
				dst[k++] = src[a++];
			while (b < hi)
				dst[k++] = src[b++];
		}
		swap = src;
		src = dst;
		dst = swap;
	}
	if (src != p->ev) {
		free(p->ev);
		p->ev = src;
	} else
		free(tmp);
}

/* Bytes needed for the strings of ev. */
size_t
event_strings_size(const struct event *ev)
{
	return (ev->stream_len + ev->id_len + ev->msg_len + 3);
}

/* Copy ev and its strings (to p); see event.h. */
void
event_copy(struct event *dst, const struct event *ev, char *p)
{
	*dst = *ev;
	memcpy(p, ev->stream, ev->stream_len);
	p[ev->stream_len] = '\0';
	dst->stream = p;
	p += ev->stream_len + 1;
	memcpy(p, ev->id, ev->id_len);
	p[ev->id_len] = '\0';
	dst->id = p;
	p += ev->id_len + 1;
	memcpy(p, ev->msg, ev->msg_len);
	p[ev->msg_len] = '\0';
	dst->msg = p;
}

/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Log events and the pages that carry them. A page owns the memory of its
 * events (one decoded FilterLogEvents response); events point into it.
 */
#ifndef APILOGS_EVENT_H
#define APILOGS_EVENT_H

#include <stddef.h>
#include <stdint.h>

#define EVENT_LATE 0x1 /* older than an event already printed */

struct event {
	int64_t ts;     /* event timestamp, epoch ms */
	int64_t ingest; /* ingestion time, epoch ms */
	const char *stream;
	const char *id;
	const char *msg;
	size_t stream_len;
	size_t id_len;
	size_t msg_len;
	uint32_t src; /* index of the source */
	uint32_t flags;
	uint64_t seq; /* arrival order */
};

struct page {
	struct event *ev;
	size_t n;
	size_t next; /* first event not yet consumed */
	void *mem;   /* owner of the strings */
	void (*mem_free)(void *);
	size_t bytes;      /* approximate memory held */
	int chunk;         /* part of a page, read back from disk */
	struct page *link; /* queue link */
};

/* Free a page and everything its events point to. Accepts NULL. */
void page_free(struct page *);
/* Sort a page's events by (timestamp, ingestion time), keeping the
 * server's order for equal keys. */
void page_sort(struct page *);
/* Bytes needed for the strings of ev (with their NULs). */
size_t event_strings_size(const struct event *);
/* Copy ev to *dst, its strings to p (event_strings_size(ev) bytes). */
void event_copy(struct event *dst, const struct event *ev, char *p);
/* Compare two events by (ts, ingest, src, seq). */
int event_cmp(const struct event *, const struct event *);

#endif

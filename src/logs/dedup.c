/* SPDX-License-Identifier: Apache-2.0 */
/* Seen-event set with time-based pruning. */

#include <stdlib.h>
#include <string.h>

#include "core/xmalloc.h"
#include "logs/dedup.h"

struct dedup_entry {
	uint64_t h; /* 0 = empty slot */
	int64_t ts;
};

struct dedup {
	struct dedup_entry *slots;
	size_t size; /* power of two */
	size_t count;
};

/* FNV-1a over the id, then a strong 64-bit finaliser. Never 0. */
uint64_t
dedup_hash(uint32_t src, const char *id, size_t idlen)
{
	uint64_t h = 0xcbf29ce484222325ULL ^ ((uint64_t)src << 32);
	size_t i;

	for (i = 0; i < idlen; i++) {
		h ^= (unsigned char)id[i];
		h *= 0x100000001b3ULL;
	}
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53ULL;
	h ^= h >> 33;
	return (h == 0 ? 1 : h);
}

/* A new, empty set. Caller frees with dedup_free(). */
struct dedup *
dedup_new(void)
{
	struct dedup *d;

	d = xcalloc(1, sizeof *d);
	d->size = 1024;
	d->slots = xcalloc(d->size, sizeof *d->slots);
	return (d);
}

/* Free a set. Accepts NULL. */
void
dedup_free(struct dedup *d)
{
	if (d == NULL)
		return;
	free(d->slots);
	free(d);
}

static void
dedup_insert(struct dedup_entry *slots, size_t size, uint64_t h, int64_t ts)
{
	size_t i = (size_t)h & (size - 1);

	while (slots[i].h != 0)
		i = (i + 1) & (size - 1);
	slots[i].h = h;
	slots[i].ts = ts;
}

/* Rebuild into a table of size new_size, keeping entries with ts >= cut. */
static void
dedup_rebuild(struct dedup *d, size_t new_size, int64_t cut)
{
	struct dedup_entry *slots;
	size_t i, count = 0;

	slots = xcalloc(new_size, sizeof *slots);
	for (i = 0; i < d->size; i++) {
		if (d->slots[i].h == 0 || d->slots[i].ts < cut)
			continue;
		dedup_insert(slots, new_size, d->slots[i].h, d->slots[i].ts);
		count++;
	}
	free(d->slots);
	d->slots = slots;
	d->size = new_size;
	d->count = count;
}

/* Add a key hash; 1 if new, 0 if seen before. */
int
dedup_add_key(struct dedup *d, uint64_t h, int64_t ts)
{
	size_t i;

	i = (size_t)h & (d->size - 1);
	while (d->slots[i].h != 0) {
		if (d->slots[i].h == h)
			return (0);
		i = (i + 1) & (d->size - 1);
	}
	if ((d->count + 1) * 4 > d->size * 3) {
		dedup_rebuild(d, d->size * 2, INT64_MIN);
		dedup_insert(d->slots, d->size, h, ts);
	} else {
		d->slots[i].h = h;
		d->slots[i].ts = ts;
	}
	d->count++;
	return (1);
}

/* Is key h held? */
int
dedup_has_key(const struct dedup *d, uint64_t h)
{
	size_t i;

	i = (size_t)h & (d->size - 1);
	while (d->slots[i].h != 0) {
		if (d->slots[i].h == h)
			return (1);
		i = (i + 1) & (d->size - 1);
	}
	return (0);
}

/* Add an id; 1 if new, 0 if seen before. */
int
dedup_add(
    struct dedup *d, uint32_t src, const char *id, size_t idlen, int64_t ts)
{
	return (dedup_add_key(d, dedup_hash(src, id, idlen), ts));
}

static uint64_t
dedup_mix(uint64_t h, const void *p, size_t n)
{
	const unsigned char *s = p;
	size_t i;

	for (i = 0; i < n; i++) {
		h ^= s[i];
		h *= 0x100000001b3ULL;
	}
	return (h);
}

/*
 * The key of an event without an eventId (some emulators and proxies drop
 * it): its stream, timestamp, ingestion time and message, hashed with
 * another seed than ids so that the two kinds never meet.
 */
static uint64_t
dedup_fallback_hash(uint32_t src, const struct event *ev)
{
	uint64_t h = 0x84222325cbf29ce4ULL ^ ((uint64_t)src << 32);

	h = dedup_mix(h, ev->stream, ev->stream_len);
	h = dedup_mix(h, "", 1); /* the stream's end */
	h = dedup_mix(h, &ev->ts, sizeof ev->ts);
	h = dedup_mix(h, &ev->ingest, sizeof ev->ingest);
	h = dedup_mix(h, ev->msg, ev->msg_len);
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	return (h == 0 ? 1 : h);
}

/* The key of an event: its eventId, or its fallback key. */
uint64_t
dedup_event_key(uint32_t src, const struct event *ev)
{
	if (ev->id_len > 0)
		return (dedup_hash(src, ev->id, ev->id_len));
	return (dedup_fallback_hash(src, ev));
}

/* Add an event of source src by its eventId, or its fallback key. */
int
dedup_add_event(struct dedup *d, uint32_t src, const struct event *ev)
{
	return (dedup_add_key(d, dedup_event_key(src, ev), ev->ts));
}

/* Forget entries older than cutoff; shrink when mostly empty. */
void
dedup_prune(struct dedup *d, int64_t cutoff)
{
	size_t size = d->size;

	while (size > 1024 && d->count * 8 < size)
		size /= 2;
	dedup_rebuild(d, size, cutoff);
}

/* Number of ids held. */
size_t
dedup_count(const struct dedup *d)
{
	return (d->count);
}

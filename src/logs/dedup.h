/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A set of seen event ids for follow mode, keyed by a 64-bit hash of
 * (source, eventId) and pruned by event timestamp: ids older than the
 * re-query window can never come back, so they are dropped.
 */
#ifndef APILOGS_DEDUP_H
#define APILOGS_DEDUP_H

#include <stddef.h>
#include <stdint.h>

#include "logs/event.h"

struct dedup;

/* Caller frees with dedup_free(). */
struct dedup *dedup_new(void);
void dedup_free(struct dedup *);
/* Add (src, id) seen at timestamp ts; returns 1 if it was new, 0 if it
 * was already there. */
int dedup_add(
    struct dedup *, uint32_t src, const char *id, size_t idlen, int64_t ts);
/* Add an event of source src: by its eventId, or when it has none by
 * (stream, timestamp, ingestion time, message). 1 if new, else 0. */
int dedup_add_event(struct dedup *, uint32_t src, const struct event *);
/* The key dedup_add_event() uses for an event of source src (never 0). */
uint64_t dedup_event_key(uint32_t src, const struct event *);
/* Add a key made by the caller (never 0); 1 if new, else 0. */
int dedup_add_key(struct dedup *, uint64_t key, int64_t ts);
/* Is a key made by the caller held? */
int dedup_has_key(const struct dedup *, uint64_t key);
/* Forget entries with timestamp < cutoff. */
void dedup_prune(struct dedup *, int64_t cutoff);
size_t dedup_count(const struct dedup *);
/* The hash used for keys (exposed for tests). */
uint64_t dedup_hash(uint32_t src, const char *id, size_t idlen);

#endif

/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A binary min-heap of pointers ordered by a compare callback: the one heap
 * of the engine (history feeds keyed by their head event, follow's held
 * events). Items that need to know where they are (to be fixed up or
 * removed later) get a position callback, told each move and -1 when they
 * leave the heap.
 */
#ifndef APILOGS_LOGS_HEAP_H
#define APILOGS_LOGS_HEAP_H

#include <stddef.h>

/* Non-zero when a must come out before b. */
typedef int (*heap_less_fn)(const void *a, const void *b);
/* item now sits at pos (-1: it left the heap). */
typedef void (*heap_pos_fn)(void *item, long pos);

struct heap {
	void **v;
	size_t n;
	size_t cap;
	heap_less_fn less;
	heap_pos_fn pos; /* NULL: items are not told */
};

void heap_init(struct heap *, heap_less_fn, heap_pos_fn);
/* Free the array (not the items); the heap is empty and usable again. */
void heap_free(struct heap *);
/* Forget every item (not freed, not told), keeping the array. */
void heap_clear(struct heap *);
void heap_push(struct heap *, void *);
/* The first item, or NULL when empty. */
void *heap_top(const struct heap *);
/* Remove and return the first item, or NULL when empty. */
void *heap_pop(struct heap *);
/* Remove and return the item at pos (pos < n). */
void *heap_remove(struct heap *, size_t pos);
/* The item at pos changed its key: restore the order. */
void heap_fix(struct heap *, size_t pos);

#endif

/* SPDX-License-Identifier: Apache-2.0 */
/* A binary min-heap of pointers; see heap.h. */

#include <stdlib.h>

#include "core/xmalloc.h"
#include "logs/heap.h"

/* Set up an empty heap. */
void
heap_init(struct heap *h, heap_less_fn less, heap_pos_fn pos)
{
	h->v = NULL;
	h->n = 0;
	h->cap = 0;
	h->less = less;
	h->pos = pos;
}

/* Free the array; see heap.h. */
void
heap_free(struct heap *h)
{
	free(h->v);
	h->v = NULL;
	h->n = 0;
	h->cap = 0;
}

/* Forget every item; see heap.h. */
void
heap_clear(struct heap *h)
{
	h->n = 0;
}

static void
heap_set(struct heap *h, size_t i, void *item)
{
	h->v[i] = item;
	if (h->pos != NULL)
		h->pos(item, (long)i);
}

/* Move the item at i towards the root while it beats its parent. */
static size_t
heap_up(struct heap *h, size_t i)
{
	void *item = h->v[i];
	size_t parent;

	while (i > 0) {
		parent = (i - 1) / 2;
		if (!h->less(item, h->v[parent]))
			break;
		heap_set(h, i, h->v[parent]);
		i = parent;
	}
	heap_set(h, i, item);
	return (i);
}

/* Move the item at i down while a child beats it. */
static void
heap_down(struct heap *h, size_t i)
{
	void *item = h->v[i];
	size_t l, m;

	for (;;) {
		l = 2 * i + 1;
		if (l >= h->n)
			break;
		m = l;
		if (l + 1 < h->n && h->less(h->v[l + 1], h->v[l]))
			m = l + 1;
		if (!h->less(h->v[m], item))
			break;
		heap_set(h, i, h->v[m]);
		i = m;
	}
	heap_set(h, i, item);
}

/* Add an item. */
void
heap_push(struct heap *h, void *item)
{
	if (h->n == h->cap) {
		h->cap = h->cap ? h->cap * 2 : 16;
		h->v = xreallocarray(h->v, h->cap, sizeof *h->v);
	}
	h->v[h->n++] = item;
	heap_up(h, h->n - 1);
}

/* The first item; see heap.h. */
void *
heap_top(const struct heap *h)
{
	return (h->n > 0 ? h->v[0] : NULL);
}

/* Remove the item at pos; see heap.h. */
void *
heap_remove(struct heap *h, size_t pos)
{
	void *item = h->v[pos];

	h->n--;
	if (pos < h->n) {
		h->v[pos] = h->v[h->n];
		heap_fix(h, pos);
	}
	if (h->pos != NULL)
		h->pos(item, -1);
	return (item);
}

/* Remove the first item; see heap.h. */
void *
heap_pop(struct heap *h)
{
	return (h->n > 0 ? heap_remove(h, 0) : NULL);
}

/* Restore the order around pos; see heap.h. */
void
heap_fix(struct heap *h, size_t pos)
{
	if (heap_up(h, pos) == pos)
		heap_down(h, pos);
}

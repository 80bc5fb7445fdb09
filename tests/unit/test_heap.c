/* SPDX-License-Identifier: Apache-2.0 */
/* The engine's binary heap against a sorted reference. */

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "testmain.h"

#include "logs/heap.h"

struct item {
	int key;
	int id;   /* tie-break: a total order, like event_cmp's seq */
	long pos; /* where the heap says it is */
};

static int
item_less(const void *a, const void *b)
{
	const struct item *x = a, *y = b;

	if (x->key != y->key)
		return (x->key < y->key);
	return (x->id < y->id);
}

static void
item_moved(void *p, long pos)
{
	((struct item *)p)->pos = pos;
}

static int
item_cmp(const void *a, const void *b)
{
	const struct item *x = *(struct item *const *)a;
	const struct item *y = *(struct item *const *)b;

	return (item_less(x, y) ? -1 : item_less(y, x) ? 1 : 0);
}

/* Every item's recorded position matches the array, and the heap order
 * holds at every node. */
static void
check_heap(const struct heap *h)
{
	size_t i;

	for (i = 0; i < h->n; i++) {
		assert_int_equal(((struct item *)h->v[i])->pos, (long)i);
		if (i > 0)
			assert_false(item_less(h->v[i], h->v[(i - 1) / 2]));
	}
}

/* Random pushes and pops come out in the order of a sorted copy. */
static void
test_random_order(void **state)
{
	struct heap h;
	struct item *items, **ref, *it;
	size_t n = 5000, i, nref = 0, popped = 0;
	int round;

	(void)state;
	srand(12345);
	items = calloc(n, sizeof *items);
	ref = calloc(n, sizeof *ref);
	heap_init(&h, item_less, item_moved);
	assert_null(heap_top(&h));
	assert_null(heap_pop(&h));
	for (round = 0; round < 4; round++) {
		/* Push a batch (many equal keys), pop part of it. */
		for (i = 0; i < n / 4; i++) {
			it = &items[nref + popped];
			it->key = rand() % 100;
			it->id = (int)(nref + popped);
			heap_push(&h, it);
			ref[nref++] = it;
		}
		check_heap(&h);
		qsort(ref, nref, sizeof *ref, item_cmp);
		for (i = 0; i < n / 8; i++) {
			it = heap_pop(&h);
			assert_ptr_equal(it, ref[i]);
			assert_int_equal(it->pos, -1);
		}
		memmove(ref, ref + n / 8, (nref - n / 8) * sizeof *ref);
		nref -= n / 8;
		popped += n / 8;
		check_heap(&h);
	}
	for (i = 0; i < nref; i++)
		assert_ptr_equal(heap_pop(&h), ref[i]);
	assert_int_equal(h.n, 0);
	assert_null(heap_top(&h));
	heap_free(&h);
	free(items);
	free(ref);
}

/* Removal by position, and a changed key put back in place. */
static void
test_remove_and_fix(void **state)
{
	struct heap h;
	struct item items[200], *it;
	int i, last = INT_MIN, gone = 0;
	size_t n;

	(void)state;
	srand(777);
	heap_init(&h, item_less, item_moved);
	for (i = 0; i < 200; i++) {
		items[i].key = rand() % 1000;
		items[i].id = i;
		heap_push(&h, &items[i]);
	}
	/* Remove every third item wherever it is. */
	for (i = 0; i < 200; i += 3) {
		assert_true(items[i].pos >= 0);
		assert_ptr_equal(
		    heap_remove(&h, (size_t)items[i].pos), &items[i]);
		assert_int_equal(items[i].pos, -1);
		gone++;
		check_heap(&h);
	}
	/* Change keys up and down in place. */
	for (i = 1; i < 200; i += 3) {
		items[i].key = i % 2 ? -items[i].key : items[i].key + 5000;
		heap_fix(&h, (size_t)items[i].pos);
		check_heap(&h);
	}
	n = h.n;
	assert_int_equal(n, 200 - gone);
	while ((it = heap_pop(&h)) != NULL) {
		assert_true(it->key >= last);
		last = it->key;
		n--;
	}
	assert_int_equal(n, 0);
	/* The last item removed by position. */
	heap_push(&h, &items[0]);
	heap_push(&h, &items[1]);
	assert_ptr_equal(heap_remove(&h, 1),
	    items[0].key < items[1].key ? &items[1] : &items[0]);
	assert_int_equal(h.n, 1);
	heap_clear(&h);
	assert_null(heap_top(&h));
	heap_free(&h);
}

/* Without a position callback (the follow heap's case). */
static void
test_no_pos(void **state)
{
	struct heap h;
	int v[] = {5, 3, 9, 1, 7}, i, last = -1;
	struct item *p;

	(void)state;
	heap_init(&h, item_less, NULL);
	for (i = 0; i < 5; i++) {
		struct item *it = calloc(1, sizeof *it);
		it->key = v[i];
		it->id = i;
		heap_push(&h, it);
	}
	while ((p = heap_pop(&h)) != NULL) {
		assert_true(p->key > last);
		last = p->key;
		free(p);
	}
	heap_free(&h);
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_random_order),
    cmocka_unit_test(test_remove_and_fix),
    cmocka_unit_test(test_no_pos),
};

TEST_MAIN(tests)

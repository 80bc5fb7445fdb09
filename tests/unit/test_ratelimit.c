/* SPDX-License-Identifier: Apache-2.0 */
/* The global token bucket and the follow-mode dedup set. */

#include <stdlib.h>
#include <string.h>

#include "testmain.h"

#include "aws/ratelimit.h"
#include "logs/dedup.h"

static void
test_bucket(void **state)
{
	struct ratelimit r;
	int64_t now = 1000, w;
	int i, granted = 0;

	(void)state;
	ratelimit_init(&r, 5, now);
	for (i = 0; i < 5; i++)
		assert_int_equal(ratelimit_take(&r, now), 0);
	w = ratelimit_take(&r, now);
	assert_true(w > 190 && w <= 201);
	/* Over 10 s at most 5/s. */
	for (now = 1000; now < 11000; now += 10) {
		if (ratelimit_take(&r, now) == 0)
			granted++;
	}
	assert_true(granted >= 49 && granted <= 51);
}

static void
test_adaptive(void **state)
{
	struct ratelimit r;
	int i;

	(void)state;
	ratelimit_init(&r, 5, 0);
	ratelimit_throttled(&r, 0);
	assert_true(r.rate > 3.49 && r.rate < 3.51);
	/* At most one cut a second. */
	ratelimit_throttled(&r, 500);
	assert_true(r.rate > 3.49 && r.rate < 3.51);
	ratelimit_throttled(&r, 1000);
	assert_true(r.rate > 2.44 && r.rate < 2.46);
	for (i = 0; i < 100; i++)
		ratelimit_throttled(&r, 1000 + 1000 * (int64_t)(i + 1));
	assert_true(r.rate >= 0.2 - 1e-9);
	/* Recovery: linear, capped at the maximum. */
	for (i = 0; i < 30; i++)
		ratelimit_success(&r, 200000);
	assert_true(r.rate > 4.99 && r.rate < 5.01);
}

static void
test_dedup(void **state)
{
	struct dedup *d;
	char id[32];
	int i;

	(void)state;
	d = dedup_new();
	assert_int_equal(dedup_add(d, 0, "abc", 3, 100), 1);
	assert_int_equal(dedup_add(d, 0, "abc", 3, 100), 0);
	/* The same id in another source is another event. */
	assert_int_equal(dedup_add(d, 1, "abc", 3, 100), 1);
	for (i = 0; i < 100000; i++) {
		snprintf(id, sizeof id, "%d", i);
		assert_int_equal(dedup_add(d, 2, id, strlen(id), i), 1);
	}
	assert_int_equal(dedup_count(d), 100002);
	for (i = 0; i < 100000; i += 997) {
		snprintf(id, sizeof id, "%d", i);
		assert_int_equal(dedup_add(d, 2, id, strlen(id), i), 0);
	}
	/* Pruning drops what is older than the cutoff, keeps the rest. */
	dedup_prune(d, 50000);
	assert_int_equal(dedup_count(d), 50000);
	assert_int_equal(dedup_add(d, 2, "60000", 5, 60000), 0);
	assert_int_equal(dedup_add(d, 2, "10", 2, 10), 1);
	dedup_prune(d, INT64_MAX);
	assert_int_equal(dedup_count(d), 0);
	dedup_free(d);
	assert_int_not_equal(dedup_hash(0, "a", 1), dedup_hash(1, "a", 1));
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_bucket),
    cmocka_unit_test(test_adaptive),
    cmocka_unit_test(test_dedup),
};

TEST_MAIN(tests)

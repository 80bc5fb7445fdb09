/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The ingestion delay estimate shared by Live Tail and polls: the prior,
 * the margin, the linear fade from the moment a maximum was seen, the cap.
 */

#include "testmain.h"

#include "logs/delayest.h"

static void
test_prior_until_enough_events(void **state)
{
	struct delayest de = {0};

	(void)state;
	/* Nothing learned: the 1 s prior, plus its 1/16. */
	assert_int_equal(delayest_get(&de, 0, 100000), 1062);
	delayest_learn(&de, 200, DELAYEST_MIN_N - 1, 0);
	assert_int_equal(delayest_get(&de, 0, 100000), 1062);
	/* Enough events: what was seen. */
	delayest_learn(&de, 200, 1, 0);
	assert_int_equal(delayest_get(&de, 0, 100000), 212);
	/* A poll that found nothing teaches nothing. */
	delayest_learn(&de, 0, 0, 0);
	assert_int_equal(delayest_get(&de, 0, 100000), 212);
	/* A larger prior-sized maximum is not replaced by the prior. */
	delayest_learn(&de, 3200, 1, 0);
	assert_int_equal(delayest_get(&de, 0, 100000), 3400);
}

static void
test_fades_linearly_from_when_seen(void **state)
{
	struct delayest de = {0};

	(void)state;
	delayest_learn(&de, 1600, 100, 1000);
	/* Reading does not move the fade (it did when it was recomputed on
	 * every read: exponential, twice as long). */
	assert_int_equal(delayest_get(&de, 1000 + 15000, 1 << 30), 1275);
	assert_int_equal(delayest_get(&de, 1000 + 15000, 1 << 30), 1275);
	assert_int_equal(delayest_get(&de, 1000 + 30000, 1 << 30), 850);
	assert_int_equal(
	    delayest_get(&de, 1000 + DELAYEST_FADE_MS, 1 << 30), 0);
	/* A smaller delay seen while the larger one fades does not reset
	 * it; one at least as large as what is left does. */
	delayest_learn(&de, 500, 1, 1000 + 30000);
	assert_int_equal(delayest_get(&de, 1000 + 30000, 1 << 30), 850);
	delayest_learn(&de, 900, 1, 1000 + 30000);
	assert_int_equal(delayest_get(&de, 1000 + 30000, 1 << 30), 956);
	assert_int_equal(delayest_get(&de, 1000 + 60000, 1 << 30), 478);
}

static void
test_cap(void **state)
{
	struct delayest de = {0};

	(void)state;
	delayest_learn(&de, 9000, 100, 0);
	assert_int_equal(delayest_get(&de, 0, 2000), 2000);
	assert_int_equal(delayest_get(&de, 0, 0), 0);
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_prior_until_enough_events),
    cmocka_unit_test(test_fades_linearly_from_when_seen),
    cmocka_unit_test(test_cap),
};

TEST_MAIN(tests)

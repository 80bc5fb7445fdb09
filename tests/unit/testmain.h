/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Shared main() for cmocka test binaries: runs the group and prints the
 * "RESULT passed failed" line that scripts/run-tests.sh adds up.
 */
#ifndef APILOGS_TESTMAIN_H
#define APILOGS_TESTMAIN_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <cmocka.h>

#define TEST_MAIN(tests)                                                       \
	int main(void)                                                         \
	{                                                                      \
		int failed;                                                    \
		size_t n = sizeof(tests) / sizeof((tests)[0]);                 \
                                                                               \
		failed = cmocka_run_group_tests(tests, NULL, NULL);            \
		if (failed < 0)                                                \
			failed = (int)n;                                       \
		printf("RESULT %zu %d\n", n - (size_t)failed, failed);         \
		return (failed != 0);                                          \
	}

#endif

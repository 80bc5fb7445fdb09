/* SPDX-License-Identifier: Apache-2.0 */
/*
 * libFuzzer target for timeexpr_parse() and timeexpr_format(): any input
 * must either parse into the documented range, with a value that formats
 * and parses back to itself, or fail with a message.
 */

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/timeexpr.h"
#include "core/xmalloc.h"

int LLVMFuzzerInitialize(int *, char ***);
int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* 2015-01-01T03:00:00.123Z */
#define NOW INT64_C(1420081200123)

/* Parse one NUL-terminated input with flags and check the invariants. */
static void
check(const char *text, int flags)
{
	char buf[TIMEEXPR_FMTLEN], *cause = NULL;
	int64_t ms = 0, back = 0;

	if (timeexpr_parse(text, NOW, flags, &ms, &cause) != 0) {
		if (cause == NULL || strncmp(cause, "cannot read '", 13) != 0)
			abort();
		free(cause);
		return;
	}
	if (cause != NULL || ms < TIMEEXPR_MIN_MS || ms > TIMEEXPR_MAX_MS)
		abort();
	timeexpr_format(ms, 0, buf);
	if (timeexpr_parse(buf, NOW, 0, &back, &cause) != 0 || back != ms)
		abort();
	timeexpr_format(ms, TIMEEXPR_LOCAL, buf);
	if (timeexpr_parse(buf, NOW, 0, &back, &cause) != 0 || back != ms)
		abort();
}

/* Use a zone with DST so that TIMEEXPR_LOCAL meets its corner cases. */
int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	setenv("TZ", "Europe/Berlin", 1);
	tzset();
	return (0);
}

/* Entry point: the input is one time expression. */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text;

	if (size > 4096)
		return (0);
	text = xmalloc(size + 1);
	memcpy(text, data, size);
	text[size] = '\0';
	check(text, 0);
	check(text, TIMEEXPR_LOCAL);
	free(text);
	return (0);
}

/* SPDX-License-Identifier: Apache-2.0 */
/*
 * libFuzzer target for apiuri: integration URIs, stage variable
 * substitution and destination ARNs. Checks the documented invariants, so
 * a wrong answer aborts as surely as a memory error.
 */

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/xmalloc.h"
#include "discover/apiuri.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* Abort unless s is 1-64 of [A-Za-z0-9_-]. */
static void
check_name(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n > 64 ||
	    strspn(s, "abcdefghijklmnopqrstuvwxyz"
		      "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
		      "0123456789_-") != n)
		abort();
}

/* Parse uri as an integration URI and check what comes back. */
static void
check_lambda(const char *uri)
{
	struct apiuri_lambda l;
	char *cause = NULL;

	switch (apiuri_parse_lambda(uri, &l, &cause)) {
	case APIURI_LAMBDA:
		if (cause != NULL || l.name == NULL)
			abort();
		if (!l.unresolved)
			check_name(l.name);
		if (!l.unresolved && strstr(uri, "${stageVariables.") != NULL &&
		    strncmp(uri, "http", 4) != 0)
			abort();
		apiuri_lambda_free(&l);
		break;
	case APIURI_NOT_LAMBDA:
		if (cause != NULL || l.name != NULL || l.region != NULL)
			abort();
		break;
	case APIURI_MALFORMED:
		if (cause == NULL || l.name != NULL || l.region != NULL)
			abort();
		free(cause);
		break;
	default:
		abort();
	}
}

/* Entry point: the input is one URI or ARN. */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct apiuri_var vars[] = {
	    {"fn", "orders"},
	    {"alias", "prod"},
	    {"arn", "arn:aws:lambda:us-east-1:123456789012:function:f:1"},
	    {"loop", "${stageVariables.loop}"},
	};
	struct apiuri_dest d;
	char *text, *out = NULL, *cause = NULL, **missing = NULL;
	size_t nmissing = 0, i;

	if (size > 8192)
		return (0);
	text = xmalloc(size + 1);
	memcpy(text, data, size);
	text[size] = '\0';
	check_lambda(text);
	if (apiuri_substitute(
		text, vars, 4, &out, &missing, &nmissing, &cause) == 0) {
		if (cause != NULL || out == NULL)
			abort();
		for (i = 0; i < nmissing; i++) {
			if (strstr(out, missing[i]) == NULL)
				abort();
		}
		check_lambda(out);
		apiuri_missing_free(missing, nmissing);
		free(out);
	} else {
		if (cause == NULL || out != NULL || missing != NULL)
			abort();
		free(cause);
	}
	cause = NULL;
	if (apiuri_parse_destination(text, &d, &cause) ==
	    APIURI_DEST_MALFORMED) {
		if (cause == NULL || d.name != NULL)
			abort();
		free(cause);
	} else {
		if (cause != NULL || d.name == NULL || d.region == NULL)
			abort();
		apiuri_dest_free(&d);
	}
	free(text);
	return (0);
}

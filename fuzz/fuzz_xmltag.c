/* SPDX-License-Identifier: Apache-2.0 */
/*
 * libFuzzer target for the STS XML extractor: the input is the response
 * body; every path the STS client reads is looked up.
 */

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/xmltag.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *paths[] = {
	    "AssumeRoleResult/Credentials/AccessKeyId",
	    "AssumeRoleResult/Credentials/SecretAccessKey",
	    "AssumeRoleResult/Credentials/SessionToken",
	    "AssumeRoleResult/Credentials/Expiration",
	    "AssumeRoleResult/AssumedRoleUser/Arn",
	    "AssumeRoleWithWebIdentityResult/Credentials/AccessKeyId",
	    "Error/Code",
	    "Error/Message",
	    "a/a/a",
	    "a",
	};
	char *copy, *v;
	size_t i;

	/* An unterminated copy, so reads past the end are caught. */
	copy = malloc(size == 0 ? 1 : size);
	if (copy == NULL)
		return (0);
	memcpy(copy, data, size);
	for (i = 0; i < sizeof paths / sizeof paths[0]; i++) {
		v = xmltag_get(copy, size, paths[i]);
		free(v);
	}
	free(copy);
	return (0);
}

/* SPDX-License-Identifier: Apache-2.0 */
/*
 * libFuzzer target for the CloudFormation ListStackResources decoder and
 * the XML list reader under it: the input is the response body. Checks
 * the documented invariants (every resource has a non-empty logical id
 * and a type, a physical id is never empty, every span lies inside the
 * input, no more elements than asked for), so a wrong answer aborts as
 * surely as a memory error.
 */

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/xmltag.h"
#include "discover/cfn.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void
check_spans(const char *xml, size_t len, const char *path, const char *child)
{
	struct xmltag_span *v;
	size_t i, n;

	if (xmltag_list(xml, len, path, child, 3, &v, &n) != 0) {
		if (v != NULL || n != 0)
			abort();
		return;
	}
	if (n > 3)
		abort();
	for (i = 0; i < n; i++) {
		if (v[i].p < xml || v[i].p + v[i].len > xml + len)
			abort();
		if (i > 0 && v[i].p < v[i - 1].p + v[i - 1].len)
			abort();
	}
	free(v);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cfn_resources r;
	char *copy, *cause = NULL;
	size_t i;

	/* An unterminated copy, so reads past the end are caught. */
	copy = malloc(size == 0 ? 1 : size);
	if (copy == NULL)
		return (0);
	memcpy(copy, data, size);
	memset(&r, 0, sizeof r);
	if (cfn_decode_resources(copy, size, &r, &cause) == 0) {
		if (r.n > CFN_MAX_RESOURCES)
			abort();
		for (i = 0; i < r.n; i++) {
			if (r.v[i].logical_id == NULL ||
			    *r.v[i].logical_id == '\0' || r.v[i].type == NULL ||
			    (r.v[i].physical_id != NULL &&
				*r.v[i].physical_id == '\0'))
				abort();
		}
	} else if (cause == NULL || r.n != 0)
		abort();
	free(cause);
	cfn_resources_free(&r);
	check_spans(copy, size,
	    "ListStackResourcesResult/StackResourceSummaries", "member");
	check_spans(copy, size, "a", "m");
	free(copy);
	return (0);
}

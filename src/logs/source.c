/* SPDX-License-Identifier: Apache-2.0 */
/* Sources and their stream selection. */

#define PCRE2_CODE_UNIT_WIDTH 8

#include <stdlib.h>
#include <string.h>

#include <pcre2.h>

#include "core/xmalloc.h"
#include "logs/source.h"

/* Free what a source owns. */
void
source_free_contents(struct source *s)
{
	size_t i;

	free(s->group);
	free(s->arn);
	free(s->stream_prefix);
	for (i = 0; i < s->nstream_names; i++)
		free(s->stream_names[i]);
	free(s->stream_names);
	pcre2_code_free(s->stream_re);
	memset(s, 0, sizeof *s);
}

/*
 * Client-side stream check: the service filters by prefix or names too,
 * but moto ignores logStreamNamePrefix and a regex can only be applied
 * here.
 */
int
source_stream_ok(const struct source *s, const char *name, size_t len)
{
	pcre2_match_data *md;
	size_t i, plen;
	int rc;

	if (s->stream_prefix != NULL) {
		plen = strlen(s->stream_prefix);
		if (len < plen || memcmp(name, s->stream_prefix, plen) != 0)
			return (0);
	}
	if (s->names_exact) {
		for (i = 0; i < s->nstream_names; i++) {
			if (strlen(s->stream_names[i]) == len &&
			    memcmp(s->stream_names[i], name, len) == 0)
				break;
		}
		if (i == s->nstream_names)
			return (0);
	}
	if (s->stream_re != NULL) {
		md = pcre2_match_data_create_from_pattern(s->stream_re, NULL);
		rc = pcre2_match(s->stream_re, (PCRE2_SPTR)name, len, 0,
		    PCRE2_ANCHORED, md, NULL);
		pcre2_match_data_free(md);
		if (rc < 0)
			return (0);
	}
	return (1);
}

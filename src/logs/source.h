/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A source: what the engine reads, one log group and how its streams are
 * selected. What a source means (its role, from discovery) and how it is
 * shown (colour, width) belong to the layers above: the reader that adds
 * a source keeps that in its own record, which owner points to.
 */
#ifndef APILOGS_SOURCE_H
#define APILOGS_SOURCE_H

#include <stddef.h>

struct source {
	char *group;  /* log group name */
	char *arn;    /* logGroupArn when known (Live Tail), or NULL */
	int optional; /* may not exist yet: warn, don't fail */
	int missing;  /* known not to exist (watch for it) */
	/* Stream selection; all NULL/0 means every stream. */
	char *stream_prefix; /* logStreamNamePrefix */
	char **stream_names; /* logStreamNames (history) */
	size_t nstream_names;
	int names_exact; /* use stream_names in follow too */
	void *stream_re; /* pcre2_code *: client-side filter */
	void *owner; /* the adder's record of this source; never read here */
};

void source_free_contents(struct source *);
/* Does stream name s (len bytes) pass the source's stream selection? */
int source_stream_ok(const struct source *, const char *s, size_t len);

#endif

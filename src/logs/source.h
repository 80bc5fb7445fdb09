/*
 * A source: one log group to read, with its role (from API discovery) and
 * how its streams are selected. Sources are data: discovery produces them,
 * and get, sources, trace and follow's re-discovery consume them.
 */
#ifndef APILOGS_SOURCE_H
#define APILOGS_SOURCE_H

#include <stddef.h>

struct source {
	char *group;  /* log group name */
	char *role;   /* "execution", "lambda:orders"... */
	char *reason; /* why it is there (sources command) */
	int optional; /* may not exist yet: warn, don't fail */
	int missing;  /* known not to exist (watch for it) */
	/* Stream selection; all NULL/0 means every stream. */
	char *stream_prefix; /* logStreamNamePrefix */
	char **stream_names; /* logStreamNames (history) */
	size_t nstream_names;
	int names_exact;     /* use stream_names in follow too */
	void *stream_re;     /* pcre2_code *: client-side filter */
	size_t stream_width; /* text padding of the stream column */
	int color;           /* SGR colour of the group column */
};

void source_free_contents(struct source *);
/* Does stream name s (len bytes) pass the source's stream selection? */
int source_stream_ok(const struct source *, const char *s, size_t len);

#endif

/* SPDX-License-Identifier: Apache-2.0 */
/* The trace's internals, shared by trace.c and trace_search.c. */
#ifndef APILOGS_TRACE_INT_H
#define APILOGS_TRACE_INT_H

#include <stddef.h>
#include <stdint.h>

#include "trace/trace.h"

#define TRACE_MAX_EVENTS 100000

struct dedup;
struct source;

struct trace {
	struct loop *loop;
	struct aws_client *logs;
	const struct trace_source *srcs;
	size_t nsrcs;
	struct trace_opts o;
	trace_notice_cb notice;
	void *arg;
	struct trace_ev **ev;
	size_t nev;
	struct dedup *seen;
	struct source **tmp; /* per-search engine sources (owner: srcs[i]) */
	char *gone;          /* per source: known not to exist (Insights) */
	size_t ntmp;
	struct trace_summary sum;
	char **searched; /* Lambda request ids searched for already */
	size_t nsearched;
	enum trace_status st;
	char *cause;
	int truncated;
};

/* Where a search's events go. */
struct trace_sink {
	struct trace *t;
	int to_timeline;
	struct trace_ev **ev; /* candidates (not the timeline) */
	size_t nev;
	int64_t *lo, *hi; /* or only the span of each source's lines (by
			     index in srcs; lo > hi: none) */
};

/* How a search reads. */
enum trace_read {
	TRACE_READ_FILTER,
	TRACE_READ_AUTO,    /* Logs Insights; FilterLogEvents when denied */
	TRACE_READ_INSIGHTS /* Logs Insights only */
};

/* trace_search.c: one search (an engine run) and the first search. */
int trace_search(struct trace *, const size_t *idx, size_t n,
    const char *pattern, const char *stream, int64_t start, int64_t end,
    struct trace_sink *);
int trace_find(struct trace *, const size_t *idx, size_t n, const char *pattern,
    struct trace_sink *);
void trace_say(struct trace *, int level, const char *msg);

#endif

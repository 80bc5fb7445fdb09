/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The searches of a trace: each one engine run over some sources, with a
 * filter pattern or a stream window, into a sink (the timeline, a list of
 * candidates, or only the span of each source's lines). The first search
 * may go through Logs Insights (see trace_find).
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aws/loop.h"
#include "core/xmalloc.h"
#include "logs/dedup.h"
#include "logs/engine.h"
#include "logs/insights.h"
#include "logs/insights_est.h"
#include "logs/logs.h"
#include "logs/source.h"
#include "trace/corr.h"
#include "trace/trace_int.h"

static struct trace_ev *
trace_ev_new(const struct event *ev, const struct trace_source *s)
{
	struct trace_ev *te;

	te = xmalloc(sizeof *te + event_strings_size(ev));
	memset(te, 0, sizeof *te);
	event_copy(&te->ev, ev, (char *)(te + 1));
	te->src = s;
	logline_parse(te->ev.msg, te->ev.msg_len,
	    corr_source_kind(s->role, s->group), &te->ll);
	return (te);
}

static int
trace_emit(void *arg, const struct event *ev, const struct source *tmp)
{
	struct trace_sink *k = arg;
	struct trace *t = k->t;
	const struct trace_source *orig = tmp->owner;
	struct trace_ev *te;
	size_t i = (size_t)(orig - t->srcs);

	if (k->lo != NULL) {
		if (ev->ts < k->lo[i])
			k->lo[i] = ev->ts;
		if (ev->ts > k->hi[i])
			k->hi[i] = ev->ts;
		return (0);
	}
	if (!k->to_timeline) {
		k->ev = xreallocarray(k->ev, k->nev + 1, sizeof *k->ev);
		k->ev[k->nev++] = trace_ev_new(ev, orig);
		return (0);
	}
	if (!dedup_add_event(t->seen, (uint32_t)(orig - t->srcs), ev))
		return (0);
	if (t->nev >= TRACE_MAX_EVENTS) {
		t->truncated = 1;
		return (0);
	}
	te = trace_ev_new(ev, orig);
	t->ev = xreallocarray(t->ev, t->nev + 1, sizeof *t->ev);
	t->ev[t->nev++] = te;
	return (0);
}

static void
trace_engine_notice(void *arg, int level, const char *msg)
{
	struct trace_sink *k = arg;

	if (k->t->notice != NULL)
		k->t->notice(k->t->arg, level, msg);
}

/* A private copy of source i for one search. */
static struct source *
trace_tmp_source(struct trace *t, size_t i, const char *stream)
{
	struct source *s;

	s = xcalloc(1, sizeof *s);
	s->group = xstrdup(t->srcs[i].group);
	s->optional = 1;
	s->missing = t->gone != NULL && t->gone[i];
	s->owner = (void *)&t->srcs[i];
	if (stream != NULL) {
		s->stream_names = xcalloc(1, sizeof *s->stream_names);
		s->stream_names[0] = xstrdup(stream);
		s->nstream_names = 1;
		s->names_exact = 1;
	}
	t->tmp = xreallocarray(t->tmp, t->ntmp + 1, sizeof *t->tmp);
	t->tmp[t->ntmp++] = s;
	return (s);
}

/* A notice of the trace itself (level as the engine's). */
void
trace_say(struct trace *t, int level, const char *msg)
{
	if (t->notice != NULL)
		t->notice(t->arg, level, msg);
}

/* End a search: Ctrl-C or SIGTERM arrived. -1 with t->st. */
static int
trace_interrupted(struct trace *t)
{
	t->st = TRACE_ERR_AWS;
	free(t->cause);
	t->cause = xstrdup("interrupted");
	return (-1);
}

/*
 * Read the sources in idx (n of them) over [start, end] with a filter
 * pattern (or one stream with none) into the sink, how rd says. 0, or -1
 * with t->st.
 */
static int
trace_search_by(struct trace *t, const size_t *idx, size_t n,
    const char *pattern, const char *stream, int64_t start, int64_t end,
    struct trace_sink *k, enum trace_read rd)
{
	struct engine_opts eo;
	struct engine *e;
	enum engine_status st;
	char *cause = NULL;
	size_t i;

	if (n == 0)
		return (0);
	memset(&eo, 0, sizeof eo);
	eo.start = start;
	eo.end = end;
	eo.pattern = pattern;
	eo.max_rps = t->o.max_rps;
	if (rd != TRACE_READ_FILTER) {
		/* A rare term: one query per 50 groups, split only when it
		 * meets the row cap. */
		eo.insights = 1;
		eo.insights_auto = rd == TRACE_READ_AUTO;
		eo.insights_slices = 1;
	}
	e = engine_new(t->loop, t->logs, &eo);
	for (i = 0; i < n; i++)
		engine_add_source(e, trace_tmp_source(t, idx[i], stream));
	engine_set_callbacks(e, trace_emit, trace_engine_notice, NULL, k);
	st = engine_run(e, &cause);
	engine_free(e);
	if (st == ENGINE_OK) {
		if (loop_interrupted())
			return (trace_interrupted(t));
		return (0);
	}
	t->st = st == ENGINE_ERR_ACCESS ? TRACE_ERR_ACCESS : TRACE_ERR_AWS;
	free(t->cause);
	t->cause = cause;
	return (-1);
}

/* A search with FilterLogEvents; see trace_search_by. */
int
trace_search(struct trace *t, const size_t *idx, size_t n, const char *pattern,
    const char *stream, int64_t start, int64_t end, struct trace_sink *k)
{
	return (trace_search_by(
	    t, idx, n, pattern, stream, start, end, k, TRACE_READ_FILTER));
}

/* How the first search reads: -1 (t->st set) when --engine insights
 * cannot express the pattern. */
static int
trace_first_read(struct trace *t, const char *pattern, enum trace_read *rd)
{
	char *q, *why = NULL;

	*rd = TRACE_READ_FILTER;
	if (t->o.engine == TRACE_ENGINE_FILTER)
		return (0);
	if (t->o.engine == TRACE_ENGINE_AUTO &&
	    (t->o.start == LOGS_TIME_UNSET || t->o.end == LOGS_TIME_UNSET ||
		t->o.end - t->o.start <= TRACE_INSIGHTS_MIN_MS))
		return (0);
	q = insights_query(pattern, NULL, &why);
	if (q == NULL && t->o.engine == TRACE_ENGINE_INSIGHTS) {
		t->st = TRACE_ERR_USAGE;
		free(t->cause);
		t->cause = xprintf("--engine insights: the request id does not "
				   "translate to a Logs Insights query (%s)",
		    why);
		free(why);
		return (-1);
	}
	free(why);
	if (q == NULL)
		return (0);
	free(q);
	*rd = t->o.engine == TRACE_ENGINE_INSIGHTS ? TRACE_READ_INSIGHTS
						   : TRACE_READ_AUTO;
	return (0);
}

/*
 * The first search: pattern in the sources in idx over the whole window.
 * Through Logs Insights it only learns which sources hold matching lines
 * and the span of their timestamps; FilterLogEvents then reads that span
 * of those sources, so the timeline is made of the same events (ids
 * included) whichever engine found them. 0, or -1 with t->st.
 */
int
trace_find(struct trace *t, const size_t *idx, size_t n, const char *pattern,
    struct trace_sink *k)
{
	struct trace_sink w = {t, 0, NULL, 0, NULL, NULL};
	struct insights_est est;
	enum trace_read rd;
	int64_t from = INT64_MAX, to = INT64_MIN;
	size_t *hit = NULL, nhit = 0, i;
	const char **names;
	char *cause = NULL, *msg;
	int rc;

	if (trace_first_read(t, pattern, &rd) != 0)
		return (-1);
	if (rd != TRACE_READ_FILTER) {
		/* Which groups exist (a query naming one that does not
		 * fails whole), and what the query scans. */
		memset(&est, 0, sizeof est);
		names = xcalloc(n + 1, sizeof *names);
		for (i = 0; i < n; i++)
			names[i] = t->srcs[idx[i]].group;
		if (insights_estimate(t->logs, names, n, t->o.start, t->o.end,
			loop_now(t->loop), &est, &cause) != 0) {
			msg = xprintf("no Logs Insights estimate (%s)%s", cause,
			    rd == TRACE_READ_AUTO
				? "; searching with FilterLogEvents"
				: "");
			trace_say(t, 1, msg);
			free(msg);
			free(cause);
			if (rd == TRACE_READ_AUTO)
				rd = TRACE_READ_FILTER;
		} else {
			t->gone = xcalloc(t->nsrcs + 1, 1);
			for (i = 0; i < n; i++)
				t->gone[idx[i]] = !est.found[i];
			msg = xprintf("searching for the request with Logs "
				      "Insights: about %.1f MB scanned (billed "
				      "per GB; --engine filter opts out)",
			    est.bytes / 1e6);
			trace_say(t, 1, msg);
			free(msg);
		}
		insights_est_free(&est);
		free(names);
	}
	if (rd == TRACE_READ_FILTER)
		return (trace_search(
		    t, idx, n, pattern, NULL, t->o.start, t->o.end, k));
	w.lo = xcalloc(t->nsrcs + 1, sizeof *w.lo);
	w.hi = xcalloc(t->nsrcs + 1, sizeof *w.hi);
	for (i = 0; i < t->nsrcs; i++) {
		w.lo[i] = INT64_MAX;
		w.hi[i] = INT64_MIN;
	}
	rc = trace_search_by(
	    t, idx, n, pattern, NULL, t->o.start, t->o.end, &w, rd);
	free(t->gone);
	t->gone = NULL;
	if (rc == 0) {
		hit = xcalloc(n + 1, sizeof *hit);
		for (i = 0; i < n; i++) {
			if (w.lo[idx[i]] > w.hi[idx[i]])
				continue;
			hit[nhit++] = idx[i];
			if (w.lo[idx[i]] < from)
				from = w.lo[idx[i]];
			if (w.hi[idx[i]] > to)
				to = w.hi[idx[i]];
		}
		if (nhit > 0)
			rc = trace_search(
			    t, hit, nhit, pattern, NULL, from, to, k);
	}
	free(hit);
	free(w.lo);
	free(w.hi);
	return (rc);
}

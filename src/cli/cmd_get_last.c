/* SPDX-License-Identifier: Apache-2.0 */
/*
 * get --last N, and the note after a read that printed nothing. Both ask
 * DescribeLogStreams when each group's newest event was.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aws/loop.h"
#include "cli/app.h"
#include "cli/cmd.h"
#include "cli/cmd_get_int.h"
#include "cli/msg.h"
#include "core/timeexpr.h"
#include "core/xmalloc.h"
#include "logs/logs.h"

#define LAST_FIRST_MS 60000 /* the first window back */
#define NOTE_MAX_GROUPS 20  /* groups asked for the note */
#define LAST_STREAMS 5      /* streams asked per group */
#define MS_DAY (24LL * 3600 * 1000)
#define LAST_BACKDATE_MS (14 * MS_DAY) /* oldest event a group can get */

/* The time of a group's newest event, from its newest streams. */
struct newest {
	int64_t t; /* LOGS_TIME_UNSET: none known */
};

static int
newest_cb(void *arg, const struct logs_stream *ls)
{
	struct newest *n = arg;
	int64_t t = ls->last_event;

	/* lastIngestionTime when the event time is not there yet. */
	if (t == LOGS_TIME_UNSET)
		t = ls->last_ingestion;
	if (t != LOGS_TIME_UNSET && (n->t == LOGS_TIME_UNSET || t > n->t))
		n->t = t;
	return (0);
}

/*
 * The newest event time of a group, or LOGS_TIME_UNSET (no event, or the
 * call failed: said at -v, since this is only a hint).
 */
static int64_t
get_newest(struct get *g, const char *group)
{
	struct newest n = {LOGS_TIME_UNSET};
	struct aws_result res;

	if (logs_newest_streams(
		g->logs, group, LAST_STREAMS, newest_cb, &n, &res) != 0) {
		char *d = aws_result_describe(&res);

		verbosef(1, "DescribeLogStreams %s: %s", group, d);
		free(d);
	}
	aws_result_free(&res);
	return (n.t);
}

struct creation {
	const char *group;
	int64_t t;
};

static int
creation_cb(void *arg, const struct logs_group *lg)
{
	struct creation *c = arg;

	if (strcmp(lg->name, c->group) != 0)
		return (0);
	c->t = lg->creation;
	return (1);
}

/* When a group was created (0 when unknown: the search may go back to
 * the epoch). */
static int64_t
get_creation(struct get *g, const char *group)
{
	struct creation c = {group, 0};
	struct aws_result res;

	if (logs_list_groups(g->logs, group, creation_cb, &c, &res) != 0) {
		char *d = aws_result_describe(&res);

		verbosef(1, "DescribeLogGroups %s: %s", group, d);
		free(d);
	}
	aws_result_free(&res);
	return (c.t);
}

/* One collected event and the copy of its strings. */
struct last_ev {
	struct event ev;
	char *mem;
	const struct source *s;
};

/* The newest events of one window: a ring of the last cap. */
struct last_ring {
	struct get *g;
	struct last_ev *v;
	size_t cap;
	size_t n;    /* held, at most cap */
	size_t head; /* where the next one goes */
	uint64_t seen;
};

static void
last_ev_free(struct last_ev *le)
{
	free(le->mem);
	le->mem = NULL;
}

/* The engine's emit while --last reads a window: keep the newest. */
static int
last_collect(void *arg, const struct event *ev, const struct source *s)
{
	struct last_ring *r = arg;
	struct last_ev *le;

	r->seen++;
	if (!get_filter_ok(r->g, ev, s)) {
		r->g->filtered++;
		return (0);
	}
	le = &r->v[r->head];
	last_ev_free(le);
	le->mem = xmalloc(event_strings_size(ev));
	event_copy(&le->ev, ev, le->mem);
	le->s = s;
	r->head = (r->head + 1) % r->cap;
	if (r->n < r->cap)
		r->n++;
	return (0);
}

static void
last_idle(void *arg)
{
	struct last_ring *r = arg;

	get_idle(r->g);
}

static void
last_notice(void *arg, int level, const char *msg)
{
	struct last_ring *r = arg;

	get_notice(r->g, level, msg);
}

/* Read [lo, hi] into r. */
static enum engine_status
last_window(struct get *g, const struct engine_opts *tmpl, int64_t lo,
    int64_t hi, struct last_ring *r, char **cause)
{
	struct engine_opts eo = *tmpl;
	enum engine_status st;
	size_t i;

	eo.start = lo;
	eo.end = hi;
	eo.follow = 0;
	g->e = engine_new(g->a->loop, g->logs, &eo);
	for (i = 0; i < g->nsrc; i++) {
		/* An optional group found missing is not asked again. */
		if (!g->srcs[i]->src.missing)
			engine_add_source(g->e, &g->srcs[i]->src);
	}
	engine_set_callbacks(g->e, last_collect, last_notice, last_idle, r);
	verbosef(2, "--last: reading back to %lld", (long long)lo);
	st = engine_run(g->e, cause);
	engine_free(g->e);
	g->e = NULL;
	return (st);
}

/* --last N; see cmd_get_int.h. */
enum engine_status
get_last(struct get *g, struct engine_opts *eo, uint64_t *found, char **cause)
{
	const struct opts *o = g->a->o;
	struct last_ev *res;
	struct last_ring r;
	enum engine_status st = ENGINE_OK;
	int64_t hi, hi0, lo, floor, width, newest = LOGS_TIME_UNSET, t;
	size_t want = o->last, have = 0, i, k;

	hi = eo->end != LOGS_TIME_UNSET ? eo->end : loop_now(g->a->loop);
	hi0 = hi;
	/* Where the newest events are, and how far back to look at most:
	 * --start when given, else 14 days before the oldest group was
	 * created (PutLogEvents takes events up to 14 days old). */
	floor = hi;
	for (i = 0; i < g->nsrc; i++) {
		t = get_newest(g, g->srcs[i]->src.group);
		if (t != LOGS_TIME_UNSET &&
		    (newest == LOGS_TIME_UNSET || t > newest))
			newest = t;
		if (o->start == NULL) {
			t = get_creation(g, g->srcs[i]->src.group);
			if (t < floor)
				floor = t;
		}
	}
	if (o->start != NULL)
		floor = eo->start != LOGS_TIME_UNSET ? eo->start : 0;
	else
		floor = floor > LAST_BACKDATE_MS ? floor - LAST_BACKDATE_MS : 0;
	res = xcalloc(want, sizeof *res);
	memset(&r, 0, sizeof r);
	r.g = g;
	r.v = xcalloc(want, sizeof *r.v);
	/* The first window ends at hi and reaches a minute before the
	 * newest event the streams know of (a hint: they may lag). */
	lo = newest != LOGS_TIME_UNSET && newest < hi ? newest : hi;
	lo -= LAST_FIRST_MS;
	width = hi - lo;
	for (;;) {
		if (lo < floor)
			lo = floor;
		r.cap = want - have;
		r.n = r.head = 0;
		r.seen = 0;
		st = last_window(g, eo, lo, hi, &r, cause);
		*found += r.seen;
		if (st != ENGINE_OK || g->out.closed || loop_interrupted())
			break;
		/* The ring's events, oldest first, go before those held. */
		for (k = 0; k < r.n; k++) {
			i = (r.head + r.cap - r.n + k) % r.cap;
			res[want - have - r.n + k] = r.v[i];
			r.v[i].mem = NULL;
		}
		have += r.n;
		if (have >= want || lo <= floor)
			break;
		hi = lo - 1;
		width *= 4;
		lo = hi - width;
	}
	for (i = 0; i < want; i++)
		last_ev_free(&r.v[i]);
	free(r.v);
	for (i = want - have; st == ENGINE_OK && i < want && !g->out.closed &&
			      !loop_interrupted();
	     i++) {
		if (get_emit(g, &res[i].ev, res[i].s) != 0)
			break;
	}
	for (i = 0; i < want; i++)
		last_ev_free(&res[i]);
	free(res);
	/* --watch goes on after what was read. */
	eo->start = hi0 + 1;
	return (st);
}

/* A --start that reaches back age ms: a whole number of the unit. */
static void
note_suggest(int64_t age, char *out, size_t size)
{
	if (age < 3600000)
		snprintf(out, size, "%lldm", (long long)(age / 60000 + 1));
	else if (age < 2 * MS_DAY)
		snprintf(out, size, "%lldh", (long long)(age / 3600000 + 1));
	else
		snprintf(out, size, "%lldd", (long long)(age / MS_DAY + 1));
}

/* The note after an empty read; see cmd_get_int.h. */
void
get_empty_note(struct get *g, uint64_t found)
{
	const struct opts *o = g->a->o;
	const char *ngroup = NULL;
	int64_t newest = LOGS_TIME_UNSET, t, now = loop_now(g->a->loop);
	int64_t end = g->end != LOGS_TIME_UNSET ? g->end : now;
	char a[TIMEEXPR_FMTLEN], b[TIMEEXPR_FMTLEN], n[TIMEEXPR_FMTLEN];
	char sug[32], *what, *where;
	size_t i;

	if (found > 0) {
		/* Read, then dropped here (a --request-id that matched no
		 * line says nothing, as grep would). */
		if (g->filtered > 0)
			notef("%llu events read, none passed --grep, "
			      "--exclude or --level",
			    (unsigned long long)found);
		else if (g->skipped > 0)
			notef("%llu events read, --query gave null for each "
			      "(--query-keep-null prints them)",
			    (unsigned long long)found);
		return;
	}
	for (i = 0; i < g->nsrc && i < NOTE_MAX_GROUPS; i++) {
		t = get_newest(g, g->srcs[i]->src.group);
		if (t != LOGS_TIME_UNSET &&
		    (newest == LOGS_TIME_UNSET || t > newest)) {
			newest = t;
			ngroup = g->srcs[i]->src.group;
		}
	}
	timeexpr_format(g->start, g->r.time_flags, a);
	timeexpr_format(end, g->r.time_flags, b);
	if (o->last > 0)
		what = g->start != LOGS_TIME_UNSET && o->start != NULL
			   ? xprintf("no events since %s", a)
			   : xstrdup("no events");
	else if (g->start == LOGS_TIME_UNSET)
		what = xprintf("no events before %s", b);
	else
		what = xprintf("no events between %s and %s", a, b);
	if (o->filter_pattern != NULL && *o->filter_pattern != '\0') {
		where = what;
		what = xprintf("%s matched the filter pattern", where);
		free(where);
	}
	if (g->nsrc == 1)
		where = xprintf("log group %s", g->srcs[0]->src.group);
	else
		where = xprintf("these %zu log groups", g->nsrc);
	if (newest == LOGS_TIME_UNSET) {
		notef("%s; %s %s no events yet", what, where,
		    g->nsrc == 1 ? "has" : "have");
		goto done;
	}
	timeexpr_format(newest, g->r.time_flags, n);
	if (g->nsrc > 1) {
		free(where);
		where =
		    xprintf("these %zu log groups (in %s)", g->nsrc, ngroup);
	}
	if (o->last == 0 && g->start != LOGS_TIME_UNSET && newest < g->start) {
		note_suggest(now - newest, sug, sizeof sug);
		notef("%s; the newest event in %s is from %s: try --start %s",
		    what, where, n, sug);
	} else if (o->last == 0 && newest > end)
		notef("%s; the newest event in %s is from %s, after the end",
		    what, where, n);
	else
		notef("%s; the newest event in %s is from %s", what, where, n);
done:
	free(what);
	free(where);
}

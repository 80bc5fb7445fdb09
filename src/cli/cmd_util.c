/* SPDX-License-Identifier: Apache-2.0 */
/* Helpers shared by the commands. */

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "aws/aws.h"
#include "aws/loop.h"
#include "cli/app.h"
#include "cli/cli.h"
#include "cli/cmd.h"
#include "cli/msg.h"
#include "cli/out.h"
#include "core/timeexpr.h"
#include "core/utf8.h"
#include "core/xmalloc.h"
#include "discover/discover.h"
#include "logs/groupspec.h"
#include "logs/logs.h"
#include "query/query.h"

/* Parse the time window; see cmd.h. */
int
cmd_time_window(
    struct app *a, const char *def_start, int64_t *start, int64_t *end)
{
	const char *s = a->o->start ? a->o->start : def_start;
	char *cause = NULL;
	int64_t now = loop_now(a->loop);
	int flags = a->o->local ? TIMEEXPR_LOCAL : 0;

	*start = LOGS_TIME_UNSET;
	*end = LOGS_TIME_UNSET;
	/* An empty --start means "from the beginning", as in awslogs. */
	if (s != NULL && *s != '\0' &&
	    timeexpr_parse(s, now, flags, start, &cause) != 0) {
		errorf("%s", cause);
		free(cause);
		return (EXIT_TIME);
	}
	if (a->o->end != NULL && *a->o->end != '\0' &&
	    timeexpr_parse(a->o->end, now, flags, end, &cause) != 0) {
		errorf("%s", cause);
		free(cause);
		return (EXIT_TIME);
	}
	if (*start != LOGS_TIME_UNSET && *end != LOGS_TIME_UNSET &&
	    *end < *start) {
		errorf("the end time ('%s') is before the start time ('%s')",
		    a->o->end, s);
		return (EXIT_TIME);
	}
	/* Without --end a read ends now (unless it follows). */
	if (*start != LOGS_TIME_UNSET && *end == LOGS_TIME_UNSET &&
	    !a->o->watch && *start > now) {
		errorf("the start time ('%s') is in the future and the read "
		       "ends now; give --end or --watch",
		    s);
		return (EXIT_TIME);
	}
	return (0);
}

/* Print a failed call and map it to an exit code. */
int
cmd_aws_error(const char *what, const struct aws_result *r)
{
	char *d;

	if (r->status == AWS_ERR_STOPPED)
		return (EXIT_OK);
	d = aws_result_describe(r);
	errorf("%s: %s", what, d);
	free(d);
	if (r->status == AWS_ERR_CREDS || aws_code_is_access(r->code))
		return (EXIT_CREDS);
	return (EXIT_AWS);
}

/* Colour decision: always, never, or auto (termcolor's rules). */
int
cmd_use_color(enum color_when w)
{
	const char *v;

	if (w == COLOR_ALWAYS)
		return (1);
	if (w == COLOR_NEVER)
		return (0);
	v = getenv("ANSI_COLORS_DISABLED");
	if (v != NULL && *v != '\0')
		return (0);
	v = getenv("NO_COLOR");
	if (v != NULL && *v != '\0')
		return (0);
	v = getenv("FORCE_COLOR");
	if (v != NULL && *v != '\0')
		return (1);
	v = getenv("TERM");
	if (v != NULL && strcmp(v, "dumb") == 0)
		return (0);
	return (isatty(STDOUT_FILENO));
}

#define CMD_STREAM_WIDTH 10 /* awslogs pads streams to 10 */

/* Find or add the source of a group; see cmd.h. */
struct cmd_source *
cmd_source_add(struct cmd_source ***v, size_t *n, const char *group)
{
	struct cmd_source *cs;
	size_t i;

	for (i = 0; i < *n; i++) {
		if (strcmp((*v)[i]->src.group, group) == 0)
			return ((*v)[i]);
	}
	cs = xcalloc(1, sizeof *cs);
	cs->src.group = xstrdup(group);
	cs->src.owner = cs;
	cs->style.group = cs->src.group;
	cs->style.stream_width = CMD_STREAM_WIDTH;
	*v = xreallocarray(*v, *n + 1, sizeof **v);
	(*v)[(*n)++] = cs;
	return (cs);
}

/* Take the role of a discovered source; see cmd.h. */
void
cmd_source_set_role(struct cmd_source *cs, const struct discover_source *ds)
{
	free(cs->function);
	free(cs->role_text);
	cs->role = ds->role;
	cs->function = ds->function != NULL ? xstrdup(ds->function) : NULL;
	cs->role_text = discover_role_format(ds->role, ds->function);
	cs->style.role = cs->role_text;
}

/* Add a discovered source unless its group is there; see cmd.h. */
void
cmd_source_add_found(
    struct cmd_source ***v, size_t *n, const struct discover_source *ds)
{
	struct cmd_source *cs;
	size_t before = *n;

	cs = cmd_source_add(v, n, ds->group);
	if (*n > before) {
		cs->src.optional = ds->optional;
		cmd_source_set_role(cs, ds);
	}
}

/* The record of an engine source; see cmd.h. */
struct cmd_source *
cmd_source_of(const struct source *s)
{
	return (s->owner);
}

/* Free one source; see cmd.h. */
void
cmd_source_free(struct cmd_source *cs)
{
	source_free_contents(&cs->src);
	free(cs->stream_pat);
	free(cs->function);
	free(cs->role_text);
	free(cs);
}

/* Free sources; see cmd.h. */
void
cmd_sources_free(struct cmd_source **v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		cmd_source_free(v[i]);
	free(v);
}

struct cmd_srcs {
	struct cmd_source ***v;
	size_t *n;
	const struct groupspec *gs;
};

/* A listed group: add it when it matches the spec (prefixes always do). */
static int
cmd_add_cb(void *arg, const struct logs_group *g)
{
	struct cmd_srcs *c = arg;
	struct cmd_source *cs;

	if (c->gs->kind == GROUPSPEC_REGEX && !groupspec_match(c->gs, g->name))
		return (0);
	cs = cmd_source_add(c->v, c->n, g->name);
	cmd_source_set_stream(cs, c->gs->stream);
	/* Live Tail names groups by ARN: keep the one we are given. */
	if (cs->src.arn == NULL && g->arn != NULL)
		cs->src.arn = xstrdup(g->arn);
	return (0);
}

/* Set a source's own STREAM_REGEX (NULL: none); see cmd.h. */
void
cmd_source_set_stream(struct cmd_source *cs, const char *pat)
{
	if (pat == NULL)
		return;
	free(cs->stream_pat);
	cs->stream_pat = xstrdup(pat);
}

/* Add the groups of one -g value; 0 or an exit code (printed). */
static int
cmd_sources_spec(struct app *a, const struct groupspec *gs,
    struct cmd_source ***srcs, size_t *n)
{
	struct cmd_srcs c = {srcs, n, gs};
	struct aws_client *logs;
	struct aws_result res;
	char *cause = NULL;
	size_t before = *n;
	int rc = 0;

	if (gs->kind == GROUPSPEC_ARN && a->region != NULL &&
	    strcmp(gs->region, a->region) != 0) {
		errorf("log group '%s' is in region %s; apilogs reads %s "
		       "(give --region %s)",
		    gs->group, gs->region, a->region, gs->region);
		return (EXIT_USAGE);
	}
	if (gs->kind == GROUPSPEC_NAME || gs->kind == GROUPSPEC_ARN) {
		cmd_source_set_stream(
		    cmd_source_add(srcs, n, gs->group), gs->stream);
		return (0);
	}
	logs = app_client(a, AWS_LOGS, &cause);
	if (logs == NULL) {
		errorf("%s", cause);
		free(cause);
		return (EXIT_USAGE);
	}
	if (logs_list_groups(logs,
		gs->kind == GROUPSPEC_PREFIX ? gs->group : gs->list_prefix,
		cmd_add_cb, &c, &res) != 0)
		rc = cmd_aws_error("DescribeLogGroups", &res);
	else if (*n == before) {
		errorf("no log group matches '%s%s'", gs->group,
		    gs->kind == GROUPSPEC_PREFIX ? "*" : "");
		rc = EXIT_NOTFOUND;
	}
	aws_result_free(&res);
	return (rc);
}

/* -g groups: names, NAME* prefixes, regexes, ARNs; see cmd.h. */
int
cmd_sources_for(struct app *a, struct cmd_source ***srcs, size_t *n)
{
	struct groupspec gs;
	char *cause = NULL;
	size_t i;
	int rc = 0;

	/* get's GROUP argument first, in the same forms. */
	for (i = 0; i <= a->o->groups.n && rc == 0; i++) {
		if (i == 0 && (a->o->cmd != CMD_GET || a->o->group == NULL))
			continue;
		if (groupspec_parse(
			i == 0 ? a->o->group : a->o->groups.v[i - 1], &gs,
			&cause) != 0) {
			errorf("%s", cause);
			free(cause);
			return (EXIT_USAGE);
		}
		rc = cmd_sources_spec(a, &gs, srcs, n);
		groupspec_free(&gs);
	}
	return (rc);
}

/* Render settings from the options; see cmd.h. */
void
cmd_render_init(struct render *r, const struct app *a)
{
	const struct opts *o = a->o;

	memset(r, 0, sizeof *r);
	r->fmt = o->output == OUTPUT_JSON ? RENDER_JSON : RENDER_TEXT;
	if (o->format == FORMAT_DETAILED)
		r->fmt = RENDER_TAIL_DETAILED;
	else if (o->format == FORMAT_SHORT)
		r->fmt = RENDER_TAIL_SHORT;
	else if (o->format == FORMAT_JSON)
		r->fmt = RENDER_TAIL_JSON;
	r->color = o->output == OUTPUT_TEXT && cmd_use_color(o->color);
	r->show_group = !o->no_group;
	r->show_stream = !o->no_stream;
	r->show_ts = o->timestamp;
	r->show_ingest = o->ingestion_time;
	r->time_flags = o->local ? TIMEEXPR_LOCAL : 0;
	r->raw = o->raw;
	r->show_event_id = o->event_id;
	r->expand = o->expand;
	r->max_length = o->max_length;
	r->hl = o->highlights.v;
	r->nhl = o->highlights.n;
	if (a->query != NULL) {
		r->transform = query_apply;
		r->transform_arg = a->query;
	}
}

/* A name as one escaped line; see cmd.h. */
int
cmd_put_line(struct out *o, const char *name)
{
	if (o->closed)
		return (1);
	utf8_escape(&o->b, name, strlen(name), 0);
	buf_putc(&o->b, '\n');
	return (out_eol(o) != 0 ? 1 : 0);
}

/* Start a listing; see cmd.h. */
int
cmd_list_start(struct app *a, struct aws_client **c, struct out *o)
{
	char *cause = NULL;

	*c = app_client(a, AWS_LOGS, &cause);
	if (*c == NULL) {
		errorf("%s", cause);
		free(cause);
		return (EXIT_USAGE);
	}
	out_init(o, STDOUT_FILENO, 0);
	o->line_flush = !isatty(STDOUT_FILENO);
	return (0);
}

/* End a listing; see cmd.h. */
int
cmd_list_end(struct out *o, struct aws_result *res, int rc)
{
	aws_result_free(res);
	out_flush(o);
	out_free(o);
	return (rc);
}

/* SPDX-License-Identifier: Apache-2.0 */
/* Discovery: the stage of an API, and what a run adds to its result. */

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "core/xmalloc.h"
#include "discover/apiuri.h"
#include "discover/discover_int.h"

/* Append a formatted line to a list. */
static void
discover_vpush(char ***v, size_t *n, const char *fmt, va_list ap)
{
	char *s;
	size_t i;

	xvasprintf(&s, fmt, ap);
	for (i = 0; i < *n; i++) {
		if (strcmp((*v)[i], s) == 0) {
			free(s); /* said already */
			return;
		}
	}
	*v = xreallocarray(*v, *n + 1, sizeof **v);
	(*v)[(*n)++] = s;
}

/* A warning for the user; see discover_int.h. */
void
dresult_warn(struct discover_result *r, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	discover_vpush(&r->warnings, &r->nwarnings, fmt, ap);
	va_end(ap);
}

/* A detail for -v; see discover_int.h. */
void
dresult_note(struct discover_result *r, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	discover_vpush(&r->notes, &r->nnotes, fmt, ap);
	va_end(ap);
}

/* A request failed: the run is over; see discover_int.h. */
void
dctx_fail(struct discover_op *c, const char *what, const struct dcall *call)
{
	switch (call->err) {
	case RESTJSON_STOPPED:
		c->r->status = DISCOVER_STOPPED;
		break;
	case RESTJSON_ACCESS:
		c->r->status = DISCOVER_ERR_ACCESS;
		break;
	default:
		c->r->status = DISCOVER_ERR_AWS;
		break;
	}
	free(c->r->cause);
	c->r->cause =
	    xprintf("%s: %s", what, call->desc != NULL ? call->desc : "failed");
	c->next = NULL;
}

/* The stage is unknown or must be chosen: the run is over. */
static void dctx_no_stage(struct discover_op *, char **, size_t, const char *,
    ...) __attribute__((format(printf, 4, 5)));

static void
dctx_no_stage(
    struct discover_op *c, char **names, size_t n, const char *fmt, ...)
{
	va_list ap;
	size_t i;

	c->r->status = DISCOVER_NO_STAGE;
	free(c->r->cause);
	va_start(ap, fmt);
	xvasprintf(&c->r->cause, fmt, ap);
	va_end(ap);
	for (i = 0; i < n; i++)
		dctx_add_unique(&c->r->choices, &c->r->nchoices, names[i]);
	c->next = NULL;
}

/* Add s to a list unless it is there; see discover_int.h. */
void
dctx_add_unique(char ***v, size_t *n, const char *s)
{
	size_t i;

	for (i = 0; i < *n; i++) {
		if (strcmp((*v)[i], s) == 0)
			return;
	}
	*v = xreallocarray(*v, *n + 1, sizeof **v);
	(*v)[(*n)++] = xstrdup(s);
}

/* The source reading group, or a new one; see discover_int.h. */
struct discover_source *
dresult_source(struct discover_result *r, const char *group,
    enum discover_role role, const char *function, const char *reason,
    int *added)
{
	struct discover_source *ds;
	size_t i;

	*added = 0;
	for (i = 0; i < r->nsrcs; i++)
		if (strcmp(r->srcs[i].group, group) == 0)
			return (&r->srcs[i]);
	r->srcs = xreallocarray(r->srcs, r->nsrcs + 1, sizeof *r->srcs);
	ds = &r->srcs[r->nsrcs++];
	memset(ds, 0, sizeof *ds);
	ds->group = xstrdup(group);
	ds->role = role;
	ds->function = function != NULL ? xstrdup(function) : NULL;
	ds->reason = xstrdup(reason);
	*added = 1;
	return (ds);
}

/* Add a source, or merge into the one reading the same group. */
struct discover_source *
dctx_add_source(struct discover_op *c, const char *group,
    enum discover_role role, const char *function, const char *reason,
    int optional)
{
	struct discover_source *ds;
	char *old;
	int added;

	ds = dresult_source(c->r, group, role, function, reason, &added);
	if (added) {
		ds->optional = optional;
		return (ds);
	}
	old = ds->reason;
	ds->reason = xprintf("%s; %s", old, reason);
	free(old);
	ds->optional = ds->optional && optional;
	return (ds);
}

/* Add the access-log source of a stage's destination ARN. */
void
dctx_add_access(struct discover_op *c, const char *arn)
{
	struct apiuri_dest dest;
	struct discover *d = c->d;
	char *cause = NULL, *reason;

	switch (apiuri_parse_destination(arn, &dest, &cause)) {
	case APIURI_DEST_FIREHOSE:
		dresult_warn(c->r,
		    "access logs of %s go to Firehose stream '%s', which "
		    "apilogs does not read",
		    c->stage_desc, dest.name);
		break;
	case APIURI_DEST_MALFORMED:
		dresult_warn(c->r,
		    "cannot read the access-log destination '%s' of %s: %s",
		    arn, c->stage_desc, cause);
		break;
	case APIURI_DEST_LOGS:
		if (dest.region != NULL &&
		    strcmp(dest.region, d->region) != 0) {
			dresult_warn(c->r,
			    "access logs of %s go to log group '%s' in region "
			    "%s, not %s: not read",
			    c->stage_desc, dest.name, dest.region, d->region);
			break;
		}
		if (dest.account != NULL && d->account != NULL &&
		    strcmp(dest.account, d->account) != 0) {
			dresult_warn(c->r,
			    "access logs of %s go to log group '%s' in account "
			    "%s, not %s: not read",
			    c->stage_desc, dest.name, dest.account, d->account);
			break;
		}
		if (dest.account != NULL && d->account == NULL)
			d->account = xstrdup(dest.account);
		reason = xprintf(
		    "access logs of %s (accessLogSettings)", c->stage_desc);
		dctx_add_source(
		    c, dest.name, DISCOVER_ROLE_ACCESS, NULL, reason, 1);
		free(reason);
		break;
	}
	free(cause);
	apiuri_dest_free(&dest);
}

/* The stage is read: note its name and variables; see discover_int.h. */
void
dctx_stage_chosen(
    struct discover_op *c, const char *name, const struct restjson_map *vars)
{
	c->r->stage = xstrdup(name);
	c->stage_desc = xprintf("stage '%s'", name);
	restjson_map_copy(&c->vars, vars);
}

/* Add the execution-log source of the stage; see discover_int.h. */
void
dctx_add_execution(struct discover_op *c, const char *level, const char *where)
{
	char *group, *reason;

	group = xprintf(
	    "API-Gateway-Execution-Logs_%s/%s", c->r->api_id, c->r->stage);
	if (where != NULL)
		reason = xprintf("execution logs of %s (logging level %s on "
				 "%s)",
		    c->stage_desc, level, where);
	else
		reason = xprintf("execution logs of %s (logging level %s)",
		    c->stage_desc, level);
	dctx_add_source(c, group, DISCOVER_ROLE_EXECUTION, NULL, reason, 1);
	free(reason);
	free(group);
}

/* GetStages answered: the only stage, or a list to choose from. */
static void
dctx_stages_done(struct discover_op *c)
{
	const char *kind = discover_type_name(c->r->type), *id = c->r->api_id;
	const char *want = c->want_stage;
	char **names;
	size_t i, n;
	int rest = c->r->type == DISCOVER_REST;

	if (c->stage.err != RESTJSON_OK) {
		dctx_fail(c, "GetStages", &c->stage);
		return;
	}
	n = rest ? c->sts1.n : c->sts2.n;
	names = xcalloc(n + 1, sizeof *names);
	for (i = 0; i < n; i++)
		names[i] = rest ? c->sts1.v[i].name : c->sts2.v[i].name;
	if (want != NULL)
		dctx_no_stage(
		    c, names, n, "%s API %s has no stage '%s'", kind, id, want);
	else if (n == 0)
		dctx_no_stage(c, NULL, 0, "%s API %s has no stage%s", kind, id,
		    rest ? " (it was never deployed)" : "");
	else if (n > 1)
		dctx_no_stage(c, names, n,
		    "%s API %s has %zu stages: choose one with --stage", kind,
		    id, n);
	else {
		if (rest) {
			c->st1 = c->sts1.v[0];
			memset(&c->sts1.v[0], 0, sizeof c->sts1.v[0]);
		} else {
			c->st2 = c->sts2.v[0];
			memset(&c->sts2.v[0], 0, sizeof c->sts2.v[0]);
		}
		dresult_note(
		    c->r, "reading stage '%s', the API's only stage", names[0]);
		c->next = c->stage_ready;
	}
	free(names);
}

/* Ask for every stage of the API. */
static void
dctx_stages_start(struct discover_op *c)
{
	struct djob *j;

	j = dctx_job(c, &c->stage);
	if (c->r->type == DISCOVER_REST)
		j->op = apigw_get_stages(
		    &c->d->v1, c->r->api_id, &c->sts1, dctx_job_done, j);
	else
		j->op = apigwv2_get_stages(
		    &c->d->v2, c->r->api_id, &c->sts2, dctx_job_done, j);
	c->next = dctx_stages_done;
}

/* GetStage answered: read on, or list the stages there are. */
static void
dctx_stage_done(struct discover_op *c)
{
	if (c->stage.err == RESTJSON_OK)
		c->next = c->stage_ready;
	else if (c->stage.err == RESTJSON_NOT_FOUND)
		dctx_stages_start(c);
	else
		dctx_fail(c, "GetStage", &c->stage);
}

/* Read the stage asked for (or choose the only one); see discover_int.h. */
void
dctx_stage_start(struct discover_op *c)
{
	struct djob *j;

	if (c->want_stage == NULL) {
		dctx_stages_start(c);
		return;
	}
	j = dctx_job(c, &c->stage);
	if (c->r->type == DISCOVER_REST)
		j->op = apigw_get_stage(&c->d->v1, c->r->api_id, c->want_stage,
		    &c->st1, dctx_job_done, j);
	else
		j->op = apigwv2_get_stage(&c->d->v2, c->r->api_id,
		    c->want_stage, &c->st2, dctx_job_done, j);
	c->next = dctx_stage_done;
}

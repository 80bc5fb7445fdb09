/* SPDX-License-Identifier: Apache-2.0 */
/* Stack discovery: --name, and the answers turned into sources. */

#include <stdlib.h>
#include <string.h>

#include "core/xmalloc.h"
#include "discover/apiuri.h"
#include "discover/stack_int.h"

/*
 * Does name pick the resource at path ("Outer/Inner/Fn")? It does when it
 * is the whole path, one of its logical ids (the resource's own, or a
 * nested stack's it is in), or a leading part of it ("Outer/Inner").
 */
static int
stack_name_picks(const char *name, const char *path)
{
	const char *p = path, *slash;
	size_t n = strlen(name);

	if (strcmp(name, path) == 0)
		return (1);
	if (strncmp(path, name, n) == 0 && path[n] == '/')
		return (1);
	for (;;) {
		slash = strchr(p, '/');
		if (slash == NULL)
			return (strcmp(p, name) == 0);
		if ((size_t)(slash - p) == n && memcmp(p, name, n) == 0)
			return (1);
		p = slash + 1;
	}
}

/* Does a resource pass --name; see stack_int.h. */
int
stack_names_match(struct discover_stack_op *s, const char *path)
{
	size_t i;
	int keep = s->nnames == 0;

	for (i = 0; i < s->nnames; i++) {
		if (stack_name_picks(s->names[i], path)) {
			s->matched[i] = 1;
			keep = 1;
		}
	}
	return (keep);
}

/* A --name that matched nothing; see stack_int.h. */
int
stack_names_unmatched(struct discover_stack_op *s)
{
	struct discover_result *r = s->r;
	const struct sstack *st;
	size_t i, k;
	char *path;

	for (i = 0; i < s->nnames && s->matched[i]; i++)
		continue;
	if (i == s->nnames)
		return (0);
	r->status = DISCOVER_NO_NAME;
	r->cause = xprintf("stack '%s' has no resource with the logical id "
			   "'%s'",
	    r->stack, s->names[i]);
	for (i = 0; i < s->nstacks; i++) {
		st = s->stacks[i];
		for (k = 0; k < st->res.n; k++) {
			path =
			    xprintf("%s%s", st->path, st->res.v[k].logical_id);
			dctx_add_unique(&r->choices, &r->nchoices, path);
			free(path);
		}
	}
	s->next = NULL;
	return (-1);
}

/* Add a source, or merge into the one reading the same group. */
static struct discover_source *
stack_add_source(struct discover_stack_op *s, const struct sitem *it,
    const char *group, enum discover_role role, const char *function,
    const char *reason)
{
	struct discover_source *ds;
	char *old;
	int added;

	ds = dresult_source(s->r, group, role, function, reason, &added);
	if (added) {
		ds->optional = 1; /* may not exist yet */
		ds->logical_id = xstrdup(it->logical);
		ds->resource_type = xstrdup(it->type);
		return (ds);
	}
	old = ds->reason;
	if (strcmp(ds->logical_id, it->logical) == 0)
		ds->reason = xprintf("%s; %s", old, reason);
	else
		ds->reason = xprintf(
		    "%s; %s (%s): %s", old, it->logical, it->type, reason);
	free(old);
	return (ds);
}

/* A Lambda function's group. */
static void
stack_lambda(struct discover_stack_op *s, struct sitem *it)
{
	char *group, *reason;
	int custom = 0;

	switch (it->call.err) {
	case RESTJSON_OK:
		group = lambda_log_group(&it->cfg);
		custom = it->cfg.log_group != NULL;
		break;
	case RESTJSON_STOPPED:
		s->r->status = DISCOVER_STOPPED;
		return;
	default:
		group = lambda_default_group(it->physical);
		dresult_warn(s->r,
		    "cannot read the configuration of Lambda function %s (%s): "
		    "%s; assuming log group %s",
		    it->physical, it->logical, it->call.desc, group);
		break;
	}
	reason = xprintf("Lambda function %s%s", it->physical,
	    custom ? "; log group from LoggingConfig.LogGroup" : "");
	stack_add_source(s, it, group, DISCOVER_ROLE_LAMBDA,
	    it->cfg.name != NULL ? it->cfg.name : it->physical, reason);
	free(reason);
	free(group);
}

/* The groups a state machine logs to. */
static void
stack_states(struct discover_stack_op *s, struct sitem *it)
{
	struct apiuri_dest dest;
	char *cause = NULL, *reason;
	const char *name;
	size_t i;

	if (it->call.err == RESTJSON_STOPPED) {
		s->r->status = DISCOVER_STOPPED;
		return;
	}
	if (it->call.err != RESTJSON_OK) {
		dresult_warn(s->r, "cannot describe state machine %s (%s): %s",
		    it->logical, it->physical, it->call.desc);
		return;
	}
	name = it->sm.name;
	if (it->sm.ngroup_arns == 0) {
		dresult_warn(s->r,
		    "state machine %s (%s) does not log to CloudWatch Logs "
		    "(loggingConfiguration level %s)",
		    name, it->logical,
		    it->sm.level != NULL ? it->sm.level : "OFF");
		return;
	}
	for (i = 0; i < it->sm.ngroup_arns; i++) {
		if (apiuri_parse_destination(it->sm.group_arns[i], &dest,
			&cause) != APIURI_DEST_LOGS) {
			dresult_warn(s->r,
			    "state machine %s (%s): cannot read the log "
			    "destination '%s'",
			    name, it->logical, it->sm.group_arns[i]);
		} else if (dest.region != NULL &&
			   strcmp(dest.region, s->d->region) != 0) {
			dresult_warn(s->r,
			    "state machine %s (%s) logs to '%s' in region "
			    "%s, not %s: not read",
			    name, it->logical, dest.name, dest.region,
			    s->d->region);
		} else {
			reason = xprintf("state machine %s "
					 "(loggingConfiguration, level %s)",
			    name, it->sm.level != NULL ? it->sm.level : "?");
			stack_add_source(s, it, dest.name, DISCOVER_ROLE_STATES,
			    name, reason);
			free(reason);
		}
		xfree(&cause);
		apiuri_dest_free(&dest);
	}
}

/* An API's sources, from each stage discovered. */
static void
stack_api(struct discover_stack_op *s, struct sitem *it)
{
	const struct discover_result *a;
	const struct discover_source *as;
	struct discover_source *ds;
	char *reason, *what;
	size_t i, k, m;

	for (i = 0; i < it->napis; i++) {
		a = it->apis[i];
		what = xprintf("%s API %s%s%s", discover_type_name(a->type),
		    it->physical, a->stage != NULL ? ", stage " : "",
		    a->stage != NULL ? a->stage : "");
		for (k = 0; k < a->nnotes; k++)
			dresult_note(s->r, "%s (%s): %s", it->logical, what,
			    a->notes[k]);
		for (k = 0; k < a->nwarnings; k++)
			dresult_warn(s->r, "%s (%s): %s", it->logical, what,
			    a->warnings[k]);
		switch (a->status) {
		case DISCOVER_OK:
			break;
		case DISCOVER_STOPPED:
			s->r->status = DISCOVER_STOPPED;
			free(what);
			return;
		default:
			dresult_warn(s->r, "%s (%s): %s", it->logical, it->type,
			    a->cause);
			free(what);
			continue;
		}
		for (k = 0; k < a->nsrcs; k++) {
			as = &a->srcs[k];
			reason = xprintf("%s: %s", what, as->reason);
			ds = stack_add_source(
			    s, it, as->group, as->role, as->function, reason);
			free(reason);
			for (m = 0; m < as->nroutes; m++)
				dctx_add_unique(
				    &ds->routes, &ds->nroutes, as->routes[m]);
		}
		free(what);
	}
}

/* Every answer is in; see stack_int.h. */
void
stack_resolved(struct discover_stack_op *s)
{
	struct sitem *it;
	size_t i;

	for (i = 0; i < s->nitems && s->r->status == DISCOVER_OK; i++) {
		it = s->items[i];
		switch (it->kind) {
		case SITEM_LAMBDA:
			stack_lambda(s, it);
			break;
		case SITEM_STATES:
			stack_states(s, it);
			break;
		case SITEM_API:
			stack_api(s, it);
			break;
		case SITEM_LOGGROUP:
			stack_add_source(s, it, it->physical,
			    DISCOVER_ROLE_LOGGROUP, NULL, "log group resource");
			break;
		default:
			break;
		}
	}
	if (s->r->status == DISCOVER_STOPPED) {
		free(s->r->cause);
		s->r->cause = xstrdup("interrupted");
	}
}

static int
stack_strcmp(const void *a, const void *b)
{
	return (strcmp(*(char *const *)a, *(char *const *)b));
}

/* Logical id, then role, then function, then group. */
static int
stack_source_cmp(const void *a, const void *b)
{
	const struct discover_source *x = a, *y = b;
	int c;

	c = strcmp(x->logical_id, y->logical_id);
	if (c != 0)
		return (c);
	if (x->role != y->role)
		return (x->role < y->role ? -1 : 1);
	c = strcmp(x->function != NULL ? x->function : "",
	    y->function != NULL ? y->function : "");
	return (c != 0 ? c : strcmp(x->group, y->group));
}

/* Order the sources; see stack_int.h. */
void
stack_sort(struct discover_result *r)
{
	size_t i;

	if (r->nsrcs > 1)
		qsort(r->srcs, r->nsrcs, sizeof *r->srcs, stack_source_cmp);
	for (i = 0; i < r->nsrcs; i++) {
		if (r->srcs[i].nroutes > 1)
			qsort(r->srcs[i].routes, r->srcs[i].nroutes,
			    sizeof *r->srcs[i].routes, stack_strcmp);
	}
}

/* Free a run's state; see stack_int.h. */
void
stack_free(struct discover_stack_op *s)
{
	struct sitem *it;
	size_t i, k;

	for (i = 0; i < s->nstacks; i++) {
		free(s->stacks[i]->name);
		free(s->stacks[i]->path);
		cfn_resources_free(&s->stacks[i]->res);
		free(s->stacks[i]->call.desc);
		free(s->stacks[i]);
	}
	free(s->stacks);
	for (i = 0; i < s->nitems; i++) {
		it = s->items[i];
		free(it->logical);
		free(it->type);
		free(it->physical);
		free(it->call.desc);
		lambda_config_free(&it->cfg);
		sfn_machine_free(&it->sm);
		for (k = 0; k < it->napis; k++)
			discover_result_free(it->apis[k]);
		free(it->apis);
		free(it);
	}
	free(s->items);
	for (i = 0; i < s->nnames; i++)
		free(s->names[i]);
	free(s->names);
	free(s->matched);
	free(s->stage);
	discover_result_free(s->r);
	free(s);
}

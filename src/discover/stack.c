/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Stack discovery: the log groups of a CloudFormation stack.
 *
 * A run lists the stack's resources (ListStackResources, every page),
 * then the stacks nested in it (AWS::CloudFormation::Stack, by physical
 * id), one level at a time, at most DISCOVER_STACK_DEPTH deep and never
 * the same stack twice. The top stack failing ends the run (an unknown
 * stack is DISCOVER_NO_STACK); a nested stack that cannot be listed
 * (access denied, deleted) is a warning and the run goes on without it.
 *
 * Then every resource kept (all, or those --name picks) is resolved, all
 * at once, each request paced by its service's bucket:
 *  - AWS::Lambda::Function: GetFunctionConfiguration, for
 *    LoggingConfig.LogGroup (else /aws/lambda/NAME);
 *  - AWS::ApiGateway::RestApi, AWS::ApiGatewayV2::Api: API discovery
 *    (discover_start()) of the stage asked for, or of the only stage, or
 *    of every stage when there are several;
 *  - AWS::StepFunctions::StateMachine: DescribeStateMachine, whose
 *    loggingConfiguration destinations are log group ARNs;
 *  - AWS::Logs::LogGroup: the physical id is the group's name.
 * A resource that cannot be resolved is a warning. The sources are merged
 * by group and ordered by logical id, then role, then group.
 */

#include <stdlib.h>
#include <string.h>

#include "aws/loop.h"
#include "core/xmalloc.h"
#include "discover/apiuri.h"
#include "discover/discover_int.h"
#include "discover/stack_int.h"

/* Set the stack clients; see discover.h. */
void
discover_stack_clients(
    struct discover *d, struct aws_client *cfn, struct aws_client *sfn)
{
	cfn_init(&d->cfn, cfn);
	sfn_init(&d->sfn, sfn);
}

/* Reserve a job for a request of the run. */
static struct sjob *
sjob_new(struct discover_stack_op *s, struct dcall *slot, struct sitem *it)
{
	struct sjob *j;

	j = xcalloc(1, sizeof *j);
	j->s = s;
	j->slot = slot;
	j->item = it;
	j->next = s->jobs;
	if (s->jobs != NULL)
		s->jobs->prev = j;
	s->jobs = j;
	s->pending++;
	return (j);
}

/* Unlink and free a job. */
static void
sjob_free(struct discover_stack_op *s, struct sjob *j)
{
	if (j->prev != NULL)
		j->prev->next = j->next;
	else
		s->jobs = j->next;
	if (j->next != NULL)
		j->next->prev = j->prev;
	free(j);
	s->pending--;
}

/* A job is over: once none is left, run the next phase or finish. */
static void
sjob_settle(struct discover_stack_op *s)
{
	sphase next;

	while (s->pending == 0) {
		next = s->next;
		s->next = NULL;
		if (next == NULL) {
			stack_finish(s);
			return;
		}
		next(s);
	}
}

/* A request answered: fill its slot, then settle. */
static void
sjob_rest_done(void *arg, struct restjson_res *res)
{
	struct sjob *j = arg;
	struct discover_stack_op *s = j->s;

	j->slot->err = res->err;
	free(j->slot->desc);
	j->slot->desc = res->err != RESTJSON_OK ? restjson_describe(res) : NULL;
	sjob_free(s, j);
	sjob_settle(s);
}

static void stack_api_start(
    struct discover_stack_op *, struct sitem *, const char *stage);

/* An API discovery is over: keep its result; an API with several stages
 * (none asked for) is discovered again at each of them. */
static void
sjob_api_done(void *arg, struct discover_result *r)
{
	struct sjob *j = arg;
	struct discover_stack_op *s = j->s;
	struct sitem *it = j->item;
	size_t i;

	sjob_free(s, j);
	if (r->status == DISCOVER_NO_STAGE && s->stage == NULL &&
	    r->nchoices > 1 && !it->expanded) {
		it->expanded = 1; /* once: a stage run never expands again */
		for (i = 0; i < r->nchoices; i++)
			stack_api_start(s, it, r->choices[i]);
		discover_result_free(r);
	} else {
		it->apis =
		    xreallocarray(it->apis, it->napis + 1, sizeof *it->apis);
		it->apis[it->napis++] = r;
	}
	sjob_settle(s);
}

/* Start the discovery of an API resource at a stage (NULL: the only). */
static void
stack_api_start(
    struct discover_stack_op *s, struct sitem *it, const char *stage)
{
	struct sjob *j;

	j = sjob_new(s, NULL, it);
	j->dop = discover_start(s->d, it->physical, stage, sjob_api_done, j);
}

/* Is this resource type one whose logs are read? */
static enum sitem_kind
stack_kind(const char *type)
{
	static const struct {
		const char *type;
		enum sitem_kind kind;
	} kinds[] = {
	    {"AWS::Lambda::Function", SITEM_LAMBDA},
	    {"AWS::ApiGateway::RestApi", SITEM_API},
	    {"AWS::ApiGatewayV2::Api", SITEM_API},
	    {"AWS::StepFunctions::StateMachine", SITEM_STATES},
	    {"AWS::Logs::LogGroup", SITEM_LOGGROUP},
	    {"AWS::CloudFormation::Stack", SITEM_STACK},
	};
	size_t i;

	for (i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
		if (strcmp(type, kinds[i].type) == 0)
			return (kinds[i].kind);
	}
	return (SITEM_NONE);
}

/* Is a resource in a state where it has no logs to read? */
static int
stack_gone(const struct cfn_resource *r)
{
	return (r->physical_id == NULL ||
		(r->status != NULL &&
		    (strcmp(r->status, "DELETE_COMPLETE") == 0 ||
			strcmp(r->status, "CREATE_FAILED") == 0)));
}

/* Start listing a stack (path: the logical ids leading to it, "" for
 * the top one). */
static void
stack_list(
    struct discover_stack_op *s, const char *name, const char *path, int depth)
{
	struct sstack *st;
	struct sjob *j;

	s->stacks = xreallocarray(s->stacks, s->nstacks + 1, sizeof *s->stacks);
	st = xcalloc(1, sizeof *st);
	s->stacks[s->nstacks++] = st;
	st->name = xstrdup(name);
	st->path = xstrdup(path);
	st->depth = depth;
	j = sjob_new(s, &st->call, NULL);
	j->rop =
	    cfn_list_resources(&s->d->cfn, name, &st->res, sjob_rest_done, j);
}

/* Has a stack been listed (or asked for) in this run? */
static int
stack_seen(struct discover_stack_op *s, const char *name)
{
	size_t i;

	for (i = 0; i < s->nstacks; i++) {
		if (strcmp(s->stacks[i]->name, name) == 0)
			return (1);
	}
	return (0);
}

/* The top stack could not be listed: the run is over. */
static void
stack_fail(struct discover_stack_op *s, const struct sstack *st)
{
	struct discover_result *r = s->r;

	switch (st->call.err) {
	case RESTJSON_NOT_FOUND:
		r->status = DISCOVER_NO_STACK;
		r->cause = xprintf("no CloudFormation stack '%s' in %s",
		    st->name, s->d->region);
		return;
	case RESTJSON_STOPPED:
		r->status = DISCOVER_STOPPED;
		break;
	case RESTJSON_ACCESS:
		r->status = DISCOVER_ERR_ACCESS;
		break;
	default:
		r->status = DISCOVER_ERR_AWS;
		break;
	}
	r->cause = xprintf("ListStackResources of stack '%s': %s", st->name,
	    st->call.desc != NULL ? st->call.desc : "failed");
}

/*
 * Stacks were listed: follow the stacks nested in the new ones (another
 * round), or go on to the resources when there are no more.
 */
static void
stack_listed(struct discover_stack_op *s)
{
	const struct cfn_resource *res;
	struct sstack *st;
	char *path;
	size_t i, k, n = s->nstacks;
	int more = 0;

	for (i = s->nlisted; i < n; i++) {
		st = s->stacks[i];
		if (st->call.err == RESTJSON_STOPPED || i == 0) {
			if (st->call.err != RESTJSON_OK) {
				stack_fail(s, st);
				return;
			}
		} else if (st->call.err != RESTJSON_OK) {
			dresult_warn(s->r,
			    "cannot list nested stack %s (%s): %s; its log "
			    "groups are not read",
			    st->path, st->name,
			    st->call.desc != NULL ? st->call.desc : "failed");
			continue;
		}
		for (k = 0; k < st->res.n; k++) {
			res = &st->res.v[k];
			if (stack_kind(res->type) != SITEM_STACK ||
			    stack_gone(res))
				continue;
			path = xprintf("%s%s/", st->path, res->logical_id);
			if (stack_seen(s, res->physical_id))
				dresult_note(s->r,
				    "nested stack %.*s (%s) is listed already",
				    (int)strlen(path) - 1, path,
				    res->physical_id);
			else if (st->depth + 1 > DISCOVER_STACK_DEPTH ||
				 s->nstacks >= DISCOVER_STACK_MAX)
				dresult_warn(s->r,
				    "nested stack %.*s is more than %d levels "
				    "deep or past %d stacks: not read",
				    (int)strlen(path) - 1, path,
				    DISCOVER_STACK_DEPTH, DISCOVER_STACK_MAX);
			else {
				stack_list(
				    s, res->physical_id, path, st->depth + 1);
				more = 1;
			}
			free(path);
		}
	}
	s->nlisted = n;
	if (more) {
		s->next = stack_listed;
		return;
	}
	stack_resolve_start(s);
}

/* Add an item to resolve. */
static struct sitem *
stack_item(struct discover_stack_op *s, const struct sstack *st,
    const struct cfn_resource *res, enum sitem_kind kind)
{
	struct sitem *it;

	s->items = xreallocarray(s->items, s->nitems + 1, sizeof *s->items);
	it = xcalloc(1, sizeof *it);
	s->items[s->nitems++] = it;
	it->kind = kind;
	it->logical = xprintf("%s%s", st->path, res->logical_id);
	it->type = xstrdup(res->type);
	it->physical = xstrdup(res->physical_id);
	return (it);
}

/* Does --name keep the k-th resource of a stack? Marks the names that
 * match it. */
static int
stack_keep(struct discover_stack_op *s, const struct sstack *st, size_t k)
{
	char *path;
	int keep;

	path = xprintf("%s%s", st->path, st->res.v[k].logical_id);
	keep = stack_names_match(s, path);
	free(path);
	return (keep);
}

/* Resolve every resource kept: start its request (if it needs one). A
 * --name that matches nothing ends the run before any request. */
void
stack_resolve_start(struct discover_stack_op *s)
{
	const struct cfn_resource *res;
	const struct sstack *st;
	enum sitem_kind kind;
	struct sitem *it;
	struct sjob *j;
	size_t i, k;

	for (i = 0; i < s->nstacks; i++) {
		st = s->stacks[i];
		for (k = 0; st->call.err == RESTJSON_OK && k < st->res.n; k++)
			(void)stack_keep(s, st, k);
	}
	if (stack_names_unmatched(s) != 0)
		return;
	for (i = 0; i < s->nstacks; i++) {
		st = s->stacks[i];
		if (st->call.err != RESTJSON_OK)
			continue;
		for (k = 0; k < st->res.n; k++) {
			res = &st->res.v[k];
			kind = stack_kind(res->type);
			if (kind == SITEM_NONE || kind == SITEM_STACK ||
			    !stack_keep(s, st, k))
				continue;
			if (stack_gone(res)) {
				dresult_note(s->r, "%s%s (%s) is %s: skipped",
				    st->path, res->logical_id, res->type,
				    res->status != NULL ? res->status
							: "not created");
				continue;
			}
			it = stack_item(s, st, res, kind);
			switch (kind) {
			case SITEM_LAMBDA:
				j = sjob_new(s, &it->call, it);
				j->rop =
				    lambda_get_config(&s->d->lam, it->physical,
					NULL, &it->cfg, sjob_rest_done, j);
				break;
			case SITEM_STATES:
				j = sjob_new(s, &it->call, it);
				j->rop = sfn_describe(&s->d->sfn, it->physical,
				    &it->sm, sjob_rest_done, j);
				break;
			case SITEM_API:
				stack_api_start(s, it, s->stage);
				break;
			default:
				break;
			}
		}
	}
	s->next = stack_resolved;
}

/* The run is over: order the result, hand it over, free the run. */
void
stack_finish(struct discover_stack_op *s)
{
	struct discover_result *r = s->r;

	stack_sort(r);
	s->r = NULL;
	s->delivering = 1;
	s->done(s->arg, r);
	stack_free(s);
}

/* Start a stack run; see discover.h. */
struct discover_stack_op *
discover_stack_start(struct discover *d, const char *stack, char *const *names,
    size_t nnames, const char *stage, discover_done_cb done, void *arg)
{
	struct discover_stack_op *s;
	size_t i;

	s = xcalloc(1, sizeof *s);
	s->d = d;
	s->done = done;
	s->arg = arg;
	s->r = xcalloc(1, sizeof *s->r);
	s->r->stack = xstrdup(stack);
	s->stage = stage != NULL ? xstrdup(stage) : NULL;
	s->names = xcalloc(nnames + 1, sizeof *s->names);
	s->matched = xcalloc(nnames + 1, sizeof *s->matched);
	for (i = 0; i < nnames; i++)
		s->names[i] = xstrdup(names[i]);
	s->nnames = nnames;
	stack_list(s, stack, "", 0);
	s->next = stack_listed;
	return (s);
}

/* Cancel a stack run; see discover.h. */
void
discover_stack_cancel(struct discover_stack_op *s)
{
	struct sjob *j;

	if (s == NULL || s->delivering)
		return;
	while (s->jobs != NULL) {
		j = s->jobs;
		restjson_cancel(j->rop);
		discover_op_cancel(j->dop);
		sjob_free(s, j);
	}
	stack_free(s);
}

struct stack_sync {
	struct discover_result *r;
	int done;
};

static void
stack_sync_done(void *arg, struct discover_result *r)
{
	struct stack_sync *ss = arg;

	ss->r = r;
	ss->done = 1;
}

/* A stack run, running the loop: for the command layer; see discover.h. */
struct discover_result *
discover_stack_run_sync(struct discover *d, const char *stack,
    char *const *names, size_t nnames, const char *stage)
{
	struct stack_sync ss;
	struct discover_stack_op *s;

	memset(&ss, 0, sizeof ss);
	s = discover_stack_start(
	    d, stack, names, nnames, stage, stack_sync_done, &ss);
	loop_run_until(d->v1.c->ctx->loop, &ss.done);
	if (ss.done)
		return (ss.r);
	discover_stack_cancel(s);
	ss.r = xcalloc(1, sizeof *ss.r);
	ss.r->stack = xstrdup(stack);
	ss.r->status = DISCOVER_STOPPED;
	ss.r->cause = xstrdup("interrupted");
	return (ss.r);
}

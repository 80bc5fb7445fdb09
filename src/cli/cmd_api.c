/* SPDX-License-Identifier: Apache-2.0 */
/* API discovery for the commands: messages, exit codes, re-discovery. */

#include <stdlib.h>
#include <string.h>

#include "aws/creds/creds.h"
#include "aws/loop.h"
#include "cli/app.h"
#include "cli/cli.h"
#include "cli/cmd_api.h"
#include "cli/msg.h"
#include "core/buf.h"
#include "core/num.h"
#include "core/xmalloc.h"
#include "discover/discover.h"

struct cmd_api {
	struct app *a;
	struct discover *d;
	struct discover_result *first;
	char *stage; /* the stage read, fixed after the first run */
	cmd_api_add_cb add;
	void *arg;
	char **groups; /* groups handed out */
	size_t ngroups;
	char **said; /* messages printed */
	size_t nsaid;
	char *what;     /* "API a1b2c3" or "stack shop", for messages */
	uint64_t timer; /* the next re-discovery */
	struct discover_op *rediscover;    /* the one in flight, or NULL */
	struct discover_stack_op *restack; /* the same for a stack */
	int64_t interval_ms;
	int runs;
};

/* Has s been printed already? Remembers it when not. */
static int
cmd_api_said(struct cmd_api *api, const char *s)
{
	size_t i;

	for (i = 0; i < api->nsaid; i++) {
		if (strcmp(api->said[i], s) == 0)
			return (1);
	}
	api->said = xreallocarray(api->said, api->nsaid + 1, sizeof *api->said);
	api->said[api->nsaid++] = xstrdup(s);
	return (0);
}

/* Print what a run has to say that was not said before. */
static void
cmd_api_messages(struct cmd_api *api, const struct discover_result *r)
{
	size_t i;

	for (i = 0; i < r->nnotes; i++) {
		if (!cmd_api_said(api, r->notes[i]))
			verbosef(1, "%s", r->notes[i]);
	}
	for (i = 0; i < r->nwarnings; i++) {
		if (!cmd_api_said(api, r->warnings[i]))
			warnf("%s", r->warnings[i]);
	}
}

/* "a, b, c". Caller frees. */
static char *
cmd_api_join(char **v, size_t n)
{
	struct buf b;
	size_t i;

	buf_init(&b, BUF_NOCAP);
	buf_puts(&b, "");
	for (i = 0; i < n; i++)
		buf_putf(&b, "%s%s", i > 0 ? ", " : "", v[i]);
	return (buf_take(&b, NULL));
}

/* Print a failed discovery; returns the exit code. */
static int
cmd_api_failed(const struct discover_result *r)
{
	char *list;

	switch (r->status) {
	case DISCOVER_NO_STAGE:
	case DISCOVER_NO_API:
	case DISCOVER_NO_STACK:
	case DISCOVER_NO_NAME:
		list = cmd_api_join(r->choices, r->nchoices);
		if (r->nchoices == 0)
			errorf("%s", r->cause);
		else if (r->status == DISCOVER_NO_STAGE)
			errorf("%s (stages: %s)", r->cause, list);
		else if (r->status == DISCOVER_NO_NAME)
			errorf("%s (logical ids: %s)", r->cause, list);
		else
			errorf("%s (APIs there: %s)", r->cause, list);
		free(list);
		return (EXIT_NOTFOUND);
	case DISCOVER_ERR_ACCESS:
		errorf("%s", r->cause);
		return (EXIT_CREDS);
	case DISCOVER_STOPPED:
		return (EXIT_OK);
	default:
		errorf("%s", r->cause);
		return (EXIT_AWS);
	}
}

/* The first stack discovery: the clients it needs too, then the run. */
static int
cmd_api_stack(struct cmd_api *api)
{
	struct app *a = api->a;
	struct aws_client *cfn, *sfn;
	char *cause = NULL;

	cfn = app_client(a, AWS_CLOUDFORMATION, &cause);
	sfn = cfn != NULL ? app_client(a, AWS_SFN, &cause) : NULL;
	if (sfn == NULL) {
		errorf("%s", cause);
		free(cause);
		return (EXIT_USAGE);
	}
	discover_stack_clients(api->d, cfn, sfn);
	api->what = xprintf("stack %s", a->o->stack_name);
	api->first = discover_stack_run_sync(api->d, a->o->stack_name,
	    a->o->names.v, a->o->names.n, a->o->stage);
	return (0);
}

/* Discover once; see cmd_api.h. */
int
cmd_api_run(struct app *a, struct cmd_api **out)
{
	struct cmd_api *api;
	struct aws_client *v1, *v2, *lam;
	const struct aws_creds *cr = NULL;
	const char *account = NULL;
	char *cause = NULL;
	int rc;

	*out = NULL;
	v1 = app_client(a, AWS_APIGATEWAY, &cause);
	v2 = v1 != NULL ? app_client(a, AWS_APIGATEWAYV2, &cause) : NULL;
	lam = v2 != NULL ? app_client(a, AWS_LAMBDA, &cause) : NULL;
	if (lam == NULL) {
		errorf("%s", cause);
		free(cause);
		return (EXIT_USAGE);
	}
	if (a->creds != NULL &&
	    creds_chain_get_sync(a->creds, &cr, &cause) == 0 && cr != NULL)
		account = cr->account_id;
	free(cause);
	api = xcalloc(1, sizeof *api);
	api->a = a;
	api->d = discover_new(v1, v2, lam, account);
	if (a->o->stack_name != NULL) {
		rc = cmd_api_stack(api);
		if (rc != 0) {
			cmd_api_free(api);
			return (rc);
		}
	} else {
		api->first =
		    discover_run_sync(api->d, a->o->api_id, a->o->stage);
		api->what = xprintf("API %s", a->o->api_id);
	}
	api->runs = 1;
	cmd_api_messages(api, api->first);
	if (api->first->status != DISCOVER_OK) {
		rc = cmd_api_failed(api->first);
		cmd_api_free(api);
		return (rc);
	}
	if (api->first->stack != NULL) {
		api->stage = a->o->stage != NULL ? xstrdup(a->o->stage) : NULL;
		verbosef(1, "stack %s: %zu log groups", api->first->stack,
		    api->first->nsrcs);
	} else {
		api->stage = xstrdup(api->first->stage);
		verbosef(1, "%s API %s, stage %s: %zu log groups",
		    discover_type_name(api->first->type), api->first->api_id,
		    api->stage, api->first->nsrcs);
	}
	*out = api;
	return (0);
}

/* The first result. */
const struct discover_result *
cmd_api_result(const struct cmd_api *api)
{
	return (api->first);
}

/* Hand the sources of r reading groups not handed out yet to add. */
static size_t
cmd_api_hand(struct cmd_api *api, struct discover_result *r)
{
	const struct discover_source *s;
	char *role;
	size_t i, k, n = 0;

	for (i = 0; i < r->nsrcs; i++) {
		s = &r->srcs[i];
		for (k = 0; k < api->ngroups; k++) {
			if (strcmp(api->groups[k], s->group) == 0)
				break;
		}
		if (k < api->ngroups)
			continue;
		api->groups = xreallocarray(
		    api->groups, api->ngroups + 1, sizeof *api->groups);
		api->groups[api->ngroups++] = xstrdup(s->group);
		if (api->runs > 1) { /* a notice, always shown */
			role = discover_role_format(s->role, s->function);
			verbosef(0, "new log group %s (%s): %s", s->group, role,
			    s->reason);
			free(role);
		}
		api->add(api->arg, s);
		n++;
	}
	return (n);
}

/* Hand out the first result's sources; see cmd_api.h. */
int
cmd_api_add_sources(struct cmd_api *api, cmd_api_add_cb add, void *arg)
{
	const struct opts *o = api->a->o;

	api->add = add;
	api->arg = arg;
	if (cmd_api_hand(api, api->first) == 0 && o->group == NULL &&
	    o->groups.n == 0) {
		if (api->first->stack != NULL)
			errorf("stack %s has no log group to read",
			    api->first->stack);
		else
			errorf("%s API %s has no log group to read on stage %s",
			    discover_type_name(api->first->type),
			    api->first->api_id, api->stage);
		return (EXIT_NOTFOUND);
	}
	return (0);
}

static void cmd_api_timer(void *);

/* Schedule the next re-discovery. */
static void
cmd_api_schedule(struct cmd_api *api)
{
	struct loop *l = api->a->loop;

	api->timer = loop_timer_in(l, api->interval_ms, cmd_api_timer, api);
}

/* A re-discovery is over: new groups join the run, failures are
 * warnings; then the next one is scheduled. Runs from the loop. */
static void
cmd_api_rediscovered(void *arg, struct discover_result *r)
{
	struct cmd_api *api = arg;
	char *msg;
	size_t n;

	api->timer = 0;
	api->rediscover = NULL;
	api->restack = NULL;
	if (r->status == DISCOVER_STOPPED) {
		discover_result_free(r);
		return;
	}
	cmd_api_messages(api, r);
	if (r->status == DISCOVER_OK) {
		n = cmd_api_hand(api, r);
		verbosef(1, "re-discovery: %zu new log group%s", n,
		    n == 1 ? "" : "s");
	} else {
		msg = xprintf("discovering %s again failed: %s; keeping "
			      "its current log groups",
		    api->what, r->cause);
		if (!cmd_api_said(api, msg))
			warnf("%s", msg);
		free(msg);
	}
	discover_result_free(r);
	cmd_api_schedule(api);
}

/*
 * Time to discover again: start the run and return (following goes on
 * meanwhile). Single flight: the next run is scheduled only when this one
 * is over, so there is never more than one.
 */
static void
cmd_api_timer(void *arg)
{
	struct cmd_api *api = arg;

	const struct opts *o = api->a->o;

	api->timer = 0;
	if (api->rediscover != NULL || api->restack != NULL)
		return;
	api->runs++;
	verbosef(1, "discovering the sources of %s again", api->what);
	if (api->first->stack != NULL)
		api->restack =
		    discover_stack_start(api->d, api->first->stack, o->names.v,
			o->names.n, api->stage, cmd_api_rediscovered, api);
	else
		api->rediscover = discover_start(api->d, api->first->api_id,
		    api->stage, cmd_api_rediscovered, api);
}

/* Re-discover while following; see cmd_api.h. */
void
cmd_api_watch(struct cmd_api *api, int64_t interval_ms)
{
	const char *v, *errstr = NULL;
	int64_t ms;

	if (interval_ms <= 0) {
		interval_ms = CMD_API_INTERVAL_MS;
		v = getenv("APILOGS_REDISCOVER_SECONDS");
		if (v != NULL && *v != '\0') {
			ms = num_parse_seconds_ms(v, 100, 86400000, &errstr);
			if (errstr == NULL)
				interval_ms = ms;
		}
	}
	api->interval_ms = interval_ms;
	if (api->timer == 0 && api->rediscover == NULL && api->restack == NULL)
		cmd_api_schedule(api);
}

/* Free the discovery state. Accepts NULL. */
void
cmd_api_free(struct cmd_api *api)
{
	size_t i;

	if (api == NULL)
		return;
	loop_timer_cancel(api->a->loop, api->timer);
	discover_op_cancel(api->rediscover);
	discover_stack_cancel(api->restack);
	free(api->what);
	discover_result_free(api->first);
	discover_free(api->d);
	free(api->stage);
	for (i = 0; i < api->ngroups; i++)
		free(api->groups[i]);
	free(api->groups);
	for (i = 0; i < api->nsaid; i++)
		free(api->said[i]);
	free(api->said);
	free(api);
}

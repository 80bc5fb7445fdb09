/* API discovery: the run, sources, stage variables and Lambda functions. */

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "aws/loop.h"
#include "core/xmalloc.h"
#include "discover/apiuri.h"
#include "discover/discover_int.h"

/* Create a discoverer; see discover.h. */
struct discover *
discover_new(struct aws_client *apigw, struct aws_client *apigwv2,
    struct aws_client *lambda, const char *account)
{
	struct discover *d;

	d = xcalloc(1, sizeof *d);
	d->region = xstrdup(apigw->region);
	d->account = account != NULL ? xstrdup(account) : NULL;
	ratelimit_init(
	    &d->total, DISCOVER_CONTROL_RATE, loop_now(apigw->ctx->loop));
	apigw_init(&d->v1, apigw, &d->total);
	apigwv2_init(&d->v2, apigwv2, &d->total);
	lambda_init(&d->lam, lambda);
	return (d);
}

/* Free a discoverer. Accepts NULL. */
void
discover_free(struct discover *d)
{
	if (d == NULL)
		return;
	free(d->region);
	free(d->account);
	free(d);
}

/* The name of an API type. */
const char *
discover_type_name(enum discover_type t)
{
	switch (t) {
	case DISCOVER_HTTP:
		return ("HTTP");
	case DISCOVER_WEBSOCKET:
		return ("WEBSOCKET");
	default:
		return ("REST");
	}
}

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

/* A warning for the user. */
void
dctx_warn(struct dctx *c, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	discover_vpush(&c->r->warnings, &c->r->nwarnings, fmt, ap);
	va_end(ap);
}

/* A detail for -v. */
void
dctx_note(struct dctx *c, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	discover_vpush(&c->r->notes, &c->r->nnotes, fmt, ap);
	va_end(ap);
}

/* A call failed: set the status; returns -1. */
int
dctx_fail(struct dctx *c, const char *what, const struct aws_result *res)
{
	char *d;

	if (res->status == AWS_ERR_STOPPED)
		c->r->status = DISCOVER_STOPPED;
	else if (res->status == AWS_ERR_CREDS || aws_code_is_access(res->code))
		c->r->status = DISCOVER_ERR_ACCESS;
	else
		c->r->status = DISCOVER_ERR_AWS;
	d = aws_result_describe(res);
	free(c->r->cause);
	c->r->cause = xprintf("%s: %s", what, d);
	free(d);
	return (-1);
}

/* The stage is unknown or must be chosen; returns -1. */
int
dctx_no_stage(struct dctx *c, char **names, size_t n, const char *fmt, ...)
{
	va_list ap;
	size_t i;

	c->r->status = DISCOVER_NO_STAGE;
	free(c->r->cause);
	va_start(ap, fmt);
	xvasprintf(&c->r->cause, fmt, ap);
	va_end(ap);
	for (i = 0; i < n; i++) {
		c->r->choices = xreallocarray(
		    c->r->choices, c->r->nchoices + 1, sizeof *c->r->choices);
		c->r->choices[c->r->nchoices++] = xstrdup(names[i]);
	}
	return (-1);
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

/* Add a source, or merge into the one reading the same group. */
struct discover_source *
dctx_add_source(struct dctx *c, const char *group, enum discover_role role,
    const char *function, const char *reason, int optional)
{
	struct discover_result *r = c->r;
	struct discover_source *ds;
	char *old;
	size_t i;

	for (i = 0; i < r->nsrcs; i++) {
		ds = &r->srcs[i];
		if (strcmp(ds->group, group) != 0)
			continue;
		old = ds->reason;
		ds->reason = xprintf("%s; %s", old, reason);
		free(old);
		ds->optional = ds->optional && optional;
		return (ds);
	}
	r->srcs = xreallocarray(r->srcs, r->nsrcs + 1, sizeof *r->srcs);
	ds = &r->srcs[r->nsrcs++];
	memset(ds, 0, sizeof *ds);
	ds->group = xstrdup(group);
	ds->role = role;
	ds->function = function != NULL ? xstrdup(function) : NULL;
	ds->reason = xstrdup(reason);
	ds->optional = optional;
	return (ds);
}

/* Add the access-log source of a stage's destination ARN. */
void
dctx_add_access(struct dctx *c, const char *arn)
{
	struct apiuri_dest dest;
	struct discover *d = c->d;
	char *cause = NULL, *reason;

	switch (apiuri_parse_destination(arn, &dest, &cause)) {
	case APIURI_DEST_FIREHOSE:
		dctx_warn(c,
		    "access logs of %s go to Firehose stream '%s', which "
		    "apilogs does not read",
		    c->stage_desc, dest.name);
		break;
	case APIURI_DEST_MALFORMED:
		dctx_warn(c,
		    "cannot read the access-log destination '%s' of %s: %s",
		    arn, c->stage_desc, cause);
		break;
	case APIURI_DEST_LOGS:
		if (dest.region != NULL &&
		    strcmp(dest.region, d->region) != 0) {
			dctx_warn(c,
			    "access logs of %s go to log group '%s' in region "
			    "%s, not %s: not read",
			    c->stage_desc, dest.name, dest.region, d->region);
			break;
		}
		if (dest.account != NULL && d->account != NULL &&
		    strcmp(dest.account, d->account) != 0) {
			dctx_warn(c,
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

static int
discover_strcmp(const void *a, const void *b)
{
	return (strcmp(*(char *const *)a, *(char *const *)b));
}

/* Source order: execution, access, lambda:*, authorizer:* (the order of
 * the roles), then function, then group. */
static int
discover_source_cmp(const void *a, const void *b)
{
	const struct discover_source *x = a, *y = b;
	int c;

	if (x->role != y->role)
		return (x->role < y->role ? -1 : 1);
	c = strcmp(x->function != NULL ? x->function : "",
	    y->function != NULL ? y->function : "");
	return (c != 0 ? c : strcmp(x->group, y->group));
}

/* Add a formatted choice to a result. */
static void discover_vchoice(struct discover_result *, const char *, ...)
    __attribute__((format(printf, 2, 3)));

static void
discover_vchoice(struct discover_result *r, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	discover_vpush(&r->choices, &r->nchoices, fmt, ap);
	va_end(ap);
}

/* No API has the id: list the region's APIs as choices. */
static void
discover_no_api(struct dctx *c)
{
	struct discover *d = c->d;
	struct discover_result *r = c->r;
	struct apigw_restapi *ra = NULL;
	struct apigwv2_api *va = NULL;
	struct aws_result res;
	size_t i, nra = 0, nva = 0;

	r->status = DISCOVER_NO_API;
	r->cause = xprintf("no REST, HTTP or WebSocket API has the id '%s' "
			   "in %s",
	    r->api_id, d->region);
	if (apigw_list_restapis(&d->v1, &ra, &nra, &res) == 0) {
		for (i = 0; i < nra; i++)
			discover_vchoice(r, "%s (REST, %s)", ra[i].id,
			    ra[i].name ? ra[i].name : "no name");
	}
	aws_result_free(&res);
	if (apigwv2_list_apis(&d->v2, &va, &nva, &res) == 0) {
		for (i = 0; i < nva; i++)
			discover_vchoice(r, "%s (%s, %s)", va[i].id,
			    va[i].protocol ? va[i].protocol : "?",
			    va[i].name ? va[i].name : "no name");
	}
	aws_result_free(&res);
	apigw_restapis_free(ra, nra);
	apigwv2_apis_free(va, nva);
}

/* Free a run's context (not its result). */
static void
dctx_free(struct dctx *c)
{
	struct dfunc *f;
	size_t i, k;

	for (i = 0; i < c->nfuncs; i++) {
		f = &c->funcs[i];
		free(f->name);
		free(f->region);
		free(f->account);
		free(f->partition);
		for (k = 0; k < f->nroutes; k++)
			free(f->routes[k]);
		free(f->routes);
		for (k = 0; k < f->nauthorizers; k++)
			free(f->authorizers[k]);
		free(f->authorizers);
	}
	free(c->funcs);
	free(c->stage_desc);
	restjson_map_free(&c->vars);
	restjson_map_free(&c->canary_vars);
}

/* Discover the sources of an API stage; see discover.h. */
struct discover_result *
discover_run(struct discover *d, const char *api_id, const char *stage)
{
	struct discover_result *r;
	struct apigw_restapi ra;
	struct apigwv2_api va;
	struct aws_result res;
	struct dctx c;
	size_t i;

	r = xcalloc(1, sizeof *r);
	r->api_id = xstrdup(api_id);
	memset(&c, 0, sizeof c);
	c.d = d;
	c.r = r;
	if (apigw_get_restapi(&d->v1, api_id, &ra, &res) == 0) {
		aws_result_free(&res);
		r->type = DISCOVER_REST;
		if (ra.name != NULL)
			r->api_name = xstrdup(ra.name);
		discover_rest(&c, &ra, stage);
		apigw_restapi_free(&ra);
	} else if (!restjson_not_found(&res))
		dctx_fail(&c, "GetRestApi", &res);
	else {
		/* Not a REST API: an HTTP or WebSocket API? */
		aws_result_free(&res);
		if (apigwv2_get_api(&d->v2, api_id, &va, &res) == 0) {
			r->type = va.protocol != NULL &&
					  strcmp(va.protocol, "WEBSOCKET") == 0
				      ? DISCOVER_WEBSOCKET
				      : DISCOVER_HTTP;
			if (va.name != NULL)
				r->api_name = xstrdup(va.name);
			discover_v2(&c, &va, stage);
		} else if (!restjson_not_found(&res))
			dctx_fail(&c, "GetApi", &res);
		else
			discover_no_api(&c);
		apigwv2_api_free(&va);
	}
	aws_result_free(&res);
	if (r->status == DISCOVER_OK)
		(void)dctx_resolve_functions(&c); /* sets the status */
	dctx_free(&c);
	if (r->nsrcs > 1)
		qsort(r->srcs, r->nsrcs, sizeof *r->srcs, discover_source_cmp);
	for (i = 0; i < r->nsrcs; i++) {
		if (r->srcs[i].nroutes > 1)
			qsort(r->srcs[i].routes, r->srcs[i].nroutes,
			    sizeof *r->srcs[i].routes, discover_strcmp);
	}
	return (r);
}

/* Free a list of strings. */
static void
discover_strv_free(char **v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

/* Free a result. Accepts NULL. */
void
discover_result_free(struct discover_result *r)
{
	size_t i;

	if (r == NULL)
		return;
	for (i = 0; i < r->nsrcs; i++) {
		free(r->srcs[i].group);
		free(r->srcs[i].reason);
		free(r->srcs[i].function);
		discover_strv_free(r->srcs[i].routes, r->srcs[i].nroutes);
	}
	free(r->srcs);
	discover_strv_free(r->warnings, r->nwarnings);
	discover_strv_free(r->notes, r->nnotes);
	discover_strv_free(r->choices, r->nchoices);
	free(r->api_id);
	free(r->api_name);
	free(r->stage);
	free(r->cause);
	free(r);
}

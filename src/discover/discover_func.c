/* SPDX-License-Identifier: Apache-2.0 */
/* API discovery: Lambda references, stage variables and log groups. */

#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/xmalloc.h"
#include "discover/apiuri.h"
#include "discover/discover_int.h"
#include "discover/lambda.h"

#define DISCOVER_REASON_ROUTES 3 /* routes named in a reason */

/* Find or add the function a parsed URI names. */
static struct dfunc *
dctx_func(struct discover_op *c, const struct apiuri_lambda *l)
{
	struct discover *d = c->d;
	const char *region = l->region, *account = l->account;
	struct dfunc *f;
	size_t i;

	if (region != NULL && strcmp(region, d->region) == 0)
		region = NULL;
	if (account != NULL && d->account != NULL &&
	    strcmp(account, d->account) == 0)
		account = NULL;
	for (i = 0; i < c->nfuncs; i++) {
		f = &c->funcs[i];
		if (strcmp(f->name, l->name) == 0 &&
		    (f->region == NULL) == (region == NULL) &&
		    (region == NULL || strcmp(f->region, region) == 0) &&
		    (f->account == NULL) == (account == NULL) &&
		    (account == NULL || strcmp(f->account, account) == 0))
			return (f);
	}
	c->funcs = xreallocarray(c->funcs, c->nfuncs + 1, sizeof *c->funcs);
	f = &c->funcs[c->nfuncs++];
	memset(f, 0, sizeof *f);
	f->name = xstrdup(l->name);
	f->region = region != NULL ? xstrdup(region) : NULL;
	f->account = account != NULL ? xstrdup(account) : NULL;
	f->partition = l->partition != NULL ? xstrdup(l->partition) : NULL;
	return (f);
}

/*
 * Substitute the stage variables of m into uri. NULL when a variable is
 * missing or the URI cannot be read (warned about when warn is set).
 */
static char *
dctx_substitute(struct discover_op *c, const char *uri,
    const struct restjson_map *m, const char *what, int warn)
{
	struct apiuri_var *vars;
	char *out = NULL, *cause = NULL, **missing = NULL;
	size_t i, nmissing = 0;

	vars = xcalloc(m->n + 1, sizeof *vars);
	for (i = 0; i < m->n; i++) {
		vars[i].name = m->keys[i];
		vars[i].value = m->values[i];
	}
	if (apiuri_substitute(
		uri, vars, m->n, &out, &missing, &nmissing, &cause) != 0) {
		if (warn)
			dresult_warn(c->r, "%s: cannot read the URI '%s': %s",
			    what, uri, cause);
		free(cause);
	} else if (nmissing > 0) {
		if (warn)
			dresult_warn(c->r,
			    "%s: stage variable '%s' is not set on %s; "
			    "skipped",
			    what, missing[0], c->stage_desc);
		xfree(&out);
	}
	apiuri_missing_free(missing, nmissing);
	free(vars);
	return (out);
}

/* Note the function a substituted URI names. */
static void
dctx_add_lambda(struct discover_op *c, const char *uri, const char *what,
    char *const *routes, size_t nroutes, const char *authorizer,
    const char *suffix)
{
	struct apiuri_lambda l;
	struct dfunc *f;
	char *cause = NULL, *rt;
	size_t i;

	switch (apiuri_parse_lambda(uri, &l, &cause)) {
	case APIURI_MALFORMED:
		dresult_warn(c->r, "%s: cannot read the Lambda URI '%s': %s",
		    what, uri, cause);
		free(cause);
		return;
	case APIURI_NOT_LAMBDA:
		dresult_note(
		    c->r, "%s: '%s' is not a Lambda function", what, uri);
		return;
	case APIURI_LAMBDA:
		break;
	}
	if (l.unresolved) {
		dresult_warn(c->r,
		    "%s: the Lambda URI '%s' still holds a stage "
		    "variable; skipped",
		    what, uri);
		apiuri_lambda_free(&l);
		return;
	}
	f = dctx_func(c, &l);
	for (i = 0; i < nroutes; i++) {
		rt = xprintf("%s%s", routes[i], suffix);
		dctx_add_unique(&f->routes, &f->nroutes, rt);
		free(rt);
	}
	if (authorizer != NULL)
		dctx_add_unique(&f->authorizers, &f->nauthorizers, authorizer);
	else
		f->integration = 1;
	apiuri_lambda_free(&l);
}

/* Note a Lambda URI; see discover_int.h. */
void
dctx_add_uri(struct discover_op *c, const char *uri, const char *what,
    char *const *routes, size_t nroutes, const char *authorizer)
{
	char *s, *s2;

	s = dctx_substitute(c, uri, &c->vars, what, 1);
	if (s != NULL)
		dctx_add_lambda(c, s, what, routes, nroutes, authorizer, "");
	if (c->canary) {
		/* The canary's overrides may name another function. */
		s2 = dctx_substitute(c, uri, &c->canary_vars, what, s == NULL);
		if (s2 != NULL && (s == NULL || strcmp(s, s2) != 0))
			dctx_add_lambda(c, s2, what, routes, nroutes,
			    authorizer, " (canary)");
		free(s2);
	}
	free(s);
}

/* "GET /a, POST /b and 3 more". Caller frees. */
static char *
dctx_route_list(char *const *routes, size_t n)
{
	struct buf b;
	size_t i;

	buf_init(&b, BUF_NOCAP);
	for (i = 0; i < n && i < DISCOVER_REASON_ROUTES; i++)
		buf_putf(&b, "%s%s", i > 0 ? ", " : "", routes[i]);
	if (n > DISCOVER_REASON_ROUTES)
		buf_putf(&b, " and %zu more", n - DISCOVER_REASON_ROUTES);
	return (buf_take(&b, NULL));
}

/* Why a function's group is read. Caller frees. */
static char *
dctx_func_reason(const struct dfunc *f, int custom)
{
	struct buf b;
	char *routes;
	size_t i;

	buf_init(&b, BUF_NOCAP);
	buf_putf(&b, "Lambda function %s: ", f->name);
	if (f->integration)
		buf_puts(&b, "integration");
	for (i = 0; i < f->nauthorizers; i++)
		buf_putf(&b, "%s%s", i > 0 || f->integration ? ", " : "",
		    f->authorizers[i]);
	if (f->nroutes > 0) {
		routes = dctx_route_list(f->routes, f->nroutes);
		buf_putf(&b, " of %s", routes);
		free(routes);
	}
	if (custom)
		buf_puts(&b, "; log group from LoggingConfig.LogGroup");
	return (buf_take(&b, NULL));
}

/* Learn the caller's account from a function ARN the caller read. */
static void
dctx_learn_account(struct discover *d, const char *arn)
{
	const char *p = arn;
	size_t field;

	for (field = 0; field < 4 && p != NULL; field++) {
		p = strchr(p, ':');
		if (p != NULL)
			p++;
	}
	if (p == NULL || strncmp(arn, "arn:", 4) != 0 || strlen(p) < 12 ||
	    p[12] != ':' || strspn(p, "0123456789") != 12)
		return;
	d->account = xstrndup(p, 12);
}

/* Is f in the caller's region and account (as far as known)? */
static enum dfunc_where
dctx_func_where(struct discover_op *c, const struct dfunc *f)
{
	struct discover *d = c->d;

	if (f->region != NULL)
		return (DFUNC_OTHER_REGION);
	if (f->account != NULL && d->account != NULL &&
	    strcmp(f->account, d->account) != 0)
		return (DFUNC_OTHER_ACCOUNT);
	return (DFUNC_HERE);
}

/* Ask for the configuration of every function of a pass (0: named
 * without an account, 1: with one) that is in reach. */
static void
dctx_ask_pass(struct discover_op *c, int pass)
{
	struct discover *d = c->d;
	struct dfunc *f;
	struct djob *j;
	char *fname;
	size_t i;

	for (i = 0; i < c->nfuncs; i++) {
		f = &c->funcs[i];
		if ((f->account != NULL) != pass)
			continue;
		f->where = dctx_func_where(c, f);
		if (f->where != DFUNC_HERE)
			continue;
		if (f->account != NULL && d->account == NULL)
			fname = xprintf("arn:%s:lambda:%s:%s:function:%s",
			    f->partition != NULL ? f->partition : "aws",
			    d->region, f->account, f->name);
		else
			fname = xstrdup(f->name);
		j = dctx_job(c, &f->call);
		j->op = lambda_get_config(
		    &d->lam, fname, NULL, &f->cfg, dctx_job_done, j);
		free(fname);
	}
}

/* Turn one function into a source (or a warning); -1 when the run is
 * over (interrupted). */
static int
dctx_resolve(struct discover_op *c, struct dfunc *f)
{
	struct discover *d = c->d;
	struct discover_source *ds;
	char *group, *reason, *routes;
	size_t i;
	int custom = 0, rc = 0;

	routes = dctx_route_list(f->routes, f->nroutes);
	group = NULL;
	switch (f->where) {
	case DFUNC_OTHER_REGION:
		dresult_warn(c->r,
		    "Lambda function %s (%s) is in region %s, not %s: its logs "
		    "are not read (try: apilogs get /aws/lambda/%s "
		    "--aws-region %s)",
		    f->name, routes, f->region, d->region, f->name, f->region);
		goto out;
	case DFUNC_OTHER_ACCOUNT:
		dresult_warn(c->r,
		    "Lambda function %s (%s) is in account %s, not %s: its "
		    "logs are not read",
		    f->name, routes, f->account, d->account);
		goto out;
	case DFUNC_HERE:
		break;
	}
	switch (f->call.err) {
	case RESTJSON_OK:
		group = lambda_log_group(&f->cfg);
		custom = f->cfg.log_group != NULL;
		if (d->account == NULL && f->account == NULL &&
		    f->cfg.arn != NULL)
			dctx_learn_account(d, f->cfg.arn);
		break;
	case RESTJSON_STOPPED:
		dctx_fail(c, "GetFunctionConfiguration", &f->call);
		rc = -1;
		goto out;
	case RESTJSON_NOT_FOUND:
		group = lambda_default_group(f->name);
		dresult_warn(c->r,
		    "Lambda function %s (%s) does not exist; watching its "
		    "default log group %s",
		    f->name, routes, group);
		break;
	default:
		group = lambda_default_group(f->name);
		dresult_warn(c->r,
		    "cannot read the configuration of Lambda function %s (%s); "
		    "assuming log group %s",
		    f->name, f->call.desc, group);
		break;
	}
	reason = dctx_func_reason(f, custom);
	ds = dctx_add_source(c, group,
	    f->integration ? DISCOVER_ROLE_LAMBDA : DISCOVER_ROLE_AUTHORIZER,
	    f->name, reason, 1);
	if (ds->function == NULL) /* merged into the API's own log */
		ds->function = xstrdup(f->name);
	for (i = 0; i < f->nroutes; i++)
		dctx_add_unique(&ds->routes, &ds->nroutes, f->routes[i]);
	free(reason);
out:
	free(group);
	free(routes);
	return (rc);
}

/* Turn the functions of a pass into sources, in the order noted. */
static int
dctx_resolve_pass(struct discover_op *c, int pass)
{
	size_t i;

	for (i = 0; i < c->nfuncs; i++) {
		if ((c->funcs[i].account != NULL) != pass)
			continue;
		if (dctx_resolve(c, &c->funcs[i]) != 0)
			return (-1);
	}
	return (0);
}

/* The second pass answered: the run is over. */
static void
dctx_resolve_done(struct discover_op *c)
{
	(void)dctx_resolve_pass(c, 1);
}

/* The first pass answered: its functions (in the caller's account)
 * may have told the account, which the second pass needs. */
static void
dctx_resolve_first(struct discover_op *c)
{
	if (dctx_resolve_pass(c, 0) != 0)
		return;
	dctx_ask_pass(c, 1);
	c->next = dctx_resolve_done;
}

/* Resolve every noted function; see discover_int.h. Functions named
 * without an account first: they are in the caller's, which their ARN
 * then tells. */
void
dctx_resolve_start(struct discover_op *c)
{
	dctx_ask_pass(c, 0);
	c->next = dctx_resolve_first;
}

/* Free the noted functions; see discover_int.h. */
void
dctx_funcs_free(struct discover_op *c)
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
		lambda_config_free(&f->cfg);
		free(f->call.desc);
	}
	free(c->funcs);
	c->funcs = NULL;
	c->nfuncs = 0;
}

/* API discovery: Lambda references, stage variables and log groups. */

#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/xmalloc.h"
#include "discover/apiuri.h"
#include "discover/discover_int.h"
#include "discover/lambda.h"
#include "logs/source.h"

#define DISCOVER_REASON_ROUTES 3 /* routes named in a reason */

/* Find or add the function a parsed URI names. */
static struct dfunc *
dctx_func(struct dctx *c, const struct apiuri_lambda *l)
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
dctx_substitute(struct dctx *c, const char *uri, const struct restjson_map *m,
    const char *what, int warn)
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
			dctx_warn(c, "%s: cannot read the URI '%s': %s", what,
			    uri, cause);
		free(cause);
	} else if (nmissing > 0) {
		if (warn)
			dctx_warn(c,
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
dctx_add_lambda(struct dctx *c, const char *uri, const char *what,
    char *const *routes, size_t nroutes, const char *authorizer,
    const char *suffix)
{
	struct apiuri_lambda l;
	struct dfunc *f;
	char *cause = NULL, *rt;
	size_t i;

	switch (apiuri_parse_lambda(uri, &l, &cause)) {
	case APIURI_MALFORMED:
		dctx_warn(c, "%s: cannot read the Lambda URI '%s': %s", what,
		    uri, cause);
		free(cause);
		return;
	case APIURI_NOT_LAMBDA:
		dctx_note(c, "%s: '%s' is not a Lambda function", what, uri);
		return;
	case APIURI_LAMBDA:
		break;
	}
	if (l.unresolved) {
		dctx_warn(c,
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
dctx_add_uri(struct dctx *c, const char *uri, const char *what,
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

/* Resolve one function into a source; -1 when interrupted. */
static int
dctx_resolve(struct dctx *c, struct dfunc *f)
{
	struct discover *d = c->d;
	struct discover_source *ds;
	struct lambda_config cfg;
	struct aws_result res;
	char *fname, *group, *reason, *routes, *desc;
	size_t i;
	int custom = 0, rc = 0;

	routes = dctx_route_list(f->routes, f->nroutes);
	if (f->region != NULL) {
		dctx_warn(c,
		    "Lambda function %s (%s) is in region %s, not %s: its logs "
		    "are not read (try: apilogs get /aws/lambda/%s "
		    "--aws-region %s)",
		    f->name, routes, f->region, d->region, f->name, f->region);
		goto out;
	}
	if (f->account != NULL && d->account != NULL &&
	    strcmp(f->account, d->account) != 0) {
		dctx_warn(c,
		    "Lambda function %s (%s) is in account %s, not %s: its "
		    "logs are not read",
		    f->name, routes, f->account, d->account);
		goto out;
	}
	if (f->account != NULL && d->account == NULL)
		fname = xprintf("arn:%s:lambda:%s:%s:function:%s",
		    f->partition != NULL ? f->partition : "aws", d->region,
		    f->account, f->name);
	else
		fname = xstrdup(f->name);
	if (lambda_get_config(&d->lam, fname, NULL, &cfg, &res) == 0) {
		group = lambda_log_group(&cfg);
		custom = cfg.log_group != NULL;
		if (d->account == NULL && f->account == NULL && cfg.arn != NULL)
			dctx_learn_account(d, cfg.arn);
	} else if (res.status == AWS_ERR_STOPPED) {
		rc = dctx_fail(c, "GetFunctionConfiguration", &res);
		group = NULL;
	} else {
		group = lambda_default_group(f->name);
		if (restjson_not_found(&res))
			dctx_warn(c,
			    "Lambda function %s (%s) does not exist; watching "
			    "its default log group %s",
			    f->name, routes, group);
		else {
			desc = aws_result_describe(&res);
			dctx_warn(c,
			    "cannot read the configuration of Lambda function "
			    "%s (%s); assuming log group %s",
			    f->name, desc, group);
			free(desc);
		}
	}
	aws_result_free(&res);
	lambda_config_free(&cfg);
	free(fname);
	if (group == NULL)
		goto out;
	reason = dctx_func_reason(f, custom);
	ds = dctx_add_source(c, group,
	    f->integration ? DISCOVER_ROLE_LAMBDA : DISCOVER_ROLE_AUTHORIZER,
	    f->name, reason, 1);
	if (ds->function == NULL) /* merged into the API's own log */
		ds->function = xstrdup(f->name);
	for (i = 0; i < f->nroutes; i++)
		dctx_add_unique(&ds->routes, &ds->nroutes, f->routes[i]);
	free(reason);
	free(group);
out:
	free(routes);
	return (rc);
}

/* Resolve every noted function; see discover_int.h. */
int
dctx_resolve_functions(struct dctx *c)
{
	size_t i;
	int pass;

	/* Functions named without an account first: they are in the
	 * caller's, which their ARN then tells. */
	for (pass = 0; pass < 2; pass++) {
		for (i = 0; i < c->nfuncs; i++) {
			if ((c->funcs[i].account != NULL) != pass)
				continue;
			if (dctx_resolve(c, &c->funcs[i]) != 0)
				return (-1);
		}
	}
	return (0);
}

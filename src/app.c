/* The run context of a command. */

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "app.h"
#include "cli.h"
#include "loop.h"
#include "msg.h"
#include "xmalloc.h"

struct app_static_creds {
	struct aws_creds creds;
};

static void
app_trace(void *arg, int level, const char *msg)
{
	(void)arg;
	verbosef(level, "%s", msg);
}

static int
app_get_static(void *arg, const struct aws_creds **out, char **cause)
{
	struct app_static_creds *s = arg;

	(void)cause;
	*out = &s->creds;
	return (0);
}

static const char *
app_env(const char *name)
{
	const char *v = getenv(name);

	return (v != NULL && *v != '\0' ? v : NULL);
}

/* Resolve everything a command needs; see app.h. */
int
app_init(struct app *a, struct opts *o, char **cause, int *exit_code)
{
	struct app_static_creds *s;
	const char *ak, *sk, *tok, *v;

	memset(a, 0, sizeof *a);
	a->o = o;
	a->loop = loop_new(NULL);
	loop_catch_signals(a->loop);
	a->ctx.loop = a->loop;
	a->ctx.trace = app_trace;
	a->ctx.verbosity = o->verbose;
	a->ctx.connect_timeout_ms = o->connect_timeout_ms;
	a->ctx.read_timeout_ms = o->read_timeout_ms;
	a->ctx.max_attempts = 3;
	v = app_env("AWS_MAX_ATTEMPTS");
	if (v != NULL && atoi(v) > 0 && atoi(v) <= 20)
		a->ctx.max_attempts = atoi(v);
	a->ctx.rng = (uint64_t)time(NULL) ^ ((uint64_t)getpid() << 32);

	if (o->region != NULL)
		a->region = xstrdup(o->region);
	else if (app_env("AWS_REGION") != NULL)
		a->region = xstrdup(app_env("AWS_REGION"));
	else if (app_env("AWS_DEFAULT_REGION") != NULL)
		a->region = xstrdup(app_env("AWS_DEFAULT_REGION"));
	if (a->region == NULL) {
		*cause = xstrdup("no region: pass --aws-region or set "
				 "AWS_REGION");
		*exit_code = EXIT_CREDS;
		return (-1);
	}
	verbosef(1, "region %s", a->region);

	if (o->access_key != NULL || o->secret_key != NULL) {
		ak = o->access_key;
		sk = o->secret_key;
		tok = o->session_token;
		v = "command line";
	} else {
		ak = app_env("AWS_ACCESS_KEY_ID");
		sk = app_env("AWS_SECRET_ACCESS_KEY");
		tok = app_env("AWS_SESSION_TOKEN");
		if (tok == NULL)
			tok = app_env("AWS_SECURITY_TOKEN");
		v = "env";
	}
	if (ak == NULL || sk == NULL) {
		*cause = xstrdup(
		    "no credentials found (set "
		    "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or use "
		    "--profile)");
		*exit_code = EXIT_CREDS;
		return (-1);
	}
	s = xcalloc(1, sizeof *s);
	s->creds.access_key = xstrdup(ak);
	s->creds.secret_key = xstrdup(sk);
	s->creds.session_token = tok ? xstrdup(tok) : NULL;
	s->creds.provider = v;
	a->creds = s;
	a->ctx.get_creds = app_get_static;
	a->ctx.creds_arg = s;
	verbosef(1, "credentials from %s", v);
	return (0);
}

/* Free the run context. */
void
app_free(struct app *a)
{
	struct app_static_creds *s = a->creds;
	int i;

	for (i = 0; i < AWS_NSERVICES; i++)
		aws_client_free(a->clients[i]);
	if (s != NULL) {
		explicit_bzero(
		    s->creds.secret_key, strlen(s->creds.secret_key));
		if (s->creds.session_token != NULL)
			explicit_bzero(s->creds.session_token,
			    strlen(s->creds.session_token));
		free(s->creds.access_key);
		free(s->creds.secret_key);
		free(s->creds.session_token);
		free(s);
	}
	loop_free(a->loop);
	free(a->region);
	free(a->profile);
	memset(a, 0, sizeof *a);
}

/* The endpoint URL of a service. Caller frees. */
static char *
app_endpoint(struct app *a, enum aws_service svc)
{
	const struct aws_service_info *si = aws_service_info(svc);
	const char *v;
	char name[64];

	if (a->o->endpoint_url != NULL)
		return (xstrdup(a->o->endpoint_url));
	snprintf(name, sizeof name, "AWS_ENDPOINT_URL_%s", si->env_id);
	v = app_env(name);
	if (v == NULL)
		v = app_env("AWS_ENDPOINT_URL");
	if (v != NULL)
		return (xstrdup(v));
	return (xprintf("https://%s.%s.amazonaws.com%s", si->endpoint_prefix,
	    a->region, strncmp(a->region, "cn-", 3) == 0 ? ".cn" : ""));
}

/* The client of a service; see app.h. */
struct aws_client *
app_client(struct app *a, enum aws_service svc, char **cause)
{
	char *url;
	int rc;

	if (a->clients[svc] != NULL)
		return (a->clients[svc]);
	url = app_endpoint(a, svc);
	rc = aws_client_new(
	    &a->clients[svc], &a->ctx, svc, a->region, url, cause);
	if (rc == 0)
		verbosef(1, "%s endpoint %s", aws_service_info(svc)->name, url);
	free(url);
	return (rc == 0 ? a->clients[svc] : NULL);
}

/* The exit code for a failed AWS call. */
int
app_exit_code(const struct aws_result *r)
{
	if (r->status == AWS_ERR_CREDS || aws_code_is_access(r->code))
		return (EXIT_CREDS);
	if (r->status == AWS_ERR_STOPPED)
		return (EXIT_OK);
	return (EXIT_AWS);
}

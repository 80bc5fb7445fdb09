/* SPDX-License-Identifier: Apache-2.0 */
/* The run context of a command. */

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "aws/awsconf.h"
#include "aws/config.h"
#include "aws/creds/creds.h"
#include "aws/credsnet.h"
#include "aws/loop.h"
#include "cli/app.h"
#include "cli/cli.h"
#include "cli/msg.h"
#include "core/xmalloc.h"

static void
app_trace(void *arg, int level, const char *msg)
{
	(void)arg;
	verbosef(level, "%s", msg);
}

/* Something the user must see whatever the verbosity. */
static void
app_notice(void *arg, const char *msg)
{
	(void)arg;
	warnf("%s", msg);
}

/* Ask for an MFA code on the terminal, like getpass(). */
static int
app_prompt(void *arg, const char *prompt, char **answer, char **cause)
{
	FILE *tty;
	char *line = NULL;
	size_t size = 0;
	ssize_t n;

	(void)arg;
	tty = fopen("/dev/tty", "r+");
	if (tty == NULL) {
		*cause = xstrdup("an MFA code is needed but there is no "
				 "terminal to ask for it");
		return (-1);
	}
	fputs(prompt, tty);
	fflush(tty);
	n = getline(&line, &size, tty);
	fclose(tty);
	if (n <= 0) {
		free(line);
		*cause = xstrdup("no MFA code given");
		return (-1);
	}
	line[strcspn(line, "\r\n")] = '\0';
	*answer = line;
	return (0);
}

/* Resolve everything a command needs; see app.h. */
int
app_init(struct app *a, struct opts *o, char **cause, int *exit_code)
{
	struct awsconf *conf;
	const struct awsconf_settings *set;
	struct credsnet net;
	struct creds_opts co;
	struct creds_chain *chain;
	char *src, *d;

	memset(a, 0, sizeof *a);
	a->o = o;
	a->loop = loop_new(NULL, cause);
	if (a->loop == NULL) {
		*exit_code = EXIT_AWS;
		return (-1);
	}
	loop_catch_signals(a->loop);
	a->ctx.loop = a->loop;
	a->ctx.trace = app_trace;
	a->ctx.notice = app_notice;
	a->ctx.verbosity = o->verbose;
	a->ctx.connect_timeout_ms = o->connect_timeout_ms;
	a->ctx.read_timeout_ms = o->read_timeout_ms;
	a->ctx.rng = (uint64_t)time(NULL) ^ ((uint64_t)getpid() << 32);
	*exit_code = EXIT_CREDS;

	if (awsconf_load(&conf, o->profile, cause) != 0)
		return (-1);
	a->config = conf;
	set = awsconf_settings(conf);
	a->ctx.max_attempts = set->max_attempts;
	a->ctx.ca_bundle = set->ca_bundle;
	a->profile = xstrdup(awsconf_profile(conf));
	if (config_skipped(awsconf_config(conf)) != NULL)
		verbosef(1, "ignoring unreadable %s",
		    config_skipped(awsconf_config(conf)));
	verbosef(
	    1, "profile %s (%s)", a->profile, awsconf_profile_source(conf));

	memset(&net, 0, sizeof net);
	net.loop = a->loop;
	net.trace = app_trace;
	net.verbosity = o->verbose;
	net.retry_pause_ms = -1;
	if (awsconf_region(conf, o->region, &net, &a->region, &src, cause) != 0)
		return (-1);
	verbosef(1, "region %s (%s)", a->region, src);
	free(src);

	memset(&co, 0, sizeof co);
	co.conf = conf;
	co.loop = a->loop;
	co.region = a->region;
	co.access_key = o->access_key;
	co.secret_key = o->secret_key;
	co.session_token = o->session_token;
	co.prompt = app_prompt;
	co.trace = app_trace;
	co.verbosity = o->verbose;
	co.connect_timeout_ms = o->connect_timeout_ms;
	co.read_timeout_ms = o->read_timeout_ms;
	co.retry_pause_ms = -1;
	if (creds_chain_new(&chain, &co, cause) != 0)
		return (-1);
	a->creds = chain;
	a->ctx.creds = creds_chain_provider_of(chain);
	d = creds_chain_describe(chain);
	verbosef(1, "credentials: %s", d);
	free(d);
	return (0);
}

/* Free the run context. */
void
app_free(struct app *a)
{
	int i;

	for (i = 0; i < AWS_NSERVICES; i++)
		aws_client_free(a->clients[i]);
	creds_chain_free(a->creds);
	awsconf_free(a->config);
	loop_free(a->loop);
	free(a->region);
	free(a->profile);
	memset(a, 0, sizeof *a);
}

/* The client of a service; see app.h. */
struct aws_client *
app_client(struct app *a, enum aws_service svc, char **cause)
{
	char *url, *src;
	int rc;

	if (a->clients[svc] != NULL)
		return (a->clients[svc]);
	if (awsconf_endpoint(a->config, svc, a->region, a->o->endpoint_url,
		&url, &src, cause) != 0)
		return (NULL);
	rc = aws_client_new(
	    &a->clients[svc], &a->ctx, svc, a->region, url, cause);
	if (rc == 0)
		a->clients[svc]->default_endpoint = strcmp(src, "default") == 0;
	if (rc == 0)
		verbosef(1, "%s endpoint %s (%s)", aws_service_info(svc)->name,
		    url, src);
	free(url);
	free(src);
	return (rc == 0 ? a->clients[svc] : NULL);
}

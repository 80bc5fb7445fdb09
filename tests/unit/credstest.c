/* SPDX-License-Identifier: Apache-2.0 */
/* Credential-chain test helpers. */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "credstest.h"
#include "fakehttp.h"
#include "testmain.h"
#include "tmphome.h"

#include "aws/awsconf.h"
#include "aws/config.h"
#include "aws/cred.h"
#include "aws/loop.h"

int64_t credstest_now = 1750000000000LL; /* 2025-06-15T15:06:40Z */
/* The monotonic reading: another origin, so that a deadline taken from
 * the wrong reading shows. */
int64_t credstest_mono = CREDSTEST_MONO0;

static int64_t
credstest_clock_now(void *arg)
{
	(void)arg;
	return (credstest_now);
}

static int64_t
credstest_clock_mono(void *arg)
{
	(void)arg;
	return (credstest_mono);
}

/* Virtual time: the loop moves the clock (monotonic time to_ms, the wall
 * clock as far) instead of sleeping. */
static void
credstest_clock_advance(void *arg, int64_t to_ms)
{
	(void)arg;
	if (to_ms > credstest_mono) {
		credstest_now += to_ms - credstest_mono;
		credstest_mono = to_ms;
	}
}

/* Time passes; see credstest.h. */
void
credstest_advance(int64_t ms)
{
	credstest_now += ms;
	credstest_mono += ms;
}

/* Time passes until wall time wall_ms; see credstest.h. */
void
credstest_advance_to(int64_t wall_ms)
{
	credstest_advance(wall_ms - credstest_now);
}

static const struct clock credstest_clock = {.now_ms = credstest_clock_now,
    .advance = credstest_clock_advance,
    .mono_ms = credstest_clock_mono};

/* Collect trace lines. */
static void
credstest_trace(void *arg, int level, const char *msg)
{
	struct credstest *t = arg;

	buf_putf(&t->trace, "%d %s\n", level, msg);
}

/* Answer MFA prompts with "123456". */
static int
credstest_prompt(void *arg, const char *prompt, char **answer, char **cause)
{
	struct credstest *t = arg;

	(void)cause;
	t->prompts++;
	snprintf(t->last_prompt, sizeof t->last_prompt, "%s", prompt);
	*answer = strdup("123456");
	return (0);
}

/* A fresh HOME with these files. */
void
credstest_home(const char *config, const char *credentials)
{
	tmphome_begin();
	credstest_now = 1750000000000LL;
	credstest_mono = CREDSTEST_MONO0;
	fakehttp_reset();
	if (config != NULL)
		free(tmphome_write(".aws/config", config, 0600));
	if (credentials != NULL)
		free(tmphome_write(".aws/credentials", credentials, 0600));
}

/* Build the chain. */
int
credstest_chain(struct credstest *t, const char *flag_profile, char **cause)
{
	memset(t, 0, sizeof *t);
	buf_init(&t->trace, BUF_NOCAP);
	t->loop = loop_new(&credstest_clock, NULL);
	if (config_load(&t->cfg, cause) != 0)
		return (-1);
	if (awsconf_new(&t->conf, t->cfg, flag_profile, cause) != 0)
		return (-1);
	t->opts.conf = t->conf;
	t->opts.loop = t->loop;
	t->opts.region = "us-east-1";
	t->opts.prompt = credstest_prompt;
	t->opts.prompt_arg = t;
	t->opts.trace = credstest_trace;
	t->opts.trace_arg = t;
	t->opts.verbosity = 3;
	t->opts.transport = fakehttp_transport;
	t->opts.retry_pause_ms = -1; /* 1 s, in virtual time */
	return (creds_chain_new(&t->chain, &t->opts, cause));
}

/* Build the chain or fail. */
void
credstest_chain_ok(struct credstest *t, const char *flag_profile)
{
	char *cause = NULL;

	if (credstest_chain(t, flag_profile, &cause) != 0)
		fail_msg("chain: %s", cause);
}

/* Credentials or fail. */
const struct aws_creds *
credstest_get(struct credstest *t)
{
	const struct aws_creds *c;
	char *cause = NULL;

	if (creds_chain_get_sync(t->chain, &c, &cause) != 0)
		fail_msg("get: %s", cause);
	return (c);
}

/* An expected error. */
char *
credstest_get_err(struct credstest *t)
{
	const struct aws_creds *c = NULL;
	char *cause = NULL;

	assert_int_equal(creds_chain_get_sync(t->chain, &c, &cause), -1);
	assert_non_null(cause);
	assert_null(strchr(cause, '\n'));
	return (cause);
}

/* Let a background refresh end. */
void
credstest_settle(struct credstest *t)
{
	loop_run_until(t->loop, NULL);
}

/* Free the test objects. */
void
credstest_free(struct credstest *t)
{
	creds_chain_free(t->chain);
	awsconf_free(t->conf);
	config_free(t->cfg);
	loop_free(t->loop);
	buf_free(&t->trace);
	memset(t, 0, sizeof *t);
}

/* An STS response. Caller frees. */
char *
credstest_sts_xml(const char *action, const char *ak, const char *sk,
    const char *token, int64_t expires_ms)
{
	char *exp, *xml;
	size_t n;

	exp = cred_time_format(expires_ms, "Z");
	n = 1024 + strlen(token);
	xml = malloc(n);
	snprintf(xml, n,
	    "<%sResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">"
	    "<%sResult><AssumedRoleUser><AssumedRoleId>AROAEXAMPLE:s"
	    "</AssumedRoleId><Arn>arn:aws:sts::111122223333:assumed-role/r/s"
	    "</Arn></AssumedRoleUser><Credentials><AccessKeyId>%s"
	    "</AccessKeyId><SecretAccessKey>%s</SecretAccessKey>"
	    "<SessionToken>%s</SessionToken><Expiration>%s</Expiration>"
	    "</Credentials></%sResult><ResponseMetadata><RequestId>x"
	    "</RequestId></ResponseMetadata></%sResponse>",
	    action, action, ak, sk, token, exp, action, action);
	free(exp);
	return (xml);
}

/* An executable script under HOME. Caller frees the path. */
char *
credstest_script(const char *rel, const char *body)
{
	char *text, *path;
	size_t n = strlen(body) + 32;

	text = malloc(n);
	snprintf(text, n, "#!/bin/sh\n%s", body);
	path = tmphome_write(rel, text, 0700);
	free(text);
	return (path);
}

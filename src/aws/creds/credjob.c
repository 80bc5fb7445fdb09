/* SPDX-License-Identifier: Apache-2.0 */
/* One fetch of a source's credentials (see credjob.h). */

#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "aws/awsconf.h"
#include "aws/cred.h"
#include "aws/creds/container.h"
#include "aws/creds/credcache.h"
#include "aws/creds/credfetch.h"
#include "aws/creds/credjob.h"
#include "aws/creds/credproc.h"
#include "aws/creds/credsrc.h"
#include "aws/creds/sso.h"
#include "aws/creds/sts.h"
#include "aws/credsnet.h"
#include "aws/imds.h"
#include "core/buf.h"
#include "core/file.h"
#include "core/xmalloc.h"

/* What IMDS having no role means at the end of the chain. */
static const char credjob_none[] =
    "unable to locate credentials: none in the environment, the profile, "
    "the container endpoint or EC2 instance metadata";

struct credjob {
	struct credsrc *s;
	char *cache_key; /* where the result goes, or NULL */
	struct sts_op *sts;
	struct sso_op *sso;
	struct container_op *container;
	struct imds_op *imds;
	struct credproc_op *proc;
	cred_done_cb done;
	void *arg;
};

/* Wipe and free a string. */
static void
credjob_wipe(char *s)
{
	if (s != NULL) {
		OPENSSL_cleanse(s, strlen(s));
		free(s);
	}
}

/* Cancel a job; see credjob.h. */
void
credjob_cancel(struct credjob *j)
{
	if (j == NULL)
		return;
	sts_op_cancel(j->sts);
	sso_op_cancel(j->sso);
	container_op_cancel(j->container);
	imds_op_cancel(j->imds);
	credproc_op_cancel(j->proc);
	free(j->cache_key);
	free(j);
}

/* The metadata-request context of the chain. */
static void
credjob_net(const struct credsrc *s, struct credsnet *net)
{
	memset(net, 0, sizeof *net);
	net->loop = s->opts->loop;
	net->transport = s->opts->transport;
	net->trace = s->opts->trace;
	net->trace_arg = s->opts->trace_arg;
	net->verbosity = s->opts->verbosity;
	net->retry_pause_ms = s->opts->retry_pause_ms;
}

/* An aws_ctx for STS or SSO calls made for s, signed with the
 * credentials of source (asked for like any provider's) when not NULL. */
static void
credjob_ctx(
    const struct credsrc *s, struct aws_ctx *ctx, struct credsrc *source)
{
	const struct awsconf_settings *set = awsconf_settings(s->opts->conf);

	memset(ctx, 0, sizeof *ctx);
	ctx->loop = s->opts->loop;
	if (source != NULL)
		ctx->creds = credfetch_provider_of(source);
	ctx->trace = s->opts->trace;
	ctx->trace_arg = s->opts->trace_arg;
	ctx->verbosity = s->opts->verbosity;
	ctx->max_attempts = set->max_attempts;
	ctx->connect_timeout_ms = s->opts->connect_timeout_ms;
	ctx->read_timeout_ms = s->opts->read_timeout_ms;
	ctx->ca_bundle =
	    s->opts->ca_bundle != NULL ? s->opts->ca_bundle : set->ca_bundle;
	ctx->transport = s->opts->transport;
}

/* The endpoint of STS or SSO (the --endpoint-url flag does not apply). */
static int
credjob_endpoint(const struct credsrc *s, enum aws_service svc,
    const char *region, char **url, char **cause)
{
	char *src;

	if (awsconf_endpoint(
		s->opts->conf, svc, region, NULL, url, &src, cause) != 0)
		return (-1);
	credfetch_trace(s, 2, "credentials: %s endpoint %s (%s)",
	    aws_service_info(svc)->name, *url, src);
	free(src);
	return (0);
}

/* The credentials in the environment (EnvProvider). */
static int
credjob_env(struct aws_creds *out, char **cause)
{
	const char *ak, *sk, *tok, *exp, *acct;
	int64_t ms = 0;

	ak = getenv("AWS_ACCESS_KEY_ID");
	sk = getenv("AWS_SECRET_ACCESS_KEY");
	if (ak == NULL || *ak == '\0' || sk == NULL || *sk == '\0') {
		*cause = xprintf("partial credentials found in env, missing: "
				 "%s",
		    ak == NULL || *ak == '\0' ? "AWS_ACCESS_KEY_ID"
					      : "AWS_SECRET_ACCESS_KEY");
		return (-1);
	}
	tok = getenv("AWS_SECURITY_TOKEN");
	if (tok == NULL || *tok == '\0')
		tok = getenv("AWS_SESSION_TOKEN");
	exp = getenv("AWS_CREDENTIAL_EXPIRATION");
	if (exp != NULL && *exp != '\0' && cred_time_parse(exp, &ms) != 0) {
		*cause = xstrdup("AWS_CREDENTIAL_EXPIRATION is not an ISO 8601 "
				 "time");
		return (-1);
	}
	acct = getenv("AWS_ACCOUNT_ID");
	cred_set(out, ak, sk, tok, acct);
	out->expires_ms = ms;
	return (0);
}

/* Save fresh STS or SSO credentials for the aws command to reuse. */
static void
credjob_store(
    const struct credsrc *s, const char *key, struct credcache_entry *e)
{
	char *why = NULL;

	if (credcache_store(key, e, &why) != 0) {
		credfetch_trace(
		    s, 1, "credentials: cannot write the cache: %s", why);
		free(why);
	}
}

/* Ask for the MFA code of an assume-role source (a blocking terminal
 * read, which does not run the loop). */
static int
credjob_mfa(struct credsrc *s, char **code, char **cause)
{
	char *prompt;
	int rc;

	if (s->mfa_used) {
		*cause = xprintf("cannot refresh credentials: MFA token "
				 "required (profile %s, %s)",
		    s->profile, s->mfa_serial);
		return (-1);
	}
	if (s->opts->prompt == NULL) {
		*cause = xprintf("profile %s needs an MFA code for %s, but "
				 "there is no terminal to ask for it",
		    s->profile, s->mfa_serial);
		return (-1);
	}
	prompt = xprintf("Enter MFA code for %s: ", s->mfa_serial);
	rc = s->opts->prompt(s->opts->prompt_arg, prompt, code, cause);
	free(prompt);
	if (rc == 0)
		s->mfa_used = 1;
	return (rc);
}

/* Read a web identity token file (its content is sent as is). */
static char *
credjob_token_file(const char *path, char **cause)
{
	struct buf b;
	char *why = NULL, *tok;

	buf_init(&b, 64 * 1024);
	if (file_read(path, &b, NULL, &why) != 0) {
		*cause = xprintf("web identity token file %s", why);
		free(why);
		file_wipe(&b);
		return (NULL);
	}
	tok = xstrdup(buf_str(&b));
	file_wipe(&b);
	return (tok);
}

/* STS answered: cache the result and end the job. */
static void
credjob_on_sts(void *arg, struct sts_result *res, const char *cause)
{
	struct credjob *j = arg;
	struct credcache_entry e;

	j->sts = NULL;
	if (res != NULL) {
		memset(&e, 0, sizeof e);
		e.creds = &res->creds;
		e.exp_suffix = "UTC";
		e.role_arn = res->role_arn;
		e.role_id = res->role_id;
		credjob_store(j->s, j->s->cache_key, &e);
		j->done(j->arg, 0, &res->creds, NULL);
	} else
		j->done(j->arg, -1, NULL, cause);
	credjob_cancel(j);
}

/* AssumeRole or AssumeRoleWithWebIdentity, through the CLI cache. */
static int
credjob_sts(struct credsrc *s, int64_t now, struct aws_creds *out,
    struct credjob *j, char **cause)
{
	struct sts_request req;
	struct aws_ctx ctx;
	const char *region;
	char *url = NULL, *code = NULL, *tok = NULL;
	int rc = -1;

	if (credcache_load(s->cache_key, now, out) == 0) {
		credfetch_trace(s, 2, "credentials: %s %s from the cache %s",
		    s->provider, s->role_arn, s->cache_key);
		return (0);
	}
	memset(&req, 0, sizeof req);
	req.role_arn = s->role_arn;
	req.session_name = s->session_name;
	req.external_id = s->external_id;
	req.duration = s->duration;
	req.has_duration = s->has_duration;
	if (s->kind == CREDSRC_WEB) {
		tok = credjob_token_file(s->token_file, cause);
		if (tok == NULL)
			goto out;
		req.web_identity = tok;
	} else if (s->mfa_serial != NULL) {
		req.serial = s->mfa_serial;
		if (credjob_mfa(s, &code, cause) != 0)
			goto out;
		req.token_code = code;
	}
	region = s->opts->region != NULL ? s->opts->region : "us-east-1";
	if (credjob_endpoint(s, AWS_STS, region, &url, cause) != 0)
		goto out;
	credjob_ctx(s, &ctx, s->kind == CREDSRC_WEB ? NULL : s->source);
	if (sts_assume_start(&ctx, region, url, &req, credjob_on_sts, j,
		&j->sts, cause) != 0)
		goto out;
	rc = 1;
out:
	credjob_wipe(code);
	credjob_wipe(tok);
	free(url);
	return (rc);
}

/* A provider's fetch ended: cache SSO results, name IMDS's "none". */
static void
credjob_on_creds(void *arg, int rc, struct aws_creds *c, const char *cause)
{
	struct credjob *j = arg;
	struct credcache_entry e;

	j->sso = NULL;
	j->container = NULL;
	j->imds = NULL;
	j->proc = NULL;
	if (rc == 0 && j->cache_key != NULL) {
		memset(&e, 0, sizeof e);
		e.creds = c;
		e.exp_suffix = "Z";
		e.provider_type = "sso";
		credjob_store(j->s, j->cache_key, &e);
	}
	if (rc == 1) {
		rc = -1;
		cause = credjob_none;
	}
	j->done(j->arg, rc, c, cause);
	credjob_cancel(j);
}

/* SSO GetRoleCredentials, through the CLI cache. */
static int
credjob_sso(struct credsrc *s, int64_t now, struct aws_creds *out,
    struct credjob *j, char **cause)
{
	struct sso_profile p;
	struct aws_ctx ctx;
	char *token = NULL, *url = NULL;
	int rc = -1;

	p.profile = s->profile;
	p.session = s->sso_session;
	p.start_url = s->sso_start_url;
	p.region = s->sso_region;
	p.account_id = s->sso_account;
	p.role_name = s->sso_role;
	j->cache_key = sso_cache_key(&p);
	if (credcache_load(j->cache_key, now, out) == 0) {
		credfetch_trace(
		    s, 2, "credentials: sso from the cache %s", j->cache_key);
		return (0);
	}
	if (sso_token(&p, now, &token, cause) != 0)
		goto out;
	if (credjob_endpoint(s, AWS_SSO, p.region, &url, cause) != 0)
		goto out;
	credjob_ctx(s, &ctx, NULL);
	if (sso_role_credentials_start(
		&ctx, url, &p, token, credjob_on_creds, j, &j->sso, cause) != 0)
		goto out;
	rc = 1;
out:
	credjob_wipe(token);
	free(url);
	return (rc);
}

/* Start the fetch of s's kind. */
static int
credjob_kind(struct credsrc *s, int64_t now, struct aws_creds *out,
    struct credjob *j, char **cause)
{
	struct credsnet net;
	int rc;

	switch (s->kind) {
	case CREDSRC_STATIC:
		cred_copy(out, &s->cur);
		return (0);
	case CREDSRC_ENV:
		return (credjob_env(out, cause));
	case CREDSRC_PROCESS:
		rc = credproc_start(s->opts->loop, s->process, s->account_id,
		    credjob_on_creds, j, &j->proc, cause);
		return (rc == 0 ? 1 : -1);
	case CREDSRC_ASSUME:
	case CREDSRC_WEB:
		return (credjob_sts(s, now, out, j, cause));
	case CREDSRC_SSO:
		return (credjob_sso(s, now, out, j, cause));
	case CREDSRC_CONTAINER:
		credjob_net(s, &net);
		rc = container_start(
		    &net, credjob_on_creds, j, &j->container, cause);
		return (rc == 0 ? 1 : -1);
	case CREDSRC_IMDS:
		credjob_net(s, &net);
		rc = imds_credentials_start(&net,
		    &awsconf_settings(s->opts->conf)->imds, credjob_on_creds, j,
		    &j->imds, cause);
		if (rc == 1)
			*cause = xstrdup(credjob_none);
		return (rc == 0 ? 1 : -1);
	}
	*cause = xstrdup("unknown credential source");
	return (-1);
}

/* Start a fetch; see credjob.h. */
int
credjob_start(struct credsrc *s, int64_t now, struct aws_creds *out,
    cred_done_cb done, void *arg, struct credjob **job, char **cause)
{
	struct credjob *j;
	int rc;

	*job = NULL;
	j = xcalloc(1, sizeof *j);
	j->s = s;
	j->done = done;
	j->arg = arg;
	rc = credjob_kind(s, now, out, j, cause);
	if (rc != 1) {
		credjob_cancel(j);
		return (rc);
	}
	*job = j;
	return (1);
}

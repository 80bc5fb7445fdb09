/* Fetch and refresh the credentials of one source (see credfetch.h). */

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "aws/awsconf.h"
#include "aws/cred.h"
#include "aws/creds/container.h"
#include "aws/creds/credcache.h"
#include "aws/creds/credfetch.h"
#include "aws/creds/credproc.h"
#include "aws/creds/credsrc.h"
#include "aws/creds/sso.h"
#include "aws/creds/sts.h"
#include "aws/credsnet.h"
#include "aws/imds.h"
#include "aws/loop.h"
#include "core/buf.h"
#include "core/file.h"
#include "core/xmalloc.h"

static void credfetch_trace(const struct credsrc *s, int level, const char *fmt,
    ...) __attribute__((format(printf, 3, 4)));

/* A trace line through the chain's callback. */
static void
credfetch_trace(const struct credsrc *s, int level, const char *fmt, ...)
{
	va_list ap;
	char *msg;

	if (s->opts->trace == NULL || s->opts->verbosity < level)
		return;
	va_start(ap, fmt);
	xvasprintf(&msg, fmt, ap);
	va_end(ap);
	s->opts->trace(s->opts->trace_arg, level, msg);
	free(msg);
}

/* The metadata-request context of the chain. */
static void
credfetch_net(const struct credsrc *s, struct credsnet *net)
{
	memset(net, 0, sizeof *net);
	net->loop = s->opts->loop;
	net->transport = s->opts->transport;
	net->trace = s->opts->trace;
	net->trace_arg = s->opts->trace_arg;
	net->verbosity = s->opts->verbosity;
	net->retry_pause_ms = s->opts->retry_pause_ms;
}

static int credfetch_source_cb(void *, const struct aws_creds **, aws_ready_cb,
    void *, uint64_t *, char **);

/* An aws_ctx for STS or SSO calls made for s. */
static void
credfetch_ctx(
    const struct credsrc *s, struct aws_ctx *ctx, struct credsrc *source)
{
	const struct awsconf_settings *set = awsconf_settings(s->opts->conf);

	memset(ctx, 0, sizeof *ctx);
	ctx->loop = s->opts->loop;
	if (source != NULL) {
		ctx->creds.get = credfetch_source_cb;
		ctx->creds.arg = source;
	}
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
credfetch_endpoint(const struct credsrc *s, enum aws_service svc,
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
credfetch_env(struct aws_creds *out, char **cause)
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

/* The source's credentials, for signing its AssumeRole call. */
static int
credfetch_source_cb(void *arg, const struct aws_creds **out, aws_ready_cb ready,
    void *ready_arg, uint64_t *wait, char **cause)
{
	(void)ready;
	(void)ready_arg;
	*wait = 0;
	return (credfetch_get(arg, out, cause));
}

/* Save fresh STS or SSO credentials for the aws command to reuse. */
static void
credfetch_store(
    const struct credsrc *s, const char *key, struct credcache_entry *e)
{
	char *why = NULL;

	if (credcache_store(key, e, &why) != 0) {
		credfetch_trace(
		    s, 1, "credentials: cannot write the cache: %s", why);
		free(why);
	}
}

/* Ask for the MFA code of an assume-role source. */
static int
credfetch_mfa(struct credsrc *s, char **code, char **cause)
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
credfetch_token_file(const char *path, char **cause)
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

/* AssumeRole or AssumeRoleWithWebIdentity, through the CLI cache. */
static int
credfetch_sts(
    struct credsrc *s, int64_t now, struct aws_creds *out, char **cause)
{
	struct sts_request req;
	struct sts_result res;
	struct aws_ctx ctx;
	struct credcache_entry e;
	const char *region;
	char *url = NULL, *code = NULL, *tok = NULL;
	int rc = -1;

	memset(&res, 0, sizeof res);
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
		tok = credfetch_token_file(s->token_file, cause);
		if (tok == NULL)
			goto out;
		req.web_identity = tok;
	} else if (s->mfa_serial != NULL) {
		req.serial = s->mfa_serial;
		if (credfetch_mfa(s, &code, cause) != 0)
			goto out;
		req.token_code = code;
	}
	region = s->opts->region != NULL ? s->opts->region : "us-east-1";
	if (credfetch_endpoint(s, AWS_STS, region, &url, cause) != 0)
		goto out;
	credfetch_ctx(s, &ctx, s->kind == CREDSRC_WEB ? NULL : s->source);
	if (sts_assume(&ctx, region, url, &req, &res, cause) != 0)
		goto out;
	memset(&e, 0, sizeof e);
	e.creds = &res.creds;
	e.exp_suffix = "UTC";
	e.role_arn = res.role_arn;
	e.role_id = res.role_id;
	credfetch_store(s, s->cache_key, &e);
	cred_copy(out, &res.creds);
	rc = 0;
out:
	sts_result_free(&res);
	if (code != NULL) {
		OPENSSL_cleanse(code, strlen(code));
		free(code);
	}
	if (tok != NULL) {
		OPENSSL_cleanse(tok, strlen(tok));
		free(tok);
	}
	free(url);
	return (rc);
}

/* SSO GetRoleCredentials, through the CLI cache. */
static int
credfetch_sso(
    struct credsrc *s, int64_t now, struct aws_creds *out, char **cause)
{
	struct sso_profile p;
	struct aws_ctx ctx;
	struct credcache_entry e;
	char *key, *token = NULL, *url = NULL;
	int rc = -1;

	p.profile = s->profile;
	p.session = s->sso_session;
	p.start_url = s->sso_start_url;
	p.region = s->sso_region;
	p.account_id = s->sso_account;
	p.role_name = s->sso_role;
	key = sso_cache_key(&p);
	if (credcache_load(key, now, out) == 0) {
		credfetch_trace(
		    s, 2, "credentials: sso from the cache %s", key);
		rc = 0;
		goto out;
	}
	if (sso_token(&p, now, &token, cause) != 0)
		goto out;
	if (credfetch_endpoint(s, AWS_SSO, p.region, &url, cause) != 0)
		goto out;
	credfetch_ctx(s, &ctx, NULL);
	if (sso_role_credentials(&ctx, url, &p, token, out, cause) != 0)
		goto out;
	memset(&e, 0, sizeof e);
	e.creds = out;
	e.exp_suffix = "Z";
	e.provider_type = "sso";
	credfetch_store(s, key, &e);
	rc = 0;
out:
	if (token != NULL) {
		OPENSSL_cleanse(token, strlen(token));
		free(token);
	}
	free(url);
	free(key);
	return (rc);
}

/* Fetch new credentials for s, whatever its kind. */
static int
credfetch_fetch(
    struct credsrc *s, int64_t now, struct aws_creds *out, char **cause)
{
	struct credsnet net;
	int rc;

	switch (s->kind) {
	case CREDSRC_STATIC:
		cred_copy(out, &s->cur);
		return (0);
	case CREDSRC_ENV:
		return (credfetch_env(out, cause));
	case CREDSRC_PROCESS:
		return (credproc_run(s->process, s->account_id, out, cause));
	case CREDSRC_ASSUME:
	case CREDSRC_WEB:
		return (credfetch_sts(s, now, out, cause));
	case CREDSRC_SSO:
		return (credfetch_sso(s, now, out, cause));
	case CREDSRC_CONTAINER:
		credfetch_net(s, &net);
		return (container_credentials(&net, out, cause));
	case CREDSRC_IMDS:
		credfetch_net(s, &net);
		rc = imds_credentials(
		    &net, &awsconf_settings(s->opts->conf)->imds, out, cause);
		if (rc == 1)
			*cause = xstrdup(
			    "unable to locate credentials: none "
			    "in the environment, the profile, the container "
			    "endpoint or EC2 instance metadata");
		return (rc == 0 ? 0 : -1);
	}
	*cause = xstrdup("unknown credential source");
	return (-1);
}

/* The current credentials of s; see credfetch.h. */
int
credfetch_get(struct credsrc *s, const struct aws_creds **out, char **cause)
{
	struct aws_creds n;
	char *why = NULL, *when;
	int64_t now, left;

	now = loop_now(s->opts->loop);
	left = s->cur.expires_ms - now;
	if (s->have &&
	    (s->cur.expires_ms == 0 || left >= CREDFETCH_ADVISORY_MS))
		goto ok;
	if (s->have && left > CREDFETCH_FLOOR_MS && now < s->next_try_ms)
		goto ok;
	memset(&n, 0, sizeof n);
	if (credfetch_fetch(s, now, &n, &why) != 0) {
		cred_clear(&n);
		s->next_try_ms = now + CREDFETCH_RETRY_MS;
		if (s->have && left > CREDFETCH_FLOOR_MS) {
			credfetch_trace(s, 1,
			    "credentials: refreshing %s "
			    "failed, the current ones last %lld s more: %s",
			    s->provider, (long long)(left / 1000), why);
			free(why);
			goto ok;
		}
		*cause = why;
		return (-1);
	}
	if (n.expires_ms != 0 && n.expires_ms <= now) {
		cred_clear(&n);
		*cause = xprintf("%s: the credentials it returned have already "
				 "expired",
		    s->provider);
		return (-1);
	}
	cred_clear(&s->cur);
	s->cur = n;
	s->cur.provider = s->provider;
	s->have = 1;
	s->next_try_ms = now + CREDFETCH_PACE_MS;
	if (n.expires_ms != 0) {
		when = cred_time_format(n.expires_ms, "Z");
		credfetch_trace(
		    s, 2, "credentials: %s valid until %s", s->provider, when);
		free(when);
	}
ok:
	s->cur.provider = s->provider;
	*out = &s->cur;
	return (0);
}

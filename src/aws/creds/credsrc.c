/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Resolving the provider chain into a tree of credential sources, like
 * botocore's create_credential_resolver (see credsrc.h). No network here.
 */

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "aws/awsconf.h"
#include "aws/config.h"
#include "aws/cred.h"
#include "aws/creds/container.h"
#include "aws/creds/credcache.h"
#include "aws/creds/credfetch.h"
#include "aws/creds/credsrc.h"
#include "aws/creds/sso.h"
#include "aws/loop.h"
#include "core/buf.h"
#include "core/xmalloc.h"

#define CREDSRC_MAX_DEPTH 64

struct credsrc_ctx {
	const struct creds_opts *opts;
	struct config *cfg;
	const char *visited[CREDSRC_MAX_DEPTH];
	size_t nvisited;
};

static int credsrc_assume(
    struct credsrc_ctx *, const char *, struct credsrc **, char **);

/* A new source of a kind. */
static struct credsrc *
credsrc_new(struct credsrc_ctx *x, enum credsrc_kind kind, const char *provider,
    const char *profile)
{
	struct credsrc *s;

	s = xcalloc(1, sizeof *s);
	s->kind = kind;
	s->provider = provider;
	s->opts = x->opts;
	s->profile = profile != NULL ? xstrdup(profile) : NULL;
	return (s);
}

/* Free a tree of sources, wiping credentials. Accepts NULL. */
void
credsrc_free(struct credsrc *s)
{
	if (s == NULL)
		return;
	/* First this fetch: it may be waiting for its source's. */
	credfetch_stop(s);
	credsrc_free(s->source);
	cred_clear(&s->cur);
	free(s->profile);
	free(s->process);
	free(s->account_id);
	free(s->role_arn);
	free(s->session_name);
	free(s->external_id);
	free(s->mfa_serial);
	free(s->token_file);
	free(s->cache_key);
	free(s->sso_session);
	free(s->sso_start_url);
	free(s->sso_region);
	free(s->sso_account);
	free(s->sso_role);
	free(s);
}

/* A key of a profile (credentials file first). */
static const char *
credsrc_get(struct credsrc_ctx *x, const char *profile, const char *key)
{
	return (config_get(x->cfg, profile, key));
}

/* An environment variable when set and not empty. */
static const char *
credsrc_env(const char *name)
{
	const char *v = getenv(name);

	return (v != NULL && *v != '\0' ? v : NULL);
}

/* Static keys from one file (shared credentials or config file). */
static int
credsrc_file_keys(struct credsrc_ctx *x, enum config_which which,
    const char *profile, const char *provider, struct credsrc **out,
    char **cause)
{
	const char *ak, *sk, *tok;
	struct credsrc *s;

	ak = config_file_get(x->cfg, which, profile, "aws_access_key_id");
	if (ak == NULL)
		return (0);
	sk = config_file_get(x->cfg, which, profile, "aws_secret_access_key");
	if (sk == NULL) {
		*cause = xprintf("partial credentials found in %s (profile "
				 "%s), missing: aws_secret_access_key",
		    provider, profile);
		return (-1);
	}
	tok = config_file_get(x->cfg, which, profile, "aws_security_token");
	if (tok == NULL)
		tok = config_file_get(
		    x->cfg, which, profile, "aws_session_token");
	s = credsrc_new(x, CREDSRC_STATIC, provider, profile);
	cred_set(&s->cur, ak, sk, tok,
	    config_file_get(x->cfg, which, profile, "aws_account_id"));
	s->have = 1;
	*out = s;
	return (0);
}

/* The environment provider, when AWS_ACCESS_KEY_ID is set. */
static int
credsrc_envsrc(struct credsrc_ctx *x, struct credsrc **out, char **cause)
{
	if (credsrc_env("AWS_ACCESS_KEY_ID") == NULL)
		return (0);
	if (credsrc_env("AWS_SECRET_ACCESS_KEY") == NULL) {
		*cause = xstrdup("partial credentials found in env, missing: "
				 "AWS_SECRET_ACCESS_KEY");
		return (-1);
	}
	*out = credsrc_new(x, CREDSRC_ENV, "env", NULL);
	return (0);
}

/* Set the role session name: configured, or botocore's default. */
static void
credsrc_session_name(struct credsrc *s, const char *name)
{
	if (name != NULL && *name != '\0') {
		s->session_name = xstrdup(name);
		return;
	}
	s->session_default = 1;
	s->session_name = xprintf("botocore-session-%lld",
	    (long long)(loop_now(s->opts->loop) / 1000));
}

/* The cache key of an assume-role or web-identity source. */
static void
credsrc_sts_key(struct credsrc *s)
{
	struct credcache_arg a[5];
	size_t n = 0;

	memset(a, 0, sizeof a);
	a[n].name = "RoleArn";
	a[n++].str = s->role_arn;
	if (!s->session_default) {
		a[n].name = "RoleSessionName";
		a[n++].str = s->session_name;
	}
	if (s->external_id != NULL) {
		a[n].name = "ExternalId";
		a[n++].str = s->external_id;
	}
	if (s->mfa_serial != NULL) {
		a[n].name = "SerialNumber";
		a[n++].str = s->mfa_serial;
	}
	if (s->has_duration) {
		a[n].name = "DurationSeconds";
		a[n++].num = s->duration;
	}
	s->cache_key = credcache_key(a, n, 0);
}

/* Web identity from the environment (unless disabled) or the profile. */
static int
credsrc_web(struct credsrc_ctx *x, const char *profile, int no_env,
    struct credsrc **out, char **cause)
{
	const char *tf, *role, *sess;
	struct credsrc *s;

	/* botocore takes a variable that is set, even when empty. */
	tf = no_env ? NULL : getenv("AWS_WEB_IDENTITY_TOKEN_FILE");
	if (tf == NULL)
		tf = credsrc_get(x, profile, "web_identity_token_file");
	if (tf == NULL || *tf == '\0')
		return (0);
	role = no_env ? NULL : getenv("AWS_ROLE_ARN");
	if (role == NULL)
		role = credsrc_get(x, profile, "role_arn");
	if (role == NULL || *role == '\0') {
		*cause = xprintf("web identity is configured (profile %s or "
				 "AWS_WEB_IDENTITY_TOKEN_FILE) but no role "
				 "ARN: set role_arn "
				 "or AWS_ROLE_ARN",
		    profile);
		return (-1);
	}
	sess = no_env ? NULL : getenv("AWS_ROLE_SESSION_NAME");
	if (sess == NULL)
		sess = credsrc_get(x, profile, "role_session_name");
	s = credsrc_new(x, CREDSRC_WEB, "web-identity", profile);
	s->token_file = xstrdup(tf);
	s->role_arn = xstrdup(role);
	credsrc_session_name(s, sess);
	credsrc_sts_key(s);
	*out = s;
	return (0);
}

/* A value from the sso-session, checked against the profile's. */
static int
credsrc_sso_value(struct credsrc_ctx *x, const char *profile,
    const char *session, const char *key, const char **out, char **cause)
{
	const char *pv, *sv = NULL;

	pv = credsrc_get(x, profile, key);
	if (session != NULL)
		sv = config_section_get(x->cfg, "sso-session", session, key);
	if (pv != NULL && sv != NULL && strcmp(pv, sv) != 0) {
		*cause = xprintf("the value for %s is inconsistent between "
				 "profile (%s) and sso-session (%s)",
		    key, pv, sv);
		return (-1);
	}
	*out = sv != NULL ? sv : pv;
	return (0);
}

/* SSO, when the profile has sso_account_id or sso_role_name. */
static int
credsrc_sso(struct credsrc_ctx *x, const char *profile, struct credsrc **out,
    char **cause)
{
	const char *role, *acct, *sess, *url = NULL, *region = NULL;
	const char *scopes = NULL;
	struct buf miss;
	struct credsrc *s;

	role = credsrc_get(x, profile, "sso_role_name");
	acct = credsrc_get(x, profile, "sso_account_id");
	if (role == NULL && acct == NULL)
		return (0);
	sess = credsrc_get(x, profile, "sso_session");
	if (sess != NULL &&
	    !config_section_exists(x->cfg, "sso-session", sess)) {
		*cause = xprintf("the specified sso-session does not exist: "
				 "\"%s\"",
		    sess);
		return (-1);
	}
	if (credsrc_sso_value(x, profile, sess, "sso_start_url", &url, cause) !=
		0 ||
	    credsrc_sso_value(x, profile, sess, "sso_region", &region, cause) !=
		0 ||
	    credsrc_sso_value(x, profile, sess, "sso_registration_scopes",
		&scopes, cause) != 0)
		return (-1);
	buf_init(&miss, BUF_NOCAP);
	if (role == NULL)
		buf_puts(&miss, ", sso_role_name");
	if (acct == NULL)
		buf_puts(&miss, ", sso_account_id");
	if (url == NULL)
		buf_puts(&miss, ", sso_start_url");
	if (region == NULL)
		buf_puts(&miss, ", sso_region");
	if (miss.len > 0) {
		*cause = xprintf("the profile \"%s\" is configured to use SSO "
				 "but is missing required configuration: %s",
		    profile, miss.data + 2);
		buf_free(&miss);
		return (-1);
	}
	buf_free(&miss);
	s = credsrc_new(x, CREDSRC_SSO, "sso", profile);
	s->sso_session = sess != NULL ? xstrdup(sess) : NULL;
	s->sso_start_url = xstrdup(url);
	s->sso_region = xstrdup(region);
	s->sso_account = xstrdup(acct);
	s->sso_role = xstrdup(role);
	*out = s;
	return (0);
}

/*
 * botocore's ProfileProviderBuilder for one profile: web identity, SSO,
 * shared credentials file, credential_process, config file. *out stays
 * NULL when the profile configures none of them.
 */
static int
credsrc_profile(struct credsrc_ctx *x, const char *profile, int no_env,
    struct credsrc **out, char **cause)
{
	const char *proc;

	*out = NULL;
	if (credsrc_web(x, profile, no_env, out, cause) != 0 || *out != NULL)
		return (*out != NULL ? 0 : -1);
	if (credsrc_sso(x, profile, out, cause) != 0 || *out != NULL)
		return (*out != NULL ? 0 : -1);
	if (credsrc_file_keys(x, CONFIG_FILE_CREDENTIALS, profile,
		"shared-credentials-file", out, cause) != 0 ||
	    *out != NULL)
		return (*out != NULL ? 0 : -1);
	proc = credsrc_get(x, profile, "credential_process");
	if (proc != NULL) {
		*out = credsrc_new(
		    x, CREDSRC_PROCESS, "credential-process", profile);
		(*out)->process = xstrdup(proc);
		proc = credsrc_get(x, profile, "aws_account_id");
		(*out)->account_id = proc != NULL ? xstrdup(proc) : NULL;
		return (0);
	}
	return (credsrc_file_keys(
	    x, CONFIG_FILE_CONFIG, profile, "config-file", out, cause));
}

/* Does a profile set either static key (botocore _has_static_credentials)? */
static int
credsrc_has_static(struct credsrc_ctx *x, const char *profile)
{
	return (credsrc_get(x, profile, "aws_access_key_id") != NULL ||
		credsrc_get(x, profile, "aws_secret_access_key") != NULL);
}

/* role_arn without web_identity_token_file: the assume-role provider. */
static int
credsrc_has_role(struct credsrc_ctx *x, const char *profile)
{
	return (credsrc_get(x, profile, "role_arn") != NULL &&
		credsrc_get(x, profile, "web_identity_token_file") == NULL);
}

/* The source named by credential_source. */
static int
credsrc_named(struct credsrc_ctx *x, const char *profile, const char *name,
    struct credsrc **out, char **cause)
{
	*out = NULL;
	/* botocore's is_supported() compares the names exactly. */
	if (strcmp(name, "Environment") == 0) {
		if (credsrc_envsrc(x, out, cause) != 0)
			return (-1);
	} else if (strcmp(name, "EcsContainer") == 0) {
		if (container_configured())
			*out = credsrc_new(
			    x, CREDSRC_CONTAINER, "container", NULL);
	} else if (strcmp(name, "Ec2InstanceMetadata") == 0)
		*out = credsrc_new(x, CREDSRC_IMDS, "imds", NULL);
	else {
		*cause =
		    xprintf("the credential source \"%s\" referenced in "
			    "profile \"%s\" is not valid (use Environment, "
			    "Ec2InstanceMetadata or EcsContainer)",
			name, profile);
		return (-1);
	}
	if (*out == NULL) {
		*cause = xprintf("no credentials found in credential_source "
				 "%s referenced in profile %s",
		    name, profile);
		return (-1);
	}
	return (0);
}

/* The chain of visited profiles and the one closing the loop. */
static char *
credsrc_cycle(struct credsrc_ctx *x, const char *again)
{
	struct buf b;
	size_t i;

	buf_init(&b, BUF_NOCAP);
	for (i = 0; i < x->nvisited; i++)
		buf_putf(&b, "%s -> ", x->visited[i]);
	buf_puts(&b, again);
	return (buf_take(&b, NULL));
}

/* Check and follow source_profile (botocore _validate_source_profile). */
static int
credsrc_source_profile(struct credsrc_ctx *x, const char *profile,
    const char *sp, struct credsrc **out, char **cause)
{
	char *chain;
	size_t i;

	if (!config_profile_exists(x->cfg, sp)) {
		*cause = xprintf("the source_profile \"%s\" referenced in the "
				 "profile \"%s\" does not exist",
		    sp, profile);
		return (-1);
	}
	for (i = 0; i < x->nvisited; i++) {
		if (strcmp(x->visited[i], sp) != 0)
			continue;
		/* A profile may name itself to use its own static keys. */
		if (strcmp(sp, profile) == 0 && credsrc_has_static(x, sp))
			break;
		chain = credsrc_cycle(x, sp);
		*cause = xprintf("infinite loop in credential configuration: "
				 "source_profile cycle %s",
		    chain);
		free(chain);
		return (-1);
	}
	if (x->nvisited == CREDSRC_MAX_DEPTH) {
		*cause = xprintf(
		    "source_profile chain deeper than %d", CREDSRC_MAX_DEPTH);
		return (-1);
	}
	x->visited[x->nvisited++] = sp;
	if (credsrc_has_static(x, sp) || !credsrc_has_role(x, sp)) {
		if (credsrc_profile(x, sp, 1, out, cause) != 0)
			return (-1);
		if (*out == NULL) {
			*cause = xprintf("the source profile \"%s\" must have "
					 "credentials",
			    sp);
			return (-1);
		}
		return (0);
	}
	return (credsrc_assume(x, sp, out, cause));
}

/* Parse duration_seconds like Python int(); 0 when it is not a number. */
static int
credsrc_duration(const char *v, int *out)
{
	char *end;
	long n;

	if (v == NULL)
		return (0);
	errno = 0;
	n = strtol(v, &end, 10);
	while (isspace((unsigned char)*end))
		end++;
	if (end == v || *end != '\0' || errno != 0 || n < -2147483647L ||
	    n > 2147483647L)
		return (0);
	*out = (int)n;
	return (1);
}

/* The assume-role provider for a profile with role_arn. */
static int
credsrc_assume(struct credsrc_ctx *x, const char *profile, struct credsrc **out,
    char **cause)
{
	const char *sp, *cs, *v;
	struct credsrc *s;

	sp = credsrc_get(x, profile, "source_profile");
	cs = credsrc_get(x, profile, "credential_source");
	if (sp != NULL && cs != NULL) {
		*cause = xprintf("the profile \"%s\" contains both "
				 "source_profile and credential_source",
		    profile);
		return (-1);
	}
	if (sp == NULL && cs == NULL) {
		*cause = xprintf("partial credentials found in assume-role "
				 "(profile %s), missing: source_profile or "
				 "credential_source",
		    profile);
		return (-1);
	}
	s = credsrc_new(x, CREDSRC_ASSUME, "assume-role", profile);
	s->role_arn = xstrdup(credsrc_get(x, profile, "role_arn"));
	v = credsrc_get(x, profile, "external_id");
	s->external_id = v != NULL ? xstrdup(v) : NULL;
	v = credsrc_get(x, profile, "mfa_serial");
	s->mfa_serial = v != NULL ? xstrdup(v) : NULL;
	s->has_duration = credsrc_duration(
	    credsrc_get(x, profile, "duration_seconds"), &s->duration);
	credsrc_session_name(s, credsrc_get(x, profile, "role_session_name"));
	credsrc_sts_key(s);
	if ((cs != NULL ? credsrc_named(x, profile, cs, &s->source, cause)
			: credsrc_source_profile(
			      x, profile, sp, &s->source, cause)) != 0) {
		credsrc_free(s);
		return (-1);
	}
	*out = s;
	return (0);
}

/* Resolve the whole chain; see creds.h for the order. */
int
credsrc_resolve(const struct creds_opts *o, struct credsrc **out, char **cause)
{
	struct credsrc_ctx x;
	struct credsrc *s = NULL;
	const char *profile;
	int explicit;

	*out = NULL;
	memset(&x, 0, sizeof x);
	x.opts = o;
	x.cfg = awsconf_config(o->conf);
	profile = awsconf_profile(o->conf);
	explicit = awsconf_profile_explicit(o->conf);
	if (o->access_key != NULL || o->secret_key != NULL) {
		if (o->access_key == NULL || o->secret_key == NULL) {
			*cause = xprintf("partial credentials on the command "
					 "line, missing: %s",
			    o->access_key == NULL ? "--aws-access-key-id"
						  : "--aws-secret-access-key");
			return (-1);
		}
		s = credsrc_new(&x, CREDSRC_STATIC, "explicit", NULL);
		cred_set(&s->cur, o->access_key, o->secret_key,
		    o->session_token, NULL);
		s->have = 1;
	}
	if (s == NULL && !explicit && credsrc_envsrc(&x, &s, cause) != 0)
		return (-1);
	if (s == NULL && credsrc_has_role(&x, profile)) {
		x.visited[x.nvisited++] = profile;
		if (credsrc_assume(&x, profile, &s, cause) != 0)
			return (-1);
	}
	if (s == NULL && credsrc_profile(&x, profile, explicit, &s, cause) != 0)
		return (-1);
	if (s == NULL && container_configured())
		s = credsrc_new(&x, CREDSRC_CONTAINER, "container", NULL);
	if (s == NULL && !awsconf_settings(o->conf)->imds.disabled)
		s = credsrc_new(&x, CREDSRC_IMDS, "imds", NULL);
	if (s == NULL) {
		*cause = xstrdup(
		    "unable to locate credentials: set "
		    "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or configure "
		    "a profile (aws configure)");
		return (-1);
	}
	*out = s;
	return (0);
}

/* Describe one source and, for assume role, its source. */
char *
credsrc_describe(const struct credsrc *s)
{
	struct buf b;
	char *src;

	buf_init(&b, BUF_NOCAP);
	buf_puts(&b, s->provider);
	switch (s->kind) {
	case CREDSRC_ASSUME:
	case CREDSRC_WEB:
		buf_putf(&b, " (%s%s%srole %s)", s->profile ? "profile " : "",
		    s->profile ? s->profile : "", s->profile ? ", " : "",
		    s->role_arn);
		break;
	case CREDSRC_SSO:
		buf_putf(&b, " (profile %s, account %s, role %s)", s->profile,
		    s->sso_account, s->sso_role);
		break;
	default:
		if (s->profile != NULL)
			buf_putf(&b, " (profile %s)", s->profile);
	}
	if (s->source != NULL) {
		src = credsrc_describe(s->source);
		buf_putf(&b, " <- %s", src);
		free(src);
	}
	return (buf_take(&b, NULL));
}

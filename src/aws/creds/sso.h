/*
 * IAM Identity Center (SSO) credentials like botocore's SSOProvider: the
 * access token that "aws sso login" left in ~/.aws/sso/cache/<sha1 of the
 * sso-session name, or of the start URL for legacy profiles>.json, then
 * the unsigned sso:GetRoleCredentials call with the token in the
 * x-amz-sso_bearer_token header. A missing, expired or rejected token is
 * an error telling the user to run "aws sso login --profile X". (The
 * token is not refreshed through SSO-OIDC; the aws command does that.)
 */
#ifndef APILOGS_SSO_H
#define APILOGS_SSO_H

#include <stdint.h>

#include "aws/aws.h"
#include "aws/creds/credcache.h"

struct sso_profile {
	const char *profile; /* for messages */
	const char *session; /* sso_session, or NULL (legacy) */
	const char *start_url;
	const char *region; /* sso_region */
	const char *account_id;
	const char *role_name;
};

/* The cached access token. Caller wipes and frees it. */
int sso_token(
    const struct sso_profile *, int64_t now_ms, char **token, char **cause);
/* GetRoleCredentials at endpoint. Fills *out (clear with cred_clear). */
int sso_role_credentials(struct aws_ctx *, const char *endpoint,
    const struct sso_profile *, const char *token, struct aws_creds *out,
    char **cause);
/* The ~/.aws/cli/cache key of the role credentials. Caller frees. */
char *sso_cache_key(const struct sso_profile *);

#endif

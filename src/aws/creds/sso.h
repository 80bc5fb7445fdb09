/* SPDX-License-Identifier: Apache-2.0 */
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
#include "aws/cred.h"
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
/* A GetRoleCredentials call in flight, owned by whoever started it. */
struct sso_op;
/*
 * Start GetRoleCredentials at endpoint through ctx (copied; its loop must
 * outlive the call). p and token are copied. Returns 0 with *op, and
 * done() runs once from the loop (rc 0 with the credentials, or -1 with a
 * cause); -1 with *cause when the call cannot start.
 */
int sso_role_credentials_start(const struct aws_ctx *, const char *endpoint,
    const struct sso_profile *, const char *token, cred_done_cb done, void *arg,
    struct sso_op **op, char **cause);
/* Cancel a call whose done() has not run. Accepts NULL. */
void sso_op_cancel(struct sso_op *);
/* The ~/.aws/cli/cache key of the role credentials. Caller frees. */
char *sso_cache_key(const struct sso_profile *);

#endif

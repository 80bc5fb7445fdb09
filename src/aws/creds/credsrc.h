/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Credential sources: the tree the provider chain resolves to. A source
 * is one provider with what it needs to fetch (and later refresh) its
 * credentials; an assume-role source points at the source of its own
 * credentials (source_profile or credential_source), to any depth.
 * credsrc_resolve() follows botocore's create_credential_resolver,
 * AssumeRoleProvider and ProfileProviderBuilder; fetching lives in
 * credfetch.c.
 */
#ifndef APILOGS_CREDSRC_H
#define APILOGS_CREDSRC_H

#include <stdint.h>

#include "aws/aws.h"
#include "aws/creds/creds.h"

struct credjob;
struct credfetch_waiter;

enum credsrc_kind {
	CREDSRC_STATIC, /* explicit flags, credentials/config file */
	CREDSRC_ENV,
	CREDSRC_PROCESS,
	CREDSRC_ASSUME,
	CREDSRC_WEB,
	CREDSRC_SSO,
	CREDSRC_CONTAINER,
	CREDSRC_IMDS
};

struct credsrc {
	enum credsrc_kind kind;
	const char *provider;          /* static name for -v */
	char *profile;                 /* where configured, or NULL */
	const struct creds_opts *opts; /* the chain's options */

	struct aws_creds cur; /* current credentials */
	int have;
	/* Refresh pacing: no new fetch before this loop_mono() time (a
	 * deadline, so on the monotonic clock; expiry is wall time). */
	int64_t next_try_mono;

	/* Single flight (credfetch.c): the one fetch in flight, the callers
	 * waiting for it, those being told it ended, and those told of a
	 * failure that they have not asked about yet. */
	struct credjob *job;
	struct credfetch_waiter *waiters;
	struct credfetch_waiter *waking;
	struct credfetch_waiter *failed;
	uint64_t wait_seq;

	char *process;    /* credential_process */
	char *account_id; /* profile aws_account_id */

	char *role_arn;      /* assume role, web identity */
	char *session_name;  /* configured or generated */
	int session_default; /* not in the cache key */
	char *external_id;
	char *mfa_serial;
	int mfa_used; /* a code was already asked */
	int duration; /* DurationSeconds */
	int has_duration;
	char *token_file; /* web identity */
	char *cache_key;  /* ~/.aws/cli/cache key */

	char *sso_session; /* SSO */
	char *sso_start_url;
	char *sso_region;
	char *sso_account;
	char *sso_role;

	struct credsrc *source; /* assume role's source */
};

/* Resolve the chain for opts (see creds.h). Caller frees the tree. */
int credsrc_resolve(const struct creds_opts *, struct credsrc **, char **cause);
void credsrc_free(struct credsrc *);
/* One line naming the providers of the tree. Caller frees. */
char *credsrc_describe(const struct credsrc *);

#endif

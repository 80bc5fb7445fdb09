/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The AWS CLI's credential cache, ~/.aws/cli/cache/<key>.json, shared with
 * the aws command: assume-role, web-identity and SSO results are stored
 * there so that both tools reuse them (and an MFA code is asked once).
 *
 * The key is the SHA-1 (hex) of the call's arguments serialised the way
 * Python's json.dumps(args, sort_keys=True) does: ", " and ": " separators
 * for the assume-role fetchers, compact "," and ":" for SSO, non-ASCII
 * escaped as \uXXXX (botocore credentials.py _create_cache_key).
 */
#ifndef APILOGS_CREDCACHE_H
#define APILOGS_CREDCACHE_H

#include <stddef.h>
#include <stdint.h>

#include "aws/aws.h"

/* botocore's expiry window for cached credentials: 15 minutes. */
#define CREDCACHE_WINDOW_MS (15 * 60 * 1000LL)

struct credcache_arg {
	const char *name;
	const char *str; /* the value, or NULL for num */
	long long num;
};

/* The JSON text botocore hashes. Caller frees with free(). */
char *credcache_args_json(const struct credcache_arg *, size_t n, int compact);
/* The cache key: SHA-1 hex of credcache_args_json(). Caller frees. */
char *credcache_key(const struct credcache_arg *, size_t n, int compact);
/* SHA-1 hex of a string (the SSO token cache key). Caller frees. */
char *credcache_sha1_hex(const char *);
/* ~/.aws/cli/cache/<key>.json. Caller frees with free(). */
char *credcache_path(const char *key);

/*
 * Load cached credentials that are still good for the expiry window at
 * now_ms. Returns 0 and fills *out (clear with cred_clear), or 1 when there
 * is no usable entry (missing, unreadable, malformed or expiring).
 */
int credcache_load(const char *key, int64_t now_ms, struct aws_creds *out);

struct credcache_entry {
	const struct aws_creds *creds; /* expires_ms must be set */
	const char *exp_suffix;        /* "UTC" (STS) or "Z" (SSO) */
	const char *provider_type;     /* "sso", or NULL */
	const char *role_id;           /* AssumedRoleUser, or NULL */
	const char *role_arn;
};

/* Write an entry (mode 0600, atomically). */
int credcache_store(
    const char *key, const struct credcache_entry *, char **cause);

#endif

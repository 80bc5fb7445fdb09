/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The AWS CLI's default credential provider chain, resolved once per run
 * and refreshed before expiry (docs/credentials.md). In order:
 *
 *  1. explicit --aws-access-key-id/--aws-secret-access-key[/-session-token]
 *  2. environment AWS_ACCESS_KEY_ID... (skipped when --profile is given)
 *  3. assume role: role_arn + source_profile (any depth, cycles detected)
 *     or credential_source (Environment, Ec2InstanceMetadata, EcsContainer)
 *  4. web identity (web_identity_token_file / AWS_WEB_IDENTITY_TOKEN_FILE)
 *  5. SSO (sso_session or legacy sso_start_url)
 *  6. shared credentials file, credential_process, config file keys
 *  7. container endpoint, 8. EC2 instance metadata
 *
 * Assume-role, web-identity and SSO results are shared with the aws
 * command through ~/.aws/cli/cache. Nothing here prints; secrets never
 * appear in causes or traces. Every failure is a credentials error: the
 * CLI maps a -1 from creds_chain_new() or creds_chain_get_sync() (and so
 * an AWS_ERR_CREDS result from aws.c) to exit code 4.
 */
#ifndef APILOGS_CREDS_H
#define APILOGS_CREDS_H

#include <stdint.h>

#include "aws/aws.h"

struct awsconf;
struct loop;

/*
 * Ask the user for an MFA code (the CLI reads the terminal). Set *answer
 * (caller of the callback frees it) and return 0, or return -1 with *cause.
 */
typedef int (*creds_prompt_cb)(
    void *arg, const char *prompt, char **answer, char **cause);

struct creds_opts {
	struct awsconf *conf; /* profile, settings, endpoints */
	struct loop *loop;
	const char *region;     /* for STS (NULL: us-east-1) */
	const char *access_key; /* explicit flags, or NULL */
	const char *secret_key;
	const char *session_token;
	creds_prompt_cb prompt; /* NULL: MFA cannot be asked */
	void *prompt_arg;
	aws_trace_cb trace; /* -v lines; NULL: none */
	void *trace_arg;
	int verbosity;
	long connect_timeout_ms; /* STS/SSO; 0: default */
	long read_timeout_ms;
	const char *ca_bundle;      /* NULL: the settings' */
	aws_transport_cb transport; /* NULL: http_submit (tests) */
	long retry_pause_ms;        /* container retries; -1: 1 s */
};

struct creds_chain;

/*
 * Decide which provider supplies credentials, reading configuration and
 * environment only (no network, no process). Errors: unknown or partial
 * configuration, source_profile cycles, no provider at all. The options
 * are copied; conf and loop must outlive the chain. Caller frees with
 * creds_chain_free().
 */
int creds_chain_new(
    struct creds_chain **, const struct creds_opts *, char **cause);
void creds_chain_free(struct creds_chain *);

/*
 * The chain as the signer's provider (struct aws_ctx.creds): asynchronous
 * and single flight (credfetch.h). Fetched on first use and refreshed
 * from 15 minutes before expiry (botocore's advisory window: callers keep
 * the current credentials meanwhile; inside the 10-minute mandatory window
 * they wait); when a refresh fails the current credentials are kept while
 * they have more than a minute left, then it is an error.
 */
struct aws_creds_provider creds_chain_provider_of(struct creds_chain *);

/*
 * The current credentials, running the loop until the provider has an
 * answer: for the command layer only (src/cli/), before or outside an
 * engine run, never from a callback. *out stays valid until the next
 * fetch ends. Returns 0, or -1 with *cause (also when interrupted).
 */
int creds_chain_get_sync(
    struct creds_chain *, const struct aws_creds **out, char **cause);

/* The provider name: "explicit", "env", "assume-role", "web-identity",
 * "sso", "shared-credentials-file", "credential-process", "config-file",
 * "container" or "imds". Static string. */
const char *creds_chain_provider(const struct creds_chain *);
/* A one-line description for -v, e.g. "assume-role (profile dev, role
 * arn:...) <- shared-credentials-file (profile base)". Caller frees. */
char *creds_chain_describe(const struct creds_chain *);

#endif

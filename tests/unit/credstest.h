/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Helpers for credential-chain unit tests: a private HOME with the given
 * config files, an awsconf, a loop on a fake clock, the scripted fake
 * transport, a collected trace, and the chain built from all of them.
 */
#ifndef APILOGS_CREDSTEST_H
#define APILOGS_CREDSTEST_H

#include <stdint.h>

#include "aws/aws.h"
#include "aws/creds/creds.h"
#include "core/buf.h"

struct config;
struct awsconf;
struct loop;

struct credstest {
	struct config *cfg;
	struct awsconf *conf;
	struct loop *loop;
	struct creds_chain *chain;
	struct creds_opts opts;
	struct buf trace; /* every trace line */
	int prompts;      /* MFA prompts answered */
	char last_prompt[256];
};

/*
 * The fake clock: a wall reading (epoch ms) and a monotonic one (from
 * CREDSTEST_MONO0). Time passing moves both (credstest_advance*(), the
 * loop in virtual time); a test that steps the system clock moves
 * credstest_now alone.
 */
#define CREDSTEST_MONO0 5000000LL
extern int64_t credstest_now;
extern int64_t credstest_mono;
/* Let ms pass: both readings move. */
void credstest_advance(int64_t ms);
/* Let time pass until wall time wall_ms (both readings move; backwards
 * when wall_ms is earlier, which only a test's rewind needs). */
void credstest_advance_to(int64_t wall_ms);

/* A fresh HOME holding these files (NULL: absent); fakehttp reset. */
void credstest_home(const char *config, const char *credentials);
/* Load config, select flag_profile, build the chain. -1 with *cause. */
int credstest_chain(struct credstest *, const char *flag_profile, char **cause);
/* Build the chain, failing the test on error. */
void credstest_chain_ok(struct credstest *, const char *flag_profile);
/* Get credentials, failing the test on error. */
const struct aws_creds *credstest_get(struct credstest *);
/* Get credentials, expecting an error; returns the cause (caller frees). */
char *credstest_get_err(struct credstest *);
/* Run the loop until nothing is in flight (a background refresh). */
void credstest_settle(struct credstest *);
/* Free everything but the HOME. */
void credstest_free(struct credstest *);
/* An STS response body for action with these credentials. */
char *credstest_sts_xml(const char *action, const char *ak, const char *sk,
    const char *token, int64_t expires_ms);
/* Write an executable shell script under HOME; returns its path. */
char *credstest_script(const char *rel, const char *body);

#endif

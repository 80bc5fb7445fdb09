/* SPDX-License-Identifier: Apache-2.0 */
/*
 * One fetch of a source's credentials (credsrc.h), whatever its kind.
 * Static and environment credentials answer at once, and so do
 * assume-role, web-identity and SSO results found in ~/.aws/cli/cache;
 * the others run on the loop as state machines: STS and SSO calls through
 * aws_call_async (an AssumeRole is signed with its source's credentials,
 * themselves asked for asynchronously), container and IMDS requests,
 * credential_process read through a descriptor watch. Only the MFA prompt
 * blocks (a terminal read; it does not run the loop). Single flight and
 * the refresh windows live in credfetch.c.
 */
#ifndef APILOGS_CREDJOB_H
#define APILOGS_CREDJOB_H

#include <stdint.h>

#include "aws/aws.h"
#include "aws/cred.h"

struct credsrc;
struct credjob;

/*
 * Start fetching the credentials of s. Returns 0 with *out filled now
 * (clear with cred_clear), 1 with *job in flight (done() then runs once
 * from the loop, with s's IMDS "none" already turned into an error), or
 * -1 with *cause.
 */
int credjob_start(struct credsrc *s, int64_t now_ms, struct aws_creds *out,
    cred_done_cb done, void *arg, struct credjob **job, char **cause);
/* Cancel a job whose done() has not run (a credential_process is
 * killed). Accepts NULL. */
void credjob_cancel(struct credjob *);

#endif

/* SPDX-License-Identifier: Apache-2.0 */
/*
 * credential_process: run the profile's command without a shell (the line
 * split like Python's shlex.split, as botocore does), read its stdout as
 * JSON {"Version": 1, "AccessKeyId", "SecretAccessKey", "SessionToken"?,
 * "Expiration"?, "AccountId"?}. The command's stdin and stderr are ours,
 * so its prompts and messages reach the user. A non-zero exit, a bad
 * Version or bad JSON is an error; messages name the program (argv[0])
 * but never quote its output or arguments.
 */
#ifndef APILOGS_CREDPROC_H
#define APILOGS_CREDPROC_H

#include "aws/aws.h"
#include "aws/cred.h"

struct loop;
/* A credential_process run in flight, owned by whoever started it. */
struct credproc_op;

/*
 * Start cmdline in its own process group; its stdout is read through the
 * loop until end of file and it is reaped without blocking. Returns 0 with
 * *op, and done() runs once from the loop: rc 0 with the credentials
 * (expires_ms 0 when the output has no Expiration), or -1 with a cause.
 * account_id is the profile's aws_account_id, used when the output has
 * none (may be NULL). Returns -1 with *cause when it cannot start.
 */
int credproc_start(struct loop *, const char *cmdline, const char *account_id,
    cred_done_cb done, void *arg, struct credproc_op **op, char **cause);
/* Stop a run whose done() has not run: its process group is killed and
 * the process reaped. Accepts NULL. */
void credproc_op_cancel(struct credproc_op *);

#endif

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

/*
 * Run cmdline and fill *out (clear with cred_clear); expires_ms is 0 when
 * the output has no Expiration. account_id is the profile's
 * aws_account_id, used when the output has none (may be NULL).
 */
int credproc_run(const char *cmdline, const char *account_id,
    struct aws_creds *out, char **cause);

#endif

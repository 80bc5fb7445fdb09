/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Helpers for one set of credentials (struct aws_creds from aws.h): deep
 * copies, wiping, and the timestamp formats the AWS tools write in their
 * responses and caches.
 */
#ifndef APILOGS_CRED_H
#define APILOGS_CRED_H

#include <stddef.h>
#include <stdint.h>

#include "aws/aws.h"

/*
 * How an asynchronous credential fetch ends, always from the loop: rc 0
 * with *c (the callback may move the strings out: copy the struct, then
 * zero *c), 1 when the provider has none (IMDS without a role), -1 with
 * cause. c and cause are borrowed for the call.
 */
typedef void (*cred_done_cb)(
    void *arg, int rc, struct aws_creds *c, const char *cause);

/* Wipe the secrets with OPENSSL_cleanse, free every string, zero *c. */
void cred_clear(struct aws_creds *);
/* Replace *dst with a deep copy of *src (provider pointer copied). */
void cred_copy(struct aws_creds *dst, const struct aws_creds *src);
/* Set the strings of *c from copies (NULL or "" token: none). */
void cred_set(struct aws_creds *c, const char *access_key,
    const char *secret_key, const char *session_token, const char *account_id);

/*
 * Parse an ISO 8601 timestamp as dateutil would for the AWS formats:
 * "2026-07-24T12:00:00Z", "...UTC", "...+00:00", "...+0000", fractional
 * seconds, a space instead of 'T'; no zone means UTC. -1 when invalid.
 */
int cred_time_parse(const char *, int64_t *ms);
/* Format epoch ms as "YYYY-MM-DDTHH:MM:SS" followed by suffix ("Z",
 * "UTC"). Caller frees with free(). */
char *cred_time_format(int64_t ms, const char *suffix);

#endif

/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The credentials of one source (credsrc.h) as a single-flight provider:
 * at most one fetch (credjob.h) runs at a time for a source, whoever
 * asks. get() answers at once with credentials that are fresh, and also
 * in the advisory window, where it starts one background refresh; with
 * none, or inside the mandatory window, it starts (or joins) the fetch and
 * returns 1, and every waiter's ready() runs from the loop when it ends. A
 * failed refresh keeps the current credentials while they have more than
 * a minute left; otherwise each waiter gets the error on its next get(),
 * and a later get() may start a new fetch.
 */
#ifndef APILOGS_CREDFETCH_H
#define APILOGS_CREDFETCH_H

#include <stdint.h>

#include "aws/aws.h"

struct credsrc;

/* Refresh from this long before expiry (botocore's advisory window). */
#define CREDFETCH_ADVISORY_MS (15 * 60 * 1000LL)
/* Callers wait for the refresh from this long before expiry
 * (botocore's mandatory window). */
#define CREDFETCH_MANDATORY_MS (10 * 60 * 1000LL)
/* Past a failed refresh, keep credentials with more than this left. */
#define CREDFETCH_FLOOR_MS (60 * 1000LL)
/* Wait this long before trying a failed refresh again. */
#define CREDFETCH_RETRY_MS (30 * 1000LL)
/* And this long before refreshing again credentials that came back
 * already inside the advisory window. */
#define CREDFETCH_PACE_MS (60 * 1000LL)

/*
 * The aws_creds_provider get() of a source (arg): see aws.h for the
 * contract and above for the windows. *out stays valid until the next
 * fetch of s ends.
 */
int credfetch_get(void *s, const struct aws_creds **out, aws_ready_cb ready,
    void *ready_arg, uint64_t *wait, char **cause);
/* Drop a waiter (harmless once its ready() ran). */
void credfetch_cancel(void *s, uint64_t wait);
/* The source as a provider. */
struct aws_creds_provider credfetch_provider_of(struct credsrc *);
/* Cancel s's fetch and forget its waiters (before freeing s). */
void credfetch_stop(struct credsrc *);
/* A trace line through the chain's callback. */
void credfetch_trace(const struct credsrc *, int level, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif

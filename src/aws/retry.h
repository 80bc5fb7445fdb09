/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The AWS CLI's "standard" retry mode (botocore retries/standard.py):
 * which failures are retried, the jittered exponential backoff, and the
 * client-wide retry quota. Pure logic: the caller supplies randomness.
 */
#ifndef APILOGS_RETRY_H
#define APILOGS_RETRY_H

#include <stdint.h>

enum retry_kind {
	RETRY_NO = 0,    /* not retryable */
	RETRY_THROTTLE,  /* throttling error code */
	RETRY_TRANSIENT, /* 5xx, reset, transient code */
	RETRY_TIMEOUT    /* connect/read timeout (costs more quota) */
};

#define RETRY_QUOTA_INITIAL 500
#define RETRY_COST 5
#define RETRY_TIMEOUT_COST 10
#define RETRY_MAX_BACKOFF_MS 20000

struct retry_quota {
	int available;
};

/* Classify a failed attempt: transport error class (http_err), HTTP status
 * and AWS error code (may be NULL). */
enum retry_kind retry_classify(int http_err, long status, const char *code);
/* Is code one of botocore's throttling error codes? */
int retry_is_throttle(const char *code);
/*
 * Decide whether attempt number `attempt` (1-based, the one that just
 * failed) is retried under max_attempts; take quota and compute the delay
 * from rand01 in [0,1). Returns 1 and sets *delay_ms to retry, else 0.
 */
int retry_decide(struct retry_quota *, enum retry_kind, int attempt,
    int max_attempts, double rand01, int64_t *delay_ms);
/* Record a success; retried says whether it needed retries. */
void retry_success(
    struct retry_quota *, int retried, enum retry_kind last_kind);
/* A uniform double in [0,1) from a xorshift state. */
double retry_rand(uint64_t *state);

#endif

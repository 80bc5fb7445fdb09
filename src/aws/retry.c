/* SPDX-License-Identifier: Apache-2.0 */
/* Standard-mode retry policy. */

#include <string.h>

#include "aws/http.h"
#include "aws/retry.h"

/* botocore retries/standard.py: ThrottledRetryableChecker. */
static const char *retry_throttle_codes[] = {"Throttling",
    "ThrottlingException", "ThrottledException", "RequestThrottledException",
    "TooManyRequestsException", "ProvisionedThroughputExceededException",
    "TransactionInProgressException", "RequestLimitExceeded",
    "BandwidthLimitExceeded", "LimitExceededException", "RequestThrottled",
    "SlowDown", "PriorRequestNotComplete", "EC2ThrottledException", NULL};

/* TransientRetryableChecker codes. */
static const char *retry_transient_codes[] = {"RequestTimeout",
    "RequestTimeoutException", "PriorRequestNotComplete", "InternalError",
    "InternalFailure", "ServiceUnavailable", "ServiceUnavailableException",
    "ServiceException", NULL};

static int
retry_in(const char **list, const char *code)
{
	size_t i;

	if (code == NULL)
		return (0);
	for (i = 0; list[i] != NULL; i++) {
		if (strcmp(list[i], code) == 0)
			return (1);
	}
	return (0);
}

/* Is code a throttling error? */
int
retry_is_throttle(const char *code)
{
	return (retry_in(retry_throttle_codes, code));
}

/* Classify one failed attempt. */
enum retry_kind
retry_classify(int http_err, long status, const char *code)
{
	switch ((enum http_err)http_err) {
	case HTTP_OK:
		break;
	case HTTP_ERR_TIMEOUT:
		return (RETRY_TIMEOUT);
	case HTTP_ERR_CONNECT:
	case HTTP_ERR_RESET:
	case HTTP_ERR_OTHER:
		return (RETRY_TRANSIENT);
	case HTTP_ERR_TOOBIG:
	case HTTP_ERR_TLS:
		return (RETRY_NO);
	}
	if (retry_is_throttle(code))
		return (RETRY_THROTTLE);
	if (status == 429)
		return (RETRY_THROTTLE);
	if (retry_in(retry_transient_codes, code))
		return (RETRY_TRANSIENT);
	if (status == 500 || status == 502 || status == 503 || status == 504)
		return (RETRY_TRANSIENT);
	return (RETRY_NO);
}

/* Decide on a retry; see retry.h. */
int
retry_decide(struct retry_quota *q, enum retry_kind kind, int attempt,
    int max_attempts, double rand01, int64_t *delay_ms)
{
	int64_t cap;
	int cost;

	*delay_ms = 0;
	if (kind == RETRY_NO || attempt >= max_attempts)
		return (0);
	/* Throttling does not take quota in standard mode. */
	if (kind != RETRY_THROTTLE) {
		cost = kind == RETRY_TIMEOUT ? RETRY_TIMEOUT_COST : RETRY_COST;
		if (q->available < cost)
			return (0);
		q->available -= cost;
	}
	cap = 1000;
	while (attempt > 1 && cap < RETRY_MAX_BACKOFF_MS) {
		cap *= 2;
		attempt--;
	}
	if (cap > RETRY_MAX_BACKOFF_MS)
		cap = RETRY_MAX_BACKOFF_MS;
	*delay_ms = (int64_t)(rand01 * (double)cap);
	return (1);
}

/* Give quota back after a success. */
void
retry_success(struct retry_quota *q, int retried, enum retry_kind last_kind)
{
	if (retried && last_kind != RETRY_THROTTLE)
		q->available += last_kind == RETRY_TIMEOUT ? RETRY_TIMEOUT_COST
							   : RETRY_COST;
	else if (!retried)
		q->available += 1;
	if (q->available > RETRY_QUOTA_INITIAL)
		q->available = RETRY_QUOTA_INITIAL;
}

/* A uniform double in [0,1) from a xorshift64* state. */
double
retry_rand(uint64_t *s)
{
	uint64_t x = *s ? *s : 0x9e3779b97f4a7c15ULL;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	*s = x;
	return (
	    (double)((x * 0x2545F4914F6CDD1DULL) >> 11) / (double)(1ULL << 53));
}

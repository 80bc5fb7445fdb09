/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Signed AWS calls over the loop: builds the request for a service's
 * protocol (awsJson1_1 POST with X-Amz-Target, or REST-JSON GET), signs it
 * with SigV4 using credentials from a callback, sends it, parses AWS errors
 * and retries like the AWS CLI's standard mode. Nothing here prints: a
 * trace callback receives debug lines (secrets already redacted).
 */
#ifndef APILOGS_AWS_H
#define APILOGS_AWS_H

#include <stddef.h>
#include <stdint.h>

#include "aws/http.h"
#include "core/buf.h"

struct loop;

enum aws_service {
	AWS_LOGS,
	AWS_APIGATEWAY,
	AWS_APIGATEWAYV2,
	AWS_LAMBDA,
	AWS_STS,
	AWS_SSO,
	AWS_CLOUDFORMATION,
	AWS_SFN,
	AWS_NSERVICES
};

struct aws_service_info {
	const char *name;            /* "logs", for messages */
	const char *signing_name;    /* SigV4 service name */
	const char *endpoint_prefix; /* host prefix: logs.<region>... */
	const char *env_id;          /* AWS_ENDPOINT_URL_<env_id> */
	const char *config_key;      /* key in a [services] section */
};

const struct aws_service_info *aws_service_info(enum aws_service);

/* Credentials handed to the signer. Secrets are never printed. */
struct aws_creds {
	char *access_key;
	char *secret_key;
	char *session_token;  /* NULL when none */
	int64_t expires_ms;   /* 0: does not expire */
	char *account_id;     /* NULL when unknown */
	const char *provider; /* static string, e.g. "env" */
};

/*
 * Where the signer gets credentials (struct aws_ctx.creds). get():
 *  - returns 0 with *out (borrowed until the next get) when usable
 *    credentials are at hand;
 *  - returns 1 when they are being fetched. One fetch runs at a time however
 *    many callers ask (single flight): ready(ready_arg) runs once, from the
 *    loop, when that fetch ends (well or not), and the caller then calls
 *    get() again. *wait names the registration; a caller that goes away
 *    first drops it with cancel() (harmless once ready has run);
 *  - returns -1 with *cause (caller frees) when there are none.
 * get() never runs the loop and never calls ready itself.
 */
typedef void (*aws_ready_cb)(void *ready_arg);
struct aws_creds_provider {
	int (*get)(void *arg, const struct aws_creds **out, aws_ready_cb ready,
	    void *ready_arg, uint64_t *wait, char **cause);
	void (*cancel)(void *arg, uint64_t wait); /* NULL: nothing to drop */
	void *arg;
};
/* Debug output: level 1 = -v, 2 = -vv, 3 = -vvv. */
typedef void (*aws_trace_cb)(void *arg, int level, const char *msg);

/* Pluggable transport (http_submit by default; fakes in unit tests). */
typedef struct http_xfer *(*aws_transport_cb)(
    struct loop *, const struct http_request *, http_done_cb, void *);

/* Settings shared by every client of one run. */
struct aws_ctx {
	struct loop *loop;
	struct aws_creds_provider creds; /* .get NULL: none */
	aws_trace_cb trace;
	void *trace_arg;
	/* What the user must see at normal verbosity (arg: trace_arg),
	 * such as a long wait the service asked for; NULL: nothing. */
	void (*notice)(void *arg, const char *msg);
	int said_long_wait; /* a long wait was reported (once a run) */
	int verbosity;
	int max_attempts; /* total tries; default 3 */
	int retry_quota;  /* standard mode: 500 */
	int quota_ready;  /* retry_quota initialised */
	long connect_timeout_ms;
	long read_timeout_ms;
	const char *ca_bundle;
	aws_transport_cb transport; /* NULL: http_submit */
	/* Abort a transfer of transport (NULL: its answers are dropped). */
	void (*transport_cancel)(struct loop *, struct http_xfer *);
	uint64_t rng; /* jitter state; seeded */
};

struct aws_client {
	struct aws_ctx *ctx;
	enum aws_service svc;
	char *region;
	char *endpoint;  /* base URL, no trailing '/' */
	char *host;      /* Host header value */
	char *base_path; /* "" or "/prefix" */
	/* The endpoint is the service's default one (no override): only
	 * then does a call's host_prefix apply. Set by the creator. */
	int default_endpoint;
};

/* Create a client for svc in region at endpoint (a URL). Caller frees
 * with aws_client_free(). */
int aws_client_new(struct aws_client **, struct aws_ctx *, enum aws_service,
    const char *region, const char *endpoint, char **cause);
void aws_client_free(struct aws_client *);

/* Retry-After is obeyed up to this (botocore's longest backoff); a wait
 * of AWS_WAIT_NOTICE_MS or more is reported once through notice. */
#define AWS_WAIT_MAX_MS 20000
#define AWS_WAIT_NOTICE_MS 5000

#define AWS_CALL_UNSIGNED 0x1          /* no SigV4 (SSO GetRoleCredentials) */
#define AWS_CALL_NO_THROTTLE_RETRY 0x2 /* caller handles throttling */
#define AWS_CALL_NO_RETRY 0x4          /* one attempt only */

struct aws_call {
	const char *op;     /* operation name, for messages */
	const char *method; /* default: POST if target, else GET */
	const char *path;   /* encoded wire path; default "/" */
	const char *query;  /* encoded query without '?', or NULL */
	const char *target; /* awsJson1_1: X-Amz-Target value */
	const char *content_type;
	const void *body;
	size_t body_len;
	const char **headers; /* extra "Name: value", NULL-terminated */
	int flags;
	size_t max_body; /* 0: default */
	/* Strings of this call that no message may show (a bearer token in
	 * a header or the body), NULL-terminated; NULL: none. */
	const char *const *secrets;
	/* The operation's host prefix ("stream-" for StartLiveTail), put
	 * before the host of a default endpoint only: an endpoint override
	 * (an emulator, a proxy) is used as given. NULL: none. */
	const char *host_prefix;
	/*
	 * A streaming call whose body can be asked for again (a page of
	 * results, streamed only so that it is never held whole): a
	 * transfer that breaks after bytes were handed over is retried like
	 * any other, and restart(arg) runs first, from the loop, so the sink
	 * drops what it had. Such a call keeps the context's read timeout.
	 * NULL: a live stream (no retry once a byte was handed over).
	 */
	void (*restart)(void *arg);
};

enum aws_status {
	AWS_OK = 0,
	AWS_ERR_SERVICE,   /* the service answered with an error */
	AWS_ERR_TRANSPORT, /* no usable answer after retries */
	AWS_ERR_CREDS,     /* could not get credentials */
	AWS_ERR_STOPPED    /* the loop was stopped */
};

struct aws_result {
	enum aws_status status;
	long http_status;
	char *code;    /* AWS error code, or NULL */
	char *message; /* error message, or NULL */
	char *request_id;
	int attempts;
	int throttled;          /* code is a throttling error */
	int64_t retry_after_ms; /* from Retry-After, or 0 */
	struct buf body;
};

typedef void (*aws_done_cb)(struct aws_result *, void *arg);

/* A call in flight, owned by whoever started it. */
struct aws_op;

/*
 * Start a call (copied). cb runs once, from the loop and never before this
 * returns, with the final result (after retries), which is freed when cb
 * returns. The handle is valid until cb starts to run: an owner that goes
 * away first cancels it with aws_op_cancel(), and cb then never runs.
 */
struct aws_op *aws_call_async(
    struct aws_client *, const struct aws_call *, aws_done_cb, void *arg);
/* Cancel a call: its transfer, retry timer or wait for credentials.
 * Accepts NULL; harmless from inside the call's own callback. */
void aws_op_cancel(struct aws_op *);
/*
 * A streaming call (an event-stream response such as StartLiveTail's).
 * Like aws_call_async, except that once the answer's status is 2xx its
 * body is handed to data(arg, bytes, len) chunk by chunk as it arrives,
 * never buffered whole, and done runs when the stream ends: AWS_OK when
 * the server ended the body, AWS_ERR_TRANSPORT when the connection broke
 * or no byte came for AWS_STREAM_READ_TIMEOUT_MS (there is no overall
 * timeout). A non-2xx answer is read bounded and reported through done
 * like any AWS error (code, message, throttling). Retries (standard mode)
 * happen only before the first byte of a stream was handed over, unless
 * the call has a restart (see struct aws_call). data
 * and done run from the loop only, never inside this call and never
 * after aws_op_cancel(), which is harmless from inside either of them.
 */
#define AWS_STREAM_READ_TIMEOUT_MS 30000
typedef void (*aws_data_cb)(void *arg, const void *data, size_t len);
struct aws_op *aws_stream_async(struct aws_client *, const struct aws_call *,
    aws_data_cb data, aws_done_cb done, void *arg);
/* Perform a call, running the loop until it completes. Only for the
 * command layer outside any callback (no callback may run the loop). Fill
 * *res (free with aws_result_free). Returns 0 on AWS_OK, -1 otherwise. */
int aws_call_sync(
    struct aws_client *, const struct aws_call *, struct aws_result *);
void aws_result_free(struct aws_result *);
/* One line describing a failed result ("ThrottlingException: Rate
 * exceeded"). Caller frees with free(). */
char *aws_result_describe(const struct aws_result *);
/* Is this AWS error code about credentials or access (exit code 4)? */
int aws_code_is_access(const char *code);

#endif

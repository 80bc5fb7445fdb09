/* SPDX-License-Identifier: Apache-2.0 */
/*
 * What the credential providers need to reach the network: the loop, an
 * optional fake transport (unit tests), trace output and pacing. Also an
 * asynchronous request for the metadata endpoints (IMDS, container) that,
 * like aws_call_async(), honours the pluggable transport and always
 * answers from the loop.
 */
#ifndef APILOGS_CREDSNET_H
#define APILOGS_CREDSNET_H

#include "aws/aws.h"
#include "aws/http.h"

struct loop;

struct credsnet {
	struct loop *loop;
	aws_transport_cb transport; /* NULL: http_submit */
	aws_trace_cb trace;         /* NULL: no tracing */
	void *trace_arg;
	int verbosity;
	long retry_pause_ms; /* container retries; <0: 1 s */
};

/* A metadata request in flight, owned by whoever started it. */
struct credsnet_req;

/* The response is borrowed for the call; its body is wiped after it. */
typedef void (*credsnet_done_cb)(void *arg, struct http_response *);

/*
 * Send req (copied) through the transport. cb runs once, from the loop and
 * never before this returns, with the response (a transport error sets
 * resp->err). The handle is valid until cb runs; cancel it before with
 * credsnet_cancel(), and cb never runs.
 */
struct credsnet_req *credsnet_submit(const struct credsnet *,
    const struct http_request *, credsnet_done_cb, void *arg);
/* Cancel a request whose callback has not run. Accepts NULL. */
void credsnet_cancel(struct credsnet_req *);
/* Emit a trace line at level (1 = -v) when verbose enough. */
void credsnet_trace(const struct credsnet *, int level, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif

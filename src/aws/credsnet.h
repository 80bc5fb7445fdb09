/*
 * What the credential providers need to reach the network: the loop, an
 * optional fake transport (unit tests), trace output and pacing. Also a
 * synchronous request helper for the metadata endpoints (IMDS, container)
 * that honours the pluggable transport.
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

/*
 * Perform one request on the loop (nested), filling *resp (free with
 * http_response_free()). Returns 0 when a response arrived (any status),
 * -1 on a transport error or when the loop was stopped (resp->err set).
 */
int credsnet_perform(const struct credsnet *, const struct http_request *,
    struct http_response *);
/* Run the loop for ms milliseconds (a pause between retries). */
void credsnet_pause(const struct credsnet *, long ms);
/* Emit a trace line at level (1 = -v) when verbose enough. */
void credsnet_trace(const struct credsnet *, int level, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif

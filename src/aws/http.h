/* SPDX-License-Identifier: Apache-2.0 */
/*
 * HTTP transfers on the loop's curl multi handle: HTTP/1.1, connection
 * reuse, connect and read timeouts, a cap on the response size, proxies
 * from the environment (libcurl reads https_proxy/no_proxy itself) and
 * AWS_CA_BUNDLE. No retries here: see aws.c.
 */
#ifndef APILOGS_HTTP_H
#define APILOGS_HTTP_H

#include <stddef.h>

#include "core/buf.h"

struct loop;

enum http_err {
	HTTP_OK = 0,      /* a response arrived (any status) */
	HTTP_ERR_CONNECT, /* could not connect / resolve */
	HTTP_ERR_TIMEOUT, /* connect or read timeout */
	HTTP_ERR_TOOBIG,  /* response larger than max_body */
	HTTP_ERR_RESET,   /* connection reset or closed mid-response */
	HTTP_ERR_TLS,     /* certificate or TLS failure */
	HTTP_ERR_OTHER
};

struct http_request {
	const char *method; /* GET, POST, PUT */
	const char *url;
	const char **headers; /* "Name: value", NULL-terminated */
	const void *body;
	size_t body_len;
	long connect_timeout_ms; /* 0: default 10 s */
	long read_timeout_ms;    /* idle read; 0: default 60 s */
	size_t max_body;         /* 0: default 64 MiB */
	const char *ca_bundle;   /* NULL: AWS_CA_BUNDLE or system */
	int no_proxy;            /* 1: never use a proxy (IMDS) */
	/*
	 * Streaming (NULL: the body is buffered whole). Once the final
	 * status is 2xx, the body goes to on_data chunk by chunk instead of
	 * resp.body: from a loop timer, never inside libcurl, so on_data may
	 * cancel the transfer or start others. max_body then bounds only
	 * the bytes waiting to be handed over. Pending bytes are handed over
	 * before the done callback runs. Other statuses are buffered as
	 * usual (bounded by max_body).
	 */
	void (*on_data)(void *arg, const void *data, size_t len);
	void *data_arg;
};

struct http_header {
	char *name;
	char *value;
};

struct http_response {
	enum http_err err;
	long status;
	struct buf body;
	struct http_header *headers;
	size_t nheaders;
	char errmsg[256]; /* set when err != HTTP_OK */
};

typedef void (*http_done_cb)(struct http_response *, void *arg);

struct http_xfer;

/*
 * Start a transfer; cb runs on the loop when it ends (also on error). The
 * request is copied. The response belongs to the transfer and is freed
 * after cb returns; steal the body with buf_take() if needed.
 */
struct http_xfer *http_submit(
    struct loop *, const struct http_request *, http_done_cb, void *arg);
/* Abort a transfer that has not completed; its callbacks do not run
 * again. Harmless from inside its own on_data. */
void http_cancel(struct loop *, struct http_xfer *);

void http_response_free(struct http_response *);
/* Value of a response header (case-insensitive name), or NULL. */
const char *http_header(const struct http_response *, const char *name);
const char *http_errname(enum http_err);

#endif

/* SPDX-License-Identifier: Apache-2.0 */
/* The call machinery's own record of a call (aws.c, aws_op.c). */
#ifndef APILOGS_AWS_INT_H
#define APILOGS_AWS_INT_H

#include <stddef.h>
#include <stdint.h>

#include "aws/aws.h"
#include "aws/retry.h"

struct aws_op {
	struct aws_client *client;
	aws_done_cb cb;
	void *arg;
	/* The call, copied. */
	char *op;
	char *method;
	char *path;
	char *query;
	char *target;
	char *content_type;
	char *body;
	size_t body_len;
	char **headers;
	int flags;
	size_t max_body;
	char *host_prefix;
	/* Streaming: the owner's sink, and whether bytes went to it. */
	aws_data_cb data;
	void (*restart)(void *arg); /* see struct aws_call */
	int streamed;
	int in_data;        /* data() is running */
	int cancel_in_data; /* cancelled from inside data(): free after */

	/* What the op is waiting for: exactly one is set while it lives. */
	int in_transfer;        /* the transport owes an answer */
	struct http_xfer *xfer; /* its handle (a fake may give none) */
	uint64_t timer;         /* a retry or delivery timer */
	uint64_t creds_wait;    /* credentials being fetched */
	int sending;            /* inside the transport's submit */
	int cancelled;          /* a transfer that cannot be aborted */
	int delivering;         /* the owner's callback is running */

	int attempt;
	enum retry_kind last_kind;
	/* What an error message must never repeat: the secret key, the
	 * session token and the signature of the last attempt. */
	char *secrets[3];
	/* The call's own secrets (bearer tokens in headers or body). */
	char **extra;
	size_t nextra;
	int64_t started;
	struct aws_result res;
};

/* A new op for call (copied), not started. Freed by aws_op_free(). */
struct aws_op *aws_op_new(
    struct aws_client *, const struct aws_call *, aws_done_cb, void *arg);
void aws_op_free(struct aws_op *);
/* Wipe and forget the secrets of the last attempt. */
void aws_forget_secrets(struct aws_op *);
/* Replace any secret of the call in *msg by "<redacted>". */
void aws_scrub(struct aws_op *, char **msg);

#endif

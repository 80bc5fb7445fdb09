/* SPDX-License-Identifier: Apache-2.0 */
/* The aws_ctx of the fake transports; see fakectx.h. */

#include <string.h>

#include "fakectx.h"

static struct aws_creds fakectx_keys = {
    "AKIDEXAMPLE", "secret", NULL, 0, NULL, "test"};

/* Example keys at once; see fakectx.h. */
int
fakectx_creds(void *arg, const struct aws_creds **out, aws_ready_cb ready,
    void *ready_arg, uint64_t *wait, char **cause)
{
	(void)arg;
	(void)ready;
	(void)ready_arg;
	(void)cause;
	*wait = 0;
	*out = &fakectx_keys;
	return (0);
}

/* Set up a context for a fake transport; see fakectx.h. */
void
fakectx_init(struct aws_ctx *ctx, struct loop *l, aws_transport_cb transport,
    void (*cancel)(struct loop *, struct http_xfer *))
{
	memset(ctx, 0, sizeof *ctx);
	ctx->loop = l;
	ctx->transport = transport;
	ctx->transport_cancel = cancel;
	ctx->creds.get = fakectx_creds;
	ctx->max_attempts = 3;
	ctx->rng = 42;
}

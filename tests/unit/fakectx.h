/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Test helper: the aws_ctx the fake transports (fakeaws, fakelogs) hand to
 * clients, with a credentials provider that answers at once with example
 * keys. Linked into every unit test binary.
 */
#ifndef APILOGS_FAKECTX_H
#define APILOGS_FAKECTX_H

#include <stdint.h>

#include "aws/aws.h"

/* A credentials provider's get(): example keys (static storage), at once. */
int fakectx_creds(void *arg, const struct aws_creds **out, aws_ready_cb ready,
    void *ready_arg, uint64_t *wait, char **cause);

/* Clear *ctx and set it up on loop l with the transport and its cancel,
 * fakectx_creds, three attempts and a fixed jitter seed. */
void fakectx_init(struct aws_ctx *ctx, struct loop *l,
    aws_transport_cb transport,
    void (*cancel)(struct loop *, struct http_xfer *));

#endif

/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A scripted stand-in for http_submit (aws_transport_cb) in unit tests:
 * replies are queued in order, each checked against the request it answers
 * ("METHOD URL" must contain its match string), and every request is
 * recorded for assertions. Callbacks run synchronously; nothing touches
 * the network.
 */
#ifndef APILOGS_FAKEHTTP_H
#define APILOGS_FAKEHTTP_H

#include <stddef.h>

#include "aws/http.h"

struct loop;

/* Forget queued replies and recorded requests. */
void fakehttp_reset(void);
/* Queue a reply with a status and body for a request matching match. */
void fakehttp_push(const char *match, long status, const char *body);
/* Queue a transport error (HTTP_ERR_CONNECT, HTTP_ERR_TIMEOUT, ...). */
void fakehttp_push_err(const char *match, enum http_err);
/* The transport: matches aws_transport_cb. */
struct http_xfer *fakehttp_transport(
    struct loop *, const struct http_request *, http_done_cb, void *);
/* Requests seen so far, "METHOD URL" each. */
size_t fakehttp_count(void);
const char *fakehttp_request(size_t);
/* A header value of request i (case-insensitive name), or NULL. */
const char *fakehttp_header(size_t, const char *name);
/* The body of request i ("" when none). */
const char *fakehttp_body(size_t);
/* Replies still queued, and requests that found no (matching) reply. */
size_t fakehttp_pending(void);
size_t fakehttp_mismatches(void);
/* Every request, headers and body included, as one string (to grep
 * for secrets). Borrowed until the next call. */
const char *fakehttp_dump(void);

#endif

/* SPDX-License-Identifier: Apache-2.0 */
/*
 * CloudWatch Logs Live Tail (StartLiveTail): one streaming call per
 * session, carrying up to 10 log groups (by ARN). The answer is an AWS
 * event stream: an optional "initial-response", one "sessionStart", then a
 * "sessionUpdate" about every second (events, and whether they were
 * sampled), until the service ends it with an exception
 * (SessionTimeoutException after 3 hours, SessionStreamingException) or
 * the connection breaks. Live Tail events carry no eventId.
 */
#ifndef APILOGS_LIVETAIL_H
#define APILOGS_LIVETAIL_H

#include <stddef.h>
#include <stdint.h>

#include "aws/aws.h"
#include "aws/eventstream.h"
#include "logs/event.h"
#include "logs/logs.h"

#define LIVETAIL_MAX_GROUPS 10
#define LIVETAIL_MAX_FILTERS 100 /* stream names or prefixes */

struct livetail_req {
	const char *const *arns; /* 1..LIVETAIL_MAX_GROUPS logGroupArn */
	size_t narns;
	/* Only with exactly one group (the service's rule). */
	const char *const *stream_names; /* or NULL */
	size_t nstream_names;
	const char *stream_prefix; /* or NULL */
	const char *pattern;       /* logEventFilterPattern, or NULL */
};

enum livetail_kind {
	LIVETAIL_START,  /* sessionStart: the session is open */
	LIVETAIL_UPDATE, /* sessionUpdate: events (possibly none) */
	LIVETAIL_END     /* the session is over (always the last) */
};

enum livetail_end {
	LIVETAIL_CLOSED,    /* the server ended the body without a word */
	LIVETAIL_TIMEOUT,   /* SessionTimeoutException (3 hours) */
	LIVETAIL_STREAMING, /* SessionStreamingException */
	LIVETAIL_BROKEN,    /* connection broken, or silent for 30 s */
	LIVETAIL_BAD,       /* a frame or payload that does not decode */
	LIVETAIL_REFUSED,   /* the service answered the call with an error */
	LIVETAIL_ERROR,     /* another exception or error in the stream */
	LIVETAIL_STOPPED    /* the loop was stopped */
};

/* What a session reports; handed to the callback. */
struct livetail_msg {
	enum livetail_kind kind;
	/* UPDATE: the events, sorted by time, each with src set to the
	 * index of its group in the request's arns; take it (set NULL). */
	struct page *page;
	int sampled;           /* UPDATE: sessionMetadata.sampled */
	size_t unknown;        /* UPDATE: events of a group not asked for */
	enum livetail_end end; /* END */
	enum logs_err err;     /* END: the kind of error (LOGS_OK: none) */
	const char *code;      /* END: the error or exception code, or NULL */
	const char *message;   /* END: one line, or NULL */
};

typedef void (*livetail_cb)(void *arg, struct livetail_msg *);

/* A session in flight, owned by whoever started it. */
struct livetail;

/*
 * Start a session (req is copied). cb runs from the loop, never inside
 * this call: START once, UPDATE any number of times, then END exactly
 * once; the handle is freed when the END callback returns. An owner that
 * goes away first cancels it with livetail_cancel() (also from inside cb;
 * cb then never runs again). The body goes chunk by chunk into an
 * event-stream decoder, never whole into memory.
 */
struct livetail *livetail_start(
    struct aws_client *, const struct livetail_req *, livetail_cb, void *);
/* Cancel a session. Accepts NULL; harmless from inside its callback. */
void livetail_cancel(struct livetail *);

/* The JSON body of a StartLiveTail request. Caller frees. */
char *livetail_body(const struct livetail_req *, size_t *len);

/*
 * Decode one event-stream message of a session into *out (kind, page,
 * sampled, end, code, message: strings borrowed from msg; the page is the
 * caller's, free with page_free). Returns 1 when out describes something
 * (START, UPDATE or END), 0 for a message to skip (initial-response, an
 * unknown event type), -1 with *cause (caller frees) when it does not
 * decode.
 */
int livetail_decode(const struct evstream_message *, const char *const *arns,
    size_t narns, struct livetail_msg *out, char **cause);
/* Decode a sessionUpdate payload: the page (caller frees with page_free)
 * and sampled; see livetail_decode for src. -1 with *cause. */
int livetail_decode_update(const void *json, size_t len,
    const char *const *arns, size_t narns, struct page **out, int *sampled,
    size_t *unknown, char **cause);
/* The group name of a log group ARN ("arn:...:log-group:NAME[:*]"), a
 * pointer into arn, with its length in *len; NULL when not one. */
const char *livetail_arn_group(const char *arn, size_t *len);

#endif

/* SPDX-License-Identifier: Apache-2.0 */
/*
 * CloudWatch Logs (awsJson1_1): request bodies and response decoders for
 * FilterLogEvents, DescribeLogGroups and DescribeLogStreams, plus paging
 * helpers for the listings.
 */
#ifndef APILOGS_LOGS_H
#define APILOGS_LOGS_H

#include <stddef.h>
#include <stdint.h>

#include "aws/aws.h"
#include "logs/event.h"

#define LOGS_TIME_UNSET INT64_MIN
#define LOGS_MAX_STREAM_NAMES 100

struct logs_filter {
	const char *group;
	const char **stream_names; /* up to 100, or NULL */
	size_t nstream_names;
	const char *stream_prefix; /* or NULL */
	int64_t start;             /* ms or LOGS_TIME_UNSET */
	int64_t end;               /* ms (inclusive) or unset */
	const char *pattern;       /* filter pattern or NULL */
	const char *token;         /* nextToken or NULL */
	int limit;                 /* 0: service default */
};

/* The JSON body of a FilterLogEvents request. Caller frees. */
char *logs_filter_body(const struct logs_filter *, size_t *len);
/*
 * Decode a FilterLogEvents response into a new page (events sorted by
 * time) and the next token (NULL at the end; caller frees). The page
 * takes ownership of nothing in body. Returns 0, or -1 with *cause.
 */
int logs_filter_decode(const char *body, size_t len, struct page **out,
    char **next_token, char **cause);
/* The same, decoding in place: body (from malloc) is owned by the page
 * afterwards, or freed on error. */
int logs_filter_decode_owned(
    char *body, size_t len, struct page **out, char **next_token, char **cause);

/* The same for a GetLogEvents response (its token: nextForwardToken,
 * always present; events carry no stream name and no eventId). */
int logs_get_decode_owned(
    char *body, size_t len, struct page **out, char **next_token, char **cause);
int logs_get_decode(const char *body, size_t len, struct page **out,
    char **next_token, char **cause);

/*
 * What went wrong with a CloudWatch Logs call, for its callers to act on
 * without knowing AWS error codes (this client is the one place that
 * does).
 */
enum logs_err {
	LOGS_OK = 0,
	LOGS_ERR_THROTTLED, /* slow down; retry (retry_after_ms may say when) */
	LOGS_ERR_NOT_FOUND, /* the log group does not exist */
	LOGS_ERR_ACCESS,    /* credentials or permissions */
	LOGS_ERR_TRANSPORT, /* no usable answer after the retries */
	LOGS_ERR_BAD_PAGE,  /* an answer that does not decode */
	LOGS_ERR_STOPPED,   /* the loop was stopped */
	LOGS_ERR_OTHER      /* any other error of the service */
};

/* The kind of error of a finished call (LOGS_OK for none). */
enum logs_err logs_error(const struct aws_result *);

/* One FilterLogEvents page, as handed to the callback. */
struct logs_filter_result {
	enum logs_err err;
	struct page *page; /* LOGS_OK: the events; take it (set NULL) */
	char *next_token;  /* LOGS_OK: NULL at the end; take it (set NULL) */
	char *message;     /* otherwise: one line, e.g. "ThrottlingException:
			      Rate exceeded" */
	const char *code;  /* the service's error code, for messages, or NULL */
	int64_t retry_after_ms; /* throttled: the service's hint, or 0 */
};

typedef void (*logs_filter_cb)(void *arg, struct logs_filter_result *);

/* A FilterLogEvents call in flight, owned by whoever started it. */
struct logs_op;

/*
 * Fetch and decode one FilterLogEvents page (throttling is left to the
 * caller: no retries on it here). cb runs once, from the loop, never
 * before this returns; what it does not take is freed after it returns.
 * The handle is valid until cb starts: an owner that goes away first
 * cancels it with logs_op_cancel(), and cb never runs.
 */
struct logs_op *logs_filter_async(
    struct aws_client *, const struct logs_filter *, logs_filter_cb, void *);
/* Cancel a call. Accepts NULL; harmless from inside its own callback. */
void logs_op_cancel(struct logs_op *);

/* A GetLogEvents request: one stream, read forward (startFromHead). */
struct logs_get {
	const char *group;
	const char *stream;
	int64_t start;     /* ms (inclusive) or LOGS_TIME_UNSET */
	int64_t end;       /* ms (exclusive, as the service takes it) or
			      unset */
	const char *token; /* nextForwardToken or NULL */
	int limit;         /* 0: service default */
};

/* The JSON body of a GetLogEvents request. Caller frees. */
char *logs_get_body(const struct logs_get *, size_t *len);
/*
 * Fetch one GetLogEvents page, like logs_filter_async (the same callback,
 * the same handle and cancel). The next token is the forward one: at the
 * end of the stream the service returns the token it was sent.
 */
struct logs_op *logs_get_async(
    struct aws_client *, const struct logs_get *, logs_filter_cb, void *);

struct logs_group {
	const char *name;
	const char *arn;
	const char *log_class; /* STANDARD, INFREQUENT_ACCESS... */
	int64_t creation;
};

struct logs_stream {
	const char *name;
	int64_t first_event; /* LOGS_TIME_UNSET when absent */
	int64_t last_event;
	int64_t last_ingestion;
};

/*
 * awslogs' rule for a stream in the window [start, end] (either
 * LOGS_TIME_UNSET: open): a stream with no first event yet is in; else
 * [firstEventTimestamp, lastIngestionTime] must overlap the window.
 * lastIngestionTime, not the eventually consistent lastEventTimestamp;
 * without one the stream may still be written to (no upper bound).
 */
int logs_stream_in_window(
    const struct logs_stream *, int64_t start, int64_t end);

typedef int (*logs_group_cb)(void *arg, const struct logs_group *);
typedef int (*logs_stream_cb)(void *arg, const struct logs_stream *);

/*
 * Page through DescribeLogGroups (optionally with a name prefix) calling
 * cb for each group; a non-zero return from cb stops early. Returns 0, or
 * -1 with the failed call in *res (free with aws_result_free) or a decode
 * error in res->message.
 */
int logs_list_groups(struct aws_client *, const char *prefix, logs_group_cb,
    void *, struct aws_result *res);
/*
 * One DescribeLogGroups request for at most limit (1..50) groups with the
 * prefix, for shell completion: cb for each group; *more is set when the
 * service has more. Returns 0, or -1 with the failure in *res.
 */
int logs_groups_page(struct aws_client *, const char *prefix, int limit,
    logs_group_cb, void *, int *more, struct aws_result *res);
/* The same for DescribeLogStreams of one group (optional prefix). */
int logs_list_streams(struct aws_client *, const char *group,
    const char *prefix, logs_stream_cb, void *, struct aws_result *res);
/*
 * One DescribeLogStreams request for the limit (1..50) streams of group
 * whose events are newest (orderBy LastEventTime, descending): cb for
 * each. Their times are eventually consistent (they may lag by up to an
 * hour): a hint for messages, never a filter. Returns 0, or -1 with the
 * failure in *res (free with aws_result_free).
 */
int logs_newest_streams(struct aws_client *, const char *group, int limit,
    logs_stream_cb, void *, struct aws_result *res);

/* One DescribeLogStreams page, as handed to its callback. */
struct logs_streams_result {
	enum logs_err err;
	struct logs_stream *streams; /* LOGS_OK: n streams, names owned */
	size_t n;
	char *next_token; /* LOGS_OK: NULL at the end */
	char *message;    /* otherwise: one line */
	const char *code;
	int64_t retry_after_ms;
};

typedef void (*logs_streams_cb)(void *arg, struct logs_streams_result *);

/* A DescribeLogStreams call in flight, owned by whoever started it. */
struct logs_streams_op;

/*
 * Fetch one page (up to 50) of the streams of group, ordered by name,
 * after token (or the first page); no retries on throttling here. cb runs
 * once, from the loop; what it leaves in the result is freed after it
 * returns (take next_token by setting it NULL). Cancel with
 * logs_streams_cancel() before cb runs; it accepts NULL.
 */
struct logs_streams_op *logs_streams_async(struct aws_client *,
    const char *group, const char *token, logs_streams_cb, void *);
void logs_streams_cancel(struct logs_streams_op *);
/*
 * Decode a DescribeLogStreams response: *out (n streams, caller frees with
 * logs_streams_free) and *next_token (NULL at the end; caller frees).
 * Returns 0, or -1 with *cause (caller frees).
 */
int logs_streams_decode(const char *body, size_t len, struct logs_stream **out,
    size_t *n, char **next_token, char **cause);
void logs_streams_free(struct logs_stream *, size_t n);

#endif

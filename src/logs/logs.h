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
/* The same for DescribeLogStreams of one group (optional prefix). */
int logs_list_streams(struct aws_client *, const char *group,
    const char *prefix, logs_stream_cb, void *, struct aws_result *res);

#endif

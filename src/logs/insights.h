/* SPDX-License-Identifier: Apache-2.0 */
/*
 * CloudWatch Logs Insights (awsJson1_1): StartQuery, GetQueryResults and
 * StopQuery as owned asynchronous calls, the decoder of GetQueryResults
 * rows into events, the query string of a read and the translation of a
 * FilterLogEvents filter pattern into it (aws-facts.md section 2.4).
 */
#ifndef APILOGS_INSIGHTS_H
#define APILOGS_INSIGHTS_H

#include <stddef.h>
#include <stdint.h>

#include "logs/event.h"
#include "logs/fpattern.h"
#include "logs/logs.h"

#define INSIGHTS_MAX_GROUPS 50 /* log groups per query */
#define INSIGHTS_ROW_CAP 10000 /* rows one query returns at most */

/* What a read asks for: every field the output needs, oldest first. */
#define INSIGHTS_FIELDS                                                        \
	"fields @timestamp, @message, @logStream, @log, @ingestionTime, @ptr"

enum insights_status {
	INSIGHTS_SCHEDULED,
	INSIGHTS_RUNNING,
	INSIGHTS_COMPLETE,
	INSIGHTS_FAILED,
	INSIGHTS_CANCELLED,
	INSIGHTS_TIMEOUT,
	INSIGHTS_UNKNOWN
};

/*
 * A decoded GetQueryResults answer. Each row is an event (id = @ptr, or
 * NULL; ingest = @ingestionTime, or the timestamp when absent; src and seq
 * unset) with the name of its log group (@log without its "ACCOUNT:").
 * Rows without a usable @timestamp are dropped (counted in dropped).
 */
struct insights_answer {
	enum insights_status status;
	int has_stats;
	double matched, scanned, bytes; /* statistics */
	struct event *ev;
	const char **group; /* per row, or NULL when the row has no @log */
	size_t *group_len;
	size_t n;
	size_t rows;      /* rows in the answer (dropped ones included) */
	size_t dropped;   /* rows without a usable @timestamp */
	void *mem;        /* owner of the strings (blocks of them) */
	size_t mem_len;   /* their size */
	char *next_token; /* nextToken: more rows to read, or NULL */
};

/*
 * The longest unit of a GetQueryResults body the decoder holds while it
 * is split across chunks: one row (or one other member's value) of JSON.
 * An event is at most 1 MiB; its message escaped in JSON takes more.
 */
#define INSIGHTS_ROW_MAX (8u << 20)

/*
 * A GetQueryResults body decoded as it arrives, so that a page of 10 000
 * rows (~5 MB of JSON) never sits whole in memory: feed the chunks in
 * order, then end. Rows are decoded as soon as they are whole; a row split
 * across chunks is held until its end (at most max_unit bytes: 0 means
 * INSIGHTS_ROW_MAX; a longer one makes the answer bad). The members of
 * the top-level object may come in any order. complete_only: as
 * insights_decode_rows. rows_hint: the rows asked for (maxItems), or 0.
 * Caller frees with insights_rowdec_free.
 */
struct insights_rowdec;
struct insights_rowdec *insights_rowdec_new(
    int complete_only, size_t rows_hint, size_t max_unit);
/* The next bytes of the body. 0, or -1 once the body cannot be an answer
 * (the cause waits for insights_rowdec_end; later bytes are ignored). */
int insights_rowdec_feed(struct insights_rowdec *, const void *, size_t);
/* The body ended: 0 with *out (free with insights_answer_free), or -1
 * with *cause (caller frees). The decoder is then ready for another
 * body. */
int insights_rowdec_end(
    struct insights_rowdec *, struct insights_answer *out, char **cause);
/* Forget the bytes fed so far (the transfer starts again). */
void insights_rowdec_reset(struct insights_rowdec *);
void insights_rowdec_free(struct insights_rowdec *);

/*
 * Decode a GetQueryResults body into *out (free with insights_answer_free).
 * Returns 0, or -1 with *cause (caller frees) for a body that is not a
 * GetQueryResults answer.
 */
int insights_decode(
    const char *body, size_t len, struct insights_answer *out, char **cause);
/* The same; with complete_only, the rows of an answer whose status is not
 * Complete are checked but not kept (rows and n are 0): a poll of a
 * running query. The whole body fed to one insights_rowdec. */
int insights_decode_rows(const char *body, size_t len,
    struct insights_answer *out, int complete_only, char **cause);
/* Free what an answer holds. Accepts NULL. */
void insights_answer_free(struct insights_answer *);
/* Free only the decoded row arrays (ev, group, group_len) and clear them;
 * the strings (mem) stay, for rows copied elsewhere that point at them. */
void insights_answer_free_rows(struct insights_answer *);
/* Parse @timestamp: "YYYY-MM-DD HH:MM:SS.mmm" (UTC) or epoch ms digits
 * (moto). Returns 0 with *ms, or -1. */
int insights_parse_time(const char *s, size_t len, int64_t *ms);

/*
 * The query string of a read with filter pattern pattern (NULL or "": all
 * events): INSIGHTS_FIELDS, the pattern's `filter` command (fpattern.h),
 * sorted by @timestamp ascending, no `limit` command (StartQuery's `limit`
 * member says how many rows; see engine_insights_int.h). A pattern with
 * no exact Insights form returns NULL with *why (caller frees).
 * Otherwise the caller frees the string, and fp (may be NULL) gets the
 * parsed pattern, which the reader matches every row against again
 * (caller frees with fpattern_free, then free).
 */
char *insights_query(const char *pattern, struct fpattern **fp, char **why);

/*
 * Where to cut the range [lo, hi] (epoch ms, inclusive) into at most k
 * parts that start on a whole second (Insights takes seconds): up to k-1
 * increasing points in (lo, hi], written to cuts. The parts are [lo,
 * cuts[0]-1], [cuts[0], cuts[1]-1] ... [cuts[m-1], hi]. Returns m (0 when
 * the range holds no whole second to cut at).
 */
size_t insights_cuts(int64_t lo, int64_t hi, size_t k, int64_t *cuts);

/* One StartQuery request. */
struct insights_start {
	const char **groups; /* 1..INSIGHTS_MAX_GROUPS names */
	size_t ngroups;
	int64_t start_s, end_s; /* epoch seconds, both inclusive */
	const char *query;
	int limit; /* 0: none sent */
};

/* The JSON body of StartQuery / GetQueryResults / StopQuery. Caller
 * frees. */
char *insights_start_body(const struct insights_start *, size_t *len);
char *insights_id_body(const char *query_id, size_t *len);
/* The body of GetQueryResults: token (NULL: the first page) and
 * max_items (0: none sent, the service's 10 000) as the botocore model's
 * nextToken and maxItems. Caller frees. */
char *insights_results_body(
    const char *query_id, const char *token, int max_items, size_t *len);

/*
 * A GetQueryResults answer kept as a table, for `stats` queries whose
 * rows are aggregates: every row's (field, value) string pairs, in order.
 * Values that are not strings are skipped.
 */
struct insights_cell {
	const char *field;
	const char *value;
};
struct insights_table {
	enum insights_status status;
	int has_stats;
	double matched, scanned, bytes;
	size_t nrows;
	size_t *row; /* row i: cells[row[i]] up to cells[row[i + 1]] */
	struct insights_cell *cells;
	char *mem; /* owner of the strings */
};

/* Decode a GetQueryResults body as a table (free with
 * insights_table_free). 0, or -1 with *cause (caller frees). */
int insights_table_decode(
    const char *body, size_t len, struct insights_table *, char **cause);
void insights_table_free(struct insights_table *);
/* The value of field in row i, or NULL. */
const char *insights_table_get(
    const struct insights_table *, size_t i, const char *field);
/* The status named s ("Complete"), or INSIGHTS_UNKNOWN. */
enum insights_status insights_status_of(const char *s);

/* The answer to one of the calls, as handed to its callback. */
struct insights_reply {
	enum logs_err err;
	int malformed;    /* MalformedQueryException (err LOGS_ERR_OTHER) */
	char *message;    /* otherwise: one line; take it (set NULL) */
	const char *code; /* the service's error code, or NULL */
	char *query_id;   /* StartQuery: take it (set NULL) */
	struct insights_answer answer; /* GetQueryResults */
	struct insights_table table;   /* GetQueryResults as a table */
	int success;                   /* StopQuery */
};

typedef void (*insights_cb)(void *arg, struct insights_reply *);

/* A call in flight, owned by whoever started it. */
struct insights_op;

/*
 * Start StartQuery, GetQueryResults or StopQuery. cb runs once, from the
 * loop, never before this returns; what it does not take is freed after
 * it returns. Throttling (LimitExceededException included) is left to
 * the caller: no retries on it here. The handle is valid until cb starts:
 * an owner that goes away first cancels it with insights_op_cancel(), and
 * cb never runs.
 */
struct insights_op *insights_start_async(
    struct aws_client *, const struct insights_start *, insights_cb, void *);
struct insights_op *insights_results_async(struct aws_client *,
    const char *query_id, const char *token, int max_items, insights_cb,
    void *);
/* GetQueryResults answered as a table (reply.table). */
struct insights_op *insights_table_async(
    struct aws_client *, const char *query_id, insights_cb, void *);
struct insights_op *insights_stop_async(
    struct aws_client *, const char *query_id, insights_cb, void *);
/* Cancel a call. Accepts NULL; harmless from inside its own callback. */
void insights_op_cancel(struct insights_op *);

#endif

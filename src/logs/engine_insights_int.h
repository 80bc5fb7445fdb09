/* SPDX-License-Identifier: Apache-2.0 */
/* The Logs Insights reader's internals (engine_insights*.c). */
#ifndef APILOGS_ENGINE_INSIGHTS_INT_H
#define APILOGS_ENGINE_INSIGHTS_INT_H

#include <stddef.h>
#include <stdint.h>

#include "aws/ratelimit.h"
#include "logs/event.h"
#include "logs/insights.h"

struct engine;
int ir_engine_done(const struct engine *);

/*
 * Quotas. Concurrency is documented: the CloudWatch Logs API model
 * (boto/botocore botocore/data/logs/2014-03-28/service-2.json, StartQuery)
 * says "up to 100 concurrent CloudWatch Logs insights queries, including
 * queries that have been added to dashboards" (30 in SDK docs of 2023, 10
 * in the 2022 user guide, 4 before); the pool is the account's, so a read
 * takes a tenth of it and less after LimitExceededException. No rate is
 * documented for StartQuery or GetQueryResults (not in the model, not in
 * awsdocs/amazon-cloudwatch-logs-user-guide cloudwatch_limits_cwl.md): 5/s
 * each is the guide's rate for the other Logs read APIs (FilterLogEvents,
 * DescribeLogGroups), halved on throttling and raised again on success.
 */
#define IR_CONCURRENCY 10
#define IR_RPS 5.0           /* StartQuery, GetQueryResults: each */
#define IR_POLL_FIRST_MS 250 /* first poll after the start */
#define IR_POLL_MAX_MS 2000
#define IR_BACKOFF_MAX_MS 10000
#define IR_STOP_GRACE_MS 3000 /* StopQuery on the way out */
/* Rows: StartQuery `limit` may be up to 100 000 (the model's
 * EventsLimitStartQuery) and GetQueryResults gives them maxItems (at most
 * 10 000) a page, nextToken to the next (valid one hour). Slices aim
 * below the limit; a page is small enough that its body (about 500 bytes
 * a row) and its decoded rows stay a few MiB. */
#define IR_QUERY_LIMIT 100000
#define IR_PAGE 10000
/* Polls of a running query ask for one row: its partial results are
 * not read, and the poll that sees Complete is a page of one row whose
 * nextToken reads the rest when the merge gets near (so a query that
 * finishes far ahead of the merge holds next to nothing). */
#define IR_POLL_ITEMS 1
#define IR_ROWS_PER_TASK 60000 /* aim below the limit when splitting */
#define IR_EVENT_BYTES 200     /* estimate: bytes per event */
#define IR_MAX_FIRST_SLICES 64
/* Bytes of decoded answers (strings and events) held ahead of the merge,
 * fetches in flight counted at their known size. A query that completes
 * beyond it (or more than IR_AHEAD tasks ahead of the merge) drops its
 * rows and is read again with GetQueryResults when the merge gets near
 * it: the service keeps a finished query's results, so the queries in
 * flight are bounded by the concurrency quota, not by memory. */
#define IR_MEM_BUDGET (6u << 20)
#define IR_AHEAD 1        /* tasks past the merge's next one kept */
#define IR_MAX_STARTED 64 /* tasks started and not merged out */

enum it_state {
	IT_WAIT,     /* not started */
	IT_START,    /* StartQuery in flight */
	IT_POLL,     /* running: polling (timer, queue or call) */
	IT_COMPLETE, /* finished, rows not held (qid kept to read them) */
	IT_FETCH,    /* reading a finished query's rows (queue or call) */
	IT_DONE      /* rows ready to merge */
};

struct itask {
	struct ireader *ir;
	size_t batch;
	int64_t lo, hi; /* ms, inclusive */
	enum it_state state;
	char *qid;
	struct insights_op *op;
	uint64_t timer;
	int64_t poll_ms;
	int queued;                 /* waiting for a GetQueryResults token */
	struct itask *qnext;        /* that queue */
	struct itask *next;         /* the batch's tasks, in time order */
	struct insights_answer ans; /* the strings of ev (ans.mem only) */
	struct event *ev;           /* rows kept, sorted */
	size_t n, pos;
	size_t bytes; /* held while done: ans.mem, carry and ev; once known,
			 the size its rows take when read again */
	char *token;  /* nextToken: the query has more pages */
	int paging;   /* the read in flight is the next page */
	int64_t page_last; /* with token: the page's last timestamp */
	int64_t floor;     /* no row of t still to come is older */
	size_t got;        /* rows the service gave so far (the limit) */
	char *carry;       /* strings of the rows kept from the last page */
	size_t carry_len;
	const char **groups; /* a busy second's half of the batch, or NULL */
	size_t ngroups;
	int pf;                       /* the next page is asked for ahead */
	int has_next;                 /* ...and has come: ahead */
	struct insights_answer ahead; /* a page read ahead of the merge */
	size_t next_bytes;
};

struct ibatch {
	const char **groups;
	size_t n;
	struct itask *head;
};

struct ireader {
	struct engine *e;
	char *query;
	struct fpattern *fp; /* the filter pattern, checked on every row */
	struct ibatch *b;
	size_t nb;
	struct ratelimit rl_start, rl_get;
	int running;     /* StartQuery sent, not finished */
	int max_running; /* lowered on LimitExceededException */
	int ready;       /* tasks done, not merged out */
	int complete;    /* tasks finished, rows not held (or fetching) */
	int64_t backoff_ms;
	uint64_t start_timer, get_timer;
	struct itask *gq_head, *gq_tail; /* waiting to poll */
	uint64_t seq;
	int one_src;  /* no two sources share a group (ir_batches) */
	int fallback; /* access denied in auto: read with FilterLogEvents */
	int mixed;    /* one pool among three (engine_insights_mix.c): the
			 history merge takes its rows, the run goes on after
			 a fallback (the feeds read its groups) */
	struct itask *peeked; /* the task ir_peek found */
	size_t mem_budget;    /* IR_MEM_BUDGET, or less when mixed */
	size_t ahead;         /* IR_AHEAD, or less when mixed */
	int page_rows;        /* GetQueryResults maxItems: IR_PAGE, or less */
	int conc;             /* queries at once: IR_CONCURRENCY, or less */
	int stops;            /* StopQuery in flight */
	int stops_done;
	int closing;
	uint64_t queries, splits;
	size_t held;        /* bytes of the done and fetching tasks */
	size_t peak_held;   /* the most held at once */
	int peak_ready;     /* the most done tasks at once */
	size_t answer_max;  /* the largest answer so far (itask.bytes) */
	uint64_t answers;   /* answers decoded so far */
	uint64_t refetches; /* finished queries whose rows were read again */
	uint64_t pages;     /* pages read after a query's first */
	size_t page_max;    /* the largest page so far (bytes held) */
	int peak_running;   /* the most queries running at once */
	double bytes;  /* statistics.bytesScanned of the finished queries */
	int has_stats; /* one of them had statistics (moto: none) */
};

/* engine_insights_rows.c: tasks, rows, the merge */
struct itask *ir_task(
    struct ireader *, size_t b, int64_t lo, int64_t hi, struct itask *prev);
void ir_task_free(struct ireader *, struct itask *);
struct itask *ir_split(struct ireader *, size_t b, int64_t lo, int64_t hi,
    size_t k, struct itask *prev);
int ir_rows(struct ireader *, struct itask *);
void ir_merge(struct ireader *);
struct itask *ir_peek(struct ireader *, int64_t *bound);
size_t ir_rank(struct ireader *, struct itask *);
int ir_hold_ok(struct ireader *, struct itask *);
struct itask *ir_fetch_next(struct ireader *);
struct itask *ir_page_next(struct ireader *);
struct itask *ir_prefetch_next(struct ireader *);
void ir_carry(struct ireader *, struct itask *);
int ir_capped_early(struct ireader *, struct itask *);
void ir_batches(struct ireader *);
void ir_first_tasks(struct ireader *, int64_t lo, int64_t hi, size_t ngroups);

/* engine_insights.c: start queries; rows went out (read, start more) */
void ir_pump(struct ireader *);
void ir_after_merge(struct ireader *);
/* engine_insights_end.c: a reader set up and freed, its end */
int ir_open(struct ireader *, struct engine *, size_t ngroups);
int ir_finished(const struct ireader *);
void ir_free(struct ireader *);

/* Is the reader to stop (the run ends, or it gave way)? */
static inline int
ir_off(const struct ireader *ir)
{
	return (ir->fallback || ir->closing || ir_engine_done(ir->e));
}

/* engine_insights_end.c: StopQuery on the way out, the -v report */
void ir_on_stop(void *, struct insights_reply *);
void ir_close(struct ireader *);
void ir_report(struct ireader *);

#endif

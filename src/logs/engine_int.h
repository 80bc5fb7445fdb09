/* SPDX-License-Identifier: Apache-2.0 */
/* Engine internals shared by the engine*.c files. */
#ifndef APILOGS_ENGINE_INT_H
#define APILOGS_ENGINE_INT_H

#include <stdint.h>

#include "aws/aws.h"
#include "aws/ratelimit.h"
#include "logs/delayest.h"
#include "logs/dedup.h"
#include "logs/engine.h"
#include "logs/heap.h"
#include "logs/pollsched.h"

enum feed_state {
	FEED_IDLE,     /* nothing requested */
	FEED_QUEUED,   /* waiting for a rate-limit token */
	FEED_INFLIGHT, /* request sent */
	FEED_TIMER,    /* waiting for a timer (next poll, backoff) */
	FEED_DONE
};

struct feed {
	struct engine *eng;
	struct source *src;
	uint32_t srcidx;
	const char **names; /* chunk of stream names */
	size_t nnames;
	int64_t start; /* window (LOGS_TIME_UNSET) */
	int64_t end;
	char *token;
	int repeats; /* same token returned */
	int reread;  /* a response repeated its token: dedup pages */
	/* This read's pagination (see feed_check_page). */
	struct dedup *seen; /* tokens and pages returned, or NULL */
	size_t read_pages;  /* pages of this read so far */
	int last_empty;     /* the previous page had no events */
	int again;          /* pages served again after an empty page */
	int failures;       /* bad pages in a row */
	enum feed_state state;
	int paused; /* back-pressure */
	/* Time slices of one source (history): a list in time order. */
	struct feed *prev_slice, *next_slice;
	int64_t cut;     /* drop events after this (LOGS_TIME_UNSET: none) */
	int split_done;  /* the split decision was made */
	int64_t sent_at; /* when the request in flight was sent (mono) */
	/* A feed's pages, oldest first: qhead (in memory: whole pages, or
	 * the chunk read back from disk), then the spill file, then ohead
	 * (in memory again, after the spilled ones: within the memory
	 * budget, or because the disk refused them). */
	struct page *qhead, *qtail;
	size_t npages; /* whole pages in qhead (chunks not counted) */
	int spill_fd;
	uint64_t spill_r, spill_w;
	size_t nspilled; /* records on disk, the one being read included */
	/* The record being read back (rec_n 0: none started). */
	uint64_t rec_n, rec_k, rec_str, rec_strbytes;
	struct page *ohead, *otail;
	size_t nover;
	long heap_pos; /* -1: not in the heap */
	uint64_t timer;
	struct logs_op *op;     /* the request in flight, or NULL */
	struct feed *wait_next; /* rate-limit queue */
	int queued;             /* on the rate-limit queue */
	/* Follow. */
	int following;
	int64_t cycle_start; /* wall clock: the poll covers up to here */
	int64_t cycle_mono;  /* the same moment, monotonic: spacing */
	int64_t watermark;   /* complete up to here */
	int64_t max_seen;
	int64_t delay_cur; /* max ingest delay this poll */
	int missing;
	int warned_missing;
	int warned_error;
	size_t slot;       /* its pollsched slot */
	int granted;       /* the scheduler let its next request go */
	size_t poll_found; /* events this poll returned (before dedup) */
	/* Live mode (engine_live.c): a backfill of a session's gap, or a
	 * poller of a group Live Tail does not cover; NULL otherwise. */
	struct live_session *live;
	int live_poll; /* polls on (fallback), rather than one read */
	/* The stream a GetLogEvents read was made for (engine_get.c),
	 * owned, or NULL; get: it reads with GetLogEvents (cleared when
	 * GetLogEvents is denied: then FilterLogEvents reads the stream). */
	char *gstream;
	int get;
};

/* An event held by the follow merge, with its own copy of the strings. */
struct fev {
	struct event ev;
	int64_t arrival; /* monotonic: hold-back deadline */
	const struct source *src;
};

struct engine {
	int said_long_wait; /* a long Retry-After was reported */
	struct loop *loop;
	struct aws_client *logs;
	struct engine_opts o;
	struct source **srcs;
	size_t nsrc;
	struct feed **feeds;
	size_t nfeeds;
	struct ratelimit rl;            /* FilterLogEvents */
	struct ratelimit rl_get;        /* GetLogEvents */
	struct ratelimit rl_desc;       /* DescribeLogStreams */
	struct feed *gq_head, *gq_tail; /* waiting for rl_get */
	int pump_turn;                  /* which pool the pump serves first */
	struct getplan *gplan;          /* engine_get.c, or NULL */
	/* Three pools (engine_insights_mix.c): the Logs Insights reader of
	 * some groups, running beside the feeds of the others, one source of
	 * the history merge; NULL otherwise. ir_src: per source, read by it. */
	struct ireader *ir;
	unsigned char *ir_src;
	struct mixplan *mix; /* the groups' streams being listed, or NULL */
	int draining, drain_again;      /* hist_drain: not re-entered */
	size_t get_feeds;               /* GetLogEvents feeds made */
	int said_get_denied;            /* GetLogEvents denied: said once */
	struct feed *wq_head, *wq_tail; /* the output waits on these */
	struct feed *bq_head, *bq_tail; /* read-ahead (later slices) */
	int64_t hist_end;               /* the end of the history window */
	uint64_t spill_bytes;           /* on disk now */
	int spill_off;     /* the disk refused a spill: read ahead in memory */
	char *spill_stage; /* staging buffer of spill_write, or NULL */
	size_t mem_pages;  /* whole decoded pages in memory (history) */
	size_t chunk_size; /* bytes of strings per chunk read back */
	size_t chunk_mem;  /* bytes of the chunks in memory */
	int inflight;      /* FilterLogEvents in flight */
	int in_hand;       /* history: a page arrived, not stored yet */
	double latency_ms; /* their round trip (EWMA) */
	uint64_t wq_timer;
	/* History merge: feeds with pages, by their head event. */
	struct heap heap;
	/* Follow merge. */
	int following;
	int will_follow;   /* follow after history */
	int hold_hist;     /* the history's last seconds go to the follow heap
			      (a Live Tail session opened before it) */
	int64_t t0;        /* history/follow boundary */
	struct heap fheap; /* held events (struct fev) */
	uint64_t release_timer;
	struct dedup *dedup;
	int64_t last_prune;   /* monotonic */
	struct pollsched ps;  /* which follow feed polls next */
	uint64_t sched_timer; /* the next poll the scheduler allows */
	int hold_auto;        /* --hold-back auto: wait for active sources */
	/* The ingestion delay of events (delayest.h), polled or live. */
	struct delayest delay;
	int64_t *hist_last; /* per source: its newest history event */
	struct live *live;  /* Live Tail sessions (engine_live.c), or NULL */
	/* Output order: the last emitted key. */
	int emitted_any;
	int64_t last_ts;
	int64_t last_ingest;
	uint64_t seq;
	/* Run state. */
	int wake; /* re-check the run state */
	int done;
	int stopping;
	enum engine_status status;
	char *cause;
	struct engine_stats st;
	engine_emit_cb emit;
	engine_notice_cb notice;
	engine_idle_cb idle;
	void *cb_arg;
	engine_tick_cb tick;
	int64_t tick_ms;
	uint64_t tick_timer;
};

void engine_notice(struct engine *, int, const char *, ...)
    __attribute__((format(printf, 3, 4)));
void engine_fail(struct engine *, enum engine_status, const char *, ...)
    __attribute__((format(printf, 3, 4)));
void engine_request(struct engine *, struct feed *);
void engine_pump(struct engine *);

/* engine_page.c: the answer to a feed's request */
struct logs_filter_result;
void engine_on_page(void *feed, struct logs_filter_result *);

int engine_emit_event(struct engine *, struct event *, const struct source *);

/* engine_feed.c: the one place feeds are made and freed */
struct feed *feed_new(
    struct engine *, uint32_t srcidx, const char **names, size_t nnames);
void feed_free(struct engine *, struct feed *);
void feed_free_all(struct engine *);

enum feed_page {
	FEED_PAGE_NEW,   /* go on */
	FEED_PAGE_AGAIN, /* served again after an empty page: drop it */
	FEED_PAGE_CYCLE  /* the read would never end: *cause says why */
};
enum feed_page feed_check_page(struct feed *, const struct page *,
    const char *next, int repeated, char **cause);
void feed_read_reset(struct feed *);
const char *feed_op(const struct feed *);

/* engine_spill.c */
int spill_write(struct engine *, struct feed *, const struct page *);
struct page *spill_read(
    struct engine *, struct feed *, size_t max_bytes, char **cause);
void spill_close(struct engine *, struct feed *);

/* engine_hist.c */
void hist_init(struct engine *);
void hist_note_held(struct engine *);
int hist_feed_active(const struct feed *);
void hist_split(struct engine *, struct feed *, const struct page *);
void hist_page(struct engine *, struct feed *, struct page *);
void hist_drop_seen(struct engine *, struct feed *, struct page *);
void hist_feed_done(struct engine *, struct feed *);
void hist_drain(struct engine *);
int hist_finished(struct engine *);

/* engine_insights.c: read the history through Logs Insights; 1 when
 * it gave way to FilterLogEvents (auto, access denied) before any event. */
int insights_read(struct engine *);

/* engine_insights_mix.c: Logs Insights as one pool among three. start:
 * list the groups' streams (all at once), then choose its groups
 * (e->ir_src), start it, and make and request the feeds of the others
 * (engine_start_feeds: every source but those skip[i] marks). peek: its next
 * row for the history merge (*ev, which may be at or past *bound, or NULL) and
 * the bound under which no row of it is still to come; take: emit that row
 * (engine_emit_event's result); after: rows went out, read on. wake (between
 * runs of the loop): 1 when it gave way under auto; the caller makes feeds for
 * its groups, then calls close (StopQuery, bounded in time; -v report) and
 * requests them. finished: every row merged out. end: close it if open, free
 * the selection. */
void insights_mix_start(struct engine *);
void engine_start_feeds(struct engine *, const unsigned char *skip);
int insights_mix_peek(struct engine *, struct event **ev, int64_t *bound);
int insights_mix_take(struct engine *);
void insights_mix_after(struct engine *);
int insights_mix_wake(struct engine *);
void insights_mix_close(struct engine *);
int insights_mix_finished(struct engine *);
void insights_mix_end(struct engine *);
/* -v at the end of a history read: the events and groups of each pool
 * (nothing when Logs Insights was not one of them). */
void insights_mix_report(struct engine *);

/* engine_get.c: streams read with GetLogEvents */
void getplan_start(struct engine *);
struct logs_stream;
int getplan_counts(const struct logs_stream *, int64_t start);
double getplan_gain(const struct page *, int64_t limit);
int getplan_cost(double fpages, size_t nstreams, double gain, double f_rps,
    double g_rps, double *f, double *g);
int getplan_eligible(const struct source *);
void getplan_exclude(struct engine *, size_t);
int getplan_page(struct engine *, struct feed *, const struct page *);
int getfeed_denied(struct engine *, struct feed *);
void getplan_free(struct engine *);
void getfeed_send(struct engine *, struct feed *);
void getfeed_page(struct engine *, struct feed *, struct page *, char *next);

/* engine_follow.c */
void follow_init(struct engine *);
void follow_start(struct engine *);
struct feed *follow_feed_new(struct engine *, uint32_t srcidx);
void follow_feed_start(
    struct engine *, struct feed *, int64_t from, int active);
void follow_page(struct engine *, struct feed *, struct page *);
void follow_cycle_done(struct engine *, struct feed *);
void follow_retry_later(struct engine *, struct feed *, int64_t delay);
void follow_want(struct engine *, struct feed *);
void follow_release(struct engine *, int all);
void follow_free(struct engine *);

/* engine_live.c: --watch through Live Tail */
int live_start(struct engine *);
void live_early(struct engine *);
void live_early_t0(struct engine *);
int live_hold(struct engine *, uint32_t srcidx, struct event *, int64_t now);
int live_hold_read(
    struct engine *, uint32_t srcidx, struct event *, int64_t now);
void live_mark_read(struct engine *, const struct event *);
int live_add_source(struct engine *, uint32_t srcidx);
void live_page(struct engine *, struct feed *, struct page *);
int live_bound(struct engine *, int64_t *min_wm, int *nsrc);
void live_free(struct engine *);

#endif

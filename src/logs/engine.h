/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The reading engine of `get`: fetches every source concurrently on the
 * loop (FilterLogEvents, paginated, under one global rate limiter; long
 * reads of groups with few streams may move to GetLogEvents under its
 * own), merges
 * them in time order and hands events to an emit callback.
 *
 * History: one feed per source (per chunk of 100 stream names), bounded
 * queues of pages (back-pressure), k-way merge by (timestamp, ingestion
 * time, source, arrival). An event is emitted only when every live feed
 * has a head or is done, so the output is in exact time order.
 *
 * Follow (--watch): after the history up to T0, each feed polls every
 * interval from max(seen timestamp) - overlap, drops events it has seen
 * (dedup on source + eventId, pruned by time) and releases an event once
 * every feed that counts has been polled past its timestamp or the
 * hold-back deadline passes. Polls are scheduled by activity within one
 * budget (pollsched.h). Late events are still emitted, flagged EVENT_LATE.
 */
#ifndef APILOGS_ENGINE_H
#define APILOGS_ENGINE_H

#include <stddef.h>
#include <stdint.h>

#include "logs/event.h"

struct aws_client;
struct loop;
struct source;

#define ENGINE_NOTICE_WARN 0  /* always shown */
#define ENGINE_NOTICE_INFO 1  /* shown with -v */
#define ENGINE_NOTICE_DEBUG 2 /* shown with -vv */

/* Pages (up to ~1.3 MB each) a history read keeps in memory over all its
 * sources by default: decoded ones plus responses in flight. The others
 * wait on disk. */
#define ENGINE_MEM_PAGES 4

struct engine_stats {
	size_t peak_mem_pages;      /* whole decoded pages in memory at most */
	size_t peak_held_pages;     /* the same plus responses in flight */
	size_t peak_chunk_bytes;    /* pages read back from disk in chunks */
	size_t budget_spills;       /* pages spilled for the memory budget */
	size_t slices;              /* time slices created */
	size_t spilled;             /* pages that went through the disk */
	uint64_t events;            /* emitted */
	uint64_t requests;          /* FilterLogEvents sent */
	uint64_t get_requests;      /* GetLogEvents sent */
	uint64_t describe_requests; /* DescribeLogStreams sent */
	size_t get_groups;          /* groups read with GetLogEvents */
	size_t get_streams;         /* their streams */
	size_t ir_groups;           /* groups read through Logs Insights
				       beside the other pools (insights_mix) */
	uint64_t ir_events;         /* events those gave */
	uint64_t get_events;        /* events read with GetLogEvents */
	uint64_t throttles;
	size_t feeds_done;
	size_t feeds;
	size_t sources_done;    /* every read of the source finished */
	uint64_t live_sessions; /* Live Tail sessions started */
	uint64_t live_events;   /* events that came through Live Tail */
	size_t sources;
	int64_t position;   /* timestamp of the last event */
	int64_t start, end; /* the history window */
};

/* How --watch follows (--follow-mode). */
enum engine_follow {
	ENGINE_FOLLOW_AUTO = 0, /* Live Tail, polling when it is refused */
	ENGINE_FOLLOW_LIVE,     /* Live Tail only: a refusal is an error */
	ENGINE_FOLLOW_POLL      /* FilterLogEvents polling only */
};

struct engine_opts {
	int64_t start;       /* ms, or LOGS_TIME_UNSET */
	int64_t end;         /* ms, or LOGS_TIME_UNSET */
	const char *pattern; /* filter pattern */
	int follow;
	int64_t interval_ms;
	int64_t hold_back_ms; /* -1: auto (wait for the sources polled every
				 interval, as long as they need) */
	int64_t overlap_ms;
	double max_rps;
	size_t max_pages;     /* read-ahead pages per feed (history) */
	size_t max_mem_pages; /* pages in memory or in flight, all feeds */
	int limit;            /* FilterLogEvents limit, 0 default */
	int64_t missing_recheck_ms;
	size_t max_slices;  /* split a long history read: 0/1 = no */
	uint64_t spill_max; /* disk for read-ahead slices (0: 4 GiB) */
	enum engine_follow follow_mode;
	/* Live Tail sessions go here (the logs client of the run when
	 * NULL); tests point it at a fake. */
	struct aws_client *live_client;
	/* Read the history through Logs Insights (engine_insights.c); not
	 * with follow. insights_auto: the user did not ask for it, so a
	 * denied access falls back to FilterLogEvents with one notice. */
	int insights;
	int insights_auto;
	double insights_estimate; /* bytes the window holds, 0: unknown */
	/* storedBytes of a group on average, 0: unknown: the most its share
	 * of the window may hold (the three-pool split's cost test). */
	double group_stored;
	/* With insights: Logs Insights reads a share of the groups while
	 * FilterLogEvents and GetLogEvents read the others, all in one
	 * merge (engine_insights_mix.c). */
	int insights_mix;
	/* Queries each batch's window starts as (0: enough to fill the
	 * concurrency or the estimate). A search for a rare term (trace)
	 * asks for 1: one query per 50 groups, split only at the row cap. */
	size_t insights_slices;
	/* History without a filter pattern and without follow: the long
	 * read of a group with at most stream_reads streams active in the
	 * window may go on stream by stream through GetLogEvents (its own
	 * quota) while FilterLogEvents reads the others (engine_get.c).
	 * 0: never. */
	size_t stream_reads;
	double get_rps;      /* GetLogEvents budget (0: 10) */
	double describe_rps; /* DescribeLogStreams budget (0: 25) */
};

/* Return non-zero to stop the run (e.g. stdout closed). */
typedef int (*engine_emit_cb)(
    void *arg, const struct event *, const struct source *);
typedef void (*engine_notice_cb)(void *arg, int level, const char *msg);
/* Called when the engine is about to wait (flush output here). */
typedef void (*engine_idle_cb)(void *arg);

struct engine;

/* Create an engine. Caller frees with engine_free(). */
struct engine *engine_new(
    struct loop *, struct aws_client *logs, const struct engine_opts *);
/* Add a source (borrowed until engine_free). Before engine_run it is read
 * from the start; while following (re-discovery) it is followed from now
 * minus the overlap. Returns the source's index. */
uint32_t engine_add_source(struct engine *, struct source *);
void engine_free(struct engine *);
void engine_set_callbacks(struct engine *, engine_emit_cb, engine_notice_cb,
    engine_idle_cb, void *arg);

enum engine_status {
	ENGINE_OK = 0,      /* finished, or stopped by emit/signal */
	ENGINE_ERR_AWS,     /* a call failed for good (exit 1) */
	ENGINE_ERR_ACCESS,  /* credentials or access (exit 4) */
	ENGINE_ERR_NOTFOUND /* a required log group is missing (5) */
};

/* Run to the end (history) or until stopped (follow). On failure *cause
 * holds one line (caller frees). It runs the loop: the command layer calls
 * it, never a callback; nothing the engine calls back runs the loop. */
enum engine_status engine_run(struct engine *, char **cause);
const struct engine_stats *engine_stats(const struct engine *);
/* Ask a running engine to finish (e.g. on SIGINT): pending output is
 * released, then engine_run returns ENGINE_OK. */
void engine_stop(struct engine *);
/* A periodic hook while running (progress line), every period_ms. */
typedef void (*engine_tick_cb)(void *arg, const struct engine_stats *);
void engine_set_tick(struct engine *, engine_tick_cb, int64_t);

#endif

/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Request tracing: from one request id (API Gateway or Lambda), find every
 * line of that request across the execution log, the access log and the
 * Lambda functions (and the authorizer) behind an API, from the logs
 * alone, and summarise it.
 */
#ifndef APILOGS_TRACE_H
#define APILOGS_TRACE_H

#include <stddef.h>
#include <stdint.h>

#include "discover/role.h"
#include "logs/event.h"
#include "trace/logline.h"

struct aws_client;
struct loop;

/* A log group to search, and its role from discovery. */
struct trace_source {
	const char *group;
	enum discover_role role; /* NONE: its kind is told by its name */
};

enum trace_kind {
	TRACE_UNKNOWN, /* found, but not as a request id of a known log */
	TRACE_API,     /* an API Gateway request id */
	TRACE_LAMBDA   /* a Lambda request id */
};

/* One line of the timeline (its strings owned by the trace). */
struct trace_ev {
	struct event ev;
	const struct trace_source *src; /* in the array given to trace_new */
	struct logline ll;
	int inferred; /* found by time (the authorizer), not by id */
};

struct trace_invocation {
	char id[LOGLINE_IDLEN];
	const struct trace_source *src;
	int authorizer; /* the authorizer's invocation */
	int inferred;   /* matched by time, not by id */
	int have_report;
	double duration_ms, billed_ms, init_ms;
	int memory_mb, max_memory_mb;
	char status[LOGLINE_STATUSLEN];
	char error_type[LOGLINE_ERRTYPELEN]; /* REPORT's Error Type, or "" */
	int crashed;                         /* runtime exit or crash line */
};

struct trace_summary {
	enum trace_kind kind;
	char apigw_id[LOGLINE_IDLEN];
	char method[LOGLINE_METHODLEN];
	char path[LOGLINE_PATHLEN];
	int status;                  /* -1 unknown */
	long latency_ms;             /* -1 unknown */
	long integration_latency_ms; /* -1 unknown */
	char authorizer[LOGLINE_IDLEN];
	char auth_result[32];         /* allowed, denied, or "" */
	char xray_id[LOGLINE_IDLEN];  /* X-Ray trace id, or "" */
	struct trace_invocation *inv; /* every invocation, in order */
	size_t ninv;
	char **errors; /* one line each, in order, no repeats */
	size_t nerrors;
};

/* How the first search (the id over the whole window) reads. */
enum trace_engine {
	TRACE_ENGINE_AUTO,   /* Logs Insights over TRACE_INSIGHTS_MIN_MS */
	TRACE_ENGINE_FILTER, /* FilterLogEvents only */
	TRACE_ENGINE_INSIGHTS
};

/* auto searches a window longer than this through Logs Insights. */
#define TRACE_INSIGHTS_MIN_MS (10 * 60 * 1000)

struct trace_opts {
	int64_t start;
	int64_t end;
	double max_rps;
	enum trace_engine engine;
};

typedef void (*trace_notice_cb)(void *arg, int level, const char *msg);

struct trace;

/* Trace over srcs (borrowed, with their groups, until trace_free). Caller
 * frees with trace_free(). */
struct trace *trace_new(struct loop *, struct aws_client *logs,
    const struct trace_source *srcs, size_t nsrcs, const struct trace_opts *,
    trace_notice_cb, void *);
void trace_free(struct trace *);

enum trace_status {
	TRACE_OK,
	TRACE_NOT_FOUND,
	TRACE_ERR_AWS,
	TRACE_ERR_ACCESS,
	TRACE_ERR_USAGE /* --engine insights cannot search for this id */
};

/* Find the request; on failure *cause says what was searched. Each search
 * is one engine run after the other, so this runs the loop: for the command
 * layer only, never from a callback. */
enum trace_status trace_run(struct trace *, const char *id, char **cause);
/* The timeline, in time order. */
struct trace_ev **trace_timeline(struct trace *, size_t *n);
const struct trace_summary *trace_summary(struct trace *);
/* Fill sum (kind and apigw_id already set) from a timeline in order; free
 * what it adds with trace_summary_free(). */
void trace_summarise(struct trace_ev **, size_t, struct trace_summary *);
/* Free a summary's invocations and errors (not the summary). */
void trace_summary_free(struct trace_summary *);

#endif

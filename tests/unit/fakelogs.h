/* SPDX-License-Identifier: Apache-2.0 */
/*
 * An in-memory CloudWatch Logs for unit tests, served through the aws
 * layer's pluggable transport, in virtual time. Events become visible at
 * their ingestion time, so follow mode can be tested deterministically.
 * Faults can be injected per request.
 */
#ifndef APILOGS_FAKELOGS_H
#define APILOGS_FAKELOGS_H

#include <stddef.h>
#include <stdint.h>

#include "aws/aws.h"
#include "aws/loop.h"

/*
 * A virtual clock: now is the wall clock, mono the monotonic one; both
 * start at the same value and advance together. A test may step now alone
 * (as an administrator or NTP steps the system clock).
 */
struct fakeclock {
	int64_t now;
	int64_t mono;
	struct clock clock;
};

void fakeclock_init(struct fakeclock *, int64_t now);

struct fake_event {
	char *group;
	char *stream;
	int64_t ts;
	int64_t ingest;
	char *msg;
	char id[24];
};

enum fake_fault {
	FAULT_NONE,
	FAULT_THROTTLE, /* 400 ThrottlingException */
	FAULT_500,
	FAULT_503,
	FAULT_BADJSON,      /* 200 with a truncated body */
	FAULT_RESET,        /* transport error */
	FAULT_EMPTY_PAGE,   /* 200, no events, a token to the same place */
	FAULT_REPEAT_TOKEN, /* return the token that was sent */
	FAULT_EXPIRED,      /* 400 ExpiredTokenException */
	FAULT_EMPTY_ALIAS,  /* 200, no events, another token, same place */
	FAULT_TOKEN_BACK,   /* the page, and the token of one page earlier:
			       A, B, A */
	FAULT_IGNORE_TOKEN, /* the first page again, with a fresh token */
	FAULT_DENIED        /* 400 AccessDeniedException */
};

enum {
	FAKE_OP_OTHER,
	FAKE_OP_FILTER,
	FAKE_OP_GET,
	FAKE_OP_DESCRIBE,
	FAKE_OP_START,   /* StartQuery (fakeinsights.c) */
	FAKE_OP_RESULTS, /* GetQueryResults */
	FAKE_OP_STOP,    /* StopQuery */
	FAKE_OP_KINDS
};

/* A Logs Insights query (fakeinsights.c). */
struct fake_query {
	char **groups;
	size_t ngroups;
	int64_t start_s, end_s; /* both inclusive, whole seconds */
	int64_t limit;
	int polls; /* GetQueryResults answered so far */
	int stopped;
};

struct fakelogs {
	struct loop *loop;
	struct fake_event *ev;
	size_t n;
	char **groups; /* existing groups */
	size_t ngroups;
	int page_size;
	int64_t latency_ms;
	/* faults[i] is applied to request number i (0-based). */
	enum fake_fault *faults;
	size_t nfaults;
	enum fake_fault every_fault; /* applied every 'every' */
	const char *retry_after;     /* Retry-After of throttles, or NULL */
	int every;
	/* Statistics. */
	int requests;
	int filter_requests;
	int get_requests;      /* GetLogEvents */
	int describe_requests; /* DescribeLogStreams */
	int *req_kinds;        /* per request: FAKE_OP_* */
	int streams_page;      /* DescribeLogStreams page size (0: 50) */
	int deny_get;          /* every GetLogEvents: AccessDeniedException */
	/* kind_fault applies to the kind_fault_n-th (0-based) request of
	 * kind kind_fault_kind, every kind_fault_every-th after it (0: once).
	 */
	int kind_fault_kind, kind_fault_n, kind_fault_every;
	enum fake_fault kind_fault;
	int kind_seen[FAKE_OP_KINDS]; /* requests per kind */
	size_t get_served;            /* events GetLogEvents returned */
	int get_empties; /* empty GetLogEvents pages served mid-stream */
	int64_t *req_times;
	char **req_groups; /* group of each request (NULL: none), per k */
	size_t served;     /* events returned */
	int inflight;      /* requests whose answer is pending */
	int no_ids;        /* answer without eventId */
	int cancelled;     /* requests aborted by their caller */
	/* Logs Insights (fakeinsights.c): a query is Running for
	 * insights_running polls, then Complete; its rows are the events of
	 * its groups in its seconds visible at the start, sorted by time, at
	 * most its limit. insights_fail_start: the n-th StartQuery (1-based,
	 * 0: none) fails with InvalidParameterException. */
	struct fake_query *queries;
	size_t nqueries;
	int insights_running;
	int insights_fail_start;
	int start_requests, results_requests, stop_requests;
	size_t rows_served;
};

void fakelogs_init(struct fakelogs *, struct loop *);
void fakelogs_free(struct fakelogs *);
void fakelogs_add_group(struct fakelogs *, const char *group);
/* Add an event; the group is created. ingest < 0 means ingest = ts. */
void fakelogs_add(struct fakelogs *, const char *group, const char *stream,
    int64_t ts, int64_t ingest, const char *msg);
void fakelogs_fault(struct fakelogs *, size_t request, enum fake_fault);

/* Serve a Logs Insights call of kind (FAKE_OP_START...) into resp. */
struct http_response;
void fakeinsights_serve(
    struct fakelogs *, int kind, const void *req, struct http_response *);
void fakeinsights_free(struct fakelogs *);

/* Set up ctx (transport, credentials, loop) to talk to fl. */
void fakelogs_ctx(struct fakelogs *, struct aws_ctx *, struct loop *);

#endif

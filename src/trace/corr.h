/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Request correlation for get: tag each event with the API Gateway request
 * id and the Lambda request id it belongs to, learned from the logs alone.
 *
 * Execution-log lines carry their API request id; the Lambda request id of
 * the integration appears in "Endpoint response headers: {...
 * x-amzn-RequestId=...}" and "AWS Integration Endpoint RequestId : ...",
 * and access logs may log both. Lambda lines carry the Lambda id (START,
 * END, REPORT, Node/Python/JSON lines) or none (plain print), in which case
 * they belong to the invocation running in their stream between START and
 * REPORT; lines after a REPORT or an INIT_START, and extension and
 * telemetry lines, belong to the invocation that starts next. An HTTP
 * API's Lambda request is linked by a Powertools correlation_id equal to
 * an API request id seen in the API's logs. Old execution lines without
 * the "(id) " prefix belong to the request started last in their stream.
 * The mapping line comes after the Lambda's own lines, so events wait in a
 * bounded look-ahead queue (in order) until their API id is known or the
 * window passes.
 */
#ifndef APILOGS_CORR_H
#define APILOGS_CORR_H

#include <stddef.h>
#include <stdint.h>

#include "discover/role.h"
#include "logs/event.h"
#include "trace/logline.h"

struct source;

struct corr_tag {
	char apigw[LOGLINE_IDLEN]; /* "" when unknown */
	char lambda[LOGLINE_IDLEN];
};

/* Receives events in order with their tags; non-zero stops the run. */
typedef int (*corr_emit_cb)(void *arg, const struct event *,
    const struct source *, const struct corr_tag *);

struct corr_opts {
	int64_t lookahead_ms; /* hold up to this much event time */
	int64_t wait_ms;      /* and this much wall time (follow) */
	size_t max_held;      /* never hold more events than this */
	int wait_for_mapping; /* hold Lambda lines for their API id */
	const char *only_id;  /* --request-id: emit only this request */
};

struct corr;

/* Caller frees with corr_free(). */
struct corr *corr_new(const struct corr_opts *, corr_emit_cb, void *);
void corr_free(struct corr *);
/*
 * Take an event (copied) of source s (handed back to the emit callback;
 * its address tells streams apart) and of the given kind (see
 * corr_source_kind()) at wall time now; emits what is ready.
 */
int corr_push(struct corr *, const struct event *, const struct source *s,
    enum logline_source kind, int64_t now);
/* Emit what has waited long enough (all when all); non-zero to stop. */
int corr_release(struct corr *, int64_t now, int all);
/* Which log a group is, from its role or (DISCOVER_ROLE_NONE) its name. */
enum logline_source corr_source_kind(enum discover_role, const char *group);
size_t corr_held(const struct corr *);

#endif

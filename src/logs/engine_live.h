/* SPDX-License-Identifier: Apache-2.0 */
/* Live Tail in the engine: sources into sessions (engine_live.c), one
 * session's life (engine_livesess.c) and the reads around them
 * (engine_livefeed.c). */
#ifndef APILOGS_ENGINE_LIVE_H
#define APILOGS_ENGINE_LIVE_H

#include <stdint.h>

#include "logs/engine_int.h"
#include "logs/livetail.h"

#define LIVE_SLACK_MS 1000 /* a sampled window starts this much earlier */
/* The watermark rule (live_update): an update received at wall time U
 * carries every event ingested up to about U - LIVE_TRANSIT_MS. */
#define LIVE_TRANSIT_MS 50
#define LIVE_DELAY_PRIOR_MS 1000  /* assumed ingestion delay until... */
#define LIVE_DELAY_MIN_N 16       /* ...this many events were seen */
#define LIVE_DELAY_DECAY_MS 60000 /* the learned delay fades this slowly */
#define LIVE_RETRY_MAX_MS 30000
#define LIVE_EARLY_WAIT_MS 3000 /* for sessionStart before the history */
#define LIVE_PRUNE_EVERY_MS 10000
#define LIVE_KEEP_MS 60000 /* keys kept behind the oldest window */

enum live_state {
	LIVE_CONNECTING, /* the call is out, no sessionStart yet */
	LIVE_OPEN,       /* sessionStart came */
	LIVE_WAITING,    /* ended; a timer starts it again */
	LIVE_POLLED      /* refused: its groups are polled */
};

struct live_session {
	struct engine *e;
	uint32_t src[LIVETAIL_MAX_GROUPS]; /* engine source indexes */
	size_t nsrc;
	int single; /* a stream selection: one group only */
	enum live_state state;
	struct livetail *lt;
	uint64_t timer;
	int64_t watermark;   /* wall: complete up to here */
	int64_t gap_from;    /* backfill from here on open (or UNSET) */
	int64_t last_update; /* wall time of the last update */
	int failures;        /* ends in a row without sessionStart */
	int said_sampled;    /* this session said it was sampled */
	int said_skipped;    /* this skipped span was said */
	int said_down;
	int nbackfill;         /* backfill reads in flight */
	int64_t sampled_from;  /* a sampled window waiting (or UNSET) */
	enum logs_err refused; /* refused during the history read: why */
	char *refusal;         /* and what the service said (or NULL) */
};

struct live {
	struct live_session **s;
	size_t n;
	int said_refused;
	char *arn_template; /* an ARN to build the others from */
	int64_t delay_max;  /* largest ingestion delay seen, fading */
	int64_t delay_at;   /* wall time it last faded */
	uint64_t delay_n;   /* events it was learned from */
	int early_wait;     /* live_early is waiting for sessionStart */
};

/* engine_livesess.c */
void live_open(struct live_session *);
void live_refuse(struct live_session *, enum logs_err, const char *msg);
int live_arn_missing(struct engine *, uint32_t srcidx);

/* engine_livefeed.c */
void live_feed(struct live_session *, uint32_t srcidx, int64_t from, int poll);
void live_sampled(struct live_session *, int64_t now);
void live_prune(struct engine *);
void live_delay_learn(struct engine *, const struct event *);
int64_t live_delay(struct engine *, int64_t now);

#endif

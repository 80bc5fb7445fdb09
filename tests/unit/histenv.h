/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Test helper: a history read by the engine against the in-memory
 * CloudWatch Logs (fakelogs) in virtual time, written down as a transcript
 * of one line per event, with the events out of (timestamp, ingestion)
 * order, the late ones and the notices counted. Linked into every unit
 * test binary; test_getevents.c and test_histmem.c use it.
 */
#ifndef APILOGS_HISTENV_H
#define APILOGS_HISTENV_H

#include <stddef.h>
#include <stdint.h>

#include "aws/aws.h"
#include "aws/loop.h"
#include "core/buf.h"
#include "fakelogs.h"
#include "logs/engine.h"
#include "logs/source.h"

#define HISTENV_T0 INT64_C(1700000000000)
#define HISTENV_MAXG 40

struct histenv {
	struct fakeclock clk;
	struct loop *loop;
	struct fakelogs fl;
	struct aws_ctx ctx;
	struct aws_client *c;
	struct source src[HISTENV_MAXG]; /* the groups to read (owned) */
	size_t nsrc;
	struct engine_opts eo;
	struct buf out; /* transcript: one line per event */
	size_t nout;
	int64_t last_ts, last_ingest;
	int disorder; /* events out of (ts, ingest) order */
	int late;     /* events flagged late */
	char notices[8192];
	enum engine_status status;
	char *cause;
	struct engine_stats st;
};

/*
 * Set up at HISTENV_T0 a client on a fakelogs with 50 ms of latency and
 * options for the hour before it (5 requests a second). Aborts when the
 * client cannot be made. Free with histenv_free().
 */
void histenv_init(struct histenv *);
/* Run one engine over the sources; status, cause and st tell how it went. */
void histenv_run(struct histenv *);
void histenv_free(struct histenv *);

#endif

/* SPDX-License-Identifier: Apache-2.0 */
/*
 * What the parts of `get` share (not for other modules): the command's
 * state (cmd_get.c), --last and the note on an empty window
 * (cmd_get_last.c).
 */
#ifndef APILOGS_CMD_GET_INT_H
#define APILOGS_CMD_GET_INT_H

#include <stddef.h>
#include <stdint.h>

#include "cli/out.h"
#include "cli/render.h"
#include "logs/engine.h"

struct app;
struct aws_client;
struct cmd_api;
struct cmd_source;
struct corr;
struct source;

struct get {
	struct app *a;
	struct aws_client *logs;
	struct cmd_source **srcs;
	size_t nsrc;
	struct render r;
	struct out out;
	int64_t start;
	int64_t end;
	int progress;
	int64_t started;
	struct corr *corr;   /* request correlation, or NULL */
	uint64_t corr_timer; /* releases held events (follow) */
	uint64_t hup;        /* watches stdout's reader */
	uint64_t last_requests;
	int64_t rate_at; /* progress: when the rate was measured */
	double rate;
	struct cmd_api *api; /* --api-id: discovery (cmd_api.c) */
	struct engine *e;    /* set once running, for re-discovery */
	uint64_t written;    /* events printed */
	uint64_t filtered;   /* events the local filters dropped */
	uint64_t skipped;    /* events --query skipped (null) */
};

/*
 * Stream selection (cmd_get_streams.c). get_select_streams: for every
 * source, before the run, its own STREAM_REGEX or the command's, as awslogs
 * resolves it (listing streams), or the aws logs tail options; with several
 * groups one without a match is left out. Prints errors; 0 or an exit code.
 * get_stream_nolist: the same without listing, for a source discovered
 * while running (pat NULL: only the aws logs tail options).
 */
int get_select_streams(struct get *);
void get_stream_nolist(struct get *, struct cmd_source *, const char *pat);

/* The engine's callbacks (cmd_get.c). */
int get_emit(void *arg, const struct event *, const struct source *);
void get_notice(void *arg, int level, const char *msg);
void get_idle(void *arg);
/* Does an event pass --grep, --exclude and --level? */
int get_filter_ok(struct get *, const struct event *, const struct source *);

/*
 * --last N (cmd_get_last.c): read windows of eo's time going back from
 * its end (four times wider each time, never before --start when it was given
 * nor before the groups were created) until N events pass the local filters,
 * then emit the N newest, in order, through get_emit. Sets eo->start to
 * just after the read, for --watch to go on from there. On failure *cause
 * (caller frees) says why.
 */
enum engine_status get_last(
    struct get *, struct engine_opts *eo, uint64_t *found, char **cause);
/*
 * After a read that printed nothing: one line on stderr saying so and,
 * from DescribeLogStreams, when the newest event of these groups was,
 * with a --start that would reach it (cmd_get_last.c).
 */
void get_empty_note(struct get *, uint64_t events);

#endif

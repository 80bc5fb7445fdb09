/* SPDX-License-Identifier: Apache-2.0 */
/* The commands. Each returns the process exit code. */
#ifndef APILOGS_CMD_H
#define APILOGS_CMD_H

#include <stdint.h>

#include <stddef.h>

#include "cli/opts.h"
#include "cli/render.h"
#include "discover/role.h"
#include "logs/source.h"

struct app;
struct aws_client;
struct aws_result;
struct out;
struct discover_source;

/*
 * A log group a command reads, with what each layer needs of it: the
 * engine's input (logs), the role discovery gave it and how it is shown.
 */
struct cmd_source {
	struct source src;       /* what the engine reads; src.owner = this */
	enum discover_role role; /* DISCOVER_ROLE_NONE: named with -g */
	char *function;          /* the role's Lambda function, or NULL */
	char *role_text;         /* "lambda:orders", or NULL */
	struct render_src style; /* group, role text, colour, stream width */
	char *stream_pat;        /* its own STREAM_REGEX (-g G:RE), or NULL */
};

int cmd_groups(struct app *);
int cmd_streams(struct app *);
int cmd_get(struct app *);
int cmd_sources(struct app *);
int cmd_trace(struct app *);
int cmd_stats(struct app *);

/* Shared helpers (cmd_util.c). */

/* Parse --start/--end (defaults given as expressions, NULL for none)
 * into ms (LOGS_TIME_UNSET when absent); prints the error and returns the
 * exit code (EXIT_TIME) on failure, 0 on success. */
int cmd_time_window(
    struct app *, const char *def_start, int64_t *start, int64_t *end);
/* --color: auto follows termcolor (NO_COLOR, FORCE_COLOR, TERM, isatty). */
int cmd_use_color(enum color_when);
/*
 * The source of group in *v (n of them), added (caller frees the list
 * with cmd_sources_free()) unless one reads that group already.
 */
struct cmd_source *cmd_source_add(
    struct cmd_source ***v, size_t *n, const char *group);
/* Give a source the role discovery found for its group. */
void cmd_source_set_role(struct cmd_source *, const struct discover_source *);
/* Add the source discovery found, with its role and optional flag, unless
 * one reads its group already (a -g value, kept as it is). */
void cmd_source_add_found(
    struct cmd_source ***v, size_t *n, const struct discover_source *);
/* The source a cmd_source's src is (for engine callbacks). */
struct cmd_source *cmd_source_of(const struct source *);
/* Free one source (not in a list any more). */
void cmd_source_free(struct cmd_source *);
/* Free a list of sources. Accepts NULL. */
void cmd_sources_free(struct cmd_source **, size_t);
/* Give a source its own STREAM_REGEX (a copy; NULL changes nothing). */
void cmd_source_set_stream(struct cmd_source *, const char *pat);
/*
 * The sources a command reads besides discovery, from -g values (see
 * logs/groupspec.h: names, NAME* prefixes, regexes over DescribeLogGroups,
 * ARNs, each with an optional :STREAM_REGEX), de-duplicated. Prints
 * errors; returns 0 or an exit code. Sources are appended to *srcs (see
 * cmd_source_add()).
 */
int cmd_sources_for(struct app *, struct cmd_source ***srcs, size_t *n);
/* The render settings the options ask for, with the compiled --query as
 * the transform (the cell cache empty). */
void cmd_render_init(struct render *, const struct app *);
/*
 * Write a name (from AWS or the user) to o as one line, escaped for the
 * terminal (utf8_escape()): 0, or 1 once the output is closed.
 */
int cmd_put_line(struct out *, const char *name);
/*
 * Start a listing command (groups, streams): its CloudWatch Logs client in
 * *c and stdout in o (flushed per line unless a terminal). Returns 0, or
 * prints the error and returns the exit code.
 */
int cmd_list_start(struct app *, struct aws_client **c, struct out *o);
/* End it: free res, flush and free o. Returns rc. */
int cmd_list_end(struct out *o, struct aws_result *res, int rc);
/* Print a failed AWS call as one line and return its exit code. */
int cmd_aws_error(const char *what, const struct aws_result *);

#endif

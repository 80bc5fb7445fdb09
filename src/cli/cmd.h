/* The commands. Each returns the process exit code. */
#ifndef APILOGS_CMD_H
#define APILOGS_CMD_H

#include <stdint.h>

struct app;
struct aws_result;
struct opts;
struct source;

#include <stddef.h>

#include "cli/opts.h"

int cmd_groups(struct app *);
int cmd_streams(struct app *);
int cmd_get(struct app *);
int cmd_sources(struct app *);
int cmd_trace(struct app *);

/* Shared helpers (cmd_util.c). */

/* Parse --start/--end (defaults given as expressions, NULL for none)
 * into ms (LOGS_TIME_UNSET when absent); prints the error and returns the
 * exit code (EXIT_TIME) on failure, 0 on success. */
int cmd_time_window(
    struct app *, const char *def_start, int64_t *start, int64_t *end);
/* --color: auto follows termcolor (NO_COLOR, FORCE_COLOR, TERM, isatty). */
int cmd_use_color(enum color_when);
/*
 * The sources a command reads besides discovery: -g NAME (NAME* = every
 * group with that prefix), de-duplicated. Prints errors; returns 0 or an
 * exit code. Sources are appended to *srcs (caller frees them).
 */
int cmd_sources_for(struct app *, struct source ***srcs, size_t *n);
/* Print a failed AWS call as one line and return its exit code. */
int cmd_aws_error(const char *what, const struct aws_result *);

#endif

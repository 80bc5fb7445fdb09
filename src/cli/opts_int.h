/* SPDX-License-Identifier: Apache-2.0 */
/*
 * What the parts of the option parser share (not for other modules): the
 * option table's entries and the lookups on it (opts_table.c), applying
 * values (opts_value.c), the checks of the whole command line
 * (opts_check.c), and the walk over argv (opts.c).
 */
#ifndef APILOGS_OPTS_INT_H
#define APILOGS_OPTS_INT_H

#include <stddef.h>

#include "cli/opts.h"

enum opt_id {
	O_PROFILE = 1,
	O_REGION,
	O_ENDPOINT,
	O_ACCESS_KEY,
	O_SECRET_KEY,
	O_SESSION_TOKEN,
	O_VERBOSE,
	O_COLOR,
	O_NO_COLOR,
	O_CONNECT_TIMEOUT,
	O_READ_TIMEOUT,
	O_LOCAL,
	O_HELP,
	O_VERSION,
	O_GROUP,
	O_FILTER,
	O_WATCH,
	O_INTERVAL,
	O_START,
	O_END,
	O_NO_GROUP,
	O_NO_STREAM,
	O_TIMESTAMP,
	O_INGESTION,
	O_HIGHLIGHT,
	O_OUTPUT,
	O_MAX_RPS,
	O_QUERY,
	O_QUERY_KEEP_NULL,
	O_RAW,
	O_HOLD_BACK,
	O_OVERLAP,
	O_REQUEST_IDS,
	O_REQUEST_ID,
	O_API_ID,
	O_STAGE,
	O_STACK_NAME,
	O_NAME,
	O_PREFIX,
	O_NO_PROGRESS,
	O_SLICES,
	O_PAGE_SIZE,
	O_FOLLOW_MODE,
	O_ENGINE,
	O_INSIGHTS_THRESHOLD,
	O_STREAM_READS,
	O_MAX_GET_RPS,
	O_MAX_DESCRIBE_RPS,
	/* What users ask for (issue 16). */
	O_LAST,
	O_EVENT_ID,
	O_EXPAND,
	O_MAX_LENGTH,
	O_GREP,
	O_EXCLUDE,
	O_LEVEL,
	/* Issue 16, drop-in: aws logs tail's stream options and --format. */
	O_STREAM_NAMES,
	O_STREAM_PREFIX,
	O_FORMAT,
	/* stats. */
	O_BY,
	O_BIN
};

enum opt_arg {
	ARG_NONE,
	ARG_REQ,
	ARG_COLOR, /* optional WHEN, see opts_parse_color */
	ARG_MULTI  /* one or more values, up to the next option (nargs '+') */
};

#define C(x) (1u << (x))
#define C_ALL                                                                  \
	(C(CMD_NONE) | C(CMD_GET) | C(CMD_GROUPS) | C(CMD_STREAMS) |           \
	    C(CMD_SOURCES) | C(CMD_TRACE) | C(CMD_STATS) | C(CMD_HELP) |       \
	    C(CMD_COMPLETION) | C(CMD_COMPLETE))
#define C_READ (C(CMD_GET) | C(CMD_TRACE))

struct opt_def {
	enum opt_id id;
	const char *lng;
	char shrt;
	enum opt_arg arg;
	unsigned cmds;
};

/* The definition of the long option name (len bytes, or a unique prefix)
 * among cmd's options. NULL with *cause (caller frees) when unknown or
 * ambiguous; arg is the argument as typed, for the message. */
const struct opt_def *opts_find_long(
    const char *arg, const char *name, size_t len, enum cmd cmd, char **cause);
/* The definition of short option c among cmd's options, or NULL. */
const struct opt_def *opts_find_short(char c, enum cmd cmd);
/* The command named s, or CMD_NONE. */
enum cmd opts_lookup_cmd(const char *s);
/* The message for an unknown command s. Caller frees. */
char *opts_unknown_cmd(const char *s);
/* The message for an unknown option arg (name without dashes), with a
 * "did you mean" or the command it belongs to. Caller frees. */
char *opts_unknown(
    const char *arg, const char *name, int is_long, enum cmd cmd);
/* "try 'apilogs CMD --help'". Caller frees. */
char *opts_help_hint(enum cmd cmd);

/* Apply one option with its value (NULL for flags): 0, or -1 with *cause
 * (caller frees). */
int opts_apply(
    struct opts *, const struct opt_def *, const char *v, char **cause);
/* Take positional argument arg (the *npos-th after the command). */
int opts_positional(struct opts *, const char *arg, size_t *npos, char **cause);
/* Checks that need the whole command line (opts_check.c). */
int opts_validate(struct opts *, char **cause);

#endif

/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The option table: every option with its names, its kind of value and the
 * commands it applies to; the command names; the lookups on them, with the
 * "did you mean" messages; and the table as completion and help see it.
 */

#include <stdlib.h>
#include <string.h>

#include "cli/opts.h"
#include "cli/opts_int.h"
#include "core/buf.h"
#include "core/xmalloc.h"

static const struct opt_def opt_defs[] = {
    {O_PROFILE, "profile", 0, ARG_REQ, C_ALL},
    {O_REGION, "aws-region", 0, ARG_REQ, C_ALL},
    {O_REGION, "region", 0, ARG_REQ, C_ALL},
    {O_ENDPOINT, "aws-endpoint-url", 0, ARG_REQ, C_ALL},
    {O_ENDPOINT, "endpoint-url", 0, ARG_REQ, C_ALL},
    {O_ACCESS_KEY, "aws-access-key-id", 0, ARG_REQ, C_ALL},
    {O_SECRET_KEY, "aws-secret-access-key", 0, ARG_REQ, C_ALL},
    {O_SESSION_TOKEN, "aws-session-token", 0, ARG_REQ, C_ALL},
    {O_VERBOSE, "verbose", 'v', ARG_NONE, C_ALL},
    {O_COLOR, "color", 0, ARG_COLOR, C_ALL},
    {O_NO_COLOR, "no-color", 0, ARG_NONE, C_ALL},
    {O_CONNECT_TIMEOUT, "cli-connect-timeout", 0, ARG_REQ, C_ALL},
    {O_READ_TIMEOUT, "cli-read-timeout", 0, ARG_REQ, C_ALL},
    {O_LOCAL, "local", 0, ARG_NONE, C_ALL},
    {O_HELP, "help", 'h', ARG_NONE, C_ALL},
    {O_VERSION, "version", 0, ARG_NONE, C_ALL},

    {O_GROUP, "group", 'g', ARG_REQ, C_READ | C(CMD_STATS)},
    {O_FILTER, "filter-pattern", 'f', ARG_REQ, C(CMD_GET)},
    {O_WATCH, "watch", 'w', ARG_NONE, C(CMD_GET)},
    {O_INTERVAL, "watch-interval", 'i', ARG_REQ, C(CMD_GET)},
    {O_START, "start", 's', ARG_REQ, C_READ | C(CMD_STREAMS) | C(CMD_STATS)},
    {O_END, "end", 'e', ARG_REQ, C_READ | C(CMD_STREAMS) | C(CMD_STATS)},
    {O_NO_GROUP, "no-group", 'G', ARG_NONE, C_READ},
    {O_NO_STREAM, "no-stream", 'S', ARG_NONE, C_READ},
    {O_TIMESTAMP, "timestamp", 0, ARG_NONE, C_READ},
    {O_INGESTION, "ingestion-time", 0, ARG_NONE, C_READ},
    {O_HIGHLIGHT, "highlight", 'H', ARG_REQ, C_READ},
    {O_OUTPUT, "output", 'o', ARG_REQ, C_READ | C(CMD_SOURCES) | C(CMD_STATS)},
    {O_MAX_RPS, "max-rps", 0, ARG_REQ, C_READ | C(CMD_STATS)},
    {O_QUERY, "query", 'q', ARG_REQ, C_READ},
    {O_QUERY_KEEP_NULL, "query-keep-null", 0, ARG_NONE, C_READ},
    {O_RAW, "raw", 0, ARG_NONE, C_READ},
    {O_HOLD_BACK, "hold-back", 0, ARG_REQ, C(CMD_GET)},
    {O_OVERLAP, "overlap", 0, ARG_REQ, C(CMD_GET)},
    {O_REQUEST_IDS, "request-ids", 0, ARG_NONE, C_READ},
    {O_REQUEST_ID, "request-id", 0, ARG_REQ, C(CMD_GET)},
    {O_API_ID, "api-id", 'a', ARG_REQ, C_READ | C(CMD_SOURCES) | C(CMD_STATS)},
    {O_STAGE, "stage", 't', ARG_REQ, C_READ | C(CMD_SOURCES) | C(CMD_STATS)},
    {O_STACK_NAME, "stack-name", 0, ARG_REQ,
	C_READ | C(CMD_SOURCES) | C(CMD_STATS)},
    {O_NAME, "name", 0, ARG_REQ, C_READ | C(CMD_SOURCES) | C(CMD_STATS)},
    {O_PREFIX, "log-group-prefix", 'p', ARG_REQ, C(CMD_GROUPS)},
    {O_NO_PROGRESS, "no-progress", 0, ARG_NONE, C_READ | C(CMD_STATS)},
    {O_SLICES, "slices", 0, ARG_REQ, C(CMD_GET)},
    {O_PAGE_SIZE, "page-size", 0, ARG_REQ, C_READ | C(CMD_STATS)},
    {O_FOLLOW_MODE, "follow-mode", 0, ARG_REQ, C(CMD_GET)},
    {O_ENGINE, "engine", 0, ARG_REQ, C(CMD_GET) | C(CMD_TRACE) | C(CMD_STATS)},
    {O_INSIGHTS_THRESHOLD, "insights-threshold", 0, ARG_REQ, C(CMD_GET)},
    {O_STREAM_READS, "stream-reads", 0, ARG_REQ, C(CMD_GET)},
    {O_MAX_GET_RPS, "max-get-rps", 0, ARG_REQ, C(CMD_GET)},
    {O_MAX_DESCRIBE_RPS, "max-describe-rps", 0, ARG_REQ, C(CMD_GET)},

    /* What users ask for (issue 16). */
    {O_LAST, "last", 0, ARG_REQ, C(CMD_GET)},
    {O_EVENT_ID, "event-id", 0, ARG_NONE, C_READ},
    {O_EXPAND, "expand", 0, ARG_NONE, C_READ},
    {O_MAX_LENGTH, "max-length", 0, ARG_REQ, C_READ},
    {O_GREP, "grep", 0, ARG_REQ, C(CMD_GET)},
    {O_EXCLUDE, "exclude", 0, ARG_REQ, C(CMD_GET)},
    {O_LEVEL, "level", 0, ARG_REQ, C(CMD_GET)},
    /* The spellings of `aws logs tail` (issue 16, drop-in). */
    {O_WATCH, "follow", 0, ARG_NONE, C(CMD_GET)},
    {O_START, "since", 0, ARG_REQ, C_READ | C(CMD_STREAMS)},
    {O_STREAM_NAMES, "log-stream-names", 0, ARG_MULTI, C(CMD_GET)},
    {O_STREAM_PREFIX, "log-stream-name-prefix", 0, ARG_REQ, C(CMD_GET)},
    {O_FORMAT, "format", 0, ARG_REQ, C(CMD_GET)},

    /* stats. */
    {O_BY, "by", 0, ARG_REQ, C(CMD_STATS)},
    {O_BIN, "bin", 0, ARG_REQ, C(CMD_STATS)},
};
#define NOPTS (sizeof opt_defs / sizeof opt_defs[0])

static const char *opt_cmd_names[] = {
    [CMD_NONE] = NULL,
    [CMD_GET] = "get",
    [CMD_GROUPS] = "groups",
    [CMD_STREAMS] = "streams",
    [CMD_SOURCES] = "sources",
    [CMD_TRACE] = "trace",
    [CMD_STATS] = "stats",
    [CMD_HELP] = "help",
    [CMD_COMPLETION] = "completion",
    [CMD_COMPLETE] = "__complete",
};

/* The name of a command, or NULL. */
const char *
opts_cmd_name(enum cmd c)
{
	return (opt_cmd_names[c]);
}

/* One option for the completion scripts; see opts.h. */
int
opts_info(size_t i, enum cmd cmd, struct opts_info *out)
{
	if (i >= NOPTS)
		return (-1);
	if (!(opt_defs[i].cmds & C(cmd)))
		return (0);
	out->lng = opt_defs[i].lng;
	out->shrt = opt_defs[i].shrt;
	out->value = opt_defs[i].arg == ARG_REQ || opt_defs[i].arg == ARG_MULTI
			 ? 1
		     : opt_defs[i].arg == ARG_COLOR ? 2
						    : 0;
	out->common = opt_defs[i].cmds == C_ALL;
	return (1);
}

/* Edit distance between two short strings, for "did you mean". */
static size_t
opts_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), i, j, prev, cur, tmp;
	size_t row[64];

	if (la >= 63 || lb >= 63)
		return (64);
	for (j = 0; j <= lb; j++)
		row[j] = j;
	for (i = 1; i <= la; i++) {
		prev = row[0];
		row[0] = i;
		for (j = 1; j <= lb; j++) {
			tmp = row[j];
			cur = prev + (a[i - 1] != b[j - 1]);
			if (row[j] + 1 < cur)
				cur = row[j] + 1;
			if (row[j - 1] + 1 < cur)
				cur = row[j - 1] + 1;
			row[j] = cur;
			prev = tmp;
		}
	}
	return (row[lb]);
}

static const char *
opts_suggest_long(const char *name, enum cmd cmd)
{
	const char *best = NULL;
	size_t i, d, bestd = 3;

	for (i = 0; i < NOPTS; i++) {
		if (!(opt_defs[i].cmds & C(cmd)))
			continue;
		d = opts_distance(name, opt_defs[i].lng);
		if (d < bestd) {
			bestd = d;
			best = opt_defs[i].lng;
		}
	}
	return (best);
}

/* A hint at --help; see opts_int.h. */
char *
opts_help_hint(enum cmd cmd)
{
	if (cmd == CMD_NONE || cmd == CMD_HELP)
		return (xstrdup("try 'apilogs --help'"));
	return (xprintf("try 'apilogs %s --help'", opt_cmd_names[cmd]));
}

/* An unknown option; see opts_int.h. */
char *
opts_unknown(const char *arg, const char *name, int is_long, enum cmd cmd)
{
	const char *sug = NULL;
	char *hint, *msg;
	size_t i;

	hint = opts_help_hint(cmd);
	/* A known option of another command gets a clearer message. */
	for (i = 0; i < NOPTS; i++) {
		if ((is_long && strcmp(opt_defs[i].lng, name) == 0) ||
		    (!is_long && opt_defs[i].shrt == *name)) {
			msg = xprintf("option '%s' does not apply to %s%s (%s)",
			    arg, cmd == CMD_NONE ? "" : "'",
			    cmd == CMD_NONE ? "this command"
					    : opt_cmd_names[cmd],
			    hint);
			if (cmd != CMD_NONE) {
				free(msg);
				msg = xprintf("option '%s' does not apply to "
					      "'%s' (%s)",
				    arg, opt_cmd_names[cmd], hint);
			}
			free(hint);
			return (msg);
		}
	}
	if (is_long)
		sug = opts_suggest_long(name, cmd);
	if (sug != NULL)
		msg = xprintf("unknown option '%s' (did you mean '--%s'? %s)",
		    arg, sug, hint);
	else
		msg = xprintf("unknown option '%s' (%s)", arg, hint);
	free(hint);
	return (msg);
}

/* Find a long option by exact name or unique prefix among cmd's options.
 * Returns NULL with *cause set when unknown or ambiguous. */
const struct opt_def *
opts_find_long(
    const char *arg, const char *name, size_t len, enum cmd cmd, char **cause)
{
	const struct opt_def *found = NULL;
	char *n;
	size_t i, nmatch = 0;
	struct buf b;

	for (i = 0; i < NOPTS; i++) {
		if (!(opt_defs[i].cmds & C(cmd)))
			continue;
		if (strlen(opt_defs[i].lng) == len &&
		    strncmp(opt_defs[i].lng, name, len) == 0)
			return (&opt_defs[i]);
	}
	for (i = 0; i < NOPTS; i++) {
		if (!(opt_defs[i].cmds & C(cmd)))
			continue;
		if (strncmp(opt_defs[i].lng, name, len) == 0) {
			if (found == NULL || found->id != opt_defs[i].id)
				nmatch++;
			found = &opt_defs[i];
		}
	}
	if (nmatch == 1)
		return (found);
	n = xstrndup(name, len);
	if (nmatch == 0)
		*cause = opts_unknown(arg, n, 1, cmd);
	else {
		buf_init(&b, BUF_NOCAP);
		buf_putf(&b, "option '--%s' is ambiguous; could be", n);
		for (i = 0; i < NOPTS; i++) {
			if ((opt_defs[i].cmds & C(cmd)) &&
			    strncmp(opt_defs[i].lng, n, len) == 0)
				buf_putf(&b, " '--%s'", opt_defs[i].lng);
		}
		*cause = buf_take(&b, NULL);
	}
	free(n);
	return (NULL);
}

/* A short option; see opts_int.h. */
const struct opt_def *
opts_find_short(char c, enum cmd cmd)
{
	size_t i;

	for (i = 0; i < NOPTS; i++) {
		if (opt_defs[i].shrt == c && (opt_defs[i].cmds & C(cmd)))
			return (&opt_defs[i]);
	}
	return (NULL);
}

/* A command by name; see opts_int.h. */
enum cmd
opts_lookup_cmd(const char *s)
{
	int c;

	for (c = CMD_GET; c <= CMD_COMPLETE; c++) {
		if (strcmp(s, opt_cmd_names[c]) == 0)
			return ((enum cmd)c);
	}
	return (CMD_NONE);
}

/* An unknown command; see opts_int.h. */
char *
opts_unknown_cmd(const char *s)
{
	const char *best = NULL;
	size_t d, bestd = 3;
	int c;

	for (c = CMD_GET; c <= CMD_COMPLETION; c++) {
		d = opts_distance(s, opt_cmd_names[c]);
		if (d < bestd) {
			bestd = d;
			best = opt_cmd_names[c];
		}
	}
	if (best != NULL)
		return (xprintf("unknown command '%s' (did you mean '%s'? "
				"try 'apilogs --help')",
		    s, best));
	return (xprintf("unknown command '%s' (commands: get, groups, "
			"streams, sources, trace, help, completion; try "
			"'apilogs --help')",
	    s));
}

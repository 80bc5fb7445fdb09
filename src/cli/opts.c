/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Command-line parsing. Options may appear before or after the command
 * (awslogs silently drops misplaced ones; we don't). Supported forms:
 * --name value, --name=value, unique prefixes of long names, -x value,
 * -xvalue, bundles of flags (-GS, -vvv), and "--" to end options.
 */

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "cli/opts.h"
#include "core/buf.h"
#include "core/num.h"
#include "core/xmalloc.h"

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
	O_PREFIX,
	O_NO_PROGRESS,
	O_SLICES,
	O_PAGE_SIZE
};

enum opt_arg {
	ARG_NONE,
	ARG_REQ,
	ARG_COLOR /* optional WHEN, see opts_parse_color */
};

#define C(x) (1u << (x))
#define C_ALL                                                                  \
	(C(CMD_NONE) | C(CMD_GET) | C(CMD_GROUPS) | C(CMD_STREAMS) |           \
	    C(CMD_SOURCES) | C(CMD_TRACE) | C(CMD_HELP) | C(CMD_COMPLETION) |  \
	    C(CMD_COMPLETE))
#define C_READ (C(CMD_GET) | C(CMD_TRACE))

struct opt_def {
	enum opt_id id;
	const char *lng;
	char shrt;
	enum opt_arg arg;
	unsigned cmds;
};

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

    {O_GROUP, "group", 'g', ARG_REQ, C_READ},
    {O_FILTER, "filter-pattern", 'f', ARG_REQ, C(CMD_GET)},
    {O_WATCH, "watch", 'w', ARG_NONE, C(CMD_GET)},
    {O_INTERVAL, "watch-interval", 'i', ARG_REQ, C(CMD_GET)},
    {O_START, "start", 's', ARG_REQ, C_READ | C(CMD_STREAMS)},
    {O_END, "end", 'e', ARG_REQ, C_READ | C(CMD_STREAMS)},
    {O_NO_GROUP, "no-group", 'G', ARG_NONE, C_READ},
    {O_NO_STREAM, "no-stream", 'S', ARG_NONE, C_READ},
    {O_TIMESTAMP, "timestamp", 0, ARG_NONE, C_READ},
    {O_INGESTION, "ingestion-time", 0, ARG_NONE, C_READ},
    {O_HIGHLIGHT, "highlight", 'H', ARG_REQ, C_READ},
    {O_OUTPUT, "output", 'o', ARG_REQ, C_READ | C(CMD_SOURCES)},
    {O_MAX_RPS, "max-rps", 0, ARG_REQ, C_READ},
    {O_QUERY, "query", 'q', ARG_REQ, C_READ},
    {O_QUERY_KEEP_NULL, "query-keep-null", 0, ARG_NONE, C_READ},
    {O_RAW, "raw", 0, ARG_NONE, C_READ},
    {O_HOLD_BACK, "hold-back", 0, ARG_REQ, C(CMD_GET)},
    {O_OVERLAP, "overlap", 0, ARG_REQ, C(CMD_GET)},
    {O_REQUEST_IDS, "request-ids", 0, ARG_NONE, C_READ},
    {O_REQUEST_ID, "request-id", 0, ARG_REQ, C(CMD_GET)},
    {O_API_ID, "api-id", 'a', ARG_REQ, C_READ | C(CMD_SOURCES)},
    {O_STAGE, "stage", 't', ARG_REQ, C_READ | C(CMD_SOURCES)},
    {O_PREFIX, "log-group-prefix", 'p', ARG_REQ, C(CMD_GROUPS)},
    {O_NO_PROGRESS, "no-progress", 0, ARG_NONE, C_READ},
    {O_SLICES, "slices", 0, ARG_REQ, C(CMD_GET)},
    {O_PAGE_SIZE, "page-size", 0, ARG_REQ, C_READ},
};
#define NOPTS (sizeof opt_defs / sizeof opt_defs[0])

static const char *opt_cmd_names[] = {
    [CMD_NONE] = NULL,
    [CMD_GET] = "get",
    [CMD_GROUPS] = "groups",
    [CMD_STREAMS] = "streams",
    [CMD_SOURCES] = "sources",
    [CMD_TRACE] = "trace",
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
	out->value = opt_defs[i].arg == ARG_REQ     ? 1
		     : opt_defs[i].arg == ARG_COLOR ? 2
						    : 0;
	out->common = opt_defs[i].cmds == C_ALL;
	return (1);
}

/* Fill o with the defaults. */
void
opts_init(struct opts *o)
{
	memset(o, 0, sizeof *o);
	o->color = COLOR_AUTO;
	o->watch_interval_ms = 1000;
	o->max_rps = 5;
	o->hold_back_ms = 2000;
	o->overlap_ms = 5000;
	o->slices = 4;
	o->output = OUTPUT_TEXT;
}

static void
strlist_free(struct strlist *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

static void
strlist_add(struct strlist *l, const char *s)
{
	l->v = xreallocarray(l->v, l->n + 1, sizeof *l->v);
	l->v[l->n++] = xstrdup(s);
}

/* Free everything o owns; secrets are wiped first. */
void
opts_free(struct opts *o)
{
	if (o->secret_key != NULL)
		OPENSSL_cleanse(o->secret_key, strlen(o->secret_key));
	if (o->session_token != NULL)
		OPENSSL_cleanse(o->session_token, strlen(o->session_token));
	free(o->profile);
	free(o->region);
	free(o->endpoint_url);
	free(o->access_key);
	free(o->secret_key);
	free(o->session_token);
	free(o->group);
	free(o->stream_regex);
	strlist_free(&o->groups);
	free(o->filter_pattern);
	free(o->start);
	free(o->end);
	strlist_free(&o->highlights);
	free(o->query);
	free(o->request_id);
	free(o->api_id);
	free(o->stage);
	free(o->prefix);
	free(o->trace_id);
	free(o->help_topic);
	free(o->shell);
	free(o->complete_kind);
	free(o->complete_word);
	memset(o, 0, sizeof *o);
}

static void
opts_set(char **dst, const char *v)
{
	free(*dst);
	*dst = xstrdup(v);
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

static char *
opts_help_hint(enum cmd cmd)
{
	if (cmd == CMD_NONE || cmd == CMD_HELP)
		return (xstrdup("try 'apilogs --help'"));
	return (xprintf("try 'apilogs %s --help'", opt_cmd_names[cmd]));
}

static char *
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
static const struct opt_def *
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

static const struct opt_def *
opts_find_short(char c, enum cmd cmd)
{
	size_t i;

	for (i = 0; i < NOPTS; i++) {
		if (opt_defs[i].shrt == c && (opt_defs[i].cmds & C(cmd)))
			return (&opt_defs[i]);
	}
	return (NULL);
}

static int
opts_seconds(const char *name, const char *v, int64_t min_ms, int64_t max_ms,
    int64_t *out, char **cause)
{
	const char *err;
	int64_t ms;

	ms = num_parse_seconds_ms(v, min_ms, max_ms, &err);
	if (err != NULL) {
		*cause = xprintf("--%s '%s': %s (seconds, %g to %g)", name, v,
		    err, (double)min_ms / 1000, (double)max_ms / 1000);
		return (-1);
	}
	*out = ms;
	return (0);
}

/* Apply one option with its value (NULL for flags). */
static int
opts_apply(struct opts *o, const struct opt_def *d, const char *v, char **cause)
{
	int64_t ms;
	double rps;
	char *end;
	const char *err;

	switch (d->id) {
	case O_PROFILE:
		opts_set(&o->profile, v);
		break;
	case O_REGION:
		opts_set(&o->region, v);
		break;
	case O_ENDPOINT:
		opts_set(&o->endpoint_url, v);
		break;
	case O_ACCESS_KEY:
		opts_set(&o->access_key, v);
		break;
	case O_SECRET_KEY:
		opts_set(&o->secret_key, v);
		break;
	case O_SESSION_TOKEN:
		opts_set(&o->session_token, v);
		break;
	case O_VERBOSE:
		o->verbose++;
		break;
	case O_COLOR:
		if (v == NULL || strcmp(v, "always") == 0)
			o->color = COLOR_ALWAYS;
		else if (strcmp(v, "never") == 0)
			o->color = COLOR_NEVER;
		else if (strcmp(v, "auto") == 0)
			o->color = COLOR_AUTO;
		else {
			*cause = xprintf("--color '%s': expected 'auto', "
					 "'always' or 'never'",
			    v);
			return (-1);
		}
		break;
	case O_NO_COLOR:
		o->color = COLOR_NEVER;
		break;
	case O_CONNECT_TIMEOUT:
		if (opts_seconds(d->lng, v, 1, 3600000, &ms, cause) != 0)
			return (-1);
		o->connect_timeout_ms = (long)ms;
		break;
	case O_READ_TIMEOUT:
		if (opts_seconds(d->lng, v, 1, 3600000, &ms, cause) != 0)
			return (-1);
		o->read_timeout_ms = (long)ms;
		break;
	case O_LOCAL:
		o->local = 1;
		break;
	case O_HELP:
		o->help = 1;
		break;
	case O_VERSION:
		o->version = 1;
		break;
	case O_GROUP:
		if (*v == '\0') {
			*cause = xstrdup("--group: empty log group name");
			return (-1);
		}
		strlist_add(&o->groups, v);
		break;
	case O_FILTER:
		opts_set(&o->filter_pattern, v);
		break;
	case O_WATCH:
		o->watch = 1;
		break;
	case O_INTERVAL:
		if (opts_seconds(d->lng, v, 100, 3600000, &o->watch_interval_ms,
			cause) != 0)
			return (-1);
		break;
	case O_START:
		opts_set(&o->start, v);
		break;
	case O_END:
		opts_set(&o->end, v);
		break;
	case O_NO_GROUP:
		o->no_group = 1;
		break;
	case O_NO_STREAM:
		o->no_stream = 1;
		break;
	case O_TIMESTAMP:
		o->timestamp = 1;
		break;
	case O_INGESTION:
		o->ingestion_time = 1;
		break;
	case O_HIGHLIGHT:
		strlist_add(&o->highlights, v);
		break;
	case O_OUTPUT:
		if (strcmp(v, "text") == 0)
			o->output = OUTPUT_TEXT;
		else if (strcmp(v, "json") == 0)
			o->output = OUTPUT_JSON;
		else {
			*cause = xprintf("--output '%s': expected 'text' or "
					 "'json'",
			    v);
			return (-1);
		}
		break;
	case O_MAX_RPS:
		errno = 0;
		rps = strtod(v, &end);
		if (*v == '\0' || *end != '\0' || errno != 0 ||
		    !isfinite(rps) || rps < 0.1 || rps > 1000 ||
		    !isdigit((unsigned char)*v)) {
			*cause = xprintf("--max-rps '%s': expected a number "
					 "from 0.1 to 1000",
			    v);
			return (-1);
		}
		o->max_rps = rps;
		break;
	case O_QUERY:
		opts_set(&o->query, v);
		break;
	case O_QUERY_KEEP_NULL:
		o->query_keep_null = 1;
		break;
	case O_RAW:
		o->raw = 1;
		break;
	case O_HOLD_BACK:
		if (opts_seconds(
			d->lng, v, 0, 600000, &o->hold_back_ms, cause) != 0)
			return (-1);
		break;
	case O_OVERLAP:
		if (opts_seconds(
			d->lng, v, 0, 3600000, &o->overlap_ms, cause) != 0)
			return (-1);
		break;
	case O_REQUEST_IDS:
		o->request_ids = 1;
		break;
	case O_REQUEST_ID:
		opts_set(&o->request_id, v);
		break;
	case O_API_ID:
		opts_set(&o->api_id, v);
		break;
	case O_STAGE:
		opts_set(&o->stage, v);
		break;
	case O_PREFIX:
		opts_set(&o->prefix, v);
		break;
	case O_NO_PROGRESS:
		o->no_progress = 1;
		break;
	case O_SLICES:
		o->slices = (int)num_parse(v, 1, 64, &err);
		if (err != NULL) {
			*cause = xprintf("--slices '%s': %s (1 to 64)", v, err);
			return (-1);
		}
		break;
	case O_PAGE_SIZE:
		o->page_size = (int)num_parse(v, 1, 10000, &err);
		if (err != NULL) {
			*cause = xprintf(
			    "--page-size '%s': %s (1 to 10000)", v, err);
			return (-1);
		}
		break;
	}
	return (0);
}

static enum cmd
opts_lookup_cmd(const char *s)
{
	int c;

	for (c = CMD_GET; c <= CMD_COMPLETE; c++) {
		if (strcmp(s, opt_cmd_names[c]) == 0)
			return ((enum cmd)c);
	}
	return (CMD_NONE);
}

static char *
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

/* Positional arguments after the command. */
static int
opts_positional(struct opts *o, const char *arg, size_t *npos, char **cause)
{
	char *hint;

	hint = opts_help_hint(o->cmd);
	switch (o->cmd) {
	case CMD_GET:
		if (*npos == 0)
			opts_set(&o->group, arg);
		else if (*npos == 1)
			opts_set(&o->stream_regex, arg);
		else
			goto extra;
		break;
	case CMD_STREAMS:
		if (*npos != 0)
			goto extra;
		opts_set(&o->group, arg);
		break;
	case CMD_TRACE:
		if (*npos != 0)
			goto extra;
		opts_set(&o->trace_id, arg);
		break;
	case CMD_HELP:
		if (*npos != 0)
			goto extra;
		opts_set(&o->help_topic, arg);
		break;
	case CMD_COMPLETION:
		if (*npos != 0)
			goto extra;
		opts_set(&o->shell, arg);
		break;
	case CMD_COMPLETE:
		if (*npos == 0)
			opts_set(&o->complete_kind, arg);
		else if (*npos == 1)
			opts_set(&o->complete_word, arg);
		else
			goto extra;
		break;
	default:
		goto extra;
	}
	(*npos)++;
	free(hint);
	return (0);
extra:
	*cause = xprintf("unexpected argument '%s' (%s)", arg, hint);
	free(hint);
	return (-1);
}

/* Checks that need the whole command line. */
static int
opts_validate(struct opts *o, char **cause)
{
	char *hint;

	if (o->help || o->version)
		return (0);
	hint = opts_help_hint(o->cmd);
	switch (o->cmd) {
	case CMD_NONE:
		*cause = xprintf("no command given (%s)", hint);
		break;
	case CMD_GET:
		if (o->group == NULL && o->groups.n == 0 && o->api_id == NULL)
			*cause = xprintf("get needs a log group (GROUP or "
					 "--group) or an API (--api-id) (%s)",
			    hint);
		else if (o->group != NULL && *o->group == '\0')
			*cause = xprintf("empty log group name (%s)", hint);
		else if (o->stage != NULL && o->api_id == NULL)
			*cause = xprintf("--stage needs --api-id (%s)", hint);
		break;
	case CMD_STREAMS:
		if (o->group == NULL)
			*cause =
			    xprintf("streams needs a log group (%s)", hint);
		break;
	case CMD_SOURCES:
		if (o->api_id == NULL)
			*cause = xprintf("sources needs --api-id (%s)", hint);
		break;
	case CMD_COMPLETION:
		if (o->shell == NULL || (strcmp(o->shell, "bash") != 0 &&
					    strcmp(o->shell, "zsh") != 0 &&
					    strcmp(o->shell, "fish") != 0))
			*cause = xprintf("completion needs a shell: bash, zsh "
					 "or fish (%s)",
			    hint);
		break;
	case CMD_COMPLETE:
		if (o->complete_kind == NULL)
			*cause = xprintf("__complete needs a kind (%s)", hint);
		break;
	case CMD_TRACE:
		if (o->trace_id == NULL)
			*cause = xprintf("trace needs a request id (%s)", hint);
		else if (o->api_id == NULL && o->groups.n == 0)
			*cause = xprintf("trace needs an API (--api-id) or log "
					 "groups (--group) to search (%s)",
			    hint);
		break;
	default:
		break;
	}
	free(hint);
	return (*cause == NULL ? 0 : -1);
}

/* Parse argv; see opts.h. */
int
opts_parse(struct opts *o, int argc, char **argv, char **cause)
{
	const struct opt_def *d, *early = NULL;
	const char *arg, *eq, *v, *early_arg = NULL;
	size_t npos = 0, j;
	int i, only_pos = 0;

	*cause = NULL;
	for (i = 1; i < argc; i++) {
		arg = argv[i];
		if (only_pos || arg[0] != '-' || arg[1] == '\0') {
			if (o->cmd == CMD_NONE) {
				o->cmd = opts_lookup_cmd(arg);
				if (o->cmd == CMD_NONE) {
					*cause = opts_unknown_cmd(arg);
					return (-1);
				}
				continue;
			}
			if (opts_positional(o, arg, &npos, cause) != 0)
				return (-1);
			continue;
		}
		if (strcmp(arg, "--") == 0) {
			only_pos = 1;
			continue;
		}
		if (arg[1] == '-') {
			eq = strchr(arg + 2, '=');
			d = opts_find_long(arg, arg + 2,
			    eq ? (size_t)(eq - arg - 2) : strlen(arg + 2),
			    o->cmd, cause);
			if (d == NULL) {
				/* Options may precede the command: retry as
				 * any command's option, checked later. */
				if (o->cmd != CMD_NONE)
					return (-1);
				free(*cause);
				*cause = NULL;
				for (j = CMD_GET; d == NULL && j <= CMD_TRACE;
				     j++) {
					d = opts_find_long(arg, arg + 2,
					    eq ? (size_t)(eq - arg - 2)
					       : strlen(arg + 2),
					    (enum cmd)j, cause);
					free(*cause);
					*cause = NULL;
				}
				if (d == NULL) {
					opts_find_long(arg, arg + 2,
					    eq ? (size_t)(eq - arg - 2)
					       : strlen(arg + 2),
					    CMD_NONE, cause);
					return (-1);
				}
			}
			v = NULL;
			if (d->arg == ARG_NONE && eq != NULL) {
				*cause = xprintf(
				    "option '--%s' takes no value", d->lng);
				return (-1);
			}
			if (d->arg == ARG_REQ) {
				if (eq != NULL)
					v = eq + 1;
				else if (i + 1 < argc)
					v = argv[++i];
				else {
					*cause = xprintf("option '--%s' needs "
							 "a value",
					    d->lng);
					return (-1);
				}
			} else if (d->arg == ARG_COLOR) {
				if (eq != NULL)
					v = eq + 1;
				else if (i + 1 < argc &&
					 (strcmp(argv[i + 1], "auto") == 0 ||
					     strcmp(argv[i + 1], "always") ==
						 0 ||
					     strcmp(argv[i + 1], "never") == 0))
					v = argv[++i];
			}
			if (d->cmds != C_ALL && o->cmd != CMD_NONE &&
			    !(d->cmds & C(o->cmd))) {
				*cause = opts_unknown(arg, d->lng, 1, o->cmd);
				return (-1);
			}
			if (o->cmd == CMD_NONE && early == NULL &&
			    d->cmds != C_ALL) {
				early = d;
				early_arg = arg;
			}
			if (opts_apply(o, d, v, cause) != 0)
				return (-1);
			continue;
		}
		/* A bundle of short options. */
		for (j = 1; arg[j] != '\0'; j++) {
			d = opts_find_short(arg[j], o->cmd);
			if (d == NULL && o->cmd == CMD_NONE) {
				enum cmd c;

				for (c = CMD_GET; d == NULL && c <= CMD_TRACE;
				     c++)
					d = opts_find_short(arg[j], c);
			}
			if (d == NULL) {
				char name[3] = {'-', arg[j], '\0'};

				*cause =
				    opts_unknown(name, name + 1, 0, o->cmd);
				return (-1);
			}
			v = NULL;
			if (d->arg == ARG_REQ) {
				if (arg[j + 1] != '\0')
					v = arg + j + 1;
				else if (i + 1 < argc)
					v = argv[++i];
				else {
					*cause = xprintf("option '-%c' needs a "
							 "value",
					    arg[j]);
					return (-1);
				}
			}
			if (o->cmd == CMD_NONE && early == NULL &&
			    d->cmds != C_ALL) {
				early = d;
				early_arg = arg;
			}
			if (opts_apply(o, d, v, cause) != 0)
				return (-1);
			if (v != NULL)
				break;
		}
	}
	if (early != NULL && o->cmd != CMD_NONE && !(early->cmds & C(o->cmd))) {
		*cause = opts_unknown(early_arg, early->lng, 1, o->cmd);
		return (-1);
	}
	return (opts_validate(o, cause));
}

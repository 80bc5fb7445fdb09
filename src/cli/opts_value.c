/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Option values: defaults, applying each option (numbers, durations and
 * names checked here), positional arguments and freeing; the checks that
 * need the whole command line are in opts_check.c.
 */

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "cli/filter.h"
#include "cli/opts.h"
#include "cli/opts_int.h"
#include "core/num.h"
#include "core/xmalloc.h"
#include "trace/stats.h"

/* Fill o with the defaults. */
void
opts_init(struct opts *o)
{
	memset(o, 0, sizeof *o);
	o->color = COLOR_AUTO;
	o->watch_interval_ms = 1000;
	o->max_rps = 5;
	o->max_get_rps = 10;
	o->max_describe_rps = 25;
	o->stream_reads = 25;
	o->hold_back_ms = -1; /* auto */
	o->overlap_ms = 5000;
	o->slices = 4;
	o->insights_threshold = OPTS_INSIGHTS_THRESHOLD;
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
	strlist_free(&o->greps);
	strlist_free(&o->excludes);
	free(o->query);
	free(o->request_id);
	free(o->api_id);
	free(o->stage);
	free(o->stack_name);
	strlist_free(&o->names);
	free(o->prefix);
	free(o->trace_id);
	free(o->help_topic);
	free(o->shell);
	free(o->complete_kind);
	free(o->complete_word);
	strlist_free(&o->stream_names);
	free(o->stream_prefix);
	memset(o, 0, sizeof *o);
}

static void
opts_set(char **dst, const char *v)
{
	free(*dst);
	*dst = xstrdup(v);
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

/* A size in bytes: a number with an optional k, M, G or T (powers of
 * 1000) and an optional B: "500M", "2G", "1e9". Returns 0, or -1. */
static int
opts_size(const char *v, double *out)
{
	static const char units[] = "kMGT";
	const char *u;
	char *end;
	double n;

	n = strtod(v, &end);
	if (end == v || !(n >= 0) || n > 1e18)
		return (-1);
	if (*end != '\0' && *end != 'B') {
		u = strchr(units, *end == 'K' ? 'k' : *end);
		if (u == NULL)
			return (-1);
		for (; u >= units; u--)
			n *= 1000;
		end++;
	}
	if (*end == 'B')
		end++;
	if (*end != '\0')
		return (-1);
	*out = n;
	return (0);
}

/* Apply one option with its value (NULL for flags). */
int
opts_apply(struct opts *o, const struct opt_def *d, const char *v, char **cause)
{
	int64_t ms;
	double rps;
	enum logline_level lvl;
	enum stats_by by;
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
		/* on and off are the AWS CLI's words. */
		if (v == NULL || strcmp(v, "always") == 0 ||
		    strcmp(v, "on") == 0)
			o->color = COLOR_ALWAYS;
		else if (strcmp(v, "never") == 0 || strcmp(v, "off") == 0)
			o->color = COLOR_NEVER;
		else if (strcmp(v, "auto") == 0)
			o->color = COLOR_AUTO;
		else {
			*cause = xprintf("--color '%s': expected 'auto', "
					 "'always' or 'never' ('on', 'off')",
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
	case O_FOLLOW_MODE:
		/* The values are enum engine_follow's, in its order. */
		if (strcmp(v, "auto") == 0)
			o->follow_mode = 0;
		else if (strcmp(v, "live") == 0)
			o->follow_mode = 1;
		else if (strcmp(v, "poll") == 0)
			o->follow_mode = 2;
		else {
			*cause = xprintf("--follow-mode '%s': expected 'auto', "
					 "'live' or 'poll'",
			    v);
			return (-1);
		}
		break;
	case O_OUTPUT:
		o->output_set = 1;
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
	case O_MAX_GET_RPS:
	case O_MAX_DESCRIBE_RPS:
		errno = 0;
		rps = strtod(v, &end);
		if (*v == '\0' || *end != '\0' || errno != 0 ||
		    !isfinite(rps) || rps < 0.1 || rps > 1000 ||
		    !isdigit((unsigned char)*v)) {
			*cause = xprintf("--%s '%s': expected a number "
					 "from 0.1 to 1000",
			    d->id == O_MAX_RPS       ? "max-rps"
			    : d->id == O_MAX_GET_RPS ? "max-get-rps"
						     : "max-describe-rps",
			    v);
			return (-1);
		}
		if (d->id == O_MAX_RPS)
			o->max_rps = rps;
		else if (d->id == O_MAX_GET_RPS)
			o->max_get_rps = rps;
		else
			o->max_describe_rps = rps;
		break;
	case O_STREAM_READS:
		o->stream_reads = (int)num_parse(v, 0, 100, &err);
		if (err != NULL) {
			*cause = xprintf(
			    "--stream-reads '%s': %s (0 to 100)", v, err);
			return (-1);
		}
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
		if (strcmp(v, "auto") == 0) {
			o->hold_back_ms = -1;
			break;
		}
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
	case O_STACK_NAME:
		opts_set(&o->stack_name, v);
		break;
	case O_NAME:
		strlist_add(&o->names, v);
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
	case O_STREAM_NAMES:
		if (*v == '\0') {
			*cause =
			    xstrdup("--log-stream-names: empty stream name");
			return (-1);
		}
		strlist_add(&o->stream_names, v);
		break;
	case O_STREAM_PREFIX:
		opts_set(&o->stream_prefix, v);
		break;
	case O_FORMAT:
		if (strcmp(v, "detailed") == 0)
			o->format = FORMAT_DETAILED;
		else if (strcmp(v, "short") == 0)
			o->format = FORMAT_SHORT;
		else if (strcmp(v, "json") == 0)
			o->format = FORMAT_JSON;
		else {
			*cause = xprintf("--format '%s': expected 'detailed', "
					 "'short' or 'json'",
			    v);
			return (-1);
		}
		break;
	case O_ENGINE:
		if (strcmp(v, "auto") == 0)
			o->engine = READ_AUTO;
		else if (strcmp(v, "filter") == 0)
			o->engine = READ_FILTER;
		else if (strcmp(v, "insights") == 0)
			o->engine = READ_INSIGHTS;
		else {
			*cause = xprintf("--engine '%s': expected 'auto', "
					 "'filter' or 'insights'",
			    v);
			return (-1);
		}
		break;
	case O_INSIGHTS_THRESHOLD:
		if (opts_size(v, &o->insights_threshold) != 0) {
			*cause = xprintf("--insights-threshold '%s': expected "
					 "a size in bytes such as 500M or 2G",
			    v);
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
	case O_LAST:
		o->last = (size_t)num_parse(v, 1, 100000, &err);
		if (err != NULL) {
			*cause =
			    xprintf("--last '%s': %s (1 to 100000)", v, err);
			return (-1);
		}
		break;
	case O_EVENT_ID:
		o->event_id = 1;
		break;
	case O_EXPAND:
		o->expand = 1;
		break;
	case O_MAX_LENGTH:
		o->max_length = (size_t)num_parse(v, 1, 1000000000, &err);
		if (err != NULL) {
			*cause = xprintf("--max-length '%s': %s (characters, "
					 "1 to 1000000000)",
			    v, err);
			return (-1);
		}
		break;
	case O_GREP:
		strlist_add(&o->greps, v);
		break;
	case O_EXCLUDE:
		strlist_add(&o->excludes, v);
		break;
	case O_LEVEL:
		if (filter_parse_level(v, &lvl) != 0) {
			*cause = xprintf("--level '%s': expected trace, debug, "
					 "info, warn, error or fatal",
			    v);
			return (-1);
		}
		o->level = (int)lvl;
		break;
	case O_BY:
		if (stats_parse_by(v, &by) != 0) {
			*cause = xprintf("--by '%s': expected route, status or "
					 "function",
			    v);
			return (-1);
		}
		o->stats_by = (int)by;
		break;
	case O_BIN:
		if (stats_parse_bin(v, &o->bin_ms) != 0) {
			*cause =
			    xprintf("--bin '%s': expected a duration of "
				    "whole seconds like 30s, 1m, 5m, 1h or "
				    "1d (1 second to 1 day)",
				v);
			return (-1);
		}
		break;
	}
	return (0);
}

/* Positional arguments after the command. */
int
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

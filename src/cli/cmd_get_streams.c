/* SPDX-License-Identifier: Apache-2.0 */
/*
 * get's stream selection: STREAM_REGEX resolved as awslogs does (ALL, a
 * literal prefix, name$, or the names a regex matches in the window), for
 * every group or per group (-g GROUP:RE), and the `aws logs tail` options
 * --log-stream-names and --log-stream-name-prefix.
 */

#define PCRE2_CODE_UNIT_WIDTH 8

#include <stdlib.h>
#include <string.h>

#include <pcre2.h>

#include "cli/app.h"
#include "cli/cli.h"
#include "cli/cmd.h"
#include "cli/cmd_get_int.h"
#include "cli/msg.h"
#include "core/utf8.h"
#include "core/xmalloc.h"
#include "logs/groupspec.h"
#include "logs/logs.h"

/* Is the pattern free of regex metacharacters? */
static int
get_is_literal(const char *p, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		if (strchr("\\.^$|?*+()[]{}", p[i]) != NULL)
			return (0);
	}
	return (1);
}

/*
 * Select the streams of source cs without listing them (a group that
 * discovery adds while following, or one that does not exist yet): the
 * stream options, or pat (NULL: every stream) as a prefix for the
 * service and a regex on this side.
 */
void
get_stream_nolist(struct get *g, struct cmd_source *cs, const char *pat)
{
	const struct opts *o = g->a->o;
	struct source *s = &cs->src;
	PCRE2_SIZE off;
	size_t i, len, w;
	int err;

	if (cs->stream_pat == NULL && o->stream_names.n > 0) {
		s->stream_names =
		    xcalloc(o->stream_names.n, sizeof *s->stream_names);
		for (i = 0; i < o->stream_names.n; i++) {
			s->stream_names[i] = xstrdup(o->stream_names.v[i]);
			w = utf8_escape_width(
			    s->stream_names[i], strlen(s->stream_names[i]), 0);
			if (i == 0 || w > cs->style.stream_width)
				cs->style.stream_width = w;
		}
		s->nstream_names = o->stream_names.n;
		s->names_exact = 1;
		return;
	}
	if (cs->stream_pat == NULL && o->stream_prefix != NULL) {
		s->stream_prefix = xstrdup(o->stream_prefix);
		return;
	}
	if (pat == NULL || strcmp(pat, "ALL") == 0)
		return;
	len = strlen(pat);
	if (len > 1 && pat[len - 1] == '$' && get_is_literal(pat, len - 1)) {
		s->stream_names = xcalloc(1, sizeof *s->stream_names);
		s->stream_names[0] = xstrndup(pat, len - 1);
		s->nstream_names = 1;
		s->names_exact = 1;
		return;
	}
	if (!get_is_literal(pat, len)) {
		/* Compiled (and so checked) before: cannot fail here. */
		s->stream_re = pcre2_compile(
		    (PCRE2_SPTR)pat, len, PCRE2_UTF, &err, &off, NULL);
	}
	s->stream_prefix = groupspec_literal_prefix(pat);
	if (*s->stream_prefix == '\0') {
		free(s->stream_prefix);
		s->stream_prefix = NULL;
	}
}

/* Drop a source's stream selection (back to every stream). */
static void
get_stream_clear(struct source *s)
{
	size_t i;

	for (i = 0; i < s->nstream_names; i++)
		free(s->stream_names[i]);
	free(s->stream_names);
	s->stream_names = NULL;
	s->nstream_names = 0;
	s->names_exact = 0;
	free(s->stream_prefix);
	s->stream_prefix = NULL;
	pcre2_code_free(s->stream_re);
	s->stream_re = NULL;
}

struct get_streams {
	struct cmd_source *cs;
	pcre2_code *re;
	int64_t start;
	int64_t end;
	size_t total;     /* streams listed */
	size_t width_all; /* longest listed */
	size_t matched;   /* matching, in the window */
	size_t width;     /* longest of those */
	int collect;      /* keep matching names */
};

static int
get_stream_cb(void *arg, const struct logs_stream *ls)
{
	struct get_streams *gs = arg;
	struct source *s = &gs->cs->src;
	pcre2_match_data *md;
	size_t len = strlen(ls->name), w;
	int rc;

	gs->total++;
	w = utf8_escape_width(ls->name, len, 0);
	if (w > gs->width_all)
		gs->width_all = w;
	if (gs->re != NULL) {
		md = pcre2_match_data_create_from_pattern(gs->re, NULL);
		rc = pcre2_match(gs->re, (PCRE2_SPTR)ls->name, len, 0,
		    PCRE2_ANCHORED, md, NULL);
		pcre2_match_data_free(md);
		if (rc < 0)
			return (0);
	}
	if (!logs_stream_in_window(ls, gs->start, gs->end))
		return (0);
	gs->matched++;
	if (w > gs->width)
		gs->width = w;
	if (gs->collect) {
		s->stream_names = xreallocarray(s->stream_names,
		    s->nstream_names + 1, sizeof *s->stream_names);
		s->stream_names[s->nstream_names++] = xstrdup(ls->name);
	}
	return (0);
}

/*
 * Resolve STREAM_REGEX for source s, as awslogs does: ALL means every
 * stream; otherwise a regex anchored at the start of the name. A literal
 * uses logStreamNamePrefix, a literal ending in '$' an exact name (no
 * listing), anything else the names the regex matches in the window.
 */
static int
get_stream_pattern(
    struct get *g, struct cmd_source *cs, const char *pat, int quiet)
{
	struct source *s = &cs->src;
	struct get_streams gs;
	struct aws_result res;
	PCRE2_SIZE off;
	size_t len = strlen(pat);
	int err, rc = 0;
	PCRE2_UCHAR msg[256];

	if (strcmp(pat, "ALL") == 0)
		return (0);
	memset(&gs, 0, sizeof gs);
	gs.cs = cs;
	gs.start = g->start;
	gs.end = g->end;
	gs.re =
	    pcre2_compile((PCRE2_SPTR)pat, len, PCRE2_UTF, &err, &off, NULL);
	if (gs.re == NULL) {
		pcre2_get_error_message(err, msg, sizeof msg);
		errorf("bad stream pattern '%s': %s at offset %zu", pat,
		    (char *)msg, (size_t)off);
		return (EXIT_USAGE);
	}
	if (len > 1 && pat[len - 1] == '$' && get_is_literal(pat, len - 1)) {
		s->stream_names = xcalloc(1, sizeof *s->stream_names);
		s->stream_names[0] = xstrndup(pat, len - 1);
		s->nstream_names = 1;
		s->names_exact = 1;
		cs->style.stream_width = utf8_escape_width(pat, len - 1, 0);
		pcre2_code_free(gs.re);
		return (0);
	}
	if (get_is_literal(pat, len)) {
		/* A prefix: the service filters, new streams show up. */
		s->stream_prefix = xstrdup(pat);
		pcre2_code_free(gs.re);
		gs.re = NULL;
		if (logs_list_streams(
			g->logs, s->group, pat, get_stream_cb, &gs, &res) != 0)
			goto fail;
		if (gs.total == 0)
			goto nomatch;
		cs->style.stream_width =
		    gs.matched > 0 ? gs.width : gs.width_all;
		aws_result_free(&res);
		return (0);
	}
	gs.collect = 1;
	s->stream_re = gs.re;
	if (logs_list_streams(
		g->logs, s->group, NULL, get_stream_cb, &gs, &res) != 0)
		goto fail;
	if (s->nstream_names == 0)
		goto nomatch;
	cs->style.stream_width = gs.width;
	/* Follow polls the regex's literal prefix (new streams appear) and
	 * filters on this side. */
	s->stream_prefix = groupspec_literal_prefix(pat);
	if (*s->stream_prefix == '\0') {
		free(s->stream_prefix);
		s->stream_prefix = NULL;
	}
	aws_result_free(&res);
	return (0);
nomatch:
	if (!quiet)
		errorf("No streams match your pattern '%s' for the given "
		       "time period.",
		    pat);
	rc = EXIT_NOSTREAM;
	aws_result_free(&res);
	return (rc);
fail:
	if (logs_error(&res) == LOGS_ERR_NOT_FOUND && s->optional) {
		/* A discovered group that does not exist yet: select its
		 * streams when it comes. */
		aws_result_free(&res);
		get_stream_clear(s);
		get_stream_nolist(g, cs, pat);
		return (0);
	}
	if (logs_error(&res) == LOGS_ERR_NOT_FOUND) {
		errorf("log group '%s' does not exist", s->group);
		rc = EXIT_NOTFOUND;
	} else
		rc = cmd_aws_error("DescribeLogStreams", &res);
	aws_result_free(&res);
	return (rc);
}

/*
 * Apply the stream selection to every source: its own STREAM_REGEX (-g
 * GROUP:RE) or the command's, resolved as awslogs does; or the `aws logs
 * tail` options, passed to the service as they are. With several groups,
 * one without a matching stream is left out; none at all is exit 7.
 */
int
get_select_streams(struct get *g)
{
	const struct opts *o = g->a->o;
	struct cmd_source *cs;
	const char *pat, *first = NULL;
	size_t i;
	int rc, multi = g->nsrc > 1;

	for (i = 0; i < g->nsrc;) {
		cs = g->srcs[i];
		pat = cs->stream_pat != NULL ? cs->stream_pat : o->stream_regex;
		if (pat == NULL || strcmp(pat, "ALL") == 0) {
			get_stream_nolist(g, cs, NULL);
			i++;
			continue;
		}
		if (first == NULL)
			first = pat;
		rc = get_stream_pattern(g, cs, pat, multi);
		if (rc != EXIT_NOSTREAM || !multi) {
			if (rc != 0)
				return (rc);
			i++;
			continue;
		}
		verbosef(1, "no stream of '%s' matches '%s'; left out",
		    cs->src.group, pat);
		cmd_source_free(cs);
		memmove(&g->srcs[i], &g->srcs[i + 1],
		    (g->nsrc - i - 1) * sizeof *g->srcs);
		g->nsrc--;
	}
	if (multi && g->nsrc == 0) {
		errorf("No streams match your pattern '%s' for the given time "
		       "period.",
		    first);
		return (EXIT_NOSTREAM);
	}
	return (0);
}

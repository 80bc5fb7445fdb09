/* SPDX-License-Identifier: Apache-2.0 */
/*
 * `get --engine`: whether the history is read with FilterLogEvents or
 * through Logs Insights. auto chooses Insights for a window of more than
 * GET_AUTO_MIN_WINDOW_MS whose estimated size (DescribeLogGroups
 * storedBytes times the window's share) reaches --insights-threshold,
 * never with --watch, and only when the filter pattern translates.
 */

#include <stdlib.h>
#include <string.h>

#include "aws/loop.h"
#include "cli/app.h"
#include "cli/cli.h"
#include "cli/cmd.h"
#include "cli/cmd_get_engine.h"
#include "cli/msg.h"
#include "core/xmalloc.h"
#include "logs/engine.h"
#include "logs/insights.h"
#include "logs/insights_est.h"
#include "logs/logs.h"

/* auto does not even estimate a shorter window (no extra request). */
#define GET_AUTO_MIN_WINDOW_MS (10 * 60 * 1000)

/* Choose the engine of a read; see cmd_get_engine.h. */
int
get_choose_engine(struct app *a, struct aws_client *logs,
    struct cmd_source **srcs, size_t nsrc, struct engine_opts *eo)
{
	struct opts *o = a->o;
	struct insights_est est;
	const char **names = NULL;
	char *q, *why = NULL, *cause = NULL;
	int64_t now = loop_now(a->loop), end;
	size_t i, j, n = 0;
	int insights = o->engine == READ_INSIGHTS, rc = 0, missing = 0;

	memset(&est, 0, sizeof est);
	if (o->engine == READ_FILTER || nsrc == 0)
		return (0);
	if (o->last > 0) {
		/* --last reads windows back from the end, newest first. */
		if (!insights)
			return (0);
		errorf("--engine insights does not read --last: use "
		       "--start/--end");
		return (EXIT_USAGE);
	}
	if (o->watch) {
		if (!insights)
			return (0);
		errorf("--engine insights reads history only: --watch "
		       "follows with FilterLogEvents (use --engine auto)");
		return (EXIT_USAGE);
	}
	q = insights_query(o->filter_pattern, NULL, &why);
	if (q == NULL) {
		if (insights) {
			errorf("--engine insights: the filter pattern does "
			       "not translate to Logs Insights (%s); use "
			       "--engine filter",
			    why);
			rc = EXIT_USAGE;
		} else
			verbosef(1,
			    "reading with FilterLogEvents: the filter "
			    "pattern does not translate to Logs "
			    "Insights (%s)",
			    why);
		free(why);
		return (rc);
	}
	free(q);
	end = eo->end != LOGS_TIME_UNSET ? eo->end : now;
	if (!insights && eo->start != LOGS_TIME_UNSET &&
	    end - eo->start < GET_AUTO_MIN_WINDOW_MS)
		return (0);
	for (i = 0; i < nsrc; i++) {
		for (j = 0; j < n; j++)
			if (strcmp(names[j], srcs[i]->src.group) == 0)
				break;
		if (j == n) {
			names = xreallocarray(names, n + 1, sizeof *names);
			names[n++] = srcs[i]->src.group;
		}
	}
	if (insights_estimate(logs, names, n,
		eo->start != LOGS_TIME_UNSET ? eo->start : 0, end, now, &est,
		&cause) != 0) {
		verbosef(1, "no Logs Insights estimate (%s)", cause);
		free(cause);
		if (!insights)
			goto out;
	} else {
		for (i = 0; i < nsrc; i++) {
			for (j = 0; j < n; j++)
				if (strcmp(names[j], srcs[i]->src.group) == 0)
					break;
			if (est.found[j])
				continue;
			srcs[i]->src.missing = 1;
			missing += !srcs[i]->src.optional;
		}
		verbosef(1,
		    "Logs Insights estimate: %.1f MB in the window "
		    "(%.1f MB stored in %zu of %zu groups); auto chooses "
		    "Logs Insights from %.1f MB",
		    est.bytes / 1e6, est.stored / 1e6, est.nfound, n,
		    o->insights_threshold / 1e6);
	}
	if (!insights && (missing > 0 || est.bytes < o->insights_threshold)) {
		/* FilterLogEvents reports missing groups as it always has. */
		for (i = 0; i < nsrc; i++)
			srcs[i]->src.missing = 0;
		goto out;
	}
	eo->insights = 1;
	eo->insights_auto = !insights;
	/* auto: Logs Insights reads a share of the groups, FilterLogEvents
	 * and GetLogEvents the others, at once (engine_insights_mix.c). */
	eo->insights_mix = !insights;
	eo->insights_estimate = est.bytes;
	eo->group_stored = est.nfound > 0 ? est.stored / (double)est.nfound : 0;
	if (eo->start == LOGS_TIME_UNSET)
		eo->start = est.first;
	verbosef(1,
	    "reading through Logs Insights%s (billed per GB scanned; "
	    "--engine filter opts out)",
	    insights ? "" : " beside FilterLogEvents and GetLogEvents");
out:
	insights_est_free(&est);
	free(names);
	return (rc);
}

/* SPDX-License-Identifier: Apache-2.0 */
/*
 * How much a read through Logs Insights would scan: DescribeLogGroups
 * (logGroupIdentifiers, 50 names a request) gives each group's storedBytes,
 * creation time and retention; the window's share of the group's life
 * scales it. A blocking call for the command layer, before the engine runs.
 */

#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "aws/aws.h"
#include "core/xmalloc.h"
#include "logs/insights_est.h"

#define EST_TARGET "Logs_20140328.DescribeLogGroups"
#define EST_MAX_PAGES 20 /* a service that ignores the identifiers */
#define DAY_MS 86400000LL

/* The bytes of a group's storedBytes that fall in [start, end]; see
 * insights_est.h. */
double
insights_share(double stored, int64_t created, int64_t retention_days,
    int64_t start, int64_t end, int64_t now)
{
	int64_t first = created, lo, hi;

	if (retention_days > 0 && now - retention_days * DAY_MS > first)
		first = now - retention_days * DAY_MS;
	if (stored <= 0)
		return (0);
	if (now <= first)
		return (stored);
	lo = start > first ? start : first;
	hi = end < now ? end : now;
	if (hi < lo)
		return (0);
	return (stored * (double)(hi - lo) / (double)(now - first));
}

/* An integer member, or 0. */
static int64_t
est_int(json_t *o, const char *k)
{
	json_t *v = json_object_get(o, k);

	return (json_is_number(v) ? (int64_t)json_number_value(v) : 0);
}

/* Take the groups of one answer into est. Returns the next token (caller
 * frees) or NULL. */
static char *
est_take(json_t *root, const char **groups, size_t n, int64_t start,
    int64_t end, int64_t now, struct insights_est *est)
{
	json_t *it, *tok;
	const char *name, *arn;
	size_t i, k;

	json_array_foreach(json_object_get(root, "logGroups"), i, it)
	{
		name = json_string_value(json_object_get(it, "logGroupName"));
		arn = json_string_value(json_object_get(it, "logGroupArn"));
		if (name == NULL)
			continue;
		for (k = 0; k < n; k++) {
			/* A group named by its ARN (-g arn:...) matches that.
			 */
			if (est->found[k] ||
			    (strcmp(groups[k], name) != 0 &&
				(arn == NULL || strcmp(groups[k], arn) != 0)))
				continue;
			est->found[k] = 1;
			est->nfound++;
			est->stored += (double)est_int(it, "storedBytes");
			if (est->first == 0 ||
			    est_int(it, "creationTime") < est->first)
				est->first = est_int(it, "creationTime");
			est->bytes += insights_share(
			    (double)est_int(it, "storedBytes"),
			    est_int(it, "creationTime"),
			    est_int(it, "retentionInDays"), start, end, now);
		}
	}
	tok = json_object_get(root, "nextToken");
	if (!json_is_string(tok) || json_string_length(tok) == 0)
		return (NULL);
	return (xstrdup(json_string_value(tok)));
}

/* Estimate a read; see insights_est.h. */
int
insights_estimate(struct aws_client *c, const char **groups, size_t n,
    int64_t start, int64_t end, int64_t now, struct insights_est *est,
    char **cause)
{
	struct aws_call call;
	struct aws_result res;
	json_t *req, *ids, *root;
	char *body, *token = NULL;
	size_t off, k, m, pages;
	int rc = -1;

	memset(est, 0, sizeof *est);
	est->found = xcalloc(n + 1, 1);
	memset(&res, 0, sizeof res);
	for (off = 0; off < n; off += m) {
		m = n - off > 50 ? 50 : n - off;
		for (pages = 0; pages < EST_MAX_PAGES; pages++) {
			req = json_object();
			ids = json_array();
			for (k = 0; k < m; k++)
				json_array_append_new(
				    ids, json_string(groups[off + k]));
			json_object_set_new(req, "logGroupIdentifiers", ids);
			if (token != NULL)
				json_object_set_new(
				    req, "nextToken", json_string(token));
			body = json_dumps(req, JSON_COMPACT);
			json_decref(req);
			if (body == NULL)
				abort();
			memset(&call, 0, sizeof call);
			call.op = "DescribeLogGroups";
			call.target = EST_TARGET;
			call.body = body;
			call.body_len = strlen(body);
			est->requests++;
			aws_result_free(&res);
			memset(&res, 0, sizeof res);
			k = aws_call_sync(c, &call, &res);
			free(body);
			if (k != 0) {
				*cause = aws_result_describe(&res);
				est->access = aws_code_is_access(res.code) ||
					      res.status == AWS_ERR_CREDS;
				goto out;
			}
			root = json_loadb(res.body.data, res.body.len, 0, NULL);
			if (!json_is_object(root)) {
				json_decref(root);
				*cause =
				    xstrdup("bad DescribeLogGroups answer");
				goto out;
			}
			free(token);
			token = est_take(root, groups, n, start, end, now, est);
			json_decref(root);
			/* A service that ignores logGroupIdentifiers lists
			 * every group: page on until ours are found. */
			if (token == NULL || est->nfound == n)
				break;
		}
		free(token);
		token = NULL;
	}
	rc = 0;
out:
	free(token);
	aws_result_free(&res);
	return (rc);
}

/* Free what an estimate holds. Accepts NULL. */
void
insights_est_free(struct insights_est *est)
{
	if (est == NULL)
		return;
	free(est->found);
	est->found = NULL;
}

/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Logs Insights in the in-memory CloudWatch Logs (fakelogs.c):
 * StartQuery, GetQueryResults and StopQuery in the service's wire format.
 * A query's rows are the events of its groups whose timestamp falls in
 * its seconds (both ends whole and inclusive), sorted by timestamp (then
 * ingestion time, then the order they were added), at most its limit;
 * GetQueryResults reads them in pages of maxItems with nextToken
 * "q<id>/<offset>", as the service does after Complete. Timestamps are epoch
 * milliseconds (moto's form, which the decoder reads like the service's), @log
 * is "account:group",
 * @ptr the event's id. The filter command is not applied (tests run
 * without a filter pattern).
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "aws/http.h"
#include "core/buf.h"
#include "core/xmalloc.h"
#include "fakelogs.h"

static void
fi_error(struct http_response *resp, const char *code, const char *msg)
{
	resp->status = 400;
	resp->headers = xreallocarray(
	    resp->headers, resp->nheaders + 1, sizeof *resp->headers);
	resp->headers[resp->nheaders].name = xstrdup("X-Amzn-ErrorType");
	resp->headers[resp->nheaders].value = xstrdup(code);
	resp->nheaders++;
	buf_putf(
	    &resp->body, "{\"__type\":\"%s\",\"message\":\"%s\"}", code, msg);
}

static void
fi_send(struct http_response *resp, json_t *out)
{
	char *s = json_dumps(out, JSON_COMPACT);

	buf_puts(&resp->body, s);
	free(s);
	json_decref(out);
	resp->status = 200;
}

static void
fi_start(struct fakelogs *fl, json_t *req, struct http_response *resp)
{
	struct fake_query *q;
	json_t *names = json_object_get(req, "logGroupNames"), *v;
	char id[32];
	size_t i;

	fl->start_requests++;
	if (fl->insights_fail_start == fl->start_requests) {
		fi_error(resp, "InvalidParameterException",
		    "the query could not be started");
		return;
	}
	if (!json_is_array(names) ||
	    !json_is_integer(json_object_get(req, "startTime")) ||
	    !json_is_integer(json_object_get(req, "endTime")) ||
	    !json_is_string(json_object_get(req, "queryString"))) {
		fi_error(resp, "InvalidParameterException", "bad StartQuery");
		return;
	}
	fl->queries =
	    xreallocarray(fl->queries, fl->nqueries + 1, sizeof *fl->queries);
	q = &fl->queries[fl->nqueries];
	memset(q, 0, sizeof *q);
	json_array_foreach(names, i, v)
	{
		q->groups =
		    xreallocarray(q->groups, q->ngroups + 1, sizeof *q->groups);
		q->groups[q->ngroups++] = xstrdup(json_string_value(v));
	}
	q->start_s = json_integer_value(json_object_get(req, "startTime"));
	q->end_s = json_integer_value(json_object_get(req, "endTime"));
	v = json_object_get(req, "limit");
	q->limit = json_is_integer(v) ? json_integer_value(v) : 10000;
	snprintf(id, sizeof id, "q%zu", fl->nqueries++);
	fi_send(resp, json_pack("{s:s}", "queryId", id));
}

static int
fi_cmp(const void *a, const void *b)
{
	const struct fake_event *x = *(const struct fake_event *const *)a;
	const struct fake_event *y = *(const struct fake_event *const *)b;

	if (x->ts != y->ts)
		return (x->ts < y->ts ? -1 : 1);
	if (x->ingest != y->ingest)
		return (x->ingest < y->ingest ? -1 : 1);
	return (x < y ? -1 : (x > y));
}

static json_t *
fi_field(const char *f, const char *v)
{
	return (json_pack("{s:s,s:s}", "field", f, "value", v));
}

static json_t *
fi_row(const struct fake_event *ev)
{
	json_t *row = json_array();
	char num[32], log[256];

	snprintf(num, sizeof num, "%lld", (long long)ev->ts);
	json_array_append_new(row, fi_field("@timestamp", num));
	json_array_append_new(row, fi_field("@message", ev->msg));
	json_array_append_new(row, fi_field("@logStream", ev->stream));
	snprintf(log, sizeof log, "123456789012:%s", ev->group);
	json_array_append_new(row, fi_field("@log", log));
	snprintf(num, sizeof num, "%lld", (long long)ev->ingest);
	json_array_append_new(row, fi_field("@ingestionTime", num));
	json_array_append_new(row, fi_field("@ptr", ev->id));
	return (row);
}

static void
fi_results(struct fakelogs *fl, json_t *req, struct http_response *resp)
{
	const char *id = json_string_value(json_object_get(req, "queryId"));
	const char *tok = json_string_value(json_object_get(req, "nextToken"));
	struct fake_query *q;
	struct fake_event **sel;
	json_t *out, *rows, *v;
	size_t i, j, n = 0, off = 0, max = 1000, end;
	double bytes = 0;
	char t[48];

	fl->results_requests++;
	if (id == NULL || id[0] != 'q' ||
	    (i = strtoul(id + 1, NULL, 10)) >= fl->nqueries) {
		fi_error(resp, "ResourceNotFoundException", "no such query");
		return;
	}
	q = &fl->queries[i];
	if (q->polls++ < fl->insights_running || q->stopped) {
		fi_send(resp, json_pack("{s:[],s:s}", "results", "status",
				  q->stopped ? "Cancelled" : "Running"));
		return;
	}
	v = json_object_get(req, "maxItems");
	if (json_is_integer(v))
		max = (size_t)json_integer_value(v);
	if (tok != NULL && strchr(tok, '/') != NULL)
		off = strtoul(strchr(tok, '/') + 1, NULL, 10);
	sel = xcalloc(fl->n + 1, sizeof *sel);
	for (i = 0; i < fl->n; i++) {
		for (j = 0; j < q->ngroups; j++)
			if (strcmp(q->groups[j], fl->ev[i].group) == 0)
				break;
		if (j == q->ngroups || fl->ev[i].ts < q->start_s * 1000 ||
		    fl->ev[i].ts > q->end_s * 1000 + 999)
			continue;
		sel[n++] = &fl->ev[i];
		bytes += (double)strlen(fl->ev[i].msg);
	}
	qsort(sel, n, sizeof *sel, fi_cmp);
	out = json_object();
	rows = json_array();
	end = n < (size_t)q->limit ? n : (size_t)q->limit;
	for (i = off; i < end && i - off < max; i++) {
		json_array_append_new(rows, fi_row(sel[i]));
		fl->rows_served++;
	}
	json_object_set_new(out, "results", rows);
	json_object_set_new(out, "statistics",
	    json_pack("{s:f,s:f,s:f}", "recordsMatched", (double)n,
		"recordsScanned", (double)n, "bytesScanned", bytes));
	json_object_set_new(out, "status", json_string("Complete"));
	if (i < end) {
		snprintf(t, sizeof t, "%s/%zu", id, i);
		json_object_set_new(out, "nextToken", json_string(t));
	}
	free(sel);
	fi_send(resp, out);
}

/* Serve a Logs Insights call; see fakelogs.h. */
void
fakeinsights_serve(
    struct fakelogs *fl, int kind, const void *body, struct http_response *resp)
{
	json_t *req = (json_t *)body;
	const char *id;
	size_t i;

	switch (kind) {
	case FAKE_OP_START:
		fi_start(fl, req, resp);
		return;
	case FAKE_OP_RESULTS:
		fi_results(fl, req, resp);
		return;
	default:
		fl->stop_requests++;
		id = json_string_value(json_object_get(req, "queryId"));
		if (id != NULL && id[0] == 'q' &&
		    (i = strtoul(id + 1, NULL, 10)) < fl->nqueries)
			fl->queries[i].stopped = 1;
		fi_send(resp, json_pack("{s:b}", "success", 1));
		return;
	}
}

/* Free the queries. */
void
fakeinsights_free(struct fakelogs *fl)
{
	size_t i, j;

	for (i = 0; i < fl->nqueries; i++) {
		for (j = 0; j < fl->queries[i].ngroups; j++)
			free(fl->queries[i].groups[j]);
		free(fl->queries[i].groups);
	}
	free(fl->queries);
	fl->queries = NULL;
	fl->nqueries = 0;
}

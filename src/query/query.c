/* SPDX-License-Identifier: Apache-2.0 */
/* --query: JMESPath over JSON log messages. */

#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "core/buf.h"
#include "core/xmalloc.h"
#include "query/jmespath.h"
#include "query/pyjson.h"
#include "query/query.h"
#include "trace/logline.h"

struct query {
	struct jmespath *jp;
	int keep_null;
	void (*notice)(void *, const char *);
	void *notice_arg;
};

/* Compile an expression; see query.h. */
struct query *
query_new(const char *expr, int keep_null, char **cause)
{
	struct jmespath_error err;
	struct query *q;
	struct jmespath *jp;

	jp = jmespath_compile(expr, &err);
	if (jp == NULL) {
		*cause = xprintf("--query '%s': %s", expr, err.msg);
		return (NULL);
	}
	q = xcalloc(1, sizeof *q);
	q->jp = jp;
	q->keep_null = keep_null;
	return (q);
}

/* Free a query. Accepts NULL. */
void
query_free(struct query *q)
{
	if (q == NULL)
		return;
	jmespath_free(q->jp);
	free(q);
}

/* Set the notice callback. */
void
query_set_notice(struct query *q, void (*cb)(void *, const char *), void *arg)
{
	q->notice = cb;
	q->notice_arg = arg;
}

/* Apply the query to one message; see query.h. */
int
query_apply(void *arg, const char *msg, size_t len, char **out, size_t *outlen)
{
	struct query *q = arg;
	struct jmespath_error err;
	json_t *doc, *res;
	struct buf b;
	const char *js;
	char *s;
	int rc = 0;

	js = logline_json_start(msg, len);
	if (js == NULL)
		return (0);
	doc = json_loadb(js, len - (size_t)(js - msg), 0, NULL);
	if (doc == NULL)
		return (0); /* not JSON after all: unchanged */
	res = jmespath_search(q->jp, doc, &err);
	if (res == NULL) {
		if (q->notice != NULL) {
			s = xprintf("--query: %s (%s); message printed "
				    "unchanged",
			    err.msg, jmespath_errkind_name(err.kind));
			q->notice(q->notice_arg, s);
			free(s);
		}
		goto out;
	}
	if (json_is_null(res) && !q->keep_null) {
		rc = -1;
		goto out;
	}
	if (json_is_string(res)) {
		*outlen = json_string_length(res);
		*out = xmemdup(json_string_value(res), *outlen + 1);
	} else {
		/* As awslogs prints it: json.dumps(result). */
		buf_init(&b, BUF_NOCAP);
		pyjson_dump(res, -1, &b);
		*out = buf_take(&b, outlen);
	}
	rc = 1;
out:
	json_decref(res);
	json_decref(doc);
	return (rc);
}

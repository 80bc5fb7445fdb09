/* SPDX-License-Identifier: Apache-2.0 */
/* Scripted fake HTTP transport for unit tests. */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "aws/http.h"
#include "core/buf.h"
#include "fakehttp.h"

#define FAKEHTTP_MAX 64

struct fakehttp_reply {
	char *match;
	long status;
	char *body;
	enum http_err err;
};

struct fakehttp_seen {
	char *line;
	char *headers; /* "Name: value\n"... */
	char *body;
};

static struct fakehttp_reply fakehttp_q[FAKEHTTP_MAX];
static size_t fakehttp_nq, fakehttp_head;
static struct fakehttp_seen fakehttp_seen[FAKEHTTP_MAX];
static size_t fakehttp_nseen, fakehttp_bad;
static char *fakehttp_all;

static char *
fakehttp_strdup(const char *s)
{
	char *p = strdup(s != NULL ? s : "");

	if (p == NULL)
		abort();
	return (p);
}

/* Forget everything. */
void
fakehttp_reset(void)
{
	size_t i;

	for (i = 0; i < fakehttp_nq; i++) {
		free(fakehttp_q[i].match);
		free(fakehttp_q[i].body);
	}
	for (i = 0; i < fakehttp_nseen; i++) {
		free(fakehttp_seen[i].line);
		free(fakehttp_seen[i].headers);
		free(fakehttp_seen[i].body);
	}
	free(fakehttp_all);
	fakehttp_all = NULL;
	fakehttp_nq = fakehttp_head = fakehttp_nseen = fakehttp_bad = 0;
}

static void
fakehttp_add(
    const char *match, long status, const char *body, enum http_err err)
{
	if (fakehttp_nq == FAKEHTTP_MAX)
		abort();
	fakehttp_q[fakehttp_nq].match = fakehttp_strdup(match);
	fakehttp_q[fakehttp_nq].status = status;
	fakehttp_q[fakehttp_nq].body = fakehttp_strdup(body);
	fakehttp_q[fakehttp_nq].err = err;
	fakehttp_nq++;
}

/* Queue a reply. */
void
fakehttp_push(const char *match, long status, const char *body)
{
	fakehttp_add(match, status, body, HTTP_OK);
}

/* Queue a transport error. */
void
fakehttp_push_err(const char *match, enum http_err err)
{
	fakehttp_add(match, 0, "", err);
}

/* Record the request, answer it with the next queued reply. */
struct http_xfer *
fakehttp_transport(
    struct loop *l, const struct http_request *req, http_done_cb cb, void *arg)
{
	struct http_response r;
	struct fakehttp_reply *q = NULL;
	struct fakehttp_seen *s;
	struct buf h;
	size_t i;

	(void)l;
	if (fakehttp_nseen == FAKEHTTP_MAX)
		abort();
	s = &fakehttp_seen[fakehttp_nseen++];
	buf_init(&h, BUF_NOCAP);
	buf_putf(&h, "%s %s", req->method, req->url);
	s->line = buf_take(&h, NULL);
	buf_init(&h, BUF_NOCAP);
	for (i = 0; req->headers != NULL && req->headers[i] != NULL; i++)
		buf_putf(&h, "%s\n", req->headers[i]);
	s->headers = buf_take(&h, NULL);
	s->body = malloc(req->body_len + 1);
	if (s->body == NULL)
		abort();
	if (req->body_len > 0)
		memcpy(s->body, req->body, req->body_len);
	s->body[req->body_len] = '\0';

	memset(&r, 0, sizeof r);
	buf_init(&r.body, 0);
	if (fakehttp_head < fakehttp_nq)
		q = &fakehttp_q[fakehttp_head++];
	if (q == NULL || strstr(s->line, q->match) == NULL) {
		fprintf(stderr, "fakehttp: unexpected request %s (wanted %s)\n",
		    s->line, q != NULL ? q->match : "nothing");
		fakehttp_bad++;
		r.err = HTTP_ERR_CONNECT;
		snprintf(r.errmsg, sizeof r.errmsg, "unexpected request");
	} else if (q->err != HTTP_OK) {
		r.err = q->err;
		snprintf(r.errmsg, sizeof r.errmsg, "%s", http_errname(q->err));
	} else {
		r.status = q->status;
		buf_puts(&r.body, q->body);
	}
	cb(&r, arg);
	buf_free(&r.body);
	return (NULL);
}

size_t
fakehttp_count(void)
{
	return (fakehttp_nseen);
}

const char *
fakehttp_request(size_t i)
{
	return (i < fakehttp_nseen ? fakehttp_seen[i].line : NULL);
}

/* A header of a recorded request. */
const char *
fakehttp_header(size_t i, const char *name)
{
	const char *p;
	size_t n = strlen(name);
	static char val[4096];

	if (i >= fakehttp_nseen)
		return (NULL);
	for (p = fakehttp_seen[i].headers; *p != '\0';
	     p = strchr(p, '\n') + 1) {
		if (strncasecmp(p, name, n) == 0 && p[n] == ':') {
			p += n + 1;
			while (*p == ' ')
				p++;
			snprintf(
			    val, sizeof val, "%.*s", (int)strcspn(p, "\n"), p);
			return (val);
		}
	}
	return (NULL);
}

const char *
fakehttp_body(size_t i)
{
	return (i < fakehttp_nseen ? fakehttp_seen[i].body : NULL);
}

size_t
fakehttp_pending(void)
{
	return (fakehttp_nq - fakehttp_head);
}

size_t
fakehttp_mismatches(void)
{
	return (fakehttp_bad);
}

/* All recorded requests as one string. */
const char *
fakehttp_dump(void)
{
	struct buf b;
	size_t i;

	buf_init(&b, BUF_NOCAP);
	for (i = 0; i < fakehttp_nseen; i++)
		buf_putf(&b, "%s\n%s\n%s\n", fakehttp_seen[i].line,
		    fakehttp_seen[i].headers, fakehttp_seen[i].body);
	free(fakehttp_all);
	fakehttp_all = buf_take(&b, NULL);
	return (fakehttp_all);
}

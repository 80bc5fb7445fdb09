/* SPDX-License-Identifier: Apache-2.0 */
/* Request correlation: tag events with API and Lambda request ids. */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/xmalloc.h"
#include "logs/groupspec.h"
#include "trace/corr.h"

#define CORR_PRUNE_AGE_MS (30 * 60 * 1000)
#define CORR_PRUNE_EVERY 4096

/* The state of one Lambda stream (stable address: held events point to
 * it while they wait for the stream's START). */
struct sstate {
	char cur[LOGLINE_IDLEN]; /* the invocation running, or "" */
	size_t pending;          /* events waiting for START */
	int idle;                /* after REPORT or INIT_START: what comes
				    before the next START is its init */
};

/* A small string map with timestamps, for pruning. */
struct sm_entry {
	char *key;
	char val[LOGLINE_IDLEN];
	int64_t ts;
	struct sstate *st; /* streams map only */
};

struct strmap {
	struct sm_entry *e;
	size_t size; /* power of two */
	size_t count;
};

struct held {
	struct event ev;
	const struct source *src;
	enum logline_source kind;
	struct corr_tag tag;
	int needs_api;          /* a Lambda line whose API id is unknown */
	struct sstate *pending; /* waiting for its stream's START */
	int64_t arrival;
	struct held *next;
};

struct corr {
	struct corr_opts o;
	char *only_id;
	char match_api[LOGLINE_IDLEN]; /* the API request only_id is part of */
	corr_emit_cb emit;
	void *arg;
	struct held *head, *tail;
	size_t nheld;
	int64_t newest;
	struct strmap map;     /* Lambda request id -> API request id */
	struct strmap streams; /* source + stream -> current invocation */
	struct strmap corrids; /* Lambda request id -> correlation_id */
	struct strmap apis;    /* API request ids seen (values unused) */
	struct strmap execs;   /* execution stream -> its request (old
				  lines without the "(id) " prefix) */
	size_t pushes;
};

static uint64_t
sm_hash(const char *s)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	for (; *s != '\0'; s++) {
		h ^= (unsigned char)*s;
		h *= 0x100000001b3ULL;
	}
	return (h ^ (h >> 29));
}

static void
sm_init(struct strmap *m)
{
	m->size = 256;
	m->count = 0;
	m->e = xcalloc(m->size, sizeof *m->e);
}

static void
sm_free(struct strmap *m)
{
	size_t i;

	for (i = 0; i < m->size; i++) {
		free(m->e[i].key);
		free(m->e[i].st);
	}
	free(m->e);
}

static struct sm_entry *
sm_slot(struct strmap *m, const char *key)
{
	size_t i = (size_t)sm_hash(key) & (m->size - 1);

	while (m->e[i].key != NULL && strcmp(m->e[i].key, key) != 0)
		i = (i + 1) & (m->size - 1);
	return (&m->e[i]);
}

static struct sm_entry *
sm_get(struct strmap *m, const char *key)
{
	struct sm_entry *e = sm_slot(m, key);

	return (e->key != NULL ? e : NULL);
}

/* Rebuild with only the entries newer than cut (or pending). */
static void
sm_rebuild(struct strmap *m, size_t size, int64_t cut)
{
	struct sm_entry *old = m->e, *e;
	size_t oldsize = m->size, i;

	m->size = size;
	m->count = 0;
	m->e = xcalloc(size, sizeof *m->e);
	for (i = 0; i < oldsize; i++) {
		if (old[i].key == NULL)
			continue;
		if (old[i].ts < cut &&
		    (old[i].st == NULL || old[i].st->pending == 0)) {
			free(old[i].key);
			free(old[i].st);
			continue;
		}
		e = sm_slot(m, old[i].key);
		*e = old[i];
		m->count++;
	}
	free(old);
}

static struct sm_entry *
sm_put(struct strmap *m, const char *key, const char *val, int64_t ts)
{
	struct sm_entry *e;

	if ((m->count + 1) * 2 > m->size)
		sm_rebuild(m, m->size * 2, INT64_MIN);
	e = sm_slot(m, key);
	if (e->key == NULL) {
		e->key = xstrdup(key);
		m->count++;
	}
	snprintf(e->val, sizeof e->val, "%s", val);
	e->ts = ts;
	return (e);
}

/* Create a correlator; see corr.h. */
struct corr *
corr_new(const struct corr_opts *o, corr_emit_cb emit, void *arg)
{
	struct corr *c;

	c = xcalloc(1, sizeof *c);
	c->o = *o;
	if (o->only_id != NULL)
		c->only_id = xstrdup(o->only_id);
	c->o.only_id = NULL;
	if (c->o.max_held == 0)
		c->o.max_held = 20000;
	c->emit = emit;
	c->arg = arg;
	c->newest = INT64_MIN;
	sm_init(&c->map);
	sm_init(&c->streams);
	sm_init(&c->corrids);
	sm_init(&c->apis);
	sm_init(&c->execs);
	return (c);
}

/* Free a correlator (held events are dropped). Accepts NULL. */
void
corr_free(struct corr *c)
{
	struct held *h, *next;

	if (c == NULL)
		return;
	for (h = c->head; h != NULL; h = next) {
		next = h->next;
		free(h);
	}
	sm_free(&c->map);
	sm_free(&c->streams);
	sm_free(&c->corrids);
	sm_free(&c->apis);
	sm_free(&c->execs);
	free(c->only_id);
	free(c);
}

/* Events waiting in the look-ahead queue. */
size_t
corr_held(const struct corr *c)
{
	return (c->nheld);
}

/* Which log a source is. */
enum logline_source
corr_source_kind(enum discover_role role, const char *group)
{
	const char *name;
	size_t len;

	switch (role) {
	case DISCOVER_ROLE_EXECUTION:
		return (LOGLINE_SRC_EXECUTION);
	case DISCOVER_ROLE_ACCESS:
		return (LOGLINE_SRC_ACCESS);
	case DISCOVER_ROLE_LAMBDA:
	case DISCOVER_ROLE_AUTHORIZER:
		return (LOGLINE_SRC_LAMBDA);
	default:
		break;
	}
	/* A group given by ARN: its name says. */
	name = groupspec_arn_name(group, &len, NULL, NULL);
	if (name != NULL)
		group = name;
	if (strncmp(group, "API-Gateway-Execution-Logs_", 27) == 0)
		return (LOGLINE_SRC_EXECUTION);
	if (strncmp(group, "/aws/lambda/", 12) == 0)
		return (LOGLINE_SRC_LAMBDA);
	return (LOGLINE_SRC_AUTO);
}

static struct held *
held_new(const struct event *ev, const struct source *s,
    enum logline_source kind, int64_t now)
{
	struct held *h;

	h = xmalloc(sizeof *h + event_strings_size(ev));
	memset(h, 0, sizeof *h);
	event_copy(&h->ev, ev, (char *)(h + 1));
	h->src = s;
	h->kind = kind;
	h->arrival = now;
	return (h);
}

static void
corr_stream_key(
    char *key, size_t size, const struct source *s, const struct event *ev)
{
	snprintf(key, size, "%p|%.*s", (const void *)s, (int)ev->stream_len,
	    ev->stream);
}

/* A START arrived in a stream: fill in lines held since INIT_START. */
static void
corr_fill_pending(struct corr *c, struct sstate *st, const char *id)
{
	struct held *h;

	for (h = c->head; h != NULL && st->pending > 0; h = h->next) {
		if (h->pending != st)
			continue;
		snprintf(h->tag.lambda, sizeof h->tag.lambda, "%s", id);
		h->pending = NULL;
		h->needs_api = c->o.wait_for_mapping;
		st->pending--;
	}
	st->pending = 0;
}

/*
 * Execution lines from before 2018 have no "(id) " prefix: an unprefixed
 * "Starting execution for request: ID" starts a request in its stream,
 * and the unprefixed lines after it are that request's.
 */
static void
corr_exec_stream(struct corr *c, struct held *h, struct logline *ll)
{
	struct sm_entry *se;
	char key[600];

	corr_stream_key(key, sizeof key, h->src, &h->ev);
	if (ll->kind == LOGLINE_EXEC_START && ll->text_off == 0 &&
	    ll->apigw_id[0] != '\0') {
		sm_put(&c->execs, key, ll->apigw_id, h->ev.ts);
		return;
	}
	if (ll->apigw_id[0] != '\0' || ll->text_off != 0)
		return;
	se = sm_get(&c->execs, key);
	if (se == NULL)
		return;
	se->ts = h->ev.ts;
	memcpy(ll->apigw_id, se->val, sizeof ll->apigw_id);
	ll->source = LOGLINE_SRC_EXECUTION;
}

/* A line only the init phase writes: an extension or the telemetry and
 * logs APIs subscribing ("EXTENSION\tName: ...", "TELEMETRY\t..."). */
static int
corr_init_line(const struct event *ev)
{
	static const char *const prefixes[] = {
	    "EXTENSION\t", "TELEMETRY\t", "LOGS\t"};
	size_t i, n;

	for (i = 0; i < sizeof prefixes / sizeof prefixes[0]; i++) {
		n = strlen(prefixes[i]);
		if (ev->msg_len >= n && memcmp(ev->msg, prefixes[i], n) == 0)
			return (1);
	}
	return (0);
}

/* Work out the tag of a new event and remember what it teaches. */
static void
corr_learn(struct corr *c, struct held *h)
{
	struct logline ll;
	struct sm_entry *se;
	struct sstate *st = NULL;
	enum logline_source kind = h->kind;
	char key[600];

	logline_parse(h->ev.msg, h->ev.msg_len, kind, &ll);
	if (kind == LOGLINE_SRC_EXECUTION)
		corr_exec_stream(c, h, &ll);
	if (ll.source == LOGLINE_SRC_EXECUTION ||
	    ll.source == LOGLINE_SRC_ACCESS) {
		memcpy(h->tag.apigw, ll.apigw_id, sizeof h->tag.apigw);
		memcpy(h->tag.lambda, ll.lambda_id, sizeof h->tag.lambda);
		if (ll.apigw_id[0] != '\0')
			sm_put(&c->apis, ll.apigw_id, "", h->ev.ts);
		if (ll.apigw_id[0] != '\0' && ll.lambda_id[0] != '\0')
			sm_put(&c->map, ll.lambda_id, ll.apigw_id, h->ev.ts);
		if (ll.apigw_id[0] != '\0' &&
		    ll.authorizer_request_id[0] != '\0')
			sm_put(&c->map, ll.authorizer_request_id, ll.apigw_id,
			    h->ev.ts);
		return;
	}
	if (kind != LOGLINE_SRC_LAMBDA && ll.source != LOGLINE_SRC_LAMBDA)
		return;
	corr_stream_key(key, sizeof key, h->src, &h->ev);
	se = sm_get(&c->streams, key);
	if (se == NULL &&
	    (ll.kind == LOGLINE_LAMBDA_INIT_START ||
		ll.kind == LOGLINE_LAMBDA_START ||
		ll.kind == LOGLINE_LAMBDA_REPORT || corr_init_line(&h->ev))) {
		se = sm_put(&c->streams, key, "", h->ev.ts);
		se->st = xcalloc(1, sizeof *se->st);
		se->st->idle = 1;
	}
	if (se != NULL) {
		st = se->st;
		se->ts = h->ev.ts;
	}
	switch (ll.kind) {
	case LOGLINE_LAMBDA_INIT_START:
		st->cur[0] = '\0';
		st->idle = 1;
		h->pending = st;
		st->pending++;
		return;
	case LOGLINE_LAMBDA_START:
		if (ll.lambda_id[0] == '\0')
			break;
		snprintf(st->cur, sizeof st->cur, "%s", ll.lambda_id);
		st->idle = 0;
		if (st->pending > 0)
			corr_fill_pending(c, st, ll.lambda_id);
		break;
	default:
		break;
	}
	if (ll.lambda_id[0] != '\0')
		memcpy(h->tag.lambda, ll.lambda_id, sizeof h->tag.lambda);
	else if (st != NULL && st->cur[0] != '\0')
		memcpy(h->tag.lambda, st->cur, sizeof h->tag.lambda);
	else if (st != NULL && (st->idle || corr_init_line(&h->ev))) {
		/* Before START (init, extension and telemetry lines, with
		 * or without INIT_START): the coming invocation. A stream
		 * seen only mid-invocation holds nothing back. */
		h->pending = st;
		st->pending++;
	}
	/* Powertools' correlation_id may be the API request id. */
	if (ll.correlation_id[0] != '\0' && h->tag.lambda[0] != '\0')
		sm_put(&c->corrids, h->tag.lambda, ll.correlation_id, h->ev.ts);
	/* The invocation ends with its REPORT. */
	if (ll.kind == LOGLINE_LAMBDA_REPORT && st != NULL &&
	    strcmp(st->cur, h->tag.lambda) == 0) {
		st->cur[0] = '\0';
		st->idle = 1;
	}
	if (h->tag.lambda[0] != '\0' || h->pending != NULL)
		h->needs_api = c->o.wait_for_mapping;
}

static int
corr_wanted(struct corr *c, const struct corr_tag *t)
{
	if (c->only_id == NULL)
		return (1);
	return (
	    strcmp(t->apigw, c->only_id) == 0 ||
	    strcmp(t->lambda, c->only_id) == 0 ||
	    (c->match_api[0] != '\0' && strcmp(t->apigw, c->match_api) == 0));
}

/*
 * --request-id may name a Lambda request: find the API request it belongs
 * to (from the mapping) so that the API's own lines are shown too.
 */
static void
corr_resolve_only(struct corr *c, const struct corr_tag *t)
{
	struct sm_entry *m;

	if (c->only_id == NULL || c->match_api[0] != '\0')
		return;
	if (strcmp(t->apigw, c->only_id) == 0)
		snprintf(c->match_api, sizeof c->match_api, "%s", c->only_id);
	else if (strcmp(t->lambda, c->only_id) == 0 && t->apigw[0] != '\0')
		snprintf(c->match_api, sizeof c->match_api, "%s", t->apigw);
	else {
		m = sm_get(&c->map, c->only_id);
		if (m != NULL)
			snprintf(
			    c->match_api, sizeof c->match_api, "%s", m->val);
	}
}

/*
 * An HTTP API's access log may not name the Lambda request: a Powertools
 * correlation_id that is an API request id seen in the API's logs links
 * them. The entry returned has the API id as its value.
 */
static struct sm_entry *
corr_by_correlation(struct corr *c, const char *lambda)
{
	struct sm_entry *m, *a;

	m = sm_get(&c->corrids, lambda);
	if (m == NULL)
		return (NULL);
	a = sm_get(&c->apis, m->val);
	if (a == NULL)
		return (NULL);
	/* Remember it as a mapping: the key is the API id itself. */
	return (sm_put(&c->map, lambda, m->val, m->ts));
}

/* Emit what is ready, in order; see corr.h. */
int
corr_release(struct corr *c, int64_t now, int all)
{
	struct held *h;
	struct sm_entry *m;
	int ready, wait_only;

	while ((h = c->head) != NULL) {
		if (h->tag.apigw[0] == '\0' && h->tag.lambda[0] != '\0') {
			m = sm_get(&c->map, h->tag.lambda);
			if (m == NULL)
				m = corr_by_correlation(c, h->tag.lambda);
			if (m != NULL) {
				memcpy(
				    h->tag.apigw, m->val, sizeof h->tag.apigw);
				h->needs_api = 0;
			}
		}
		corr_resolve_only(c, &h->tag);
		/* Until --request-id is known to be (part of) an API request,
		 * another request's line might still turn out to be ours. */
		wait_only = c->only_id != NULL && c->match_api[0] == '\0' &&
			    h->tag.apigw[0] != '\0';
		ready =
		    all ||
		    (!h->needs_api && h->pending == NULL && !wait_only) ||
		    c->newest - h->ev.ts > c->o.lookahead_ms ||
		    (c->o.wait_ms > 0 && now - h->arrival >= c->o.wait_ms) ||
		    c->nheld > c->o.max_held;
		if (!ready)
			return (0);
		c->head = h->next;
		if (c->head == NULL)
			c->tail = NULL;
		c->nheld--;
		if (h->pending != NULL && h->pending->pending > 0)
			h->pending->pending--;
		if (corr_wanted(c, &h->tag) &&
		    c->emit(c->arg, &h->ev, h->src, &h->tag) != 0) {
			free(h);
			return (1);
		}
		free(h);
	}
	return (0);
}

/* Take an event; see corr.h. */
int
corr_push(struct corr *c, const struct event *ev, const struct source *s,
    enum logline_source kind, int64_t now)
{
	struct held *h;

	h = held_new(ev, s, kind, now);
	corr_learn(c, h);
	corr_resolve_only(c, &h->tag);
	if (ev->ts > c->newest)
		c->newest = ev->ts;
	if (c->tail != NULL)
		c->tail->next = h;
	else
		c->head = h;
	c->tail = h;
	c->nheld++;
	if (++c->pushes % CORR_PRUNE_EVERY == 0) {
		sm_rebuild(&c->map, c->map.size, c->newest - CORR_PRUNE_AGE_MS);
		sm_rebuild(&c->streams, c->streams.size,
		    c->newest - CORR_PRUNE_AGE_MS);
		sm_rebuild(&c->corrids, c->corrids.size,
		    c->newest - CORR_PRUNE_AGE_MS);
		sm_rebuild(
		    &c->apis, c->apis.size, c->newest - CORR_PRUNE_AGE_MS);
		sm_rebuild(
		    &c->execs, c->execs.size, c->newest - CORR_PRUNE_AGE_MS);
	}
	return (corr_release(c, now, 0));
}

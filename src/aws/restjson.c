/* Paced REST-JSON GETs and null-tolerant JSON readers. */

#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "aws/loop.h"
#include "aws/ratelimit.h"
#include "aws/restjson.h"
#include "core/xmalloc.h"

struct restjson_wait {
	int done;
};

static void
restjson_wake(void *arg)
{
	struct restjson_wait *w = arg;

	w->done = 1;
}

/* Wait for a token from each bucket; see restjson.h. */
int
restjson_pace(struct loop *l, struct ratelimit **rl, size_t n)
{
	struct restjson_wait w;
	uint64_t t;
	int64_t wait;
	size_t i;

	for (i = 0; i < n; i++) {
		if (rl[i] == NULL)
			continue;
		for (;;) {
			if (loop_stopped(l))
				return (-1);
			wait = ratelimit_take(rl[i], loop_mono(l));
			if (wait == 0)
				break;
			w.done = 0;
			t = loop_timer_in(l, wait, restjson_wake, &w);
			if (loop_run_until(l, &w.done) != 0) {
				loop_timer_cancel(l, t);
				return (-1);
			}
		}
	}
	return (0);
}

/* GET, paced, and parse; see restjson.h. */
json_t *
restjson_get(
    struct aws_client *c, const struct restjson_req *rq, struct aws_result *res)
{
	struct aws_call call;
	struct ratelimit *rl[RESTJSON_MAX_BUCKETS];
	json_error_t jerr;
	json_t *root;
	const char *hdrs[2] = {NULL, NULL};
	char *accept = NULL;
	size_t i;

	memset(res, 0, sizeof *res);
	for (i = 0; i < RESTJSON_MAX_BUCKETS; i++)
		rl[i] = rq->rl[i];
	if (restjson_pace(c->ctx->loop, rl, RESTJSON_MAX_BUCKETS) != 0) {
		res->status = AWS_ERR_STOPPED;
		res->message = xstrdup("interrupted");
		return (NULL);
	}
	memset(&call, 0, sizeof call);
	call.op = rq->op;
	call.method = "GET";
	call.path = rq->path;
	call.query = rq->query;
	call.flags = rq->flags;
	if (rq->accept != NULL) {
		accept = xprintf("Accept: %s", rq->accept);
		hdrs[0] = accept;
		call.headers = hdrs;
	}
	aws_call_sync(c, &call, res);
	free(accept);
	for (i = 0; i < RESTJSON_MAX_BUCKETS; i++) {
		if (rl[i] == NULL)
			continue;
		if (res->throttled)
			ratelimit_throttled(rl[i], loop_mono(c->ctx->loop));
		else if (res->status == AWS_OK)
			ratelimit_success(rl[i], loop_mono(c->ctx->loop));
	}
	if (res->status != AWS_OK)
		return (NULL);
	root = json_loadb(res->body.data, res->body.len, 0, &jerr);
	buf_free(&res->body);
	if (root == NULL || !json_is_object(root)) {
		json_decref(root);
		res->status = AWS_ERR_TRANSPORT;
		free(res->message);
		res->message = xprintf("bad %s response: %s", rq->op,
		    root == NULL ? jerr.text : "not an object");
		return (NULL);
	}
	return (root);
}

/* Is this a NotFoundException? */
int
restjson_not_found(const struct aws_result *r)
{
	if (r->status != AWS_ERR_SERVICE)
		return (0);
	if (r->code != NULL &&
	    (strcmp(r->code, "NotFoundException") == 0 ||
		strcmp(r->code, "ResourceNotFoundException") == 0))
		return (1);
	return (r->http_status == 404);
}

/* A string member or NULL. */
const char *
restjson_str(json_t *obj, const char *key)
{
	json_t *v;

	v = json_object_get(obj, key);
	return (json_is_string(v) ? json_string_value(v) : NULL);
}

/* A copied string member or NULL. Caller frees. */
char *
restjson_strdup(json_t *obj, const char *key)
{
	const char *s = restjson_str(obj, key);

	return (s != NULL ? xstrdup(s) : NULL);
}

/* An object member or NULL. */
json_t *
restjson_obj(json_t *obj, const char *key)
{
	json_t *v;

	v = json_object_get(obj, key);
	return (json_is_object(v) ? v : NULL);
}

/* An array member or NULL. */
json_t *
restjson_arr(json_t *obj, const char *key)
{
	json_t *v;

	v = json_object_get(obj, key);
	return (json_is_array(v) ? v : NULL);
}

/* A boolean member, 0 when absent. */
int
restjson_bool(json_t *obj, const char *key)
{
	return (json_is_true(json_object_get(obj, key)));
}

/* Read the string members of obj into m. */
void
restjson_map_read(struct restjson_map *m, json_t *obj)
{
	const char *k;
	json_t *v;

	restjson_map_free(m);
	if (!json_is_object(obj))
		return;
	json_object_foreach(obj, k, v)
	{
		if (json_is_string(v))
			restjson_map_set(m, k, json_string_value(v));
	}
}

/* Set key to value in m. */
void
restjson_map_set(struct restjson_map *m, const char *key, const char *value)
{
	size_t i;

	for (i = 0; i < m->n; i++) {
		if (strcmp(m->keys[i], key) == 0) {
			free(m->values[i]);
			m->values[i] = xstrdup(value);
			return;
		}
	}
	m->keys = xreallocarray(m->keys, m->n + 1, sizeof *m->keys);
	m->values = xreallocarray(m->values, m->n + 1, sizeof *m->values);
	m->keys[m->n] = xstrdup(key);
	m->values[m->n] = xstrdup(value);
	m->n++;
}

/* The value of key in m, or NULL. */
const char *
restjson_map_get(const struct restjson_map *m, const char *key)
{
	size_t i;

	for (i = 0; i < m->n; i++) {
		if (strcmp(m->keys[i], key) == 0)
			return (m->values[i]);
	}
	return (NULL);
}

/* Copy a map. */
void
restjson_map_copy(struct restjson_map *dst, const struct restjson_map *src)
{
	size_t i;

	restjson_map_free(dst);
	for (i = 0; i < src->n; i++)
		restjson_map_set(dst, src->keys[i], src->values[i]);
}

/* Free a map's contents. Accepts NULL. */
void
restjson_map_free(struct restjson_map *m)
{
	size_t i;

	if (m == NULL)
		return;
	for (i = 0; i < m->n; i++) {
		free(m->keys[i]);
		free(m->values[i]);
	}
	free(m->keys);
	free(m->values);
	memset(m, 0, sizeof *m);
}

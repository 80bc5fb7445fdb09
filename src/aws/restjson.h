/*
 * Control-plane GETs for the REST-JSON services discovery talks to (API
 * Gateway v1 and v2, Lambda): paced by token buckets (API Gateway's
 * control plane allows 10 requests/s per account, GetResources 5 per 2 s),
 * sent through the aws layer (which signs and retries), parsed into a
 * jansson object. Plus small readers that treat JSON null as absent, and
 * an owned string map for stage variables.
 */
#ifndef APILOGS_RESTJSON_H
#define APILOGS_RESTJSON_H

#include <stddef.h>

#include <jansson.h>

#include "aws/aws.h"

struct loop;
struct ratelimit;

#define RESTJSON_MAX_BUCKETS 2
#define RESTJSON_MAX_PAGES 1000 /* a safety net for listings */

struct restjson_req {
	const char *op;     /* operation name, for messages */
	const char *path;   /* encoded wire path */
	const char *query;  /* encoded sorted query, or NULL */
	const char *accept; /* Accept header value, or NULL */
	int flags;          /* AWS_CALL_* */
	/* Buckets to take a token from first (NULL entries are skipped). */
	struct ratelimit *rl[RESTJSON_MAX_BUCKETS];
};

/*
 * Wait for a token from each bucket, then GET and parse the response as
 * a JSON object. Returns the object (caller frees with json_decref()) and
 * fills *res (free with aws_result_free(); its body is emptied). On
 * failure returns NULL with *res describing it: the service's error, or
 * AWS_ERR_TRANSPORT with "bad OP response: ..." when the body is not a
 * JSON object, or AWS_ERR_STOPPED when the loop was stopped while waiting.
 */
json_t *restjson_get(
    struct aws_client *, const struct restjson_req *, struct aws_result *res);

/*
 * Run the loop until each bucket in rl[0..n) grants a token. Returns 0, or
 * -1 when the loop was stopped first.
 */
int restjson_pace(struct loop *, struct ratelimit **rl, size_t n);

/* Is this failed result a NotFoundException (HTTP 404)? */
int restjson_not_found(const struct aws_result *);

/* A string member, or NULL when absent, null or not a string. Borrowed. */
const char *restjson_str(json_t *obj, const char *key);
/* The same, copied (caller frees with free()), or NULL. */
char *restjson_strdup(json_t *obj, const char *key);
/* An object member, or NULL when absent, null or not an object. */
json_t *restjson_obj(json_t *obj, const char *key);
/* An array member, or NULL when absent, null or not an array. */
json_t *restjson_arr(json_t *obj, const char *key);
/* A boolean member; 0 when absent, null or not a boolean. */
int restjson_bool(json_t *obj, const char *key);

/* An owned map of strings (stage variables), in the order read. */
struct restjson_map {
	char **keys;
	char **values;
	size_t n;
};

/* Copy the string members of obj (others are skipped) into *m, which is
 * emptied first. obj may be NULL. */
void restjson_map_read(struct restjson_map *m, json_t *obj);
/* Set key to value (replacing an existing value); both are copied. */
void restjson_map_set(
    struct restjson_map *m, const char *key, const char *value);
/* The value of key, or NULL. Borrowed. */
const char *restjson_map_get(const struct restjson_map *m, const char *key);
/* Copy src into dst (emptied first). */
void restjson_map_copy(
    struct restjson_map *dst, const struct restjson_map *src);
/* Free the contents of *m and clear it. Accepts NULL. */
void restjson_map_free(struct restjson_map *m);

#endif

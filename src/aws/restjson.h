/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Control-plane GETs for the REST-JSON services discovery talks to (API
 * Gateway v1 and v2, Lambda), as owned, cancellable operations on the loop:
 * paced by token buckets (API Gateway's control plane allows 10 requests/s
 * per account, GetResources 5 per 2 s; a wait is a loop timer), sent with
 * aws_call_async() (which signs and retries), parsed into a jansson object
 * and handed to a decoder. Listings are read to their end, page after page
 * (each page paced); a listing that repeats a page token fails (a cycle)
 * instead of looping. Failures come back as a typed error: AWS error codes
 * such as NotFoundException are recognised here and nowhere else.
 *
 * Two other protocols go through the same operations, since they need the
 * same pacing, paging, cycle guard and error classes: awsJson1_0 (a POST
 * of a JSON document with X-Amz-Target, one document answered: Step
 * Functions) and the query protocol (a POST of a form, XML pages with a
 * NextToken: CloudFormation).
 *
 * Plus the small pieces the service clients share: paths, readers that
 * treat JSON null as absent, growable arrays and an owned string map for
 * stage variables (restjson_read.c).
 */
#ifndef APILOGS_RESTJSON_H
#define APILOGS_RESTJSON_H

#include <stddef.h>

#include <jansson.h>

#include "aws/aws.h"

struct ratelimit;

#define RESTJSON_MAX_BUCKETS 2
#define RESTJSON_MAX_PARAMS 4
#define RESTJSON_MAX_PAGES 1000 /* a safety net for listings */

/* What went wrong with a call, for callers that must tell cases apart. */
enum restjson_err {
	RESTJSON_OK = 0,
	RESTJSON_NOT_FOUND, /* NotFoundException, ResourceNotFound, HTTP 404 */
	RESTJSON_ACCESS,    /* credentials or permissions (exit code 4) */
	RESTJSON_SERVER,    /* an HTTP 5xx answer after retries */
	RESTJSON_BAD,       /* a 200 whose body is not the expected document */
	RESTJSON_CYCLE,     /* a listing repeated a page token */
	RESTJSON_STOPPED,   /* the loop was stopped */
	RESTJSON_FAILED     /* anything else: throttled, transport... */
};

/* The outcome of an operation. */
struct restjson_res {
	enum restjson_err err;
	struct aws_result aws; /* the last call's result; its body is empty */
	size_t pages;          /* pages (documents) decoded */
};

/* How a listing pages: "limit=500&position=P" or "maxResults&nextToken". */
struct restjson_paging {
	const char *size_param;  /* page size query parameter, or NULL */
	const char *size;        /* its value */
	const char *token_param; /* query parameter of the next page */
	const char *token_key;   /* response member naming the next page */
};

/* Decode one page (or the one document) into out; -1 with *cause
 * (caller frees) when it is not what was asked for. */
typedef int (*restjson_page_cb)(json_t *root, void *out, char **cause);
/* The same for a query-protocol page: len bytes of XML. */
typedef int (*restjson_xml_cb)(
    const char *xml, size_t len, void *out, char **cause);
/* The operation is over: res is freed when this returns. */
typedef void (*restjson_done_cb)(void *arg, struct restjson_res *res);

struct restjson_req {
	const char *op;   /* operation name, for messages */
	const char *path; /* encoded wire path (restjson_path) */
	/* Decoded query parameters: key, value, ..., NULL. */
	const char *params[2 * RESTJSON_MAX_PARAMS + 1];
	const char *accept; /* Accept header value, or NULL */
	int flags;          /* AWS_CALL_* */
	/* Buckets to take a token from first (NULL entries are skipped). */
	struct ratelimit *rl[RESTJSON_MAX_BUCKETS];
	const struct restjson_paging *paging; /* NULL: one document */
	restjson_page_cb page;                /* NULL: the body is ignored */
	void *out;                            /* handed to page */
	/* awsJson1_0: POST body (a JSON document) to path with this
	 * X-Amz-Target; one document, no paging. */
	const char *target;
	const char *body;
	/* Query protocol: POST this encoded form ("Action=...&Version=...")
	 * to path; pages are XML, decoded by xml_page (instead of page);
	 * paging->token_param is added to the form and paging->token_key is
	 * the path of the next token in the answer
	 * ("ListStackResourcesResult/NextToken"). */
	const char *form;
	restjson_xml_cb xml_page;
};

struct restjson_op;

/*
 * Start an operation (req is copied). For each page, wait for a token from
 * each bucket (a loop timer), GET it, parse it as a JSON object and hand
 * it to req->page; then ask for the next page while there is one. done
 * runs once, from the loop and never before this returns. req->out must
 * stay valid until then; on failure it may be partly filled (free it as
 * usual). The handle is valid until done starts to run: an owner that goes
 * away first cancels it with restjson_cancel(), and done never runs.
 */
struct restjson_op *restjson_start(struct aws_client *,
    const struct restjson_req *, restjson_done_cb done, void *arg);
/* The common case: one bucket, no query, no Accept header. */
struct restjson_op *restjson_get(struct aws_client *, struct ratelimit *rl,
    const char *op, const char *path, const struct restjson_paging *,
    restjson_page_cb page, void *out, restjson_done_cb done, void *arg);
/* Cancel an operation. Accepts NULL; harmless from inside its done. */
void restjson_cancel(struct restjson_op *);

/* The class of a call's result. */
enum restjson_err restjson_classify(const struct aws_result *);
/* One line describing a failed outcome. Caller frees with free(). */
char *restjson_describe(const struct restjson_res *);

/* restjson_read.c */

/* "/seg1/seg2/...": each segment (up to a NULL) percent-encoded. Caller
 * frees with free(). */
char *restjson_path(const char *seg, ...) __attribute__((sentinel));
/* A string member, or NULL when absent, null or not a string. Borrowed. */
const char *restjson_str(json_t *obj, const char *key);
/* The same, copied (caller frees with free()), or NULL. */
char *restjson_strdup(json_t *obj, const char *key);
/* The same, copied in upper case (caller frees with free()), or NULL. */
char *restjson_upper(json_t *obj, const char *key);
/* An object member, or NULL when absent, null or not an object. */
json_t *restjson_obj(json_t *obj, const char *key);
/* An array member, or NULL when absent, null or not an array. */
json_t *restjson_arr(json_t *obj, const char *key);
/* A boolean member; 0 when absent, null or not a boolean. */
int restjson_bool(json_t *obj, const char *key);
/* Call each(item, out) for every object in the array member key. */
void restjson_each(json_t *obj, const char *key,
    void (*each)(json_t *item, void *out), void *out);
/* Grow an array of *n elements of size bytes by one zeroed element, which
 * is returned. arrp is the address of the array's pointer (any object
 * type); free the array with free(). */
void *restjson_push(void *arrp, size_t *n, size_t size);

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

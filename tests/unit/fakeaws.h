/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A fake REST-JSON AWS endpoint for unit tests, served through the aws
 * layer's pluggable transport on a virtual clock: canned answers per
 * request line ("GET /restapis/x/stages?limit=500"), from strings or
 * recorded files under tests/data/. Every request is logged, with its
 * virtual time and Accept header; unknown requests get a 404
 * NotFoundException and are counted.
 *
 * A POST is matched and logged with its body as the query: a form
 * ("POST /?Action=ListStackResources&Version=...") or, with X-Amz-Target,
 * "POST /AWSStepFunctions.DescribeStateMachine?{...}". A route query
 * starting with '~' matches any query containing the rest.
 */
#ifndef APILOGS_FAKEAWS_H
#define APILOGS_FAKEAWS_H

#include <stddef.h>
#include <stdint.h>

#include "aws/aws.h"
#include "aws/restjson.h"

struct loop;

struct fakeaws_route {
	char *method;
	char *path;
	char *query; /* NULL: any query */
	long status;
	char *body;
	char *code; /* X-Amzn-ErrorType, or NULL */
	int hits;
};

struct fakeaws {
	struct loop *loop;
	struct fakeaws_route *routes;
	size_t nroutes;
	char **requests; /* "GET /path?query" */
	char **accepts;  /* the Accept header, or "" */
	int64_t *times;
	size_t nrequests;
	size_t unmatched;
	int64_t latency_ms;
	/* Streaming requests (on_data set): a 2xx body goes to on_data
	 * chunk bytes at a time, one chunk a loop turn (0: whole, in the
	 * response, as a transport that does not stream). The next breaks
	 * of them break after break_after bytes (a connection reset).
	 * streamed counts the bytes handed over. */
	size_t chunk;
	size_t break_after;
	int breaks;
	size_t streamed;
};

void fakeaws_init(struct fakeaws *, struct loop *);
void fakeaws_free(struct fakeaws *);
/* Answer "METHOD PATH[?QUERY]" (a later route wins over an earlier one;
 * without a query any query matches). */
void fakeaws_route(
    struct fakeaws *, const char *req, long status, const char *body);
/* Answer with the contents of tests/data/<file>. */
void fakeaws_route_file(struct fakeaws *, const char *req, const char *file);
/* Answer with an AWS error (X-Amzn-ErrorType and a JSON message). */
void fakeaws_error(struct fakeaws *, const char *req, long status,
    const char *code, const char *msg);
/*
 * The recorded API Gateway v2 answers for the HTTP API h1t2t3p4q5
 * (tests/data/discover/http-*.json: the API, its stages, two pages of
 * integrations, routes, and authorizers whose list fails with a 500).
 */
void fakeaws_route_http_api(struct fakeaws *);
/* Set up ctx (transport, credentials, loop) to talk to fa. */
void fakeaws_ctx(struct fakeaws *, struct aws_ctx *, struct loop *);
/* How many requests start with prefix. */
size_t fakeaws_count(const struct fakeaws *, const char *prefix);
/* Run the loop until the restjson operation op (started with
 * fakeaws_done as its callback and w as its arg) is over; return its
 * error, with the outcome in w->res (free with fakeaws_wait_free()). */
struct fakeaws_wait {
	struct restjson_res res;
	int done;
};
void fakeaws_done(void *w, struct restjson_res *);
enum restjson_err fakeaws_wait(
    struct loop *, struct restjson_op *op, struct fakeaws_wait *w);
void fakeaws_wait_free(struct fakeaws_wait *);
/* Read tests/data/<file> (aborts the test when missing). Caller frees. */
char *fakeaws_read(const char *file, size_t *len);

#endif

/* SPDX-License-Identifier: Apache-2.0 */
/* Parse AWS error responses (JSON, REST-JSON, query/XML) like botocore. */
#ifndef APILOGS_AWSERR_H
#define APILOGS_AWSERR_H

#include <stddef.h>

struct http_response;

struct awserr {
	char *code;       /* normalised error code, or NULL */
	char *message;    /* message, or NULL */
	char *request_id; /* x-amzn-RequestId or XML RequestId */
};

/*
 * Extract the error code, message and request id from an error response.
 * The code comes from x-amzn-query-error, X-Amzn-ErrorType, then the body
 * (__type, code, Code, XML <Code>), normalised as botocore does; when none
 * is found the HTTP status is used ("500"). Free with awserr_free().
 */
void awserr_parse(const struct http_response *, struct awserr *);
/* Normalise a raw code: the part before ':' then after the last '#'.
 * Caller frees with free(). */
char *awserr_normalize_code(const char *, size_t);
void awserr_free(struct awserr *);

#endif

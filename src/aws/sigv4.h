/* SPDX-License-Identifier: Apache-2.0 */
/*
 * AWS Signature Version 4 (header signing) on OpenSSL libcrypto. apilogs
 * signs every request itself instead of using CURLOPT_AWS_SIGV4 (see
 * shared/docs/c-stack.md §1.4-§1.7) and sends the results as plain headers.
 */
#ifndef APILOGS_SIGV4_H
#define APILOGS_SIGV4_H

#include <stddef.h>
#include <time.h>

/* S3 style: path used verbatim (no normalisation, no second encoding). */
#define SIGV4_NO_NORMALIZE 0x1
/* Hash the body into x-amz-content-sha256 and sign that header. */
#define SIGV4_SIGN_BODY 0x2
/* Leave the session token out of the signature (sent unsigned). */
#define SIGV4_OMIT_TOKEN 0x4

struct sigv4_header {
	const char *name;
	const char *value;
};

struct sigv4_input {
	const char *method; /* "GET", "POST" */
	const char *path;   /* wire path, percent-encoded, no query */
	const char *query;  /* wire query without '?', or NULL */
	const struct sigv4_header *headers; /* headers to sign, Host included */
	size_t nheaders;
	const void *body;
	size_t body_len;
	const char *region;
	const char *service;
	const char *access_key;
	const char *secret_key;
	const char *session_token; /* NULL when there is none */
	time_t now;                /* signing time */
	int flags;                 /* SIGV4_* */
};

/* Everything is owned by the output; free with sigv4_output_free(). */
struct sigv4_output {
	char *authorization;  /* Authorization header value */
	char *amz_date;       /* X-Amz-Date value, 20150830T123600Z */
	char *content_sha256; /* x-amz-content-sha256 or NULL */
	/* For tests and debugging; holds the session token when it is
	 * signed, so redact the x-amz-security-token line before printing. */
	char *canonical_request;
	char *string_to_sign;
	char *signature; /* hex */
};

/*
 * Sign a request. The signer adds x-amz-date, x-amz-security-token (when a
 * token is given and SIGV4_OMIT_TOKEN is not set) and, with SIGV4_SIGN_BODY,
 * x-amz-content-sha256 to the signed headers; the caller must not pass them
 * and then sends Authorization, X-Amz-Date, X-Amz-Security-Token (when a
 * token is given) and x-amz-content-sha256 (when set). A caller-supplied
 * x-amz-content-sha256 header (without SIGV4_SIGN_BODY) is signed and used
 * as the payload hash, for bodies hashed elsewhere. On success fill *out and
 * return 0; on error return -1 with *cause set (caller frees).
 */
int sigv4_sign(const struct sigv4_input *, struct sigv4_output *, char **cause);
/* Free the strings of an output. Accepts NULL. */
void sigv4_output_free(struct sigv4_output *);

#endif

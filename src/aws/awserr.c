/* SPDX-License-Identifier: Apache-2.0 */
/* Parse AWS error responses. */

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "aws/awserr.h"
#include "aws/http.h"
#include "core/xmalloc.h"

#define AWSERR_MAX_MESSAGE 512

/* Normalise a raw error code; see awserr.h. */
char *
awserr_normalize_code(const char *s, size_t len)
{
	const char *end, *hash;
	size_t i;

	end = memchr(s, ':', len);
	if (end != NULL)
		len = (size_t)(end - s);
	hash = NULL;
	for (i = 0; i < len; i++) {
		if (s[i] == '#')
			hash = s + i;
	}
	if (hash != NULL) {
		len -= (size_t)(hash + 1 - s);
		s = hash + 1;
	}
	while (len > 0 && isspace((unsigned char)*s))
		s++, len--;
	while (len > 0 && isspace((unsigned char)s[len - 1]))
		len--;
	if (len == 0)
		return (NULL);
	return (xstrndup(s, len));
}

/* A one-line, bounded copy of a message (control characters dropped). */
static char *
awserr_clean_message(const char *s, size_t len)
{
	char *out;
	size_t i, n = 0;

	if (len > AWSERR_MAX_MESSAGE)
		len = AWSERR_MAX_MESSAGE;
	out = xmalloc(len + 1);
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '\n' || c == '\r' || c == '\t')
			c = ' ';
		if (c < 0x20 || c == 0x7f)
			continue;
		out[n++] = (char)c;
	}
	while (n > 0 && out[n - 1] == ' ')
		n--;
	out[n] = '\0';
	if (n == 0) {
		free(out);
		return (NULL);
	}
	return (out);
}

/* The text of the first <tag>...</tag> in an XML body, or NULL. */
static char *
awserr_xml_tag(const char *body, size_t len, const char *tag)
{
	char open[40], close[40];
	const char *p, *q, *end = body + len;

	snprintf(open, sizeof open, "<%s>", tag);
	snprintf(close, sizeof close, "</%s>", tag);
	p = memmem(body, len, open, strlen(open));
	if (p == NULL)
		return (NULL);
	p += strlen(open);
	q = memmem(p, (size_t)(end - p), close, strlen(close));
	if (q == NULL)
		return (NULL);
	return (xstrndup(p, (size_t)(q - p)));
}

static void
awserr_from_json(const char *body, size_t len, struct awserr *e)
{
	json_t *root, *v;
	json_error_t jerr;
	const char *keys[] = {"__type", "code", "Code"};
	const char *mkeys[] = {"message", "Message", "errorMessage"};
	size_t i;

	root = json_loadb(body, len, 0, &jerr);
	if (root == NULL || !json_is_object(root)) {
		json_decref(root);
		return;
	}
	for (i = 0; e->code == NULL && i < 3; i++) {
		v = json_object_get(root, keys[i]);
		if (json_is_string(v))
			e->code = awserr_normalize_code(
			    json_string_value(v), json_string_length(v));
	}
	for (i = 0; e->message == NULL && i < 3; i++) {
		v = json_object_get(root, mkeys[i]);
		if (json_is_string(v))
			e->message = awserr_clean_message(
			    json_string_value(v), json_string_length(v));
	}
	json_decref(root);
}

static void
awserr_from_xml(const char *body, size_t len, struct awserr *e)
{
	char *s;

	if (e->code == NULL) {
		s = awserr_xml_tag(body, len, "Code");
		if (s != NULL) {
			e->code = awserr_normalize_code(s, strlen(s));
			free(s);
		}
	}
	if (e->message == NULL) {
		s = awserr_xml_tag(body, len, "Message");
		if (s != NULL) {
			e->message = awserr_clean_message(s, strlen(s));
			free(s);
		}
	}
	if (e->request_id == NULL)
		e->request_id = awserr_xml_tag(body, len, "RequestId");
}

/* Extract code, message and request id; see awserr.h. */
void
awserr_parse(const struct http_response *r, struct awserr *e)
{
	const char *h, *body = r->body.data ? r->body.data : "";
	const char *semi;
	size_t len = r->body.len, skip = 0;

	memset(e, 0, sizeof *e);
	h = http_header(r, "x-amzn-RequestId");
	if (h == NULL)
		h = http_header(r, "x-amz-request-id");
	if (h != NULL && *h != '\0')
		e->request_id = awserr_clean_message(h, strlen(h));
	h = http_header(r, "x-amzn-query-error");
	if (h != NULL) {
		semi = strchr(h, ';');
		e->code = awserr_normalize_code(
		    h, semi ? (size_t)(semi - h) : strlen(h));
	}
	h = http_header(r, "X-Amzn-ErrorType");
	if (e->code == NULL && h != NULL)
		e->code = awserr_normalize_code(h, strlen(h));
	while (skip < len && isspace((unsigned char)body[skip]))
		skip++;
	if (skip < len && body[skip] == '{')
		awserr_from_json(body + skip, len - skip, e);
	else if (skip < len && body[skip] == '<')
		awserr_from_xml(body + skip, len - skip, e);
	if (e->code == NULL)
		xasprintf(&e->code, "%ld", r->status);
}

/* Free the strings of an error. Accepts NULL. */
void
awserr_free(struct awserr *e)
{
	if (e == NULL)
		return;
	xfree(&e->code);
	xfree(&e->message);
	xfree(&e->request_id);
}

/* SPDX-License-Identifier: Apache-2.0 */
/* HTTP transfers on the loop's curl multi handle. */

#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "aws/curlfn.h"

#include "aws/http.h"
#include "aws/loop.h"
#include "core/xmalloc.h"

#define HTTP_DEFAULT_MAX_BODY (64u * 1024 * 1024)
#define HTTP_MAX_HEADER_BYTES (256u * 1024)

struct http_xfer {
	struct loop *loop;
	CURL *easy;
	struct curl_slist *hdrs;
	char *body; /* request body copy */
	size_t max_body;
	size_t header_bytes;
	int too_big;
	/* Read timeout: no byte moved for read_ms once connected. */
	long read_ms;
	int64_t last_activity; /* 0: not connected yet */
	curl_off_t last_dl, last_ul;
	int timed_out;
	struct http_response resp;
	http_done_cb cb;
	void *arg;
	char curlerr[CURL_ERROR_SIZE];
	/* Streaming (see http.h): resp.body holds the bytes not handed
	 * over yet; a timer hands them to on_data. */
	void (*on_data)(void *, const void *, size_t);
	void *data_arg;
	int streaming;        /* -1: status not known yet; 0 or 1 */
	uint64_t drain_timer; /* pending bytes to hand over */
	int in_drain;         /* on_data is running */
	int removed;          /* off the multi handle */
	int cancelled;        /* cancelled inside on_data: free after it */
};

static void
http_headers_clear(struct http_response *r)
{
	size_t i;

	for (i = 0; i < r->nheaders; i++) {
		free(r->headers[i].name);
		free(r->headers[i].value);
	}
	free(r->headers);
	r->headers = NULL;
	r->nheaders = 0;
}

/* Free the contents of a response. */
void
http_response_free(struct http_response *r)
{
	if (r == NULL)
		return;
	http_headers_clear(r);
	buf_free(&r->body);
}

/* Value of a response header, case-insensitive name; NULL when absent. */
const char *
http_header(const struct http_response *r, const char *name)
{
	size_t i;

	for (i = 0; i < r->nheaders; i++) {
		if (strcasecmp(r->headers[i].name, name) == 0)
			return (r->headers[i].value);
	}
	return (NULL);
}

/* A short name for a transport error. */
const char *
http_errname(enum http_err e)
{
	switch (e) {
	case HTTP_OK:
		return ("ok");
	case HTTP_ERR_CONNECT:
		return ("cannot connect");
	case HTTP_ERR_TIMEOUT:
		return ("timed out");
	case HTTP_ERR_TOOBIG:
		return ("response too large");
	case HTTP_ERR_RESET:
		return ("connection reset");
	case HTTP_ERR_TLS:
		return ("TLS failure");
	default:
		return ("transfer failed");
	}
}

static void http_drain_timer(void *);

static size_t
http_on_body(char *p, size_t size, size_t n, void *arg)
{
	struct http_xfer *x = arg;
	curl_off_t cl = -1;
	long status = 0;

	n *= size;
	if (x->streaming == -1) {
		curl_easy_getinfo(x->easy, CURLINFO_RESPONSE_CODE, &status);
		x->streaming = status >= 200 && status < 300;
	}
	if (x->streaming == 1) {
		/* Never call out from inside libcurl: a timer hands the
		 * bytes over, on the loop. */
		if (buf_add(&x->resp.body, p, n) != 0) {
			x->too_big = 1;
			return (0);
		}
		if (x->drain_timer == 0)
			x->drain_timer =
			    loop_timer_in(x->loop, 0, http_drain_timer, x);
		return (n);
	}
	/* Size the buffer once from Content-Length: no doubling, no copy. */
	if (x->resp.body.size == 0 &&
	    curl_easy_getinfo(
		x->easy, CURLINFO_CONTENT_LENGTH_DOWNLOAD_T, &cl) == CURLE_OK &&
	    cl > 0 && (size_t)cl <= x->max_body)
		buf_reserve(&x->resp.body, (size_t)cl);
	if (buf_add(&x->resp.body, p, n) != 0) {
		x->too_big = 1;
		return (0);
	}
	return (n);
}

/* Collect the headers of the final response (a new status line resets). */
static size_t
http_on_header(char *p, size_t size, size_t n, void *arg)
{
	struct http_xfer *x = arg;
	struct http_response *r = &x->resp;
	size_t len = size * n, i, vstart;
	char *colon;

	x->header_bytes += len;
	if (x->header_bytes > HTTP_MAX_HEADER_BYTES)
		return (0);
	if (len >= 5 && strncmp(p, "HTTP/", 5) == 0) {
		http_headers_clear(r);
		return (len);
	}
	colon = memchr(p, ':', len);
	if (colon == NULL || colon == p)
		return (len);
	i = (size_t)(colon - p);
	vstart = i + 1;
	while (vstart < len && (p[vstart] == ' ' || p[vstart] == '\t'))
		vstart++;
	while (len > vstart && isspace((unsigned char)p[len - 1]))
		len--;
	r->headers =
	    xreallocarray(r->headers, r->nheaders + 1, sizeof *r->headers);
	r->headers[r->nheaders].name = xstrndup(p, i);
	r->headers[r->nheaders].value = xstrndup(p + vstart, len - vstart);
	r->nheaders++;
	return (size * n);
}

/*
 * The read timeout. curl's low-speed check averages over a window of
 * several seconds, so a 1 s limit fired only after about 7 s; instead,
 * abort when no byte was sent or received for read_ms since the
 * connection was made. curl calls this at least once a second (the loop
 * never sleeps longer) and whenever data moves.
 */
static int
http_on_progress(void *arg, curl_off_t dltotal, curl_off_t dlnow,
    curl_off_t ultotal, curl_off_t ulnow)
{
	struct http_xfer *x = arg;
	curl_off_t connected = 0;
	int64_t now = loop_mono(x->loop);

	(void)dltotal;
	(void)ultotal;
	if (x->last_activity == 0) {
		if (curl_easy_getinfo(x->easy, CURLINFO_CONNECT_TIME_T,
			&connected) != CURLE_OK ||
		    connected == 0)
			return (0);
		x->last_activity = now;
	}
	if (dlnow != x->last_dl || ulnow != x->last_ul) {
		x->last_dl = dlnow;
		x->last_ul = ulnow;
		x->last_activity = now;
		return (0);
	}
	if (now - x->last_activity >= x->read_ms) {
		x->timed_out = 1;
		return (1);
	}
	return (0);
}

static void
http_xfer_free(struct http_xfer *x)
{
	loop_timer_cancel(x->loop, x->drain_timer);
	curl_easy_cleanup(x->easy);
	curl_slist_free_all(x->hdrs);
	free(x->body);
	http_response_free(&x->resp);
	free(x);
}

static void http_finished(void *, void *, int);

/*
 * Hand the pending bytes of a streaming transfer to on_data, which may
 * cancel it: then x->cancelled is set and the caller frees x.
 */
static void
http_drain(struct http_xfer *x)
{
	char *data;
	size_t len;

	while (x->resp.body.len > 0 && !x->cancelled) {
		data = buf_take(&x->resp.body, &len);
		buf_init(&x->resp.body, x->max_body);
		x->in_drain = 1;
		x->on_data(x->data_arg, data, len);
		x->in_drain = 0;
		free(data);
	}
}

static void
http_drain_timer(void *arg)
{
	struct http_xfer *x = arg;

	x->drain_timer = 0;
	http_drain(x);
	if (x->cancelled)
		http_xfer_free(x);
}

/* Start a transfer; see http.h. */
struct http_xfer *
http_submit(
    struct loop *l, const struct http_request *req, http_done_cb cb, void *arg)
{
	struct http_xfer *x;
	const char *ca;
	long ms;
	size_t i;

	x = xcalloc(1, sizeof *x);
	x->loop = l;
	x->cb = cb;
	x->arg = arg;
	x->max_body = req->max_body ? req->max_body : HTTP_DEFAULT_MAX_BODY;
	x->on_data = req->on_data;
	x->data_arg = req->data_arg;
	x->streaming = req->on_data != NULL ? -1 : 0;
	buf_init(&x->resp.body, x->max_body);
	x->easy = curl_easy_init();
	if (x->easy == NULL)
		abort();
	curl_easy_setopt(x->easy, CURLOPT_URL, req->url);
	curl_easy_setopt(
	    x->easy, CURLOPT_HTTP_VERSION, (long)CURL_HTTP_VERSION_1_1);
	curl_easy_setopt(x->easy, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(x->easy, CURLOPT_ERRORBUFFER, x->curlerr);
	curl_easy_setopt(x->easy, CURLOPT_WRITEFUNCTION, http_on_body);
	curl_easy_setopt(x->easy, CURLOPT_WRITEDATA, x);
	curl_easy_setopt(x->easy, CURLOPT_HEADERFUNCTION, http_on_header);
	curl_easy_setopt(x->easy, CURLOPT_HEADERDATA, x);
	curl_easy_setopt(x->easy, CURLOPT_ACCEPT_ENCODING, "");
	curl_easy_setopt(x->easy, CURLOPT_TCP_KEEPALIVE, 1L);
	curl_easy_setopt(x->easy, CURLOPT_PROTOCOLS_STR, "http,https");
	ms = req->connect_timeout_ms > 0 ? req->connect_timeout_ms : 10000;
	curl_easy_setopt(x->easy, CURLOPT_CONNECTTIMEOUT_MS, ms);
	x->read_ms = req->read_timeout_ms > 0 ? req->read_timeout_ms : 60000;
	curl_easy_setopt(x->easy, CURLOPT_XFERINFOFUNCTION, http_on_progress);
	curl_easy_setopt(x->easy, CURLOPT_XFERINFODATA, x);
	curl_easy_setopt(x->easy, CURLOPT_NOPROGRESS, 0L);
	ca = req->ca_bundle;
	if (ca == NULL)
		ca = getenv("AWS_CA_BUNDLE");
	if (ca != NULL && *ca != '\0')
		curl_easy_setopt(x->easy, CURLOPT_CAINFO, ca);
	if (req->no_proxy)
		curl_easy_setopt(x->easy, CURLOPT_PROXY, "");
	for (i = 0; req->headers != NULL && req->headers[i] != NULL; i++)
		x->hdrs = curl_slist_append(x->hdrs, req->headers[i]);
	/* Never send "Expect: 100-continue": one round trip less. */
	x->hdrs = curl_slist_append(x->hdrs, "Expect:");
	curl_easy_setopt(x->easy, CURLOPT_HTTPHEADER, x->hdrs);
	if (strcmp(req->method, "GET") == 0)
		curl_easy_setopt(x->easy, CURLOPT_HTTPGET, 1L);
	else {
		x->body =
		    xmemdup(req->body != NULL ? req->body : "", req->body_len);
		curl_easy_setopt(x->easy, CURLOPT_POST, 1L);
		curl_easy_setopt(
		    x->easy, CURLOPT_POSTFIELDSIZE, (long)req->body_len);
		curl_easy_setopt(x->easy, CURLOPT_POSTFIELDS, x->body);
		if (strcmp(req->method, "POST") != 0)
			curl_easy_setopt(
			    x->easy, CURLOPT_CUSTOMREQUEST, req->method);
	}
	curl_easy_setopt(x->easy, CURLOPT_PRIVATE, x);
	loop_xfer_add(l, x->easy, http_finished, NULL);
	return (x);
}

/* Abort a transfer before completion; its callback never runs. */
void
http_cancel(struct loop *l, struct http_xfer *x)
{
	if (x == NULL)
		return;
	if (!x->removed)
		loop_xfer_remove(l, x->easy);
	x->removed = 1;
	if (x->in_drain) {
		/* Inside its own on_data: freed once that returns. */
		x->cancelled = 1;
		loop_timer_cancel(l, x->drain_timer);
		x->drain_timer = 0;
		return;
	}
	http_xfer_free(x);
}

static enum http_err
http_map_error(CURLcode rc)
{
	switch (rc) {
	case CURLE_OK:
		return (HTTP_OK);
	case CURLE_COULDNT_RESOLVE_HOST:
	case CURLE_COULDNT_RESOLVE_PROXY:
	case CURLE_COULDNT_CONNECT:
		return (HTTP_ERR_CONNECT);
	case CURLE_OPERATION_TIMEDOUT:
		return (HTTP_ERR_TIMEOUT);
	case CURLE_RECV_ERROR:
	case CURLE_SEND_ERROR:
	case CURLE_GOT_NOTHING:
	case CURLE_PARTIAL_FILE:
		return (HTTP_ERR_RESET);
	case CURLE_SSL_CONNECT_ERROR:
	case CURLE_PEER_FAILED_VERIFICATION:
	case CURLE_SSL_CERTPROBLEM:
	case CURLE_SSL_CACERT_BADFILE:
		return (HTTP_ERR_TLS);
	default:
		return (HTTP_ERR_OTHER);
	}
}

/* The loop's hook: a transfer finished, fill the response and run the
 * callback. */
static void
http_finished(void *arg, void *easy, int result)
{
	struct http_xfer *x = NULL;
	CURLcode rc = (CURLcode)result;
	long status = 0;

	(void)arg;
	curl_easy_getinfo(easy, CURLINFO_PRIVATE, (char **)&x);
	loop_xfer_remove(x->loop, easy);
	x->removed = 1;
	if (x->streaming == 1) {
		/* The last bytes go before the end is reported. */
		loop_timer_cancel(x->loop, x->drain_timer);
		x->drain_timer = 0;
		http_drain(x);
		if (x->cancelled) {
			http_xfer_free(x);
			return;
		}
	}
	curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &status);
	x->resp.status = status;
	if (x->too_big) {
		x->resp.err = HTTP_ERR_TOOBIG;
		snprintf(x->resp.errmsg, sizeof x->resp.errmsg,
		    "response larger than %zu bytes", x->max_body);
	} else if (x->timed_out) {
		x->resp.err = HTTP_ERR_TIMEOUT;
		snprintf(x->resp.errmsg, sizeof x->resp.errmsg,
		    "no data for %ld ms", x->read_ms);
	} else if (rc != CURLE_OK) {
		x->resp.err = http_map_error(rc);
		snprintf(x->resp.errmsg, sizeof x->resp.errmsg, "%s",
		    x->curlerr[0] != '\0' ? x->curlerr
					  : curl_easy_strerror(rc));
	} else
		x->resp.err = HTTP_OK;
	if (x->cb != NULL)
		x->cb(&x->resp, x->arg);
	http_xfer_free(x);
}

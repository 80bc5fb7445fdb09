/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The HTTP layer's read timeout against loopback sockets: a server that
 * never answers times out after about read_timeout_ms (not several times
 * that), and a slow trickle whose gaps stay under the limit does not.
 */

#include <sys/types.h>
#include <sys/socket.h>
#include <sys/wait.h>

#include <netinet/in.h>

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "loopback.h"
#include "testmain.h"

#include "aws/http.h"
#include "aws/loop.h"

static int64_t
mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000);
}

struct get_sync {
	struct http_response *out;
	int done;
};

static void
get_done(struct http_response *r, void *arg)
{
	struct get_sync *s = arg;

	*s->out = *r;
	/* The transfer frees r after this: hand its contents over. */
	r->headers = NULL;
	r->nheaders = 0;
	buf_init(&r->body, 0);
	s->done = 1;
}

/* GET url with a read timeout; the elapsed time in *ms. */
static int
get(const char *url, long read_ms, struct http_response *resp, int64_t *ms)
{
	struct loop *l = loop_new(NULL, NULL);
	struct http_request req;
	struct get_sync s = {resp, 0};
	int64_t t0 = mono_ms();
	int rc;

	memset(&req, 0, sizeof req);
	req.method = "GET";
	req.url = url;
	req.read_timeout_ms = read_ms;
	req.connect_timeout_ms = 2000;
	req.no_proxy = 1;
	memset(resp, 0, sizeof *resp);
	http_submit(l, &req, get_done, &s);
	assert_int_equal(loop_run_until(l, &s.done), 0);
	rc = resp->err == HTTP_OK ? 0 : -1;
	*ms = mono_ms() - t0;
	loop_free(l);
	return (rc);
}

/* The kernel accepts the connection, nobody ever answers. */
static void
test_read_timeout_silent(void **state)
{
	struct http_response resp;
	char url[64];
	int fd, port;
	int64_t ms;

	(void)state;
	fd = loopback_listen(&port);
	snprintf(url, sizeof url, "http://127.0.0.1:%d/", port);
	assert_int_equal(get(url, 1000, &resp, &ms), -1);
	assert_int_equal(resp.err, HTTP_ERR_TIMEOUT);
	assert_non_null(strstr(resp.errmsg, "no data for 1000 ms"));
	/* About the limit: curl's low-speed check took about 7 s here. */
	assert_true(ms >= 900);
	assert_true(ms < 2600);
	http_response_free(&resp);
	close(fd);
}

/* A child that answers one request byte by byte, gap_ms apart. */
static pid_t
trickle_server(int fd, int gap_ms)
{
	static const char resp[] = "HTTP/1.1 200 OK\r\nContent-Length: 4\r\n"
				   "Connection: close\r\n\r\n";
	static const char body[] = "abcd";
	char buf[4096];
	pid_t pid;
	int c, i;

	pid = fork();
	assert_true(pid >= 0);
	if (pid > 0)
		return (pid);
	c = accept(fd, NULL, NULL);
	if (c < 0)
		_exit(1);
	if (read(c, buf, sizeof buf) <= 0)
		_exit(1);
	if (write(c, resp, sizeof resp - 1) < 0)
		_exit(1);
	for (i = 0; i < 4; i++) {
		usleep((useconds_t)gap_ms * 1000);
		if (write(c, body + i, 1) != 1)
			_exit(1);
	}
	close(c);
	_exit(0);
}

/* Gaps under the limit: the total time may exceed it. */
static void
test_read_timeout_trickle(void **state)
{
	struct http_response resp;
	char url[64];
	int fd, port, st;
	int64_t ms;
	pid_t pid;

	(void)state;
	fd = loopback_listen(&port);
	pid = trickle_server(fd, 400);
	snprintf(url, sizeof url, "http://127.0.0.1:%d/", port);
	assert_int_equal(get(url, 1000, &resp, &ms), 0);
	assert_int_equal(resp.err, HTTP_OK);
	assert_int_equal(resp.status, 200);
	assert_int_equal(resp.body.len, 4);
	assert_memory_equal(resp.body.data, "abcd", 4);
	assert_true(ms >= 1500);
	http_response_free(&resp);
	assert_int_equal(waitpid(pid, &st, 0), pid);
	close(fd);
}

/* A gap over the limit in the middle of the body. */
static void
test_read_timeout_mid_body(void **state)
{
	struct http_response resp;
	char url[64];
	int fd, port, st;
	int64_t ms;
	pid_t pid;

	(void)state;
	fd = loopback_listen(&port);
	pid = trickle_server(fd, 1500);
	snprintf(url, sizeof url, "http://127.0.0.1:%d/", port);
	assert_int_equal(get(url, 500, &resp, &ms), -1);
	assert_int_equal(resp.err, HTTP_ERR_TIMEOUT);
	assert_true(ms < 1500 + 1000);
	http_response_free(&resp);
	kill(pid, SIGKILL);
	assert_int_equal(waitpid(pid, &st, 0), pid);
	close(fd);
}

/* A child answering one request with a chunked 2xx (status) body sent
 * in three pieces, gap_ms apart. */
static pid_t
chunked_server(int fd, int status, int gap_ms)
{
	static const char *pieces[] = {
	    "5\r\nhello\r\n", "1\r\n \r\n", "5\r\nworld\r\n0\r\n\r\n"};
	char buf[4096];
	pid_t pid;
	int c, i, n;

	pid = fork();
	assert_true(pid >= 0);
	if (pid > 0)
		return (pid);
	c = accept(fd, NULL, NULL);
	if (c < 0 || read(c, buf, sizeof buf) <= 0)
		_exit(1);
	n = snprintf(buf, sizeof buf,
	    "HTTP/1.1 %d X\r\nTransfer-Encoding: chunked\r\n"
	    "Connection: close\r\n\r\n",
	    status);
	if (write(c, buf, (size_t)n) < 0)
		_exit(1);
	for (i = 0; i < 3; i++) {
		usleep((useconds_t)gap_ms * 1000);
		if (write(c, pieces[i], strlen(pieces[i])) < 0)
			_exit(0);
	}
	close(c);
	_exit(0);
}

struct sink {
	struct loop *l;
	struct http_xfer *x;
	struct buf got;
	int calls;
	int cancel_at; /* cancel inside the call number cancel_at */
	int done;
	long status;
	size_t body_len;
};

static void
sink_data(void *arg, const void *p, size_t n)
{
	struct sink *s = arg;

	buf_put(&s->got, p, n);
	if (++s->calls == s->cancel_at) {
		http_cancel(s->l, s->x);
		s->done = 1;
	}
}

static void
sink_done(struct http_response *r, void *arg)
{
	struct sink *s = arg;

	s->status = r->status;
	s->body_len = r->body.len;
	s->done = 2;
}

static void
stream_get(int status, int cancel_at, struct sink *s)
{
	struct http_request req;
	char url[64];
	int fd, port, st;
	pid_t pid;

	memset(s, 0, sizeof *s);
	buf_init(&s->got, 0);
	s->cancel_at = cancel_at;
	fd = loopback_listen(&port);
	pid = chunked_server(fd, status, 100);
	snprintf(url, sizeof url, "http://127.0.0.1:%d/", port);
	s->l = loop_new(NULL, NULL);
	memset(&req, 0, sizeof req);
	req.method = "POST";
	req.url = url;
	req.no_proxy = 1;
	req.on_data = sink_data;
	req.data_arg = s;
	s->x = http_submit(s->l, &req, sink_done, s);
	assert_int_equal(loop_run_until(s->l, &s->done), 0);
	loop_free(s->l);
	kill(pid, SIGKILL);
	assert_int_equal(waitpid(pid, &st, 0), pid);
	close(fd);
}

/* A 2xx body goes to on_data as it arrives, never into the response. */
static void
test_streaming(void **state)
{
	struct sink s;

	(void)state;
	stream_get(200, 0, &s);
	assert_int_equal(s.done, 2);
	assert_int_equal(s.status, 200);
	assert_int_equal(s.body_len, 0);
	assert_int_equal(s.got.len, 11);
	assert_memory_equal(s.got.data, "hello world", 11);
	assert_true(s.calls >= 2); /* pieces came apart */
	buf_free(&s.got);

	/* Cancelled from inside on_data: nothing more, no done. */
	stream_get(200, 1, &s);
	assert_int_equal(s.done, 1);
	assert_int_equal(s.calls, 1);
	buf_free(&s.got);

	/* Not 2xx: buffered for the error parser, on_data never runs. */
	stream_get(400, 0, &s);
	assert_int_equal(s.done, 2);
	assert_int_equal(s.calls, 0);
	assert_int_equal(s.body_len, 11);
	buf_free(&s.got);
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_streaming),
    cmocka_unit_test(test_read_timeout_silent),
    cmocka_unit_test(test_read_timeout_trickle),
    cmocka_unit_test(test_read_timeout_mid_body),
};

TEST_MAIN(tests)

/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The async model's handles: timer ids, aws_op_cancel() wherever a call
 * waits (a real transfer on a loopback socket, a retry timer, credentials
 * being fetched, its own callback), and descriptor watches.
 */

#include <sys/socket.h>

#include <netinet/in.h>

#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "loopback.h"
#include "testmain.h"

#include "aws/aws.h"
#include "aws/loop.h"
#include "fakectx.h"
#include "fakelogs.h"

static int calls; /* callbacks of calls that ran */

static void
set_flag(void *arg)
{
	*(int *)arg = 1;
}

static void
count_done(struct aws_result *r, void *arg)
{
	(void)r;
	(void)arg;
	calls++;
}

/* Let the loop run for ms (on its own clock). */
static void
run_for(struct loop *l, int64_t ms)
{
	int done = 0;
	uint64_t t;

	t = loop_timer_in(l, ms, set_flag, &done);
	loop_run_until(l, &done);
	loop_timer_cancel(l, t);
}

static struct aws_op *
groups_call(struct aws_client *c, aws_done_cb cb, void *arg)
{
	struct aws_call call;

	memset(&call, 0, sizeof call);
	call.op = "DescribeLogGroups";
	call.target = "Logs_20140328.DescribeLogGroups";
	call.body = "{}";
	call.body_len = 2;
	return (aws_call_async(c, &call, cb, arg));
}

static void
test_timer_ids(void **state)
{
	struct fakeclock clk;
	struct loop *l;
	uint64_t a, b;
	int fa = 0, fb = 0;

	(void)state;
	fakeclock_init(&clk, 1700000000000);
	l = loop_new(&clk.clock, NULL);
	a = loop_timer_in(l, 10, set_flag, &fa);
	b = loop_timer_in(l, 20, set_flag, &fb);
	assert_true(a != 0 && b != 0 && a != b);
	loop_timer_cancel(l, 0);
	run_for(l, 15);
	assert_int_equal(fa, 1);
	/* Fired: cancelling it again touches nothing, b still fires. */
	loop_timer_cancel(l, a);
	loop_timer_cancel(l, a);
	run_for(l, 10);
	assert_int_equal(fb, 1);
	loop_timer_cancel(l, b);
	assert_int_equal(loop_next_deadline(l), INT64_MAX);
	loop_free(l);
}

/*
 * A grace run that runs out of time is not a stop: after one that follows
 * an error (stats after Logs Insights failed, with StopQuery still being
 * retried), the loop runs on. A stop from before the grace run stays.
 */
static void
test_grace_expiry_is_not_a_stop(void **state)
{
	struct fakeclock clk;
	struct loop *l;
	int never = 0, done = 0;

	(void)state;
	fakeclock_init(&clk, 1700000000000);
	l = loop_new(&clk.clock, NULL);
	assert_int_equal(loop_run_grace(l, &never, 3000), 1);
	assert_false(loop_stopped(l));
	loop_timer_in(l, 10, set_flag, &done);
	assert_int_equal(loop_run_until(l, &done), 0);
	assert_int_equal(done, 1);
	/* Stopped before: still stopped after the grace run. */
	loop_stop(l);
	assert_int_equal(loop_run_grace(l, &never, 3000), 1);
	assert_true(loop_stopped(l));
	done = 0;
	loop_timer_in(l, 10, set_flag, &done);
	assert_int_equal(loop_run_until(l, &done), 1);
	assert_int_equal(done, 0);
	loop_free(l);
}

/* Cancel during a real transfer: curl lets go of it, no callback. */
static void
test_cancel_transfer(void **state)
{
	struct loop *l;
	struct aws_ctx ctx;
	struct aws_client *c;
	struct aws_op *op;
	char url[64], *cause = NULL;
	int fd, port;

	(void)state;
	calls = 0;
	fd = loopback_listen(&port);
	l = loop_new(NULL, NULL);
	memset(&ctx, 0, sizeof ctx);
	ctx.loop = l;
	ctx.creds.get = fakectx_creds;
	ctx.read_timeout_ms = 10000;
	snprintf(url, sizeof url, "http://127.0.0.1:%d", port);
	assert_int_equal(
	    aws_client_new(&c, &ctx, AWS_LOGS, "us-east-1", url, &cause), 0);
	op = groups_call(c, count_done, NULL);
	run_for(l, 200);
	assert_int_equal(loop_xfers(l), 1);
	assert_int_equal(calls, 0);
	aws_op_cancel(op);
	assert_int_equal(loop_xfers(l), 0);
	run_for(l, 200);
	assert_int_equal(calls, 0);
	assert_int_equal(loop_next_deadline(l), INT64_MAX);
	aws_client_free(c);
	loop_free(l);
	close(fd);
}

struct fenv {
	struct fakeclock clk;
	struct loop *loop;
	struct fakelogs fl;
	struct aws_ctx ctx;
	struct aws_client *c;
};

static void
fenv_init(struct fenv *t)
{
	char *cause = NULL;

	calls = 0;
	fakeclock_init(&t->clk, 1700000000000);
	t->loop = loop_new(&t->clk.clock, NULL);
	fakelogs_init(&t->fl, t->loop);
	t->fl.latency_ms = 50;
	fakelogs_ctx(&t->fl, &t->ctx, t->loop);
	fakelogs_add_group(&t->fl, "/g");
	assert_int_equal(aws_client_new(&t->c, &t->ctx, AWS_LOGS, "us-east-1",
			     "http://fake.invalid", &cause),
	    0);
}

static void
fenv_free(struct fenv *t)
{
	aws_client_free(t->c);
	fakelogs_free(&t->fl);
	loop_free(t->loop);
}

/* Cancel while the call waits to retry: the retry never goes out. */
static void
test_cancel_retry_timer(void **state)
{
	struct fenv t;
	struct aws_op *op;

	(void)state;
	fenv_init(&t);
	fakelogs_fault(&t.fl, 0, FAULT_500);
	op = groups_call(t.c, count_done, NULL);
	run_for(t.loop, 51); /* the 500 is in, the retry timer set */
	assert_int_equal(t.fl.requests, 1);
	assert_int_equal(t.fl.inflight, 0);
	assert_true(loop_next_deadline(t.loop) != INT64_MAX);
	aws_op_cancel(op);
	assert_int_equal(loop_next_deadline(t.loop), INT64_MAX);
	run_for(t.loop, 5000);
	assert_int_equal(t.fl.requests, 1);
	assert_int_equal(calls, 0);
	fenv_free(&t);
}

/* A provider whose credentials are always being fetched. */
struct slow_provider {
	int gets;
	uint64_t cancelled;
};

static int
slow_get(void *arg, const struct aws_creds **out, aws_ready_cb ready,
    void *ready_arg, uint64_t *wait, char **cause)
{
	struct slow_provider *p = arg;

	(void)out;
	(void)ready;
	(void)ready_arg;
	(void)cause;
	p->gets++;
	*wait = 7;
	return (1);
}

static void
slow_cancel(void *arg, uint64_t wait)
{
	((struct slow_provider *)arg)->cancelled = wait;
}

/* Cancel while waiting for credentials: the wait is dropped. */
static void
test_cancel_creds_wait(void **state)
{
	struct fenv t;
	struct slow_provider sp = {0, 0};
	struct aws_op *op;

	(void)state;
	fenv_init(&t);
	t.ctx.creds.get = slow_get;
	t.ctx.creds.cancel = slow_cancel;
	t.ctx.creds.arg = &sp;
	op = groups_call(t.c, count_done, NULL);
	run_for(t.loop, 100);
	assert_int_equal(sp.gets, 1);
	assert_int_equal(t.fl.requests, 0);
	aws_op_cancel(op);
	assert_int_equal(sp.cancelled, 7);
	run_for(t.loop, 100);
	assert_int_equal(calls, 0);
	assert_int_equal(loop_next_deadline(t.loop), INT64_MAX);
	fenv_free(&t);
}

static struct aws_op *self_op;

static void
cancel_self(struct aws_result *r, void *arg)
{
	(void)arg;
	assert_int_equal(r->status, AWS_OK);
	aws_op_cancel(self_op); /* harmless: the call is being delivered */
	calls++;
}

/* Cancel during a transfer of the fake, and from the own callback. */
static void
test_cancel_fake_transfer_and_self(void **state)
{
	struct fenv t;
	struct aws_op *op;

	(void)state;
	fenv_init(&t);
	op = groups_call(t.c, count_done, NULL);
	assert_int_equal(t.fl.inflight, 1);
	aws_op_cancel(op);
	assert_int_equal(t.fl.inflight, 0);
	assert_int_equal(t.fl.cancelled, 1);
	self_op = groups_call(t.c, cancel_self, NULL);
	run_for(t.loop, 1000);
	assert_int_equal(calls, 1);
	fenv_free(&t);
}

struct watch {
	struct loop *loop;
	int fd;
	uint64_t ids[2];
	int runs[2];
	int done;
};

/* The first watch removes both itself and the second one. */
static void
watch_first(void *arg, int revents)
{
	struct watch *w = arg;

	assert_true(revents & LOOP_FD_IN);
	w->runs[0]++;
	loop_fd_unwatch(w->loop, w->ids[0]);
	loop_fd_unwatch(w->loop, w->ids[1]);
	w->done = 1;
}

static void
watch_second(void *arg, int revents)
{
	struct watch *w = arg;

	(void)revents;
	w->runs[1]++;
}

static int64_t
mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000);
}

static void
test_fd_watch(void **state)
{
	struct watch w;
	int p[2], guard = 0;
	uint64_t t;

	(void)state;
	memset(&w, 0, sizeof w);
	assert_int_equal(pipe(p), 0);
	w.loop = loop_new(NULL, NULL);
	w.ids[0] = loop_fd_watch(w.loop, p[0], LOOP_FD_IN, watch_first, &w);
	w.ids[1] = loop_fd_watch(w.loop, p[0], LOOP_FD_IN, watch_second, &w);
	assert_true(w.ids[0] != 0 && w.ids[1] != w.ids[0]);
	assert_int_equal(write(p[1], "x", 1), 1);
	t = loop_timer_in(w.loop, 2000, set_flag, &guard);
	assert_int_equal(loop_run_until(w.loop, &w.done), 0);
	loop_timer_cancel(w.loop, t);
	assert_int_equal(guard, 0);
	/* Both ready in one poll; the second was unwatched by the first. */
	assert_int_equal(w.runs[0], 1);
	assert_int_equal(w.runs[1], 0);
	/* Still readable, but nobody watches it any more. */
	run_for(w.loop, 100);
	assert_int_equal(w.runs[0], 1);
	loop_fd_unwatch(w.loop, w.ids[0]); /* gone: harmless */
	loop_free(w.loop);
	close(p[0]);
	close(p[1]);
}

static void
hup_seen(void *arg, int revents)
{
	struct watch *w = arg;

	assert_int_equal(revents, LOOP_FD_HUP);
	w->runs[0]++;
	loop_fd_unwatch(w->loop, w->ids[0]);
	w->done = 1;
}

/* The reader of a pipe goes: a hang-up watch on the writer says so
 * within a second, with nothing else for the loop to do. */
static void
test_fd_hup(void **state)
{
	struct watch w;
	int p[2], guard = 0;
	int64_t t0;

	(void)state;
	memset(&w, 0, sizeof w);
	assert_int_equal(pipe(p), 0);
	w.loop = loop_new(NULL, NULL);
	w.ids[0] = loop_fd_watch(w.loop, p[1], LOOP_FD_HUP, hup_seen, &w);
	loop_timer_in(w.loop, 3000, set_flag, &guard);
	run_for(w.loop, 50);
	assert_int_equal(w.runs[0], 0);
	close(p[0]);
	t0 = mono_ms();
	assert_int_equal(loop_run_until(w.loop, &w.done), 0);
	assert_true(mono_ms() - t0 < 1500);
	assert_int_equal(guard, 0);
	assert_int_equal(w.runs[0], 1);
	loop_free(w.loop);
	close(p[1]);
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_timer_ids),
    cmocka_unit_test(test_grace_expiry_is_not_a_stop),
    cmocka_unit_test(test_cancel_transfer),
    cmocka_unit_test(test_cancel_retry_timer),
    cmocka_unit_test(test_cancel_creds_wait),
    cmocka_unit_test(test_cancel_fake_transfer_and_self),
    cmocka_unit_test(test_fd_watch),
    cmocka_unit_test(test_fd_hup),
};

TEST_MAIN(tests)

/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Single flight of the credential chain (issue 12): however many callers
 * ask at once, one fetch runs, at first use, in the advisory window
 * (callers keep the current credentials meanwhile) and in the mandatory
 * window (they wait, and all get the new ones); a failure reaches every
 * waiter. Driven through the provider's get() directly (assume role, STS
 * on the fake transport) and through signed aws_call_async calls
 * (credential_process, a real child process).
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "credstest.h"
#include "fakehttp.h"
#include "testmain.h"
#include "tmphome.h"

#include "aws/aws.h"
#include "aws/creds/credfetch.h"
#include "aws/creds/creds.h"
#include "aws/loop.h"

#define NCALLERS 8

static const char *flight_config = "[profile base]\n"
				   "aws_access_key_id = AKIABASE\n"
				   "aws_secret_access_key = base-secret\n"
				   "[profile dev]\n"
				   "role_arn = arn:aws:iam::1:role/dev\n"
				   "source_profile = base\n";

/* One caller of the provider's get(). */
struct caller {
	struct aws_creds_provider p;
	const struct aws_creds *c;
	char *cause;
	uint64_t wait;
	int ready; /* times its ready() ran */
};

static void
caller_ready(void *arg)
{
	((struct caller *)arg)->ready++;
}

/* Ask once; returns get()'s answer. */
static int
caller_get(struct caller *k)
{
	free(k->cause);
	k->cause = NULL;
	k->c = NULL;
	return (
	    k->p.get(k->p.arg, &k->c, caller_ready, k, &k->wait, &k->cause));
}

/* Queue an AssumeRole answer. */
static void
push_assume(const char *ak, int64_t exp)
{
	char *xml;

	xml = credstest_sts_xml("AssumeRole", ak, "s", "t", exp);
	fakehttp_push("POST https://sts.us-east-1.amazonaws.com/", 200, xml);
	free(xml);
}

static void
test_flight_get(void **state)
{
	struct credstest t;
	struct caller k[NCALLERS];
	int64_t exp;
	int i;

	(void)state;
	credstest_home(flight_config, NULL);
	credstest_chain_ok(&t, "dev");
	memset(k, 0, sizeof k);
	for (i = 0; i < NCALLERS; i++)
		k[i].p = creds_chain_provider_of(t.chain);

	/* First use: everyone waits for one AssumeRole. */
	exp = credstest_now + 3600000;
	push_assume("ASIA1", exp);
	for (i = 0; i < NCALLERS; i++)
		assert_int_equal(caller_get(&k[i]), 1);
	assert_int_equal(fakehttp_count(), 1);
	for (i = 0; i < NCALLERS; i++)
		assert_int_equal(k[i].ready, 0); /* never inside get() */
	credstest_settle(&t);
	for (i = 0; i < NCALLERS; i++) {
		assert_int_equal(k[i].ready, 1);
		assert_int_equal(caller_get(&k[i]), 0);
		assert_string_equal(k[i].c->access_key, "ASIA1");
	}
	assert_int_equal(fakehttp_count(), 1);

	/* Advisory window (12 minutes left): the current ones at once,
	 * one refresh in the background. */
	credstest_advance_to(exp - 12 * 60000);
	push_assume("ASIA2", credstest_now + 3600000);
	for (i = 0; i < NCALLERS; i++) {
		assert_int_equal(caller_get(&k[i]), 0);
		assert_string_equal(k[i].c->access_key, "ASIA1");
	}
	assert_int_equal(fakehttp_count(), 2);
	credstest_settle(&t);
	for (i = 0; i < NCALLERS; i++) {
		assert_int_equal(k[i].ready, 1);
		assert_int_equal(caller_get(&k[i]), 0);
		assert_string_equal(k[i].c->access_key, "ASIA2");
	}
	assert_int_equal(fakehttp_count(), 2);

	/* Mandatory window (5 minutes left): everyone waits for one call
	 * and gets the new ones. */
	exp = credstest_now + 3600000;
	credstest_advance_to(exp - 5 * 60000);
	push_assume("ASIA3", credstest_now + 3600000);
	for (i = 0; i < NCALLERS; i++)
		assert_int_equal(caller_get(&k[i]), 1);
	assert_int_equal(fakehttp_count(), 3);
	credstest_settle(&t);
	for (i = 0; i < NCALLERS; i++) {
		assert_int_equal(k[i].ready, 2);
		assert_int_equal(caller_get(&k[i]), 0);
		assert_string_equal(k[i].c->access_key, "ASIA3");
	}

	/* Failure with 30 s left: one call, every waiter told once; a
	 * waiter that cancelled is not called. */
	exp = credstest_now + 3600000;
	credstest_advance_to(exp - 30000);
	fakehttp_push("POST https://sts.us-east-1.amazonaws.com/", 403,
	    "<ErrorResponse><Error><Code>AccessDenied</Code><Message>not "
	    "allowed</Message></Error></ErrorResponse>");
	for (i = 0; i < NCALLERS; i++)
		assert_int_equal(caller_get(&k[i]), 1);
	k[NCALLERS - 1].p.cancel(k[NCALLERS - 1].p.arg, k[NCALLERS - 1].wait);
	assert_int_equal(fakehttp_count(), 4);
	credstest_settle(&t);
	assert_int_equal(fakehttp_count(), 4);
	for (i = 0; i < NCALLERS - 1; i++) {
		assert_int_equal(k[i].ready, 3);
		assert_int_equal(caller_get(&k[i]), -1);
		assert_non_null(strstr(k[i].cause, "AccessDenied"));
	}
	assert_int_equal(k[NCALLERS - 1].ready, 2);
	/* The next get() after the failure starts a new fetch. */
	push_assume("ASIA4", credstest_now + 3600000);
	assert_int_equal(caller_get(&k[0]), 1);
	assert_int_equal(caller_get(&k[1]), 1);
	assert_int_equal(fakehttp_count(), 5);
	credstest_settle(&t);
	assert_int_equal(caller_get(&k[0]), 0);
	assert_string_equal(k[0].c->access_key, "ASIA4");
	assert_int_equal(caller_get(&k[1]), 0);
	assert_string_equal(k[1].c->access_key, "ASIA4");
	assert_int_equal(fakehttp_mismatches(), 0);
	for (i = 0; i < NCALLERS; i++)
		free(k[i].cause);
	credstest_free(&t);
	tmphome_end();
}

/* Queue a refused AssumeRole. */
static void
push_denied(void)
{
	fakehttp_push("POST https://sts.us-east-1.amazonaws.com/", 403,
	    "<ErrorResponse><Error><Code>AccessDenied</Code><Message>not "
	    "allowed</Message></Error></ErrorResponse>");
}

/*
 * The pause after a failed refresh is a deadline on the monotonic clock:
 * a step of the system clock neither brings the next try forward nor
 * puts it off (the credentials' expiry stays wall time).
 */
static void
test_flight_retry_monotonic(void **state)
{
	struct credstest t;
	struct caller k;
	int64_t exp;

	(void)state;
	credstest_home(flight_config, NULL);
	credstest_chain_ok(&t, "dev");
	memset(&k, 0, sizeof k);
	k.p = creds_chain_provider_of(t.chain);
	exp = credstest_now + 3600000;
	push_assume("ASIA1", exp);
	assert_int_equal(caller_get(&k), 1);
	credstest_settle(&t);
	assert_int_equal(caller_get(&k), 0);

	/* Mandatory window, 5 minutes left: the refresh fails, the current
	 * ones are kept and the next try waits 30 s. */
	credstest_advance_to(exp - 5 * 60000);
	push_denied();
	assert_int_equal(caller_get(&k), 1);
	credstest_settle(&t);
	assert_int_equal(fakehttp_count(), 2);
	assert_int_equal(caller_get(&k), 0);
	assert_string_equal(k.c->access_key, "ASIA1");

	/* The system clock jumps 1 minute ahead: still 30 s to wait. */
	credstest_now += 60000;
	assert_int_equal(caller_get(&k), 0);
	assert_string_equal(k.c->access_key, "ASIA1");
	assert_int_equal(fakehttp_count(), 2);
	/* And 3 minutes back (7 minutes left): 31 s later, the next try. */
	credstest_now -= 3 * 60000;
	credstest_advance(CREDFETCH_RETRY_MS - 1000);
	assert_int_equal(caller_get(&k), 0);
	assert_int_equal(fakehttp_count(), 2);
	credstest_advance(1000);
	push_assume("ASIA2", credstest_now + 3600000);
	assert_int_equal(caller_get(&k), 1);
	assert_int_equal(fakehttp_count(), 3);
	credstest_settle(&t);
	assert_int_equal(caller_get(&k), 0);
	assert_string_equal(k.c->access_key, "ASIA2");
	assert_int_equal(fakehttp_mismatches(), 0);
	free(k.cause);
	credstest_free(&t);
	tmphome_end();
}

/* The calls of one round. */
struct round {
	int done;
	int ok;
	int creds_errors;
	char last_error[256];
};

static void
round_done(struct aws_result *r, void *arg)
{
	struct round *rd = arg;

	rd->done++;
	if (r->status == AWS_OK)
		rd->ok++;
	else if (r->status == AWS_ERR_CREDS) {
		rd->creds_errors++;
		snprintf(rd->last_error, sizeof rd->last_error, "%s",
		    r->message != NULL ? r->message : "");
	}
}

/* Start NCALLERS signed calls; returns how many requests went out at
 * once (signed without waiting). */
static size_t
round_start(struct aws_client *cl, struct round *rd)
{
	struct aws_call call;
	size_t before = fakehttp_count();
	int i;

	memset(rd, 0, sizeof *rd);
	memset(&call, 0, sizeof call);
	call.op = "DescribeLogGroups";
	call.target = "Logs_20140328.DescribeLogGroups";
	call.body = "{}";
	call.body_len = 2;
	for (i = 0; i < NCALLERS; i++) {
		fakehttp_push(
		    "POST https://logs.us-east-1.amazonaws.com/", 200, "{}");
		assert_non_null(aws_call_async(cl, &call, round_done, rd));
	}
	return (fakehttp_count() - before);
}

/* How many times the helper ran. */
static int
helper_runs(void)
{
	char *path, *text;
	int n;

	path = tmphome_path("runs");
	text = tmphome_read(path);
	n = text != NULL ? atoi(text) : 0;
	free(text);
	free(path);
	return (n);
}

/* Every request from first on signed with access key ak. */
static void
signed_with(size_t first, const char *ak)
{
	char want[64];
	size_t i;

	snprintf(want, sizeof want, "Credential=%s/", ak);
	for (i = first; i < fakehttp_count(); i++)
		assert_non_null(
		    strstr(fakehttp_header(i, "Authorization"), want));
}

static void
test_flight_calls(void **state)
{
	struct credstest t;
	struct aws_ctx ctx;
	struct aws_client *cl = NULL;
	struct round rd;
	char *script, *cfg, *cause = NULL;
	int64_t start;
	size_t n;

	(void)state;
	credstest_home(NULL, NULL);
	/* Counts its runs, takes a moment, prints key K<run>. */
	script = credstest_script("bin/slow",
	    "n=$(cat \"$HOME/runs\" 2>/dev/null || echo 0); n=$((n+1))\n"
	    "echo $n > \"$HOME/runs\"\n"
	    "sleep 0.2\n"
	    "[ -e \"$HOME/fail\" ] && exit 1\n"
	    "echo \"{\\\"Version\\\":1,\\\"AccessKeyId\\\":\\\"K$n\\\","
	    "\\\"SecretAccessKey\\\":\\\"S\\\",\\\"Expiration\\\":\\\"$EXP\\\"}"
	    "\"\n");
	cfg = malloc(strlen(script) + 64);
	sprintf(cfg, "[default]\ncredential_process = %s\n", script);
	free(tmphome_write(".aws/config", cfg, 0600));
	start = credstest_now;
	setenv("EXP", "2025-06-15T16:06:40Z", 1); /* start + 60 min */
	credstest_chain_ok(&t, NULL);
	memset(&ctx, 0, sizeof ctx);
	ctx.loop = t.loop;
	ctx.creds = creds_chain_provider_of(t.chain);
	ctx.transport = fakehttp_transport;
	ctx.max_attempts = 1;
	if (aws_client_new(&cl, &ctx, AWS_LOGS, "us-east-1",
		"https://logs.us-east-1.amazonaws.com", &cause) != 0)
		fail_msg("client: %s", cause);

	/* First use: every call waits for the one helper run. */
	n = round_start(cl, &rd);
	assert_int_equal(n, 0);
	credstest_settle(&t);
	assert_int_equal(rd.ok, NCALLERS);
	assert_int_equal(helper_runs(), 1);
	signed_with(0, "K1");

	/* Advisory window: signed at once with K1, one run behind. */
	setenv("EXP", "2025-06-15T17:06:40Z", 1); /* start + 120 min */
	credstest_advance_to(start + 48 * 60000);
	n = round_start(cl, &rd);
	assert_int_equal(n, NCALLERS);
	signed_with(NCALLERS, "K1");
	credstest_settle(&t);
	assert_int_equal(rd.ok, NCALLERS);
	assert_int_equal(helper_runs(), 2);

	/* Mandatory window: every call waits, one run, all signed with K3. */
	setenv("EXP", "2025-06-15T18:06:40Z", 1); /* start + 180 min */
	credstest_advance_to(start + 115 * 60000);
	n = round_start(cl, &rd);
	assert_int_equal(n, 0);
	credstest_settle(&t);
	assert_int_equal(rd.ok, NCALLERS);
	assert_int_equal(helper_runs(), 3);
	signed_with(2 * NCALLERS, "K3");

	/* A failed run with 30 s left reaches every call. */
	free(tmphome_write("fail", "", 0600));
	credstest_advance_to(start + 179 * 60000 + 30000);
	n = round_start(cl, &rd);
	assert_int_equal(n, 0);
	credstest_settle(&t);
	assert_int_equal(rd.done, NCALLERS);
	assert_int_equal(rd.creds_errors, NCALLERS);
	assert_non_null(strstr(rd.last_error, "exited with status 1"));
	assert_int_equal(helper_runs(), 4);

	unsetenv("EXP");
	fakehttp_reset();
	aws_client_free(cl);
	credstest_free(&t);
	free(cfg);
	free(script);
	tmphome_end();
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_flight_get),
    cmocka_unit_test(test_flight_retry_monotonic),
    cmocka_unit_test(test_flight_calls),
};

TEST_MAIN(tests)

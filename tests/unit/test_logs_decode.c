/*
 * The FilterLogEvents decoder on what log messages really carry: NUL
 * bytes, invalid UTF-8 and unpaired surrogate escapes must not make a
 * whole page unreadable (one such event used to fail the read, exit 1).
 */

#include <stdlib.h>
#include <string.h>

#include "testmain.h"

#include "event.h"
#include "logs.h"

/* Decode body (a C string) and return its only page; fail otherwise. */
static struct page *
decode(const char *body, char **next)
{
	struct page *p = NULL;
	char *cause = NULL;

	if (logs_filter_decode(body, strlen(body), &p, next, &cause) != 0)
		fail_msg("decode failed: %s", cause);
	assert_non_null(p);
	return (p);
}

/* The message of the one event in body. */
static void
assert_message(const char *body, const char *want, size_t wantlen)
{
	struct page *p;
	char *next = NULL;

	p = decode(body, &next);
	assert_int_equal(p->n, 1);
	assert_int_equal(p->ev[0].msg_len, wantlen);
	assert_memory_equal(p->ev[0].msg, want, wantlen);
	assert_null(next);
	page_free(p);
}

#define EV_PRE                                                                 \
	"{\"events\":[{\"eventId\":\"1\",\"logStreamName\":\"s\","             \
	"\"timestamp\":5,\"ingestionTime\":6,\"message\":\""
#define EV_POST "\"}],\"nextToken\":null}"

static void
test_nul_bytes(void **state)
{
	(void)state;
	assert_message(EV_PRE "a\\u0000b\\u0000" EV_POST, "a\0b", 4);
}

static void
test_unpaired_surrogates(void **state)
{
	(void)state;
	/* A low surrogate alone (Python's surrogateescape of byte 0xff). */
	assert_message(EV_PRE "x\\udcffy" EV_POST, "x\xef\xbf\xbdy", 5);
	/* A high surrogate followed by a plain character, and at the end. */
	assert_message(
	    EV_PRE "\\ud800z\\uDBFF" EV_POST, "\xef\xbf\xbdz\xef\xbf\xbd", 7);
	/* Two high surrogates: the first is unpaired, the second too. */
	assert_message(
	    EV_PRE "\\ud800\\ud800" EV_POST, "\xef\xbf\xbd\xef\xbf\xbd", 6);
}

static void
test_pairs_and_escapes_survive_repair(void **state)
{
	(void)state;
	/* The lone surrogate forces the repair pass; the valid pair, the
	 * escaped backslash before "udcff" and the quote stay as they are. */
	assert_message(EV_PRE "\\ud83d\\ude00 \\\\udcff \\\" \\udc00" EV_POST,
	    "\xf0\x9f\x98\x80 \\udcff \" \xef\xbf\xbd", 17);
}

static void
test_invalid_utf8(void **state)
{
	(void)state;
	assert_message(EV_PRE "a\xff\xfe b \xc3" EV_POST,
	    "a\xef\xbf\xbd\xef\xbf\xbd b \xef\xbf\xbd", 13);
	/* Overlong and surrogate encodings are invalid too. */
	assert_message(EV_PRE "\xc0\xaf\xed\xa0\x80" EV_POST,
	    "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd", 15);
	/* Valid multi-byte text is untouched. */
	assert_message(EV_PRE "\xc3\xa9\xe2\x82\xac\xf0\x9f\x91\x8e" EV_POST,
	    "\xc3\xa9\xe2\x82\xac\xf0\x9f\x91\x8e", 9);
}

static void
test_other_events_and_token_kept(void **state)
{
	struct page *p;
	char *next = NULL;

	(void)state;
	p = decode("{\"events\":[{\"eventId\":\"2\",\"timestamp\":9,"
		   "\"message\":\"ok\"},{\"eventId\":\"1\",\"timestamp\":3,"
		   "\"message\":\"\\udcff\"}],\"nextToken\":\"g@s@2\"}",
	    &next);
	assert_int_equal(p->n, 2);
	assert_int_equal(p->ev[0].ts, 3); /* sorted */
	assert_int_equal(p->ev[1].msg_len, 2);
	assert_string_equal(next, "g@s@2");
	free(next);
	page_free(p);
}

static void
test_broken_json_still_fails(void **state)
{
	const char *bad[] = {"{\"events\":[", "not json", "{\"events\":[]}x",
	    "{\"events\":\"\\udcff\"}", "\"\\ud800\"", NULL};
	struct page *p;
	char *next, *cause;
	size_t i;

	(void)state;
	for (i = 0; bad[i] != NULL; i++) {
		p = NULL;
		next = cause = NULL;
		assert_int_equal(logs_filter_decode(
				     bad[i], strlen(bad[i]), &p, &next, &cause),
		    -1);
		assert_null(p);
		assert_non_null(strstr(cause, "bad FilterLogEvents response"));
		free(cause);
	}
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_nul_bytes),
    cmocka_unit_test(test_unpaired_surrogates),
    cmocka_unit_test(test_pairs_and_escapes_survive_repair),
    cmocka_unit_test(test_invalid_utf8),
    cmocka_unit_test(test_other_events_and_token_kept),
    cmocka_unit_test(test_broken_json_still_fails),
};

TEST_MAIN(tests)

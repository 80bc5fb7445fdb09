/* SPDX-License-Identifier: Apache-2.0 */
/* Tests for the file helpers: path expansion, reads, private writes. */

#include <sys/stat.h>

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "testmain.h"
#include "tmphome.h"

#include "core/buf.h"
#include "core/file.h"

static void
test_file_expand_path(void **state)
{
	char *p;

	(void)state;
	setenv("HOME", "/home/u/", 1);
	setenv("APILOGS_X", "val", 1);
	p = file_expand_path("~/.aws/config");
	assert_string_equal(p, "/home/u/.aws/config");
	free(p);
	p = file_expand_path("~");
	assert_string_equal(p, "/home/u");
	free(p);
	p = file_expand_path("/a/$APILOGS_X/${APILOGS_X}b/$APILOGS_NOPE/$");
	assert_string_equal(p, "/a/val/valb/$APILOGS_NOPE/$");
	free(p);
	p = file_expand_path("~root/x");
	assert_string_equal(p, "/root/x");
	free(p);
	p = file_expand_path("~no-such-user-here/x");
	assert_string_equal(p, "~no-such-user-here/x");
	free(p);
	unsetenv("APILOGS_X");
}

static void
test_file_read(void **state)
{
	struct buf b;
	char *path, *dir, *cause = NULL;
	int missing;

	(void)state;
	tmphome_begin();
	path = tmphome_write("f", "hello", 0600);
	buf_init(&b, 16);
	assert_int_equal(file_read(path, &b, &missing, &cause), 0);
	assert_false(missing);
	assert_string_equal(buf_str(&b), "hello");
	file_wipe(&b);
	/* Past the cap. */
	buf_init(&b, 3);
	assert_int_equal(file_read(path, &b, &missing, &cause), -1);
	assert_non_null(strstr(cause, "file too large"));
	free(cause);
	cause = NULL;
	file_wipe(&b);
	/* Missing, and a directory: missing when allowed, else an error. */
	dir = tmphome_path("");
	buf_init(&b, 16);
	assert_int_equal(file_read("/nonexistent/x", &b, &missing, &cause), 0);
	assert_true(missing);
	assert_int_equal(file_read(dir, &b, &missing, &cause), 0);
	assert_true(missing);
	assert_int_equal(file_read(dir, &b, NULL, &cause), -1);
	assert_non_null(strstr(cause, "is a directory"));
	free(cause);
	cause = NULL;
	assert_int_equal(file_read("/nonexistent/x", &b, NULL, &cause), -1);
	assert_string_equal(cause, "/nonexistent/x: No such file or directory");
	free(cause);
	file_wipe(&b);
	free(dir);
	free(path);
	tmphome_end();
}

static void
test_file_write_private(void **state)
{
	struct stat sb;
	char *path, *text, *cause = NULL;

	(void)state;
	tmphome_begin();
	path = tmphome_path(".aws/cli/cache/abc.json");
	assert_int_equal(file_write_private(path, "{\"a\":1}", 7, &cause), 0);
	text = tmphome_read(path);
	assert_string_equal(text, "{\"a\":1}");
	free(text);
	assert_int_equal(stat(path, &sb), 0);
	assert_int_equal(sb.st_mode & 07777, 0600);
	/* Replacing keeps the mode and leaves no temporary file behind. */
	assert_int_equal(file_write_private(path, "x", 1, &cause), 0);
	text = tmphome_read(path);
	assert_string_equal(text, "x");
	free(text);
	free(path);
	path = tmphome_path(".aws/cli/cache");
	assert_int_equal(stat(path, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0700);
	free(path);
	/* A file where a directory should be is an error. */
	free(tmphome_write("blocker", "", 0600));
	path = tmphome_path("blocker/x.json");
	assert_int_equal(file_write_private(path, "x", 1, &cause), -1);
	assert_non_null(strstr(cause, "blocker"));
	free(cause);
	free(path);
	tmphome_end();
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_file_expand_path),
    cmocka_unit_test(test_file_read),
    cmocka_unit_test(test_file_write_private),
};

TEST_MAIN(tests)

/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The log line fixtures of tests/data/logline/ (see its README.md): each
 * case is a message, the log it comes from, and the fields its reading
 * must give. One test per file.
 */

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testmain.h"

#include "trace/logline.h"

#define DATA_DIR "tests/data/logline/"

static const char *const level_names[] = {
    [LOGLINE_LVL_NONE] = "none",
    [LOGLINE_LVL_TRACE] = "trace",
    [LOGLINE_LVL_DEBUG] = "debug",
    [LOGLINE_LVL_INFO] = "info",
    [LOGLINE_LVL_WARN] = "warn",
    [LOGLINE_LVL_ERROR] = "error",
    [LOGLINE_LVL_FATAL] = "fatal",
};

/* Undo the fixture escapes \t, \n and \\ in place; return the length. */
static size_t
unescape(char *s)
{
	size_t i, j = 0;

	for (i = 0; s[i] != '\0'; i++) {
		if (s[i] == '\\' && s[i + 1] == 't') {
			s[j++] = '\t';
			i++;
		} else if (s[i] == '\\' && s[i + 1] == 'n') {
			s[j++] = '\n';
			i++;
		} else if (s[i] == '\\' && s[i + 1] == '\\') {
			s[j++] = '\\';
			i++;
		} else
			s[j++] = s[i];
	}
	s[j] = '\0';
	return (j);
}

/* The value of field key of l as text, into buf; NULL if unknown. */
static const char *
field(const struct logline *l, const char *msg, size_t len, const char *key,
    char *buf, size_t size)
{
	if (strcmp(key, "kind") == 0)
		return (logline_kind_name(l->kind));
	if (strcmp(key, "apigw") == 0)
		return (l->apigw_id);
	if (strcmp(key, "lambda") == 0)
		return (l->lambda_id);
	if (strcmp(key, "auth") == 0)
		return (l->authorizer_request_id);
	if (strcmp(key, "corr") == 0)
		return (l->correlation_id);
	if (strcmp(key, "method") == 0)
		return (l->method);
	if (strcmp(key, "path") == 0)
		return (l->path);
	if (strcmp(key, "lstatus") == 0)
		return (l->lambda_status);
	if (strcmp(key, "etype") == 0)
		return (l->error_type);
	if (strcmp(key, "phase") == 0)
		return (l->phase);
	if (strcmp(key, "reason") == 0)
		return (l->reason);
	if (strcmp(key, "level") == 0)
		return (level_names[l->level]);
	if (strcmp(key, "status") == 0)
		snprintf(buf, size, "%d", l->status);
	else if (strcmp(key, "latency") == 0)
		snprintf(buf, size, "%ld", l->latency_ms);
	else if (strcmp(key, "ilatency") == 0)
		snprintf(buf, size, "%ld", l->integration_latency_ms);
	else if (strcmp(key, "error") == 0)
		snprintf(buf, size, "%d", l->is_error);
	else if (strcmp(key, "red") == 0)
		snprintf(buf, size, "%d", logline_is_error(msg, len));
	else
		return (NULL);
	return (buf);
}

/* Run the cases of one fixture file; return the number of failures. */
static int
run_file(const char *name, int *ncases)
{
	char path[512], line[8192], *msg = NULL, buf[64], *sp;
	const char *got, *want;
	enum logline_source hint = LOGLINE_SRC_AUTO;
	struct logline l;
	size_t len = 0, n;
	int lineno = 0, fails = 0;
	FILE *fp;

	snprintf(path, sizeof path, "%s%s", DATA_DIR, name);
	fp = fopen(path, "r");
	assert_non_null(fp);
	while (fgets(line, sizeof line, fp) != NULL) {
		lineno++;
		n = strlen(line);
		assert_true(n > 0 && line[n - 1] == '\n');
		line[--n] = '\0';
		if (strncmp(line, "@ ", 2) == 0) {
			if (strcmp(line + 2, "exec") == 0)
				hint = LOGLINE_SRC_EXECUTION;
			else if (strcmp(line + 2, "access") == 0)
				hint = LOGLINE_SRC_ACCESS;
			else if (strcmp(line + 2, "lambda") == 0)
				hint = LOGLINE_SRC_LAMBDA;
			else
				hint = LOGLINE_SRC_AUTO;
		} else if (strncmp(line, "< ", 2) == 0) {
			free(msg);
			len = unescape(line + 2);
			/* No NUL after the message: ASan sees overreads. */
			msg = malloc(len + 1);
			assert_non_null(msg);
			memcpy(msg, line + 2, len);
			logline_parse(msg, len, hint, &l);
			(*ncases)++;
		} else if (strncmp(line, "= ", 2) == 0) {
			assert_non_null(msg);
			sp = strchr(line + 2, ' ');
			assert_non_null(sp);
			*sp = '\0';
			want = strcmp(sp + 1, "-") == 0 ? "" : sp + 1;
			got = field(&l, msg, len, line + 2, buf, sizeof buf);
			if (got == NULL) {
				print_error("%s:%d: unknown key %s\n", path,
				    lineno, line + 2);
				fails++;
			} else if (strcmp(got, want) != 0) {
				print_error("%s:%d: %s is '%s', want '%s'\n",
				    path, lineno, line + 2, got, want);
				fails++;
			}
		}
	}
	free(msg);
	fclose(fp);
	return (fails);
}

/* Every file of the directory has cases, and every case holds. */
static void
test_fixtures(void **state)
{
	DIR *d;
	struct dirent *e;
	int fails = 0, files = 0, ncases, before;
	size_t n;

	(void)state;
	d = opendir(DATA_DIR);
	assert_non_null(d);
	while ((e = readdir(d)) != NULL) {
		n = strlen(e->d_name);
		if (n < 5 || strcmp(e->d_name + n - 4, ".txt") != 0)
			continue;
		ncases = 0;
		before = fails;
		fails += run_file(e->d_name, &ncases);
		print_message("%s: %d cases, %d failed\n", e->d_name, ncases,
		    fails - before);
		assert_true(ncases > 0);
		files++;
	}
	closedir(d);
	assert_true(files >= 5);
	assert_int_equal(fails, 0);
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_fixtures),
};

TEST_MAIN(tests)

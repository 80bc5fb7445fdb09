/* SPDX-License-Identifier: Apache-2.0 */
/*
 * libFuzzer target for the log line readers. The message is handed over
 * in a buffer of exactly its size, so reading past the length is caught,
 * and the documented invariants of struct logline are checked.
 */

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/xmalloc.h"
#include "trace/logline.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* Abort unless an id field is empty or 1-64 bytes of the id alphabet. */
static void
check_id(const char *id)
{
	size_t n = strnlen(id, LOGLINE_IDLEN);

	if (n == LOGLINE_IDLEN)
		abort();
	if (strspn(id, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
		       "0123456789$._:/+=-") != n)
		abort();
}

/* Parse msg with one hint and check the result. */
static void
check(const char *msg, size_t len, enum logline_source hint)
{
	struct logline l;
	int rc, i;

	rc = logline_parse(msg, len, hint, &l);
	if ((rc == 0) != (l.kind != LOGLINE_UNKNOWN))
		abort();
	if (l.text_off > len || l.text_len > len - l.text_off)
		abort();
	check_id(l.apigw_id);
	check_id(l.extended_id);
	check_id(l.lambda_id);
	check_id(l.authorizer);
	check_id(l.authorizer_request_id);
	check_id(l.trace_id);
	check_id(l.function);
	check_id(l.version);
	check_id(l.correlation_id);
	if (strnlen(l.phase, sizeof(l.phase)) == sizeof(l.phase) ||
	    strnlen(l.error_type, sizeof(l.error_type)) ==
		sizeof(l.error_type) ||
	    strnlen(l.reason, sizeof(l.reason)) == sizeof(l.reason))
		abort();
	if (strnlen(l.method, sizeof(l.method)) == sizeof(l.method) ||
	    strnlen(l.path, sizeof(l.path)) == sizeof(l.path) ||
	    strnlen(l.lambda_status, sizeof(l.lambda_status)) ==
		sizeof(l.lambda_status))
		abort();
	if (l.nuuids < 0 || l.nuuids > LOGLINE_MAXUUIDS)
		abort();
	for (i = 0; i < l.nuuids; i++) {
		if (strlen(l.uuids[i]) != 36)
			abort();
	}
	if (l.status < -1 || l.status > 999 || l.memory_mb < -1 ||
	    l.max_memory_mb < -1 || (l.duration_ms < 0 && l.duration_ms != -1))
		abort();
	if (logline_is_error(msg, len) && !l.is_error)
		abort();
	if (logline_kind_name(l.kind) == NULL)
		abort();
}

/* Entry point: the input is one log event message. */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *j;
	char *msg;

	if (size > 65536)
		return (0);
	msg = xmalloc(size == 0 ? 1 : size);
	memcpy(msg, data, size);
	check(msg, size, LOGLINE_SRC_AUTO);
	check(msg, size, LOGLINE_SRC_EXECUTION);
	check(msg, size, LOGLINE_SRC_ACCESS);
	check(msg, size, LOGLINE_SRC_LAMBDA);
	j = logline_json_start(msg, size);
	if (j != NULL &&
	    (j < msg || j >= msg + size || (*j != '{' && *j != '[')))
		abort();
	free(msg);
	return (0);
}

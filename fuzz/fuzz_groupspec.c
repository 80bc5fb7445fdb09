/* SPDX-License-Identifier: Apache-2.0 */
/*
 * libFuzzer target for groupspec_parse() (the -g and GROUP values), with
 * groupspec_arn_name() and groupspec_same() on what it gives, and
 * pyjson_dump() (how --query and --format json print JSON from log
 * messages): a value parses into a spec whose parts are consistent, or
 * fails with a message; any JSON document dumps without a crash, and the
 * compact dump reads back as JSON.
 */

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "core/buf.h"
#include "core/xmalloc.h"
#include "logs/groupspec.h"
#include "query/pyjson.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* Parse one value and check the invariants of groupspec.h. */
static void
check_spec(const char *text)
{
	struct groupspec gs;
	char *cause = NULL;

	if (groupspec_parse(text, &gs, &cause) != 0) {
		if (cause == NULL)
			abort();
		free(cause);
		return;
	}
	if (cause != NULL || gs.group == NULL || *gs.group == '\0')
		abort();
	if (gs.stream != NULL && *gs.stream == '\0')
		abort();
	if ((gs.kind == GROUPSPEC_REGEX) != (gs.re != NULL))
		abort();
	if (gs.kind == GROUPSPEC_REGEX &&
	    strncmp(gs.group, gs.list_prefix, strlen(gs.list_prefix)) != 0)
		abort();
	if ((gs.kind == GROUPSPEC_ARN) != (gs.region != NULL))
		abort();
	/* A parsed ARN's name is found again, and names the same group as
	 * itself and as Logs Insights' "ACCOUNT:NAME" would. */
	if (gs.kind == GROUPSPEC_ARN) {
		const char *n, *acct;
		size_t len, alen;
		char *log;

		n = groupspec_arn_name(gs.group, &len, &acct, &alen);
		if (n == NULL || len == 0 || alen != 12)
			abort();
		log = xprintf("%.*s:%.*s", (int)alen, acct, (int)len, n);
		if (!groupspec_same(gs.group, gs.group) ||
		    !groupspec_same(gs.group, log) ||
		    !groupspec_same(gs.group, log + alen + 1))
			abort();
		free(log);
	}
	(void)groupspec_match(&gs, text);
	(void)groupspec_same(gs.group, text);
	(void)groupspec_same(text, gs.group);
	groupspec_free(&gs);
}

/* Dump a JSON document both ways; the compact form must load again. */
static void
check_json(const uint8_t *data, size_t size)
{
	struct buf b;
	json_t *v, *back;

	v = json_loadb((const char *)data, size, JSON_DECODE_ANY, NULL);
	if (v == NULL)
		return;
	buf_init(&b, BUF_NOCAP);
	pyjson_dump(v, -1, &b);
	back = json_loadb(b.data, b.len, JSON_DECODE_ANY, NULL);
	if (back == NULL)
		abort();
	json_decref(back);
	buf_reset(&b);
	pyjson_dump(v, 4, &b);
	buf_free(&b);
	json_decref(v);
}

/* Entry point: the input is one -g value, and maybe a JSON document. */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text;

	if (size > 4096)
		return (0);
	text = xmalloc(size + 1);
	memcpy(text, data, size);
	text[size] = '\0';
	if (strlen(text) == size)
		check_spec(text);
	check_json(data, size);
	free(text);
	return (0);
}

/* SPDX-License-Identifier: Apache-2.0 */
/*
 * libFuzzer target for the JMESPath module. The input's first line is the
 * expression, the rest a JSON document (JSON null when it does not parse).
 * Compile, search twice, and check the error contract and that both
 * searches print the same.
 */

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "query/jmespath.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* Results may share sub-values, so printing is cut at 64 KB. */
#define PRINT_MAX (64 * 1024)

struct capped {
	char buf[PRINT_MAX];
	size_t len;
};

/* json_dump_callback() sink that stops at PRINT_MAX bytes. */
static int
capped_add(const char *p, size_t n, void *arg)
{
	struct capped *c = arg;

	if (n > PRINT_MAX - c->len)
		return (-1);
	memcpy(c->buf + c->len, p, n);
	c->len += n;
	return (0);
}

/* Print v into c, cut at PRINT_MAX bytes; return 1 if it was cut. */
static int
capped_print(const json_t *v, struct capped *c)
{
	c->len = 0;
	return (json_dump_callback(
		    v, capped_add, c, JSON_ENCODE_ANY | JSON_COMPACT) != 0);
}

/* One input: compile, search twice, compare, free everything. */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct capped first, second;
	struct jmespath_error err;
	struct jmespath *jp;
	const uint8_t *nl;
	json_t *doc, *out, *again;
	size_t elen;
	char *expr;
	int cut;

	nl = memchr(data, '\n', size);
	elen = nl != NULL ? (size_t)(nl - data) : size;
	expr = malloc(elen + 1);
	if (expr == NULL)
		return (0);
	memcpy(expr, data, elen);
	expr[elen] = '\0';
	doc = NULL;
	if (nl != NULL)
		doc = json_loadb((const char *)nl + 1, size - elen - 1,
		    JSON_DECODE_ANY | JSON_ALLOW_NUL, NULL);
	jp = jmespath_compile(expr, &err);
	if (jp == NULL) {
		if (err.kind == JMESPATH_OK || err.msg[0] == '\0' ||
		    err.pos > strlen(expr))
			abort();
		goto out;
	}
	out = jmespath_search(jp, doc, &err);
	if (out == NULL) {
		if (err.kind == JMESPATH_OK || err.msg[0] == '\0')
			abort();
		goto out;
	}
	if (err.kind != JMESPATH_OK)
		abort();
	again = jmespath_search(jp, doc, NULL);
	if (again == NULL)
		abort();
	cut = capped_print(out, &first);
	if (capped_print(again, &second) != cut || first.len != second.len ||
	    memcmp(first.buf, second.buf, first.len) != 0)
		abort();
	json_decref(again);
	json_decref(out);
out:
	jmespath_free(jp);
	json_decref(doc);
	free(expr);
	return (0);
}

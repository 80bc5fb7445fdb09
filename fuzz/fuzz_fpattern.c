/* SPDX-License-Identifier: Apache-2.0 */
/*
 * libFuzzer target for fpattern_parse() and insights_query() (the
 * --filter-pattern value translated to Logs Insights): the input is split
 * at its first NUL into a pattern and a message. A pattern parses, or
 * fails with a reason and nothing kept; a parsed one has terms without
 * '"', '\\' or control characters, its Insights command quotes each term
 * verbatim, and matching any message never crashes and agrees with a
 * second, naive evaluation.
 */

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "logs/fpattern.h"
#include "logs/insights.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* Match the slow way: which terms are in the message. */
static int
naive_match(const struct fpattern *p, const char *msg, size_t len)
{
	size_t i, j, pos = 0, found = 0, neg = 0;

	for (i = 0; i < p->n; i++) {
		pos += !p->t[i].negate;
		for (j = 0; j + p->t[i].len <= len; j++)
			if (memcmp(msg + j, p->t[i].text, p->t[i].len) == 0)
				break;
		if (j + p->t[i].len > len)
			continue;
		if (p->t[i].negate)
			neg++;
		else
			found++;
	}
	if (p->op == FPATTERN_ALL)
		return (1);
	if (p->op == FPATTERN_OR)
		return (found > 0);
	return (neg == 0 && found == pos);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fpattern p, *fp = NULL;
	const char *nul;
	char *s, *q, *why = NULL, *why2 = NULL;
	size_t i, j, msglen = 0;
	const char *msg = "";

	s = malloc(size + 1);
	if (s == NULL)
		abort();
	memcpy(s, data, size);
	s[size] = '\0';
	nul = memchr(data, '\0', size);
	if (nul != NULL) {
		msg = s + (nul - (const char *)data) + 1;
		msglen = size - (size_t)(nul - (const char *)data) - 1;
	}
	if (fpattern_parse(s, &p, &why) != 0) {
		if (why == NULL || p.n != 0 || p.t != NULL)
			abort();
		q = insights_query(s, &fp, &why2);
		if (q != NULL || why2 == NULL || fp != NULL)
			abort();
		goto out;
	}
	if (why != NULL || p.n > FPATTERN_MAX_TERMS)
		abort();
	for (i = 0; i < p.n; i++) {
		for (j = 0; j < p.t[i].len; j++) {
			if (p.t[i].text[j] == '"' || p.t[i].text[j] == '\\' ||
			    (unsigned char)p.t[i].text[j] < 0x20)
				abort();
		}
		if (p.t[i].negate && p.op != FPATTERN_AND)
			abort();
	}
	if (fpattern_match(&p, msg, msglen) != naive_match(&p, msg, msglen))
		abort();
	q = insights_query(s, &fp, &why2);
	if (q == NULL || fp == NULL || fp->n != p.n)
		abort();
	for (i = 0; i < p.n; i++) {
		if (strstr(q, p.t[i].text) == NULL)
			abort();
	}
	free(q);
	fpattern_free(fp);
	free(fp);
	fpattern_free(&p);
out:
	free(why);
	free(why2);
	free(s);
	return (0);
}

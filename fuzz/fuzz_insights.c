/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fuzz the Logs Insights text paths fed from outside: GetQueryResults
 * bodies (as events, by the streaming decoder of insights_rows.c fed whole
 * (fuzz_insights_stream cuts it in chunks),
 * also as a poll that keeps rows only when Complete, and as the tables of
 * stats queries) (the decoded rows must
 * be consistent: lengths match their strings, no more rows than the answer
 * had), @timestamp values, and filter patterns given on the command line (a
 * translated query holds every term, quoted).
 */

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "logs/insights.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct insights_answer a;
	struct insights_table t;
	char *cause = NULL, *s, *q, *why = NULL;
	struct fpattern *fp = NULL;
	enum insights_status st;
	int64_t ms;
	size_t i, n;

	if (insights_decode((const char *)data, size, &a, &cause) == 0) {
		if (a.n + a.dropped != a.rows)
			abort();
		/* nextToken: a string no longer than the body. */
		if (a.next_token != NULL && strlen(a.next_token) > size)
			abort();
		for (i = 0; i < a.n; i++) {
			if (strlen(a.ev[i].stream) > a.ev[i].stream_len ||
			    a.ev[i].msg[a.ev[i].msg_len] != '\0' ||
			    (a.ev[i].id != NULL &&
				a.ev[i].id[a.ev[i].id_len] != '\0') ||
			    (a.group[i] != NULL &&
				a.group[i][a.group_len[i]] != '\0') ||
			    a.ev[i].ingest == INT64_MIN)
				abort();
		}
		/* Strings are held by the answer's blocks. */
		if (a.n > 0 && (a.mem == NULL || a.mem_len == 0))
			abort();
		n = a.n;
		st = a.status;
		insights_answer_free(&a);
		/* A poll's decoding: the same verdict, rows only when
		 * Complete. */
		if (insights_decode_rows(
			(const char *)data, size, &a, 1, &cause) != 0 ||
		    a.status != st ||
		    (st == INSIGHTS_COMPLETE ? a.n != n
					     : a.n != 0 || a.rows != 0))
			abort();
		insights_answer_free(&a);
	} else if (cause == NULL)
		abort();
	else if (insights_decode_rows((const char *)data, size, &a, 1, &why) ==
		 0)
		abort();
	free(cause);
	free(why);
	why = NULL;
	cause = NULL;
	if (insights_table_decode((const char *)data, size, &t, &cause) == 0) {
		for (i = 0; i < t.nrows; i++)
			if (t.row[i] > t.row[i + 1] ||
			    (t.row[i] < t.row[i + 1] &&
				insights_table_get(
				    &t, i, t.cells[t.row[i]].field) == NULL))
				abort();
		insights_table_free(&t);
	} else if (cause == NULL)
		abort();
	free(cause);
	cause = NULL;
	(void)insights_parse_time((const char *)data, size, &ms);

	s = malloc(size + 1);
	if (s == NULL)
		abort();
	memcpy(s, data, size);
	s[size] = '\0';
	q = insights_query(s, &fp, &why);
	if (q == NULL) {
		if (why == NULL || fp != NULL)
			abort();
	} else {
		for (i = 0; fp != NULL && i < fp->n; i++) {
			if (strstr(q, fp->t[i].text) == NULL ||
			    strchr(fp->t[i].text, '"') != NULL)
				abort();
		}
	}
	free(q);
	free(why);
	fpattern_free(fp);
	free(fp);
	free(s);
	return (0);
}

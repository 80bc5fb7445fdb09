/* SPDX-License-Identifier: Apache-2.0 */
/*
 * String spans and the ARN fields that API Gateway URIs and destination
 * ARNs share (partition, region, account), for apiuri.c and apiuri_dest.c.
 */

#include <stdlib.h>
#include <string.h>

#include "core/xmalloc.h"
#include "discover/apiuri_int.h"

/* Make a span of a NUL-terminated string. */
struct apiuri_span
apiuri_span_of(const char *s)
{
	struct apiuri_span sp;

	sp.p = s;
	sp.n = strlen(s);
	return (sp);
}

/* Does the span hold exactly the string lit? */
int
apiuri_span_eq(struct apiuri_span s, const char *lit)
{
	return (s.n == strlen(lit) && memcmp(s.p, lit, s.n) == 0);
}

/* Does the span start with the string lit? */
int
apiuri_span_starts(struct apiuri_span s, const char *lit)
{
	size_t n = strlen(lit);

	return (s.n >= n && memcmp(s.p, lit, n) == 0);
}

/* Does the span end with the string lit? */
int
apiuri_span_ends(struct apiuri_span s, const char *lit)
{
	size_t n = strlen(lit);

	return (s.n >= n && memcmp(s.p + s.n - n, lit, n) == 0);
}

/* The part of s from offset off on. */
struct apiuri_span
apiuri_span_from(struct apiuri_span s, size_t off)
{
	s.p += off;
	s.n -= off;
	return (s);
}

/* Offset of the first lit in s, or -1. */
long
apiuri_span_find(struct apiuri_span s, const char *lit)
{
	size_t n = strlen(lit), i;

	for (i = 0; n <= s.n && i <= s.n - n; i++) {
		if (memcmp(s.p + i, lit, n) == 0)
			return ((long)i);
	}
	return (-1);
}

/* Split s at every ':' into at most max fields; -1 if there are more. */
int
apiuri_split_colons(
    struct apiuri_span s, struct apiuri_span *f, size_t max, size_t *nf)
{
	size_t i, start = 0;

	*nf = 0;
	for (i = 0; i <= s.n; i++) {
		if (i < s.n && s.p[i] != ':')
			continue;
		if (*nf == max)
			return (-1);
		f[*nf].p = s.p + start;
		f[*nf].n = i - start;
		(*nf)++;
		start = i + 1;
	}
	return (0);
}

/* Is c in [A-Za-z0-9]? */
int
apiuri_is_alnum(char c)
{
	return ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		(c >= '0' && c <= '9'));
}

/*
 * Length of the ${stageVariables.NAME} reference at the start of s: 0 when
 * s does not start with "${stageVariables.", -1 when it does but the
 * reference is unterminated or NAME is not [A-Za-z0-9_]+.
 */
long
apiuri_ref_len(struct apiuri_span s)
{
	size_t i, plen = strlen(APIURI_REF_PREFIX);

	if (!apiuri_span_starts(s, APIURI_REF_PREFIX))
		return (0);
	for (i = plen; i < s.n && s.p[i] != '}'; i++) {
		if (!apiuri_is_alnum(s.p[i]) && s.p[i] != '_')
			return (-1);
	}
	if (i == s.n || i == plen)
		return (-1);
	return ((long)(i + 1));
}

/* Is s a partition name: "aws" or "aws-" and lower-case letters/dashes? */
int
apiuri_valid_partition(struct apiuri_span s)
{
	size_t i;

	if (apiuri_span_eq(s, "aws"))
		return (1);
	if (!apiuri_span_starts(s, "aws-") || s.n > 32 || s.p[s.n - 1] == '-')
		return (0);
	for (i = 4; i < s.n; i++) {
		if (!(s.p[i] >= 'a' && s.p[i] <= 'z') && s.p[i] != '-')
			return (0);
	}
	return (1);
}

/* Is s a region name: 1-32 of [a-z0-9-]? */
int
apiuri_valid_region(struct apiuri_span s)
{
	size_t i;

	if (s.n == 0 || s.n > 32)
		return (0);
	for (i = 0; i < s.n; i++) {
		if (!(s.p[i] >= 'a' && s.p[i] <= 'z') &&
		    !(s.p[i] >= '0' && s.p[i] <= '9') && s.p[i] != '-')
			return (0);
	}
	return (1);
}

/* Is s a 12-digit account id? */
int
apiuri_valid_account(struct apiuri_span s)
{
	size_t i;

	if (s.n != 12)
		return (0);
	for (i = 0; i < s.n; i++) {
		if (s.p[i] < '0' || s.p[i] > '9')
			return (0);
	}
	return (1);
}

/* Copy a span into a new string, or NULL for a NULL span. */
char *
apiuri_span_dup(struct apiuri_span s)
{
	if (s.p == NULL)
		return (NULL);
	return (xstrndup(s.p, s.n));
}

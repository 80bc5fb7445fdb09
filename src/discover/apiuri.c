/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Lambda references in API Gateway integration URIs, stage variables and
 * access-log destination ARNs; see apiuri.h for the accepted forms.
 */

#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/xmalloc.h"
#include "discover/apiuri.h"

#define REF_PREFIX "${stageVariables."
#define MAX_FIELDS 8
#define SUBST_MAX 65536

/* A slice of a string: n bytes at p, not NUL-terminated. */
struct span {
	const char *p;
	size_t n;
};

/* Make a span of a NUL-terminated string. */
static struct span
span_of(const char *s)
{
	struct span sp;

	sp.p = s;
	sp.n = strlen(s);
	return (sp);
}

/* Does the span hold exactly the string lit? */
static int
span_eq(struct span s, const char *lit)
{
	return (s.n == strlen(lit) && memcmp(s.p, lit, s.n) == 0);
}

/* Does the span start with the string lit? */
static int
span_starts(struct span s, const char *lit)
{
	size_t n = strlen(lit);

	return (s.n >= n && memcmp(s.p, lit, n) == 0);
}

/* Does the span end with the string lit? */
static int
span_ends(struct span s, const char *lit)
{
	size_t n = strlen(lit);

	return (s.n >= n && memcmp(s.p + s.n - n, lit, n) == 0);
}

/* The part of s from offset off on. */
static struct span
span_from(struct span s, size_t off)
{
	s.p += off;
	s.n -= off;
	return (s);
}

/* Offset of the first lit in s, or -1. */
static long
span_find(struct span s, const char *lit)
{
	size_t n = strlen(lit), i;

	for (i = 0; n <= s.n && i <= s.n - n; i++) {
		if (memcmp(s.p + i, lit, n) == 0)
			return ((long)i);
	}
	return (-1);
}

/* Split s at every ':' into at most max fields; -1 if there are more. */
static int
split_colons(struct span s, struct span *f, size_t max, size_t *nf)
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
static int
is_alnum(char c)
{
	return ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		(c >= '0' && c <= '9'));
}

/*
 * Length of the ${stageVariables.NAME} reference at the start of s: 0 when
 * s does not start with "${stageVariables.", -1 when it does but the
 * reference is unterminated or NAME is not [A-Za-z0-9_]+.
 */
static long
ref_len(struct span s)
{
	size_t i, plen = strlen(REF_PREFIX);

	if (!span_starts(s, REF_PREFIX))
		return (0);
	for (i = plen; i < s.n && s.p[i] != '}'; i++) {
		if (!is_alnum(s.p[i]) && s.p[i] != '_')
			return (-1);
	}
	if (i == s.n || i == plen)
		return (-1);
	return ((long)(i + 1));
}

/*
 * Check a function name (qual == 0) or qualifier (qual == 1) that may hold
 * stage variable references; set *unresolved if it does. Return 0, -1 for
 * a bad character or length, -2 for a bad ${...} reference.
 */
static int
valid_ref_part(struct span s, int qual, int *unresolved)
{
	size_t i = 0, literal = 0;
	long r;
	char c;

	if (s.n == 0)
		return (-1);
	while (i < s.n) {
		c = s.p[i];
		if (c == '$' && i + 1 < s.n && s.p[i + 1] == '{') {
			r = ref_len(span_from(s, i));
			if (r <= 0)
				return (-2);
			*unresolved = 1;
			i += (size_t)r;
			continue;
		}
		if (!is_alnum(c) && c != '-' && c != '_' && !(qual && c == '$'))
			return (-1);
		literal++;
		i++;
	}
	return (literal > (qual ? 128U : 64U) ? -1 : 0);
}

/* Is s a partition name: "aws" or "aws-" and lower-case letters/dashes? */
static int
valid_partition(struct span s)
{
	size_t i;

	if (span_eq(s, "aws"))
		return (1);
	if (!span_starts(s, "aws-") || s.n > 32 || s.p[s.n - 1] == '-')
		return (0);
	for (i = 4; i < s.n; i++) {
		if (!(s.p[i] >= 'a' && s.p[i] <= 'z') && s.p[i] != '-')
			return (0);
	}
	return (1);
}

/* Is s a region name: 1-32 of [a-z0-9-]? */
static int
valid_region(struct span s)
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
static int
valid_account(struct span s)
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
static char *
span_dup(struct span s)
{
	if (s.p == NULL)
		return (NULL);
	return (xstrndup(s.p, s.n));
}

/* Set *cause to a message naming what was wrong and return MALFORMED. */
static enum apiuri_kind
malformed(char **cause, const char *what, struct span s)
{
	*cause = xprintf("%s '%.*s'", what, (int)s.n, s.p);
	return (APIURI_MALFORMED);
}

/*
 * Read a function reference: a full or partial function ARN or a name with
 * an optional qualifier. At top level (the whole URI) an ARN of another
 * service or resource type is NOT_LAMBDA; inside an invocations path it is
 * malformed.
 */
static enum apiuri_kind
parse_ref(struct span ref, int top, struct apiuri_lambda *out, char **cause)
{
	struct span f[MAX_FIELDS], part = {NULL, 0}, region = {NULL, 0};
	struct span account = {NULL, 0}, name, qual = {NULL, 0};
	size_t nf;
	int unresolved = 0, rc;

	if (split_colons(ref, f, MAX_FIELDS, &nf) != 0)
		return (malformed(cause, "too many ':' in", ref));
	if (span_eq(f[0], "arn")) {
		if (nf >= 3 && !span_eq(f[2], "lambda") && top)
			return (APIURI_NOT_LAMBDA);
		if (nf >= 6 && !span_eq(f[5], "function") && top &&
		    span_eq(f[2], "lambda"))
			return (APIURI_NOT_LAMBDA);
		if (nf < 7 || !span_eq(f[2], "lambda") ||
		    !span_eq(f[5], "function"))
			return (
			    malformed(cause, "not a Lambda function ARN", ref));
		part = f[1];
		region = f[3];
		account = f[4];
		name = f[6];
		if (nf == 8)
			qual = f[7];
		if (!valid_partition(part))
			return (malformed(cause, "invalid partition", part));
		if (!valid_region(region))
			return (malformed(cause, "invalid region", region));
	} else if ((nf == 3 || nf == 4) && span_eq(f[1], "function")) {
		account = f[0];
		name = f[2];
		if (nf == 4)
			qual = f[3];
	} else if (nf == 1 || nf == 2) {
		name = f[0];
		if (nf == 2)
			qual = f[1];
	} else
		return (
		    malformed(cause, "not a Lambda function reference", ref));
	if (account.p != NULL && !valid_account(account))
		return (malformed(cause, "invalid account id", account));
	rc = valid_ref_part(name, 0, &unresolved);
	if (rc == 0 && qual.p != NULL) {
		rc = valid_ref_part(qual, 1, &unresolved);
		if (rc == -1)
			return (
			    malformed(cause, "invalid Lambda qualifier", qual));
	}
	if (rc == -2)
		return (malformed(cause,
		    "unterminated or invalid stage variable reference in",
		    ref));
	if (rc != 0)
		return (malformed(cause, "invalid Lambda function name", name));
	out->name = span_dup(name);
	out->qualifier = span_dup(qual);
	out->region = span_dup(region);
	out->account = span_dup(account);
	out->partition = span_dup(part);
	out->unresolved = unresolved;
	return (APIURI_LAMBDA);
}

/*
 * Read "VERSION/functions/REF/invocations" (the part after "path/" or the
 * host) and fill the region and partition from the outer URI when REF does
 * not carry them.
 */
static enum apiuri_kind
parse_invocations(struct span s, struct span region, struct span part,
    struct apiuri_lambda *out, char **cause)
{
	struct span ref;
	long slash;
	size_t i;
	enum apiuri_kind k;

	slash = span_find(s, "/");
	if (slash <= 0 ||
	    !span_starts(span_from(s, (size_t)slash + 1), "functions/"))
		return (APIURI_NOT_LAMBDA);
	for (i = 0; i < (size_t)slash; i++) {
		if (!is_alnum(s.p[i]) && strchr("._-", s.p[i]) == NULL)
			return (malformed(cause, "invalid API version in", s));
	}
	ref = span_from(s, (size_t)slash + 1 + strlen("functions/"));
	if (!span_ends(ref, "/invocations"))
		return (malformed(cause, "no '/invocations' at the end of", s));
	ref.n -= strlen("/invocations");
	if (ref.n == 0 || span_find(ref, "/") >= 0)
		return (malformed(cause, "invalid function reference", ref));
	k = parse_ref(ref, 0, out, cause);
	if (k != APIURI_LAMBDA)
		return (k);
	if (out->region == NULL)
		out->region = span_dup(region);
	if (out->partition == NULL && part.p != NULL)
		out->partition = span_dup(part);
	return (k);
}

/* Read arn:PART:apigateway:REGION:SERVICE:REST. */
static enum apiuri_kind
parse_apigateway(struct span s, struct apiuri_lambda *out, char **cause)
{
	struct span f[5], rest;
	size_t i, nf = 0, start = 0;

	for (i = 0; i < s.n && nf < 5; i++) {
		if (s.p[i] != ':')
			continue;
		f[nf].p = s.p + start;
		f[nf].n = i - start;
		nf++;
		start = i + 1;
	}
	if (nf < 5)
		return (malformed(cause, "incomplete API Gateway ARN", s));
	rest = span_from(s, start);
	if (!valid_partition(f[1]))
		return (malformed(cause, "invalid partition", f[1]));
	if (!valid_region(f[3]))
		return (malformed(cause, "invalid region", f[3]));
	if (!span_eq(f[4], "lambda"))
		return (APIURI_NOT_LAMBDA);
	if (span_find(rest, REF_PREFIX) >= 0 && !span_starts(rest, "path/"))
		return (malformed(
		    cause, "substitute stage variables first in", rest));
	if (!span_starts(rest, "path/"))
		return (APIURI_NOT_LAMBDA);
	return (parse_invocations(
	    span_from(rest, strlen("path/")), f[3], f[1], out, cause));
}

/* Does s start with a URI scheme (RFC 3986: ALPHA *( ALPHA / DIGIT / "+" /
 * "-" / "." )) and "://"? */
static int
has_scheme(struct span s)
{
	long end = span_find(s, "://");
	size_t i;

	if (end <= 0 || !((s.p[0] >= 'a' && s.p[0] <= 'z') ||
			    (s.p[0] >= 'A' && s.p[0] <= 'Z')))
		return (0);
	for (i = 1; i < (size_t)end; i++) {
		if (!is_alnum(s.p[i]) && strchr("+-.", s.p[i]) == NULL)
			return (0);
	}
	return (1);
}

/*
 * Read https://lambda.REGION.amazonaws.com[.cn]/VERSION/functions/...;
 * any other scheme or host is not Lambda.
 */
static enum apiuri_kind
parse_url(struct span s, struct apiuri_lambda *out, char **cause)
{
	struct span host, region, none = {NULL, 0};
	long scheme, slash;

	scheme = span_find(s, "://");
	if (!(scheme == 4 && span_starts(s, "http")) &&
	    !(scheme == 5 && span_starts(s, "https")))
		return (APIURI_NOT_LAMBDA);
	s = span_from(s, (size_t)scheme + 3);
	slash = span_find(s, "/");
	host = s;
	if (slash >= 0)
		host.n = (size_t)slash;
	if (!span_starts(host, "lambda."))
		return (APIURI_NOT_LAMBDA);
	region = span_from(host, strlen("lambda."));
	if (span_ends(region, ".amazonaws.com"))
		region.n -= strlen(".amazonaws.com");
	else if (span_ends(region, ".amazonaws.com.cn"))
		region.n -= strlen(".amazonaws.com.cn");
	else
		return (APIURI_NOT_LAMBDA);
	if (!valid_region(region))
		return (malformed(cause, "invalid region", region));
	if (slash < 0)
		return (malformed(cause, "no function in", s));
	return (parse_invocations(
	    span_from(s, (size_t)slash + 1), region, none, out, cause));
}

/* Is s an ARN of service apigateway (arn:PART:apigateway:...)? */
static int
is_apigateway_arn(struct span s)
{
	long colon;

	if (!span_starts(s, "arn:"))
		return (0);
	s = span_from(s, 4);
	colon = span_find(s, ":");
	if (colon < 0)
		return (0);
	return (span_starts(span_from(s, (size_t)colon + 1), "apigateway:"));
}

/* Read the Lambda function a URI names; see apiuri.h. */
enum apiuri_kind
apiuri_parse_lambda(const char *uri, struct apiuri_lambda *out, char **cause)
{
	struct span s = span_of(uri);
	enum apiuri_kind k;

	memset(out, 0, sizeof(*out));
	*cause = NULL;
	if (s.n == 0)
		k = malformed(cause, "empty URI", s);
	else if (is_apigateway_arn(s))
		k = parse_apigateway(s, out, cause);
	else if (has_scheme(s))
		k = parse_url(s, out, cause);
	else
		k = parse_ref(s, 1, out, cause);
	if (k != APIURI_LAMBDA)
		apiuri_lambda_free(out);
	return (k);
}

/* Free the strings of a parsed Lambda reference. */
void
apiuri_lambda_free(struct apiuri_lambda *l)
{
	if (l == NULL)
		return;
	free(l->name);
	free(l->qualifier);
	free(l->region);
	free(l->account);
	free(l->partition);
	memset(l, 0, sizeof(*l));
}

/* Add name to the missing list unless it is there already. */
static void
add_missing(char ***missing, size_t *nmissing, struct span name)
{
	size_t i;

	for (i = 0; i < *nmissing; i++) {
		if (span_eq(name, (*missing)[i]))
			return;
	}
	*missing = xreallocarray(*missing, *nmissing + 1, sizeof(**missing));
	(*missing)[(*nmissing)++] = span_dup(name);
}

/* Find a variable by name in vars, or NULL. */
static const struct apiuri_var *
find_var(const struct apiuri_var *vars, size_t nvars, struct span name)
{
	size_t i;

	for (i = 0; i < nvars; i++) {
		if (vars[i].name != NULL && vars[i].value != NULL &&
		    span_eq(name, vars[i].name))
			return (&vars[i]);
	}
	return (NULL);
}

/* Substitute stage variables; see apiuri.h. */
int
apiuri_substitute(const char *uri, const struct apiuri_var *vars, size_t nvars,
    char **out, char ***missing, size_t *nmissing, char **cause)
{
	struct span s = span_of(uri), name;
	const struct apiuri_var *v;
	struct buf b;
	char **miss = NULL;
	size_t nmiss = 0, i = 0, plen = strlen(REF_PREFIX);
	long r;
	int rc = -1;

	*out = NULL;
	*cause = NULL;
	buf_init(&b, SUBST_MAX);
	while (i < s.n) {
		r = ref_len(span_from(s, i));
		if (r < 0) {
			*cause = xprintf("unterminated or invalid stage "
					 "variable reference in '%s'",
			    uri);
			goto out;
		}
		if (r == 0) {
			if (buf_addc(&b, s.p[i]) != 0)
				goto toolong;
			i++;
			continue;
		}
		name.p = s.p + i + plen;
		name.n = (size_t)r - plen - 1;
		v = find_var(vars, nvars, name);
		if (v != NULL) {
			if (buf_adds(&b, v->value) != 0)
				goto toolong;
		} else {
			add_missing(&miss, &nmiss, name);
			if (buf_add(&b, s.p + i, (size_t)r) != 0)
				goto toolong;
		}
		i += (size_t)r;
	}
	*out = buf_take(&b, NULL);
	rc = 0;
	goto out;
toolong:
	*cause =
	    xprintf("URI longer than %d bytes after substitution", SUBST_MAX);
out:
	buf_free(&b);
	if (rc == 0 && missing != NULL) {
		*missing = miss;
		*nmissing = nmiss;
	} else {
		apiuri_missing_free(miss, nmiss);
		if (missing != NULL) {
			*missing = NULL;
			*nmissing = 0;
		}
	}
	return (rc);
}

/* Free a list of missing variable names. */
void
apiuri_missing_free(char **missing, size_t nmissing)
{
	size_t i;

	for (i = 0; i < nmissing; i++)
		free(missing[i]);
	free(missing);
}

/* Is s a log group name: 1-512 of [.-_/#A-Za-z0-9]? */
static int
valid_log_group(struct span s)
{
	size_t i;

	if (s.n == 0 || s.n > 512)
		return (0);
	for (i = 0; i < s.n; i++) {
		if (!is_alnum(s.p[i]) && strchr(".-_/#", s.p[i]) == NULL)
			return (0);
	}
	return (1);
}

/* Is s a delivery stream name: 1-64 of [A-Za-z0-9_.-]? */
static int
valid_stream(struct span s)
{
	size_t i;

	if (s.n == 0 || s.n > 64)
		return (0);
	for (i = 0; i < s.n; i++) {
		if (!is_alnum(s.p[i]) && strchr("_.-", s.p[i]) == NULL)
			return (0);
	}
	return (1);
}

/* Read an access-log destination ARN; see apiuri.h. */
enum apiuri_dest_kind
apiuri_parse_destination(const char *arn, struct apiuri_dest *out, char **cause)
{
	struct span s = span_of(arn), f[MAX_FIELDS], name;
	size_t nf;
	enum apiuri_dest_kind k;

	memset(out, 0, sizeof(*out));
	*cause = NULL;
	if (split_colons(s, f, MAX_FIELDS, &nf) != 0 || nf < 6 ||
	    !span_eq(f[0], "arn") || !valid_partition(f[1]) ||
	    !valid_region(f[3]) || !valid_account(f[4]))
		goto bad;
	if (span_eq(f[2], "logs") && (nf == 7 || nf == 8) &&
	    span_eq(f[5], "log-group") && valid_log_group(f[6]) &&
	    (nf == 7 || span_eq(f[7], "*"))) {
		k = APIURI_DEST_LOGS;
		name = f[6];
	} else if (span_eq(f[2], "firehose") && nf == 6 &&
		   span_starts(f[5], "deliverystream/") &&
		   valid_stream(span_from(f[5], strlen("deliverystream/")))) {
		k = APIURI_DEST_FIREHOSE;
		name = span_from(f[5], strlen("deliverystream/"));
	} else
		goto bad;
	out->name = span_dup(name);
	out->region = span_dup(f[3]);
	out->account = span_dup(f[4]);
	out->partition = span_dup(f[1]);
	return (k);
bad:
	*cause = xprintf("not a CloudWatch Logs log group or Firehose "
			 "delivery stream ARN: '%s'",
	    arn);
	return (APIURI_DEST_MALFORMED);
}

/* Free the strings of a parsed destination. */
void
apiuri_dest_free(struct apiuri_dest *d)
{
	if (d == NULL)
		return;
	free(d->name);
	free(d->region);
	free(d->account);
	free(d->partition);
	memset(d, 0, sizeof(*d));
}

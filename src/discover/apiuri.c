/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Lambda references in API Gateway integration URIs and stage variables, and
 * stage-variable substitution; see apiuri.h for the accepted forms. The
 * access-log destination ARNs are apiuri_dest.c, the spans apiuri_span.c.
 */

#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/xmalloc.h"
#include "discover/apiuri.h"
#include "discover/apiuri_int.h"

#define SUBST_MAX 65536

/*
 * Check a function name (qual == 0) or qualifier (qual == 1) that may hold
 * stage variable references; set *unresolved if it does. Return 0, -1 for
 * a bad character or length, -2 for a bad ${...} reference.
 */
static int
valid_ref_part(struct apiuri_span s, int qual, int *unresolved)
{
	size_t i = 0, literal = 0;
	long r;
	char c;

	if (s.n == 0)
		return (-1);
	while (i < s.n) {
		c = s.p[i];
		if (c == '$' && i + 1 < s.n && s.p[i + 1] == '{') {
			r = apiuri_ref_len(apiuri_span_from(s, i));
			if (r <= 0)
				return (-2);
			*unresolved = 1;
			i += (size_t)r;
			continue;
		}
		if (!apiuri_is_alnum(c) && c != '-' && c != '_' &&
		    !(qual && c == '$'))
			return (-1);
		literal++;
		i++;
	}
	return (literal > (qual ? 128U : 64U) ? -1 : 0);
}

/* Set *cause to a message naming what was wrong and return MALFORMED. */
static enum apiuri_kind
malformed(char **cause, const char *what, struct apiuri_span s)
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
parse_ref(
    struct apiuri_span ref, int top, struct apiuri_lambda *out, char **cause)
{
	struct apiuri_span f[APIURI_MAX_FIELDS], part = {NULL, 0},
						 region = {NULL, 0};
	struct apiuri_span account = {NULL, 0}, name, qual = {NULL, 0};
	size_t nf;
	int unresolved = 0, rc;

	if (apiuri_split_colons(ref, f, APIURI_MAX_FIELDS, &nf) != 0)
		return (malformed(cause, "too many ':' in", ref));
	if (apiuri_span_eq(f[0], "arn")) {
		if (nf >= 3 && !apiuri_span_eq(f[2], "lambda") && top)
			return (APIURI_NOT_LAMBDA);
		if (nf >= 6 && !apiuri_span_eq(f[5], "function") && top &&
		    apiuri_span_eq(f[2], "lambda"))
			return (APIURI_NOT_LAMBDA);
		if (nf < 7 || !apiuri_span_eq(f[2], "lambda") ||
		    !apiuri_span_eq(f[5], "function"))
			return (
			    malformed(cause, "not a Lambda function ARN", ref));
		part = f[1];
		region = f[3];
		account = f[4];
		name = f[6];
		if (nf == 8)
			qual = f[7];
		if (!apiuri_valid_partition(part))
			return (malformed(cause, "invalid partition", part));
		if (!apiuri_valid_region(region))
			return (malformed(cause, "invalid region", region));
	} else if ((nf == 3 || nf == 4) && apiuri_span_eq(f[1], "function")) {
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
	if (account.p != NULL && !apiuri_valid_account(account))
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
	out->name = apiuri_span_dup(name);
	out->qualifier = apiuri_span_dup(qual);
	out->region = apiuri_span_dup(region);
	out->account = apiuri_span_dup(account);
	out->partition = apiuri_span_dup(part);
	out->unresolved = unresolved;
	return (APIURI_LAMBDA);
}

/*
 * Read "VERSION/functions/REF/invocations" (the part after "path/" or the
 * host) and fill the region and partition from the outer URI when REF does
 * not carry them.
 */
static enum apiuri_kind
parse_invocations(struct apiuri_span s, struct apiuri_span region,
    struct apiuri_span part, struct apiuri_lambda *out, char **cause)
{
	struct apiuri_span ref;
	long slash;
	size_t i;
	enum apiuri_kind k;

	slash = apiuri_span_find(s, "/");
	if (slash <= 0 ||
	    !apiuri_span_starts(
		apiuri_span_from(s, (size_t)slash + 1), "functions/"))
		return (APIURI_NOT_LAMBDA);
	for (i = 0; i < (size_t)slash; i++) {
		if (!apiuri_is_alnum(s.p[i]) && strchr("._-", s.p[i]) == NULL)
			return (malformed(cause, "invalid API version in", s));
	}
	ref = apiuri_span_from(s, (size_t)slash + 1 + strlen("functions/"));
	if (!apiuri_span_ends(ref, "/invocations"))
		return (malformed(cause, "no '/invocations' at the end of", s));
	ref.n -= strlen("/invocations");
	if (ref.n == 0 || apiuri_span_find(ref, "/") >= 0)
		return (malformed(cause, "invalid function reference", ref));
	k = parse_ref(ref, 0, out, cause);
	if (k != APIURI_LAMBDA)
		return (k);
	if (out->region == NULL)
		out->region = apiuri_span_dup(region);
	if (out->partition == NULL && part.p != NULL)
		out->partition = apiuri_span_dup(part);
	return (k);
}

/* Read arn:PART:apigateway:REGION:SERVICE:REST. */
static enum apiuri_kind
parse_apigateway(struct apiuri_span s, struct apiuri_lambda *out, char **cause)
{
	struct apiuri_span f[5], rest;
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
	rest = apiuri_span_from(s, start);
	if (!apiuri_valid_partition(f[1]))
		return (malformed(cause, "invalid partition", f[1]));
	if (!apiuri_valid_region(f[3]))
		return (malformed(cause, "invalid region", f[3]));
	if (!apiuri_span_eq(f[4], "lambda"))
		return (APIURI_NOT_LAMBDA);
	if (apiuri_span_find(rest, APIURI_REF_PREFIX) >= 0 &&
	    !apiuri_span_starts(rest, "path/"))
		return (malformed(
		    cause, "substitute stage variables first in", rest));
	if (!apiuri_span_starts(rest, "path/"))
		return (APIURI_NOT_LAMBDA);
	return (parse_invocations(
	    apiuri_span_from(rest, strlen("path/")), f[3], f[1], out, cause));
}

/* Does s start with a URI scheme (RFC 3986: ALPHA *( ALPHA / DIGIT / "+" /
 * "-" / "." )) and "://"? */
static int
has_scheme(struct apiuri_span s)
{
	long end = apiuri_span_find(s, "://");
	size_t i;

	if (end <= 0 || !((s.p[0] >= 'a' && s.p[0] <= 'z') ||
			    (s.p[0] >= 'A' && s.p[0] <= 'Z')))
		return (0);
	for (i = 1; i < (size_t)end; i++) {
		if (!apiuri_is_alnum(s.p[i]) && strchr("+-.", s.p[i]) == NULL)
			return (0);
	}
	return (1);
}

/*
 * Read https://lambda.REGION.amazonaws.com[.cn]/VERSION/functions/...;
 * any other scheme or host is not Lambda.
 */
static enum apiuri_kind
parse_url(struct apiuri_span s, struct apiuri_lambda *out, char **cause)
{
	struct apiuri_span host, region, none = {NULL, 0};
	long scheme, slash;

	scheme = apiuri_span_find(s, "://");
	if (!(scheme == 4 && apiuri_span_starts(s, "http")) &&
	    !(scheme == 5 && apiuri_span_starts(s, "https")))
		return (APIURI_NOT_LAMBDA);
	s = apiuri_span_from(s, (size_t)scheme + 3);
	slash = apiuri_span_find(s, "/");
	host = s;
	if (slash >= 0)
		host.n = (size_t)slash;
	if (!apiuri_span_starts(host, "lambda."))
		return (APIURI_NOT_LAMBDA);
	region = apiuri_span_from(host, strlen("lambda."));
	if (apiuri_span_ends(region, ".amazonaws.com"))
		region.n -= strlen(".amazonaws.com");
	else if (apiuri_span_ends(region, ".amazonaws.com.cn"))
		region.n -= strlen(".amazonaws.com.cn");
	else
		return (APIURI_NOT_LAMBDA);
	if (!apiuri_valid_region(region))
		return (malformed(cause, "invalid region", region));
	if (slash < 0)
		return (malformed(cause, "no function in", s));
	return (parse_invocations(
	    apiuri_span_from(s, (size_t)slash + 1), region, none, out, cause));
}

/* Is s an ARN of service apigateway (arn:PART:apigateway:...)? */
static int
is_apigateway_arn(struct apiuri_span s)
{
	long colon;

	if (!apiuri_span_starts(s, "arn:"))
		return (0);
	s = apiuri_span_from(s, 4);
	colon = apiuri_span_find(s, ":");
	if (colon < 0)
		return (0);
	return (apiuri_span_starts(
	    apiuri_span_from(s, (size_t)colon + 1), "apigateway:"));
}

/* Read the Lambda function a URI names; see apiuri.h. */
enum apiuri_kind
apiuri_parse_lambda(const char *uri, struct apiuri_lambda *out, char **cause)
{
	struct apiuri_span s = apiuri_span_of(uri);
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
add_missing(char ***missing, size_t *nmissing, struct apiuri_span name)
{
	size_t i;

	for (i = 0; i < *nmissing; i++) {
		if (apiuri_span_eq(name, (*missing)[i]))
			return;
	}
	*missing = xreallocarray(*missing, *nmissing + 1, sizeof(**missing));
	(*missing)[(*nmissing)++] = apiuri_span_dup(name);
}

/* Find a variable by name in vars, or NULL. */
static const struct apiuri_var *
find_var(const struct apiuri_var *vars, size_t nvars, struct apiuri_span name)
{
	size_t i;

	for (i = 0; i < nvars; i++) {
		if (vars[i].name != NULL && vars[i].value != NULL &&
		    apiuri_span_eq(name, vars[i].name))
			return (&vars[i]);
	}
	return (NULL);
}

/* Substitute stage variables; see apiuri.h. */
int
apiuri_substitute(const char *uri, const struct apiuri_var *vars, size_t nvars,
    char **out, char ***missing, size_t *nmissing, char **cause)
{
	struct apiuri_span s = apiuri_span_of(uri), name;
	const struct apiuri_var *v;
	struct buf b;
	char **miss = NULL;
	size_t nmiss = 0, i = 0, plen = strlen(APIURI_REF_PREFIX);
	long r;
	int rc = -1;

	*out = NULL;
	*cause = NULL;
	buf_init(&b, SUBST_MAX);
	while (i < s.n) {
		r = apiuri_ref_len(apiuri_span_from(s, i));
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

/* SPDX-License-Identifier: Apache-2.0 */
/* Log groups as the user names them; see groupspec.h. */

#define PCRE2_CODE_UNIT_WIDTH 8

#include <stdlib.h>
#include <string.h>

#include <pcre2.h>

#include "core/xmalloc.h"
#include "logs/groupspec.h"

/* Characters that make a value a regex: none is a log group name's. */
#define GROUPSPEC_META "*?+()[]{}|^$\\"

/* The regex characters that end a literal prefix ('.' among them). */
#define GROUPSPEC_RE_SPECIAL "\\.^$|?*+()[]{}"

/* The literal prefix of a regex; see groupspec.h. */
char *
groupspec_literal_prefix(const char *re)
{
	size_t n = 0;

	if (strchr(re, '|') != NULL)
		return (xstrdup(""));
	while (re[n] != '\0' && strchr(GROUPSPEC_RE_SPECIAL, re[n]) == NULL)
		n++;
	/* A quantifier applies to the character before it. */
	if (n > 0 && (re[n] == '?' || re[n] == '*' || re[n] == '{'))
		n--;
	return (xstrndup(re, n));
}

/* Is group an ARN? */
int
groupspec_is_arn(const char *group)
{
	return (strncmp(group, "arn:", 4) == 0);
}

/* The group name and account of a log group ARN; see groupspec.h. */
const char *
groupspec_arn_name(
    const char *arn, size_t *len, const char **acct, size_t *acct_len)
{
	const char *p = arn, *a;
	int i;

	if (!groupspec_is_arn(arn))
		return (NULL);
	/* arn:PARTITION:logs:REGION: then ACCOUNT:log-group:NAME[:*] */
	for (i = 0; i < 4; i++) {
		p = strchr(p, ':');
		if (p == NULL)
			return (NULL);
		p++;
	}
	a = p;
	p = strchr(p, ':');
	if (p == NULL || strncmp(p, ":log-group:", 11) != 0)
		return (NULL);
	if (acct != NULL) {
		*acct = a;
		*acct_len = (size_t)(p - a);
	}
	p += 11;
	*len = strcspn(p, ":");
	return (p);
}

/* Does a group reference name the group of a Logs Insights row (or the
 * same group as another reference)? See groupspec.h. */
int
groupspec_same(const char *ref, const char *log)
{
	const char *name, *acct = NULL, *lname, *lacct = NULL, *c;
	size_t len, alen = 0, llen, lalen = 0;

	name = groupspec_arn_name(ref, &len, &acct, &alen);
	if (name == NULL) {
		name = ref;
		len = strlen(ref);
	}
	lname = groupspec_arn_name(log, &llen, &lacct, &lalen);
	if (lname == NULL) {
		/* "ACCOUNT:NAME" or NAME */
		c = strchr(log, ':');
		lname = c != NULL ? c + 1 : log;
		llen = strlen(lname);
		lacct = c != NULL ? log : NULL;
		lalen = c != NULL ? (size_t)(c - log) : 0;
	}
	if (acct != NULL && lacct != NULL && alen > 0 && lalen > 0 &&
	    (alen != lalen || strncmp(acct, lacct, alen) != 0))
		return (0);
	return (llen == len && strncmp(lname, name, len) == 0);
}

/*
 * The offset of the ':' that starts a STREAM_REGEX in s: the first one
 * outside parentheses and brackets and not escaped; or strlen(s).
 */
static size_t
groupspec_split(const char *s)
{
	size_t i;
	int depth = 0, bracket = 0;

	for (i = 0; s[i] != '\0'; i++) {
		if (s[i] == '\\' && s[i + 1] != '\0') {
			i++;
			continue;
		}
		if (bracket) {
			if (s[i] == ']')
				bracket = 0;
			continue;
		}
		if (s[i] == '[')
			bracket = 1;
		else if (s[i] == '(')
			depth++;
		else if (s[i] == ')' && depth > 0)
			depth--;
		else if (s[i] == ':' && depth == 0)
			return (i);
	}
	return (i);
}

/* Parse arn:PARTITION:logs:REGION:ACCOUNT:log-group:NAME[:*][:STREAM]. */
static int
groupspec_arn(const char *arg, struct groupspec *gs, char **cause)
{
	const char *f[6], *p = arg, *name, *end;
	size_t i, len[6];

	for (i = 0; i < 6; i++) {
		f[i] = p;
		p = strchr(p, ':');
		if (p == NULL)
			goto bad;
		len[i] = (size_t)(p - f[i]);
		p++;
	}
	if (len[1] == 0 || len[2] != 4 || strncmp(f[2], "logs", 4) != 0 ||
	    len[3] == 0 || len[4] != 12 || len[5] != 9 ||
	    strncmp(f[5], "log-group", 9) != 0)
		goto bad;
	for (i = 0; i < 12; i++) {
		if (f[4][i] < '0' || f[4][i] > '9')
			goto bad;
	}
	name = p;
	end = name + strcspn(name, ":");
	if (end == name)
		goto bad;
	for (p = name; p < end; p++) {
		if (strchr("._-/#", *p) == NULL &&
		    !((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
			(*p >= '0' && *p <= '9')))
			goto bad;
	}
	gs->kind = GROUPSPEC_ARN;
	gs->group = xstrndup(arg, (size_t)(end - arg));
	gs->region = xstrndup(f[3], len[3]);
	p = end;
	if (strncmp(p, ":*", 2) == 0 && (p[2] == '\0' || p[2] == ':'))
		p += 2;
	if (*p == ':' && p[1] != '\0')
		gs->stream = xstrdup(p + 1);
	else if (*p != '\0')
		goto bad;
	return (0);
bad:
	groupspec_free(gs);
	*cause = xprintf("bad log group ARN '%s' (expected arn:aws:logs:"
			 "REGION:ACCOUNT:log-group:NAME)",
	    arg);
	return (-1);
}

/* Parse a group reference; see groupspec.h. */
int
groupspec_parse(const char *arg, struct groupspec *gs, char **cause)
{
	PCRE2_UCHAR msg[256];
	PCRE2_SIZE off;
	size_t n, i;
	int err, meta = 0, printable = 1;

	memset(gs, 0, sizeof *gs);
	if (groupspec_is_arn(arg))
		return (groupspec_arn(arg, gs, cause));
	n = groupspec_split(arg);
	if (arg[n] == ':' && arg[n + 1] != '\0')
		gs->stream = xstrdup(arg + n + 1);
	gs->group = xstrndup(arg, n);
	if (n == 0) {
		groupspec_free(gs);
		*cause = xprintf("empty log group name in '%s'", arg);
		return (-1);
	}
	for (i = 0; i < n; i++) {
		if (strchr(GROUPSPEC_META, arg[i]) != NULL &&
		    !(i == n - 1 && arg[i] == '*' && i > 0 &&
			arg[i - 1] != '.'))
			meta = 1;
		/* Only a name (from an emulator) has other bytes. */
		if ((unsigned char)arg[i] < 0x20 ||
		    (unsigned char)arg[i] > 0x7e)
			printable = 0;
	}
	meta &= printable;
	if (!meta && arg[n - 1] == '*') {
		gs->kind = GROUPSPEC_PREFIX;
		gs->group[n - 1] = '\0';
		return (0);
	}
	if (!meta) {
		gs->kind = GROUPSPEC_NAME;
		return (0);
	}
	gs->kind = GROUPSPEC_REGEX;
	gs->re = pcre2_compile((PCRE2_SPTR)gs->group, n,
	    PCRE2_UTF | PCRE2_ANCHORED | PCRE2_ENDANCHORED, &err, &off, NULL);
	if (gs->re == NULL) {
		pcre2_get_error_message(err, msg, sizeof msg);
		*cause = xprintf("bad log group regex '%s': %s at offset %zu",
		    gs->group, (char *)msg, (size_t)off);
		groupspec_free(gs);
		return (-1);
	}
	gs->list_prefix = groupspec_literal_prefix(gs->group);
	return (0);
}

/* Does name match a REGEX spec as a whole? */
int
groupspec_match(const struct groupspec *gs, const char *name)
{
	pcre2_match_data *md;
	int rc;

	if (gs->re == NULL)
		return (0);
	md = pcre2_match_data_create_from_pattern(gs->re, NULL);
	rc =
	    pcre2_match(gs->re, (PCRE2_SPTR)name, strlen(name), 0, 0, md, NULL);
	pcre2_match_data_free(md);
	return (rc >= 0);
}

/* Free a spec. */
void
groupspec_free(struct groupspec *gs)
{
	free(gs->group);
	free(gs->stream);
	free(gs->list_prefix);
	free(gs->region);
	pcre2_code_free(gs->re);
	memset(gs, 0, sizeof *gs);
}

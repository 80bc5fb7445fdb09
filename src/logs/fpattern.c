/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Filter patterns of unstructured events, the forms AWS documents
 * ("Filter pattern syntax for metric filters, subscription filters,
 * filter log events, and Live Tail"): terms are case-sensitive and must
 * all appear (`ERROR timeout`), `?a ?b` matches any of them, `-a` excludes
 * events holding a, and a term with anything but letters, digits and '_'
 * is a quoted phrase (`"Task timed out"`). A term is matched as a
 * substring of the message, which is what Insights `like "..."` does
 * (case-sensitive), so each form has an exact Insights counterpart.
 *
 * Everything else is refused with a reason, and the read stays on
 * FilterLogEvents: JSON patterns (Insights reads JSON through field
 * discovery, flattened and capped at 200 fields per event, so a field
 * FilterLogEvents compares may not exist for Insights), space-delimited
 * patterns (`[a, ..., b>1]`: no exact `parse` form for `...`, quoted and
 * bracketed fields), %regex% (a different regex dialect), ?terms mixed
 * with other terms and patterns of -terms only (meaning undocumented).
 */

#include <stdlib.h>
#include <string.h>

#include "core/utf8.h"
#include "core/xmalloc.h"
#include "logs/fpattern.h"

/* A character of an unquoted term (letters, digits, '_'). */
static int
fpattern_word_char(char c)
{
	return ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		(c >= '0' && c <= '9') || c == '_');
}

/* Free a pattern; see fpattern.h. */
void
fpattern_free(struct fpattern *p)
{
	size_t i;

	if (p == NULL)
		return;
	for (i = 0; i < p->n; i++)
		free(p->t[i].text);
	free(p->t);
	memset(p, 0, sizeof *p);
}

/* Why a pattern starting with c has no exact Insights form, or NULL. */
static const char *
fpattern_form(char c)
{
	switch (c) {
	case '{':
		return ("a JSON pattern has no exact Logs Insights form");
	case '[':
		return ("a space-delimited pattern has no exact Logs "
			"Insights form");
	case '%':
		return ("a %regex% pattern has no exact Logs Insights form");
	default:
		return (NULL);
	}
}

/*
 * Read one term at *pp (after its ?/- prefix) into t. Returns 0, or -1
 * with *why.
 */
static int
fpattern_term(const char **pp, struct fpattern_term *t, char **why)
{
	const char *p = *pp, *q;
	size_t i;

	if (*p == '"') {
		q = strchr(p + 1, '"');
		if (q == NULL || q == p + 1 ||
		    (q[1] != '\0' && q[1] != ' ' && q[1] != '\t')) {
			*why = xstrdup("a quoted phrase must be closed, not "
				       "empty, and followed by a space");
			return (-1);
		}
		for (i = 1; p + i < q; i++) {
			if (p[i] == '\\' || (unsigned char)p[i] < 0x20 ||
			    p[i] == 0x7f) {
				*why = xstrdup("a quoted phrase with a "
					       "backslash or a control "
					       "character does not translate");
				return (-1);
			}
		}
		t->len = (size_t)(q - p - 1);
		if (utf8_valid(p + 1, t->len) != t->len) {
			*why = xstrdup("a quoted phrase is not valid UTF-8");
			return (-1);
		}
		t->text = xstrndup(p + 1, t->len);
		*pp = q + 1;
		return (0);
	}
	for (q = p; fpattern_word_char(*q); q++)
		;
	if (q == p || (*q != '\0' && *q != ' ' && *q != '\t')) {
		*why = xprintf("'%c' outside quotes: only words, \"phrases\", "
			       "?term and -term translate",
		    q == p && *q == '\0' ? ' ' : *q);
		return (-1);
	}
	t->len = (size_t)(q - p);
	t->text = xstrndup(p, t->len);
	*pp = q;
	return (0);
}

/* Parse a filter pattern; see fpattern.h. */
int
fpattern_parse(const char *s, struct fpattern *out, char **why)
{
	const char *p = s != NULL ? s : "", *form;
	size_t nor = 0, nneg = 0;
	char c;

	memset(out, 0, sizeof *out);
	*why = NULL;
	while (*p == ' ' || *p == '\t')
		p++;
	form = fpattern_form(*p);
	if (form != NULL) {
		*why = xstrdup(form);
		return (-1);
	}
	out->t = xcalloc(FPATTERN_MAX_TERMS, sizeof *out->t);
	for (;;) {
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p == '\0')
			break;
		if (out->n == FPATTERN_MAX_TERMS) {
			*why =
			    xprintf("more than %d terms", FPATTERN_MAX_TERMS);
			goto fail;
		}
		c = *p;
		if (c == '?' || c == '-')
			p++;
		if (fpattern_term(&p, &out->t[out->n], why) != 0)
			goto fail;
		out->t[out->n].negate = c == '-';
		nor += c == '?';
		nneg += c == '-';
		out->n++;
	}
	if (out->n == 0)
		out->op = FPATTERN_ALL;
	else if (nor == out->n)
		out->op = FPATTERN_OR;
	else if (nor > 0) {
		*why = xstrdup("?terms mixed with other terms have no "
			       "documented meaning");
		goto fail;
	} else if (nneg == out->n) {
		*why = xstrdup("a pattern of -terms only has no documented "
			       "meaning");
		goto fail;
	} else
		out->op = FPATTERN_AND;
	return (0);
fail:
	fpattern_free(out);
	return (-1);
}

/* Match a message; see fpattern.h. */
int
fpattern_match(const struct fpattern *p, const char *msg, size_t len)
{
	const struct fpattern_term *t;
	size_t i;
	int hit;

	if (p == NULL || p->op == FPATTERN_ALL)
		return (1);
	for (i = 0; i < p->n; i++) {
		t = &p->t[i];
		hit = memmem(msg, len, t->text, t->len) != NULL;
		if (p->op == FPATTERN_OR && hit)
			return (1);
		if (p->op == FPATTERN_AND && hit == t->negate)
			return (0);
	}
	return (p->op == FPATTERN_AND);
}

/*
 * Append the Insights command; see fpattern.h. Term texts hold no '"',
 * '\\' or control character (fpattern_term), so a "..." literal needs no
 * escape; '/', '|', '`' and '%' are plain characters inside it.
 */
void
fpattern_insights(const struct fpattern *p, struct buf *b)
{
	size_t i;

	if (p == NULL || p->op == FPATTERN_ALL)
		return;
	buf_puts(b, " | filter ");
	for (i = 0; i < p->n; i++) {
		if (i > 0)
			buf_puts(b, p->op == FPATTERN_OR ? " or " : " and ");
		buf_puts(b, "@message ");
		if (p->t[i].negate)
			buf_puts(b, "not ");
		buf_puts(b, "like \"");
		buf_put(b, p->t[i].text, p->t[i].len);
		buf_putc(b, '"');
	}
}

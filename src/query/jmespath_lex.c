/* SPDX-License-Identifier: Apache-2.0 */
/*
 * JMESPath lexer: the whole expression becomes an array of tokens ending
 * in TOK_EOF. Quoted identifiers and JSON literals are decoded by jansson,
 * so every JSON escape (\uXXXX with surrogate pairs included) works.
 */

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/utf8.h"
#include "query/jmespath_int.h"

struct lexer {
	const char *expr;
	size_t len;
	size_t i;
	struct jmespath_token *toks;
	size_t ntoks;
	size_t cap;
	struct jmespath_error *err;
};

/* Numbers beyond this are clamped; no JSON array can be that long. */
#define LEX_NUM_MAX ((int64_t)1 << 53)

/* Append a token of type covering [pos, pos + len) and return it. */
static struct jmespath_token *
lex_push(struct lexer *lx, enum jmespath_tok type, size_t pos, size_t len)
{
	struct jmespath_token *t;

	if (lx->ntoks == lx->cap) {
		lx->cap = lx->cap == 0 ? 16 : lx->cap * 2;
		lx->toks =
		    jmespath_xreallocarray(lx->toks, lx->cap, sizeof *lx->toks);
	}
	t = &lx->toks[lx->ntoks++];
	memset(t, 0, sizeof *t);
	t->type = type;
	t->pos = pos;
	t->len = len;
	return (t);
}

/* Report a lexical error at pos. */
static int
lex_error(struct lexer *lx, size_t pos, const char *what)
{
	jmespath_seterr(
	    lx->err, JMESPATH_ERR_SYNTAX, pos, "%s at position %zu", what, pos);
	return (-1);
}

/*
 * Read a delimited lexeme starting at the opening delimiter at lx->i, the
 * way the reference implementation does: a backslash keeps itself and the
 * byte after it, and an escaped delimiter is turned into the delimiter
 * alone when unescape is set. Return the bytes (caller frees) or NULL on
 * an unterminated lexeme.
 */
static char *
lex_until(struct lexer *lx, char delim, int unescape, size_t *outlen)
{
	struct jmespath_sbuf b = {NULL, 0, 0};
	size_t start = lx->i;
	char c;

	jmespath_sbuf_add(&b, "", 0);
	lx->i++;
	while (lx->i < lx->len && lx->expr[lx->i] != delim) {
		c = lx->expr[lx->i];
		if (c == '\\' && lx->i + 1 < lx->len) {
			if (!unescape || lx->expr[lx->i + 1] != delim)
				jmespath_sbuf_addc(&b, c);
			lx->i++;
			c = lx->expr[lx->i];
		}
		jmespath_sbuf_addc(&b, c);
		lx->i++;
	}
	if (lx->i >= lx->len) {
		free(b.data);
		lex_error(lx, start,
		    delim == '"'    ? "unterminated quoted "
				      "identifier"
		    : delim == '\'' ? "unterminated raw string"
				    : "unterminated literal");
		return (NULL);
	}
	lx->i++;
	*outlen = b.len;
	return (b.data);
}

/*
 * Decode a JSON text with jansson, retrying big integers as reals. On
 * failure return NULL with jansson's reason in why.
 */
static json_t *
lex_json(const char *s, size_t len, char *why, size_t whysize)
{
	json_error_t jerr;
	json_t *v;
	size_t flags = JSON_DECODE_ANY | JSON_ALLOW_NUL;
	char *near;

	v = json_loadb(s, len, flags, &jerr);
	if (v == NULL && json_error_code(&jerr) == json_error_numeric_overflow)
		v = json_loadb(s, len, flags | JSON_DECODE_INT_AS_REAL, &jerr);
	if (v == NULL) {
		near = strstr(jerr.text, " near");
		if (near != NULL)
			*near = '\0';
		snprintf(why, whysize, "%s", jerr.text);
	}
	return (v);
}

/* "foo\n": a JSON string used as an identifier. */
static int
lex_quoted(struct lexer *lx)
{
	struct jmespath_sbuf b = {NULL, 0, 0};
	struct jmespath_token *t;
	size_t start = lx->i, len;
	char *raw, why[JSON_ERROR_TEXT_LENGTH] = "";
	json_t *v;

	raw = lex_until(lx, '"', 0, &len);
	if (raw == NULL)
		return (-1);
	jmespath_sbuf_addc(&b, '"');
	jmespath_sbuf_add(&b, raw, len);
	jmespath_sbuf_addc(&b, '"');
	free(raw);
	v = lex_json(b.data, b.len, why, sizeof why);
	free(b.data);
	if (v == NULL || !json_is_string(v)) {
		json_decref(v);
		jmespath_seterr(lx->err, JMESPATH_ERR_SYNTAX, start,
		    "invalid quoted identifier at position %zu: %s", start,
		    why);
		return (-1);
	}
	t = lex_push(lx, TOK_QUOTED, start, lx->i - start);
	t->slen = json_string_length(v);
	t->str = jmespath_xmemdup(json_string_value(v), t->slen);
	json_decref(v);
	return (0);
}

/* 'raw string': only \' is an escape. */
static int
lex_raw(struct lexer *lx)
{
	struct jmespath_token *t;
	size_t start = lx->i, len;
	char *raw;
	json_t *v;

	raw = lex_until(lx, '\'', 1, &len);
	if (raw == NULL)
		return (-1);
	v = json_stringn(raw, len);
	free(raw);
	if (v == NULL)
		return (lex_error(lx, start, "invalid UTF-8 in raw string"));
	t = lex_push(lx, TOK_LITERAL, start, lx->i - start);
	t->value = v;
	return (0);
}

/*
 * `json`. Text that is not JSON is read as the contents of a JSON string
 * after dropping its leading whitespace: the deprecated "elided quotes"
 * form `foo`, kept because the reference implementation and the
 * compliance suite still accept it.
 */
static int
lex_literal(struct lexer *lx)
{
	struct jmespath_sbuf b = {NULL, 0, 0};
	struct jmespath_token *t;
	size_t start = lx->i, len, skip = 0;
	char *raw, why[JSON_ERROR_TEXT_LENGTH] = "";
	json_t *v;

	raw = lex_until(lx, '`', 1, &len);
	if (raw == NULL)
		return (-1);
	v = lex_json(raw, len, why, sizeof why);
	if (v == NULL) {
		while (skip < len && raw[skip] != '\0' &&
		       strchr(" \t\n\r\f\v", raw[skip]) != NULL)
			skip++;
		jmespath_sbuf_addc(&b, '"');
		jmespath_sbuf_add(&b, raw + skip, len - skip);
		jmespath_sbuf_addc(&b, '"');
		v = lex_json(b.data, b.len, why, sizeof why);
		free(b.data);
	}
	free(raw);
	if (v == NULL)
		return (lex_error(lx, start, "invalid JSON literal"));
	t = lex_push(lx, TOK_LITERAL, start, lx->i - start);
	t->value = v;
	return (0);
}

/* -?[0-9]+, clamped to +-2^53. */
static int
lex_number(struct lexer *lx)
{
	struct jmespath_token *t;
	size_t start = lx->i;
	int64_t n = 0;
	int neg = 0;

	if (lx->expr[lx->i] == '-') {
		neg = 1;
		lx->i++;
	}
	if (lx->i >= lx->len || lx->expr[lx->i] < '0' || lx->expr[lx->i] > '9')
		return (lex_error(lx, start, "unexpected character '-'"));
	while (lx->i < lx->len && lx->expr[lx->i] >= '0' &&
	       lx->expr[lx->i] <= '9') {
		if (n < LEX_NUM_MAX)
			n = n * 10 + (lx->expr[lx->i] - '0');
		lx->i++;
	}
	if (n > LEX_NUM_MAX)
		n = LEX_NUM_MAX;
	t = lex_push(lx, TOK_NUMBER, start, lx->i - start);
	t->num = neg ? -n : n;
	return (0);
}

/* [A-Za-z_][A-Za-z0-9_]* */
static void
lex_unquoted(struct lexer *lx)
{
	struct jmespath_token *t;
	size_t start = lx->i;
	char c;

	for (; lx->i < lx->len; lx->i++) {
		c = lx->expr[lx->i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
			(c >= '0' && c <= '9') || c == '_'))
			break;
	}
	t = lex_push(lx, TOK_UNQUOTED, start, lx->i - start);
	t->slen = t->len;
	t->str = jmespath_xmemdup(lx->expr + start, t->slen);
}

/* One or two byte operators: c1 alone is t1, c1 followed by c2 is t2. */
static void
lex_pair(struct lexer *lx, char c2, enum jmespath_tok t2, enum jmespath_tok t1)
{
	if (lx->i + 1 < lx->len && lx->expr[lx->i + 1] == c2) {
		lex_push(lx, t2, lx->i, 2);
		lx->i += 2;
	} else {
		lex_push(lx, t1, lx->i, 1);
		lx->i++;
	}
}

/* Map a single-byte token character to its type, or TOK_EOF. */
static enum jmespath_tok
lex_simple(char c)
{
	switch (c) {
	case '.':
		return (TOK_DOT);
	case '*':
		return (TOK_STAR);
	case ']':
		return (TOK_RBRACKET);
	case ',':
		return (TOK_COMMA);
	case ':':
		return (TOK_COLON);
	case '@':
		return (TOK_CURRENT);
	case '(':
		return (TOK_LPAREN);
	case ')':
		return (TOK_RPAREN);
	case '{':
		return (TOK_LBRACE);
	case '}':
		return (TOK_RBRACE);
	}
	return (TOK_EOF);
}

/* Read the token starting at lx->i (not whitespace). */
static int
lex_one(struct lexer *lx)
{
	char c = lx->expr[lx->i], what[64];
	enum jmespath_tok simple;
	uint32_t cp;
	int n;

	simple = lex_simple(c);
	if (simple != TOK_EOF) {
		lex_push(lx, simple, lx->i++, 1);
		return (0);
	}
	if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_') {
		lex_unquoted(lx);
		return (0);
	}
	if ((c >= '0' && c <= '9') || c == '-')
		return (lex_number(lx));
	switch (c) {
	case '[':
		if (lx->i + 1 < lx->len && lx->expr[lx->i + 1] == ']')
			lex_pair(lx, ']', TOK_FLATTEN, TOK_LBRACKET);
		else
			lex_pair(lx, '?', TOK_FILTER, TOK_LBRACKET);
		return (0);
	case '\'':
		return (lex_raw(lx));
	case '"':
		return (lex_quoted(lx));
	case '`':
		return (lex_literal(lx));
	case '|':
		lex_pair(lx, '|', TOK_OR, TOK_PIPE);
		return (0);
	case '&':
		lex_pair(lx, '&', TOK_AND, TOK_EXPREF);
		return (0);
	case '<':
		lex_pair(lx, '=', TOK_LE, TOK_LT);
		return (0);
	case '>':
		lex_pair(lx, '=', TOK_GE, TOK_GT);
		return (0);
	case '!':
		lex_pair(lx, '=', TOK_NE, TOK_NOT);
		return (0);
	case '=':
		if (lx->i + 1 < lx->len && lx->expr[lx->i + 1] == '=') {
			lex_pair(lx, '=', TOK_EQ, TOK_EQ);
			return (0);
		}
		return (lex_error(lx, lx->i,
		    "unexpected character '=' "
		    "(did you mean '=='?)"));
	}
	n = (int)utf8_decode(lx->expr + lx->i, lx->len - lx->i, &cp);
	if ((c > ' ' && c < 0x7f) || n > 1)
		snprintf(what, sizeof what, "unexpected character '%.*s'", n,
		    lx->expr + lx->i);
	else
		snprintf(what, sizeof what, "unexpected byte 0x%02x",
		    (unsigned char)c);
	return (lex_error(lx, lx->i, what));
}

/* Free a token array and what its tokens own. Accepts NULL. */
void
jmespath_tokens_free(struct jmespath_token *toks, size_t ntoks)
{
	size_t i;

	if (toks == NULL)
		return;
	for (i = 0; i < ntoks; i++) {
		free(toks[i].str);
		json_decref(toks[i].value);
	}
	free(toks);
}

/*
 * Split expr into tokens; the last one is TOK_EOF. Return 0, or -1 with a
 * syntax error in err. Caller frees *toks with jmespath_tokens_free().
 */
int
jmespath_lex(const char *expr, struct jmespath_token **toks, size_t *ntoks,
    struct jmespath_error *err)
{
	struct lexer lx;

	memset(&lx, 0, sizeof lx);
	lx.expr = expr;
	lx.len = strlen(expr);
	lx.err = err;
	while (lx.i < lx.len) {
		if (strchr(" \t\n\r", lx.expr[lx.i]) != NULL) {
			lx.i++;
			continue;
		}
		if (lex_one(&lx) != 0) {
			jmespath_tokens_free(lx.toks, lx.ntoks);
			return (-1);
		}
	}
	lex_push(&lx, TOK_EOF, lx.len, 0);
	*toks = lx.toks;
	*ntoks = lx.ntoks;
	return (0);
}

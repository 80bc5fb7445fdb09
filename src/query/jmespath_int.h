/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Private declarations shared by the jmespath*.c files. Nothing here is
 * part of the public API in jmespath.h.
 */
#ifndef JMESPATH_INT_H
#define JMESPATH_INT_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "query/jmespath.h"

/* Tokens, in the order of the binding power table in jmespath_parse.c. */
enum jmespath_tok {
	TOK_EOF,
	TOK_UNQUOTED, /* foo */
	TOK_QUOTED,   /* "foo" */
	TOK_LITERAL,  /* `json` or 'raw string' */
	TOK_NUMBER,   /* -12, only inside brackets */
	TOK_DOT,
	TOK_STAR,
	TOK_RBRACKET,
	TOK_COMMA,
	TOK_COLON,
	TOK_CURRENT, /* @ */
	TOK_LPAREN,
	TOK_RPAREN,
	TOK_LBRACE,
	TOK_RBRACE,
	TOK_LBRACKET,
	TOK_FLATTEN, /* [] */
	TOK_FILTER,  /* [? */
	TOK_PIPE,
	TOK_OR,
	TOK_AND,
	TOK_EXPREF, /* & */
	TOK_NOT,
	TOK_EQ,
	TOK_NE,
	TOK_LT,
	TOK_LE,
	TOK_GT,
	TOK_GE
};

struct jmespath_token {
	enum jmespath_tok type;
	size_t pos; /* byte offset of the first byte */
	size_t len; /* bytes of source text */
	char *str;  /* identifier, decoded; owned */
	size_t slen;
	json_t *value; /* TOK_LITERAL; owned reference */
	int64_t num;   /* TOK_NUMBER, clamped */
};

/* Abstract syntax tree node types. */
enum jmespath_ntype {
	JN_CURRENT,          /* @, also the identity of projections */
	JN_FIELD,            /* str, len */
	JN_LITERAL,          /* value */
	JN_INDEX,            /* num[0] */
	JN_SLICE,            /* num[0..2], has */
	JN_SUBEXPR,          /* kids applied in turn, null stops */
	JN_PIPE,             /* kids applied in turn */
	JN_PROJECTION,       /* kids: base, rhs */
	JN_VALUE_PROJECTION, /* kids: base, rhs */
	JN_FILTER,           /* kids: base, rhs, condition */
	JN_FLATTEN,          /* kids: base */
	JN_COMPARATOR,       /* op, kids: left, right */
	JN_OR,               /* kids */
	JN_AND,              /* kids */
	JN_NOT,              /* kids: operand */
	JN_MULTI_LIST,       /* kids */
	JN_MULTI_HASH,       /* kids: JN_KEYVAL */
	JN_KEYVAL,           /* str, len; kids: value */
	JN_FUNCTION,         /* fn, str, len; kids: arguments */
	JN_EXPREF            /* kids: expression; only as an argument */
};

struct jmespath_fn;

struct jmespath_node {
	enum jmespath_ntype type;
	size_t pos;      /* where it starts in the source */
	unsigned height; /* 1 + the tallest kid */
	struct jmespath_node **kids;
	size_t nkids;
	size_t kidcap;
	char *str;
	size_t len;
	json_t *value;
	int64_t num[3];
	unsigned has; /* JN_SLICE: bit i for num[i] */
	enum jmespath_tok op;
	const struct jmespath_fn *fn;
	struct jmespath_node *next; /* every node, for freeing */
};

struct jmespath {
	struct jmespath_node *root;
	struct jmespath_node *nodes; /* list through next */
};

/* One search: where errors go and how much work is left. */
struct jmespath_ctx {
	struct jmespath_error *err;
	size_t work;  /* steps left */
	size_t limit; /* steps allowed */
};

/* A function call being evaluated. */
struct jmespath_call {
	const struct jmespath_node *node;
	json_t **args; /* NULL for expref arguments */
	const struct jmespath_node **exprefs;
	size_t nargs;
	struct jmespath_ctx *cx;
};

/* Argument type bits of a function signature. */
#define JT_NULL 0x001
#define JT_BOOL 0x002
#define JT_NUMBER 0x004
#define JT_STRING 0x008
#define JT_ARRAY 0x010
#define JT_OBJECT 0x020
#define JT_EXPREF 0x040
#define JT_ARRAY_NUMBER 0x080 /* an array whose elements are all numbers */
#define JT_ARRAY_STRING 0x100 /* an array whose elements are all strings */
#define JT_ANY 0x03f          /* any JSON value, not an expref */

#define JMESPATH_FN_MAXPARAMS 2

struct jmespath_fn {
	const char *name;
	json_t *(*impl)(struct jmespath_call *);
	unsigned nparams; /* the minimum for variadic functions */
	int variadic;     /* the last parameter repeats */
	unsigned types[JMESPATH_FN_MAXPARAMS];
};

/* A growable string that aborts on OOM. */
struct jmespath_sbuf {
	char *data;
	size_t len;
	size_t cap;
};

/* jmespath.c: allocation and errors */
void *jmespath_xmalloc(size_t);
void *jmespath_xreallocarray(void *, size_t, size_t);
char *jmespath_xmemdup(const void *, size_t);
void jmespath_seterr(struct jmespath_error *, enum jmespath_errkind, size_t pos,
    const char *fmt, ...) __attribute__((format(printf, 4, 5)));
void jmespath_sbuf_add(struct jmespath_sbuf *, const void *, size_t);
void jmespath_sbuf_addc(struct jmespath_sbuf *, char);
json_t *jmespath_jarray(void);
json_t *jmespath_jobject(void);
void jmespath_jappend(json_t *array, json_t *value);
void jmespath_jsetn(
    json_t *object, const char *key, size_t keylen, json_t *value);
json_t *jmespath_jint(json_int_t);
json_t *jmespath_jstringn(const char *, size_t);

/* jmespath_lex.c */
int jmespath_lex(const char *expr, struct jmespath_token **toks, size_t *ntoks,
    struct jmespath_error *);
void jmespath_tokens_free(struct jmespath_token *, size_t);

/* What node constructors need: the owner of the nodes, where errors go. */
struct jmespath_build {
	struct jmespath *jp;
	struct jmespath_error *err;
};

/* jmespath_node.c */
struct jmespath_node *jmespath_too_deep(struct jmespath_error *, size_t pos);
struct jmespath_node *jmespath_node_new(
    struct jmespath_build *, enum jmespath_ntype, size_t pos);
int jmespath_node_add(
    struct jmespath_build *, struct jmespath_node *, struct jmespath_node *kid);
struct jmespath_node *jmespath_node1(struct jmespath_build *,
    enum jmespath_ntype, size_t pos, struct jmespath_node *);
struct jmespath_node *jmespath_node2(struct jmespath_build *,
    enum jmespath_ntype, size_t pos, struct jmespath_node *,
    struct jmespath_node *, struct jmespath_node *);
struct jmespath_node *jmespath_node_join(struct jmespath_build *,
    enum jmespath_ntype, struct jmespath_node *left,
    struct jmespath_node *right);
int jmespath_node_check(struct jmespath_build *);

/* jmespath_parse.c */
int jmespath_parse(
    const char *expr, struct jmespath *, struct jmespath_error *);

/* jmespath_eval.c */
json_t *jmespath_eval(
    const struct jmespath_node *, json_t *cur, struct jmespath_ctx *);
int jmespath_spend(struct jmespath_ctx *, size_t units, size_t pos);

/* jmespath_value.c */
int jmespath_truthy(const json_t *);
int jmespath_equal(const json_t *, const json_t *, size_t *work);
int jmespath_numcmp(const json_t *, const json_t *);
int jmespath_strcmp(const json_t *, const json_t *);
const char *jmespath_typename(const json_t *);
int jmespath_dump(struct jmespath_sbuf *, const json_t *, size_t max);
json_t *jmespath_parse_number(const char *, size_t);

/* jmespath_fn.c, jmespath_fn_call.c, jmespath_fn_sort.c */
const struct jmespath_fn *jmespath_fn_lookup(const char *, size_t);
json_t *jmespath_fn_call(
    const struct jmespath_node *, json_t *cur, struct jmespath_ctx *);
json_t *jmespath_fn_sort(struct jmespath_call *);
json_t *jmespath_fn_sort_by(struct jmespath_call *);
json_t *jmespath_fn_max(struct jmespath_call *);
json_t *jmespath_fn_min(struct jmespath_call *);
json_t *jmespath_fn_max_by(struct jmespath_call *);
json_t *jmespath_fn_min_by(struct jmespath_call *);

#endif

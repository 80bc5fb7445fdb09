/* SPDX-License-Identifier: Apache-2.0 */
/* Python shlex.split() compatible word splitting. */

#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/shlex.h"
#include "core/xmalloc.h"

#define SHLEX_SPACE " \t\r\n"

/* Append a finished word to the array. */
static void
shlex_push(char ***argv, size_t *argc, struct buf *word)
{
	char *s;

	s = buf_take(word, NULL);
	*argv = xreallocarray(*argv, *argc + 2, sizeof **argv);
	(*argv)[(*argc)++] = s;
	(*argv)[*argc] = NULL;
	buf_init(word, BUF_NOCAP);
}

/*
 * The state machine of shlex.read_token() in posix mode with
 * whitespace_split: outside quotes a backslash escapes any character; in
 * single quotes nothing is special; in double quotes a backslash escapes
 * only '"' and '\'. A word that had quotes is kept even when empty.
 */
int
shlex_split(const char *s, char ***argv, size_t *argc, char **cause)
{
	struct buf word;
	char state = ' ', escaped_from = 0;
	int quoted = 0, rc = -1;
	const char *p;

	*argv = xcalloc(1, sizeof **argv);
	*argc = 0;
	buf_init(&word, BUF_NOCAP);
	for (p = s; *p != '\0'; p++) {
		switch (state) {
		case ' ':
		case 'a':
			if (strchr(SHLEX_SPACE, *p) != NULL) {
				if (state == 'a')
					shlex_push(argv, argc, &word);
				state = ' ';
				quoted = 0;
			} else if (*p == '\'' || *p == '"') {
				state = *p;
				quoted = 1;
			} else if (*p == '\\') {
				escaped_from = 'a';
				state = '\\';
			} else {
				buf_putc(&word, *p);
				state = 'a';
			}
			break;
		case '\'':
		case '"':
			if (*p == state)
				state = 'a';
			else if (*p == '\\' && state == '"') {
				escaped_from = state;
				state = '\\';
			} else
				buf_putc(&word, *p);
			break;
		case '\\':
			/* In double quotes "\x" keeps its backslash. */
			if (escaped_from == '"' && *p != '\\' && *p != '"')
				buf_putc(&word, '\\');
			buf_putc(&word, *p);
			state = escaped_from;
			break;
		}
	}
	if (state == '\'' || state == '"') {
		*cause = xstrdup("no closing quotation");
		goto out;
	}
	if (state == '\\') {
		*cause = xstrdup("no escaped character");
		goto out;
	}
	if (state == 'a' || quoted)
		shlex_push(argv, argc, &word);
	rc = 0;
out:
	buf_free(&word);
	if (rc != 0) {
		shlex_free(*argv);
		*argv = NULL;
		*argc = 0;
	}
	return (rc);
}

/* Free a word array. */
void
shlex_free(char **argv)
{
	size_t i;

	if (argv == NULL)
		return;
	for (i = 0; argv[i] != NULL; i++)
		free(argv[i]);
	free(argv);
}

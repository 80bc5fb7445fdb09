/* SPDX-License-Identifier: Apache-2.0 */
/* Messages on stderr. */

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/msg.h"
#include "core/buf.h"
#include "core/utf8.h"

static int msg_level;
static int msg_status_shown;

/* Set the verbosity. */
void
msg_init(int verbosity)
{
	msg_level = verbosity;
}

/* A terminal that takes no control sequences; see msg.h. */
int
msg_dumb_term(void)
{
	const char *t = getenv("TERM");

	return (t == NULL || *t == '\0' || strcmp(t, "dumb") == 0);
}

/* The -v count. */
int
msg_verbosity(void)
{
	return (msg_level);
}

/* Erase a progress line before printing a message. */
void
msg_status_clear(void)
{
	if (msg_status_shown) {
		fputs("\r\033[K", stderr);
		msg_status_shown = 0;
	}
}

static void
msg_vprint(const char *prefix, const char *fmt, va_list ap)
{
	char line[2048];
	struct buf b;

	vsnprintf(line, sizeof line, fmt, ap);
	/* One line, never a control sequence from data in a message. */
	buf_init(&b, BUF_NOCAP);
	utf8_escape(&b, line, strlen(line), 0);
	msg_status_clear();
	fprintf(stderr, "apilogs: %s%s\n", prefix, buf_str(&b));
	fflush(stderr);
	buf_free(&b);
}

/* An error: the caller then exits with a documented code. */
void
errorf(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	msg_vprint("", fmt, ap);
	va_end(ap);
}

/* A warning the user must see. */
void
warnf(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	msg_vprint("warning: ", fmt, ap);
	va_end(ap);
}

/* Information the user must see; see msg.h. */
void
notef(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	msg_vprint("", fmt, ap);
	va_end(ap);
}

/* A detail shown with -v (level 1), -vv (2) or -vvv (3). */
void
verbosef(int level, const char *fmt, ...)
{
	va_list ap;

	if (msg_level < level)
		return;
	va_start(ap, fmt);
	msg_vprint("", fmt, ap);
	va_end(ap);
}

/* Show a progress line (overwritten in place). */
void
msg_status(const char *s)
{
	fprintf(stderr, "\r\033[K%s", s);
	fflush(stderr);
	msg_status_shown = 1;
}

/* SPDX-License-Identifier: Apache-2.0 */
/*
 * --format detailed|short|json: the layouts of `aws logs tail`
 * (aws/aws-cli awscli/customizations/logs/tail.py), byte for byte with
 * colour off:
 *
 *   detailed  2024-05-01T10:00:00.123000+00:00 STREAM MESSAGE
 *   short     2024-05-01T10:00:00 MESSAGE
 *   json      2024-05-01T10:00:00.123000+00:00 STREAM MESSAGE, or, when
 *             the whole message is JSON, a newline and json.dumps(msg,
 *             indent=4); a whole second drops the fraction
 *             (datetime.isoformat())
 *
 * each line with its trailing white space stripped. Colour: the time green,
 * the stream cyan. With several groups the group column comes first, as in
 * apilogs' own layout (-G hides it); --local shows local time with its
 * offset.
 */

#include <string.h>

#include <jansson.h>

#include "cli/render.h"
#include "core/timeexpr.h"
#include "query/pyjson.h"

#define SGR_TAIL_TIME 32   /* colorama Fore.GREEN */
#define SGR_TAIL_STREAM 36 /* colorama Fore.CYAN */

/*
 * The event time as Python prints an aware datetime: with micro (1) always
 * .ffffff; without it the fraction only when not 0; short (2): seconds, no
 * zone.
 */
static void
render_tail_time(struct render *r, int64_t ms, int style, struct buf *b)
{
	char t[TIMEEXPR_FMTLEN], out[TIMEEXPR_FMTLEN + 8];
	const char *zone;

	/* t is 2024-05-01T10:00:00.123Z or ...123+02:00 */
	timeexpr_format(ms, r->time_flags, t);
	zone = t + 23;
	if (strcmp(zone, "Z") == 0)
		zone = "+00:00";
	if (style == 2)
		snprintf(out, sizeof out, "%.19s", t);
	else if (style == 1 || strncmp(t + 20, "000", 3) != 0)
		snprintf(out, sizeof out, "%.19s.%.3s000%s", t, t + 20, zone);
	else
		snprintf(out, sizeof out, "%.19s%s", t, zone);
	render_cell(r, b, SGR_TAIL_TIME, out, strlen(out), 0);
}

/* One event in an `aws logs tail` layout; see render.h. */
void
render_tail(struct render *r, const struct event *ev,
    const struct render_src *s, const char *msg, size_t len, struct buf *b)
{
	struct buf pretty;
	json_t *v = NULL;
	size_t n;
	int late = (ev->flags & EVENT_LATE) != 0, expand;

	if (r->show_group && r->group_width > 0)
		render_cell(
		    r, b, s->color, s->group, strlen(s->group), r->group_width);
	render_tail_time(r, ev->ts,
	    r->fmt == RENDER_TAIL_SHORT      ? 2
	    : r->fmt == RENDER_TAIL_DETAILED ? 1
					     : 0,
	    b);
	if (r->fmt != RENDER_TAIL_SHORT)
		render_cell(
		    r, b, SGR_TAIL_STREAM, ev->stream, ev->stream_len, 0);
	if (r->fmt == RENDER_TAIL_JSON)
		v = json_loadb(msg, len, JSON_DECODE_ANY, NULL);
	if (v != NULL) {
		buf_init(&pretty, BUF_NOCAP);
		buf_putc(&pretty, '\n');
		pyjson_dump(v, 4, &pretty);
		json_decref(v);
		/* Already laid out: --expand must not indent it again. */
		expand = r->expand;
		r->expand = 0;
		render_message_text(r, b, pretty.data, pretty.len, late);
		r->expand = expand;
		buf_free(&pretty);
	} else {
		n = render_rstrip(msg, len);
		if (n == 0) {
			/* Python strips the line, so the space goes too. */
			b->len--;
			while (b->len > 0 && b->data[b->len - 1] == ' ')
				b->len--;
		} else
			render_message_text(r, b, msg, n, late);
	}
	buf_putc(b, '\n');
}

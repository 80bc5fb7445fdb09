/* SPDX-License-Identifier: Apache-2.0 */
/* `stats` output: JSON, and charts and tables; see statsview.h. */

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "cli/statsview.h"
#include "core/jsonw.h"
#include "core/timeexpr.h"
#include "core/utf8.h"

#define SV_LABEL 13   /* width of a chart's label */
#define SV_SUMMARY 18 /* width of a chart's summary */
#define SV_RED "\033[31m"
#define SV_YELLOW "\033[33m"
#define SV_CYAN "\033[36m"
#define SV_BOLD "\033[1m"
#define SV_RESET "\033[0m"

/* The terminal width; see statsview.h. */
int
statsview_width(int fd)
{
	struct winsize ws;
	const char *c = getenv("COLUMNS");
	char *end;
	long n;

	if (c != NULL && *c != '\0') {
		n = strtol(c, &end, 10);
		if (*end == '\0' && n > 0 && n < 10000)
			return ((int)n);
	}
	if (isatty(fd) && ioctl(fd, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
		return ((int)ws.ws_col);
	return (80);
}

/* --- JSON ------------------------------------------------------------ */

static void
sv_json_pct(struct jsonw *w, const char *key, const struct stats_pct *p)
{
	jsonw_key(w, key);
	if (p->n == 0) {
		jsonw_null(w);
		return;
	}
	jsonw_object(w);
	jsonw_key(w, "count");
	jsonw_int(w, (long long)p->n);
	jsonw_key(w, "p50");
	jsonw_real(w, p->p50, 2);
	jsonw_key(w, "p95");
	jsonw_real(w, p->p95, 2);
	jsonw_key(w, "p99");
	jsonw_real(w, p->p99, 2);
	jsonw_end(w);
}

static void
sv_json_count(struct jsonw *w, const char *key, uint64_t v)
{
	jsonw_key(w, key);
	jsonw_int(w, (long long)v);
}

/* The members of one cell (inside an object). */
static void
sv_json_cell(struct jsonw *w, const struct stats_cell *c)
{
	sv_json_count(w, "requests", c->requests);
	sv_json_count(w, "status4xx", c->s4xx);
	sv_json_count(w, "status5xx", c->s5xx);
	jsonw_key(w, "errorRate");
	if (c->requests == 0)
		jsonw_null(w);
	else
		jsonw_real(
		    w, (double)(c->s4xx + c->s5xx) / (double)c->requests, 4);
	sv_json_pct(w, "latencyMs", &c->latency);
	sv_json_pct(w, "integrationLatencyMs", &c->integration);
	sv_json_count(w, "invocations", c->invocations);
	sv_json_pct(w, "durationMs", &c->duration);
	sv_json_count(w, "coldStarts", c->cold);
	sv_json_count(w, "timeouts", c->timeouts);
	sv_json_count(w, "throttles", c->throttles);
}

/* "total" and "bins" of a series. */
static void
sv_json_series(struct jsonw *w, const struct stats_result *r,
    const struct stats_series *se)
{
	size_t i;

	jsonw_key(w, "total");
	jsonw_object(w);
	sv_json_cell(w, &se->total);
	jsonw_end(w);
	jsonw_key(w, "bins");
	jsonw_array(w);
	for (i = 0; i < r->nbins; i++) {
		jsonw_object(w);
		jsonw_key(w, "start");
		jsonw_int(
		    w, (long long)(r->first_bin + (int64_t)i * r->bin_ms));
		sv_json_cell(w, &se->bins[i]);
		jsonw_end(w);
	}
	jsonw_end(w);
}

static const char *
sv_by_name(enum stats_by by)
{
	return (by == STATS_BY_ROUTE      ? "route"
		: by == STATS_BY_STATUS   ? "status"
		: by == STATS_BY_FUNCTION ? "function"
					  : NULL);
}

/* The JSON document; see statsview.h. */
void
statsview_json(struct buf *b, const struct stats_result *r,
    const struct statsview_opts *vo)
{
	struct jsonw w;
	size_t i;

	jsonw_init(&w, b);
	jsonw_object(&w);
	jsonw_key(&w, "apiId");
	jsonw_stringz(&w, vo->api_id);
	jsonw_key(&w, "stage");
	jsonw_stringz(&w, vo->stage);
	jsonw_key(&w, "start");
	jsonw_int(&w, (long long)vo->start);
	jsonw_key(&w, "end");
	jsonw_int(&w, (long long)vo->end);
	jsonw_key(&w, "binMs");
	jsonw_int(&w, (long long)r->bin_ms);
	jsonw_key(&w, "by");
	jsonw_stringz(&w, sv_by_name(vo->by));
	jsonw_key(&w, "requestsFrom");
	jsonw_stringz(&w, r->have_access ? "access" : "execution");
	sv_json_series(&w, r, &r->series[0]);
	jsonw_key(&w, "groups");
	if (vo->by == STATS_BY_NONE)
		jsonw_null(&w);
	else {
		jsonw_array(&w);
		for (i = 1; i < r->nseries; i++) {
			jsonw_object(&w);
			jsonw_key(&w, "key");
			jsonw_stringz(&w, r->series[i].key);
			sv_json_series(&w, r, &r->series[i]);
			jsonw_end(&w);
		}
		jsonw_end(&w);
	}
	jsonw_end(&w);
	buf_putc(b, '\n');
}

/* --- Text ------------------------------------------------------------ */

enum sv_metric {
	SV_REQUESTS,
	SV_4XX,
	SV_5XX,
	SV_LATENCY,
	SV_INTEGRATION,
	SV_INVOCATIONS,
	SV_DURATION,
	SV_COLD,
	SV_TIMEOUTS,
	SV_THROTTLES,
	SV_NMETRICS
};

static const struct {
	const char *label;
	const char *color;
	int pct; /* a percentile (p95): the worst bin, not a sum */
} sv_metrics[SV_NMETRICS] = {
    [SV_REQUESTS] = {"requests", SV_BOLD, 0},
    [SV_4XX] = {"4xx", SV_YELLOW, 0},
    [SV_5XX] = {"5xx", SV_RED, 0},
    [SV_LATENCY] = {"latency p95", SV_CYAN, 1},
    [SV_INTEGRATION] = {"integr. p95", SV_CYAN, 1},
    [SV_INVOCATIONS] = {"invocations", SV_BOLD, 0},
    [SV_DURATION] = {"duration p95", SV_CYAN, 1},
    [SV_COLD] = {"cold starts", SV_YELLOW, 0},
    [SV_TIMEOUTS] = {"timeouts", SV_RED, 0},
    [SV_THROTTLES] = {"throttles", SV_RED, 0},
};

/* A metric of a cell; -1 when a percentile has no value. */
static double
sv_value(const struct stats_cell *c, enum sv_metric m)
{
	switch (m) {
	case SV_REQUESTS:
		return ((double)c->requests);
	case SV_4XX:
		return ((double)c->s4xx);
	case SV_5XX:
		return ((double)c->s5xx);
	case SV_LATENCY:
		return (c->latency.n ? c->latency.p95 : -1);
	case SV_INTEGRATION:
		return (c->integration.n ? c->integration.p95 : -1);
	case SV_INVOCATIONS:
		return ((double)c->invocations);
	case SV_DURATION:
		return (c->duration.n ? c->duration.p95 : -1);
	case SV_COLD:
		return ((double)c->cold);
	case SV_TIMEOUTS:
		return ((double)c->timeouts);
	default:
		return ((double)c->throttles);
	}
}

/* A number in at most w columns: whole, one decimal, or k/M. */
static void
sv_num(char *out, size_t sz, double v)
{
	if (v < 0)
		snprintf(out, sz, "-");
	else if (v >= 1e7)
		snprintf(out, sz, "%.0fM", v / 1e6);
	else if (v >= 1e5 || v == floor(v))
		snprintf(out, sz, "%.0f", v);
	else
		snprintf(out, sz, "%.1f", v);
}

/* Spaces to pad. */
static void
sv_pad(struct buf *b, int n)
{
	for (; n > 0; n--)
		buf_putc(b, ' ');
}

/* A string from the logs or the user, escaped, in exactly w columns (cut,
 * or padded on the right). */
static void
sv_cell_text(struct buf *b, const char *s, int w)
{
	size_t len = strlen(s), width;

	width = utf8_escape_width(s, len, 0);
	while (width > (size_t)w && len > 0) {
		len--;
		while (len > 0 && ((unsigned char)s[len] & 0xc0) == 0x80)
			len--;
		width = utf8_escape_width(s, len, 0);
	}
	utf8_escape(b, s, len, 0);
	sv_pad(b, w - (int)width);
}

/* One chart line: label, sparkline of cols columns, summary. */
static void
sv_chart(struct buf *b, const struct stats_result *r, enum sv_metric m,
    int cols, const struct statsview_opts *vo)
{
	static const char *blocks[] = {"\xe2\x96\x81", "\xe2\x96\x82",
	    "\xe2\x96\x83", "\xe2\x96\x84", "\xe2\x96\x85", "\xe2\x96\x86",
	    "\xe2\x96\x87", "\xe2\x96\x88"};
	static const char ascii[] = "_.-=+*#@";
	const struct stats_series *se = &r->series[0];
	double col, max = 0, v;
	size_t per, i, k, n;
	char sum[32];
	int level, c;

	per = (r->nbins + (size_t)cols - 1) / (size_t)cols;
	n = (r->nbins + per - 1) / per;
	for (i = 0; i < r->nbins; i++) {
		v = sv_value(&se->bins[i], m);
		if (!sv_metrics[m].pct) {
			/* the height of a column is the sum of its bins */
			for (col = 0, k = i - i % per;
			     k < i - i % per + per && k < r->nbins; k++)
				col += sv_value(&se->bins[k], m);
			v = col;
		}
		if (v > max)
			max = v;
	}
	buf_putc(b, ' ');
	sv_cell_text(b, sv_metrics[m].label, SV_LABEL - 1);
	buf_putc(b, ' ');
	if (vo->color)
		buf_puts(b, sv_metrics[m].color);
	for (c = 0; (size_t)c < n; c++) {
		col = sv_metrics[m].pct ? -1 : 0;
		for (k = (size_t)c * per;
		     k < (size_t)c * per + per && k < r->nbins; k++) {
			v = sv_value(&se->bins[k], m);
			if (sv_metrics[m].pct)
				col = v > col ? v : col;
			else
				col += v;
		}
		if (col <= 0 || max <= 0) {
			buf_putc(b, ' ');
			continue;
		}
		level = (int)ceil(col / max * 8) - 1;
		level = level < 0 ? 0 : level > 7 ? 7 : level;
		if (vo->unicode)
			buf_puts(b, blocks[level]);
		else
			buf_putc(b, ascii[level]);
	}
	if (vo->color)
		buf_puts(b, SV_RESET);
	sv_pad(b, cols - (int)n);
	v = sv_value(&se->total, m);
	sv_num(sum, sizeof sum, v);
	buf_putf(b, " %s%s", sv_metrics[m].pct ? "" : "total ", sum);
	if (sv_metrics[m].pct && v >= 0)
		buf_puts(b, " ms");
	buf_putc(b, '\n');
}

/* A table column: its heading, width and value. */
struct sv_col {
	const char *head;
	int w;
	int metric; /* what it shows, see sv_colval() */
};

enum {
	C_REQ,
	C_4XX,
	C_5XX,
	C_ERR,
	C_L50,
	C_L95,
	C_L99,
	C_I50,
	C_I95,
	C_I99,
	C_INV,
	C_D50,
	C_D95,
	C_D99,
	C_COLD,
	C_TIMEOUTS,
	C_THROTTLES
};

/* The value of column metric m in a cell (-1: none). */
static double
sv_colval(const struct stats_cell *c, int m)
{
	switch (m) {
	case C_REQ:
		return ((double)c->requests);
	case C_4XX:
		return ((double)c->s4xx);
	case C_5XX:
		return ((double)c->s5xx);
	case C_ERR:
		return (c->requests ? 100.0 * (double)(c->s4xx + c->s5xx) /
					  (double)c->requests
				    : -1);
	case C_L50:
		return (c->latency.n ? c->latency.p50 : -1);
	case C_L95:
		return (c->latency.n ? c->latency.p95 : -1);
	case C_L99:
		return (c->latency.n ? c->latency.p99 : -1);
	case C_I50:
		return (c->integration.n ? c->integration.p50 : -1);
	case C_I95:
		return (c->integration.n ? c->integration.p95 : -1);
	case C_I99:
		return (c->integration.n ? c->integration.p99 : -1);
	case C_INV:
		return ((double)c->invocations);
	case C_D50:
		return (c->duration.n ? c->duration.p50 : -1);
	case C_D95:
		return (c->duration.n ? c->duration.p95 : -1);
	case C_D99:
		return (c->duration.n ? c->duration.p99 : -1);
	case C_COLD:
		return ((double)c->cold);
	case C_TIMEOUTS:
		return ((double)c->timeouts);
	default:
		return ((double)c->throttles);
	}
}

/* The label of bin i: its start time, as precise as the bins need. */
static void
sv_bin_label(
    const struct stats_result *r, size_t i, int long_span, char *out, size_t sz)
{
	time_t t = (time_t)((r->first_bin + (int64_t)i * r->bin_ms) / 1000);
	struct tm tm;

	gmtime_r(&t, &tm);
	if (long_span)
		strftime(out, sz, "%m-%d %H:%M", &tm);
	else if (r->bin_ms < 60000)
		strftime(out, sz, "%H:%M:%S", &tm);
	else
		strftime(out, sz, "%H:%M", &tm);
}

/* One row: label in kw columns, the columns, a bar of frac of bw. */
static void
sv_row(struct buf *b, const char *label, int kw, const struct sv_col *cols,
    size_t ncol, const struct stats_cell *c, double frac, int bw,
    const struct statsview_opts *vo)
{
	char num[32];
	size_t i;
	int n;

	buf_putc(b, ' ');
	sv_cell_text(b, label, kw);
	for (i = 0; i < ncol; i++) {
		sv_num(num, sizeof num, sv_colval(c, cols[i].metric));
		n = (int)strlen(num);
		sv_pad(b, cols[i].w - n);
		if (vo->color &&
		    (cols[i].metric == C_5XX || cols[i].metric == C_TIMEOUTS ||
			cols[i].metric == C_THROTTLES) &&
		    sv_colval(c, cols[i].metric) > 0) {
			buf_puts(b, SV_RED);
			buf_puts(b, num);
			buf_puts(b, SV_RESET);
		} else
			buf_puts(b, num);
	}
	if (bw > 0 && frac > 0) {
		n = (int)ceil(frac * bw);
		buf_putc(b, ' ');
		for (; n > 0; n--)
			buf_puts(b, vo->unicode ? "\xe2\x96\x88" : "#");
	}
	buf_putc(b, '\n');
}

/* One table: heading, a row per bin or key with data (main: its metric
 * decides which have data), and the total. */
static void
sv_table(struct buf *b, const struct stats_result *r,
    const struct statsview_opts *vo, int width, struct sv_col *cols,
    size_t ncol, int main, int keyed)
{
	const struct stats_series *se;
	char label[64];
	size_t i, n;
	int kw = 5, used, bw, long_span, w;
	double v, max = 0;

	long_span = vo->end - vo->start > 86400000;
	if (keyed) {
		for (i = 1; i < r->nseries; i++) {
			w = (int)utf8_escape_width(
			    r->series[i].key, strlen(r->series[i].key), 0);
			kw = w > kw ? w : kw;
			v = sv_colval(&r->series[i].total, main);
			max = v > max ? v : max;
		}
		if (kw > width / 3)
			kw = width / 3;
	} else
		kw = long_span ? 11 : r->bin_ms < 60000 ? 8 : 5;
	for (used = 1 + kw, n = 0; n < ncol && used + cols[n].w <= width; n++)
		used += cols[n].w;
	bw = keyed ? width - used - 1 : 0;
	if (bw < 8)
		bw = 0;
	buf_putc(b, ' ');
	sv_pad(b, kw);
	for (i = 0; i < n; i++) {
		sv_pad(b, cols[i].w - (int)strlen(cols[i].head));
		buf_puts(b, cols[i].head);
	}
	buf_putc(b, '\n');
	for (i = keyed ? 1 : 0; i < (keyed ? r->nseries : r->nbins); i++) {
		if (keyed) {
			se = &r->series[i];
			if (sv_colval(&se->total, main) <= 0)
				continue;
			sv_row(b, se->key, kw, cols, n, &se->total,
			    max > 0 ? sv_colval(&se->total, main) / max : 0, bw,
			    vo);
			continue;
		}
		if (sv_colval(&r->series[0].bins[i], main) <= 0 &&
		    (main != C_INV ||
			sv_colval(&r->series[0].bins[i], C_TIMEOUTS) <= 0))
			continue;
		sv_bin_label(r, i, long_span, label, sizeof label);
		sv_row(b, label, kw, cols, n, &r->series[0].bins[i], 0, 0, vo);
	}
	sv_row(b, "total", kw, cols, n, &r->series[0].total, 0, 0, vo);
}

/* The requests table and, when there were invocations, the Lambda one. */
static void
sv_tables(struct buf *b, const struct stats_result *r,
    const struct statsview_opts *vo, int width)
{
	struct sv_col req[] = {{"requests", 9, C_REQ}, {"4xx", 6, C_4XX},
	    {"5xx", 6, C_5XX}, {"err%", 6, C_ERR}, {"lat p50", 8, C_L50},
	    {"p95", 7, C_L95}, {"p99", 7, C_L99}, {"int p50", 8, C_I50},
	    {"p95", 7, C_I95}, {"p99", 7, C_I99}};
	struct sv_col lam[] = {{"invocations", 12, C_INV},
	    {"dur p50", 9, C_D50}, {"p95", 9, C_D95}, {"p99", 9, C_D99},
	    {"cold", 6, C_COLD}, {"timeouts", 9, C_TIMEOUTS},
	    {"throttles", 10, C_THROTTLES}};
	const struct stats_cell *t = &r->series[0].total;
	size_t n = sizeof req / sizeof req[0];

	/* Drop the latency columns the logs had no values for. */
	if (t->integration.n == 0)
		n -= 3;
	if (t->latency.n == 0) {
		memmove(&req[4], &req[7], (n - 7) * sizeof *req);
		n -= 3;
	}
	sv_table(b, r, vo, width, req, n, C_REQ,
	    vo->by == STATS_BY_ROUTE || vo->by == STATS_BY_STATUS);
	if (t->invocations == 0 && t->timeouts == 0 && t->throttles == 0)
		return;
	buf_putc(b, '\n');
	sv_table(b, r, vo, width, lam, sizeof lam / sizeof lam[0], C_INV,
	    vo->by == STATS_BY_FUNCTION);
}

/* The text view; see statsview.h. */
void
statsview_text(struct buf *b, const struct stats_result *r,
    const struct statsview_opts *vo)
{
	const struct stats_cell *t = &r->series[0].total;
	char from[TIMEEXPR_FMTLEN], to[TIMEEXPR_FMTLEN], head[256];
	int width = vo->width < 40 ? 40 : vo->width, cols, m;

	timeexpr_format(vo->start, 0, from);
	timeexpr_format(vo->end, 0, to);
	snprintf(head, sizeof head, "%s%s%s%s%s to %s, bins of %llds",
	    vo->api_id != NULL ? vo->api_id : "", vo->stage != NULL ? " " : "",
	    vo->stage != NULL ? vo->stage : "",
	    vo->api_id != NULL || vo->stage != NULL ? ": " : "", from, to,
	    (long long)(r->bin_ms / 1000));
	if (vo->color)
		buf_puts(b, SV_BOLD);
	sv_cell_text(b, head, width);
	while (b->len > 0 && b->data[b->len - 1] == ' ')
		b->len--;
	if (vo->color)
		buf_puts(b, SV_RESET);
	buf_puts(b, "\n\n");
	cols = width - SV_LABEL - 1 - SV_SUMMARY;
	for (m = 0; m < SV_NMETRICS; m++) {
		if (sv_metrics[m].pct && sv_value(t, (enum sv_metric)m) < 0)
			continue;
		if (m >= SV_INVOCATIONS && t->invocations == 0 &&
		    sv_value(t, (enum sv_metric)m) <= 0)
			continue;
		sv_chart(b, r, (enum sv_metric)m, cols, vo);
	}
	buf_putc(b, '\n');
	sv_tables(b, r, vo, width);
}

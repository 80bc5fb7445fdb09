/* SPDX-License-Identifier: Apache-2.0 */
/* `stats`: counts, error rates and nearest-rank percentiles in time bins;
 * see stats.h. */

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/xmalloc.h"
#include "trace/stats.h"

enum stats_metric { M_LATENCY, M_INTEGRATION, M_DURATION, M_COUNT };

/* One value of a percentile metric, in its series and bin. */
struct stats_sample {
	uint32_t series;
	uint32_t bin;
	double v;
};

struct stats_vec {
	struct stats_sample *v;
	size_t n, cap;
};

struct stats {
	int64_t start, end, first_bin, bin_ms;
	size_t nbins;
	enum stats_by by;
	int have_access;
	struct stats_series *series;
	size_t nseries;
	size_t last_hit; /* the series found last (keys repeat in runs) */
	struct stats_vec m[M_COUNT];
	struct stats_seen seen;
};

/* Floor division for times before the epoch too. */
static int64_t
stats_floor(int64_t t, int64_t w)
{
	int64_t q = t / w;

	return ((t % w != 0 && t < 0) ? q - 1 : q);
}

/* Create a counter; see stats.h. */
struct stats *
stats_new(int64_t start, int64_t end, int64_t bin_ms, enum stats_by by,
    int have_access, char **cause)
{
	struct stats *s;
	int64_t first, last;

	if (bin_ms <= 0 || end < start) {
		*cause = xstrdup("empty window or bin");
		return (NULL);
	}
	first = stats_floor(start, bin_ms);
	last = stats_floor(end, bin_ms);
	if (last - first + 1 > STATS_MAX_BINS) {
		*cause = xprintf("the window holds %lld bins of %lld s (at "
				 "most %d): use a wider --bin",
		    (long long)(last - first + 1), (long long)(bin_ms / 1000),
		    STATS_MAX_BINS);
		return (NULL);
	}
	s = xcalloc(1, sizeof *s);
	s->start = start;
	s->end = end;
	s->bin_ms = bin_ms;
	s->first_bin = first * bin_ms;
	s->nbins = (size_t)(last - first + 1);
	s->by = by;
	s->have_access = have_access;
	s->series = xcalloc(1, sizeof *s->series);
	s->series[0].bins = xcalloc(s->nbins, sizeof *s->series[0].bins);
	s->nseries = 1;
	return (s);
}

/* The series of key (added when new); index 0 is never a key. */
static uint32_t
stats_series_of(struct stats *s, const char *key)
{
	size_t i;

	if (s->last_hit > 0 && strcmp(s->series[s->last_hit].key, key) == 0)
		return ((uint32_t)s->last_hit);
	for (i = 1; i < s->nseries; i++)
		if (strcmp(s->series[i].key, key) == 0)
			break;
	if (i == s->nseries) {
		if (s->nseries > STATS_MAX_KEYS && strcmp(key, "(other)") != 0)
			return (stats_series_of(s, "(other)"));
		s->series =
		    xreallocarray(s->series, s->nseries + 1, sizeof *s->series);
		memset(&s->series[i], 0, sizeof s->series[i]);
		s->series[i].key = xstrdup(key);
		s->series[i].bins =
		    xcalloc(s->nbins, sizeof *s->series[i].bins);
		s->nseries++;
	}
	s->last_hit = i;
	return ((uint32_t)i);
}

static void
stats_sample_add(struct stats_vec *v, uint32_t series, uint32_t bin, double x)
{
	if (v->n == v->cap) {
		v->cap = v->cap ? v->cap * 2 : 256;
		v->v = xreallocarray(v->v, v->cap, sizeof *v->v);
	}
	v->v[v->n].series = series;
	v->v[v->n].bin = bin;
	v->v[v->n].v = x;
	v->n++;
}

/* What one line adds to a cell. */
struct stats_delta {
	int request, s4xx, s5xx, invocation, cold, timeout, throttle;
	double m[M_COUNT]; /* < 0: none */
};

static void
stats_apply(
    struct stats *s, uint32_t series, uint32_t bin, const struct stats_delta *d)
{
	struct stats_cell *c = &s->series[series].bins[bin];
	int i;

	c->requests += (uint64_t)d->request;
	c->s4xx += (uint64_t)d->s4xx;
	c->s5xx += (uint64_t)d->s5xx;
	c->invocations += (uint64_t)d->invocation;
	c->cold += (uint64_t)d->cold;
	c->timeouts += (uint64_t)d->timeout;
	c->throttles += (uint64_t)d->throttle;
	for (i = 0; i < M_COUNT; i++)
		if (d->m[i] >= 0)
			stats_sample_add(&s->m[i], series, bin, d->m[i]);
}

/* A request's status into d. */
static void
stats_status(struct stats_delta *d, int status)
{
	d->request = 1;
	d->s4xx = status >= 400 && status < 500;
	d->s5xx = status >= 500 && status < 600;
}

/* The --by key of a line (NULL: it counts in the overall series only). */
static const char *
stats_key(const struct stats *s, const struct logline *ll, const char *function,
    const struct stats_delta *d, char *tmp, size_t sz)
{
	switch (s->by) {
	case STATS_BY_ROUTE:
		if (!d->request)
			return (NULL);
		if (ll->method[0] == '\0' && ll->path[0] == '\0')
			return ("(unknown)");
		snprintf(tmp, sz, "%s%s%s", ll->method,
		    ll->method[0] != '\0' && ll->path[0] != '\0' ? " " : "",
		    ll->path);
		return (tmp);
	case STATS_BY_STATUS:
		if (!d->request)
			return (NULL);
		snprintf(tmp, sz, "%d", ll->status);
		return (tmp);
	case STATS_BY_FUNCTION:
		return (function);
	default:
		return (NULL);
	}
}

/* Count one event; see stats.h. */
void
stats_add(struct stats *s, const char *msg, size_t len, int64_t ts,
    enum logline_source kind, const char *function)
{
	struct logline ll;
	struct stats_delta d;
	char tmp[LOGLINE_METHODLEN + LOGLINE_PATHLEN + 2];
	const char *key;
	uint32_t bin;
	int i;

	if (ts < s->start || ts > s->end)
		return;
	if (logline_parse(msg, len, kind, &ll) != 0)
		return;
	memset(&d, 0, sizeof d);
	for (i = 0; i < M_COUNT; i++)
		d.m[i] = -1;
	switch (ll.kind) {
	case LOGLINE_ACCESS_JSON:
	case LOGLINE_ACCESS_TEXT:
		s->seen.access++;
		if (ll.status < 0)
			break;
		s->seen.access_status++;
		stats_status(&d, ll.status);
		if (ll.method[0] != '\0' || ll.path[0] != '\0')
			s->seen.access_route++;
		if (ll.latency_ms >= 0) {
			s->seen.access_latency++;
			d.m[M_LATENCY] = (double)ll.latency_ms;
		}
		if (ll.integration_latency_ms >= 0) {
			s->seen.access_integration++;
			d.m[M_INTEGRATION] = (double)ll.integration_latency_ms;
		}
		break;
	case LOGLINE_EXEC_STATUS:
		s->seen.exec++;
		s->seen.exec_status++;
		if (!s->have_access && ll.status >= 0)
			stats_status(&d, ll.status);
		break;
	case LOGLINE_EXEC_RESPONSE:
		s->seen.exec++;
		if (ll.integration_latency_ms >= 0)
			s->seen.exec_integration++;
		if (!s->have_access && ll.integration_latency_ms >= 0)
			d.m[M_INTEGRATION] = (double)ll.integration_latency_ms;
		break;
	case LOGLINE_EXEC_THROTTLED:
		d.throttle = 1;
		break;
	case LOGLINE_EXEC_INVOKE_FAILED:
		d.throttle = ll.status == 429;
		break;
	case LOGLINE_LAMBDA_REPORT:
		s->seen.reports++;
		d.invocation = 1;
		d.cold = ll.init_ms >= 0;
		if (ll.duration_ms >= 0)
			d.m[M_DURATION] = ll.duration_ms;
		d.timeout =
		    ll.is_json && strcmp(ll.lambda_status, "timeout") == 0;
		break;
	case LOGLINE_LAMBDA_TIMEOUT:
		d.timeout = 1;
		break;
	default:
		return;
	}
	if (kind == LOGLINE_SRC_EXECUTION || kind == LOGLINE_SRC_ACCESS)
		function = NULL;
	bin = (uint32_t)(stats_floor(ts, s->bin_ms) - s->first_bin / s->bin_ms);
	stats_apply(s, 0, bin, &d);
	key = stats_key(s, &ll, function, &d, tmp, sizeof tmp);
	if (key != NULL)
		stats_apply(s, stats_series_of(s, key), bin, &d);
}

/* Nearest-rank percentile; see stats.h. */
double
stats_rank(const double *v, size_t n, double p)
{
	size_t r;

	if (n == 0)
		return (0);
	r = (size_t)ceil(p / 100.0 * (double)n - 1e-9);
	if (r < 1)
		r = 1;
	if (r > n)
		r = n;
	return (v[r - 1]);
}

static int
stats_cmp_bin(const void *a, const void *b)
{
	const struct stats_sample *x = a, *y = b;

	if (x->series != y->series)
		return (x->series < y->series ? -1 : 1);
	if (x->bin != y->bin)
		return (x->bin < y->bin ? -1 : 1);
	return (x->v < y->v ? -1 : x->v > y->v);
}

static int
stats_cmp_total(const void *a, const void *b)
{
	const struct stats_sample *x = a, *y = b;

	if (x->series != y->series)
		return (x->series < y->series ? -1 : 1);
	return (x->v < y->v ? -1 : x->v > y->v);
}

/* The percentiles of the samples [i, j) of v into *p (scratch: tmp). */
static void
stats_pct_of(const struct stats_sample *v, size_t i, size_t j, double *tmp,
    struct stats_pct *p)
{
	size_t k;

	for (k = i; k < j; k++)
		tmp[k - i] = v[k].v;
	p->n = j - i;
	p->p50 = stats_rank(tmp, j - i, 50);
	p->p95 = stats_rank(tmp, j - i, 95);
	p->p99 = stats_rank(tmp, j - i, 99);
}

/* The percentile field of metric m in a cell. */
static struct stats_pct *
stats_cell_pct(struct stats_cell *c, int m)
{
	return (m == M_LATENCY       ? &c->latency
		: m == M_INTEGRATION ? &c->integration
				     : &c->duration);
}

/* Percentiles of one metric, per bin and per series. */
static void
stats_percentiles(struct stats *s, int m)
{
	struct stats_vec *v = &s->m[m];
	struct stats_series *se;
	double *tmp;
	size_t i, j;

	if (v->n == 0)
		return;
	tmp = xreallocarray(NULL, v->n, sizeof *tmp);
	qsort(v->v, v->n, sizeof *v->v, stats_cmp_bin);
	for (i = 0; i < v->n; i = j) {
		for (j = i; j < v->n && v->v[j].series == v->v[i].series &&
			    v->v[j].bin == v->v[i].bin;
		     j++)
			;
		se = &s->series[v->v[i].series];
		stats_pct_of(
		    v->v, i, j, tmp, stats_cell_pct(&se->bins[v->v[i].bin], m));
	}
	qsort(v->v, v->n, sizeof *v->v, stats_cmp_total);
	for (i = 0; i < v->n; i = j) {
		for (j = i; j < v->n && v->v[j].series == v->v[i].series; j++)
			;
		se = &s->series[v->v[i].series];
		stats_pct_of(v->v, i, j, tmp, stats_cell_pct(&se->total, m));
	}
	free(tmp);
}

/* Sum the counts of every bin into the series' total. */
static void
stats_total(struct stats_series *se, size_t nbins)
{
	struct stats_cell *t = &se->total, *c;
	size_t b;

	for (b = 0; b < nbins; b++) {
		c = &se->bins[b];
		t->requests += c->requests;
		t->s4xx += c->s4xx;
		t->s5xx += c->s5xx;
		t->invocations += c->invocations;
		t->cold += c->cold;
		t->timeouts += c->timeouts;
		t->throttles += c->throttles;
	}
}

/* Hand the result over; see stats.h. */
struct stats_result *
stats_finish(struct stats *s)
{
	struct stats_result *r = xcalloc(1, sizeof *r);
	size_t i;
	int m;

	for (i = 0; i < s->nseries; i++)
		stats_total(&s->series[i], s->nbins);
	for (m = 0; m < M_COUNT; m++)
		stats_percentiles(s, m);
	r->first_bin = s->first_bin;
	r->bin_ms = s->bin_ms;
	r->nbins = s->nbins;
	r->series = s->series;
	r->nseries = s->nseries;
	r->seen = s->seen;
	r->have_access = s->have_access;
	r->by = s->by;
	s->series = NULL;
	s->nseries = 0;
	return (r);
}

static void
stats_series_free(struct stats_series *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(v[i].key);
		free(v[i].bins);
	}
	free(v);
}

/* Free a counter. Accepts NULL. */
void
stats_free(struct stats *s)
{
	int m;

	if (s == NULL)
		return;
	stats_series_free(s->series, s->nseries);
	for (m = 0; m < M_COUNT; m++)
		free(s->m[m].v);
	free(s);
}

/* Free a result. Accepts NULL. */
void
stats_result_free(struct stats_result *r)
{
	if (r == NULL)
		return;
	stats_series_free(r->series, r->nseries);
	free(r);
}

static int
stats_cmp_series(const void *a, const void *b)
{
	const struct stats_series *x = a, *y = b;

	if (x->total.requests != y->total.requests)
		return (x->total.requests > y->total.requests ? -1 : 1);
	if (x->total.invocations != y->total.invocations)
		return (x->total.invocations > y->total.invocations ? -1 : 1);
	return (strcmp(x->key, y->key));
}

/* Order the keys; see stats.h. */
void
stats_result_sort(struct stats_result *r)
{
	if (r->nseries > 2)
		qsort(r->series + 1, r->nseries - 1, sizeof *r->series,
		    stats_cmp_series);
}

/* A series of a result by key; see stats.h. */
struct stats_series *
stats_result_key(struct stats_result *r, const char *key)
{
	size_t i;

	for (i = 1; i < r->nseries; i++)
		if (strcmp(r->series[i].key, key) == 0)
			return (&r->series[i]);
	if (r->nseries > STATS_MAX_KEYS && strcmp(key, "(other)") != 0)
		return (stats_result_key(r, "(other)"));
	r->series = xreallocarray(r->series, r->nseries + 1, sizeof *r->series);
	memset(&r->series[i], 0, sizeof r->series[i]);
	r->series[i].key = xstrdup(key);
	r->series[i].bins = xcalloc(r->nbins, sizeof *r->series[i].bins);
	r->nseries++;
	return (&r->series[i]);
}

/* Parse --by; see stats.h. */
int
stats_parse_by(const char *s, enum stats_by *by)
{
	if (strcmp(s, "route") == 0)
		*by = STATS_BY_ROUTE;
	else if (strcmp(s, "status") == 0)
		*by = STATS_BY_STATUS;
	else if (strcmp(s, "function") == 0)
		*by = STATS_BY_FUNCTION;
	else
		return (-1);
	return (0);
}

/* Parse --bin; see stats.h. */
int
stats_parse_bin(const char *s, int64_t *ms)
{
	long long n = 0, unit = 1;
	const char *p = s;

	if (*p < '0' || *p > '9')
		return (-1);
	for (; *p >= '0' && *p <= '9'; p++) {
		n = n * 10 + (*p - '0');
		if (n > 86400)
			return (-1);
	}
	if (*p == 'm')
		unit = 60;
	else if (*p == 'h')
		unit = 3600;
	else if (*p == 'd')
		unit = 86400;
	if (*p != '\0' && strchr("smhd", *p) != NULL)
		p++;
	if (*p != '\0' || n < 1 || n * unit > 86400)
		return (-1);
	*ms = n * unit * 1000;
	return (0);
}

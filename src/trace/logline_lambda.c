/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Lambda log lines: the platform lines (START, END, REPORT, INIT_*), Node
 * and Python application lines, timeouts and crashes in the text format,
 * and the JSON format's platform.* records and application lines. See
 * aws-facts.md section 5.
 */

#include <math.h>
#include <string.h>

#include <jansson.h>

#include "trace/logline.h"
#include "trace/logline_int.h"

/* A "Key: value" field of REPORT and INIT_REPORT lines. */
enum report_field {
	F_REQUEST_ID,
	F_DURATION,
	F_BILLED,
	F_INIT,
	F_MEMORY,
	F_MAX_MEMORY,
	F_STATUS,
	F_TRACE,
	F_ERROR_TYPE,
	F_PHASE,
	F_SKIP,
};

/* Longest first: "Duration: " is the tail of "Billed Duration: ". */
static const struct {
	const char *key;
	enum report_field field;
} report_keys[] = {
    {"RequestId: ", F_REQUEST_ID},
    {"Billed Restore Duration: ", F_SKIP},
    {"Billed Duration: ", F_BILLED},
    {"Restore Duration: ", F_SKIP},
    {"Init Duration: ", F_INIT},
    {"Duration: ", F_DURATION},
    {"Max Memory Used: ", F_MAX_MEMORY},
    {"Memory Size: ", F_MEMORY},
    {"Status: ", F_STATUS},
    {"XRAY TraceId: ", F_TRACE},
    {"Error Type: ", F_ERROR_TYPE},
    {"Phase: ", F_PHASE},
};

/* The first word of s. */
static struct logline_span
word(struct logline_span s)
{
	return (logline_token(s, " \t\r\n"));
}

/* Store one REPORT field value v. */
static void
set_report_field(
    enum report_field f, struct logline_span v, struct logline *out)
{
	size_t used;
	double d;
	long n;

	switch (f) {
	case F_REQUEST_ID:
		logline_set_id(out->lambda_id, word(v));
		break;
	case F_STATUS:
		if (word(v).n < LOGLINE_STATUSLEN)
			logline_set_text(out->lambda_status,
			    sizeof(out->lambda_status), word(v));
		break;
	case F_TRACE:
		logline_set_id(out->trace_id, word(v));
		break;
	case F_ERROR_TYPE:
		logline_set_text(
		    out->error_type, sizeof(out->error_type), word(v));
		break;
	case F_PHASE:
		if (word(v).n < LOGLINE_STATUSLEN)
			logline_set_text(
			    out->phase, sizeof(out->phase), word(v));
		break;
	case F_MEMORY:
	case F_MAX_MEMORY:
		if (logline_uint(v, &used, 10000000L, &n) != 0)
			break;
		if (f == F_MEMORY)
			out->memory_mb = (int)n;
		else
			out->max_memory_mb = (int)n;
		break;
	case F_DURATION:
	case F_BILLED:
	case F_INIT:
		if (logline_decimal(v, &used, &d) != 0)
			break;
		if (f == F_DURATION)
			out->duration_ms = d;
		else if (f == F_BILLED)
			out->billed_ms = d;
		else
			out->init_ms = d;
		break;
	case F_SKIP:
		break;
	}
}

/*
 * Read the "Key: value" fields of a REPORT or INIT_REPORT line. Fields
 * are tab-separated, but copies often have spaces, so a key counts at the
 * start or after a tab or space.
 */
static void
read_report(struct logline_span s, struct logline *out)
{
	struct logline_span rest;
	size_t i = 0, k;

	while (i < s.n) {
		if (i > 0 && s.p[i - 1] != '\t' && s.p[i - 1] != ' ') {
			i++;
			continue;
		}
		rest = logline_span_from(s, i);
		for (k = 0; k < sizeof(report_keys) / sizeof(report_keys[0]);
		     k++) {
			if (logline_starts(rest, report_keys[k].key))
				break;
		}
		if (k == sizeof(report_keys) / sizeof(report_keys[0])) {
			i++;
			continue;
		}
		rest = logline_span_from(rest, strlen(report_keys[k].key));
		set_report_field(report_keys[k].field, rest, out);
		i += strlen(report_keys[k].key) + word(rest).n;
	}
}

/*
 * Read "RequestId: ID Error: ..." (runtime exit and other invoke errors)
 * and "RequestId: ID Process exited before completing request".
 */
static int
read_request_error(struct logline_span s, struct logline *out)
{
	struct logline_span id, rest;

	id = word(s);
	rest = logline_span_from(s, id.n);
	if (!logline_starts(rest, " "))
		return (-1);
	rest = logline_span_from(rest, 1);
	if (logline_starts(rest, "Error: Runtime exited"))
		out->kind = LOGLINE_LAMBDA_RUNTIME_EXIT;
	else if (logline_find(rest, "Task timed out after") >= 0)
		out->kind = LOGLINE_LAMBDA_TIMEOUT;
	else if (logline_starts(
		     rest, "Process exited before completing request"))
		out->kind = LOGLINE_LAMBDA_CRASH;
	else if (logline_starts(rest, "Error: "))
		out->kind = LOGLINE_LAMBDA_INVOKE_ERROR;
	else
		return (-1);
	logline_set_id(out->lambda_id, id);
	return (0);
}

/* Set the application message of a line: the text from m on. */
static void
set_text(struct logline_span msg, struct logline_span m, struct logline *out)
{
	out->text_off = (size_t)(m.p - msg.p);
	out->text_len = m.n;
}

/* Read a Python line: "[LEVEL]\tTS\tID\tMESSAGE" or "[LEVEL] MESSAGE". */
static int
read_python(struct logline_span s, struct logline *out)
{
	struct logline_span lvl, rest, f[3];

	lvl = logline_token(logline_span_from(s, 1), "]");
	if (lvl.n + 2 >= s.n || s.p[lvl.n + 1] != ']')
		return (-1);
	out->level = logline_level_word(lvl);
	if (out->level == LOGLINE_LVL_NONE)
		return (-1);
	rest = logline_span_from(s, lvl.n + 3);
	if (s.p[lvl.n + 2] == '\t' && logline_split_tabs(rest, f, 3) == 0 &&
	    logline_looks_like_ts(f[0])) {
		if (logline_is_uuid(f[1]))
			logline_set_id(out->lambda_id, f[1]);
		rest = f[2];
	} else if (s.p[lvl.n + 2] != ' ' && s.p[lvl.n + 2] != '\t')
		return (-1);
	out->kind = LOGLINE_LAMBDA_APP;
	set_text(s, rest, out);
	return (0);
}

/*
 * A Rust tracing line after its timestamp: " ERROR target: msg" (levels
 * are right-aligned, so " INFO" has two spaces). The lambda_runtime span
 * "invoke{requestId=\"ID\" ...}" gives the request id.
 */
static int
read_tracing(
    struct logline_span msg, struct logline_span rest, struct logline *out)
{
	struct logline_span lv, id;
	long at;

	while (rest.n > 0 && rest.p[0] == ' ')
		rest = logline_span_from(rest, 1);
	lv = logline_token(rest, " \t\r\n");
	if (lv.n == rest.n || rest.p[lv.n] != ' ' ||
	    logline_level_word(lv) == LOGLINE_LVL_NONE)
		return (-1);
	out->level = logline_level_word(lv);
	rest = logline_span_from(rest, lv.n + 1);
	at = logline_find(rest, "requestId=\"");
	if (at >= 0) {
		id = logline_token(
		    logline_span_from(rest, (size_t)at + 11), "\"");
		if (logline_is_uuid(id))
			logline_set_id(out->lambda_id, id);
	}
	out->kind = LOGLINE_LAMBDA_APP;
	set_text(msg, rest, out);
	return (0);
}

/*
 * Read a line that starts with a timestamp: Node's "TS\tID\tLEVEL\tMSG"
 * (or "TS\tID\tMSG" from old runtimes; .NET writes the same with its
 * levels), "TS ID Task timed out after", or a Rust tracing line.
 */
static int
read_timestamped(struct logline_span s, struct logline *out)
{
	struct logline_span ts, id, rest, f[3], lv[2];

	ts = word(s);
	rest = logline_span_from(s, ts.n);
	if (rest.n > 0 && rest.p[0] == ' ' && read_tracing(s, rest, out) == 0)
		return (0);
	if (rest.n > 0 && (rest.p[0] == ' ' || rest.p[0] == '\t')) {
		id = word(logline_span_from(rest, 1));
		rest = logline_span_from(rest, 1 + id.n + 1);
		if (logline_starts(rest, "Task timed out after")) {
			logline_set_id(out->lambda_id, id);
			out->kind = LOGLINE_LAMBDA_TIMEOUT;
			return (0);
		}
	}
	if (logline_split_tabs(s, f, 3) != 0 || f[0].n != ts.n)
		return (-1);
	if (logline_is_uuid(f[1]))
		logline_set_id(out->lambda_id, f[1]);
	else if (f[1].n == 0 || logline_token(f[1], " ").n != f[1].n)
		return (-1);
	rest = f[2];
	if (logline_split_tabs(rest, lv, 2) == 0 &&
	    logline_level_word(lv[0]) != LOGLINE_LVL_NONE) {
		out->level = logline_level_word(lv[0]);
		rest = lv[1];
	}
	out->kind = LOGLINE_LAMBDA_APP;
	set_text(s, rest, out);
	return (0);
}

/* Read a Lambda text-format line. */
int
logline_lambda_text(struct logline_span s, struct logline *out)
{
	struct logline_span v;
	long at;

	out->source = LOGLINE_SRC_LAMBDA;
	if (logline_starts(s, "START RequestId: ")) {
		v = logline_span_from(s, strlen("START RequestId: "));
		logline_set_id(out->lambda_id, word(v));
		at = logline_find(v, " Version: ");
		if (at >= 0)
			logline_set_id(out->version,
			    word(logline_span_from(
				v, (size_t)at + strlen(" Version: "))));
		out->kind = LOGLINE_LAMBDA_START;
	} else if (logline_starts(s, "END RequestId: ")) {
		v = logline_span_from(s, strlen("END RequestId: "));
		logline_set_id(out->lambda_id, word(v));
		out->kind = LOGLINE_LAMBDA_END;
	} else if (logline_starts(s, "REPORT ")) {
		read_report(logline_span_from(s, strlen("REPORT ")), out);
		out->kind = LOGLINE_LAMBDA_REPORT;
	} else if (logline_starts(s, "INIT_START Runtime Version: ")) {
		v = logline_span_from(
		    s, strlen("INIT_START Runtime Version: "));
		logline_set_id(out->version, word(v));
		out->kind = LOGLINE_LAMBDA_INIT_START;
	} else if (logline_starts(s, "INIT_REPORT ")) {
		read_report(logline_span_from(s, strlen("INIT_REPORT ")), out);
		out->kind = LOGLINE_LAMBDA_INIT_REPORT;
	} else if (logline_starts(s, "RequestId: ")) {
		if (read_request_error(logline_span_from(s, 11), out) != 0)
			return (-1);
	} else if (s.n > 0 && s.p[0] == '[') {
		if (read_python(s, out) != 0)
			return (-1);
	} else if (logline_looks_like_ts(s)) {
		if (read_timestamped(s, out) != 0)
			return (-1);
	} else if (logline_find(s, "Process exited before completing "
				   "request") >= 0)
		out->kind = LOGLINE_LAMBDA_CRASH;
	else if (logline_starts(s, "thread '") &&
		 logline_find(s, "' panicked at ") > 0) {
		/* Rust: "thread 'main' panicked at src/main.rs:5:5:" */
		out->kind = LOGLINE_LAMBDA_APP;
		out->level = LOGLINE_LVL_FATAL;
		set_text(s, s, out);
	} else if (logline_starts(s, "fail: ") || logline_starts(s, "crit: ")) {
		/* .NET console logging: "fail: Category[0]" */
		out->kind = LOGLINE_LAMBDA_APP;
		out->level =
		    s.p[0] == 'f' ? LOGLINE_LVL_ERROR : LOGLINE_LVL_FATAL;
		set_text(s, logline_span_from(s, 6), out);
	} else if (logline_find(s, "Task timed out after ") >= 0)
		out->kind = LOGLINE_LAMBDA_TIMEOUT;
	else
		return (-1);
	if (out->kind == LOGLINE_LAMBDA_TIMEOUT ||
	    out->kind == LOGLINE_LAMBDA_RUNTIME_EXIT ||
	    out->kind == LOGLINE_LAMBDA_INVOKE_ERROR ||
	    out->kind == LOGLINE_LAMBDA_CRASH)
		out->is_error = 1;
	return (0);
}

/* A JSON number at key of obj as a double, or -1. */
static double
json_num(json_t *obj, const char *key)
{
	json_t *v = json_object_get(obj, key);
	double d;

	if (!json_is_number(v))
		return (-1);
	d = json_number_value(v);
	if (!isfinite(d) || d < 0 || d > 1e12)
		return (-1);
	return (d);
}

/* Copy the JSON string at key of obj into an id field. */
static void
json_id(char *dst, json_t *obj, const char *key)
{
	json_t *v = json_object_get(obj, key);

	if (json_is_string(v))
		logline_set_id(dst, (struct logline_span){json_string_value(v),
					json_string_length(v)});
}

/* Copy the JSON string at key of obj as display text. */
static void
json_text(char *dst, size_t size, json_t *obj, const char *key)
{
	json_t *v = json_object_get(obj, key);

	if (json_is_string(v))
		logline_set_text(dst, size,
		    (struct logline_span){
			json_string_value(v), json_string_length(v)});
}

/* Copy a short JSON string (a status word) at key of obj into dst. */
static void
json_word(char *dst, json_t *obj, const char *key)
{
	json_t *v = json_object_get(obj, key);

	if (json_is_string(v) && json_string_length(v) < LOGLINE_STATUSLEN)
		logline_set_text(dst, LOGLINE_STATUSLEN,
		    (struct logline_span){
			json_string_value(v), json_string_length(v)});
}

/* Read a platform.* record: type is what follows "platform.". */
static void
read_platform(const char *type, json_t *rec, struct logline *out)
{
	json_t *metrics;
	double d;

	json_id(out->lambda_id, rec, "requestId");
	json_word(out->lambda_status, rec, "status");
	json_word(out->phase, rec, "phase");
	json_text(out->error_type, sizeof(out->error_type), rec, "errorType");
	metrics = json_object_get(rec, "metrics");
	if (strcmp(type, "initStart") == 0) {
		out->kind = LOGLINE_LAMBDA_INIT_START;
		json_id(out->version, rec, "runtimeVersion");
	} else if (strcmp(type, "initReport") == 0) {
		out->kind = LOGLINE_LAMBDA_INIT_REPORT;
		out->init_ms = json_num(metrics, "durationMs");
	} else if (strcmp(type, "start") == 0) {
		out->kind = LOGLINE_LAMBDA_START;
		json_id(out->version, rec, "version");
	} else if (strcmp(type, "runtimeDone") == 0) {
		out->kind = LOGLINE_LAMBDA_RUNTIME_DONE;
		out->duration_ms = json_num(metrics, "durationMs");
	} else if (strcmp(type, "report") == 0) {
		out->kind = LOGLINE_LAMBDA_REPORT;
		out->duration_ms = json_num(metrics, "durationMs");
		out->billed_ms = json_num(metrics, "billedDurationMs");
		out->init_ms = json_num(metrics, "initDurationMs");
		d = json_num(metrics, "memorySizeMB");
		out->memory_mb = d > 1e7 ? -1 : (int)d;
		d = json_num(metrics, "maxMemoryUsedMB");
		out->max_memory_mb = d > 1e7 ? -1 : (int)d;
	} else
		out->kind = LOGLINE_LAMBDA_PLATFORM;
}

/* The level a JSON value names: a word, or a pino/bunyan number. */
static enum logline_level
json_level(json_t *v)
{
	json_int_t n;

	if (json_is_string(v))
		return (logline_level_word((struct logline_span){
		    json_string_value(v), json_string_length(v)}));
	if (!json_is_integer(v))
		return (LOGLINE_LVL_NONE);
	n = json_integer_value(v);
	if (n >= 60)
		return (LOGLINE_LVL_FATAL);
	if (n >= 50)
		return (LOGLINE_LVL_ERROR);
	if (n >= 40)
		return (LOGLINE_LVL_WARN);
	if (n >= 30)
		return (LOGLINE_LVL_INFO);
	if (n >= 20)
		return (LOGLINE_LVL_DEBUG);
	return (n >= 10 ? LOGLINE_LVL_TRACE : LOGLINE_LVL_NONE);
}

/* Normalise a key: lower case, without '_', '-' and '.'. */
static void
norm_key(char *dst, size_t size, const char *key)
{
	size_t i, j = 0;

	for (i = 0; key[i] != '\0' && j + 1 < size; i++) {
		if (strchr("_-.", key[i]) != NULL)
			continue;
		dst[j++] = (key[i] >= 'A' && key[i] <= 'Z')
			       ? (char)(key[i] - 'A' + 'a')
			       : key[i];
	}
	dst[j] = '\0';
}

/*
 * Read a JSON Lambda line: a platform.* record, or an application line
 * (with a level key, an errorType and errorMessage, or "requestId" and
 * "timestamp" or "message"). With force any other object counts as an
 * application line too.
 */
int
logline_lambda_json(json_t *obj, int force, struct logline *out)
{
	json_t *type, *v, *level = NULL, *msg = NULL, *etype, *emsg;
	const char *key;
	char nk[64];

	type = json_object_get(obj, "type");
	if (json_is_string(type) &&
	    strncmp(json_string_value(type), "platform.", 9) == 0) {
		read_platform(json_string_value(type) + 9,
		    json_object_get(obj, "record"), out);
		out->source = LOGLINE_SRC_LAMBDA;
		return (0);
	}
	json_object_foreach(obj, key, v)
	{
		norm_key(nk, sizeof nk, key);
		if (level == NULL &&
		    (strcmp(nk, "level") == 0 || strcmp(nk, "loglevel") == 0 ||
			strcmp(nk, "levelname") == 0 ||
			strcmp(nk, "severity") == 0))
			level = v;
		else if (msg == NULL && json_is_string(v) &&
			 (strcmp(nk, "message") == 0 || strcmp(nk, "msg") == 0))
			msg = v;
		else if (strcmp(nk, "correlationid") == 0 && json_is_string(v))
			logline_set_id(out->correlation_id,
			    (struct logline_span){
				json_string_value(v), json_string_length(v)});
	}
	etype = json_object_get(obj, "errorType");
	emsg = json_object_get(obj, "errorMessage");
	if (!json_is_string(etype) || !json_is_string(emsg))
		etype = emsg = NULL;
	if (!force && json_level(level) == LOGLINE_LVL_NONE && etype == NULL &&
	    !(json_is_string(json_object_get(obj, "requestId")) &&
		(json_object_get(obj, "timestamp") != NULL ||
		    json_object_get(obj, "message") != NULL)))
		return (-1);
	out->level = json_level(level);
	if (etype != NULL) {
		/* An unhandled exception: Java, Python, Node runtimes. */
		if (out->level < LOGLINE_LVL_ERROR)
			out->level = LOGLINE_LVL_ERROR;
		json_text(
		    out->error_type, sizeof(out->error_type), obj, "errorType");
		json_text(
		    out->reason, sizeof(out->reason), obj, "errorMessage");
	} else if (msg != NULL)
		logline_set_text(out->reason, sizeof(out->reason),
		    (struct logline_span){
			json_string_value(msg), json_string_length(msg)});
	json_id(out->lambda_id, obj, "requestId");
	json_object_foreach(obj, key, v)
	{
		if (out->lambda_id[0] != '\0')
			break;
		if (logline_key_has_requestid(key))
			json_id(out->lambda_id, obj, key);
	}
	out->kind = LOGLINE_LAMBDA_APP;
	out->source = LOGLINE_SRC_LAMBDA;
	return (0);
}

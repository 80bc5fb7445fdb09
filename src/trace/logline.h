/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Readers for one log event message of API Gateway (execution and access
 * logs) and Lambda (text and JSON formats). Pure functions: a message is
 * pointer + length, not necessarily NUL-terminated, and is never changed.
 *
 * What each kind sets is listed in the enum. Common to all:
 *
 * - Request ids are copied only when they are 1-64 of [A-Za-z0-9$._:/+=-];
 *   a longer or odder value is dropped, never cut, since a truncated id
 *   would correlate with the wrong request. Lambda request ids in Node and
 *   Python lines must be UUIDs (Node writes "undefined" outside a request).
 * - method and path are display text and are cut to fit.
 * - Numbers that are absent are -1.
 * - is_error is set when the line reports a failure: ERROR/FATAL level, a
 *   timeout, a crash, a runtime exit, an execution or configuration error,
 *   an HTTP status of 500 or more, a Lambda status other than "success", or
 *   when logline_is_error() says so.
 *
 * Access logs (JSON): every string under a key whose name, lower-cased and
 * without '_', '-' and '.', contains "requestid" is a request id. The path
 * of keys leading to it (joined the same way) decides which: one that
 * contains "authorizer" is the authorizer Lambda's (authorizer_request_id),
 * "integration" or "awsendpoint" the Lambda's (lambda_id), "extended" the
 * extended id; any other is the API request id (apigw_id). The first of
 * each wins; "-" (API Gateway's empty value) is skipped. So "requestId",
 * "request_id", "integrationRequestId", {"integration":{"requestId":..}}
 * and "authorizer.requestId" all work. Top-level "status", "httpMethod" or
 * "method", "resourcePath", "path" or "routeKey", "responseLatency" or
 * "latency", and "integrationLatency" fill the matching fields.
 *
 * An access-log line that starts with '{' but is not valid JSON (API
 * Gateway does not escape values: $context.error.messageString comes
 * with its own quotes) is scanned key by key with the same rules: a
 * string value ends at the '"' followed by ',' or '}'. is_json stays 0.
 * A route key "GET /items" next to the method GET becomes the path
 * "/items" (never "GET GET /items").
 *
 * Lambda lines: REPORT and INIT_REPORT give Status (lambda_status), Error
 * Type (error_type) and Phase (phase), as do the JSON format's platform.*
 * records (status, errorType, phase). Application lines get a level from
 * Node/.NET/Python prefixes (.NET's fail and crit are ERROR and FATAL),
 * from a Rust tracing line "TS LEVEL target: msg", from "thread 'x'
 * panicked at" (FATAL), or from a JSON key level, log_level, levelname or
 * severity (a string, or a pino number). A JSON object with errorType and
 * errorMessage (the Java, Python and Node runtimes' unhandled exception)
 * is an ERROR with error_type and reason. A JSON line's message (message,
 * msg or errorMessage) is its reason; correlation_id (Powertools, any
 * spelling) its correlation_id.
 *
 * Access logs (text, e.g. CLF): UUID-shaped tokens are collected in uuids,
 * the first becoming apigw_id; a CLF request '"METHOD PATH PROTO" STATUS
 * LEN ID' also gives method, path, status and, when no UUID was seen, ID
 * as apigw_id (HTTP API request ids are not UUIDs).
 */
#ifndef APILOGS_LOGLINE_H
#define APILOGS_LOGLINE_H

#include <stddef.h>

#define LOGLINE_IDLEN 65     /* ids of up to 64 bytes, and the NUL */
#define LOGLINE_PATHLEN 257  /* paths are cut at 256 bytes */
#define LOGLINE_METHODLEN 16 /* HTTP methods of up to 15 bytes */
#define LOGLINE_STATUSLEN 24 /* Lambda status words */
#define LOGLINE_MAXUUIDS 4
#define LOGLINE_UUIDLEN 37
#define LOGLINE_ERRTYPELEN 96 /* error types, cut to fit */
#define LOGLINE_REASONLEN 128 /* reasons and error messages, cut to fit */

/* Which log a message comes from, as a hint to logline_parse(). */
enum logline_source {
	LOGLINE_SRC_AUTO,      /* unknown: try every reader */
	LOGLINE_SRC_EXECUTION, /* API-Gateway-Execution-Logs_... */
	LOGLINE_SRC_ACCESS,    /* an access-log group */
	LOGLINE_SRC_LAMBDA,    /* a Lambda function's group */
};

enum logline_level {
	LOGLINE_LVL_NONE,
	LOGLINE_LVL_TRACE,
	LOGLINE_LVL_DEBUG,
	LOGLINE_LVL_INFO,
	LOGLINE_LVL_WARN,
	LOGLINE_LVL_ERROR,
	LOGLINE_LVL_FATAL,
};

enum logline_kind {
	LOGLINE_UNKNOWN,
	/* Execution log lines; apigw_id comes from the "(id) " prefix. */
	LOGLINE_EXEC_OTHER,        /* a prefixed line of no known kind */
	LOGLINE_EXEC_EXTENDED_ID,  /* Extended Request Id: -> extended_id */
	LOGLINE_EXEC_START,        /* Starting execution for request: */
	LOGLINE_EXEC_METHOD,       /* HTTP Method: M, Resource Path: P */
	LOGLINE_EXEC_ENDPOINT_URI, /* Endpoint request URI: -> function */
	LOGLINE_EXEC_SENDING,      /* Sending request to URI -> function */
	LOGLINE_EXEC_RESPONSE,     /* Received response. -> latency, status */
	LOGLINE_EXEC_RESPONSE_HEADERS, /* x-amzn-RequestId= -> lambda_id */
	LOGLINE_EXEC_INTEGRATION_ID, /* AWS Integration Endpoint RequestId : */
	LOGLINE_EXEC_COMPLETED,      /* Successfully completed execution */
	LOGLINE_EXEC_STATUS,         /* Method completed with status: N */
	LOGLINE_EXEC_AUTH_START,     /* Starting authorizer: ID -> authorizer */
	LOGLINE_EXEC_AUTH_RESULT,    /* Authorizer result body before parsing */
	LOGLINE_EXEC_AUTH_POLICY,    /* Using valid authorizer policy for ... */
	LOGLINE_EXEC_AUTH_DONE,      /* Successfully completed authorizer ... */
	LOGLINE_EXEC_UNAUTHORIZED,   /* Unauthorized request: */
	LOGLINE_EXEC_LAMBDA_ERROR,   /* Lambda execution failed ... -> status,
					lambda_id */
	LOGLINE_EXEC_CONFIG_ERROR,   /* Execution failed due to configuration
					error: */
	LOGLINE_EXEC_FAILED,         /* Execution failed due to (other) */
	LOGLINE_EXEC_THROTTLED,      /* ... throttle limit exceeded ... */
	LOGLINE_EXEC_TRACE_ID,       /* X-ray Tracing ID : -> trace_id */
	LOGLINE_EXEC_INVOKE_FAILED,  /* Lambda invocation failed with status:
					N. -> status (Lambda's), lambda_id,
					reason */
	LOGLINE_EXEC_TIMEOUT,        /* Execution failed due to a timeout
					error (the integration, 504) */
	LOGLINE_EXEC_WS_ROUTE,       /* WebSocket Request Route: [R] -> path */
	/* Lambda lines, text or JSON; lambda_id where the line has one. */
	LOGLINE_LAMBDA_INIT_START,   /* INIT_START / platform.initStart ->
					version (the runtime version) */
	LOGLINE_LAMBDA_INIT_REPORT,  /* INIT_REPORT / platform.initReport ->
					init_ms, lambda_status */
	LOGLINE_LAMBDA_START,        /* START / platform.start -> version */
	LOGLINE_LAMBDA_END,          /* END RequestId: */
	LOGLINE_LAMBDA_RUNTIME_DONE, /* platform.runtimeDone -> lambda_status,
					duration_ms */
	LOGLINE_LAMBDA_REPORT,       /* REPORT / platform.report -> metrics,
					lambda_status, trace_id */
	LOGLINE_LAMBDA_APP,          /* application line (Node, Python, JSON)
					-> level, text */
	LOGLINE_LAMBDA_TIMEOUT,      /* Task timed out after N seconds */
	LOGLINE_LAMBDA_RUNTIME_EXIT, /* RequestId: ID Error: Runtime exited */
	LOGLINE_LAMBDA_INVOKE_ERROR, /* RequestId: ID Error: (other) */
	LOGLINE_LAMBDA_CRASH,        /* Process exited before completing ... */
	LOGLINE_LAMBDA_PLATFORM,     /* another platform.* JSON record */
	/* Access log lines. */
	LOGLINE_ACCESS_JSON,
	LOGLINE_ACCESS_TEXT,
};

struct logline {
	enum logline_kind kind;
	enum logline_source source; /* the reader that matched, or AUTO */
	enum logline_level level;
	int is_error;
	int is_json;                     /* the message is a JSON object */
	char apigw_id[LOGLINE_IDLEN];    /* API Gateway request id */
	char extended_id[LOGLINE_IDLEN]; /* API Gateway extended id */
	char lambda_id[LOGLINE_IDLEN];   /* Lambda request id */
	char authorizer[LOGLINE_IDLEN];  /* authorizer id (62mgrc) */
	char authorizer_request_id[LOGLINE_IDLEN]; /* its Lambda request id */
	char trace_id[LOGLINE_IDLEN];              /* X-Ray trace id */
	char function[LOGLINE_IDLEN];              /* Lambda function name */
	char version[LOGLINE_IDLEN];           /* Lambda or runtime version */
	char lambda_status[LOGLINE_STATUSLEN]; /* success, timeout, ... */
	char phase[LOGLINE_STATUSLEN];         /* init, invoke (INIT_REPORT) */
	char error_type[LOGLINE_ERRTYPELEN];   /* Runtime.OutOfMemory, ... */
	char reason[LOGLINE_REASONLEN];        /* why it failed, or the
						  message of a JSON line */
	char correlation_id[LOGLINE_IDLEN];    /* Powertools correlation_id */
	char method[LOGLINE_METHODLEN];
	char path[LOGLINE_PATHLEN];
	int status; /* HTTP status (integration status for EXEC_RESPONSE) */
	long integration_latency_ms;
	long latency_ms;
	double duration_ms;
	double billed_ms;
	double init_ms;
	int memory_mb;
	int max_memory_mb;
	size_t text_off; /* the human part of the message: after the */
	size_t text_len; /* prefix, or the message field of Node/Python */
	int nuuids;
	char uuids[LOGLINE_MAXUUIDS][LOGLINE_UUIDLEN];
};

/*
 * Read one message of len bytes into *out (always fully set). hint names
 * the log it comes from; with LOGLINE_SRC_AUTO every reader is tried.
 * Return 0 when a known kind was found, -1 for LOGLINE_UNKNOWN.
 */
int logline_parse(
    const char *msg, size_t len, enum logline_source hint, struct logline *out);

/*
 * Where the JSON part of a message starts, for --query: the message after
 * leading white space when it starts with '{' or '['; or the 4th
 * tab-separated field of a Node ("TS\tID\tLEVEL\t...") or Python
 * ("[LEVEL]\tTS\tID\t...") line when that field starts with '{' or '['.
 * Else NULL. The JSON runs to msg + len.
 */
const char *logline_json_start(const char *msg, size_t len);

/*
 * Does the message look like an error, for red marking: ERROR, FATAL or
 * CRITICAL as an upper-case word, "Task timed out", "Process exited before
 * completing request", "Error: Runtime exited", "Execution failed due to",
 * "Lambda execution failed", "Lambda invocation failed", "' panicked at",
 * a REPORT or INIT_REPORT whose Status is not success, a platform.* JSON
 * record with a "status" of error or timeout, a JSON object with both
 * "errorType" and "errorMessage", a .NET "fail" or "crit" level (a tab
 * field or "fail: " at the start), or a JSON level, log_level, levelname
 * or severity of error, fatal or critical (any case) or a pino/bunyan
 * numeric level of 50 or more.
 */
int logline_is_error(const char *msg, size_t len);

/* A short stable name for a kind, e.g. "exec-status"; never NULL. */
const char *logline_kind_name(enum logline_kind kind);

#endif

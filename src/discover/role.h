/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The role of a discovered log group: the API's execution or access log,
 * a Lambda function behind an integration, a Lambda authorizer, or (from
 * a CloudFormation stack) a state machine's log or a log group. Roles
 * are compared as values; their text ("execution", "lambda:orders") is
 * made only for output.
 */
#ifndef APILOGS_ROLE_H
#define APILOGS_ROLE_H

/* In the order discovery lists sources. */
enum discover_role {
	DISCOVER_ROLE_NONE = 0,   /* not from discovery (-g GROUP) */
	DISCOVER_ROLE_EXECUTION,  /* API Gateway execution log */
	DISCOVER_ROLE_ACCESS,     /* API Gateway access log */
	DISCOVER_ROLE_LAMBDA,     /* a function behind an integration */
	DISCOVER_ROLE_AUTHORIZER, /* a Lambda authorizer */
	DISCOVER_ROLE_STATES,     /* a Step Functions state machine's log */
	DISCOVER_ROLE_LOGGROUP,   /* a stack's AWS::Logs::LogGroup */
};

/* "execution", "access", "lambda", "authorizer", "states", "loggroup";
 * NULL for NONE. */
const char *discover_role_name(enum discover_role);
/*
 * The role as users read it: "execution", "access", "lambda:NAME",
 * "authorizer:NAME", "states:NAME", "loggroup" (function is the Lambda
 * function or the state machine, NULL for the others); NULL for
 * DISCOVER_ROLE_NONE. Caller frees with free().
 */
char *discover_role_format(enum discover_role, const char *function);
/*
 * Read a role's text back (the inverse of discover_role_format): 0 with
 * *role and *function set (a copy the caller frees, NULL for the API's
 * logs), or -1 when text is not a role.
 */
int discover_role_parse(
    const char *text, enum discover_role *role, char **function);

#endif

/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Lambda references in API Gateway integration and authorizer URIs, stage
 * variable substitution, and access-log destination ARNs.
 *
 * Forms that name a Lambda function (apiuri_parse_lambda):
 *
 *   arn:PART:apigateway:REGION:lambda:path/VERSION/functions/REF/invocations
 *   https://lambda.REGION.amazonaws.com[.cn]/VERSION/functions/REF/invocations
 *   REF
 *
 * where REF is one of the forms Lambda's own FunctionName accepts:
 *
 *   arn:PART:lambda:REGION:ACCOUNT:function:NAME[:QUALIFIER]
 *   ACCOUNT:function:NAME[:QUALIFIER]
 *   NAME[:QUALIFIER]
 *
 * NAME is 1-64 of [A-Za-z0-9_-]; QUALIFIER is 1-128 of [A-Za-z0-9$_-]
 * ($LATEST, a version or an alias); ACCOUNT is 12 digits; PART is "aws" or
 * starts with "aws-". NAME and QUALIFIER may hold ${stageVariables.VAR}
 * references (VAR is [A-Za-z0-9_]+), which are kept verbatim and flagged
 * "unresolved": call apiuri_substitute() first to resolve them. A reference
 * anywhere else is malformed.
 */
#ifndef APILOGS_APIURI_H
#define APILOGS_APIURI_H

#include <stddef.h>

enum apiuri_kind {
	APIURI_LAMBDA,     /* names a Lambda function */
	APIURI_NOT_LAMBDA, /* a valid URI of another kind (HTTP, SQS, ...) */
	APIURI_MALFORMED,  /* cannot be read; *cause says why */
};

struct apiuri_lambda {
	char *name;      /* function name; never NULL for APIURI_LAMBDA */
	char *qualifier; /* version or alias, or NULL */
	char *region;    /* NULL when the URI does not say */
	char *account;   /* NULL when the URI does not say */
	char *partition; /* NULL when the URI does not say */
	int unresolved;  /* name or qualifier holds ${stageVariables.X} */
};

/*
 * Read the Lambda function a URI names. For APIURI_LAMBDA, *out holds
 * strings the caller frees with apiuri_lambda_free(). For the other kinds
 * *out is all NULL; *cause is set (caller frees with free()) only for
 * APIURI_MALFORMED.
 */
enum apiuri_kind apiuri_parse_lambda(
    const char *uri, struct apiuri_lambda *out, char **cause);
/* Free the strings of *l and clear it. Accepts NULL. */
void apiuri_lambda_free(struct apiuri_lambda *l);

/* A stage variable for apiuri_substitute(). */
struct apiuri_var {
	const char *name;
	const char *value;
};

/*
 * Replace every ${stageVariables.NAME} in uri by the value of NAME in
 * vars[0..nvars). Other ${...} text is copied as it is, and so are values:
 * they are not expanded again. A variable that vars lacks stays in *out
 * verbatim and is listed once in *missing (when missing is not NULL);
 * that is not an error. Return 0 and set *out (caller frees with free()),
 * or -1 and set *cause (caller frees with free()) when a reference is
 * unterminated or has an invalid name, or the result would be over 64 KiB.
 * Free *missing with apiuri_missing_free().
 */
int apiuri_substitute(const char *uri, const struct apiuri_var *vars,
    size_t nvars, char **out, char ***missing, size_t *nmissing, char **cause);
/* Free a list of missing variable names from apiuri_substitute(). */
void apiuri_missing_free(char **missing, size_t nmissing);

enum apiuri_dest_kind {
	APIURI_DEST_LOGS,      /* a CloudWatch Logs log group */
	APIURI_DEST_FIREHOSE,  /* a Firehose delivery stream */
	APIURI_DEST_MALFORMED, /* anything else; *cause says why */
};

struct apiuri_dest {
	char *name; /* log group or delivery stream name */
	char *region;
	char *account;
	char *partition;
};

/*
 * Read an access-log destination ARN: arn:PART:logs:REGION:ACCOUNT:
 * log-group:NAME[:*] or arn:PART:firehose:REGION:ACCOUNT:deliverystream/
 * NAME. Log group names are 1-512 of [.-_/#A-Za-z0-9]; stream names 1-64
 * of [A-Za-z0-9_.-]. On success *out holds strings the caller frees with
 * apiuri_dest_free(); else *out is all NULL and *cause is set (caller
 * frees with free()).
 */
enum apiuri_dest_kind apiuri_parse_destination(
    const char *arn, struct apiuri_dest *out, char **cause);
/* Free the strings of *d and clear it. Accepts NULL. */
void apiuri_dest_free(struct apiuri_dest *d);

#endif

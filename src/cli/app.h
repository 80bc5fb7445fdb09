/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The run context of a command: the loop, settings shared by every AWS
 * call (credentials, retries, timeouts, tracing), the region and one
 * client per service, created on first use with its resolved endpoint.
 */
#ifndef APILOGS_APP_H
#define APILOGS_APP_H

#include "aws/aws.h"
#include "cli/opts.h"

struct loop;
struct query;
struct filter;

struct app {
	struct opts *o;
	struct loop *loop;
	struct aws_ctx ctx;
	char *profile;
	char *region;
	struct aws_client *clients[AWS_NSERVICES];
	void *creds;           /* the credential chain */
	void *config;          /* parsed ~/.aws files */
	struct query *query;   /* --query, compiled once (owned by cli.c) */
	struct filter *filter; /* --grep, --exclude, --level (cli.c's) */
};

/*
 * Resolve profile, region, retry settings and the credential chain. On
 * failure return -1 with *cause and *exit_code (EXIT_CREDS for
 * credentials, profile and region problems).
 */
int app_init(struct app *, struct opts *, char **cause, int *exit_code);
void app_free(struct app *);
/* The client of a service (created on first use). NULL with *cause on a
 * bad endpoint. */
struct aws_client *app_client(struct app *, enum aws_service, char **cause);

#endif

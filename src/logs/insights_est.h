/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The size of a read through Logs Insights, estimated before it starts
 * (`get --engine auto` chooses Insights above a threshold).
 */
#ifndef APILOGS_INSIGHTS_EST_H
#define APILOGS_INSIGHTS_EST_H

#include <stddef.h>
#include <stdint.h>

struct aws_client;

struct insights_est {
	double bytes;  /* estimated bytes of the window */
	double stored; /* storedBytes of the groups found */
	int64_t first; /* the earliest creation time of those, or 0 */
	char *found;   /* per group: it exists */
	size_t nfound;
	int requests; /* DescribeLogGroups sent */
	int access;   /* the failure was about access */
};

/*
 * The bytes of a group in the window [start, end] (epoch ms): storedBytes
 * times the share of the window in the group's life so far (from its
 * creation, or from now minus the retention when that is later), on the
 * assumption that it was written at an even rate.
 */
double insights_share(double stored, int64_t created, int64_t retention_days,
    int64_t start, int64_t end, int64_t now);

/*
 * Estimate a read of n groups in [start, end] at now (DescribeLogGroups
 * with logGroupIdentifiers, 50 a request; blocking: the command layer
 * only, before an engine runs). Returns 0 with *est (free with
 * insights_est_free), or -1 with *cause (caller frees) and est->access
 * set when access was denied.
 */
int insights_estimate(struct aws_client *, const char **groups, size_t n,
    int64_t start, int64_t end, int64_t now, struct insights_est *est,
    char **cause);
void insights_est_free(struct insights_est *);

#endif

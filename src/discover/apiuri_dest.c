/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Access-log destination ARNs (a CloudWatch Logs log group or a Firehose
 * delivery stream); see apiuri.h.
 */

#include <stdlib.h>
#include <string.h>

#include "core/xmalloc.h"
#include "discover/apiuri.h"
#include "discover/apiuri_int.h"

/* Is s a log group name: 1-512 of [.-_/#A-Za-z0-9]? */
static int
valid_log_group(struct apiuri_span s)
{
	size_t i;

	if (s.n == 0 || s.n > 512)
		return (0);
	for (i = 0; i < s.n; i++) {
		if (!apiuri_is_alnum(s.p[i]) && strchr(".-_/#", s.p[i]) == NULL)
			return (0);
	}
	return (1);
}

/* Is s a delivery stream name: 1-64 of [A-Za-z0-9_.-]? */
static int
valid_stream(struct apiuri_span s)
{
	size_t i;

	if (s.n == 0 || s.n > 64)
		return (0);
	for (i = 0; i < s.n; i++) {
		if (!apiuri_is_alnum(s.p[i]) && strchr("_.-", s.p[i]) == NULL)
			return (0);
	}
	return (1);
}

/* Read an access-log destination ARN; see apiuri.h. */
enum apiuri_dest_kind
apiuri_parse_destination(const char *arn, struct apiuri_dest *out, char **cause)
{
	struct apiuri_span s = apiuri_span_of(arn), f[APIURI_MAX_FIELDS], name;
	size_t nf;
	enum apiuri_dest_kind k;

	memset(out, 0, sizeof(*out));
	*cause = NULL;
	if (apiuri_split_colons(s, f, APIURI_MAX_FIELDS, &nf) != 0 || nf < 6 ||
	    !apiuri_span_eq(f[0], "arn") || !apiuri_valid_partition(f[1]) ||
	    !apiuri_valid_region(f[3]) || !apiuri_valid_account(f[4]))
		goto bad;
	if (apiuri_span_eq(f[2], "logs") && (nf == 7 || nf == 8) &&
	    apiuri_span_eq(f[5], "log-group") && valid_log_group(f[6]) &&
	    (nf == 7 || apiuri_span_eq(f[7], "*"))) {
		k = APIURI_DEST_LOGS;
		name = f[6];
	} else if (apiuri_span_eq(f[2], "firehose") && nf == 6 &&
		   apiuri_span_starts(f[5], "deliverystream/") &&
		   valid_stream(
		       apiuri_span_from(f[5], strlen("deliverystream/")))) {
		k = APIURI_DEST_FIREHOSE;
		name = apiuri_span_from(f[5], strlen("deliverystream/"));
	} else
		goto bad;
	out->name = apiuri_span_dup(name);
	out->region = apiuri_span_dup(f[3]);
	out->account = apiuri_span_dup(f[4]);
	out->partition = apiuri_span_dup(f[1]);
	return (k);
bad:
	*cause = xprintf("not a CloudWatch Logs log group or Firehose "
			 "delivery stream ARN: '%s'",
	    arn);
	return (APIURI_DEST_MALFORMED);
}

/* Free the strings of a parsed destination. */
void
apiuri_dest_free(struct apiuri_dest *d)
{
	if (d == NULL)
		return;
	free(d->name);
	free(d->region);
	free(d->account);
	free(d->partition);
	memset(d, 0, sizeof(*d));
}

/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A log group as the user names it (-g, the GROUP argument), with an
 * optional stream regex after it (issue 16):
 *
 *   NAME            one group: /aws/lambda/orders
 *   NAME*           every group with that prefix (NAME has no regex
 *                   character and does not end in '.')
 *   REGEX           every group whose whole name matches: a value of
 *                   printable ASCII with any of * ? + ( ) [ ] { } | ^ $ \,
 *                   which no log group name contains ('.' is a name
 *                   character, so a value whose only special character is
 *                   '.' is a name; a value with control or non-ASCII
 *                   characters, which only an emulator's names have, is
 *                   a name)
 *   ARN             arn:PARTITION:logs:REGION:ACCOUNT:log-group:NAME,
 *                   with or without the ":*" of DescribeLogGroups' arn;
 *                   read through logGroupIdentifier, so it may name a
 *                   group of a source account in a monitoring account
 *   ...:STREAM_REGEX  after any of them, the first ':' outside
 *                   parentheses and brackets (an ARN: after its NAME and
 *                   ":*") starts that group's STREAM_REGEX
 */
#ifndef APILOGS_GROUPSPEC_H
#define APILOGS_GROUPSPEC_H

#include <stddef.h>

enum groupspec_kind {
	GROUPSPEC_NAME,
	GROUPSPEC_PREFIX,
	GROUPSPEC_REGEX,
	GROUPSPEC_ARN
};

struct groupspec {
	enum groupspec_kind kind;
	char *group;       /* the name, the prefix, the regex or the ARN
			    * (without ":*") */
	char *stream;      /* the STREAM_REGEX after ':', or NULL */
	char *list_prefix; /* REGEX: a prefix every match has ("" if none) */
	void *re;          /* REGEX: pcre2_code *, matched on whole names */
	char *region;      /* ARN: its region */
};

/*
 * Parse arg into *gs (free with groupspec_free()). On a bad value return
 * -1 with *cause ("bad log group regex '...': ... at offset N", "bad log
 * group ARN '...'"); the caller frees it.
 */
int groupspec_parse(const char *arg, struct groupspec *gs, char **cause);
void groupspec_free(struct groupspec *);
/* Does the whole name match a REGEX spec? */
int groupspec_match(const struct groupspec *, const char *name);
/* Is a group reference an ARN (sent as logGroupIdentifier)? */
int groupspec_is_arn(const char *group);
/*
 * The group name of a log group ARN ("arn:PARTITION:logs:REGION:ACCOUNT:
 * log-group:NAME[:*]"), a pointer into arn with its length in *len, and
 * (acct not NULL) its ACCOUNT in *acct, *acct_len; NULL when arn is not
 * one.
 */
const char *groupspec_arn_name(
    const char *arn, size_t *len, const char **acct, size_t *acct_len);
/*
 * Does the group reference ref (a name, or an ARN with or without ":*")
 * name the group log, as a Logs Insights row's @log gives it
 * ("ACCOUNT:NAME", or NAME when the account was cut or the service gives
 * none), or as another reference? The accounts are compared when both
 * are known.
 */
int groupspec_same(const char *ref, const char *log);
/*
 * The longest literal prefix that every match of regex re has, for a
 * server-side prefix: up to the first special character, minus a
 * character that a quantifier follows; "" when re has a '|' anywhere.
 * Caller frees.
 */
char *groupspec_literal_prefix(const char *re);

#endif

/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A tiny, bounded reader for the flat XML of the STS query protocol: the
 * text of the element at a path such as
 * "AssumeRoleResult/Credentials/AccessKeyId", with the five predefined
 * entities and numeric character references decoded. Not a general XML
 * parser: no namespaces prefixes, CDATA or comments are expected (they are
 * skipped as text), and only the first match at each level is used.
 */
#ifndef APILOGS_XMLTAG_H
#define APILOGS_XMLTAG_H

#include <stddef.h>

/*
 * The decoded text of the first element matching path (tag names joined
 * by '/', each searched inside the previous one) in len bytes of xml, or
 * NULL when absent. Caller frees with free().
 */
char *xmltag_get(const char *xml, size_t len, const char *path);

#endif

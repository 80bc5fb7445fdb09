/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A tiny, bounded reader for the flat XML of the STS query protocol: the
 * text of the element at a path such as
 * "AssumeRoleResult/Credentials/AccessKeyId" (or of each element of a
 * list), with the five predefined
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

/* The raw content of an element: borrowed from the document. */
struct xmltag_span {
	const char *p;
	size_t len;
};

/*
 * The contents of the elements named child directly after one another
 * inside the element at path (a list of the query protocol, such as
 * "ListStackResourcesResult/StackResourceSummaries" and "member"), in
 * document order: *out (caller frees with free(); NULL when there are
 * none) holds *n spans into xml, each readable with xmltag_get(). At most
 * max elements are returned. Returns -1 when path is absent.
 */
int xmltag_list(const char *xml, size_t len, const char *path,
    const char *child, size_t max, struct xmltag_span **out, size_t *n);

#endif

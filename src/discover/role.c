/* SPDX-License-Identifier: Apache-2.0 */
/* Roles of discovered log groups. */

#include <stdlib.h>
#include <string.h>

#include "core/xmalloc.h"
#include "discover/role.h"

/* The name of a role; see role.h. */
const char *
discover_role_name(enum discover_role r)
{
	switch (r) {
	case DISCOVER_ROLE_EXECUTION:
		return ("execution");
	case DISCOVER_ROLE_ACCESS:
		return ("access");
	case DISCOVER_ROLE_LAMBDA:
		return ("lambda");
	case DISCOVER_ROLE_AUTHORIZER:
		return ("authorizer");
	default:
		return (NULL);
	}
}

/* The text of a role; see role.h. */
char *
discover_role_format(enum discover_role r, const char *function)
{
	const char *name = discover_role_name(r);

	if (name == NULL)
		return (NULL);
	if (r == DISCOVER_ROLE_LAMBDA || r == DISCOVER_ROLE_AUTHORIZER)
		return (xprintf("%s:%s", name, function ? function : ""));
	return (xstrdup(name));
}

/* Read a role's text; see role.h. */
int
discover_role_parse(const char *text, enum discover_role *role, char **function)
{
	enum discover_role r;
	const char *name, *colon;
	size_t len;

	*role = DISCOVER_ROLE_NONE;
	*function = NULL;
	colon = strchr(text, ':');
	len = colon != NULL ? (size_t)(colon - text) : strlen(text);
	for (r = DISCOVER_ROLE_EXECUTION; r <= DISCOVER_ROLE_AUTHORIZER; r++) {
		name = discover_role_name(r);
		if (strlen(name) == len && memcmp(name, text, len) == 0)
			break;
	}
	if (r > DISCOVER_ROLE_AUTHORIZER)
		return (-1);
	/* Functions go with Lambda roles, and only there. */
	if ((r == DISCOVER_ROLE_LAMBDA || r == DISCOVER_ROLE_AUTHORIZER) !=
	    (colon != NULL))
		return (-1);
	*role = r;
	if (colon != NULL)
		*function = xstrdup(colon + 1);
	return (0);
}

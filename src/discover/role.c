/* SPDX-License-Identifier: Apache-2.0 */
/* Roles of discovered log groups. */

#include <stdlib.h>
#include <string.h>

#include "core/xmalloc.h"
#include "discover/role.h"

/* Does the role's text carry a name ("lambda:NAME")? */
static int
discover_role_named(enum discover_role r)
{
	return (r == DISCOVER_ROLE_LAMBDA || r == DISCOVER_ROLE_AUTHORIZER ||
		r == DISCOVER_ROLE_STATES);
}

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
	case DISCOVER_ROLE_STATES:
		return ("states");
	case DISCOVER_ROLE_LOGGROUP:
		return ("loggroup");
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
	if (discover_role_named(r))
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
	for (r = DISCOVER_ROLE_EXECUTION; r <= DISCOVER_ROLE_LOGGROUP; r++) {
		name = discover_role_name(r);
		if (strlen(name) == len && memcmp(name, text, len) == 0)
			break;
	}
	if (r > DISCOVER_ROLE_LOGGROUP)
		return (-1);
	/* Names go with Lambda and state machine roles, and only there. */
	if (discover_role_named(r) != (colon != NULL))
		return (-1);
	*role = r;
	if (colon != NULL)
		*function = xstrdup(colon + 1);
	return (0);
}

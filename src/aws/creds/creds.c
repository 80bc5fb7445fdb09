/* SPDX-License-Identifier: Apache-2.0 */
/* The credential provider chain (see creds.h). */

#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "aws/creds/credfetch.h"
#include "aws/creds/creds.h"
#include "aws/creds/credsrc.h"
#include "aws/loop.h"
#include "core/xmalloc.h"

struct creds_chain {
	struct creds_opts opts; /* strings owned */
	struct credsrc *root;
};

/* Copy a string that may be a secret (NULL stays NULL). */
static char *
creds_dup(const char *s)
{
	return (s != NULL ? xstrdup(s) : NULL);
}

/* Wipe and free a string. */
static void
creds_wipe(const char *s)
{
	if (s != NULL) {
		OPENSSL_cleanse((char *)s, strlen(s));
		free((char *)s);
	}
}

/* Resolve the chain; see creds.h. */
int
creds_chain_new(
    struct creds_chain **out, const struct creds_opts *o, char **cause)
{
	struct creds_chain *c;

	*out = NULL;
	c = xcalloc(1, sizeof *c);
	c->opts = *o;
	c->opts.region = creds_dup(o->region);
	c->opts.access_key = creds_dup(o->access_key);
	c->opts.secret_key = creds_dup(o->secret_key);
	c->opts.session_token = creds_dup(o->session_token);
	c->opts.ca_bundle = creds_dup(o->ca_bundle);
	if (credsrc_resolve(&c->opts, &c->root, cause) != 0) {
		creds_chain_free(c);
		return (-1);
	}
	*out = c;
	return (0);
}

/* Free a chain, wiping every secret. Accepts NULL. */
void
creds_chain_free(struct creds_chain *c)
{
	if (c == NULL)
		return;
	credsrc_free(c->root);
	free((char *)c->opts.region);
	creds_wipe(c->opts.access_key);
	creds_wipe(c->opts.secret_key);
	creds_wipe(c->opts.session_token);
	free((char *)c->opts.ca_bundle);
	free(c);
}

/* The chain as the signer's credential provider; see creds.h. */
struct aws_creds_provider
creds_chain_provider_of(struct creds_chain *c)
{
	return (credfetch_provider_of(c->root));
}

/* The provider's answer arrived. */
static void
creds_chain_ready(void *arg)
{
	*(int *)arg = 1;
}

/* The current credentials, blocking; see creds.h. */
int
creds_chain_get_sync(
    struct creds_chain *c, const struct aws_creds **out, char **cause)
{
	uint64_t wait;
	int done, rc;

	for (;;) {
		done = 0;
		rc = credfetch_get(
		    c->root, out, creds_chain_ready, &done, &wait, cause);
		if (rc != 1)
			return (rc);
		if (loop_run_until(c->opts.loop, &done) != 0 && !done) {
			credfetch_cancel(c->root, wait);
			*cause = xstrdup("interrupted");
			return (-1);
		}
	}
}

/* The provider name. */
const char *
creds_chain_provider(const struct creds_chain *c)
{
	return (c->root->provider);
}

/* A one-line description for -v. */
char *
creds_chain_describe(const struct creds_chain *c)
{
	return (credsrc_describe(c->root));
}

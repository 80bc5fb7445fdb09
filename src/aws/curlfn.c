/* SPDX-License-Identifier: Apache-2.0 */
/* libcurl, loaded on first use (see curlfn.h). */

#include <dlfcn.h>
#include <stdlib.h>
#include <string.h>

#include "aws/curlfn.h"
#include "core/buf.h"
#include "core/xmalloc.h"

struct curlfn curlfn;

static const char *curlfn_name;
static char *(*curlfn_version_fn)(void);

#if APILOGS_CURL_DLOPEN
static const struct {
	const char *name;
	size_t off;
} curlfn_syms[] = {
    {"curl_global_init", offsetof(struct curlfn, global_init)},
    {"curl_easy_init", offsetof(struct curlfn, easy_init)},
    {"curl_easy_setopt", offsetof(struct curlfn, easy_setopt)},
    {"curl_easy_getinfo", offsetof(struct curlfn, easy_getinfo)},
    {"curl_easy_cleanup", offsetof(struct curlfn, easy_cleanup)},
    {"curl_easy_strerror", offsetof(struct curlfn, easy_strerror)},
    {"curl_multi_init", offsetof(struct curlfn, multi_init)},
    {"curl_multi_setopt", offsetof(struct curlfn, multi_setopt)},
    {"curl_multi_add_handle", offsetof(struct curlfn, multi_add_handle)},
    {"curl_multi_remove_handle", offsetof(struct curlfn, multi_remove_handle)},
    {"curl_multi_perform", offsetof(struct curlfn, multi_perform)},
    {"curl_multi_poll", offsetof(struct curlfn, multi_poll)},
    {"curl_multi_timeout", offsetof(struct curlfn, multi_timeout)},
    {"curl_multi_info_read", offsetof(struct curlfn, multi_info_read)},
    {"curl_multi_cleanup", offsetof(struct curlfn, multi_cleanup)},
    {"curl_slist_append", offsetof(struct curlfn, slist_append)},
    {"curl_slist_free_all", offsetof(struct curlfn, slist_free_all)},
};

/*
 * The names libcurl 7/8 goes by: Debian and most Linux systems (OpenSSL
 * flavour), Debian's GnuTLS flavour (same ABI), the BSDs, then macOS.
 */
static const char *const curlfn_names[] = {
    "libcurl.so.4",
    "libcurl-gnutls.so.4",
    "libcurl.so",
    "libcurl.4.dylib",
    "libcurl.dylib",
};
#define CURLFN_NNAMES (sizeof curlfn_names / sizeof curlfn_names[0])

/* Load libcurl once; see curlfn.h. */
int
curlfn_load(char **cause)
{
	static void *lib;
	struct buf tried;
	void *sym;
	size_t i;

	if (lib != NULL)
		return (0);
	buf_init(&tried, BUF_NOCAP);
	for (i = 0; i < CURLFN_NNAMES && lib == NULL; i++) {
		lib = dlopen(curlfn_names[i], RTLD_NOW | RTLD_LOCAL);
		if (lib == NULL)
			buf_putf(&tried, "%s%s", i > 0 ? "; " : "", dlerror());
		else
			curlfn_name = curlfn_names[i];
	}
	if (lib == NULL) {
		*cause = xprintf("cannot load libcurl (tried: %s); install "
				 "libcurl (the libcurl4 package on Debian)",
		    buf_str(&tried));
		buf_free(&tried);
		return (-1);
	}
	buf_free(&tried);
	for (i = 0; i < sizeof curlfn_syms / sizeof curlfn_syms[0]; i++) {
		sym = dlsym(lib, curlfn_syms[i].name);
		if (sym == NULL) {
			*cause = xprintf("%s has no %s: too old (apilogs "
					 "needs libcurl 7.66.0 or newer)",
			    curlfn_name, curlfn_syms[i].name);
			dlclose(lib);
			lib = NULL;
			curlfn_name = NULL;
			return (-1);
		}
		memcpy((char *)&curlfn + curlfn_syms[i].off, &sym, sizeof sym);
	}
	sym = dlsym(lib, "curl_version");
	if (sym != NULL)
		memcpy(&curlfn_version_fn, &sym, sizeof sym);
	return (0);
}
#else
/* Linked: the real functions, not curlfn.h's macros over the table. */
#undef curl_global_init
#undef curl_easy_init
#undef curl_easy_setopt
#undef curl_easy_getinfo
#undef curl_easy_cleanup
#undef curl_easy_strerror
#undef curl_multi_init
#undef curl_multi_setopt
#undef curl_multi_add_handle
#undef curl_multi_remove_handle
#undef curl_multi_perform
#undef curl_multi_poll
#undef curl_multi_timeout
#undef curl_multi_info_read
#undef curl_multi_cleanup
#undef curl_slist_append
#undef curl_slist_free_all

/* Point the table at the linked libcurl; see curlfn.h. */
int
curlfn_load(char **cause)
{
	(void)cause;
	curlfn.global_init = curl_global_init;
	curlfn.easy_init = curl_easy_init;
	curlfn.easy_setopt = curl_easy_setopt;
	curlfn.easy_getinfo = curl_easy_getinfo;
	curlfn.easy_cleanup = curl_easy_cleanup;
	curlfn.easy_strerror = curl_easy_strerror;
	curlfn.multi_init = curl_multi_init;
	curlfn.multi_setopt = curl_multi_setopt;
	curlfn.multi_add_handle = curl_multi_add_handle;
	curlfn.multi_remove_handle = curl_multi_remove_handle;
	curlfn.multi_perform = curl_multi_perform;
	curlfn.multi_poll = curl_multi_poll;
	curlfn.multi_timeout = curl_multi_timeout;
	curlfn.multi_info_read = curl_multi_info_read;
	curlfn.multi_cleanup = curl_multi_cleanup;
	curlfn.slist_append = curl_slist_append;
	curlfn.slist_free_all = curl_slist_free_all;
	curlfn_version_fn = curl_version;
	curlfn_name = "linked";
	return (0);
}
#endif

/* See curlfn.h. */
const char *
curlfn_loaded_name(void)
{
	return (curlfn_name);
}

/* See curlfn.h. */
const char *
curlfn_version(char **cause)
{
	if (curlfn_load(cause) != 0)
		return (NULL);
	if (curlfn_version_fn == NULL) {
		*cause = xprintf("%s has no curl_version", curlfn_name);
		return (NULL);
	}
	return (curlfn_version_fn());
}

/* libcurl, loaded on first use (see curlfn.h). */

#include <dlfcn.h>
#include <stdlib.h>
#include <string.h>

#include "aws/curlfn.h"
#include "core/xmalloc.h"

struct curlfn curlfn;

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

/* Load libcurl once; see curlfn.h. */
int
curlfn_load(char **cause)
{
	static void *lib;
	void *sym;
	size_t i;

	if (lib != NULL)
		return (0);
	lib = dlopen("libcurl.so.4", RTLD_NOW | RTLD_LOCAL);
	if (lib == NULL) {
		*cause = xprintf("cannot load libcurl (libcurl.so.4): %s; "
				 "install the libcurl4 package",
		    dlerror());
		return (-1);
	}
	for (i = 0; i < sizeof curlfn_syms / sizeof curlfn_syms[0]; i++) {
		sym = dlsym(lib, curlfn_syms[i].name);
		if (sym == NULL) {
			*cause = xprintf("libcurl.so.4 has no %s: too old",
			    curlfn_syms[i].name);
			dlclose(lib);
			lib = NULL;
			return (-1);
		}
		memcpy((char *)&curlfn + curlfn_syms[i].off, &sym, sizeof sym);
	}
	return (0);
}

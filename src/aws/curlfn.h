/* SPDX-License-Identifier: Apache-2.0 */
/*
 * libcurl, loaded on first use. Debian's libcurl pulls in 33 shared
 * libraries (GnuTLS, LDAP, Kerberos, SSH, RTMP...); linking it made every
 * start, even --version, spend about 5 ms and 5 MB in the dynamic linker.
 * Only the commands that talk to AWS load it now (dlopen), through this
 * table. Include this instead of <curl/curl.h>.
 */
#ifndef APILOGS_CURLFN_H
#define APILOGS_CURLFN_H

/* 1: dlopen on first use (default); 0: linked (make CURL_DLOPEN=0). */
#ifndef APILOGS_CURL_DLOPEN
#define APILOGS_CURL_DLOPEN 1
#endif

#define CURL_DISABLE_TYPECHECK
#include <curl/curl.h>

struct curlfn {
	CURLcode (*global_init)(long);
	CURL *(*easy_init)(void);
	CURLcode (*easy_setopt)(CURL *, CURLoption, ...);
	CURLcode (*easy_getinfo)(CURL *, CURLINFO, ...);
	void (*easy_cleanup)(CURL *);
	const char *(*easy_strerror)(CURLcode);
	CURLM *(*multi_init)(void);
	CURLMcode (*multi_setopt)(CURLM *, CURLMoption, ...);
	CURLMcode (*multi_add_handle)(CURLM *, CURL *);
	CURLMcode (*multi_remove_handle)(CURLM *, CURL *);
	CURLMcode (*multi_perform)(CURLM *, int *);
	CURLMcode (*multi_poll)(
	    CURLM *, struct curl_waitfd *, unsigned int, int, int *);
	CURLMcode (*multi_timeout)(CURLM *, long *);
	CURLMsg *(*multi_info_read)(CURLM *, int *);
	CURLMcode (*multi_cleanup)(CURLM *);
	struct curl_slist *(*slist_append)(struct curl_slist *, const char *);
	void (*slist_free_all)(struct curl_slist *);
};

extern struct curlfn curlfn;

/*
 * Load libcurl once: with dlopen (APILOGS_CURL_DLOPEN=1, the default) the
 * first of curlfn_names that loads; linked (CURL_DLOPEN=0 in the Makefile)
 * the table points at the linked functions. -1 with *cause (caller frees)
 * naming every file tried when none loads.
 */
int curlfn_load(char **cause);
/* The file libcurl was loaded from ("libcurl.so.4"), or "linked"; NULL
 * before curlfn_load succeeded. Static. */
const char *curlfn_loaded_name(void);
/* curl_version() of the loaded libcurl ("libcurl/7.88.1 OpenSSL/3.0..."),
 * loading it first; NULL with *cause (caller frees) when it cannot be. */
const char *curlfn_version(char **cause);

/* curl.h defines some of these as argument-count checks: replace them. */
#undef curl_easy_setopt
#undef curl_easy_getinfo
#undef curl_multi_setopt

#define curl_global_init (*curlfn.global_init)
#define curl_easy_init (*curlfn.easy_init)
#define curl_easy_setopt (*curlfn.easy_setopt)
#define curl_easy_getinfo (*curlfn.easy_getinfo)
#define curl_easy_cleanup (*curlfn.easy_cleanup)
#define curl_easy_strerror (*curlfn.easy_strerror)
#define curl_multi_init (*curlfn.multi_init)
#define curl_multi_setopt (*curlfn.multi_setopt)
#define curl_multi_add_handle (*curlfn.multi_add_handle)
#define curl_multi_remove_handle (*curlfn.multi_remove_handle)
#define curl_multi_perform (*curlfn.multi_perform)
#define curl_multi_poll (*curlfn.multi_poll)
#define curl_multi_timeout (*curlfn.multi_timeout)
#define curl_multi_info_read (*curlfn.multi_info_read)
#define curl_multi_cleanup (*curlfn.multi_cleanup)
#define curl_slist_append (*curlfn.slist_append)
#define curl_slist_free_all (*curlfn.slist_free_all)

#endif

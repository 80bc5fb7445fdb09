/* SPDX-License-Identifier: Apache-2.0 */
/* Percent-encoding, query and form builders, endpoint URL parsing. */

#include <ctype.h>
#include <strings.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/num.h"
#include "core/uri.h"
#include "core/xmalloc.h"

static const char hexdigits[] = "0123456789ABCDEF";

/* Is c one of the RFC 3986 unreserved characters A-Za-z0-9-._~? */
static int
uri_unreserved(unsigned char c)
{
	return ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		(c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' ||
		c == '~');
}

/* Value of a hex digit, or -1. */
static int
uri_hexval(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return (c - '0');
	if (c >= 'a' && c <= 'f')
		return (c - 'a' + 10);
	if (c >= 'A' && c <= 'F')
		return (c - 'A' + 10);
	return (-1);
}

/* Append len bytes of s to b, percent-encoded; space as '+' if plus. */
static void
uri_encode_to(
    struct buf *b, const char *s, size_t len, int keep_slash, int plus)
{
	unsigned char c;
	char esc[3];
	size_t i;

	for (i = 0; i < len; i++) {
		c = (unsigned char)s[i];
		if (uri_unreserved(c) || (keep_slash && c == '/'))
			buf_putc(b, (char)c);
		else if (plus && c == ' ')
			buf_putc(b, '+');
		else {
			esc[0] = '%';
			esc[1] = hexdigits[c >> 4];
			esc[2] = hexdigits[c & 0xf];
			buf_put(b, esc, 3);
		}
	}
}

/* Percent-encode s. Caller frees with free(). */
char *
uri_encode(const char *s, size_t len, int keep_slash)
{
	struct buf b;

	buf_init(&b, BUF_NOCAP);
	uri_encode_to(&b, s, len, keep_slash, 0);
	return (buf_take(&b, NULL));
}

/* Decode %XX escapes; invalid escapes stay. Caller frees with free(). */
char *
uri_decode(const char *s, size_t len, size_t *outlen)
{
	char *out;
	size_t i, n = 0;
	int hi, lo;

	out = xmalloc(len + 1);
	for (i = 0; i < len; i++) {
		if (s[i] == '%' && len - i >= 3) {
			hi = uri_hexval((unsigned char)s[i + 1]);
			lo = uri_hexval((unsigned char)s[i + 2]);
			if (hi >= 0 && lo >= 0) {
				out[n++] = (char)(hi << 4 | lo);
				i += 2;
				continue;
			}
		}
		out[n++] = s[i];
	}
	out[n] = '\0';
	if (outlen != NULL)
		*outlen = n;
	return (out);
}

/* Prepare an empty parameter list. */
void
uri_query_init(struct uri_query *q)
{
	q->pairs = NULL;
	q->n = q->size = 0;
}

/* Add a copy of key and value (NULL means ""). */
void
uri_query_add(struct uri_query *q, const char *key, const char *value)
{
	if (q->n == q->size) {
		q->size = q->size == 0 ? 8 : q->size * 2;
		q->pairs = xreallocarray(q->pairs, q->size, sizeof *q->pairs);
	}
	q->pairs[q->n].key = xstrdup(key);
	q->pairs[q->n].value = xstrdup(value == NULL ? "" : value);
	q->n++;
}

/* Order two encoded pairs by key, then by value (a qsort comparator). */
int
uri_pair_cmp(const void *a, const void *b)
{
	const struct uri_pair *pa = a, *pb = b;
	int c;

	c = strcmp(pa->key, pb->key);
	if (c != 0)
		return (c);
	return (strcmp(pa->value, pb->value));
}

/* The encoded, sorted wire query. Caller frees with free(). */
char *
uri_query_string(const struct uri_query *q)
{
	struct uri_pair *enc;
	struct buf b;
	size_t i;

	if (q->n == 0)
		return (xstrdup(""));
	enc = xreallocarray(NULL, q->n, sizeof *enc);
	for (i = 0; i < q->n; i++) {
		enc[i].key =
		    uri_encode(q->pairs[i].key, strlen(q->pairs[i].key), 0);
		enc[i].value =
		    uri_encode(q->pairs[i].value, strlen(q->pairs[i].value), 0);
	}
	qsort(enc, q->n, sizeof *enc, uri_pair_cmp);
	buf_init(&b, BUF_NOCAP);
	for (i = 0; i < q->n; i++) {
		if (i > 0)
			buf_putc(&b, '&');
		buf_putf(&b, "%s=%s", enc[i].key, enc[i].value);
		free(enc[i].key);
		free(enc[i].value);
	}
	free(enc);
	return (buf_take(&b, NULL));
}

/* The form-urlencoded body, in insertion order. Caller frees with free(). */
char *
uri_query_form(const struct uri_query *q)
{
	struct buf b;
	size_t i;

	buf_init(&b, BUF_NOCAP);
	for (i = 0; i < q->n; i++) {
		if (i > 0)
			buf_putc(&b, '&');
		uri_encode_to(
		    &b, q->pairs[i].key, strlen(q->pairs[i].key), 0, 1);
		buf_putc(&b, '=');
		uri_encode_to(
		    &b, q->pairs[i].value, strlen(q->pairs[i].value), 0, 1);
	}
	return (buf_take(&b, NULL));
}

/* Free every pair. */
void
uri_query_free(struct uri_query *q)
{
	size_t i;

	if (q == NULL)
		return;
	for (i = 0; i < q->n; i++) {
		free(q->pairs[i].key);
		free(q->pairs[i].value);
	}
	free(q->pairs);
	uri_query_init(q);
}

/* Free the parts of a parsed URL. */
void
uri_url_free(struct uri_url *u)
{
	if (u == NULL)
		return;
	free(u->scheme);
	free(u->host);
	free(u->path);
	free(u->host_header);
	memset(u, 0, sizeof *u);
}

/* May c appear in a path segment (RFC 3986 pchar, '%' checked apart)? */
static int
uri_pchar(unsigned char c)
{
	return (uri_unreserved(c) || strchr("!$&'()*+,;=:@/", c) != NULL);
}

/* Check an IPv6 literal (without brackets). */
static int
uri_check_ipv6(const char *h, size_t len, char **cause)
{
	size_t i, colons = 0;

	if (len == 0) {
		*cause = xstrdup("empty IPv6 address");
		return (-1);
	}
	for (i = 0; i < len; i++) {
		if (h[i] == ':')
			colons++;
		else if (uri_hexval((unsigned char)h[i]) < 0 && h[i] != '.') {
			*cause = xprintf("invalid character '%c' in IPv6 "
					 "address",
			    h[i]);
			return (-1);
		}
	}
	if (colons < 2) {
		*cause = xstrdup("invalid IPv6 address");
		return (-1);
	}
	return (0);
}

/* Check a host name or IPv4 address. */
static int
uri_check_host(const char *h, size_t len, char **cause)
{
	size_t i;

	if (len == 0) {
		*cause = xstrdup("empty host");
		return (-1);
	}
	for (i = 0; i < len; i++) {
		if (!isalnum((unsigned char)h[i]) && h[i] != '-' &&
		    h[i] != '.' && h[i] != '_') {
			*cause =
			    xprintf("invalid character '%c' in host", h[i]);
			return (-1);
		}
	}
	return (0);
}

/* Parse the port digits p[0..len); 1..65535. */
static int
uri_parse_port(const char *p, size_t len, int *port, char **cause)
{
	const char *errstr;
	char *s;
	size_t i;

	if (len == 0) {
		*cause = xstrdup("empty port");
		return (-1);
	}
	for (i = 0; i < len; i++) {
		if (!isdigit((unsigned char)p[i]))
			break;
	}
	s = xstrndup(p, len);
	if (i == len && len <= 5)
		*port = (int)num_parse(s, 1, 65535, &errstr);
	else
		errstr = "invalid";
	if (errstr != NULL)
		*cause = xprintf("bad port '%s': %s", s, errstr);
	free(s);
	return (errstr != NULL ? -1 : 0);
}

/* Check the base path p[0..len) and store it without trailing slashes. */
static int
uri_parse_path(const char *p, size_t len, struct uri_url *out, char **cause)
{
	size_t i;

	for (i = 0; i < len; i++) {
		if (p[i] == '?' || p[i] == '#') {
			*cause = xstrdup("a query or fragment is not allowed");
			return (-1);
		}
		if (p[i] == '%') {
			if (len - i < 3 ||
			    uri_hexval((unsigned char)p[i + 1]) < 0 ||
			    uri_hexval((unsigned char)p[i + 2]) < 0) {
				*cause = xstrdup("bad percent escape in path");
				return (-1);
			}
		} else if (!uri_pchar((unsigned char)p[i])) {
			*cause =
			    xprintf("invalid character '%c' in path", p[i]);
			return (-1);
		}
	}
	while (len > 0 && p[len - 1] == '/')
		len--;
	out->path = xstrndup(p, len);
	return (0);
}

/* Split an endpoint URL. On error -1 and *cause (caller frees). */
int
uri_parse_url(const char *url, struct uri_url *out, char **cause)
{
	const char *p, *auth, *end, *host, *port = NULL, *sep;
	size_t hlen, i, plen = 0;
	int ipv6 = 0, defport, rc = -1;

	memset(out, 0, sizeof *out);
	for (i = 0; url[i] != '\0'; i++) {
		if ((unsigned char)url[i] <= ' ' ||
		    (unsigned char)url[i] >= 0x7f) {
			*cause = xstrdup("spaces, control or non-ASCII "
					 "characters are not allowed");
			goto out;
		}
	}
	sep = strstr(url, "://");
	if (sep == NULL || sep == url) {
		*cause = xstrdup("no scheme (expected http:// or https://)");
		goto out;
	}
	if ((size_t)(sep - url) == 4 && strncasecmp(url, "http", 4) == 0) {
		out->scheme = xstrdup("http");
		defport = 80;
	} else if ((size_t)(sep - url) == 5 &&
		   strncasecmp(url, "https", 5) == 0) {
		out->scheme = xstrdup("https");
		defport = 443;
	} else {
		*cause = xprintf("unsupported scheme '%.*s' (expected http "
				 "or https)",
		    (int)(sep - url), url);
		goto out;
	}
	auth = sep + 3;
	end = auth + strcspn(auth, "/?#");
	if (memchr(auth, '@', (size_t)(end - auth)) != NULL) {
		*cause = xstrdup("user info is not allowed");
		goto out;
	}
	if (*auth == '[') {
		host = auth + 1;
		p = memchr(host, ']', (size_t)(end - host));
		if (p == NULL) {
			*cause = xstrdup("unterminated IPv6 address");
			goto out;
		}
		hlen = (size_t)(p - host);
		if (uri_check_ipv6(host, hlen, cause) != 0)
			goto out;
		ipv6 = 1;
		p++;
		if (p != end && *p != ':') {
			*cause = xstrdup("unexpected text after IPv6 address");
			goto out;
		}
	} else {
		host = auth;
		p = memchr(auth, ':', (size_t)(end - auth));
		if (p == NULL)
			p = end;
		hlen = (size_t)(p - host);
		if (uri_check_host(host, hlen, cause) != 0)
			goto out;
	}
	if (p != end) {
		port = p + 1;
		plen = (size_t)(end - port);
	}
	out->port = defport;
	if (port != NULL && uri_parse_port(port, plen, &out->port, cause) != 0)
		goto out;
	if (*end == '?' || *end == '#') {
		*cause = xstrdup("a query or fragment is not allowed");
		goto out;
	}
	if (uri_parse_path(end, strlen(end), out, cause) != 0)
		goto out;
	out->host = xstrndup(host, hlen);
	for (i = 0; i < hlen; i++)
		out->host[i] = (char)tolower((unsigned char)out->host[i]);
	if (ipv6 && out->port == defport)
		out->host_header = xprintf("[%s]", out->host);
	else if (ipv6)
		out->host_header = xprintf("[%s]:%d", out->host, out->port);
	else if (out->port == defport)
		out->host_header = xstrdup(out->host);
	else
		out->host_header = xprintf("%s:%d", out->host, out->port);
	rc = 0;
out:
	if (rc != 0)
		uri_url_free(out);
	return (rc);
}

/* The URL with its password redacted; see uri.h. */
char *
uri_redact_password(const char *url)
{
	const char *auth, *end, *at, *colon;
	size_t n;

	auth = strstr(url, "://");
	if (auth == NULL)
		return (xstrdup(url));
	auth += 3;
	n = strcspn(auth, "/?#");
	end = auth + n;
	/* The last '@' of the authority ends the user info. */
	at = NULL;
	for (colon = auth; colon < end; colon++) {
		if (*colon == '@')
			at = colon;
	}
	if (at == NULL)
		return (xstrdup(url));
	colon = memchr(auth, ':', (size_t)(at - auth));
	if (colon == NULL)
		return (xstrdup(url));
	return (xprintf("%.*s<redacted>%s", (int)(colon + 1 - url), url, at));
}

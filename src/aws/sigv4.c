/* SPDX-License-Identifier: Apache-2.0 */
/* AWS Signature Version 4 header signing with OpenSSL libcrypto. */

/* Fail the build if anything here uses an API deprecated in OpenSSL 3.0. */
#define OPENSSL_API_COMPAT 30000
#define OPENSSL_NO_DEPRECATED

#include <sys/types.h>

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/sha.h>

#include "aws/sigv4.h"
#include "core/buf.h"
#include "core/uri.h"
#include "core/xmalloc.h"

#define SIGV4_ALGORITHM "AWS4-HMAC-SHA256"
#define SIGV4_HEXLEN (SHA256_DIGEST_LENGTH * 2 + 1)

/* One header being canonicalised. */
struct sigv4_hdr {
	char *name;   /* lower case */
	char *value;  /* trimmed and squeezed */
	size_t order; /* position in the input, for stable merging */
};

/* Everything the canonical headers step produces. */
struct sigv4_hdrs {
	struct sigv4_hdr *list;
	size_t n;
	char *payload_hash; /* caller-supplied x-amz-content-sha256 */
};

/* Hex-encode n bytes of md into out (2n + 1 bytes). */
static void
sigv4_hex(const unsigned char *md, size_t n, char *out)
{
	static const char hexdigits[] = "0123456789abcdef";
	size_t i;

	for (i = 0; i < n; i++) {
		out[2 * i] = hexdigits[md[i] >> 4];
		out[2 * i + 1] = hexdigits[md[i] & 0xf];
	}
	out[2 * n] = '\0';
}

/* Hex SHA-256 of len bytes of p into out (SIGV4_HEXLEN bytes). */
static void
sigv4_sha256_hex(const void *p, size_t len, char *out)
{
	unsigned char md[SHA256_DIGEST_LENGTH];

	SHA256(p == NULL ? (const unsigned char *)"" : p, len, md);
	sigv4_hex(md, sizeof md, out);
}

/* Is c an RFC 9110 token character (method and header names)? */
static int
sigv4_tchar(unsigned char c)
{
	return ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		(c >= '0' && c <= '9') ||
		(c != '\0' && strchr("!#$%&'*+-.^_`|~", c) != NULL));
}

/* Is s a non-empty run of token characters? */
static int
sigv4_token(const char *s)
{
	if (s == NULL || *s == '\0')
		return (0);
	for (; *s != '\0'; s++) {
		if (!sigv4_tchar((unsigned char)*s))
			return (0);
	}
	return (1);
}

/* Is s non-empty and made of A-Za-z0-9-._~ only (scope components)? */
static int
sigv4_scope_ok(const char *s)
{
	if (s == NULL || *s == '\0')
		return (0);
	for (; *s != '\0'; s++) {
		if (strchr("-._~", *s) == NULL &&
		    !((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') ||
			(*s >= '0' && *s <= '9')))
			return (0);
	}
	return (1);
}

/*
 * Append the canonical path of the wire path to b: with normalize, drop
 * empty and "." segments, resolve "..", and percent-encode each segment
 * once more (every service but S3); otherwise use it verbatim (S3).
 */
static int
sigv4_canonical_path(
    const char *path, int normalize, struct buf *b, char **cause)
{
	const char **seg = NULL, *p;
	size_t *seglen = NULL, n = 0, nslash = 1, len, i;
	char *enc;

	if (path == NULL || *path == '\0')
		path = "/";
	if (*path != '/') {
		*cause = xstrdup("path must begin with '/'");
		return (-1);
	}
	if (!normalize) {
		for (p = path; *p != '\0'; p++) {
			if ((unsigned char)*p <= ' ' ||
			    (unsigned char)*p >= 0x7f || *p == '?' ||
			    *p == '#') {
				*cause = xstrdup("path is not a valid "
						 "percent-encoded wire path");
				return (-1);
			}
		}
		buf_puts(b, path);
		return (0);
	}
	for (p = path; *p != '\0'; p++)
		nslash += (*p == '/');
	seg = xreallocarray(NULL, nslash, sizeof *seg);
	seglen = xreallocarray(NULL, nslash, sizeof *seglen);
	for (p = path; *p != '\0'; p += len) {
		if (*p == '/')
			p++;
		len = strcspn(p, "/");
		if (len == 0 || (len == 1 && p[0] == '.'))
			continue;
		if (len == 2 && p[0] == '.' && p[1] == '.') {
			if (n > 0)
				n--;
			continue;
		}
		seg[n] = p;
		seglen[n++] = len;
	}
	buf_putc(b, '/');
	for (i = 0; i < n; i++) {
		if (i > 0)
			buf_putc(b, '/');
		enc = uri_encode(seg[i], seglen[i], 0);
		buf_puts(b, enc);
		free(enc);
	}
	if (n > 0 && path[strlen(path) - 1] == '/')
		buf_putc(b, '/');
	free(seg);
	free(seglen);
	return (0);
}

/* Decode len bytes of s and encode them again. Caller frees. */
static char *
sigv4_reencode(const char *s, size_t len)
{
	char *dec, *enc;
	size_t dlen;

	dec = uri_decode(s, len, &dlen);
	enc = uri_encode(dec, dlen, 0);
	free(dec);
	return (enc);
}

/*
 * Append the canonical query to b: each key and value decoded and encoded
 * again, valueless keys as "k=", sorted by key then value; empty parts
 * ("a=1&&b=2") are dropped.
 */
static void
sigv4_canonical_query(const char *query, struct buf *b)
{
	struct uri_pair *pairs = NULL;
	const char *p, *eq;
	size_t n = 0, max = 1, len, klen, i;

	if (query == NULL || *query == '\0')
		return;
	for (p = query; *p != '\0'; p++)
		max += (*p == '&');
	pairs = xreallocarray(NULL, max, sizeof *pairs);
	for (p = query; *p != '\0'; p += len + (p[len] == '&')) {
		len = strcspn(p, "&");
		if (len == 0)
			continue;
		eq = memchr(p, '=', len);
		klen = eq == NULL ? len : (size_t)(eq - p);
		pairs[n].key = sigv4_reencode(p, klen);
		if (eq == NULL)
			pairs[n].value = xstrdup("");
		else
			pairs[n].value = sigv4_reencode(eq + 1, len - klen - 1);
		n++;
	}
	qsort(pairs, n, sizeof *pairs, uri_pair_cmp);
	for (i = 0; i < n; i++) {
		if (i > 0)
			buf_putc(b, '&');
		buf_putf(b, "%s=%s", pairs[i].key, pairs[i].value);
		free(pairs[i].key);
		free(pairs[i].value);
	}
	free(pairs);
}

/*
 * Trim a header value and squeeze whitespace runs to one space; an
 * obs-fold line break ([CR]LF followed by SP or HT) counts as whitespace.
 * Other line breaks and control characters are refused, so a value can
 * never smuggle in a header. Caller frees *out.
 */
static int
sigv4_trim_value(const char *v, char **out, char **cause)
{
	struct buf b;
	const char *p;
	int space = 0;

	buf_init(&b, BUF_NOCAP);
	for (p = v; *p != '\0'; p++) {
		if (*p == '\r' || *p == '\n') {
			if (*p == '\r' && p[1] == '\n')
				p++;
			if (p[1] != ' ' && p[1] != '\t') {
				*cause = xstrdup("line break in header value");
				buf_free(&b);
				return (-1);
			}
			space = 1;
		} else if (*p == ' ' || *p == '\t')
			space = 1;
		else if ((unsigned char)*p < ' ' || *p == 0x7f) {
			*cause = xstrdup("control character in header value");
			buf_free(&b);
			return (-1);
		} else {
			if (space && b.len > 0)
				buf_putc(&b, ' ');
			space = 0;
			buf_putc(&b, *p);
		}
	}
	*out = buf_take(&b, NULL);
	return (0);
}

/* Order headers by name, then by input position. */
static int
sigv4_hdr_cmp(const void *a, const void *b)
{
	const struct sigv4_hdr *ha = a, *hb = b;
	int c;

	c = strcmp(ha->name, hb->name);
	if (c != 0)
		return (c);
	return (ha->order < hb->order ? -1 : ha->order > hb->order);
}

/* Append a header to the list; name is lower-cased, value trimmed. */
static int
sigv4_hdr_add(
    struct sigv4_hdrs *h, const char *name, const char *value, char **cause)
{
	struct sigv4_hdr *e;
	char *p;

	if (!sigv4_token(name)) {
		*cause = xprintf(
		    "invalid header name '%s'", name == NULL ? "(null)" : name);
		return (-1);
	}
	e = &h->list[h->n];
	if (sigv4_trim_value(value == NULL ? "" : value, &e->value, cause) !=
	    0) {
		p = *cause;
		*cause = xprintf("%s: %s", name, p);
		free(p);
		return (-1);
	}
	e->name = xstrdup(name);
	for (p = e->name; *p != '\0'; p++) {
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
	}
	e->order = h->n++;
	return (0);
}

/* Free the header list. */
static void
sigv4_hdrs_free(struct sigv4_hdrs *h)
{
	size_t i;

	for (i = 0; i < h->n; i++) {
		/* The session token is a secret: wipe our copy. */
		if (strcmp(h->list[i].name, "x-amz-security-token") == 0)
			OPENSSL_cleanse(
			    h->list[i].value, strlen(h->list[i].value));
		free(h->list[i].name);
		free(h->list[i].value);
	}
	free(h->list);
	h->list = NULL;
	h->n = 0;
}

/*
 * Collect the caller's headers plus the ones the signer adds, refuse the
 * reserved names, and sort. h->payload_hash borrows a caller-supplied
 * x-amz-content-sha256 value.
 */
static int
sigv4_collect(const struct sigv4_input *in, const char *amz_date,
    const char *content_sha256, struct sigv4_hdrs *h, char **cause)
{
	const char *name;
	size_t i, nhost = 0;
	int token;

	token = in->session_token != NULL && !(in->flags & SIGV4_OMIT_TOKEN);
	h->list = xcalloc(in->nheaders + 3, sizeof *h->list);
	for (i = 0; i < in->nheaders; i++) {
		if (sigv4_hdr_add(h, in->headers[i].name, in->headers[i].value,
			cause) != 0)
			return (-1);
		name = h->list[h->n - 1].name;
		if (strcmp(name, "x-amz-date") == 0 ||
		    strcmp(name, "authorization") == 0 ||
		    strcmp(name, "x-amz-security-token") == 0 ||
		    (strcmp(name, "x-amz-content-sha256") == 0 &&
			content_sha256 != NULL)) {
			*cause = xprintf("header %s is set by the signer",
			    in->headers[i].name);
			return (-1);
		}
		if (strcmp(name, "x-amz-content-sha256") == 0) {
			if (h->payload_hash != NULL) {
				*cause = xstrdup("more than one "
						 "x-amz-content-sha256 header");
				return (-1);
			}
			h->payload_hash = h->list[h->n - 1].value;
		}
		if (strcmp(name, "host") == 0 && nhost++ > 0) {
			*cause = xstrdup("more than one Host header");
			return (-1);
		}
	}
	if (nhost == 0) {
		*cause = xstrdup("no Host header to sign");
		return (-1);
	}
	if (sigv4_hdr_add(h, "x-amz-date", amz_date, cause) != 0)
		return (-1);
	if (token && sigv4_hdr_add(h, "x-amz-security-token", in->session_token,
			 cause) != 0)
		return (-1);
	if (content_sha256 != NULL && sigv4_hdr_add(h, "x-amz-content-sha256",
					  content_sha256, cause) != 0)
		return (-1);
	qsort(h->list, h->n, sizeof *h->list, sigv4_hdr_cmp);
	return (0);
}

/* Append canonical header lines to creq and the names to signed. */
static void
sigv4_canonical_headers(
    const struct sigv4_hdrs *h, struct buf *creq, struct buf *signed_hdrs)
{
	size_t i;

	for (i = 0; i < h->n; i++) {
		if (i > 0 &&
		    strcmp(h->list[i].name, h->list[i - 1].name) == 0) {
			buf_putf(creq, ",%s", h->list[i].value);
			continue;
		}
		if (i > 0) {
			buf_putc(creq, '\n');
			buf_putc(signed_hdrs, ';');
		}
		buf_putf(creq, "%s:%s", h->list[i].name, h->list[i].value);
		buf_puts(signed_hdrs, h->list[i].name);
	}
	buf_putc(creq, '\n');
}

/*
 * Derive the signing key (HMAC chain from "AWS4" + secret over the date part
 * of amz_date, region, service, "aws4_request") and sign sts; hex signature
 * into sig (SIGV4_HEXLEN bytes). All key material is wiped.
 */
static int
sigv4_hmac_sign(const struct sigv4_input *in, const char *amz_date,
    const char *sts, char *sig, char **cause)
{
	unsigned char k1[EVP_MAX_MD_SIZE], k2[EVP_MAX_MD_SIZE];
	unsigned int len = 0;
	char *secret;
	size_t slen;
	int rc = -1;

	slen = strlen(in->secret_key);
	if (slen > INT_MAX - 8) {
		*cause = xstrdup("secret key too long");
		return (-1);
	}
	/* Built by hand so no stdio buffer keeps a copy of the secret. */
	secret = xmalloc(slen + 5);
	memcpy(secret, "AWS4", 4);
	memcpy(secret + 4, in->secret_key, slen + 1);
	if (HMAC(EVP_sha256(), secret, (int)slen + 4,
		(const unsigned char *)amz_date, 8, k1, &len) == NULL ||
	    HMAC(EVP_sha256(), k1, (int)len, (const unsigned char *)in->region,
		strlen(in->region), k2, &len) == NULL ||
	    HMAC(EVP_sha256(), k2, (int)len, (const unsigned char *)in->service,
		strlen(in->service), k1, &len) == NULL ||
	    HMAC(EVP_sha256(), k1, (int)len,
		(const unsigned char *)"aws4_request", 12, k2, &len) == NULL ||
	    HMAC(EVP_sha256(), k2, (int)len, (const unsigned char *)sts,
		strlen(sts), k1, &len) == NULL ||
	    len != SHA256_DIGEST_LENGTH) {
		*cause = xstrdup("HMAC-SHA256 failed");
		goto out;
	}
	sigv4_hex(k1, len, sig);
	rc = 0;
out:
	OPENSSL_cleanse(secret, slen + 4);
	free(secret);
	OPENSSL_cleanse(k1, sizeof k1);
	OPENSSL_cleanse(k2, sizeof k2);
	return (rc);
}

/* Check the parts of the input that are not checked elsewhere. */
static int
sigv4_check_input(const struct sigv4_input *in, char **cause)
{
	if (!sigv4_token(in->method))
		*cause = xstrdup("invalid method");
	else if (!sigv4_scope_ok(in->region))
		*cause = xstrdup("invalid region");
	else if (!sigv4_scope_ok(in->service))
		*cause = xstrdup("invalid service name");
	else if (!sigv4_scope_ok(in->access_key))
		*cause = xstrdup("invalid access key id");
	else if (in->secret_key == NULL || *in->secret_key == '\0')
		*cause = xstrdup("empty secret access key");
	else if (in->body == NULL && in->body_len > 0)
		*cause = xstrdup("body length without a body");
	else if (in->headers == NULL && in->nheaders > 0)
		*cause = xstrdup("header count without headers");
	else
		return (0);
	return (-1);
}

/* Sign a request; see sigv4.h. */
int
sigv4_sign(const struct sigv4_input *in, struct sigv4_output *out, char **cause)
{
	struct sigv4_hdrs h = {NULL, 0, NULL};
	struct buf creq, signed_hdrs, sts;
	struct tm tm;
	char amz_date[32], body_hash[SIGV4_HEXLEN];
	char creq_hash[SIGV4_HEXLEN], sig[SIGV4_HEXLEN];
	int rc = -1;

	memset(out, 0, sizeof *out);
	buf_init(&creq, BUF_NOCAP);
	buf_init(&signed_hdrs, BUF_NOCAP);
	buf_init(&sts, BUF_NOCAP);
	if (sigv4_check_input(in, cause) != 0)
		goto out;
	if (gmtime_r(&in->now, &tm) == NULL || tm.tm_year < 1000 - 1900 ||
	    tm.tm_year > 9999 - 1900 ||
	    strftime(amz_date, sizeof amz_date, "%Y%m%dT%H%M%SZ", &tm) != 16) {
		*cause = xstrdup("signing time out of range");
		goto out;
	}
	out->amz_date = xstrdup(amz_date);
	sigv4_sha256_hex(in->body, in->body_len, body_hash);
	if (in->flags & SIGV4_SIGN_BODY)
		out->content_sha256 = xstrdup(body_hash);

	buf_puts(&creq, in->method);
	buf_putc(&creq, '\n');
	if (sigv4_canonical_path(
		in->path, !(in->flags & SIGV4_NO_NORMALIZE), &creq, cause) != 0)
		goto out;
	buf_putc(&creq, '\n');
	sigv4_canonical_query(in->query, &creq);
	buf_putc(&creq, '\n');
	if (sigv4_collect(in, amz_date, out->content_sha256, &h, cause) != 0)
		goto out;
	sigv4_canonical_headers(&h, &creq, &signed_hdrs);
	buf_putf(&creq, "\n%s\n%s", buf_str(&signed_hdrs),
	    h.payload_hash != NULL ? h.payload_hash : body_hash);
	sigv4_sha256_hex(creq.data, creq.len, creq_hash);

	buf_putf(&sts, "%s\n%s\n%.8s/%s/%s/aws4_request\n%s", SIGV4_ALGORITHM,
	    amz_date, amz_date, in->region, in->service, creq_hash);
	if (sigv4_hmac_sign(in, amz_date, buf_str(&sts), sig, cause) != 0)
		goto out;
	out->signature = xstrdup(sig);
	out->authorization =
	    xprintf("%s Credential=%s/%.8s/%s/%s/aws4_request, "
		    "SignedHeaders=%s, Signature=%s",
		SIGV4_ALGORITHM, in->access_key, amz_date, in->region,
		in->service, buf_str(&signed_hdrs), sig);
	out->canonical_request = buf_take(&creq, NULL);
	out->string_to_sign = buf_take(&sts, NULL);
	rc = 0;
out:
	if (rc != 0)
		sigv4_output_free(out);
	sigv4_hdrs_free(&h);
	buf_free(&creq);
	buf_free(&signed_hdrs);
	buf_free(&sts);
	return (rc);
}

/* Free the strings of an output. */
void
sigv4_output_free(struct sigv4_output *out)
{
	if (out == NULL)
		return;
	free(out->authorization);
	free(out->amz_date);
	free(out->content_sha256);
	free(out->canonical_request);
	free(out->string_to_sign);
	free(out->signature);
	memset(out, 0, sizeof *out);
}

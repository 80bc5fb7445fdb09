/* SPDX-License-Identifier: Apache-2.0 */
/* Credential values: copies, wiping and timestamps. */

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/crypto.h>

#include "aws/cred.h"
#include "core/xmalloc.h"

/* Wipe and free one string. */
static void
cred_wipe(char *s)
{
	if (s == NULL)
		return;
	OPENSSL_cleanse(s, strlen(s));
	free(s);
}

/* Wipe and free every string of c and zero it. */
void
cred_clear(struct aws_creds *c)
{
	if (c == NULL)
		return;
	cred_wipe(c->access_key);
	cred_wipe(c->secret_key);
	cred_wipe(c->session_token);
	free(c->account_id);
	memset(c, 0, sizeof *c);
}

/* Set the strings of c from copies. */
void
cred_set(struct aws_creds *c, const char *access_key, const char *secret_key,
    const char *session_token, const char *account_id)
{
	cred_wipe(c->access_key);
	cred_wipe(c->secret_key);
	cred_wipe(c->session_token);
	free(c->account_id);
	c->access_key = xstrdup(access_key != NULL ? access_key : "");
	c->secret_key = xstrdup(secret_key != NULL ? secret_key : "");
	c->session_token = session_token != NULL && *session_token != '\0'
			       ? xstrdup(session_token)
			       : NULL;
	c->account_id = account_id != NULL && *account_id != '\0'
			    ? xstrdup(account_id)
			    : NULL;
}

/* Deep copy src into dst. */
void
cred_copy(struct aws_creds *dst, const struct aws_creds *src)
{
	if (dst == src)
		return;
	cred_clear(dst);
	cred_set(dst, src->access_key, src->secret_key, src->session_token,
	    src->account_id);
	dst->expires_ms = src->expires_ms;
	dst->provider = src->provider;
}

/* Read exactly n digits into *v. */
static int
cred_digits(const char **p, int n, int *v)
{
	int i;

	*v = 0;
	for (i = 0; i < n; i++) {
		if (!isdigit((unsigned char)(*p)[i]))
			return (-1);
		*v = *v * 10 + ((*p)[i] - '0');
	}
	*p += n;
	return (0);
}

/* Parse an ISO 8601 timestamp into epoch milliseconds. */
int
cred_time_parse(const char *s, int64_t *ms)
{
	struct tm tm;
	const char *p = s;
	int y, mo, d, h, mi, sec, frac = 0, digits = 0, oh, om;
	int sign;
	int64_t off = 0;
	time_t t;

	while (isspace((unsigned char)*p))
		p++;
	if (cred_digits(&p, 4, &y) != 0 || *p++ != '-' ||
	    cred_digits(&p, 2, &mo) != 0 || *p++ != '-' ||
	    cred_digits(&p, 2, &d) != 0 ||
	    (*p != 'T' && *p != 't' && *p != ' '))
		return (-1);
	p++;
	if (cred_digits(&p, 2, &h) != 0 || *p++ != ':' ||
	    cred_digits(&p, 2, &mi) != 0 || *p++ != ':' ||
	    cred_digits(&p, 2, &sec) != 0)
		return (-1);
	if (*p == '.' || *p == ',') {
		p++;
		if (!isdigit((unsigned char)*p))
			return (-1);
		while (isdigit((unsigned char)*p)) {
			if (digits < 3) {
				frac = frac * 10 + (*p - '0');
				digits++;
			}
			p++;
		}
		while (digits < 3) {
			frac *= 10;
			digits++;
		}
	}
	if (*p == 'Z' || *p == 'z')
		p++;
	else if (strncmp(p, "UTC", 3) == 0 || strncmp(p, "GMT", 3) == 0)
		p += 3;
	else if (*p == '+' || *p == '-') {
		sign = *p++ == '-' ? -1 : 1;
		if (cred_digits(&p, 2, &oh) != 0)
			return (-1);
		if (*p == ':')
			p++;
		if (cred_digits(&p, 2, &om) != 0)
			return (-1);
		if (oh > 23 || om > 59)
			return (-1);
		off = sign * ((int64_t)oh * 3600 + om * 60);
	}
	while (isspace((unsigned char)*p))
		p++;
	if (*p != '\0' || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 ||
	    mi > 59 || sec > 60)
		return (-1);
	memset(&tm, 0, sizeof tm);
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = sec;
	t = timegm(&tm);
	*ms = ((int64_t)t - off) * 1000 + frac;
	return (0);
}

/* Format epoch ms as an ISO 8601 UTC time with a zone suffix. */
char *
cred_time_format(int64_t ms, const char *suffix)
{
	struct tm tm;
	time_t t = (time_t)(ms / 1000);
	char s[64];

	gmtime_r(&t, &tm);
	strftime(s, sizeof s, "%Y-%m-%dT%H:%M:%S", &tm);
	return (xprintf("%s%s", s, suffix));
}

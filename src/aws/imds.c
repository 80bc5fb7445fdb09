/* EC2 instance metadata: IMDSv2 tokens, role credentials, region. */

#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <openssl/crypto.h>

#include "aws/cred.h"
#include "aws/credsnet.h"
#include "aws/imds.h"
#include "core/uri.h"
#include "core/xmalloc.h"

#define IMDS_TOKEN_TTL "21600"
#define IMDS_ROLE_PATH "latest/meta-data/iam/security-credentials/"
#define IMDS_AZ_PATH "latest/meta-data/placement/availability-zone/"

/* The base URL, always ending in '/'. */
char *
imds_base_url(const struct imds_conf *ic)
{
	const char *base;
	size_t len;

	if (ic->endpoint != NULL && *ic->endpoint != '\0')
		base = ic->endpoint;
	else if (ic->ipv6)
		base = "http://[fd00:ec2::254]/";
	else
		base = "http://169.254.169.254/";
	len = strlen(base);
	return (
	    xprintf("%s%s", base, len > 0 && base[len - 1] == '/' ? "" : "/"));
}

/* One request to IMDS with its short timeouts and no proxy. */
static int
imds_request(const struct credsnet *net, const struct imds_conf *ic,
    const char *method, const char *url, const char *header,
    struct http_response *resp)
{
	struct http_request req;
	const char *hdrs[3];
	long ms = ic->timeout_ms > 0 ? ic->timeout_ms : 1000;
	int n = 0;

	if (header != NULL)
		hdrs[n++] = header;
	hdrs[n++] = "User-Agent: apilogs/" APILOGS_VERSION;
	hdrs[n] = NULL;
	memset(&req, 0, sizeof req);
	req.method = method;
	req.url = url;
	req.headers = hdrs;
	req.connect_timeout_ms = ms;
	req.read_timeout_ms = ms;
	req.max_body = 64 * 1024;
	req.no_proxy = 1;
	credsnet_trace(net, 3, "imds: %s %s", method, url);
	return (credsnet_perform(net, &req, resp));
}

/*
 * Get an IMDSv2 token. Returns 0 with *token (or NULL: use IMDSv1), 1 when
 * IMDS is unreachable or refused the request.
 */
static int
imds_token(const struct credsnet *net, const struct imds_conf *ic,
    const char *base, char **token)
{
	struct http_response r;
	char *url;
	long st;
	int i, rc = 0;

	*token = NULL;
	url = xprintf("%slatest/api/token", base);
	for (i = 0; i < (ic->attempts > 0 ? ic->attempts : 1); i++) {
		if (imds_request(net, ic, "PUT", url,
			"x-aws-ec2-metadata-token-ttl-seconds: " IMDS_TOKEN_TTL,
			&r) != 0) {
			/* A read timeout: botocore tries IMDSv1. */
			if (r.err == HTTP_ERR_TIMEOUT)
				i = ic->attempts;
			/* No route: IMDSv1 cannot work either. */
			else if (r.err == HTTP_ERR_CONNECT &&
				 i + 1 >= ic->attempts)
				rc = 1;
			credsnet_trace(net, 2, "imds: token: %s", r.errmsg);
			http_response_free(&r);
			continue;
		}
		if (r.status == 200) {
			/* An empty token counts as none (IMDSv1). */
			if (r.body.len > 0)
				*token = buf_take(&r.body, NULL);
			http_response_free(&r);
			break;
		}
		st = r.status;
		http_response_free(&r);
		credsnet_trace(net, 2, "imds: token: HTTP %ld", st);
		if (st == 400)
			rc = 1;
		if (st == 400 || st == 403 || st == 404 || st == 405)
			break;
	}
	free(url);
	return (rc);
}

/*
 * GET path with the token (or IMDSv1), retrying a failed, empty or (when
 * want_json) non-JSON answer. Returns 0 with the body, 1 when none came.
 */
static int
imds_get(const struct credsnet *net, const struct imds_conf *ic,
    const char *base, const char *path, const char *token, int want_json,
    char **body)
{
	struct http_response r;
	json_t *j;
	char *url, *hdr = NULL;
	int i, rc = 1;

	*body = NULL;
	url = xprintf("%s%s", base, path);
	if (token != NULL)
		hdr = xprintf("x-aws-ec2-metadata-token: %s", token);
	for (i = 0; i < (ic->attempts > 0 ? ic->attempts : 1); i++) {
		if (imds_request(net, ic, "GET", url, hdr, &r) != 0) {
			credsnet_trace(net, 2, "imds: %s: %s", path, r.errmsg);
			http_response_free(&r);
			continue;
		}
		if (r.status != 200 || r.body.len == 0) {
			credsnet_trace(
			    net, 2, "imds: %s: HTTP %ld", path, r.status);
			http_response_free(&r);
			continue;
		}
		if (want_json) {
			j = json_loadb(r.body.data, r.body.len, 0, NULL);
			if (j == NULL) {
				http_response_free(&r);
				continue;
			}
			json_decref(j);
		}
		*body = buf_take(&r.body, NULL);
		http_response_free(&r);
		rc = 0;
		break;
	}
	if (hdr != NULL) {
		OPENSSL_cleanse(hdr, strlen(hdr));
		free(hdr);
	}
	free(url);
	return (rc);
}

/* Wipe and free a token or body. */
static void
imds_wipe(char *s)
{
	if (s != NULL) {
		OPENSSL_cleanse(s, strlen(s));
		free(s);
	}
}

/* Token then a GET; shared by the credentials and region lookups. */
static int
imds_fetch(const struct credsnet *net, const struct imds_conf *ic,
    const char *base, char **token, char **cause)
{
	struct uri_url u;

	if (uri_parse_url(base, &u, cause) != 0) {
		free(*cause);
		*cause = xprintf("invalid EC2 metadata endpoint %s", base);
		return (-1);
	}
	uri_url_free(&u);
	if (imds_token(net, ic, base, token) != 0)
		return (1);
	if (*token == NULL && ic->v1_disabled) {
		*cause = xstrdup("unable to get an IMDSv2 token and IMDSv1 is "
				 "disabled (AWS_EC2_METADATA_V1_DISABLED)");
		return (-1);
	}
	return (0);
}

/* The instance role's credentials. */
int
imds_credentials(const struct credsnet *net, const struct imds_conf *ic,
    struct aws_creds *out, char **cause)
{
	char *base = NULL, *token = NULL, *role = NULL, *body = NULL;
	char *path = NULL;
	json_t *j = NULL;
	const char *ak, *sk, *tok, *exp;
	int rc = 1;
	int64_t ms;

	if (ic->disabled)
		return (1);
	base = imds_base_url(ic);
	rc = imds_fetch(net, ic, base, &token, cause);
	if (rc != 0)
		goto out;
	rc = imds_get(net, ic, base, IMDS_ROLE_PATH, token, 0, &role);
	if (rc != 0)
		goto out;
	role[strcspn(role, "\r\n")] = '\0';
	path = xprintf("%s%s", IMDS_ROLE_PATH, role);
	rc = imds_get(net, ic, base, path, token, 1, &body);
	if (rc != 0)
		goto out;
	rc = 1;
	j = json_loads(body, 0, NULL);
	ak = json_string_value(json_object_get(j, "AccessKeyId"));
	sk = json_string_value(json_object_get(j, "SecretAccessKey"));
	tok = json_string_value(json_object_get(j, "Token"));
	exp = json_string_value(json_object_get(j, "Expiration"));
	if (ak == NULL || sk == NULL || tok == NULL || exp == NULL ||
	    cred_time_parse(exp, &ms) != 0) {
		credsnet_trace(
		    net, 2, "imds: role %s: no usable credentials", role);
		goto out;
	}
	cred_set(out, ak, sk, tok, NULL);
	out->expires_ms = ms;
	credsnet_trace(net, 2, "imds: credentials of role %s", role);
	rc = 0;
out:
	if (j != NULL)
		json_decref(j);
	imds_wipe(body);
	imds_wipe(token);
	free(path);
	free(role);
	free(base);
	return (rc);
}

/* The region of the instance, from its availability zone. */
int
imds_region(const struct credsnet *net, const struct imds_conf *ic,
    char **region, char **cause)
{
	char *base, *token = NULL, *az = NULL;
	size_t len;
	int rc;

	*region = NULL;
	if (ic->disabled)
		return (1);
	base = imds_base_url(ic);
	rc = imds_fetch(net, ic, base, &token, cause);
	if (rc == 0)
		rc = imds_get(net, ic, base, IMDS_AZ_PATH, token, 0, &az);
	if (rc == 0) {
		az[strcspn(az, "\r\n")] = '\0';
		len = strlen(az);
		if (len < 2)
			rc = 1;
		else {
			az[len - 1] = '\0';
			*region = az;
			az = NULL;
		}
	}
	imds_wipe(token);
	free(az);
	free(base);
	return (rc);
}

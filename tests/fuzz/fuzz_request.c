/*
 * fuzz_request.c -- libFuzzer target: request routing.
 *
 * The input, up to its first NUL, is a request path given straight to
 * urls_canonical_path; it is also parsed as a request target the way
 * evhttp does (path + query) and the path of that is canonicalised too.
 * The query is canonicalised with urls_canonical_filter_url (filters of
 * feeds and calendars), which must be idempotent too.  The rest after the
 * NUL, if any, is a header value for dates_parse_http,
 * http_reply_accepts_gzip and http_reply_etag_matches.
 *
 * Invariants of a non-NULL canonical path c:
 *   - it starts with '/', holds no "//", no "/../" or "/./" and no
 *     backslash, and is made only of RFC 3986 unreserved characters and
 *     %XX escapes with upper-case hex;
 *   - no segment decodes to "", ".", "..", to invalid UTF-8, or holds a
 *     NUL, a '/' or a backslash once decoded;
 *   - it is idempotent: canonical(c) == c.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <event2/http.h>

#include "dates.h"
#include "http_reply.h"
#include "urls.h"
#include "utf8.h"
#include "util.h"

static int
hexup(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'F');
}

static int
unreserved(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' ||
	    c == '~';
}

static void
fail(const char *why, const char *raw, const char *c)
{
	fprintf(stderr, "canonical path: %s\n  raw: \"%s\"\n  got: \"%s\"\n",
	    why, raw, c);
	abort();
}

static void
check(const char *raw)
{
	const char *p, *end;
	char *c, *again, *seg, *dec;
	size_t n;

	if ((c = urls_canonical_path(raw)) == NULL)
		return;
	if (c[0] != '/')
		fail("does not start with '/'", raw, c);
	if (strstr(c, "/../") != NULL || strstr(c, "/./") != NULL ||
	    strstr(c, "//") != NULL || strchr(c, '\\') != NULL)
		fail("holds a dot segment, '//' or a backslash", raw, c);
	for (p = c; *p != '\0'; p++) {
		if (*p == '/' || unreserved(*p))
			continue;
		if (*p == '%' && hexup(p[1]) && hexup(p[2])) {
			if (p[1] == '0' && p[2] == '0')
				fail("holds an encoded NUL", raw, c);
			p += 2;
			continue;
		}
		fail("holds a character that is not canonical", raw, c);
	}
	/* Each segment, decoded. */
	for (p = c + 1; ; p = end + 1) {
		end = strchr(p, '/');
		n = end ? (size_t)(end - p) : strlen(p);
		seg = xstrndup(p, n);
		if ((dec = urls_decode(seg)) == NULL)
			fail("a segment does not decode", raw, c);
		if ((dec[0] == '\0' && end != NULL) ||
		    !utf8_valid(dec, strlen(dec)) ||
		    strcmp(dec, ".") == 0 || strcmp(dec, "..") == 0 ||
		    strchr(dec, '/') != NULL || strchr(dec, '\\') != NULL)
			fail("a segment decodes to a forbidden name", raw, c);
		free(dec);
		free(seg);
		if (end == NULL)
			break;
	}
	if ((again = urls_canonical_path(c)) == NULL)
		fail("not idempotent: canonical(canonical(x)) is NULL", raw, c);
	if (strcmp(again, c) != 0)
		fail("not idempotent: canonical(canonical(x)) differs", raw,
		    again);
	free(again);
	free(c);
}

/* canonical_url(canonical_url(x)) == canonical_url(x) */
static void
check_url(const char *rawpath, const char *query)
{
	char *path = rawpath ? urls_canonical_path(rawpath) : NULL;
	char *url, *again, *q;

	if (path == NULL)
		return;
	if ((url = urls_canonical_filter_url(path, query)) != NULL) {
		q = strchr(url, '?');
		if (q != NULL)
			*q = '\0';
		again = urls_canonical_filter_url(url, q ? q + 1 : NULL);
		if (q != NULL)
			*q = '?';
		if (again == NULL || strcmp(again, url) != 0)
			fail("canonical URL not idempotent", query ? query : "",
			    again ? again : "(null)");
		free(again);
		free(url);
	}
	free(path);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *raw = xstrndup((const char *)data, size);	/* up to a NUL */
	size_t n = strlen(raw);
	struct evhttp_uri *uri;
	time_t t;

	check(raw);
	uri = evhttp_uri_parse_with_flags(raw, EVHTTP_URI_NONCONFORMANT);
	if (uri != NULL) {
		check(evhttp_uri_get_path(uri));
		check_url(evhttp_uri_get_path(uri), evhttp_uri_get_query(uri));
		evhttp_uri_free(uri);
	}
	free(raw);

	if (n < size) {
		char *hdr = xstrndup((const char *)data + n + 1, size - n - 1);

		if (dates_parse_http(hdr, &t) == 0) {
			char back[DATE_BUFSIZE];

			dates_format_http(t, back);
		}
		(void)http_reply_accepts_gzip(hdr);
		if (http_reply_etag_matches(hdr, "\"0123456789abcdef\"") &&
		    strstr(hdr, "0123456789abcdef") == NULL &&
		    strchr(hdr, '*') == NULL)
			fail("an entity tag matched a list without it", hdr, "");
		free(hdr);
	}
	return 0;
}

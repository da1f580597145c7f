/*
 * http.c -- GET and HEAD for the current documents, and nothing else.
 *
 * The handler only reads: it finds the document for a canonical path,
 * answers conditional requests from the precomputed ETag and
 * Last-Modified, picks the identity or gzip body, and hands evhttp a
 * reference to those bytes (evbuffer_add_reference) with a reference on
 * the document, released when libevent is done with the buffer -- so a
 * rebuild can swap documents while responses are still being sent.
 *
 * evhttp's own behaviour is fenced in: all methods reach us so that we
 * answer 405 with Allow (evhttp would say 501), the body size is capped at
 * zero (a request body is refused), header size and timeouts come from
 * the configuration, and HEAD and 304 are sent with no body at all.
 * Paths are decoded strictly and re-encoded: "..", NUL, backslashes and
 * invalid UTF-8 name no document, so nothing outside the document table
 * can ever be reached -- there are no files behind URLs at all.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <event2/buffer.h>
#include <event2/keyvalq_struct.h>

#include "http.h"
#include "log.h"

#define ALL_METHODS (EVHTTP_REQ_GET | EVHTTP_REQ_POST | EVHTTP_REQ_HEAD | \
	EVHTTP_REQ_PUT | EVHTTP_REQ_DELETE | EVHTTP_REQ_OPTIONS | \
	EVHTTP_REQ_TRACE | EVHTTP_REQ_CONNECT | EVHTTP_REQ_PATCH)

char *
http_canonical_path(const char *raw)
{
	struct buf out;
	const char *p = raw, *end;
	char *enc, *seg;

	if (raw == NULL || raw[0] != '/' || strlen(raw) > 2048)
		return NULL;
	buf_init(&out);
	while (*p == '/') {
		p++;
		end = strchr(p, '/');
		if (end == NULL)
			end = p + strlen(p);
		enc = xstrndup(p, (size_t)(end - p));
		seg = url_decode(enc);
		free(enc);
		if (seg == NULL || !utf8_valid(seg, strlen(seg)) ||
		    strcmp(seg, ".") == 0 || strcmp(seg, "..") == 0 ||
		    strchr(seg, '\\') != NULL || strchr(seg, '/') != NULL ||
		    (seg[0] == '\0' && *end == '/')) {
			free(seg);
			buf_free(&out);
			return NULL;
		}
		buf_addc(&out, '/');
		url_encode_segment(&out, seg);
		free(seg);
		p = end;
	}
	return buf_steal(&out);
}

static void
count(struct server *s, int code, size_t bytes)
{
	int cls = code / 100;

	s->metrics.requests[cls >= 2 && cls <= 5 ? cls : 0]++;
	if (code == 304)
		s->metrics.not_modified++;
	s->metrics.bytes += bytes;
}

static void
send_text(struct server *s, struct evhttp_request *req, int code,
    const char *reason, const char *text)
{
	struct evkeyvalq *out = evhttp_request_get_output_headers(req);
	struct evbuffer *body = NULL;

	evhttp_add_header(out, "Content-Type", "text/plain; charset=utf-8");
	evhttp_add_header(out, "X-Content-Type-Options", "nosniff");
	if (evhttp_request_get_command(req) != EVHTTP_REQ_HEAD &&
	    (body = evbuffer_new()) != NULL &&
	    evbuffer_add_printf(body, "%s\n", text) == -1) {
		evbuffer_free(body);
		body = NULL;
	}
	if (evhttp_request_get_command(req) == EVHTTP_REQ_HEAD) {
		char n[24];

		snprintf(n, sizeof n, "%zu", strlen(text) + 1);
		evhttp_add_header(out, "Content-Length", n);
	}
	evhttp_send_reply(req, code, reason, body);
	count(s, code, body ? strlen(text) + 1 : 0);
	if (body != NULL)
		evbuffer_free(body);
}

/* The q value of one Accept-Encoding element's parameters. */
static double
element_q(const char *params, const char *end)
{
	const char *p;

	for (p = params; p + 2 <= end; p++)
		if ((p[0] == 'q' || p[0] == 'Q') && p[1] == '=')
			return strtod(p + 2, NULL);
	return 1.0;
}

/* Accept-Encoding: is gzip acceptable (explicitly or by "*"), q > 0? */
static int
accepts_gzip(const char *header)
{
	const char *p = header, *end;
	int gzip = -1, star = 0;
	size_t n;

	while (*p != '\0') {
		p += strspn(p, " \t,");
		end = p + strcspn(p, ",");
		n = strcspn(p, " \t,;");
		if (n == 4 && strncasecmp(p, "gzip", 4) == 0)
			gzip = element_q(p + n, end) > 0;
		else if (n == 1 && p[0] == '*')
			star = element_q(p + n, end) > 0;
		p = end;
	}
	return gzip != -1 ? gzip : star;
}

/* If-None-Match: "*" or a list of entity tags, compared weakly. */
static int
etag_matches(const char *header, const char *etag)
{
	const char *p = header;
	size_t n = strlen(etag);

	while (*p != '\0') {
		while (*p == ' ' || *p == ',' || *p == '\t')
			p++;
		if (*p == '*')
			return 1;
		if (strncmp(p, "W/", 2) == 0)
			p += 2;
		if (strncmp(p, etag, n) == 0 && (p[n] == '\0' || p[n] == ',' ||
		    p[n] == ' '))
			return 1;
		p += strcspn(p, ",");
	}
	return 0;
}

static int
not_modified(struct evkeyvalq *in, const struct document *d,
    const char *etag)
{
	const char *inm = evhttp_find_header(in, "If-None-Match");
	const char *ims = evhttp_find_header(in, "If-Modified-Since");
	time_t since;

	if (inm != NULL)
		return etag_matches(inm, etag);
	if (ims != NULL && d->mtime != 0 && parse_http_date(ims, &since) == 0)
		return d->mtime <= since;
	return 0;
}

static void
release_document(const void *data, size_t len, void *doc)
{
	(void)data;
	(void)len;
	document_unref(doc);
}

static void
common_headers(struct server *s, struct evkeyvalq *out,
    const struct document *d, const char *etag)
{
	char cc[64];

	if (strcmp(d->path, "/status") == 0)
		snprintf(cc, sizeof cc, "no-cache");
	else
		snprintf(cc, sizeof cc, "public, max-age=%d", s->cfg->max_age);
	evhttp_add_header(out, "ETag", etag);
	evhttp_add_header(out, "Last-Modified", d->last_modified);
	evhttp_add_header(out, "Cache-Control", cc);
	evhttp_add_header(out, "Vary", "Accept-Encoding");
	evhttp_add_header(out, "X-Content-Type-Options", "nosniff");
	if (d->shared)
		evhttp_add_header(out, "Access-Control-Allow-Origin", "*");
}

static void
send_document(struct server *s, struct evhttp_request *req,
    struct document *d)
{
	struct evkeyvalq *in = evhttp_request_get_input_headers(req);
	struct evkeyvalq *out = evhttp_request_get_output_headers(req);
	const char *ae = evhttp_find_header(in, "Accept-Encoding");
	int gz = d->gz != NULL && ae != NULL && accepts_gzip(ae);
	const char *etag = gz ? d->etag_gz : d->etag;
	const char *body = gz ? d->gz : d->body;
	size_t len = gz ? d->gzlen : d->len;
	struct evbuffer *buf;
	char n[24];

	common_headers(s, out, d, etag);
	if (not_modified(in, d, etag)) {
		evhttp_send_reply(req, 304, "Not Modified", NULL);
		count(s, 304, 0);
		return;
	}
	evhttp_add_header(out, "Content-Type", d->content_type);
	if (gz)
		evhttp_add_header(out, "Content-Encoding", "gzip");
	snprintf(n, sizeof n, "%zu", len);
	evhttp_add_header(out, "Content-Length", n);
	if (evhttp_request_get_command(req) == EVHTTP_REQ_HEAD) {
		evhttp_send_reply(req, 200, "OK", NULL);
		count(s, 200, 0);
		return;
	}
	if ((buf = evbuffer_new()) == NULL) {
		send_text(s, req, 503, "Service Unavailable", "out of memory");
		return;
	}
	document_ref(d);
	if (evbuffer_add_reference(buf, body, len, release_document, d) ==
	    -1) {
		document_unref(d);
		evbuffer_free(buf);
		send_text(s, req, 503, "Service Unavailable", "out of memory");
		return;
	}
	evhttp_send_reply(req, 200, "OK", buf);
	evbuffer_free(buf);
	count(s, 200, len);
}

static void
redirect(struct server *s, struct evhttp_request *req, const char *location)
{
	struct evkeyvalq *out = evhttp_request_get_output_headers(req);
	char *url = xasprintf("%s%s", s->cfg->base_url, location);

	evhttp_add_header(out, "Location", url);
	send_text(s, req, 301, "Moved Permanently", url);
	free(url);
}

static void
handle(struct evhttp_request *req, void *arg)
{
	struct server *s = arg;
	enum evhttp_cmd_type cmd = evhttp_request_get_command(req);
	const struct evhttp_uri *uri = evhttp_request_get_evhttp_uri(req);
	struct document *d;
	char *path, *slashed;

	if (cmd != EVHTTP_REQ_GET && cmd != EVHTTP_REQ_HEAD) {
		evhttp_add_header(evhttp_request_get_output_headers(req),
		    "Allow", "GET, HEAD");
		send_text(s, req, 405, "Method Not Allowed", "method not "
		    "allowed: use GET or HEAD");
		return;
	}
	path = http_canonical_path(uri ? evhttp_uri_get_path(uri) : NULL);
	if (path == NULL) {
		send_text(s, req, 400, "Bad Request", "bad request path");
		return;
	}
	if ((d = docset_get(s->cat->docs, path)) != NULL) {
		if (d->redirect != NULL)
			redirect(s, req, d->redirect);
		else
			send_document(s, req, d);
	} else {
		slashed = xasprintf("%s/", path);
		if (docset_get(s->cat->docs, slashed) != NULL)
			redirect(s, req, slashed);
		else
			send_text(s, req, 404, "Not Found", "not found");
		free(slashed);
	}
	free(path);
}

/* "127.0.0.1:8080", "[::1]:8080", ":8080" (all IPv4). */
static int
split_listen(const char *listen, char **host, int *port)
{
	const char *colon = strrchr(listen, ':');
	char *end;
	long p;

	if (colon == NULL)
		return -1;
	p = strtol(colon + 1, &end, 10);
	if (*end != '\0' || p < 0 || p > 65535 || end == colon + 1)
		return -1;
	*port = (int)p;
	if (listen[0] == '[' && colon > listen && colon[-1] == ']')
		*host = xstrndup(listen + 1, (size_t)(colon - listen - 2));
	else if (colon == listen)
		*host = xstrdup("0.0.0.0");
	else
		*host = xstrndup(listen, (size_t)(colon - listen));
	return 0;
}

void
http_apply_limits(struct server *s)
{
	evhttp_set_max_headers_size(s->http, (ev_ssize_t)s->cfg->max_header_size);
	evhttp_set_max_body_size(s->http, 0);
	evhttp_set_timeout(s->http, s->cfg->idle_timeout);
	evhttp_set_allowed_methods(s->http, ALL_METHODS);
	evhttp_set_default_content_type(s->http, "text/plain; charset=utf-8");
}

int
http_start(struct server *s, struct event_base *base,
    const struct config *cfg, struct catalog *cat, char *err, size_t errlen)
{
	char *host;
	int port;

	memset(s, 0, sizeof *s);
	s->base = base;
	s->cfg = cfg;
	s->cat = cat;
	if (split_listen(cfg->listen, &host, &port) == -1) {
		snprintf(err, errlen, "listen '%s': expected ADDRESS:PORT or "
		    "[IPv6]:PORT", cfg->listen);
		return -1;
	}
	if ((s->http = evhttp_new(base)) == NULL) {
		snprintf(err, errlen, "evhttp_new failed");
		free(host);
		return -1;
	}
	http_apply_limits(s);
	evhttp_set_gencb(s->http, handle, s);
	if (evhttp_bind_socket(s->http, host, (ev_uint16_t)port) == -1) {
		snprintf(err, errlen, "cannot listen on %s", cfg->listen);
		free(host);
		evhttp_free(s->http);
		s->http = NULL;
		return -1;
	}
	free(host);
	return 0;
}

void
http_stop(struct server *s)
{
	if (s->http != NULL)
		evhttp_free(s->http);
	s->http = NULL;
}

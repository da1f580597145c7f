/*
 * http.c -- GET and HEAD for the current documents, and nothing else:
 * which document a request names, and the serving loop's life.
 *
 * The handler only reads.  A request first passes the connection checks
 * (http_conn.c); the common one, a document by its canonical path with
 * no query, is looked up as it is (serve_plain) in the set this loop
 * holds without a lock; anything else is decoded strictly and re-encoded
 * (urls.c): "..", NUL, backslashes and invalid UTF-8 name no document, so
 * nothing outside the document table can ever be reached -- there are no
 * files behind URLs at all.  Filters of the site's feeds and calendar
 * are rendered by the catalog on first request; other spellings of a
 * URL are redirected to its canonical one.  What is sent, and how, is
 * http_reply.c's.
 *
 * evhttp's own behaviour is fenced in: all methods reach us so that we
 * answer 405 with Allow (evhttp would say 501), the body size is capped at
 * zero (a request body is refused), header size and timeouts come from
 * the configuration (http_apply_limits).
 *
 * A server is one event loop's: its catalog view, its reply context
 * (http_reply.c) and its connections (http_conn.c).  The loops of the
 * process are a struct server_group that main.c owns; /metrics sums
 * their counters here, through metrics.c's plain view.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <event2/buffer.h>

#include "http.h"
#include "log.h"
#include "metrics.h"
#include "resource.h"
#include "urls.h"

#define ALL_METHODS (EVHTTP_REQ_GET | EVHTTP_REQ_POST | EVHTTP_REQ_HEAD | \
	EVHTTP_REQ_PUT | EVHTTP_REQ_DELETE | EVHTTP_REQ_OPTIONS | \
	EVHTTP_REQ_TRACE | EVHTTP_REQ_CONNECT | EVHTTP_REQ_PATCH)

/* What /metrics shows: the catalog's figures, every loop's counters. */
static void
metrics_gather(struct server *s, struct metrics_view *v)
{
	const struct catalog_stats *st = &s->cat->stats;
	struct bodycache_stats cs;
	size_t i;

	_Static_assert(REBUILD_BUCKETS == METRICS_REBUILD_BUCKETS,
	    "the catalog's rebuild buckets are those /metrics shows");
	memset(v, 0, sizeof *v);
	catalog_lock(s->cat);
	v->rebuilds = st->rebuilds;
	memcpy(v->rebuild_buckets, st->rebuild_buckets,
	    sizeof v->rebuild_buckets);
	v->rebuild_total_ms = st->total_ms;
	v->entries = st->entries;
	v->events = st->events;
	v->documents = st->documents;
	v->files = st->files;
	v->files_with_errors = st->files_with_errors;
	v->files_with_warnings = st->files_with_warnings;
	bodycache_stats(s->cat->bodies, &cs);
	v->cache_bytes = cs.bytes;
	v->cache_budget = cs.budget;
	v->cache_pinned = cs.pinned;
	v->cache_bodies = cs.bodies;
	v->cache_evictions = cs.evictions;
	v->cache_renders = cs.renders;
	v->cache_hits = cs.hits;
	v->gzip_on_request = cs.gzip_made;
	catalog_unlock(s->cat);
	for (i = 0; i < s->group->n; i++) {
		const struct server *o = s->group->servers[i];

		metrics_add(&v->http, &o->reply.metrics);
		v->connections += http_conn_count(&o->conns);
	}
}

static void
send_metrics(struct server *s, struct evhttp_request *req)
{
	struct evkeyvalq *out = evhttp_request_get_output_headers(req);
	struct metrics_view view;
	struct evbuffer *body;
	char *text;
	size_t len;

	metrics_gather(s, &view);
	text = metrics_render(&view, &len);
	evhttp_add_header(out, "Content-Type",
	    "text/plain; version=0.0.4; charset=utf-8");
	evhttp_add_header(out, "Cache-Control", "no-store");
	if ((body = evbuffer_new()) == NULL || evbuffer_add(body, text, len)) {
		free(text);
		if (body != NULL)
			evbuffer_free(body);
		http_reply_text(&s->reply, req, 503, "Service Unavailable",
		    "out of memory");
		return;
	}
	free(text);
	if (evhttp_request_get_command(req) == EVHTTP_REQ_HEAD) {
		char n[24];

		snprintf(n, sizeof n, "%zu", len);
		evhttp_add_header(out, "Content-Length", n);
		evbuffer_free(body);
		body = NULL;
	}
	http_reply_body(&s->reply, req, 200, "OK", body, len);
	if (body != NULL)
		evbuffer_free(body);
}

static void
redirect(struct server *s, struct evhttp_request *req, const char *location)
{
	struct evkeyvalq *out = evhttp_request_get_output_headers(req);
	char *url = xasprintf("%s%s", s->cfg->base_url, location);

	evhttp_add_header(out, "Location", url);
	http_reply_text(&s->reply, req, 301, "Moved Permanently", url);
	free(url);
}

/*
 * The document at path, with a reference the caller drops.  The loop that
 * rebuilds reads the catalog's documents; the others read the copy
 * published after each rebuild.  /status and filtered documents live in
 * the catalog, under its lock.
 */
static struct document *
acquire(struct server *s, const char *path)
{
	struct document *d;
	struct docset *snap;

	if (strcmp(path, URLS_STATUS) == 0) {
		catalog_lock(s->cat);
		if ((d = catalog_status(s->cat)) != NULL)
			document_ref(d);
		catalog_unlock(s->cat);
		return d;
	}
	if (s->main_loop) {
		d = docset_get(s->cat->docs, path);
		return d ? document_ref(d) : NULL;
	}
	snap = catalog_snapshot(s->cat);
	if ((d = docset_get(snap, path)) != NULL)
		document_ref(d);
	docset_unref(snap);
	return d;
}

/*
 * The document at path, borrowed for the duration of a request callback:
 * the rebuilding loop reads the catalog's documents, which only it
 * changes; another loop keeps a reference on the published set it serves
 * and lets go of it when told of a new one (http_republished), so a
 * request costs no lock and no reference counting on data the loops
 * share.  NULL for /status, which lives under the catalog's lock.
 */
static struct document *
borrow(struct server *s, const char *path)
{
	if (strcmp(path, URLS_STATUS) == 0)
		return NULL;
	if (s->main_loop)
		return docset_get(s->cat->docs, path);
	if (s->snap == NULL)
		s->snap = catalog_snapshot(s->cat);
	return docset_get(s->snap, path);
}

static struct document *
acquire_filtered(struct server *s, const char *path, const char *url,
    const struct filter *f)
{
	struct document *d;

	catalog_lock(s->cat);
	if ((d = catalog_filtered(s->cat, path, url, f, time(NULL))) != NULL)
		document_ref(d);
	catalog_unlock(s->cat);
	return d;
}

/* A site feed or calendar narrowed by f, url its canonical URL. */
static void
serve_filtered(struct server *s, struct evhttp_request *req,
    const char *path, const char *url, const struct filter *f)
{
	struct document *d;

	if ((d = acquire_filtered(s, path, url, f)) == NULL) {
		http_reply_text(&s->reply, req, 503, "Service Unavailable",
		    "the filtered document could not be rendered");
		return;
	}
	http_reply_document(&s->reply, req, d);
	document_unref(d);
}

/* The document at a canonical path, its redirect, or a redirect to the
 * same path with a final slash. */
static void
serve_named(struct server *s, struct evhttp_request *req, const char *path)
{
	struct document *d;
	char *slashed;

	if ((d = acquire(s, path)) != NULL) {
		if (d->redirect != NULL)
			redirect(s, req, d->redirect);
		else if (d->file != NULL)
			resource_reply(&s->reply, req, s->cfg, d);
		else
			http_reply_document(&s->reply, req, d);
		document_unref(d);
		return;
	}
	slashed = xasprintf("%s/", path);
	if ((d = acquire(s, slashed)) != NULL) {
		redirect(s, req, slashed);
		document_unref(d);
	} else
		http_reply_text(&s->reply, req, 404, "Not Found", "not found");
	free(slashed);
}

static void
serve_path(struct server *s, struct evhttp_request *req, const char *path,
    const char *query)
{
	struct filter f;
	struct buf canonical;
	char *raw;

	buf_init(&canonical);
	if (urls_parse_filter(path, query, &f, &canonical) == -1) {
		http_reply_text(&s->reply, req, 400, "Bad Request",
		    "the query string cannot be read");
		goto out;
	}
	raw = query ? xasprintf("%s?%s", path, query) : xstrdup(path);
	if (strcmp(raw, canonical.data) != 0)
		redirect(s, req, canonical.data);
	else if (f.ntags + f.ncategories > 0)
		serve_filtered(s, req, path, canonical.data, &f);
	else
		serve_named(s, req, path);
	free(raw);
out:
	urls_filter_free(&f);
	buf_free(&canonical);
}

/*
 * A path that is its own canonical form: every segment made of unreserved
 * characters only (nothing to decode, nothing to encode), none "." or
 * "..", no empty one but the last.  urls_canonical_path() would return the
 * same string; this says so without allocating.
 */
static int
plain_path(const char *path)
{
	const char *p = path, *seg;

	if (path[0] != '/')
		return 0;
	while (*p == '/') {
		seg = ++p;
		while ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || *p == '-' || *p == '.' ||
		    *p == '_' || *p == '~')
			p++;
		if (*p != '/' && *p != '\0')
			return 0;
		if ((p == seg && *p == '/') || (p - seg == 1 && seg[0] == '.') ||
		    (p - seg == 2 && seg[0] == '.' && seg[1] == '.'))
			return 0;
	}
	return *p == '\0' && p - path <= URLS_PATH_MAX;
}

/*
 * The common request, a document by its canonical path with no query,
 * answered without copying the path or touching the catalog's lock.
 * Returns 0 for anything else (redirects, 404, /status, /metrics,
 * queries, paths to decode), which the general path below answers.
 */
static int
serve_plain(struct server *s, struct evhttp_request *req,
    const struct evhttp_uri *uri)
{
	const char *path = evhttp_uri_get_path(uri);
	struct document *d;

	if (path == NULL || evhttp_uri_get_query(uri) != NULL ||
	    !plain_path(path) || strcmp(path, URLS_METRICS) == 0 ||
	    (d = borrow(s, path)) == NULL || d->redirect != NULL)
		return 0;
	if (d->file != NULL)
		resource_reply(&s->reply, req, s->cfg, d);
	else
		http_reply_document(&s->reply, req, d);
	return 1;
}

static void
handle(struct evhttp_request *req, void *arg)
{
	struct server *s = arg;
	enum evhttp_cmd_type cmd = evhttp_request_get_command(req);
	const struct evhttp_uri *uri = evhttp_request_get_evhttp_uri(req);
	char *path;

	if (!http_conn_admit(&s->conns, req))
		return;
	if ((cmd == EVHTTP_REQ_GET || cmd == EVHTTP_REQ_HEAD) && uri != NULL &&
	    serve_plain(s, req, uri))
		return;
	if (cmd != EVHTTP_REQ_GET && cmd != EVHTTP_REQ_HEAD) {
		evhttp_add_header(evhttp_request_get_output_headers(req),
		    "Allow", "GET, HEAD");
		http_reply_text(&s->reply, req, 405, "Method Not Allowed",
		    "method not allowed: use GET or HEAD");
		return;
	}
	path = urls_canonical_path(uri ? evhttp_uri_get_path(uri) : NULL);
	if (path == NULL)
		http_reply_text(&s->reply, req, 400, "Bad Request",
		    "bad request path");
	else if (strcmp(path, URLS_METRICS) == 0)
		send_metrics(s, req);
	else
		serve_path(s, req, path, evhttp_uri_get_query(uri));
	free(path);
}

/* Every second: the connections' round (http_conn_tick), and another
 * loop lets go of its published set (a safety net: http_republished
 * normally does it at once). */
static void
server_tick(evutil_socket_t fd, short what, void *arg)
{
	struct server *s = arg;

	(void)fd;
	(void)what;
	http_conn_tick(&s->conns);
	docset_unref(s->snap);
	s->snap = NULL;
}

static void
republished(evutil_socket_t fd, short what, void *arg)
{
	struct server *s = arg;

	(void)fd;
	(void)what;
	docset_unref(s->snap);
	s->snap = NULL;
}

void
http_republished(struct server_group *group)
{
	size_t i;

	for (i = 0; i < group->n; i++)
		if (group->servers[i]->ev_republished != NULL)
			event_active(group->servers[i]->ev_republished,
			    EV_TIMEOUT, 0);
}

void
http_apply_limits(struct server *s)
{
	evhttp_set_max_headers_size(s->http, (ev_ssize_t)s->cfg->max_header_size);
	evhttp_set_max_body_size(s->http, 0);
	evhttp_set_timeout(s->http, s->cfg->idle_timeout);
	evhttp_set_allowed_methods(s->http, ALL_METHODS);
	/* Every response of ours names its type; a document's is among
	 * its pre-formatted lines (heads), where evhttp cannot see it. */
	evhttp_set_default_content_type(s->http, NULL);
	http_reply_configure(&s->reply, s->cfg);
}

int
http_listen_fd(const struct server *s)
{
	return http_conn_listen_fd(&s->conns);
}

/* The loop's tick, and (other loops) word of each rebuild. */
static void
start_events(struct server *s)
{
	struct timeval tick = { 1, 0 };

	s->ev_tick = event_new(s->base, -1, EV_PERSIST, server_tick, s);
	if (s->ev_tick == NULL || event_add(s->ev_tick, &tick) == -1)
		log_error("cannot start the server's tick");
	if (!s->main_loop && (s->ev_republished = event_new(s->base, -1, 0,
	    republished, s)) == NULL)
		log_error("cannot follow rebuilds");
}

int
http_start(struct server *s, struct server_group *group,
    struct event_base *base, const struct config *cfg, struct catalog *cat,
    int main_loop, int shared, int listen_fd, char *err, size_t errlen)
{
	memset(s, 0, sizeof *s);
	http_conn_init(&s->conns, base, cfg, &s->reply);
	if (group->n >= nitems(group->servers)) {
		snprintf(err, errlen, "more than %zu serving loops",
		    nitems(group->servers));
		return -1;
	}
	s->group = group;
	s->base = base;
	s->cfg = cfg;
	s->cat = cat;
	s->main_loop = main_loop;
	if ((s->http = evhttp_new(base)) == NULL) {
		snprintf(err, errlen, "evhttp_new failed");
		return -1;
	}
	http_apply_limits(s);
	evhttp_set_gencb(s->http, handle, s);
	evhttp_set_bevcb(s->http, http_conn_new, &s->conns);
	if (http_conn_listen(&s->conns, s->http, shared, listen_fd, err,
	    errlen) == -1) {
		evhttp_free(s->http);
		s->http = NULL;
		return -1;
	}
	start_events(s);
	group->servers[group->n++] = s;
	return 0;
}

void
http_drain(struct server *s)
{
	http_conn_drain(&s->conns);
}

void
http_stop(struct server *s)
{
	if (s->ev_tick != NULL)
		event_free(s->ev_tick);
	s->ev_tick = NULL;
	if (s->ev_republished != NULL)
		event_free(s->ev_republished);
	s->ev_republished = NULL;
	if (s->http != NULL)
		evhttp_free(s->http);
	s->http = NULL;
	http_conn_stop(&s->conns);
	docset_unref(s->snap);
	s->snap = NULL;
}

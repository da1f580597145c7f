/*
 * http.c -- GET and HEAD for the current documents, and nothing else.
 *
 * The handler only reads: it finds the document for a canonical path,
 * answers conditional requests from the precomputed ETag and
 * Last-Modified, picks the identity or gzip body, and sends it with the
 * document's pre-formatted headers (heads): a large body from its copy
 * in the body store with sendfile (send_file, bodystore.c), any other
 * as a reference to its bytes (evbuffer_add_reference).  Whatever is not sent
 * at once holds a reference on the document, released when libevent is
 * done with it -- so a rebuild can swap documents while responses are
 * still being sent.  The response is written at once rather than when
 * the loop next reports the socket writable (reply()): no extra loop
 * turn per request.
 *
 * evhttp's own behaviour is fenced in: all methods reach us so that we
 * answer 405 with Allow (evhttp would say 501), the body size is capped at
 * zero (a request body is refused), header size and timeouts come from
 * the configuration, and HEAD and 304 are sent with no body at all.
 * A connection must send its first request's headers within idle_timeout
 * in total (evhttp's own timeout restarts at every byte, which lets a
 * "slowloris" client hold a connection for ever): each new connection's
 * bufferevent gets a deadline, met by its first request, else its socket
 * is shut down and evhttp closes it.
 * Paths are decoded strictly and re-encoded: "..", NUL, backslashes and
 * invalid UTF-8 name no document, so nothing outside the document table
 * can ever be reached -- there are no files behind URLs at all.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <strings.h>

#include <sys/sendfile.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <errno.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/keyvalq_struct.h>
#include <event2/listener.h>

#include "bodystore.h"
#include "http.h"
#include "log.h"
#include "metrics.h"
#include "urls.h"

#define ALL_METHODS (EVHTTP_REQ_GET | EVHTTP_REQ_POST | EVHTTP_REQ_HEAD | \
	EVHTTP_REQ_PUT | EVHTTP_REQ_DELETE | EVHTTP_REQ_OPTIONS | \
	EVHTTP_REQ_TRACE | EVHTTP_REQ_CONNECT | EVHTTP_REQ_PATCH)

#define MAX_SINGLE_WRITE (4 * 1024 * 1024)
#define HEAD_CHAINS 8	/* a response's headers are in one or two */

static void
count(struct server *s, struct evhttp_request *req, int code, size_t bytes)
{
	const struct evhttp_uri *uri = evhttp_request_get_evhttp_uri(req);

	metrics_count(&s->metrics, uri ? evhttp_uri_get_path(uri) : NULL, code,
	    bytes);
}

static void
release_document(const void *data, size_t len, void *doc)
{
	(void)data;
	(void)len;
	document_unref(doc);
}

/*
 * The headers evhttp formatted, sent ahead of a body that follows at
 * once (MSG_MORE: one segment train, as nginx's writev + sendfile).
 * Returns 0 when all of them went out (they are drained), else -1: the
 * rest is left in out.
 */
static int
send_head(evutil_socket_t fd, struct evbuffer *out)
{
	struct evbuffer_iovec vec[HEAD_CHAINS];
	struct iovec iov[HEAD_CHAINS];
	struct msghdr msg;
	ssize_t sent;
	int i, n = evbuffer_peek(out, -1, NULL, NULL, 0);

	if (n <= 0 || n > HEAD_CHAINS ||
	    evbuffer_peek(out, -1, NULL, vec, n) != n)
		return -1;
	for (i = 0; i < n; i++) {
		iov[i].iov_base = vec[i].iov_base;
		iov[i].iov_len = vec[i].iov_len;
	}
	memset(&msg, 0, sizeof msg);
	msg.msg_iov = iov;
	msg.msg_iovlen = (size_t)n;
	sent = sendmsg(fd, &msg, MSG_MORE | MSG_NOSIGNAL | MSG_DONTWAIT);
	if (sent > 0 && evbuffer_drain(out, (size_t)sent) == -1)
		return -1;
	return sent > 0 && evbuffer_get_length(out) == 0 ? 0 : -1;
}

/* A body sent with sendfile: a document's copy in the body store. */
struct file_body {
	struct document	*doc;
	const char	*data;		/* the copy, mapped */
	size_t		 len;
	int		 fd;		/* the store's file, and where */
	off_t		 off;
};

/*
 * The headers evhttp queued, then the body from the store's file: the
 * kernel takes the pages, nothing is copied.  Returns the body bytes
 * sent; the caller appends the rest.
 */
static size_t
send_file(evutil_socket_t fd, struct evbuffer *out,
    const struct file_body *file)
{
	off_t off = file->off;
	size_t sent = 0;
	ssize_t n;

	if (send_head(fd, out) == 0)
		while (sent < file->len && (n = sendfile(fd, file->fd, &off,
		    file->len - sent)) > 0)
			sent += (size_t)n;
	return sent;
}

/*
 * evhttp_send_reply queues the response in the connection's output buffer
 * and waits for the socket to be reported writable: a second loop turn
 * and two epoll_ctl calls (EPOLLOUT on, then off) for every response.  A
 * socket whose previous response is out almost always has room, so the
 * response is written here at once; when all of it went out, evhttp's
 * write callback -- what it would have run after its own last write -- is
 * triggered, deferred to later in this loop turn so that evhttp finishes
 * the request (frees it, reads the next) outside our callback.  The
 * EPOLLOUT that evhttp asked for is dropped again before the loop next
 * polls (EVENT_BASE_FLAG_EPOLL_USE_CHANGELIST merges the two changes), so
 * no epoll_ctl is made at all.
 *
 * With a file body (the body is then NULL), the headers go first and
 * sendfile() follows (send_file).  Whatever the socket does not take (a
 * big document, a slow client), an error included, is left in the
 * buffer for evhttp to write and report as before -- the rest of a file
 * body as a reference holding its document.  req must not be used after
 * this.
 */
static void
reply(struct evhttp_request *req, int code, const char *reason,
    struct evbuffer *body, const struct file_body *file)
{
	struct evhttp_connection *conn = evhttp_request_get_connection(req);
	struct bufferevent *bev;
	struct evbuffer *out;
	evutil_socket_t fd;
	size_t sent = 0;
	int done = 0;

	evhttp_send_reply(req, code, reason, body);
	if (conn == NULL ||
	    (bev = evhttp_connection_get_bufferevent(conn)) == NULL)
		return;
	/* A socket bufferevent keeps its output's start frozen except
	 * while it writes itself. */
	out = bufferevent_get_output(bev);
	if ((fd = bufferevent_getfd(bev)) != -1 &&
	    evbuffer_unfreeze(out, 1) == 0) {
		/* Short of all (EAGAIN, or an error): what is left is
		 * evhttp's to write, and its own write meets the error and
		 * closes the connection. */
		if (file == NULL)
			done = evbuffer_write(out, fd) > 0;
		else
			done = (sent = send_file(fd, out, file)) == file->len;
		if (evbuffer_freeze(out, 1) == -1)
			log_debug("cannot refreeze an output buffer");
	}
	if (file != NULL && !done) {
		document_ref(file->doc);
		if (evbuffer_add_reference(out, file->data + sent, file->len -
		    sent, release_document, file->doc) == -1) {
			document_unref(file->doc);
			/* The response cannot be completed. */
			if (fd != -1)
				shutdown(fd, SHUT_RDWR);
		}
	} else if (done && evbuffer_get_length(out) == 0)
		bufferevent_trigger(bev, EV_WRITE, BEV_TRIG_DEFER_CALLBACKS);
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
	count(s, req, code, body ? strlen(text) + 1 : 0);
	reply(req, code, reason, body, NULL);
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
int
http_accepts_gzip(const char *header)
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
int
http_etag_matches(const char *header, const char *etag)
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
	const char *ims = evhttp_find_header(in, "If-Modified-Since");
	struct evkeyval *h;
	time_t since;
	int inm = 0;

	/* Several If-None-Match lines are one list (RFC 9110 5.3). */
	for (h = in->tqh_first; h != NULL; h = h->next.tqe_next) {
		if (strcasecmp(h->key, "If-None-Match") != 0)
			continue;
		inm = 1;
		if (http_etag_matches(h->value, etag))
			return 1;
	}
	if (inm)
		return 0;
	if (ims != NULL && d->mtime != 0 && parse_http_date(ims, &since) == 0)
		return d->mtime <= since;
	return 0;
}


/*
 * A document's response headers, formatted once per document version,
 * representation (identity, gzip) and status (200, 304), then used by
 * every response -- the headers "computed once" of a rendered document.
 * evhttp formats each header it is given with a printf of its own and
 * three allocations; with ten headers that was half of the CPU a response
 * cost outside the kernel.  It has no call for pre-formatted lines, and
 * copies the status line's reason phrase verbatim, so the lines ride
 * there: "OK\r\nETag: ...\r\n...\r\nContent-Encoding: gzip", evhttp
 * ending the last one.  What evhttp reads itself stays a real header:
 * Content-Length (else it adds its own), Date (likewise; formatted once a
 * second, date_now) and Connection.  The default Content-Type is off
 * (http_apply_limits) since ours is among the lines.
 *
 * The lines hold only values crier formats itself (ETags in hex, HTTP
 * dates, "public, max-age=N") and constant media types; one with a CR,
 * LF or other control character is refused (head_line) and the response
 * is a 500, so no input can ever add a header.  A head keeps the
 * Cache-Control it was made with: after a reload that changes max_age a
 * document not re-rendered gets a fresh head per response (heads, once
 * made, never change: another loop may be reading one).
 */
struct head {
	char	 cache_control[40];
	char	 length[24];		/* Content-Length, for a 200 */
	char	 line[];		/* the reason phrase and the lines */
};

enum { HEAD_OK, HEAD_OK_GZIP, HEAD_NOT_MODIFIED, HEAD_NOT_MODIFIED_GZIP };
_Static_assert(HEAD_NOT_MODIFIED_GZIP < DOCUMENT_HEADS, "a head per kind");

/* Appends "\r\nname: value"; -1 if value has a control character. */
static int
head_line(struct buf *b, const char *name, const char *value)
{
	const unsigned char *p;

	for (p = (const unsigned char *)value; *p != '\0'; p++)
		if (*p < 0x20 && *p != '\t')
			return -1;
	buf_printf(b, "\r\n%s: %s", name, value);
	return 0;
}

static const char *
cache_control_of(struct server *s, const struct document *d)
{
	return strcmp(d->path, "/status") == 0 ? "no-cache" : s->cache_control;
}

static struct head *
head_format(struct server *s, const struct document *d, int kind)
{
	int gz = kind == HEAD_OK_GZIP || kind == HEAD_NOT_MODIFIED_GZIP;
	int ok = kind == HEAD_OK || kind == HEAD_OK_GZIP, bad = 0;
	const char *cc = cache_control_of(s, d);
	struct head *h;
	struct buf b;

	buf_init(&b);
	buf_addstr(&b, ok ? "OK" : "Not Modified");
	bad |= head_line(&b, "ETag", gz ? d->etag_gz : d->etag);
	bad |= head_line(&b, "Last-Modified", d->last_modified);
	bad |= head_line(&b, "Cache-Control", cc);
	bad |= head_line(&b, "Vary", "Accept-Encoding");
	bad |= head_line(&b, "X-Content-Type-Options", "nosniff");
	if (d->shared)
		bad |= head_line(&b, "Access-Control-Allow-Origin", "*");
	if (ok)
		bad |= head_line(&b, "Content-Type", d->content_type);
	if (ok && gz)
		bad |= head_line(&b, "Content-Encoding", "gzip");
	if (bad || strlen(cc) >= sizeof h->cache_control) {
		log_error("%s: a header value cannot be sent", d->path);
		buf_free(&b);
		return NULL;
	}
	h = xmalloc(sizeof *h + b.len + 1);
	snprintf(h->cache_control, sizeof h->cache_control, "%s", cc);
	snprintf(h->length, sizeof h->length, "%zu", gz ? d->gzlen : d->len);
	memcpy(h->line, b.data, b.len + 1);
	buf_free(&b);
	return h;
}

/*
 * The head of kind for d: the document's own, made at its first such
 * response (a race between loops leaves one, the other is freed), or a
 * new one in *fresh, for the caller to free, when max_age changed since.
 */
static const struct head *
heads(struct server *s, struct document *d, int kind, struct head **fresh)
{
	struct head *h = __atomic_load_n(&d->heads[kind], __ATOMIC_ACQUIRE);
	void *none = NULL;

	*fresh = NULL;
	if (h != NULL) {
		if (strcmp(h->cache_control, cache_control_of(s, d)) == 0)
			return h;
		return *fresh = head_format(s, d, kind);
	}
	if ((h = head_format(s, d, kind)) == NULL)
		return NULL;
	if (!__atomic_compare_exchange_n(&d->heads[kind], &none, (void *)h,
	    0, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) {
		free(h);
		h = none;
	}
	return h;
}

/* This second's HTTP date, formatted once a second per loop. */
static const char *
date_now(struct server *s)
{
	time_t now = time(NULL);

	if (now != s->date_at) {
		format_http_date(now, s->date);
		s->date_at = now;
	}
	return s->date;
}

static void
send_document(struct server *s, struct evhttp_request *req,
    struct document *d)
{
	struct evkeyvalq *in = evhttp_request_get_input_headers(req);
	struct evkeyvalq *out = evhttp_request_get_output_headers(req);
	const char *ae = evhttp_find_header(in, "Accept-Encoding");
	int gz = document_gz(d) != NULL && ae != NULL && http_accepts_gzip(ae);
	const struct span *spans = gz ? d->gzspans : d->spans;
	size_t i, nspans = gz ? d->ngzspans : d->nspans;
	size_t len = gz ? d->gzlen : d->len;
	int modified = !not_modified(in, d, gz ? d->etag_gz : d->etag);
	struct head *fresh;
	const struct head *h;
	struct evbuffer *buf;
	struct file_body file;

	h = heads(s, d, (modified ? HEAD_OK : HEAD_NOT_MODIFIED) + gz, &fresh);
	if (h == NULL) {
		send_text(s, req, 500, "Internal Server Error", "the response "
		    "headers cannot be formatted");
		return;
	}
	evhttp_add_header(out, "Date", date_now(s));
	if (!modified) {
		count(s, req, 304, 0);
		reply(req, 304, h->line, NULL, NULL);
		goto out;
	}
	evhttp_add_header(out, "Content-Length", h->length);
	if (evhttp_request_get_command(req) == EVHTTP_REQ_HEAD) {
		count(s, req, 200, 0);
		reply(req, 200, h->line, NULL, NULL);
		goto out;
	}
	if (nspans == 1 && (file.data = document_filed(d, gz)) != NULL &&
	    body_file(file.data, len, &file.fd, &file.off)) {
		file.doc = d;
		file.len = len;
		count(s, req, 200, len);
		reply(req, 200, h->line, NULL, &file);
		goto out;
	}
	if ((buf = evbuffer_new()) == NULL) {
		send_text(s, req, 503, "Service Unavailable", "out of memory");
		goto out;
	}
	/* Each span holds the document until it is sent. */
	for (i = 0; i < nspans; i++) {
		document_ref(d);
		if (evbuffer_add_reference(buf, spans[i].data, spans[i].len,
		    release_document, d) == -1) {
			document_unref(d);
			evbuffer_free(buf);
			send_text(s, req, 503, "Service Unavailable",
			    "out of memory");
			goto out;
		}
	}
	count(s, req, 200, len);
	reply(req, 200, h->line, buf, NULL);
	evbuffer_free(buf);
out:
	free(fresh);
}

/* What /metrics shows: the catalog's figures, every loop's counters. */
static void
metrics_gather(struct server *s, struct metrics_view *v)
{
	const struct catalog_stats *st = &s->cat->stats;
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
	catalog_unlock(s->cat);
	for (i = 0; i < s->group->n; i++) {
		metrics_add(&v->http, &s->group->servers[i]->metrics);
		v->connections += __atomic_load_n(&s->group->servers[i]->open,
		    __ATOMIC_RELAXED);
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
		send_text(s, req, 503, "Service Unavailable", "out of memory");
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
	count(s, req, 200, len);
	reply(req, 200, "OK", body, NULL);
	if (body != NULL)
		evbuffer_free(body);
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

	if (strcmp(path, "/status") == 0) {
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
	if (strcmp(path, "/status") == 0)
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

static void
serve_path(struct server *s, struct evhttp_request *req, const char *path,
    const char *query)
{
	struct document *d;
	struct filter f;
	struct buf canonical;
	char *slashed, *raw;

	buf_init(&canonical);
	if (urls_parse_filter(path, query, &f, &canonical) == -1) {
		send_text(s, req, 400, "Bad Request", "the query string "
		    "cannot be read");
		goto out;
	}
	raw = query ? xasprintf("%s?%s", path, query) : xstrdup(path);
	if (strcmp(raw, canonical.data) != 0)
		redirect(s, req, canonical.data);
	else if (f.ntags + f.ncategories > 0) {
		if ((d = acquire_filtered(s, path, canonical.data, &f)) !=
		    NULL) {
			send_document(s, req, d);
			document_unref(d);
		} else
			send_text(s, req, 503, "Service Unavailable", "the "
			    "filtered document could not be rendered");
	} else if ((d = acquire(s, path)) != NULL) {
		if (d->redirect != NULL)
			redirect(s, req, d->redirect);
		else
			send_document(s, req, d);
		document_unref(d);
	} else {
		slashed = xasprintf("%s/", path);
		if ((d = acquire(s, slashed)) != NULL) {
			redirect(s, req, slashed);
			document_unref(d);
		} else
			send_text(s, req, 404, "Not Found", "not found");
		free(slashed);
	}
	free(raw);
out:
	urls_filter_free(&f);
	buf_free(&canonical);
}

/*
 * The header deadline of a new connection.  It holds a reference on the
 * bufferevent so the pointer stays valid; a check every second releases it
 * as soon as evhttp has let go of the bufferevent (its callbacks are then
 * cleared), so a client that hangs up early does not keep a descriptor
 * open until the deadline.
 */
struct guard {
	struct server		*server;
	struct bufferevent	*bev;
	struct event		*timer;		/* every GUARD_TICK_S */
	time_t			 deadline;
};

#define GUARD_TICK_S 1

static void
guard_free(struct guard *g)
{
	char key[32];

	snprintf(key, sizeof key, "%p", (void *)g->bev);
	dict_remove(&g->server->guards, key);
	event_free(g->timer);
	bufferevent_decref(g->bev);
	free(g);
}

static void
guard_tick(evutil_socket_t fd, short what, void *arg)
{
	struct guard *g = arg;
	bufferevent_data_cb readcb = NULL;
	evutil_socket_t sock;

	(void)fd;
	(void)what;
	bufferevent_getcb(g->bev, &readcb, NULL, NULL, NULL);
	if (readcb != NULL && time(NULL) < g->deadline)
		return;		/* still reading its first request */
	if (readcb != NULL && (sock = bufferevent_getfd(g->bev)) != -1) {
		log_debug("a connection sent no complete request in %d s: "
		    "closed", g->server->cfg->idle_timeout);
		shutdown(sock, SHUT_RDWR);	/* evhttp sees EOF and closes */
	}
	guard_free(g);
}

static struct bufferevent *
new_connection(struct event_base *base, void *arg)
{
	struct server *s = arg;
	struct timeval tv = { GUARD_TICK_S, 0 };
	struct guard *g;
	char key[32];

	g = xcalloc(1, sizeof *g);
	g->server = s;
	g->deadline = time(NULL) + s->cfg->idle_timeout;
	g->bev = bufferevent_socket_new(base, -1, BEV_OPT_CLOSE_ON_FREE);
	g->timer = event_new(base, -1, EV_PERSIST, guard_tick, g);
	if (g->bev == NULL || g->timer == NULL ||
	    evtimer_add(g->timer, &tv) == -1) {
		if (g->timer != NULL)
			event_free(g->timer);
		free(g);
		return NULL;	/* evhttp makes its own, unguarded */
	}
	/* A document goes out in one write, not 16 KiB slices (libevent's
	 * default), which left a short last segment waiting on the
	 * client's delayed ACK. */
	if (bufferevent_set_max_single_write(g->bev, MAX_SINGLE_WRITE) == -1)
		log_debug("bufferevent_set_max_single_write failed");
	bufferevent_incref(g->bev);
	snprintf(key, sizeof key, "%p", (void *)g->bev);
	dict_set(&s->guards, key, g);
	/* Called while the listener accepts: one connection this turn. */
	if (s->ev_reaccept != NULL && s->listener != NULL) {
		if (evconnlistener_disable(evhttp_bound_socket_get_listener(
		    s->listener)) == -1)
			log_debug("cannot pause accepting");
		event_active(s->ev_reaccept, EV_TIMEOUT, 1);
	}
	return g->bev;
}

static void
guard_met(struct server *s, struct evhttp_connection *conn)
{
	struct guard *g;
	char key[32];

	snprintf(key, sizeof key, "%p",
	    (void *)evhttp_connection_get_bufferevent(conn));
	/* Released at once: its reference must not keep a closed
	 * connection's socket open until the deadline. */
	if ((g = dict_get(&s->guards, key)) != NULL)
		guard_free(g);
}

/* Responses are whole documents written at once: Nagle's algorithm would
 * only hold their last segment back. */
static void
no_delay(struct evhttp_connection *conn)
{
	struct bufferevent *bev = evhttp_connection_get_bufferevent(conn);
	evutil_socket_t fd = bev ? bufferevent_getfd(bev) : -1;
	int one = 1;

	if (fd != -1 && setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one,
	    sizeof one) == -1)
		log_debug("TCP_NODELAY: %s", strerror(errno));
}

/*
 * A connection that has made a request, found by its descriptor (unique
 * while it is open; no formatting or hashing per request).  Between
 * requests it has idle_timeout to send the next one's headers (kept-alive
 * connections must not drip headers for ever either): the deadline is a
 * time, checked by the server's once-a-second tick, rather than a timer
 * re-armed on every response.  So a connection is closed up to a second
 * past its deadline.
 */
struct peer {
	struct server		*server;
	struct evhttp_connection *conn;
	evutil_socket_t		 fd;
	time_t			 deadline;	/* 0 while a request is served */
};

static evutil_socket_t
connection_fd(struct evhttp_connection *conn)
{
	struct bufferevent *bev = evhttp_connection_get_bufferevent(conn);

	return bev ? bufferevent_getfd(bev) : -1;
}

static void
peer_forget(struct peer *p)
{
	struct server *s = p->server;

	if (s->peers[p->fd] == p) {
		s->peers[p->fd] = NULL;
		s->live--;
		__atomic_store_n(&s->open, s->live, __ATOMIC_RELAXED);
	}
	free(p);
}

static void
connection_closed(struct evhttp_connection *conn, void *arg)
{
	(void)conn;
	peer_forget(arg);
}

/* Called every second: connections idle past their deadline are shut
 * down; evhttp sees the EOF, closes them and calls connection_closed. */
static void
close_idle(struct server *s)
{
	time_t now = time(NULL);
	size_t i;

	for (i = 0; i < s->npeers; i++)
		if (s->peers[i] != NULL && s->peers[i]->deadline != 0 &&
		    now >= s->peers[i]->deadline) {
			s->peers[i]->deadline = 0;
			shutdown((int)i, SHUT_RDWR);
		}
}

/* The response is sent: the next request's headers have idle_timeout. */
static void
response_done(struct evhttp_request *req, void *arg)
{
	struct peer *p = arg;

	(void)req;
	p->deadline = time(NULL) + p->server->cfg->idle_timeout;
}

/* Counts connections; past max_connections a new one is refused. */
static int
admit(struct server *s, struct evhttp_request *req)
{
	struct evhttp_connection *conn = evhttp_request_get_connection(req);
	evutil_socket_t fd = conn ? connection_fd(conn) : -1;
	struct peer *p;

	if (fd < 0)
		return 1;
	if ((size_t)fd < s->npeers && (p = s->peers[fd]) != NULL) {
		if (p->conn == conn) {
			p->deadline = 0;
			evhttp_request_set_on_complete_cb(req, response_done,
			    p);
			return 1;
		}
		/* A closed connection that was never reported: the
		 * descriptor is someone else's now. */
		peer_forget(p);
	}
	if ((int)s->live >= s->cfg->max_connections) {
		metrics_refused(&s->metrics);
		evhttp_add_header(evhttp_request_get_output_headers(req),
		    "Retry-After", "5");
		evhttp_add_header(evhttp_request_get_output_headers(req),
		    "Connection", "close");
		send_text(s, req, 503, "Service Unavailable", "too many "
		    "connections; try again shortly");
		return 0;
	}
	if ((size_t)fd >= s->npeers) {
		size_t n = s->npeers ? s->npeers : 64;

		while (n <= (size_t)fd)
			n *= 2;
		s->peers = xreallocarray(s->peers, n, sizeof *s->peers);
		memset(s->peers + s->npeers, 0, (n - s->npeers) *
		    sizeof *s->peers);
		s->npeers = n;
	}
	p = xcalloc(1, sizeof *p);
	p->server = s;
	p->conn = conn;
	p->fd = fd;
	s->peers[fd] = p;
	s->live++;
	__atomic_store_n(&s->open, s->live, __ATOMIC_RELAXED);
	evhttp_connection_set_closecb(conn, connection_closed, p);
	evhttp_request_set_on_complete_cb(req, response_done, p);
	no_delay(conn);
	guard_met(s, conn);
	return 1;
}

/*
 * A path that is its own canonical form: every segment made of unreserved
 * characters only (nothing to decode, nothing to encode), none "." or
 * "..", no empty one but the last.  url_path_canonical() would return the
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
	    !plain_path(path) || strcmp(path, "/metrics") == 0 ||
	    (d = borrow(s, path)) == NULL || d->redirect != NULL)
		return 0;
	send_document(s, req, d);
	return 1;
}

static void
handle(struct evhttp_request *req, void *arg)
{
	struct server *s = arg;
	enum evhttp_cmd_type cmd = evhttp_request_get_command(req);
	const struct evhttp_uri *uri = evhttp_request_get_evhttp_uri(req);
	char *path;

	if (!admit(s, req))
		return;
	if ((cmd == EVHTTP_REQ_GET || cmd == EVHTTP_REQ_HEAD) && uri != NULL &&
	    serve_plain(s, req, uri))
		return;
	if (cmd != EVHTTP_REQ_GET && cmd != EVHTTP_REQ_HEAD) {
		evhttp_add_header(evhttp_request_get_output_headers(req),
		    "Allow", "GET, HEAD");
		send_text(s, req, 405, "Method Not Allowed", "method not "
		    "allowed: use GET or HEAD");
		return;
	}
	path = urls_canonical_path(uri ? evhttp_uri_get_path(uri) : NULL);
	if (path == NULL)
		send_text(s, req, 400, "Bad Request", "bad request path");
	else if (strcmp(path, "/metrics") == 0)
		send_metrics(s, req);
	else
		serve_path(s, req, path, evhttp_uri_get_query(uri));
	free(path);
}

/*
 * accept() failed, most likely for lack of descriptors: the listening
 * socket stays readable, so without a pause the loop would spin.  The
 * listener stops; a once-a-second timer of the server (accept_tick)
 * starts it again.  Connections in the backlog wait meanwhile.
 */
static void
accept_failed(struct evconnlistener *lev, void *arg)
{
	(void)arg;
	log_error("accept: %s; pausing for a second",
	    evutil_socket_error_to_string(EVUTIL_SOCKET_ERROR()));
	if (evconnlistener_disable(lev) == -1)
		log_error("cannot pause accepting");
}

/* After a pause (accept_failed, or one connection per turn). */
static void
resume_accepting(struct server *s)
{
	if (s->listener != NULL && evconnlistener_enable(
	    evhttp_bound_socket_get_listener(s->listener)) == -1)
		log_error("cannot resume accepting");
}

/* Every second: accepting resumes (see accept_failed), idle connections
 * are closed, and another loop lets go of its published set (a safety
 * net: http_republished normally does it at once). */
static void
server_tick(evutil_socket_t fd, short what, void *arg)
{
	struct server *s = arg;

	(void)fd;
	(void)what;
	resume_accepting(s);
	close_idle(s);
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
	/* Every response of ours names its type; a document's is among
	 * its pre-formatted lines (heads), where evhttp cannot see it. */
	evhttp_set_default_content_type(s->http, NULL);
	/* Formatted once here rather than on every response. */
	snprintf(s->cache_control, sizeof s->cache_control,
	    "public, max-age=%d", s->cfg->max_age);
}

/*
 * Several loops share one listening socket (each its own descriptor of
 * it), as nginx's workers do.  SO_REUSEPORT, used before, gave each loop
 * its own queue and split connections by a hash of their addresses: one
 * loop often got more of a client's connections and saturated while the
 * other idled, and serving throughput moved by a quarter from run to
 * run.  On one shared socket every loop is woken for a new connection;
 * libevent's listener would then accept until the queue is empty, so a
 * loop takes one (new_connection pauses its listener) and listens again
 * at its next turn (reaccept): connections go to whichever loop is free.
 */
static struct evhttp_bound_socket *
bind_shared(struct server *s, const char *listen, int listen_fd)
{
	struct sockaddr_storage ss;
	struct evconnlistener *lev;
	int len = sizeof ss, fd;

	if (listen_fd != -1) {
		if ((fd = dup(listen_fd)) == -1)
			return NULL;
		if (evutil_make_socket_nonblocking(fd) == -1 ||
		    evutil_make_socket_closeonexec(fd) == -1 ||
		    (lev = evconnlistener_new(s->base, NULL, NULL,
		    LEV_OPT_CLOSE_ON_FREE | LEV_OPT_CLOSE_ON_EXEC, 0,
		    fd)) == NULL) {
			close(fd);
			return NULL;
		}
	} else {
		if (evutil_parse_sockaddr_port(listen, (struct sockaddr *)&ss,
		    &len) == -1)
			return NULL;
		lev = evconnlistener_new_bind(s->base, NULL, NULL,
		    LEV_OPT_REUSEABLE | LEV_OPT_CLOSE_ON_FREE |
		    LEV_OPT_CLOSE_ON_EXEC, 1024, (struct sockaddr *)&ss, len);
		if (lev == NULL)
			return NULL;
	}
	return evhttp_bind_listener(s->http, lev);
}

/* The loop's next turn: it may accept again (see bind_shared). */
static void
reaccept(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	resume_accepting(arg);
}

int
http_listen_fd(const struct server *s)
{
	return s->listener != NULL ?
	    (int)evhttp_bound_socket_get_fd(s->listener) : -1;
}

int
http_start(struct server *s, struct server_group *group,
    struct event_base *base, const struct config *cfg, struct catalog *cat,
    int main_loop, int shared, int listen_fd, char *err, size_t errlen)
{
	char *host;
	int port;

	memset(s, 0, sizeof *s);
	dict_init(&s->guards);
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
	evhttp_set_bevcb(s->http, new_connection, s);
	s->listener = shared ? bind_shared(s, cfg->listen, listen_fd) :
	    evhttp_bind_socket_with_handle(s->http, host, (ev_uint16_t)port);
	if (s->listener != NULL && shared && (s->ev_reaccept = event_new(base,
	    -1, 0, reaccept, s)) == NULL) {
		evhttp_del_accept_socket(s->http, s->listener);
		s->listener = NULL;
	}
	if (s->listener != NULL) {
		struct timeval tick = { 1, 0 };

		evconnlistener_set_error_cb(evhttp_bound_socket_get_listener(
		    s->listener), accept_failed);
		s->ev_tick = event_new(base, -1, EV_PERSIST, server_tick, s);
		if (s->ev_tick == NULL || event_add(s->ev_tick, &tick) == -1)
			log_error("cannot start the server's tick");
		if (!main_loop && (s->ev_republished = event_new(base, -1, 0,
		    republished, s)) == NULL)
			log_error("cannot follow rebuilds");
	}
	if (s->listener == NULL) {
		snprintf(err, errlen, "cannot listen on %s", cfg->listen);
		free(host);
		evhttp_free(s->http);
		s->http = NULL;
		return -1;
	}
	free(host);
	group->servers[group->n++] = s;
	return 0;
}

void
http_stop_accepting(struct server *s)
{
	if (s->http != NULL && s->listener != NULL)
		evhttp_del_accept_socket(s->http, s->listener);
	s->listener = NULL;
}

size_t
http_open_connections(const struct server *s)
{
	return s->live;
}

#define DRAIN_TICK_MS	50
#define DRAIN_TICKS	60	/* at most 3 s for responses in flight */

static void
drain_tick(evutil_socket_t fd, short what, void *arg)
{
	struct server *s = arg;
	struct timeval tick = { 0, DRAIN_TICK_MS * 1000 };

	(void)fd;
	(void)what;
	if (s->live == 0 || ++s->drain_ticks >= DRAIN_TICKS ||
	    evtimer_add(s->ev_drain, &tick) == -1)
		event_base_loopexit(s->base, NULL);
}

void
http_drain(struct server *s)
{
	if (s->ev_drain != NULL)
		return;		/* already draining */
	http_stop_accepting(s);
	if ((s->ev_drain = evtimer_new(s->base, drain_tick, s)) == NULL) {
		event_base_loopexit(s->base, NULL);
		return;
	}
	drain_tick(-1, 0, s);
}

void
http_stop(struct server *s)
{
	void *g;
	size_t i;

	if (s->ev_tick != NULL)
		event_free(s->ev_tick);
	s->ev_tick = NULL;
	if (s->ev_republished != NULL)
		event_free(s->ev_republished);
	s->ev_republished = NULL;
	if (s->ev_reaccept != NULL)
		event_free(s->ev_reaccept);
	s->ev_reaccept = NULL;
	if (s->ev_drain != NULL)
		event_free(s->ev_drain);
	s->ev_drain = NULL;
	if (s->http != NULL)
		evhttp_free(s->http);
	s->http = NULL;
	/* evhttp_free closed every connection, forgetting its peer; any
	 * left were never reported closed. */
	for (i = 0; i < s->npeers; i++)
		free(s->peers[i]);
	free(s->peers);
	s->peers = NULL;
	s->npeers = 0;
	docset_unref(s->snap);
	s->snap = NULL;
	for (i = 0; dict_next(&s->guards, &i, NULL, &g); )
		guard_free(g);
	dict_free(&s->guards, NULL);
}

/*
 * http_reply.c -- writing one response, and nothing about which one.
 *
 * A document's response answers a conditional request from the
 * precomputed ETag and Last-Modified, picks the identity or gzip body,
 * and is sent with the document's pre-formatted head (heads): a large
 * body from its copy in the body store with sendfile (send_file,
 * bodystore.c), any other as a reference to its bytes
 * (evbuffer_add_reference).  Whatever is not sent at once holds a
 * reference on the document, released when libevent is done with it --
 * so a rebuild can swap documents while responses are still being sent.
 * HEAD and 304 are sent with no body at all.
 *
 * The response is written at once rather than when the loop next reports
 * the socket writable (reply): no extra loop turn per request.  Every
 * response is counted here, by route class and status (metrics.c), so
 * no way of answering can skip the count.
 *
 * Its context, struct http_reply, is the serving loop's own: counters,
 * the formatted Cache-Control and this second's Date.  It knows no
 * catalog and no routing: http.c decides what to send, http_conn.c which
 * connections may ask.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <sys/sendfile.h>
#include <sys/socket.h>
#include <sys/uio.h>

#include <event2/bufferevent.h>
#include <event2/event.h>
#include <event2/keyvalq_struct.h>

#include "bodystore.h"
#include "http_reply.h"
#include "log.h"
#include "urls.h"

#define HEAD_CHAINS 8	/* a response's headers are in one or two */

static void
count(struct http_reply *r, struct evhttp_request *req, int code, size_t bytes)
{
	const struct evhttp_uri *uri = evhttp_request_get_evhttp_uri(req);

	metrics_count(&r->metrics, uri ? evhttp_uri_get_path(uri) : NULL, code,
	    bytes);
}

static void
release_document(const void *data, size_t len, void *doc)
{
	(void)data;
	(void)len;
	document_unref(doc);
}

static void
release_held(const void *data, size_t len, void *held)
{
	(void)data;
	(void)len;
	held_body_unref(held);
}

/*
 * The identity body of a document whose body is the body cache's
 * (bodycache.c), made again if it was dropped: into buf, holding the
 * bytes until they are sent.  -1 when it cannot be had.
 */
static int
add_identity(struct evbuffer *buf, struct document *d)
{
	struct held_body *h = document_identity(d);

	if (h == NULL)
		return -1;
	if (evbuffer_add_reference(buf, h->data, h->len, release_held,
	    h) == -1) {
		held_body_unref(h);
		return -1;
	}
	return 0;
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
	struct document			*doc;
	const struct bodystore_copy	*copy;
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
	const struct bodystore_copy *c = file->copy;
	off_t off = c->off;
	size_t sent = 0;
	ssize_t n;

	if (send_head(fd, out) == 0)
		while (sent < c->len && (n = sendfile(fd, c->fd, &off,
		    c->len - sent)) > 0)
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
			done = (sent = send_file(fd, out, file)) ==
			    file->copy->len;
		if (evbuffer_freeze(out, 1) == -1)
			log_debug("cannot refreeze an output buffer");
	}
	if (file != NULL && !done) {
		document_ref(file->doc);
		if (evbuffer_add_reference(out, file->copy->data + sent,
		    file->copy->len - sent, release_document, file->doc) == -1) {
			document_unref(file->doc);
			/* The response cannot be completed. */
			if (fd != -1)
				shutdown(fd, SHUT_RDWR);
		}
	} else if (done && evbuffer_get_length(out) == 0)
		bufferevent_trigger(bev, EV_WRITE, BEV_TRIG_DEFER_CALLBACKS);
}

void
http_reply_text(struct http_reply *r, struct evhttp_request *req, int code,
    const char *reason, const char *text)
{
	struct evkeyvalq *out = evhttp_request_get_output_headers(req);
	struct evbuffer *body = NULL;

	/* A document's response that fails on the way (an identity body
	 * that cannot be made) had announced the document's length. */
	(void)evhttp_remove_header(out, "Content-Length");
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
	count(r, req, code, body ? strlen(text) + 1 : 0);
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
http_reply_accepts_gzip(const char *header)
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
http_reply_etag_matches(const char *header, const char *etag)
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

/* 1 if an If-None-Match line of the request lists etag. */
static int
none_match_lists(struct evkeyvalq *in, const char *etag)
{
	struct evkeyval *h;

	/* Several If-None-Match lines are one list (RFC 9110 5.3). */
	for (h = in->tqh_first; h != NULL; h = h->next.tqe_next)
		if (strcasecmp(h->key, "If-None-Match") == 0 &&
		    http_reply_etag_matches(h->value, etag))
			return 1;
	return 0;
}

/*
 * Whether the client's copy is this version of d: 0 if not; 1 if its
 * validators name the representation chosen (gz or identity); 2 if, asking
 * for gzip, they name the identity tag of the same version.  That is the
 * gzip body made just after the identity one (gzlater.c): a client that
 * accepts gzip was given the identity body and its ETag in between, and
 * holds the same bytes.  It is told 304 with the tag it holds, not sent
 * the whole document again -- as Apache's mod_deflate compares a tag
 * without its "-gzip".  Never the other way: a client that does not take
 * gzip is not told its copy is the gzip one, since a shared cache picks
 * the stored response a 304 names by its ETag (RFC 9111 4.3.4) and would
 * then serve gzip to it.
 */
static int
not_modified(struct evkeyvalq *in, const struct document *d, int gz)
{
	const char *ims = evhttp_find_header(in, "If-Modified-Since");
	time_t since;

	if (none_match_lists(in, gz ? d->etag_gz : d->etag))
		return 1;
	if (gz && none_match_lists(in, d->etag))
		return 2;
	if (evhttp_find_header(in, "If-None-Match") != NULL)
		return 0;
	if (ims != NULL && d->mtime != 0 && dates_parse_http(ims, &since) == 0)
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
 *
 * A head is kept on its document version (a cache in its slots,
 * document.h) rather than in a table of this file's: a response finds it
 * with one load, and it goes when the version goes.  Only this file
 * makes, reads or frees one.
 */
struct head {
	struct document_cache cache;	/* first: see document.h */
	char	 cache_control[40];
	char	 length[24];		/* Content-Length, for a 200 */
	char	 line[];		/* the reason phrase and the lines */
};

enum { HEAD_OK, HEAD_OK_GZIP, HEAD_NOT_MODIFIED, HEAD_NOT_MODIFIED_GZIP };

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
cache_control_of(struct http_reply *r, const struct document *d)
{
	if (strcmp(d->path, URLS_STATUS) == 0)
		return "no-cache";
	return d->immutable ? r->cache_immutable : r->cache_control;
}

/*
 * Feeds, calendars, the OPML list and /status may be read by scripts of
 * other sites (a web feed reader, a calendar widget, a dashboard): they
 * are public and carry no credentials.  Pages are for browsers to show, not for others
 * to read.  Decided by the URL: a filtered document's has its query.
 */
static int
cors(const char *url)
{
	enum urls_kind k = urls_kind(url, strcspn(url, "?"));

	return k == URLS_KIND_FEED || k == URLS_KIND_CALENDAR ||
	    k == URLS_KIND_LIST || k == URLS_KIND_STATUS;
}

static void
head_free(struct document_cache *c)
{
	free(c);
}

static struct head *
head_format(struct http_reply *r, const struct document *d, int kind)
{
	int gz = kind == HEAD_OK_GZIP || kind == HEAD_NOT_MODIFIED_GZIP;
	int ok = kind == HEAD_OK || kind == HEAD_OK_GZIP, bad = 0;
	const char *cc = cache_control_of(r, d);
	struct head *h;
	struct buf b;

	buf_init(&b);
	buf_addstr(&b, ok ? "OK" : "Not Modified");
	bad |= head_line(&b, "ETag", gz ? d->etag_gz : d->etag);
	bad |= head_line(&b, "Last-Modified", d->last_modified);
	bad |= head_line(&b, "Cache-Control", cc);
	bad |= head_line(&b, "Vary", "Accept-Encoding");
	bad |= head_line(&b, "X-Content-Type-Options", "nosniff");
	if (cors(d->path))
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
	h->cache.free = head_free;
	snprintf(h->cache_control, sizeof h->cache_control, "%s", cc);
	/* A 304 has no length (and its gzip body may not exist yet). */
	snprintf(h->length, sizeof h->length, "%zu", !ok ? 0 : gz ? d->gzlen :
	    d->len);
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
heads(struct http_reply *r, struct document *d, int kind, struct head **fresh)
{
	int slot = DOCUMENT_CACHE_HEADS + kind;
	struct head *h = (struct head *)document_cache(d, slot);

	_Static_assert(HEAD_NOT_MODIFIED_GZIP < DOCUMENT_HEADS,
	    "a head per kind");
	*fresh = NULL;
	if (h != NULL) {
		if (strcmp(h->cache_control, cache_control_of(r, d)) == 0)
			return h;
		return *fresh = head_format(r, d, kind);
	}
	if ((h = head_format(r, d, kind)) == NULL)
		return NULL;
	return (struct head *)document_cache_keep(d, slot, &h->cache);
}

/* This second's HTTP date, formatted once a second per loop. */
static const char *
date_now(struct http_reply *r)
{
	time_t now = time(NULL);

	if (now != r->date_at) {
		dates_format_http(now, r->date);
		r->date_at = now;
	}
	return r->date;
}

/*
 * Whether a client that takes gzip gets it: the gzip body exists, or is
 * made now for a document whose gzip comes on request (an archive page)
 * -- unless the answer is a 304, which needs no body (the gzip ETag is
 * known without one).  A HEAD makes it: its Content-Length is the gzip
 * body's, as a GET's would be.
 */
static int
gzip_for(struct evkeyvalq *in, struct document *d)
{
	if (document_gz(d) != NULL)
		return 1;
	if (d->gzip_on_request == NULL)
		return 0;
	if (not_modified(in, d, 1) != 0)
		return 1;
	return document_gzip_asked(d) != NULL;
}

void
http_reply_document(struct http_reply *r, struct evhttp_request *req,
    struct document *d)
{
	struct evkeyvalq *in = evhttp_request_get_input_headers(req);
	struct evkeyvalq *out = evhttp_request_get_output_headers(req);
	const char *ae = evhttp_find_header(in, "Accept-Encoding");
	int gz = ae != NULL && http_reply_accepts_gzip(ae) &&
	    gzip_for(in, d);
	const struct span *spans;
	size_t i, nspans, len;
	int held = not_modified(in, d, gz), modified = held == 0;
	struct head *fresh;
	const struct head *h;
	struct evbuffer *buf;
	struct file_body file;
	const struct bodystore_copy *copy;

	h = heads(r, d, modified ? HEAD_OK + gz :
	    HEAD_NOT_MODIFIED + (held == 2 ? 0 : gz), &fresh);
	if (h == NULL) {
		http_reply_text(r, req, 500, "Internal Server Error", "the "
		    "response headers cannot be formatted");
		return;
	}
	evhttp_add_header(out, "Date", date_now(r));
	if (!modified) {
		count(r, req, 304, 0);
		reply(req, 304, h->line, NULL, NULL);
		goto out;
	}
	/* Only now: a 304's gzip body may still be in the making (an
	 * archive page's, on another loop). */
	spans = gz ? d->gzspans : d->spans;
	nspans = gz ? d->ngzspans : d->nspans;
	len = gz ? d->gzlen : d->len;
	evhttp_add_header(out, "Content-Length", h->length);
	if (evhttp_request_get_command(req) == EVHTTP_REQ_HEAD) {
		count(r, req, 200, 0);
		reply(req, 200, h->line, NULL, NULL);
		goto out;
	}
	if ((copy = bodystore_filed(d, gz)) != NULL) {
		file.doc = d;
		file.copy = copy;
		count(r, req, 200, len);
		reply(req, 200, h->line, NULL, &file);
		goto out;
	}
	if ((buf = evbuffer_new()) == NULL) {
		http_reply_text(r, req, 503, "Service Unavailable",
		    "out of memory");
		goto out;
	}
	if (!gz && d->bodies != NULL) {
		if (add_identity(buf, d) == -1) {
			evbuffer_free(buf);
			http_reply_text(r, req, 503, "Service Unavailable",
			    "the document cannot be sent now");
			goto out;
		}
		nspans = 0;
	}
	/* Each span holds the document until it is sent. */
	for (i = 0; i < nspans; i++) {
		document_ref(d);
		if (evbuffer_add_reference(buf, spans[i].data, spans[i].len,
		    release_document, d) == -1) {
			document_unref(d);
			evbuffer_free(buf);
			http_reply_text(r, req, 503, "Service Unavailable",
			    "out of memory");
			goto out;
		}
	}
	count(r, req, 200, len);
	reply(req, 200, h->line, buf, NULL);
	evbuffer_free(buf);
out:
	free(fresh);
}

void
http_reply_body(struct http_reply *r, struct evhttp_request *req, int code,
    const char *reason, struct evbuffer *body, size_t len)
{
	count(r, req, code, len);
	reply(req, code, reason, body, NULL);
}

void
http_reply_configure(struct http_reply *r, const struct config *cfg)
{
	/* Formatted once here rather than on every response. */
	snprintf(r->cache_control, sizeof r->cache_control,
	    "public, max-age=%d", cfg->max_age);
	snprintf(r->cache_immutable, sizeof r->cache_immutable,
	    "public, max-age=%d, immutable", cfg->archive_max_age);
}

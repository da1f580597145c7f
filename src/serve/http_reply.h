/*
 * http_reply.h -- writing one response: a document (conditional requests,
 * the encoding, its pre-formatted head, its body sent with sendfile or by
 * reference), or a short text.
 */
#ifndef CRIER_HTTP_REPLY_H
#define CRIER_HTTP_REPLY_H

#include <stddef.h>
#include <time.h>

#include <event2/buffer.h>
#include <event2/http.h>

#include "config.h"
#include "dates.h"
#include "document.h"
#include "metrics.h"

/* What one event loop's responses share; only that loop touches it,
 * except metrics (see metrics.h). */
struct http_reply {
	struct http_metrics	 metrics;	/* written by this loop only */
	char			 cache_control[40]; /* "public, max-age=N" */
	char			 cache_immutable[40]; /* a full archive page's */
	char			 date[DATE_BUFSIZE]; /* at date_at */
	time_t			 date_at;
};

/* Takes max_age from the configuration (at start and after a reload). */
void	 http_reply_configure(struct http_reply *, const struct config *);
/* GET or HEAD of d: 200 or 304, identity or gzip. */
void	 http_reply_document(struct http_reply *, struct evhttp_request *,
	    struct document *);
/* A text/plain response: an error, a redirect's body. */
void	 http_reply_text(struct http_reply *, struct evhttp_request *,
	    int code, const char *reason, const char *text);
/* A body the caller made (NULL for HEAD), len bytes, counted as sent;
 * the caller keeps body. */
void	 http_reply_body(struct http_reply *, struct evhttp_request *,
	    int code, const char *reason, struct evbuffer *body, size_t len);
/* Accept-Encoding allows gzip; If-None-Match lists this entity tag. */
int	 http_reply_accepts_gzip(const char *header);
int	 http_reply_etag_matches(const char *header, const char *etag);

#endif

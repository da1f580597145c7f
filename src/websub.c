/*
 * websub.c -- publish pings (WebSub, W3C Recommendation 2018, section 7):
 * after a rebuild, one POST per changed feed with hub.mode=publish and
 * hub.url=<the feed's self URL>, the URL advertised as rel=self.
 *
 * Pings run on the event loop and never block serving; a failure is
 * logged and otherwise ignored (the hub falls back to polling).  evhttp
 * speaks plain HTTP only, so the hub must be an http:// URL (a local hub,
 * or a relay in front of an https one).
 */
#include <stdlib.h>
#include <string.h>

#include <event2/buffer.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>

#include "log.h"
#include "util.h"
#include "websub.h"

#define PINGS_MAX 64	/* per rebuild; more is a hub's full re-crawl */

const char *
websub_check(const char *hub)
{
	struct evhttp_uri *uri;
	const char *why = NULL;

	if (hub[0] == '\0')
		return NULL;
	if ((uri = evhttp_uri_parse(hub)) == NULL)
		return "websub_hub is not a URL";
	if (evhttp_uri_get_scheme(uri) == NULL ||
	    strcmp(evhttp_uri_get_scheme(uri), "http") != 0 ||
	    evhttp_uri_get_host(uri) == NULL)
		why = "websub_hub must be an http:// URL (evhttp has no TLS)";
	evhttp_uri_free(uri);
	return why;
}

static void
ping_done(struct evhttp_request *req, void *arg)
{
	char *url = arg;
	int code = req ? evhttp_request_get_response_code(req) : 0;

	if (code < 200 || code > 299)
		log_warn("websub: the hub answered %d for %s", code, url);
	else
		log_debug("websub: hub notified of %s", url);
	free(url);
}

static int
send_ping(struct evhttp_connection *conn, const char *host, const char *path,
    const char *feed_url)
{
	struct evhttp_request *req;
	struct evkeyvalq *headers;
	char *body, *enc;

	if ((req = evhttp_request_new(ping_done, xstrdup(feed_url))) == NULL)
		return -1;
	headers = evhttp_request_get_output_headers(req);
	enc = evhttp_encode_uri(feed_url);
	body = xasprintf("hub.mode=publish&hub.url=%s", enc ? enc : "");
	free(enc);
	if (evhttp_add_header(headers, "Host", host) == -1 ||
	    evhttp_add_header(headers, "Content-Type",
	    "application/x-www-form-urlencoded") == -1 ||
	    evbuffer_add(evhttp_request_get_output_buffer(req), body,
	    strlen(body)) == -1) {
		free(body);
		evhttp_request_free(req);
		return -1;
	}
	free(body);
	/* On failure libevent frees the request and calls ping_done. */
	return evhttp_make_request(conn, req, EVHTTP_REQ_POST, path);
}

void
websub_ping(struct event_base *base, const struct config *cfg,
    char *const *paths, size_t n)
{
	struct evhttp_connection *conn;
	struct evhttp_uri *uri;
	const char *host, *path;
	char *feed_url;
	size_t i;
	int port;

	if (n == 0 || cfg->websub_hub[0] == '\0' ||
	    websub_check(cfg->websub_hub) != NULL ||
	    (uri = evhttp_uri_parse(cfg->websub_hub)) == NULL)
		return;
	host = evhttp_uri_get_host(uri);
	port = evhttp_uri_get_port(uri) > 0 ? evhttp_uri_get_port(uri) : 80;
	path = evhttp_uri_get_path(uri);
	if (path == NULL || path[0] == '\0')
		path = "/";
	/* A connection each: many hubs close after every request. */
	for (i = 0; i < n && i < PINGS_MAX; i++) {
		conn = evhttp_connection_base_new(base, NULL, host,
		    (unsigned short)port);
		if (conn == NULL) {
			log_error("websub: cannot connect to %s",
			    cfg->websub_hub);
			break;
		}
		evhttp_connection_set_timeout(conn, 10);
		feed_url = xasprintf("%s%s", cfg->base_url, paths[i]);
		if (send_ping(conn, host, path, feed_url) == -1)
			log_error("websub: cannot send a ping for %s", feed_url);
		free(feed_url);
		evhttp_connection_free_on_completion(conn);
	}
	evhttp_uri_free(uri);
}

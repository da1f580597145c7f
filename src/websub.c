/*
 * websub.c -- publish pings (WebSub, W3C Recommendation 2018, section 7):
 * after a rebuild, one POST per changed feed with hub.mode=publish and
 * hub.url=<the feed's self URL>, the URL advertised as rel=self.
 *
 * Pings run on the event loop and never block serving; a failure is
 * logged and otherwise ignored (the hub falls back to polling).  Each ping
 * has its own connection (many hubs close after each request); it is
 * freed from a zero-delay event once its request is done, since a
 * connection cannot be freed inside its own callback, and shutdown frees
 * whatever is still in flight.  evhttp speaks plain HTTP only, so the hub
 * must be an http:// URL (a local hub, or a relay in front of an https one).
 */
#include <stdlib.h>
#include <string.h>

#include <event2/buffer.h>
#include <event2/dns.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>

#include "log.h"
#include "util.h"
#include "websub.h"

#define PINGS_MAX 64	/* per rebuild; more is a hub's full re-crawl */

struct ping {
	struct websub		*ws;
	struct evhttp_connection *conn;
	char			*feed_url;
	struct ping		*next;
};

/* The resolver is made on first use: most sites configure no hub. */
void
websub_init(struct websub *ws, struct event_base *base)
{
	ws->base = base;
	ws->dns = NULL;
	ws->pings = NULL;
}

static void
ping_free(struct ping *p)
{
	struct ping **pp;

	for (pp = &p->ws->pings; *pp != NULL; pp = &(*pp)->next)
		if (*pp == p) {
			*pp = p->next;
			break;
		}
	if (p->conn != NULL)
		evhttp_connection_free(p->conn);
	free(p->feed_url);
	free(p);
}

void
websub_free(struct websub *ws)
{
	while (ws->pings != NULL)
		ping_free(ws->pings);
	if (ws->dns != NULL)
		evdns_base_free(ws->dns, 0);
	ws->dns = NULL;
}

static void
ping_release(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	ping_free(arg);
}

static void
ping_done(struct evhttp_request *req, void *arg)
{
	struct ping *p = arg;
	struct timeval now = { 0, 0 };
	int code = req ? evhttp_request_get_response_code(req) : 0;

	if (code < 200 || code > 299)
		log_warn("websub: the hub answered %d for %s", code,
		    p->feed_url);
	else
		log_debug("websub: hub notified of %s", p->feed_url);
	if (event_base_once(p->ws->base, -1, EV_TIMEOUT, ping_release, p,
	    &now) == -1)
		log_error("websub: cannot schedule a connection's release");
}

static int
send_ping(struct ping *p, const char *host, const char *path)
{
	struct evhttp_request *req;
	struct evkeyvalq *headers;
	char *body, *enc;

	if ((req = evhttp_request_new(ping_done, p)) == NULL)
		return -1;
	headers = evhttp_request_get_output_headers(req);
	enc = evhttp_encode_uri(p->feed_url);
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
	/* On failure libevent frees the request itself. */
	return evhttp_make_request(p->conn, req, EVHTTP_REQ_POST, path);
}

static void
ping_one(struct websub *ws, const struct config *cfg, const char *host,
    int port, const char *path, const char *feed_path)
{
	struct ping *p = xcalloc(1, sizeof *p);

	p->ws = ws;
	p->feed_url = xasprintf("%s%s", cfg->base_url, feed_path);
	p->next = ws->pings;
	ws->pings = p;
	/* With no evdns base, libevent would resolve the hub's name with a
	 * blocking call inside the event loop. */
	if (ws->dns == NULL && (ws->dns = evdns_base_new(ws->base,
	    EVDNS_BASE_INITIALIZE_NAMESERVERS)) == NULL)
		log_warn("websub: no DNS resolver; the hub must be an address");
	p->conn = evhttp_connection_base_new(ws->base, ws->dns, host,
	    (unsigned short)port);
	if (p->conn == NULL) {
		log_error("websub: cannot connect to %s", cfg->websub_hub);
		ping_free(p);
		return;
	}
	evhttp_connection_set_timeout(p->conn, 10);
	if (send_ping(p, host, path) == -1) {
		log_error("websub: cannot send a ping for %s", p->feed_url);
		ping_free(p);
	}
}

void
websub_ping(struct websub *ws, const struct config *cfg,
    char *const *paths, size_t n)
{
	struct evhttp_uri *uri;
	const char *host, *path;
	size_t i;
	int port;

	/* The configuration checked the URL (config_validate). */
	if (n == 0 || cfg->websub_hub[0] == '\0' ||
	    (uri = evhttp_uri_parse(cfg->websub_hub)) == NULL)
		return;
	if ((host = evhttp_uri_get_host(uri)) == NULL) {
		evhttp_uri_free(uri);
		return;
	}
	port = evhttp_uri_get_port(uri) > 0 ? evhttp_uri_get_port(uri) : 80;
	path = evhttp_uri_get_path(uri);
	if (path == NULL || path[0] == '\0')
		path = "/";
	for (i = 0; i < n && i < PINGS_MAX; i++)
		ping_one(ws, cfg, host, port, path, paths[i]);
	evhttp_uri_free(uri);
}

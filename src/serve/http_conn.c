/*
 * http_conn.c -- a serving loop's listening socket and connections: who
 * may ask, for how long, and when the loop may exit.
 *
 * evhttp's own timeout restarts at every byte, which lets a "slowloris"
 * client hold a connection for ever.  So a connection must send its
 * first request's headers within idle_timeout in total: each new
 * connection's bufferevent gets a deadline (a guard), met by its first
 * request, else its socket is shut down and evhttp closes it.  From its
 * first request on, a connection is a peer, found by its descriptor,
 * with a deadline for its next request's headers that the loop's
 * once-a-second tick checks (no timer re-armed per request); past
 * max_connections a new one is answered 503.  Responses are whole
 * documents written at once, so Nagle's algorithm is off and libevent's
 * 16 KiB write slices are lifted.
 *
 * The listening side: one socket per loop, or one shared by every loop
 * (bind_shared), each taking one connection per turn; accept() failures
 * pause the listener for a second instead of spinning; draining stops
 * accepting and leaves the loop once the last response is out.
 *
 * Its context, struct http_conns, is the loop's own; the only response
 * it writes itself (the 503) goes through http_reply.c.  It knows no
 * documents and no routing.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sys/socket.h>
#include <netinet/in.h>
#include <netinet/tcp.h>

#include <event2/bufferevent.h>
#include <event2/keyvalq_struct.h>
#include <event2/listener.h>

#include "http_conn.h"
#include "log.h"
#include "metrics.h"

#define MAX_SINGLE_WRITE (4 * 1024 * 1024)

void
http_conn_init(struct http_conns *c, struct event_base *base,
    const struct config *cfg, struct http_reply *reply)
{
	memset(c, 0, sizeof *c);
	c->base = base;
	c->cfg = cfg;
	c->reply = reply;
	dict_init(&c->guards);
}

/*
 * The header deadline of a new connection.  It holds a reference on the
 * bufferevent so the pointer stays valid; a check every second releases it
 * as soon as evhttp has let go of the bufferevent (its callbacks are then
 * cleared), so a client that hangs up early does not keep a descriptor
 * open until the deadline.
 */
struct guard {
	struct http_conns	*conns;
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
	dict_remove(&g->conns->guards, key);
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
		    "closed", g->conns->cfg->idle_timeout);
		shutdown(sock, SHUT_RDWR);	/* evhttp sees EOF and closes */
	}
	guard_free(g);
}

struct bufferevent *
http_conn_new(struct event_base *base, void *arg)
{
	struct http_conns *c = arg;
	struct timeval tv = { GUARD_TICK_S, 0 };
	struct guard *g;
	char key[32];

	g = xcalloc(1, sizeof *g);
	g->conns = c;
	g->deadline = time(NULL) + c->cfg->idle_timeout;
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
	dict_set(&c->guards, key, g);
	/* Called while the listener accepts: one connection this turn. */
	if (c->ev_reaccept != NULL && c->listener != NULL) {
		if (evconnlistener_disable(evhttp_bound_socket_get_listener(
		    c->listener)) == -1)
			log_debug("cannot pause accepting");
		event_active(c->ev_reaccept, EV_TIMEOUT, 1);
	}
	return g->bev;
}

static void
guard_met(struct http_conns *c, struct evhttp_connection *conn)
{
	struct guard *g;
	char key[32];

	snprintf(key, sizeof key, "%p",
	    (void *)evhttp_connection_get_bufferevent(conn));
	/* Released at once: its reference must not keep a closed
	 * connection's socket open until the deadline. */
	if ((g = dict_get(&c->guards, key)) != NULL)
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
 * time, checked by the loop's once-a-second tick, rather than a timer
 * re-armed on every response.  So a connection is closed up to a second
 * past its deadline.
 */
struct peer {
	struct http_conns	*conns;
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
	struct http_conns *c = p->conns;

	if (c->peers[p->fd] == p) {
		c->peers[p->fd] = NULL;
		c->live--;
		__atomic_store_n(&c->open, c->live, __ATOMIC_RELAXED);
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
close_idle(struct http_conns *c)
{
	time_t now = time(NULL);
	size_t i;

	for (i = 0; i < c->npeers; i++)
		if (c->peers[i] != NULL && c->peers[i]->deadline != 0 &&
		    now >= c->peers[i]->deadline) {
			c->peers[i]->deadline = 0;
			shutdown((int)i, SHUT_RDWR);
		}
}

/* The response is sent: the next request's headers have idle_timeout. */
static void
response_done(struct evhttp_request *req, void *arg)
{
	struct peer *p = arg;

	(void)req;
	p->deadline = time(NULL) + p->conns->cfg->idle_timeout;
}

/* A request past max_connections: 503, and the connection closed. */
static int
refuse(struct http_conns *c, struct evhttp_request *req)
{
	struct evkeyvalq *out = evhttp_request_get_output_headers(req);

	metrics_refused(&c->reply->metrics);
	evhttp_add_header(out, "Retry-After", "5");
	evhttp_add_header(out, "Connection", "close");
	http_reply_text(c->reply, req, 503, "Service Unavailable", "too many "
	    "connections; try again shortly");
	return 0;
}

/* A connection's first request: it joins peers, its deadline is met. */
static struct peer *
peer_new(struct http_conns *c, struct evhttp_connection *conn,
    evutil_socket_t fd)
{
	struct peer *p;

	if ((size_t)fd >= c->npeers) {
		size_t n = c->npeers ? c->npeers : 64;

		while (n <= (size_t)fd)
			n *= 2;
		c->peers = xreallocarray(c->peers, n, sizeof *c->peers);
		memset(c->peers + c->npeers, 0, (n - c->npeers) *
		    sizeof *c->peers);
		c->npeers = n;
	}
	p = xcalloc(1, sizeof *p);
	p->conns = c;
	p->conn = conn;
	p->fd = fd;
	c->peers[fd] = p;
	c->live++;
	__atomic_store_n(&c->open, c->live, __ATOMIC_RELAXED);
	evhttp_connection_set_closecb(conn, connection_closed, p);
	no_delay(conn);
	guard_met(c, conn);
	return p;
}

/* Counts connections; past max_connections a new one is refused. */
int
http_conn_admit(struct http_conns *c, struct evhttp_request *req)
{
	struct evhttp_connection *conn = evhttp_request_get_connection(req);
	evutil_socket_t fd = conn ? connection_fd(conn) : -1;
	struct peer *p;

	if (fd < 0)
		return 1;
	if ((size_t)fd < c->npeers && (p = c->peers[fd]) != NULL) {
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
	if ((int)c->live >= c->cfg->max_connections)
		return refuse(c, req);
	p = peer_new(c, conn, fd);
	evhttp_request_set_on_complete_cb(req, response_done, p);
	return 1;
}

size_t
http_conn_count(const struct http_conns *c)
{
	return __atomic_load_n(&c->open, __ATOMIC_RELAXED);
}

/*
 * accept() failed, most likely for lack of descriptors: the listening
 * socket stays readable, so without a pause the loop would spin.  The
 * listener stops; the loop's once-a-second tick (http_conn_tick)
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
resume_accepting(struct http_conns *c)
{
	if (c->listener != NULL && evconnlistener_enable(
	    evhttp_bound_socket_get_listener(c->listener)) == -1)
		log_error("cannot resume accepting");
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

/*
 * Several loops share one listening socket (each its own descriptor of
 * it), as nginx's workers do.  SO_REUSEPORT, used before, gave each loop
 * its own queue and split connections by a hash of their addresses: one
 * loop often got more of a client's connections and saturated while the
 * other idled, and serving throughput moved by a quarter from run to
 * run.  On one shared socket every loop is woken for a new connection;
 * libevent's listener would then accept until the queue is empty, so a
 * loop takes one (http_conn_new pauses its listener) and listens again
 * at its next turn (reaccept): connections go to whichever loop is free.
 */
static struct evhttp_bound_socket *
bind_shared(struct http_conns *c, const char *listen, int listen_fd)
{
	struct sockaddr_storage ss;
	struct evconnlistener *lev;
	int len = sizeof ss, fd;

	if (listen_fd != -1) {
		if ((fd = dup(listen_fd)) == -1)
			return NULL;
		if (evutil_make_socket_nonblocking(fd) == -1 ||
		    evutil_make_socket_closeonexec(fd) == -1 ||
		    (lev = evconnlistener_new(c->base, NULL, NULL,
		    LEV_OPT_CLOSE_ON_FREE | LEV_OPT_CLOSE_ON_EXEC, 0,
		    fd)) == NULL) {
			close(fd);
			return NULL;
		}
	} else {
		if (evutil_parse_sockaddr_port(listen, (struct sockaddr *)&ss,
		    &len) == -1)
			return NULL;
		lev = evconnlistener_new_bind(c->base, NULL, NULL,
		    LEV_OPT_REUSEABLE | LEV_OPT_CLOSE_ON_FREE |
		    LEV_OPT_CLOSE_ON_EXEC, 1024, (struct sockaddr *)&ss, len);
		if (lev == NULL)
			return NULL;
	}
	return evhttp_bind_listener(c->http, lev);
}

/* The loop's next turn: it may accept again (see bind_shared). */
static void
reaccept(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	resume_accepting(arg);
}

void
http_conn_tick(struct http_conns *c)
{
	resume_accepting(c);
	close_idle(c);
}

int
http_conn_listen_fd(const struct http_conns *c)
{
	return c->listener != NULL ?
	    (int)evhttp_bound_socket_get_fd(c->listener) : -1;
}

int
http_conn_listen(struct http_conns *c, struct evhttp *http, int shared,
    int listen_fd, char *err, size_t errlen)
{
	const char *listen = c->cfg->listen;
	char *host;
	int port;

	c->http = http;
	if (split_listen(listen, &host, &port) == -1) {
		snprintf(err, errlen, "listen '%s': expected ADDRESS:PORT or "
		    "[IPv6]:PORT", listen);
		return -1;
	}
	c->listener = shared ? bind_shared(c, listen, listen_fd) :
	    evhttp_bind_socket_with_handle(http, host, (ev_uint16_t)port);
	free(host);
	if (c->listener != NULL && shared && (c->ev_reaccept = event_new(
	    c->base, -1, 0, reaccept, c)) == NULL) {
		evhttp_del_accept_socket(http, c->listener);
		c->listener = NULL;
	}
	if (c->listener == NULL) {
		snprintf(err, errlen, "cannot listen on %s", listen);
		return -1;
	}
	evconnlistener_set_error_cb(evhttp_bound_socket_get_listener(
	    c->listener), accept_failed);
	return 0;
}

static void
stop_accepting(struct http_conns *c)
{
	if (c->http != NULL && c->listener != NULL)
		evhttp_del_accept_socket(c->http, c->listener);
	c->listener = NULL;
}

#define DRAIN_TICK_MS	50
#define DRAIN_TICKS	60	/* at most 3 s for responses in flight */

static void
drain_tick(evutil_socket_t fd, short what, void *arg)
{
	struct http_conns *c = arg;
	struct timeval tick = { 0, DRAIN_TICK_MS * 1000 };

	(void)fd;
	(void)what;
	if (c->live == 0 || ++c->drain_ticks >= DRAIN_TICKS ||
	    evtimer_add(c->ev_drain, &tick) == -1)
		event_base_loopexit(c->base, NULL);
}

void
http_conn_drain(struct http_conns *c)
{
	if (c->ev_drain != NULL)
		return;		/* already draining */
	stop_accepting(c);
	if ((c->ev_drain = evtimer_new(c->base, drain_tick, c)) == NULL) {
		event_base_loopexit(c->base, NULL);
		return;
	}
	drain_tick(-1, 0, c);
}

void
http_conn_stop(struct http_conns *c)
{
	void *g;
	size_t i;

	if (c->ev_reaccept != NULL)
		event_free(c->ev_reaccept);
	c->ev_reaccept = NULL;
	if (c->ev_drain != NULL)
		event_free(c->ev_drain);
	c->ev_drain = NULL;
	/* evhttp_free closed every connection, forgetting its peer; any
	 * left were never reported closed. */
	for (i = 0; i < c->npeers; i++)
		free(c->peers[i]);
	free(c->peers);
	c->peers = NULL;
	c->npeers = 0;
	c->listener = NULL;
	c->http = NULL;
	for (i = 0; dict_next(&c->guards, &i, NULL, &g); )
		guard_free(g);
	dict_free(&c->guards, NULL);
}

/*
 * http_conn.h -- one event loop's listening socket and the connections it
 * accepted: deadlines, the connection limit, draining at exit.
 */
#ifndef CRIER_HTTP_CONN_H
#define CRIER_HTTP_CONN_H

#include <stddef.h>

#include <event2/event.h>
#include <event2/http.h>

#include "config.h"
#include "dict.h"
#include "http_reply.h"
#include "util.h"

struct peer;

/* A loop's connections; only that loop touches it, except open. */
struct http_conns {
	struct event_base	*base;
	struct evhttp		*http;
	const struct config	*cfg;		/* idle_timeout, max_connections */
	struct http_reply	*reply;		/* answers a refused request */
	struct peer		**peers;	/* by descriptor: connections that
						   have made a request */
	size_t			 npeers;	/* slots in peers */
	size_t			 live;		/* connections in peers */
	size_t			 open;		/* live, for other loops */
	struct dict		 guards;	/* "%p" of a bufferevent ->
						   its header deadline */
	struct evhttp_bound_socket *listener;
	struct event		*ev_reaccept;	/* one accept per loop turn */
	struct event		*ev_drain;	/* exits once responses are out */
	int			 drain_ticks;
};

void	 http_conn_init(struct http_conns *, struct event_base *,
	    const struct config *, struct http_reply *);
/*
 * Listens on cfg->listen with evhttp: its own socket, or with shared
 * several loops accept from one listening socket, each one connection
 * per turn -- this loop's own when listen_fd is -1, else the one
 * listen_fd is (http_conn_listen_fd of the first loop).
 */
int	 http_conn_listen(struct http_conns *, struct evhttp *, int shared,
	    int listen_fd, char *err, size_t);
int	 http_conn_listen_fd(const struct http_conns *);
/* evhttp's bufferevent callback (arg: the struct http_conns): a new
 * connection, with a deadline for its first request's headers. */
struct bufferevent *http_conn_new(struct event_base *, void *);
/* Every request first: 0 if it was answered (503: too many
 * connections); the connection's next deadline starts with its
 * response. */
int	 http_conn_admit(struct http_conns *, struct evhttp_request *);
/* Once a second: accepting resumes, idle connections are closed. */
void	 http_conn_tick(struct http_conns *);
/* Open connections, read from any loop. */
size_t	 http_conn_count(const struct http_conns *);
/* Stops accepting, then leaves the loop once no connection is open (or
 * after 3 s). */
void	 http_conn_drain(struct http_conns *);
/* After evhttp_free, which closed every connection. */
void	 http_conn_stop(struct http_conns *);

#endif

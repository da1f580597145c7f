/*
 * http.h -- serving the current documents over HTTP (libevent's evhttp).
 */
#ifndef CRIER_HTTP_H
#define CRIER_HTTP_H

#include <stddef.h>

#include <event2/event.h>
#include <event2/http.h>

#include "catalog.h"
#include "config.h"
#include "http_conn.h"
#include "http_reply.h"

struct server_group;

/* One event loop's HTTP server. */
struct server {
	struct event_base	*base;
	struct evhttp		*http;
	const struct config	*cfg;
	struct catalog		*cat;		/* cat->docs is what is served */
	struct http_reply	 reply;		/* counters, Cache-Control, Date */
	struct http_conns	 conns;		/* listener, connections */
	struct event		*ev_tick;	/* every second: resumes accepting,
						   closes idle connections */
	struct event		*ev_republished; /* drops snap (other loops) */
	struct docset		*snap;		/* other loops: the published set
						   served until the next one */
	int			 main_loop;	/* runs the catalog's own loop */
	struct server_group	*group;		/* every loop's server */
};

/*
 * The serving loops of the process, in the order they started: /metrics
 * sums their counters, a rebuild tells the others of new documents.  The
 * process owns it (main.c) and http_start enters each server; it does not
 * change once the loops run.
 */
struct server_group {
	struct server	*servers[MAX_WORKERS];
	size_t		 n;
};

/* main_loop: this loop also rebuilds (it reads the catalog's documents
 * directly); others serve the published copy.  shared: several loops
 * serve the port, each accepting one connection per turn from one
 * listening socket -- this loop's own when listen_fd is -1, else the one
 * listen_fd is (http_listen_fd of the first loop). */
int	http_start(struct server *, struct server_group *, struct event_base *,
	    const struct config *, struct catalog *, int main_loop, int shared,
	    int listen_fd, char *err, size_t);
/* The listening socket, for the other loops to share. */
int	http_listen_fd(const struct server *);
/* Stops accepting, then leaves the loop once no connection is open (or
 * after 3 s). */
void	http_drain(struct server *);
/* Applies limits from the configuration (after a reload too). */
void	http_apply_limits(struct server *);
void	http_stop(struct server *);
/* After a rebuild, in the rebuilding loop: the other loops serve the
 * newly published documents from their next request on. */
void	http_republished(struct server_group *);

#endif

/*
 * websub.h -- tells a WebSub hub which feeds changed, so subscribers get
 * them pushed instead of polling.
 */
#ifndef CRIER_WEBSUB_H
#define CRIER_WEBSUB_H

#include <stddef.h>

#include <event2/event.h>

#include "config.h"

struct ping;

/* The pings in flight, so that shutdown can free them. */
struct evdns_base;

struct websub {
	struct event_base	*base;
	struct evdns_base	*dns;		/* resolves without blocking */
	struct ping		*pings;
};

void	websub_init(struct websub *, struct event_base *);
/* Abandons the pings still in flight. */
void	websub_free(struct websub *);
/* POSTs hub.mode=publish for each feed path (asynchronously). */
void	websub_ping(struct websub *, const struct config *,
	    char *const *paths, size_t n);

#endif

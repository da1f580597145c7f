/*
 * websub.h -- tells a WebSub hub which feeds changed, so subscribers get
 * them pushed instead of polling.
 */
#ifndef CRIER_WEBSUB_H
#define CRIER_WEBSUB_H

#include <stddef.h>

#include <event2/event.h>

#include "config.h"

/* POSTs hub.mode=publish for each feed path (asynchronously). */
void	websub_ping(struct event_base *, const struct config *,
	    char *const *paths, size_t n);
/* NULL if the hub URL can be used, else why not. */
const char *websub_check(const char *hub);

#endif

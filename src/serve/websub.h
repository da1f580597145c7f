/*
 * websub.h -- tells a WebSub hub which feeds changed, so subscribers get
 * them pushed instead of polling.
 */
#ifndef CRIER_WEBSUB_H
#define CRIER_WEBSUB_H

#include <stddef.h>
#include <time.h>

#include <event2/event.h>

#include "config.h"

struct ping;
struct evdns_base;
struct ssl_ctx_st;	/* OpenSSL's SSL_CTX */

/* Told the last ping's outcome, as a JSON object's text (for /status). */
typedef void websub_report_cb(void *, const char *json);

struct websub {
	struct event_base	*base;
	struct evdns_base	*dns;		/* resolves without blocking */
	struct ssl_ctx_st	*tls;		/* for https:// hubs, made once */
	struct ping		*pings;		/* in flight, for shutdown */
	/* The last ping's outcome. */
	char			*hub;		/* where it went; NULL: none yet */
	int			 ok;
	time_t			 last_ok;	/* 0 for never */
	time_t			 last_error_at;
	char			*last_error;	/* NULL for none */
	websub_report_cb	*report;
	void			*report_arg;
};

/* report (may be NULL) is called on the event loop after each ping. */
void	websub_init(struct websub *, struct event_base *,
	    websub_report_cb *report, void *arg);
/* Abandons the pings still in flight. */
void	websub_free(struct websub *);
/* POSTs hub.mode=publish for each feed path (asynchronously). */
void	websub_ping(struct websub *, const struct config *,
	    char *const *paths, size_t n);

#endif

/*
 * metrics.h -- the serving counters, and GET /metrics in the Prometheus
 * text exposition format.
 */
#ifndef CRIER_METRICS_H
#define CRIER_METRICS_H

#include <stddef.h>

/* The route classes responses are counted by. */
enum route { ROUTE_FEED, ROUTE_CALENDAR, ROUTE_PAGE, ROUTE_STATUS,
	ROUTE_METRICS, ROUTE_OTHER, ROUTE_COUNT };

#define HTTP_CODES { 200, 301, 304, 400, 404, 405, 413, 503, 0 }
#define HTTP_NCODES 9	/* the last counts every other status */

/* One serving loop's counters: written by that loop only (metrics_count,
 * metrics_refused), read by any (metrics_add). */
struct http_metrics {
	unsigned long	requests[ROUTE_COUNT][HTTP_NCODES];
	unsigned long	bytes;
	unsigned long	refused;	/* over max_connections */
};

/* Rebuild durations (ms): 1 5 10 50 100 500 1000 5000 +Inf. */
#define METRICS_REBUILD_BUCKETS 9

/* What /metrics shows, gathered by whoever serves it. */
struct metrics_view {
	struct http_metrics	 http;		/* every loop's, summed */
	size_t			 connections;	/* open, in every loop */
	unsigned long		 rebuilds;
	unsigned long		 rebuild_buckets[METRICS_REBUILD_BUCKETS];
	double			 rebuild_total_ms;
	size_t			 entries;
	size_t			 events;
	size_t			 documents;
	size_t			 files;
	size_t			 files_with_errors;
	size_t			 files_with_warnings;
	/* The identity bodies cache (bodycache.c). */
	size_t			 cache_bytes;
	size_t			 cache_budget;
	size_t			 cache_pinned;
	size_t			 cache_bodies;
	unsigned long		 cache_evictions;
	unsigned long		 cache_renders;
	unsigned long		 cache_hits;
	unsigned long		 gzip_on_request;
};

/* A response to a request for path (NULL: none could be read). */
void	 metrics_count(struct http_metrics *, const char *path, int code,
	    size_t bytes);
/* A connection refused over max_connections. */
void	 metrics_refused(struct http_metrics *);
/* Adds a loop's counters to sum, on any thread. */
void	 metrics_add(struct http_metrics *sum, const struct http_metrics *);
char	*metrics_render(const struct metrics_view *, size_t *len);

#endif

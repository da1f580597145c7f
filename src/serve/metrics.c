/*
 * metrics.c -- counters for Prometheus: requests by route class and
 * status, bytes sent, 304s (their ratio is a PromQL division away),
 * rebuilds with a duration histogram, entries, events, files with errors.
 * Rendered on request: it is small, and it must be current.
 *
 * It owns the counters' meaning (route classes, the statuses counted
 * apart) and how they are written and read across loops; what the text
 * shows beside them comes in a plain struct metrics_view that the
 * serving side fills (the catalog's figures, every loop's counters
 * summed), so this file knows neither HTTP servers nor the catalog.
 */
#include <stdlib.h>
#include <string.h>

#include "metrics.h"
#include "urls.h"
#include "util.h"

static const int codes[HTTP_NCODES] = HTTP_CODES;

static const char *route_names[ROUTE_COUNT] = {
	"feed", "calendar", "page", "status", "metrics", "other"
};

static enum route
route_of(const char *path)
{
	if (path == NULL)
		return ROUTE_OTHER;
	switch (urls_kind(path, strlen(path))) {
	case URLS_KIND_FEED:
		return ROUTE_FEED;
	case URLS_KIND_CALENDAR:
		return ROUTE_CALENDAR;
	case URLS_KIND_STATUS:
		return ROUTE_STATUS;
	case URLS_KIND_METRICS:
		return ROUTE_METRICS;
	case URLS_KIND_LIST:
	case URLS_KIND_PAGE:
		return ROUTE_PAGE;
	default:
		return ROUTE_OTHER;
	}
}

/*
 * A loop's counters are written by that loop alone and read by /metrics in
 * any loop: a relaxed load and store suffice (no locked read-modify-write
 * on every request), and a reader never sees a torn value.
 */
static void
bump(unsigned long *counter, unsigned long n)
{
	__atomic_store_n(counter, __atomic_load_n(counter, __ATOMIC_RELAXED) +
	    n, __ATOMIC_RELAXED);
}

static unsigned long
read_counter(const unsigned long *counter)
{
	return __atomic_load_n(counter, __ATOMIC_RELAXED);
}

void
metrics_count(struct http_metrics *m, const char *path, int code,
    size_t bytes)
{
	enum route r = route_of(path);
	size_t i;

	for (i = 0; i < HTTP_NCODES - 1 && codes[i] != code; i++)
		;
	bump(&m->requests[r][i], 1);
	bump(&m->bytes, bytes);
}

void
metrics_refused(struct http_metrics *m)
{
	bump(&m->refused, 1);
}

void
metrics_add(struct http_metrics *sum, const struct http_metrics *m)
{
	size_t r, c;

	for (r = 0; r < ROUTE_COUNT; r++)
		for (c = 0; c < HTTP_NCODES; c++)
			sum->requests[r][c] += read_counter(&m->requests[r][c]);
	sum->bytes += read_counter(&m->bytes);
	sum->refused += read_counter(&m->refused);
}

static void
header(struct buf *b, const char *name, const char *type, const char *help)
{
	buf_printf(b, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

static void
requests(struct buf *b, const struct http_metrics *m)
{
	unsigned long not_modified = 0, total = 0;
	size_t r, c;

	header(b, "crier_http_requests_total", "counter",
	    "HTTP responses by route class and status.");
	for (r = 0; r < ROUTE_COUNT; r++)
		for (c = 0; c < HTTP_NCODES; c++) {
			if (m->requests[r][c] == 0)
				continue;
			total += m->requests[r][c];
			if (codes[c] == 304)
				not_modified += m->requests[r][c];
			if (codes[c] != 0)
				buf_printf(b, "crier_http_requests_total{route="
				    "\"%s\",status=\"%d\"} %lu\n",
				    route_names[r], codes[c], m->requests[r][c]);
			else
				buf_printf(b, "crier_http_requests_total{route="
				    "\"%s\",status=\"other\"} %lu\n",
				    route_names[r], m->requests[r][c]);
		}
	header(b, "crier_http_response_bytes_total", "counter",
	    "Body bytes sent.");
	buf_printf(b, "crier_http_response_bytes_total %lu\n", m->bytes);
	header(b, "crier_http_not_modified_ratio", "gauge",
	    "Share of responses that were 304 Not Modified.");
	buf_printf(b, "crier_http_not_modified_ratio %.6f\n", total ?
	    (double)not_modified / (double)total : 0.0);
	header(b, "crier_http_refused_total", "counter",
	    "Connections refused over max_connections.");
	buf_printf(b, "crier_http_refused_total %lu\n", m->refused);
}

static void
rebuilds(struct buf *b, const struct metrics_view *v)
{
	static const char *le[METRICS_REBUILD_BUCKETS] = {
		"0.001", "0.005", "0.01", "0.05", "0.1", "0.5", "1", "5", "+Inf"
	};
	unsigned long cumulative = 0;
	size_t i;

	header(b, "crier_rebuild_duration_seconds", "histogram",
	    "Time to rebuild the documents after a change.");
	for (i = 0; i < METRICS_REBUILD_BUCKETS; i++) {
		cumulative += v->rebuild_buckets[i];
		buf_printf(b, "crier_rebuild_duration_seconds_bucket{le=\"%s\"} "
		    "%lu\n", le[i], cumulative);
	}
	buf_printf(b, "crier_rebuild_duration_seconds_sum %.6f\n",
	    v->rebuild_total_ms / 1000.0);
	buf_printf(b, "crier_rebuild_duration_seconds_count %lu\n",
	    v->rebuilds);
}

static void
gauge(struct buf *b, const char *name, const char *help, unsigned long v)
{
	header(b, name, "gauge", help);
	buf_printf(b, "%s %lu\n", name, v);
}

static void
counter(struct buf *b, const char *name, const char *help, unsigned long v)
{
	header(b, name, "counter", help);
	buf_printf(b, "%s %lu\n", name, v);
}

/* bodycache.c: identity bodies held within body_cache_size. */
static void
cache(struct buf *b, const struct metrics_view *v)
{
	gauge(b, "crier_cache_bytes", "Identity bodies held in memory, "
	    "pinned ones included (bytes).", v->cache_bytes);
	gauge(b, "crier_cache_pinned_bytes", "Of those, held outside "
	    "body_cache_size: their gzip body is still to be made, or one "
	    "larger than the budget is being sent (bytes).", v->cache_pinned);
	gauge(b, "crier_cache_budget_bytes", "body_cache_size: identity "
	    "bodies held past it are dropped (0: none is).", v->cache_budget);
	gauge(b, "crier_cache_bodies", "Identity bodies held in memory.",
	    v->cache_bodies);
	counter(b, "crier_cache_evictions_total", "Identity bodies dropped "
	    "to stay within body_cache_size.", v->cache_evictions);
	counter(b, "crier_cache_renders_total", "Documents whose identity "
	    "body was made again on request.", v->cache_renders);
	counter(b, "crier_cache_hits_total", "Identity responses whose "
	    "body was held.", v->cache_hits);
	counter(b, "crier_gzip_on_request_total", "Gzip bodies made at "
	    "their first request (feed archive pages; sections', tags' "
	    "and categories' calendars).", v->gzip_on_request);
}

char *
metrics_render(const struct metrics_view *v, size_t *len)
{
	struct buf b;

	buf_init(&b);
	requests(&b, &v->http);
	rebuilds(&b, v);
	gauge(&b, "crier_entries", "Feed entries published.", v->entries);
	gauge(&b, "crier_events", "Calendar events published.", v->events);
	gauge(&b, "crier_documents", "Documents served.", v->documents);
	gauge(&b, "crier_files", "Content files.", v->files);
	gauge(&b, "crier_files_with_errors", "Content files with errors.",
	    v->files_with_errors);
	gauge(&b, "crier_files_with_warnings", "Content files with warnings.",
	    v->files_with_warnings);
	gauge(&b, "crier_http_connections", "Open HTTP connections.",
	    v->connections);
	cache(&b, v);
	*len = b.len;
	return buf_steal(&b);
}

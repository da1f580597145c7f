/*
 * metrics.c -- counters for Prometheus: requests by route class and
 * status, bytes sent, 304s (their ratio is a PromQL division away),
 * rebuilds with a duration histogram, entries, events, files with errors.
 * Rendered on request: it is small, and it must be current.
 */
#include <stdlib.h>

#include "metrics.h"
#include "util.h"

static const char *route_names[ROUTE_COUNT] = {
	"feed", "calendar", "page", "status", "metrics", "other"
};

static void
header(struct buf *b, const char *name, const char *type, const char *help)
{
	buf_printf(b, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

static void
requests(struct buf *b, const struct http_metrics *m)
{
	static const int codes[HTTP_NCODES] = HTTP_CODES;
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
rebuilds(struct buf *b, const struct catalog_stats *st)
{
	static const char *le[REBUILD_BUCKETS] = {
		"0.001", "0.005", "0.01", "0.05", "0.1", "0.5", "1", "5", "+Inf"
	};
	unsigned long cumulative = 0;
	size_t i;

	header(b, "crier_rebuild_duration_seconds", "histogram",
	    "Time to rebuild the documents after a change.");
	for (i = 0; i < REBUILD_BUCKETS; i++) {
		cumulative += st->rebuild_buckets[i];
		buf_printf(b, "crier_rebuild_duration_seconds_bucket{le=\"%s\"} "
		    "%lu\n", le[i], cumulative);
	}
	buf_printf(b, "crier_rebuild_duration_seconds_sum %.6f\n",
	    st->total_ms / 1000.0);
	buf_printf(b, "crier_rebuild_duration_seconds_count %lu\n",
	    st->rebuilds);
}

static void
gauge(struct buf *b, const char *name, const char *help, unsigned long v)
{
	header(b, name, "gauge", help);
	buf_printf(b, "%s %lu\n", name, v);
}

char *
render_metrics(const struct http_metrics *m, const struct catalog_stats *st,
    size_t connections, size_t *len)
{
	struct buf b;

	buf_init(&b);
	requests(&b, m);
	rebuilds(&b, st);
	gauge(&b, "crier_entries", "Feed entries published.", st->entries);
	gauge(&b, "crier_events", "Calendar events published.", st->events);
	gauge(&b, "crier_documents", "Documents served.", st->documents);
	gauge(&b, "crier_files", "Content files.", st->files);
	gauge(&b, "crier_files_with_errors", "Content files with errors.",
	    st->files_with_errors);
	gauge(&b, "crier_files_with_warnings", "Content files with warnings.",
	    st->files_with_warnings);
	gauge(&b, "crier_http_connections", "Open HTTP connections.",
	    connections);
	*len = b.len;
	return buf_steal(&b);
}

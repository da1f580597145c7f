/*
 * metrics.h -- GET /metrics in the Prometheus text exposition format.
 */
#ifndef CRIER_METRICS_H
#define CRIER_METRICS_H

#include <stddef.h>

#include "catalog.h"
#include "http.h"

char	*render_metrics(const struct http_metrics *,
	    const struct catalog_stats *, size_t connections, size_t *len);

#endif

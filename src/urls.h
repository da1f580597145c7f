/*
 * urls.h -- the URLs crier is asked for: request paths in their canonical
 * form, and the query grammar that filters the site's feeds and calendars.
 */
#ifndef CRIER_URLS_H
#define CRIER_URLS_H

#include <stddef.h>

#include "util.h"

/* The longest request path, raw or canonical. */
#define URLS_PATH_MAX	2048

/* A query filter: pages with any of these tags, and any of these
 * categories (slugs); an empty list does not filter. */
struct filter {
	char	**tags;
	size_t	  ntags;
	char	**categories;
	size_t	  ncategories;
};

/*
 * A URL path in canonical form: each segment percent-decoded, then
 * re-encoded.  NULL for a path that can name nothing: a bad escape, an
 * encoded NUL, invalid UTF-8, a "." or ".." segment, a backslash or "//".
 */
char	*urls_path_canonical(const char *);
/* A tag or category as it appears in a URL: lower case, spaces as '-'. */
char	*urls_slug(const char *);
/* Decodes and re-encodes a request path to the documents' canonical form;
 * NULL for a path that can name no document (NUL, "..", bad escapes). */
char	*urls_canonical_path(const char *raw);
/*
 * Reads the query of a canonical path into f, and appends the canonical
 * URL of both to canonical: filters of the site's feeds and calendars
 * ("?categories=c&tags=a,b", slugs sorted and unique), anything else
 * dropped.  -1 for a query that cannot be read.  f is to be freed with
 * urls_filter_free either way.
 */
int	 urls_parse_filter(const char *path, const char *query,
	    struct filter *f, struct buf *canonical);
void	 urls_filter_free(struct filter *);
/* The canonical URL of a canonical path with its query (see
 * urls_parse_filter), or NULL if the query cannot be read. */
char	*urls_canonical_filter_url(const char *path, const char *query);

#endif

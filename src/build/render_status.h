/*
 * render_status.h -- GET /status from a plain view of the catalog: every
 * file with its state and problems, and the daemon's counts.
 */
#ifndef CRIER_RENDER_STATUS_H
#define CRIER_RENDER_STATUS_H

#include <stddef.h>
#include <time.h>

#include "config.h"
#include "page.h"

/* One content file. */
struct status_file {
	const char		*path;
	const struct page	*current;	/* its newest parse */
	const struct page	*served;	/* what documents show: current,
						   its last good version, or
						   NULL */
	time_t			 changed;	/* when crier saw it change */
};

struct status_view {
	const struct status_file *files;
	size_t			 nfiles;
	struct {
		size_t		 files;
		size_t		 entries;
		size_t		 events;
		size_t		 errors;	/* files with errors */
		size_t		 warnings;	/* files with warnings only */
		size_t		 documents;
		size_t		 gzip_pending;
	} counts;
	struct {			/* bodycache.c */
		size_t		 bytes;
		size_t		 budget;
		size_t		 pinned;
		size_t		 bodies;
		unsigned long	 evictions;
		unsigned long	 renders;
	} cache;
	struct {
		unsigned long	 count;
		time_t		 last;
		double		 last_ms;
		double		 total_ms;
		size_t		 last_rendered;
	} rebuilds;
	const char		*websub;	/* the last ping, JSON text
						   (websub.c), or NULL */
	const struct config	*cfg;		/* what a Hugo site gave */
};

/* The JSON text, or NULL when jansson fails. */
char	*render_status(const struct status_view *, size_t *len);

#endif

/*
 * catalog.h -- the current pages, keyed by path, and the documents built
 * from them.
 */
#ifndef CRIER_CATALOG_H
#define CRIER_CATALOG_H

#include <pthread.h>
#include <stddef.h>
#include <time.h>

#include "bodycache.h"
#include "catalog_owners.h"
#include "catalog_slot.h"
#include "config.h"
#include "dict.h"
#include "docset.h"
#include "document.h"
#include "gzlater.h"
#include "index.h"
#include "page.h"
#include "render.h"
#include "state.h"
#include "urls.h"
#include "util.h"

struct upcoming_memo;

#define REBUILD_BUCKETS 9	/* ms: 1 5 10 50 100 500 1000 5000 +Inf */

struct catalog_stats {
	unsigned long	 rebuilds;
	unsigned long	 rebuild_buckets[REBUILD_BUCKETS];
	time_t		 last_rebuild;
	double		 last_ms;
	double		 total_ms;
	size_t		 documents;
	size_t		 rendered;	/* by the last rebuild */
	size_t		 entries;
	size_t		 events;
	size_t		 files;
	size_t		 files_with_errors;
	size_t		 files_with_warnings;
};

struct catalog {
	const struct config	*cfg;
	struct state		*state;
	struct calendar_cache	*calendar_cache;
	struct dict		 slots;		/* path -> struct slot */
	struct site_index	 index;		/* visible pages by subject */
	struct catalog_owners	 owners;	/* document path -> page */
	struct dict		 memos;		/* calendar path -> its
						   struct calendar_memo
						   (catalog_memo.c) */
	uint64_t		 memo_serial;	/* the last one given */
	time_t			 next_change;	/* see catalog_next_change */
	int			 next_change_known;
	time_t			 upcoming_change; /* see catalog_upcoming_change */
	struct upcoming_memo	*upcoming;	/* the front page's (upcoming.c) */
	/* With several event loops: the lock around everything here, and
	 * the copy of `docs` the other loops serve from. */
	int			 threaded;
	pthread_mutex_t		 lock;
	struct docset		*published;
	int			 reindex;	/* index everything again */
	int			 render_threads;	/* for calendars, pages */
	struct docset		*docs;		/* what HTTP serves */
	struct catalog_stats	 stats;
	int			 dirty;		/* pages changed since render */
	struct dict		 filtered;	/* "/calendar.ics?tags=a" -> doc
						   (catalog_filter.c) */
	struct document		*status;	/* /status, made on request */
	struct dict_keys	 changed_feeds;	/* rendered by the last
						   rebuild */
	/* Set for a rebuild whose documents' gzip bodies are made after it
	 * is published, queued in `gzlater` (gzlater.c). */
	int			 gzip_later;
	struct gzlater		 gzlater;
	/* The identity bodies of flat documents (bodycache.c). */
	struct bodycache	*bodies;
	/* The settings post pages are rendered with, a copy shared with
	 * the documents rendered on request, and the hash it was taken at
	 * (catalog_jobs.c). */
	struct config_shared	*settings;
	uint64_t		 settings_hash;
	size_t			 status_gzip_pending;	/* when made */
	struct bodycache_stats	 status_cache;		/* likewise */
	char			*websub_status;	/* JSON text from websub.c */
};

void	 catalog_init(struct catalog *, const struct config *, struct state *);
void	 catalog_free(struct catalog *);
/* Parses a file's new bytes; returns 0 when they were already known. */
int	 catalog_put(struct catalog *, const char *path, const char *data,
	    size_t len, time_t now);
/* Whether the file's newest parse succeeded, and the hash of its bytes:
 * equal bytes need no parse. */
int	 catalog_known(const struct catalog *, const char *path,
	    uint64_t *hash);
/* catalog_put for a page parsed already (page_parse() is pure, so
 * scans parse on several threads); the catalog takes it. */
void	 catalog_put_page(struct catalog *, struct page *, time_t now);
/* Records a problem with a file that could not be parsed (unreadable,
 * a symbolic link, too large); its last good version stays. */
void	 catalog_put_problem(struct catalog *, const char *path,
	    enum diag_level, const char *message, time_t now);
/* Forces every page to be parsed again (after a configuration change). */
void	 catalog_invalidate(struct catalog *);
/* Groups every visible page again at the next render (time passed). */
void	 catalog_reindex(struct catalog *);
void	 catalog_remove(struct catalog *, const char *path);
void	 catalog_remove_under(struct catalog *, const char *folder);
/* Builds the documents again, re-rendering only what changed. */
void	 catalog_render(struct catalog *, time_t now);
/* The next time a page appears or expires by itself, or 0. */
time_t	 catalog_next_change(struct catalog *, time_t now);
/* When the front page's upcoming events next change by themselves (the
 * earliest end among those listed), as of the last render; 0: never.
 * Rendering then redraws the front page alone: no reindex. */
time_t	 catalog_upcoming_change(const struct catalog *);
/* The page documents are built from: current if it parsed, else good. */
const struct page *catalog_slot_page(const struct slot *);
/* The events of p, a page the index holds, as calendars show them (its
 * slot's); NULL for a page no slot serves. */
const struct ical_event *catalog_page_events(const struct catalog *,
	    const struct page *);
/* The site's feed or calendar ("/feed.atom", "/feed.rss",
 * "/calendar.ics") narrowed by a filter; url is its canonical URL path
 * with the query.  Rendered on first use and kept until the next rebuild. */
struct document *catalog_filtered(struct catalog *, const char *path,
	    const char *url, const struct filter *, time_t now);
/* Several event loops serve: from now on, lock and publish. */
void	 catalog_share(struct catalog *);
/* Held by whoever reads or changes the catalog while others may. */
void	 catalog_lock(struct catalog *);
void	 catalog_unlock(struct catalog *);
/* The documents as of the last rebuild, for the other loops (a
 * reference the caller drops). */
struct docset *catalog_snapshot(struct catalog *);
/* GET /status: every file's state and problems, counts, rebuilds.
 * Rendered on the first request after a rebuild, not by every rebuild:
 * it lists every file. */
struct document *catalog_status(struct catalog *);
/* The last WebSub ping's outcome, a JSON object's text shown in /status
 * as "websub"; takes the lock. */
void	 catalog_set_websub_status(struct catalog *, const char *json);

#endif

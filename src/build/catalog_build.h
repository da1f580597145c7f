/*
 * catalog_build.h -- what a rebuild works with, shared by catalog.c and
 * the files it is split into: catalog_build.c (a document's fingerprint,
 * reuse and entry into the set), catalog_feeds.c (feeds from entries kept
 * in the slots), catalog_memo.c (calendars' memos), catalog_jobs.c (the
 * work done on every core), catalog_filter.c (filtered documents) and
 * catalog_opml.c (the OPML list).
 * Private to those files; the rest of crier sees catalog.h.
 *
 * It does not include catalog.h: struct build carries what the files
 * below catalog.c need, so they never reach up into struct catalog and
 * the catalog's files form no circle.
 */
#ifndef CRIER_CATALOG_BUILD_H
#define CRIER_CATALOG_BUILD_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "catalog_slot.h"
#include "config.h"
#include "dict.h"
#include "docset.h"
#include "document.h"
#include "gzlater.h"
#include "index.h"
#include "page.h"
#include "piece.h"
#include "render.h"
#include "stitch.h"
#include "urls.h"

#define TYPE_ATOM "application/atom+xml; charset=utf-8"
#define TYPE_RSS  "application/rss+xml; charset=utf-8"
#define TYPE_JSONFEED "application/feed+json"
#define TYPE_OPML "text/x-opml; charset=utf-8"
#define TYPE_ICS  "text/calendar; charset=utf-8"
#define TYPE_HTML "text/html; charset=utf-8"
#define TYPE_JSON "application/json"

struct catalog;
struct job;

/* What one rebuild (or one filtered document) works with. */
struct build {
	struct catalog		*cat;		/* catalog.c's alone */
	const struct config	*cfg;
	struct calendar_cache	*calendar_cache;
	struct site_index	*index;
	struct dict		*slots;		/* path -> struct slot */
	int			 threads;	/* for calendars, pages */
	time_t			 now;
	struct docset		*docs;		/* updated in place */
	uint64_t		 config_hash;
	size_t			 rendered;
	/* Set for the start-up rebuild: gzip bodies are made later. */
	int			 gzip_later;
	struct gzlater		*gzlater;	/* where they are queued */
	struct bodycache	*bodies;	/* identity bodies */
	struct config_shared	*settings;	/* cfg, copied: post pages' */
	struct dict_keys	*changed_feeds;	/* paths rendered */
	struct dict		*memos;		/* calendar path -> memo */
	uint64_t		*memo_serial;	/* the last one given */
	struct job		*jobs;
	size_t			 njobs;
	size_t			 jobs_cap;
};

/* catalog_build.c: a document's fingerprint, reuse and entry into the
 * set. */

/* Of everything a document shows (what: its format). */
uint64_t catalog_build_fingerprint(const char *what, const struct channel *,
	    struct page *const *pages, size_t npages,
	    const struct ical_event *events, size_t nevents,
	    uint64_t config_hash);
/* Keeps the current document at path when its fingerprint is fp. */
int	 catalog_build_reuse(struct build *, const char *path, uint64_t fp);
/* Puts a rendered document in the set; NULL keeps the last one. */
void	 catalog_build_add_document(struct build *, struct document *);
/* Of the settings every document depends on. */
uint64_t catalog_build_config_hash(const struct config *);
/* The title of a subject's feeds: "SITE: NAME", or "SITE: LABEL NAME"
 * (label "tag", "category"; NULL for a section).  Malloc'd. */
char	*catalog_build_subject_title(const struct config *, const char *label,
	    const struct subject *);

/* catalog_jobs.c: calendars, post pages and feeds' compression, queued
 * during a rebuild and done on every core. */

enum job_kind { JOB_CALENDAR, JOB_PAGE, JOB_STITCHED, JOB_ARCHIVE };

struct job {
	enum job_kind		 kind;
	char			*path;
	uint64_t		 fp;
	time_t			 mtime;
	struct channel		 ch;		/* strings copied */
	const struct ical_event	*events;
	struct ical_event	*events_copy;	/* events, when it is one */
	size_t			 nevents;
	struct calendar_memo	*memo;		/* the calendar's, or NULL */
	const struct page	*page;
	struct page		**translations;	/* the page's, malloc'd */
	size_t			 ntranslations;
	const char		*type;		/* of a stitched document */
	int			 immutable;	/* see struct document */
	int			 archive;	/* a feed archive page */
	struct stitch		 stitch;	/* gathered, to compress */
	/* A feed archive page's, rendered when asked (catalog_feeds.c). */
	struct document_recipe	*recipe;
	struct document		*doc;		/* rendered, or NULL */
};

/* A new job at the end of the queue; the caller fills in what its kind
 * needs. */
struct job *catalog_jobs_queue(struct build *, enum job_kind,
	    const char *path, time_t mtime, uint64_t fp);
/* A job's channel: copies of the strings, freed with the job. */
void	 catalog_jobs_channel_copy(struct channel *to,
	    const struct channel *from);
void	 catalog_jobs_channel_free(struct channel *);
/* Renders the queued jobs, then adds their documents in queue order. */
void	 catalog_jobs_run(struct build *);

/* catalog_memo.c: the memo of each calendar served (b->memos). */

/* The memo of the calendar at path brought to its events, and a hash of
 * what they show; NULL when it keeps none. */
struct calendar_memo *catalog_memo_for(struct build *, const char *path,
	    struct subject *, const struct ical_event *, size_t n,
	    uint64_t *events_hash);
/* Forgets the memos of calendars no longer served, then prunes the
 * calendar cache (render.h): at the end of a rebuild. */
void	 catalog_memo_drop_unused(struct build *);
/* For dict_free(&cat->memos, ...). */
void	 catalog_memo_free(void *);

/* catalog_feeds.c: Atom, RSS and JSON feeds stitched from entries kept in
 * their pages' slots. */

struct feed_format;

/* The format of a subject's document, or NULL for its calendar. */
const struct feed_format *catalog_feeds_format(enum urls_doc);
/* The entries the feeds of this rebuild lack, written on every core. */
void	 catalog_feeds_write_entries(struct build *);
/* Subject g's feeds and their archive pages (RFC 5005), those whose
 * fingerprint moved: queued.  Notes in g what the archives showed. */
void	 catalog_feeds_docs(struct build *, struct subject *,
	    const struct channel *);
/* A feed of format f, or NULL (logged) when a writer failed. */
struct document *catalog_feeds_document(struct build *,
	    const struct feed_format *, const struct channel *,
	    struct page *const *pages, size_t n, const char *path,
	    uint64_t fp);
/* A JOB_ARCHIVE's document, on any thread: an archive page rendered
 * when asked, or NULL (logged) when a writer failed. */
struct document *catalog_feeds_archive_document(struct build *,
	    struct job *);
/* Drops a slot's entries: its good page is another. */
void	 catalog_feeds_forget(struct feed_entries *);

/* catalog_opml.c: /feeds.opml, rendered when the set of subjects (or a
 * calendar's being offered) moves. */
void	 catalog_opml_doc(struct build *);

/* catalog_filter.c: filtered documents, kept by canonical URL in a
 * cache of their own (struct catalog's `filtered`). */

/* The document kept for url, or NULL. */
struct document *catalog_filter_get(const struct dict *cache,
	    const char *url);
/* Renders the site's document at path narrowed by f, and keeps it
 * under url. */
struct document *catalog_filter_render(struct build *, struct dict *cache,
	    const char *path, const char *url, const struct filter *);
/* Drops them all: every rebuild may change what they show. */
void	 catalog_filter_forget(struct dict *cache);

#endif

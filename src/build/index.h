/*
 * index.h -- the visible pages grouped by subject (the site, each section,
 * tag and category), kept up to date one page at a time.
 */
#ifndef CRIER_INDEX_H
#define CRIER_INDEX_H

#include <stddef.h>
#include <time.h>

#include "dict.h"
#include "page.h"
#include "render.h"
#include "util.h"

/* Pages and events of one feed/calendar subject. */
#define ARCHIVE_TOUCHED_MAX	8

struct subject {
	char			*key;		/* section name or slug */
	char			*name;		/* shown: index_subject_name() */
	char			*description;
	char			*prefix;	/* URL path prefix, encoded */
	const char		*kind;		/* "site", "section", ... */
	char			*lang;		/* a language's own: its key */
	int			 has_index;	/* a section with _index.md */
	struct page		**pages;	/* posts, newest first */
	size_t			 npages;
	size_t			 pages_room;	/* allocated */
	struct ical_event	*events;	/* earliest first */
	size_t			 nevents;
	size_t			 events_room;	/* allocated */
	int			 dirty;		/* its documents are stale */
	/* Its feeds' history (catalog_feeds.c): how many of its oldest
	 * posts are as they were when its archive pages were last
	 * rendered (an insertion or removal lowers it), how many pages
	 * there were, and a hash of the channel they showed.  The pages
	 * holding only those posts need no look. */
	size_t			 archive_clean;
	size_t			 archive_pages;
	uint64_t		 archive_channel;
	/* Finer, for the common edit: a post replaced where it was (its
	 * removal and its insertion at the same place from the oldest), or
	 * its entry changed, moves no other post, so only the pages holding
	 * those places need a look.  Places counted from the oldest; moved:
	 * something else happened (then archive_clean says it). */
	size_t			 archive_touched[ARCHIVE_TOUCHED_MAX];
	size_t			 archive_ntouched;
	size_t			 archive_removed;	/* SIZE_MAX: none */
	int			 archive_moved;
	/* Where events were inserted and removed since its calendar's
	 * memo (render.h) last saw them, which memo that was, and whether
	 * the log overflowed. */
	struct calendar_change	*changes;
	size_t			 nchanges;
	int			 changes_lost;
	uint64_t		 memo_serial;
};

/* The visible posts sharing a translation key (Hugo's translations),
 * ordered by language key, then path; and a hash of what they show of
 * one another (their paths, languages and permalinks). */
struct translation_set {
	struct page		**pages;
	size_t			 n;
	uint64_t		 hash;
};

/* Beyond this many changes a calendar is rendered from scratch anyway. */
#define SUBJECT_CHANGES_MAX	256

/* Forgets the change log: the calendar's memo has seen it (serial). */
void	 index_changes_seen(struct subject *, uint64_t serial);

struct site_index {
	struct subject	 site;
	struct dict	 sections;	/* name -> struct subject */
	struct dict	 tags;		/* slug -> struct subject */
	struct dict	 categories;	/* slug -> struct subject */
	struct dict	 terms;		/* "series/slug" -> struct subject */
	struct dict	 pages;		/* path -> the page version indexed */
	struct dict	 translations;	/* translation key -> struct
					   translation_set */
	struct dict	 stale;		/* document paths to withdraw */
	struct dict	 fresh;		/* paths of pages to render */
	/* The site's series and long events, in no order: what the front
	 * page's "upcoming" cannot find by start (upcoming.c). */
	struct ical_event *lasting;
	size_t		 nlasting;
	int		 past_event_days;
	int		 bulk;		/* see index_begin_bulk */
};

void	 index_init(struct site_index *, int past_event_days);
void	 index_free(struct site_index *);
/* Indexing every page at once: pages are appended to their subjects,
 * which index_end_bulk sorts once (inserting 24 000 events one by one
 * in order cost a memmove each). */
void	 index_begin_bulk(struct site_index *);
void	 index_end_bulk(struct site_index *);
/* Adds a visible page; its subjects become dirty.  events: its events
 * as calendars show them (the state's SEQUENCE and LAST-MODIFIED), one
 * per event; NULL: as written (tests). */
void	 index_add(struct site_index *, struct page *,
	    const struct ical_event *events, time_t now);
/* Event k of page p as calendars show it: events[k], or as written when
 * events is NULL. */
void	 index_event_at(struct ical_event *, const struct page *p,
	    const struct ical_event *events, size_t k);
/* Removes the page if it is the version indexed (call before freeing
 * it); its documents' paths are noted in `stale`. */
void	 index_remove(struct site_index *, struct page *);
/* The name a subject shows: its _index.md title, or the spelling the
 * newest post uses for the tag (deterministic, whatever the history). */
const char *index_subject_name(const struct subject *);
/*
 * The translations of p: of the visible posts sharing its translation
 * key, those of other languages, the first by path of each, ordered by
 * language key.  *out: malloc'd, to free (NULL when none); returns how
 * many.  Adding or removing a page makes its translations fresh and
 * their subjects dirty: what they show of it changed.
 */
size_t	 index_translations(const struct site_index *, const struct page *,
	    struct page ***out);
/* Of what p's translations show, for the keys of what it is shown in;
 * 0 when it has none. */
uint64_t index_translations_hash(const struct site_index *,
	    const struct page *);
/* Each of the index's subject tables, for iterating over them all. */
struct dict *index_table(struct site_index *, size_t);
#define INDEX_TABLES 4

/* Feed history (catalog_feeds.c): its archive pages are rendered as the
 * subject now is; or nothing of them is known (a new subject). */
void	 index_archives_seen(struct subject *);
void	 index_archives_unseen(struct subject *);

#endif

/*
 * urls.h -- the URLs crier makes and reads, in one place: the site's
 * layout (README's "URL layout"), the canonical form of a path, and the
 * query grammar that filters the site's feeds and calendar.
 */
#ifndef CRIER_URLS_H
#define CRIER_URLS_H

#include <stddef.h>

#include "util.h"

/* The longest request path, raw or canonical. */
#define URLS_PATH_MAX	2048

/* Pages that are not documents of a subject or a post. */
#define URLS_FRONT	"/"
#define URLS_STATUS	"/status"
#define URLS_METRICS	"/metrics"

/* What subjects are, as URLs name them. */
enum urls_subject { URLS_SITE, URLS_SECTION, URLS_TAG, URLS_CATEGORY,
	URLS_TERM };

/* Every feed and calendar, for feed readers to import (OPML). */
#define URLS_OPML	"/feeds.opml"

/* The documents every subject has. */
enum urls_doc { URLS_ATOM, URLS_RSS, URLS_CALENDAR, URLS_JSON };
#define URLS_DOCS	4

/* A query filter: pages with any of these tags, and any of these
 * categories (slugs); an empty list does not filter. */
struct filter {
	char	**tags;
	size_t	  ntags;
	char	**categories;
	size_t	  ncategories;
};

/* A term (tag, category, any taxonomy's) as it appears in a URL: Hugo's
 * urlize in lower case; a '/' makes folders. */
char	*urls_slug(const char *);

/*
 * A request path in the documents' canonical form: each segment
 * percent-decoded, then re-encoded.  NULL for a path that can name
 * nothing: a bad escape, an encoded NUL, invalid UTF-8, a "." or ".."
 * segment, a backslash or "//", more than URLS_PATH_MAX bytes before or
 * after.
 */
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

/* The path every document of a subject starts with: "" for the site,
 * "/SECTION", "/tags/SLUG", "/categories/SLUG", and for a term of
 * another of a Hugo site's taxonomies "/TAXONOMY/SLUG", its key being
 * "TAXONOMY/SLUG" (key encoded). */
char	*urls_subject_prefix(enum urls_subject, const char *key);
/* A subject's document's file name: "feed.atom", "feed.rss",
 * "calendar.ics", "feed.json". */
const char *urls_doc_file(enum urls_doc);
/* What a served path (without its query) is, by the names this file
 * gives: a feed (Atom, RSS, JSON Feed, their archive pages), a calendar
 * (a subject's or an event's), the OPML list, /status, /metrics, else a
 * page (the front page, a post's, an alias) or, not starting with "/",
 * nothing crier names. */
enum urls_kind { URLS_KIND_FEED, URLS_KIND_CALENDAR, URLS_KIND_LIST,
	URLS_KIND_STATUS, URLS_KIND_METRICS, URLS_KIND_PAGE, URLS_KIND_OTHER };
enum urls_kind urls_kind(const char *path, size_t len);
/* Appends the path of a subject's document to b: prefix "/" file. */
void	 urls_subject_doc(struct buf *b, const char *prefix, enum urls_doc);
/*
 * Appends the path of a subject's feed history page n (RFC 5005 archive
 * document; doc URLS_ATOM or URLS_RSS) to b: prefix "/archive/" n "/"
 * file.  n counts from 1, the page of the oldest posts, so a page keeps
 * its URL and its entries once full, whatever is published after it.
 */
void	 urls_archive_doc(struct buf *b, const char *prefix, enum urls_doc,
	    size_t n);
/* Which of the site's own documents path is -- the ones a filter query
 * narrows -- or -1. */
int	 urls_site_doc(const char *path);
/* Is path a feed of some subject (what a WebSub hub is told about)?  An
 * archive page is not: nobody subscribes to one. */
int	 urls_is_feed(const char *path);
/* A feed's id (RFC 4151): tag:AUTHORITY,2000-01-01:PATH. */
char	*urls_feed_id(const char *authority, const char *path);
/* An entry's id (RFC 4151): tag:AUTHORITY,DAY:PATH, DAY "YYYY-MM-DD"
 * of its first publication. */
char	*urls_entry_id(const char *authority, const char *day,
	    const char *path);

/* Appends the path of an event's own calendar to b: /events/UID.ics. */
void	 urls_event_ics(struct buf *b, const char *uid);

/* A post's page from its `url:` front matter, canonical and ending in
 * '/'; NULL when it names no path. */
char	*urls_page_url(const char *url);
/* May a file of a bundle, of this name, be served as its resource?  Not
 * a dotfile, nor a source crier or Hugo reads (.md, .toml, .ics, ...). */
int	 urls_resource_servable(const char *name);
/* The URL path of a bundle's resource, as Hugo gives it: the page's
 * (pretty) URL path and the file's name, percent-encoded; NULL when the
 * page's path does not end in '/'. */
char	*urls_resource(const char *page_url_path, const char *name);
/* Is a file of this name its folder's page (a Hugo bundle's index)? */
int	 urls_bundle_index(const char *name);
/* Is it a branch's (a section's) index: _index.md, _index.zh.md, ...? */
int	 urls_branch_index(const char *name);
/* Is it the name of a document every subject has beside its prefix
 * (feed.atom, calendar.ics, ...)?  A section's file of that name would
 * take the section's feed's URL. */
int	 urls_subject_doc_name(const char *name);
/* A post's page from its file's relative path: its folders, then its
 * slug, or the file's name without its extension; ends in '/'.  A
 * bundle's index is its folder's page, and its slug renames the folder.
 * Not a post (post 0): the folder's path. */
char	*urls_page(const char *relpath, const char *slug, int post);
/* What a Hugo site makes a page's URL from (urls_hugo_page). */
struct urls_hugo_page {
	const char	*relpath;	/* in the content folder */
	const char	*section;	/* its first folder, "" */
	const char	*slug;		/* written, or the dated file name's */
	const char	*title;		/* written, or NULL */
	const char	*pattern;	/* `permalinks` of its section, or NULL */
	int		 year, month, day;	/* its date, where written */
	int		 weekday, yearday;	/* 0 = Sunday; 1 = 1 January */
	int		 post;		/* not a section's _index */
	int		 keep_case;	/* disablePathToLower */
	int		 ugly;		/* uglyURLs: /a/b.html */
};
/* A page's URL path as Hugo 0.111 makes it: its section's permalink
 * pattern expanded, else its folders and slug or file name, each urlized
 * (urlize.c); percent-encoded, ending in '/' (".html" when ugly). */
char	*urls_hugo_page(const struct urls_hugo_page *);
/* A page's `url:` as Hugo takes it: '/' added in front, and at the end
 * unless the last segment names a file ("/a/b.html"); case kept.  NULL
 * when it names no path. */
char	*urls_hugo_url(const char *url);
/* An alias's canonical path (NULL when it names nothing), and in *twin
 * the same with its final slash added or removed: both answer. */
char	*urls_alias(const char *alias, char **twin);

/* Percent-encodes everything but RFC 3986 unreserved characters. */
void	 urls_encode_segment(struct buf *, const char *);
/* Decodes %XX escapes; NULL on a bad escape or an encoded NUL. */
char	*urls_decode(const char *);

#endif

/*
 * page.h -- everything known about one content file after parsing it.
 *
 * Parsing is a pure function of the file's bytes, its path, the site
 * settings (struct config) and, for a page without a date, the file's
 * modification time as the caller read it: no clock, no global state, no
 * I/O.  That is what makes it unit-testable, fuzzable and deterministic.
 * Only parsing writes a page (and the state its updated time and id,
 * once, as the catalog takes it): what is worked out from a page later
 * -- its feed entries, its events' VEVENTs -- is kept by whoever works it
 * out.
 */
#ifndef CRIER_PAGE_H
#define CRIER_PAGE_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "cascade.h"
#include "config.h"
#include "dates.h"
#include "diag.h"
#include "enclosure.h"
#include "event.h"

enum page_kind { PAGE_POST, PAGE_SECTION_INDEX, PAGE_CALENDAR_FILE };

struct page {
	char		*path;		/* relative to the content folder */
	char		*section;	/* first folder, "" at the top */
	/* A Hugo site's: its section's feeds' prefix, as Hugo makes the
	 * section's URL ("/guides" for Guides/, "/zh/posts"); NULL: crier's
	 * own, the folder as it is written. */
	char		*section_prefix;
	enum page_kind	 kind;
	int		 ok;		/* usable; else only diags matter */

	char		*title;
	char		*description;
	char		*summary;	/* plain text */
	char		*html;		/* body, absolute links */
	char		*url_path;	/* "/section/slug/", percent-encoded */
	char		*permalink;	/* base_url + url_path */
	char		*id;		/* tag: URI */
	/* With a Hugo site's `languages`: the page's language (its key,
	 * "zh", and languageCode, else the key, for xml:lang) and the
	 * translation key its translations share (translationKey, or the
	 * path without contentDir and language suffix).  NULL otherwise. */
	char		*lang_key;
	char		*lang;
	char		*translation_key;
	char		*lang_dir;	/* "zh": its URL prefix; NULL at root */
	char		*image;		/* absolute URL or NULL */
	char		*timezone;	/* the page's zone (IANA) */
	char		*location;
	char		**authors;
	size_t		 nauthors;
	char		**author_urls;	/* parallel to authors, may be NULL */
	char		**tags;
	size_t		 ntags;
	char		**categories;
	size_t		 ncategories;
	/* Terms of a Hugo site's other taxonomies (`series`): term i is
	 * in the taxonomy term_taxonomies[i] (its plural, "series"). */
	char		**terms;
	char		**term_taxonomies;
	size_t		 nterms;
	char		**aliases;	/* old URL paths, redirected */
	size_t		 naliases;

	int		 draft;
	int		 unlisted;	/* headless, or _build render never */
	int		 list_never;	/* _build list never: its page only */
	int		 list_local;	/* _build list local: not in the site's lists */
	int		 publish_resources; /* _build publishResources (true) */
	/* A bundle's files served beside its page (names, sorted): not
	 * sources, not over max_resource_size; none unless publish_resources. */
	char		**resources;
	size_t		 nresources;
	int		 has_date;
	time_t		 published;	/* date or publishDate */
	time_t		 updated;	/* lastmod, else published */
	time_t		 publish_at;	/* not before; 0 = no limit */
	time_t		 expire_at;	/* not after; 0 = no limit */

	struct event	*events;
	size_t		 nevents;
	/* Media files for feeds (enclosure.h), in the order written. */
	struct enclosure *enclosures;
	size_t		 nenclosures;

	/* A branch's own `cascade` entries (cascade.h), NULL for a page or
	 * a branch without one, and their hash (0: none). */
	struct json_t	*cascade;
	uint64_t	 cascade_hash;

	struct diags	 diags;
	uint64_t	 hash;		/* of the file's bytes (and mtime,
					   when it dates the page) */
	uint64_t	 content_hash;	/* of what documents show */
	/* References besides its owner's (atomic): a document rendered on
	 * request holds the page it was rendered from (catalog_jobs.c).
	 * 0 when its owner alone holds it, so a page is made as before. */
	int		 refs;
};

/* A file's bytes, read when it had modification time mtime (0: unknown),
 * the last of Hugo's fallbacks for a page without a date. */
struct page *page_parse_file(const struct config *, const char *relpath,
	    const char *data, size_t len, time_t mtime);
/* The same for a bundle's index, with the files beside it (their names
 * and sizes: its resources' lengths), and what it inherits from the
 * branches above it (NULL: nothing), which the page's hashes cover. */
struct page *page_parse_bundle(const struct config *, const char *relpath,
	    const char *data, size_t len, time_t mtime,
	    const struct bundle_file *files, size_t nfiles,
	    const struct cascade *inherited);
/* What an inherited cascade adds to the hash of a page's bytes (and
 * files): unchanged when it inherits nothing. */
uint64_t page_cascade_hash(uint64_t hash, const struct cascade *);
/* What a bundle's files add to the hash of its index's bytes (page_hash
 * is the one, before page_inputs_hash for a page dated by its mtime). */
uint64_t page_files_hash(const struct bundle_file *, size_t);
/* page_parse_file with no modification time known (tests, fuzzers). */
struct page *page_parse(const struct config *, const char *relpath,
	    const char *data, size_t len);
/* A page's hash, of what it was parsed from, when it is dated by the
 * file's modification time: the hash of its bytes and that time. */
uint64_t page_inputs_hash(uint64_t bytes_hash, time_t mtime);
/* Another reference; page_free drops one, the last frees the page.  A
 * page is never changed once the catalog holds it, so the holders may
 * read it on any thread. */
struct page *page_ref(struct page *);
void	 page_free(struct page *);
/* The newest `updated` of these pages: a feed's own updated time. */
time_t	 page_newest(struct page *const *, size_t);
/* Tags and categories as one list: term i, and whether an earlier term
 * is the same (ignoring ASCII case). */
const char *page_term(const struct page *, size_t);
int	 page_term_repeated(const struct page *, size_t);
/* Visible at time now: not a draft, rendered (not headless nor _build's
 * render never), published, not expired; a _build list never page is
 * visible (its own page) and in no list (index.c). */
int	 page_visible(const struct page *, time_t now);

#endif

/*
 * render.h -- one writer per format.  Given entries or events and the
 * document's metadata, each returns the document's bytes (malloc'd, NUL-
 * terminated, length in *len).  No I/O and no clock: every date written
 * comes from the content or the state, so equal input gives equal bytes.
 */
#ifndef CRIER_RENDER_H
#define CRIER_RENDER_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "config.h"
#include "page.h"

/* What a feed or calendar is about: the site, a section, a tag or a category. */
struct channel {
	const char	*id;		/* permanent tag: URI of the feed */
	const char	*title;
	const char	*description;
	const char	*self_url;	/* absolute URL of this very document */
	const char	*alternate_url;	/* the human page it belongs to */
	const char	*hub_url;	/* WebSub hub, or NULL */
	/* Feed history (RFC 5005 section 4), each NULL when it has none:
	 * the subscription feed (rel="current"), the next older and next
	 * newer archive pages; archive: this is an archive page
	 * (<fh:archive/>). */
	const char	*current_url;
	const char	*prev_archive_url;
	const char	*next_archive_url;
	int		 archive;
	const char	*color;		/* calendar COLOR (CSS3), or NULL */
	const char	*language;	/* xml:lang; NULL: the site's */
};

#define FH_NS	"http://purl.org/syndication/history/1.0"


/*
 * A feed is its head, one piece per entry and a tail, each written apart
 * so that an entry is written once for every feed that shows it: the
 * concatenation is byte for byte the document render_atom(),
 * render_rss() and render_jsonfeed() return.  An entry's text opens with
 * the writer's separator ("" for XML; JSON's items are comma-separated),
 * which the feed's first entry goes without: there the entry's text
 * after the separator joins the head, so a kept entry is one piece
 * wherever it stands.
 */
struct feed_writer {
	char		*(*head)(const struct config *, const struct channel *,
			    struct page *const *, size_t, size_t *len);
	/* translations: p's in other languages (index.h), which Atom
	 * links by hreflang and the others leave out. */
	char		*(*entry)(const struct page *,
			    struct page *const *translations, size_t,
			    size_t *len);
	const char	*tail;
	size_t		 separator_len;	/* bytes every entry opens with */
};
extern const struct feed_writer atom_writer;
extern const struct feed_writer rss_writer;
extern const struct feed_writer jsonfeed_writer;

/* Pages newest first, already filtered (visible) and limited. */
char	*render_feed(const struct feed_writer *, const struct config *,
	    const struct channel *, struct page *const *, size_t npages,
	    size_t *len);
/* The same with each page's translations: ntranslations[i] of them for
 * page i, one page's after another in translations. */
char	*render_feed_translated(const struct feed_writer *,
	    const struct config *, const struct channel *,
	    struct page *const *, size_t npages,
	    struct page *const *translations, const size_t *ntranslations,
	    size_t *len);
char	*render_atom(const struct config *, const struct channel *,
	    struct page *const *pages, size_t npages, size_t *len);
char	*render_rss(const struct config *, const struct channel *,
	    struct page *const *pages, size_t npages, size_t *len);
/* JSON Feed 1.1 (render_jsonfeed.c), written by jansson. */
char	*render_jsonfeed(const struct config *, const struct channel *,
	    struct page *const *pages, size_t npages, size_t *len);

/*
 * The OPML list of every feed and calendar (render_opml.c), from a plain
 * view: groups of subjects (the site; sections; tags; categories), each
 * subject with its feed and, when offered, its calendar (absolute URLs).
 */
struct opml_subject {
	const char	*title;
	const char	*feed_url;
	const char	*html_url;
	const char	*calendar_url;	/* NULL: none offered */
};
struct opml_group {
	const char		  *name;
	const struct opml_subject *subjects;
	size_t			   n;
};
char	*render_opml(const struct config *, const struct opml_group *,
	    size_t ngroups, size_t *len);

/*
 * An event as a calendar shows it: with its page, and what the state
 * file knows of it, which travels beside the event rather than in it
 * (events are written only by parsing).  The catalog fills these as a
 * page enters its slot (apply_state); the index copies them into its
 * subjects.
 */
struct ical_event {
	const struct event	*event;
	const struct page	*page;		/* tags, permalink, organizer */
	int			 sequence;
	time_t			 last_modified;	/* also DTSTAMP */
};

#endif

/*
 * render_atom.c -- Atom 1.0 (RFC 4287).
 *
 * The feed's <updated> is its newest entry's, never the build time: a
 * build-time "now" makes every reader re-download and can resurface old
 * entries.  Entries carry their own authors when the page names some;
 * otherwise the feed-level author applies (RFC 4287 4.2.1).
 */
#include <stdio.h>
#include <stdlib.h>

#include "render.h"
#include "xmlwrite.h"
#include "version.h"

#define ATOM_NS "http://www.w3.org/2005/Atom"

/* hreflang: the language of what href points to, or NULL. */
static void
write_link_in(struct xw *x, const char *rel, const char *type,
    const char *hreflang, const char *href)
{
	xmlwrite_start(x, "link");
	xmlwrite_attr(x, "rel", rel);
	if (type != NULL)
		xmlwrite_attr(x, "type", type);
	if (hreflang != NULL)
		xmlwrite_attr(x, "hreflang", hreflang);
	xmlwrite_attr(x, "href", href);
	xmlwrite_end(x);
}

static void
write_link(struct xw *x, const char *rel, const char *type, const char *href)
{
	write_link_in(x, rel, type, NULL, href);
}

static void
write_person(struct xw *x, const char *name, const char *uri,
    const char *email)
{
	xmlwrite_start(x, "author");
	xmlwrite_element(x, "name", name);
	if (uri != NULL)
		xmlwrite_element(x, "uri", uri);
	if (email != NULL && email[0] != '\0')
		xmlwrite_element(x, "email", email);
	xmlwrite_end(x);
}

static void
write_date(struct xw *x, const char *name, time_t t)
{
	char date[DATE_BUFSIZE];

	dates_format_rfc3339(t, date);
	xmlwrite_element(x, name, date);
}

/* Tags, then categories, each term once (a page may list both). */
static void
write_categories(struct xw *x, const struct page *p)
{
	size_t i, n = p->ntags + p->ncategories;

	for (i = 0; i < n; i++) {
		if (page_term_repeated(p, i))
			continue;
		xmlwrite_start(x, "category");
		xmlwrite_attr(x, "term", page_term(p, i));
		xmlwrite_end(x);
	}
}

/* Every enclosure, each a link; Atom's length and type are optional, so
 * one not known is left out, never guessed (RFC 4287 4.2.7). */
static void
write_enclosures(struct xw *x, const struct page *p)
{
	char length[24];
	size_t i;

	for (i = 0; i < p->nenclosures; i++) {
		const struct enclosure *e = &p->enclosures[i];

		xmlwrite_start(x, "link");
		xmlwrite_attr(x, "rel", "enclosure");
		if (e->type != NULL)
			xmlwrite_attr(x, "type", e->type);
		xmlwrite_attr(x, "href", e->url);
		if (e->length >= 0) {
			snprintf(length, sizeof length, "%lld", e->length);
			xmlwrite_attr(x, "length", length);
		}
		xmlwrite_end(x);
	}
}

/*
 * The entry's page, then its translations (index.h), each with its
 * language (RFC 4287 4.2.7.4): an entry's alternates must differ in type
 * or hreflang (4.1.2).  Readers disagree on which alternate is "the"
 * link: most take the first (SimplePie, Miniflux, gofeed), feedparser
 * the last HTML one.  So the entry's own page is both: first with its
 * language, last without one -- another combination of type and
 * hreflang, so still valid -- and a reader never shows a translation
 * as the entry's link.  Without translations the link is as it always
 * was.
 */
static void
write_alternates(struct xw *x, const struct page *p,
    struct page *const *translations, size_t n)
{
	size_t i;

	if (n == 0 || p->lang == NULL) {
		write_link(x, "alternate", "text/html", p->permalink);
		return;
	}
	write_link_in(x, "alternate", "text/html", p->lang, p->permalink);
	for (i = 0; i < n; i++)
		write_link_in(x, "alternate", "text/html", translations[i]->lang,
		    translations[i]->permalink);
	write_link(x, "alternate", "text/html", p->permalink);
}

static void
write_entry(struct xw *x, const struct page *p,
    struct page *const *translations, size_t ntranslations)
{
	size_t i;

	xmlwrite_start(x, "entry");
	xmlwrite_element(x, "id", p->id);
	xmlwrite_element(x, "title", p->title);
	write_date(x, "published", p->published);
	write_date(x, "updated", p->updated);
	write_alternates(x, p, translations, ntranslations);
	write_enclosures(x, p);
	xmlwrite_media_thumbnail(x, p->image);
	for (i = 0; i < p->nauthors; i++)
		write_person(x, p->authors[i], p->author_urls[i], NULL);
	write_categories(x, p);
	if (p->summary != NULL && p->summary[0] != '\0') {
		xmlwrite_start(x, "summary");
		xmlwrite_attr(x, "type", "text");
		xmlwrite_text(x, p->summary);
		xmlwrite_end(x);
	}
	xmlwrite_start(x, "content");
	xmlwrite_attr(x, "type", "html");
	xmlwrite_text(x, p->html);
	xmlwrite_end(x);
	xmlwrite_end(x);
}

/* RFC 5005: where the feed's history continues, and whether this is a
 * page of it. */
static void
write_history(struct xw *x, const struct channel *ch)
{
	if (ch->current_url != NULL)
		write_link(x, "current", "application/atom+xml",
		    ch->current_url);
	if (ch->prev_archive_url != NULL)
		write_link(x, "prev-archive", "application/atom+xml",
		    ch->prev_archive_url);
	if (ch->next_archive_url != NULL)
		write_link(x, "next-archive", "application/atom+xml",
		    ch->next_archive_url);
	if (ch->archive) {
		xmlwrite_start(x, "fh:archive");
		xmlwrite_end(x);
	}
}

static char *
atom_head(const struct config *cfg, const struct channel *ch,
    struct page *const *pages, size_t npages, size_t *len)
{
	struct xw x;

	if (xmlwrite_open(&x) == -1)
		return NULL;
	xmlwrite_start(&x, "feed");
	xmlwrite_attr(&x, "xmlns", ATOM_NS);
	if (ch->archive)
		xmlwrite_attr(&x, "xmlns:fh", FH_NS);
	xmlwrite_attr(&x, "xml:lang", ch->language ? ch->language :
	    cfg->language);
	xmlwrite_element(&x, "id", ch->id);
	xmlwrite_element(&x, "title", ch->title);
	if (ch->description != NULL && ch->description[0] != '\0')
		xmlwrite_element(&x, "subtitle", ch->description);
	write_date(&x, "updated", page_newest(pages, npages));
	write_link(&x, "self", "application/atom+xml", ch->self_url);
	write_link(&x, "alternate", "text/html", ch->alternate_url);
	write_history(&x, ch);
	if (ch->hub_url != NULL)
		write_link(&x, "hub", NULL, ch->hub_url);
	write_person(&x, cfg->author, NULL, cfg->author_email);
	xmlwrite_start(&x, "generator");
	xmlwrite_attr(&x, "version", CRIER_VERSION);
	xmlwrite_text(&x, "crier");
	xmlwrite_end(&x);
	return xmlwrite_head(&x, len);
}

static char *
atom_entry(const struct page *p, struct page *const *translations,
    size_t ntranslations, size_t *len)
{
	struct xw x;

	if (xmlwrite_open_fragment(&x, 1) == -1)
		return NULL;
	write_entry(&x, p, translations, ntranslations);
	return xmlwrite_fragment(&x, 1, len);
}

const struct feed_writer atom_writer = {
	atom_head, atom_entry, "</feed>\n", 0
};

char *
render_atom(const struct config *cfg, const struct channel *ch,
    struct page *const *pages, size_t npages, size_t *len)
{
	return render_feed(&atom_writer, cfg, ch, pages, npages, len);
}

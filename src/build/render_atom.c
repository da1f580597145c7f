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

static void
write_link(struct xw *x, const char *rel, const char *type, const char *href)
{
	xw_start(x, "link");
	xw_attr(x, "rel", rel);
	if (type != NULL)
		xw_attr(x, "type", type);
	xw_attr(x, "href", href);
	xw_end(x);
}

static void
write_person(struct xw *x, const char *name, const char *uri,
    const char *email)
{
	xw_start(x, "author");
	xw_element(x, "name", name);
	if (uri != NULL)
		xw_element(x, "uri", uri);
	if (email != NULL && email[0] != '\0')
		xw_element(x, "email", email);
	xw_end(x);
}

static void
write_date(struct xw *x, const char *name, time_t t)
{
	char date[DATE_BUFSIZE];

	format_rfc3339(t, date);
	xw_element(x, name, date);
}

/* Tags, then categories, each term once (a page may list both). */
static void
write_categories(struct xw *x, const struct page *p)
{
	size_t i, n = p->ntags + p->ncategories;

	for (i = 0; i < n; i++) {
		if (page_term_repeated(p, i))
			continue;
		xw_start(x, "category");
		xw_attr(x, "term", page_term(p, i));
		xw_end(x);
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

		xw_start(x, "link");
		xw_attr(x, "rel", "enclosure");
		if (e->type != NULL)
			xw_attr(x, "type", e->type);
		xw_attr(x, "href", e->url);
		if (e->length >= 0) {
			snprintf(length, sizeof length, "%lld", e->length);
			xw_attr(x, "length", length);
		}
		xw_end(x);
	}
}

static void
write_entry(struct xw *x, const struct page *p)
{
	size_t i;

	xw_start(x, "entry");
	xw_element(x, "id", p->id);
	xw_element(x, "title", p->title);
	write_date(x, "published", p->published);
	write_date(x, "updated", p->updated);
	write_link(x, "alternate", "text/html", p->permalink);
	write_enclosures(x, p);
	for (i = 0; i < p->nauthors; i++)
		write_person(x, p->authors[i], p->author_urls[i], NULL);
	write_categories(x, p);
	if (p->summary != NULL && p->summary[0] != '\0') {
		xw_start(x, "summary");
		xw_attr(x, "type", "text");
		xw_text(x, p->summary);
		xw_end(x);
	}
	xw_start(x, "content");
	xw_attr(x, "type", "html");
	xw_text(x, p->html);
	xw_end(x);
	xw_end(x);
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
		xw_start(x, "fh:archive");
		xw_end(x);
	}
}

static char *
atom_head(const struct config *cfg, const struct channel *ch,
    struct page *const *pages, size_t npages, size_t *len)
{
	struct xw x;

	if (xw_open(&x) == -1)
		return NULL;
	xw_start(&x, "feed");
	xw_attr(&x, "xmlns", ATOM_NS);
	if (ch->archive)
		xw_attr(&x, "xmlns:fh", FH_NS);
	xw_attr(&x, "xml:lang", cfg->language);
	xw_element(&x, "id", ch->id);
	xw_element(&x, "title", ch->title);
	if (ch->description != NULL && ch->description[0] != '\0')
		xw_element(&x, "subtitle", ch->description);
	write_date(&x, "updated", page_newest(pages, npages));
	write_link(&x, "self", "application/atom+xml", ch->self_url);
	write_link(&x, "alternate", "text/html", ch->alternate_url);
	write_history(&x, ch);
	if (ch->hub_url != NULL)
		write_link(&x, "hub", NULL, ch->hub_url);
	write_person(&x, cfg->author, NULL, cfg->author_email);
	xw_start(&x, "generator");
	xw_attr(&x, "version", CRIER_VERSION);
	xw_text(&x, "crier");
	xw_end(&x);
	return xw_head(&x, len);
}

static char *
atom_entry(const struct page *p, size_t *len)
{
	struct xw x;

	if (xw_open_fragment(&x, 1) == -1)
		return NULL;
	write_entry(&x, p);
	return xw_fragment(&x, 1, len);
}

const struct feed_writer atom_writer = { atom_head, atom_entry, "</feed>\n" };

char *
render_atom(const struct config *cfg, const struct channel *ch,
    struct page *const *pages, size_t npages, size_t *len)
{
	return render_feed(&atom_writer, cfg, ch, pages, npages, len);
}

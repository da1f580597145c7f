/*
 * render_rss.c -- RSS 2.0, with the Atom namespace for the self link
 * (RSS has none of its own) and content:encoded for the full HTML, so
 * <description> can stay the short text summary readers list.
 *
 * The guid is the entry's tag: URI, which is not a URL, hence
 * isPermaLink="false".  Dates are RFC 822 with English names, written by
 * dates.c without the locale.
 */
#include <stdio.h>
#include <stdlib.h>

#include "render.h"
#include "xmlwrite.h"
#include "version.h"

static void
write_atom_link(struct xw *x, const char *rel, const char *type,
    const char *href)
{
	xmlwrite_start(x, "atom:link");
	xmlwrite_attr(x, "rel", rel);
	if (type != NULL)
		xmlwrite_attr(x, "type", type);
	xmlwrite_attr(x, "href", href);
	xmlwrite_end(x);
}

static void
write_date(struct xw *x, const char *name, time_t t)
{
	char date[DATE_BUFSIZE];

	dates_format_rfc822(t, date);
	xmlwrite_element(x, name, date);
}

/*
 * RSS 2.0 allows one <enclosure> per item, with url, length and type all
 * required: the first enclosure whose type is known (the others are in
 * Atom only).  A length not known is written 0, as the RSS Advisory
 * Board's best practices say to ("when an enclosure's size cannot be
 * determined, a publisher should use a length of 0"): readers take 0 as
 * unknown, and a made-up size would be worse (the warning asks for it).
 */
static void
write_enclosure(struct xw *x, const struct page *p)
{
	char length[24];
	size_t i;

	for (i = 0; i < p->nenclosures; i++) {
		const struct enclosure *e = &p->enclosures[i];

		if (e->type == NULL)
			continue;
		snprintf(length, sizeof length, "%lld",
		    e->length >= 0 ? e->length : 0);
		xmlwrite_start(x, "enclosure");
		xmlwrite_attr(x, "url", e->url);
		xmlwrite_attr(x, "length", length);
		xmlwrite_attr(x, "type", e->type);
		xmlwrite_end(x);
		return;
	}
}

static void
write_item(struct xw *x, const struct page *p)
{
	size_t i;

	xmlwrite_start(x, "item");
	xmlwrite_element(x, "title", p->title);
	xmlwrite_element(x, "link", p->permalink);
	xmlwrite_start(x, "guid");
	xmlwrite_attr(x, "isPermaLink", "false");
	xmlwrite_text(x, p->id);
	xmlwrite_end(x);
	write_date(x, "pubDate", p->published);
	write_enclosure(x, p);
	xmlwrite_media_thumbnail(x, p->image);
	for (i = 0; i < p->nauthors; i++)
		xmlwrite_element(x, "dc:creator", p->authors[i]);
	for (i = 0; i < p->ntags + p->ncategories; i++)
		if (!page_term_repeated(p, i))
			xmlwrite_element(x, "category", page_term(p, i));
	xmlwrite_element(x, "description", p->summary);
	xmlwrite_element(x, "content:encoded", p->html);
	xmlwrite_end(x);
}

/* RFC 5005 in RSS: its atom:link relations and fh:archive, as in Atom. */
static void
write_history(struct xw *x, const struct channel *ch)
{
	if (ch->current_url != NULL)
		write_atom_link(x, "current", "application/rss+xml",
		    ch->current_url);
	if (ch->prev_archive_url != NULL)
		write_atom_link(x, "prev-archive", "application/rss+xml",
		    ch->prev_archive_url);
	if (ch->next_archive_url != NULL)
		write_atom_link(x, "next-archive", "application/rss+xml",
		    ch->next_archive_url);
	if (ch->archive) {
		xmlwrite_start(x, "fh:archive");
		xmlwrite_end(x);
	}
}

static char *
rss_head(const struct config *cfg, const struct channel *ch,
    struct page *const *pages, size_t npages, size_t *len)
{
	struct xw x;

	if (xmlwrite_open(&x) == -1)
		return NULL;
	xmlwrite_start(&x, "rss");
	xmlwrite_attr(&x, "version", "2.0");
	xmlwrite_attr(&x, "xmlns:atom", "http://www.w3.org/2005/Atom");
	xmlwrite_attr(&x, "xmlns:content", "http://purl.org/rss/1.0/modules/content/");
	xmlwrite_attr(&x, "xmlns:dc", "http://purl.org/dc/elements/1.1/");
	if (ch->archive)
		xmlwrite_attr(&x, "xmlns:fh", FH_NS);
	xmlwrite_start(&x, "channel");
	xmlwrite_element(&x, "title", ch->title);
	xmlwrite_element(&x, "link", ch->alternate_url);
	xmlwrite_element(&x, "description", ch->description != NULL &&
	    ch->description[0] != '\0' ? ch->description : ch->title);
	xmlwrite_element(&x, "language", ch->language ? ch->language :
	    cfg->language);
	xmlwrite_element(&x, "generator", CRIER_GENERATOR);
	write_date(&x, "lastBuildDate", page_newest(pages, npages));
	write_atom_link(&x, "self", "application/rss+xml", ch->self_url);
	write_history(&x, ch);
	if (ch->hub_url != NULL)
		write_atom_link(&x, "hub", NULL, ch->hub_url);
	return xmlwrite_head(&x, len);
}

/* Translations are left out: RSS has no element for them, and an
 * atom:link rel="alternate" in an item is what feedparser, for one,
 * takes for the item's link. */
static char *
rss_item(const struct page *p, struct page *const *translations,
    size_t ntranslations, size_t *len)
{
	struct xw x;

	(void)translations;
	(void)ntranslations;
	if (xmlwrite_open_fragment(&x, 2) == -1)
		return NULL;
	write_item(&x, p);
	return xmlwrite_fragment(&x, 2, len);
}

const struct feed_writer rss_writer = {
	rss_head, rss_item, " </channel>\n</rss>\n", 0
};

char *
render_rss(const struct config *cfg, const struct channel *ch,
    struct page *const *pages, size_t npages, size_t *len)
{
	return render_feed(&rss_writer, cfg, ch, pages, npages, len);
}

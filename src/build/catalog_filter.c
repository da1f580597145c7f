/*
 * catalog_filter.c -- the site's feeds and calendar narrowed by a query
 * (/calendar.ics?tags=a,b, /feed.atom?categories=x&tags=y).
 *
 * Filters are as many as clients care to write, so none is indexed: the
 * first request for one gathers its pages and events from the pages
 * indexed now (posts newest first, events earliest first) and renders it
 * with the same writers and feed entries as the site's own documents,
 * without a memo.  The document is kept in the cache this file owns (the
 * catalog's `filtered`, touched nowhere else), by its canonical URL
 * (http.c redirects every other spelling there), until the next rebuild
 * forgets them all, or until FILTER_CACHE_MAX are kept and the next new
 * one starts afresh.  Like everything in the catalog, this runs under its
 * lock.
 */
#include <stdlib.h>
#include <string.h>

#include "calendar.h"
#include "catalog_build.h"
#include "render.h"
#include "urls.h"

#define FILTER_CACHE_MAX 256	/* filtered documents kept per rebuild */

static void
unref_document(void *d)
{
	document_unref(d);
}

void
catalog_filter_forget(struct dict *cache)
{
	dict_free(cache, unref_document);
	dict_init(cache);
}

static int
slug_listed(char *const *names, size_t n, char *const *slugs, size_t nslugs)
{
	size_t i, k;
	char *slug;
	int found = 0;

	for (i = 0; i < n && !found; i++) {
		slug = urls_slug(names[i]);
		for (k = 0; k < nslugs && !found; k++)
			found = strcmp(slug, slugs[k]) == 0;
		free(slug);
	}
	return found;
}

static int
filter_matches(const struct filter *f, const struct page *p)
{
	return (f->ntags == 0 || slug_listed(p->tags, p->ntags, f->tags,
	    f->ntags)) && (f->ncategories == 0 || slug_listed(p->categories,
	    p->ncategories, f->categories, f->ncategories));
}

static struct document *
render_filtered(struct build *b, const char *path, const char *url,
    struct subject *g)
{
	const struct config *cfg = b->cfg;
	const struct feed_format *f;
	size_t n = g->npages < (size_t)cfg->feed_entries ? g->npages :
	    (size_t)cfg->feed_entries;
	struct document *d = NULL;
	struct channel ch;
	struct stitch st;
	char *self, *id, *alt;
	int doc;

	memset(&ch, 0, sizeof ch);
	ch.title = cfg->title;
	ch.description = cfg->description;
	ch.self_url = self = xasprintf("%s%s", cfg->base_url, url);
	ch.id = id = urls_feed_id(cfg->id_authority, url);
	ch.alternate_url = alt = xasprintf("%s/", cfg->base_url);
	ch.hub_url = cfg->websub_hub[0] ? cfg->websub_hub : NULL;
	ch.color = config_color(cfg, NULL);	/* the site's, as its title */
	doc = urls_site_doc(path);
	if (doc != -1 && (f = catalog_feeds_format(doc)) != NULL)
		d = catalog_feeds_document(b, f, &ch, g->pages, n, url, 0);
	if (doc == URLS_CALENDAR) {
		stitch_init(&st);
		calendar_render_pieces(b->calendar_cache, cfg, &ch,
		    g->events, g->nevents, &st, NULL);
		d = document_from_stitch(url, TYPE_ICS, &st,
		    page_newest(g->pages, g->npages), 0, ROPE_MIN);
	}
	free(self);
	free(id);
	free(alt);
	return d;
}

static int
newest_first(const void *a, const void *b)
{
	const struct page *p = *(struct page *const *)a;
	const struct page *q = *(struct page *const *)b;

	if (p->published != q->published)
		return p->published > q->published ? -1 : 1;
	return strcmp(p->path, q->path);
}

static int
earliest_first(const void *a, const void *b)
{
	const struct ical_event *x = a, *y = b;

	if (x->event->start_utc != y->event->start_utc)
		return x->event->start_utc < y->event->start_utc ? -1 : 1;
	return strcmp(x->event->uid, y->event->uid);
}

/* The subject a filter describes, from the pages indexed now. */
static void
filter_subject(struct build *b, const struct filter *f, struct subject *g)
{
	const struct ical_event *evs;
	struct page *p;
	size_t i, k;
	void *v;
	time_t now = b->now;
	int days = b->cfg->past_event_days;

	for (i = 0; dict_next(&b->index->pages, &i, NULL, &v); ) {
		p = v;
		evs = slot_events(b->slots, p);
		if (p->kind == PAGE_SECTION_INDEX || !filter_matches(f, p))
			continue;
		if (p->kind == PAGE_POST) {
			g->pages = xreallocarray(g->pages, g->npages + 1,
			    sizeof *g->pages);
			g->pages[g->npages++] = p;
		}
		for (k = 0; k < p->nevents; k++) {
			const struct event *e = &p->events[k];

			if (days != 0 && e->rrule == NULL &&
			    e->end_utc < now - (time_t)days * 86400)
				continue;
			g->events = xreallocarray(g->events, g->nevents + 1,
			    sizeof *g->events);
			index_event_at(&g->events[g->nevents++], p, evs, k);
		}
	}
	util_sort(g->pages, g->npages, sizeof *g->pages, newest_first);
	util_sort(g->events, g->nevents, sizeof *g->events, earliest_first);
}

struct document *
catalog_filter_get(const struct dict *cache, const char *url)
{
	return dict_get(cache, url);
}

struct document *
catalog_filter_render(struct build *b, struct dict *cache, const char *path,
    const char *url, const struct filter *f)
{
	struct document *d;
	struct subject g;

	if (cache->live >= FILTER_CACHE_MAX)
		catalog_filter_forget(cache);
	memset(&g, 0, sizeof g);
	filter_subject(b, f, &g);
	if ((d = render_filtered(b, path, url, &g)) != NULL)
		dict_set(cache, url, d);
	free(g.pages);
	free(g.events);
	return d;
}

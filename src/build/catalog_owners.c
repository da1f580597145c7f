/*
 * catalog_owners.c -- one page per document path.
 *
 * Two pages can claim one URL: a.md and a/index.md, an alias naming
 * another page, a UID written twice.  Who wins must not depend on the
 * order of edits, or two replicas that saw different histories would
 * serve different pages at one URL: a page's own URL and events outrank
 * an alias, and between equals the smaller page path wins.  A path is
 * withdrawn only by the page that owns it, so a page that loses a claim
 * cannot take the winner's document away when it goes; when the owner
 * goes, the next claimant is found and rendered (the only time pages are
 * scanned for a path).
 *
 * What a page claims is spelled by urls.c, as index.c spells what it
 * notes stale: the two must agree path for path.
 */
#include <stdlib.h>
#include <string.h>

#include "catalog_owners.h"
#include "urls.h"

struct owner {
	char		*page;
	enum claim_rank	 rank;
};

static void
owner_free(void *v)
{
	struct owner *o = v;

	if (o != NULL)
		free(o->page);
	free(o);
}

void
catalog_owners_init(struct catalog_owners *o)
{
	dict_init(&o->paths);
}

void
catalog_owners_free(struct catalog_owners *o)
{
	dict_free(&o->paths, owner_free);
}

int
catalog_owners_claim(struct catalog_owners *owners, const struct dict *indexed,
    const char *path, const struct page *p, enum claim_rank rank)
{
	struct owner *o = dict_get(&owners->paths, path);

	if (o != NULL && strcmp(o->page, p->path) != 0 &&
	    dict_get(indexed, o->page) != NULL &&
	    (o->rank < rank || (o->rank == rank &&
	    strcmp(o->page, p->path) < 0)))
		return 0;
	if (o == NULL || strcmp(o->page, p->path) != 0 || o->rank != rank) {
		o = xcalloc(1, sizeof *o);
		o->page = xstrdup(p->path);
		o->rank = rank;
		owner_free(dict_set(&owners->paths, path, o));
	}
	return 1;
}

void
catalog_owners_withdraw(struct catalog_owners *owners, struct dict *stale,
    struct docset *docs, struct dict *orphans)
{
	const struct owner *owner;
	const struct document *d;
	const char *path;
	size_t i;
	void *v;

	for (i = 0; dict_next(stale, &i, &path, &v); ) {
		if (v == NULL) {
			docset_remove(docs, path);
			continue;
		}
		owner = dict_get(&owners->paths, path);
		if (owner == NULL || strcmp(owner->page, v) != 0)
			continue;
		/* An alias writes only redirects: a real document at its
		 * path (a feed it named, which no page owns) is not its to
		 * withdraw. */
		d = docset_get(docs, path);
		if (owner->rank != CLAIM_ALIAS || d == NULL ||
		    d->redirect != NULL)
			docset_remove(docs, path);
		owner_free(dict_remove(&owners->paths, path));
		dict_set(orphans, path, (void *)1);
	}
	dict_free(stale, free);
	dict_init(stale);
}

static int
page_claims(const struct page *p, const char *path)
{
	struct buf b;
	char *alias, *twin;
	size_t i;
	int found = 0;

	if (p->url_path != NULL && strcmp(p->url_path, path) == 0)
		return 1;
	buf_init(&b);
	for (i = 0; i < p->nevents && !found; i++) {
		buf_reset(&b);
		urls_event_ics(&b, p->events[i].uid);
		found = strcmp(b.data, path) == 0;
	}
	buf_free(&b);
	/* An alias answers with and without its final slash. */
	for (i = 0; i < p->naliases && !found; i++) {
		if ((alias = urls_alias(p->aliases[i], &twin)) != NULL)
			found = strcmp(alias, path) == 0 ||
			    strcmp(twin, path) == 0;
		free(alias);
		free(twin);
	}
	return found;
}

/* This scans the pages, but only when a page that owned documents
 * disappeared. */
void
catalog_owners_reclaim(const struct dict *orphans, const struct dict *indexed,
    const struct docset *docs, void (*render)(struct page *, void *),
    void *arg)
{
	const char *path;
	struct page *best, *p;
	size_t i, k;
	void *v;

	for (i = 0; dict_next(orphans, &i, &path, NULL); ) {
		if (docset_get(docs, path) != NULL)
			continue;
		best = NULL;
		for (k = 0; dict_next(indexed, &k, NULL, &v); ) {
			p = v;
			if (page_claims(p, path) && (best == NULL ||
			    strcmp(p->path, best->path) < 0))
				best = p;
		}
		if (best != NULL)
			render(best, arg);
	}
}

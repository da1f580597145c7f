/*
 * catalog_build.c -- what every document of a rebuild goes through: its
 * fingerprint, the check that keeps the current one when the fingerprint
 * is unchanged, and its entry into the set.
 *
 * A fingerprint is of exactly what a document shows (its channel, its
 * members' content hashes and revisions, the settings), so an edit that
 * does not reach a document leaves it as it was -- bytes, ETag and
 * Last-Modified.  Every file of a rebuild (catalog.c, catalog_feeds.c,
 * catalog_jobs.c) adds its documents here (and catalog_opml.c), so the rules a new document
 * meets -- Last-Modified moving with the bytes, gzip bodies queued for
 * later, feeds noted for WebSub -- are kept in one place.
 */
#include <stdlib.h>
#include <string.h>

#include "catalog_build.h"
#include "hugo.h"
#include "render_ical.h"

/* Of everything a document shows: hashed in one pass over an array,
 * as the site calendar's has a hundred thousand numbers. */
uint64_t
catalog_build_fingerprint(const char *what, const struct channel *ch,
    struct page *const *pages, size_t npages, const struct ical_event *events,
    size_t nevents, uint64_t config_hash)
{
	const char *strings[] = { what, ch->id, ch->title, ch->description,
	    ch->self_url, ch->current_url, ch->prev_archive_url,
	    ch->next_archive_url, ch->archive ? "archive" : NULL, ch->color };
	size_t i, n = 0, cap = nitems(strings) + 1 + 2 * npages + 4 * nevents;
	uint64_t *v = xreallocarray(NULL, cap, sizeof *v), h;

	for (i = 0; i < nitems(strings); i++)
		v[n++] = strings[i] != NULL ?
		    hash64(strings[i], strlen(strings[i])) : 0;
	/* The language only when a subject has its own: the hashes of
	 * sites without `languages` stay as they were. */
	v[n++] = config_hash ^ (ch->language != NULL ?
	    hash64(ch->language, strlen(ch->language)) : 0);
	for (i = 0; i < npages; i++) {
		v[n++] = pages[i]->content_hash;
		v[n++] = (uint64_t)pages[i]->updated;
	}
	for (i = 0; i < nevents; i++) {
		v[n++] = events[i].event->hash;
		v[n++] = events[i].page->content_hash;
		v[n++] = (uint64_t)events[i].sequence;
		v[n++] = (uint64_t)events[i].last_modified;
	}
	h = hash64(v, n * sizeof *v);
	free(v);
	return h;
}

/* Keeps the current document when its fingerprint matches. */
int
catalog_build_reuse(struct build *b, const char *path, uint64_t fp)
{
	struct document *old = docset_get(b->docs, path);

	if (old == NULL || old->fingerprint != fp)
		return 0;
	old->generation = b->docs->generation;
	return 1;
}

void
catalog_build_add_document(struct build *b, struct document *d)
{
	struct document *old;
	struct dict_keys *f;

	if (d == NULL)		/* the last good rendering stays */
		return;
	/* Last-Modified must move when a document changes, also when its
	 * newest member did not (an entry removed, a setting changed), or
	 * If-Modified-Since would answer 304 for content the client lacks. */
	if ((old = docset_get(b->docs, d->path)) != NULL &&
	    d->mtime <= old->mtime && (d->len != old->len ||
	    d->hash != old->hash))
		document_set_mtime(d, b->now > old->mtime ? b->now :
		    old->mtime + 1);
	if (document_gzip_pending(d))
		gzlater_add(b->gzlater, d);
	if (urls_is_feed(d->path)) {
		f = b->changed_feeds;
		f->keys = xreallocarray(f->keys, f->n + 1, sizeof *f->keys);
		f->keys[f->n++] = xstrdup(d->path);
	}
	docset_add(b->docs, d);
	b->rendered++;
}

uint64_t
catalog_build_config_hash(const struct config *cfg)
{
	struct hasher h;
	size_t i;

	hasher_init(&h);
	/* Hugo's languageName: a post's page names its translations so
	 * (none without `languages`, whose hashes stay as they were). */
	for (i = 0; cfg->hugo != NULL && i < cfg->hugo->nlanguages; i++)
		hasher_str(&h, cfg->hugo->languages[i].name);
	hasher_str(&h, cfg->title);
	hasher_str(&h, cfg->description);
	hasher_str(&h, cfg->base_url);
	hasher_str(&h, cfg->author);
	hasher_str(&h, cfg->author_email);
	hasher_str(&h, cfg->organizer);
	hasher_str(&h, cfg->language);
	hasher_str(&h, cfg->timezone);
	hasher_str(&h, cfg->websub_hub);
	hasher_int(&h, cfg->feed_entries);
	hasher_int(&h, cfg->archive_entries);
	hasher_int(&h, cfg->refresh_interval);
	hasher_int(&h, (long long)render_ical_colors_key(cfg));
	return hasher_done(&h);
}

char *
catalog_build_subject_title(const struct config *cfg, const char *label,
    const struct subject *g)
{
	const struct hugo_language *l = g->lang != NULL ?
	    hugo_language_named(cfg->hugo, g->lang) : NULL;

	/* A language's (Hugo's `languages`): its title, "TITLE: posts". */
	if (g->lang != NULL) {
		const char *title = l && l->title ? l->title : cfg->title;
		const char *name = index_subject_name(g);

		const char *rest = strchr(g->key, '/') ? strchr(g->key, '/') +
		    1 : g->key;

		if (strcmp(g->kind, "language") == 0)
			return xstrdup(title);
		if (strcmp(g->kind, "section") == 0)
			return xasprintf("%s: %s", title, strchr(name, '/') ?
			    strchr(name, '/') + 1 : name);
		/* Its language's terms, "zh/tags/slug", "zh/series/slug". */
		if (strcmp(g->kind, "term") == 0)
			return xasprintf("%s: %.*s %s", title,
			    (int)strcspn(rest, "/"), rest, name);
		return xasprintf("%s: %s %s", title, g->kind, name);
	}
	/* A custom taxonomy's term: "SITE: series NAME". */
	if (label == NULL && strcmp(g->kind, "term") == 0)
		return xasprintf("%s: %.*s %s", cfg->title,
		    (int)strcspn(g->key, "/"), g->key, index_subject_name(g));
	if (label == NULL)
		return xasprintf("%s: %s", cfg->title, index_subject_name(g));
	return xasprintf("%s: %s %s", cfg->title, label,
	    index_subject_name(g));
}

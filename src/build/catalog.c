/*
 * catalog.c -- pages in, documents out.
 *
 * Each content file has a slot holding its newest parse and its last good
 * one: a page whose new bytes fail to parse keeps serving the good version
 * until it is fixed, while /status shows the error.
 *
 * A changed page leaves and enters its subjects in the index (index.c);
 * a rebuild then renders only the documents of dirty subjects and fresh
 * pages, and withdraws those of vanished ones.  Before rendering a
 * document it computes a fingerprint of exactly what the document shows
 * (its channel and its members' content hashes and revisions); when the
 * current document has the same one it is kept as is.  Feeds and
 * calendars are stitched from pieces (piece.h): an entry or a VEVENT is
 * written and compressed once for every document showing it.  Documents are
 * replaced in the set in place: a rebuild runs to completion inside one
 * callback of the first event loop, holding the catalog's lock, and the
 * other loops serve the set published after it (catalog_snapshot), so no
 * response ever sees a half-updated site; responses in flight hold
 * references to the very bytes they send.
 *
 * What a rebuild does beside that has files of its own, sharing struct
 * build (catalog_build.h): a document's fingerprint, reuse and entry into
 * the set (catalog_build.c), feeds stitched from entries kept in slots
 * (catalog_feeds.c), the memos calendars keep (catalog_memo.c), the
 * calendars, pages and compression done on every core (catalog_jobs.c),
 * and the feeds and calendar narrowed by a query (catalog_filter.c).
 * Which page owns a path two pages claim is catalog_owners.c's.  Those
 * files see struct build, never struct catalog: they sit below this one.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>

#include "calendar.h"
#include "catalog.h"
#include "catalog_build.h"
#include "catalog_owners.h"
#include "enclosure.h"
#include "hugo.h"
#include "load.h"
#include "log.h"
#include "render.h"
#include "render_html.h"
#include "render_ical.h"
#include "render_status.h"
#include "upcoming.h"

void
catalog_init(struct catalog *cat, const struct config *cfg,
    struct state *state)
{
	memset(cat, 0, sizeof *cat);
	cat->cfg = cfg;
	cat->state = state;
	cat->calendar_cache = calendar_cache_new();
	dict_init(&cat->slots);
	cat->docs = docset_new();
	dict_init(&cat->filtered);
	index_init(&cat->index, cfg->past_event_days);
	catalog_owners_init(&cat->owners);
	dict_init(&cat->memos);
	cat->upcoming = upcoming_memo_new();
	gzlater_init(&cat->gzlater);
	cat->bodies = bodycache_new((size_t)cfg->body_cache_size);
	cat->render_threads = load_threads();
	cat->reindex = 1;
}

static void
slot_free(void *v)
{
	struct slot *s = v;

	if (s->good != s->current)
		page_free(s->good);
	page_free(s->current);
	free(s->events);
	catalog_feeds_forget(&s->entries);
	free(s);
}

void
catalog_free(struct catalog *cat)
{
	gzlater_free(&cat->gzlater);
	index_free(&cat->index);
	catalog_owners_free(&cat->owners);
	dict_free(&cat->memos, catalog_memo_free);
	upcoming_memo_free(cat->upcoming);
	dict_free(&cat->slots, slot_free);
	docset_unref(cat->docs);
	calendar_cache_free(cat->calendar_cache);
	catalog_filter_forget(&cat->filtered);
	document_unref(cat->status);
	free(cat->websub_status);
	dict_keys_free(&cat->changed_feeds);
	docset_unref(cat->published);
	/* Documents still sent keep it until they go. */
	bodycache_unref(cat->bodies);
	config_shared_unref(cat->settings);
	if (cat->threaded)
		pthread_mutex_destroy(&cat->lock);
	memset(cat, 0, sizeof *cat);
}

const struct page *
catalog_slot_page(const struct slot *s)
{
	return s->current->ok ? s->current : s->good;
}

const struct ical_event *
catalog_page_events(const struct catalog *cat, const struct page *p)
{
	return slot_events(&cat->slots, p);
}

/*
 * Gives the page its state, once, before it enters its slot: its updated
 * time and id; and its events' SEQUENCE and LAST-MODIFIED, which travel
 * beside them (returned: one per event, NULL for none).
 */
static struct ical_event *
apply_state(struct catalog *cat, struct page *p, time_t now)
{
	struct ical_event *evs = NULL;
	const char *id;
	size_t i;

	p->updated = state_entry_updated(cat->state, p->path, p->content_hash,
	    p->updated, now);
	if (p->id != NULL && strcmp(id = state_entry_id(cat->state, p->path,
	    p->id), p->id) != 0) {
		free(p->id);
		p->id = xstrdup(id);
	}
	/* Events are remembered per page: two pages that (wrongly) give
	 * the same UID must not bump each other's SEQUENCE for ever. */
	if (p->nevents > 0)
		evs = xreallocarray(NULL, p->nevents, sizeof *evs);
	for (i = 0; i < p->nevents; i++) {
		const struct event *e = &p->events[i];
		char *key = xasprintf("%s\n%s", p->path, e->uid);

		evs[i].event = e;
		evs[i].page = p;
		state_event_revision(cat->state, key, e->hash, e->sequence,
		    e->modified != 0 ? e->modified : p->updated, now,
		    &evs[i].sequence, &evs[i].last_modified);
		free(key);
	}
	return evs;
}

static void
keep_earliest(time_t *next, time_t t, time_t now)
{
	if (t > now && (*next == 0 || t < *next))
		*next = t;
}

/* When page p next appears, expires or has an event age out (with
 * past_event_days), after now; 0: never. */
static time_t
page_next_change(const struct catalog *cat, const struct page *p,
    time_t now)
{
	time_t next = 0, window = (time_t)cat->cfg->past_event_days * 86400;
	size_t k;

	if (p == NULL || p->draft || p->unlisted)
		return 0;
	keep_earliest(&next, p->publish_at, now);
	keep_earliest(&next, p->expire_at, now);
	for (k = 0; window > 0 && k < p->nevents; k++)
		if (p->events[k].rrule == NULL)
			keep_earliest(&next, p->events[k].end_utc + window, now);
	return next;
}

/*
 * The earliest of every page's next change, kept as pages come and go:
 * walking every page and event after each edit cost a millisecond.  A
 * page leaving that held the earliest makes it unknown until asked.
 */
static void
next_change_enters(struct catalog *cat, const struct page *p, time_t now)
{
	if (cat->next_change_known)
		keep_earliest(&cat->next_change, page_next_change(cat, p, now),
		    now);
}

/* p held the earliest when it has a change at that very time: asked
 * from just before it, so no clock is read (the time of a removal is not
 * the time of the rebuild that counted it). */
static void
next_change_leaves(struct catalog *cat, const struct page *p)
{
	if (cat->next_change != 0 &&
	    page_next_change(cat, p, cat->next_change - 1) == cat->next_change)
		cat->next_change_known = 0;
}

time_t
catalog_next_change(struct catalog *cat, time_t now)
{
	size_t i;
	void *v;

	if (cat->next_change_known &&
	    (cat->next_change == 0 || cat->next_change > now))
		return cat->next_change;
	cat->next_change = 0;
	for (i = 0; dict_next(&cat->slots, &i, NULL, &v); )
		keep_earliest(&cat->next_change,
		    page_next_change(cat, catalog_slot_page(v), now), now);
	cat->next_change_known = 1;
	return cat->next_change;
}

/* Adds (sign > 0) or takes away what a slot's page counts for in
 * /status and /metrics: kept up to date, as walking 10 000 slots per
 * rebuild to count them cost a millisecond. */
static void
count_slot(struct catalog_stats *st, const struct slot *s, int sign)
{
	size_t *counter;

	if (s->current == NULL)
		return;
	if (diags_count(&s->current->diags, DIAG_ERROR) > 0)
		counter = &st->files_with_errors;
	else if (diags_count(&s->current->diags, DIAG_WARNING) > 0)
		counter = &st->files_with_warnings;
	else
		return;
	if (sign > 0)
		(*counter)++;
	else
		(*counter)--;
}

/* Puts p in the slot of path, with its events as calendars show them
 * when it parsed, moving the index from the page documents were built
 * from to the one they are built from now. */
static void
slot_replace(struct catalog *cat, const char *path, struct page *p,
    struct ical_event *events, time_t now)
{
	struct slot *s = dict_get(&cat->slots, path);
	struct page *before, *after;

	if (s == NULL) {
		s = xcalloc(1, sizeof *s);
		dict_set(&cat->slots, path, s);
	}
	before = s->current != NULL ? (struct page *)catalog_slot_page(s) :
	    NULL;
	after = p->ok ? p : s->good;
	if (before != after) {
		next_change_leaves(cat, before);
		next_change_enters(cat, after, now);
	}
	if (before != NULL && before != after)
		index_remove(&cat->index, before);
	count_slot(&cat->stats, s, -1);
	if (s->current != NULL && s->current != s->good)
		page_free(s->current);
	if (p->ok) {
		page_free(s->good);
		free(s->events);
		catalog_feeds_forget(&s->entries);
		s->good = p;
		s->events = events;
	} else
		free(events);
	s->current = p;
	count_slot(&cat->stats, s, 1);
	s->changed = now;
	/* With a reindex pending (start-up, reload) the render groups every
	 * page anyway: adding them here one by one would do it twice. */
	if (after != NULL && after != before && !cat->reindex &&
	    page_visible(after, now))
		index_add(&cat->index, after, s->events, now);
	cat->dirty = 1;
}

int
catalog_known(const struct catalog *cat, const char *path, uint64_t *hash)
{
	const struct slot *s = dict_get(&cat->slots, path);

	if (s == NULL || !s->current->ok)
		return 0;
	*hash = s->current->hash;
	return 1;
}

int
catalog_put(struct catalog *cat, const char *path, const char *data,
    size_t len, time_t now)
{
	uint64_t known;

	if (catalog_known(cat, path, &known) && known == hash64(data, len))
		return 0;
	catalog_put_page(cat, page_parse(cat->cfg, path, data, len), now);
	return 1;
}

void
catalog_put_page(struct catalog *cat, struct page *p, time_t now)
{
	struct slot *s = dict_get(&cat->slots, p->path);
	struct ical_event *events = NULL;
	size_t i;

	if (p->ok)
		events = apply_state(cat, p, now);
	for (i = 0; i < p->diags.n; i++)
		log_msg(p->diags.v[i].level == DIAG_ERROR ? LOG_ERROR :
		    LOG_WARN, "%s:%d: %s", p->path, p->diags.v[i].line,
		    p->diags.v[i].message);
	if (!p->ok && s != NULL && s->good != NULL)
		log_warn("%s: keeping its last good version until it is fixed",
		    p->path);
	slot_replace(cat, p->path, p, events, now);
}

void
catalog_put_problem(struct catalog *cat, const char *path,
    enum diag_level level, const char *message, time_t now)
{
	struct slot *s = dict_get(&cat->slots, path);
	struct page *p;

	if (s != NULL && !s->current->ok && s->current->diags.n == 1 &&
	    strcmp(s->current->diags.v[0].message, message) == 0)
		return;		/* already known */
	p = xcalloc(1, sizeof *p);
	p->path = xstrdup(path);
	p->section = xstrdup("");
	diags_init(&p->diags);
	diags_add(&p->diags, level, 0, "%s", message);
	log_msg(level == DIAG_ERROR ? LOG_ERROR : LOG_WARN, "%s: %s", path,
	    message);
	slot_replace(cat, path, p, NULL, now);
}

void
catalog_invalidate(struct catalog *cat)
{
	void *v;
	size_t i;

	for (i = 0; dict_next(&cat->slots, &i, NULL, &v); )
		((struct slot *)v)->current->hash = 0;
	bodycache_set_budget(cat->bodies, (size_t)cat->cfg->body_cache_size);
	catalog_reindex(cat);
}

void
catalog_reindex(struct catalog *cat)
{
	cat->reindex = 1;
	cat->dirty = 1;
	cat->next_change_known = 0;	/* the settings may have changed */
}

void
catalog_remove(struct catalog *cat, const char *path)
{
	struct slot *s = dict_remove(&cat->slots, path);

	if (s == NULL)
		return;
	if (catalog_slot_page(s) != NULL)
		index_remove(&cat->index, (struct page *)catalog_slot_page(s));
	next_change_leaves(cat, catalog_slot_page(s));
	count_slot(&cat->stats, s, -1);
	slot_free(s);
	cat->dirty = 1;
}

static int
slot_under(const char *path, void *slot, void *folder)
{
	(void)slot;
	return file_path_under(path, folder);
}

void
catalog_remove_under(struct catalog *cat, const char *folder)
{
	struct dict_keys doomed;
	size_t i;

	dict_keys_where(&cat->slots, slot_under, (void *)folder, &doomed);
	for (i = 0; i < doomed.n; i++)
		catalog_remove(cat, doomed.keys[i]);
	dict_keys_free(&doomed);
}

/* --- documents ----------------------------------------------------- */

/* May page p write the document at path (catalog_owners.c)? */
static int
claim(struct build *b, const char *path, const struct page *p,
    enum claim_rank rank)
{
	return catalog_owners_claim(&b->cat->owners, &b->cat->index.pages,
	    path, p, rank);
}

static void
calendar_doc(struct build *b, const char *path, const struct channel *base,
    struct subject *g, const struct ical_event *events, size_t n)
{
	const struct config *cfg = b->cat->cfg;
	struct calendar_memo *memo;
	struct channel ch = *base;
	struct job *j;
	time_t newest = 0;
	uint64_t fp, events_hash = 0;
	size_t i;
	char *self;

	for (i = 0; i < n; i++)
		if (events[i].last_modified > newest)
			newest = events[i].last_modified;
	ch.self_url = self = xasprintf("%s%s", cfg->base_url, path);
	memo = catalog_memo_for(b, path, g, events, n, &events_hash);
	if (memo != NULL)
		fp = catalog_build_fingerprint("ics", &ch, NULL, 0, NULL, 0,
		    b->config_hash ^ events_hash);
	else
		fp = catalog_build_fingerprint("ics", &ch, NULL, 0, events, n,
		    b->config_hash);
	if (!catalog_build_reuse(b, path, fp)) {
		j = catalog_jobs_queue(b, JOB_CALENDAR, path, newest, fp);
		catalog_jobs_channel_copy(&j->ch, &ch);
		/* A subject's array stays as it is until the jobs are
		 * done (the index changes only between rebuilds); an
		 * event's own calendar passes one on the stack. */
		if (g != NULL)
			j->events = events;
		else {
			j->events = j->events_copy = xreallocarray(NULL,
			    n ? n : 1, sizeof *events);
			if (n > 0)
				memcpy(j->events_copy, events,
				    n * sizeof *events);
		}
		j->nevents = n;
		j->memo = memo;
	}
	free(self);
}

/* A language's subjects (Hugo's `languages`) are in its languageCode. */
static const char *
subject_language(const struct config *cfg, const struct subject *g)
{
	const struct hugo_language *l;

	if (g->lang == NULL || (l = hugo_language_named(cfg->hugo,
	    g->lang)) == NULL)
		return NULL;
	return l->language_code ? l->language_code : l->key;
}

static void
subject_docs(struct build *b, struct subject *g, const char *title)
{
	const struct config *cfg = b->cat->cfg;
	struct channel ch;
	struct buf path;
	char *alt;

	memset(&ch, 0, sizeof ch);
	ch.title = title;
	ch.description = g->description ? g->description : cfg->description;
	ch.alternate_url = alt = xasprintf("%s%s/", cfg->base_url, g->prefix);
	ch.hub_url = cfg->websub_hub[0] ? cfg->websub_hub : NULL;
	/* A section's calendar has its colour; the others the site's. */
	ch.color = config_color(cfg, strcmp(g->kind, "section") == 0 ?
	    g->key : NULL);
	ch.language = subject_language(cfg, g);
	catalog_feeds_docs(b, g, &ch);
	buf_init(&path);
	urls_subject_doc(&path, g->prefix, URLS_CALENDAR);
	calendar_doc(b, path.data, &ch, g, g->events, g->nevents);
	buf_free(&path);
	free(alt);
	g->dirty = 0;
}

static void
table_docs(struct build *b, struct dict *d, const char *label)
{
	char *title;
	void *v;
	size_t i;

	for (i = 0; dict_next(d, &i, NULL, &v); ) {
		struct subject *g = v;

		if (!g->dirty)
			continue;
		title = catalog_build_subject_title(b->cat->cfg, label, g);
		subject_docs(b, g, title);
		free(title);
	}
}

/* One calendar per event, for "add to calendar" links. */
static void
event_docs(struct build *b, const struct page *p)
{
	const struct ical_event *evs = catalog_page_events(b->cat, p);
	struct ical_event ie;
	struct channel ch;
	struct buf path;
	size_t i;

	memset(&ch, 0, sizeof ch);
	buf_init(&path);
	for (i = 0; i < p->nevents; i++) {
		const struct event *e = &p->events[i];

		buf_reset(&path);
		urls_event_ics(&path, e->uid);
		index_event_at(&ie, p, evs, i);
		ch.title = e->title;
		ch.description = p->title;
		ch.alternate_url = p->permalink;
		ch.color = render_ical_event_color(b->cat->cfg, e, p);
		if (claim(b, path.data, p, CLAIM_PAGE))
			calendar_doc(b, path.data, &ch, NULL, &ie, 1);
	}
	buf_free(&path);
}

/* A redirect never replaces a real document at the same path. */
static void
add_redirect(struct build *b, const char *path, const char *target,
    const struct page *p)
{
	struct document *d = docset_get(b->docs, path);

	if (!claim(b, path, p, CLAIM_ALIAS))
		return;
	if (d == NULL || d->redirect != NULL)
		docset_add(b->docs, document_redirect(path, target));
	else
		d->generation = b->docs->generation;
}

/* An old URL of a page answers 301, with and without its final slash. */
static void
alias_doc(struct build *b, const char *alias, const struct page *p)
{
	const char *target = p->url_path;
	char *other, *path = urls_alias(alias, &other);

	if (path != NULL && strcmp(path, URLS_FRONT) != 0) {
		add_redirect(b, path, target, p);
		add_redirect(b, other, target, p);
	}
	free(other);
	free(path);
}

/*
 * A bundle's resources, at the URLs Hugo gives them (the page's path and
 * the file's name).  A document names the file and holds no bytes: the
 * serving side reads it when asked (resource.c), so an image changed in
 * place is served new without a rebuild, and a 40 MB recording costs no
 * heap.
 */
static void
resource_docs(struct build *b, const struct page *p)
{
	const char *slash = strrchr(p->path, '/');
	struct document *d;
	size_t k, dirlen;
	char *path, *file;

	if (slash == NULL)	/* the top folder's page has none (load.c) */
		return;
	dirlen = (size_t)(slash - p->path);
	for (k = 0; k < p->nresources; k++) {
		if ((path = urls_resource(p->url_path, p->resources[k])) == NULL)
			continue;
		file = xasprintf("%.*s/%s", (int)dirlen, p->path,
		    p->resources[k]);
		d = docset_get(b->docs, path);
		if (claim(b, path, p, CLAIM_PAGE)) {
			if (d != NULL && d->file != NULL &&
			    strcmp(d->file, file) == 0)
				d->generation = b->docs->generation;
			else
				docset_add(b->docs, document_resource(path,
				    file, enclosure_resource_type(file)));
		}
		free(file);
		free(path);
	}
}

/* A fresh page's own documents: its HTML page (which links its
 * translations: their languages and permalinks are in its fingerprint),
 * aliases and events. */
static void
page_docs(struct build *b, struct page *p)
{
	struct channel ch;
	struct job *j;
	uint64_t fp;
	size_t k;

	if (p->kind == PAGE_SECTION_INDEX) {
		if (p->nresources > 0)	/* a branch bundle's files */
			resource_docs(b, p);
		return;
	}
	event_docs(b, p);
	if (p->kind != PAGE_POST)
		return;
	memset(&ch, 0, sizeof ch);
	fp = catalog_build_fingerprint("html", &ch, &p, 1, NULL, 0,
	    b->config_hash ^ index_translations_hash(b->index, p));
	if (claim(b, p->url_path, p, CLAIM_PAGE) &&
	    !catalog_build_reuse(b, p->url_path, fp)) {
		j = catalog_jobs_queue(b, JOB_PAGE, p->url_path, p->updated,
		    fp);
		j->page = p;
		j->ntranslations = index_translations(b->index, p,
		    &j->translations);
	}
	for (k = 0; k < p->naliases; k++)
		alias_doc(b, p->aliases[k], p);
	if (p->nresources > 0)
		resource_docs(b, p);
}

/*
 * Of what the front page shows: the settings, each subject's name and
 * counts (which calendars it offers), the recent posts and the upcoming
 * events at their occurrences.  Most edits change none of it, and the
 * page lists every tag with six links each.
 */
static uint64_t
front_fingerprint(struct build *b, const struct upcoming *u)
{
	const struct subject *site = &b->cat->index.site;
	struct hasher h;
	size_t i, t;
	void *v;

	hasher_init(&h);
	hasher_int(&h, (long long)b->config_hash);
	hasher_int(&h, site->nevents > 0);
	for (t = 0; t < INDEX_TABLES; t++) {
		hasher_int(&h, (long long)t);
		for (i = 0; dict_next(index_table(&b->cat->index, t), &i,
		    NULL, &v); ) {
			const struct subject *g = v;

			hasher_str(&h, g->key);
			hasher_str(&h, index_subject_name(g));
			hasher_int(&h, (long long)g->npages);
			hasher_int(&h, (long long)g->nevents);
		}
	}
	for (i = 0; i < site->npages && i < RECENT_MAX; i++) {
		hasher_int(&h, (long long)site->pages[i]->content_hash);
		hasher_int(&h, (long long)site->pages[i]->published);
	}
	for (i = 0; i < u->n; i++) {
		hasher_int(&h, (long long)u->items[i].ie->event->hash);
		hasher_int(&h, (long long)u->items[i].ie->page->content_hash);
		hasher_int(&h, (long long)u->items[i].when.start);
		hasher_int(&h, (long long)u->items[i].when.end);
	}
	return hasher_done(&h);
}

/* The zone all-day events are days of: the site's. */
static icaltimezone *
site_zone(const struct config *cfg)
{
	icaltimezone *zone = dates_zone_find(cfg->timezone);

	return zone != NULL ? zone : icaltimezone_get_utc_timezone();
}

/* Rendered when its fingerprint moves; the events it lists are chosen
 * by the clock, so it also notes when that choice changes by itself. */
static void
front_page(struct build *b)
{
	struct site_index *index = &b->cat->index;
	icaltimezone *zone = site_zone(b->cat->cfg);
	struct html_index ix;
	struct upcoming *u = xcalloc(1, sizeof *u);
	uint64_t fp;
	size_t len;
	char *body;

	upcoming_pick(u, b->cat->upcoming, index->site.events,
	    index->site.nevents, index->lasting, index->nlasting, zone, b->now);
	b->cat->upcoming_change = u->next_change;
	fp = front_fingerprint(b, u);
	if (catalog_build_reuse(b, URLS_FRONT, fp)) {
		free(u);
		return;
	}
	upcoming_walls(u, zone);
	memset(&ix, 0, sizeof ix);
	ix.site_pages = index->site.pages;
	ix.nsite_pages = index->site.npages;
	ix.nsite_events = index->site.nevents;
	ix.upcoming = u;
	ix.sections = &index->sections;
	ix.tags = &index->tags;
	ix.categories = &index->categories;
	ix.terms = &index->terms;
	if ((body = render_html_index(b->cat->cfg, &ix, &len)) != NULL)
		catalog_build_add_document(b, document_new(URLS_FRONT, TYPE_HTML,
		    body, len, b->now, fp));
	free(u);
}

time_t
catalog_upcoming_change(const struct catalog *cat)
{
	return cat->upcoming_change;
}

static double
elapsed_ms(const struct timeval *start)
{
	struct timeval end;

	gettimeofday(&end, NULL);
	return (double)(end.tv_sec - start->tv_sec) * 1000.0 +
	    (double)(end.tv_usec - start->tv_usec) / 1000.0;
}

static void
count_duration(struct catalog_stats *st)
{
	static const double limits[REBUILD_BUCKETS - 1] = {
		1, 5, 10, 50, 100, 500, 1000, 5000
	};
	size_t i;

	for (i = 0; i < nitems(limits) && st->last_ms > limits[i]; i++)
		;
	st->rebuild_buckets[i]++;
}

/* Indexes every visible page again: at start-up, after a reload, and
 * when time makes pages appear or expire. */
static void
reindex_all(struct catalog *cat, time_t now)
{
	struct site_index *ix = &cat->index;
	void *v;
	size_t i, t;

	index_free(ix);
	index_init(ix, cat->cfg->past_event_days);
	catalog_owners_free(&cat->owners);
	catalog_owners_init(&cat->owners);
	index_begin_bulk(ix);
	for (i = 0; dict_next(&cat->slots, &i, NULL, &v); ) {
		struct page *p = (struct page *)catalog_slot_page(v);

		if (p != NULL && page_visible(p, now))
			index_add(ix, p, ((struct slot *)v)->events, now);
	}
	index_end_bulk(ix);
	/* Everything is rendered; what no longer exists is withdrawn. */
	ix->site.dirty = 1;
	for (t = 0; t < INDEX_TABLES; t++)
		for (i = 0; dict_next(index_table(ix, t), &i, NULL, &v); )
			((struct subject *)v)->dirty = 1;
	cat->reindex = 0;
}

static void
reclaimed(struct page *p, void *b)
{
	page_docs(b, p);
}

static void
render_fresh_pages(struct build *b)
{
	struct site_index *ix = &b->cat->index;
	const char *path;
	struct page *p;
	size_t i;

	for (i = 0; dict_next(&ix->fresh, &i, &path, NULL); )
		if ((p = dict_get(&ix->pages, path)) != NULL)
			page_docs(b, p);
	dict_free(&ix->fresh, NULL);
	dict_init(&ix->fresh);
}

/* After a full reindex: documents no subject or page renders any more. */
static int
not_kept(const char *path, void *doc, void *docs)
{
	(void)path;
	return ((struct document *)doc)->generation !=
	    ((struct docset *)docs)->generation;
}

static void
withdraw_unrendered(struct build *b)
{
	struct dict_keys gone;
	size_t i;

	dict_keys_where(&b->docs->docs, not_kept, b->docs, &gone);
	for (i = 0; i < gone.n; i++)
		docset_remove(b->docs, gone.keys[i]);
	dict_keys_free(&gone);
}

/* The other loops get their own set: the rebuild changes `docs` in place. */
static void
publish(struct catalog *cat)
{
	struct docset *old;

	if (!cat->threaded) {
		docset_forget_changes(cat->docs);
		return;
	}
	catalog_lock(cat);
	old = cat->published;
	cat->published = docset_publish(cat->docs, old);
	catalog_unlock(cat);
	docset_unref(old);
}

void
catalog_share(struct catalog *cat)
{
	pthread_mutexattr_t attr;

	if (cat->threaded)
		return;
	/* Recursive: a rebuild holds it and publishes under it. */
	if (pthread_mutexattr_init(&attr) != 0 ||
	    pthread_mutexattr_settype(&attr, PTHREAD_MUTEX_RECURSIVE) != 0 ||
	    pthread_mutex_init(&cat->lock, &attr) != 0) {
		log_error("cannot create the catalog lock");
		abort();
	}
	pthread_mutexattr_destroy(&attr);
	cat->threaded = 1;
	publish(cat);
}

void
catalog_lock(struct catalog *cat)
{
	if (cat->threaded && pthread_mutex_lock(&cat->lock) != 0)
		abort();
}

void
catalog_unlock(struct catalog *cat)
{
	if (cat->threaded && pthread_mutex_unlock(&cat->lock) != 0)
		abort();
}

struct docset *
catalog_snapshot(struct catalog *cat)
{
	struct docset *s;

	catalog_lock(cat);
	s = docset_ref(cat->published ? cat->published : cat->docs);
	catalog_unlock(cat);
	return s;
}

/* What the files a rebuild is split into work with (catalog_build.h). */
static void
build_init(struct build *b, struct catalog *cat, time_t now)
{
	memset(b, 0, sizeof *b);
	b->cat = cat;
	b->cfg = cat->cfg;
	b->calendar_cache = cat->calendar_cache;
	b->index = &cat->index;
	b->slots = &cat->slots;
	b->threads = cat->render_threads;
	b->now = now;
	b->docs = cat->docs;
	b->config_hash = catalog_build_config_hash(cat->cfg);
	/* The settings rendered documents hold: a new copy once they
	 * change (a reload), never one changed under them. */
	if (cat->settings == NULL || cat->settings_hash != b->config_hash) {
		config_shared_unref(cat->settings);
		cat->settings = config_share(cat->cfg);
		cat->settings_hash = b->config_hash;
	}
	b->settings = cat->settings;
	b->gzip_later = cat->gzip_later;
	b->gzlater = &cat->gzlater;
	b->bodies = cat->bodies;
	b->changed_feeds = &cat->changed_feeds;
	b->memos = &cat->memos;
	b->memo_serial = &cat->memo_serial;
}

void
catalog_render(struct catalog *cat, time_t now)
{
	struct build b;
	struct dict orphans;
	struct timeval start;
	int full = cat->reindex;

	gettimeofday(&start, NULL);
	dict_keys_free(&cat->changed_feeds);
	catalog_filter_forget(&cat->filtered);
	build_init(&b, cat, now);
	if (full) {
		reindex_all(cat, now);
		b.docs->generation++;
	}
	dict_init(&orphans);
	catalog_owners_withdraw(&cat->owners, &cat->index.stale, b.docs,
	    &orphans);
	if (full)		/* an edit leaves a few: not worth the look */
		catalog_feeds_write_entries(&b);
	if (cat->index.site.dirty)
		subject_docs(&b, &cat->index.site, cat->cfg->title);
	table_docs(&b, &cat->index.sections, NULL);
	table_docs(&b, &cat->index.tags, "tag");
	table_docs(&b, &cat->index.categories, "category");
	table_docs(&b, &cat->index.terms, NULL);
	render_fresh_pages(&b);
	catalog_jobs_run(&b);
	catalog_owners_reclaim(&orphans, &cat->index.pages, b.docs, reclaimed,
	    &b);
	catalog_jobs_run(&b);
	free(b.jobs);
	dict_free(&orphans, NULL);
	front_page(&b);
	catalog_opml_doc(&b);
	if (full)
		withdraw_unrendered(&b);
	catalog_memo_drop_unused(&b);

	cat->stats.files = cat->slots.live;
	document_unref(cat->status);
	cat->status = NULL;
	cat->dirty = 0;
	publish(cat);
	cat->stats.entries = cat->index.site.npages;
	cat->stats.events = cat->index.site.nevents;
	cat->stats.rebuilds++;
	cat->stats.last_rebuild = now;
	cat->stats.last_ms = elapsed_ms(&start);
	cat->stats.total_ms += cat->stats.last_ms;
	count_duration(&cat->stats);
	cat->stats.rendered = b.rendered;
	cat->stats.documents = b.docs->docs.live;
	log_info("rebuild %lu: %zu entries, %zu events, %zu of %zu documents "
	    "rendered in %.1f ms", cat->stats.rebuilds, cat->stats.entries,
	    cat->stats.events, cat->stats.rendered, cat->stats.documents,
	    cat->stats.last_ms);
}

/* The view /status is rendered from: every slot, and the counts. */
static char *
status_body(const struct catalog *cat, const struct bodycache_stats *cache,
    size_t *len)
{
	const struct catalog_stats *st = &cat->stats;
	struct status_view v;
	struct status_file *files;
	const char *path;
	size_t i, n = 0;
	void *s;
	char *body;

	memset(&v, 0, sizeof v);
	files = xcalloc(cat->slots.live ? cat->slots.live : 1, sizeof *files);
	for (i = 0; dict_next(&cat->slots, &i, &path, &s); n++) {
		files[n].path = path;
		files[n].current = ((const struct slot *)s)->current;
		files[n].served = catalog_slot_page(s);
		files[n].changed = ((const struct slot *)s)->changed;
	}
	v.files = files;
	v.nfiles = n;
	v.counts.files = st->files;
	v.counts.entries = st->entries;
	v.counts.events = st->events;
	v.counts.errors = st->files_with_errors;
	v.counts.warnings = st->files_with_warnings;
	v.counts.documents = st->documents;
	v.counts.gzip_pending = gzlater_pending(&cat->gzlater);
	v.cache.bytes = cache->bytes;
	v.cache.budget = cache->budget;
	v.cache.pinned = cache->pinned;
	v.cache.bodies = cache->bodies;
	v.cache.evictions = cache->evictions;
	v.cache.renders = cache->renders;
	v.rebuilds.count = st->rebuilds;
	v.rebuilds.last = st->last_rebuild;
	v.rebuilds.last_ms = st->last_ms;
	v.rebuilds.total_ms = st->total_ms;
	v.rebuilds.last_rendered = st->rendered;
	v.websub = cat->websub_status;
	v.cfg = cat->cfg;
	body = render_status(&v, len);
	free(files);
	return body;
}

struct document *
catalog_status(struct catalog *cat)
{
	size_t len = 0;
	char *body;

	struct bodycache_stats cache;

	/* Rendered again while gzip bodies are being made (their count),
	 * and when the body cache holds or dropped others. */
	bodycache_stats(cat->bodies, &cache);
	cache.hits = 0;
	if (cat->status != NULL && cat->status_gzip_pending ==
	    gzlater_pending(&cat->gzlater) &&
	    memcmp(&cache, &cat->status_cache, sizeof cache) == 0)
		return cat->status;
	document_unref(cat->status);
	cat->status = NULL;
	cat->status_gzip_pending = gzlater_pending(&cat->gzlater);
	cat->status_cache = cache;
	if ((body = status_body(cat, &cache, &len)) == NULL)
		return NULL;
	cat->status = document_new(URLS_STATUS, TYPE_JSON, body, len,
	    cat->stats.last_rebuild, 0);
	return cat->status;
}

void
catalog_set_websub_status(struct catalog *cat, const char *json)
{
	char *copy = xstrdup(json);

	catalog_lock(cat);
	free(cat->websub_status);
	cat->websub_status = copy;
	document_unref(cat->status);	/* made again on the next request */
	cat->status = NULL;
	catalog_unlock(cat);
}

struct document *
catalog_filtered(struct catalog *cat, const char *path, const char *url,
    const struct filter *f, time_t now)
{
	struct document *d = catalog_filter_get(&cat->filtered, url);
	struct build b;

	if (d != NULL)
		return d;
	build_init(&b, cat, now);
	return catalog_filter_render(&b, &cat->filtered, path, url, f);
}

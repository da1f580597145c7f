/*
 * index.c -- subjects updated page by page.
 *
 * A rebuild used to regroup every page of the site, so an edit at 10 000
 * posts cost a third of a second before anything was rendered.  Here a
 * changed page is taken out of the subjects it was in and put into the
 * ones it is in now, by binary search into arrays kept sorted (posts
 * newest first, events earliest first); those subjects are marked dirty
 * and only their documents are rendered again.  A subject left with no
 * page disappears, and the paths of the documents that vanish with a page
 * or subject are noted in `stale` for the catalog to withdraw.  The
 * site's series and long events are also kept in a short list of their
 * own (`lasting`), for the front page's upcoming events (upcoming.c).
 * Posts sharing a translation key (Hugo's translations) are kept in sets
 * by that key: each shows the others, so one coming or going makes the
 * others' pages fresh and their subjects dirty, as an edit of them would.
 */
#include <stdlib.h>
#include <string.h>

#include "calendar.h"
#include "index.h"
#include "upcoming.h"
#include "urls.h"

void
index_init(struct site_index *ix, int past_event_days)
{
	memset(ix, 0, sizeof *ix);
	ix->site.key = xstrdup("");
	ix->site.prefix = urls_subject_prefix(URLS_SITE, "");
	ix->site.kind = "site";
	index_archives_unseen(&ix->site);
	dict_init(&ix->sections);
	dict_init(&ix->tags);
	dict_init(&ix->categories);
	dict_init(&ix->terms);
	dict_init(&ix->pages);
	dict_init(&ix->translations);
	dict_init(&ix->stale);
	dict_init(&ix->fresh);
	ix->past_event_days = past_event_days;
}

static void
subject_clear(struct subject *g)
{
	free(g->key);
	free(g->lang);
	free(g->name);
	free(g->description);
	free(g->prefix);
	free(g->pages);
	free(g->events);
	free(g->changes);
}

static void
subject_free(void *v)
{
	subject_clear(v);
	free(v);
}

static void
translation_set_free(void *v)
{
	struct translation_set *t = v;

	free(t->pages);
	free(t);
}

void
index_free(struct site_index *ix)
{
	subject_clear(&ix->site);
	dict_free(&ix->sections, subject_free);
	dict_free(&ix->tags, subject_free);
	dict_free(&ix->categories, subject_free);
	dict_free(&ix->terms, subject_free);
	dict_free(&ix->pages, NULL);
	dict_free(&ix->translations, translation_set_free);
	dict_free(&ix->stale, free);
	dict_free(&ix->fresh, NULL);
	free(ix->lasting);
}

struct dict *
index_table(struct site_index *ix, size_t i)
{
	return i == 0 ? &ix->sections : i == 1 ? &ix->tags : i == 2 ?
	    &ix->categories : &ix->terms;
}

static struct subject *subject_get(struct dict *, const char *,
	    enum urls_subject, const char *);

/* A section's subject, under the prefix its first page gives (a Hugo
 * site's: as Hugo makes the section's URL), else crier's own. */
static struct subject *
section_get(struct dict *d, const char *key, enum urls_subject url_kind,
    const struct page *p)
{
	struct subject *g = dict_get(d, key);

	if (g != NULL)
		return g;
	g = subject_get(d, key, url_kind, "section");
	if (p->section_prefix != NULL) {
		free(g->prefix);
		g->prefix = xstrdup(p->section_prefix);
	}
	return g;
}

static struct subject *
subject_get(struct dict *d, const char *key, enum urls_subject url_kind,
    const char *kind)
{
	struct subject *g = dict_get(d, key);

	if (g != NULL)
		return g;
	g = xcalloc(1, sizeof *g);
	index_archives_unseen(g);
	g->key = xstrdup(key);
	g->name = xstrdup(key);
	g->kind = kind;
	g->prefix = urls_subject_prefix(url_kind, key);
	dict_set(d, key, g);
	return g;
}

/* Logs an insertion at, or removal from, events[pos]. */
static void
log_change(struct subject *g, size_t pos, int inserted)
{
	if (g->changes_lost)
		return;
	if (g->nchanges == SUBJECT_CHANGES_MAX) {
		free(g->changes);
		g->changes = NULL;
		g->nchanges = 0;
		g->changes_lost = 1;
		return;
	}
	g->changes = xreallocarray(g->changes, g->nchanges + 1,
	    sizeof *g->changes);
	g->changes[g->nchanges].pos = (uint32_t)pos;
	g->changes[g->nchanges++].inserted = inserted != 0;
}

void
index_changes_seen(struct subject *g, uint64_t serial)
{
	free(g->changes);
	g->changes = NULL;
	g->nchanges = 0;
	g->changes_lost = 0;
	g->memo_serial = serial;
}

/*
 * An array of n elements with room for one more: grown by half again, so
 * that an edit (its page's events taken out, then put back one by one)
 * does not realloc the site's 24 000 events per event put back -- which
 * copied them, at 10 000 posts, more often than not.
 */
static void *
room_for_one(void *v, size_t n, size_t *room, size_t size)
{
	if (n < *room)
		return v;
	*room = n < 16 ? 16 : n + n / 2;
	return xreallocarray(v, *room, size);
}

static int
newer(const struct page *p, const struct page *q)
{
	if (p->published != q->published)
		return p->published > q->published;
	return strcmp(p->path, q->path) < 0;
}

/* --- what feed history must look at again (catalog_feeds.c) -------- */

static void
archive_touch(struct subject *g, size_t place)
{
	size_t i;

	for (i = 0; i < g->archive_ntouched; i++)
		if (g->archive_touched[i] == place)
			return;
	if (g->archive_ntouched == ARCHIVE_TOUCHED_MAX)
		g->archive_moved = 1;
	else
		g->archive_touched[g->archive_ntouched++] = place;
}

/* The post at place (from the oldest) leaves. */
static void
archive_note_removed(struct subject *g, size_t place)
{
	if (g->archive_removed != SIZE_MAX)
		g->archive_moved = 1;
	g->archive_removed = place;
}

/* A post arrives at place (from the oldest): where one just left, it is
 * that one replaced; anywhere else every newer post moves. */
static void
archive_note_inserted(struct subject *g, size_t place)
{
	if (g->archive_removed == place)
		archive_touch(g, place);
	else
		g->archive_moved = 1;
	g->archive_removed = SIZE_MAX;
}

void
index_archives_unseen(struct subject *g)
{
	g->archive_clean = 0;
	g->archive_ntouched = 0;
	g->archive_removed = SIZE_MAX;
	g->archive_moved = 1;
}

void
index_archives_seen(struct subject *g)
{
	g->archive_clean = g->npages;
	g->archive_ntouched = 0;
	g->archive_removed = SIZE_MAX;
	g->archive_moved = 0;
}

static void
subject_add_page(struct subject *g, struct page *p)
{
	size_t lo = 0, hi = g->npages, mid;

	if (g->npages > 0 && g->pages[0] == p)
		return;		/* a tag written twice on one page */
	while (lo < hi) {
		mid = (lo + hi) / 2;
		if (g->pages[mid] == p)
			return;
		if (newer(g->pages[mid], p))
			lo = mid + 1;
		else
			hi = mid;
	}
	/* Counted from the oldest, the posts before it stay in place. */
	if (g->npages - lo < g->archive_clean)
		g->archive_clean = g->npages - lo;
	archive_note_inserted(g, g->npages - lo);
	g->pages = room_for_one(g->pages, g->npages, &g->pages_room,
	    sizeof *g->pages);
	memmove(g->pages + lo + 1, g->pages + lo,
	    (g->npages - lo) * sizeof *g->pages);
	g->pages[lo] = p;
	g->npages++;
	g->dirty = 1;
}

/* Earliest first; a UID written twice (on two pages, or twice on one)
 * is ordered by page path and place, so that the order never depends on
 * which page came first. */
static int
event_order(const struct ical_event *a, const struct ical_event *b)
{
	const struct event *x = a->event, *y = b->event;
	int c;

	if (x->start_utc != y->start_utc)
		return x->start_utc < y->start_utc ? -1 : 1;
	if ((c = strcmp(x->uid, y->uid)) != 0)
		return c;
	if (a->page != b->page)
		return strcmp(a->page->path, b->page->path);
	return x < y ? -1 : x > y;
}

void
index_event_at(struct ical_event *ie, const struct page *p,
    const struct ical_event *events, size_t k)
{
	if (events != NULL) {
		*ie = events[k];
		return;
	}
	ie->event = &p->events[k];
	ie->page = p;
	ie->sequence = p->events[k].sequence;
	ie->last_modified = p->events[k].modified;
}

static void
subject_add_event(struct subject *g, const struct ical_event *ie)
{
	size_t lo = 0, hi = g->nevents, mid;
	int c;

	while (lo < hi) {
		mid = (lo + hi) / 2;
		if ((c = event_order(&g->events[mid], ie)) == 0)
			return;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	g->events = room_for_one(g->events, g->nevents, &g->events_room,
	    sizeof *g->events);
	memmove(g->events + lo + 1, g->events + lo,
	    (g->nevents - lo) * sizeof *g->events);
	g->events[lo] = *ie;
	g->nevents++;
	g->dirty = 1;
	log_change(g, lo, 1);
}

static int
event_kept(const struct site_index *ix, const struct event *e, time_t now)
{
	return ix->past_event_days == 0 || e->rrule != NULL ||
	    e->end_utc >= now - (time_t)ix->past_event_days * 86400;
}

/* In bulk (index_sort follows): appended, sorted once at the end. */
static void
subject_append(struct subject *g, struct page *p,
    const struct ical_event *ie)
{
	if (ie == NULL) {
		g->pages = room_for_one(g->pages, g->npages, &g->pages_room,
		    sizeof *g->pages);
		g->pages[g->npages++] = p;
	} else {
		g->events = room_for_one(g->events, g->nevents, &g->events_room,
		    sizeof *g->events);
		g->events[g->nevents++] = *ie;
	}
}

/* A series or long event of the site enters `lasting` (once: a page is
 * in the site's subject once, and in bulk nothing is there before). */
static void
lasting_add(struct site_index *ix, const struct ical_event *ie)
{
	size_t i;

	for (i = 0; !ix->bulk && i < ix->nlasting; i++)
		if (ix->lasting[i].event == ie->event)
			return;
	ix->lasting = xreallocarray(ix->lasting, ix->nlasting + 1,
	    sizeof *ix->lasting);
	ix->lasting[ix->nlasting++] = *ie;
}

static void
lasting_drop(struct site_index *ix, const struct page *p)
{
	size_t i, k;

	for (i = k = 0; i < ix->nlasting; i++)
		if (ix->lasting[i].page != p)
			ix->lasting[k++] = ix->lasting[i];
	ix->nlasting = k;
}

static void
subject_add(struct site_index *ix, struct subject *g, struct page *p,
    const struct ical_event *events, time_t now)
{
	struct ical_event ie;
	size_t k;

	if (p->kind == PAGE_POST) {
		if (ix->bulk)
			subject_append(g, p, NULL);
		else
			subject_add_page(g, p);
	}
	for (k = 0; k < p->nevents; k++) {
		if (!event_kept(ix, &p->events[k], now))
			continue;
		index_event_at(&ie, p, events, k);
		if (g == &ix->site && upcoming_lasting(&p->events[k]))
			lasting_add(ix, &ie);
		if (ix->bulk)
			subject_append(g, p, &ie);
		else
			subject_add_event(g, &ie);
	}
	g->dirty = 1;
}

static int
pages_newest_first(const void *a, const void *b)
{
	struct page *const *p = a, *const *q = b;

	if (*p == *q)
		return 0;
	return newer(*p, *q) ? -1 : 1;
}

static int
events_earliest_first(const void *a, const void *b)
{
	return event_order(a, b);
}

/* Sorts a subject filled in bulk and drops what was added twice (a tag
 * written twice on a page): equal entries sort next to each other. */
static void
subject_sort(struct subject *g)
{
	size_t i, k;

	util_sort(g->pages, g->npages, sizeof *g->pages, pages_newest_first);
	g->archive_clean = 0;
	g->archive_moved = 1;
	for (i = k = 0; i < g->npages; i++)
		if (k == 0 || g->pages[k - 1] != g->pages[i])
			g->pages[k++] = g->pages[i];
	g->npages = k;
	util_sort(g->events, g->nevents, sizeof *g->events, events_earliest_first);
	for (i = k = 0; i < g->nevents; i++)
		if (k == 0 || g->events[k - 1].event != g->events[i].event)
			g->events[k++] = g->events[i];
	g->nevents = k;
}

void
index_begin_bulk(struct site_index *ix)
{
	ix->bulk = 1;
}

void
index_end_bulk(struct site_index *ix)
{
	size_t i, t;
	void *v;

	subject_sort(&ix->site);
	for (t = 0; t < INDEX_TABLES; t++)
		for (i = 0; dict_next(index_table(ix, t), &i, NULL, &v); )
			subject_sort(v);
	ix->bulk = 0;
}

/* A page's terms, list by list: tags, categories, other taxonomies'. */
enum term_list { TERMS_TAGS, TERMS_CATEGORIES, TERMS_OTHER, TERM_LISTS };

static const char *const term_kinds[TERM_LISTS] = { "tag", "category",
	"term" };

static size_t
term_count(const struct page *p, enum term_list l)
{
	return l == TERMS_TAGS ? p->ntags : l == TERMS_CATEGORIES ?
	    p->ncategories : p->nterms;
}

static const char *
term_name(const struct page *p, enum term_list l, size_t i)
{
	return l == TERMS_TAGS ? p->tags[i] : l == TERMS_CATEGORIES ?
	    p->categories[i] : p->terms[i];
}

/*
 * The key of term i of list l of p in its table (term_table): a tag's
 * or category's slug; another taxonomy's "series/slug".  A page of a
 * language under its own prefix has its language's terms, as Hugo
 * publishes /zh/tags/slug/: "zh/tags/slug", "zh/series/slug".
 */
static char *
term_key(const struct page *p, enum term_list l, size_t i)
{
	static const char *const roots[] = { "tags", "categories" };
	const char *root = l == TERMS_OTHER ? p->term_taxonomies[i] : roots[l];
	char *slug = urls_slug(term_name(p, l, i)), *key;

	if (p->lang_dir != NULL)
		key = xasprintf("%s/%s/%s", p->lang_dir, root, slug);
	else if (l == TERMS_OTHER)
		key = xasprintf("%s/%s", root, slug);
	else
		return slug;
	free(slug);
	return key;
}

static struct dict *
term_table(struct site_index *ix, const struct page *p, enum term_list l)
{
	if (p->lang_dir != NULL || l == TERMS_OTHER)
		return &ix->terms;
	return l == TERMS_TAGS ? &ix->tags : &ix->categories;
}

static void
add_to_terms(struct site_index *ix, struct page *p,
    const struct ical_event *events, time_t now)
{
	static const enum urls_subject urls[] = { URLS_TAG, URLS_CATEGORY,
		URLS_TERM };
	struct subject *g;
	struct dict *d;
	enum term_list l;
	size_t i;
	char *key;

	for (l = 0; l < TERM_LISTS; l++) {
		d = term_table(ix, p, l);
		for (i = 0; i < term_count(p, l); i++) {
			key = term_key(p, l, i);
			if ((g = dict_get(d, key)) == NULL) {
				g = subject_get(d, key, d == &ix->terms ?
				    URLS_TERM : urls[l], term_kinds[l]);
				if (p->lang_dir != NULL)
					g->lang = xstrdup(p->lang_key);
			}
			subject_add(ix, g, p, events, now);
			free(key);
		}
	}
}

static void
set_section_index(struct subject *sec, const struct page *p)
{
	free(sec->name);
	free(sec->description);
	sec->name = xstrdup(p != NULL ? p->title : sec->key);
	sec->description = p != NULL && p->description != NULL ?
	    xstrdup(p->description) : NULL;
	sec->has_index = p != NULL;
	sec->dirty = 1;
}

/* SECTION/_index.md: the one file that names a section -- or its
 * language's, _index.zh.md, on a site whose languages have zh; on one
 * without, _index.zh.md is a branch but does not name the section, or
 * two files would (and removing either would unname it). */
static int
names_section(const struct page *p)
{
	const char *slash = strchr(p->path, '/');

	if (p->kind != PAGE_SECTION_INDEX || slash == NULL ||
	    strchr(slash + 1, '/') != NULL)
		return 0;
	return p->lang_key != NULL || strcmp(slash + 1, "_index.md") == 0 ||
	    strcmp(slash + 1, "_index.markdown") == 0 ||
	    strcmp(slash + 1, "_index.mdown") == 0;
}

/*
 * A page of a language under its own prefix (Hugo's /zh/): its site and
 * section subjects are that language's, in the terms table keyed "zh"
 * and "zh/posts", so that their documents are /zh/feed.atom and
 * /zh/posts/feed.atom.  create: make them when missing.
 */
static void
language_subjects(struct site_index *ix, const struct page *p, int create,
    struct subject **site, struct subject **sec)
{
	char *key;

	*site = dict_get(&ix->terms, p->lang_dir);
	if (*site == NULL && create) {
		*site = subject_get(&ix->terms, p->lang_dir, URLS_TERM,
		    "language");
		(*site)->lang = xstrdup(p->lang_key);
	}
	*sec = NULL;
	if (p->section[0] == '\0')
		return;
	key = xasprintf("%s/%s", p->lang_dir, p->section);
	*sec = dict_get(&ix->terms, key);
	if (*sec == NULL && create) {
		*sec = section_get(&ix->terms, key, URLS_TERM, p);
		(*sec)->lang = xstrdup(p->lang_key);
	}
	free(key);
}

/* --- translations ------------------------------------------------- */

static int
translated(const struct page *p)
{
	return p->kind == PAGE_POST && p->translation_key != NULL &&
	    p->lang_key != NULL;
}

static int
translation_before(const struct page *p, const struct page *q)
{
	int c = strcmp(p->lang_key, q->lang_key);

	return c != 0 ? c < 0 : strcmp(p->path, q->path) < 0;
}

static void
translation_set_rehash(struct translation_set *t)
{
	struct hasher h;
	size_t i;

	hasher_init(&h);
	for (i = 0; i < t->n; i++) {
		hasher_str(&h, t->pages[i]->path);
		hasher_str(&h, t->pages[i]->lang_key);
		hasher_str(&h, t->pages[i]->lang);
		hasher_str(&h, t->pages[i]->permalink);
	}
	t->hash = hasher_done(&h) | 1;	/* 0 means "none" */
}

/* Where q is among g's posts (newest first); g->npages when absent. */
static size_t
subject_find_page(const struct subject *g, const struct page *q)
{
	size_t lo = 0, hi = g->npages, mid;

	while (lo < hi) {
		mid = (lo + hi) / 2;
		if (g->pages[mid] == q)
			return mid;
		if (newer(g->pages[mid], q))
			lo = mid + 1;
		else
			hi = mid;
	}
	return g->npages;
}

/* q's entry in g changed, as after an edit: g's feeds and the archive
 * page holding it are rendered again. */
static void
subject_touch_page(struct subject *g, const struct page *q)
{
	size_t i;

	if (g == NULL || (i = subject_find_page(g, q)) == g->npages)
		return;
	if (g->npages - 1 - i < g->archive_clean)
		g->archive_clean = g->npages - 1 - i;
	archive_touch(g, g->npages - 1 - i);
	g->dirty = 1;
}

static void
touch_terms(struct site_index *ix, const struct page *q)
{
	enum term_list l;
	size_t i;
	char *key;

	for (l = 0; l < TERM_LISTS; l++)
		for (i = 0; i < term_count(q, l); i++) {
			key = term_key(q, l, i);
			subject_touch_page(dict_get(term_table(ix, q, l), key),
			    q);
			free(key);
		}
}

/* What q shows of its translations changed: its page is rendered again,
 * and the feeds showing its entry. */
static void
touch_translation(struct site_index *ix, const struct page *q)
{
	struct subject *site = &ix->site, *sec = NULL;

	dict_set(&ix->fresh, q->path, (void *)1);
	if (q->lang_dir != NULL)
		language_subjects(ix, q, 0, &site, &sec);
	else if (q->section[0] != '\0')
		sec = dict_get(&ix->sections, q->section);
	subject_touch_page(site, q);
	subject_touch_page(sec, q);
	touch_terms(ix, q);
}

static void
touch_translations(struct site_index *ix, const struct translation_set *t,
    const struct page *p)
{
	size_t i;

	if (ix->bulk)		/* everything is rendered anyway */
		return;
	for (i = 0; i < t->n; i++)
		if (t->pages[i] != p)
			touch_translation(ix, t->pages[i]);
}

static void
translations_add(struct site_index *ix, struct page *p)
{
	struct translation_set *t;
	size_t i;

	if (!translated(p))
		return;
	if ((t = dict_get(&ix->translations, p->translation_key)) == NULL) {
		t = xcalloc(1, sizeof *t);
		dict_set(&ix->translations, p->translation_key, t);
	}
	for (i = 0; i < t->n && translation_before(t->pages[i], p); i++)
		;
	if (i < t->n && t->pages[i] == p)
		return;
	t->pages = xreallocarray(t->pages, t->n + 1, sizeof *t->pages);
	memmove(t->pages + i + 1, t->pages + i,
	    (t->n - i) * sizeof *t->pages);
	t->pages[i] = p;
	t->n++;
	translation_set_rehash(t);
	touch_translations(ix, t, p);
}

static void
translations_drop(struct site_index *ix, const struct page *p)
{
	struct translation_set *t;
	size_t i, k;

	if (!translated(p) ||
	    (t = dict_get(&ix->translations, p->translation_key)) == NULL)
		return;
	for (i = k = 0; i < t->n; i++)
		if (t->pages[i] != p)
			t->pages[k++] = t->pages[i];
	if (k == t->n)
		return;
	t->n = k;
	if (t->n == 0) {
		translation_set_free(dict_remove(&ix->translations,
		    p->translation_key));
		return;
	}
	translation_set_rehash(t);
	touch_translations(ix, t, p);
}

size_t
index_translations(const struct site_index *ix, const struct page *p,
    struct page ***out)
{
	const struct translation_set *t;
	struct page *q;
	size_t i, n = 0;

	*out = NULL;
	if (!translated(p) || (t = dict_get(&ix->translations,
	    p->translation_key)) == NULL || t->n < 2)
		return 0;
	*out = xreallocarray(NULL, t->n, sizeof **out);
	for (i = 0; i < t->n; i++) {
		q = t->pages[i];
		/* One per language: the first by path. */
		if (strcmp(q->lang_key, p->lang_key) == 0 || (n > 0 &&
		    strcmp((*out)[n - 1]->lang_key, q->lang_key) == 0))
			continue;
		(*out)[n++] = q;
	}
	if (n == 0) {
		free(*out);
		*out = NULL;
	}
	return n;
}

uint64_t
index_translations_hash(const struct site_index *ix, const struct page *p)
{
	const struct translation_set *t;

	if (!translated(p) || (t = dict_get(&ix->translations,
	    p->translation_key)) == NULL || t->n < 2)
		return 0;
	return t->hash;
}

void
index_add(struct site_index *ix, struct page *p,
    const struct ical_event *events, time_t now)
{
	struct subject *sec = NULL, *site = &ix->site;

	dict_set(&ix->pages, p->path, p);
	dict_set(&ix->fresh, p->path, (void *)1);
	translations_add(ix, p);
	/* Hugo's `list: never`: its own page is published, no list has it. */
	if (p->list_never && p->kind != PAGE_SECTION_INDEX)
		return;
	if (p->lang_dir != NULL)
		language_subjects(ix, p, 1, &site, &sec);
	else if (p->section[0] != '\0')
		sec = section_get(&ix->sections, p->section, URLS_SECTION, p);
	if (p->kind == PAGE_SECTION_INDEX) {
		if (sec != NULL && names_section(p))
			set_section_index(sec, p);
		return;
	}
	/* Hugo's `list: local`: in its section's and terms' lists only. */
	if (!p->list_local)
		subject_add(ix, site, p, events, now);
	if (sec != NULL)
		subject_add(ix, sec, p, events, now);
	add_to_terms(ix, p, events, now);
}

/* owner: the page path whose document it was, NULL for a subject's. */
static void
note_stale(struct site_index *ix, const char *path, const char *owner)
{
	free(dict_set(&ix->stale, path, owner ? xstrdup(owner) : NULL));
}

static void
note_subject_stale(struct site_index *ix, const struct subject *g)
{
	struct buf path;
	size_t k;
	int doc;

	buf_init(&path);
	for (doc = 0; doc < URLS_DOCS; doc++) {
		buf_reset(&path);
		urls_subject_doc(&path, g->prefix, doc);
		note_stale(ix, path.data, NULL);
	}
	for (k = 1; k <= g->archive_pages; k++)
		for (doc = URLS_ATOM; doc <= URLS_RSS; doc++) {
			buf_reset(&path);
			urls_archive_doc(&path, g->prefix, doc, k);
			note_stale(ix, path.data, NULL);
		}
	buf_free(&path);
}

static void
subject_drop_page(struct subject *g, const struct page *p)
{
	size_t i, k;

	for (i = k = 0; i < g->npages; i++)
		if (g->pages[i] != p)
			g->pages[k++] = g->pages[i];
		else {
			if (g->npages - 1 - i < g->archive_clean)
				g->archive_clean = g->npages - 1 - i;
			archive_note_removed(g, g->npages - 1 - i);
		}
	if (k != g->npages)
		g->dirty = 1;
	g->npages = k;
	for (i = k = 0; i < g->nevents; i++)
		if (g->events[i].page != p)
			g->events[k++] = g->events[i];
		else
			log_change(g, k, 0);	/* as if removed in turn */
	if (k != g->nevents)
		g->dirty = 1;
	g->nevents = k;
}

/* Drops the page from the subjects of its terms; empty subjects go. */
static void
drop_from_terms(struct site_index *ix, const struct page *p)
{
	struct subject *g;
	struct dict *d;
	enum term_list l;
	size_t i;
	char *key;

	for (l = 0; l < TERM_LISTS; l++) {
		d = term_table(ix, p, l);
		for (i = 0; i < term_count(p, l); i++) {
			key = term_key(p, l, i);
			if ((g = dict_get(d, key)) != NULL) {
				subject_drop_page(g, p);
				if (g->npages == 0 && g->nevents == 0 &&
				    !g->has_index) {
					note_subject_stale(ix, g);
					subject_free(dict_remove(d, key));
				}
			}
			free(key);
		}
	}
}

/* A bundle's files (a leaf's or a branch's), as catalog.c serves them. */
static void
note_resources_stale(struct site_index *ix, const struct page *p)
{
	char *path;
	size_t i;

	for (i = 0; p->url_path != NULL && i < p->nresources; i++)
		if ((path = urls_resource(p->url_path, p->resources[i])) !=
		    NULL) {
			note_stale(ix, path, p->path);
			free(path);
		}
}

static void
note_page_docs_stale(struct site_index *ix, const struct page *p)
{
	struct buf path;
	char *alias, *twin;
	size_t i;

	if (p->url_path != NULL)
		note_stale(ix, p->url_path, p->path);
	for (i = 0; i < p->naliases; i++) {
		if ((alias = urls_alias(p->aliases[i], &twin)) != NULL) {
			note_stale(ix, alias, p->path);
			note_stale(ix, twin, p->path);
		}
		free(alias);
		free(twin);
	}
	buf_init(&path);
	for (i = 0; i < p->nevents; i++) {
		buf_reset(&path);
		urls_event_ics(&path, p->events[i].uid);
		note_stale(ix, path.data, p->path);
	}
	buf_free(&path);
}

/* Drops the page from its language's site subject; an empty one goes. */
static void
drop_language_page(struct site_index *ix, struct subject *site,
    const struct page *p)
{
	char *key;

	if (site == NULL)
		return;
	subject_drop_page(site, p);
	if (site->npages != 0 || site->nevents != 0)
		return;
	note_subject_stale(ix, site);
	key = xstrdup(site->key);
	subject_free(dict_remove(&ix->terms, key));
	free(key);
}

void
index_remove(struct site_index *ix, struct page *p)
{
	struct subject *sec = NULL, *site = &ix->site;
	struct dict *secs = &ix->sections;
	char *section;

	if (dict_get(&ix->pages, p->path) != p)
		return;
	dict_remove(&ix->pages, p->path);
	translations_drop(ix, p);
	if (p->kind != PAGE_SECTION_INDEX)
		note_page_docs_stale(ix, p);
	note_resources_stale(ix, p);
	lasting_drop(ix, p);
	if (p->lang_dir != NULL) {
		language_subjects(ix, p, 0, &site, &sec);
		secs = &ix->terms;
		drop_language_page(ix, site, p);
	} else {
		subject_drop_page(site, p);
		if (p->section[0] != '\0')
			sec = dict_get(&ix->sections, p->section);
	}
	if (sec != NULL && names_section(p))
		set_section_index(sec, NULL);
	else if (sec != NULL)
		subject_drop_page(sec, p);
	if (sec != NULL && sec->npages == 0 && sec->nevents == 0 &&
	    !sec->has_index) {
		note_subject_stale(ix, sec);
		section = xstrdup(sec->key);
		subject_free(dict_remove(secs, section));
		free(section);
	}
	drop_from_terms(ix, p);
}

const char *
index_subject_name(const struct subject *g)
{
	const struct page *p;
	enum term_list l;
	size_t i;
	char *key;
	int same;

	if (g->has_index || g->npages == 0)
		return g->name;
	for (l = 0; l < TERM_LISTS && strcmp(g->kind, term_kinds[l]) != 0; l++)
		;
	if (l == TERM_LISTS)		/* a section's, a language's */
		return g->name;
	p = g->pages[0];
	for (i = 0; i < term_count(p, l); i++) {
		key = term_key(p, l, i);
		same = strcmp(key, g->key) == 0;
		free(key);
		if (same)
			return term_name(p, l, i);
	}
	return g->name;
}

/*
 * test_index.c -- the subject index kept up to date page by page: order,
 * dirty marks, subjects that appear and vanish, and the document paths a
 * removed page leaves to withdraw.
 */
#include <stdlib.h>
#include <string.h>

#include "fixture.h"
#include "site_fixture.h"

#include "buf.h"
#include "index.h"
#include "page.h"
#include "util.h"

static struct page *
make(const char *path, const char *date, const char *tags, const char *extra)
{
	char *text = xasprintf("---\ntitle: %s\ndate: %s\ntags: [%s]\n%s---\n"
	    "Body.\n", path, date, tags, extra);
	struct page *p = page_parse(&cfg, path, text, strlen(text));

	free(text);
	assert_true(p->ok);
	return p;
}

/* Is a path noted (subject documents are noted with a NULL owner)? */
static int
noted(const struct site_index *ix, const char *prefix)
{
	const char *k;
	size_t i;

	for (i = 0; dict_next(&ix->stale, &i, &k, NULL); )
		if (str_has_prefix(k, prefix))
			return 1;
	return 0;
}

static void
clear_dirty(struct site_index *ix)
{
	const char *k;
	void *v;
	size_t i, t;

	ix->site.dirty = 0;
	for (t = 0; t < INDEX_TABLES; t++)
		for (i = 0; dict_next(index_table(ix, t), &i, &k, &v); )
			((struct subject *)v)->dirty = 0;
	dict_free(&ix->stale, free);
	dict_init(&ix->stale);
}

static void
order_and_dirty(void **state)
{
	struct site_index ix;
	struct page *a = make("news/a.md", "2026-01-01", "Rust", "");
	struct page *b = make("news/b.md", "2026-03-01", "rust, Go", "");
	struct page *c = make("talks/c.md", "2026-02-01", "Go", "");
	struct subject *rust, *go;

	(void)state;
	index_init(&ix, 0);
	index_add(&ix, a, NULL, 0);
	index_add(&ix, c, NULL, 0);
	index_add(&ix, b, NULL, 0);
	assert_int_equal(ix.site.npages, 3);
	assert_ptr_equal(ix.site.pages[0], b);	/* newest first */
	assert_ptr_equal(ix.site.pages[1], c);
	assert_ptr_equal(ix.site.pages[2], a);
	rust = dict_get(&ix.tags, "rust");
	go = dict_get(&ix.tags, "go");
	assert_non_null(rust);
	assert_int_equal(rust->npages, 2);	/* "Rust" and "rust": one tag */
	/* The newest's spelling. */
	assert_string_equal(index_subject_name(rust), "rust");
	assert_int_equal(go->npages, 2);
	assert_int_equal(((struct subject *)dict_get(&ix.sections,
	    "news"))->npages, 2);

	clear_dirty(&ix);
	index_remove(&ix, c);
	assert_true(ix.site.dirty);
	assert_true(go->dirty);
	assert_false(rust->dirty);		/* untouched subjects stay */
	assert_null(dict_get(&ix.sections, "talks"));	/* emptied: gone */
	assert_true(noted(&ix, "/talks/feed.atom"));
	assert_true(noted(&ix, "/talks/calendar.ics"));
	assert_true(noted(&ix, "/talks/c/"));
	assert_string_equal(dict_get(&ix.stale, "/talks/c/"), "talks/c.md");
	assert_false(noted(&ix, "/news/"));

	index_remove(&ix, c);			/* not indexed: a no-op */
	index_free(&ix);
	page_free(a);
	page_free(b);
	page_free(c);
}

static void
events_sorted_and_window(void **state)
{
	struct site_index ix;
	struct page *p = make("e/x.md", "2026-01-01", "t",
	    "events:\n"
	    "  - title: Late\n    start: 2026-06-01T10:00\n"
	    "  - title: Early\n    start: 2026-05-01T10:00\n"
	    "  - title: Old\n    start: 2020-01-01T10:00\n");
	time_t now = dates_timegm_utc(2026, 1, 15, 0, 0, 0);

	(void)state;
	index_init(&ix, 30);			/* past_event_days = 30 */
	index_add(&ix, p, NULL, now);
	assert_int_equal(ix.site.nevents, 2);	/* "Old" aged out */
	assert_string_equal(ix.site.events[0].event->title, "Early");
	assert_string_equal(ix.site.events[1].event->title, "Late");
	index_remove(&ix, p);
	assert_int_equal(ix.site.nevents, 0);
	assert_true(noted(&ix, "/events/"));
	index_free(&ix);
	page_free(p);
}

static void
section_index_names_section(void **state)
{
	struct site_index ix;
	struct page *idx, *nested, *post;
	struct subject *sec;
	const char *t = "---\ntitle: Talks and more\n---\n";
	const char *n = "---\ntitle: Nested\n---\n";

	(void)state;
	idx = page_parse(&cfg, "talks/_index.md", t, strlen(t));
	nested = page_parse(&cfg, "talks/2026/_index.md", n, strlen(n));
	post = make("talks/2026/one.md", "2026-01-01", "x", "");
	index_init(&ix, 0);
	index_add(&ix, post, NULL, 0);
	index_add(&ix, idx, NULL, 0);
	index_add(&ix, nested, NULL, 0);
	sec = dict_get(&ix.sections, "talks");
	assert_string_equal(index_subject_name(sec), "Talks and more");
	assert_int_equal(sec->npages, 1);
	index_remove(&ix, nested);
	assert_string_equal(index_subject_name(sec), "Talks and more");
	index_remove(&ix, idx);
	assert_string_equal(index_subject_name(sec), "talks");
	index_free(&ix);
	page_free(idx);
	page_free(nested);
	page_free(post);
}

static void
assert_same_subject(const struct subject *a, const struct subject *b)
{
	size_t i;

	assert_int_equal(a->npages, b->npages);
	for (i = 0; i < a->npages; i++)
		assert_ptr_equal(a->pages[i], b->pages[i]);
	assert_int_equal(a->nevents, b->nevents);
	for (i = 0; i < a->nevents; i++) {
		assert_ptr_equal(a->events[i].event, b->events[i].event);
		assert_ptr_equal(a->events[i].page, b->events[i].page);
	}
}

/* Indexing in bulk (a reindex) gives the arrays adding page by page
 * gives, in any order: ties (one UID on two pages, at one time) and a
 * tag written twice included. */
static void
bulk_equals_one_by_one(void **state)
{
	const char *ev = "events:\n  - title: A\n    uid: same@x\n"
	    "    start: \"2026-05-01T10:00\"\n  - title: B\n"
	    "    start: \"2026-04-01T10:00\"\n";
	struct page *p[4];
	struct site_index one, bulk;
	size_t i, t;
	const char *key;
	void *v;

	(void)state;
	p[0] = make("news/a.md", "2026-01-01", "Rust, rust", ev);
	p[1] = make("news/b.md", "2026-03-01", "Go", ev);
	p[2] = make("talks/c.md", "2026-03-01", "Go, Rust", ev);
	p[3] = make("talks/d.md", "2025-03-01", "Zig", "");
	index_init(&one, 0);
	for (i = 4; i-- > 0; )		/* one order ... */
		index_add(&one, p[i], NULL, 0);
	index_init(&bulk, 0);
	index_begin_bulk(&bulk);
	for (i = 0; i < 4; i++)		/* ... and the other */
		index_add(&bulk, p[i], NULL, 0);
	index_end_bulk(&bulk);
	assert_int_equal(one.site.nevents, 6);
	assert_same_subject(&one.site, &bulk.site);
	for (t = 0; t < INDEX_TABLES; t++) {
		assert_int_equal(index_table(&one, t)->live,
		    index_table(&bulk, t)->live);
		for (i = 0; dict_next(index_table(&one, t), &i, &key, &v); )
			assert_same_subject(v, dict_get(index_table(&bulk, t),
			    key));
	}
	assert_int_equal(((struct subject *)dict_get(&bulk.tags,
	    "rust"))->npages, 2);
	index_free(&one);
	index_free(&bulk);
	for (i = 0; i < 4; i++)
		page_free(p[i]);
}

/* Every subject of two indexes holds the same entries in the same order. */
static void
assert_same_index(const struct site_index *a, const struct site_index *b)
{
	size_t i, t;
	const char *key;
	void *v;

	assert_same_subject(&a->site, &b->site);
	for (t = 0; t < INDEX_TABLES; t++) {
		assert_int_equal(index_table((struct site_index *)a, t)->live,
		    index_table((struct site_index *)b, t)->live);
		for (i = 0; dict_next(index_table((struct site_index *)a, t),
		    &i, &key, &v); ) {
			const struct subject *w = dict_get(index_table(
			    (struct site_index *)b, t), key);

			assert_non_null(w);
			assert_same_subject(v, w);
		}
	}
}

/*
 * Pages taken out and put back at random, 400 times: after each step the
 * index is the one built in bulk from the pages in it.  Ties everywhere
 * (one date for many posts, one UID and one start on several pages, a
 * UID twice on one page, a tag written twice), and an event aged out by
 * past_event_days, so that a removal that finds its entries by search
 * (index.c's subject_drop_sorted) must find exactly the ones there.
 */
#define CHURN_PAGES 24
static void
churn_equals_bulk(void **state)
{
	static const char *tags[] = { "go", "rust", "zig", "go, go", "rust, zig" };
	static const char *starts[] = { "2026-05-01T10:00", "2026-05-01T10:00",
	    "2026-06-01T18:30", "2019-01-01T10:00" };
	struct page *p[CHURN_PAGES];
	int in[CHURN_PAGES] = { 0 };
	struct site_index one, bulk;
	time_t now = dates_timegm_utc(2026, 1, 15, 0, 0, 0);
	unsigned seed = 12345;
	size_t i, k, step;

	(void)state;
	for (i = 0; i < CHURN_PAGES; i++) {
		struct buf ev;
		char *path = xasprintf("%s/p%02zu.md", i % 3 ? "news" : "talks", i);
		char date[16];

		buf_init(&ev);
		buf_addstr(&ev, "events:\n");
		for (k = 0; k < i % 4; k++)
			buf_printf(&ev, "  - title: E%zu\n    uid: u%zu@x\n"
			    "    start: \"%s\"\n", k, (i + k) % 5,
			    starts[(i + k) % 4]);
		if (i % 4 == 0)
			buf_reset(&ev);
		snprintf(date, sizeof date, "2026-0%zu-01", 1 + i % 3);
		p[i] = make(path, date, tags[i % 5], ev.data ? ev.data : "");
		free(path);
		buf_free(&ev);
	}
	index_init(&one, 30);
	for (step = 0; step < 400; step++) {
		seed = seed * 1103515245u + 12345u;
		i = (seed >> 16) % CHURN_PAGES;
		if (in[i])
			index_remove(&one, p[i]);
		else
			index_add(&one, p[i], NULL, now);
		in[i] = !in[i];
		index_init(&bulk, 30);
		index_begin_bulk(&bulk);
		for (k = 0; k < CHURN_PAGES; k++)
			if (in[k])
				index_add(&bulk, p[k], NULL, now);
		index_end_bulk(&bulk);
		assert_same_index(&one, &bulk);
		index_free(&bulk);
	}
	index_free(&one);
	for (i = 0; i < CHURN_PAGES; i++)
		page_free(p[i]);
}

/* A post in language lang (not "en": under /lang/) of translation set
 * key, as a Hugo site's `languages` would make it. */
static struct page *
translation(const char *path, const char *date, const char *lang,
    const char *key)
{
	struct page *p = make(path, date, "", "");

	p->lang_key = xstrdup(lang);
	p->lang = xasprintf("%s-XX", lang);
	p->translation_key = xstrdup(key);
	if (strcmp(lang, "en") != 0)
		p->lang_dir = xstrdup(lang);
	return p;
}

static void
clear_fresh(struct site_index *ix)
{
	dict_free(&ix->fresh, NULL);
	dict_init(&ix->fresh);
}

/* A page's translations: one per other language (the first by path), by
 * language key.  One coming or going makes the others' pages fresh and
 * their subjects dirty, down to the archive page holding them. */
static void
translations_by_key(void **state)
{
	struct site_index ix;
	struct page *en = translation("posts/a.md", "2026-01-01", "en", "a");
	struct page *zh = translation("posts/a.zh.md", "2026-01-01", "zh", "a");
	struct page *zh2 = translation("posts/b.zh.md", "2026-01-02", "zh",
	    "a");
	struct page *fr = translation("posts/a.fr.md", "2026-01-01", "fr", "a");
	struct page *alone = translation("posts/c.md", "2026-01-03", "en", "c");
	struct subject *zh_posts;
	struct page **t;
	uint64_t before;

	(void)state;
	index_init(&ix, 0);
	index_add(&ix, zh2, NULL, 0);
	index_add(&ix, en, NULL, 0);
	index_add(&ix, alone, NULL, 0);
	index_add(&ix, zh, NULL, 0);
	assert_int_equal(index_translations(&ix, en, &t), 1);
	assert_ptr_equal(t[0], zh);
	free(t);
	assert_int_equal(index_translations(&ix, zh2, &t), 1);
	assert_ptr_equal(t[0], en);	/* never its own language */
	free(t);
	assert_int_equal(index_translations(&ix, alone, &t), 0);
	assert_null(t);
	assert_int_equal(index_translations_hash(&ix, alone), 0);
	before = index_translations_hash(&ix, en);
	assert_true(before != 0);
	assert_true(index_translations_hash(&ix, zh) == before);

	clear_dirty(&ix);
	clear_fresh(&ix);
	zh_posts = dict_get(&ix.terms, "zh/posts");
	assert_non_null(zh_posts);
	zh_posts->archive_clean = zh_posts->npages;
	index_add(&ix, fr, NULL, 0);
	assert_int_equal(index_translations(&ix, en, &t), 2);
	assert_ptr_equal(t[0], fr);
	assert_ptr_equal(t[1], zh);
	free(t);
	assert_true(index_translations_hash(&ix, en) != before);
	assert_non_null(dict_get(&ix.fresh, "posts/a.md"));
	assert_non_null(dict_get(&ix.fresh, "posts/b.zh.md"));
	assert_null(dict_get(&ix.fresh, "posts/c.md"));
	assert_true(((struct subject *)dict_get(&ix.sections,
	    "posts"))->dirty);
	assert_true(zh_posts->dirty);
	assert_int_equal(zh_posts->archive_clean, 0);

	/* Gone again: the set is as it was. */
	clear_dirty(&ix);
	clear_fresh(&ix);
	index_remove(&ix, fr);
	assert_true(index_translations_hash(&ix, en) == before);
	assert_non_null(dict_get(&ix.fresh, "posts/a.zh.md"));
	assert_true(ix.site.dirty);
	index_remove(&ix, zh);
	index_remove(&ix, zh2);
	assert_int_equal(index_translations(&ix, en, &t), 0);
	assert_int_equal(index_translations_hash(&ix, en), 0);
	index_free(&ix);
	page_free(en);
	page_free(zh);
	page_free(zh2);
	page_free(fr);
	page_free(alone);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(order_and_dirty),
		cmocka_unit_test(events_sorted_and_window),
		cmocka_unit_test(section_index_names_section),
		cmocka_unit_test(bulk_equals_one_by_one),
		cmocka_unit_test(churn_equals_bulk),
		cmocka_unit_test(translations_by_key),
	};

	return cmocka_run_group_tests_name("index", tests, setup_config,
	    teardown_config);
}

/*
 * test_catalog.c -- the catalog's rules, called directly (catalog_put,
 * catalog_render, catalog_remove) and read back from the documents it
 * serves and the slots /status is made from:
 *
 *  - a page whose new bytes fail keeps serving its last good version,
 *    with the error in its slot, until fixed; so does one that cannot be
 *    read;
 *  - between pages claiming one URL (or one event UID) the smaller path
 *    wins whatever the order of edits, and when it goes the next takes
 *    the URL over; a page withdraws only what it owns;
 *  - a page's own URL outranks an alias, and a redirect never replaces a
 *    real document (a feed); an alias answers with and without its final
 *    slash;
 *  - a document whose inputs did not change is kept as is; one that
 *    changed gets a later Last-Modified even when its newest member did
 *    not change;
 *  - events are remembered per page: a UID written twice bumps no
 *    SEQUENCE across restarts;
 *  - the next time a page appears by itself, and the counts of files with
 *    errors and warnings, follow every slot as it comes and goes.
 * No clock is read: every call is given its time.
 */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "fixture.h"
#include "site_fixture.h"

#include "catalog.h"
#include "log.h"
#include "piece.h"
#include "state.h"
#include "util.h"

/* 2026-05-28: after every date here but the publishDates to come. */
#define NOW	((time_t)1780000000)

struct site {
	struct state	st;
	struct catalog	cat;
};

static struct site *
site_new(void)
{
	struct site *s = xcalloc(1, sizeof *s);

	state_init(&s->st, NULL);
	catalog_init(&s->cat, &cfg, &s->st);
	return s;
}

static void
site_free(struct site *s)
{
	catalog_free(&s->cat);
	state_free(&s->st);
	free(s);
}

static char *
post(const char *title, const char *extra)
{
	return xasprintf("---\ntitle: \"%s\"\ndate: 2026-01-10T10:00:00Z\n%s"
	    "---\nText of %s.\n", title, extra, title);
}

/* Puts a file's bytes and rebuilds, as the daemon does after a change;
 * returns what catalog_put returned. */
static int
put(struct site *s, const char *path, const char *text)
{
	int parsed = catalog_put(&s->cat, path, text, strlen(text), NOW);

	catalog_render(&s->cat, NOW);
	return parsed;
}

static void
put_post(struct site *s, const char *path, const char *title,
    const char *extra)
{
	char *text = post(title, extra);

	put(s, path, text);
	free(text);
}

static void
remove_file(struct site *s, const char *path)
{
	catalog_remove(&s->cat, path);
	catalog_render(&s->cat, NOW);
}

static struct document *
doc(const struct site *s, const char *path)
{
	return docset_get(s->cat.docs, path);
}

/* Does the document at path hold text in its body? */
static int
doc_has(const struct document *d, const char *text)
{
	struct held_body *h;
	int has;

	if (d == NULL || d->redirect != NULL)
		return 0;
	/* A page's identity body is the body cache's (bodycache.c). */
	if ((h = document_identity((struct document *)(uintptr_t)d)) != NULL) {
		has = memmem(h->data, h->len, text, strlen(text)) != NULL;
		held_body_unref(h);
		return has;
	}
	return d->body != NULL &&
	    memmem(d->body, d->len, text, strlen(text)) != NULL;
}

/* path serves a page whose body holds title. */
static void
assert_shows(const struct site *s, const char *path, const char *title)
{
	const struct document *d = doc(s, path);

	if (d == NULL)
		fail_msg("%s: not served, want \"%s\"", path, title);
	if (d->redirect != NULL)
		fail_msg("%s: a redirect to %s, want \"%s\"", path, d->redirect,
		    title);
	if (!doc_has(d, title))
		fail_msg("%s: does not show \"%s\"", path, title);
}

static void
assert_redirects(const struct site *s, const char *path, const char *to)
{
	const struct document *d = doc(s, path);

	if (d == NULL || d->redirect == NULL)
		fail_msg("%s: %s, want a redirect to %s", path,
		    d == NULL ? "not served" : "a document", to);
	assert_string_equal(d->redirect, to);
}

static const struct slot *
slot_of(const struct site *s, const char *path)
{
	const struct slot *sl = dict_get(&s->cat.slots, path);

	if (sl == NULL)
		fail_msg("%s: no slot", path);
	return sl;
}

/* The "serving" /status gives the file at path. */
static void
assert_status_serving(struct site *s, const char *path, const char *want)
{
	json_error_t jerr;
	json_t *root, *files, *f;
	struct document *d = catalog_status(&s->cat);
	size_t i;
	int found = 0;

	assert_non_null(d);
	root = json_loadb(d->body, d->len, 0, &jerr);
	assert_non_null(root);
	files = json_object_get(root, "files");
	assert_true(json_is_array(files));
	json_array_foreach(files, i, f) {
		if (strcmp(json_string_value(json_object_get(f, "path")),
		    path) != 0)
			continue;
		found = 1;
		assert_string_equal(json_string_value(json_object_get(f,
		    "serving")), want);
	}
	assert_true(found);
	json_decref(root);
}

/* --- last good version ---------------------------------------------- */

static void
last_good_version(void **state)
{
	const char *good = "---\ntitle: \"Harbour v1\"\n"
	    "date: 2026-01-10T10:00:00Z\n---\nBring gloves.\n";
	const char *bad = "---\ntitle: \"Harbour v2\"\n"
	    "date: 2026-01-10T10:00:00Z\nsummary: oops: a colon\n---\n";
	const char *fixed = "---\ntitle: \"Harbour v3\"\n"
	    "date: 2026-01-10T10:00:00Z\n---\nBring boots.\n";
	struct site *s = site_new();
	const struct slot *sl;

	(void)state;
	assert_int_equal(put(s, "news/h.md", good), 1);
	assert_shows(s, "/news/h/", "Harbour v1");
	assert_int_equal(put(s, "news/h.md", good), 0);	/* known bytes */

	/* New bytes fail: the documents keep the good version. */
	assert_int_equal(put(s, "news/h.md", bad), 1);
	assert_shows(s, "/news/h/", "Harbour v1");
	assert_true(doc_has(doc(s, "/feed.atom"), "Harbour v1"));
	assert_false(doc_has(doc(s, "/feed.atom"), "Harbour v2"));
	assert_true(doc_has(doc(s, "/news/feed.rss"), "Harbour v1"));
	sl = slot_of(s, "news/h.md");
	assert_false(sl->current->ok);
	assert_non_null(sl->good);
	assert_ptr_equal(catalog_slot_page(sl), sl->good);
	assert_int_equal(diags_count(&sl->current->diags, DIAG_ERROR), 1);
	assert_int_equal(sl->current->diags.v[0].line, 4);
	assert_int_equal(s->cat.stats.files_with_errors, 1);
	assert_status_serving(s, "news/h.md", "last good version");

	/* Fixed: the new version, and no error left. */
	assert_int_equal(put(s, "news/h.md", fixed), 1);
	assert_shows(s, "/news/h/", "Harbour v3");
	assert_false(doc_has(doc(s, "/feed.atom"), "Harbour v1"));
	assert_true(doc_has(doc(s, "/feed.atom"), "Harbour v3"));
	sl = slot_of(s, "news/h.md");
	assert_true(sl->current->ok);
	assert_ptr_equal(sl->good, sl->current);
	assert_int_equal(s->cat.stats.files_with_errors, 0);
	assert_status_serving(s, "news/h.md", "current");

	/* A file that cannot be read keeps its last good version too. */
	catalog_put_problem(&s->cat, "news/h.md", DIAG_ERROR,
	    "cannot read: Permission denied", NOW);
	catalog_render(&s->cat, NOW);
	assert_shows(s, "/news/h/", "Harbour v3");
	assert_status_serving(s, "news/h.md", "last good version");
	assert_int_equal(s->cat.stats.files_with_errors, 1);
	site_free(s);
}

static void
never_good_serves_nothing(void **state)
{
	struct site *s = site_new();

	(void)state;
	put(s, "news/b.md", "---\ntitle: [unclosed\n---\n");
	assert_null(doc(s, "/news/b/"));
	assert_null(slot_of(s, "news/b.md")->good);
	assert_status_serving(s, "news/b.md", "nothing");
	site_free(s);
}

/* --- ownership of URLs ------------------------------------------------ */

/* Two pages give one url: the smaller path owns it whichever came
 * first, edits to the other change nothing, and when the owner goes the
 * other takes the URL over. */
static void
equals_smaller_path_wins(void **state)
{
	static const char *const first[] = { "a.md", "z.md" };
	int order;

	(void)state;
	for (order = 0; order < 2; order++) {
		struct site *s = site_new();

		put_post(s, first[order], order == 0 ? "Page A" : "Page Z",
		    "url: /same/\n");
		put_post(s, first[!order], order == 0 ? "Page Z" : "Page A",
		    "url: /same/\n");
		assert_shows(s, "/same/", "Page A");
		/* both are still in the feeds: only the URL is contested */
		assert_true(doc_has(doc(s, "/feed.atom"), "Page A"));
		assert_true(doc_has(doc(s, "/feed.atom"), "Page Z"));

		put_post(s, "z.md", "Page Z edited", "url: /same/\n");
		assert_shows(s, "/same/", "Page A");
		put_post(s, "a.md", "Page A edited", "url: /same/\n");
		assert_shows(s, "/same/", "Page A edited");

		remove_file(s, "a.md");
		assert_shows(s, "/same/", "Page Z edited");
		site_free(s);
	}
}

/* The page that does not own the URL withdraws nothing when it goes. */
static void
loser_withdraws_nothing(void **state)
{
	struct site *s = site_new();
	struct document *owned;

	(void)state;
	put_post(s, "a.md", "Flat file", "");
	put_post(s, "a/index.md", "Bundle", "");
	assert_shows(s, "/a/", "Flat file");	/* "a.md" < "a/index.md" */
	owned = doc(s, "/a/");
	remove_file(s, "a/index.md");
	assert_ptr_equal(doc(s, "/a/"), owned);	/* not even re-rendered */
	assert_shows(s, "/a/", "Flat file");
	assert_false(doc_has(doc(s, "/feed.atom"), "Bundle"));
	site_free(s);
}

/* Two pages write one event UID: its own calendar is the smaller path's
 * event, then the other's. */
static void
equals_one_uid(void **state)
{
	struct site *s = site_new();
	const char *path = "/events/same%40example.org.ics";

	(void)state;
	put_post(s, "talks/b.md", "Page B", "events:\n  - title: Event of B\n"
	    "    uid: same@example.org\n    start: 2026-07-01T18:00\n");
	put_post(s, "talks/a.md", "Page A", "events:\n  - title: Event of A\n"
	    "    uid: same@example.org\n    start: 2026-07-02T18:00\n");
	assert_true(doc_has(doc(s, path), "SUMMARY:Event of A"));
	assert_false(doc_has(doc(s, path), "Event of B"));
	remove_file(s, "talks/a.md");
	assert_true(doc_has(doc(s, path), "SUMMARY:Event of B"));
	remove_file(s, "talks/b.md");
	assert_null(doc(s, path));
	site_free(s);
}

/* A page's own URL outranks another page's alias, whichever came first;
 * the alias takes the URL when the page goes. */
static void
page_outranks_alias(void **state)
{
	int order;

	(void)state;
	for (order = 0; order < 2; order++) {
		struct site *s = site_new();

		if (order == 0)
			put_post(s, "news/new.md", "New page",
			    "aliases: [/news/old/]\n");
		put_post(s, "news/old.md", "Old page", "");
		if (order == 1)
			put_post(s, "news/new.md", "New page",
			    "aliases: [/news/old/]\n");
		assert_shows(s, "/news/old/", "Old page");
		remove_file(s, "news/old.md");
		assert_redirects(s, "/news/old/",
		    "/news/new/");
		/* and back: the page takes its URL again */
		put_post(s, "news/old.md", "Old page again", "");
		assert_shows(s, "/news/old/", "Old page again");
		site_free(s);
	}
}

/* An alias answers 301 with and without its final slash, and goes with
 * its page. */
static void
alias_both_slashes(void **state)
{
	struct site *s = site_new();

	(void)state;
	put_post(s, "news/new.md", "New page", "aliases: [\"/gone\", "
	    "\"/also/gone/\"]\n");
	assert_redirects(s, "/gone", "/news/new/");
	assert_redirects(s, "/gone/", "/news/new/");
	assert_redirects(s, "/also/gone", "/news/new/");
	assert_redirects(s, "/also/gone/",
	    "/news/new/");
	remove_file(s, "news/new.md");
	assert_null(doc(s, "/gone"));
	assert_null(doc(s, "/also/gone/"));
	site_free(s);
}

/* An alias naming a feed (no page owns a feed) leaves the feed alone. */
static void
redirect_never_replaces_document(void **state)
{
	struct site *s = site_new();

	(void)state;
	put_post(s, "other/post.md", "Other post", "");
	put_post(s, "news/p.md", "Aliasing page",
	    "aliases: [/other/feed.atom]\n");
	assert_true(doc_has(doc(s, "/other/feed.atom"), "Other post"));
	/* an edit renders the page's aliases again, the feed stays as is */
	put_post(s, "news/p.md", "Aliasing page, edited",
	    "aliases: [/other/feed.atom]\n");
	assert_true(doc_has(doc(s, "/other/feed.atom"), "Other post"));
	site_free(s);
}

/* --- documents kept, Last-Modified moved ------------------------------- */

/* An edit re-renders what shows it and leaves every other document as
 * it is (the very same document: its ETag and Last-Modified cannot
 * move): the feeds of other sections, and those of its own subjects that
 * do not show it -- the site calendar, which shows no event of it, and,
 * with feed_entries = 1, the feeds it is too old for. */
static void
unchanged_documents_kept(void **state)
{
	const char *older = "---\ntitle: Older night\n"
	    "date: 2026-01-05T10:00:00Z\n---\nOld.\n";
	const char *older_edited = "---\ntitle: Older night, edited\n"
	    "date: 2026-01-05T10:00:00Z\n---\nOld.\n";
	struct document *rust, *go, *site_atom, *site_ics, *go_atom;
	struct site *s;

	(void)state;
	cfg.feed_entries = 1;	/* the settings are made for each test */
	s = site_new();
	put_post(s, "rust/a.md", "Rust night", "");
	put_post(s, "go/b.md", "Go night", "");
	put(s, "go/c.md", older);
	rust = doc(s, "/rust/feed.atom");
	go = doc(s, "/go/feed.rss");
	site_atom = doc(s, "/feed.atom");
	site_ics = doc(s, "/calendar.ics");
	assert_non_null(rust);
	assert_non_null(site_ics);
	assert_true(doc_has(go, "Go night"));
	assert_false(doc_has(go, "Older night"));	/* one entry */

	put(s, "go/c.md", older_edited);
	assert_ptr_equal(doc(s, "/rust/feed.atom"), rust);
	assert_ptr_equal(doc(s, "/go/feed.rss"), go);
	assert_ptr_equal(doc(s, "/feed.atom"), site_atom);
	assert_ptr_equal(doc(s, "/calendar.ics"), site_ics);
	assert_shows(s, "/go/c/", "Older night, edited");

	go_atom = doc(s, "/go/feed.atom");
	put_post(s, "go/b.md", "Go night, moved", "");
	assert_ptr_equal(doc(s, "/rust/feed.atom"), rust);
	assert_ptr_not_equal(doc(s, "/go/feed.atom"), go_atom);
	assert_ptr_not_equal(doc(s, "/feed.atom"), site_atom);
	assert_true(doc_has(doc(s, "/go/feed.atom"), "Go night, moved"));
	site_free(s);
}

/* An entry removed that was not the newest: the feed's newest member is
 * the same, yet its Last-Modified must move, or a client's
 * If-Modified-Since would get 304 for content it lacks. */
static void
last_modified_moves(void **state)
{
	const char *newer = "---\ntitle: Newer\ndate: 2026-01-20T10:00:00Z\n"
	    "---\nNew.\n";
	const char *older = "---\ntitle: Older\ndate: 2026-01-05T10:00:00Z\n"
	    "---\nOld.\n";
	struct site *s = site_new();
	time_t before;

	(void)state;
	catalog_put(&s->cat, "n/newer.md", newer, strlen(newer), NOW);
	catalog_put(&s->cat, "n/older.md", older, strlen(older), NOW);
	catalog_render(&s->cat, NOW);
	before = doc(s, "/n/feed.atom")->mtime;
	assert_int_equal(before, dates_timegm_utc(2026, 1, 20, 10, 0, 0));
	catalog_remove(&s->cat, "n/older.md");
	catalog_render(&s->cat, NOW + 60);
	assert_false(doc_has(doc(s, "/n/feed.atom"), "Older"));
	assert_int_equal(doc(s, "/n/feed.atom")->mtime, NOW + 60);
	site_free(s);
}

/* --- state and time ---------------------------------------------------- */

/* The SEQUENCE of the first event of the page at path: the state's, as
 * the slot keeps it beside the event. */
static int
revision(const struct site *s, const char *path)
{
	const struct slot *sl = slot_of(s, path);
	const struct page *p = catalog_slot_page(sl);

	assert_int_equal(p->nevents, 1);
	assert_ptr_equal(catalog_page_events(&s->cat, p), sl->events);
	assert_ptr_equal(sl->events[0].event, &p->events[0]);
	return sl->events[0].sequence;
}

/* Two pages (wrongly) give one UID: each event's SEQUENCE is its own, so
 * a restart on the same content and state moves neither. */
static void
same_uid_keeps_sequence(void **state)
{
	const char *a = "---\ntitle: A\ndate: 2026-01-10T10:00:00Z\n"
	    "events:\n  - title: Same\n    uid: same@example.org\n"
	    "    start: 2026-07-01T18:00\n---\n";
	const char *b = "---\ntitle: B\ndate: 2026-01-11T10:00:00Z\n"
	    "events:\n  - title: Same\n    uid: same@example.org\n"
	    "    start: 2026-07-01T20:00\n---\n";
	struct site *s = site_new();
	int start;

	(void)state;
	for (start = 0; start < 3; start++) {
		if (start > 0) {	/* a restart: the state file stays */
			catalog_free(&s->cat);
			catalog_init(&s->cat, &cfg, &s->st);
		}
		catalog_put(&s->cat, "a.md", a, strlen(a), NOW + start);
		catalog_put(&s->cat, "b.md", b, strlen(b), NOW + start);
		catalog_render(&s->cat, NOW + start);
		assert_int_equal(revision(s, "a.md"), 0);
		assert_int_equal(revision(s, "b.md"), 0);
	}
	site_free(s);
}

/* The next time a page appears by itself follows the pages as they come
 * and go, without a walk over all of them after each edit. */
static void
next_change_follows_pages(void **state)
{
	struct site *s = site_new();

	(void)state;
	put_post(s, "now.md", "Now", "");
	assert_int_equal(catalog_next_change(&s->cat, NOW), 0);
	put_post(s, "later.md", "Later", "publishDate: 2026-06-01T00:00:00Z\n");
	put_post(s, "soon.md", "Soon", "publishDate: 2026-05-30T00:00:00Z\n");
	assert_int_equal(catalog_next_change(&s->cat, NOW),
	    dates_timegm_utc(2026, 5, 30, 0, 0, 0));
	assert_null(doc(s, "/soon/"));			/* not yet */
	remove_file(s, "soon.md");
	assert_int_equal(catalog_next_change(&s->cat, NOW),
	    dates_timegm_utc(2026, 6, 1, 0, 0, 0));
	put_post(s, "later.md", "Later", "");		/* published now */
	assert_int_equal(catalog_next_change(&s->cat, NOW), 0);
	site_free(s);
}

/* --- counts ------------------------------------------------------------ */

static void
problem_counts_follow_slots(void **state)
{
	struct site *s = site_new();

	(void)state;
	put(s, "w.md", "---\ntitle: W\ntitle: W again\n"
	    "date: 2026-01-10T10:00:00Z\n---\n");
	assert_int_equal(s->cat.stats.files_with_warnings, 1);
	put(s, "e.md", "---\ntitle: [unclosed\n---\n");
	assert_int_equal(s->cat.stats.files_with_errors, 1);
	put(s, "w.md", "---\ntitle: W\ndate: 2026-01-10T10:00:00Z\n---\n");
	assert_int_equal(s->cat.stats.files_with_warnings, 0);
	remove_file(s, "e.md");
	assert_int_equal(s->cat.stats.files_with_errors, 0);
	assert_int_equal(s->cat.stats.files, 1);
	site_free(s);
}

static int
setup(void **state)
{
	(void)state;
	log_set_level(LOG_ERROR + 1);	/* the bad input here is meant */
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	piece_thread_done();
	return 0;
}

#define catalog_test(f) \
	cmocka_unit_test_setup_teardown(f, setup_config, teardown_config)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		catalog_test(last_good_version),
		catalog_test(never_good_serves_nothing),
		catalog_test(equals_smaller_path_wins),
		catalog_test(loser_withdraws_nothing),
		catalog_test(equals_one_uid),
		catalog_test(page_outranks_alias),
		catalog_test(alias_both_slashes),
		catalog_test(redirect_never_replaces_document),
		catalog_test(unchanged_documents_kept),
		catalog_test(last_modified_moves),
		catalog_test(same_uid_keeps_sequence),
		catalog_test(next_change_follows_pages),
		catalog_test(problem_counts_follow_slots),
	};

	return cmocka_run_group_tests_name("catalog", tests, setup, teardown);
}

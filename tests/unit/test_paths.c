/*
 * test_paths.c -- request paths to the canonical form documents are kept
 * under (urls_canonical_path): traversal, encoded slashes and NULs,
 * overlong UTF-8 and malformed escapes refused; escapes upper-cased and
 * raw UTF-8 percent-encoded; a path is decoded once, never twice.  And
 * the paths crier makes (urls.c), as README's "URL layout" gives them:
 * subjects' documents, events' own calendars, posts' pages (bundles with
 * a slug), aliases and their twins.
 */
#include <stdio.h>
#include <stdlib.h>

#include "fixture.h"

#include "urls.h"
#include "util.h"

static void
request_paths(void **state)
{
	static const char *bad[] = {
		"/../etc/passwd", "/%2e%2e/x", "/a/%2f/b", "/a%00b", "/a\\b",
		"/a%5cb", "/%c0%ae%c0%ae/x", "//x", "/%zz", "relative", "/%",
	};
	char *p;
	size_t i;

	(void)state;
	for (i = 0; i < nitems(bad); i++) {
		p = urls_canonical_path(bad[i]);
		if (p != NULL)
			fail_msg("%s was accepted as %s", bad[i], p);
	}
	p = urls_canonical_path("/tags/%e4%ba%91/feed.atom");
	assert_string_equal(p, "/tags/%E4%BA%91/feed.atom");
	free(p);
	p = urls_canonical_path("/tags/\xe4\xba\x91/");
	assert_string_equal(p, "/tags/%E4%BA%91/");
	free(p);
	p = urls_canonical_path("/");
	assert_string_equal(p, "/");
	free(p);
	/* %252e decodes once, to "%2e": a harmless name, never "..". */
	p = urls_canonical_path("/%252e%252e/x");
	assert_string_equal(p, "/%252e%252e/x");
	free(p);
}

static void
assert_made(char *got, const char *want)
{
	assert_non_null(got);
	assert_string_equal(got, want);
	free(got);
}

static void
subject_documents(void **state)
{
	static const struct {
		enum urls_subject kind;
		const char	*key, *want;
	} subjects[] = {
		{ URLS_SITE, "", "/calendar.ics" },
		{ URLS_SECTION, "meetups", "/meetups/calendar.ics" },
		{ URLS_TAG, "\xe4\xba\x91", "/tags/%E4%BA%91/calendar.ics" },
		{ URLS_CATEGORY, "a b", "/categories/a%20b/calendar.ics" },
	};
	struct buf b;
	char *prefix;
	size_t i;

	(void)state;
	buf_init(&b);
	for (i = 0; i < nitems(subjects); i++) {
		prefix = urls_subject_prefix(subjects[i].kind, subjects[i].key);
		buf_reset(&b);
		urls_subject_doc(&b, prefix, URLS_CALENDAR);
		assert_string_equal(b.data, subjects[i].want);
		free(prefix);
	}
	buf_reset(&b);
	urls_subject_doc(&b, "/tags/x", URLS_ATOM);
	assert_string_equal(b.data, "/tags/x/feed.atom");
	/* Only the site's own documents take a filter. */
	assert_int_equal(urls_site_doc("/feed.rss"), URLS_RSS);
	assert_int_equal(urls_site_doc("/calendar.ics"), URLS_CALENDAR);
	assert_int_equal(urls_site_doc("/tags/x/feed.atom"), -1);
	assert_int_equal(urls_site_doc("feed.atom"), -1);
	assert_true(urls_is_feed("/tags/x/feed.rss"));
	assert_false(urls_is_feed("/calendar.ics"));
	/* Archive pages are not pinged; a section named "archive" is. */
	assert_false(urls_is_feed("/archive/3/feed.atom"));
	assert_false(urls_is_feed("/tags/x/archive/12/feed.rss"));
	assert_true(urls_is_feed("/archive/feed.atom"));
	assert_true(urls_is_feed("/tags/archive/feed.rss"));
	/* An event's UID is one segment, whatever it holds. */
	buf_reset(&b);
	urls_event_ics(&b, "a/b@example.org");
	assert_string_equal(b.data, "/events/a%2Fb%40example.org.ics");
	buf_free(&b);
}

static void
page_paths(void **state)
{
	char *twin = NULL;

	(void)state;
	assert_made(urls_page("news/hello.md", NULL, 1), "/news/hello/");
	assert_made(urls_page("news/hello.md", "Hi There", 1),
	    "/news/Hi%20There/");
	/* A bundle is its folder's page; its slug renames the folder. */
	assert_made(urls_page("news/trip/index.md", NULL, 1), "/news/trip/");
	assert_made(urls_page("news/trip/index.md", "x", 1), "/news/x/");
	assert_made(urls_page("index.md", NULL, 1), "/");
	assert_made(urls_page("news/_index.md", NULL, 0), "/news/");
	assert_made(urls_page_url("/events/spring"), "/events/spring/");
	assert_null(urls_page_url("/a/../b"));
	/* An alias answers with and without its final slash. */
	assert_made(urls_alias("/old/", &twin), "/old/");
	assert_made(twin, "/old");
	assert_made(urls_alias("/old", &twin), "/old");
	assert_made(twin, "/old/");
	assert_null(urls_alias("/%00", &twin));
	assert_null(twin);
}

/* A bundle's files at the page's URL, as Hugo publishes them: not its
 * content files, not hidden ones, not a name that is a path. */
static void
resource_paths(void **state)
{
	char *u;

	(void)state;
	u = urls_resource("/news/trip/", "map.png");
	assert_string_equal(u, "/news/trip/map.png");
	free(u);
	u = urls_resource("/news/trip/", "Route 2.GPX");
	assert_string_equal(u, "/news/trip/Route%202.GPX");
	free(u);
	u = urls_resource("/news/trip/", "data.json");	/* Hugo copies it */
	assert_string_equal(u, "/news/trip/data.json");
	free(u);
	assert_null(urls_resource("/news/trip/", "index.md"));
	assert_null(urls_resource("/news/trip/", "other.Markdown"));
	assert_null(urls_resource("/news/trip/", "part.html"));
	assert_null(urls_resource("/news/trip/", ".hidden.png"));
	assert_null(urls_resource("/news/trip/", "a/b.png"));
	assert_null(urls_resource("/news/trip/", ""));
	assert_null(urls_resource("/news/trip.html", "map.png"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(request_paths),
		cmocka_unit_test(subject_documents),
		cmocka_unit_test(page_paths),
		cmocka_unit_test(resource_paths),
	};

	return cmocka_run_group_tests_name("paths", tests, NULL, NULL);
}

/*
 * test_page.c -- a content file to a page: Markdown with absolute links,
 * permalinks and tag: ids, visibility, front-matter events, the zone of a
 * written schedule, and the text hygiene every writer relies on.
 */
#include <stdlib.h>
#include <string.h>

#include "fixture.h"
#include "site_fixture.h"

#include "urls.h"
#include "markdown.h"
#include "page.h"
#include "util.h"

static struct page *
parse(const char *path, const char *text)
{
	return page_parse(&cfg, path, text, strlen(text));
}

static void
markdown_links_absolute(void **state)
{
	const char *md = "See [rules](rules.md), [home](/), "
	    "[ext](https://x.org/a) and ![pic](img/a.png).\n\n"
	    "| a | b |\n|---|---|\n| 1 | ~~2~~ |\n\n<script>x</script>\n";
	char *html = markdown_to_html(md, strlen(md),
	    "https://meet.example.org/news/post/");

	(void)state;
	assert_non_null(strstr(html,
	    "href=\"https://meet.example.org/news/post/rules.md\""));
	assert_non_null(strstr(html, "href=\"https://meet.example.org/\""));
	assert_non_null(strstr(html, "href=\"https://x.org/a\""));
	assert_non_null(strstr(html,
	    "src=\"https://meet.example.org/news/post/img/a.png\""));
	assert_non_null(strstr(html, "<table>"));
	assert_non_null(strstr(html, "<del>2</del>"));
	assert_null(strstr(html, "<script>"));	/* raw HTML is escaped */
	free(html);
}

static void
markdown_heading_ids(void **state)
{
	const char *md = "### First talk\n\ntext\n\n### First talk\n\n"
	    "## 可观测性的落地实践\n";
	char *html = markdown_to_html(md, strlen(md), "https://x.org/p/");

	(void)state;
	assert_non_null(strstr(html, "<h3 id=\"first-talk\">"));
	assert_non_null(strstr(html, "<h3 id=\"first-talk-1\">"));
	assert_non_null(strstr(html, "id=\"可观测性的落地实践\""));
	free(html);
}

static void
markdown_text(void **state)
{
	const char *md = "# Title\n\nSome **bold** text &amp; more.\n\n"
	    "- one\n- two\n";
	char *text = markdown_to_text(md, strlen(md));

	(void)state;
	assert_string_equal(text, "Title\nSome bold text & more.\n- one\n- two");
	free(text);
}

static void
page_fields(void **state)
{
	struct page *p = parse("news/hello-world.md",
	    "---\n"
	    "title: Hello\n"
	    "date: 2026-03-01T10:00:00+01:00\n"
	    "lastmod: 2026-03-05\n"
	    "author: \"[Ana Souza](https://ana.example.org)\"\n"
	    "tags: [Service Mesh, 云原生]\n"
	    "categories: news\n"
	    "summary: Short.\n"
	    "---\n"
	    "Body with [a link](other/).\n");

	(void)state;
	assert_true(p->ok);
	assert_string_equal(p->section, "news");
	assert_string_equal(p->url_path, "/news/hello-world/");
	assert_string_equal(p->permalink,
	    "https://meet.example.org/news/hello-world/");
	assert_string_equal(p->id,
	    "tag:example.org,2026-03-01:/news/hello-world/");
	assert_int_equal(p->published, utc_timegm(2026, 3, 1, 9, 0, 0));
	/* lastmod is local midnight in Europe/Berlin. */
	assert_int_equal(p->updated, utc_timegm(2026, 3, 4, 23, 0, 0));
	assert_int_equal(p->nauthors, 1);
	assert_string_equal(p->authors[0], "Ana Souza");
	assert_string_equal(p->author_urls[0], "https://ana.example.org");
	assert_int_equal(p->ntags, 2);
	assert_string_equal(p->tags[1], "云原生");
	assert_int_equal(p->ncategories, 1);
	assert_string_equal(p->summary, "Short.");
	assert_non_null(strstr(p->html,
	    "https://meet.example.org/news/hello-world/other/"));
	page_free(p);
}

static void
page_slug_and_url(void **state)
{
	struct page *p = parse("a b/post.md", "---\ntitle: x\ndate: 2026-01-01\n"
	    "slug: My Slug\n---\n");
	struct page *q = parse("posts/bundle/index.md", "---\ntitle: y\n"
	    "date: 2026-01-01\n---\n");
	struct page *r = parse("posts/z.md", "---\ntitle: z\n"
	    "date: 2026-01-01\nurl: /custom/place/\n---\n");

	(void)state;
	assert_string_equal(p->url_path, "/a%20b/My%20Slug/");
	assert_string_equal(q->url_path, "/posts/bundle/");
	assert_string_equal(r->url_path, "/custom/place/");
	page_free(p);
	page_free(q);
	page_free(r);
}

static void
page_visibility(void **state)
{
	time_t now = utc_timegm(2026, 6, 1, 0, 0, 0);
	struct page *draft = parse("d.md", "---\ntitle: d\ndate: 2026-01-01\n"
	    "draft: true\n---\n");
	struct page *future = parse("f.md", "---\ntitle: f\ndate: 2026-01-01\n"
	    "publishDate: 2026-07-01\n---\n");
	struct page *future_date = parse("g.md", "---\ntitle: g\n"
	    "date: 2026-08-01\n---\n");
	struct page *expired = parse("e.md", "---\ntitle: e\ndate: 2026-01-01\n"
	    "expiryDate: 2026-02-01\n---\n");
	struct page *fine = parse("o.md", "---\ntitle: o\ndate: 2026-01-01\n"
	    "expiryDate: 2026-12-01\n---\n");

	(void)state;
	assert_false(page_visible(draft, now));
	assert_false(page_visible(future, now));
	assert_false(page_visible(future_date, now));
	assert_false(page_visible(expired, now));
	assert_true(page_visible(fine, now));
	assert_true(page_visible(future, utc_timegm(2026, 7, 2, 0, 0, 0)));
	page_free(draft);
	page_free(future);
	page_free(future_date);
	page_free(expired);
	page_free(fine);
}

static void
page_bad_input(void **state)
{
	static const char binary[] = "---\ntitle: x\n---\n\0\1\2";
	struct page *bin = page_parse(&cfg, "b.md", binary, sizeof binary - 1);
	struct page *utf = parse("u.md", "---\ntitle: \xff\xfe\n---\n");
	struct page *date = parse("x.md", "---\ntitle: x\ndate: 2026-02-30\n"
	    "---\n");

	(void)state;
	assert_false(bin->ok);
	assert_int_equal(bin->diags.v[0].level, DIAG_ERROR);
	assert_int_equal(bin->diags.v[0].line, 4);
	assert_false(utf->ok);
	assert_non_null(strstr(utf->diags.v[0].message, "UTF-8"));
	/* A bad date is an error naming its line; the page still parses. */
	assert_int_equal(date->diags.v[0].level, DIAG_ERROR);
	assert_int_equal(date->diags.v[0].line, 3);
	assert_non_null(strstr(date->diags.v[0].message, "2026-02-30"));
	page_free(bin);
	page_free(utf);
	page_free(date);
}

static void
frontmatter_events(void **state)
{
	struct page *p = parse("ev/w.md",
	    "---\n"
	    "title: Workshops\n"
	    "date: 2026-11-01\n"
	    "timezone: Asia/Shanghai\n"
	    "events:\n"
	    "  - title: Talk one\n"
	    "    start: 2026-12-03T19:00\n"
	    "    end: 2026-12-03T20:00\n"
	    "    location: Room 1\n"
	    "  - title: All day\n"
	    "    start: 2026-12-05\n"
	    "  - title: Weekly\n"
	    "    start: 2026-12-01T19:00\n"
	    "    duration: 1h30m\n"
	    "    rrule: FREQ=WEEKLY;COUNT=4\n"
	    "  - title: Offset\n"
	    "    start: 2026-12-10T18:00:00-05:00\n"
	    "    duration: 2h\n"
	    "    cancelled: true\n"
	    "  - title: Broken\n"
	    "    start: someday\n"
	    "---\n");
	struct event *e;

	(void)state;
	assert_true(p->ok);
	assert_int_equal(p->nevents, 4);
	e = &p->events[0];
	assert_string_equal(e->tzid, "Asia/Shanghai");
	assert_int_equal(e->start_utc, utc_timegm(2026, 12, 3, 11, 0, 0));
	assert_int_equal(e->end_utc, utc_timegm(2026, 12, 3, 12, 0, 0));
	assert_string_equal(e->location, "Room 1");
	e = &p->events[1];
	assert_true(e->all_day);
	assert_int_equal(e->end.day, 6);	/* DTEND is exclusive */
	e = &p->events[2];
	assert_string_equal(e->rrule, "FREQ=WEEKLY;COUNT=4");
	assert_int_equal(e->end_utc - e->start_utc, 90 * 60);
	e = &p->events[3];
	assert_null(e->tzid);
	assert_true(e->cancelled);
	assert_int_equal(e->start_utc, utc_timegm(2026, 12, 10, 23, 0, 0));
	assert_int_equal(e->end_utc, utc_timegm(2026, 12, 11, 1, 0, 0));
	assert_int_equal(p->diags.n, 1);
	assert_int_equal(p->diags.v[0].line, 21);
	page_free(p);
}

static void
uid_stability(void **state)
{
	const char *a =
	    "---\ntitle: T\ndate: 2026-01-01\n---\n"
	    "### First talk\n- When: 2026-02-03 19:00-20:00\n"
	    "### Second talk\n- When: 2026-02-04 19:00-20:00\n";
	const char *b =
	    "---\ntitle: T\ndate: 2026-01-01\n---\nIntro added.\n\n"
	    "### Second talk\n- When: 2026-02-04 19:30-20:30\n"
	    "### First talk\n- When: 2026-02-03 19:00-20:00\n";
	struct page *p = parse("m/t.md", a), *q = parse("m/t.md", b);

	(void)state;
	assert_int_equal(p->nevents, 2);
	assert_int_equal(q->nevents, 2);
	/* Moved up and re-timed: same UID; the untouched one: same hash. */
	assert_string_equal(p->events[1].uid, q->events[0].uid);
	assert_string_equal(p->events[0].uid, q->events[1].uid);
	assert_true(p->events[1].hash != q->events[0].hash);
	assert_true(p->events[0].hash == q->events[1].hash);
	assert_non_null(strstr(p->events[0].uid, "@example.org"));
	assert_string_equal(p->events[0].url,
	    "https://meet.example.org/m/t/#first-talk");
	page_free(p);
	page_free(q);
}

static void
schedule_zone_rules(void **state)
{
	/* +08:00 is not Berlin's offset: the fixed offset is used, as UTC. */
	struct page *p = parse("s.md", "---\ntitle: S\n"
	    "date: 2020-05-06T10:41:54+08:00\n---\n"
	    "### Talk\n- **时间：**2020/5/6（周三） 19:00-20:00\n");
	/* Berlin's own offset in the date: Berlin is used, with its TZID. */
	struct page *q = parse("t.md", "---\ntitle: T\n"
	    "date: 2020-05-06T10:00:00+02:00\n---\n"
	    "### Talk\n- When: 2020-05-06 19:00-20:00\n");
	/* The page's own timezone wins. */
	struct page *r = parse("u.md", "---\ntitle: U\n"
	    "date: 2020-05-06T10:00:00+02:00\ntimezone: Asia/Tokyo\n---\n"
	    "### Talk\n- When: 2020-05-06 19:00-20:00\n");

	(void)state;
	assert_int_equal(p->nevents, 1);
	assert_null(p->events[0].tzid);
	assert_int_equal(p->events[0].start_utc, utc_timegm(2020, 5, 6, 11, 0,
	    0));
	assert_int_equal(p->events[0].start.hour, 11);
	assert_string_equal(q->events[0].tzid, "Europe/Berlin");
	assert_int_equal(q->events[0].start_utc, utc_timegm(2020, 5, 6, 17, 0,
	    0));
	assert_string_equal(r->events[0].tzid, "Asia/Tokyo");
	assert_int_equal(r->events[0].start_utc, utc_timegm(2020, 5, 6, 10, 0,
	    0));
	assert_non_null(strstr(p->summary, "2020-05-06 11:00–12:00 UTC"));
	page_free(p);
	page_free(q);
	page_free(r);
}

/* text_clean as it was, a character at a time: the reference the
 * run-copying one must match byte for byte. */
static void
text_clean_slow(struct buf *out, const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, k;
	uint32_t c;

	while (i < n) {
		k = utf8_decode(p + i, n - i, &c);
		if (k == 0) {
			buf_add(out, "\xef\xbf\xbd", 3);
			i++;
			continue;
		}
		if ((c == 0x9 || c == 0xa || (c >= 0x20 && c <= 0xd7ff) ||
		    (c >= 0xe000 && c <= 0xfffd) ||
		    (c >= 0x10000 && c <= 0x10ffff)))
			buf_add(out, s + i, k);
		i += k;
	}
}

static void
text_clean_runs(void **state)
{
	static const char *const bits[] = { "a", " ", "\t", "\n", "\r",
	    "\x01", "\x7f", "\xff", "\xc0\xae", "\xe2\x82\xac", "\xe2\x82",
	    "\xed\xa0\x80", "\xef\xbf\xbe", "\xf0\x9f\x98\x80", "\xf4\x90",
	    "<&>", "\xc3\xa9" };
	struct buf in, want, got;
	unsigned seed = 12345;
	int round, k;

	(void)state;
	for (round = 0; round < 2000; round++) {
		buf_init(&in);
		for (k = 0; k < round % 40; k++) {
			seed = seed * 1103515245 + 12345;
			buf_addstr(&in, bits[(seed >> 16) % nitems(bits)]);
		}
		buf_init(&want);
		buf_init(&got);
		text_clean_slow(&want, in.data, in.len);
		text_clean(&got, in.data, in.len);
		assert_int_equal(got.len, want.len);
		assert_memory_equal(got.data, want.data, want.len);
		buf_free(&in);
		buf_free(&want);
		buf_free(&got);
	}
}

static void
text_hygiene(void **state)
{
	char *s = text_clean_dup("a\x01" "b\xff" "c\r\n\xe2\x82\xac\xc0\xae");
	struct buf b;
	char *slug = slug_of("Service Mesh"), *dots = slug_of("..");

	(void)state;
	assert_string_equal(s, "ab\xef\xbf\xbd" "c\n\xe2\x82\xac"
	    "\xef\xbf\xbd\xef\xbf\xbd");
	buf_init(&b);
	url_encode_segment(&b, "云 a/b");
	assert_string_equal(b.data, "%E4%BA%91%20a%2Fb");
	assert_string_equal(slug, "service-mesh");
	assert_string_equal(dots, "_");
	assert_false(utf8_valid("\xed\xa0\x80", 3));	/* a surrogate */
	assert_false(utf8_valid("\xe0\x80\xaf", 3));	/* overlong */
	free(s);
	free(slug);
	free(dots);
	buf_free(&b);
}

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
dict_basics(void **state)
{
	struct dict d;
	const char *key;
	size_t i, n = 0;
	char name[16];

	(void)state;
	dict_init(&d);
	for (i = 0; i < 1000; i++) {
		snprintf(name, sizeof name, "k%zu", i);
		assert_null(dict_set(&d, name, (void *)(i + 1)));
	}
	assert_int_equal((size_t)dict_get(&d, "k500"), 501);
	assert_int_equal((size_t)dict_remove(&d, "k500"), 501);
	assert_null(dict_get(&d, "k500"));
	for (i = 0; dict_next(&d, &i, &key, NULL); n++)
		if (n == 0)
			assert_string_equal(key, "k0");	/* insertion order */
	assert_int_equal(n, 999);
	dict_free(&d, NULL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(markdown_links_absolute),
		cmocka_unit_test(markdown_heading_ids),
		cmocka_unit_test(markdown_text),
		cmocka_unit_test(page_fields),
		cmocka_unit_test(page_slug_and_url),
		cmocka_unit_test(page_visibility),
		cmocka_unit_test(page_bad_input),
		cmocka_unit_test(frontmatter_events),
		cmocka_unit_test(uid_stability),
		cmocka_unit_test(schedule_zone_rules),
		cmocka_unit_test(text_hygiene),
		cmocka_unit_test(text_clean_runs),
		cmocka_unit_test(request_paths),
		cmocka_unit_test(dict_basics),
	};

	return cmocka_run_group_tests_name("page", tests, setup_config,
	    teardown_config);
}

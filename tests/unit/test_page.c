/*
 * test_page.c -- a content file to a page: Markdown with absolute links,
 * permalinks and tag: ids, visibility, front-matter events and the zone of
 * a written schedule.
 */
#include <stdlib.h>
#include <string.h>

#include "fixture.h"
#include "site_fixture.h"

#include "markdown.h"
#include "mdtext.h"
#include "page.h"
#include "utf8.h"
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
	assert_null(strstr(html, "<script>"));	/* raw HTML left out, as Hugo */
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
	char *text = mdtext_from_markdown(md, strlen(md));

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
	assert_int_equal(p->published, dates_timegm_utc(2026, 3, 1, 9, 0, 0));
	/* lastmod is local midnight in Europe/Berlin. */
	assert_int_equal(p->updated, dates_timegm_utc(2026, 3, 4, 23, 0, 0));
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
	time_t now = dates_timegm_utc(2026, 6, 1, 0, 0, 0);
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
	assert_true(page_visible(future, dates_timegm_utc(2026, 7, 2, 0, 0, 0)));
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
	/* Invalid UTF-8 is replaced, with a warning on its line. */
	assert_true(utf->ok);
	assert_int_equal(utf->diags.v[0].level, DIAG_WARNING);
	assert_int_equal(utf->diags.v[0].line, 2);
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
	assert_int_equal(e->start_utc, dates_timegm_utc(2026, 12, 3, 11, 0, 0));
	assert_int_equal(e->end_utc, dates_timegm_utc(2026, 12, 3, 12, 0, 0));
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
	assert_int_equal(e->start_utc, dates_timegm_utc(2026, 12, 10, 23, 0, 0));
	assert_int_equal(e->end_utc, dates_timegm_utc(2026, 12, 11, 1, 0, 0));
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
	assert_int_equal(p->events[0].start_utc, dates_timegm_utc(2020, 5, 6, 11, 0,
	    0));
	assert_int_equal(p->events[0].start.hour, 11);
	assert_string_equal(q->events[0].tzid, "Europe/Berlin");
	assert_int_equal(q->events[0].start_utc, dates_timegm_utc(2020, 5, 6, 17, 0,
	    0));
	assert_string_equal(r->events[0].tzid, "Asia/Tokyo");
	assert_int_equal(r->events[0].start_utc, dates_timegm_utc(2020, 5, 6, 10, 0,
	    0));
	assert_non_null(strstr(p->summary, "2020-05-06 11:00–12:00 UTC"));
	page_free(p);
	page_free(q);
	page_free(r);
}

/*
 * An event links to an id its page has, else to the page; a stream's
 * URL is its location; a zone written beside the times is obeyed.
 */
static void
schedule_links_and_places(void **state)
{
	struct page *p = parse("m/s.md", "---\ntitle: S\n"
	    "date: 2020-07-01T10:00:00+08:00\ntimezone: Asia/Shanghai\n---\n"
	    "![海报](poster.png)\n\n"
	    "时间：2020 年 7 月 22 日（周三）晚 8 点 - 9 点\n"
	    "地址：https://live.example.com/000\n\n"
	    "## 第二讲 {#talk-two}\n\n时间：2020/7/23 19:00-20:00\n"
	    "时间：2020/7/24 19:00 开始\n"
	    "地点：三楼报告厅\n直播：https://live.example.com/2\n\n"
	    "## Q&A\n\nWhen: July 25, 2020 7pm-8pm (GMT+0)\n");
	const char *md = "## 第二讲 {#talk-two}\n";
	char *html = markdown_to_html(md, strlen(md), "https://x.org/p/");

	(void)state;
	/* Hugo's explicit id is the heading's id, and not its text. */
	assert_non_null(strstr(html, "<h2 id=\"talk-two\">第二讲</h2>"));
	free(html);
	assert_int_equal(p->nevents, 4);
	/* Above every heading: the page itself, not "#schedule". */
	assert_string_equal(p->events[0].url, "https://meet.example.org/m/s/");
	assert_string_equal(p->events[0].location,
	    "https://live.example.com/000");
	assert_string_equal(p->events[0].description,
	    "时间：2020 年 7 月 22 日（周三）晚 8 点 - 9 点\n"
	    "地址：https://live.example.com/000");
	assert_string_equal(p->events[0].tzid, "Asia/Shanghai");
	assert_int_equal(p->events[0].start_utc, dates_timegm_utc(2020, 7, 22, 12,
	    0, 0));
	assert_int_equal(p->events[0].end_utc, dates_timegm_utc(2020, 7, 22, 13,
	    0, 0));
	/* Two events under one heading: one anchor, two UIDs. */
	assert_string_equal(p->events[1].url,
	    "https://meet.example.org/m/s/#talk-two");
	assert_string_equal(p->events[2].url,
	    "https://meet.example.org/m/s/#talk-two");
	assert_string_not_equal(p->events[1].uid, p->events[2].uid);
	/* A hall and a stream: the hall is where it is. */
	assert_string_equal(p->events[1].location, "三楼报告厅");
	assert_int_equal(p->events[2].end_utc - p->events[2].start_utc, 3600);
	/* "(GMT+0)" is not Shanghai's offset: UTC times. */
	assert_string_equal(p->events[3].url,
	    "https://meet.example.org/m/s/#qa");
	assert_null(p->events[3].tzid);
	assert_int_equal(p->events[3].start_utc, dates_timegm_utc(2020, 7, 25, 19,
	    0, 0));
	page_free(p);
}

/* Which ends were written (structured data claims only those), and
 * where to watch: `online`, a schedule's Live line. */
static void
event_end_open_and_online(void **state)
{
	struct page *p = parse("news/e.md", "---\ntitle: T\n"
	    "date: 2026-01-01T10:00:00Z\ntimezone: Europe/Berlin\n"
	    "location: Hall\nevents:\n"
	    "  - title: A\n    start: 2026-12-03T18:30\n"
	    "    end: 2026-12-03T19:30\n"
	    "  - title: B\n    start: 2026-12-03T18:30\n    duration: 1h\n"
	    "  - title: C\n    start: 2026-12-03T18:30\n"
	    "    online: https://live.example.org/c\n"
	    "  - title: D\n    start: 2026-12-04\n"
	    "  - title: E\n    start: 2026-12-05T10:00\n"
	    "    online: ftp://x\n---\n"
	    "## F\nWhen: 2026-12-06 starting at 7pm\n"
	    "Live: https://live.example.org/f\nLocation: Room 9\n");
	size_t i;

	(void)state;
	assert_int_equal(p->nevents, 6);
	for (i = 0; i < p->nevents; i++) {
		/* Every end is the same hour in calendars... */
		const struct event *e = &p->events[i];

		assert_int_equal(e->end_utc - e->start_utc, 3600 +
		    (e->all_day ? 82800 : 0));
	}
	/* ...but only A's and B's were written. */
	assert_int_equal(p->events[0].end_open, 0);
	assert_int_equal(p->events[1].end_open, 0);
	assert_int_equal(p->events[2].end_open, 1);
	assert_int_equal(p->events[3].end_open, 1);
	assert_int_equal(p->events[5].end_open, 1);
	/* A stream with no place is the place; a bad one is ignored. */
	assert_string_equal(event_online(&p->events[2]), "https://live.example.org/c");
	assert_string_equal(p->events[2].location,
	    "https://live.example.org/c");
	assert_null(event_online(&p->events[4]));
	assert_string_equal(p->events[4].location, "Hall");
	assert_string_equal(event_online(&p->events[5]), "https://live.example.org/f");
	assert_string_equal(p->events[5].location, "Room 9");
	assert_true(p->diags.n >= 1);
	page_free(p);
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
		cmocka_unit_test(schedule_links_and_places),
		cmocka_unit_test(event_end_open_and_online),
	};

	return cmocka_run_group_tests_name("page", tests, setup_config,
	    teardown_config);
}

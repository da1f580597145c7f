/*
 * test_page.c -- a content file to a page: Markdown with absolute links,
 * permalinks and tag: ids, visibility, front-matter events, the zone of
 * a written schedule, and a page's image (its keys, its bundle's files).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fixture.h"
#include "site_fixture.h"

#include "image.h"
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

/* --- a page's image (image.c) ------------------------------------- */

#define TRIP	"https://meet.example.org/news/trip/"

/* The bundle news/trip/index.md with front matter keys and files. */
static struct page *
bundle(const char *keys, const struct bundle_file *files, size_t n)
{
	char *text = xasprintf("---\ntitle: Trip\ndate: 2026-05-02\n%s---\n"
	    "Body.\n", keys);
	struct page *p = page_parse_bundle(&cfg, "news/trip/index.md", text,
	    strlen(text), 0, files, n, NULL);

	free(text);
	assert_true(p->ok);
	return p;
}

/* The image of the bundle with keys and no files, or NULL ("" when
 * the page has none). */
static void
assert_image(const char *keys, const char *want)
{
	struct page *p = bundle(keys, NULL, 0);

	if (want == NULL)
		assert_null(p->image);
	else
		assert_string_equal(p->image, want);
	page_free(p);
}

/* Does p have a warning on line naming text? */
static void
assert_warning(const struct page *p, int line, const char *text)
{
	size_t i;

	for (i = 0; i < p->diags.n; i++)
		if (p->diags.v[i].level == DIAG_WARNING &&
		    p->diags.v[i].line == line &&
		    strstr(p->diags.v[i].message, text) != NULL)
			return;
	for (i = 0; i < p->diags.n; i++)
		print_message("%d: %s\n", p->diags.v[i].line,
		    p->diags.v[i].message);
	fail_msg("no warning on line %d naming '%s'", line, text);
}

static void
image_each_key(void **state)
{
	(void)state;
	assert_image("images: [a.png, b.png]\n", TRIP "a.png");
	assert_image("images: a.png\n", TRIP "a.png");
	assert_image("image: a.png\n", TRIP "a.png");
	assert_image("featured_image: a.png\n", TRIP "a.png");
	assert_image("featuredImage: a.png\n", TRIP "a.png");
	assert_image("cover:\n  image: a.png\n  alt: A lake\n", TRIP "a.png");
	assert_image("cover: a.png\n", TRIP "a.png");
	assert_image("thumbnail: a.png\n", TRIP "a.png");
	assert_image("images: []\n", NULL);
	assert_image("cover:\n  hidden: true\n", NULL);
	assert_image("image: \"  \"\n", NULL);
	assert_image("title2: a.png\n", NULL);
}

static void
image_key_order(void **state)
{
	static const char *const keys[] = {
		"images: [1.png]\n", "image: 2.png\n",
		"featured_image: 3.png\n", "featuredImage: 4.png\n",
		"cover:\n  image: 5.png\n", "thumbnail: 6.png\n",
	};
	char want[64], *fm;
	size_t i, k;

	(void)state;
	/* Each key wins over every key after it, written before or after. */
	for (i = 0; i < nitems(keys); i++) {
		fm = xstrdup("");
		for (k = nitems(keys); k-- > i;) {
			char *more = xasprintf("%s%s", fm, keys[k]);

			free(fm);
			fm = more;
		}
		snprintf(want, sizeof want, TRIP "%zu.png", i + 1);
		assert_image(fm, want);
		free(fm);
	}
}

static void
image_wrong_types(void **state)
{
	struct page *p;

	(void)state;
	p = bundle("images: 5\nimage: a.png\n", NULL, 0);
	assert_string_equal(p->image, TRIP "a.png");
	assert_warning(p, 4, "'images' should be a list");
	page_free(p);
	p = bundle("images:\n  - {src: x.png}\nfeatured_image: [b.png]\n"
	    "cover:\n  image: 3\nthumbnail: c.png\n", NULL, 0);
	assert_string_equal(p->image, TRIP "c.png");
	assert_warning(p, 4, "'images' should be a list");
	assert_warning(p, 6, "'featured_image' should be an image URL");
	assert_warning(p, 8, "'cover' should be");
	page_free(p);
	p = bundle("cover: true\nthumbnail:\n  src: x.png\n", NULL, 0);
	assert_null(p->image);
	assert_warning(p, 4, "'cover' should be");
	assert_warning(p, 5, "'thumbnail' should be an image URL");
	page_free(p);
}

static void
image_urls(void **state)
{
	struct page *p;

	(void)state;
	assert_image("image: ../shared/a.png\n",
	    "https://meet.example.org/news/shared/a.png");
	assert_image("image: /img/poster.png\n",
	    "https://meet.example.org/img/poster.png");
	assert_image("image: https://cdn.example.net/a.png?w=600\n",
	    "https://cdn.example.net/a.png?w=600");
	assert_image("image: //cdn.example.net/a.png\n",
	    "https://cdn.example.net/a.png");
	assert_image("image: my photo é.png\n",
	    TRIP "my%20photo%20%C3%A9.png");
	p = bundle("images: [\"javascript:alert(1)\"]\n"
	    "image: \"data:image/png;base64,iVBORw0KGgo=\"\n"
	    "featured_image: \" JavaScript:alert(2)\"\n"
	    "cover: \"vbscript:x\"\nthumbnail: file:///etc/passwd\n", NULL, 0);
	assert_null(p->image);
	assert_warning(p, 4, "javascript:alert(1) is not an http(s) URL");
	assert_warning(p, 5, "'image'");
	assert_warning(p, 6, "'featured_image'");
	assert_warning(p, 7, "'cover'");
	assert_warning(p, 8, "'thumbnail'");
	page_free(p);
}

static void
image_of_events(void **state)
{
	struct page *p = bundle("image: poster.png\nevents:\n"
	    "  - title: A\n    start: 2026-06-01T10:00\n    image: a b.png\n"
	    "  - title: B\n    start: 2026-06-02T10:00\n"
	    "    image: \"javascript:alert(1)\"\n"
	    "  - title: C\n    start: 2026-06-03T10:00\n", NULL, 0);

	(void)state;
	assert_int_equal(p->nevents, 3);
	assert_string_equal(p->events[0].image, TRIP "a%20b.png");
	/* Refused, a warning on its event's line: the page's stands in. */
	assert_string_equal(p->events[1].image, TRIP "poster.png");
	assert_warning(p, p->events[1].line,
	    "event 'B': image javascript:alert(1) is not an http(s) URL");
	assert_string_equal(p->events[2].image, TRIP "poster.png");
	page_free(p);
}

static void
image_of_bundle_files(void **state)
{
	const struct bundle_file files[] = {
		{ "a.jpg", 10 }, { "cover.png", 10 }, { "feature.pdf", 10 },
		{ "notes.txt", 10 }, { "team-Featured.JPG", 10 },
		{ "thumbnail.gif", 10 },
	};
	struct page *p;

	(void)state;
	p = bundle("", files, nitems(files));	/* *feature*, any case */
	assert_string_equal(p->image, TRIP "team-Featured.JPG");
	page_free(p);
	p = bundle("", files, 4);		/* else *cover* */
	assert_string_equal(p->image, TRIP "cover.png");
	page_free(p);
	p = bundle("", files + 2, nitems(files) - 2);
	assert_string_equal(p->image, TRIP "team-Featured.JPG");
	page_free(p);
	p = bundle("", files + 5, 1);		/* or *thumbnail* */
	assert_string_equal(p->image, TRIP "thumbnail.gif");
	page_free(p);
	p = bundle("", files, 1);		/* no name matches */
	assert_null(p->image);
	page_free(p);
	p = bundle("", files + 2, 2);		/* not an image */
	assert_null(p->image);
	page_free(p);
	p = bundle("image: https://cdn.example.net/x.png\n", files,
	    nitems(files));			/* a key comes first */
	assert_string_equal(p->image, "https://cdn.example.net/x.png");
	page_free(p);
	p = bundle("_build:\n  publishResources: false\n", files,
	    nitems(files));			/* not served: not chosen */
	assert_null(p->image);
	page_free(p);
}

static void
image_only_served_files(void **state)
{
	const struct bundle_file big[] = {
		{ "cover.png", 10 }, { "featured.png", 1LL << 40 },
	};
	const struct bundle_file odd[] = {
		{ "cover photo.png", 10 }, { "featured.md", 10 },
	};
	struct page *p;

	(void)state;
	p = bundle("", big, nitems(big));	/* over max_resource_size */
	assert_string_equal(p->image, TRIP "cover.png");
	page_free(p);
	p = bundle("", odd, nitems(odd));	/* a source; a space escaped */
	assert_string_equal(p->image, TRIP "cover%20photo.png");
	page_free(p);
}

static void
image_resources_metadata(void **state)
{
	const struct bundle_file files[] = {
		{ "a.jpg", 10 }, { "b.jpg", 10 }, { "p.jpg", 10 },
		{ "photo-1.png", 10 }, { "photo-2.png", 10 },
	};
	struct page *p;

	(void)state;
	p = bundle("resources:\n  - src: p.jpg\n    name: cover\n", files,
	    nitems(files));
	assert_string_equal(p->image, TRIP "p.jpg");
	page_free(p);
	/* A glob, and the first entry that matches with a name wins. */
	p = bundle("resources:\n  - src: \"*.jpg\"\n    title: Photo\n"
	    "  - src: \"photo-*\"\n    name: gallery\n"
	    "  - src: \"photo-2.png\"\n    name: featured\n"
	    "  - src: \"{a,b}.JPG\"\n    name: thumbnail-:counter\n",
	    files, nitems(files));
	assert_string_equal(p->image, TRIP "a.jpg");	/* thumbnail-1 */
	page_free(p);
	/* Named alike, the first by name: b's "x-feature" before a's. */
	p = bundle("resources:\n  - src: \"[ab].jpg\"\n"
	    "    name: \":counter-feature\"\n"
	    "  - src: p.jpg\n    name: featured\n", files + 1, 2);
	assert_string_equal(p->image, TRIP "b.jpg");	/* 1-feature */
	page_free(p);
	p = bundle("resources:\n  - src: b.jpg\n    name: z-feature\n"
	    "  - src: p.jpg\n    name: a-feature\n", files, nitems(files));
	assert_string_equal(p->image, TRIP "p.jpg");
	page_free(p);
	/* A name that no longer matches: the file's own is not read. */
	p = bundle("resources:\n  - src: \"*\"\n    name: photo\n",
	    (const struct bundle_file[]){ { "cover.jpg", 1 } }, 1);
	assert_null(p->image);
	page_free(p);
	/* Bad metadata is skipped. */
	p = bundle("resources:\n  - name: cover\n  - src: 4\n  - 7\n",
	    files, nitems(files));
	assert_null(p->image);
	page_free(p);
}

static void
image_globs(void **state)
{
	(void)state;
	assert_true(image_glob_match("{*cover*,*thumbnail*}", "Thumbnail.png"));
	assert_true(image_glob_match("{*cover*,*thumbnail*}", "my-cover"));
	assert_false(image_glob_match("{*cover*,*thumbnail*}", "thumb.png"));
	assert_true(image_glob_match("images/*.jpg", "images/a.JPG"));
	assert_false(image_glob_match("images/*.jpg", "images/b/a.jpg"));
	assert_false(image_glob_match("*.jpg", "images/a.jpg"));
	assert_true(image_glob_match("photo-?.{png,{jpg,jpeg}}", "photo-1.jpeg"));
	assert_false(image_glob_match("photo-?.{png,{jpg,jpeg}}", "photo-1.gif"));
	assert_true(image_glob_match("a{b", "a{b"));	/* unbalanced: literal */
	assert_true(image_glob_match("[!x]*", "cover"));
	assert_false(image_glob_match("[!c]*", "cover"));
	assert_true(image_glob_match("photo-[0-9][0-9].png", "photo-12.png"));
	assert_false(image_glob_match("photo-[0-9].png", "photo-x.png"));
	assert_true(image_glob_match("a[b", "a[b"));	/* unterminated */
	assert_true(image_glob_match("\\*x", "*x"));
	assert_false(image_glob_match("\\*x", "ax"));
	assert_false(image_glob_match("a?c", "a/c"));
}

/* Patterns that make a backtracking matcher take exponential time, or
 * braces that expand to millions of patterns: answered, and right where
 * an answer is within reach. */
static void
image_globs_bounded(void **state)
{
	char name[201], stars[128];
	size_t i;

	(void)state;
	memset(name, 'a', 200);
	name[200] = '\0';
	for (i = 0; i < 40; i++)
		memcpy(stars + 2 * i, "*a", 2);
	memcpy(stars + 80, "*b", 3);
	assert_false(image_glob_match(stars, name));
	name[199] = 'b';
	assert_true(image_glob_match(stars, name));
	assert_false(image_glob_match("{a,b}{a,b}{a,b}{a,b}{a,b}{a,b}{a,b}"
	    "{a,b}{a,b}{a,b}{a,b}{a,b}{a,b}{a,b}{a,b}{a,b}{a,b}{a,b}{a,b}{a,b}"
	    "{a,b}{a,b}{a,b}{a,b}c", "bbbbbbbbbbbbbbbbbbbbbbbbc"));
	assert_true(image_glob_match("{a,b}{a,b}{a,b}c", "abac"));
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
		cmocka_unit_test(image_each_key),
		cmocka_unit_test(image_key_order),
		cmocka_unit_test(image_wrong_types),
		cmocka_unit_test(image_urls),
		cmocka_unit_test(image_of_events),
		cmocka_unit_test(image_of_bundle_files),
		cmocka_unit_test(image_only_served_files),
		cmocka_unit_test(image_resources_metadata),
		cmocka_unit_test(image_globs),
		cmocka_unit_test(image_globs_bounded),
	};

	return cmocka_run_group_tests_name("page", tests, setup_config,
	    teardown_config);
}

/*
 * test_writers.c -- the Atom, RSS and OPML writers, read back with
 * libxml2; the JSON Feed writer, read back with jansson.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <libxml/parser.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>

#include "fixture.h"
#include "site_fixture.h"

#include "page.h"
#include "render.h"
#include "util.h"

static const struct channel channel = {
	.id = "tag:example.org,2000-01-01:/feed.atom", .title = "Site <&> \"feeds\"",
	.description = "About \x01 us", .self_url = "https://meet.example.org/feed.atom",
	.alternate_url = "https://meet.example.org/",
};

static struct page *
sample(const char *path, const char *title, const char *date)
{
	char *text = xasprintf("---\ntitle: \"%s\"\ndate: %s\n"
	    "tags: [a, b]\ncategories: [news]\nauthor: Ana\n---\n"
	    "Hello [x](rel/) ]]> \xe2\x80\xa8 end\n", title, date);
	struct page *p = page_parse(&cfg, path, text, strlen(text));

	free(text);
	return p;
}

static char *
xpath_string(xmlDocPtr doc, const char *expr)
{
	xmlXPathContextPtr ctx = xmlXPathNewContext(doc);
	xmlXPathObjectPtr obj;
	char *out;

	xmlXPathRegisterNs(ctx, (const xmlChar *)"a",
	    (const xmlChar *)"http://www.w3.org/2005/Atom");
	xmlXPathRegisterNs(ctx, (const xmlChar *)"content",
	    (const xmlChar *)"http://purl.org/rss/1.0/modules/content/");
	xmlXPathRegisterNs(ctx, (const xmlChar *)"fh",
	    (const xmlChar *)FH_NS);
	obj = xmlXPathEvalExpression((const xmlChar *)expr, ctx);
	assert_non_null(obj);
	out = (char *)xmlXPathCastToString(obj);
	xmlXPathFreeObject(obj);
	xmlXPathFreeContext(ctx);
	return out;
}

static void
assert_xpath(xmlDocPtr doc, const char *expr, const char *want)
{
	char *got = xpath_string(doc, expr);

	if (strcmp(got, want) != 0)
		fail_msg("%s: got '%s', want '%s'", expr, got, want);
	xmlFree(got);
}

static void
atom_feed(void **state)
{
	struct page *pages[2];
	xmlDocPtr doc;
	size_t len, len2;
	char *xml, *again;

	(void)state;
	pages[0] = sample("n/b.md", "Second \\x0b", "2026-03-02T10:00:00Z");
	pages[1] = sample("n/a.md", "First", "2026-03-01T10:00:00Z");
	xml = render_atom(&cfg, &channel, pages, 2, &len);
	assert_non_null(xml);
	doc = xmlReadMemory(xml, (int)len, "feed.atom", NULL, XML_PARSE_NONET);
	assert_non_null(doc);	/* well-formed despite \x01, \x0b, ]]> */
	assert_xpath(doc, "/a:feed/a:title", "Site <&> \"feeds\"");
	assert_xpath(doc, "/a:feed/a:subtitle", "About  us");
	assert_xpath(doc, "/a:feed/a:updated", "2026-03-02T10:00:00Z");
	assert_xpath(doc, "/a:feed/a:link[@rel='self']/@href",
	    "https://meet.example.org/feed.atom");
	assert_xpath(doc, "count(/a:feed/a:entry)", "2");
	assert_xpath(doc, "/a:feed/a:entry[1]/a:id",
	    "tag:example.org,2026-03-02:/n/b/");
	assert_xpath(doc, "/a:feed/a:entry[1]/a:published",
	    "2026-03-02T10:00:00Z");
	assert_xpath(doc, "/a:feed/a:entry[2]/a:link/@href",
	    "https://meet.example.org/n/a/");
	assert_xpath(doc, "count(/a:feed/a:entry[1]/a:category)", "3");
	assert_xpath(doc, "/a:feed/a:entry[1]/a:author/a:name", "Ana");
	assert_xpath(doc, "/a:feed/a:entry[1]/a:content/@type", "html");
	assert_true(strstr(xml, "https://meet.example.org/n/b/rel/") != NULL);
	/* Deterministic: the same input gives the same bytes. */
	again = render_atom(&cfg, &channel, pages, 2, &len2);
	assert_int_equal(len, len2);
	assert_memory_equal(xml, again, len);
	xmlFreeDoc(doc);
	free(xml);
	free(again);
	page_free(pages[0]);
	page_free(pages[1]);
}

/* An entry with translations: its own alternate first, with its
 * language, then theirs; RSS and JSON Feed items leave them out. */
static void
atom_translations(void **state)
{
	struct page *p = sample("n/a.md", "First", "2026-03-01T10:00:00Z");
	struct page *zh = sample("zh/n/a.md", "First", "2026-03-01T10:00:00Z");
	const struct feed_writer *others[] = { &rss_writer, &jsonfeed_writer };
	static const char *const attrs[] = { "hreflang", "href", "type" };
	static const char *const want[][3] = {
		{ "en-GB", "https://meet.example.org/n/a/", "text/html" },
		{ "zh-CN", "https://meet.example.org/zh/n/a/", "text/html" },
		{ "", "https://meet.example.org/n/a/", "text/html" },
	};
	xmlDocPtr doc;
	size_t len, len2, i, k;
	char *entry, *feed, *plain, expr[64];

	(void)state;
	p->lang = xstrdup("en-GB");
	zh->lang = xstrdup("zh-CN");
	entry = atom_writer.entry(p, &zh, 1, &len);
	assert_non_null(entry);
	feed = xasprintf("<feed xmlns=\"http://www.w3.org/2005/Atom\">%s"
	    "</feed>", entry);
	doc = xmlReadMemory(feed, (int)strlen(feed), "e.atom", NULL,
	    XML_PARSE_NONET);
	assert_non_null(doc);
	assert_xpath(doc, "count(//a:link[@rel='alternate'])", "3");
	for (i = 0; i < nitems(want); i++)
		for (k = 0; k < nitems(attrs); k++) {
			snprintf(expr, sizeof expr,
			    "//a:link[@rel='alternate'][%zu]/@%s", i + 1,
			    attrs[k]);
			assert_xpath(doc, expr, want[i][k]);
		}
	xmlFreeDoc(doc);
	free(feed);
	free(entry);
	/* None: the one link, without hreflang, as before. */
	entry = atom_writer.entry(p, NULL, 0, &len);
	assert_non_null(strstr(entry, "<link rel=\"alternate\" "
	    "type=\"text/html\" href=\"https://meet.example.org/n/a/\"/>"));
	assert_null(strstr(entry, "hreflang"));
	free(entry);
	for (i = 0; i < nitems(others); i++) {
		entry = others[i]->entry(p, &zh, 1, &len);
		plain = others[i]->entry(p, NULL, 0, &len2);
		assert_int_equal(len, len2);
		assert_memory_equal(entry, plain, len);
		free(entry);
		free(plain);
	}
	page_free(p);
	page_free(zh);
}

static void
rss_feed(void **state)
{
	struct page *pages[1];
	xmlDocPtr doc;
	size_t len;
	char *xml;

	(void)state;
	pages[0] = sample("n/a.md", "First", "2020-05-06T10:41:54+08:00");
	xml = render_rss(&cfg, &channel, pages, 1, &len);
	doc = xmlReadMemory(xml, (int)len, "feed.rss", NULL, XML_PARSE_NONET);
	assert_non_null(doc);
	assert_xpath(doc, "/rss/@version", "2.0");
	assert_xpath(doc, "/rss/channel/a:link[@rel='self']/@href",
	    "https://meet.example.org/feed.atom");
	assert_xpath(doc, "/rss/channel/item/guid/@isPermaLink", "false");
	assert_xpath(doc, "/rss/channel/item/guid",
	    "tag:example.org,2020-05-06:/n/a/");
	assert_xpath(doc, "/rss/channel/item/pubDate",
	    "Wed, 06 May 2020 02:41:54 +0000");
	assert_xpath(doc, "count(/rss/channel/item/category)", "3");
	assert_true(strstr(xml, "content:encoded") != NULL);
	xmlFreeDoc(doc);
	free(xml);
	page_free(pages[0]);
}

/* The feed as one text is the head, each entry (the first without its
 * separator) and the tail: what catalog_feeds.c stitches. */
static char *
assembled(const struct feed_writer *fw, struct page *const *pages, size_t n,
    size_t *len)
{
	struct buf b;
	size_t i, k;
	char *s;

	buf_init(&b);
	s = fw->head(&cfg, &channel, pages, n, &k);
	assert_non_null(s);
	buf_add(&b, s, k);
	free(s);
	for (i = 0; i < n; i++) {
		s = fw->entry(pages[i], NULL, 0, &k);
		assert_non_null(s);
		assert_true(k >= fw->separator_len);
		if (i == 0)
			buf_add(&b, s + fw->separator_len, k - fw->separator_len);
		else
			buf_add(&b, s, k);
		free(s);
	}
	buf_addstr(&b, fw->tail);
	*len = b.len;
	return buf_steal(&b);
}

static json_t *
json_read(const char *text, size_t len)
{
	json_error_t err;
	json_t *o = json_loadb(text, len, JSON_REJECT_DUPLICATES, &err);

	if (o == NULL)
		fail_msg("not JSON: %s at %d: %s", err.text, err.position, text);
	return o;
}

static const char *
json_str(json_t *o, const char *path)
{
	char *copy = xstrdup(path), *key, *save = NULL;
	json_t *v = o;

	for (key = strtok_r(copy, ".", &save); key != NULL && v != NULL;
	    key = strtok_r(NULL, ".", &save))
		v = key[0] >= '0' && key[0] <= '9' ?
		    json_array_get(v, (size_t)atoi(key)) :
		    json_object_get(v, key);
	free(copy);
	if (v == NULL || !json_is_string(v))
		fail_msg("%s: not a string", path);
	return json_string_value(v);
}

static void
jsonfeed_feed(void **state)
{
	struct page *pages[3];
	size_t n, len, len2;
	char *text, *again;
	json_t *o;

	(void)state;
	pages[0] = sample("n/c.md", "Third \\\"q\\\" \\\\ \\x0b", "2026-03-03T10:00:00Z");
	pages[1] = sample("n/b.md", "Second", "2026-03-02T10:00:00+01:00");
	pages[2] = sample("n/a.md", "First", "2026-03-01T10:00:00Z");
	for (n = 0; n <= 3; n++) {
		text = render_jsonfeed(&cfg, &channel, pages, n, &len);
		assert_non_null(text);
		assert_int_equal(strlen(text), len);
		again = assembled(&jsonfeed_writer, pages, n, &len2);
		assert_int_equal(len, len2);
		assert_memory_equal(text, again, len);
		o = json_read(text, len);
		assert_string_equal(json_str(o, "version"),
		    "https://jsonfeed.org/version/1.1");
		assert_string_equal(json_str(o, "title"), "Site <&> \"feeds\"");
		/* cleaned as the XML writers clean it */
		assert_string_equal(json_str(o, "description"), "About  us");
		assert_string_equal(json_str(o, "feed_url"),
		    "https://meet.example.org/feed.atom");
		assert_string_equal(json_str(o, "home_page_url"),
		    "https://meet.example.org/");
		assert_string_equal(json_str(o, "authors.0.name"), cfg.author);
		assert_null(json_object_get(o, "hubs"));
		assert_int_equal(json_array_size(json_object_get(o, "items")), n);
		if (n == 3) {
			assert_string_equal(json_str(o, "items.0.id"),
			    "tag:example.org,2026-03-03:/n/c/");
			assert_string_equal(json_str(o, "items.0.title"),
			    "Third \"q\" \\");
			assert_string_equal(json_str(o, "items.1.date_published"),
			    "2026-03-02T09:00:00Z");
			assert_string_equal(json_str(o, "items.2.url"),
			    "https://meet.example.org/n/a/");
			assert_string_equal(json_str(o, "items.0.tags.2"), "news");
			assert_string_equal(json_str(o, "items.0.authors.0.name"),
			    "Ana");
			assert_non_null(strstr(json_str(o, "items.0.content_html"),
			    "https://meet.example.org/n/c/rel/"));
			/* U+2028 stays a character, not broken bytes */
			assert_non_null(strstr(json_str(o, "items.0.content_html"),
			    "\xe2\x80\xa8"));
		}
		json_decref(o);
		free(text);
		free(again);
	}
	page_free(pages[0]);
	page_free(pages[1]);
	page_free(pages[2]);
}

static void
jsonfeed_hub(void **state)
{
	struct channel ch = channel;
	size_t len;
	char *text;
	json_t *o;

	(void)state;
	ch.hub_url = "https://hub.example.net/";
	text = render_jsonfeed(&cfg, &ch, NULL, 0, &len);
	o = json_read(text, len);
	assert_string_equal(json_str(o, "hubs.0.type"), "WebSub");
	assert_string_equal(json_str(o, "hubs.0.url"), "https://hub.example.net/");
	json_decref(o);
	free(text);
}

static void
opml_list(void **state)
{
	const struct opml_subject site[] = {
		{ "Site & co", "https://x.example/feed.atom", "https://x.example/",
		    "https://x.example/calendar.ics" },
	};
	const struct opml_subject tags[] = {
		{ "Site: tag a", "https://x.example/tags/a/feed.atom",
		    "https://x.example/tags/a/", NULL },
		{ "Site: tag b\x01", "https://x.example/tags/b/feed.atom",
		    "https://x.example/tags/b/", "https://x.example/tags/b/calendar.ics" },
	};
	const struct opml_group groups[] = {
		{ "Site & co", site, 1 }, { "Sections", NULL, 0 }, { "Tags", tags, 2 },
	};
	xmlDocPtr doc;
	size_t len;
	char *xml;

	(void)state;
	xml = render_opml(&cfg, groups, 3, &len);
	assert_non_null(xml);
	doc = xmlReadMemory(xml, (int)len, "feeds.opml", NULL, XML_PARSE_NONET);
	assert_non_null(doc);
	assert_xpath(doc, "/opml/@version", "2.0");
	assert_xpath(doc, "/opml/head/title", cfg.title);
	/* an empty group is left out */
	assert_xpath(doc, "count(/opml/body/outline)", "2");
	assert_xpath(doc, "/opml/body/outline[1]/@text", "Site & co");
	assert_xpath(doc, "/opml/body/outline[1]/outline[1]/@type", "rss");
	assert_xpath(doc, "/opml/body/outline[1]/outline[1]/@xmlUrl",
	    "https://x.example/feed.atom");
	assert_xpath(doc, "/opml/body/outline[1]/outline[2]/@type", "link");
	assert_xpath(doc, "/opml/body/outline[1]/outline[2]/@url",
	    "https://x.example/calendar.ics");
	assert_xpath(doc, "count(/opml/body/outline[2]/outline[@type='rss'])", "2");
	assert_xpath(doc, "count(/opml/body/outline[2]/outline[@type='link'])", "1");
	assert_xpath(doc, "/opml/body/outline[2]/outline[2]/@title", "Site: tag b");
	assert_xpath(doc, "/opml/body/outline[2]/outline[1]/@htmlUrl",
	    "https://x.example/tags/a/");
	xmlFreeDoc(doc);
	free(xml);
}

/* An archive page (RFC 5005): fh:archive and the three relations, in
 * Atom and RSS; and a page's enclosures, all in Atom, one in RSS. */
static void
archive_and_enclosures(void **state)
{
	const char *text = "---\ntitle: Ep\ndate: 2026-03-01T10:00:00Z\n"
	    "audio: https://cdn.example.org/a\n"
	    "enclosure: {url: /m/ep.mp3, length: 42}\n"
	    "video: {url: v.webm, type: video/webm}\n---\nHi\n";
	struct channel ch = channel;
	struct page *pages[1];
	xmlDocPtr doc;
	size_t len;
	char *xml;

	(void)state;
	pages[0] = page_parse(&cfg, "n/ep.md", text, strlen(text));
	assert_int_equal(pages[0]->nenclosures, 3);
	ch.archive = 1;
	ch.current_url = "https://meet.example.org/feed.atom";
	ch.prev_archive_url = "https://meet.example.org/archive/1/feed.atom";
	ch.next_archive_url = "https://meet.example.org/archive/3/feed.atom";
	xml = render_atom(&cfg, &ch, pages, 1, &len);
	doc = xmlReadMemory(xml, (int)len, "a.atom", NULL, XML_PARSE_NONET);
	assert_non_null(doc);
	assert_xpath(doc, "count(/a:feed/fh:archive)", "1");
	assert_xpath(doc, "/a:feed/a:link[@rel='current']/@href",
	    ch.current_url);
	assert_xpath(doc, "/a:feed/a:link[@rel='prev-archive']/@href",
	    ch.prev_archive_url);
	assert_xpath(doc, "/a:feed/a:link[@rel='next-archive']/@href",
	    ch.next_archive_url);
	/* Written order: enclosure, audio, video; relative URLs made
	 * absolute; unknown type or length left out. */
	assert_xpath(doc, "count(/a:feed/a:entry/a:link[@rel='enclosure'])",
	    "3");
	assert_xpath(doc, "/a:feed/a:entry/a:link[@rel='enclosure'][1]/@href",
	    "https://meet.example.org/m/ep.mp3");
	assert_xpath(doc, "/a:feed/a:entry/a:link[@rel='enclosure'][1]/@type",
	    "audio/mpeg");
	assert_xpath(doc,
	    "/a:feed/a:entry/a:link[@rel='enclosure'][1]/@length", "42");
	assert_xpath(doc,
	    "count(/a:feed/a:entry/a:link[@rel='enclosure'][2]/@type)", "0");
	assert_xpath(doc, "/a:feed/a:entry/a:link[@rel='enclosure'][3]/@href",
	    "https://meet.example.org/n/ep/v.webm");
	assert_xpath(doc,
	    "count(/a:feed/a:entry/a:link[@rel='enclosure'][3]/@length)", "0");
	xmlFreeDoc(doc);
	free(xml);
	xml = render_rss(&cfg, &ch, pages, 1, &len);
	doc = xmlReadMemory(xml, (int)len, "a.rss", NULL, XML_PARSE_NONET);
	assert_non_null(doc);
	assert_xpath(doc, "count(/rss/channel/fh:archive)", "1");
	assert_xpath(doc, "/rss/channel/a:link[@rel='prev-archive']/@href",
	    ch.prev_archive_url);
	assert_xpath(doc, "count(/rss/channel/item/enclosure)", "1");
	assert_xpath(doc, "/rss/channel/item/enclosure/@length", "42");
	xmlFreeDoc(doc);
	free(xml);
	/* A subscription feed without history has none of it. */
	xml = render_atom(&cfg, &channel, pages, 1, &len);
	assert_null(strstr(xml, "fh:"));
	assert_null(strstr(xml, "archive"));
	free(xml);
	page_free(pages[0]);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(atom_feed),
		cmocka_unit_test(atom_translations),
		cmocka_unit_test(rss_feed),
		cmocka_unit_test(jsonfeed_feed),
		cmocka_unit_test(jsonfeed_hub),
		cmocka_unit_test(opml_list),
		cmocka_unit_test(archive_and_enclosures),
	};

	return cmocka_run_group_tests_name("writers", tests, setup_config,
	    teardown_config);
}

/*
 * test_writers.c -- the Atom and RSS writers, read back with libxml2.
 */
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>

#include "fixture.h"
#include "site_fixture.h"

#include "page.h"
#include "render.h"
#include "util.h"

static const struct channel channel = {
	"tag:example.org,2000-01-01:/feed.atom", "Site <&> \"feeds\"",
	"About \x01 us", "https://meet.example.org/feed.atom",
	"https://meet.example.org/", NULL, NULL
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

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(atom_feed),
		cmocka_unit_test(rss_feed),
	};

	return cmocka_run_group_tests_name("writers", tests, setup_config,
	    teardown_config);
}

/*
 * test_rawhtml.c -- raw HTML in Markdown as Hugo 0.111 renders it by
 * default (each expected string is what `hugo` 0.111.3 wrote for the same
 * Markdown, in a site with no markup settings), and the allow-list that
 * unsafe_html = 1 applies.
 */
#include <stdlib.h>
#include <string.h>

#include "fixture.h"

#include "markdown.h"
#include "rawhtml.h"
#include "util.h"

#define BASE "https://example.org/posts/raw/"

/* Hugo and md4c differ in the newlines between tags only. */
static char *
squeeze(const char *html)
{
	char *out = malloc(strlen(html) + 1), *o = out;
	const char *s;

	for (s = html; *s != '\0'; s++) {
		if (*s == '\n' && (o == out || o[-1] == '>'))
			continue;
		*o++ = *s;
	}
	*o = '\0';
	return out;
}

static void
check(const char *md, int unsafe, const char *expected)
{
	char *html = markdown_render(md, strlen(md), BASE, unsafe, NULL);
	char *got = squeeze(html), *want = squeeze(expected);

	assert_string_equal(got, want);
	free(got);
	free(want);
	free(html);
}

static void
omitted_block_and_inline(void **state)
{
	(void)state;
	check("<div align=\"center\"><img src=\"a.png\"></div>\n\n"
	    "Text with <b>bold</b> and <a\nhref=\"x\">link</a> end.\n",
	    0,
	    "<!-- raw HTML omitted -->\n"
	    "<p>Text with <!-- raw HTML omitted -->bold<!-- raw HTML "
	    "omitted --> and <!-- raw HTML omitted -->link<!-- raw HTML "
	    "omitted --> end.</p>\n");
}

static void
omitted_in_containers(void **state)
{
	(void)state;
	check("> <div>\n> quoted\n> </div>\n>\n> after\n\n"
	    "- item\n  <div>\n  inner\n\n  </div>\n- next\n",
	    0,
	    "<blockquote>\n<!-- raw HTML omitted -->\n<p>after</p>\n"
	    "</blockquote>\n<ul>\n<li>\n<p>item</p>\n"
	    "<!-- raw HTML omitted -->\n<!-- raw HTML omitted -->\n</li>\n"
	    "<li>\n<p>next</p>\n</li>\n</ul>\n");
}

/* goldmark writes the closing line of these blocks apart: two comments
 * when it is on a later line, one when on the first. */
static void
omitted_twice_when_closed_later(void **state)
{
	(void)state;
	check("<!-- a comment -->\n\nP1\n\n<!-- multi\nline -->\n\nP2\n\n"
	    "<script>\nalert(1)\n</script>\n\nP3\n\n<pre>\nx\n</pre>\n\nP4\n\n"
	    "<?php x ?>\n\nP5\n\n<![CDATA[\nx\n]]>\n",
	    0,
	    "<!-- raw HTML omitted -->\n<p>P1</p>\n"
	    "<!-- raw HTML omitted -->\n<!-- raw HTML omitted -->\n<p>P2</p>\n"
	    "<!-- raw HTML omitted -->\n<!-- raw HTML omitted -->\n<p>P3</p>\n"
	    "<!-- raw HTML omitted -->\n<!-- raw HTML omitted -->\n<p>P4</p>\n"
	    "<!-- raw HTML omitted -->\n<p>P5</p>\n"
	    "<!-- raw HTML omitted -->\n<!-- raw HTML omitted -->\n");
}

/* A script block ends at its closing tag: the next line is Markdown. */
static void
omitted_script_then_paragraph(void **state)
{
	(void)state;
	check("<script>\nalert(1)\n</script>\n"
	    "Para [js](javascript:alert(1)) and ![i](data:image/png;base64,AA)"
	    " <span onclick=\"x\">t</span>\n",
	    0,
	    "<!-- raw HTML omitted -->\n<!-- raw HTML omitted -->\n"
	    "<p>Para <a href=\"\">js</a> and <img src=\"data:image/png;"
	    "base64,AA\" alt=\"i\"> <!-- raw HTML omitted -->t<!-- raw HTML "
	    "omitted --></p>\n");
}

/* Markdown that only looks like HTML is left alone. */
static void
code_is_not_raw_html(void **state)
{
	(void)state;
	check("`<b>` and\n\n    <div>\n\n```\n<i>\n```\n\n<https://x.org/>\n",
	    0,
	    "<p><code>&lt;b&gt;</code> and</p>\n"
	    "<pre><code>&lt;div&gt;\n</code></pre>\n"
	    "<pre><code>&lt;i&gt;\n</code></pre>\n"	/* Hugo: <pre tabindex="0"> */
	    "<p><a href=\"https://x.org/\">https://x.org/</a></p>\n");
}

static void
unsafe_allow_list(void **state)
{
	(void)state;
	check("<div align=\"center\"><img src=\"a.png\" onerror=\"x\" "
	    "style=\"a\"></div>\n\n<script>alert(1)</script>\n\n"
	    "<iframe src=\"https://y\"></iframe><form><input></form>\n\n"
	    "A <a href=\"javascript:alert(1)\">x</a> <a href=\" JaVa\tscript:1"
	    "\">y</a> <font color=red>red</font> <b onclick=\"z\">b</b> "
	    "<a href=\"mailto:a@b.org\">m</a>\n\n"
	    "<details open><summary>S</summary>body</details>\n\n"
	    "<!-- a --!><script>alert(2)</script> -->\n",
	    1,
	    "<div align=\"center\"><img src=\"" BASE "a.png\"></div>\n"
	    "<p>A <a>x</a> <a>y</a> red <b>b</b> "
	    "<a href=\"mailto:a@b.org\">m</a></p>\n"
	    "<details open><summary>S</summary>body</details>\n"
	    " --&gt;\n");		/* the comment and script gone, as text */
}

/* Hugo 0.111 anchors a heading as written (goldmark reads its source):
 * a link's URL, an entity's name, a tag's name are in its id. */
static void
heading_ids_as_hugo(void **state)
{
	static const char *const cases[][2] = {
		{ "## Café & co", "café--co" },
		{ "## Hello, World!", "hello-world" },
		{ "## 多个 空格", "多个-空格" },
		{ "## A `code` heading", "a-code-heading" },
		{ "## Link [text](https://example.org/a) here",
		    "link-texthttpsexampleorga-here" },
		{ "## See [ref][r] too\n\n[r]: https://r.org/",
		    "see-refr-too" },
		{ "## Img ![alt](p.png) x", "img-altppng-x" },
		{ "## Auto <https://x.org> y", "auto-httpsxorg-y" },
		{ "## Tom &amp; Jerry", "tom-amp-jerry" },
		{ "## Not <b>bold</b> here", "not-bboldb-here" },
		{ "## Esc \\*star\\*", "esc-star" },
		{ "## **Bold** _it_", "bold-_it_" },
		{ "Setext heading [l](u)\n---", "setext-heading-lu" },
		{ "## 2024年3月1日（周五）", "2024年3月1日周五" },
		{ "## Closed ##", "closed" },
		{ "## Title {#my-id}", "my-id" },
	};
	char *html, *want;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		html = markdown_render(cases[i][0], strlen(cases[i][0]), BASE,
		    0, NULL);
		want = xasprintf("<h2 id=\"%s\">", cases[i][1]);
		if (strstr(html, want) == NULL)
			fail_msg("%s: %s", cases[i][0], html);
		free(want);
		free(html);
	}
	html = markdown_render("## Title {#my-id}", strlen("## Title {#my-id}"),
	    BASE, 0, NULL);
	assert_string_equal(html, "<h2 id=\"my-id\">Title</h2>\n");
	free(html);
	html = markdown_render("## R\n\n## R\n", strlen("## R\n\n## R\n"), BASE,
	    0, NULL);
	assert_string_equal(html, "<h2 id=\"r\">R</h2>\n<h2 id=\"r-1\">R</h2>\n");
	free(html);
}

static void
url_schemes(void **state)
{
	(void)state;
	assert_true(rawhtml_url_allowed("https://x.org/"));
	assert_true(rawhtml_url_allowed("a/b.png"));
	assert_true(rawhtml_url_allowed("/a:b"));
	assert_true(rawhtml_url_allowed("#top"));
	assert_true(rawhtml_url_allowed("MAILTO:a@b.org"));
	assert_false(rawhtml_url_allowed("javascript:x"));
	assert_false(rawhtml_url_allowed("\x01java\nscript:x"));
	assert_false(rawhtml_url_allowed("data:text/html,x"));
	assert_false(rawhtml_url_allowed("vbscript:x"));
	assert_true(rawhtml_url_dangerous("JavaScript:x"));
	assert_true(rawhtml_url_dangerous("data:text/html,x"));
	assert_false(rawhtml_url_dangerous("data:image/png;base64,AA"));
	assert_false(rawhtml_url_dangerous("https://x.org/"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(omitted_block_and_inline),
		cmocka_unit_test(omitted_in_containers),
		cmocka_unit_test(omitted_twice_when_closed_later),
		cmocka_unit_test(omitted_script_then_paragraph),
		cmocka_unit_test(code_is_not_raw_html),
		cmocka_unit_test(unsafe_allow_list),
		cmocka_unit_test(heading_ids_as_hugo),
		cmocka_unit_test(url_schemes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/*
 * test_shortcode.c -- Hugo's shortcodes never reach a document.  The
 * figure's HTML, the text of commented-out shortcodes and ref/relref's
 * URLs are what Hugo 0.111.3 wrote for the same Markdown (site
 * https://example.org/); the embeds are links here where Hugo writes
 * iframes and scripts (README: Content).
 */
#include <stdlib.h>
#include <string.h>

#include "fixture.h"

#include "config.h"
#include "markdown.h"
#include "page.h"
#include "shortcode.h"
#include "util.h"

static struct config cfg;

static int
setup(void **state)
{
	(void)state;
	config_defaults(&cfg);
	free(cfg.base_url);
	cfg.base_url = xstrdup("https://example.org");
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	config_free(&cfg);
	return 0;
}

/* The front matter is 4 lines: the body starts on line 5. */
static struct page *
parse(const char *body)
{
	char *text = xasprintf("---\ntitle: t\nfoo: bar\n---\n%s", body);
	struct page *p = page_parse(&cfg, "posts/sc.md", text, strlen(text));

	free(text);
	assert_true(p->ok);
	return p;
}

static int
has_warning(const struct page *p, int line, const char *part)
{
	size_t i;

	for (i = 0; i < p->diags.n; i++)
		if (p->diags.v[i].line == line &&
		    strstr(p->diags.v[i].message, part) != NULL)
			return 1;
	return 0;
}

static void
no_shortcode_left(const struct page *p)
{
	assert_null(strstr(p->html, "{{"));
	assert_null(strstr(p->html, "CRIERSHORTCODE"));
	assert_null(strstr(p->summary, "{{"));
	assert_null(strstr(p->summary, "CRIERSHORTCODE"));
}

/* Hugo: <figure><a href="https://x.org/"><img src="pic.png" alt="alt
 * text"/></a><figcaption><h4>A title</h4><p>A <em>caption</em></p>
 * </figcaption></figure>, the paragraph around it gone. */
static void
figure(void **state)
{
	struct page *p;

	(void)state;
	p = parse("{{< figure src=\"pic.png\" title=\"A title\" caption=\"A "
	    "*caption*\" alt=\"alt text\" link=\"https://x.org/\" >}}\n\n"
	    "{{< figure src=\"/img/b.png\" >}}\n");
	assert_string_equal(p->html,
	    "<figure><a href=\"https://x.org/\"><img src=\""
	    "https://example.org/posts/sc/pic.png\" alt=\"alt text\"></a>"
	    "<figcaption><h4>A title</h4><p>A <em>caption</em></p>"
	    "</figcaption></figure>\n"
	    "<figure><img src=\"https://example.org/img/b.png\"></figure>\n");
	no_shortcode_left(p);
	assert_int_equal(p->diags.n, 1);	/* only: no date */
	page_free(p);
}

static void
ref_param_and_comments(void **state)
{
	struct page *p;

	(void)state;
	p = parse("Text {{< param foo >}} and [link]({{< ref "
	    "\"posts/raw.md\" >}}) and [b]({{< relref \"/posts/trip/index.md#"
	    "day-2\" >}}).\n\n{{</* figure src=\"x\" */>}} and {{%/* x */%}}\n");
	assert_non_null(strstr(p->html, "<p>Text bar and <a href=\""
	    "https://example.org/posts/raw/\">link</a> and <a href=\""
	    "https://example.org/posts/trip/#day-2\">b</a>.</p>"));
	/* Hugo's typographer also curls the quotes; md4c has none. */
	assert_non_null(strstr(p->html,
	    "<p>{{&lt; figure src=\"x\" &gt;}} and {{% x %}}</p>"));
	assert_non_null(strstr(p->summary, "Text bar and link and b."));
	page_free(p);
}

static void
embeds_are_links(void **state)
{
	struct page *p;

	(void)state;
	p = parse("{{< youtube w7Ft2ymGmfc >}}\n\n"
	    "{{< youtube id=\"abc\" title=\"The talk\" >}}\n\n"
	    "{{< vimeo 146022717 >}}\n\n{{< gist spf13 7896402 >}}\n\n"
	    "{{< tweet user=\"SanDiegoZoo\" id=\"1453110110599868418\" >}}\n\n"
	    "{{< x user=\"a\" id=\"1\" >}}\n\n{{< instagram BWNjjyYFxVx >}}\n");
	assert_non_null(strstr(p->html, "<p><a href=\"https://www.youtube.com/"
	    "watch?v=w7Ft2ymGmfc\">YouTube video</a></p>"));
	assert_non_null(strstr(p->html, "<p><a href=\"https://www.youtube.com/"
	    "watch?v=abc\">The talk</a></p>"));
	assert_non_null(strstr(p->html,
	    "href=\"https://vimeo.com/146022717\""));
	assert_non_null(strstr(p->html,
	    "href=\"https://gist.github.com/spf13/7896402\""));
	assert_non_null(strstr(p->html, "href=\"https://twitter.com/"
	    "SanDiegoZoo/status/1453110110599868418\""));
	assert_non_null(strstr(p->html, "href=\"https://x.com/a/status/1\""));
	assert_non_null(strstr(p->html,
	    "href=\"https://www.instagram.com/p/BWNjjyYFxVx/\""));
	assert_null(strstr(p->html, "iframe"));
	assert_null(strstr(p->html, "script"));
	no_shortcode_left(p);
	page_free(p);
}

static void
highlight_is_a_code_block(void **state)
{
	struct page *p;

	(void)state;
	p = parse("{{< highlight go \"linenos=table\" >}}\nfunc main() {}\n"
	    "{{< /highlight >}}\n\nAfter.\n");
	assert_string_equal(p->html, "<pre><code class=\"language-go\">"
	    "func main() {}\n</code></pre>\n<p>After.</p>\n");
	page_free(p);
}

/* Inner text kept, tags removed, a warning on the tag's own line; lines
 * after a shortcode spanning lines keep their numbers. */
static void
unknown_shortcodes(void **state)
{
	struct page *p;

	(void)state;
	p = parse("Intro {{< notice warning >}}Be **careful**{{< /notice >}} "
	    "here.\n\n{{% details title=\"More\" %}}\nHidden text\n"
	    "{{% /details %}}\n\n{{< figure\n  src=\"a.png\"\n  caption=\"Two "
	    "lines\" >}}\nAfter.\n{{< unknown2 >}}\n\nEnd {{< param missing "
	    ">}}.\n");
	assert_non_null(strstr(p->html,
	    "<p>Intro Be <strong>careful</strong> here.</p>"));
	assert_non_null(strstr(p->html, "<p>Hidden text</p>"));
	assert_non_null(strstr(p->html, "<figcaption><p>Two lines</p>"));
	assert_true(has_warning(p, 5, "'notice' is not one of Hugo's"));
	assert_true(has_warning(p, 7, "'details' is not one of Hugo's"));
	assert_true(has_warning(p, 15, "'unknown2' is not one of Hugo's"));
	assert_true(has_warning(p, 17, "param \"missing\""));
	no_shortcode_left(p);
	page_free(p);
}

/* A shortcode's HTML is crier's; the values in it are the writer's. */
static void
values_are_escaped(void **state)
{
	struct page *p;

	(void)state;
	p = parse("{{< figure src=\"javascript:alert(1)\" title=\"<b>x</b>\" "
	    "link=\"&quot;><script>\" >}}\n");
	assert_null(strstr(p->html, "<b>"));
	assert_null(strstr(p->html, "<script"));
	assert_null(strstr(p->html, "javascript:"));
	page_free(p);
}

static void
ref_without_section_warns(void **state)
{
	struct page *p;

	(void)state;
	p = parse("[a]({{< relref \"raw\" >}})\n");
	assert_true(has_warning(p, 5, "names no section"));
	page_free(p);
}

static void
no_shortcodes_untouched(void **state)
{
	struct shortcodes sc;
	struct shortcode_env env = { "https://example.org", NULL, 1,
	    markdown_render_plain };
	struct diags d;

	(void)state;
	diags_init(&d);
	assert_int_equal(shortcode_expand(&sc, "a {{ b }} c", 11, &env, &d),
	    0);
	assert_int_equal(shortcode_expand(&sc, "a {{< b", 7, &env, &d), 1);
	assert_string_equal(sc.markdown, "a {{< b");
	shortcodes_free(&sc);
	assert_int_equal(d.n, 0);
	diags_free(&d);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(figure),
		cmocka_unit_test(ref_param_and_comments),
		cmocka_unit_test(embeds_are_links),
		cmocka_unit_test(highlight_is_a_code_block),
		cmocka_unit_test(unknown_shortcodes),
		cmocka_unit_test(values_are_escaped),
		cmocka_unit_test(ref_without_section_warns),
		cmocka_unit_test(no_shortcodes_untouched),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}

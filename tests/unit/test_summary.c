/*
 * test_summary.c -- summaries as Hugo 0.111 makes them: <!--more-->,
 * summaryLength words to the end of the sentence, hasCJKLanguage.  Each
 * expected summary is Hugo 0.111.3's .Summary for the same post (with its
 * tags stripped, and newlines as spaces, as crier writes summaries).
 */
#include <stdlib.h>
#include <string.h>

#include "fixture.h"
#include "site_fixture.h"

#include "page.h"
#include "summary.h"
#include "util.h"

static struct page *
parse(const char *body)
{
	char *text = xasprintf("---\ntitle: t\ndate: 2026-03-01\n---\n%s",
	    body);
	struct page *p = page_parse(&cfg, "news/t.md", text, strlen(text));

	free(text);
	assert_true(p->ok);
	return p;
}

static char *
numbered_words(int from, int to)
{
	struct buf b;
	int i;

	buf_init(&b);
	for (i = from; i <= to; i++)
		buf_printf(&b, "%sw%d", i > from ? " " : "", i);
	return buf_steal(&b);
}

/* 70 words, then on to the end of the sentence; the heading is text. */
static void
cut_at_sentence_after_70_words(void **state)
{
	char *words = numbered_words(1, 65), *md, *want;
	struct page *p;

	(void)state;
	md = xasprintf("# Head\n\n%s.\n\nmore words here and then. Another "
	    "sentence! x y z\n", words);
	p = parse(md);
	want = xasprintf("Head %s. more words here and then.", words);
	assert_string_equal(p->summary, want);
	assert_non_null(strstr(p->html, "Another sentence!"));
	free(want);
	free(md);
	free(words);
	page_free(p);
}

/* No end of sentence after the 70th word: all of it, as Hugo. */
static void
no_sentence_end_keeps_all(void **state)
{
	char *words = numbered_words(1, 79), *md;
	struct page *p;

	(void)state;
	md = xasprintf("%s\n", words);
	p = parse(md);
	assert_string_equal(p->summary, words);
	free(md);
	free(words);
	page_free(p);
}

/* The divider ends the summary and never shows in the page. */
static void
more_divider(void **state)
{
	struct page *p;

	(void)state;
	p = parse("Intro **bold** [l](x.html).\n\nSecond para.\n"
	    "<!--more-->\nRest of it.\n");
	assert_string_equal(p->summary, "Intro bold l. Second para.");
	assert_null(strstr(p->html, "omitted"));
	assert_null(strstr(p->html, "more"));
	assert_non_null(strstr(p->html, "<p>Rest of it.</p>"));
	page_free(p);
	/* Indented, between blank lines. */
	p = parse("Intro\n\n  <!--more-->  \n\nRest of it.\n");
	assert_string_equal(p->summary, "Intro");
	assert_null(strstr(p->html, "<!--"));
	page_free(p);
}

static void
summary_length_setting(void **state)
{
	struct page *p;

	(void)state;
	cfg.summary_length = 10;
	p = parse("One two three four five six seven eight nine ten eleven "
	    "twelve. Thirteen.\n");
	assert_string_equal(p->summary, "One two three four five six seven "
	    "eight nine ten eleven twelve.");
	page_free(p);
	cfg.summary_length = 70;
}

/* hasCJKLanguage: a word that is not ASCII counts a character each. */
static void
cjk_counts_characters(void **state)
{
	const char *md = "# 标题\n\n这是一个很长的中文句子，还有 more English "
	    "words 在这里。\n\n第二段。\n";
	struct page *p;

	(void)state;
	cfg.summary_length = 10;
	cfg.has_cjk_language = 1;
	p = parse(md);
	assert_string_equal(p->summary, "标题 这是一个很长的中");
	page_free(p);
	cfg.has_cjk_language = 0;
	p = parse(md);		/* off, Hugo's default: counted by spaces */
	assert_string_equal(p->summary, "标题 这是一个很长的中文句子，还有 more "
	    "English words 在这里。 第二段。");
	page_free(p);
	cfg.summary_length = 70;
}

/* Raw HTML is not text (Hugo strips the tags). */
static void
raw_html_not_in_summary(void **state)
{
	struct page *p;

	(void)state;
	p = parse("<div align=\"center\"><img src=\"a.png\"></div>\n\n"
	    "Text with <b>bold</b> end.\n");
	assert_string_equal(p->summary, "Text with bold end.");
	page_free(p);
}

static void
cjk_detection(void **state)
{
	(void)state;
	assert_true(summary_has_cjk("a 中", 5));
	assert_true(summary_has_cjk("ひらがな", 12));
	assert_true(summary_has_cjk("한국어", 9));
	assert_false(summary_has_cjk("café — naïve", 15));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(cut_at_sentence_after_70_words),
		cmocka_unit_test(no_sentence_end_keeps_all),
		cmocka_unit_test(more_divider),
		cmocka_unit_test(summary_length_setting),
		cmocka_unit_test(cjk_counts_characters),
		cmocka_unit_test(raw_html_not_in_summary),
		cmocka_unit_test(cjk_detection),
	};

	return cmocka_run_group_tests(tests, setup_config, teardown_config);
}

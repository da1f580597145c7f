/*
 * test_frontmatter.c -- YAML, TOML and JSON front matter, duplicated keys, line
 * numbers of errors, limits, and the dates organizers write.
 */
#include <string.h>

#include "fixture.h"

#include "dates.h"
#include "frontmatter.h"

static const char *
value_str(const struct frontmatter *fm, const char *key)
{
	return json_string_value(json_object_get(fm->values, key));
}

static void
yaml_basic_and_duplicate(void **state)
{
	const char *text =
	    "---\n"
	    "title: \"Hello: world\"\n"
	    "description: first\n"
	    "draft: false\n"
	    "tags: [a, \"b c\"]\n"
	    "description: second\n"
	    "---\n"
	    "Body line one\n";
	struct frontmatter fm;
	struct diags d;

	(void)state;
	diags_init(&d);
	assert_int_equal(frontmatter_parse(text, strlen(text), &fm, &d), 0);
	assert_string_equal(value_str(&fm, "title"), "Hello: world");
	assert_string_equal(value_str(&fm, "description"), "second");
	assert_true(json_is_false(json_object_get(fm.values, "draft")));
	assert_int_equal(json_array_size(json_object_get(fm.values, "tags")), 2);
	assert_int_equal(d.n, 1);
	assert_int_equal(d.v[0].level, DIAG_WARNING);
	assert_int_equal(d.v[0].line, 6);
	assert_non_null(strstr(d.v[0].message, "duplicated key 'description'"));
	assert_int_equal(fm.body_line, 8);
	assert_memory_equal(fm.body, "Body line one\n", 14);
	assert_int_equal(frontmatter_line(&fm, "tags"), 5);
	frontmatter_free(&fm);
	diags_free(&d);
}

static void
yaml_error_names_line(void **state)
{
	const char *text =
	    "---\n"
	    "title: ok\n"
	    "date: 2026-01-01\n"
	    "tags: [unclosed\n"
	    "---\n"
	    "body\n";
	struct frontmatter fm;
	struct diags d;

	(void)state;
	diags_init(&d);
	assert_int_equal(frontmatter_parse(text, strlen(text), &fm, &d), -1);
	assert_int_equal(d.n, 1);
	assert_int_equal(d.v[0].level, DIAG_ERROR);
	assert_in_range(d.v[0].line, 4, 5);
	assert_non_null(strstr(d.v[0].message, "YAML"));
	frontmatter_free(&fm);
	diags_free(&d);
}

static void
yaml_unclosed(void **state)
{
	const char *text = "---\ntitle: x\nno end here\n";
	struct frontmatter fm;
	struct diags d;

	(void)state;
	diags_init(&d);
	assert_int_equal(frontmatter_parse(text, strlen(text), &fm, &d), -1);
	assert_non_null(strstr(d.v[0].message, "no closing"));
	frontmatter_free(&fm);
	diags_free(&d);
}

static void
yaml_aliases_not_expanded(void **state)
{
	const char *text =
	    "---\n"
	    "a: &a [x, x, x, x, x, x, x, x, x]\n"
	    "b: &b [*a, *a, *a, *a, *a, *a, *a, *a]\n"
	    "c: [*b, *b, *b, *b, *b, *b, *b, *b]\n"
	    "---\n";
	struct frontmatter fm;
	struct diags d;

	(void)state;
	diags_init(&d);
	assert_int_equal(frontmatter_parse(text, strlen(text), &fm, &d), 0);
	assert_true(json_is_null(json_array_get(json_object_get(fm.values,
	    "c"), 0)));
	assert_int_equal(d.v[0].level, DIAG_WARNING);
	frontmatter_free(&fm);
	diags_free(&d);
}

static void
yaml_depth_limit(void **state)
{
	char text[4096] = "---\nx: ";
	struct frontmatter fm;
	struct diags d;
	int i;

	(void)state;
	for (i = 0; i < 100; i++)
		strcat(text, "[");
	for (i = 0; i < 100; i++)
		strcat(text, "]");
	strcat(text, "\n---\n");
	diags_init(&d);
	assert_int_equal(frontmatter_parse(text, strlen(text), &fm, &d), -1);
	assert_non_null(strstr(d.v[0].message, "nested deeper"));
	frontmatter_free(&fm);
	diags_free(&d);
}

static void
json_front_matter(void **state)
{
	const char *text =
	    "{\n"
	    "  \"title\": \"JSON page\",\n"
	    "  \"tags\": [\"x\"],\n"
	    "  \"draft\": true\n"
	    "}\n"
	    "Body\n";
	struct frontmatter fm;
	struct diags d;

	(void)state;
	diags_init(&d);
	assert_int_equal(frontmatter_parse(text, strlen(text), &fm, &d), 0);
	assert_string_equal(value_str(&fm, "title"), "JSON page");
	assert_true(json_is_true(json_object_get(fm.values, "draft")));
	assert_int_equal(fm.body_line, 6);
	assert_memory_equal(fm.body, "Body\n", 5);
	frontmatter_free(&fm);
	diags_free(&d);
}

static void
json_error(void **state)
{
	const char *text = "{\n \"title\": \"x\",\n \"bad\": }\nBody\n";
	struct frontmatter fm;
	struct diags d;

	(void)state;
	diags_init(&d);
	assert_int_equal(frontmatter_parse(text, strlen(text), &fm, &d), -1);
	assert_int_equal(d.v[0].line, 3);
	frontmatter_free(&fm);
	diags_free(&d);
}

/* More in test_toml.c. */
static void
toml_front_matter(void **state)
{
	const char *text = "+++\ntitle = \"x\"\n+++\nBody\n";
	struct frontmatter fm;
	struct diags d;

	(void)state;
	diags_init(&d);
	assert_int_equal(frontmatter_parse(text, strlen(text), &fm, &d), 0);
	assert_int_equal(d.n, 0);
	assert_string_equal(value_str(&fm, "title"), "x");
	assert_int_equal(frontmatter_line(&fm, "title"), 2);
	assert_int_equal(fm.body_line, 4);
	frontmatter_free(&fm);
	diags_free(&d);
}

static void
date_forms(void **state)
{
	struct datetime dt;

	(void)state;
	assert_int_equal(dates_parse("2020-05-06T10:41:54+08:00", &dt), 0);
	assert_true(dt.has_time && dt.has_offset);
	assert_int_equal(dt.offset, 8 * 3600);
	assert_int_equal(dates_to_utc(&dt, NULL),
	    dates_timegm_utc(2020, 5, 6, 2, 41, 54));
	assert_int_equal(dates_parse("2020-05-06T10:41:54.250Z", &dt), 0);
	assert_int_equal(dt.offset, 0);
	assert_int_equal(dates_parse("2020-05-06", &dt), 0);
	assert_false(dt.has_time);
	assert_int_equal(dates_parse("2020-05-06 19:30", &dt), 0);
	assert_true(dt.has_time && !dt.has_offset);
	assert_int_equal(dt.hour, 19);
	assert_int_equal(dates_parse("2020-05-06 19:30:15", &dt), 0);
	assert_int_equal(dt.second, 15);
	assert_int_equal(dates_parse("2020-05-06T19:30-0500", &dt), 0);
	assert_int_equal(dt.offset, -5 * 3600);
	/* Local time in a zone: Berlin is +01:00 in winter, +02:00 in summer. */
	assert_int_equal(dates_parse("2026-01-10 12:00", &dt), 0);
	assert_int_equal(dates_to_utc(&dt, dates_zone_find("Europe/Berlin")),
	    dates_timegm_utc(2026, 1, 10, 11, 0, 0));
	assert_int_equal(dates_parse("2026-07-10 12:00", &dt), 0);
	assert_int_equal(dates_to_utc(&dt, dates_zone_find("Europe/Berlin")),
	    dates_timegm_utc(2026, 7, 10, 10, 0, 0));
}

static void
date_invalid(void **state)
{
	struct datetime dt;

	(void)state;
	assert_int_equal(dates_parse("2020-02-30", &dt), -1);
	assert_int_equal(dates_parse("2021-02-29", &dt), -1);
	assert_int_equal(dates_parse("2020-13-01", &dt), -1);
	assert_int_equal(dates_parse("2020-05-06T25:00", &dt), -1);
	assert_int_equal(dates_parse("2020-05-06T10:00+99:00", &dt), -1);
	assert_int_equal(dates_parse("yesterday", &dt), -1);
	assert_int_equal(dates_parse("2020-05-06T10:00 junk", &dt), -1);
	assert_int_equal(dates_parse("2020-5-6", &dt), -1);
	assert_int_equal(dates_parse("2024-02-29", &dt), 0);
}

static void
date_formats(void **state)
{
	char out[DATE_BUFSIZE];
	time_t t = dates_timegm_utc(2020, 5, 6, 2, 41, 54), back;

	(void)state;
	dates_format_rfc3339(t, out);
	assert_string_equal(out, "2020-05-06T02:41:54Z");
	dates_format_rfc822(t, out);
	assert_string_equal(out, "Wed, 06 May 2020 02:41:54 +0000");
	dates_format_http(t, out);
	assert_string_equal(out, "Wed, 06 May 2020 02:41:54 GMT");
	assert_int_equal(dates_parse_http(out, &back), 0);
	assert_int_equal(back, t);
	assert_int_equal(dates_parse_http("garbage", &back), -1);
	assert_int_equal(dates_weekday(2020, 5, 6), 3);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(yaml_basic_and_duplicate),
		cmocka_unit_test(yaml_error_names_line),
		cmocka_unit_test(yaml_unclosed),
		cmocka_unit_test(yaml_aliases_not_expanded),
		cmocka_unit_test(yaml_depth_limit),
		cmocka_unit_test(json_front_matter),
		cmocka_unit_test(json_error),
		cmocka_unit_test(toml_front_matter),
		cmocka_unit_test(date_forms),
		cmocka_unit_test(date_invalid),
		cmocka_unit_test(date_formats),
	};

	return cmocka_run_group_tests_name("frontmatter", tests, NULL, NULL);
}

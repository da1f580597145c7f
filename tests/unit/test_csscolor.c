/*
 * test_csscolor.c -- the CSS3 colour names (RFC 7986 COLOR) and the
 * color settings that use them: a name or not, case folded, the section's
 * own or the site's.
 */
#include "fixture.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "csscolor.h"
#include "util.h"

static void
test_names(void **state)
{
	(void)state;
	/* CSS3 (and SVG 1.1) name 147 colours, the grey/gray pairs apart. */
	assert_int_equal(csscolor_count(), 147);
	assert_string_equal(csscolor_name("teal"), "teal");
	assert_string_equal(csscolor_name("SteelBlue"), "steelblue");
	assert_string_equal(csscolor_name("lightgoldenrodyellow"),
	    "lightgoldenrodyellow");
	assert_string_equal(csscolor_name("aliceblue"), "aliceblue");
	assert_string_equal(csscolor_name("yellowgreen"), "yellowgreen");
	assert_null(csscolor_name("rebeccapurple"));	/* CSS4 */
	assert_null(csscolor_name("#ff0000"));
	assert_null(csscolor_name("reddish"));
	assert_null(csscolor_name(""));
	assert_null(csscolor_name("lightgoldenrodyellowlightgoldenrodyellow"));
}

static void
test_settings(void **state)
{
	struct config cf, copy;
	char err[256];

	(void)state;
	config_defaults(&cf);
	assert_null(config_color(&cf, NULL));
	assert_null(config_color(&cf, "meetups"));
	assert_int_equal(config_set(&cf, "color", "SteelBlue", CONFIG_FILE,
	    err, sizeof err), 0);
	assert_string_equal(cf.color, "steelblue");
	assert_int_equal(config_set(&cf, "color.meetups", "Teal", CONFIG_FILE,
	    err, sizeof err), 0);
	assert_int_equal(config_set(&cf, "color.meetups", "crimson",
	    CONFIG_FILE, err, sizeof err), 0);
	assert_string_equal(config_color(&cf, "meetups"), "crimson");
	assert_string_equal(config_color(&cf, "talks"), "steelblue");
	assert_string_equal(config_color(&cf, NULL), "steelblue");
	assert_int_equal(config_set(&cf, "color", "reddish", CONFIG_FILE,
	    err, sizeof err), -1);
	assert_non_null(strstr(err, "'reddish' is not a CSS3 colour name"));
	assert_string_equal(cf.color, "steelblue");
	assert_int_equal(config_set(&cf, "color.talks", "blurple",
	    CONFIG_FILE, err, sizeof err), -1);
	assert_non_null(strstr(err, "color.talks: 'blurple'"));
	assert_int_equal(config_set(&cf, "color.", "red", CONFIG_FILE, err,
	    sizeof err), -1);
	assert_int_equal(config_set(&cf, "color.a/b", "red", CONFIG_FILE,
	    err, sizeof err), -1);
	config_copy(&copy, &cf);
	config_free(&cf);
	assert_string_equal(config_color(&copy, "meetups"), "crimson");
	config_free(&copy);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_settings),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

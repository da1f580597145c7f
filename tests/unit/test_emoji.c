/*
 * test_emoji.c -- emoji.c's port of Hugo's Emojify: the cases were read
 * off Debian's hugo 0.111 output (enableEmoji = true), and every code of
 * the table must be found (it is searched in halves, so its order
 * matters).
 */
#include <stdlib.h>
#include <string.h>

#include "fixture.h"

#include "emoji.h"

static void
check(const char *in, const char *want)
{
	char *got = emoji_string(strdup(in));

	assert_non_null(got);
	assert_string_equal(got, want);
	free(got);
}

/* Hugo 0.111: "<p>😄😄 et : espace 😉 x", an unknown code kept. */
static void
replaces_as_hugo(void **state)
{
	(void)state;
	check("<p>:smile::smile: et : espace :wink: x",
	    "<p>\xf0\x9f\x98\x84\xf0\x9f\x98\x84 et : espace "
	    "\xf0\x9f\x98\x89 x");
	check("inconnu :pas_un_code: ici", "inconnu :pas_un_code: ici");
	check("<code>:tada:</code>", "<code>\xf0\x9f\x8e\x89</code>");
	check(":+1: :thumbsup:", "\xf0\x9f\x91\x8d \xf0\x9f\x91\x8d");
	check("二つ :heart:。", "二つ \xe2\x9d\xa4\xef\xb8\x8f。");
	check("a :smile and: b", "a :smile and: b");
	check("::", "::");
	check("fin :", "fin :");
}

static void
every_code_is_found(void **state)
{
	static const char *codes[] = { ":+1:", ":-1:", ":100:", ":zzz:",
	    ":rocket:", ":coffee:", ":jp:", ":1st_place_medal:" };
	size_t i;

	(void)state;
	for (i = 0; i < sizeof codes / sizeof codes[0]; i++)
		assert_non_null(emoji_lookup(codes[i], strlen(codes[i])));
	assert_null(emoji_lookup(":nope:", 6));
	assert_null(emoji_lookup(":smile", 6));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(replaces_as_hugo),
		cmocka_unit_test(every_code_is_found),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

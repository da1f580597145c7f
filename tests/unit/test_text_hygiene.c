/*
 * test_text_hygiene.c -- the text every writer relies on: control
 * characters dropped and broken UTF-8 replaced (utf8_clean, checked
 * against a character-at-a-time reference), strict UTF-8 validation,
 * slugs and percent-encoded URL segments.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fixture.h"

#include "urls.h"
#include "utf8.h"
#include "util.h"

static void
text_hygiene(void **state)
{
	char *s = utf8_clean_dup("a\x01" "b\xff" "c\r\n\xe2\x82\xac\xc0\xae");
	struct buf b;
	char *slug = urls_slug("Service Mesh"), *dots = urls_slug("..");

	(void)state;
	assert_string_equal(s, "ab\xef\xbf\xbd" "c\n\xe2\x82\xac"
	    "\xef\xbf\xbd\xef\xbf\xbd");
	buf_init(&b);
	urls_encode_segment(&b, "云 a/b");
	assert_string_equal(b.data, "%E4%BA%91%20a%2Fb");
	assert_string_equal(slug, "service-mesh");
	assert_string_equal(dots, "_");
	assert_false(utf8_valid("\xed\xa0\x80", 3));	/* a surrogate */
	assert_false(utf8_valid("\xe0\x80\xaf", 3));	/* overlong */
	free(s);
	free(slug);
	free(dots);
	buf_free(&b);
}

/* utf8_clean as it was, a character at a time: the reference the
 * run-copying one must match byte for byte. */
static void
text_clean_slow(struct buf *out, const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, k;
	uint32_t c;

	while (i < n) {
		k = utf8_decode(p + i, n - i, &c);
		if (k == 0) {
			buf_add(out, "\xef\xbf\xbd", 3);
			i++;
			continue;
		}
		if ((c == 0x9 || c == 0xa || (c >= 0x20 && c <= 0xd7ff) ||
		    (c >= 0xe000 && c <= 0xfffd) ||
		    (c >= 0x10000 && c <= 0x10ffff)))
			buf_add(out, s + i, k);
		i += k;
	}
}

static void
text_clean_runs(void **state)
{
	static const char *const bits[] = { "a", " ", "\t", "\n", "\r",
	    "\x01", "\x7f", "\xff", "\xc0\xae", "\xe2\x82\xac", "\xe2\x82",
	    "\xed\xa0\x80", "\xef\xbf\xbe", "\xf0\x9f\x98\x80", "\xf4\x90",
	    "<&>", "\xc3\xa9" };
	struct buf in, want, got;
	unsigned seed = 12345;
	int round, k;

	(void)state;
	for (round = 0; round < 2000; round++) {
		buf_init(&in);
		for (k = 0; k < round % 40; k++) {
			seed = seed * 1103515245 + 12345;
			buf_addstr(&in, bits[(seed >> 16) % nitems(bits)]);
		}
		buf_init(&want);
		buf_init(&got);
		text_clean_slow(&want, in.data, in.len);
		utf8_clean(&got, in.data, in.len);
		assert_int_equal(got.len, want.len);
		assert_memory_equal(got.data, want.data, want.len);
		buf_free(&in);
		buf_free(&want);
		buf_free(&got);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(text_hygiene),
		cmocka_unit_test(text_clean_runs),
	};

	return cmocka_run_group_tests_name("text_hygiene", tests, NULL, NULL);
}

/*
 * test_buf.c -- what buf_steal hands over (util.c): the text, whole and
 * NUL-terminated, in an allocation cut to fit when the buffer's doubling
 * left it mostly slack -- stolen texts are kept as long as their document
 * or page, and the slack was ~130 MiB at 10 000 posts.
 */
#include <malloc.h>
#include <stdlib.h>
#include <string.h>

#include "fixture.h"

#include "util.h"

/* 70 000 bytes grown by doubling: a 131 072-byte buffer, cut to 70 001. */
static void
steal_cuts_slack(void **state)
{
	struct buf b;
	size_t i, n = 70000;
	char *p;

	(void)state;
	buf_init(&b);
	for (i = 0; i < n; i++)
		buf_addc(&b, (char)('a' + i % 26));
	assert_true(b.cap >= 2 * 65536);
	p = buf_steal(&b);
	assert_null(b.data);
	assert_int_equal(strlen(p), n);
	for (i = 0; i < n; i++)
		assert_int_equal(p[i], 'a' + i % 26);
	/* malloc may round up to its size class (jemalloc's are at most a
	 * quarter apart), never keep the doubling's capacity */
	assert_true(malloc_usable_size(p) < n + n / 4);
	free(p);
}

/* A buffer with little slack keeps it: nothing to gain from a realloc. */
static void
steal_keeps_small_slack(void **state)
{
	struct buf b;
	char *p;

	(void)state;
	buf_init(&b);
	buf_addstr(&b, "fifty bytes of text, give or take a few, no more.");
	p = buf_steal(&b);
	assert_string_equal(p,
	    "fifty bytes of text, give or take a few, no more.");
	free(p);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(steal_cuts_slack),
		cmocka_unit_test(steal_keeps_small_slack),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

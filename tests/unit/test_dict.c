/*
 * test_dict.c -- the string-keyed hash table everything is kept in
 * (util.c): set, get, remove, and iteration in insertion order, which
 * the output's determinism depends on.
 */
#include <stdio.h>
#include <stdlib.h>

#include "fixture.h"

#include "dict.h"
#include "util.h"

static void
dict_basics(void **state)
{
	struct dict d;
	const char *key;
	size_t i, n = 0;
	char name[16];

	(void)state;
	dict_init(&d);
	for (i = 0; i < 1000; i++) {
		snprintf(name, sizeof name, "k%zu", i);
		assert_null(dict_set(&d, name, (void *)(i + 1)));
	}
	assert_int_equal((size_t)dict_get(&d, "k500"), 501);
	assert_int_equal((size_t)dict_remove(&d, "k500"), 501);
	assert_null(dict_get(&d, "k500"));
	for (i = 0; dict_next(&d, &i, &key, NULL); n++)
		if (n == 0)
			assert_string_equal(key, "k0");	/* insertion order */
	assert_int_equal(n, 999);
	dict_free(&d, NULL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(dict_basics),
	};

	return cmocka_run_group_tests_name("dict", tests, NULL, NULL);
}

/*
 * test_u64map.c -- the table the content-keyed caches use: what is put
 * is found, a put replaces, keys that share a slot (0 among them) are
 * told apart, growth keeps every entry, and iteration visits each once.
 */
#include <stdlib.h>
#include <string.h>

#include "fixture.h"

#include "u64map.h"
#include "util.h"

#define N	5000

static void
put_get_replace(void **state)
{
	struct u64map m;
	static int v[N], w;
	size_t i;

	(void)state;
	u64map_init(&m);
	assert_null(u64map_get(&m, 42));
	/* Keys that differ only above the bits a small table uses. */
	for (i = 0; i < N; i++)
		assert_null(u64map_put(&m, (uint64_t)i << 40, &v[i]));
	assert_int_equal(m.live, N);
	for (i = 0; i < N; i++)
		assert_ptr_equal(u64map_get(&m, (uint64_t)i << 40), &v[i]);
	assert_null(u64map_get(&m, 1));
	assert_ptr_equal(u64map_put(&m, 0, &w), &v[0]);
	assert_ptr_equal(u64map_get(&m, 0), &w);
	assert_int_equal(m.live, N);
	u64map_free(&m, NULL);
	assert_null(u64map_get(&m, 0));
}

static void
iterate_once_each(void **state)
{
	struct u64map m;
	static int v[N];
	char seen[N];
	uint64_t key;
	size_t i, n = 0;
	void *val;

	(void)state;
	u64map_init(&m);
	for (i = 0; i < N; i++)
		u64map_put(&m, hash64(&i, sizeof i), &v[i]);
	memset(seen, 0, sizeof seen);
	for (i = 0; u64map_next(&m, &i, &key, &val); n++) {
		size_t k = (size_t)((int *)val - v);

		assert_true(k < N);
		assert_false(seen[k]);
		seen[k] = 1;
		assert_true(key == hash64(&k, sizeof k));
	}
	assert_int_equal(n, N);
	u64map_free(&m, NULL);
}

static int frees;

static void
count_free(void *p)
{
	(void)p;
	frees++;
}

static void
free_values(void **state)
{
	struct u64map m;
	static int v[3];

	(void)state;
	u64map_init(&m);
	u64map_put(&m, 1, &v[0]);
	u64map_put(&m, 2, &v[1]);
	u64map_put(&m, 3, &v[2]);
	frees = 0;
	u64map_free(&m, count_free);
	assert_int_equal(frees, 3);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(put_get_replace),
		cmocka_unit_test(iterate_once_each),
		cmocka_unit_test(free_values),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

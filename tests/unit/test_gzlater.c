/*
 * test_gzlater.c -- the background gzip queue: every queued body is made
 * once, whoever takes it (a worker or gzlater_finish), across batches
 * queued while the workers run; a withdrawn document is skipped; freeing
 * with work queued stops the workers and drops the rest.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>
#include <cmocka.h>

#include "gzlater.h"

#define DOCS	300

static struct document *
doc(unsigned seed)
{
	size_t len = 4000 + seed % 3000, i;
	char *body = malloc(len);
	char path[32];

	assert_non_null(body);
	for (i = 0; i < len; i++)
		body[i] = "abcdefgh \n"[(i * 7 + seed) % 10];
	snprintf(path, sizeof path, "/d%u", seed);
	return document_new_plain(path, "text/html", body, len, 0, 0);
}

/* The gzip body inflates to the identity body. */
static void
assert_gzip_is_body(const struct document *d)
{
	const char *gz = document_gz(d);
	unsigned char *out = malloc(d->len + 1);
	z_stream z;

	assert_non_null(gz);
	assert_non_null(out);
	memset(&z, 0, sizeof z);
	assert_int_equal(inflateInit2(&z, 16 + MAX_WBITS), Z_OK);
	z.next_in = (unsigned char *)(uintptr_t)gz;
	z.avail_in = (uInt)d->gzlen;
	z.next_out = out;
	z.avail_out = (uInt)d->len + 1;
	assert_int_equal(inflate(&z, Z_FINISH), Z_STREAM_END);
	assert_int_equal(z.total_out, d->len);
	assert_memory_equal(out, d->body, d->len);
	inflateEnd(&z);
	free(out);
}

/* Batches queued while the workers run (as edits come) are all made,
 * and finish waits for the ones a worker is making. */
static void
batches_while_running(void **state)
{
	struct document *d[DOCS];
	struct gzlater g;
	size_t i;

	(void)state;
	gzlater_init(&g);
	for (i = 0; i < DOCS; i++) {
		d[i] = doc((unsigned)i);
		gzlater_add(&g, d[i]);
		if (i % 50 == 49)
			gzlater_start(&g, 2);
	}
	gzlater_finish(&g, 2);
	assert_int_equal(gzlater_pending(&g), 0);
	for (i = 0; i < DOCS; i++) {
		assert_false(document_gzip_pending(d[i]));
		assert_gzip_is_body(d[i]);
		document_unref(d[i]);
	}
	gzlater_free(&g);
}

/* A document only the queue holds (withdrawn by a rebuild since) is let
 * go of by whoever takes it: freed (ASan and valgrind see a leak or a
 * use after free), counted done. */
static void
withdrawn_is_let_go(void **state)
{
	struct document *kept = doc(1), *gone = doc(2);
	struct gzlater g;

	(void)state;
	gzlater_init(&g);
	gzlater_add(&g, kept);
	gzlater_add(&g, gone);
	document_unref(gone);	/* the rebuild withdrew it */
	gzlater_finish(&g, 1);
	assert_int_equal(gzlater_pending(&g), 0);
	assert_gzip_is_body(kept);
	document_unref(kept);
	gzlater_free(&g);
}

/* Freeing with work queued and workers started does not hang or leak. */
static void
free_while_queued(void **state)
{
	struct gzlater g;
	size_t i;

	(void)state;
	gzlater_init(&g);
	gzlater_start(&g, 2);	/* nothing queued: no thread */
	for (i = 0; i < DOCS; i++) {
		struct document *d = doc((unsigned)i);

		gzlater_add(&g, d);
		document_unref(d);
	}
	gzlater_start(&g, 2);
	gzlater_free(&g);
	assert_int_equal(gzlater_pending(&g), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(batches_while_running),
		cmocka_unit_test(withdrawn_is_let_go),
		cmocka_unit_test(free_while_queued),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/*
 * test_bodystore.c -- large bodies kept in the memfd responses sendfile.
 *
 * Small bodies stay where they are; large ones are copied into the store
 * and read back the same through the mapping and the file; ranges are
 * reused first fit after being coalesced; a full store leaves bodies in
 * malloc'd memory; the store cannot be closed under a live body.  The
 * property the design rests on: a page the kernel still holds (here a
 * pipe's reference from splice(), as sendfile() takes one) keeps the old
 * bytes after its body is freed and the range reused.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fixture.h"

#include "bodystore.h"
#include "util.h"

#define KIB 1024

static char *
filled(size_t len, char c)
{
	char *p = xmalloc(len);

	memset(p, c, len);
	return p;
}

static int
open_store(void **state)
{
	(void)state;
	return bodystore_init(16 * 1024 * KIB) == 0 ? 0 : -1;
}

/* Every test gives back what it kept. */
static int
close_store(void **state)
{
	(void)state;
	return bodystore_fini() == 0 ? 0 : -1;
}

static void
small_bodies_stay(void **state)
{
	char *p = filled(BODYSTORE_MIN - 1, 'x');
	int fd;
	off_t off;

	(void)state;
	assert_ptr_equal(body_keep(p, BODYSTORE_MIN - 1), p);
	assert_false(body_file(p, BODYSTORE_MIN - 1, &fd, &off));
	assert_int_equal(bodystore_bytes(), 0);
	body_release(p, BODYSTORE_MIN - 1);
}

static void
large_body_kept(void **state)
{
	size_t len = BODYSTORE_MIN + 100, i;
	char *p = xmalloc(len), *kept, *back = xmalloc(len);
	int fd;
	off_t off;

	(void)state;
	for (i = 0; i < len; i++)
		p[i] = (char)(i * 7);
	kept = body_keep(p, len);	/* p is freed */
	assert_true(body_file(kept, len, &fd, &off));
	assert_int_equal(off % sysconf(_SC_PAGESIZE), 0);
	assert_int_equal(pread(fd, back, len, off), (ssize_t)len);
	for (i = 0; i < len; i++) {
		assert_int_equal(kept[i], (char)(i * 7));
		assert_int_equal(back[i], (char)(i * 7));
	}
	assert_true(bodystore_bytes() >= len);
	/* A span past the body's end is not the store's to vouch for. */
	assert_false(body_file(kept, 64 * 1024 * KIB, &fd, &off));
	body_release(kept, len);
	assert_int_equal(bodystore_bytes(), 0);
	free(back);
}

static off_t
offset_of(const char *kept, size_t len)
{
	int fd;
	off_t off;

	assert_true(body_file(kept, len, &fd, &off));
	return off;
}

static void
ranges_reused_first_fit(void **state)
{
	size_t len = 16 * KIB;
	char *a, *b, *c, *d;
	off_t oa, ob, oc;

	(void)state;
	a = body_keep(filled(len, 'a'), len);
	b = body_keep(filled(len, 'b'), len);
	c = body_keep(filled(len, 'c'), len);
	oa = offset_of(a, len);
	ob = offset_of(b, len);
	oc = offset_of(c, len);
	assert_true(oa < ob && ob < oc);
	body_release(b, len);
	body_release(a, len);
	/* a and b's ranges are one now: twice their size fits there. */
	d = body_keep(filled(2 * len, 'd'), 2 * len);
	assert_int_equal(offset_of(d, 2 * len), oa);
	assert_int_equal(d[0], 'd');
	assert_int_equal(d[2 * len - 1], 'd');
	assert_int_equal(c[0], 'c');
	body_release(c, len);
	body_release(d, 2 * len);
	/* Everything free again: the next body starts at the bottom. */
	a = body_keep(filled(len, 'e'), len);
	assert_int_equal(offset_of(a, len), oa);
	body_release(a, len);
}

/*
 * A pipe holds references to the pages spliced into it, as a socket does
 * to the pages sendfile() gives it.  The body is freed and its range
 * reused by another: the pipe still yields the old bytes.  Without the
 * punch in discard() the new body would be written into the very pages
 * the pipe holds.
 */
static void
sent_pages_outlive_their_body(void **state)
{
	size_t len = 32 * KIB;
	char *old = body_keep(filled(len, 'o'), len), *new, *back;
	int fd, pipefd[2];
	off_t off, at;
	ssize_t n;
	size_t got = 0;

	(void)state;
	assert_true(body_file(old, len, &fd, &off));
	assert_int_equal(pipe(pipefd), 0);
	at = off;
	n = splice(fd, &at, pipefd[1], NULL, len, 0);
	assert_int_equal(n, (ssize_t)len);
	body_release(old, len);
	new = body_keep(filled(len, 'n'), len);
	assert_int_equal(offset_of(new, len), off);	/* the same range */
	back = xmalloc(len);
	while (got < len) {
		n = read(pipefd[0], back + got, len - got);
		assert_true(n > 0);
		got += (size_t)n;
	}
	assert_int_equal(back[0], 'o');
	assert_int_equal(back[len / 2], 'o');
	assert_int_equal(back[len - 1], 'o');
	assert_int_equal(new[0], 'n');
	body_release(new, len);
	free(back);
	close(pipefd[0]);
	close(pipefd[1]);
}

static void
full_store_leaves_bodies_in_memory(void **state)
{
	size_t len = 8 * 1024 * KIB;
	char *a, *b, *p;
	int fd;
	off_t off;

	(void)state;
	a = body_keep(filled(len, 'a'), len);
	assert_true(body_file(a, len, &fd, &off));
	p = filled(len + KIB, 'b');
	b = body_keep(p, len + KIB);	/* 16 MiB store: no room */
	assert_ptr_equal(b, p);
	assert_false(body_file(b, len + KIB, &fd, &off));
	body_release(b, len + KIB);
	body_release(a, len);
}

static void
not_closed_under_a_live_body(void **state)
{
	size_t len = 20 * KIB;
	char *a = body_keep(filled(len, 'a'), len);

	(void)state;
	assert_int_equal(bodystore_fini(), -1);
	assert_int_equal(a[len - 1], 'a');	/* still mapped */
	body_release(a, len);
	assert_int_equal(bodystore_fini(), 0);
	assert_int_equal(open_store(NULL), 0);
}

/* Closed (or never opened), the store keeps nothing. */
static void
closed_store_keeps_nothing(void **state)
{
	size_t len = 64 * KIB;
	char *p;
	int fd;
	off_t off;

	(void)state;
	assert_int_equal(bodystore_fini(), 0);
	p = filled(len, 'z');
	assert_ptr_equal(body_keep(p, len), p);
	assert_false(body_file(p, len, &fd, &off));
	body_release(p, len);
	assert_int_equal(open_store(NULL), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(small_bodies_stay, open_store,
		    close_store),
		cmocka_unit_test_setup_teardown(large_body_kept, open_store,
		    close_store),
		cmocka_unit_test_setup_teardown(ranges_reused_first_fit,
		    open_store, close_store),
		cmocka_unit_test_setup_teardown(sent_pages_outlive_their_body,
		    open_store, close_store),
		cmocka_unit_test_setup_teardown(
		    full_store_leaves_bodies_in_memory, open_store, close_store),
		cmocka_unit_test_setup_teardown(not_closed_under_a_live_body,
		    open_store, close_store),
		cmocka_unit_test_setup_teardown(closed_store_keeps_nothing,
		    open_store, close_store),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

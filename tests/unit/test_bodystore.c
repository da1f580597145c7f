/*
 * test_bodystore.c -- large bodies kept in the memfd responses sendfile.
 *
 * Small bodies get no copy; large ones are copied into the store and read
 * back the same through the mapping and the file; ranges are reused
 * first fit after being coalesced; a full store makes no copy; the store
 * cannot be closed under a live copy.  The
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
#include "document.h"
#include "piece.h"
#include "stitch.h"
#include "util.h"

#define KIB 1024

/* A copy in the store of len bytes of c. */
static const char *
filled(size_t len, char c)
{
	char *p = xmalloc(len);
	const char *copy;

	memset(p, c, len);
	copy = bodystore_keep(p, len);
	free(p);
	return copy;
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
	char p[BODYSTORE_MIN - 1];
	int fd;
	off_t off;

	(void)state;
	memset(p, 'x', sizeof p);
	assert_null(bodystore_keep(p, sizeof p));
	assert_false(bodystore_locate(p, sizeof p, &fd, &off));
	assert_int_equal(bodystore_bytes(), 0);
}

static void
large_body_kept(void **state)
{
	size_t len = BODYSTORE_MIN + 100, i;
	char *p = xmalloc(len), *back = xmalloc(len);
	const char *kept;
	int fd;
	off_t off;

	(void)state;
	for (i = 0; i < len; i++)
		p[i] = (char)(i * 7);
	kept = bodystore_keep(p, len);
	assert_non_null(kept);
	assert_ptr_not_equal(kept, p);
	assert_false(bodystore_locate(p, len, &fd, &off));
	assert_true(bodystore_locate(kept, len, &fd, &off));
	assert_int_equal(off % sysconf(_SC_PAGESIZE), 0);
	assert_int_equal(pread(fd, back, len, off), (ssize_t)len);
	for (i = 0; i < len; i++) {
		assert_int_equal(kept[i], (char)(i * 7));
		assert_int_equal(back[i], (char)(i * 7));
	}
	assert_true(bodystore_bytes() >= len);
	/* A span past the body's end is not the store's to vouch for. */
	assert_false(bodystore_locate(kept, 64 * 1024 * KIB, &fd, &off));
	bodystore_release(kept, len);
	assert_int_equal(bodystore_bytes(), 0);
	free(back);
	free(p);
}

static off_t
offset_of(const char *kept, size_t len)
{
	int fd;
	off_t off;

	assert_true(bodystore_locate(kept, len, &fd, &off));
	return off;
}

static void
ranges_reused_first_fit(void **state)
{
	size_t len = 16 * KIB;
	const char *a, *b, *c, *d;
	off_t oa, ob, oc;

	(void)state;
	a = filled(len, 'a');
	b = filled(len, 'b');
	c = filled(len, 'c');
	oa = offset_of(a, len);
	ob = offset_of(b, len);
	oc = offset_of(c, len);
	assert_true(oa < ob && ob < oc);
	bodystore_release(b, len);
	bodystore_release(a, len);
	/* a and b's ranges are one now: twice their size fits there. */
	d = filled(2 * len, 'd');
	assert_int_equal(offset_of(d, 2 * len), oa);
	assert_int_equal(d[0], 'd');
	assert_int_equal(d[2 * len - 1], 'd');
	assert_int_equal(c[0], 'c');
	bodystore_release(c, len);
	bodystore_release(d, 2 * len);
	/* Everything free again: the next body starts at the bottom. */
	a = filled(len, 'e');
	assert_int_equal(offset_of(a, len), oa);
	bodystore_release(a, len);
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
	const char *old = filled(len, 'o'), *new;
	char *back;
	int fd, pipefd[2];
	off_t off, at;
	ssize_t n;
	size_t got = 0;

	(void)state;
	assert_true(bodystore_locate(old, len, &fd, &off));
	assert_int_equal(pipe(pipefd), 0);
	at = off;
	n = splice(fd, &at, pipefd[1], NULL, len, 0);
	assert_int_equal(n, (ssize_t)len);
	bodystore_release(old, len);
	new = filled(len, 'n');
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
	bodystore_release(new, len);
	free(back);
	close(pipefd[0]);
	close(pipefd[1]);
}

static void
full_store_leaves_bodies_in_memory(void **state)
{
	size_t len = 8 * 1024 * KIB;
	const char *a;
	int fd;
	off_t off;

	(void)state;
	a = filled(len, 'a');
	assert_true(bodystore_locate(a, len, &fd, &off));
	assert_null(filled(len + KIB, 'b'));	/* 16 MiB store: no room */
	bodystore_release(a, len);
}

static void
not_closed_under_a_live_body(void **state)
{
	size_t len = 20 * KIB;
	const char *a = filled(len, 'a');

	(void)state;
	assert_int_equal(bodystore_fini(), -1);
	assert_int_equal(a[len - 1], 'a');	/* still mapped */
	bodystore_release(a, len);
	assert_int_equal(bodystore_fini(), 0);
	assert_int_equal(open_store(NULL), 0);
}

/* Closed (or never opened), the store keeps nothing. */
static void
closed_store_keeps_nothing(void **state)
{
	size_t len = 64 * KIB;
	(void)state;
	assert_int_equal(bodystore_fini(), 0);
	assert_null(filled(len, 'z'));
	assert_int_equal(open_store(NULL), 0);
}

/* A document's copies: made once each, the same bytes, freed with it. */
static void
document_copies(void **state)
{
	size_t len = 200 * KIB, i;
	char *body = xmalloc(len);
	struct document *d;
	const struct bodystore_copy *id, *gz;
	uint32_t x = 1;
	off_t off;
	int fd;

	(void)state;
	for (i = 0; i < len; i++) {	/* letters: gzip stays large */
		x = x * 1103515245 + 12345;
		body[i] = (char)('a' + (x >> 16) % 26);
	}
	d = document_new("/feed.atom", "text/plain", body, len, 0, 0);
	assert_non_null(document_gz(d));
	assert_true(d->gzlen >= BODYSTORE_MIN);
	id = bodystore_filed(d, 0);
	gz = bodystore_filed(d, 1);
	assert_non_null(id);
	assert_non_null(gz);
	assert_ptr_equal(bodystore_filed(d, 0), id);
	assert_ptr_equal(bodystore_filed(d, 1), gz);
	assert_int_equal(id->len, len);
	assert_int_equal(gz->len, d->gzlen);
	assert_memory_equal(id->data, d->body, len);
	assert_memory_equal(gz->data, document_gz(d), d->gzlen);
	assert_true(bodystore_locate(id->data, id->len, &fd, &off));
	assert_int_equal(fd, id->fd);
	assert_int_equal(off, id->off);
	assert_true(bodystore_bytes() >= len + d->gzlen);
	document_unref(d);
	assert_int_equal(bodystore_bytes(), 0);

	/* Small: no copy, and none tried again (the slot says so). */
	d = document_new("/a/", "text/plain", xstrdup("small"), 5, 0, 0);
	assert_null(bodystore_filed(d, 0));
	assert_non_null(document_cache(d, DOCUMENT_CACHE_FILED));
	assert_null(bodystore_filed(d, 1));	/* no gzip body at all */
	assert_null(document_cache(d, DOCUMENT_CACHE_FILED + 1));
	document_unref(d);
}

/* A rope (a feed stitched from entries) is filed too: its spans, and its
 * gzip spans (header, the pieces' streams, trailer), copied in order. */
static void
rope_copies(void **state)
{
	struct stitch st;
	struct buf want;
	struct piece *p;
	char *text;
	struct document *d;
	const struct bodystore_copy *id, *gz;
	char *flat;
	size_t i, j, k = 0;
	uint32_t x = 7;

	(void)state;
	stitch_init(&st);
	buf_init(&want);
	for (i = 0; i < 40; i++) {
		text = xmalloc(1500);
		for (j = 0; j < 1500; j++) {
			x = x * 1103515245 + 12345;
			text[j] = (char)('a' + (x >> 16) % 26);
		}
		buf_add(&want, text, 1500);
		p = piece_new(text, 1500);
		stitch_piece(&st, p);
		piece_unref(p);
		stitch_text(&st, "<sep/>", 6);
		buf_add(&want, "<sep/>", 6);
	}
	d = document_from_stitch("/feed.atom", "text/plain", &st, 0, 0,
	    ROPE_MIN);
	assert_non_null(d->rope);
	assert_true(d->nspans > 1 && d->ngzspans > 1);
	id = bodystore_filed(d, 0);
	gz = bodystore_filed(d, 1);
	assert_non_null(id);
	assert_non_null(gz);
	assert_int_equal(id->len, want.len);
	assert_memory_equal(id->data, want.data, want.len);
	assert_int_equal(gz->len, d->gzlen);
	flat = xmalloc(d->gzlen);
	for (i = 0; i < d->ngzspans; k += d->gzspans[i++].len)
		memcpy(flat + k, d->gzspans[i].data, d->gzspans[i].len);
	assert_memory_equal(gz->data, flat, d->gzlen);
	free(flat);
	buf_free(&want);
	document_unref(d);
	assert_int_equal(bodystore_bytes(), 0);
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
		cmocka_unit_test_setup_teardown(document_copies, open_store,
		    close_store),
		cmocka_unit_test_setup_teardown(rope_copies, open_store,
		    close_store),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/*
 * test_bodycache.c -- identity bodies within a budget: a body is never
 * dropped before its gzip body exists; past the budget the least recently
 * used go; one dropped comes back byte for byte (inflated from the gzip
 * body) with the document's ETag untouched; a body held by a response
 * outlives its eviction; many threads asking for a dropped body make it
 * once; a freed document leaves nothing counted.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "fixture.h"

#include "bodycache.h"
#include "document.h"

#define LEN	6000

static char *
text_of(unsigned seed, size_t len)
{
	char *body = malloc(len);
	size_t i;

	assert_non_null(body);
	for (i = 0; i < len; i++)
		body[i] = "abcdefgh \n<>"[(i * 7 + seed * 13 + i / 97) % 12];
	return body;
}

static char *
text(unsigned seed)
{
	return text_of(seed, LEN);
}

/* A flat document of len bytes whose identity body is c's. */
static struct document *
doc_of(struct bodycache *c, unsigned seed, size_t len)
{
	char path[32];
	struct document *d;

	snprintf(path, sizeof path, "/d%u/", seed);
	d = document_new_plain(path, "text/html", text_of(seed, len), len, 0,
	    0);
	document_use_cache(d, c);
	assert_ptr_equal(d->bodies, c);
	assert_null(d->body);
	return d;
}

static struct document *
doc(struct bodycache *c, unsigned seed)
{
	return doc_of(c, seed, LEN);
}

static void
assert_body(struct document *d, unsigned seed)
{
	struct held_body *h = document_identity(d);
	char *want = text(seed);

	assert_non_null(h);
	assert_int_equal(h->len, LEN);
	assert_memory_equal(h->data, want, LEN);
	held_body_unref(h);
	free(want);
}

static struct bodycache_stats
stats(struct bodycache *c)
{
	struct bodycache_stats st;

	bodycache_stats(c, &st);
	return st;
}

/* Before its gzip body is made nothing could bring a body back: it is
 * kept whatever the budget. */
static void
held_until_gzip(void **state)
{
	struct bodycache *c = bodycache_new(1);
	struct document *d = doc(c, 1);

	(void)state;
	assert_int_equal(stats(c).bytes, LEN);
	assert_body(d, 1);
	assert_int_equal(stats(c).evictions, 0);
	document_finish_gzip(d);
	assert_int_equal(stats(c).evictions, 1);
	assert_int_equal(stats(c).bytes, 0);
	document_unref(d);
	bodycache_unref(c);
}

/* Over the budget the least recently asked go; one asked again is the
 * same bytes, and its ETag and hash never changed. */
static void
least_recent_dropped_and_made_again(void **state)
{
	struct bodycache *c = bodycache_new(2 * LEN);
	struct document *d[3];
	char etag[sizeof d[0]->etag];
	unsigned i;

	(void)state;
	for (i = 0; i < 3; i++)
		d[i] = doc(c, i);
	document_finish_gzip(d[0]);
	document_finish_gzip(d[1]);
	assert_body(d[0], 0);		/* d[1] is now the oldest */
	memcpy(etag, d[1]->etag, sizeof etag);
	document_finish_gzip(d[2]);
	assert_int_equal(stats(c).evictions, 1);
	assert_null(d[1]->held);
	assert_non_null(d[0]->held);
	assert_int_equal(stats(c).renders, 0);
	assert_body(d[1], 1);
	assert_int_equal(stats(c).renders, 1);
	assert_string_equal(d[1]->etag, etag);
	assert_body(d[1], 1);		/* held now: not made again */
	assert_int_equal(stats(c).renders, 1);
	assert_int_equal(stats(c).bytes, 2 * LEN);
	for (i = 0; i < 3; i++)
		document_unref(d[i]);
	assert_int_equal(stats(c).bytes, 0);
	assert_int_equal(stats(c).bodies, 0);
	bodycache_unref(c);
}

/* A response's reference keeps the bytes it sends after the cache lets
 * them go (AddressSanitizer and valgrind would see a use after free). */
static void
held_body_outlives_eviction(void **state)
{
	struct bodycache *c = bodycache_new(LEN);
	struct document *a = doc(c, 5), *b = doc(c, 6);
	struct held_body *h;
	char *want = text(5);

	(void)state;
	document_finish_gzip(a);
	h = document_identity(a);
	assert_non_null(h);
	document_finish_gzip(b);	/* a is dropped */
	assert_null(a->held);
	document_unref(a);
	assert_memory_equal(h->data, want, LEN);
	held_body_unref(h);
	free(want);
	document_unref(b);
	bodycache_unref(c);
}

/* Budget 0: every body is kept. */
static void
budget_zero_keeps_all(void **state)
{
	struct bodycache *c = bodycache_new(0);
	struct document *d[8];
	unsigned i;

	(void)state;
	for (i = 0; i < 8; i++) {
		d[i] = doc(c, i);
		document_finish_gzip(d[i]);
	}
	assert_int_equal(stats(c).bytes, 8 * LEN);
	assert_int_equal(stats(c).evictions, 0);
	bodycache_set_budget(c, 3 * LEN);
	assert_int_equal(stats(c).bytes, 3 * LEN);
	assert_int_equal(stats(c).evictions, 5);
	for (i = 0; i < 8; i++) {
		assert_body(d[i], i);
		document_unref(d[i]);
	}
	bodycache_unref(c);
}

struct racer {
	struct document	*d;
	unsigned	 seed;
	size_t		 len;
	pthread_barrier_t *start;
	int		 ok;
};

static void *
race(void *arg)
{
	struct racer *r = arg;
	struct held_body *h;
	char *want = text_of(r->seed, r->len);

	pthread_barrier_wait(r->start);
	h = document_identity(r->d);
	r->ok = h != NULL && h->len == r->len &&
	    memcmp(h->data, want, r->len) == 0;
	held_body_unref(h);
	free(want);
	return NULL;
}

/* Eight threads ask d for its body at once; each gets the right bytes. */
static void
ask_at_once(struct document *d, unsigned seed, size_t len)
{
	pthread_barrier_t start;
	pthread_t t[8];
	struct racer r[8];
	int i;

	assert_int_equal(pthread_barrier_init(&start, NULL, 8), 0);
	for (i = 0; i < 8; i++) {
		r[i].d = d;
		r[i].seed = seed;
		r[i].len = len;
		r[i].start = &start;
		r[i].ok = 0;
		assert_int_equal(pthread_create(&t[i], NULL, race, &r[i]), 0);
	}
	for (i = 0; i < 8; i++) {
		assert_int_equal(pthread_join(t[i], NULL), 0);
		assert_true(r[i].ok);
	}
	pthread_barrier_destroy(&start);
}

/* Eight threads ask at once for a dropped body: it is made once. */
static void
concurrent_requests_make_it_once(void **state)
{
	struct bodycache *c = bodycache_new(LEN);
	struct document *d = doc(c, 9), *other = doc(c, 10);

	(void)state;
	document_finish_gzip(d);
	document_finish_gzip(other);	/* d is dropped */
	assert_null(d->held);
	ask_at_once(d, 9, LEN);
	assert_int_equal(stats(c).renders, 1);
	document_unref(d);
	document_unref(other);
	bodycache_unref(c);
}

/*
 * A body larger than the whole budget does not empty the cache for
 * itself: it is kept outside it while asked for (made once however many
 * ask at once), and let go at the next trim.
 */
static void
larger_than_budget(void **state)
{
	struct bodycache *c = bodycache_new(2 * LEN + 100);
	struct document *a = doc(c, 11), *b = doc(c, 12);
	struct document *big = doc_of(c, 13, 10 * LEN);

	(void)state;
	document_finish_gzip(a);
	document_finish_gzip(b);
	document_finish_gzip(big);	/* out at once: nobody holds it */
	assert_null(big->held);
	assert_non_null(a->held);
	assert_non_null(b->held);
	assert_int_equal(stats(c).evictions, 1);
	ask_at_once(big, 13, 10 * LEN);
	assert_int_equal(stats(c).renders, 1);
	assert_non_null(a->held);
	assert_non_null(b->held);
	assert_int_equal(stats(c).bytes, 12 * LEN);
	assert_int_equal(stats(c).pinned, 10 * LEN);
	bodycache_set_budget(c, 2 * LEN + 100);	/* a trim */
	assert_null(big->held);
	assert_int_equal(stats(c).bytes, 2 * LEN);
	assert_int_equal(stats(c).pinned, 0);
	/* Under a budget it fits in, it is cached like any other. */
	bodycache_set_budget(c, 20 * LEN);
	ask_at_once(big, 13, 10 * LEN);
	assert_int_equal(stats(c).renders, 2);
	assert_non_null(big->held);
	assert_int_equal(stats(c).pinned, 0);
	assert_int_equal(stats(c).bytes, 12 * LEN);
	document_unref(a);
	document_unref(b);
	document_unref(big);
	assert_int_equal(stats(c).bytes, 0);
	bodycache_unref(c);
}

/* Only flat documents with a gzip body to come are the cache's. */
static void
others_left_alone(void **state)
{
	struct bodycache *c = bodycache_new(LEN);
	struct document *small = document_new_plain("/s", "text/plain",
	    strdup("tiny"), 4, 0, 0);
	struct document *redirect = document_redirect("/r", "/to/");

	(void)state;
	document_use_cache(small, c);
	document_use_cache(redirect, c);
	assert_null(small->bodies);
	assert_null(redirect->bodies);
	assert_null(document_identity(small));
	assert_non_null(small->body);
	document_unref(small);
	document_unref(redirect);
	assert_int_equal(stats(c).bodies, 0);
	bodycache_unref(c);
}

/* --- documents rendered on request (document_render_on_request) ------ */

struct test_recipe {
	struct document_recipe	 base;
	unsigned		 seed;
	int			 wrong;		/* renders other bytes */
	int			*renders;	/* atomic */
	int			*freed;
};

static char *
test_recipe_render(const struct document_recipe *r, size_t *len)
{
	const struct test_recipe *t = (const struct test_recipe *)r;
	char *body = text(t->seed);

	__atomic_add_fetch(t->renders, 1, __ATOMIC_RELAXED);
	if (t->wrong)
		body[LEN / 2] ^= 1;
	*len = LEN;
	return body;
}

static void
test_recipe_free(struct document_recipe *r)
{
	struct test_recipe *t = (struct test_recipe *)r;

	(*t->freed)++;
	free(t);
}

static struct document *
rendered_doc(struct bodycache *c, unsigned seed, int wrong, int *renders,
    int *freed)
{
	struct test_recipe *t = calloc(1, sizeof *t);
	struct document *d = document_new_plain("/r/", "text/html",
	    text(seed), LEN, 0, 0);

	assert_non_null(t);
	t->base.render = test_recipe_render;
	t->base.free = test_recipe_free;
	t->seed = seed;
	t->wrong = wrong;
	t->renders = renders;
	t->freed = freed;
	document_render_on_request(d, &t->base, c);
	assert_null(d->body);
	assert_null(d->spans);
	assert_null(document_gz(d));
	return d;
}

/*
 * A rendered document keeps no bytes until asked: its identity body is
 * rendered once into the cache (eight threads at once included), its
 * gzip body made from it and inflating to it; dropped, it is rendered
 * again.  A recipe that renders other bytes than were hashed gives no
 * body at all (the response is a 503), never the wrong bytes.
 */
static void
rendered_on_request(void **state)
{
	struct bodycache *c = bodycache_new(LEN);
	int renders = 0, freed = 0, wrong_renders = 0;
	struct document *d = rendered_doc(c, 21, 0, &renders, &freed);
	struct document *w = rendered_doc(c, 22, 1, &wrong_renders, &freed);
	struct document *other;
	const char *gz;

	(void)state;
	assert_int_equal(renders, 0);
	ask_at_once(d, 21, LEN);
	assert_int_equal(renders, 1);
	assert_body(d, 21);
	assert_int_equal(renders, 1);
	gz = document_gzip_asked(d);
	assert_non_null(gz);
	assert_int_equal(renders, 1);
	/* Dropped by another body; made again from its gzip body now. */
	other = doc(c, 23);
	document_finish_gzip(other);
	assert_null(d->held);
	assert_body(d, 21);
	assert_int_equal(renders, 1);
	assert_int_equal(stats(c).renders, 2);

	assert_null(document_identity(w));
	assert_int_equal(wrong_renders, 1);
	assert_null(document_gzip_asked(w));

	document_unref(d);
	document_unref(w);
	document_unref(other);
	assert_int_equal(freed, 2);
	bodycache_unref(c);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(held_until_gzip),
		cmocka_unit_test(least_recent_dropped_and_made_again),
		cmocka_unit_test(held_body_outlives_eviction),
		cmocka_unit_test(budget_zero_keeps_all),
		cmocka_unit_test(concurrent_requests_make_it_once),
		cmocka_unit_test(larger_than_budget),
		cmocka_unit_test(others_left_alone),
		cmocka_unit_test(rendered_on_request),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

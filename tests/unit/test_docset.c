/*
 * test_docset.c -- the document sets HTTP serves: docset_publish's
 * frozen base + overlay sets, checked path by path against the work set
 * they were published from, through replacements, removals and re-adds,
 * overlays on overlays, the full copy past an eighth of the set or past
 * a bound in bytes of replaced versions (a document rendered on request
 * counting none), and the references older sets keep.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fixture.h"

#include "bodycache.h"
#include "docset.h"
#include "document.h"
#include "piece.h"
#include "util.h"

#define NDOCS	1000

static struct document *
doc(const char *path, int version)
{
	char *body = xasprintf("%s version %d\n", path, version);

	return document_new(path, "text/plain", body, strlen(body), 0, 0);
}

static char *
path_of(int i)
{
	return xasprintf("/p/%d", i);
}

/* s shows, for every /p/i, doc version v[i] (0: none). */
static void
assert_set(const struct docset *s, const int *v, int n)
{
	char want[64];

	for (int i = 0; i < n; i++) {
		char *path = path_of(i);
		struct document *d = docset_get(s, path);

		if (v[i] == 0) {
			if (d != NULL)
				fail_msg("%s: present, want absent", path);
		} else {
			if (d == NULL)
				fail_msg("%s: absent, want version %d", path,
				    v[i]);
			snprintf(want, sizeof want, "%s version %d\n", path,
			    v[i]);
			assert_int_equal(d->len, strlen(want));
			assert_memory_equal(d->body, want, d->len);
		}
		free(path);
	}
}

static void
set_version(struct docset *work, int *v, int i, int version)
{
	char *path = path_of(i);

	if (version == 0)
		docset_remove(work, path);
	else
		docset_add(work, doc(path, version));
	v[i] = version;
	free(path);
}

static void
publish(void **state)
{
	int v[NDOCS + 10] = { 0 }, v1[NDOCS + 10], v2[NDOCS + 10],
	    v3[NDOCS + 10];
	int n = NDOCS + 10;
	struct docset *work = docset_new(), *pub1, *pub2, *pub3, *pub4;
	struct document *old1;
	int i;

	(void)state;
	for (i = 0; i < NDOCS; i++)
		set_version(work, v, i, 1);
	pub1 = docset_publish(work, NULL);
	assert_null(pub1->base);
	assert_int_equal(work->changed.live, 0);
	assert_set(pub1, v, n);
	memcpy(v1, v, sizeof v);
	old1 = document_ref(docset_get(pub1, "/p/1"));

	/* A few changes: replaced, removed, added. */
	set_version(work, v, 1, 2);
	set_version(work, v, 2, 0);
	set_version(work, v, NDOCS, 1);
	set_version(work, v, NDOCS + 1, 1);
	set_version(work, v, NDOCS + 1, 0);	/* added, then removed */
	pub2 = docset_publish(work, pub1);
	assert_non_null(pub2->base);		/* an overlay, not a copy */
	assert_int_equal(work->changed.live, 0);
	assert_set(pub2, v, n);
	assert_set(pub1, v1, n);		/* untouched */
	assert_set(work, v, n);
	assert_ptr_equal(docset_get(pub2, "/p/3"), docset_get(pub1, "/p/3"));
	memcpy(v2, v, sizeof v);

	/* More changes on top of an overlay: its changes carry over. */
	set_version(work, v, 2, 3);		/* removed, back again */
	set_version(work, v, NDOCS, 0);
	set_version(work, v, 5, 2);
	pub3 = docset_publish(work, pub2);
	assert_non_null(pub3->base);
	assert_set(pub3, v, n);
	assert_set(pub2, v2, n);
	assert_set(pub1, v1, n);
	memcpy(v3, v, sizeof v);

	/* Past an eighth of the set: a full copy, still right. */
	for (i = 100; i < 100 + NDOCS / 8 + 70; i++)
		set_version(work, v, i, i % 5 == 0 ? 0 : 4);
	pub4 = docset_publish(work, pub3);
	assert_null(pub4->base);
	assert_set(pub4, v, n);
	assert_set(pub3, v3, n);
	assert_set(pub2, v2, n);
	assert_set(pub1, v1, n);

	docset_unref(pub1);		/* pub2 and pub3 keep it as base */
	assert_set(pub2, v2, n);
	docset_unref(pub2);
	docset_unref(pub3);
	docset_unref(pub4);
	docset_unref(work);
	assert_int_equal(old1->refs, 1);	/* no set kept a reference */
	document_unref(old1);
}

/* A document of n bytes at path, without a gzip body (not needed). */
static struct document *
big(const char *path, size_t n, char c)
{
	char *body = xmalloc(n + 1);

	memset(body, c, n);
	body[n] = '\0';
	return document_new_plain(path, "text/plain", body, n, 0, 0);
}

/*
 * The base keeps the versions its overlay replaced: once they pass
 * DOCSET_SHADOWED_MIN bytes (for a set this small) it is copied whole, and the old
 * versions go with the last set that could show them.  A path replaced
 * twice is counted once (the base holds one version of it).
 */
static void
shadowed_versions_bounded(void **state)
{
	/* NDOCS + 3 paths: the bound is DOCSET_SHADOWED_MIN */
	size_t n = DOCSET_SHADOWED_MIN / 3 + 1;
	struct docset *work = docset_new(), *pub[6];
	struct document *old0;
	int i, v[NDOCS] = { 0 };

	(void)state;
	for (i = 0; i < NDOCS; i++)
		set_version(work, v, i, 1);
	docset_add(work, big("/big/0", n, 'a'));
	docset_add(work, big("/big/1", n, 'a'));
	docset_add(work, big("/big/2", n, 'a'));
	pub[0] = docset_publish(work, NULL);
	old0 = document_ref(docset_get(pub[0], "/big/0"));

	docset_add(work, big("/big/0", n, 'b'));
	pub[1] = docset_publish(work, pub[0]);
	assert_non_null(pub[1]->base);
	docset_add(work, big("/big/0", n, 'c'));	/* the same path again */
	pub[2] = docset_publish(work, pub[1]);
	assert_non_null(pub[2]->base);
	docset_add(work, big("/big/1", n, 'b'));	/* two thirds */
	pub[3] = docset_publish(work, pub[2]);
	assert_non_null(pub[3]->base);
	docset_add(work, big("/big/2", n, 'b'));	/* past the bound */
	pub[4] = docset_publish(work, pub[3]);
	assert_null(pub[4]->base);
	assert_int_equal(docset_get(pub[4], "/big/0")->body[0], 'c');
	assert_int_equal(docset_get(pub[4], "/big/2")->body[0], 'b');
	assert_int_equal(docset_get(pub[3], "/big/2")->body[0], 'a');
	assert_set(pub[4], v, NDOCS);

	/* Nothing newer than pub[4] holds the first /big/0 any more. */
	for (i = 0; i < 4; i++)
		docset_unref(pub[i]);
	assert_int_equal(old0->refs, 1);
	document_unref(old0);
	docset_unref(pub[4]);
	docset_unref(work);
}

/* A recipe that is never asked for (nothing here serves). */
static void
recipe_free(struct document_recipe *r)
{
	free(r);
}

static char *
recipe_render(const struct document_recipe *r, size_t *len)
{
	(void)r;
	*len = 0;
	return NULL;
}

/*
 * A document rendered on request holds no body of its own (the body
 * cache holds it, within its budget): replacing one, however large, is
 * not a replaced version kept alive.  Counted at its length, archive
 * pages had every fifteenth edit at 10 000 posts copy the whole set.
 */
static void
rendered_on_request_not_shadowed(void **state)
{
	size_t n = DOCSET_SHADOWED_MIN + 1;	/* each past the bound alone */
	struct bodycache *cache = bodycache_new(1 << 20);
	struct docset *work = docset_new(), *pub[6];
	struct document_recipe *r;
	int i, v[NDOCS] = { 0 };

	(void)state;
	for (i = 0; i < NDOCS; i++)
		set_version(work, v, i, 1);
	docset_add(work, big("/flat", n, 'a'));
	for (i = 0; i < 5; i++) {
		r = xcalloc(1, sizeof *r);
		r->render = recipe_render;
		r->free = recipe_free;
		docset_add(work, document_from_recipe("/archive/1/feed.atom",
		    "application/atom+xml", n, 1 + (uint64_t)i, 0, 0, r,
		    cache));
		pub[i] = docset_publish(work, i > 0 ? pub[i - 1] : NULL);
		if (i > 0)
			assert_non_null(pub[i]->base);
	}
	/* A flat body of the same size is past the bound: replacing it
	 * copies the set whole. */
	docset_add(work, big("/flat", n, 'b'));
	pub[5] = docset_publish(work, pub[4]);
	assert_null(pub[5]->base);
	assert_set(pub[5], v, NDOCS);
	for (i = 0; i < 6; i++)
		docset_unref(pub[i]);
	docset_unref(work);
	bodycache_unref(cache);
}

static int
teardown(void **state)
{
	(void)state;
	piece_thread_done();
	return 0;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(publish),
		cmocka_unit_test(shadowed_versions_bounded),
		cmocka_unit_test(rendered_on_request_not_shadowed),
	};

	return cmocka_run_group_tests_name("document", tests, NULL, teardown);
}

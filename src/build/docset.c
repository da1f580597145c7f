/*
 * docset.c -- the documents crier serves, as one set per moment.
 *
 * A rebuild changes its set in place; the other loops must never see it
 * half-changed, nor pay for a copy of 34 000 entries after every edit.
 * So what is published to them is a frozen base shared by every loop and
 * an overlay of the paths changed since (docset_publish), and a new base
 * is copied whole only when the overlay outgrows an eighth of it, or when
 * the old versions it shadows outgrow a bound in bytes.  Sets
 * are reference-counted like the documents they hold: a loop serving
 * from an old set keeps it until it takes the new one.
 */
#include <stdlib.h>

#include "docset.h"
#include "log.h"
#include "piece.h"

/*
 * A frozen base keeps a reference to the version of every path it had,
 * shadowed or not: a loop still serving from an older set may read it.
 * So every document an overlay replaces stays alive, once, until the
 * next whole copy -- the site's feeds, a post's tag and category feeds,
 * calendars' replaced chunks.  At 1 000 posts that was 35 MiB after 50
 * edits (bench/results-memory.md), more than the whole site's feeds.  A
 * whole copy is what frees them, and it costs 45 ms at 34 000 paths
 * (measured under a load average of 8 on this 2-core machine, so less
 * when idle, yet still several edits' worth), on the way from a change
 * to its being served, where an edit takes 3 ms.  So it is made when the
 * bytes shadowed pass a bound that grows with the paths copied
 * (docset.h: 16 MiB, or 4 KiB a path: 134 MiB at 10 000 posts, where
 * most edits shadow no new feed once the tags' are shadowed): memory
 * kept for old versions stays a bounded share of the site, and a copy
 * stays rare against the edits it follows.
 */

/* In an overlay: this path was removed. */
static struct document removed;

struct docset *
docset_new(void)
{
	struct docset *s = xcalloc(1, sizeof *s);

	s->refs = 1;
	dict_init(&s->docs);
	dict_init(&s->changed);
	return s;
}

struct docset *
docset_ref(struct docset *s)
{
	__atomic_add_fetch(&s->refs, 1, __ATOMIC_RELAXED);
	return s;
}

static void
unref_value(void *d)
{
	if (d != &removed)
		document_unref(d);
}

void
docset_unref(struct docset *s)
{
	if (s == NULL || __atomic_sub_fetch(&s->refs, 1, __ATOMIC_ACQ_REL) > 0)
		return;
	dict_free(&s->docs, unref_value);
	dict_free(&s->changed, NULL);
	docset_unref(s->base);
	free(s);
}

void
docset_add(struct docset *s, struct document *d)
{
	d->generation = s->generation;
	document_unref(dict_set(&s->docs, d->path, d));
	dict_set(&s->changed, d->path, (void *)1);
}

void
docset_remove(struct docset *s, const char *path)
{
	document_unref(dict_remove(&s->docs, path));
	dict_set(&s->changed, path, (void *)1);
}

struct document *
docset_get(const struct docset *s, const char *path)
{
	struct document *d = dict_get(&s->docs, path);

	if (s->base == NULL || d != NULL)
		return d != &removed ? d : NULL;
	return dict_get(&s->base->docs, path);
}

struct docset *
docset_copy(const struct docset *from)
{
	struct docset *s = docset_new();
	const char *key;
	void *v;
	size_t i;

	if (from->base != NULL) {	/* a published overlay is not whole */
		log_error("docset_copy of a published set");
		abort();
	}
	s->generation = from->generation;
	for (i = 0; dict_next(&from->docs, &i, &key, &v); )
		dict_set(&s->docs, key, document_ref(v));
	return s;
}

/*
 * What keeping d alive costs once a newer version replaces it: a flat
 * body and its gzip body (but not the identity body of one rendered on
 * request -- a post page, an archive page --, which the body cache holds
 * within its budget); for a rope, the pieces no one else
 * holds (the chunks or entries the new version replaced: piece_refs is
 * exact enough here, as only rebuilds, serialised with this, take
 * more).  Counting an archive page rendered on request at its length
 * had every fifteenth edit copy the whole set at 10 000 posts.
 */
static size_t
shadowed_bytes(const struct document *d)
{
	const struct stitch *st = d->rope;
	size_t i, n = 0;

	if (d == &removed)
		return 0;
	if (st == NULL)
		return (d->recipe == NULL ? d->len : 0) +
		    (document_gz(d) != NULL ? d->gzlen : 0);
	for (i = 0; i < st->n; i++) {
		if (piece_refs(st->pieces[i]) > 1)
			continue;
		n += st->pieces[i]->len;
		if (st->zparts != NULL && st->zparts[i] != NULL)
			n += st->zparts[i]->zlen;
	}
	return n;
}

struct docset *
docset_publish(struct docset *work, struct docset *before)
{
	struct docset *s;
	struct document *d;
	const char *key;
	size_t i, overlay = before != NULL && before->base != NULL ?
	    before->docs.live : 0;
	void *v;

	struct docset *base;
	size_t shadowed;

	if (before == NULL || overlay + work->changed.live >
	    work->docs.live / 8 + 64) {
		s = docset_copy(work);
		goto done;
	}
	/* A path first shadowed now: its base version is kept from now on. */
	base = before->base != NULL ? before->base : before;
	shadowed = before->base != NULL ? before->shadowed : 0;
	for (i = 0; dict_next(&work->changed, &i, &key, NULL); )
		if (before->base == NULL ||
		    dict_get(&before->docs, key) == NULL)
			if ((v = dict_get(&base->docs, key)) != NULL)
				shadowed += shadowed_bytes(v);
	if (shadowed > DOCSET_SHADOWED_MIN &&
	    shadowed / DOCSET_SHADOWED_PER_PATH > work->docs.live) {
		s = docset_copy(work);
		goto done;
	}
	s = docset_new();
	s->base = docset_ref(base);
	s->shadowed = shadowed;
	if (before->base != NULL)
		for (i = 0; dict_next(&before->docs, &i, &key, &v); )
			dict_set(&s->docs, key, v == &removed ? v :
			    document_ref(v));
	for (i = 0; dict_next(&work->changed, &i, &key, NULL); ) {
		d = dict_get(&work->docs, key);
		unref_value(dict_set(&s->docs, key, d != NULL ?
		    document_ref(d) : &removed));
	}
done:
	docset_forget_changes(work);
	return s;
}

void
docset_forget_changes(struct docset *s)
{
	dict_free(&s->changed, NULL);
	dict_init(&s->changed);
}

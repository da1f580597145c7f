/*
 * dict.c -- the string-keyed hash table every part of crier keeps its
 * things in.
 *
 * Entries live in an array in insertion order, with chains of indices
 * from the buckets, so iteration is deterministic: the documents crier
 * renders must be byte-identical for identical content, and a table that
 * iterated in hash order would make that depend on its history.  Removed
 * entries stay dead in the array until the next growth packs it.  Keys are
 * hashed with XXH3 inlined here: a lookup is on the path of every request.
 */
#include <stdlib.h>
#include <string.h>

#define XXH_INLINE_ALL
#include <xxhash.h>

#include "dict.h"
#include "util.h"

void
dict_init(struct dict *d)
{
	memset(d, 0, sizeof *d);
}

void
dict_free(struct dict *d, void (*free_value)(void *))
{
	size_t i;

	for (i = 0; i < d->nentries; i++) {
		if (!d->entries[i].live)
			continue;
		if (free_value != NULL)
			free_value(d->entries[i].value);
		free(d->entries[i].key);
	}
	free(d->entries);
	free(d->buckets);
	memset(d, 0, sizeof *d);
}

static size_t *
dict_slot(const struct dict *d, const char *key, size_t *bucket)
{
	size_t *slot;

	if (d->nbuckets == 0)
		return NULL;
	*bucket = XXH3_64bits(key, strlen(key)) & (d->nbuckets - 1);
	slot = &d->buckets[*bucket];
	while (*slot != 0) {
		if (strcmp(d->entries[*slot - 1].key, key) == 0)
			return slot;
		slot = &d->entries[*slot - 1].next;
	}
	return slot;
}

void *
dict_get(const struct dict *d, const char *key)
{
	size_t bucket, *slot = dict_slot(d, key, &bucket);

	if (slot == NULL || *slot == 0)
		return NULL;
	return d->entries[*slot - 1].value;
}

/* Rebuilds the table without dead entries, with room to grow. */
static void
dict_rehash(struct dict *d)
{
	struct dict_entry *old = d->entries;
	size_t i, n = 0, oldn = d->nentries, bucket, *slot;

	d->cap = d->live < 8 ? 16 : d->live * 2;
	d->entries = xcalloc(d->cap, sizeof *d->entries);
	d->nbuckets = 16;
	while (d->nbuckets < d->cap)
		d->nbuckets *= 2;
	free(d->buckets);
	d->buckets = xcalloc(d->nbuckets, sizeof *d->buckets);
	for (i = 0; i < oldn; i++) {
		if (!old[i].live)
			continue;
		d->entries[n] = old[i];
		d->entries[n].next = 0;
		slot = dict_slot(d, d->entries[n].key, &bucket);
		*slot = n + 1;
		n++;
	}
	d->nentries = n;
	free(old);
}

void *
dict_set(struct dict *d, const char *key, void *value)
{
	size_t bucket, *slot;
	void *old;

	slot = dict_slot(d, key, &bucket);
	if (slot != NULL && *slot != 0) {
		old = d->entries[*slot - 1].value;
		d->entries[*slot - 1].value = value;
		return old;
	}
	if (d->nentries == d->cap) {
		dict_rehash(d);
		slot = dict_slot(d, key, &bucket);
	}
	d->entries[d->nentries].key = xstrdup(key);
	d->entries[d->nentries].value = value;
	d->entries[d->nentries].next = 0;
	d->entries[d->nentries].live = 1;
	*slot = ++d->nentries;
	d->live++;
	return NULL;
}

void *
dict_remove(struct dict *d, const char *key)
{
	size_t bucket, *slot = dict_slot(d, key, &bucket), i;
	void *old;

	if (slot == NULL || *slot == 0)
		return NULL;
	i = *slot - 1;
	*slot = d->entries[i].next;
	old = d->entries[i].value;
	free(d->entries[i].key);
	d->entries[i].key = NULL;
	d->entries[i].live = 0;
	d->live--;
	return old;
}

int
dict_next(const struct dict *d, size_t *i, const char **key, void **value)
{
	while (*i < d->nentries) {
		const struct dict_entry *e = &d->entries[(*i)++];

		if (!e->live)
			continue;
		if (key != NULL)
			*key = e->key;
		if (value != NULL)
			*value = e->value;
		return 1;
	}
	return 0;
}

void
dict_keys_where(const struct dict *d, int (*match)(const char *, void *,
    void *), void *arg, struct dict_keys *out)
{
	const char *key;
	void *value;
	size_t i;

	out->keys = NULL;
	out->n = 0;
	for (i = 0; dict_next(d, &i, &key, &value); ) {
		if (!match(key, value, arg))
			continue;
		out->keys = xreallocarray(out->keys, out->n + 1,
		    sizeof *out->keys);
		out->keys[out->n++] = xstrdup(key);
	}
}

void
dict_keys_free(struct dict_keys *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		free(l->keys[i]);
	free(l->keys);
	l->keys = NULL;
	l->n = 0;
}

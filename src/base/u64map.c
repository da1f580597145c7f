/*
 * u64map.c -- a hash table from 64-bit keys to pointers.
 *
 * The caches that replaced fields written on parsed pages and events
 * (calendar.c's VEVENTs, upcoming.c's occurrences) are looked up by a
 * hash of what they depend on, once per event a rendering looks at: tens
 * of thousands at start-up.  util.c's dict wants string keys, which
 * would mean formatting every key first.  The keys here are hashes
 * already, so they pick their slot directly: open addressing, linear
 * probing, at most half full.  Nothing is removed one by one: a cache
 * that drops entries builds a new table of those it keeps, which is
 * also what keeps probe runs short.
 */
#include <stdlib.h>
#include <string.h>

#include "u64map.h"
#include "util.h"

#define U64MAP_MIN	16

void
u64map_init(struct u64map *m)
{
	memset(m, 0, sizeof *m);
}

void
u64map_free(struct u64map *m, void (*free_value)(void *))
{
	size_t i;

	for (i = 0; free_value != NULL && i < m->cap; i++)
		if (m->slots[i].value != NULL)
			free_value(m->slots[i].value);
	free(m->slots);
	memset(m, 0, sizeof *m);
}

/* Keys are hashes, but not every caller's bits are spread alike. */
static size_t
home(const struct u64map *m, uint64_t key)
{
	key ^= key >> 33;
	key *= 0xff51afd7ed558ccdULL;
	key ^= key >> 33;
	return (size_t)key & (m->cap - 1);
}

/* The slot holding key, or the free one where it would go. */
static struct u64map_slot *
find(const struct u64map *m, uint64_t key)
{
	size_t i = home(m, key);

	while (m->slots[i].value != NULL && m->slots[i].key != key)
		i = (i + 1) & (m->cap - 1);
	return &m->slots[i];
}

void *
u64map_get(const struct u64map *m, uint64_t key)
{
	return m->cap == 0 ? NULL : find(m, key)->value;
}

static void
grow(struct u64map *m)
{
	struct u64map_slot *old = m->slots, *s;
	size_t oldcap = m->cap, i;

	m->cap = oldcap ? 2 * oldcap : U64MAP_MIN;
	m->slots = xcalloc(m->cap, sizeof *m->slots);
	for (i = 0; i < oldcap; i++) {
		if (old[i].value == NULL)
			continue;
		s = find(m, old[i].key);
		*s = old[i];
	}
	free(old);
}

void *
u64map_put(struct u64map *m, uint64_t key, void *value)
{
	struct u64map_slot *s;
	void *old;

	if (2 * (m->live + 1) > m->cap)
		grow(m);
	s = find(m, key);
	old = s->value;
	if (old == NULL)
		m->live++;
	s->key = key;
	s->value = value;
	return old;
}

int
u64map_next(const struct u64map *m, size_t *i, uint64_t *key, void **value)
{
	for (; *i < m->cap; (*i)++) {
		if (m->slots[*i].value == NULL)
			continue;
		if (key != NULL)
			*key = m->slots[*i].key;
		if (value != NULL)
			*value = m->slots[*i].value;
		(*i)++;
		return 1;
	}
	return 0;
}

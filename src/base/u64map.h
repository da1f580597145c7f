/*
 * u64map.h -- a hash table from 64-bit keys (hashes already) to
 * pointers, for caches looked up by content on hot paths.  See u64map.c.
 */
#ifndef CRIER_U64MAP_H
#define CRIER_U64MAP_H

#include <stddef.h>
#include <stdint.h>

struct u64map_slot {
	uint64_t	 key;
	void		*value;		/* NULL: free */
};

struct u64map {
	struct u64map_slot	*slots;
	size_t			 cap;		/* a power of two, or 0 */
	size_t			 live;
};

void	 u64map_init(struct u64map *);
/* Frees the table, and each value with free_value unless NULL. */
void	 u64map_free(struct u64map *, void (*free_value)(void *));
void	*u64map_get(const struct u64map *, uint64_t key);
/* Sets key's value (never NULL); returns the one it replaces, or NULL. */
void	*u64map_put(struct u64map *, uint64_t key, void *value);
/* Iterate: for (i = 0; u64map_next(m, &i, &key, &value); ), in no
 * particular order; the table must not change meanwhile. */
int	 u64map_next(const struct u64map *, size_t *i, uint64_t *key,
	    void **value);

#endif

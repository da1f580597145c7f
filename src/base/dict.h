/*
 * dict.h -- a string-keyed hash table of opaque values that keeps
 * insertion order.
 */
#ifndef CRIER_DICT_H
#define CRIER_DICT_H

#include <stddef.h>

struct dict_entry {
	char	*key;
	void	*value;
	size_t	 next;		/* chain, index + 1, 0 ends */
	int	 live;
};
struct dict {
	struct dict_entry *entries;	/* in insertion order */
	size_t	 nentries;
	size_t	 cap;
	size_t	*buckets;		/* index + 1 into entries, 0 empty */
	size_t	 nbuckets;
	size_t	 live;
};

void	 dict_init(struct dict *);
void	 dict_free(struct dict *, void (*)(void *));
void	*dict_get(const struct dict *, const char *);
void	*dict_set(struct dict *, const char *, void *);	/* returns old */
void	*dict_remove(struct dict *, const char *);	/* returns old */
/* Iterate: for (i = 0; dict_next(d, &i, &k, &v); ) */
int	 dict_next(const struct dict *, size_t *, const char **, void **);

/* Copies of the keys whose entries match, for callers that then remove
 * them (removing while iterating would skip entries). */
struct dict_keys {
	char	**keys;
	size_t	  n;
};
void	 dict_keys_where(const struct dict *, int (*)(const char *key,
	    void *value, void *arg), void *arg, struct dict_keys *);
void	 dict_keys_free(struct dict_keys *);

#endif

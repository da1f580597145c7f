/*
 * load.h -- reading and parsing content files, on every core when a scan
 * finds many of them.
 */
#ifndef CRIER_LOAD_H
#define CRIER_LOAD_H

#include <stddef.h>
#include <stdint.h>

#include "config.h"
#include "diag.h"
#include "page.h"

enum load_result {
	LOAD_UNREAD,		/* not read yet */
	LOAD_GONE,		/* not there, or not a file: drop it */
	LOAD_SAME,		/* the bytes the catalog already parsed */
	LOAD_PAGE,		/* parsed: page */
	LOAD_PROBLEM,		/* cannot be parsed: level, message */
};

/* One file of a scan, from its path to what the catalog should do. */
struct load {
	char			*path;		/* relative to content_dir */
	int			 known;		/* the catalog parsed ... */
	uint64_t		 known_hash;	/* ... bytes with this hash */
	struct cascade		 cascade;	/* what it inherits, set
						   by the caller */
	enum load_result	 result;
	struct page		*page;
	enum diag_level		 level;
	char			*message;
};

/* Reads and parses one file; touches nothing but l (any thread). */
void	 load_read(const struct config *, struct load *);
/* Reads and parses loads[0..n) on up to `threads` threads, the caller's
 * included, and calls apply for each on the calling thread in array
 * order (so logs and the catalog see the same sequence whatever the
 * thread count), while the others go on parsing. */
void	 load_all(const struct config *, struct load *, size_t n,
	    int threads, void (*apply)(struct load *, void *), void *arg);
/* Frees what apply did not take (it sets page to NULL to keep it). */
void	 load_clear(struct load *);
/* How many threads parsing should use on this machine. */
int	 load_threads(void);

#endif

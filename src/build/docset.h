/*
 * docset.h -- a complete set of documents, by path; swapped whole after
 * each rebuild.
 */
#ifndef CRIER_DOCSET_H
#define CRIER_DOCSET_H

#include "dict.h"
#include "document.h"

/*
 * The set the rebuild works on is a plain dict that records which paths
 * changed.  What it publishes to the other loops is a shared, frozen
 * `base` plus an `overlay` of the paths changed since (a NULL document
 * for one removed): publishing copies the changes, not 34 000 entries,
 * until the overlay outgrows an eighth of the base and a new base is
 * copied whole, or the old versions the base keeps for paths the
 * overlay replaced pass a bound in bytes (below).
 */
/* The old versions an overlay may keep alive (docset.c), in bytes: at
 * least DOCSET_SHADOWED_MIN, else DOCSET_SHADOWED_PER_PATH for each path
 * of the set (what a whole copy costs grows with the paths). */
#define DOCSET_SHADOWED_MIN	((size_t)16 << 20)
#define DOCSET_SHADOWED_PER_PATH ((size_t)4096)

struct docset {
	int		 refs;
	struct dict	 docs;		/* path -> struct document; the
					   overlay when base is set */
	struct docset	*base;		/* frozen, or NULL */
	struct dict	 changed;	/* paths since the last publication */
	unsigned	 generation;	/* stamped on documents added */
	size_t		 shadowed;	/* an overlay's: bytes of the base's
					   versions it replaced, kept alive
					   by the base (docset.c) */
};

struct docset *docset_new(void);
struct docset *docset_ref(struct docset *);
void	 docset_unref(struct docset *);
/* Adds doc (taking the caller's reference). */
void	 docset_add(struct docset *, struct document *);
struct document *docset_get(const struct docset *, const char *path);
void	 docset_remove(struct docset *, const char *path);
/* A new set holding references to the same documents. */
struct docset *docset_copy(const struct docset *);
/* The set to serve now, given the one published before (or NULL); new
 * reference.  Forgets the changes of `work`. */
struct docset *docset_publish(struct docset *work, struct docset *before);
void	 docset_forget_changes(struct docset *);

#endif

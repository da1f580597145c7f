/*
 * catalog_owners.h -- which page owns each document path pages write: a
 * post's page, its aliases, its events' own calendars.
 */
#ifndef CRIER_CATALOG_OWNERS_H
#define CRIER_CATALOG_OWNERS_H

#include "dict.h"
#include "docset.h"
#include "document.h"
#include "page.h"

/* How a page claims a path: its own URL and events outrank an alias. */
enum claim_rank { CLAIM_PAGE, CLAIM_ALIAS };

struct catalog_owners {
	struct dict	 paths;		/* document path -> struct owner */
};

void	 catalog_owners_init(struct catalog_owners *);
void	 catalog_owners_free(struct catalog_owners *);
/* May page p write the document at path?  indexed: the pages indexed
 * now (path -> struct page); an owner no longer among them has lost its
 * claim. */
int	 catalog_owners_claim(struct catalog_owners *,
	    const struct dict *indexed, const char *path, const struct page *p,
	    enum claim_rank);
/* Withdraws from docs the documents of vanished pages and subjects, as
 * index.c noted them in stale (path -> page path, NULL for a subject's),
 * and empties it; a page's paths only when it owned them, and those go to
 * orphans: another page may claim them. */
void	 catalog_owners_withdraw(struct catalog_owners *, struct dict *stale,
	    struct docset *docs, struct dict *orphans);
/* The orphans no document took again: for each, the smallest indexed
 * page that claims it is rendered again (render(page, arg)). */
void	 catalog_owners_reclaim(const struct dict *orphans,
	    const struct dict *indexed, const struct docset *docs,
	    void (*render)(struct page *, void *), void *arg);

#endif

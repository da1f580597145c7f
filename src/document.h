/*
 * document.h -- an immutable, reference-counted rendered document, and
 * the set of them that HTTP serves.
 */
#ifndef CRIER_DOCUMENT_H
#define CRIER_DOCUMENT_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "dates.h"
#include "util.h"

struct document {
	int		 refs;		/* atomic: shared by worker threads */
	char		*path;		/* canonical URL path */
	const char	*content_type;
	char		*body;
	size_t		 len;
	char		*gz;		/* NULL when gzip would not help */
	size_t		 gzlen;
	char		 etag[24];	/* "hex", strong */
	char		 etag_gz[28];	/* "hex-gz" */
	char		 last_modified[DATE_BUFSIZE];
	time_t		 mtime;
	uint64_t	 fingerprint;	/* of the inputs, to skip re-rendering */
	int		 shared;	/* a feed or calendar: CORS allowed */
	char		*redirect;	/* 301 Location instead of a body */
	unsigned	 generation;	/* of the rebuild that last kept it */
};

/* Takes ownership of body; computes gzip, ETags and Last-Modified. */
struct document *document_new(const char *path, const char *content_type,
	    char *body, size_t len, time_t mtime, uint64_t fingerprint);
struct document *document_redirect(const char *path, const char *location);
struct document *document_ref(struct document *);
void	 document_unref(struct document *);

/* A complete set of documents; swapped whole after each rebuild. */
struct docset {
	int		refs;
	struct dict	docs;		/* path -> struct document */
	unsigned	generation;	/* stamped on documents added */
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

#endif

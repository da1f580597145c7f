/*
 * output.h -- the optional output folder: every document written to disk
 * (atomically, with a .gz beside it) so nginx or a CDN can serve the very
 * same bytes.
 */
#ifndef CRIER_OUTPUT_H
#define CRIER_OUTPUT_H

#include "config.h"
#include "dict.h"
#include "docset.h"
#include "document.h"

#include "util.h"

struct output {
	char		*root;		/* the folder written last time */
	struct dict	written;	/* relative file -> ETag written */
	int		scanned;	/* files of earlier runs are known */
};

void	output_init(struct output *);
void	output_free(struct output *);
/* Writes the documents that changed and removes those that are gone. */
void	output_write(struct output *, const struct config *,
	    const struct docset *);

#endif

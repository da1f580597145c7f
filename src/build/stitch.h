/*
 * stitch.h -- a document under assembly from pieces (piece.h), and the
 * gzip member its pieces' streams make.
 */
#ifndef CRIER_STITCH_H
#define CRIER_STITCH_H

#include <stddef.h>

#include "piece.h"
#include "util.h"

/*
 * A document under assembly: text not worth caching (a feed's head) is
 * gathered and becomes a piece of its own when a cached piece follows or
 * the document ends.  pieces[i] is sent as zparts[i] in gzip bodies,
 * compressed only when a document needs them (stitch_compress).
 */
struct stitch {
	struct piece	**pieces;
	struct zpart	**zparts;
	size_t		 n;
	size_t		 cap;
	size_t		 len;		/* of all the text */
	struct buf	 pending;
};

void	 stitch_init(struct stitch *);
void	 stitch_text(struct stitch *, const char *, size_t);
void	 stitch_piece(struct stitch *, struct piece *);	/* adds a ref */
/* Ends the pending text; the arrays are then the caller's to take. */
void	 stitch_finish(struct stitch *);
/* Fills zparts: each piece's variant after the pieces before it. */
void	 stitch_compress(struct stitch *);
void	 stitch_free(struct stitch *);
/* The text in one malloc'd, NUL-terminated string. */
char	*stitch_text_flat(const struct stitch *, size_t *len);

/* The end of the gzip member of st's pieces' streams. */
void	 stitch_gzip_trailer(const struct stitch *st,
	    unsigned char out[GZIP_TRAILER_LEN]);

#endif

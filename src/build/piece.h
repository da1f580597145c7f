/*
 * piece.h -- text compressed once, stitched into many gzip bodies.
 *
 * The same Atom entry is in the site feed, its section's, its tags' and
 * its categories'; the same VEVENT in as many calendars.  A piece is such
 * a run of text with its own raw deflate stream, ended by a sync flush (so
 * it ends on a byte boundary and is not final) and its CRC-32.  Streams
 * ended that way concatenate into one valid deflate stream -- pigz does
 * the same -- so a document's gzip body is a header, its pieces' streams,
 * an empty final block and a trailer whose CRC is combined from the
 * pieces'.  An edit then compresses only the pieces that changed.
 *
 * Compressed alone, a feed entry shrinks less: much of what it repeats
 * is in the entry before it.  So a piece is compressed with the last
 * 4 KiB of the pieces before it in the document as its dictionary (the
 * decoder has those bytes just behind it): one compressed variant per
 * context, a few per piece, as a piece sits in a few documents.
 *
 * A join is a piece whose text is its parts' texts one after the other,
 * never copied into one buffer that stays: a calendar's chunk of
 * VEVENTs, which the calendar cache keeps anyway.  Copying them cost a
 * second copy of every event's text per calendar it is in (about six),
 * most of the memory calendars took.  A join's text is gathered for the
 * moment it is compressed or its document's identity body is made.
 */
#ifndef CRIER_PIECE_H
#define CRIER_PIECE_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

#include "util.h"

/* A piece's raw deflate stream after a given context. */
struct zpart {
	int		 refs;		/* atomic: documents hold them */
	unsigned char	*z;		/* sync-flushed, not final */
	size_t		 zlen;
};

#define PIECE_VARIANTS	8
#define PIECE_LEVEL	6
#define PIECE_LEVEL_FAST 1

struct piece {
	int		 refs;		/* atomic: documents share pieces */
	char		*text;		/* NULL: a join of parts */
	struct piece	**parts;	/* a join's, each with its text */
	size_t		 nparts;
	size_t		 len;
	uint32_t	 crc;		/* CRC-32 of text */
	unsigned long	 shift;		/* crc32_combine_gen(len) */
	int		 level;		/* zlib's; set before first use */
	/* Set before first use: compressed without a dictionary, and no
	 * dictionary to the pieces after it -- the one stream it has
	 * wherever it stands, made only when a document needs it. */
	int		 alone;
	uint64_t	 hash;		/* XXH3 of text, never 0 */
	pthread_mutex_t	 lock;		/* around the variants */
	struct zpart	*variants[PIECE_VARIANTS];
	uint64_t	 after[PIECE_VARIANTS];	/* their contexts' hashes */
	unsigned long	 used[PIECE_VARIANTS];	/* for eviction */
	unsigned long	 uses;
};

/* Takes ownership of text (malloc'd, len bytes). */
struct piece	*piece_new(char *text, size_t len);
/* The join of n pieces with text (each gets a reference): its hash, CRC
 * and length are those of the joined text. */
struct piece	*piece_join(struct piece *const *parts, size_t n);
/* The hash a piece of that text has, without making one. */
uint64_t	 piece_hash_of(const char *text, size_t len);
/* Appends p's text from offset skip on. */
void		 piece_text_into(const struct piece *p, size_t skip,
		    struct buf *);
struct piece	*piece_ref(struct piece *);
void		 piece_unref(struct piece *);
/* How many references are held now: a cache that holds one tells by it
 * whether anyone else still does (exact only while no one takes more). */
int		 piece_refs(const struct piece *);
/* Frees the calling thread's compressor (it is kept between pieces). */
void		 piece_thread_done(void);

void		 piece_zpart_unref(struct zpart *);

/* Piece i of a sequence, compressed after the pieces before it (as
 * many as make a useful dictionary): a new reference. */
struct zpart	*piece_after(struct piece *const *pieces, size_t i);

/* The gzip member around a sequence of pieces' streams. */
#define GZIP_HEADER_LEN	10
#define GZIP_TRAILER_LEN 10	/* empty final block, CRC-32, size */
extern const unsigned char piece_gzip_header[GZIP_HEADER_LEN];
/* A whole text as one gzip member, with the thread's compressor. */
char	*piece_gzip_whole(const char *, size_t, int level, size_t *gzlen);

#endif

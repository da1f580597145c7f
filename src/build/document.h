/*
 * document.h -- an immutable, reference-counted rendered document, and
 * the set of them that HTTP serves.
 */
#ifndef CRIER_DOCUMENT_H
#define CRIER_DOCUMENT_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "bodycache.h"
#include "dates.h"
#include "stitch.h"
#include "util.h"

/* A run of bytes a response sends; a document's body is one or more. */
struct span {
	const char	*data;
	size_t		 len;
};

/*
 * What the serving side keeps on a document version: made by its owner
 * at the version's first response, read by every later one, freed with
 * the document.  Each owner's own struct begins with a struct
 * document_cache and is freed by the function it carries; document.c
 * never looks inside.  Slots rather than a table beside the documents,
 * because a response must find its head with one load, not a lookup by
 * path; typed rather than void pointers, so each cache is freed by its
 * owner's code.  A slot is written once (document_cache_keep), by any
 * loop; the rest of a document never changes for them.
 */
struct document_cache {
	void	(*free)(struct document_cache *);	/* NULL: not freed */
};

/* The slots, by owner. */
#define DOCUMENT_HEADS	4	/* http_reply.c: a head per kind */
enum {
	DOCUMENT_CACHE_HEADS = 0,
	DOCUMENT_CACHE_FILED = DOCUMENT_CACHE_HEADS + DOCUMENT_HEADS,
					/* bodystore.c: identity, gzip copy */
	DOCUMENT_CACHES = DOCUMENT_CACHE_FILED + 2
};

/*
 * How a document is rendered again when asked (a post page): its
 * owner's struct begins with this one.  render must give the bytes it
 * gave when the document was made (a pure function of what the recipe
 * holds, never changed); they are checked against the hash.
 */
struct document_recipe {
	char	*(*render)(const struct document_recipe *, size_t *len);
	void	 (*free)(struct document_recipe *);
	/* A document that would be a rope (a feed archive page) says where
	 * its pieces end, each one's length in order: its hash and gzip
	 * body are then the ones that rope has (document_from_recipe).
	 * NULL for a flat document. */
	const size_t	*cuts;
	size_t		 ncuts;
};

struct document {
	int		 refs;		/* atomic: shared by worker threads */
	char		*path;		/* canonical URL path */
	const char	*content_type;
	char		*body;		/* NULL for a rope */
	size_t		 len;
	/* NULL when gzip would not help or the gzip body is not made yet;
	 * read it with document_gz(), the fields below are set before it. */
	char		*gz;
	size_t		 gzlen;
	/* What responses send: the body, or a rope's pieces in order. */
	struct span	*spans;
	size_t		 nspans;
	struct span	*gzspans;	/* NULL when gzip would not help */
	size_t		 ngzspans;
	struct stitch	*rope;		/* what a rope's spans point into */
	struct stitch	*gzsrc;		/* a flat stitched document's pieces,
					   until its gzip body is made */
	int		 gzip_todo;	/* see document_finish_gzip */
	uint64_t	 hash;		/* of the content, behind the ETags */
	char		 etag[24];	/* "hex", strong */
	char		 etag_gz[28];	/* "hex-gz" */
	char		 last_modified[DATE_BUFSIZE];
	time_t		 mtime;
	uint64_t	 fingerprint;	/* of the inputs, to skip re-rendering */
	char		*redirect;	/* 301 Location instead of a body */
	/* A bundle's resource: the file (relative to the content folder)
	 * whose bytes are the body, read when asked (resource.c), so its
	 * ETag and Last-Modified are the file's then; body is empty. */
	char		*file;
	/* A full feed archive page (RFC 5005): its bytes change only when
	 * an old post in it does, so caches may keep it without asking
	 * (Cache-Control: immutable).  Set before the document is shared. */
	int		 immutable;
	/* Set before the document is shared when its identity body is the
	 * body cache's (bodycache.c): body and spans are then NULL, and the
	 * bytes are read with document_identity.  held and making are under
	 * the cache's lock. */
	struct bodycache *bodies;
	struct held_body *held;
	int		 making;
	/* A rope stitched from joins (piece.h: a calendar's chunks): no
	 * spans; its identity bytes are gathered from the joins' parts
	 * into the body cache when asked. */
	int		 textless;
	/* Set before it is shared: the gzip body is made at the first
	 * request that asks for gzip (document_gzip_asked), by the cache
	 * below, never in the background -- a feed archive page, which few
	 * clients ever read.  A 304 never needs it; a HEAD makes it
	 * (its Content-Length is the gzip body's). */
	struct bodycache *gzip_on_request;
	int		 gzip_making;	/* under its lock */
	/* Set before it is shared: its bytes are rendered again from this
	 * when asked, never kept beyond the body cache
	 * (document_render_on_request). */
	struct document_recipe *recipe;
	/* Read with document_cache, written with document_cache_keep. */
	struct document_cache *cache[DOCUMENT_CACHES];
	unsigned	 generation;	/* of the rebuild that last kept it */
};

/* The cache in a slot, or NULL: none made yet.  Inline: it is read on
 * every response. */
static inline struct document_cache *
document_cache(const struct document *d, int slot)
{
	return __atomic_load_n(&d->cache[slot], __ATOMIC_ACQUIRE);
}
/* Keeps c in an empty slot and returns it; when another loop's came
 * first, frees c and returns that one. */
struct document_cache *document_cache_keep(struct document *, int slot,
	    struct document_cache *c);

/* Takes ownership of body; computes gzip, ETags and Last-Modified. */
struct document *document_new(const char *path, const char *content_type,
	    char *body, size_t len, time_t mtime, uint64_t fingerprint);
/*
 * Takes what st holds (and frees it): a document of up to rope_min bytes
 * is copied into one body (compressed whole), a larger one is a rope,
 * served from its pieces' spans, so an edit copies nothing: a feed's
 * entries are shared by every feed that shows them, not copied into each
 * (a copy cost a page fault every 4 KiB of fresh heap, most of an edit's
 * rebuild on this project's machines, and a feed's worth of memory per
 * version).  Responses send a large body from the body store
 * (bodystore.c), which copies a rope's spans as it copies a flat body.
 * ROPE_MIN is what crier passes; tests pass others.
 */
#define ROPE_MIN	STITCH_MIN
/* Up to this, a stitched document is compressed whole: its pieces would
 * save little (a one-event calendar's are its own), one stream costs one
 * call and compresses better. */
#define STITCH_MIN	(16 * 1024)
/* A flat document's ETag hashes its bytes; a rope above this many (every
 * rope crier makes) hashes its pieces' hashes and lengths instead: an edit
 * at 1 000 posts streamed some 10 MB of re-rendered feeds through XXH3, a
 * seventh of its rebuild, and a 20 MB calendar's change hashed 20 MB.
 * Still a function of the bytes as stitched (the same content gives the
 * same pieces: replicas agree); the same bytes split otherwise would only
 * cost a 200 where a 304 would do. */
#define ETAG_PIECES_MIN	STITCH_MIN
struct document *document_from_stitch(const char *path,
	    const char *content_type, struct stitch *st, time_t mtime,
	    uint64_t fingerprint, size_t rope_min);
/*
 * The same documents without their gzip body yet: until
 * document_finish_gzip has run, responses send the identity body.  The
 * gzip body it makes is the one document_new/document_from_stitch make.
 */
struct document *document_new_plain(const char *path,
	    const char *content_type, char *body, size_t len, time_t mtime,
	    uint64_t fingerprint);
struct document *document_from_stitch_plain(const char *path,
	    const char *content_type, struct stitch *st, time_t mtime,
	    uint64_t fingerprint, size_t rope_min);
/* Whether the gzip body is still to be made (by whoever made the
 * document, or the one task it was handed to). */
int	 document_gzip_pending(const struct document *);
/* Makes the gzip body, once, on any thread, while others may serve the
 * document: the gzip fields are written before the body's pointer is
 * stored (release), and readers load it with acquire. */
void	 document_finish_gzip(struct document *);
/* The gzip body's first bytes, or NULL: gzip not (yet) served. */
const char *document_gz(const struct document *);
/* Before the document is shared. */
void	 document_set_mtime(struct document *, time_t);
struct document *document_redirect(const char *path, const char *location);
/* The resource at path: the file relpath (content folder) of that type. */
struct document *document_resource(const char *path, const char *relpath,
	    const char *content_type);
/* Has a flat document's identity body kept by the body cache from now
 * on (before it is shared); any other is left as it is. */
void	 document_use_cache(struct document *, struct bodycache *);
/* The identity bytes of a document whose body is the cache's, with a
 * reference the caller drops (held_body_unref); NULL for any other
 * document (its spans are its bytes) and when they cannot be made. */
struct held_body *document_identity(struct document *);
/* Has d's gzip body made at its first gzip request, once (c's lock),
 * instead of in the background; before d is shared. */
void	 document_gzip_when_asked(struct document *, struct bodycache *c);
/*
 * Has a flat document (just made with document_new_plain, not shared)
 * keep none of its bytes: they were hashed into its ETag, and are
 * rendered again from r into c when a client asks for them (checked
 * against the hash), its gzip body made from them at its first gzip
 * request.  A 304 and a HEAD without gzip render nothing.  Takes r.
 */
void	 document_render_on_request(struct document *,
	    struct document_recipe *r, struct bodycache *c);
/*
 * A document that keeps none of its bytes from the start: len bytes
 * whose hash was computed by its maker, rendered from r (r->cuts set)
 * into c when asked, its gzip body made from them at its first gzip
 * request.  Its hash must be document_pieces_hash of r's pieces.
 * Takes r.
 */
struct document *document_from_recipe(const char *path,
	    const char *content_type, size_t len, uint64_t hash,
	    time_t mtime, uint64_t fingerprint, struct document_recipe *r,
	    struct bodycache *c);
/* A rope's hash from its pieces' hashes (piece.h) and lengths. */
uint64_t document_pieces_hash(const uint64_t *hashes, const size_t *lens,
	    size_t n);
/* Whether len bytes at body are d's: its length and its hash. */
int	 document_is_body(const struct document *, const char *body,
	    size_t len);
/* The gzip body of d, made now if it is made on request; NULL when gzip
 * would not help. */
const char *document_gzip_asked(struct document *);
struct document *document_ref(struct document *);
void	 document_unref(struct document *);

#endif

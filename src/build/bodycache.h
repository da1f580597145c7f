/*
 * bodycache.h -- the identity bodies of flat documents, kept within a
 * byte budget; one dropped is made again, on request, from the gzip body.
 */
#ifndef CRIER_BODYCACHE_H
#define CRIER_BODYCACHE_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

struct document;

/* One document version's identity bytes, shared by the responses that
 * send them (each holds a reference) and by the cache while it keeps
 * them. */
struct held_body {
	int		 refs;		/* atomic */
	size_t		 len;
	char		*data;
	/* The cache's, under its lock: least recently used order, and
	 * the document whose body this is (NULL once dropped from it). */
	struct held_body *older, *newer;
	struct document	*doc;
	int		 evictable;	/* in the order above */
	/* Larger than the whole budget: kept, out of the order, only
	 * while responses send it (the cache's list of passing bodies). */
	int		 passing;
};

struct bodycache_stats {
	size_t		 bytes;		/* identity bodies held */
	size_t		 pinned;	/* of which outside the budget: no
					   gzip body yet, or passing */
	size_t		 budget;
	size_t		 bodies;
	unsigned long	 evictions;	/* bodies dropped for the budget */
	unsigned long	 renders;	/* made again on request */
	unsigned long	 hits;		/* requests that found one held */
	unsigned long	 gzip_made;	/* gzip bodies made on request */
};

struct bodycache {
	int		 refs;		/* atomic: the owner's, a document's */
	pthread_mutex_t	 lock;
	pthread_cond_t	 made;		/* a body made again on request */
	struct held_body *newest, *oldest;
	struct held_body *passing;	/* linked by older */
	size_t		 evictable_bytes;	/* of those in the order: the
						   budget's; a body still
						   without gzip is not */
	struct bodycache_stats st;
};

/* A cache keeping up to budget bytes of evictable identity bodies
 * (0: keep every body, the cache drops none). */
struct bodycache *bodycache_new(size_t budget);
struct bodycache *bodycache_ref(struct bodycache *);
void	 bodycache_unref(struct bodycache *);
/* A new budget: bodies over it are dropped at once. */
void	 bodycache_set_budget(struct bodycache *, size_t budget);
void	 bodycache_stats(struct bodycache *, struct bodycache_stats *);

/* Takes a flat document's body, before the document is shared: its
 * identity bytes are the cache's from now on (read them with
 * bodycache_acquire), held until its gzip body is made. */
void	 bodycache_adopt(struct bodycache *, struct document *);
/* The gzip body of d is made: its identity body may be dropped now. */
void	 bodycache_gzip_made(struct bodycache *, struct document *);
/* d is being freed. */
void	 bodycache_forget(struct bodycache *, struct document *);
/*
 * d's identity bytes with a reference for the caller (released with
 * held_body_unref), made again from the gzip body when dropped -- once:
 * a request that finds another making them waits for that one.  NULL
 * only if they cannot be made (logged).
 */
struct held_body *bodycache_acquire(struct bodycache *, struct document *);
void	 held_body_unref(struct held_body *);
/* Makes d's gzip body (document_finish_gzip) once, whoever asks at the
 * same time: the others wait for it.  Returns document_gz(d). */
const char *bodycache_make_gzip(struct bodycache *, struct document *d);

#endif

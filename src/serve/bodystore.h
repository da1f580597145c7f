/*
 * bodystore.h -- copies of large document bodies in a file, so that
 * responses can sendfile(2) them instead of copying them.
 */
#ifndef CRIER_BODYSTORE_H
#define CRIER_BODYSTORE_H

#include <stddef.h>
#include <sys/types.h>

#include "document.h"

/* Bodies this large or larger are kept in the store; smaller ones cost
 * less to copy than a second system call. */
#define BODYSTORE_MIN	(16 * 1024)
/* Its size: the memory copies of bodies may take at most.  What clients
 * poll again and again is a site's few feeds and calendars. */
#define BODYSTORE_SIZE	((size_t)256 << 20)

/*
 * Opens the store (an unnamed file in $TMPDIR or /var/tmp, else a memfd,
 * mapped read-only): 0, or -1 when the system has none to give, after
 * which bodies are copied into sockets.  size: 0
 * for BODYSTORE_SIZE; halved until mmap agrees.
 */
int	 bodystore_init(size_t size);
/* Closes it, unless a body is still kept there (then -1, and it stays
 * open: pointers into it must stay valid). */
int	 bodystore_fini(void);

/*
 * A read-only copy of len bytes at p in the store, or NULL: the store is
 * closed or full, or len < BODYSTORE_MIN.
 */
const char *bodystore_keep(const char *p, size_t len);
/* The same for a body in spans (a rope's pieces), which must add up to
 * len bytes. */
const char *bodystore_keep_spans(const struct span *, size_t nspans, size_t len);
/* Frees a copy (len as given to bodystore_keep); NULL is ignored. */
void	 bodystore_release(const char *p, size_t len);
/* Whether p..p+len lies in the store: its file and offset, for
 * sendfile.  No lock: the mapping never moves while the store is open. */
int	 bodystore_locate(const char *p, size_t len, int *fd, off_t *off);

/* Bytes kept in the store now (for tests and /metrics). */
size_t	 bodystore_bytes(void);

/* A document body's copy in the store, kept with the document. */
struct bodystore_copy {
	struct document_cache	 cache;		/* first: see document.h */
	const char		*data;		/* the copy, mapped */
	size_t			 len;
	int			 fd;		/* the store's file, and where */
	off_t			 off;
};

/*
 * The identity (gz 0) or gzip body (gz 1) of a flat document as a copy in
 * the store, made at the first call (on any thread; a race leaves one)
 * and freed with the document, or NULL: a rope, no such body (yet), or
 * too small or no room -- then not tried again.
 */
const struct bodystore_copy *bodystore_filed(struct document *, int gz);

#endif

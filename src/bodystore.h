/*
 * bodystore.h -- large document bodies kept in shared memory, so that
 * responses can sendfile(2) them instead of copying them.
 */
#ifndef CRIER_BODYSTORE_H
#define CRIER_BODYSTORE_H

#include <stddef.h>
#include <sys/types.h>

/* Bodies this large or larger are kept in the store; smaller ones cost
 * less to copy than a second system call. */
#define BODYSTORE_MIN	(16 * 1024)
/* The address space reserved at most; halved until mmap agrees. */
#define BODYSTORE_RESERVE ((size_t)64 << 30)

/*
 * Opens the store (a memfd mapped read-only): 0, or -1 when the system
 * has none to give, after which bodies simply stay in malloc'd memory.
 * reserve is the most address space to take (0: BODYSTORE_RESERVE).
 */
int	 bodystore_init(size_t reserve);
/* Closes it, unless a body is still kept there (then -1, and it stays
 * open: pointers into it must stay valid). */
int	 bodystore_fini(void);

/*
 * Takes a malloc'd body of len bytes and returns where it now lives: a
 * copy in the store (p is freed) when the store is open, has room and
 * len >= BODYSTORE_MIN, else p itself.  The returned bytes are
 * read-only.  Never fails.
 */
char	*body_keep(char *p, size_t len);
/* Frees what body_keep returned (len as given to it). */
void	 body_release(char *p, size_t len);
/* Whether p..p+len lies in the store: its file and offset, for
 * sendfile.  No lock: the mapping never moves while the store is open. */
int	 body_file(const char *p, size_t len, int *fd, off_t *off);

/* Bytes kept in the store now (for tests and /metrics). */
size_t	 bodystore_bytes(void);

#endif

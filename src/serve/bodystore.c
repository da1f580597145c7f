/*
 * bodystore.c -- copies of large document bodies in a file, sent with
 * sendfile(2).
 *
 * Serving a 70 KB feed, a fifth of crier's CPU went to copying it into
 * the socket (perf: _copy_from_iter), a copy nginx does not make: it
 * sendfile()s from the page cache, handing the kernel references to the
 * pages.  So the first response of a large body (BODYSTORE_MIN bytes or
 * more) copies it into one unnamed file (store_file), mapped once,
 * read-only, and that response and the next send the copy from the file
 * (bodystore_filed).  The copy is the document's: a cache in its slots
 * (document.h), freed with it, of a type only this file makes.  Copies are made when first needed, not when
 * documents are rendered: a page costs about a microsecond to allocate
 * and another to punch (below), 0.1 ms for a 250 KB feed, which a
 * rebuild re-rendering a dozen feeds would pay on every edit, and most
 * documents of a large site are never asked for between two of their
 * versions.  pwrite, not a writable mapping: a full disk or a lack of
 * memory is an error to handle, not a SIGBUS.
 *
 * The kernel may hold a sent page after its document is gone, until the
 * peer has read it.  So a freed range is punched out of the file
 * (fallocate PUNCH_HOLE) before it can be handed out again: the old
 * pages live on with the kernel's last reference to them, a new copy
 * gets new pages, and a response never carries another document's
 * bytes.  Punching also returns the memory at once.
 *
 * Allocation is page granular: first fit over a sorted array of free
 * ranges (coalesced when freed), else from the top.  A mutex guards it:
 * copies are made by the serving loops and freed by whichever thread
 * drops a document's last reference -- once per document version, never
 * per response.  The store has a fixed size (BODYSTORE_SIZE, halved until
 * mmap agrees: valgrind's address space is smaller); when it is full, or
 * there is no file for it, bodies are copied into sockets as before.
 *
 * The store is the process's, like malloc's heap; bodystore_fini
 * returns it to its initial state, so a test can start over.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "bodystore.h"
#include "log.h"
#include "util.h"

#define STORE_SIZE_MIN	((size_t)64 << 20)

struct range {
	size_t		 off;
	size_t		 len;
};

static struct {
	pthread_mutex_t	 lock;
	int		 fd;		/* -1: closed */
	char		*base;		/* the mapping, size bytes */
	size_t		 size;
	size_t		 page;
	size_t		 top;		/* above: never handed out */
	struct range	*free;		/* sorted by off, none adjacent */
	size_t		 nfree;
	size_t		 capfree;
	size_t		 bytes;		/* in copies now */
} store = { .lock = PTHREAD_MUTEX_INITIALIZER, .fd = -1 };

/*
 * The store's file: a memfd (tmpfs, 4 KiB pages), else an unnamed file in
 * $TMPDIR or /var/tmp.  A freed range is punched out before it is reused,
 * and pages the kernel still holds for a slow client must keep their
 * bytes: tmpfs drops whole pages from the file and the kernel's
 * references keep the old ones.  A disk file system with large folios
 * (ext4) instead zeroes the punched part of a folio it cannot split --
 * one a socket still holds -- and slow readers got zeros in their bodies
 * (test_sendfile's slow readers, now and then).  sendfile() from ext4 was
 * cheaper (12-14 us of CPU for 67 KB against 17), but a body must be
 * right before it is fast.
 */
static int
store_file(void)
{
	const char *dir = getenv("TMPDIR");
	int fd;

	if ((fd = memfd_create("crier-bodies", MFD_CLOEXEC)) != -1)
		return fd;
	if (dir == NULL || dir[0] == '\0')
		dir = "/var/tmp";
	log_debug("no memfd (%s): the body store is an unnamed file in %s",
	    strerror(errno), dir);
	return open(dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
}

int
bodystore_init(size_t want)
{
	size_t size = want ? want : BODYSTORE_SIZE;
	void *base = MAP_FAILED;
	long page = sysconf(_SC_PAGESIZE);
	int fd;

	if (store.fd != -1)
		return 0;
	if (page <= 0 || (fd = store_file()) == -1) {
		log_info("no file for a body store (%s): bodies are copied "
		    "into sockets", strerror(errno));
		return -1;
	}
	/* A test may ask for less than STORE_SIZE_MIN: that or nothing. */
	for (;; size /= 2) {
		if (ftruncate(fd, (off_t)size) == 0 &&
		    (base = mmap(NULL, size, PROT_READ, MAP_SHARED |
		    MAP_NORESERVE, fd, 0)) != MAP_FAILED)
			break;
		if (size / 2 < STORE_SIZE_MIN)
			break;
	}
	if (base == MAP_FAILED) {
		log_info("cannot map a body store (%s): bodies are copied "
		    "into sockets", strerror(errno));
		close(fd);
		return -1;
	}
	store.fd = fd;
	store.base = base;
	store.size = size;
	store.page = (size_t)page;
	store.top = 0;
	store.bytes = 0;
	return 0;
}

int
bodystore_fini(void)
{
	if (store.fd == -1)
		return 0;
	if (store.bytes != 0)
		return -1;
	if (munmap(store.base, store.size) == -1)
		log_error("munmap of the body store: %s", strerror(errno));
	if (close(store.fd) == -1)
		log_error("close of the body store: %s", strerror(errno));
	free(store.free);
	store.fd = -1;
	store.base = NULL;
	store.size = store.top = store.bytes = 0;
	store.free = NULL;
	store.nfree = store.capfree = 0;
	return 0;
}

static size_t
pages_of(size_t len)
{
	return (len + store.page - 1) / store.page * store.page;
}

static void
remove_range(size_t i)
{
	memmove(store.free + i, store.free + i + 1, (store.nfree - i - 1) *
	    sizeof *store.free);
	store.nfree--;
}

/* An offset for len bytes (page multiple), or SIZE_MAX.  Locked. */
static size_t
take(size_t len)
{
	size_t i, off;

	for (i = 0; i < store.nfree; i++) {
		if (store.free[i].len < len)
			continue;
		off = store.free[i].off;
		store.free[i].off += len;
		store.free[i].len -= len;
		if (store.free[i].len == 0)
			remove_range(i);
		return off;
	}
	if (store.size - store.top < len)
		return SIZE_MAX;
	off = store.top;
	store.top += len;
	return off;
}

/* Gives back a punched range (page multiple).  Locked. */
static void
give_back(size_t off, size_t len)
{
	size_t lo = 0, hi = store.nfree, mid;

	while (lo < hi) {	/* the first range above off */
		mid = lo + (hi - lo) / 2;
		if (store.free[mid].off < off)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo > 0 && store.free[lo - 1].off + store.free[lo - 1].len ==
	    off) {
		lo--;
		store.free[lo].len += len;
	} else {
		if (store.nfree == store.capfree) {
			store.capfree = store.capfree ? 2 * store.capfree : 64;
			store.free = xreallocarray(store.free, store.capfree,
			    sizeof *store.free);
		}
		memmove(store.free + lo + 1, store.free + lo, (store.nfree -
		    lo) * sizeof *store.free);
		store.free[lo].off = off;
		store.free[lo].len = len;
		store.nfree++;
	}
	if (lo + 1 < store.nfree && store.free[lo].off + store.free[lo].len ==
	    store.free[lo + 1].off) {
		store.free[lo].len += store.free[lo + 1].len;
		remove_range(lo + 1);
	}
	if (lo + 1 == store.nfree && store.free[lo].off + store.free[lo].len ==
	    store.top) {
		store.top = store.free[lo].off;
		remove_range(lo);
	}
}

/*
 * Drops the pages of a range and makes it free.  A range that cannot be
 * punched is never handed out again: its old pages might still be on
 * their way to a client.
 */
static void
discard(size_t off, size_t len)
{
	if (fallocate(store.fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE,
	    (off_t)off, (off_t)len) == -1) {
		log_error("cannot free %zu bytes of the body store: %s", len,
		    strerror(errno));
		return;
	}
	pthread_mutex_lock(&store.lock);
	give_back(off, len);
	pthread_mutex_unlock(&store.lock);
}

static int
write_all(int fd, const char *p, size_t len, size_t off)
{
	ssize_t n;

	while (len > 0) {
		n = pwrite(fd, p, len, (off_t)off);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		p += n;
		len -= (size_t)n;
		off += (size_t)n;
	}
	return 0;
}

static int
write_spans(int fd, const struct span *spans, size_t nspans, size_t off)
{
	size_t i;

	for (i = 0; i < nspans; off += spans[i++].len)
		if (write_all(fd, spans[i].data, spans[i].len, off) == -1)
			return -1;
	return 0;
}

const char *
bodystore_keep_spans(const struct span *spans, size_t nspans, size_t len)
{
	size_t need, off, i, total = 0;

	for (i = 0; i < nspans; i++)
		total += spans[i].len;
	if (store.fd == -1 || len < BODYSTORE_MIN || total != len)
		return NULL;
	need = pages_of(len);
	pthread_mutex_lock(&store.lock);
	off = take(need);
	pthread_mutex_unlock(&store.lock);
	if (off == SIZE_MAX)
		return NULL;
	if (write_spans(store.fd, spans, nspans, off) == -1) {
		log_error("cannot copy %zu bytes into the body store: %s", len,
		    strerror(errno));
		discard(off, need);
		return NULL;
	}
	__atomic_add_fetch(&store.bytes, need, __ATOMIC_RELAXED);
	return store.base + off;
}

const char *
bodystore_keep(const char *p, size_t len)
{
	struct span one = { p, len };

	return bodystore_keep_spans(&one, 1, len);
}

int
bodystore_locate(const char *p, size_t len, int *fd, off_t *off)
{
	if (store.fd == -1 || p < store.base || p >= store.base + store.size ||
	    len > (size_t)(store.base + store.size - p))
		return 0;
	*fd = store.fd;
	*off = p - store.base;
	return 1;
}

void
bodystore_release(const char *p, size_t len)
{
	int fd;
	off_t off;

	if (p == NULL)
		return;
	if (!bodystore_locate(p, len, &fd, &off)) {
		log_error("bodystore_release: %p is not in the body store",
		    (const void *)p);
		return;
	}
	__atomic_sub_fetch(&store.bytes, pages_of(len), __ATOMIC_RELAXED);
	discard((size_t)off, pages_of(len));
}

size_t
bodystore_bytes(void)
{
	return __atomic_load_n(&store.bytes, __ATOMIC_RELAXED);
}

static void
copy_free(struct document_cache *cache)
{
	struct bodystore_copy *c = (struct bodystore_copy *)cache;

	bodystore_release(c->data, c->len);
	free(c);
}

/* Kept in a slot when a body gets no copy: not tried again. */
static struct bodystore_copy no_copy = { .cache = { .free = NULL } };

static struct bodystore_copy *
copy_new(const struct span *spans, size_t nspans, size_t len)
{
	struct bodystore_copy *c;
	const char *p;
	int fd;
	off_t off;

	if ((p = bodystore_keep_spans(spans, nspans, len)) == NULL)
		return &no_copy;
	if (!bodystore_locate(p, len, &fd, &off)) {
		bodystore_release(p, len);
		return &no_copy;
	}
	c = xmalloc(sizeof *c);
	c->cache.free = copy_free;
	c->data = p;
	c->len = len;
	c->fd = fd;
	c->off = off;
	return c;
}

const struct bodystore_copy *
bodystore_filed(struct document *d, int gz)
{
	int slot = DOCUMENT_CACHE_FILED + gz;
	struct document_cache *c = document_cache(d, slot);

	if (c == NULL) {
		if (gz && document_gz(d) == NULL)
			return NULL;
		/* Its identity body may be dropped and made again
		 * (bodycache.c): sent from memory, the rare time it is. */
		if (!gz && d->bodies != NULL)
			return NULL;
		c = document_cache_keep(d, slot, gz ?
		    &copy_new(d->gzspans, d->ngzspans, d->gzlen)->cache :
		    &copy_new(d->spans, d->nspans, d->len)->cache);
	}
	return c == &no_copy.cache ? NULL : (const struct bodystore_copy *)c;
}

/*
 * util.h -- the few data structures everything else shares.
 *
 * A growable byte buffer (struct buf), checked allocation, hashing, and
 * the text hygiene every writer depends on: UTF-8 repair, XML 1.0
 * character filtering and percent-encoding.  The hash table is dict.h.
 * Allocation failure aborts with a message: a daemon that cannot allocate
 * a few bytes cannot do anything useful, and checking at every call site
 * would hide the real logic (redis makes the same choice with zmalloc).
 */
#ifndef CRIER_UTIL_H
#define CRIER_UTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#define nitems(a) (sizeof(a) / sizeof((a)[0]))

void *xmalloc(size_t);
void *xcalloc(size_t, size_t);
void *xrealloc(void *, size_t);
void *xreallocarray(void *, size_t, size_t);
char *xstrdup(const char *);
char *xstrndup(const char *, size_t);
char *xasprintf(const char *, ...) __attribute__((format(printf, 1, 2)));

/* A growable buffer; data is always NUL-terminated. */
struct buf {
	char	*data;
	size_t	 len;
	size_t	 cap;
};

void	 buf_init(struct buf *);
void	 buf_free(struct buf *);
void	 buf_reset(struct buf *);
/* Room for n more bytes without reallocating (when the size is known). */
void	 buf_reserve(struct buf *, size_t n);
void	 buf_add(struct buf *, const void *, size_t);
void	 buf_addstr(struct buf *, const char *);
void	 buf_addc(struct buf *, char);
void	 buf_printf(struct buf *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
/* The text, the caller's to free; cut to fit when mostly slack. */
char	*buf_steal(struct buf *);

/* Is path the folder itself's content: "a/b.md" under "a"; all under "". */
int	 path_under(const char *path, const char *folder);

uint64_t hash64(const void *, size_t);

/* A running XXH3 hash of several values (strings keep their NUL, so
 * "ab","c" and "a","bc" differ). */
struct hasher {
	void	*state;
};
void	 hasher_init(struct hasher *);
void	 hasher_str(struct hasher *, const char *);	/* NULL as "" */
void	 hasher_int(struct hasher *, long long);
void	 hasher_bytes(struct hasher *, const void *, size_t);
uint64_t hasher_done(struct hasher *);
/* qsort that accepts an empty (NULL) array. */
void	 sort(void *, size_t, size_t, int (*)(const void *, const void *));

/*
 * Appends s to out as valid UTF-8 holding only characters XML 1.0 allows:
 * invalid sequences become U+FFFD, forbidden controls are dropped.
 */
void	 text_clean(struct buf *out, const char *s, size_t len);
char	*text_clean_dup(const char *s);
/* Percent-encodes everything but RFC 3986 unreserved characters. */
void	 url_encode_segment(struct buf *, const char *);
/* Decodes %XX escapes; NULL on a bad escape or an encoded NUL. */
char	*url_decode(const char *);
int	 str_has_suffix(const char *, const char *);
int	 str_has_prefix(const char *, const char *);
char	*str_trim(char *);
int	 read_file(const char *path, size_t max, char **data, size_t *len,
	    char *err, size_t errlen);
/*
 * Writes a temporary file and renames it over path: a reader sees the old
 * file or the new one, never half of one.  durable: fsync before the
 * rename, so that a crash cannot leave the new name on an empty file.
 */
struct iovec;
int	 write_file_atomicv(const char *path, const struct iovec *, size_t n,
	    int durable, char *err, size_t errlen);
int	 write_file_atomic(const char *path, const void *, size_t,
	    char *err, size_t errlen);

#endif

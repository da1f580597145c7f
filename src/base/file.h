/*
 * file.h -- reading and writing whole files.
 */
#ifndef CRIER_FILE_H
#define CRIER_FILE_H

#include <stddef.h>

/* Is path the folder itself's content: "a/b.md" under "a"; all under "". */
int	 file_path_under(const char *path, const char *folder);
/* The whole regular file (not a symlink) of at most max bytes; -1 with
 * errno set and a message in err. */
int	 file_read(const char *path, size_t max, char **data, size_t *len,
	    char *err, size_t errlen);
/*
 * Writes a temporary file and renames it over path: a reader sees the old
 * file or the new one, never half of one.  durable: fsync before the
 * rename, so that a crash cannot leave the new name on an empty file.
 */
struct iovec;
int	 file_write_atomicv(const char *path, const struct iovec *, size_t n,
	    int durable, char *err, size_t errlen);
int	 file_write_atomic(const char *path, const void *, size_t,
	    char *err, size_t errlen);

/*
 * The same, written piece by piece: open, write as often as needed,
 * then commit (durable as above; the rename) or abort (the temporary
 * file removed).  A failed commit aborts by itself.
 */
struct file_atomic {
	int	 fd;
	char	*tmp;
};
int	 file_atomic_open(struct file_atomic *, const char *path, char *err,
	    size_t errlen);
int	 file_atomic_write(struct file_atomic *, const void *, size_t);
int	 file_atomic_commit(struct file_atomic *, const char *path,
	    int durable, char *err, size_t errlen);
void	 file_atomic_abort(struct file_atomic *);

#endif

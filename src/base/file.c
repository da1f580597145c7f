/*
 * file.c -- whole files read with a size limit, written atomically
 * (a temporary file renamed over the old one), and the one rule of which
 * path lies under which folder.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#include "buf.h"
#include "file.h"
#include "xmalloc.h"

int
file_path_under(const char *path, const char *folder)
{
	size_t n = strlen(folder);

	return n == 0 || (strncmp(path, folder, n) == 0 && path[n] == '/');
}

int
file_read(const char *path, size_t max, char **data, size_t *len,
    char *err, size_t errlen)
{
	struct stat st;
	struct buf b;
	char chunk[16384];
	ssize_t n;
	int fd;

	fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
	if (fd == -1) {
		snprintf(err, errlen, "cannot open: %s", strerror(errno));
		return -1;
	}
	/* errno is set on every failure: callers tell "gone" from "bad". */
	if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode)) {
		snprintf(err, errlen, "not a regular file");
		close(fd);
		errno = EINVAL;
		return -1;
	}
	if ((size_t)st.st_size > max) {
		snprintf(err, errlen, "file is %lld bytes, larger than the "
		    "limit of %zu (max_file_size)", (long long)st.st_size, max);
		close(fd);
		errno = EFBIG;
		return -1;
	}
	buf_init(&b);
	for (;;) {
		n = read(fd, chunk, sizeof chunk);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1) {
			int saved = errno;

			snprintf(err, errlen, "read error: %s", strerror(errno));
			buf_free(&b);
			close(fd);
			errno = saved;
			return -1;
		}
		if (n == 0)
			break;
		if (b.len + (size_t)n > max) {
			snprintf(err, errlen, "file grew past the limit of "
			    "%zu bytes (max_file_size)", max);
			buf_free(&b);
			close(fd);
			errno = EFBIG;
			return -1;
		}
		buf_add(&b, chunk, (size_t)n);
	}
	close(fd);
	*len = b.len;
	*data = buf_steal(&b);
	return 0;
}

/* Writes all of data; -1 with errno on failure. */
static int
write_all(int fd, const char *p, size_t len)
{
	ssize_t n;

	while (len > 0) {
		n = write(fd, p, len);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

int
file_write_atomic(const char *path, const void *data, size_t len,
    char *err, size_t errlen)
{
	struct iovec iov;

	iov.iov_base = (void *)(uintptr_t)data;
	iov.iov_len = len;
	return file_write_atomicv(path, &iov, 1, 1, err, errlen);
}

int
file_atomic_open(struct file_atomic *fa, const char *path, char *err,
    size_t errlen)
{
	fa->tmp = xasprintf("%s.tmp.%ld", path, (long)getpid());
	fa->fd = open(fa->tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fa->fd == -1) {
		snprintf(err, errlen, "%s: %s", fa->tmp, strerror(errno));
		free(fa->tmp);
		fa->tmp = NULL;
		return -1;
	}
	return 0;
}

int
file_atomic_write(struct file_atomic *fa, const void *data, size_t len)
{
	return write_all(fa->fd, data, len);
}

void
file_atomic_abort(struct file_atomic *fa)
{
	int saved = errno;

	if (fa->fd != -1)
		close(fa->fd);
	if (fa->tmp != NULL)
		unlink(fa->tmp);
	free(fa->tmp);
	fa->fd = -1;
	fa->tmp = NULL;
	errno = saved;
}

int
file_atomic_commit(struct file_atomic *fa, const char *path, int durable,
    char *err, size_t errlen)
{
	int fd = fa->fd, failed = 0;

	fa->fd = -1;		/* closed below, whatever happens */
	if (durable && fsync(fd) == -1)
		failed = errno;
	if (close(fd) == -1 && failed == 0)
		failed = errno;
	if (failed == 0 && rename(fa->tmp, path) == -1)
		failed = errno;
	if (failed != 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(failed));
		file_atomic_abort(fa);
		return -1;
	}
	free(fa->tmp);
	fa->tmp = NULL;
	return 0;
}

int
file_write_atomicv(const char *path, const struct iovec *iov, size_t n,
    int durable, char *err, size_t errlen)
{
	struct file_atomic fa;
	size_t i;

	if (file_atomic_open(&fa, path, err, errlen) == -1)
		return -1;
	for (i = 0; i < n; i++)
		if (file_atomic_write(&fa, iov[i].iov_base, iov[i].iov_len)
		    == -1) {
			snprintf(err, errlen, "%s: %s", path, strerror(errno));
			file_atomic_abort(&fa);
			return -1;
		}
	return file_atomic_commit(&fa, path, durable, err, errlen);
}

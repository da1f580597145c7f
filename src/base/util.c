/*
 * util.c -- checked allocation, buffers, hashing, and the text hygiene
 * every writer depends on.
 *
 * The string-keyed table is dict.c, UTF-8 decoding utf8.c and the URL
 * scheme urls.c; what stays here needs nothing of crier's above it.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#define XXH_INLINE_ALL
#include <xxhash.h>

#include "utf8.h"
#include "util.h"

static void
oom(void)
{
	fputs("crier: out of memory\n", stderr);
	abort();
}

void *
xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (p == NULL)
		oom();
	return p;
}

void *
xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);

	if (p == NULL)
		oom();
	return p;
}

void *
xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (p == NULL)
		oom();
	return p;
}

void *
xreallocarray(void *p, size_t n, size_t size)
{
	if (size != 0 && n > SIZE_MAX / size)
		oom();
	return xrealloc(p, n * size);
}

char *
xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

char *
xstrndup(const char *s, size_t n)
{
	char *p = xmalloc(n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *
xasprintf(const char *fmt, ...)
{
	struct buf b;
	va_list ap;
	int n;

	buf_init(&b);
	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		oom();
	b.data = xrealloc(b.data, (size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(b.data, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return b.data;
}

void
buf_init(struct buf *b)
{
	b->data = xmalloc(64);
	b->data[0] = '\0';
	b->len = 0;
	b->cap = 64;
}

void
buf_free(struct buf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
}

void
buf_reset(struct buf *b)
{
	b->len = 0;
	b->data[0] = '\0';
}

static void
buf_grow(struct buf *b, size_t extra)
{
	size_t want;

	if (extra > SIZE_MAX - b->len - 1)
		oom();
	want = b->len + extra + 1;
	if (want <= b->cap)
		return;
	if (b->cap == 0)	/* zeroed, never buf_init'ed: still grows */
		b->cap = 64;
	while (b->cap < want)
		b->cap = b->cap > SIZE_MAX / 2 ? want : b->cap * 2;
	b->data = xrealloc(b->data, b->cap);
}

void
buf_reserve(struct buf *b, size_t n)
{
	buf_grow(b, n);
}

void
buf_add(struct buf *b, const void *p, size_t n)
{
	buf_grow(b, n);
	memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
}

void
buf_addstr(struct buf *b, const char *s)
{
	buf_add(b, s, strlen(s));
}

void
buf_addc(struct buf *b, char c)
{
	if (b->len + 1 < b->cap) {	/* room for c and the NUL */
		b->data[b->len++] = c;
		b->data[b->len] = '\0';
		return;
	}
	buf_add(b, &c, 1);
}

void
buf_printf(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		oom();
	buf_grow(b, (size_t)n);
	va_start(ap, fmt);
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

/*
 * What is stolen is kept: a rendered body, a calendar's chunk, a page's
 * HTML live as long as their document or page.  A buffer that grew by
 * doubling is up to twice its text, and at 10 000 posts that slack was
 * about 130 MiB of 650 (heaptrack: calendar chunks, post pages, pages'
 * HTML; bench/results-memory.md).  So the buffer is cut to its text when
 * more than an eighth of it would be slack: glibc shrinks a heap chunk in
 * place (the tail goes back to its free lists) and an mmapped one with
 * mremap, so no copy; short-lived strings with little slack skip it.
 */
char *
buf_steal(struct buf *b)
{
	char *p = b->data;

	if (p != NULL && b->cap - b->len - 1 > 32 &&
	    b->cap - b->len - 1 > b->cap / 8)
		p = xrealloc(p, b->len + 1);

	b->data = NULL;
	b->len = b->cap = 0;
	return p;
}

int
path_under(const char *path, const char *folder)
{
	size_t n = strlen(folder);

	return n == 0 || (strncmp(path, folder, n) == 0 && path[n] == '/');
}

uint64_t
hash64(const void *p, size_t n)
{
	return XXH3_64bits(p, n);
}

void
hasher_init(struct hasher *h)
{
	if ((h->state = XXH3_createState()) == NULL)
		oom();
	XXH3_64bits_reset(h->state);
}

void
hasher_bytes(struct hasher *h, const void *p, size_t n)
{
	XXH3_64bits_update(h->state, p, n);
}

void
hasher_str(struct hasher *h, const char *s)
{
	if (s == NULL)
		s = "";
	hasher_bytes(h, s, strlen(s) + 1);
}

void
hasher_int(struct hasher *h, long long v)
{
	hasher_bytes(h, &v, sizeof v);
}

uint64_t
hasher_done(struct hasher *h)
{
	uint64_t v = XXH3_64bits_digest(h->state);

	XXH3_freeState(h->state);
	h->state = NULL;
	return v;
}

void
sort(void *base, size_t n, size_t size, int (*cmp)(const void *,
    const void *))
{
	if (n > 1)
		qsort(base, n, size, cmp);
}

static int
xml_char_allowed(uint32_t c)
{
	return c == 0x9 || c == 0xa || c == 0xd ||
	    (c >= 0x20 && c <= 0xd7ff) || (c >= 0xe000 && c <= 0xfffd) ||
	    (c >= 0x10000 && c <= 0x10ffff);
}

/* Copies runs of allowed characters whole: this cleans every string a
 * feed, calendar and page shows, a tenth of a cold start when it went
 * character by character. */
void
text_clean(struct buf *out, const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, run = 0, k;
	uint32_t cp;

	while (i < n) {
		if (p[i] >= 0x20 && p[i] < 0x80) {	/* printable ASCII */
			i++;
			continue;
		}
		k = utf8_decode(p + i, n - i, &cp);
		if (k != 0 && xml_char_allowed(cp) && cp != 0xd) {
			i += k;
			continue;
		}
		buf_add(out, s + run, i - run);
		if (k == 0) {
			buf_add(out, "\xef\xbf\xbd", 3);
			i++;
		} else
			i += k;
		run = i;
	}
	buf_add(out, s + run, i - run);
}

char *
text_clean_dup(const char *s)
{
	size_t n = strlen(s);
	struct buf b;

	buf_init(&b);
	buf_reserve(&b, n);	/* mostly the size it ends with */
	text_clean(&b, s, n);
	return buf_steal(&b);
}

void
url_encode_segment(struct buf *b, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	const unsigned char *p;

	for (p = (const unsigned char *)s; *p != '\0'; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || *p == '-' || *p == '.' ||
		    *p == '_' || *p == '~')
			buf_addc(b, (char)*p);
		else {
			buf_addc(b, '%');
			buf_addc(b, hex[*p >> 4]);
			buf_addc(b, hex[*p & 15]);
		}
	}
}

static int
hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

char *
url_decode(const char *s)
{
	struct buf b;
	int hi, lo;

	buf_init(&b);
	for (; *s != '\0'; s++) {
		if (*s != '%') {
			buf_addc(&b, *s);
			continue;
		}
		if ((hi = hex_digit(s[1])) < 0 || (lo = hex_digit(s[2])) < 0 ||
		    (hi == 0 && lo == 0)) {
			buf_free(&b);
			return NULL;
		}
		buf_addc(&b, (char)(hi * 16 + lo));
		s += 2;
	}
	return buf_steal(&b);
}

int
str_has_suffix(const char *s, const char *suffix)
{
	size_t a = strlen(s), b = strlen(suffix);

	return a >= b && memcmp(s + a - b, suffix, b) == 0;
}

int
str_has_prefix(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

char *
str_trim(char *s)
{
	char *e;

	while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r' ||
	    e[-1] == '\n'))
		*--e = '\0';
	return s;
}

int
read_file(const char *path, size_t max, char **data, size_t *len,
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
write_file_atomic(const char *path, const void *data, size_t len,
    char *err, size_t errlen)
{
	struct iovec iov;

	iov.iov_base = (void *)(uintptr_t)data;
	iov.iov_len = len;
	return write_file_atomicv(path, &iov, 1, 1, err, errlen);
}

int
write_file_atomicv(const char *path, const struct iovec *iov, size_t n,
    int durable, char *err, size_t errlen)
{
	char *tmp = xasprintf("%s.tmp.%ld", path, (long)getpid());
	size_t i;
	int fd;

	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd == -1) {
		snprintf(err, errlen, "%s: %s", tmp, strerror(errno));
		free(tmp);
		return -1;
	}
	for (i = 0; i < n; i++)
		if (write_all(fd, iov[i].iov_base, iov[i].iov_len) == -1)
			goto fail;
	if (durable && fsync(fd) == -1)
		goto fail;
	if (close(fd) == -1) {
		fd = -1;
		goto fail;
	}
	fd = -1;
	if (rename(tmp, path) == -1)
		goto fail;
	free(tmp);
	return 0;
fail:
	snprintf(err, errlen, "%s: %s", path, strerror(errno));
	if (fd != -1)
		close(fd);
	unlink(tmp);
	free(tmp);
	return -1;
}

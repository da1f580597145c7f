/*
 * resource.c -- GET and HEAD of a bundle's resource (an image, a PDF, a
 * recording beside a page's index.md), read from its file when asked.
 *
 * The catalog puts a document per resource in the set (document.h's
 * `file`), so only a file some page publishes has a URL at all: a path
 * the set does not hold is never turned into a file name, and ".." or a
 * percent-encoded one cannot name anything.  The file is opened with
 * O_NOFOLLOW relative to the content folder and must be a regular file
 * of at most max_resource_size bytes when opened (fstat on the open
 * descriptor: what is checked is what is sent).
 *
 * The body is not read into memory: libevent sends it from the
 * descriptor with sendfile(2) (evbuffer_add_file), which owns and
 * closes it.  A 60 MB recording costs a descriptor, not 60 MB of heap
 * per version, and an image replaced in place is served new without a
 * rebuild.  So its validators are the file's as it is opened: the ETag
 * an XXH3 of its device, inode, size and modification time in
 * nanoseconds (as nginx makes one from size and time), Last-Modified
 * its modification time.  A resource has no gzip copy: images and media
 * are compressed already.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <sys/stat.h>

#include <event2/buffer.h>
#include <event2/keyvalq_struct.h>

#include "dates.h"
#include "hash.h"
#include "log.h"
#include "resource.h"

/* The file of d, open and checked, or -1 (errno set; EFBIG: too large). */
static int
open_checked(const struct config *cfg, const struct document *d,
    struct stat *st)
{
	char path[4096];
	int fd, n;

	n = snprintf(path, sizeof path, "%s/%s", cfg->content_dir, d->file);
	if (n < 0 || (size_t)n >= sizeof path) {
		errno = ENAMETOOLONG;
		return -1;
	}
	if ((fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK))
	    == -1)
		return -1;
	if (fstat(fd, st) == -1 || !S_ISREG(st->st_mode) ||
	    st->st_size > cfg->max_resource_size) {
		errno = S_ISREG(st->st_mode) ? EFBIG : EINVAL;
		close(fd);
		return -1;
	}
	return fd;
}

/* The file's entity tag, from what fstat says of it. */
static void
etag_of(const struct stat *st, char *etag, size_t size)
{
	uint64_t v[5], h;

	v[0] = (uint64_t)st->st_dev;
	v[1] = (uint64_t)st->st_ino;
	v[2] = (uint64_t)st->st_size;
	v[3] = (uint64_t)st->st_mtim.tv_sec;
	v[4] = (uint64_t)st->st_mtim.tv_nsec;
	h = hash64(v, sizeof v);
	snprintf(etag, size, "\"%016" PRIx64 "\"", h);
}

static int
not_modified(struct evkeyvalq *in, const char *etag, const char *lastmod)
{
	const char *inm = evhttp_find_header(in, "If-None-Match");
	const char *ims = evhttp_find_header(in, "If-Modified-Since");

	if (inm != NULL)
		return http_reply_etag_matches(inm, etag);
	return ims != NULL && strcmp(ims, lastmod) == 0;
}

void
resource_reply(struct http_reply *r, struct evhttp_request *req,
    const struct config *cfg, const struct document *d)
{
	struct evkeyvalq *in = evhttp_request_get_input_headers(req);
	struct evkeyvalq *out = evhttp_request_get_output_headers(req);
	char etag[24], lastmod[DATE_BUFSIZE], length[24];
	struct evbuffer *body;
	struct stat st;
	int fd;

	if ((fd = open_checked(cfg, d, &st)) == -1) {
		log_debug("%s: %s: not served: %s", d->path, d->file,
		    errno == EFBIG ? "over max_resource_size" :
		    strerror(errno));
		http_reply_text(r, req, 404, "Not Found", "not found");
		return;
	}
	etag_of(&st, etag, sizeof etag);
	dates_format_http(st.st_mtim.tv_sec, lastmod);
	evhttp_add_header(out, "ETag", etag);
	evhttp_add_header(out, "Last-Modified", lastmod);
	evhttp_add_header(out, "Cache-Control", r->cache_control);
	if (not_modified(in, etag, lastmod)) {
		close(fd);
		http_reply_body(r, req, 304, "Not Modified", NULL, 0);
		return;
	}
	evhttp_add_header(out, "Content-Type", d->content_type);
	evhttp_add_header(out, "X-Content-Type-Options", "nosniff");
	snprintf(length, sizeof length, "%lld", (long long)st.st_size);
	evhttp_add_header(out, "Content-Length", length);
	if (evhttp_request_get_command(req) == EVHTTP_REQ_HEAD ||
	    st.st_size == 0) {
		close(fd);
		http_reply_body(r, req, 200, "OK", NULL, 0);
		return;
	}
	if ((body = evbuffer_new()) == NULL) {
		close(fd);
		http_reply_text(r, req, 503, "Service Unavailable",
		    "out of memory");
		return;
	}
	/* From here on the buffer owns fd. */
	if (evbuffer_add_file(body, fd, 0, st.st_size) == -1) {
		evbuffer_free(body);
		http_reply_text(r, req, 503, "Service Unavailable",
		    "the file cannot be sent");
		return;
	}
	http_reply_body(r, req, 200, "OK", body, (size_t)st.st_size);
	evbuffer_free(body);
}

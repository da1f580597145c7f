/*
 * document.c -- rendered bytes, rendered once.
 *
 * A document's body, its gzip body, both ETags and its Last-Modified are
 * computed when it is made and never again: every request just points at
 * them (evbuffer_add_reference), and a 304 never touches the body.  The
 * gzip variant's ETag is the identity ETag with "-gz" appended -- distinct,
 * as RFC 9110 requires of different representations, and independent of
 * the zlib version, so replicas built from the same content agree.
 *
 * Reference counts are atomic because documents may be shared by worker
 * threads; a document is freed when the last response holding it ends.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

#include "document.h"
#include "log.h"

#define GZIP_MIN 256	/* below this the gzip header costs more */

#define GZIP_BIG (512 * 1024)	/* larger bodies get the fastest level */

static char *
gzip_body(const char *body, size_t len, size_t *gzlen)
{
	z_stream z;
	uLong bound;
	char *out;
	/*
	 * Compression is most of a rebuild's time.  Level 6 (zlib's
	 * default) for ordinary documents: level 9 costs twice the CPU for
	 * a few percent.  Level 1 for big ones -- a site calendar of 20 MB
	 * is compressed after every edit of an event, and level 1 does it
	 * four times faster for about a fifth more bytes.
	 */
	int level = len > GZIP_BIG ? 1 : 6;

	memset(&z, 0, sizeof z);
	if (deflateInit2(&z, level, Z_DEFLATED, 15 + 16, 8,
	    Z_DEFAULT_STRATEGY) != Z_OK) {
		log_error("zlib: deflateInit2 failed");
		return NULL;
	}
	bound = deflateBound(&z, (uLong)len);
	out = xmalloc(bound);
	z.next_in = (Bytef *)(uintptr_t)body;
	z.avail_in = (uInt)len;
	z.next_out = (Bytef *)out;
	z.avail_out = (uInt)bound;
	if (deflate(&z, Z_FINISH) != Z_STREAM_END) {
		log_error("zlib: deflate did not finish");
		deflateEnd(&z);
		free(out);
		return NULL;
	}
	*gzlen = z.total_out;
	deflateEnd(&z);
	return out;
}

struct document *
document_new(const char *path, const char *content_type, char *body,
    size_t len, time_t mtime, uint64_t fingerprint)
{
	struct document *d = xcalloc(1, sizeof *d);
	unsigned long long h = hash64(body, len);

	d->refs = 1;
	d->path = xstrdup(path);
	d->content_type = content_type;
	d->body = body;
	d->len = len;
	d->mtime = mtime;
	d->fingerprint = fingerprint;
	snprintf(d->etag, sizeof d->etag, "\"%016llx\"", h);
	snprintf(d->etag_gz, sizeof d->etag_gz, "\"%016llx-gz\"", h);
	format_http_date(mtime, d->last_modified);
	if (len >= GZIP_MIN && len < (size_t)UINT32_MAX) {
		d->gz = gzip_body(body, len, &d->gzlen);
		if (d->gz != NULL && d->gzlen >= len) {
			free(d->gz);
			d->gz = NULL;
		}
	}
	return d;
}

struct document *
document_redirect(const char *path, const char *location)
{
	struct document *d = document_new(path, "text/plain; charset=utf-8",
	    xasprintf("moved to %s\n", location), strlen(location) + 10, 0, 0);

	d->redirect = xstrdup(location);
	return d;
}

struct document *
document_ref(struct document *d)
{
	__atomic_add_fetch(&d->refs, 1, __ATOMIC_RELAXED);
	return d;
}

void
document_unref(struct document *d)
{
	if (d == NULL || __atomic_sub_fetch(&d->refs, 1, __ATOMIC_ACQ_REL) > 0)
		return;
	free(d->path);
	free(d->body);
	free(d->gz);
	free(d->redirect);
	free(d);
}

struct docset *
docset_new(void)
{
	struct docset *s = xcalloc(1, sizeof *s);

	s->refs = 1;
	dict_init(&s->docs);
	return s;
}

struct docset *
docset_ref(struct docset *s)
{
	__atomic_add_fetch(&s->refs, 1, __ATOMIC_RELAXED);
	return s;
}

static void
unref_value(void *d)
{
	document_unref(d);
}

void
docset_unref(struct docset *s)
{
	if (s == NULL || __atomic_sub_fetch(&s->refs, 1, __ATOMIC_ACQ_REL) > 0)
		return;
	dict_free(&s->docs, unref_value);
	free(s);
}

void
docset_add(struct docset *s, struct document *d)
{
	d->generation = s->generation;
	document_unref(dict_set(&s->docs, d->path, d));
}

void
docset_remove(struct docset *s, const char *path)
{
	document_unref(dict_remove(&s->docs, path));
}

struct document *
docset_get(const struct docset *s, const char *path)
{
	return dict_get(&s->docs, path);
}

struct docset *
docset_copy(const struct docset *from)
{
	struct docset *s = docset_new();
	const char *key;
	void *v;
	size_t i;

	s->generation = from->generation;
	for (i = 0; dict_next(&from->docs, &i, &key, &v); )
		dict_set(&s->docs, key, document_ref(v));
	return s;
}

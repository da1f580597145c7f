/*
 * document.c -- rendered bytes, rendered once.
 *
 * A document's body, both ETags and its Last-Modified are computed when
 * it is made and never again: every request just points at them
 * (evbuffer_add_reference, or sendfile from a copy in the body store,
 * made at the first response: bodystore_filed), and a 304
 * never touches the body.  The gzip
 * variant's ETag is the identity ETag with "-gz" appended -- distinct, as
 * RFC 9110 requires of different representations, and independent of the
 * zlib version, so replicas built from the same content agree.
 *
 * The gzip body is made with the document (document_new,
 * document_from_stitch) or, for the documents of a cold start, after it
 * (the _plain variants, then document_finish_gzip on any thread, once --
 * see gzlater.c).  Until then responses send the identity body with the
 * identity ETag, a valid answer to any Accept-Encoding.  Both ways run
 * the same code on the same input, so the gzip bytes do not depend on
 * when they were made.  The gzip fields are written before `gz` is
 * stored with release ordering, and readers load `gz` with acquire
 * (document_gz), so a reader that sees it sees them whole; nothing else
 * in a document changes after it is made.
 *
 * A document stitched from pieces (piece.h) is copied into one buffer up
 * to a size (see document.h); above, it is a rope served from its pieces'
 * spans.
 *
 * Reference counts are atomic because documents may be shared by worker
 * threads; a document is freed when the last response holding it ends.
 * Sets of documents are docset.c's.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

#include "document.h"
#include "log.h"
#include "piece.h"
#include "stitch.h"

#define GZIP_MIN 256	/* below this the gzip header costs more */

#define GZIP_BIG (512 * 1024)	/* larger bodies get the fastest level */


/*
 * Level 6 (zlib's default) for ordinary documents: level 9 costs twice
 * the CPU for a few percent.  Level 1 for big ones, four times faster for
 * about a fifth more bytes.
 */
static char *
gzip_body(const char *body, size_t len, size_t *gzlen)
{
	return piece_gzip_whole(body, len, len > GZIP_BIG ? PIECE_LEVEL_FAST :
	    PIECE_LEVEL, gzlen);
}

/* ETags and Last-Modified from d->hash and d->mtime. */
static void
set_validators(struct document *d)
{
	snprintf(d->etag, sizeof d->etag, "\"%016llx\"",
	    (unsigned long long)d->hash);
	snprintf(d->etag_gz, sizeof d->etag_gz, "\"%016llx-gz\"",
	    (unsigned long long)d->hash);
	dates_format_http(d->mtime, d->last_modified);
}

static struct document *
document_alloc(const char *path, const char *content_type, time_t mtime,
    uint64_t fingerprint)
{
	struct document *d = xcalloc(1, sizeof *d);

	d->refs = 1;
	d->path = xstrdup(path);
	d->content_type = content_type;
	d->mtime = mtime;
	d->fingerprint = fingerprint;
	return d;
}

/* One span over the body. */
static void
flat_spans(struct document *d)
{
	d->spans = xcalloc(1, sizeof *d->spans);
	d->spans[0].data = d->body;
	d->spans[0].len = d->len;
	d->nspans = 1;
}

/* Makes gz (gzlen bytes) the gzip body of a flat document, unless it
 * would not help. */
static void
publish_flat_gzip(struct document *d, char *gz, size_t gzlen)
{
	if (gzlen >= d->len) {
		free(gz);
		return;
	}
	d->gzlen = gzlen;
	d->gzspans = xcalloc(1, sizeof *d->gzspans);
	d->gzspans[0].data = gz;
	d->gzspans[0].len = gzlen;
	d->ngzspans = 1;
	__atomic_store_n(&d->gz, gz, __ATOMIC_RELEASE);
}

struct document *
document_new_plain(const char *path, const char *content_type, char *body,
    size_t len, time_t mtime, uint64_t fingerprint)
{
	struct document *d = document_alloc(path, content_type, mtime,
	    fingerprint);

	d->body = body;
	d->len = len;
	d->hash = hash64(body, len);
	set_validators(d);
	flat_spans(d);
	d->gzip_todo = len >= GZIP_MIN && len < (size_t)UINT32_MAX;
	return d;
}

struct document *
document_new(const char *path, const char *content_type, char *body,
    size_t len, time_t mtime, uint64_t fingerprint)
{
	struct document *d = document_new_plain(path, content_type, body, len,
	    mtime, fingerprint);

	document_finish_gzip(d);
	return d;
}

/* The gzip body of st in one buffer. */
static char *
flat_gzip(const struct stitch *st, size_t *gzlen)
{
	size_t i, total = GZIP_HEADER_LEN + GZIP_TRAILER_LEN;
	char *gz, *p;

	for (i = 0; i < st->n; i++)
		total += st->zparts[i]->zlen;
	p = gz = xmalloc(total);
	memcpy(p, piece_gzip_header, GZIP_HEADER_LEN);
	p += GZIP_HEADER_LEN;
	for (i = 0; i < st->n; i++) {
		memcpy(p, st->zparts[i]->z, st->zparts[i]->zlen);
		p += st->zparts[i]->zlen;
	}
	stitch_gzip_trailer(st, (unsigned char *)p);
	*gzlen = total;
	return gz;
}

/* A rope's spans point into its pieces; its hash is the one its bytes
 * would have in one buffer, or above ETAG_PIECES_MIN its pieces'. */
static void
rope_spans(struct document *d)
{
	const struct stitch *st = d->rope;
	size_t i, n = st->n;
	uint64_t *hashes;
	size_t *lens;
	struct hasher h;

	d->spans = xreallocarray(NULL, n, sizeof *d->spans);
	for (i = 0; i < n; i++) {
		d->spans[i].data = st->pieces[i]->text;
		d->spans[i].len = st->pieces[i]->len;
		if (st->pieces[i]->text == NULL)
			d->textless = 1;
	}
	d->nspans = n;
	if (d->textless) {
		/* Its joins' bytes are gathered when asked (bodycache.c). */
		free(d->spans);
		d->spans = NULL;
		d->nspans = 0;
	}
	if (d->len <= ETAG_PIECES_MIN && !d->textless) {
		hasher_init(&h);
		for (i = 0; i < n; i++)
			hasher_bytes(&h, d->spans[i].data, d->spans[i].len);
		d->hash = hasher_done(&h);
		return;
	}
	hashes = xreallocarray(NULL, n, sizeof *hashes);
	lens = xreallocarray(NULL, n, sizeof *lens);
	for (i = 0; i < n; i++) {
		hashes[i] = st->pieces[i]->hash;
		lens[i] = st->pieces[i]->len;
	}
	d->hash = document_pieces_hash(hashes, lens, n);
	free(hashes);
	free(lens);
}

uint64_t
document_pieces_hash(const uint64_t *hashes, const size_t *lens, size_t n)
{
	uint64_t *sums, hash;
	size_t i;

	sums = xreallocarray(NULL, 2 * n + 1, sizeof *sums);
	for (i = 0; i < n; i++) {
		sums[2 * i] = hashes[i];
		sums[2 * i + 1] = lens[i];
	}
	sums[2 * n] = n;
	hash = hash64(sums, (2 * n + 1) * sizeof *sums);
	free(sums);
	return hash;
}

/* The hash of a body cut into a recipe's pieces, or 0 when the cuts are
 * not its length. */
static uint64_t
cut_hash(const char *body, size_t len, const struct document_recipe *r)
{
	uint64_t *hashes, hash = 0;
	size_t i, at = 0;

	hashes = xreallocarray(NULL, r->ncuts ? r->ncuts : 1,
	    sizeof *hashes);
	for (i = 0; i < r->ncuts && r->cuts[i] <= len - at; i++) {
		hashes[i] = piece_hash_of(body + at, r->cuts[i]);
		at += r->cuts[i];
	}
	if (i == r->ncuts && at == len)
		hash = document_pieces_hash(hashes, r->cuts, r->ncuts);
	free(hashes);
	return hash;
}

int
document_is_body(const struct document *d, const char *body, size_t len)
{
	if (len != d->len)
		return 0;
	if (d->recipe != NULL && d->recipe->cuts != NULL)
		return cut_hash(body, len, d->recipe) == d->hash;
	return hash64(body, len) == d->hash;
}

/* The gzip body the rope of a recipe's pieces has: each piece compressed
 * after the ones before it, as rope_gzip sends them. */
static char *
cut_gzip(const char *body, const struct document_recipe *r, size_t *gzlen)
{
	struct stitch st;
	struct piece *p;
	size_t i, at = 0;
	char *gz, *text;

	stitch_init(&st);
	for (i = 0; i < r->ncuts; i++) {
		text = xmalloc(r->cuts[i] ? r->cuts[i] : 1);
		memcpy(text, body + at, r->cuts[i]);
		p = piece_new(text, r->cuts[i]);
		stitch_piece(&st, p);
		piece_unref(p);
		at += r->cuts[i];
	}
	stitch_finish(&st);
	stitch_compress(&st);
	gz = flat_gzip(&st, gzlen);
	stitch_free(&st);
	return gz;
}

/* A rope's gzip spans point into its pieces' streams; the gzip header
 * and trailer live in d->gz. */
static void
rope_gzip(struct document *d)
{
	struct stitch *st = d->rope;
	size_t i, n = st->n;
	char *gz;

	stitch_compress(st);
	d->gzspans = xreallocarray(NULL, n + 2, sizeof *d->gzspans);
	gz = xmalloc(GZIP_HEADER_LEN + GZIP_TRAILER_LEN);
	memcpy(gz, piece_gzip_header, GZIP_HEADER_LEN);
	d->gzspans[0].data = gz;
	d->gzspans[0].len = GZIP_HEADER_LEN;
	d->gzlen = GZIP_HEADER_LEN + GZIP_TRAILER_LEN;
	for (i = 0; i < n; i++) {
		d->gzspans[i + 1].data = (const char *)st->zparts[i]->z;
		d->gzspans[i + 1].len = st->zparts[i]->zlen;
		d->gzlen += st->zparts[i]->zlen;
	}
	stitch_gzip_trailer(st, (unsigned char *)gz + GZIP_HEADER_LEN);
	d->gzspans[n + 1].data = gz + GZIP_HEADER_LEN;
	d->gzspans[n + 1].len = GZIP_TRAILER_LEN;
	d->ngzspans = n + 2;
	__atomic_store_n(&d->gz, gz, __ATOMIC_RELEASE);
}

struct document *
document_from_stitch_plain(const char *path, const char *content_type,
    struct stitch *st, time_t mtime, uint64_t fingerprint, size_t rope_min)
{
	struct document *d;
	size_t len;
	char *body;

	stitch_finish(st);
	if (st->len <= STITCH_MIN) {
		/* Small: one stream compresses better and costs one call. */
		body = stitch_text_flat(st, &len);
		stitch_free(st);
		return document_new_plain(path, content_type, body, len, mtime,
		    fingerprint);
	}
	d = document_alloc(path, content_type, mtime, fingerprint);
	d->len = st->len;
	d->gzip_todo = 1;
	if (d->len > rope_min && d->len < (size_t)UINT32_MAX) {
		d->rope = xmalloc(sizeof *d->rope);
		*d->rope = *st;
		memset(st, 0, sizeof *st);
		rope_spans(d);
		set_validators(d);
		return d;
	}
	d->body = stitch_text_flat(st, &d->len);
	d->hash = hash64(d->body, d->len);
	set_validators(d);
	flat_spans(d);
	/* The pieces stay until the gzip body is stitched from them. */
	d->gzsrc = xmalloc(sizeof *d->gzsrc);
	*d->gzsrc = *st;
	memset(st, 0, sizeof *st);
	return d;
}

struct document *
document_from_stitch(const char *path, const char *content_type,
    struct stitch *st, time_t mtime, uint64_t fingerprint, size_t rope_min)
{
	struct document *d = document_from_stitch_plain(path, content_type,
	    st, mtime, fingerprint, rope_min);

	document_finish_gzip(d);
	return d;
}

int
document_gzip_pending(const struct document *d)
{
	return d->gzip_todo && d->gzip_on_request == NULL;
}

void
document_finish_gzip(struct document *d)
{
	struct held_body *h;
	size_t gzlen;
	char *gz;

	if (!d->gzip_todo)
		return;
	d->gzip_todo = 0;
	if (d->rope != NULL)
		rope_gzip(d);
	else if (d->gzsrc != NULL) {
		stitch_compress(d->gzsrc);
		gz = flat_gzip(d->gzsrc, &gzlen);
		stitch_free(d->gzsrc);
		free(d->gzsrc);
		d->gzsrc = NULL;
		publish_flat_gzip(d, gz, gzlen);
	} else if (d->recipe != NULL) {
		if ((h = bodycache_acquire(d->bodies, d)) == NULL)
			return;		/* logged: served identity, or 503 */
		gz = d->recipe->cuts != NULL ?
		    cut_gzip(h->data, d->recipe, &gzlen) :
		    gzip_body(h->data, d->len, &gzlen);
		held_body_unref(h);
		publish_flat_gzip(d, gz, gzlen);
	} else if (d->bodies != NULL) {
		/* Its identity body is held (not evictable) until now. */
		gz = gzip_body(d->held->data, d->len, &gzlen);
		publish_flat_gzip(d, gz, gzlen);
	} else {
		gz = gzip_body(d->body, d->len, &gzlen);
		publish_flat_gzip(d, gz, gzlen);
	}
	if (d->bodies != NULL && document_gz(d) != NULL && !d->textless)
		bodycache_gzip_made(d->bodies, d);
}

void
document_use_cache(struct document *d, struct bodycache *c)
{
	if (c != NULL && d != NULL && d->textless && d->bodies == NULL) {
		/* A rope of joins: its identity bytes are gathered from
		 * them into the cache when asked, its gzip body is made as
		 * any rope's. */
		d->bodies = bodycache_ref(c);
		return;
	}
	if (c == NULL || d == NULL || d->body == NULL || d->rope != NULL ||
	    d->file != NULL || d->redirect != NULL || !d->gzip_todo ||
	    d->bodies != NULL)
		return;
	bodycache_adopt(c, d);
}

void
document_render_on_request(struct document *d, struct document_recipe *r,
    struct bodycache *c)
{
	if (d == NULL || c == NULL || d->body == NULL || d->rope != NULL ||
	    d->gzsrc != NULL || d->bodies != NULL || d->file != NULL ||
	    d->redirect != NULL) {
		r->free(r);
		return;
	}
	d->recipe = r;
	free(d->body);
	d->body = NULL;
	free(d->spans);
	d->spans = NULL;
	d->nspans = 0;
	d->bodies = bodycache_ref(c);
	if (d->gzip_todo)
		d->gzip_on_request = bodycache_ref(c);
}

struct document *
document_from_recipe(const char *path, const char *content_type,
    size_t len, uint64_t hash, time_t mtime, uint64_t fingerprint,
    struct document_recipe *r, struct bodycache *c)
{
	struct document *d = document_alloc(path, content_type, mtime,
	    fingerprint);

	d->len = len;
	d->hash = hash;
	set_validators(d);
	d->recipe = r;
	d->bodies = bodycache_ref(c);
	d->gzip_todo = 1;
	d->gzip_on_request = bodycache_ref(c);
	return d;
}

void
document_gzip_when_asked(struct document *d, struct bodycache *c)
{
	if (d == NULL || c == NULL || !d->gzip_todo)
		return;
	d->gzip_on_request = bodycache_ref(c);
}

const char *
document_gzip_asked(struct document *d)
{
	const char *gz = document_gz(d);

	if (gz == NULL && d->gzip_on_request != NULL)
		gz = bodycache_make_gzip(d->gzip_on_request, d);
	return gz;
}

struct held_body *
document_identity(struct document *d)
{
	return d->bodies != NULL ? bodycache_acquire(d->bodies, d) : NULL;
}

const char *
document_gz(const struct document *d)
{
	return __atomic_load_n(&d->gz, __ATOMIC_ACQUIRE);
}

struct document_cache *
document_cache_keep(struct document *d, int slot, struct document_cache *c)
{
	struct document_cache *none = NULL;

	if (__atomic_compare_exchange_n(&d->cache[slot], &none, c, 0,
	    __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
		return c;
	if (c->free != NULL)
		c->free(c);
	return none;
}

void
document_set_mtime(struct document *d, time_t mtime)
{
	d->mtime = mtime;
	dates_format_http(mtime, d->last_modified);
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
document_resource(const char *path, const char *relpath,
    const char *content_type)
{
	struct document *d = document_new(path, content_type, xstrdup(""), 0,
	    0, hash64(relpath, strlen(relpath)));

	d->file = xstrdup(relpath);
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
	size_t i;

	if (d == NULL || __atomic_sub_fetch(&d->refs, 1, __ATOMIC_ACQ_REL) > 0)
		return;
	if (d->bodies != NULL) {
		bodycache_forget(d->bodies, d);
		bodycache_unref(d->bodies);
	}
	bodycache_unref(d->gzip_on_request);
	if (d->recipe != NULL)
		d->recipe->free(d->recipe);
	free(d->path);
	free(d->file);
	free(d->body);
	free(d->gz);
	free(d->spans);
	free(d->gzspans);
	if (d->rope != NULL) {
		stitch_free(d->rope);
		free(d->rope);
	}
	if (d->gzsrc != NULL) {
		stitch_free(d->gzsrc);
		free(d->gzsrc);
	}
	free(d->redirect);
	for (i = 0; i < DOCUMENT_CACHES; i++)
		if (d->cache[i] != NULL && d->cache[i]->free != NULL)
			d->cache[i]->free(d->cache[i]);
	free(d);
}

/*
 * piece.c -- text compressed once, stitched into many gzip bodies (see
 * piece.h for why).
 *
 * Compression is most of a rebuild's time, and setting up a deflate
 * stream costs a third of a megabyte of tables: each thread keeps one
 * compressor and resets it between pieces.  Level 6, zlib's default, for
 * feed entries and heads (level 9 costs twice the CPU for a few percent);
 * PIECE_LEVEL_FAST for calendars' VEVENT chunks, where 100 MB of text
 * are compressed at start-up and level 6 took 40% longer for 10% less.
 * With 4 KiB of context as dictionary, a stitched feed's gzip body is
 * about 13% larger than one stream's and a calendar's about 7%; the gain
 * is that an edit recompresses one entry, not every feed that shows it.
 *
 * The bytes are deterministic for a given zlib: replicas built from the
 * same content serve the same gzip bodies (their ETags never depend on
 * zlib, see document.c).
 */
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

#include "hash.h"
#include "log.h"
#include "piece.h"

/* ID1 ID2 CM=deflate FLG=0 MTIME=0 XFL=0 OS=Unix: what zlib writes. */
const unsigned char piece_gzip_header[GZIP_HEADER_LEN] = {
	0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3
};

static pthread_key_t	compressor_key;
static pthread_once_t	compressor_once = PTHREAD_ONCE_INIT;

static void
compressor_free(void *v)
{
	z_stream *z = v;

	if (z != NULL) {
		deflateEnd(z);
		free(z);
	}
}

static void
compressor_key_make(void)
{
	if (pthread_key_create(&compressor_key, compressor_free) != 0) {
		log_error("cannot create a thread key");
		abort();
	}
}

/* The thread's compressor, reset, at the given level. */
static z_stream *
compressor(int level)
{
	z_stream *z;

	if (pthread_once(&compressor_once, compressor_key_make) != 0)
		abort();
	if ((z = pthread_getspecific(compressor_key)) != NULL) {
		/* deflateParams on a fresh stream only sets the level. */
		if (deflateReset(z) != Z_OK ||
		    deflateParams(z, level, Z_DEFAULT_STRATEGY) != Z_OK)
			abort();
		return z;
	}
	z = xcalloc(1, sizeof *z);
	/* Raw deflate (negative window bits): the gzip member is ours. */
	if (deflateInit2(z, level, Z_DEFLATED, -15, 8,
	    Z_DEFAULT_STRATEGY) != Z_OK) {
		log_error("zlib: deflateInit2 failed");
		abort();
	}
	if (pthread_setspecific(compressor_key, z) != 0)
		abort();
	return z;
}

void
piece_thread_done(void)
{
	if (pthread_once(&compressor_once, compressor_key_make) != 0)
		abort();
	compressor_free(pthread_getspecific(compressor_key));
	if (pthread_setspecific(compressor_key, NULL) != 0)
		abort();
}

/*
 * The dictionary is the text of the pieces just before: as many as make
 * CONTEXT_BYTES (a feed entry's predecessor, a few VEVENTs), at most
 * CONTEXT_PIECES.  More context compresses better; but an edit then
 * recompresses more of the pieces after the one that changed.
 */
#define CONTEXT_BYTES	4096
#define CONTEXT_PIECES	8
#define DICTIONARY_MAX	32768

/* Raw deflate of p's text after the context, ended by a sync flush. */
static struct zpart *
compress_after(const struct piece *p, struct piece *const *context,
    size_t ncontext)
{
	z_stream *z = compressor(p->level);
	/* deflateBound covers a finished stream; a sync flush adds an
	 * empty stored block (at most 5 bytes) and a partial one 7 bits. */
	uLong bound = deflateBound(z, (uLong)p->len) + 16;
	struct zpart *zp = xcalloc(1, sizeof *zp);
	struct buf dict;
	size_t i, skip;

	struct buf joined;
	const char *text = p->text;

	zp->refs = 1;
	/* Deflate reaches back 32 KiB: no more of a long first piece. */
	buf_init(&dict);
	for (i = 0; i < ncontext; i++) {
		skip = i == 0 && context[i]->len > DICTIONARY_MAX ?
		    context[i]->len - DICTIONARY_MAX : 0;
		piece_text_into(context[i], skip, &dict);
	}
	if (dict.len > 0 && deflateSetDictionary(z, (const Bytef *)dict.data,
	    (uInt)dict.len) != Z_OK) {
		log_error("zlib: deflateSetDictionary failed");
		abort();
	}
	buf_free(&dict);
	if (text == NULL) {
		buf_init(&joined);
		buf_reserve(&joined, p->len);
		piece_text_into(p, 0, &joined);
		text = joined.data;
	}
	zp->z = xmalloc(bound);
	z->next_in = (Bytef *)(uintptr_t)text;
	z->avail_in = (uInt)p->len;
	z->next_out = zp->z;
	z->avail_out = (uInt)bound;
	if (deflate(z, Z_SYNC_FLUSH) != Z_OK || z->avail_in != 0 ||
	    z->avail_out == 0) {
		log_error("zlib: deflate did not flush");
		abort();
	}
	if (text != p->text)
		buf_free(&joined);
	zp->zlen = bound - z->avail_out;
	zp->z = xrealloc(zp->z, zp->zlen);	/* a third of the bound */
	return zp;
}

/* A piece of len bytes, its text or parts still to be set. */
static struct piece *
piece_alloc(size_t len)
{
	struct piece *p = xcalloc(1, sizeof *p);

	if (len >= (size_t)UINT32_MAX) {
		log_error("piece of %zu bytes is too large", len);
		abort();
	}
	if (pthread_mutex_init(&p->lock, NULL) != 0)
		abort();
	p->refs = 1;
	p->level = PIECE_LEVEL;
	p->len = len;
	p->shift = crc32_combine_gen((z_off_t)len);
	return p;
}

struct piece *
piece_new(char *text, size_t len)
{
	struct piece *p = piece_alloc(len);

	p->text = text;
	p->crc = (uint32_t)crc32(0, (const Bytef *)text, (uInt)len);
	p->hash = piece_hash_of(text, len);
	return p;
}

uint64_t
piece_hash_of(const char *text, size_t len)
{
	return hash64(text, len) | 1;	/* 0 means "no predecessor" */
}

struct piece *
piece_join(struct piece *const *parts, size_t n)
{
	struct piece *p;
	struct hasher h;
	size_t i, len = 0;
	uint32_t crc = 0;

	hasher_init(&h);
	for (i = 0; i < n; i++) {
		if (parts[i]->text == NULL) {
			log_error("a join of joins");
			abort();
		}
		len += parts[i]->len;
		crc = (uint32_t)crc32_combine_op(crc, parts[i]->crc,
		    parts[i]->shift);
		hasher_bytes(&h, parts[i]->text, parts[i]->len);
	}
	p = piece_alloc(len);
	p->parts = xreallocarray(NULL, n ? n : 1, sizeof *p->parts);
	for (i = 0; i < n; i++)
		p->parts[i] = piece_ref(parts[i]);
	p->nparts = n;
	p->crc = crc;
	/* hasher_bytes alone equals hash64 of the bytes joined (hash.h):
	 * the hash the copied text had. */
	p->hash = hasher_done(&h) | 1;
	return p;
}

void
piece_text_into(const struct piece *p, size_t skip, struct buf *out)
{
	size_t i;

	if (p->text != NULL) {
		buf_add(out, p->text + skip, p->len - skip);
		return;
	}
	for (i = 0; i < p->nparts; i++) {
		if (skip >= p->parts[i]->len) {
			skip -= p->parts[i]->len;
			continue;
		}
		buf_add(out, p->parts[i]->text + skip,
		    p->parts[i]->len - skip);
		skip = 0;
	}
}

struct piece *
piece_ref(struct piece *p)
{
	__atomic_add_fetch(&p->refs, 1, __ATOMIC_RELAXED);
	return p;
}

int
piece_refs(const struct piece *p)
{
	return __atomic_load_n(&p->refs, __ATOMIC_ACQUIRE);
}

void
piece_zpart_unref(struct zpart *zp)
{
	if (zp == NULL ||
	    __atomic_sub_fetch(&zp->refs, 1, __ATOMIC_ACQ_REL) > 0)
		return;
	free(zp->z);
	free(zp);
}

void
piece_unref(struct piece *p)
{
	size_t i;

	if (p == NULL || __atomic_sub_fetch(&p->refs, 1, __ATOMIC_ACQ_REL) > 0)
		return;
	for (i = 0; i < PIECE_VARIANTS; i++)
		piece_zpart_unref(p->variants[i]);
	for (i = 0; i < p->nparts; i++)
		piece_unref(p->parts[i]);
	free(p->parts);
	pthread_mutex_destroy(&p->lock);
	free(p->text);
	free(p);
}

/*
 * p compressed after the context, a new reference.  A piece keeps the
 * variants it was last asked for; the least recently used makes room.
 */
static struct zpart *
piece_variant(struct piece *p, struct piece *const *context,
    size_t ncontext)
{
	uint64_t after = 0;
	struct zpart *zp;
	size_t i, victim = 0;

	for (i = 0; i < ncontext; i++)
		after = (after ^ context[i]->hash) * 0x100000001b3ULL;
	if (pthread_mutex_lock(&p->lock) != 0)
		abort();
	p->uses++;
	for (i = 0; i < PIECE_VARIANTS; i++) {
		if (p->variants[i] != NULL && p->after[i] == after)
			break;
		if (p->variants[i] == NULL || (p->variants[victim] != NULL &&
		    p->used[i] < p->used[victim]))
			victim = i;
	}
	if (i == PIECE_VARIANTS) {
		i = victim;
		piece_zpart_unref(p->variants[i]);
		p->variants[i] = compress_after(p, context, ncontext);
		p->after[i] = after;
	}
	p->used[i] = p->uses;
	zp = p->variants[i];
	__atomic_add_fetch(&zp->refs, 1, __ATOMIC_RELAXED);
	pthread_mutex_unlock(&p->lock);
	return zp;
}

/* A piece compressed alone has one stream; a context ends at one. */
struct zpart *
piece_after(struct piece *const *pieces, size_t i)
{
	size_t first, bytes;

	if (pieces[i]->alone)
		return piece_variant(pieces[i], NULL, 0);
	for (first = i, bytes = 0; first > 0 && i - first < CONTEXT_PIECES &&
	    bytes < CONTEXT_BYTES && !pieces[first - 1]->alone; )
		bytes += pieces[--first]->len;
	return piece_variant(pieces[i], pieces + first, i - first);
}

static void
put_le32(unsigned char *out, uint32_t v)
{
	out[0] = v & 0xff;
	out[1] = (v >> 8) & 0xff;
	out[2] = (v >> 16) & 0xff;
	out[3] = (v >> 24) & 0xff;
}

char *
piece_gzip_whole(const char *text, size_t len, int level, size_t *gzlen)
{
	z_stream *z = compressor(level);
	uLong bound = deflateBound(z, (uLong)len) + GZIP_HEADER_LEN +
	    GZIP_TRAILER_LEN;
	unsigned char *out = xmalloc(bound), *p;
	uint32_t crc = (uint32_t)crc32(0, (const Bytef *)text, (uInt)len);

	memcpy(out, piece_gzip_header, GZIP_HEADER_LEN);
	z->next_in = (Bytef *)(uintptr_t)text;
	z->avail_in = (uInt)len;
	z->next_out = out + GZIP_HEADER_LEN;
	z->avail_out = (uInt)(bound - GZIP_HEADER_LEN - GZIP_TRAILER_LEN + 8);
	if (deflate(z, Z_FINISH) != Z_STREAM_END) {
		log_error("zlib: deflate did not finish");
		abort();
	}
	p = z->next_out;
	put_le32(p, crc);
	put_le32(p + 4, (uint32_t)len);
	*gzlen = (size_t)(p + 8 - out);
	return xrealloc(out, *gzlen);
}

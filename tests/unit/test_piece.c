/*
 * test_piece.c -- pieces stitched into documents (published docsets are
 * test_docset.c's).
 *
 * What a client receives must be what was rendered: every gzip body made
 * from pieces (flat or a rope of spans) is inflated by zlib in gzip mode,
 * which checks the trailer's CRC-32 and ISIZE, and compared with the text.
 * Also: rope spans and ETags, compressed variants shared and evicted (a
 * document still holding an evicted variant must stay intact), the same
 * ETag from document_new and document_from_stitch.  A document made
 * without its gzip body (the _plain variants, as at start-up) serves none
 * until document_finish_gzip, which then makes the very bytes the eager
 * variants make.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

#include "fixture.h"

#include "bodycache.h"
#include "document.h"
#include "piece.h"
#include "stitch.h"
#include "util.h"

/* --- helpers --------------------------------------------------------- */

static struct piece *
mkpiece(const void *text, size_t len)
{
	char *copy = xmalloc(len + 1);

	memcpy(copy, text, len);
	copy[len] = '\0';
	return piece_new(copy, len);
}

/* Deterministic, varied text: VEVENT-like lines of pseudo-random words,
 * about `approx` bytes, different for each seed. */
static void
gen_text(struct buf *b, unsigned seed, size_t approx)
{
	static const char *words[] = {
		"meeting", "room", "Zürich", "café", "agenda", "review",
		"budget", "release", "планёрка", "会議", "quarterly", "sync",
		"design", "launch", "retro", "lunch", "🎉", "deadline",
	};
	size_t start = b->len;
	uint32_t x = seed * 2654435761u + 12345;

	buf_printf(b, "BEGIN:VEVENT\r\nUID:event-%u@example.org\r\n", seed);
	while (b->len - start < approx) {
		x = x * 1664525u + 1013904223u;
		buf_addstr(b, words[(x >> 16) % nitems(words)]);
		buf_addc(b, (x >> 8) % 7 == 0 ? '\n' : ' ');
		if ((x >> 4) % 11 == 0)
			buf_printf(b, "%u", x % 100000);
	}
	buf_addstr(b, "\r\nEND:VEVENT\r\n");
}

static struct piece *
gen_piece(unsigned seed, size_t approx)
{
	struct buf b;
	size_t len;

	buf_init(&b);
	gen_text(&b, seed, approx);
	len = b.len;
	return piece_new(buf_steal(&b), len);
}

/*
 * Inflates a whole gzip member (zlib checks CRC-32 and ISIZE) and asserts
 * it ends exactly at the end of the input; a malloc'd result.
 */
static char *
gunzip(const void *gz, size_t gzlen, size_t *outlen)
{
	z_stream z;
	size_t cap = gzlen * 8 + 1024, len = 0;
	char *out = xmalloc(cap);
	int rc;

	memset(&z, 0, sizeof z);
	assert_int_equal(inflateInit2(&z, 15 + 16), Z_OK);
	z.next_in = (Bytef *)(uintptr_t)gz;
	z.avail_in = (uInt)gzlen;
	do {
		if (len == cap) {
			cap *= 2;
			out = xrealloc(out, cap);
		}
		z.next_out = (Bytef *)out + len;
		z.avail_out = (uInt)(cap - len);
		rc = inflate(&z, Z_NO_FLUSH);
		len = cap - z.avail_out;
		if (rc != Z_OK && rc != Z_STREAM_END)
			fail_msg("inflate: %d (%s)", rc,
			    z.msg != NULL ? z.msg : "");
		if (rc == Z_OK && z.avail_in == 0 && z.avail_out != 0)
			fail_msg("gzip body truncated: no Z_STREAM_END");
	} while (rc != Z_STREAM_END);
	assert_int_equal(z.avail_in, 0);	/* nothing after the trailer */
	inflateEnd(&z);
	*outlen = len;
	return out;
}

static char *
concat_spans(const struct span *spans, size_t n, size_t *len)
{
	struct buf b;

	buf_init(&b);
	for (size_t i = 0; i < n; i++)
		buf_add(&b, spans[i].data, spans[i].len);
	*len = b.len;
	return buf_steal(&b);
}

static uint32_t
le32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	    (uint32_t)p[3] << 24;
}

static void
assert_bytes(const char *got, size_t gotlen, const char *want,
    size_t wantlen)
{
	size_t i;

	assert_int_equal(gotlen, wantlen);
	if (memcmp(got, want, wantlen) == 0)
		return;
	for (i = 0; got[i] == want[i]; i++)
		;
	fail_msg("bytes differ at offset %zu of %zu", i, wantlen);
}

/* Both bodies of d (spans and, for gzip, the inflated gzspans) are text;
 * the gzip trailer holds text's CRC-32 and length. */
static void
assert_document_is(const struct document *d, const char *text, size_t len)
{
	char *plain, *gz, *out;
	size_t plainlen, gzlen, outlen, total = 0;

	assert_int_equal(d->len, len);
	plain = concat_spans(d->spans, d->nspans, &plainlen);
	assert_bytes(plain, plainlen, text, len);
	free(plain);
	for (size_t i = 0; i < d->nspans; i++)
		total += d->spans[i].len;
	assert_int_equal(total, d->len);
	if (d->body != NULL)
		assert_bytes(d->body, d->len, text, len);

	assert_non_null(d->gzspans);
	gz = concat_spans(d->gzspans, d->ngzspans, &gzlen);
	assert_int_equal(gzlen, d->gzlen);
	assert_true(gzlen > 18);
	assert_int_equal(le32((unsigned char *)gz + gzlen - 8),
	    (uint32_t)crc32(0, (const Bytef *)text, (uInt)len));
	assert_int_equal(le32((unsigned char *)gz + gzlen - 4), (uint32_t)len);
	out = gunzip(gz, gzlen, &outlen);
	assert_bytes(out, outlen, text, len);
	if (d->gz != NULL && d->body != NULL)
		assert_memory_equal(d->gz, gz, gzlen);
	free(out);
	free(gz);
}

/* crier makes every stitched document above STITCH_MIN a rope
 * (ROPE_MIN); these tests pass their own threshold to see both ways. */
#define FLAT_MAX	((size_t)1024 * 1024)

/* Makes the document, checks it against the text assembled alongside. */
static struct document *
finish(struct stitch *st, struct buf *want, const char *path)
{
	struct document *d;

	d = document_from_stitch(path, "text/calendar", st, 1700000000, 0,
	    FLAT_MAX);
	assert_non_null(d);
	assert_document_is(d, want->data, want->len);
	return d;
}

static void
add_text(struct stitch *st, struct buf *want, const char *s)
{
	stitch_text(st, s, strlen(s));
	buf_addstr(want, s);
}

static void
add_piece(struct stitch *st, struct buf *want, struct piece *p)
{
	stitch_piece(st, p);
	buf_add(want, p->text, p->len);
}

/* --- 1. flat gzip bodies -------------------------------------------- */

static void
one_piece(void **state)
{
	struct piece *p = gen_piece(1, 2000);
	struct stitch st;
	struct buf want;
	struct document *d;

	(void)state;
	stitch_init(&st);
	buf_init(&want);
	add_piece(&st, &want, p);
	d = finish(&st, &want, "/one.ics");
	assert_non_null(d->body);
	assert_non_null(d->gz);
	assert_true(d->gzlen < d->len);
	document_unref(d);
	buf_free(&want);
	piece_unref(p);
}

static void
pieces_and_loose_text(void **state)
{
	struct piece *p[40];
	struct stitch st;
	struct buf want;
	struct document *d;
	size_t i;

	(void)state;
	stitch_init(&st);
	buf_init(&want);
	add_text(&st, &want, "BEGIN:VCALENDAR\r\nVERSION:2.0\r\n");
	add_text(&st, &want, "PRODID:-//crier//test//EN\r\n");
	for (i = 0; i < nitems(p); i++) {
		p[i] = gen_piece((unsigned)i + 100, 100 + 97 * (i % 9));
		add_piece(&st, &want, p[i]);
		if (i % 3 == 0)
			add_text(&st, &want, "X-LOOSE:between pieces\r\n");
		/* two pieces in a row with nothing between */
	}
	add_text(&st, &want, "END:VCALENDAR\r\n");
	d = finish(&st, &want, "/many.ics");
	assert_non_null(d->body);
	document_unref(d);
	buf_free(&want);
	for (i = 0; i < nitems(p); i++)
		piece_unref(p[i]);
}

static void
binary_and_utf8(void **state)
{
	unsigned char bin[3000];
	const char *utf8 = "Grüße aus Köln — ещё раз, 東京で会いましょう 👋🏽 "
	    "\xe2\x80\xa8 (LS) \xef\xbb\xbf BOM, invalid: \xff\xfe\xc0\x80 ";
	struct piece *pb, *pu, *pz;
	struct stitch st;
	struct buf want, u;
	struct document *d;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof bin; i++)	/* NULs, high bytes, runs */
		bin[i] = (unsigned char)(i % 7 == 0 ? 0 : (i * 37) ^ (i >> 3));
	buf_init(&u);
	for (i = 0; i < 20; i++)
		buf_addstr(&u, utf8);
	pb = mkpiece(bin, sizeof bin);
	pu = mkpiece(u.data, u.len);
	pz = mkpiece("", 0);	/* an empty piece is harmless */
	stitch_init(&st);
	buf_init(&want);
	add_piece(&st, &want, pu);
	stitch_text(&st, "\0\0\x01", 3);
	buf_add(&want, "\0\0\x01", 3);
	add_piece(&st, &want, pb);
	add_piece(&st, &want, pz);
	add_piece(&st, &want, pu);
	add_piece(&st, &want, pb);
	d = finish(&st, &want, "/bin");
	assert_non_null(d->gz);
	document_unref(d);
	buf_free(&want);
	buf_free(&u);
	piece_unref(pb);
	piece_unref(pu);
	piece_unref(pz);
}

static void
text_only(void **state)
{
	struct stitch st;
	struct buf want;
	struct document *d;
	size_t i;

	(void)state;
	stitch_init(&st);
	buf_init(&want);
	for (i = 0; i < 50; i++) {
		char line[64];

		snprintf(line, sizeof line, "<item n=\"%zu\">loose</item>\n", i);
		add_text(&st, &want, line);
	}
	d = finish(&st, &want, "/text");
	assert_non_null(d->gz);
	document_unref(d);

	/* Nothing at all: an empty body, no gzip (too small). */
	stitch_init(&st);
	d = document_from_stitch("/empty", "text/plain", &st, 0, 0, FLAT_MAX);
	assert_int_equal(d->len, 0);
	assert_int_equal(d->nspans, 1);
	assert_int_equal(d->spans[0].len, 0);
	assert_null(d->gz);
	document_unref(d);
	buf_free(&want);
}

/* One piece twice in a document, and in documents with other pieces
 * before it: each context is a different compressed variant. */
static void
same_piece_many_contexts(void **state)
{
	struct piece *p = gen_piece(7, 900), *a = gen_piece(8, 700),
	    *b = gen_piece(9, 5000);
	struct stitch st;
	struct buf want;
	struct document *d1, *d2, *d3;

	(void)state;
	stitch_init(&st);
	buf_init(&want);
	add_piece(&st, &want, p);
	add_piece(&st, &want, p);
	add_text(&st, &want, "--\n");
	add_piece(&st, &want, p);
	d1 = finish(&st, &want, "/d1");

	buf_reset(&want);
	stitch_init(&st);
	add_piece(&st, &want, a);
	add_piece(&st, &want, p);
	add_piece(&st, &want, a);
	d2 = finish(&st, &want, "/d2");

	/* b is more than CONTEXT_BYTES: p's context is b alone */
	buf_reset(&want);
	stitch_init(&st);
	add_piece(&st, &want, a);
	add_piece(&st, &want, b);
	add_piece(&st, &want, p);
	add_text(&st, &want, "tail");
	add_piece(&st, &want, p);
	d3 = finish(&st, &want, "/d3");

	/* d1 is intact after p got more variants */
	buf_reset(&want);
	buf_add(&want, p->text, p->len);
	buf_add(&want, p->text, p->len);
	buf_addstr(&want, "--\n");
	buf_add(&want, p->text, p->len);
	assert_document_is(d1, want.data, want.len);

	document_unref(d1);
	document_unref(d2);
	document_unref(d3);
	buf_free(&want);
	piece_unref(p);
	piece_unref(a);
	piece_unref(b);
}

/* The dictionary is used: a piece after itself costs a few bytes, and the
 * variant for one context is compressed once and shared. */
static void
context_is_dictionary(void **state)
{
	struct piece *p = gen_piece(11, 3000);
	struct stitch s1, s2;

	(void)state;
	stitch_init(&s1);
	stitch_piece(&s1, p);
	stitch_piece(&s1, p);
	stitch_finish(&s1);
	stitch_compress(&s1);
	assert_int_equal(s1.n, 2);
	assert_true(s1.zparts[1]->zlen * 10 < s1.zparts[0]->zlen);

	stitch_init(&s2);
	stitch_piece(&s2, p);
	stitch_piece(&s2, p);
	stitch_finish(&s2);
	stitch_compress(&s2);
	assert_ptr_equal(s2.zparts[0], s1.zparts[0]);
	assert_ptr_equal(s2.zparts[1], s1.zparts[1]);
	assert_ptr_not_equal(s1.zparts[0], s1.zparts[1]);
	stitch_free(&s1);
	stitch_free(&s2);
	piece_unref(p);
}

/* --- 2. ropes ---------------------------------------------------------- */

#define ROPE_PIECES	3000

/* A calendar of ROPE_PIECES pieces (with loose text), over FLAT_MAX. */
static struct document *
rope_of(struct piece **p, struct buf *want, const char *path)
{
	struct stitch st;
	struct document *d;
	size_t i;

	stitch_init(&st);
	buf_reset(want);
	add_text(&st, want, "BEGIN:VCALENDAR\r\n");
	for (i = 0; i < ROPE_PIECES; i++) {
		add_piece(&st, want, p[i]);
		if (i % 500 == 499)
			add_text(&st, want, "X-COMMENT:loose\r\n");
	}
	add_text(&st, want, "END:VCALENDAR\r\n");
	d = document_from_stitch(path, "text/calendar", &st, 0, 0, FLAT_MAX);
	assert_non_null(d);
	assert_int_equal(st.n, 0);	/* the rope took the pieces */
	return d;
}

static void
rope(void **state)
{
	struct piece **p = xcalloc(ROPE_PIECES, sizeof *p),
	    **q = xcalloc(ROPE_PIECES, sizeof *q);
	struct document *d, *same, *fresh, *changed;
	struct buf want, want2;
	size_t i, total;
	char *flat;

	(void)state;
	buf_init(&want);
	buf_init(&want2);
	for (i = 0; i < ROPE_PIECES; i++) {
		p[i] = gen_piece((unsigned)i, 500 + i % 200);
		q[i] = mkpiece(p[i]->text, p[i]->len);	/* same text */
	}
	d = rope_of(p, &want, "/big.ics");
	assert_true(want.len > FLAT_MAX);
	assert_null(d->body);
	assert_non_null(d->rope);
	assert_non_null(d->gz);
	/* loose text before, five between, the last with the end */
	assert_int_equal(d->nspans, 1 + ROPE_PIECES + ROPE_PIECES / 500);
	assert_int_equal(d->ngzspans, d->nspans + 2);
	assert_document_is(d, want.data, want.len);
	/* spans point into the pieces: nothing copied */
	assert_ptr_equal(d->spans[1].data, p[0]->text);
	/* the text as stitch_text_flat sees it */
	flat = stitch_text_flat(d->rope, &total);
	assert_bytes(flat, total, want.data, want.len);
	free(flat);
	total = 0;
	for (i = 0; i < d->ngzspans; i++)
		total += d->gzspans[i].len;
	assert_int_equal(total, d->gzlen);
	assert_true(d->gzlen < d->len / 2);
	assert_string_not_equal(d->etag, d->etag_gz);

	/* The same pieces again, and other pieces with the same text. */
	same = rope_of(p, &want2, "/same.ics");
	assert_string_equal(same->etag, d->etag);
	assert_string_equal(same->etag_gz, d->etag_gz);
	fresh = rope_of(q, &want2, "/fresh.ics");
	assert_string_equal(fresh->etag, d->etag);
	assert_document_is(fresh, want.data, want.len);

	/* One byte of one piece differs (same length): another ETag. */
	piece_unref(q[1500]);
	{
		char *t = xmalloc(p[1500]->len + 1);

		memcpy(t, p[1500]->text, p[1500]->len + 1);
		t[20] ^= 1;
		q[1500] = piece_new(t, p[1500]->len);
	}
	changed = rope_of(q, &want2, "/changed.ics");
	assert_int_equal(changed->len, d->len);
	assert_string_not_equal(changed->etag, d->etag);
	assert_document_is(changed, want2.data, want2.len);

	document_unref(d);
	document_unref(same);
	document_unref(fresh);
	document_unref(changed);
	for (i = 0; i < ROPE_PIECES; i++) {
		piece_unref(p[i]);
		piece_unref(q[i]);
	}
	free(p);
	free(q);
	buf_free(&want);
	buf_free(&want2);
}

/* Exactly FLAT_MAX bytes is flat; one more is a rope. */
static void
rope_threshold(void **state)
{
	char *text = xmalloc(FLAT_MAX + 2);
	struct piece *p;
	struct stitch st;
	struct document *d;
	size_t i;

	(void)state;
	for (i = 0; i < FLAT_MAX + 1; i++)
		text[i] = "abcdefgh\n"[(i * 7 + i / 13) % 9];
	text[FLAT_MAX + 1] = '\0';
	p = mkpiece(text, FLAT_MAX);
	stitch_init(&st);
	stitch_piece(&st, p);
	d = document_from_stitch("/a", "text/plain", &st, 0, 0, FLAT_MAX);
	assert_non_null(d->body);
	assert_document_is(d, text, FLAT_MAX);
	document_unref(d);

	stitch_init(&st);
	stitch_piece(&st, p);
	stitch_text(&st, text + FLAT_MAX, 1);
	d = document_from_stitch("/b", "text/plain", &st, 0, 0, FLAT_MAX);
	assert_null(d->body);
	assert_document_is(d, text, FLAT_MAX + 1);
	document_unref(d);
	piece_unref(p);
	free(text);
}

/* --- 3. variants evicted ----------------------------------------------- */

static int
holds_variant(struct piece *p, const struct zpart *zp)
{
	for (size_t i = 0; i < PIECE_VARIANTS; i++)
		if (p->variants[i] == zp)
			return 1;
	return 0;
}

/* A small document: pre then p. */
static struct document *
pair(struct piece *pre, struct piece *p, struct zpart **zp)
{
	struct stitch st;
	struct buf want;
	struct document *d;

	/* Past STITCH_MIN, so that the gzip body is stitched; pre is all
	 * of p's context (over CONTEXT_BYTES). */
	struct piece *filler = gen_piece(499, STITCH_MIN + 100);

	stitch_init(&st);
	buf_init(&want);
	add_piece(&st, &want, filler);
	add_piece(&st, &want, pre);
	add_piece(&st, &want, p);
	piece_unref(filler);
	stitch_finish(&st);
	stitch_compress(&st);
	if (zp != NULL)
		*zp = st.zparts[2];
	d = finish(&st, &want, "/pair");
	buf_free(&want);
	return d;
}

static void
variants_evicted(void **state)
{
	struct piece *p = gen_piece(500, 800), *pre[PIECE_VARIANTS + 3];
	struct piece *filler = gen_piece(501, FLAT_MAX + 1000);
	struct zpart *first, *zp, *again;
	struct stitch st;
	struct buf want;
	struct document *big, *d;
	size_t i;

	(void)state;
	/* Over CONTEXT_BYTES (4096): each is all of p's context, in the
	 * rope as in the small documents. */
	for (i = 0; i < nitems(pre); i++)
		pre[i] = gen_piece(600 + (unsigned)i, 4200);

	/* A rope holding p's variant after pre[0]. */
	stitch_init(&st);
	buf_init(&want);
	add_piece(&st, &want, filler);
	add_piece(&st, &want, pre[0]);
	add_piece(&st, &want, p);
	add_text(&st, &want, "end\n");
	stitch_finish(&st);
	stitch_compress(&st);
	first = st.zparts[2];
	big = finish(&st, &want, "/big");
	assert_null(big->body);
	assert_ptr_equal(big->rope->zparts[2], first);
	assert_true(holds_variant(p, first));

	/* PIECE_VARIANTS other predecessors push it out. */
	for (i = 1; i <= PIECE_VARIANTS; i++) {
		d = pair(pre[i], p, &zp);
		assert_ptr_not_equal(zp, first);
		document_unref(d);
	}
	assert_false(holds_variant(p, first));
	assert_int_equal(first->refs, 1);	/* the rope's, still there */
	assert_document_is(big, want.data, want.len);

	/* Most recently used (pre[PIECE_VARIANTS]) is kept and reused... */
	d = pair(pre[PIECE_VARIANTS], p, &zp);
	again = zp;
	document_unref(d);
	d = pair(pre[PIECE_VARIANTS], p, &zp);
	assert_ptr_equal(zp, again);
	document_unref(d);
	/* ...while new predecessors push out the least recently used. */
	d = pair(pre[PIECE_VARIANTS + 1], p, NULL);
	document_unref(d);
	d = pair(pre[PIECE_VARIANTS + 2], p, NULL);
	document_unref(d);
	assert_true(holds_variant(p, again));

	/* After pre[0] again: compressed anew, the same bytes, decodes. */
	d = pair(pre[0], p, &zp);
	assert_ptr_not_equal(zp, first);
	assert_int_equal(zp->zlen, first->zlen);
	assert_memory_equal(zp->z, first->z, first->zlen);
	document_unref(d);

	assert_document_is(big, want.data, want.len);
	document_unref(big);
	buf_free(&want);
	for (i = 0; i < nitems(pre); i++)
		piece_unref(pre[i]);
	piece_unref(filler);
	piece_unref(p);
}

/* --- 4. two ways to the same document --------------------------------- */

static void
new_vs_stitch(void **state)
{
	struct piece *a = gen_piece(900, 700), *b = gen_piece(901, 400);
	struct stitch st;
	struct buf want;
	struct document *ds, *dn;
	char *body;

	(void)state;
	stitch_init(&st);
	buf_init(&want);
	add_text(&st, &want, "<?xml version=\"1.0\"?>\n<feed>\n");
	add_piece(&st, &want, a);
	add_piece(&st, &want, b);
	add_text(&st, &want, "</feed>\n");
	ds = finish(&st, &want, "/feed.atom");
	body = xmalloc(want.len + 1);
	memcpy(body, want.data, want.len + 1);
	dn = document_new("/feed.atom", "application/atom+xml", body,
	    want.len, 1700000000, 0);
	assert_document_is(dn, want.data, want.len);
	assert_string_equal(ds->etag, dn->etag);
	assert_string_equal(ds->etag_gz, dn->etag_gz);
	assert_int_equal(ds->hash, dn->hash);
	/* and one byte less is another ETag */
	document_unref(dn);
	body = xmalloc(want.len);
	memcpy(body, want.data, want.len - 1);
	dn = document_new("/feed.atom", "application/atom+xml", body,
	    want.len - 1, 0, 0);
	assert_string_not_equal(ds->etag, dn->etag);
	document_unref(dn);
	document_unref(ds);
	buf_free(&want);
	piece_unref(a);
	piece_unref(b);
}

static int
teardown(void **state)
{
	(void)state;
	piece_thread_done();
	return 0;
}

/*
 * The three shapes of a stitched document: up to STITCH_MIN one stream
 * (as document_new makes it), up to FLAT_MAX one body whose gzip body is
 * the pieces' streams, above that a rope.
 */
static void
stitch_sizes(void **state)
{
	struct piece *p[60];
	struct stitch st;
	struct buf want;
	struct document *d;
	size_t i, zsum;

	(void)state;
	for (i = 0; i < nitems(p); i++)
		p[i] = gen_piece(700 + (unsigned)i, 1000);

	/* Small: whole, the same gzip body document_new gives. */
	stitch_init(&st);
	buf_init(&want);
	for (i = 0; i < 4; i++)
		add_piece(&st, &want, p[i]);
	assert_true(want.len <= STITCH_MIN);
	d = finish(&st, &want, "/small");
	{
		struct document *w = document_new("/w", "text/calendar",
		    xstrndup(want.data, want.len), want.len, 1700000000, 0);

		assert_int_equal(d->gzlen, w->gzlen);
		assert_memory_equal(d->gz, w->gz, w->gzlen);
		document_unref(w);
	}
	document_unref(d);
	buf_free(&want);

	/* Middle: one body, gzip body stitched from the pieces' streams. */
	stitch_init(&st);
	buf_init(&want);
	for (i = 0; i < nitems(p); i++) {
		add_text(&st, &want, "--\n");
		add_piece(&st, &want, p[i]);
	}
	assert_true(want.len > STITCH_MIN && want.len <= FLAT_MAX);
	d = finish(&st, &want, "/middle");
	assert_non_null(d->body);
	assert_null(d->rope);
	/* Each piece's variant after its context is in the gzip body. */
	stitch_init(&st);
	for (i = 0; i < nitems(p); i++) {
		stitch_text(&st, "--\n", 3);
		stitch_piece(&st, p[i]);
	}
	stitch_finish(&st);
	stitch_compress(&st);
	for (i = 0, zsum = 0; i < st.n; i++) {
		zsum += st.zparts[i]->zlen;
		if (st.pieces[i] == p[5])
			assert_non_null(memmem(d->gz, d->gzlen,
			    st.zparts[i]->z, st.zparts[i]->zlen));
	}
	assert_int_equal(d->gzlen, GZIP_HEADER_LEN + zsum + GZIP_TRAILER_LEN);
	stitch_free(&st);
	document_unref(d);
	buf_free(&want);
	for (i = 0; i < nitems(p); i++)
		piece_unref(p[i]);
}

/* Two documents' gzip bodies, span by span. */
static void
assert_same_gzip(const struct document *a, const struct document *b)
{
	char *x, *y;
	size_t xl, yl;

	assert_true((document_gz(a) == NULL) == (document_gz(b) == NULL));
	if (document_gz(a) == NULL)
		return;
	x = concat_spans(a->gzspans, a->ngzspans, &xl);
	y = concat_spans(b->gzspans, b->ngzspans, &yl);
	assert_int_equal(a->gzlen, b->gzlen);
	assert_int_equal(xl, yl);
	assert_memory_equal(x, y, xl);
	free(x);
	free(y);
}

static void
stitch_of(struct piece **p, size_t n, struct stitch *st)
{
	size_t i;

	stitch_init(st);
	for (i = 0; i < n; i++) {
		stitch_text(st, "--\n", 3);
		stitch_piece(st, p[i]);
	}
}

/* Eager and later gzip bodies are the same bytes, for every shape; the
 * identity body, ETags and length do not wait for them. */
static void
gzip_later(void **state)
{
	static const size_t counts[] = { 4, 60, 1200 };	/* small, flat, rope */
	struct piece *p[1200];
	struct document *eager, *later;
	struct stitch st;
	size_t i, k;
	char *body;

	(void)state;
	for (i = 0; i < nitems(p); i++)
		p[i] = gen_piece(900 + (unsigned)i, 1000);
	for (k = 0; k < nitems(counts); k++) {
		stitch_of(p, counts[k], &st);
		eager = document_from_stitch("/e", "text/calendar", &st, 0, 0,
		    FLAT_MAX);
		stitch_of(p, counts[k], &st);
		later = document_from_stitch_plain("/l", "text/calendar", &st,
		    0, 0, FLAT_MAX);
		assert_true(document_gzip_pending(later));
		assert_null(document_gz(later));
		assert_int_equal(later->len, eager->len);
		assert_string_equal(later->etag, eager->etag);
		assert_string_equal(later->etag_gz, eager->etag_gz);
		body = concat_spans(later->spans, later->nspans, &i);
		assert_document_is(eager, body, i);
		document_finish_gzip(later);
		assert_false(document_gzip_pending(later));
		assert_non_null(document_gz(later));
		assert_document_is(later, body, i);
		assert_same_gzip(eager, later);
		free(body);
		document_finish_gzip(later);	/* once only */
		assert_same_gzip(eager, later);
		document_unref(eager);
		document_unref(later);
	}
	/* A flat body; and one too small for gzip never gets one. */
	eager = document_new("/e", "text/html", xstrdup(p[0]->text),
	    p[0]->len, 0, 0);
	later = document_new_plain("/l", "text/html", xstrdup(p[0]->text),
	    p[0]->len, 0, 0);
	assert_null(document_gz(later));
	document_finish_gzip(later);
	assert_same_gzip(eager, later);
	document_unref(eager);
	document_unref(later);
	later = document_new_plain("/s", "text/html", xstrdup("tiny"), 4, 0, 0);
	assert_false(document_gzip_pending(later));
	document_finish_gzip(later);
	assert_null(document_gz(later));
	document_unref(later);
	for (i = 0; i < nitems(p); i++)
		piece_unref(p[i]);
}

/* Every rope of crier's (above STITCH_MIN) hashes its pieces' hashes and
 * lengths, not its bytes (an edit at 1 000 posts streamed some 10 MB of
 * feeds through XXH3 for their ETags, a seventh of its rebuild): the
 * same texts in other pieces give the same ETag, one byte more or
 * changed gives another. */
static void
rope_etag_is_its_pieces(void **state)
{
	struct piece *p[30], *q[30];
	struct stitch st, st2;
	struct buf want, want2;
	struct document *d, *same, *changed;
	size_t i;
	char *t;

	(void)state;
	stitch_init(&st);
	stitch_init(&st2);
	buf_init(&want);
	buf_init(&want2);
	for (i = 0; i < nitems(p); i++) {
		p[i] = gen_piece(900 + (unsigned)i, 1200);
		q[i] = piece_new(xstrndup(p[i]->text, p[i]->len), p[i]->len);
		add_piece(&st, &want, p[i]);
		add_piece(&st2, &want2, q[i]);
	}
	assert_true(want.len > STITCH_MIN && want.len <= 1024 * 1024);
	d = document_from_stitch("/feed.atom", "text/plain", &st, 0, 0,
	    ROPE_MIN);
	same = document_from_stitch("/same.atom", "text/plain", &st2, 0, 0,
	    ROPE_MIN);
	assert_non_null(d->rope);
	assert_document_is(d, want.data, want.len);
	assert_string_equal(d->etag, same->etag);
	assert_string_equal(d->etag_gz, same->etag_gz);
	/* one byte of one piece differs, same length */
	t = xstrndup(p[7]->text, p[7]->len);
	t[3] ^= 1;
	piece_unref(q[7]);
	q[7] = piece_new(t, p[7]->len);
	stitch_init(&st2);
	buf_free(&want2);
	buf_init(&want2);
	for (i = 0; i < nitems(q); i++)
		add_piece(&st2, &want2, q[i]);
	changed = document_from_stitch("/c.atom", "text/plain", &st2, 0, 0,
	    ROPE_MIN);
	assert_int_equal(changed->len, d->len);
	assert_string_not_equal(changed->etag, d->etag);
	assert_document_is(changed, want2.data, want2.len);
	document_unref(changed);
	document_unref(same);
	document_unref(d);
	buf_free(&want);
	buf_free(&want2);
	for (i = 0; i < nitems(p); i++) {
		piece_unref(p[i]);
		piece_unref(q[i]);
	}
}

/* --- joins ------------------------------------------------------------ */

/* The zparts a sequence gets, compressed as documents compress them. */
static struct stitch
compressed(struct piece *const *ps, size_t n)
{
	struct stitch st;
	size_t i;

	stitch_init(&st);
	for (i = 0; i < n; i++)
		stitch_piece(&st, ps[i]);
	stitch_finish(&st);
	stitch_compress(&st);
	return st;
}

static void
assert_same_zparts(const struct stitch *a, const struct stitch *b)
{
	size_t i;

	assert_int_equal(a->n, b->n);
	for (i = 0; i < a->n; i++)
		assert_bytes((const char *)a->zparts[i]->z, a->zparts[i]->zlen,
		    (const char *)b->zparts[i]->z, b->zparts[i]->zlen);
}

/*
 * A join is its parts' text without the copy: the same length, CRC and
 * hash as a piece of the text joined, the same compressed bytes where it
 * stands and as dictionary to the piece after it (a part longer than
 * deflate's window included), and alone, the stream a piece compressed
 * alone has; a rope of joins serves that text, made when asked.
 */
static void
joins_are_their_text(void **state)
{
	struct piece *parts[4] = { gen_piece(31, 300), gen_piece(32, 40000),
	    gen_piece(33, 900), gen_piece(34, 2500) };
	struct piece *x = gen_piece(35, 700), *y = gen_piece(36, 800);
	struct piece *join, *copy, *alone, *alone_copy, *seq[3], *seq2[3];
	struct stitch a, b, st;
	struct document *d;
	struct bodycache *bc = bodycache_new(1 << 20);
	struct held_body *h;
	struct buf text;
	size_t i, len, gzlen, outlen;
	char *gz, *out;

	(void)state;
	buf_init(&text);
	for (i = 0; i < nitems(parts); i++)
		buf_add(&text, parts[i]->text, parts[i]->len);
	join = piece_join(parts, nitems(parts));
	len = text.len;
	copy = mkpiece(text.data, len);
	assert_null(join->text);
	assert_int_equal(join->len, copy->len);
	assert_true(join->crc == copy->crc);
	assert_true(join->hash == copy->hash);

	seq[0] = x; seq[1] = join; seq[2] = y;
	seq2[0] = x; seq2[1] = copy; seq2[2] = y;
	a = compressed(seq, 3);
	b = compressed(seq2, 3);
	assert_same_zparts(&a, &b);
	stitch_free(&a);
	stitch_free(&b);

	alone = piece_join(parts, nitems(parts));
	alone->alone = 1;
	alone_copy = mkpiece(text.data, len);
	alone_copy->alone = 1;
	seq[1] = alone;
	seq2[1] = alone_copy;
	a = compressed(seq, 3);
	b = compressed(seq2, 3);
	assert_same_zparts(&a, &b);
	stitch_free(&b);
	/* Alone: no context, and none to y. */
	seq2[0] = alone_copy;
	b = compressed(seq2, 1);
	assert_bytes((const char *)a.zparts[1]->z, a.zparts[1]->zlen,
	    (const char *)b.zparts[0]->z, b.zparts[0]->zlen);
	stitch_free(&b);
	seq2[0] = y;
	b = compressed(seq2, 1);
	assert_bytes((const char *)a.zparts[2]->z, a.zparts[2]->zlen,
	    (const char *)b.zparts[0]->z, b.zparts[0]->zlen);
	stitch_free(&a);
	stitch_free(&b);

	/* A rope of joins: no spans; identity gathered, gzip on request. */
	stitch_init(&st);
	stitch_text(&st, "HEAD\r\n", 6);
	stitch_piece(&st, join);
	stitch_piece(&st, alone);
	buf_reset(&text);
	buf_addstr(&text, "HEAD\r\n");
	for (i = 0; i < 2 * nitems(parts); i++)
		buf_add(&text, parts[i % nitems(parts)]->text,
		    parts[i % nitems(parts)]->len);
	d = document_from_stitch_plain("/j.ics", "text/calendar", &st, 0, 0,
	    ROPE_MIN);
	document_gzip_when_asked(d, bc);
	document_use_cache(d, bc);
	assert_true(d->textless);
	assert_null(d->spans);
	assert_null(document_gz(d));
	h = document_identity(d);
	assert_non_null(h);
	assert_bytes(h->data, h->len, text.data, text.len);
	held_body_unref(h);
	assert_null(document_gz(d));	/* identity made no gzip */
	assert_non_null(document_gzip_asked(d));
	gz = concat_spans(d->gzspans, d->ngzspans, &gzlen);
	out = gunzip(gz, gzlen, &outlen);
	assert_bytes(out, outlen, text.data, text.len);
	free(out);
	free(gz);
	document_unref(d);
	bodycache_unref(bc);

	buf_free(&text);
	for (i = 0; i < nitems(parts); i++)
		piece_unref(parts[i]);
	piece_unref(join);
	piece_unref(copy);
	piece_unref(alone);
	piece_unref(alone_copy);
	piece_unref(x);
	piece_unref(y);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(one_piece),
		cmocka_unit_test(pieces_and_loose_text),
		cmocka_unit_test(binary_and_utf8),
		cmocka_unit_test(text_only),
		cmocka_unit_test(same_piece_many_contexts),
		cmocka_unit_test(context_is_dictionary),
		cmocka_unit_test(rope),
		cmocka_unit_test(rope_threshold),
		cmocka_unit_test(variants_evicted),
		cmocka_unit_test(new_vs_stitch),
		cmocka_unit_test(stitch_sizes),
		cmocka_unit_test(gzip_later),
		cmocka_unit_test(rope_etag_is_its_pieces),
		cmocka_unit_test(joins_are_their_text),
	};

	return cmocka_run_group_tests(tests, NULL, teardown);
}

/*
 * stitch.c -- a document assembled from pieces (see stitch.h).
 *
 * Text not worth keeping (a feed's head, the lines between entries) is
 * gathered and becomes a piece of its own when a kept piece follows or
 * the document ends, so a document is always a sequence of pieces: its
 * gzip body is their streams between a header and a trailer whose CRC is
 * combined from theirs, and compressing it means asking each piece for
 * its stream after the ones before it (piece_after).
 */
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

#include "stitch.h"

static void
put_le32(unsigned char *out, uint32_t v)
{
	out[0] = v & 0xff;
	out[1] = (v >> 8) & 0xff;
	out[2] = (v >> 16) & 0xff;
	out[3] = (v >> 24) & 0xff;
}

void
stitch_init(struct stitch *s)
{
	memset(s, 0, sizeof *s);
	buf_init(&s->pending);
}

/* Appends p (taking the caller's reference). */
static void
append(struct stitch *s, struct piece *p)
{
	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 8;
		s->pieces = xreallocarray(s->pieces, s->cap,
		    sizeof *s->pieces);
		s->zparts = xreallocarray(s->zparts, s->cap,
		    sizeof *s->zparts);
	}
	s->zparts[s->n] = NULL;		/* see stitch_compress */
	s->pieces[s->n++] = p;
	s->len += p->len;
}

void
stitch_compress(struct stitch *s)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		if (s->zparts[i] == NULL)
			s->zparts[i] = piece_after(s->pieces, i);
}

static void
flush_pending(struct stitch *s)
{
	size_t len = s->pending.len;

	if (len == 0)
		return;
	append(s, piece_new(buf_steal(&s->pending), len));
	buf_init(&s->pending);
}

void
stitch_text(struct stitch *s, const char *text, size_t len)
{
	buf_add(&s->pending, text, len);
}

void
stitch_piece(struct stitch *s, struct piece *p)
{
	flush_pending(s);
	append(s, piece_ref(p));
}

void
stitch_finish(struct stitch *s)
{
	flush_pending(s);
}

void
stitch_free(struct stitch *s)
{
	size_t i;

	for (i = 0; i < s->n; i++) {
		piece_unref(s->pieces[i]);
		piece_zpart_unref(s->zparts[i]);
	}
	free(s->pieces);
	free(s->zparts);
	buf_free(&s->pending);
	memset(s, 0, sizeof *s);
}

char *
stitch_text_flat(const struct stitch *s, size_t *len)
{
	struct buf text;
	size_t i;

	buf_init(&text);
	buf_reserve(&text, s->len + 1);
	for (i = 0; i < s->n; i++)
		piece_text_into(s->pieces[i], 0, &text);
	*len = text.len;
	return buf_steal(&text);
}

void
stitch_gzip_trailer(const struct stitch *s, unsigned char out[GZIP_TRAILER_LEN])
{
	uLong crc = crc32(0, NULL, 0);
	size_t i;

	for (i = 0; i < s->n; i++)
		crc = crc32_combine_op(crc, s->pieces[i]->crc,
		    s->pieces[i]->shift);
	/* An empty final block with fixed codes: BFINAL=1, BTYPE=01, EOB. */
	out[0] = 0x03;
	out[1] = 0x00;
	put_le32(out + 2, (uint32_t)crc);
	put_le32(out + 6, (uint32_t)s->len);	/* ISIZE is modulo 2^32 */
}

/*
 * text.c -- a content file's bytes made into clean text, once, before
 * anything parses them.
 *
 * Organizers paste text from everywhere: a Latin-1 "é" from an old
 * mail, a control character from a terminal, a Windows editor's CRLF.
 * Refusing the whole page for one such byte made it vanish from every
 * feed and calendar; so the page is published from a cleaned copy and
 * the file gets a warning naming the line to fix.  Cleaning happens here
 * and only here (page_parse calls it first), so that front matter,
 * Markdown, schedules and .ics import all read valid UTF-8 -- libical's
 * folding and libxml2's writers rely on it -- and the lines they report
 * are the file's lines: a fix changes byte lengths, never the number of
 * line ends before a byte.
 *
 * The policy, precisely:
 *
 *  - Invalid UTF-8 becomes U+FFFD, one per "maximal subpart" (Unicode
 *    chapter 3, "U+FFFD Substitution of Maximal Subparts"; the WHATWG
 *    decoder does the same): the longest run that starts like a
 *    well-formed sequence, or one byte if it cannot start one.  So
 *    "\xe2\x82" before ASCII is one U+FFFD, while an overlong "\xc0\xaf",
 *    a surrogate "\xed\xa0\x80" or "\xf4\x90\x80\x80" (past U+10FFFF) is
 *    one per byte: their second byte already rules them out.
 *  - Removed: C0 controls but TAB and LF (CR is a line end, below), DEL,
 *    and the C1 controls U+0080..U+009F.  XML 1.0 forbids C0 controls
 *    and discourages DEL and C1; HTML calls them parse errors; libical
 *    writes them raw; no reader shows them.  C1 controls are what cp1252
 *    punctuation becomes after a wrong Latin-1 decoding.  Other code
 *    points (noncharacters, U+FEFF inside the text) are valid UTF-8 and
 *    kept; the XML writers drop the two XML forbids (utf8_clean).
 *  - Line ends: CRLF and a lone CR become LF, silently.  CommonMark and
 *    YAML both read a lone CR as a line end, so counting it as one keeps
 *    every parser's line numbers in agreement with ours; CRLF files give
 *    the same bytes, hence the same documents, as LF ones.
 *  - A UTF-8 BOM at the start is skipped, silently.
 *  - Not text, an error (the page keeps its last good version): a NUL
 *    byte anywhere (no text editor writes one; git and grep call such a
 *    file binary), or more than a quarter of the bytes (after a BOM) in
 *    invalid sequences or removed controls.  Random bytes are about 55%
 *    bad; UTF-8 text in any language is 0%; Latin-1 text in a western
 *    language stays under a tenth (accented letters are a minority), and
 *    is worth publishing with a few U+FFFD.  A Cyrillic, Greek or Chinese
 *    text in a legacy encoding is mostly bad bytes: published, it would
 *    be a page of U+FFFD, so the organizer is told to save it as UTF-8
 *    instead.  The whole file counts, not a first window: a junk tail
 *    is as unpublishable as a junk head.
 */
#include <stdio.h>
#include <string.h>

#include "text.h"
#include "utf8.h"

#define BAD_SHARE	4	/* not text: more than 1/BAD_SHARE bad bytes */

/*
 * Length of the well-formed UTF-8 sequence at p (n > 0 bytes left), or
 * 0 with *bad the length of the maximal subpart there (Unicode table 3-7:
 * the second byte's range depends on the first, the others are
 * 80..BF).
 */
static size_t
utf8_span(const unsigned char *p, size_t n, size_t *bad)
{
	unsigned char lo = 0x80, hi = 0xbf;
	size_t need, i;

	if (p[0] < 0x80)
		return 1;
	if (p[0] >= 0xc2 && p[0] <= 0xdf)
		need = 1;
	else if (p[0] >= 0xe0 && p[0] <= 0xef) {
		need = 2;
		if (p[0] == 0xe0)
			lo = 0xa0;	/* overlong below */
		else if (p[0] == 0xed)
			hi = 0x9f;	/* surrogates above */
	} else if (p[0] >= 0xf0 && p[0] <= 0xf4) {
		need = 3;
		if (p[0] == 0xf0)
			lo = 0x90;	/* overlong below */
		else if (p[0] == 0xf4)
			hi = 0x8f;	/* past U+10FFFF above */
	} else {
		*bad = 1;		/* 80..C1, F5..FF: never a lead */
		return 0;
	}
	for (i = 1; i <= need; i++) {
		if (i >= n || p[i] < lo || p[i] > hi) {
			*bad = i;
			return 0;
		}
		lo = 0x80;
		hi = 0xbf;
	}
	return need + 1;
}

static void
note(struct text *t, struct text_fix *f, int line, const unsigned char *p,
    size_t n)
{
	if (f->count == 0) {
		memcpy(f->first, p, n);
		f->first_len = n;
	}
	if (t->first_line == 0)
		t->first_line = line;
	f->count++;
	f->bytes += n;
	if (f->nlines == 0 || f->last_line != line) {	/* lines only grow */
		if (f->nlines < TEXT_LINES_NOTED)
			f->lines[f->nlines] = line;
		f->nlines++;
		f->last_line = line;
	}
}

/* Starts the copy at the first fix: clean files are never copied. */
static void
copy_run(struct text *t, const char *data, size_t from, size_t to,
    size_t len)
{
	if (!t->copied) {
		buf_init(&t->copy);
		buf_reserve(&t->copy, len);	/* mostly the size it ends */
		t->copied = 1;
	}
	buf_add(&t->copy, data + from, to - from);
}

int
text_sanitize(struct text *t, const char *data, size_t len)
{
	const unsigned char *p;
	size_t i = 0, run = 0, k, bad = 0;
	int line = 1;

	memset(t, 0, sizeof *t);
	if (len >= 3 && memcmp(data, "\xef\xbb\xbf", 3) == 0) {
		data += 3;
		len -= 3;
		t->bom = 1;
	}
	p = (const unsigned char *)data;
	t->len_in = len;
	while (i < len) {
		if ((p[i] >= 0x20 && p[i] < 0x7f) || p[i] == '\t') {
			i++;
			continue;
		}
		if (p[i] == '\n') {
			line++;
			i++;
			continue;
		}
		k = 0;
		if (p[i] >= 0x80 && (k = utf8_span(p + i, len - i, &bad)) != 0 &&
		    !(p[i] == 0xc2 && p[i + 1] < 0xa0)) {
			i += k;
			continue;
		}
		if (p[i] == '\0') {
			t->nul_line = line;
			t->not_text = 1;
			break;
		}
		copy_run(t, data, run, i, len);
		if (p[i] == '\r') {
			buf_addc(&t->copy, '\n');
			i += i + 1 < len && p[i + 1] == '\n' ? 2 : 1;
			line++;
		} else if (k != 0) {			/* C1: C2 80..C2 9F */
			note(t, &t->control, line, p + i, k);
			i += k;
		} else if (p[i] >= 0x80) {
			note(t, &t->invalid, line, p + i, bad);
			buf_add(&t->copy, "\xef\xbf\xbd", 3);
			i += bad;
		} else {				/* C0 or DEL */
			note(t, &t->control, line, p + i, 1);
			i++;
		}
		run = i;
	}
	if ((t->invalid.bytes + t->control.bytes) * BAD_SHARE > len)
		t->not_text = 1;
	if (t->not_text) {
		text_free(t);
		t->data = NULL;
		t->len = 0;
		return -1;
	}
	if (t->copied) {
		buf_add(&t->copy, data + run, len - run);
		t->data = t->copy.data;
		t->len = t->copy.len;
	} else {
		t->data = data;
		t->len = len;
	}
	return 0;
}

/* "12", "12 and 30", "12, 14, 30, 31, 40 and 3 more" */
static void
lines_text(const struct text_fix *f, char *out, size_t size)
{
	size_t i, noted = f->nlines < TEXT_LINES_NOTED ? f->nlines :
	    TEXT_LINES_NOTED;
	int n = 0;

	out[0] = '\0';
	for (i = 0; i < noted && n >= 0 && (size_t)n < size; i++)
		n += snprintf(out + n, size - (size_t)n, "%s%d",
		    i == 0 ? "" : i + 1 == noted && f->nlines == noted ?
		    " and " : ", ", f->lines[i]);
	if (f->nlines > noted && n >= 0 && (size_t)n < size)
		snprintf(out + n, size - (size_t)n, " and %zu more",
		    f->nlines - noted);
}

/* " 0xE2 0x82": the bytes of the first fix. */
static void
bytes_text(const struct text_fix *f, char *out, size_t size)
{
	size_t i;
	int n = 0;

	out[0] = '\0';
	for (i = 0; i < f->first_len && n >= 0 && (size_t)n < size; i++)
		n += snprintf(out + n, size - (size_t)n, " 0x%02X",
		    f->first[i]);
}

/* ", 3 in all, on lines 12, 14 and 30" or nothing for one. */
static void
spread_text(const struct text_fix *f, char *out, size_t size)
{
	char lines[96];

	out[0] = '\0';
	if (f->count < 2)
		return;
	lines_text(f, lines, sizeof lines);
	snprintf(out, size, "; %zu in all, on line%s %s", f->count,
	    f->nlines == 1 ? "" : "s", lines);
}

static uint32_t
control_code_point(const struct text_fix *f)
{
	return f->first_len == 2 ? f->first[1] : f->first[0];	/* C1: C2 xx */
}

void
text_diags(const struct text *t, struct diags *d)
{
	char bytes[32], spread[160];
	size_t bad = t->invalid.bytes + t->control.bytes;

	if (t->nul_line != 0) {
		diags_add(d, DIAG_ERROR, t->nul_line, "the file holds a NUL "
		    "byte: it is not text (binary file?)");
		return;
	}
	if (t->not_text) {
		diags_add(d, DIAG_ERROR, t->first_line, "the file is not "
		    "text: %zu of its %zu bytes are invalid UTF-8 or control "
		    "characters; if it is text, save it as UTF-8", bad,
		    t->len_in);
		return;
	}
	if (t->invalid.count > 0) {
		bytes_text(&t->invalid, bytes, sizeof bytes);
		spread_text(&t->invalid, spread, sizeof spread);
		diags_add(d, DIAG_WARNING, t->invalid.lines[0], "invalid UTF-8 "
		    "(byte%s%s) replaced by U+FFFD%s; save the file as UTF-8",
		    t->invalid.first_len > 1 ? "s" : "", bytes, spread);
	}
	if (t->control.count > 0) {
		spread_text(&t->control, spread, sizeof spread);
		diags_add(d, DIAG_WARNING, t->control.lines[0], "control "
		    "character U+%04X removed%s", control_code_point(
		    &t->control), spread);
	}
}

void
text_free(struct text *t)
{
	if (t->copied)
		buf_free(&t->copy);
	t->copied = 0;
}

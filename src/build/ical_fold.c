/*
 * ical_fold.c -- every calendar's line breaks, whatever libical wrote.
 *
 * libical 3.0.16 folds a property's text with its CRLF counted in: when
 * what is left of a line, CRLF included, is 75 or 76 octets with no ';',
 * ':' or ' ' to fold after, it folds between the CR and the LF ("...\r"
 * "\r\n " "\n": a bare CR, then a continuation line holding only the LF)
 * or before the CR (an empty continuation line).  iCloud and ical4j-based
 * servers reject both.  So every text crier has libical serialise
 * (ical_fold_component(): VEVENTs, heads, VTIMEZONEs, whole calendars)
 * goes through ical_fold():
 * each content line that is not correct as it stands is unfolded -- a
 * line break followed by a space or tab is removed, and with it any CR,
 * which no value crier writes holds (render_ical.c escapes or removes
 * them) -- and folded again at ICAL_FOLD_MAX octets, backing up to the
 * start of a UTF-8 character.  A correct line, folded by libical after a
 * ':' or not, is kept as it is.
 *
 * What is done to a line depends only on that line, so a calendar
 * stitched from pieces folded apart is byte for byte one folded whole.
 * It is on the path of every VEVENT serialised (tens of thousands at
 * start-up), so correct lines are only looked at (a memchr() or two a
 * physical line) and copied a run of them at a time; only lines to mend
 * are gathered into a scratch buffer.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ical_fold.h"
#include "util.h"

/* At most this many bytes continue a UTF-8 character (RFC 3629). */
#define UTF8_TAIL	3

static int
is_tail_byte(char c)
{
	return ((unsigned char)c & 0xc0) == 0x80;
}

/* Does the line break at nl continue on the next line? */
static int
folds(const char *nl, const char *end)
{
	return nl + 1 < end && (nl[1] == ' ' || nl[1] == '\t');
}

/*
 * Where the content line at p ends (after its CRLF) when it is correct
 * as it stands, else NULL: each physical line 1 to ICAL_FOLD_MAX octets
 * and CRLF-ended, no other CR or LF, no leading blank, continuations a
 * space and at least one octet that does not continue a character.
 */
static const char *
correct_line(const char *p, const char *end)
{
	const char *nl;
	size_t n;
	int first = 1;

	for (;;) {
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL ||
		    nl == p || nl[-1] != '\r')
			return NULL;
		n = (size_t)(nl - 1 - p);
		if (n == 0 || n > ICAL_FOLD_MAX ||
		    memchr(p, '\r', n) != NULL)
			return NULL;
		if (first ? (*p == ' ' || *p == '\t') :
		    (*p != ' ' || n < 2 || is_tail_byte(p[1])))
			return NULL;
		first = 0;
		p = nl + 1;
		if (!folds(nl, end))
			return p;
	}
}

/*
 * Appends one content line (no CR or LF in it), folded, then CRLF.
 * Leading blanks are dropped: a line starting with one would be read as
 * the continuation of the line before it, which may be another piece's.
 */
static void
fold_line(struct buf *out, const char *s, size_t n)
{
	size_t room = ICAL_FOLD_MAX, cut, k;

	while (n > 0 && (*s == ' ' || *s == '\t')) {
		s++;
		n--;
	}
	if (n == 0)
		return;		/* an empty line is no content line */
	buf_reserve(out, n + n / (ICAL_FOLD_MAX - 1) * 3 + 2);
	while (n > room) {
		/* s[cut] starts the next physical line: not mid-character. */
		cut = room;
		for (k = 0; k < UTF8_TAIL && is_tail_byte(s[cut]); k++)
			cut--;
		if (is_tail_byte(s[cut]))
			cut = room;	/* not UTF-8: no boundary to keep */
		buf_add(out, s, cut);
		buf_add(out, "\r\n ", 3);
		s += cut;
		n -= cut;
		room = ICAL_FOLD_MAX - 1;	/* after the space */
	}
	buf_add(out, s, n);
	buf_add(out, "\r\n", 2);
}

/*
 * The content line starting at p, unfolded into line without its CRs;
 * returns where the next one starts.
 */
static const char *
unfold(struct buf *line, const char *p, const char *end)
{
	const char *nl, *e, *q;

	buf_reset(line);
	for (;;) {
		nl = memchr(p, '\n', (size_t)(end - p));
		e = nl != NULL ? nl : end;
		while ((q = memchr(p, '\r', (size_t)(e - p))) != NULL) {
			buf_add(line, p, (size_t)(q - p));
			p = q + 1;
		}
		buf_add(line, p, (size_t)(e - p));
		if (nl == NULL)
			return end;
		if (!folds(nl, end))
			return nl + 1;
		p = nl + 2;
	}
}

void
ical_fold(struct buf *out, const char *text, size_t len)
{
	const char *p = text, *end = text + len, *run = text, *next;
	struct buf line = { NULL, 0, 0 };	/* made on first need */

	while (p < end) {
		if ((next = correct_line(p, end)) != NULL) {
			p = next;
			continue;
		}
		buf_add(out, run, (size_t)(p - run));
		if (line.data == NULL)
			buf_init(&line);
		p = unfold(&line, p, end);
		fold_line(out, line.data, line.len);
		run = p;
	}
	buf_add(out, run, (size_t)(p - run));
	buf_free(&line);
}

size_t
ical_fold_component(struct buf *out, icalcomponent *c)
{
	char *s = icalcomponent_as_ical_string_r(c);
	size_t before = out->len;

	if (s == NULL) {
		fprintf(stderr, "crier: libical failed to build calendar "
		    "text\n");
		abort();
	}
	ical_fold(out, s, strlen(s));
	icalmemory_free_buffer(s);
	return out->len - before;
}

/*
 * test_text.c -- a content file's bytes made into clean text (text.c):
 * one U+FFFD per maximal subpart, controls removed, CRLF and a BOM
 * accepted silently, NUL bytes and junk refused; then whole pages and
 * .ics files with bad bytes published, with warnings on the real line.
 */
#include <stdlib.h>
#include <string.h>

#include "fixture.h"
#include "site_fixture.h"

#include "page.h"
#include "text.h"
#include "utf8.h"
#include "util.h"

#define R "\xef\xbf\xbd"	/* U+FFFD */

struct clean_case {
	const char	*in;
	const char	*out;
	size_t		 invalid;	/* U+FFFD written */
	size_t		 control;	/* removed */
};

/* The cases of Unicode's "maximal subpart" practice, and controls. */
static const struct clean_case cases[] = {
	{ "plain ascii\n", "plain ascii\n", 0, 0 },
	{ "caf\xe9!", "caf" R "!", 1, 0 },			/* Latin-1 */
	{ "\xe9", R, 1, 0 },
	{ "a\x80\x80z", "a" R R "z", 2, 0 },	/* lone continuations */
	{ "\xc0\xaf", R R, 2, 0 },		/* overlong '/', C0 */
	{ "\xc1\xbf", R R, 2, 0 },		/* overlong, C1 lead */
	{ "\xe0\x80\xaf", R R R, 3, 0 },	/* overlong, 3 bytes */
	{ "\xe0\x9f\xbf", R R R, 3, 0 },
	{ "\xe0\xa0\x80", "\xe0\xa0\x80", 0, 0 },	/* U+0800 */
	{ "\xf0\x80\x80\xaf", R R R R, 4, 0 },	/* overlong, 4 bytes */
	{ "\xf0\x90\x80\x80", "\xf0\x90\x80\x80", 0, 0 },	/* U+10000 */
	{ "\xed\xa0\x80", R R R, 3, 0 },	/* surrogate U+D800 */
	{ "\xed\xbf\xbf", R R R, 3, 0 },	/* surrogate U+DFFF */
	{ "\xed\x9f\xbf", "\xed\x9f\xbf", 0, 0 },	/* U+D7FF */
	{ "\xf4\x8f\xbf\xbf", "\xf4\x8f\xbf\xbf", 0, 0 },	/* U+10FFFF */
	{ "\xf4\x90\x80\x80", R R R R, 4, 0 },	/* U+110000 */
	{ "\xf5\x80\x80\x80", R R R R, 4, 0 },
	{ "\xf8\x88\x80\x80\x80", R R R R R, 5, 0 },	/* old 5-byte form */
	{ "\xfe\xff", R R, 2, 0 },
	{ "\xe2\x82z", R "z", 1, 0 },		/* truncated: one U+FFFD */
	{ "\xe2\x82", R, 1, 0 },		/* truncated at the end */
	{ "\xf0\x9f\x98", R, 1, 0 },
	{ "\xf0\x9f\x98\xe2\x82\xac", R "\xe2\x82\xac", 1, 0 },
	{ "\xf0\x9f", R, 1, 0 },
	{ "\xf0", R, 1, 0 },
	{ "\xc3", R, 1, 0 },
	/* Unicode's own example (chapter 3, table 3-8). */
	{ "\x61\xf1\x80\x80\xe1\x80\xc2\x62\x80\x63\x80\xbf\x64",
	  "a" R R R "b" R "c" R R "d", 6, 0 },
	/* Controls: C0 but TAB and LF, DEL, C1; NBSP and U+FEFF stay. */
	{ "a\x01" "b\x1b[1mc\x7f" "d", "ab[1mcd", 0, 3 },
	{ "\tx\x0c\x0by\x1f", "\txy", 0, 3 },
	{ "\xc2\x80\xc2\x85x\xc2\x9f", "x", 0, 3 },
	{ "\xc2\xa0\xef\xbb\xbf", "\xc2\xa0\xef\xbb\xbf", 0, 0 },
	{ "\xef\xbf\xbe\xef\xbf\xbf", "\xef\xbf\xbe\xef\xbf\xbf", 0, 0 },
	/* Line ends: CRLF and a lone CR become LF, silently. */
	{ "a\r\nb\rc\n\r\r\n", "a\nb\nc\n\n\n", 0, 0 },
	{ "x\r", "x\n", 0, 0 },
	/* A BOM at the start is skipped; a U+FEFF later is text. */
	{ "\xef\xbb\xbfhi", "hi", 0, 0 },
	{ "\xef\xbb\xbf", "", 0, 0 },
	{ "\xef\xbb", R, 1, 0 },
};

/* Enough text that a few bad bytes stay under a quarter of the file. */
#define PAD "................................................................"

static void
clean_cases(void **state)
{
	struct buf in, out;
	struct text t;
	size_t i;

	(void)state;
	for (i = 0; i < nitems(cases); i++) {
		const struct clean_case *c = &cases[i];

		buf_init(&in);
		buf_init(&out);
		buf_printf(&in, "%s" PAD, c->in);
		buf_printf(&out, "%s" PAD, c->out);
		assert_int_equal(text_sanitize(&t, in.data, in.len), 0);
		if (t.len != out.len || memcmp(t.data, out.data, t.len) != 0)
			fail_msg("case %zu: got \"%.*s\"", i, (int)t.len,
			    t.data);
		buf_free(&in);
		buf_free(&out);
		assert_int_equal(t.invalid.count, c->invalid);
		assert_int_equal(t.control.count, c->control);
		assert_false(t.not_text);
		text_free(&t);
	}
}

/* A clean file, or one that only starts with a BOM, is not copied. */
static void
clean_file_not_copied(void **state)
{
	static const char plain[] = "---\ntitle: Été 云\n---\nBody\ttext\n";
	static const char bom[] = "\xef\xbb\xbfHello";
	struct text t;

	(void)state;
	assert_int_equal(text_sanitize(&t, plain, strlen(plain)), 0);
	assert_ptr_equal(t.data, plain);
	assert_int_equal(t.len, strlen(plain));
	assert_false(t.copied);
	text_free(&t);
	assert_int_equal(text_sanitize(&t, bom, strlen(bom)), 0);
	assert_ptr_equal(t.data, bom + 3);
	assert_true(t.bom);
	assert_false(t.copied);
	text_free(&t);
}

/* Lines are the file's: LF, CRLF and a lone CR each end one. */
static void
lines_are_real(void **state)
{
	static const char in[] =
	    "ok\r\n"			/* 1 */
	    "x\xe9\r"			/* 2: lone CR */
	    "y\n"			/* 3 */
	    "\xe9\xe9\r\n"		/* 4 */
	    "z\x01\n"			/* 5 */
	    "\xc2\x85" PAD;		/* 6 */
	struct text t;

	(void)state;
	assert_int_equal(text_sanitize(&t, in, strlen(in)), 0);
	assert_int_equal(t.invalid.count, 3);
	assert_int_equal(t.invalid.nlines, 2);
	assert_int_equal(t.invalid.lines[0], 2);
	assert_int_equal(t.invalid.lines[1], 4);
	assert_int_equal(t.control.count, 2);
	assert_int_equal(t.control.lines[0], 5);
	assert_int_equal(t.control.lines[1], 6);
	assert_int_equal(t.first_line, 2);
	assert_string_equal(t.data, "ok\nx" R "\ny\n" R R "\nz\n" PAD);
	text_free(&t);
}

/* Whatever the bytes, what comes out is valid UTF-8 without controls,
 * with as many lines, and cleaning it again changes nothing. */
static void
clean_properties(void **state)
{
	static const char *const bits[] = { "a", " ", "\t", "\n", "\r",
	    "\r\n", "\x01", "\x7f", "\xff", "\xe9", "\xc0\xae", "\xc2\x85",
	    "\xc2\xa0", "\xe2\x82\xac", "\xe2\x82", "\xed\xa0\x80",
	    "\xef\xbf\xbe", "\xf0\x9f\x98\x80", "\xf0\x9f\x98", "\xf4\x90",
	    "\xef\xbb\xbf", "<&>", "\xc3\xa9" };
	struct buf in;
	struct text t, again;
	unsigned seed = 4242;
	size_t i, ends, lfs;
	int round, k;

	(void)state;
	for (round = 0; round < 3000; round++) {
		buf_init(&in);
		for (k = 0; k < round % 50; k++) {
			seed = seed * 1103515245 + 12345;
			buf_addstr(&in, bits[(seed >> 16) % nitems(bits)]);
		}
		/* Half a file of junk would be refused: keep it text. */
		buf_addstr(&in, "padding padding padding padding padding "
		    "padding padding padding padding padding padding "
		    "padding padding padding padding padding padding "
		    "padding padding padding padding padding padding ");
		if (text_sanitize(&t, in.data, in.len) == -1)
			fail_msg("round %d refused", round);
		assert_true(utf8_valid(t.data, t.len));
		for (ends = 0, i = 0; i < in.len; i++)
			ends += in.data[i] == '\n' || (in.data[i] == '\r' &&
			    (i + 1 == in.len || in.data[i + 1] != '\n'));
		for (lfs = 0, i = 0; i < t.len; i++) {
			unsigned char c = (unsigned char)t.data[i];

			lfs += c == '\n';
			assert_true(c >= 0x20 || c == '\t' || c == '\n');
			assert_true(c != 0x7f);
			if (c == 0xc2)
				assert_true((unsigned char)t.data[i + 1] >=
				    0xa0);
		}
		assert_int_equal(lfs, ends);
		/* Again: the same, but for a U+FEFF the first cleaning left
		 * at the start, which is now a BOM. */
		assert_int_equal(text_sanitize(&again, t.data, t.len), 0);
		assert_int_equal(again.invalid.count + again.control.count, 0);
		assert_int_equal(again.len + 3 * again.bom, t.len);
		assert_memory_equal(again.data, t.data + 3 * again.bom,
		    again.len);
		text_free(&again);
		text_free(&t);
		buf_free(&in);
	}
}

static void
not_text(void **state)
{
	static const char nul[] = "---\ntitle: x\n---\n\n\0rest";
	unsigned char junk[600];
	struct diags d;
	struct text t;
	unsigned seed = 7;
	size_t i;

	(void)state;
	diags_init(&d);
	assert_int_equal(text_sanitize(&t, nul, sizeof nul - 1), -1);
	assert_true(t.not_text);
	assert_null(t.data);
	assert_int_equal(t.nul_line, 5);
	text_diags(&t, &d);
	assert_int_equal(d.n, 1);
	assert_int_equal(d.v[0].level, DIAG_ERROR);
	assert_int_equal(d.v[0].line, 5);
	assert_string_equal(d.v[0].message, "the file holds a NUL byte: it "
	    "is not text (binary file?)");
	text_free(&t);
	diags_free(&d);

	/* Random bytes without a NUL: about 60% of them are bad. */
	for (i = 0; i < sizeof junk; i++) {
		seed = seed * 1103515245 + 12345;
		junk[i] = (unsigned char)((seed >> 16) % 255 + 1);
	}
	junk[0] = 'x';
	junk[1] = '\n';
	junk[2] = 0xff;
	assert_int_equal(text_sanitize(&t, (char *)junk, sizeof junk), -1);
	assert_int_equal(t.nul_line, 0);
	text_diags(&t, &d);
	assert_int_equal(d.n, 1);
	assert_int_equal(d.v[0].level, DIAG_ERROR);
	assert_int_equal(d.v[0].line, 2);
	assert_non_null(strstr(d.v[0].message, "the file is not text: "));
	assert_non_null(strstr(d.v[0].message, "of its 600 bytes are "
	    "invalid UTF-8 or control characters; if it is text, save it "
	    "as UTF-8"));
	text_free(&t);
	diags_free(&d);

	/* The line: a quarter of the bytes bad is still text, more is not;
	 * a BOM does not count. */
	assert_int_equal(text_sanitize(&t, "ab\xe9\x01" "cdef", 8), 0);
	text_free(&t);
	assert_int_equal(text_sanitize(&t, "\xef\xbb\xbf" "ab\xe9\x01" "cde",
	    10), -1);
	text_free(&t);
	/* Cyrillic saved as cp1251: text, but not UTF-8 at all. */
	assert_int_equal(text_sanitize(&t, "---\ntitle: \xcf\xf0\xe8\xe2"
	    "\xe5\xf2\n---\n\xcf\xf0\xe8\xe2\xe5\xf2, \xec\xe8\xf0!\n", 34),
	    -1);
	text_free(&t);
}

static void
diag_messages(void **state)
{
	static const char one[] = "---\ntitle: Caf\xe9\n---\n";
	static const char many[] = "\xe2\x82z\n\xe9\n\n\xe9\n\xe9\xe9\n\xe9\n"
	    "\xe9\n\xe9\n" "\x1b\x1b\n\x7f\n" "padding padding padding padding";
	static const char c1[] = "a\xc2\x92" "b" PAD;
	struct diags d;
	struct text t;

	(void)state;
	diags_init(&d);
	assert_int_equal(text_sanitize(&t, one, strlen(one)), 0);
	text_diags(&t, &d);
	assert_int_equal(d.n, 1);
	assert_int_equal(d.v[0].level, DIAG_WARNING);
	assert_int_equal(d.v[0].line, 2);
	assert_string_equal(d.v[0].message, "invalid UTF-8 (byte 0xE9) "
	    "replaced by U+FFFD; save the file as UTF-8");
	text_free(&t);
	diags_free(&d);

	assert_int_equal(text_sanitize(&t, many, strlen(many)), 0);
	text_diags(&t, &d);
	assert_int_equal(d.n, 2);
	assert_int_equal(d.v[0].line, 1);
	assert_string_equal(d.v[0].message, "invalid UTF-8 (bytes 0xE2 "
	    "0x82) replaced by U+FFFD; 8 in all, on lines 1, 2, 4, 5, 6 and "
	    "2 more; save the file as UTF-8");
	assert_int_equal(d.v[1].level, DIAG_WARNING);
	assert_int_equal(d.v[1].line, 9);
	assert_string_equal(d.v[1].message, "control character U+001B "
	    "removed; 3 in all, on lines 9 and 10");
	text_free(&t);
	diags_free(&d);

	assert_int_equal(text_sanitize(&t, c1, strlen(c1)), 0);
	text_diags(&t, &d);
	assert_int_equal(d.n, 1);
	assert_string_equal(d.v[0].message, "control character U+0092 "
	    "removed");
	text_free(&t);
	diags_free(&d);

	/* Two on one line: that line, once. */
	assert_int_equal(text_sanitize(&t, "\n\xe9x\xe9" PAD, 4 + 64), 0);
	text_diags(&t, &d);
	assert_string_equal(d.v[0].message, "invalid UTF-8 (byte 0xE9) "
	    "replaced by U+FFFD; 2 in all, on line 2; save the file as "
	    "UTF-8");
	text_free(&t);
	diags_free(&d);

	/* CRLF and a BOM alone say nothing. */
	assert_int_equal(text_sanitize(&t, "\xef\xbb\xbf" "a\r\nb\r\n", 9), 0);
	text_diags(&t, &d);
	assert_int_equal(d.n, 0);
	text_free(&t);
	diags_free(&d);
}

/* --- whole files ----------------------------------------------------- */

static struct page *
parse(const char *path, const char *text)
{
	return page_parse(&cfg, path, text, strlen(text));
}

static const struct diag *
find_diag(const struct page *p, enum diag_level level, const char *needle)
{
	size_t i;

	for (i = 0; i < p->diags.n; i++)
		if (p->diags.v[i].level == level &&
		    strstr(p->diags.v[i].message, needle) != NULL)
			return &p->diags.v[i];
	return NULL;
}

/* Latin-1 bytes in the title and the body: published, with U+FFFD, and
 * the warning names the line of the first; other diagnostics keep their
 * lines. */
static void
page_with_bad_bytes_published(void **state)
{
	static const char text[] =
	    "---\n"					/* 1 */
	    "title: Caf\xe9 \x01night\n"		/* 2 */
	    "date: 2026-03-01T10:00:00Z\n"		/* 3 */
	    "lastmod: 2026-02-30\n"			/* 4: bad date */
	    "---\n"					/* 5 */
	    "\n"					/* 6 */
	    "Cr\xe8me br\xfbl\xe9\x65.\n"		/* 7 */
	    "\n"
	    "## Talk\n"					/* 9 */
	    "\n"
	    "- **When:** 2026-05-06 (Thu) 19:00-20:00\n";	/* 11 */
	struct page *p = parse("news/cafe.md", text);
	const struct diag *d;

	(void)state;
	assert_true(p->ok);
	assert_string_equal(p->title, "Caf" R " night");
	assert_non_null(strstr(p->html, "Cr" R "me br" R "l" R "e."));
	assert_true(utf8_valid(p->html, strlen(p->html)));
	assert_non_null(d = find_diag(p, DIAG_WARNING, "invalid UTF-8"));
	assert_int_equal(d->line, 2);
	assert_string_equal(d->message, "invalid UTF-8 (byte 0xE9) replaced "
	    "by U+FFFD; 4 in all, on lines 2 and 7; save the file as UTF-8");
	assert_non_null(d = find_diag(p, DIAG_WARNING, "control character"));
	assert_int_equal(d->line, 2);
	assert_non_null(d = find_diag(p, DIAG_ERROR, "2026-02-30"));
	assert_int_equal(d->line, 4);
	assert_non_null(d = find_diag(p, DIAG_WARNING, "Thu"));
	assert_int_equal(d->line, 11);
	assert_int_equal(p->nevents, 1);
	assert_int_equal(p->events[0].line, 11);
	page_free(p);
}

/* The same lines with CRLF ends, a BOM and bad bytes: same lines. */
static void
page_lines_with_crlf(void **state)
{
	static const char text[] =
	    "\xef\xbb\xbf---\r\n"			/* 1 */
	    "title: T\r\n"				/* 2 */
	    "date: 2026-03-01T10:00:00Z\r\n"		/* 3 */
	    "title: again\r\n"				/* 4: duplicate */
	    "---\r\n"					/* 5 */
	    "\xe9\r\n"					/* 6 */
	    "## Talk\r\n"				/* 7 */
	    "\r\n"
	    "- **When:** 2026-05-06 (Thu) 19:00-20:00\r\n";	/* 9 */
	struct page *p = parse("news/crlf.md", text);
	const struct diag *d;

	(void)state;
	assert_true(p->ok);
	assert_non_null(d = find_diag(p, DIAG_WARNING, "invalid UTF-8"));
	assert_int_equal(d->line, 6);
	assert_non_null(d = find_diag(p, DIAG_WARNING, "title"));
	assert_int_equal(d->line, 4);
	assert_non_null(d = find_diag(p, DIAG_WARNING, "Thu"));
	assert_int_equal(d->line, 9);
	page_free(p);
}

static void
assert_pages_same(const struct page *a, const struct page *b)
{
	size_t i;

	assert_true(a->ok && b->ok);
	assert_string_equal(a->title, b->title);
	assert_string_equal(a->html, b->html);
	assert_string_equal(a->summary, b->summary);
	assert_int_equal(a->published, b->published);
	assert_int_equal(a->content_hash, b->content_hash);
	assert_int_equal(a->nevents, b->nevents);
	for (i = 0; i < a->nevents; i++) {
		assert_string_equal(a->events[i].uid, b->events[i].uid);
		assert_int_equal(a->events[i].hash, b->events[i].hash);
		assert_int_equal(a->events[i].line, b->events[i].line);
	}
	assert_int_equal(a->diags.n, b->diags.n);
	for (i = 0; i < a->diags.n; i++) {
		assert_int_equal(a->diags.v[i].line, b->diags.v[i].line);
		assert_string_equal(a->diags.v[i].message,
		    b->diags.v[i].message);
	}
}

/* CRLF and a BOM: the page an LF file without one gives, hash included
 * (so the state sees no change when an editor converts line ends). */
static void
page_crlf_bom_same_as_lf(void **state)
{
	static const char lf[] =
	    "---\ntitle: \"Night\"\ndate: 2026-03-01T10:00:00Z\n"
	    "description: |\n  two\n  lines\n"
	    "events:\n  - title: Meetup\n    start: 2026-12-03T18:30\n"
	    "    duration: 2h\n---\n# Heading\n\nText  \nbreak\n\n"
	    "```\ncode\n```\n\n## Talk\n\n"
	    "- **When:** 2026-05-06 (Thu) 19:00-20:00\n";
	struct buf crlf;
	struct page *a, *b;
	size_t i;

	(void)state;
	buf_init(&crlf);
	buf_addstr(&crlf, "\xef\xbb\xbf");
	for (i = 0; lf[i] != '\0'; i++)
		buf_addstr(&crlf, lf[i] == '\n' ? "\r\n" : (char[]){ lf[i],
		    '\0' });
	a = parse("news/n.md", lf);
	b = page_parse(&cfg, "news/n.md", crlf.data, crlf.len);
	assert_pages_same(a, b);
	assert_int_equal(a->nevents, 2);
	assert_int_equal(diags_count(&b->diags, DIAG_WARNING), 1);
	page_free(a);
	page_free(b);
	buf_free(&crlf);
}

/* A NUL byte or binary junk stays an error, on the NUL's line. */
static void
page_not_text_refused(void **state)
{
	static const char nul[] = "---\ntitle: x\n---\nfine\n\0\1\2";
	static const char junk[] = "\x89PNG\r\n\x1a\n\xff\xd8\xff\xe0\x10\x4a"
	    "\xfe\x9b\x81\xc9\x07\xf3";
	struct page *a = page_parse(&cfg, "b.md", nul, sizeof nul - 1);
	struct page *b = page_parse(&cfg, "c.md", junk, sizeof junk - 1);
	struct page *c = page_parse(&cfg, "d.ics", nul, sizeof nul - 1);

	(void)state;
	assert_false(a->ok);
	assert_int_equal(a->diags.n, 1);
	assert_int_equal(a->diags.v[0].level, DIAG_ERROR);
	assert_int_equal(a->diags.v[0].line, 5);
	assert_non_null(strstr(a->diags.v[0].message, "NUL"));
	assert_false(b->ok);
	assert_int_equal(b->diags.n, 1);
	assert_int_equal(b->diags.v[0].level, DIAG_ERROR);
	assert_int_equal(b->diags.v[0].line, 1);
	assert_non_null(strstr(b->diags.v[0].message, "not text"));
	assert_false(c->ok);
	assert_int_equal(c->diags.v[0].line, 5);
	page_free(a);
	page_free(b);
	page_free(c);
}

/* A dropped .ics file: the same policy. */
static void
ics_with_bad_bytes_published(void **state)
{
	static const char text[] =
	    "BEGIN:VCALENDAR\r\n"			/* 1 */
	    "VERSION:2.0\r\n"
	    "PRODID:-//x//y//EN\r\n"
	    "BEGIN:VEVENT\r\n"
	    "UID:cafe@example.org\r\n"			/* 5 */
	    "DTSTAMP:20260101T000000Z\r\n"
	    "DTSTART:20261203T180000Z\r\n"
	    "DTEND:20261203T190000Z\r\n"
	    "SUMMARY:Caf\xe9 \x07" "evening\r\n"	/* 9 */
	    "LOCATION:R\xe9\r\n"			/* 10 */
	    " union\r\n"				/* folded */
	    "END:VEVENT\r\n"
	    "END:VCALENDAR\r\n";
	struct page *p = parse("events/cafe.ics", text);
	const struct diag *d;

	(void)state;
	assert_true(p->ok);
	assert_int_equal(p->nevents, 1);
	assert_string_equal(p->events[0].title, "Caf" R " evening");
	assert_string_equal(p->events[0].location, "R" R "union");
	assert_non_null(d = find_diag(p, DIAG_WARNING, "invalid UTF-8"));
	assert_int_equal(d->line, 9);
	assert_non_null(strstr(d->message, "2 in all, on lines 9 and 10"));
	assert_non_null(d = find_diag(p, DIAG_WARNING, "U+0007"));
	assert_int_equal(d->line, 9);
	page_free(p);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(clean_cases),
		cmocka_unit_test(clean_file_not_copied),
		cmocka_unit_test(lines_are_real),
		cmocka_unit_test(clean_properties),
		cmocka_unit_test(not_text),
		cmocka_unit_test(diag_messages),
		cmocka_unit_test(page_with_bad_bytes_published),
		cmocka_unit_test(page_lines_with_crlf),
		cmocka_unit_test(page_crlf_bom_same_as_lf),
		cmocka_unit_test(page_not_text_refused),
		cmocka_unit_test(ics_with_bad_bytes_published),
	};

	return cmocka_run_group_tests_name("text", tests, setup_config,
	    teardown_config);
}

/*
 * test_ical_fold.c -- calendar line folding (ical_fold.c).
 *
 * Every content line from 60 to 160 octets, in ASCII and in 2-, 3- and
 * 4-byte UTF-8 characters at every alignment, is fed to ical_fold() as
 * one unfolded line, as libical 3.0.16 folds it (which puts a fold
 * between CR and LF, or leaves an empty continuation line, at some of
 * these lengths), and in hand-made shapes of those faults.  Each output
 * is checked byte by byte: CRLF line ends only, at most 75 octets a
 * physical line, continuation lines a space and at least one octet,
 * every physical line valid UTF-8 on its own (no character split), and
 * unfolded it is the line put in.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libical/ical.h>

#include "fixture.h"

#include "ical_fold.h"
#include "utf8.h"
#include "util.h"

/* One character of each width, UTF-8. */
static const char *const wide[] = { "a", "\xc3\xa9", "\xe4\xb8\xad",
    "\xf0\x9f\x8e\x89" };	/* a, e-acute, zhong, party popper */

static char *
fold(const char *in, size_t len)
{
	struct buf out;

	buf_init(&out);
	ical_fold(&out, in, len);
	return buf_steal(&out);
}

/*
 * Checks s's physical lines byte by byte and returns its content lines
 * unfolded (RFC 5545 3.1), each ended by '\n'.
 */
static char *
check_and_unfold(const char *s)
{
	const char *p = s, *eol;
	struct buf u;
	size_t n;

	buf_init(&u);
	while (*p != '\0') {
		eol = strstr(p, "\r\n");
		assert_non_null(eol);		/* the last line has its CRLF */
		n = (size_t)(eol - p);
		assert_true(n >= 1);		/* no empty line */
		assert_true(n <= ICAL_FOLD_MAX);
		assert_null(memchr(p, '\r', n));	/* no bare CR */
		assert_null(memchr(p, '\n', n));	/* no bare LF */
		assert_true(utf8_valid(p, n));	/* no character split */
		if (*p == ' ') {
			assert_true(n >= 2);	/* no empty continuation */
			assert_true(u.len > 0);
			u.len--;		/* the '\n' of the line before */
			buf_add(&u, p + 1, n - 1);
		} else
			buf_add(&u, p, n);
		buf_addc(&u, '\n');
		p = eol + 2;
	}
	return buf_steal(&u);
}

/*
 * A content line of exactly len octets: name ":" then characters of
 * width w, the ASCII padding that makes the length come out first
 * (pad octets) and last.
 */
static char *
make_line(const char *name, size_t len, size_t w, size_t pad)
{
	struct buf b;

	buf_init(&b);
	buf_printf(&b, "%s:", name);
	while (b.len < len && pad-- > 0)
		buf_addc(&b, 'x');
	while (b.len + w <= len)
		buf_addstr(&b, wide[w - 1]);
	while (b.len < len)
		buf_addc(&b, 'y');
	assert_int_equal(b.len, len);
	return buf_steal(&b);
}

/* in folded gives valid lines whose content is want ("\n"-ended). */
static void
check_fold(const char *in, size_t len, const char *want)
{
	char *out = fold(in, len), *got = check_and_unfold(out), *again;

	assert_string_equal(got, want);
	/* Folding correct text again changes nothing. */
	again = fold(out, strlen(out));
	assert_string_equal(again, out);
	free(again);
	free(got);
	free(out);
}

/* The fault shapes libical writes, made by hand from line (unfolded). */
static void
check_faults(const char *line)
{
	size_t n = strlen(line), cut;
	char *want = xasprintf("%s\n", line);
	struct buf b;

	buf_init(&b);
	/* Folded between CR and LF: "...\r" "\r\n " "\n". */
	buf_printf(&b, "%s\r\r\n \n", line);
	check_fold(b.data, b.len, want);
	/* An empty continuation line after the CRLF. */
	buf_reset(&b);
	buf_printf(&b, "%s\r\n \r\n", line);
	check_fold(b.data, b.len, want);
	/* Folded mid-character (or not), with a space or a tab: still whole
	 * characters out. */
	for (cut = n / 2; cut < n / 2 + 4; cut++) {
		buf_reset(&b);
		buf_add(&b, line, cut);
		buf_addstr(&b, cut % 2 ? "\r\n\t" : "\r\n ");
		buf_addstr(&b, line + cut);
		buf_addstr(&b, "\r\n");
		check_fold(b.data, b.len, want);
	}
	/* Bare LF line ends. */
	buf_reset(&b);
	buf_printf(&b, "%s\n", line);
	check_fold(b.data, b.len, want);
	buf_free(&b);
	free(want);
}

/* libical's own serialisation of the line as a property. */
static void
check_libical(const char *line)
{
	icalproperty *p = icalproperty_new_from_string(line);
	char *s, *want;

	assert_non_null(p);
	s = icalproperty_as_ical_string_r(p);
	assert_non_null(s);
	want = xasprintf("%s\n", line);
	check_fold(s, strlen(s), want);
	free(want);
	icalmemory_free_buffer(s);
	icalproperty_free(p);
}

static void
test_every_length(void **state)
{
	static const char *const names[] = { "SUMMARY", "DESCRIPTION",
	    "LOCATION", "URL", "X-WR-CALNAME" };
	size_t len, w, pad, k;
	char *line, *want;

	(void)state;
	for (k = 0; k < nitems(names); k++)
		for (len = 60; len <= 160; len++)
			for (w = 1; w <= 4; w++)
				for (pad = 0; pad < w; pad++) {
					line = make_line(names[k], len, w,
					    pad);
					want = xasprintf("%s\n", line);
					check_fold(line, len, want);
					check_faults(line);
					check_libical(line);
					free(want);
					free(line);
				}
}

/*
 * The lengths around the limit: 75 octets is one line, 76 a fold with
 * one octet (a space, then it) on the continuation; a character that
 * would straddle octet 75 moves to the next line whole.
 */
static void
test_limit(void **state)
{
	char *line, *out, *want;

	(void)state;
	line = make_line("SUMMARY", 75, 1, 0);
	out = fold(line, 75);
	assert_int_equal(strlen(out), 77);
	assert_memory_equal(out, line, 75);
	assert_string_equal(out + 75, "\r\n");
	free(out);
	free(line);

	line = make_line("SUMMARY", 76, 1, 0);
	out = fold(line, 76);
	assert_memory_equal(out, line, 75);
	assert_string_equal(out + 75, "\r\n a\r\n");
	free(out);
	free(line);

	/* 73 octets then a 3-byte character: octets 74-76 go on together. */
	line = make_line("SUMMARY", 76, 3, 73 - 8);
	assert_true(((unsigned char)line[73] & 0xf0) == 0xe0);
	out = fold(line, 76);
	assert_memory_equal(out, line, 73);
	assert_memory_equal(out + 73, "\r\n ", 3);
	assert_memory_equal(out + 76, line + 73, 3);
	assert_string_equal(out + 79, "\r\n");
	free(out);
	free(line);

	/* libical 3.0.16's fault at 81 octets, as it writes it. */
	line = make_line("SUMMARY", 81, 1, 0);
	out = xasprintf("SUMMARY:\r\n %s\r\r\n \n", line + 8);
	free(line);
	line = make_line("SUMMARY", 81, 1, 0);
	want = xasprintf("%s\n", line);
	check_fold(out, strlen(out), want);
	free(want);
	free(out);
	free(line);
}

/* Several lines at once; empty lines and leading blanks dropped. */
static void
test_lines(void **state)
{
	static const char in[] = "BEGIN:VEVENT\r\n\r\n  UID:1\r\n"
	    "SUMMARY:a\r\n b\r\n\tc\r\nEND:VEVENT\r\nX-NO-CRLF:z";
	static const char kept[] = "SUMMARY:\r\n abc\r\nX:\r\n \xc3\xa9\r\n";
	static const char split[] = "X:\xc3\r\n \xa9\r\n";
	char *out;

	(void)state;
	out = fold(in, sizeof in - 1);
	assert_string_equal(out, "BEGIN:VEVENT\r\nUID:1\r\nSUMMARY:abc\r\n"
	    "END:VEVENT\r\nX-NO-CRLF:z\r\n");
	free(out);

	/* Correct folds are kept where they are, libical's after ':' too. */
	out = fold(kept, sizeof kept - 1);
	assert_string_equal(out, kept);
	free(out);
	/* A fold before a character's second octet is not. */
	out = fold(split, sizeof split - 1);
	assert_string_equal(out, "X:\xc3\xa9\r\n");
	free(out);

	/* Nothing in, nothing out. */
	out = fold("", 0);
	assert_string_equal(out, "");
	free(out);
	out = fold("\r\n \r\n", 5);
	assert_string_equal(out, "");
	free(out);
}

/* Not UTF-8 (callers clean text first): still at most 75 octets a line. */
static void
test_not_utf8(void **state)
{
	struct buf b;
	char *out, *p, *eol;

	(void)state;
	buf_init(&b);
	buf_addstr(&b, "SUMMARY:");
	while (b.len < 300)
		buf_addc(&b, (char)0x80);
	buf_addstr(&b, "\r\n");
	out = fold(b.data, b.len);
	for (p = out; *p != '\0'; p = eol + 2) {
		eol = strstr(p, "\r\n");
		assert_non_null(eol);
		assert_true(eol - p <= ICAL_FOLD_MAX);
		assert_true(eol - p >= 2 || *p != ' ');
	}
	free(out);
	buf_free(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_length),
		cmocka_unit_test(test_limit),
		cmocka_unit_test(test_lines),
		cmocka_unit_test(test_not_utf8),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

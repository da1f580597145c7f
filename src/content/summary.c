/*
 * summary.c -- a post's summary as Hugo 0.111 makes it.
 *
 * Hugo's order: the text before the first "<!--more-->" (found in the raw
 * body, anywhere, as Hugo's page lexer finds it; the divider itself never
 * reaches the rendered page); else, when no summary is written, the plain
 * text cut after summaryLength words and then on to the end of that
 * sentence (TruncateWordsToWholeSentence); with hasCJKLanguage and a post
 * holding Han, kana or Hangul, cut after summaryLength words counting each
 * character of a word that is not ASCII (TruncateWordsByRune).  Hugo's
 * plain text keeps the first of a run of white space and counts every one
 * it keeps as the end of a word; summaries here are made the same way
 * from the text mdtext.c gives, which is what Hugo's StripHTML leaves.
 */
#include <stdlib.h>
#include <string.h>

#include "summary.h"
#include "util.h"

#define DIVIDER		"<!--more-->"

const char *
summary_divider(const char *body, size_t len)
{
	return memmem(body, len, DIVIDER, strlen(DIVIDER));
}

char *
summary_without_divider(const char *body, size_t len, const char *divider)
{
	char *copy = xstrndup(body, len);

	/* Spaces: the same lines and offsets, and on a line of its own it
	 * is a blank line, as Hugo's output has no trace of it. */
	memset(copy + (divider - body), ' ', strlen(DIVIDER));
	return copy;
}

static int
is_space(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
	    c == '\v';
}

/* Decodes the UTF-8 character at s (clean: text.c made it so). */
static unsigned
decode(const unsigned char *s, size_t *n)
{
	if (s[0] < 0x80 || (s[0] & 0xe0) == 0xc0) {
		*n = s[0] < 0x80 ? 1 : 2;
		return s[0] < 0x80 ? s[0] : ((s[0] & 0x1fu) << 6) |
		    (s[1] & 0x3fu);
	}
	if ((s[0] & 0xf0) == 0xe0) {
		*n = 3;
		return ((s[0] & 0x0fu) << 12) | ((s[1] & 0x3fu) << 6) |
		    (s[2] & 0x3fu);
	}
	*n = 4;
	return ((s[0] & 0x07u) << 18) | ((s[1] & 0x3fu) << 12) |
	    ((s[2] & 0x3fu) << 6) | (s[3] & 0x3fu);
}

/* Go's \p{Han}, \p{Hiragana}, \p{Katakana}, \p{Hangul}, by block. */
static int
is_cjk(unsigned c)
{
	return (c >= 0x1100 && c <= 0x11ff) || (c >= 0x2e80 && c <= 0x2fdf) ||
	    c == 0x3005 || c == 0x3007 || (c >= 0x3021 && c <= 0x3029) ||
	    (c >= 0x3038 && c <= 0x303b) || (c >= 0x3041 && c <= 0x30ff) ||
	    (c >= 0x3130 && c <= 0x318f) || (c >= 0x31f0 && c <= 0x31ff) ||
	    (c >= 0x3400 && c <= 0x4dbf) || (c >= 0x4e00 && c <= 0x9fff) ||
	    (c >= 0xa960 && c <= 0xa97f) || (c >= 0xac00 && c <= 0xd7ff) ||
	    (c >= 0xf900 && c <= 0xfaff) || (c >= 0xff66 && c <= 0xffdc) ||
	    (c >= 0x20000 && c <= 0x3ffff);
}

int
summary_has_cjk(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s, *end = p + len;
	size_t n;

	while (p < end) {
		if (*p < 0x80) {
			p++;
			continue;
		}
		if (end - p < 4 && (size_t)(end - p) < ((*p & 0xf0) == 0xf0 ?
		    4u : (*p & 0xf0) == 0xe0 ? 3u : 2u))
			break;
		if (is_cjk(decode(p, &n)))
			return 1;
		p += n;
	}
	return 0;
}

/* Hugo's plain text: runs of white space kept as their first character. */
static char *
squeeze_spaces(const char *text)
{
	struct buf b;
	const char *s;
	int was_space = 1;

	buf_init(&b);
	for (s = text; *s != '\0'; s++) {
		if (is_space((unsigned char)*s)) {
			if (!was_space)
				buf_addc(&b, *s);
			was_space = 1;
			continue;
		}
		buf_addc(&b, *s);
		was_space = 0;
	}
	/* Hugo's text ends with the last paragraph's "</p>" as a newline,
	 * an end of sentence TruncateWordsToWholeSentence may stop at. */
	if (b.len > 0 && !was_space)
		buf_addc(&b, '\n');
	if (b.data == NULL)
		buf_addstr(&b, "");
	return buf_steal(&b);
}

static int
ends_sentence(char c)
{
	return c == '.' || c == '?' || c == '!' || c == '"' || c == '\n';
}

/* TruncateWordsToWholeSentence. */
static size_t
cut_words(const char *s, int words)
{
	size_t i, last = (size_t)-1;
	int count = 0;

	for (i = 0; s[i] != '\0'; i++) {
		if (is_space((unsigned char)s[i])) {
			last = i;
			if (++count >= words)
				break;
		}
	}
	if (last == (size_t)-1)
		return strlen(s);
	for (i = last; s[i] != '\0'; i++)
		if (ends_sentence(s[i]))
			return i + 1;
	return strlen(s);
}

/* TruncateWordsByRune: an ASCII word counts one, any other word one for
 * each character, cut inside a word when the count is reached; the words
 * are joined by single spaces. */
static char *
cut_runes(const char *s, int limit)
{
	struct buf b;
	const unsigned char *p = (const unsigned char *)s, *w;
	size_t n, chars;
	int count = 0, ascii;

	buf_init(&b);
	while (*p != '\0') {
		while (*p != '\0' && is_space(*p))
			p++;
		if (*p == '\0' || count >= limit)
			break;
		for (w = p, chars = 0, ascii = 1; *p != '\0' && !is_space(*p);
		    chars++) {
			if (*p >= 0x80)
				ascii = 0;
			decode(p, &n);
			p += n;
		}
		if (b.len > 0)
			buf_addc(&b, ' ');
		if (ascii || count + (int)chars < limit) {
			buf_add(&b, w, (size_t)(p - w));
			count += ascii ? 1 : (int)chars;
			continue;
		}
		for (; count < limit; count++) {
			decode(w, &n);
			buf_add(&b, w, n);
			w += n;
		}
	}
	if (b.data == NULL)
		buf_addstr(&b, "");
	return buf_steal(&b);
}

char *
summary_from_text(const char *text, int words, int cjk)
{
	char *plain = squeeze_spaces(text), *out;
	size_t end;

	if (words <= 0) {
		end = strlen(plain);
		while (end > 0 && is_space((unsigned char)plain[end - 1]))
			plain[--end] = '\0';
		return plain;
	}
	if (cjk) {
		out = cut_runes(plain, words);
		free(plain);
		return out;
	}
	end = cut_words(plain, words);
	plain[end] = '\0';
	while (end > 0 && is_space((unsigned char)plain[end - 1]))
		plain[--end] = '\0';
	return plain;
}

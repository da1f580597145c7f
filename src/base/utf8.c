/*
 * utf8.c -- UTF-8 read one sequence at a time, the strict way (RFC 3629):
 * no overlong forms, no surrogates, nothing past U+10FFFF.
 *
 * What to do with bytes that are not UTF-8 is decided elsewhere -- a
 * content file's are replaced as browsers would (text.c), a string bound
 * for XML is repaired (utf8_clean, below), a request path or a file
 * name is refused -- and each of those asks the same question here.
 */
#include <string.h>

#include "buf.h"
#include "utf8.h"

size_t
utf8_decode(const unsigned char *s, size_t n, uint32_t *cp)
{
	size_t len, i;
	uint32_t c;

	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		len = 2;
		c = s[0] & 0x1f;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		len = 3;
		c = s[0] & 0x0f;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		len = 4;
		c = s[0] & 0x07;
	} else
		return 0;
	if (len > n)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | (s[i] & 0x3f);
	}
	/* Overlong forms, surrogates and values past U+10FFFF. */
	if ((len == 3 && c < 0x800) || (len == 4 && c < 0x10000) ||
	    (c >= 0xd800 && c <= 0xdfff) || c > 0x10ffff)
		return 0;
	*cp = c;
	return len;
}

int
utf8_valid(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, k;
	uint32_t cp;

	while (i < n) {
		if ((k = utf8_decode(p + i, n - i, &cp)) == 0)
			return 0;
		i += k;
	}
	return 1;
}

static int
xml_char_allowed(uint32_t c)
{
	return c == 0x9 || c == 0xa || c == 0xd ||
	    (c >= 0x20 && c <= 0xd7ff) || (c >= 0xe000 && c <= 0xfffd) ||
	    (c >= 0x10000 && c <= 0x10ffff);
}

/* Copies runs of allowed characters whole: this cleans every string a
 * feed, calendar and page shows, a tenth of a cold start when it went
 * character by character. */
void
utf8_clean(struct buf *out, const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, run = 0, k;
	uint32_t cp;

	while (i < n) {
		if (p[i] >= 0x20 && p[i] < 0x80) {	/* printable ASCII */
			i++;
			continue;
		}
		k = utf8_decode(p + i, n - i, &cp);
		if (k != 0 && xml_char_allowed(cp) && cp != 0xd) {
			i += k;
			continue;
		}
		buf_add(out, s + run, i - run);
		if (k == 0) {
			buf_add(out, "\xef\xbf\xbd", 3);
			i++;
		} else
			i += k;
		run = i;
	}
	buf_add(out, s + run, i - run);
}

char *
utf8_clean_dup(const char *s)
{
	size_t n = strlen(s);
	struct buf b;

	buf_init(&b);
	buf_reserve(&b, n);	/* mostly the size it ends with */
	utf8_clean(&b, s, n);
	return buf_steal(&b);
}

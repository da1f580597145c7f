/*
 * urlize.c -- Hugo's way of making a URL path out of any text: its
 * `urlize` (helpers.PathSpec.MakePathSanitized in Hugo 0.111), which
 * Hugo applies to file and folder names, to `slug`, to taxonomy terms
 * and to every expanded `permalinks` pattern.
 *
 * The rules were read off what Hugo 0.111 publishes for the same input
 * (tests/unit/test_urlize.c holds those pairs): letters, decimal digits
 * and combining marks of any script are kept, and so are . / \ _ # + ~
 * - @ and a '%' followed by two hex digits; a run of white space becomes
 * one '-' (none at the start, none after a '-'); anything else is
 * dropped without a trace ("let's-encrypt" is "lets-encrypt").  Then the
 * text is lower-cased, unless the site sets disablePathToLower.
 *
 * Unicode's categories come from libxml2 (xmlUCSIsCat*), the Debian
 * library crier links already (its tables are Unicode 3.2's: a letter or
 * digit added since is dropped, a known difference; the CJK ideographs,
 * which its tables miss, are named here).  Lower-casing is Go's strings.ToLower for
 * the scripts written here (Latin, Greek, Cyrillic, Armenian, full-width
 * Latin); other capitals are kept as they are, a known difference.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/xmlunicode.h>

#include "urlize.h"
#include "utf8.h"

static int
is_hex(unsigned char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') ||
	    (c >= 'A' && c <= 'F');
}

/* Go's unicode.IsSpace. */
static int
is_space(uint32_t c)
{
	return (c >= 0x09 && c <= 0x0d) || c == ' ' || c == 0x85 ||
	    c == 0xa0 || c == 0x1680 || (c >= 0x2000 && c <= 0x200a) ||
	    c == 0x2028 || c == 0x2029 || c == 0x202f || c == 0x205f ||
	    c == 0x3000;
}

static int
is_kept_ascii(uint32_t c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || (c != '\0' && strchr("./\\_#+~-@",
	    (int)c) != NULL);
}

static int
is_kept(uint32_t c)
{
	if (c < 0x80)
		return is_kept_ascii(c);
	/* libxml2's tables (Unicode 3.2) miss the CJK ideographs' blocks,
	 * which are letters (Lo) to Go. */
	if ((c >= 0x3400 && c <= 0x4dbf) || (c >= 0x4e00 && c <= 0x9fff) ||
	    (c >= 0xf900 && c <= 0xfaff))
		return 1;
	return xmlUCSIsCatL((int)c) || xmlUCSIsCatNd((int)c) ||
	    xmlUCSIsCatM((int)c);
}

/* Go's unicode.ToLower, for the scripts this file names. */
static uint32_t
lower(uint32_t c)
{
	if ((c >= 'A' && c <= 'Z') || (c >= 0xc0 && c <= 0xde && c != 0xd7) ||
	    (c >= 0x391 && c <= 0x3ab && c != 0x3a2) ||
	    (c >= 0x410 && c <= 0x42f) || (c >= 0xff21 && c <= 0xff3a))
		return c + 32;
	if (c >= 0x400 && c <= 0x40f)
		return c + 80;
	if (c >= 0x531 && c <= 0x556)
		return c + 48;
	if (c == 0x178)
		return 0xff;
	if (c == 0x130)
		return 'i';
	if (((c >= 0x100 && c <= 0x12f) || (c >= 0x132 && c <= 0x137) ||
	    (c >= 0x14a && c <= 0x177) || (c >= 0x460 && c <= 0x481) ||
	    (c >= 0x48a && c <= 0x4bf) || (c >= 0x4d0 && c <= 0x52f)) &&
	    c % 2 == 0)
		return c + 1;
	if (((c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17e) ||
	    (c >= 0x4c1 && c <= 0x4ce)) && c % 2 == 1)
		return c + 1;
	if (c == 0x1c4 || c == 0x1c5 || c == 0x1c7 || c == 0x1c8 ||
	    c == 0x1ca || c == 0x1cb)	/* DŽ, Dž: dž (LJ, NJ alike) */
		return c + 2 - (c - 0x1c4) % 3;
	if (c == 0x386)
		return 0x3ac;
	if (c >= 0x388 && c <= 0x38a)
		return c + 37;
	if (c == 0x38c)
		return 0x3cc;
	if (c == 0x38e || c == 0x38f)
		return c + 63;
	return c;
}

static void
add_utf8(struct buf *b, uint32_t c)
{
	if (c < 0x80)
		buf_addc(b, (char)c);
	else if (c < 0x800) {
		buf_addc(b, (char)(0xc0 | (c >> 6)));
		buf_addc(b, (char)(0x80 | (c & 0x3f)));
	} else if (c < 0x10000) {
		buf_addc(b, (char)(0xe0 | (c >> 12)));
		buf_addc(b, (char)(0x80 | ((c >> 6) & 0x3f)));
		buf_addc(b, (char)(0x80 | (c & 0x3f)));
	} else {
		buf_addc(b, (char)(0xf0 | (c >> 18)));
		buf_addc(b, (char)(0x80 | ((c >> 12) & 0x3f)));
		buf_addc(b, (char)(0x80 | ((c >> 6) & 0x3f)));
		buf_addc(b, (char)(0x80 | (c & 0x3f)));
	}
}

char *
urlize_hugo(const char *s, int keep_case)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = strlen(s), len;
	struct buf b;
	uint32_t c;
	int hyphen_due = 0, was_hyphen = 0;

	buf_init(&b);
	while (n > 0) {
		if ((len = utf8_decode(p, n, &c)) == 0) {
			p++, n--;	/* not UTF-8: dropped */
			continue;
		}
		if (is_kept(c) || (c == '%' && n > 2 && is_hex(p[1]) &&
		    is_hex(p[2]))) {
			was_hyphen = c == '-';
			if (hyphen_due && !was_hyphen)
				buf_addc(&b, '-');
			hyphen_due = 0;
			add_utf8(&b, keep_case ? c : lower(c));
		} else if (b.len > 0 && !was_hyphen && is_space(c))
			hyphen_due = 1;
		p += len, n -= len;
	}
	return buf_steal(&b);
}

char *
urlize_unescape(const char *s)
{
	struct buf b;
	const char *p;

	buf_init(&b);
	for (p = s; *p != '\0'; p++) {
		if (*p == '+')
			buf_addc(&b, ' ');
		else if (*p == '%' && is_hex((unsigned char)p[1]) &&
		    is_hex((unsigned char)p[2]) && (p[1] != '0' || p[2] != '0')) {
			char hex[3] = { p[1], p[2], '\0' };

			buf_addc(&b, (char)strtol(hex, NULL, 16));
			p += 2;
		} else
			buf_addc(&b, *p);
	}
	return buf_steal(&b);
}

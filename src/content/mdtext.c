/*
 * mdtext.c -- what a reader sees of Markdown as plain text, and the
 * anchors of headings.
 *
 * Summaries, calendar descriptions and event titles are plain text made
 * from Markdown.  A whole body goes through md4c's parser with a renderer
 * of its own (mdtext_from_markdown), so blocks, lists and tables come out
 * as lines.  A single line -- a heading, a schedule's location line -- is
 * read by a small inline reader instead (mdtext_inline), since md4c wants
 * whole documents and these lines are read by the thousand.  Heading
 * anchors are made as Hugo makes them, so that links into the site's own
 * pages (an event's URL, a "#schedule" link) land where they point; the
 * HTML renderer (markdown.c) and the schedule reader (schedule.c) both
 * use them, so both agree.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <md4c.h>

#include "ascii.h"
#include "mdtext.h"
#include "utf8.h"
#include "util.h"

static void
utf8_encode(struct buf *b, uint32_t c)
{
	char s[4];

	if (c < 0x80) {
		buf_addc(b, (char)c);
		return;
	}
	if (c < 0x800) {
		s[0] = (char)(0xc0 | (c >> 6));
		s[1] = (char)(0x80 | (c & 0x3f));
		buf_add(b, s, 2);
	} else if (c < 0x10000) {
		s[0] = (char)(0xe0 | (c >> 12));
		s[1] = (char)(0x80 | ((c >> 6) & 0x3f));
		s[2] = (char)(0x80 | (c & 0x3f));
		buf_add(b, s, 3);
	} else {
		s[0] = (char)(0xf0 | (c >> 18));
		s[1] = (char)(0x80 | ((c >> 12) & 0x3f));
		s[2] = (char)(0x80 | ((c >> 6) & 0x3f));
		s[3] = (char)(0x80 | (c & 0x3f));
		buf_add(b, s, 4);
	}
}

/*
 * Hugo keeps only letters, digits and '_' (Go's unicode.IsLetter/IsDigit).
 * Rather than carry Unicode's tables, drop the blocks that hold the
 * punctuation and symbols headings actually contain: full-width CJK
 * punctuation, dashes and quotes, arrows, emoji.
 */
static const struct {
	uint32_t	lo, hi;
} anchor_drop[] = {
	{ 0x0080, 0x00a9 }, { 0x00ab, 0x00b4 }, { 0x00b6, 0x00b9 },
	{ 0x00bb, 0x00bf }, { 0x00d7, 0x00d7 }, { 0x00f7, 0x00f7 },
	{ 0x0300, 0x036f },	/* combining marks */
	{ 0x2000, 0x206f },	/* general punctuation */
	{ 0x20a0, 0x20cf },	/* currency */
	{ 0x2190, 0x2bff },	/* arrows, maths, shapes, dingbats */
	{ 0x2e00, 0x2e7f },	/* supplemental punctuation */
	{ 0x3000, 0x3004 }, { 0x3007, 0x3030 }, { 0x3036, 0x303a },
	{ 0x303d, 0x303f },	/* CJK punctuation, but 々 〆 〱 stay */
	{ 0x30a0, 0x30a0 }, { 0x30fb, 0x30fb },
	{ 0xe000, 0xf8ff },	/* private use */
	{ 0xfe00, 0xfe1f }, { 0xfe30, 0xfe6f }, { 0xfeff, 0xfeff },
	{ 0xff01, 0xff0f }, { 0xff1a, 0xff20 }, { 0xff3b, 0xff40 },
	{ 0xff5b, 0xff65 }, { 0xffe0, 0xffff },	/* full-width punctuation */
	{ 0x1f000, 0x1faff },	/* emoji */
	{ 0xe0000, 0xe007f },
};

static int
anchor_drops(uint32_t c)
{
	size_t i;

	for (i = 0; i < nitems(anchor_drop); i++)
		if (c >= anchor_drop[i].lo && c <= anchor_drop[i].hi)
			return 1;
	return 0;
}

/* Lower case for the alphabets headings use besides ASCII. */
static uint32_t
lower_cp(uint32_t c)
{
	if ((c >= 0xc0 && c <= 0xde && c != 0xd7) ||
	    (c >= 0x391 && c <= 0x3ab && c != 0x3a2) ||
	    (c >= 0x410 && c <= 0x42f) || (c >= 0xff21 && c <= 0xff3a))
		return c + 0x20;
	if (c >= 0x400 && c <= 0x40f)
		return c + 0x50;
	if (c == 0x130)
		return 'i';
	if (c == 0x178)
		return 0xff;
	if ((c >= 0x100 && c <= 0x137 && c % 2 == 0) ||
	    (c >= 0x139 && c <= 0x148 && c % 2 == 1) ||
	    (c >= 0x14a && c <= 0x177 && c % 2 == 0) ||
	    (c >= 0x179 && c <= 0x17e && c % 2 == 1))
		return c + 1;
	return c;
}

char *
mdtext_anchor(const char *heading)
{
	const unsigned char *p = (const unsigned char *)heading;
	struct buf b;
	size_t n, i = 0, k;
	uint32_t c;

	buf_init(&b);
	n = heading != NULL ? strlen(heading) : 0;
	while (i < n) {
		if ((k = utf8_decode(p + i, n - i, &c)) == 0) {
			i++;		/* not text: nothing to keep */
			continue;
		}
		i += k;
		/* Like Hugo, each space is a '-': "a  b" is "a--b". */
		if (c == ' ' || c == '-')
			buf_addc(&b, '-');
		else if (c < 0x80) {
			if (ascii_is_alpha((int)c) || ascii_is_digit((int)c) || c == '_')
				buf_addc(&b, (char)ascii_lower((int)c));
		} else if (!anchor_drops(c))
			utf8_encode(&b, lower_cp(c));
	}
	if (b.len == 0)
		buf_addstr(&b, "section");
	return buf_steal(&b);
}

char *
mdtext_heading_anchor(const char *src, size_t len)
{
	char *copy, *anchor;

	while (len > 0 && (*src == ' ' || *src == '\t')) {
		src++;
		len--;
	}
	while (len > 0 && (src[len - 1] == ' ' || src[len - 1] == '\t' ||
	    src[len - 1] == '\n'))
		len--;
	/* "## Title ##": the closing run is not part of the heading. */
	if (len > 0 && src[len - 1] == '#') {
		size_t k = len;

		while (k > 0 && src[k - 1] == '#')
			k--;
		if (k == 0 || src[k - 1] == ' ' || src[k - 1] == '\t') {
			len = k;
			while (len > 0 && (src[len - 1] == ' ' ||
			    src[len - 1] == '\t'))
				len--;
		}
	}
	copy = xstrndup(src, len);
	anchor = mdtext_anchor(copy);
	free(copy);
	return anchor;
}

/* An '_' that opens or closes emphasis, not one inside snake_case. */
static int
emphasis_underscore(const char *s, size_t len, size_t i)
{
	int before = i > 0 && ascii_is_word((unsigned char)s[i - 1]);
	int after = i + 1 < len && ascii_is_word((unsigned char)s[i + 1]);

	return !(before && after);
}

/*
 * Appends the text a reader sees of one line of inline Markdown: emphasis
 * and code markers dropped, [t](u) as "t (u)" (only t when with_urls is 0,
 * as Hugo's anchors see it), images as their alt text, tags dropped.
 */
void
mdtext_inline(struct buf *b, const char *s, size_t len, int with_urls)
{
	static const struct {
		const char	*name;
		char		 c;
	} entities[] = {
		{ "&amp;", '&' }, { "&lt;", '<' }, { "&gt;", '>' },
		{ "&quot;", '"' }, { "&#39;", '\'' }, { "&nbsp;", ' ' },
	};
	const char *close, *paren, *url, *gt;
	size_t i = 0, j, ulen, tlen;
	int image;

	while (i < len) {
		char c = s[i];

		if (c == '\\' && i + 1 < len && s[i + 1] > ' ' &&
		    s[i + 1] < 0x7f && !ascii_is_word((unsigned char)s[i + 1])) {
			buf_addc(b, s[i + 1]);
			i += 2;
			continue;
		}
		if (c == '*' || c == '`' || (c == '~' && i + 1 < len &&
		    s[i + 1] == '~') || (c == '_' &&
		    emphasis_underscore(s, len, i))) {
			i += c == '~' ? 2 : 1;
			continue;
		}
		if (c == '&') {
			for (j = 0; j < nitems(entities); j++) {
				tlen = strlen(entities[j].name);
				if (len - i >= tlen &&
				    memcmp(s + i, entities[j].name, tlen) == 0)
					break;
			}
			if (j < nitems(entities)) {
				buf_addc(b, entities[j].c);
				i += strlen(entities[j].name);
				continue;
			}
		}
		image = c == '!' && i + 1 < len && s[i + 1] == '[';
		if ((c == '[' || image) && (close = memchr(s + i, ']',
		    len - i)) != NULL) {
			const char *text = s + i + 1 + image;
			const char *end = s + len;

			tlen = (size_t)(close - text);
			if (close + 1 < end && close[1] == '(' &&
			    (paren = memchr(close, ')', (size_t)(end -
			    close))) != NULL) {
				/* The URL ends at a space: a title may follow. */
				url = close + 2;
				for (ulen = 0; url + ulen < paren &&
				    !ascii_is_blank((unsigned char)url[ulen]); ulen++)
					;
				if (url[0] == '<' && ulen >= 2 &&
				    url[ulen - 1] == '>') {
					url++;
					ulen -= 2;
				}
				mdtext_inline(b, text, tlen, with_urls);
				if (with_urls && !image && ulen > 0 &&
				    (tlen != ulen || memcmp(text, url, ulen))) {
					if (tlen > 0)
						buf_addstr(b, " (");
					buf_add(b, url, ulen);
					if (tlen > 0)
						buf_addc(b, ')');
				}
				i = (size_t)(paren - s) + 1;
				continue;
			}
			if (close + 1 < end && close[1] == '[' &&
			    (paren = memchr(close + 1, ']', (size_t)(end -
			    close - 1))) != NULL) {
				/* A reference link: its text is what shows. */
				mdtext_inline(b, text, tlen, with_urls);
				i = (size_t)(paren - s) + 1;
				continue;
			}
		}
		if (c == '<' && (gt = memchr(s + i, '>', len - i)) != NULL) {
			const char *in = s + i + 1;
			size_t n = (size_t)(gt - in);

			if (n > 0 && memchr(in, ' ', n) == NULL &&
			    (memchr(in, ':', n) != NULL ||
			    memchr(in, '@', n) != NULL) && ascii_is_alpha(*in)) {
				buf_add(b, in, n);	/* <https://…> */
				i += n + 2;
				continue;
			}
			if (n > 0 && (ascii_is_alpha(*in) || *in == '/' ||
			    *in == '!')) {
				i += n + 2;		/* an HTML tag */
				continue;
			}
		}
		buf_addc(b, c);
		i++;
	}
}

/* Plain text rendering: md4c's parser with a renderer of our own. */
struct text_state {
	struct buf	*out;
	int		 in_code_block;
};

static void
end_line(struct buf *b)
{
	if (b->len > 0 && b->data[b->len - 1] != '\n')
		buf_addc(b, '\n');
}

static int
text_enter_block(MD_BLOCKTYPE type, void *detail, void *userdata)
{
	struct text_state *st = userdata;

	(void)detail;
	if (type == MD_BLOCK_CODE)
		st->in_code_block = 1;
	if (type == MD_BLOCK_TD || type == MD_BLOCK_TH) {
		if (st->out->len > 0 && st->out->data[st->out->len - 1] != '\n')
			buf_addstr(st->out, " | ");
	} else if (type != MD_BLOCK_DOC && type != MD_BLOCK_UL &&
	    type != MD_BLOCK_OL && type != MD_BLOCK_TABLE &&
	    type != MD_BLOCK_THEAD && type != MD_BLOCK_TBODY)
		end_line(st->out);
	if (type == MD_BLOCK_LI)
		buf_addstr(st->out, "- ");
	return 0;
}

static int
text_leave_block(MD_BLOCKTYPE type, void *detail, void *userdata)
{
	struct text_state *st = userdata;

	(void)detail;
	if (type == MD_BLOCK_CODE)
		st->in_code_block = 0;
	if (type != MD_BLOCK_TD && type != MD_BLOCK_TH)
		end_line(st->out);
	return 0;
}

static int
text_span(MD_SPANTYPE type, void *detail, void *userdata)
{
	(void)type;
	(void)detail;
	(void)userdata;
	return 0;
}

static int
text_text(MD_TEXTTYPE type, const MD_CHAR *text, MD_SIZE size,
    void *userdata)
{
	struct text_state *st = userdata;

	switch (type) {
	case MD_TEXT_NULLCHAR:
	case MD_TEXT_HTML:	/* tags are not text (Hugo's StripHTML) */
		break;
	case MD_TEXT_BR:
		buf_addc(st->out, '\n');
		break;
	case MD_TEXT_SOFTBR:
		buf_addc(st->out, ' ');
		break;
	case MD_TEXT_ENTITY:
		if (size == 5 && memcmp(text, "&amp;", 5) == 0)
			buf_addc(st->out, '&');
		else if (size == 4 && memcmp(text, "&lt;", 4) == 0)
			buf_addc(st->out, '<');
		else if (size == 4 && memcmp(text, "&gt;", 4) == 0)
			buf_addc(st->out, '>');
		else if (size == 6 && memcmp(text, "&nbsp;", 6) == 0)
			buf_addc(st->out, ' ');
		else
			buf_add(st->out, text, size);
		break;
	default:
		buf_add(st->out, text, size);
	}
	return 0;
}

char *
mdtext_from_markdown(const char *md, size_t len)
{
	struct buf out;
	struct text_state st = { &out, 0 };
	MD_PARSER parser;

	memset(&parser, 0, sizeof parser);
	parser.flags = MDTEXT_MD_FLAGS;
	parser.enter_block = text_enter_block;
	parser.leave_block = text_leave_block;
	parser.enter_span = text_span;
	parser.leave_span = text_span;
	parser.text = text_text;
	buf_init(&out);
	if (md_parse(md, (MD_SIZE)len, &parser, &st) != 0)
		buf_reset(&out);
	while (out.len > 0 && out.data[out.len - 1] == '\n')
		out.data[--out.len] = '\0';
	return buf_steal(&out);
}

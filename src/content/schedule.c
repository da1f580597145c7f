/*
 * schedule.c -- finds the events written in a post's body.
 *
 * It owns the reading of schedule lines ("**时间：**2020/5/6（周三）
 * 19:00-20:00", "When: May 6, 2020 7pm - 9pm") and of the section around
 * each one; the text a reader sees of a line and the headings' anchors
 * are mdtext.c's.
 *
 * Design: the body is split into lines once, and a first pass marks fenced
 * code and headings, giving each heading its unique anchor and the extent
 * of its section, so that a schedule line can be described by its section
 * without looking ahead again.  A labelled line is then read by a small
 * recursive-descent reader:
 *
 *	[bullet] [**]label[**] :|： [**] [weekday] date [weekday] [period]
 *	    time [sep [period] time] [zone]
 *
 * Every reader either consumes its form and advances the cursor, or leaves
 * the cursor where it was and fails, so forms are simply tried in turn.
 * Digits may be full-width ("１９：００"), as CJK input methods type them.
 * A time with no end lasts OPEN_MINUTES.  A labelled line that yields no
 * event says why in a warning (a date alone excepted: a time line may
 * follow it), since a schedule silently dropped is an event nobody sees.
 * The section's place lines give the location, or the URL to watch at
 * (schedule_stream_url: a 直播/Live/Stream line, or a meeting service's
 * link alone on a line); one written outside every event's section is the
 * whole page's (struct schedule's online_url).
 * Nothing is global: all state lives in a struct scan on the stack.
 */
#include <limits.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ascii.h"
#include "dict.h"
#include "mdtext.h"
#include "schedule.h"
#include "utf8.h"
#include "util.h"

#define SCHEDULE_MAX	500	/* items per body: more is a runaway page */
#define DESC_MAX	4000	/* bytes; calendars truncate long text anyway */
#define NO_HEADING	SIZE_MAX
#define NO_OFFSET	INT_MIN
#define QUOTE_MAX	80	/* bytes of a line quoted in a warning */
/*
 * A start written without an end ("19:00 开始") lasts an hour: what
 * Google, Apple and Outlook give a new event, and a reminder at the
 * start is what matters; a longer guess would block more of a day that
 * may well be free.
 */
#define OPEN_MINUTES	60

#define ELLIPSIS	"\xe2\x80\xa6"

enum { CODE_NONE, CODE_TEXT, CODE_FENCE };
enum { MER_NONE, MER_AM, MER_PM };
enum { HINT_NONE, HINT_AM, HINT_NOON, HINT_PM };

struct line {
	const char	*s;
	size_t		 len;
	int		 code;		/* CODE_*: fenced text or a fence */
	size_t		 heading;	/* index into headings, or NO_HEADING */
};

struct heading {
	size_t		 line;		/* index of its line */
	size_t		 end;		/* first line after its section */
	int		 level;
	char		*title;		/* plain text, NULL when empty */
	char		*anchor;
};

struct doc {
	struct line	*lines;
	size_t		 nlines;
	struct heading	*headings;
	size_t		 nheadings;
};

/* A read position in one line; e is one past its last byte. */
struct cur {
	const char	*p;
	const char	*e;
};

struct date {
	int		 y, m, d;
	int		 year_written;
	const char	*text;		/* as written, for messages */
	size_t		 len;
};

struct wday {
	int		 wd;		/* 0 = Sunday, -1 when none */
	const char	*text;
	size_t		 len;
};

struct clock {
	int		 h, m;		/* m = -1: a bare hour, "7" of "7pm" */
	int		 cjk;		/* written "7点": an hour, never a count */
	int		 mer;
	int		 hint;		/* 下午, 晚上: a period word before it */
	const char	*text;
	size_t		 len;
};

struct scan {
	const struct doc *doc;
	int		 first_line;
	int		 default_year;
	struct schedule	*sc;
	size_t		 cap;
	struct diags	*diags;
	int		 full;		/* SCHEDULE_MAX reached, warned */
	int		 has_pending;	/* a date-only line above: "Date: …" */
	struct date	 pending;
	int		 has_cache;	/* text of section cached_sec */
	size_t		 cached_sec;
	char		*desc;
	char		*loc;
	char		*online;	/* the URL to watch at */
	size_t		*secs;		/* each item's section */
};

static const char *const time_labels[] = {
	"活动时间", "直播时间", "会议时间", "分享时间", "时间", "日期",
	"date and time", "date & time", "date/time", "date", "time", "when",
	NULL
};
static const char *const place_labels[] = {
	"活动地点", "会议地点", "地点", "地址", "location", "where", "venue",
	NULL
};
/* Lines that name where to watch: only their URL is kept. */
static const char *const online_labels[] = {
	"直播地址", "直播链接", "直播间", "直播", "会议链接", "线上地址",
	"live stream", "livestream", "live", "stream", "online", NULL
};
static const char *const wday_names[] = {
	"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday",
	"Saturday"
};
static const char *const month_names[] = {
	"january", "february", "march", "april", "may", "june", "july",
	"august", "september", "october", "november", "december"
};

static int
eat(struct cur *c, const char *lit)
{
	size_t n = strlen(lit);

	if ((size_t)(c->e - c->p) < n || memcmp(c->p, lit, n) != 0)
		return 0;
	c->p += n;
	return 1;
}

static int
eat_any(struct cur *c, const char *const *lits)
{
	for (; *lits != NULL; lits++)
		if (eat(c, *lits))
			return 1;
	return 0;
}

/* Whether the text at c starts with lit, without consuming it. */
static int
looking_at(const struct cur *c, const char *lit)
{
	size_t n = strlen(lit);

	return (size_t)(c->e - c->p) >= n && memcmp(c->p, lit, n) == 0;
}

/* ASCII case-insensitive equality of s[0..n) and the string t. */
static int
ascii_caseeq(const char *s, size_t n, const char *t)
{
	size_t i;

	if (strlen(t) != n)
		return 0;
	for (i = 0; i < n; i++)
		if (ascii_lower((unsigned char)s[i]) != ascii_lower((unsigned char)t[i]))
			return 0;
	return 1;
}

/*
 * Matches lit with ASCII case folded; when lit ends in a letter, the text
 * must not go on with one, so "Time" does not match "Timeline".
 */
static int
eat_word(struct cur *c, const char *lit)
{
	size_t n = strlen(lit), i;

	if ((size_t)(c->e - c->p) < n)
		return 0;
	for (i = 0; i < n; i++)
		if (ascii_lower((unsigned char)c->p[i]) != ascii_lower((unsigned char)lit[i]))
			return 0;
	if (ascii_is_alpha((unsigned char)lit[n - 1]) && c->p + n < c->e &&
	    ascii_is_alpha((unsigned char)c->p[n]))
		return 0;
	c->p += n;
	return 1;
}

/* Spaces, tabs, the ideographic space and no-break space. */
static void
skip_space(struct cur *c)
{
	for (;;) {
		if (c->p < c->e && ascii_is_blank((unsigned char)*c->p))
			c->p++;
		else if (!eat(c, "\xe3\x80\x80") && !eat(c, "\xc2\xa0"))
			return;
	}
}

/* An ASCII or full-width digit at p: its value and width, or -1. */
static int
digit_at(const char *p, const char *e, int *width)
{
	if (p < e && ascii_is_digit((unsigned char)*p)) {
		*width = 1;
		return *p - '0';
	}
	/* U+FF10..U+FF19: EF BC 90..99 */
	if (e - p >= 3 && (unsigned char)p[0] == 0xef &&
	    (unsigned char)p[1] == 0xbc && (unsigned char)p[2] >= 0x90 &&
	    (unsigned char)p[2] <= 0x99) {
		*width = 3;
		return (unsigned char)p[2] - 0x90;
	}
	return -1;
}

/*
 * Reads 1 to max digits, ASCII or full-width ("２０２０"); fails if more
 * follow, so 20201 is no year.
 */
static int
number(struct cur *c, int max, int *out, int *ndigits)
{
	const char *p = c->p;
	int v = 0, n = 0, d, w;

	while ((d = digit_at(p, c->e, &w)) >= 0) {
		if (n == max)
			return 0;
		v = v * 10 + d;
		p += w;
		n++;
	}
	if (n == 0)
		return 0;
	c->p = p;
	*out = v;
	if (ndigits != NULL)
		*ndigits = n;
	return 1;
}

static int
year4(struct cur *c, int *y)
{
	struct cur s = *c;
	int n;

	if (number(c, 4, y, &n) && n == 4)
		return 1;
	*c = s;
	return 0;
}

static void
buf_rtrim(struct buf *b)
{
	while (b->len > 0 && (ascii_is_blank((unsigned char)b->data[b->len - 1]) ||
	    b->data[b->len - 1] == '\n'))
		b->len--;
	b->data[b->len] = '\0';
}

/* ATX heading level of a line (0 if it is none) and its text. */
static int
heading_of(const char *s, size_t len, const char **text, size_t *tlen)
{
	size_t i = 0, level = 0, e, n;

	while (i < len && i < 3 && s[i] == ' ')
		i++;
	while (i + level < len && s[i + level] == '#')
		level++;
	if (level < 1 || level > 6)
		return 0;
	i += level;
	if (i < len && !ascii_is_blank((unsigned char)s[i]))
		return 0;
	while (i < len && ascii_is_blank((unsigned char)s[i]))
		i++;
	e = len;
	while (e > i && ascii_is_blank((unsigned char)s[e - 1]))
		e--;
	/* A closing run of '#' counts only after a space, or alone. */
	n = e;
	while (n > i && s[n - 1] == '#')
		n--;
	if (n < e && (n == i || ascii_is_blank((unsigned char)s[n - 1]))) {
		e = n;
		while (e > i && ascii_is_blank((unsigned char)s[e - 1]))
			e--;
	}
	*text = s + i;
	*tlen = e - i;
	return (int)level;
}

/* Strips block quote markers and a list bullet ("-", "*", "+", "1."). */
static void
skip_block_prefix(struct cur *c, int ordered_too)
{
	struct cur s;
	int n;

	skip_space(c);
	while (eat(c, ">"))
		skip_space(c);
	if (c->e - c->p >= 2 && (*c->p == '-' || *c->p == '*' ||
	    *c->p == '+') && ascii_is_blank((unsigned char)c->p[1])) {
		c->p += 2;
		skip_space(c);
		return;
	}
	s = *c;
	if (ordered_too && number(c, 9, &n, NULL) && (eat(c, ".") ||
	    eat(c, ")")) && c->p < c->e && ascii_is_blank((unsigned char)*c->p)) {
		skip_space(c);
		return;
	}
	*c = s;
}

/*
 * The fence a line opens or closes (``` or ~~~, three or more): its
 * character and run length; 0 when it is no fence.  rest_blank tells
 * whether only spaces follow, as a closing fence needs.
 */
static size_t
fence_of(const char *s, size_t len, char *ch, int *rest_blank)
{
	struct cur c = { s, s + len };
	size_t i, n = 0, j;

	/* A fence may open a list item or sit in a quote. */
	skip_block_prefix(&c, 1);
	i = (size_t)(c.p - s);
	if (i == len || (s[i] != '`' && s[i] != '~'))
		return 0;
	*ch = s[i];
	while (i + n < len && s[i + n] == *ch)
		n++;
	if (n < 3)
		return 0;
	/* "```a`b" is inline code, not a fence. */
	if (*ch == '`' && memchr(s + i + n, '`', len - i - n) != NULL)
		return 0;
	*rest_blank = 1;
	for (j = i + n; j < len; j++)
		if (!ascii_is_blank((unsigned char)s[j]))
			*rest_blank = 0;
	return n;
}

static void
doc_split(struct doc *doc, const char *body, size_t len)
{
	const char *p = body, *e = body + len, *nl;
	size_t cap = 0, n;
	struct line *l;

	memset(doc, 0, sizeof *doc);
	while (len > 0 && p < e) {
		nl = memchr(p, '\n', (size_t)(e - p));
		n = (size_t)((nl != NULL ? nl : e) - p);
		if (n > 0 && p[n - 1] == '\r')
			n--;
		if (doc->nlines == cap) {
			cap = cap ? cap * 2 : 64;
			doc->lines = xreallocarray(doc->lines, cap,
			    sizeof *doc->lines);
		}
		l = &doc->lines[doc->nlines++];
		l->s = p;
		l->len = n;
		l->code = CODE_NONE;
		l->heading = NO_HEADING;
		p = nl != NULL ? nl + 1 : e;
	}
}

/*
 * Marks code fences and headings.  Anchors are made unique the way Hugo
 * does it, in document order: "a", "a-1", "a-2".  A section ends at the
 * next heading of the same or a higher level, found with a stack of the
 * headings still open.
 */
static void
doc_index(struct doc *doc)
{
	struct dict seen, tried;
	struct buf b;
	size_t i, k, cap = 0, *open = NULL, nopen = 0, tlen;
	size_t fence_len = 0;
	char fence_ch = 0, ch;
	const char *text, *id;
	struct heading *h;
	struct line *l;
	int level, rest_blank;
	char *anchor, *cand;

	dict_init(&seen);
	dict_init(&tried);
	buf_init(&b);
	for (i = 0; i < doc->nlines; i++) {
		l = &doc->lines[i];
		if (fence_len > 0) {
			l->code = CODE_TEXT;
			k = fence_of(l->s, l->len, &ch, &rest_blank);
			if (k >= fence_len && ch == fence_ch && rest_blank) {
				l->code = CODE_FENCE;
				fence_len = 0;
			}
			continue;
		}
		if ((k = fence_of(l->s, l->len, &ch, &rest_blank)) > 0) {
			l->code = CODE_FENCE;
			fence_len = k;
			fence_ch = ch;
			continue;
		}
		if ((level = heading_of(l->s, l->len, &text, &tlen)) == 0)
			continue;

		while (nopen > 0 && doc->headings[open[nopen - 1]].level >=
		    level)
			doc->headings[open[--nopen]].end = i;
		if (doc->nheadings == cap) {
			cap = cap ? cap * 2 : 16;
			doc->headings = xreallocarray(doc->headings, cap,
			    sizeof *doc->headings);
			open = xreallocarray(open, cap, sizeof *open);
		}
		l->heading = doc->nheadings;
		open[nopen++] = doc->nheadings;
		h = &doc->headings[doc->nheadings++];
		h->line = i;
		h->end = doc->nlines;
		h->level = level;

		/* Hugo's explicit id: "## Title {#my-id}". */
		id = NULL;
		if (tlen > 3 && text[tlen - 1] == '}') {
			for (k = tlen - 1; k > 0 && text[k] != '{'; k--)
				;
			if (text[k] == '{' && k + 2 < tlen - 1 &&
			    text[k + 1] == '#') {
				id = text + k + 2;
				cand = xstrndup(id, tlen - 1 - k - 2);
				cand[strcspn(cand, " \t")] = '\0';
				anchor = utf8_clean_dup(cand);
				free(cand);
				tlen = k;
				if (*anchor == '\0') {
					free(anchor);
					id = NULL;
				}
			}
		}
		buf_reset(&b);
		mdtext_inline(&b, text, tlen, 0);
		buf_rtrim(&b);
		h->title = b.len > 0 ? utf8_clean_dup(str_trim(b.data)) : NULL;
		if (h->title != NULL && *h->title == '\0') {
			free(h->title);
			h->title = NULL;
		}
		if (id == NULL) {
			anchor = mdtext_heading_anchor(text, tlen);
			if (dict_get(&seen, anchor) != NULL) {
				/*
				 * Suffixes are tried from where the last search
				 * for this anchor stopped: fifty "Q&A" headings
				 * cost fifty lookups, not 1,275.
				 */
				k = (uintptr_t)dict_get(&tried, anchor);
				cand = NULL;
				do {
					free(cand);
					cand = xasprintf("%s-%zu", anchor, ++k);
				} while (dict_get(&seen, cand) != NULL);
				dict_set(&tried, anchor, (void *)(uintptr_t)k);
				free(anchor);
				anchor = cand;
			}
		}
		h->anchor = anchor;
		dict_set(&seen, anchor, h);
	}
	free(open);
	buf_free(&b);
	dict_free(&seen, NULL);
	dict_free(&tried, NULL);
}

static void
doc_free(struct doc *doc)
{
	size_t i;

	for (i = 0; i < doc->nheadings; i++) {
		free(doc->headings[i].title);
		free(doc->headings[i].anchor);
	}
	free(doc->headings);
	free(doc->lines);
	memset(doc, 0, sizeof *doc);
}

/* A table's "|---|:--:|" line, or a thematic break: no text at all. */
static int
rule_line(const char *s, size_t len)
{
	size_t i, marks = 0;

	for (i = 0; i < len; i++) {
		if (s[i] != '\0' && strchr("-*_=:|", s[i]) != NULL)
			marks++;
		else if (!ascii_is_blank((unsigned char)s[i]))
			return 0;
	}
	return marks >= 3;
}

/* "![alt](src)" or "[![alt](src)](href)" at c, skipped; 1 if one was. */
static int
skip_image(struct cur *c)
{
	struct cur s = *c;
	const char *close;
	int linked = eat(c, "[");

	if (!eat(c, "![") ||
	    (close = memchr(c->p, ']', (size_t)(c->e - c->p))) == NULL ||
	    close + 1 == c->e || close[1] != '(' ||
	    (close = memchr(close, ')', (size_t)(c->e - close))) == NULL)
		goto fail;
	c->p = close + 1;
	if (linked && (!eat(c, "](") ||
	    (close = memchr(c->p, ')', (size_t)(c->e - c->p))) == NULL))
		goto fail;
	if (linked)
		c->p = close + 1;
	return 1;
fail:
	*c = s;
	return 0;
}

/*
 * The plain text of a body line outside code, for descriptions.  With
 * lead, the images that open it are dropped: a description starts with
 * what the post says, not a banner's alt text.
 */
static void
line_plain(struct buf *b, const struct line *l, int lead)
{
	struct cur c = { l->s, l->s + l->len };
	const char *text;
	size_t tlen;

	if (heading_of(l->s, l->len, &text, &tlen) > 0) {
		mdtext_inline(b, text, tlen, 1);
		return;
	}
	if (rule_line(l->s, l->len))
		return;
	skip_block_prefix(&c, 0);
	if (c.p < c.e && *c.p == '|') {
		/* A table row: its cells, without the outer pipes. */
		c.p++;
		while (c.e > c.p && ascii_is_blank((unsigned char)c.e[-1]))
			c.e--;
		if (c.e > c.p && c.e[-1] == '|')
			c.e--;
	}
	if (lead) {
		skip_space(&c);
		while (skip_image(&c))
			skip_space(&c);
	}
	mdtext_inline(b, c.p, (size_t)(c.e - c.p), 1);
}

/* Cuts b to at most max bytes on a character boundary, marking the cut. */
static void
cap_utf8(struct buf *b, size_t max)
{
	size_t n;

	if (b->len <= max)
		return;
	n = max - (sizeof(ELLIPSIS) - 1);
	while (n > 0 && ((unsigned char)b->data[n] & 0xc0) == 0x80)
		n--;
	b->len = n;
	buf_rtrim(b);
	buf_addstr(b, ELLIPSIS);
}

/*
 * The text of lines [from, to): blocks separated by one blank line, code
 * kept as written.  Reading stops once there is more than DESC_MAX, so a
 * huge section costs no more than a small one.
 */
static char *
section_text(const struct doc *doc, size_t from, size_t to)
{
	struct buf raw, one, out;
	const struct line *l;
	size_t i;
	int blank = 0;
	char *t;

	buf_init(&raw);
	buf_init(&one);
	buf_init(&out);
	for (i = from; i < to && raw.len <= DESC_MAX; i++) {
		l = &doc->lines[i];
		if (l->code == CODE_FENCE)
			continue;
		buf_reset(&one);
		if (l->code == CODE_TEXT)
			buf_add(&one, l->s, l->len);
		else
			line_plain(&one, l, raw.len == 0);
		buf_rtrim(&one);
		t = one.data;
		if (l->code != CODE_TEXT)
			t = str_trim(t);
		if (*t == '\0') {
			blank = 1;
			continue;
		}
		if (raw.len > 0)
			buf_addstr(&raw, blank ? "\n\n" : "\n");
		blank = 0;
		buf_addstr(&raw, t);
	}
	utf8_clean(&out, raw.data, raw.len);
	cap_utf8(&out, DESC_MAX);
	buf_free(&raw);
	buf_free(&one);
	return buf_steal(&out);
}

/*
 * Matches "[- ][**]label[**]:[**] " and points at the value after it.
 * The colon may be ASCII or full-width, inside or outside the bold.
 * Table rows are never labelled lines: their cells are summaries.
 */
static int
label_value(const struct line *l, const char *const *labels, struct cur *val)
{
	static const char *const openers[] = { "**", "__", "*", "_", NULL };
	struct cur c = { l->s, l->s + l->len }, s;
	const char *opener;
	size_t i;
	int closed;

	skip_block_prefix(&c, 1);
	if (c.p < c.e && *c.p == '|')
		return 0;
	opener = NULL;
	for (i = 0; openers[i] != NULL; i++)
		if (eat(&c, openers[i])) {
			opener = openers[i];
			break;
		}
	skip_space(&c);
	s = c;
	for (i = 0; labels[i] != NULL; i++) {
		c = s;
		if (!eat_word(&c, labels[i]))
			continue;
		skip_space(&c);
		closed = opener == NULL || eat(&c, opener);
		skip_space(&c);
		if (!eat(&c, ":") && !eat(&c, "\xef\xbc\x9a"))	/* ： */
			continue;
		skip_space(&c);
		if (!closed && eat(&c, opener))
			skip_space(&c);
		*val = c;
		return 1;
	}
	return 0;
}

/* 周三, 星期三, 礼拜天, Wed, Wednesday, Thurs.: 0 = Sunday, or -1. */
static int
weekday_word(struct cur *c)
{
	static const char *const prefixes[] = { "星期", "礼拜", "周", NULL };
	static const char *const cjk[] = {
		"日", "一", "二", "三", "四", "五", "六"
	};
	struct cur s = *c;
	char abbr[4];
	int i;

	if (eat_any(c, prefixes)) {
		for (i = 0; i < 7; i++)
			if (eat(c, cjk[i]))
				return i;
		if (eat(c, "天"))
			return 0;
		*c = s;
		return -1;
	}
	for (i = 0; i < 7; i++)
		if (eat_word(c, wday_names[i]))
			goto found;
	if (eat_word(c, "tues")) {
		i = 2;
		goto found;
	}
	if (eat_word(c, "thurs") || eat_word(c, "thur")) {
		i = 4;
		goto found;
	}
	for (i = 0; i < 7; i++) {
		memcpy(abbr, wday_names[i], 3);
		abbr[3] = '\0';
		if (eat_word(c, abbr))
			goto found;
	}
	return -1;
found:
	eat(c, ".");
	return i;
}

/* A weekday, bare or in ASCII or full-width parentheses. */
static int
parse_weekday(struct cur *c, struct wday *w)
{
	struct cur s = *c;
	const char *text;
	int paren, wd;

	paren = eat(c, "(") || eat(c, "\xef\xbc\x88");		/* （ */
	skip_space(c);
	text = c->p;
	if ((wd = weekday_word(c)) == -1)
		goto fail;
	w->text = text;
	w->len = (size_t)(c->p - text);
	skip_space(c);
	if (paren && !eat(c, ")") && !eat(c, "\xef\xbc\x89"))	/* ） */
		goto fail;
	w->wd = wd;
	return 1;
fail:
	*c = s;
	return 0;
}

/* 上午, 下午, 晚上 and friends: which half of the day times mean. */
static int
parse_period(struct cur *c, int *hint)
{
	static const struct {
		const char	*word;
		int		 hint;
	} periods[] = {
		{ "上午", HINT_AM }, { "早上", HINT_AM }, { "早晨", HINT_AM },
		{ "中午", HINT_NOON }, { "下午", HINT_PM }, { "傍晚", HINT_PM },
		{ "晚上", HINT_PM }, { "晚间", HINT_PM }, { "夜间", HINT_PM },
		{ "晚", HINT_PM },
	};
	size_t i;

	for (i = 0; i < nitems(periods); i++)
		if (eat(c, periods[i].word)) {
			*hint = periods[i].hint;
			return 1;
		}
	return 0;
}

/*
 * A zone written with the times: "(GMT+8)", "UTC+08:00", "GMT-0500",
 * "UTC", "北京时间"; *offset is seconds east of UTC.
 */
static int
zone_at(struct cur *c, int *offset)
{
	struct cur s = *c;
	int sign, h, m = 0, n;

	if (eat(c, "北京时间") || eat_word(c, "beijing time")) {
		*offset = 8 * 3600;
		return 1;
	}
	if (!eat_word(c, "gmt") && !eat_word(c, "utc"))
		return 0;
	skip_space(c);
	if (eat(c, "+"))
		sign = 1;
	else if (eat(c, "-") || eat(c, "\xe2\x88\x92"))	/* − */
		sign = -1;
	else {
		*offset = 0;
		return 1;
	}
	if (!number(c, 4, &h, &n))
		goto fail;
	if (n > 2) {			/* +0800 */
		m = h % 100;
		h /= 100;
	} else if (eat(c, ":") || eat(c, "\xef\xbc\x9a")) {
		if (!number(c, 2, &m, &n) || n != 2)
			goto fail;
	}
	if (h > 14 || m > 59)
		goto fail;
	*offset = sign * (h * 3600 + m * 60);
	return 1;
fail:
	*c = s;
	return 0;
}

/*
 * Skips what may stand around a date: spaces, commas, "at", "from", a
 * weekday (the first one is kept), a period of the day and a zone (read
 * again by find_zone).
 */
static void
skip_gap(struct cur *c, struct wday *w, int *hint)
{
	static const char *const puncts[] = {
		",", "\xef\xbc\x8c", "\xe3\x80\x81", "@", ";", "|", NULL
	};
	struct wday other;
	const char *p;
	int offset;

	for (;;) {
		p = c->p;
		skip_space(c);
		if (eat_any(c, puncts) || eat_word(c, "at") ||
		    eat_word(c, "from") || eat_word(c, "on") ||
		    eat_word(c, "starting") || eat_word(c, "starts") ||
		    parse_period(c, hint) || zone_at(c, &offset))
			continue;
		if (parse_weekday(c, w->wd < 0 ? w : &other))
			continue;
		if (c->p == p)
			return;
	}
}

static int
month_name(struct cur *c)
{
	char abbr[4];
	int i;

	for (i = 0; i < 12; i++)
		if (eat_word(c, month_names[i]))
			goto found;
	if (eat_word(c, "sept")) {
		i = 8;
		goto found;
	}
	for (i = 0; i < 12; i++) {
		memcpy(abbr, month_names[i], 3);
		abbr[3] = '\0';
		if (eat_word(c, abbr))
			goto found;
	}
	return 0;
found:
	eat(c, ".");
	return i + 1;
}

static void
ordinal(struct cur *c)
{
	(void)(eat_word(c, "st") || eat_word(c, "nd") || eat_word(c, "rd") ||
	    eat_word(c, "th"));
}

/* ", 2020" or " 2020" after an English date; not the "19" of "19:00". */
static int
year_after(struct cur *c, int *y)
{
	struct cur s = *c;

	skip_space(c);
	eat(c, ",");
	skip_space(c);
	if (year4(c, y) && (c->p == c->e || (*c->p != ':' &&
	    !looking_at(c, "\xef\xbc\x9a"))))
		return 1;
	*c = s;
	return 0;
}

/* The separator of a numeric date; ASCII and full-width are one kind. */
static int
date_sep(struct cur *c)
{
	static const char *const seps[] = {
		"/", "-", ".", "\xef\xbc\x8f", "\xef\xbc\x8d", "\xef\xbc\x8e"
	};
	size_t i;

	for (i = 0; i < nitems(seps); i++)
		if (eat(c, seps[i]))
			return (int)(i % 3);
	return -1;
}

/* 2020/5/6, 2020-05-06, 2020.5.6, ２０２０／５／６ */
static int
date_numeric(struct cur *c, struct date *d)
{
	struct cur s = *c;
	int sep;

	if (!year4(c, &d->y) || (sep = date_sep(c)) < 0)
		goto fail;
	if (!number(c, 2, &d->m, NULL) || date_sep(c) != sep ||
	    !number(c, 2, &d->d, NULL))
		goto fail;
	d->year_written = 1;
	return 1;
fail:
	*c = s;
	return 0;
}

/* 2020年5月6日, 2020 年 5 月 6 日, 5月6日, 5月6号 */
static int
date_cjk(struct cur *c, struct date *d)
{
	struct cur s = *c, t;

	d->year_written = 0;
	if (year4(c, &d->y)) {
		skip_space(c);
		if (!eat(c, "年"))
			goto fail;
		skip_space(c);
		d->year_written = 1;
	}
	if (!number(c, 2, &d->m, NULL))
		goto fail;
	skip_space(c);
	if (!eat(c, "月"))
		goto fail;
	skip_space(c);
	if (!number(c, 2, &d->d, NULL))
		goto fail;
	t = *c;
	skip_space(c);
	if (!eat(c, "日") && !eat(c, "号"))
		*c = t;
	return 1;
fail:
	*c = s;
	return 0;
}

/* May 6, 2020; 6 May 2020; May 6th; the 6th of May */
static int
date_english(struct cur *c, struct date *d)
{
	struct cur s = *c;

	if ((d->m = month_name(c)) > 0) {
		skip_space(c);
		if (!number(c, 2, &d->d, NULL))
			goto fail;
		ordinal(c);
	} else if (number(c, 2, &d->d, NULL)) {
		ordinal(c);
		skip_space(c);
		if (eat_word(c, "of"))
			skip_space(c);
		if ((d->m = month_name(c)) == 0)
			goto fail;
	} else
		goto fail;
	d->year_written = year_after(c, &d->y);
	return 1;
fail:
	*c = s;
	return 0;
}

static int
parse_date(struct cur *c, int default_year, struct date *d)
{
	const char *start = c->p;

	memset(d, 0, sizeof *d);
	d->y = default_year;
	if (!date_numeric(c, d) && !date_cjk(c, d) && !date_english(c, d))
		return 0;
	if (!d->year_written)
		d->y = default_year;
	d->text = start;
	d->len = (size_t)(c->p - start);
	return 1;
}

/* "点半", "点一刻", "点30分", "时" after an hour; "8 点" as typeset too. */
static void
clock_cjk(struct cur *c, struct clock *k)
{
	struct cur t = *c;

	skip_space(c);
	if (!eat(c, "点") && !eat(c, "时")) {
		*c = t;
		return;
	}
	k->cjk = 1;
	k->m = 0;
	t = *c;
	skip_space(c);
	if (eat(c, "半"))
		k->m = 30;
	else if (eat(c, "一刻"))
		k->m = 15;
	else if (eat(c, "三刻"))
		k->m = 45;
	else if (number(c, 2, &k->m, NULL)) {
		skip_space(c);
		if (!eat(c, "分")) {
			*c = t;
			k->m = 0;
		}
	} else
		*c = t;
}

/*
 * 19:00, １９：００, 7:30pm, 7 p.m., 7pm, 19点, 8 点, 7点半, 7点一刻,
 * 7点30分, 19时; 1 if one is there.
 */
static int
parse_clock(struct cur *c, struct clock *k)
{
	struct cur s = *c, t;
	int n, sec;

	k->text = c->p;
	k->mer = MER_NONE;
	k->m = -1;
	k->cjk = 0;
	if (!number(c, 2, &k->h, NULL))
		return 0;
	if (eat(c, ":") || eat(c, "\xef\xbc\x9a")) {
		if (!number(c, 2, &k->m, &n) || n != 2) {
			*c = s;
			return 0;
		}
		t = *c;		/* seconds, written but not kept */
		if (!eat(c, ":") || !number(c, 2, &sec, &n) || n != 2)
			*c = t;
	} else
		clock_cjk(c, k);
	t = *c;
	skip_space(c);
	if (eat_word(c, "a.m.") || eat_word(c, "am"))
		k->mer = MER_AM;
	else if (eat_word(c, "p.m.") || eat_word(c, "pm"))
		k->mer = MER_PM;
	else
		*c = t;
	k->len = (size_t)(c->p - k->text);
	return 1;
}

/* -, –, —, ~, ～, 〜, －, 至, 到, to, until, till */
static int
separator(struct cur *c)
{
	static const char *const seps[] = {
		"-", "\xe2\x80\x93", "\xe2\x80\x94", "~", "\xef\xbd\x9e",
		"\xe3\x80\x9c", "\xef\xbc\x8d", "至", "到", NULL
	};

	if (eat_word(c, "to") || eat_word(c, "until") || eat_word(c, "till"))
		return 1;
	if (!eat_any(c, seps))
		return 0;
	while (eat_any(c, seps))	/* "--", "——" */
		;
	return 1;
}

/* The 24-hour hour of h under mer; -1 when there is none. */
static int
hour24(int h, int mer)
{
	if (mer == MER_NONE)
		return h;
	if (h < 1 || h > 12)
		return -1;
	if (mer == MER_AM)
		return h == 12 ? 0 : h;
	return h == 12 ? 12 : h + 12;
}

static int
minutes_of(const struct clock *k, int mer)
{
	int h = hour24(k->h, mer);

	return h < 0 ? -1 : h * 60 + (k->m < 0 ? 0 : k->m);
}

/*
 * "7-9pm" means 19-21, but "11-1pm" means 11-13: a clock without am/pm
 * takes its partner's, or the other one if that would run backwards.
 */
static void
share_meridiem(struct clock *a, struct clock *b)
{
	int other;

	if (a->mer == MER_NONE && b->mer != MER_NONE && a->h <= 12) {
		other = b->mer == MER_AM ? MER_PM : MER_AM;
		a->mer = minutes_of(a, b->mer) > minutes_of(b, b->mer) ?
		    other : b->mer;
	} else if (b->mer == MER_NONE && a->mer != MER_NONE && b->h <= 12) {
		other = a->mer == MER_AM ? MER_PM : MER_AM;
		b->mer = minutes_of(b, a->mer) <= minutes_of(a, a->mer) ?
		    other : a->mer;
	}
}

/* An hour with nothing to say it is one: no minutes, am/pm or 晚上. */
static int
bare(const struct clock *k)
{
	return k->m < 0 && k->mer == MER_NONE && k->hint == HINT_NONE;
}

/* Minutes since midnight, or -1 (and a warning) for "25:00" or "13pm". */
static int
clock_minutes(struct scan *st, int line, struct clock *k, int is_end)
{
	int h = k->h, m = k->m < 0 ? 0 : k->m;

	if (k->mer == MER_NONE) {
		if (k->hint == HINT_PM && h < 12)
			h += 12;
		else if (k->hint == HINT_NOON && h >= 1 && h <= 5)
			h += 12;
	} else
		h = hour24(h, k->mer);
	/* "晚上 10 点到 12 点": twelve in the evening is midnight. */
	if (k->mer == MER_NONE && k->hint == HINT_PM && h == 12 && is_end)
		h = 24;
	/* "20:00-24:00" is common: 24:00 is the next midnight. */
	if (h < 0 || m > 59 || h > 24 || (h == 24 && (!is_end || m > 0))) {
		diags_add(st->diags, DIAG_WARNING, line,
		    "schedule: %.*s is not a valid time of day",
		    (int)k->len, k->text);
		return -1;
	}
	return h * 60 + m;
}

/*
 * Whether a lone start time stands alone: "19:00 开始", "7pm onwards",
 * "19:00 -" and "19:00 (GMT+8)" do; "19:00 / 20:00" and "19:00-2" leave
 * a number unexplained, so nothing is guessed.
 */
static int
open_ended(struct cur c)
{
	static const char *const puncts[] = {
		"/", ",", "\xef\xbc\x8c", "\xe3\x80\x81", ";", "&", NULL
	};
	int w;

	skip_space(&c);
	while (eat_any(&c, puncts) || separator(&c))
		skip_space(&c);
	return digit_at(c.p, c.e, &w) < 0;
}

/*
 * 1 with the times in minutes, 0 if there is none, -1 if bad.  A start
 * without an end gives *end = -1: the caller gives it OPEN_MINUTES.
 */
static int
parse_range(struct scan *st, int line, struct cur *c, int hint, int *start,
    int *end)
{
	struct cur s = *c, after;
	struct clock a, b;

	if (!parse_clock(c, &a))
		return 0;
	a.hint = hint;
	after = *c;
	skip_space(c);
	if (!separator(c))
		goto one;
	skip_space(c);
	b.hint = hint;
	if (parse_period(c, &b.hint))
		skip_space(c);
	if (!parse_clock(c, &b))
		goto one;
	share_meridiem(&a, &b);
	/* "7-9" or "19:00-2" could be anything; "7-9pm", "7-9点" cannot. */
	if ((bare(&a) && !b.cjk) || (bare(&b) && !a.cjk))
		goto fail;
	if ((*start = clock_minutes(st, line, &a, 0)) < 0 ||
	    (*end = clock_minutes(st, line, &b, 1)) < 0)
		return -1;
	return 1;
one:
	*c = after;
	if (bare(&a) && !a.cjk)
		goto fail;
	if (!open_ended(*c))
		goto fail;
	if ((*start = clock_minutes(st, line, &a, 0)) < 0)
		return -1;
	*end = -1;
	return 1;
fail:
	*c = s;
	return 0;
}

static void
next_day(struct datetime *dt)
{
	if (dates_valid(dt->year, dt->month, dt->day + 1)) {
		dt->day++;
		return;
	}
	dt->day = 1;
	if (++dt->month > 12) {
		dt->month = 1;
		dt->year++;
	}
}

static void
prev_day(struct datetime *dt)
{
	if (dt->day > 1) {
		dt->day--;
		return;
	}
	if (--dt->month < 1) {
		dt->month = 12;
		dt->year--;
	}
	dt->day = 31;
	while (dt->day > 28 && !dates_valid(dt->year, dt->month, dt->day))
		dt->day--;
}

/*
 * The URL a value holds and nothing else: "https://…", "<https://…>" or
 * "[text](https://…)"; NULL for "B站 https://…" or a street address.
 */
static char *
url_only(struct cur c)
{
	const char *close, *u;

	skip_space(&c);
	while (c.e > c.p && (ascii_is_blank((unsigned char)c.e[-1]) ||
	    c.e[-1] == '*'))
		c.e--;
	if (c.p < c.e && *c.p == '<' && c.e[-1] == '>') {
		c.p++;
		c.e--;
	} else if (c.p < c.e && *c.p == '[' && c.e[-1] == ')' &&
	    (close = memchr(c.p, ']', (size_t)(c.e - c.p))) != NULL &&
	    close + 1 < c.e && close[1] == '(') {
		c.p = close + 2;
		c.e--;
	}
	if (!looking_at(&c, "https://") && !looking_at(&c, "http://"))
		return NULL;
	for (u = c.p; u < c.e; u++)
		if (ascii_is_blank((unsigned char)*u) || *u == '<' ||
		    *u == '>' || *u == '"')
			return NULL;
	return xstrndup(c.p, (size_t)(c.e - c.p));
}

/* Meeting and streaming services, by host (and the hosts under it). */
static const struct {
	const char	*host;
	const char	*name;
} services[] = {
	{ "zoom.us", "Zoom" },
	{ "zoom.com", "Zoom" },
	{ "zoom.com.cn", "Zoom" },
	{ "meet.google.com", "Google Meet" },
	{ "youtube.com", "YouTube" },
	{ "youtu.be", "YouTube" },
	{ "bilibili.com", "Bilibili" },
	{ "b23.tv", "Bilibili" },
	{ "meet.jit.si", "Jitsi Meet" },
	{ "8x8.vc", "Jitsi Meet" },
	{ "teams.microsoft.com", "Microsoft Teams" },
	{ "teams.live.com", "Microsoft Teams" },
};

const char *
schedule_meeting_service(const char *url)
{
	const char *host, *end;
	size_t n, k, i;

	if (str_has_prefix(url, "https://"))
		host = url + 8;
	else if (str_has_prefix(url, "http://"))
		host = url + 7;
	else
		return NULL;
	for (end = host; *end != '\0' && *end != '/' && *end != '?' &&
	    *end != '#' && *end != ':'; end++)
		if (*end == '@')	/* user@host: not a host to trust */
			return NULL;
	n = (size_t)(end - host);
	for (i = 0; i < nitems(services); i++) {
		k = strlen(services[i].host);
		if (n < k || !ascii_caseeq(host + n - k, k, services[i].host))
			continue;
		if (n == k || host[n - k - 1] == '.')
			return services[i].name;
	}
	return NULL;
}

/* A URL's last byte: not the sentence's punctuation or emphasis. */
static int
url_tail_junk(char ch)
{
	return ch == '.' || ch == ',' || ch == ';' || ch == ':' ||
	    ch == '!' || ch == '?' || ch == '*' || ch == '_';
}

/*
 * The first meeting service's URL written among other words ("B站
 * https://live.bilibili.com/1", "Zoom（https://zoom.us/j/1）"), or NULL.
 * A URL ends at a space, markup or a non-ASCII character.
 */
static char *
service_url_in(struct cur c)
{
	const char *u, *e;
	char *url;

	for (; c.p < c.e; c.p++) {
		if (!looking_at(&c, "https://") && !looking_at(&c, "http://"))
			continue;
		for (u = c.p; u < c.e && (unsigned char)*u > ' ' &&
		    (unsigned char)*u < 0x7f && strchr("<>\"()[]", *u) == NULL;
		    u++)
			;
		e = u;
		while (e > c.p && url_tail_junk(e[-1]))
			e--;
		url = xstrndup(c.p, (size_t)(e - c.p));
		if (schedule_meeting_service(url) != NULL)
			return url;
		free(url);
		c.p = u - 1;
	}
	return NULL;
}

/*
 * The URL to watch at that a line names, or NULL: a place or online line
 * holding only a URL ("地址：https://…", "Live: <https://…>"), an online
 * line with a meeting service's URL among its words ("直播：B站
 * https://live.bilibili.com/1"), or a line that is only a meeting
 * service's URL ("- [Join on Zoom](https://zoom.us/j/1)").
 */
static char *
line_stream_url(const struct line *l)
{
	struct cur val, c;
	char *url;

	if (l->code != CODE_NONE)
		return NULL;
	if (label_value(l, place_labels, &val))
		return url_only(val);
	if (label_value(l, online_labels, &val))
		return (url = url_only(val)) != NULL ? url :
		    service_url_in(val);
	c.p = l->s;
	c.e = l->s + l->len;
	skip_block_prefix(&c, 1);
	if ((url = url_only(c)) != NULL &&
	    schedule_meeting_service(url) == NULL) {
		free(url);
		url = NULL;
	}
	return url;
}

char *
schedule_stream_url(const char *s, size_t len)
{
	struct line l = { s, len, CODE_NONE, NO_HEADING };
	char *url, *clean;

	if ((url = line_stream_url(&l)) == NULL)
		return NULL;
	clean = utf8_clean_dup(url);
	free(url);
	if (*clean == '\0') {
		free(clean);
		return NULL;
	}
	return clean;
}

/*
 * The location a section's line names: a street address, or the URL to
 * watch at (schedule_stream_url).
 */
static void
section_place(struct scan *st, const struct line *l)
{
	struct cur val;
	struct buf b;
	char *url;

	if (l->code != CODE_NONE)
		return;
	if ((url = schedule_stream_url(l->s, l->len)) != NULL) {
		if (st->online == NULL)
			st->online = url;
		else
			free(url);
		return;
	}
	if (st->loc != NULL || !label_value(l, place_labels, &val))
		return;
	buf_init(&b);
	mdtext_inline(&b, val.p, (size_t)(val.e - val.p), 1);
	buf_rtrim(&b);
	if (b.len > 0 && *str_trim(b.data) != '\0')
		st->loc = utf8_clean_dup(str_trim(b.data));
	buf_free(&b);
}

/* The description and locations of section sec, cached per section. */
static void
section_cache(struct scan *st, size_t sec)
{
	const struct doc *doc = st->doc;
	size_t from, to, i;

	if (st->has_cache && st->cached_sec == sec)
		return;
	free(st->desc);
	free(st->loc);
	free(st->online);
	st->loc = st->online = NULL;
	if (sec == NO_HEADING) {
		from = 0;
		to = doc->nheadings > 0 ? doc->headings[0].line : doc->nlines;
	} else {
		from = doc->headings[sec].line + 1;
		to = doc->headings[sec].end;
	}
	st->desc = section_text(doc, from, to);
	for (i = from; i < to && (st->loc == NULL || st->online == NULL); i++)
		section_place(st, &doc->lines[i]);
	st->has_cache = 1;
	st->cached_sec = sec;
}

static void
add_item(struct scan *st, size_t sec, size_t i, const struct date *d,
    int start, int end, int offset)
{
	struct schedule *sc = st->sc;
	struct schedule_item *it;
	const struct heading *h;
	int line = st->first_line + (int)i;

	if (sc->nitems == SCHEDULE_MAX) {
		diags_add(st->diags, DIAG_WARNING, line,
		    "schedule: more than %d events in one page; the rest are "
		    "ignored", SCHEDULE_MAX);
		st->full = 1;
		return;
	}
	if (sc->nitems == st->cap) {
		st->cap = st->cap ? st->cap * 2 : 8;
		sc->items = xreallocarray(sc->items, st->cap, sizeof *sc->items);
		st->secs = xreallocarray(st->secs, st->cap, sizeof *st->secs);
	}
	st->secs[sc->nitems] = sec;
	it = &sc->items[sc->nitems++];
	memset(it, 0, sizeof *it);
	section_cache(st, sec);
	if (sec != NO_HEADING) {
		h = &st->doc->headings[sec];
		it->title = h->title != NULL ? xstrdup(h->title) : NULL;
		it->anchor = xstrdup(h->anchor);
	}
	it->description = xstrdup(st->desc);
	it->location = st->loc != NULL ? xstrdup(st->loc) : NULL;
	it->online_url = st->online != NULL ? xstrdup(st->online) : NULL;
	it->start.year = it->end.year = d->y;
	it->start.month = it->end.month = d->m;
	it->start.day = it->end.day = d->d;
	it->start.has_time = it->end.has_time = 1;
	it->start.hour = start / 60;
	it->start.minute = start % 60;
	it->open = end < 0;
	if (end < 0)
		end = start + OPEN_MINUTES;
	/* 23:00-01:00 and 20:00-24:00 end on the next day. */
	if (end <= start || end >= 24 * 60) {
		next_day(&it->end);
		end %= 24 * 60;
	}
	it->end.hour = end / 60;
	it->end.minute = end % 60;
	if (offset != NO_OFFSET) {
		it->start.has_offset = it->end.has_offset = 1;
		it->start.offset = it->end.offset = offset;
	}
	it->line = line;
}

/* The year, when the text did not give it, for messages. */
static const char *
year_note(const struct date *d, char *s, size_t n)
{
	if (d->year_written)
		return "";
	snprintf(s, n, " (in %d)", d->y);
	return s;
}

/* A weekday written beside a date must be that date's. */
static void
check_weekday(struct scan *st, int line, const struct date *d,
    const struct wday *w)
{
	struct datetime near = { .year = d->y, .month = d->m, .day = d->d };
	char note[32];
	int wd = dates_weekday(d->y, d->m, d->d), k, same;

	if (w->wd < 0 || w->wd == wd)
		return;
	same = ascii_caseeq(w->text, w->len, wday_names[w->wd]);
	/* Point at the nearest date that has that weekday. */
	k = (w->wd - wd + 7) % 7;
	if (k <= 3)
		while (k-- > 0)
			next_day(&near);
	else
		while (k++ < 7)
			prev_day(&near);
	diags_add(st->diags, DIAG_WARNING, line,
	    "schedule: %.*s%s is a %s, but the text says %.*s%s%s%s; the "
	    "nearest %s is %04d-%02d-%02d", (int)d->len, d->text,
	    year_note(d, note, sizeof note), wday_names[wd], (int)w->len,
	    w->text, same ? "" : " (", same ? "" : wday_names[w->wd],
	    same ? "" : ")", wday_names[w->wd], near.year, near.month,
	    near.day);
}

/*
 * A labelled line whose date or time is not read is said, never passed
 * over: "时间：待定", "When: May 6, 7-9", "时间：19:00 / 20:00".  At most
 * QUOTE_MAX bytes of the text are quoted, cut on a character boundary.
 */
static void
warn_unread(struct scan *st, int line, const char *what, struct cur c)
{
	size_t n;
	int cut;

	skip_space(&c);
	while (c.e > c.p && ascii_is_blank((unsigned char)c.e[-1]))
		c.e--;
	n = (size_t)(c.e - c.p);
	if ((cut = n > QUOTE_MAX)) {
		n = QUOTE_MAX;
		while (n > 0 && ((unsigned char)c.p[n] & 0xc0) == 0x80)
			n--;
	}
	diags_add(st->diags, DIAG_WARNING, line, "schedule: cannot read a %s "
	    "in \"%.*s%s\"", what, (int)n, c.p, cut ? ELLIPSIS : "");
}

/* The first zone written anywhere in the value, not inside a word. */
static int
find_zone(const char *s, size_t len, int *offset)
{
	struct cur c = { s, s + len };

	for (; c.p < c.e; c.p++)
		if ((c.p == s || !ascii_is_alpha((unsigned char)c.p[-1])) &&
		    zone_at(&c, offset))
			return 1;
	return 0;
}

/* One labelled time line, its markup already stripped. */
static void
scan_value(struct scan *st, size_t sec, size_t i, const char *s, size_t len)
{
	struct cur c = { s, s + len }, whole = c;
	struct wday w = { -1, NULL, 0 };
	struct date d;
	char note[32];
	int line = st->first_line + (int)i, hint = HINT_NONE, has_date;
	int start, end, r, offset, w1;

	skip_gap(&c, &w, &hint);
	if ((has_date = parse_date(&c, st->default_year, &d))) {
		skip_gap(&c, &w, &hint);
		if (!dates_valid(d.y, d.m, d.d)) {
			diags_add(st->diags, DIAG_WARNING, line,
			    "schedule: %.*s%s is not a valid date",
			    (int)d.len, d.text, year_note(&d, note,
			    sizeof note));
			return;
		}
		check_weekday(st, line, &d, &w);
	} else if (!st->has_pending) {
		if (c.p < c.e)
			warn_unread(st, line, "date", whole);
		return;
	}
	r = parse_range(st, line, &c, hint, &start, &end);
	if (r == 0 && has_date) {
		/* "Date: May 6" now, perhaps "Time: 7pm-9pm" next. */
		st->pending = d;
		st->pending.text = NULL;	/* points into this line */
		st->has_pending = 1;
	}
	/* A date alone is no event, but digits after it are a time unread;
	 * a line with no date of its own is there for its time. */
	if (r == 0 && c.p < c.e && (!has_date || digit_at(c.p, c.e, &w1) >= 0))
		warn_unread(st, line, "time", c);
	if (r <= 0)
		return;
	if (!find_zone(s, len, &offset))
		offset = NO_OFFSET;
	add_item(st, sec, i, has_date ? &d : &st->pending, start, end, offset);
}

/* The first line of section sec and the first line after it. */
static void
section_extent(const struct doc *doc, size_t sec, size_t *from, size_t *to)
{
	if (sec == NO_HEADING) {
		*from = 0;
		*to = doc->nheadings > 0 ? doc->headings[0].line : doc->nlines;
	} else {
		*from = doc->headings[sec].line + 1;
		*to = doc->headings[sec].end;
	}
}

/*
 * The URL to watch every event at: the first one written outside every
 * event's section (above the talks, or in a section of its own), or NULL.
 */
static char *
page_stream_url(const struct scan *st)
{
	const struct doc *doc = st->doc;
	unsigned char *inside;
	size_t i, k, from, to;
	char *url = NULL;

	if (st->sc->nitems == 0)
		return NULL;
	inside = xcalloc(doc->nlines + 1, 1);
	for (k = 0; k < st->sc->nitems; k++) {
		section_extent(doc, st->secs[k], &from, &to);
		if (from < to && inside[from])
			continue;	/* that section, marked already */
		for (i = from; i < to; i++)
			inside[i] = 1;
	}
	for (i = 0; i < doc->nlines && url == NULL; i++)
		if (!inside[i] && doc->lines[i].code == CODE_NONE &&
		    doc->lines[i].heading == NO_HEADING)
			url = schedule_stream_url(doc->lines[i].s,
			    doc->lines[i].len);
	free(inside);
	return url;
}

void
schedule_extract(const char *body, size_t len, int first_line,
    int default_year, struct schedule *sc, struct diags *diags)
{
	struct scan st;
	struct doc doc;
	struct cur val;
	struct buf b;
	size_t i, sec = NO_HEADING;
	const char *p;

	sc->items = NULL;
	sc->nitems = 0;
	sc->online_url = NULL;
	doc_split(&doc, body, body != NULL ? len : 0);
	doc_index(&doc);
	memset(&st, 0, sizeof st);
	st.doc = &doc;
	st.first_line = first_line;
	st.default_year = default_year;
	st.sc = sc;
	st.diags = diags;
	buf_init(&b);
	for (i = 0; i < doc.nlines && !st.full; i++) {
		const struct line *l = &doc.lines[i];

		if (l->code != CODE_NONE)
			continue;
		if (l->heading != NO_HEADING) {
			sec = l->heading;
			st.has_pending = 0;
			continue;
		}
		if (!label_value(l, time_labels, &val))
			continue;
		/* Emphasis and code marks carry nothing a date needs. */
		buf_reset(&b);
		for (p = val.p; p < val.e; p++)
			if (*p != '*' && *p != '_' && *p != '`')
				buf_addc(&b, *p);
		if (b.len > 0)
			scan_value(&st, sec, i, b.data, b.len);
	}
	buf_free(&b);
	sc->online_url = page_stream_url(&st);
	free(st.desc);
	free(st.loc);
	free(st.online);
	free(st.secs);
	doc_free(&doc);
}

void
schedule_free(struct schedule *sc)
{
	size_t i;

	for (i = 0; i < sc->nitems; i++) {
		free(sc->items[i].title);
		free(sc->items[i].anchor);
		free(sc->items[i].description);
		free(sc->items[i].location);
		free(sc->items[i].online_url);
	}
	free(sc->items);
	free(sc->online_url);
	sc->items = NULL;
	sc->nitems = 0;
	sc->online_url = NULL;
}

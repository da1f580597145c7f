/*
 * rawhtml.c -- raw HTML in Markdown, as Hugo's unsafe setting says.
 *
 * Hugo (goldmark) leaves raw HTML out by default and writes
 * "<!-- raw HTML omitted -->" where it was: once per inline tag, once per
 * HTML block, twice for a comment, <script>/<pre>/<style>/<textarea>,
 * <?...?>, <!X...> or CDATA block whose end is on a later line (goldmark
 * writes its closing line apart).  md4c has no hook for that: it either
 * passes raw HTML through or escapes it as text.  So the Markdown is
 * rewritten first (rawhtml_mark): md4c's parser reports where each piece
 * of raw HTML is, and each becomes a marker comment of the same shape
 * (a block stays a block of as many lines, a tag spanning lines keeps
 * them), which md4c then passes through and markdown.c's libxml2 pass
 * turns into Hugo's comment (rawhtml_expand).  Line structure is kept, so
 * containers, lists and paragraphs parse as before.
 *
 * With unsafe_html = 1 the HTML is kept but goes through an allow-list
 * (rawhtml_sanitize): crier serves post pages from its own origin, so no
 * script, style, frames, plug-ins or forms, no event handlers, and links
 * and images only to http, https, mailto, tel or relative URLs.
 */
#include <string.h>
#include <strings.h>

#include <md4c.h>

#include "rawhtml.h"
#include "util.h"

#define MARK		"crier:raw"
#define OMITTED		" raw HTML omitted "

/* One source range and what replaces it. */
struct cut {
	size_t		 start, end;
	const char	*with;		/* static */
	int		 count;		/* comments for a block's first line */
};

struct marker {
	const char	*doc;
	size_t		 len;
	struct cut	*cuts;
	size_t		 ncuts, cap;
	int		 in_block;
	size_t		 block_first;	/* index of the block's first cut */
	int		 tag_open;	/* an inline tag continues */
	size_t		 tag_first;
};

static void
add_cut(struct marker *m, size_t start, size_t end)
{
	if (m->ncuts == m->cap) {
		m->cap = m->cap ? m->cap * 2 : 16;
		m->cuts = xreallocarray(m->cuts, m->cap, sizeof *m->cuts);
	}
	m->cuts[m->ncuts].start = start;
	m->cuts[m->ncuts].end = end;
	m->cuts[m->ncuts].with = NULL;
	m->cuts[m->ncuts].count = 1;
	m->ncuts++;
}

/* Lines first..ncuts-1 are one piece: a marker opened on the first, "x"
 * on the middle ones (never blank, which would end a paragraph), closed
 * on the last. */
static void
shape_cuts(struct marker *m, size_t first)
{
	size_t i, last = m->ncuts - 1;

	if (first >= m->ncuts)
		return;
	if (first == last) {
		m->cuts[first].with = "<!--" MARK "1-->";
		return;
	}
	for (i = first; i <= last; i++)
		m->cuts[i].with = i == first ? "<!--" MARK "1" :
		    i == last ? "x-->" : "x";
}

static int
starts_with_ci(const char *s, size_t n, const char *prefix)
{
	size_t k = strlen(prefix);

	return n >= k && strncasecmp(s, prefix, k) == 0;
}

static int
contains_ci(const char *s, size_t n, const char *needle)
{
	size_t k = strlen(needle), i;

	for (i = 0; i + k <= n; i++)
		if (strncasecmp(s + i, needle, k) == 0)
			return 1;
	return 0;
}

/* The end goldmark looks for on a later line of a block of CommonMark's
 * kinds 1 to 5, or NULL for the other kinds (ended by a blank line). */
static const char *
block_closure(const char *s, size_t n)
{
	static const char *const kind1[] = { "script", "pre", "style",
	    "textarea" };
	size_t i, k;

	if (starts_with_ci(s, n, "<!--"))
		return "-->";
	if (starts_with_ci(s, n, "<?"))
		return "?>";
	if (starts_with_ci(s, n, "<![CDATA["))
		return "]]>";
	if (n >= 3 && s[0] == '<' && s[1] == '!' &&
	    ((s[2] >= 'a' && s[2] <= 'z') || (s[2] >= 'A' && s[2] <= 'Z')))
		return ">";
	for (i = 0; i < sizeof kind1 / sizeof kind1[0]; i++) {
		k = strlen(kind1[i]);
		if (n > k && s[0] == '<' && strncasecmp(s + 1, kind1[i], k) ==
		    0 && (k + 1 == n || strchr(" \t>", s[k + 1]) != NULL))
			return kind1[i][0] == 's' ? (kind1[i][1] == 'c' ?
			    "</script>" : "</style>") : kind1[i][0] == 'p' ?
			    "</pre>" : "</textarea>";
	}
	return NULL;
}

static void
end_block(struct marker *m)
{
	struct cut *first, *last;
	const char *closure;

	m->in_block = 0;
	if (m->block_first >= m->ncuts)
		return;
	shape_cuts(m, m->block_first);
	first = &m->cuts[m->block_first];
	last = &m->cuts[m->ncuts - 1];
	closure = block_closure(m->doc + first->start, first->end -
	    first->start);
	if (closure != NULL && first != last && contains_ci(m->doc +
	    last->start, last->end - last->start, closure))
		first->with = "<!--" MARK "2";
}

static void
end_tag(struct marker *m)
{
	if (m->tag_open)
		shape_cuts(m, m->tag_first);
	m->tag_open = 0;
}

static int
on_enter_block(MD_BLOCKTYPE type, void *detail, void *userdata)
{
	struct marker *m = userdata;

	(void)detail;
	end_tag(m);
	if (type == MD_BLOCK_HTML) {
		m->in_block = 1;
		m->block_first = m->ncuts;
	}
	return 0;
}

static int
on_leave_block(MD_BLOCKTYPE type, void *detail, void *userdata)
{
	struct marker *m = userdata;

	(void)detail;
	end_tag(m);
	if (type == MD_BLOCK_HTML)
		end_block(m);
	return 0;
}

static int
on_span(MD_SPANTYPE type, void *detail, void *userdata)
{
	(void)type;
	(void)detail;
	end_tag(userdata);
	return 0;
}

/* md4c hands raw HTML as pointers into the document, a line at a time;
 * newlines and indentation come from its own static strings. */
static int
on_text(MD_TEXTTYPE type, const MD_CHAR *text, MD_SIZE size, void *userdata)
{
	struct marker *m = userdata;
	size_t at;

	if (text < m->doc || text >= m->doc + m->len || size == 0)
		return 0;
	at = (size_t)(text - m->doc);
	if (type != MD_TEXT_HTML) {
		end_tag(m);
		return 0;
	}
	if (m->in_block) {
		add_cut(m, at, at + size);
		return 0;
	}
	/* Every inline tag, comment or declaration ends in '>': a piece
	 * that does not is continued on the next line. */
	if (!m->tag_open) {
		m->tag_open = 1;
		m->tag_first = m->ncuts;
	}
	add_cut(m, at, at + size);
	if (text[size - 1] == '>')
		end_tag(m);
	return 0;
}

char *
rawhtml_mark(const char *md, size_t len, unsigned flags, size_t *outlen)
{
	struct marker m;
	MD_PARSER parser;
	struct buf out;
	size_t i, at = 0;

	if (memchr(md, '<', len) == NULL)
		return NULL;		/* no HTML: no second parse */
	memset(&m, 0, sizeof m);
	m.doc = md;
	m.len = len;
	memset(&parser, 0, sizeof parser);
	parser.flags = flags & ~(unsigned)MD_FLAG_NOHTML;
	parser.enter_block = on_enter_block;
	parser.leave_block = on_leave_block;
	parser.enter_span = on_span;
	parser.leave_span = on_span;
	parser.text = on_text;
	if (md_parse(md, (MD_SIZE)len, &parser, &m) != 0 || m.ncuts == 0) {
		free(m.cuts);
		return NULL;
	}
	end_tag(&m);
	buf_init(&out);
	for (i = 0; i < m.ncuts; i++) {
		if (m.cuts[i].start < at || m.cuts[i].with == NULL)
			continue;
		buf_add(&out, md + at, m.cuts[i].start - at);
		buf_addstr(&out, m.cuts[i].with);
		at = m.cuts[i].end;
	}
	buf_add(&out, md + at, len - at);
	free(m.cuts);
	*outlen = out.len;
	return buf_steal(&out);
}

/* --- the libxml2 side ---------------------------------------------- */

int
rawhtml_expand(xmlNodePtr node)
{
	xmlNodePtr second, nl;

	if (node->type != XML_COMMENT_NODE || node->content == NULL ||
	    strncmp((const char *)node->content, MARK, strlen(MARK)) != 0)
		return 0;
	if (node->content[strlen(MARK)] == '2') {
		if ((second = xmlNewComment((const xmlChar *)OMITTED)) ==
		    NULL || (nl = xmlNewText((const xmlChar *)"\n")) == NULL) {
			xmlFreeNode(second);
			return -1;
		}
		if (xmlAddNextSibling(node, second) == NULL ||
		    xmlAddNextSibling(node, nl) == NULL)
			return -1;
	}
	xmlNodeSetContent(node, (const xmlChar *)OMITTED);
	return 0;
}

/* Read as a browser reads a URL's scheme: ASCII whitespace and control
 * characters anywhere are skipped ("java\tscript:"). */
int
rawhtml_url_allowed(const char *url)
{
	static const char *const schemes[] = { "http", "https", "mailto",
	    "tel" };
	char scheme[16];
	size_t n = 0, i;
	const unsigned char *s;

	for (s = (const unsigned char *)url; *s != '\0'; s++) {
		if (*s <= ' ' || *s == 0x7f)
			continue;
		if (*s == ':')
			break;
		if (*s == '/' || *s == '?' || *s == '#')
			return 1;	/* relative */
		if (n + 1 >= sizeof scheme)
			return 0;
		scheme[n++] = (char)*s;
	}
	if (*s == '\0')
		return 1;
	scheme[n] = '\0';
	for (i = 0; i < sizeof schemes / sizeof schemes[0]; i++)
		if (strcasecmp(scheme, schemes[i]) == 0)
			return 1;
	return 0;
}

/* goldmark's rule for Markdown's own links when raw HTML is off: these
 * schemes give href="" (images of the common types excepted). */
int
rawhtml_url_dangerous(const char *url)
{
	static const char *const images[] = { "png", "gif", "jpeg", "webp",
	    "svg+xml" };
	size_t i;

	if (strncasecmp(url, "data:image/", 11) == 0) {
		for (i = 0; i < sizeof images / sizeof images[0]; i++)
			if (strncasecmp(url + 11, images[i],
			    strlen(images[i])) == 0)
				return 0;
		return 1;
	}
	return strncasecmp(url, "javascript:", 11) == 0 ||
	    strncasecmp(url, "vbscript:", 9) == 0 ||
	    strncasecmp(url, "file:", 5) == 0 ||
	    strncasecmp(url, "data:", 5) == 0;
}

static int
in_list(const char *name, const char *const *list)
{
	for (; *list != NULL; list++)
		if (strcasecmp(name, *list) == 0)
			return 1;
	return 0;
}

/* Formatting, tables, images, figures and <details>: what posts written
 * for GitHub and Hugo use. */
static const char *const allowed_elements[] = {
	"a", "abbr", "b", "bdi", "bdo", "blockquote", "br", "caption",
	"center", "cite", "code", "col", "colgroup", "dd", "del", "details",
	"dfn", "div", "dl", "dt", "em", "figcaption", "figure", "h1", "h2",
	"h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd", "li", "mark",
	"ol", "p", "pre", "q", "rp", "rt", "ruby", "s", "samp", "small",
	"span", "strike", "strong", "sub", "summary", "sup", "table",
	"tbody", "td", "tfoot", "th", "thead", "time", "tr", "tt", "u", "ul",
	"var", "wbr", NULL
};

/* Gone with everything inside; any other element is unwrapped. */
static const char *const dropped_elements[] = {
	"script", "style", "iframe", "frame", "frameset", "object", "embed",
	"applet", "form", "input", "button", "select", "textarea", "option",
	"template", "noscript", "svg", "math", "link", "meta", "base",
	"title", "head", "audio", "video", "source", "track", "canvas", NULL
};

static const char *const allowed_attrs[] = {
	"href", "src", "alt", "title", "width", "height", "align", "valign",
	"colspan", "rowspan", "open", "lang", "dir", "start", "reversed",
	"cite", "datetime", "id", "scope", "abbr", NULL
};

static void
sanitize_attrs(xmlNodePtr node)
{
	xmlAttrPtr attr, next;
	xmlChar *value;
	int keep;

	for (attr = node->properties; attr != NULL; attr = next) {
		next = attr->next;
		keep = in_list((const char *)attr->name, allowed_attrs);
		if (keep && (strcasecmp((const char *)attr->name, "href") ==
		    0 || strcasecmp((const char *)attr->name, "src") == 0)) {
			value = xmlNodeGetContent((xmlNodePtr)attr);
			keep = value != NULL &&
			    rawhtml_url_allowed((const char *)value);
			xmlFree(value);
		}
		if (!keep)
			xmlRemoveProp(attr);
	}
}

/* Moves node's children before it and frees it. */
static xmlNodePtr
unwrap(xmlNodePtr node)
{
	xmlNodePtr child, first = NULL, next, added;

	/* A text child may be merged into a text node before it: the node
	 * returned is the one to go on from. */
	for (child = node->children; child != NULL; child = next) {
		next = child->next;
		xmlUnlinkNode(child);
		if ((added = xmlAddPrevSibling(node, child)) == NULL)
			xmlFreeNode(child);
		else if (first == NULL)
			first = added;
	}
	next = first != NULL ? first : node->next;
	xmlUnlinkNode(node);
	xmlFreeNode(node);
	return next;
}

xmlNodePtr
rawhtml_sanitize(xmlNodePtr node, int *removed)
{
	xmlNodePtr next = node->next;

	*removed = 0;
	/* Comments too: libxml2 ends one only at "-->", a browser also at
	 * "--!>", so one written back could hide markup from this pass. */
	if (node->type == XML_PI_NODE || node->type == XML_DTD_NODE ||
	    node->type == XML_COMMENT_NODE ||
	    node->type == XML_CDATA_SECTION_NODE ||
	    (node->type == XML_ELEMENT_NODE &&
	    in_list((const char *)node->name, dropped_elements))) {
		xmlUnlinkNode(node);
		xmlFreeNode(node);
		*removed = 1;
		return next;
	}
	if (node->type != XML_ELEMENT_NODE)
		return node;
	if (!in_list((const char *)node->name, allowed_elements)) {
		*removed = 1;
		return unwrap(node);
	}
	sanitize_attrs(node);
	return node;
}

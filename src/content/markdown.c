/*
 * markdown.c -- md4c for parsing, libxml2 for link rewriting.
 *
 * Feed readers show entry content out of context: RSS has no xml:base and
 * many Atom readers ignore it, so a relative <img src="a.png"> breaks.  After
 * md4c renders HTML (GitHub dialect: tables, strikethrough, autolinks),
 * libxml2's HTML parser reads the fragment and xmlBuildURI resolves each
 * href/src against the page's permalink.  A real parser rather than string
 * search: attributes may be quoted either way, and escaping must survive
 * the round trip.  The same pass gives each heading the id (Hugo's anchor)
 * that event URLs point at, and does what Hugo's unsafe setting says of raw
 * HTML (rawhtml.c): by default each piece becomes Hugo's
 * "<!-- raw HTML omitted -->" and Markdown links to javascript: and the
 * like get href="" as goldmark gives them; with unsafe_html the HTML is
 * kept, through an allow-list.
 */
#include <string.h>

#include <libxml/HTMLparser.h>
#include <libxml/HTMLtree.h>
#include <libxml/uri.h>
#include <md4c-html.h>
#include <md4c.h>

#include "dict.h"
#include "markdown.h"
#include "mdtext.h"
#include "rawhtml.h"
#include "shortcode.h"
#include "text.h"
#include "utf8.h"
#include "util.h"

struct headings;
static char *html_rewrite(const char *, size_t, const char *, int,
    const struct headings *);

static void
collect_html(const MD_CHAR *text, MD_SIZE size, void *userdata)
{
	buf_add(userdata, text, size);
}

/* --- Hugo's heading ids, from the Markdown as written ----------------- */

/* Each heading's anchor, in document order, and whether it was written
 * as Hugo's "{#id}" (then its text must lose that). */
struct headings {
	char		**anchors;
	int		*explicit;
	size_t		 n, cap;
	const char	*doc;
	size_t		 len;
	int		 in_heading;
	const char	*first, *last;	/* its source text */
};

static int
heading_enter(MD_BLOCKTYPE type, void *detail, void *userdata)
{
	struct headings *h = userdata;

	(void)detail;
	if (type == MD_BLOCK_H) {
		h->in_heading = 1;
		h->first = h->last = NULL;
	}
	return 0;
}

static int
heading_text(MD_TEXTTYPE type, const MD_CHAR *text, MD_SIZE size,
    void *userdata)
{
	struct headings *h = userdata;

	(void)type;
	if (!h->in_heading || text < h->doc || text >= h->doc + h->len)
		return 0;
	if (h->first == NULL)
		h->first = text;
	h->last = text + size;
	return 0;
}

/* "Title {#my-id}": Hugo's id is my-id. */
static char *
written_explicit_id(const char *s, size_t len)
{
	size_t k, n;

	while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\t'))
		len--;
	if (len < 4 || s[len - 1] != '}')
		return NULL;
	for (k = len - 1; k > 0 && s[k] != '{'; k--)
		;
	if (s[k] != '{' || s[k + 1] != '#')
		return NULL;
	n = strcspn(s + k + 2, " \t}");
	return n > 0 ? xstrndup(s + k + 2, n) : NULL;
}

static int
heading_leave(MD_BLOCKTYPE type, void *detail, void *userdata)
{
	struct headings *h = userdata;
	const char *end;
	char *id;

	(void)detail;
	if (type != MD_BLOCK_H)
		return 0;
	h->in_heading = 0;
	if (h->n == h->cap) {
		h->cap = h->cap ? h->cap * 2 : 8;
		h->anchors = xreallocarray(h->anchors, h->cap,
		    sizeof *h->anchors);
		h->explicit = xreallocarray(h->explicit, h->cap,
		    sizeof *h->explicit);
	}
	if (h->first == NULL) {
		h->anchors[h->n] = mdtext_anchor("");
		h->explicit[h->n++] = 0;
		return 0;
	}
	/* To the end of the last text's line: a link's "(url)" after it. */
	end = memchr(h->last, '\n', (size_t)(h->doc + h->len - h->last));
	if (end == NULL)
		end = h->doc + h->len;
	id = written_explicit_id(h->first, (size_t)(end - h->first));
	h->explicit[h->n] = id != NULL;
	h->anchors[h->n++] = id != NULL ? id :
	    mdtext_heading_anchor(h->first, (size_t)(end - h->first));
	return 0;
}

static int
heading_span(MD_SPANTYPE type, void *detail, void *userdata)
{
	(void)type;
	(void)detail;
	(void)userdata;
	return 0;
}

static void
find_headings(struct headings *h, const char *md, size_t len)
{
	MD_PARSER parser;

	memset(h, 0, sizeof *h);
	if (memchr(md, '#', len) == NULL && memmem(md, len, "\n-", 2) ==
	    NULL && memmem(md, len, "\n=", 2) == NULL)
		return;
	h->doc = md;
	h->len = len;
	memset(&parser, 0, sizeof parser);
	parser.flags = MDTEXT_MD_FLAGS;
	parser.enter_block = heading_enter;
	parser.leave_block = heading_leave;
	parser.enter_span = heading_span;
	parser.leave_span = heading_span;
	parser.text = heading_text;
	if (md_parse(md, (MD_SIZE)len, &parser, h) != 0)
		h->n = 0;
}

static void
headings_free(struct headings *h)
{
	size_t i;

	for (i = 0; i < h->n; i++)
		free(h->anchors[i]);
	free(h->anchors);
	free(h->explicit);
}

char *
markdown_to_html(const char *md, size_t len, const char *base_uri)
{
	return markdown_render(md, len, base_uri, 0, NULL);
}

char *
markdown_render_plain(const char *md, size_t len)
{
	return markdown_render(md, len, NULL, 0, NULL);
}

char *
markdown_render(const char *md, size_t len, const char *base_uri,
    int unsafe_html, const struct shortcodes *sc)
{
	struct buf html;
	struct headings headings;
	char *marked = NULL, *out, *placed;
	size_t marked_len = 0;

	find_headings(&headings, md, len);

	if (!unsafe_html && (marked = rawhtml_mark(md, len, MDTEXT_MD_FLAGS,
	    &marked_len)) != NULL) {
		md = marked;
		len = marked_len;
	}
	buf_init(&html);
	if (md_html(md, (MD_SIZE)len, collect_html, &html, MDTEXT_MD_FLAGS,
	    MD_HTML_FLAG_SKIP_UTF8_BOM) != 0) {
		buf_reset(&html);
		buf_addstr(&html, "<p>(this page could not be rendered)</p>");
	}
	free(marked);
	if (sc != NULL && sc->n > 0 && html.len > 0) {
		placed = shortcode_place(html.data, html.len, sc);
		buf_reset(&html);
		buf_addstr(&html, placed);
		free(placed);
	}
	out = html_rewrite(html.data, html.len, base_uri, unsafe_html,
	    &headings);
	headings_free(&headings);
	buf_free(&html);
	return out;
}

/* Returns -1 when the attribute could not be rewritten. */
static int
absolutize_attr(xmlNodePtr node, const char *attr, const xmlChar *base,
    int unsafe_html)
{
	xmlChar *value, *resolved = NULL;
	int rc = 0;

	value = xmlGetProp(node, (const xmlChar *)attr);
	if (value == NULL)
		return 0;
	if (!unsafe_html && rawhtml_url_dangerous((const char *)value)) {
		if (xmlSetProp(node, (const xmlChar *)attr,
		    (const xmlChar *)"") == NULL)
			rc = -1;
	} else if (base != NULL) {
		resolved = xmlBuildURI(value, base);
		if (resolved != NULL && xmlStrcmp(resolved, value) != 0 &&
		    xmlSetProp(node, (const xmlChar *)attr, resolved) == NULL)
			rc = -1;
	}
	xmlFree(resolved);
	xmlFree(value);
	return rc;
}

static int
is_heading(xmlNodePtr node)
{
	const char *name = (const char *)node->name;

	return name[0] == 'h' && name[1] >= '1' && name[1] <= '6' &&
	    name[2] == '\0';
}

/* Hugo's figure caption holds an <h4> that is no heading. */
static int
is_page_heading(xmlNodePtr node)
{
	return node->type == XML_ELEMENT_NODE && is_heading(node) &&
	    (node->parent == NULL || xmlStrcmp(node->parent->name,
	    (const xmlChar *)"figcaption") != 0);
}

/* How the headings of one fragment are named. */
struct naming {
	struct dict		 used;
	const struct headings	*written;	/* NULL: from their text */
	size_t			 next;
};

/*
 * Hugo's explicit id, "## Title {#my-id}", as schedule.c reads it: taken
 * off the heading's last text and returned; NULL when there is none.
 */
static char *
explicit_id(xmlNodePtr node)
{
	xmlNodePtr last = node->last;
	const char *t, *open;
	char *text, *id;
	size_t len;

	if (last == NULL || last->type != XML_TEXT_NODE ||
	    last->content == NULL)
		return NULL;
	t = (const char *)last->content;
	len = strlen(t);
	while (len > 0 && (t[len - 1] == ' ' || t[len - 1] == '\t'))
		len--;
	if (len < 4 || t[len - 1] != '}')
		return NULL;
	for (open = t + len - 1; open > t && *open != '{'; open--)
		;
	if (*open != '{' || open[1] != '#' || open + 2 >= t + len - 1)
		return NULL;
	id = xstrndup(open + 2, (size_t)(t + len - 1 - (open + 2)));
	id[strcspn(id, " \t")] = '\0';
	text = utf8_clean_dup(id);
	free(id);
	if (*text == '\0') {
		free(text);
		return NULL;
	}
	len = (size_t)(open - t);
	while (len > 0 && (t[len - 1] == ' ' || t[len - 1] == '\t'))
		len--;
	id = xstrndup(t, len);
	xmlNodeSetContent(last, (const xmlChar *)id);
	free(id);
	return text;
}

/* Gives a heading the id schedule.c gives its events' URLs (#anchor):
 * Hugo's, from the heading as written. */
static int
name_heading(xmlNodePtr node, struct naming *nm)
{
	xmlChar *text;
	char *anchor, *unique;
	int n = 0, rc = 0;

	if (nm->written != NULL) {
		anchor = nm->written->explicit[nm->next] ? explicit_id(node) :
		    NULL;
		if (anchor == NULL)
			anchor = xstrdup(nm->written->anchors[nm->next]);
		nm->next++;
	} else if ((anchor = explicit_id(node)) == NULL) {
		text = xmlNodeGetContent(node);
		anchor = mdtext_anchor(text ? (const char *)text : "");
		xmlFree(text);
	}
	unique = xstrdup(anchor);
	while (dict_get(&nm->used, unique) != NULL) {
		free(unique);
		unique = xasprintf("%s-%d", anchor, ++n);
	}
	dict_set(&nm->used, unique, (void *)1);
	if (xmlSetProp(node, (const xmlChar *)"id", (const xmlChar *)unique) ==
	    NULL)
		rc = -1;
	free(unique);
	free(anchor);
	return rc;
}

static size_t
count_headings(xmlNodePtr node)
{
	size_t n = 0;

	for (; node != NULL; node = node->next)
		if (node->type == XML_ELEMENT_NODE)
			n += (size_t)is_page_heading(node) +
			    count_headings(node->children);
	return n;
}

static int
name_headings(xmlNodePtr node, struct naming *nm)
{
	int failures = 0;

	for (; node != NULL; node = node->next) {
		if (node->type != XML_ELEMENT_NODE)
			continue;
		if (is_page_heading(node))
			failures -= name_heading(node, nm);
		failures += name_headings(node->children, nm);
	}
	return failures;
}

static int
absolutize_tree(xmlNodePtr node, const xmlChar *base, int unsafe_html)
{
	int failures = 0, removed;

	while (node != NULL) {
		if (unsafe_html) {
			node = rawhtml_sanitize(node, &removed);
			if (removed)
				continue;
		}
		if (node->type == XML_COMMENT_NODE)
			failures -= rawhtml_expand(node);
		if (node->type != XML_ELEMENT_NODE) {
			node = node->next;
			continue;
		}
		failures -= absolutize_attr(node, "href", base, unsafe_html);
		failures -= absolutize_attr(node, "src", base, unsafe_html);
		failures += absolutize_tree(node->children, base, unsafe_html);
		node = node->next;
	}
	return failures;
}

/* Links, raw HTML, then heading ids: from the Markdown when every
 * heading is md4c's (raw <h2> kept by unsafe_html shifts the count). */
static int
rewrite_tree(xmlNodePtr body, const xmlChar *base, int unsafe_html,
    const struct headings *written)
{
	struct naming nm;
	int failures;

	failures = absolutize_tree(body->children, base, unsafe_html);
	dict_init(&nm.used);
	nm.next = 0;
	nm.written = written != NULL && written->n ==
	    count_headings(body->children) ? written : NULL;
	failures += name_headings(body->children, &nm);
	dict_free(&nm.used, NULL);
	return failures;
}

static xmlNodePtr
find_body(xmlNodePtr node)
{
	xmlNodePtr found;

	for (; node != NULL; node = node->next) {
		if (node->type == XML_ELEMENT_NODE &&
		    xmlStrcmp(node->name, (const xmlChar *)"body") == 0)
			return node;
		if ((found = find_body(node->children)) != NULL)
			return found;
	}
	return NULL;
}

char *
markdown_absolutize(const char *html, size_t len, const char *base_uri)
{
	return html_rewrite(html, len, base_uri, 0, NULL);
}

/* Whether the fragment holds anything the libxml2 pass changes. */
static int
needs_rewrite(const char *html, int unsafe_html)
{
	return unsafe_html || strstr(html, "href=") != NULL ||
	    strstr(html, "src=") != NULL || strstr(html, "<h") != NULL ||
	    strstr(html, "<!--") != NULL;
}

static char *
html_rewrite(const char *html, size_t len, const char *base_uri,
    int unsafe_html, const struct headings *written)
{
	xmlDocPtr doc;
	xmlNodePtr body, child;
	xmlOutputBufferPtr out;
	struct buf result, wrapped;
	const xmlChar *bytes;
	size_t n;
	int failures;

	if (len == 0 || !needs_rewrite(html, unsafe_html))
		return xstrndup(html, len);
	/* Inside <body>: else libxml2 puts a leading comment before <html>
	 * and a leading <script> or <title> in <head>.  Only the body's
	 * children are written back: no DOCTYPE needed, and short text nodes
	 * kept compact (fewer allocations). */
	buf_init(&wrapped);
	buf_addstr(&wrapped, "<body>");
	buf_add(&wrapped, html, len);
	doc = htmlReadMemory(wrapped.data, (int)wrapped.len, base_uri,
	    "UTF-8", HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
	    HTML_PARSE_NONET | HTML_PARSE_NODEFDTD | HTML_PARSE_COMPACT);
	buf_free(&wrapped);
	if (doc == NULL || (body = find_body(xmlDocGetRootElement(doc))) ==
	    NULL) {
		xmlFreeDoc(doc);
		return unsafe_html ? xstrdup("") : xstrndup(html, len);
	}
	buf_init(&result);
	failures = rewrite_tree(body, (const xmlChar *)base_uri, unsafe_html,
	    written);
	if (failures != 0) {
		xmlFreeDoc(doc);
		buf_free(&result);
		return unsafe_html ? xstrdup("") : xstrndup(html, len);
	}
	if ((out = xmlAllocOutputBuffer(NULL)) != NULL) {
		for (child = body->children; child; child = child->next)
			htmlNodeDumpFormatOutput(out, doc, child, "UTF-8", 0);
		xmlOutputBufferFlush(out);
		bytes = xmlOutputBufferGetContent(out);
		n = xmlOutputBufferGetSize(out);
		if (bytes != NULL)
			buf_add(&result, bytes, n);
		xmlOutputBufferClose(out);
	}
	xmlFreeDoc(doc);
	if (result.len == 0 && !unsafe_html) {
		buf_free(&result);
		return xstrndup(html, len);
	}
	return buf_steal(&result);
}

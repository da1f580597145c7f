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

#include "markdown.h"
#include "mdtext.h"
#include "rawhtml.h"
#include "shortcode.h"
#include "util.h"

static char *html_rewrite(const char *, size_t, const char *, int);

static void
collect_html(const MD_CHAR *text, MD_SIZE size, void *userdata)
{
	buf_add(userdata, text, size);
}

char *
markdown_to_html(const char *md, size_t len, const char *base_uri)
{
	return markdown_render(md, len, base_uri, 0, NULL);
}

char *
markdown_render(const char *md, size_t len, const char *base_uri,
    int unsafe_html, const struct shortcodes *sc)
{
	struct buf html;
	char *marked = NULL, *out, *placed;
	size_t marked_len = 0;

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
	out = html_rewrite(html.data, html.len, base_uri, unsafe_html);
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
	text = text_clean_dup(id);
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

/* Gives a heading the id schedule.c gives its events' URLs (#anchor). */
static int
name_heading(xmlNodePtr node, struct dict *used)
{
	xmlChar *text;
	char *anchor, *unique;
	int n = 0, rc = 0;

	if ((anchor = explicit_id(node)) == NULL) {
		text = xmlNodeGetContent(node);
		anchor = mdtext_anchor(text ? (const char *)text : "");
		xmlFree(text);
	}
	unique = xstrdup(anchor);
	while (dict_get(used, unique) != NULL) {
		free(unique);
		unique = xasprintf("%s-%d", anchor, ++n);
	}
	dict_set(used, unique, (void *)1);
	if (xmlSetProp(node, (const xmlChar *)"id", (const xmlChar *)unique) ==
	    NULL)
		rc = -1;
	free(unique);
	free(anchor);
	return rc;
}

static int
absolutize_tree(xmlNodePtr node, const xmlChar *base, struct dict *used,
    int unsafe_html)
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
		/* Hugo's figure caption holds an <h4> that is no heading. */
		if (is_heading(node) && (node->parent == NULL ||
		    xmlStrcmp(node->parent->name,
		    (const xmlChar *)"figcaption") != 0))
			failures -= name_heading(node, used);
		failures -= absolutize_attr(node, "href", base, unsafe_html);
		failures -= absolutize_attr(node, "src", base, unsafe_html);
		failures += absolutize_tree(node->children, base, used,
		    unsafe_html);
		node = node->next;
	}
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
html_absolutize(const char *html, size_t len, const char *base_uri)
{
	return html_rewrite(html, len, base_uri, 0);
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
    int unsafe_html)
{
	xmlDocPtr doc;
	xmlNodePtr body, child;
	xmlOutputBufferPtr out;
	struct buf result, wrapped;
	const xmlChar *bytes;
	size_t n;
	struct dict used;
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
	dict_init(&used);
	failures = absolutize_tree(body->children, (const xmlChar *)base_uri,
	    &used, unsafe_html);
	dict_free(&used, NULL);
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

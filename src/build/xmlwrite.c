/*
 * xmlwrite.c -- see xmlwrite.h.  libxml2 2.9's writer escapes < > & and "
 * but writes control characters and broken UTF-8 as they come, which makes
 * a feed unparseable; so every string passes utf8_clean() first.  CDATA is
 * never used: "]]>" inside it is not split by the writer.
 *
 * Heads and fragments (xw_head, xw_fragment) let a feed be written in
 * pieces, each byte for byte as in the whole document; render_feed()
 * joins them.
 */
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "utf8.h"
#include "util.h"
#include "render.h"
#include "xmlwrite.h"

int
xmlwrite_open(struct xw *x)
{
	memset(x, 0, sizeof *x);
	if ((x->buf = xmlBufferCreate()) == NULL)
		return -1;
	if ((x->w = xmlNewTextWriterMemory(x->buf, 0)) == NULL) {
		xmlBufferFree(x->buf);
		return -1;
	}
	if (xmlTextWriterSetIndent(x->w, 1) < 0 ||
	    xmlTextWriterSetIndentString(x->w, (const xmlChar *)" ") < 0 ||
	    xmlTextWriterStartDocument(x->w, "1.0", "utf-8", NULL) < 0)
		x->failed = 1;
	return 0;
}

static void
check(struct xw *x, int rc)
{
	if (rc < 0)
		x->failed = 1;
}

void
xmlwrite_start(struct xw *x, const char *name)
{
	check(x, xmlTextWriterStartElement(x->w, (const xmlChar *)name));
}

void
xmlwrite_end(struct xw *x)
{
	check(x, xmlTextWriterEndElement(x->w));
}

void
xmlwrite_attr(struct xw *x, const char *name, const char *value)
{
	char *clean = utf8_clean_dup(value ? value : "");

	check(x, xmlTextWriterWriteAttribute(x->w, (const xmlChar *)name,
	    (const xmlChar *)clean));
	free(clean);
}

void
xmlwrite_element(struct xw *x, const char *name, const char *text)
{
	char *clean = utf8_clean_dup(text ? text : "");

	check(x, xmlTextWriterWriteElement(x->w, (const xmlChar *)name,
	    (const xmlChar *)clean));
	free(clean);
}

#define MEDIA_RSS_NS	"http://search.yahoo.com/mrss/"

void
xmlwrite_media_thumbnail(struct xw *x, const char *url)
{
	if (url == NULL)
		return;
	xmlwrite_start(x, "media:thumbnail");
	xmlwrite_attr(x, "xmlns:media", MEDIA_RSS_NS);
	xmlwrite_attr(x, "url", url);
	xmlwrite_end(x);
}

void
xmlwrite_text(struct xw *x, const char *text)
{
	char *clean = utf8_clean_dup(text ? text : "");

	check(x, xmlTextWriterWriteString(x->w, (const xmlChar *)clean));
	free(clean);
}

/* Flushes the writer, frees it and returns its bytes from offset skip. */
static char *
take(struct xw *x, size_t skip, size_t *len)
{
	char *out = NULL;
	size_t n;

	check(x, xmlTextWriterFlush(x->w));
	xmlFreeTextWriter(x->w);
	n = (size_t)xmlBufferLength(x->buf);
	if (!x->failed && n >= skip) {
		*len = n - skip;
		out = xstrndup((const char *)xmlBufferContent(x->buf) + skip,
		    *len);
	} else
		log_error("xml writer failed; the previous document is kept");
	xmlBufferFree(x->buf);
	memset(x, 0, sizeof *x);
	return out;
}

char *
xmlwrite_head(struct xw *x, size_t *len)
{
	return take(x, 0, len);
}

char *
xmlwrite_close(struct xw *x, size_t *len)
{
	check(x, xmlTextWriterEndDocument(x->w));
	return take(x, 0, len);
}

#define PLACEHOLDER	"x"
#define XML_DECLARATION	"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"

/* With the declaration, which xw_fragment strips: without it the writer
 * escapes non-ASCII characters. */
int
xmlwrite_open_fragment(struct xw *x, int depth)
{
	int i;

	if (xmlwrite_open(x) == -1)
		return -1;
	for (i = 0; i < depth; i++)
		xmlwrite_start(x, PLACEHOLDER);
	return 0;
}

/* The declaration and placeholders as the writer puts them. */
char *
xmlwrite_fragment(struct xw *x, int depth, size_t *len)
{
	struct buf open;
	char *out;
	int i;

	buf_init(&open);
	buf_addstr(&open, XML_DECLARATION);
	for (i = 0; i < depth; i++)
		buf_printf(&open, "%*s<" PLACEHOLDER ">\n", i, "");
	check(x, xmlTextWriterFlush(x->w));
	if ((size_t)xmlBufferLength(x->buf) < open.len || (open.len > 0 &&
	    memcmp(xmlBufferContent(x->buf), open.data, open.len) != 0))
		x->failed = 1;
	out = take(x, open.len, len);
	buf_free(&open);
	return out;
}

char *
render_feed(const struct feed_writer *fw, const struct config *cfg,
    const struct channel *ch, struct page *const *pages, size_t npages,
    size_t *len)
{
	return render_feed_translated(fw, cfg, ch, pages, npages, NULL, NULL,
	    len);
}

char *
render_feed_translated(const struct feed_writer *fw,
    const struct config *cfg, const struct channel *ch,
    struct page *const *pages, size_t npages,
    struct page *const *translations, const size_t *ntranslations,
    size_t *len)
{
	struct buf out;
	size_t i, n, ntr, first = 0;
	char *s;

	if ((s = fw->head(cfg, ch, pages, npages, &n)) == NULL)
		return NULL;
	buf_init(&out);
	buf_add(&out, s, n);
	free(s);
	for (i = 0; i < npages; i++) {
		ntr = ntranslations != NULL ? ntranslations[i] : 0;
		s = fw->entry(pages[i], ntr > 0 ? translations + first : NULL,
		    ntr, &n);
		first += ntr;
		if (s == NULL || n < fw->separator_len) {
			free(s);
			buf_free(&out);
			return NULL;
		}
		/* The first entry goes without its separator. */
		if (i == 0)
			buf_add(&out, s + fw->separator_len,
			    n - fw->separator_len);
		else
			buf_add(&out, s, n);
		free(s);
	}
	buf_addstr(&out, fw->tail);
	*len = out.len;
	return buf_steal(&out);
}

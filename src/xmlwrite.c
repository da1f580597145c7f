/*
 * xmlwrite.c -- see xmlwrite.h.  libxml2 2.9's writer escapes < > & and "
 * but writes control characters and broken UTF-8 as they come, which makes
 * a feed unparseable; so every string passes text_clean() first.  CDATA is
 * never used: "]]>" inside it is not split by the writer.
 */
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "util.h"
#include "xmlwrite.h"

int
xw_open(struct xw *x)
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
xw_start(struct xw *x, const char *name)
{
	check(x, xmlTextWriterStartElement(x->w, (const xmlChar *)name));
}

void
xw_end(struct xw *x)
{
	check(x, xmlTextWriterEndElement(x->w));
}

void
xw_attr(struct xw *x, const char *name, const char *value)
{
	char *clean = text_clean_dup(value ? value : "");

	check(x, xmlTextWriterWriteAttribute(x->w, (const xmlChar *)name,
	    (const xmlChar *)clean));
	free(clean);
}

void
xw_element(struct xw *x, const char *name, const char *text)
{
	char *clean = text_clean_dup(text ? text : "");

	check(x, xmlTextWriterWriteElement(x->w, (const xmlChar *)name,
	    (const xmlChar *)clean));
	free(clean);
}

void
xw_text(struct xw *x, const char *text)
{
	char *clean = text_clean_dup(text ? text : "");

	check(x, xmlTextWriterWriteString(x->w, (const xmlChar *)clean));
	free(clean);
}

char *
xw_close(struct xw *x, size_t *len)
{
	char *out = NULL;

	check(x, xmlTextWriterEndDocument(x->w));
	xmlFreeTextWriter(x->w);	/* flushes into buf */
	if (!x->failed) {
		*len = (size_t)xmlBufferLength(x->buf);
		out = xstrndup((const char *)xmlBufferContent(x->buf), *len);
	} else
		log_error("xml writer failed; the previous document is kept");
	xmlBufferFree(x->buf);
	memset(x, 0, sizeof *x);
	return out;
}

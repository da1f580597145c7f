/*
 * render_opml.c -- OPML 2.0 (http://opml.org/spec2.opml): every feed and
 * calendar crier serves, for a feed reader to import in one step.
 *
 * One outline per group (the site, "Sections", "Tags", "Categories"),
 * which readers such as newsboat turn into a folder or tag, holding one
 * outline per subject's Atom feed (type="rss" is OPML's word for any
 * feed) and one per calendar offered (type="link", OPML 2.0's outline of
 * a plain URL).  Only Atom of the three feed formats: importing the same
 * entries three times would be no help.  No dateCreated: the bytes
 * depend on the subjects alone, never on the clock.
 */
#include <stdlib.h>

#include "render.h"
#include "util.h"
#include "xmlwrite.h"

#define OPML_DOCS	"http://opml.org/spec2.opml"

static void
text_and_title(struct xw *x, const char *text)
{
	xmlwrite_attr(x, "text", text);
	xmlwrite_attr(x, "title", text);
}

static void
feed_outline(struct xw *x, const struct opml_subject *s)
{
	xmlwrite_start(x, "outline");
	xmlwrite_attr(x, "type", "rss");
	text_and_title(x, s->title);
	xmlwrite_attr(x, "xmlUrl", s->feed_url);
	xmlwrite_attr(x, "htmlUrl", s->html_url);
	xmlwrite_end(x);
}

static void
calendar_outline(struct xw *x, const struct opml_subject *s)
{
	char *title = xasprintf("%s (calendar)", s->title);

	xmlwrite_start(x, "outline");
	xmlwrite_attr(x, "type", "link");
	text_and_title(x, title);
	xmlwrite_attr(x, "url", s->calendar_url);
	xmlwrite_attr(x, "htmlUrl", s->html_url);
	xmlwrite_end(x);
	free(title);
}

char *
render_opml(const struct config *cfg, const struct opml_group *groups,
    size_t ngroups, size_t *len)
{
	struct xw x;
	size_t g, i;

	if (xmlwrite_open(&x) == -1)
		return NULL;
	xmlwrite_start(&x, "opml");
	xmlwrite_attr(&x, "version", "2.0");
	xmlwrite_start(&x, "head");
	xmlwrite_element(&x, "title", cfg->title);
	if (cfg->author[0] != '\0')
		xmlwrite_element(&x, "ownerName", cfg->author);
	xmlwrite_element(&x, "docs", OPML_DOCS);
	xmlwrite_end(&x);
	xmlwrite_start(&x, "body");
	for (g = 0; g < ngroups; g++) {
		if (groups[g].n == 0)
			continue;
		xmlwrite_start(&x, "outline");
		text_and_title(&x, groups[g].name);
		for (i = 0; i < groups[g].n; i++) {
			feed_outline(&x, &groups[g].subjects[i]);
			if (groups[g].subjects[i].calendar_url != NULL)
				calendar_outline(&x, &groups[g].subjects[i]);
		}
		xmlwrite_end(&x);
	}
	return xmlwrite_close(&x, len);
}

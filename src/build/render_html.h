/*
 * render_html.h -- the pages people read: the front page with subscribe
 * links, and one page per post (the permalink feed entries point to).
 */
#ifndef CRIER_RENDER_HTML_H
#define CRIER_RENDER_HTML_H

#include <stddef.h>
#include <time.h>

#include "config.h"
#include "dict.h"
#include "page.h"
#include "render.h"
#include "upcoming.h"
#include "util.h"

#define RECENT_MAX	20	/* posts listed on the front page */

/* A calendar is offered (links, autodiscovery) only for a subject whose
 * calendar holds events: one with none would be an empty subscription. */
struct html_index {
	struct page *const	*site_pages;	/* newest first */
	size_t			 nsite_pages;
	size_t			 nsite_events;	/* in the site's calendar */
	const struct upcoming	*upcoming;	/* walls filled */
	const struct dict	*sections;	/* -> struct subject */
	const struct dict	*tags;
	const struct dict	*categories;
	const struct dict	*terms;		/* a Hugo site's other taxonomies' */
};

char	*render_html_index(const struct config *, const struct html_index *,
	    size_t *len);
/* A post's page; translations: its pages in other languages (index.h),
 * linked by hreflang in the head and by name in the body. */
char	*render_html_page(const struct config *, const struct page *,
	    struct page *const *translations, size_t ntranslations,
	    size_t *len);

#endif

/*
 * render_jsonld.h -- schema.org JSON-LD for the pages people read: a
 * BlogPosting and its Events on a post's page, the upcoming Events on the
 * front page.  Also the event times and places that render_html.c's
 * microformats (h-event) show, so both say the same thing.
 */
#ifndef CRIER_RENDER_JSONLD_H
#define CRIER_RENDER_JSONLD_H

#include <time.h>

#include "config.h"
#include "dates.h"
#include "event.h"
#include "page.h"
#include "upcoming.h"
#include "util.h"

/* One occurrence of an event as a page shows it. */
struct jsonld_event {
	const struct event	*event;
	const struct page	*page;		/* its page, or NULL */
	const struct datetime	*start;		/* wall clocks in its zone */
	const struct datetime	*end;		/* (dates when all day) */
	time_t			 start_utc;
	time_t			 end_utc;
};

/* The start as ISO 8601 with the zone's offset (a date when all day). */
void	 render_jsonld_start(const struct jsonld_event *, char [DATE_BUFSIZE]);
/* The end the same way, the last day when all day; 0 when no end was
 * written (the assumed hour is no fact to publish). */
int	 render_jsonld_end(const struct jsonld_event *, char [DATE_BUFSIZE]);

/* <script type="application/ld+json"> of a post's page; nothing when
 * jansson fails. */
void	 render_jsonld_page(struct buf *, const struct config *,
	    const struct page *);
/* The same, of the front page: each upcoming event listed; nothing when
 * none is. */
void	 render_jsonld_front(struct buf *, const struct config *,
	    const struct upcoming *);

#endif

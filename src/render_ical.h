/*
 * render_ical.h -- the parts of the iCalendar writer (render_ical.c) that
 * calendar.c assembles calendars from.  Private to those two files.
 */
#ifndef CRIER_RENDER_ICAL_H
#define CRIER_RENDER_ICAL_H

#include <stddef.h>
#include <stdint.h>

#include <libical/ical.h>

#include "config.h"
#include "page.h"
#include "render.h"

#define ICAL_END	"END:VCALENDAR\r\n"

/* A zone a calendar uses: its VTIMEZONE starts the year before year. */
struct zone_use {
	const char	*location;	/* the IANA name */
	icaltimezone	*zone;
	int		 year;		/* of the earliest event in it */
};

/* The zone ev's times are written in, or NULL for UTC. */
icaltimezone	*ical_event_zone(const struct event *, const char **location);
/* Does ev have an organizer (its own or the site's)? */
int		 ical_event_organized(const struct config *,
		    const struct event *);
/* The settings a VEVENT shows, hashed for ical_event_piece. */
uint64_t	 ical_settings_key(const struct config *);
/* ie's VEVENT text, a new reference (kept on the event, see render.h). */
struct piece	*ical_event_piece(struct zones *, uint64_t settings,
		    const struct config *, const struct ical_event *);
/* The VCALENDAR's head and VTIMEZONEs as libical writes them (folded
 * again), without ICAL_END; organized: every event has an organizer;
 * empty: it has no event, so it carries the site zone's VTIMEZONE. */
char		*ical_head_text(struct zones *, const struct config *,
		    const struct channel *, int organized, int empty,
		    const struct zone_use *, size_t nused, size_t *len);

#endif

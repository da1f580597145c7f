/*
 * render_ical.h -- the parts of the iCalendar writer (render_ical.c) that
 * calendar.c assembles calendars from.  Private to those two files.
 */
#ifndef CRIER_RENDER_ICAL_H
#define CRIER_RENDER_ICAL_H

#include <stddef.h>
#include <stdint.h>

#include "config.h"
#include "event.h"
#include "ical_zones.h"
#include "render.h"

#define ICAL_END	"END:VCALENDAR\r\n"

/* Does ev have an organizer (its own or the site's)? */
int	 render_ical_organized(const struct config *, const struct event *);
/* The settings a VEVENT shows, hashed: what a kept VEVENT depends on
 * besides its event, its page and the state. */
uint64_t render_ical_settings_key(const struct config *);
/* The colour settings (color, color.SECTION), hashed. */
uint64_t render_ical_colors_key(const struct config *);
/* An event's COLOR: its own (an imported file's), else its section's or
 * the site's; NULL for none. */
const char *render_ical_event_color(const struct config *,
	    const struct event *, const struct page *);
/* ie's VEVENT as libical writes it (folded again), malloc'd. */
char	*render_ical_vevent(const struct config *, const struct ical_event *,
	    size_t *len);
/* The VCALENDAR's head and VTIMEZONEs as libical writes them (folded
 * again), without ICAL_END; organized: every event has an organizer;
 * empty: it has no event, so it carries the site zone's VTIMEZONE. */
char	*render_ical_head(struct ical_zones *, const struct config *,
	    const struct channel *, int organized, int empty,
	    const struct ical_zone_use *, size_t nused, size_t *len);
/* The whole calendar as one VCALENDAR serialised by libical: the
 * reference the assembled calendars are tested against. */
char	*render_ical_whole(const struct config *, const struct channel *,
	    const struct ical_event *, size_t nevents, size_t *len);

#endif

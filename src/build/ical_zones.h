/*
 * ical_zones.h -- the VTIMEZONEs calendars carry, prepared once per zone
 * and year and shared by every calendar (thread-safe).  See ical_zones.c.
 */
#ifndef CRIER_ICAL_ZONES_H
#define CRIER_ICAL_ZONES_H

#include <stddef.h>

#include <libical/ical.h>

#include "config.h"
#include "event.h"
#include "render.h"

struct ical_zones;

struct ical_zones *ical_zones_new(void);
void	 ical_zones_free(struct ical_zones *);

/* A zone a calendar uses: its VTIMEZONE starts the year before year. */
struct ical_zone_use {
	const char	*location;	/* the IANA name */
	icaltimezone	*zone;
	int		 year;		/* of the earliest event in it */
};

/* The zone ev's times are written in, or NULL for UTC (or no zone). */
icaltimezone	*ical_zones_event(const struct event *, const char **location);
/* The zones evs use, in order of first use, each with its earliest
 * event's year; returns how many (*out is malloc'd). */
size_t		 ical_zones_collect(const struct ical_event *evs, size_t n,
		    struct ical_zone_use **out);
/* The prepared VTIMEZONE of zone (IANA name location) from year on: a
 * clone to add to a calendar, or its text as libical writes it (kept as
 * long as the cache).  NULL when libical has none. */
icalcomponent	*ical_zones_component(struct ical_zones *, icaltimezone *,
		    const char *location, int year);
const char	*ical_zones_text(struct ical_zones *, icaltimezone *,
		    const char *location, int year);
/* The same for a calendar without events: the site zone's (UTC's when
 * the site's is UTC). */
icalcomponent	*ical_zones_empty_component(struct ical_zones *,
		    const struct config *);
const char	*ical_zones_empty_text(struct ical_zones *,
		    const struct config *);

#endif

/*
 * event.h -- one calendar event, whatever it came from: the front matter
 * or a written schedule (page.c), or a dropped .ics file (ics.c).
 *
 * Both parsers fill it and nothing else writes it: what calendars keep
 * of an event (its VEVENT text, its next occurrence, the state's SEQUENCE
 * and LAST-MODIFIED) is kept by whoever computes it, keyed by the event
 * or travelling beside it (struct ical_event, render.h).  So it sits
 * below both parsers and every writer, and knows only dates and settings.
 */
#ifndef CRIER_EVENT_H
#define CRIER_EVENT_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "config.h"
#include "dates.h"

/* Where to take part from afar: an RFC 7986 CONFERENCE. */
struct event_conference {
	char		*uri;
	char		*feature;	/* FEATURE (VIDEO, PHONE, ...), or NULL */
	char		*label;		/* LABEL, or NULL */
};

/* One calendar event, whatever it came from. */
struct event {
	char		*uid;
	char		*anchor;	/* "#fragment" part of url, or "" */
	char		*title;
	char		*description;
	char		*location;
	char		*url;
	char		*rrule;		/* RRULE value, or NULL */
	char		*tzid;		/* IANA zone; NULL: start/end are UTC */
	char		*organizer;	/* email */
	char		*image;		/* absolute URL (IMAGE), or NULL */
	char		*color;		/* CSS3 name an imported file wrote,
					   or NULL: the settings' */
	struct event_conference *conferences;
	size_t		 nconferences;
	struct datetime	 start;		/* wall clock in tzid */
	struct datetime	 end;		/* exclusive; date-only for all-day */
	int		 all_day;
	int		 end_open;	/* no end or duration was written: end
					   is the assumed hour (or day), which
					   calendars need and structured data
					   must not claim */
	int		 cancelled;
	int		 line;		/* where it was written */
	int		 sequence;	/* SEQUENCE written in an imported
					   file, else 0 */
	time_t		 start_utc;
	time_t		 end_utc;
	uint64_t	 hash;		/* of its own content, for SEQUENCE */
	time_t		 modified;	/* LAST-MODIFIED written in an
					   imported file, else 0 */
};

/* Calendar clients and libical handle these years; others are refused. */
#define EVENT_YEAR_MIN 1900
#define EVENT_YEAR_MAX 2999

/* A stable UID from the page path and the event's anchor. */
char	*event_uid(const struct config *, const char *path, const char *key);
/* Adds a CONFERENCE; feature and label may be NULL. */
void	 event_add_conference(struct event *, const char *uri,
	    const char *feature, const char *label);
/* The URL to watch it at: its first conference's, or NULL. */
const char *event_online(const struct event *);
/* The event's content hash, from everything a calendar shows of it. */
uint64_t event_hash(const struct event *);
/* Frees what the event holds and zeroes it. */
void	 event_clear(struct event *);

#endif

/*
 * upcoming.h -- the front page's "Upcoming events": each event or series
 * at its next occurrence that has not ended, and when that list next
 * changes by itself.
 */
#ifndef CRIER_UPCOMING_H
#define CRIER_UPCOMING_H

#include <stddef.h>
#include <time.h>

#include <libical/ical.h>

#include "dates.h"
#include "page.h"
#include "render.h"
#include "util.h"

#define UPCOMING_MAX	30	/* events listed on the front page */

/* Series, and events longer than this, are kept apart (the index's
 * `lasting`): the others are found from their start alone. */
#define UPCOMING_LASTING	(7 * 86400)

/* Beyond this many occurrences a rule is not followed (an hourly series
 * of years, a weekday one of decades): the series is not listed.  Plain
 * daily and weekly rules skip to the present (upcoming.c). */
#define UPCOMING_STEPS_MAX	5000

/* One occurrence, as instants: it has ended when end <= now.  An all-day
 * one runs from midnight to midnight in the site's zone. */
struct occurrence {
	time_t	start;
	time_t	end;
};

/* The first occurrence of e that has not ended at now; 0 when none (the
 * event, or every occurrence of its series, is over).  site: the zone
 * all-day events are days of.  Pure: no cache, no clock. */
int	 upcoming_occurrence(const struct event *, icaltimezone *site,
	    time_t now, struct occurrence *);

/* Is the event in the index's `lasting` list (a series, or longer than
 * UPCOMING_LASTING)? */
int	 upcoming_lasting(const struct event *);

struct upcoming_item {
	const struct ical_event	*ie;
	struct occurrence	 when;
	/* The wall clock shown, in the event's zone (dates when all day):
	 * filled by upcoming_walls(). */
	struct datetime		 start;
	struct datetime		 end;
};

struct upcoming {
	struct upcoming_item	 items[UPCOMING_MAX];	/* earliest first */
	size_t			 n;
	time_t			 next_change;	/* the earliest end listed;
						   0: never by itself */
};

/*
 * What upcoming_pick() found for the events it looked at, kept by whoever
 * asks (the catalog, for the front page) from one pick to the next: an
 * occurrence stays the first not ended until it ends, so a series is
 * followed again only when one of its occurrences is over.
 */
struct upcoming_memo;
struct upcoming_memo *upcoming_memo_new(void);
void	 upcoming_memo_free(struct upcoming_memo *);

/*
 * The first UPCOMING_MAX occurrences that have not ended at now, one per
 * event or series.  events: sorted by start (a subject's array), whose
 * lasting ones are also in lasting[] (in any order) and are taken from
 * there.  memo: what earlier picks found (NULL: none kept).
 */
void	 upcoming_pick(struct upcoming *, struct upcoming_memo *,
	    const struct ical_event *events, size_t nevents,
	    const struct ical_event *lasting, size_t nlasting,
	    icaltimezone *site, time_t now);
/* The wall clocks of the items picked, for showing them. */
void	 upcoming_walls(struct upcoming *, icaltimezone *site);

/* "repeats weekly", "repeats every 2 weeks": a rule's FREQ and INTERVAL
 * in plain words; nothing for no rule or one libical cannot read. */
void	 upcoming_repeats(struct buf *, const char *rrule);

#endif

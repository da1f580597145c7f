/*
 * ical_zones.c -- VTIMEZONEs as calendar clients accept them, prepared
 * once per zone and year and shared by every calendar.
 *
 * libical's zones are named "/freeassociation.sourceforge.net/Area/City"
 * and carry every transition since the zone began; calendar clients want
 * the plain IANA name, only the years the calendar needs, and one RRULE
 * per observance where tzdata allows (Outlook mis-reads more).  So each
 * VTIMEZONE is cloned from libical's, renamed, truncated and its rules
 * joined (prepare_vtimezone), and kept by "Area/City\nYEAR" -- the key
 * holds everything its bytes depend on, so the cache never changes
 * output -- as a component (for a calendar built whole) and as the text
 * libical writes for it (for heads assembled from kept texts: libical
 * writes a component the same way alone or inside a VCALENDAR).
 *
 * Which zones a calendar needs is also decided here: an event's zone
 * (UTC and "GMT" have no VTIMEZONE: their times are written with 'Z'),
 * each zone from the year before its earliest event, and for a calendar
 * without events, which RFC 5545 still wants to hold a component, the
 * site zone's from a constant late year (no event says which years
 * matter, and the clock must not) or a one-observance UTC one.
 *
 * Thread-safe: calendars are rendered on every core, and one lock guards
 * the cache; libical's own zones are looked up through dates.c.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libical/ical.h>

#include "dates.h"
#include "dict.h"
#include "ical_fold.h"
#include "ical_zones.h"
#include "util.h"

struct ical_zones {
	pthread_mutex_t	 lock;
	struct dict	 cache;		/* key -> icalcomponent * */
	struct dict	 texts;		/* key -> the same, serialised */
};

#define ZONE_FIRST_YEAR	1970
#define ZONE_LAST_YEAR	2037
/* A calendar without events: the zone's rules as tzdata projects them,
 * in their shortest form (see site_zone). */
#define ZONE_EMPTY_YEAR	(ZONE_LAST_YEAR - 1)

/* libical returns NULL from constructors only when it cannot allocate. */
static void *
must(void *p, const char *what)
{
	if (p == NULL) {
		fprintf(stderr, "crier: libical failed to build %s\n", what);
		abort();
	}
	return p;
}

struct ical_zones *
ical_zones_new(void)
{
	struct ical_zones *z = xcalloc(1, sizeof *z);

	if (pthread_mutex_init(&z->lock, NULL) != 0)
		abort();
	dict_init(&z->cache);
	dict_init(&z->texts);
	return z;
}

static void
free_component(void *p)
{
	icalcomponent_free(p);
}

void
ical_zones_free(struct ical_zones *z)
{
	if (z == NULL)
		return;
	dict_free(&z->cache, free_component);
	dict_free(&z->texts, free);
	pthread_mutex_destroy(&z->lock);
	free(z);
}

/*
 * Outlook mis-reads VTIMEZONEs with several STANDARD or DAYLIGHT parts.
 * tzdata's compiled files list transitions up to 2037 and leave the rest
 * to a rule, so libical ends each rule in 2037 and starts an identical
 * one after it.  Join such pairs back into one open-ended rule.
 */
static int
same_prop(icalcomponent *a, icalcomponent *b, icalproperty_kind kind)
{
	icalproperty *pa, *pb;
	char *sa, *sb;
	int same;

	pa = icalcomponent_get_first_property(a, kind);
	pb = icalcomponent_get_first_property(b, kind);
	if (pa == NULL || pb == NULL)
		return pa == pb;
	sa = icalproperty_get_value_as_string_r(pa);
	sb = icalproperty_get_value_as_string_r(pb);
	same = sa != NULL && sb != NULL && strcmp(sa, sb) == 0;
	icalmemory_free_buffer(sa);
	icalmemory_free_buffer(sb);
	return same;
}

static int
continues(icalcomponent *a, icalcomponent *b)
{
	icalproperty *ra, *rb;
	struct icalrecurrencetype ta, tb;
	struct icaltimetype start;
	char *sa, *sb;
	int same;

	if (icalcomponent_isa(a) != icalcomponent_isa(b) ||
	    icalcomponent_count_properties(a, ICAL_RRULE_PROPERTY) != 1 ||
	    icalcomponent_count_properties(b, ICAL_RRULE_PROPERTY) != 1 ||
	    icalcomponent_count_properties(a, ICAL_RDATE_PROPERTY) != 0 ||
	    icalcomponent_count_properties(b, ICAL_RDATE_PROPERTY) != 0 ||
	    !same_prop(a, b, ICAL_TZOFFSETFROM_PROPERTY) ||
	    !same_prop(a, b, ICAL_TZOFFSETTO_PROPERTY) ||
	    !same_prop(a, b, ICAL_TZNAME_PROPERTY))
		return 0;
	ra = icalcomponent_get_first_property(a, ICAL_RRULE_PROPERTY);
	rb = icalcomponent_get_first_property(b, ICAL_RRULE_PROPERTY);
	ta = icalproperty_get_rrule(ra);
	tb = icalproperty_get_rrule(rb);
	if (icaltime_is_null_time(ta.until) || ta.count != 0 ||
	    !icaltime_is_null_time(tb.until) || tb.count != 0)
		return 0;
	/* b must take over where a stops, not years later. */
	start = icalcomponent_get_dtstart(b);
	if (start.year < ta.until.year || start.year > ta.until.year + 1)
		return 0;
	ta.until = icaltime_null_time();
	sa = icalrecurrencetype_as_string_r(&ta);
	sb = icalrecurrencetype_as_string_r(&tb);
	same = sa != NULL && sb != NULL && strcmp(sa, sb) == 0;
	icalmemory_free_buffer(sa);
	icalmemory_free_buffer(sb);
	return same;
}

static void
join_rules(icalcomponent *vtz)
{
	icalcomponent **parts = NULL, *c;
	icalproperty *r;
	struct icalrecurrencetype rt;
	size_t n = 0, i, j;

	/* Collected first: libical has one iterator per component. */
	for (c = icalcomponent_get_first_component(vtz, ICAL_ANY_COMPONENT);
	    c != NULL; c = icalcomponent_get_next_component(vtz,
	    ICAL_ANY_COMPONENT)) {
		parts = xreallocarray(parts, n + 1, sizeof *parts);
		parts[n++] = c;
	}
	for (i = 0; i < n; i++) {
		for (j = 0; j < n; j++)
			if (j != i && parts[i] != NULL && parts[j] != NULL &&
			    continues(parts[i], parts[j]))
				break;
		if (j == n)
			continue;
		r = icalcomponent_get_first_property(parts[i],
		    ICAL_RRULE_PROPERTY);
		rt = icalproperty_get_rrule(r);
		rt.until = icaltime_null_time();
		icalproperty_set_rrule(r, rt);
		icalcomponent_remove_component(vtz, parts[j]);
		icalcomponent_free(parts[j]);
		parts[j] = NULL;
	}
	free(parts);
}

/* Sets the first X- property called name to value. */
static void
set_x_property(icalcomponent *c, const char *name, const char *value)
{
	icalproperty *p;
	const char *n;

	for (p = icalcomponent_get_first_property(c, ICAL_X_PROPERTY);
	    p != NULL; p = icalcomponent_get_next_property(c,
	    ICAL_X_PROPERTY)) {
		n = icalproperty_get_x_name(p);
		if (n != NULL && strcmp(n, name) == 0) {
			icalproperty_set_x(p, value);
			return;
		}
	}
}

/*
 * A VTIMEZONE for UTC, of which libical has none: one observance at +0000
 * since 1970, named as X-WR-TIMEZONE names it.  Only a calendar without
 * events carries it (see site_zone): times in UTC are still written with
 * 'Z', which every client reads without a VTIMEZONE.
 */
static icalcomponent *
utc_vtimezone(void)
{
	icalcomponent *vtz, *std;
	struct icaltimetype start = icaltime_null_time();

	start.year = ZONE_FIRST_YEAR;
	start.month = 1;
	start.day = 1;
	vtz = must(icalcomponent_new(ICAL_VTIMEZONE_COMPONENT), "VTIMEZONE");
	icalcomponent_add_property(vtz, must(icalproperty_new_tzid("UTC"),
	    "TZID"));
	std = must(icalcomponent_new(ICAL_XSTANDARD_COMPONENT), "STANDARD");
	icalcomponent_add_property(std, must(icalproperty_new_tzname("UTC"),
	    "TZNAME"));
	icalcomponent_add_property(std, must(icalproperty_new_tzoffsetfrom(0),
	    "TZOFFSETFROM"));
	icalcomponent_add_property(std, must(icalproperty_new_tzoffsetto(0),
	    "TZOFFSETTO"));
	icalcomponent_add_property(std, must(icalproperty_new_dtstart(start),
	    "DTSTART"));
	icalcomponent_add_component(vtz, std);
	return vtz;
}

/*
 * A VTIMEZONE for zone as clients accept it: the plain IANA name as TZID,
 * only the rules in force from the start of year onwards, one rule per
 * observance where tzdata allows it.  Zones whose rules have changed
 * irregularly in that range keep their extra parts: that is their truth.
 */
static icalcomponent *
prepare_vtimezone(icaltimezone *zone, const char *location, int year)
{
	icalcomponent *src, *vtz;
	icalproperty *tzid;
	struct icaltimetype start;

	if (zone == icaltimezone_get_utc_timezone())
		return utc_vtimezone();
	if ((src = icaltimezone_get_component(zone)) == NULL)
		return NULL;
	vtz = must(icalcomponent_new_clone(src), "VTIMEZONE");
	if ((tzid = icalcomponent_get_first_property(vtz,
	    ICAL_TZID_PROPERTY)) == NULL) {
		icalcomponent_free(vtz);
		return NULL;
	}
	icalproperty_set_tzid(tzid, location);
	set_x_property(vtz, "X-LIC-LOCATION", location);

	start = icaltime_null_time();
	start.year = year;
	start.month = 1;
	start.day = 1;
	start.zone = icaltimezone_get_utc_timezone();
	icaltimezone_truncate_vtimezone(vtz, start, icaltime_null_time(), 1);
	join_rules(vtz);
	return vtz;
}

/*
 * The zone an event's wall clock is written in, or NULL to write UTC:
 * no zone, an unknown one (page.c should have refused it) or libical's
 * own UTC, which has no VTIMEZONE.
 */
icaltimezone *
ical_zones_event(const struct event *ev, const char **location)
{
	icaltimezone *zone;

	/*
	 * The component first: loading it replaces the zone's location
	 * string, so a location fetched before would point to freed memory.
	 */
	if (ev->all_day || ev->tzid == NULL ||
	    (zone = dates_zone_find(ev->tzid)) == NULL ||
	    zone == icaltimezone_get_utc_timezone() ||
	    icaltimezone_get_component(zone) == NULL ||
	    (*location = icaltimezone_get_location(zone)) == NULL)
		return NULL;
	return zone;
}

/*
 * The zone of a calendar without events, whose VTIMEZONE is its one
 * component: the configured zone, UTC when that is UTC (or unknown).
 * No event says which years matter, and the clock must not (equal input,
 * equal bytes), so it is truncated from a constant year: a late one,
 * ZONE_EMPTY_YEAR, gives the rules in force now and later in one
 * STANDARD and one DAYLIGHT where tzdata allows (from 1970 Sao Paulo's
 * had 26 parts, which Outlook mis-reads).
 */
static icaltimezone *
site_zone(const struct config *cf, const char **location)
{
	icaltimezone *zone = dates_zone_find(cf->timezone);

	if (zone == NULL || zone == icaltimezone_get_utc_timezone() ||
	    icaltimezone_get_component(zone) == NULL ||
	    (*location = icaltimezone_get_location(zone)) == NULL) {
		*location = "UTC";
		return icaltimezone_get_utc_timezone();
	}
	return zone;
}

/* The cache's key for location from *year on (*year clamped). */
static char *
zone_key(const char *location, int *year)
{
	if (*year < ZONE_FIRST_YEAR)
		*year = ZONE_FIRST_YEAR;
	if (*year > ZONE_LAST_YEAR)
		*year = ZONE_LAST_YEAR;
	return xasprintf("%s\n%d", location, *year);
}

/* The cached VTIMEZONE for key, made if need be; the lock is held. */
static icalcomponent *
cached_zone(struct ical_zones *zones, const char *key, icaltimezone *zone,
    const char *location, int year)
{
	icalcomponent *vtz;

	if ((vtz = dict_get(&zones->cache, key)) != NULL)
		return vtz;
	if ((vtz = prepare_vtimezone(zone, location, year)) != NULL)
		dict_set(&zones->cache, key, vtz);
	return vtz;
}

/* A clone of the cached VTIMEZONE for location from year on. */
icalcomponent *
ical_zones_component(struct ical_zones *zones, icaltimezone *zone,
    const char *location, int year)
{
	icalcomponent *vtz;
	char *key = zone_key(location, &year);

	pthread_mutex_lock(&zones->lock);
	if ((vtz = cached_zone(zones, key, zone, location, year)) != NULL)
		vtz = must(icalcomponent_new_clone(vtz), "VTIMEZONE");
	pthread_mutex_unlock(&zones->lock);
	free(key);
	return vtz;
}

/*
 * The same VTIMEZONE as libical writes it, or NULL: made once, as
 * cloning and serialising it was most of a one-event calendar's cost
 * (24 000 of them at start-up).  libical writes a component the same way
 * alone or inside a VCALENDAR.  The text lives as long as the cache.
 */
const char *
ical_zones_text(struct ical_zones *zones, icaltimezone *zone,
    const char *location, int year)
{
	icalcomponent *vtz;
	char *key = zone_key(location, &year), *text;
	struct buf b;

	pthread_mutex_lock(&zones->lock);
	if ((text = dict_get(&zones->texts, key)) == NULL &&
	    (vtz = cached_zone(zones, key, zone, location, year)) != NULL) {
		buf_init(&b);
		ical_fold_component(&b, vtz);
		text = buf_steal(&b);
		dict_set(&zones->texts, key, text);
	}
	pthread_mutex_unlock(&zones->lock);
	free(key);
	return text;
}

/*
 * The zones evs use, in order of first use, each with the year of its
 * earliest event; returns how many (*out is malloc'd).
 */
size_t
ical_zones_collect(const struct ical_event *evs, size_t n,
    struct ical_zone_use **out)
{
	/* Each tzid looked up once: libical searches its zones linearly. */
	struct seen {
		const char	*tzid;
		icaltimezone	*zone;
		const char	*location;
	} *seen = NULL;
	struct ical_zone_use *used = NULL;
	const struct event *ev;
	const char *location;
	icaltimezone *zone;
	size_t nused = 0, nseen = 0, i, j;
	int year;

	for (i = 0; i < n; i++) {
		ev = evs[i].event;
		if (ev->all_day || ev->tzid == NULL)
			continue;	/* no zone: see ical_zones_event */
		for (j = 0; j < nseen; j++)
			if (strcmp(seen[j].tzid, ev->tzid) == 0)
				break;
		if (j == nseen) {
			seen = xreallocarray(seen, nseen + 1, sizeof *seen);
			seen[j].tzid = ev->tzid;
			seen[j].location = NULL;
			seen[j].zone = ical_zones_event(ev, &seen[j].location);
			nseen++;
		}
		if ((zone = seen[j].zone) == NULL)
			continue;
		location = seen[j].location;
		year = ev->start.year;
		for (j = 0; j < nused; j++)
			if (strcmp(used[j].location, location) == 0)
				break;
		if (j == nused) {
			used = xreallocarray(used, nused + 1, sizeof *used);
			used[nused].location = location;
			used[nused].zone = zone;
			used[nused++].year = year;
		} else if (year < used[j].year)
			used[j].year = year;
	}
	free(seen);
	*out = used;
	return nused;
}

/* As the one component of a calendar without events (see site_zone). */
icalcomponent *
ical_zones_empty_component(struct ical_zones *zones,
    const struct config *cf)
{
	const char *location;
	icaltimezone *zone = site_zone(cf, &location);

	return ical_zones_component(zones, zone, location, ZONE_EMPTY_YEAR);
}

const char *
ical_zones_empty_text(struct ical_zones *zones, const struct config *cf)
{
	const char *location;
	icaltimezone *zone = site_zone(cf, &location);

	return ical_zones_text(zones, zone, location, ZONE_EMPTY_YEAR);
}

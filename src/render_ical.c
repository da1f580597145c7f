/*
 * render_ical.c -- the iCalendar writer (RFC 5545, RFC 7986) and the
 * VTIMEZONE cache it draws on.
 *
 * Everything is built as libical components and serialised by libical, so
 * most escaping is its job.  What libical 3.0.16 gets wrong is handled
 * here, each where it bites:
 *
 *  - it folds some lines between their CR and LF, or leaves an empty
 *    continuation line, so every text it writes is folded again by
 *    ical_fold() (serialise is the one place that asks libical for text);
 *  - it passes control characters through raw and drops only CR, so every
 *    string is cleaned first (clean_text);
 *  - it does not escape ',' and ';' in X- properties (X-WR-CALNAME) nor
 *    ';' in CATEGORIES, so those values are escaped here and handed over
 *    as STRING values, which it writes verbatim (raw_text_property);
 *  - its zones are named "/freeassociation.sourceforge.net/Area/City" and
 *    carry every transition since the zone began; calendar clients want
 *    the plain IANA name and a short RRULE form (prepare_vtimezone);
 *  - "UTC" and "GMT" are its UTC zone, which has no VTIMEZONE: times in
 *    them are written with 'Z'.
 *
 * RFC 5545 wants at least one component in a VCALENDAR, and most section,
 * tag and category calendars have no event: a calendar without events
 * carries the site zone's VTIMEZONE (site_zone), which shows nothing.
 *
 * No clock is read: DTSTAMP is the event's last modification, so equal
 * input gives equal bytes, which is what lets HTTP caches answer 304.
 *
 * A VEVENT's bytes depend only on the event, its page and two settings,
 * and libical writes a component the same way alone or inside a
 * VCALENDAR (a component's text is its properties' lines, then its
 * children's text; nothing depends on the parent).  So each event is
 * serialised once and its text kept on the event as a piece (piece.h);
 * a calendar is libical's serialisation of its header and VTIMEZONEs,
 * without the closing line, then the events' texts in order (in chunks
 * of a few, see chunk_add), then "END:VCALENDAR".  tests/unit/test_ical.c checks the
 * result byte for byte against one VCALENDAR serialised whole, which is
 * what render_ical(NULL, ...) still produces.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libical/ical.h>

#include "dates.h"
#include "ical_fold.h"
#include "piece.h"
#include "render.h"
#include "render_ical.h"
#include "util.h"
#include "version.h"

/*
 * Prepared VTIMEZONEs, keyed by "Area/City\nYEAR": each starts at the year
 * before the earliest event that uses it (see zone_component), so the key
 * holds everything its bytes depend on and the cache never changes output.
 * The lock lets worker threads share one cache, and guards the VEVENTs
 * kept on events; it is never held while libical builds a VEVENT.
 */
struct zones {
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

/*
 * c as libical writes it, folded again (see ical_fold.c), into b; returns
 * the length added.  Every calendar text crier serves is made here.
 */
static size_t
serialise(struct buf *b, icalcomponent *c)
{
	char *s = must(icalcomponent_as_ical_string_r(c), "calendar text");
	size_t before = b->len;

	ical_fold(b, s, strlen(s));
	icalmemory_free_buffer(s);
	return b->len - before;
}

struct zones *
zones_new(void)
{
	struct zones *z = xcalloc(1, sizeof *z);

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
zones_free(struct zones *z)
{
	if (z == NULL)
		return;
	dict_free(&z->cache, free_component);
	dict_free(&z->texts, free);
	pthread_mutex_destroy(&z->lock);
	free(z);
}

/*
 * Text as RFC 5545 allows it: valid UTF-8 (libical folds at lead bytes,
 * which is only safe on valid input), no control characters but newline
 * (escaped as \n by the writer), tabs as spaces.  text_clean keeps what
 * XML allows, which still includes DEL and the C1 controls.
 */
static char *
clean_text(const char *s)
{
	struct buf in, out;
	const unsigned char *p;

	buf_init(&in);
	buf_init(&out);
	text_clean(&in, s, strlen(s));
	for (p = (const unsigned char *)in.data; *p != '\0'; p++) {
		if (*p == '\t')
			buf_addc(&out, ' ');
		else if (*p == 0x7f)
			continue;
		else if (*p == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f)
			p++;	/* U+0080..U+009F */
		else
			buf_addc(&out, (char)*p);
	}
	buf_free(&in);
	return buf_steal(&out);
}

/* A value on one line: parameters such as CN cannot hold a newline. */
static char *
clean_line(const char *s)
{
	char *t = clean_text(s), *p;

	for (p = t; *p != '\0'; p++)
		if (*p == '\n')
			*p = ' ';
	return t;
}

/* RFC 5545 3.3.11 TEXT escaping, for the values libical leaves alone. */
static void
escape_text(struct buf *b, const char *s)
{
	for (; *s != '\0'; s++) {
		switch (*s) {
		case '\\':
		case ';':
		case ',':
			buf_addc(b, '\\');
			buf_addc(b, *s);
			break;
		case '\n':
			buf_addstr(b, "\\n");
			break;
		default:
			buf_addc(b, *s);
		}
	}
}

/*
 * A property whose TEXT value is already escaped.  libical writes STRING
 * values verbatim; a VALUE parameter naming the property's default kind
 * keeps it from printing "VALUE=STRING" (it prints VALUE only when the
 * kind differs from the default).  tests/unit/test_ical.c checks the bytes.
 */
static icalproperty *
raw_text_property(icalproperty_kind kind, const char *xname,
    const char *escaped)
{
	icalproperty *p;
	icalvalue *v;

	p = must(icalproperty_new(kind), "property");
	if (xname != NULL)
		icalproperty_set_x_name(p, xname);
	v = must(icalvalue_new_string(escaped), "value");
	icalproperty_set_value(p, v);
	icalproperty_set_parameter_from_string(p, "VALUE",
	    kind == ICAL_X_PROPERTY ? "X" : "TEXT");
	return p;
}

/* An X- property holding human text (X-WR-CALNAME, X-WR-CALDESC). */
static void
add_x_text(icalcomponent *c, const char *name, const char *s)
{
	struct buf b;
	char *t = clean_text(s);

	buf_init(&b);
	escape_text(&b, t);
	icalcomponent_add_property(c, raw_text_property(ICAL_X_PROPERTY,
	    name, b.data));
	buf_free(&b);
	free(t);
}

/* An X- property whose value is a token (a zone name, a duration). */
static void
add_x_token(icalcomponent *c, const char *name, const char *s)
{
	icalproperty *p = must(icalproperty_new_x(s), "X- property");

	icalproperty_set_x_name(p, name);
	icalcomponent_add_property(c, p);
}

/* A standard TEXT property; libical escapes it correctly. */
static void
add_text(icalcomponent *c, icalproperty *(*make)(const char *), const char *s)
{
	char *t;

	if (s == NULL || *s == '\0')
		return;
	t = clean_text(s);
	if (*t != '\0')
		icalcomponent_add_property(c, must(make(t), "text property"));
	free(t);
}

/*
 * A URI: libical writes it verbatim, so a newline in it would start a
 * property of the attacker's choosing.
 */
static void
add_uri(icalcomponent *c, icalproperty *(*make)(const char *), const char *s)
{
	char *t;

	if (s == NULL || *s == '\0')
		return;
	t = clean_line(s);
	if (*t != '\0')
		icalcomponent_add_property(c, must(make(t), "URI property"));
	free(t);
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
ical_event_zone(const struct event *ev, const char **location)
{
	icaltimezone *zone;

	/*
	 * The component first: loading it replaces the zone's location
	 * string, so a location fetched before would point to freed memory.
	 */
	if (ev->all_day || ev->tzid == NULL ||
	    (zone = zone_find(ev->tzid)) == NULL ||
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
	icaltimezone *zone = zone_find(cf->timezone);

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
cached_zone(struct zones *zones, const char *key, icaltimezone *zone,
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
static icalcomponent *
zone_component(struct zones *zones, icaltimezone *zone,
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
static const char *
zone_text(struct zones *zones, icaltimezone *zone, const char *location,
    int year)
{
	icalcomponent *vtz;
	char *key = zone_key(location, &year), *text;
	struct buf b;

	pthread_mutex_lock(&zones->lock);
	if ((text = dict_get(&zones->texts, key)) == NULL &&
	    (vtz = cached_zone(zones, key, zone, location, year)) != NULL) {
		buf_init(&b);
		serialise(&b, vtz);
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
static size_t
collect_zones(const struct ical_event *evs, size_t n, struct zone_use **out)
{
	/* Each tzid looked up once: libical searches its zones linearly. */
	struct seen {
		const char	*tzid;
		icaltimezone	*zone;
		const char	*location;
	} *seen = NULL;
	struct zone_use *used = NULL;
	const struct event *ev;
	const char *location;
	icaltimezone *zone;
	size_t nused = 0, nseen = 0, i, j;
	int year;

	for (i = 0; i < n; i++) {
		ev = evs[i].event;
		if (ev->all_day || ev->tzid == NULL)
			continue;	/* no zone: see ical_event_zone */
		for (j = 0; j < nseen; j++)
			if (strcmp(seen[j].tzid, ev->tzid) == 0)
				break;
		if (j == nseen) {
			seen = xreallocarray(seen, nseen + 1, sizeof *seen);
			seen[j].tzid = ev->tzid;
			seen[j].location = NULL;
			seen[j].zone = ical_event_zone(ev, &seen[j].location);
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

/* One VTIMEZONE per zone used, in the order given. */
static void
add_timezones(struct zones *zones, icalcomponent *cal,
    const struct zone_use *used, size_t nused)
{
	icalcomponent *vtz;
	size_t j;

	/*
	 * Backwards: libical puts each VTIMEZONE added in front of the
	 * calendar's components (so that they precede the events).
	 */
	for (j = nused; j-- > 0; ) {
		/*
		 * From the year before the earliest event: a VTIMEZONE whose
		 * first onset falls after an event leaves its offset open.
		 */
		vtz = zone_component(zones, used[j].zone, used[j].location,
		    used[j].year - 1);
		if (vtz != NULL)
			icalcomponent_add_component(cal, vtz);
	}
}

static struct icaltimetype
wall_clock(const struct datetime *dt, int is_date)
{
	struct icaltimetype tt = icaltime_null_time();

	tt.year = dt->year;
	tt.month = dt->month;
	tt.day = dt->day;
	if (is_date)
		tt.is_date = 1;
	else {
		tt.hour = dt->hour;
		tt.minute = dt->minute;
		tt.second = dt->second;
	}
	return tt;
}

static int
datetime_after(const struct datetime *a, const struct datetime *b)
{
	return utc_timegm(a->year, a->month, a->day, a->hour, a->minute,
	    a->second) > utc_timegm(b->year, b->month, b->day, b->hour,
	    b->minute, b->second);
}

/* DTSTART and DTEND: dates, wall clock with TZID, or UTC. */
static void
add_times(icalcomponent *ve, const struct event *ev)
{
	icalproperty *ps, *pe = NULL;
	struct icaltimetype s, e;
	const char *location = NULL;
	icaltimezone *utc = icaltimezone_get_utc_timezone();

	if (ev->all_day) {
		s = wall_clock(&ev->start, 1);
		if (date_valid(ev->end.year, ev->end.month, ev->end.day) &&
		    datetime_after(&ev->end, &ev->start))
			e = wall_clock(&ev->end, 1);
		else {
			e = s;
			icaltime_adjust(&e, 1, 0, 0, 0);
		}
		ps = must(icalproperty_new_dtstart(s), "DTSTART");
		pe = must(icalproperty_new_dtend(e), "DTEND");
	} else if (ical_event_zone(ev, &location) != NULL) {
		/*
		 * No zone on the time itself: libical would name it with its
		 * prefixed TZID.  The parameter carries the plain name.
		 */
		ps = must(icalproperty_new_dtstart(wall_clock(&ev->start, 0)),
		    "DTSTART");
		icalproperty_add_parameter(ps, must(icalparameter_new_tzid(
		    location), "TZID"));
		if (date_valid(ev->end.year, ev->end.month, ev->end.day) &&
		    ev->end_utc > ev->start_utc) {
			pe = must(icalproperty_new_dtend(wall_clock(&ev->end,
			    0)), "DTEND");
			icalproperty_add_parameter(pe,
			    must(icalparameter_new_tzid(location), "TZID"));
		}
	} else {
		s = icaltime_from_timet_with_zone(ev->start_utc, 0, utc);
		ps = must(icalproperty_new_dtstart(s), "DTSTART");
		if (ev->end_utc > ev->start_utc) {
			e = icaltime_from_timet_with_zone(ev->end_utc, 0, utc);
			pe = must(icalproperty_new_dtend(e), "DTEND");
		}
	}
	icalcomponent_add_property(ve, ps);
	if (pe != NULL)
		icalcomponent_add_property(ve, pe);
}

/* CATEGORIES: tags then categories, each once, as one list. */
static void
add_categories(icalcomponent *ve, const struct page *pg)
{
	struct buf b;
	struct dict seen;
	char **lists[2];
	size_t counts[2], i, j;
	char *t;

	if (pg == NULL)
		return;
	lists[0] = pg->tags;
	counts[0] = pg->ntags;
	lists[1] = pg->categories;
	counts[1] = pg->ncategories;
	buf_init(&b);
	dict_init(&seen);
	for (i = 0; i < 2; i++) {
		for (j = 0; j < counts[i]; j++) {
			t = clean_line(lists[i][j]);
			if (*t == '\0' || dict_get(&seen, t) != NULL) {
				free(t);
				continue;
			}
			dict_set(&seen, t, &seen);
			if (b.len > 0)
				buf_addc(&b, ',');
			/* libical escapes neither ',' nor ';' in CATEGORIES. */
			escape_text(&b, t);
			free(t);
		}
	}
	if (b.len > 0)
		icalcomponent_add_property(ve,
		    raw_text_property(ICAL_CATEGORIES_PROPERTY, NULL, b.data));
	dict_free(&seen, NULL);
	buf_free(&b);
}

/* The organizer's address, or NULL when neither event nor site has one. */
static const char *
organizer_of(const struct config *cf, const struct event *ev)
{
	if (ev->organizer != NULL && *ev->organizer != '\0')
		return ev->organizer;
	if (cf->organizer != NULL && *cf->organizer != '\0')
		return cf->organizer;
	return NULL;
}

int
ical_event_organized(const struct config *cf, const struct event *ev)
{
	return organizer_of(cf, ev) != NULL;
}

static void
add_organizer(icalcomponent *ve, const struct config *cf,
    const struct ical_event *ie)
{
	const char *email = organizer_of(cf, ie->event), *cn = NULL;
	icalproperty *p;
	char *uri, *name;

	if (email == NULL)
		return;
	if (str_has_prefix(email, "mailto:") ||
	    str_has_prefix(email, "MAILTO:"))
		email += 7;
	name = clean_line(email);
	uri = xasprintf("mailto:%s", name);
	free(name);
	p = must(icalproperty_new_organizer(uri), "ORGANIZER");
	free(uri);
	if (ie->page != NULL && ie->page->nauthors > 0)
		cn = ie->page->authors[0];
	else if (cf->author != NULL)
		cn = cf->author;
	if (cn != NULL && *cn != '\0') {
		/* libical quotes the value and encodes '"' (RFC 6868). */
		name = clean_line(cn);
		if (*name != '\0')
			icalproperty_add_parameter(p,
			    must(icalparameter_new_cn(name), "CN"));
		free(name);
	}
	icalcomponent_add_property(ve, p);
}

static void
add_rrule(icalcomponent *ve, const char *rrule)
{
	struct icalrecurrencetype r;

	if (rrule == NULL || *rrule == '\0')
		return;
	icalerror_clear_errno();
	r = icalrecurrencetype_from_string(rrule);
	/* Unparseable: one occurrence is better than a rejected calendar. */
	if (r.freq == ICAL_NO_RECURRENCE || icalerrno != ICAL_NO_ERROR) {
		icalerror_clear_errno();
		return;
	}
	icalcomponent_add_property(ve, must(icalproperty_new_rrule(r),
	    "RRULE"));
}

static icalcomponent *
make_vevent(const struct config *cf, const struct ical_event *ie)
{
	const struct event *ev = ie->event;
	const struct page *pg = ie->page;
	icalcomponent *ve;
	struct icaltimetype stamp;
	const char *url;
	char *u;

	ve = must(icalcomponent_new(ICAL_VEVENT_COMPONENT), "VEVENT");
	u = clean_line(ev->uid != NULL ? ev->uid : "");
	icalcomponent_add_property(ve, must(icalproperty_new_uid(u), "UID"));
	free(u);
	stamp = icaltime_from_timet_with_zone(ie->last_modified, 0,
	    icaltimezone_get_utc_timezone());
	icalcomponent_add_property(ve, must(icalproperty_new_dtstamp(stamp),
	    "DTSTAMP"));
	icalcomponent_add_property(ve,
	    must(icalproperty_new_lastmodified(stamp), "LAST-MODIFIED"));
	icalcomponent_add_property(ve,
	    must(icalproperty_new_sequence(ie->sequence), "SEQUENCE"));
	add_times(ve, ev);
	add_rrule(ve, ev->rrule);
	add_text(ve, icalproperty_new_summary, ev->title);
	add_text(ve, icalproperty_new_description, ev->description);
	add_text(ve, icalproperty_new_location,
	    ev->location != NULL && *ev->location != '\0' ? ev->location :
	    pg != NULL ? pg->location : NULL);
	url = ev->url;
	if ((url == NULL || *url == '\0') && pg != NULL)
		url = pg->permalink;
	add_uri(ve, icalproperty_new_url, url);
	add_categories(ve, pg);
	icalcomponent_add_property(ve, must(icalproperty_new_status(
	    ev->cancelled ? ICAL_STATUS_CANCELLED : ICAL_STATUS_CONFIRMED),
	    "STATUS"));
	add_organizer(ve, cf, ie);
	return ve;
}

/*
 * The calendar's own properties and the VTIMEZONEs its events use: all
 * but the VEVENTs.  organized: every event has an organizer.
 */
static icalcomponent *
calendar_head(struct zones *zones, const struct config *cf,
    const struct channel *ch, int organized, const struct zone_use *used,
    size_t nused)
{
	icalcomponent *cal;
	icalproperty *p;
	struct icaldurationtype ttl;
	char *s, *d;

	cal = must(icalcomponent_new(ICAL_VCALENDAR_COMPONENT), "VCALENDAR");
	icalcomponent_add_property(cal, must(icalproperty_new_version("2.0"),
	    "VERSION"));
	icalcomponent_add_property(cal,
	    must(icalproperty_new_prodid(CRIER_PRODID), "PRODID"));
	icalcomponent_add_property(cal,
	    must(icalproperty_new_calscale("GREGORIAN"), "CALSCALE"));
	/*
	 * PUBLISH requires ORGANIZER on every VEVENT (RFC 5546); without an
	 * address to give, a calendar without METHOD is the valid one.
	 */
	if (organized)
		icalcomponent_add_property(cal,
		    must(icalproperty_new_method(ICAL_METHOD_PUBLISH), "METHOD"));
	if (ch->title != NULL && *ch->title != '\0') {
		add_text(cal, icalproperty_new_name, ch->title);
		add_x_text(cal, "X-WR-CALNAME", ch->title);
	}
	if (ch->description != NULL && *ch->description != '\0') {
		add_text(cal, icalproperty_new_description, ch->description);
		add_x_text(cal, "X-WR-CALDESC", ch->description);
	}
	if (cf->refresh_interval > 0) {
		ttl = icaldurationtype_from_int(cf->refresh_interval);
		/* libical writes the VALUE=DURATION that RFC 7986 requires. */
		p = must(icalproperty_new_refreshinterval(ttl),
		    "REFRESH-INTERVAL");
		icalcomponent_add_property(cal, p);
		d = must(icaldurationtype_as_ical_string_r(ttl), "duration");
		add_x_token(cal, "X-PUBLISHED-TTL", d);
		icalmemory_free_buffer(d);
	}
	if (cf->timezone != NULL && *cf->timezone != '\0') {
		s = clean_line(cf->timezone);
		add_x_token(cal, "X-WR-TIMEZONE", s);
		free(s);
	}
	add_uri(cal, icalproperty_new_source, ch->self_url);
	add_uri(cal, icalproperty_new_url, ch->alternate_url != NULL &&
	    *ch->alternate_url != '\0' ? ch->alternate_url : ch->self_url);

	add_timezones(zones, cal, used, nused);
	return cal;
}

/*
 * The reference: one VCALENDAR holding every VEVENT, serialised whole by
 * libical.  What render_ical(NULL, ...) returns; the cached path must give
 * the same bytes.
 */
static void
render_whole(struct buf *out, struct zones *zones, const struct config *cf,
    const struct channel *ch, const struct ical_event *evs, size_t n)
{
	struct zone_use *used;
	size_t nused = collect_zones(evs, n, &used), i;
	icalcomponent *cal, *vtz;
	icaltimezone *zone;
	const char *location;
	int organized = 1;

	for (i = 0; i < n; i++)
		organized &= ical_event_organized(cf, evs[i].event);
	cal = calendar_head(zones, cf, ch, organized, used, nused);
	free(used);
	if (n == 0) {
		zone = site_zone(cf, &location);
		if ((vtz = zone_component(zones, zone, location,
		    ZONE_EMPTY_YEAR)) != NULL)
			icalcomponent_add_component(cal, vtz);
	}
	for (i = 0; i < n; i++)
		icalcomponent_add_component(cal, make_vevent(cf, &evs[i]));
	serialise(out, cal);
	icalcomponent_free(cal);
}

/* The settings a VEVENT shows (add_organizer), hashed once per calendar. */
uint64_t
ical_settings_key(const struct config *cf)
{
	struct hasher h;

	hasher_init(&h);
	hasher_int(&h, cf->organizer != NULL);
	hasher_str(&h, cf->organizer);
	hasher_int(&h, cf->author != NULL);
	hasher_str(&h, cf->author);
	return hasher_done(&h);
}

/*
 * What a VEVENT shows besides its event and page, which do not change
 * once parsed (an edit makes a new page): the state's SEQUENCE and
 * LAST-MODIFIED, and the settings.
 */
static uint64_t
event_stamp(uint64_t settings, const struct ical_event *ie)
{
	struct {
		uint64_t	settings;
		int64_t		last_modified;
		int64_t		sequence;
		uint64_t	page;
	} k;

	memset(&k, 0, sizeof k);
	k.settings = settings;
	k.last_modified = (int64_t)ie->last_modified;
	k.sequence = ie->sequence;
	k.page = (uint64_t)(uintptr_t)ie->page;
	return hash64(&k, sizeof k);
}

/*
 * The VEVENT for ie, a new reference: the one kept on the event when its
 * stamp still holds, else built and kept.  The event is const to
 * calendars but for this cache, which the zones' lock guards.
 */
struct piece *
ical_event_piece(struct zones *zones, uint64_t settings,
    const struct config *cf, const struct ical_event *ie)
{
	struct event *ev = (struct event *)(uintptr_t)ie->event;
	uint64_t stamp = event_stamp(settings, ie);
	icalcomponent *ve;
	struct piece *p = NULL;
	struct buf text;
	size_t len;

	pthread_mutex_lock(&zones->lock);
	if (ev->vevent != NULL && ev->vevent_stamp == stamp)
		p = piece_ref(ev->vevent);
	pthread_mutex_unlock(&zones->lock);
	if (p == NULL) {
		ve = make_vevent(cf, ie);
		buf_init(&text);
		len = serialise(&text, ve);
		icalcomponent_free(ve);
		p = piece_new(buf_steal(&text), len);
		pthread_mutex_lock(&zones->lock);
		piece_unref(ev->vevent);
		ev->vevent = piece_ref(p);
		ev->vevent_stamp = stamp;
		pthread_mutex_unlock(&zones->lock);
	}
	return p;
}

char *
ical_head_text(struct zones *zones, const struct config *cf,
    const struct channel *ch, int organized, int empty,
    const struct zone_use *used, size_t nused, size_t *len)
{
	/* The properties by libical, then the VTIMEZONEs' kept texts:
	 * libical writes a component's properties, then its children. */
	icalcomponent *cal = calendar_head(zones, cf, ch, organized, NULL, 0);
	size_t elen = strlen(ICAL_END), hlen, j;
	struct buf head;
	const char *text, *location;
	icaltimezone *zone;

	buf_init(&head);
	hlen = serialise(&head, cal);
	icalcomponent_free(cal);
	if (hlen < elen || strcmp(head.data + hlen - elen, ICAL_END) != 0) {
		fprintf(stderr, "crier: libical ended a calendar unexpectedly\n");
		abort();
	}
	head.len = hlen - elen;
	head.data[head.len] = '\0';
	/* From the year before the earliest event, as add_timezones. */
	for (j = 0; j < nused; j++)
		if ((text = zone_text(zones, used[j].zone, used[j].location,
		    used[j].year - 1)) != NULL)
			buf_addstr(&head, text);
	/* As render_whole: the one component of a calendar without events. */
	if (empty) {
		zone = site_zone(cf, &location);
		if ((text = zone_text(zones, zone, location,
		    ZONE_EMPTY_YEAR)) != NULL)
			buf_addstr(&head, text);
	}
	*len = head.len;
	return buf_steal(&head);
}

char *
render_ical(struct zones *zones, const struct config *cf,
    const struct channel *ch, const struct ical_event *evs, size_t n,
    size_t *len)
{
	struct stitch st;
	struct zones *own;
	struct buf out;
	size_t dummy;
	char *text;

	if (len == NULL)
		len = &dummy;
	if (zones != NULL) {
		stitch_init(&st);
		render_ical_pieces(zones, cf, ch, evs, n, &st, NULL);
		stitch_finish(&st);
		text = stitch_text_flat(&st, len);
		stitch_free(&st);
		return text;
	}
	buf_init(&out);
	own = zones_new();
	render_whole(&out, own, cf, ch, evs, n);
	zones_free(own);
	*len = out.len;
	return buf_steal(&out);
}

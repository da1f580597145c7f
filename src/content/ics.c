/*
 * ics.c -- events from a dropped iCalendar file.
 *
 * Organizers export .ics files from Outlook, Google or a conference tool
 * and drop them in the content folder; their VEVENTs join the page's
 * events so that they reach crier's calendars like events written in
 * Markdown.  Parsing is libical's; this file decides what an imported
 * event means in crier's terms (struct event):
 *
 *  - a TZID that names an IANA zone keeps its wall clock, so recurrences
 *    follow that zone's daylight-saving rules;
 *  - a zone only the file defines (Outlook's "W. Europe Standard Time")
 *    is resolved with the file's own VTIMEZONE and the times become UTC,
 *    as crier cannot publish a VTIMEZONE it does not know;
 *  - a floating time (no zone at all) is read as the site's wall clock;
 *  - what RFC 7986 adds (CONFERENCE, IMAGE, COLOR) is kept as written,
 *    as far as crier can write it again (read_rfc7986).
 *
 * Like page_parse, this is a pure function of the bytes: problems go to
 * the page's diagnostics, never to the log.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libical/ical.h>

#include "csscolor.h"
#include "dates.h"
#include "ics.h"
#include "utf8.h"
#include "util.h"

struct reader {
	const struct config	*cf;
	const char		*relpath;
	icalcomponent		*cal;
	struct diags		*diags;
	icaltimezone		*site;		/* for floating times, dates */
	const char		*site_name;	/* its IANA name, or NULL */
};

/* How one DTSTART or DTEND is to be read. */
struct when {
	struct icaltimetype	 tt;	/* the digits as written */
	icaltimezone		*zone;	/* what they are local to */
	const char		*iana;	/* keep the wall clock in this zone */
};

static char *
clean(const char *s)
{
	return utf8_clean_dup(s != NULL ? s : "");
}

/* Titles and addresses are one line. */
static char *
clean_line(const char *s)
{
	char *t = clean(s), *p;

	for (p = t; *p != '\0'; p++)
		if (*p == '\n' || *p == '\t')
			*p = ' ';
	return t;
}

static char *
dup_or_null(const char *s)
{
	return s != NULL && *s != '\0' ? clean(s) : NULL;
}

/* A name for the event in messages: its title, else its UID. */
static const char *
event_name(icalcomponent *ve)
{
	const char *s;

	if ((s = icalcomponent_get_summary(ve)) != NULL && *s != '\0')
		return s;
	if ((s = icalcomponent_get_uid(ve)) != NULL && *s != '\0')
		return s;
	return "(untitled)";
}

/* The first parse error libical recorded directly in c, or NULL. */
static const char *
first_error(icalcomponent *c)
{
	icalproperty *p;

	p = icalcomponent_get_first_property(c, ICAL_XLICERROR_PROPERTY);
	return p != NULL ? icalproperty_get_xlicerror(p) : NULL;
}

/* The first parse error anywhere inside c (alarms included), or NULL. */
static const char *
any_error(icalcomponent *c)
{
	icalcomponent *sub;
	const char *e;

	if ((e = first_error(c)) != NULL)
		return e;
	for (sub = icalcomponent_get_first_component(c, ICAL_ANY_COMPONENT);
	    sub != NULL; sub = icalcomponent_get_next_component(c,
	    ICAL_ANY_COMPONENT))
		if ((e = any_error(sub)) != NULL)
			return e;
	return NULL;
}

/* A zone from tzdata, and its name, or NULL for UTC and unknown names. */
static icaltimezone *
iana_zone(const char *name, const char **location)
{
	icaltimezone *z;

	if ((z = dates_zone_find(name)) == NULL) {
		/* A TZID written by a libical program, prefix and all. */
		if ((z = dates_zone_find_tzid(name)) == NULL)
			return NULL;
	}
	/* The component first: loading it replaces the location string. */
	if (z == icaltimezone_get_utc_timezone() ||
	    icaltimezone_get_component(z) == NULL ||
	    (*location = icaltimezone_get_location(z)) == NULL)
		return NULL;
	return z;
}

/* Works out what zone a DTSTART or DTEND is in; -1 if it has no value. */
static int
read_when(struct reader *r, icalcomponent *ve, icalproperty *prop,
    struct when *w)
{
	icalparameter *param;
	icalvalue *v;
	const char *tzid, *location;
	icaltimezone *z;

	memset(w, 0, sizeof *w);
	if ((v = icalproperty_get_value(prop)) == NULL)
		return -1;
	w->tt = icalvalue_get_datetime(v);
	if (icaltime_is_null_time(w->tt) || !icaltime_is_valid_time(w->tt))
		return -1;
	/* libical checks neither day-of-month nor year ranges. */
	if (!dates_valid(w->tt.year, w->tt.month, w->tt.day) ||
	    w->tt.year < EVENT_YEAR_MIN || w->tt.year > EVENT_YEAR_MAX)
		return -1;
	if (w->tt.is_date)
		return 0;
	if (w->tt.hour > 23 || w->tt.minute > 59 || w->tt.second > 60)
		return -1;
	if (icaltime_is_utc(w->tt)) {
		w->zone = icaltimezone_get_utc_timezone();
		return 0;
	}
	param = icalproperty_get_first_parameter(prop, ICAL_TZID_PARAMETER);
	if (param == NULL || (tzid = icalparameter_get_tzid(param)) == NULL) {
		w->zone = r->site;
		w->iana = r->site_name;
		return 0;
	}
	if ((z = iana_zone(tzid, &location)) != NULL) {
		/* tzdata knows the name: trust it over the file's copy. */
		w->zone = z;
		w->iana = location;
		return 0;
	}
	/*
	 * The file's own definition, for names tzdata does not know, and
	 * for a "GMT" that carries British summer time.
	 */
	if ((z = icalcomponent_get_timezone(r->cal, tzid)) != NULL) {
		w->zone = z;
		return 0;
	}
	if (dates_zone_find(tzid) == icaltimezone_get_utc_timezone()) {
		w->zone = icaltimezone_get_utc_timezone();
		return 0;
	}
	diags_add(r->diags, DIAG_WARNING, 0, "%s: event \"%s\": time zone "
	    "\"%s\" is not in tzdata and the file has no VTIMEZONE for it; "
	    "read as %s", r->relpath, event_name(ve), tzid,
	    r->site_name != NULL ? r->site_name : "UTC");
	w->zone = r->site;
	w->iana = r->site_name;
	return 0;
}

static struct datetime
to_datetime(struct icaltimetype tt)
{
	struct datetime dt;

	memset(&dt, 0, sizeof dt);
	dt.year = tt.year;
	dt.month = tt.month;
	dt.day = tt.day;
	if (!tt.is_date) {
		dt.has_time = 1;
		dt.hour = tt.hour;
		dt.minute = tt.minute;
		dt.second = tt.second;
	}
	return dt;
}

/* The instant the digits of w mean. */
static time_t
when_utc(const struct when *w, struct icaltimetype tt)
{
	struct datetime dt = to_datetime(tt);

	return dates_to_utc(&dt, w->zone);
}

/* An instant as crier stores UTC times. */
static struct datetime
utc_datetime(time_t t)
{
	struct datetime dt;

	dt = to_datetime(icaltime_from_timet_with_zone(t, 0,
	    icaltimezone_get_utc_timezone()));
	dt.has_offset = 1;
	dt.offset = 0;
	return dt;
}

static void
set_all_day(struct reader *r, icalcomponent *ve, struct event *ev,
    const struct when *ws, icalproperty *end, icalproperty *dur)
{
	struct icaltimetype e;
	struct when we;
	struct icaldurationtype d;

	ev->all_day = 1;
	e = ws->tt;
	if (end != NULL && read_when(r, ve, end, &we) == 0 && we.tt.is_date)
		e = we.tt;
	else if (dur != NULL) {
		d = icalproperty_get_duration(dur);
		e = icaltime_add(ws->tt, d);
		e.is_date = 1;
	}
	if (icaltime_compare_date_only(e, ws->tt) <= 0) {
		/* DTEND is exclusive: the event lasts its one day. */
		e = ws->tt;
		icaltime_adjust(&e, 1, 0, 0, 0);
		ev->end_open = 1;
	}
	ev->start = to_datetime(ws->tt);
	ev->end = to_datetime(e);
	/* A day as the site's readers live it. */
	ev->start_utc = dates_to_utc(&ev->start, r->site);
	ev->end_utc = dates_to_utc(&ev->end, r->site);
}

static void
set_timed(struct reader *r, icalcomponent *ve, struct event *ev,
    const struct when *ws, icalproperty *end, icalproperty *dur)
{
	struct icaltimetype e;
	struct when we;
	time_t end_utc;
	int have_end = 0;

	ev->start_utc = when_utc(ws, ws->tt);
	if (end != NULL && read_when(r, ve, end, &we) == 0 &&
	    !we.tt.is_date) {
		end_utc = when_utc(&we, we.tt);
		have_end = 1;
		if (ws->iana != NULL && we.iana != NULL &&
		    strcmp(ws->iana, we.iana) == 0)
			e = we.tt;
		else if (ws->iana != NULL)
			e = icaltime_from_timet_with_zone(end_utc, 0, ws->zone);
		else
			e = ws->tt;	/* unused: end is written in UTC */
	} else {
		/* DURATION is nominal for days: add it to the wall clock. */
		e = icaltime_add(ws->tt, dur != NULL ?
		    icalproperty_get_duration(dur) :
		    icaldurationtype_from_int(3600));
		end_utc = when_utc(ws, e);
		ev->end_open = dur == NULL;
	}
	if (end_utc <= ev->start_utc) {
		if (have_end || dur != NULL)
			diags_add(r->diags, DIAG_WARNING, 0, "%s: event \"%s\" "
			    "ends before it starts; one hour assumed",
			    r->relpath, event_name(ve));
		e = icaltime_add(ws->tt, icaldurationtype_from_int(3600));
		end_utc = when_utc(ws, e);
		ev->end_open = 1;
	}
	ev->end_utc = end_utc;
	if (ws->iana != NULL) {
		ev->tzid = xstrdup(ws->iana);
		ev->start = to_datetime(ws->tt);
		ev->end = to_datetime(e);
	} else {
		ev->start = utc_datetime(ev->start_utc);
		ev->end = utc_datetime(ev->end_utc);
	}
}

static char *
organizer_email(icalcomponent *ve)
{
	icalproperty *p;
	const char *s;

	if ((p = icalcomponent_get_first_property(ve,
	    ICAL_ORGANIZER_PROPERTY)) == NULL ||
	    (s = icalproperty_get_organizer(p)) == NULL)
		return NULL;
	if (strncasecmp(s, "mailto:", 7) == 0)
		s += 7;
	return *s != '\0' ? clean_line(s) : NULL;
}

static char *
read_rrule(struct reader *r, icalcomponent *ve, const struct when *ws)
{
	icalproperty *p;
	struct icalrecurrencetype rt;
	char *s, *out;

	if ((p = icalcomponent_get_first_property(ve,
	    ICAL_RRULE_PROPERTY)) == NULL)
		return NULL;
	if (icalcomponent_count_properties(ve, ICAL_RRULE_PROPERTY) > 1)
		diags_add(r->diags, DIAG_WARNING, 0, "%s: event \"%s\" has "
		    "several RRULEs; only the first is used", r->relpath,
		    event_name(ve));
	if (icalcomponent_get_first_property(ve, ICAL_RDATE_PROPERTY) !=
	    NULL || icalcomponent_get_first_property(ve,
	    ICAL_EXDATE_PROPERTY) != NULL)
		diags_add(r->diags, DIAG_WARNING, 0, "%s: event \"%s\": RDATE "
		    "and EXDATE are not supported and were ignored",
		    r->relpath, event_name(ve));
	if (ws->iana == NULL && !ws->tt.is_date && ws->zone != NULL &&
	    ws->zone != icaltimezone_get_utc_timezone())
		diags_add(r->diags, DIAG_WARNING, 0, "%s: event \"%s\" repeats "
		    "in a zone tzdata does not know; its times are kept in "
		    "UTC and move by an hour across daylight-saving changes "
		    "(use an IANA TZID such as Europe/Berlin)", r->relpath,
		    event_name(ve));
	rt = icalproperty_get_rrule(p);
	if (rt.freq == ICAL_NO_RECURRENCE ||
	    (s = icalrecurrencetype_as_string_r(&rt)) == NULL)
		return NULL;
	out = clean_line(s);
	icalmemory_free_buffer(s);
	return out;
}

/* A UID for an event without one: same title and start, same UID. */
static char *
derived_uid(struct reader *r, icalcomponent *ve, const struct event *ev)
{
	struct buf b;
	char key[32], *uid;

	buf_init(&b);
	buf_printf(&b, "%s%c%s%c%04d%02d%02dT%02d%02d%02d", r->relpath, 0,
	    ev->title, 0, ev->start.year, ev->start.month, ev->start.day,
	    ev->start.hour, ev->start.minute, ev->start.second);
	snprintf(key, sizeof key, "ics-%016llx",
	    (unsigned long long)hash64(b.data, b.len));
	buf_free(&b);
	uid = event_uid(r->cf, r->relpath, key);
	diags_add(r->diags, DIAG_WARNING, 0, "%s: event \"%s\" has no UID; "
	    "using %s, which changes if its title or start changes",
	    r->relpath, event_name(ve), uid);
	return uid;
}

/* The file's own LAST-MODIFIED, else its DTSTAMP, else 0 (unknown). */
static time_t
written_modified(icalcomponent *ve)
{
	icalproperty *p;
	struct icaltimetype t;

	p = icalcomponent_get_first_property(ve, ICAL_LASTMODIFIED_PROPERTY);
	if (p == NULL)
		p = icalcomponent_get_first_property(ve, ICAL_DTSTAMP_PROPERTY);
	if (p == NULL)
		return 0;
	t = icalvalue_get_datetime(icalproperty_get_value(p));
	if (icaltime_is_null_time(t) || !icaltime_is_valid_time(t))
		return 0;
	return icaltime_as_timet_with_zone(t, icaltimezone_get_utc_timezone());
}

/* The first FEATURE's first value: libical reads "PHONE,AUDIO" as one
 * unknown value, and writes it back quoted, which is no list. */
static char *
conference_feature(icalproperty *p)
{
	icalparameter *f = icalproperty_get_first_parameter(p,
	    ICAL_FEATURE_PARAMETER);
	const char *s;
	char *t, *comma;

	if (f == NULL)
		return NULL;
	if ((s = icalparameter_get_xvalue(f)) == NULL &&
	    (s = icalparameter_enum_to_string(icalparameter_get_feature(f)))
	    == NULL)
		return NULL;
	t = clean_line(s);
	if ((comma = strchr(t, ',')) != NULL)
		*comma = '\0';
	if (*t == '\0' || strpbrk(t, "\";:") != NULL) {
		free(t);
		return NULL;
	}
	return t;
}

/*
 * What RFC 7986 adds to an event, kept as the file wrote it: every
 * CONFERENCE (its URI, first FEATURE and LABEL), the first IMAGE given
 * as a URI (an embedded one is no address a calendar can fetch), COLOR
 * when it is a CSS3 name.
 */
static void
read_rfc7986(icalcomponent *ve, struct event *ev)
{
	icalproperty *p;
	icalparameter *v, *l;
	const char *s, *color;
	char *uri, *feature, *label;
	size_t i;

	for (p = icalcomponent_get_first_property(ve,
	    ICAL_CONFERENCE_PROPERTY); p != NULL;
	    p = icalcomponent_get_next_property(ve,
	    ICAL_CONFERENCE_PROPERTY)) {
		if ((s = icalproperty_get_conference(p)) == NULL ||
		    *(uri = clean_line(s)) == '\0') {
			if (s != NULL)
				free(uri);
			continue;
		}
		feature = conference_feature(p);
		l = icalproperty_get_first_parameter(p, ICAL_LABEL_PARAMETER);
		label = l != NULL && icalparameter_get_label(l) != NULL ?
		    clean_line(icalparameter_get_label(l)) : NULL;
		event_add_conference(ev, uri, feature, label != NULL &&
		    *label != '\0' ? label : NULL);
		free(uri);
		free(feature);
		free(label);
	}
	for (p = icalcomponent_get_first_property(ve, ICAL_IMAGE_PROPERTY);
	    p != NULL && ev->image == NULL;
	    p = icalcomponent_get_next_property(ve, ICAL_IMAGE_PROPERTY)) {
		v = icalproperty_get_first_parameter(p, ICAL_VALUE_PARAMETER);
		if (v == NULL || icalparameter_get_value(v) != ICAL_VALUE_URI ||
		    (s = icalproperty_get_value_as_string(p)) == NULL)
			continue;
		uri = clean_line(s);
		if (*uri != '\0')
			ev->image = uri;
		else
			free(uri);
	}
	p = icalcomponent_get_first_property(ve, ICAL_COLOR_PROPERTY);
	if (p != NULL && (s = icalproperty_get_color(p)) != NULL &&
	    (color = csscolor_name(s)) != NULL)
		ev->color = xstrdup(color);
	/* An event without a URL links to where it is watched, as a page's
	 * event does (page.c), rather than to the file's page. */
	for (i = 0; ev->url == NULL && i < ev->nconferences; i++)
		if (str_has_prefix(ev->conferences[i].uri, "https://") ||
		    str_has_prefix(ev->conferences[i].uri, "http://"))
			ev->url = xstrdup(ev->conferences[i].uri);
}

/* Fills ev from one VEVENT; -1 (with a warning) to skip it. */
static int
read_vevent(struct reader *r, icalcomponent *ve, struct event *ev)
{
	icalproperty *start, *end, *dur;
	struct when ws;
	const char *err, *uid;

	memset(ev, 0, sizeof *ev);
	if ((err = any_error(ve)) != NULL) {
		diags_add(r->diags, DIAG_WARNING, 0, "%s: event \"%s\" "
		    "skipped: %s", r->relpath, event_name(ve), err);
		return -1;
	}
	if (icalcomponent_get_first_property(ve,
	    ICAL_RECURRENCEID_PROPERTY) != NULL) {
		diags_add(r->diags, DIAG_WARNING, 0, "%s: event \"%s\": "
		    "changed occurrences (RECURRENCE-ID) are not supported; "
		    "skipped", r->relpath, event_name(ve));
		return -1;
	}
	start = icalcomponent_get_first_property(ve, ICAL_DTSTART_PROPERTY);
	if (start == NULL || read_when(r, ve, start, &ws) == -1) {
		diags_add(r->diags, DIAG_WARNING, 0, "%s: event \"%s\" has no "
		    "usable DTSTART; skipped", r->relpath, event_name(ve));
		return -1;
	}
	end = icalcomponent_get_first_property(ve, ICAL_DTEND_PROPERTY);
	dur = icalcomponent_get_first_property(ve, ICAL_DURATION_PROPERTY);
	if (ws.tt.is_date)
		set_all_day(r, ve, ev, &ws, end, dur);
	else
		set_timed(r, ve, ev, &ws, end, dur);

	ev->title = clean_line(icalcomponent_get_summary(ve));
	ev->description = dup_or_null(icalcomponent_get_description(ve));
	ev->location = dup_or_null(icalcomponent_get_location(ve));
	end = icalcomponent_get_first_property(ve, ICAL_URL_PROPERTY);
	ev->url = end != NULL ? dup_or_null(icalproperty_get_url(end)) : NULL;
	ev->anchor = xstrdup("");
	ev->organizer = organizer_email(ve);
	ev->rrule = read_rrule(r, ve, &ws);
	ev->cancelled = icalcomponent_get_status(ve) == ICAL_STATUS_CANCELLED;
	read_rfc7986(ve, ev);
	ev->sequence = icalcomponent_get_sequence(ve);
	if (ev->sequence < 0)
		ev->sequence = 0;
	ev->modified = written_modified(ve);
	ev->line = 0;		/* libical keeps no line numbers */
	uid = icalcomponent_get_uid(ve);
	if (uid != NULL && *uid != '\0')
		ev->uid = clean_line(uid);
	else
		ev->uid = derived_uid(r, ve, ev);
	ev->hash = event_hash(ev);
	return 0;
}

/* The VCALENDAR in what libical returned, or NULL. */
static icalcomponent *
find_calendar(struct reader *r, icalcomponent *root)
{
	icalcomponent *cal;

	if (icalcomponent_isa(root) == ICAL_VCALENDAR_COMPONENT)
		return root;
	if (icalcomponent_isa(root) != ICAL_XROOT_COMPONENT)
		return NULL;
	cal = icalcomponent_get_first_component(root,
	    ICAL_VCALENDAR_COMPONENT);
	if (cal != NULL && icalcomponent_get_next_component(root,
	    ICAL_VCALENDAR_COMPONENT) != NULL)
		diags_add(r->diags, DIAG_WARNING, 0, "%s: several VCALENDARs; "
		    "only the first is read", r->relpath);
	return cal;
}

/* Problems outside the events: worth knowing, not fatal. */
static void
report_calendar_errors(struct reader *r)
{
	icalcomponent *c;
	const char *err;

	if ((err = first_error(r->cal)) != NULL)
		diags_add(r->diags, DIAG_WARNING, 0, "%s: %s", r->relpath, err);
	for (c = icalcomponent_get_first_component(r->cal,
	    ICAL_VTIMEZONE_COMPONENT); c != NULL;
	    c = icalcomponent_get_next_component(r->cal,
	    ICAL_VTIMEZONE_COMPONENT))
		if ((err = any_error(c)) != NULL)
			diags_add(r->diags, DIAG_WARNING, 0, "%s: VTIMEZONE: "
			    "%s", r->relpath, err);
}

static int
duplicate_uid(const struct event *evs, size_t n, const char *uid)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(evs[i].uid, uid) == 0)
			return 1;
	return 0;
}

int
ics_import(const struct config *cf, const char *relpath, const char *data,
    size_t len, struct event **events, size_t *nevents, struct diags *diags)
{
	struct reader r;
	icalcomponent *root, *ve;
	struct event *evs = NULL, ev;
	size_t n = 0, total = 0, max;
	char *text;

	memset(&r, 0, sizeof r);
	r.cf = cf;
	r.relpath = relpath;
	r.diags = diags;
	if ((r.site = dates_zone_find(cf->timezone)) == NULL)
		r.site = icaltimezone_get_utc_timezone();
	/* dates_zone_find() has loaded the zone: its name is stable. */
	if (r.site != icaltimezone_get_utc_timezone() &&
	    icaltimezone_get_component(r.site) != NULL)
		r.site_name = icaltimezone_get_location(r.site);
	max = cf->max_events_per_page > 0 ?
	    (size_t)cf->max_events_per_page : (size_t)-1;

	if (memchr(data, '\0', len) != NULL) {
		diags_add(r.diags, DIAG_ERROR, 0, "%s: not an iCalendar file "
		    "(it contains NUL bytes)", relpath);
		return -1;
	}
	text = xstrndup(data, len);
	root = icalparser_parse_string(text);
	free(text);
	icalerror_clear_errno();
	if (root == NULL) {
		diags_add(r.diags, DIAG_ERROR, 0, "%s: not a readable "
		    "iCalendar file (no complete BEGIN:VCALENDAR ... "
		    "END:VCALENDAR)", relpath);
		return -1;
	}
	if ((r.cal = find_calendar(&r, root)) == NULL) {
		diags_add(r.diags, DIAG_ERROR, 0, "%s: no VCALENDAR in the "
		    "file", relpath);
		icalcomponent_free(root);
		return -1;
	}
	report_calendar_errors(&r);

	for (ve = icalcomponent_get_first_component(r.cal,
	    ICAL_VEVENT_COMPONENT); ve != NULL;
	    ve = icalcomponent_get_next_component(r.cal,
	    ICAL_VEVENT_COMPONENT)) {
		total++;
		if (n == max || read_vevent(&r, ve, &ev) == -1) {
			if (n < max)
				event_clear(&ev);
			continue;
		}
		if (duplicate_uid(evs, n, ev.uid)) {
			diags_add(r.diags, DIAG_WARNING, 0, "%s: event \"%s\": "
			    "UID %s is used twice; skipped", relpath,
			    event_name(ve), ev.uid);
			event_clear(&ev);
			continue;
		}
		evs = xreallocarray(evs, n + 1, sizeof *evs);
		evs[n++] = ev;
	}
	icalcomponent_free(root);
	if (n == max && total > n)
		diags_add(r.diags, DIAG_WARNING, 0, "%s: %zu events; only the "
		    "first %zu are used (max_events_per_page)", relpath, total,
		    n);
	if (n == 0) {
		diags_add(r.diags, DIAG_ERROR, 0, "%s: no usable event (%zu "
		    "VEVENT%s)", relpath, total, total == 1 ? "" : "s");
		free(evs);
		return -1;
	}
	*events = xreallocarray(*events, *nevents + n, sizeof **events);
	memcpy(*events + *nevents, evs, n * sizeof *evs);
	*nevents += n;
	free(evs);
	return 0;
}

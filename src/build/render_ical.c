/*
 * render_ical.c -- the iCalendar writer (RFC 5545, RFC 7986): a VEVENT,
 * a calendar's head, and the reference calendar built whole.
 *
 * Everything is built as libical components and serialised by libical, so
 * most escaping is its job.  What libical 3.0.16 gets wrong is handled
 * here, each where it bites:
 *
 *  - it folds some lines between their CR and LF, or leaves an empty
 *    continuation line, so every text it writes is folded again
 *    (ical_fold_component is the one place that asks libical for text);
 *  - it passes control characters through raw and drops only CR, so every
 *    string is cleaned first (clean_text);
 *  - it does not escape ',' and ';' in X- properties (X-WR-CALNAME) nor
 *    ';' in CATEGORIES, so those values are escaped here and handed over
 *    as STRING values, which it writes verbatim (raw_text_property);
 *  - its zones are not what calendar clients accept: the VTIMEZONEs are
 *    ical_zones.c's;
 *  - "UTC" and "GMT" are its UTC zone, which has no VTIMEZONE: times in
 *    them are written with 'Z';
 *  - IMAGE is an ATTACH kind to it, written without VALUE=URI unless told
 *    (add_image); CONFERENCE it writes with VALUE=URI by itself.
 *
 * No clock is read: DTSTAMP is the event's last modification, so equal
 * input gives equal bytes, which is what lets HTTP caches answer 304.
 *
 * A VEVENT's bytes depend only on the event, its page, the state's
 * SEQUENCE and LAST-MODIFIED and a few settings (render_ical_settings_key:
 * the organizer, the author, the base URL, the colours), and libical writes a
 * component the same way alone or inside a VCALENDAR (a component's text
 * is its properties' lines, then its children's text; nothing depends on
 * the parent).  So calendar.c assembles a calendar from a head written
 * here without its closing line, the VEVENTs written here one by one and
 * kept, and "END:VCALENDAR"; render_ical_whole() builds the same calendar
 * as one VCALENDAR, the reference tests/unit/test_ical.c compares it to
 * byte for byte.  This file keeps nothing between calls.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libical/ical.h>

#include "dates.h"
#include "dict.h"
#include "ical_fold.h"
#include "ical_zones.h"
#include "render.h"
#include "render_ical.h"
#include "stitch.h"
#include "utf8.h"
#include "util.h"
#include "version.h"

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
 * Text as RFC 5545 allows it: valid UTF-8 (libical folds at lead bytes,
 * which is only safe on valid input), no control characters but newline
 * (escaped as \n by the writer), tabs as spaces.  utf8_clean keeps what
 * XML allows, which still includes DEL and the C1 controls.
 */
static char *
clean_text(const char *s)
{
	struct buf in, out;
	const unsigned char *p;

	buf_init(&in);
	buf_init(&out);
	utf8_clean(&in, s, strlen(s));
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

/* One VTIMEZONE per zone used, in the order given. */
static void
add_timezones(struct ical_zones *zones, icalcomponent *cal,
    const struct ical_zone_use *used, size_t nused)
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
		vtz = ical_zones_component(zones, used[j].zone,
		    used[j].location, used[j].year - 1);
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
	return dates_timegm_utc(a->year, a->month, a->day, a->hour, a->minute,
	    a->second) > dates_timegm_utc(b->year, b->month, b->day, b->hour,
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
		if (dates_valid(ev->end.year, ev->end.month, ev->end.day) &&
		    datetime_after(&ev->end, &ev->start))
			e = wall_clock(&ev->end, 1);
		else {
			e = s;
			icaltime_adjust(&e, 1, 0, 0, 0);
		}
		ps = must(icalproperty_new_dtstart(s), "DTSTART");
		pe = must(icalproperty_new_dtend(e), "DTEND");
	} else if (ical_zones_event(ev, &location) != NULL) {
		/*
		 * No zone on the time itself: libical would name it with its
		 * prefixed TZID.  The parameter carries the plain name.
		 */
		ps = must(icalproperty_new_dtstart(wall_clock(&ev->start, 0)),
		    "DTSTART");
		icalproperty_add_parameter(ps, must(icalparameter_new_tzid(
		    location), "TZID"));
		if (dates_valid(ev->end.year, ev->end.month, ev->end.day) &&
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
render_ical_organized(const struct config *cf, const struct event *ev)
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

/*
 * RFC 7986 CONFERENCE: libical writes VALUE=URI itself, and quotes and
 * encodes LABEL (RFC 6868).  FEATURE is a token list; a name libical does
 * not know goes as an X- value, which it writes as given.
 */
static void
add_conferences(icalcomponent *ve, const struct event *ev)
{
	icalparameter_feature f;
	icalparameter *fp;
	icalproperty *p;
	size_t i;
	char *uri, *label;

	for (i = 0; i < ev->nconferences; i++) {
		const struct event_conference *c = &ev->conferences[i];

		uri = clean_line(c->uri);
		if (*uri == '\0') {
			free(uri);
			continue;
		}
		p = must(icalproperty_new_conference(uri), "CONFERENCE");
		free(uri);
		if (c->feature != NULL && *c->feature != '\0') {
			f = icalparameter_string_to_enum(c->feature);
			if (f >= ICAL_FEATURE_AUDIO && f < ICAL_FEATURE_NONE)
				fp = icalparameter_new_feature(f);
			else {
				fp = icalparameter_new_feature(ICAL_FEATURE_X);
				icalparameter_set_xvalue(fp, c->feature);
			}
			icalproperty_add_parameter(p, must(fp, "FEATURE"));
		}
		label = clean_line(c->label != NULL ? c->label : "");
		if (*label != '\0')
			icalproperty_add_parameter(p,
			    must(icalparameter_new_label(label), "LABEL"));
		free(label);
		icalcomponent_add_property(ve, p);
	}
}

/* RFC 7986 IMAGE by reference, shown beside the event's title. */
static void
add_image(icalcomponent *ve, const char *url)
{
	icalattach *a;
	icalproperty *p;
	char *u;

	if (url == NULL || *url == '\0')
		return;
	u = clean_line(url);
	a = must(icalattach_new_from_url(u), "IMAGE");
	free(u);
	p = must(icalproperty_new_image(a), "IMAGE");
	icalattach_unref(a);
	/* An ATTACH kind: libical prints VALUE=URI only when told. */
	icalproperty_add_parameter(p, must(icalparameter_new_value(
	    ICAL_VALUE_URI), "VALUE"));
	icalproperty_add_parameter(p, must(icalparameter_new_display(
	    ICAL_DISPLAY_BADGE), "DISPLAY"));
	icalcomponent_add_property(ve, p);
}

/* COLOR: a CSS3 name, checked when the settings or the file were read. */
static void
add_color(icalcomponent *c, const char *color)
{
	if (color != NULL && *color != '\0')
		icalcomponent_add_property(c, must(icalproperty_new_color(
		    color), "COLOR"));
}

const char *
render_ical_event_color(const struct config *cf, const struct event *ev,
    const struct page *pg)
{
	if (ev->color != NULL && *ev->color != '\0')
		return ev->color;
	return config_color(cf, pg != NULL ? pg->section : NULL);
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
	add_conferences(ve, ev);
	add_image(ve, ev->image);
	add_color(ve, render_ical_event_color(cf, ev, pg));
	return ve;
}

/*
 * The calendar's own properties and the VTIMEZONEs its events use: all
 * but the VEVENTs.  organized: every event has an organizer.
 */
static icalcomponent *
calendar_head(struct ical_zones *zones, const struct config *cf,
    const struct channel *ch, int organized, const struct ical_zone_use *used,
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
	add_color(cal, ch->color);
	add_uri(cal, icalproperty_new_source, ch->self_url);
	add_uri(cal, icalproperty_new_url, ch->alternate_url != NULL &&
	    *ch->alternate_url != '\0' ? ch->alternate_url : ch->self_url);

	add_timezones(zones, cal, used, nused);
	return cal;
}

/*
 * The reference: one VCALENDAR holding every VEVENT, serialised whole by
 * libical, with a cache of its own.  What calendar_render(NULL, ...)
 * returns; calendars assembled from pieces must give the same bytes.
 */
char *
render_ical_whole(const struct config *cf, const struct channel *ch,
    const struct ical_event *evs, size_t n, size_t *len)
{
	struct ical_zones *zones = ical_zones_new();
	struct ical_zone_use *used;
	size_t nused = ical_zones_collect(evs, n, &used), i;
	icalcomponent *cal, *vtz;
	struct buf out;
	int organized = 1;

	for (i = 0; i < n; i++)
		organized &= render_ical_organized(cf, evs[i].event);
	cal = calendar_head(zones, cf, ch, organized, used, nused);
	free(used);
	if (n == 0 && (vtz = ical_zones_empty_component(zones, cf)) != NULL)
		icalcomponent_add_component(cal, vtz);
	for (i = 0; i < n; i++)
		icalcomponent_add_component(cal, make_vevent(cf, &evs[i]));
	buf_init(&out);
	ical_fold_component(&out, cal);
	icalcomponent_free(cal);
	ical_zones_free(zones);
	*len = out.len;
	return buf_steal(&out);
}

/*
 * The settings a VEVENT shows, hashed once per calendar: the organizer
 * and author (add_organizer), and the base URL its page's permalink is
 * made from (the page's content hash does not cover settings).
 */
uint64_t
render_ical_settings_key(const struct config *cf)
{
	struct hasher h;

	hasher_init(&h);
	hasher_int(&h, cf->organizer != NULL);
	hasher_str(&h, cf->organizer);
	hasher_int(&h, cf->author != NULL);
	hasher_str(&h, cf->author);
	hasher_str(&h, cf->base_url);
	hasher_int(&h, (long long)render_ical_colors_key(cf));
	return hasher_done(&h);
}

uint64_t
render_ical_colors_key(const struct config *cf)
{
	struct hasher h;
	size_t i;

	hasher_init(&h);
	hasher_str(&h, cf->color);
	hasher_int(&h, (long long)cf->nsection_colors);
	for (i = 0; i < cf->nsection_colors; i++) {
		hasher_str(&h, cf->section_colors[i].section);
		hasher_str(&h, cf->section_colors[i].color);
	}
	return hasher_done(&h);
}

char *
render_ical_head(struct ical_zones *zones, const struct config *cf,
    const struct channel *ch, int organized, int empty,
    const struct ical_zone_use *used, size_t nused, size_t *len)
{
	/* The properties by libical, then the VTIMEZONEs' kept texts:
	 * libical writes a component's properties, then its children. */
	icalcomponent *cal = calendar_head(zones, cf, ch, organized, NULL, 0);
	size_t elen = strlen(ICAL_END), hlen, j;
	struct buf head;
	const char *text;

	buf_init(&head);
	hlen = ical_fold_component(&head, cal);
	icalcomponent_free(cal);
	if (hlen < elen || strcmp(head.data + hlen - elen, ICAL_END) != 0) {
		fprintf(stderr, "crier: libical ended a calendar unexpectedly\n");
		abort();
	}
	head.len = hlen - elen;
	head.data[head.len] = '\0';
	/* From the year before the earliest event, as add_timezones. */
	for (j = 0; j < nused; j++)
		if ((text = ical_zones_text(zones, used[j].zone,
		    used[j].location, used[j].year - 1)) != NULL)
			buf_addstr(&head, text);
	/* As render_ical_whole: the one component of a calendar without
	 * events. */
	if (empty && (text = ical_zones_empty_text(zones, cf)) != NULL)
		buf_addstr(&head, text);
	*len = head.len;
	return buf_steal(&head);
}

char *
render_ical_vevent(const struct config *cf, const struct ical_event *ie,
    size_t *len)
{
	icalcomponent *ve = make_vevent(cf, ie);
	struct buf text;

	buf_init(&text);
	*len = ical_fold_component(&text, ve);
	icalcomponent_free(ve);
	return buf_steal(&text);
}

/*
 * test_ical.c -- the iCalendar writer (render_ical.c, ical_zones.c and
 * calendar.c's assembly) and the .ics reader (ics.c).
 *
 * Output is checked at the byte level where clients are picky (TZID
 * names, VTIMEZONE shape, folding, escaping) and by re-reading it with
 * libical, whose restriction table knows RFC 5545/5546's rules.  VTIMEZONE
 * bytes come from the system's tzdata, so they are checked for shape,
 * never against a stored copy.
 */
#include "calendar.h"
#include "fixture.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libical/ical.h>

#include "ics.h"
#include "page.h"
#include "render.h"
#include "utf8.h"
#include "util.h"

static struct config cf;
static struct channel ch;

static void
setup_config(void)
{
	memset(&cf, 0, sizeof cf);
	cf.timezone = "Asia/Shanghai";
	cf.organizer = "events@example.org";
	cf.author = "Crier Team";
	cf.id_authority = "example.org";
	cf.refresh_interval = 3600;
	cf.max_events_per_page = 100;
	memset(&ch, 0, sizeof ch);
	ch.title = "Example events";
	ch.description = "What happens";
	ch.self_url = "https://example.org/events.ics";
	ch.alternate_url = "https://example.org/events/";
}

static int
setup(void **state)
{
	(void)state;
	setup_config();
	return 0;
}

static struct datetime
dt(int y, int mo, int d, int h, int mi)
{
	struct datetime t;

	memset(&t, 0, sizeof t);
	t.year = y;
	t.month = mo;
	t.day = d;
	t.hour = h;
	t.minute = mi;
	t.has_time = 1;
	return t;
}

/* A timed event in zone (NULL: UTC), as page.c would fill it. */
static struct event
timed(const char *uid, const char *tzid, struct datetime s, struct datetime e)
{
	struct event ev;
	icaltimezone *z = dates_zone_find(tzid);

	memset(&ev, 0, sizeof ev);
	ev.uid = (char *)uid;
	ev.title = "Meetup";
	ev.tzid = (char *)tzid;
	ev.start = s;
	ev.end = e;
	ev.start_utc = dates_to_utc(&s, z);
	ev.end_utc = dates_to_utc(&e, z);
	return ev;
}

/* Renders evs.  The tests build events on the stack and edit them in
 * place, so each is hashed first, as parsing it would be: the cache keeps
 * VEVENTs by content. */
static char *
render1(struct calendar_cache *z, struct event *evs, size_t n,
    const struct page *pg)
{
	struct ical_event ie[8];
	size_t i, len;
	char *s;

	assert_true(n <= 8);
	for (i = 0; i < n; i++) {
		evs[i].hash = event_hash(&evs[i]);
		ie[i].event = &evs[i];
		ie[i].page = pg;
		ie[i].sequence = 3;
		ie[i].last_modified = 1767268800;	/* 2026-01-01T12:00Z */
	}
	s = calendar_render(z, &cf, &ch, ie, n, &len);
	assert_non_null(s);
	assert_int_equal(len, strlen(s));
	return s;
}

static char *
render_one(struct event *ev)
{
	struct calendar_cache *z = calendar_cache_new();
	char *s = render1(z, ev, 1, NULL);

	calendar_cache_free(z);
	return s;
}

/* The text between "BEGIN:VTIMEZONE\r\nTZID:name" and its END. */
static char *
vtimezone_of(const char *cal, const char *name)
{
	char *key = xasprintf("BEGIN:VTIMEZONE\r\nTZID:%s\r\n", name);
	const char *b = strstr(cal, key), *e;

	free(key);
	if (b == NULL)
		return NULL;
	e = strstr(b, "END:VTIMEZONE\r\n");
	assert_non_null(e);
	return xstrndup(b, (size_t)(e - b) + 15);
}

static int
count(const char *hay, const char *needle)
{
	int n = 0;

	for (; (hay = strstr(hay, needle)) != NULL; hay++)
		n++;
	return n;
}

/* Re-read with libical: no parse errors, RFC 5545/5546 restrictions met. */
static icalcomponent *
reparse_valid(const char *s)
{
	icalcomponent *c = icalparser_parse_string(s), *clone;

	assert_non_null(c);
	assert_int_equal(icalcomponent_isa(c), ICAL_VCALENDAR_COMPONENT);
	assert_int_equal(icalcomponent_count_errors(c), 0);
	clone = icalcomponent_new_clone(c);
	assert_non_null(clone);
	if (!icalrestriction_check(clone)) {
		char *t = icalcomponent_as_ical_string_r(clone);
		fprintf(stderr, "%s", t);
		free(t);
		fail_msg("icalrestriction_check failed");
	}
	icalcomponent_free(clone);
	return c;
}

static void
test_shanghai(void **state)
{
	struct event ev = timed("a@example.org", "Asia/Shanghai",
	    dt(2026, 12, 3, 19, 0), dt(2026, 12, 3, 21, 0));
	char *s = render_one(&ev), *vtz;

	(void)state;
	assert_non_null(strstr(s,
	    "\r\nDTSTART;TZID=Asia/Shanghai:20261203T190000\r\n"));
	assert_non_null(strstr(s,
	    "\r\nDTEND;TZID=Asia/Shanghai:20261203T210000\r\n"));
	assert_null(strstr(s, "freeassociation"));
	vtz = vtimezone_of(s, "Asia/Shanghai");
	assert_non_null(vtz);
	/* No daylight saving: one STANDARD, no rules, a few lines. */
	assert_int_equal(count(vtz, "BEGIN:STANDARD"), 1);
	assert_int_equal(count(vtz, "BEGIN:DAYLIGHT"), 0);
	assert_int_equal(count(vtz, "RDATE"), 0);
	assert_int_equal(count(vtz, "RRULE"), 0);
	assert_non_null(strstr(vtz, "TZOFFSETTO:+0800\r\n"));
	assert_true(strlen(vtz) < 300);
	assert_int_equal(count(s, "BEGIN:VTIMEZONE"), 1);
	free(vtz);
	icalcomponent_free(reparse_valid(s));
	free(s);
}

/* Zones with daylight saving: one STANDARD and one DAYLIGHT rule each. */
static void
test_compact_zones(void **state)
{
	const char *names[] = { "Europe/Berlin", "America/New_York",
	    "Europe/London" };
	struct event ev[3];
	struct calendar_cache *z = calendar_cache_new();
	char *s, *vtz;
	size_t i;

	(void)state;
	for (i = 0; i < 3; i++)
		ev[i] = timed("b@example.org", names[i],
		    dt(2026, 3, 10, 18, 30), dt(2026, 3, 10, 20, 0));
	ev[1].uid = "c@example.org";
	ev[2].uid = "d@example.org";
	s = render1(z, ev, 3, NULL);
	for (i = 0; i < 3; i++) {
		vtz = vtimezone_of(s, names[i]);
		assert_non_null(vtz);
		assert_int_equal(count(vtz, "BEGIN:STANDARD"), 1);
		assert_int_equal(count(vtz, "BEGIN:DAYLIGHT"), 1);
		assert_int_equal(count(vtz, "\r\nRRULE:FREQ=YEARLY;"), 2);
		assert_int_equal(count(vtz, "RDATE"), 0);
		/* Open-ended: the rules still hold after 2037. */
		assert_int_equal(count(vtz, "UNTIL"), 0);
		assert_non_null(strstr(vtz, "X-LIC-LOCATION:"));
		free(vtz);
	}
	assert_non_null(strstr(s,
	    "\r\nDTSTART;TZID=Europe/Berlin:20260310T183000\r\n"));
	assert_null(strstr(s, "freeassociation"));
	assert_null(strstr(s, "TZID:GMT"));
	icalcomponent_free(reparse_valid(s));
	free(s);
	calendar_cache_free(z);
}

/* The VTIMEZONE really says what tzdata says, read back by libical. */
static void
test_zone_offsets(void **state)
{
	struct event ev[2];
	icalcomponent *c;
	icaltimezone *tz;
	struct icaltimetype t;
	char *s;
	int dst;

	(void)state;
	ev[0] = timed("w@example.org", "Europe/Berlin",
	    dt(2026, 1, 15, 10, 0), dt(2026, 1, 15, 11, 0));
	ev[1] = timed("s@example.org", "Europe/Berlin",
	    dt(2026, 7, 15, 10, 0), dt(2026, 7, 15, 11, 0));
	{
		struct calendar_cache *z = calendar_cache_new();

		s = render1(z, ev, 2, NULL);
		calendar_cache_free(z);
	}
	c = reparse_valid(s);
	tz = icalcomponent_get_timezone(c, "Europe/Berlin");
	assert_non_null(tz);
	t = icaltime_from_string("20260115T100000");
	assert_int_equal(icaltimezone_get_utc_offset(tz, &t, &dst), 3600);
	t = icaltime_from_string("20260715T100000");
	assert_int_equal(icaltimezone_get_utc_offset(tz, &t, &dst), 7200);
	t = icaltime_from_string("20450715T100000");
	assert_int_equal(icaltimezone_get_utc_offset(tz, &t, &dst), 7200);
	icalcomponent_free(c);
	free(s);
}

static void
test_all_day(void **state)
{
	struct event ev;
	struct datetime d = { 2026, 12, 24, 0, 0, 0, 0, 0, 0 };
	struct datetime e = { 2026, 12, 26, 0, 0, 0, 0, 0, 0 };
	char *s;

	(void)state;
	memset(&ev, 0, sizeof ev);
	ev.uid = "x@example.org";
	ev.title = "Holidays";
	ev.all_day = 1;
	ev.start = d;
	ev.end = e;
	s = render_one(&ev);
	assert_non_null(strstr(s, "\r\nDTSTART;VALUE=DATE:20261224\r\n"));
	assert_non_null(strstr(s, "\r\nDTEND;VALUE=DATE:20261226\r\n"));
	assert_null(strstr(s, "BEGIN:VTIMEZONE"));
	icalcomponent_free(reparse_valid(s));
	free(s);

	/* No end: the one day, DTEND exclusive. */
	memset(&ev.end, 0, sizeof ev.end);
	s = render_one(&ev);
	assert_non_null(strstr(s, "\r\nDTEND;VALUE=DATE:20261225\r\n"));
	free(s);
}

static void
test_utc(void **state)
{
	struct event ev = timed("u@example.org", NULL,
	    dt(2026, 5, 1, 9, 0), dt(2026, 5, 1, 10, 0));
	char *s;

	(void)state;
	s = render_one(&ev);
	assert_non_null(strstr(s, "\r\nDTSTART:20260501T090000Z\r\n"));
	assert_non_null(strstr(s, "\r\nDTEND:20260501T100000Z\r\n"));
	assert_null(strstr(s, "BEGIN:VTIMEZONE"));
	free(s);

	/* libical's "UTC" and "GMT" have no VTIMEZONE: write Z. */
	ev = timed("g@example.org", "GMT", dt(2026, 5, 1, 9, 0),
	    dt(2026, 5, 1, 10, 0));
	s = render_one(&ev);
	assert_non_null(strstr(s, "\r\nDTSTART:20260501T090000Z\r\n"));
	assert_null(strstr(s, "BEGIN:VTIMEZONE"));
	assert_null(strstr(s, "TZID"));
	icalcomponent_free(reparse_valid(s));
	free(s);
}

static void
test_rrule_status(void **state)
{
	struct event ev = timed("r@example.org", "Europe/Berlin",
	    dt(2026, 3, 3, 19, 0), dt(2026, 3, 3, 21, 0));
	char *s;

	(void)state;
	ev.rrule = "FREQ=WEEKLY;COUNT=10;BYDAY=TU";
	s = render_one(&ev);
	assert_non_null(strstr(s, "\r\nRRULE:FREQ=WEEKLY;COUNT=10;BYDAY=TU\r\n"));
	assert_non_null(strstr(s, "\r\nSTATUS:CONFIRMED\r\n"));
	icalcomponent_free(reparse_valid(s));
	free(s);

	ev.rrule = "FREQ=MONTHLY;UNTIL=20261231T235959Z;BYMONTHDAY=3";
	s = render_one(&ev);
	assert_non_null(strstr(s,
	    "\r\nRRULE:FREQ=MONTHLY;UNTIL=20261231T235959Z;BYMONTHDAY=3\r\n"));
	free(s);

	ev.rrule = "EVERY=SOMETIMES";
	ev.cancelled = 1;
	s = render_one(&ev);
	assert_null(strstr(strstr(s, "BEGIN:VEVENT"), "RRULE"));
	assert_non_null(strstr(s, "\r\nSTATUS:CANCELLED\r\n"));
	icalcomponent_free(reparse_valid(s));
	free(s);
}

/* CRLF only; lines of at most 75 octets, each valid UTF-8 on its own. */
static void
check_lines(const char *s)
{
	const char *p = s, *eol;
	size_t n;

	while (*p != '\0') {
		eol = strstr(p, "\r\n");
		assert_non_null(eol);
		n = (size_t)(eol - p);
		assert_true(n <= 75);
		assert_null(memchr(p, '\n', n));
		assert_null(memchr(p, '\r', n));
		assert_true(utf8_valid(p, n));
		/* No empty line, no empty continuation line. */
		assert_true(n >= (*p == ' ' ? 2u : 1u));
		if (n > 0)
			assert_false(((unsigned char)p[*p == ' '] & 0xc0) ==
			    0x80);
		p = eol + 2;
	}
}

static const char *
summary_of(icalcomponent *cal)
{
	icalcomponent *ve;

	ve = icalcomponent_get_first_component(cal, ICAL_VEVENT_COMPONENT);
	assert_non_null(ve);
	return icalcomponent_get_summary(ve);
}

static void
test_folding_escaping(void **state)
{
	struct event ev = timed("f@example.org", "Asia/Shanghai",
	    dt(2026, 12, 3, 19, 0), dt(2026, 12, 3, 21, 0));
	struct buf desc;
	icalcomponent *c;
	char *s;
	int i;

	(void)state;
	buf_init(&desc);
	for (i = 0; i < 40; i++)
		buf_addstr(&desc, "北京见面会，欢迎参加。");
	buf_addstr(&desc, "\nZweite Zeile: größer\x01\x7f\tend");
	ev.description = desc.data;
	ev.title = "Talk\nPart 2; Q&A, more \\ backslash\r";
	ev.location = "Room 1, Floor 2; Building \"A\"";
	s = render_one(&ev);
	check_lines(s);
	assert_non_null(strstr(s, "\r\nSUMMARY:Talk\\nPart 2\\; Q&A\\, more "
	    "\\\\ backslash\r\n"));
	assert_null(strstr(s, "\x01"));
	assert_null(strstr(s, "\x7f"));
	assert_null(strstr(s, "\t"));
	c = reparse_valid(s);
	assert_string_equal(summary_of(c),
	    "Talk\nPart 2; Q&A, more \\ backslash");
	assert_string_equal(icalcomponent_get_location(
	    icalcomponent_get_first_component(c, ICAL_VEVENT_COMPONENT)),
	    "Room 1, Floor 2; Building \"A\"");
	assert_non_null(strstr(icalcomponent_get_description(
	    icalcomponent_get_first_component(c, ICAL_VEVENT_COMPONENT)),
	    "\nZweite Zeile: größer end"));
	icalcomponent_free(c);
	free(s);
	buf_free(&desc);
}

/* Joins folded lines in place (RFC 5545 3.1). */
static void
unfold(char *s)
{
	char *r = s, *w = s;

	while (*r != '\0') {
		if (r[0] == '\r' && r[1] == '\n' && r[2] == ' ')
			r += 3;
		else
			*w++ = *r++;
	}
	*w = '\0';
}

/*
 * RFC 7986 on an event and a calendar: the bytes assembled from kept
 * pieces equal the whole VCALENDAR's, lines stay valid with a long
 * CONFERENCE and a CJK LABEL, and an edit of a CONFERENCE in place (a new
 * hash, as parsing gives) is not served from the cache's old VEVENT.
 */
static void
test_rfc7986_properties(void **state)
{
	struct event ev = timed("c@example.org", "Asia/Shanghai",
	    dt(2026, 12, 3, 19, 0), dt(2026, 12, 3, 21, 0));
	struct event_conference conf[2] = {
		{ "https://us02web.zoom.us/j/81234567890?pwd=QWxhZGRpbjpvcGVu"
		  "IHNlc2FtZSBhbmQgbW9yZQ", "VIDEO", "Zoom" },
		{ "tel:+86-10-5555-0100", "PHONE", "电话接入，会议号 812 3456 7890" },
	};
	struct calendar_cache *z = calendar_cache_new();
	struct ical_event ie;
	icalcomponent *c, *ve;
	char *s, *whole, *again;

	(void)state;
	ev.conferences = conf;
	ev.nconferences = 2;
	ev.image = "https://example.org/img/poster.png";
	cf.color = "teal";
	ch.color = "steelblue";
	s = render1(z, &ev, 1, NULL);
	check_lines(s);
	ie.event = &ev;
	ie.page = NULL;
	ie.sequence = 3;
	ie.last_modified = 1767268800;
	whole = calendar_render(NULL, &cf, &ch, &ie, 1, NULL);
	assert_string_equal(s, whole);
	assert_non_null(strstr(s, "\r\nCOLOR:steelblue\r\n"));
	assert_non_null(strstr(s, "\r\nCOLOR:teal\r\n"));
	assert_non_null(strstr(s, "\r\nIMAGE;VALUE=URI;DISPLAY=BADGE:"
	    "https://example.org/img/poster.png\r\n"));
	assert_non_null(strstr(s, "\r\nCONFERENCE;VALUE=URI;FEATURE=VIDEO;"
	    "LABEL=Zoom:https://"));
	c = reparse_valid(s);
	ve = icalcomponent_get_first_component(c, ICAL_VEVENT_COMPONENT);
	assert_int_equal(icalcomponent_count_properties(ve,
	    ICAL_CONFERENCE_PROPERTY), 2);
	unfold(s);
	assert_non_null(strstr(s, "\r\nCONFERENCE;VALUE=URI;FEATURE=PHONE;"
	    "LABEL=电话接入，会议号 812 3456 7890:tel:+86-10-5555-0100\r\n"));
	assert_string_equal(icalproperty_get_conference(
	    icalcomponent_get_first_property(ve, ICAL_CONFERENCE_PROPERTY)),
	    conf[0].uri);
	icalcomponent_free(c);
	/* Edited in place: the stamp moves with the content. */
	conf[0].uri = "https://meet.google.com/abc-defg-hij";
	again = render1(z, &ev, 1, NULL);
	check_lines(again);
	unfold(again);
	assert_non_null(strstr(again, "\r\nCONFERENCE;VALUE=URI;FEATURE=VIDEO;"
	    "LABEL=Zoom:https://meet.google.com/abc-defg-hij\r\n"));
	assert_null(strstr(again, "zoom.us"));
	free(again);
	free(whole);
	free(s);
	calendar_cache_free(z);
	cf.color = NULL;
	ch.color = NULL;
}

static const char *
x_property(icalcomponent *c, const char *name)
{
	icalproperty *p;

	for (p = icalcomponent_get_first_property(c, ICAL_X_PROPERTY);
	    p != NULL; p = icalcomponent_get_next_property(c,
	    ICAL_X_PROPERTY))
		if (strcmp(icalproperty_get_x_name(p), name) == 0)
			return icalproperty_get_x(p);
	return NULL;
}

/* A value that makes the line "NAME:value" exactly len octets, of
 * characters w octets wide (padded with ASCII). */
static char *
value_for(const char *name, size_t len, size_t w)
{
	static const char *const wide[] = { "a", "\xc3\xa9", "\xe4\xb8\xad",
	    "\xf0\x9f\x8e\x89" };
	struct buf b;
	size_t want = len - strlen(name) - 1;

	buf_init(&b);
	while (b.len + w <= want)
		buf_addstr(&b, wide[w - 1]);
	while (b.len < want)
		buf_addc(&b, 'z');
	return buf_steal(&b);
}

/*
 * SUMMARY, DESCRIPTION, LOCATION, URL and X-WR-CALNAME lines of every
 * length from 60 to 160 octets, ASCII and multibyte: libical 3.0.16
 * folds some of them between CR and LF or leaves an empty continuation
 * line.  Every line checked byte by byte, cached path and whole, and
 * every value read back by libical.
 */
static void
test_line_lengths(void **state)
{
	struct event ev = timed("len@example.org", "Asia/Shanghai",
	    dt(2026, 12, 3, 19, 0), dt(2026, 12, 3, 21, 0));
	char *sum, *desc, *loc, *url, *tail, *name, *s, *whole;
	struct ical_event ie;
	icalcomponent *c, *ve;
	size_t len, w;

	(void)state;
	for (len = 60; len <= 160; len++) {
		for (w = 1; w <= 4; w++) {
			sum = value_for("SUMMARY", len, w);
			desc = value_for("DESCRIPTION", len, w);
			loc = value_for("LOCATION", len, w);
			tail = value_for("URL", len - strlen("https://e.org/"),
			    1);
			url = xasprintf("https://e.org/%s", tail);
			free(tail);
			name = value_for("X-WR-CALNAME", len, w);
			ev.title = sum;
			ev.description = desc;
			ev.location = loc;
			ev.url = url;
			ch.title = name;
			s = render_one(&ev);
			check_lines(s);
			memset(&ie, 0, sizeof ie);
			ie.event = &ev;
			ie.sequence = 3;
			ie.last_modified = 1767268800;
			whole = calendar_render(NULL, &cf, &ch, &ie, 1, NULL);
			assert_string_equal(s, whole);
			c = reparse_valid(s);
			ve = icalcomponent_get_first_component(c,
			    ICAL_VEVENT_COMPONENT);
			assert_string_equal(icalcomponent_get_summary(ve), sum);
			assert_string_equal(icalcomponent_get_description(ve),
			    desc);
			assert_string_equal(icalcomponent_get_location(ve), loc);
			assert_string_equal(icalproperty_get_url(
			    icalcomponent_get_first_property(ve,
			    ICAL_URL_PROPERTY)), url);
			assert_string_equal(x_property(c, "X-WR-CALNAME"), name);
			icalcomponent_free(c);
			free(whole);
			free(s);
			free(sum);
			free(desc);
			free(loc);
			free(url);
			free(name);
		}
	}
}

static void
test_calendar_properties(void **state)
{
	struct event ev = timed("h@example.org", "Asia/Shanghai",
	    dt(2026, 12, 3, 19, 0), dt(2026, 12, 3, 21, 0));
	icalcomponent *c;
	char *s;

	(void)state;
	ch.title = "Talks, Meetups; more \\ and\nnewline";
	s = render_one(&ev);
	check_lines(s);
	assert_true(strncmp(s, "BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"
	    "PRODID:-//crier//crier 1.0//EN\r\nCALSCALE:GREGORIAN\r\n"
	    "METHOD:PUBLISH\r\n", 97) == 0);
	assert_non_null(strstr(s, "\r\nX-WR-CALNAME:Talks\\, Meetups\\; more "
	    "\\\\ and\\nnewline\r\n"));
	assert_non_null(strstr(s, "\r\nNAME:Talks\\, Meetups\\; more "
	    "\\\\ and\\nnewline\r\n"));
	assert_non_null(strstr(s, "\r\nDESCRIPTION:What happens\r\n"));
	assert_non_null(strstr(s, "\r\nX-WR-CALDESC:What happens\r\n"));
	assert_non_null(strstr(s,
	    "\r\nREFRESH-INTERVAL;VALUE=DURATION:PT1H\r\n"));
	assert_non_null(strstr(s, "\r\nX-PUBLISHED-TTL:PT1H\r\n"));
	assert_non_null(strstr(s, "\r\nX-WR-TIMEZONE:Asia/Shanghai\r\n"));
	assert_non_null(strstr(s,
	    "\r\nSOURCE;VALUE=URI:https://example.org/events.ics\r\n"));
	assert_non_null(strstr(s, "\r\nURL:https://example.org/events/\r\n"));
	assert_non_null(strstr(s, "\r\nORGANIZER;CN=Crier Team:"
	    "mailto:events@example.org\r\n"));
	assert_null(strstr(s, "VALUE=STRING"));
	c = reparse_valid(s);
	assert_string_equal(x_property(c, "X-WR-CALNAME"),
	    "Talks, Meetups; more \\ and\nnewline");
	icalcomponent_free(c);
	free(s);

	/* A 90-minute TTL, and no description. */
	ch.description = "";
	cf.refresh_interval = 5400;
	s = render_one(&ev);
	assert_non_null(strstr(s,
	    "\r\nREFRESH-INTERVAL;VALUE=DURATION:PT1H30M\r\n"));
	assert_non_null(strstr(s, "\r\nX-PUBLISHED-TTL:PT1H30M\r\n"));
	assert_null(strstr(s, "X-WR-CALDESC"));
	free(s);
}

static void
test_event_properties(void **state)
{
	struct event ev = timed("e1@example.org", "Asia/Shanghai",
	    dt(2026, 12, 3, 19, 0), dt(2026, 12, 3, 21, 0));
	struct page pg;
	char *tags[] = { "go", "a;b", "c,d" };
	char *cats[] = { "Meetups", "go" };
	char *authors[] = { "Ada \"L\", Org" };
	struct calendar_cache *z = calendar_cache_new();
	char *s;

	(void)state;
	memset(&pg, 0, sizeof pg);
	pg.tags = tags;
	pg.ntags = 3;
	pg.categories = cats;
	pg.ncategories = 2;
	pg.authors = authors;
	pg.nauthors = 1;
	pg.permalink = "https://example.org/events/go-meetup/";
	ev.organizer = "mailto:ada@example.org";
	s = render1(z, &ev, 1, &pg);
	assert_non_null(strstr(s, "\r\nUID:e1@example.org\r\n"));
	assert_non_null(strstr(s, "\r\nSEQUENCE:3\r\n"));
	assert_non_null(strstr(s, "\r\nDTSTAMP:20260101T120000Z\r\n"));
	assert_non_null(strstr(s, "\r\nLAST-MODIFIED:20260101T120000Z\r\n"));
	assert_non_null(strstr(s,
	    "\r\nCATEGORIES:go,a\\;b,c\\,d,Meetups\r\n"));
	assert_non_null(strstr(s,
	    "\r\nURL:https://example.org/events/go-meetup/\r\n"));
	assert_non_null(strstr(s, "mailto:ada@example.org\r\n"));
	assert_null(strstr(s, "mailto:mailto:"));
	icalcomponent_free(reparse_valid(s));
	free(s);
	calendar_cache_free(z);
}

/* Without an organizer METHOD:PUBLISH would be invalid: it is left out. */
static void
test_no_organizer(void **state)
{
	struct event ev = timed("n@example.org", "Asia/Shanghai",
	    dt(2026, 12, 3, 19, 0), dt(2026, 12, 3, 21, 0));
	char *s;

	(void)state;
	cf.organizer = NULL;
	s = render_one(&ev);
	assert_null(strstr(s, "METHOD"));
	assert_null(strstr(s, "ORGANIZER"));
	icalcomponent_free(reparse_valid(s));
	free(s);
}

static void
test_empty_and_deterministic(void **state)
{
	struct event ev[3];
	struct calendar_cache *z1 = calendar_cache_new(), *z2 = calendar_cache_new();
	char *a, *b, *c;

	(void)state;
	ev[0] = timed("1@example.org", "Europe/Berlin",
	    dt(2026, 3, 3, 19, 0), dt(2026, 3, 3, 21, 0));
	ev[1] = timed("2@example.org", "Asia/Shanghai",
	    dt(2026, 12, 3, 19, 0), dt(2026, 12, 3, 21, 0));
	ev[2] = timed("3@example.org", "Europe/Berlin",
	    dt(1999, 3, 3, 19, 0), dt(1999, 3, 3, 21, 0));
	/* The shared cache holds other years' zones: no effect on bytes. */
	c = render1(z1, ev, 2, NULL);
	free(c);
	c = render1(z1, ev, 3, NULL);
	free(c);
	a = render1(z1, ev, 2, NULL);
	b = render1(z2, ev, 2, NULL);
	assert_string_equal(a, b);
	/* Events in the order given; zones in order of first use. */
	assert_true(strstr(a, "UID:1@") < strstr(a, "UID:2@"));
	assert_true(strstr(a, "TZID:Europe/Berlin\r\n") <
	    strstr(a, "TZID:Asia/Shanghai\r\n"));
	free(a);
	free(b);

	a = render1(z1, ev, 0, NULL);
	assert_non_null(strstr(a, "BEGIN:VCALENDAR\r\n"));
	assert_non_null(strstr(a, "END:VCALENDAR\r\n"));
	icalcomponent_free(reparse_valid(a));
	free(a);
	calendar_cache_free(z1);
	calendar_cache_free(z2);
}

/*
 * RFC 5545 wants a component in every VCALENDAR: a calendar without
 * events carries the site zone's VTIMEZONE (UTC's, made up, when the site
 * is in UTC), the same bytes cached or whole, and it is valid.
 */
static void
test_empty_calendar(void **state)
{
	static const char *const zones[][2] = {
		{ "Asia/Shanghai", "Asia/Shanghai" },
		{ "Europe/Berlin", "Europe/Berlin" },
		{ "America/Sao_Paulo", "America/Sao_Paulo" },
		{ "UTC", "UTC" },
		{ "Etc/UTC", "UTC" },
	};
	struct calendar_cache *z;
	icalcomponent *c, *vtz, *obs;
	icalproperty *off;
	char *a, *b, *whole;
	size_t i;

	(void)state;
	for (i = 0; i < nitems(zones); i++) {
		cf.timezone = (char *)zones[i][0];
		z = calendar_cache_new();
		a = render1(z, NULL, 0, NULL);
		b = render1(z, NULL, 0, NULL);	/* from the cache */
		calendar_cache_free(z);
		whole = calendar_render(NULL, &cf, &ch, NULL, 0, NULL);
		assert_string_equal(a, b);
		assert_string_equal(a, whole);
		check_lines(a);
		c = reparse_valid(a);
		assert_int_equal(icalcomponent_count_components(c,
		    ICAL_ANY_COMPONENT), 1);
		vtz = icalcomponent_get_first_component(c,
		    ICAL_VTIMEZONE_COMPONENT);
		assert_non_null(vtz);
		assert_string_equal(icalproperty_get_tzid(
		    icalcomponent_get_first_property(vtz, ICAL_TZID_PROPERTY)),
		    zones[i][1]);
		obs = icalcomponent_get_first_component(vtz, ICAL_ANY_COMPONENT);
		assert_non_null(obs);
		assert_non_null(icalcomponent_get_first_property(obs,
		    ICAL_DTSTART_PROPERTY));
		assert_non_null(off = icalcomponent_get_first_property(obs,
		    ICAL_TZOFFSETTO_PROPERTY));
		if (strcmp(zones[i][1], "UTC") == 0)
			assert_int_equal(icalproperty_get_tzoffsetto(off), 0);
		assert_non_null(icalcomponent_get_first_property(obs,
		    ICAL_TZOFFSETFROM_PROPERTY));
		icalcomponent_free(c);
		free(whole);
		free(b);
		free(a);
	}
}

/*
 * The cached path (each VEVENT serialised alone, kept in struct
 * calendar_cache) gives the bytes of the reference, one VCALENDAR
 * serialised whole (calendar_render with no cache): cold, warm, after
 * edits and sweeps, and for a calendar holding a subset of the events.
 */
#define NCACHED 9

static char *
render_ie(struct calendar_cache *z, const struct ical_event *ie, size_t n)
{
	size_t len;
	char *s = calendar_render(z, &cf, &ch, ie, n, &len);

	assert_non_null(s);
	assert_int_equal(len, strlen(s));
	return s;
}

/* Renders with z and checks the bytes against the reference. */
static void
check_cached(struct calendar_cache *z, const struct ical_event *ie, size_t n)
{
	char *want = render_ie(NULL, ie, n), *got = render_ie(z, ie, n);

	assert_string_equal(got, want);
	check_lines(got);
	icalcomponent_free(reparse_valid(got));
	free(want);
	free(got);
}

/* After editing events and pages in place: new hashes, as parsing the
 * edited files would give (the cache keeps VEVENTs by content). */
static void
rehash(struct event *ev, size_t n, struct page *pg, size_t npg)
{
	size_t i;

	for (i = 0; i < n; i++)
		ev[i].hash = event_hash(&ev[i]);
	for (i = 0; i < npg; i++)
		pg[i].content_hash = pg[i].content_hash * 31 + 1;
}

static void
test_cached_events(void **state)
{
	struct event ev[NCACHED];
	struct ical_event ie[NCACHED];
	struct page pg[2];
	struct datetime d = { 2026, 12, 24, 0, 0, 0, 0, 0, 0 };
	char *tags[] = { "go", "a;b", "c,d" };
	char *tags2[] = { "go", "rust" };
	char *cats[] = { "Meetups", "go" };
	char *authors[] = { "Ada \"L\", Org" };
	struct calendar_cache *z = calendar_cache_new();
	struct buf desc;
	char *s, *t, *u;
	size_t i;
	int k;

	(void)state;
	buf_init(&desc);
	for (k = 0; k < 30; k++)
		buf_addstr(&desc, "北京见面会，欢迎参加; more, text\n");
	memset(pg, 0, sizeof pg);
	pg[0].tags = tags;
	pg[0].ntags = 3;
	pg[0].categories = cats;
	pg[0].ncategories = 2;
	pg[0].authors = authors;
	pg[0].nauthors = 1;
	pg[0].location = "Old Library";
	pg[0].permalink = "https://example.org/events/go-meetup/";
	pg[1].permalink = "https://example.org/events/other/";

	/* Two zones, Berlin's earliest year in the middle of the list. */
	ev[0] = timed("c0@example.org", "Europe/Berlin",
	    dt(2026, 3, 3, 19, 0), dt(2026, 3, 3, 21, 0));
	ev[1] = timed("c1@example.org", "Asia/Shanghai",
	    dt(2026, 12, 3, 19, 0), dt(2026, 12, 3, 21, 0));
	ev[1].description = desc.data;
	ev[1].title = "Talk\nPart 2; Q&A, more \\ backslash";
	ev[2] = timed("c2@example.org", "Europe/Berlin",
	    dt(2019, 7, 1, 18, 30), dt(2019, 7, 1, 20, 0));
	ev[2].rrule = "FREQ=WEEKLY;COUNT=4;BYDAY=MO";
	ev[3] = timed("c3@example.org", NULL,
	    dt(2026, 5, 1, 9, 0), dt(2026, 5, 1, 10, 0));
	ev[3].cancelled = 1;
	memset(&ev[4], 0, sizeof ev[4]);
	ev[4].uid = "c4@example.org";
	ev[4].title = "Holidays";
	ev[4].all_day = 1;
	ev[4].start = d;
	ev[5] = timed("c5@example.org", "Asia/Shanghai",
	    dt(2024, 1, 10, 9, 0), dt(2024, 1, 10, 9, 0));	/* no end */
	ev[5].organizer = "mailto:ada@example.org";
	ev[5].location = "Room 1, Floor 2";
	ev[5].url = "https://example.org/elsewhere";
	ev[6] = timed("c6@example.org", "Europe/Berlin",
	    dt(2026, 10, 25, 2, 30), dt(2026, 10, 25, 3, 30));
	ev[6].rrule = "EVERY=SOMETIMES";
	ev[6].cancelled = 1;
	ev[7] = ev[0];		/* the same UID, other content */
	ev[7].title = "Same UID, other title";
	ev[8] = timed("c8@example.org", "GMT",
	    dt(2026, 5, 1, 9, 0), dt(2026, 5, 1, 10, 0));
	for (i = 0; i < NCACHED; i++) {
		ie[i].event = &ev[i];
		ie[i].page = &pg[i % 3 == 2];
		ie[i].sequence = (int)i;
		ie[i].last_modified = 1767268800 + (time_t)i * 3600;
	}
	ie[8].page = NULL;
	rehash(ev, NCACHED, pg, 2);

	/* Cold, then warm. */
	check_cached(z, ie, NCACHED);
	check_cached(z, ie, NCACHED);

	/* What the reference shows: both zones, Berlin from 2018. */
	s = render_ie(z, ie, NCACHED);
	assert_int_equal(count(s, "BEGIN:VTIMEZONE"), 2);
	assert_int_equal(count(s, "BEGIN:VEVENT"), NCACHED);
	assert_non_null(strstr(s, "\r\nSTATUS:CANCELLED\r\n"));
	assert_non_null(strstr(s, "\r\nDTSTART;VALUE=DATE:20261224\r\n"));
	assert_non_null(strstr(s, "\r\nRRULE:FREQ=WEEKLY;COUNT=4;BYDAY=MO\r\n"));
	assert_true(strstr(s, "BEGIN:VTIMEZONE") < strstr(s, "BEGIN:VEVENT"));
	assert_true(str_has_suffix(s, "END:VEVENT\r\nEND:VCALENDAR\r\n"));
	t = vtimezone_of(s, "Europe/Berlin");
	free(s);
	s = render_ie(NULL, ie + 2, 1);		/* Berlin's earliest: 2019 */
	u = vtimezone_of(s, "Europe/Berlin");
	assert_string_equal(t, u);
	free(t);
	free(u);
	free(s);

	/* Subsets: only the zones of their own events, from their years. */
	check_cached(z, ie + 4, 1);	/* all day: no zone */
	check_cached(z, ie, 2);
	s = render_ie(z, ie, 1);
	assert_int_equal(count(s, "BEGIN:VTIMEZONE"), 1);
	assert_non_null(strstr(s, "BEGIN:VTIMEZONE\r\nTZID:Europe/Berlin\r\n"));
	free(s);
	check_cached(z, ie + 1, NCACHED - 1);
	check_cached(z, ie, 0);

	/*
	 * The state's SEQUENCE and LAST-MODIFIED and the settings change
	 * a kept VEVENT by themselves; events and pages never change once
	 * parsed in crier (an edit is a new page, with new hashes), so the
	 * test gives them new hashes when it edits them in place.
	 */
	ie[2].sequence++;
	check_cached(z, ie, NCACHED);
	ie[3].last_modified += 60;
	check_cached(z, ie, NCACHED);
	cf.author = "Someone Else";
	check_cached(z, ie, NCACHED);
	cf.organizer = NULL;	/* and no METHOD in the head */
	check_cached(z, ie, NCACHED);
	ev[1].title = "Edited";
	rehash(ev, NCACHED, pg, 0);
	check_cached(z, ie, NCACHED);
	pg[0].tags = tags2;
	pg[0].ntags = 2;
	rehash(ev, NCACHED, pg, 2);
	check_cached(z, ie, NCACHED);
	/* A new base URL: pages parsed again under it have their content
	 * hash, and new permalinks. */
	cf.base_url = "https://other.example.org";
	pg[0].permalink = "https://other.example.org/events/go-meetup/";
	pg[1].permalink = "https://other.example.org/events/other/";
	check_cached(z, ie, NCACHED);
	pg[0].nauthors = 0;
	pg[1].location = "New Hall";
	ev[4].end = d;
	ev[4].end.day = 27;
	ev[0].tzid = "Asia/Shanghai";
	rehash(ev, NCACHED, pg, 2);
	check_cached(z, ie, NCACHED);

	/* Two caches, one per thread's worth of history: same bytes. */
	{
		struct calendar_cache *z2 = calendar_cache_new();

		s = render_ie(z, ie, NCACHED);
		t = render_ie(z2, ie, NCACHED);
		assert_string_equal(s, t);
		free(s);
		free(t);
		calendar_cache_free(z2);
	}
	calendar_cache_free(z);
	buf_free(&desc);
}

/* An event in 1999 gets the rules of 1999 too. */
static void
test_old_event(void **state)
{
	struct event ev = timed("o@example.org", "Europe/London",
	    dt(1997, 10, 20, 12, 0), dt(1997, 10, 20, 13, 0));
	icalcomponent *c;
	icaltimezone *tz;
	struct icaltimetype t;
	char *s;
	int dst;

	(void)state;
	s = render_one(&ev);
	c = reparse_valid(s);
	tz = icalcomponent_get_timezone(c, "Europe/London");
	assert_non_null(tz);
	/* 1997: summer time until 26 October. */
	t = icaltime_from_string("19971020T120000");
	assert_int_equal(icaltimezone_get_utc_offset(tz, &t, &dst), 3600);
	t = icaltime_from_string("20260115T120000");
	assert_int_equal(icaltimezone_get_utc_offset(tz, &t, &dst), 0);
	icalcomponent_free(c);
	free(s);
}

/* --- ics_import -------------------------------------------------------- */

static struct page *
new_page(void)
{
	struct page *pg = xcalloc(1, sizeof *pg);

	diags_init(&pg->diags);
	return pg;
}

static void
free_page(struct page *pg)
{
	size_t i;

	for (i = 0; i < pg->nevents; i++)
		event_clear(&pg->events[i]);
	free(pg->events);
	diags_free(&pg->diags);
	free(pg);
}

static int
import(const char *text, struct page *pg)
{
	return ics_import(&cf, "events/feed.ics", text, strlen(text),
	    &pg->events, &pg->nevents, &pg->diags);
}

static int
has_diag(const struct page *pg, enum diag_level level, const char *needle)
{
	size_t i;

	for (i = 0; i < pg->diags.n; i++)
		if (pg->diags.v[i].level == level &&
		    strstr(pg->diags.v[i].message, needle) != NULL)
			return 1;
	return 0;
}

static const char berlin_vtz[] =
    "BEGIN:VTIMEZONE\r\n"
    "TZID:Europe/Berlin\r\n"
    "BEGIN:DAYLIGHT\r\n"
    "TZOFFSETFROM:+0100\r\nTZOFFSETTO:+0200\r\nTZNAME:CEST\r\n"
    "DTSTART:19700329T020000\r\n"
    "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\r\n"
    "END:DAYLIGHT\r\n"
    "BEGIN:STANDARD\r\n"
    "TZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100\r\nTZNAME:CET\r\n"
    "DTSTART:19701025T030000\r\n"
    "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\r\n"
    "END:STANDARD\r\n"
    "END:VTIMEZONE\r\n";

static void
test_import_iana(void **state)
{
	struct page *pg = new_page();
	char *text;
	struct event *ev;

	(void)state;
	text = xasprintf("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"
	    "PRODID:-//Test//EN\r\n%s"
	    "BEGIN:VEVENT\r\n"
	    "UID:talk-1@conf.example\r\n"
	    "DTSTAMP:20260101T000000Z\r\n"
	    "DTSTART;TZID=Europe/Berlin:20260710T183000\r\n"
	    "DTEND;TZID=Europe/Berlin:20260710T200000\r\n"
	    "SUMMARY:Rust\\, C and Go\r\n"
	    "DESCRIPTION:Line one\\nLine two\r\n"
	    "LOCATION:Hall A\r\n"
	    "URL:https://conf.example/talk-1\r\n"
	    "ORGANIZER;CN=Conf:mailto:team@conf.example\r\n"
	    "RRULE:FREQ=WEEKLY;COUNT=4\r\n"
	    "SEQUENCE:2\r\n"
	    "END:VEVENT\r\nEND:VCALENDAR\r\n", berlin_vtz);
	assert_int_equal(import(text, pg), 0);
	assert_int_equal(pg->nevents, 1);
	ev = &pg->events[0];
	assert_string_equal(ev->uid, "talk-1@conf.example");
	assert_string_equal(ev->tzid, "Europe/Berlin");
	assert_int_equal(ev->start.hour, 18);
	assert_int_equal(ev->start.minute, 30);
	assert_int_equal(ev->end.hour, 20);
	assert_int_equal(ev->start_utc, 1783701000);	/* 16:30Z */
	assert_int_equal(ev->end_utc, ev->start_utc + 5400);
	assert_string_equal(ev->title, "Rust, C and Go");
	assert_string_equal(ev->description, "Line one\nLine two");
	assert_string_equal(ev->location, "Hall A");
	assert_string_equal(ev->url, "https://conf.example/talk-1");
	assert_string_equal(ev->organizer, "team@conf.example");
	assert_string_equal(ev->rrule, "FREQ=WEEKLY;COUNT=4");
	assert_int_equal(ev->sequence, 2);
	assert_false(ev->all_day);
	assert_false(ev->cancelled);
	assert_int_equal(ev->hash, event_hash(ev));
	assert_int_equal(diags_count(&pg->diags, DIAG_ERROR), 0);
	assert_int_equal(diags_count(&pg->diags, DIAG_WARNING), 0);
	free(text);
	free_page(pg);
}

/* Outlook's zone names: converted with the file's VTIMEZONE, to UTC. */
static void
test_import_microsoft(void **state)
{
	static const char text[] =
	    "BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"
	    "PRODID:-//Microsoft Corporation//Outlook 16.0 MIMEDIR//EN\r\n"
	    "BEGIN:VTIMEZONE\r\n"
	    "TZID:W. Europe Standard Time\r\n"
	    "BEGIN:STANDARD\r\n"
	    "DTSTART:16011028T030000\r\n"
	    "RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10\r\n"
	    "TZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100\r\n"
	    "END:STANDARD\r\n"
	    "BEGIN:DAYLIGHT\r\n"
	    "DTSTART:16010325T020000\r\n"
	    "RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3\r\n"
	    "TZOFFSETFROM:+0100\r\nTZOFFSETTO:+0200\r\n"
	    "END:DAYLIGHT\r\n"
	    "END:VTIMEZONE\r\n"
	    "BEGIN:VEVENT\r\nUID:ms-1\r\n"
	    "DTSTART;TZID=\"W. Europe Standard Time\":20260115T100000\r\n"
	    "DTEND;TZID=\"W. Europe Standard Time\":20260115T113000\r\n"
	    "SUMMARY:Winter\r\nSTATUS:CANCELLED\r\nEND:VEVENT\r\n"
	    "BEGIN:VEVENT\r\nUID:ms-2\r\n"
	    "DTSTART;TZID=\"W. Europe Standard Time\":20260701T100000\r\n"
	    "DURATION:PT45M\r\n"
	    "SUMMARY:Summer\r\nEND:VEVENT\r\n"
	    "END:VCALENDAR\r\n";
	struct page *pg = new_page();
	struct event *ev;

	(void)state;
	assert_int_equal(import(text, pg), 0);
	assert_int_equal(pg->nevents, 2);
	ev = &pg->events[0];
	assert_null(ev->tzid);
	assert_int_equal(ev->start_utc, 1768467600);	/* 09:00Z */
	assert_int_equal(ev->end_utc, 1768467600 + 5400);
	assert_int_equal(ev->start.hour, 9);
	assert_int_equal(ev->start.has_offset, 1);
	assert_true(ev->cancelled);
	ev = &pg->events[1];
	assert_null(ev->tzid);
	assert_int_equal(ev->start_utc, 1782892800);	/* 08:00Z */
	assert_int_equal(ev->end_utc, 1782892800 + 2700);
	assert_int_equal(ev->start.hour, 8);
	assert_int_equal(ev->end.minute, 45);
	assert_int_equal(diags_count(&pg->diags, DIAG_ERROR), 0);
	free_page(pg);
}

static void
test_import_all_day_floating(void **state)
{
	static const char text[] =
	    "BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:x\n"
	    "BEGIN:VEVENT\nUID:d1\nDTSTART;VALUE=DATE:20261224\n"
	    "SUMMARY:Eve\nEND:VEVENT\n"
	    "BEGIN:VEVENT\nUID:d2\nDTSTART;VALUE=DATE:20261224\n"
	    "DTEND;VALUE=DATE:20261227\nSUMMARY:Three days\nEND:VEVENT\n"
	    "BEGIN:VEVENT\nUID:f1\nDTSTART:20261224T200000\n"
	    "SUMMARY:Floating\nEND:VEVENT\n"
	    "BEGIN:VEVENT\nUID:z1\nDTSTART:20261224T200000Z\n"
	    "DTEND:20261224T210000Z\nSUMMARY:UTC\nEND:VEVENT\n"
	    "END:VCALENDAR\n";
	struct page *pg = new_page();
	struct event *ev;

	(void)state;
	assert_int_equal(import(text, pg), 0);
	assert_int_equal(pg->nevents, 4);
	ev = &pg->events[0];
	assert_true(ev->all_day);
	assert_int_equal(ev->start.day, 24);
	assert_false(ev->start.has_time);
	assert_int_equal(ev->end.day, 25);	/* exclusive */
	ev = &pg->events[1];
	assert_int_equal(ev->end.day, 27);
	/* Floating: the site's wall clock (Asia/Shanghai), +1 hour. */
	ev = &pg->events[2];
	assert_string_equal(ev->tzid, "Asia/Shanghai");
	assert_int_equal(ev->start.hour, 20);
	assert_int_equal(ev->end.hour, 21);
	assert_int_equal(ev->start_utc, 1798113600);	/* 12:00Z */
	ev = &pg->events[3];
	assert_null(ev->tzid);
	assert_int_equal(ev->start_utc, 1798142400);
	assert_int_equal(ev->end_utc, 1798146000);
	free_page(pg);
}

static void
test_import_broken(void **state)
{
	static const char *bad[] = {
		"hello world\n",
		"",
		"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:1\r\n",
		"BEGIN:VEVENT\r\nUID:1\r\nDTSTART:20260101T100000Z\r\n"
		    "END:VEVENT\r\n",
		"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n",
		"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:1\r\n"
		    "DTSTART:2026garbage\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
	};
	struct page *pg;
	size_t i;

	(void)state;
	for (i = 0; i < nitems(bad); i++) {
		pg = new_page();
		assert_int_equal(import(bad[i], pg), -1);
		assert_int_equal(pg->nevents, 0);
		assert_true(diags_count(&pg->diags, DIAG_ERROR) == 1);
		assert_true(has_diag(pg, DIAG_ERROR, "events/feed.ics"));
		free_page(pg);
	}
	pg = new_page();
	assert_int_equal(ics_import(&cf, "x.ics", "BEGIN:VCALENDAR\0x", 17,
	    &pg->events, &pg->nevents, &pg->diags), -1);
	assert_true(has_diag(pg, DIAG_ERROR, "NUL"));
	free_page(pg);
}

/* One bad VEVENT is skipped with a warning; the rest is used. */
static void
test_import_partial(void **state)
{
	static const char text[] =
	    "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\n"
	    "BEGIN:VEVENT\r\nUID:bad\r\nDTSTART:2026garbage\r\n"
	    "SUMMARY:Broken\r\nEND:VEVENT\r\n"
	    "BEGIN:VEVENT\r\nUID:nostart\r\nSUMMARY:No start\r\n"
	    "END:VEVENT\r\n"
	    "BEGIN:VEVENT\r\nUID:good\r\nDTSTART:20260301T100000Z\r\n"
	    "SUMMARY:Good\r\nEND:VEVENT\r\n"
	    "BEGIN:VEVENT\r\nUID:good\r\nDTSTART:20260302T100000Z\r\n"
	    "SUMMARY:Twin\r\nEND:VEVENT\r\n"
	    "BEGIN:VEVENT\r\nUID:good\r\nRECURRENCE-ID:20260301T100000Z\r\n"
	    "DTSTART:20260301T110000Z\r\nSUMMARY:Moved\r\nEND:VEVENT\r\n"
	    "END:VCALENDAR\r\n";
	struct page *pg = new_page();

	(void)state;
	assert_int_equal(import(text, pg), 0);
	assert_int_equal(pg->nevents, 1);
	assert_string_equal(pg->events[0].uid, "good");
	assert_int_equal(diags_count(&pg->diags, DIAG_ERROR), 0);
	assert_true(has_diag(pg, DIAG_WARNING, "\"Broken\" skipped"));
	assert_true(has_diag(pg, DIAG_WARNING, "no usable DTSTART"));
	assert_true(has_diag(pg, DIAG_WARNING, "used twice"));
	assert_true(has_diag(pg, DIAG_WARNING, "RECURRENCE-ID"));
	free_page(pg);
}

static void
test_import_missing_uid(void **state)
{
	static const char text[] =
	    "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\n"
	    "BEGIN:VEVENT\r\nDTSTART:20260301T100000Z\r\n"
	    "SUMMARY:No UID\r\nEND:VEVENT\r\n"
	    "BEGIN:VEVENT\r\nDTSTART:20260301T100000Z\r\n"
	    "SUMMARY:Other\r\nEND:VEVENT\r\n"
	    "END:VCALENDAR\r\n";
	struct page *a = new_page(), *b = new_page();

	(void)state;
	assert_int_equal(import(text, a), 0);
	assert_int_equal(import(text, b), 0);
	assert_int_equal(a->nevents, 2);
	assert_true(has_diag(a, DIAG_WARNING, "no UID"));
	assert_non_null(a->events[0].uid);
	assert_true(strlen(a->events[0].uid) > 0);
	/* Stable across imports, distinct between events. */
	assert_string_equal(a->events[0].uid, b->events[0].uid);
	assert_string_not_equal(a->events[0].uid, a->events[1].uid);
	free_page(a);
	free_page(b);
}

static void
test_import_limit(void **state)
{
	struct buf b;
	struct page *pg = new_page();
	int i;

	(void)state;
	cf.max_events_per_page = 3;
	buf_init(&b);
	buf_addstr(&b, "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\n");
	for (i = 0; i < 5; i++)
		buf_printf(&b, "BEGIN:VEVENT\r\nUID:%d\r\n"
		    "DTSTART:2026030%dT100000Z\r\nEND:VEVENT\r\n", i, i + 1);
	buf_addstr(&b, "END:VCALENDAR\r\n");
	assert_int_equal(import(b.data, pg), 0);
	assert_int_equal(pg->nevents, 3);
	assert_true(has_diag(pg, DIAG_WARNING, "only the first 3"));
	buf_free(&b);
	free_page(pg);
}

/* Imported, then published: what comes out is valid and keeps times. */
static void
test_import_render(void **state)
{
	static const char text[] =
	    "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\n"
	    "BEGIN:VEVENT\r\nUID:r1@x\r\n"
	    "DTSTART;TZID=America/New_York:20261103T090000\r\n"
	    "DTEND;TZID=America/New_York:20261103T100000\r\n"
	    "RRULE:FREQ=DAILY;COUNT=3\r\nSUMMARY:Standup\r\n"
	    "END:VEVENT\r\nEND:VCALENDAR\r\n";
	struct page *pg = new_page();
	struct calendar_cache *z = calendar_cache_new();
	char *s;

	(void)state;
	assert_int_equal(import(text, pg), 0);
	s = render1(z, pg->events, pg->nevents, pg);
	assert_non_null(strstr(s,
	    "\r\nDTSTART;TZID=America/New_York:20261103T090000\r\n"));
	assert_non_null(strstr(s, "\r\nRRULE:FREQ=DAILY;COUNT=3\r\n"));
	icalcomponent_free(reparse_valid(s));
	free(s);
	calendar_cache_free(z);
	free_page(pg);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_shanghai, setup),
		cmocka_unit_test_setup(test_compact_zones, setup),
		cmocka_unit_test_setup(test_zone_offsets, setup),
		cmocka_unit_test_setup(test_all_day, setup),
		cmocka_unit_test_setup(test_utc, setup),
		cmocka_unit_test_setup(test_rrule_status, setup),
		cmocka_unit_test_setup(test_folding_escaping, setup),
		cmocka_unit_test_setup(test_rfc7986_properties, setup),
		cmocka_unit_test_setup(test_calendar_properties, setup),
		cmocka_unit_test_setup(test_line_lengths, setup),
		cmocka_unit_test_setup(test_event_properties, setup),
		cmocka_unit_test_setup(test_no_organizer, setup),
		cmocka_unit_test_setup(test_empty_and_deterministic, setup),
		cmocka_unit_test_setup(test_empty_calendar, setup),
		cmocka_unit_test_setup(test_old_event, setup),
		cmocka_unit_test_setup(test_cached_events, setup),
		cmocka_unit_test_setup(test_import_iana, setup),
		cmocka_unit_test_setup(test_import_microsoft, setup),
		cmocka_unit_test_setup(test_import_all_day_floating, setup),
		cmocka_unit_test_setup(test_import_broken, setup),
		cmocka_unit_test_setup(test_import_partial, setup),
		cmocka_unit_test_setup(test_import_missing_uid, setup),
		cmocka_unit_test_setup(test_import_limit, setup),
		cmocka_unit_test_setup(test_import_render, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/*
 * dates.c -- date parsing and formatting without the C locale or TZ.
 *
 * Nothing here calls setenv("TZ") or strftime("%a"): the first is global
 * state (a test, or a second zone, would race with it) and the second
 * follows LC_TIME, while RFC 822 and HTTP dates need English names.  Zone
 * rules come from libical, which reads the system's tzdata.
 *
 * A date is read in crier's own forms (RFC 3339 and its relatives), else
 * in every form Hugo reads in front matter: Hugo hands the text to
 * spf13/cast, which tries a list of Go layouts with Go's time.Parse.  The
 * list is kept here as those layouts, in Go's reference-time notation,
 * read by a small interpreter of the elements they use, so the list in
 * the README, the code and Go's documentation say the same thing.
 */
#include <ctype.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dates.h"
#include "log.h"

static const char *day_names[] = {
	"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"
};
static const char *month_names[] = {
	"Jan", "Feb", "Mar", "Apr", "May", "Jun",
	"Jul", "Aug", "Sep", "Oct", "Nov", "Dec"
};
static const char *long_day_names[] = {
	"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday",
	"Saturday"
};

static int
is_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int
dates_valid(int y, int m, int d)
{
	static const int days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31,
	    30, 31 };

	if (y < 1 || y > 9999 || m < 1 || m > 12 || d < 1)
		return 0;
	return d <= days[m - 1] + (m == 2 && is_leap(y));
}

int
dates_weekday(int y, int m, int d)
{
	static const int t[] = { 0, 3, 2, 5, 0, 3, 5, 1, 4, 6, 2, 4 };

	if (m < 3)
		y--;
	return (y + y / 4 - y / 100 + y / 400 + t[m - 1] + d) % 7;
}

/* Days since 1970-01-01 (proleptic Gregorian), after H. Hinnant. */
static long long
days_from_civil(int y, int m, int d)
{
	long long era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

time_t
dates_timegm_utc(int y, int mo, int d, int h, int mi, int s)
{
	return (time_t)(days_from_civil(y, mo, d) * 86400LL + h * 3600LL +
	    mi * 60LL + s);
}

/* Reads exactly n digits. */
static int
digits(const char **p, int n, int *out)
{
	int v = 0;

	while (n-- > 0) {
		if (!isdigit((unsigned char)**p))
			return -1;
		v = v * 10 + (*(*p)++ - '0');
	}
	*out = v;
	return 0;
}

static int
parse_offset(const char *p, struct datetime *dt)
{
	int h, m, sign;

	if (*p == 'Z' || *p == 'z') {
		dt->has_offset = 1;
		dt->offset = 0;
		return p[1] == '\0' ? 0 : -1;
	}
	if (*p != '+' && *p != '-')
		return -1;
	sign = *p++ == '-' ? -1 : 1;
	if (digits(&p, 2, &h) == -1)
		return -1;
	if (*p == ':')
		p++;
	if (digits(&p, 2, &m) == -1 || *p != '\0' || h > 23 || m > 59)
		return -1;
	dt->has_offset = 1;
	dt->offset = sign * (h * 3600 + m * 60);
	return 0;
}

/* crier's own forms: YYYY-MM-DD, then [Tt ]HH:MM[:SS[.frac]] [offset]. */
static int
iso_parse(const char *s, struct datetime *dt)
{
	const char *p = s;

	memset(dt, 0, sizeof *dt);
	while (*p == ' ')
		p++;
	if (digits(&p, 4, &dt->year) == -1 || *p++ != '-' ||
	    digits(&p, 2, &dt->month) == -1 || *p++ != '-' ||
	    digits(&p, 2, &dt->day) == -1)
		return -1;
	if (!dates_valid(dt->year, dt->month, dt->day))
		return -1;
	if (*p == '\0')
		return 0;
	if (*p != 'T' && *p != 't' && *p != ' ')
		return -1;
	p++;
	if (digits(&p, 2, &dt->hour) == -1 || *p++ != ':' ||
	    digits(&p, 2, &dt->minute) == -1)
		return -1;
	if (*p == ':') {
		p++;
		if (digits(&p, 2, &dt->second) == -1)
			return -1;
		if (*p == '.' || *p == ',') {	/* fractions are dropped */
			p++;
			if (!isdigit((unsigned char)*p))
				return -1;
			while (isdigit((unsigned char)*p))
				p++;
		}
	}
	if (dt->hour > 23 || dt->minute > 59 || dt->second > 60)
		return -1;
	if (dt->second == 60)
		dt->second = 59;
	dt->has_time = 1;
	while (*p == ' ')
		p++;
	if (*p == '\0')
		return 0;
	return parse_offset(p, dt);
}

/* --- the Go layouts Hugo reads -------------------------------------- */

/*
 * spf13/cast's list (cast 1.5, what Hugo 0.111 uses; checked against that
 * Hugo's output for each form and its edges), in its order.  cast reads a
 * layout without a numeric offset as wall-clock time in the site's zone,
 * whatever zone name it has (MST, CET, even UTC or GMT), and a layout
 * without a year (the last five) as a time in year 0: crier refuses those.
 */
static const char *const hugo_layouts[] = {
	"2006-01-02T15:04:05Z07:00",			/* RFC 3339 */
	"2006-01-02T15:04:05",
	"Mon, 02 Jan 2006 15:04:05 -0700",		/* RFC 1123Z */
	"Mon, 02 Jan 2006 15:04:05 MST",		/* RFC 1123 */
	"02 Jan 06 15:04 -0700",			/* RFC 822Z */
	"02 Jan 06 15:04 MST",				/* RFC 822 */
	"Monday, 02-Jan-06 15:04:05 MST",		/* RFC 850 */
	"2006-01-02 15:04:05.999999999 -0700 MST",	/* Go's Time.String */
	"2006-01-02T15:04:05-0700",
	"2006-01-02 15:04:05Z0700",
	"2006-01-02 15:04:05",
	"Mon Jan _2 15:04:05 2006",			/* ANSI C */
	"Mon Jan _2 15:04:05 MST 2006",			/* Unix date */
	"Mon Jan 02 15:04:05 -0700 2006",		/* Ruby date */
	"2006-01-02 15:04:05Z07:00",
	"2006-01-02",
	"02 Jan 2006",
	"2006-01-02 15:04:05 -07:00",
	"2006-01-02 15:04:05 -0700",
	"3:04PM",					/* Kitchen */
	"Jan _2 15:04:05",				/* Stamp */
	"Jan _2 15:04:05.000",
	"Jan _2 15:04:05.000000",
	"Jan _2 15:04:05.000000000",
};

enum go_elem {
	GO_MONTH, GO_ZERO_MONTH, GO_LONG_WEEKDAY, GO_WEEKDAY,
	GO_UNDER_DAY, GO_ZERO_DAY, GO_HOUR, GO_HOUR12, GO_ZERO_MINUTE,
	GO_ZERO_SECOND, GO_LONG_YEAR, GO_YEAR, GO_PM, GO_ZONE_NAME,
	GO_ISO_COLON_TZ, GO_ISO_TZ, GO_NUM_COLON_TZ, GO_NUM_TZ
};

/* The elements the layouts above use, a longer one before its prefix;
 * and fractions of a second, ".000" or ".999", read by go_fraction. */
static const struct go_element {
	const char	*text;
	enum go_elem	 elem;
} go_elements[] = {
	{ "Jan", GO_MONTH }, { "Monday", GO_LONG_WEEKDAY }, { "Mon", GO_WEEKDAY },
	{ "MST", GO_ZONE_NAME }, { "2006", GO_LONG_YEAR },
	{ "_2", GO_UNDER_DAY }, { "01", GO_ZERO_MONTH }, { "02", GO_ZERO_DAY },
	{ "04", GO_ZERO_MINUTE }, { "05", GO_ZERO_SECOND }, { "06", GO_YEAR },
	{ "15", GO_HOUR }, { "3", GO_HOUR12 }, { "PM", GO_PM },
	{ "Z07:00", GO_ISO_COLON_TZ }, { "Z0700", GO_ISO_TZ },
	{ "-07:00", GO_NUM_COLON_TZ }, { "-0700", GO_NUM_TZ },
};

/* What time.Parse gathered from one value. */
struct go_time {
	int	 year, month, day, hour, minute, second;
	int	 has_year, has_hour, pm, am;
	int	 has_offset, offset;	/* a numeric offset, or Z */
	int	 shift;			/* seconds, of a "GMT+3" zone name */
};

static const struct go_element *
go_element_at(const char *layout)
{
	size_t i;

	for (i = 0; i < sizeof go_elements / sizeof go_elements[0]; i++)
		if (strncmp(layout, go_elements[i].text,
		    strlen(go_elements[i].text)) == 0)
			return &go_elements[i];
	return NULL;
}

/* Go's getnum: one or two digits; exactly two when fixed. */
static int
go_number(const char **v, int fixed, int *out)
{
	const char *p = *v;

	if (!isdigit((unsigned char)p[0]))
		return -1;
	if (!isdigit((unsigned char)p[1])) {
		if (fixed)
			return -1;
		*out = p[0] - '0';
		*v = p + 1;
		return 0;
	}
	*out = (p[0] - '0') * 10 + (p[1] - '0');
	*v = p + 2;
	return 0;
}

static int
digits_exactly(const char **v, int n, int *out)
{
	int i;

	for (i = 0; i < n; i++)
		if (!isdigit((unsigned char)(*v)[i]))
			return -1;
	return digits(v, n, out);
}

/* Go's lookup: the first name the value starts with, in any ASCII case
 * (not strncasecmp: that follows the locale). */
static int
go_name(const char **v, const char *const *names, int n)
{
	size_t k, len;
	int i;

	for (i = 0; i < n; i++) {
		len = strlen(names[i]);
		for (k = 0; k < len; k++)
			if (((*v)[k] | 0x20) != (names[i][k] | 0x20) ||
			    !isalpha((unsigned char)(*v)[k]))
				break;
		if (k == len) {
			*v += len;
			return i;
		}
	}
	return -1;
}

/* Go's parseSignedOffset: +h or -hh, at most 23 hours; its length or 0. */
static size_t
go_signed_hours(const char *s, int *hours)
{
	const char *p = s + 1;
	int x = 0;

	if ((*s != '+' && *s != '-') || !isdigit((unsigned char)*p))
		return 0;
	for (; isdigit((unsigned char)*p); p++)
		if ((x = x * 10 + (*p - '0')) > 23)
			return 0;
	*hours = *s == '-' ? -x : x;
	return (size_t)(p - s);
}

/*
 * Go's zone names: UTC, ChST, MeST, GMT with an optional +h/-h, +hh/-hh,
 * and three to five capitals (four or five ending in T, or WITA).  Their
 * offsets are unknown to Go, so the time stays wall-clock time -- except
 * that Go gives "GMT+3" a made-up zone three hours east and moves the
 * clock with it (Hugo dates "15:00 GMT+3" 18:00 in the site's zone).
 */
static int
go_zone_name(const char **v, struct go_time *t)
{
	const char *s = *v;
	size_t n, upper;
	int hours = 0;

	if (strncmp(s, "UTC", 3) == 0)
		n = 3;
	else if (strlen(s) < 3)
		return -1;
	else if (strncmp(s, "ChST", 4) == 0 || strncmp(s, "MeST", 4) == 0)
		n = 4;
	else if (strncmp(s, "GMT", 3) == 0) {
		n = 3 + go_signed_hours(s + 3, &hours);
		t->shift = hours * 3600;
	} else if (*s == '+' || *s == '-') {
		if ((n = go_signed_hours(s, &hours)) == 0)
			return -1;
	} else {
		for (upper = 0; upper < 6 && isupper((unsigned char)s[upper]);
		    upper++)
			;
		if (upper == 3 || (upper == 4 && (s[3] == 'T' ||
		    strncmp(s, "WITA", 4) == 0)) || (upper == 5 && s[4] == 'T'))
			n = upper;
		else
			return -1;
	}
	*v = s + n;
	return 0;
}

/* -0700 or -07:00; as Go (1.21 on), at most 24 hours and 60 minutes. */
static int
go_offset(const char **v, int colon, struct go_time *t)
{
	const char *s = *v, *hh = s + 1, *mm = s + (colon ? 4 : 3);
	int h, m;

	if (strlen(s) < (colon ? 6u : 5u) || (colon && s[3] != ':') ||
	    (s[0] != '+' && s[0] != '-') || digits_exactly(&hh, 2, &h) ||
	    digits_exactly(&mm, 2, &m) || h > 24 || m > 60)
		return -1;
	t->has_offset = 1;
	t->offset = (s[0] == '-' ? -1 : 1) * (h * 3600 + m * 60);
	*v = mm;
	return 0;
}

static int
is_fraction(const char *v)
{
	return (v[0] == '.' || v[0] == ',') && isdigit((unsigned char)v[1]);
}

/* A fraction of a second: any number of digits (dropped). */
static void
go_skip_fraction(const char **v)
{
	if (!is_fraction(*v))
		return;
	for (++*v; isdigit((unsigned char)**v); ++*v)
		;
}

/* Go's skip: a layout's run of spaces takes any run in the value. */
static int
go_literal(const char **l, const char **v)
{
	if (**l == ' ') {
		if (**v != '\0' && **v != ' ')
			return -1;
		while (**l == ' ')
			++*l;
		while (**v == ' ')
			++*v;
		return 0;
	}
	if (**v != **l)
		return -1;
	++*l;
	++*v;
	return 0;
}

/* One element of a layout from the value, as time.Parse reads it. */
static int
go_field(const struct go_element *e, const char *rest, const char **v,
    struct go_time *t)
{
	int n;

	switch (e->elem) {
	case GO_MONTH:
		n = go_name(v, month_names, 12);
		t->month = n + 1;
		return n < 0 ? -1 : 0;
	case GO_LONG_WEEKDAY:
	case GO_WEEKDAY:	/* read, and ignored, as Go does */
		return go_name(v, e->elem == GO_WEEKDAY ? day_names :
		    long_day_names, 7) < 0 ? -1 : 0;
	case GO_ZERO_MONTH:
		return go_number(v, 1, &t->month) || t->month < 1 ||
		    t->month > 12 ? -1 : 0;
	case GO_UNDER_DAY:
		if (**v == ' ')
			++*v;
		/* FALLTHROUGH */
	case GO_ZERO_DAY:
		return go_number(v, e->elem == GO_ZERO_DAY, &t->day) ||
		    t->day < 1 || t->day > 31 ? -1 : 0;
	case GO_HOUR:
		t->has_hour = 1;
		return go_number(v, 0, &t->hour) || t->hour > 23 ? -1 : 0;
	case GO_HOUR12:
		t->has_hour = 1;
		return go_number(v, 0, &t->hour) || t->hour > 12 ? -1 : 0;
	case GO_ZERO_MINUTE:
		return go_number(v, 1, &t->minute) || t->minute > 59 ? -1 : 0;
	case GO_ZERO_SECOND:
		if (go_number(v, 1, &t->second) || t->second > 59)
			return -1;
		/* Go takes a fraction the layout does not ask for. */
		if (!(rest[0] == '.' && (rest[1] == '0' || rest[1] == '9')))
			go_skip_fraction(v);
		return 0;
	case GO_LONG_YEAR:
		t->has_year = 1;
		return digits_exactly(v, 4, &t->year);
	case GO_YEAR:
		t->has_year = 1;
		if (digits_exactly(v, 2, &t->year))
			return -1;
		t->year += t->year >= 69 ? 1900 : 2000;
		return 0;
	case GO_PM:
		if (strncmp(*v, "PM", 2) != 0 && strncmp(*v, "AM", 2) != 0)
			return -1;
		t->pm = (*v)[0] == 'P';
		t->am = !t->pm;
		*v += 2;
		return 0;
	case GO_ZONE_NAME:
		return go_zone_name(v, t);
	case GO_ISO_COLON_TZ:
	case GO_ISO_TZ:
		if (**v == 'Z') {
			++*v;
			t->has_offset = 1;
			t->offset = 0;
			return 0;
		}
		return go_offset(v, e->elem == GO_ISO_COLON_TZ, t);
	case GO_NUM_COLON_TZ:
	case GO_NUM_TZ:
		return go_offset(v, e->elem == GO_NUM_COLON_TZ, t);
	}
	return -1;
}

/* A layout's ".000" takes exactly that many digits, ".999" any number
 * or none (a comma may stand for the dot); returns -1 when the value does
 * not fit, 1 when the layout has no fraction here, else 0. */
static int
go_fraction(const char **l, const char **v)
{
	const char *p = *l + 1, *digit;
	int n = 0, unused;

	if (**l != '.' || (*p != '0' && *p != '9'))
		return 1;
	while (p[n] == *p)
		n++;
	*l = p + n;
	if (*p == '9') {
		go_skip_fraction(v);
		return 0;
	}
	digit = *v + 1;
	if (((*v)[0] != '.' && (*v)[0] != ',') ||
	    digits_exactly(&digit, n, &unused) == -1)
		return -1;
	*v = digit;
	return 0;
}

/* Go's time.Parse of value by layout, into t; 0 when all of it matches. */
static int
go_parse(const char *layout, const char *value, struct go_time *t)
{
	const struct go_element *e;
	const char *l = layout, *v = value;
	int rc;

	memset(t, 0, sizeof *t);
	t->month = t->day = 1;
	while (*l != '\0') {
		if ((rc = go_fraction(&l, &v)) != 1) {
			if (rc == -1)
				return -1;
			continue;
		}
		if ((e = go_element_at(l)) == NULL) {
			if (go_literal(&l, &v) == -1)
				return -1;
			continue;
		}
		l += strlen(e->text);
		if (go_field(e, l, &v, t) == -1)
			return -1;
	}
	if (*v != '\0')
		return -1;
	if (t->pm && t->hour < 12)
		t->hour += 12;
	else if (t->am && t->hour == 12)
		t->hour = 0;
	return 0;
}

/* The forms Hugo reads, as cast does: the first layout that matches. */
static int
hugo_parse(const char *s, struct datetime *dt)
{
	struct go_time t;
	time_t moved;
	struct tm tm;
	size_t i;

	for (i = 0; i < sizeof hugo_layouts / sizeof hugo_layouts[0]; i++)
		if (go_parse(hugo_layouts[i], s, &t) == 0)
			break;
	if (i == sizeof hugo_layouts / sizeof hugo_layouts[0])
		return DATETIME_BAD;
	if (!t.has_year)
		return DATETIME_NO_DAY;
	if (!dates_valid(t.year, t.month, t.day))
		return DATETIME_BAD;
	if (t.shift != 0 && !t.has_offset) {
		moved = dates_timegm_utc(t.year, t.month, t.day, t.hour, t.minute,
		    t.second) + t.shift;
		if (gmtime_r(&moved, &tm) == NULL || !dates_valid(tm.tm_year +
		    1900, tm.tm_mon + 1, tm.tm_mday))
			return DATETIME_BAD;
		t.year = tm.tm_year + 1900;
		t.month = tm.tm_mon + 1;
		t.day = tm.tm_mday;
		t.hour = tm.tm_hour;
	}
	dt->year = t.year;
	dt->month = t.month;
	dt->day = t.day;
	dt->hour = t.hour;
	dt->minute = t.minute;
	dt->second = t.second;
	dt->has_time = t.has_hour;
	dt->has_offset = t.has_offset;
	dt->offset = t.offset;
	return 0;
}

int
dates_parse(const char *s, struct datetime *dt)
{
	if (iso_parse(s, dt) == 0)
		return 0;
	memset(dt, 0, sizeof *dt);
	return hugo_parse(s, dt);
}

/*
 * libical loads a zone's rules lazily, and on loading frees and replaces
 * the zone's location string: a name taken before then dangles.  Loading
 * here, once, makes every name taken from a found zone stable.
 *
 * libical 3.0 finds a built-in zone by comparing the location strings of
 * all of them outside the lock it loads a zone under, so a lookup on one
 * thread can read the string a load on another frees (pages are parsed on
 * several threads).  Every lookup and load of a built-in zone goes
 * through zone_lock; a zone found is loaded, and its name stays.
 */
static pthread_mutex_t zone_lock = PTHREAD_MUTEX_INITIALIZER;

/*
 * libical 3.0 sets its table of built-in zones before filling it from
 * zones.tab, on the first call that needs it -- icaltimezone_get_utc_
 * timezone() included -- so a lookup on another thread could read a
 * table being filled (a crash at start-up, one in a few dozen).  Every
 * way into the zones here fills it first, once (pthread_once makes the
 * other threads wait for it).
 */
static pthread_once_t zones_filled = PTHREAD_ONCE_INIT;

static void
fill_zones(void)
{
	if (icaltimezone_get_builtin_timezones() == NULL)
		log_warn("libical has no built-in time zones");
}

static void
zones_lock(void)
{
	if (pthread_once(&zones_filled, fill_zones) != 0)
		abort();
	if (pthread_mutex_lock(&zone_lock) != 0)
		abort();
}

static void
zones_unlock(void)
{
	if (pthread_mutex_unlock(&zone_lock) != 0)
		abort();
}

/* A built-in zone from lookup(name), loaded, or NULL. */
static icaltimezone *
zone_load(icaltimezone *(*lookup)(const char *), const char *name)
{
	icaltimezone *zone;

	zones_lock();
	zone = lookup(name);
	if (zone != NULL && icaltimezone_get_component(zone) == NULL)
		zone = NULL;
	zones_unlock();
	return zone;
}

icaltimezone *
dates_zone_find(const char *name)
{
	if (pthread_once(&zones_filled, fill_zones) != 0)
		abort();
	if (name == NULL || strcmp(name, "UTC") == 0 ||
	    strcmp(name, "Etc/UTC") == 0)
		return icaltimezone_get_utc_timezone();
	return zone_load(icaltimezone_get_builtin_timezone, name);
}

icaltimezone *
dates_zone_find_tzid(const char *tzid)
{
	return zone_load(icaltimezone_get_builtin_timezone_from_tzid, tzid);
}

int
dates_zone_exists(const char *name)
{
	int found;

	zones_lock();
	found = icaltimezone_get_builtin_timezone(name) != NULL;
	zones_unlock();
	return found;
}

static struct icaltimetype
as_icaltime(const struct datetime *dt)
{
	struct icaltimetype tt = icaltime_null_time();

	tt.year = dt->year;
	tt.month = dt->month;
	tt.day = dt->day;
	tt.hour = dt->hour;
	tt.minute = dt->minute;
	tt.second = dt->second;
	tt.is_date = 0;
	return tt;
}

int
dates_zone_offset_at(icaltimezone *zone, const struct datetime *dt)
{
	struct icaltimetype tt = as_icaltime(dt);
	int dst;

	if (zone == NULL)
		return 0;
	return icaltimezone_get_utc_offset(zone, &tt, &dst);
}

time_t
dates_to_utc(const struct datetime *dt, icaltimezone *zone)
{
	time_t local = dates_timegm_utc(dt->year, dt->month, dt->day, dt->hour,
	    dt->minute, dt->second);

	if (dt->has_offset)
		return local - dt->offset;
	return local - dates_zone_offset_at(zone, dt);
}

static void
split_utc(time_t t, struct tm *tm)
{
	if (gmtime_r(&t, tm) == NULL)
		memset(tm, 0, sizeof *tm);
}

void
dates_from_utc(time_t t, icaltimezone *zone, struct datetime *dt)
{
	struct icaltimetype tt = icaltime_null_time();
	struct tm tm;
	int dst, offset = 0;

	split_utc(t, &tm);
	tt.year = tm.tm_year + 1900;
	tt.month = tm.tm_mon + 1;
	tt.day = tm.tm_mday;
	tt.hour = tm.tm_hour;
	tt.minute = tm.tm_min;
	tt.second = tm.tm_sec;
	tt.is_date = 0;
	if (zone != NULL)
		offset = icaltimezone_get_utc_offset_of_utc_time(zone, &tt,
		    &dst);
	split_utc(t + offset, &tm);
	memset(dt, 0, sizeof *dt);
	dt->year = tm.tm_year + 1900;
	dt->month = tm.tm_mon + 1;
	dt->day = tm.tm_mday;
	dt->hour = tm.tm_hour;
	dt->minute = tm.tm_min;
	dt->second = tm.tm_sec;
	dt->has_time = 1;
	dt->has_offset = 1;
	dt->offset = offset;
}

void
dates_format_rfc3339(time_t t, char out[DATE_BUFSIZE])
{
	struct tm tm;

	split_utc(t, &tm);
	snprintf(out, DATE_BUFSIZE, "%04d-%02d-%02dT%02d:%02d:%02dZ",
	    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
	    tm.tm_min, tm.tm_sec);
}

void
dates_format_iso8601_local(const struct datetime *w, time_t t,
    char out[DATE_BUFSIZE])
{
	long long offset, a;

	if (!w->has_time) {
		snprintf(out, DATE_BUFSIZE, "%04d-%02d-%02d", w->year,
		    w->month, w->day);
		return;
	}
	offset = (long long)dates_timegm_utc(w->year, w->month, w->day, w->hour,
	    w->minute, w->second) - (long long)t;
	a = offset < 0 ? -offset : offset;
	snprintf(out, DATE_BUFSIZE, "%04d-%02d-%02dT%02d:%02d:%02d%c%02lld:"
	    "%02lld", w->year, w->month, w->day, w->hour, w->minute,
	    w->second, offset < 0 ? '-' : '+', a / 3600 % 100, a / 60 % 60);
}

static void
format_english(time_t t, const char *zone, char out[DATE_BUFSIZE])
{
	struct tm tm;

	split_utc(t, &tm);
	snprintf(out, DATE_BUFSIZE, "%s, %02d %s %04d %02d:%02d:%02d %s",
	    day_names[tm.tm_wday % 7], tm.tm_mday, month_names[tm.tm_mon % 12],
	    tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec, zone);
}

void
dates_format_rfc822(time_t t, char out[DATE_BUFSIZE])
{
	format_english(t, "+0000", out);
}

void
dates_format_http(time_t t, char out[DATE_BUFSIZE])
{
	format_english(t, "GMT", out);
}

/* IMF-fixdate only ("Sun, 06 Nov 1994 08:49:37 GMT"); others are ignored. */
int
dates_parse_http(const char *s, time_t *out)
{
	char mon[4], wday[4], gmt[4];
	int d, y, h, m, sec, i, month = -1;

	if (sscanf(s, "%3[A-Za-z], %d %3s %d %d:%d:%d %3s", wday, &d, mon, &y, &h, &m,
	    &sec, gmt) != 8 || strcmp(gmt, "GMT") != 0)
		return -1;
	for (i = 0; i < 12; i++)
		if (strcmp(mon, month_names[i]) == 0)
			month = i + 1;
	if (month == -1 || !dates_valid(y, month, d) || h > 23 || m > 59 ||
	    sec > 60)
		return -1;
	*out = dates_timegm_utc(y, month, d, h, m, sec);
	return 0;
}

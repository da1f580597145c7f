/*
 * dates.c -- date parsing and formatting without the C locale or TZ.
 *
 * Nothing here calls setenv("TZ") or strftime("%a"): the first is global
 * state (a test, or a second zone, would race with it) and the second
 * follows LC_TIME, while RFC 822 and HTTP dates need English names.  Zone
 * rules come from libical, which reads the system's tzdata.
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

static int
is_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int
date_valid(int y, int m, int d)
{
	static const int days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31,
	    30, 31 };

	if (y < 1 || y > 9999 || m < 1 || m > 12 || d < 1)
		return 0;
	return d <= days[m - 1] + (m == 2 && is_leap(y));
}

int
weekday_of(int y, int m, int d)
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
utc_timegm(int y, int mo, int d, int h, int mi, int s)
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

int
datetime_parse(const char *s, struct datetime *dt)
{
	const char *p = s;

	memset(dt, 0, sizeof *dt);
	while (*p == ' ')
		p++;
	if (digits(&p, 4, &dt->year) == -1 || *p++ != '-' ||
	    digits(&p, 2, &dt->month) == -1 || *p++ != '-' ||
	    digits(&p, 2, &dt->day) == -1)
		return -1;
	if (!date_valid(dt->year, dt->month, dt->day))
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
zone_find(const char *name)
{
	if (pthread_once(&zones_filled, fill_zones) != 0)
		abort();
	if (name == NULL || strcmp(name, "UTC") == 0 ||
	    strcmp(name, "Etc/UTC") == 0)
		return icaltimezone_get_utc_timezone();
	return zone_load(icaltimezone_get_builtin_timezone, name);
}

icaltimezone *
zone_find_tzid(const char *tzid)
{
	return zone_load(icaltimezone_get_builtin_timezone_from_tzid, tzid);
}

int
zone_exists(const char *name)
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
zone_offset_at(icaltimezone *zone, const struct datetime *dt)
{
	struct icaltimetype tt = as_icaltime(dt);
	int dst;

	if (zone == NULL)
		return 0;
	return icaltimezone_get_utc_offset(zone, &tt, &dst);
}

time_t
datetime_to_utc(const struct datetime *dt, icaltimezone *zone)
{
	time_t local = utc_timegm(dt->year, dt->month, dt->day, dt->hour,
	    dt->minute, dt->second);

	if (dt->has_offset)
		return local - dt->offset;
	return local - zone_offset_at(zone, dt);
}

static void
split_utc(time_t t, struct tm *tm)
{
	if (gmtime_r(&t, tm) == NULL)
		memset(tm, 0, sizeof *tm);
}

void
format_rfc3339(time_t t, char out[DATE_BUFSIZE])
{
	struct tm tm;

	split_utc(t, &tm);
	snprintf(out, DATE_BUFSIZE, "%04d-%02d-%02dT%02d:%02d:%02dZ",
	    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
	    tm.tm_min, tm.tm_sec);
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
format_rfc822(time_t t, char out[DATE_BUFSIZE])
{
	format_english(t, "+0000", out);
}

void
format_http_date(time_t t, char out[DATE_BUFSIZE])
{
	format_english(t, "GMT", out);
}

/* IMF-fixdate only ("Sun, 06 Nov 1994 08:49:37 GMT"); others are ignored. */
int
parse_http_date(const char *s, time_t *out)
{
	char mon[4], wday[4], gmt[4];
	int d, y, h, m, sec, i, month = -1;

	if (sscanf(s, "%3[A-Za-z], %d %3s %d %d:%d:%d %3s", wday, &d, mon, &y, &h, &m,
	    &sec, gmt) != 8 || strcmp(gmt, "GMT") != 0)
		return -1;
	for (i = 0; i < 12; i++)
		if (strcmp(mon, month_names[i]) == 0)
			month = i + 1;
	if (month == -1 || !date_valid(y, month, d) || h > 23 || m > 59 ||
	    sec > 60)
		return -1;
	*out = utc_timegm(y, month, d, h, m, sec);
	return 0;
}

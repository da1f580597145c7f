/*
 * dates.h -- parsing the date forms organizers write, and writing the date
 * forms each format needs (RFC 3339, RFC 822, HTTP-date).
 */
#ifndef CRIER_DATES_H
#define CRIER_DATES_H

#include <time.h>

#include <libical/ical.h>

struct datetime {
	int	year, month, day;
	int	hour, minute, second;
	int	has_time;	/* 0: a date alone */
	int	has_offset;	/* an explicit Z or +hh:mm */
	int	offset;		/* seconds east of UTC, with has_offset */
};

/*
 * crier's forms (RFC 3339, YYYY-MM-DD, YYYY-MM-DD[T ]HH:MM[:SS] with or
 * without an offset) and every form Hugo's front matter reads (Go's
 * layouts in spf13/cast's list: RFC 1123, RFC 822, RFC 850, ANSI C, ...).
 * Without an offset, dt is wall-clock time (has_offset 0).  Returns 0, or
 * one of these.
 */
#define DATETIME_BAD	(-1)	/* not a date in any of those forms */
#define DATETIME_NO_DAY	(-2)	/* a time of day alone ("3:04PM") */
int	 dates_parse(const char *, struct datetime *);
/* The wall-clock time in zone (UTC for NULL) at instant t, with the
 * offset it has then. */
void	 dates_from_utc(time_t, icaltimezone *, struct datetime *);
int	 dates_valid(int year, int month, int day);
int	 dates_weekday(int year, int month, int day);	/* 0 = Sunday */
/* The zone for an IANA name; UTC for "UTC" or NULL; NULL if unknown.
 * These three are the only ways to built-in zones: they may be called
 * from several threads. */
icaltimezone *dates_zone_find(const char *name);
/* The zone for a TZID libical writes ("/freeassociation.sourceforge.net/
 * Europe/Berlin"), or NULL. */
icaltimezone *dates_zone_find_tzid(const char *tzid);
/* Whether tzdata has the zone, without loading it. */
int	 dates_zone_exists(const char *name);
/* The instant meant: the explicit offset, else local time in zone. */
time_t	 dates_to_utc(const struct datetime *, icaltimezone *zone);
/* Offset east of UTC that zone has at local time dt. */
int	 dates_zone_offset_at(icaltimezone *, const struct datetime *);
time_t	 dates_timegm_utc(int year, int month, int day, int h, int m, int s);

#define DATE_BUFSIZE 40
void	 dates_format_rfc3339(time_t, char [DATE_BUFSIZE]);
void	 dates_format_rfc822(time_t, char [DATE_BUFSIZE]);
/* ISO 8601 as a place lives it: wall clock `wall` of instant t with the
 * offset the two differ by ("2026-12-03T18:30:00+01:00"); only the date
 * when wall has no time.  Schema.org's and microformats' event times. */
void	 dates_format_iso8601_local(const struct datetime *wall, time_t t,
	    char [DATE_BUFSIZE]);
void	 dates_format_http(time_t, char [DATE_BUFSIZE]);
int	 dates_parse_http(const char *, time_t *);

#endif

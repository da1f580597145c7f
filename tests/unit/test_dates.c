/*
 * test_dates.c -- dates as Hugo reads them: every Go layout of spf13/cast's
 * list with its edges (one-digit hours, no offset, zone names, fractions,
 * two-digit years), each compared with the instant Hugo 0.111.3 printed
 * for the same text with timeZone = "Asia/Shanghai"; then a page without
 * a date dated by Hugo's fallbacks, each with its warning, in its feed
 * date and in its id.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fixture.h"
#include "site_fixture.h"

#include "dates.h"
#include "page.h"
#include "util.h"

#define BAD	"bad"		/* refused: DATETIME_BAD */
#define NO_DAY	"no day"	/* refused: DATETIME_NO_DAY */

struct form {
	const char	*text;
	const char	*utc;	/* the instant with the default zone +08:00 */
};

/* What Hugo made of each text (front matter `date`, quoted), as UTC. */
static const struct form hugo_forms[] = {
	/* RFC 3339, with Go's "15": one or two digits of hour. */
	{ "2019-05-28T7:15:43+08:00", "2019-05-27T23:15:43Z" },
	{ "2006-01-02T15:04:05.123456+02:00", "2006-01-02T13:04:05Z" },
	{ "2006-01-02T15:04:05,5Z", "2006-01-02T15:04:05Z" },
	{ "2006-01-02T15:04:05.1234567891234Z", "2006-01-02T15:04:05Z" },
	{ "2006-01-02T15:04:05-00:00", "2006-01-02T15:04:05Z" },
	{ "2006-01-02T15:04:05+24:00", "2006-01-01T15:04:05Z" },
	{ "2006-01-02T15:04:05+05:60", "2006-01-02T09:04:05Z" },
	{ "2006-01-02T7:4:5Z", BAD },		/* "04" is two digits */
	{ "2006-01-02T25:04:05Z", BAD },
	{ "2006-01-02T24:00:00Z", BAD },
	{ "2006-01-02T15:04:05Z07:00", BAD },
	{ "2006-01-02T15:04:05ZZ", BAD },
	{ "2006-01-02T15:04:05.Z", BAD },
	{ "2006-01-02T15:04:05+01", BAD },
	/* Without an offset: the site's zone. */
	{ "2006-01-02T15:04:05", "2006-01-02T07:04:05Z" },
	{ "2006-01-02T15:04:05.5", "2006-01-02T07:04:05Z" },
	{ "2006-01-02 15:04:05", "2006-01-02T07:04:05Z" },
	{ "2006-01-02  15:04:05", "2006-01-02T07:04:05Z" },
	{ "2006-01-02 7:04:05", "2006-01-01T23:04:05Z" },
	{ "2006-01-02", "2006-01-01T16:00:00Z" },
	{ "02 Jan 2006", "2006-01-01T16:00:00Z" },
	{ "02 jan 2006", "2006-01-01T16:00:00Z" },
	/* Space-separated, with an offset. */
	{ "2006-01-02 15:04:05 -0700", "2006-01-02T22:04:05Z" },
	{ "2006-01-02 15:04:05 -07:00", "2006-01-02T22:04:05Z" },
	{ "2006-01-02 15:04:05+07:00", "2006-01-02T08:04:05Z" },
	{ "2006-01-02 15:04:05+0700", "2006-01-02T08:04:05Z" },
	{ "2006-01-02 15:04:05Z", "2006-01-02T15:04:05Z" },
	{ "2006-01-02T15:04:05-0700", "2006-01-02T22:04:05Z" },
	{ "2006-01-02T15:04:05+0700", "2006-01-02T08:04:05Z" },
	{ "2006-01-02T15:04:05Z0700", BAD },
	/* Go's Time.String(): the numeric offset counts, not the name. */
	{ "2006-01-02 15:04:05.999999999 -0700 MST", "2006-01-02T22:04:05Z" },
	{ "2006-01-02 15:04:05 -0700 MST", "2006-01-02T22:04:05Z" },
	{ "2006-01-02 15:04:05.5 +0100 CET", "2006-01-02T14:04:05Z" },
	{ "2006-01-02 15:04:05.5 -0700 GMT+3", "2006-01-02T22:04:05Z" },
	/* RFC 1123Z and RFC 1123: a zone name is ignored (even UTC). */
	{ "Mon, 02 Jan 2006 15:04:05 -0700", "2006-01-02T22:04:05Z" },
	{ "Mon, 02 Jan 2006 15:04:05.123 -0700", "2006-01-02T22:04:05Z" },
	{ "mon, 02 jan 2006 15:04:05 -0700", "2006-01-02T22:04:05Z" },
	{ "Fri, 02 Jan 2006 15:04:05 -0700", "2006-01-02T22:04:05Z" },
	{ "Mon,  02 Jan 2006 15:04:05 -0700", "2006-01-02T22:04:05Z" },
	{ "Mon, 02 Jan 2006 15:04:05 MST", "2006-01-02T07:04:05Z" },
	{ "Mon, 02 Jan 2006 15:04:05 CET", "2006-01-02T07:04:05Z" },
	{ "Mon, 02 Jan 2006 15:04:05 GMT", "2006-01-02T07:04:05Z" },
	{ "Mon, 02 Jan 2006 15:04:05 UTC", "2006-01-02T07:04:05Z" },
	{ "Mon, 02 Jan 2006 15:04:05 ABCDT", "2006-01-02T07:04:05Z" },
	{ "Mon, 02 Jan 2006 15:04:05 +03", "2006-01-02T07:04:05Z" },
	{ "Mon, 02 Jan 2006 15:04:05 GMT+3", "2006-01-02T10:04:05Z" },
	{ "Mon, 02 Jan 2006 15:04:05 GMT+03", "2006-01-02T10:04:05Z" },
	{ "Mon, 02 Jan 2006 15:04:05 GMT-5", "2006-01-02T02:04:05Z" },
	{ "Mon, 02 Jan 2006 23:04:05 GMT+10", "2006-01-03T01:04:05Z" },
	{ "Mon, 02 Jan 2006 15:04:05 GMT+24", BAD },
	{ "Mon, 02 Jan 2006 15:04:05 GMT+3:30", BAD },
	{ "Mon, 02 Jan 2006 15:04:05 UTC+3", BAD },
	{ "Mon, 02 Jan 2006 15:04:05 Abc", BAD },
	{ "Mon, 02 Jan 2006 15:04:05 ABCD", BAD },
	{ "Mon, 02 Jan 2006 15:04:05 -07:00", BAD },
	{ "Mon, 2 Jan 2006 15:04:05 -0700", BAD },
	{ "Mon, 2 Jan 2006 15:04:05 GMT", BAD },
	{ "Mon, 02 Jan 2006 15:4:05 -0700", BAD },
	/* RFC 822Z, RFC 822 and RFC 850: two-digit years, 69 is 1969. */
	{ "02 Jan 06 15:04 -0700", "2006-01-02T22:04:00Z" },
	{ "02 Jan 06 15:04 MST", "2006-01-02T07:04:00Z" },
	{ "02 Jan 68 15:04 +0000", "2068-01-02T15:04:00Z" },
	{ "02 Jan 69 15:04 +0000", "1969-01-02T15:04:00Z" },
	{ "Monday, 02-Jan-06 15:04:05 MST", "2006-01-02T07:04:05Z" },
	{ "Monday, 02-Jan-06 15:04:05 CET", "2006-01-02T07:04:05Z" },
	{ "Sunday, 02-Jan-70 15:04:05 CET", "1970-01-02T07:04:05Z" },
	{ "Monday, 02-Jan-06 15:04:05 -0700", BAD },
	/* ANSI C, Unix date, Ruby date. */
	{ "Mon Jan  2 15:04:05 2006", "2006-01-02T07:04:05Z" },
	{ "Mon Jan 2 15:04:05 2006", "2006-01-02T07:04:05Z" },
	{ "Mon Jan  2 15:04:05 MST 2006", "2006-01-02T07:04:05Z" },
	{ "Mon Jan  2 15:04:05 CEST 2006", "2006-01-02T07:04:05Z" },
	{ "Mon Jan 02 15:04:05 -0700 2006", "2006-01-02T22:04:05Z" },
	{ "Mon Jan 02 15:04:05 +0100 2006", "2006-01-02T14:04:05Z" },
	{ "Mon Jan 2 15:04:05 +0100 2006", BAD },
	{ "Mon Jan _2 15:04:05 2006", BAD },
	/* A time of day alone: Hugo dates it in the year 0. */
	{ "3:04PM", NO_DAY },
	{ "Jan  2 15:04:05", NO_DAY },
	{ "Jan 2 15:04:05", NO_DAY },
	{ "Jan  2 15:04:05.000", NO_DAY },
	{ "Jan  2 15:04:05.000000", NO_DAY },
	{ "Jan  2 15:04:05.000000000", NO_DAY },
	/* Not Hugo's. */
	{ "Jan 2, 2006", BAD },
	{ "January 2, 2006", BAD },
	{ "Jan 2 2006", BAD },
	{ "2 Jan 2006", BAD },
	{ "2 January 2006", BAD },
	{ "02 January 2006", BAD },
	{ "02 Jan 2006 ", BAD },
	{ "2006-01-02 ", BAD },
	{ "2006-1-2", BAD },
	{ "2006/01/02", BAD },
	{ "20060102", BAD },
	{ "2006-02-30", BAD },
	{ "2006-01-02T05:04:05pm", BAD },
	{ "garbage", BAD },
	{ "", BAD },
};

/*
 * Where crier parts from that Hugo: its own forms (minutes without
 * seconds, lower-case t and z, a space before the offset, leading spaces),
 * Go's current offset bounds (Hugo 0.111's Go took +25:00), and no year 0.
 */
static const struct form crier_forms[] = {
	{ "2006-01-02 15:04", "2006-01-02T07:04:00Z" },
	{ "2006-01-02T15:04", "2006-01-02T07:04:00Z" },
	{ "2006-01-02T15:04-0500", "2006-01-02T20:04:00Z" },
	{ "2006-01-02t15:04:05z", "2006-01-02T15:04:05Z" },
	{ "2006-01-02T15:04:05 +0200", "2006-01-02T13:04:05Z" },
	{ " 2006-01-02", "2006-01-01T16:00:00Z" },
	{ "2006-01-02T15:04:05+25:00", BAD },
	{ "2006-01-02T15:04:05+05:61", BAD },
	{ "0000-01-02", BAD },
	{ "Fri, 31 Dec 9999 23:04:05 GMT+3", BAD },
};

/* Checks every form; prints each one that differs, then fails if any. */
static void
check_forms(const struct form *forms, size_t n)
{
	icaltimezone *zone = dates_zone_find("Asia/Shanghai");
	struct datetime dt;
	char got[DATE_BUFSIZE];
	size_t i, wrong = 0;
	int rc;

	assert_non_null(zone);
	for (i = 0; i < n; i++) {
		rc = dates_parse(forms[i].text, &dt);
		if (rc == 0)
			dates_format_rfc3339(dates_to_utc(&dt, zone), got);
		else
			snprintf(got, sizeof got, "%s", rc == DATETIME_NO_DAY ?
			    NO_DAY : rc == DATETIME_BAD ? BAD : "?");
		if (strcmp(got, forms[i].utc) != 0) {
			print_message("'%s': %s, expected %s\n", forms[i].text,
			    got, forms[i].utc);
			wrong++;
		}
	}
	assert_int_equal(wrong, 0);
}

static void
hugo_layouts(void **state)
{
	(void)state;
	check_forms(hugo_forms, sizeof hugo_forms / sizeof hugo_forms[0]);
}

static void
crier_extensions(void **state)
{
	(void)state;
	check_forms(crier_forms, sizeof crier_forms / sizeof crier_forms[0]);
}

/* The fields, not only the instant: a date alone, a wall clock, an offset. */
static void
parsed_fields(void **state)
{
	struct datetime dt;

	(void)state;
	assert_int_equal(dates_parse("02 Jan 2006", &dt), 0);
	assert_false(dt.has_time);
	assert_int_equal(dt.day, 2);
	assert_int_equal(dates_parse("Mon, 02 Jan 2006 15:04:05 MST", &dt),
	    0);
	assert_true(dt.has_time && !dt.has_offset);
	assert_int_equal(dt.hour, 15);
	assert_int_equal(dates_parse("2019-05-28T7:15:43+08:00", &dt), 0);
	assert_true(dt.has_time && dt.has_offset);
	assert_int_equal(dt.offset, 8 * 3600);
	assert_int_equal(dt.hour, 7);
	assert_int_equal(dt.day, 28);	/* the day as written, for the id */
}

static void
from_utc(void **state)
{
	struct datetime dt;

	(void)state;
	/* 23:30 UTC is half past midnight the next day in Berlin (CET). */
	dates_from_utc(dates_timegm_utc(2026, 11, 27, 23, 30, 0),
	    dates_zone_find("Europe/Berlin"), &dt);
	assert_int_equal(dt.day, 28);
	assert_int_equal(dt.hour, 0);
	assert_int_equal(dt.offset, 3600);
	assert_int_equal(dates_to_utc(&dt, NULL),
	    dates_timegm_utc(2026, 11, 27, 23, 30, 0));
	dates_from_utc(dates_timegm_utc(2026, 7, 1, 12, 0, 0), NULL, &dt);
	assert_int_equal(dt.offset, 0);
	assert_int_equal(dt.hour, 12);
}

/* --- pages ---------------------------------------------------------- */

static struct page *
parse_at(const char *path, const char *text, time_t mtime)
{
	return page_parse_file(&cfg, path, text, strlen(text), mtime);
}

/* The one message of a page, which must be at line and contain text. */
static void
assert_one_message(const struct page *p, enum diag_level level, int line,
    const char *text)
{
	assert_int_equal(p->diags.n, 1);
	assert_int_equal(p->diags.v[0].level, level);
	assert_int_equal(p->diags.v[0].line, line);
	if (strstr(p->diags.v[0].message, text) == NULL)
		fail_msg("'%s' is not in '%s'", text, p->diags.v[0].message);
}

static void
page_one_digit_hour(void **state)
{
	struct page *p = parse_at("news/p.md", "---\ntitle: P\n"
	    "date: 2019-05-28T7:15:43+08:00\n---\nx\n", 0);

	(void)state;
	assert_true(p->ok);
	assert_int_equal(p->diags.n, 0);
	assert_int_equal(p->published, dates_timegm_utc(2019, 5, 27, 23, 15, 43));
	assert_int_equal(p->publish_at, p->published);
	assert_string_equal(p->id, "tag:example.org,2019-05-28:/news/p/");
	page_free(p);
}

static void
page_other_layouts(void **state)
{
	struct page *p = parse_at("news/p.md", "---\ntitle: P\n"
	    "date: \"Tue, 28 May 2019 07:15:43 +0800\"\n"
	    "lastmod: Wed May 29 10:00:00 2019\n---\nx\n", 0);

	(void)state;
	assert_int_equal(p->diags.n, 0);
	assert_int_equal(p->published, dates_timegm_utc(2019, 5, 27, 23, 15, 43));
	/* An ANSI C date: wall-clock time in Europe/Berlin (CEST). */
	assert_int_equal(p->updated, dates_timegm_utc(2019, 5, 29, 8, 0, 0));
	page_free(p);
	/* A number is seconds since 1970, as Hugo reads it. */
	p = parse_at("news/p.md", "---\ntitle: P\ndate: 1136214245\n---\n", 0);
	assert_int_equal(p->diags.n, 0);
	assert_int_equal(p->published, dates_timegm_utc(2006, 1, 2, 15, 4, 5));
	assert_string_equal(p->id, "tag:example.org,2006-01-02:/news/p/");
	page_free(p);
}

static void
page_bad_dates(void **state)
{
	struct page *p = parse_at("news/p.md", "---\ntitle: P\n"
	    "date: \"3:04PM\"\n---\nx\n", dates_timegm_utc(2026, 1, 1, 0, 0, 0));

	(void)state;
	assert_int_equal(p->diags.n, 2);
	assert_int_equal(p->diags.v[0].level, DIAG_ERROR);
	assert_int_equal(p->diags.v[0].line, 3);
	assert_non_null(strstr(p->diags.v[0].message, "time of day"));
	page_free(p);
	p = parse_at("news/p.md", "---\ntitle: P\ndate: \"Jan 2, 2006\"\n"
	    "lastmod: 2026-03-05T10:00:00Z\n---\nx\n", 0);
	assert_int_equal(p->diags.n, 2);
	assert_int_equal(p->diags.v[0].level, DIAG_ERROR);
	assert_int_equal(p->diags.v[0].line, 3);
	assert_non_null(strstr(p->diags.v[0].message,
	    "'date': 'Jan 2, 2006' is not a date"));
	/* ... and the page takes the next date, with its warning. */
	assert_int_equal(p->diags.v[1].level, DIAG_WARNING);
	assert_int_equal(p->diags.v[1].line, 4);
	assert_int_equal(p->published, dates_timegm_utc(2026, 3, 5, 10, 0, 0));
	page_free(p);
}

static void
fallback_publish_date(void **state)
{
	struct page *p = parse_at("news/p.md", "---\ntitle: P\n"
	    "publishDate: 2026-03-05T10:00:00Z\n---\nx\n", 0);

	(void)state;
	assert_one_message(p, DIAG_WARNING, 3, "using 'publishDate' (line 3)");
	assert_int_equal(p->published, dates_timegm_utc(2026, 3, 5, 10, 0, 0));
	assert_int_equal(p->publish_at, p->published);
	assert_int_equal(p->updated, p->published);
	assert_string_equal(p->id, "tag:example.org,2026-03-05:/news/p/");
	page_free(p);
}

static void
fallback_lastmod(void **state)
{
	struct page *p = parse_at("news/p.md", "---\ntitle: P\n"
	    "tags: [a]\nlastmod: 2026-03-05 09:30:00\n---\nx\n",
	    dates_timegm_utc(2027, 1, 1, 0, 0, 0));

	(void)state;
	assert_one_message(p, DIAG_WARNING, 4, "using 'lastmod' (line 4)");
	/* Local time in Europe/Berlin (CET). */
	assert_int_equal(p->published, dates_timegm_utc(2026, 3, 5, 8, 30, 0));
	assert_int_equal(p->updated, p->published);
	assert_int_equal(p->publish_at, 0);	/* as Hugo: no publishDate */
	assert_string_equal(p->id, "tag:example.org,2026-03-05:/news/p/");
	page_free(p);
}

/* date comes first, then publishDate: no warning when date is there. */
static void
fallback_order(void **state)
{
	struct page *p = parse_at("news/p.md", "---\ntitle: P\n"
	    "lastmod: 2026-03-07\npublishDate: 2026-03-06\ndate: 2026-03-05\n"
	    "---\nx\n", 0);

	(void)state;
	assert_int_equal(p->diags.n, 0);
	assert_int_equal(p->published, dates_timegm_utc(2026, 3, 4, 23, 0, 0));
	assert_int_equal(p->publish_at, dates_timegm_utc(2026, 3, 5, 23, 0, 0));
	assert_int_equal(p->updated, dates_timegm_utc(2026, 3, 6, 23, 0, 0));
	page_free(p);
	p = parse_at("news/p.md", "---\ntitle: P\nlastmod: 2026-03-07\n"
	    "publishDate: 2026-03-06\n---\nx\n", 0);
	assert_one_message(p, DIAG_WARNING, 4, "'publishDate'");
	assert_int_equal(p->published, dates_timegm_utc(2026, 3, 5, 23, 0, 0));
	page_free(p);
}

static void
fallback_file_name(void **state)
{
	const char *text = "---\ntitle: Spring fair\n---\nx\n";
	struct page *p = parse_at("news/2020-05-06-spring-fair.md", text,
	    dates_timegm_utc(2027, 1, 1, 0, 0, 0));

	(void)state;
	assert_one_message(p, DIAG_WARNING, 1, "the file name's date "
	    "2020-05-06, and 'spring-fair' as the slug");
	/* Midnight in Europe/Berlin (CEST). */
	assert_int_equal(p->published, dates_timegm_utc(2020, 5, 5, 22, 0, 0));
	assert_int_equal(p->publish_at, 0);
	assert_string_equal(p->url_path, "/news/spring-fair/");
	assert_string_equal(p->id,
	    "tag:example.org,2020-05-06:/news/spring-fair/");
	/* Not the mtime: the page depends on its bytes alone. */
	assert_int_equal(p->hash, hash64(text, strlen(text)));
	page_free(p);

	/* A slug written wins; underscores are trimmed like dashes. */
	p = parse_at("news/2020-05-06_fair.md", "---\ntitle: F\nslug: mine\n"
	    "---\n", 0);
	assert_one_message(p, DIAG_WARNING, 1, "date 2020-05-06");
	assert_null(strstr(p->diags.v[0].message, "slug"));
	assert_string_equal(p->url_path, "/news/mine/");
	page_free(p);
	p = parse_at("news/2020-05-06_fair_.md", "---\ntitle: F\n---\n", 0);
	assert_string_equal(p->url_path, "/news/fair/");
	page_free(p);

	/* Nothing after the date: the name stays the URL. */
	p = parse_at("news/2020-05-06.md", "---\ntitle: F\n---\n", 0);
	assert_one_message(p, DIAG_WARNING, 1, "date 2020-05-06");
	assert_string_equal(p->url_path, "/news/2020-05-06/");
	page_free(p);

	/* With a date, the file name is only a name (Hugo's order). */
	p = parse_at("news/2020-05-06-spring-fair.md", "---\ntitle: F\n"
	    "date: 2021-01-01\n---\n", 0);
	assert_int_equal(p->diags.n, 0);
	assert_string_equal(p->url_path, "/news/2020-05-06-spring-fair/");
	page_free(p);

	/* Hugo drops what follows a last dot of the name. */
	p = parse_at("news/2020-05-06-release-1.2.md", "---\ntitle: F\n---\n",
	    0);
	assert_string_equal(p->url_path, "/news/release-1/");
	page_free(p);
}

static void
fallback_bundle_name(void **state)
{
	struct page *p = parse_at("news/2020-07-08-boat-trip/index.md",
	    "---\ntitle: Trip\n---\nx\n", 0);

	(void)state;
	assert_one_message(p, DIAG_WARNING, 1, "'boat-trip' as the slug");
	assert_int_equal(p->published, dates_timegm_utc(2020, 7, 7, 22, 0, 0));
	assert_string_equal(p->url_path, "/news/boat-trip/");
	page_free(p);

	/* A bundle's written slug renames its folder too, as in Hugo. */
	p = parse_at("news/trip/index.md", "---\ntitle: T\ndate: 2020-01-01\n"
	    "slug: voyage\n---\n", 0);
	assert_string_equal(p->url_path, "/news/voyage/");
	page_free(p);

	/* Not dates: a bad month, one-digit fields, no dashes. */
	p = parse_at("news/2020-13-01-x.md", "---\ntitle: F\n---\n", 0);
	assert_string_equal(p->url_path, "/news/2020-13-01-x/");
	assert_int_equal(p->published, 0);
	page_free(p);
	p = parse_at("news/2020-5-6-x.md", "---\ntitle: F\n---\n", 0);
	assert_int_equal(p->published, 0);
	page_free(p);
	p = parse_at("news/20200506-x.md", "---\ntitle: F\n---\n", 0);
	assert_int_equal(p->published, 0);
	page_free(p);
}

static void
fallback_mtime(void **state)
{
	const char *text = "---\ntitle: Undated\n---\nx\n";
	time_t mtime = dates_timegm_utc(2026, 11, 27, 23, 30, 0);
	struct page *p = parse_at("news/undated.md", text, mtime);
	struct page *q;

	(void)state;
	assert_one_message(p, DIAG_WARNING, 1, "the file's modification time "
	    "2026-11-27T23:30:00Z");
	assert_int_equal(p->published, mtime);
	assert_int_equal(p->updated, mtime);
	assert_int_equal(p->publish_at, 0);
	/* The day in the page's zone: it is already the 28th in Berlin. */
	assert_string_equal(p->id, "tag:example.org,2026-11-28:/news/undated/");
	/* The page is a function of its bytes and that time. */
	assert_int_equal(p->hash, page_inputs_hash(hash64(text, strlen(text)),
	    mtime));
	q = parse_at("news/undated.md", text, mtime + 60);
	assert_int_not_equal(q->hash, p->hash);
	assert_int_not_equal(q->content_hash, p->content_hash);
	assert_int_equal(q->published, mtime + 60);
	page_free(q);
	page_free(p);
}

/* No date anywhere (no mtime given): one date everywhere, never 2000. */
static void
fallback_nothing(void **state)
{
	struct page *p = parse_at("news/undated.md", "---\ntitle: U\n---\n", 0);

	(void)state;
	assert_one_message(p, DIAG_WARNING, 1, "1970-01-01");
	assert_int_equal(p->published, 0);
	assert_string_equal(p->id, "tag:example.org,1970-01-01:/news/undated/");
	page_free(p);
	/* A section's list page needs no date and gets no warning. */
	p = parse_at("news/_index.md", "---\ntitle: News\n---\n", 1);
	assert_int_equal(p->diags.n, 0);
	page_free(p);
}

/* A wall clock and its instant give the offset: west, east, half hours,
 * UTC, and a date alone. */
static void
iso8601_local(void **state)
{
	struct datetime w = { 2036, 1, 15, 18, 30, 0, 1, 0, 0 };
	char out[DATE_BUFSIZE];

	(void)state;
	dates_format_iso8601_local(&w, dates_timegm_utc(2036, 1, 15, 23, 30, 0), out);
	assert_string_equal(out, "2036-01-15T18:30:00-05:00");
	dates_format_iso8601_local(&w, dates_timegm_utc(2036, 1, 15, 13, 0, 0), out);
	assert_string_equal(out, "2036-01-15T18:30:00+05:30");
	dates_format_iso8601_local(&w, dates_timegm_utc(2036, 1, 15, 18, 30, 0), out);
	assert_string_equal(out, "2036-01-15T18:30:00+00:00");
	w.hour = w.minute = 0;	/* the day before in UTC */
	dates_format_iso8601_local(&w, dates_timegm_utc(2036, 1, 14, 23, 0, 0), out);
	assert_string_equal(out, "2036-01-15T00:00:00+01:00");
	w.has_time = 0;
	dates_format_iso8601_local(&w, 0, out);
	assert_string_equal(out, "2036-01-15");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(hugo_layouts),
		cmocka_unit_test(crier_extensions),
		cmocka_unit_test(parsed_fields),
		cmocka_unit_test(from_utc),
		cmocka_unit_test(iso8601_local),
		cmocka_unit_test(page_one_digit_hour),
		cmocka_unit_test(page_other_layouts),
		cmocka_unit_test(page_bad_dates),
		cmocka_unit_test(fallback_publish_date),
		cmocka_unit_test(fallback_lastmod),
		cmocka_unit_test(fallback_order),
		cmocka_unit_test(fallback_file_name),
		cmocka_unit_test(fallback_bundle_name),
		cmocka_unit_test(fallback_mtime),
		cmocka_unit_test(fallback_nothing),
	};

	return cmocka_run_group_tests(tests, setup_config, teardown_config);
}

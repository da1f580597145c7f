/*
 * test_upcoming.c -- the front page's upcoming events: a series' next
 * occurrence not ended at various moments (COUNT, UNTIL, all day, across
 * summer time in Europe/Berlin), ended events and series left out, the
 * list's order, bound and next change, and the rule in plain words.
 */
#include <stdlib.h>
#include <string.h>

#include "fixture.h"
#include "site_fixture.h"

#include "index.h"
#include "page.h"
#include "upcoming.h"
#include "util.h"

/* A page in the settings' zone (Europe/Berlin) with these events. */
static struct page *
make(const char *path, const char *events)
{
	char *text = xasprintf("---\ntitle: %s\ndate: 2026-01-01\n"
	    "events:\n%s---\nBody.\n", path, events);
	struct page *p = page_parse(&cfg, path, text, strlen(text));

	free(text);
	assert_true(p->ok);
	return p;
}

static icaltimezone *
berlin(void)
{
	icaltimezone *z = dates_zone_find("Europe/Berlin");

	assert_non_null(z);
	return z;
}

#define AT(y, mo, d, h, mi, s)	dates_timegm_utc(y, mo, d, h, mi, s)

/* The start of e's occurrence not ended at now, or -1 for none. */
static time_t
next_start(const struct event *e, icaltimezone *site, time_t now)
{
	struct occurrence o;

	if (!upcoming_occurrence(e, site, now, &o))
		return -1;
	assert_true(o.end > now);
	return o.start;
}

static void
weekly_count(void **state)
{
	struct page *p = make("m/study.md",
	    "  - title: Study group\n    start: 2026-12-01T19:00\n"
	    "    duration: 90m\n    rrule: FREQ=WEEKLY;COUNT=6\n");
	const struct event *e = &p->events[0];
	struct occurrence o;

	(void)state;
	/* 19:00 in Berlin in winter is 18:00 UTC. */
	assert_int_equal(next_start(e, berlin(), AT(2026, 11, 30, 0, 0, 0)),
	    AT(2026, 12, 1, 18, 0, 0));
	/* The day after the first: the second, not the first. */
	assert_int_equal(next_start(e, berlin(), AT(2026, 12, 2, 0, 0, 0)),
	    AT(2026, 12, 8, 18, 0, 0));
	/* Under way: still that one, with its 90 minutes. */
	assert_true(upcoming_occurrence(e, berlin(), AT(2026, 12, 8, 19, 29,
	    59), &o));
	assert_int_equal(o.start, AT(2026, 12, 8, 18, 0, 0));
	assert_int_equal(o.end, AT(2026, 12, 8, 19, 30, 0));
	/* At its end it has ended. */
	assert_int_equal(next_start(e, berlin(), AT(2026, 12, 8, 19, 30, 0)),
	    AT(2026, 12, 15, 18, 0, 0));
	/* The sixth and last, then none. */
	assert_int_equal(next_start(e, berlin(), AT(2027, 1, 5, 19, 29, 59)),
	    AT(2027, 1, 5, 18, 0, 0));
	assert_int_equal(next_start(e, berlin(), AT(2027, 1, 5, 19, 30, 0)),
	    -1);
	page_free(p);
}

static void
weekly_until(void **state)
{
	struct page *p = make("m/until.md",
	    "  - title: Until, inclusive\n    start: 2026-12-01T19:00\n"
	    "    duration: 1h\n    rrule: FREQ=WEEKLY;UNTIL=20261215T180000Z\n"
	    "  - title: Until, a second short\n    start: 2026-12-01T19:00\n"
	    "    duration: 1h\n    rrule: FREQ=WEEKLY;UNTIL=20261215T175959Z\n");
	time_t after_second = AT(2026, 12, 8, 19, 0, 0);

	(void)state;
	assert_int_equal(next_start(&p->events[0], berlin(), after_second),
	    AT(2026, 12, 15, 18, 0, 0));
	assert_int_equal(next_start(&p->events[0], berlin(),
	    AT(2026, 12, 15, 19, 0, 0)), -1);
	assert_int_equal(next_start(&p->events[1], berlin(), after_second),
	    -1);
	page_free(p);
}

static void
all_day_ends_at_site_midnight(void **state)
{
	struct page *p = make("m/day.md",
	    "  - title: Hack day\n    start: 2026-12-12\n"
	    "  - title: Weekly day\n    start: 2026-12-12\n"
	    "    rrule: FREQ=WEEKLY;COUNT=2\n");
	icaltimezone *utc = icaltimezone_get_utc_timezone();
	struct occurrence o;

	(void)state;
	/* Midnight in Berlin is 23:00 UTC the day before. */
	assert_true(upcoming_occurrence(&p->events[0], berlin(),
	    AT(2026, 12, 12, 22, 59, 59), &o));
	assert_int_equal(o.start, AT(2026, 12, 11, 23, 0, 0));
	assert_int_equal(o.end, AT(2026, 12, 12, 23, 0, 0));
	assert_false(upcoming_occurrence(&p->events[0], berlin(),
	    AT(2026, 12, 12, 23, 0, 0), &o));
	/* The same day in a site on UTC lasts an hour longer. */
	assert_true(upcoming_occurrence(&p->events[0], utc,
	    AT(2026, 12, 12, 23, 0, 0), &o));
	assert_int_equal(o.end, AT(2026, 12, 13, 0, 0, 0));
	/* A series of days. */
	assert_int_equal(next_start(&p->events[1], berlin(),
	    AT(2026, 12, 12, 23, 0, 0)), AT(2026, 12, 18, 23, 0, 0));
	assert_int_equal(next_start(&p->events[1], berlin(),
	    AT(2026, 12, 19, 23, 0, 0)), -1);
	page_free(p);
}

/* The wall clock stays 19:00 as Berlin leaves and enters summer time. */
static void
summer_time_crossed(void **state)
{
	struct page *p = make("m/dst.md",
	    "  - title: Autumn\n    start: 2026-10-20T19:00\n"
	    "    duration: 90m\n    rrule: FREQ=WEEKLY\n"
	    "  - title: Spring\n    start: 2027-03-23T19:00\n"
	    "    duration: 1h\n    rrule: FREQ=WEEKLY;INTERVAL=1;COUNT=3\n");
	struct site_index ix;
	struct upcoming u;
	time_t now = AT(2026, 10, 21, 0, 0, 0);

	(void)state;
	assert_int_equal(p->events[0].start_utc, AT(2026, 10, 20, 17, 0, 0));
	assert_int_equal(next_start(&p->events[0], berlin(), now),
	    AT(2026, 10, 27, 18, 0, 0));
	assert_int_equal(p->events[1].start_utc, AT(2027, 3, 23, 18, 0, 0));
	assert_int_equal(next_start(&p->events[1], berlin(),
	    AT(2027, 3, 24, 0, 0, 0)), AT(2027, 3, 30, 17, 0, 0));

	/* And the front page shows 19:00-20:30 on the 27th. */
	index_init(&ix, 0);
	index_add(&ix, p, NULL, now);
	upcoming_pick(&u, NULL, ix.site.events, ix.site.nevents, ix.lasting,
	    ix.nlasting, berlin(), now);
	upcoming_walls(&u, berlin());
	assert_int_equal(u.n, 2);
	assert_string_equal(u.items[0].ie->event->title, "Autumn");
	assert_int_equal(u.items[0].start.day, 27);
	assert_int_equal(u.items[0].start.hour, 19);
	assert_int_equal(u.items[0].end.hour, 20);
	assert_int_equal(u.items[0].end.minute, 30);
	assert_int_equal(u.next_change, AT(2026, 10, 27, 19, 30, 0));
	index_free(&ix);
	page_free(p);
}

static void
old_and_odd_rules(void **state)
{
	struct page *p = make("m/odd.md",
	    "  - title: Daily since 1990\n    start: 1990-01-01T09:00\n"
	    "    rrule: FREQ=DAILY\n"
	    "  - title: Every minute since 2020\n    start: 2020-01-01T09:00\n"
	    "    duration: 1m\n    rrule: FREQ=MINUTELY\n");

	(void)state;
	assert_int_equal(next_start(&p->events[0], berlin(),
	    AT(2026, 12, 2, 12, 0, 0)), AT(2026, 12, 3, 8, 0, 0));
	/* More occurrences than are followed: left out, not a hang. */
	assert_int_equal(next_start(&p->events[1], berlin(),
	    AT(2026, 12, 2, 12, 0, 0)), -1);
	page_free(p);
}

/* A plain daily or weekly rule skips to the present: it finds what the
 * same series written with a BY part (followed from DTSTART) finds. */
static void
fast_forward_matches_iteration(void **state)
{
	struct page *p = make("m/ff.md",
	    "  - title: a\n    start: 2020-01-07T19:00\n    rrule: FREQ=WEEKLY\n"
	    "  - title: b\n    start: 2020-01-07T19:00\n"
	    "    rrule: FREQ=WEEKLY;BYDAY=TU\n"
	    "  - title: c\n    start: 2020-01-07T19:00\n    duration: 3h\n"
	    "    rrule: FREQ=WEEKLY;INTERVAL=2;COUNT=200\n"
	    "  - title: d\n    start: 2020-01-07T19:00\n    duration: 3h\n"
	    "    rrule: FREQ=WEEKLY;INTERVAL=2;COUNT=200;BYDAY=TU\n"
	    "  - title: e\n    start: 2020-01-07T19:00\n"
	    "    rrule: FREQ=DAILY;INTERVAL=3;UNTIL=20300101T000000Z\n"
	    "  - title: f\n    start: 2020-01-07T19:00\n"
	    "    rrule: FREQ=DAILY;INTERVAL=3;UNTIL=20300101T000000Z;BYHOUR=19\n"
	    "  - title: g\n    start: 2020-01-07\n    end: 2020-01-08\n"
	    "    rrule: FREQ=WEEKLY;COUNT=300\n"
	    "  - title: h\n    start: 2020-01-07\n    end: 2020-01-08\n"
	    "    rrule: FREQ=WEEKLY;COUNT=300;BYDAY=TU\n");
	struct occurrence x, y;
	time_t now;
	size_t i;
	int fx, fy;

	(void)state;
	assert_int_equal(p->nevents, 8);
	for (now = AT(2019, 12, 1, 0, 0, 0); now < AT(2031, 1, 1, 0, 0, 0);
	    now += 29 * 86400 + 5 * 3600 + 17) {
		for (i = 0; i < 8; i += 2) {
			fx = upcoming_occurrence(&p->events[i], berlin(), now, &x);
			fy = upcoming_occurrence(&p->events[i + 1], berlin(), now,
			    &y);
			assert_int_equal(fx, fy);
			if (fx) {
				assert_int_equal(x.start, y.start);
				assert_int_equal(x.end, y.end);
			}
		}
	}
	/* By 2031 every series but the endless ones is over. */
	for (i = 2; i < 8; i++)
		assert_false(upcoming_occurrence(&p->events[i], berlin(),
		    AT(2031, 1, 1, 0, 0, 0), &x));
	page_free(p);
}

/* The list: ended events and series out, a series at its next
 * occurrence in start order, a long event still on, and the next
 * change at the earliest end. */
static void
pick_orders_and_drops(void **state)
{
	struct page *p = make("m/mix.md",
	    "  - title: Ended\n    start: 2026-11-20T19:00\n"
	    "  - title: Ended series\n    start: 2026-10-01T19:00\n"
	    "    rrule: FREQ=WEEKLY;COUNT=3\n"
	    "  - title: Friday\n    start: 2026-12-04T19:00\n"
	    "  - title: Series\n    start: 2026-01-06T19:00\n"
	    "    rrule: FREQ=WEEKLY\n"
	    "  - title: Festival\n    start: 2026-11-25\n"
	    "    end: 2026-12-10\n"
	    "  - title: Tonight\n    start: 2026-12-02T20:00\n"
	    "    duration: 2h\n"
	    "  - title: Under way\n    start: 2026-12-02T13:00\n"
	    "    duration: 3h\n");
	struct upcoming_memo *m = upcoming_memo_new();
	struct site_index ix;
	struct upcoming u;
	time_t now = AT(2026, 12, 2, 13, 0, 0);

	(void)state;
	index_init(&ix, 0);
	index_add(&ix, p, NULL, now);
	assert_int_equal(ix.nlasting, 3);	/* two series, the festival */
	upcoming_pick(&u, m, ix.site.events, ix.site.nevents, ix.lasting,
	    ix.nlasting, berlin(), now);
	assert_int_equal(u.n, 5);
	assert_string_equal(u.items[0].ie->event->title, "Festival");
	assert_string_equal(u.items[1].ie->event->title, "Under way");
	assert_string_equal(u.items[2].ie->event->title, "Tonight");
	assert_string_equal(u.items[3].ie->event->title, "Friday");
	assert_string_equal(u.items[4].ie->event->title, "Series");
	/* 2026-01-06 was a Tuesday: next Tuesday, the 8th. */
	assert_int_equal(u.items[4].when.start, AT(2026, 12, 8, 18, 0, 0));
	assert_int_equal(u.next_change, AT(2026, 12, 2, 15, 0, 0));

	/* A week on, the list has changed; asked again earlier (the clock
	 * went back), the events' kept occurrences are not used. */
	upcoming_pick(&u, m, ix.site.events, ix.site.nevents, ix.lasting,
	    ix.nlasting, berlin(), AT(2026, 12, 8, 19, 0, 0));
	assert_int_equal(u.n, 2);
	assert_string_equal(u.items[0].ie->event->title, "Festival");
	assert_string_equal(u.items[1].ie->event->title, "Series");
	assert_int_equal(u.items[1].when.start, AT(2026, 12, 15, 18, 0, 0));
	upcoming_pick(&u, m, ix.site.events, ix.site.nevents, ix.lasting,
	    ix.nlasting, berlin(), now);
	assert_int_equal(u.n, 5);
	assert_int_equal(u.items[4].when.start, AT(2026, 12, 8, 18, 0, 0));

	index_remove(&ix, p);
	assert_int_equal(ix.nlasting, 0);
	index_free(&ix);
	page_free(p);
	upcoming_memo_free(m);
}

/* The memo answers by content: an event edited (a new page, its events
 * perhaps where the old ones were) is asked afresh, and one parsed again
 * unchanged gets the same answer. */
static void
memo_follows_edits(void **state)
{
	static const char *const versions[] = {
		"  - title: Talk\n    start: 2026-12-04T19:00\n",
		"  - title: Talk\n    start: 2026-12-05T19:00\n",
		"  - title: Talk\n    start: 2026-12-05T19:00\n",
		"  - title: Talk\n    start: 2026-12-03T19:00\n"
		"    rrule: FREQ=WEEKLY\n",
	};
	const time_t want[] = {
		AT(2026, 12, 4, 18, 0, 0), AT(2026, 12, 5, 18, 0, 0),
		AT(2026, 12, 5, 18, 0, 0), AT(2026, 12, 3, 18, 0, 0),
	};
	struct upcoming_memo *m = upcoming_memo_new();
	struct site_index ix;
	struct upcoming u;
	struct page *p;
	time_t now = AT(2026, 12, 2, 13, 0, 0);
	size_t i;

	(void)state;
	index_init(&ix, 0);
	for (i = 0; i < nitems(versions); i++) {
		p = make("m/edited.md", versions[i]);
		index_add(&ix, p, NULL, now);
		upcoming_pick(&u, m, ix.site.events, ix.site.nevents,
		    ix.lasting, ix.nlasting, berlin(), now);
		assert_int_equal(u.n, 1);
		assert_int_equal(u.items[0].when.start, want[i]);
		index_remove(&ix, p);
		page_free(p);
	}
	index_free(&ix);
	upcoming_memo_free(m);
}

/* At most UPCOMING_MAX, the earliest, whatever else is in the array:
 * also an all-day event, whose day starts at 23:00 UTC in Berlin while
 * the array sorts it at midnight UTC, after an event at 23:30 UTC. */
static void
pick_is_bounded(void **state)
{
	struct buf ev;
	struct page *p;
	struct site_index ix;
	struct upcoming u;
	time_t now = AT(2026, 12, 2, 13, 0, 0);
	int i;

	(void)state;
	buf_init(&ev);
	for (i = 0; i < UPCOMING_MAX - 1; i++)
		buf_printf(&ev, "  - title: Talk %02d\n    start: 2026-12-%02dT"
		    "%02d:00\n", i, 3 + i / 2, 10 + i % 2);
	buf_addstr(&ev, "  - title: Late night\n"
	    "    start: 2026-12-19T23:30:00Z\n"
	    "  - title: All day\n    start: 2026-12-20\n");
	for (i = 0; i < 10; i++)
		buf_printf(&ev, "  - title: Later %02d\n    start: 2026-12-21T"
		    "%02d:00\n", i, 10 + i);
	buf_addstr(&ev, "  - title: Late series\n    start: 2026-12-25T10:00\n"
	    "    rrule: FREQ=DAILY\n");
	p = make("m/many.md", ev.data);
	index_init(&ix, 0);
	index_begin_bulk(&ix);
	index_add(&ix, p, NULL, now);
	index_end_bulk(&ix);
	assert_string_equal(ix.site.events[UPCOMING_MAX - 1].event->title,
	    "Late night");
	upcoming_pick(&u, NULL, ix.site.events, ix.site.nevents, ix.lasting,
	    ix.nlasting, berlin(), now);
	assert_int_equal(u.n, UPCOMING_MAX);
	for (i = 0; i < UPCOMING_MAX - 1; i++) {
		char want[32];

		snprintf(want, sizeof want, "Talk %02d", i);
		assert_string_equal(u.items[i].ie->event->title, want);
	}
	assert_string_equal(u.items[UPCOMING_MAX - 1].ie->event->title,
	    "All day");
	index_free(&ix);
	page_free(p);
	buf_free(&ev);
}

static void
repeats_in_words(void **state)
{
	static const struct {
		const char *rule, *words;
	} cases[] = {
		{ "FREQ=WEEKLY;COUNT=6", "repeats weekly" },
		{ "FREQ=WEEKLY;INTERVAL=2", "repeats every 2 weeks" },
		{ "FREQ=DAILY;INTERVAL=3;UNTIL=20270101T000000Z",
		  "repeats every 3 days" },
		{ "FREQ=MONTHLY;BYDAY=2TU", "repeats monthly" },
		{ "FREQ=YEARLY", "repeats yearly" },
		{ "FREQ=HOURLY;INTERVAL=1", "repeats hourly" },
		{ "FREQ=MINUTELY;INTERVAL=15", "repeats every 15 minutes" },
		{ "nonsense", "" },
	};
	struct buf b;
	size_t i;

	(void)state;
	buf_init(&b);
	for (i = 0; i < nitems(cases); i++) {
		buf_reset(&b);
		upcoming_repeats(&b, cases[i].rule);
		assert_string_equal(b.len ? b.data : "", cases[i].words);
	}
	buf_reset(&b);
	upcoming_repeats(&b, NULL);
	assert_int_equal(b.len, 0);
	buf_free(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(weekly_count),
		cmocka_unit_test(weekly_until),
		cmocka_unit_test(all_day_ends_at_site_midnight),
		cmocka_unit_test(summer_time_crossed),
		cmocka_unit_test(old_and_odd_rules),
		cmocka_unit_test(fast_forward_matches_iteration),
		cmocka_unit_test(pick_orders_and_drops),
		cmocka_unit_test(memo_follows_edits),
		cmocka_unit_test(pick_is_bounded),
		cmocka_unit_test(repeats_in_words),
	};

	return cmocka_run_group_tests_name("upcoming", tests, setup_config,
	    teardown_config);
}

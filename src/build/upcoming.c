/*
 * upcoming.c -- what the front page lists under "Upcoming events": each
 * event or series at its next occurrence that has not ended, the first
 * UPCOMING_MAX of them, and when that list next changes by itself (the
 * catalog renders the front page again then, on a timer).
 *
 * A subject keeps its events sorted by start (index.c), but a series that
 * began long ago can still be upcoming, and so can a long event.  Those
 * are few, and the index keeps them in a list of their own (`lasting`);
 * every other event lasts at most UPCOMING_LASTING, so the ones that have
 * not ended are found by binary search from a little before now.  A
 * rebuild at 24 000 events looks at a few dozen of them.
 *
 * Occurrences come from libical's recurrence iterator, run on the event's
 * wall clock in its zone (a weekly 19:00 stays 19:00 across summer time;
 * an UNTIL in UTC is compared as an instant).  It runs from DTSTART, or
 * for a plain daily or weekly rule from an occurrence shortly before now
 * (fast_forward): libical 3.0's icalrecur_iterator_set_start() hangs or
 * skips on some rules, and cannot skip COUNT.  The occurrence found is
 * kept in the caller's memo, good until it ends, so a series is followed
 * again only when one of its occurrences is over.  The memo is keyed by
 * what the answer depends on (the event's content hash and instants),
 * not by the event, which nothing but parsing writes: a page parsed again
 * finds its events' answers, and an edited event is asked afresh.  It
 * keeps what the last pick looked at, and as many again.
 *
 * An occurrence has ended when its end is at or before now: DTEND, or
 * DTSTART plus the event's exact duration (RFC 5545 3.8.5.3); an all-day
 * one at midnight after its last day in the site's zone, as the site's
 * readers live the day.
 */
#include <stdlib.h>
#include <string.h>

#include "u64map.h"
#include "upcoming.h"

/* One event's answer: the occurrence found when asked, or none. */
struct next_seen {
	int		 found;
	time_t		 asked;
	time_t		 start;
	time_t		 end;
	icaltimezone	*site;
	unsigned long	 pick;		/* the last pick that used it */
};

struct upcoming_memo {
	struct u64map	 seen;		/* next_key() -> struct next_seen */
	unsigned long	 picks;
	size_t		 used;		/* by the current pick */
};

struct upcoming_memo *
upcoming_memo_new(void)
{
	struct upcoming_memo *m = xcalloc(1, sizeof *m);

	u64map_init(&m->seen);
	return m;
}

void
upcoming_memo_free(struct upcoming_memo *m)
{
	if (m == NULL)
		return;
	u64map_free(&m->seen, free);
	free(m);
}

static void
date_add_days(struct datetime *dt, long days)
{
	time_t t = dates_timegm_utc(dt->year, dt->month, dt->day, 0, 0, 0) +
	    (time_t)days * 86400;
	struct tm tm;

	if (gmtime_r(&t, &tm) == NULL)
		return;
	dt->year = tm.tm_year + 1900;
	dt->month = tm.tm_mon + 1;
	dt->day = tm.tm_mday;
}

/* Midnight at the start of dt's day in the site's zone. */
static time_t
day_start(const struct datetime *dt, icaltimezone *site)
{
	struct datetime d;

	memset(&d, 0, sizeof d);
	d.year = dt->year;
	d.month = dt->month;
	d.day = dt->day;
	return dates_to_utc(&d, site);
}

/* An all-day event's length in days, at least one. */
static long
event_days(const struct event *e)
{
	time_t a = dates_timegm_utc(e->start.year, e->start.month, e->start.day,
	    0, 0, 0);
	time_t b = dates_timegm_utc(e->end.year, e->end.month, e->end.day, 0, 0, 0);

	return b > a ? (long)((b - a) / 86400) : 1;
}

/* The occurrence starting on day (all day) or at wall clock `wall`. */
static void
occurrence_at(const struct event *e, const struct datetime *wall,
    icaltimezone *zone, icaltimezone *site, struct occurrence *o)
{
	struct datetime last;

	if (e->all_day) {
		o->start = day_start(wall, site);
		last = *wall;
		date_add_days(&last, event_days(e));
		o->end = day_start(&last, site);
	} else {
		o->start = dates_to_utc(wall, zone);
		o->end = o->start + (e->end_utc - e->start_utc);
	}
}

static icaltimezone *
event_zone(const struct event *e)
{
	icaltimezone *zone = NULL;

	if (e->tzid != NULL)
		zone = dates_zone_find(e->tzid);
	return zone != NULL ? zone : icaltimezone_get_utc_timezone();
}

static int
read_rule(const char *rrule, struct icalrecurrencetype *rt)
{
	if (rrule == NULL)
		return -1;
	icalerror_clear_errno();
	*rt = icalrecurrencetype_from_string(rrule);
	if (rt->freq == ICAL_NO_RECURRENCE || icalerrno != ICAL_NO_ERROR) {
		icalerror_clear_errno();
		return -1;
	}
	return 0;
}

static int
has_by_parts(const struct icalrecurrencetype *rt)
{
	return rt->by_second[0] != ICAL_RECURRENCE_ARRAY_MAX ||
	    rt->by_minute[0] != ICAL_RECURRENCE_ARRAY_MAX ||
	    rt->by_hour[0] != ICAL_RECURRENCE_ARRAY_MAX ||
	    rt->by_day[0] != ICAL_RECURRENCE_ARRAY_MAX ||
	    rt->by_month_day[0] != ICAL_RECURRENCE_ARRAY_MAX ||
	    rt->by_year_day[0] != ICAL_RECURRENCE_ARRAY_MAX ||
	    rt->by_week_no[0] != ICAL_RECURRENCE_ARRAY_MAX ||
	    rt->by_month[0] != ICAL_RECURRENCE_ARRAY_MAX ||
	    rt->by_set_pos[0] != ICAL_RECURRENCE_ARRAY_MAX;
}

/*
 * A plain daily or weekly rule (no BY parts, Gregorian) has DTSTART plus
 * whole periods for occurrences, so from its k-th on it is the same rule
 * begun there, with k fewer to COUNT.  Moves the start to an occurrence
 * that ended well before now (two periods and a day: summer time and zone
 * offsets move a wall clock by hours), so that a daily series begun years
 * ago is not followed from its first day.
 */
static void
fast_forward(const struct event *e, struct icalrecurrencetype *rt,
    struct datetime *wall, time_t now)
{
	long days, k;
	time_t span, behind;

	if ((rt->freq != ICAL_DAILY_RECURRENCE &&
	    rt->freq != ICAL_WEEKLY_RECURRENCE) || rt->rscale != NULL ||
	    has_by_parts(rt))
		return;
	days = (rt->interval > 1 ? rt->interval : 1) *
	    (rt->freq == ICAL_WEEKLY_RECURRENCE ? 7 : 1);
	span = e->all_day ? event_days(e) * 86400 : e->end_utc - e->start_utc;
	behind = now - e->start_utc - span - 2 * days * 86400 - 86400;
	if (behind <= 0)
		return;
	k = (long)(behind / (days * 86400));
	if (rt->count > 0) {
		if (k >= rt->count)
			k = rt->count - 1;
		rt->count -= (int)k;
	}
	date_add_days(wall, k * days);
}

/* The series' first occurrence ending after now. */
static int
series_next(const struct event *e, struct icalrecurrencetype *rt,
    icaltimezone *site, time_t now, struct occurrence *o)
{
	icaltimezone *zone = e->all_day ? NULL : event_zone(e);
	struct icaltimetype start = icaltime_null_time(), t;
	icalrecur_iterator *it;
	struct datetime wall = e->start;
	size_t steps;
	int found = 0;

	fast_forward(e, rt, &wall, now);
	start.year = wall.year;
	start.month = wall.month;
	start.day = wall.day;
	start.is_date = e->all_day;
	if (!e->all_day) {
		start.hour = wall.hour;
		start.minute = wall.minute;
		start.second = wall.second;
		start.zone = zone;
	}
	icalerror_clear_errno();
	if ((it = icalrecur_iterator_new(*rt, start)) == NULL) {
		icalerror_clear_errno();
		return -1;
	}
	for (steps = 0; steps < UPCOMING_STEPS_MAX; steps++) {
		t = icalrecur_iterator_next(it);
		if (icaltime_is_null_time(t) || t.year > EVENT_YEAR_MAX)
			break;
		wall.year = t.year;
		wall.month = t.month;
		wall.day = t.day;
		if (!e->all_day) {
			wall.hour = t.hour;
			wall.minute = t.minute;
			wall.second = t.second;
		}
		occurrence_at(e, &wall, zone, site, o);
		if (o->end > now) {
			found = 1;
			break;
		}
	}
	icalrecur_iterator_free(it);
	icalerror_clear_errno();
	return found;
}

int
upcoming_occurrence(const struct event *e, icaltimezone *site, time_t now,
    struct occurrence *o)
{
	struct icalrecurrencetype rt;
	int found;

	if (e->rrule != NULL && read_rule(e->rrule, &rt) == 0 &&
	    (found = series_next(e, &rt, site, now, o)) != -1)
		return found;
	/* One event (or a rule libical cannot follow: DTSTART alone). */
	if (e->all_day)
		occurrence_at(e, &e->start, NULL, site, o);
	else {
		o->start = e->start_utc;
		o->end = e->end_utc;
	}
	return o->end > now;
}

int
upcoming_lasting(const struct event *e)
{
	return e->rrule != NULL || e->end_utc - e->start_utc > UPCOMING_LASTING;
}

/* What upcoming_occurrence() reads of an event, hashed. */
static uint64_t
next_key(const struct event *e)
{
	uint64_t v[3];

	v[0] = e->hash;
	v[1] = (uint64_t)e->start_utc;
	v[2] = (uint64_t)e->end_utc;
	return hash64(v, sizeof v);
}

/*
 * upcoming_occurrence(), kept in the memo: the one found at `asked` is
 * still the first not ended at any now from then until its end.
 */
static int
remembered(struct upcoming_memo *m, const struct event *e,
    icaltimezone *site, time_t now, struct occurrence *o)
{
	uint64_t key;
	struct next_seen *n;
	int found;

	if (m == NULL)
		return upcoming_occurrence(e, site, now, o);
	key = next_key(e);
	if ((n = u64map_get(&m->seen, key)) == NULL) {
		n = xcalloc(1, sizeof *n);
		u64map_put(&m->seen, key, n);
	} else if (n->site == site && now >= n->asked &&
	    (!n->found || now < n->end)) {
		if (n->pick != m->picks) {
			n->pick = m->picks;
			m->used++;
		}
		o->start = n->start;
		o->end = n->end;
		return n->found;
	}
	found = upcoming_occurrence(e, site, now, o);
	n->found = found;
	n->site = site;
	n->asked = now;
	n->start = found ? o->start : 0;
	n->end = found ? o->end : 0;
	if (n->pick != m->picks) {
		n->pick = m->picks;
		m->used++;
	}
	return found;
}

/* Keeps the answers this pick used once twice as many are kept. */
static void
memo_prune(struct upcoming_memo *m)
{
	struct u64map keep;
	struct next_seen *n;
	uint64_t key;
	size_t i;
	void *v;

	if (m == NULL || m->seen.live <= 2 * m->used + 64)
		return;
	u64map_init(&keep);
	for (i = 0; u64map_next(&m->seen, &i, &key, &v); ) {
		n = v;
		if (n->pick == m->picks)
			u64map_put(&keep, key, n);
		else
			free(n);
	}
	u64map_free(&m->seen, NULL);
	m->seen = keep;
}

/* Earliest first; then as index.c orders events, so equal starts never
 * depend on which page came first. */
static int
item_order(const void *va, const void *vb)
{
	const struct upcoming_item *a = va, *b = vb;
	const struct event *x = a->ie->event, *y = b->ie->event;
	int c;

	if (a->when.start != b->when.start)
		return a->when.start < b->when.start ? -1 : 1;
	if ((c = strcmp(x->uid, y->uid)) != 0)
		return c;
	if (a->ie->page != b->ie->page)
		return strcmp(a->ie->page->path, b->ie->page->path);
	return x < y ? -1 : x > y;
}

struct candidates {
	struct upcoming_item	*v;
	size_t			 n;
};

static void
add_candidate(struct candidates *c, const struct ical_event *ie,
    const struct occurrence *o)
{
	c->v = xreallocarray(c->v, c->n + 1, sizeof *c->v);
	memset(&c->v[c->n], 0, sizeof *c->v);
	c->v[c->n].ie = ie;
	c->v[c->n++].when = *o;
}

/* The first event starting at or after t. */
static size_t
first_from(const struct ical_event *evs, size_t n, time_t t)
{
	size_t lo = 0, hi = n, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (evs[mid].event->start_utc < t)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/*
 * Events that are not lasting, not ended at now.  One lasts at most
 * UPCOMING_LASTING, and an all-day one's days are in the site's zone, at
 * most a day from the UTC days start_utc may count in: so none that
 * started before now - UPCOMING_LASTING - 1 day is still on, and none
 * starting a day after the UPCOMING_MAX-th found can come before it.
 */
static void
short_candidates(struct candidates *c, struct upcoming_memo *m,
    const struct ical_event *evs, size_t n, icaltimezone *site, time_t now)
{
	struct occurrence o;
	time_t latest = 0, horizon = 0;
	size_t i;

	for (i = first_from(evs, n, now - UPCOMING_LASTING - 86400); i < n;
	    i++) {
		const struct event *e = evs[i].event;

		if (c->n >= UPCOMING_MAX && e->start_utc > horizon)
			break;
		if (upcoming_lasting(e) || !remembered(m, e, site, now, &o))
			continue;
		add_candidate(c, &evs[i], &o);
		if (c->n == 1 || o.start > latest)
			latest = o.start;
		if (c->n == UPCOMING_MAX)
			horizon = latest + 86400;
	}
}

void
upcoming_pick(struct upcoming *u, struct upcoming_memo *m,
    const struct ical_event *events, size_t nevents,
    const struct ical_event *lasting, size_t nlasting, icaltimezone *site,
    time_t now)
{
	struct candidates c = { NULL, 0 };
	struct occurrence o;
	size_t i;

	memset(u, 0, sizeof *u);
	if (m != NULL) {
		m->picks++;
		m->used = 0;
	}
	short_candidates(&c, m, events, nevents, site, now);
	for (i = 0; i < nlasting; i++)
		if (remembered(m, lasting[i].event, site, now, &o))
			add_candidate(&c, &lasting[i], &o);
	memo_prune(m);
	util_sort(c.v, c.n, sizeof *c.v, item_order);
	for (i = 0; i < c.n && u->n < UPCOMING_MAX; i++) {
		u->items[u->n++] = c.v[i];
		if (u->next_change == 0 || c.v[i].when.end < u->next_change)
			u->next_change = c.v[i].when.end;
	}
	free(c.v);
}

/* The wall clock of instant t in zone (a date alone when all day). */
static struct datetime
wall_clock(time_t t, icaltimezone *zone, int all_day)
{
	struct icaltimetype tt = icaltime_from_timet_with_zone(t, 0, zone);
	struct datetime dt;

	memset(&dt, 0, sizeof dt);
	dt.year = tt.year;
	dt.month = tt.month;
	dt.day = tt.day;
	dt.has_time = !all_day;
	if (!all_day) {
		dt.hour = tt.hour;
		dt.minute = tt.minute;
		dt.second = tt.second;
	}
	return dt;
}

void
upcoming_walls(struct upcoming *u, icaltimezone *site)
{
	struct upcoming_item *it;
	const struct event *e;
	icaltimezone *zone;
	size_t i;

	for (i = 0; i < u->n; i++) {
		it = &u->items[i];
		e = it->ie->event;
		if (e->rrule == NULL) {
			it->start = e->start;	/* as written */
			it->end = e->end;
			continue;
		}
		zone = e->all_day ? site : event_zone(e);
		if (zone == NULL)
			zone = icaltimezone_get_utc_timezone();
		it->start = wall_clock(it->when.start, zone, e->all_day);
		it->end = wall_clock(it->when.end, zone, e->all_day);
	}
}

void
upcoming_repeats(struct buf *b, const char *rrule)
{
	static const struct {
		icalrecurrencetype_frequency	 freq;
		const char			*once;	/* INTERVAL=1 */
		const char			*unit;
	} words[] = {
		{ ICAL_SECONDLY_RECURRENCE, "every second", "seconds" },
		{ ICAL_MINUTELY_RECURRENCE, "every minute", "minutes" },
		{ ICAL_HOURLY_RECURRENCE, "hourly", "hours" },
		{ ICAL_DAILY_RECURRENCE, "daily", "days" },
		{ ICAL_WEEKLY_RECURRENCE, "weekly", "weeks" },
		{ ICAL_MONTHLY_RECURRENCE, "monthly", "months" },
		{ ICAL_YEARLY_RECURRENCE, "yearly", "years" },
	};
	struct icalrecurrencetype rt;
	size_t i;

	if (read_rule(rrule, &rt) == -1)
		return;
	for (i = 0; i < nitems(words); i++) {
		if (words[i].freq != rt.freq)
			continue;
		if (rt.interval <= 1)
			buf_printf(b, "repeats %s", words[i].once);
		else
			buf_printf(b, "repeats every %d %s", rt.interval,
			    words[i].unit);
	}
}

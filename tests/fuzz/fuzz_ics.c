/*
 * fuzz_ics.c -- libFuzzer target: ics_import on arbitrary bytes.
 *
 * The first input byte picks the site time zone and a small or large
 * events-per-page limit; the rest is the file.  Checks: a failed import
 * says why (a DIAG_ERROR), the limit holds, and every imported event has
 * a UID, a title, a real start and end date and time (libical accepts
 * "20200231T090000"), and an end not before its start.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libical/ical.h>

#include "config.h"
#include "dates.h"
#include "ics.h"
#include "page.h"
#include "util.h"

static struct config cfgs[4];

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	static const char *const tz[] = { "UTC", "Europe/Berlin" };
	size_t i;

	(void)argc;
	(void)argv;
	for (i = 0; i < 4; i++) {
		config_defaults(&cfgs[i]);
		free(cfgs[i].timezone);
		cfgs[i].timezone = xstrdup(tz[i & 1]);
		if (i & 2)
			cfgs[i].max_events_per_page = 3;
	}
	icalerror_set_errors_are_fatal(0);
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct config *cfg;
	const char *relpath = "calendars/partner-events.ics";
	struct page *p;
	size_t i;
	int rc;

	if (size < 1)
		return 0;
	cfg = &cfgs[data[0] & 3];
	data++;
	size--;

	p = xcalloc(1, sizeof *p);
	p->path = xstrdup(relpath);
	p->section = xstrdup("calendars");
	p->kind = PAGE_CALENDAR_FILE;
	p->title = xstrdup(relpath);
	diags_init(&p->diags);

	rc = ics_import(cfg, relpath, (const char *)data, size, &p->events,
	    &p->nevents, &p->diags);
	if (rc == -1 && diags_count(&p->diags, DIAG_ERROR) == 0)
		abort();
	if (rc == 0 && p->nevents == 0)
		abort();
	if (p->nevents > (size_t)cfg->max_events_per_page) {
		fprintf(stderr, "%zu events, limit %d\n", p->nevents,
		    cfg->max_events_per_page);
		abort();
	}
	for (i = 0; i < p->nevents; i++) {
		const struct event *e = &p->events[i];

		if (e->uid == NULL || e->title == NULL)
			abort();
		if (!dates_valid(e->start.year, e->start.month, e->start.day) ||
		    !dates_valid(e->end.year, e->end.month, e->end.day) ||
		    e->start.hour < 0 || e->start.hour > 23 ||
		    e->start.minute < 0 || e->start.minute > 59 ||
		    e->end.hour < 0 || e->end.hour > 23 ||
		    e->end.minute < 0 || e->end.minute > 59) {
			fprintf(stderr, "event %zu: not a real date and time: "
			    "%04d-%02d-%02d %02d:%02d to %04d-%02d-%02d "
			    "%02d:%02d (%s)\n", i, e->start.year,
			    e->start.month, e->start.day, e->start.hour,
			    e->start.minute, e->end.year, e->end.month,
			    e->end.day, e->end.hour, e->end.minute,
			    e->tzid ? e->tzid : "UTC");
			abort();
		}
		if (e->end_utc < e->start_utc) {
			fprintf(stderr, "event %zu ends before it starts\n",
			    i);
			abort();
		}
		(void)event_hash(e);
	}
	page_free(p);
	return 0;
}

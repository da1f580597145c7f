/*
 * fuzz_page.c -- libFuzzer target: the whole page pipeline.
 *
 * bytes -> page_parse_bundle -> render_atom + render_rss + render_jsonfeed +
 * calendar_render (and the HTML page) -> the outputs read back: Atom and
 * RSS must be well-formed XML for libxml2, JSON Feed JSON for jansson, the calendar must parse with libical with no
 * X-LIC-ERROR property in the VCALENDAR or any VEVENT, and every VEVENT's
 * DTSTART and DTEND a real calendar date and time (libical itself accepts
 * "20200231T250000").
 *
 * The first input byte picks the file's path (a post, a section index or a
 * dropped .ics file) and the site time zone; the rest is the file, with
 * a bundle's files beside it.  A page's image must be an http(s) URL.  Only
 * usable pages are rendered, as the catalog does: posts go to feeds, every
 * usable page's events to calendars.  The front page's next occurrences
 * of the first events are found too (a rule libical cannot follow must
 * not hang or crash it), and must not have ended.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <libical/ical.h>
#include <libxml/parser.h>

#include "calendar.h"
#include "config.h"
#include "dates.h"
#include "page.h"
#include "render.h"
#include "render_html.h"
#include "upcoming.h"
#include "util.h"

static struct config cfg_utc, cfg_zoned;
static struct calendar_cache *calendars;

static const char *const paths[] = {
	"meetups/2020-05-shanghai.md",
	"calendars/partner-events.ics",
	"meetups/_index.md",
	"top-level post.markdown",
	"news/新闻/深 圳.md",
	"calendars/sub/x.ics",
	"meetups/a&b<c>\"'.md",
	"_index.md",
};

/* As if every page were a bundle's index beside these (image.c reads
 * their names, resources metadata renames them, enclosure.c their sizes). */
static const struct bundle_file files[] = {
	{ "Cover Photo.JPG", 100 }, { "episode.mp3", 5000 },
	{ "huge-feature.png", 1LL << 40 }, { "index.html", 10 },
	{ "photo-1.png", 10 }, { "photo-2.webp", 10 }, { "thumbnail.svg", 10 },
};

static void
site(struct config *c, const char *tz)
{
	config_defaults(c);
	free(c->title);
	c->title = xstrdup("Riverside <Tech> & \"Meetups\"");
	free(c->base_url);
	c->base_url = xstrdup("https://meet.example.org");
	free(c->timezone);
	c->timezone = xstrdup(tz);
	free(c->websub_hub);
	c->websub_hub = xstrdup("https://hub.example.org/");
}

static void
quiet_xml(void *ctx, const char *msg, ...)
{
	(void)ctx;
	(void)msg;
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	site(&cfg_utc, "UTC");
	site(&cfg_zoned, "Asia/Shanghai");
	/* The zoned site also keeps raw HTML (the allow-list) and counts
	 * CJK summaries by character. */
	cfg_zoned.unsafe_html = 1;
	cfg_zoned.has_cjk_language = 1;
	calendars = calendar_cache_new();
	icalerror_set_errors_are_fatal(0);
	xmlInitParser();
	return 0;
}

static void
check_xml(const char *what, const char *doc, size_t len)
{
	xmlDocPtr x;

	if (doc == NULL)
		abort();
	if (strlen(doc) != len) {
		fprintf(stderr, "%s: length %zu but a NUL at %zu\n", what, len,
		    strlen(doc));
		abort();
	}
	xmlSetGenericErrorFunc(NULL, quiet_xml);
	x = xmlReadMemory(doc, (int)len, "feed.xml", NULL,
	    XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
	if (x == NULL) {
		const xmlError *e = xmlGetLastError();

		fprintf(stderr, "%s is not well-formed XML: %s(line %d)\n"
		    "----\n%s\n----\n", what, e && e->message ? e->message :
		    "?\n", e ? e->line : 0, doc);
		abort();
	}
	xmlFreeDoc(x);
}

static void
check_json(const char *doc, size_t len)
{
	json_error_t err;
	json_t *o;

	if (doc == NULL || strlen(doc) != len)
		abort();
	if ((o = json_loadb(doc, len, JSON_REJECT_DUPLICATES, &err)) == NULL ||
	    json_array_size(json_object_get(o, "items")) != 2) {
		fprintf(stderr, "JSON Feed is not JSON with 2 items: %s\n----\n"
		    "%s\n----\n", err.text, doc);
		abort();
	}
	json_decref(o);
}

/* An X-LIC-ERROR directly inside c, reported and fatal. */
static void
no_lic_error(icalcomponent *c, const char *doc)
{
	icalproperty *p;

	p = icalcomponent_get_first_property(c, ICAL_XLICERROR_PROPERTY);
	if (p != NULL) {
		fprintf(stderr, "X-LIC-ERROR in %s: %s\n----\n%s\n----\n",
		    icalcomponent_kind_to_string(icalcomponent_isa(c)),
		    icalproperty_get_xlicerror(p), doc);
		abort();
	}
}

/* DTSTART and DTEND of a VEVENT name a real date and time of day. */
static void
valid_times(icalcomponent *ve, const char *doc)
{
	static const icalproperty_kind kinds[] = {
		ICAL_DTSTART_PROPERTY, ICAL_DTEND_PROPERTY
	};
	struct icaltimetype t;
	icalproperty *p;
	size_t i;

	for (i = 0; i < 2; i++) {
		if ((p = icalcomponent_get_first_property(ve, kinds[i])) ==
		    NULL) {
			if (i == 0) {
				fprintf(stderr, "VEVENT without DTSTART\n"
				    "----\n%s\n----\n", doc);
				abort();
			}
			continue;
		}
		t = i == 0 ? icalproperty_get_dtstart(p) :
		    icalproperty_get_dtend(p);
		if (!dates_valid(t.year, t.month, t.day) || (!t.is_date &&
		    (t.hour < 0 || t.hour > 23 || t.minute < 0 ||
		    t.minute > 59 || t.second < 0 || t.second > 60))) {
			fprintf(stderr, "%s is not a real date and time: "
			    "%04d-%02d-%02d %02d:%02d:%02d\n----\n%s\n----\n",
			    icalproperty_kind_to_string(kinds[i]), t.year,
			    t.month, t.day, t.hour, t.minute, t.second, doc);
			abort();
		}
	}
}

static void
check_ical(const char *doc, size_t len)
{
	icalcomponent *root, *c;

	if (doc == NULL)
		abort();
	if (strlen(doc) != len)
		abort();
	root = icalparser_parse_string(doc);
	icalerror_clear_errno();
	if (root == NULL) {
		fprintf(stderr, "calendar does not parse\n----\n%s\n----\n",
		    doc);
		abort();
	}
	if (icalcomponent_isa(root) != ICAL_VCALENDAR_COMPONENT) {
		fprintf(stderr, "calendar root is %s\n",
		    icalcomponent_kind_to_string(icalcomponent_isa(root)));
		abort();
	}
	no_lic_error(root, doc);
	for (c = icalcomponent_get_first_component(root,
	    ICAL_VEVENT_COMPONENT); c != NULL;
	    c = icalcomponent_get_next_component(root, ICAL_VEVENT_COMPONENT)) {
		no_lic_error(c, doc);
		valid_times(c, doc);
	}
	icalcomponent_free(root);
}

/* A few events only: a series may take UPCOMING_STEPS_MAX steps. */
static void
upcoming_check(const struct page *p, const struct config *cfg)
{
	icaltimezone *site = dates_zone_find(cfg->timezone);
	struct occurrence o;
	struct buf b;
	size_t i;
	time_t now = 1796000000;	/* 2026-11-30 */

	buf_init(&b);
	for (i = 0; i < p->nevents && i < 4; i++) {
		if (upcoming_occurrence(&p->events[i], site, now, &o) &&
		    o.end <= now) {
			fprintf(stderr, "an occurrence that ended is next\n");
			abort();
		}
		upcoming_repeats(&b, p->events[i].rrule);
	}
	buf_free(&b);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct config *cfg;
	struct channel ch = { 0 };
	struct ical_event *ies;
	struct page *p;
	const char *path;
	char *doc;
	size_t len, i;

	if (size < 1)
		return 0;
	path = paths[data[0] & 7];
	cfg = (data[0] & 8) ? &cfg_zoned : &cfg_utc;
	data++;
	size--;

	p = page_parse_bundle(cfg, path, (const char *)data, size, 0, files,
	    nitems(files), NULL);
	if (p == NULL)
		abort();
	if (p->image != NULL && strncmp(p->image, "https://", 8) != 0 &&
	    strncmp(p->image, "http://", 7) != 0) {
		fprintf(stderr, "image not a web address: %s\n", p->image);
		abort();
	}
	if (!p->ok) {
		if (diags_count(&p->diags, DIAG_ERROR) == 0) {
			fprintf(stderr, "unusable page with no error\n");
			abort();
		}
		page_free(p);
		return 0;
	}

	memset(&ch, 0, sizeof ch);
	ch.id = "tag:example.org,2000-01-01:/feed.atom";
	ch.title = cfg->title;
	ch.description = p->description ? p->description : "";
	ch.self_url = "https://meet.example.org/feed.atom";
	ch.alternate_url = "https://meet.example.org/";
	ch.hub_url = cfg->websub_hub;

	if (p->kind == PAGE_POST) {
		struct page *const pages[2] = { p, p };

		doc = render_atom(cfg, &ch, pages, 2, &len);
		check_xml("Atom", doc, len);
		free(doc);
		doc = render_rss(cfg, &ch, pages, 2, &len);
		check_xml("RSS", doc, len);
		free(doc);
		doc = render_jsonfeed(cfg, &ch, pages, 2, &len);
		check_json(doc, len);
		free(doc);
		doc = render_html_page(cfg, p, NULL, 0, &len);
		if (doc == NULL || strlen(doc) != len)
			abort();
		free(doc);
	}

	ies = xcalloc(p->nevents + 1, sizeof *ies);
	for (i = 0; i < p->nevents; i++) {
		ies[i].event = &p->events[i];
		ies[i].page = p;
		ies[i].sequence = (int)i;
		ies[i].last_modified = 1588766400 + (time_t)i;
	}
	ch.self_url = "https://meet.example.org/calendar.ics";
	doc = calendar_render(calendars, cfg, &ch, ies, p->nevents, &len);
	check_ical(doc, len);
	free(doc);
	/* One calendar per event, as /events/<uid>.ics. */
	if (p->nevents > 0) {
		ch.title = p->events[0].title;
		ch.description = p->title;
		ch.alternate_url = p->permalink;
		doc = calendar_render(calendars, cfg, &ch, ies, 1, &len);
		check_ical(doc, len);
		free(doc);
	}
	upcoming_check(p, cfg);
	free(ies);
	page_free(p);
	calendar_cache_prune(calendars);	/* as after each rebuild */
	return 0;
}

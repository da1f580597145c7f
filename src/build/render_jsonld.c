/*
 * render_jsonld.c -- schema.org JSON-LD, as search engines read it from
 * the pages people read (Google's event search reads Event items).
 *
 * A post's page carries a BlogPosting and one Event per event of the page;
 * the front page one Event per upcoming event it lists, each with the url
 * of its post.  Not an ItemList: Google's list carousels take courses,
 * films, recipes and restaurants, not events, while its event search takes
 * every Event item on a page that lists events, and wants each on the
 * event's own (leaf) page too -- the post's page, which has it.
 *
 * Nothing is written that crier does not know to be true: no endDate for
 * an event whose end was not written (calendars need the hour crier
 * assumes, search results must not claim it), no organizer unless the
 * page or the site names an author, no place for a stream's URL.  Built
 * with jansson; a script ends at the first "</" in some states, and
 * "<!--<script" moves the parser into one where our own "</script>" no
 * longer ends it, so JSON_ESCAPE_SLASH and every '<' of the text as
 * \u003c (JSON allows '<' only inside strings, where that escape is the
 * same character).  Items are written in one JSON array, each with its
 * @context, so every reader takes them as separate items.
 */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "render_jsonld.h"

#define SCHEMA		"https://schema.org"

static int
web_url(const char *s)
{
	return s != NULL && (str_has_prefix(s, "https://") ||
	    str_has_prefix(s, "http://"));
}

/* Steals v; -1 when v is NULL (jansson failed) or cannot be set. */
static int
put(json_t *o, const char *key, json_t *v)
{
	if (v == NULL)
		return -1;
	return json_object_set_new(o, key, v);
}

/* Text, when there is some. */
static int
put_text(json_t *o, const char *key, const char *s)
{
	if (s == NULL || *s == '\0')
		return 0;
	return put(o, key, json_string(s));
}

static int
put_url(json_t *o, const char *key, const char *s)
{
	return web_url(s) ? put(o, key, json_string(s)) : 0;
}

static json_t *
item(const char *type)
{
	json_t *o = json_object();

	if (o == NULL)
		return NULL;
	if (put_text(o, "@context", SCHEMA) == -1 ||
	    put_text(o, "@type", type) == -1) {
		json_decref(o);
		return NULL;
	}
	return o;
}

/* Appends, stealing v; -1 when v is NULL or cannot be appended. */
static int
append(json_t *a, json_t *v)
{
	if (v == NULL)
		return -1;
	return json_array_append_new(a, v);
}

static json_t *
person(const char *name, const char *url)
{
	json_t *o = json_object();

	if (o == NULL)
		return NULL;
	if (put_text(o, "@type", "Person") == -1 ||
	    put_text(o, "name", name) == -1 || put_url(o, "url", url) == -1) {
		json_decref(o);
		return NULL;
	}
	return o;
}

/* The page's authors, else the site's author when the settings name one
 * (the built-in "crier" names nobody); NULL for none, or on failure. */
static json_t *
authors(const struct config *cfg, const struct page *p, int *err)
{
	json_t *a;
	size_t i;

	if ((p == NULL || p->nauthors == 0) &&
	    config_origin(cfg, "author") == CONFIG_DEFAULT)
		return NULL;
	if ((a = json_array()) == NULL) {
		*err = -1;
		return NULL;
	}
	if (p != NULL && p->nauthors > 0) {
		for (i = 0; i < p->nauthors; i++)
			if (append(a, person(p->authors[i], p->author_urls ?
			    p->author_urls[i] : NULL)) == -1)
				*err = -1;
	} else if (append(a, person(cfg->author, NULL)) == -1)
		*err = -1;
	return a;
}

void
render_jsonld_start(const struct jsonld_event *je, char out[DATE_BUFSIZE])
{
	struct datetime w = *je->start;

	w.has_time = !je->event->all_day;
	dates_format_iso8601_local(&w, je->start_utc, out);
}

int
render_jsonld_end(const struct jsonld_event *je, char out[DATE_BUFSIZE])
{
	struct datetime w = *je->end;
	struct tm tm;
	time_t day;

	if (je->event->end_open)
		return 0;
	w.has_time = !je->event->all_day;
	if (je->event->all_day) {
		/* The exclusive end of calendars; schema.org's is the last
		 * day of the event. */
		day = dates_timegm_utc(w.year, w.month, w.day, 0, 0, 0) - 86400;
		if (gmtime_r(&day, &tm) == NULL)
			return 0;
		w.year = tm.tm_year + 1900;
		w.month = tm.tm_mon + 1;
		w.day = tm.tm_mday;
	}
	dates_format_iso8601_local(&w, je->end_utc, out);
	return 1;
}

/*
 * Where: a written place, and a URL to watch at -- the event's `online`,
 * else a location that is only a URL (a stream written as the place, an
 * imported LOCATION).  A place that is the stream's URL is no place.
 */
static void
event_where(const struct event *e, const char **place, const char **online)
{
	*online = event_online(e);
	*place = e->location;
	if (*place != NULL && web_url(*place)) {
		if (*online == NULL)
			*online = *place;
		*place = NULL;
	}
}

static json_t *
place(const char *name)
{
	json_t *o = json_object();

	if (o == NULL)
		return NULL;
	/* One line of text is what the organizer wrote for where: it names
	 * the place and is its address (Google requires the address). */
	if (put_text(o, "@type", "Place") == -1 ||
	    put_text(o, "name", name) == -1 ||
	    put_text(o, "address", name) == -1) {
		json_decref(o);
		return NULL;
	}
	return o;
}

static json_t *
virtual_location(const char *url)
{
	json_t *o = json_object();

	if (o == NULL)
		return NULL;
	if (put_text(o, "@type", "VirtualLocation") == -1 ||
	    put_text(o, "url", url) == -1) {
		json_decref(o);
		return NULL;
	}
	return o;
}

/* location and eventAttendanceMode; neither when nothing is known. */
static int
put_location(json_t *o, const struct event *e)
{
	const char *where, *online;
	json_t *both;

	event_where(e, &where, &online);
	if (where != NULL && online != NULL) {
		if ((both = json_array()) == NULL)
			return -1;
		if (append(both, place(where)) == -1 ||
		    append(both, virtual_location(online)) == -1) {
			json_decref(both);
			return -1;
		}
		return put_text(o, "eventAttendanceMode", SCHEMA
		    "/MixedEventAttendanceMode") | put(o, "location", both);
	}
	if (where != NULL)
		return put_text(o, "eventAttendanceMode", SCHEMA
		    "/OfflineEventAttendanceMode") |
		    put(o, "location", place(where));
	if (online != NULL)
		return put_text(o, "eventAttendanceMode", SCHEMA
		    "/OnlineEventAttendanceMode") |
		    put(o, "location", virtual_location(online));
	return 0;
}

static json_t *
event_item(const struct config *cfg, const struct jsonld_event *je)
{
	const struct event *e = je->event;
	const struct page *p = je->page;
	char when[DATE_BUFSIZE];
	json_t *o, *who;
	int err = 0;

	if ((o = item("Event")) == NULL)
		return NULL;
	err |= put_text(o, "name", e->title);
	render_jsonld_start(je, when);
	err |= put_text(o, "startDate", when);
	if (render_jsonld_end(je, when))
		err |= put_text(o, "endDate", when);
	err |= put_text(o, "eventStatus", e->cancelled ?
	    SCHEMA "/EventCancelled" : SCHEMA "/EventScheduled");
	err |= put_location(o, e);
	if ((who = authors(cfg, p, &err)) != NULL)
		err |= put(o, "organizer", who);
	/* The event's page: a stream that stands in for its URL in
	 * calendars is its location here, not its page. */
	err |= put_url(o, "url", p != NULL && e->url != NULL &&
	    event_online(e) != NULL && strcmp(e->url, event_online(e)) == 0 ?
	    p->permalink : e->url);
	err |= put_text(o, "description", e->description);
	if (p != NULL)
		err |= put_url(o, "image", p->image);
	if (err != 0) {
		json_decref(o);
		return NULL;
	}
	return o;
}

/* Tags and categories, each once (ignoring ASCII case). */
static json_t *
keywords(const struct page *p)
{
	json_t *a = json_array();
	size_t i;

	if (a == NULL)
		return NULL;
	for (i = 0; i < p->ntags + p->ncategories; i++)
		if (!page_term_repeated(p, i) &&
		    append(a, json_string(page_term(p, i))) == -1) {
			json_decref(a);
			return NULL;
		}
	return a;
}

static json_t *
posting(const struct config *cfg, const struct page *p)
{
	char date[DATE_BUFSIZE];
	json_t *o, *who;
	int err = 0;

	if ((o = item("BlogPosting")) == NULL)
		return NULL;
	err |= put_text(o, "headline", p->title);
	dates_format_rfc3339(p->published, date);
	err |= put_text(o, "datePublished", date);
	dates_format_rfc3339(p->updated, date);
	err |= put_text(o, "dateModified", date);
	if ((who = authors(cfg, p, &err)) != NULL)
		err |= put(o, "author", who);
	err |= put_url(o, "url", p->permalink);
	err |= put_url(o, "image", p->image);
	err |= put_text(o, "description", p->description &&
	    p->description[0] != '\0' ? p->description : p->summary);
	err |= put_text(o, "inLanguage", cfg->language);
	if (p->ntags + p->ncategories > 0)
		err |= put(o, "keywords", keywords(p));
	if (err != 0) {
		json_decref(o);
		return NULL;
	}
	return o;
}

/* The script element holding items, which it frees. */
static void
script(struct buf *b, json_t *items)
{
	char *text, *s;

	text = json_dumps(items, JSON_COMPACT | JSON_ESCAPE_SLASH |
	    JSON_PRESERVE_ORDER);
	json_decref(items);
	if (text == NULL)
		return;
	buf_addstr(b, "<script type=\"application/ld+json\">");
	for (s = text; *s != '\0'; s++) {
		if (*s == '<')
			buf_addstr(b, "\\u003c");
		else
			buf_addc(b, *s);
	}
	buf_addstr(b, "</script>\n");
	free(text);
}

void
render_jsonld_page(struct buf *b, const struct config *cfg,
    const struct page *p)
{
	struct jsonld_event je;
	json_t *items;
	size_t i;

	if ((items = json_array()) == NULL)
		return;
	if (append(items, posting(cfg, p)) == -1) {
		json_decref(items);
		return;
	}
	for (i = 0; i < p->nevents; i++) {
		je.event = &p->events[i];
		je.page = p;
		je.start = &p->events[i].start;
		je.end = &p->events[i].end;
		je.start_utc = p->events[i].start_utc;
		je.end_utc = p->events[i].end_utc;
		if (append(items, event_item(cfg, &je)) == -1) {
			json_decref(items);
			return;
		}
	}
	script(b, items);
}

void
render_jsonld_front(struct buf *b, const struct config *cfg,
    const struct upcoming *u)
{
	struct jsonld_event je;
	json_t *items;
	size_t i;

	if (u == NULL || u->n == 0 || (items = json_array()) == NULL)
		return;
	for (i = 0; i < u->n; i++) {
		je.event = u->items[i].ie->event;
		je.page = u->items[i].ie->page;
		je.start = &u->items[i].start;
		je.end = &u->items[i].end;
		je.start_utc = u->items[i].when.start;
		je.end_utc = u->items[i].when.end;
		if (append(items, event_item(cfg, &je)) == -1) {
			json_decref(items);
			return;
		}
	}
	script(b, items);
}

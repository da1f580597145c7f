/*
 * render_html.c -- HTML5 for people: no external assets, readable on a
 * phone, feeds discoverable by <link rel="alternate">.
 *
 * For each subject (the site, a section, a tag, a category) the front page
 * offers Atom, RSS, JSON Feed, and, when its calendar holds events,
 * webcal:// (calendar apps subscribe), the https calendar, and one-click
 * subscribe links for Google Calendar (cid=) and Outlook (addfromweb):
 * subscribing to a calendar that has never had an event helps nobody; and
 * the OPML list of them all.  Its head makes
 * the site's and the sections' feeds and calendars discoverable, with the
 * same rule.  Text is escaped here with html_text(); attribute values the
 * same way, and URLs are built only from encoded parts.
 *
 * Both kinds of page say what they show for machines too, without a
 * change a person can see: schema.org JSON-LD in the head
 * (render_jsonld.c), and microformats2 classes on the elements shown --
 * h-entry on a post's article, h-event on each event -- with <time
 * datetime> for every date, and the few values not shown (the updated
 * time, the permalink, tags) in empty <time> and <data> elements.  Both
 * take an event's times from render_jsonld.c, so they agree, and neither
 * gives an end that was not written.
 */
#include <stdlib.h>
#include <string.h>

#include "hugo.h"
#include "index.h"
#include "render_html.h"
#include "render_jsonld.h"
#include "urls.h"
#include "utf8.h"


static const char style[] =
	"body{font:16px/1.5 system-ui,sans-serif;max-width:46em;margin:auto;"
	"padding:0 1em;color:#222}h1{font-size:1.6em}h2{font-size:1.25em;"
	"margin-top:2em;border-bottom:1px solid #ddd}a{color:#0645ad}"
	"ul{padding-left:1.2em}li{margin:.3em 0}.subs{display:flex;"
	"flex-wrap:wrap;gap:.1em .8em}.subs a{white-space:nowrap}"
	".meta{color:#666;font-size:.9em}"
	"table{border-collapse:collapse}td,th{border:1px solid #ccc;"
	"padding:.2em .5em}img{max-width:100%}";

static void
html_text(struct buf *b, const char *s)
{
	char *clean = utf8_clean_dup(s ? s : "");
	const char *p;

	for (p = clean; *p != '\0'; p++) {
		switch (*p) {
		case '&': buf_addstr(b, "&amp;"); break;
		case '<': buf_addstr(b, "&lt;"); break;
		case '>': buf_addstr(b, "&gt;"); break;
		case '"': buf_addstr(b, "&quot;"); break;
		case '\'': buf_addstr(b, "&#39;"); break;
		default: buf_addc(b, *p);
		}
	}
	free(clean);
}

/* Percent-encodes a whole URL for use as a query parameter value. */
static void
query_value(struct buf *b, const char *s)
{
	urls_encode_segment(b, s);
}

/* Autodiscovery of one subject's feeds, and of its calendar. */
static void
alternates(struct buf *b, const struct config *cfg, const char *prefix,
    const char *name, int calendar)
{
	static const struct {
		const char	*type, *label;
		enum urls_doc	 doc;
	} docs[] = {
		{ "application/atom+xml", "Atom", URLS_ATOM },
		{ "application/rss+xml", "RSS", URLS_RSS },
		{ "application/feed+json", "JSON Feed", URLS_JSON },
		{ "text/calendar", "iCalendar", URLS_CALENDAR },	/* last */
	};
	struct buf path;
	size_t i;

	buf_init(&path);
	for (i = 0; i < nitems(docs) - (calendar ? 0 : 1); i++) {
		buf_printf(b, "<link rel=\"alternate\" type=\"%s\" title=\"",
		    docs[i].type);
		html_text(b, name);
		buf_printf(b, " (%s)\" href=\"", docs[i].label);
		html_text(b, cfg->base_url);
		buf_reset(&path);
		urls_subject_doc(&path, prefix, docs[i].doc);
		html_text(b, path.data);
		buf_addstr(b, "\">\n");
	}
	buf_free(&path);
}

/* lang: the page's language (xml:lang's value). */
static void
head(struct buf *b, const char *lang, const char *title)
{
	buf_addstr(b, "<!DOCTYPE html>\n<html lang=\"");
	html_text(b, lang);
	buf_addstr(b, "\">\n<head>\n<meta charset=\"utf-8\">\n"
	    "<meta name=\"viewport\" content=\"width=device-width, "
	    "initial-scale=1\">\n<title>");
	html_text(b, title);
	buf_printf(b, "</title>\n<style>%s</style>\n", style);
}

static char *
webcal_url(const char *https_url)
{
	const char *rest = strstr(https_url, "://");

	return xasprintf("webcal%s", rest ? rest : "://");
}

/* Only http(s) and site-relative links: an organizer's `url:` must not
 * become a javascript: link on the front page. */
static int
safe_href(const char *href)
{
	return str_has_prefix(href, "https://") ||
	    str_has_prefix(href, "http://") ||
	    str_has_prefix(href, "webcal://") ||
	    (href[0] == '/' && href[1] != '/');
}

/* A link with microformats classes (NULL: none); a <span> with them
 * when href is not safe. */
static void
classed_link(struct buf *b, const char *classes, const char *href,
    const char *label)
{
	if (!safe_href(href)) {
		if (classes != NULL)
			buf_printf(b, "<span class=\"%s\">", classes);
		html_text(b, label);
		if (classes != NULL)
			buf_addstr(b, "</span>");
		return;
	}
	buf_addstr(b, "<a ");
	if (classes != NULL)
		buf_printf(b, "class=\"%s\" ", classes);
	buf_addstr(b, "href=\"");
	html_text(b, href);
	buf_addstr(b, "\">");
	html_text(b, label);
	buf_addstr(b, "</a>");
}

static void
link(struct buf *b, const char *href, const char *label)
{
	classed_link(b, NULL, href, label);
}

/* A value microformats read that the page does not show. */
static void
hidden_value(struct buf *b, const char *mf_class, const char *value)
{
	buf_printf(b, "<data class=\"%s\" value=\"", mf_class);
	html_text(b, value);
	buf_addstr(b, "\"></data>");
}

/* A calendar's links: webcal, https, Google, Outlook. */
static void
calendar_links(struct buf *b, const struct config *cfg, const char *prefix,
    const char *name)
{
	struct buf u;
	char *cal, *webcal;

	buf_init(&u);
	buf_addstr(&u, cfg->base_url);
	urls_subject_doc(&u, prefix, URLS_CALENDAR);
	cal = buf_steal(&u);
	webcal = webcal_url(cal);
	buf_init(&u);
	link(b, webcal, "Calendar (webcal)");
	link(b, cal, "Calendar (https)");
	buf_addstr(&u, "https://calendar.google.com/calendar/render?cid=");
	query_value(&u, webcal);
	link(b, u.data, "Google Calendar");
	buf_reset(&u);
	buf_addstr(&u, "https://outlook.live.com/calendar/0/addfromweb?url=");
	query_value(&u, cal);
	buf_addstr(&u, "&name=");
	query_value(&u, name);
	link(b, u.data, "Outlook");
	buf_free(&u);
	free(cal);
	free(webcal);
}

/* One subject's links: Atom, RSS, JSON Feed, and its calendar's when it
 * has one. */
static void
subscribe_links(struct buf *b, const struct config *cfg, const char *prefix,
    const char *name, int calendar)
{
	struct buf u;

	buf_init(&u);
	buf_addstr(b, "<span class=\"subs\">");
	buf_addstr(&u, cfg->base_url);
	urls_subject_doc(&u, prefix, URLS_ATOM);
	link(b, u.data, "Atom");
	buf_reset(&u);
	buf_addstr(&u, cfg->base_url);
	urls_subject_doc(&u, prefix, URLS_RSS);
	link(b, u.data, "RSS");
	buf_reset(&u);
	buf_addstr(&u, cfg->base_url);
	urls_subject_doc(&u, prefix, URLS_JSON);
	link(b, u.data, "JSON Feed");
	if (calendar)
		calendar_links(b, cfg, prefix, name);
	buf_addstr(b, "</span>");
	buf_free(&u);
}

static int
by_key(const void *a, const void *b)
{
	const struct subject *x = *(struct subject *const *)a;
	const struct subject *y = *(struct subject *const *)b;

	return strcmp(x->key, y->key);
}

/* Subjects sorted by key: the page must not depend on the order in which
 * pages happened to arrive.  Freed by the caller. */
static const struct subject **
sorted_subjects(const struct dict *d, size_t *n)
{
	const struct subject **list;
	size_t i;
	void *v;

	*n = 0;
	list = xcalloc(d->live ? d->live : 1, sizeof *list);
	for (i = 0; dict_next(d, &i, NULL, &v); )
		list[(*n)++] = v;
	util_sort(list, *n, sizeof *list, by_key);
	return list;
}

static void
subject_list(struct buf *b, const struct config *cfg, const char *heading,
    const struct dict *d)
{
	const struct subject **list;
	size_t i, n;

	if (d->live == 0)
		return;
	list = sorted_subjects(d, &n);
	buf_addstr(b, "<h2>");
	html_text(b, heading);
	buf_addstr(b, "</h2>\n<ul>\n");
	for (i = 0; i < n; i++) {
		const struct subject *g = list[i];

		buf_addstr(b, "<li><strong>");
		html_text(b, index_subject_name(g));
		buf_printf(b, "</strong> <span class=\"meta\">%zu post%s, %zu "
		    "event%s</span><br>", g->npages, g->npages == 1 ? "" : "s",
		    g->nevents, g->nevents == 1 ? "" : "s");
		subscribe_links(b, cfg, g->prefix, index_subject_name(g),
		    g->nevents > 0);
		buf_addstr(b, "</li>\n");
	}
	buf_addstr(b, "</ul>\n");
	free(list);
}

/*
 * The wall clock of the occurrence shown, as dt-start and dt-end: an end
 * that was not written is shown (calendars keep it) but not marked, and
 * an all-day event's last day, not shown, is an empty <time>.
 */
static void
event_when(struct buf *b, const struct jsonld_event *je)
{
	const struct event *e = je->event;
	const struct datetime *start = je->start, *end = je->end;
	char iso[DATE_BUFSIZE];
	int end_known;

	render_jsonld_start(je, iso);
	buf_printf(b, "<time class=\"dt-start\" datetime=\"%s\">"
	    "%04d-%02d-%02d", iso, start->year, start->month, start->day);
	if (!e->all_day)
		buf_printf(b, " %02d:%02d", start->hour, start->minute);
	buf_addstr(b, "</time>");
	end_known = render_jsonld_end(je, iso);
	if (e->all_day) {
		if (end_known)
			buf_printf(b, "<time class=\"dt-end\" datetime=\"%s\">"
			    "</time>", iso);
		return;
	}
	buf_addstr(b, "–");
	if (end_known)
		buf_printf(b, "<time class=\"dt-end\" datetime=\"%s\">"
		    "%02d:%02d</time>", iso, end->hour, end->minute);
	else
		buf_printf(b, "%02d:%02d", end->hour, end->minute);
	buf_printf(b, " %s", e->tzid ? e->tzid : "UTC");
}

static void
event_item(struct buf *b, const struct config *cfg,
    const struct jsonld_event *je)
{
	const struct event *e = je->event;
	struct buf u;

	buf_init(&u);
	buf_addstr(b, "<li class=\"h-event\">");
	event_when(b, je);
	buf_addstr(b, " — ");
	if (e->url != NULL)
		classed_link(b, "p-name u-url", e->url, e->title);
	else
		classed_link(b, "p-name", "", e->title);
	if (e->cancelled)
		buf_addstr(b, " <strong>(cancelled)</strong>");
	upcoming_repeats(&u, e->rrule);
	if (u.len > 0) {
		buf_addstr(b, " <span class=\"meta\">");
		html_text(b, u.data);
		buf_addstr(b, "</span>");
	}
	buf_reset(&u);
	if (e->location != NULL) {
		buf_addstr(b, " <span class=\"meta p-location\">");
		html_text(b, e->location);
		buf_addstr(b, "</span>");
	}
	buf_addstr(&u, cfg->base_url);
	urls_event_ics(&u, e->uid);
	buf_addstr(b, " <span class=\"subs\">");
	link(b, u.data, "add to calendar");
	buf_addstr(b, "</span></li>\n");
	buf_free(&u);
}

/* Each event or series at its next occurrence not ended (upcoming.c). */
static void
upcoming(struct buf *b, const struct config *cfg, const struct html_index *ix)
{
	const struct upcoming *u = ix->upcoming;
	struct jsonld_event je;
	size_t i;

	buf_addstr(b, "<h2>Upcoming events</h2>\n<ul>\n");
	for (i = 0; u != NULL && i < u->n; i++) {
		je.event = u->items[i].ie->event;
		je.page = u->items[i].ie->page;
		je.start = &u->items[i].start;
		je.end = &u->items[i].end;
		je.start_utc = u->items[i].when.start;
		je.end_utc = u->items[i].when.end;
		event_item(b, cfg, &je);
	}
	if (u == NULL || u->n == 0)
		buf_addstr(b, "<li>None scheduled.</li>\n");
	buf_addstr(b, "</ul>\n");
}

static void
recent_posts(struct buf *b, const struct html_index *ix)
{
	size_t i;

	buf_addstr(b, "<h2>Recent posts</h2>\n<ul>\n");
	for (i = 0; i < ix->nsite_pages && i < RECENT_MAX; i++) {
		const struct page *p = ix->site_pages[i];
		char date[DATE_BUFSIZE];

		dates_format_rfc3339(p->published, date);
		date[10] = '\0';
		buf_addstr(b, "<li>");
		link(b, p->permalink, p->title);
		buf_printf(b, " <span class=\"meta\">%s</span></li>\n", date);
	}
	buf_addstr(b, "</ul>\n");
}

/* The site's feeds and calendar, and each section's: sections are few,
 * while a site can have hundreds of tags (the page lists those). */
static void
front_alternates(struct buf *b, const struct config *cfg,
    const struct html_index *ix)
{
	const struct subject **list;
	size_t i, n;
	char *name;

	alternates(b, cfg, "", cfg->title, ix->nsite_events > 0);
	list = sorted_subjects(ix->sections, &n);
	for (i = 0; i < n; i++) {
		name = xasprintf("%s: %s", cfg->title,
		    index_subject_name(list[i]));
		alternates(b, cfg, list[i]->prefix, name, list[i]->nevents > 0);
		free(name);
	}
	free(list);
}

char *
render_html_index(const struct config *cfg, const struct html_index *ix,
    size_t *len)
{
	struct buf b;
	char *opml;

	buf_init(&b);
	head(&b, cfg->language, cfg->title);
	front_alternates(&b, cfg, ix);
	render_jsonld_front(&b, cfg, ix->upcoming);
	buf_addstr(&b, "</head>\n<body>\n<h1>");
	html_text(&b, cfg->title);
	buf_addstr(&b, "</h1>\n");
	if (cfg->description[0] != '\0') {
		buf_addstr(&b, "<p>");
		html_text(&b, cfg->description);
		buf_addstr(&b, "</p>\n");
	}
	buf_addstr(&b, "<h2>Subscribe</h2>\n<p>Everything: ");
	subscribe_links(&b, cfg, "", cfg->title, ix->nsite_events > 0);
	buf_addstr(&b, "</p>\n<p>Every feed and calendar, for a feed reader "
	    "to import: ");
	opml = xasprintf("%s%s", cfg->base_url, URLS_OPML);
	link(&b, opml, "OPML");
	free(opml);
	buf_addstr(&b, "</p>\n");
	upcoming(&b, cfg, ix);
	recent_posts(&b, ix);
	subject_list(&b, cfg, "Sections", ix->sections);
	subject_list(&b, cfg, "Tags", ix->tags);
	subject_list(&b, cfg, "Categories", ix->categories);
	if (ix->terms != NULL)
		subject_list(&b, cfg, "Other taxonomies", ix->terms);
	buf_addstr(&b, "<p class=\"meta\">Calendar apps refresh "
	    "subscriptions on their own schedule (Google: every 8 to 24 "
	    "hours). <a href=\"" URLS_STATUS "\">Status</a></p>\n</body>\n"
	    "</html>\n");
	*len = b.len;
	return buf_steal(&b);
}

/* The post's authors as h-cards: names shown, their links not. */
static void
entry_authors(struct buf *b, const struct page *p)
{
	size_t i;

	for (i = 0; i < p->nauthors; i++) {
		buf_addstr(b, i == 0 ? " · " : ", ");
		buf_addstr(b, "<span class=\"p-author h-card\"><span "
		    "class=\"p-name\">");
		html_text(b, p->authors[i]);
		buf_addstr(b, "</span>");
		if (p->author_urls != NULL && p->author_urls[i] != NULL &&
		    safe_href(p->author_urls[i]))
			hidden_value(b, "u-url", p->author_urls[i]);
		buf_addstr(b, "</span>");
	}
}

/* The h-entry's values the page does not show. */
static void
entry_hidden(struct buf *b, const struct page *p)
{
	char date[DATE_BUFSIZE];
	size_t i;

	dates_format_rfc3339(p->updated, date);
	buf_printf(b, "<time class=\"dt-updated\" datetime=\"%s\"></time>",
	    date);
	hidden_value(b, "u-url", p->permalink);
	for (i = 0; i < p->ntags + p->ncategories; i++)
		if (!page_term_repeated(p, i))
			hidden_value(b, "p-category", page_term(p, i));
}

/*
 * Every language the post is in, itself included (Google's rule for
 * hreflang: each page of the set lists them all), by language key: the
 * same links, in the same order, on each of its pages.
 */
static void
translation_alternates(struct buf *b, const struct page *p,
    struct page *const *translations, size_t n)
{
	const struct page *q;
	size_t i;
	int self = 0;

	if (n == 0 || p->lang == NULL)
		return;
	for (i = 0; i < n || !self; ) {
		if (!self && (i == n ||
		    strcmp(p->lang_key, translations[i]->lang_key) < 0)) {
			q = p;
			self = 1;
		} else
			q = translations[i++];
		buf_addstr(b, "<link rel=\"alternate\" hreflang=\"");
		html_text(b, q->lang);
		buf_addstr(b, "\" href=\"");
		html_text(b, q->permalink);
		buf_addstr(b, "\">\n");
	}
}

/* "Also in: 中文, fr": each translation by its language's languageName,
 * else its key. */
static void
translation_links(struct buf *b, const struct config *cfg,
    struct page *const *translations, size_t n)
{
	const struct hugo_language *l;
	size_t i;

	if (n == 0)
		return;
	buf_addstr(b, "<p class=\"meta\">Also in: ");
	for (i = 0; i < n; i++) {
		const struct page *q = translations[i];

		l = hugo_language_named(cfg->hugo, q->lang_key);
		if (i > 0)
			buf_addstr(b, ", ");
		buf_addstr(b, "<a rel=\"alternate\" hreflang=\"");
		html_text(b, q->lang);
		buf_addstr(b, "\" lang=\"");
		html_text(b, q->lang);
		buf_addstr(b, "\" href=\"");
		html_text(b, q->permalink);
		buf_addstr(b, "\">");
		html_text(b, l != NULL && l->name != NULL ? l->name :
		    q->lang_key);
		buf_addstr(b, "</a>");
	}
	buf_addstr(b, "</p>\n");
}

char *
render_html_page(const struct config *cfg, const struct page *p,
    struct page *const *translations, size_t ntranslations, size_t *len)
{
	struct buf b;
	struct jsonld_event je;
	char date[DATE_BUFSIZE];
	size_t i;

	buf_init(&b);
	/* The body and the rest (head, JSON-LD, events): one allocation. */
	buf_reserve(&b, (p->html ? strlen(p->html) : 0) + 6144);
	head(&b, p->lang ? p->lang : cfg->language, p->title);
	alternates(&b, cfg, "", cfg->title, 0);
	translation_alternates(&b, p, translations, ntranslations);
	render_jsonld_page(&b, cfg, p);
	buf_addstr(&b, "</head>\n<body>\n<p class=\"meta\"><a href=\"/\">");
	html_text(&b, cfg->title);
	buf_addstr(&b, "</a></p>\n<article class=\"h-entry\">\n"
	    "<h1 class=\"p-name\">");
	html_text(&b, p->title);
	dates_format_rfc3339(p->published, date);
	buf_printf(&b, "</h1>\n<p class=\"meta\"><time class=\"dt-published\" "
	    "datetime=\"%s\">%.10s</time>", date, date);
	entry_authors(&b, p);
	entry_hidden(&b, p);
	buf_addstr(&b, "</p>\n");
	translation_links(&b, cfg, translations, ntranslations);
	if (p->image != NULL && safe_href(p->image)) {
		buf_addstr(&b, "<p><img class=\"u-photo\" src=\"");
		html_text(&b, p->image);
		buf_addstr(&b, "\" alt=\"\"></p>\n");
	}
	if (p->nevents > 0) {
		buf_addstr(&b, "<ul>\n");
		for (i = 0; i < p->nevents; i++) {
			je.event = &p->events[i];
			je.page = p;
			je.start = &p->events[i].start;
			je.end = &p->events[i].end;
			je.start_utc = p->events[i].start_utc;
			je.end_utc = p->events[i].end_utc;
			event_item(&b, cfg, &je);
		}
		buf_addstr(&b, "</ul>\n");
	}
	buf_addstr(&b, "<div class=\"e-content\">");
	buf_addstr(&b, p->html ? p->html : "");	/* md4c output, escaped */
	buf_addstr(&b, "</div>\n</article>\n</body>\n</html>\n");
	*len = b.len;
	return buf_steal(&b);
}

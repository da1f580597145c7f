/*
 * render_jsonfeed.c -- JSON Feed 1.1 (https://www.jsonfeed.org/version/1.1/).
 *
 * The same entries as the Atom feed, with the same ids, dates and text:
 * each string passes utf8_clean_dup() as the XML writers' do, so a title
 * reads the same in every format.  Every byte of JSON is jansson's
 * (json_dumps with JSON_FLAGS, fixed, so equal input gives equal bytes);
 * nothing is escaped here.
 *
 * The feed is stitched like the XML ones (render.h): the head is the
 * top-level object dumped with an empty "items" array, cut before the
 * array's closing "]}"; each item is its own dump opening with ",\n",
 * which the first item goes without; the tail closes the array and the
 * object.  One item per line keeps the document readable.  The top-level
 * authors apply to items that name none (JSON Feed 1.1, "authors").
 */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "log.h"
#include "render.h"
#include "utf8.h"
#include "util.h"

#define JSONFEED_VERSION "https://jsonfeed.org/version/1.1"
#define JSON_FLAGS	(JSON_COMPACT | JSON_PRESERVE_ORDER)
#define ITEMS_OPEN	"\"items\":[]}"		/* how the head's dump ends */
#define SEPARATOR	",\n"

/* Sets o[key] to v, taking v; *failed once anything could not be made. */
static void
put(json_t *o, const char *key, json_t *v, int *failed)
{
	if (v == NULL || json_object_set_new(o, key, v) == -1)
		*failed = 1;
}

/* A string cleaned as the XML writers clean theirs (valid UTF-8). */
static json_t *
string(const char *s)
{
	char *clean = utf8_clean_dup(s != NULL ? s : "");
	json_t *v = json_string(clean);

	free(clean);
	return v;
}

static json_t *
date(time_t t)
{
	char text[DATE_BUFSIZE];

	dates_format_rfc3339(t, text);
	return json_string(text);
}

static void
append(json_t *a, json_t *v, int *failed)
{
	if (v == NULL || json_array_append_new(a, v) == -1)
		*failed = 1;
}

static json_t *
author(const char *name, const char *url, int *failed)
{
	json_t *o = json_object();

	if (o == NULL) {
		*failed = 1;
		return NULL;
	}
	put(o, "name", string(name), failed);
	if (url != NULL && url[0] != '\0')
		put(o, "url", string(url), failed);
	return o;
}

/* The page's enclosures whose media type is known: JSON Feed requires
 * mime_type (as RSS requires type); a size only when it is known. */
static void
attachments(json_t *o, const struct page *p, int *failed)
{
	const struct enclosure *e;
	json_t *a = NULL, *v;
	size_t i;

	for (i = 0; i < p->nenclosures; i++) {
		e = &p->enclosures[i];
		if (e->type == NULL)
			continue;
		if (a == NULL)
			put(o, "attachments", a = json_array(), failed);
		if (a == NULL || (v = json_object()) == NULL) {
			*failed = 1;
			return;
		}
		put(v, "url", string(e->url), failed);
		put(v, "mime_type", string(e->type), failed);
		if (e->length >= 0)
			put(v, "size_in_bytes", json_integer(e->length),
			    failed);
		append(a, v, failed);
	}
}

static json_t *
item(const struct page *p, int *failed)
{
	json_t *o = json_object(), *a;
	size_t i;

	if (o == NULL) {
		*failed = 1;
		return NULL;
	}
	put(o, "id", string(p->id), failed);
	put(o, "url", string(p->permalink), failed);
	put(o, "title", string(p->title), failed);
	put(o, "content_html", string(p->html), failed);
	if (p->summary != NULL && p->summary[0] != '\0')
		put(o, "summary", string(p->summary), failed);
	if (p->image != NULL)
		put(o, "image", string(p->image), failed);
	put(o, "date_published", date(p->published), failed);
	put(o, "date_modified", date(p->updated), failed);
	if (p->nauthors > 0) {
		put(o, "authors", a = json_array(), failed);
		for (i = 0; a != NULL && i < p->nauthors; i++)
			append(a, author(p->authors[i], p->author_urls ?
			    p->author_urls[i] : NULL, failed), failed);
	}
	attachments(o, p, failed);
	/* Tags, then categories, each term once, as Atom's categories. */
	if (p->ntags + p->ncategories > 0) {
		put(o, "tags", a = json_array(), failed);
		for (i = 0; a != NULL && i < p->ntags + p->ncategories; i++)
			if (!page_term_repeated(p, i))
				append(a, string(page_term(p, i)), failed);
	}
	return o;
}

/* o dumped, or NULL (logged); o is released either way. */
static char *
dump(json_t *o, int failed)
{
	char *text = NULL;

	if (o != NULL && !failed)
		text = json_dumps(o, JSON_FLAGS);
	json_decref(o);
	if (text == NULL)
		log_error("JSON Feed writer failed; the previous document is "
		    "kept");
	return text;
}

static char *
jsonfeed_head(const struct config *cfg, const struct channel *ch,
    struct page *const *pages, size_t npages, size_t *len)
{
	json_t *o = json_object(), *a, *hub;
	int failed = o == NULL;
	size_t n, open = strlen(ITEMS_OPEN);
	struct buf head;
	char *text;

	(void)pages;
	(void)npages;
	if (o != NULL) {
		put(o, "version", json_string(JSONFEED_VERSION), &failed);
		put(o, "title", string(ch->title), &failed);
		put(o, "home_page_url", string(ch->alternate_url), &failed);
		put(o, "feed_url", string(ch->self_url), &failed);
		if (ch->description != NULL && ch->description[0] != '\0')
			put(o, "description", string(ch->description),
			    &failed);
		put(o, "language", string(ch->language ? ch->language :
		    cfg->language), &failed);
		if (cfg->author[0] != '\0') {
			put(o, "authors", a = json_array(), &failed);
			if (a != NULL)
				append(a, author(cfg->author, NULL, &failed),
				    &failed);
		}
		if (ch->hub_url != NULL) {
			put(o, "hubs", a = json_array(), &failed);
			if ((hub = json_object()) == NULL)
				failed = 1;
			else {
				put(hub, "type", json_string("WebSub"),
				    &failed);
				put(hub, "url", string(ch->hub_url), &failed);
			}
			if (a != NULL)
				append(a, hub, &failed);
			else
				json_decref(hub);
		}
		/* The history pages (RFC 5005's prev-archive): older items. */
		if (ch->prev_archive_url != NULL)
			put(o, "next_url", string(ch->prev_archive_url),
			    &failed);
		put(o, "items", json_array(), &failed);
	}
	if ((text = dump(o, failed)) == NULL)
		return NULL;
	/* Cut before the empty array's "]}": the items follow. */
	n = strlen(text);
	if (n < open || strcmp(text + n - open, ITEMS_OPEN) != 0) {
		log_error("JSON Feed writer: unexpected head");
		free(text);
		return NULL;
	}
	buf_init(&head);
	buf_add(&head, text, n - 2);
	buf_addc(&head, '\n');
	free(text);
	*len = head.len;
	return buf_steal(&head);
}

static char *
jsonfeed_entry(const struct page *p, struct page *const *translations,
    size_t ntranslations, size_t *len)
{
	int failed = 0;
	json_t *o = item(p, &failed);
	char *text, *entry;

	(void)translations;	/* JSON Feed 1.1 has no field for them */
	(void)ntranslations;
	if ((text = dump(o, failed)) == NULL)
		return NULL;
	entry = xasprintf("%s%s", SEPARATOR, text);
	free(text);
	*len = strlen(entry);
	return entry;
}

const struct feed_writer jsonfeed_writer = {
	jsonfeed_head, jsonfeed_entry, "\n]}\n", sizeof SEPARATOR - 1
};

char *
render_jsonfeed(const struct config *cfg, const struct channel *ch,
    struct page *const *pages, size_t npages, size_t *len)
{
	return render_feed(&jsonfeed_writer, cfg, ch, pages, npages, len);
}

/*
 * page.c -- one content file to one struct page.
 *
 * The flow: bytes -> front matter (frontmatter.c) -> Hugo's keys read into
 * typed fields, each problem a diagnostic with its line -> body to HTML
 * and text (markdown.c) -> events from the front matter and from the
 * written schedule (schedule.c), each with its zone resolved here.  A .ics
 * file goes to ics.c instead.  Nothing here looks at the clock: whether a
 * page is visible "now" is page_visible()'s question, asked by the caller.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "dict.h"
#include "emoji.h"
#include "frontmatter.h"
#include "hugo.h"
#include "ics.h"
#include "image.h"
#include "markdown.h"
#include "mdtext.h"
#include "page.h"
#include "schedule.h"
#include "shortcode.h"
#include "summary.h"
#include "text.h"
#include "urlize.h"
#include "urls.h"
#include "utf8.h"
#include "util.h"

#define MAX_LIST	200	/* tags, categories, authors per page */
#define MAX_LINE	65536	/* bytes in one line of a content file */

/* What page parsing carries from step to step. */
struct page_reader {
	const struct config	*cfg;
	struct page		*page;
	struct frontmatter	 fm;
	icaltimezone		*zone;		/* the page's zone */
	time_t			 mtime;		/* the file's; 0: unknown */
	struct datetime		 date;		/* the page's own date */
	int			 date_known;
	char			*file_slug;	/* from a dated file name */
	char			*lang_path;	/* relpath without language */
	const char		*lang_prefix;	/* "/zh" or "" */
	char			 lang_buf[64];
	const struct bundle_file *files;	/* beside a bundle's index */
	size_t			 nfiles;
	const struct cascade	*inherited;	/* from the branches above */
	struct dict		 event_keys;	/* for unique anchors */
};

/* A string value, or NULL; numbers are accepted as text. */
static const char *
fm_text(const struct frontmatter *fm, json_t *obj, const char *key)
{
	json_t *v = json_object_get(obj, key);

	(void)fm;
	if (json_is_string(v))
		return json_string_value(v);
	return NULL;
}

static char *
clean_or_null(const char *s)
{
	char *t;

	if (s == NULL)
		return NULL;
	t = utf8_clean_dup(s);
	if (*str_trim(t) == '\0') {
		free(t);
		return NULL;
	}
	memmove(t, str_trim(t), strlen(str_trim(t)) + 1);
	return t;
}

static int
fm_bool(struct page_reader *r, const char *key)
{
	json_t *v = json_object_get(r->fm.values, key);

	if (v == NULL || json_is_null(v))
		return 0;
	if (json_is_boolean(v))
		return json_is_true(v);
	diags_add(&r->page->diags, DIAG_WARNING, frontmatter_line(&r->fm, key),
	    "'%s' should be true or false; taken as false", key);
	return 0;
}

/*
 * Hugo's `headless: true` (a bundle Hugo does not publish) and
 * `_build` (0.111's spelling; `build` is later Hugo's): `render: never`
 * leaves a page without a page to link to, so no document of crier's
 * shows it; `list: never` keeps it out of every list, so of every feed
 * and calendar, while its own page is still published at its URL, as
 * Hugo's is.  `list: local` keeps it out of the site's own lists (Hugo's
 * .Site.RegularPages: the site's feeds and calendar), not its section's
 * nor its terms'.
 */
static void
read_build(struct page_reader *r)
{
	json_t *b = json_object_get(r->fm.values, "_build"), *v;
	const char *key = "_build";

	if (b == NULL) {
		b = json_object_get(r->fm.values, "build");
		key = "build";
	}
	r->page->unlisted = fm_bool(r, "headless");
	if (b == NULL)
		return;
	if (!json_is_object(b)) {
		diags_add(&r->page->diags, DIAG_WARNING, frontmatter_line(&r->fm, key),
		    "'%s' should be a table (list, render, "
		    "publishResources); ignored", key);
		return;
	}
	v = json_object_get(b, "list");
	if (json_is_string(v) && strcmp(json_string_value(v), "never") == 0)
		r->page->list_never = 1;
	if (json_is_false(v))	/* Hugo's older boolean form */
		r->page->list_never = 1;
	if (json_is_string(v) && strcmp(json_string_value(v), "local") == 0)
		r->page->list_local = 1;
	v = json_object_get(b, "render");
	if ((json_is_string(v) && strcmp(json_string_value(v), "never") == 0)
	    || json_is_false(v))
		r->page->unlisted = 1;
	if (json_is_false(json_object_get(b, "publishResources")))
		r->page->publish_resources = 0;
}

static void read_list(struct page_reader *, const char *, char ***,
	    size_t *);
static void free_list(char **, size_t);

/*
 * A Hugo site's `taxonomies`: each one's plural is the front-matter key
 * (series = ["Build Log"]).  A site that writes taxonomies without
 * tags (or categories) has none, as in Hugo: those keys are ignored.
 */
static void
read_taxonomies(struct page_reader *r)
{
	const struct hugo_site *site = r->cfg->hugo;
	struct page *p = r->page;
	char **names;
	size_t i, k, n;
	int tags = 0, categories = 0;

	if (site == NULL || site->ntaxonomies == 0)
		return;
	for (i = 0; i < site->ntaxonomies; i++) {
		const char *plural = site->taxonomies[i].plural;

		if (strcmp(plural, "tags") == 0 || strcmp(plural,
		    "categories") == 0) {
			tags |= strcmp(plural, "tags") == 0;
			categories |= strcmp(plural, "categories") == 0;
			continue;
		}
		names = NULL;
		n = 0;
		read_list(r, plural, &names, &n);
		for (k = 0; k < n; k++) {
			p->terms = xreallocarray(p->terms, p->nterms + 1,
			    sizeof *p->terms);
			p->term_taxonomies = xreallocarray(p->term_taxonomies,
			    p->nterms + 1, sizeof *p->term_taxonomies);
			p->terms[p->nterms] = names[k];
			p->term_taxonomies[p->nterms++] = xstrdup(plural);
		}
		free(names);
	}
	if (!tags) {
		free_list(p->tags, p->ntags);
		p->tags = NULL;
		p->ntags = 0;
	}
	if (!categories) {
		free_list(p->categories, p->ncategories);
		p->categories = NULL;
		p->ncategories = 0;
	}
}

/* Appends the strings of a string or list value to *list. */
static void
read_list(struct page_reader *r, const char *key, char ***list, size_t *n)
{
	json_t *v = json_object_get(r->fm.values, key), *item;
	size_t i;
	char *s;

	if (json_is_string(v)) {
		if ((s = clean_or_null(json_string_value(v))) == NULL)
			return;
		*list = xreallocarray(*list, *n + 1, sizeof **list);
		(*list)[(*n)++] = s;
		return;
	}
	if (v != NULL && !json_is_array(v) && !json_is_null(v)) {
		diags_add(&r->page->diags, DIAG_WARNING, frontmatter_line(&r->fm, key),
		    "'%s' should be a list of strings", key);
		return;
	}
	json_array_foreach(v, i, item) {
		if (*n >= MAX_LIST)
			break;
		if (!json_is_string(item) ||
		    (s = clean_or_null(json_string_value(item))) == NULL)
			continue;
		*list = xreallocarray(*list, *n + 1, sizeof **list);
		(*list)[(*n)++] = s;
	}
}

/* The last second of the years dates_valid takes. */
#define UNIX_DATE_MAX	253402300799LL	/* 9999-12-31T23:59:59Z */

/* Parses a date value; a bad one is an error naming the key's line.  A
 * number is seconds since 1970, as Hugo reads it. */
static int
read_date(struct page_reader *r, const char *key, struct datetime *dt)
{
	json_t *v = json_object_get(r->fm.values, key);
	int rc = DATETIME_BAD;

	if (v == NULL || json_is_null(v))
		return 0;
	if (json_is_integer(v) && json_integer_value(v) >= 0 &&
	    json_integer_value(v) <= UNIX_DATE_MAX) {
		dates_from_utc((time_t)json_integer_value(v), NULL, dt);
		return 1;
	}
	if (json_is_string(v) &&
	    (rc = dates_parse(json_string_value(v), dt)) == 0)
		return 1;
	if (rc == DATETIME_NO_DAY)
		diags_add(&r->page->diags, DIAG_ERROR, frontmatter_line(&r->fm, key),
		    "'%s': '%s' is a time of day without a date (Hugo would "
		    "date it in the year 0); write the date too, such as "
		    "2026-12-03T19:00:00+01:00", key, json_string_value(v));
	else
		diags_add(&r->page->diags, DIAG_ERROR, frontmatter_line(&r->fm, key),
		    "'%s': '%s' is not a date (use 2026-12-03, 2026-12-03 "
		    "19:00, RFC 3339 such as 2026-12-03T19:00:00+01:00, or "
		    "another form Hugo reads, such as RFC 1123 \"Thu, 03 Dec "
		    "2026 19:00:00 +0100\")", key, json_is_string(v) ?
		    json_string_value(v) : "(not text)");
	return -1;
}

/* "[Name](https://…)" is how Hugo sites often write an author. */
static void
add_author(struct page *p, const char *written)
{
	char *name = clean_or_null(written), *url = NULL, *close, *end;

	if (name == NULL)
		return;
	if (name[0] == '[' && (close = strstr(name, "](")) != NULL &&
	    (end = strchr(close, ')')) != NULL && end[1] == '\0') {
		*end = '\0';
		url = xstrdup(close + 2);
		*close = '\0';
		memmove(name, name + 1, strlen(name));
	}
	p->authors = xreallocarray(p->authors, p->nauthors + 1, sizeof(char *));
	p->author_urls = xreallocarray(p->author_urls, p->nauthors + 1,
	    sizeof(char *));
	p->authors[p->nauthors] = name;
	p->author_urls[p->nauthors++] = url;
}

static void
read_authors(struct page_reader *r)
{
	char **names = NULL;
	size_t n = 0, i;

	read_list(r, "authors", &names, &n);
	if (n == 0)
		read_list(r, "author", &names, &n);
	for (i = 0; i < n; i++) {
		add_author(r->page, names[i]);
		free(names[i]);
	}
	free(names);
}

static void
read_zone(struct page_reader *r)
{
	const char *name = fm_text(&r->fm, r->fm.values, "timezone");

	r->zone = NULL;
	if (name != NULL && (r->zone = dates_zone_find(name)) == NULL)
		diags_add(&r->page->diags, DIAG_ERROR, frontmatter_line(&r->fm,
		    "timezone"), "timezone '%s' is not a known IANA time zone "
		    "(such as Europe/Berlin); using %s", name,
		    r->cfg->timezone);
	if (r->zone != NULL)
		r->page->timezone = xstrdup(name);
	else {
		r->zone = dates_zone_find(r->cfg->timezone);
		r->page->timezone = xstrdup(r->cfg->timezone);
	}
}

/* Day of the year, 1 for 1 January. */
static int
yearday_of(int year, int month, int day)
{
	static const int before[] = { 0, 31, 59, 90, 120, 151, 181, 212, 243,
		273, 304, 334 };
	int leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;

	return before[month - 1] + day + (leap && month > 2);
}

/* A Hugo site's URL for the page (urls_hugo_page): its section's
 * `permalinks` pattern, lower case unless disablePathToLower. */
static char *
hugo_url(struct page_reader *r, const char *relpath, const char *slug)
{
	const struct hugo_site *site = r->cfg->hugo;
	struct urls_hugo_page in;
	struct datetime d = r->date;

	if (!r->date_known)
		dates_from_utc(r->page->published, r->zone, &d);
	memset(&in, 0, sizeof in);
	in.relpath = relpath;
	in.section = r->page->section;
	in.slug = slug;
	in.title = fm_text(&r->fm, r->fm.values, "title");
	/* Hugo keys permalinks by lower-cased section names, and matches
	 * them as written: "Posts/" has none. */
	in.pattern = r->page->section[0] != '\0' ?
	    hugo_permalink_pattern(site, r->page->section) : NULL;
	in.year = d.year;
	in.month = d.month;
	in.day = d.day;
	in.weekday = dates_valid(d.year, d.month, d.day) ?
	    dates_weekday(d.year, d.month, d.day) : 0;
	in.yearday = dates_valid(d.year, d.month, d.day) ?
	    yearday_of(d.year, d.month, d.day) : 1;
	in.post = r->page->kind == PAGE_POST;
	in.keep_case = site->disable_path_to_lower == 1;
	in.ugly = site->ugly_urls == 1;
	return urls_hugo_page(&in);
}

/*
 * Hugo makes a section's URL from its folder's name urlized, lower case
 * unless disablePathToLower: the list page of Guides/ is /guides/, and
 * crier's feeds of that section sit beside it (/guides/feed.atom).
 */
static void
make_section_prefix(struct page_reader *r)
{
	struct page *p = r->page;
	char *name;
	struct buf b;

	if (p->section[0] == '\0')
		return;
	name = urlize_hugo(p->section, r->cfg->hugo->disable_path_to_lower ==
	    1);
	buf_init(&b);
	buf_addstr(&b, r->lang_prefix ? r->lang_prefix : "");
	buf_addc(&b, '/');
	urls_encode_segment(&b, name);
	p->section_prefix = buf_steal(&b);
	free(name);
}

/*
 * The folder part of the path, and the slug, make the URL path
 * (urls_page: a bundle's slug renames its folder, as in Hugo); with a
 * Hugo site, Hugo's rules make it (hugo_url).
 */
static void
make_url(struct page_reader *r, const char *relpath)
{
	const char *url = fm_text(&r->fm, r->fm.values, "url");
	const char *slug = fm_text(&r->fm, r->fm.values, "slug");
	int hugo = r->cfg->hugo != NULL;

	if (url != NULL && (r->page->url_path = hugo ? urls_hugo_url(url) :
	    urls_page_url(url)) == NULL)
		diags_add(&r->page->diags, DIAG_WARNING, frontmatter_line(&r->fm, "url"),
		    "'url' must be a path such as /events/spring/; ignored");
	if (slug == NULL)
		slug = r->file_slug;
	if (r->page->url_path == NULL && hugo && r->lang_path != NULL) {
		char *bare = hugo_url(r, r->lang_path, slug);

		r->page->url_path = xasprintf("%s%s", r->lang_prefix, bare);
		free(bare);
	} else if (r->page->url_path == NULL)
		r->page->url_path = hugo ? hugo_url(r, relpath, slug) :
		    urls_page(relpath, slug, r->page->kind == PAGE_POST);
	r->page->permalink = xasprintf("%s%s", r->cfg->base_url,
	    r->page->url_path);
	if (hugo)
		make_section_prefix(r);
}

/* RFC 4151: tag:authority,date:specific, fixed at first publication.  The
 * date is the page's own, as written (or, with none, published's day). */
static void
make_id(struct page_reader *r)
{
	struct page *p = r->page;
	char day[DATE_BUFSIZE];

	if (r->date_known)
		snprintf(day, sizeof day, "%04d-%02d-%02d", r->date.year,
		    r->date.month, r->date.day);
	else {
		dates_format_rfc3339(p->published, day);
		day[10] = '\0';
	}
	p->id = urls_entry_id(r->cfg->id_authority, day, p->url_path);
}

/* A date key as written: got is 1 (parsed), 0 (absent) or -1 (bad). */
struct written_date {
	int		 got;
	struct datetime	 dt;
	int		 line;
};

static void
read_written(struct page_reader *r, const char *key, struct written_date *w)
{
	w->got = read_date(r, key, &w->dt);
	w->line = frontmatter_line(&r->fm, key);
}

static time_t
written_time(struct page_reader *r, const struct written_date *w)
{
	return w->got == 1 ? dates_to_utc(&w->dt, r->zone) : 0;
}

/*
 * Hugo's :filename: a file name (a bundle's folder name) that starts with
 * YYYY-MM-DD gives the date, and the rest of the name, trimmed of " -_",
 * the slug.  Like Hugo, it drops what follows the name's last dot twice
 * for a file (its extension, then a ".v2"), once for a folder.
 */
static int
file_name_date(const char *relpath, struct datetime *dt, char **slug)
{
	const char *base = strrchr(relpath, '/'), *start, *rest, *last;
	char head[11], *name, *dot;
	int found = 0;

	base = base ? base + 1 : relpath;
	if (urls_bundle_index(base)) {
		if (base == relpath)
			return 0;
		for (start = base - 1; start > relpath && start[-1] != '/';
		    start--)
			;
		name = xstrndup(start, (size_t)(base - 1 - start));
	} else {
		name = xstrdup(base);
		if ((dot = strrchr(name, '.')) != NULL)
			*dot = '\0';
	}
	if ((dot = strrchr(name, '.')) != NULL)
		*dot = '\0';
	*slug = NULL;
	if (strlen(name) >= 10) {
		memcpy(head, name, 10);
		head[10] = '\0';
		found = dates_parse(head, dt) == 0 && !dt->has_time;
	}
	if (found) {
		for (rest = name + 10; *rest != '\0' && strchr(" -_", *rest);
		    rest++)
			;
		for (last = rest + strlen(rest); last > rest &&
		    strchr(" -_", last[-1]); last--)
			;
		if (last > rest)
			*slug = xstrndup(rest, (size_t)(last - rest));
	}
	free(name);
	return found;
}

/* Hugo's :fileModTime, where the caller read one. */
static int
date_from_mtime(struct page_reader *r)
{
	struct page *p = r->page;

	if (r->mtime <= 0)
		return 0;
	dates_from_utc(r->mtime, r->zone, &r->date);
	r->date_known = 1;
	/* The page now depends on more than its bytes. */
	p->hash = page_inputs_hash(p->hash, r->mtime);
	p->content_hash = p->hash ^ hash64(p->path, strlen(p->path));
	return 1;
}

/* What a post without a date, publishDate or lastmod is dated by. */
static void
date_from_file(struct page_reader *r)
{
	struct page *p = r->page;
	char when[DATE_BUFSIZE];
	char *slug;

	if (file_name_date(p->path, &r->date, &slug)) {
		r->date_known = 1;
		if (json_object_get(r->fm.values, "slug") == NULL)
			r->file_slug = slug;
		else
			free(slug);
		diags_add(&p->diags, DIAG_WARNING, 1, "no 'date': using the "
		    "file name's date %04d-%02d-%02d%s%s%s", r->date.year,
		    r->date.month, r->date.day, r->file_slug ? ", and '" : "",
		    r->file_slug ? r->file_slug : "", r->file_slug ?
		    "' as the slug" : "");
		return;
	}
	if (date_from_mtime(r)) {
		dates_format_rfc3339(r->mtime, when);
		diags_add(&p->diags, DIAG_WARNING, 1, "no 'date': using the "
		    "file's modification time %s, which a copy or checkout "
		    "changes; add a date", when);
		return;
	}
	diags_add(&p->diags, DIAG_WARNING, 1, "no 'date', and no date in the "
	    "file name nor a modification time: listed as published on "
	    "1970-01-01; add a date");
}


static void
date_from_name(struct page_reader *r)
{
	char *slug;

	if (!file_name_date(r->page->path, &r->date, &slug))
		return;
	r->date_known = 1;
	if (json_object_get(r->fm.values, "slug") == NULL && r->file_slug ==
	    NULL)
		r->file_slug = slug;
	else
		free(slug);
}

static void
date_from_key(struct page_reader *r, const char *key)
{
	struct written_date w;

	read_written(r, key, &w);
	if (w.got == 1) {
		r->date = w.dt;
		r->date_known = 1;
	}
}

/*
 * A Hugo site's `frontmatter.date`, in its order: the first entry that
 * gives a date wins, as Hugo's date handlers do -- a front-matter key
 * ("lastmod"), ":default" (date, publishDate, lastmod), ":filename" (the
 * file name's date, which also gives the slug), ":fileModTime".  ":git"
 * gives none (crier reads no git history; the site report says so).
 * Returns 0 when the site sets no such list.
 */
static int
date_by_site_order(struct page_reader *r)
{
	static const char *const defaults[] = { "date", "publishDate",
		"lastmod" };
	const struct hugo_site *site = r->cfg->hugo;
	const char *f;
	size_t i, k;

	if (site == NULL || site->ndate_fallbacks == 0)
		return 0;
	for (i = 0; i < site->ndate_fallbacks && !r->date_known; i++) {
		f = site->date_fallbacks[i];
		if (strcasecmp(f, ":filename") == 0)
			date_from_name(r);
		else if (strcasecmp(f, ":fileModTime") == 0)
			(void)date_from_mtime(r);
		else if (strcasecmp(f, ":default") == 0)
			for (k = 0; k < 3 && !r->date_known; k++)
				date_from_key(r, defaults[k]);
		else if (f[0] != ':')
			date_from_key(r, f);
	}
	return 1;
}

/*
 * Hugo's default front-matter dates: the date is date, else publishDate,
 * else lastmod (then, for a post, the file name's date and the file's
 * modification time, Hugo's :filename and :fileModTime); it is published
 * from publishDate, else date (none: at once); lastmod is when it changed.
 */
static void
read_dates(struct page_reader *r)
{
	static const char *const keys[] = { "publishDate", "lastmod" };
	struct page *p = r->page;
	struct written_date date, fallback[2];
	time_t lastmod;
	size_t i;

	read_written(r, "date", &date);
	read_written(r, keys[0], &fallback[0]);
	read_written(r, keys[1], &fallback[1]);
	if (p->kind == PAGE_POST && date_by_site_order(r) && !r->date_known)
		diags_add(&p->diags, DIAG_WARNING, 1, "none of the site's "
		    "frontmatter.date gives a date");
	if (date.got == 1 && !r->date_known) {
		r->date = date.dt;
		r->date_known = 1;
	}
	for (i = 0; i < 2 && !r->date_known; i++) {
		if (fallback[i].got != 1)
			continue;
		r->date = fallback[i].dt;
		r->date_known = 1;
		if (p->kind == PAGE_POST)
			diags_add(&p->diags, DIAG_WARNING, fallback[i].line,
			    "no 'date': using '%s' (line %d), as Hugo does",
			    keys[i], fallback[i].line);
	}
	if (!r->date_known && p->kind == PAGE_POST)
		date_from_file(r);
	if (r->date_known) {
		p->has_date = 1;
		p->published = dates_to_utc(&r->date, r->zone);
	}
	p->publish_at = fallback[0].got == 1 ? written_time(r, &fallback[0]) :
	    date.got == 1 ? p->published : 0;
	read_written(r, "expiryDate", &date);
	p->expire_at = written_time(r, &date);
	lastmod = written_time(r, &fallback[1]);
	p->updated = lastmod > p->published ? lastmod : p->published;
}

/* Whether Hugo counts this post's summary in characters. */
static int
counts_cjk(struct page_reader *r)
{
	json_t *v = json_object_get(r->fm.values, "isCJKLanguage");

	if (json_is_boolean(v))
		return json_is_true(v);
	return r->cfg->has_cjk_language &&
	    summary_has_cjk(r->fm.body, r->fm.body_len);
}

/* Hugo's order (summary.c), with crier's use of the description when
 * no summary is written: the text before <!--more-->, the written
 * summary or description, else summary_length words of the text.
 * Returns 1 when the summary is made from the text. */
static int
read_summary(struct page_reader *r, const struct prepared_body *body)
{
	const char *written = fm_text(&r->fm, r->fm.values, "summary");
	char *text, *s;

	if (written == NULL)
		written = fm_text(&r->fm, r->fm.values, "description");
	if (!body->divided && written != NULL &&
	    (r->page->summary = clean_or_null(written)))
		return 0;
	/* Only now: a second Markdown pass, wasted when one is written. */
	text = mdtext_from_markdown(body->text, body->text_len);
	r->page->summary = summary_from_text(text, body->divided ? 0 :
	    r->cfg->summary_length, counts_cjk(r));
	free(text);
	for (s = r->page->summary; *s != '\0'; s++)
		if (*s == '\n')
			*s = ' ';
	return 1;
}

/* The page's image, from its keys or its bundle's files (image.c):
 * read_build has said whether the files are served. */
static void
read_image(struct page_reader *r)
{
	struct image_source s = { r->cfg, &r->fm, r->page->permalink,
	    r->page->url_path, r->files, r->nfiles,
	    r->page->publish_resources };

	r->page->image = image_read(&s, &r->page->diags);
}

static void
read_fields(struct page_reader *r)
{
	struct page *p = r->page;

	p->title = clean_or_null(fm_text(&r->fm, r->fm.values, "title"));
	if (p->title == NULL && p->kind == PAGE_POST)
		diags_add(&p->diags, DIAG_WARNING, 1, "no 'title': the file "
		    "name is used");
	p->description = clean_or_null(fm_text(&r->fm, r->fm.values,
	    "description"));
	p->location = clean_or_null(fm_text(&r->fm, r->fm.values, "location"));
	p->draft = fm_bool(r, "draft");
	read_build(r);
	read_authors(r);
	read_list(r, "tags", &p->tags, &p->ntags);
	read_list(r, "categories", &p->categories, &p->ncategories);
	read_taxonomies(r);
	read_list(r, "aliases", &p->aliases, &p->naliases);
	read_image(r);
}

/* --- events -------------------------------------------------------- */

static struct event *
new_event(struct page_reader *r, int line)
{
	struct page *p = r->page;

	if ((int)p->nevents >= r->cfg->max_events_per_page) {
		if ((int)p->nevents == r->cfg->max_events_per_page)
			diags_add(&p->diags, DIAG_WARNING, line, "more than %d "
			    "events (max_events_per_page); the rest are "
			    "ignored", r->cfg->max_events_per_page);
		return NULL;
	}
	p->events = xreallocarray(p->events, p->nevents + 1, sizeof *p->events);
	memset(&p->events[p->nevents], 0, sizeof *p->events);
	p->events[p->nevents].line = line;
	return &p->events[p->nevents++];
}

static void
drop_last_event(struct page *p)
{
	event_clear(&p->events[--p->nevents]);
}

/* A unique key from a wished one: "talk", "talk-1", "talk-2", ... */
static char *
unique_key(struct page_reader *r, const char *wish)
{
	char *key = xstrdup(wish);
	int n = 0;

	while (dict_get(&r->event_keys, key) != NULL) {
		free(key);
		key = xasprintf("%s-%d", wish, ++n);
	}
	dict_set(&r->event_keys, key, (void *)1);
	return key;
}

/* Shifts a wall-clock time by seconds, keeping it a plain datetime. */
static void
datetime_add(struct datetime *dt, long long seconds)
{
	time_t t = dates_timegm_utc(dt->year, dt->month, dt->day, dt->hour,
	    dt->minute, dt->second) + seconds;
	struct tm tm;

	if (gmtime_r(&t, &tm) == NULL)
		return;
	dt->year = tm.tm_year + 1900;
	dt->month = tm.tm_mon + 1;
	dt->day = tm.tm_mday;
	dt->hour = tm.tm_hour;
	dt->minute = tm.tm_min;
	dt->second = tm.tm_sec;
}

/* Sets start_utc/end_utc; with a fixed offset, rewrites times as UTC. */
static void
event_settle(struct event *e, icaltimezone *zone, int fixed_offset,
    int use_fixed)
{
	if (e->all_day) {
		e->start_utc = dates_timegm_utc(e->start.year, e->start.month,
		    e->start.day, 0, 0, 0);
		e->end_utc = dates_timegm_utc(e->end.year, e->end.month, e->end.day,
		    0, 0, 0);
		return;
	}
	if (use_fixed) {
		datetime_add(&e->start, -(long long)fixed_offset);
		datetime_add(&e->end, -(long long)fixed_offset);
		zone = NULL;
	}
	e->start_utc = dates_to_utc(&e->start, zone);
	e->end_utc = dates_to_utc(&e->end, zone);
	free(e->tzid);
	e->tzid = NULL;
	if (zone != NULL && zone != icaltimezone_get_utc_timezone())
		e->tzid = xstrdup(icaltimezone_get_location(zone));
}

static int
event_years_ok(struct page *p, const struct event *e)
{
	if (e->start.year >= EVENT_YEAR_MIN && e->end.year <= EVENT_YEAR_MAX)
		return 0;
	diags_add(&p->diags, DIAG_ERROR, e->line, "event '%s': the year %d is "
	    "outside %d to %d", e->title, e->start.year < EVENT_YEAR_MIN ?
	    e->start.year : e->end.year, EVENT_YEAR_MIN, EVENT_YEAR_MAX);
	return -1;
}

/* "1h", "90m", "1h30m", "2d" or ISO 8601 "PT1H30M". */
static long long
parse_duration(const char *s)
{
	struct icaldurationtype d;
	long long total = 0, n;
	char *end;

	if (s[0] == 'P' || s[0] == '-' || s[0] == '+') {
		d = icaldurationtype_from_string(s);
		if (icaldurationtype_is_bad_duration(d))
			return -1;
		return icaldurationtype_as_int(d);
	}
	while (*s != '\0') {
		n = strtoll(s, &end, 10);
		if (end == s || n < 0 || n > 100000)
			return -1;
		switch (*end) {
		case 'd': total += n * 86400; break;
		case 'h': total += n * 3600; break;
		case 'm': total += n * 60; break;
		case 's': total += n; break;
		default: return -1;
		}
		s = end + 1;
		while (*s == ' ')
			s++;
	}
	return total;
}

/* Reads start/end/duration of a front-matter event object. */
static int
read_event_times(struct page_reader *r, json_t *obj, const char *path,
    struct event *e)
{
	const char *start = fm_text(&r->fm, obj, "start");
	const char *end = fm_text(&r->fm, obj, "end");
	const char *duration = fm_text(&r->fm, obj, "duration");
	char *where = xasprintf("%s/start", path);
	int line = frontmatter_line(&r->fm, where);
	long long seconds = -1;

	free(where);
	if (line == 0)
		line = e->line;
	if (start == NULL || dates_parse(start, &e->start) != 0) {
		diags_add(&r->page->diags, DIAG_ERROR, line, "event '%s': "
		    "'start' %s%s%s is not a date or date and time", e->title,
		    start ? "'" : "is missing", start ? start : "",
		    start ? "'" : "");
		return -1;
	}
	e->all_day = !e->start.has_time;
	if (end != NULL && dates_parse(end, &e->end) != 0) {
		diags_add(&r->page->diags, DIAG_ERROR, line, "event '%s': "
		    "'end' '%s' is not a date or date and time", e->title, end);
		return -1;
	}
	if (end == NULL) {
		if (duration != NULL && (seconds = parse_duration(duration)) < 0)
			diags_add(&r->page->diags, DIAG_WARNING, line, "event "
			    "'%s': duration '%s' not understood (use 1h, 90m "
			    "or PT1H30M); one %s is assumed", e->title,
			    duration, e->all_day ? "day" : "hour");
		if (seconds < 0) {
			seconds = e->all_day ? 86400 : 3600;
			e->end_open = 1;
		}
		e->end = e->start;
		datetime_add(&e->end, seconds);
	} else if (e->all_day && !e->end.has_time)
		datetime_add(&e->end, 86400);	/* written inclusive */
	if (e->start.has_offset && !e->all_day) {
		/* An explicit offset: keep the instant, write it as UTC. */
		int offset = e->start.offset;

		datetime_add(&e->start, -(long long)offset);
		if (end != NULL && e->end.has_offset)
			offset = e->end.offset;
		datetime_add(&e->end, -(long long)offset);
		e->start.has_offset = e->end.has_offset = 0;
		event_settle(e, NULL, 0, 0);
	} else
		event_settle(e, r->zone, 0, 0);
	if (e->end_utc <= e->start_utc) {
		diags_add(&r->page->diags, DIAG_ERROR, line, "event '%s' ends "
		    "before it starts", e->title);
		return -1;
	}
	return event_years_ok(r->page, e);
}

static void
read_event_rrule(struct page_reader *r, json_t *obj, struct event *e)
{
	const char *rrule = fm_text(&r->fm, obj, "rrule");
	struct icalrecurrencetype rt;

	if (rrule == NULL)
		return;
	if (str_has_prefix(rrule, "RRULE:"))
		rrule += 6;
	rt = icalrecurrencetype_from_string(rrule);
	icalerror_clear_errno();
	if (rt.freq == ICAL_NO_RECURRENCE) {
		diags_add(&r->page->diags, DIAG_WARNING, e->line, "event '%s': "
		    "rrule '%s' is not an RFC 5545 rule (such as "
		    "FREQ=WEEKLY;COUNT=4); the event is not repeated",
		    e->title, rrule);
		return;
	}
	e->rrule = utf8_clean_dup(rrule);
}

/*
 * The `online:` (or `stream:`) address of an object of the front matter,
 * cleaned; NULL when none or not a web address (said once, with line).
 */
static char *
fm_online(struct page_reader *r, json_t *obj, int line)
{
	const char *key = "online", *s = fm_text(&r->fm, obj, key);

	if (s == NULL)
		s = fm_text(&r->fm, obj, key = "stream");
	if (s == NULL)
		return NULL;
	if (!str_has_prefix(s, "https://") && !str_has_prefix(s, "http://")) {
		diags_add(&r->page->diags, DIAG_WARNING, line, "'%s' must be "
		    "an http:// or https:// address; it is ignored", key);
		return NULL;
	}
	return clean_or_null(s);
}

/* A CONFERENCE to watch at url, named after its service when known. */
static void
add_online(struct event *e, const char *url)
{
	event_add_conference(e, url, "VIDEO",
	    schedule_meeting_service(url));
}

/* An entry of `events:` with an address of its own; the page's come in
 * finish_events. */
static void
read_event_online(struct page_reader *r, json_t *obj, struct event *e)
{
	char *url;

	if (obj == r->fm.values)
		return;
	if ((url = fm_online(r, obj, e->line)) != NULL)
		add_online(e, url);
	free(url);
}

/* An entry of `events:` with an image of its own, absolute as the
 * page's (image.c); another scheme is a warning. */
static void
read_event_image(struct page_reader *r, json_t *obj, struct event *e)
{
	char *image = obj != r->fm.values ?
	    clean_or_null(fm_text(&r->fm, obj, "image")) : NULL;

	if (image == NULL)
		return;
	e->image = image_url(r->cfg, r->page->permalink, image);
	if (e->image == NULL)
		diags_add(&r->page->diags, DIAG_WARNING, e->line, "event "
		    "'%s': image %s is not an http(s) URL nor a path; the "
		    "page's is used", e->title, image);
	free(image);
}

static void
fill_event_text(struct page_reader *r, json_t *obj, struct event *e)
{
	const char *s;

	e->title = clean_or_null(fm_text(&r->fm, obj, "title"));
	if (e->title == NULL)
		e->title = xstrdup(r->page->title ? r->page->title : r->page->path);
	e->description = clean_or_null(fm_text(&r->fm, obj, "description"));
	read_event_online(r, obj, e);
	e->location = clean_or_null(fm_text(&r->fm, obj, "location"));
	/* As in a written schedule: the event's own stream, with no place
	 * of its own, is where it is -- not the page's place. */
	if (e->location == NULL && e->nconferences > 0)
		e->location = xstrdup(e->conferences[0].uri);
	if (e->location == NULL && r->page->location != NULL)
		e->location = xstrdup(r->page->location);
	e->organizer = clean_or_null(fm_text(&r->fm, obj, "organizer"));
	if (e->organizer == NULL)
		e->organizer = clean_or_null(fm_text(&r->fm, r->fm.values,
		    "organizer"));
	/* In the one-event shorthand, `url` is the page's own path. */
	s = obj != r->fm.values ? fm_text(&r->fm, obj, "url") : NULL;
	if (s != NULL && !str_has_prefix(s, "https://") &&
	    !str_has_prefix(s, "http://")) {
		diags_add(&r->page->diags, DIAG_WARNING, e->line, "event '%s': "
		    "url must be an http:// or https:// address; the page's "
		    "is used", e->title);
		s = NULL;
	}
	/* Without one, finish_events gives it its online address or the
	 * page's. */
	e->url = s ? clean_or_null(s) : NULL;
	read_event_image(r, obj, e);
	e->cancelled = json_is_true(json_object_get(obj, "cancelled")) ||
	    json_is_true(json_object_get(obj, "canceled"));
}

/* One event from a front-matter object; path names it for line numbers. */
static void
read_one_event(struct page_reader *r, json_t *obj, const char *path)
{
	struct event *e;
	const char *uid = fm_text(&r->fm, obj, "uid");
	char *key, *wish;

	if ((e = new_event(r, frontmatter_line(&r->fm, path))) == NULL)
		return;
	if (e->line == 0)
		e->line = frontmatter_line(&r->fm, "start");
	fill_event_text(r, obj, e);
	if (read_event_times(r, obj, path, e) == -1) {
		drop_last_event(r->page);
		return;
	}
	read_event_rrule(r, obj, e);
	wish = fm_text(&r->fm, obj, "id") ? xstrdup(fm_text(&r->fm, obj, "id"))
	    : mdtext_anchor(e->title);
	key = unique_key(r, wish);
	free(wish);
	e->anchor = xstrdup("");
	e->uid = uid ? utf8_clean_dup(uid) : event_uid(r->cfg, r->page->path,
	    key);
	free(key);
	e->hash = event_hash(e);
}

static void
read_frontmatter_events(struct page_reader *r)
{
	json_t *events = json_object_get(r->fm.values, "events"), *item;
	char *path;
	size_t i;

	if (events != NULL && !json_is_array(events)) {
		diags_add(&r->page->diags, DIAG_ERROR, frontmatter_line(&r->fm,
		    "events"), "'events' must be a list of events");
		return;
	}
	json_array_foreach(events, i, item) {
		path = xasprintf("events/%zu", i);
		if (json_is_object(item))
			read_one_event(r, item, path);
		else
			diags_add(&r->page->diags, DIAG_ERROR, frontmatter_line(&r->fm,
			    path), "each entry of 'events' must be a mapping "
			    "with title, start, end, ...");
		free(path);
	}
	/* The one-event shorthand: start/end at the top level. */
	if (json_object_get(r->fm.values, "start") != NULL)
		read_one_event(r, r->fm.values, "start");
}

/*
 * The zone of a written schedule: the page's timezone; else the default
 * zone when the page's date agrees with it; else the date's fixed offset.
 */
static int
schedule_zone(struct page_reader *r, icaltimezone **zone, int *offset)
{
	*zone = r->zone;
	*offset = 0;
	if (json_object_get(r->fm.values, "timezone") != NULL ||
	    !r->date_known || !r->date.has_offset)
		return 0;
	if (dates_zone_offset_at(r->zone, &r->date) == r->date.offset)
		return 0;
	*offset = r->date.offset;
	return 1;
}

/* permalink#anchor, the anchor percent-encoded to stay a valid URI. */
static char *
fragment_url(const char *permalink, const char *anchor)
{
	struct buf b;

	buf_init(&b);
	buf_printf(&b, "%s#", permalink);
	urls_encode_segment(&b, anchor);
	return buf_steal(&b);
}

/*
 * Whether the page's HTML has a heading with this id, as markdown.c
 * wrote it: an event's link must land on something ("#schedule" for a
 * schedule above every heading, or a heading schedule.c saw that md4c
 * did not, would not).  Text cannot hold "<h2 id=": '<' is escaped.
 */
static int
html_has_heading_id(const char *html, const char *id)
{
	const char *p = html;
	size_t n = strlen(id);

	if (html == NULL || strpbrk(id, "&<>\"") != NULL)
		return 0;
	while ((p = strstr(p, "<h")) != NULL) {
		p += 2;
		if (*p >= '1' && *p <= '6' && strncmp(p + 1, " id=\"", 5) == 0 &&
		    strncmp(p + 6, id, n) == 0 && p[6 + n] == '"')
			return 1;
	}
	return 0;
}

/*
 * A written zone ("19:00 (GMT+8)") that the page's zone has then keeps
 * that zone; another becomes UTC times, as a fixed offset in `date` does.
 */
static void
settle_schedule_event(struct event *e, icaltimezone *zone, int offset,
    int fixed)
{
	if (e->start.has_offset) {
		offset = e->start.offset;
		e->start.has_offset = e->end.has_offset = 0;
		fixed = dates_zone_offset_at(zone, &e->start) != offset;
	}
	event_settle(e, zone, offset, fixed);
}

/*
 * What every event of the page shares, once all are read: the page's
 * online address (its front matter's, else one written outside every
 * event's section) for those without their own, as LOCATION too when
 * they have no place, and as URL when none was written (else the page);
 * the page's image.  Then each event's hash, of all of it.  Returns the
 * page's online address (to be freed), or NULL.
 */
static char *
finish_events(struct page_reader *r, const char *body_online)
{
	struct page *p = r->page;
	struct event *e;
	char *online;
	size_t i;

	online = fm_online(r, r->fm.values, frontmatter_line(&r->fm, "online") ?
	    frontmatter_line(&r->fm, "online") : frontmatter_line(&r->fm, "stream"));
	if (online == NULL && body_online != NULL)
		online = xstrdup(body_online);
	for (i = 0; i < p->nevents; i++) {
		e = &p->events[i];
		if (e->nconferences == 0 && online != NULL)
			add_online(e, online);
		if (e->location == NULL && e->nconferences > 0)
			e->location = xstrdup(e->conferences[0].uri);
		if (e->url == NULL)
			e->url = xstrdup(e->nconferences > 0 ?
			    e->conferences[0].uri : p->permalink);
		if (e->image == NULL && p->image != NULL)
			e->image = xstrdup(p->image);
		e->hash = event_hash(e);
	}
	return online;
}

/* The written schedule's events, then finish_events (whose result it
 * returns). */
static char *
read_schedule_events(struct page_reader *r)
{
	struct frontmatter *fm = &r->fm;
	struct schedule sched;
	struct event *e;
	icaltimezone *zone;
	size_t i;
	int offset, fixed;
	char *key, *online;

	schedule_extract(fm->body, fm->body_len, fm->body_line,
	    r->date_known ? r->date.year : 2000, &sched, &r->page->diags);
	fixed = schedule_zone(r, &zone, &offset);
	for (i = 0; i < sched.nitems; i++) {
		struct schedule_item *it = &sched.items[i];

		if ((e = new_event(r, it->line)) == NULL)
			break;
		e->title = xstrdup(it->title ? it->title :
		    r->page->title ? r->page->title : r->page->path);
		e->description = it->description ? xstrdup(it->description) :
		    NULL;
		/* A stream's URL is the place: Google and Outlook drop URL
		 * but show LOCATION, and make a link of it. */
		e->location = it->location ? xstrdup(it->location) :
		    it->online_url ? xstrdup(it->online_url) :
		    r->page->location ? xstrdup(r->page->location) : NULL;
		e->end_open = it->open;
		e->organizer = clean_or_null(fm_text(fm, fm->values,
		    "organizer"));
		if (it->online_url != NULL)
			add_online(e, it->online_url);
		key = unique_key(r, it->anchor ? it->anchor : "schedule");
		if (it->anchor != NULL &&
		    html_has_heading_id(r->page->html, it->anchor)) {
			e->anchor = xstrdup(it->anchor);
			e->url = fragment_url(r->page->permalink, it->anchor);
		} else {
			e->anchor = xstrdup("");
			e->url = xstrdup(r->page->permalink);
		}
		e->uid = event_uid(r->cfg, r->page->path, key);
		free(key);
		e->start = it->start;
		e->end = it->end;
		settle_schedule_event(e, zone, offset, fixed);
		if (event_years_ok(r->page, e) == -1) {
			drop_last_event(r->page);
			continue;
		}
	}
	online = finish_events(r, sched.online_url);
	schedule_free(&sched);
	return online;
}

/*
 * Feed readers show the summary: say when and where each event is.  The
 * page's online address, the same for every event, is not repeated on
 * each line (online: the page's, or NULL).
 */
static void
summarize_events(struct page *p, const char *online)
{
	struct buf b;
	size_t i;

	if (p->nevents == 0)
		return;
	buf_init(&b);
	buf_addstr(&b, p->summary);
	for (i = 0; i < p->nevents && i < 10; i++) {
		const struct event *e = &p->events[i];

		buf_printf(&b, "%s%s%s: %04d-%02d-%02d", b.len ? "\n" : "",
		    e->cancelled ? "(cancelled) " : "", e->title, e->start.year,
		    e->start.month, e->start.day);
		if (!e->all_day)
			buf_printf(&b, " %02d:%02d–%02d:%02d %s", e->start.hour,
			    e->start.minute, e->end.hour, e->end.minute,
			    e->tzid ? e->tzid : "UTC");
		if (e->location != NULL && (online == NULL ||
		    strcmp(e->location, online) != 0))
			buf_printf(&b, ", %s", e->location);
	}
	if (p->nevents > 10)
		buf_printf(&b, "\n… and %zu more events", p->nevents - 10);
	free(p->summary);
	p->summary = buf_steal(&b);
}

/* --- the whole page ------------------------------------------------ */

static enum page_kind
kind_of(const char *relpath)
{
	const char *base = strrchr(relpath, '/');

	base = base ? base + 1 : relpath;
	if (str_has_suffix(relpath, ".ics"))
		return PAGE_CALENDAR_FILE;
	/* A list page's text, never an entry; only SECTION/_index.md names
	 * a section (index.c), as crier's sections are the top folders. */
	if (cascade_is_branch(relpath))	/* _index.md, _index.zh.md */
		return PAGE_SECTION_INDEX;
	return PAGE_POST;
}

/* The text is clean (text.c); a line this long is an attack or junk. */
static int
check_lines(struct page *p, const char *data, size_t len)
{
	const char *nl, *end = data + len;
	int line = 1;

	for (; data < end; data = nl + 1, line++) {
		nl = memchr(data, '\n', (size_t)(end - data));
		if (nl == NULL)
			nl = end;
		if ((size_t)(nl - data) > MAX_LINE) {
			diags_add(&p->diags, DIAG_ERROR, line, "line %d is "
			    "longer than %d bytes", line, MAX_LINE);
			return -1;
		}
	}
	return 0;
}

static void
read_body(struct page_reader *r)
{
	struct page *p = r->page;
	struct shortcode_env env = { r->cfg->base_url, r->fm.values,
	    r->fm.body_line, markdown_render_plain };
	struct prepared_body body;
	int from_text;

	shortcode_prepare(&body, r->fm.body, r->fm.body_len, &env, &p->diags);
	p->html = markdown_render(body.markdown, body.len, p->permalink,
	    r->cfg->unsafe_html, &body.sc);
	from_text = read_summary(r, &body);
	if (r->cfg->enable_emoji) {
		/* Hugo's order: on the rendered content, code included, and
		 * so on a summary made from it (not on a written one). */
		p->html = emoji_string(p->html);
		if (from_text)
			p->summary = emoji_string(p->summary);
	}
	shortcode_prepared_free(&body);
}

/*
 * Hugo's multilingual mode: the page's language by contentDir or file
 * suffix (hugo_language_of); its section and URL are made from the path
 * without them, under the language's prefix, as Hugo's are.
 */
static void
read_language(struct page_reader *r)
{
	struct page *p = r->page;
	const struct hugo_language *l;
	const char *key, *slash;

	l = hugo_language_of(r->cfg->hugo, p->path, &r->lang_path);
	if (l == NULL)
		return;
	p->lang_key = xstrdup(l->key);
	p->lang = xstrdup(l->language_code ? l->language_code : l->key);
	r->lang_prefix = hugo_language_prefix(r->cfg->hugo, l, r->lang_buf,
	    sizeof r->lang_buf);
	key = fm_text(&r->fm, r->fm.values, "translationKey");
	p->translation_key = xstrdup(key ? key : r->lang_path);
	if (r->lang_prefix[0] != '\0')
		p->lang_dir = xstrdup(r->lang_prefix + 1);
	slash = strchr(r->lang_path, '/');
	free(p->section);
	p->section = slash ? xstrndup(r->lang_path,
	    (size_t)(slash - r->lang_path)) : xstrdup("");
}

/*
 * What the branches above hand down (cascade.c), before any key is read:
 * a cascaded `_build` or `tags` is read as if the page wrote it.  A
 * branch keeps its own for the pages below it.
 */
static void
read_cascade(struct page_reader *r)
{
	struct page *p = r->page;
	const char *kind = p->kind == PAGE_POST ? "page" :
	    p->section[0] != '\0' ? "section" : "home";
	const struct hugo_site *site = r->cfg->hugo;
	const char *lang = p->lang_key;
	char *dump;

	/* Hugo's default language is "en" when a site names none. */
	if (lang == NULL)
		lang = site && site->default_language ? site->default_language :
		    "en";
	cascade_apply(r->inherited, r->fm.values, p->path, kind, lang);
	if (p->kind != PAGE_SECTION_INDEX ||
	    (p->cascade = cascade_own(&r->fm, &p->diags)) == NULL)
		return;
	if ((dump = json_dumps(p->cascade, JSON_COMPACT | JSON_SORT_KEYS)) ==
	    NULL)
		abort();	/* out of memory, as xmalloc */
	p->cascade_hash = hash64(dump, strlen(dump)) | 1;
	free(dump);
}

static void
parse_markdown(struct page_reader *r, const char *data, size_t len)
{
	struct page *p = r->page;
	char *online;

	if (frontmatter_parse(data, len, &r->fm, &p->diags) == -1)
		return;
	read_language(r);
	read_cascade(r);
	read_zone(r);
	read_dates(r);
	make_url(r, p->path);
	read_fields(r);
	make_id(r);
	if (p->title == NULL) {
		const char *base = strrchr(p->path, '/');

		p->title = xstrdup(base ? base + 1 : p->path);
	}
	read_body(r);
	if (p->kind == PAGE_POST)
		enclosure_read(r->cfg, &r->fm, p->permalink, r->files,
		    r->nfiles, &p->enclosures, &p->nenclosures, &p->diags);
	read_frontmatter_events(r);
	online = read_schedule_events(r);
	summarize_events(p, online);
	free(online);
	p->ok = 1;
}

uint64_t
page_inputs_hash(uint64_t bytes_hash, time_t mtime)
{
	uint64_t v[2] = { bytes_hash, (uint64_t)mtime };

	return hash64(v, sizeof v);
}

struct page *
page_parse(const struct config *cfg, const char *relpath, const char *data,
    size_t len)
{
	return page_parse_file(cfg, relpath, data, len, 0);
}

struct page *
page_parse_file(const struct config *cfg, const char *relpath,
    const char *data, size_t len, time_t mtime)
{
	return page_parse_bundle(cfg, relpath, data, len, mtime, NULL, 0,
	    NULL);
}

uint64_t
page_cascade_hash(uint64_t hash, const struct cascade *c)
{
	uint64_t v[2] = { hash, c != NULL ? c->hash : 0 };

	return v[1] == 0 ? hash : hash64(v, sizeof v);
}

/* Of the bundle's files, which a resource's length comes from. */
uint64_t
page_files_hash(const struct bundle_file *files, size_t n)
{
	struct hasher h;
	size_t i;

	hasher_init(&h);
	for (i = 0; i < n; i++) {
		hasher_str(&h, files[i].name);
		hasher_int(&h, files[i].size);
	}
	return hasher_done(&h);
}

/*
 * The bundle's files its page publishes (Hugo copies them beside the
 * page): every one but sources; one over max_resource_size is a warning
 * naming it, and is not served.
 */
static void
keep_resources(const struct config *cfg, struct page *p,
    const struct bundle_file *files, size_t nfiles)
{
	size_t i;

	for (i = 0; i < nfiles; i++) {
		if (!urls_resource_servable(files[i].name))
			continue;
		if (p->kind == PAGE_SECTION_INDEX &&
		    urls_subject_doc_name(files[i].name)) {
			diags_add(&p->diags, DIAG_WARNING, 0, "resource '%s' "
			    "would take the URL of the section's own %s: not "
			    "served; rename it", files[i].name, files[i].name);
			continue;
		}
		if (files[i].size > cfg->max_resource_size) {
			diags_add(&p->diags, DIAG_ERROR, 0, "resource '%s' "
			    "is %lld bytes, over max_resource_size (%d): not "
			    "served", files[i].name, files[i].size,
			    cfg->max_resource_size);
			continue;
		}
		p->resources = xreallocarray(p->resources, p->nresources + 1,
		    sizeof *p->resources);
		p->resources[p->nresources++] = xstrdup(files[i].name);
	}
}

struct page *
page_parse_bundle(const struct config *cfg, const char *relpath,
    const char *data, size_t len, time_t mtime,
    const struct bundle_file *files, size_t nfiles,
    const struct cascade *inherited)
{
	struct page_reader r;
	struct text text;
	struct page *p = xcalloc(1, sizeof *p);
	int rc;
	const char *slash = strchr(relpath, '/');

	p->path = xstrdup(relpath);
	p->section = slash ? xstrndup(relpath, (size_t)(slash - relpath)) :
	    xstrdup("");
	p->kind = kind_of(relpath);
	p->hash = hash64(data, len);
	p->content_hash = p->hash ^ hash64(relpath, strlen(relpath));
	diags_init(&p->diags);
	/* Once, before anything parses it: every parser and writer after
	 * this reads valid UTF-8 with LF line ends. */
	rc = text_sanitize(&text, data, len);
	text_diags(&text, &p->diags);
	if (rc == -1)
		return p;
	/* What documents show: the clean text (a CRLF copy shows what the
	 * LF one does) and the path (links, sections). */
	if (text.data != data || text.len != len)
		p->content_hash = hash64(text.data, text.len) ^
		    hash64(relpath, strlen(relpath));
	if (nfiles > 0) {
		p->hash ^= page_files_hash(files, nfiles);
		p->content_hash ^= page_files_hash(files, nfiles);
	}
	p->hash = page_cascade_hash(p->hash, inherited);
	p->content_hash = page_cascade_hash(p->content_hash, inherited);
	if (check_lines(p, text.data, text.len) == -1)
		goto done;
	if (p->kind == PAGE_CALENDAR_FILE) {
		p->title = xstrdup(relpath);
		p->ok = ics_import(cfg, relpath, text.data, text.len,
		    &p->events, &p->nevents, &p->diags) == 0;
		goto done;
	}
	memset(&r, 0, sizeof r);
	r.cfg = cfg;
	r.page = p;
	r.mtime = mtime;
	r.files = files;
	r.nfiles = nfiles;
	r.inherited = inherited;
	dict_init(&r.event_keys);
	p->publish_resources = 1;
	parse_markdown(&r, text.data, text.len);
	if (p->ok && p->publish_resources)
		keep_resources(cfg, p, files, nfiles);
	dict_free(&r.event_keys, NULL);
	frontmatter_free(&r.fm);
	free(r.file_slug);
	free(r.lang_path);
done:
	text_free(&text);
	return p;
}

static void
free_list(char **list, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(list[i]);
	free(list);
}

struct page *
page_ref(struct page *p)
{
	__atomic_add_fetch(&p->refs, 1, __ATOMIC_RELAXED);
	return p;
}

void
page_free(struct page *p)
{
	size_t i;

	if (p == NULL || __atomic_fetch_sub(&p->refs, 1, __ATOMIC_ACQ_REL) > 0)
		return;
	free(p->path);
	free(p->section);
	free(p->section_prefix);
	free(p->title);
	free(p->description);
	free(p->summary);
	free(p->html);
	free(p->url_path);
	free(p->permalink);
	free(p->id);
	free(p->lang_key);
	free(p->lang);
	free(p->translation_key);
	free(p->lang_dir);
	free(p->image);
	free(p->timezone);
	free(p->location);
	free_list(p->authors, p->nauthors);
	free_list(p->author_urls, p->nauthors);
	free_list(p->tags, p->ntags);
	free_list(p->categories, p->ncategories);
	free_list(p->terms, p->nterms);
	free_list(p->term_taxonomies, p->nterms);
	free_list(p->aliases, p->naliases);
	free_list(p->resources, p->nresources);
	for (i = 0; i < p->nevents; i++)
		event_clear(&p->events[i]);
	free(p->events);
	enclosure_free(p->enclosures, p->nenclosures);
	json_decref(p->cascade);
	diags_free(&p->diags);
	free(p);
}

time_t
page_newest(struct page *const *pages, size_t n)
{
	time_t newest = 0;
	size_t i;

	for (i = 0; i < n; i++)
		if (pages[i]->updated > newest)
			newest = pages[i]->updated;
	return newest;
}

const char *
page_term(const struct page *p, size_t i)
{
	return i < p->ntags ? p->tags[i] : p->categories[i - p->ntags];
}

int
page_term_repeated(const struct page *p, size_t i)
{
	size_t k;

	for (k = 0; k < i; k++)
		if (strcasecmp(page_term(p, k), page_term(p, i)) == 0)
			return 1;
	return 0;
}

int
page_visible(const struct page *p, time_t now)
{
	if (!p->ok || p->draft || p->unlisted)
		return 0;
	if (p->publish_at != 0 && p->publish_at > now)
		return 0;
	return p->expire_at == 0 || p->expire_at > now;
}

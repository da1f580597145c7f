/*
 * urls.c -- every URL crier makes, and every one it reads, spelled here.
 *
 * The layout (README's "URL layout") is written once: a subject's four
 * documents under its prefix, its feeds' history pages
 * (PREFIX/archive/N/feed.atom, N from the oldest: urls_archive_doc), an event's own calendar, a post's page
 * from its folder and slug (a bundle's slug renaming its folder, as in
 * Hugo), an alias and its twin with or without the final slash.  The
 * catalog renders documents at these paths, the index withdraws them at
 * the same ones, the front page links to them, so a path spelled two
 * ways can no longer leave a document unwithdrawn.
 *
 * A document is named by its canonical path: each segment percent-decoded
 * strictly, then re-encoded, so that one document has one spelling
 * whatever a client, an alias or a `url:` wrote.  A request's path is
 * bounded in length before and after (urls_canonical_path), so a
 * canonical path is always accepted again.  Subjects' names become slugs
 * (urls_slug) the same way wherever they appear: in a path, in a filter
 * query, in the index.  The site's feeds and calendar also take a filter
 * query; it has one canonical spelling (parameters in a fixed order,
 * slugs sorted and unique, anything else dropped), to which http.c
 * redirects every other spelling: caches then hold one copy per filter,
 * and a cache-busting parameter costs a redirect, not a rendering.
 *
 * A base-level file: it includes nothing of crier's above util.h, so
 * whatever makes or reads a URL can use it.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <event2/http.h>
#include <event2/keyvalq_struct.h>

#include "buf.h"
#include "urlize.h"
#include "urls.h"
#include "utf8.h"

#define SLUGS_MAX	32	/* per parameter; more are ignored */

/* Unbounded: aliases and `url:` front matter; requests are bounded
 * (urls_canonical_path). */
static char *
path_canonical(const char *raw)
{
	struct buf out;
	const char *p = raw, *end;
	char *enc, *seg;

	if (raw == NULL || raw[0] != '/')
		return NULL;
	buf_init(&out);
	while (*p == '/') {
		p++;
		end = strchr(p, '/');
		if (end == NULL)
			end = p + strlen(p);
		enc = xstrndup(p, (size_t)(end - p));
		seg = urls_decode(enc);
		free(enc);
		if (seg == NULL || !utf8_valid(seg, strlen(seg)) ||
		    strcmp(seg, ".") == 0 || strcmp(seg, "..") == 0 ||
		    strchr(seg, '\\') != NULL || strchr(seg, '/') != NULL ||
		    (seg[0] == '\0' && *end == '/')) {
			free(seg);
			buf_free(&out);
			return NULL;
		}
		buf_addc(&out, '/');
		urls_encode_segment(&out, seg);
		free(seg);
		p = end;
	}
	return buf_steal(&out);
}

/*
 * A term's slug is Hugo's: urlize, always lower case (Hugo groups terms
 * in lower case whatever disablePathToLower says).  A '/' in a term
 * makes folders, as in Hugo ("a/b" is /tags/a/b/); empty segments are
 * dropped, and "." or ".." segments, which would name another folder,
 * are "_", as is a term with nothing left.
 */
char *
urls_slug(const char *s)
{
	char *u = urlize_hugo(s, 0), *seg, *save = NULL;
	struct buf b;

	buf_init(&b);
	for (seg = strtok_r(u, "/", &save); seg != NULL;
	    seg = strtok_r(NULL, "/", &save)) {
		if (b.len > 0)
			buf_addc(&b, '/');
		buf_addstr(&b, strcmp(seg, ".") == 0 || strcmp(seg, "..") == 0 ?
		    "_" : seg);
	}
	free(u);
	if (b.len == 0)
		buf_addc(&b, '_');
	return buf_steal(&b);
}

/* --- requests ----------------------------------------------------- */

char *
urls_canonical_path(const char *raw)
{
	char *path;

	if (raw == NULL || strlen(raw) > URLS_PATH_MAX)
		return NULL;
	/* Encoding can triple a path: bound the result too, so that a
	 * canonical path is always accepted again. */
	if ((path = path_canonical(raw)) != NULL &&
	    strlen(path) > URLS_PATH_MAX) {
		free(path);
		return NULL;
	}
	return path;
}

static int
by_string(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Splits "a,B c" into sorted, unique slugs. */
static void
slug_list(const char *value, char ***list, size_t *n)
{
	char *copy = xstrdup(value), *item, *save = NULL, *slug;
	size_t i, k;

	for (item = strtok_r(copy, ",", &save); item != NULL;
	    item = strtok_r(NULL, ",", &save)) {
		if (*str_trim(item) == '\0' || *n >= SLUGS_MAX)
			continue;
		slug = urls_slug(str_trim(item));
		*list = xreallocarray(*list, *n + 1, sizeof **list);
		(*list)[(*n)++] = slug;
	}
	free(copy);
	util_sort(*list, *n, sizeof **list, by_string);
	for (i = k = 0; i < *n; i++) {
		if (k > 0 && strcmp((*list)[k - 1], (*list)[i]) == 0)
			free((*list)[i]);
		else
			(*list)[k++] = (*list)[i];
	}
	*n = k;
}

static void
add_param(struct buf *b, const char *key, char **list, size_t n)
{
	size_t i;

	if (n == 0)
		return;
	buf_addstr(b, b->data[b->len - 1] == '?' ? "" : "&");
	buf_printf(b, "%s=", key);
	for (i = 0; i < n; i++) {
		if (i > 0)
			buf_addc(b, ',');
		urls_encode_segment(b, list[i]);
	}
}

void
urls_filter_free(struct filter *f)
{
	size_t i;

	for (i = 0; i < f->ntags; i++)
		free(f->tags[i]);
	for (i = 0; i < f->ncategories; i++)
		free(f->categories[i]);
	free(f->tags);
	free(f->categories);
}

int
urls_parse_filter(const char *path, const char *query, struct filter *f,
    struct buf *canonical)
{
	struct evkeyvalq params;
	struct evkeyval *kv;

	memset(f, 0, sizeof *f);
	buf_addstr(canonical, path);
	if (query == NULL || query[0] == '\0')
		return 0;
	if (urls_site_doc(path) == -1)
		return 0;
	if (evhttp_parse_query_str(query, &params) == -1)
		return -1;
	for (kv = params.tqh_first; kv != NULL; kv = kv->next.tqe_next) {
		if (strcmp(kv->key, "tags") == 0)
			slug_list(kv->value, &f->tags, &f->ntags);
		else if (strcmp(kv->key, "categories") == 0)
			slug_list(kv->value, &f->categories, &f->ncategories);
	}
	evhttp_clear_headers(&params);
	if (f->ntags + f->ncategories > 0)
		buf_addc(canonical, '?');
	add_param(canonical, "categories", f->categories, f->ncategories);
	add_param(canonical, "tags", f->tags, f->ntags);
	return 0;
}

char *
urls_canonical_filter_url(const char *path, const char *query)
{
	struct filter f;
	struct buf canonical;

	buf_init(&canonical);
	if (urls_parse_filter(path, query, &f, &canonical) == -1) {
		urls_filter_free(&f);
		buf_free(&canonical);
		return NULL;
	}
	urls_filter_free(&f);
	return buf_steal(&canonical);
}

/* --- the layout ----------------------------------------------------- */

/* Appends "a/b" with each segment percent-encoded. */
static void
add_path(struct buf *b, const char *path)
{
	const char *seg, *end;
	char *name;

	for (seg = path; ; seg = end + 1) {
		if ((end = strchr(seg, '/')) == NULL)
			end = seg + strlen(seg);
		name = xstrndup(seg, (size_t)(end - seg));
		urls_encode_segment(b, name);
		free(name);
		if (*end == '\0')
			break;
		buf_addc(b, '/');
	}
}

char *
urls_subject_prefix(enum urls_subject kind, const char *key)
{
	struct buf b;

	buf_init(&b);
	switch (kind) {
	case URLS_SITE:
		return buf_steal(&b);
	case URLS_SECTION:
		break;
	case URLS_TAG:
		buf_addstr(&b, "/tags");
		break;
	case URLS_CATEGORY:
		buf_addstr(&b, "/categories");
		break;
	case URLS_TERM:
		break;
	}
	buf_addc(&b, '/');
	if (kind == URLS_SECTION)
		urls_encode_segment(&b, key);
	else
		add_path(&b, key);
	return buf_steal(&b);
}

static const char *const doc_files[URLS_DOCS] = {
	[URLS_ATOM] = "feed.atom",
	[URLS_RSS] = "feed.rss",
	[URLS_CALENDAR] = "calendar.ics",
	[URLS_JSON] = "feed.json",
};

const char *
urls_doc_file(enum urls_doc doc)
{
	return doc_files[doc];
}

void
urls_subject_doc(struct buf *b, const char *prefix, enum urls_doc doc)
{
	buf_addstr(b, prefix);
	buf_addc(b, '/');
	buf_addstr(b, doc_files[doc]);
}

void
urls_archive_doc(struct buf *b, const char *prefix, enum urls_doc doc,
    size_t n)
{
	buf_printf(b, "%s/archive/%zu/%s", prefix, n, doc_files[doc]);
}

/* Does path end in "/archive/N/" + file, an archive page's name?  No
 * subject's prefix ends so: a section's is one segment, a tag's and a
 * category's two, the first "tags" or "categories". */
static int
is_archive_doc(const char *path, const char *file)
{
	size_t n = strlen(path), f = strlen(file), digits = 0;
	const char *p;

	if (n < f + 1 || strcmp(path + n - f, file) != 0 ||
	    path[n - f - 1] != '/')
		return 0;
	for (p = path + n - f - 1; p > path && p[-1] >= '0' && p[-1] <= '9';
	    p--)
		digits++;
	return digits > 0 && (size_t)(p - path) >= sizeof "/archive/" - 1 &&
	    memcmp(p - (sizeof "/archive/" - 1), "/archive/",
	    sizeof "/archive/" - 1) == 0;
}

int
urls_site_doc(const char *path)
{
	int doc;

	if (path[0] != '/')
		return -1;
	for (doc = 0; doc < URLS_DOCS; doc++)
		if (strcmp(path + 1, doc_files[doc]) == 0)
			return doc;
	return -1;
}

static int
ends_with(const char *path, size_t len, const char *tail)
{
	size_t n = strlen(tail);

	return len >= n && memcmp(path + len - n, tail, n) == 0;
}

enum urls_kind
urls_kind(const char *path, size_t len)
{
	if (len == 0 || path[0] != '/')
		return URLS_KIND_OTHER;
	if (ends_with(path, len, "/feed.atom") ||
	    ends_with(path, len, "/feed.rss") ||
	    ends_with(path, len, "/feed.json"))
		return URLS_KIND_FEED;
	if (ends_with(path, len, "/calendar.ics") ||
	    (len > sizeof "/events/" - 1 && memcmp(path, "/events/",
	    sizeof "/events/" - 1) == 0 && ends_with(path, len, ".ics")))
		return URLS_KIND_CALENDAR;
	if (len == sizeof URLS_OPML - 1 && memcmp(path, URLS_OPML, len) == 0)
		return URLS_KIND_LIST;
	if (len == sizeof URLS_STATUS - 1 &&
	    memcmp(path, URLS_STATUS, len) == 0)
		return URLS_KIND_STATUS;
	if (len == sizeof URLS_METRICS - 1 &&
	    memcmp(path, URLS_METRICS, len) == 0)
		return URLS_KIND_METRICS;
	return URLS_KIND_PAGE;
}

int
urls_is_feed(const char *path)
{
	return (str_has_suffix(path, "/feed.atom") &&
	    !is_archive_doc(path, doc_files[URLS_ATOM])) ||
	    (str_has_suffix(path, "/feed.rss") &&
	    !is_archive_doc(path, doc_files[URLS_RSS])) ||
	    (str_has_suffix(path, "/feed.json") &&
	    !is_archive_doc(path, doc_files[URLS_JSON]));
}

char *
urls_feed_id(const char *authority, const char *path)
{
	return xasprintf("tag:%s,2000-01-01:%s", authority, path);
}

char *
urls_entry_id(const char *authority, const char *day, const char *path)
{
	return xasprintf("tag:%s,%s:%s", authority, day, path);
}

void
urls_event_ics(struct buf *b, const char *uid)
{
	buf_addstr(b, "/events/");
	urls_encode_segment(b, uid);
	buf_addstr(b, ".ics");
}

char *
urls_page_url(const char *url)
{
	struct buf b;
	char *name;

	if ((name = path_canonical(url)) == NULL)
		return NULL;
	buf_init(&b);
	buf_addstr(&b, name);
	if (b.data[b.len - 1] != '/')
		buf_addc(&b, '/');
	free(name);
	return buf_steal(&b);
}

/*
 * Hugo copies every file of a leaf bundle but its content files (the
 * formats it renders into pages: Markdown, HTML, Org, AsciiDoc, reST,
 * Pandoc) and the hidden ones: a bundle's data.json or route.gpx is on the
 * Hugo site, so crier serves it too (test_resource_urls_are_hugos).
 */
int
urls_resource_servable(const char *name)
{
	static const char *const sources[] = {
		".md", ".markdown", ".mdown", ".html", ".htm", ".org", ".adoc",
		".asciidoc", ".ad", ".rst", ".pandoc", ".pdc",
	};
	const char *dot = strrchr(name, '.');
	size_t i;

	if (name[0] == '.' || name[0] == '\0' || strchr(name, '/') != NULL)
		return 0;
	for (i = 0; dot != NULL && i < sizeof sources / sizeof *sources; i++)
		if (strcasecmp(dot, sources[i]) == 0)
			return 0;
	return 1;
}

char *
urls_resource(const char *page_url_path, const char *name)
{
	size_t n = strlen(page_url_path);
	struct buf b;

	if (n == 0 || page_url_path[n - 1] != '/' ||
	    !urls_resource_servable(name))
		return NULL;
	buf_init(&b);
	buf_add(&b, page_url_path, n);
	urls_encode_segment(&b, name);
	return buf_steal(&b);
}

int
urls_branch_index(const char *name)
{
	return strncmp(name, "_index.", 7) == 0 &&
	    (str_has_suffix(name, ".md") || str_has_suffix(name, ".markdown") ||
	    str_has_suffix(name, ".mdown"));
}

int
urls_subject_doc_name(const char *name)
{
	size_t i;

	for (i = 0; i < URLS_DOCS; i++)
		if (strcmp(name, doc_files[i]) == 0)
			return 1;
	return strcmp(name, "archive") == 0;
}

int
urls_bundle_index(const char *name)
{
	return strcmp(name, "index.md") == 0 ||
	    strcmp(name, "index.markdown") == 0 ||
	    strcmp(name, "index.mdown") == 0;
}

char *
urls_page(const char *relpath, const char *slug, int post)
{
	const char *base = strrchr(relpath, '/'), *seg, *end;
	struct buf b;
	char *name, *dot;
	int bundle;

	buf_init(&b);
	base = base ? base + 1 : relpath;
	bundle = post && base != relpath && urls_bundle_index(base);
	for (seg = relpath; seg < base; seg = end + 1) {
		end = strchr(seg, '/');
		buf_addc(&b, '/');
		if (bundle && slug != NULL && end + 1 == base) {
			urls_encode_segment(&b, slug);
			continue;
		}
		name = xstrndup(seg, (size_t)(end - seg));
		urls_encode_segment(&b, name);
		free(name);
	}
	if (post && !bundle && (slug != NULL || !urls_bundle_index(base))) {
		name = xstrdup(slug != NULL ? slug : base);
		if (slug == NULL && (dot = strrchr(name, '.')) != NULL)
			*dot = '\0';
		buf_addc(&b, '/');
		urls_encode_segment(&b, name);
		free(name);
	}
	buf_addc(&b, '/');
	return buf_steal(&b);
}

char *
urls_alias(const char *alias, char **twin)
{
	char *path = path_canonical(alias);
	size_t n;

	*twin = NULL;
	if (path == NULL)
		return NULL;
	n = strlen(path);
	*twin = n > 1 && path[n - 1] == '/' ? xstrndup(path, n - 1) :
	    xasprintf("%s/", path);
	return path;
}

void
urls_encode_segment(struct buf *b, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	const unsigned char *p;

	for (p = (const unsigned char *)s; *p != '\0'; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || *p == '-' || *p == '.' ||
		    *p == '_' || *p == '~')
			buf_addc(b, (char)*p);
		else {
			buf_addc(b, '%');
			buf_addc(b, hex[*p >> 4]);
			buf_addc(b, hex[*p & 15]);
		}
	}
}

static int
hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

char *
urls_decode(const char *s)
{
	struct buf b;
	int hi, lo;

	buf_init(&b);
	for (; *s != '\0'; s++) {
		if (*s != '%') {
			buf_addc(&b, *s);
			continue;
		}
		if ((hi = hex_digit(s[1])) < 0 || (lo = hex_digit(s[2])) < 0 ||
		    (hi == 0 && lo == 0)) {
			buf_free(&b);
			return NULL;
		}
		buf_addc(&b, (char)(hi * 16 + lo));
		s += 2;
	}
	return buf_steal(&b);
}

/* --- a Hugo site's page URLs ------------------------------------------ */

static const char *const month_names[] = { "January", "February", "March",
	"April", "May", "June", "July", "August", "September", "October",
	"November", "December" };
static const char *const weekday_names[] = { "Sunday", "Monday", "Tuesday",
	"Wednesday", "Thursday", "Friday", "Saturday" };

/* Appends each segment of a raw (not encoded) path urlized and encoded;
 * empty segments are dropped. */
static void
add_urlized_path(struct buf *b, const char *raw, int keep_case)
{
	char *u = urlize_hugo(raw, keep_case), *seg, *save = NULL;

	for (seg = strtok_r(u, "/", &save); seg != NULL;
	    seg = strtok_r(NULL, "/", &save)) {
		buf_addc(b, '/');
		urls_encode_segment(b, seg);
	}
	free(u);
}

/* The file's name without its extension, or a bundle's folder's. */
static char *
hugo_filename(const struct urls_hugo_page *in)
{
	const char *base = strrchr(in->relpath, '/'), *start;
	char *name, *dot;

	base = base ? base + 1 : in->relpath;
	if (base != in->relpath && urls_bundle_index(base)) {
		for (start = base - 1; start > in->relpath &&
		    start[-1] != '/'; start--)
			;
		return xstrndup(start, (size_t)(base - 1 - start));
	}
	name = xstrdup(base);
	if ((dot = strrchr(name, '.')) != NULL)
		*dot = '\0';
	return name;
}

/* One permalink token's value (raw), or NULL for a token Hugo 0.111
 * does not have. */
static char *
hugo_token(const struct urls_hugo_page *in, const char *tok, size_t n)
{
#define IS(name) (n == strlen(name) && strncmp(tok, name, n) == 0)
	const char *title = in->title ? in->title : "";

	if (IS("year"))
		return xasprintf("%04d", in->year);
	if (IS("month"))
		return xasprintf("%02d", in->month);
	if (IS("monthname"))
		return xstrdup(month_names[(in->month + 11) % 12]);
	if (IS("day"))
		return xasprintf("%02d", in->day);
	if (IS("weekday"))
		return xasprintf("%d", in->weekday);
	if (IS("weekdayname"))
		return xstrdup(weekday_names[in->weekday % 7]);
	if (IS("yearday"))
		return xasprintf("%d", in->yearday);
	if (IS("section") || IS("sections"))
		return xstrdup(in->section ? in->section : "");
	if (IS("title"))
		return urlize_hugo(title, in->keep_case);
	if (IS("slug"))
		return urlize_hugo(in->slug ? in->slug : title, in->keep_case);
	if (IS("filename"))
		return hugo_filename(in);
	if (IS("slugorfilename"))
		return in->slug ? urlize_hugo(in->slug, in->keep_case) :
		    hugo_filename(in);
	return NULL;
#undef IS
}

/* The pattern with its tokens replaced, then as Hugo treats the whole:
 * unescaped ('+' a space), urlized again. */
static void
hugo_expand(struct buf *b, const struct urls_hugo_page *in)
{
	struct buf raw;
	const char *p = in->pattern, *tok;
	char *v, *plain;

	buf_init(&raw);
	while (*p != '\0') {
		if (*p != ':') {
			buf_addc(&raw, *p++);
			continue;
		}
		for (tok = ++p; (*p >= 'a' && *p <= 'z') ||
		    (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
		    *p == '_'; p++)
			;
		if ((v = hugo_token(in, tok, (size_t)(p - tok))) == NULL) {
			buf_addc(&raw, ':');
			buf_add(&raw, tok, (size_t)(p - tok));
			continue;
		}
		buf_addstr(&raw, v);
		free(v);
	}
	plain = urlize_unescape(raw.data ? raw.data : "");
	add_urlized_path(b, plain, in->keep_case);
	free(plain);
	buf_free(&raw);
}

/* Hugo's default: the folders, then the slug or the file's name; a
 * bundle's slug renames its folder. */
static void
hugo_default(struct buf *b, const struct urls_hugo_page *in)
{
	const char *base = strrchr(in->relpath, '/');
	char *folders, *name;
	int bundle;

	base = base ? base + 1 : in->relpath;
	bundle = in->post && base != in->relpath && urls_bundle_index(base);
	folders = xstrndup(in->relpath, (size_t)(base - in->relpath));
	if (bundle && in->slug != NULL) {
		char *end = folders + strlen(folders) - 1, *start = end;

		while (start > folders && start[-1] != '/')
			start--;
		*start = '\0';
	}
	add_urlized_path(b, folders, in->keep_case);
	free(folders);
	if (!in->post || (bundle && in->slug == NULL))
		return;
	name = in->slug ? xstrdup(in->slug) : hugo_filename(in);
	add_urlized_path(b, name, in->keep_case);
	free(name);
}

char *
urls_hugo_page(const struct urls_hugo_page *in)
{
	struct buf b;
	char *path;

	buf_init(&b);
	if (in->post && in->pattern != NULL)
		hugo_expand(&b, in);
	else
		hugo_default(&b, in);
	if (in->ugly && in->post && b.len > 0)
		buf_addstr(&b, ".html");
	else
		buf_addc(&b, '/');
	path = buf_steal(&b);
	return path;
}

char *
urls_hugo_url(const char *url)
{
	struct buf b;
	const char *last;
	char *name;

	buf_init(&b);
	if (url[0] != '/')
		buf_addc(&b, '/');
	buf_addstr(&b, url);
	name = path_canonical(b.data);
	buf_free(&b);
	if (name == NULL)
		return NULL;
	buf_init(&b);
	buf_addstr(&b, name);
	free(name);
	last = strrchr(b.data, '/');
	/* "/a/b" is /a/b/, "/a/b.html" a file, as in Hugo. */
	if (b.data[b.len - 1] != '/' && strchr(last, '.') == NULL)
		buf_addc(&b, '/');
	return buf_steal(&b);
}

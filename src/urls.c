/*
 * urls.c -- the URLs crier is asked for, read one way in one place.
 *
 * A request names a document by its canonical path (each segment
 * percent-decoded strictly, then re-encoded: urls_path_canonical), bounded
 * in length before and after, so a canonical path is always accepted
 * again.  The site's feeds and calendar also take a filter query; it has
 * one canonical spelling (parameters in a fixed order, slugs sorted and
 * unique, anything else dropped), to which http.c redirects every other
 * spelling: caches then hold one copy per filter, and a cache-busting
 * parameter costs a redirect, not a rendering.
 *
 * A base-level file: it includes nothing of crier's above util.h, so
 * whatever makes or parses a URL can use it.
 */
#include <stdlib.h>
#include <string.h>

#include <event2/http.h>
#include <event2/keyvalq_struct.h>

#include "urls.h"
#include "utf8.h"

#define SLUGS_MAX	32	/* per parameter; more are ignored */

char *
urls_path_canonical(const char *raw)
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
		seg = url_decode(enc);
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
		url_encode_segment(&out, seg);
		free(seg);
		p = end;
	}
	return buf_steal(&out);
}

char *
urls_slug(const char *s)
{
	struct buf b;
	const char *p;
	int dash = 0;

	buf_init(&b);
	for (p = s; *p != '\0'; p++) {
		unsigned char c = (unsigned char)*p;

		if (c == ' ' || c == '\t' || c == '/' || c == '\\' ||
		    c == '?' || c == '#') {
			dash = b.len > 0;
			continue;
		}
		if (dash)
			buf_addc(&b, '-');
		dash = 0;
		buf_addc(&b, (c >= 'A' && c <= 'Z') ? (char)(c + 32) : (char)c);
	}
	/* "." and ".." must never become path segments. */
	if (b.len == 0 || strcmp(b.data, ".") == 0 || strcmp(b.data, "..") == 0) {
		buf_reset(&b);
		buf_addc(&b, '_');
	}
	return buf_steal(&b);
}

char *
urls_canonical_path(const char *raw)
{
	char *path;

	if (raw == NULL || strlen(raw) > URLS_PATH_MAX)
		return NULL;
	/* Encoding can triple a path: bound the result too, so that a
	 * canonical path is always accepted again. */
	if ((path = urls_path_canonical(raw)) != NULL &&
	    strlen(path) > URLS_PATH_MAX) {
		free(path);
		return NULL;
	}
	return path;
}

/* Query parameters that filter the site's feeds and calendars. */
static int
filterable(const char *path)
{
	return strcmp(path, "/feed.atom") == 0 ||
	    strcmp(path, "/feed.rss") == 0 || strcmp(path, "/calendar.ics") == 0;
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
	sort(*list, *n, sizeof **list, by_string);
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
		url_encode_segment(b, list[i]);
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
	if (!filterable(path))
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

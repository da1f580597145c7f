/*
 * enclosure.c -- a page's media files from its front matter.
 *
 * Podcast and recording sites write them in several ways, so several are
 * read: `enclosure`, `audio` and `video` as a URL or a map of url, type and
 * length (what RSS's <enclosure> holds), and Hugo's page resources
 * (`resources: [{src: episode.mp3}]`) naming a file of the bundle, whose
 * size load.c read beside index.md.  Feeds need each one's media type and
 * length: a type not written is inferred from the URL's extension (the
 * server would most likely send that type for it); a length is never
 * invented -- a warning names the line, and the writers decide what the
 * format allows (Atom leaves it out, RSS writes 0: render_rss.c).
 *
 * Pure, like page.c: the files' sizes come in from the caller.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "enclosure.h"
#include "urls.h"
#include "util.h"

#define ENCLOSURES_MAX	16

/* Media types by extension: audio and video, what feeds enclose. */
static const struct { const char *ext, *type; } media_types[] = {
	{ "aac", "audio/aac" },
	{ "flac", "audio/flac" },
	{ "m4a", "audio/mp4" },
	{ "m4v", "video/x-m4v" },
	{ "mkv", "video/x-matroska" },
	{ "mov", "video/quicktime" },
	{ "mp3", "audio/mpeg" },
	{ "mp4", "video/mp4" },
	{ "oga", "audio/ogg" },
	{ "ogg", "audio/ogg" },
	{ "ogv", "video/ogg" },
	{ "opus", "audio/opus" },
	{ "wav", "audio/wav" },
	{ "webm", "video/webm" },
};

const char *
enclosure_type_of(const char *name)
{
	size_t end = strcspn(name, "?#"), i, start;

	for (start = end; start > 0 && name[start - 1] != '.' &&
	    name[start - 1] != '/'; start--)
		;
	if (start == 0 || name[start - 1] != '.')
		return NULL;
	for (i = 0; i < nitems(media_types); i++)
		if (strlen(media_types[i].ext) == end - start &&
		    strncasecmp(name + start, media_types[i].ext,
		    end - start) == 0)
			return media_types[i].type;
	return NULL;
}

/* What else a bundle holds and crier serves: images, documents. */
static const struct { const char *ext, *type; } resource_types[] = {
	{ "avif", "image/avif" },
	{ "css", "text/css; charset=utf-8" },
	{ "csv", "text/csv; charset=utf-8" },
	{ "gif", "image/gif" },
	{ "ico", "image/vnd.microsoft.icon" },
	{ "jpeg", "image/jpeg" },
	{ "jpg", "image/jpeg" },
	{ "pdf", "application/pdf" },
	{ "png", "image/png" },
	{ "svg", "image/svg+xml" },
	{ "txt", "text/plain; charset=utf-8" },
	{ "vtt", "text/vtt; charset=utf-8" },
	{ "webp", "image/webp" },
	{ "zip", "application/zip" },
};

const char *
enclosure_resource_type(const char *name)
{
	const char *dot = strrchr(name, '.'), *t;
	size_t i;

	if ((t = enclosure_type_of(name)) != NULL)
		return t;
	for (i = 0; dot != NULL && i < nitems(resource_types); i++)
		if (strcasecmp(dot + 1, resource_types[i].ext) == 0)
			return resource_types[i].type;
	return "application/octet-stream";
}

/* An http(s) URL as written, "/path" on the site, or a path relative to
 * the page; NULL for anything else (a warning). */
static char *
absolute_url(const struct config *cfg, const char *permalink, const char *u)
{
	if (strncasecmp(u, "https://", 8) == 0 ||
	    strncasecmp(u, "http://", 7) == 0)
		return xstrdup(u);
	if (strstr(u, ":") != NULL && strcspn(u, ":") < strcspn(u, "/"))
		return NULL;		/* another scheme */
	if (u[0] == '/')
		return u[1] == '/' ? NULL : xasprintf("%s%s", cfg->base_url, u);
	return xasprintf("%s%s", permalink, u);
}

struct reading {
	const struct config	*cfg;
	const struct frontmatter *fm;
	const char		*permalink;
	struct enclosure	**out;
	size_t			*n;
	struct diags		*diags;
};

static void
add(struct reading *r, int line, const char *key, char *url,
    const char *type, long long length)
{
	struct enclosure *e;
	size_t i;

	for (i = 0; i < *r->n; i++)
		if (strcmp((*r->out)[i].url, url) == 0) {
			free(url);	/* named twice: once */
			return;
		}
	if (*r->n >= ENCLOSURES_MAX) {
		diags_add(r->diags, DIAG_WARNING, line, "'%s': more than %d "
		    "enclosures; the rest are left out", key, ENCLOSURES_MAX);
		free(url);
		return;
	}
	if (type == NULL)
		diags_add(r->diags, DIAG_WARNING, line, "'%s': enclosure %s "
		    "has no type and its extension gives none: write its "
		    "media type (type: audio/mpeg); RSS leaves it out", key,
		    url);
	if (length < 0)
		diags_add(r->diags, DIAG_WARNING, line, "'%s': enclosure %s "
		    "has no length: write its size in bytes (length: "
		    "12345678); Atom leaves it out, RSS writes length=\"0\"",
		    key, url);
	*r->out = xreallocarray(*r->out, *r->n + 1, sizeof **r->out);
	e = &(*r->out)[(*r->n)++];
	e->url = url;
	e->type = type != NULL ? xstrdup(type) : NULL;
	e->length = length;
}

/* A length as a non-negative integer, or a string of digits; -1 else. */
static long long
length_of(json_t *v)
{
	const char *s;
	long long n = 0;

	if (json_is_integer(v))
		return json_integer_value(v) >= 0 ? json_integer_value(v) : -1;
	if (!json_is_string(v) || *(s = json_string_value(v)) == '\0')
		return -1;
	for (; *s != '\0'; s++) {
		if (*s < '0' || *s > '9' || n > (1LL << 53))
			return -1;
		n = n * 10 + (*s - '0');
	}
	return n;
}

/* `key`: a URL or a map url/type/length. */
static void
read_key(struct reading *r, const char *key)
{
	json_t *v = json_object_get(r->fm->values, key), *t, *l;
	int line = frontmatter_line(r->fm, key);
	const char *written, *type;
	char *path, *url;
	long long length = -1;

	if (v == NULL || json_is_null(v))
		return;
	if (json_is_object(v)) {
		written = json_string_value(json_object_get(v, "url"));
		t = json_object_get(v, "type");
		l = json_object_get(v, "length");
		type = json_is_string(t) && json_string_length(t) > 0 ?
		    json_string_value(t) : NULL;
		if (l != NULL && (length = length_of(l)) < 0) {
			path = xasprintf("%s/length", key);
			diags_add(r->diags, DIAG_WARNING, frontmatter_line(r->fm, path)
			    ? frontmatter_line(r->fm, path) : line, "'%s': length "
			    "should be a number of bytes", key);
			free(path);
		}
	} else {
		written = json_string_value(v);
		type = NULL;
	}
	if (written == NULL || written[0] == '\0') {
		diags_add(r->diags, DIAG_WARNING, line, "'%s' should be a URL "
		    "or a map with url, type and length", key);
		return;
	}
	if ((url = absolute_url(r->cfg, r->permalink, written)) == NULL) {
		diags_add(r->diags, DIAG_WARNING, line, "'%s': %s is not an "
		    "http(s) URL nor a path; left out", key, written);
		return;
	}
	if (type == NULL)
		type = enclosure_type_of(url);	/* inferred, not written */
	add(r, line, key, url, type, length);
}

/* Hugo's page resources: `src` names a file of the bundle. */
static void
read_resources(struct reading *r, const struct bundle_file *files, size_t n)
{
	json_t *list = json_object_get(r->fm->values, "resources"), *item;
	const char *src, *type;
	struct buf url;
	char *path;
	size_t i, k;
	int line;

	json_array_foreach(list, i, item) {
		src = json_string_value(json_object_get(item, "src"));
		if (src == NULL || (type = enclosure_type_of(src)) == NULL)
			continue;	/* an image, a PDF: not enclosed */
		path = xasprintf("resources/%zu/src", i);
		line = frontmatter_line(r->fm, path) ? frontmatter_line(r->fm, path) :
		    frontmatter_line(r->fm, "resources");
		free(path);
		for (k = 0; k < n && strcmp(files[k].name, src) != 0; k++)
			;
		if (k == n) {
			diags_add(r->diags, DIAG_WARNING, line, "resources: "
			    "%s is not a file beside the bundle's index "
			    "(patterns are not read); left out", src);
			continue;
		}
		buf_init(&url);
		buf_addstr(&url, r->permalink);
		urls_encode_segment(&url, src);
		add(r, line, "resources", buf_steal(&url), type,
		    files[k].size);
	}
}

void
enclosure_read(const struct config *cfg, const struct frontmatter *fm,
    const char *permalink, const struct bundle_file *files, size_t n,
    struct enclosure **out, size_t *nout, struct diags *diags)
{
	struct reading r = { cfg, fm, permalink, out, nout, diags };

	read_key(&r, "enclosure");
	read_key(&r, "audio");
	read_key(&r, "video");
	read_resources(&r, files, n);
}

void
enclosure_free(struct enclosure *e, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(e[i].url);
		free(e[i].type);
	}
	free(e);
}

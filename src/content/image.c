/*
 * image.c -- which image a page shows, as themes and Hugo choose it.
 *
 * Themes spell it differently: Hugo's own opengraph and twitter_cards
 * templates read `images` (a list), others `image`, `featured_image`
 * or `featuredImage`, PaperMod `cover.image`, some `thumbnail`.  The
 * first that gives a URL wins.  Without one, Hugo's opengraph template
 * looks in a leaf bundle: the first image resource whose name matches
 * *feature*, else *cover* or *thumbnail* (0.111's ByType "image" then
 * GetMatch: names lower-cased, in the order of their names).  A
 * resource's name is its file's unless the front matter's `resources`
 * metadata renames it (`{src: "p.jpg", name: "cover"}`), the first
 * matching entry with a name winning, `:counter` counted per `src`.
 * Only a file crier serves is chosen, so the image always loads.
 *
 * Pure: the bundle's files come from the caller, as in enclosure.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/uri.h>

#include "ascii.h"
#include "image.h"
#include "str.h"
#include "urls.h"
#include "util.h"

#define GLOB_MAX	512	/* bytes of a pattern with {a,b} expanded */
#define GLOB_PATTERNS	64	/* a pattern's {a,b} expanded: tried */
#define GLOB_WORK	4096	/* patterns tried for one page's bundle */

/* Reserved characters of URLs, and '%': what escaping a written value
 * keeps, so only spaces and non-ASCII are escaped. */
#define URL_KEEP	"/:?#[]@!$&'()*+,;=%~"

/* The image types of Hugo's ByType "image" that crier serves as such. */
static const char *const image_exts[] = {
	"avif", "gif", "jpeg", "jpg", "png", "svg", "webp",
};

/* Where a key's value is, and what the warning says it should be. */
struct key {
	const char	*name;
	const char	*should;
};

static const struct key keys[] = {
	{ "images", "a list of image URLs" },
	{ "image", "an image URL" },
	{ "featured_image", "an image URL" },
	{ "featuredImage", "an image URL" },
	{ "cover", "an image URL or a table with 'image'" },
	{ "thumbnail", "an image URL" },
};

static int
line_of(const struct image_source *s, const char *path, const char *key)
{
	int line = frontmatter_line(s->fm, path);

	return line != 0 ? line : frontmatter_line(s->fm, key);
}

/* The written value of a key, or NULL: absent, empty, or of the wrong
 * type (a warning).  *path gets where it is ("images/0", "cover/image"). */
static const char *
written(const struct image_source *s, const struct key *k,
    const char **path, struct diags *d)
{
	json_t *v = json_object_get(s->fm->values, k->name);

	*path = k->name;
	if (strcmp(k->name, "images") == 0 && json_is_array(v)) {
		v = json_array_get(v, 0);
		*path = "images/0";
	} else if (strcmp(k->name, "cover") == 0 && json_is_object(v)) {
		v = json_object_get(v, "image");
		*path = "cover/image";
	}
	if (v == NULL || json_is_null(v))
		return NULL;
	if (!json_is_string(v)) {
		diags_add(d, DIAG_WARNING, line_of(s, *path, k->name),
		    "'%s' should be %s; ignored", k->name, k->should);
		return NULL;
	}
	return json_string_value(v);
}

static int
web_url(const char *u)
{
	return strncasecmp(u, "https://", 8) == 0 ||
	    strncasecmp(u, "http://", 7) == 0;
}

/* Spaces and non-ASCII are escaped first (libxml2 refuses them), as a
 * bundle's resource URL escapes them. */
char *
image_url(const struct config *cfg, const char *permalink, const char *value)
{
	xmlChar *esc, *abs;
	char *url = NULL;

	esc = xmlURIEscapeStr((const xmlChar *)value,
	    (const xmlChar *)URL_KEEP);
	if (esc == NULL)
		return NULL;
	if (esc[0] == '/' && esc[1] != '/')	/* Hugo's absURL */
		url = xasprintf("%s%s", cfg->base_url, (const char *)esc);
	else if ((abs = xmlBuildURI(esc, (const xmlChar *)permalink)) !=
	    NULL) {
		url = xstrdup((const char *)abs);
		xmlFree(abs);
	}
	xmlFree(esc);
	if (url != NULL && !web_url(url)) {
		free(url);
		url = NULL;
	}
	return url;
}

static char *
from_keys(const struct image_source *s, struct diags *d)
{
	const char *value, *path;
	char *text, *trimmed, *url;
	size_t i;

	for (i = 0; i < nitems(keys); i++) {
		if ((value = written(s, &keys[i], &path, d)) == NULL)
			continue;
		text = xstrdup(value);
		trimmed = str_trim(text);
		url = *trimmed != '\0' ? image_url(s->cfg, s->permalink,
		    trimmed) : NULL;
		if (url == NULL && *trimmed != '\0')
			diags_add(d, DIAG_WARNING, line_of(s, path, keys[i].name),
			    "'%s': %s is not an http(s) URL nor a path; "
			    "ignored", keys[i].name, trimmed);
		free(text);
		if (url != NULL)
			return url;
	}
	return NULL;
}

/* --- Hugo's resource globs --------------------------------------- */

/* Does the class at *pp ("[a-z]", "[!x]") match c?  Then *pp is moved
 * past it.  Unterminated, '[' is a literal. */
static int
glob_class(const char **pp, unsigned char c)
{
	const char *p = *pp + 1, *first;
	unsigned char lo, hi;
	int neg = 0, hit = 0;

	if (*p == '!' || *p == '^') {
		neg = 1;
		p++;
	}
	for (first = p; *p != '\0' && (*p != ']' || p == first);) {
		lo = hi = (unsigned char)*p;
		if (p[1] == '-' && p[2] != ']' && p[2] != '\0') {
			hi = (unsigned char)p[2];
			p += 3;
		} else
			p++;
		if (c >= lo && c <= hi)
			hit = 1;
	}
	if (*p != ']') {
		if (c != '[')
			return 0;
		*pp += 1;
		return 1;
	}
	if (c == '/' || hit == neg)
		return 0;
	*pp = p + 1;
	return 1;
}

/* Does the pattern element at *pp match c?  Then *pp is moved past it. */
static int
glob_char(const char **pp, unsigned char c)
{
	const char *p = *pp;

	if (*p == '[')
		return glob_class(pp, c);
	if (*p == '?' && c != '/') {
		*pp = p + 1;
		return 1;
	}
	if (*p == '\\' && p[1] != '\0')
		p++;
	if (*p == '\0' || (unsigned char)*p != c)
		return 0;
	*pp = p + 1;
	return 1;
}

/*
 * One pattern without {a,b}: '*' matches a run without '/' (a name of a
 * bundle's file has none, so "**" is no different here).  It backtracks
 * only to the last '*': time is bounded by the product of the lengths,
 * never exponential as a recursive fnmatch(3) can be.
 */
static int
glob_one(const char *p, const char *s)
{
	const char *star_p = NULL, *star_s = NULL;

	while (*s != '\0') {
		if (*p == '*') {
			while (*p == '*')
				p++;
			star_p = p;
			star_s = s;
			continue;
		}
		if (glob_char(&p, (unsigned char)*s)) {
			s++;
			continue;
		}
		if (star_p == NULL || *star_s == '/')
			return 0;
		p = star_p;
		s = ++star_s;
	}
	while (*p == '*')
		p++;
	return *p == '\0';
}

static int glob_expand(const char *, const char *, int *);

/* Tries each alternative of the first {a,b} of pat in turn. */
static int
glob_alternatives(const char *pat, const char *name, int *budget)
{
	const char *open = strchr(pat, '{'), *close, *alt, *q;
	char buf[GLOB_MAX];
	int level = 0, n;

	for (close = open + 1; *close != '\0'; close++)
		if (*close == '{')
			level++;
		else if (*close == '}' && level-- == 0)
			break;
	if (*close == '\0')	/* unbalanced: a literal brace */
		return glob_one(pat, name);
	for (alt = open + 1; alt <= close; alt = q + 1) {
		for (q = alt, level = 0; q < close && (*q != ',' || level > 0);
		    q++)
			level += *q == '{' ? 1 : *q == '}' ? -1 : 0;
		n = snprintf(buf, sizeof buf, "%.*s%.*s%s", (int)(open - pat),
		    pat, (int)(q - alt), alt, close + 1);
		if (n >= 0 && (size_t)n < sizeof buf &&
		    glob_expand(buf, name, budget))
			return 1;
	}
	return 0;
}

/* budget: how many more patterns {a,b} may expand to, so that
 * "{a,b}{a,b}{a,b}..." costs a bounded time. */
static int
glob_expand(const char *pat, const char *name, int *budget)
{
	if ((*budget)-- <= 0)
		return 0;
	if (strchr(pat, '{') == NULL)
		return glob_one(pat, name);
	return glob_alternatives(pat, name, budget);
}

static char *
lower_dup(const char *s)
{
	char *t = xstrdup(s), *c;

	for (c = t; *c != '\0'; c++)
		*c = (char)ascii_lower((unsigned char)*c);
	return t;
}

/* A match of at most GLOB_PATTERNS patterns, taken from *work: what a
 * page may spend on all its matches together. */
static int
glob_match(const char *pattern, const char *name, int *work)
{
	char *p, *n;
	int budget = *work < GLOB_PATTERNS ? *work : GLOB_PATTERNS, start;
	int match;

	if (strlen(pattern) >= GLOB_MAX)
		return 0;
	p = lower_dup(pattern);
	n = lower_dup(name);
	start = budget;
	match = glob_expand(p, n, &budget);
	*work -= start - (budget > 0 ? budget : 0);
	free(p);
	free(n);
	return match;
}

int
image_glob_match(const char *pattern, const char *name)
{
	int work = GLOB_PATTERNS;

	return glob_match(pattern, name, &work);
}

/* --- a bundle's image ------------------------------------------- */

/* name with each ":counter" as n. */
static char *
with_counter(const char *name, int n)
{
	struct buf b;
	const char *at;

	buf_init(&b);
	while ((at = strstr(name, ":counter")) != NULL) {
		buf_add(&b, name, (size_t)(at - name));
		buf_printf(&b, "%d", n);
		name = at + strlen(":counter");
	}
	buf_addstr(&b, name);
	return buf_steal(&b);
}

/* A file's resource name: the first `resources` entry whose src matches
 * it and that has a name, else the file's name.  counters (src -> n)
 * count the files each entry has named with :counter, in file order, as
 * Hugo's AssignMetadata does. */
static char *
resource_name(json_t *meta, const char *file, json_t *counters, int *work)
{
	json_t *m, *name;
	const char *src, *nm;
	char *key;
	size_t i;
	json_int_t n;

	json_array_foreach(meta, i, m) {
		src = json_string_value(json_object_get(m, "src"));
		name = json_object_get(m, "name");
		if (src == NULL || !json_is_string(name) ||
		    !glob_match(src, file, work))
			continue;
		nm = json_string_value(name);
		if (strstr(nm, ":counter") == NULL)
			return xstrdup(nm);
		key = lower_dup(src);
		n = json_integer_value(json_object_get(counters, key)) + 1;
		if (json_object_set_new(counters, key, json_integer(n)) == -1)
			n = 0;		/* out of memory: not counted */
		free(key);
		return with_counter(nm, (int)n);
	}
	return xstrdup(file);
}

static int
is_image(const char *name)
{
	const char *dot = strrchr(name, '.');
	size_t i;

	for (i = 0; dot != NULL && i < nitems(image_exts); i++)
		if (strcasecmp(dot + 1, image_exts[i]) == 0)
			return 1;
	return 0;
}

/* Is files[i] served as a resource of the page (page.c's
 * keep_resources) and an image? */
static int
served_image(const struct image_source *s, size_t i)
{
	return s->publish && is_image(s->files[i].name) &&
	    urls_resource_servable(s->files[i].name) &&
	    s->files[i].size <= s->cfg->max_resource_size;
}

/* Of the served images, the one first by name that matches pattern;
 * -1 when none. */
static long
first_match(const struct image_source *s, char **names, const char *pattern,
    int *work)
{
	long best = -1;
	size_t i;

	for (i = 0; i < s->nfiles; i++)
		if (served_image(s, i) && glob_match(pattern, names[i], work) &&
		    (best == -1 || strcmp(names[i], names[best]) < 0))
			best = (long)i;
	return best;
}

static char *
from_bundle(const struct image_source *s)
{
	json_t *meta = json_object_get(s->fm->values, "resources");
	json_t *counters = json_object();
	char **names, *path, *url = NULL;
	long pick;
	size_t i;
	int work = GLOB_WORK;

	if (counters == NULL)
		return NULL;
	names = xreallocarray(NULL, s->nfiles, sizeof *names);
	for (i = 0; i < s->nfiles; i++)
		names[i] = resource_name(meta, s->files[i].name, counters,
		    &work);
	/* What is left for Hugo's own patterns, whatever the metadata
	 * spent. */
	work = GLOB_WORK;
	if ((pick = first_match(s, names, "*feature*", &work)) == -1)
		pick = first_match(s, names, "{*cover*,*thumbnail*}", &work);
	if (pick != -1 && (path = urls_resource(s->url_path,
	    s->files[pick].name)) != NULL) {
		url = xasprintf("%s%s", s->cfg->base_url, path);
		free(path);
	}
	for (i = 0; i < s->nfiles; i++)
		free(names[i]);
	free(names);
	json_decref(counters);
	return url;
}

char *
image_read(const struct image_source *s, struct diags *d)
{
	char *url = from_keys(s, d);

	if (url == NULL && s->nfiles > 0)
		url = from_bundle(s);
	return url;
}

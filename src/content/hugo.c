/*
 * hugo.c -- reads a Hugo site's configuration the way Hugo 0.111 does,
 * and fills crier's settings from it.
 *
 * An organizer who has a Hugo site should point crier at it and get feeds
 * whose links and titles are the site's.  So the rules are Hugo's, checked
 * against `hugo config`: the first of hugo.{toml,yaml,yml,json}, else
 * config.*, then every config/_default/ file merged over it by name
 * (params.toml is the `params` table, hugo.* and config.* the top level,
 * menus.en.toml is languages.en.menus), later values winning, tables
 * merged key by key.  Keys are case-insensitive in Hugo, which lowercases
 * them: the merged tree here has every key in lower case, and `where`
 * remembers the file and line each came from, for diagnostics and
 * /status.  Each file goes through the parser crier uses for front matter
 * in its format (toml.c, frontmatter.c's YAML reader, jansson), so a
 * config file is read exactly like a page's front matter.
 *
 * The typed fields of struct hugo_site are derived from the tree in one
 * place (extract), so a copy (for another event loop) is the tree copied
 * and extracted again.  Settings crier has are applied through
 * config_set with CONFIG_HUGO, which loses to crier.conf and the command
 * line; the rest (permalinks, taxonomies, ...) is kept for the URL code.
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <dirent.h>

#include "config.h"
#include "dates.h"
#include "diag.h"
#include "frontmatter.h"
#include "hugo.h"
#include "toml.h"
#include "util.h"

#define HUGO_MAX_FILE	(1024 * 1024)
#define HUGO_MAX_FILES	64	/* in config/_default */

static const char *const extensions[] = { "toml", "yaml", "yml", "json" };

/* Hugo's defaults, when a site writes no `taxonomies`. */
static const struct hugo_taxonomy default_taxonomies[] = {
	{ "tag", "tags" }, { "category", "categories" }
};

static const char *const permalink_tokens[] = {
	"year", "month", "monthname", "day", "weekday", "weekdayname",
	"yearday", "section", "sections", "title", "slug", "slugorfilename",
	"filename"
};

static void
warn(struct hugo_site *s, const char *where, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
warn(struct hugo_site *s, const char *where, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	s->warnings = xreallocarray(s->warnings, s->nwarnings + 1,
	    sizeof *s->warnings);
	s->warnings[s->nwarnings++] = xasprintf("%s: warning: %s", where ?
	    where : s->nfiles > 0 ? s->files[0] : ".", msg);
}

static int
is_file(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

static int
is_dir(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* "hugo.toml" or "config.yaml" at root, the first Hugo looks for. */
static char *
main_file(const char *root)
{
	static const char *const bases[] = { "hugo", "config" };
	char *path;
	size_t b, e;

	for (b = 0; b < nitems(bases); b++)
		for (e = 0; e < nitems(extensions); e++) {
			path = xasprintf("%s/%s.%s", root, bases[b],
			    extensions[e]);
			if (is_file(path)) {
				free(path);
				return xasprintf("%s.%s", bases[b],
				    extensions[e]);
			}
			free(path);
		}
	return NULL;
}

int
hugo_site_found(const char *dir)
{
	char *name = main_file(dir), *sub;
	int found = name != NULL;

	free(name);
	if (!found) {
		sub = xasprintf("%s/config/_default", dir);
		found = is_dir(sub);
		free(sub);
	}
	return found;
}

static const char *
extension_of(const char *name)
{
	const char *dot = strrchr(name, '.');

	return dot != NULL ? dot + 1 : "";
}

static char *
lower(const char *s)
{
	char *l = xstrdup(s), *p;

	for (p = l; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	return l;
}

/* The first problem of a parse, as "file:line: message". */
static void
first_error(const struct diags *d, const char *file, char *err, size_t n)
{
	const char *msg;
	size_t i;

	for (i = 0; i < d->n; i++)
		if (d->v[i].level == DIAG_ERROR)
			break;
	if (i == d->n) {
		snprintf(err, n, "%s: cannot be read", file);
		return;
	}
	msg = d->v[i].message;
	if (str_has_prefix(msg, "front matter: "))
		msg += strlen("front matter: ");
	snprintf(err, n, "%s:%d: %s", file, d->v[i].line, msg);
}

/* One file, in its format; lines gets each key's line (not for JSON,
 * which jansson reads without positions). */
static json_t *
parse_file(struct hugo_site *s, const char *name, json_t *lines, char *err,
    size_t errlen)
{
	const char *ext = extension_of(name), *msg;
	char *path = xasprintf("%s/%s", s->root, name), *data, why[256];
	struct diags d;
	json_error_t jerr;
	json_t *tree = NULL;
	size_t len, i;

	if (file_read(path, HUGO_MAX_FILE, &data, &len, why, sizeof why)) {
		snprintf(err, errlen, "%s: %s", path, why);
		free(path);
		return NULL;
	}
	diags_init(&d);
	if (strcmp(ext, "toml") == 0)
		tree = toml_parse(data, len, 1, TOML_MODEL, lines, &d);
	else if (strcmp(ext, "json") == 0) {
		if ((tree = json_loadb(data, len, 0, &jerr)) == NULL)
			diags_add(&d, DIAG_ERROR, jerr.line > 0 ? jerr.line : 1,
			    "JSON %s", jerr.text);
		else if (!json_is_object(tree)) {
			diags_add(&d, DIAG_ERROR, 1, "must be a JSON object");
			json_decref(tree);
			tree = NULL;
		}
	} else
		tree = frontmatter_parse_yaml(data, len, 1, lines, &d);
	free(data);
	if (tree == NULL)
		first_error(&d, path, err, errlen);
	free(path);
	for (i = 0; tree != NULL && i < d.n; i++) {
		msg = d.v[i].message;
		if (str_has_prefix(msg, "front matter: "))
			msg += strlen("front matter: ");
		s->warnings = xreallocarray(s->warnings, s->nwarnings + 1,
		    sizeof *s->warnings);
		s->warnings[s->nwarnings++] = xasprintf("%s:%d: %s: %s", name,
		    d.v[i].line, diag_level_name(d.v[i].level), msg);
	}
	diags_free(&d);
	return tree;
}

struct merging {
	struct hugo_site *site;
	const char	*file;
	json_t		*lines;		/* of the file, keys as written */
};

static char *
child_path(const char *parent, const char *key)
{
	return parent[0] ? xasprintf("%s/%s", parent, key) : xstrdup(key);
}

static void
note_where(struct merging *m, const char *written, const char *key)
{
	json_t *line = json_object_get(m->lines, written);
	char *at = json_is_integer(line) ? xasprintf("%s:%lld", m->file,
	    (long long)json_integer_value(line)) : xstrdup(m->file);

	if (json_object_set_new(m->site->where, key, json_string(at)) == -1)
		warn(m->site, at, "cannot note where %s is", key);
	free(at);
}

/* Whether an earlier key of obj than key has the same lower case. */
static int
folds_onto_earlier(json_t *obj, const char *key)
{
	const char *k;
	json_t *v;

	json_object_foreach(obj, k, v) {
		if (k == key || strcmp(k, key) == 0)
			return 0;
		if (strcasecmp(k, key) == 0)
			return 1;
	}
	return 0;
}

/*
 * Merges src (as written, at the paths written and key in lower case)
 * into dst: tables key by key, anything else replaced.
 */
static void
merge(struct merging *m, json_t *dst, json_t *src, const char *written,
    const char *key)
{
	const char *k;
	char *w, *l, *lk;
	json_t *v, *into;

	json_object_foreach(src, k, v) {
		lk = lower(k);
		w = child_path(written, k);
		l = child_path(key, lk);
		note_where(m, w, l);
		if (folds_onto_earlier(src, k))
			warn(m->site, json_string_value(json_object_get(
			    m->site->where, l)), "'%s' is written twice "
			    "(keys are case-insensitive): the later is used",
			    l);
		if (json_is_object(v)) {
			into = json_object_get(dst, lk);
			if (!json_is_object(into)) {
				into = json_object();
				if (into == NULL ||
				    json_object_set_new(dst, lk, into) == -1)
					abort();
			}
			merge(m, into, v, w, l);
		} else if (json_object_set_new(dst, lk, json_deep_copy(v)))
			abort();
		free(lk);
		free(w);
		free(l);
	}
}

/* The table a config/_default file is merged into: "" for the top. */
static char *
mount_of(const char *name)
{
	char *base = xstrndup(name, strlen(name) -
	    strlen(extension_of(name)) - 1), *dot, *mount;

	if (strcmp(base, "hugo") == 0 || strcmp(base, "config") == 0) {
		free(base);
		return xstrdup("");
	}
	if ((dot = strchr(base, '.')) != NULL) {	/* menus.en */
		*dot = '\0';
		mount = xasprintf("languages/%s/%s", dot + 1, base);
	} else
		mount = xstrdup(base);
	free(base);
	return mount;
}

/* The table at a "/"-separated path of the tree, made if missing. */
static json_t *
table_at(json_t *tree, const char *path)
{
	char *copy = lower(path), *part, *save = NULL;
	json_t *t = tree, *next;

	for (part = strtok_r(copy, "/", &save); part != NULL;
	    part = strtok_r(NULL, "/", &save)) {
		next = json_object_get(t, part);
		if (!json_is_object(next)) {
			if ((next = json_object()) == NULL ||
			    json_object_set_new(t, part, next) == -1)
				abort();
		}
		t = next;
	}
	free(copy);
	return t;
}

/* "languages/en/menus" and the tables above it came from the file, if
 * nothing did before. */
static void
note_mount(struct merging *m, const char *mount)
{
	char *prefix = xstrdup(mount), *slash;

	for (;;) {
		if (prefix[0] != '\0' && hugo_where(m->site, prefix) == NULL)
			note_where(m, "", prefix);
		if ((slash = strrchr(prefix, '/')) == NULL)
			break;
		*slash = '\0';
	}
	free(prefix);
}

static int
read_into_tree(struct hugo_site *s, const char *name, const char *mount,
    char *err, size_t errlen)
{
	struct merging m = { s, name, json_object() };
	json_t *tree;
	char *lmount;

	if (m.lines == NULL)
		abort();
	if ((tree = parse_file(s, name, m.lines, err, errlen)) == NULL) {
		json_decref(m.lines);
		return -1;
	}
	s->files = xreallocarray(s->files, s->nfiles + 1, sizeof *s->files);
	s->files[s->nfiles++] = xstrdup(name);
	lmount = lower(mount);
	m.file = s->files[s->nfiles - 1];
	note_mount(&m, lmount);
	merge(&m, table_at(s->tree, lmount), tree, "", lmount);
	free(lmount);
	json_decref(tree);
	json_decref(m.lines);
	return 0;
}

static int
by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* config/_default's files, in name order (Hugo walks the folder so). */
static int
read_config_dir(struct hugo_site *s, char *err, size_t errlen)
{
	char *dirpath = xasprintf("%s/config/_default", s->root), *names[
	    HUGO_MAX_FILES], *mount, *name;
	size_t n = 0, i, e;
	struct dirent *de;
	DIR *d;
	int rc = 0;

	if ((d = opendir(dirpath)) == NULL) {
		free(dirpath);
		return 0;
	}
	free(dirpath);
	while ((de = readdir(d)) != NULL) {
		for (e = 0; e < nitems(extensions); e++)
			if (de->d_name[0] != '.' && strcmp(extension_of(
			    de->d_name), extensions[e]) == 0)
				break;
		if (e == nitems(extensions))
			continue;
		if (n == HUGO_MAX_FILES) {
			warn(s, "config/_default", "more than %d files; '%s' "
			    "and others are not read", HUGO_MAX_FILES,
			    de->d_name);
			break;
		}
		names[n++] = xstrdup(de->d_name);
	}
	closedir(d);
	util_sort(names, n, sizeof *names, by_name);
	for (i = 0; i < n; i++) {
		name = xasprintf("config/_default/%s", names[i]);
		mount = mount_of(names[i]);
		if (rc == 0)
			rc = read_into_tree(s, name, mount, err, errlen);
		free(mount);
		free(name);
		free(names[i]);
	}
	return rc;
}

static const char *
string_of(struct hugo_site *s, json_t *tree, const char *key,
    const char *spelled, int complain)
{
	json_t *v = json_object_get(tree, key);

	if (v == NULL || json_is_string(v))
		return json_string_value(v);
	if (complain)
		warn(s, hugo_where(s, key), "%s must be text; it is ignored",
		    spelled);
	return NULL;
}

static int
bool_of(json_t *tree, const char *key)
{
	json_t *v = json_object_get(tree, key);

	return json_is_boolean(v) ? json_is_true(v) : -1;
}

static void
check_pattern(struct hugo_site *s, const char *where, const char *pattern,
    int complain)
{
	const char *p = pattern, *end;
	size_t n, i;

	while (complain && (p = strchr(p, ':')) != NULL) {
		for (end = ++p; isalnum((unsigned char)*end) || *end == '_';
		    end++)
			;
		n = (size_t)(end - p);
		for (i = 0; i < nitems(permalink_tokens); i++)
			if (strlen(permalink_tokens[i]) == n &&
			    strncmp(permalink_tokens[i], p, n) == 0)
				break;
		if (n > 0 && i == nitems(permalink_tokens))
			warn(s, where, "permalink '%s': ':%.*s' is not a "
			    "token Hugo knows", pattern, (int)n, p);
		p = end;
	}
}

static void
add_permalink(struct hugo_site *s, const char *kind, const char *section,
    json_t *pattern, const char *path, int complain)
{
	const char *where = hugo_where(s, path);

	if (!json_is_string(pattern)) {
		if (complain)
			warn(s, where, "permalinks: '%s' must be text; it is "
			    "ignored", path);
		return;
	}
	check_pattern(s, where, json_string_value(pattern), complain);
	s->permalinks = xreallocarray(s->permalinks, s->npermalinks + 1,
	    sizeof *s->permalinks);
	s->permalinks[s->npermalinks].kind = kind;
	s->permalinks[s->npermalinks].section = section;
	s->permalinks[s->npermalinks++].pattern = json_string_value(pattern);
}

/* permalinks.posts = "/:year/:slug/", or per kind:
 * permalinks.page.posts, permalinks.section.posts, ... */
static void
extract_permalinks(struct hugo_site *s, int complain)
{
	static const char *const kinds[] = { "page", "section", "taxonomy",
	    "term" };
	json_t *table = json_object_get(s->tree, "permalinks"), *v, *p;
	const char *k, *sec;
	char path[512];
	size_t i;

	json_object_foreach(table, k, v) {
		for (i = 0; i < nitems(kinds); i++)
			if (strcmp(k, kinds[i]) == 0)
				break;
		if (!json_is_object(v) || i == nitems(kinds)) {
			snprintf(path, sizeof path, "permalinks/%s", k);
			add_permalink(s, "page", k, v, path, complain);
			continue;
		}
		json_object_foreach(v, sec, p) {
			snprintf(path, sizeof path, "permalinks/%s/%s", k, sec);
			add_permalink(s, kinds[i], sec, p, path, complain);
		}
	}
}

static void
extract_taxonomies(struct hugo_site *s, int complain)
{
	json_t *table = json_object_get(s->tree, "taxonomies"), *v;
	const char *k;
	char path[512];
	size_t i;

	if (!json_is_object(table)) {
		for (i = 0; i < nitems(default_taxonomies); i++) {
			s->taxonomies = xreallocarray(s->taxonomies,
			    s->ntaxonomies + 1, sizeof *s->taxonomies);
			s->taxonomies[s->ntaxonomies++] = default_taxonomies[i];
		}
		return;
	}
	json_object_foreach(table, k, v) {
		if (!json_is_string(v) || json_string_length(v) == 0) {
			snprintf(path, sizeof path, "taxonomies/%s", k);
			if (complain)
				warn(s, hugo_where(s, path), "taxonomies: "
				    "'%s' must name the plural; it is ignored",
				    k);
			continue;
		}
		s->taxonomies = xreallocarray(s->taxonomies, s->ntaxonomies + 1,
		    sizeof *s->taxonomies);
		s->taxonomies[s->ntaxonomies].singular = k;
		s->taxonomies[s->ntaxonomies++].plural = json_string_value(v);
	}
}

static int
language_cmp(const void *a, const void *b)
{
	const struct hugo_language *x = a, *y = b;

	if (x->weight != y->weight)
		return x->weight < y->weight ? -1 : 1;
	return strcmp(x->key, y->key);
}

static const struct hugo_language *language_named(const struct hugo_site *,
	    const char *, size_t);

/* What the top level leaves unsaid, the default language says: its
 * title, languageCode and description are the site's, as in Hugo. */
static void
default_language_settings(struct hugo_site *s)
{
	const struct hugo_language *l = language_named(s, s->default_language,
	    strlen(s->default_language));

	if (l == NULL)
		return;
	if (s->title == NULL)
		s->title = l->title;
	if (s->language_code == NULL)
		s->language_code = l->language_code;
	if (s->description == NULL)
		s->description = l->description;
}

/* Hugo sorts languages by weight (0, unwritten, last), then key; the
 * default one is defaultContentLanguage, else "en". */
static void
extract_languages(struct hugo_site *s)
{
	json_t *v, *w, *params;
	const char *k;
	struct hugo_language *l;

	json_object_foreach(json_object_get(s->tree, "languages"), k, v) {
		if (!json_is_object(v))
			continue;
		s->languages = xreallocarray(s->languages, s->nlanguages + 1,
		    sizeof *s->languages);
		l = &s->languages[s->nlanguages++];
		memset(l, 0, sizeof *l);
		l->key = k;
		l->language_code = json_string_value(json_object_get(v,
		    "languagecode"));
		l->name = json_string_value(json_object_get(v,
		    "languagename"));
		l->title = json_string_value(json_object_get(v, "title"));
		params = json_object_get(v, "params");
		l->description = json_string_value(json_object_get(params,
		    "description"));
		if (l->description == NULL)
			l->description = json_string_value(json_object_get(v,
			    "description"));
		l->content_dir = json_string_value(json_object_get(v,
		    "contentdir"));
		w = json_object_get(v, "weight");
		l->weight = json_is_integer(w) && json_integer_value(w) > 0 ?
		    (long)json_integer_value(w) : LONG_MAX;
	}
	if (s->nlanguages > 1)
		qsort(s->languages, s->nlanguages, sizeof *s->languages,
		    language_cmp);
	s->default_language = json_string_value(json_object_get(s->tree,
	    "defaultcontentlanguage"));
	if (s->default_language == NULL)
		s->default_language = "en";
	s->default_in_subdir = bool_of(s->tree,
	    "defaultcontentlanguageinsubdir") == 1;
	default_language_settings(s);
}

static const struct hugo_language *
language_named(const struct hugo_site *s, const char *key, size_t len)
{
	size_t i;

	for (i = 0; i < s->nlanguages; i++)
		if (strlen(s->languages[i].key) == len &&
		    strncasecmp(s->languages[i].key, key, len) == 0)
			return &s->languages[i];
	return NULL;
}

/* "content/zh" under the site's "content": "zh"; else NULL. */
static const char *
language_subdir(const struct hugo_site *s, const struct hugo_language *l)
{
	const char *top = s->content_dir ? s->content_dir : "content";
	size_t n = strlen(top);
	const char *d = l->content_dir;

	if (d == NULL)
		return NULL;
	if (strncmp(d, "./", 2) == 0)
		d += 2;
	if (strncmp(d, top, n) != 0 || d[n] != '/' || d[n + 1] == '\0')
		return NULL;
	return d + n + 1;
}

const struct hugo_language *
hugo_language_of(const struct hugo_site *s, const char *relpath,
    char **rest)
{
	const struct hugo_language *l = NULL;
	const char *sub, *base, *dot, *ext;
	size_t i, n;

	*rest = NULL;
	if (s == NULL || s->nlanguages == 0)
		return NULL;
	for (i = 0; i < s->nlanguages && l == NULL; i++) {
		sub = language_subdir(s, &s->languages[i]);
		n = sub ? strlen(sub) : 0;
		if (sub != NULL && strncmp(relpath, sub, n) == 0 &&
		    relpath[n] == '/') {
			l = &s->languages[i];
			relpath += n + 1;
		}
	}
	base = strrchr(relpath, '/');
	base = base ? base + 1 : relpath;
	ext = strrchr(base, '.');
	dot = NULL;
	if (ext != NULL && ext > base)
		for (dot = ext - 1; dot > base && *dot != '.'; dot--)
			;
	if (dot != NULL && *dot == '.' && dot > base && language_named(s,
	    dot + 1, (size_t)(ext - dot - 1)) != NULL) {
		if (l == NULL)
			l = language_named(s, dot + 1, (size_t)(ext - dot - 1));
		*rest = xasprintf("%.*s%s", (int)(dot - relpath), relpath,
		    ext);
	} else
		*rest = xstrdup(relpath);
	if (l == NULL)
		l = language_named(s, s->default_language,
		    strlen(s->default_language));
	if (l == NULL)
		l = &s->languages[0];
	return l;
}

const struct hugo_language *
hugo_language_named(const struct hugo_site *s, const char *key)
{
	return s != NULL ? language_named(s, key, strlen(key)) : NULL;
}

const char *
hugo_language_prefix(const struct hugo_site *s,
    const struct hugo_language *l, char *buf, size_t len)
{
	if (l == NULL || (!s->default_in_subdir &&
	    strcasecmp(l->key, s->default_language) == 0))
		return "";
	if ((size_t)snprintf(buf, len, "/%s", l->key) >= len)
		return "";
	return buf;
}

static void
extract_lists(struct hugo_site *s)
{
	json_t *fm = json_object_get(s->tree, "frontmatter"), *v;
	json_t *dates = json_object_get(fm, "date");
	size_t i;

	json_array_foreach(dates, i, v) {
		if (!json_is_string(v))
			continue;
		s->date_fallbacks = xreallocarray(s->date_fallbacks,
		    s->ndate_fallbacks + 1, sizeof *s->date_fallbacks);
		s->date_fallbacks[s->ndate_fallbacks++] = json_string_value(v);
	}
	extract_languages(s);
}

/* The typed fields, from the tree; complain: warn about bad values (once,
 * at load, not again for each copy). */
static void
extract(struct hugo_site *s, int complain)
{
	json_t *t = s->tree, *n;

	s->base_url = string_of(s, t, "baseurl", "baseURL", complain);
	s->title = string_of(s, t, "title", "title", complain);
	s->language_code = string_of(s, t, "languagecode", "languageCode",
	    complain);
	s->description = string_of(s, json_object_get(t, "params"),
	    "description", "params.description", complain);
	s->content_dir = string_of(s, t, "contentdir", "contentDir", complain);
	s->time_zone = string_of(s, t, "timezone", "timeZone", complain);
	n = json_object_get(t, "summarylength");
	s->summary_length = json_is_integer(n) && json_integer_value(n) >= 0 &&
	    json_integer_value(n) < 100000 ? (int)json_integer_value(n) : -1;
	s->disable_path_to_lower = bool_of(t, "disablepathtolower");
	s->goldmark_unsafe = bool_of(json_object_get(json_object_get(
	    json_object_get(t, "markup"), "goldmark"), "renderer"), "unsafe");
	s->has_cjk_language = bool_of(t, "hascjklanguage");
	s->enable_emoji = bool_of(t, "enableemoji");
	s->ugly_urls = bool_of(t, "uglyurls");
	s->summary_length_text = NULL;
	if (s->summary_length >= 1) {
		snprintf(s->summary_length_buf, sizeof s->summary_length_buf,
		    "%d", s->summary_length);
		s->summary_length_text = s->summary_length_buf;
	}
	s->goldmark_unsafe_text = s->goldmark_unsafe < 0 ? NULL :
	    s->goldmark_unsafe ? "1" : "0";
	s->has_cjk_language_text = s->has_cjk_language < 0 ? NULL :
	    s->has_cjk_language ? "1" : "0";
	s->enable_emoji_text = s->enable_emoji < 0 ? NULL :
	    s->enable_emoji ? "1" : "0";
	extract_permalinks(s, complain);
	extract_taxonomies(s, complain);
	extract_lists(s);
}

static struct hugo_site *
site_new(const char *root)
{
	struct hugo_site *s = xcalloc(1, sizeof *s);
	size_t n;

	s->root = xstrdup(root);
	n = strlen(s->root);
	while (n > 1 && s->root[n - 1] == '/')
		s->root[--n] = '\0';
	if ((s->tree = json_object()) == NULL ||
	    (s->where = json_object()) == NULL)
		abort();
	return s;
}

struct hugo_site *
hugo_site_load(const char *root, char *err, size_t errlen)
{
	struct hugo_site *s = site_new(root);
	char *name = main_file(s->root), *dir;
	int rc = 0;

	dir = xasprintf("%s/config/_default", s->root);
	if (name == NULL && !is_dir(dir)) {
		snprintf(err, errlen, "%s: no Hugo configuration (hugo.toml, "
		    "config.toml, config/_default/, ...)", s->root);
		rc = -1;
	}
	free(dir);
	if (rc == 0 && name != NULL)
		rc = read_into_tree(s, name, "", err, errlen);
	if (rc == 0)
		rc = read_config_dir(s, err, errlen);
	free(name);
	if (rc == 0 && s->nfiles == 0) {
		snprintf(err, errlen, "%s/config/_default: no configuration "
		    "file in it", s->root);
		rc = -1;
	}
	if (rc == -1) {
		hugo_site_free(s);
		return NULL;
	}
	extract(s, 1);
	return s;
}

static void
typed_free(struct hugo_site *s)
{
	free(s->permalinks);
	free(s->taxonomies);
	free(s->date_fallbacks);
	free(s->languages);
}

void
hugo_site_free(struct hugo_site *s)
{
	size_t i;

	if (s == NULL)
		return;
	typed_free(s);
	for (i = 0; i < s->nfiles; i++)
		free(s->files[i]);
	free(s->files);
	for (i = 0; i < s->nwarnings; i++)
		free(s->warnings[i]);
	free(s->warnings);
	json_decref(s->tree);
	json_decref(s->where);
	free(s->root);
	free(s);
}

struct hugo_site *
hugo_site_copy(const struct hugo_site *from)
{
	struct hugo_site *s;
	size_t i;

	if (from == NULL)
		return NULL;
	s = site_new(from->root);
	json_decref(s->tree);
	json_decref(s->where);
	if ((s->tree = json_deep_copy(from->tree)) == NULL ||
	    (s->where = json_deep_copy(from->where)) == NULL)
		abort();
	s->files = xcalloc(from->nfiles + 1, sizeof *s->files);
	for (i = 0; i < from->nfiles; i++)
		s->files[s->nfiles++] = xstrdup(from->files[i]);
	s->warnings = xcalloc(from->nwarnings + 1, sizeof *s->warnings);
	for (i = 0; i < from->nwarnings; i++)
		s->warnings[s->nwarnings++] = xstrdup(from->warnings[i]);
	extract(s, 0);
	return s;
}

const char *
hugo_permalink_pattern(const struct hugo_site *s, const char *section)
{
	size_t i;

	if (s == NULL)
		return NULL;
	/* Keys are lower case, sections as written: Hugo 0.111 gives
	 * "Posts/" no pattern, even one written "Posts". */
	for (i = 0; i < s->npermalinks; i++)
		if (strcmp(s->permalinks[i].kind, "page") == 0 &&
		    strcmp(s->permalinks[i].section, section) == 0)
			break;
	return i < s->npermalinks ? s->permalinks[i].pattern : NULL;
}

const char *
hugo_where(const struct hugo_site *s, const char *key)
{
	return json_string_value(json_object_get(s->where, key));
}

/* The settings crier has that a Hugo site may give. */
struct applied {
	const char	*spelled;	/* Hugo's spelling */
	const char	*key;		/* in the tree */
	const char	*setting;	/* crier's */
	size_t		 field;		/* in struct hugo_site */
};

#define A(spelled, key, setting, field) \
	{ spelled, key, setting, offsetof(struct hugo_site, field) }
static const struct applied applied[] = {
	A("baseURL", "baseurl", "base_url", base_url),
	A("title", "title", "title", title),
	A("params.description", "params/description", "description",
	    description),
	A("languageCode", "languagecode", "language", language_code),
	A("contentDir", "contentdir", "content_dir", content_dir),
	A("timeZone", "timezone", "timezone", time_zone),
	A("summaryLength", "summarylength", "summary_length",
	    summary_length_text),
	A("markup.goldmark.renderer.unsafe", "markup/goldmark/renderer/unsafe",
	    "unsafe_html", goldmark_unsafe_text),
	A("hasCJKLanguage", "hascjklanguage", "has_cjk_language",
	    has_cjk_language_text),
	A("enableEmoji", "enableemoji", "enable_emoji", enable_emoji_text),
};

static const char *
field_of(const struct hugo_site *s, const struct applied *a)
{
	return *(const char *const *)((const char *)s + a->field);
}

/* NULL if crier can use the value for its setting, else why not. */
static const char *
unusable(const struct applied *a, const char *v)
{
	if (strcmp(a->setting, "base_url") == 0 && !config_base_url_ok(v))
		return "is not an http:// or https:// URL with a host";
	if (strcmp(a->setting, "timezone") == 0 && strcmp(v, "UTC") != 0 &&
	    !dates_zone_exists(v))
		return "is not a known IANA time zone";
	if (v[0] == '\0' && (strcmp(a->setting, "content_dir") == 0 ||
	    strcmp(a->setting, "base_url") == 0))
		return "is empty";
	return NULL;
}

int
hugo_apply(struct hugo_site *s, struct config *cfg, char *err, size_t errlen)
{
	const char *v, *why;
	char *value, msg[256];
	size_t i;
	int rc = 0;

	for (i = 0; i < nitems(applied) && rc == 0; i++) {
		if ((v = field_of(s, &applied[i])) == NULL)
			continue;
		if ((why = unusable(&applied[i], v)) != NULL) {
			if (config_origin(cfg, applied[i].setting) <
			    CONFIG_FILE)
				warn(s, hugo_where(s, applied[i].key), "%s "
				    "'%s' %s: crier's %s is used", applied[i]
				    .spelled, v, why, applied[i].setting);
			continue;
		}
		value = strcmp(applied[i].setting, "content_dir") == 0 &&
		    v[0] != '/' ? xasprintf("%s/%s", s->root, v) : xstrdup(v);
		if (config_set(cfg, applied[i].setting, value, CONFIG_HUGO,
		    msg, sizeof msg) == -1) {
			snprintf(err, errlen, "%s/%s: %s", s->root,
			    hugo_where(s, applied[i].key), msg);
			rc = -1;
		}
		free(value);
	}
	if (rc == 0 && config_origin(cfg, "content_dir") < CONFIG_HUGO &&
	    s->content_dir == NULL) {
		/* Hugo's default, relative to the site as Hugo reads it. */
		value = xasprintf("%s/content", s->root);
		rc = config_set(cfg, "content_dir", value, CONFIG_HUGO, err,
		    errlen);
		free(value);
	}
	if (rc == 0) {
		if (cfg->hugo != NULL)
			cfg->hugo_free(cfg->hugo);
		cfg->hugo = s;
		cfg->hugo_copy = hugo_site_copy;
		cfg->hugo_free = hugo_site_free;
	}
	return rc;
}

static const char *
status_of(const struct config *cfg, const char *setting)
{
	switch (config_origin(cfg, setting)) {
	case CONFIG_HUGO:
		return "taken";
	case CONFIG_FILE:
		return "overridden by crier.conf";
	case CONFIG_FLAG:
		return "overridden by the command line";
	default:
		return "not used";
	}
}

/* Whether frontmatter.date names ":git". */
static int
reads_git(const struct hugo_site *s)
{
	size_t i;

	for (i = 0; i < s->ndate_fallbacks; i++)
		if (strcasecmp(s->date_fallbacks[i], ":git") == 0)
			return 1;
	return 0;
}

static void
report_set(json_t *settings, const char *spelled, json_t *value,
    const char *from, const char *status)
{
	json_t *e = json_pack("{s:o, s:s, s:s}", "value", value, "from",
	    from ? from : "", "status", status);

	if (e == NULL || json_object_set_new(settings, spelled, e) == -1)
		abort();
}

static json_t *
setting_value(const struct config *cfg, const char *setting)
{
	if (strcmp(setting, "base_url") == 0)
		return json_string(cfg->base_url);
	if (strcmp(setting, "title") == 0)
		return json_string(cfg->title);
	if (strcmp(setting, "description") == 0)
		return json_string(cfg->description);
	if (strcmp(setting, "language") == 0)
		return json_string(cfg->language);
	if (strcmp(setting, "content_dir") == 0)
		return json_string(cfg->content_dir);
	return json_string(cfg->timezone);
}

static void
report_applied(json_t *settings, const struct config *cfg)
{
	const struct hugo_site *s = cfg->hugo;
	const char *v, *from;
	json_t *e;
	size_t i;

	for (i = 0; i < nitems(applied); i++) {
		from = hugo_where(s, applied[i].key);
		if ((v = field_of(s, &applied[i])) == NULL &&
		    strcmp(applied[i].setting, "content_dir") == 0) {
			v = "content";
			from = "Hugo's default";
		}
		if (v == NULL)
			continue;
		report_set(settings, applied[i].spelled, json_string(v),
		    from, status_of(cfg,
		    applied[i].setting));
		e = json_object_get(settings, applied[i].spelled);
		if (json_object_set_new(e, "setting", json_string(
		    applied[i].setting)) == -1 || json_object_set_new(e,
		    "used", setting_value(cfg, applied[i].setting)) == -1)
			abort();
	}
}

/* Read and kept in cfg->hugo for the URL code (urls_hugo_page). */
static void
report_kept(json_t *settings, const struct hugo_site *s)
{
	static const struct { const char *spelled, *path, *status; } kept[] = {
		{ "permalinks", "permalinks", "taken" },
		{ "frontmatter.date", "frontmatter/date", "taken" },
		{ "disablePathToLower", "disablepathtolower", "taken" },
		{ "uglyURLs", "uglyurls", "taken" },
		{ "languages", "languages", "taken" },
	};
	char *copy, *part, *save = NULL;
	json_t *v, *tax;
	size_t i;

	for (i = 0; i < nitems(kept); i++) {
		copy = xstrdup(kept[i].path);
		v = s->tree;
		for (part = strtok_r(copy, "/", &save); part != NULL && v;
		    part = strtok_r(NULL, "/", &save))
			v = json_object_get(v, part);
		free(copy);
		/* page.c applies a leading :filename, and nothing else. */
		if (v != NULL)
			report_set(settings, kept[i].spelled,
			    json_deep_copy(v), hugo_where(s, kept[i].path),
			    strcmp(kept[i].path, "frontmatter/date") == 0 &&
			    reads_git(s) ? "taken; ':git' gives no date (crier "
			    "reads no git history)" : kept[i].status);
	}
	if ((tax = json_object()) == NULL)
		abort();
	for (i = 0; i < s->ntaxonomies; i++)
		if (json_object_set_new(tax, s->taxonomies[i].singular,
		    json_string(s->taxonomies[i].plural)) == -1)
			abort();
	report_set(settings, "taxonomies", tax, json_object_get(s->tree,
	    "taxonomies") ? hugo_where(s, "taxonomies") : "Hugo's default",
	    "taken");
}

json_t *
hugo_report(const struct config *cfg)
{
	const struct hugo_site *s = cfg->hugo;
	json_t *settings, *files, *warnings;
	size_t i;

	if (s == NULL)
		return NULL;
	if ((settings = json_object()) == NULL ||
	    (files = json_array()) == NULL || (warnings = json_array()) == NULL)
		abort();
	report_applied(settings, cfg);
	report_kept(settings, s);
	for (i = 0; i < s->nfiles; i++)
		json_array_append_new(files, json_string(s->files[i]));
	for (i = 0; i < s->nwarnings; i++)
		json_array_append_new(warnings, json_string(s->warnings[i]));
	return json_pack("{s:s, s:o, s:o, s:o}", "site", s->root, "files",
	    files, "settings", settings, "warnings", warnings);
}

void
hugo_report_print(const struct config *cfg, FILE *f)
{
	json_t *report = hugo_report(cfg), *settings, *e, *v;
	const char *key, *status, *from;
	char *text;
	size_t i;

	if (report == NULL)
		return;
	settings = json_object_get(report, "settings");
	json_object_foreach(settings, key, e) {
		v = json_object_get(e, "value");
		text = json_is_string(v) ? xstrdup(json_string_value(v)) :
		    json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
		status = json_string_value(json_object_get(e, "status"));
		from = json_string_value(json_object_get(e, "from"));
		if (str_has_prefix(status, "overridden"))
			fprintf(f, "hugo: %s = %s (%s: %s)\n", key, text ?
			    text : "?", status, json_string_value(
			    json_object_get(e, "used")));
		else
			fprintf(f, "hugo: %s = %s (%s%s%s)\n", key, text ?
			    text : "?", status, from[0] ? "; " : "", from);
		free(text);
	}
	for (i = 0; i < cfg->hugo->nwarnings; i++)
		fprintf(f, "%s/%s\n", cfg->hugo->root, cfg->hugo->warnings[i]);
	json_decref(report);
}

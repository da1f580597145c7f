/*
 * cascade.c -- Hugo's front-matter `cascade`: what a branch (_index.md)
 * hands down to the pages below it.
 *
 * A branch's `cascade` is an object, or a list of them (Hugo 0.76), of
 * front-matter keys; each may carry a `_target` of globs (path, kind,
 * lang, environment) saying which pages below it take them.  A page
 * takes each key it does not set itself from the nearest branch that
 * has it for it: its own folder's _index.md first, then upwards.  This
 * is how Hugo's own documentation keeps internal snippets out of every
 * list (`_build: {list: never, render: never}` cascaded from one folder)
 * and how sites give a whole section an author, a type or tags.
 *
 * Parsing stays a pure function of its inputs: what a page inherits is
 * handed to it (struct cascade, with a hash that joins the page's own so
 * that a changed cascade is a changed page, load.c), and the watcher
 * reads branches before the pages below them and reads a branch's pages
 * again when its cascade changes (watch.c).
 *
 * As Hugo 0.111 does: `_target.path` is matched against "/" + the file's
 * path in the content folder with its extension ("/docs/sub/b.md",
 * "/blog/trip/index.md"); `environment` against "production", which
 * crier is (it publishes, as `hugo` does, not `hugo server`); a branch's
 * cascade is not applied to the branch itself.  Limits: a pattern longer
 * than GLOB_MAX or with more than GLOB_STARS stars or GLOB_BRACES brace
 * groups matches nothing (front matter must not buy exponential time).
 */
#include <string.h>

#include "ascii.h"
#include "cascade.h"
#include "hash.h"
#include "util.h"

#define GLOB_MAX	256
#define GLOB_STARS	8
#define GLOB_BRACES	4

static int
same_char(char a, char b)
{
	return ascii_lower((unsigned char)a) == ascii_lower((unsigned char)b);
}

/* Without braces; stars counted by the caller. */
static int
match(const char *p, const char *s)
{
	for (; *p != '\0'; p++) {
		if (*p == '*') {
			int deep = p[1] == '*';
			const char *rest = p + 1 + deep;

			for (;;) {
				if (match(rest, s))
					return 1;
				if (*s == '\0' || (!deep && *s == '/'))
					return 0;
				s++;
			}
		}
		if (*s == '\0')
			return 0;
		if (*p == '?' ? *s == '/' : !same_char(*p, *s))
			return 0;
		s++;
	}
	return *s == '\0';
}

/* Expands the first brace group and tries each alternative. */
static int
match_braces(const char *p, const char *s, int groups)
{
	const char *open = strchr(p, '{'), *close, *alt;
	char buf[GLOB_MAX + 1];
	size_t n;
	int len;

	if (open == NULL || (close = strchr(open, '}')) == NULL)
		return match(p, s);
	if (groups >= GLOB_BRACES)
		return 0;
	for (alt = open + 1; alt <= close; alt += n + 1) {
		n = strcspn(alt, ",}");
		len = snprintf(buf, sizeof buf, "%.*s%.*s%s", (int)(open - p),
		    p, (int)n, alt, close + 1);
		if (len < 0 || (size_t)len >= sizeof buf)
			return 0;
		if (match_braces(buf, s, groups + 1))
			return 1;
	}
	return 0;
}

int
cascade_glob(const char *pattern, const char *s)
{
	size_t stars = 0;
	const char *p;

	if (strlen(pattern) > GLOB_MAX)
		return 0;
	for (p = pattern; *p != '\0'; p++)
		stars += *p == '*' && p[1] != '*';
	return stars <= GLOB_STARS && match_braces(pattern, s, 0);
}

json_t *
cascade_own(const struct frontmatter *fm, struct diags *diags)
{
	json_t *v = json_object_get(fm->values, "cascade"), *list, *e;
	int line = frontmatter_line(fm, "cascade");
	size_t i;

	if (v == NULL)
		return NULL;
	if (json_is_object(v))
		return json_pack("[O]", v);
	if (!json_is_array(v)) {
		diags_add(diags, DIAG_WARNING, line, "'cascade' should be a "
		    "table or a list of tables; ignored");
		return NULL;
	}
	list = json_array();
	json_array_foreach(v, i, e) {
		if (json_is_object(e))
			json_array_append(list, e);
		else
			diags_add(diags, DIAG_WARNING, line, "'cascade' entry "
			    "%zu is not a table; ignored", i + 1);
	}
	if (json_array_size(list) == 0) {
		json_decref(list);
		return NULL;
	}
	return list;
}

int
cascade_is_branch(const char *relpath)
{
	const char *base = strrchr(relpath, '/');

	base = base ? base + 1 : relpath;
	return strncmp(base, "_index.", 7) == 0 &&
	    (str_has_suffix(base, ".md") || str_has_suffix(base, ".markdown") ||
	    str_has_suffix(base, ".mdown"));
}

/* "zh" of "post.zh.md" or "index.zh.md"; "" without one. */
static void
lang_suffix(const char *relpath, char *out, size_t outlen)
{
	const char *base = strrchr(relpath, '/'), *last, *dot;

	base = base ? base + 1 : relpath;
	out[0] = '\0';
	last = strrchr(base, '.');
	if (last == NULL || last == base)
		return;
	for (dot = last - 1; dot > base && *dot != '.'; dot--)
		;
	if (*dot == '.' && last - dot - 1 > 0 && (size_t)(last - dot) < outlen)
		snprintf(out, outlen, "%.*s", (int)(last - dot - 1), dot + 1);
}

/* The entries of the branch in folder dir (its language's index first). */
static const json_t *
branch_of(const char *dir, const char *lang,
    const json_t *(*own_of)(const char *, void *), void *arg)
{
	static const char *const names[] = {
		"_index.md", "_index.markdown", "_index.mdown",
	};
	const json_t *found = NULL;
	char *path;
	size_t i;

	if (lang[0] != '\0') {
		path = dir[0] ? xasprintf("%s/_index.%s.md", dir, lang) :
		    xasprintf("_index.%s.md", lang);
		found = own_of(path, arg);
		free(path);
	}
	for (i = 0; found == NULL && i < sizeof names / sizeof names[0]; i++) {
		path = dir[0] ? xasprintf("%s/%s", dir, names[i]) :
		    xstrdup(names[i]);
		found = own_of(path, arg);
		free(path);
	}
	return found;
}

void
cascade_inherit(struct cascade *c, const char *relpath,
    const json_t *(*own_of)(const char *, void *), void *arg)
{
	char lang[32], *dir = xstrdup(relpath), *slash, *dump;
	const json_t *own;
	size_t i;

	c->entries = NULL;
	c->hash = 0;
	lang_suffix(relpath, lang, sizeof lang);
	/* A branch inherits from the folders above its own. */
	if ((slash = strrchr(dir, '/')) != NULL)
		*slash = '\0';
	else
		dir[0] = '\0';
	if (cascade_is_branch(relpath) && dir[0] == '\0')
		goto out;
	if (cascade_is_branch(relpath)) {
		slash = strrchr(dir, '/');
		if (slash != NULL)
			*slash = '\0';
		else
			dir[0] = '\0';
	}
	for (;;) {
		if ((own = branch_of(dir, lang, own_of, arg)) != NULL) {
			if (c->entries == NULL)
				c->entries = json_array();
			for (i = 0; i < json_array_size(own); i++)
				json_array_append_new(c->entries, json_deep_copy(
				    json_array_get(own, i)));
		}
		if (dir[0] == '\0')
			break;
		slash = strrchr(dir, '/');
		if (slash != NULL)
			*slash = '\0';
		else
			dir[0] = '\0';
	}
	if (c->entries != NULL && (dump = json_dumps(c->entries, JSON_COMPACT |
	    JSON_SORT_KEYS)) != NULL) {
		c->hash = hash64(dump, strlen(dump)) | 1;
		free(dump);
	}
out:
	free(dir);
}

void
cascade_clear(struct cascade *c)
{
	json_decref(c->entries);
	c->entries = NULL;
	c->hash = 0;
}

/* A `_target` key absent, or its glob matching value. */
static int
target_key(const json_t *target, const char *key, const char *value)
{
	const json_t *v = json_object_get(target, key);

	if (v == NULL || (json_is_string(v) && json_string_length(v) == 0))
		return 1;
	return json_is_string(v) && cascade_glob(json_string_value(v), value);
}

static int
targets(const json_t *entry, const char *path, const char *kind,
    const char *lang)
{
	const json_t *t = json_object_get(entry, "_target");

	if (t == NULL)
		return 1;
	if (!json_is_object(t))
		return 0;
	return target_key(t, "path", path) && target_key(t, "kind", kind) &&
	    target_key(t, "lang", lang) &&
	    target_key(t, "environment", "production");
}

void
cascade_apply(const struct cascade *c, json_t *values, const char *relpath,
    const char *kind, const char *lang)
{
	const char *key;
	json_t *entry, *v;
	char *path;
	size_t i;

	if (c == NULL || c->entries == NULL || !json_is_object(values))
		return;
	path = xasprintf("/%s", relpath);
	json_array_foreach(c->entries, i, entry) {
		if (!targets(entry, path, kind, lang ? lang : ""))
			continue;
		json_object_foreach(entry, key, v) {
			/* Never a cascade of a cascade, nor its target. */
			if (strcmp(key, "_target") == 0 ||
			    strcmp(key, "cascade") == 0 ||
			    json_object_get(values, key) != NULL)
				continue;
			json_object_set_new(values, key, json_deep_copy(v));
		}
	}
	free(path);
}

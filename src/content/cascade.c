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
 * cascade is not applied to the branch itself.  Limits: front matter
 * must not buy time, so a glob is matched in O(pattern x path) (no
 * backtracking), and a pattern longer than GLOB_MAX or whose brace
 * groups make more than GLOB_EXPANSIONS patterns matches nothing.
 *
 * A page written in a language (post.zh.md, on a site whose `languages`
 * has zh) inherits from that language's branches (_index.zh.md) only:
 * Hugo keeps a page tree per language, and _index.md is the default
 * language's.
 */
#include <stdlib.h>
#include <string.h>

#include "ascii.h"
#include "cascade.h"
#include "hash.h"
#include "urls.h"
#include "util.h"

#define GLOB_MAX	256	/* a pattern's bytes */
#define GLOB_EXPANSIONS	64	/* patterns its {a,b} groups make */
#define GLOB_TEXT_MAX	4096	/* a path's bytes (PATH_MAX) */

static int
same_char(char a, char b)
{
	return ascii_lower((unsigned char)a) == ascii_lower((unsigned char)b);
}

/*
 * Without braces, by dynamic programming over (pattern, text) positions:
 * O(|p| |s|) whatever the stars, where backtracking is exponential in
 * them.  at[j]: the pattern so far matches the first j bytes of s.
 */
static int
match(const char *p, const char *s)
{
	size_t n = strlen(s), j;
	unsigned char at[GLOB_TEXT_MAX + 1], prev;
	int deep;

	if (n > GLOB_TEXT_MAX)
		return 0;
	memset(at, 0, n + 1);
	at[0] = 1;
	for (; *p != '\0'; p++) {
		if (*p == '*') {
			deep = p[1] == '*';
			p += deep;
			/* at[j] |= at[j - 1], within one segment unless deep */
			for (j = 1; j <= n; j++)
				if (!at[j] && at[j - 1] && (deep || s[j - 1] != '/'))
					at[j] = 1;
			continue;
		}
		prev = at[0];
		at[0] = 0;
		for (j = 1; j <= n; j++) {
			unsigned char here = at[j];

			at[j] = prev && (*p == '?' ? s[j - 1] != '/' :
			    same_char(*p, s[j - 1]));
			prev = here;
		}
	}
	return at[n];
}

/* How many patterns the brace groups of p expand to (at least 1). */
static size_t
expansions(const char *p)
{
	const char *open, *close;
	size_t total = 1, alts;

	while ((open = strchr(p, '{')) != NULL &&
	    (close = strchr(open, '}')) != NULL) {
		for (alts = 1, p = open; p < close; p++)
			alts += *p == ',';
		if ((total *= alts) > GLOB_EXPANSIONS)
			return total;
		p = close + 1;
	}
	return total;
}

/* Expands the first brace group and tries each alternative. */
static int
match_braces(const char *p, const char *s)
{
	const char *open = strchr(p, '{'), *close, *alt;
	char buf[GLOB_MAX + 1];
	size_t n;
	int len;

	if (open == NULL || (close = strchr(open, '}')) == NULL)
		return match(p, s);
	for (alt = open + 1; alt <= close; alt += n + 1) {
		n = strcspn(alt, ",}");
		len = snprintf(buf, sizeof buf, "%.*s%.*s%s", (int)(open - p),
		    p, (int)n, alt, close + 1);
		if (len < 0 || (size_t)len >= sizeof buf)
			return 0;
		if (match_braces(buf, s))
			return 1;
	}
	return 0;
}

int
cascade_glob(const char *pattern, const char *s)
{
	if (strlen(pattern) > GLOB_MAX || expansions(pattern) > GLOB_EXPANSIONS)
		return 0;
	return match_braces(pattern, s);
}

json_t *
cascade_own(const struct frontmatter *fm, struct diags *diags)
{
	json_t *v = json_object_get(fm->values, "cascade"), *list, *e;
	int line = frontmatter_line(fm, "cascade");
	size_t i;

	if (v == NULL)
		return NULL;
	if (json_is_object(v)) {
		if ((list = json_pack("[O]", v)) == NULL)
			abort();
		return list;
	}
	if (!json_is_array(v)) {
		diags_add(diags, DIAG_WARNING, line, "'cascade' should be a "
		    "table or a list of tables; ignored");
		return NULL;
	}
	if ((list = json_array()) == NULL)
		abort();
	json_array_foreach(v, i, e) {
		if (json_is_object(e)) {
			if (json_array_append(list, e) == -1)
				abort();
		} else
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

	return urls_branch_index(base ? base + 1 : relpath);
}

/* The entries of the branch in folder dir for a page in language lang
 * (NULL: the default language, or a site without languages). */
static const json_t *
branch_of(const char *dir, const char *lang, int lang_default,
    const json_t *(*own_of)(const char *, void *), void *arg)
{
	static const char *const exts[] = { "md", "markdown", "mdown" };
	const json_t *found = NULL;
	char *path;
	size_t i;

	for (i = 0; found == NULL && i < sizeof exts / sizeof exts[0]; i++) {
		if (lang != NULL) {
			path = dir[0] ? xasprintf("%s/_index.%s.%s", dir, lang,
			    exts[i]) : xasprintf("_index.%s.%s", lang, exts[i]);
			found = own_of(path, arg);
			free(path);
		}
		if (found != NULL || (lang != NULL && !lang_default))
			continue;
		path = dir[0] ? xasprintf("%s/_index.%s", dir, exts[i]) :
		    xasprintf("_index.%s", exts[i]);
		found = own_of(path, arg);
		free(path);
	}
	return found;
}

/* dir without its last segment ("" stays ""). */
static void
up(char *dir)
{
	char *slash = strrchr(dir, '/');

	if (slash != NULL)
		*slash = '\0';
	else
		dir[0] = '\0';
}

void
cascade_inherit(struct cascade *c, const char *relpath, const char *lang,
    int lang_default, const json_t *(*own_of)(const char *, void *),
    void *arg)
{
	char *dir = xstrdup(relpath), *dump;
	const json_t *own;
	json_t *copy;
	size_t i;

	c->entries = NULL;
	c->hash = 0;
	up(dir);
	/* A branch inherits from the folders above its own. */
	if (cascade_is_branch(relpath)) {
		if (dir[0] == '\0')
			goto out;
		up(dir);
	}
	for (;;) {
		if ((own = branch_of(dir, lang, lang_default, own_of, arg)) !=
		    NULL) {
			if (c->entries == NULL && (c->entries = json_array()) ==
			    NULL)
				abort();
			for (i = 0; i < json_array_size(own); i++)
				if ((copy = json_deep_copy(json_array_get(own,
				    i))) == NULL ||
				    json_array_append_new(c->entries, copy) == -1)
					abort();
		}
		if (dir[0] == '\0')
			break;
		up(dir);
	}
	if (c->entries != NULL) {
		if ((dump = json_dumps(c->entries, JSON_COMPACT |
		    JSON_SORT_KEYS)) == NULL)
			abort();
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
			if (json_object_set_new(values, key,
			    json_deep_copy(v)) == -1)
				abort();
		}
	}
	free(path);
}

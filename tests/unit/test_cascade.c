/*
 * test_cascade.c -- Hugo's front-matter cascade: its globs as Hugo 0.111
 * matched them (each pattern below was tried with `hugo` on a fixture of
 * docs/a.md, docs/sub/b.md, docs/sub/_index.md), a branch's own entries,
 * what a page inherits (nearest branch first) and how it is applied.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cascade.h"
#include "frontmatter.h"

static void
globs_as_hugo_matched_them(void **state)
{
	(void)state;
	/* Hugo matched "/docs/sub/b.md" with these... */
	assert_true(cascade_glob("/docs/sub/**", "/docs/sub/b.md"));
	assert_true(cascade_glob("/docs/sub/b.md", "/docs/sub/b.md"));
	assert_true(cascade_glob("/docs/sub/*", "/docs/sub/b.md"));
	assert_true(cascade_glob("/docs/**", "/docs/sub/b.md"));
	assert_true(cascade_glob("/Docs/sub/**", "/docs/sub/b.md"));
	/* ... and not with these. */
	assert_false(cascade_glob("/docs/sub/b", "/docs/sub/b.md"));
	assert_false(cascade_glob("/docs/*", "/docs/sub/b.md"));
	assert_false(cascade_glob("docs/sub/**", "/docs/sub/b.md"));
	assert_false(cascade_glob("/docs/sub", "/docs/sub/b.md"));
	/* and "/docs/(star)" took docs/a.md */
	assert_true(cascade_glob("/docs/*", "/docs/a.md"));
	assert_true(cascade_glob("/DOCS/A.MD", "/docs/a.md"));
	/* gobwas: ?, alternatives */
	assert_true(cascade_glob("/docs/?.md", "/docs/a.md"));
	assert_false(cascade_glob("/docs?a.md", "/docs/a.md"));
	assert_true(cascade_glob("{page,section}", "section"));
	assert_true(cascade_glob("/{blog,news}/**", "/news/x/index.md"));
	assert_false(cascade_glob("/{blog,news}/**", "/docs/x.md"));
	assert_true(cascade_glob("{en,zh}", "zh"));
	assert_false(cascade_glob("{en,zh}", "fr"));
	assert_true(cascade_glob("", ""));
	assert_false(cascade_glob("", "x"));
}

static void
globs_have_limits(void **state)
{
	char long_pattern[400];
	char path[200];

	(void)state;
	memset(long_pattern, 'a', sizeof long_pattern - 1);
	long_pattern[sizeof long_pattern - 1] = '\0';
	assert_false(cascade_glob(long_pattern, long_pattern));
	/* Many stars against a long path that fails at its end: matched
	 * in quadratic time, not the exponential of backtracking (this
	 * would not end with a backtracking matcher). */
	memset(path, 'a', sizeof path - 1);
	path[sizeof path - 1] = '\0';
	memcpy(path, "/x/", 3);
	assert_false(cascade_glob("/x/*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*b", path));
	assert_true(cascade_glob("/x/*a*a*a*", path));
	assert_true(cascade_glob("**a**a**a**", path));
	assert_false(cascade_glob("*a*a*a*", path));	/* '*' stops at '/' */
	/* Brace groups expanding to more than 64 patterns match nothing. */
	assert_false(cascade_glob("{a,b}{a,b}{a,b}{a,b}{a,b}{a,b}{a,b}x",
	    "aaaaaaax"));
	assert_true(cascade_glob("{a,b}{a,b}x", "abx"));
}

static json_t *
own_of_text(const char *yaml, struct diags *d)
{
	struct frontmatter fm;
	json_t *own;

	assert_int_equal(frontmatter_parse(yaml, strlen(yaml), &fm, d), 0);
	own = cascade_own(&fm, d);
	frontmatter_free(&fm);
	return own;
}

static void
own_entries_and_their_warnings(void **state)
{
	struct diags d;
	json_t *own;

	(void)state;
	diags_init(&d);
	own = own_of_text("---\ntitle: x\ncascade:\n  tags: [a]\n---\n", &d);
	assert_non_null(own);
	assert_int_equal(json_array_size(own), 1);
	assert_non_null(json_object_get(json_array_get(own, 0), "tags"));
	json_decref(own);
	own = own_of_text("---\ncascade:\n  - tags: [a]\n  - 3\n  - "
	    "_target: {kind: page}\n    draft: true\n---\n", &d);
	assert_int_equal(json_array_size(own), 2);
	json_decref(own);
	assert_int_equal(d.n, 1);
	assert_int_equal(d.v[0].line, 2);
	assert_non_null(strstr(d.v[0].message, "entry 2 is not a table"));
	assert_null(own_of_text("---\ncascade: yes\n---\n", &d));
	assert_int_equal(d.n, 2);
	assert_non_null(strstr(d.v[1].message, "'cascade' should be a table"));
	assert_null(own_of_text("+++\ntitle = 'x'\n+++\n", &d));
	own = own_of_text("+++\n[[cascade]]\ntags = ['t']\n[cascade._target]\n"
	    "path = '/x/**'\n+++\n", &d);
	assert_int_equal(json_array_size(own), 1);
	assert_string_equal(json_string_value(json_object_get(json_object_get(
	    json_array_get(own, 0), "_target"), "path")), "/x/**");
	json_decref(own);
	assert_int_equal(d.n, 2);
	diags_free(&d);
}

/* Branches by index path, each with a one-entry cascade {"who": path}. */
static const char *const branches[] = {
	"_index.md", "docs/_index.md", "docs/sub/_index.zh.md",
	"docs/sub/_index.md", "blog/deep/_index.markdown",
};

static const json_t *
fake_own_of(const char *path, void *arg)
{
	json_t **made = arg;
	size_t i;

	for (i = 0; i < sizeof branches / sizeof branches[0]; i++)
		if (strcmp(path, branches[i]) == 0) {
			if (made[i] == NULL)
				made[i] = json_pack("[{ss}]", "who", path);
			return made[i];
		}
	return NULL;
}

static char *
inherited_whos(const char *relpath, const char *lang, int lang_default)
{
	json_t *made[sizeof branches / sizeof branches[0]] = { NULL };
	struct cascade c;
	char buf[256] = "";
	size_t i;

	cascade_inherit(&c, relpath, lang, lang_default, fake_own_of, made);
	for (i = 0; c.entries != NULL && i < json_array_size(c.entries); i++) {
		strcat(buf, json_string_value(json_object_get(
		    json_array_get(c.entries, i), "who")));
		strcat(buf, " ");
	}
	assert_true((c.entries == NULL) == (c.hash == 0));
	cascade_clear(&c);
	for (i = 0; i < sizeof made / sizeof made[0]; i++)
		json_decref(made[i]);
	return strdup(buf);
}

static void
check_whos_in(const char *relpath, const char *lang, int lang_default,
    const char *want)
{
	char *got = inherited_whos(relpath, lang, lang_default);

	assert_string_equal(got, want);
	free(got);
}

static void
check_whos(const char *relpath, const char *want)
{
	check_whos_in(relpath, NULL, 1, want);
}

static void
inherits_nearest_first(void **state)
{
	(void)state;
	check_whos("docs/sub/b.md", "docs/sub/_index.md docs/_index.md _index.md ");
	/* A page in a language other than the default inherits from its
	 * language's branches only (Hugo's page tree per language); one in
	 * the default language from _index.md, or _index.en.md. */
	check_whos_in("docs/sub/b.zh.md", "zh", 0, "docs/sub/_index.zh.md ");
	check_whos_in("docs/sub/b.md", "en", 1,
	    "docs/sub/_index.md docs/_index.md _index.md ");
	check_whos_in("docs/sub/b.fr.md", "fr", 0, "");
	check_whos("docs/sub/bundle/index.md",
	    "docs/sub/_index.md docs/_index.md _index.md ");
	/* A branch inherits from those above it, never from itself. */
	check_whos("docs/sub/_index.md", "docs/_index.md _index.md ");
	check_whos("docs/_index.md", "_index.md ");
	check_whos("_index.md", "");
	check_whos("top.md", "_index.md ");
	check_whos("blog/deep/x.md", "blog/deep/_index.markdown _index.md ");
}

static const json_t *
other_own_of(const char *path, void *arg)
{
	json_t **made = arg;

	if (strcmp(path, "docs/_index.md") != 0)
		return NULL;
	if (*made == NULL)
		*made = json_pack("[{ss}]", "who", "someone else");
	return *made;
}

static uint64_t
hash_of(const char *relpath, const json_t *(*own_of)(const char *, void *))
{
	json_t *made[sizeof branches / sizeof branches[0]] = { NULL };
	struct cascade c;
	uint64_t h;
	size_t i;

	cascade_inherit(&c, relpath, NULL, 1, own_of, made);
	h = c.hash;
	cascade_clear(&c);
	for (i = 0; i < sizeof made / sizeof made[0]; i++)
		json_decref(made[i]);
	return h;
}

/* The hash a page's own joins: the same entries, the same hash; other
 * entries, another; none, 0 (the page's hash is then unchanged). */
static void
hash_follows_the_entries(void **state)
{
	(void)state;
	assert_int_not_equal(hash_of("docs/a.md", fake_own_of), 0);
	assert_true(hash_of("docs/a.md", fake_own_of) ==
	    hash_of("docs/a.md", fake_own_of));
	assert_true(hash_of("docs/a.md", fake_own_of) !=
	    hash_of("docs/a.md", other_own_of));
	assert_true(hash_of("docs/a.md", fake_own_of) !=
	    hash_of("docs/sub/a.md", fake_own_of));
	assert_true(hash_of("blog/x.md", other_own_of) == 0);
}

static json_t *
applied(const char *entries_json, const char *own_json, const char *path,
    const char *kind, const char *lang)
{
	struct cascade c;
	json_t *values = json_loads(own_json, 0, NULL);

	c.entries = json_loads(entries_json, 0, NULL);
	c.hash = 1;
	assert_non_null(values);
	assert_non_null(c.entries);
	cascade_apply(&c, values, path, kind, lang);
	cascade_clear(&c);
	return values;
}

static void
check_applied(const char *entries, const char *own, const char *path,
    const char *kind, const char *lang, const char *want)
{
	json_t *got = applied(entries, own, path, kind, lang);
	char *text = json_dumps(got, JSON_COMPACT | JSON_SORT_KEYS);

	assert_string_equal(text, want);
	free(text);
	json_decref(got);
}

static void
applies_what_the_page_does_not_set(void **state)
{
	(void)state;
	/* Its own keys win; the nearest entry wins over farther ones. */
	check_applied("[{\"tags\":[\"near\"],\"x\":1},{\"tags\":[\"far\"],"
	    "\"y\":2}]", "{\"title\":\"t\",\"x\":0}", "docs/a.md", "page", "en",
	    "{\"tags\":[\"near\"],\"title\":\"t\",\"x\":0,\"y\":2}");
	/* _target: path (with "/" and the extension), kind, lang. */
	check_applied("[{\"_target\":{\"path\":\"/docs/sub/**\"},\"_build\":"
	    "{\"list\":\"never\"}}]", "{}", "docs/sub/b.md", "page", "en",
	    "{\"_build\":{\"list\":\"never\"}}");
	check_applied("[{\"_target\":{\"path\":\"/docs/sub/**\"},\"_build\":"
	    "{\"list\":\"never\"}}]", "{}", "docs/a.md", "page", "en", "{}");
	check_applied("[{\"_target\":{\"kind\":\"section\"},\"a\":1},"
	    "{\"_target\":{\"kind\":\"page\"},\"b\":1}]", "{}", "d/x.md",
	    "page", "en", "{\"b\":1}");
	check_applied("[{\"_target\":{\"lang\":\"zh\"},\"a\":1}]", "{}",
	    "x.zh.md", "page", "zh", "{\"a\":1}");
	check_applied("[{\"_target\":{\"lang\":\"zh\"},\"a\":1}]", "{}",
	    "x.md", "page", "en", "{}");
	/* crier publishes: the production environment. */
	check_applied("[{\"_target\":{\"environment\":\"production\"},\"a\":1},"
	    "{\"_target\":{\"environment\":\"development\"},\"b\":1}]", "{}",
	    "x.md", "page", "en", "{\"a\":1}");
	/* A _target that is not a table matches nothing; an empty glob
	 * is no condition; never a cascade of a cascade. */
	check_applied("[{\"_target\":\"x\",\"a\":1},{\"_target\":{\"kind\":"
	    "\"\"},\"b\":1,\"cascade\":{\"c\":1}}]", "{}", "x.md", "page", "en",
	    "{\"b\":1}");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(globs_as_hugo_matched_them),
		cmocka_unit_test(globs_have_limits),
		cmocka_unit_test(own_entries_and_their_warnings),
		cmocka_unit_test(inherits_nearest_first),
		cmocka_unit_test(hash_follows_the_entries),
		cmocka_unit_test(applies_what_the_page_does_not_set),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/*
 * test_hugo.c -- a Hugo site's configuration (hugo.c): TOML, YAML and JSON
 * files, hugo.* before config.*, config/_default merged by file name,
 * keys read case-insensitively, errors naming file and line, and the
 * order of precedence: defaults < the Hugo site < crier.conf < flags.
 * The fixtures are tests/fixtures/hugo-*; tests/e2e/test_hugo_site.py
 * checks the same readings against `hugo config`.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fixture.h"

#include "config.h"
#include "hugo.h"
#include "util.h"

#define FIX "tests/fixtures/"

static struct hugo_site *
load(const char *root)
{
	char err[512] = "";
	struct hugo_site *s = hugo_site_load(root, err, sizeof err);

	if (s == NULL)
		fail_msg("%s: %s", root, err);
	return s;
}

static const char *
tree_string(const struct hugo_site *s, const char *a, const char *b)
{
	json_t *v = json_object_get(s->tree, a);

	if (b != NULL)
		v = json_object_get(v, b);
	return json_string_value(v);
}

static const char *
taxonomy_plural(const struct hugo_site *s, const char *singular)
{
	size_t i;

	for (i = 0; i < s->ntaxonomies; i++)
		if (strcmp(s->taxonomies[i].singular, singular) == 0)
			return s->taxonomies[i].plural;
	return NULL;
}

static void
toml_site(void **state)
{
	struct hugo_site *s = load(FIX "hugo-toml/");

	(void)state;
	assert_string_equal(s->root, FIX "hugo-toml");
	/* hugo.toml, never config.toml beside it. */
	assert_int_equal(s->nfiles, 1);
	assert_string_equal(s->files[0], "hugo.toml");
	assert_string_equal(s->base_url, "https://riverside.example.org/");
	assert_string_equal(s->title, "Riverside Makers");	/* "Title" */
	assert_string_equal(s->language_code, "en-gb");
	assert_string_equal(s->description,
	    "Workshops and repair cafés by the river");	/* "Description" */
	assert_string_equal(s->content_dir, "posts-src");
	assert_string_equal(s->time_zone, "Europe/Berlin");
	assert_int_equal(s->summary_length, 40);
	assert_int_equal(s->disable_path_to_lower, 1);
	assert_int_equal(s->has_cjk_language, 1);
	assert_int_equal(s->enable_emoji, 1);
	assert_int_equal(s->goldmark_unsafe, 1);
	assert_string_equal(hugo_permalink_pattern(s, "news"),
	    "/:year/:month/:slug/");
	/* Hugo 0.111 matches a section as written: "News/" has none. */
	assert_null(hugo_permalink_pattern(s, "News"));
	assert_string_equal(hugo_permalink_pattern(s, "events"),
	    "/:section/:year/:filename/");
	assert_null(hugo_permalink_pattern(s, "talks"));
	assert_int_equal(s->ntaxonomies, 3);
	assert_string_equal(taxonomy_plural(s, "series"), "series");
	assert_string_equal(taxonomy_plural(s, "tag"), "tags");
	assert_int_equal(s->ndate_fallbacks, 2);
	assert_string_equal(s->date_fallbacks[0], ":filename");
	assert_string_equal(s->date_fallbacks[1], ":default");
	assert_int_equal(s->nlanguages, 2);
	assert_string_equal(s->languages[0].key, "en");
	assert_string_equal(s->languages[1].key, "de");
	assert_string_equal(hugo_where(s, "baseurl"), "hugo.toml:2");
	assert_string_equal(hugo_where(s, "title"), "hugo.toml:3");
	assert_string_equal(hugo_where(s, "params/description"),
	    "hugo.toml:13");
	assert_int_equal(s->nwarnings, 0);
	hugo_site_free(s);
}

static void
yaml_site(void **state)
{
	struct hugo_site *s = load(FIX "hugo-yaml");

	(void)state;
	assert_string_equal(s->files[0], "hugo.yaml");
	assert_string_equal(s->base_url, "https://yaml.example.org/");
	assert_string_equal(s->language_code, "fr");	/* "LanguageCode" */
	assert_string_equal(s->description, "Un site");
	assert_null(s->content_dir);
	assert_null(s->time_zone);
	assert_int_equal(s->summary_length, -1);
	assert_int_equal(s->enable_emoji, -1);
	assert_string_equal(hugo_permalink_pattern(s, "posts"),
	    "/:year/:slug/");
	/* Taxonomies written replace Hugo's defaults. */
	assert_int_equal(s->ntaxonomies, 1);
	assert_null(taxonomy_plural(s, "category"));
	assert_string_equal(hugo_where(s, "languagecode"), "hugo.yaml:3");
	hugo_site_free(s);
}

static void
json_site(void **state)
{
	struct hugo_site *s = load(FIX "hugo-json");
	size_t i;

	(void)state;
	assert_string_equal(s->files[0], "config.json");
	assert_string_equal(s->base_url, "https://json.example.org/");
	assert_string_equal(s->content_dir, "pages");
	/* Per-kind permalinks; :contentbasename is Hugo 0.144's, which
	 * 0.111 rejects ("permalink ill-formed"): a warning. */
	assert_string_equal(hugo_permalink_pattern(s, "posts"),
	    "/p/:contentbasename/");
	assert_int_equal(s->npermalinks, 2);
	for (i = 0; i < s->npermalinks; i++)
		if (strcmp(s->permalinks[i].kind, "section") == 0)
			assert_string_equal(s->permalinks[i].pattern, "/p/");
	/* None written: Hugo's tags and categories. */
	assert_string_equal(taxonomy_plural(s, "category"), "categories");
	assert_string_equal(hugo_where(s, "baseurl"), "config.json");
	assert_int_equal(s->nwarnings, 1);
	assert_non_null(strstr(s->warnings[0], "contentbasename"));
	hugo_site_free(s);
}

/* Merged as `hugo config` prints it: the folder's files win, tables are
 * merged key by key. */
static void
split_site(void **state)
{
	struct hugo_site *s = load(FIX "hugo-split");
	json_t *menus;

	(void)state;
	assert_int_equal(s->nfiles, 5);
	assert_string_equal(s->files[0], "config.toml");
	assert_string_equal(s->files[1], "config/_default/hugo.toml");
	assert_string_equal(s->files[2], "config/_default/menus.en.toml");
	assert_string_equal(s->files[3], "config/_default/params.toml");
	assert_string_equal(s->files[4], "config/_default/permalinks.yaml");
	assert_string_equal(s->base_url, "https://split.example.org/");
	assert_string_equal(s->title, "Split Site");
	assert_string_equal(s->time_zone, "America/New_York");
	assert_string_equal(s->description, "From params.toml");
	assert_string_equal(tree_string(s, "params", "keep"), "kept");
	assert_string_equal(hugo_permalink_pattern(s, "posts"),
	    "/:year/:month/:day/:title/");
	assert_string_equal(hugo_where(s, "title"),
	    "config/_default/hugo.toml:1");
	assert_string_equal(hugo_where(s, "params/description"),
	    "config/_default/params.toml:1");
	menus = json_object_get(json_object_get(json_object_get(
	    s->tree, "languages"), "en"), "menus");
	assert_true(json_is_array(json_object_get(menus, "main")));
	assert_int_equal(s->nlanguages, 1);
	hugo_site_free(s);
}

/* hugo-i18n: languages by weight, a page's language by its name's
 * suffix (a bundle's index.zh.md too), its path without it, and the
 * prefixes: none for the default language, /zh for the others. */
static void
languages_by_suffix(void **state)
{
	struct hugo_site *s = load(FIX "hugo-i18n/");
	const struct hugo_language *l;
	char *rest, buf[32];

	(void)state;
	assert_int_equal(s->nlanguages, 3);
	assert_string_equal(s->languages[0].key, "en");
	assert_string_equal(s->languages[1].key, "zh");
	assert_string_equal(s->languages[2].key, "fr");
	assert_string_equal(s->languages[1].language_code, "zh-CN");
	assert_string_equal(s->languages[1].title, "\xe6\xb2\xb3\xe7\x95\x94"
	    "\xe7\xa4\xbe\xe5\x8c\xba\xe8\x8f\x9c\xe5\x9b\xad");
	/* The default language's settings are the site's. */
	assert_string_equal(s->title, "Riverside Community Garden");
	assert_string_equal(s->language_code, "en-GB");
	l = hugo_language_of(s, "posts/work-day.zh.md", &rest);
	assert_string_equal(l->key, "zh");
	assert_string_equal(rest, "posts/work-day.md");
	assert_string_equal(hugo_language_prefix(s, l, buf, sizeof buf),
	    "/zh");
	free(rest);
	l = hugo_language_of(s, "posts/seed-swap/index.zh.md", &rest);
	assert_string_equal(l->key, "zh");
	assert_string_equal(rest, "posts/seed-swap/index.md");
	free(rest);
	/* No suffix, or one that names no language: the default's. */
	l = hugo_language_of(s, "posts/rota.md", &rest);
	assert_string_equal(l->key, "en");
	assert_string_equal(rest, "posts/rota.md");
	assert_string_equal(hugo_language_prefix(s, l, buf, sizeof buf), "");
	free(rest);
	l = hugo_language_of(s, "posts/v1.2.md", &rest);
	assert_string_equal(l->key, "en");
	assert_string_equal(rest, "posts/v1.2.md");
	free(rest);
	hugo_site_free(s);
	/* Without `languages`: nothing. */
	s = load(FIX "hugo-urls/");
	assert_null(hugo_language_of(s, "posts/a.zh.md", &rest));
	assert_null(rest);
	hugo_site_free(s);
}

static void
errors_name_file_and_line(void **state)
{
	char err[512] = "";

	(void)state;
	assert_null(hugo_site_load(FIX "hugo-bad", err, sizeof err));
	assert_true(str_has_prefix(err, FIX "hugo-bad/hugo.toml:3: "));
	assert_non_null(strstr(err, "TOML"));
	assert_null(hugo_site_load(FIX "hugo-badyaml", err, sizeof err));
	assert_true(str_has_prefix(err, FIX "hugo-badyaml/hugo.yaml:5: "));
	assert_non_null(strstr(err, "YAML"));
	assert_null(hugo_site_load(FIX "hugo-toml/posts-src", err,
	    sizeof err));
	assert_non_null(strstr(err, "no Hugo configuration"));
}

static void
site_found(void **state)
{
	(void)state;
	assert_true(hugo_site_found(FIX "hugo-toml"));
	assert_true(hugo_site_found(FIX "hugo-json"));
	assert_true(hugo_site_found(FIX "hugo-split"));
	assert_false(hugo_site_found(FIX "hugo-toml/posts-src"));
	assert_false(hugo_site_found(FIX "no-such-folder"));
}

static const char *
status_of(json_t *report, const char *key)
{
	return json_string_value(json_object_get(json_object_get(
	    json_object_get(report, "settings"), key), "status"));
}

/* Defaults < the Hugo site < crier.conf < the command line. */
static void
precedence(void **state)
{
	struct config cfg;
	char err[512];
	json_t *report;

	(void)state;
	config_defaults(&cfg);
	assert_int_equal(config_set(&cfg, "title", "From crier.conf",
	    CONFIG_FILE, err, sizeof err), 0);
	assert_int_equal(config_set(&cfg, "language", "de", CONFIG_FLAG,
	    err, sizeof err), 0);
	assert_int_equal(hugo_apply(load(FIX "hugo-toml"), &cfg, err,
	    sizeof err), 0);
	assert_string_equal(cfg.base_url, "https://riverside.example.org/");
	assert_string_equal(cfg.title, "From crier.conf");
	assert_string_equal(cfg.language, "de");
	assert_string_equal(cfg.content_dir, FIX "hugo-toml/posts-src");
	assert_string_equal(cfg.timezone, "Europe/Berlin");
	assert_string_equal(cfg.description,
	    "Workshops and repair cafés by the river");
	assert_int_equal(config_origin(&cfg, "base_url"), CONFIG_HUGO);
	/* Markdown as the site's Hugo renders it. */
	assert_int_equal(cfg.summary_length, 40);
	assert_int_equal(cfg.unsafe_html, 1);
	assert_int_equal(cfg.has_cjk_language, 1);
	/* A weaker source never replaces a stronger one's value. */
	assert_int_equal(config_set(&cfg, "title", "Later default",
	    CONFIG_HUGO, err, sizeof err), 0);
	assert_string_equal(cfg.title, "From crier.conf");
	report = hugo_report(&cfg);
	assert_non_null(report);
	assert_string_equal(status_of(report, "baseURL"), "taken");
	assert_string_equal(status_of(report, "title"),
	    "overridden by crier.conf");
	assert_string_equal(status_of(report, "languageCode"),
	    "overridden by the command line");
	assert_string_equal(status_of(report, "permalinks"), "taken");
	assert_string_equal(status_of(report, "taxonomies"),
	    "taken");
	assert_string_equal(status_of(report, "summaryLength"), "taken");
	assert_string_equal(status_of(report, "markup.goldmark.renderer."
	    "unsafe"), "taken");
	assert_string_equal(json_string_value(json_object_get(json_object_get(
	    json_object_get(report, "settings"), "title"), "used")),
	    "From crier.conf");
	json_decref(report);
	config_free(&cfg);
}

/* A Hugo site without contentDir has Hugo's "content". */
static void
default_content_dir(void **state)
{
	struct config cfg;
	char err[512];

	(void)state;
	config_defaults(&cfg);
	assert_int_equal(hugo_apply(load(FIX "hugo-yaml"), &cfg, err,
	    sizeof err), 0);
	assert_string_equal(cfg.content_dir, FIX "hugo-yaml/content");
	assert_string_equal(cfg.language, "fr");
	config_free(&cfg);
}

static void
write_to(const char *dir, const char *name, const char *text)
{
	char *path = xasprintf("%s/%s", dir, name);
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	assert_true(fputs(text, f) >= 0);
	assert_int_equal(fclose(f), 0);
	free(path);
}

/* Values crier cannot use are warnings naming the line; the rest is
 * taken, and crier's own values stay. */
static void
unusable_values_warn(void **state)
{
	char dir[] = "/tmp/crier-hugo-XXXXXX", err[512], *path;
	struct hugo_site *s;
	struct config cfg;
	json_t *report;

	(void)state;
	assert_non_null(mkdtemp(dir));
	write_to(dir, "hugo.toml", "baseURL = \"/\"\n"
	    "title = \"First\"\n"
	    "TITLE = \"Second\"\n"
	    "timeZone = \"Mars/Olympus\"\n"
	    "[permalinks]\n"
	    "posts = \"/:year/:nonsense/\"\n");
	s = load(dir);
	assert_string_equal(s->title, "Second");
	assert_int_equal(s->nwarnings, 2);
	assert_non_null(strstr(s->warnings[0], "hugo.toml:3: warning: "));
	assert_non_null(strstr(s->warnings[1], "hugo.toml:6: warning: "));
	assert_non_null(strstr(s->warnings[1], ":nonsense"));
	config_defaults(&cfg);
	assert_int_equal(hugo_apply(s, &cfg, err, sizeof err), 0);
	assert_string_equal(cfg.base_url, "http://127.0.0.1:8080");
	assert_string_equal(cfg.timezone, "UTC");
	assert_string_equal(cfg.title, "Second");
	assert_int_equal(s->nwarnings, 4);
	assert_true(str_has_prefix(s->warnings[2], "hugo.toml:1: warning: "
	    "baseURL '/'"));
	assert_true(str_has_prefix(s->warnings[3], "hugo.toml:4: warning: "
	    "timeZone 'Mars/Olympus'"));
	report = hugo_report(&cfg);
	assert_string_equal(status_of(report, "baseURL"), "not used");
	assert_string_equal(status_of(report, "title"), "taken");
	json_decref(report);
	config_free(&cfg);
	path = xasprintf("%s/hugo.toml", dir);
	assert_int_equal(unlink(path), 0);
	free(path);
	assert_int_equal(rmdir(dir), 0);
}

/* What a serving loop gets: the same site, independent of the first. */
static void
copies(void **state)
{
	struct config a, b;
	char err[512];

	(void)state;
	config_defaults(&a);
	assert_int_equal(hugo_apply(load(FIX "hugo-split"), &a, err,
	    sizeof err), 0);
	config_copy(&b, &a);
	config_free(&a);
	assert_non_null(b.hugo);
	assert_string_equal(b.hugo->title, "Split Site");
	assert_string_equal(hugo_permalink_pattern(b.hugo, "posts"),
	    "/:year/:month/:day/:title/");
	assert_string_equal(hugo_where(b.hugo, "title"),
	    "config/_default/hugo.toml:1");
	assert_int_equal(config_origin(&b, "title"), CONFIG_HUGO);
	config_free(&b);
}

/* crier.conf's settings are marked as written there. */
static void
config_file_origin(void **state)
{
	char dir[] = "/tmp/crier-conf-XXXXXX", err[512], *path;
	struct config cfg;

	(void)state;
	assert_non_null(mkdtemp(dir));
	write_to(dir, "crier.conf", "title = \"Mine\"\nhugo_site = site\n");
	path = xasprintf("%s/crier.conf", dir);
	config_defaults(&cfg);
	assert_int_equal(config_load(&cfg, path, err, sizeof err), 0);
	assert_int_equal(config_origin(&cfg, "title"), CONFIG_FILE);
	assert_int_equal(config_origin(&cfg, "base_url"), CONFIG_DEFAULT);
	assert_string_equal(cfg.hugo_site, "site");
	config_free(&cfg);
	assert_int_equal(unlink(path), 0);
	free(path);
	assert_int_equal(rmdir(dir), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(toml_site),
		cmocka_unit_test(yaml_site),
		cmocka_unit_test(json_site),
		cmocka_unit_test(split_site),
		cmocka_unit_test(errors_name_file_and_line),
		cmocka_unit_test(site_found),
		cmocka_unit_test(precedence),
		cmocka_unit_test(default_content_dir),
		cmocka_unit_test(unusable_values_warn),
		cmocka_unit_test(copies),
		cmocka_unit_test(config_file_origin),
		cmocka_unit_test(languages_by_suffix),
	};

	return cmocka_run_group_tests_name("hugo", tests, NULL, NULL);
}

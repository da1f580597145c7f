/*
 * hugo.h -- a Hugo site's configuration, read as Hugo reads it, and the
 * settings crier takes from it.
 */
#ifndef CRIER_HUGO_H
#define CRIER_HUGO_H

#include <stddef.h>
#include <stdio.h>

#include <jansson.h>

struct config;

/* One entry of `permalinks`: kind is "page" unless the site writes
 * Hugo's per-kind tables (permalinks.section.posts = ...). */
struct hugo_permalink {
	const char	*kind;		/* page, section, taxonomy, term */
	const char	*section;	/* lower case, as Hugo keys it */
	const char	*pattern;	/* "/:year/:slug/" */
};

/* One taxonomy: tag -> tags.  Hugo's defaults when none are written. */
struct hugo_taxonomy {
	const char	*singular;
	const char	*plural;
};

/* One entry of `languages` (Hugo's multilingual mode), sorted by weight
 * then key as Hugo sorts them.  Strings point into the tree or are NULL. */
struct hugo_language {
	const char	*key;		/* "zh", lower case: the file suffix */
	const char	*language_code;	/* languageCode, or NULL */
	const char	*name;		/* languageName, or NULL */
	const char	*title;
	const char	*description;	/* params.description */
	const char	*content_dir;	/* contentDir, relative to root */
	long		 weight;
};

/*
 * The typed fields point into tree (or are constants): they live as long
 * as the site.  A field the site does not write is NULL (strings), -1
 * (summary_length, the booleans) or empty (lists).
 */
struct hugo_site {
	char		*root;		/* as given, no trailing '/' */
	char		**files;	/* read, in order, relative to root */
	size_t		  nfiles;
	json_t		*tree;		/* merged; every key in lower case */
	json_t		*where;		/* "params/description" -> "hugo.toml:4" */
	char		**warnings;	/* "file:line: message" */
	size_t		  nwarnings;

	const char	*base_url;
	const char	*title;
	const char	*language_code;
	const char	*description;	/* params.description */
	const char	*content_dir;	/* as written: relative to root */
	const char	*time_zone;
	int		 summary_length;
	int		 disable_path_to_lower;
	int		 goldmark_unsafe;	/* markup.goldmark.renderer.unsafe */
	int		 has_cjk_language;
	int		 enable_emoji;
	int		 ugly_urls;
	/* The three above that crier has settings for, as the text a
	 * setting takes, or NULL when not written (or not usable). */
	const char	*summary_length_text;
	const char	*goldmark_unsafe_text;
	const char	*has_cjk_language_text;
	const char	*enable_emoji_text;
	char		 summary_length_buf[16];
	struct hugo_permalink *permalinks;
	size_t		  npermalinks;
	struct hugo_taxonomy *taxonomies;
	size_t		  ntaxonomies;
	const char	**date_fallbacks;	/* frontmatter.date: ":filename" */
	size_t		  ndate_fallbacks;
	struct hugo_language *languages;	/* sorted (weight, key) */
	size_t		  nlanguages;
	const char	*default_language;	/* defaultContentLanguage */
	int		 default_in_subdir;	/* ...InSubdir */
};

/* Whether dir holds a Hugo configuration (hugo.*, config.*, config/). */
int	 hugo_site_found(const char *dir);
/*
 * Reads the site at root: hugo.toml, .yaml, .yml or .json, else config.*
 * (the first found), then config/_default/\*.{toml,yaml,yml,json} merged
 * over it by file name (params.toml is `params`; hugo.* and config.* are
 * the top level).  On error returns NULL with err "file:line: message";
 * otherwise a site to free with hugo_site_free.
 */
struct hugo_site *hugo_site_load(const char *root, char *err, size_t);
void	 hugo_site_free(struct hugo_site *);
struct hugo_site *hugo_site_copy(const struct hugo_site *);	/* NULL: NULL */
/* The page permalink pattern of a top-level section (as written), or NULL. */
const char *hugo_permalink_pattern(const struct hugo_site *,
	    const char *section);
/* The language a content file (relpath, in the site's contentDir) is
 * written in: by the language's own contentDir under it (content/zh),
 * else its name's suffix (post.zh.md, index.zh.md), else the default
 * language.  *rest: the path without either, to free (the translation
 * key and what the URL is made from).  NULL (and *rest NULL) when the
 * site has no `languages`. */
const struct hugo_language *hugo_language_of(const struct hugo_site *,
	    const char *relpath, char **rest);
/* The language keyed so ("zh"), or NULL. */
const struct hugo_language *hugo_language_named(const struct hugo_site *,
	    const char *key);
/* The language's URL prefix: "" for the default language (unless
 * defaultContentLanguageInSubdir), else "/zh". */
const char *hugo_language_prefix(const struct hugo_site *,
	    const struct hugo_language *, char *buf, size_t);
/* "file:line" (or "file") where a key ("baseurl", "params/description")
 * was written, or NULL. */
const char *hugo_where(const struct hugo_site *, const char *key);

/*
 * Fills cfg's settings that crier.conf and the command line left unsaid
 * from the site (base_url, title, description, language, content_dir,
 * timezone) and keeps the site in cfg->hugo.  A value crier cannot use
 * (a baseURL that is not http(s), an unknown time zone) is an error
 * naming its file and line.
 */
int	 hugo_apply(struct hugo_site *, struct config *cfg, char *err, size_t);
/*
 * What crier made of cfg->hugo, for /status: an object keyed by Hugo's
 * spelling ("baseURL") of {value, from, status[, setting, used]}, status
 * being "taken", "overridden by crier.conf", "overridden by the command
 * line" or "read but not applied yet".  NULL without a Hugo site.
 */
json_t	*hugo_report(const struct config *cfg);
/* The same, one "hugo: KEY = VALUE (STATUS)" line each, for --check. */
void	 hugo_report_print(const struct config *cfg, FILE *);

#endif

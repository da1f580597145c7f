/*
 * cascade.h -- Hugo's front-matter `cascade`: what a branch (_index.md)
 * hands down to the pages below it.
 */
#ifndef CRIER_CASCADE_H
#define CRIER_CASCADE_H

#include <stdint.h>

#include <jansson.h>

#include "diag.h"
#include "frontmatter.h"

/* What one page inherits: the entries of the branches above it, nearest
 * first, each an object of front-matter keys and perhaps a `_target`. */
struct cascade {
	json_t		*entries;	/* array, or NULL: nothing inherited */
	uint64_t	 hash;		/* of the entries; 0 when none */
};

/* A branch's own `cascade` (an object or a list of objects) as a list
 * of entries, NULL when it has none; a malformed one is a warning. */
json_t	*cascade_own(const struct frontmatter *, struct diags *);
/* 1 if relpath is a branch's index (_index.md, _index.zh.md, ...). */
int	 cascade_is_branch(const char *relpath);
/* What relpath, written in language lang (its key; NULL on a site
 * without languages) which is or is not the site's default, inherits:
 * own_of(path) gives the entries of the branch index at path, or NULL;
 * they are copied (parsing reads them on other threads while the catalog
 * may replace the branch). */
void	 cascade_inherit(struct cascade *, const char *relpath,
	    const char *lang, int lang_default,
	    const json_t *(*own_of)(const char *, void *), void *);
void	 cascade_clear(struct cascade *);
/* Sets in values each inherited key the page does not set itself, from
 * the nearest entry whose _target matches the page (its content path,
 * Hugo's kind "page", "section" or "home", and language key). */
void	 cascade_apply(const struct cascade *, json_t *values,
	    const char *relpath, const char *kind, const char *lang);
/* Hugo's globs (gobwas/glob with '/' as separator): `*` and `?` within
 * one path segment, `**` across segments, `{a,b}` alternatives; ASCII
 * case ignored, as Hugo lower-cases both. */
int	 cascade_glob(const char *pattern, const char *s);

#endif

/*
 * image.h -- a page's image (JSON Feed's `image`, the post page's photo,
 * JSON-LD's `image`, its events' IMAGE), chosen as themes and Hugo's
 * internal opengraph template choose it: from the front matter's common
 * keys, else from a leaf bundle's files by name.
 */
#ifndef CRIER_IMAGE_H
#define CRIER_IMAGE_H

#include <stddef.h>

#include "config.h"
#include "diag.h"
#include "enclosure.h"
#include "frontmatter.h"

/* What a page's image is chosen from. */
struct image_source {
	const struct config	*cfg;
	const struct frontmatter *fm;
	const char		*permalink;	/* the page's absolute URL */
	const char		*url_path;	/* its path, ending in '/' */
	const struct bundle_file *files;	/* beside a bundle's index, sorted */
	size_t			 nfiles;
	int			 publish;	/* its files are served */
};

/*
 * The page's image as an absolute http(s) URL, or NULL.  The first of
 * `images` (a list, or one URL), `image`, `featured_image`,
 * `featuredImage`, `cover` (PaperMod's table with `image`, or a URL) and
 * `thumbnail` that gives a usable URL: relative to the permalink, "/..."
 * to base_url, any scheme but http(s) refused; a wrong type or scheme is
 * a warning with the key's line.  Else, in a bundle, the first served
 * image file (by its resource name: the file's, or one `resources`
 * metadata gives it) named like *feature*, else *cover* or *thumbnail*.
 */
char	*image_read(const struct image_source *, struct diags *);

/* A written image value as an absolute http(s) URL: relative to
 * permalink, "/..." to base_url; NULL for another scheme or none. */
char	*image_url(const struct config *, const char *permalink,
	    const char *value);

/* Does name match Hugo's resource glob pattern?  Case-insensitive; '*'
 * and '?' stop at '/', [...] classes ('!' negates), {a,b} alternatives
 * (the first 64 patterns they make), '\' escapes. */
int	 image_glob_match(const char *pattern, const char *name);

#endif

/*
 * enclosure.h -- a page's media files (a recording, a podcast episode), as
 * feeds carry them: Atom's rel="enclosure" links, RSS's <enclosure>, JSON
 * Feed's attachments.  Read from the front matter by enclosure.c; part of
 * the page, so every writer reads the same list.
 */
#ifndef CRIER_ENCLOSURE_H
#define CRIER_ENCLOSURE_H

#include <stddef.h>

#include "config.h"
#include "diag.h"
#include "frontmatter.h"

struct enclosure {
	char		*url;		/* absolute */
	char		*type;		/* media type, or NULL: not known */
	long long	 length;	/* bytes, or -1: not known */
};

/* A file beside a bundle's index.md, as load.c found it. */
struct bundle_file {
	char		*name;
	long long	 size;
};

/*
 * The enclosures a page's front matter names, in this order: `enclosure`
 * (a URL, or a map url/type/length), `audio`, `video` (likewise), then
 * each `resources` entry whose `src` is a media file of the bundle (files,
 * n: its files; url from the permalink, type from the name, length from
 * the size).  A relative URL is made absolute against the permalink (or
 * base_url for "/..."); a type is inferred from the URL's extension when
 * not written; a length is never guessed: its absence is a warning naming
 * the line, as is a missing type no extension gives.
 */
void	 enclosure_read(const struct config *, const struct frontmatter *,
	    const char *permalink, const struct bundle_file *files, size_t n,
	    struct enclosure **out, size_t *nout, struct diags *);
/* The media type of a file name or URL path by its extension, or NULL. */
const char *enclosure_type_of(const char *name);
/* The media type a bundle's resource is served with (static): audio and
 * video as above, images, PDF and the like; else application/octet-stream. */
const char *enclosure_resource_type(const char *name);
void	 enclosure_free(struct enclosure *, size_t n);

#endif

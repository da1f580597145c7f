/*
 * xmlwrite.h -- a thin layer over libxml2's xmlTextWriter that cleans
 * every string (XML 1.0 characters, valid UTF-8) and remembers failure,
 * so the feed writers read as a plain list of elements.
 */
#ifndef CRIER_XMLWRITE_H
#define CRIER_XMLWRITE_H

#include <stddef.h>

#include <libxml/xmlwriter.h>

struct xw {
	xmlBufferPtr		buf;
	xmlTextWriterPtr	w;
	int			failed;
};

int	 xmlwrite_open(struct xw *);
void	 xmlwrite_start(struct xw *, const char *name);
void	 xmlwrite_end(struct xw *);
void	 xmlwrite_attr(struct xw *, const char *name, const char *value);
void	 xmlwrite_element(struct xw *, const char *name, const char *text);
void	 xmlwrite_text(struct xw *, const char *text);
/* A post's image as Media RSS's <media:thumbnail url=...>, with its
 * namespace declared on the element: an entry or item is a piece of its
 * own, stitched into many feeds, so it names what it uses.  Nothing when
 * url is NULL. */
void	 xmlwrite_media_thumbnail(struct xw *, const char *url);
/*
 * A feed is written in pieces, byte for byte as one writer would write it
 * whole (see render.h, struct feed_writer): xmlwrite_head() returns what was
 * written so far, elements left open, or NULL (logged) if a write failed;
 * a fragment is written inside `depth` placeholder elements, for the
 * indentation, which xmlwrite_fragment() strips.
 */
char	*xmlwrite_head(struct xw *, size_t *len);
/* A whole document (OPML): every element left open closed, its bytes
 * returned, or NULL (logged) if a write failed. */
char	*xmlwrite_close(struct xw *, size_t *len);
int	 xmlwrite_open_fragment(struct xw *, int depth);
char	*xmlwrite_fragment(struct xw *, int depth, size_t *len);

#endif

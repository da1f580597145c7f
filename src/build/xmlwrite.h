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

int	 xw_open(struct xw *);
void	 xw_start(struct xw *, const char *name);
void	 xw_end(struct xw *);
void	 xw_attr(struct xw *, const char *name, const char *value);
void	 xw_element(struct xw *, const char *name, const char *text);
void	 xw_text(struct xw *, const char *text);
/*
 * A feed is written in pieces, byte for byte as one writer would write it
 * whole (see render.h, struct feed_writer): xw_head() returns what was
 * written so far, elements left open, or NULL (logged) if a write failed;
 * a fragment is written inside `depth` placeholder elements, for the
 * indentation, which xw_fragment() strips.
 */
char	*xw_head(struct xw *, size_t *len);
/* A whole document (OPML): every element left open closed, its bytes
 * returned, or NULL (logged) if a write failed. */
char	*xw_close(struct xw *, size_t *len);
int	 xw_open_fragment(struct xw *, int depth);
char	*xw_fragment(struct xw *, int depth, size_t *len);

#endif

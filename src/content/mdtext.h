/*
 * mdtext.h -- Markdown as the plain text a reader sees, and Hugo's
 * heading anchors.
 */
#ifndef CRIER_MDTEXT_H
#define CRIER_MDTEXT_H

#include <stddef.h>

#include <md4c.h>

#include "util.h"

/* md4c's dialect for bodies, for HTML and text alike: GitHub's (tables,
 * strikethrough, autolinks).  Raw HTML is parsed as HTML, never shown as
 * text: rawhtml.c leaves it out or sanitises it, and text drops it. */
#define MDTEXT_MD_FLAGS (MD_DIALECT_GITHUB)

/* A whole Markdown body as text, blocks separated by newlines. */
char	*mdtext_from_markdown(const char *, size_t);
/* Appends the text of one line of inline Markdown: emphasis and code
 * markers dropped, [t](u) as "t (u)" (only t when with_urls is 0, as
 * Hugo's anchors see it), images as their alt text, tags dropped. */
void	 mdtext_inline(struct buf *, const char *, size_t, int with_urls);
/* Hugo's heading anchor: lower case, punctuation dropped, spaces as '-'. */
char	*mdtext_anchor(const char *heading);
/* The anchor Hugo 0.111 gives a heading written so (the Markdown after
 * its #s): goldmark anchors the source as written, so a link's URL, an
 * entity's name and a tag's name are in it ("## [a](b.md)" is "abmd"). */
char	*mdtext_heading_anchor(const char *src, size_t);

#endif

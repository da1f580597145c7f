/*
 * markdown.h -- page bodies: Markdown to HTML with absolute links (the
 * plain text of Markdown is mdtext.h's).
 */
#ifndef CRIER_MARKDOWN_H
#define CRIER_MARKDOWN_H

#include <stddef.h>

/* GFM Markdown to HTML; every href/src resolved against base_uri. */
char	*markdown_to_html(const char *, size_t, const char *base_uri);
/* Resolves relative href and src attributes of an HTML fragment. */
char	*html_absolutize(const char *html, size_t, const char *base_uri);

#endif

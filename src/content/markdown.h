/*
 * markdown.h -- page bodies: Markdown to HTML with absolute links (the
 * plain text of Markdown is mdtext.h's).
 */
#ifndef CRIER_MARKDOWN_H
#define CRIER_MARKDOWN_H

#include <stddef.h>

/* GFM Markdown to HTML; every href/src resolved against base_uri. */
char	*markdown_to_html(const char *, size_t, const char *base_uri);
struct shortcodes;

/* The same, raw HTML left out as Hugo does by default (unsafe_html 0) or
 * kept through an allow-list (1), and the placeholders of shortcodes
 * (shortcode.h, or NULL) filled in; base_uri may be NULL. */
char	*markdown_render(const char *, size_t, const char *base_uri,
	    int unsafe_html, const struct shortcodes *);
/* markdown_render with no base, raw HTML left out, no shortcodes: for
 * shortcode.h's render_markdown (a figure's caption). */
char	*markdown_render_plain(const char *, size_t);
/* Resolves relative href and src attributes of an HTML fragment. */
char	*markdown_absolutize(const char *html, size_t, const char *base_uri);

#endif

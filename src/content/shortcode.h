/*
 * shortcode.h -- Hugo's shortcodes in a Markdown body, rendered for feeds.
 */
#ifndef CRIER_SHORTCODE_H
#define CRIER_SHORTCODE_H

#include <stddef.h>

#include <jansson.h>

#include "diag.h"

struct shortcode_env {
	const char	*base_url;	/* ref's permalinks; no trailing '/' */
	json_t		*params;	/* the page's front matter, for param */
	int		 first_line;	/* the body's first line in its file */
	/* Inline Markdown (a figure's caption) as HTML, a paragraph at
	 * most: the caller's Markdown renderer (markdown.c), so that
	 * shortcodes sit below it. */
	char		*(*render_markdown)(const char *md, size_t len);
};

/* What a body's shortcodes became. */
struct shortcodes {
	char	*markdown;	/* the body, HTML shortcodes as placeholders */
	size_t	 len;
	char	*text;		/* the body, each shortcode as its text */
	size_t	 text_len;
	char	**html;		/* placeholder i's HTML */
	size_t	 n, cap;
	size_t	 md_mark, text_mark;	/* where <!--more--> went, or -1 */
};

/* A page body as md4c and the summary see it: shortcodes rendered,
 * Hugo's <!--more--> blanked out; text is the Markdown the summary is
 * made from (what comes before the divider, when divided). */
struct prepared_body {
	const char		*markdown;
	size_t			 len;
	const char		*text;
	size_t			 text_len;
	int			 divided;
	struct shortcodes	 sc;	/* give to markdown_render */
	char			*owned;
};

/* Returns 0, with *out empty, when the body holds no shortcode; else 1,
 * each unknown shortcode a warning in diags naming its line. */
int	 shortcode_expand(struct shortcodes *out, const char *body, size_t,
	    const struct shortcode_env *, struct diags *);
/* md4c's HTML with each placeholder swapped for its HTML. */
char	*shortcode_place(const char *html, size_t, const struct shortcodes *);
void	 shortcodes_free(struct shortcodes *);
void	 shortcode_prepare(struct prepared_body *, const char *body, size_t,
	    const struct shortcode_env *, struct diags *);
void	 shortcode_prepared_free(struct prepared_body *);

#endif

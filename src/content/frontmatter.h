/*
 * frontmatter.h -- splits a page into front matter and body, and turns
 * the front matter (YAML, TOML or JSON) into a jansson object.
 */
#ifndef CRIER_FRONTMATTER_H
#define CRIER_FRONTMATTER_H

#include <stddef.h>

#include <jansson.h>

#include "diag.h"

#define FM_MAX_DEPTH	32
#define FM_MAX_NODES	20000

struct frontmatter {
	json_t		*values;	/* an object, never NULL after parse */
	json_t		*lines;		/* "key" or "events/0/start" -> line */
	const char	*body;		/* points into the page's bytes */
	size_t		 body_len;
	int		 body_line;	/* line number of the body's first line */
};

/*
 * Parses the front matter at the start of data.  Problems go to diags
 * with their line; returns -1 when the front matter is unusable (the page
 * must not be published from it), 0 otherwise.
 */
int	frontmatter_parse(const char *data, size_t len, struct frontmatter *,
	    struct diags *);
/*
 * A whole YAML document that must be one mapping (front matter, or a
 * configuration file); first_line is the file line of its first line and
 * lines, if not NULL, gets each key's line as fm_parse's do.  Problems go
 * to diags; NULL when it is unusable.
 */
json_t	*frontmatter_parse_yaml(const char *text, size_t len, int first_line,
	    json_t *lines, struct diags *);
void	frontmatter_free(struct frontmatter *);
/* Line of a value by its path ("date", "events/1/start"), or 0. */
int	frontmatter_line(const struct frontmatter *, const char *path);

#endif

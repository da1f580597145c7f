/*
 * toml.h -- a TOML 1.0 reader for front matter between "+++" lines.
 */
#ifndef CRIER_TOML_H
#define CRIER_TOML_H

#include <stddef.h>

#include <jansson.h>

#include "diag.h"

/* Nesting and values of one document; front matter's YAML reader has the
 * same limits (frontmatter.c checks that they agree). */
#define TOML_MAX_DEPTH	32
#define TOML_MAX_NODES	20000

enum toml_form {
	/*
	 * The front-matter model YAML front matter gets: strings, integers,
	 * booleans, arrays and objects as such; floats as reals (inf and
	 * nan, which JSON lacks, as the text "inf", "-inf", "nan"); dates
	 * and times as the text written, which is what YAML gives for them.
	 */
	TOML_MODEL,
	/*
	 * Every scalar as {"type": T, "value": text} (toml-test's encoding),
	 * so that a test can compare types: T is string, integer, float,
	 * bool, datetime, datetime-local, date-local or time-local; times
	 * are written in one canonical form (6 fraction digits, "+00:00"
	 * for Z), floats with 17 significant digits.
	 */
	TOML_TAGGED
};

/*
 * Reads a whole TOML document; first_line is the file line of its first
 * line.  lines, if not NULL, gets "key" or "events/0/start" -> line for
 * every value.  The first problem goes to diags with its line and NULL is
 * returned; otherwise an object.
 */
json_t	*toml_parse(const char *text, size_t len, int first_line,
	    enum toml_form, json_t *lines, struct diags *);

#endif

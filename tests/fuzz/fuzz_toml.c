/*
 * fuzz_toml.c -- libFuzzer target: toml_parse on arbitrary bytes (NUL and
 * invalid UTF-8 included: the reader must refuse them itself).
 *
 * Checks, besides memory safety: both output forms accept and reject the
 * same inputs; a rejection is exactly one error, on a line of the input;
 * an acceptance has no message, a line for every value, and values
 * jansson can write (valid UTF-8); a tagged scalar has a type and a value.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "toml.h"

#define FIRST_LINE 2	/* as in front matter, after the "+++" line */

static int
lines_of(const uint8_t *data, size_t size)
{
	int n = 1;
	size_t i;

	for (i = 0; i < size; i++)
		n += data[i] == '\n';
	return n;
}

/* Every leaf of a tagged document is {"type": "...", "value": "..."}. */
static void
check_tagged(json_t *v, int depth)
{
	const char *key;
	json_t *kid;
	size_t i;

	if (depth > 64)
		abort();
	if (json_is_array(v)) {
		json_array_foreach(v, i, kid)
			check_tagged(kid, depth + 1);
		return;
	}
	if (!json_is_object(v))
		abort();
	if (json_is_string(json_object_get(v, "type")) &&
	    json_is_string(json_object_get(v, "value")) &&
	    json_object_size(v) == 2)
		return;
	json_object_foreach(v, key, kid)
		check_tagged(kid, depth + 1);
}

static void
check_diags(const struct diags *d, json_t *v, int last_line)
{
	if (v == NULL) {
		if (d->n != 1 || d->v[0].level != DIAG_ERROR ||
		    d->v[0].line < FIRST_LINE || d->v[0].line > last_line)
			abort();
	} else if (d->n != 0 || !json_is_object(v))
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;
	int last = FIRST_LINE - 1 + lines_of(data, size);
	struct diags d, t;
	json_t *lines = json_object(), *model, *tagged, *line;
	const char *key;
	char *out;

	if (lines == NULL)
		return 0;
	diags_init(&d);
	diags_init(&t);
	model = toml_parse(text, size, FIRST_LINE, TOML_MODEL, lines, &d);
	tagged = toml_parse(text, size, FIRST_LINE, TOML_TAGGED, NULL, &t);
	if ((model == NULL) != (tagged == NULL))
		abort();
	check_diags(&d, model, last);
	check_diags(&t, tagged, last);
	if (model != NULL) {
		json_object_foreach(lines, key, line)
			if (json_integer_value(line) < FIRST_LINE ||
			    json_integer_value(line) > last)
				abort();
		if ((out = json_dumps(model, JSON_COMPACT)) == NULL)
			abort();
		free(out);
		check_tagged(tagged, 0);
	}
	json_decref(model);
	json_decref(tagged);
	json_decref(lines);
	diags_free(&d);
	diags_free(&t);
	return 0;
}

/*
 * fuzz_frontmatter.c -- libFuzzer target: fm_parse on arbitrary bytes.
 *
 * Checks, besides memory safety: a successful parse yields an object, the
 * body lies inside the input, and fm_line answers for every top-level key.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "util.h"
#include "frontmatter.h"
#include "text.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct frontmatter fm;
	struct diags d;
	struct text t;
	const char *text, *key;
	json_t *v;
	size_t i;
	int rc;

	/* page_parse hands on only what text_sanitize made of the bytes. */
	if (text_sanitize(&t, (const char *)data, size) == -1)
		return 0;
	text = t.data;
	size = t.len;
	memset(&fm, 0, sizeof fm);
	diags_init(&d);
	rc = frontmatter_parse(text, size, &fm, &d);
	if (rc == 0) {
		if (fm.values == NULL || !json_is_object(fm.values))
			abort();
		if (fm.body_len > 0 && (fm.body < text ||
		    fm.body + fm.body_len > text + size))
			abort();
		json_object_foreach(fm.values, key, v)
			(void)frontmatter_line(&fm, key);
		(void)frontmatter_line(&fm, "events/0/start");
	}
	for (i = 0; i < d.n; i++)
		if (d.v[i].message == NULL)
			abort();
	(void)diags_count(&d, DIAG_ERROR);
	frontmatter_free(&fm);
	diags_free(&d);
	text_free(&t);
	return 0;
}

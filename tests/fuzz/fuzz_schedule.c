/*
 * fuzz_schedule.c -- libFuzzer target: schedule_extract and mdtext_anchor on a
 * Markdown body.
 *
 * The first two input bytes pick the default year (0..9999, as a page's
 * "date:" may give any four-digit year); the rest is the body.  Checks
 * every item has a valid date, a time and, under a heading, an anchor.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dates.h"
#include "diag.h"
#include "util.h"
#include "mdtext.h"
#include "schedule.h"
#include "text.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct schedule s;
	struct diags d;
	int year = 2020;
	struct text t;
	size_t i;
	char *a;

	if (size >= 2) {
		year = ((data[0] << 8) | data[1]) % 10000;
		data += 2;
		size -= 2;
	}
	/* page_parse hands on only what text_sanitize made of the bytes. */
	if (text_sanitize(&t, (const char *)data, size) == -1)
		return 0;
	memset(&s, 0, sizeof s);
	diags_init(&d);
	schedule_extract(t.data, t.len, 1, year, &s, &d);
	for (i = 0; i < s.nitems; i++) {
		const struct schedule_item *it = &s.items[i];

		if (it->title != NULL && it->anchor == NULL)
			abort();
		if (!dates_valid(it->start.year, it->start.month,
		    it->start.day) || !it->start.has_time)
			abort();
		if (it->title != NULL) {
			a = mdtext_anchor(it->title);
			free(a);
		}
	}
	schedule_free(&s);
	diags_free(&d);

	/* mdtext_anchor on the raw text as a heading, NUL-terminated. */
	{
		char *h = malloc(t.len + 1);

		if (h == NULL) {
			text_free(&t);
			return 0;
		}
		memcpy(h, t.data, t.len);
		h[t.len] = '\0';
		a = mdtext_anchor(h);
		free(a);
		free(h);
	}
	text_free(&t);
	return 0;
}

/*
 * diag.c -- the diagnostics list.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "diag.h"
#include "utf8.h"
#include "util.h"

void
diags_init(struct diags *d)
{
	d->v = NULL;
	d->n = d->cap = d->dropped = 0;
}

void
diags_free(struct diags *d)
{
	size_t i;

	for (i = 0; i < d->n; i++)
		free(d->v[i].message);
	free(d->v);
	diags_init(d);
}

void
diags_add(struct diags *d, enum diag_level level, int line, const char *fmt,
    ...)
{
	char msg[1024];
	va_list ap;

	if (d->n >= DIAGS_MAX) {
		d->dropped++;
		return;
	}
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (d->n == d->cap) {
		d->cap = d->cap ? d->cap * 2 : 4;
		d->v = xreallocarray(d->v, d->cap, sizeof *d->v);
	}
	d->v[d->n].line = line;
	d->v[d->n].level = level;
	d->v[d->n].message = utf8_clean_dup(msg);
	d->n++;
}

int
diags_count(const struct diags *d, enum diag_level level)
{
	size_t i;
	int n = 0;

	for (i = 0; i < d->n; i++)
		n += d->v[i].level == level;
	return n;
}

const char *
diag_level_name(enum diag_level level)
{
	return level == DIAG_ERROR ? "error" : "warning";
}

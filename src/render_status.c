/*
 * render_status.c -- GET /status, for organizers and their tools: every
 * file with its state (ok, warning, error), its messages with line
 * numbers, whether its last good version is what is served, and the
 * daemon's counts.  JSON built with jansson, never by hand.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "catalog.h"
#include "hugo.h"
#include "log.h"

static const char *
file_state(const struct page *p)
{
	if (diags_count(&p->diags, DIAG_ERROR) > 0)
		return "error";
	if (diags_count(&p->diags, DIAG_WARNING) > 0)
		return "warning";
	return "ok";
}

static json_t *
date_value(time_t t)
{
	char date[DATE_BUFSIZE];

	format_rfc3339(t, date);
	return json_string(date);
}

static json_t *
messages(const struct page *p)
{
	json_t *list = json_array();
	size_t i;

	for (i = 0; list != NULL && i < p->diags.n; i++)
		json_array_append_new(list, json_pack("{s:i, s:s, s:s}",
		    "line", p->diags.v[i].line, "level",
		    diag_level_name(p->diags.v[i].level), "message",
		    p->diags.v[i].message));
	if (list != NULL && p->diags.dropped > 0) {
		char more[96];

		snprintf(more, sizeof more, "%zu more problems are not listed",
		    p->diags.dropped);
		json_array_append_new(list, json_pack("{s:i, s:s, s:s}", "line",
		    0, "level", "warning", "message", more));
	}
	return list;
}

static const char *
serving(const struct slot *s)
{
	if (s->current->ok)
		return "current";
	return s->good != NULL ? "last good version" : "nothing";
}

static json_t *
file_entry(const char *path, const struct slot *s)
{
	const struct page *p = slot_page(s);

	return json_pack("{s:s, s:s, s:o, s:o, s:s, s:i, s:b}",
	    "path", path, "state", file_state(s->current),
	    "messages", messages(s->current), "changed", date_value(s->changed),
	    "serving", serving(s), "events", p ? (int)p->nevents : 0,
	    "draft", p ? p->draft : 0);
}

/* The last WebSub ping, as websub.c described it: {"hub", "ok",
 * "last_ok", "last_error", "last_error_at"}. */
static void
add_websub(json_t *root, const char *json)
{
	json_t *o;

	if (json == NULL)
		return;
	if ((o = json_loads(json, 0, NULL)) == NULL ||
	    json_object_set_new(root, "websub", o) == -1)
		log_error("status: cannot show the WebSub hub's state");
}

char *
render_status(const struct catalog *cat, size_t *len)
{
	const struct catalog_stats *st = &cat->stats;
	json_t *root, *files, *hugo;
	const char *key;
	char *text;
	void *v;
	size_t i;

	if ((files = json_array()) == NULL)
		return NULL;
	for (i = 0; dict_next(&cat->slots, &i, &key, &v); )
		if (json_array_append_new(files, file_entry(key, v)) == -1)
			log_error("status: cannot describe %s", key);
	root = json_pack("{s:o, s:{s:I, s:I, s:I, s:I, s:I, s:I, s:I}, "
	    "s:{s:I, s:o, s:f, s:f, s:I}}",
	    "files", files,
	    "counts", "files", (json_int_t)st->files, "entries",
	    (json_int_t)st->entries, "events", (json_int_t)st->events,
	    "errors", (json_int_t)st->files_with_errors, "warnings",
	    (json_int_t)st->files_with_warnings, "documents",
	    (json_int_t)st->documents, "gzip_pending",
	    (json_int_t)gzlater_pending(&cat->gzlater),
	    "rebuilds", "count", (json_int_t)st->rebuilds, "last",
	    date_value(st->last_rebuild), "last_ms", st->last_ms, "total_ms",
	    st->total_ms, "last_rendered", (json_int_t)st->rendered);
	if (root == NULL)
		return NULL;
	add_websub(root, cat->websub_status);
	/* What a Hugo site's configuration gave (hugo.c). */
	if ((hugo = hugo_report(cat->cfg)) != NULL &&
	    json_object_set_new(root, "hugo", hugo) == -1)
		log_error("status: cannot describe the Hugo site");
	text = json_dumps(root, JSON_INDENT(2));
	json_decref(root);
	if (text == NULL)
		return NULL;
	*len = strlen(text);
	return text;
}

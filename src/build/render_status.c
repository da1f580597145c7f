/*
 * render_status.c -- GET /status, for organizers and their tools: every
 * file with its state (ok, warning, error), its messages with line
 * numbers, whether its last good version is what is served, and the
 * daemon's counts.  JSON built with jansson, never by hand.
 *
 * It is given a plain view (render_status.h) that the catalog fills, as
 * the front page is given html_index: a renderer knows nothing of the
 * catalog's slots, so nothing the catalog is made of leaks into JSON by
 * accident, and the catalog's files need nothing from here but the view.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "dates.h"
#include "hugo.h"
#include "log.h"
#include "render_status.h"

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

	dates_format_rfc3339(t, date);
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
serving(const struct status_file *f)
{
	if (f->current->ok)
		return "current";
	return f->served != NULL ? "last good version" : "nothing";
}

static json_t *
file_entry(const struct status_file *f)
{
	const struct page *p = f->served;

	return json_pack("{s:s, s:s, s:o, s:o, s:s, s:i, s:b}",
	    "path", f->path, "state", file_state(f->current),
	    "messages", messages(f->current), "changed",
	    date_value(f->changed), "serving", serving(f), "events",
	    p ? (int)p->nevents : 0, "draft", p ? p->draft : 0);
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

/* The identity bodies held (bodycache.c): what the budget costs. */
static void
add_cache(json_t *root, const struct status_view *v)
{
	json_t *c = json_pack("{s:I, s:I, s:I, s:I, s:I, s:I}",
	    "bytes", (json_int_t)v->cache.bytes,
	    "pinned_bytes", (json_int_t)v->cache.pinned,
	    "budget", (json_int_t)v->cache.budget,
	    "bodies", (json_int_t)v->cache.bodies,
	    "evictions", (json_int_t)v->cache.evictions,
	    "renders", (json_int_t)v->cache.renders);

	if (c == NULL || json_object_set_new(root, "body_cache", c) == -1)
		log_error("status: cannot show the body cache");
}

char *
render_status(const struct status_view *v, size_t *len)
{
	json_t *root, *files, *hugo;
	char *text;
	size_t i;

	if ((files = json_array()) == NULL)
		return NULL;
	for (i = 0; i < v->nfiles; i++)
		if (json_array_append_new(files, file_entry(&v->files[i])) ==
		    -1)
			log_error("status: cannot describe %s",
			    v->files[i].path);
	root = json_pack("{s:o, s:{s:I, s:I, s:I, s:I, s:I, s:I, s:I}, "
	    "s:{s:I, s:o, s:f, s:f, s:I}}",
	    "files", files,
	    "counts", "files", (json_int_t)v->counts.files, "entries",
	    (json_int_t)v->counts.entries, "events",
	    (json_int_t)v->counts.events, "errors",
	    (json_int_t)v->counts.errors, "warnings",
	    (json_int_t)v->counts.warnings, "documents",
	    (json_int_t)v->counts.documents, "gzip_pending",
	    (json_int_t)v->counts.gzip_pending,
	    "rebuilds", "count", (json_int_t)v->rebuilds.count, "last",
	    date_value(v->rebuilds.last), "last_ms", v->rebuilds.last_ms,
	    "total_ms", v->rebuilds.total_ms, "last_rendered",
	    (json_int_t)v->rebuilds.last_rendered);
	if (root == NULL)
		return NULL;
	add_websub(root, v->websub);
	add_cache(root, v);
	/* What a Hugo site's configuration gave (hugo.c). */
	if ((hugo = hugo_report(v->cfg)) != NULL &&
	    json_object_set_new(root, "hugo", hugo) == -1)
		log_error("status: cannot describe the Hugo site");
	text = json_dumps(root, JSON_INDENT(2));
	json_decref(root);
	if (text == NULL)
		return NULL;
	*len = strlen(text);
	return text;
}

/*
 * catalog_jobs.c -- the part of a rebuild done on every core.
 *
 * Calendars and post pages -- most of a full rebuild's time -- and the
 * compression of feeds (written on the rebuilding thread, see
 * catalog_feeds.c) depend on nothing the rebuild changes: they are queued
 * as jobs while the rebuild walks what changed, done on every core
 * (catalog_jobs_run, through parallel_for) and enter the set in queue order, so
 * the result is the same whatever the thread count.  What they share is
 * thread-safe: the calendars' VTIMEZONEs and VEVENTs (struct
 * calendar_cache), pieces' variants (their lock), each thread's compressor.
 *
 * A job owns copies of what may not outlive its caller's frame (its path,
 * its channel's strings, an event's own calendar's one event) and points
 * at what stays until the jobs are done (subjects' events, pages, memos:
 * the index changes only between rebuilds).
 */
#include <stdlib.h>
#include <string.h>

#include "calendar.h"
#include "catalog_build.h"
#include "parallel.h"
#include "render.h"
#include "render_html.h"

struct job *
catalog_jobs_queue(struct build *b, enum job_kind kind, const char *path,
    time_t mtime, uint64_t fp)
{
	struct job *j;

	if (b->njobs == b->jobs_cap) {
		b->jobs_cap = b->jobs_cap ? 2 * b->jobs_cap : 64;
		b->jobs = xreallocarray(b->jobs, b->jobs_cap, sizeof *b->jobs);
	}
	j = &b->jobs[b->njobs++];
	memset(j, 0, sizeof *j);
	j->kind = kind;
	j->path = xstrdup(path);
	j->mtime = mtime;
	j->fp = fp;
	return j;
}

static char *
dup_or_null(const char *s)
{
	return s != NULL ? xstrdup(s) : NULL;
}

void
catalog_jobs_channel_copy(struct channel *to, const struct channel *from)
{
	to->id = dup_or_null(from->id);
	to->title = dup_or_null(from->title);
	to->description = dup_or_null(from->description);
	to->self_url = dup_or_null(from->self_url);
	to->alternate_url = dup_or_null(from->alternate_url);
	to->hub_url = dup_or_null(from->hub_url);
	to->color = dup_or_null(from->color);
	to->language = dup_or_null(from->language);
}

static void
channel_free(struct channel *ch)
{
	free((char *)(uintptr_t)ch->id);
	free((char *)(uintptr_t)ch->title);
	free((char *)(uintptr_t)ch->description);
	free((char *)(uintptr_t)ch->self_url);
	free((char *)(uintptr_t)ch->alternate_url);
	free((char *)(uintptr_t)ch->hub_url);
	free((char *)(uintptr_t)ch->color);
	free((char *)(uintptr_t)ch->language);
}

/* One job, on any thread: touches only the job and thread-safe caches.
 * With gzip_later the gzip body is left for gzlater.c. */
static void
render_job(size_t i, void *arg)
{
	struct build *b = arg;
	struct job *j = &b->jobs[i];
	const struct config *cfg = b->cfg;
	struct stitch st;
	size_t len;
	char *body;

	switch (j->kind) {
	case JOB_CALENDAR:
		stitch_init(&st);
		calendar_render_pieces(b->calendar_cache, cfg, &j->ch,
		    j->events, j->nevents, &st, j->memo);
		j->doc = document_from_stitch_plain(j->path, TYPE_ICS, &st,
		    j->mtime, j->fp, ROPE_MIN);
		if (j->memo != NULL && calendar_memo_is_on_request(j->memo) &&
		    cfg->output_dir[0] == '\0')
			document_gzip_when_asked(j->doc, b->bodies);
		break;
	case JOB_PAGE:
		if ((body = render_html_page(cfg, j->page, j->translations,
		    j->ntranslations, &len)) != NULL)
			j->doc = document_new_plain(j->path, TYPE_HTML, body,
			    len, j->mtime, j->fp);
		break;
	case JOB_STITCHED:
		j->doc = document_from_stitch_plain(j->path, j->type,
		    &j->stitch, j->mtime, j->fp, ROPE_MIN);
		if (j->doc != NULL)
			j->doc->immutable = j->immutable;
		/* Few readers walk the history: an archive page's gzip
		 * body (and its entries' compressed variants) is made
		 * when one asks -- unless an output folder needs its .gz. */
		if (j->archive && cfg->output_dir[0] == '\0')
			document_gzip_when_asked(j->doc, b->bodies);
		break;
	}
	/* Its identity body is cached once its gzip body is made. */
	document_use_cache(j->doc, b->bodies);
	if (j->doc != NULL && !b->gzip_later && j->doc->gzip_on_request == NULL)
		document_finish_gzip(j->doc);
}

/*
 * An edit's rebuild renders a few dozen documents, now without their gzip
 * bodies (gzlater.c): starting a thread for them, and waking a core for
 * it, cost more than it saved (an edit at 1 000 posts: 1.5 ms p50 with two
 * threads, 1.35 ms with the calling thread alone).
 */
#define JOBS_PARALLEL_MIN	64

/* Renders the queued jobs, then adds their documents in queue order. */
void
catalog_jobs_run(struct build *b)
{
	size_t i;

	parallel_for(b->njobs, b->njobs < JOBS_PARALLEL_MIN ? 1 : b->threads,
	    render_job, b);
	for (i = 0; i < b->njobs; i++) {
		catalog_build_add_document(b, b->jobs[i].doc);
		free(b->jobs[i].path);
		channel_free(&b->jobs[i].ch);
		free(b->jobs[i].events_copy);
		free(b->jobs[i].translations);
	}
	b->njobs = 0;
}

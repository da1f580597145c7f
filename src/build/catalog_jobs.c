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
#include "page.h"
#include "parallel.h"
#include "render.h"
#include "render_html.h"
#include "render_ical.h"

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
	to->current_url = dup_or_null(from->current_url);
	to->prev_archive_url = dup_or_null(from->prev_archive_url);
	to->next_archive_url = dup_or_null(from->next_archive_url);
	to->archive = from->archive;
	to->color = dup_or_null(from->color);
	to->language = dup_or_null(from->language);
}

void
catalog_jobs_channel_free(struct channel *ch)
{
	free((char *)(uintptr_t)ch->id);
	free((char *)(uintptr_t)ch->title);
	free((char *)(uintptr_t)ch->description);
	free((char *)(uintptr_t)ch->self_url);
	free((char *)(uintptr_t)ch->alternate_url);
	free((char *)(uintptr_t)ch->hub_url);
	free((char *)(uintptr_t)ch->current_url);
	free((char *)(uintptr_t)ch->prev_archive_url);
	free((char *)(uintptr_t)ch->next_archive_url);
	free((char *)(uintptr_t)ch->color);
	free((char *)(uintptr_t)ch->language);
}

/*
 * A post page is rendered again when a client asks for it, from what it
 * was rendered from (document_render_on_request): nearly all of them go
 * unread between two edits, and their bodies were most of the memory a
 * start-up held until their gzip bodies were made (bench/results-
 * memory.md).  The recipe holds the page and its translations (pages
 * never change once in the catalog, and live while someone holds them)
 * and the settings' copy, so a rebuild or a reload may replace them
 * while a serving loop renders.
 */
struct page_recipe {
	struct document_recipe	 base;
	struct config_shared	*settings;
	struct page		*page;
	struct page		**translations;
	size_t			 ntranslations;
};

static char *
page_recipe_render(const struct document_recipe *r, size_t *len)
{
	const struct page_recipe *pr = (const struct page_recipe *)r;

	return render_html_page(&pr->settings->cfg, pr->page,
	    pr->translations, pr->ntranslations, len);
}

static void
page_recipe_free(struct document_recipe *r)
{
	struct page_recipe *pr = (struct page_recipe *)r;
	size_t i;

	for (i = 0; i < pr->ntranslations; i++)
		page_free(pr->translations[i]);
	free(pr->translations);
	page_free(pr->page);
	config_shared_unref(pr->settings);
	free(pr);
}

static struct document_recipe *
page_recipe_new(struct build *b, const struct job *j)
{
	struct page_recipe *pr = xcalloc(1, sizeof *pr);
	size_t i;

	pr->base.render = page_recipe_render;
	pr->base.free = page_recipe_free;
	pr->settings = config_shared_ref(b->settings);
	pr->page = page_ref((struct page *)(uintptr_t)j->page);
	if (j->ntranslations > 0) {
		pr->translations = xreallocarray(NULL, j->ntranslations,
		    sizeof *pr->translations);
		for (i = 0; i < j->ntranslations; i++)
			pr->translations[i] = page_ref(j->translations[i]);
	}
	pr->ntranslations = j->ntranslations;
	return &pr->base;
}

/*
 * An event's own calendar ("add to calendar"), likewise: rendered again
 * whole (render_ical_whole gives the bytes the calendar cache's pieces
 * give), from the event's page, its SEQUENCE and LAST-MODIFIED and a
 * copy of its channel.
 */
struct event_recipe {
	struct document_recipe	 base;
	struct config_shared	*settings;
	struct ical_event	 event;		/* its page held */
	struct channel		 ch;		/* strings copied */
};

static char *
event_recipe_render(const struct document_recipe *r, size_t *len)
{
	const struct event_recipe *er = (const struct event_recipe *)r;

	return render_ical_whole(&er->settings->cfg, &er->ch, &er->event, 1,
	    len);
}

static void
event_recipe_free(struct document_recipe *r)
{
	struct event_recipe *er = (struct event_recipe *)r;

	page_free((struct page *)(uintptr_t)er->event.page);
	catalog_jobs_channel_free(&er->ch);
	config_shared_unref(er->settings);
	free(er);
}

static struct document_recipe *
event_recipe_new(struct build *b, const struct job *j)
{
	struct event_recipe *er = xcalloc(1, sizeof *er);

	er->base.render = event_recipe_render;
	er->base.free = event_recipe_free;
	er->settings = config_shared_ref(b->settings);
	er->event = j->events_copy[0];
	page_ref((struct page *)(uintptr_t)er->event.page);
	catalog_jobs_channel_copy(&er->ch, &j->ch);
	return &er->base;
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
		calendar_render_pieces(b->calendar_cache, &b->settings->cfg,
		    &j->ch, j->events, j->nevents, &st, j->memo);
		j->doc = document_from_stitch_plain(j->path, TYPE_ICS, &st,
		    j->mtime, j->fp, ROPE_MIN);
		if (cfg->output_dir[0] != '\0')
			break;		/* written from every one at once */
		if (j->memo != NULL && calendar_memo_is_on_request(j->memo))
			document_gzip_when_asked(j->doc, b->bodies);
		else if (j->events_copy != NULL && j->nevents == 1)
			document_render_on_request(j->doc,
			    event_recipe_new(b, j), b->bodies);
		break;
	case JOB_PAGE:
		if ((body = render_html_page(&b->settings->cfg, j->page,
		    j->translations, j->ntranslations, &len)) == NULL)
			break;
		j->doc = document_new_plain(j->path, TYPE_HTML, body, len,
		    j->mtime, j->fp);
		/* An output folder is written from every page at once. */
		if (cfg->output_dir[0] == '\0')
			document_render_on_request(j->doc,
			    page_recipe_new(b, j), b->bodies);
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
	case JOB_ARCHIVE:
		j->doc = catalog_feeds_archive_document(b, j);
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
		catalog_jobs_channel_free(&b->jobs[i].ch);
		free(b->jobs[i].events_copy);
		free(b->jobs[i].translations);
	}
	b->njobs = 0;
}

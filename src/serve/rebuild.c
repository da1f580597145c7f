/*
 * rebuild.c -- when the site is rebuilt, and what follows each rebuild.
 *
 * A rebuild has four causes: changes in the content folder (watch.c
 * reports them; they are read here, under the lock), a post appearing or
 * expiring by itself (ev_schedule), an event on the front page ending
 * (ev_upcoming: the front page alone is drawn again), and new settings
 * (SIGHUP, main.c).  Each goes through rebuild(): the catalog's lock is
 * taken here and nowhere else a rebuild starts, the catalog renders, and
 * the same steps follow every time -- the set published to the other
 * loops, the state file's write scheduled, the output folder written,
 * the WebSub hub pinged, the two timers set again from what the rebuild
 * found.  The timers are this file's because what they start is a
 * rebuild.
 *
 * The state file is written at most every SAVE_DELAY_S, or 50 times as
 * long as its last write took: it holds every entry (encoding 34 000 of
 * them takes a core a tenth of a second), and an fsync per keystroke of
 * an organizer would cost more than the rebuild.  A crash in between
 * loses nothing that matters: changed content is seen as changed again.
 */
#include <time.h>

#include "log.h"
#include "rebuild.h"

#define SAVE_DELAY_S	2	/* state writes are coalesced at least this
				   long, and 50 times the last one took */
#define SAVE_DELAY_FACTOR 50

/* The next time a post appears or expires by itself. */
static void
schedule_next(struct rebuild *r)
{
	time_t now = time(NULL), next = catalog_next_change(r->cat, now);
	struct timeval tv = { 0, 0 };

	evtimer_del(r->ev_schedule);
	if (next == 0)
		return;
	tv.tv_sec = next - now;
	evtimer_add(r->ev_schedule, &tv);
}

/* The front page lists events that have not ended: when the first of
 * them ends, it is rendered again (the rest of the site stays as is). */
static void
upcoming_next(struct rebuild *r)
{
	time_t now = time(NULL), next = catalog_upcoming_change(r->cat);
	struct timeval tv = { 0, 0 };

	if (evtimer_del(r->ev_upcoming) == -1)
		log_warn("cannot stop the upcoming events' timer");
	if (next == 0)
		return;
	tv.tv_sec = next > now ? next - now : 1;
	if (evtimer_add(r->ev_upcoming, &tv) == -1)
		log_error("cannot arm the upcoming events' timer");
}

static void
save_later(struct rebuild *r)
{
	long ms = state_saver_last_ms(r->saver) * SAVE_DELAY_FACTOR;
	struct timeval delay = { SAVE_DELAY_S, 0 };

	if (ms > SAVE_DELAY_S * 1000L) {
		delay.tv_sec = ms / 1000;
		delay.tv_usec = (ms % 1000) * 1000;
	}
	if (r->state->dirty && !evtimer_pending(r->ev_save, NULL))
		evtimer_add(r->ev_save, &delay);
}

/* What follows every rebuild, the start-up one included. */
static void
follow(struct rebuild *r)
{
	struct catalog *cat = r->cat;

	save_later(r);
	http_republished(r->servers);
	/* The rebuild's gzip bodies: an output folder waits for them (its
	 * .gz files are written with the rest), else they are made in the
	 * background once the identity bodies are served (gzlater.c). */
	if (r->cfg->output_dir[0] != '\0')
		gzlater_finish(&cat->gzlater, cat->render_threads);
	else
		gzlater_start(&cat->gzlater, cat->render_threads);
	output_write(r->output, r->cfg, cat->docs);
	if (cat->stats.rebuilds > 1)	/* not the start-up build */
		websub_ping(r->websub, r->cfg, cat->changed_feeds.keys,
		    cat->changed_feeds.n);
	schedule_next(r);
	upcoming_next(r);
}

/* Without an output folder to write, gzip bodies are made after the
 * rebuild is published (gzlater.c): the identity bodies serve every
 * client meanwhile.  Under the lock. */
static void
render_now(struct rebuild *r)
{
	r->cat->gzip_later = r->cfg->output_dir[0] == '\0';
	catalog_render(r->cat, time(NULL));
}

/* Under the lock. */
static void
render(struct rebuild *r)
{
	render_now(r);
	follow(r);
}

void
rebuild_changes(void *arg)
{
	struct rebuild *r = arg;

	catalog_lock(r->cat);
	watch_apply(r->watch);
	if (r->cat->dirty)
		render(r);
	catalog_unlock(r->cat);
}

static void
schedule_fired(evutil_socket_t fd, short what, void *arg)
{
	struct rebuild *r = arg;

	(void)fd;
	(void)what;
	log_info("a scheduled post appears or expires now: rebuilding");
	catalog_lock(r->cat);
	catalog_reindex(r->cat);
	render(r);
	catalog_unlock(r->cat);
}

static void
upcoming_fired(evutil_socket_t fd, short what, void *arg)
{
	struct rebuild *r = arg;

	(void)fd;
	(void)what;
	log_info("an upcoming event ends now: rendering the front page");
	catalog_lock(r->cat);
	render(r);
	catalog_unlock(r->cat);
}

void
rebuild_reload(struct rebuild *r, struct config *fresh)
{
	catalog_lock(r->cat);
	config_free(r->cfg);
	*r->cfg = *fresh;
	catalog_invalidate(r->cat);
	watch_scan_all(r->watch);
	render(r);
	catalog_unlock(r->cat);
}

void
rebuild_first(struct rebuild *r)
{
	catalog_lock(r->cat);
	watch_scan_all(r->watch);
	render_now(r);		/* followed once listening: rebuild_serving */
	catalog_unlock(r->cat);
}

/* A client told of a document finds its file: connections wait in the
 * listening queue meanwhile. */
void
rebuild_first_output(struct rebuild *r)
{
	output_write(r->output, r->cfg, r->cat->docs);
}

/* The other loops serve already, and nothing here changes a document:
 * writing a whole output folder must not keep them from the lock. */
void
rebuild_serving(struct rebuild *r)
{
	follow(r);
}

static void
save_fired(evutil_socket_t fd, short what, void *arg)
{
	struct rebuild *r = arg;

	(void)fd;
	(void)what;
	state_save_async(r->state, r->saver);
}

int
rebuild_init(struct rebuild *r)
{
	r->ev_schedule = evtimer_new(r->base, schedule_fired, r);
	r->ev_upcoming = evtimer_new(r->base, upcoming_fired, r);
	r->ev_save = evtimer_new(r->base, save_fired, r);
	if (r->ev_schedule == NULL || r->ev_upcoming == NULL ||
	    r->ev_save == NULL)
		return -1;
	return 0;
}

void
rebuild_free(struct rebuild *r)
{
	if (r->ev_schedule != NULL)
		event_free(r->ev_schedule);
	if (r->ev_upcoming != NULL)
		event_free(r->ev_upcoming);
	if (r->ev_save != NULL)
		event_free(r->ev_save);
	r->ev_schedule = r->ev_upcoming = r->ev_save = NULL;
}

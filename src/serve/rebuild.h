/*
 * rebuild.h -- the one place the site is rebuilt: what starts a rebuild,
 * the lock around it, and what follows it.
 */
#ifndef CRIER_REBUILD_H
#define CRIER_REBUILD_H

#include <event2/event.h>

#include "catalog.h"
#include "config.h"
#include "http.h"
#include "output.h"
#include "state.h"
#include "watch.h"
#include "websub.h"

/* Filled in by the caller, then rebuild_init; the pointers outlive it. */
struct rebuild {
	struct event_base	*base;
	struct config		*cfg;		/* the live settings */
	struct catalog		*cat;
	struct watcher		*watch;
	struct state		*state;
	struct state_saver	*saver;
	struct output		*output;
	struct websub		*websub;
	struct server_group	*servers;	/* told of each new set */
	/* Its own: */
	struct event		*ev_schedule;	/* a post appears or expires */
	struct event		*ev_upcoming;	/* an upcoming event ends */
	struct event		*ev_save;	/* the state's write, coalesced */
};

int	 rebuild_init(struct rebuild *);
void	 rebuild_free(struct rebuild *);
/* The start-up build, before listening: the whole folder read and every
 * document rendered, gzip bodies left for later without an output
 * folder. */
void	 rebuild_first(struct rebuild *);
/* The start-up build's output folder, before any loop answers (and after
 * privileges are dropped: the folder is the unprivileged user's). */
void	 rebuild_first_output(struct rebuild *);
/* Once the start-up build is served: what follows every rebuild. */
void	 rebuild_serving(struct rebuild *);
/* For watch_start: changes wait in the watcher; applies them and
 * rebuilds if they changed anything. */
void	 rebuild_changes(void *rebuild);
/* SIGHUP: fresh settings (taken) replace the live ones; every page is
 * parsed again. */
void	 rebuild_reload(struct rebuild *, struct config *fresh);

#endif

/*
 * watch.h -- the content folder: a full scan, then inotify, with bursts
 * of changes coalesced and reported to whoever rebuilds.
 */
#ifndef CRIER_WATCH_H
#define CRIER_WATCH_H

#include <event2/event.h>

#include "catalog.h"
#include "config.h"
#include "dict.h"
#include "util.h"

struct watcher {
	struct event_base	*base;
	const struct config	*cfg;
	struct catalog		*cat;
	int			 fd;		/* inotify, -1 when off */
	struct event		*ev_inotify;
	struct event		*ev_flush;	/* coalesces bursts */
	int64_t			 flush_due;	/* when ev_flush fires (ms) */
	struct event		*ev_retry;	/* content folder missing */
	struct dict		 dirs;		/* "wd" -> relative folder */
	struct dict		 wds;		/* relative folder -> "wd" */
	struct dict		 pending;	/* relative path -> change */
	struct dict		 recascade;	/* folders whose cascade
						   changed in this scan */
	int			 rescan;	/* everything, after overflow */
	int			 root_ok;
	int			 root_back;	/* rescan: it came back */
	void			(*changed)(void *);
	void			*arg;
};

/*
 * changed(arg) is told when changes wait to be read (never during
 * watch_scan_all); it takes the catalog's lock, calls watch_apply and
 * rebuilds if the catalog changed.  The watcher itself never takes the
 * lock nor renders.  Without a base (--check) nothing is watched.
 */
int	 watch_start(struct watcher *, struct event_base *,
	    const struct config *, struct catalog *,
	    void (*changed)(void *), void *);
void	 watch_stop(struct watcher *);
/* Reads what is due into the catalog, under its lock. */
void	 watch_apply(struct watcher *);
/* Reads the whole folder now (start-up, --check, reload). */
void	 watch_scan_all(struct watcher *);
/* Is this file name content (not a dot-file, editor temp file, ...)? */
int	 watch_is_content(const char *name);
int	 watch_is_ignored(const char *name);

#endif

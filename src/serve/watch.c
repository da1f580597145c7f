/*
 * watch.c -- turns inotify events into "these paths changed".
 *
 * Every folder under the content folder has a watch.  inotify already says
 * when a write is complete, so no fixed delay is added to a change: an
 * event that means "this file is whole now" (IN_CLOSE_WRITE, IN_MOVED_TO)
 * or a folder event marks the path in `pending` and arms the flush for the
 * next loop turn; everything read in the same turn, and everything that
 * arrives while a rebuild runs, is then one rebuild (the coalescing idiom
 * of tmux's alerts.c).  When the flush runs, each pending path is looked
 * at as it is *now* -- read if it is there, dropped if not -- so a
 * write-temp-then-rename ends as one rebuild of the final state.  A
 * burst (`git checkout`, a script) goes on while its first files are
 * read, so the flush reads on while inotify has more to say, and rebuilds
 * once it pauses (BURST_PAUSE_MS) or after BURST_MAX_MS of reading: a
 * handful of rebuilds for hundreds of files, and none of the wait for a
 * single edit.
 *
 * Two kinds of change wait instead:
 *   - a file seen created or modified (IN_CREATE, IN_MODIFY) but not yet
 *     closed is still being written: it is never read half-written; it
 *     waits for its close, at most WRITER_WAIT_MS from its first write,
 *     so a writer that never closes is still picked up;
 *   - a file deleted or moved away waits DELETE_GRACE_MS, unless another
 *     change is flushed first: editors and `git checkout` delete and then
 *     create the same name, and the post must not vanish from the feeds
 *     in between (one rebuild of the final state).  Nobody waits on a
 *     deletion, everybody waits on an edit.
 * `debounce_ms` (default 0) is an optional extra delay before every flush.
 *
 * A new folder gets its watch at once and is then scanned, since files can
 * land in it before the watch exists.  IN_Q_OVERFLOW means events were
 * lost: everything is rescanned.  If the content folder itself goes away,
 * the last documents stay served, the error is logged, and a retry timer
 * brings the watch back when the folder returns.
 *
 * A scan walks the folders first (watching each) and only then reads the
 * files it found, together, on every core (load.c); the catalog still
 * gets them one at a time, in scan order, on this thread.
 *
 * The watcher reads the folder and changes the catalog, but decides
 * nothing about rebuilding: when changes wait it tells its owner
 * (rebuild.c), which takes the catalog's lock, lets it apply them
 * (watch_apply) and rebuilds.
 *
 * Symbolic links are never followed (a link could point anywhere on the
 * machine); they are reported as warnings instead.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "hugo.h"
#include "load.h"
#include "log.h"
#include "utf8.h"
#include "watch.h"

#define WATCH_MASK (IN_CLOSE_WRITE | IN_MOVED_TO | IN_MOVED_FROM | \
	IN_DELETE | IN_CREATE | IN_MODIFY | IN_DELETE_SELF | IN_MOVE_SELF | \
	IN_ONLYDIR | IN_DONT_FOLLOW | IN_EXCL_UNLINK)
#define MAX_DEPTH	16
#define RETRY_SECONDS	1
/* A file written but not closed is read this long after its first write. */
#define WRITER_WAIT_MS	2000
/* A deleted file is dropped this long after, unless an edit comes first. */
#define DELETE_GRACE_MS	50
/* A burst is read on until it pauses this long, or for at most this long. */
#define BURST_PAUSE_MS	10
#define BURST_MAX_MS	100

enum change_kind {
	CHANGE_FILE = 1,	/* look at the file now */
	CHANGE_DIR,		/* rescan the folder now */
	CHANGE_GONE		/* deleted or moved away: look after a grace */
};

/* One pending path.  `writing` while created or modified but not closed. */
struct change {
	enum change_kind kind;
	int		 writing;
	int64_t		 since_ms;	/* first write, or the deletion */
};

/* The files a scan found, in scan order, to be read after the walk. */
struct scan {
	struct load	*loads;
	size_t		 n;
	size_t		 cap;
	struct dict	*seen;		/* paths found, for a rescan */
};

static int	scan_dir(struct watcher *, const char *rel, int depth,
		    struct scan *);

int
watch_is_ignored(const char *name)
{
	size_t n = strlen(name);

	return n == 0 || name[0] == '.' || name[n - 1] == '~' ||
	    (name[0] == '#' && name[n - 1] == '#') ||
	    str_has_suffix(name, ".swp") || str_has_suffix(name, ".swx") ||
	    str_has_suffix(name, ".tmp") || strcmp(name, "4913") == 0;
}

int
watch_is_content(const char *name)
{
	return !watch_is_ignored(name) && (str_has_suffix(name, ".md") ||
	    str_has_suffix(name, ".markdown") || str_has_suffix(name, ".mdown") ||
	    str_has_suffix(name, ".ics"));
}

static char *
join(const char *dir, const char *name)
{
	return dir[0] ? xasprintf("%s/%s", dir, name) : xstrdup(name);
}

static char *
full_path(const struct watcher *w, const char *rel)
{
	return rel[0] ? xasprintf("%s/%s", w->cfg->content_dir, rel) :
	    xstrdup(w->cfg->content_dir);
}

static void
add_watch(struct watcher *w, const char *rel)
{
	char *path, key[16];
	int wd;

	if (w->fd == -1)
		return;
	path = full_path(w, rel);
	wd = inotify_add_watch(w->fd, path, WATCH_MASK);
	free(path);
	if (wd == -1) {
		log_warn("cannot watch %s/%s: %s", w->cfg->content_dir, rel,
		    strerror(errno));
		return;
	}
	snprintf(key, sizeof key, "%d", wd);
	free(dict_set(&w->dirs, key, xstrdup(rel)));
	free(dict_set(&w->wds, rel, xstrdup(key)));
}

static void
forget_watches_under(struct watcher *w, const char *rel)
{
	size_t i, n = strlen(rel);
	const char *key;
	void *v;

	for (i = 0; dict_next(&w->dirs, &i, &key, &v); ) {
		const char *dir = v;

		if (n == 0 || strcmp(dir, rel) == 0 || (strncmp(dir, rel, n) == 0 &&
		    dir[n] == '/')) {
			inotify_rm_watch(w->fd, atoi(key));
			free(dict_remove(&w->wds, dir));
			free(dict_remove(&w->dirs, key));
		}
	}
}

/* What the branch index at path hands down: its last good version's
 * cascade (a broken edit keeps the old one, as it keeps the old page). */
static const json_t *
branch_cascade(const char *path, void *arg)
{
	const struct watcher *w = arg;
	const struct slot *s = dict_get(&w->cat->slots, path);

	return s != NULL && s->good != NULL ? s->good->cascade : NULL;
}

static uint64_t
branch_cascade_hash(const struct watcher *w, const char *path)
{
	const struct slot *s = dict_get(&w->cat->slots, path);

	return s != NULL && s->good != NULL ? s->good->cascade_hash : 0;
}

/* The pages below the branch index at path must be read again. */
static void
note_recascade(struct watcher *w, const char *path)
{
	char *dir = xstrdup(path), *slash = strrchr(dir, '/');

	*(slash != NULL ? slash : dir) = '\0';
	dict_set(&w->recascade, dir, (void *)1);
	free(dir);
}

/* What a file's reading says to do: on the watching thread, in order. */
static void
apply_load(struct load *l, void *arg)
{
	struct watcher *w = arg;
	int branch = cascade_is_branch(l->path);
	uint64_t hash, before = branch ? branch_cascade_hash(w, l->path) : 0;

	/* A path found twice in one scan (two bad names cleaned to the same
	 * text) may have changed in the catalog since the walk. */
	if (l->result == LOAD_SAME && (!catalog_known(w->cat, l->path, &hash) ||
	    hash != l->known_hash)) {
		l->result = LOAD_UNREAD;
		l->known = 0;
		load_read(w->cfg, l);
	}
	switch (l->result) {
	case LOAD_GONE:
		catalog_remove(w->cat, l->path);
		break;
	case LOAD_PROBLEM:
		catalog_put_problem(w->cat, l->path, l->level, l->message,
		    time(NULL));
		break;
	case LOAD_PAGE:
		catalog_put_page(w->cat, l->page, time(NULL));
		l->page = NULL;
		break;
	case LOAD_UNREAD:
	case LOAD_SAME:
		break;
	}
	/* Its pages are read again with what it hands down now. */
	if (branch && branch_cascade_hash(w, l->path) != before)
		note_recascade(w, l->path);
	load_clear(l);
}

static struct load *
scan_add(struct watcher *w, struct scan *sc, const char *rel)
{
	struct load *l;

	if (sc->n == sc->cap) {
		sc->cap = sc->cap ? sc->cap * 2 : 64;
		sc->loads = xreallocarray(sc->loads, sc->cap, sizeof *l);
	}
	l = &sc->loads[sc->n++];
	memset(l, 0, sizeof *l);
	l->path = xstrdup(rel);
	l->known = catalog_known(w->cat, rel, &l->known_hash);
	if (sc->seen != NULL)
		dict_set(sc->seen, rel, (void *)1);
	return l;
}

static double
ms_since(const struct timespec *start)
{
	struct timespec end;

	clock_gettime(CLOCK_MONOTONIC, &end);
	return (double)(end.tv_sec - start->tv_sec) * 1e3 +
	    (double)(end.tv_nsec - start->tv_nsec) / 1e6;
}

/* What a file inherits from the branches above it, in its language
 * (a calendar file inherits nothing: it has no front matter). */
static void
inherit(struct watcher *w, struct load *l)
{
	const struct hugo_site *site = w->cfg->hugo;
	const struct hugo_language *lang = NULL;
	char *rest = NULL;

	if (str_has_suffix(l->path, ".ics"))
		return;
	if (site != NULL)
		lang = hugo_language_of(site, l->path, &rest);
	free(rest);
	cascade_inherit(&l->cascade, l->path, lang ? lang->key : NULL,
	    lang == NULL || site->default_language == NULL ||
	    strcmp(lang->key, site->default_language) == 0, branch_cascade, w);
}

/* Sets what each load inherits, then reads them all on every core. */
static void
load_inheriting(struct watcher *w, struct load *loads, size_t n,
    int threads)
{
	size_t i;

	for (i = 0; i < n; i++)
		inherit(w, &loads[i]);
	load_all(w->cfg, loads, n, threads, apply_load, w);
}

static int
is_known(const char *path, void *slot, void *arg)
{
	(void)slot;
	return file_path_under(path, arg);
}

/* The files below a folder whose cascade changed that this scan does not
 * read already, branches below it too (what they inherit changed): they
 * are read again (their hash now differs). */
static void
add_recascaded(struct watcher *w, struct scan *sc)
{
	struct dict in_scan;
	struct dict_keys below;
	const char *dir;
	size_t i, k;
	void *v;

	dict_init(&in_scan);
	for (i = 0; i < sc->n; i++)
		dict_set(&in_scan, sc->loads[i].path, (void *)1);
	for (i = 0; dict_next(&w->recascade, &i, &dir, &v); ) {
		dict_keys_where(&w->cat->slots, is_known, (void *)dir, &below);
		for (k = 0; k < below.n; k++)
			if (dict_get(&in_scan, below.keys[k]) == NULL) {
				dict_set(&in_scan, below.keys[k], (void *)1);
				scan_add(w, sc, below.keys[k]);
			}
		dict_keys_free(&below);
	}
	dict_free(&in_scan, NULL);
	dict_free(&w->recascade, NULL);
	dict_init(&w->recascade);
}

static int	depth_of(const char *);

/* Branch indexes, a folder level at a time from the top, so that each
 * inherits from those above it; in scan order within a level. */
static void
load_branches(struct watcher *w, struct scan *branches, int threads)
{
	struct load *level;
	size_t i, n, done = 0;
	int depth, *depths;

	/* Read first: applying a load frees its path. */
	depths = xreallocarray(NULL, branches->n + 1, sizeof *depths);
	for (i = 0; i < branches->n; i++)
		depths[i] = depth_of(branches->loads[i].path);
	level = xreallocarray(NULL, branches->n + 1, sizeof *level);
	for (depth = 0; done < branches->n; depth++) {
		for (n = i = 0; i < branches->n; i++)
			if (depths[i] == depth)
				level[n++] = branches->loads[i];
		load_inheriting(w, level, n, threads);
		done += n;
	}
	free(level);
	free(depths);
}

/*
 * Reads what the scan found into the catalog, on every core: branch
 * indexes first, shallowest first (each level inheriting from the one
 * read before it), then the other files, with what the branches hand
 * down (cascade.c), and the pages below a branch whose cascade changed.
 */
static void
scan_load(struct watcher *w, struct scan *sc)
{
	struct scan branches, pages;
	struct timespec start;
	int threads = load_threads();
	size_t i, total = sc->n;

	clock_gettime(CLOCK_MONOTONIC, &start);
	memset(&branches, 0, sizeof branches);
	memset(&pages, 0, sizeof pages);
	for (i = 0; i < sc->n; i++) {
		struct scan *to = cascade_is_branch(sc->loads[i].path) ?
		    &branches : &pages;

		if (to->n == to->cap) {
			to->cap = to->cap ? to->cap * 2 : 64;
			to->loads = xreallocarray(to->loads, to->cap,
			    sizeof *to->loads);
		}
		to->loads[to->n++] = sc->loads[i];
	}
	free(sc->loads);
	sc->loads = NULL;
	sc->n = sc->cap = 0;
	load_branches(w, &branches, threads);
	if (w->recascade.live > 0)
		add_recascaded(w, &pages);
	total = branches.n + pages.n;
	load_inheriting(w, pages.loads, pages.n, threads);
	/* A branch re-read below a changed one hands down what it did. */
	dict_free(&w->recascade, NULL);
	dict_init(&w->recascade);
	if (total > 1)
		log_debug("%zu files read and parsed in %.1f ms (%d threads)",
		    total, ms_since(&start), threads);
	free(branches.loads);
	free(pages.loads);
}

/* A name that is not UTF-8 cannot be a URL, a JSON key or a feed link. */
static void
report_bad_name(struct watcher *w, const char *rel, const char *name,
    struct scan *sc)
{
	char *child = join(rel, name), *shown = utf8_clean_dup(child);
	struct load *l = scan_add(w, sc, shown);

	/* Known already: reported in its turn, with the files around it. */
	l->result = LOAD_PROBLEM;
	l->level = DIAG_ERROR;
	l->message = xstrdup("the name is not valid UTF-8 (the bad bytes are "
	    "shown as \xef\xbf\xbd); rename it");
	free(shown);
	free(child);
}

/* Returns -1 when a folder below could not be read. */
static int
scan_entry(struct watcher *w, const char *rel, const char *name, int depth,
    struct scan *sc)
{
	char *child, *path;
	struct stat st;
	int rc = 0;

	if (!utf8_valid(name, strlen(name))) {
		report_bad_name(w, rel, name, sc);
		return 0;
	}
	child = join(rel, name);
	path = full_path(w, child);
	if (lstat(path, &st) == -1)
		;	/* gone since the folder was listed */
	else if (S_ISDIR(st.st_mode))
		rc = scan_dir(w, child, depth + 1, sc);
	else if (watch_is_content(name) || S_ISLNK(st.st_mode))
		scan_add(w, sc, child);
	free(path);
	free(child);
	return rc;
}

/*
 * Walks a folder and everything below it, watching each folder and noting
 * each file in sc.  Returns -1 when some folder could not be read for a
 * reason other than its absence (no descriptors, no memory, no
 * permission): its files must not be taken as deleted.
 */
static int
scan_dir(struct watcher *w, const char *rel, int depth, struct scan *sc)
{
	char *path = full_path(w, rel);
	struct dirent **names;
	int n, i, rc = 0;

	if (depth > MAX_DEPTH) {
		log_warn("%s: folders nested deeper than %d are not read", path,
		    MAX_DEPTH);
		free(path);
		return 0;
	}
	add_watch(w, rel);
	/* scandir sorts: the scan order, and so the logs, are stable. */
	n = scandir(path, &names, NULL, alphasort);
	if (n == -1) {
		rc = errno == ENOENT || errno == ENOTDIR ? 0 : -1;
		log_error("cannot read folder %s: %s", path, strerror(errno));
		free(path);
		return rc;
	}
	for (i = 0; i < n; i++) {
		if (!watch_is_ignored(names[i]->d_name) &&
		    scan_entry(w, rel, names[i]->d_name, depth, sc) == -1)
			rc = -1;
		free(names[i]);
	}
	free(names);
	free(path);
	return rc;
}

static int
depth_of(const char *rel)
{
	int depth = rel[0] != '\0';

	for (; *rel != '\0'; rel++)
		depth += *rel == '/';
	return depth;
}

struct rescan {
	const char	*folder;
	struct dict	*seen;
};

static int
vanished(const char *path, void *slot, void *arg)
{
	const struct rescan *r = arg;

	(void)slot;
	return file_path_under(path, r->folder) && dict_get(r->seen, path) == NULL;
}

/* Rescans a folder: reads what is there, drops what is gone. */
static void
rescan_dir(struct watcher *w, const char *rel)
{
	struct dict seen;
	struct rescan r = { rel, &seen };
	struct dict_keys gone;
	struct scan sc;
	struct timespec start;
	size_t i;
	int rc;

	dict_init(&seen);
	memset(&sc, 0, sizeof sc);
	sc.seen = &seen;
	clock_gettime(CLOCK_MONOTONIC, &start);
	rc = scan_dir(w, rel, depth_of(rel), &sc);
	log_debug("%s/%s walked in %.1f ms: %zu files", w->cfg->content_dir,
	    rel, ms_since(&start), sc.n);
	/* What was found is read even when a folder was not. */
	scan_load(w, &sc);
	if (rc == -1) {
		log_error("%s/%s was not read completely: keeping what was "
		    "there; a later change rescans it", w->cfg->content_dir, rel);
		dict_free(&seen, NULL);
		return;
	}
	dict_keys_where(&w->cat->slots, vanished, &r, &gone);
	for (i = 0; i < gone.n; i++) {
		/* A branch gone with its cascade: its pages read again. */
		if (branch_cascade_hash(w, gone.keys[i]) != 0)
			note_recascade(w, gone.keys[i]);
		catalog_remove(w->cat, gone.keys[i]);
	}
	dict_keys_free(&gone);
	if (w->recascade.live > 0) {
		memset(&sc, 0, sizeof sc);
		scan_load(w, &sc);
	}
	dict_free(&seen, NULL);
}

static int
root_exists(const struct watcher *w)
{
	struct stat st;

	return stat(w->cfg->content_dir, &st) == 0 && S_ISDIR(st.st_mode);
}

void
watch_scan_all(struct watcher *w)
{
	if (!root_exists(w)) {
		log_error("content folder %s is missing or not a folder; "
		    "serving what was last built, retrying", w->cfg->content_dir);
		w->root_ok = 0;
		if (w->ev_retry != NULL) {
			struct timeval tv = { RETRY_SECONDS, 0 };

			event_add(w->ev_retry, &tv);
		}
		return;
	}
	w->root_ok = 1;
	rescan_dir(w, "");
}

static int64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* When a pending path should be looked at. */
static int64_t
change_due(const struct watcher *w, const struct change *c)
{
	int64_t delay = w->cfg->debounce_ms;

	if (c->writing)
		return c->since_ms + WRITER_WAIT_MS;
	if (c->kind == CHANGE_GONE)
		return c->since_ms + (delay > DELETE_GRACE_MS ? delay :
		    DELETE_GRACE_MS);
	return c->since_ms + delay;
}

/* Arms the flush for `due` unless it is armed for earlier already. */
static void
flush_at(struct watcher *w, int64_t due)
{
	int64_t now = now_ms(), wait;
	struct timeval tv;

	if (w->ev_flush == NULL)
		return;
	if (evtimer_pending(w->ev_flush, NULL) && w->flush_due <= due)
		return;
	wait = due > now ? due - now : 0;
	tv.tv_sec = wait / 1000;
	tv.tv_usec = (wait % 1000) * 1000;
	w->flush_due = due;
	if (evtimer_add(w->ev_flush, &tv) == -1)
		log_error("cannot arm the content folder's flush timer");
}

/* Is anything pending that is due now and is not a deletion? */
static int
edit_due(const struct watcher *w, int64_t now)
{
	const char *key;
	void *v;
	size_t i;

	for (i = 0; dict_next(&w->pending, &i, &key, &v); ) {
		const struct change *c = v;

		if (c->kind != CHANGE_GONE && change_due(w, c) <= now)
			return 1;
	}
	return 0;
}

/*
 * Splits `pending` into what is looked at now (returned, in the order the
 * changes came) and what still waits (left in w->pending).  A deletion
 * waits its grace only while nothing else is flushed: a rebuild that runs
 * anyway may as well see it.
 */
static struct dict
take_due(struct watcher *w)
{
	struct dict due, waiting;
	int64_t now = now_ms();
	int edits = edit_due(w, now);
	const char *key;
	void *v;
	size_t i;

	dict_init(&due);
	dict_init(&waiting);
	for (i = 0; dict_next(&w->pending, &i, &key, &v); ) {
		struct change *c = v;
		int wait = change_due(w, c) > now &&
		    (c->writing || c->kind != CHANGE_GONE || !edits);

		dict_set(wait ? &waiting : &due, key, c);
	}
	dict_free(&w->pending, NULL);
	w->pending = waiting;
	return due;
}

static void
rearm(struct watcher *w)
{
	const char *key;
	void *v;
	size_t i;

	for (i = 0; dict_next(&w->pending, &i, &key, &v); )
		flush_at(w, change_due(w, v));
}

/* Reads what is due into the catalog; returns how many paths it took. */
static size_t
load_due(struct watcher *w)
{
	struct dict due = take_due(w);
	struct scan files;
	const char *key;
	void *v;
	size_t i, n = 0;

	/* Files are read together (a git pull changes hundreds), in the
	 * order they changed: those before a folder, before it. */
	memset(&files, 0, sizeof files);
	for (i = 0; dict_next(&due, &i, &key, &v); n++) {
		if (((struct change *)v)->kind == CHANGE_DIR) {
			scan_load(w, &files);
			rescan_dir(w, key);
		} else
			scan_add(w, &files, key);
	}
	scan_load(w, &files);
	dict_free(&due, free);
	return n;
}

static void	read_events(struct watcher *);

/* Whether inotify has more to say within wait_ms; reads it if so. */
static int
more_events(struct watcher *w, int wait_ms)
{
	struct pollfd pfd = { w->fd, POLLIN, 0 };
	int n;

	if (w->fd == -1)
		return 0;
	while ((n = poll(&pfd, 1, wait_ms)) == -1 && errno == EINTR)
		;
	if (n <= 0)
		return 0;
	read_events(w);
	return 1;
}

/*
 * A burst (a git checkout, a script writing hundreds of files) goes on
 * while its first files are read: reading goes on while it does, and the
 * rebuild waits for it to pause (BURST_PAUSE_MS without an event) or for
 * BURST_MAX_MS of reading.  A single edit finds nothing more and is
 * rebuilt at once.
 */
static void
load_burst(struct watcher *w)
{
	struct timespec start;
	size_t n;

	clock_gettime(CLOCK_MONOTONIC, &start);
	n = load_due(w);
	while (n > 0 && ms_since(&start) < BURST_MAX_MS &&
	    more_events(w, n > 1 ? BURST_PAUSE_MS : 0))
		n += load_due(w);
}

void
watch_apply(struct watcher *w)
{
	if (w->root_back) {
		w->root_back = 0;
		watch_scan_all(w);
		return;
	}
	if (!w->root_ok) {
		/* The folder went away: what it held stays served until it
		 * comes back and is rescanned (retry_fired). */
		dict_free(&w->pending, free);
		dict_init(&w->pending);
		return;
	}
	if (w->rescan) {
		w->rescan = 0;
		dict_free(&w->pending, free);
		dict_init(&w->pending);
		watch_scan_all(w);
	} else
		load_burst(w);
}

/* What is due is applied by the owner of rebuilds, then what still
 * waits is armed again. */
static void
flush_fired(evutil_socket_t fd, short what, void *arg)
{
	struct watcher *w = arg;

	(void)fd;
	(void)what;
	w->changed(w->arg);
	rearm(w);
}

static struct change *
change_of(struct watcher *w, const char *rel)
{
	struct change *c = dict_get(&w->pending, rel);

	if (c == NULL) {
		c = xcalloc(1, sizeof *c);
		c->kind = CHANGE_FILE;
		c->since_ms = now_ms();
		dict_set(&w->pending, rel, c);
	}
	return c;
}

/* A folder changed, or a file is complete, or gone: look at it. */
static void
mark(struct watcher *w, const char *rel, enum change_kind kind)
{
	struct change *c = change_of(w, rel);

	if (c->kind != CHANGE_DIR) {
		c->kind = kind;
		c->writing = 0;
		c->since_ms = now_ms();
	}
	flush_at(w, change_due(w, c));
}

/* A file is being written: wait for its close (or WRITER_WAIT_MS). */
static void
mark_writing(struct watcher *w, const char *rel)
{
	struct change *c = change_of(w, rel);

	if (c->kind == CHANGE_DIR || c->writing)
		return;
	c->kind = CHANGE_FILE;
	c->writing = 1;
	c->since_ms = now_ms();
	flush_at(w, change_due(w, c));
}

static void
root_gone(struct watcher *w)
{
	struct timeval tv = { RETRY_SECONDS, 0 };

	log_error("content folder %s was removed or moved; serving what was "
	    "last built, waiting for it to come back", w->cfg->content_dir);
	w->root_ok = 0;
	forget_watches_under(w, "");
	event_add(w->ev_retry, &tv);
}

static int
is_symlink(const struct watcher *w, const char *rel)
{
	char *path = full_path(w, rel);
	struct stat st;
	int link = lstat(path, &st) == 0 && S_ISLNK(st.st_mode);

	free(path);
	return link;
}

static void
handle_dir_event(struct watcher *w, const struct inotify_event *ev,
    const char *rel)
{
	if (ev->mask & (IN_CREATE | IN_MOVED_TO))
		add_watch(w, rel);
	else if (ev->mask & (IN_DELETE | IN_MOVED_FROM))
		forget_watches_under(w, rel);
	else
		return;		/* IN_MODIFY of a folder: nothing to read */
	mark(w, rel, CHANGE_DIR);
}

static void
handle_file_event(struct watcher *w, const struct inotify_event *ev,
    const char *rel)
{
	int content = watch_is_content(ev->name);

	if (ev->mask & (IN_CLOSE_WRITE | IN_MOVED_TO)) {
		if (content)
			mark(w, rel, CHANGE_FILE);
	} else if (ev->mask & (IN_DELETE | IN_MOVED_FROM)) {
		/* Content, or a reported link that went away. */
		if (content || dict_get(&w->cat->slots, rel) != NULL)
			mark(w, rel, CHANGE_GONE);
	} else if (ev->mask & IN_CREATE && is_symlink(w, rel))
		mark(w, rel, CHANGE_FILE);	/* to report it */
	else if (ev->mask & (IN_CREATE | IN_MODIFY) && content)
		mark_writing(w, rel);
}

static void
handle_event(struct watcher *w, const struct inotify_event *ev)
{
	char key[16], *rel;
	const char *dir;

	if (ev->mask & IN_Q_OVERFLOW) {
		log_warn("inotify queue overflowed: rescanning everything");
		w->rescan = 1;
		mark(w, "", CHANGE_DIR);
		return;
	}
	snprintf(key, sizeof key, "%d", ev->wd);
	if ((dir = dict_get(&w->dirs, key)) == NULL)
		return;
	if (ev->mask & IN_IGNORED) {
		free(dict_remove(&w->wds, dir));
		free(dict_remove(&w->dirs, key));
		return;
	}
	if (ev->mask & (IN_DELETE_SELF | IN_MOVE_SELF)) {
		if (dir[0] == '\0')
			root_gone(w);
		return;
	}
	if (ev->len == 0 || watch_is_ignored(ev->name))
		return;
	if (!utf8_valid(ev->name, strlen(ev->name))) {
		mark(w, dir, CHANGE_DIR);	/* the rescan reports it */
		return;
	}
	rel = join(dir, ev->name);
	if (ev->mask & IN_ISDIR)
		handle_dir_event(w, ev, rel);
	else
		handle_file_event(w, ev, rel);
	free(rel);
}

/* Reads every event inotify has now (without waiting). */
static void
read_events(struct watcher *w)
{
	char buf[65536] __attribute__((aligned(__alignof__(struct
	    inotify_event))));
	const struct inotify_event *ev;
	ssize_t n;
	char *p;

	for (;;) {
		n = read(w->fd, buf, sizeof buf);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		for (p = buf; p < buf + n; p += sizeof *ev + ev->len) {
			ev = (const struct inotify_event *)p;
			handle_event(w, ev);
		}
	}
}

static void
inotify_readable(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	read_events(arg);
}

static void
retry_fired(evutil_socket_t fd, short what, void *arg)
{
	struct watcher *w = arg;

	(void)fd;
	(void)what;
	if (!root_exists(w)) {
		struct timeval tv = { RETRY_SECONDS, 0 };

		event_add(w->ev_retry, &tv);
		return;
	}
	log_info("content folder %s is back: rescanning", w->cfg->content_dir);
	w->root_back = 1;
	w->changed(w->arg);
}

int
watch_start(struct watcher *w, struct event_base *base,
    const struct config *cfg, struct catalog *cat, void (*changed)(void *),
    void *arg)
{
	memset(w, 0, sizeof *w);
	w->base = base;
	w->cfg = cfg;
	w->cat = cat;
	w->changed = changed;
	w->arg = arg;
	w->fd = -1;
	dict_init(&w->dirs);
	dict_init(&w->wds);
	dict_init(&w->pending);
	dict_init(&w->recascade);
	if (base == NULL)	/* --check: scan only */
		return 0;
	w->fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	if (w->fd == -1) {
		log_error("inotify_init1: %s", strerror(errno));
		return -1;
	}
	w->ev_inotify = event_new(base, w->fd, EV_READ | EV_PERSIST,
	    inotify_readable, w);
	w->ev_flush = evtimer_new(base, flush_fired, w);
	w->ev_retry = evtimer_new(base, retry_fired, w);
	if (w->ev_inotify == NULL || w->ev_flush == NULL ||
	    w->ev_retry == NULL || event_add(w->ev_inotify, NULL) == -1) {
		log_error("cannot set up the inotify events");
		return -1;
	}
	return 0;
}

void
watch_stop(struct watcher *w)
{
	if (w->ev_inotify != NULL)
		event_free(w->ev_inotify);
	if (w->ev_flush != NULL)
		event_free(w->ev_flush);
	if (w->ev_retry != NULL)
		event_free(w->ev_retry);
	if (w->fd != -1)
		close(w->fd);
	dict_free(&w->dirs, free);
	dict_free(&w->wds, free);
	dict_free(&w->pending, free);
	dict_free(&w->recascade, NULL);
	memset(w, 0, sizeof *w);
	w->fd = -1;
}

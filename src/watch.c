/*
 * watch.c -- turns inotify events into "these paths changed".
 *
 * Every folder under the content folder has a watch.  Events only mark
 * paths in `pending` and arm one short timer (debounce_ms); when it fires,
 * each pending path is looked at as it is *now* -- read if it is there,
 * dropped if not -- so a write-temp-then-rename, a delete followed by a
 * create, or a `git pull` touching hundreds of files all end as one
 * rebuild of the final state (the coalescing idiom of tmux's alerts.c).
 * A new folder gets its watch at once and is then scanned, since files can
 * land in it before the watch exists.  IN_Q_OVERFLOW means events were
 * lost: everything is rescanned.  If the content folder itself goes away,
 * the last documents stay served, the error is logged, and a retry timer
 * brings the watch back when the folder returns.
 *
 * Symbolic links are never followed (a link could point anywhere on the
 * machine); they are reported as warnings instead.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "log.h"
#include "watch.h"

#define WATCH_MASK (IN_CLOSE_WRITE | IN_MOVED_TO | IN_MOVED_FROM | \
	IN_DELETE | IN_CREATE | IN_DELETE_SELF | IN_MOVE_SELF | \
	IN_ONLYDIR | IN_DONT_FOLLOW | IN_EXCL_UNLINK)
#define MAX_DEPTH	16
#define RETRY_SECONDS	1

enum pending_kind { PENDING_FILE = 1, PENDING_DIR = 2 };

static int	scan_dir(struct watcher *, const char *rel, int depth,
		    struct dict *seen);

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
	    str_has_suffix(name, ".markdown") || str_has_suffix(name, ".ics"));
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

/* Reads one file into the catalog, or records why it cannot be read. */
static void
load_file(struct watcher *w, const char *rel, time_t now)
{
	char err[256], *data, *path = full_path(w, rel);
	size_t len;
	struct stat st;

	if (lstat(path, &st) == -1) {
		catalog_remove(w->cat, rel);
	} else if (S_ISLNK(st.st_mode)) {
		catalog_put_problem(w->cat, rel, DIAG_WARNING, "a symbolic link: "
		    "not followed (links could point outside the content "
		    "folder); copy the file here instead", now);
	} else if (!S_ISREG(st.st_mode)) {
		catalog_remove(w->cat, rel);
	} else if (read_file(path, (size_t)w->cfg->max_file_size, &data, &len,
	    err, sizeof err) == -1) {
		if (errno == ENOENT)
			catalog_remove(w->cat, rel);
		else
			catalog_put_problem(w->cat, rel, DIAG_ERROR, err, now);
	} else {
		catalog_put(w->cat, rel, data, len, now);
		free(data);
	}
	free(path);
}

/* A name that is not UTF-8 cannot be a URL, a JSON key or a feed link. */
static void
report_bad_name(struct watcher *w, const char *rel, const char *name,
    struct dict *seen)
{
	char *child = join(rel, name), *shown = text_clean_dup(child);

	catalog_put_problem(w->cat, shown, DIAG_ERROR, "the name is not "
	    "valid UTF-8 (the bad bytes are shown as \xef\xbf\xbd); rename it",
	    time(NULL));
	if (seen != NULL)
		dict_set(seen, shown, (void *)1);
	free(shown);
	free(child);
}

/* Returns -1 when a folder below could not be read. */
static int
scan_entry(struct watcher *w, const char *rel, const char *name, int depth,
    struct dict *seen)
{
	char *child, *path;
	struct stat st;
	int rc = 0;

	if (!utf8_valid(name, strlen(name))) {
		report_bad_name(w, rel, name, seen);
		return 0;
	}
	child = join(rel, name);
	path = full_path(w, child);
	if (lstat(path, &st) == -1)
		;	/* gone since the folder was listed */
	else if (S_ISDIR(st.st_mode))
		rc = scan_dir(w, child, depth + 1, seen);
	else if (watch_is_content(name) || S_ISLNK(st.st_mode)) {
		load_file(w, child, time(NULL));
		if (seen != NULL)
			dict_set(seen, child, (void *)1);
	}
	free(path);
	free(child);
	return rc;
}

/*
 * Reads a folder and everything below it.  Returns -1 when some folder
 * could not be read for a reason other than its absence (no descriptors,
 * no memory, no permission): its files must not be taken as deleted.
 */
static int
scan_dir(struct watcher *w, const char *rel, int depth, struct dict *seen)
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
		    scan_entry(w, rel, names[i]->d_name, depth, seen) == -1)
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
	return path_under(path, r->folder) && dict_get(r->seen, path) == NULL;
}

/* Rescans a folder: reads what is there, drops what is gone. */
static void
rescan_dir(struct watcher *w, const char *rel)
{
	struct dict seen;
	struct rescan r = { rel, &seen };
	struct keylist gone;
	size_t i;

	dict_init(&seen);
	if (scan_dir(w, rel, depth_of(rel), &seen) == -1) {
		log_error("%s/%s was not read completely: keeping what was "
		    "there; a later change rescans it", w->cfg->content_dir, rel);
		dict_free(&seen, NULL);
		return;
	}
	dict_keys_where(&w->cat->slots, vanished, &r, &gone);
	for (i = 0; i < gone.n; i++)
		catalog_remove(w->cat, gone.keys[i]);
	keylist_free(&gone);
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

static void
rebuild_if_needed(struct watcher *w)
{
	if (!w->cat->dirty)
		return;
	catalog_render(w->cat, time(NULL));
	if (w->rebuilt != NULL)
		w->rebuilt(w->arg);
}

void
watch_flush(struct watcher *w)
{
	struct dict pending = w->pending;
	const char *key;
	void *v;
	size_t i;

	dict_init(&w->pending);
	if (!w->root_ok) {
		/* The folder went away: what it held stays served until it
		 * comes back and is rescanned (retry_fired). */
		dict_free(&pending, NULL);
		return;
	}
	if (w->rescan) {
		w->rescan = 0;
		watch_scan_all(w);
	} else {
		for (i = 0; dict_next(&pending, &i, &key, &v); ) {
			if ((intptr_t)v == PENDING_DIR)
				rescan_dir(w, key);
			else
				load_file(w, key, time(NULL));
		}
	}
	dict_free(&pending, NULL);
	rebuild_if_needed(w);
}

static void
debounce_fired(evutil_socket_t fd, short what, void *arg)
{
	struct watcher *w = arg;

	(void)fd;
	(void)what;
	catalog_lock(w->cat);
	watch_flush(w);
	catalog_unlock(w->cat);
}

static void
mark(struct watcher *w, const char *rel, enum pending_kind kind)
{
	if ((intptr_t)dict_get(&w->pending, rel) != PENDING_DIR)
		dict_set(&w->pending, rel, (void *)(intptr_t)kind);
	if (!evtimer_pending(w->ev_debounce, NULL)) {
		struct timeval tv = { w->cfg->debounce_ms / 1000,
		    (w->cfg->debounce_ms % 1000) * 1000 };

		evtimer_add(w->ev_debounce, &tv);
	}
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
handle_event(struct watcher *w, const struct inotify_event *ev)
{
	char key[16], *rel;
	const char *dir;

	if (ev->mask & IN_Q_OVERFLOW) {
		log_warn("inotify queue overflowed: rescanning everything");
		w->rescan = 1;
		mark(w, "", PENDING_DIR);
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
		mark(w, dir, PENDING_DIR);	/* the rescan reports it */
		return;
	}
	rel = join(dir, ev->name);
	if (ev->mask & IN_ISDIR) {
		if (ev->mask & (IN_CREATE | IN_MOVED_TO))
			add_watch(w, rel);
		else
			forget_watches_under(w, rel);
		mark(w, rel, PENDING_DIR);
	} else if (watch_is_content(ev->name) && !(ev->mask & IN_CREATE))
		mark(w, rel, PENDING_FILE);
	else if (ev->mask & (IN_DELETE | IN_MOVED_FROM) &&
	    dict_get(&w->cat->slots, rel) != NULL)
		mark(w, rel, PENDING_FILE);	/* a reported link went away */
	else if (ev->mask & IN_CREATE && is_symlink(w, rel))
		mark(w, rel, PENDING_FILE);	/* to report it */
	free(rel);
}

static void
inotify_readable(evutil_socket_t fd, short what, void *arg)
{
	struct watcher *w = arg;
	char buf[65536] __attribute__((aligned(__alignof__(struct
	    inotify_event))));
	const struct inotify_event *ev;
	ssize_t n;
	char *p;

	(void)what;
	for (;;) {
		n = read(fd, buf, sizeof buf);
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
	catalog_lock(w->cat);
	watch_scan_all(w);
	rebuild_if_needed(w);
	catalog_unlock(w->cat);
}

int
watch_start(struct watcher *w, struct event_base *base,
    const struct config *cfg, struct catalog *cat, void (*rebuilt)(void *),
    void *arg)
{
	memset(w, 0, sizeof *w);
	w->base = base;
	w->cfg = cfg;
	w->cat = cat;
	w->rebuilt = rebuilt;
	w->arg = arg;
	w->fd = -1;
	dict_init(&w->dirs);
	dict_init(&w->wds);
	dict_init(&w->pending);
	if (base == NULL)	/* --check: scan only */
		return 0;
	w->fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	if (w->fd == -1) {
		log_error("inotify_init1: %s", strerror(errno));
		return -1;
	}
	w->ev_inotify = event_new(base, w->fd, EV_READ | EV_PERSIST,
	    inotify_readable, w);
	w->ev_debounce = evtimer_new(base, debounce_fired, w);
	w->ev_retry = evtimer_new(base, retry_fired, w);
	if (w->ev_inotify == NULL || w->ev_debounce == NULL ||
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
	if (w->ev_debounce != NULL)
		event_free(w->ev_debounce);
	if (w->ev_retry != NULL)
		event_free(w->ev_retry);
	if (w->fd != -1)
		close(w->fd);
	dict_free(&w->dirs, free);
	dict_free(&w->wds, free);
	dict_free(&w->pending, NULL);
	memset(w, 0, sizeof *w);
	w->fd = -1;
}

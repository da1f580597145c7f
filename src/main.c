/*
 * main.c -- start-up, signals and the event loops.
 *
 * The first libevent loop owns the content: inotify, signals, and every
 * rebuild run on it (rebuild.c: what starts one, its lock, what follows
 * it, and the timers that start them).  The other loops
 * (`workers`) only serve HTTP from the documents the first one publishes
 * after each rebuild; what they share with it is guarded by the catalog's
 * lock (catalog_lock) and handed over as reference-counted document sets.
 * The order at start-up matters: configuration (fatal if bad, naming the
 * line), state, a full scan and first rebuild, and only then the
 * listening socket -- the first client already gets complete documents
 * (without an output folder, their identity bodies: the gzip bodies are
 * made in the background after listening, see gzlater.c).  SIGHUP
 * reloads the configuration (a bad one is reported and the old one kept);
 * SIGTERM and SIGINT save the state and exit 0.
 */
#include <errno.h>
#include <getopt.h>
#include <grp.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <pthread.h>

#include <event2/event.h>
#include <event2/thread.h>
#include <libxml/parser.h>

#include "bodystore.h"
#include "catalog.h"
#include "check.h"
#include "config.h"
#include "http.h"
#include "hugo.h"
#include "log.h"
#include "piece.h"
#include "output.h"
#include "rebuild.h"
#include "state.h"
#include "urls.h"
#include "watch.h"
#include "websub.h"
#include "version.h"

#ifdef CRIER_JEMALLOC
/*
 * jemalloc's settings, read when it starts (the Makefile links it into
 * every build but the sanitizers').  glibc's malloc, after a cold start
 * of 100 000 posts, had free lists so long that its malloc was a fifth
 * of every edit's rebuild (bench/results-edit-100k.md).  An arena per
 * core (percpu_arena): jemalloc's default of four per core held 7% more
 * at the peak at 10 000 posts.  Freed pages go back to the system within
 * a second, by a thread of its own (background_thread), not in the
 * middle of a rebuild; "muzzy" pages (lazily freed) are not kept.
 * Transparent huge pages for the heap (thp:always: madvise on each
 * extent, where the kernel allows it): a cold start faulted in its
 * 400 MB a 4 KiB page at a time, 105 000 faults at 10 000 posts, a fifth
 * of its CPU on this project's virtual machines; with huge pages 5 400,
 * and the start-up 3.5 -> 2.8 s, for 2-5% more resident memory
 * (bench/results-memory.md section 6).  Where the kernel says "never",
 * jemalloc does without.
 */
const char *malloc_conf = "percpu_arena:percpu,background_thread:true,"
    "thp:always,dirty_decay_ms:1000,muzzy_decay_ms:0";
#endif

struct crier {
	struct event_base	*base;
	struct config		 cfg;
	const char		*config_path;
	char			*hugo_root;	/* the Hugo site, or NULL */
	int			 hugo_from_flag; /* -d named it: its
						   contentDir wins */
	struct state		 state;
	struct state_saver	 saver;
	struct catalog		 cat;
	struct watcher		 watch;
	struct server		 server;
	struct server_group	 servers;	/* every loop's, for /metrics */
	struct output		 output;
	struct websub		 websub;
	struct rebuild		 rebuild;	/* every rebuild, and after */
	int			 stopping;
	struct worker		*workers;	/* loops 2..n, see below */
	int			 nworkers;
	struct event		*ev_signals[3];
};

/*
 * Event loops 2..n (the `workers` setting): each serves HTTP on the same
 * listening socket (see http_conn.c's bind_shared) from the documents published
 * after each rebuild;
 * only the first loop watches the folder and rebuilds.  A loop gets its
 * own copy of the configuration, replaced in its own thread on SIGHUP.
 */
struct worker {
	pthread_t		 thread;
	struct event_base	*base;
	struct server		 server;
	struct config		 cfg;
	int			 running;
};

/*
 * An event loop whose epoll backend applies the event changes of one loop
 * iteration at once.  evhttp disables reading when a request's headers
 * are in, enables reading and writing to send the reply and drops writing
 * once it is out: four epoll_ctl calls per response, a sixth of the
 * serving time.  With the changelist, the first three collapse into one.
 * (Its caveat, dup()ed descriptors sharing a kernel file, does not arise:
 * crier never dups a descriptor it watches.)
 */
static struct event_base *
new_base(void)
{
	struct event_config *ec;
	struct event_base *base;

	if ((ec = event_config_new()) == NULL)
		return NULL;
	if (event_config_set_flag(ec, EVENT_BASE_FLAG_EPOLL_USE_CHANGELIST)
	    == -1) {
		event_config_free(ec);
		return NULL;
	}
	base = event_base_new_with_config(ec);
	event_config_free(ec);
	return base;
}

struct reconfigure {
	struct worker	*worker;
	struct config	 cfg;
};

static void *
worker_main(void *arg)
{
	struct worker *w = arg;

	if (event_base_dispatch(w->base) == -1)
		log_error("a serving loop failed");
	/* Its server is stopped by workers_free, after the join: until
	 * then a rebuild may still signal it (http_republished). */
	return NULL;
}

static void
worker_reconfigure(evutil_socket_t fd, short what, void *arg)
{
	struct reconfigure *r = arg;

	(void)fd;
	(void)what;
	config_free(&r->worker->cfg);
	r->worker->cfg = r->cfg;	/* the server points at it */
	http_apply_limits(&r->worker->server);
	free(r);
}

static void
worker_drain(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	http_drain(&((struct worker *)arg)->server);
}

static void
workers_drain(struct crier *c)
{
	struct timeval now = { 0, 0 };
	int i;

	for (i = 0; i < c->nworkers; i++)
		if (event_base_once(c->workers[i].base, -1, EV_TIMEOUT,
		    worker_drain, &c->workers[i], &now) == -1)
			event_base_loopexit(c->workers[i].base, NULL);
}

static void
workers_reconfigure(struct crier *c)
{
	struct timeval now = { 0, 0 };
	struct reconfigure *r;
	int i;

	for (i = 0; i < c->nworkers; i++) {
		r = xcalloc(1, sizeof *r);
		r->worker = &c->workers[i];
		config_copy(&r->cfg, &c->cfg);
		if (event_base_once(c->workers[i].base, -1, EV_TIMEOUT,
		    worker_reconfigure, r, &now) == -1) {
			config_free(&r->cfg);
			free(r);
		}
	}
}

/* Binds every loop's listener (before privileges are dropped). */
static int
workers_bind(struct crier *c)
{
	char err[512];
	int i;

	c->nworkers = c->cfg.workers - 1;
	c->workers = xcalloc((size_t)c->nworkers + 1, sizeof *c->workers);
	for (i = 0; i < c->nworkers; i++) {
		struct worker *w = &c->workers[i];

		config_copy(&w->cfg, &c->cfg);
		if ((w->base = new_base()) == NULL ||
		    http_start(&w->server, &c->servers, w->base, &w->cfg,
		    &c->cat, 0, 1, http_listen_fd(&c->server), err,
		    sizeof err) == -1) {
			log_error("serving loop %d: %s", i + 2, w->base ? err :
			    "event_base_new failed");
			c->nworkers = i + (w->base != NULL);
			return -1;
		}
	}
	return 0;
}

static int
workers_start(struct crier *c)
{
	int i;

	for (i = 0; i < c->nworkers; i++) {
		if (pthread_create(&c->workers[i].thread, NULL, worker_main,
		    &c->workers[i]) != 0) {
			log_error("cannot start serving loop %d", i + 2);
			return -1;
		}
		c->workers[i].running = 1;
	}
	return 0;
}

static void
workers_free(struct crier *c)
{
	int i;

	for (i = 0; i < c->nworkers; i++) {
		struct worker *w = &c->workers[i];

		if (w->running) {
			event_base_loopexit(w->base, NULL);
			pthread_join(w->thread, NULL);
		}
		http_stop(&w->server);
		if (w->base != NULL)
			event_base_free(w->base);
		config_free(&w->cfg);
	}
	free(c->workers);
	c->workers = NULL;
	c->nworkers = 0;
}

static void
usage(FILE *f)
{
	fprintf(f,
	    "usage: crier [-c FILE] [-d CONTENT_DIR] [-l ADDR:PORT] [-v]\n"
	    "       crier --check [-c FILE] [CONTENT_DIR]\n"
	    "\n"
	    "Serves a folder of Markdown posts as Atom and RSS feeds and\n"
	    "iCalendar subscriptions, regenerated as files change.\n"
	    "\n"
	    "  -c, --config FILE     configuration file (default: built-in "
	    "settings)\n"
	    "  -d, --content DIR     content folder (overrides content_dir), or a\n"
	    "                        Hugo site's root (its contentDir, settings)\n"
	    "  -l, --listen ADDR:PORT  address to listen on, e.g. "
	    "127.0.0.1:8080 or [::1]:8080\n"
	    "      --check           report problems in the content as\n"
	    "                        file:line: error|warning: message; "
	    "exit 1 on errors\n"
	    "  -v, --verbose         log debug messages\n"
	    "  -h, --help            this text\n"
	    "  -V, --version         the version\n");
}

/* A Hugo site's settings, under crier.conf's and the command line's. */
static int
read_hugo(struct config *cfg, const char *root, char *err, size_t errlen)
{
	struct hugo_site *site;
	size_t i;

	if ((site = hugo_site_load(root, err, errlen)) == NULL)
		return -1;
	if (hugo_apply(site, cfg, err, errlen) == -1) {
		hugo_site_free(site);
		return -1;
	}
	for (i = 0; i < site->nwarnings; i++)
		log_warn("%s/%s", site->root, site->warnings[i]);
	return 0;
}

/*
 * -d names the content folder, or a Hugo site's root (then its
 * contentDir is the content folder, whatever crier.conf says), else
 * crier.conf's hugo_site names the site.  Sets *hugo_root.
 */
static int
load_config(struct config *cfg, const char *path, const char *dir,
    const char *listen, char **hugo_root)
{
	char err[512];

	config_defaults(cfg);
	if (path != NULL && config_load(cfg, path, err, sizeof err) == -1) {
		fprintf(stderr, "crier: %s\n", err);
		return -1;
	}
	if (dir != NULL && hugo_site_found(dir)) {
		config_forget_origin(cfg, "content_dir");
		*hugo_root = xstrdup(dir);
	} else if (dir != NULL) {
		if (config_set(cfg, "content_dir", dir, CONFIG_FLAG, err,
		    sizeof err) == -1)
			goto bad;
	}
	if (*hugo_root == NULL && cfg->hugo_site[0] != '\0')
		*hugo_root = xstrdup(cfg->hugo_site);
	if (*hugo_root != NULL && read_hugo(cfg, *hugo_root, err,
	    sizeof err) == -1) {
		fprintf(stderr, "crier: %s\n", err);
		return -1;
	}
	if (listen != NULL && config_set(cfg, "listen", listen, CONFIG_FLAG,
	    err, sizeof err) == -1)
		goto bad;
	if (config_validate(cfg, err, sizeof err) == -1) {
		fprintf(stderr, "crier: %s%s%s\n", path ? path : "",
		    path ? ": " : "", err);
		return -1;
	}
	return 0;
bad:
	fprintf(stderr, "crier: %s\n", err);
	return -1;
}


static void
save_state(struct crier *c)
{
	char err[512];

	if (state_save(&c->state, err, sizeof err) == -1)
		log_error("cannot save the state: %s", err);
}

/* The Hugo site is read again too: its configuration may have changed. */
static int
reload_hugo(struct crier *c, struct config *fresh, char *err, size_t errlen)
{
	if (c->hugo_root == NULL)
		return 0;
	if (c->hugo_from_flag)
		config_forget_origin(fresh, "content_dir");
	return read_hugo(fresh, c->hugo_root, err, errlen);
}

static void
reload(struct crier *c)
{
	struct config fresh;
	char err[512];

	config_defaults(&fresh);
	if (c->config_path == NULL || config_load(&fresh, c->config_path, err,
	    sizeof err) == -1 || reload_hugo(c, &fresh, err, sizeof err) == -1) {
		log_error("reload: %s; keeping the current configuration",
		    c->config_path ? err : "no configuration file");
		config_free(&fresh);
		return;
	}
	if (strcmp(fresh.listen, c->cfg.listen) != 0)
		log_warn("reload: a new listen address needs a restart");
	if (strcmp(fresh.content_dir, c->cfg.content_dir) != 0)
		log_warn("reload: a new content folder needs a restart");
	if (strcmp(fresh.hugo_site, c->cfg.hugo_site) != 0)
		log_warn("reload: a new hugo_site needs a restart");
	free(fresh.listen);
	fresh.listen = xstrdup(c->cfg.listen);
	free(fresh.content_dir);
	fresh.content_dir = xstrdup(c->cfg.content_dir);
	if (fresh.workers != c->cfg.workers)
		log_warn("reload: a new number of workers needs a restart");
	fresh.workers = c->cfg.workers;
	rebuild_reload(&c->rebuild, &fresh);
	http_apply_limits(&c->server);
	workers_reconfigure(c);
	log_info("configuration reloaded from %s", c->config_path);
}

static void
signal_fired(evutil_socket_t sig, short what, void *arg)
{
	struct crier *c = arg;

	(void)what;
	if (sig == SIGHUP) {
		reload(c);
		return;
	}
	if (c->stopping++)
		return;
	log_info("signal %d: finishing responses in flight and exiting",
	    (int)sig);
	workers_drain(c);
	http_drain(&c->server);
}

static int
drop_privileges(const char *user)
{
	struct passwd *pw;

	if (user[0] == '\0')
		return 0;
	if ((pw = getpwnam(user)) == NULL) {
		log_error("user '%s' does not exist", user);
		return -1;
	}
	if (geteuid() != 0) {
		log_warn("not root: staying the current user, not '%s'", user);
		return 0;
	}
	if (setgroups(1, &pw->pw_gid) == -1 || setgid(pw->pw_gid) == -1 ||
	    setuid(pw->pw_uid) == -1) {
		log_error("cannot become '%s': %s", user, strerror(errno));
		return -1;
	}
	return 0;
}

static int
setup_events(struct crier *c)
{
	static const int sigs[] = { SIGHUP, SIGTERM, SIGINT };
	size_t i;

	c->rebuild.base = c->base;
	c->rebuild.cfg = &c->cfg;
	c->rebuild.cat = &c->cat;
	c->rebuild.watch = &c->watch;
	c->rebuild.state = &c->state;
	c->rebuild.saver = &c->saver;
	c->rebuild.output = &c->output;
	c->rebuild.websub = &c->websub;
	c->rebuild.servers = &c->servers;
	if (rebuild_init(&c->rebuild) == -1)
		return -1;
	for (i = 0; i < nitems(sigs); i++) {
		c->ev_signals[i] = evsignal_new(c->base, sigs[i], signal_fired,
		    c);
		if (c->ev_signals[i] == NULL ||
		    event_add(c->ev_signals[i], NULL) == -1)
			return -1;
	}
	return 0;
}

static void
announce(const struct config *cfg)
{
	log_info("serving %s on http://%s/ (public URL %s)", cfg->content_dir,
	    cfg->listen, cfg->base_url);
	log_info("  front page  %s%s", cfg->base_url, URLS_FRONT);
	log_info("  Atom        %s/%s", cfg->base_url,
	    urls_doc_file(URLS_ATOM));
	log_info("  RSS         %s/%s", cfg->base_url,
	    urls_doc_file(URLS_RSS));
	log_info("  JSON Feed   %s/%s", cfg->base_url,
	    urls_doc_file(URLS_JSON));
	log_info("  calendar    %s/%s", cfg->base_url,
	    urls_doc_file(URLS_CALENDAR));
	log_info("  OPML        %s%s", cfg->base_url, URLS_OPML);
	log_info("  status      %s%s", cfg->base_url, URLS_STATUS);
}

static void
teardown(struct crier *c)
{
	size_t i;

	workers_free(c);
	state_saver_stop(&c->saver);
	save_state(c);
	http_stop(&c->server);
	websub_free(&c->websub);
	watch_stop(&c->watch);
	for (i = 0; i < nitems(c->ev_signals); i++)
		if (c->ev_signals[i] != NULL)
			event_free(c->ev_signals[i]);
	rebuild_free(&c->rebuild);
	catalog_free(&c->cat);
	output_free(&c->output);
	if (bodystore_fini() == -1)
		log_debug("documents outlive the body store");
	state_free(&c->state);
	config_free(&c->cfg);
	free(c->hugo_root);
	if (c->base != NULL)
		event_base_free(c->base);
	icaltimezone_free_builtin_timezones();
	xmlCleanupParser();
	piece_thread_done();
}

/* The last WebSub ping's outcome, for /status. */
static void
websub_reported(void *arg, const char *json)
{
	struct crier *c = arg;

	catalog_set_websub_status(&c->cat, json);
}

static int
serve(struct crier *c)
{
	char err[512];
	int rc = 1;

	/* libevent's locks, before any event base exists, when loops
	 * other than this one will signal each other's bases. */
	if (c->cfg.workers > 1 && evthread_use_pthreads() == -1) {
		log_error("evthread_use_pthreads failed");
		return 1;
	}
	if ((c->base = new_base()) == NULL) {
		log_error("event_base_new failed");
		return 1;
	}
	state_init(&c->state, c->cfg.state_file);
	if (state_load(&c->state, err, sizeof err) == -1)
		log_error("%s", err);
	/* Failing, large bodies are copied into sockets instead. */
	(void)bodystore_init(0);
	catalog_init(&c->cat, &c->cfg, &c->state);
	output_init(&c->output);
	websub_init(&c->websub, c->base, websub_reported, c);
	if (setup_events(c) == -1 || watch_start(&c->watch, c->base, &c->cfg,
	    &c->cat, rebuild_changes, &c->rebuild) == -1)
		goto out;
	rebuild_first(&c->rebuild);
	if (http_start(&c->server, &c->servers, c->base, &c->cfg, &c->cat, 1,
	    c->cfg.workers > 1, -1, err, sizeof err) == -1) {
		log_error("%s", err);
		goto out;
	}
	if (c->cfg.workers > 1) {
		catalog_share(&c->cat);
		if (workers_bind(c) == -1)
			goto out;
	}
	/* Before anything is written: the output folder and the state file
	 * belong to the unprivileged user. */
	if (drop_privileges(c->cfg.user) == -1)
		goto out;
	rebuild_first_output(&c->rebuild);
	if (workers_start(c) == -1)
		goto out;
	rebuild_serving(&c->rebuild);
	announce(&c->cfg);
	if (event_base_dispatch(c->base) == -1)
		log_error("event loop failed");
	else
		rc = 0;
	log_info("stopped");
out:
	teardown(c);
	return rc;
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "content", required_argument, NULL, 'd' },
		{ "listen", required_argument, NULL, 'l' },
		{ "check", no_argument, NULL, 'C' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	struct crier c;
	const char *dir = NULL, *listen = NULL;
	int ch, check_only = 0, rc;

	memset(&c, 0, sizeof c);
	while ((ch = getopt_long(argc, argv, "c:d:l:vhV", longopts, NULL)) !=
	    -1) {
		switch (ch) {
		case 'c': c.config_path = optarg; break;
		case 'd': dir = optarg; break;
		case 'l': listen = optarg; break;
		case 'C': check_only = 1; break;
		case 'v': log_set_level(LOG_DEBUG); break;
		case 'h': usage(stdout); return 0;
		case 'V': printf("crier %s\n", CRIER_VERSION); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (check_only && optind < argc)
		dir = argv[optind++];
	if (optind < argc) {
		usage(stderr);
		return 2;
	}
	if (signal(SIGPIPE, SIG_IGN) == SIG_ERR)
		return 1;
	xmlInitParser();	/* before any other loop may use libxml2 */
	if (check_only)		/* it prints the Hugo site's warnings itself */
		log_set_level(LOG_ERROR + 1);
	if (load_config(&c.cfg, c.config_path, dir, listen, &c.hugo_root)
	    == -1) {
		free(c.hugo_root);
		config_free(&c.cfg);
		icaltimezone_free_builtin_timezones();
		return 1;
	}
	c.hugo_from_flag = dir != NULL && c.hugo_root != NULL &&
	    strcmp(dir, c.hugo_root) == 0;
	if (check_only) {
		rc = check_run(&c.cfg, stdout);
		free(c.hugo_root);
		config_free(&c.cfg);
		icaltimezone_free_builtin_timezones();
		xmlCleanupParser();
		return rc;
	}
	return serve(&c);
}

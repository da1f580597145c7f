/*
 * load.c -- reading and parsing content files, on every core when a scan
 * finds many of them.
 *
 * Parsing is most of a cold start once rendering is fast, and page_parse
 * is a pure function of the bytes, the path, the settings and the mtime
 * read here (a page without a date is dated by it), so the files
 * of a scan are shared out to threads.  What the catalog does with the
 * results (state, index, logs) stays on the calling thread and in scan
 * order: the calling thread applies load i as soon as it is parsed and,
 * while it waits for it, parses the next unclaimed one itself.  Nothing
 * outlives a call: the threads are created and joined by load_all.
 *
 * Thread safety of what parsing calls: libyaml, md4c, jansson and xxhash
 * keep no shared state; libxml2 is initialised by main (xmlInitParser)
 * before any thread exists; libical 3 serialises its built-in time zones
 * (loading, UTC offsets) with its own mutexes and keeps its error number
 * and string ring buffer per thread.  dates_zone_find() loads a zone before its
 * name is read, so no thread sees a location string being replaced.
 */
#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "load.h"
#include "log.h"
#include "urls.h"
#include "parallel.h"
#include "util.h"

#define MAX_THREADS	16	/* past this, applying in order is the limit */
#define MIN_PARALLEL	4	/* fewer files: threads cost more than they save */

static void
set_problem(struct load *l, enum diag_level level, const char *message)
{
	l->result = LOAD_PROBLEM;
	l->level = level;
	l->message = xstrdup(message);
}

#define BUNDLE_FILES_MAX	256	/* more are not looked at */

static int
by_name(const void *a, const void *b)
{
	return strcmp(((const struct bundle_file *)a)->name,
	    ((const struct bundle_file *)b)->name);
}

/* Has the page at relpath (in the content folder) files of its own: a
 * leaf bundle's index, or a section's (Hugo's branch bundle: the files at
 * its level)?  Not the top folder's _index.md: the home page's files
 * would take the site's own documents' URLs. */
static int
has_bundle_files(const char *relpath)
{
	const char *slash = strrchr(relpath, '/');
	const char *base = slash ? slash + 1 : relpath;

	return urls_bundle_index(base) || (slash != NULL &&
	    urls_branch_index(base));
}

/*
 * The files beside a bundle's index (path: its full path) that could be
 * its resources -- regular files, not sources (a section's posts are not
 * its files, and their edits must not change its hash) -- with their
 * sizes, sorted by name: what its resources' lengths come from.  A change
 * to one of them alone is not seen until the index is read again
 * (watch.c follows content files).
 */
static size_t
bundle_files(const char *path, struct bundle_file **out)
{
	char *dir = xstrdup(path), *slash = strrchr(dir, '/'), *full;
	struct bundle_file *v = NULL;
	struct dirent *de;
	struct stat st;
	size_t n = 0;
	DIR *d;

	*out = NULL;
	if (slash == NULL) {
		free(dir);
		return 0;
	}
	*slash = '\0';
	if ((d = opendir(dir)) == NULL) {
		free(dir);
		return 0;
	}
	while (n < BUNDLE_FILES_MAX && (de = readdir(d)) != NULL) {
		if (!urls_resource_servable(de->d_name))
			continue;
		full = xasprintf("%s/%s", dir, de->d_name);
		if (lstat(full, &st) == 0 && S_ISREG(st.st_mode)) {
			v = xreallocarray(v, n + 1, sizeof *v);
			v[n].name = xstrdup(de->d_name);
			v[n++].size = (long long)st.st_size;
		}
		free(full);
	}
	closedir(d);
	free(dir);
	if (n > 0)
		qsort(v, n, sizeof *v, by_name);
	*out = v;
	return n;
}

static void
bundle_files_free(struct bundle_file *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(v[i].name);
	free(v);
}

void
load_read(const struct config *cfg, struct load *l)
{
	struct bundle_file *files;
	size_t nfiles;
	char err[256], *data, *path;
	struct stat st;
	uint64_t hash;
	size_t len;

	if (l->result != LOAD_UNREAD)
		return;
	path = xasprintf("%s/%s", cfg->content_dir, l->path);
	if (lstat(path, &st) == -1)
		l->result = LOAD_GONE;
	else if (S_ISLNK(st.st_mode))
		set_problem(l, DIAG_WARNING, "a symbolic link: not followed "
		    "(links could point outside the content folder); copy the "
		    "file here instead");
	else if (!S_ISREG(st.st_mode))
		l->result = LOAD_GONE;
	else if (file_read(path, (size_t)cfg->max_file_size, &data, &len, err,
	    sizeof err) == -1) {
		if (errno == ENOENT)
			l->result = LOAD_GONE;
		else
			set_problem(l, DIAG_ERROR, err);
	} else {
		files = NULL;
		nfiles = has_bundle_files(l->path) ? bundle_files(path,
		    &files) : 0;
		hash = hash64(data, len);
		if (nfiles > 0)
			hash ^= page_files_hash(files, nfiles);
		hash = page_cascade_hash(hash, &l->cascade);
		/* A page dated by its file's mtime was parsed from both. */
		if (l->known && (l->known_hash == hash || l->known_hash ==
		    page_inputs_hash(hash, st.st_mtim.tv_sec)))
			l->result = LOAD_SAME;
		else {
			l->page = page_parse_bundle(cfg, l->path, data, len,
			    st.st_mtim.tv_sec, files, nfiles, &l->cascade);
			l->result = LOAD_PAGE;
		}
		bundle_files_free(files, nfiles);
		free(data);
	}
	free(path);
}

void
load_clear(struct load *l)
{
	free(l->path);
	page_free(l->page);
	free(l->message);
	cascade_clear(&l->cascade);
	memset(l, 0, sizeof *l);
}

int
load_threads(void)
{
	cpu_set_t set;
	long n;

	/* The CPUs this process may run on (taskset, cgroup cpusets). */
	if (sched_getaffinity(0, sizeof set, &set) == 0)
		n = CPU_COUNT(&set);
	else
		n = sysconf(_SC_NPROCESSORS_ONLN);
	if (n < 1)
		n = 1;
	return n > MAX_THREADS ? MAX_THREADS : (int)n;
}

/* What the threads of one load_all share; `lock` guards next and done. */
struct pool {
	const struct config	*cfg;
	struct load		*loads;
	size_t			 n;
	size_t			 next;		/* the first load not claimed */
	char			*done;		/* load i is parsed */
	pthread_mutex_t		 lock;
	pthread_cond_t		 parsed;	/* some load became done */
};

static void
pool_lock(struct pool *p)
{
	if (pthread_mutex_lock(&p->lock) != 0)
		abort();
}

static void
pool_unlock(struct pool *p)
{
	if (pthread_mutex_unlock(&p->lock) != 0)
		abort();
}

/* Parses the next unclaimed load, if any; called and returns locked. */
static int
pool_work(struct pool *p)
{
	size_t i;

	if (p->next == p->n)
		return 0;
	i = p->next++;
	pool_unlock(p);
	load_read(p->cfg, &p->loads[i]);
	pool_lock(p);
	p->done[i] = 1;
	if (pthread_cond_signal(&p->parsed) != 0)
		abort();
	return 1;
}

static void *
pool_thread(void *arg)
{
	struct pool *p = arg;

	pool_lock(p);
	while (pool_work(p))
		;
	pool_unlock(p);
	return NULL;
}

/* Starts up to want threads; returns how many run.  They block every
 * signal: the event loop's thread is the one that handles them. */
static int
pool_start(struct pool *p, pthread_t *threads, int want)
{
	int started = 0, rc;

	for (; started < want; started++) {
		if ((rc = parallel_thread_start(&threads[started], pool_thread,
		    p)) != 0) {
			log_warn("parsing with %d threads, not %d: "
			    "pthread_create: %s", started + 1, want + 1,
			    strerror(rc));
			break;
		}
	}
	return started;
}

void
load_all(const struct config *cfg, struct load *loads, size_t n,
    int threads, void (*apply)(struct load *, void *), void *arg)
{
	pthread_t helpers[MAX_THREADS];
	struct pool p;
	size_t i;
	int nhelpers, k;

	if (threads > MAX_THREADS)
		threads = MAX_THREADS;
	if (threads < 2 || n < MIN_PARALLEL) {
		for (i = 0; i < n; i++) {
			load_read(cfg, &loads[i]);
			apply(&loads[i], arg);
		}
		return;
	}
	memset(&p, 0, sizeof p);
	p.cfg = cfg;
	p.loads = loads;
	p.n = n;
	p.done = xcalloc(n, 1);
	if (pthread_mutex_init(&p.lock, NULL) != 0 ||
	    pthread_cond_init(&p.parsed, NULL) != 0) {
		log_error("cannot create the parsing lock");
		abort();
	}
	/* The calling thread parses too: one helper fewer. */
	nhelpers = pool_start(&p, helpers, (size_t)threads - 1 < n - 1 ?
	    threads - 1 : (int)(n - 1));
	for (i = 0; i < n; i++) {
		pool_lock(&p);
		while (!p.done[i])
			if (!pool_work(&p) &&
			    pthread_cond_wait(&p.parsed, &p.lock) != 0)
				abort();
		pool_unlock(&p);
		apply(&loads[i], arg);
	}
	for (k = 0; k < nhelpers; k++)
		if (pthread_join(helpers[k], NULL) != 0)
			abort();
	pthread_cond_destroy(&p.parsed);
	pthread_mutex_destroy(&p.lock);
	free(p.done);
}

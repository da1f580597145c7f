/*
 * gzlater.c -- the gzip bodies of every rebuild, made after it is
 * published.
 *
 * Compressing is most of a rebuild's CPU: about 180 MB of text at a cold
 * start of 10 000 posts (feed entries at zlib level 6), and 38% of an
 * edit's at 1 000 posts, where one post sits in some twenty feeds of
 * three formats.  Yet every client can read the identity body.  So a
 * rebuild makes its documents without their gzip body
 * (document_new_plain, document_from_stitch_plain), publishes them, and
 * hands them here: background threads make those bodies at a low priority
 * (nice +10, per thread), so that serving and the next rebuild come
 * first.  A request meanwhile gets the identity body and ETag; once a
 * document's gzip body is made (document_finish_gzip) it is served.  The
 * bytes are those an eager rebuild makes, so replicas agree whatever the
 * timing.  An edit is then served as soon as its identity bodies are
 * rendered; its gzip bodies follow a few milliseconds later.
 *
 * The threads are started once and wait on a condition for work: an
 * edit's rebuild queues a few dozen documents, which must not cost a
 * thread's creation each.  Each queued document is taken by exactly one
 * thread, so its body is made once.  A document withdrawn meanwhile (only
 * the queue holds it) is skipped.
 *
 * With an output folder the daemon waits for them instead
 * (gzlater_finish before the folder is written): nginx's gzip_static
 * needs the .gz files.  When the cold start's bodies are all made the
 * heap is trimmed once: the start-up's freed memory is given back, which
 * free() alone does not.
 */
#include <errno.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "gzlater.h"
#include "log.h"
#include "parallel.h"

#define GZLATER_NICE	10
/* A queue emptied with more room than this gives it back. */
#define GZLATER_KEEP	1024

static void
must(int rc, const char *what)
{
	if (rc != 0) {
		log_error("gzip bodies: %s: %s", what, strerror(rc));
		abort();
	}
}

void
gzlater_init(struct gzlater *g)
{
	memset(g, 0, sizeof *g);
	must(pthread_mutex_init(&g->lock, NULL), "pthread_mutex_init");
	must(pthread_cond_init(&g->work, NULL), "pthread_cond_init");
	must(pthread_cond_init(&g->idle, NULL), "pthread_cond_init");
}

void
gzlater_add(struct gzlater *g, struct document *d)
{
	must(pthread_mutex_lock(&g->lock), "pthread_mutex_lock");
	if (g->n == g->cap) {
		g->cap = g->cap ? 2 * g->cap : 256;
		g->docs = xreallocarray(g->docs, g->cap, sizeof *g->docs);
	}
	g->docs[g->n++] = document_ref(d);
	__atomic_add_fetch(&g->pending, 1, __ATOMIC_RELAXED);
	must(pthread_mutex_unlock(&g->lock), "pthread_mutex_unlock");
}

size_t
gzlater_pending(const struct gzlater *g)
{
	return __atomic_load_n(&g->pending, __ATOMIC_ACQUIRE);
}

/* Under the lock: the next document to make, or NULL. */
static struct document *
take(struct gzlater *g)
{
	struct document *d;

	if (g->head == g->n)
		return NULL;
	d = g->docs[g->head];
	g->docs[g->head++] = NULL;
	if (g->head == g->n) {
		g->head = g->n = 0;
		if (g->cap > GZLATER_KEEP) {
			free(g->docs);
			g->docs = NULL;
			g->cap = 0;
		}
	}
	return d;
}

/*
 * A cold start's parse, render and compression leave freed memory spread
 * through every thread's arena (about 55 MiB at 10 000 posts:
 * bench/results-memory.md) that glibc keeps mapped, since only the top of
 * an arena is given back by free().  Trimming once, when the first
 * rebuild's bodies are all made, returns the free pages inside the arenas
 * too (madvise).  It takes each arena's lock in turn: 8 ms at 10 000
 * posts (under a load of 5), once, which a request allocating meanwhile
 * may wait.
 */
/*
 * And every TRIM_EVERY bodies of the cold start, on the way: a gzip body
 * is allocated in this thread's arena while the identity body the body
 * cache drops for it (bodycache.c) is freed into the arena it came from,
 * so, untrimmed, the process holds both until the last (at 10 000 posts
 * the peak was 120 MiB above the start-up's).  About 8 ms each, in the
 * background.
 */
#define TRIM_EVERY	4096

/* glibc's malloc only: jemalloc (src/main.c) gives pages back itself. */
static void
trim_heap(void)
{
#if defined(__GLIBC__) && !defined(CRIER_JEMALLOC)
	struct timespec t0, t1;

	if (clock_gettime(CLOCK_MONOTONIC, &t0) == -1)
		t0.tv_sec = t0.tv_nsec = 0;
	(void)malloc_trim(0);	/* returns whether it freed: either */
	if (clock_gettime(CLOCK_MONOTONIC, &t1) == -1)
		t1 = t0;
	log_debug("heap trimmed after the gzip bodies in %.1f ms",
	    (double)(t1.tv_sec - t0.tv_sec) * 1e3 +
	    (double)(t1.tv_nsec - t0.tv_nsec) / 1e6);
#endif
}

/* Makes d's gzip body, unless it was withdrawn meanwhile (nobody will
 * ever ask for it), and lets go of it; wakes whoever waits for the last. */
static void
make_one(struct gzlater *g, struct document *d)
{
	int trim = 0;

	if (__atomic_load_n(&d->refs, __ATOMIC_ACQUIRE) > 1)
		document_finish_gzip(d);
	document_unref(d);
	must(pthread_mutex_lock(&g->lock), "pthread_mutex_lock");
	if (__atomic_sub_fetch(&g->pending, 1, __ATOMIC_RELEASE) == 0) {
		must(pthread_cond_broadcast(&g->idle), "pthread_cond_broadcast");
		trim = !g->trimmed && !g->stop;
		g->trimmed = 1;
	} else if (!g->trimmed && ++g->made % TRIM_EVERY == 0)
		trim = !g->stop;
	must(pthread_mutex_unlock(&g->lock), "pthread_mutex_unlock");
	if (trim)
		trim_heap();
}


static void *
worker(void *arg)
{
	struct gzlater *g = arg;
	struct document *d = NULL;
	int stop;

	/* On Linux a thread's nice value is its own. */
	if (setpriority(PRIO_PROCESS, (id_t)gettid(), GZLATER_NICE) == -1)
		log_debug("gzip bodies at normal priority: setpriority: %s",
		    strerror(errno));
	for (;;) {
		must(pthread_mutex_lock(&g->lock), "pthread_mutex_lock");
		while (!(stop = g->stop) && (d = take(g)) == NULL)
			must(pthread_cond_wait(&g->work, &g->lock),
			    "pthread_cond_wait");
		must(pthread_mutex_unlock(&g->lock), "pthread_mutex_unlock");
		if (stop)
			break;
		make_one(g, d);
	}
	return NULL;
}

void
gzlater_start(struct gzlater *g, int threads)
{
	int rc;

	if (threads > GZLATER_THREADS_MAX)
		threads = GZLATER_THREADS_MAX;
	must(pthread_mutex_lock(&g->lock), "pthread_mutex_lock");
	while (g->nthreads < threads && g->n > g->head) {
		rc = parallel_thread_start(&g->threads[g->nthreads], worker, g);
		if (rc != 0) {
			log_warn("gzip bodies: pthread_create: %s",
			    strerror(rc));
			break;
		}
		g->nthreads++;
	}
	must(pthread_cond_broadcast(&g->work), "pthread_cond_broadcast");
	must(pthread_mutex_unlock(&g->lock), "pthread_mutex_unlock");
}

void
gzlater_finish(struct gzlater *g, int threads)
{
	struct document *d;

	gzlater_start(g, threads - 1);
	for (;;) {
		must(pthread_mutex_lock(&g->lock), "pthread_mutex_lock");
		d = take(g);
		must(pthread_mutex_unlock(&g->lock), "pthread_mutex_unlock");
		if (d == NULL)
			break;
		make_one(g, d);
	}
	/* The ones the background took are being made: wait for them. */
	must(pthread_mutex_lock(&g->lock), "pthread_mutex_lock");
	while (__atomic_load_n(&g->pending, __ATOMIC_ACQUIRE) != 0)
		must(pthread_cond_wait(&g->idle, &g->lock),
		    "pthread_cond_wait");
	must(pthread_mutex_unlock(&g->lock), "pthread_mutex_unlock");
}

void
gzlater_free(struct gzlater *g)
{
	struct document *d;
	int i;

	must(pthread_mutex_lock(&g->lock), "pthread_mutex_lock");
	g->stop = 1;
	must(pthread_cond_broadcast(&g->work), "pthread_cond_broadcast");
	must(pthread_mutex_unlock(&g->lock), "pthread_mutex_unlock");
	for (i = 0; i < g->nthreads; i++)
		must(pthread_join(g->threads[i], NULL), "pthread_join");
	while ((d = take(g)) != NULL)
		document_unref(d);
	free(g->docs);
	must(pthread_cond_destroy(&g->idle), "pthread_cond_destroy");
	must(pthread_cond_destroy(&g->work), "pthread_cond_destroy");
	must(pthread_mutex_destroy(&g->lock), "pthread_mutex_destroy");
	memset(g, 0, sizeof *g);
}

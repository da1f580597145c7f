/*
 * gzlater.c -- the gzip bodies of a cold start, made after it.
 *
 * Compressing is most of a cold start's CPU (about 180 MB of text at
 * 10 000 posts, feed entries at zlib level 6), yet every client can read
 * the identity body.  So the start-up rebuild makes documents without
 * their gzip body (document_new_plain, document_from_stitch_plain), the
 * daemon listens, and then this module makes those bodies on every core,
 * at a low priority (nice +10, per thread) so that serving and rebuilds
 * come first.  A request meanwhile gets the identity body and ETag; once
 * a document's gzip body is made (document_finish_gzip) it is served.
 * The bytes are those an eager rebuild makes, so replicas agree whatever
 * the timing.
 *
 * With an output folder the daemon waits for them instead (gzlater_finish
 * before the folder is written): nginx's gzip_static needs the .gz files.
 * A document withdrawn meanwhile (only the queue holds it) is skipped.
 * When the last body is made the heap is trimmed once (background()):
 * the start-up's freed memory is given back, which free() alone does not.
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

void
gzlater_init(struct gzlater *g)
{
	memset(g, 0, sizeof *g);
}

void
gzlater_add(struct gzlater *g, struct document *d)
{
	if (g->n == g->cap) {
		g->cap = g->cap ? 2 * g->cap : 256;
		g->docs = xreallocarray(g->docs, g->cap, sizeof *g->docs);
	}
	g->docs[g->n++] = document_ref(d);
	__atomic_add_fetch(&g->pending, 1, __ATOMIC_RELAXED);
}

size_t
gzlater_pending(const struct gzlater *g)
{
	return __atomic_load_n(&g->pending, __ATOMIC_RELAXED);
}

/* Each task is taken once, by the background or by gzlater_finish, and
 * lets go of its document: one withdrawn since is freed at once. */
static void
make_one(struct gzlater *g, size_t i)
{
	struct document *d = g->docs[i];

	g->docs[i] = NULL;
	/* Withdrawn meanwhile: nobody will ever ask for it. */
	if (__atomic_load_n(&d->refs, __ATOMIC_ACQUIRE) > 1)
		document_finish_gzip(d);
	document_unref(d);
	__atomic_sub_fetch(&g->pending, 1, __ATOMIC_RELEASE);
}

static void
background_task(size_t k, void *arg)
{
	static _Thread_local int niced;
	struct gzlater *g = arg;
	size_t i;

	(void)k;
	/* On Linux a thread's nice value is its own. */
	if (!niced) {
		niced = 1;
		if (setpriority(PRIO_PROCESS, (id_t)gettid(), GZLATER_NICE)
		    == -1)
			log_debug("gzip bodies at normal priority: "
			    "setpriority: %s", strerror(errno));
	}
	if (__atomic_load_n(&g->stop, __ATOMIC_ACQUIRE))
		return;
	i = __atomic_fetch_add(&g->next, 1, __ATOMIC_RELAXED);
	if (i < g->n)
		make_one(g, i);
}

static void *
background(void *arg)
{
	struct gzlater *g = arg;

	/* One parallel_for task per document, each taking the next one:
	 * gzlater_finish may take the rest from the same counter. */
	parallel_for(g->n, g->threads, background_task, g);
	/*
	 * A cold start's parse, render and compression leave freed memory
	 * spread through every thread's arena (about 55 MiB at 10 000 posts:
	 * bench/results-memory.md) that glibc keeps mapped, since only the
	 * top of an arena is given back by free().  Trimming once, here,
	 * returns the free pages inside the arenas too (madvise); it is the
	 * end of start-up's transient work, and costs no rebuild anything.
	 * It takes each arena's lock in turn: 8 ms at 10 000 posts (under a
	 * load of 5), once, which a request allocating meanwhile may wait.
	 */
#ifdef __GLIBC__
	if (!__atomic_load_n(&g->stop, __ATOMIC_ACQUIRE)) {
		struct timespec t0, t1;

		if (clock_gettime(CLOCK_MONOTONIC, &t0) == -1)
			t0.tv_sec = t0.tv_nsec = 0;
		(void)malloc_trim(0);	/* returns whether it freed: either */
		if (clock_gettime(CLOCK_MONOTONIC, &t1) == -1)
			t1 = t0;
		log_debug("heap trimmed after the gzip bodies in %.1f ms",
		    (double)(t1.tv_sec - t0.tv_sec) * 1e3 +
		    (double)(t1.tv_nsec - t0.tv_nsec) / 1e6);
	}
#endif
	return NULL;
}

void
gzlater_start(struct gzlater *g, int threads)
{
	int rc;

	if (g->running || g->n == 0)
		return;
	g->threads = threads;
	if ((rc = parallel_thread_start(&g->thread, background, g)) != 0) {
		log_warn("gzip bodies made now: pthread_create: %s",
		    strerror(rc));
		return;
	}
	g->running = 1;
}

static void
join(struct gzlater *g)
{
	if (!g->running)
		return;
	__atomic_store_n(&g->stop, 1, __ATOMIC_RELEASE);
	if (pthread_join(g->thread, NULL) != 0)
		abort();
	g->running = 0;
	__atomic_store_n(&g->stop, 0, __ATOMIC_RELEASE);
}

static void
finish_task(size_t k, void *arg)
{
	struct gzlater *g = arg;
	size_t i;

	(void)k;
	i = __atomic_fetch_add(&g->next, 1, __ATOMIC_RELAXED);
	if (i < g->n)
		make_one(g, i);
}

void
gzlater_finish(struct gzlater *g, int threads)
{
	size_t i;

	join(g);
	if (g->next < g->n)
		parallel_for(g->n - g->next, threads, finish_task, g);
	for (i = 0; i < g->n; i++)
		document_unref(g->docs[i]);	/* none left: all taken */
	free(g->docs);
	g->docs = NULL;
	g->n = g->cap = g->next = 0;
}

void
gzlater_free(struct gzlater *g)
{
	size_t i;

	join(g);
	for (i = 0; i < g->n; i++)
		document_unref(g->docs[i]);	/* NULL once taken */
	free(g->docs);
	memset(g, 0, sizeof *g);
}

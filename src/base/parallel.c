/*
 * parallel.c -- run n independent tasks on several threads.
 *
 * Threads live for one call: the callers (a rebuild's renders) run for
 * milliseconds to seconds, so starting two or three threads is noise, and
 * no idle pool outlives them.  Tasks are handed out one index at a time
 * from an atomic counter, so one slow task does not hold up the others.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "parallel.h"

#define PARALLEL_MAX	16

struct run {
	size_t		  next;		/* atomic: the next index to take */
	size_t		  n;
	void		(*work)(size_t, void *);
	void		 *arg;
};

static void
take_tasks(struct run *r)
{
	size_t i;

	while ((i = __atomic_fetch_add(&r->next, 1, __ATOMIC_RELAXED)) < r->n)
		r->work(i, r->arg);
}

static void *
task_thread(void *arg)
{
	take_tasks(arg);
	return NULL;
}

int
parallel_thread_start(pthread_t *t, void *(*fn)(void *), void *arg)
{
	sigset_t all, old;
	int rc;

	if (sigfillset(&all) == -1 ||
	    pthread_sigmask(SIG_SETMASK, &all, &old) != 0)
		return EINVAL;
	rc = pthread_create(t, NULL, fn, arg);
	if (pthread_sigmask(SIG_SETMASK, &old, NULL) != 0)
		abort();
	return rc;
}

void
parallel_for(size_t n, int threads, void (*work)(size_t, void *), void *arg)
{
	pthread_t tids[PARALLEL_MAX];
	struct run r;
	int started = 0, want, rc;

	memset(&r, 0, sizeof r);
	r.n = n;
	r.work = work;
	r.arg = arg;
	want = threads > PARALLEL_MAX ? PARALLEL_MAX : threads;
	if ((size_t)want > n)
		want = (int)n;
	for (; started < want - 1; started++)
		if ((rc = parallel_thread_start(&tids[started], task_thread, &r)) != 0) {
			log_warn("rendering with %d threads, not %d: "
			    "pthread_create: %s", started + 1, want,
			    strerror(rc));
			break;
		}
	take_tasks(&r);
	while (started > 0)
		if (pthread_join(tids[--started], NULL) != 0)
			abort();
}

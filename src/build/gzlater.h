/*
 * gzlater.h -- the gzip bodies of every rebuild, made after it is
 * published.
 */
#ifndef CRIER_GZLATER_H
#define CRIER_GZLATER_H

#include <pthread.h>
#include <stddef.h>

#include "document.h"

#define GZLATER_THREADS_MAX	16

struct gzlater {
	pthread_mutex_t	  lock;
	pthread_cond_t	  work;		/* a document queued, or stop */
	pthread_cond_t	  idle;		/* pending fell to 0 */
	/* The queue: docs[head .. n) are still to be taken. */
	struct document	**docs;
	size_t		  head;
	size_t		  n;
	size_t		  cap;
	size_t		  pending;	/* atomic: queued or being made */
	int		  stop;		/* under lock: workers leave */
	int		  trimmed;	/* the heap was trimmed once */
	size_t		  made;		/* under lock: bodies made before */
	int		  nthreads;
	pthread_t	  threads[GZLATER_THREADS_MAX];
};

void	 gzlater_init(struct gzlater *);
/* Queues d, whose gzip body is pending (adds a reference). */
void	 gzlater_add(struct gzlater *, struct document *d);
/* Has the queued gzip bodies made in the background, on up to `threads`
 * threads at a low priority: returns at once. */
void	 gzlater_start(struct gzlater *, int threads);
/* Returns when every queued gzip body is made: the caller takes a share
 * of them, beside `threads` background threads. */
void	 gzlater_finish(struct gzlater *, int threads);
/* Gzip bodies still to be made. */
size_t	 gzlater_pending(const struct gzlater *);
/* Stops the background (without finishing) and drops the queue. */
void	 gzlater_free(struct gzlater *);

#endif

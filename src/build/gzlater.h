/*
 * gzlater.h -- the gzip bodies of a cold start, made after it.
 */
#ifndef CRIER_GZLATER_H
#define CRIER_GZLATER_H

#include <pthread.h>
#include <stddef.h>

#include "document.h"

struct gzlater {
	struct document	**docs;
	size_t		  n;
	size_t		  cap;
	size_t		  next;		/* atomic: the next task to take */
	size_t		  pending;	/* atomic: gzip bodies not made yet */
	int		  stop;		/* atomic: take no more tasks */
	int		  threads;
	int		  running;	/* `thread` is to be joined */
	pthread_t	  thread;
};

void	 gzlater_init(struct gzlater *);
/* Queues d, whose gzip body is pending (adds a reference). */
void	 gzlater_add(struct gzlater *, struct document *d);
/* Makes the queued gzip bodies on `threads` threads at a low priority,
 * in the background: returns at once. */
void	 gzlater_start(struct gzlater *, int threads);
/* Returns when every queued gzip body is made: what the background has
 * not done yet is done now, on `threads` threads. */
void	 gzlater_finish(struct gzlater *, int threads);
/* Gzip bodies still to be made. */
size_t	 gzlater_pending(const struct gzlater *);
/* Stops the background (without finishing) and drops the queue. */
void	 gzlater_free(struct gzlater *);

#endif

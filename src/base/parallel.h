/*
 * parallel.h -- run n independent tasks on several threads; start a
 * thread that leaves signals to the event loop.
 */
#ifndef CRIER_PARALLEL_H
#define CRIER_PARALLEL_H

#include <pthread.h>
#include <stddef.h>

/*
 * Calls work(i, arg) once for each i in [0, n), on up to `threads`
 * threads, the caller's included; returns when all are done.  The other
 * threads block every signal, so signals keep reaching the event loop.
 * With one thread, or when no thread can be started, the caller does it
 * all in order.
 */
void	parallel_for(size_t n, int threads, void (*work)(size_t, void *),
	    void *arg);
/*
 * pthread_create for a thread that blocks every signal (the event loop's
 * thread is the one that handles them): 0, or an errno value.
 */
int	parallel_thread_start(pthread_t *, void *(*)(void *), void *);

#endif

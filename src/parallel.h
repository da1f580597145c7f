/*
 * parallel.h -- run n independent tasks on several threads.
 */
#ifndef CRIER_PARALLEL_H
#define CRIER_PARALLEL_H

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

#endif

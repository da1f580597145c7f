/*
 * check.h -- `crier --check`: every file's problems, and on a Hugo site
 * what Hugo would publish of each file and what crier does with it.
 */
#ifndef CRIER_CHECK_H
#define CRIER_CHECK_H

#include <stdio.h>
#include <time.h>

#include "catalog.h"
#include "config.h"

/* Reads the content folder once; prints to out; returns the exit status
 * (1 when any file has an error). */
int	 check_run(struct config *, FILE *out);
/* The line --check prints for one parsed file of a Hugo site, at now:
 * "hugo: ...; crier: ..." (to free).  Exposed for the unit tests. */
char	*check_publication(const struct page *, time_t now);

#endif

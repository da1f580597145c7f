/*
 * xmalloc.h -- allocation that never returns NULL (it aborts instead:
 * see xmalloc.c).
 */
#ifndef CRIER_XMALLOC_H
#define CRIER_XMALLOC_H

#include <stddef.h>

void *xmalloc(size_t);
void *xcalloc(size_t, size_t);
void *xrealloc(void *, size_t);
void *xreallocarray(void *, size_t, size_t);
char *xstrdup(const char *);
char *xstrndup(const char *, size_t);
char *xasprintf(const char *, ...) __attribute__((format(printf, 1, 2)));
/* Says "out of memory" and aborts. */
void  xmalloc_oom(void) __attribute__((noreturn));

#endif

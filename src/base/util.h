/*
 * util.h -- the base every file shares: checked allocation (xmalloc.h),
 * the byte buffer (buf.h), hashing (hash.h), string and file helpers
 * (str.h, file.h), gathered here so a file asks for the base in one line;
 * and the two things too small for a file of their own.
 */
#ifndef CRIER_UTIL_H
#define CRIER_UTIL_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "file.h"
#include "hash.h"
#include "str.h"
#include "xmalloc.h"

#define nitems(a) (sizeof(a) / sizeof((a)[0]))

/* qsort that accepts an empty (NULL) array. */
void	 util_sort(void *, size_t, size_t, int (*)(const void *, const void *));

#endif

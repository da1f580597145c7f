/*
 * util.c -- what is left when every base concern has a file of its own:
 * a qsort that accepts an empty array.  util.h gathers the base headers
 * almost every file needs (xmalloc.h, buf.h, hash.h, str.h, file.h).
 */
#include <stdlib.h>

#include "util.h"

void
util_sort(void *base, size_t n, size_t size, int (*cmp)(const void *,
    const void *))
{
	if (n > 1)
		qsort(base, n, size, cmp);
}

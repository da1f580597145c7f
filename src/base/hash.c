/*
 * hash.c -- XXH3, the one hash behind ETags, content hashes, stable UIDs
 * and fingerprints: fast, and the same on every machine, so replicas
 * agree.
 */
#include <stdlib.h>
#include <string.h>

#define XXH_INLINE_ALL
#include <xxhash.h>

#include "hash.h"
#include "xmalloc.h"

uint64_t
hash64(const void *p, size_t n)
{
	return XXH3_64bits(p, n);
}

void
hasher_init(struct hasher *h)
{
	if ((h->state = XXH3_createState()) == NULL)
		xmalloc_oom();
	XXH3_64bits_reset(h->state);
}

void
hasher_bytes(struct hasher *h, const void *p, size_t n)
{
	XXH3_64bits_update(h->state, p, n);
}

void
hasher_str(struct hasher *h, const char *s)
{
	if (s == NULL)
		s = "";
	hasher_bytes(h, s, strlen(s) + 1);
}

void
hasher_int(struct hasher *h, long long v)
{
	hasher_bytes(h, &v, sizeof v);
}

uint64_t
hasher_done(struct hasher *h)
{
	uint64_t v = XXH3_64bits_digest(h->state);

	XXH3_freeState(h->state);
	h->state = NULL;
	return v;
}

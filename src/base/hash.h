/*
 * hash.h -- XXH3 of bytes, at once or running.
 */
#ifndef CRIER_HASH_H
#define CRIER_HASH_H

#include <stddef.h>
#include <stdint.h>

uint64_t hash64(const void *, size_t);

/* A running XXH3 hash of several values (strings keep their NUL, so
 * "ab","c" and "a","bc" differ).  Of bytes alone it equals hash64 of
 * them all in one buffer. */
struct hasher {
	void	*state;
};
void	 hasher_init(struct hasher *);
void	 hasher_str(struct hasher *, const char *);	/* NULL as "" */
void	 hasher_int(struct hasher *, long long);
void	 hasher_bytes(struct hasher *, const void *, size_t);
uint64_t hasher_done(struct hasher *);

#endif

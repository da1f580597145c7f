/*
 * utf8.h -- decoding and checking UTF-8, strictly.
 */
#ifndef CRIER_UTF8_H
#define CRIER_UTF8_H

#include <stddef.h>
#include <stdint.h>

/* Is the whole of s valid UTF-8? */
int	 utf8_valid(const char *, size_t);
/* Length of the valid UTF-8 sequence at s (at most n bytes), 0 if none;
 * the code point goes to *cp.  Overlong forms and surrogates are invalid. */
size_t	 utf8_decode(const unsigned char *s, size_t n, uint32_t *cp);

#endif

/*
 * utf8.h -- decoding and checking UTF-8, strictly.
 */
#ifndef CRIER_UTF8_H
#define CRIER_UTF8_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"

/* Is the whole of s valid UTF-8? */
int	 utf8_valid(const char *, size_t);
/* Length of the valid UTF-8 sequence at s (at most n bytes), 0 if none;
 * the code point goes to *cp.  Overlong forms and surrogates are invalid. */
size_t	 utf8_decode(const unsigned char *s, size_t n, uint32_t *cp);

/*
 * Appends s to out as valid UTF-8 holding only characters XML 1.0 allows:
 * invalid sequences become U+FFFD, forbidden controls are dropped.
 */
void	 utf8_clean(struct buf *out, const char *s, size_t len);
char	*utf8_clean_dup(const char *s);

#endif

/*
 * csscolor.h -- the CSS3 colour names (RFC 7986 COLOR values).
 */
#ifndef CRIER_CSSCOLOR_H
#define CRIER_CSSCOLOR_H

#include <stddef.h>

/* The name as written in a calendar (lower case), or NULL when s is not
 * a CSS3 colour name. */
const char *csscolor_name(const char *s);
/* How many names there are (147), for the tests. */
size_t	 csscolor_count(void);

#endif

/*
 * urlize.h -- Hugo's `urlize`: text to a URL path as Hugo 0.111 makes it.
 */
#ifndef CRIER_URLIZE_H
#define CRIER_URLIZE_H

#include "util.h"

/* Letters, digits, marks, "./\_#+~-@" and %XX kept, white space runs
 * as one '-', the rest dropped; lower-cased unless keep_case.  Not
 * percent-encoded. */
char	*urlize_hugo(const char *, int keep_case);
/* What Hugo does to an expanded permalink before it urlizes it again:
 * '+' is a space, %XX the byte (but %00). */
char	*urlize_unescape(const char *);

#endif

/*
 * rawhtml.h -- Markdown's raw HTML left out as Hugo does, or sanitised.
 */
#ifndef CRIER_RAWHTML_H
#define CRIER_RAWHTML_H

#include <stddef.h>

#include <libxml/tree.h>

/* The Markdown with each piece of raw HTML replaced by a marker comment
 * of the same lines, or NULL when it holds none (md4c flags as parsed). */
char	*rawhtml_mark(const char *, size_t, unsigned flags, size_t *outlen);
/* A marker comment becomes Hugo's "<!-- raw HTML omitted -->" (two for
 * a block written with its closing line apart); -1 on failure. */
int	 rawhtml_expand(xmlNodePtr);
/* http, https, mailto, tel or relative. */
int	 rawhtml_url_allowed(const char *);
/* goldmark's javascript:, vbscript:, file:, data: (not data:image/png). */
int	 rawhtml_url_dangerous(const char *);
/* Applies the allow-list to one node; returns the node to go on with
 * (its first child when it was unwrapped, its next sibling when it was
 * dropped) and sets *removed when it is gone. */
xmlNodePtr rawhtml_sanitize(xmlNodePtr, int *removed);

#endif

/*
 * buf.c -- a growable byte buffer, always NUL-terminated, so that text
 * built in one can be handed on as a C string (buf_steal).
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "xmalloc.h"

void
buf_init(struct buf *b)
{
	b->data = xmalloc(64);
	b->data[0] = '\0';
	b->len = 0;
	b->cap = 64;
}

void
buf_free(struct buf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
}

void
buf_reset(struct buf *b)
{
	b->len = 0;
	b->data[0] = '\0';
}

static void
buf_grow(struct buf *b, size_t extra)
{
	size_t want;

	if (extra > SIZE_MAX - b->len - 1)
		xmalloc_oom();
	want = b->len + extra + 1;
	if (want <= b->cap)
		return;
	if (b->cap == 0)	/* zeroed, never buf_init'ed: still grows */
		b->cap = 64;
	while (b->cap < want)
		b->cap = b->cap > SIZE_MAX / 2 ? want : b->cap * 2;
	b->data = xrealloc(b->data, b->cap);
}

void
buf_reserve(struct buf *b, size_t n)
{
	buf_grow(b, n);
}

void
buf_add(struct buf *b, const void *p, size_t n)
{
	buf_grow(b, n);
	memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
}

void
buf_addstr(struct buf *b, const char *s)
{
	buf_add(b, s, strlen(s));
}

void
buf_addc(struct buf *b, char c)
{
	if (b->len + 1 < b->cap) {	/* room for c and the NUL */
		b->data[b->len++] = c;
		b->data[b->len] = '\0';
		return;
	}
	buf_add(b, &c, 1);
}

void
buf_printf(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		xmalloc_oom();
	buf_grow(b, (size_t)n);
	va_start(ap, fmt);
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

/*
 * What is stolen is kept: a rendered body, a calendar's chunk, a page's
 * HTML live as long as their document or page.  A buffer that grew by
 * doubling is up to twice its text, and at 10 000 posts that slack was
 * about 130 MiB of 650 (heaptrack: calendar chunks, post pages, pages'
 * HTML; bench/results-memory.md).  So the buffer is cut to its text when
 * more than an eighth of it would be slack: glibc shrinks a heap chunk in
 * place (the tail goes back to its free lists) and an mmapped one with
 * mremap, so no copy; short-lived strings with little slack skip it.
 */
char *
buf_steal(struct buf *b)
{
	char *p = b->data;

	if (p != NULL && b->cap - b->len - 1 > 32 &&
	    b->cap - b->len - 1 > b->cap / 8)
		p = xrealloc(p, b->len + 1);

	b->data = NULL;
	b->len = b->cap = 0;
	return p;
}

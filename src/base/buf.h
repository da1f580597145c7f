/*
 * buf.h -- a growable byte buffer; data is always NUL-terminated.
 */
#ifndef CRIER_BUF_H
#define CRIER_BUF_H

#include <stdarg.h>
#include <stddef.h>

struct buf {
	char	*data;
	size_t	 len;
	size_t	 cap;
};

void	 buf_init(struct buf *);
void	 buf_free(struct buf *);
void	 buf_reset(struct buf *);
/* Room for n more bytes without reallocating (when the size is known). */
void	 buf_reserve(struct buf *, size_t n);
void	 buf_add(struct buf *, const void *, size_t);
void	 buf_addstr(struct buf *, const char *);
void	 buf_addc(struct buf *, char);
void	 buf_printf(struct buf *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
/* The text, the caller's to free; cut to fit when mostly slack. */
char	*buf_steal(struct buf *);

#endif

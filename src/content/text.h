/*
 * text.h -- a content file's bytes made into clean text, once, before
 * anything parses them.
 *
 * See text.c for the policy: which bytes are replaced, which removed,
 * and when a file is not text at all.
 */
#ifndef CRIER_TEXT_H
#define CRIER_TEXT_H

#include <stddef.h>

#include "diag.h"
#include "util.h"

#define TEXT_LINES_NOTED 5	/* lines a warning names; the rest counted */

/* One kind of fix: its count and where it happened. */
struct text_fix {
	size_t		 count;		/* occurrences */
	size_t		 bytes;		/* bytes of the file they took */
	int		 lines[TEXT_LINES_NOTED];	/* the first lines */
	size_t		 nlines;	/* distinct lines, all of them */
	int		 last_line;
	unsigned char	 first[4];	/* the first one's bytes */
	size_t		 first_len;
};

struct text {
	const char	*data;		/* the clean text (NUL-terminated
					   only when copied) */
	size_t		 len;
	struct buf	 copy;		/* holds data when anything changed */
	int		 copied;
	int		 bom;		/* a UTF-8 BOM was skipped */
	struct text_fix	 invalid;	/* maximal subparts, each one U+FFFD */
	struct text_fix	 control;	/* control characters removed */
	size_t		 len_in;	/* bytes read, after a BOM */
	int		 first_line;	/* of the first fix, 0 if none */
	int		 nul_line;	/* line of a NUL byte, 0 if none */
	int		 not_text;	/* a NUL, or mostly bad bytes */
};

/*
 * Cleans a file's bytes: t->data is valid UTF-8 with LF line ends and
 * no control character but TAB and LF, with as many lines as the file.
 * It points into data when nothing had to change.  Returns -1 when the
 * bytes are not text (t->data is then unset), 0 otherwise.
 */
int	text_sanitize(struct text *t, const char *data, size_t len);
/* The fixes as diagnostics: a warning for each kind, with its first
 * line; or the error that says the file is not text. */
void	text_diags(const struct text *, struct diags *);
void	text_free(struct text *);

#endif

/*
 * summary.h -- Hugo's summaries: the <!--more--> divider, summaryLength
 * words, hasCJKLanguage.
 */
#ifndef CRIER_SUMMARY_H
#define CRIER_SUMMARY_H

#include <stddef.h>

/* Where the body's first "<!--more-->" starts, or NULL. */
const char *summary_divider(const char *body, size_t len);
/* A copy of the body (NUL-terminated, the same length) with the divider
 * blanked out. */
char	*summary_without_divider(const char *body, size_t len,
	    const char *divider);
/* Whether the text holds Han, kana or Hangul (Hugo's isCJKLanguage). */
int	 summary_has_cjk(const char *, size_t);
/* Plain text cut as Hugo cuts it when no summary is written: after
 * `words` words and on to the end of the sentence, or, for CJK text,
 * after `words` characters of non-ASCII words; words <= 0: all of it. */
char	*summary_from_text(const char *text, int words, int cjk);

#endif

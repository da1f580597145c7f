/*
 * ascii.h -- character classes for the readers of written text
 * (schedule.c, mdtext.c): ASCII only, whatever the locale, since the C
 * library's versions follow it; any byte >= 0x80 counts as a letter of
 * some script.
 */
#ifndef CRIER_ASCII_H
#define CRIER_ASCII_H

static inline int
ascii_lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c + 32 : c;
}

static inline int
ascii_is_alpha(int c)
{
	c = ascii_lower(c);
	return c >= 'a' && c <= 'z';
}

static inline int
ascii_is_digit(int c)
{
	return c >= '0' && c <= '9';
}

/* Letters and digits of any script: non-ASCII bytes count as such. */
static inline int
ascii_is_word(int c)
{
	return ascii_is_alpha(c) || ascii_is_digit(c) || c >= 0x80;
}

static inline int
ascii_is_blank(int c)
{
	return c == ' ' || c == '\t';
}

#endif

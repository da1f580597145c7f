/*
 * str.h -- C-string helpers.
 */
#ifndef CRIER_STR_H
#define CRIER_STR_H

int	 str_has_suffix(const char *, const char *);
int	 str_has_prefix(const char *, const char *);
/* Trims ASCII white space at both ends, in place; returns the start. */
char	*str_trim(char *);

#endif

/*
 * emoji.h -- Hugo's enableEmoji (emoji.c): GitHub's ":code:" emoji.
 */
#ifndef CRIER_EMOJI_H
#define CRIER_EMOJI_H

#include <stddef.h>

struct buf;

/* The emoji of ":code:" (colons included, len bytes), or NULL. */
const char	*emoji_lookup(const char *code, size_t len);
/* Replaces the codes in b as Hugo's Emojify does; how many. */
int		 emoji_replace(struct buf *);
/* emoji_replace on a string, which it frees: the new one. */
char		*emoji_string(char *);

#endif

/*
 * diag.h -- diagnostics about one content file: line, level, message.
 *
 * Every parser reports into a struct diags instead of logging, so the same
 * findings reach /status, `crier --check` and the log, and so parsing stays
 * a pure function that tests can inspect.
 */
#ifndef CRIER_DIAG_H
#define CRIER_DIAG_H

#include <stddef.h>

enum diag_level { DIAG_WARNING, DIAG_ERROR };

struct diag {
	int		 line;		/* 1-based, 0 when it names no line */
	enum diag_level	 level;
	char		*message;
};

struct diags {
	struct diag	*v;
	size_t		 n;
	size_t		 cap;
	size_t		 dropped;	/* past DIAGS_MAX */
};

#define DIAGS_MAX 100	/* more than this is noise; the rest are counted */

void	diags_init(struct diags *);
void	diags_free(struct diags *);
void	diags_add(struct diags *, enum diag_level, int, const char *, ...)
	    __attribute__((format(printf, 4, 5)));
int	diags_count(const struct diags *, enum diag_level);
const char *diag_level_name(enum diag_level);

#endif

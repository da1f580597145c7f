/*
 * ical_fold.h -- every calendar's line breaks (RFC 5545 3.1), made here
 * rather than trusted to libical.  See ical_fold.c.
 */
#ifndef CRIER_ICAL_FOLD_H
#define CRIER_ICAL_FOLD_H

#include <stddef.h>

#include <libical/ical.h>

#include "util.h"

/* Octets on a physical line, its CRLF not counted (RFC 5545 3.1). */
#define ICAL_FOLD_MAX	75

/*
 * Appends text (iCalendar as libical wrote it, len bytes) to out with
 * every content line correct: CRLF line ends only, every physical line
 * at most ICAL_FOLD_MAX octets, continuation lines one space then at
 * least one octet, folds only between UTF-8 characters.  A line that is
 * not is unfolded and folded again; correct lines are copied as they
 * are.  Every line out ends in CRLF, the last one too; empty lines are
 * dropped.  One pass.
 */
void	 ical_fold(struct buf *out, const char *text, size_t len);
/* c as libical writes it, folded again, appended to out; returns the
 * length added.  Every calendar text crier serves is made here. */
size_t	 ical_fold_component(struct buf *out, icalcomponent *c);

#endif

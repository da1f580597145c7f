/*
 * ics.h -- reading a dropped iCalendar file into events.
 */
#ifndef CRIER_ICS_H
#define CRIER_ICS_H

#include <stddef.h>

#include "config.h"
#include "diag.h"
#include "event.h"

/*
 * Appends the VEVENTs of the .ics file data (len bytes, relpath inside the
 * content folder) to *events (*nevents of them) and reports problems in
 * diags.  Returns 0, or -1 with a DIAG_ERROR when the file cannot be used
 * at all (unparseable, no VCALENDAR, no usable event).
 */
int	ics_import(const struct config *, const char *relpath, const char *data,
	    size_t len, struct event **events, size_t *nevents,
	    struct diags *diags);

#endif

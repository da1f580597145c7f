/*
 * ics.h -- reading a dropped iCalendar file into a page's events.
 */
#ifndef CRIER_ICS_H
#define CRIER_ICS_H

#include <stddef.h>

#include "config.h"
#include "page.h"

/*
 * Appends the VEVENTs of the .ics file data (len bytes, relpath inside the
 * content folder) to page->events and reports problems in page->diags.
 * Returns 0, or -1 with a DIAG_ERROR when the file cannot be used at all
 * (unparseable, no VCALENDAR, no usable event).
 */
int	ics_import(const struct config *, const char *relpath, const char *data,
	    size_t len, struct page *page);

#endif

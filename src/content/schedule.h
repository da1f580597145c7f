/*
 * schedule.h -- finds the events written in a post's body.
 *
 * Organizers write schedules as text: a heading per talk, then a line such
 * as "**时间：**2020/5/6（周三） 19:00-20:00" or "- When: May 6, 2020 (Wed)
 * 7:00pm-8:00pm".  This module turns each such line into a schedule item.
 * It knows nothing of time zones: times are the wall clock as written,
 * with the offset of a zone written beside them ("UTC+8", "北京时间").
 */
#ifndef CRIER_SCHEDULE_H
#define CRIER_SCHEDULE_H

#include <stddef.h>

#include "dates.h"
#include "diag.h"

struct schedule_item {
	char		*title;		/* nearest heading above, plain text */
	char		*anchor;	/* that heading's anchor (Hugo style) */
	char		*description;	/* the section's text, plain */
	char		*location;	/* 地点/地址/Location line, or NULL */
	char		*online_url;	/* 直播/Live/Stream line, or a place
					   line, holding only a URL; or NULL */
	struct datetime	 start;		/* has_time = 1; has_offset when a
					   zone is written: "(GMT+8)" */
	struct datetime	 end;		/* start + OPEN_MINUTES when open */
	int		 open;		/* no end was written */
	int		 line;		/* file line of the time line */
};

struct schedule {
	struct schedule_item	*items;
	size_t			 nitems;
	char			*online_url;	/* written outside every
						   item's section: every
						   event's; or NULL */
};

/*
 * Scans a Markdown body whose first line is file line first_line.
 * default_year fills dates written without one ("5月6日").  Problems
 * (a weekday that does not match its date, an impossible date) go to
 * diags with their file line.
 */
void	schedule_extract(const char *body, size_t len, int first_line,
	    int default_year, struct schedule *, struct diags *);
void	schedule_free(struct schedule *);

/*
 * The URL to watch at that one body line names, cleaned, or NULL: a
 * 直播/Live/Stream/Online (or 地址/Location) line holding only a URL; an
 * online line with a Zoom, Google Meet, YouTube, Bilibili, Jitsi or Teams
 * URL among its words; or a line that is only such a URL.
 */
char	*schedule_stream_url(const char *line, size_t len);
/* The service a URL is on ("Zoom", "Bilibili"), for a LABEL; or NULL. */
const char *schedule_meeting_service(const char *url);

#endif

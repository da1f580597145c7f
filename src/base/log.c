/*
 * log.c -- writes "crier: level: message" lines to stderr.
 *
 * stderr is what systemd's journal and a terminal both read; one line per
 * event with the level spelled out keeps it greppable.  Control characters
 * in messages (file names are organizer input) are replaced so a crafted
 * name cannot forge log lines.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "log.h"

static enum log_level threshold = LOG_INFO;

void
log_set_level(enum log_level level)
{
	threshold = level;
}

void
log_msg(enum log_level level, const char *fmt, ...)
{
	static const char *names[] = { "debug", "info", "warning", "error" };
	char line[2048];
	va_list ap;
	size_t i;

	if (level < threshold)
		return;
	va_start(ap, fmt);
	vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	for (i = 0; line[i] != '\0'; i++) {
		if ((unsigned char)line[i] < 0x20)
			line[i] = '?';
	}
	fprintf(stderr, "crier: %s: %s\n", names[level], line);
}

/*
 * fuzz_config.c -- libFuzzer target: config_load on arbitrary bytes.
 *
 * config_load reads a path, so the input goes to a temporary file first
 * (one per process, rewritten for each input).  Checks: an error comes
 * with a message, and a loaded configuration passes config_validate again
 * and has every setting set.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libical/ical.h>

#include "config.h"

static char tmp[64];

static void
cleanup(void)
{
	if (tmp[0] != '\0')
		unlink(tmp);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char *dir = getenv("TMPDIR");
	int fd;

	(void)argc;
	(void)argv;
	snprintf(tmp, sizeof tmp, "%s/fuzz_config.XXXXXX",
	    dir != NULL && strlen(dir) < 40 ? dir : "/tmp");
	if ((fd = mkstemp(tmp)) == -1) {
		perror(tmp);
		abort();
	}
	close(fd);
	atexit(cleanup);
	icalerror_set_errors_are_fatal(0);
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct config c;
	char err[1024];
	FILE *f;
	int rc;

	if ((f = fopen(tmp, "w")) == NULL)
		abort();
	if (size > 0 && fwrite(data, 1, size, f) != size)
		abort();
	if (fclose(f) != 0)
		abort();

	config_defaults(&c);
	err[0] = '\0';
	rc = config_load(&c, tmp, err, sizeof err);
	if (rc == -1 && err[0] == '\0')
		abort();
	if (rc == 0) {
		if (c.title == NULL || c.base_url == NULL ||
		    c.timezone == NULL || c.listen == NULL ||
		    c.content_dir == NULL || c.id_authority == NULL)
			abort();
		if (config_validate(&c, err, sizeof err) != 0) {
			fprintf(stderr, "loaded but invalid: %s\n", err);
			abort();
		}
	}
	config_free(&c);
	return 0;
}

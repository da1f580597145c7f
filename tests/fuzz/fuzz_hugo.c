/*
 * fuzz_hugo.c -- libFuzzer target: a Hugo site's configuration read,
 * applied and reported (hugo.c) from arbitrary bytes.
 *
 * The first byte picks the file: 't' hugo.toml, 'y' hugo.yaml, 'j'
 * hugo.json, 'p' config/_default/params.toml over a hugo.toml of one
 * line, anything else hugo.toml; the rest is its text.  The site lives in
 * one temporary folder per process.  Checks: an error comes with a
 * message naming the file; a site read is applied, reported and copied
 * without leaks, and crier's settings stay valid.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libical/ical.h>

#include "config.h"
#include "hugo.h"

static char root[64];
static char *paths[5];

static void
cleanup(void)
{
	char sub[96];
	size_t i;

	for (i = 0; i < 5; i++)
		unlink(paths[i]);
	snprintf(sub, sizeof sub, "%s/config/_default", root);
	rmdir(sub);
	snprintf(sub, sizeof sub, "%s/config", root);
	rmdir(sub);
	rmdir(root);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	static const char *const names[5] = { "hugo.toml", "hugo.yaml",
	    "hugo.json", "config/_default/params.toml", "config" };
	const char *dir = getenv("TMPDIR");
	char sub[96];
	size_t i;

	(void)argc;
	(void)argv;
	snprintf(root, sizeof root, "%s/fuzz_hugo.XXXXXX",
	    dir != NULL && strlen(dir) < 40 ? dir : "/tmp");
	if (mkdtemp(root) == NULL) {
		perror(root);
		abort();
	}
	for (i = 0; i < 5; i++)
		if (asprintf(&paths[i], "%s/%s", root, names[i]) == -1)
			abort();
	snprintf(sub, sizeof sub, "%s/config", root);
	if (mkdir(sub, 0700) == -1)
		abort();
	atexit(cleanup);
	icalerror_set_errors_are_fatal(0);
	return 0;
}

static void
put(const char *path, const uint8_t *data, size_t size)
{
	FILE *f;

	if ((f = fopen(path, "w")) == NULL)
		abort();
	if (size > 0 && fwrite(data, 1, size, f) != size)
		abort();
	if (fclose(f) != 0)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct hugo_site *site;
	struct config c, copy;
	char err[1024], sub[96];
	json_t *report;
	size_t which = 0, i;

	if (size > 0) {
		which = data[0] == 'y' ? 1 : data[0] == 'j' ? 2 :
		    data[0] == 'p' ? 3 : 0;
		data++;
		size--;
	}
	for (i = 0; i < 4; i++)
		unlink(paths[i]);
	snprintf(sub, sizeof sub, "%s/config/_default", root);
	rmdir(sub);
	if (which == 3) {
		if (mkdir(sub, 0700) == -1)
			abort();
		put(paths[0], (const uint8_t *)"title = \"t\"\n", 12);
	}
	put(paths[which], data, size);

	err[0] = '\0';
	if ((site = hugo_site_load(root, err, sizeof err)) == NULL) {
		if (strstr(err, root) == NULL)
			abort();
		return 0;
	}
	config_defaults(&c);
	if (hugo_apply(site, &c, err, sizeof err) == -1) {
		if (err[0] == '\0')
			abort();
		hugo_site_free(site);
	} else {
		if (c.hugo != site)
			abort();
		if (config_validate(&c, err, sizeof err) != 0) {
			fprintf(stderr, "applied but invalid: %s\n", err);
			abort();
		}
		if ((report = hugo_report(&c)) == NULL)
			abort();
		json_decref(report);
		(void)hugo_permalink_pattern(site, "posts");
		config_copy(&copy, &c);
		config_free(&copy);
	}
	config_free(&c);
	return 0;
}

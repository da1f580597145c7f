/*
 * toml_dump.c -- prints what toml_parse reads from each file, with TOML's
 * types tagged, for tests/toml/differential.py to compare with tomllib.
 *
 *   toml_dump FILE...	one JSON line per file, in order:
 *	{"ok": true, "value": {...}} or {"ok": false, "line": N, "error": "..."}
 *
 * Files are read whole as bytes (NUL and invalid UTF-8 included): the
 * parser must refuse those itself.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "toml.h"
#include "util.h"

#define MAX_FILE (16 * 1024 * 1024)

static int
dump(const char *path)
{
	char err[256], *data;
	struct diags d;
	json_t *v, *out;
	size_t len;
	int rc = 0;

	if (file_read(path, MAX_FILE, &data, &len, err, sizeof err) == -1) {
		fprintf(stderr, "toml_dump: %s: %s\n", path, err);
		return -1;
	}
	diags_init(&d);
	v = toml_parse(data, len, 1, TOML_TAGGED, NULL, &d);
	if (v != NULL)
		out = json_pack("{s:b, s:o}", "ok", 1, "value", v);
	else
		out = json_pack("{s:b, s:i, s:s}", "ok", 0, "line",
		    d.n > 0 ? d.v[0].line : 0, "error",
		    d.n > 0 ? d.v[0].message : "(no message)");
	if (out == NULL || json_dumpf(out, stdout, JSON_COMPACT |
	    JSON_ENSURE_ASCII) == -1 || putchar('\n') == EOF) {
		fprintf(stderr, "toml_dump: %s: cannot write the result\n",
		    path);
		rc = -1;
	}
	json_decref(out);
	diags_free(&d);
	free(data);
	return rc;
}

int
main(int argc, char **argv)
{
	int i;

	for (i = 1; i < argc; i++)
		if (dump(argv[i]) == -1)
			return 1;
	return fflush(stdout) == 0 ? 0 : 1;
}

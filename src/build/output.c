/*
 * output.c -- mirrors the documents into the output folder.
 *
 * Each document goes to its URL path (decoded, as nginx maps URLs to
 * files; "/x/" becomes x/index.html), written to a temporary file and
 * renamed, so a web server reading the folder never sees half a file.
 * Nothing is fsynced: the folder is crier's and rewritten at every
 * start-up, so a crash loses nothing, and an fsync per file would hold
 * the first loop for as long as the disk takes.
 * Its gzip body goes beside it as .gz (nginx's gzip_static).  Files of
 * documents that no longer exist are removed.  The folder belongs to
 * crier: at the first write, files already in it are taken as left by an
 * earlier run and removed when no document claims them.
 */
#include <errno.h>
#include <ftw.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#include "log.h"
#include "output.h"
#include "urls.h"

void
output_init(struct output *o)
{
	o->root = NULL;
	dict_init(&o->written);
	o->scanned = 0;
}

void
output_free(struct output *o)
{
	free(o->root);
	o->root = NULL;
	dict_free(&o->written, free);
}

/* The relative file for a document path, or NULL if it cannot be one. */
static char *
file_for(const char *path)
{
	char *decoded = urls_decode(path + 1), *file;

	if (decoded == NULL || strstr(decoded, "..") != NULL) {
		free(decoded);
		return NULL;
	}
	if (decoded[0] == '\0' || str_has_suffix(decoded, "/")) {
		file = xasprintf("%sindex.html", decoded);
		free(decoded);
		return file;
	}
	return decoded;
}

static int
make_parents(const char *root, const char *rel)
{
	char *path = xasprintf("%s/%s", root, rel), *p;

	for (p = path + strlen(root) + 1; (p = strchr(p, '/')) != NULL; p++) {
		*p = '\0';
		if (mkdir(path, 0755) == -1 && errno != EEXIST) {
			log_error("output: mkdir %s: %s", path, strerror(errno));
			free(path);
			return -1;
		}
		*p = '/';
	}
	free(path);
	return 0;
}

static int
write_one(const char *root, const char *rel, const struct span *spans,
    size_t nspans)
{
	char err[512], *path = xasprintf("%s/%s", root, rel);
	struct iovec *iov = xreallocarray(NULL, nspans, sizeof *iov);
	size_t i;
	int rc = -1;

	for (i = 0; i < nspans; i++) {
		iov[i].iov_base = (void *)(uintptr_t)spans[i].data;
		iov[i].iov_len = spans[i].len;
	}
	if (make_parents(root, rel) == 0) {
		rc = file_write_atomicv(path, iov, nspans, 0, err,
		    sizeof err);
		if (rc == -1)
			log_error("output: %s", err);
	}
	free(iov);
	free(path);
	return rc;
}

/* A document's identity bytes: its spans, or the body cache's copy. */
static int
write_identity(const char *root, const char *rel, const struct document *d)
{
	struct held_body *h;
	struct span one;
	int rc;

	if (d->bodies == NULL)
		return write_one(root, rel, d->spans, d->nspans);
	if ((h = document_identity((struct document *)(uintptr_t)d)) == NULL)
		return -1;
	one.data = h->data;
	one.len = h->len;
	rc = write_one(root, rel, &one, 1);
	held_body_unref(h);
	return rc;
}

static void
remove_one(const char *root, const char *rel)
{
	char *path = xasprintf("%s/%s", root, rel);

	if (unlink(path) == -1 && errno != ENOENT)
		log_error("output: cannot remove %s: %s", path, strerror(errno));
	free(path);
}

/* nftw has no user pointer: the scan goes through this one variable,
 * set and cleared around the call. */
static struct output *scanning;
static size_t scanning_root;

static int
note_existing(const char *path, const struct stat *st, int type,
    struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	if (type == FTW_F && strlen(path) > scanning_root)
		free(dict_set(&scanning->written, path + scanning_root + 1,
		    xstrdup("")));
	return 0;
}

static void
scan_existing(struct output *o, const char *root)
{
	scanning = o;
	scanning_root = strlen(root);
	if (nftw(root, note_existing, 16, FTW_PHYS) == -1 && errno != ENOENT)
		log_error("output: cannot read %s: %s", root, strerror(errno));
	scanning = NULL;
	o->scanned = 1;
}

void
output_write(struct output *o, const struct config *cfg,
    const struct docset *docs)
{
	const char *root = cfg->output_dir, *key;
	struct dict now;
	char *file, *gz;
	void *v;
	size_t i;
	int ok;

	if (root[0] == '\0')
		return;
	if (o->root == NULL || strcmp(o->root, root) != 0) {
		/* A new folder (after a reload): start from what is there. */
		output_free(o);
		output_init(o);
		o->root = xstrdup(root);
	}
	if (mkdir(root, 0755) == -1 && errno != EEXIST) {
		log_error("output: mkdir %s: %s", root, strerror(errno));
		return;
	}
	if (!o->scanned)
		scan_existing(o, root);
	dict_init(&now);
	for (i = 0; dict_next(&docs->docs, &i, &key, &v); ) {
		struct document *d = v;
		const char *old;

		if (d->redirect != NULL || (file = file_for(d->path)) == NULL)
			continue;
		gz = xasprintf("%s.gz", file);
		old = dict_get(&o->written, file);
		ok = 1;
		if (old == NULL || strcmp(old, d->etag) != 0)
			ok = write_identity(root, file, d) == 0;
		/* A failed write is not recorded: the next rebuild retries. */
		dict_set(&now, file, xstrdup(ok ? d->etag : ""));
		/* The .gz has a record of its own: a gzip body made on
		 * request (an archive page rendered before there was an
		 * output folder) is made now, and written the first time
		 * it exists. */
		if (ok && document_gzip_asked(d) != NULL) {
			old = dict_get(&o->written, gz);
			if (old == NULL || strcmp(old, d->etag) != 0)
				ok = write_one(root, gz, d->gzspans,
				    d->ngzspans) == 0;
			dict_set(&now, gz, xstrdup(ok ? d->etag : ""));
		}
		free(gz);
		free(file);
	}
	for (i = 0; dict_next(&o->written, &i, &key, NULL); )
		if (dict_get(&now, key) == NULL)
			remove_one(root, key);
	dict_free(&o->written, free);
	o->written = now;
}

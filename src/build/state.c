/*
 * state.c -- the state file: JSON (jansson), written to a temporary file,
 * fsynced and renamed, so a crash leaves the old or the new file, never
 * half of one.
 *
 * Content alone cannot say when an entry was last changed or how often an
 * event was revised: an organizer edits a talk's time without touching
 * lastmod.  So crier remembers each entry's and event's content hash and
 * bumps `updated` / SEQUENCE when the hash moves.  Unchanged content -- a
 * restart, a `touch`, a fresh clone -- keeps every value, and so every
 * byte and ETag.  Without a state file the same bookkeeping lives in
 * memory for the process's lifetime.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sys/resource.h>
#include <unistd.h>

#include <jansson.h>

#include "buf.h"
#include "file.h"
#include "log.h"
#include "parallel.h"
#include "state.h"
#include "util.h"

#define SAVER_NICE	10

void
state_init(struct state *st, const char *path)
{
	st->path = path != NULL && path[0] != '\0' ? xstrdup(path) : NULL;
	dict_init(&st->entries);
	dict_init(&st->events);
	st->dirty = 0;
}

static void
entry_free(void *v)
{
	struct state_entry *e = v;

	if (e != NULL)
		free(e->id);
	free(e);
}

void
state_free(struct state *st)
{
	free(st->path);
	dict_free(&st->entries, entry_free);
	dict_free(&st->events, free);
	st->path = NULL;
}

static uint64_t
hex64(const char *s)
{
	return s != NULL ? strtoull(s, NULL, 16) : 0;
}

static int
load_entries(struct state *st, json_t *obj)
{
	const char *key;
	json_t *v;

	json_object_foreach(obj, key, v) {
		struct state_entry *e = xcalloc(1, sizeof *e);

		e->hash = hex64(json_string_value(json_object_get(v, "hash")));
		e->first_seen = json_integer_value(json_object_get(v,
		    "first_seen"));
		e->updated = json_integer_value(json_object_get(v, "updated"));
		if (json_is_string(json_object_get(v, "id")))
			e->id = xstrdup(json_string_value(json_object_get(v,
			    "id")));
		entry_free(dict_set(&st->entries, key, e));
	}
	return 0;
}

static int
load_events(struct state *st, json_t *obj)
{
	const char *key;
	json_t *v;

	json_object_foreach(obj, key, v) {
		struct state_event *e = xcalloc(1, sizeof *e);

		e->hash = hex64(json_string_value(json_object_get(v, "hash")));
		e->sequence = (int)json_integer_value(json_object_get(v,
		    "sequence"));
		if (e->sequence < 0 || e->sequence > 1000000000)
			e->sequence = 0;	/* a damaged file */
		e->last_modified = json_integer_value(json_object_get(v,
		    "last_modified"));
		free(dict_set(&st->events, key, e));
	}
	return 0;
}

int
state_load(struct state *st, char *err, size_t errlen)
{
	json_error_t error;
	json_t *root, *entries, *events;
	FILE *f;

	if (st->path == NULL)
		return 0;
	if ((f = fopen(st->path, "re")) == NULL)
		return 0;	/* first start: nothing to remember yet */
	root = json_loadf(f, 0, &error);
	fclose(f);
	entries = json_object_get(root, "entries");
	events = json_object_get(root, "events");
	if (root == NULL || !json_is_object(entries) ||
	    !json_is_object(events)) {
		snprintf(err, errlen, "state file %s is corrupt (%s, line %d); "
		    "starting afresh", st->path, root ? "missing keys" :
		    error.text, error.line);
		json_decref(root);
		st->dirty = 1;
		return -1;
	}
	load_entries(st, entries);
	load_events(st, events);
	json_decref(root);
	return 0;
}

static json_t *
hex_value(uint64_t h)
{
	char s[17];

	snprintf(s, sizeof s, "%016" PRIx64, h);
	return json_string(s);
}

/*
 * The records as they are now, flat, for the saver thread to encode: two
 * array copies and one block of strings.  Cloning the dictionaries cost
 * the event loop 34 000 allocations and hash insertions every two
 * seconds while an organizer kept editing.
 */
struct snap_entry {
	const char		*key;
	struct state_entry	 e;	/* e.id points into strings too */
};

struct snap_event {
	const char		*key;
	struct state_event	 e;
};

struct state_snapshot {
	char			*path;
	struct snap_entry	*entries;
	size_t			 nentries;
	struct snap_event	*events;
	size_t			 nevents;
	char			*strings;
};

/* Copies s to *at, returns the copy. */
static const char *
put_string(char **at, const char *s)
{
	size_t len = strlen(s) + 1;
	char *copy = *at;

	memcpy(copy, s, len);
	*at += len;
	return copy;
}

static struct state_snapshot *
snapshot_take(const struct state *st)
{
	struct state_snapshot *sn = xcalloc(1, sizeof *sn);
	const struct state_entry *e;
	const char *key;
	size_t i, n, bytes = 0;
	char *at;
	void *v;

	sn->path = xstrdup(st->path);
	for (i = 0; dict_next(&st->entries, &i, &key, &v); ) {
		e = v;
		bytes += strlen(key) + 1 + (e->id ? strlen(e->id) + 1 : 0);
	}
	for (i = 0; dict_next(&st->events, &i, &key, &v); )
		bytes += strlen(key) + 1;
	at = sn->strings = xmalloc(bytes ? bytes : 1);
	sn->entries = xreallocarray(NULL, st->entries.live + 1,
	    sizeof *sn->entries);
	for (i = n = 0; dict_next(&st->entries, &i, &key, &v); n++) {
		e = v;
		sn->entries[n].key = put_string(&at, key);
		sn->entries[n].e = *e;
		sn->entries[n].e.id = e->id ? (char *)put_string(&at, e->id) :
		    NULL;
	}
	sn->nentries = n;
	sn->events = xreallocarray(NULL, st->events.live + 1,
	    sizeof *sn->events);
	for (i = n = 0; dict_next(&st->events, &i, &key, &v); n++) {
		sn->events[n].key = put_string(&at, key);
		sn->events[n].e = *(const struct state_event *)v;
	}
	sn->nevents = n;
	return sn;
}

static void
snapshot_free(struct state_snapshot *sn)
{
	if (sn == NULL)
		return;
	free(sn->path);
	free(sn->entries);
	free(sn->events);
	free(sn->strings);
	free(sn);
}

/*
 * The file is written record by record, each encoded by jansson on its
 * own into a small buffer flushed to the temporary file: building the
 * whole tree and its text first held ~30 MiB at 10 000 posts and ~380
 * MB at 100 000 (peak RSS, bench/results-memory.md section 8), at the
 * start-up's peak and again every few seconds while an organizer edits.  Records are sorted by key, so the same
 * state gives the same bytes (as JSON_SORT_KEYS did).
 */
#define STATE_FLUSH_BYTES (64 * 1024)

struct state_writer {
	struct file_atomic	 file;
	struct buf		 out;
	int			 failed;	/* errno of a failed write */
};

static int
writer_flush(struct state_writer *w)
{
	if (w->failed == 0 && w->out.len > 0 &&
	    file_atomic_write(&w->file, w->out.data, w->out.len) == -1)
		w->failed = errno;
	buf_reset(&w->out);
	return w->failed == 0 ? 0 : -1;
}

static void
writer_puts(struct state_writer *w, const char *s)
{
	buf_addstr(&w->out, s);
	if (w->out.len >= STATE_FLUSH_BYTES)
		writer_flush(w);
}

static int
dump_to_buf(const char *data, size_t len, void *arg)
{
	buf_add(arg, data, len);
	return 0;
}

/* v (taken) encoded after what is buffered; -1 when it cannot be. */
static int
writer_json(struct state_writer *w, json_t *v)
{
	int rc = -1;

	if (v != NULL)
		rc = json_dump_callback(v, dump_to_buf, &w->out,
		    JSON_ENCODE_ANY | JSON_SORT_KEYS);
	json_decref(v);
	return rc;
}

/* `  "key": {...}`, a comma before all but the first. */
static int
writer_record(struct state_writer *w, size_t i, const char *key, json_t *v)
{
	writer_puts(w, i > 0 ? ",\n  " : "\n  ");
	if (writer_json(w, json_string(key)) == -1) {
		json_decref(v);
		return -1;
	}
	writer_puts(w, ": ");
	if (writer_json(w, v) == -1)
		return -1;
	if (w->out.len >= STATE_FLUSH_BYTES)
		writer_flush(w);
	return 0;
}

static int
by_entry_key(const void *a, const void *b)
{
	return strcmp(((const struct snap_entry *)a)->key,
	    ((const struct snap_entry *)b)->key);
}

static int
by_event_key(const void *a, const void *b)
{
	return strcmp(((const struct snap_event *)a)->key,
	    ((const struct snap_event *)b)->key);
}

static int
write_entries(struct state_writer *w, const struct state_snapshot *sn)
{
	size_t i;

	writer_puts(w, "{\n \"entries\": {");
	for (i = 0; i < sn->nentries; i++) {
		const struct state_entry *e = &sn->entries[i].e;

		if (writer_record(w, i, sn->entries[i].key,
		    json_pack("{s:o, s:I, s:I, s:s?}", "hash",
		    hex_value(e->hash), "first_seen", (json_int_t)e->first_seen,
		    "updated", (json_int_t)e->updated, "id", e->id)) == -1)
			return -1;
	}
	writer_puts(w, "\n },\n \"events\": {");
	return 0;
}

static int
write_events(struct state_writer *w, const struct state_snapshot *sn)
{
	size_t i;

	for (i = 0; i < sn->nevents; i++) {
		const struct state_event *e = &sn->events[i].e;

		if (writer_record(w, i, sn->events[i].key,
		    json_pack("{s:o, s:i, s:I}", "hash", hex_value(e->hash),
		    "sequence", e->sequence, "last_modified",
		    (json_int_t)e->last_modified)) == -1)
			return -1;
	}
	writer_puts(w, "\n },\n \"version\": 1\n}\n");
	return 0;
}

/* Sorts the snapshot (the caller's) and writes it to its path. */
static int
write_snapshot(struct state_snapshot *sn, char *err, size_t errlen)
{
	struct state_writer w;
	int encoded;

	util_sort(sn->entries, sn->nentries, sizeof *sn->entries,
	    by_entry_key);
	util_sort(sn->events, sn->nevents, sizeof *sn->events, by_event_key);
	if (file_atomic_open(&w.file, sn->path, err, errlen) == -1)
		return -1;
	buf_init(&w.out);
	w.failed = 0;
	encoded = write_entries(&w, sn) == 0 && write_events(&w, sn) == 0;
	writer_flush(&w);
	buf_free(&w.out);
	if (!encoded || w.failed != 0) {
		if (!encoded)
			snprintf(err, errlen, "state: cannot encode");
		else
			snprintf(err, errlen, "%s: %s", sn->path,
			    strerror(w.failed));
		file_atomic_abort(&w.file);
		return -1;
	}
	return file_atomic_commit(&w.file, sn->path, 1, err, errlen);
}

int
state_save(struct state *st, char *err, size_t errlen)
{
	struct state_snapshot *sn;
	int rc;

	if (st->path == NULL || !st->dirty)
		return 0;
	sn = snapshot_take(st);
	rc = write_snapshot(sn, err, errlen);
	snapshot_free(sn);
	if (rc == -1)
		return -1;
	st->dirty = 0;
	return 0;
}

static void *
saver_thread(void *arg)
{
	struct state_saver *sv = arg;
	struct state_snapshot *snap;
	struct timespec t0, t1;

	/*
	 * Below the event loops (on Linux a thread's nice value is its
	 * own): on two cores, a tenth of a second of JSON at the same
	 * priority kept the rebuilding loop waiting for a core for
	 * milliseconds after an edit.
	 */
	if (setpriority(PRIO_PROCESS, (id_t)gettid(), SAVER_NICE) == -1)
		log_debug("state saved at normal priority: setpriority: %s",
		    strerror(errno));
	char err[512];

	pthread_mutex_lock(&sv->lock);
	for (;;) {
		while (sv->pending == NULL && !sv->stop)
			pthread_cond_wait(&sv->wake, &sv->lock);
		if ((snap = sv->pending) == NULL)
			break;		/* stopping, nothing left */
		sv->pending = NULL;
		pthread_mutex_unlock(&sv->lock);
		clock_gettime(CLOCK_MONOTONIC, &t0);
		if (write_snapshot(snap, err, sizeof err) == -1) {
			log_error("cannot save the state: %s", err);
			__atomic_store_n(&sv->failed, 1, __ATOMIC_RELAXED);
		}
		clock_gettime(CLOCK_MONOTONIC, &t1);
		__atomic_store_n(&sv->last_ms, (long)((t1.tv_sec - t0.tv_sec) *
		    1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000),
		    __ATOMIC_RELAXED);
		snapshot_free(snap);
		pthread_mutex_lock(&sv->lock);
	}
	pthread_mutex_unlock(&sv->lock);
	return NULL;
}

static int
saver_start(struct state_saver *sv, const char *path)
{
	int rc;

	memset(sv, 0, sizeof *sv);
	if (pthread_mutex_init(&sv->lock, NULL) != 0 ||
	    pthread_cond_init(&sv->wake, NULL) != 0)
		abort();
	sv->path = xstrdup(path);
	if ((rc = parallel_thread_start(&sv->thread, saver_thread, sv)) != 0) {
		log_warn("state written on the event loop: pthread_create: %s",
		    strerror(rc));
		return -1;
	}
	sv->started = 1;
	return 0;
}

void
state_save_async(struct state *st, struct state_saver *sv)
{
	struct state_snapshot *snap, *old;
	char err[512];

	if (sv->started && __atomic_exchange_n(&sv->failed, 0,
	    __ATOMIC_RELAXED))
		st->dirty = 1;		/* the last write failed: again */
	if (st->path == NULL || !st->dirty)
		return;
	if (sv->path != NULL && strcmp(sv->path, st->path) != 0)
		state_saver_stop(sv);	/* state_file changed on reload */
	if (!sv->started && (sv->path != NULL ||
	    saver_start(sv, st->path) == -1)) {
		if (state_save(st, err, sizeof err) == -1)
			log_error("cannot save the state: %s", err);
		return;
	}
	snap = snapshot_take(st);
	st->dirty = 0;
	pthread_mutex_lock(&sv->lock);
	old = sv->pending;
	sv->pending = snap;
	pthread_cond_signal(&sv->wake);
	pthread_mutex_unlock(&sv->lock);
	snapshot_free(old);	/* replaced by a newer snapshot */
}

long
state_saver_last_ms(const struct state_saver *sv)
{
	return __atomic_load_n(&sv->last_ms, __ATOMIC_RELAXED);
}

void
state_saver_stop(struct state_saver *sv)
{
	if (sv->started) {
		pthread_mutex_lock(&sv->lock);
		sv->stop = 1;
		pthread_cond_signal(&sv->wake);
		pthread_mutex_unlock(&sv->lock);
		if (pthread_join(sv->thread, NULL) != 0)
			abort();
		snapshot_free(sv->pending);	/* none: the thread drains */
		pthread_mutex_destroy(&sv->lock);
		pthread_cond_destroy(&sv->wake);
	}
	free(sv->path);
	memset(sv, 0, sizeof *sv);
}

time_t
state_entry_updated(struct state *st, const char *path, uint64_t hash,
    time_t written, time_t now)
{
	struct state_entry *e = dict_get(&st->entries, path);

	if (e == NULL) {
		e = xcalloc(1, sizeof *e);
		e->hash = hash;
		e->first_seen = now;
		e->updated = written;
		dict_set(&st->entries, path, e);
		st->dirty = 1;
	} else if (e->hash != hash) {
		e->hash = hash;
		e->updated = written > now ? written : now;
		st->dirty = 1;
	} else if (written > e->updated) {
		e->updated = written;
		st->dirty = 1;
	}
	return e->updated;
}

const char *
state_entry_id(struct state *st, const char *path, const char *id)
{
	struct state_entry *e = dict_get(&st->entries, path);

	if (e == NULL)
		return id;
	if (e->id == NULL) {
		e->id = xstrdup(id);
		st->dirty = 1;
	}
	return e->id;
}

void
state_event_revision(struct state *st, const char *uid, uint64_t hash,
    int written_sequence, time_t written_modified, time_t now,
    int *sequence, time_t *last_modified)
{
	struct state_event *e = dict_get(&st->events, uid);

	if (e == NULL) {
		e = xcalloc(1, sizeof *e);
		e->hash = hash;
		e->sequence = written_sequence;
		e->last_modified = written_modified;
		dict_set(&st->events, uid, e);
		st->dirty = 1;
	} else if (e->hash != hash) {
		e->hash = hash;
		e->sequence = written_sequence > e->sequence ?
		    written_sequence : e->sequence + 1;
		e->last_modified = written_modified > now ? written_modified :
		    now;
		st->dirty = 1;
	}
	*sequence = e->sequence;
	*last_modified = e->last_modified;
}

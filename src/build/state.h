/*
 * state.h -- what must survive a restart so that documents do not change
 * by accident: per entry its content hash, first-seen and updated times;
 * per event its content hash, SEQUENCE and LAST-MODIFIED.
 */
#ifndef CRIER_STATE_H
#define CRIER_STATE_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "dict.h"
#include "util.h"

struct state {
	char		*path;		/* NULL: kept in memory only */
	struct dict	 entries;	/* path -> struct state_entry */
	struct dict	 events;	/* uid -> struct state_event */
	int		 dirty;
};

struct state_entry {
	uint64_t	hash;
	time_t		first_seen;
	time_t		updated;
	char		*id;		/* the entry's id when first seen */
};

struct state_event {
	uint64_t	hash;
	int		sequence;
	time_t		last_modified;
};

void	state_init(struct state *, const char *path);
void	state_free(struct state *);
/* Missing file: 0.  Corrupt: -1 with err, and the state starts empty. */
int	state_load(struct state *, char *err, size_t);
int	state_save(struct state *, char *err, size_t);

/*
 * Writing the state on another thread: encoding 30 000 entries and an
 * fsync cost tens of milliseconds, which the event loop would otherwise
 * spend not serving.  The loop takes a snapshot (a copy of the records);
 * the saver's thread encodes and writes it.  A newer snapshot replaces one
 * still waiting.  A failed write is logged and leaves the state dirty.
 */
struct state_snapshot;

struct state_saver {
	pthread_t	 thread;
	int		 started;
	pthread_mutex_t	 lock;
	pthread_cond_t	 wake;		/* work, or stop */
	struct state_snapshot *pending;	/* to write */
	char		*path;
	int		 failed;		/* atomic */
	long		 last_ms;	/* atomic: the last write took */
	int		 stop;
};

/* Snapshots st for the saver (starting its thread on first use); on
 * failure to start, writes at once. */
void	state_save_async(struct state *, struct state_saver *);
/* How long the last write took (encoding, writing, fsync), in ms. */
long	state_saver_last_ms(const struct state_saver *);
/* Writes what is waiting and ends the thread. */
void	state_saver_stop(struct state_saver *);
/* The entry's updated time, moved to now when its content changed. */
time_t	state_entry_updated(struct state *, const char *path, uint64_t hash,
	    time_t written_updated, time_t now);
/* The id the entry was first published with: editing its date later
 * must not make feed readers see a new entry. */
const char *state_entry_id(struct state *, const char *path, const char *id);
/* SEQUENCE and LAST-MODIFIED, bumped when the event's content changed. */
void	state_event_revision(struct state *, const char *uid, uint64_t hash,
	    int written_sequence, time_t written_modified, time_t now,
	    int *sequence, time_t *last_modified);

#endif

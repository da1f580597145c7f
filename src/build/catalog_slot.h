/*
 * catalog_slot.h -- one content file as the catalog keeps it: its newest
 * parse, its last good one, and what is kept of the good one.
 *
 * catalog.c owns the slots (it makes, replaces and frees them); the files
 * a rebuild is split into read and fill what a slot keeps of its page
 * (catalog_feeds.c its feed entries) through struct build.  So the type
 * sits below both, and they need not include catalog.h to know it.
 */
#ifndef CRIER_CATALOG_SLOT_H
#define CRIER_CATALOG_SLOT_H

#include <stdint.h>
#include <time.h>

#include "dict.h"
#include "page.h"
#include "piece.h"
#include "render.h"

#define FEED_FORMATS	3	/* Atom, RSS, JSON Feed */

/* A page's entry as each feed format shows it, written once for all the
 * feeds it is in (catalog_feeds.c), and the key it was written under. */
struct feed_entries {
	struct piece	*pieces[FEED_FORMATS];
	uint64_t	 keys[FEED_FORMATS];
	/* An entry that only feed archive pages show, which are rendered
	 * when asked: its hash (piece_hash_of, 0 for none) and length, not
	 * its text, written under sum_keys. */
	uint64_t	 sum_hashes[FEED_FORMATS];
	size_t		 sum_lens[FEED_FORMATS];
	uint64_t	 sum_keys[FEED_FORMATS];
};

/* One content file: its newest parse and its last good one, and what
 * the catalog keeps of the good one (pages are written only by parsing). */
struct slot {
	struct page	*current;	/* newest parse, possibly failed */
	struct page	*good;		/* last version that parsed, or NULL */
	time_t		 changed;	/* when crier saw it change */
	/* good's events with the state's SEQUENCE and LAST-MODIFIED, and
	 * its feed entries */
	struct ical_event *events;
	struct feed_entries entries;
};

/* The events p's slot keeps with their state, when p is its good page;
 * NULL otherwise (slots: path -> struct slot). */
static inline const struct ical_event *
slot_events(const struct dict *slots, const struct page *p)
{
	const struct slot *s = dict_get(slots, p->path);

	return s != NULL && s->good == p ? s->events : NULL;
}

#endif

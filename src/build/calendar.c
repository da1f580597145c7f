/*
 * calendar.c -- a calendar assembled from VEVENTs serialised once and
 * kept, looking only at what changed since its last rendering.
 *
 * The site calendar holds tens of thousands of events.  Walking them all
 * on every edit -- each event's kept VEVENT, its zone, its part of the
 * fingerprint -- cost about half a microsecond an event, mostly cache
 * misses: 12 ms at 24 000 events for an edit that changed one.  So each
 * calendar has a memo of its last rendering: a compact array, in the
 * calendar's order, of what the next rendering needs of each event (its
 * fingerprint key, its VEVENT and its length, its zone and year,
 * whether it has an organizer), the chunks its VEVENTs were sent in and
 * its head.  The index (index.c) logs where events were inserted and
 * removed; replaying the log marks the inserted events fresh and their
 * chunks dirty, and a rendering reads only fresh events and re-chunks
 * only dirty chunks.  When the log is lost (a new subject, a reindex,
 * changed settings) every event is fresh: a rendering from scratch.
 *
 * VEVENTs travel in chunks of about CHUNK_EVENTS: compressing 24 000
 * pieces of 600 bytes one by one costs more in per-call set-up than in
 * compression, and compresses worse; and every rendering still walks a
 * calendar's chunks (stitching, the gzip trailer's CRC, the rope's
 * spans), about a microsecond each -- at 8 events a chunk, 2 ms for the
 * site calendar at 24 000 events, while compressing a 32-event chunk
 * again after an edit costs a tenth of that.  A chunk ends after an event
 * whose VEVENT hash says so (content-defined, as in rsync or restic), or at
 * CHUNK_BYTES or CHUNK_MAX events -- so where a chunk ends depends only
 * on the events since it began.  Re-chunking from the first dirty chunk
 * and taking the old chunks again wherever one starts where the new
 * chunking is, gives exactly the chunks a rendering from scratch gives:
 * the same pieces, gzip bytes and ETag on every replica, whatever each
 * one's history.  tests/unit/test_calendar.c checks this after random
 * edits.
 *
 * An event is in several calendars (the site's, its section's, its tags'
 * and categories', its own), so its VEVENT is serialised once for all of
 * them and kept in the calendar cache, keyed by its UID and a stamp of
 * everything its bytes depend on (its content, its page's, the state's
 * SEQUENCE and LAST-MODIFIED, the settings): events and pages do not
 * change once in the catalog, and a page parsed again finds its events'
 * VEVENTs as long as they are kept.  A memo holds a reference to each of
 * its events' VEVENTs, which is what it re-chunks from; the cache keeps
 * those that someone still holds (calendar_cache_prune), so it holds
 * what the calendars served show, and as many again.
 *
 * A chunk is a join of those VEVENTs (piece.h), not a copy: a copy per
 * calendar an event is in was most of what calendars cost (119 MiB of
 * 149 at 10 000 posts, bench/results-memory.md).  The site calendar,
 * which nearly every subscriber polls, has its gzip body made with it;
 * a section's, tag's or category's is compressed only when a client
 * asks for it (calendar_memo_on_request), its chunks alone -- so what
 * it costs until then is its memo and its joins, and compressing the
 * same events again for each of their calendars is no longer a seventh
 * of a start-up's CPU (perf, 10 000 posts).
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calendar.h"
#include "dict.h"
#include "document.h"
#include "ical_zones.h"
#include "piece.h"
#include "render.h"
#include "render_ical.h"
#include "stitch.h"
#include "u64map.h"
#include "util.h"

#define CHUNK_EVENTS	32
#define CHUNK_BYTES	(64 * 1024)
#define CHUNK_MAX	(4 * CHUNK_EVENTS)
#define KEYS_BATCH	256

/* What a rendering needs of one event, without touching the event. */
struct memo_event {
	uint64_t	 key;		/* event_key() */
	struct piece	*vevent;	/* its VEVENT, a reference */
	uint32_t	 len;		/* its VEVENT's length */
	int32_t		 year;		/* of its start, for its VTIMEZONE */
	int16_t		 zone;		/* in memo->zones; -1: in UTC */
	uint8_t		 organized;
	uint8_t		 fresh;		/* inserted since: only key is known */
};

struct memo_chunk {
	size_t		 first;		/* position of its first event */
	size_t		 n;		/* events; 0 once all were removed */
	int		 dirty;		/* events inserted or removed */
	uint64_t	 key;		/* its events' VEVENT hashes, hashed */
	struct piece	*piece;
};

struct memo_zone {
	char		*location;
	icaltimezone	*zone;
	/* The head's view of the events, summed as the memo is updated
	 * and its fresh events learnt: the first position using the zone
	 * (SIZE_MAX: none) and the earliest year it is used in. */
	size_t		 first;
	int32_t		 year;
};

struct memo_tzid {
	char		*tzid;
	int		 zone;		/* in memo->zones; -1: in UTC */
};

struct calendar_memo {
	uint64_t		 serial;
	uint64_t		 config;
	struct memo_event	*events;
	size_t			 n;
	struct memo_chunk	*chunks;	/* contiguous, in order */
	size_t			 nchunks;
	struct dict		 pieces;	/* chunk key -> piece */
	struct memo_zone	*zones;		/* every zone ever seen */
	size_t			 nzones;
	struct memo_tzid	*tzids;
	size_t			 ntzids;
	uint64_t		 head_key;
	struct piece		*head;		/* without END:VCALENDAR */
	int			 on_request;	/* calendar_memo_on_request */
	/* Where the fresh events are ([fresh_lo, fresh_hi)) and whether
	 * every event has an organizer: with the zones' first and year,
	 * what a rendering needs without walking every event again. */
	size_t			 fresh_lo, fresh_hi;
	int			 organized;
	uint64_t		 events_hash;	/* the last update's */
};

/*
 * What every calendar's rendering shares: the VTIMEZONEs (ical_zones.c)
 * and the VEVENTs, by UID and stamp (vevent_key).  The lock guards the
 * VEVENTs; it is never held while libical builds one.
 */
struct calendar_cache {
	struct ical_zones	*zones;
	pthread_mutex_t		 lock;
	struct u64map		 vevents;	/* vevent_key -> kept_vevent */
	size_t			 kept;		/* after the last prune */
	int			 pruned;	/* ever: kept is known */
};

struct kept_vevent {
	char		*uid;
	struct piece	*piece;
};

static void
free_kept(void *v)
{
	struct kept_vevent *k = v;

	piece_unref(k->piece);
	free(k->uid);
	free(k);
}

struct calendar_cache *
calendar_cache_new(void)
{
	struct calendar_cache *c = xcalloc(1, sizeof *c);

	if (pthread_mutex_init(&c->lock, NULL) != 0)
		abort();
	c->zones = ical_zones_new();
	u64map_init(&c->vevents);
	return c;
}

void
calendar_cache_free(struct calendar_cache *c)
{
	if (c == NULL)
		return;
	u64map_free(&c->vevents, free_kept);
	ical_zones_free(c->zones);
	pthread_mutex_destroy(&c->lock);
	free(c);
}

/*
 * Drops the VEVENTs no one but the cache holds -- no memo, no document --
 * once there are twice as many as after the last time (so the walk costs
 * a constant per VEVENT made).  Between renderings only: memos take their
 * references while rendering.
 */
void
calendar_cache_prune(struct calendar_cache *c)
{
	struct u64map keep;
	uint64_t key;
	size_t i;
	void *v;

	pthread_mutex_lock(&c->lock);
	if (!c->pruned) {
		c->pruned = 1;		/* the first rendering is all in use */
		c->kept = c->vevents.live;
	}
	if (c->vevents.live > 2 * c->kept + 64) {
		u64map_init(&keep);
		for (i = 0; u64map_next(&c->vevents, &i, &key, &v); ) {
			if (piece_refs(((struct kept_vevent *)v)->piece) > 1)
				u64map_put(&keep, key, v);
			else
				free_kept(v);
		}
		u64map_free(&c->vevents, NULL);
		c->vevents = keep;
		c->kept = keep.live;
	}
	pthread_mutex_unlock(&c->lock);
}

size_t
calendar_cache_vevents(struct calendar_cache *c)
{
	size_t n;

	pthread_mutex_lock(&c->lock);
	n = c->vevents.live;
	pthread_mutex_unlock(&c->lock);
	return n;
}

/*
 * Everything a VEVENT's bytes depend on: its event's content, its page's
 * (what a page shows is a function of its content and the settings, both
 * hashed here), the state's SEQUENCE and LAST-MODIFIED, and the settings
 * the writer shows.  With the UID, the key of the kept VEVENT.
 */
static uint64_t
vevent_key(uint64_t settings, const struct ical_event *ie)
{
	struct {
		uint64_t	settings;
		uint64_t	event;
		uint64_t	page;
		int64_t		start;
		int64_t		end;
		int64_t		last_modified;
		int64_t		sequence;
	} k;
	struct hasher h;

	memset(&k, 0, sizeof k);
	k.settings = settings;
	k.event = ie->event->hash;
	k.page = ie->page != NULL ? ie->page->content_hash : 0;
	k.start = (int64_t)ie->event->start_utc;
	k.end = (int64_t)ie->event->end_utc;
	k.last_modified = (int64_t)ie->last_modified;
	k.sequence = ie->sequence;
	hasher_init(&h);
	hasher_str(&h, ie->event->uid);
	hasher_bytes(&h, &k, sizeof k);
	return hasher_done(&h);
}

/* The kept VEVENT for key and uid, a new reference, or NULL. */
static struct piece *
kept_vevent(struct calendar_cache *c, uint64_t key, const char *uid)
{
	struct kept_vevent *k;
	struct piece *p = NULL;

	pthread_mutex_lock(&c->lock);
	if ((k = u64map_get(&c->vevents, key)) != NULL &&
	    strcmp(k->uid, uid) == 0)
		p = piece_ref(k->piece);
	pthread_mutex_unlock(&c->lock);
	return p;
}

static void
keep_vevent(struct calendar_cache *c, uint64_t key, const char *uid,
    struct piece *p)
{
	struct kept_vevent *k = xcalloc(1, sizeof *k), *old;

	k->uid = xstrdup(uid);
	k->piece = piece_ref(p);
	pthread_mutex_lock(&c->lock);
	old = u64map_put(&c->vevents, key, k);
	pthread_mutex_unlock(&c->lock);
	if (old != NULL)
		free_kept(old);
}

/* The VEVENT for ie, a new reference: the one kept, else built and kept. */
static struct piece *
vevent_piece(struct calendar_cache *cache, uint64_t settings,
    const struct config *cf, const struct ical_event *ie)
{
	const char *uid = ie->event->uid != NULL ? ie->event->uid : "";
	uint64_t key = vevent_key(settings, ie);
	struct piece *p;
	size_t len;
	char *text;

	if ((p = kept_vevent(cache, key, uid)) == NULL) {
		text = render_ical_vevent(cf, ie, &len);
		p = piece_new(text, len);
		keep_vevent(cache, key, uid, p);
	}
	return p;
}

struct calendar_memo *
calendar_memo_new(void)
{
	struct calendar_memo *m = xcalloc(1, sizeof *m);

	dict_init(&m->pieces);
	return m;
}

static void
unref_piece(void *p)
{
	piece_unref(p);
}

/* The memo's references to its events' VEVENTs. */
static void
drop_vevents(struct calendar_memo *m)
{
	size_t i;

	for (i = 0; i < m->n; i++) {
		piece_unref(m->events[i].vevent);
		m->events[i].vevent = NULL;
	}
}

static void
drop_chunks(struct calendar_memo *m)
{
	size_t i;

	for (i = 0; i < m->nchunks; i++)
		piece_unref(m->chunks[i].piece);
	free(m->chunks);
	m->chunks = NULL;
	m->nchunks = 0;
}

void
calendar_memo_free(struct calendar_memo *m)
{
	size_t i;

	if (m == NULL)
		return;
	drop_vevents(m);
	drop_chunks(m);
	dict_free(&m->pieces, unref_piece);
	for (i = 0; i < m->nzones; i++)
		free(m->zones[i].location);
	free(m->zones);
	for (i = 0; i < m->ntzids; i++)
		free(m->tzids[i].tzid);
	free(m->tzids);
	piece_unref(m->head);
	free(m->events);
	free(m);
}

uint64_t
calendar_memo_serial(const struct calendar_memo *m)
{
	return m->serial;
}

/* --- keeping up with the events array ------------------------------ */

/*
 * What an event shows in a calendar besides the settings: its content,
 * its page's (whose hash covers its path), its SEQUENCE and LAST-MODIFIED.
 */
static uint64_t
event_key(const struct ical_event *ie)
{
	uint64_t v[4];

	v[0] = ie->event->hash;
	v[1] = ie->page != NULL ? ie->page->content_hash : 0;
	v[2] = (uint64_t)ie->sequence;
	v[3] = (uint64_t)ie->last_modified;
	return hash64(v, sizeof v);
}

/* Every event fresh, no chunk: the next rendering starts from scratch
 * (finding its chunks' pieces again by their keys). */
static void
forget(struct calendar_memo *m, size_t n)
{
	size_t i;

	drop_vevents(m);
	drop_chunks(m);
	m->events = xreallocarray(m->events, n ? n : 1, sizeof *m->events);
	memset(m->events, 0, (n ? n : 1) * sizeof *m->events);
	for (i = 0; i < n; i++)
		m->events[i].fresh = 1;
	m->n = n;
}

/* The chunk holding position pos, or ending there (pos == m->n). */
static size_t
chunk_at(const struct calendar_memo *m, size_t pos)
{
	size_t lo = 0, hi = m->nchunks, mid;

	while (hi - lo > 1) {
		mid = lo + (hi - lo) / 2;
		if (m->chunks[mid].first <= pos)
			lo = mid;
		else
			hi = mid;
	}
	return lo;
}

/*
 * The events array after a log of changes is runs of the old array and
 * fresh events: the changes are applied to that list of runs, then the
 * array is copied once (a memmove per change moved the site calendar's
 * 768 KB several times per edit).
 */
struct run {
	size_t	first;		/* in the old array; unused when fresh */
	size_t	n;
	int	fresh;
};

struct runs {
	struct run	*v;
	size_t		 n;
	size_t		 len;	/* events in all runs */
};

/* Splits the run holding position pos so that one starts there; returns
 * its index (runs.n when pos is the end). */
static size_t
split_at(struct runs *r, size_t pos)
{
	size_t i, at = 0;

	for (i = 0; i < r->n && at + r->v[i].n <= pos; i++)
		at += r->v[i].n;
	if (i == r->n || at == pos)
		return i;
	r->v = xreallocarray(r->v, r->n + 1, sizeof *r->v);
	memmove(r->v + i + 1, r->v + i, (r->n - i) * sizeof *r->v);
	r->n++;
	r->v[i].n = pos - at;
	r->v[i + 1].n -= pos - at;
	if (!r->v[i + 1].fresh)
		r->v[i + 1].first += pos - at;
	return i + 1;
}

/* Applies one change to the runs and the chunks; -1 when it does not
 * fit (the log is wrong). */
static int
replay(struct calendar_memo *m, struct runs *r, const struct calendar_change *c)
{
	size_t pos = c->pos, k, i;

	if (c->inserted ? pos > r->len : pos >= r->len)
		return -1;
	i = split_at(r, pos);
	if (c->inserted) {
		r->v = xreallocarray(r->v, r->n + 1, sizeof *r->v);
		memmove(r->v + i + 1, r->v + i, (r->n - i) * sizeof *r->v);
		r->n++;
		r->v[i].first = 0;
		r->v[i].n = 1;
		r->v[i].fresh = 1;
		r->len++;
	} else {
		split_at(r, pos + 1);
		if (!r->v[i].fresh) {	/* an event the memo knew: gone */
			piece_unref(m->events[r->v[i].first].vevent);
			m->events[r->v[i].first].vevent = NULL;
		}
		memmove(r->v + i, r->v + i + 1, (r->n - i - 1) * sizeof *r->v);
		r->n--;
		r->len--;
	}
	if (m->nchunks == 0)
		return 0;
	k = chunk_at(m, pos);
	m->chunks[k].dirty = 1;
	if (c->inserted)
		m->chunks[k].n++;
	else
		m->chunks[k].n--;
	for (i = k + 1; i < m->nchunks; i++) {
		if (c->inserted)
			m->chunks[i].first++;
		else
			m->chunks[i].first--;
	}
	return 0;
}

/* Whether every event the runs keep stays where it was (an edit that
 * replaces a page's events by as many): the array is then changed in
 * place.  The slots no kept run covers are those of the removed events
 * (their pieces let go by replay), where the fresh ones go. */
static int
runs_in_place(const struct calendar_memo *m, const struct runs *r)
{
	size_t i, at = 0;

	if (r->len != m->n)
		return 0;
	for (i = 0; i < r->n; i++) {
		if (!r->v[i].fresh && r->v[i].first != at)
			return 0;
		at += r->v[i].n;
	}
	return 1;
}

/*
 * The events array the runs describe, in one copy -- or in place when
 * nothing moves: the site calendar at 10 000 posts holds 24 000 events,
 * and copying them into fresh memory at every edit was a quarter of its
 * rebuild, mostly page faults.
 */
static void
apply_runs(struct calendar_memo *m, const struct runs *r)
{
	struct memo_event *now;
	size_t i, at = 0;

	if (runs_in_place(m, r)) {
		for (i = 0; i < r->n; at += r->v[i++].n)
			if (r->v[i].fresh) {
				memset(m->events + at, 0, sizeof *m->events);
				m->events[at].fresh = 1;
			}
		return;
	}
	now = xreallocarray(NULL, r->len ? r->len : 1, sizeof *now);

	for (i = 0; i < r->n; i++) {
		if (r->v[i].fresh) {
			memset(now + at, 0, sizeof *now);
			now[at].fresh = 1;
		} else
			memcpy(now + at, m->events + r->v[i].first,
			    r->v[i].n * sizeof *now);
		at += r->v[i].n;
	}
	free(m->events);
	m->events = now;
	m->n = r->len;
}

/* Adds the event at pos to what the head shows. */
static void
sum_event(struct calendar_memo *m, const struct memo_event *e, size_t pos)
{
	struct memo_zone *z;

	m->organized &= e->organized;
	if (e->zone < 0)
		return;
	z = &m->zones[e->zone];
	if (z->first == SIZE_MAX) {
		z->first = pos;
		z->year = e->year;
	} else {
		if (pos < z->first)
			z->first = pos;
		if (e->year < z->year)
			z->year = e->year;
	}
}

uint64_t
calendar_memo_update(struct calendar_memo *m, uint64_t config, int known,
    const struct calendar_change *changes, size_t nchanges,
    const struct ical_event *evs, size_t n, uint64_t serial)
{
	uint64_t batch[KEYS_BATCH];
	struct runs r;
	struct hasher h;
	size_t i, nbatch;

	known = known && m->serial != 0 && m->config == config;
	if (known && nchanges == 0 && m->n == n) {
		/* Nothing inserted or removed since: the same keys, sums and
		 * fresh events (an edit of a post without events walked the
		 * site calendar's 238 000 for nothing). */
		m->serial = serial;
		return m->events_hash;
	}
	if (known && nchanges > 0) {
		r.v = xcalloc(1, sizeof *r.v);
		r.v[0].n = r.len = m->n;
		r.n = m->n > 0;
		for (i = 0; known && i < nchanges; i++)
			known = replay(m, &r, &changes[i]) == 0;
		if (known)
			apply_runs(m, &r);
		free(r.v);
	}
	if (!known || m->n != n)
		forget(m, n);
	m->config = config;
	m->serial = serial;
	/* Streamed: the hash of the keys in one array, without the array,
	 * KEYS_BATCH at a time (a streaming hash is the same however its
	 * bytes are split, and a call per key was half of the walk: 2.8 ms
	 * at 238 000 events); and, in the same walk, what the head shows
	 * of the events known (learn_fresh adds the fresh ones). */
	for (i = 0; i < m->nzones; i++)
		m->zones[i].first = SIZE_MAX;
	m->organized = 1;
	m->fresh_lo = n;
	m->fresh_hi = 0;
	hasher_init(&h);
	for (i = 0, nbatch = 0; i < n; i++) {
		struct memo_event *e = &m->events[i];

		if (e->fresh) {
			e->key = event_key(&evs[i]);
			if (m->fresh_lo == n)
				m->fresh_lo = i;
			m->fresh_hi = i + 1;
		} else
			sum_event(m, e, i);
		batch[nbatch++] = e->key;
		if (nbatch == KEYS_BATCH) {
			hasher_bytes(&h, batch, sizeof batch);
			nbatch = 0;
		}
	}
	hasher_bytes(&h, batch, nbatch * sizeof *batch);
	return m->events_hash = hasher_done(&h);
}

/* --- rendering ----------------------------------------------------- */

/* The memo's number for ev's zone, -1 when its times are in UTC. */
static int
zone_of(struct calendar_memo *m, const struct event *ev)
{
	const char *location = NULL;
	icaltimezone *zone;
	size_t i;
	int z = -1;

	if (ev->all_day || ev->tzid == NULL)
		return -1;
	/* Each tzid looked up once: libical searches its zones linearly. */
	for (i = 0; i < m->ntzids; i++)
		if (strcmp(m->tzids[i].tzid, ev->tzid) == 0)
			return m->tzids[i].zone;
	if ((zone = ical_zones_event(ev, &location)) != NULL) {
		for (i = 0; i < m->nzones; i++)
			if (strcmp(m->zones[i].location, location) == 0)
				break;
		if (i == m->nzones) {
			if (m->nzones == INT16_MAX)
				abort();	/* more zones than tzdata has */
			m->zones = xreallocarray(m->zones, m->nzones + 1,
			    sizeof *m->zones);
			m->zones[i].location = xstrdup(location);
			m->zones[i].zone = zone;
			m->zones[i].first = SIZE_MAX;
			m->zones[i].year = 0;
			m->nzones++;
		}
		z = (int)i;
	}
	m->tzids = xreallocarray(m->tzids, m->ntzids + 1, sizeof *m->tzids);
	m->tzids[m->ntzids].tzid = xstrdup(ev->tzid);
	m->tzids[m->ntzids++].zone = z;
	return z;
}

/* Fills in what a rendering needs of the fresh events. */
static void
learn_fresh(struct calendar_memo *m, struct calendar_cache *cache,
    uint64_t settings, const struct config *cf, const struct ical_event *evs)
{
	struct memo_event *e;
	struct piece *p;
	size_t i;

	for (i = m->fresh_lo; i < m->fresh_hi && i < m->n; i++) {
		if (!(e = &m->events[i])->fresh)
			continue;
		p = vevent_piece(cache, settings, cf, &evs[i]);
		if (p->len > UINT32_MAX)
			abort();	/* pages are far smaller */
		e->vevent = p;
		e->len = (uint32_t)p->len;
		e->zone = (int16_t)zone_of(m, evs[i].event);
		e->year = evs[i].event->start.year;
		e->organized = render_ical_organized(cf, evs[i].event) != 0;
		e->fresh = 0;
		sum_event(m, e, i);
	}
}

/* The head for these events, from the memo's: made again only when what
 * it shows changed. */
static struct piece *
head_piece(struct calendar_memo *m, struct calendar_cache *cache,
    const struct config *cf, const struct channel *ch)
{
	struct ical_zone_use *used = NULL;
	struct hasher h;
	size_t i, k, nused = 0, len, *first;
	int organized = m->organized;
	uint64_t key;
	char *text;

	/* The zones in the order the events first use them (a handful:
	 * inserted in order). */
	used = xreallocarray(NULL, m->nzones + 1, sizeof *used);
	first = xreallocarray(NULL, m->nzones + 1, sizeof *first);
	for (i = 0; i < m->nzones; i++) {
		if (m->zones[i].first == SIZE_MAX)
			continue;
		for (k = nused; k > 0 && first[k - 1] > m->zones[i].first; k--) {
			first[k] = first[k - 1];
			used[k] = used[k - 1];
		}
		first[k] = m->zones[i].first;
		used[k].location = m->zones[i].location;
		used[k].zone = m->zones[i].zone;
		used[k].year = m->zones[i].year;
		nused++;
	}
	free(first);
	hasher_init(&h);
	hasher_int(&h, (long long)m->config);
	hasher_str(&h, ch->title);
	hasher_str(&h, ch->description);
	hasher_str(&h, ch->self_url);
	hasher_str(&h, ch->alternate_url);
	hasher_int(&h, ch->color != NULL);
	hasher_str(&h, ch->color);
	hasher_int(&h, organized);
	hasher_int(&h, m->n == 0);	/* then the site zone's VTIMEZONE */
	hasher_str(&h, cf->timezone);
	for (i = 0; i < nused; i++) {
		hasher_str(&h, used[i].location);
		hasher_int(&h, used[i].year);
	}
	key = hasher_done(&h);
	if (m->head == NULL || m->head_key != key) {
		text = render_ical_head(cache->zones, cf, ch, organized,
		    m->n == 0, used, nused, &len);
		piece_unref(m->head);
		m->head = piece_new(text, len);
		m->head_key = key;
	}
	free(used);
	return m->head;
}

static int
chunk_ends(const struct memo_event *last, size_t bytes, size_t n)
{
	return (last->vevent->hash >> 20) % CHUNK_EVENTS == 0 ||
	    bytes >= CHUNK_BYTES || n == CHUNK_MAX;
}

static void
hex_key(char out[20], uint64_t key)
{
	snprintf(out, 20, "%016llx", (unsigned long long)key);
}

/* The piece for events [c->first, c->first + c->n): the one VEVENT, or
 * the join of them (found again by key when an earlier rendering made
 * it).  A join holds the VEVENTs the calendar cache keeps, no copy. */
static struct piece *
chunk_piece(struct calendar_memo *m, struct memo_chunk *c)
{
	const struct memo_event *e = m->events + c->first;
	struct piece *p, **parts;
	uint64_t *sums;
	char key[20];
	size_t i;

	if (c->n == 1)
		return piece_ref(e[0].vevent);
	sums = xreallocarray(NULL, c->n, sizeof *sums);
	for (i = 0; i < c->n; i++)
		sums[i] = e[i].vevent->hash;
	c->key = hash64(sums, c->n * sizeof *sums);
	free(sums);
	hex_key(key, c->key);
	if ((p = dict_get(&m->pieces, key)) != NULL)
		return piece_ref(p);
	parts = xreallocarray(NULL, c->n, sizeof *parts);
	for (i = 0; i < c->n; i++)
		parts[i] = e[i].vevent;
	p = piece_join(parts, c->n);
	free(parts);
	p->level = PIECE_LEVEL_FAST;
	p->alone = m->on_request;
	dict_set(&m->pieces, key, piece_ref(p));
	return p;
}

/* Keeps the key -> piece map to the chunks in use (and as many again). */
static void
prune_pieces(struct calendar_memo *m)
{
	char key[20];
	size_t i;

	if (m->pieces.live <= 2 * m->nchunks + 64)
		return;
	dict_free(&m->pieces, unref_piece);
	dict_init(&m->pieces);
	for (i = 0; i < m->nchunks; i++) {
		if (m->chunks[i].n < 2)
			continue;
		hex_key(key, m->chunks[i].key);
		if (dict_get(&m->pieces, key) == NULL)
			dict_set(&m->pieces, key,
			    piece_ref(m->chunks[i].piece));
	}
}

/*
 * The VEVENTs in chunks, into out: old chunks again where a clean one
 * starts where the chunking is, new ones elsewhere.
 */
static void
add_chunks(struct calendar_memo *m, struct stitch *out)
{
	struct memo_chunk *old = m->chunks, *now, c;
	size_t nold = m->nchunks, oc = 0, nnow = 0, pos = 0, bytes, i, cap;

	/* About as many as before: an array the size of the events was
	 * 11 MB at 238 000 of them, mapped and unmapped on every edit. */
	cap = nold + 16;
	now = xreallocarray(NULL, cap, sizeof *now);
	while (pos < m->n) {
		while (oc < nold && (old[oc].first < pos || old[oc].n == 0))
			oc++;
		if (oc < nold && old[oc].first == pos && !old[oc].dirty) {
			c = old[oc];
			old[oc++].piece = NULL;
		} else {
			memset(&c, 0, sizeof c);
			c.first = pos;
			bytes = 0;
			do
				bytes += m->events[pos++].len;
			while (pos < m->n && !chunk_ends(&m->events[pos - 1],
			    bytes, pos - c.first));
			c.n = pos - c.first;
			c.piece = chunk_piece(m, &c);
		}
		stitch_piece(out, c.piece);
		if (nnow == cap) {
			cap *= 2;
			now = xreallocarray(now, cap, sizeof *now);
		}
		now[nnow++] = c;
		pos = c.first + c.n;
	}
	for (i = 0; i < nold; i++)
		piece_unref(old[i].piece);
	free(old);
	m->chunks = now;
	m->nchunks = nnow;
	prune_pieces(m);
}

void
calendar_memo_on_request(struct calendar_memo *m, int on)
{
	m->on_request = on;
}

int
calendar_memo_is_on_request(const struct calendar_memo *m)
{
	return m->on_request;
}

void
calendar_render_pieces(struct calendar_cache *cache, const struct config *cf,
    const struct channel *ch, const struct ical_event *evs, size_t n,
    struct stitch *out, struct calendar_memo *memo)
{
	struct calendar_memo *own = NULL;
	uint64_t settings = render_ical_settings_key(cf);
	struct piece *head;

	if (memo == NULL) {
		memo = own = calendar_memo_new();
		calendar_memo_update(memo, 0, 0, NULL, 0, evs, n, 1);
	}
	if (memo->n != n) {
		fprintf(stderr, "crier: calendar memo out of step\n");
		abort();
	}
	learn_fresh(memo, cache, settings, cf, evs);
	head = head_piece(memo, cache, cf, ch);
	/* Alone, the head and the end are one piece, as they always were. */
	if (n == 0)
		stitch_text(out, head->text, head->len);
	else
		stitch_piece(out, head);
	add_chunks(memo, out);
	stitch_text(out, ICAL_END, strlen(ICAL_END));
	calendar_memo_free(own);
}

char *
calendar_render(struct calendar_cache *cache, const struct config *cf,
    const struct channel *ch, const struct ical_event *evs, size_t n,
    size_t *len)
{
	struct stitch st;
	size_t dummy;
	char *text;

	if (len == NULL)
		len = &dummy;
	if (cache == NULL)
		return render_ical_whole(cf, ch, evs, n, len);
	stitch_init(&st);
	calendar_render_pieces(cache, cf, ch, evs, n, &st, NULL);
	stitch_finish(&st);
	text = stitch_text_flat(&st, len);
	stitch_free(&st);
	return text;
}

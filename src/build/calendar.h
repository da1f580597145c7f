/*
 * calendar.h -- calendars rendered (calendar.c): the caches their
 * renderings share, each calendar's memo, and the renderers.
 */
#ifndef CRIER_CALENDAR_H
#define CRIER_CALENDAR_H

#include <stddef.h>
#include <stdint.h>

#include "render.h"

/*
 * What every calendar's rendering shares, thread-safe (calendar.c): the
 * VTIMEZONEs prepared (ical_zones.c) and each event's serialised VEVENT,
 * kept by UID and a stamp of everything its bytes depend on (the event's
 * and its page's content hashes, the state's SEQUENCE and LAST-MODIFIED,
 * the settings), so re-rendering a calendar serialises only the events
 * that changed.  calendar_cache_prune() drops those no calendar holds
 * any more; call it between renderings.  A test that edits an event or
 * page in place gives it a new hash, as parsing it again would.
 */
struct calendar_cache;
struct calendar_cache *calendar_cache_new(void);
void	 calendar_cache_free(struct calendar_cache *);
void	 calendar_cache_prune(struct calendar_cache *);
/* How many VEVENTs it keeps. */
size_t	 calendar_cache_vevents(struct calendar_cache *);

/*
 * What a calendar's rendering leaves for the next one (calendar.c): for
 * each event, what its VEVENT and zone are, and the chunks the VEVENTs
 * were sent in.  Told where events were inserted and removed since, the
 * next rendering looks at those events only.
 */
struct calendar_memo;

/* An insertion at, or removal from, position pos of a calendar's events
 * array, in the order they were made. */
struct calendar_change {
	uint32_t	pos;
	uint32_t	inserted;	/* else removed */
};

struct calendar_memo *calendar_memo_new(void);
/*
 * on: a calendar few clients poll (a section's, tag's or category's).
 * Its chunks are compressed alone -- one stream each, wherever they
 * stand -- and only once a client asks for its gzip body
 * (document_gzip_when_asked, catalog_jobs.c): until then it costs its
 * joins (piece.h) and nothing compressed.
 */
void	 calendar_memo_on_request(struct calendar_memo *, int on);
int	 calendar_memo_is_on_request(const struct calendar_memo *);
void	 calendar_memo_free(struct calendar_memo *);
/* Which update the memo last saw: a subject whose changes are relative
 * to it holds the same number (0: none). */
uint64_t calendar_memo_serial(const struct calendar_memo *);
/*
 * Brings the memo to evs[n].  changes: what happened to the array since
 * the memo last saw it, when known (else everything is looked at again).  config: a hash of the settings the rendering
 * depends on; when it differs, everything is looked at again too.
 * serial: a number never used before, calendar_memo_serial()'s from now.
 * Returns a hash of everything the events show in the calendar.
 */
uint64_t calendar_memo_update(struct calendar_memo *, uint64_t config,
	    int known, const struct calendar_change *changes, size_t nchanges,
	    const struct ical_event *evs, size_t n, uint64_t serial);

/*
 * The calendar as pieces (see piece.h): its head, then its VEVENTs in
 * chunks of a few, then END:VCALENDAR.  memo: brought to evs by
 * calendar_memo_update(); NULL to render from scratch.
 */
struct stitch;
void	 calendar_render_pieces(struct calendar_cache *, const struct config *,
	    const struct channel *, const struct ical_event *, size_t nevents,
	    struct stitch *, struct calendar_memo *);

/* The same as one text.  cache NULL: no cache, the whole VCALENDAR built
 * and serialised by libical at once (the reference the assembled output
 * is tested against). */
char	*calendar_render(struct calendar_cache *, const struct config *,
	    const struct channel *, const struct ical_event *, size_t nevents,
	    size_t *len);

#endif

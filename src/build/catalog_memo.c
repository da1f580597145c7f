/*
 * catalog_memo.c -- which calendars keep a memo, and each memo tied to
 * its subject's log of changes.
 *
 * A memo (calendar.c, render.h) lets a calendar's next rendering look
 * only at the events inserted or removed since the last one; the index
 * (index.c) logs those per subject.  This file owns the memos of the
 * calendars served (b->memos, by document path) and the serials that
 * tie the two together: a subject's log is relative to the memo whose
 * serial it holds, and a memo is brought up to date from the log only
 * when that serial is the memo's own (b->memo_serial gives each update
 * a number never used before).  Otherwise -- a new subject, a reindex, a
 * lost log -- every event is looked at again.
 *
 * calendar.c stays a function of events and changes; what a calendar is
 * (a document path) and where its changes come from (a subject) are the
 * catalog's, hence here.  An event's own calendar has no subject and a
 * small one little to save: neither keeps a memo.  The memo of a
 * calendar no longer served is dropped at the end of the rebuild, and
 * with it its hold on its events' VEVENTs in the calendar cache, which
 * is pruned then (between renderings, as it must be).
 */
#include <stdlib.h>
#include <string.h>

#include "calendar.h"
#include "catalog_build.h"
#include "render.h"

#define CALENDAR_MEMO_MIN 16	/* events: a smaller calendar keeps no memo */

void
catalog_memo_free(void *v)
{
	calendar_memo_free(v);
}

/* Memos of calendars no longer served. */
static int
memo_unused(const char *path, void *v, void *docs)
{
	(void)v;
	return docset_get(docs, path) == NULL;
}

/* Then the VEVENTs that neither a memo nor a document holds. */
void
catalog_memo_drop_unused(struct build *b)
{
	struct dict_keys gone;
	size_t i;

	dict_keys_where(b->memos, memo_unused, b->docs, &gone);
	for (i = 0; i < gone.n; i++)
		catalog_memo_free(dict_remove(b->memos, gone.keys[i]));
	dict_keys_free(&gone);
	calendar_cache_prune(b->calendar_cache);
}

/*
 * The memo (render.h) of the calendar at path, brought to its events;
 * *events_hash: of what they show.  NULL for a small calendar, or one
 * without a subject to log its changes (an event's own).
 */
struct calendar_memo *
catalog_memo_for(struct build *b, const char *path, struct subject *g,
    const struct ical_event *events, size_t n, uint64_t *events_hash)
{
	struct calendar_memo *m = dict_get(b->memos, path);
	int known;

	if (g == NULL || n <= CALENDAR_MEMO_MIN) {
		if (g != NULL)		/* a memo later starts afresh */
			index_changes_seen(g, 0);
		catalog_memo_free(dict_remove(b->memos, path));
		return NULL;
	}
	if (m == NULL) {
		m = calendar_memo_new();
		dict_set(b->memos, path, m);
	}
	/* The site calendar is what nearly every subscriber polls: its
	 * gzip body is made with it.  A section's, tag's or category's is
	 * compressed when a client asks (calendar.h): most are never. */
	calendar_memo_on_request(m, strcmp(g->kind, "site") != 0);
	known = g->memo_serial != 0 && !g->changes_lost &&
	    g->memo_serial == calendar_memo_serial(m);
	*events_hash = calendar_memo_update(m, b->config_hash, known,
	    g->changes, g->nchanges, events, n, ++*b->memo_serial);
	index_changes_seen(g, calendar_memo_serial(m));
	return m;
}

/*
 * event.c -- what every parser of events shares: the derived UID, the
 * content hash and freeing.
 *
 * page.c reads events from the front matter and written schedules, ics.c
 * from .ics files; both make the same struct event, so its few functions
 * live here, below both, and neither parser needs the other.
 */
#include <stdlib.h>
#include <string.h>

#define XXH_INLINE_ALL
#include <xxhash.h>

#include "event.h"
#include "util.h"

char *
event_uid(const struct config *cfg, const char *path, const char *key)
{
	XXH128_hash_t h;
	struct buf b;

	buf_init(&b);
	buf_addstr(&b, path);
	buf_addc(&b, '\0');
	buf_addstr(&b, key);
	h = XXH3_128bits(b.data, b.len);
	buf_free(&b);
	return xasprintf("%016llx%016llx@%s", (unsigned long long)h.high64,
	    (unsigned long long)h.low64, cfg->id_authority);
}

uint64_t
event_hash(const struct event *e)
{
	struct hasher h;
	size_t i;

	hasher_init(&h);
	hasher_str(&h, e->uid);
	hasher_str(&h, e->title);
	hasher_str(&h, e->description);
	hasher_str(&h, e->location);
	hasher_str(&h, e->url);
	hasher_str(&h, e->rrule);
	hasher_str(&h, e->tzid);
	hasher_str(&h, e->organizer);
	hasher_str(&h, e->image);
	hasher_str(&h, e->color);
	hasher_int(&h, (long long)e->nconferences);
	for (i = 0; i < e->nconferences; i++) {
		hasher_str(&h, e->conferences[i].uri);
		hasher_int(&h, e->conferences[i].feature != NULL);
		hasher_str(&h, e->conferences[i].feature);
		hasher_int(&h, e->conferences[i].label != NULL);
		hasher_str(&h, e->conferences[i].label);
	}
	hasher_bytes(&h, &e->start, sizeof e->start);
	hasher_bytes(&h, &e->end, sizeof e->end);
	hasher_int(&h, e->all_day);
	hasher_int(&h, e->cancelled);
	return hasher_done(&h);
}

void
event_add_conference(struct event *e, const char *uri, const char *feature,
    const char *label)
{
	struct event_conference *c;

	e->conferences = xreallocarray(e->conferences, e->nconferences + 1,
	    sizeof *e->conferences);
	c = &e->conferences[e->nconferences++];
	c->uri = xstrdup(uri);
	c->feature = feature != NULL ? xstrdup(feature) : NULL;
	c->label = label != NULL ? xstrdup(label) : NULL;
}

void
event_clear(struct event *e)
{
	size_t i;

	for (i = 0; i < e->nconferences; i++) {
		free(e->conferences[i].uri);
		free(e->conferences[i].feature);
		free(e->conferences[i].label);
	}
	free(e->conferences);
	free(e->image);
	free(e->color);
	free(e->uid);
	free(e->anchor);
	free(e->title);
	free(e->description);
	free(e->location);
	free(e->url);
	free(e->rrule);
	free(e->tzid);
	free(e->organizer);
	memset(e, 0, sizeof *e);
}

const char *
event_online(const struct event *e)
{
	return e->nconferences > 0 ? e->conferences[0].uri : NULL;
}

/*
 * test_calendar.c -- calendars re-rendered from their memo (calendar.c)
 * after pages come, go and change, as the index logs them: the text and
 * the very pieces (so the gzip body and the ETag) must be those of a
 * rendering from scratch, whatever the history.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

#include "bodycache.h"
#include "calendar.h"
#include "document.h"
#include "fixture.h"
#include "site_fixture.h"

#include "hash.h"
#include "index.h"
#include "page.h"
#include "piece.h"
#include "render.h"
#include "stitch.h"
#include "util.h"

#define SLOTS	160		/* page paths the edits draw from */

static const char *zones_used[] = {
	"Europe/Berlin", "America/New_York", "Asia/Tokyo", "UTC"
};

/* A small deterministic generator, so a failure can be replayed. */
static unsigned long
next_random(unsigned long *seed)
{
	*seed = *seed * 6364136223846793005UL + 1442695040888963407UL;
	return *seed >> 33;
}

/* Page number slot, version v: up to four events, all over the years. */
static struct page *
make_page(int slot, unsigned long *seed)
{
	struct buf t;
	struct page *p;
	char path[64];
	int i, nevents = (int)(next_random(seed) % 5);

	buf_init(&t);
	buf_printf(&t, "---\ntitle: Post %d v%lu\ndate: 2025-%02d-10\n"
	    "tags: [t%lu]\ntimezone: %s\n", slot, next_random(seed) % 1000,
	    1 + slot % 12, next_random(seed) % 3,
	    zones_used[next_random(seed) % nitems(zones_used)]);
	if (nevents > 0)
		buf_addstr(&t, "events:\n");
	for (i = 0; i < nevents; i++) {
		int year = 2019 + (int)(next_random(seed) % 9);
		int month = 1 + (int)(next_random(seed) % 12);
		int day = 1 + (int)(next_random(seed) % 28);

		buf_printf(&t, "  - title: \"Event %d.%d %lu\"\n"
		    "    start: \"%d-%02d-%02dT18:00\"\n"
		    "    end: \"%d-%02d-%02dT20:00\"\n"
		    "    location: \"Room %lu\"\n", slot, i,
		    next_random(seed) % 100, year, month, day, year, month,
		    day, next_random(seed) % 9);
	}
	buf_addstr(&t, "---\nBody.\n");
	snprintf(path, sizeof path, "talks/p%03d.md", slot);
	p = page_parse(&cfg, path, t.data, t.len);
	buf_free(&t);
	assert_true(p->ok);
	return p;
}

/* The calendar's pieces: from scratch, or from the memo. */
static void
render(struct calendar_cache *z, const struct subject *g, struct calendar_memo *m,
    struct stitch *st)
{
	struct channel ch;

	memset(&ch, 0, sizeof ch);
	ch.title = "Talks";
	ch.self_url = "https://meet.example.org/calendar.ics";
	stitch_init(st);
	calendar_render_pieces(z, &cfg, &ch, g->events, g->nevents, st, m);
	stitch_finish(st);
}

/* Same pieces: lengths, hashes, CRCs and texts (a join's gathered,
 * and hashed again: its hash must be the one its text has). */
static void
assert_same_pieces(struct stitch *a, struct stitch *b)
{
	struct buf ta, tb;
	size_t i;

	assert_int_equal(a->n, b->n);
	assert_int_equal(a->len, b->len);
	for (i = 0; i < a->n; i++) {
		assert_int_equal(a->pieces[i]->len, b->pieces[i]->len);
		assert_true(a->pieces[i]->hash == b->pieces[i]->hash);
		buf_init(&ta);
		buf_init(&tb);
		piece_text_into(a->pieces[i], 0, &ta);
		piece_text_into(b->pieces[i], 0, &tb);
		assert_int_equal(ta.len, a->pieces[i]->len);
		assert_memory_equal(ta.data, tb.data, ta.len);
		assert_true((hash64(ta.data, ta.len) | 1) ==
		    a->pieces[i]->hash);
		assert_true(crc32(0, (const Bytef *)ta.data, (uInt)ta.len) ==
		    a->pieces[i]->crc);
		buf_free(&ta);
		buf_free(&tb);
	}
}

/* Brings the memo to the subject's events, as the catalog does. */
static uint64_t
update(struct calendar_memo *m, struct subject *g, uint64_t *serial)
{
	int known = g->memo_serial != 0 && !g->changes_lost &&
	    g->memo_serial == calendar_memo_serial(m);
	uint64_t h = calendar_memo_update(m, 1, known, g->changes,
	    g->nchanges, g->events, g->nevents, ++*serial);

	index_changes_seen(g, *serial);
	return h;
}

/* What an edits test leaves: the index, the pages live and replaced,
 * the memo and the cache. */
static void
free_edited(struct site_index *ix, struct page **pages, struct page **old,
    size_t nold, struct calendar_memo *m, struct calendar_cache *z)
{
	size_t i;

	index_free(ix);
	for (i = 0; i < SLOTS; i++)
		if (pages[i] != NULL)
			page_free(pages[i]);
	for (i = 0; i < nold; i++)
		page_free(old[i]);
	calendar_memo_free(m);
	calendar_cache_free(z);
}

/*
 * Random edits, a few per round, one rendering per round: each must
 * equal a rendering from scratch, piece for piece.
 */
static void
edits_match_scratch(void **state)
{
	struct page *pages[SLOTS] = { NULL }, *old[SLOTS * 8];
	struct calendar_memo *m = calendar_memo_new();
	struct calendar_cache *z = calendar_cache_new();
	struct site_index ix;
	struct stitch a, b;
	unsigned long seed = 20261125;
	uint64_t serial = 0, h, h_again;
	size_t nold = 0, pieces_seen = 0;
	int round, k, slot;

	(void)state;
	index_init(&ix, 0);
	for (slot = 0; slot < SLOTS; slot++) {
		pages[slot] = make_page(slot, &seed);
		index_add(&ix, pages[slot], NULL, 0);
	}
	for (round = 0; round < 60; round++) {
		int edits = 1 + (int)(next_random(&seed) % 4);

		for (k = 0; k < edits; k++) {
			slot = (int)(next_random(&seed) % SLOTS);
			if (pages[slot] != NULL) {
				index_remove(&ix, pages[slot]);
				/* Freed only at the end: a freed page's
				 * address must not come back as another's. */
				old[nold++] = pages[slot];
				pages[slot] = NULL;
			}
			if (next_random(&seed) % 4 != 0) {
				pages[slot] = make_page(slot, &seed);
				index_add(&ix, pages[slot], NULL, 0);
			}
		}
		h = update(m, &ix.site, &serial);
		render(z, &ix.site, m, &a);
		render(z, &ix.site, NULL, &b);
		assert_same_pieces(&a, &b);
		pieces_seen += a.n;
		stitch_free(&a);
		stitch_free(&b);
		/* Nothing changed: the same hash, and still the same pieces. */
		h_again = update(m, &ix.site, &serial);
		assert_true(h == h_again);
		if (round % 10 == 0) {
			render(z, &ix.site, m, &a);
			render(z, &ix.site, NULL, &b);
			assert_same_pieces(&a, &b);
			stitch_free(&a);
			stitch_free(&b);
		}
		assert_true(nold + SLOTS <= nitems(old));
	}
	/* Enough events for many chunks, or the test proves little. */
	assert_true(ix.site.nevents > 200);
	assert_true(pieces_seen > 60 * 8);
	free_edited(&ix, pages, old, nold, m, z);
}

/* The identity bytes of d: its spans, or what the body cache inflates. */
static char *
identity_of(struct document *d, size_t *len)
{
	struct held_body *h = document_identity(d);
	struct buf b;
	size_t i;

	buf_init(&b);
	if (h != NULL) {
		buf_add(&b, h->data, h->len);
		held_body_unref(h);
	} else
		for (i = 0; i < d->nspans; i++)
			buf_add(&b, d->spans[i].data, d->spans[i].len);
	*len = b.len;
	return buf_steal(&b);
}

/* What d's gzip body inflates to, which must be its identity bytes. */
static void
assert_gzip_gives(struct document *d, const char *text, size_t len)
{
	z_stream z;
	char *out = malloc(len + 1);
	size_t i;
	int rc = Z_OK;

	assert_non_null(document_gzip_asked(d));
	memset(&z, 0, sizeof z);
	assert_int_equal(inflateInit2(&z, 16 + MAX_WBITS), Z_OK);
	z.next_out = (Bytef *)out;
	z.avail_out = (uInt)len + 1;
	for (i = 0; i < d->ngzspans && rc == Z_OK; i++) {
		z.next_in = (Bytef *)(uintptr_t)d->gzspans[i].data;
		z.avail_in = (uInt)d->gzspans[i].len;
		rc = inflate(&z, Z_NO_FLUSH);
	}
	assert_int_equal(rc, Z_STREAM_END);
	assert_int_equal(z.total_out, len);
	assert_memory_equal(out, text, len);
	assert_int_equal(inflateEnd(&z), Z_OK);
	free(out);
}

/* The memo's document (a calendar compressed on request) against one
 * rendered from scratch: same ETag, length and bytes, and gzip bodies
 * that give those bytes back. */
static void
assert_same_document(struct calendar_cache *z, struct subject *g,
    struct calendar_memo *m, struct bodycache *bc, int want_joins)
{
	struct document *da, *db;
	struct stitch a, b;
	char *ta, *tb;
	size_t la, lb;

	render(z, g, m, &a);
	render(z, g, NULL, &b);
	da = document_from_stitch_plain("/tags/t/calendar.ics",
	    "text/calendar", &a, 0, 0, ROPE_MIN);
	document_gzip_when_asked(da, bc);
	document_use_cache(da, bc);
	db = document_from_stitch("/tags/t/calendar.ics", "text/calendar",
	    &b, 0, 0, ROPE_MIN);
	document_use_cache(db, bc);
	assert_int_equal(da->textless, want_joins);
	assert_int_equal(db->textless, want_joins);
	/* Nothing compressed until asked. */
	assert_null(document_gz(da));
	assert_string_equal(da->etag, db->etag);
	assert_int_equal(da->len, db->len);
	ta = identity_of(da, &la);
	tb = identity_of(db, &lb);
	assert_int_equal(la, lb);
	assert_memory_equal(ta, tb, la);
	assert_gzip_gives(da, ta, la);
	assert_gzip_gives(db, tb, lb);
	free(ta);
	free(tb);
	document_unref(da);
	document_unref(db);
}

/*
 * A memo compressed on request (a tag's calendar), its chunks joins of
 * the cache's VEVENTs, gives the documents a rendering from scratch
 * gives, through random edits and down to a calendar small enough to be
 * copied flat.
 */
static void
on_request_same_documents(void **state)
{
	struct page *pages[SLOTS] = { NULL }, *old[SLOTS * 8];
	struct calendar_memo *m = calendar_memo_new();
	struct calendar_cache *z = calendar_cache_new();
	struct bodycache *bc = bodycache_new(64 * 1024);
	struct site_index ix;
	unsigned long seed = 20261203;
	uint64_t serial = 0;
	size_t nold = 0;
	int round, k, slot;

	(void)state;
	calendar_memo_on_request(m, 1);
	index_init(&ix, 0);
	for (slot = 0; slot < SLOTS; slot++) {
		pages[slot] = make_page(slot, &seed);
		index_add(&ix, pages[slot], NULL, 0);
	}
	for (round = 0; round < 30; round++) {
		for (k = 0; k < 3; k++) {
			slot = (int)(next_random(&seed) % SLOTS);
			if (pages[slot] != NULL) {
				index_remove(&ix, pages[slot]);
				old[nold++] = pages[slot];
				pages[slot] = NULL;
			}
			pages[slot] = make_page(slot, &seed);
			index_add(&ix, pages[slot], NULL, 0);
		}
		update(m, &ix.site, &serial);
		assert_same_document(z, &ix.site, m, bc, 1);
	}
	/* Down to a few events: a flat copy, from texts made again. */
	for (slot = 0; slot < SLOTS && ix.site.nevents > 12; slot++)
		if (pages[slot] != NULL) {
			index_remove(&ix, pages[slot]);
			old[nold++] = pages[slot];
			pages[slot] = NULL;
		}
	update(m, &ix.site, &serial);
	assert_same_document(z, &ix.site, m, bc, 0);
	free_edited(&ix, pages, old, nold, m, z);
	bodycache_unref(bc);
}

/* A log the memo cannot follow (lost, or from another memo) means a
 * rendering from scratch, not a wrong one. */
static void
unknown_history_starts_afresh(void **state)
{
	struct page *pages[SLOTS];
	struct calendar_memo *m = calendar_memo_new();
	struct calendar_cache *z = calendar_cache_new();
	struct site_index ix;
	struct stitch a, b;
	unsigned long seed = 7;
	uint64_t serial = 0;
	int slot;

	(void)state;
	index_init(&ix, 0);
	for (slot = 0; slot < SLOTS; slot++) {
		pages[slot] = make_page(slot, &seed);
		index_add(&ix, pages[slot], NULL, 0);
	}
	update(m, &ix.site, &serial);
	render(z, &ix.site, m, &a);
	stitch_free(&a);
	/* Changes the memo never hears of: the subject claims another. */
	index_remove(&ix, pages[3]);
	ix.site.memo_serial = 999;
	update(m, &ix.site, &serial);
	render(z, &ix.site, m, &a);
	render(z, &ix.site, NULL, &b);
	assert_same_pieces(&a, &b);
	stitch_free(&a);
	stitch_free(&b);
	index_free(&ix);
	for (slot = 0; slot < SLOTS; slot++)
		page_free(pages[slot]);
	calendar_memo_free(m);
	calendar_cache_free(z);
}

/*
 * The calendar cache keeps the VEVENTs someone holds -- a memo here --
 * and drops the others once it holds twice as many as after the last
 * prune (the first only counts them).
 */
static void
cache_keeps_what_memos_hold(void **state)
{
	struct page *pages[SLOTS];
	struct calendar_memo *m = calendar_memo_new();
	struct calendar_cache *z = calendar_cache_new();
	struct site_index ix, other;
	struct stitch a, b;
	unsigned long seed = 11;
	uint64_t serial = 0;
	size_t held;
	int slot;

	(void)state;
	index_init(&ix, 0);
	index_init(&other, 0);
	for (slot = 0; slot < SLOTS; slot++) {
		pages[slot] = make_page(slot, &seed);
		index_add(slot < SLOTS / 4 ? &ix : &other, pages[slot], NULL,
		    0);
	}
	update(m, &ix.site, &serial);
	render(z, &ix.site, m, &a);
	stitch_free(&a);
	held = ix.site.nevents;
	calendar_cache_prune(z);
	assert_int_equal(calendar_cache_vevents(z), held);
	/* Rendered without a memo: nothing holds those VEVENTs after. */
	render(z, &other.site, NULL, &a);
	stitch_free(&a);
	assert_true(calendar_cache_vevents(z) > 2 * held + 64);
	calendar_cache_prune(z);
	assert_int_equal(calendar_cache_vevents(z), held);
	/* What the memo holds is what it renders from. */
	update(m, &ix.site, &serial);
	render(z, &ix.site, m, &a);
	render(z, &ix.site, NULL, &b);
	assert_same_pieces(&a, &b);
	stitch_free(&a);
	stitch_free(&b);
	index_free(&ix);
	index_free(&other);
	for (slot = 0; slot < SLOTS; slot++)
		page_free(pages[slot]);
	calendar_memo_free(m);
	calendar_cache_free(z);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(edits_match_scratch),
		cmocka_unit_test(on_request_same_documents),
		cmocka_unit_test(unknown_history_starts_afresh),
		cmocka_unit_test(cache_keeps_what_memos_hold),
	};

	return cmocka_run_group_tests(tests, setup_config, teardown_config);
}

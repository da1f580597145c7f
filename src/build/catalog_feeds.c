/*
 * catalog_feeds.c -- the Atom, RSS and JSON feeds of a rebuild, stitched
 * from entries written once and kept in their pages' slots.
 *
 * The same entry is in the site feed, its section's, its tags' and its
 * categories': so each page's slot keeps, per feed format, its entry as a
 * piece (piece.h) with the key it was written under (catalog.h's struct
 * feed_entries), and a feed is a head, those pieces and a tail -- byte
 * for byte the document one writer's pass gives (render_feed; JSON's
 * first entry joins the head, render.h).  Pages never change once
 * parsed (an edit makes a new page, and the slot drops the entries of
 * the one before), so a piece stays valid while the key -- what the page
 * does not hold: the state's id and dates, the settings -- stays.
 *
 * Entries are written on the rebuilding thread, or before the feeds on
 * every core when a rebuild lacks many (catalog_feeds_write_entries);
 * compressing and joining a feed is a job (catalog_jobs.c).
 * catalog_filter.c renders filtered feeds with the same pieces.
 */
#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "catalog_build.h"
#include "log.h"
#include "page.h"
#include "parallel.h"
#include "render.h"

/* The feed formats: same input, same channel, different writer. */
static const struct feed_format {
	const char		*name;
	enum urls_doc		 doc;
	const char		*type;
	const struct feed_writer *writer;
} feed_formats[] = {
	{ "atom", URLS_ATOM, TYPE_ATOM, &atom_writer },
	{ "rss", URLS_RSS, TYPE_RSS, &rss_writer },
	{ "json", URLS_JSON, TYPE_JSONFEED, &jsonfeed_writer },
};
static_assert(sizeof feed_formats / sizeof feed_formats[0] ==
    FEED_FORMATS, "a piece per page and feed format");

const struct feed_format *
catalog_feeds_format(enum urls_doc doc)
{
	const struct feed_format *f;

	for (f = feed_formats; f < feed_formats + nitems(feed_formats); f++)
		if (f->doc == doc)
			return f;
	return NULL;
}

/*
 * An entry as a feed of format f shows it, written and compressed once
 * for all the feeds it is in and kept in the page's slot.  The key covers
 * what the page itself does not: the state's id and dates, the settings,
 * and its translations' languages and permalinks (an Atom entry links
 * them, so a translation added, moved or removed writes it again).
 * Slots change only under the catalog's lock, like everything here.
 */
static uint64_t
entry_key(const struct build *b, const struct page *p)
{
	struct hasher h;

	hasher_init(&h);
	hasher_int(&h, (long long)b->config_hash);
	hasher_str(&h, p->id);
	hasher_int(&h, (long long)p->published);
	hasher_int(&h, (long long)p->updated);
	hasher_int(&h, (long long)index_translations_hash(b->index, p));
	return hasher_done(&h);
}

/* Of what the pages' translations add to an Atom feed's entries (the
 * other formats show none): 0 when none has any, so the fingerprints of
 * other feeds stay as they were. */
static uint64_t
translations_hash(const struct build *b, struct page *const *pages,
    size_t n)
{
	struct hasher h;
	uint64_t t;
	size_t i;
	int any = 0;

	hasher_init(&h);
	for (i = 0; i < n; i++) {
		t = index_translations_hash(b->index, pages[i]);
		any |= t != 0;
		hasher_int(&h, (long long)t);
	}
	t = hasher_done(&h);
	return any ? t : 0;
}

void
catalog_feeds_forget(struct feed_entries *fe)
{
	size_t k;

	for (k = 0; k < FEED_FORMATS; k++) {
		piece_unref(fe->pieces[k]);
		fe->pieces[k] = NULL;
		fe->sum_hashes[k] = 0;
	}
}

/* Whether archive pages are rendered when asked, their entries kept
 * only as sums: unless an output folder is written from every one. */
static int
archives_on_request(const struct build *b)
{
	return b->cfg->output_dir[0] == '\0' && b->bodies != NULL;
}

/* Where the entries of p, an indexed page, are kept: its slot's.  NULL
 * for a page no slot serves (none is indexed): its entries are not kept. */
static struct feed_entries *
kept_entries(struct build *b, const struct page *p)
{
	struct slot *s = dict_get(b->slots, p->path);

	return s != NULL && s->good == p ? &s->entries : NULL;
}

/* Whether fe holds p's entries under key in every format: their texts,
 * or (unless text) at least their sums. */
static int
entries_current(const struct feed_entries *fe, uint64_t key, int text)
{
	size_t k;

	for (k = 0; k < FEED_FORMATS; k++)
		if ((fe->pieces[k] == NULL || fe->keys[k] != key) && (text ||
		    fe->sum_hashes[k] == 0 || fe->sum_keys[k] != key))
			return 0;
	return 1;
}

static struct piece *
entry_piece(struct build *b, const struct feed_format *f,
    const struct page *p, struct feed_entries *fe)
{
	size_t k = (size_t)(f - feed_formats);
	uint64_t key = entry_key(b, p);
	struct page **tr;
	size_t len, ntr;
	char *text;

	if (fe != NULL && fe->pieces[k] != NULL && fe->keys[k] == key)
		return piece_ref(fe->pieces[k]);
	ntr = index_translations(b->index, p, &tr);
	text = f->writer->entry(p, tr, ntr, &len);
	free(tr);
	if (text == NULL)
		return NULL;
	if (fe == NULL)
		return piece_new(text, len);
	piece_unref(fe->pieces[k]);
	fe->pieces[k] = piece_new(text, len);
	fe->keys[k] = key;
	return piece_ref(fe->pieces[k]);
}

/*
 * The hash and length of p's entry in format f, for an archive page
 * rendered when asked: its kept piece's, its kept sum's, or written now
 * only to be hashed -- an archived entry's text is not kept (at 10 000
 * posts the three formats' texts of every post were 170 MiB).  -1 when
 * the writer failed.
 */
static int
entry_sum(struct build *b, const struct feed_format *f, const struct page *p,
    struct feed_entries *fe, uint64_t key, uint64_t *hash, size_t *len)
{
	size_t k = (size_t)(f - feed_formats), ntr;
	struct page **tr;
	char *text;

	if (fe != NULL && fe->pieces[k] != NULL && fe->keys[k] == key) {
		*hash = fe->pieces[k]->hash;
		*len = fe->pieces[k]->len;
		return 0;
	}
	if (fe != NULL && fe->sum_hashes[k] != 0 && fe->sum_keys[k] == key) {
		*hash = fe->sum_hashes[k];
		*len = fe->sum_lens[k];
		return 0;
	}
	ntr = index_translations(b->index, p, &tr);
	text = f->writer->entry(p, tr, ntr, len);
	free(tr);
	if (text == NULL)
		return -1;
	*hash = piece_hash_of(text, *len);
	free(text);
	if (fe != NULL) {
		fe->sum_hashes[k] = *hash;
		fe->sum_lens[k] = *len;
		fe->sum_keys[k] = key;
	}
	return 0;
}

/*
 * The entries the feeds of this rebuild will show and lack, written
 * before the feeds on every core (each slot's by one thread: its pieces
 * are its own).  At start-up, after a reload or a reindex that is most
 * feed entries, otherwise written one after another by feed_stitch; after
 * an edit, the few it needs are left to it (looking for them cost more).
 */
#define ENTRIES_PARALLEL_MIN	32

struct entry_task {
	const struct page	*page;
	struct feed_entries	*entries;
	int			 text;	/* a feed shows it: not only its sum */
};

struct entry_batch {
	struct build		*b;
	struct entry_task	*tasks;
	size_t			 n;
};

static void
entries_of(struct build *b, const struct subject *g, struct entry_batch *eb)
{
	/* With archives, every post is in one of the subject's documents;
	 * those its feeds show are kept whole. */
	size_t shown = g->npages < (size_t)b->cfg->feed_entries ?
	    g->npages : (size_t)b->cfg->feed_entries;
	size_t i, n = b->cfg->archive_entries > 0 ? g->npages : shown;
	struct feed_entries *fe;
	int text;

	if (!g->dirty)
		return;
	for (i = 0; i < n; i++) {
		text = i < shown || !archives_on_request(b);
		if ((fe = kept_entries(b, g->pages[i])) == NULL ||
		    entries_current(fe, entry_key(b, g->pages[i]), text))
			continue;
		eb->tasks = xreallocarray(eb->tasks, eb->n + 1,
		    sizeof *eb->tasks);
		eb->tasks[eb->n].page = g->pages[i];
		eb->tasks[eb->n].text = text;
		eb->tasks[eb->n++].entries = fe;
	}
}

static int
by_address(const void *a, const void *b)
{
	uintptr_t x = (uintptr_t)((const struct entry_task *)a)->entries;
	uintptr_t y = (uintptr_t)((const struct entry_task *)b)->entries;

	return x < y ? -1 : x > y;
}

static void
entry_task(size_t i, void *arg)
{
	struct entry_batch *eb = arg;
	const struct entry_task *t = &eb->tasks[i];
	const struct feed_format *f;
	uint64_t hash, key = entry_key(eb->b, t->page);
	size_t len;

	for (f = feed_formats; f < feed_formats + nitems(feed_formats); f++)
		if (t->text)
			piece_unref(entry_piece(eb->b, f, t->page, t->entries));
		else
			(void)entry_sum(eb->b, f, t->page, t->entries, key,
			    &hash, &len); /* a failure shows at its page */
}

void
catalog_feeds_write_entries(struct build *b)
{
	struct site_index *ix = b->index;
	struct entry_batch eb = { b, NULL, 0 };
	size_t i, k, t;
	void *v;

	entries_of(b, &ix->site, &eb);
	for (t = 0; t < INDEX_TABLES; t++)
		for (i = 0; dict_next(index_table(ix, t), &i, NULL, &v); )
			entries_of(b, v, &eb);
	if (eb.n >= ENTRIES_PARALLEL_MIN) {
		/* A page is in several feeds: once each. */
		qsort(eb.tasks, eb.n, sizeof *eb.tasks, by_address);
		for (i = k = 0; i < eb.n; i++)
			if (k == 0 || eb.tasks[i].entries !=
			    eb.tasks[k - 1].entries)
				eb.tasks[k++] = eb.tasks[i];
			else
				eb.tasks[k - 1].text |= eb.tasks[i].text;
		eb.n = k;
		parallel_for(eb.n, b->threads, entry_task, &eb);
	}
	free(eb.tasks);
}

/*
 * The pieces of the feed of format f in st: written here, on the
 * rebuilding thread (entries are kept in slots); compressed and joined
 * by document_from_stitch, on any thread.  -1 (logged) when a writer
 * failed.
 */
static int
feed_stitch(struct build *b, const struct feed_format *f,
    const struct channel *ch, struct page *const *pages, size_t n,
    struct stitch *st)
{
	struct piece *pc;
	size_t i, len;
	char *head;

	if ((head = f->writer->head(b->cfg, ch, pages, n, &len)) == NULL)
		return -1;
	stitch_init(st);
	stitch_text(st, head, len);
	free(head);
	for (i = 0; i < n; i++) {
		if ((pc = entry_piece(b, f, pages[i],
		    kept_entries(b, pages[i]))) == NULL ||
		    pc->len < f->writer->separator_len) {
			piece_unref(pc);
			stitch_free(st);
			return -1;
		}
		/* The first entry goes without its separator: the rest of
		 * its text joins the head (render.h). */
		if (i == 0 && f->writer->separator_len > 0)
			stitch_text(st, pc->text + f->writer->separator_len,
			    pc->len - f->writer->separator_len);
		else
			stitch_piece(st, pc);
		piece_unref(pc);
	}
	stitch_text(st, f->writer->tail, strlen(f->writer->tail));
	return 0;
}

/* The feed of format f, or NULL (logged) when a writer failed. */
struct document *
catalog_feeds_document(struct build *b, const struct feed_format *f,
    const struct channel *ch, struct page *const *pages, size_t n,
    const char *path, uint64_t fp)
{
	struct stitch st;

	if (feed_stitch(b, f, ch, pages, n, &st) == -1)
		return NULL;
	return document_from_stitch(path, f->type, &st,
	    page_newest(pages, n), fp, ROPE_MIN);
}

/*
 * Feed history (RFC 5005 section 4).  A subject's posts that its
 * subscription feed no longer shows are archived in pages of
 * archive_entries, counted from the oldest: page 1 holds the oldest
 * posts, and a page is full once the next one exists.  So a full page's
 * entries never change as posts are published (only an edit of one of
 * its posts, or a post removed or dated into the past before it, moves
 * them), and it is served as immutable; the newest page is the one that
 * fills.  Entries are the pieces kept in the slots, as in the feeds.
 */
static size_t
archived(const struct config *cfg, const struct subject *g)
{
	size_t shown = (size_t)cfg->feed_entries;

	if (cfg->archive_entries == 0 || g->npages <= shown)
		return 0;
	return g->npages - shown;
}

static size_t
archive_pages(const struct config *cfg, size_t narchived)
{
	size_t per = (size_t)cfg->archive_entries;

	return per == 0 ? 0 : (narchived + per - 1) / per;
}

static char *
archive_url(const struct build *b, const struct subject *g,
    const struct feed_format *f, size_t k)
{
	struct buf path;
	char *url;

	buf_init(&path);
	urls_archive_doc(&path, g->prefix, f->doc, k);
	url = xasprintf("%s%s", b->cfg->base_url, path.data);
	buf_free(&path);
	return url;
}

/* Of everything a feed of format f shows. */
static uint64_t
feed_fingerprint(const struct build *b, const struct feed_format *f,
    const struct channel *ch, struct page *const *pages, size_t n)
{
	return catalog_build_fingerprint(f->name, ch, pages, n, NULL, 0,
	    b->config_hash ^ (f->doc == URLS_ATOM ?
	    translations_hash(b, pages, n) : 0));
}

/* The feed of format f at path, queued unless its fingerprint is the
 * current document's. */
static void
feed_doc(struct build *b, const struct feed_format *f,
    const struct channel *ch, struct page *const *pages, size_t n,
    const char *path, int immutable, int archive)
{
	struct stitch st;
	struct job *j;
	uint64_t fp;

	fp = feed_fingerprint(b, f, ch, pages, n);
	if (!catalog_build_reuse(b, path, fp) &&
	    feed_stitch(b, f, ch, pages, n, &st) == 0) {
		j = catalog_jobs_queue(b, JOB_STITCHED, path,
		    page_newest(pages, n), fp);
		j->type = f->type;
		j->stitch = st;
		j->immutable = immutable;
		j->archive = archive;
	}
}

/*
 * An archive page rendered when asked.  Few readers walk a feed's
 * history, and its pages were a copy of every post's entry in three
 * formats: so an archive page keeps its posts (held), their translations
 * and a copy of its channel, and its ETag is the one the rope of its
 * pieces would have (head and first entry, each other entry, tail:
 * feed_stitch's), from the entries' sums (entry_sum) -- the same bytes,
 * ETag and gzip body as when an output folder is written.
 */
struct archive_recipe {
	struct document_recipe	 base;
	struct config_shared	*settings;
	const struct feed_writer *writer;
	struct channel		 ch;		/* strings copied */
	struct page		**pages;	/* held, newest first */
	size_t			 npages;
	struct page		**translations;	/* each page's, in turn */
	size_t			*ntranslations;	/* per page */
	size_t			*cuts;		/* base.cuts */
	/* Each entry's hash, length and key (entry_key; the first's none
	 * when it has a separator: it joins the head), so the next version
	 * of the page takes the sums of the posts it still shows from here
	 * (archive_recipe_new) rather than from their slots. */
	uint64_t		*hashes;
	size_t			*lens;
	uint64_t		*keys;
	uint64_t		*cut_hashes;	/* until the document is made */
};

/* Entry i of the recipe's pages, as the writer gives it. */
static char *
archive_entry(const struct archive_recipe *r, size_t i, size_t *len)
{
	size_t k, first = 0;

	for (k = 0; k < i; k++)
		first += r->ntranslations[k];
	return r->writer->entry(r->pages[i], r->translations + first,
	    r->ntranslations[i], len);
}

static char *
archive_render(const struct document_recipe *base, size_t *len)
{
	const struct archive_recipe *r = (const struct archive_recipe *)base;

	return render_feed_translated(r->writer, &r->settings->cfg, &r->ch,
	    r->pages, r->npages, r->translations, r->ntranslations, len);
}

static void
archive_recipe_free(struct document_recipe *base)
{
	struct archive_recipe *r = (struct archive_recipe *)base;
	size_t i, ntr = 0;

	for (i = 0; i < r->npages; i++) {
		ntr += r->ntranslations[i];
		page_free(r->pages[i]);
	}
	for (i = 0; i < ntr; i++)
		page_free(r->translations[i]);
	free(r->pages);
	free(r->translations);
	free(r->ntranslations);
	free(r->cuts);
	free(r->hashes);
	free(r->lens);
	free(r->keys);
	free(r->cut_hashes);
	catalog_jobs_channel_free(&r->ch);
	config_shared_unref(r->settings);
	free(r);
}

/*
 * Entry i's sums from the page's version before (NULL: none), which
 * held the same post at i or a place away (a post published moves the
 * newest page's by one) under the same key: 0 when it has none.  An
 * edit otherwise looked up every post of each page it rendered in the
 * slots, three times a hundred lookups a subject.
 */
static int
sums_before(const struct archive_recipe *before, const struct page *p,
    size_t i, uint64_t key, uint64_t *hash, size_t *len)
{
	size_t j, lo = i > 0 ? i - 1 : 0;

	if (before == NULL)
		return 0;
	for (j = lo; j <= i + 1 && j < before->npages; j++)
		if (before->pages[j] == p && before->keys[j] == key &&
		    before->hashes[j] != 0) {
			*hash = before->hashes[j];
			*len = before->lens[j];
			return 1;
		}
	return 0;
}

/* The recipe of an archive page of n >= 1 posts, its entries' sums
 * taken from the version before or the slots (on the rebuilding
 * thread); NULL when a writer failed. */
static struct archive_recipe *
archive_recipe_new(struct build *b, const struct feed_format *f,
    const struct channel *ch, struct page *const *pages, size_t n,
    const struct archive_recipe *before)
{
	struct archive_recipe *r = xcalloc(1, sizeof *r);
	struct page **tr;
	size_t i, k, ntr, all = 0;
	uint64_t key;

	r->base.render = archive_render;
	r->base.free = archive_recipe_free;
	r->settings = config_shared_ref(b->settings);
	r->writer = f->writer;
	catalog_jobs_channel_copy(&r->ch, ch);
	r->pages = xreallocarray(NULL, n, sizeof *r->pages);
	r->ntranslations = xcalloc(n, sizeof *r->ntranslations);
	r->lens = xcalloc(n, sizeof *r->lens);
	r->hashes = xcalloc(n, sizeof *r->hashes);
	r->keys = xcalloc(n, sizeof *r->keys);
	for (i = 0; i < n; i++) {
		r->pages[r->npages++] = page_ref(pages[i]);
		ntr = index_translations(b->index, pages[i], &tr);
		r->translations = xreallocarray(r->translations, all + ntr + 1,
		    sizeof *r->translations);
		for (k = 0; k < ntr; k++)
			r->translations[all++] = page_ref(tr[k]);
		r->ntranslations[i] = ntr;
		free(tr);
		/* A first entry without its separator joins the head:
		 * written with the document. */
		if (i == 0 && f->writer->separator_len > 0)
			continue;
		key = entry_key(b, pages[i]);
		if (!sums_before(before, pages[i], i, key, &r->hashes[i],
		    &r->lens[i]) && entry_sum(b, f, pages[i],
		    kept_entries(b, pages[i]), key, &r->hashes[i],
		    &r->lens[i]) == -1) {
			archive_recipe_free(&r->base);
			return NULL;
		}
		r->keys[i] = key;
	}
	return r;
}

/* Ends the text gathered as one piece of the recipe, as stitch does. */
static void
cut_pending(struct archive_recipe *r, struct buf *pending)
{
	if (pending->len == 0)
		return;
	r->cuts[r->base.ncuts] = pending->len;
	r->cut_hashes[r->base.ncuts++] = piece_hash_of(pending->data,
	    pending->len);
	buf_reset(pending);
}

/*
 * The pieces feed_stitch would give, from the sums: the head (and the
 * first entry after its separator, when the writer has one), every other
 * entry, the tail; only the text that joins the head is written here.
 * -1 when a writer failed.
 */
static int
archive_cuts(struct archive_recipe *r)
{
	const struct feed_writer *w = r->writer;
	struct buf pending;
	size_t i, n;
	char *s;

	r->cuts = xreallocarray(NULL, r->npages + 2, sizeof *r->cuts);
	r->cut_hashes = xreallocarray(NULL, r->npages + 2,
	    sizeof *r->cut_hashes);
	if ((s = w->head(&r->settings->cfg, &r->ch, r->pages, r->npages,
	    &n)) == NULL)
		return -1;
	buf_init(&pending);
	buf_add(&pending, s, n);
	free(s);
	for (i = 0; i < r->npages; i++) {
		if (i == 0 && w->separator_len > 0) {
			if ((s = archive_entry(r, 0, &n)) == NULL ||
			    n < w->separator_len) {
				free(s);
				buf_free(&pending);
				return -1;
			}
			buf_add(&pending, s + w->separator_len,
			    n - w->separator_len);
			free(s);
			continue;
		}
		cut_pending(r, &pending);
		r->cuts[r->base.ncuts] = r->lens[i];
		r->cut_hashes[r->base.ncuts++] = r->hashes[i];
	}
	buf_addstr(&pending, w->tail);
	cut_pending(r, &pending);
	buf_free(&pending);
	return 0;
}

struct document *
catalog_feeds_archive_document(struct build *b, struct job *j)
{
	struct archive_recipe *r = (struct archive_recipe *)j->recipe;
	struct document *d;
	size_t i, len;
	char *body;

	j->recipe = NULL;
	if (archive_cuts(r) == -1)
		goto fail;
	for (i = len = 0; i < r->base.ncuts; i++)
		len += r->cuts[i];
	if (len <= ROPE_MIN) {
		/* Small: one flat body, as document_from_stitch makes it. */
		r->base.ncuts = 0;
		if ((body = archive_render(&r->base, &len)) == NULL)
			goto fail;
		d = document_new_plain(j->path, j->type, body, len, j->mtime,
		    j->fp);
		document_render_on_request(d, &r->base, b->bodies);
	} else {
		r->base.cuts = r->cuts;
		d = document_from_recipe(j->path, j->type, len,
		    document_pieces_hash(r->cut_hashes, r->cuts,
		    r->base.ncuts), j->mtime, j->fp, &r->base, b->bodies);
	}
	free(r->cut_hashes);
	r->cut_hashes = NULL;
	d->immutable = j->immutable;
	return d;
fail:
	log_error("%s: a feed writer failed", j->path);
	archive_recipe_free(&r->base);
	return NULL;
}

/* An archive page rendered when asked, queued unless its fingerprint is
 * the current document's (the same as feed_doc's). */
static void
archive_doc_on_request(struct build *b, const struct feed_format *f,
    const struct channel *ch, struct page *const *pages, size_t n,
    const char *path, int immutable)
{
	struct archive_recipe *r;
	struct document *old;
	struct job *j;
	uint64_t fp;

	fp = feed_fingerprint(b, f, ch, pages, n);
	if (n == 0 || catalog_build_reuse(b, path, fp))
		return;
	old = docset_get(b->docs, path);
	if ((r = archive_recipe_new(b, f, ch, pages, n, old != NULL &&
	    old->recipe != NULL && old->recipe->render == archive_render ?
	    (const struct archive_recipe *)old->recipe : NULL)) == NULL) {
		log_error("%s: a feed writer failed", path);
		return;
	}
	j = catalog_jobs_queue(b, JOB_ARCHIVE, path, page_newest(pages, n),
	    fp);
	j->type = f->type;
	j->immutable = immutable;
	j->archive = 1;
	j->recipe = &r->base;
}

/* Archive page k of npages (from 1, the oldest) of format f. */
static void
archive_doc(struct build *b, const struct subject *g,
    const struct feed_format *f, const struct channel *base,
    size_t k, size_t npages)
{
	size_t per = (size_t)b->cfg->archive_entries;
	size_t narchived = archived(b->cfg, g);
	size_t lo = (k - 1) * per, hi = k * per < narchived ? k * per :
	    narchived;
	struct channel ch = *base;
	char *self, *id, *current, *prev = NULL, *next = NULL;
	struct buf path;

	buf_init(&path);
	urls_subject_doc(&path, g->prefix, f->doc);
	ch.current_url = current = xasprintf("%s%s", b->cfg->base_url,
	    path.data);
	buf_reset(&path);
	urls_archive_doc(&path, g->prefix, f->doc, k);
	ch.self_url = self = archive_url(b, g, f, k);
	ch.id = id = urls_feed_id(b->cfg->id_authority, path.data);
	ch.hub_url = NULL;		/* nobody subscribes to a page */
	ch.archive = 1;
	if (k > 1)
		ch.prev_archive_url = prev = archive_url(b, g, f, k - 1);
	if (k < npages)
		ch.next_archive_url = next = archive_url(b, g, f, k + 1);
	/* Newest first, as in the feed: oldest index i is pages[n - 1 - i]. */
	if (archives_on_request(b))
		archive_doc_on_request(b, f, &ch, g->pages + (g->npages - hi),
		    hi - lo, path.data, k < npages);
	else
		feed_doc(b, f, &ch, g->pages + (g->npages - hi), hi - lo,
		    path.data, k < npages, 1);
	free(self);
	free(id);
	free(current);
	free(prev);
	free(next);
	buf_free(&path);
}

/* Of what every archive page of the subject shows besides its posts. */
static uint64_t
archive_channel_hash(const struct build *b, const struct channel *ch)
{
	struct hasher h;

	hasher_init(&h);
	hasher_int(&h, (long long)b->config_hash);
	hasher_str(&h, ch->title);
	hasher_str(&h, ch->description != NULL ? ch->description : "");
	hasher_str(&h, ch->alternate_url);
	if (ch->language != NULL)
		hasher_str(&h, ch->language);
	return hasher_done(&h);
}

/*
 * The first page (from 0) that may have changed since the archives were
 * last rendered: the one holding the oldest post inserted or removed
 * since, and at the latest the last page then and now (the newest page
 * fills, and the one before it gains a next-archive link).
 */
static size_t
archive_first(const struct subject *g, size_t per, size_t narchived,
    size_t npages, uint64_t channel)
{
	size_t first;

	if (g->archive_channel != channel)
		return 0;
	first = (g->archive_clean < narchived ? g->archive_clean :
	    narchived) / per;
	if (g->archive_pages > 0 && g->archive_pages - 1 < first)
		first = g->archive_pages - 1;
	if (npages > 0 && npages - 1 < first)
		first = npages - 1;
	return first;
}

/*
 * Whether only the pages holding the places touched since the last
 * rendering can have changed: no post moved (each one removed came back
 * where it was), as many pages as then, the same channel.  An edit of an
 * old post at 100 000 posts otherwise fingerprinted every newer page, a
 * thousand in each format.  Two places on one page render it twice:
 * the second finds the first's fingerprint and is reused.
 */
static int
only_touched(const struct subject *g, size_t npages, uint64_t channel)
{
	return !g->archive_moved && g->archive_removed == SIZE_MAX &&
	    g->archive_channel == channel && g->archive_pages == npages;
}

static void
archive_docs(struct build *b, struct subject *g, const struct channel *base,
    size_t npages)
{
	const struct feed_format *f;
	uint64_t channel = archive_channel_hash(b, base);
	size_t per = (size_t)b->cfg->archive_entries;
	struct buf path;
	size_t i, k, first;

	if (npages > 0 && only_touched(g, npages, channel))
		for (i = 0; i < g->archive_ntouched; i++) {
			k = g->archive_touched[i] / per + 1;
			for (f = feed_formats; k <= npages &&
			    f < feed_formats + nitems(feed_formats); f++)
				archive_doc(b, g, f, base, k, npages);
		}
	else if (npages > 0) {
		first = archive_first(g, per, archived(b->cfg, g), npages,
		    channel);
		for (f = feed_formats; f < feed_formats + nitems(feed_formats);
		    f++)
			for (k = first + 1; k <= npages; k++)
				archive_doc(b, g, f, base, k, npages);
	}
	/* Pages beyond the last: fewer posts than before. */
	buf_init(&path);
	for (k = npages + 1; k <= g->archive_pages; k++)
		for (f = feed_formats; f < feed_formats + nitems(feed_formats);
		    f++) {
			buf_reset(&path);
			urls_archive_doc(&path, g->prefix, f->doc, k);
			docset_remove(b->docs, path.data);
		}
	buf_free(&path);
	index_archives_seen(g);
	g->archive_pages = npages;
	g->archive_channel = channel;
}

/* The subject's feeds and their archive pages: queued to be compressed,
 * unless their fingerprint is the current documents'. */
void
catalog_feeds_docs(struct build *b, struct subject *g,
    const struct channel *base)
{
	const struct config *cfg = b->cfg;
	const struct feed_format *f;
	struct channel ch = *base;
	size_t n = g->npages < (size_t)cfg->feed_entries ? g->npages :
	    (size_t)cfg->feed_entries;
	size_t npages = archive_pages(cfg, archived(cfg, g));
	struct buf path;
	char *self, *id, *prev;

	buf_init(&path);
	for (f = feed_formats; f < feed_formats + nitems(feed_formats); f++) {
		buf_reset(&path);
		urls_subject_doc(&path, g->prefix, f->doc);
		ch.self_url = self = xasprintf("%s%s", cfg->base_url,
		    path.data);
		ch.id = id = urls_feed_id(cfg->id_authority, path.data);
		/* A feed with no history yet links none (a small site's
		 * feed is the same bytes as without archives). */
		ch.current_url = npages > 0 ? self : NULL;
		ch.prev_archive_url = prev = npages > 0 ?
		    archive_url(b, g, f, npages) : NULL;
		feed_doc(b, f, &ch, g->pages, n, path.data, 0, 0);
		free(self);
		free(id);
		free(prev);
	}
	buf_free(&path);
	archive_docs(b, g, base, npages);
}

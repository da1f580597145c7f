/*
 * bodycache.c -- the identity bodies of flat documents, within a budget.
 *
 * Nearly every client asks for gzip (feed readers, calendar services,
 * browsers), and a document's gzip body is kept whole; the identity body
 * beside it -- post pages, per-event calendars, small feeds: most of the
 * memory crier held (bench/results-memory.md) -- is asked for by a few
 * scripts and old clients.  So once a document's gzip body is made, its
 * identity body is only cached: the least recently used are dropped when
 * the bodies held pass the budget (body_cache_size; a body whose gzip is
 * still to be made is held outside it), and one asked for
 * again is inflated from the gzip body, which gives back exactly the
 * bytes that were hashed into its ETag (checked: the hash is compared).
 * ETag, Last-Modified and length stay on the document, so a 304 or a
 * HEAD never needs the body.  A body whose gzip is not made yet, or would
 * not help, cannot be made again and is never dropped.
 *
 * A body larger than the whole budget would drop every other, then
 * itself, and each request waiting for it would inflate it again: it is
 * kept out of the order instead, "passing", while a response holds it,
 * and let go at the next trim after the last one is sent.
 *
 * A rope of joins (a calendar's chunks of VEVENTs, piece.h) has no
 * spans: its identity body is its parts' texts gathered into the cache
 * when asked, with or without its gzip body, and dropped like any other.
 *
 * A post page keeps no bytes at all (document_render_on_request): its
 * body is rendered again from the page into the cache when asked, and
 * its gzip body made from that at its first gzip request.
 *
 * A response holds the body it sends (struct held_body has its own
 * count), so a body dropped mid-response lives until that response is
 * sent.  One lock guards the order, each document's `held` and
 * `making`: held for a pointer swap, never while inflating.  A request
 * for a body another loop is inflating waits for that one (`made`), so
 * a document is made again once however many ask, and no request waits
 * for more than one document's inflation.
 *
 * The cache is counted by the documents that use it, so it outlives the
 * last of them, whoever frees it.
 */
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

#include "bodycache.h"
#include "document.h"
#include "hash.h"
#include "log.h"
#include "piece.h"
#include "stitch.h"
#include "xmalloc.h"

struct bodycache *
bodycache_new(size_t budget)
{
	struct bodycache *c = xcalloc(1, sizeof *c);

	c->refs = 1;
	c->st.budget = budget;
	if (pthread_mutex_init(&c->lock, NULL) != 0 ||
	    pthread_cond_init(&c->made, NULL) != 0) {
		log_error("bodycache: cannot make a lock");
		abort();
	}
	return c;
}

struct bodycache *
bodycache_ref(struct bodycache *c)
{
	__atomic_add_fetch(&c->refs, 1, __ATOMIC_RELAXED);
	return c;
}

void
bodycache_unref(struct bodycache *c)
{
	if (c == NULL || __atomic_sub_fetch(&c->refs, 1, __ATOMIC_ACQ_REL) > 0)
		return;
	/* Every document has forgotten its body: the order is empty. */
	pthread_mutex_destroy(&c->lock);
	pthread_cond_destroy(&c->made);
	free(c);
}

void
held_body_unref(struct held_body *h)
{
	if (h == NULL || __atomic_sub_fetch(&h->refs, 1, __ATOMIC_ACQ_REL) > 0)
		return;
	free(h->data);
	free(h);
}

/* Takes h out of a list whose newest end is *newest and oldest *oldest
 * (NULL for a list that keeps none: the passing bodies'). */
static void
list_unlink(struct held_body **newest, struct held_body **oldest,
    struct held_body *h)
{
	if (h->newer != NULL)
		h->newer->older = h->older;
	else
		*newest = h->older;
	if (h->older != NULL)
		h->older->newer = h->newer;
	else if (oldest != NULL)
		*oldest = h->newer;
	h->older = h->newer = NULL;
}

static void
unlink_body(struct bodycache *c, struct held_body *h)
{
	if (h->passing) {
		list_unlink(&c->passing, NULL, h);
		h->passing = 0;
	}
	if (!h->evictable)
		return;
	list_unlink(&c->newest, &c->oldest, h);
	h->evictable = 0;
	c->evictable_bytes -= h->len;
}

static void
push_newest(struct bodycache *c, struct held_body *h)
{
	h->older = c->newest;
	h->newer = NULL;
	if (c->newest != NULL)
		c->newest->newer = h;
	else
		c->oldest = h;
	c->newest = h;
	h->evictable = 1;
	c->evictable_bytes += h->len;
}

/* Where a body that may be dropped goes: the order, or the passing
 * list when it is larger than the budget.  Locked; h is in neither. */
static void
place(struct bodycache *c, struct held_body *h)
{
	if (c->st.budget == 0 || h->len <= c->st.budget) {
		push_newest(c, h);
		return;
	}
	h->older = c->passing;
	h->newer = NULL;
	if (c->passing != NULL)
		c->passing->newer = h;
	c->passing = h;
	h->passing = 1;
}

/* The cache lets go of h, which d held. */
static void
drop(struct bodycache *c, struct held_body *h)
{
	unlink_body(c, h);
	if (h->doc != NULL)
		h->doc->held = NULL;
	h->doc = NULL;
	c->st.bytes -= h->len;
	c->st.bodies--;
	held_body_unref(h);
}

/* Drops the least recently used bodies while over the budget. */
static void
trim(struct bodycache *c)
{
	struct held_body *h, *next;

	/* Passing bodies no response holds any more (a reference is
	 * taken under this lock: none can be on its way). */
	for (h = c->passing; h != NULL; h = next) {
		next = h->older;
		if (__atomic_load_n(&h->refs, __ATOMIC_ACQUIRE) == 1) {
			drop(c, h);
			c->st.evictions++;
		}
	}
	if (c->st.budget == 0)
		return;
	while (c->evictable_bytes > c->st.budget && c->oldest != NULL) {
		drop(c, c->oldest);
		c->st.evictions++;
	}
}

void
bodycache_set_budget(struct bodycache *c, size_t budget)
{
	struct held_body *h, *next;

	pthread_mutex_lock(&c->lock);
	c->st.budget = budget;
	/* Bodies were placed by the old budget: again by the new one. */
	for (h = c->oldest; h != NULL; h = next) {
		next = h->newer;
		if (budget != 0 && h->len > budget) {
			unlink_body(c, h);
			place(c, h);
		}
	}
	for (h = c->passing; h != NULL; h = next) {
		next = h->older;
		if (budget == 0 || h->len <= budget) {
			unlink_body(c, h);
			place(c, h);
		}
	}
	trim(c);
	pthread_mutex_unlock(&c->lock);
}

void
bodycache_stats(struct bodycache *c, struct bodycache_stats *out)
{
	pthread_mutex_lock(&c->lock);
	*out = c->st;
	out->pinned = c->st.bytes - c->evictable_bytes;
	pthread_mutex_unlock(&c->lock);
}

void
bodycache_adopt(struct bodycache *c, struct document *d)
{
	struct held_body *h = xcalloc(1, sizeof *h);

	h->refs = 1;			/* the cache's */
	h->data = d->body;
	h->len = d->len;
	h->doc = d;
	d->body = NULL;
	free(d->spans);
	d->spans = NULL;
	d->nspans = 0;
	d->bodies = bodycache_ref(c);
	pthread_mutex_lock(&c->lock);
	d->held = h;
	c->st.bytes += h->len;
	c->st.bodies++;
	pthread_mutex_unlock(&c->lock);
}

void
bodycache_gzip_made(struct bodycache *c, struct document *d)
{
	pthread_mutex_lock(&c->lock);
	if (d->held != NULL && !d->held->evictable && !d->held->passing) {
		place(c, d->held);
		trim(c);
	}
	pthread_mutex_unlock(&c->lock);
}

void
bodycache_forget(struct bodycache *c, struct document *d)
{
	pthread_mutex_lock(&c->lock);
	if (d->held != NULL)
		drop(c, d->held);
	pthread_mutex_unlock(&c->lock);
}

/*
 * d's identity bytes from its gzip body, or NULL (logged).  zlib checks
 * the trailer's CRC-32 and length; the body's hash is its ETag's,
 * compared too.
 */
static char *
inflate_body(const struct document *d)
{
	z_stream z;
	size_t i;
	char *out;
	int rc = Z_OK;

	memset(&z, 0, sizeof z);
	if (inflateInit2(&z, 16 + MAX_WBITS) != Z_OK) {
		log_error("%s: zlib: inflateInit2 failed", d->path);
		return NULL;
	}
	out = xmalloc(d->len ? d->len : 1);
	z.next_out = (Bytef *)out;
	z.avail_out = (uInt)d->len;
	for (i = 0; i < d->ngzspans && rc == Z_OK; i++) {
		z.next_in = (Bytef *)(uintptr_t)d->gzspans[i].data;
		z.avail_in = (uInt)d->gzspans[i].len;
		rc = inflate(&z, Z_NO_FLUSH);
		if (rc == Z_BUF_ERROR && z.avail_in == 0)
			rc = Z_OK;	/* an empty span */
	}
	if (inflateEnd(&z) != Z_OK || rc != Z_STREAM_END ||
	    z.total_out != d->len || !document_is_body(d, out, d->len)) {
		log_error("%s: the gzip body does not give the identity body "
		    "back", d->path);
		free(out);
		return NULL;
	}
	return out;
}

/* A rope of joins' identity bytes: its pieces' texts, gathered. */
static char *
joined_body(const struct document *d)
{
	size_t len;
	char *out = stitch_text_flat(d->rope, &len);

	if (len != d->len) {
		log_error("%s: its pieces are not its length", d->path);
		free(out);
		return NULL;
	}
	return out;
}

/* A document rendered on request: its recipe's bytes, which must be the
 * ones its ETag was hashed from. */
static char *
rendered_body(const struct document *d)
{
	size_t len = 0;
	char *out = d->recipe->render(d->recipe, &len);

	if (out == NULL || !document_is_body(d, out, len)) {
		log_error("%s: rendered again, it is not the document it was",
		    d->path);
		free(out);
		return NULL;
	}
	return out;
}

/* d's identity bytes made again, whichever way is d's (cheapest first:
 * inflating a gzip body costs a tenth of rendering it). */
static char *
made_body(const struct document *d)
{
	if (d->textless)
		return joined_body(d);
	if (d->recipe != NULL && document_gz(d) == NULL)
		return rendered_body(d);
	return inflate_body(d);
}

/* Under the lock: d's body, with a reference for the caller, or NULL. */
static struct held_body *
take_held(struct bodycache *c, struct document *d)
{
	struct held_body *h = d->held;

	if (h == NULL)
		return NULL;
	__atomic_add_fetch(&h->refs, 1, __ATOMIC_RELAXED);
	if (h->evictable) {
		unlink_body(c, h);
		push_newest(c, h);
	}
	c->st.hits++;
	return h;
}

struct held_body *
bodycache_acquire(struct bodycache *c, struct document *d)
{
	struct held_body *h;
	char *data;

	pthread_mutex_lock(&c->lock);
	while (d->held == NULL && d->making)
		pthread_cond_wait(&c->made, &c->lock);
	if ((h = take_held(c, d)) != NULL || (!d->textless &&
	    d->recipe == NULL && document_gz(d) == NULL)) {
		pthread_mutex_unlock(&c->lock);
		return h;
	}
	d->making = 1;
	pthread_mutex_unlock(&c->lock);

	data = made_body(d);

	pthread_mutex_lock(&c->lock);
	d->making = 0;
	if (data != NULL) {
		h = xcalloc(1, sizeof *h);
		h->refs = 2;		/* the cache's and the caller's */
		h->data = data;
		h->len = d->len;
		h->doc = d;
		d->held = h;
		c->st.bytes += h->len;
		c->st.bodies++;
		c->st.renders++;
		place(c, h);
		trim(c);
	}
	pthread_cond_broadcast(&c->made);
	pthread_mutex_unlock(&c->lock);
	return h;
}

const char *
bodycache_make_gzip(struct bodycache *c, struct document *d)
{
	const char *gz;

	pthread_mutex_lock(&c->lock);
	while (d->gzip_making)
		pthread_cond_wait(&c->made, &c->lock);
	if ((gz = document_gz(d)) != NULL || !d->gzip_todo) {
		pthread_mutex_unlock(&c->lock);
		return gz;
	}
	d->gzip_making = 1;
	pthread_mutex_unlock(&c->lock);

	document_finish_gzip(d);

	pthread_mutex_lock(&c->lock);
	d->gzip_making = 0;
	c->st.gzip_made++;
	pthread_cond_broadcast(&c->made);
	pthread_mutex_unlock(&c->lock);
	return document_gz(d);
}

/*
 * catalog_opml.c -- /feeds.opml of a rebuild: every subject's feed and
 * the calendars the front page offers, as render_opml.c writes them from
 * a plain view.
 *
 * The list depends only on which subjects there are, their names and
 * whether their calendars hold events (what the front page offers), and
 * the settings: its fingerprint is of those alone, combined so that the
 * order in which the index holds them does not matter.  An edit that
 * leaves them be (almost every one) renders nothing here; the subjects
 * are sorted, and the document written, only when the set moves.
 */
#include <stdlib.h>
#include <string.h>

#include "catalog_build.h"

static const char *const group_names[INDEX_TABLES] = {
	"Sections", "Tags", "Categories", "Other taxonomies"
};
/* As catalog.c titles each table's feeds (catalog_build_subject_title;
 * a custom taxonomy's term names its taxonomy itself). */
static const char *const labels[INDEX_TABLES] = { NULL, "tag", "category",
	NULL };

static uint64_t
subject_hash(const struct subject *g)
{
	struct hasher h;

	hasher_init(&h);
	hasher_str(&h, g->key);
	hasher_str(&h, index_subject_name(g));
	hasher_int(&h, g->nevents > 0);
	return hasher_done(&h);
}

static uint64_t
opml_fingerprint(struct build *b)
{
	struct site_index *ix = b->index;
	struct hasher h;
	uint64_t sum;
	size_t i, t, n;
	void *v;

	hasher_init(&h);
	hasher_int(&h, (long long)b->config_hash);
	hasher_int(&h, ix->site.nevents > 0);
	for (t = 0; t < INDEX_TABLES; t++) {
		sum = 0;
		n = 0;
		for (i = 0; dict_next(index_table(ix, t), &i, NULL, &v); n++)
			sum += subject_hash(v);
		hasher_int(&h, (long long)t);
		hasher_int(&h, (long long)n);
		hasher_int(&h, (long long)sum);
	}
	return hasher_done(&h);
}

/* One subject's entry in the view; its strings are freed by
 * subject_free. */
static void
subject_fill(const struct config *cfg, struct opml_subject *s,
    const struct subject *g, char *title)
{
	struct buf u;

	s->title = title;
	buf_init(&u);
	buf_addstr(&u, cfg->base_url);
	urls_subject_doc(&u, g->prefix, URLS_ATOM);
	s->feed_url = buf_steal(&u);
	s->html_url = xasprintf("%s%s/", cfg->base_url, g->prefix);
	s->calendar_url = NULL;
	if (g->nevents > 0) {
		buf_init(&u);
		buf_addstr(&u, cfg->base_url);
		urls_subject_doc(&u, g->prefix, URLS_CALENDAR);
		s->calendar_url = buf_steal(&u);
	}
}

static void
subject_free(struct opml_subject *s)
{
	free((char *)s->title);
	free((char *)s->feed_url);
	free((char *)s->html_url);
	free((char *)s->calendar_url);
}

static int
by_key(const void *a, const void *b)
{
	const struct subject *x = *(struct subject *const *)a;
	const struct subject *y = *(struct subject *const *)b;

	return strcmp(x->key, y->key);
}

/* Table t's subjects in the view, sorted by key as the front page lists
 * them. */
static void
group_fill(struct build *b, size_t t, struct opml_group *grp)
{
	const struct dict *d = index_table(b->index, t);
	const struct subject **list;
	struct opml_subject *subs;
	size_t i, n = 0;
	void *v;

	list = xcalloc(d->live ? d->live : 1, sizeof *list);
	for (i = 0; dict_next(d, &i, NULL, &v); )
		list[n++] = v;
	util_sort(list, n, sizeof *list, by_key);
	subs = xcalloc(n ? n : 1, sizeof *subs);
	for (i = 0; i < n; i++)
		subject_fill(b->cfg, &subs[i], list[i],
		    catalog_build_subject_title(b->cfg, labels[t], list[i]));
	free(list);
	grp->name = group_names[t];
	grp->subjects = subs;
	grp->n = n;
}

void
catalog_opml_doc(struct build *b)
{
	struct opml_group groups[1 + INDEX_TABLES];
	struct opml_subject site;
	uint64_t fp = opml_fingerprint(b);
	size_t i, t, len;
	char *body;

	if (catalog_build_reuse(b, URLS_OPML, fp))
		return;
	subject_fill(b->cfg, &site, &b->index->site, xstrdup(b->cfg->title));
	groups[0].name = b->cfg->title;
	groups[0].subjects = &site;
	groups[0].n = 1;
	for (t = 0; t < INDEX_TABLES; t++)
		group_fill(b, t, &groups[1 + t]);
	if ((body = render_opml(b->cfg, groups, nitems(groups), &len)) != NULL)
		catalog_build_add_document(b, document_new(URLS_OPML, TYPE_OPML,
		    body, len, b->now, fp));
	subject_free(&site);
	for (t = 1; t < nitems(groups); t++) {
		for (i = 0; i < groups[t].n; i++)
			subject_free((struct opml_subject *)
			    &groups[t].subjects[i]);
		free((struct opml_subject *)groups[t].subjects);
	}
}

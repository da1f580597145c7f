/*
 * check.c -- `crier --check`: every file's problems, and on a Hugo site
 * what Hugo would publish of each file and what crier does with it.
 *
 * The problems are those the daemon logs and /status lists, read the
 * same way (watch.c, the catalog) and printed as file:line: level:
 * message.  A Hugo site's owner also wants to know, before pointing a
 * running site at crier, where each page will be and where crier parts
 * from Hugo: one line per file, "hugo: ...; crier: ...".  What Hugo does
 * is what `hugo` (a production build: no drafts, no future, no expired
 * pages) does with the same front matter -- the rules crier applies too,
 * so most lines say "the same"; the differences are what crier adds
 * (events in calendars), what it reads differently (the warnings above
 * the line: an unknown shortcode's text kept, a date fallback) and the
 * content it does not read at all (HTML, Org, AsciiDoc, reStructuredText
 * and Pandoc pages, which Hugo renders with external tools or templates:
 * found by a walk of the folder, since the watcher skips them).
 */
#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "buf.h"
#include "catalog_slot.h"
#include "check.h"
#include "dates.h"
#include "hugo.h"
#include "log.h"
#include "state.h"
#include "util.h"
#include "watch.h"

static void
add_date(struct buf *b, time_t t)
{
	char when[32];
	struct tm tm;

	if (gmtime_r(&t, &tm) == NULL ||
	    strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		buf_printf(b, "%lld", (long long)t);
	else
		buf_addstr(b, when);
}

static size_t
warnings(const struct page *p)
{
	size_t i, n = 0;

	for (i = 0; i < p->diags.n; i++)
		n += p->diags.v[i].level == DIAG_WARNING;
	return n + p->diags.dropped;
}

/* What crier adds to, or reads differently from, a page Hugo publishes. */
static void
add_crier_extras(struct buf *b, const struct page *p)
{
	size_t n = warnings(p);

	if (p->nevents > 0)
		buf_printf(b, ", with %zu event%s in its calendars (Hugo has "
		    "none)", p->nevents, p->nevents == 1 ? "" : "s");
	if (n > 0)
		buf_printf(b, "; %zu warning%s above: read differently", n,
		    n == 1 ? "" : "s");
}

/* What crier makes of a branch: the site's feeds for the top folder's,
 * a section's for SECTION/_index.md (index.c names_section), none of
 * their own for deeper ones. */
static const char *
branch_feeds(const struct page *p)
{
	const char *slash = strchr(p->path, '/');

	if (slash == NULL)
		return "the site's feeds beside it";
	if (strchr(slash + 1, '/') == NULL)
		return "its title, and the section's feeds beside it";
	return "no feeds of its own: its pages are in their top folder's";
}

char *
check_publication(const struct page *p, time_t now)
{
	struct buf b;

	buf_init(&b);
	if (!p->ok)
		buf_addstr(&b, "hugo: stops its whole build if the error is in "
		    "its front matter; crier: not published (the errors "
		    "above), the rest of the site is");
	else if (p->kind == PAGE_CALENDAR_FILE)
		buf_printf(&b, "hugo: not content (a bundle copies it); crier: "
		    "its %zu event%s in the calendars", p->nevents,
		    p->nevents == 1 ? "" : "s");
	else if (p->draft)
		buf_addstr(&b, "hugo: not published (draft: true, without "
		    "--buildDrafts); crier: the same");
	else if (p->unlisted)
		buf_addstr(&b, "hugo: not published (headless, or _build "
		    "render: never); crier: the same");
	else if (p->expire_at != 0 && p->expire_at <= now) {
		buf_addstr(&b, "hugo: not published (expired ");
		add_date(&b, p->expire_at);
		buf_addstr(&b, ", without --buildExpired); crier: the same");
	} else if (p->publish_at != 0 && p->publish_at > now) {
		buf_addstr(&b, "hugo: not published before ");
		add_date(&b, p->publish_at);
		buf_printf(&b, " (without --buildFuture); crier: the same, and "
		    "it publishes %s at that time, without a rebuild",
		    p->permalink);
	} else if (p->kind == PAGE_SECTION_INDEX) {
		buf_printf(&b, "hugo: the list page %s; crier: %s", p->permalink,
		    branch_feeds(p));
	} else {
		buf_printf(&b, "hugo: %s", p->permalink);
		if (p->list_never)
			buf_addstr(&b, ", in no list (_build list: never)");
		else if (p->list_local)
			buf_addstr(&b, ", not in the site's own lists (_build "
			    "list: local)");
		buf_addstr(&b, "; crier: the same");
		add_crier_extras(&b, p);
	}
	return buf_steal(&b);
}

/* --- content crier does not read ------------------------------------ */

static const char *const other_formats[] = {
	".html", ".htm", ".org", ".adoc", ".asciidoc", ".ad", ".rst",
	".pandoc", ".pdc",
};

#define WALK_DEPTH	16	/* as the watcher's MAX_DEPTH */

static int
other_format(const char *name)
{
	const char *dot = strrchr(name, '.');
	size_t i;

	for (i = 0; dot != NULL && i < sizeof other_formats /
	    sizeof *other_formats; i++)
		if (strcasecmp(dot, other_formats[i]) == 0)
			return 1;
	return 0;
}

/* Pages below dir (a path) in formats crier does not read; how many.
 * Dot-folders and links are skipped, as the watcher skips them. */
static size_t
report_other_formats(const char *dir, int depth, FILE *out)
{
	struct dirent **names;
	struct stat st;
	size_t found = 0;
	char *path;
	int i, n;

	if (depth > WALK_DEPTH || (n = scandir(dir, &names, NULL,
	    alphasort)) == -1)
		return 0;
	for (i = 0; i < n; i++) {
		const char *name = names[i]->d_name;

		path = xasprintf("%s/%s", dir, name);
		if (name[0] == '.' || lstat(path, &st) == -1)
			;
		else if (S_ISDIR(st.st_mode))
			found += report_other_formats(path, depth + 1, out);
		else if (S_ISREG(st.st_mode) && other_format(name)) {
			fprintf(out, "%s: hugo: renders it as a page; crier: "
			    "not read (Markdown only), so in no feed\n", path);
			found++;
		}
		free(path);
		free(names[i]);
	}
	free(names);
	return found;
}

/* --- the run ---------------------------------------------------------- */

static int
print_problems(const struct config *cfg, const char *path,
    const struct page *p, FILE *out)
{
	int errors = 0;
	size_t k;

	for (k = 0; k < p->diags.n; k++) {
		fprintf(out, "%s/%s:%d: %s: %s\n", cfg->content_dir, path,
		    p->diags.v[k].line, diag_level_name(p->diags.v[k].level),
		    p->diags.v[k].message);
		errors += p->diags.v[k].level == DIAG_ERROR;
	}
	if (p->diags.dropped > 0)
		fprintf(out, "%s/%s: %zu more problems are not listed\n",
		    cfg->content_dir, path, p->diags.dropped);
	return errors;
}

int
check_run(struct config *cfg, FILE *out)
{
	struct state state;
	struct catalog cat;
	struct watcher w;
	const char *key;
	time_t now = time(NULL);
	size_t i;
	void *v;
	int errors = 0;
	char *line;

	log_set_level(LOG_ERROR + 1);
	hugo_report_print(cfg, out);
	state_init(&state, NULL);
	catalog_init(&cat, cfg, &state);
	watch_start(&w, NULL, cfg, &cat, NULL, NULL);
	watch_scan_all(&w);
	if (!w.root_ok) {
		fprintf(stderr, "%s: error: content folder is missing or not "
		    "a folder\n", cfg->content_dir);
		errors++;
	}
	for (i = 0; dict_next(&cat.slots, &i, &key, &v); ) {
		const struct page *p = ((struct slot *)v)->current;

		errors += print_problems(cfg, key, p, out);
		if (cfg->hugo == NULL)
			continue;
		line = check_publication(p, now);
		fprintf(out, "%s/%s: %s\n", cfg->content_dir, key, line);
		free(line);
	}
	if (cfg->hugo != NULL && w.root_ok)
		report_other_formats(cfg->content_dir, 0, out);
	fprintf(out, "%zu files checked, %d errors\n", cat.slots.live, errors);
	watch_stop(&w);
	catalog_free(&cat);
	state_free(&state);
	return errors > 0 ? 1 : 0;
}

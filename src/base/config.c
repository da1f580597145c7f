/*
 * config.c -- parses crier.conf: "key = value" lines, '#' comments.
 *
 * The format is deliberately flat (like OpenBSD's httpd.conf minus the
 * blocks): one setting per line, values optionally in double quotes.  The
 * table below is the single list of settings; an unknown key, a bad number
 * or a number out of range stops start-up with the file and line, because
 * a typo silently ignored is a setting silently wrong.  Each setting
 * remembers where its value came from (built in, a Hugo site, crier.conf,
 * the command line), so that a Hugo site's configuration (hugo.c) fills
 * only what crier.conf leaves unsaid, and /status can say which won.
 */
#include <errno.h>
#include <limits.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/http.h>
#include <libical/ical.h>

#include "config.h"
#include "csscolor.h"
#include "dates.h"
#include "utf8.h"
#include "util.h"

enum setting_type { SETTING_STRING, SETTING_INT };

struct setting {
	const char		*name;
	enum setting_type	 type;
	size_t			 offset;
	const char		*default_string;
	int			 default_int, min, max;
};

#define S(name, def) { #name, SETTING_STRING, \
	offsetof(struct config, name), def, 0, 0, 0 }
#define I(name, def, min, max) { #name, SETTING_INT, \
	offsetof(struct config, name), NULL, def, min, max }

static const struct setting settings[] = {
	S(title, "crier"),
	S(description, ""),
	S(base_url, "http://127.0.0.1:8080"),
	S(id_authority, "example.org"),
	S(author, "crier"),
	S(author_email, ""),
	S(organizer, "noreply@example.org"),
	S(language, "en"),
	S(listen, "127.0.0.1:8080"),
	S(content_dir, "feeds"),
	S(timezone, "UTC"),
	S(state_file, ""),
	S(output_dir, ""),
	S(websub_hub, ""),
	S(user, ""),
	S(hugo_site, ""),
	S(color, ""),
	I(feed_entries, 50, 1, 10000),
	I(archive_entries, 0, 0, 10000),
	I(archive_max_age, 86400, 0, 86400 * 365),
	I(max_age, 300, 0, 86400 * 7),
	I(refresh_interval, 3600, 60, 86400 * 7),
	I(past_event_days, 0, 0, 36500),
	I(debounce_ms, 0, 0, 10000),
	I(max_file_size, 1048576, 1024, 64 * 1048576),
	I(max_resource_size, 64 * 1048576, 0, 1024 * 1048576),
	I(body_cache_size, 16 * 1048576, 0, 1024 * 1048576),
	I(max_events_per_page, 200, 1, 10000),
	I(max_header_size, 8192, 1024, 1048576),
	I(idle_timeout, 60, 1, 3600),
	I(max_connections, 10000, 16, 1000000),
	I(workers, 0, 0, MAX_WORKERS),
	I(unsafe_html, 0, 0, 1),
	I(summary_length, 70, 1, 100000),
	I(has_cjk_language, 0, 0, 1),
	I(enable_emoji, 0, 0, 1),
};

_Static_assert(nitems(settings) <= CONFIG_MAX_SETTINGS,
    "struct config's origin[] is too short");

static char **
string_at(struct config *c, const struct setting *s)
{
	return (char **)((char *)c + s->offset);
}

static int *
int_at(struct config *c, const struct setting *s)
{
	return (int *)((char *)c + s->offset);
}

/* workers = 0: one serving loop per core, the most requests per second. */
static void
resolve_workers(struct config *c)
{
	long cores;

	if (c->workers != 0)
		return;
	cores = sysconf(_SC_NPROCESSORS_ONLN);
	c->workers = cores < 1 ? 1 : cores > MAX_WORKERS ? MAX_WORKERS :
	    (int)cores;
}

void
config_defaults(struct config *c)
{
	size_t i;

	memset(c, 0, sizeof *c);
	for (i = 0; i < nitems(settings); i++) {
		if (settings[i].type == SETTING_STRING)
			*string_at(c, &settings[i]) =
			    xstrdup(settings[i].default_string);
		else
			*int_at(c, &settings[i]) = settings[i].default_int;
	}
	resolve_workers(c);
}

void
config_free(struct config *c)
{
	size_t i;

	for (i = 0; i < nitems(settings); i++) {
		if (settings[i].type == SETTING_STRING)
			free(*string_at(c, &settings[i]));
	}
	for (i = 0; i < c->nsection_colors; i++) {
		free(c->section_colors[i].section);
		free(c->section_colors[i].color);
	}
	free(c->section_colors);
	if (c->hugo != NULL)
		c->hugo_free(c->hugo);
	memset(c, 0, sizeof *c);
}

void
config_copy(struct config *to, const struct config *from)
{
	size_t i;

	memcpy(to, from, sizeof *to);
	for (i = 0; i < nitems(settings); i++)
		if (settings[i].type == SETTING_STRING)
			*string_at(to, &settings[i]) = xstrdup(
			    *string_at((struct config *)from, &settings[i]));
	to->section_colors = NULL;
	if (from->nsection_colors > 0)
		to->section_colors = xreallocarray(NULL,
		    from->nsection_colors, sizeof *to->section_colors);
	for (i = 0; i < from->nsection_colors; i++) {
		to->section_colors[i].section =
		    xstrdup(from->section_colors[i].section);
		to->section_colors[i].color =
		    xstrdup(from->section_colors[i].color);
	}
	if (from->hugo != NULL)
		to->hugo = from->hugo_copy(from->hugo);
}

struct config_shared *
config_share(const struct config *from)
{
	struct config_shared *c = xcalloc(1, sizeof *c);

	c->refs = 1;
	config_copy(&c->cfg, from);
	return c;
}

struct config_shared *
config_shared_ref(struct config_shared *c)
{
	__atomic_add_fetch(&c->refs, 1, __ATOMIC_RELAXED);
	return c;
}

void
config_shared_unref(struct config_shared *c)
{
	if (c == NULL || __atomic_sub_fetch(&c->refs, 1, __ATOMIC_ACQ_REL) > 0)
		return;
	config_free(&c->cfg);
	free(c);
}

/* A COLOR value: a CSS3 name (RFC 7986 5.9), kept in lower case. */
static const char *
check_color(const char *name, const char *value, char *err, size_t errlen)
{
	const char *color = csscolor_name(value);

	if (color == NULL)
		snprintf(err, errlen, "%s: '%s' is not a CSS3 colour name "
		    "(such as teal, darkorange or steelblue)", name, value);
	return color;
}

/*
 * "color.SECTION = NAME": one section's colour, SECTION a top folder.
 * Written in crier.conf only, so it has no origin to remember.
 */
static int
set_section_color(struct config *c, const char *name, const char *value,
    char *err, size_t errlen)
{
	const char *section = name + strlen("color."), *color;
	size_t i;

	if (*section == '\0' || strchr(section, '/') != NULL) {
		snprintf(err, errlen, "%s: name a section, a top folder of "
		    "the content folder (color.meetups = teal)", name);
		return -1;
	}
	if ((color = check_color(name, value, err, errlen)) == NULL)
		return -1;
	for (i = 0; i < c->nsection_colors; i++)
		if (strcmp(c->section_colors[i].section, section) == 0)
			break;
	if (i == c->nsection_colors) {
		c->section_colors = xreallocarray(c->section_colors, i + 1,
		    sizeof *c->section_colors);
		c->section_colors[i].section = xstrdup(section);
		c->nsection_colors++;
	} else
		free(c->section_colors[i].color);
	c->section_colors[i].color = xstrdup(color);
	return 0;
}

const char *
config_color(const struct config *c, const char *section)
{
	size_t i;

	if (section != NULL)
		for (i = 0; i < c->nsection_colors; i++)
			if (strcmp(c->section_colors[i].section, section) == 0)
				return c->section_colors[i].color;
	return c->color != NULL && *c->color != '\0' ? c->color : NULL;
}

static int
set_value(struct config *c, const struct setting *s, const char *value,
    char *err, size_t errlen)
{
	char *end;
	long n;

	if (s->type == SETTING_STRING) {
		if (!utf8_valid(value, strlen(value))) {
			snprintf(err, errlen, "%s: not valid UTF-8", s->name);
			return -1;
		}
		free(*string_at(c, s));
		*string_at(c, s) = xstrdup(value);
		return 0;
	}
	errno = 0;
	n = strtol(value, &end, 10);
	if (errno != 0 || end == value || *end != '\0') {
		snprintf(err, errlen, "%s: '%s' is not a whole number",
		    s->name, value);
		return -1;
	}
	if (n < s->min || n > s->max) {
		snprintf(err, errlen, "%s: %ld is out of range (%d to %d)",
		    s->name, n, s->min, s->max);
		return -1;
	}
	*int_at(c, s) = (int)n;
	return 0;
}

/* Splits "key = value" in place; strips quotes from the value. */
static int
split_line(char *line, char **key, char **value)
{
	char *eq = strchr(line, '='), *v;
	size_t n;

	if (eq == NULL)
		return -1;
	*eq = '\0';
	*key = str_trim(line);
	v = str_trim(eq + 1);
	n = strlen(v);
	if (n >= 2 && v[0] == '"' && v[n - 1] == '"') {
		v[n - 1] = '\0';
		v++;
	} else if (n > 0 && v[0] == '"')
		return -1;
	*value = v;
	return **key == '\0' ? -1 : 0;
}

static const struct setting *
setting_named(const char *name)
{
	size_t i;

	for (i = 0; i < nitems(settings); i++)
		if (strcmp(settings[i].name, name) == 0)
			return &settings[i];
	return NULL;
}

int
config_set(struct config *c, const char *name, const char *value,
    enum config_origin origin, char *err, size_t errlen)
{
	const struct setting *s = setting_named(name);
	size_t i;

	if (s == NULL && str_has_prefix(name, "color."))
		return set_section_color(c, name, value, err, errlen);
	if (s == NULL) {
		snprintf(err, errlen, "unknown setting '%s'", name);
		return -1;
	}
	i = (size_t)(s - settings);
	if (c->origin[i] > origin)
		return 0;
	if (strcmp(s->name, "color") == 0 && *value != '\0' &&
	    (value = check_color(name, value, err, errlen)) == NULL)
		return -1;
	if (set_value(c, s, value, err, errlen) == -1)
		return -1;
	c->origin[i] = (unsigned char)origin;
	return 0;
}

enum config_origin
config_origin(const struct config *c, const char *name)
{
	const struct setting *s = setting_named(name);

	return s != NULL ? c->origin[s - settings] : CONFIG_DEFAULT;
}

void
config_forget_origin(struct config *c, const char *name)
{
	const struct setting *s = setting_named(name);

	if (s != NULL)
		c->origin[s - settings] = CONFIG_DEFAULT;
}

static int
apply_line(struct config *c, char *line, char *err, size_t errlen)
{
	char *key, *value, *hash;

	/* A '#' starts a comment unless inside a quoted value. */
	if ((hash = strchr(line, '#')) != NULL &&
	    (strchr(line, '"') == NULL || hash < strchr(line, '"')))
		*hash = '\0';
	if (*str_trim(line) == '\0')
		return 0;
	if (split_line(line, &key, &value) == -1) {
		snprintf(err, errlen, "expected 'key = value'");
		return -1;
	}
	return config_set(c, key, value, CONFIG_FILE, err, errlen);
}

int
config_load(struct config *c, const char *path, char *err, size_t errlen)
{
	char msg[512], line[4096];
	FILE *f;
	int lineno = 0, rc = 0;

	if ((f = fopen(path, "re")) == NULL) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	while (fgets(line, sizeof line, f) != NULL) {
		lineno++;
		if (strchr(line, '\n') == NULL && !feof(f)) {
			snprintf(err, errlen, "%s:%d: line too long", path,
			    lineno);
			rc = -1;
			break;
		}
		if (apply_line(c, line, msg, sizeof msg) == -1) {
			snprintf(err, errlen, "%s:%d: %s", path, lineno, msg);
			rc = -1;
			break;
		}
	}
	if (rc == 0 && ferror(f)) {
		snprintf(err, errlen, "%s: read error", path);
		rc = -1;
	}
	fclose(f);
	if (rc == 0)
		rc = config_validate(c, err, errlen);
	resolve_workers(c);
	return rc;
}

/* NULL if the hub URL can be used, else why not. */
static const char *
hub_problem(const char *hub)
{
	struct evhttp_uri *uri;
	const char *why = NULL;

	if (hub[0] == '\0')
		return NULL;
	if ((uri = evhttp_uri_parse(hub)) == NULL)
		return "websub_hub is not a URL";
	if (evhttp_uri_get_scheme(uri) == NULL ||
	    (strcmp(evhttp_uri_get_scheme(uri), "http") != 0 &&
	    strcmp(evhttp_uri_get_scheme(uri), "https") != 0) ||
	    evhttp_uri_get_host(uri) == NULL ||
	    evhttp_uri_get_host(uri)[0] == '\0')
		why = "websub_hub must be an http:// or https:// URL";
	evhttp_uri_free(uri);
	return why;
}

int
config_base_url_ok(const char *url)
{
	const char *host = strstr(url, "://");

	return (str_has_prefix(url, "http://") ||
	    str_has_prefix(url, "https://")) && host != NULL &&
	    host[3] != '\0' && host[3] != '/' &&
	    strpbrk(url, " \t\r\n\"<>\\") == NULL;
}

int
config_validate(const struct config *c, char *err, size_t errlen)
{
	size_t n = strlen(c->base_url);

	while (n > 0 && c->base_url[n - 1] == '/')
		c->base_url[--n] = '\0';
	if (!config_base_url_ok(c->base_url)) {
		snprintf(err, errlen, "base_url must be an http:// or https:// "
		    "URL with a host, such as https://feeds.example.org");
		return -1;
	}
	if (strcmp(c->timezone, "UTC") != 0 && !dates_zone_exists(c->timezone)) {
		snprintf(err, errlen, "timezone '%s' is not a known IANA time "
		    "zone", c->timezone);
		return -1;
	}
	if (c->id_authority[0] == '\0' || strpbrk(c->id_authority,
	    " \t,:/") != NULL) {
		snprintf(err, errlen, "id_authority must be a domain name "
		    "such as example.org");
		return -1;
	}
	if (hub_problem(c->websub_hub) != NULL) {
		snprintf(err, errlen, "%s", hub_problem(c->websub_hub));
		return -1;
	}
	if (c->listen[0] == '\0' || c->content_dir[0] == '\0') {
		snprintf(err, errlen, "listen and content_dir must be set");
		return -1;
	}
	return 0;
}

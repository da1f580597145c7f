/*
 * config.h -- crier's settings, their defaults and the file they come from.
 */
#ifndef CRIER_CONFIG_H
#define CRIER_CONFIG_H

#include <stddef.h>

#define MAX_WORKERS	16	/* serving event loops */
#define CONFIG_MAX_SETTINGS 40	/* entries of config.c's table, at most */

struct hugo_site;

/* Where a setting's value came from; a stronger source wins over a
 * weaker one whatever the order they are applied in (config_set). */
enum config_origin {
	CONFIG_DEFAULT,		/* built in */
	CONFIG_HUGO,		/* the Hugo site's configuration (hugo.c) */
	CONFIG_FILE,		/* written in crier.conf */
	CONFIG_FLAG		/* the command line */
};

/* A section's own COLOR (crier.conf "color.SECTION = NAME"). */
struct config_section_color {
	char	*section;
	char	*color;			/* a CSS3 name, lower case */
};

struct config {
	char	*title;
	char	*description;
	char	*base_url;		/* public URL, no trailing slash */
	char	*id_authority;		/* tag: URI authority, a domain */
	char	*author;
	char	*author_email;
	char	*organizer;		/* calendar ORGANIZER, an email */
	char	*language;
	char	*listen;		/* ADDR:PORT or [ADDR]:PORT */
	char	*content_dir;
	char	*timezone;		/* IANA name */
	char	*state_file;		/* "" for none */
	char	*output_dir;		/* "" for none */
	char	*websub_hub;		/* "" for none */
	char	*user;			/* "" to keep the current user */
	char	*hugo_site;		/* a Hugo site's root, "" for none */
	char	*color;			/* calendar COLOR, a CSS3 name; "" */
	struct config_section_color *section_colors;
	size_t	 nsection_colors;
	int	 feed_entries;
	int	 archive_entries;	/* entries per archive page; 0: none */
	int	 archive_max_age;	/* max-age of a full archive page */
	int	 max_age;		/* Cache-Control max-age, seconds */
	int	 refresh_interval;	/* calendar REFRESH-INTERVAL, seconds */
	int	 past_event_days;	/* 0 keeps every past event */
	int	 debounce_ms;
	int	 max_file_size;
	int	 max_resource_size;	/* a bundle resource served, bytes */
	int	 body_cache_size;	/* identity bodies kept, bytes
					   (bodycache.c); 0: all */
	int	 max_events_per_page;
	int	 max_header_size;
	int	 idle_timeout;		/* seconds */
	int	 max_connections;
	int	 workers;		/* event loops serving HTTP; 0: a core each */
	int	 unsafe_html;		/* Markdown's raw HTML: 0 omitted, 1 sanitised */
	int	 summary_length;	/* words of a summary not written */
	int	 has_cjk_language;	/* count CJK summaries by character */
	int	 enable_emoji;		/* ":smile:" as the emoji (Hugo's) */
	unsigned char origin[CONFIG_MAX_SETTINGS];	/* enum config_origin,
							   by table entry */
	/* What was read of the Hugo site, or NULL: hugo.c's, which also
	 * sets how a copy of the settings copies it and frees it (the
	 * settings know nothing of Hugo). */
	struct hugo_site *hugo;
	struct hugo_site *(*hugo_copy)(const struct hugo_site *);
	void		 (*hugo_free)(struct hugo_site *);
};

void	config_defaults(struct config *);
void	config_free(struct config *);
/* A deep copy, for an event loop of its own. */
void	config_copy(struct config *to, const struct config *from);
/*
 * A deep copy that several threads hold, freed by the last: what a
 * document rendered on request is rendered with (catalog_jobs.c), since
 * a reload replaces the daemon's settings in place while a serving loop
 * may be rendering a document of the last version.
 */
struct config_shared {
	int		 refs;		/* atomic */
	struct config	 cfg;
};
struct config_shared *config_share(const struct config *);
struct config_shared *config_shared_ref(struct config_shared *);
void	config_shared_unref(struct config_shared *);
/* Reads path over the defaults; on error fills err with "path:line: ...". */
int	config_load(struct config *, const char *path, char *err, size_t);
/*
 * Sets a setting by name from a source, unless a stronger source set it
 * already (then returns 0, changing nothing); -1 with err for an unknown
 * name or a bad value.
 */
int	config_set(struct config *, const char *name, const char *value,
	    enum config_origin, char *err, size_t);
enum config_origin config_origin(const struct config *, const char *name);
/* Forgets where a setting came from, so that any source may set it. */
void	config_forget_origin(struct config *, const char *name);
/*
 * The COLOR of a section's calendar and events (RFC 7986): the section's
 * own, else the site's; NULL for none.  section NULL: the site's.
 */
const char *config_color(const struct config *, const char *section);
/* Whether a base_url is an http(s) URL with a host, nothing to escape. */
int	config_base_url_ok(const char *);
/* Checks values that depend on each other (time zone, URL, ...). */
int	config_validate(const struct config *, char *err, size_t);

#endif

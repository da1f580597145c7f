/*
 * site_fixture.h -- the site settings the page, writer and index tests
 * share: defaults, with a public URL, an id authority and a zone that has
 * summer time.  Used as the group setup and teardown.
 */
#ifndef CRIER_TEST_SITE_FIXTURE_H
#define CRIER_TEST_SITE_FIXTURE_H

#include <stdlib.h>

#include "config.h"
#include "util.h"

/* The settings the page and writer tests share: defaults, with a public
 * URL, an id authority and a zone that has summer time. */
static struct config cfg;

static inline int
setup_config(void **state)
{
	(void)state;
	config_defaults(&cfg);
	free(cfg.base_url);
	cfg.base_url = xstrdup("https://meet.example.org");
	free(cfg.id_authority);
	cfg.id_authority = xstrdup("example.org");
	free(cfg.timezone);
	cfg.timezone = xstrdup("Europe/Berlin");
	return 0;
}

static inline int
teardown_config(void **state)
{
	(void)state;
	config_free(&cfg);
	return 0;
}


#endif

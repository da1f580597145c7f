/*
 * test_paths.c -- request paths to the canonical form documents are kept
 * under (urls_canonical_path): traversal, encoded slashes and NULs,
 * overlong UTF-8 and malformed escapes refused; escapes upper-cased and
 * raw UTF-8 percent-encoded; a path is decoded once, never twice.
 */
#include <stdio.h>
#include <stdlib.h>

#include "fixture.h"

#include "urls.h"
#include "util.h"

static void
request_paths(void **state)
{
	static const char *bad[] = {
		"/../etc/passwd", "/%2e%2e/x", "/a/%2f/b", "/a%00b", "/a\\b",
		"/a%5cb", "/%c0%ae%c0%ae/x", "//x", "/%zz", "relative", "/%",
	};
	char *p;
	size_t i;

	(void)state;
	for (i = 0; i < nitems(bad); i++) {
		p = urls_canonical_path(bad[i]);
		if (p != NULL)
			fail_msg("%s was accepted as %s", bad[i], p);
	}
	p = urls_canonical_path("/tags/%e4%ba%91/feed.atom");
	assert_string_equal(p, "/tags/%E4%BA%91/feed.atom");
	free(p);
	p = urls_canonical_path("/tags/\xe4\xba\x91/");
	assert_string_equal(p, "/tags/%E4%BA%91/");
	free(p);
	p = urls_canonical_path("/");
	assert_string_equal(p, "/");
	free(p);
	/* %252e decodes once, to "%2e": a harmless name, never "..". */
	p = urls_canonical_path("/%252e%252e/x");
	assert_string_equal(p, "/%252e%252e/x");
	free(p);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(request_paths),
	};

	return cmocka_run_group_tests_name("paths", tests, NULL, NULL);
}

/*
 * test_state.c -- the state that keeps `updated` and SEQUENCE honest:
 * unchanged content moves nothing, an edit moves both, and the state file
 * survives a round trip; a corrupt one is reported, never fatal.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fixture.h"

#include "state.h"
#include "util.h"

static void
state_revisions(void **state)
{
	struct state st;
	time_t lm;
	int seq;

	(void)state;
	state_init(&st, NULL);
	state_event_revision(&st, "u1", 111, 0, 1000, 5000, &seq, &lm);
	assert_int_equal(seq, 0);
	assert_int_equal(lm, 1000);
	state_event_revision(&st, "u1", 111, 0, 1000, 6000, &seq, &lm);
	assert_int_equal(seq, 0);	/* unchanged: nothing moves */
	assert_int_equal(lm, 1000);
	state_event_revision(&st, "u1", 222, 0, 1000, 7000, &seq, &lm);
	assert_int_equal(seq, 1);	/* edited: SEQUENCE grows */
	assert_int_equal(lm, 7000);
	state_event_revision(&st, "u1", 333, 0, 1000, 8000, &seq, &lm);
	assert_int_equal(seq, 2);
	assert_int_equal(state_entry_updated(&st, "p", 1, 100, 500), 100);
	assert_int_equal(state_entry_updated(&st, "p", 1, 100, 600), 100);
	assert_int_equal(state_entry_updated(&st, "p", 2, 100, 700), 700);
	state_free(&st);
}

static void
state_file_round_trip(void **state)
{
	char path[] = "/tmp/crier-state-XXXXXX", err[256];
	struct state st, back;
	time_t lm;
	int fd = mkstemp(path), seq;
	FILE *f;

	(void)state;
	assert_true(fd != -1);
	close(fd);
	state_init(&st, path);
	state_event_revision(&st, "u1", 1, 0, 1000, 5000, &seq, &lm);
	state_event_revision(&st, "u1", 2, 0, 1000, 6000, &seq, &lm);
	assert_int_equal(state_save(&st, err, sizeof err), 0);
	state_init(&back, path);
	assert_int_equal(state_load(&back, err, sizeof err), 0);
	state_event_revision(&back, "u1", 2, 0, 1000, 9000, &seq, &lm);
	assert_int_equal(seq, 1);
	assert_int_equal(lm, 6000);
	state_free(&back);
	/* A corrupt file is reported, never fatal. */
	f = fopen(path, "w");
	assert_non_null(f);
	assert_true(fputs("{ not json", f) >= 0);
	assert_int_equal(fclose(f), 0);
	state_init(&back, path);
	assert_int_equal(state_load(&back, err, sizeof err), -1);
	assert_non_null(strstr(err, "corrupt"));
	state_free(&back);
	state_free(&st);
	unlink(path);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(state_revisions),
		cmocka_unit_test(state_file_round_trip),
	};

	return cmocka_run_group_tests_name("state", tests, NULL, NULL);
}

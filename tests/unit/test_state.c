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

#include "file.h"
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

#define MANY_RECORDS 3000

/* Record i's key: every character JSON must escape, and UTF-8. */
static char *
odd_key(const char *kind, size_t i)
{
	return xasprintf("%s/\"q\\b\n\t\x01-\xc3\xa9-\xe4\xb8\xad-%zu.md", kind, i);
}

static void
fill(struct state *st, int reverse)
{
	time_t lm;
	size_t k, i;
	int seq;

	for (k = 0; k < MANY_RECORDS; k++) {
		char *key, *id;

		i = reverse ? MANY_RECORDS - 1 - k : k;
		key = odd_key("p", i);
		id = xasprintf("tag:x,2026:\"%zu\"", i);
		state_entry_updated(st, key, 0x1234567890abcdefULL + i,
		    (time_t)(1000 + i), 5000);
		state_entry_id(st, key, id);
		free(key);
		free(id);
		key = odd_key("e", i);
		state_event_revision(st, key, 7, 0, (time_t)(2000 + i), 5000,
		    &seq, &lm);
		state_event_revision(st, key, 8 + i, 0, 0, (time_t)(6000 + i),
		    &seq, &lm);
		free(key);
	}
}

static char *
slurp(const char *path, size_t *len)
{
	char *data, err[256];

	assert_int_equal(file_read(path, 64 << 20, &data, len, err,
	    sizeof err), 0);
	return data;
}

/*
 * Thousands of records (the file is written in many pieces), keys and
 * ids that need escaping: read back as they were, valid JSON by jansson's
 * reader, and the same bytes whatever order the records came in -- by
 * state_save and by the saver thread alike.
 */
static void
state_file_many_records(void **state)
{
	char a[] = "/tmp/crier-state-XXXXXX", b[] = "/tmp/crier-state-XXXXXX";
	char err[256], *da, *db, *key;
	struct state st, rev, back;
	struct state_saver sv;
	size_t i, la, lb;
	time_t lm;
	int seq;

	(void)state;
	assert_true(close(mkstemp(a)) == 0 && close(mkstemp(b)) == 0);
	state_init(&st, a);
	fill(&st, 0);
	assert_int_equal(state_save(&st, err, sizeof err), 0);
	state_init(&rev, b);
	fill(&rev, 1);
	memset(&sv, 0, sizeof sv);
	state_save_async(&rev, &sv);
	state_saver_stop(&sv);		/* drains: the file is written */
	da = slurp(a, &la);
	db = slurp(b, &lb);
	assert_true(la > 256 * 1024);	/* many flushes of the writer */
	assert_int_equal(la, lb);
	assert_memory_equal(da, db, la);
	free(da);
	free(db);

	state_init(&back, a);
	assert_int_equal(state_load(&back, err, sizeof err), 0);
	for (i = 0; i < MANY_RECORDS; i++) {
		char *id = xasprintf("tag:x,2026:\"%zu\"", i);

		key = odd_key("p", i);
		assert_int_equal(state_entry_updated(&back, key,
		    0x1234567890abcdefULL + i, 0, 9000), (time_t)(1000 + i));
		assert_string_equal(state_entry_id(&back, key, "other"), id);
		free(key);
		free(id);
		key = odd_key("e", i);
		state_event_revision(&back, key, 8 + i, 0, 0, 9000, &seq, &lm);
		assert_int_equal(seq, 1);
		assert_int_equal(lm, (time_t)(6000 + i));
		free(key);
	}
	state_free(&back);
	state_free(&st);
	state_free(&rev);
	unlink(a);
	unlink(b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(state_revisions),
		cmocka_unit_test(state_file_round_trip),
		cmocka_unit_test(state_file_many_records),
	};

	return cmocka_run_group_tests_name("state", tests, NULL, NULL);
}

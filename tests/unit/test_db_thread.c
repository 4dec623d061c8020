/* Unit tests of the server's connections (db_thread.c): workers' write
 * transactions through the process's one writer, every statement of one
 * going there (its last id, its changes); the writer given back on a
 * rollback and at a failed begin; reads outside a write on the worker's
 * own connection; and the checkpointer keeping the WAL bounded while
 * several threads write without a pause. */
#include "unit.h"

#include <pthread.h>
#include <sys/stat.h>

#define WRITERS 4
#define WRITES 2000   /* each of WRITERS: ~4 pages each, 32,000 pages in all (256 MiB of WAL unchecked) */

static db_t *db;
static char path[64];

static int
setup(void **state)
{
	db = unit_db(-1, path);
	if (!db || db_exec1(db, "CREATE TABLE t(id INTEGER PRIMARY KEY, who INTEGER NOT NULL, pad BLOB)") != DB_DONE)
		return -1;
	db_thread_init(path);
	return 0;
}

static int
teardown(void **state)
{
	db_thread_close_all();
	unit_db_drop(db, path);
	return 0;
}

static void *
writer(void *arg)
{
	intptr_t who = (intptr_t)arg, bad = 0;
	db_t *w = db_thread();
	if (!w)
		return (void *)1;
	for (int i = 0; i < WRITES; i++) {
		if (db_begin(w) != 0) {
			bad++;
			continue;
		}
		db_stmt *s = db_prep(w, "INSERT INTO t(who, pad) VALUES (?1, zeroblob(24000))");
		db_bind_int(s, 1, who);
		int rc = s ? db_step(s) : DB_ERROR;
		db_done(s);
		/* the insert's id and count are the writer's, where it ran */
		if (rc != DB_DONE || db_last_id(w) <= 0 || db_changes(w) != 1 || db_commit(w) != 0) {
			db_rollback(w);
			bad++;
		}
	}
	return (void *)bad;
}

static void
test_writers_share_one_connection_and_the_wal_stays_bounded(void **state)
{
	pthread_t t[WRITERS];
	for (intptr_t i = 0; i < WRITERS; i++)
		assert_int_equal(pthread_create(&t[i], NULL, writer, (void *)i), 0);
	for (int i = 0; i < WRITERS; i++) {
		void *bad;
		pthread_join(t[i], &bad);
		assert_int_equal((intptr_t)bad, 0);
	}
	assert_int_equal(unit_count(db, "SELECT count(*) FROM t"), WRITERS * WRITES);
	for (int i = 0; i < WRITERS; i++) {
		char sql[80];
		snprintf(sql, sizeof(sql), "SELECT count(*) FROM t WHERE who = %d", i);
		assert_int_equal(unit_count(db, sql), WRITES);
	}
	/* checkpointed while they wrote and started again from its
	 * beginning: never past the 128 MiB at which the writer checkpoints
	 * itself, whatever the checkpointer's thread could do meanwhile,
	 * far below the 256 MiB written */
	char wal[80];
	struct stat st;
	snprintf(wal, sizeof(wal), "%s-wal", path);
	assert_int_equal(stat(wal, &st), 0);
	assert_true(st.st_size <= (128 << 20) + (4 << 20));
}

static void
test_the_writer_is_given_back(void **state)
{
	db_t *w = db_thread();
	assert_non_null(w);
	/* a rollback gives it back: the next begin does not wait forever */
	assert_int_equal(db_begin(w), 0);
	assert_int_equal(db_exec1(w, "INSERT INTO t(who) VALUES (-1)"), DB_DONE);
	db_rollback(w);
	assert_int_equal(db_begin(w), 0);
	assert_int_equal(db_exec1(w, "INSERT INTO t(who) VALUES (-2)"), DB_DONE);
	/* a begin inside the write fails where the write is, and keeps it */
	assert_int_equal(db_begin(w), -1);
	assert_int_equal(db_commit(w), 0);
	assert_int_equal(unit_count(db, "SELECT count(*) FROM t WHERE who < 0"), 1);
	/* reads outside a write are the worker's own, in its snapshot */
	assert_int_equal(db_read_begin(w), 0);
	int64_t before = unit_count(w, "SELECT count(*) FROM t");
	assert_int_equal(db_exec1(db, "INSERT INTO t(who) VALUES (-3)"), DB_DONE);
	assert_int_equal(unit_count(w, "SELECT count(*) FROM t"), before);
	db_read_end(w);
	assert_int_equal(unit_count(w, "SELECT count(*) FROM t"), before + 1);
	/* a commit that fails gives it back too */
	assert_int_equal(db_begin(w), 0);
	assert_int_equal(db_exec1(w, "PRAGMA defer_foreign_keys=ON"), DB_DONE);
	assert_int_equal(db_exec1(w, "INSERT INTO wo_history(wo_number, seq, at, field, user_label) VALUES (999999, 1, 0,"
	    " 'x', 'y')"), DB_DONE);
	assert_int_equal(db_commit(w), -1);
	/* a write a request left open is rolled back at its end */
	assert_int_equal(db_begin(w), 0);
	assert_int_equal(db_exec1(w, "INSERT INTO t(who) VALUES (-4)"), DB_DONE);
	db_thread_end_request(w);
	assert_int_equal(db_begin(w), 0);
	db_rollback(w);
	assert_int_equal(unit_count(db, "SELECT count(*) FROM t WHERE who = -4"), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_writers_share_one_connection_and_the_wal_stays_bounded),
		cmocka_unit_test(test_the_writer_is_given_back),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}

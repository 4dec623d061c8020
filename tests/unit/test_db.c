/* Unit tests of the database interface (db.c): migrations applied once,
 * statements cached per connection, bound values, constraint errors as
 * values, write transactions rolled back whole, and a page's read snapshot
 * that a concurrent writer does not disturb. */
#include "unit.h"

static db_t *db;
static char path[64];

static int
setup(void **state)
{
	db = unit_db(-1, path);
	return db ? 0 : -1;
}

static int
teardown(void **state)
{
	unit_db_drop(db, path);
	return 0;
}

static void
test_migrations_run_once(void **state)
{
	char err[256];
	assert_int_equal(db_migrate(db, err, sizeof(err)), 0);
	assert_true(unit_count(db, "SELECT count(*) FROM sqlite_master WHERE name = 'wo'") == 1);
	/* statistics are made after migrations that applied (a new index
	 * without them can look best to the planner and sort a whole table):
	 * only ANALYZE makes this table */
	assert_true(unit_count(db, "SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_stat1'") == 1);
}

static void
test_statements_bind_and_fail_as_values(void **state)
{
	assert_int_equal(db_exec1(db, "CREATE TABLE t(k TEXT PRIMARY KEY, v INTEGER NOT NULL)"), DB_DONE);
	const char *ins = "INSERT INTO t(k, v) VALUES (?1, ?2)";
	db_stmt *s = db_prep(db, ins);
	assert_non_null(s);
	db_bind_text(s, 1, "it's; DROP TABLE t; --");
	db_bind_int(s, 2, 7);
	assert_int_equal(db_step(s), DB_DONE);
	db_done(s);
	assert_ptr_equal(db_prep(db, ins), s);   /* cached, reset, no bindings */
	db_bind_text(s, 1, "it's; DROP TABLE t; --");
	db_bind_int(s, 2, 8);
	assert_int_equal(db_step(s), DB_CONSTRAINT);
	db_done(s);
	s = db_prep(db, ins);
	db_bind_text(s, 1, "null v");
	assert_int_equal(db_step(s), DB_CONSTRAINT);
	db_done(s);
	s = db_prep(db, "SELECT v, k FROM t WHERE k = ?1");
	db_bind_text(s, 1, "it's; DROP TABLE t; --");
	assert_int_equal(db_step(s), DB_ROW);
	assert_int_equal(db_col_int(s, 0), 7);
	assert_string_equal(db_col_text(s, 1), "it's; DROP TABLE t; --");
	assert_int_equal(db_step(s), DB_DONE);
	db_done(s);
	assert_null(db_prep(db, "SELEC nonsense"));
}

static void
test_rollback_is_whole(void **state)
{
	unit_check_rollback(db);
}

static void
test_read_snapshot_holds_while_another_writes(void **state)
{
	db_t *other;
	char err[256];
	assert_int_equal(db_open(path, &other, err, sizeof(err)), 0);
	assert_int_equal(db_read_begin(db), 0);
	int64_t before = unit_count(db, "SELECT count(*) FROM t");
	assert_int_equal(db_exec1(other, "INSERT INTO t(k, v) VALUES ('during', 3)"), DB_DONE);
	assert_int_equal(unit_count(db, "SELECT count(*) FROM t"), before);   /* the same snapshot */
	db_read_end(db);
	assert_int_equal(unit_count(db, "SELECT count(*) FROM t"), before + 1);
	db_read_end(db);   /* ending twice is harmless */
	db_close(other);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_migrations_run_once),
		cmocka_unit_test(test_statements_bind_and_fail_as_values),
		cmocka_unit_test(test_rollback_is_whole),
		cmocka_unit_test(test_read_snapshot_holds_while_another_writes),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}

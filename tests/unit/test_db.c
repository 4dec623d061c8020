/* Unit tests of the database interface (db.c): migrations applied once,
 * statements cached per connection, bound values, constraint errors as
 * values, write transactions rolled back whole, a page's read snapshot
 * that a concurrent writer does not disturb, the search functions
 * (db_match.c) answering as the search index does, db_budget, and a
 * walk backwards through the file read ahead of it (db_vfs.c). */
#include "unit.h"
#include "search.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

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

static const char *
text1(const char *sql, const char *arg)
{
	static char out[256];
	db_stmt *s = db_prep(db, sql);
	assert_non_null(s);
	db_bind_text(s, 1, arg);
	assert_int_equal(db_step(s), DB_ROW);
	snprintf(out, sizeof(out), "%s", db_col_text(s, 0));
	db_done(s);
	return out;
}

/* fw_match says what the index says, for plain and accented text, every
 * word a prefix and all of them required. */
static void
test_match_agrees_with_the_index(void **state)
{
	assert_string_equal(text1("SELECT fw_fold(?1)", "Café  Ürban-Road, CT4020_HD"), "cafe urban road ct4020 hd");
	/* the scoped index's text: each token behind the company's prefix */
	assert_string_equal(text1("SELECT fw_scoped(12, 1, ?1, NULL, 20088, '')", "Café  Ürban-Road, CT4020_HD"),
	    "12xcafe 12k1xcafe k1xcafe 12xurban 12k1xurban k1xurban 12xroad 12k1xroad k1xroad"
	    " 12xct4020 12k1xct4020 k1xct4020 12xhd 12k1xhd k1xhd 12x20088 12k1x20088 k1x20088");
	assert_string_equal(text1("SELECT fw_scoped(3, 0, ?1)", " -- "), "");
	assert_int_equal(db_exec1(db, "CREATE TABLE doc(id INTEGER PRIMARY KEY, a TEXT, b TEXT)"), DB_DONE);
	assert_int_equal(db_exec1(db, "CREATE VIRTUAL TABLE doc_fts USING fts5(a, b, content='doc', content_rowid='id',"
	    " tokenize='unicode61 remove_diacritics 2', detail=none)"), DB_DONE);
	static const char *docs[][2] = {
		{ "Assure - Charging Cable Replacement", "Florida - Jacksonville" },
		{ "Café Ürban install", "Zürich" },
		{ "CT4020-HD head", "20088123" },
		{ "", "Kohl's 114" },
		{ "naïve  Æsir œuvre", "straße" },
		{ "Pump ve-naïve ventX", "Ödeme 7x" },   /* ASCII words before and after the first other byte */
	};
	db_stmt *ins = db_prep(db, "INSERT INTO doc(id, a, b) VALUES (?1, ?2, ?3)");
	db_stmt *fts = db_prep(db, "INSERT INTO doc_fts(rowid, a, b) VALUES (?1, ?2, ?3)");
	for (int i = 0; i < 6; i++) {
		db_stmt *both[] = { ins, fts };
		for (int k = 0; k < 2; k++) {
			db_bind_int(both[k], 1, i + 1);
			db_bind_text(both[k], 2, docs[i][0]);
			db_bind_text(both[k], 3, docs[i][1]);
			assert_int_equal(db_step(both[k]), DB_DONE);
			db_done(both[k]);
		}
	}
	static const char *searches[] = { "replace", "jack flor", "cafe", "CAFÉ", "urb zur", "ct4020 hd", "2008",
	    "kohl s", "114", "naive", "aesir", "oeuvre", "strasse", "stra", "assure zzz", "head", "he", "e",
	    "ve", "vent", "pump nai", "7x", "odeme", "ventx pump", "x" };
	for (size_t i = 0; i < sizeof(searches) / sizeof(*searches); i++) {
		char terms[256], words[256];
		snprintf(words, sizeof(words), "%s", text1("SELECT fw_fold(?1)", searches[i]));
		assert_int_equal(search_expr(words, terms, sizeof(terms)), 0);
		db_stmt *idx = db_prep(db, "SELECT group_concat(rowid) FROM (SELECT rowid FROM doc_fts WHERE doc_fts MATCH ?1"
		    " ORDER BY rowid)");
		db_stmt *fn = db_prep(db, "SELECT group_concat(id) FROM (SELECT id FROM doc WHERE fw_match(?1, a, b)"
		    " ORDER BY id)");
		db_bind_text(idx, 1, terms);
		db_bind_text(fn, 1, words);
		assert_int_equal(db_step(idx), DB_ROW);
		assert_int_equal(db_step(fn), DB_ROW);
		assert_string_equal(db_col_text(fn, 0), db_col_text(idx, 0));
		db_done(idx);
		db_done(fn);
	}
	/* the hit set: what fw_collect gathered, and nothing else */
	assert_int_equal(unit_count(db, "SELECT fw_collect(rowid) FROM doc_fts WHERE doc_fts MATCH '\"head\"*'"), 1);
	assert_int_equal(unit_count(db, "SELECT count(*) FROM doc WHERE fw_hit(id)"), 1);
	assert_int_equal(unit_count(db, "SELECT id FROM doc WHERE fw_hit(id)"), 3);
	assert_int_equal(unit_count(db, "SELECT fw_collect(x) FROM (SELECT 5 AS x UNION ALL SELECT 70000 UNION ALL"
	    " SELECT 1000000)"), 3);
	assert_int_equal(unit_count(db, "SELECT fw_hit(70000) + fw_hit(1000000) + fw_hit(5) + fw_hit(6) + fw_hit(69999)"), 3);
	assert_int_equal(unit_count(db, "SELECT fw_collect(rowid) FROM doc_fts WHERE doc_fts MATCH '\"nothing\"'"), 0);
	assert_int_equal(unit_count(db, "SELECT fw_hit(70000)"), 0);
	/* numbers too far apart for a hit set: NULL, and the set is empty */
	db_stmt *far = db_prep(db, "SELECT fw_collect(x) IS NULL FROM (SELECT 1 AS x UNION ALL SELECT 1 << 40)");
	assert_int_equal(db_step(far), DB_ROW);
	assert_int_equal(db_col_int(far, 0), 1);
	db_done(far);
	assert_int_equal(unit_count(db, "SELECT fw_hit(1)"), 0);
}

/* A bounded statement stops at the same place each time with DB_BUDGET;
 * without a bound it runs to the end. */
static void
test_budget_stops_long_work(void **state)
{
	const char *sql = "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1000000) SELECT i FROM n";
	int64_t rows[2];
	for (int round = 0; round < 2; round++) {
		db_budget(db, 20000);
		db_stmt *s = db_prep(db, sql);
		int rc;
		int64_t n = 0;
		while ((rc = db_step(s)) == DB_ROW)
			n++;
		db_done(s);
		assert_int_equal(rc, DB_BUDGET);
		assert_true(n > 0 && n < 1000000);
		rows[round] = n;
	}
	assert_int_equal(rows[0], rows[1]);
	db_budget(db, 0);
	assert_int_equal(unit_count(db, "SELECT count(*) FROM (WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1"
	    " FROM n WHERE i < 1000000) SELECT i FROM n)"), 1000000);
}

/* Pages of the file at FD (SIZE bytes) in the kernel's cache. */
static long
resident(int fd, size_t size)
{
	long pg = sysconf(_SC_PAGESIZE), n = 0;
	size_t npages = (size + (size_t)pg - 1) / (size_t)pg;
	void *m = mmap(NULL, size, PROT_READ, MAP_SHARED, fd, 0);
	unsigned char *v = calloc(npages, 1);
	assert_true(m != MAP_FAILED && v);
	assert_int_equal(mincore(m, size, v), 0);
	for (size_t i = 0; i < npages; i++)
		n += v[i] & 1;
	munmap(m, size);
	free(v);
	return n;
}

static void
test_walk_backwards_reads_ahead(void **state)
{
	/* some 1,000 pages of rows in key order, all in the main file */
	assert_int_equal(db_exec1(db, "CREATE TABLE back(k INTEGER PRIMARY KEY, pad BLOB)"), DB_DONE);
	assert_int_equal(db_exec1(db, "INSERT INTO back(k, pad) WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL"
	    " SELECT i + 1 FROM n WHERE i < 4000) SELECT i, zeroblob(900) FROM n"), DB_DONE);
	assert_int_equal(db_exec1(db, "PRAGMA wal_checkpoint(TRUNCATE)"), DB_DONE);
	int fd = open(path, O_RDONLY);
	assert_true(fd >= 0);
	off_t size = lseek(fd, 0, SEEK_END);
	fdatasync(fd);
	posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
	long before = resident(fd, (size_t)size);
	if (before > 100) {   /* a file system that keeps its pages (tmpfs): nothing to see */
		fprintf(stderr, "test_walk_backwards_reads_ahead: %ld pages stay cached; not judged here\n", before);
		close(fd);
		return;
	}
	/* a new connection (an empty page cache) reads 30 leaves backwards */
	db_t *other;
	char err[256];
	assert_int_equal(db_open(path, &other, err, sizeof(err)), 0);
	assert_int_equal(unit_count(other, "SELECT count(*) FROM (SELECT k FROM back WHERE k < 3500 ORDER BY k DESC"
	    " LIMIT 120)"), 120);
	/* the window before them asked for too: 128 pages and more */
	long after = 0;
	for (int i = 0; i < 100 && (after = resident(fd, (size_t)size)) < before + 150; i++)
		usleep(10000);
	db_close(other);
	close(fd);
	assert_true(after >= before + 150);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_migrations_run_once),
		cmocka_unit_test(test_statements_bind_and_fail_as_values),
		cmocka_unit_test(test_rollback_is_whole),
		cmocka_unit_test(test_read_snapshot_holds_while_another_writes),
		cmocka_unit_test(test_match_agrees_with_the_index),
		cmocka_unit_test(test_budget_stops_long_work),
		cmocka_unit_test(test_walk_backwards_reads_ahead),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}

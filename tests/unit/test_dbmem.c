/* Unit tests of dbmem.c: SQLite's page buffers taken from the region and
 * given back when a connection closes, reused rather than new memory
 * touched when a cache fills again, and reallocations across the slot
 * classes and out to malloc keeping their bytes; the prefault backing
 * memory before any slot is handed out. */
#include "unit.h"
#include "dbmem.h"

#include <sqlite3.h>

static int active;

static int
setup(void **state)
{
	active = dbmem_init();   /* before any database opens */
	return active < 0 ? -1 : 0;
}

/* Reads every row of t on a new connection to PATH; returns the page
 * buffers in use while it was open. */
static size_t
read_all(const char *path)
{
	db_t *db;
	char err[256];
	assert_int_equal(db_open(path, &db, err, sizeof(err)), 0);
	db_stmt *s = db_prep(db, "SELECT sum(length(pad)) FROM t");
	assert_non_null(s);
	assert_int_equal(db_step(s), DB_ROW);
	assert_int_equal(db_col_int(s, 0), 2000 * 3000);
	db_done(s);
	size_t n = dbmem_in_use();
	db_close(db);
	return n;
}

static void
test_pages_reused(void **state)
{
	if (!active)
		skip();
	char path[64];
	db_t *db = unit_db(-1, path);
	assert_non_null(db);
	assert_int_equal(db_exec1(db, "CREATE TABLE t(id INTEGER PRIMARY KEY, pad BLOB)"), DB_DONE);
	assert_int_equal(db_exec1(db, "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2000)"
	    " INSERT INTO t(pad) SELECT randomblob(3000) FROM n"), DB_DONE);
	db_close(db);
	assert_int_equal(dbmem_in_use(), 0);   /* every page buffer back on the free list */

	/* 2,000 rows of 3,000 bytes: a page each, all in the 32 MiB cache */
	assert_true(read_all(path) >= 2000);
	assert_int_equal(dbmem_in_use(), 0);
	size_t touched = dbmem_touched();
	assert_true(touched >= 2000 * 4096);
	/* the same reads again take the buffers just freed, no new memory */
	assert_true(read_all(path) >= 2000);
	assert_int_equal(dbmem_touched(), touched);
	unit_db_drop(NULL, path);
}

static void
test_realloc_keeps_bytes(void **state)
{
	if (!active)
		skip();
	size_t base = dbmem_in_use();
	unsigned char *p = sqlite3_malloc(5000);
	assert_non_null(p);
	assert_int_equal(sqlite3_msize(p), 4096 + 1024);   /* a 4 KiB page's slot */
	assert_int_equal(dbmem_in_use(), base + 1);
	for (int i = 0; i < 5000; i++)
		p[i] = (unsigned char)(i * 7);
	p = sqlite3_realloc(p, 9000);   /* to an 8 KiB page's slot */
	assert_non_null(p);
	assert_int_equal(sqlite3_msize(p), 8192 + 1024);
	for (int i = 0; i < 5000; i++)
		assert_int_equal(p[i], (unsigned char)(i * 7));
	p = sqlite3_realloc(p, 100);   /* out to malloc */
	assert_non_null(p);
	assert_true(sqlite3_msize(p) >= 100 && sqlite3_msize(p) < 4096);
	assert_int_equal(dbmem_in_use(), base);
	for (int i = 0; i < 100; i++)
		assert_int_equal(p[i], (unsigned char)(i * 7));
	sqlite3_free(p);
}

/* Resident kilobytes of this process. */
static long
rss_kib(void)
{
	long pages = 0, rss = 0;
	FILE *f = fopen("/proc/self/statm", "r");
	if (f) {
		if (fscanf(f, "%ld %ld", &pages, &rss) != 2)
			rss = 0;
		fclose(f);
	}
	return rss * (sysconf(_SC_PAGESIZE) / 1024);
}

static void
test_prefault_backs_memory(void **state)
{
	if (!active)
		skip();
	size_t touched = dbmem_touched();
	long before = rss_kib();
	/* 16 MiB past what the reads above used (backed already, in 2 MiB
	 * pages where the kernel gives them) */
	dbmem_prefault(touched + ((size_t)16 << 20));
	assert_true(rss_kib() - before >= 12 * 1024);
	assert_int_equal(dbmem_touched(), touched);   /* backed, not handed out */
	void *p = sqlite3_malloc(4500);
	assert_non_null(p);
	sqlite3_free(p);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pages_reused),
		cmocka_unit_test(test_realloc_keeps_bytes),
		cmocka_unit_test(test_prefault_backs_memory),
	};
	return cmocka_run_group_tests(tests, setup, NULL);
}

/* db.c -- see db.h.  SQLite here; PostgreSQL through db_pg.c, chosen by
 * the path (a libpq URI) when the connection opens. */
#include "db.h"
#include "db_int.h"
#include "db_match.h"
#include "db_pg.h"
#include "util.h"

#include <pthread.h>
#include <sqlite3.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

/* The connection DB's statements go to: the process's writer during a
 * write transaction a worker began (db_begin), else DB. */
static inline db_t *
act(db_t *db)
{
	return db->via ? db->via : db;
}

/* Waiting for the write lock.  SQLite's own busy timeout sleeps and polls
 * (1, 2, 5, 10 ... 100 ms): under a steady write load a waiter oversleeps
 * the writer before it by milliseconds, and writes queue.  Here a waiter
 * sleeps until a connection of this process ends a write (or 2 ms pass,
 * for writers in other processes), for up to DB_BUSY_MS in all. */
#define DB_BUSY_MS 5000
static pthread_mutex_t busy_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t busy_cv;
static uint64_t busy_gen;   /* moves each time a write ends */

static int64_t
ms_between(const struct timespec *a, const struct timespec *b)
{
	return (int64_t)(b->tv_sec - a->tv_sec) * 1000 + (b->tv_nsec - a->tv_nsec) / 1000000;
}

static int
busy_wait(void *arg, int count)
{
	db_t *db = arg;
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	if (count == 0)
		db->busy_since = now;
	if (ms_between(&db->busy_since, &now) > DB_BUSY_MS)
		return 0;   /* SQLITE_BUSY to the caller */
	struct timespec until = now;
	until.tv_nsec += 2000000;
	if (until.tv_nsec >= 1000000000) {
		until.tv_sec++;
		until.tv_nsec -= 1000000000;
	}
	pthread_mutex_lock(&busy_mu);
	uint64_t gen = busy_gen;
	while (gen == busy_gen && pthread_cond_timedwait(&busy_cv, &busy_mu, &until) == 0)
		;
	pthread_mutex_unlock(&busy_mu);
	return 1;
}

/* A write of this process ended: its waiters try again. */
static void
busy_release(void)
{
	pthread_mutex_lock(&busy_mu);
	busy_gen++;
	pthread_cond_broadcast(&busy_cv);
	pthread_mutex_unlock(&busy_mu);
}

static uint64_t
sql_hash(const char *s)
{
	/* the list's statements are a few KB of text each, hashed on every
	 * request: eight bytes a step */
	size_t n = strlen(s);
	uint64_t h = 1469598103934665603ULL ^ n;
	for (; n >= 8; s += 8, n -= 8) {
		uint64_t w;
		memcpy(&w, s, 8);
		h = (h ^ w) * 1099511628211ULL;
		h ^= h >> 32;
	}
	for (; n; s++, n--)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}

/* Process-wide SQLite settings, before the library's first use.  Memory
 * statistics take a global mutex on every allocation and nothing reads
 * them; each connection is used by one thread at a time (db_thread), so
 * per-connection mutexes are not needed either. */
static void
global_init(void)
{
	pthread_condattr_t ca;
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&busy_cv, &ca);
	pthread_condattr_destroy(&ca);
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
	sqlite3_config(SQLITE_CONFIG_MULTITHREAD);
}

int
db_open(const char *path, db_t **out, char *err, size_t errlen)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	pthread_once(&once, global_init);
	*out = NULL;
	db_t *db = calloc(1, sizeof(*db));
	if (!db) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	static _Atomic uint64_t opened;
	db->id = atomic_fetch_add(&opened, 1) + 1;
	if (db_pg_is_uri(path)) {
		if (db_pg_open(path, &db->pg, err, errlen) != 0) {
			free(db);
			return -1;
		}
		db->path = strdup(path);
		*out = db;
		return 0;
	}
	int rc = sqlite3_open_v2(path, &db->h,
	    SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, db_vfs());
	if (rc != SQLITE_OK) {
		snprintf(err, errlen, "cannot open %s: %s", path,
		    db->h ? sqlite3_errmsg(db->h) : sqlite3_errstr(rc));
		sqlite3_close(db->h);
		free(db);
		return -1;
	}
	sqlite3_busy_handler(db->h, busy_wait, db);
	db->path = strdup(path);
	/* 4 KiB pages (a new database's; an older one keeps its own): a
	 * write puts each page it changes into the WAL whole -- a dozen for
	 * an Accept, some fifty for a new work order -- and with 8 KiB pages the
	 * writes through the API were a fifth slower (the median of five
	 * alternating rounds) with half again to twice the p99, the lists as
	 * fast and the searches' p99 a sixth slower */
	static const char *pragmas =
	    "PRAGMA page_size=4096;"
	    "PRAGMA journal_mode=WAL;"
	    "PRAGMA synchronous=NORMAL;"
	    "PRAGMA foreign_keys=ON;"
	    "PRAGMA temp_store=MEMORY;"
	    "PRAGMA cache_size=-32768;"
	    "PRAGMA mmap_size=0;";   /* see below */
	/* No memory map: when another connection has committed, SQLite drops
	 * a connection's cache at its next read and unmaps the whole file
	 * (with the other threads' TLBs) to map it again page fault by page
	 * fault.  After each write every worker paid that; read through its
	 * own cache the lists are as fast, and the writes through the API
	 * 10-25 % faster (an Accept at a million: 2,200 to 2,550 a second). */
	if (db_exec_script(db, pragmas, err, errlen) != 0) {
		db_close(db);
		return -1;
	}
	/* NORMAL: a commit survives the process dying; FULL: the machine too */
	const char *sync = getenv("FIELDWORK_SYNCHRONOUS");
	if (sync && !strcasecmp(sync, "full") && db_exec1(db, "PRAGMA synchronous=FULL") != DB_DONE) {
		snprintf(err, errlen, "cannot set synchronous=FULL");
		db_close(db);
		return -1;
	}
	if (db_match_register(db->h, &db->match) != 0) {
		snprintf(err, errlen, "SQLite lacks FTS5's unicode61 tokenizer");
		db_close(db);
		return -1;
	}
	*out = db;
	return 0;
}

struct db_hits *
db_hits_take(db_t *db)
{
	db = act(db);
	return db->match ? db_match_take(db->match) : NULL;
}

void
db_hits_scan(db_t *db, int64_t from, void (*fn)(void *, int64_t, uint64_t), void *arg)
{
	db = act(db);
	if (db->match)
		db_match_scan(db->match, from, fn, arg);
}

int
db_hit(db_t *db, int64_t number)
{
	db = act(db);
	return db->match ? db_match_has(db->match, number) : 0;
}

void
db_hits_give(db_t *db, struct db_hits *h)
{
	db = act(db);
	if (db->match)
		db_match_give(db->match, h);
	else
		db_hits_free(h);
}

static void
cache_clear(db_t *db)
{
	for (size_t i = 0; i < DB_CACHE_SLOTS; i++) {
		struct cache_ent *e = &db->cache[i];
		if (e->s.st || e->s.pg) {
			sqlite3_finalize(e->s.st);
			db_pg_finalize(e->s.pg);
			free(e->sql);
			e->s.st = NULL;
			e->s.pg = NULL;
			e->sql = NULL;
		}
	}
	db->ncached = 0;
}

void
db_close(db_t *db)
{
	if (!db)
		return;
	db_close(db->side);
	cache_clear(db);
	sqlite3_close(db->h);
	db_pg_close(db->pg);
	free(db->path);
	free(db);
}

db_t *
db_side(db_t *db)
{
	if (!db->reading)
		return db;
	if (!db->side) {
		char err[256];
		if (!db->path || db_open(db->path, &db->side, err, sizeof(err)) != 0) {
			log_msg(LOG_ERR, "side connection: %s", db->path ? err : "no path");
			return db;
		}
	}
	return db->side;
}

db_stmt *
db_prep(db_t *db, const char *sql)
{
	db = act(db);
	uint64_t h = sql_hash(sql);
	size_t i = h % DB_CACHE_SLOTS;
	for (size_t probe = 0; probe < DB_CACHE_SLOTS; probe++, i = (i + 1) % DB_CACHE_SLOTS) {
		struct cache_ent *e = &db->cache[i];
		if (!e->s.st && !e->s.pg)
			break;
		if (e->hash == h && strcmp(e->sql, sql) == 0)
			return &e->s;
	}
	if (db->ncached >= DB_CACHE_SLOTS * 3 / 4) {
		cache_clear(db);   /* rare: only when SQL texts keep varying */
		i = h % DB_CACHE_SLOTS;
	}
	struct db_stmt made = { NULL, NULL };
	if (db->pg) {
		made.pg = db_pg_prepare(db->pg, sql);
		if (!made.pg)
			return NULL;
	} else if (sqlite3_prepare_v3(db->h, sql, -1, SQLITE_PREPARE_PERSISTENT, &made.st, NULL) != SQLITE_OK) {
		log_msg(LOG_ERR, "prepare: %s in: %.200s", sqlite3_errmsg(db->h), sql);
		return NULL;
	}
	while (db->cache[i].s.st || db->cache[i].s.pg)
		i = (i + 1) % DB_CACHE_SLOTS;
	db->cache[i].sql = strdup(sql);
	if (!db->cache[i].sql) {
		sqlite3_finalize(made.st);
		db_pg_finalize(made.pg);
		return NULL;
	}
	db->cache[i].hash = h;
	db->cache[i].s = made;
	db->ncached++;
	return &db->cache[i].s;
}

db_stmt *
db_prep_bulk(db_t *db, const char *sql)
{
	db = act(db);
	db_stmt *s = calloc(1, sizeof(*s));
	if (!s)
		return NULL;
	if (db->pg)
		s->pg = db_pg_prepare_copy(db->pg, sql);
	else if (sqlite3_prepare_v3(db->h, sql, -1, SQLITE_PREPARE_PERSISTENT, &s->st, NULL) != SQLITE_OK)
		log_msg(LOG_ERR, "prepare: %s in: %.200s", sqlite3_errmsg(db->h), sql);
	if (!s->pg && !s->st) {
		free(s);
		return NULL;
	}
	return s;
}

int
db_bulk_end(db_stmt *s, int send)
{
	if (!s)
		return 0;
	int rc = s->pg && send ? db_pg_copy_flush(s->pg, 1) : 0;
	db_pg_finalize(s->pg);
	sqlite3_finalize(s->st);
	free(s);
	return rc ? DB_ERROR : 0;
}

void
db_bind_int(db_stmt *s, int i, int64_t v)
{
	if (s->pg) {
		char t[24];
		snprintf(t, sizeof(t), "%lld", (long long)v);
		db_pg_bind(s->pg, i, t, -1, 0);
		return;
	}
	sqlite3_bind_int64(s->st, i, v);
}

void
db_bind_null(db_stmt *s, int i)
{
	if (s->pg)
		db_pg_bind(s->pg, i, NULL, 0, 0);
	else
		sqlite3_bind_null(s->st, i);
}

void
db_bind_text_ref(db_stmt *s, int i, const char *text)
{
	if (s->pg)
		db_pg_bind(s->pg, i, text, -1, 0);
	else
		sqlite3_bind_text(s->st, i, text, -1, SQLITE_STATIC);
}

void
db_bind_text(db_stmt *s, int i, const char *text)
{
	if (s->pg)
		db_pg_bind(s->pg, i, text, -1, 0);
	else if (text)
		sqlite3_bind_text(s->st, i, text, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(s->st, i);
}

void
db_bind_textn(db_stmt *s, int i, const char *text, size_t n)
{
	if (s->pg)
		db_pg_bind(s->pg, i, text, (long)n, 0);
	else
		sqlite3_bind_text(s->st, i, text, (int)n, SQLITE_TRANSIENT);
}

void
db_bind_blob(db_stmt *s, int i, const void *p, size_t n)
{
	if (s->pg)
		db_pg_bind(s->pg, i, p ? p : "", (long)n, 1);
	else
		sqlite3_bind_blob(s->st, i, p, (int)n, SQLITE_TRANSIENT);
}

int
db_step(db_stmt *s)
{
	if (s->pg)
		return db_pg_step(s->pg);
	int rc = sqlite3_step(s->st);
	if (rc == SQLITE_ROW)
		return DB_ROW;
	if (rc == SQLITE_DONE)
		return DB_DONE;
	if ((rc & 0xff) == SQLITE_CONSTRAINT)
		return DB_CONSTRAINT;
	if (rc == SQLITE_INTERRUPT)   /* only db_budget() interrupts */
		return DB_BUDGET;
	log_msg(LOG_ERR, "step: %s in: %.200s", sqlite3_errmsg(sqlite3_db_handle(s->st)), sqlite3_sql(s->st));
	return DB_ERROR;
}

static int
budget_spent(void *arg)
{
	db_t *db = arg;
	return --db->budget < 0;
}

void
db_budget(db_t *db, long steps)
{
	db = act(db);
	if (db->pg)
		return;
	db->budget = steps / 1000;
	sqlite3_progress_handler(db->h, steps > 0 ? 1000 : 0, steps > 0 ? budget_spent : NULL, db);
}

int
db_count_rows(db_t *db, db_stmt *s, long steps, int64_t *n)
{
	int rc;
	*n = 0;
	if (steps > 0)
		db_budget(db, steps);
	while ((rc = db_step(s)) == DB_ROW)
		(*n)++;
	if (steps > 0)
		db_budget(db, 0);
	db_done(s);
	return rc == DB_CONSTRAINT ? DB_ERROR : rc;
}

int64_t
db_col_int(db_stmt *s, int i)
{
	return s->pg ? db_pg_col_int(s->pg, i) : sqlite3_column_int64(s->st, i);
}

int
db_col_is_null(db_stmt *s, int i)
{
	return s->pg ? db_pg_col_is_null(s->pg, i) : sqlite3_column_type(s->st, i) == SQLITE_NULL;
}

int
db_col_count(db_stmt *s)
{
	return s->pg ? db_pg_col_count(s->pg) : sqlite3_column_count(s->st);
}

const char *
db_col_name(db_stmt *s, int i)
{
	if (s->pg)
		return db_pg_col_name(s->pg, i);
	const char *n = sqlite3_column_name(s->st, i);
	return n ? n : "";
}

int
db_col_type(db_stmt *s, int i)
{
	if (s->pg)
		return db_pg_col_type(s->pg, i);
	switch (sqlite3_column_type(s->st, i)) {
	case SQLITE_INTEGER: return DB_T_INT;
	case SQLITE_NULL: return DB_T_NULL;
	case SQLITE_BLOB: return DB_T_BLOB;
	default: return DB_T_TEXT;
	}
}

const char *
db_col_text(db_stmt *s, int i)
{
	if (s->pg)
		return db_pg_col_text(s->pg, i);
	const unsigned char *t = sqlite3_column_text(s->st, i);
	return t ? (const char *)t : "";
}

const char *
db_col_textn(db_stmt *s, int i, size_t *n)
{
	if (s->pg) {
		const char *t = db_pg_col_text(s->pg, i);
		*n = strlen(t);
		return t;
	}
	/* a TEXT value's bytes as they are in the record: no copy */
	const char *p = sqlite3_column_blob(s->st, i);
	*n = p ? (size_t)sqlite3_column_bytes(s->st, i) : 0;
	return p ? p : "";
}

const void *
db_col_blob(db_stmt *s, int i, size_t *n)
{
	if (s->pg)
		return db_pg_col_blob(s->pg, i, n);
	const void *p = sqlite3_column_blob(s->st, i);
	*n = (size_t)sqlite3_column_bytes(s->st, i);
	return p;
}

void
db_done(db_stmt *s)
{
	if (!s)
		return;
	if (s->pg) {
		db_pg_reset(s->pg);
		return;
	}
	sqlite3_reset(s->st);
	sqlite3_clear_bindings(s->st);
	/* a write on its own (no transaction) ended: its waiters try again */
	if (!sqlite3_stmt_readonly(s->st) && sqlite3_get_autocommit(sqlite3_db_handle(s->st)))
		busy_release();
	/* each run's steps from 0: the progress handler (db_budget) is called
	 * at multiples of this count, so a bound then always stops a query at
	 * the same place */
	sqlite3_stmt_status(s->st, SQLITE_STMTSTATUS_VM_STEP, 1);
}

int
db_background(db_t *db)
{
	/* the page buffers are never given back (dbmem.c) and the heap keeps
	 * its peak: a pass over every work order, or a sort of them, through
	 * a cache of its own would stay in the process's memory */
	if (db_is_pg(db))
		return 0;
	return db_exec1(db, "PRAGMA cache_size=-1024") == DB_DONE && db_exec1(db, "PRAGMA temp_store=FILE") == DB_DONE ?
	    0 : -1;
}

int
db_exec1(db_t *db, const char *sql)
{
	db = act(db);
	db_stmt *s = db_prep(db, sql);
	if (!s)
		return DB_ERROR;
	int rc = db_step(s);
	db_done(s);
	return rc == DB_ROW ? DB_DONE : rc;
}

int
db_exec_script(db_t *db, const char *sql, char *err, size_t errlen)
{
	db = act(db);
	if (db->pg)
		return db_pg_exec_script(db->pg, sql, err, errlen);
	char *msg = NULL;
	if (sqlite3_exec(db->h, sql, NULL, NULL, &msg) != SQLITE_OK) {
		snprintf(err, errlen, "%s", msg ? msg : "sql error");
		sqlite3_free(msg);
		return -1;
	}
	return 0;
}

int
db_analyze(db_t *db, char *err, size_t errlen)
{
	return db_exec_script(db, db->pg ? "ANALYZE" : "PRAGMA analysis_limit=2000; ANALYZE; PRAGMA journal_mode=WAL;"
	    " PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;", err, errlen);
}

int
db_begin(db_t *db)
{
	/* a worker outside a read snapshot writes through the writer (a
	 * nested begin goes there too, and fails there as it would here) */
	if (db->shares_writer && !db->via && !db->reading && db_thread_take(db) == 0) {
		if (db_exec1(db, "BEGIN IMMEDIATE") == DB_DONE)
			return 0;
		db_thread_give(db);
		return -1;
	}
	/* SQLite: take the write lock now, so an action never fails half way */
	return db_exec1(db, db->pg ? "BEGIN" : "BEGIN IMMEDIATE") == DB_DONE ? 0 : -1;
}

int
db_commit(db_t *db)
{
	if (db_exec1(db, "COMMIT") == DB_DONE) {
		if (!db->pg)
			busy_release();
		db_thread_give(db);
		return 0;
	}
	db_rollback(db);
	return -1;
}

void
db_rollback(db_t *db)
{
	db_t *w = act(db);
	if (w->pg ? db_pg_in_txn(w->pg) : !sqlite3_get_autocommit(w->h)) {
		db_exec1(w, "ROLLBACK");
		if (!w->pg)
			busy_release();
	}
	db_thread_give(db);
}

int
db_read_begin(db_t *db)
{
	/* PostgreSQL: one snapshot for the whole page, as SQLite's read
	 * transaction gives, and its version for the worker's caches */
	if (db->pg) {
		if (db_pg_begin_read(db->pg, &db->pg_version) != 0) {
			if (db_pg_in_txn(db->pg))
				db_rollback(db);
			return -1;
		}
		db->reading = 1;
		return 0;
	}
	if (db_exec1(db, "BEGIN") != DB_DONE)
		return -1;
	db->reading = 1;
	/* SQLite takes the snapshot at the first read: take it now, so that
	 * db_data_version() speaks of the snapshot the page reads */
	if (!db->pg && db_exec1(db, "SELECT 1 FROM sqlite_schema LIMIT 1") != DB_DONE) {
		db_read_end(db);
		return -1;
	}
	return 0;
}

uint64_t
db_data_version(db_t *db)
{
	unsigned v = 0;
	if (db->pg)
		return db->reading ? db->pg_version : 0;
	if (!db->reading || sqlite3_file_control(db->h, "main", SQLITE_FCNTL_DATA_VERSION, &v) != SQLITE_OK)
		return 0;
	/* the pager's counter, never 0 here (0 means "none" to callers), and
	 * the connection's: what a connection keeps of its own (search.c's
	 * hit set) is not another's */
	return (db->id << 32) + (uint64_t)v + 1;
}

void
db_read_end(db_t *db)
{
	db->reading = 0;
	int open = db->pg ? db_pg_in_txn(db->pg) : !sqlite3_get_autocommit(db->h);
	if (open && db_exec1(db, "COMMIT") != DB_DONE)
		db_rollback(db);
}

const char *
db_shown_name(const char *path, char *out, size_t n)
{
	str_copy(out, path, n);
	if (!db_pg_is_uri(path))
		return out;
	char *auth = strstr(out, "://") + 3, *at = strchr(auth, '@'), *slash = strchr(auth, '/');
	char *colon = at ? memchr(auth, ':', (size_t)(at - auth)) : NULL;
	if (at && colon && (!slash || at < slash))
		memmove(colon, at, strlen(at) + 1);   /* user:secret@host -> user@host */
	char *pw = strstr(out, "password=");
	if (pw) {
		char *end = strpbrk(pw, "& ");
		memmove(pw + 9, end ? end : pw + strlen(pw), strlen(end ? end : pw + strlen(pw)) + 1);
	}
	return out;
}

int
db_is_pg(db_t *db)
{
	return db->pg != NULL;
}

int
db_readonly(db_t *db)
{
	if (db->pg)
		return 0;   /* a standby refuses writes itself, statement by statement */
	if (sqlite3_db_readonly(db->h, "main") == 1)
		return 1;
	/* a writable file in a read-only folder cannot make its WAL files */
	int rc = sqlite3_exec(db->h, "BEGIN IMMEDIATE", NULL, NULL, NULL);
	if (rc == SQLITE_OK)
		sqlite3_exec(db->h, "ROLLBACK", NULL, NULL, NULL);
	rc &= 0xff;
	return rc == SQLITE_READONLY || rc == SQLITE_CANTOPEN || rc == SQLITE_PERM;
}

int64_t db_last_id(db_t *db) { db = act(db); return db->pg ? db_pg_last_id(db->pg) : sqlite3_last_insert_rowid(db->h); }
int db_changes(db_t *db) { db = act(db); return db->pg ? db_pg_changes(db->pg) : sqlite3_changes(db->h); }
const char *db_errmsg(db_t *db) { db = act(db); return db->pg ? db_pg_errmsg(db->pg) : sqlite3_errmsg(db->h); }

/* db.h -- the one small database interface.  Every SQL statement of the
 * program lives in a domain module and goes through these calls, so that a
 * second backend (PostgreSQL) can sit behind the same contract.  Owns the
 * connections, their prepared-statement caches and the migrations.
 *
 * Placeholders are ?1, ?2 ...; values are always bound, never pasted. */
#ifndef FW_DB_H
#define FW_DB_H

#include <stddef.h>
#include <stdint.h>

typedef struct db db_t;
typedef struct db_stmt db_stmt;

enum {
	DB_ROW = 1,
	DB_DONE = 0,
	DB_ERROR = -1,
	DB_CONSTRAINT = -2,   /* unique / check / foreign key violated */
	DB_BUDGET = -3,       /* db_budget()'s work ran out */
};

/* Opens (creating when missing) the database at PATH in WAL mode.  Returns
 * 0, or -1 with a message in ERR. */
int db_open(const char *path, db_t **out, char *err, size_t errlen);
void db_close(db_t *db);

/* Applies the numbered migrations/NNN_*.sql files compiled into the
 * binary that this database has not seen, each in its own transaction.
 * Returns the number applied, or -1 with a message in ERR. */
int db_migrate(db_t *db, char *err, size_t errlen);

/* Returns the cached prepared statement for SQL, reset and with no
 * bindings, or NULL on a syntax error (logged).  The statement belongs to
 * the connection; callers end each use with db_done(). */
db_stmt *db_prep(db_t *db, const char *sql);
/* A bulk insert for loads: SQL is "INSERT INTO t(cols) VALUES (?1, ...
 * ?N)", one ?K per column in order.  Used like db_prep's statements, but
 * the caller owns it and ends it with db_bulk_end.  On PostgreSQL a step
 * only adds the row to a buffer that goes in with COPY when it is full
 * and at the end, so a constraint fails at one of those later steps or at
 * db_bulk_end; on SQLite it is a plain statement.  NULL when SQL has
 * another shape or memory ran out (logged). */
db_stmt *db_prep_bulk(db_t *db, const char *sql);
/* Sends what a bulk insert still holds (SEND 0: drops it, after a
 * failure) and frees it (S may be NULL).  0, or DB_ERROR (logged; the
 * transaction has failed). */
int db_bulk_end(db_stmt *s, int send);
void db_bind_int(db_stmt *s, int i, int64_t v);
/* Binds a copy of TEXT, or NULL when TEXT is NULL. */
void db_bind_text(db_stmt *s, int i, const char *text);
void db_bind_textn(db_stmt *s, int i, const char *text, size_t n);
/* Binds TEXT (not NULL) without a copy, for bulk loads: it must stay
 * unchanged until the statement is stepped and done. */
void db_bind_text_ref(db_stmt *s, int i, const char *text);
void db_bind_blob(db_stmt *s, int i, const void *p, size_t n);
void db_bind_null(db_stmt *s, int i);
/* DB_ROW, DB_DONE, DB_CONSTRAINT, DB_BUDGET or DB_ERROR (logged). */
int db_step(db_stmt *s);
/* Bounds the work of what DB steps next to about STEPS of SQLite's
 * virtual machine (counted in thousands, across statements, until the
 * next call); a step past it answers DB_BUDGET and the statement is over.
 * STEPS 0 lifts the bound.  For work that has a cheaper way out when it
 * turns out long; the same query always stops at the same point, so a
 * bound never makes an answer depend on the machine's speed.  Nothing on
 * PostgreSQL.  This function can't fail. */
void db_budget(db_t *db, long steps);
/* Steps S (a statement of DB) to its end counting its rows into *N, under
 * db_budget(STEPS) when STEPS > 0, and ends it (db_done).  DB_DONE,
 * DB_BUDGET (*N: the rows before the budget ran out) or DB_ERROR. */
int db_count_rows(db_t *db, db_stmt *s, long steps, int64_t *n);
/* Hit sets (SQLite): the work order numbers fw_collect() gathered, kept
 * apart from the connection.  db_hits_take moves DB's set out (DB's is
 * then empty) for the caller to free: NULL on PostgreSQL, when the set
 * did not fit, or without memory.  db_hits_give makes H (NULL: empty)
 * DB's set, which owns it from then on.  db_hits_dup copies (NULL without
 * memory); db_hits_or adds B to ACC (0, or -1 without memory: ACC then
 * holds part of B); db_hits_and keeps in ACC what B holds too;
 * db_hits_cut drops the numbers above UPTO; db_hits_size is the bytes
 * held.  None of the others can fail. */
struct db_hits;
struct db_hits *db_hits_take(db_t *db);
void db_hits_give(db_t *db, struct db_hits *h);
struct db_hits *db_hits_dup(const struct db_hits *h);
int db_hits_or(struct db_hits *acc, const struct db_hits *b);
void db_hits_and(struct db_hits *acc, const struct db_hits *b);
void db_hits_cut(struct db_hits *acc, int64_t upto);
size_t db_hits_size(const struct db_hits *h);
void db_hits_free(struct db_hits *h);
/* The connection's hit set in order, from number FROM on: FN(ARG, BASE,
 * BITS) for each 64 numbers from BASE (a multiple of 64) with one in it,
 * bit K of BITS set for BASE + K.  db_hit: whether NUMBER is in it.
 * These functions can't fail. */
void db_hits_scan(db_t *db, int64_t from, void (*fn)(void *, int64_t, uint64_t), void *arg);
int db_hit(db_t *db, int64_t number);
int64_t db_col_int(db_stmt *s, int i);
/* Never NULL: "" for SQL NULL.  Valid until the next step or db_done. */
const char *db_col_text(db_stmt *s, int i);
/* The same text and its length in *N, without the terminating NUL
 * SQLite would copy the value to add: for rows read only to be written
 * out.  Never NULL.  Valid until the next step or db_done. */
const char *db_col_textn(db_stmt *s, int i, size_t *n);
const void *db_col_blob(db_stmt *s, int i, size_t *n);
int db_col_is_null(db_stmt *s, int i);
/* A row's shape, for code that copies rows it does not know (fieldwork
 * copy): how many columns, each one's name, and whether the value is an
 * integer, text, a blob or NULL.  Valid after a DB_ROW. */
enum { DB_T_INT = 1, DB_T_TEXT, DB_T_BLOB, DB_T_NULL };
int db_col_count(db_stmt *s);
const char *db_col_name(db_stmt *s, int i);
int db_col_type(db_stmt *s, int i);
void db_done(db_stmt *s);

/* SQLite connections have two functions that read text as the search
 * index does (see db_match.h): fw_fold(TEXT) and fw_match(TERMS, V...),
 * for a statement that tests rows against a search while it walks them. */

/* Runs one statement with no result; returns DB_DONE, DB_CONSTRAINT or
 * DB_ERROR. */
int db_exec1(db_t *db, const char *sql);
/* Makes DB a connection for work in the background over every work order
 * (the server's quiet moments: search.c's sets, rank.c's places): a small
 * page cache, and sorts spilled to a file.  0 or -1.  Nothing on
 * PostgreSQL. */
int db_background(db_t *db);
/* Runs a script of statements (migrations, bulk set-up). 0 or -1. */
int db_exec_script(db_t *db, const char *sql, char *err, size_t errlen);

/* Refreshes the planner's statistics after a load (a sample on big
 * tables), and on SQLite puts back the settings a bulk load turned off.
 * 0, or -1 with ERR. */
int db_analyze(db_t *db, char *err, size_t errlen);

/* Transactions: one per user action.  Begin takes the write lock at once
 * (BEGIN IMMEDIATE) so an action never fails half way on a busy lock.
 * Each returns 0 or -1. */
int db_begin(db_t *db);
int db_commit(db_t *db);
void db_rollback(db_t *db);

/* A read snapshot for a page: every statement until db_read_end() sees
 * the same data, with one lock round trip.  0 or -1 (then read without
 * one).  db_read_end() can't fail: a failed commit is rolled back. */
int db_read_begin(db_t *db);
void db_read_end(db_t *db);
/* Inside a read snapshot (db_read_begin): a number that differs from
 * every earlier one whenever the database changed since, by any
 * connection this one included -- the check behind the small caches a
 * worker keeps (the session, the unread count).  SQLite's pager counter
 * with the connection's own number (no two connections share one);
 * PostgreSQL's snapshot, hashed (every transaction that commits changes
 * it, on any node).  0 when there is none to trust (no snapshot): cache
 * nothing then.  This function can't fail. */
uint64_t db_data_version(db_t *db);

/* Where a page's small write goes (a view recorded, notifications read, a
 * session touched) while the page reads in a snapshot: a write there would
 * have to upgrade the snapshot and fails when anyone else writes, so it
 * goes on a second connection of the same thread instead, in its own
 * short transaction that waits its turn (busy timeout).  DB itself when
 * not in a read transaction.  Never NULL: DB when the second connection
 * cannot be opened. */
db_t *db_side(db_t *db);

/* PATH as it may be shown (logs, messages): a connection URI without its
 * password.  Returns OUT.  This function can't fail (a long PATH is cut). */
const char *db_shown_name(const char *path, char *out, size_t n);

/* 1 when DB is PostgreSQL: for the few statements the module that owns
 * them spells per store (the search index).  This function can't fail. */
int db_is_pg(db_t *db);

/* 1 when the database cannot be written (a read-only file or folder).
 * This function can't fail. */
int db_readonly(db_t *db);

int64_t db_last_id(db_t *db);
int db_changes(db_t *db);
const char *db_errmsg(db_t *db);

/* Server workers: one connection per thread, opened on first use on the
 * path given to db_thread_init().  NULL when it cannot be opened. */
void db_thread_init(const char *path);
db_t *db_thread(void);
/* At the end of a request on worker connection DB: rolls back a write
 * its handler left open (a bug, logged), so the process's writer is never
 * held past a request.  This function can't fail. */
void db_thread_end_request(db_t *db);
/* Closes every worker connection; call after the workers stopped. */
void db_thread_close_all(void);

#endif

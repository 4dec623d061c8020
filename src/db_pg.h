/* db_pg.h -- the PostgreSQL side of the database interface (db.h), for
 * db.c only: a libpq connection, statements prepared once per connection
 * from the same ?N text SQLite reads (rewritten to $N), values bound as
 * text (bytea as binary), results read row by row.  Part of the db
 * module; nothing else includes it. */
#ifndef FW_DB_PG_H
#define FW_DB_PG_H

#include <stddef.h>
#include <stdint.h>

struct db_pg;
struct db_pg_stmt;

/* 1 when PATH is a libpq connection URI (postgresql:// or postgres://). */
int db_pg_is_uri(const char *path);
/* Connects.  0, or -1 with ERR (the password never appears in it). */
int db_pg_open(const char *uri, struct db_pg **out, char *err, size_t errlen);
void db_pg_close(struct db_pg *c);

/* Rewrites the ?N placeholders of SQL (outside quotes) to $N into OUT.
 * Returns the highest N, or -1 when OUT is too small.  Can't fail else. */
int db_pg_placeholders(const char *sql, char *out, size_t n);

/* The text PostgreSQL runs for SQL: what SQLite spells otherwise renamed
 * (group_concat, instr, temp., LIKE as ILIKE), INDEXED BY hints dropped,
 * then db_pg_placeholders.  Same returns. */
int db_pg_translate(const char *sql, char *out, size_t n);

/* Prepares SQL (?N form).  NULL on an error (logged). */
struct db_pg_stmt *db_pg_prepare(struct db_pg *c, const char *sql);
void db_pg_finalize(struct db_pg_stmt *s);
/* A bulk insert: SQL is "INSERT INTO t(cols) VALUES (?1, ... ?N)", one ?K
 * per column in order; each step adds the bound row to a buffer sent with
 * COPY FROM STDIN when full and by db_pg_copy_flush.  NULL when SQL has
 * another shape (logged) or memory ran out. */
struct db_pg_stmt *db_pg_prepare_copy(struct db_pg *c, const char *sql);
/* Sends the rows a bulk insert still holds; with WAIT, also reads the
 * result (else the next command on the connection does).  0, or -1
 * (logged): then the transaction has failed. */
int db_pg_copy_flush(struct db_pg_stmt *s, int wait);
/* Binds parameter I (1-based): text of LEN bytes (-1: NUL-terminated),
 * binary when BINARY, NULL when V is NULL.  Copies V.  Can't fail but for
 * memory (then the parameter is NULL). */
void db_pg_bind(struct db_pg_stmt *s, int i, const char *v, long len, int binary);
/* DB_ROW, DB_DONE, DB_CONSTRAINT or DB_ERROR (logged). */
int db_pg_step(struct db_pg_stmt *s);
int64_t db_pg_col_int(struct db_pg_stmt *s, int i);
const char *db_pg_col_text(struct db_pg_stmt *s, int i);
const void *db_pg_col_blob(struct db_pg_stmt *s, int i, size_t *n);
int db_pg_col_is_null(struct db_pg_stmt *s, int i);
int db_pg_col_count(struct db_pg_stmt *s);
const char *db_pg_col_name(struct db_pg_stmt *s, int i);
/* DB_T_INT for integer and boolean columns, DB_T_BLOB for bytea, DB_T_NULL
 * for a NULL, DB_T_TEXT for the rest. */
int db_pg_col_type(struct db_pg_stmt *s, int i);
/* Ends a use: the result and the bindings go. */
void db_pg_reset(struct db_pg_stmt *s);

/* Runs a script of statements.  0, or -1 with ERR. */
int db_pg_exec_script(struct db_pg *c, const char *sql, char *err, size_t errlen);
/* Begins a read-only page's transaction (REPEATABLE READ) and sets
 * *VERSION to a hash of its snapshot, never 0: equal snapshots see the
 * same committed transactions, so the same data.  0, or -1 (logged; the
 * transaction may then be open, failed). */
int db_pg_begin_read(struct db_pg *c, uint64_t *version);
/* 1 inside a transaction (begun or failed).  Can't fail. */
int db_pg_in_txn(struct db_pg *c);
/* The id the last INSERT took (lastval()), or 0. */
int64_t db_pg_last_id(struct db_pg *c);
/* Rows the last statement changed. */
int db_pg_changes(struct db_pg *c);
const char *db_pg_errmsg(struct db_pg *c);

#endif

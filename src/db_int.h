/* db_int.h -- a connection's insides, shared by db.c (statements and
 * transactions) and db_thread.c (the server's connections: one per
 * worker, the process's writer, its checkpoints) and db_vfs.c (the
 * files' reading ahead).  No other module includes it. */
#ifndef FW_DB_INT_H
#define FW_DB_INT_H

#include <sqlite3.h>
#include <stdint.h>
#include <time.h>

#include "db.h"

#define DB_CACHE_SLOTS 1024   /* prepared statements kept per connection */

/* A prepared statement of either store. */
struct db_stmt {
	sqlite3_stmt *st;
	struct db_pg_stmt *pg;
};

struct cache_ent {
	char *sql;
	uint64_t hash;
	struct db_stmt s;         /* s.st or s.pg set when the slot is used */
};

struct db {
	sqlite3 *h;               /* SQLite, or */
	struct db_pg *pg;         /* PostgreSQL */
	struct matcher *match;    /* SQLite: the search functions' state, the hit set (db_match.c) */
	int reading;              /* inside db_read_begin/end */
	uint64_t pg_version;      /* PostgreSQL: the read's snapshot, hashed (db_data_version) */
	uint64_t id;              /* this connection's, unique in the process (db_data_version) */
	struct cache_ent cache[DB_CACHE_SLOTS];
	size_t ncached;
	struct db *next_thread;   /* registry of worker connections */
	char *path;
	struct db *side;          /* db_side()'s connection, opened on first use */
	long budget;              /* db_budget(): thousands of steps left */
	int shares_writer;        /* a worker's: its write transactions go to the process's writer */
	struct db *via;           /* while one does: the writer, where every statement then goes */
	struct timespec busy_since;   /* when this connection began waiting for the write lock */
};

/* db_thread.c: DB (a worker's) takes the process's writer for a write
 * transaction: every statement of DB then goes to it (db->via) until
 * db_thread_give.  0, or -1 when the writer cannot be opened (DB then
 * writes on its own connection). */
int db_thread_take(db_t *db);
/* Gives the writer back if DB holds it.  This function can't fail. */
void db_thread_give(db_t *db);

/* db_vfs.c: the name of the VFS that reads a main database file ahead
 * backwards as well as forwards (registered on the first call), or NULL
 * where SQLite's default VFS cannot be wrapped (the default is then used).
 * This function can't fail. */
#define DB_VFS_NAME "fieldwork-readahead"
const char *db_vfs(void);

#endif

/* db_migrate.c -- db_migrate() of db.h: the embedded migrations of the
 * connection's store, each once, in order of their numbers. */
#include "db.h"
#include "embed.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int
cmp_embed(const void *a, const void *b)
{
	const struct embed_file *x = *(const struct embed_file *const *)a;
	const struct embed_file *y = *(const struct embed_file *const *)b;
	return strcmp(x->name, y->name);
}

int
db_migrate(db_t *db, char *err, size_t errlen)
{
	if (db_exec_script(db,
	    "CREATE TABLE IF NOT EXISTS schema_migration ("
	    " version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)",
	    err, errlen))
		return -1;
	const struct embed_file *list[256];
	size_t n = 0;
	/* each store has its numbered files: migrations/NNN_*.sql for SQLite,
	 * migrations/pg/NNN_*.sql for PostgreSQL */
	const char *dir = db_is_pg(db) ? "migrations/pg/" : "migrations/";
	size_t dl = strlen(dir);
	for (const struct embed_file *f = embed_files; f->name && n < FW_ARRAY_LEN(list); f++)
		if (strncmp(f->name, dir, dl) == 0 && !strchr(f->name + dl, '/'))
			list[n++] = f;
	if (db_is_pg(db) && !n) {
		snprintf(err, errlen, "this build has no PostgreSQL schema yet: use a SQLite file for --db");
		return -1;
	}
	qsort(list, n, sizeof(list[0]), cmp_embed);
	int applied = 0;
	for (size_t i = 0; i < n; i++) {
		const char *base = list[i]->name + dl;
		int version = atoi(base);
		if (version <= 0) {
			snprintf(err, errlen, "migration %s: name must start with its number", base);
			return -1;
		}
		db_stmt *q = db_prep(db, "SELECT 1 FROM schema_migration WHERE version = ?1");
		if (!q) {
			snprintf(err, errlen, "%s", db_errmsg(db));
			return -1;
		}
		db_bind_int(q, 1, version);
		int seen = db_step(q) == DB_ROW;
		db_done(q);
		if (seen)
			continue;
		if (db_begin(db) != 0) {
			snprintf(err, errlen, "migration %s: %s", base, db_errmsg(db));
			return -1;
		}
		/* several nodes may start at once: one migrates, the others wait */
		if (db_is_pg(db) && db_exec1(db, "SELECT pg_advisory_xact_lock(7264001)") != DB_DONE) {
			db_rollback(db);
			snprintf(err, errlen, "migration %s: cannot take the migration lock", base);
			return -1;
		}
		/* ... and finds it done when its turn comes */
		q = db_prep(db, "SELECT 1 FROM schema_migration WHERE version = ?1");
		db_bind_int(q, 1, version);
		seen = q && db_step(q) == DB_ROW;
		db_done(q);
		if (seen) {
			db_rollback(db);
			continue;
		}
		char e2[256];
		if (db_exec_script(db, list[i]->data, e2, sizeof(e2)) != 0) {
			db_rollback(db);
			snprintf(err, errlen, "migration %s: %s", base, e2);
			return -1;
		}
		q = db_prep(db, "INSERT INTO schema_migration(version, name, applied_at) VALUES (?1, ?2, ?3)");
		db_bind_int(q, 1, version);
		db_bind_text(q, 2, base);
		db_bind_int(q, 3, now_utc());
		int rc = db_step(q);
		db_done(q);
		if (rc != DB_DONE || db_commit(db) != 0) {
			db_rollback(db);
			snprintf(err, errlen, "migration %s: cannot record it", base);
			return -1;
		}
		applied++;
	}
	/* a new index without statistics can look best to the planner and sort
	 * a whole table (a list page went from 2 to 20 ms): statistics now,
	 * cheap with the sample limit */
	if (applied && db_analyze(db, err, errlen) != 0)
		return -1;
	return applied;
}

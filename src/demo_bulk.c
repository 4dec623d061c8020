/* demo_bulk.c -- what a large demo load does besides making rows: the
 * list indexes, search and count triggers dropped and made again at the
 * end (several times faster than keeping them up to date row by row),
 * and on SQLite a second thread writing every work order's other rows
 * into a scratch file, copied in at the end (demo_int.h). */
#include "demo_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The tables a bulk load writes row by row on PostgreSQL. */
#define PG_BULK_TABLES "'wo', 'wo_station', 'woli', 'wo_history', 'part_order', 'wo_assignment'"

/* PostgreSQL's bulk load: the loaded tables' secondary indexes and
 * foreign keys go (one index build and one check each at the end beat
 * millions of row-by-row updates and lookups), as do the counters'
 * triggers on wo and wo_assignment (counted once at the end), all inside
 * the load's transaction. */
static int
pg_drop_for_bulk(struct demo_ctx *c, struct demo_saved_sql *sv)
{
	db_stmt *s = db_prep(c->db,
	    "SELECT 'DROP INDEX ' || quote_ident(i.indexname), i.indexdef FROM pg_indexes i"
	    " WHERE i.schemaname = current_schema() AND i.tablename IN (" PG_BULK_TABLES ")"
	    " AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conname = i.indexname)"
	    " UNION ALL SELECT 'ALTER TABLE ' || k.conrelid::regclass::text || ' DROP CONSTRAINT ' || quote_ident(k.conname),"
	    " 'ALTER TABLE ' || k.conrelid::regclass::text || ' ADD CONSTRAINT ' || quote_ident(k.conname) || ' '"
	    " || pg_get_constraintdef(k.oid) FROM pg_constraint k"
	    " WHERE k.contype = 'f' AND k.conrelid::regclass::text IN (" PG_BULK_TABLES ")"
	    " UNION ALL SELECT 'ALTER TABLE wo DISABLE TRIGGER USER', 'ALTER TABLE wo ENABLE TRIGGER USER'"
	    " UNION ALL SELECT 'ALTER TABLE wo_assignment DISABLE TRIGGER USER', 'ALTER TABLE wo_assignment ENABLE TRIGGER USER'");
	if (!s)
		return demo_fail(c, "schema");
	enum { MAX = 128 };
	char *drop[MAX];
	size_t n = 0;
	sv->sql = calloc(MAX, sizeof(char *));
	while (sv->sql && db_step(s) == DB_ROW && n < MAX) {
		drop[n] = strdup(db_col_text(s, 0));
		sv->sql[n] = strdup(db_col_text(s, 1));
		n++;
	}
	db_done(s);
	sv->n = n;
	int rc = sv->sql ? 0 : -1;
	for (size_t i = 0; i < n; i++) {
		if (!rc && (!drop[i] || !sv->sql[i] || db_exec_script(c->db, drop[i], c->err, c->errlen)))
			rc = -1;
		free(drop[i]);
	}
	if (!rc && db_exec_script(c->db, "SET LOCAL maintenance_work_mem = '512MB'", c->err, c->errlen))
		rc = -1;
	if (rc && !*c->err)
		snprintf(c->err, c->errlen, "demo: out of memory");
	return rc;
}

/* the work orders first */
int
demo_bulk_end_copies(struct demo_ctx *c, int send)
{
	db_stmt **slots[] = { &c->st_wo, &c->st_wos, &c->st_woli, &c->st_hist, &c->st_po, &c->st_asg };
	int rc = 0;
	if (!c->copy)
		return 0;
	for (size_t i = 0; i < FW_ARRAY_LEN(slots); i++) {
		if (db_bulk_end(*slots[i], send && !rc) && send && !rc)
			rc = demo_fail(c, "copy");
		*slots[i] = NULL;
	}
	return rc;
}

static int
sqlite_drop_for_bulk(struct demo_ctx *c, struct demo_saved_sql *sv)
{
	db_stmt *s = db_prep(c->db, "SELECT name, type, sql FROM sqlite_master WHERE sql IS NOT NULL AND"
	    " ((type = 'index' AND tbl_name IN ('wo', 'wo_row')) OR"
	    "  (type = 'trigger' AND name IN ('wo_fts_ins', 'wo_fts_org_ins', 'wo_count_ins', 'wo_pace_ins', 'wo_missed_ins')))");
	if (!s)
		return demo_fail(c, "schema");
	char names[64][128];
	char types[64][8];
	size_t n = 0;
	sv->sql = calloc(64, sizeof(char *));
	while (db_step(s) == DB_ROW && n < 64) {
		str_copy(names[n], db_col_text(s, 0), sizeof(names[n]));
		str_copy(types[n], db_col_text(s, 1), sizeof(types[n]));
		sv->sql[n] = strdup(db_col_text(s, 2));
		n++;
	}
	db_done(s);
	sv->n = n;
	for (size_t i = 0; i < n; i++) {
		char sql[320];
		snprintf(sql, sizeof(sql), "DROP %s %.120s", !strcmp(types[i], "index") ? "INDEX" : "TRIGGER", names[i]);
		if (db_exec_script(c->db, sql, c->err, c->errlen))
			return -1;
	}
	return 0;
}

int
demo_bulk_restore(struct demo_ctx *c, struct demo_saved_sql *sv, int indexed_elsewhere)
{
	int rc = 0;
	for (size_t i = 0; i < sv->n; i++) {
		if (!rc && db_exec_script(c->db, sv->sql[i], c->err, c->errlen))
			rc = -1;
		free(sv->sql[i]);
	}
	free(sv->sql);
	if (rc)
		return -1;
	demo_phase(c, "list indexes");
	if (indexed_elsewhere)
		return 0;
	if (db_exec_script(c->db, "DELETE FROM wo_count;"
	    "INSERT INTO wo_count(owner_org_id, status, n) SELECT owner_org_id, status, count(*) FROM wo GROUP BY 1, 2",
	    c->err, c->errlen))
		return -1;
	/* PostgreSQL's search column is computed as each row goes in */
	return db_is_pg(c->db) ? 0 : db_exec_script(c->db, "INSERT INTO wo_fts(wo_fts) VALUES ('rebuild');"
	    "INSERT INTO wo_fts_org(rowid, t) SELECT number, fw_scoped(owner_org_id, state_class, number, case_number,"
	    " subject, account_name, territory_name, work_type_name) FROM wo", c->err, c->errlen);
}

/* The second thread of a bulk load: the same generator, from the same
 * random state, writing every work order's rows in other tables (line
 * items, history, stations, part orders, assignments), then in a second
 * pass the search index entries and status counts, into a scratch database
 * of the same schema, while the first writes the work orders and builds
 * their indexes.  The main database then takes the tables over in one copy
 * each (SQLite's transfer of whole records and index entries; the search
 * index's own tables too, which the same migration made alike). */

/* The tables the loader fills, copied over in this order. */
static const char *const loader_tables[] = { "wo_station", "woli", "wo_history", "part_order", "wo_assignment",
	"wo_count", "wo_fts_data", "wo_fts_idx", "wo_fts_docsize", "wo_fts_org_data", "wo_fts_org_idx" };

static void
scratch_remove(const char *path)
{
	static const char *const ext[] = { "", "-journal", "-wal", "-shm" };
	char p[1100];
	for (size_t i = 0; i < FW_ARRAY_LEN(ext); i++) {
		snprintf(p, sizeof(p), "%s%s", path, ext[i]);
		unlink(p);
	}
}

static void *
loader_run(void *arg)
{
	struct demo_loader *l = arg;
	db_t *db = NULL;
	l->rc = -1;
	scratch_remove(l->path);
	if (db_open(l->path, &db, l->err, sizeof(l->err)) || db_migrate(db, l->err, sizeof(l->err)) < 0 ||
	    db_exec_script(db, "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA foreign_keys=OFF;"
	    " PRAGMA cache_size=-1000000;", l->err, sizeof(l->err)))
		goto done;
	l->c.db = db;
	l->c.err = l->err;
	l->c.errlen = sizeof(l->err);
	demo_rng = l->rng;
	if (db_begin(db)) {
		demo_fail(&l->c, "begin");
		goto done;
	}
	for (long i = 0; i < l->c.o->work_orders; i++)
		if (l->stop || demo_wo_make(&l->c, i, l->c.o->work_orders, l->central)) {
			db_rollback(db);
			goto done;
		}
	demo_phase(&l->c, "line items, history, part orders (second thread)");
	/* again from the same start: the search index and the counts */
	demo_rng = l->rng;
	l->c.emit = DEMO_EMIT_SEARCH;
	for (long i = 0; i < l->c.o->work_orders; i++)
		if (l->stop || demo_wo_make(&l->c, i, l->c.o->work_orders, l->central)) {
			db_rollback(db);
			goto done;
		}
	if (db_commit(db)) {
		demo_fail(&l->c, "commit");
		goto done;
	}
	demo_phase(&l->c, "search index (second thread)");
	l->rc = 0;
done:
	db_close(db);   /* the statements cached in l->c belonged to it */
	return NULL;
}

/* Starts the loader on a copy of C (after the reference data, so it knows
 * every id), and turns C into the work-order-only generator.  Returns 0,
 * or -1 with a message in C's ERR. */
int
demo_bulk_loader_start(struct demo_loader *l, struct demo_ctx *c, const struct tz *central)
{
	l->c = *c;
	l->c.emit = DEMO_EMIT_CHILDREN;
	l->c.st_hist = l->c.st_wo = l->c.st_wos = l->c.st_woli = l->c.st_po = l->c.st_asg = l->c.st_fts = l->c.st_fts_org = l->c.st_count = NULL;
	l->central = central;
	l->rng = demo_rng;
	if ((size_t)snprintf(l->path, sizeof(l->path), "%s.load", c->o->path) >= sizeof(l->path)) {
		snprintf(c->err, c->errlen, "demo: the database path is too long");
		return -1;
	}
	if (pthread_create(&l->thread, NULL, loader_run, l)) {
		snprintf(c->err, c->errlen, "demo: cannot start a thread");
		return -1;
	}
	l->started = 1;
	c->emit = DEMO_EMIT_WO;
	return 0;
}

/* Waits for the loader.  Returns 0, or -1 with its message in C's ERR. */
int
demo_bulk_loader_wait(struct demo_loader *l, struct demo_ctx *c)
{
	if (l->started) {
		pthread_join(l->thread, NULL);
		l->started = 0;
	}
	if (l->rc) {
		snprintf(c->err, c->errlen, "%s", l->err);
		scratch_remove(l->path);
		return -1;
	}
	return 0;
}

/* Copies the finished loader's tables into C's database (no transaction
 * open, foreign keys off) and removes the scratch file.  Returns 0, or -1
 * with a message in C's ERR. */
int
demo_bulk_loader_copy(struct demo_loader *l, struct demo_ctx *c)
{
	int rc = -1;
	db_stmt *s = db_prep(c->db, "ATTACH ?1 AS load");
	if (!s)
		goto fail;
	db_bind_text(s, 1, l->path);
	if (demo_step_done(c, s, "attach"))
		goto done;
	if (db_begin(c->db))
		goto detach;
	for (size_t i = 0; i < FW_ARRAY_LEN(loader_tables); i++) {
		char sql[256];
		/* the search index's tables hold its empty structure: replaced */
		snprintf(sql, sizeof(sql), "DELETE FROM main.%s; INSERT INTO main.%s SELECT * FROM load.%s",
		    loader_tables[i], loader_tables[i], loader_tables[i]);
		if (db_exec_script(c->db, sql, c->err, c->errlen)) {
			db_rollback(c->db);
			goto detach;
		}
	}
	if (db_commit(c->db)) {
		demo_fail(c, "commit");
		goto detach;
	}
	rc = 0;
detach:
	db_exec_script(c->db, "DETACH load", NULL, 0);
	goto done;
fail:
	demo_fail(c, "attach");
done:
	scratch_remove(l->path);
	return rc;
}

int
demo_bulk_drop(struct demo_ctx *c, struct demo_saved_sql *sv)
{
	return db_is_pg(c->db) ? pg_drop_for_bulk(c, sv) : sqlite_drop_for_bulk(c, sv);
}

void
demo_bulk_loader_abandon(struct demo_loader *l)
{
	if (!l->started)
		return;
	l->stop = 1;
	pthread_join(l->thread, NULL);
	l->started = 0;
	scratch_remove(l->path);
}

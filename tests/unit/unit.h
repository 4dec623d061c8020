/* unit.h -- shared set-up of the unit tests: cmocka and a migrated (and
 * optionally demo-filled) database in a temporary file. */
#ifndef FW_UNIT_H
#define FW_UNIT_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "db.h"
#include "demo.h"
#include "auth.h"
#include "user.h"

/* Opens a new database in /tmp with the migrations applied and, when
 * WORK_ORDERS >= 0, the demo data.  PATH receives its name. */
static inline db_t *
unit_db(long work_orders, char path[64])
{
	snprintf(path, 64, "/tmp/fw-unit-%d-XXXXXX", (int)getpid());
	int fd = mkstemp(path);
	if (fd < 0)
		return NULL;
	close(fd);
	unlink(path);
	db_t *db;
	char err[256];
	if (db_open(path, &db, err, sizeof(err)) != 0 || db_migrate(db, err, sizeof(err)) < 0) {
		fprintf(stderr, "unit_db: %s\n", err);
		return NULL;
	}
	if (work_orders >= 0) {
		struct demo_opts o = { .work_orders = work_orders, .seed = 7, .epoch_day = 20782, .brand = "ChargePoint",
			.path = path };
		if (auth_init() != 0 || demo_fill(db, &o, err, sizeof(err)) != 0) {
			fprintf(stderr, "unit_db: %s\n", err);
			db_close(db);
			return NULL;
		}
	}
	return db;
}

/* Finds demo users by email: pairs of (const char *email, struct user *),
 * then NULL.  0, or -1 (reported) when one is missing. */
static inline int
unit_users(db_t *d, ...)
{
	va_list ap;
	va_start(ap, d);
	const char *email;
	int rc = 0;
	while (!rc && (email = va_arg(ap, const char *))) {
		struct user *u = va_arg(ap, struct user *);
		if ((rc = user_find_email(d, email, u)) != 0)
			fprintf(stderr, "unit_users: no %s\n", email);
	}
	va_end(ap);
	return rc ? -1 : 0;
}

/* The first column of the first row of SQL on D, or -1. */
static inline int64_t
unit_count(db_t *d, const char *sql)
{
	db_stmt *s = db_prep(d, sql);
	int64_t v = s && db_step(s) == DB_ROW ? db_col_int(s, 0) : -1;
	if (s)
		db_done(s);
	return v;
}

/* The companies' and technicians' open work orders as tech_load's
 * triggers counted them and as the assignments count them now: how many
 * (company, technician) pairs differ, or -1.  Either store. */
#define UNIT_LOAD_NOW "SELECT w.owner_org_id, a.technician_id, count(*) FROM wo_assignment a" \
	" JOIN wo w ON w.number = a.wo_number WHERE a.active = 1 AND w.state_class = 0 GROUP BY 1, 2"
#define UNIT_LOAD_KEPT "SELECT owner_org_id, technician_id, n FROM tech_load WHERE n <> 0"
static inline int64_t
unit_tech_load_drift(db_t *d)
{
	return unit_count(d, "SELECT (SELECT count(*) FROM (" UNIT_LOAD_NOW " EXCEPT " UNIT_LOAD_KEPT ") AS x)"
	    " + (SELECT count(*) FROM (" UNIT_LOAD_KEPT " EXCEPT " UNIT_LOAD_NOW ") AS y)");
}

/* The days to accept and to complete as wo_pace_day's triggers summed
 * them by the day of WO Assigned Date and as the work orders sum now: how
 * many (company, day) rows differ, or -1.  Either store. */
#define UNIT_PACE_NOW "SELECT owner_org_id, assigned_at / 86400, count(NULLIF(accepted_at, 0))," \
	" COALESCE(SUM(CASE WHEN accepted_at > 0 THEN accepted_at - assigned_at END), 0), count(NULLIF(completed_at, 0))," \
	" COALESCE(SUM(CASE WHEN completed_at > 0 THEN completed_at - assigned_at END), 0) FROM wo" \
	" WHERE accepted_at > 0 OR completed_at > 0 GROUP BY 1, 2"
#define UNIT_PACE_KEPT "SELECT owner_org_id, day, accepted_n, accepted_s, completed_n, completed_s FROM wo_pace_day" \
	" WHERE accepted_n <> 0 OR completed_n <> 0"
static inline int64_t
unit_pace_drift(db_t *d)
{
	return unit_count(d, "SELECT (SELECT count(*) FROM (" UNIT_PACE_NOW " EXCEPT " UNIT_PACE_KEPT ") AS x)"
	    " + (SELECT count(*) FROM (" UNIT_PACE_KEPT " EXCEPT " UNIT_PACE_NOW ") AS y)");
}

/* Missed SLAs as wo_missed_count's triggers counted them and as the work
 * orders count now: how many (company, reason) rows differ, or -1. */
#define UNIT_MISSED_NOW "SELECT owner_org_id, delay_reason, count(*) FROM wo WHERE state_class = 1" \
	" AND target_sla_at > 0 AND completed_at > target_sla_at GROUP BY 1, 2"
#define UNIT_MISSED_KEPT "SELECT owner_org_id, delay_reason, n FROM wo_missed_count WHERE n <> 0"
static inline int64_t
unit_missed_drift(db_t *d)
{
	return unit_count(d, "SELECT (SELECT count(*) FROM (" UNIT_MISSED_NOW " EXCEPT " UNIT_MISSED_KEPT ") AS x)"
	    " + (SELECT count(*) FROM (" UNIT_MISSED_KEPT " EXCEPT " UNIT_MISSED_NOW ") AS y)");
}

/* The counters kept by triggers hold something and are what the rows
 * count now: technicians' loads, days to accept and to complete, missed
 * SLAs by reason.  Either store. */
/* SQLite's list rows (wo_row) that are missing or differ from their work
 * order in company or class (migration 027); 0 on PostgreSQL, which reads
 * wo itself. */
static inline int64_t
unit_row_drift(db_t *db)
{
	if (db_is_pg(db))
		return 0;
	return unit_count(db, "SELECT count(*) FROM wo LEFT JOIN wo_row r ON r.number = wo.number"
	    " WHERE r.number IS NULL OR r.owner_org_id <> wo.owner_org_id OR r.state_class <> wo.state_class") +
	    unit_count(db, "SELECT count(*) FROM wo_row WHERE number NOT IN (SELECT number FROM wo)");
}

/* Scopes and words for which the scoped search index (wo_fts_org,
 * SQLite) finds other work orders than those of the company, of the
 * company and class, or of the class whose texts have the word
 * (fw_match, what wo_fts answers): 0 when it follows wo. */
static inline int64_t
unit_search_drift(db_t *db)
{
	static const char *const words[] = { "assure", "2008", "kohl", "jack", "zeta", "replacement" };
	static const char *const scopes[][2] = {
		{ "(SELECT DISTINCT owner_org_id AS o, -1 AS k FROM wo)", "o || 'x'" },
		{ "(SELECT DISTINCT owner_org_id AS o, state_class AS k FROM wo)", "o || 'k' || k || 'x'" },
		{ "(SELECT DISTINCT 0 AS o, state_class AS k FROM wo)", "'k' || k || 'x'" },
	};
	if (db_is_pg(db))
		return 0;
	int64_t n = 0;
	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
		for (size_t j = 0; j < sizeof(scopes) / sizeof(scopes[0]); j++) {
			char sql[800];
			snprintf(sql, sizeof(sql), "SELECT count(*) FROM %s WHERE"
			    " (SELECT count(*) FROM wo_fts_org WHERE wo_fts_org MATCH '\"' || %s || '%s\"*') <>"
			    " (SELECT count(*) FROM wo WHERE (o = 0 OR owner_org_id = o) AND (k < 0 OR state_class = k)"
			    " AND fw_match('%s', number, case_number, subject, account_name, territory_name, work_type_name))",
			    scopes[j][0], scopes[j][1], words[i], words[i]);
			n += unit_count(db, sql);
		}
	}
	return n;
}

static inline void
unit_counters_hold(db_t *db)
{
	assert_int_equal(unit_row_drift(db), 0);
	assert_int_equal(unit_search_drift(db), 0);
	assert_true(unit_count(db, "SELECT count(*) FROM tech_load WHERE n > 0") > 0);
	assert_int_equal(unit_tech_load_drift(db), 0);
	assert_true(unit_count(db, "SELECT count(*) FROM wo_pace_day WHERE completed_n > 0") > 0);
	assert_int_equal(unit_pace_drift(db), 0);
	assert_true(unit_count(db, "SELECT count(*) FROM wo_missed_count WHERE n > 0") > 0);
	assert_int_equal(unit_missed_drift(db), 0);
	/* the class each work order's status gives it (SQLite keeps it by
	 * trigger, PostgreSQL generates it) */
	assert_int_equal(unit_count(db, "SELECT count(*) FROM wo WHERE state_class <> CASE WHEN status IN ('Completed',"
	    " 'Closed') THEN 1 WHEN status IN ('Rejected', 'Cancelled', 'Cannot Complete') THEN 2 ELSE 0 END"), 0);
	assert_true(unit_count(db, "SELECT count(DISTINCT state_class) FROM wo") == 3);
}

/* The counters kept by triggers (tech_load, wo_pace_day, wo_missed_count)
 * and SQLite's list rows and scoped search index through every change
 * they watch, checked after each: completed late, its reason given, moved
 * to another company, subject and account changed, reopened; accepted and
 * assigned again; an assignment ended; one deleted.  Either store. */
static inline void
unit_counters_through_changes(db_t *db)
{
	static const char *const changes[] = {
		"UPDATE wo SET status = 'Completed', completed_at = target_sla_at + 3600 WHERE number IN"
		" (SELECT number FROM wo WHERE state_class = 0 AND target_sla_at > 0 ORDER BY number LIMIT 5)",
		"UPDATE wo SET delay_reason = 'Parts Delay' WHERE number IN (SELECT number FROM wo WHERE state_class = 1"
		" AND target_sla_at > 0 AND completed_at > target_sla_at ORDER BY number LIMIT 3)",
		"UPDATE wo SET owner_org_id = (SELECT min(id) FROM org WHERE kind = 'partner') WHERE number IN"
		" (SELECT number FROM wo ORDER BY number DESC LIMIT 7)",
		"UPDATE wo SET subject = subject || ' Zeta-Relay', account_name = 'Kohl''s Jackson' WHERE number IN"
		" (SELECT number FROM wo ORDER BY number DESC LIMIT 9)",
		"UPDATE wo SET status = 'In Progress', completed_at = 0 WHERE number IN (SELECT number FROM wo"
		" WHERE state_class = 1 ORDER BY number LIMIT 4)",
		"UPDATE wo SET accepted_at = assigned_at + 7200, assigned_at = assigned_at - 86400 WHERE number IN"
		" (SELECT number FROM wo ORDER BY number LIMIT 6)",
		"UPDATE wo_assignment SET active = 0 WHERE id IN (SELECT id FROM wo_assignment WHERE active = 1"
		" ORDER BY id LIMIT 3)",
		"DELETE FROM wo_assignment WHERE id IN (SELECT id FROM wo_assignment WHERE active = 1 ORDER BY id DESC LIMIT 2)",
	};
	for (size_t i = 0; i < sizeof(changes) / sizeof(changes[0]); i++) {
		assert_int_equal(db_exec1(db, changes[i]), DB_DONE);
		assert_int_equal(unit_tech_load_drift(db), 0);
		assert_int_equal(unit_pace_drift(db), 0);
		assert_int_equal(unit_missed_drift(db), 0);
		assert_int_equal(unit_row_drift(db), 0);
		assert_int_equal(unit_search_drift(db), 0);
	}
}

/* Either store: a rolled-back transaction leaves nothing, a committed one
 * stays (on a table t(k TEXT UNIQUE, v INTEGER) without 'a' and 'b'). */
static inline void
unit_check_rollback(db_t *db)
{
	assert_int_equal(db_begin(db), 0);
	assert_int_equal(db_exec1(db, "INSERT INTO t(k, v) VALUES ('a', 1)"), DB_DONE);
	assert_int_equal(db_exec1(db, "INSERT INTO t(k, v) VALUES ('b', 2)"), DB_DONE);
	db_rollback(db);
	assert_int_equal(unit_count(db, "SELECT count(*) FROM t WHERE k IN ('a', 'b')"), 0);
	assert_int_equal(db_begin(db), 0);
	assert_int_equal(db_exec1(db, "INSERT INTO t(k, v) VALUES ('a', 1)"), DB_DONE);
	assert_int_equal(db_commit(db), 0);
	assert_int_equal(unit_count(db, "SELECT count(*) FROM t WHERE k = 'a'"), 1);
}

static inline void
unit_db_drop(db_t *db, const char *path)
{
	char p[80];
	db_close(db);
	unlink(path);
	snprintf(p, sizeof(p), "%s-wal", path);
	unlink(p);
	snprintf(p, sizeof(p), "%s-shm", path);
	unlink(p);
}

/* A new, empty database NAME on the PostgreSQL cluster FW_TEST_PG names
 * (dropped first when it exists), through ADMIN, a connection to that
 * cluster's postgres database; opened into *OUT.  0, or -1 (reported). */
static inline int
unit_pg_db(db_t *admin, const char *name, db_t **out)
{
	const char *uri = getenv("FW_TEST_PG");
	char err[512], sql[200], u2[512];
	const char *at = uri ? strstr(uri, "/postgres?") : NULL;
	if (!at) {
		fprintf(stderr, "unit_pg_db: FW_TEST_PG is not a URI to a postgres database\n");
		return -1;
	}
	snprintf(sql, sizeof(sql), "DROP DATABASE IF EXISTS %s; CREATE DATABASE %s", name, name);
	/* two statements: CREATE DATABASE cannot run in a script's transaction */
	char *semi = strchr(sql, ';');
	*semi = '\0';
	if (db_exec_script(admin, sql, err, sizeof(err)) || db_exec_script(admin, semi + 2, err, sizeof(err))) {
		fprintf(stderr, "unit_pg_db: %s\n", err);
		return -1;
	}
	snprintf(u2, sizeof(u2), "%.*s/%s%s", (int)(at - uri), uri, name, at + 9);
	if (db_open(u2, out, err, sizeof(err)) != 0) {
		fprintf(stderr, "unit_pg_db: %s\n", err);
		return -1;
	}
	return 0;
}

#endif

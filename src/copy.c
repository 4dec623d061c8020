/* copy.c -- see copy.h. */
#include "copy.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Parents before children.  The counters (wo_count, tech_load,
 * wo_pace_day, wo_missed_count) are not copied: the target's triggers
 * count as the rows arrive (and the totals are compared). */
static const char *const tables[] = {
	"org", "users", "session", "login_attempt", "reset_token", "reset_request", "signup_request", "account",
	"contact", "territory", "entitlement", "work_type", "station", "wo", "wo_station", "woli", "part_order",
	"wo_view", "certification", "work_type_certification", "technician", "technician_certification",
	"technician_membership", "holiday", "assistance_request", "team", "team_member", "post", "post_like",
	"post_view", "mention", "follow", "notification", "email_outbox", "wo_assignment", "tech_audit",
	"library_doc", "cal_token", "wo_history", "file", "notify_pref", "digest",
};

#define COPY_MAX_COLS 96

static int64_t
count_rows(db_t *db, const char *table)
{
	char sql[96];
	/* a counter row at 0 is a status or technician a work order once had */
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM %s%s", table,
	    !strcmp(table, "wo_count") || !strcmp(table, "tech_load") || !strcmp(table, "wo_missed_count") ? " WHERE n > 0" :
	    !strcmp(table, "wo_pace_day") ? " WHERE accepted_n > 0 OR completed_n > 0" : "");
	db_stmt *s = db_prep(db, sql);
	int64_t n = s && db_step(s) == DB_ROW ? db_col_int(s, 0) : -1;
	if (s)
		db_done(s);
	return n;
}

/* 1 when the SQLite table TABLE of FROM has column COL.  Can't fail
 * (an error reads as no). */
static int
source_has(db_t *from, const char *table, const char *col)
{
	db_stmt *s = db_prep(from, "SELECT 1 FROM pragma_table_info(?1) WHERE name = ?2");
	if (!s)
		return 0;
	db_bind_text(s, 1, table);
	db_bind_text(s, 2, col);
	int yes = db_step(s) == DB_ROW;
	db_done(s);
	return yes;
}

/* The target's columns of TABLE that take values (not generated) and
 * that the source has (PostgreSQL's search column is the target's own,
 * kept by a trigger), as "a, b, c" into COLS; their number, or -1. */
static int
target_columns(db_t *from, db_t *to, const char *table, char *cols, size_t n)
{
	db_stmt *s = db_prep(to, "SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema()"
	    " AND table_name = ?1 AND is_generated = 'NEVER' ORDER BY ordinal_position");
	if (!s)
		return -1;
	db_bind_text(s, 1, table);
	int k = 0;
	size_t o = 0;
	cols[0] = '\0';
	while (db_step(s) == DB_ROW && k < COPY_MAX_COLS) {
		if (!source_has(from, table, db_col_text(s, 0)))
			continue;
		int w = snprintf(cols + o, n - o, "%s%s", k ? ", " : "", db_col_text(s, 0));
		if (w < 0 || (size_t)w >= n - o) {
			k = -1;
			break;
		}
		o += (size_t)w;
		k++;
	}
	db_done(s);
	return k;
}

/* Binds column I of the source row to parameter P of the insert. */
static void
bind_from(db_stmt *ins, int p, db_stmt *row, int i)
{
	size_t len;
	const void *b;
	switch (db_col_type(row, i)) {
	case DB_T_NULL: db_bind_null(ins, p); break;
	case DB_T_INT: db_bind_int(ins, p, db_col_int(row, i)); break;
	case DB_T_BLOB:
		b = db_col_blob(row, i, &len);
		db_bind_blob(ins, p, b ? b : "", len);
		break;
	default: db_bind_text(ins, p, db_col_text(row, i)); break;
	}
}

/* Copies TABLE's rows; a work order's reissued_as (a later work order)
 * is put back once every work order is in.  0 or -1 with ERR. */
static int
copy_table(db_t *from, db_t *to, const char *table, char *err, size_t errlen)
{
	char cols[4096], sql[8192];
	int ncols = target_columns(from, to, table, cols, sizeof(cols));
	if (ncols <= 0) {
		snprintf(err, errlen, "the PostgreSQL schema has no table %s", table);
		return -1;
	}
	snprintf(sql, sizeof(sql), "SELECT %s FROM %s", cols, table);
	db_stmt *rows = db_prep(from, sql);
	size_t o = (size_t)snprintf(sql, sizeof(sql), "INSERT INTO %s (%s) VALUES (", table, cols);
	for (int i = 1; i <= ncols && o < sizeof(sql) - 8; i++)
		o += (size_t)snprintf(sql + o, sizeof(sql) - o, "%s?%d", i > 1 ? ", " : "", i);
	snprintf(sql + o, sizeof(sql) - o, ")");
	db_stmt *ins = db_prep(to, sql);
	db_stmt *later = !strcmp(table, "wo") ? db_prep(to, "UPDATE wo SET reissued_as = ?2 WHERE number = ?1") : NULL;
	if (!rows || !ins || (!strcmp(table, "wo") && !later)) {
		snprintf(err, errlen, "%s: the two stores' columns differ", table);
		if (rows)
			db_done(rows);
		return -1;
	}
	int reissued = -1, number = -1;
	for (int i = 0; i < ncols; i++) {
		if (!strcmp(db_col_name(rows, i), "reissued_as"))
			reissued = i;
		if (!strcmp(db_col_name(rows, i), "number"))
			number = i;
	}
	int64_t (*pend)[2] = NULL;
	size_t npend = 0, cap = 0;
	int rc, failed = 0;
	while ((rc = db_step(rows)) == DB_ROW) {
		for (int i = 0; i < ncols; i++) {
			if (later && i == reissued && db_col_type(rows, i) != DB_T_NULL) {
				if (npend == cap) {
					cap = cap ? cap * 2 : 256;
					void *p = realloc(pend, cap * sizeof(*pend));
					if (!p) {
						failed = 1;
						break;
					}
					pend = p;
				}
				pend[npend][0] = db_col_int(rows, number);
				pend[npend++][1] = db_col_int(rows, i);
				db_bind_null(ins, i + 1);
				continue;
			}
			bind_from(ins, i + 1, rows, i);
		}
		int r = failed ? DB_ERROR : db_step(ins);
		db_done(ins);
		if (r != DB_DONE) {
			snprintf(err, errlen, "%s: a row could not be written: %s", table, db_errmsg(to));
			failed = 1;
			break;
		}
	}
	db_done(rows);
	if (!failed && rc != DB_DONE && rc != DB_ROW) {
		snprintf(err, errlen, "%s: the source could not be read", table);
		failed = 1;
	}
	for (size_t i = 0; !failed && i < npend; i++) {
		db_bind_int(later, 1, pend[i][0]);
		db_bind_int(later, 2, pend[i][1]);
		if (db_step(later) != DB_DONE) {
			snprintf(err, errlen, "wo: a reissue link could not be written");
			failed = 1;
		}
		db_done(later);
	}
	free(pend);
	return failed ? -1 : 0;
}

/* Moves every identity of the target past the largest copied id. */
static int
reset_identities(db_t *to, char *err, size_t errlen)
{
	db_stmt *s = db_prep(to, "SELECT table_name, column_name FROM information_schema.columns"
	    " WHERE table_schema = current_schema() AND is_identity = 'YES'");
	if (!s)
		return -1;
	char list[64][2][64];
	int n = 0;
	while (db_step(s) == DB_ROW && n < 64) {
		str_copy(list[n][0], db_col_text(s, 0), sizeof(list[n][0]));
		str_copy(list[n][1], db_col_text(s, 1), sizeof(list[n][1]));
		n++;
	}
	db_done(s);
	for (int i = 0; i < n; i++) {
		char sql[512];
		int w = snprintf(sql, sizeof(sql), "SELECT setval(pg_get_serial_sequence('%s', '%s'), COALESCE(max(%s), 0) + 1,"
		    " false) FROM %s", list[i][0], list[i][1], list[i][1], list[i][0]);
		if (w < 0 || (size_t)w >= sizeof(sql) || db_exec_script(to, sql, err, errlen) != 0)
			return -1;
	}
	return 0;
}

int
copy_store(db_t *from, db_t *to, FILE *progress, char *err, size_t errlen)
{
	if (db_is_pg(from) || !db_is_pg(to)) {
		snprintf(err, errlen, "copy goes from a SQLite file (--from) to PostgreSQL (--to)");
		return -1;
	}
	for (size_t i = 0; i < FW_ARRAY_LEN(tables); i++) {
		int64_t n = count_rows(to, tables[i]);
		if (n != 0) {
			snprintf(err, errlen, n < 0 ? "the target has no table %s: is it a fieldwork database?" :
			    "the target is not empty (%s has rows): copy only into a new database", tables[i]);
			return -1;
		}
	}
	if (db_read_begin(from) != 0 || db_begin(to) != 0) {
		snprintf(err, errlen, "cannot begin the copy");
		db_read_end(from);
		return -1;
	}
	int rc = 0;
	for (size_t i = 0; i < FW_ARRAY_LEN(tables) && !rc; i++) {
		rc = copy_table(from, to, tables[i], err, errlen);
		if (!rc && progress)
			fprintf(progress, "copy: %-26s %lld rows\n", tables[i], (long long)count_rows(to, tables[i]));
	}
	if (!rc)
		rc = reset_identities(to, err, errlen);
	/* the check: every table as many rows on both sides, counters included */
	static const char *const counted[] = { "wo_count", "tech_load", "wo_pace_day", "wo_missed_count" };
	for (size_t i = 0; !rc && i < FW_ARRAY_LEN(tables) + FW_ARRAY_LEN(counted); i++) {
		const char *t = i < FW_ARRAY_LEN(tables) ? tables[i] : counted[i - FW_ARRAY_LEN(tables)];
		int64_t a = count_rows(from, t), b = count_rows(to, t);
		if (a != b) {
			snprintf(err, errlen, "%s: %lld rows in the file, %lld copied", t, (long long)a, (long long)b);
			rc = -1;
		}
	}
	db_read_end(from);
	if (rc) {
		db_rollback(to);
		return -1;
	}
	if (db_commit(to) != 0) {
		snprintf(err, errlen, "the copy could not be committed; the target is unchanged");
		return -1;
	}
	return 0;
}

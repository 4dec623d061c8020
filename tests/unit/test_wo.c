/* Unit tests of the list views and the work order record (wo.c) over
 * generated demo data. */
#include "unit.h"
#include "search.h"
#include "dash.h"
#include "sla.h"
#include "tz.h"
#include "user.h"
#include "wo.h"

static db_t *db;
static char path[64];
static struct wo_scope operator_scope, megan_scope;
static int bulk_load;   /* the second group: a demo big enough to load in bulk */

static int
setup(void **state)
{
	db = unit_db(bulk_load ? 7000 : 400, path);
	if (!db)
		return -1;
	struct user op, megan;
	if (unit_users(db, "operator@chargepoint.example", &op, "dispatch@megansdispatch.example", &megan, NULL))
		return -1;
	return wo_scope_for(&op, &operator_scope) || wo_scope_for(&megan, &megan_scope) ? -1 : 0;
}

static int
teardown(void **state)
{
	unit_db_drop(db, path);
	tz_free_all();
	return 0;
}

/* SQL's one number, with ?1 bound to P1 when it is not 0. */
static int64_t
count_sql(const char *sql, int64_t p1)
{
	db_stmt *s = db_prep(db, sql);
	if (p1)
		db_bind_int(s, 1, p1);
	int64_t n = db_step(s) == DB_ROW ? db_col_int(s, 0) : -1;
	db_done(s);
	return n;
}

/* wo_list with its rows as a JSON array of objects, as the API writes
 * them: the tests compare pages as values. */
static int
list_json(db_t *d, const struct wo_scope *sc, const struct wo_query *q, const struct tz *z, json_t **out,
    int64_t *total, int *capped, int *next, int *prev, char *err, size_t errlen)
{
	struct rowset rs;
	int rc = wo_list(d, sc, q, z, &rs, total, capped, next, prev, err, errlen);
	*out = NULL;
	if (rc != WO_OK)
		return rc;
	json_t *a = json_array();
	for (size_t r = 0; r < rs.nrows; r++) {
		json_t *o = json_object();
		for (int c = 0; c < rs.ncols; c++) {
			const struct rs_val *v = rowset_get(&rs, r, c);
			json_object_set_new(o, rs.cols[c], v->kind == RS_INT ? json_integer(v->i) : v->kind == RS_STR ?
			    json_stringn(rowset_bytes(&rs, v), v->len) : json_null());
		}
		json_array_append_new(a, o);
	}
	if (rs.nrows)
		assert_int_equal(wo_list_number(&rs, rs.nrows - 1),
		    json_integer_value(json_object_get(json_array_get(a, rs.nrows - 1), "number")));
	rowset_free(&rs);
	*out = a;
	return rc;
}

/* The total wo_list gives Q (which must list). */
static int64_t
list_total(const struct wo_scope *sc, const struct wo_query *q)
{
	json_t *rows;
	int64_t total;
	int capped, next, prev;
	char err[256];
	assert_int_equal(list_json(db, sc, q, tz_utc(), &rows, &total, &capped, &next, &prev, err, sizeof(err)), WO_OK);
	json_decref(rows);
	return total;
}

/* Walks every page of Q and checks the order and the total against SQL. */
static void
walk(const struct wo_scope *sc, struct wo_query q, int64_t expect_total)
{
	json_t *rows;
	int64_t total, seen = 0;
	int capped, next, prev;
	char err[256];
	json_t *last = NULL;
	int pages = 0;
	for (;;) {
		assert_int_equal(list_json(db, sc, &q, tz_utc(), &rows, &total, &capped, &next, &prev, err, sizeof(err)), WO_OK);
		assert_int_equal(total, expect_total);
		assert_int_equal(prev, pages > 0);
		size_t i;
		json_t *r;
		json_array_foreach(rows, i, r) {
			if (last) {
				/* strictly ordered by (sort key, number) */
				const char *k = wo_cols[q.sort].key;
				(void)k;
				json_int_t a = json_integer_value(json_object_get(last, "number"));
				json_int_t b = json_integer_value(json_object_get(r, "number"));
				assert_true(a != b);
			}
			json_decref(last);
			last = json_incref(r);
			seen++;
		}
		pages++;
		if (!next) {
			json_decref(rows);
			break;
		}
		q.after = json_integer_value(json_object_get(json_array_get(rows, json_array_size(rows) - 1), "number"));
		q.before = 0;
		json_decref(rows);
	}
	json_decref(last);
	assert_int_equal(seen, expect_total);
}

static void
test_views_count_and_page_like_sql(void **state)
{
	int64_t org = megan_scope.org_id;
	struct wo_query q = { .view = WV_ALL, .sort = WC_NUMBER, .limit = 37 };
	walk(&megan_scope, q, count_sql("SELECT count(*) FROM wo WHERE owner_org_id = ?1", org));
	q.view = WV_MY_OPEN;
	q.sort = WC_SUBJECT;
	walk(&megan_scope, q, count_sql("SELECT count(*) FROM wo WHERE owner_org_id = ?1 AND status NOT IN"
	    " ('Completed','Closed','Rejected','Cancelled','Cannot Complete')", org));
	q.view = WV_DONE;
	q.sort = WC_COMPLETED;
	q.desc = 1;
	walk(&megan_scope, q, count_sql("SELECT count(*) FROM wo WHERE owner_org_id = ?1 AND status IN ('Completed','Closed')", org));
	q.view = WV_ENDED;
	q.sort = WC_ACCOUNT;
	walk(&operator_scope, q, count_sql("SELECT count(*) FROM wo WHERE status IN ('Rejected','Cancelled','Cannot Complete')", 0));
	q.view = WV_ALL;
	q.sort = WC_APPOINTMENT;
	walk(&operator_scope, q, count_sql("SELECT count(*) FROM wo", 0));
}

/* What SQL orders a list sorted by SORT by: its column, or ascending by a
 * date its key (a work order without the date last). */
static const char *
order_key(int sort, int desc)
{
	return !desc && wo_cols[sort].asc ? wo_cols[sort].asc : wo_cols[sort].sql;
}

static void
test_every_sort_orders_rows(void **state)
{
	for (int c = 0; c < WC__COUNT; c++) {
		if (!wo_view_has_col(WV_ALL, c))
			continue;
		for (int desc = 0; desc < 2; desc++) {
			struct wo_query q = { .view = WV_ALL, .sort = c, .desc = desc, .limit = 200 };
			json_t *rows;
			int64_t total;
			int capped, next, prev;
			char err[256];
			assert_int_equal(list_json(db, &megan_scope, &q, tz_utc(), &rows, &total, &capped, &next, &prev,
			    err, sizeof(err)), WO_OK);
			/* compare with the same order computed by SQL */
			char sql[320];
			snprintf(sql, sizeof(sql), "SELECT number FROM wo WHERE owner_org_id = ?1 ORDER BY %s %s, number %s LIMIT 200",
			    order_key(c, desc), desc ? "DESC" : "ASC", desc ? "DESC" : "ASC");
			db_stmt *s = db_prep(db, sql);
			db_bind_int(s, 1, megan_scope.org_id);
			size_t i = 0;
			while (db_step(s) == DB_ROW) {
				json_t *r = json_array_get(rows, i++);
				assert_non_null(r);
				assert_int_equal(json_integer_value(json_object_get(r, "number")), db_col_int(s, 0));
			}
			db_done(s);
			assert_int_equal(i, json_array_size(rows));
			json_decref(rows);
		}
	}
}

static void
test_previous_page_mirrors_next(void **state)
{
	struct wo_query q = { .view = WV_ALL, .sort = WC_STATUS, .desc = 1, .limit = 10 };
	json_t *p1, *p2, *back;
	int64_t total;
	int capped, next, prev;
	char err[256];
	assert_int_equal(list_json(db, &operator_scope, &q, tz_utc(), &p1, &total, &capped, &next, &prev, err, sizeof(err)), WO_OK);
	q.after = json_integer_value(json_object_get(json_array_get(p1, 9), "number"));
	assert_int_equal(list_json(db, &operator_scope, &q, tz_utc(), &p2, &total, &capped, &next, &prev, err, sizeof(err)), WO_OK);
	assert_true(prev);
	q.after = 0;
	q.before = json_integer_value(json_object_get(json_array_get(p2, 0), "number"));
	assert_int_equal(list_json(db, &operator_scope, &q, tz_utc(), &back, &total, &capped, &next, &prev, err, sizeof(err)), WO_OK);
	assert_true(json_equal(back, p1));
	assert_false(prev);
	json_decref(p1);
	json_decref(p2);
	json_decref(back);
}

static void
test_bad_queries_are_refused(void **state)
{
	json_t *rows;
	int64_t total;
	int capped, next, prev;
	char err[256];
	struct wo_query q = { .view = WV_ALL, .sort = WC_COMPLETED, .limit = 10 };
	assert_int_equal(list_json(db, &megan_scope, &q, tz_utc(), &rows, &total, &capped, &next, &prev, err, sizeof(err)), WO_BAD_INPUT);
	q.sort = WC_NUMBER;
	q.limit = 0;
	assert_int_equal(list_json(db, &megan_scope, &q, tz_utc(), &rows, &total, &capped, &next, &prev, err, sizeof(err)), WO_BAD_INPUT);
	q.limit = 10;
	q.after = 99999999999LL;
	assert_int_equal(list_json(db, &megan_scope, &q, tz_utc(), &rows, &total, &capped, &next, &prev, err, sizeof(err)), WO_BAD_INPUT);
	/* another company's work order is no anchor either */
	q.after = count_sql("SELECT min(number) FROM wo WHERE owner_org_id != ?1", megan_scope.org_id);
	assert_int_equal(list_json(db, &megan_scope, &q, tz_utc(), &rows, &total, &capped, &next, &prev, err, sizeof(err)), WO_BAD_INPUT);
}

static void
test_search(void **state)
{
	char expr[256];
	assert_int_equal(search_expr("Kohl's  CT4020-HD", expr, sizeof(expr)), 0);
	assert_string_equal(expr, "\"Kohl\"* \"s\"* \"CT4020\"* \"HD\"*");
	assert_int_equal(search_expr(" -- ", expr, sizeof(expr)), 1);
	assert_int_equal(search_expr("\"*) OR (", expr, sizeof(expr)), 0);
	assert_string_equal(expr, "\"OR\"*");
	struct wo_query q = { .view = WV_ALL, .sort = WC_NUMBER, .limit = 200, .search = "Jacksonville" };
	json_t *rows;
	int64_t total;
	int capped, next, prev;
	char err[256];
	assert_int_equal(list_json(db, &operator_scope, &q, tz_utc(), &rows, &total, &capped, &next, &prev, err, sizeof(err)), WO_OK);
	assert_int_equal(total, count_sql("SELECT count(*) FROM wo WHERE territory_name = 'Florida - Jacksonville'"
	    " OR account_name LIKE '%Jacksonville%' OR subject LIKE '%Jacksonville%'", 0));
	assert_true(total > 0);
	json_decref(rows);
}

/* Home's SLA At Risk count, made from the counters less what the rule
 * leaves out, is the rule's own count, before, during and after the
 * demo's weeks, for the network and for a company. */
static void
test_at_risk_count_is_the_rule(void **state)
{
	int64_t epoch = unit_count(db, "SELECT max(assigned_at) FROM wo");
	int64_t times[] = { epoch - 60 * 86400, epoch - 3 * 86400, epoch, epoch + 86400 * 30 };
	for (size_t i = 0; i < FW_ARRAY_LEN(times); i++) {
		for (int k = 0; k < 2; k++) {
			int64_t org = k ? megan_scope.org_id : 0;
			db_stmt *s = db_prep(db, "SELECT count(*) FROM wo WHERE (?1 = 0 OR owner_org_id = ?1) AND state_class = 0"
			    " AND " SLA_AT_RISK_SQL(2));
			db_bind_int(s, 1, org);
			db_bind_int(s, 2, sla_at_risk_until(times[i]));
			assert_int_equal(db_step(s), DB_ROW);
			int64_t want = db_col_int(s, 0);
			db_done(s);
			assert_int_equal(dash_at_risk(db, org, times[i]), want);
			assert_true(i < 2 || want > 0);
		}
	}
}

/* The operator's Dashboard counts every company, however many there are:
 * a partner's row each, and the network's open work orders the sum of
 * theirs (a network of a hundred partners; inside a transaction undone). */
static void
test_dashboard_counts_every_company(void **state)
{
	assert_int_equal(db_begin(db), 0);
	for (int i = 0; i < 100; i++) {
		char sql[160];
		snprintf(sql, sizeof(sql), "INSERT INTO org(name, kind, created_at) VALUES ('Partner %03d', 'partner', 1)", i);
		assert_int_equal(db_exec1(db, sql), DB_DONE);
	}
	int64_t now = unit_count(db, "SELECT max(assigned_at) FROM wo");
	json_t *partners = NULL, *d = dash_numbers(db, 0, now, tz_utc(), &partners);
	assert_non_null(d);
	assert_non_null(partners);
	assert_int_equal(json_array_size(partners), unit_count(db, "SELECT count(*) FROM org WHERE kind = 'partner'"));
	json_t *p = dash_by_partner(db, now, tz_utc());
	assert_true(json_equal(p, partners));
	assert_int_equal(json_integer_value(json_object_get(d, "open")),
	    unit_count(db, "SELECT count(*) FROM wo WHERE state_class = 0"));
	json_decref(p);
	json_decref(partners);
	json_decref(d);
	db_rollback(db);
}

static void
test_record_is_scoped(void **state)
{
	int64_t theirs = count_sql("SELECT min(number) FROM wo WHERE owner_org_id != ?1", megan_scope.org_id);
	int64_t ours = count_sql("SELECT min(number) FROM wo WHERE owner_org_id = ?1", megan_scope.org_id);
	json_t *w;
	assert_int_equal(wo_get(db, &megan_scope, theirs, tz_utc(), &w), WO_NOT_FOUND);
	assert_int_equal(wo_get(db, &operator_scope, theirs, tz_utc(), &w), WO_OK);
	json_decref(w);
	assert_int_equal(wo_get(db, &megan_scope, ours, tz_utc(), &w), WO_OK);
	assert_string_equal(json_string_value(json_object_get(w, "owner")), "Megan's Dispatch Service");
	assert_true(json_array_size(json_object_get(w, "stations")) >= 1);
	assert_true(json_array_size(json_object_get(w, "line_items")) >= 1);
	json_decref(w);
	assert_int_equal(wo_get(db, &megan_scope, 1, tz_utc(), &w), WO_NOT_FOUND);
}

static void
test_recently_viewed(void **state)
{
	int64_t a = count_sql("SELECT min(number) FROM wo WHERE owner_org_id = ?1", megan_scope.org_id);
	int64_t b = count_sql("SELECT max(number) FROM wo WHERE owner_org_id = ?1", megan_scope.org_id);
	db_exec1(db, "DELETE FROM wo_view");
	assert_int_equal(wo_record_view(db, megan_scope.user_id, a), 0);
	db_stmt *s = db_prep(db, "UPDATE wo_view SET viewed_at = viewed_at - 60");
	db_step(s);
	db_done(s);
	assert_int_equal(wo_record_view(db, megan_scope.user_id, b), 0);
	struct wo_query q = { .view = WV_RECENT, .sort = WC_VIEWED, .desc = 1, .limit = 50 };
	json_t *rows;
	int64_t total;
	int capped, next, prev;
	char err[256];
	assert_int_equal(list_json(db, &megan_scope, &q, tz_utc(), &rows, &total, &capped, &next, &prev, err, sizeof(err)), WO_OK);
	assert_int_equal(total, 2);
	assert_int_equal(json_integer_value(json_object_get(json_array_get(rows, 0), "number")), b);
	assert_int_equal(json_integer_value(json_object_get(json_array_get(rows, 1), "number")), a);
	json_decref(rows);
}

static void
test_demo_has_certified_technicians_and_freelancers(void **state)
{
	assert_true(count_sql("SELECT count(*) FROM technician WHERE org_id = ?1", megan_scope.org_id) >= 4);
	assert_true(count_sql("SELECT count(*) FROM technician WHERE org_id IS NULL", 0) >= 1);
	assert_int_equal(count_sql("SELECT count(*) FROM certification WHERE name IN ('CP6000-INS', 'CT4000-CM', 'CT4000-INS')", 0), 3);
	assert_true(count_sql("SELECT count(DISTINCT technician_id) FROM technician_certification", 0) >= 10);
	assert_int_equal(count_sql("SELECT count(*) FROM work_type w WHERE NOT EXISTS"
	    " (SELECT 1 FROM work_type_certification c WHERE c.work_type_id = w.id)", 0), 0);
}

/* ---- a bulk demo (two generator threads) and searches with many matches ---- */

static int
setup_bulk(void **state)
{
	tz_free_all();
	return setup(state);
}

/* Every page of VIEW (searched for TERM, or NULL) in SC's scope, compared
 * with SQL's own order of the same rows -- of the newest WO_SORT_NEWEST
 * matches when the first page says it sorted those (and the next pages
 * then ask for them, as the page's links do).  EXACT: Q.exact (an
 * export's).  Returns whether the pages were of the newest. */
static int
list_matches_mode(const struct wo_scope *sc, int view, const char *term, int sort, int desc, int exact)
{
	struct wo_query q = { .view = view, .sort = sort, .desc = desc, .limit = 200, .search = term, .exact = exact };
	int64_t seen = 0;
	db_stmt *s = NULL;
	int newest = 0;
	for (;;) {
		json_t *rows;
		int64_t total;
		int capped, next, prev;
		char err[256];
		assert_int_equal(list_json(db, sc, &q, tz_utc(), &rows, &total, &capped, &next, &prev, err, sizeof(err)), WO_OK);
		if (!s) {
			newest = (capped & WO_SORTED_NEWEST) != 0;
			assert_true(!newest || !exact);
			char match[256], sql[900];
			assert_int_equal(search_expr(term ? term : "x", match, sizeof(match)), 0);   /* "a"* "b"* */
			const char *rule = "(?2 IS NULL OR number IN (SELECT rowid FROM wo_fts WHERE wo_fts MATCH ?2))"
			    " AND (?1 = 0 OR owner_org_id = ?1) AND (?3 < 0 OR state_class = ?3)";
			snprintf(sql, sizeof(sql), "SELECT number FROM wo WHERE %s%s%s%s ORDER BY %s %s, number %s", rule,
			    newest ? " AND number IN (SELECT number FROM wo WHERE " : "", newest ? rule : "",
			    newest ? " ORDER BY number DESC LIMIT ?4)" : "", order_key(sort, desc), desc ? "DESC" : "ASC",
			    desc ? "DESC" : "ASC");
			s = db_prep(db, sql);
			assert_non_null(s);
			db_bind_int(s, 1, sc->all ? 0 : sc->org_id);
			db_bind_text(s, 2, term ? match : NULL);
			db_bind_int(s, 3, wo_views[view].klass);
			db_bind_int(s, 4, WO_SORT_NEWEST);
		}
		assert_int_equal((capped & WO_SORTED_NEWEST) != 0, newest);   /* every page alike */
		size_t i;
		json_t *r;
		json_array_foreach(rows, i, r) {
			assert_int_equal(db_step(s), DB_ROW);
			assert_int_equal(json_integer_value(json_object_get(r, "number")), db_col_int(s, 0));
			seen++;
		}
		if (!next) {
			if (!newest)
				assert_int_equal(total, seen);
			json_decref(rows);
			break;
		}
		q.after = json_integer_value(json_object_get(json_array_get(rows, json_array_size(rows) - 1), "number"));
		q.newest = newest;
		json_decref(rows);
	}
	assert_int_equal(db_step(s), DB_DONE);   /* and no row left out */
	db_done(s);
	return newest;
}

static void
list_matches_sql(const struct wo_scope *sc, int view, const char *term, int sort, int desc)
{
	list_matches_mode(sc, view, term, sort, desc, 0);
}

static void
test_bulk_demo_is_whole(void **state)
{
	char scratch[80];
	snprintf(scratch, sizeof(scratch), "%s.load", path);
	assert_int_equal(access(scratch, F_OK), -1);   /* removed */
	assert_int_equal(count_sql("SELECT count(*) FROM wo", 0), 7000);
	assert_int_equal(count_sql("SELECT count(*) FROM wo w WHERE NOT EXISTS (SELECT 1 FROM woli l"
	    " WHERE l.wo_number = w.number)", 0), 0);
	assert_int_equal(count_sql("SELECT count(*) FROM wo_history h WHERE NOT EXISTS (SELECT 1 FROM wo"
	    " WHERE number = h.wo_number)", 0), 0);
	assert_true(count_sql("SELECT count(*) FROM wo_history", 0) > 7000);
	assert_int_equal(count_sql("SELECT SUM(n) FROM wo_count", 0), 7000);
	assert_int_equal(db_exec1(db, "INSERT INTO wo_fts(wo_fts, rank) VALUES ('integrity-check', 1)"), DB_DONE);
	assert_int_equal(unit_search_drift(db), 0);   /* the scoped index, written by the second thread */
	db_stmt *s = db_prep(db, "PRAGMA foreign_key_check");
	assert_int_equal(db_step(s), DB_DONE);
	db_done(s);
}

static void
test_searches_with_many_and_few_matches(void **state)
{
	/* "Assure" is in most subjects (many matches: each scan walks its
	 * index and checks the matches); an account name is in few */
	assert_true(count_sql("SELECT count(*) FROM wo_fts WHERE wo_fts MATCH '\"Assure\"*'", 0) > 2000);
	for (int sort = 0; sort < WC__COUNT; sort++) {
		if (!wo_view_has_col(WV_ALL, sort))
			continue;
		list_matches_sql(&megan_scope, WV_ALL, "Assure", sort, sort % 2);
		list_matches_sql(&operator_scope, WV_ALL, "Assure", sort, !(sort % 2));
	}
	list_matches_sql(&operator_scope, WV_ALL, "Kohl", WC_SUBJECT, 0);
	list_matches_sql(&megan_scope, WV_ALL, "Kohl", WC_ASSIGNED, 1);
	list_matches_sql(&megan_scope, WV_ALL, "Columbus", WC_NUMBER, 0);   /* another company's city: none */
	/* every work order number starts 2008: all of a company's own */
	assert_true(count_sql("SELECT count(*) FROM wo WHERE owner_org_id = ?1", megan_scope.org_id) > 2000);
	list_matches_sql(&megan_scope, WV_ALL, "2008", WC_SUBJECT, 1);
	list_matches_sql(&megan_scope, WV_MY_OPEN, "2008", WC_APPOINTMENT, 0);
}

/* The same pages and totals when the searches are walked (many matches)
 * and when the walks give up and the matches become a bitmap. */
static void
test_searches_walked_and_from_a_bitmap(void **state)
{
	assert_int_equal(unit_count(db, "SELECT count(*) FROM wo_fts WHERE wo_fts MATCH '\"Kohl\"*'") > 100, 1);
	for (int round = 0; round < 2; round++) {
		wo_search_tune(100, round ? 1000 : 100000000, 100000000, 0);
		list_matches_sql(&operator_scope, WV_ALL, "Assure", WC_SUBJECT, 0);
		list_matches_sql(&operator_scope, WV_ALL, "Kohl", WC_TARGET, 1);
		list_matches_sql(&operator_scope, WV_MY_OPEN, "Assure", WC_STATUS, 0);
		list_matches_sql(&megan_scope, WV_ALL, "Assure", WC_NUMBER, 1);
		list_matches_sql(&megan_scope, WV_ENDED, "2008", WC_ACCOUNT, 0);
		list_matches_sql(&megan_scope, WV_DONE, "Kohl", WC_COMPLETED, 1);
		list_matches_sql(&megan_scope, WV_ALL, "Columbus", WC_SUBJECT, 0);   /* another company's: none */
		/* a walk that gives up: the newest matches, sorted, and so every
		 * page after; an export's every match; the number order's every
		 * match, from the hit set */
		assert_int_equal(list_matches_mode(&operator_scope, WV_ALL, "Assure", WC_SUBJECT, 1, 0), round);
		assert_int_equal(list_matches_mode(&megan_scope, WV_ALL, "2008", WC_ACCOUNT, 0, 0), round);
		/* too many to gather for the search, gathered from its words'
		 * sets instead (search_dense): the scan reads the index alone,
		 * and finds its page within the budget */
		assert_false(list_matches_mode(&operator_scope, WV_DONE, "Assure", WC_COMPLETED, 1, 0));
		assert_false(list_matches_mode(&operator_scope, WV_ALL, "Assure", WC_SUBJECT, 1, 1));
		assert_false(list_matches_mode(&megan_scope, WV_ALL, "2008", WC_ACCOUNT, 0, 1));
		assert_false(list_matches_mode(&megan_scope, WV_ALL, "Assure", WC_NUMBER, 0, 0));
		/* SLA At Risk counts by its rule: every match at risk */
		struct wo_query rq = { .view = WV_AT_RISK, .sort = WC_SUBJECT, .limit = 10, .search = "Assure" };
		int64_t at_risk = count_sql("SELECT count(*) FROM wo WHERE state_class = 0 AND " SLA_AT_RISK_SQL(1)
		    " AND number IN (SELECT rowid FROM wo_fts WHERE wo_fts MATCH '\"Assure\"*')", sla_at_risk_until(now_utc()));
		assert_true(at_risk > 100);
		assert_int_equal(list_total(&operator_scope, &rq), at_risk);
	}
	/* a count cut short says so: at least what it counted */
	wo_search_tune(100, 100000000, 2000, 0);
	struct wo_query q = { .view = WV_MY_OPEN, .sort = WC_NUMBER, .limit = 10, .search = "Assure" };
	json_t *rows;
	int64_t total;
	int capped, next, prev;
	char err[256];
	assert_int_equal(list_json(db, &operator_scope, &q, tz_utc(), &rows, &total, &capped, &next, &prev, err,
	    sizeof(err)), WO_OK);
	assert_true(capped);
	assert_true(total >= (int64_t)json_array_size(rows) && total < unit_count(db, "SELECT count(*) FROM wo"
	    " WHERE state_class = 0 AND subject LIKE '%Assure%'"));
	json_decref(rows);
	/* collected in two steps: the first hundred, then -- where they fill
	 * the numbers so densely that the rest may fit the hit set -- all of
	 * them, in a budget of their own: every match counted, and the pages
	 * the same; where they may not fit, walked, the count cut short */
	int64_t open_assure = count_sql("SELECT count(*) FROM wo WHERE state_class = 0 AND number IN"
	    " (SELECT rowid FROM wo_fts WHERE wo_fts MATCH '\"Assure\"*')", 0);
	assert_true(open_assure > 300 && open_assure < 7000);
	for (int fits = 1; fits >= 0; fits--) {
		wo_search_tune(fits ? 7000 : 150, 100000000, 2000, 100);
		assert_int_equal(list_json(db, &operator_scope, &q, tz_utc(), &rows, &total, &capped, &next, &prev, err,
		    sizeof(err)), WO_OK);
		json_decref(rows);
		assert_int_equal(capped, !fits);
		if (fits)
			assert_int_equal(total, open_assure);
		wo_search_tune(0, 0, 100000000, 0);   /* the pages, each count whole */
		list_matches_sql(&operator_scope, WV_MY_OPEN, "Assure", WC_ACCOUNT, fits);
		list_matches_sql(&megan_scope, WV_ALL, "Assure", WC_SUBJECT, !fits);
	}
	wo_search_tune(10000, 20000, 400000, 10000);
}

/* A search again, the database unchanged, reads the hit set its
 * connection already holds; any write ends it, and the next search
 * collects the matches anew. */
static void
test_search_again_sees_a_write(void **state)
{
	int64_t number = count_sql("SELECT max(number) FROM wo WHERE number NOT IN"
	    " (SELECT rowid FROM wo_fts WHERE wo_fts MATCH '\"Kohl\"*')", 0);
	struct search srch;
	int64_t n1 = 0, n2 = 0, held = 0;
	assert_int_equal(db_read_begin(db), 0);
	assert_int_equal(search_prepare(db, "Kohl", 0, -1, &srch), 0);
	assert_int_equal(search_collect(db, &srch, 0, 0, &n1, NULL), 0);
	assert_int_equal(search_collected(db, &srch, &held), 1);
	assert_int_equal(held, n1);
	db_read_end(db);
	char sql[160];
	snprintf(sql, sizeof(sql), "UPDATE wo SET territory_name = territory_name || ' Kohl' WHERE number = %lld",
	    (long long)number);
	assert_int_equal(db_exec1(db, sql), DB_DONE);
	assert_int_equal(db_read_begin(db), 0);
	assert_int_equal(search_prepare(db, "Kohl", 0, -1, &srch), 0);
	assert_int_equal(search_collected(db, &srch, &held), 0);
	assert_int_equal(search_collect(db, &srch, 0, 0, &n2, NULL), 0);
	assert_int_equal(n2, n1 + 1);
	db_read_end(db);
	snprintf(sql, sizeof(sql), "UPDATE wo SET territory_name = substr(territory_name, 1, length(territory_name) - 5)"
	    " WHERE number = %lld", (long long)number);
	assert_int_equal(db_exec1(db, sql), DB_DONE);
}

static int busy_always(void *arg) { (void)arg; return 1; }
static int busy_never(void *arg) { (void)arg; return 0; }

/* Adds a copy of the oldest work order with "Assure" as work order
 * NUMBER (an SQL expression), case CASE_NUMBER. */
static void
copy_assure(const char *number, const char *case_number)
{
	char cols[2000], sql[5000];
	db_stmt *s = db_prep(db, "SELECT group_concat(name, ', ') FROM pragma_table_xinfo('wo')"
	    " WHERE hidden = 0 AND name NOT IN ('number', 'case_number')");
	assert_non_null(s);
	assert_int_equal(db_step(s), DB_ROW);
	snprintf(cols, sizeof(cols), "%s", db_col_text(s, 0));
	db_done(s);
	snprintf(sql, sizeof(sql), "INSERT INTO wo(number, case_number, %s) SELECT %s, '%s', %s FROM wo"
	    " WHERE number = (SELECT min(rowid) FROM wo_fts WHERE wo_fts MATCH '\"Assure\"')", cols, number,
	    case_number, cols);
	assert_int_equal(db_exec1(db, sql), DB_DONE);
}

/* The sets the process keeps of common words' matches (search_dense):
 * the lists made from them are SQL's own, and stay so through a change
 * of a work order's words (the sets then go), a work order added with
 * the highest number (looked up beside the sets) and one added below it. */
static void
test_common_words_kept(void **state)
{
	wo_search_tune(100, 100000000, 100000000, 0);   /* a common word: more than 100 */
	search_dense_tune(50);
	assert_int_equal(search_dense_warm(db, 300, busy_always, NULL), 0);   /* stopped before a word */
	assert_int_equal(search_dense_warm(db, 300, busy_never, NULL), 1);
	static const char *const terms[] = { "Assure", "Assu Repl", "Kohl" };
	for (int round = 0; round < 4; round++) {
		for (size_t t = 0; t < sizeof(terms) / sizeof(terms[0]); t++) {
			list_matches_sql(&operator_scope, WV_ALL, terms[t], WC_SUBJECT, round & 1);
			list_matches_sql(&operator_scope, WV_ALL, terms[t], WC_NUMBER, 1);
			list_matches_sql(&operator_scope, WV_MY_OPEN, terms[t], WC_ACCOUNT, 0);
			list_matches_sql(&megan_scope, WV_ALL, terms[t], WC_STATUS, 1);
		}
		if (round == 0) {   /* words changed: "Assure" gone from one, "Kohl" given to another */
			assert_int_equal(db_exec1(db, "UPDATE wo SET subject = 'Zeta relay check' WHERE number ="
			    " (SELECT max(rowid) FROM wo_fts WHERE wo_fts MATCH '\"Assure\"')"), DB_DONE);
			assert_int_equal(db_exec1(db, "UPDATE wo SET subject = subject || ' Kohl' WHERE number ="
			    " (SELECT min(number) FROM wo)"), DB_DONE);
			continue;
		}
		/* a copy of an Assure work order at the top (round 1), then below
		 * every other (round 2, its number free by a delete first) */
		if (round == 2)
			assert_int_equal(db_exec1(db, "DELETE FROM wo WHERE number = (SELECT min(number) FROM wo)"), DB_DONE);
		if (round < 3)
			copy_assure(round == 1 ? "(SELECT max(number) + 1 FROM wo)" : "(SELECT min(number) - 1 FROM wo)",
			    round == 1 ? "C-1" : "C-2");
	}
	search_dense_tune(20000);
	wo_search_tune(10000, 20000, 400000, 10000);
}

/* Pages of searches whose matches are rare early in their order, sorted
 * from the work orders' places (rank.h) rather than the newest matches:
 * every match, in order, page after page, through work orders moved in
 * the order, added above and below every other, and moved to another
 * company after the places were made. */
static void
test_sorted_from_places(void **state)
{
	wo_search_tune(100, 1000, 100000000, 0);   /* scans give up at once */
	search_dense_tune(50);
	/* each gives up at first, its places not kept: the newest */
	static const struct {
		const struct wo_scope *sc;
		int view;
		const char *term;
		int sort, desc;
	} rare[] = {
		{ &operator_scope, WV_ALL, "Assure", WC_SUBJECT, 1 }, { &operator_scope, WV_ALL, "Assure", WC_SUBJECT, 0 },
		{ &megan_scope, WV_ALL, "Assure", WC_ACCOUNT, 0 }, { &megan_scope, WV_ALL, "Assure", WC_SUBJECT, 1 },
		{ &megan_scope, WV_ALL, "Kohl", WC_APPOINTMENT, 1 },
	};
	enum { NRARE = sizeof(rare) / sizeof(rare[0]) };
	for (int i = 0; i < NRARE; i++)
		assert_true(list_matches_mode(rare[i].sc, rare[i].view, rare[i].term, rare[i].sort, rare[i].desc, 0));
	assert_int_equal(wo_rank_warm(db, busy_always, NULL), 0);
	assert_int_equal(wo_rank_warm(db, busy_never, NULL), 1);
	assert_int_equal(wo_rank_warm(db, busy_never, NULL), 1);   /* nothing left to make */
	char sql[1000];
	for (int round = 0; round < 4; round++) {
		for (int i = 0; i < NRARE; i++)
			assert_false(list_matches_mode(rare[i].sc, rare[i].view, rare[i].term, rare[i].sort, rare[i].desc, 0));
		list_matches_sql(&megan_scope, WV_MY_OPEN, "Assure", WC_TARGET, 0);
		list_matches_sql(&operator_scope, WV_DONE, "Kohl", WC_STATUS, 1);
		if (round == 0) {
			/* moved in the order: first by Subject both ways, first by
			 * Account, and out of the open work orders */
			assert_int_equal(db_exec1(db, "UPDATE wo SET subject = 'Zz Assure moved last' WHERE number ="
			    " (SELECT min(rowid) FROM wo_fts WHERE wo_fts MATCH '\"Assure\"')"), DB_DONE);
			assert_int_equal(db_exec1(db, "UPDATE wo SET subject = 'Aa Assure moved first' WHERE number ="
			    " (SELECT max(rowid) FROM wo_fts WHERE wo_fts MATCH '\"Assure\"')"), DB_DONE);
			snprintf(sql, sizeof(sql), "UPDATE wo SET account_name = 'Aaa Account' WHERE number ="
			    " (SELECT max(number) FROM wo WHERE owner_org_id = %lld)", (long long)megan_scope.org_id);
			assert_int_equal(db_exec1(db, sql), DB_DONE);
			snprintf(sql, sizeof(sql), "UPDATE wo SET status = 'Completed' WHERE number IN (SELECT number FROM wo"
			    " WHERE owner_org_id = %lld AND state_class = 0 ORDER BY target_sla_at LIMIT 3)",
			    (long long)megan_scope.org_id);
			assert_int_equal(db_exec1(db, sql), DB_DONE);
		} else if (round == 1 || round == 2) {
			/* added above every number, then below every other (its
			 * number free by a delete first), each first by Subject */
			if (round == 2)
				assert_int_equal(db_exec1(db, "DELETE FROM wo WHERE number = (SELECT min(number) FROM wo)"),
				    DB_DONE);
			copy_assure(round == 1 ? "(SELECT max(number) + 1 FROM wo)" : "(SELECT min(number) - 1 FROM wo)",
			    round == 1 ? "C-R1" : "C-R2");
		} else {
			/* another company's work order, first by Account, now Megan's */
			snprintf(sql, sizeof(sql), "UPDATE wo SET owner_org_id = %lld, account_name = 'Aaa Moved' WHERE number ="
			    " (SELECT max(number) FROM wo WHERE owner_org_id != %lld)", (long long)megan_scope.org_id,
			    (long long)megan_scope.org_id);
			assert_int_equal(db_exec1(db, sql), DB_DONE);
		}
	}
	search_dense_tune(20000);
	wo_search_tune(10000, 20000, 400000, 10000);
}

static void
test_operator_lists_merge_companies(void **state)
{
	/* the merge of every company's scans, then past the number of
	 * companies it merges: the same rows in the same order either way */
	for (int round = 0; round < 2; round++) {
		list_matches_sql(&operator_scope, WV_ALL, NULL, WC_SUBJECT, 0);
		list_matches_sql(&operator_scope, WV_MY_OPEN, NULL, WC_ACCOUNT, 1);
		list_matches_sql(&operator_scope, WV_DONE, NULL, WC_COMPLETED, 1);
		list_matches_sql(&operator_scope, WV_ENDED, NULL, WC_TERRITORY, 0);
		list_matches_sql(&operator_scope, WV_MY_OPEN, "Assure", WC_STATUS, 0);
		for (int i = 0; round == 0 && i < 101; i++) {
			char name[32];
			snprintf(name, sizeof(name), "Partner %03d", i);
			assert_true(org_add(db, name, "partner", "") > 0);
		}
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_views_count_and_page_like_sql),
		cmocka_unit_test(test_every_sort_orders_rows),
		cmocka_unit_test(test_previous_page_mirrors_next),
		cmocka_unit_test(test_bad_queries_are_refused),
		cmocka_unit_test(test_search),
		cmocka_unit_test(test_at_risk_count_is_the_rule),
		cmocka_unit_test(test_dashboard_counts_every_company),
		cmocka_unit_test(test_record_is_scoped),
		cmocka_unit_test(test_recently_viewed),
		cmocka_unit_test(test_demo_has_certified_technicians_and_freelancers),
	};
	const struct CMUnitTest bulk[] = {
		cmocka_unit_test(test_bulk_demo_is_whole),
		cmocka_unit_test(test_searches_with_many_and_few_matches),
		cmocka_unit_test(test_searches_walked_and_from_a_bitmap),
		cmocka_unit_test(test_search_again_sees_a_write),
		cmocka_unit_test(test_common_words_kept),
		cmocka_unit_test(test_operator_lists_merge_companies),
		cmocka_unit_test(test_sorted_from_places),   /* last: the places are the process's */
	};
	if (cmocka_run_group_tests(tests, setup, teardown))
		return 1;
	bulk_load = 1;
	return cmocka_run_group_tests(bulk, setup_bulk, teardown);
}

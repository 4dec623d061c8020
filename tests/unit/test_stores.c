/* The two stores side by side: the same demo (seed and day) loaded into
 * SQLite and into PostgreSQL (FW_TEST_PG; tools/check.sh starts a cluster)
 * must hold the same rows table by table -- SQLite's two-thread load and
 * PostgreSQL's COPY load agree -- and "Search this list..." must find the
 * same work orders on both for the same words, for the operator and for a
 * partner. */
#include "unit.h"
#include "tz.h"
#include "user.h"
#include "wo.h"

#define WORK_ORDERS 2600   /* past the bulk threshold: both bulk paths */

static db_t *lite, *pg, *admin;
static char path[64];
static char pg_name[64];

static int
setup(void **state)
{
	const char *uri = getenv("FW_TEST_PG");
	char err[512];
	if (!uri || !*uri)
		return 0;
	lite = unit_db(WORK_ORDERS, path);
	if (!lite || db_open(uri, &admin, err, sizeof(err)))
		return -1;
	snprintf(pg_name, sizeof(pg_name), "fw_stores_%d", (int)getpid());
	if (unit_pg_db(admin, pg_name, &pg) || db_migrate(pg, err, sizeof(err)) < 0)
		return -1;
	struct demo_opts o = { .work_orders = WORK_ORDERS, .seed = 7, .epoch_day = 20782, .brand = "ChargePoint" };
	if (demo_fill(pg, &o, err, sizeof(err)) != 0) {
		fprintf(stderr, "test_stores: %s\n", err);
		return -1;
	}
	return 0;
}

static int
teardown(void **state)
{
	char err[256], sql[96];
	if (lite)
		unit_db_drop(lite, path);
	db_close(pg);
	if (admin) {
		snprintf(sql, sizeof(sql), "DROP DATABASE IF EXISTS %s", pg_name);
		db_exec_script(admin, sql, err, sizeof(err));
		db_close(admin);
	}
	tz_free_all();
	return 0;
}

#define NEED_PG() do { if (!pg) skip(); } while (0)

/* A digest of SQL's rows on D, every column as text, in the query's order;
 * *ROWS the count. */
static uint64_t
digest(db_t *d, const char *sql, int64_t *rows)
{
	uint64_t h = 1469598103934665603ULL;
	db_stmt *s = db_prep(d, sql);
	assert_non_null(s);
	*rows = 0;
	while (db_step(s) == DB_ROW) {
		for (int i = 0; i < db_col_count(s); i++)
			for (const char *p = db_col_text(s, i);; p++) {
				h = (h ^ (unsigned char)*p) * 1099511628211ULL;
				if (!*p)
					break;
			}
		(*rows)++;
	}
	db_done(s);
	return h;
}

static void
test_same_rows_table_by_table(void **state)
{
	NEED_PG();
	static const char *const q[] = {
		"SELECT number, case_number, subject, account_name, territory_name, status, assigned_at, entitlement_name,"
		" appointment_at, work_type_name, completed_at, owner_org_id, state_class, target_sla_at, parts_needed,"
		" total_stations, site_street, site_country, technician_label, technician_phone, scheduling_completed,"
		" delay_reason, arrive_at, depart_at, closed_at, status_reason, created_at, updated_at, accepted_at"
		" FROM wo ORDER BY number",
		"SELECT wo_number, seq, at, field, user_label, old_value, new_value FROM wo_history ORDER BY wo_number, seq",
		"SELECT wo_number, line_number, work_type, warranty_type, description, status, completed_at FROM woli"
		" ORDER BY wo_number, line_number",
		"SELECT wo_number, order_number, order_class, created_at, carrier, tracking, status, est_delivery,"
		" delivered_at FROM part_order ORDER BY wo_number",
		"SELECT wo_number, method, assigned_at FROM wo_assignment ORDER BY wo_number",
		"SELECT wo_number, seq FROM wo_station ORDER BY wo_number, seq",
		"SELECT owner_org_id, status, n FROM wo_count WHERE n > 0 ORDER BY owner_org_id, status",
		"SELECT owner_org_id, technician_id, n FROM tech_load WHERE n > 0 ORDER BY 1, 2",
		"SELECT owner_org_id, day, accepted_n, accepted_s, completed_n, completed_s FROM wo_pace_day"
		" WHERE accepted_n > 0 OR completed_n > 0 ORDER BY 1, 2",
		"SELECT owner_org_id, delay_reason, n FROM wo_missed_count WHERE n > 0 ORDER BY 1, 2",
	};
	for (size_t i = 0; i < sizeof(q) / sizeof(q[0]); i++) {
		int64_t a, b;
		uint64_t ha = digest(lite, q[i], &a), hb = digest(pg, q[i], &b);
		if (a != b || ha != hb)
			fail_msg("%.60s...: %lld rows on SQLite, %lld on PostgreSQL%s", q[i], (long long)a, (long long)b,
			    a == b ? ", different values" : "");
		assert_true(a > 0);
	}
	int64_t n;
	digest(pg, "SELECT 1 FROM wo", &n);
	assert_int_equal(n, WORK_ORDERS);
	/* the words the bulk load sent are the words the trigger computes */
	assert_int_equal(unit_count(pg, "SELECT count(*) FROM wo WHERE"
	    " tsvector_to_array(search) IS DISTINCT FROM tsvector_to_array(wo_search_words(wo))"), 0);
}

/* The numbers SCOPE's search for WORDS finds in the All view, in number
 * order, as one string; *TOTAL their count. */
static void
found(db_t *d, const char *email, const char *words, char *out, size_t n, int64_t *total)
{
	struct user u;
	struct wo_scope sc;
	assert_int_equal(user_find_email(d, email, &u), 0);
	assert_int_equal(wo_scope_for(&u, &sc), 0);
	struct wo_query q = { .view = wo_view_find("all"), .sort = wo_col_find("number"), .search = words,
		.limit = WO_PAGE_MAX };
	size_t o = 0;
	out[0] = '\0';
	*total = 0;
	for (;;) {
		struct rowset rows;
		int64_t t;
		int capped, next, prev;
		char err[256];
		assert_int_equal(wo_list(d, &sc, &q, tz_utc(), &rows, &t, &capped, &next, &prev, err, sizeof(err)), WO_OK);
		for (size_t i = 0; i < rows.nrows; i++) {
			int64_t num = wo_list_number(&rows, i);
			o += (size_t)snprintf(out + o, o < n ? n - o : 0, "%lld ", (long long)num);
			q.after = num;
			(*total)++;
		}
		rowset_free(&rows);
		if (!next)
			break;
	}
	assert_true(o < n);
}

static void
test_same_search_answers(void **state)
{
	NEED_PG();
	static const char *const words[] = {
		"Assure", "kohl", "Kohl's", "jacksonville", "Jacksonville Metro", "ct4", "CT4010", "CT4010-HD-GW",
		"head replacement", "head repl", "20088", "2008812", "145", "1450003", "Gridtech", "llc", "gridtech,llc",
		"Children's Healthcare", "wago block", "NACS", "ohio state", "Ver 08", "(Ver", "Orlando Metro", "Miami",
		"power module", "PM replacement", "NonAssure", "Zone", "Knoxville Metro", "st marys", "Primerica, Inc.",
		"city of", "the", "fan tray", "CPE250C-500-CCS1", "zzzqqq", "Wiring Verification", "Install",
	};
	static const char *const who[] = { "operator@chargepoint.example", "dispatch@megansdispatch.example",
		"dispatch@voltfield.example" };
	static char a[200000], b[200000];
	int differ = 0;
	for (size_t w = 0; w < sizeof(who) / sizeof(who[0]); w++)
		for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
			int64_t ta, tb;
			found(lite, who[w], words[i], a, sizeof(a), &ta);
			found(pg, who[w], words[i], b, sizeof(b), &tb);
			if (strcmp(a, b) && ++differ)
				fprintf(stderr, "\"%s\" for %s: %lld work orders on SQLite, %lld on PostgreSQL\n", words[i],
				    who[w], (long long)ta, (long long)tb);
		}
	assert_int_equal(differ, 0);
}

/* The counters kept by triggers, on either store, through every change
 * they watch (after the tests that compare the stores as loaded). */
static void
test_counters_kept_on_both(void **state)
{
	NEED_PG();
	unit_counters_through_changes(lite);
	unit_counters_through_changes(pg);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_same_rows_table_by_table),
		cmocka_unit_test(test_same_search_answers),
		cmocka_unit_test(test_counters_kept_on_both),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}

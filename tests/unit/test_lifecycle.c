/* Unit tests of the lifecycle module (lifecycle.c, lc_partner.c,
 * lc_operator.c): the gate lc_may that both the buttons and the actions
 * ask, the out-of-date check, and each action's refusals and effects on
 * the status, the history and the version, run against a demo database. */
#include "unit.h"
#include "lifecycle.h"
#include "queue.h"
#include "status.h"
#include "tz.h"
#include "user.h"
#include "util.h"

static db_t *db;
static char path[64];
static struct user op, megan, volt, tech;
static const struct tz *z;

static int
setup(void **state)
{
	db = unit_db(200, path);
	if (!db)
		return -1;
	z = tz_get("America/Chicago");
	return unit_users(db, "operator@chargepoint.example", &op, "dispatch@megansdispatch.example", &megan,
	    "dispatch@voltfield.example", &volt, "joe.bradley@megansdispatch.example", &tech, NULL);
}

static int
teardown(void **state)
{
	unit_db_drop(db, path);
	tz_free_all();
	return 0;
}

/* A Megan's work order in STATUS (with or without parts when PARTS >= 0). */
static int64_t
find(const char *status, int parts)
{
	db_stmt *s = db_prep(db, "SELECT number FROM wo WHERE owner_org_id = ?1 AND status = ?2"
	    " AND (?3 < 0 OR parts_needed = ?3) AND reissued_as IS NULL ORDER BY number LIMIT 1");
	db_bind_int(s, 1, megan.org_id);
	db_bind_text(s, 2, status);
	db_bind_int(s, 3, parts);
	int64_t n = db_step(s) == DB_ROW ? db_col_int(s, 0) : 0;
	db_done(s);
	return n;
}

static void
wo_text(int64_t n, const char *col, char *out, size_t len)
{
	char sql[128];
	snprintf(sql, sizeof(sql), "SELECT %s FROM wo WHERE number = ?1", col);
	db_stmt *s = db_prep(db, sql);
	db_bind_int(s, 1, n);
	str_copy(out, db_step(s) == DB_ROW ? db_col_text(s, 0) : "?", len);
	db_done(s);
}

static int64_t
wo_int(int64_t n, const char *col)
{
	char v[32];
	wo_text(n, col, v, sizeof(v));
	return strtoll(v, NULL, 10);
}

static int64_t
history_rows(int64_t n)
{
	db_stmt *s = db_prep(db, "SELECT count(*) FROM wo_history WHERE wo_number = ?1");
	db_bind_int(s, 1, n);
	int64_t c = db_step(s) == DB_ROW ? db_col_int(s, 0) : -1;
	db_done(s);
	return c;
}

/* Runs ACTION as U with the fields K1=V1 ... (NULL-terminated) and the
 * work order's current version. */
static int
act(const struct user *u, int64_t n, const char *action, json_t *errs, char *msg, size_t ml, ...)
{
	json_t *f = json_object();
	char ver[24];
	snprintf(ver, sizeof(ver), "%lld", (long long)wo_int(n, "version"));
	json_object_set_new(f, "version", json_string(ver));
	va_list ap;
	va_start(ap, ml);
	for (const char *k; (k = va_arg(ap, const char *));)
		json_object_set_new(f, k, json_string(va_arg(ap, const char *)));
	va_end(ap);
	int64_t made = 0;
	msg[0] = '\0';
	if (errs)
		json_object_clear(errs);
	int rc = lc_do(db, u, n, action, f, z, errs, msg, ml, &made);
	json_decref(f);
	return rc;
}

static void
test_gate_is_the_status_machine_and_the_roles(void **state)
{
	char msg[256];
	struct lc_state assigned = { "Assigned", 1, "", 0 }, no_parts = { "Assigned", 0, "", 0 };
	struct lc_state done = { "Cannot Complete", 0, "", 0 }, reissued = { "Cannot Complete", 0, "", 4242 };
	struct lc_state closed = { "Closed", 0, "", 0 }, progress = { "In Progress", 0, "", 0 };
	assert_true(lc_may(&megan, LA_ACCEPT_SHIPPING, &assigned, msg, sizeof(msg)));
	assert_false(lc_may(&megan, LA_ACCEPT_SHIPPING, &no_parts, msg, sizeof(msg)));
	assert_string_equal(msg, "This work order needs no parts: enter the travel information to accept it.");
	assert_false(lc_may(&op, LA_ACCEPT_TRAVEL, &assigned, msg, sizeof(msg)));
	assert_non_null(strstr(msg, "is the partner's action"));
	assert_false(lc_may(&megan, LA_CANCEL, &assigned, msg, sizeof(msg)));
	assert_non_null(strstr(msg, "Only the operator"));
	assert_true(lc_may(&op, LA_REISSUE, &done, msg, sizeof(msg)));
	assert_false(lc_may(&op, LA_REISSUE, &reissued, msg, sizeof(msg)));
	assert_string_equal(msg, "This work order was already reissued as 4242.");
	assert_false(lc_may(&megan, LA_SCHEDULE, &closed, msg, sizeof(msg)));
	assert_false(lc_may(&megan, LA_WOLI, &assigned, msg, sizeof(msg)));
	assert_true(lc_may(&megan, LA_WOLI, &progress, msg, sizeof(msg)));
	assert_false(lc_may(&op, LA_ASSISTANCE, &progress, msg, sizeof(msg)));
	/* a technician records site times and nothing else */
	assert_true(lc_may(&tech, LA_SITE_TIMES, &progress, msg, sizeof(msg)));
	assert_false(lc_may(&tech, LA_SITE_TIMES, &closed, msg, sizeof(msg)));
	assert_false(lc_may(&tech, LA_SCHEDULE, &progress, msg, sizeof(msg)));
	assert_non_null(strstr(msg, "A technician records the site visit times"));
	/* the buttons are the same answers */
	json_t *can = lc_allowed(&megan, &assigned);
	assert_true(json_is_true(json_object_get(can, "accept-shipping")));
	assert_true(json_is_false(json_object_get(can, "close")));
	assert_true(json_is_true(json_object_get(can, "any_partner")));
	json_decref(can);
	for (int i = 0; i < LA__COUNT; i++)
		assert_int_equal(lc_action_find(lc_actions[i].key), i);
	assert_int_equal(lc_action_find("explode"), -1);
}

static void
test_stale_form_and_other_company_change_nothing(void **state)
{
	char msg[256];
	int64_t n = find("Assigned", -1);
	assert_true(n > 0);
	int64_t v = wo_int(n, "version"), h = history_rows(n);
	json_t *f = json_pack("{s:s, s:s, s:s}", "version", "0", "round_trip", "10", "travel_cost", "0.65");
	int64_t made;
	assert_int_equal(lc_do(db, &megan, n, "accept-travel", f, z, NULL, msg, sizeof(msg), &made), LC_STALE);
	assert_non_null(strstr(msg, "changed since the form was opened"));
	assert_int_equal(lc_do(db, &volt, n, "accept-travel", f, z, NULL, msg, sizeof(msg), &made), LC_NOT_FOUND);
	assert_int_equal(lc_do(db, &megan, n, "explode", f, z, NULL, msg, sizeof(msg), &made), LC_NOT_FOUND);
	json_decref(f);
	assert_int_equal(wo_int(n, "version"), v);
	assert_int_equal(history_rows(n), h);
}

static void
test_accept_with_parts_then_the_parts_chain(void **state)
{
	char msg[256], st[32];
	json_t *errs = json_object();
	int64_t n = find("Assigned", 1);
	assert_true(n > 0);
	assert_int_equal(act(&megan, n, "accept-shipping", errs, msg, sizeof(msg), "ship_to_name", "", NULL), LC_BAD_INPUT);
	assert_non_null(json_object_get(errs, "ship_to_name"));
	json_object_clear(errs);
	int64_t h = history_rows(n), v = wo_int(n, "version");
	assert_int_equal(act(&megan, n, "accept-shipping", errs, msg, sizeof(msg), "ship_to_name", "Maria Jackson",
	    "ship_to_phone", "(354) 810-2610", "shipping_party", "Megan's Dispatch Service", "liftgate", "on",
	    "street", "4072 Church St", "city", "Jacksonville", "state", "Florida", "postal_code", "32273",
	    "country", "United States", NULL), LC_OK);
	assert_int_equal(wo_int(n, "version"), v + 1);
	assert_true(history_rows(n) > h);
	assert_int_equal(act(&megan, n, "accept-travel", errs, msg, sizeof(msg), "round_trip", "12",
	    "travel_cost", "0.65", NULL), LC_OK);
	wo_text(n, "status", st, sizeof(st));
	assert_string_equal(st, "Ship-To Received");
	/* the partner cannot move the parts chain; the operator can */
	assert_int_equal(act(&megan, n, "parts-ordered", errs, msg, sizeof(msg), NULL), LC_REFUSED);
	assert_int_equal(act(&op, n, "parts-ordered", errs, msg, sizeof(msg), NULL), LC_OK);
	assert_int_equal(act(&op, n, "shipped", errs, msg, sizeof(msg), "order_number", "", "carrier", "UPS", NULL),
	    LC_BAD_INPUT);
	assert_int_equal(act(&op, n, "shipped", errs, msg, sizeof(msg), "order_number", "00287387", "carrier", "UPS",
	    "tracking", "1Z999AA10123456784", "estimated_delivery", "2027-03-01", NULL), LC_OK);
	wo_text(n, "status", st, sizeof(st));
	assert_string_equal(st, "Shipped");
	assert_true(wo_int(n, "target_sla_at") > 0);
	assert_int_equal(act(&op, n, "parts-delivered", errs, msg, sizeof(msg), NULL), LC_OK);
	wo_text(n, "status", st, sizeof(st));
	assert_string_equal(st, "In Progress");
	json_decref(errs);
}

static void
test_hold_resume_cancel_reject(void **state)
{
	char msg[256], st[32];
	json_t *errs = json_object();
	int64_t n = find("In Progress", -1);
	assert_int_equal(act(&op, n, "hold", errs, msg, sizeof(msg), "reason", "Customer asked", NULL), LC_BAD_INPUT);
	assert_int_equal(act(&op, n, "hold", errs, msg, sizeof(msg), "resume_on", "2027-01-15", "reason", "Customer asked",
	    NULL), LC_OK);
	wo_text(n, "status", st, sizeof(st));
	assert_string_equal(st, "On Hold");
	assert_int_equal(act(&op, n, "hold", errs, msg, sizeof(msg), "resume_on", "2027-01-15", "reason", "x", NULL),
	    LC_REFUSED);
	assert_int_equal(act(&op, n, "resume", errs, msg, sizeof(msg), NULL), LC_OK);
	wo_text(n, "status", st, sizeof(st));
	assert_string_equal(st, "In Progress");
	assert_int_equal(act(&op, n, "cancel", errs, msg, sizeof(msg), "reason", "Other", "comment", "", NULL),
	    LC_BAD_INPUT);
	assert_int_equal(act(&op, n, "cancel", errs, msg, sizeof(msg), "reason", "Self-Resolved Issue", "comment",
	    "Stable", NULL), LC_OK);
	wo_text(n, "status", st, sizeof(st));
	assert_string_equal(st, "Cancelled");
	assert_int_equal(act(&op, n, "cancel", errs, msg, sizeof(msg), "reason", "Other", "comment", "again", NULL),
	    LC_REFUSED);
	int64_t r = find("Assigned", -1);
	assert_int_equal(act(&megan, r, "reject", errs, msg, sizeof(msg), "reason", "", NULL), LC_BAD_INPUT);
	assert_int_equal(act(&megan, r, "reject", errs, msg, sizeof(msg), "reason", "Not our territory", NULL), LC_OK);
	wo_text(r, "status", st, sizeof(st));
	assert_string_equal(st, "Rejected");
	json_decref(errs);
}

static void
test_could_not_complete_then_reissue_once(void **state)
{
	char msg[256], st[32];
	json_t *errs = json_object();
	int64_t n = find("In Progress", -1);
	assert_int_equal(act(&megan, n, "could-not-complete", errs, msg, sizeof(msg), "reason", "Bad luck", NULL),
	    LC_BAD_INPUT);
	assert_int_equal(act(&megan, n, "could-not-complete", errs, msg, sizeof(msg), "reason", "Wrong Equipment Shipped",
	    "comment", "Single-port head", NULL), LC_OK);
	assert_int_equal(act(&op, n, "reissue", errs, msg, sizeof(msg), NULL), LC_OK);
	int64_t fresh = wo_int(n, "reissued_as");
	assert_true(fresh > n);
	wo_text(fresh, "status", st, sizeof(st));
	assert_string_equal(st, "Assigned");
	assert_int_equal(wo_int(fresh, "reissued_from"), n);
	assert_int_equal(act(&op, n, "reissue", errs, msg, sizeof(msg), NULL), LC_REFUSED);
	assert_non_null(strstr(msg, "already reissued"));
	json_decref(errs);
}

static void
test_assistance_reaches_the_queue(void **state)
{
	char msg[256];
	json_t *errs = json_object();
	int64_t n = find("In Progress", -1);
	assert_int_equal(act(&megan, n, "assistance", errs, msg, sizeof(msg), "message", "", NULL), LC_BAD_INPUT);
	assert_int_equal(act(&megan, n, "assistance", errs, msg, sizeof(msg), "message", "Need a lift", NULL), LC_OK);
	json_t *q = queue_list(db, z);
	size_t i;
	json_t *a;
	int64_t id = 0;
	json_array_foreach(json_object_get(q, "assistance"), i, a)
		if (json_integer_value(json_object_get(a, "number")) == n)
			id = json_integer_value(json_object_get(a, "id"));
	json_decref(q);
	assert_true(id > 0);
	assert_int_equal(queue_resolve(db, &op, id), 0);
	assert_int_equal(queue_resolve(db, &op, id), 1);
	json_decref(errs);
}

static void
test_line_items_in_order_and_complete_needs_fields(void **state)
{
	char msg[256];
	json_t *errs = json_object();
	int64_t n = find("In Progress", -1);
	json_t *missing = lc_missing_for_complete(db, n);
	assert_non_null(missing);
	json_decref(missing);
	db_stmt *s = db_prep(db, "SELECT max(line_number) FROM woli WHERE wo_number = ?1");
	db_bind_int(s, 1, n);
	int64_t last = db_step(s) == DB_ROW ? db_col_int(s, 0) : 0;
	db_done(s);
	if (last > 1) {
		char l[24];
		snprintf(l, sizeof(l), "%lld", (long long)last);
		assert_int_equal(act(&megan, n, "woli", errs, msg, sizeof(msg), "line", l, NULL), LC_REFUSED);
		assert_non_null(strstr(msg, "in order of the line item number"));
	}
	assert_int_equal(act(&op, n, "close", errs, msg, sizeof(msg), NULL), LC_REFUSED);
	json_decref(errs);
}

static void
test_money(void **state)
{
	int64_t c;
	assert_int_equal(str_to_cents("1250.50", &c), 0);
	assert_int_equal(c, 125050);
	assert_int_equal(str_to_cents("3.5", &c), 0);
	assert_int_equal(c, 350);
	assert_int_equal(str_to_cents("", &c), 1);
	assert_int_equal(str_to_cents("1,250.5", &c), -1);
	assert_int_equal(str_to_cents("-3", &c), -1);
	assert_int_equal(str_to_cents("1.234", &c), -1);
	assert_int_equal(str_to_cents("9999999999", &c), -1);
}

/* After the tests before it (assignments made and moved, work orders
 * accepted, completed, cancelled, reissued; technicians offboarded), what
 * the triggers counted is what the rows count: the technicians' loads,
 * the days to accept and to complete, the missed SLAs by reason. */
static void
test_counters_are_the_counts(void **state)
{
	unit_counters_hold(db);
	unit_counters_through_changes(db);
}

/* SQLite's class column follows the status through every class, and a
 * class written by hand is put right (migration 025). */
static void
test_class_follows_the_status(void **state)
{
	int64_t n = unit_count(db, "SELECT min(number) FROM wo WHERE status = 'In Progress'");
	static const struct { const char *status; int cls; } steps[] = { { "Completed", 1 }, { "Closed", 1 },
		{ "Cancelled", 2 }, { "Rejected", 2 }, { "Cannot Complete", 2 }, { "On Hold", 0 }, { "In Progress", 0 } };
	char sql[160];
	assert_int_equal(db_begin(db), 0);
	for (size_t i = 0; i < FW_ARRAY_LEN(steps); i++) {
		snprintf(sql, sizeof(sql), "UPDATE wo SET status = '%s' WHERE number = %lld", steps[i].status, (long long)n);
		assert_int_equal(db_exec1(db, sql), DB_DONE);
		snprintf(sql, sizeof(sql), "SELECT state_class FROM wo WHERE number = %lld", (long long)n);
		assert_int_equal(unit_count(db, sql), steps[i].cls);
	}
	snprintf(sql, sizeof(sql), "UPDATE wo SET state_class = 2 WHERE number = %lld", (long long)n);
	assert_int_equal(db_exec1(db, sql), DB_DONE);
	snprintf(sql, sizeof(sql), "SELECT state_class FROM wo WHERE number = %lld", (long long)n);
	assert_int_equal(unit_count(db, sql), 0);
	assert_int_equal(status_class("In Progress"), 0);
	assert_int_equal(status_class("Closed"), 1);
	assert_int_equal(status_class("Cannot Complete"), 2);
	db_rollback(db);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_gate_is_the_status_machine_and_the_roles),
		cmocka_unit_test(test_stale_form_and_other_company_change_nothing),
		cmocka_unit_test(test_accept_with_parts_then_the_parts_chain),
		cmocka_unit_test(test_hold_resume_cancel_reject),
		cmocka_unit_test(test_could_not_complete_then_reissue_once),
		cmocka_unit_test(test_assistance_reaches_the_queue),
		cmocka_unit_test(test_line_items_in_order_and_complete_needs_fields),
		cmocka_unit_test(test_money),
		cmocka_unit_test(test_counters_are_the_counts),
		cmocka_unit_test(test_class_follows_the_status),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}

/* Unit tests of the skill match (tech.c): required against held, expired
 * certifications, onboarding rules, assignment with and without skills. */
#include "unit.h"
#include "tech.h"
#include "tz.h"
#include "user.h"

static db_t *db;
static char path[64];
static struct user admin, volt_admin;

static int
setup(void **state)
{
	db = unit_db(120, path);
	if (!db)
		return -1;
	return unit_users(db, "admin@megansdispatch.example", &admin, "admin@voltfield.example", &volt_admin, NULL);
}

static int
teardown(void **state)
{
	unit_db_drop(db, path);
	tz_free_all();
	return 0;
}

static void
test_missing_is_required_minus_held(void **state)
{
	const char *req[] = { "CT4000-CM", "HV-SAFETY-MC" }, *held[] = { "CT4000-INS", "CT4000-CM" };
	char out[128];
	assert_int_equal(tech_missing(req, 2, held, 2, out, sizeof(out)), 1);
	assert_string_equal(out, "HV-SAFETY-MC");
	assert_int_equal(tech_missing(req, 1, held, 2, out, sizeof(out)), 0);
	assert_string_equal(out, "");
	assert_int_equal(tech_missing(req, 2, NULL, 0, out, sizeof(out)), 2);
	assert_string_equal(out, "CT4000-CM, HV-SAFETY-MC");
}

static json_t *
find_row(json_t *res, const char *name)
{
	size_t i;
	json_t *r;
	json_array_foreach(json_object_get(res, "rows"), i, r)
		if (!strcmp(json_string_value(json_object_get(r, "name")), name))
			return r;
	return NULL;
}

static int
holds(json_t *row, const char *cert)
{
	size_t i;
	json_t *c;
	json_array_foreach(json_object_get(row, "cells"), i, c)
		if (!strcmp(json_string_value(json_object_get(c, "cert")), cert))
			return json_is_true(json_object_get(c, "held"));
	return -1;
}

static void
test_expired_certifications_do_not_count(void **state)
{
	db_exec_script(db, "INSERT OR REPLACE INTO technician_certification(technician_id, certification_id, earned_on, expires_on)"
	    " SELECT t.id, c.id, '2018-01-01', '2020-01-01' FROM technician t, certification c"
	    " WHERE t.name = 'Allan Heard' AND c.name = 'CT4000-CM'", NULL, 0);
	struct tech_filter f = { .my_org = 1 };
	json_t *res = tech_search(db, &admin, &f, 0, tz_utc());
	assert_non_null(res);
	assert_int_equal(holds(find_row(res, "Joe Bradley"), "CT4000-CM"), 1);
	assert_int_equal(holds(find_row(res, "Allan Heard"), "CT4000-CM"), 0);
	assert_null(find_row(res, "Ryan Cole"));      /* another company's roster */
	assert_null(find_row(res, "Nora Boyle"));     /* freelancers are under My Organization = No */
	json_decref(res);
	f.my_org = 0;
	f.email = "nboyle";
	res = tech_search(db, &admin, &f, 0, tz_utc());
	assert_non_null(find_row(res, "Nora Boyle"));
	assert_int_equal(json_array_size(json_object_get(res, "rows")), 1);
	json_decref(res);
}

static void
test_certification_filter_needs_all(void **state)
{
	struct tech_filter f = { .my_org = 1, .ncerts = 2 };
	f.certs[0] = unit_count(db, "SELECT id FROM certification WHERE name = 'CT4000-INS'");
	f.certs[1] = unit_count(db, "SELECT id FROM certification WHERE name = 'CT4000-CM'");
	json_t *res = tech_search(db, &admin, &f, 0, tz_utc());
	assert_int_equal(json_array_size(json_object_get(res, "rows")), 1);
	assert_non_null(find_row(res, "Joe Bradley"));
	json_decref(res);
}

static void
test_assignment_needs_skills_or_a_reason(void **state)
{
	char sql[256], msg[512];
	snprintf(sql, sizeof(sql), "SELECT number FROM wo WHERE owner_org_id = %lld AND state_class = 0 LIMIT 1",
	    (long long)admin.org_id);
	int64_t n = unit_count(db, sql);
	assert_true(n > 0);
	/* a CT4 head replacement needs CT4000-CM */
	snprintf(sql, sizeof(sql), "UPDATE wo SET work_type_id = (SELECT id FROM work_type WHERE name = 'CT4 Head Replacement'),"
	    " work_type_name = 'CT4 Head Replacement' WHERE number = %lld", (long long)n);
	assert_int_equal(db_exec_script(db, sql, msg, sizeof(msg)), 0);
	int64_t allan = unit_count(db, "SELECT id FROM technician WHERE name = 'Allan Heard'");
	int64_t joe = unit_count(db, "SELECT id FROM technician WHERE name = 'Joe Bradley'");
	int64_t nora = unit_count(db, "SELECT id FROM technician WHERE name = 'Nora Boyle'");
	int64_t ryan = unit_count(db, "SELECT id FROM technician WHERE name = 'Ryan Cole'");
	assert_int_equal(tech_assign(db, &admin, n, allan, "", tz_utc(), msg, sizeof(msg)), TECH_MISSING_SKILLS);
	assert_non_null(strstr(msg, "override reason"));
	assert_non_null(strstr(msg, "CT4000-CM"));
	assert_int_equal(tech_assign(db, &admin, n, allan, "Whatever", tz_utc(), msg, sizeof(msg)), TECH_BAD);
	assert_int_equal(tech_assign(db, &admin, n, ryan, "Other", tz_utc(), msg, sizeof(msg)), TECH_NOT_FOUND);
	assert_int_equal(tech_assign(db, &admin, n, joe, "", tz_utc(), msg, sizeof(msg)), TECH_OK);
	assert_int_equal(tech_assign(db, &admin, n, nora, "", tz_utc(), msg, sizeof(msg)), TECH_MISSING_SKILLS);
	assert_int_equal(tech_assign(db, &admin, n, allan, "No certified technician available", tz_utc(), msg, sizeof(msg)), TECH_OK);
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM wo_assignment WHERE wo_number = %lld", (long long)n);
	assert_true(unit_count(db, sql) >= 2);   /* the earlier assignment is kept */
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM wo_assignment WHERE wo_number = %lld AND active = 1", (long long)n);
	assert_int_equal(unit_count(db, sql), 1);
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM post WHERE wo_number = %lld AND body LIKE"
	    " '%%Assigned To: AllanHeard%%Assignment Method: Manual Override%%Override Reason: No certified%%'", (long long)n);
	assert_int_equal(unit_count(db, sql), 1);
}

static void
test_onboard_on_the_domain_then_offboard(void **state)
{
	char msg[512];
	int64_t nora = unit_count(db, "SELECT id FROM technician WHERE name = 'Nora Boyle'");
	assert_int_equal(tech_onboard(db, &admin, nora, "nora@gmail.example", msg, sizeof(msg)), TECH_BAD);
	assert_non_null(strstr(msg, "megansdispatch.example"));
	assert_int_equal(tech_onboard(db, &admin, nora, "nora.boyle@megansdispatch.example", msg, sizeof(msg)), TECH_OK);
	assert_int_equal(tech_onboard(db, &volt_admin, nora, "nora@voltfield.example", msg, sizeof(msg)), TECH_BAD);
	assert_int_equal(tech_offboard(db, &volt_admin, nora, msg, sizeof(msg)), TECH_NOT_FOUND);
	assert_int_equal(tech_offboard(db, &admin, nora, msg, sizeof(msg)), TECH_OK);
	assert_non_null(strstr(msg, "You have successfully off boarded the technician"));
	assert_int_equal(unit_count(db, "SELECT count(*) FROM tech_audit WHERE action IN ('Onboard', 'Offboard')"), 2);
	assert_int_equal(unit_count(db, "SELECT count(*) FROM technician WHERE name = 'Nora Boyle' AND org_id IS NULL"), 1);
}

/* After the tests before it (assignments made and moved, work orders
 * accepted, completed, cancelled, reissued; technicians offboarded), what
 * the triggers counted is what the rows count: the technicians' loads,
 * the days to accept and to complete, the missed SLAs by reason. */
static void
test_counters_are_the_counts(void **state)
{
	unit_counters_hold(db);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_missing_is_required_minus_held),
		cmocka_unit_test(test_expired_certifications_do_not_count),
		cmocka_unit_test(test_certification_filter_needs_all),
		cmocka_unit_test(test_assignment_needs_skills_or_a_reason),
		cmocka_unit_test(test_onboard_on_the_domain_then_offboard),
		cmocka_unit_test(test_counters_are_the_counts),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}

/* Unit tests of the Target SLA Date and the SLA settings (sla.c):
 * business days, weekends and holidays, local days, and the operator's
 * entitlement and holiday settings with their refusals. */
#include "unit.h"
#include "sla.h"
#include "tz.h"

static db_t *db;
static char path[64];

static int
setup(void **state)
{
	db = unit_db(0, path);
	return db ? 0 : -1;
}

static int
teardown(void **state)
{
	unit_db_drop(db, path);
	tz_free_all();
	return 0;
}

/* The countdown chip's words and level, as the list shows them: overdue
 * by minutes, hours and days, due today at the local time, due in hours,
 * due in days and hours; none without a target. */
static void
test_countdown_text(void **state)
{
	const struct tz *z = tz_get("America/Chicago");
	assert_non_null(z);
	/* Tuesday 1 December 2026, 09:00 in Chicago (15:00 UTC) */
	int64_t now = (tz_days_from_civil(2026, 12, 1) * 86400) + 15 * 3600;
	static const struct { int64_t left; const char *text; int level; } cases[] = {
		{ -30, "Overdue 1 min", SLA_DUE_OVERDUE }, { -125 * 60, "Overdue 2 h", SLA_DUE_OVERDUE },
		{ -3 * 86400 - 5, "Overdue 3 d", SLA_DUE_OVERDUE }, { 0, "Overdue 1 min", SLA_DUE_OVERDUE },
		{ 2 * 3600 + 1800, "Due today 11:30 AM", SLA_DUE_SOON }, { 20 * 3600, "Due in 20 h", SLA_DUE_SOON },
		{ 12 * 86400 + 5 * 3600 + 59, "Due in 12 d 5 h", SLA_DUE_OK },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char text[48];
		int level = sla_countdown(now + cases[i].left, now, z, text, sizeof(text));
		assert_string_equal(text, cases[i].text);
		assert_int_equal(level, cases[i].level);
	}
	char text[48], small[8];
	assert_int_equal(sla_countdown(0, now, z, text, sizeof(text)), SLA_DUE_NONE);
	assert_string_equal(text, "");
	/* cut at the buffer, terminated */
	sla_countdown(now + 12 * 86400, now, z, small, sizeof(small));
	assert_string_equal(small, "Due in ");
}

static void
test_business_days(void **state)
{
	/* the guide: delivered March 1st, one business day: March 2nd */
	int64_t mar1 = tz_days_from_civil(2027, 3, 1);
	assert_int_equal(sla_add_business_days(NULL, mar1, 1), mar1 + 1);
	/* Friday + 1 = Monday */
	int64_t fri = tz_days_from_civil(2026, 11, 27);
	assert_int_equal(sla_weekday(fri), 5);
	assert_int_equal(sla_add_business_days(NULL, fri, 1), fri + 3);
	/* delivered on a Saturday: the next business day is Monday */
	assert_int_equal(sla_add_business_days(NULL, fri + 1, 1), fri + 3);
	/* a holiday on that Monday moves it to Tuesday */
	struct sla_calendar cal = { .n = 1 };
	cal.days[0] = fri + 3;
	assert_int_equal(sla_add_business_days(&cal, fri, 1), fri + 4);
	assert_int_equal(sla_add_business_days(&cal, fri, 3), fri + 6);
	assert_true(sla_is_closed(&cal, fri + 3));
	assert_false(sla_is_closed(&cal, fri));
}

static void
test_sla_target_in_local_days(void **state)
{
	const struct tz *z = tz_get("America/Chicago");
	char out[32];
	/* 2026-03-01 03:00 UTC is still Saturday Feb 28 in Chicago: +1 = Monday Mar 2 */
	int64_t t = tz_days_from_civil(2026, 3, 1) * 86400 + 3 * 3600;
	tz_fmt_datetime(z, sla_target(NULL, z, t, 1), out);
	assert_string_equal(out, "3/2/2026 11:59 PM");
	/* the guide's own example: delivered Sunday March 1st (local), target March 2nd */
	t = tz_days_from_civil(2026, 3, 1) * 86400 + 18 * 3600;
	tz_fmt_datetime(z, sla_target(NULL, z, t, 1), out);
	assert_string_equal(out, "3/2/2026 11:59 PM");
	/* across the spring DST change (March 8th 2026): still 11:59 PM local */
	t = tz_days_from_civil(2026, 3, 6) * 86400 + 18 * 3600;   /* Friday */
	tz_fmt_datetime(z, sla_target(NULL, z, t, 1), out);
	assert_string_equal(out, "3/9/2026 11:59 PM");
	/* and the fall one (November 1st 2026) */
	t = tz_days_from_civil(2026, 10, 30) * 86400 + 18 * 3600;
	tz_fmt_datetime(z, sla_target(NULL, z, t, 3), out);
	assert_string_equal(out, "11/4/2026 11:59 PM");
	assert_int_equal(sla_parse_day("2026-02-30"), -1);
	assert_int_equal(sla_parse_day("2026-2-3"), -1);
	assert_int_equal(sla_parse_day("2026-03-01"), tz_days_from_civil(2026, 3, 1));
}

static void
test_settings_refuse_bad_input(void **state)
{
	char msg[256];
	json_t *st = sla_settings(db);
	assert_non_null(st);
	json_t *e = json_array_get(json_object_get(st, "entitlements"), 0);
	assert_non_null(e);
	int64_t id = json_integer_value(json_object_get(e, "id"));
	json_decref(st);
	assert_int_equal(sla_set_entitlement_days(db, id, "31", msg, sizeof(msg)), SLA_BAD);
	assert_string_equal(msg, "Business days must be a whole number from 0 to 30.");
	assert_int_equal(sla_set_entitlement_days(db, id, "two", msg, sizeof(msg)), SLA_BAD);
	assert_int_equal(sla_set_entitlement_days(db, 999999, "2", msg, sizeof(msg)), SLA_NOT_FOUND);
	assert_int_equal(sla_set_entitlement_days(db, id, "4", msg, sizeof(msg)), SLA_OK);
	st = sla_settings(db);
	size_t i;
	json_t *x;
	int seen = 0;
	json_array_foreach(json_object_get(st, "entitlements"), i, x)
		if (json_integer_value(json_object_get(x, "id")) == id)
			seen = json_integer_value(json_object_get(x, "business_days")) == 4;
	json_decref(st);
	assert_true(seen);
	assert_int_equal(sla_holiday(db, "2026-02-30", "Nope", 0, msg, sizeof(msg)), SLA_BAD);
	assert_int_equal(sla_holiday(db, "2026-12-24", "", 0, msg, sizeof(msg)), SLA_BAD);
}

static void
test_holidays_move_the_target(void **state)
{
	char msg[256];
	struct sla_calendar cal;
	int64_t fri = tz_days_from_civil(2026, 12, 18);
	assert_int_equal(sla_calendar_load(db, &cal), 0);
	int64_t before = sla_add_business_days(&cal, fri, 1);
	assert_int_equal(sla_holiday(db, "2026-12-21", "Winter closure", 0, msg, sizeof(msg)), SLA_OK);
	assert_int_equal(sla_holiday(db, "2026-12-21", "Winter closure (renamed)", 0, msg, sizeof(msg)), SLA_OK);
	assert_int_equal(sla_calendar_load(db, &cal), 0);
	assert_int_equal(sla_add_business_days(&cal, fri, 1), before + 1);
	assert_int_equal(sla_holiday(db, "2026-12-21", "", 1, msg, sizeof(msg)), SLA_OK);
	assert_int_equal(sla_calendar_load(db, &cal), 0);
	assert_int_equal(sla_add_business_days(&cal, fri, 1), before);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_countdown_text),
		cmocka_unit_test(test_business_days),
		cmocka_unit_test(test_sla_target_in_local_days),
		cmocka_unit_test(test_settings_refuse_bad_input),
		cmocka_unit_test(test_holidays_move_the_target),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}

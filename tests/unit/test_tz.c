/* Unit tests of time zones (tz.c): TZif reading, local time both ways
 * across DST changes, labels, names that are not zones. */
#include "unit.h"
#include "tz.h"

static void
test_tz_chicago(void **state)
{
	const struct tz *z = tz_get("America/Chicago");
	assert_non_null(z);
	char out[32];
	/* 2026-02-13 20:55 UTC is 2:55 PM CST */
	int64_t t = tz_days_from_civil(2026, 2, 13) * 86400 + 20 * 3600 + 55 * 60;
	tz_fmt_datetime(z, t, out);
	assert_string_equal(out, "2/13/2026 2:55 PM");
	/* summer: CDT, UTC-5 */
	t = tz_days_from_civil(2025, 6, 13) * 86400 + 7 * 3600;
	tz_fmt_datetime(z, t, out);
	assert_string_equal(out, "6/13/2025 2:00 AM");
	tz_label(z, out, sizeof(out));
	char label[160];
	tz_label(z, label, sizeof(label));
	assert_string_equal(label, "(GMT-06:00) Central Standard Time (America/Chicago)");
	tz_fmt_datetime(z, 0, out);
	assert_string_equal(out, "");
	/* local noon on the day DST starts converts back and forth */
	int64_t u;
	assert_int_equal(tz_local_to_utc(z, 2026, 3, 8, 12, 0, &u), 0);
	tz_fmt_datetime(z, u, out);
	assert_string_equal(out, "3/8/2026 12:00 PM");
	assert_int_equal(tz_local_to_utc(z, 2026, 2, 30, 12, 0, &u), -1);
}

static void
test_tz_names_are_checked(void **state)
{
	assert_null(tz_get("../etc/passwd"));
	assert_null(tz_get("No/Such_Zone"));
	assert_null(tz_get(""));
	assert_non_null(tz_get("UTC"));
	char iso[24];
	tz_fmt_iso(86400 + 61, iso);
	assert_string_equal(iso, "1970-01-02T00:01:01Z");
}

static void
test_tz_round_trip_and_gaps(void **state)
{
	const struct tz *z = tz_get("Europe/Dublin");
	assert_non_null(z);
	int64_t u;
	assert_int_equal(tz_local_to_utc(z, 2026, 7, 1, 9, 30, &u), 0);
	char out[32];
	tz_fmt_datetime(z, u, out);
	assert_string_equal(out, "7/1/2026 9:30 AM");
	assert_int_equal(u, tz_days_from_civil(2026, 7, 1) * 86400 + 8 * 3600 + 30 * 60);
	int y, m, d;
	tz_civil_from_days(tz_days_from_civil(2028, 2, 29), &y, &m, &d);
	assert_int_equal(y * 10000 + m * 100 + d, 20280229);
	assert_ptr_equal(tz_get("Europe/Dublin"), z);   /* loaded once */
	/* Dublin's data calls its winter GMT "negative DST": still GMT+00:00 */
	char label[160];
	tz_label(z, label, sizeof(label));
	assert_string_equal(label, "(GMT+00:00) Greenwich Mean Time (Europe/Dublin)");
	tz_label(tz_get("Europe/Berlin"), label, sizeof(label));
	assert_int_equal(strncmp(label, "(GMT+01:00)", 11), 0);
	tz_label(tz_get("Australia/Sydney"), label, sizeof(label));
	assert_int_equal(strncmp(label, "(GMT+10:00)", 11), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tz_chicago),
		cmocka_unit_test(test_tz_names_are_checked),
		cmocka_unit_test(test_tz_round_trip_and_gaps),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	tz_free_all();
	return rc;
}

/* Unit tests of buffers, strings, the pool and time zones (util.c, pool.c,
 * tz.c, sla.c). */
#include "unit.h"
#include "pool.h"
#include "sla.h"
#include "tz.h"
#include "util.h"

static void
test_buf_cap_is_a_hard_limit(void **state)
{
	buf_t b;
	buf_init(&b, 8);
	assert_int_equal(buf_puts(&b, "12345678"), 0);
	assert_int_equal(buf_putc(&b, '9'), -1);
	assert_true(b.overflow);
	assert_int_equal(b.len, 8);
	assert_string_equal(b.data, "12345678");
	buf_free(&b);
}

static void
test_html_escape(void **state)
{
	buf_t b;
	buf_init(&b, 256);
	const char *s = "a<b>&\"'c";
	buf_html(&b, s, strlen(s));
	assert_string_equal(b.data, "a&lt;b&gt;&amp;&quot;&#39;c");
	buf_reset(&b);
	buf_html(&b, "plain text, no escapes", 22);
	buf_html(&b, "&&", 2);
	buf_html(&b, "caf\xc3\xa9<", 6);
	assert_string_equal(b.data, "plain text, no escapes&amp;&amp;caf\xc3\xa9&lt;");
	buf_free(&b);
}

static void
test_integers(void **state)
{
	buf_t b;
	buf_init(&b, 256);
	buf_i64(&b, 0);
	buf_putc(&b, ' ');
	buf_i64(&b, 20088123);
	buf_putc(&b, ' ');
	buf_i64(&b, -42);
	buf_putc(&b, ' ');
	buf_i64(&b, INT64_MIN);
	buf_putc(&b, ' ');
	buf_i64(&b, INT64_MAX);
	assert_string_equal(b.data, "0 20088123 -42 -9223372036854775808 9223372036854775807");
	buf_free(&b);
	buf_init(&b, 3);
	assert_int_equal(buf_i64(&b, 1234), -1);   /* the cap holds */
	buf_free(&b);
}

static void
test_utf8_validation(void **state)
{
	assert_true(utf8_valid("plain", 5));
	assert_true(utf8_valid("caf\xc3\xa9 \xe2\x9c\x93", 9));
	assert_false(utf8_valid("\xff", 1));
	assert_false(utf8_valid("\xc3", 1));              /* truncated */
	assert_false(utf8_valid("\xc0\xaf", 2));          /* overlong */
	assert_false(utf8_valid("\xed\xa0\x80", 3));      /* surrogate */
	assert_false(utf8_valid("a\x01z", 3));            /* control */
	assert_true(utf8_valid("tab\tnl\n", 7));
}

static void
test_url_decode(void **state)
{
	char s[32];
	strcpy(s, "a+b%20c%2Fd");
	assert_int_equal(url_decode(s, strlen(s)), 7);
	assert_string_equal(s, "a b c/d");
	strcpy(s, "bad%2");
	assert_int_equal(url_decode(s, strlen(s)), -1);
	strcpy(s, "bad%zz");
	assert_int_equal(url_decode(s, strlen(s)), -1);
}

static void
test_like_patterns_match_literally(void **state)
{
	char out[16];
	str_like("50%_off\\", 1, out, sizeof(out));
	assert_string_equal(out, "%50\\%\\_off\\\\%");
	str_like("Main", 0, out, sizeof(out));
	assert_string_equal(out, "Main%");
	str_like(NULL, 1, out, sizeof(out));
	assert_string_equal(out, "%%");
	str_like("abcdefghijklmnopqrstuvwxyz", 1, out, sizeof(out));
	assert_int_equal(strlen(out), 14);   /* cut, still closed with % */
	assert_int_equal(out[13], '%');
}

static void
test_ids(void **state)
{
	assert_int_equal(str_to_id("20090641", 12), 20090641);
	assert_int_equal(str_to_id("", 12), -1);
	assert_int_equal(str_to_id("12a", 12), -1);
	assert_int_equal(str_to_id("-1", 12), -1);
	assert_int_equal(str_to_id("1234567890123", 12), -1);
}

static void
test_pool(void **state)
{
	pool_t p;
	pool_init(&p, 1 << 16);
	char *a = pool_strdup(&p, "hello");
	char *b = pool_printf(&p, "%s-%d", a, 42);
	assert_string_equal(b, "hello-42");
	assert_non_null(pool_alloc(&p, 10000));   /* a chunk of its own */
	assert_null(pool_alloc(&p, 1 << 16));     /* past the cap */
	pool_clear(&p);
	assert_int_equal(p.total, 0);
}

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

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_buf_cap_is_a_hard_limit),
		cmocka_unit_test(test_html_escape),
		cmocka_unit_test(test_integers),
		cmocka_unit_test(test_utf8_validation),
		cmocka_unit_test(test_url_decode),
		cmocka_unit_test(test_ids),
		cmocka_unit_test(test_like_patterns_match_literally),
		cmocka_unit_test(test_pool),
		cmocka_unit_test(test_tz_chicago),
		cmocka_unit_test(test_tz_names_are_checked),
		cmocka_unit_test(test_business_days),
		cmocka_unit_test(test_sla_target_in_local_days),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	tz_free_all();
	return rc;
}

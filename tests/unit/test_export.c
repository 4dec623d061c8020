/* Unit tests of what leaves the portal as files (export.c): CSV fields
 * quoted as spreadsheets read them with formulas neutralized, a whole list
 * streamed in pieces, and calendar feeds issued, served and revoked. */
#include "unit.h"
#include "export.h"
#include "tz.h"
#include "user.h"
#include "wo.h"

static db_t *db;
static char path[64];

static int
setup(void **state)
{
	db = unit_db(40, path);
	if (!db)
		return -1;
	db_thread_init(path);   /* the CSV stream reads on the worker's connection */
	return 0;
}

static int
teardown(void **state)
{
	db_thread_close_all();
	unit_db_drop(db, path);
	tz_free_all();
	return 0;
}

static void
field_is(const char *in, const char *want)
{
	buf_t b;
	buf_init(&b, 1024);
	assert_int_equal(ex_csv_field(&b, in), 0);
	assert_int_equal(b.len, strlen(want));
	assert_memory_equal(b.data, want, b.len);
	buf_free(&b);
}

static void
test_csv_quoting(void **state)
{
	field_is("plain", "plain");
	field_is("", "");
	field_is("a,b", "\"a,b\"");
	field_is("say \"hi\"", "\"say \"\"hi\"\"\"");
	field_is("two\r\nlines", "\"two\r\nlines\"");
	field_is("=SUM(A1:A9)", "\"'=SUM(A1:A9)\"");
	field_is("+1 555", "\"'+1 555\"");
	field_is("-3", "\"'-3\"");
	field_is("@cmd", "\"'@cmd\"");
	field_is("\tx", "\"'\tx\"");
	buf_t small;
	buf_init(&small, 4);
	assert_int_equal(ex_csv_field(&small, "longer than four"), -1);
	buf_free(&small);
}

static void
test_csv_stream_has_every_row(void **state)
{
	struct user megan;
	assert_int_equal(user_find_email(db, "dispatch@megansdispatch.example", &megan), 0);
	struct wo_scope sc;
	assert_int_equal(wo_scope_for(&megan, &sc), 0);
	struct wo_query q = { .view = wo_view_find("all"), .sort = wo_col_find("number"), .limit = WO_PAGE_DEFAULT };
	void *csv = ex_csv_open(&sc, &q, tz_utc());
	assert_non_null(csv);
	char chunk[300];
	long got, lines = 0, total = 0;
	while ((got = ex_csv_read(csv, chunk, sizeof(chunk))) > 0) {
		total += got;
		for (long i = 0; i < got; i++)
			lines += chunk[i] == '\n';
	}
	assert_int_equal(got, 0);
	ex_csv_free(csv);
	db_stmt *s = db_prep(db, "SELECT count(*) FROM wo WHERE owner_org_id = ?1");
	db_bind_int(s, 1, megan.org_id);
	int64_t n = db_step(s) == DB_ROW ? db_col_int(s, 0) : -1;
	db_done(s);
	assert_true(total > 0);
	assert_int_equal(lines, n + 1);   /* the header and one line per work order */
}

static void
test_calendar_feed_issue_serve_revoke(void **state)
{
	struct user admin;
	assert_int_equal(user_find_email(db, "admin@megansdispatch.example", &admin), 0);
	char token[AUTH_TOKEN_LEN], msg[256] = "";
	assert_int_equal(ex_cal_issue(db, &admin, 0, token, msg, sizeof(msg)), EX_OK);
	buf_t b;
	buf_init(&b, 1u << 20);
	assert_int_equal(ex_cal_feed(db, token, "ChargePoint", &b), EX_OK);
	assert_non_null(memmem(b.data, b.len, "BEGIN:VCALENDAR\r\n", 17));
	assert_non_null(memmem(b.data, b.len, "END:VCALENDAR\r\n", 15));
	buf_free(&b);
	json_t *list = ex_cal_list(db, &admin, tz_utc());
	assert_true(json_array_size(list) >= 1);
	int64_t id = json_integer_value(json_object_get(json_array_get(list, json_array_size(list) - 1), "id"));
	json_decref(list);
	struct user volt;
	assert_int_equal(user_find_email(db, "admin@voltfield.example", &volt), 0);
	assert_int_equal(ex_cal_revoke(db, &volt, id), EX_NOT_FOUND);   /* another company's */
	assert_int_equal(ex_cal_revoke(db, &admin, id), EX_OK);
	buf_init(&b, 1u << 20);
	assert_int_equal(ex_cal_feed(db, token, "ChargePoint", &b), EX_NOT_FOUND);
	assert_int_equal(ex_cal_feed(db, "not-a-token", "ChargePoint", &b), EX_NOT_FOUND);
	buf_free(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_csv_quoting),
		cmocka_unit_test(test_csv_stream_has_every_row),
		cmocka_unit_test(test_calendar_feed_issue_serve_revoke),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}

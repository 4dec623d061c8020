/* Unit tests of webhooks (hook.c): who registers what, the network's and a
 * company's endpoints hearing what they should, the claim (once), the
 * order per endpoint, the doubling retries and the day's end, the
 * signature, and SLA At Risk told once. */
#include "unit.h"
#include "hook.h"
#include "sla.h"
#include "tz.h"
#include "user.h"
#include "util.h"

static db_t *db;
static char path[64];
static struct user admin, dispatcher, volt_admin, op;

static int
setup(void **state)
{
	db = unit_db(60, path);
	if (!db)
		return -1;
	hook_set_retry_base(10);
	return unit_users(db, "admin@megansdispatch.example", &admin, "dispatch@megansdispatch.example", &dispatcher,
	    "admin@voltfield.example", &volt_admin, "operator@chargepoint.example", &op, NULL);
}

static int
teardown(void **state)
{
	unit_db_drop(db, path);
	tz_free_all();
	return 0;
}

static int64_t
one_wo(const struct user *owner)
{
	char sql[160];
	snprintf(sql, sizeof(sql), "SELECT min(number) FROM wo WHERE owner_org_id = %lld", (long long)owner->org_id);
	return unit_count(db, sql);
}

static void
test_register(void **state)
{
	char secret[HOOK_SECRET_LEN], msg[256];
	const char *ev[] = { "post.added" }, *bad[] = { "nope" };
	assert_int_equal(hook_add(db, &dispatcher, "https://a.example/h", ev, 1, secret, msg, sizeof(msg)), HOOK_BAD);
	assert_int_equal(hook_add(db, &admin, "http://a.example/h", ev, 1, secret, msg, sizeof(msg)), HOOK_BAD);
	assert_int_equal(hook_add(db, &admin, "https://a.example/h", bad, 1, secret, msg, sizeof(msg)), HOOK_BAD);
	assert_int_equal(hook_add(db, &admin, "https://a.example/h", ev, 0, secret, msg, sizeof(msg)), HOOK_BAD);
	hook_set_allow_http(1);
	assert_int_equal(hook_add(db, &admin, "http://a.example/h", ev, 1, secret, msg, sizeof(msg)), HOOK_BAD);
	assert_int_equal(hook_add(db, &admin, "http://127.0.0.1:9/h", ev, 1, secret, msg, sizeof(msg)), HOOK_OK);
	hook_set_allow_http(0);
	assert_int_equal(strncmp(secret, "whsec_", 6), 0);
	assert_int_equal(strlen(secret), 46);
}

static void
test_scope_claim_order_retry(void **state)
{
	char secret[HOOK_SECRET_LEN], msg[256], url[600], sec[HOOK_SECRET_LEN], event[64];
	const char *ev[] = { "work_order.status_changed", "post.added" };
	assert_int_equal(db_exec1(db, "DELETE FROM webhook_delivery"), 0);
	assert_int_equal(hook_add(db, &op, "https://network.example/h", ev, 2, secret, msg, sizeof(msg)), HOOK_OK);
	assert_int_equal(hook_add(db, &volt_admin, "https://volt.example/h", ev, 2, secret, msg, sizeof(msg)), HOOK_OK);
	int64_t n = one_wo(&admin);
	assert_int_equal(hook_emit(db, "post.added", n, NULL), 0);
	assert_int_equal(hook_emit(db, "work_order.status_changed", n, json_pack("{s:s}", "to", "In Progress")), 0);
	assert_int_equal(hook_emit(db, "work_order.created", n, NULL), 0);   /* nobody listens to it */
	/* the network hears both; Volt nothing of Megan's; Megan's endpoint hears post.added only */
	assert_int_equal(unit_count(db, "SELECT count(*) FROM webhook_delivery d JOIN webhook h ON h.id = d.webhook_id"
	    " WHERE h.url = 'https://network.example/h'"), 2);
	assert_int_equal(unit_count(db, "SELECT count(*) FROM webhook_delivery d JOIN webhook h ON h.id = d.webhook_id"
	    " WHERE h.url = 'https://volt.example/h'"), 0);
	/* the network's first is claimed once; its second waits behind it */
	int64_t id = 0, id2 = 0;
	char *body = NULL, *b2 = NULL;
	int got = 0;
	while (hook_claim(db, 60, &id, url, sizeof(url), sec, sizeof(sec), &body, event, sizeof(event)) == 1) {
		if (!strcmp(url, "https://network.example/h"))
			break;
		free(body);
		body = NULL;
		hook_done(db, id, 204, "");   /* Megan's endpoint: delivered */
	}
	assert_non_null(body);
	assert_string_equal(event, "post.added");
	assert_non_null(strstr(body, "\"event\":\"post.added\""));
	free(body);
	got = hook_claim(db, 60, &id2, url, sizeof(url), sec, sizeof(sec), &b2, event, sizeof(event));
	assert_int_equal(got, 0);   /* claimed, and the next in line waits for it */
	/* a 500: waits retry_base, still pending, the line still held */
	hook_done(db, id, 500, "the endpoint answered 500");
	char sql[200];
	snprintf(sql, sizeof(sql), "SELECT next_at - %lld FROM webhook_delivery WHERE id = %lld AND status = 'pending'",
	    (long long)now_utc(), (long long)id);
	int64_t wait = unit_count(db, sql);
	assert_true(wait >= 9 && wait <= 11);
	assert_int_equal(hook_claim(db, 60, &id2, url, sizeof(url), sec, sizeof(sec), &b2, event, sizeof(event)), 0);
	/* a second failure waits twice as long; past a day it fails for good */
	snprintf(sql, sizeof(sql), "UPDATE webhook_delivery SET next_at = 0, attempts = 2 WHERE id = %lld", (long long)id);
	assert_int_equal(db_exec1(db, sql), 0);
	hook_done(db, id, 503, "");
	snprintf(sql, sizeof(sql), "SELECT next_at - %lld FROM webhook_delivery WHERE id = %lld", (long long)now_utc(),
	    (long long)id);
	wait = unit_count(db, sql);
	assert_true(wait >= 19 && wait <= 21);
	snprintf(sql, sizeof(sql), "UPDATE webhook_delivery SET created_at = created_at - 90000 WHERE id = %lld", (long long)id);
	assert_int_equal(db_exec1(db, sql), 0);
	hook_done(db, id, 503, "");
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM webhook_delivery WHERE id = %lld AND status = 'failed'", (long long)id);
	assert_int_equal(unit_count(db, sql), 1);
	/* the line moves on: the status change comes next */
	assert_int_equal(hook_claim(db, 60, &id2, url, sizeof(url), sec, sizeof(sec), &b2, event, sizeof(event)), 1);
	assert_string_equal(event, "work_order.status_changed");
	assert_non_null(strstr(b2, "\"to\":\"In Progress\""));
	free(b2);
	hook_done(db, id2, 200, "");
	/* by hand, again */
	assert_int_equal(hook_resend(db, &volt_admin, id), HOOK_NOT_FOUND);
	assert_int_equal(hook_resend(db, &op, id), HOOK_OK);
	assert_int_equal(hook_claim(db, 60, &id2, url, sizeof(url), sec, sizeof(sec), &b2, event, sizeof(event)), 1);
	assert_int_equal(id2, id);
	free(b2);
}

static void
test_signature(void **state)
{
	char out[100];
	/* HMAC-SHA256("whsec_test", "1700000000.{}") */
	hook_sign("whsec_test", 1700000000, "{}", 2, out);
	assert_string_equal(out, "t=1700000000,v1=35495024f4ef3f94e5a93e22221544c4b75e9a42300cd965ab81cb85cd994e91");   /* Python's hmac, the same inputs */
	char again[100];
	hook_sign("whsec_test", 1700000000, "{}", 2, again);
	assert_string_equal(out, again);
	hook_sign("whsec_other", 1700000000, "{}", 2, again);
	assert_string_not_equal(out, again);
}

static void
test_at_risk_told_once(void **state)
{
	char secret[HOOK_SECRET_LEN], msg[256];
	const char *ev[] = { "sla.at_risk" };
	assert_int_equal(hook_scan_at_risk(db, now_utc()), 0);   /* nobody listens yet */
	assert_int_equal(hook_add(db, &op, "https://risk.example/h", ev, 1, secret, msg, sizeof(msg)), HOOK_OK);
	char sql[300];
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM wo WHERE wo.state_class = 0 AND " SLA_AT_RISK_SQL(1));
	db_stmt *s = db_prep(db, sql);
	db_bind_int(s, 1, sla_at_risk_until(now_utc()));
	int64_t risky = db_step(s) == DB_ROW ? db_col_int(s, 0) : -1;
	db_done(s);
	assert_true(risky > 0);
	int told = hook_scan_at_risk(db, now_utc());
	assert_int_equal(told, risky > 200 ? 200 : risky);
	assert_int_equal(unit_count(db, "SELECT count(*) FROM webhook_delivery WHERE event = 'sla.at_risk'"), told);
	assert_int_equal(hook_scan_at_risk(db, now_utc()), 0);   /* once */
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_register),
		cmocka_unit_test(test_scope_claim_order_retry),
		cmocka_unit_test(test_signature),
		cmocka_unit_test(test_at_risk_told_once),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}

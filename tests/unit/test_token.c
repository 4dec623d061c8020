/* Unit tests of API tokens and idempotency keys (token.c): who may make a
 * token for whom, the checks (unknown, revoked, expired, disabled user),
 * the scope, and a key's claim, replay and refusal. */
#include "unit.h"
#include "token.h"
#include "tz.h"
#include "user.h"

static db_t *db;
static char path[64];
static struct user admin, dispatcher, tech, volt, op;

static int
setup(void **state)
{
	db = unit_db(30, path);
	if (!db)
		return -1;
	return unit_users(db, "admin@megansdispatch.example", &admin, "dispatch@megansdispatch.example", &dispatcher,
	    "joe.bradley@megansdispatch.example", &tech, "dispatch@voltfield.example", &volt,
	    "operator@chargepoint.example", &op, NULL);
}

static int
teardown(void **state)
{
	unit_db_drop(db, path);
	tz_free_all();
	return 0;
}

static void
test_who_makes_tokens_for_whom(void **state)
{
	char t[TOKEN_LEN], msg[256];
	assert_int_equal(token_issue(db, &dispatcher, dispatcher.id, "mine", 0, 0, t, msg, sizeof(msg)), TOKEN_OK);
	assert_int_equal(token_issue(db, &dispatcher, tech.id, "for joe", 0, 0, t, msg, sizeof(msg)), TOKEN_NOT_FOUND);
	assert_int_equal(token_issue(db, &admin, tech.id, "for joe", 1, 30, t, msg, sizeof(msg)), TOKEN_OK);
	assert_int_equal(token_issue(db, &admin, volt.id, "theirs", 0, 0, t, msg, sizeof(msg)), TOKEN_NOT_FOUND);
	assert_int_equal(token_issue(db, &op, admin.id, "a partner's", 0, 0, t, msg, sizeof(msg)), TOKEN_NOT_FOUND);
	assert_int_equal(token_issue(db, &admin, admin.id, "", 0, 0, t, msg, sizeof(msg)), TOKEN_BAD);
	assert_int_equal(token_issue(db, &admin, admin.id, "x", 0, 4000, t, msg, sizeof(msg)), TOKEN_BAD);
}

static void
test_checks_scope_revoke_expiry_disabled(void **state)
{
	char t[TOKEN_LEN], msg[256];
	struct user u;
	struct token_info ti;
	assert_int_equal(token_issue(db, &admin, admin.id, "ci", 1, 1, t, msg, sizeof(msg)), TOKEN_OK);
	assert_int_equal(token_check(db, t, &u, &ti), 0);
	assert_int_equal(u.id, admin.id);
	assert_int_equal(ti.can_write, 1);
	assert_int_equal(token_check(db, "fwp_nope", &u, &ti), 1);
	t[10] = t[10] == 'A' ? 'B' : 'A';
	assert_int_equal(token_check(db, t, &u, &ti), 1);
	/* expired */
	assert_int_equal(token_issue(db, &admin, admin.id, "old", 0, 1, t, msg, sizeof(msg)), TOKEN_OK);
	assert_int_equal(token_check(db, t, &u, &ti), 0);
	assert_int_equal(db_exec1(db, "UPDATE api_token SET expires_at = 1 WHERE name = 'old'"), 0);
	assert_int_equal(token_check(db, t, &u, &ti), 1);
	/* revoked, by a manager only */
	assert_int_equal(token_issue(db, &admin, tech.id, "joe", 0, 0, t, msg, sizeof(msg)), TOKEN_OK);
	assert_int_equal(token_check(db, t, &u, &ti), 0);
	assert_int_equal(token_revoke(db, &volt, ti.id), TOKEN_NOT_FOUND);
	assert_int_equal(token_revoke(db, &admin, ti.id), TOKEN_OK);
	assert_int_equal(token_check(db, t, &u, &ti), 1);
	/* a disabled user's tokens stop */
	assert_int_equal(token_issue(db, &dispatcher, dispatcher.id, "d", 0, 0, t, msg, sizeof(msg)), TOKEN_OK);
	assert_int_equal(user_set_disabled(db, dispatcher.id, 1), 0);
	assert_int_equal(token_check(db, t, &u, &ti), 1);
	assert_int_equal(user_set_disabled(db, dispatcher.id, 0), 0);
	assert_int_equal(token_check(db, t, &u, &ti), 0);
}

static void
test_idempotency_claim_replay_refuse(void **state)
{
	int status = 0;
	char *body = NULL, msg[256], loc[64];
	assert_int_equal(token_idem_claim(db, admin.id, "k1", "POST /api/x", &status, &body, loc, sizeof(loc), msg, sizeof(msg)), TOKEN_OK);
	assert_int_equal(token_idem_claim(db, admin.id, "k1", "POST /api/x", &status, &body, loc, sizeof(loc), msg, sizeof(msg)), TOKEN_BAD);
	assert_non_null(strstr(msg, "still running"));
	token_idem_done(db, admin.id, "k1", 201, "{\"ok\":1}", 8, "/api/work-orders/7");
	assert_int_equal(token_idem_claim(db, admin.id, "k1", "POST /api/x", &status, &body, loc, sizeof(loc), msg, sizeof(msg)),
	    TOKEN_IDEM_REPLAY);
	assert_int_equal(status, 201);
	assert_string_equal(body, "{\"ok\":1}");
	assert_string_equal(loc, "/api/work-orders/7");   /* the answer's Location, replayed too */
	free(body);
	assert_int_equal(token_idem_claim(db, admin.id, "k1", "POST /api/y", &status, &body, loc, sizeof(loc), msg, sizeof(msg)), TOKEN_BAD);
	assert_non_null(strstr(msg, "another request"));
	/* a key is per user; a failed request frees it */
	assert_int_equal(token_idem_claim(db, volt.id, "k1", "POST /api/x", &status, &body, loc, sizeof(loc), msg, sizeof(msg)), TOKEN_OK);
	token_idem_done(db, volt.id, "k1", 0, NULL, 0, NULL);
	assert_int_equal(token_idem_claim(db, volt.id, "k1", "POST /api/x", &status, &body, loc, sizeof(loc), msg, sizeof(msg)), TOKEN_OK);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_who_makes_tokens_for_whom),
		cmocka_unit_test(test_checks_scope_revoke_expiry_disabled),
		cmocka_unit_test(test_idempotency_claim_replay_refuse),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}

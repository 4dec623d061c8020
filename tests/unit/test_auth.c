/* Unit tests of passwords, sessions, rate limits and reset links (auth.c,
 * user.c) and of the migrations (db.c). */
#include "unit.h"
#include "user.h"

static db_t *db;
static char path[64];
static int64_t partner_org;

static int
setup(void **state)
{
	db = unit_db(-1, path);
	if (!db || auth_init() != 0)
		return -1;
	partner_org = org_add(db, "Megan's Dispatch Service", "partner", "megansdispatch.example");
	char err[256];
	if (user_add(db, partner_org, "dana@megansdispatch.example", "Dana Whitfield", "dispatcher",
	    "correct horse battery", err, sizeof(err)) < 0)
		return -1;
	return 0;
}

static int
teardown(void **state)
{
	unit_db_drop(db, path);
	return 0;
}

/* auth_session inside a page's read snapshot, as the server calls it */
static int
session_in_snapshot(const char *tok, struct user *u)
{
	char csrf[AUTH_TOKEN_LEN];
	assert_int_equal(db_read_begin(db), 0);
	int r = auth_session(db, tok, u, csrf);
	db_read_end(db);
	return r;
}

static void
test_remembered_session_sees_every_change(void **state)
{
	char tok[AUTH_TOKEN_LEN];
	int retry;
	assert_int_equal(auth_login(db, "dana@megansdispatch.example", "correct horse battery", "10.0.1.1", tok, &retry),
	    AUTH_OK);
	struct user u;
	assert_int_equal(session_in_snapshot(tok, &u), 0);
	assert_int_equal(session_in_snapshot(tok, &u), 0);   /* remembered */
	/* a change made by another connection is seen at once */
	db_stmt *s = db_prep(db_side(db), "UPDATE users SET name = 'Dana W.' WHERE email = 'dana@megansdispatch.example'");
	assert_int_equal(db_step(s), DB_DONE);
	db_done(s);
	assert_int_equal(session_in_snapshot(tok, &u), 0);
	assert_string_equal(u.name, "Dana W.");
	/* ... and one made by this connection */
	assert_int_equal(auth_set_disabled(db, u.id, 1), 0);
	assert_int_equal(session_in_snapshot(tok, &u), 1);
	assert_int_equal(auth_set_disabled(db, u.id, 0), 0);
	assert_int_equal(session_in_snapshot(tok, &u), 1);   /* disabling ended the sessions */
	s = db_prep(db, "UPDATE users SET name = 'Dana Whitfield' WHERE id = ?1");
	db_bind_int(s, 1, u.id);
	assert_int_equal(db_step(s), DB_DONE);
	db_done(s);
}

static void
test_password_hash_roundtrip(void **state)
{
	char h[USER_HASH_LEN];
	assert_int_equal(user_hash_password("s3cret-enough", h), 0);
	assert_non_null(strstr(h, "$argon2id$"));
	assert_true(user_verify_password(h, "s3cret-enough"));
	assert_false(user_verify_password(h, "s3cret-enougH"));
	assert_false(user_verify_password("", "x"));
}

static void
test_tokens_are_random_and_compared_safely(void **state)
{
	char a[AUTH_TOKEN_LEN], b[AUTH_TOKEN_LEN];
	auth_random_token(a);
	auth_random_token(b);
	assert_int_equal(strlen(a), AUTH_TOKEN_LEN - 1);
	assert_string_not_equal(a, b);
	assert_true(auth_token_eq(a, a));
	assert_false(auth_token_eq(a, b));
	assert_false(auth_token_eq("", ""));
}

static void
test_login_session_logout(void **state)
{
	char tok[AUTH_TOKEN_LEN], csrf[AUTH_TOKEN_LEN];
	int retry;
	assert_int_equal(auth_login(db, "Dana@MegansDispatch.example", "correct horse battery", "10.0.0.1", tok, &retry), AUTH_OK);
	struct user u;
	assert_int_equal(auth_session(db, tok, &u, csrf), 0);
	assert_string_equal(u.name, "Dana Whitfield");
	assert_string_equal(u.org_name, "Megan's Dispatch Service");
	assert_int_equal(strlen(csrf), AUTH_TOKEN_LEN - 1);
	assert_int_equal(auth_session(db, "garbage", &u, csrf), 1);
	assert_int_equal(auth_session(db, NULL, &u, csrf), 1);
	assert_int_equal(auth_logout(db, tok), 0);
	assert_int_equal(auth_session(db, tok, &u, csrf), 1);
}

static void
test_rate_limit_per_account(void **state)
{
	char tok[AUTH_TOKEN_LEN];
	int retry = 0;
	for (int i = 0; i < AUTH_MAX_USER_FAILS; i++)
		assert_int_equal(auth_login(db, "dana@megansdispatch.example", "wrong", "10.0.0.2", tok, &retry), AUTH_BAD);
	/* from that address even the right password waits ... */
	assert_int_equal(auth_login(db, "dana@megansdispatch.example", "correct horse battery", "10.0.0.2", tok, &retry),
	    AUTH_LOCKED);
	assert_true(retry > 0 && retry <= AUTH_PAIR_CAP);
	/* ... but the owner elsewhere is not locked out by someone else's guesses */
	assert_int_equal(auth_login(db, "dana@megansdispatch.example", "correct horse battery", "10.0.0.3", tok, &retry),
	    AUTH_OK);
	db_exec1(db, "DELETE FROM login_attempt");
	/* guesses from many addresses slow the account down, never for more than a minute */
	char addr[32];
	for (int i = 0; i < AUTH_MAX_ANY_FAILS + 12; i++) {
		snprintf(addr, sizeof(addr), "10.1.0.%d", i);
		auth_login(db, "dana@megansdispatch.example", "wrong", addr, tok, &retry);
	}
	assert_int_equal(auth_login(db, "dana@megansdispatch.example", "correct horse battery", "10.2.0.1", tok, &retry),
	    AUTH_LOCKED);
	assert_true(retry > 0 && retry <= AUTH_USER_CAP);
	db_exec1(db, "DELETE FROM login_attempt");
}

static void
test_rate_limit_per_address(void **state)
{
	char tok[AUTH_TOKEN_LEN], email[64];
	int retry = 0;
	for (int i = 0; i < AUTH_MAX_ADDR_FAILS; i++) {
		snprintf(email, sizeof(email), "guess%d@megansdispatch.example", i);
		assert_int_equal(auth_login(db, email, "wrong", "10.9.9.9", tok, &retry), AUTH_BAD);
	}
	/* the real account from that address is refused too; from another it works */
	assert_int_equal(auth_login(db, "dana@megansdispatch.example", "correct horse battery", "10.9.9.9", tok, &retry),
	    AUTH_LOCKED);
	assert_int_equal(auth_login(db, "dana@megansdispatch.example", "correct horse battery", "10.9.9.10", tok, &retry),
	    AUTH_OK);
	db_exec1(db, "DELETE FROM login_attempt");
}

static void
test_unknown_and_disabled_look_alike(void **state)
{
	char tok[AUTH_TOKEN_LEN];
	int retry;
	assert_int_equal(auth_login(db, "nobody@example.com", "whatever-pass", "10.0.0.4", tok, &retry), AUTH_BAD);
	struct user u;
	assert_int_equal(user_find_email(db, "dana@megansdispatch.example", &u), 0);
	assert_int_equal(auth_set_disabled(db, u.id, 1), 0);
	assert_int_equal(auth_login(db, "dana@megansdispatch.example", "correct horse battery", "10.0.0.4", tok, &retry), AUTH_BAD);
	assert_int_equal(auth_set_disabled(db, u.id, 0), 0);
	db_exec1(db, "DELETE FROM login_attempt");
}

static void
test_reset_link_is_one_time(void **state)
{
	struct user u;
	assert_int_equal(user_find_email(db, "dana@megansdispatch.example", &u), 0);
	char tok[AUTH_TOKEN_LEN], err[256];
	assert_int_equal(auth_reset_issue(db, u.id, 0, tok), 0);
	int64_t uid;
	assert_int_equal(auth_reset_check(db, tok, &uid), 0);
	assert_int_equal(uid, u.id);
	assert_int_equal(auth_reset_use(db, tok, "short", err, sizeof(err)), -1);
	assert_non_null(strstr(err, "at least"));
	assert_int_equal(auth_reset_use(db, tok, "a brand new password", err, sizeof(err)), 0);
	assert_int_equal(auth_reset_use(db, tok, "another new password", err, sizeof(err)), -1);
	char s[AUTH_TOKEN_LEN];
	int retry;
	assert_int_equal(auth_login(db, "dana@megansdispatch.example", "a brand new password", "10.0.0.5", s, &retry), AUTH_OK);
}

static void
test_user_add_checks_input(void **state)
{
	char err[256];
	assert_true(user_add(db, partner_org, "not-an-email", "X", "dispatcher", NULL, err, sizeof(err)) < 0);
	assert_true(user_add(db, partner_org, "x@megansdispatch.example", "X", "boss", NULL, err, sizeof(err)) < 0);
	assert_non_null(strstr(err, "Unknown role"));
	assert_true(user_add(db, partner_org, "DANA@megansdispatch.example", "Dup", "dispatcher", NULL, err, sizeof(err)) < 0);
	assert_non_null(strstr(err, "already exists"));
}

static void
test_migrations_apply_once(void **state)
{
	char err[256];
	assert_int_equal(db_migrate(db, err, sizeof(err)), 0);   /* nothing new */
	db_stmt *s = db_prep(db, "SELECT count(*) FROM schema_migration");
	assert_int_equal(db_step(s), DB_ROW);
	assert_true(db_col_int(s, 0) >= 1);
	db_done(s);
}

static void
test_signup_matches_company(void **state)
{
	char err[256];
	assert_int_equal(auth_signup_add(db, "New Tech", "new.tech@megansdispatch.example", "Megans", "", "", err, sizeof(err)), 0);
	assert_int_equal(auth_signup_add(db, "", "x@y.example", "Co", "", "", err, sizeof(err)), -1);
	assert_true(strncmp(err, "name:", 5) == 0);
	json_t *p = auth_signup_pending(db, partner_org, tz_utc());
	assert_int_equal(json_array_size(p), 1);
	json_decref(p);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_password_hash_roundtrip),
		cmocka_unit_test(test_remembered_session_sees_every_change),
		cmocka_unit_test(test_tokens_are_random_and_compared_safely),
		cmocka_unit_test(test_login_session_logout),
		cmocka_unit_test(test_rate_limit_per_account),
		cmocka_unit_test(test_rate_limit_per_address),
		cmocka_unit_test(test_unknown_and_disabled_look_alike),
		cmocka_unit_test(test_reset_link_is_one_time),
		cmocka_unit_test(test_user_add_checks_input),
		cmocka_unit_test(test_migrations_apply_once),
		cmocka_unit_test(test_signup_matches_company),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}

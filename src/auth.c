/* auth.c -- see auth.h. */
#include "auth.h"
#include "util.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

int
auth_init(void)
{
	return sodium_init() < 0 ? -1 : 0;
}

void
auth_random_token(char out[AUTH_TOKEN_LEN])
{
	unsigned char raw[32];
	randombytes_buf(raw, sizeof(raw));
	sodium_bin2base64(out, AUTH_TOKEN_LEN, raw, sizeof(raw), sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	sodium_memzero(raw, sizeof(raw));
}

int
auth_token_eq(const char *a, const char *b)
{
	size_t n = strlen(a);
	if (n == 0 || n != strlen(b))
		return 0;
	return sodium_memcmp(a, b, n) == 0;
}

void
auth_hash(const char *token, unsigned char out[32])
{
	crypto_generichash(out, 32, (const unsigned char *)token, strlen(token), NULL, 0);
}

static int
token_shape_ok(const char *t)
{
	size_t n = strlen(t);
	if (n != AUTH_TOKEN_LEN - 1)
		return 0;
	for (; *t; t++)
		if (!((*t >= 'A' && *t <= 'Z') || (*t >= 'a' && *t <= 'z') || (*t >= '0' && *t <= '9') ||
		      *t == '-' || *t == '_'))
			return 0;
	return 1;
}

/* The seconds KEY must still wait: THRESHOLD failures and more ask for 4,
 * 8, 16 ... seconds after the last one, up to CAP.  -1 on a database
 * error. */
static int64_t
wait_for(db_t *db, const char *key, int threshold, int64_t cap, int64_t now)
{
	db_stmt *s = db_prep(db, "SELECT window_start, failures FROM login_attempt WHERE key = ?1");
	if (!s)
		return -1;
	db_bind_text(s, 1, key);
	int64_t last = 0, n = 0;
	if (db_step(s) == DB_ROW && db_col_int(s, 0) > now - AUTH_WINDOW) {
		last = db_col_int(s, 0);   /* the last failure */
		n = db_col_int(s, 1);
	}
	db_done(s);
	if (n < threshold)
		return 0;
	int64_t d = n - threshold >= 20 ? cap : (int64_t)4 << (n - threshold);
	if (d > cap)
		d = cap;
	return last + d > now ? last + d - now : 0;
}

static void
record_fail(db_t *db, const char *key, int64_t now)
{
	db_stmt *s = db_prep(db,
	    "INSERT INTO login_attempt(key, window_start, failures) VALUES (?1, ?2, 1)"
	    " ON CONFLICT(key) DO UPDATE SET"
	    "  failures = CASE WHEN login_attempt.window_start > ?2 - ?3 THEN login_attempt.failures + 1 ELSE 1 END,"
	    "  window_start = ?2");
	if (!s)
		return;
	db_bind_text(s, 1, key);
	db_bind_int(s, 2, now);
	db_bind_int(s, 3, AUTH_WINDOW);
	db_step(s);
	db_done(s);
}

static void
clear_fails(db_t *db, const char *key)
{
	db_stmt *s = db_prep(db, "DELETE FROM login_attempt WHERE key = ?1");
	if (!s)
		return;
	db_bind_text(s, 1, key);
	db_step(s);
	db_done(s);
}

static int
session_start(db_t *db, int64_t user_id, char token[AUTH_TOKEN_LEN])
{
	char csrf[AUTH_TOKEN_LEN];
	unsigned char h[32];
	auth_random_token(token);
	auth_random_token(csrf);
	auth_hash(token, h);
	int64_t now = now_utc();
	db_stmt *s = db_prep(db, "INSERT INTO session(token_hash, user_id, csrf, created_at, seen_at, expires_at)"
	    " VALUES (?1, ?2, ?3, ?4, ?4, ?5)");
	if (!s)
		return -1;
	db_bind_blob(s, 1, h, sizeof(h));
	db_bind_int(s, 2, user_id);
	db_bind_text(s, 3, csrf);
	db_bind_int(s, 4, now);
	db_bind_int(s, 5, now + AUTH_SESSION_MAX);
	int rc = db_step(s);
	db_done(s);
	/* sweep this user's dead sessions while we are here */
	db_stmt *d = db_prep(db, "DELETE FROM session WHERE user_id = ?1 AND (expires_at < ?2 OR seen_at < ?3)");
	if (d) {
		db_bind_int(d, 1, user_id);
		db_bind_int(d, 2, now);
		db_bind_int(d, 3, now - AUTH_SESSION_IDLE);
		db_step(d);
		db_done(d);
	}
	return rc == DB_DONE ? 0 : -1;
}

enum auth_login_result
auth_login(db_t *db, const char *email, const char *password, const char *addr,
    char token[AUTH_TOKEN_LEN], int *retry_after)
{
	/* A real hash to check against for unknown accounts, so the answer
	 * takes as long whether or not the account exists. */
	static char dummy[USER_HASH_LEN];
	if (!dummy[0] && user_hash_password("fieldwork-not-a-password", dummy))
		return AUTH_ERROR;
	int64_t now = now_utc();
	char lower[256], pkey[400], akey[80], ukey[300];
	str_copy(lower, email, sizeof(lower));
	for (char *p = lower; *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
	snprintf(pkey, sizeof(pkey), "pair:%s|%s", lower, addr ? addr : "?");
	snprintf(akey, sizeof(akey), "addr:%s", addr ? addr : "?");
	snprintf(ukey, sizeof(ukey), "user:%s", lower);
	int64_t wp = wait_for(db, pkey, AUTH_MAX_USER_FAILS, AUTH_PAIR_CAP, now);
	int64_t wa = wait_for(db, akey, AUTH_MAX_ADDR_FAILS, AUTH_ADDR_CAP, now);
	int64_t wu = wait_for(db, ukey, AUTH_MAX_ANY_FAILS, AUTH_USER_CAP, now);
	if (wp < 0 || wa < 0 || wu < 0)
		return AUTH_ERROR;
	int64_t wait = wp > wa ? wp : wa;
	if (wu > wait)
		wait = wu;
	if (wait > 0) {
		*retry_after = (int)wait;
		return AUTH_LOCKED;
	}
	struct user u;
	char hash[USER_HASH_LEN] = "";
	int found = user_find_email(db, email, &u);
	if (found < 0)
		return AUTH_ERROR;
	if (found == 0) {
		db_stmt *s = db_prep(db, "SELECT pw_hash FROM users WHERE id = ?1");
		if (!s)
			return AUTH_ERROR;
		db_bind_int(s, 1, u.id);
		if (db_step(s) == DB_ROW)
			str_copy(hash, db_col_text(s, 0), sizeof(hash));
		db_done(s);
	}
	int ok = user_verify_password(found == 0 && hash[0] ? hash : dummy, password);
	if (!ok || found != 0 || !hash[0] || u.disabled) {
		if (db_begin(db) == 0) {
			record_fail(db, pkey, now);
			record_fail(db, akey, now);
			record_fail(db, ukey, now);
			db_commit(db);
		}
		return AUTH_BAD;
	}
	if (db_begin(db) != 0)
		return AUTH_ERROR;
	clear_fails(db, pkey);
	clear_fails(db, ukey);
	if (session_start(db, u.id, token) != 0 || db_commit(db) != 0) {
		db_rollback(db);
		return AUTH_ERROR;
	}
	return AUTH_OK;
}

/* Sessions a worker found lately, with their users: valid while the
 * database is unchanged since (db_data_version), so a page read by a
 * logged-in user costs no session or user query; any write anywhere (a
 * logout, a disabled user, a touch) makes them be read again. */
#define SESSION_CACHE 8
struct session_memo {
	uint64_t version;          /* 0: empty */
	unsigned char h[32];
	int64_t seen, exp;
	char csrf[AUTH_TOKEN_LEN];
	struct user u;
};
static _Thread_local struct session_memo session_memo[SESSION_CACHE];

/* The session of token hash H: from the memo when the database has not
 * changed, else from the database (and remembered).  0, 1 (none) or -1. */
static int
session_find(db_t *db, const unsigned char h[32], struct user *u, char csrf[AUTH_TOKEN_LEN], int64_t *seen,
    int64_t *exp)
{
	uint64_t version = db_data_version(db);
	struct session_memo *m = &session_memo[h[0] % SESSION_CACHE];
	if (version && m->version == version && sodium_memcmp(m->h, h, 32) == 0) {
		*u = m->u;
		memcpy(csrf, m->csrf, AUTH_TOKEN_LEN);
		*seen = m->seen;
		*exp = m->exp;
		return 0;
	}
	db_stmt *s = db_prep(db, "SELECT user_id, csrf, seen_at, expires_at FROM session WHERE token_hash = ?1");
	if (!s)
		return -1;
	db_bind_blob(s, 1, h, 32);
	int rc = db_step(s);
	if (rc != DB_ROW) {
		db_done(s);
		return rc == DB_DONE ? 1 : -1;
	}
	int64_t uid = db_col_int(s, 0);
	*seen = db_col_int(s, 2);
	*exp = db_col_int(s, 3);
	str_copy(csrf, db_col_text(s, 1), AUTH_TOKEN_LEN);
	db_done(s);
	int r = user_load(db, uid, u);
	if (r != 0)
		return r;
	if (version) {
		m->version = version;
		memcpy(m->h, h, 32);
		m->seen = *seen;
		m->exp = *exp;
		memcpy(m->csrf, csrf, AUTH_TOKEN_LEN);
		m->u = *u;
	}
	return 0;
}

int
auth_session(db_t *db, const char *token, struct user *u, char csrf[AUTH_TOKEN_LEN])
{
	if (!token || !token_shape_ok(token))
		return 1;
	unsigned char h[32];
	auth_hash(token, h);
	int64_t seen, exp;
	int r = session_find(db, h, u, csrf, &seen, &exp);
	if (r != 0)
		return r;
	int64_t now = now_utc();
	if (exp < now || seen < now - AUTH_SESSION_IDLE || u->disabled)
		return 1;
	if (seen < now - 300) {
		/* touch at most every five minutes: no write per request */
		db_stmt *t = db_prep(db_side(db), "UPDATE session SET seen_at = ?2 WHERE token_hash = ?1");
		if (t) {
			db_bind_blob(t, 1, h, sizeof(h));
			db_bind_int(t, 2, now);
			db_step(t);
			db_done(t);
		}
	}
	return 0;
}

int
auth_logout(db_t *db, const char *token)
{
	if (!token || !token_shape_ok(token))
		return 0;
	unsigned char h[32];
	auth_hash(token, h);
	db_stmt *s = db_prep(db, "DELETE FROM session WHERE token_hash = ?1");
	if (!s)
		return -1;
	db_bind_blob(s, 1, h, sizeof(h));
	int rc = db_step(s);
	db_done(s);
	return rc == DB_DONE ? 0 : -1;
}

/* Ends every session of user UID.  0 or -1. */
static int
sessions_end(db_t *db, int64_t uid)
{
	db_stmt *s = db_prep(db, "DELETE FROM session WHERE user_id = ?1");
	if (!s)
		return -1;
	db_bind_int(s, 1, uid);
	int rc = db_step(s);
	db_done(s);
	return rc == DB_DONE ? 0 : -1;
}

int
auth_set_password(db_t *db, int64_t id, const char *password, char *err, size_t errlen)
{
	if (db_begin(db) != 0) {
		snprintf(err, errlen, "The database is busy; try again.");
		return -1;
	}
	if (user_set_password(db, id, password, err, errlen) != 0) {
		db_rollback(db);
		return -1;
	}
	if (sessions_end(db, id) != 0 || db_commit(db) != 0) {
		db_rollback(db);
		snprintf(err, errlen, "database error");
		return -1;
	}
	return 0;
}

int
auth_revoke_user(db_t *db, int64_t id)
{
	if (sessions_end(db, id) != 0)
		return -1;
	db_stmt *s = db_prep(db, "UPDATE reset_token SET used_at = ?2 WHERE user_id = ?1 AND used_at = 0");
	if (!s)
		return -1;
	db_bind_int(s, 1, id);
	db_bind_int(s, 2, now_utc());
	int rc = db_step(s);
	db_done(s);
	return rc == DB_DONE ? 0 : -1;
}

int
auth_set_disabled(db_t *db, int64_t id, int disabled)
{
	if (db_begin(db) != 0)
		return -1;
	if (user_set_disabled(db, id, disabled) != 0 || (disabled && auth_revoke_user(db, id) != 0) || db_commit(db) != 0) {
		db_rollback(db);
		return -1;
	}
	return 0;
}

int
auth_reset_issue(db_t *db, int64_t user_id, int64_t issued_by, char token[AUTH_TOKEN_LEN])
{
	unsigned char h[32];
	auth_random_token(token);
	auth_hash(token, h);
	int64_t now = now_utc();
	db_stmt *s = db_prep(db, "INSERT INTO reset_token(token_hash, user_id, issued_by, created_at, expires_at)"
	    " VALUES (?1, ?2, ?3, ?4, ?5)");
	db_stmt *r = db_prep(db, "UPDATE reset_request SET handled_at = ?2, handled_by = ?3"
	    " WHERE user_id = ?1 AND handled_at = 0");
	if (!s || !r)
		return -1;
	db_bind_blob(s, 1, h, sizeof(h));
	db_bind_int(s, 2, user_id);
	if (issued_by > 0)
		db_bind_int(s, 3, issued_by);
	else
		db_bind_null(s, 3);
	db_bind_int(s, 4, now);
	db_bind_int(s, 5, now + AUTH_RESET_TTL);
	int rc = db_step(s);
	db_done(s);
	db_bind_int(r, 1, user_id);
	db_bind_int(r, 2, now);
	if (issued_by > 0)
		db_bind_int(r, 3, issued_by);
	int rc2 = db_step(r);
	db_done(r);
	return rc == DB_DONE && rc2 == DB_DONE ? 0 : -1;
}

int
auth_reset_check(db_t *db, const char *token, int64_t *user_id)
{
	if (!token || !token_shape_ok(token))
		return 1;
	unsigned char h[32];
	auth_hash(token, h);
	db_stmt *s = db_prep(db, "SELECT user_id FROM reset_token WHERE token_hash = ?1"
	    " AND used_at = 0 AND expires_at > ?2");
	if (!s)
		return -1;
	db_bind_blob(s, 1, h, sizeof(h));
	db_bind_int(s, 2, now_utc());
	int rc = db_step(s);
	if (rc == DB_ROW)
		*user_id = db_col_int(s, 0);
	db_done(s);
	return rc == DB_ROW ? 0 : rc == DB_DONE ? 1 : -1;
}

int
auth_reset_use(db_t *db, const char *token, const char *password, char *err, size_t errlen)
{
	int64_t uid;
	if (user_password_ok(password, err, errlen))
		return -1;
	if (db_begin(db) != 0) {
		snprintf(err, errlen, "The database is busy; try again.");
		return -1;
	}
	int rc = auth_reset_check(db, token, &uid);
	if (rc != 0) {
		db_rollback(db);
		snprintf(err, errlen, "This reset link is not valid any more. Ask for a new one.");
		return -1;
	}
	unsigned char h[32];
	auth_hash(token, h);
	/* the link is spent, and so is every other link of the user's */
	db_stmt *s = db_prep(db, "UPDATE reset_token SET used_at = ?2 WHERE user_id = ?1 AND used_at = 0");
	if (!s || user_set_password(db, uid, password, err, errlen) != 0 || sessions_end(db, uid) != 0) {
		db_rollback(db);
		return -1;
	}
	db_bind_int(s, 1, uid);
	db_bind_int(s, 2, now_utc());
	rc = db_step(s);
	db_done(s);
	if (rc != DB_DONE || db_commit(db) != 0) {
		db_rollback(db);
		snprintf(err, errlen, "database error");
		return -1;
	}
	return 0;
}

int
auth_reset_request(db_t *db, const char *email)
{
	struct user u;
	int found = user_find_email(db, email, &u);
	if (found < 0)
		return -1;
	/* one open request per address is enough */
	db_stmt *s = db_prep(db, "INSERT INTO reset_request(email, user_id, created_at)"
	    " SELECT ?1, ?2, ?3 WHERE NOT EXISTS (SELECT 1 FROM reset_request WHERE email = ?1 AND handled_at = 0)");
	if (!s)
		return -1;
	db_bind_text(s, 1, email);
	if (found == 0)
		db_bind_int(s, 2, u.id);
	else
		db_bind_null(s, 2);
	db_bind_int(s, 3, now_utc());
	int rc = db_step(s);
	db_done(s);
	return rc == DB_DONE ? 0 : -1;
}

/* The partner company whose name is COMPANY or whose email domain is the
 * domain of EMAIL; 0 when none. */
static int64_t
match_company(db_t *db, const char *company, const char *email)
{
	const char *at = strrchr(email, '@');
	db_stmt *s = db_prep(db, "SELECT id FROM org WHERE kind = 'partner' AND (lower(name) = lower(?1)"
	    " OR instr(' ' || lower(email_domains) || ' ', ' ' || lower(?2) || ' ') > 0)"
	    " ORDER BY lower(name) = lower(?1) DESC LIMIT 1");   /* instr: a domain is text, never a pattern */
	if (!s)
		return 0;
	db_bind_text(s, 1, company);
	db_bind_text(s, 2, at ? at + 1 : "");
	int64_t id = db_step(s) == DB_ROW ? db_col_int(s, 0) : 0;
	db_done(s);
	return id;
}

int
auth_signup_add(db_t *db, const char *name, const char *email, const char *company,
    const char *phone, const char *message, char *err, size_t errlen)
{
	if (!*name || utf8_chars(name) > 120) {
		snprintf(err, errlen, "name:Enter your name (at most 120 characters).");
		return -1;
	}
	if (!user_email_ok(email)) {
		snprintf(err, errlen, "email:Enter a valid email address.");
		return -1;
	}
	if (!*company || utf8_chars(company) > 120) {
		snprintf(err, errlen, "company:Enter your company (at most 120 characters).");
		return -1;
	}
	if (utf8_chars(phone) > 40) {
		snprintf(err, errlen, "phone:Enter a phone number of at most 40 characters.");
		return -1;
	}
	if (utf8_chars(message) > 2000) {
		snprintf(err, errlen, "message:The message is limited to 2,000 characters.");
		return -1;
	}
	int64_t org = match_company(db, company, email);
	db_stmt *s = db_prep(db, "INSERT INTO signup_request(name, email, company, org_id, phone, message, created_at)"
	    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
	if (!s) {
		snprintf(err, errlen, ":database error");
		return -1;
	}
	db_bind_text(s, 1, name);
	db_bind_text(s, 2, email);
	db_bind_text(s, 3, company);
	if (org)
		db_bind_int(s, 4, org);
	db_bind_text(s, 5, phone);
	db_bind_text(s, 6, message);
	db_bind_int(s, 7, now_utc());
	int rc = db_step(s);
	db_done(s);
	if (rc != DB_DONE) {
		snprintf(err, errlen, ":database error");
		return -1;
	}
	return 0;
}

json_t *
auth_signup_pending(db_t *db, int64_t org_id, const struct tz *z)
{
	db_stmt *s = db_prep(db, "SELECT r.id, r.name, r.email, r.company, COALESCE(o.name, ''), r.phone, r.message,"
	    " r.created_at, COALESCE(r.org_id, 0) FROM signup_request r LEFT JOIN org o ON o.id = r.org_id"
	    " WHERE r.status = 'pending' AND (?1 = 0 OR r.org_id = ?1) ORDER BY r.created_at LIMIT 500");
	if (!s)
		return NULL;
	db_bind_int(s, 1, org_id);
	json_t *a = json_array();
	while (db_step(s) == DB_ROW) {
		json_t *r = json_object();
		char when[32];
		tz_fmt_datetime(z, db_col_int(s, 7), when);
		json_object_set_new(r, "id", json_integer(db_col_int(s, 0)));
		json_object_set_new(r, "name", json_string(db_col_text(s, 1)));
		json_object_set_new(r, "email", json_string(db_col_text(s, 2)));
		json_object_set_new(r, "company", json_string(db_col_text(s, 3)));
		json_object_set_new(r, "matched_company", json_string(db_col_text(s, 4)));
		json_object_set_new(r, "matched_company_id", json_integer(db_col_int(s, 8)));
		json_object_set_new(r, "phone", json_string(db_col_text(s, 5)));
		json_object_set_new(r, "message", json_string(db_col_text(s, 6)));
		json_object_set_new(r, "requested_local", json_string(when));
		json_array_append_new(a, r);
	}
	db_done(s);
	return a;
}

/* Loads pending request ID if APPROVER may decide it.  0 found, 1 not. */
static int
signup_load(db_t *db, const struct user *approver, int64_t id, char *name, char *email, int64_t *org)
{
	db_stmt *s = db_prep(db, "SELECT name, email, COALESCE(org_id, 0) FROM signup_request"
	    " WHERE id = ?1 AND status = 'pending'");
	if (!s)
		return -1;
	db_bind_int(s, 1, id);
	int rc = db_step(s);
	if (rc == DB_ROW) {
		str_copy(name, db_col_text(s, 0), 128);
		str_copy(email, db_col_text(s, 1), 256);
		*org = db_col_int(s, 2);
	}
	db_done(s);
	if (rc != DB_ROW)
		return rc == DB_DONE ? 1 : -1;
	if (!user_is_operator(approver) && (!user_is_partner_admin(approver) || *org != approver->org_id))
		return 1;
	return 0;
}

static int
signup_decide(db_t *db, const struct user *approver, int64_t id, const char *status)
{
	db_stmt *s = db_prep(db, "UPDATE signup_request SET status = ?2, decided_by = ?3, decided_at = ?4"
	    " WHERE id = ?1 AND status = 'pending'");
	if (!s)
		return -1;
	db_bind_int(s, 1, id);
	db_bind_text(s, 2, status);
	db_bind_int(s, 3, approver->id);
	db_bind_int(s, 4, now_utc());
	int rc = db_step(s);
	db_done(s);
	return rc == DB_DONE && db_changes(db) == 1 ? 0 : -1;
}

int
auth_signup_approve(db_t *db, const struct user *approver, int64_t id, int64_t org_id,
    const char *role, char token[AUTH_TOKEN_LEN], char *email_out, size_t email_len,
    char *err, size_t errlen)
{
	char name[128], email[256];
	int64_t req_org;
	if (db_begin(db)) {
		snprintf(err, errlen, "The database is busy; try again.");
		return -1;
	}
	int rc = signup_load(db, approver, id, name, email, &req_org);
	if (rc) {
		db_rollback(db);
		if (rc < 0)
			snprintf(err, errlen, "database error");
		return rc;
	}
	if (!user_is_operator(approver))
		org_id = approver->org_id;
	else if (!org_id)
		org_id = req_org;
	if (!org_id) {
		db_rollback(db);
		snprintf(err, errlen, "Choose the company this person belongs to.");
		return -1;
	}
	if (strcmp(role, "dispatcher") && strcmp(role, "admin") && strcmp(role, "technician") &&
	    !(user_is_operator(approver) && !strcmp(role, "operator"))) {
		db_rollback(db);
		snprintf(err, errlen, "Choose a role: Partner Dispatcher, Partner Admin or Technician.");
		return -1;
	}
	int64_t uid = user_add(db, org_id, email, name, role, NULL, err, errlen);
	if (uid < 0 || signup_decide(db, approver, id, "approved") || auth_reset_issue(db, uid, approver->id, token) ||
	    db_commit(db)) {
		db_rollback(db);
		if (uid >= 0)
			snprintf(err, errlen, "database error");
		return -1;
	}
	str_copy(email_out, email, email_len);
	return 0;
}

int
auth_signup_reject(db_t *db, const struct user *approver, int64_t id)
{
	char name[128], email[256];
	int64_t org;
	int rc = signup_load(db, approver, id, name, email, &org);
	if (rc)
		return rc;
	return signup_decide(db, approver, id, "rejected") ? -1 : 0;
}

json_t *
auth_reset_pending(db_t *db, int64_t org_id, const struct tz *z)
{
	db_stmt *s = db_prep(db, "SELECT r.id, r.email, u.id, u.name, r.created_at FROM reset_request r"
	    " JOIN users u ON u.id = r.user_id WHERE r.handled_at = 0 AND (?1 = 0 OR u.org_id = ?1)"
	    " ORDER BY r.created_at LIMIT 500");
	if (!s)
		return NULL;
	db_bind_int(s, 1, org_id);
	json_t *a = json_array();
	while (db_step(s) == DB_ROW) {
		json_t *r = json_object();
		char when[32];
		tz_fmt_datetime(z, db_col_int(s, 4), when);
		json_object_set_new(r, "id", json_integer(db_col_int(s, 0)));
		json_object_set_new(r, "email", json_string(db_col_text(s, 1)));
		json_object_set_new(r, "user_id", json_integer(db_col_int(s, 2)));
		json_object_set_new(r, "name", json_string(db_col_text(s, 3)));
		json_object_set_new(r, "requested_local", json_string(when));
		json_array_append_new(a, r);
	}
	db_done(s);
	return a;
}

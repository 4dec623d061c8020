/* user.c -- see user.h. */
#include "user.h"
#include "util.h"

#include <stdio.h>
#include <sodium.h>
#include <string.h>

int user_is_operator(const struct user *u) { return strcmp(u->role, "operator") == 0; }
int user_is_partner(const struct user *u) { return !strcmp(u->role, "dispatcher") || !strcmp(u->role, "admin"); }
int user_is_partner_admin(const struct user *u) { return strcmp(u->role, "admin") == 0; }

const char *
user_role_label(const char *role)
{
	if (!strcmp(role, "operator")) return "Operator";
	if (!strcmp(role, "dispatcher")) return "Partner Dispatcher";
	if (!strcmp(role, "admin")) return "Partner Admin";
	if (!strcmp(role, "technician")) return "Technician";
	return role;
}

int
user_role_valid(const char *role)
{
	return !strcmp(role, "operator") || !strcmp(role, "dispatcher") ||
	    !strcmp(role, "admin") || !strcmp(role, "technician");
}

#define USER_COLS \
	"SELECT u.id, u.org_id, u.email, u.name, u.role, u.phone, u.time_zone, u.default_view," \
	" u.disabled, o.name, o.kind FROM users u JOIN org o ON o.id = u.org_id "

static void
fill(db_stmt *s, struct user *u)
{
	memset(u, 0, sizeof(*u));
	u->id = db_col_int(s, 0);
	u->org_id = db_col_int(s, 1);
	str_copy(u->email, db_col_text(s, 2), sizeof(u->email));
	str_copy(u->name, db_col_text(s, 3), sizeof(u->name));
	str_copy(u->role, db_col_text(s, 4), sizeof(u->role));
	str_copy(u->phone, db_col_text(s, 5), sizeof(u->phone));
	str_copy(u->tz, db_col_text(s, 6), sizeof(u->tz));
	str_copy(u->default_view, db_col_text(s, 7), sizeof(u->default_view));
	u->disabled = (int)db_col_int(s, 8);
	str_copy(u->org_name, db_col_text(s, 9), sizeof(u->org_name));
	str_copy(u->org_kind, db_col_text(s, 10), sizeof(u->org_kind));
}

static int
load_one(db_stmt *s, struct user *u)
{
	if (!s)
		return -1;
	int rc = db_step(s);
	if (rc == DB_ROW)
		fill(s, u);
	db_done(s);
	return rc == DB_ROW ? 0 : rc == DB_DONE ? 1 : -1;
}

int
user_load(db_t *db, int64_t id, struct user *u)
{
	db_stmt *s = db_prep(db, USER_COLS "WHERE u.id = ?1");
	if (s)
		db_bind_int(s, 1, id);
	return load_one(s, u);
}

int
user_find_email(db_t *db, const char *email, struct user *u)
{
	db_stmt *s = db_prep(db, USER_COLS "WHERE u.email = ?1");
	if (s)
		db_bind_text(s, 1, email);
	return load_one(s, u);
}

int64_t
org_find(db_t *db, const char *name)
{
	db_stmt *s = db_prep(db, "SELECT id FROM org WHERE name = ?1");
	if (!s)
		return -1;
	db_bind_text(s, 1, name);
	int rc = db_step(s);
	int64_t id = rc == DB_ROW ? db_col_int(s, 0) : rc == DB_DONE ? 0 : -1;
	db_done(s);
	return id;
}

int64_t
org_add(db_t *db, const char *name, const char *kind, const char *domains)
{
	db_stmt *s = db_prep(db, "INSERT INTO org(name, kind, email_domains, created_at) VALUES (?1, ?2, ?3, ?4)");
	if (!s)
		return -1;
	db_bind_text(s, 1, name);
	db_bind_text(s, 2, kind);
	db_bind_text(s, 3, domains ? domains : "");
	db_bind_int(s, 4, now_utc());
	int rc = db_step(s);
	db_done(s);
	return rc == DB_DONE ? db_last_id(db) : -1;
}

int
user_email_ok(const char *e)
{
	size_t n = strlen(e);
	const char *at = strchr(e, '@');
	if (n < 3 || n > 254 || !at || at == e || strchr(at + 1, '@') || !strchr(at + 1, '.'))
		return 0;
	for (const char *p = e; *p; p++)
		if ((unsigned char)*p <= ' ' || *p == '<' || *p == '>' || *p == '"')
			return 0;
	return at[1] != '.' && e[n - 1] != '.';
}

int
user_password_ok(const char *pw, char *err, size_t errlen)
{
	size_t n = strlen(pw);
	if (n < USER_PW_MIN) {
		snprintf(err, errlen, "Password must be at least %d characters.", USER_PW_MIN);
		return -1;
	}
	if (n > USER_PW_MAX) {
		snprintf(err, errlen, "Password must be at most %d characters.", USER_PW_MAX);
		return -1;
	}
	if (!utf8_valid(pw, n)) {
		snprintf(err, errlen, "Password contains characters that are not allowed.");
		return -1;
	}
	return 0;
}

int64_t
user_add(db_t *db, int64_t org_id, const char *email, const char *name, const char *role,
    const char *password, char *err, size_t errlen)
{
	if (!user_email_ok(email)) {
		snprintf(err, errlen, "Enter a valid email address.");
		return -1;
	}
	if (!*name || utf8_chars(name) > 120) {
		snprintf(err, errlen, "Enter a name (at most 120 characters).");
		return -1;
	}
	if (!user_role_valid(role)) {
		snprintf(err, errlen, "Unknown role \"%s\": use operator, dispatcher, admin or technician.", role);
		return -1;
	}
	char hash[USER_HASH_LEN] = "";
	if (password) {
		if (user_password_ok(password, err, errlen))
			return -1;
		if (user_hash_password(password, hash)) {
			snprintf(err, errlen, "Cannot hash the password (out of memory).");
			return -1;
		}
	}
	db_stmt *s = db_prep(db, "INSERT INTO users(org_id, email, name, role, pw_hash, created_at)"
	    " VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
	if (!s) {
		snprintf(err, errlen, "database error");
		return -1;
	}
	db_bind_int(s, 1, org_id);
	db_bind_text(s, 2, email);
	db_bind_text(s, 3, name);
	db_bind_text(s, 4, role);
	db_bind_text(s, 5, hash);
	db_bind_int(s, 6, now_utc());
	int rc = db_step(s);
	db_done(s);
	if (rc == DB_CONSTRAINT) {
		snprintf(err, errlen, "A user with the email address %s already exists.", email);
		return -1;
	}
	if (rc != DB_DONE) {
		snprintf(err, errlen, "database error");
		return -1;
	}
	return db_last_id(db);
}

int
user_set_password(db_t *db, int64_t id, const char *password, char *err, size_t errlen)
{
	if (user_password_ok(password, err, errlen))
		return -1;
	char hash[USER_HASH_LEN];
	if (user_hash_password(password, hash)) {
		snprintf(err, errlen, "Cannot hash the password (out of memory).");
		return -1;
	}
	db_stmt *s = db_prep(db, "UPDATE users SET pw_hash = ?2 WHERE id = ?1");
	if (!s) {
		snprintf(err, errlen, "database error");
		return -1;
	}
	db_bind_int(s, 1, id);
	db_bind_text(s, 2, hash);
	int rc = db_step(s);
	int changed = db_changes(db);
	db_done(s);
	if (rc != DB_DONE || changed != 1) {
		snprintf(err, errlen, changed ? "database error" : "No such user.");
		return -1;
	}
	return 0;
}

int
user_set_disabled(db_t *db, int64_t id, int disabled)
{
	db_stmt *s = db_prep(db, "UPDATE users SET disabled = ?2 WHERE id = ?1");
	if (!s)
		return -1;
	db_bind_int(s, 1, id);
	db_bind_int(s, 2, disabled);
	int rc = db_step(s);
	db_done(s);
	return rc == DB_DONE ? 0 : -1;
}

int
user_set_default_view(db_t *db, int64_t id, const char *view)
{
	db_stmt *s = db_prep(db, "UPDATE users SET default_view = ?2 WHERE id = ?1");
	if (!s)
		return -1;
	db_bind_int(s, 1, id);
	db_bind_text(s, 2, view);
	int rc = db_step(s);
	db_done(s);
	return rc == DB_DONE ? 0 : -1;
}

json_t *
user_list(db_t *db, int64_t org_id)
{
	db_stmt *s = db_prep(db, "SELECT u.id, u.name, u.email, u.role, u.disabled, o.name, u.pw_hash != ''"
	    " FROM users u JOIN org o ON o.id = u.org_id WHERE (?1 = 0 OR u.org_id = ?1)"
	    " ORDER BY o.kind DESC, o.name, u.name LIMIT 1000");
	if (!s)
		return NULL;
	db_bind_int(s, 1, org_id);
	json_t *a = json_array();
	int rc;
	while ((rc = db_step(s)) == DB_ROW) {
		json_t *u = json_object();
		json_object_set_new(u, "id", json_integer(db_col_int(s, 0)));
		json_object_set_new(u, "name", json_string(db_col_text(s, 1)));
		json_object_set_new(u, "email", json_string(db_col_text(s, 2)));
		json_object_set_new(u, "role", json_string(db_col_text(s, 3)));
		json_object_set_new(u, "role_label", json_string(user_role_label(db_col_text(s, 3))));
		json_object_set_new(u, "disabled", json_boolean(db_col_int(s, 4)));
		json_object_set_new(u, "company", json_string(db_col_text(s, 5)));
		json_object_set_new(u, "has_password", json_boolean(db_col_int(s, 6)));
		json_array_append_new(a, u);
	}
	db_done(s);
	if (rc != DB_DONE) {
		json_decref(a);
		return NULL;
	}
	return a;
}

json_t *
org_list_partners(db_t *db)
{
	db_stmt *s = db_prep(db, "SELECT id, name FROM org WHERE kind = 'partner' ORDER BY name");
	if (!s)
		return NULL;
	json_t *a = json_array();
	while (db_step(s) == DB_ROW) {
		json_t *o = json_object();
		json_object_set_new(o, "id", json_integer(db_col_int(s, 0)));
		json_object_set_new(o, "name", json_string(db_col_text(s, 1)));
		json_array_append_new(a, o);
	}
	db_done(s);
	return a;
}

int
user_set_time_zone(db_t *db, int64_t id, const char *zone)
{
	db_stmt *s = db_prep(db, "UPDATE users SET time_zone = ?2 WHERE id = ?1");
	if (!s)
		return -1;
	db_bind_int(s, 1, id);
	db_bind_text(s, 2, zone);
	int rc = db_step(s);
	db_done(s);
	return rc == DB_DONE ? 0 : -1;
}

int
user_hash_password(const char *pw, char out[USER_HASH_LEN])
{
	return crypto_pwhash_str(out, pw, strlen(pw), crypto_pwhash_OPSLIMIT_INTERACTIVE,
	    crypto_pwhash_MEMLIMIT_INTERACTIVE) == 0 ? 0 : -1;
}

int
user_verify_password(const char *hash, const char *pw)
{
	if (!hash || !*hash)
		return 0;
	return crypto_pwhash_str_verify(hash, pw, strlen(pw)) == 0;
}

int
user_set_email_notifications(db_t *db, int64_t id, int on)
{
	db_stmt *s = db_prep(db, "UPDATE users SET email_notifications = ?2 WHERE id = ?1");
	if (!s)
		return -1;
	db_bind_int(s, 1, id);
	db_bind_int(s, 2, on != 0);
	int rc = db_step(s);
	db_done(s);
	return rc == DB_DONE ? 0 : -1;
}

int
org_set_travel(db_t *db, int64_t org_id, const char *miles, const char *rate, char *msg, size_t ml)
{
	int64_t m = str_to_id(miles, 3), cents = 0;
	if (m < 0 || m > 500) {
		snprintf(msg, ml, "The miles the dispatch rate covers must be a whole number from 0 to 500.");
		return USER_BAD;
	}
	if (str_to_cents(rate, &cents) < 0 || cents > 100000) {
		snprintf(msg, ml, "The Travel Cost/mile must be an amount with up to two decimals, e.g. 0.70 (at most 1000).");
		return USER_BAD;
	}
	db_stmt *s = db_prep(db, "UPDATE org SET dispatch_covered_miles = ?2, travel_rate_cents = ?3 WHERE id = ?1"
	    " AND kind = 'partner'");
	if (!s)
		return USER_ERROR;
	db_bind_int(s, 1, org_id);
	db_bind_int(s, 2, m);
	db_bind_int(s, 3, cents);
	int rc = db_step(s);
	db_done(s);
	if (rc != DB_DONE)
		return USER_ERROR;
	if (db_changes(db) != 1) {
		snprintf(msg, ml, "No such partner company.");
		return USER_NOT_FOUND;
	}
	return USER_OK;
}

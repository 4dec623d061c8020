/* token.c -- see token.h. */
#include "token.h"
#include "auth.h"
#include "util.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* 1 when ISSUER may manage the tokens of TARGET. */
static int
manages(const struct user *issuer, const struct user *target)
{
	if (issuer->id == target->id)
		return 1;
	if (user_is_operator(issuer))
		return user_is_operator(target);
	return user_is_partner_admin(issuer) && target->org_id == issuer->org_id;
}

int
token_issue(db_t *db, const struct user *issuer, int64_t user_id, const char *name, int can_write, int days,
    char out[TOKEN_LEN], char *msg, size_t ml)
{
	struct user target;
	int rc = user_load(db, user_id, &target);
	if (rc < 0)
		return TOKEN_ERROR;
	if (rc != 0 || !manages(issuer, &target)) {
		snprintf(msg, ml, "You may make tokens for yourself%s.", user_is_partner_admin(issuer) ?
		    " and your company's users" : user_is_operator(issuer) ? " and other operators" : "");
		return TOKEN_NOT_FOUND;
	}
	if (target.disabled) {
		snprintf(msg, ml, "%s is disabled: enable the account first.", target.name);
		return TOKEN_BAD;
	}
	if (str_is_blank(name) || utf8_chars(name) > TOKEN_NAME_MAX) {
		snprintf(msg, ml, "Name the token (at most %d characters), e.g. after the system that uses it.", TOKEN_NAME_MAX);
		return TOKEN_BAD;
	}
	if (days < 0 || days > TOKEN_MAX_DAYS) {
		snprintf(msg, ml, "A token expires after 1 to %d days, or never.", TOKEN_MAX_DAYS);
		return TOKEN_BAD;
	}
	char rnd[AUTH_TOKEN_LEN];
	auth_random_token(rnd);
	snprintf(out, TOKEN_LEN, TOKEN_PREFIX "%s", rnd);
	sodium_memzero(rnd, sizeof(rnd));
	unsigned char h[32];
	auth_hash(out, h);
	int64_t now = now_utc();
	db_stmt *s = db_prep(db, "INSERT INTO api_token(user_id, name, token_hash, can_write, created_by, created_at,"
	    " expires_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
	if (!s)
		goto fail;
	db_bind_int(s, 1, user_id);
	db_bind_text(s, 2, name);
	db_bind_blob(s, 3, h, sizeof(h));
	db_bind_int(s, 4, can_write != 0);
	db_bind_int(s, 5, issuer->id);
	db_bind_int(s, 6, now);
	db_bind_int(s, 7, days ? now + (int64_t)days * 86400 : 0);
	rc = db_step(s);
	db_done(s);
	if (rc != DB_DONE)
		goto fail;
	return TOKEN_OK;
fail:
	sodium_memzero(out, TOKEN_LEN);
	snprintf(msg, ml, "The token could not be made.");
	return TOKEN_ERROR;
}

int
token_check(db_t *db, const char *t, struct user *u, struct token_info *info)
{
	size_t n = strlen(t);
	if (n != TOKEN_LEN - 1 || strncmp(t, TOKEN_PREFIX, strlen(TOKEN_PREFIX)) != 0)
		return 1;
	unsigned char h[32];
	auth_hash(t, h);
	db_stmt *s = db_prep(db, "SELECT id, user_id, can_write, expires_at, revoked_at, last_used_at FROM api_token"
	    " WHERE token_hash = ?1");
	if (!s)
		return -1;
	db_bind_blob(s, 1, h, sizeof(h));
	int rc = db_step(s);
	if (rc != DB_ROW) {
		db_done(s);
		return rc == DB_DONE ? 1 : -1;
	}
	int64_t id = db_col_int(s, 0), uid = db_col_int(s, 1), exp = db_col_int(s, 3), revoked = db_col_int(s, 4);
	int64_t used = db_col_int(s, 5), now = now_utc();
	info->id = id;
	info->can_write = (int)db_col_int(s, 2);
	db_done(s);
	if (revoked || (exp && exp < now))
		return 1;
	rc = user_load(db, uid, u);
	if (rc != 0)
		return rc;
	if (u->disabled)
		return 1;
	if (used < now - 60) {
		/* noted at most once a minute, beside the request's snapshot */
		db_stmt *w = db_prep(db_side(db), "UPDATE api_token SET last_used_at = ?2 WHERE id = ?1");
		if (w) {
			db_bind_int(w, 1, id);
			db_bind_int(w, 2, now);
			db_step(w);
			db_done(w);
		}
	}
	return 0;
}

/* Who VIEWER manages, as SQL over users u: ?1 viewer id, ?2 org id, ?3
 * 1 for an operator, ?4 1 for a partner admin. */
#define MANAGED "(u.id = ?1 OR (?3 = 1 AND u.role = 'operator') OR (?4 = 1 AND u.org_id = ?2))"

static void
bind_viewer(db_stmt *s, const struct user *v)
{
	db_bind_int(s, 1, v->id);
	db_bind_int(s, 2, v->org_id);
	db_bind_int(s, 3, user_is_operator(v));
	db_bind_int(s, 4, user_is_partner_admin(v));
}

json_t *
token_list(db_t *db, const struct user *viewer, const struct tz *z)
{
	db_stmt *s = db_prep(db, "SELECT t.id, t.name, u.name, u.email, t.can_write, t.created_at, t.expires_at,"
	    " t.last_used_at, t.revoked_at FROM api_token t JOIN users u ON u.id = t.user_id WHERE " MANAGED
	    " ORDER BY t.id DESC LIMIT 500");
	if (!s)
		return NULL;
	bind_viewer(s, viewer);
	json_t *a = json_array();
	int64_t now = now_utc();
	while (db_step(s) == DB_ROW) {
		json_t *o = json_object();
		char when[32];
		json_object_set_new(o, "id", json_integer(db_col_int(s, 0)));
		json_object_set_new(o, "name", json_string(db_col_text(s, 1)));
		json_object_set_new(o, "user", json_string(db_col_text(s, 2)));
		json_object_set_new(o, "user_email", json_string(db_col_text(s, 3)));
		json_object_set_new(o, "scope", json_string(db_col_int(s, 4) ? "read, write" : "read"));
		static const char *const k[3] = { "created_local", "expires_local", "last_used_local" };
		for (int i = 0; i < 3; i++) {
			tz_fmt_datetime(z, db_col_int(s, 5 + i), when);
			json_object_set_new(o, k[i], json_string(when[0] ? when : i == 1 ? "never" : i == 2 ? "not yet" : ""));
		}
		int64_t exp = db_col_int(s, 6);
		json_object_set_new(o, "revoked", json_boolean(db_col_int(s, 8) != 0));
		json_object_set_new(o, "expired", json_boolean(exp && exp < now));
		json_object_set_new(o, "live", json_boolean(!db_col_int(s, 8) && !(exp && exp < now)));
		json_array_append_new(a, o);
	}
	db_done(s);
	return a;
}

json_t *
token_users(db_t *db, const struct user *viewer)
{
	db_stmt *s = db_prep(db, "SELECT u.id, u.name, u.email FROM users u WHERE " MANAGED " AND u.disabled = 0"
	    " ORDER BY u.id = ?1 DESC, u.name LIMIT 500");
	json_t *a = json_array();
	if (!s)
		return a;
	bind_viewer(s, viewer);
	while (db_step(s) == DB_ROW) {
		json_t *o = json_object();
		json_object_set_new(o, "id", json_integer(db_col_int(s, 0)));
		json_object_set_new(o, "name", json_string(db_col_text(s, 1)));
		json_object_set_new(o, "email", json_string(db_col_text(s, 2)));
		json_array_append_new(a, o);
	}
	db_done(s);
	return a;
}

int
token_revoke(db_t *db, const struct user *viewer, int64_t id)
{
	db_stmt *s = db_prep(db, "UPDATE api_token SET revoked_at = ?5 WHERE id = ?6 AND revoked_at = 0 AND user_id IN"
	    " (SELECT u.id FROM users u WHERE " MANAGED ")");
	if (!s)
		return TOKEN_ERROR;
	bind_viewer(s, viewer);
	db_bind_int(s, 5, now_utc());
	db_bind_int(s, 6, id);
	int rc = db_step(s);
	db_done(s);
	if (rc != DB_DONE)
		return TOKEN_ERROR;
	return db_changes(db) == 1 ? TOKEN_OK : TOKEN_NOT_FOUND;
}

int
token_idem_claim(db_t *db, int64_t user_id, const char *key, const char *request, int *status, char **body,
    char *loc, size_t loclen, char *msg, size_t ml)
{
	loc[0] = '\0';
	int64_t now = now_utc();
	/* forget old answers and claims their request never finished */
	db_stmt *s = db_prep(db, "DELETE FROM idempotency WHERE created_at < ?1 OR (status = 0 AND created_at < ?2)");
	if (!s)
		return TOKEN_ERROR;
	db_bind_int(s, 1, now - TOKEN_IDEM_TTL);
	db_bind_int(s, 2, now - TOKEN_IDEM_STALE);
	db_step(s);
	db_done(s);
	s = db_prep(db, "INSERT INTO idempotency(user_id, key, request, created_at) VALUES (?1, ?2, ?3, ?4)"
	    " ON CONFLICT DO NOTHING");
	if (!s)
		return TOKEN_ERROR;
	db_bind_int(s, 1, user_id);
	db_bind_text(s, 2, key);
	db_bind_text(s, 3, request);
	db_bind_int(s, 4, now);
	int rc = db_step(s);
	db_done(s);
	if (rc != DB_DONE)
		return TOKEN_ERROR;
	if (db_changes(db) == 1)
		return TOKEN_OK;
	s = db_prep(db, "SELECT request, status, body, location FROM idempotency WHERE user_id = ?1 AND key = ?2");
	if (!s)
		return TOKEN_ERROR;
	db_bind_int(s, 1, user_id);
	db_bind_text(s, 2, key);
	rc = db_step(s);
	int out = TOKEN_ERROR;
	if (rc == DB_ROW && strcmp(db_col_text(s, 0), request) != 0) {
		snprintf(msg, ml, "This Idempotency-Key was used for another request (%s); use a new key.", db_col_text(s, 0));
		out = TOKEN_BAD;
	} else if (rc == DB_ROW && db_col_int(s, 1) == 0) {
		snprintf(msg, ml, "A request with this Idempotency-Key is still running; retry in a moment.");
		out = TOKEN_BAD;
	} else if (rc == DB_ROW) {
		*status = (int)db_col_int(s, 1);
		*body = strdup(db_col_text(s, 2));
		str_copy(loc, db_col_text(s, 3), loclen);
		out = *body ? TOKEN_IDEM_REPLAY : TOKEN_ERROR;
	}
	db_done(s);
	return out;
}

void
token_idem_done(db_t *db, int64_t user_id, const char *key, int status, const char *body, size_t len,
    const char *loc)
{
	db_stmt *s = db_prep(db, status ? "UPDATE idempotency SET status = ?3, body = ?4, location = ?5 WHERE user_id = ?1 AND key = ?2"
	    : "DELETE FROM idempotency WHERE user_id = ?1 AND key = ?2");
	if (!s)
		return;
	db_bind_int(s, 1, user_id);
	db_bind_text(s, 2, key);
	if (status) {
		db_bind_int(s, 3, status);
		db_bind_textn(s, 4, body ? body : "", body ? len : 0);
		db_bind_text(s, 5, loc ? loc : "");
	}
	db_step(s);
	db_done(s);
}

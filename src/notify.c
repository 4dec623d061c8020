/* notify.c -- see notify.h. */
#include "notify.h"
#include "util.h"

#include <stdio.h>
#include <string.h>

static int email_on;
static char email_base[256];

void
notify_email_enable(int on, const char *base_url)
{
	email_on = on;
	str_copy(email_base, base_url ? base_url : "", sizeof(email_base));
}

const char *
notify_email_base(void)
{
	return email_base;
}

static int
enqueue_email(db_t *db, int64_t user_id, int64_t number, const char *text)
{
	if (!email_on)
		return 0;
	db_stmt *s = db_prep(db, "INSERT INTO email_outbox(to_addr, subject, body, created_at)"
	    " SELECT email, ?2, ?3, ?4 FROM users WHERE id = ?1 AND email_notifications = 1 AND disabled = 0");
	if (!s)
		return -1;
	char subject[200], body[4096];
	if (number)
		snprintf(subject, sizeof(subject), "Work Order %lld: %.120s", (long long)number, text);
	else
		snprintf(subject, sizeof(subject), "%.150s", text);
	snprintf(body, sizeof(body), "%s\r\n\r\n%s%s%lld\r\n\r\nYou receive this because of your notification settings"
	    " in Partner Connect.\r\n", text, email_base, number ? "/work-orders/" : "", (long long)number);
	db_bind_int(s, 1, user_id);
	db_bind_text(s, 2, subject);
	db_bind_text(s, 3, body);
	db_bind_int(s, 4, now_utc());
	int rc = db_step(s);
	db_done(s);
	return rc == DB_DONE ? 0 : -1;
}

/* Runs SQL with ?1 = A and ?2 = B: DB_DONE, DB_ROW (its first row only)
 * or an error. */
static int
run2(db_t *db, const char *sql, int64_t a, int64_t b)
{
	db_stmt *s = db_prep(db, sql);
	if (!s)
		return DB_ERROR;
	db_bind_int(s, 1, a);
	db_bind_int(s, 2, b);
	int rc = db_step(s);
	db_done(s);
	return rc;
}

/* 1 when USER_ID was already told about POST_ID: one notification per
 * person per event, however many ways the event reaches them.  -1 on error. */
static int
already_told(db_t *db, int64_t user_id, int64_t post_id)
{
	int rc = run2(db, "SELECT 1 FROM notification WHERE post_id = ?1 AND user_id = ?2", post_id, user_id);
	return rc == DB_ROW ? 1 : rc == DB_DONE ? 0 : -1;
}

static const struct { const char *kind, *label; } kinds[] = {
	{ "status", "What is done to my company's work orders (status, parts, holds, cancellations)" },
	{ "assignment", "New work orders and assignments" },
	{ "mention", "Mentions of me" },
	{ "reply", "Replies to my posts" },
	{ "post", "Posts on work orders I follow" },
};

const char *
notify_kind(size_t i, const char **label)
{
	if (i >= FW_ARRAY_LEN(kinds))
		return NULL;
	if (label)
		*label = kinds[i].label;
	return kinds[i].kind;
}

int
notify_wants(db_t *db, int64_t user_id, const char *kind)
{
	db_stmt *s = db_prep(db, "SELECT 1 FROM notify_pref WHERE user_id = ?1 AND kind = ?2");
	if (!s)
		return -1;
	db_bind_int(s, 1, user_id);
	db_bind_text(s, 2, kind);
	int rc = db_step(s);
	db_done(s);
	return rc == DB_ROW ? 0 : rc == DB_DONE ? 1 : -1;
}

int
notify_set_wants(db_t *db, int64_t user_id, const char *kind, int on)
{
	db_stmt *s = db_prep(db, on ? "DELETE FROM notify_pref WHERE user_id = ?1 AND kind = ?2"
	    : "INSERT INTO notify_pref(user_id, kind) VALUES (?1, ?2) ON CONFLICT DO NOTHING");
	if (!s)
		return -1;
	db_bind_int(s, 1, user_id);
	db_bind_text(s, 2, kind);
	int rc = db_step(s);
	db_done(s);
	return rc == DB_DONE ? 0 : -1;
}

int
notify_save_prefs(db_t *db, int64_t user_id, int email_each, int hour, const int *on)
{
	if (db_begin(db))
		return -1;
	int bad = user_set_email_notifications(db, user_id, email_each) || notify_set_digest(db, user_id, hour);
	for (size_t i = 0; !bad && i < FW_ARRAY_LEN(kinds); i++)
		bad = notify_set_wants(db, user_id, kinds[i].kind, on[i]);
	if (bad || db_commit(db)) {
		db_rollback(db);
		return -1;
	}
	return 0;
}

int
notify_digest_hour(db_t *db, int64_t user_id)
{
	db_stmt *s = db_prep(db, "SELECT hour FROM digest WHERE user_id = ?1");
	if (!s)
		return -2;
	db_bind_int(s, 1, user_id);
	int rc = db_step(s);
	int h = rc == DB_ROW ? (int)db_col_int(s, 0) : rc == DB_DONE ? -1 : -2;
	db_done(s);
	return h;
}

int
notify_set_digest(db_t *db, int64_t user_id, int hour)
{
	return run2(db, hour < 0 ? "DELETE FROM digest WHERE user_id = ?1 AND ?2 = ?2"
	    : "INSERT INTO digest(user_id, hour) VALUES (?1, ?2) ON CONFLICT(user_id) DO UPDATE SET hour = excluded.hour",
	    user_id, hour) == DB_DONE ? 0 : -1;
}

int
notify_digest_claim(db_t *db, int64_t user_id, int64_t day)
{
	int rc = run2(db, "UPDATE digest SET sent_day = ?2 WHERE user_id = ?1 AND sent_day < ?2", user_id, day);
	return rc != DB_DONE ? -1 : db_changes(db) == 1;
}

int
notify_email_direct(db_t *db, int64_t user_id, const char *subject, const char *text)
{
	if (!email_on)
		return 0;
	db_stmt *s = db_prep(db, "INSERT INTO email_outbox(to_addr, subject, body, created_at)"
	    " SELECT email, ?2, ?3, ?4 FROM users WHERE id = ?1 AND disabled = 0");
	if (!s)
		return -1;
	db_bind_int(s, 1, user_id);
	db_bind_text(s, 2, subject);
	db_bind_text(s, 3, text);
	db_bind_int(s, 4, now_utc());
	int rc = db_step(s);
	db_done(s);
	return rc == DB_DONE ? 0 : -1;
}

int
notify_user(db_t *db, int64_t user_id, int64_t number, int64_t post_id, const char *kind, const char *text)
{
	int wants = notify_wants(db, user_id, kind);
	if (wants <= 0)
		return wants;   /* turned off in Settings: nothing, and no error */
	if (post_id) {
		int told = already_told(db, user_id, post_id);
		if (told)
			return told < 0 ? -1 : 0;
	}
	db_stmt *s = db_prep(db, "INSERT INTO notification(user_id, wo_number, post_id, kind, text, created_at)"
	    " VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
	if (!s)
		return -1;
	db_bind_int(s, 1, user_id);
	if (number)
		db_bind_int(s, 2, number);
	if (post_id)
		db_bind_int(s, 3, post_id);
	db_bind_text(s, 4, kind);
	db_bind_text(s, 5, text);
	db_bind_int(s, 6, now_utc());
	int rc = db_step(s);
	db_done(s);
	return rc == DB_DONE ? enqueue_email(db, user_id, number, text) : -1;
}

static int
notify_query(db_t *db, const char *sql, int64_t a, int64_t b, int64_t number, int64_t post_id, const char *kind,
    const char *text)
{
	int64_t ids[512];
	size_t n = 0;
	db_stmt *s = db_prep(db, sql);
	if (!s)
		return -1;
	db_bind_int(s, 1, a);
	db_bind_int(s, 2, b);
	while (db_step(s) == DB_ROW && n < FW_ARRAY_LEN(ids))
		ids[n++] = db_col_int(s, 0);
	db_done(s);
	for (size_t i = 0; i < n; i++)
		if (notify_user(db, ids[i], number, post_id, kind, text))
			return -1;
	return 0;
}

int
notify_followers(db_t *db, int64_t number, int64_t except_user, int64_t post_id, const char *kind, const char *text)
{
	return notify_query(db, "SELECT f.user_id FROM follow f JOIN users u ON u.id = f.user_id"
	    " WHERE f.wo_number = ?1 AND f.user_id != ?2 AND u.disabled = 0", number, except_user, number, post_id, kind, text);
}

int
notify_company(db_t *db, int64_t org_id, int64_t number, int64_t post_id, const char *kind, const char *text)
{
	return notify_query(db, "SELECT id FROM users WHERE org_id = ?1 AND role IN ('dispatcher', 'admin')"
	    " AND disabled = 0 AND ?2 = ?2", org_id, 0, number, post_id, kind, text);
}

int
notify_technicians(db_t *db, int64_t number, int64_t post_id, const char *kind, const char *text)
{
	return notify_query(db, "SELECT u.id FROM wo_assignment a JOIN technician t ON t.id = a.technician_id"
	    " JOIN users u ON u.id = t.user_id WHERE a.wo_number = ?1 AND a.active = 1 AND u.disabled = 0 AND ?2 = ?2",
	    number, 0, number, post_id, kind, text);
}

int
notify_operators(db_t *db, int64_t number, int64_t except_user, int64_t post_id, const char *kind, const char *text)
{
	return notify_query(db, "SELECT id FROM users WHERE role = 'operator' AND disabled = 0 AND id != ?1 AND ?2 = ?2",
	    except_user, 0, number, post_id, kind, text);
}

json_t *
notify_list(db_t *db, int64_t user_id, int64_t before, int limit, const struct tz *z)
{
	db_stmt *s = db_prep(db, "SELECT id, COALESCE(wo_number, 0), kind, text, created_at, read_at FROM notification"
	    " WHERE user_id = ?1 AND (?2 = 0 OR id < ?2) ORDER BY id DESC LIMIT ?3");
	if (!s)
		return NULL;
	db_bind_int(s, 1, user_id);
	db_bind_int(s, 2, before);
	db_bind_int(s, 3, limit);
	json_t *a = json_array();
	while (db_step(s) == DB_ROW) {
		json_t *o = json_object();
		char when[32];
		tz_fmt_datetime(z, db_col_int(s, 4), when);
		json_object_set_new(o, "id", json_integer(db_col_int(s, 0)));
		json_object_set_new(o, "number", db_col_int(s, 1) ? json_integer(db_col_int(s, 1)) : json_null());
		json_object_set_new(o, "kind", json_string(db_col_text(s, 2)));
		json_object_set_new(o, "text", json_string(db_col_text(s, 3)));
		json_object_set_new(o, "created_local", json_string(when));
		json_object_set_new(o, "unread", json_boolean(db_col_int(s, 5) == 0));
		json_array_append_new(a, o);
	}
	db_done(s);
	return a;
}

int64_t
notify_unread(db_t *db, int64_t user_id)
{
	/* every page shows it: remembered while the database is unchanged */
	static _Thread_local struct { uint64_t version; int64_t user_id, n; } memo;
	uint64_t version = db_data_version(db);
	if (version && memo.version == version && memo.user_id == user_id)
		return memo.n;
	db_stmt *s = db_prep(db, "SELECT count(*) FROM (SELECT 1 FROM notification WHERE user_id = ?1 AND read_at = 0"
	    " LIMIT ?2) AS u");
	if (!s)
		return -1;
	db_bind_int(s, 1, user_id);
	db_bind_int(s, 2, NOTIFY_UNREAD_MAX + 1);
	int64_t n = db_step(s) == DB_ROW ? db_col_int(s, 0) : -1;
	db_done(s);
	if (version && n >= 0) {
		memo.version = version;
		memo.user_id = user_id;
		memo.n = n;
	}
	return n;
}

int
notify_mark_read(db_t *db, int64_t user_id)
{
	db = db_side(db);
	return run2(db, "UPDATE notification SET read_at = ?2 WHERE user_id = ?1 AND read_at = 0", user_id, now_utc())
	    == DB_DONE ? 0 : -1;
}

int
notify_following(db_t *db, int64_t user_id, int64_t number)
{
	int rc = run2(db, "SELECT 1 FROM follow WHERE user_id = ?1 AND wo_number = ?2", user_id, number);
	return rc == DB_ROW ? 1 : rc == DB_DONE ? 0 : -1;
}

int
notify_toggle_follow(db_t *db, int64_t user_id, int64_t number)
{
	int f = notify_following(db, user_id, number);
	if (f < 0)
		return -1;
	db_stmt *s = db_prep(db, f ? "DELETE FROM follow WHERE user_id = ?1 AND wo_number = ?2"
	    : "INSERT INTO follow(user_id, wo_number) VALUES (?1, ?2)");
	if (!s)
		return -1;
	db_bind_int(s, 1, user_id);
	db_bind_int(s, 2, number);
	int rc = db_step(s);
	db_done(s);
	return rc == DB_DONE ? !f : -1;
}

int
notify_email_pref(db_t *db, int64_t user_id)
{
	db_stmt *s = db_prep(db, "SELECT email_notifications FROM users WHERE id = ?1");
	if (!s)
		return -1;
	db_bind_int(s, 1, user_id);
	int rc = db_step(s);
	int on = rc == DB_ROW ? (int)db_col_int(s, 0) : -1;
	db_done(s);
	return on;
}

void
notify_outbox_next(db_t *db, int max_tries, int64_t *id, char *to, size_t ton, char *subject, size_t sn, char **body)
{
	*id = 0;
	*body = NULL;
	/* claimed for a minute in one statement: with several servers on one
	 * database, one sender takes each message (on PostgreSQL the others
	 * skip the locked row rather than wait for it) */
#define CLAIM(lock) "UPDATE email_outbox SET claimed_until = ?2 + 60 WHERE id = (SELECT id FROM email_outbox" \
	" WHERE sent_at = 0 AND attempts < ?1 AND claimed_until < ?2 ORDER BY id LIMIT 1" lock ")" \
	" RETURNING id, to_addr, subject, body"
	db_stmt *s = db_prep(db, db_is_pg(db) ? CLAIM(" FOR UPDATE SKIP LOCKED") : CLAIM(""));
#undef CLAIM
	if (!s)
		return;
	db_bind_int(s, 1, max_tries);
	db_bind_int(s, 2, now_utc());
	if (db_step(s) == DB_ROW) {
		*id = db_col_int(s, 0);
		str_copy(to, db_col_text(s, 1), ton);
		str_copy(subject, db_col_text(s, 2), sn);
		*body = strdup(db_col_text(s, 3));
	}
	db_done(s);
}

void
notify_outbox_done(db_t *db, int64_t id, int ok, const char *err)
{
	db_stmt *s = db_prep(db, ok ? "UPDATE email_outbox SET sent_at = ?2, attempts = attempts + 1 WHERE id = ?1"
	    : "UPDATE email_outbox SET attempts = attempts + 1, last_error = ?3, claimed_until = 0 WHERE id = ?1");
	if (!s)
		return;
	db_bind_int(s, 1, id);
	if (ok)
		db_bind_int(s, 2, now_utc());
	else
		db_bind_text(s, 3, err);
	db_step(s);
	db_done(s);
}

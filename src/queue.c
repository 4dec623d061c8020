/* queue.c -- see queue.h. */
#include "queue.h"
#include "util.h"

int
queue_add(db_t *db, int64_t number, int64_t user_id, const char *message)
{
	db_stmt *s = db_prep(db, "INSERT INTO assistance_request(wo_number, user_id, message, created_at)"
	    " VALUES (?1, ?2, ?3, ?4)");
	if (!s)
		return -1;
	db_bind_int(s, 1, number);
	db_bind_int(s, 2, user_id);
	db_bind_text(s, 3, message);
	db_bind_int(s, 4, now_utc());
	int rc = db_step(s);
	db_done(s);
	return rc == DB_DONE ? 0 : -1;
}

json_t *
queue_list(db_t *db, const struct tz *z)
{
	json_t *q = json_object();
	db_stmt *s = db_prep(db, "SELECT r.id, r.wo_number, r.message, r.created_at, u.name, o.name FROM assistance_request r"
	    " JOIN users u ON u.id = r.user_id JOIN org o ON o.id = u.org_id WHERE r.resolved_at = 0"
	    " ORDER BY r.created_at LIMIT 500");
	if (!s) {
		json_decref(q);
		return NULL;
	}
	json_t *a = json_array();
	while (db_step(s) == DB_ROW) {
		json_t *o = json_object();
		char when[32];
		tz_fmt_datetime(z, db_col_int(s, 3), when);
		json_object_set_new(o, "id", json_integer(db_col_int(s, 0)));
		json_object_set_new(o, "number", json_integer(db_col_int(s, 1)));
		json_object_set_new(o, "message", json_string(db_col_text(s, 2)));
		json_object_set_new(o, "requested_local", json_string(when));
		json_object_set_new(o, "user", json_string(db_col_text(s, 4)));
		json_object_set_new(o, "company", json_string(db_col_text(s, 5)));
		json_array_append_new(a, o);
	}
	db_done(s);
	json_object_set_new(q, "assistance", a);
	s = db_prep(db, "SELECT w.number, w.status, o.name, w.delay_reason, w.appointment_at, w.target_sla_at FROM wo w"
	    " JOIN org o ON o.id = w.owner_org_id WHERE w.state_class = 0 AND w.target_sla_at > 0"
	    " AND w.appointment_at > w.target_sla_at"
	    " ORDER BY w.appointment_at LIMIT 500");
	if (!s) {
		json_decref(q);
		return NULL;
	}
	a = json_array();
	while (db_step(s) == DB_ROW) {
		json_t *o = json_object();
		char ap[32], tg[32];
		tz_fmt_datetime(z, db_col_int(s, 4), ap);
		tz_fmt_datetime(z, db_col_int(s, 5), tg);
		json_object_set_new(o, "number", json_integer(db_col_int(s, 0)));
		json_object_set_new(o, "status", json_string(db_col_text(s, 1)));
		json_object_set_new(o, "company", json_string(db_col_text(s, 2)));
		json_object_set_new(o, "delay_reason", json_string(db_col_text(s, 3)));
		json_object_set_new(o, "appointment_local", json_string(ap));
		json_object_set_new(o, "target_sla_local", json_string(tg));
		json_array_append_new(a, o);
	}
	db_done(s);
	json_object_set_new(q, "missed_sla", a);
	return q;
}

int
queue_resolve(db_t *db, const struct user *u, int64_t id)
{
	db_stmt *s = db_prep(db, "UPDATE assistance_request SET resolved_at = ?2, resolved_by = ?3 WHERE id = ?1 AND resolved_at = 0");
	if (!s)
		return -1;
	db_bind_int(s, 1, id);
	db_bind_int(s, 2, now_utc());
	db_bind_int(s, 3, u->id);
	int rc = db_step(s);
	db_done(s);
	if (rc != DB_DONE)
		return -1;
	return db_changes(db) == 1 ? 0 : 1;
}

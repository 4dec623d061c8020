/* tech.c -- see tech.h. */
#include "tech.h"
#include "feed.h"
#include "lifecycle.h"
#include "auth.h"
#include "notify.h"
#include "util.h"
#include "wo.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const tech_override_reasons[5] = {
	"Other", "No certified technician available", "Customer request", "Emergency", "Freelancer",
};

int
tech_missing(const char *const *required, size_t nreq, const char *const *held, size_t nheld, char *out, size_t ol)
{
	int missing = 0;
	size_t o = 0;
	if (ol)
		out[0] = '\0';
	for (size_t i = 0; i < nreq; i++) {
		int have = 0;
		for (size_t k = 0; k < nheld && !have; k++)
			have = !strcmp(required[i], held[k]);
		if (have)
			continue;
		if (o < ol)
			o += (size_t)snprintf(out + o, ol - o, "%s%s", missing ? ", " : "", required[i]);
		missing++;
	}
	return missing;
}

/* The UTC date of T, YYYY-MM-DD (certification dates are days). */
static void
day_of(int64_t t, char out[16])
{
	int y, m, d;
	tz_civil_from_days(t / 86400, &y, &m, &d);
	snprintf(out, 16, "%04d-%02d-%02d", y, m, d);
}

/* O's "earned" and "expires" days (YYYY-MM-DD) as people read them, in
 * "earned_local" and "expires_local".  This function can't fail. */
static void
local_days(json_t *o)
{
	static const char *const k[2][2] = { { "earned", "earned_local" }, { "expires", "expires_local" } };
	for (int i = 0; i < 2; i++) {
		char d[16];
		const char *v = json_string_value(json_object_get(o, k[i][0]));
		tz_fmt_isoday(v ? v : "", d);
		json_object_set_new(o, k[i][1], json_string(d));
	}
}

static void
today(char out[16])
{
	day_of(now_utc(), out);
}

json_t *
tech_catalog(db_t *db)
{
	db_stmt *s = db_prep(db, "SELECT c.id, c.name, c.kind, c.validity_months, c.description,"
	    " COALESCE((SELECT group_concat(w.name, ', ') FROM work_type_certification x JOIN work_type w"
	    " ON w.id = x.work_type_id WHERE x.certification_id = c.id), '') FROM certification c ORDER BY c.name");
	if (!s)
		return NULL;
	json_t *a = json_array();
	while (db_step(s) == DB_ROW) {
		json_t *o = json_object();
		json_object_set_new(o, "id", json_integer(db_col_int(s, 0)));
		json_object_set_new(o, "name", json_string(db_col_text(s, 1)));
		json_object_set_new(o, "kind", json_string(db_col_text(s, 2)));
		json_object_set_new(o, "validity_months", json_integer(db_col_int(s, 3)));
		json_object_set_new(o, "description", json_string(db_col_text(s, 4)));
		json_object_set_new(o, "required_for", json_string(db_col_text(s, 5)));
		json_array_append_new(a, o);
	}
	db_done(s);
	return a;
}

/* Certification columns: the work order's required ones first. */
static json_t *
columns(db_t *db, int64_t number)
{
	db_stmt *s = db_prep(db, "SELECT c.id, c.name, EXISTS (SELECT 1 FROM work_type_certification x JOIN wo w"
	    " ON w.work_type_id = x.work_type_id WHERE w.number = ?1 AND x.certification_id = c.id) AS req"
	    " FROM certification c ORDER BY req DESC, c.name");
	if (!s)
		return NULL;
	db_bind_int(s, 1, number);
	json_t *a = json_array();
	while (db_step(s) == DB_ROW) {
		json_t *o = json_object();
		json_object_set_new(o, "id", json_integer(db_col_int(s, 0)));
		json_object_set_new(o, "name", json_string(db_col_text(s, 1)));
		json_object_set_new(o, "required", json_boolean(db_col_int(s, 2)));
		json_array_append_new(a, o);
	}
	db_done(s);
	return a;
}

json_t *
tech_search(db_t *db, const struct user *u, const struct tech_filter *f, int64_t number, const struct tz *z)
{
	char now[16], like[300];
	today(now);
	json_t *cols = columns(db, number);
	if (!cols)
		return NULL;
	str_like(f->email, 1, like, sizeof(like));
	int op = user_is_operator(u);
	db_stmt *s = db_prep(db,
	    "SELECT t.id, t.name, t.email, COALESCE(o.name, ''), t.street, t.city, t.state, t.postal_code, t.org_id IS NULL"
	    " FROM technician t LEFT JOIN org o ON o.id = t.org_id"
	    " WHERE (CASE WHEN ?1 = 1 THEN (t.org_id = ?2 OR (?5 = 1 AND t.org_id IS NOT NULL)) ELSE t.org_id IS NULL END)"
	    " AND (?3 = '%%' OR lower(t.email) LIKE lower(?3) ESCAPE '\\') AND (?4 = '' OR t.postal_code = ?4)"
	    " AND (?6 = '' OR lower(t.city) = lower(?6))"
	    " ORDER BY t.name LIMIT 300");
	if (!s) {
		json_decref(cols);
		return NULL;
	}
	db_bind_int(s, 1, f->my_org);
	db_bind_int(s, 2, u->org_id);
	db_bind_text(s, 3, like);
	db_bind_text(s, 4, f->postal_code ? f->postal_code : "");
	db_bind_int(s, 5, op);
	db_bind_text(s, 6, f->city ? f->city : "");
	json_t *rows = json_array();
	while (db_step(s) == DB_ROW) {
		json_t *r = json_object();
		char addr[400];
		json_object_set_new(r, "id", json_integer(db_col_int(s, 0)));
		json_object_set_new(r, "name", json_string(db_col_text(s, 1)));
		json_object_set_new(r, "email", json_string(db_col_text(s, 2)));
		json_object_set_new(r, "company", json_string(db_col_int(s, 8) ? "Freelancer" : db_col_text(s, 3)));
		json_object_set_new(r, "freelancer", json_boolean(db_col_int(s, 8)));
		snprintf(addr, sizeof(addr), "%s %s %s, %s, United States", db_col_text(s, 4), db_col_text(s, 5),
		    db_col_text(s, 6), db_col_text(s, 7));
		json_object_set_new(r, "address", json_string(addr));
		json_array_append_new(rows, r);
	}
	db_done(s);
	/* each technician's certifications, as cells in column order */
	json_t *keep = json_array();
	size_t i;
	json_t *r;
	json_array_foreach(rows, i, r) {
		db_stmt *c = db_prep(db, "SELECT certification_id, earned_on, expires_on FROM technician_certification"
		    " WHERE technician_id = ?1");
		if (!c)
			break;
		db_bind_int(c, 1, json_integer_value(json_object_get(r, "id")));
		json_t *held = json_object();
		while (db_step(c) == DB_ROW) {
			char key[24];
			snprintf(key, sizeof(key), "%lld", (long long)db_col_int(c, 0));
			json_t *h = json_object();
			json_object_set_new(h, "earned", json_string(db_col_text(c, 1)));
			json_object_set_new(h, "expires", json_string(db_col_text(c, 2)));
			json_object_set_new(h, "valid", json_boolean(strcmp(db_col_text(c, 2), now) >= 0));
			json_object_set_new(held, key, h);
		}
		db_done(c);
		int ok = 1, has_required = 1;
		for (size_t k = 0; k < f->ncerts; k++) {
			char key[24];
			snprintf(key, sizeof(key), "%lld", (long long)f->certs[k]);
			if (!json_is_true(json_object_get(json_object_get(held, key), "valid")))
				ok = 0;
		}
		json_t *cells = json_array();
		size_t j;
		json_t *col;
		json_array_foreach(cols, j, col) {
			char key[24];
			snprintf(key, sizeof(key), "%lld", (long long)json_integer_value(json_object_get(col, "id")));
			json_t *h = json_object_get(held, key);
			int valid = json_is_true(json_object_get(h, "valid"));
			if (json_is_true(json_object_get(col, "required")) && !valid)
				has_required = 0;
			json_t *cell = json_object();
			json_object_set_new(cell, "cert", json_string(json_string_value(json_object_get(col, "name"))));
			json_object_set_new(cell, "held", json_boolean(valid));
			json_object_set_new(cell, "mark", json_string(valid ? "\xe2\x9c\x93" : "X"));
			json_object_set_new(cell, "expired", json_boolean(h && !valid));
			json_object_set_new(cell, "expires", json_string(h ? json_string_value(json_object_get(h, "expires")) : ""));
			json_object_set_new(cell, "earned", json_string(h ? json_string_value(json_object_get(h, "earned")) : ""));
			local_days(cell);
			json_array_append_new(cells, cell);
		}
		json_decref(held);
		json_object_set_new(r, "cells", cells);
		json_object_set_new(r, "has_required", json_boolean(has_required));
		if (ok)
			json_array_append(keep, r);
	}
	json_decref(rows);
	(void)z;
	json_t *out = json_object();
	json_object_set_new(out, "columns", cols);
	json_object_set_new(out, "rows", keep);
	return out;
}

static int
audit(db_t *db, const struct user *u, int64_t tech, int64_t org, const char *action, const char *detail)
{
	db_stmt *s = db_prep(db, "INSERT INTO tech_audit(technician_id, org_id, action, detail, by_user, at)"
	    " VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
	if (!s)
		return -1;
	db_bind_int(s, 1, tech);
	db_bind_int(s, 2, org);
	db_bind_text(s, 3, action);
	db_bind_text(s, 4, detail);
	db_bind_int(s, 5, u->id);
	db_bind_int(s, 6, now_utc());
	int rc = db_step(s);
	db_done(s);
	return rc == DB_DONE ? 0 : -1;
}

static int
domain_ok(db_t *db, int64_t org, const char *email, char *domains, size_t dn)
{
	db_stmt *s = db_prep(db, "SELECT email_domains FROM org WHERE id = ?1");
	if (!s)
		return 0;
	db_bind_int(s, 1, org);
	domains[0] = '\0';
	if (db_step(s) == DB_ROW)
		str_copy(domains, db_col_text(s, 0), dn);
	db_done(s);
	const char *at = strrchr(email, '@');
	if (!at || !domains[0])
		return 0;
	char copy[512];
	str_copy(copy, domains, sizeof(copy));
	for (char *save = NULL, *d = strtok_r(copy, " ", &save); d; d = strtok_r(NULL, " ", &save))
		if (!strcasecmp(d, at + 1))
			return 1;
	return 0;
}

int
tech_onboard(db_t *db, const struct user *u, int64_t tech, const char *email, char *msg, size_t ml)
{
	if (!user_is_partner_admin(u)) {
		snprintf(msg, ml, "Only a partner admin onboards technicians.");
		return TECH_BAD;
	}
	char domains[512];
	if (!user_email_ok(email)) {
		snprintf(msg, ml, "Enter the technician's Corporate Email Address.");
		return TECH_BAD;
	}
	if (db_begin(db)) {
		snprintf(msg, ml, "The database is busy; try again.");
		return TECH_ERROR;
	}
	db_stmt *s = db_prep(db, "SELECT name, org_id IS NULL FROM technician WHERE id = ?1");
	if (!s)
		goto fail;
	db_bind_int(s, 1, tech);
	char name[128] = "";
	int rc = db_step(s), free_agent = 0;
	if (rc == DB_ROW) {
		str_copy(name, db_col_text(s, 0), sizeof(name));
		free_agent = (int)db_col_int(s, 1);
	}
	db_done(s);
	if (rc != DB_ROW || !free_agent) {
		db_rollback(db);
		snprintf(msg, ml, rc == DB_ROW ? "This technician already belongs to an organization." : "No such technician.");
		return rc == DB_ROW ? TECH_BAD : TECH_NOT_FOUND;
	}
	if (!domain_ok(db, u->org_id, email, domains, sizeof(domains))) {
		db_rollback(db);
		snprintf(msg, ml, "The Corporate Email Address must be on your organization's domain (%s).",
		    domains[0] ? domains : "none is set: ask the operator to add it");
		return TECH_BAD;
	}
	s = db_prep(db, "UPDATE technician SET org_id = ?2, email = ?3 WHERE id = ?1");
	if (!s)
		goto fail;
	db_bind_int(s, 1, tech);
	db_bind_int(s, 2, u->org_id);
	db_bind_text(s, 3, email);
	rc = db_step(s);
	db_done(s);
	if (rc == DB_CONSTRAINT) {
		db_rollback(db);
		snprintf(msg, ml, "Another technician already has the email address %s.", email);
		return TECH_BAD;
	}
	if (rc != DB_DONE)
		goto fail;
	s = db_prep(db, "INSERT INTO technician_membership(technician_id, org_id, joined_at, changed_by) VALUES (?1, ?2, ?3, ?4)");
	if (!s)
		goto fail;
	db_bind_int(s, 1, tech);
	db_bind_int(s, 2, u->org_id);
	db_bind_int(s, 3, now_utc());
	db_bind_int(s, 4, u->id);
	rc = db_step(s);
	db_done(s);
	if (rc != DB_DONE || audit(db, u, tech, u->org_id, "Onboard", email) || db_commit(db))
		goto fail;
	snprintf(msg, ml, "You have successfully onboarded %s.", name);
	return TECH_OK;
fail:
	db_rollback(db);
	snprintf(msg, ml, "The technician could not be onboarded; nothing was changed.");
	return TECH_ERROR;
}

/* 1 when U may offboard (a partner admin, or the operator), else 0 with MSG. */
static int
may_offboard(const struct user *u, char *msg, size_t ml)
{
	if (user_is_partner_admin(u) || user_is_operator(u))
		return 1;
	snprintf(msg, ml, "Only a partner admin offboards technicians.");
	return 0;
}

/* COLS of technician TECH when it belongs to U's company (the operator:
 * to any company): a bound statement to step, or NULL on error. */
static db_stmt *
member(db_t *db, const struct user *u, int64_t tech, const char *cols)
{
	char sql[256];
	snprintf(sql, sizeof(sql), "SELECT %s FROM technician WHERE id = ?1 AND org_id IS NOT NULL"
	    " AND (?2 = 0 OR org_id = ?2)", cols);
	db_stmt *s = db_prep(db, sql);
	if (s) {
		db_bind_int(s, 1, tech);
		db_bind_int(s, 2, user_is_operator(u) ? 0 : u->org_id);
	}
	return s;
}

int
tech_offboard(db_t *db, const struct user *u, int64_t tech, char *msg, size_t ml)
{
	if (!may_offboard(u, msg, ml))
		return TECH_BAD;
	if (db_begin(db)) {
		snprintf(msg, ml, "The database is busy; try again.");
		return TECH_ERROR;
	}
	db_stmt *s = member(db, u, tech, "org_id, name");
	if (!s)
		goto fail;
	int rc = db_step(s);
	int64_t org = rc == DB_ROW ? db_col_int(s, 0) : 0;
	char name[128] = "";
	if (rc == DB_ROW)
		str_copy(name, db_col_text(s, 1), sizeof(name));
	db_done(s);
	if (!org) {
		db_rollback(db);
		snprintf(msg, ml, "No such technician in your organization.");
		return TECH_NOT_FOUND;
	}
	int64_t now = now_utc();
	/* its open work orders need someone else; the assignments stay in history */
	int64_t open[500];
	size_t n = 0;
	s = db_prep(db, "SELECT a.wo_number FROM wo_assignment a JOIN wo w ON w.number = a.wo_number"
	    " WHERE a.technician_id = ?1 AND a.active = 1 AND w.state_class = 0");
	if (!s)
		goto fail;
	db_bind_int(s, 1, tech);
	while (db_step(s) == DB_ROW && n < FW_ARRAY_LEN(open))
		open[n++] = db_col_int(s, 0);
	db_done(s);
	for (size_t i = 0; i < n; i++) {
		if (lc_technician_gone(db, u, open[i], name))
			goto fail;
	}
	/* their login leaves with them: sessions and links end, feeds stop */
	s = db_prep(db, "SELECT COALESCE(user_id, 0) FROM technician WHERE id = ?1");
	if (!s)
		goto fail;
	db_bind_int(s, 1, tech);
	int64_t login = db_step(s) == DB_ROW ? db_col_int(s, 0) : 0;
	db_done(s);
	if (login && (user_set_disabled(db, login, 1) || auth_revoke_user(db, login)))
		goto fail;
	const char *sql[] = {
		"UPDATE wo_assignment SET active = 0 WHERE technician_id = ?1 AND active = 1 AND ?2 = ?2",
		"UPDATE technician SET org_id = NULL WHERE id = ?1 AND ?2 = ?2",
		"UPDATE technician_membership SET left_at = ?2 WHERE technician_id = ?1 AND left_at = 0",
	};
	for (size_t i = 0; i < FW_ARRAY_LEN(sql); i++) {
		s = db_prep(db, sql[i]);
		if (!s)
			goto fail;
		db_bind_int(s, 1, tech);
		db_bind_int(s, 2, now);
		rc = db_step(s);
		db_done(s);
		if (rc != DB_DONE)
			goto fail;
	}
	char detail[64];
	snprintf(detail, sizeof(detail), "%zu open work order(s) flagged for reassignment", n);
	if (audit(db, u, tech, org, "Offboard", detail) || db_commit(db))
		goto fail;
	if (n)
		snprintf(msg, ml, "You have successfully off boarded the technician. %zu open work order%s need%s another"
		    " technician.", n, n == 1 ? "" : "s", n == 1 ? "s" : "");
	else
		snprintf(msg, ml, "You have successfully off boarded the technician.");
	return TECH_OK;
fail:
	db_rollback(db);
	snprintf(msg, ml, "The technician could not be offboarded; nothing was changed.");
	return TECH_ERROR;
}

json_t *
tech_offboard_plan(db_t *db, const struct user *u, int64_t tech, char *msg, size_t ml)
{
	if (!may_offboard(u, msg, ml))
		return NULL;
	db_stmt *s = member(db, u, tech, "name, email, CASE WHEN user_id IS NULL THEN 0 ELSE 1 END");
	if (!s)
		goto fail;
	if (db_step(s) != DB_ROW) {
		db_done(s);
		snprintf(msg, ml, "No such technician in your organization.");
		return NULL;
	}
	json_t *plan = json_object(), *wos = json_array();
	json_object_set_new(plan, "id", json_integer(tech));
	json_object_set_new(plan, "name", json_string(db_col_text(s, 0)));
	json_object_set_new(plan, "email", json_string(db_col_text(s, 1)));
	json_object_set_new(plan, "has_login", json_boolean(db_col_int(s, 2)));
	json_object_set_new(plan, "work_orders", wos);
	db_done(s);
	s = db_prep(db, "SELECT w.number, w.subject, w.status FROM wo_assignment a JOIN wo w ON w.number = a.wo_number"
	    " WHERE a.technician_id = ?1 AND a.active = 1 AND w.state_class = 0 ORDER BY w.number");
	if (!s) {
		json_decref(plan);
		goto fail;
	}
	db_bind_int(s, 1, tech);
	while (db_step(s) == DB_ROW) {
		json_t *w = json_object();
		json_object_set_new(w, "number", json_integer(db_col_int(s, 0)));
		json_object_set_new(w, "subject", json_string(db_col_text(s, 1)));
		json_object_set_new(w, "status", json_string(db_col_text(s, 2)));
		json_array_append_new(wos, w);
	}
	db_done(s);
	return plan;
fail:
	snprintf(msg, ml, "The technician could not be read.");
	return NULL;
}

int
tech_assign(db_t *db, const struct user *u, int64_t number, int64_t tech, const char *reason,
    const struct tz *z, char *msg, size_t ml)
{
	if (*reason) {
		int known = 0;
		for (size_t i = 0; i < FW_ARRAY_LEN(tech_override_reasons); i++)
			known |= !strcmp(reason, tech_override_reasons[i]);
		if (!known) {
			snprintf(msg, ml, "Choose an override reason from the list.");
			return TECH_BAD;
		}
	}
	if (db_begin(db)) {
		snprintf(msg, ml, "The database is busy; try again.");
		return TECH_ERROR;
	}
	db_stmt *s = db_prep(db, "SELECT t.name, t.email, t.org_id IS NULL, COALESCE(t.user_id, 0), w.owner_org_id,"
	    " w.technician_label, w.state_class, w.appointment_at FROM technician t, wo w WHERE t.id = ?1 AND w.number = ?2"
	    " AND (t.org_id IS NULL OR t.org_id = w.owner_org_id)");
	if (!s)
		goto fail;
	db_bind_int(s, 1, tech);
	db_bind_int(s, 2, number);
	char name[128] = "", old[256] = "";
	int rc = db_step(s), freelancer = 0, open = 0;
	int64_t tuser = 0, appt = 0;
	if (rc == DB_ROW) {
		str_copy(name, db_col_text(s, 0), sizeof(name));
		freelancer = (int)db_col_int(s, 2);
		tuser = db_col_int(s, 3);
		str_copy(old, db_col_text(s, 5), sizeof(old));
		open = db_col_int(s, 6) == 0;
		appt = db_col_int(s, 7);
	}
	db_done(s);
	if (rc != DB_ROW) {
		db_rollback(db);
		snprintf(msg, ml, "Choose a technician of your organization, or a freelancer.");
		return TECH_NOT_FOUND;
	}
	if (!open) {
		db_rollback(db);
		snprintf(msg, ml, "A closed work order takes no technician.");
		return TECH_BAD;
	}
	/* required vs held, valid on the appointment's day (today when none
	 * is set or it is past): a certification that lapses before the visit
	 * does not count */
	char now[16];
	day_of(appt > now_utc() ? appt : now_utc(), now);
	s = db_prep(db, "SELECT c.name, EXISTS (SELECT 1 FROM technician_certification h WHERE h.technician_id = ?1"
	    " AND h.certification_id = c.id AND h.expires_on >= ?3) FROM work_type_certification x"
	    " JOIN certification c ON c.id = x.certification_id JOIN wo w ON w.work_type_id = x.work_type_id"
	    " WHERE w.number = ?2 ORDER BY c.name");
	if (!s)
		goto fail;
	db_bind_int(s, 1, tech);
	db_bind_int(s, 2, number);
	db_bind_text(s, 3, now);
	char missing[512] = "";
	size_t mo = 0;
	int nmissing = 0;
	while (db_step(s) == DB_ROW) {
		if (db_col_int(s, 1))
			continue;
		if (mo < sizeof(missing))
			mo += (size_t)snprintf(missing + mo, sizeof(missing) - mo, "%s%s", nmissing ? ", " : "", db_col_text(s, 0));
		nmissing++;
	}
	db_done(s);
	int override = nmissing || freelancer;
	if (override && !*reason) {
		db_rollback(db);
		if (nmissing)
			snprintf(msg, ml, "You need to provide an override reason for selecting a technician without the"
			    " required skill set. Missing Skills: %s%s.", missing, appt > now_utc() ?
			    " (valid on the appointment day)" : "");
		else
			snprintf(msg, ml, "You need to provide the reason for choosing a freelancer.");
		return TECH_MISSING_SKILLS;
	}
	int64_t t = now_utc();
	const char *method = override ? "Manual Override" : "Skills Match";
	const char *why = override ? reason : "";
	const char *sql[] = {
		"UPDATE wo_assignment SET active = 0 WHERE wo_number = ?1 AND active = 1",
		"INSERT INTO wo_assignment(wo_number, technician_id, method, override_reason, assigned_by, assigned_at)"
		" VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
	};
	for (size_t i = 0; i < FW_ARRAY_LEN(sql); i++) {
		s = db_prep(db, sql[i]);
		if (!s)
			goto fail;
		db_bind_int(s, 1, number);
		if (i == 1) {
			db_bind_int(s, 2, tech);
			db_bind_text(s, 3, method);
			db_bind_text(s, 4, why);
			db_bind_int(s, 5, u->id);
			db_bind_int(s, 6, t);
		}
		rc = db_step(s);
		db_done(s);
		if (rc != DB_DONE)
			goto fail;
	}
	if (lc_technician_set(db, u, number, old, name))
		goto fail;
	char when[32], body[700], label[200], squashed[128];
	tz_fmt_datetime(z, t, when);
	size_t k = 0;
	for (const char *p = name; *p && k + 1 < sizeof(squashed); p++)
		if (*p != ' ')
			squashed[k++] = *p;
	squashed[k] = '\0';
	if (override)
		snprintf(body, sizeof(body), "Work Order: %lld\nAssigned To: %s\nAssignment Method: %s\nOverride Reason: %s\n"
		    "Assigned On: %s", (long long)number, squashed, method, why, when);
	else
		snprintf(body, sizeof(body), "Work Order: %lld\nAssigned To: %s\nAssignment Method: %s\nAssigned On: %s",
		    (long long)number, squashed, method, when);
	feed_label(u, label, sizeof(label));
	if (feed_system(db, number, label, body, u->id, NULL))
		goto fail;
	if (tuser) {
		char text[200];
		snprintf(text, sizeof(text), "You are assigned to Work Order %lld", (long long)number);
		if (notify_user(db, tuser, number, 0, "assignment", text))
			goto fail;
	}
	if (db_commit(db))
		goto fail;
	snprintf(msg, ml, "The work order is successfully assigned to %s.", name);
	return TECH_OK;
fail:
	db_rollback(db);
	snprintf(msg, ml, "The technician could not be assigned; nothing was changed.");
	return TECH_ERROR;
}

json_t *
tech_university(db_t *db, const struct user *u, int64_t now)
{
	json_t *cat = tech_catalog(db);
	if (!cat)
		return NULL;
	char today_s[16], soon[16];
	int y, m, d;
	tz_civil_from_days(now / 86400, &y, &m, &d);
	snprintf(today_s, sizeof(today_s), "%04d-%02d-%02d", y, m, d);
	tz_civil_from_days(now / 86400 + 60, &y, &m, &d);
	snprintf(soon, sizeof(soon), "%04d-%02d-%02d", y, m, d);
	db_stmt *s = db_prep(db, "SELECT t.name, c.name, h.earned_on, h.expires_on FROM technician t"
	    " JOIN technician_certification h ON h.technician_id = t.id JOIN certification c ON c.id = h.certification_id"
	    " WHERE (?1 = 0 AND t.org_id IS NOT NULL OR t.org_id = ?1) ORDER BY t.name, c.name");
	json_t *held = json_array();
	if (s) {
		db_bind_int(s, 1, user_is_operator(u) ? 0 : u->org_id);
		while (db_step(s) == DB_ROW) {
			json_t *o = json_object();
			const char *exp = db_col_text(s, 3);
			int expired = strcmp(exp, today_s) < 0;
			json_object_set_new(o, "technician", json_string(db_col_text(s, 0)));
			json_object_set_new(o, "certification", json_string(db_col_text(s, 1)));
			json_object_set_new(o, "earned", json_string(db_col_text(s, 2)));
			json_object_set_new(o, "expires", json_string(exp));
			json_object_set_new(o, "expired", json_boolean(expired));
			json_object_set_new(o, "expiring", json_boolean(!expired && strcmp(exp, soon) <= 0));
			local_days(o);
			json_array_append_new(held, o);
		}
		db_done(s);
	}
	json_t *out = json_object();
	json_object_set_new(out, "catalog", cat);
	json_object_set_new(out, "held", held);
	return out;
}

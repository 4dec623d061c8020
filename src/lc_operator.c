/* lc_operator.c -- the operator's actions on a work order (parts chain,
 * On Hold and Resume, Reissue) and its New Work Order form.  Part of the
 * lifecycle module (see lifecycle.h, lc_int.h). */
#include "lc_int.h"
#include "hook.h"
#include "feed.h"
#include "notify.h"
#include "sla.h"
#include "status.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* The estimated delivery date field: a day, today or later, at noon in Z
 * into *EST.  0, or -1 with the field's error in ERRS. */
static int
delivery_day(lc_form *f, const struct tz *z, json_t *errs, int64_t *est)
{
	int64_t day = sla_parse_day(lc_fv(f, "estimated_delivery"));
	int y, m, d;
	if (day < 0) {
		lc_field_err(errs, "estimated_delivery", "Enter the estimated delivery date.");
		return -1;
	}
	if (day < tz_local_day(z, now_utc(), NULL)) {
		lc_field_err(errs, "estimated_delivery", "The estimated delivery cannot be in the past (or before the parts"
		    " were shipped).");
		return -1;
	}
	tz_civil_from_days(day, &y, &m, &d);
	if (tz_local_to_utc(z, y, m, d, 12, 0, est)) {
		lc_field_err(errs, "estimated_delivery", "Enter the estimated delivery date.");
		return -1;
	}
	return 0;
}

/* Sets W's estimated delivery to EST (a history row) and lets the Target
 * SLA Date follow it.  0 or -1. */
static int
set_delivery(db_t *db, const struct user *u, struct lc_wo *w, const struct tz *z, int64_t est)
{
	char a[32], b[32];
	tz_fmt_datetime(z, w->est_delivery_at, a);
	tz_fmt_datetime(z, est, b);
	if (lc_set_col(db, w->number, "est_delivery_at", NULL, est, 0) ||
	    lc_history(db, u, w->number, "Estimated Delivery Date", a, b))
		return -1;
	w->est_delivery_at = est;
	return lc_recompute_target(db, u, w);
}

int
lc_parts(db_t *db, const struct user *u, struct lc_wo *w, int action, lc_form *f, const struct tz *z, json_t *errs,
    char *msg, size_t ml)
{
	const char *to;
	if (lc_check(action, u, w, &to, msg, ml))
		return LC_REFUSED;
	if (action == SA_SHIPPED) {
		lc_text_ok(errs, "order_number", lc_fv(f, "order_number"), 1, "the RMA / FSO Order Number");
		lc_text_ok(errs, "carrier", lc_fv(f, "carrier"), 1, "the carrier");
		lc_text_ok(errs, "tracking", lc_fv(f, "tracking"), 1, "the tracking number");
		int64_t est = 0;
		delivery_day(f, z, errs, &est);
		if (json_object_size(errs))
			return LC_BAD_INPUT;
		db_stmt *s = db_prep(db, "INSERT INTO part_order(wo_number, order_number, order_class, created_at, carrier,"
		    " tracking, status, est_delivery) VALUES (?1, ?2, 'Assure Fulfillment Sales Order', ?3, ?4, ?5, 'Shipped', ?6)");
		if (!s)
			return LC_ERROR;
		db_bind_int(s, 1, w->number);
		db_bind_text(s, 2, lc_fv(f, "order_number"));
		db_bind_int(s, 3, now_utc());
		db_bind_text(s, 4, lc_fv(f, "carrier"));
		db_bind_text(s, 5, lc_fv(f, "tracking"));
		db_bind_int(s, 6, est);
		int rc = db_step(s);
		db_done(s);
		if (rc != DB_DONE || set_delivery(db, u, w, z, est))
			return LC_ERROR;
	}
	if (action == SA_DELIVERED) {
		db_stmt *s = db_prep(db, "UPDATE part_order SET status = 'Delivered', delivered_at = ?2"
		    " WHERE wo_number = ?1 AND delivered_at = 0");
		if (!s)
			return LC_ERROR;
		db_bind_int(s, 1, w->number);
		db_bind_int(s, 2, now_utc());
		int rc = db_step(s);
		db_done(s);
		/* the partner hears of it once: "Parts delivered — propose an
		 * appointment", not of each status on the way */
		if (rc != DB_DONE || (strcmp(w->status, "Parts Delivered") && lc_set_status_quiet(db, u, w, "Parts Delivered")))
			return LC_ERROR;
		if (lc_set_status_quiet(db, u, w, to))
			return LC_ERROR;
		return lc_parts_arrived(db, u, w, z) ? LC_ERROR : LC_OK;
	}
	return lc_set_status(db, u, w, to) ? LC_ERROR : LC_OK;
}

/* The carrier's tracking page for TRACKING, or "" for a carrier it does
 * not know.  This function can't fail. */
static void
tracking_link(const char *carrier, const char *tracking, char *out, size_t n)
{
	out[0] = '\0';
	if (!strcasecmp(carrier, "UPS"))
		snprintf(out, n, "https://www.ups.com/track?tracknum=%s", tracking);
	else if (!strcasecmp(carrier, "FedEx"))
		snprintf(out, n, "https://www.fedex.com/fedextrack/?trknbr=%s", tracking);
	else if (!strcasecmp(carrier, "USPS"))
		snprintf(out, n, "https://tools.usps.com/go/TrackConfirmAction?tLabels=%s", tracking);
	for (char *p = out; *p; p++)   /* a tracking number is letters and digits */
		if (*p == ' ' || *p == '"' || *p == '<' || *p == '>')
			*p = '\0';
}

/* Tells the partner the parts are there: "Parts delivered — propose an
 * appointment", the carrier's tracking link, and the latest appointment
 * inside the Target SLA Date (the schedule form offers it).  0 or -1. */
int
lc_parts_arrived(db_t *db, const struct user *u, const struct lc_wo *w, const struct tz *z)
{
	db_stmt *s = db_prep(db, "SELECT carrier, tracking FROM part_order WHERE wo_number = ?1"
	    " ORDER BY created_at DESC LIMIT 1");
	if (!s)
		return -1;
	db_bind_int(s, 1, w->number);
	char carrier[64] = "", tracking[64] = "", link[200] = "", latest[32] = "", body[600], label[200];
	if (db_step(s) == DB_ROW) {
		str_copy(carrier, db_col_text(s, 0), sizeof(carrier));
		str_copy(tracking, db_col_text(s, 1), sizeof(tracking));
	}
	db_done(s);
	tracking_link(carrier, tracking, link, sizeof(link));
	if (w->target_sla_at)
		tz_fmt_date(z, w->target_sla_at, latest);
	size_t o = (size_t)snprintf(body, sizeof(body), "Parts delivered \xe2\x80\x94 propose an appointment.");
	if (*tracking)
		o += (size_t)snprintf(body + o, sizeof(body) - o, " Tracking: %s %s%s%s", carrier, tracking, *link ? " " : "",
		    link);
	if (*latest && o < sizeof(body))
		snprintf(body + o, sizeof(body) - o, " Latest appointment inside the Target SLA Date: %s.", latest);
	int64_t post = 0;
	feed_label(u, label, sizeof(label));
	return feed_system(db, w->number, label, body, u->id, &post) || lc_tell(db, u, w, post, body, 0) ? -1 : 0;
}

int
lc_delivery_date(db_t *db, const struct user *u, struct lc_wo *w, lc_form *f, const struct tz *z, json_t *errs,
    char *msg, size_t ml)
{
	int64_t est = 0;
	if (delivery_day(f, z, errs, &est))
		return LC_BAD_INPUT;
	if (est == w->est_delivery_at)
		return LC_OK;
	char was[32], now[32], target[32], body[300], label[200];
	tz_fmt_date(z, w->est_delivery_at, was);
	tz_fmt_date(z, est, now);
	db_stmt *s = db_prep(db, "UPDATE part_order SET est_delivery = ?2 WHERE wo_number = ?1 AND delivered_at = 0");
	if (!s)
		return LC_ERROR;
	db_bind_int(s, 1, w->number);
	db_bind_int(s, 2, est);
	int rc = db_step(s);
	db_done(s);
	if (rc != DB_DONE || set_delivery(db, u, w, z, est))
		return LC_ERROR;
	tz_fmt_datetime(z, w->target_sla_at, target);
	snprintf(body, sizeof(body), "New estimated delivery: %s (was %s). The Target SLA Date is now %s.", now, was,
	    w->target_sla_at ? target : "not set");
	int64_t post = 0;
	feed_label(u, label, sizeof(label));
	return feed_system(db, w->number, label, body, u->id, &post) || lc_tell(db, u, w, post, body, 0) ? LC_ERROR
	    : LC_OK;
}

/* Resuming W: the business days it was held move its Target SLA Date
 * (history rows say so), since On Hold is the operator's time, not the
 * partner's.  0 or -1. */
static int
resume_clock(db_t *db, const struct user *u, struct lc_wo *w)
{
	const struct tz *z = tz_get(LC_BUSINESS_TZ);
	z = z ? z : tz_utc();
	if (!w->hold_since)
		return 0;
	struct sla_calendar *cal = malloc(sizeof(*cal));
	if (!cal || sla_calendar_load(db, cal)) {
		free(cal);
		return -1;
	}
	int64_t now = now_utc();
	int n = sla_business_days_between(cal, tz_local_day(z, w->hold_since, NULL), tz_local_day(z, now, NULL));
	int64_t target = sla_shift(cal, z, w->target_sla_at, n);
	free(cal);
	if (lc_set_col(db, w->number, "hold_since", NULL, 0, 0))
		return -1;
	if (!n)
		return 0;
	char a[32], b[32], held[16];
	snprintf(held, sizeof(held), "%d", n);
	lc_fmt_local(w->target_sla_at, a);
	lc_fmt_local(target, b);
	if (lc_set_col(db, w->number, "held_days", NULL, w->held_days + n, 0) ||
	    lc_history(db, u, w->number, "Business Days On Hold", "", held))
		return -1;
	w->held_days += n;
	if (w->target_sla_at) {
		if (lc_set_col(db, w->number, "target_sla_at", NULL, target, 0) ||
		    lc_history(db, u, w->number, "Target SLA Date", a, b))
			return -1;
		w->target_sla_at = target;
	}
	return lc_delay_check(db, u, w);
}

int
lc_hold(db_t *db, const struct user *u, struct lc_wo *w, int resume, lc_form *f, json_t *errs, char *msg, size_t ml)
{
	const char *to;
	if (lc_check(resume ? SA_RESUME : SA_HOLD, u, w, &to, msg, ml))
		return LC_REFUSED;
	if (resume) {
		if (lc_set_col(db, w->number, "hold_from_status", "", 0, 1) || lc_set_col(db, w->number, "hold_resume_on", "", 0, 1) ||
		    resume_clock(db, u, w))
			return LC_ERROR;
		return lc_set_status(db, u, w, to) ? LC_ERROR : LC_OK;
	}
	const char *on = lc_fv(f, "resume_on");
	int64_t day = sla_parse_day(on);
	if (day < 0)
		lc_field_err(errs, "resume_on", "Enter the date the work resumes (the scheduled repair date).");
	else if (day < now_utc() / 86400)
		lc_field_err(errs, "resume_on", "The resume date cannot be in the past.");
	lc_text_ok(errs, "reason", lc_fv(f, "reason"), 1, "why the work order is on hold");
	if (json_object_size(errs))
		return LC_BAD_INPUT;
	char note[LC_TEXT_MAX + 64];
	snprintf(note, sizeof(note), "%s (resumes %s)", lc_fv(f, "reason"), on);
	if (lc_set_col(db, w->number, "hold_from_status", w->status, 0, 1) || lc_set_col(db, w->number, "hold_resume_on", on, 0, 1) ||
	    lc_set_col(db, w->number, "hold_since", NULL, now_utc(), 0) ||
	    lc_set_col(db, w->number, "status_reason", note, 0, 1) || lc_history(db, u, w->number, "Status Reason", "", note))
		return LC_ERROR;
	return lc_set_status(db, u, w, to) ? LC_ERROR : LC_OK;
}

/* The next work order's number: the highest so far and one.  On SQLite
 * every write goes through the process's one writer; on PostgreSQL the
 * workers and nodes create at once, so the number is taken under a lock
 * held to the end of the transaction (its statement's snapshot, taken
 * after the lock, sees the number the holder before committed): without
 * it, two creates at once read the same highest number and the second
 * failed on the key (the lock's key beside the migrations' 7264001).
 * -1 on error. */
static int64_t
next_number(db_t *db)
{
	if (db_is_pg(db) && db_exec1(db, "SELECT pg_advisory_xact_lock(7264002)") != DB_DONE)
		return -1;
	db_stmt *s = db_prep(db, "SELECT COALESCE(max(number), 20088000) + 1 FROM wo");
	if (!s)
		return -1;
	int64_t n = db_step(s) == DB_ROW ? db_col_int(s, 0) : -1;
	db_done(s);
	return n;
}

/* The New Work Order form's values for reissuing W: everything the
 * original had, for the operator to correct.  NULL on error. */
static json_t *
reissue_values(db_t *db, const struct lc_wo *w)
{
	db_stmt *s = db_prep(db, "SELECT w.case_number, w.subject, w.account_id, w.territory_id,"
	    " COALESCE(w.entitlement_id, 0), w.work_type_id, w.owner_org_id, COALESCE(w.cse_user_id, 0), w.parts_needed,"
	    " COALESCE((SELECT station_id FROM wo_station WHERE wo_number = w.number ORDER BY seq LIMIT 1), 0)"
	    " FROM wo w WHERE w.number = ?1");
	if (!s)
		return NULL;
	db_bind_int(s, 1, w->number);
	if (db_step(s) != DB_ROW) {
		db_done(s);
		return NULL;
	}
	json_t *v = json_object();
	char subject[320], num[24];
	snprintf(subject, sizeof(subject), "%s (reissue of %lld)", db_col_text(s, 1), (long long)w->number);
	json_object_set_new(v, "case", json_string(db_col_text(s, 0)));
	json_object_set_new(v, "subject", json_string(subject));
	static const char *const ids[] = { "account_id", "territory_id", "entitlement_id", "work_type_id", "owner_id",
		"cse_id" };
	for (int i = 0; i < 6; i++) {
		snprintf(num, sizeof(num), "%lld", (long long)db_col_int(s, 2 + i));
		json_object_set_new(v, ids[i], json_string(db_col_int(s, 2 + i) ? num : ""));
	}
	if (db_col_int(s, 8))
		json_object_set_new(v, "parts_needed", json_string("on"));
	snprintf(num, sizeof(num), "%lld", (long long)db_col_int(s, 9));
	json_object_set_new(v, "station_id", json_string(num));
	db_done(s);
	buf_t lines;
	buf_init(&lines, LC_TEXT_MAX * 4);
	s = db_prep(db, "SELECT description FROM woli WHERE wo_number = ?1 ORDER BY line_number");
	if (s) {
		db_bind_int(s, 1, w->number);
		while (db_step(s) == DB_ROW) {
			buf_puts(&lines, db_col_text(s, 0));
			buf_puts(&lines, "\n");
		}
		db_done(s);
	}
	json_object_set_new(v, "line_items", json_string(lines.data && !lines.overflow ? lines.data : ""));
	buf_free(&lines);
	snprintf(num, sizeof(num), "%lld", (long long)w->number);
	json_object_set_new(v, "reissue_of", json_string(num));
	snprintf(num, sizeof(num), "%lld", (long long)w->version);
	json_object_set_new(v, "version", json_string(num));
	return v;
}

json_t *
lc_reissue_form(db_t *db, const struct user *u, int64_t number, char *msg, size_t ml)
{
	struct lc_wo w;
	const char *to;
	if (lc_load(db, u, number, &w) != LC_OK) {
		snprintf(msg, ml, "Work order not found.");
		return NULL;
	}
	struct lc_state st = { w.status, w.parts, w.hold_from, w.reissued_as };
	if (!lc_may(u, LA_REISSUE, &st, msg, ml) || lc_check(SA_REISSUE, u, &w, &to, msg, ml))
		return NULL;
	json_t *v = reissue_values(db, &w);
	if (!v)
		snprintf(msg, ml, "The work order could not be read.");
	return v;
}

int
lc_reissue(db_t *db, const struct user *u, struct lc_wo *w, lc_form *f, json_t *errs, char *msg, size_t ml,
    int64_t *new_number)
{
	const char *to;
	if (lc_check(SA_REISSUE, u, w, &to, msg, ml))
		return LC_REFUSED;
	/* the New Work Order form's fields (all of them: an emptied field is a
	 * correction too) over what the original had; a bare Reissue copies it */
	json_t *v = reissue_values(db, w);
	if (!v)
		return LC_ERROR;
	if (json_object_get(f, "subject")) {
		const char *k;
		json_t *x;
		json_object_del(v, "parts_needed");   /* an unticked box is not sent */
		json_object_foreach(f, k, x)
			if (json_is_string(x))
				json_object_set(v, k, x);
	}
	int64_t n = 0, owner = 0;
	int rc = lc_create_in(db, u, v, errs, msg, ml, &n, &owner);
	json_decref(v);
	if (rc != LC_OK)
		return rc;
	char a[24], b[24];
	snprintf(a, sizeof(a), "%lld", (long long)w->number);
	snprintf(b, sizeof(b), "%lld", (long long)n);
	if (lc_set_col(db, w->number, "reissued_as", NULL, n, 0) || lc_set_col(db, n, "reissued_from", NULL, w->number, 0) ||
	    lc_history(db, u, w->number, "Reissued As", "", b) || lc_history(db, u, n, "Reissued From", "", a))
		return LC_ERROR;
	char text[160];
	snprintf(text, sizeof(text), "New work order %lld assigned to your company (reissue of %lld)", (long long)n,
	    (long long)w->number);
	if (notify_company(db, owner, n, 0, "assignment", text))
		return LC_ERROR;
	*new_number = n;
	return LC_OK;
}

/* ---------- the operator's forms ---------- */

static json_t *
pairs(db_t *db, const char *sql)
{
	db_stmt *s = db_prep(db, sql);
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

json_t *
lc_address_suggestions(db_t *db, int64_t number, const char *q)
{
	db_stmt *s = db_prep(db,
	    "SELECT DISTINCT street, city, state, postal_code, country FROM ("
	    " SELECT st.street, st.city, st.state, st.postal_code, st.country FROM wo w JOIN station st"
	    "  ON st.account_id = w.account_id WHERE w.number = ?1"
	    " UNION ALL SELECT a.street, a.city, a.state, a.postal_code, a.country FROM wo w JOIN account a"
	    "  ON a.id = w.account_id WHERE w.number = ?1"
	    " UNION ALL SELECT ship_street, ship_city, ship_state, ship_postal_code, ship_country FROM wo"
	    "  WHERE owner_org_id = (SELECT owner_org_id FROM wo WHERE number = ?1) AND ship_street != ''"
	    "  AND ship_street LIKE ?2 ESCAPE '\\') AS a WHERE street != '' AND street LIKE ?2 ESCAPE '\\' LIMIT 10");
	json_t *a = json_array();
	if (!s)
		return a;
	char like[128];
	str_like(q, 0, like, sizeof(like));
	db_bind_int(s, 1, number);
	db_bind_text(s, 2, like);
	while (db_step(s) == DB_ROW) {
		json_t *r = json_object();
		json_object_set_new(r, "street", json_string(db_col_text(s, 0)));
		json_object_set_new(r, "city", json_string(db_col_text(s, 1)));
		json_object_set_new(r, "state", json_string(db_col_text(s, 2)));
		json_object_set_new(r, "postal_code", json_string(db_col_text(s, 3)));
		json_object_set_new(r, "country", json_string(db_col_text(s, 4)));
		json_array_append_new(a, r);
	}
	db_done(s);
	return a;
}

json_t *
lc_choices(db_t *db)
{
	json_t *o = json_object();
	json_object_set_new(o, "accounts", pairs(db, "SELECT id, name FROM account ORDER BY name"));
	json_object_set_new(o, "territories", pairs(db, "SELECT id, name FROM territory ORDER BY name"));
	json_object_set_new(o, "entitlements", pairs(db, "SELECT id, name FROM entitlement ORDER BY name"));
	json_object_set_new(o, "work_types", pairs(db, "SELECT id, name FROM work_type ORDER BY name"));
	json_object_set_new(o, "partners", org_list_partners(db));
	json_object_set_new(o, "cses", pairs(db, "SELECT id, name FROM users WHERE role = 'operator' AND disabled = 0 ORDER BY name"));
	json_object_set_new(o, "stations", pairs(db, "SELECT s.id, a.name || ': ' || s.name || ' (' || s.model || ', ' || s.serial || ')'"
	    " FROM station s JOIN account a ON a.id = s.account_id ORDER BY a.name, s.name"));
	return o;
}

/* The id of a row of TABLE named by the form's FIELD, or 0 with an error. */
static int64_t
pick(db_t *db, lc_form *f, const char *field, const char *sql, json_t *errs, const char *what)
{
	int64_t id = str_to_id(lc_fv(f, field), 12);
	db_stmt *s = id > 0 ? db_prep(db, sql) : NULL;
	int64_t found = 0;
	if (s) {
		db_bind_int(s, 1, id);
		found = db_step(s) == DB_ROW ? id : 0;
		db_done(s);
	}
	if (!found) {
		char m[96];
		snprintf(m, sizeof(m), "Choose %s.", what);
		lc_field_err(errs, field, m);
	}
	return found;
}

int
lc_create_in(db_t *db, const struct user *u, lc_form *f, json_t *errs, char *msg, size_t ml, int64_t *number,
    int64_t *owner_out)
{
	const char *case_no = lc_fv(f, "case"), *subject = lc_fv(f, "subject");
	if (!*case_no || strlen(case_no) > (size_t)lc_field_max("case") || !str_is_digits(case_no))
		lc_field_err(errs, "case", "Enter the Case number (digits, at most 20).");
	lc_text_ok(errs, "subject", subject, 1, "the Subject");
	int64_t acct = pick(db, f, "account_id", "SELECT 1 FROM account WHERE id = ?1", errs, "the Account");
	int64_t terr = pick(db, f, "territory_id", "SELECT 1 FROM territory WHERE id = ?1", errs, "the Service Territory");
	int64_t wt = pick(db, f, "work_type_id", "SELECT 1 FROM work_type WHERE id = ?1", errs, "the Work Type");
	int64_t owner = pick(db, f, "owner_id", "SELECT 1 FROM org WHERE id = ?1 AND kind = 'partner'", errs,
	    "the partner company to assign it to");
	int64_t st = pick(db, f, "station_id", "SELECT 1 FROM station WHERE id = ?1", errs, "the station");
	int64_t ent = *lc_fv(f, "entitlement_id") ? pick(db, f, "entitlement_id", "SELECT 1 FROM entitlement WHERE id = ?1",
	    errs, "an Entitlement or none") : 0;
	int64_t cse = *lc_fv(f, "cse_id") ? pick(db, f, "cse_id", "SELECT 1 FROM users WHERE id = ?1 AND role = 'operator'",
	    errs, "the Customer Service Executive") : u->id;
	if (st && acct) {
		db_stmt *s = db_prep(db, "SELECT 1 FROM station WHERE id = ?1 AND account_id = ?2");
		db_bind_int(s, 1, st);
		db_bind_int(s, 2, acct);
		if (db_step(s) != DB_ROW)
			lc_field_err(errs, "station_id", "Choose a station of this account.");
		db_done(s);
	}
	const char *lines = lc_fv(f, "line_items");
	lc_text_ok(errs, "line_items", lines, 1, "at least one Work Order Line Item (one per line)");
	if (json_object_size(errs)) {
		snprintf(msg, ml, "Some fields need your attention.");
		return LC_BAD_INPUT;
	}
	int64_t n = next_number(db), now = now_utc(), target = 0;
	/* the Target SLA Date goes in with the row (set after it, it moved
	 * the row in each of the indexes that hold it): from the assignment,
	 * or with parts needed from their delivery date, not known yet */
	if (ent) {
		db_stmt *d = db_prep(db, "SELECT business_days FROM entitlement WHERE id = ?1");
		int64_t days = 0;
		if (d) {
			db_bind_int(d, 1, ent);
			days = db_step(d) == DB_ROW ? db_col_int(d, 0) : 0;
			db_done(d);
		}
		if (!d || lc_target_of(db, days, lc_checked(f, "parts_needed") ? 0 : now, 0, &target))
			goto fail;
	}
	db_stmt *s = db_prep(db,
	    "INSERT INTO wo(number, case_number, subject, account_name, territory_name, status, assigned_at,"
	    " entitlement_name, work_type_name, owner_org_id, account_id, territory_id, entitlement_id, work_type_id,"
	    " cse_user_id, parts_needed, contact_id, site_street, site_city, site_state, site_postal_code, site_country,"
	    " total_stations, created_at, updated_at, target_sla_at)"
	    " SELECT ?1, ?2, ?3, a.name, t.name, 'Assigned', ?4, COALESCE(e.name, ''), w.name, ?5, a.id, t.id, e.id, w.id,"
	    " ?6, ?7, (SELECT min(id) FROM contact WHERE account_id = a.id), st.street, st.city, st.state, st.postal_code,"
	    " st.country, 1, ?4, ?4, ?13 FROM account a, territory t, work_type w, station st LEFT JOIN entitlement e ON e.id = ?8"
	    " WHERE a.id = ?9 AND t.id = ?10 AND w.id = ?11 AND st.id = ?12");
	if (!s || n < 0)
		goto fail;
	db_bind_int(s, 13, target);
	db_bind_int(s, 1, n);
	db_bind_text(s, 2, case_no);
	db_bind_text(s, 3, subject);
	db_bind_int(s, 4, now);
	db_bind_int(s, 5, owner);
	db_bind_int(s, 6, cse);
	db_bind_int(s, 7, lc_checked(f, "parts_needed"));
	if (ent)
		db_bind_int(s, 8, ent);
	db_bind_int(s, 9, acct);
	db_bind_int(s, 10, terr);
	db_bind_int(s, 11, wt);
	db_bind_int(s, 12, st);
	int rc = db_step(s);
	db_done(s);
	if (rc != DB_DONE)
		goto fail;
	s = db_prep(db, "INSERT INTO wo_station(wo_number, seq, station_id) VALUES (?1, 1, ?2)");
	db_bind_int(s, 1, n);
	db_bind_int(s, 2, st);
	rc = db_step(s);
	db_done(s);
	if (rc != DB_DONE)
		goto fail;
	/* one line item per line of text: "work type: description" or just text */
	char *copy = strdup(lines);
	int line = 0;
	for (char *save = NULL, *l = copy ? strtok_r(copy, "\n", &save) : NULL; l; l = strtok_r(NULL, "\n", &save)) {
		l = str_trim(l);
		if (!*l || line >= 50)
			continue;
		s = db_prep(db, "INSERT INTO woli(wo_number, line_number, work_type, station_id, warranty_type, description)"
		    " SELECT ?1, ?2, w.name, ?3, CASE WHEN ?4 THEN 'ChargePoint Assure' ELSE 'Standard Warranty' END, ?5"
		    " FROM work_type w WHERE w.id = ?6");
		db_bind_int(s, 1, n);
		db_bind_int(s, 2, ++line);
		db_bind_int(s, 3, st);
		db_bind_int(s, 4, ent != 0);
		db_bind_text(s, 5, l);
		db_bind_int(s, 6, wt);
		rc = db_step(s);
		db_done(s);
		if (rc != DB_DONE)
			break;
	}
	free(copy);
	if (rc != DB_DONE || !line)
		goto fail;
	char owner_name[128] = "";
	s = db_prep(db, "SELECT name FROM org WHERE id = ?1");
	db_bind_int(s, 1, owner);
	if (db_step(s) == DB_ROW)
		str_copy(owner_name, db_col_text(s, 0), sizeof(owner_name));
	db_done(s);
	if (lc_history(db, u, n, "Owner", "", owner_name) || hook_emit(db, "work_order.created", n, NULL))
		goto fail;
	if (target) {
		char from[32], to[32];
		lc_fmt_local(0, from);
		lc_fmt_local(target, to);
		if (lc_history(db, u, n, "Target SLA Date", from, to))
			goto fail;
	}
	*number = n;
	*owner_out = owner;
	return LC_OK;
fail:
	snprintf(msg, ml, "The work order could not be created; nothing was saved.");
	return LC_ERROR;
}

int
lc_created(db_t *db, const struct user *u, int64_t n, int64_t owner)
{
	char text[160];
	snprintf(text, sizeof(text), "New work order %lld assigned to your company", (long long)n);
	return notify_company(db, owner, n, 0, "assignment", text) ? -1 : 0;
}

int
lc_create(db_t *db, const struct user *u, lc_form *f, const struct tz *z, json_t *errs,
    char *msg, size_t ml, int64_t *number)
{
	(void)z;
	if (!user_is_operator(u)) {
		snprintf(msg, ml, "Only the operator creates work orders.");
		return LC_REFUSED;
	}
	if (*lc_fv(f, "reissue_of")) {
		int64_t from = str_to_id(lc_fv(f, "reissue_of"), 12);
		return lc_do(db, u, from > 0 ? from : 0, "reissue", f, z, errs, msg, ml, number);
	}
	if (db_begin(db)) {
		snprintf(msg, ml, "The database is busy; try again.");
		return LC_ERROR;
	}
	int64_t n = 0, owner = 0;
	int rc = lc_create_in(db, u, f, errs, msg, ml, &n, &owner);
	if (rc == LC_OK && (lc_created(db, u, n, owner) || db_commit(db))) {
		snprintf(msg, ml, "The work order could not be created; nothing was saved.");
		rc = LC_ERROR;
	}
	if (rc != LC_OK) {
		db_rollback(db);
		return rc;
	}
	*number = n;
	return LC_OK;
}


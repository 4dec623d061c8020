/* lifecycle.c -- see lifecycle.h. */
#include "lifecycle.h"
#include "feed.h"
#include "notify.h"
#include "sla.h"
#include "status.h"
#include "tech.h"
#include "wo.h"
#include "util.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BUSINESS_TZ "America/Chicago"   /* the zone SLA days are counted in */
#define TEXT_MAX 2000

const char *const lc_delay_reasons[9] = {
	"Delay due to Unresponsive POC", "Delay due to POC Schedule Preference",
	"O&M Partner Work Order Management Performance", "Delay due to weather", "Technician Availability",
	"Delay due to Special On-Site Requirement", "Delay due to local Regulatory/Compliance",
	"Part delivery is later than expected delivery date", "Parts arrived damaged or are missing",
};
const char *const lc_could_not_reasons[4] = {
	"Wrong Equipment Shipped", "Physical Obstructions", "Incorrect Diagnosis", "Other",
};
const char *const lc_cancel_reasons[3] = { "Self-Resolved Issue", "Customer Upgrades", "Other" };

struct lc_wo {
	int64_t number, owner_org, version, assigned_at, appointment_at, target_sla_at, est_delivery_at;
	int64_t arrive_at, depart_at, entitlement_days, covered_miles;
	int parts;
	char status[24], hold_from[24], ship_street[128], scheduling_completed[12];
	char technician_name[128], technician_phone[40];
};

/* ---------- small helpers ---------- */

static const char *
fv(lc_form *f, const char *k)
{
	json_t *v = f ? json_object_get(f, k) : NULL;
	return json_is_string(v) ? json_string_value(v) : "";
}

static void
field_err(json_t *errs, const char *field, const char *msg)
{
	if (errs && !json_object_get(errs, field))
		json_object_set_new(errs, field, json_string(msg));
}

static int
role_of(const struct user *u)
{
	return user_is_operator(u) ? SR_OPERATOR : SR_PARTNER;
}

int
lc_parse_money(const char *s, int64_t *cents)
{
	if (!*s)
		return 1;
	int64_t whole = 0;
	int digits = 0, frac = 0, fdigits = 0;
	const char *p = s;
	for (; *p >= '0' && *p <= '9'; p++) {
		if (++digits > 9)
			return -1;
		whole = whole * 10 + (*p - '0');
	}
	if (*p == '.') {
		for (p++; *p >= '0' && *p <= '9'; p++) {
			if (++fdigits > 2)
				return -1;
			frac = frac * 10 + (*p - '0');
		}
		if (fdigits == 0)
			return -1;
		if (fdigits == 1)
			frac *= 10;
	}
	if (*p || digits == 0)
		return -1;
	*cents = whole * 100 + frac;
	return 0;
}

/* "YYYY-MM-DD" and "HH:MM" in zone Z to UTC.  0 or -1. */
static int
parse_local(const char *date, const char *time, const struct tz *z, int64_t *out)
{
	int64_t day = sla_parse_day(date);
	int h, m;
	char extra;
	if (day < 0 || strlen(time) != 5 || sscanf(time, "%2d:%2d%c", &h, &m, &extra) != 2)
		return -1;
	int y, mo, d;
	tz_civil_from_days(day, &y, &mo, &d);
	return tz_local_to_utc(z, y, mo, d, h, m, out);
}

static int
phone_ok(const char *s)
{
	size_t n = strlen(s), digits = 0;
	if (n < 7 || n > 25)
		return 0;
	for (const char *p = s; *p; p++) {
		if (isdigit((unsigned char)*p))
			digits++;
		else if (!strchr(" ()+-.x", *p))
			return 0;
	}
	return digits >= 7;
}

static int
one_of(const char *v, const char *const *list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(v, list[i]))
			return 1;
	return 0;
}

static int
text_ok(json_t *errs, const char *field, const char *v, int required, const char *what)
{
	char msg[160];
	if (required && !*v) {
		snprintf(msg, sizeof(msg), "Enter %s.", what);
		field_err(errs, field, msg);
		return 0;
	}
	if (strlen(v) > TEXT_MAX) {
		snprintf(msg, sizeof(msg), "Keep %s under %d characters.", what, TEXT_MAX);
		field_err(errs, field, msg);
		return 0;
	}
	return 1;
}

/* ---------- loading and writing ---------- */

static int
load(db_t *db, const struct user *u, int64_t number, struct lc_wo *w)
{
	db_stmt *s = db_prep(db,
	    "SELECT w.number, w.owner_org_id, w.version, w.assigned_at, w.appointment_at, w.target_sla_at,"
	    " w.est_delivery_at, w.arrive_at, w.depart_at, COALESCE(e.business_days, 0), o.dispatch_covered_miles,"
	    " w.parts_needed, w.status, w.hold_from_status, w.ship_street, w.scheduling_completed, w.technician_name,"
	    " w.technician_phone FROM wo w JOIN org o ON o.id = w.owner_org_id"
	    " LEFT JOIN entitlement e ON e.id = w.entitlement_id WHERE w.number = ?1");
	if (!s)
		return LC_ERROR;
	db_bind_int(s, 1, number);
	int rc = db_step(s);
	if (rc == DB_ROW) {
		memset(w, 0, sizeof(*w));
		w->number = db_col_int(s, 0);
		w->owner_org = db_col_int(s, 1);
		w->version = db_col_int(s, 2);
		w->assigned_at = db_col_int(s, 3);
		w->appointment_at = db_col_int(s, 4);
		w->target_sla_at = db_col_int(s, 5);
		w->est_delivery_at = db_col_int(s, 6);
		w->arrive_at = db_col_int(s, 7);
		w->depart_at = db_col_int(s, 8);
		w->entitlement_days = db_col_int(s, 9);
		w->covered_miles = db_col_int(s, 10);
		w->parts = (int)db_col_int(s, 11);
		str_copy(w->status, db_col_text(s, 12), sizeof(w->status));
		str_copy(w->hold_from, db_col_text(s, 13), sizeof(w->hold_from));
		str_copy(w->ship_street, db_col_text(s, 14), sizeof(w->ship_street));
		str_copy(w->scheduling_completed, db_col_text(s, 15), sizeof(w->scheduling_completed));
		str_copy(w->technician_name, db_col_text(s, 16), sizeof(w->technician_name));
		str_copy(w->technician_phone, db_col_text(s, 17), sizeof(w->technician_phone));
	}
	db_done(s);
	if (rc != DB_ROW)
		return rc == DB_DONE ? LC_NOT_FOUND : LC_ERROR;
	/* who may act on which work order is wo_visible's rule, as for reading */
	struct wo_scope sc;
	if (wo_scope_for(u, &sc) != 0)
		wo_scope_technician(u, tech_of_user(db, u), &sc);
	if (!sc.all && !sc.tech_id && !user_is_partner(u))
		return LC_NOT_FOUND;
	int seen = wo_visible(db, &sc, number);
	return seen == WO_OK ? LC_OK : seen == WO_NOT_FOUND ? LC_NOT_FOUND : LC_ERROR;
}

/* The name history shows for U: the company for partners (as the guide's
 * history does), the person for the operator. */
static const char *
who(const struct user *u)
{
	return user_is_operator(u) ? u->name : u->org_name;
}

static int
history(db_t *db, const struct user *u, int64_t number, const char *field, const char *from, const char *to)
{
	db_stmt *s = db_prep(db, "INSERT INTO wo_history(wo_number, seq, at, field, user_id, user_label, old_value, new_value)"
	    " VALUES (?1, " WO_HISTORY_SEQ ", ?2, ?3, ?4, ?5, ?6, ?7)");
	if (!s)
		return -1;
	db_bind_int(s, 1, number);
	db_bind_int(s, 2, now_utc());
	db_bind_text(s, 3, field);
	db_bind_int(s, 4, u->id);
	db_bind_text(s, 5, who(u));
	db_bind_text(s, 6, from);
	db_bind_text(s, 7, to);
	int rc = db_step(s);
	db_done(s);
	return rc == DB_DONE ? 0 : -1;
}

static int
set_status(db_t *db, const struct user *u, struct lc_wo *w, const char *to)
{
	db_stmt *s = db_prep(db, "UPDATE wo SET status = ?2, updated_at = ?3 WHERE number = ?1");
	if (!s)
		return -1;
	db_bind_int(s, 1, w->number);
	db_bind_text(s, 2, to);
	db_bind_int(s, 3, now_utc());
	int rc = db_step(s);
	db_done(s);
	if (rc != DB_DONE || history(db, u, w->number, "Status", w->status, to))
		return -1;
	/* every status change is worth telling the feed and its followers */
	char label[200], text[200];
	feed_label(u, label, sizeof(label));
	snprintf(text, sizeof(text), "Status changed from %s to %s by %s.", w->status, to, u->name);
	if (feed_system(db, w->number, label, text, u->id))
		return -1;
	str_copy(w->status, to, sizeof(w->status));
	return 0;
}

/* Sets one column of the work order to a text or integer value. */
static int
set_col(db_t *db, int64_t number, const char *col, const char *text, int64_t num, int is_text)
{
	char sql[160];
	snprintf(sql, sizeof(sql), "UPDATE wo SET %s = ?2, updated_at = ?3 WHERE number = ?1", col);
	db_stmt *s = db_prep(db, sql);
	if (!s)
		return -1;
	db_bind_int(s, 1, number);
	if (is_text)
		db_bind_text(s, 2, text);
	else
		db_bind_int(s, 2, num);
	db_bind_int(s, 3, now_utc());
	int rc = db_step(s);
	db_done(s);
	return rc == DB_DONE ? 0 : -1;
}

static int
bump_version(db_t *db, int64_t number)
{
	db_stmt *s = db_prep(db, "UPDATE wo SET version = version + 1 WHERE number = ?1");
	if (!s)
		return -1;
	db_bind_int(s, 1, number);
	int rc = db_step(s);
	db_done(s);
	return rc == DB_DONE ? 0 : -1;
}

static void
fmt_local(int64_t t, char out[32])
{
	const struct tz *z = tz_get(BUSINESS_TZ);
	tz_fmt_datetime(z ? z : tz_utc(), t, out);
}

/* Recomputes the Target SLA Date from delivery (parts) or assignment. */
static int
recompute_target(db_t *db, const struct user *u, struct lc_wo *w)
{
	if (!w->entitlement_days)
		return 0;
	int64_t base = w->parts ? w->est_delivery_at : w->assigned_at;
	if (!base)
		return 0;
	struct sla_calendar *cal = malloc(sizeof(*cal));
	if (!cal || sla_calendar_load(db, cal)) {
		free(cal);
		return -1;
	}
	const struct tz *z = tz_get(BUSINESS_TZ);
	int64_t t = sla_target(cal, z ? z : tz_utc(), base, (int)w->entitlement_days);
	free(cal);
	if (t == w->target_sla_at)
		return 0;
	char from[32], to[32];
	fmt_local(w->target_sla_at, from);
	fmt_local(t, to);
	if (set_col(db, w->number, "target_sla_at", NULL, t, 0) || history(db, u, w->number, "Target SLA Date", from, to))
		return -1;
	w->target_sla_at = t;
	return 0;
}

/* ---------- the actions ---------- */

static int
check(int action, const struct user *u, struct lc_wo *w, const char **to, char *msg, size_t msglen)
{
	return status_check(action, role_of(u), w->status, w->parts, w->hold_from, to, msg, msglen) ? LC_REFUSED : LC_OK;
}

static int
accept_shipping(db_t *db, const struct user *u, struct lc_wo *w, lc_form *f, json_t *errs, char *msg, size_t ml)
{
	const char *to;
	if (check(SA_ACCEPT, u, w, &to, msg, ml))
		return LC_REFUSED;
	if (!w->parts) {
		snprintf(msg, ml, "This work order needs no parts: enter the travel information to accept it.");
		return LC_REFUSED;
	}
	static const struct { const char *field, *col, *what; } req[] = {
		{ "ship_to_name", "ship_name", "the Ship to Name" },
		{ "ship_to_phone", "ship_phone", "the Ship to Phone Number" },
		{ "shipping_party", "shipping_party", "the Shipping Party" },
		{ "street", "ship_street", "the Street" },
		{ "city", "ship_city", "the City" },
		{ "state", "ship_state", "the State/Province" },
		{ "postal_code", "ship_postal_code", "the PostalCode" },
		{ "country", "ship_country", "the Country" },
	};
	for (size_t i = 0; i < FW_ARRAY_LEN(req); i++)
		text_ok(errs, req[i].field, fv(f, req[i].field), 1, req[i].what);
	if (*fv(f, "ship_to_phone") && !phone_ok(fv(f, "ship_to_phone")))
		field_err(errs, "ship_to_phone", "Enter a phone number of at least 7 digits.");
	const char *needs = fv(f, "requires");
	int liftgate = !!json_is_true(json_object_get(f, "liftgate")) || !strcmp(fv(f, "liftgate"), "on");
	int pallet = !!json_is_true(json_object_get(f, "pallet_jack")) || !strcmp(fv(f, "pallet_jack"), "on");
	int none = !strcmp(needs, "none") || !strcmp(fv(f, "none"), "on");
	if (!liftgate && !pallet && !none)
		field_err(errs, "requires", "Say whether your team requires a Liftgate, a Pallet Jack, or neither.");
	if ((liftgate || pallet) && none)
		field_err(errs, "requires", "Choose Liftgate and Pallet Jack, or neither, not both.");
	if (json_object_size(errs))
		return LC_BAD_INPUT;
	char old_addr[160], new_addr[600];
	snprintf(old_addr, sizeof(old_addr), "%s", w->ship_street);
	snprintf(new_addr, sizeof(new_addr), "%s, %s, %s %s, %s", fv(f, "street"), fv(f, "city"), fv(f, "state"),
	    fv(f, "postal_code"), fv(f, "country"));
	for (size_t i = 0; i < FW_ARRAY_LEN(req); i++)
		if (set_col(db, w->number, req[i].col, fv(f, req[i].field), 0, 1))
			return LC_ERROR;
	int residential = !strcmp(fv(f, "is_residential"), "on") || json_is_true(json_object_get(f, "is_residential"));
	if (set_col(db, w->number, "ship_residential", NULL, residential, 0) ||
	    set_col(db, w->number, "ship_liftgate", NULL, liftgate, 0) ||
	    set_col(db, w->number, "ship_pallet_jack", NULL, pallet, 0) ||
	    history(db, u, w->number, "Shipping Address", old_addr, new_addr))
		return LC_ERROR;
	return LC_OK;
}

static int
accept_travel(db_t *db, const struct user *u, struct lc_wo *w, lc_form *f, json_t *errs, char *msg, size_t ml)
{
	const char *to;
	if (check(SA_ACCEPT, u, w, &to, msg, ml))
		return LC_REFUSED;
	if (w->parts && !w->ship_street[0]) {
		snprintf(msg, ml, "If Shipping Information is not added the WO will not be accepted, remaining in an"
		    " assigned state.");
		return LC_REFUSED;
	}
	int64_t dist, cost;
	int rd = lc_parse_money(fv(f, "travel_distance"), &dist);   /* same shape: up to 2 decimals */
	if (rd != 0 || dist > 1000000)
		field_err(errs, "travel_distance", rd == 1 ? "Enter the Travel Distance(mi): the round trip minus the miles"
		    " the dispatch rate covers (0 when none)." : "Enter the Travel Distance(mi) as miles, e.g. 42 or 42.5.");
	int rc = lc_parse_money(fv(f, "travel_cost"), &cost);
	if (rc != 0)
		field_err(errs, "travel_cost", rc == 1 ? "Enter the Travel Cost/mile agreed in your contract (SOW)."
		    : "Enter the Travel Cost/mile as an amount with up to two decimals, e.g. 0.65.");
	if (json_object_size(errs))
		return LC_BAD_INPUT;
	char from[24];
	str_copy(from, w->status, sizeof(from));
	if (set_col(db, w->number, "travel_distance_tenths", NULL, dist / 10, 0) ||
	    set_col(db, w->number, "travel_cost_cents", NULL, cost, 0) ||
	    set_col(db, w->number, "accepted_at", NULL, now_utc(), 0) || set_status(db, u, w, to))
		return LC_ERROR;
	return !w->parts && recompute_target(db, u, w) ? LC_ERROR : LC_OK;
}

static int
reason_action(db_t *db, const struct user *u, struct lc_wo *w, int action, lc_form *f, json_t *errs,
    char *msg, size_t ml)
{
	const char *to;
	if (check(action, u, w, &to, msg, ml))
		return LC_REFUSED;
	const char *reason = fv(f, "reason"), *comment = fv(f, "comment");
	char full[TEXT_MAX + 200];
	if (action == SA_COULD_NOT || action == SA_CANCEL) {
		const char *const *list = action == SA_CANCEL ? lc_cancel_reasons : lc_could_not_reasons;
		size_t n = action == SA_CANCEL ? FW_ARRAY_LEN(lc_cancel_reasons) : FW_ARRAY_LEN(lc_could_not_reasons);
		if (!one_of(reason, list, n))
			field_err(errs, "reason", "Choose a reason from the list.");
		else if (!strcmp(reason, "Other"))
			text_ok(errs, "comment", comment, 1, "a comment that explains the reason");
		else
			text_ok(errs, "comment", comment, 0, "the comment");
		snprintf(full, sizeof(full), "%s%s%s", reason, *comment ? ": " : "", comment);
	} else {
		text_ok(errs, "reason", reason, 1, "the reason");
		snprintf(full, sizeof(full), "%s", reason);
	}
	if (json_object_size(errs))
		return LC_BAD_INPUT;
	if (set_col(db, w->number, "status_reason", full, 0, 1) || history(db, u, w->number, "Status Reason", "", full))
		return LC_ERROR;
	if (action == SA_SEND_BACK && set_col(db, w->number, "completed_at", NULL, 0, 0))
		return LC_ERROR;
	return set_status(db, u, w, to) ? LC_ERROR : LC_OK;
}

static int
assistance(db_t *db, const struct user *u, struct lc_wo *w, lc_form *f, json_t *errs, char *msg, size_t ml)
{
	const char *m = fv(f, "message");
	if (!status_is_open(w->status)) {
		snprintf(msg, ml, "This work order is %s; use the Collaborate tab to ask about it.", w->status);
		return LC_REFUSED;
	}
	if (!text_ok(errs, "message", m, 1, "what you need help with"))
		return LC_BAD_INPUT;
	db_stmt *s = db_prep(db, "INSERT INTO assistance_request(wo_number, user_id, message, created_at)"
	    " VALUES (?1, ?2, ?3, ?4)");
	if (!s)
		return LC_ERROR;
	db_bind_int(s, 1, w->number);
	db_bind_int(s, 2, u->id);
	db_bind_text(s, 3, m);
	db_bind_int(s, 4, now_utc());
	int rc = db_step(s);
	db_done(s);
	char label[200], body[TEXT_MAX + 64];
	feed_label(u, label, sizeof(label));
	snprintf(body, sizeof(body), "Request For Assistance from %s: %s", u->name, m);
	return rc == DB_DONE && !history(db, u, w->number, "Request For Assistance", "", m) &&
	    !feed_system(db, w->number, label, body, u->id) ? LC_OK : LC_ERROR;
}

static int
schedule(db_t *db, const struct user *u, struct lc_wo *w, lc_form *f, const struct tz *z, json_t *errs,
    char *msg, size_t ml)
{
	if (!status_is_open(w->status)) {
		snprintf(msg, ml, "A work order in status %s cannot be rescheduled.", w->status);
		return LC_REFUSED;
	}
	const char *date = fv(f, "appointment_date"), *time = fv(f, "appointment_time");
	const char *tech = fv(f, "technician_name"), *phone = fv(f, "phone_number"), *sched = fv(f, "scheduling_completed");
	int64_t appt = 0;
	if (*date || *time) {
		if (parse_local(date, *time ? time : "", z, &appt))
			field_err(errs, "appointment_date", "Enter the Appointment date and time.");
		else if (appt < now_utc() && appt != w->appointment_at)
			field_err(errs, "appointment_date", "The appointment cannot be in the past.");
	}
	text_ok(errs, "technician_name", tech, 0, "the Technician Name");
	if (strlen(tech) > 120)
		field_err(errs, "technician_name", "Keep the Technician Name under 120 characters.");
	if (*phone && !phone_ok(phone))
		field_err(errs, "phone_number", "Enter a phone number of at least 7 digits.");
	if (*sched && sla_parse_day(sched) < 0)
		field_err(errs, "scheduling_completed", "Enter the Scheduling Completed date.");
	if (json_object_size(errs))
		return LC_BAD_INPUT;
	const char *delay = "";
	if (appt && w->target_sla_at && appt > w->target_sla_at && appt != w->appointment_at) {
		const char *cont = fv(f, "continue");
		if (strcmp(cont, "yes") != 0)
			return LC_CONFIRM;
		delay = fv(f, "delay_reason");
		if (!one_of(delay, lc_delay_reasons, FW_ARRAY_LEN(lc_delay_reasons))) {
			field_err(errs, "delay_reason", "Select an Option: the reason for the delay.");
			return LC_BAD_INPUT;
		}
	}
	char a[32], b[32];
	if (appt != w->appointment_at) {
		tz_fmt_datetime(z, w->appointment_at, a);
		tz_fmt_datetime(z, appt, b);
		if (set_col(db, w->number, "appointment_at", NULL, appt, 0) || history(db, u, w->number, "Appointment Date", a, b))
			return LC_ERROR;
	}
	if (*delay && (set_col(db, w->number, "delay_reason", delay, 0, 1) ||
	    history(db, u, w->number, "Delay Reason", "", delay)))
		return LC_ERROR;
	static const struct { const char *field, *col, *label; } text[] = {
		{ "technician_name", "technician_name", "Technician Name" },
		{ "phone_number", "technician_phone", "Phone Number" },
		{ "scheduling_completed", "scheduling_completed", "Scheduling Completed" },
	};
	const char *old[] = { w->technician_name, w->technician_phone, w->scheduling_completed };
	for (size_t i = 0; i < FW_ARRAY_LEN(text); i++) {
		const char *v = fv(f, text[i].field);
		if (!strcmp(v, old[i]))
			continue;
		if (set_col(db, w->number, text[i].col, v, 0, 1) || history(db, u, w->number, text[i].label, old[i], v))
			return LC_ERROR;
	}
	return LC_OK;
}

static int
site_times(db_t *db, const struct user *u, struct lc_wo *w, lc_form *f, const struct tz *z, json_t *errs,
    char *msg, size_t ml)
{
	if (!status_is_open(w->status)) {
		snprintf(msg, ml, "A work order in status %s cannot change its site times.", w->status);
		return LC_REFUSED;
	}
	int64_t arrive = 0, depart = 0;
	if (parse_local(fv(f, "arrive_date"), fv(f, "arrive_time"), z, &arrive))
		field_err(errs, "arrive_date", "Enter the Actual Site Arrive Time (Date/Time).");
	if (parse_local(fv(f, "depart_date"), fv(f, "depart_time"), z, &depart))
		field_err(errs, "depart_date", "Enter the Actual Site Departure Time (Date/Time).");
	if (arrive && depart && depart <= arrive)
		field_err(errs, "depart_date", "The departure must be after the arrival.");
	if (arrive > now_utc() + 3600)
		field_err(errs, "arrive_date", "The arrival cannot be in the future.");
	if (json_object_size(errs))
		return LC_BAD_INPUT;
	char a[32], b[32];
	tz_fmt_datetime(z, w->arrive_at, a);
	tz_fmt_datetime(z, arrive, b);
	if (set_col(db, w->number, "arrive_at", NULL, arrive, 0) ||
	    history(db, u, w->number, "Actual Site Arrive Time", a, b))
		return LC_ERROR;
	tz_fmt_datetime(z, w->depart_at, a);
	tz_fmt_datetime(z, depart, b);
	if (set_col(db, w->number, "depart_at", NULL, depart, 0) ||
	    history(db, u, w->number, "Actual Site Departure Time", a, b))
		return LC_ERROR;
	return LC_OK;
}

static int
woli_complete(db_t *db, const struct user *u, struct lc_wo *w, lc_form *f, json_t *errs, char *msg, size_t ml)
{
	if (strcmp(w->status, "In Progress") != 0) {
		snprintf(msg, ml, "Line items are completed while the work order is In Progress; it is %s.", w->status);
		return LC_REFUSED;
	}
	int64_t line = str_to_id(fv(f, "line"), 6);
	db_stmt *s = db_prep(db, "SELECT min(line_number) FROM woli WHERE wo_number = ?1 AND status != 'Completed'");
	if (!s)
		return LC_ERROR;
	db_bind_int(s, 1, w->number);
	int64_t next = db_step(s) == DB_ROW && !db_col_is_null(s, 0) ? db_col_int(s, 0) : 0;
	db_done(s);
	if (!next) {
		snprintf(msg, ml, "Every line item is already completed.");
		return LC_REFUSED;
	}
	if (line != next) {
		snprintf(msg, ml, "Work is done in order of the line item number: complete WOLI %lld first.", (long long)next);
		return LC_REFUSED;
	}
	s = db_prep(db, "UPDATE woli SET status = 'Completed', completed_at = ?3 WHERE wo_number = ?1 AND line_number = ?2");
	if (!s)
		return LC_ERROR;
	db_bind_int(s, 1, w->number);
	db_bind_int(s, 2, line);
	db_bind_int(s, 3, now_utc());
	int rc = db_step(s);
	db_done(s);
	char label[40];
	snprintf(label, sizeof(label), "Line Item %08lld", (long long)line);
	return rc == DB_DONE && !history(db, u, w->number, label, "New", "Completed") ? LC_OK : LC_ERROR;
}

json_t *
lc_missing_for_complete(db_t *db, int64_t number)
{
	db_stmt *s = db_prep(db, "SELECT scheduling_completed, appointment_at, technician_name, technician_phone,"
	    " arrive_at, depart_at, (SELECT count(*) FROM woli WHERE wo_number = ?1 AND status != 'Completed')"
	    " FROM wo WHERE number = ?1");
	if (!s)
		return NULL;
	db_bind_int(s, 1, number);
	if (db_step(s) != DB_ROW) {
		db_done(s);
		return NULL;
	}
	json_t *a = json_array();
	if (!*db_col_text(s, 0))
		json_array_append_new(a, json_string("Scheduling Completed Date"));
	if (!db_col_int(s, 1))
		json_array_append_new(a, json_string("Appointment Date"));
	if (!*db_col_text(s, 2))
		json_array_append_new(a, json_string("Technician Name"));
	if (!*db_col_text(s, 3))
		json_array_append_new(a, json_string("Technician Phone Number"));
	if (!db_col_int(s, 4))
		json_array_append_new(a, json_string("Actual Site Arrive Time (Date/Time)"));
	if (!db_col_int(s, 5))
		json_array_append_new(a, json_string("Actual Site Departure Time (Date/Time)"));
	if (db_col_int(s, 4) && db_col_int(s, 5) && db_col_int(s, 5) <= db_col_int(s, 4))
		json_array_append_new(a, json_string("Actual Site Departure Time after the Arrive Time"));
	if (db_col_int(s, 6))
		json_array_append_new(a, json_string("Every Work Order Line Item completed, in number order"));
	db_done(s);
	return a;
}

static int
complete(db_t *db, const struct user *u, struct lc_wo *w, lc_form *f, json_t *errs, char *msg, size_t ml)
{
	const char *to;
	if (check(SA_COMPLETE, u, w, &to, msg, ml))
		return LC_REFUSED;
	json_t *missing = lc_missing_for_complete(db, w->number);
	if (!missing)
		return LC_ERROR;
	if (json_array_size(missing)) {
		size_t o = (size_t)snprintf(msg, ml, "The work order cannot be closed until these are filled in: ");
		size_t i;
		json_t *m;
		json_array_foreach(missing, i, m) {
			if (o < ml)
				o += (size_t)snprintf(msg + o, ml - o, "%s%s", i ? ", " : "", json_string_value(m));
		}
		if (o < ml)
			snprintf(msg + o, ml - o, ".");
		json_decref(missing);
		return LC_REFUSED;
	}
	json_decref(missing);
	int64_t rc_cents = 0, pc_cents = 0;
	int rr = lc_parse_money(fv(f, "rental_cost"), &rc_cents), pr = lc_parse_money(fv(f, "permit_cost"), &pc_cents);
	if (rr < 0)
		field_err(errs, "rental_cost", "Enter the Rental Equipment Cost as an amount with up to two decimals, or leave it blank.");
	if (pr < 0)
		field_err(errs, "permit_cost", "Enter the Permit Cost as an amount with up to two decimals, or leave it blank.");
	text_ok(errs, "rental_details", fv(f, "rental_details"), rr == 0, "the Rental Equipment Details for the cost");
	text_ok(errs, "permit_details", fv(f, "permit_details"), pr == 0, "the Permit Details for the cost");
	if (json_object_size(errs))
		return LC_BAD_INPUT;
	db_stmt *s = db_prep(db, "UPDATE wo SET rental_details = ?2, rental_cost_cents = ?3, permit_details = ?4,"
	    " permit_cost_cents = ?5, completed_at = ?6 WHERE number = ?1");
	if (!s)
		return LC_ERROR;
	db_bind_int(s, 1, w->number);
	db_bind_text(s, 2, fv(f, "rental_details"));
	if (rr == 0)
		db_bind_int(s, 3, rc_cents);
	db_bind_text(s, 4, fv(f, "permit_details"));
	if (pr == 0)
		db_bind_int(s, 5, pc_cents);
	db_bind_int(s, 6, now_utc());
	int rc = db_step(s);
	db_done(s);
	return rc == DB_DONE && !set_status(db, u, w, to) ? LC_OK : LC_ERROR;
}

static int
parts(db_t *db, const struct user *u, struct lc_wo *w, int action, lc_form *f, const struct tz *z, json_t *errs,
    char *msg, size_t ml)
{
	const char *to;
	if (check(action, u, w, &to, msg, ml))
		return LC_REFUSED;
	if (action == SA_SHIPPED) {
		text_ok(errs, "order_number", fv(f, "order_number"), 1, "the RMA / FSO Order Number");
		text_ok(errs, "carrier", fv(f, "carrier"), 1, "the carrier");
		text_ok(errs, "tracking", fv(f, "tracking"), 1, "the tracking number");
		int64_t day = sla_parse_day(fv(f, "estimated_delivery"));
		if (day < 0)
			field_err(errs, "estimated_delivery", "Enter the estimated delivery date.");
		if (json_object_size(errs))
			return LC_BAD_INPUT;
		int y, m, d;
		int64_t est;
		tz_civil_from_days(day, &y, &m, &d);
		if (tz_local_to_utc(z, y, m, d, 12, 0, &est))
			return LC_BAD_INPUT;
		db_stmt *s = db_prep(db, "INSERT INTO part_order(wo_number, order_number, order_class, created_at, carrier,"
		    " tracking, status, est_delivery) VALUES (?1, ?2, 'Assure Fulfillment Sales Order', ?3, ?4, ?5, 'Shipped', ?6)");
		if (!s)
			return LC_ERROR;
		db_bind_int(s, 1, w->number);
		db_bind_text(s, 2, fv(f, "order_number"));
		db_bind_int(s, 3, now_utc());
		db_bind_text(s, 4, fv(f, "carrier"));
		db_bind_text(s, 5, fv(f, "tracking"));
		db_bind_int(s, 6, est);
		int rc = db_step(s);
		db_done(s);
		char a[32], b[32];
		tz_fmt_datetime(z, w->est_delivery_at, a);
		tz_fmt_datetime(z, est, b);
		if (rc != DB_DONE || set_col(db, w->number, "est_delivery_at", NULL, est, 0) ||
		    history(db, u, w->number, "Estimated Delivery Date", a, b))
			return LC_ERROR;
		w->est_delivery_at = est;
		if (recompute_target(db, u, w))
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
		if (rc != DB_DONE || (strcmp(w->status, "Parts Delivered") && set_status(db, u, w, "Parts Delivered")))
			return LC_ERROR;
	}
	return set_status(db, u, w, to) ? LC_ERROR : LC_OK;
}

static int
hold(db_t *db, const struct user *u, struct lc_wo *w, int resume, lc_form *f, json_t *errs, char *msg, size_t ml)
{
	const char *to;
	if (check(resume ? SA_RESUME : SA_HOLD, u, w, &to, msg, ml))
		return LC_REFUSED;
	if (resume) {
		if (set_col(db, w->number, "hold_from_status", "", 0, 1) || set_col(db, w->number, "hold_resume_on", "", 0, 1))
			return LC_ERROR;
		return set_status(db, u, w, to) ? LC_ERROR : LC_OK;
	}
	const char *on = fv(f, "resume_on");
	int64_t day = sla_parse_day(on);
	if (day < 0)
		field_err(errs, "resume_on", "Enter the date the work resumes (the scheduled repair date).");
	else if (day < now_utc() / 86400)
		field_err(errs, "resume_on", "The resume date cannot be in the past.");
	text_ok(errs, "reason", fv(f, "reason"), 1, "why the work order is on hold");
	if (json_object_size(errs))
		return LC_BAD_INPUT;
	char note[TEXT_MAX + 64];
	snprintf(note, sizeof(note), "%s (resumes %s)", fv(f, "reason"), on);
	if (set_col(db, w->number, "hold_from_status", w->status, 0, 1) || set_col(db, w->number, "hold_resume_on", on, 0, 1) ||
	    set_col(db, w->number, "status_reason", note, 0, 1) || history(db, u, w->number, "Status Reason", "", note))
		return LC_ERROR;
	return set_status(db, u, w, to) ? LC_ERROR : LC_OK;
}

static int64_t
next_number(db_t *db)
{
	db_stmt *s = db_prep(db, "SELECT COALESCE(max(number), 20088000) + 1 FROM wo");
	if (!s)
		return -1;
	int64_t n = db_step(s) == DB_ROW ? db_col_int(s, 0) : -1;
	db_done(s);
	return n;
}

static int
reissue(db_t *db, const struct user *u, struct lc_wo *w, char *msg, size_t ml, int64_t *new_number)
{
	const char *to;
	if (check(SA_REISSUE, u, w, &to, msg, ml))
		return LC_REFUSED;
	db_stmt *s = db_prep(db, "SELECT reissued_as FROM wo WHERE number = ?1");
	if (!s)
		return LC_ERROR;
	db_bind_int(s, 1, w->number);
	int64_t already = db_step(s) == DB_ROW ? db_col_int(s, 0) : 0;
	db_done(s);
	if (already) {
		snprintf(msg, ml, "This work order was already reissued as %lld.", (long long)already);
		return LC_REFUSED;
	}
	int64_t n = next_number(db), now = now_utc();
	if (n < 0)
		return LC_ERROR;
	s = db_prep(db,
	    "INSERT INTO wo(number, case_number, subject, account_name, territory_name, status, assigned_at,"
	    " entitlement_name, work_type_name, owner_org_id, account_id, territory_id, entitlement_id, work_type_id,"
	    " cse_user_id, parts_needed, contact_id, total_stations, site_validations, site_street, site_city, site_state,"
	    " site_postal_code, site_country, reissued_from, created_at, updated_at)"
	    " SELECT ?2, case_number, subject || ' (reissue of ' || number || ')', account_name, territory_name,"
	    " 'Assigned', ?3, entitlement_name, work_type_name, owner_org_id, account_id, territory_id, entitlement_id,"
	    " work_type_id, cse_user_id, parts_needed, contact_id, total_stations, site_validations, site_street,"
	    " site_city, site_state, site_postal_code, site_country, number, ?3, ?3 FROM wo WHERE number = ?1");
	db_stmt *st = db_prep(db, "INSERT INTO wo_station(wo_number, seq, station_id) SELECT ?2, seq, station_id"
	    " FROM wo_station WHERE wo_number = ?1");
	db_stmt *li = db_prep(db, "INSERT INTO woli(wo_number, line_number, work_type, station_id, warranty_type, description)"
	    " SELECT ?2, line_number, work_type, station_id, warranty_type, description FROM woli WHERE wo_number = ?1");
	if (!s || !st || !li)
		return LC_ERROR;
	db_stmt *all[] = { s, st, li };
	for (size_t i = 0; i < 3; i++) {
		db_bind_int(all[i], 1, w->number);
		db_bind_int(all[i], 2, n);
		if (i == 0)
			db_bind_int(all[i], 3, now);
		int rc = db_step(all[i]);
		db_done(all[i]);
		if (rc != DB_DONE)
			return LC_ERROR;
	}
	char a[24], b[24];
	snprintf(a, sizeof(a), "%lld", (long long)w->number);
	snprintf(b, sizeof(b), "%lld", (long long)n);
	if (set_col(db, w->number, "reissued_as", NULL, n, 0) || history(db, u, w->number, "Reissued As", "", b) ||
	    history(db, u, n, "Reissued From", "", a))
		return LC_ERROR;
	struct lc_wo nw;
	char text[160];
	snprintf(text, sizeof(text), "New work order %lld assigned to your company (reissue of %lld)", (long long)n,
	    (long long)w->number);
	if (load(db, u, n, &nw) != LC_OK || recompute_target(db, u, &nw) ||
	    notify_company(db, nw.owner_org, n, "assignment", text))
		return LC_ERROR;
	*new_number = n;
	return LC_OK;
}

static const struct { const char *name; int action; } action_names[] = {
	{ "accept-shipping", -2 }, { "accept-travel", SA_ACCEPT }, { "reject", SA_REJECT },
	{ "could-not-complete", SA_COULD_NOT }, { "assistance", -3 }, { "schedule", -4 }, { "site-times", -5 },
	{ "woli", -6 }, { "complete", SA_COMPLETE }, { "parts-ordered", SA_PARTS_ORDERED },
	{ "shipping", SA_SHIPPING }, { "shipped", SA_SHIPPED }, { "parts-delivered", SA_DELIVERED },
	{ "hold", SA_HOLD }, { "resume", SA_RESUME }, { "cancel", SA_CANCEL }, { "close", SA_CLOSE },
	{ "send-back", SA_SEND_BACK }, { "reissue", SA_REISSUE },
};

int
lc_do(db_t *db, const struct user *u, int64_t number, const char *action, lc_form *f,
    const struct tz *z, json_t *errs, char *msg, size_t ml, int64_t *new_number)
{
	int a = -100;
	for (size_t i = 0; i < FW_ARRAY_LEN(action_names); i++)
		if (!strcmp(action_names[i].name, action))
			a = action_names[i].action;
	if (a == -100) {
		snprintf(msg, ml, "There is no action \"%.40s\".", action);
		return LC_NOT_FOUND;
	}
	if (db_begin(db)) {
		snprintf(msg, ml, "The database is busy; try again.");
		return LC_ERROR;
	}
	struct lc_wo w;
	int rc = load(db, u, number, &w);
	if (rc != LC_OK) {
		db_rollback(db);
		snprintf(msg, ml, "Work order not found.");
		return rc;
	}
	if (!strcmp(u->role, "technician") && a != -5) {
		db_rollback(db);
		snprintf(msg, ml, "A technician records the site visit times and adds photos; the other actions are the"
		    " dispatcher's.");
		return LC_REFUSED;
	}
	const char *ver = fv(f, "version");
	if (*ver && str_to_id(ver, 12) != w.version) {
		db_rollback(db);
		snprintf(msg, ml, "This work order changed since the form was opened (it is now %s). Review it and try again.",
		    w.status);
		return LC_STALE;
	}
	switch (a) {
	case -2: rc = accept_shipping(db, u, &w, f, errs, msg, ml); break;
	case SA_ACCEPT: rc = accept_travel(db, u, &w, f, errs, msg, ml); break;
	case SA_REJECT: case SA_COULD_NOT: case SA_CANCEL: case SA_SEND_BACK:
		rc = reason_action(db, u, &w, a, f, errs, msg, ml);
		break;
	case -3: rc = assistance(db, u, &w, f, errs, msg, ml); break;
	case -4: rc = schedule(db, u, &w, f, z, errs, msg, ml); break;
	case -5: rc = site_times(db, u, &w, f, z, errs, msg, ml); break;
	case -6: rc = woli_complete(db, u, &w, f, errs, msg, ml); break;
	case SA_COMPLETE: rc = complete(db, u, &w, f, errs, msg, ml); break;
	case SA_PARTS_ORDERED: case SA_SHIPPING: case SA_SHIPPED: case SA_DELIVERED:
		rc = parts(db, u, &w, a, f, z, errs, msg, ml);
		break;
	case SA_HOLD: case SA_RESUME: rc = hold(db, u, &w, a == SA_RESUME, f, errs, msg, ml); break;
	case SA_CLOSE: {
		const char *to;
		rc = check(SA_CLOSE, u, &w, &to, msg, ml);
		if (rc == LC_OK)
			rc = set_col(db, w.number, "closed_at", NULL, now_utc(), 0) || set_status(db, u, &w, to) ? LC_ERROR : LC_OK;
		break;
	}
	case SA_REISSUE: rc = reissue(db, u, &w, msg, ml, new_number); break;
	default: rc = LC_ERROR;
	}
	if (rc == LC_OK && bump_version(db, w.number))
		rc = LC_ERROR;
	if (rc != LC_OK || db_commit(db) != 0) {
		db_rollback(db);
		if (rc == LC_OK || rc == LC_ERROR) {
			snprintf(msg, ml, "The change could not be saved; nothing was changed.");
			return LC_ERROR;
		}
		if (rc == LC_BAD_INPUT && !msg[0])
			snprintf(msg, ml, "Some fields need your attention.");
		return rc;
	}
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
	    "  AND ship_street LIKE ?2 ESCAPE '\\') WHERE street != '' AND street LIKE ?2 ESCAPE '\\' LIMIT 10");
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
	int64_t id = str_to_id(fv(f, field), 12);
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
		field_err(errs, field, m);
	}
	return found;
}

int
lc_create(db_t *db, const struct user *u, lc_form *f, const struct tz *z, json_t *errs,
    char *msg, size_t ml, int64_t *number)
{
	if (!user_is_operator(u)) {
		snprintf(msg, ml, "Only the operator creates work orders.");
		return LC_REFUSED;
	}
	if (db_begin(db)) {
		snprintf(msg, ml, "The database is busy; try again.");
		return LC_ERROR;
	}
	const char *case_no = fv(f, "case"), *subject = fv(f, "subject");
	if (!*case_no || strlen(case_no) > 20 || !str_is_digits(case_no))
		field_err(errs, "case", "Enter the Case number (digits).");
	text_ok(errs, "subject", subject, 1, "the Subject");
	int64_t acct = pick(db, f, "account_id", "SELECT 1 FROM account WHERE id = ?1", errs, "the Account");
	int64_t terr = pick(db, f, "territory_id", "SELECT 1 FROM territory WHERE id = ?1", errs, "the Service Territory");
	int64_t wt = pick(db, f, "work_type_id", "SELECT 1 FROM work_type WHERE id = ?1", errs, "the Work Type");
	int64_t owner = pick(db, f, "owner_id", "SELECT 1 FROM org WHERE id = ?1 AND kind = 'partner'", errs,
	    "the partner company to assign it to");
	int64_t st = pick(db, f, "station_id", "SELECT 1 FROM station WHERE id = ?1", errs, "the station");
	int64_t ent = *fv(f, "entitlement_id") ? pick(db, f, "entitlement_id", "SELECT 1 FROM entitlement WHERE id = ?1",
	    errs, "an Entitlement or none") : 0;
	int64_t cse = *fv(f, "cse_id") ? pick(db, f, "cse_id", "SELECT 1 FROM users WHERE id = ?1 AND role = 'operator'",
	    errs, "the Customer Service Executive") : u->id;
	if (st && acct) {
		db_stmt *s = db_prep(db, "SELECT 1 FROM station WHERE id = ?1 AND account_id = ?2");
		db_bind_int(s, 1, st);
		db_bind_int(s, 2, acct);
		if (db_step(s) != DB_ROW)
			field_err(errs, "station_id", "Choose a station of this account.");
		db_done(s);
	}
	const char *lines = fv(f, "line_items");
	text_ok(errs, "line_items", lines, 1, "at least one Work Order Line Item (one per line)");
	if (json_object_size(errs)) {
		db_rollback(db);
		snprintf(msg, ml, "Some fields need your attention.");
		return LC_BAD_INPUT;
	}
	int64_t n = next_number(db), now = now_utc();
	db_stmt *s = db_prep(db,
	    "INSERT INTO wo(number, case_number, subject, account_name, territory_name, status, assigned_at,"
	    " entitlement_name, work_type_name, owner_org_id, account_id, territory_id, entitlement_id, work_type_id,"
	    " cse_user_id, parts_needed, contact_id, site_street, site_city, site_state, site_postal_code, site_country,"
	    " total_stations, created_at, updated_at)"
	    " SELECT ?1, ?2, ?3, a.name, t.name, 'Assigned', ?4, COALESCE(e.name, ''), w.name, ?5, a.id, t.id, e.id, w.id,"
	    " ?6, ?7, (SELECT min(id) FROM contact WHERE account_id = a.id), st.street, st.city, st.state, st.postal_code,"
	    " st.country, 1, ?4, ?4 FROM account a, territory t, work_type w, station st LEFT JOIN entitlement e ON e.id = ?8"
	    " WHERE a.id = ?9 AND t.id = ?10 AND w.id = ?11 AND st.id = ?12");
	if (!s || n < 0)
		goto fail;
	db_bind_int(s, 1, n);
	db_bind_text(s, 2, case_no);
	db_bind_text(s, 3, subject);
	db_bind_int(s, 4, now);
	db_bind_int(s, 5, owner);
	db_bind_int(s, 6, cse);
	db_bind_int(s, 7, !strcmp(fv(f, "parts_needed"), "on") || !strcmp(fv(f, "parts_needed"), "1"));
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
	struct lc_wo w;
	char text[160];
	snprintf(text, sizeof(text), "New work order %lld assigned to your company", (long long)n);
	if (load(db, u, n, &w) != LC_OK || history(db, u, n, "Owner", "", owner_name) ||
	    recompute_target(db, u, &w) || notify_company(db, owner, n, "assignment", text) || db_commit(db))
		goto fail;
	(void)z;
	*number = n;
	return LC_OK;
fail:
	db_rollback(db);
	snprintf(msg, ml, "The work order could not be created; nothing was saved.");
	return LC_ERROR;
}

json_t *
lc_queue(db_t *db, const struct tz *z)
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
	    " JOIN org o ON o.id = w.owner_org_id WHERE w.delay_reason != '' AND w.state_class = 0"
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
lc_assistance_resolve(db_t *db, const struct user *u, int64_t id)
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

json_t *
lc_sla_settings(db_t *db)
{
	json_t *o = json_object();
	db_stmt *s = db_prep(db, "SELECT id, name, business_days FROM entitlement ORDER BY name");
	if (!s) {
		json_decref(o);
		return NULL;
	}
	json_t *a = json_array();
	while (db_step(s) == DB_ROW) {
		json_t *e = json_object();
		json_object_set_new(e, "id", json_integer(db_col_int(s, 0)));
		json_object_set_new(e, "name", json_string(db_col_text(s, 1)));
		json_object_set_new(e, "business_days", json_integer(db_col_int(s, 2)));
		json_array_append_new(a, e);
	}
	db_done(s);
	json_object_set_new(o, "entitlements", a);
	s = db_prep(db, "SELECT day, name FROM holiday ORDER BY day");
	if (!s) {
		json_decref(o);
		return NULL;
	}
	a = json_array();
	while (db_step(s) == DB_ROW) {
		json_t *h = json_object();
		json_object_set_new(h, "day", json_string(db_col_text(s, 0)));
		json_object_set_new(h, "name", json_string(db_col_text(s, 1)));
		json_array_append_new(a, h);
	}
	db_done(s);
	json_object_set_new(o, "holidays", a);
	s = db_prep(db, "SELECT id, name, dispatch_covered_miles FROM org WHERE kind = 'partner' ORDER BY name");
	if (!s) {
		json_decref(o);
		return NULL;
	}
	a = json_array();
	while (db_step(s) == DB_ROW) {
		json_t *p = json_object();
		json_object_set_new(p, "id", json_integer(db_col_int(s, 0)));
		json_object_set_new(p, "name", json_string(db_col_text(s, 1)));
		json_object_set_new(p, "covered_miles", json_integer(db_col_int(s, 2)));
		json_array_append_new(a, p);
	}
	db_done(s);
	json_object_set_new(o, "partners", a);
	return o;
}

int
lc_set_covered_miles(db_t *db, int64_t org_id, const char *miles, char *msg, size_t ml)
{
	int64_t m = str_to_id(miles, 3);
	if (m < 0 || m > 500) {
		snprintf(msg, ml, "The miles the dispatch rate covers must be a whole number from 0 to 500.");
		return LC_BAD_INPUT;
	}
	db_stmt *s = db_prep(db, "UPDATE org SET dispatch_covered_miles = ?2 WHERE id = ?1 AND kind = 'partner'");
	if (!s)
		return LC_ERROR;
	db_bind_int(s, 1, org_id);
	db_bind_int(s, 2, m);
	int rc = db_step(s);
	db_done(s);
	if (rc != DB_DONE)
		return LC_ERROR;
	if (db_changes(db) != 1) {
		snprintf(msg, ml, "No such partner company.");
		return LC_NOT_FOUND;
	}
	return LC_OK;
}

int
lc_set_entitlement_days(db_t *db, int64_t id, const char *days, char *msg, size_t ml)
{
	int64_t d = str_to_id(days, 2);
	if (d < 0 || d > 30) {
		snprintf(msg, ml, "Business days must be a whole number from 0 to 30.");
		return LC_BAD_INPUT;
	}
	db_stmt *s = db_prep(db, "UPDATE entitlement SET business_days = ?2 WHERE id = ?1");
	if (!s)
		return LC_ERROR;
	db_bind_int(s, 1, id);
	db_bind_int(s, 2, d);
	int rc = db_step(s);
	db_done(s);
	if (rc != DB_DONE)
		return LC_ERROR;
	if (db_changes(db) != 1) {
		snprintf(msg, ml, "No such entitlement.");
		return LC_NOT_FOUND;
	}
	return LC_OK;
}

int
lc_holiday(db_t *db, const char *day, const char *name, int remove, char *msg, size_t ml)
{
	if (sla_parse_day(day) < 0) {
		snprintf(msg, ml, "Enter the holiday's date.");
		return LC_BAD_INPUT;
	}
	if (!remove && (!*name || strlen(name) > 100)) {
		snprintf(msg, ml, "Enter the holiday's name (at most 100 characters).");
		return LC_BAD_INPUT;
	}
	db_stmt *s = db_prep(db, remove ? "DELETE FROM holiday WHERE day = ?1"
	    : "INSERT INTO holiday(day, name) VALUES (?1, ?2) ON CONFLICT(day) DO UPDATE SET name = excluded.name");
	if (!s)
		return LC_ERROR;
	db_bind_text(s, 1, day);
	if (!remove)
		db_bind_text(s, 2, name);
	int rc = db_step(s);
	db_done(s);
	return rc == DB_DONE ? LC_OK : LC_ERROR;
}

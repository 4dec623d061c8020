/* lifecycle.c -- see lifecycle.h: the work order as actions load it,
 * its history, the action table and the one gate (lc_may) that both the
 * pages' buttons and lc_do() ask. */
#include "lc_int.h"
#include "feed.h"
#include "hook.h"
#include "files.h"
#include "notify.h"
#include "sla.h"
#include "status.h"
#include "wo.h"
#include "util.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

/* ---------- small helpers ---------- */

const char *
lc_fv(lc_form *f, const char *k)
{
	json_t *v = f ? json_object_get(f, k) : NULL;
	return json_is_string(v) ? json_string_value(v) : "";
}

int
lc_checked(lc_form *f, const char *k)
{
	json_t *v = f ? json_object_get(f, k) : NULL;
	const char *t = json_string_value(v);
	return json_is_true(v) || (t && (!strcmp(t, "on") || !strcmp(t, "yes") || !strcmp(t, "true") || !strcmp(t, "1")));
}

void
lc_field_err(json_t *errs, const char *field, const char *msg)
{
	if (errs && !json_object_get(errs, field))
		json_object_set_new(errs, field, json_string(msg));
}

int
lc_role_of(const struct user *u)
{
	return user_is_operator(u) ? SR_OPERATOR : SR_PARTNER;
}

/* "YYYY-MM-DD" and "HH:MM" in zone Z to UTC.  0 or -1. */
int
lc_parse_local(const char *date, const char *time, const struct tz *z, int64_t *out)
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

int
lc_phone_ok(const char *s)
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

int
lc_one_of(const char *v, const char *const *list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(v, list[i]))
			return 1;
	return 0;
}

/* The longest each form field may be, in characters: the forms' maxlength
 * comes from here too (lc_field_limits), so the browser, the server and
 * the message agree.  Fields not listed take LC_TEXT_MAX. */
static const struct { const char *field; int max; } field_max[] = {
	{ "case", 20 }, { "subject", 200 }, { "ship_to_name", 200 }, { "ship_to_phone", 25 }, { "shipping_party", 200 },
	{ "street", 200 }, { "city", 100 }, { "state", 100 }, { "postal_code", 20 }, { "country", 100 },
	{ "round_trip", 12 }, { "travel_cost", 12 }, { "technician_name", 120 }, { "phone_number", 25 },
	{ "order_number", 40 }, { "carrier", 60 }, { "tracking", 60 }, { "rental_cost", 12 }, { "permit_cost", 12 },
};

int
lc_field_max(const char *field)
{
	for (size_t i = 0; i < FW_ARRAY_LEN(field_max); i++)
		if (!strcmp(field_max[i].field, field))
			return field_max[i].max;
	return LC_TEXT_MAX;
}

json_t *
lc_field_limits(void)
{
	json_t *o = json_object();
	for (size_t i = 0; i < FW_ARRAY_LEN(field_max); i++)
		json_object_set_new(o, field_max[i].field, json_integer(field_max[i].max));
	json_object_set_new(o, "text", json_integer(LC_TEXT_MAX));
	return o;
}

int
lc_text_ok(json_t *errs, const char *field, const char *v, int required, const char *what)
{
	char msg[200];
	int max = lc_field_max(field);
	if (required && str_is_blank(v)) {
		snprintf(msg, sizeof(msg), "Enter %s.", what);
		lc_field_err(errs, field, msg);
		return 0;
	}
	if (utf8_chars(v) > (size_t)max) {
		if (max >= 1000)
			snprintf(msg, sizeof(msg), "Keep %s to %d,%03d characters or fewer.", what, max / 1000, max % 1000);
		else
			snprintf(msg, sizeof(msg), "Keep %s to %d characters or fewer.", what, max);
		lc_field_err(errs, field, msg);
		return 0;
	}
	return 1;
}

/* ---------- loading and writing ---------- */

int
lc_load(db_t *db, const struct user *u, int64_t number, struct lc_wo *w)
{
#define LOAD_SQL "SELECT w.number, w.owner_org_id, w.version, w.assigned_at, w.appointment_at, w.target_sla_at," \
	    " w.est_delivery_at, w.arrive_at, w.depart_at, COALESCE(e.business_days, 0), o.dispatch_covered_miles," \
	    " w.parts_needed, w.status, w.hold_from_status, w.ship_street, w.scheduling_completed, w.technician_name," \
	    " w.technician_phone, w.reissued_as, w.delay_reason, w.hold_since, w.held_days," \
	    " o.travel_rate_cents, w.travel_round_trip_tenths, w.travel_distance_tenths, w.travel_cost_cents FROM wo w JOIN org o ON o.id = w.owner_org_id" \
	    " LEFT JOIN entitlement e ON e.id = w.entitlement_id WHERE w.number = ?1"
	/* the action's read is its lock: SQLite's BEGIN IMMEDIATE already
	 * holds the only write lock; on PostgreSQL the row is locked here, so
	 * a second node's action on it waits and then sees the new version */
	db_stmt *s = db_prep(db, db_is_pg(db) ? LOAD_SQL " FOR UPDATE OF w" : LOAD_SQL);
#undef LOAD_SQL
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
		w->reissued_as = db_col_int(s, 18);
		str_copy(w->delay_reason, db_col_text(s, 19), sizeof(w->delay_reason));
		w->hold_since = db_col_int(s, 20);
		w->held_days = db_col_int(s, 21);
		w->travel_rate = db_col_int(s, 22);
		w->round_trip_tenths = db_col_int(s, 23);
		w->distance_tenths = db_col_int(s, 24);
		w->cost_cents = db_col_int(s, 25);
	}
	db_done(s);
	if (rc != DB_ROW)
		return rc == DB_DONE ? LC_NOT_FOUND : LC_ERROR;
	/* who may act on which work order is wo_visible's rule, as for reading */
	struct wo_scope sc;
	if (wo_scope_of(db, u, &sc) != 0)
		return LC_NOT_FOUND;
	int seen = wo_visible(db, &sc, number);
	return seen == WO_OK ? LC_OK : seen == WO_NOT_FOUND ? LC_NOT_FOUND : LC_ERROR;
}

/* The name history shows for U: the company for partners (as the guide's
 * history does), the person for the operator. */
const char *
lc_who(const struct user *u)
{
	return user_is_operator(u) ? u->name : u->org_name;
}

int
lc_history(db_t *db, const struct user *u, int64_t number, const char *field, const char *from, const char *to)
{
	db_stmt *s = db_prep(db, "INSERT INTO wo_history(wo_number, seq, at, field, user_id, user_label, old_value, new_value)"
	    " VALUES (?1, " WO_HISTORY_SEQ ", ?2, ?3, ?4, ?5, ?6, ?7)");
	if (!s)
		return -1;
	db_bind_int(s, 1, number);
	db_bind_int(s, 2, now_utc());
	db_bind_text(s, 3, field);
	db_bind_int(s, 4, u->id);
	db_bind_text(s, 5, lc_who(u));
	db_bind_text(s, 6, from);
	db_bind_text(s, 7, to);
	int rc = db_step(s);
	db_done(s);
	return rc == DB_DONE ? 0 : -1;
}

/* Who hears of an event on W besides its followers (the same post, so
 * once each): the partner company's dispatchers and admins and its
 * assigned technicians of whatever the operator does; the operator's team
 * of a partner's Reject, Could Not Complete and Request For Assistance. */
int
lc_tell(db_t *db, const struct user *u, const struct lc_wo *w, int64_t post_id, const char *what, int to_operator)
{
	char text[400];
	snprintf(text, sizeof(text), "Work Order %lld: %.300s", (long long)w->number, what);
	char *nl = strchr(text, '\n');
	if (nl)
		*nl = '\0';
	if (user_is_operator(u))
		return notify_company(db, w->owner_org, w->number, post_id, "status", text) ||
		    notify_technicians(db, w->number, post_id, "status", text) ? -1 : 0;
	return to_operator ? notify_operators(db, w->number, u->id, post_id, "status", text) : 0;
}

static int set_status(db_t *db, const struct user *u, struct lc_wo *w, const char *to, const char *why, int tell);

int
lc_set_status(db_t *db, const struct user *u, struct lc_wo *w, const char *to)
{
	return lc_set_status_why(db, u, w, to, NULL);
}

int
lc_set_status_quiet(db_t *db, const struct user *u, struct lc_wo *w, const char *to)
{
	return set_status(db, u, w, to, NULL, 0);
}

int
lc_set_status_why(db_t *db, const struct user *u, struct lc_wo *w, const char *to, const char *why)
{
	return set_status(db, u, w, to, why, 1);
}

static int
set_status(db_t *db, const struct user *u, struct lc_wo *w, const char *to, const char *why, int tell)
{
	db_stmt *s = db_prep(db, "UPDATE wo SET status = ?2, updated_at = ?3 WHERE number = ?1");
	if (!s)
		return -1;
	db_bind_int(s, 1, w->number);
	db_bind_text(s, 2, to);
	db_bind_int(s, 3, now_utc());
	int rc = db_step(s);
	db_done(s);
	if (rc != DB_DONE || lc_history(db, u, w->number, "Status", w->status, to))
		return -1;
	/* every status change is worth telling the feed and its followers,
	 * and the other side (lc_tell) */
	char label[200], text[LC_TEXT_MAX + 300];
	feed_label(u, label, sizeof(label));
	snprintf(text, sizeof(text), "Status changed from %s to %s by %s.%s%s", w->status, to, u->name,
	    why && *why ? " Reason: " : "", why && *why ? why : "");
	int64_t post = 0;
	if (feed_status(db, w->number, label, text, u->id, &post))
		return -1;
	int to_operator = !strcmp(to, "Rejected") || !strcmp(to, "Cannot Complete");
	if (tell && lc_tell(db, u, w, post, text, to_operator))
		return -1;
	/* and the integrations listening (in this transaction: sent once it commits) */
	json_t *d = json_pack("{s:s, s:s, s:s?}", "from", w->status, "to", to, "reason", why && *why ? why : NULL);
	if (hook_emit(db, "work_order.status_changed", w->number, d) ||
	    (!strcmp(to, "Completed") && hook_emit(db, "work_order.completed", w->number, NULL)))
		return -1;
	str_copy(w->status, to, sizeof(w->status));
	return 0;
}

/* Sets one column of the work order to a text or integer value. */
int
lc_set_col(db_t *db, int64_t number, const char *col, const char *text, int64_t num, int is_text)
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

void
lc_fmt_local(int64_t t, char out[32])
{
	const struct tz *z = tz_get(LC_BUSINESS_TZ);
	tz_fmt_datetime(z ? z : tz_utc(), t, out);
}

/* Recomputes the Target SLA Date from delivery (parts) or assignment. */
int
lc_target_of(db_t *db, int64_t days, int64_t base, int64_t held_days, int64_t *t)
{
	*t = 0;
	if (!days || !base)
		return 0;
	struct sla_calendar *cal = malloc(sizeof(*cal));
	if (!cal || sla_calendar_load(db, cal)) {
		free(cal);
		return -1;
	}
	const struct tz *z = tz_get(LC_BUSINESS_TZ);
	z = z ? z : tz_utc();
	/* the days the work order was On Hold are not the partner's */
	*t = sla_shift(cal, z, sla_target(cal, z, base, (int)days), (int)held_days);
	free(cal);
	return 0;
}

int
lc_recompute_target(db_t *db, const struct user *u, struct lc_wo *w)
{
	if (!w->entitlement_days)
		return 0;
	int64_t t;
	if (lc_target_of(db, w->entitlement_days, w->parts ? w->est_delivery_at : w->assigned_at, w->held_days, &t))
		return -1;
	if (!t || t == w->target_sla_at)
		return 0;
	char from[32], to[32];
	lc_fmt_local(w->target_sla_at, from);
	lc_fmt_local(t, to);
	if (lc_set_col(db, w->number, "target_sla_at", NULL, t, 0) || lc_history(db, u, w->number, "Target SLA Date", from, to))
		return -1;
	w->target_sla_at = t;
	return lc_delay_check(db, u, w);
}

int
lc_delay_check(db_t *db, const struct user *u, struct lc_wo *w)
{
	if (!*w->delay_reason || !w->appointment_at || !w->target_sla_at || w->appointment_at > w->target_sla_at)
		return 0;
	if (lc_set_col(db, w->number, "delay_reason", "", 0, 1) ||
	    lc_history(db, u, w->number, "Delay Reason", w->delay_reason, ""))
		return -1;
	w->delay_reason[0] = '\0';
	return 0;
}

/* ---------- the actions ---------- */

int
lc_check(int action, const struct user *u, struct lc_wo *w, const char **to, char *msg, size_t msglen)
{
	return status_check(action, lc_role_of(u), w->status, w->parts, w->hold_from, to, msg, msglen) ? LC_REFUSED : LC_OK;
}

/* ---------- the action table and its gate ---------- */

const struct lc_action lc_actions[LA__COUNT] = {
	[LA_ACCEPT_SHIPPING] = { "accept-shipping", "Accept Work Order",
		"Shipping information saved. Enter the travel information to accept the work order.", SA_ACCEPT,
		"is_residential:b,ship_to_name*,ship_to_phone*,shipping_party*,liftgate:b,pallet_jack:b,none:b,"
		"street*,city*,state*,postal_code*,country*" },
	[LA_ACCEPT_TRAVEL] = { "accept-travel", "Accept Work Order", "The work order is accepted successfully.", SA_ACCEPT,
		"round_trip*:n,travel_cost*:n" },
	[LA_REJECT] = { "reject", "Reject", "The work order is rejected.", SA_REJECT, "reason*" },
	[LA_COULD_NOT] = { "could-not-complete", "Could Not Complete", "The work order is marked Could Not Complete.",
		SA_COULD_NOT, "reason*,comment" },
	[LA_ASSISTANCE] = { "assistance", "Request For Assistance", "Your request for assistance was sent.", -1,
		"message*" },
	[LA_SCHEDULE] = { "schedule", "Customer Information", "The scheduling information is saved.", -1,
		"appointment_date:d,appointment_time:t,technician_name,phone_number,scheduling_completed:d,delay_reason,"
		"continue:b,before_parts:b,cert_ok:b" },
	[LA_SITE_TIMES] = { "site-times", "Site Visit", "The site times are saved.", -1,
		"arrive_date*:d,arrive_time*:t,depart_date*:d,depart_time*:t" },
	[LA_WOLI] = { "woli", NULL, "The line item is completed.", -1, "line*" },
	[LA_COMPLETE] = { "complete", "Completed", "The work order is marked Completed.", SA_COMPLETE,
		"rental_details,rental_cost:n,permit_details,permit_cost:n" },
	[LA_PARTS_ORDERED] = { "parts-ordered", NULL, "Parts Ordered.", SA_PARTS_ORDERED, "" },
	[LA_SHIPPING] = { "shipping", NULL, "Shipping.", SA_SHIPPING, "" },
	[LA_SHIPPED] = { "shipped", "Shipped", "The shipment is recorded and the Target SLA Date updated.", SA_SHIPPED,
		"order_number*,carrier*,tracking*,estimated_delivery*:d" },
	[LA_DELIVERED] = { "parts-delivered", NULL, "Parts Delivered: the work order is In Progress.", SA_DELIVERED,
		"" },
	[LA_HOLD] = { "hold", "On Hold", "The work order is On Hold.", SA_HOLD, "reason*,resume_on*:d" },
	[LA_RESUME] = { "resume", NULL, "The work order is resumed.", SA_RESUME, "" },
	[LA_CANCEL] = { "cancel", "Cancel a Work Order", "The work order is cancelled.", SA_CANCEL,
		"reason*,comment" },
	[LA_CLOSE] = { "close", NULL, "The work order is Closed.", SA_CLOSE, "" },
	[LA_SEND_BACK] = { "send-back", "Send Back", "The work order is back In Progress.", SA_SEND_BACK, "reason*" },
	[LA_REISSUE] = { "reissue", NULL, "The new work order is issued.", SA_REISSUE,
		"+case,subject,account_id,station_id,territory_id,entitlement_id,work_type_id,owner_id,cse_id,parts_needed:b,"
		"line_items" },
	[LA_DELIVERY_DATE] = { "delivery-date", "New Estimated Delivery",
		"The estimated delivery date is changed; the Target SLA Date follows it.", -1,
		"estimated_delivery*:d" },
};

int
lc_action_find(const char *key)
{
	for (int i = 0; i < LA__COUNT; i++)
		if (!strcmp(lc_actions[i].key, key))
			return i;
	return -1;
}

int
lc_role_may(const struct user *u, int a, char *msg, size_t ml)
{
	if (strcmp(u->role, "technician") || a == LA_SITE_TIMES)
		return 1;
	snprintf(msg, ml, "A technician records the site visit times and adds photos; the other actions are the"
	    " dispatcher's.");
	return 0;
}

int
lc_may(const struct user *u, int a, const struct lc_state *st, char *msg, size_t ml)
{
	const char *to;
	if (a < 0 || a >= LA__COUNT) {
		snprintf(msg, ml, "There is no such action.");
		return 0;
	}
	int open = status_is_open(st->status);
	if (!lc_role_may(u, a, msg, ml))
		return 0;
	if (lc_actions[a].sa >= 0) {
		if (status_check(lc_actions[a].sa, lc_role_of(u), st->status, st->parts, st->hold_from, &to, msg, ml))
			return 0;
		if (a == LA_ACCEPT_SHIPPING && !st->parts) {
			snprintf(msg, ml, "This work order needs no parts: enter the travel information to accept it.");
			return 0;
		}
		if (a == LA_REISSUE && st->reissued_as) {
			snprintf(msg, ml, "This work order was already reissued as %lld.", (long long)st->reissued_as);
			return 0;
		}
		return 1;
	}
	switch (a) {
	case LA_ASSISTANCE:
		if (user_is_operator(u)) {
			snprintf(msg, ml, "Request For Assistance is the partner's way to reach the operator.");
			return 0;
		}
		if (!open)
			snprintf(msg, ml, "This work order is %s; use the Collaborate tab to ask about it.", st->status);
		return open;
	case LA_SCHEDULE:
		if (!open)
			snprintf(msg, ml, "A work order in status %s cannot be rescheduled.", st->status);
		return open;
	case LA_SITE_TIMES:
		if (!open)
			snprintf(msg, ml, "A work order in status %s cannot change its site times.", st->status);
		return open;
	case LA_DELIVERY_DATE:
		if (!user_is_operator(u)) {
			snprintf(msg, ml, "The operator changes the estimated delivery; tell them in Collaborate.");
			return 0;
		}
		if (strcmp(st->status, "Shipped") != 0) {
			snprintf(msg, ml, "The estimated delivery changes while the parts are Shipped; this work order is %s.",
			    st->status);
			return 0;
		}
		return 1;
	case LA_WOLI:
		if (strcmp(st->status, "In Progress") != 0) {
			snprintf(msg, ml, "Line items are completed while the work order is In Progress; it is %s.", st->status);
			return 0;
		}
		return 1;
	}
	return 0;
}

json_t *
lc_allowed(const struct user *u, const struct lc_state *st)
{
	json_t *o = json_object();
	char msg[256];
	for (int i = 0; i < LA__COUNT; i++)
		json_object_set_new(o, lc_actions[i].key, json_boolean(lc_may(u, i, st, msg, sizeof(msg))));
	int open = status_is_open(st->status), tech = !strcmp(u->role, "technician");
	json_object_set_new(o, "any_technician", json_boolean(tech && open));
	json_object_set_new(o, "any_partner", json_boolean(!tech && !user_is_operator(u) && open));
	json_object_set_new(o, "any_operator", json_boolean(user_is_operator(u)));
	return o;
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

static int
run(db_t *db, const struct user *u, struct lc_wo *w, int a, lc_form *f, const struct tz *z, json_t *errs,
    char *msg, size_t ml, int64_t *new_number)
{
	const char *to;
	switch (a) {
	case LA_ACCEPT_SHIPPING: return lc_accept_shipping(db, u, w, f, errs, msg, ml);
	case LA_ACCEPT_TRAVEL: return lc_accept_travel(db, u, w, f, errs, msg, ml);
	case LA_REJECT: case LA_COULD_NOT: case LA_CANCEL: case LA_SEND_BACK:
		return lc_reason_action(db, u, w, lc_actions[a].sa, f, errs, msg, ml);
	case LA_ASSISTANCE: return lc_assistance(db, u, w, f, errs, msg, ml);
	case LA_SCHEDULE: return lc_schedule(db, u, w, f, z, errs, msg, ml);
	case LA_SITE_TIMES: return lc_site_times(db, u, w, f, z, errs, msg, ml);
	case LA_WOLI: return lc_woli_complete(db, u, w, f, errs, msg, ml);
	case LA_COMPLETE: return lc_complete(db, u, w, f, errs, msg, ml);
	case LA_PARTS_ORDERED: case LA_SHIPPING: case LA_SHIPPED: case LA_DELIVERED:
		return lc_parts(db, u, w, lc_actions[a].sa, f, z, errs, msg, ml);
	case LA_HOLD: case LA_RESUME: return lc_hold(db, u, w, a == LA_RESUME, f, errs, msg, ml);
	case LA_CLOSE:
		if (lc_check(SA_CLOSE, u, w, &to, msg, ml))
			return LC_REFUSED;
		return lc_set_col(db, w->number, "closed_at", NULL, now_utc(), 0) || lc_set_status(db, u, w, to) ? LC_ERROR
		    : LC_OK;
	case LA_REISSUE: return lc_reissue(db, u, w, f, errs, msg, ml, new_number);
	case LA_DELIVERY_DATE: return lc_delivery_date(db, u, w, f, z, errs, msg, ml);
	}
	return LC_ERROR;
}

int
lc_do(db_t *db, const struct user *u, int64_t number, const char *action, lc_form *f,
    const struct tz *z, json_t *errs, char *msg, size_t ml, int64_t *new_number)
{
	int a = lc_action_find(action);
	if (a < 0) {
		snprintf(msg, ml, "There is no action \"%.40s\".", action);
		return LC_NOT_FOUND;
	}
	if (db_begin(db)) {
		snprintf(msg, ml, "The database is busy; try again.");
		return LC_ERROR;
	}
	struct lc_wo w;
	int rc = lc_load(db, u, number, &w);
	if (rc != LC_OK) {
		db_rollback(db);
		snprintf(msg, ml, "Work order not found.");
		return rc;
	}
	/* every form carries the version it was made from: without it a
	 * change could undo one it never saw */
	const char *ver = lc_fv(f, "version");
	if (!*ver) {
		db_rollback(db);
		snprintf(msg, ml, "This form does not say which version of the work order it was made from. Reload the"
		    " page and try again.");
		return LC_STALE;
	}
	if (str_to_id(ver, 12) != w.version) {
		db_rollback(db);
		snprintf(msg, ml, "This work order changed since the form was opened (it is now %s). Review it and try again.",
		    w.status);
		return LC_STALE;
	}
	struct lc_state st = { w.status, w.parts, w.hold_from, w.reissued_as };
	if (!lc_may(u, a, &st, msg, ml)) {
		db_rollback(db);
		return LC_REFUSED;
	}
	rc = run(db, u, &w, a, f, z, errs, msg, ml, new_number);
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

/* ---------- the technician module's changes to a work order ---------- */

int
lc_technician_set(db_t *db, const struct user *u, int64_t number, const char *old_label, const char *new_label)
{
	if (hook_emit(db, "work_order.assigned", number, json_pack("{s:s}", "technician", new_label)))
		return -1;
	db_stmt *s = db_prep(db, "UPDATE wo SET technician_label = ?2, needs_reassignment = 0, version = version + 1,"
	    " updated_at = ?3 WHERE number = ?1");
	if (!s)
		return -1;
	db_bind_int(s, 1, number);
	db_bind_text(s, 2, new_label);
	db_bind_int(s, 3, now_utc());
	int rc = db_step(s);
	db_done(s);
	return rc == DB_DONE ? lc_history(db, u, number, "Technician Name / Email", old_label, new_label) : -1;
}

int
lc_technician_gone(db_t *db, const struct user *u, int64_t number, const char *name)
{
	db_stmt *s = db_prep(db, "UPDATE wo SET needs_reassignment = 1, version = version + 1 WHERE number = ?1");
	if (!s)
		return -1;
	db_bind_int(s, 1, number);
	int rc = db_step(s);
	db_done(s);
	return rc == DB_DONE ? lc_history(db, u, number, "Technician", name, "Needs reassignment: technician offboarded")
	    : -1;
}

int
lc_file_delete(db_t *db, const struct user *u, int64_t number, int64_t file_id, const char *title, char *msg,
    size_t ml)
{
	struct lc_wo w;
	if (db_begin(db)) {
		snprintf(msg, ml, "The database is busy; try again.");
		return LC_ERROR;
	}
	int rc = lc_load(db, u, number, &w);
	if (rc == LC_OK && !strcmp(w.status, "Closed") && !user_is_operator(u)) {
		snprintf(msg, ml, "Work order %lld is Closed: only the operator can delete its files now.", (long long)number);
		rc = LC_REFUSED;
	}
	if (rc == LC_OK) {
		int f = files_delete(db, u, file_id, msg, ml);
		rc = f == FILES_OK ? LC_OK : f == FILES_BAD ? LC_REFUSED : f == FILES_NOT_FOUND ? LC_NOT_FOUND : LC_ERROR;
	}
	if (rc == LC_OK && lc_history(db, u, number, "File Deleted", title, ""))
		rc = LC_ERROR;
	if (rc != LC_OK || db_commit(db)) {
		db_rollback(db);
		return rc == LC_OK ? LC_ERROR : rc;
	}
	return LC_OK;
}

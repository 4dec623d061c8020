/* lc_partner.c -- the partner's actions on a work order: Accept (shipping,
 * then travel), Reject, Could Not Complete, Request For Assistance,
 * scheduling against the Target SLA Date, site times, line items and
 * Completed.  Part of the lifecycle module (see lifecycle.h, lc_int.h). */
#include "lc_int.h"
#include "hook.h"
#include "feed.h"
#include "notify.h"
#include "queue.h"
#include "sla.h"
#include "status.h"
#include "util.h"

#include <stdio.h>
#include <string.h>

int
lc_accept_shipping(db_t *db, const struct user *u, struct lc_wo *w, lc_form *f, json_t *errs, char *msg, size_t ml)
{
	const char *to;
	if (lc_check(SA_ACCEPT, u, w, &to, msg, ml))
		return LC_REFUSED;
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
		lc_text_ok(errs, req[i].field, lc_fv(f, req[i].field), 1, req[i].what);
	if (*lc_fv(f, "ship_to_phone") && !lc_phone_ok(lc_fv(f, "ship_to_phone")))
		lc_field_err(errs, "ship_to_phone", "Enter a phone number of at least 7 digits.");
	const char *needs = lc_fv(f, "requires");
	int liftgate = lc_checked(f, "liftgate");
	int pallet = lc_checked(f, "pallet_jack");
	int none = !strcmp(needs, "none") || lc_checked(f, "none");
	if (!liftgate && !pallet && !none)
		lc_field_err(errs, "requires", "Say whether your team requires a Liftgate, a Pallet Jack, or neither.");
	if ((liftgate || pallet) && none)
		lc_field_err(errs, "requires", "Choose Liftgate and Pallet Jack, or neither, not both.");
	if (json_object_size(errs))
		return LC_BAD_INPUT;
	char old_addr[160], new_addr[600];
	snprintf(old_addr, sizeof(old_addr), "%s", w->ship_street);
	snprintf(new_addr, sizeof(new_addr), "%s, %s, %s %s, %s", lc_fv(f, "street"), lc_fv(f, "city"), lc_fv(f, "state"),
	    lc_fv(f, "postal_code"), lc_fv(f, "country"));
	for (size_t i = 0; i < FW_ARRAY_LEN(req); i++)
		if (lc_set_col(db, w->number, req[i].col, lc_fv(f, req[i].field), 0, 1))
			return LC_ERROR;
	int residential = lc_checked(f, "is_residential");
	if (lc_set_col(db, w->number, "ship_residential", NULL, residential, 0) ||
	    lc_set_col(db, w->number, "ship_liftgate", NULL, liftgate, 0) ||
	    lc_set_col(db, w->number, "ship_pallet_jack", NULL, pallet, 0) ||
	    lc_history(db, u, w->number, "Shipping Address", old_addr, new_addr))
		return LC_ERROR;
	return LC_OK;
}

/* "142.5" from tenths.  This function can't fail. */
static void
tenths(int64_t v, char out[24])
{
	if (v % 10)
		snprintf(out, 24, "%lld.%lld", (long long)(v / 10), (long long)(v % 10));
	else
		snprintf(out, 24, "%lld", (long long)(v / 10));
}

/* History rows for the travel values that changed.  0 or -1. */
static int
travel_history(db_t *db, const struct user *u, const struct lc_wo *w, int64_t trip, int64_t dist, int64_t cost)
{
	char a[24] = "", b[24];
	if (trip != w->round_trip_tenths) {
		if (w->round_trip_tenths)
			tenths(w->round_trip_tenths, a);
		tenths(trip, b);
		if (lc_history(db, u, w->number, "Round Trip Mileage", a, b))
			return -1;
	}
	if (dist != w->distance_tenths || !w->round_trip_tenths) {
		a[0] = '\0';
		if (w->round_trip_tenths)
			tenths(w->distance_tenths, a);
		tenths(dist, b);
		if (lc_history(db, u, w->number, "Travel Distance(mi)", a, b))
			return -1;
	}
	if (cost != w->cost_cents) {
		a[0] = '\0';
		if (w->cost_cents)
			str_from_cents(w->cost_cents, a);
		str_from_cents(cost, b);
		if (lc_history(db, u, w->number, "Travel Cost/mile", a, b))
			return -1;
	}
	return 0;
}

int
lc_accept_travel(db_t *db, const struct user *u, struct lc_wo *w, lc_form *f, json_t *errs, char *msg, size_t ml)
{
	const char *to;
	if (lc_check(SA_ACCEPT, u, w, &to, msg, ml))
		return LC_REFUSED;
	if (w->parts && !w->ship_street[0]) {
		snprintf(msg, ml, "If Shipping Information is not added the WO will not be accepted, remaining in an"
		    " assigned state.");
		return LC_REFUSED;
	}
	/* the partner gives the round trip; the distance billed is what the
	 * dispatch rate does not cover, never below 0 */
	int64_t trip, cost;
	int rd = str_to_cents(lc_fv(f, "round_trip"), &trip);   /* miles, up to 2 decimals */
	if (rd != 0 || trip > 1000000)
		lc_field_err(errs, "round_trip", rd == 1 ? "Enter the Round Trip Mileage: the miles from the technician's"
		    " base to the site and back." : "Enter the Round Trip Mileage as miles, e.g. 142 or 142.5 (at most 10,000).");
	int rc = str_to_cents(lc_fv(f, "travel_cost"), &cost);
	if (rc != 0)
		lc_field_err(errs, "travel_cost", rc == 1 ? "Enter the Travel Cost/mile agreed in your contract (SOW)."
		    : "Enter the Travel Cost/mile as an amount with up to two decimals, e.g. 0.65.");
	else if (w->travel_rate > 0 && cost > w->travel_rate) {
		char m[160], rate[24];
		str_from_cents(w->travel_rate, rate);
		snprintf(m, sizeof(m), "Your contract's Travel Cost/mile is %s: enter that or less.", rate);
		lc_field_err(errs, "travel_cost", m);
	}
	if (json_object_size(errs))
		return LC_BAD_INPUT;
	int64_t dist = trip - w->covered_miles * 100;
	if (dist < 0)
		dist = 0;
	/* one write of the row for the four */
	db_stmt *s = db_prep(db, "UPDATE wo SET travel_round_trip_tenths = ?2, travel_distance_tenths = ?3,"
	    " travel_cost_cents = ?4, accepted_at = ?5, updated_at = ?5 WHERE number = ?1");
	if (!s)
		return LC_ERROR;
	db_bind_int(s, 1, w->number);
	db_bind_int(s, 2, trip / 10);
	db_bind_int(s, 3, dist / 10);
	db_bind_int(s, 4, cost);
	db_bind_int(s, 5, now_utc());
	rc = db_step(s);
	db_done(s);
	if (rc != DB_DONE || travel_history(db, u, w, trip / 10, dist / 10, cost) || lc_set_status(db, u, w, to))
		return LC_ERROR;
	return !w->parts && lc_recompute_target(db, u, w) ? LC_ERROR : LC_OK;
}

int
lc_reason_action(db_t *db, const struct user *u, struct lc_wo *w, int action, lc_form *f, json_t *errs,
    char *msg, size_t ml)
{
	const char *to;
	if (lc_check(action, u, w, &to, msg, ml))
		return LC_REFUSED;
	const char *reason = lc_fv(f, "reason"), *comment = lc_fv(f, "comment");
	char full[LC_TEXT_MAX + 200];
	if (action == SA_COULD_NOT || action == SA_CANCEL) {
		const char *const *list = action == SA_CANCEL ? lc_cancel_reasons : lc_could_not_reasons;
		size_t n = action == SA_CANCEL ? FW_ARRAY_LEN(lc_cancel_reasons) : FW_ARRAY_LEN(lc_could_not_reasons);
		if (!lc_one_of(reason, list, n))
			lc_field_err(errs, "reason", "Choose a reason from the list.");
		if (!strcmp(reason, "Other"))
			lc_text_ok(errs, "comment", comment, 1, "a comment that explains the reason");
		else
			lc_text_ok(errs, "comment", comment, 0, "the comment");
		snprintf(full, sizeof(full), "%s%s%s", reason, *comment ? ": " : "", comment);
	} else {
		lc_text_ok(errs, "reason", reason, 1, "the reason");
		snprintf(full, sizeof(full), "%s", reason);
	}
	if (json_object_size(errs))
		return LC_BAD_INPUT;
	if (lc_set_col(db, w->number, "status_reason", full, 0, 1) || lc_history(db, u, w->number, "Status Reason", "", full))
		return LC_ERROR;
	if (action == SA_SEND_BACK && lc_set_col(db, w->number, "completed_at", NULL, 0, 0))
		return LC_ERROR;
	return lc_set_status_why(db, u, w, to, full) ? LC_ERROR : LC_OK;
}

int
lc_assistance(db_t *db, const struct user *u, struct lc_wo *w, lc_form *f, json_t *errs, char *msg, size_t ml)
{
	const char *m = lc_fv(f, "message");
	if (!lc_text_ok(errs, "message", m, 1, "what you need help with"))
		return LC_BAD_INPUT;
	int rc = queue_add(db, w->number, u->id, m);
	char label[200], body[LC_TEXT_MAX + 64];
	feed_label(u, label, sizeof(label));
	snprintf(body, sizeof(body), "Request For Assistance from %s: %s", u->name, m);
	int64_t post = 0;
	return rc == 0 && !lc_history(db, u, w->number, "Request For Assistance", "", m) &&
	    !feed_system(db, w->number, label, body, u->id, &post) && !lc_tell(db, u, w, post, body, 1) ? LC_OK : LC_ERROR;
}

/* The assigned technicians' required certifications that have lapsed by
 * DAY ("YYYY-MM-DD") though valid today, as "Name: CERT, ..." into OUT.
 * 0, or -1 on a database error. */
static int
lapsed_by(db_t *db, int64_t number, const char *day, const char *today, char *out, size_t n)
{
	db_stmt *s = db_prep(db, "SELECT t.name, c.name, h.expires_on FROM wo_assignment a"
	    " JOIN technician t ON t.id = a.technician_id JOIN wo w ON w.number = a.wo_number"
	    " JOIN work_type_certification x ON x.work_type_id = w.work_type_id"
	    " JOIN certification c ON c.id = x.certification_id"
	    " JOIN technician_certification h ON h.technician_id = t.id AND h.certification_id = c.id"
	    " WHERE a.wo_number = ?1 AND a.active = 1 AND h.expires_on >= ?3 AND h.expires_on < ?2 ORDER BY t.name, c.name");
	if (!s)
		return -1;
	db_bind_int(s, 1, number);
	db_bind_text(s, 2, day);
	db_bind_text(s, 3, today);
	size_t o = 0;
	out[0] = '\0';
	int rc;
	while ((rc = db_step(s)) == DB_ROW && o < n)
		o += (size_t)snprintf(out + o, n - o, "%s%s: %s (expires %s)", o ? ", " : "", db_col_text(s, 0),
		    db_col_text(s, 1), db_col_text(s, 2));
	db_done(s);
	return rc == DB_ERROR ? -1 : 0;
}

int
lc_schedule(db_t *db, const struct user *u, struct lc_wo *w, lc_form *f, const struct tz *z, json_t *errs,
    char *msg, size_t ml)
{
	const char *date = lc_fv(f, "appointment_date"), *time = lc_fv(f, "appointment_time");
	const char *tech = lc_fv(f, "technician_name"), *phone = lc_fv(f, "phone_number"), *sched = lc_fv(f, "scheduling_completed");
	int64_t appt = 0;
	if (*date || *time) {
		if (lc_parse_local(date, *time ? time : "", z, &appt))
			lc_field_err(errs, "appointment_date", "Enter the Appointment date and time.");
		else if (appt < now_utc() && appt != w->appointment_at)
			lc_field_err(errs, "appointment_date", "The appointment cannot be in the past.");
	}
	lc_text_ok(errs, "technician_name", tech, 0, "the Technician Name");
	if (lc_text_ok(errs, "phone_number", phone, 0, "the Phone Number") && *phone && !lc_phone_ok(phone))
		lc_field_err(errs, "phone_number", "Enter a phone number of at least 7 digits.");
	char today[16];
	tz_fmt_input_date(z, now_utc(), today);
	if (*sched && sla_parse_day(sched) < 0)
		lc_field_err(errs, "scheduling_completed", "Enter the Scheduling Completed date.");
	else if (*sched && strcmp(sched, today) > 0 && strcmp(sched, w->scheduling_completed))
		lc_field_err(errs, "scheduling_completed", "Scheduling Completed is the day the appointment was agreed: it"
		    " cannot be in the future.");
	/* a technician whose certification lapses before the visit: said, and
	 * kept only when confirmed */
	if (appt && appt != w->appointment_at && !lc_checked(f, "cert_ok")) {
		char day[16], who[400];
		tz_fmt_input_date(z, appt, day);
		if (lapsed_by(db, w->number, day, today, who, sizeof(who)))
			return LC_ERROR;
		if (*who) {
			char m[520];
			snprintf(m, sizeof(m), "A required certification lapses before this appointment: %s. Tick the box to"
			    " keep it anyway.", who);
			lc_field_err(errs, "cert_lapse", m);
		}
	}
	/* before the parts are there: said, and kept only when confirmed */
	int waiting = !strcmp(w->status, "Ship-To Received") || !strcmp(w->status, "Parts Ordered") ||
	    !strcmp(w->status, "Shipping") || !strcmp(w->status, "Shipped");
	if (appt && appt != w->appointment_at && w->parts && waiting && w->est_delivery_at > appt &&
	    !lc_checked(f, "before_parts")) {
		char when[32];
		tz_fmt_date(z, w->est_delivery_at, when);
		char m[160];
		snprintf(m, sizeof(m), "The parts are expected on %s, after this appointment. Tick the box to keep it anyway.",
		    when);
		lc_field_err(errs, "before_parts", m);
	}
	if (json_object_size(errs))
		return LC_BAD_INPUT;
	const char *delay = "";
	if (appt && w->target_sla_at && appt > w->target_sla_at && appt != w->appointment_at) {
		if (!lc_checked(f, "continue"))
			return LC_CONFIRM;
		delay = lc_fv(f, "delay_reason");
		if (!lc_one_of(delay, lc_delay_reasons, FW_ARRAY_LEN(lc_delay_reasons))) {
			lc_field_err(errs, "delay_reason", "Select an Option: the reason for the delay.");
			return LC_BAD_INPUT;
		}
	}
	char a[32], b[32];
	if (appt != w->appointment_at) {
		tz_fmt_datetime(z, w->appointment_at, a);
		tz_fmt_datetime(z, appt, b);
		if (lc_set_col(db, w->number, "appointment_at", NULL, appt, 0) || lc_history(db, u, w->number, "Appointment Date", a, b))
			return LC_ERROR;
		char iso_from[24], iso_to[24];
		tz_fmt_iso(w->appointment_at, iso_from);
		tz_fmt_iso(appt, iso_to);
		if (hook_emit(db, "work_order.scheduled", w->number, json_pack("{s:s?, s:s?}", "from",
		    w->appointment_at ? iso_from : NULL, "to", appt ? iso_to : NULL)))
			return LC_ERROR;
		w->appointment_at = appt;
	}
	if (*delay && (lc_set_col(db, w->number, "delay_reason", delay, 0, 1) ||
	    lc_history(db, u, w->number, "Delay Reason", w->delay_reason, delay)))
		return LC_ERROR;
	if (!*delay && lc_delay_check(db, u, w))
		return LC_ERROR;
	static const struct { const char *field, *col, *label; } text[] = {
		{ "technician_name", "technician_name", "Technician Name" },
		{ "phone_number", "technician_phone", "Phone Number" },
		{ "scheduling_completed", "scheduling_completed", "Scheduling Completed" },
	};
	const char *old[] = { w->technician_name, w->technician_phone, w->scheduling_completed };
	for (size_t i = 0; i < FW_ARRAY_LEN(text); i++) {
		const char *v = lc_fv(f, text[i].field);
		if (!strcmp(v, old[i]))
			continue;
		if (lc_set_col(db, w->number, text[i].col, v, 0, 1) || lc_history(db, u, w->number, text[i].label, old[i], v))
			return LC_ERROR;
	}
	return LC_OK;
}

int
lc_site_times(db_t *db, const struct user *u, struct lc_wo *w, lc_form *f, const struct tz *z, json_t *errs,
    char *msg, size_t ml)
{
	int64_t arrive = 0, depart = 0;
	if (lc_parse_local(lc_fv(f, "arrive_date"), lc_fv(f, "arrive_time"), z, &arrive))
		lc_field_err(errs, "arrive_date", "Enter the Actual Site Arrive Time (Date/Time).");
	if (lc_parse_local(lc_fv(f, "depart_date"), lc_fv(f, "depart_time"), z, &depart))
		lc_field_err(errs, "depart_date", "Enter the Actual Site Departure Time (Date/Time).");
	if (arrive && depart && depart <= arrive)
		lc_field_err(errs, "depart_date", "The departure must be after the arrival.");
	if (arrive > now_utc() + 3600)
		lc_field_err(errs, "arrive_date", "The arrival cannot be in the future.");
	if (depart > now_utc() + 3600)
		lc_field_err(errs, "depart_date", "The departure cannot be in the future.");
	if (json_object_size(errs))
		return LC_BAD_INPUT;
	char a[32], b[32];
	tz_fmt_datetime(z, w->arrive_at, a);
	tz_fmt_datetime(z, arrive, b);
	if (lc_set_col(db, w->number, "arrive_at", NULL, arrive, 0) ||
	    lc_history(db, u, w->number, "Actual Site Arrive Time", a, b))
		return LC_ERROR;
	tz_fmt_datetime(z, w->depart_at, a);
	tz_fmt_datetime(z, depart, b);
	if (lc_set_col(db, w->number, "depart_at", NULL, depart, 0) ||
	    lc_history(db, u, w->number, "Actual Site Departure Time", a, b))
		return LC_ERROR;
	return LC_OK;
}

int
lc_woli_complete(db_t *db, const struct user *u, struct lc_wo *w, lc_form *f, json_t *errs, char *msg, size_t ml)
{
	int64_t line = str_to_id(lc_fv(f, "line"), 6);
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
	return rc == DB_DONE && !lc_history(db, u, w->number, label, "New", "Completed") ? LC_OK : LC_ERROR;
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

int
lc_complete(db_t *db, const struct user *u, struct lc_wo *w, lc_form *f, json_t *errs, char *msg, size_t ml)
{
	const char *to;
	if (lc_check(SA_COMPLETE, u, w, &to, msg, ml))
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
	int rr = str_to_cents(lc_fv(f, "rental_cost"), &rc_cents), pr = str_to_cents(lc_fv(f, "permit_cost"), &pc_cents);
	if (rr < 0)
		lc_field_err(errs, "rental_cost", "Enter the Rental Equipment Cost as an amount with up to two decimals, or leave it blank.");
	if (pr < 0)
		lc_field_err(errs, "permit_cost", "Enter the Permit Cost as an amount with up to two decimals, or leave it blank.");
	lc_text_ok(errs, "rental_details", lc_fv(f, "rental_details"), rr == 0, "the Rental Equipment Details for the cost");
	lc_text_ok(errs, "permit_details", lc_fv(f, "permit_details"), pr == 0, "the Permit Details for the cost");
	if (json_object_size(errs))
		return LC_BAD_INPUT;
	db_stmt *s = db_prep(db, "UPDATE wo SET rental_details = ?2, rental_cost_cents = ?3, permit_details = ?4,"
	    " permit_cost_cents = ?5, completed_at = ?6 WHERE number = ?1");
	if (!s)
		return LC_ERROR;
	db_bind_int(s, 1, w->number);
	db_bind_text(s, 2, lc_fv(f, "rental_details"));
	if (rr == 0)
		db_bind_int(s, 3, rc_cents);
	db_bind_text(s, 4, lc_fv(f, "permit_details"));
	if (pr == 0)
		db_bind_int(s, 5, pc_cents);
	db_bind_int(s, 6, now_utc());
	int rc = db_step(s);
	db_done(s);
	return rc == DB_DONE && !lc_set_status(db, u, w, to) ? LC_OK : LC_ERROR;
}


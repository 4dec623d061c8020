/* wo_record.c -- the work order record of the guide's chapter 4: the
 * Details, Related and Related RMA / FSO tabs' data (stations, line items,
 * history, files, part orders), and who may see which work order.  Part
 * of the wo module (wo.h). */
#include "wo.h"
#include "sla.h"
#include "files.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void
set_str(json_t *o, const char *k, const char *v)
{
	json_object_set_new(o, k, json_string(v));
}

/* The Map of Customer Information: the first located station's
 * coordinates and a link to OpenStreetMap there.  This function can't
 * fail. */
static void
add_map(json_t *wo, int64_t lat_e6, int64_t lon_e6, const char *name)
{
	char lat[24], lon[24], url[160];
	snprintf(lat, sizeof(lat), "%.6f", (double)lat_e6 / 1e6);
	snprintf(lon, sizeof(lon), "%.6f", (double)lon_e6 / 1e6);
	snprintf(url, sizeof(url), "https://www.openstreetmap.org/?mlat=%s&mlon=%s#map=17/%s/%s", lat, lon, lat, lon);
	json_t *m = json_object();
	set_str(m, "lat", lat);
	set_str(m, "lon", lon);
	set_str(m, "osm_url", url);
	set_str(m, "station", name);
	json_object_set_new(wo, "map", m);
}

static int
add_stations(db_t *db, int64_t number, json_t *wo)
{
	db_stmt *s = db_prep(db, "SELECT s.name, s.serial, s.mac, s.model, s.street, s.city, s.state,"
	    " s.postal_code, s.country, s.lat_e6, s.lon_e6 FROM wo_station ws JOIN station s ON s.id = ws.station_id"
	    " WHERE ws.wo_number = ?1 ORDER BY ws.seq");
	if (!s)
		return -1;
	db_bind_int(s, 1, number);
	json_t *a = json_array();
	int i = 0;
	while (db_step(s) == DB_ROW) {
		json_t *st = json_object();
		char label[24], addr[512];
		snprintf(label, sizeof(label), "Station-%d", ++i);
		snprintf(addr, sizeof(addr), "%s, %s, %s, %s - %s", db_col_text(s, 4), db_col_text(s, 5),
		    db_col_text(s, 6), db_col_text(s, 8), db_col_text(s, 7));
		set_str(st, "label", label);
		set_str(st, "name", db_col_text(s, 0));
		set_str(st, "serial_number", db_col_text(s, 1));
		set_str(st, "mac_address", db_col_text(s, 2));
		set_str(st, "station_model", db_col_text(s, 3));
		set_str(st, "station_physical_address", addr);
		json_array_append_new(a, st);
		if (!json_object_get(wo, "map") && !db_col_is_null(s, 9) && !db_col_is_null(s, 10))
			add_map(wo, db_col_int(s, 9), db_col_int(s, 10), db_col_text(s, 0));
	}
	db_done(s);
	json_object_set_new(wo, "stations", a);
	return 0;
}

static int
add_line_items(db_t *db, int64_t number, json_t *wo)
{
	db_stmt *s = db_prep(db, "SELECT l.line_number, l.work_type, COALESCE(s.name, ''), l.warranty_type,"
	    " l.description, l.status FROM woli l LEFT JOIN station s ON s.id = l.station_id"
	    " WHERE l.wo_number = ?1 ORDER BY l.line_number");
	if (!s)
		return -1;
	db_bind_int(s, 1, number);
	json_t *a = json_array();
	while (db_step(s) == DB_ROW) {
		json_t *l = json_object();
		char num[24];
		snprintf(num, sizeof(num), "%08lld", (long long)db_col_int(s, 0));
		set_str(l, "line_item_number", num);
		json_object_set_new(l, "line", json_integer(db_col_int(s, 0)));
		set_str(l, "work_type", db_col_text(s, 1));
		set_str(l, "station", db_col_text(s, 2));
		set_str(l, "warranty_type", db_col_text(s, 3));
		set_str(l, "description", db_col_text(s, 4));
		set_str(l, "status", db_col_text(s, 5));
		json_array_append_new(a, l);
	}
	db_done(s);
	json_object_set_new(wo, "line_items", a);
	return 0;
}

static int
add_history(db_t *db, int64_t number, json_t *wo, const struct tz *z)
{
	db_stmt *s = db_prep(db, "SELECT at, field, user_label, old_value, new_value FROM wo_history"
	    " WHERE wo_number = ?1 ORDER BY at DESC, seq DESC LIMIT 500");
	if (!s)
		return -1;
	db_bind_int(s, 1, number);
	json_t *a = json_array();
	while (db_step(s) == DB_ROW) {
		json_t *h = json_object();
		wo_json_time(h, "date", db_col_int(s, 0), z);
		set_str(h, "field", db_col_text(s, 1));
		set_str(h, "user", db_col_text(s, 2));
		set_str(h, "original_value", db_col_text(s, 3));
		set_str(h, "new_value", db_col_text(s, 4));
		json_array_append_new(a, h);
	}
	db_done(s);
	json_object_set_new(wo, "history", a);
	return 0;
}

static int
add_files(db_t *db, int64_t number, json_t *wo, const struct tz *z)
{
	db_stmt *s = db_prep(db, "SELECT id, title, owner_label, modified_at, size, mime FROM file"
	    " WHERE wo_number = ?1 ORDER BY modified_at DESC, id DESC");
	if (!s)
		return -1;
	db_bind_int(s, 1, number);
	json_t *a = json_array();
	while (db_step(s) == DB_ROW) {
		json_t *f = json_object();
		char size[24];
		files_size_label(db_col_int(s, 4), size);
		json_object_set_new(f, "id", json_integer(db_col_int(s, 0)));
		set_str(f, "title", db_col_text(s, 1));
		set_str(f, "owner", db_col_text(s, 2));
		wo_json_time(f, "last_modified", db_col_int(s, 3), z);
		json_object_set_new(f, "bytes", json_integer(db_col_int(s, 4)));
		set_str(f, "size", size);
		json_object_set_new(f, "is_image", json_boolean(!strncmp(db_col_text(s, 5), "image/", 6)));
		json_array_append_new(a, f);
	}
	db_done(s);
	json_object_set_new(wo, "files", a);
	return 0;
}

static int
add_part_orders(db_t *db, int64_t number, json_t *wo, const struct tz *z)
{
	db_stmt *s = db_prep(db, "SELECT order_number, order_class, created_at, carrier, tracking, status,"
	    " est_delivery, delivered_at FROM part_order WHERE wo_number = ?1 ORDER BY created_at DESC, id DESC");
	if (!s)
		return -1;
	db_bind_int(s, 1, number);
	json_t *a = json_array();
	while (db_step(s) == DB_ROW) {
		json_t *p = json_object();
		char d[16];
		set_str(p, "order_number", db_col_text(s, 0));
		set_str(p, "order_class", db_col_text(s, 1));
		wo_json_time(p, "created_date", db_col_int(s, 2), z);
		set_str(p, "carrier", db_col_text(s, 3));
		set_str(p, "tracking_number", db_col_text(s, 4));
		set_str(p, "status", db_col_text(s, 5));
		tz_fmt_date(z, db_col_int(s, 6), d);
		set_str(p, "estimated_delivery_local", d);
		tz_fmt_date(z, db_col_int(s, 7), d);
		set_str(p, "delivered_local", d);
		json_array_append_new(a, p);
	}
	db_done(s);
	json_object_set_new(wo, "part_orders", a);
	return 0;
}

static json_t *
money(db_stmt *s, int col)
{
	if (db_col_is_null(s, col))
		return json_null();
	char m[32];
	int64_t c = db_col_int(s, col);
	str_from_cents(c, m);
	return json_string(m);
}

/* The fields the lifecycle writes, and the values its forms start from. */
static void
add_lifecycle(db_stmt *s, json_t *w, const struct tz *z)
{
	char d[16], t[8];
	json_object_set_new(w, "version", json_integer(db_col_int(s, 36)));
	json_t *sh = json_object();
	json_object_set_new(sh, "is_residential", json_boolean(db_col_int(s, 37)));
	set_str(sh, "ship_to_name", db_col_text(s, 38));
	set_str(sh, "ship_to_phone", db_col_text(s, 39));
	set_str(sh, "shipping_party", db_col_text(s, 40));
	json_object_set_new(sh, "liftgate", json_boolean(db_col_int(s, 41)));
	json_object_set_new(sh, "pallet_jack", json_boolean(db_col_int(s, 42)));
	set_str(sh, "street", db_col_text(s, 43));
	set_str(sh, "city", db_col_text(s, 44));
	set_str(sh, "state", db_col_text(s, 45));
	set_str(sh, "postal_code", db_col_text(s, 46));
	set_str(sh, "country", db_col_text(s, 47));
	json_object_set_new(w, "shipping", sh);
	json_t *tr = json_object();
	char num[32];
	int64_t tenths = db_col_int(s, 48), cents = db_col_int(s, 49);
	snprintf(num, sizeof(num), "%lld.%lld", (long long)(tenths / 10), (long long)(tenths % 10));
	set_str(tr, "travel_distance", db_col_int(s, 59) ? num : "");
	str_from_cents(cents, num);
	set_str(tr, "travel_cost", db_col_int(s, 59) ? num : "");
	json_object_set_new(tr, "covered_miles", json_integer(db_col_int(s, 58)));
	int64_t trip = db_col_int(s, 64), rate = db_col_int(s, 63);
	snprintf(num, sizeof(num), "%lld.%lld", (long long)(trip / 10), (long long)(trip % 10));
	set_str(tr, "round_trip", db_col_int(s, 59) && trip ? num : "");
	str_from_cents(rate, num);
	set_str(tr, "contract_rate", rate ? num : "");
	json_object_set_new(w, "travel", tr);
	wo_json_time(w, "estimated_delivery_date", db_col_int(s, 50), z);
	set_str(w, "hold_resume_on", db_col_text(s, 51));
	char resume[16];
	tz_fmt_isoday(db_col_text(s, 51), resume);
	set_str(w, "hold_resume_on_local", resume);
	set_str(w, "rental_equipment_details", db_col_text(s, 52));
	json_object_set_new(w, "rental_equipment_cost", money(s, 53));
	set_str(w, "permit_details", db_col_text(s, 54));
	json_object_set_new(w, "permit_cost", money(s, 55));
	json_object_set_new(w, "reissued_from", db_col_int(s, 56) ? json_integer(db_col_int(s, 56)) : json_null());
	json_object_set_new(w, "reissued_as", db_col_int(s, 57) ? json_integer(db_col_int(s, 57)) : json_null());
	json_t *in = json_object();
	/* no appointment yet: the schedule form offers the latest day inside
	 * the Target SLA Date (once the parts are there, the partner's next
	 * step) */
	int64_t appt = db_col_int(s, 11), target = db_col_int(s, 12);
	tz_fmt_input_date(z, appt ? appt : target > now_utc() ? target : 0, d);
	set_str(in, "appointment_date", d);
	tz_fmt_input_time(z, db_col_int(s, 11), t);
	set_str(in, "appointment_time", t);
	set_str(in, "scheduling_completed", db_col_text(s, 27));
	set_str(in, "technician_name", db_col_text(s, 25));
	set_str(in, "phone_number", db_col_text(s, 26));
	tz_fmt_input_date(z, db_col_int(s, 28), d);
	set_str(in, "arrive_date", d);
	tz_fmt_input_time(z, db_col_int(s, 28), t);
	set_str(in, "arrive_time", t);
	tz_fmt_input_date(z, db_col_int(s, 29), d);
	set_str(in, "depart_date", d);
	tz_fmt_input_time(z, db_col_int(s, 29), t);
	set_str(in, "depart_time", t);
	json_object_set_new(w, "form", in);
	json_object_set_new(w, "needs_reassignment", json_boolean(db_col_int(s, 60)));
}

int
wo_visible(db_t *db, const struct wo_scope *sc, int64_t number)
{
	db_stmt *s = db_prep(db, "SELECT 1 FROM wo w WHERE w.number = ?1 AND (?2 = 1"
	    " OR (?3 > 0 AND EXISTS (SELECT 1 FROM wo_assignment a WHERE a.wo_number = w.number"
	    "  AND a.technician_id = ?3 AND a.active = 1))"
	    " OR (?3 = 0 AND w.owner_org_id = ?4))");
	if (!s)
		return WO_ERROR;
	db_bind_int(s, 1, number);
	db_bind_int(s, 2, sc->all);
	db_bind_int(s, 3, sc->tech_id);
	db_bind_int(s, 4, sc->org_id);
	int rc = db_step(s);
	db_done(s);
	return rc == DB_ROW ? WO_OK : rc == DB_DONE ? WO_NOT_FOUND : WO_ERROR;
}

/* Whose side the time went on, in business days of the SLA calendar (the
 * business zone's days, America/Chicago): the carrier's from the first
 * shipment to the last delivery (or now), the operator's On Hold, the
 * rest since the WO Assigned Date the partner's, up to completion or now.
 * IN: assigned, completed, hold_since, held_days, parts.  0 or -1. */
static int
add_clock(db_t *db, int64_t number, const int64_t in[6], json_t *w)
{
	const struct tz *z = tz_get("America/Chicago");
	z = z ? z : tz_utc();
	int64_t now = now_utc(), end = in[1] ? in[1] : now;
	int64_t shipped = 0, delivered = 0, waiting = 0;
	if (in[4]) {
		db_stmt *s = db_prep(db, "SELECT min(created_at), max(delivered_at), min(delivered_at) FROM part_order"
		    " WHERE wo_number = ?1");
		if (!s)
			return -1;
		db_bind_int(s, 1, number);
		if (db_step(s) == DB_ROW) {
			shipped = db_col_int(s, 0);
			delivered = db_col_int(s, 1);
			waiting = !db_col_is_null(s, 2) && db_col_int(s, 2) == 0;   /* one still on its way */
		}
		db_done(s);
	}
	struct sla_calendar *cal = malloc(sizeof(*cal));
	if (!cal || sla_calendar_load(db, cal)) {
		free(cal);
		return -1;
	}
#define DAY(t) tz_local_day(z, (t), NULL)
	int carrier = shipped ? sla_business_days_between(cal, DAY(shipped), DAY(waiting || !delivered ? end : delivered))
	    : 0;
	int held = (int)in[3] + (in[2] ? sla_business_days_between(cal, DAY(in[2]), DAY(now)) : 0);
	int all = in[0] ? sla_business_days_between(cal, DAY(in[0]), DAY(end)) : 0;
#undef DAY
	free(cal);
	int partner = all - carrier - held;
	json_t *c = json_object();
	json_object_set_new(c, "partner_days", json_integer(partner > 0 ? partner : 0));
	json_object_set_new(c, "operator_days", json_integer(held));
	json_object_set_new(c, "carrier_days", json_integer(carrier));
	json_object_set_new(w, "sla_clock", c);
	return 0;
}

int
wo_get(db_t *db, const struct wo_scope *sc, int64_t number, const struct tz *z, json_t **out)
{
	*out = NULL;
	int seen = wo_visible(db, sc, number);
	if (seen != WO_OK)
		return seen;
	db_stmt *s = db_prep(db,
	    "SELECT w.number, w.case_number, w.subject, w.status, o.name, w.account_name, w.territory_name,"
	    " t.zone, w.entitlement_name, w.work_type_name, w.assigned_at, w.appointment_at, w.target_sla_at,"
	    " COALESCE(cse.name, ''), w.total_stations, w.site_validations, COALESCE(c.name, ''),"
	    " COALESCE(c.email, ''), COALESCE(c.phone, ''), w.site_street, w.site_city, w.site_state,"
	    " w.site_postal_code, w.site_country, w.technician_label, w.technician_name, w.technician_phone,"
	    " w.scheduling_completed, w.arrive_at, w.depart_at, w.delay_reason, w.parts_needed,"
	    " w.completed_at, w.closed_at, w.status_reason, w.owner_org_id, w.version, w.ship_residential, w.ship_name,"
	    " w.ship_phone, w.shipping_party, w.ship_liftgate, w.ship_pallet_jack, w.ship_street, w.ship_city,"
	    " w.ship_state, w.ship_postal_code, w.ship_country, w.travel_distance_tenths, w.travel_cost_cents,"
	    " w.est_delivery_at, w.hold_resume_on, w.rental_details, w.rental_cost_cents, w.permit_details,"
	    " w.permit_cost_cents, COALESCE(w.reissued_from, 0), COALESCE(w.reissued_as, 0), o.dispatch_covered_miles,"
	    " w.accepted_at, w.needs_reassignment, w.hold_since, w.held_days, o.travel_rate_cents,"
	    " w.travel_round_trip_tenths"
	    " FROM wo w JOIN org o ON o.id = w.owner_org_id JOIN territory t ON t.id = w.territory_id"
	    " LEFT JOIN users cse ON cse.id = w.cse_user_id LEFT JOIN contact c ON c.id = w.contact_id"
	    " WHERE w.number = ?1");
	if (!s)
		return WO_ERROR;
	db_bind_int(s, 1, number);
	int rc = db_step(s);
	if (rc != DB_ROW) {
		db_done(s);
		return rc == DB_ERROR ? WO_ERROR : WO_NOT_FOUND;
	}
	json_t *w = json_object();
	json_object_set_new(w, "number", json_integer(db_col_int(s, 0)));
	set_str(w, "case", db_col_text(s, 1));
	set_str(w, "subject", db_col_text(s, 2));
	set_str(w, "status", db_col_text(s, 3));
	char key[32];
	set_str(w, "status_key", wo_status_key(db_col_text(s, 3), key, sizeof(key)));
	set_str(w, "owner", db_col_text(s, 4));
	set_str(w, "account", db_col_text(s, 5));
	set_str(w, "service_territory", db_col_text(s, 6));
	set_str(w, "zone", db_col_text(s, 7));
	set_str(w, "entitlement", db_col_text(s, 8));
	set_str(w, "work_type", db_col_text(s, 9));
	wo_json_time(w, "wo_assigned_date", db_col_int(s, 10), z);
	wo_json_time(w, "appointment_date", db_col_int(s, 11), z);
	wo_json_sla(w, db_col_int(s, 12), db_col_text(s, 3), now_utc(), z);
	set_str(w, "customer_service_executive", db_col_text(s, 13));
	json_object_set_new(w, "parts_needed", json_boolean(db_col_int(s, 31)));
	wo_json_time(w, "actual_site_arrive_time", db_col_int(s, 28), z);
	wo_json_time(w, "actual_site_departure_time", db_col_int(s, 29), z);
	set_str(w, "delay_reason", db_col_text(s, 30));
	wo_json_time(w, "completed_date", db_col_int(s, 32), z);
	wo_json_time(w, "closed_date", db_col_int(s, 33), z);
	set_str(w, "status_reason", db_col_text(s, 34));

	json_t *ci = json_object();
	set_str(ci, "account", db_col_text(s, 5));
	int64_t ts = db_col_int(s, 14), sv = db_col_int(s, 15);
	json_object_set_new(ci, "number_of_total_stations", ts ? json_integer(ts) : json_null());
	json_object_set_new(ci, "number_of_site_validations", sv ? json_integer(sv) : json_null());
	set_str(ci, "contact", db_col_text(s, 16));
	set_str(ci, "case_contact_email", db_col_text(s, 17));
	set_str(ci, "case_contact_phone", db_col_text(s, 18));
	json_t *addr = json_object();
	set_str(addr, "street", db_col_text(s, 19));
	set_str(addr, "city", db_col_text(s, 20));
	set_str(addr, "state", db_col_text(s, 21));
	set_str(addr, "postal_code", db_col_text(s, 22));
	set_str(addr, "country", db_col_text(s, 23));
	json_object_set_new(ci, "address", addr);
	char d[16], tm[32];
	int64_t appt = db_col_int(s, 11);
	tz_fmt_date(z, appt, d);
	set_str(ci, "appointment_date", d);
	tz_fmt_datetime(z, appt, tm);
	set_str(ci, "appointment_time", appt ? strchr(tm, ' ') + 1 : "");
	set_str(ci, "technician_name_email", db_col_text(s, 24));
	set_str(ci, "technician_name", db_col_text(s, 25));
	set_str(ci, "phone_number", db_col_text(s, 26));
	tz_fmt_isoday(db_col_text(s, 27), d);
	set_str(ci, "scheduling_completed", d);
	json_object_set_new(w, "customer_information", ci);
	add_lifecycle(s, w, z);
	int64_t clock_in[6] = { db_col_int(s, 10), db_col_int(s, 32), db_col_int(s, 61), db_col_int(s, 62),
		db_col_int(s, 31), 0 };
	db_done(s);
	if (add_clock(db, number, clock_in, w))
		goto fail;

	if (add_stations(db, number, w) || add_line_items(db, number, w) || add_history(db, number, w, z) ||
	    add_files(db, number, w, z) || add_part_orders(db, number, w, z))
		goto fail;
	json_object_set_new(w, "line_item_count", json_integer((json_int_t)json_array_size(json_object_get(w, "line_items"))));
	json_object_set_new(w, "history_count", json_integer((json_int_t)json_array_size(json_object_get(w, "history"))));
	json_object_set_new(w, "file_count", json_integer((json_int_t)json_array_size(json_object_get(w, "files"))));
	*out = w;
	return WO_OK;
fail:
	json_decref(w);
	return WO_ERROR;
}


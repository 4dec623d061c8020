/* dash.c -- see dash.h.  Each chart's bars carry their share of the
 * largest value (0-100), so the page draws them as SVG without script. */
#include "dash.h"
#include "sla.h"
#include "wo.h"
#include "util.h"

#include <stdio.h>
#include <string.h>

/* The scope of a statement: one company (?1), or for the operator (?1 = 0)
 * every company, spelled as a list so that the per-company indexes, which
 * all lead with owner_org_id, serve both. */
static const char *
scope_sql(int64_t org)
{
	return org ? "= ?1" : "IN (SELECT id FROM org WHERE ?1 = 0)";
}

/* An array of {label, value} from SQL (label, count), with bar widths. */
static json_t *
bars(db_t *db, const char *fmt, int64_t org, int64_t now)
{
	char sql[1024];
	snprintf(sql, sizeof(sql), fmt, scope_sql(org));
	db_stmt *s = db_prep(db, sql);
	if (!s)
		return NULL;
	db_bind_int(s, 1, org);
	db_bind_int(s, 2, now);
	json_t *a = json_array();
	int64_t max = 0;
	while (db_step(s) == DB_ROW) {
		json_t *o = json_object();
		int64_t v = db_col_int(s, 1);
		json_object_set_new(o, "label", json_string(db_col_text(s, 0)));
		json_object_set_new(o, "value", json_integer(v));
		json_array_append_new(a, o);
		if (v > max)
			max = v;
	}
	db_done(s);
	size_t i;
	json_t *o;
	json_array_foreach(a, i, o) {
		int64_t v = json_integer_value(json_object_get(o, "value"));
		json_object_set_new(o, "pct", json_integer(max ? v * 100 / max : 0));
		json_object_set_new(o, "w", json_integer(max ? v * 250 / max : 0));   /* px of a 600 wide chart */
		json_object_set_new(o, "y", json_integer((json_int_t)i * 28));
		json_object_set_new(o, "ty", json_integer((json_int_t)i * 28 + 15));
	}
	return a;
}

/* Average days from WO Assigned Date to acceptance and to completion, over
 * the work orders assigned in the last 90 days (one range of an index that
 * holds all three times, and the recent pace is what a dispatcher steers
 * by), as days_to_accept and days_to_complete of D. */
static void
days_json(db_t *db, int64_t org, int64_t now, json_t *d)
{
	char sql[600];
	snprintf(sql, sizeof(sql), "SELECT CASE WHEN count(NULLIF(accepted_at, 0)) > 0 THEN round(AVG(CASE WHEN accepted_at > 0"
	    " THEN (accepted_at - assigned_at) / 86400.0 END), 1) END, CASE WHEN count(NULLIF(completed_at, 0)) > 0 THEN"
	    " round(AVG(CASE WHEN completed_at > 0 THEN (completed_at - assigned_at) / 86400.0 END), 1) END"
	    " FROM wo INDEXED BY wo_pace WHERE owner_org_id %s AND assigned_at >= ?2 - 90 * 86400", scope_sql(org));
	db_stmt *s = db_prep(db, sql);
	json_t *acc = json_null(), *done = json_null();
	if (s) {
		db_bind_int(s, 1, org);
		db_bind_int(s, 2, now);
		if (db_step(s) == DB_ROW) {
			if (!db_col_is_null(s, 0))
				acc = json_string(db_col_text(s, 0));
			if (!db_col_is_null(s, 1))
				done = json_string(db_col_text(s, 1));
		}
		db_done(s);
	}
	json_object_set_new(d, "days_to_accept", acc);
	json_object_set_new(d, "days_to_complete", done);
}

/* "87 %" of N of D, or null when D is 0. */
static json_t *
pct(int64_t n, int64_t d)
{
	char t[16];
	if (!d)
		return json_null();
	snprintf(t, sizeof(t), "%lld %%", (long long)((n * 100 + d / 2) / d));
	return json_string(t);
}

#define SCORE_MONTHS 6

/* The scorecard: the SLA hit rate (completed by the Target SLA Date over
 * completed, work orders with a target) for each of the last six months
 * of completion in Z, and the first-time-fix rate (work orders completed
 * that were no reissue, over every one that ended Completed, Closed or
 * Could Not Complete, finished in those months).  0 or -1. */
static int
scorecard(db_t *db, int64_t org, int64_t now, const struct tz *z, json_t *d)
{
	char sql[800];
	snprintf(sql, sizeof(sql), "SELECT count(*), COALESCE(SUM(CASE WHEN completed_at <= target_sla_at THEN 1 ELSE 0"
	    " END), 0) FROM wo INDEXED BY wo_hit WHERE owner_org_id %s AND state_class = 1 AND completed_at >= ?2"
	    " AND completed_at < ?3 AND target_sla_at > 0", scope_sql(org));
	db_stmt *s = db_prep(db, sql);
	if (!s)
		return -1;
	int y, m, dd;
	tz_civil_from_days(tz_local_day(z, now, NULL), &y, &m, &dd);
	json_t *months = json_array();
	int64_t all = 0, hit = 0, first = 0;
	for (int k = SCORE_MONTHS - 1; k >= 0; k--) {
		int my = y, mm = m - k;
		while (mm < 1) {
			mm += 12;
			my--;
		}
		int64_t from, to;
		tz_local_to_utc(z, my, mm, 1, 0, 0, &from);
		tz_local_to_utc(z, mm == 12 ? my + 1 : my, mm == 12 ? 1 : mm + 1, 1, 0, 0, &to);
		if (k == SCORE_MONTHS - 1)
			first = from;
		db_bind_int(s, 1, org);
		db_bind_int(s, 2, from);
		db_bind_int(s, 3, to);
		int64_t n = 0, on = 0;
		if (db_step(s) == DB_ROW) {
			n = db_col_int(s, 0);
			on = db_col_int(s, 1);
		}
		db_done(s);
		static const char *const names[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct",
			"Nov", "Dec" };
		char label[16];
		snprintf(label, sizeof(label), "%s %d", names[mm - 1], my);
		json_t *o = json_object();
		json_object_set_new(o, "month", json_string(label));
		json_object_set_new(o, "completed", json_integer(n));
		json_object_set_new(o, "on_time", json_integer(on));
		json_object_set_new(o, "rate", pct(on, n));
		json_array_append_new(months, o);
		all += n;
		hit += on;
	}
	json_object_set_new(d, "hit_rate_months", months);
	json_object_set_new(d, "hit_rate", pct(hit, all));
	/* first-time fix: of the work orders that ended in those months --
	 * completed (by their Completed Date) or Could Not Complete (by when
	 * they were marked) -- those completed that are no reissue; two
	 * covering ranges */
	snprintf(sql, sizeof(sql), "SELECT (SELECT count(*) FROM wo INDEXED BY wo_hit WHERE owner_org_id %s AND state_class = 1"
	    " AND completed_at >= ?2 AND reissued_from IS NULL), (SELECT count(*) FROM wo INDEXED BY wo_hit"
	    " WHERE owner_org_id %s AND state_class = 1 AND completed_at >= ?2) + (SELECT count(*) FROM wo INDEXED BY wo_cc"
	    " WHERE owner_org_id %s AND status = 'Cannot Complete' AND updated_at >= ?2)",
	    scope_sql(org), scope_sql(org), scope_sql(org));
	s = db_prep(db, sql);
	if (!s)
		return -1;
	db_bind_int(s, 1, org);
	db_bind_int(s, 2, first);
	int rc = db_step(s);
	json_object_set_new(d, "first_time_fix", rc == DB_ROW ? pct(db_col_int(s, 0), db_col_int(s, 1)) : json_null());
	db_done(s);
	return rc == DB_ROW ? 0 : -1;
}

/* The numbers of ORG that the operator's partners table shows side by side
 * and the Dashboard heads with, into D: open, at_risk_count,
 * missed_total (MISSED when the caller counted them, -1 to count here),
 * the scorecard and the days.  0 or -1. */
static int
summary(db_t *db, int64_t org, int64_t now, const struct tz *z, int64_t missed, json_t *d)
{
	int64_t open, risk = dash_at_risk(db, org, now);
	if (risk < 0 || wo_class_count(db, org, 0, &open) != WO_OK)
		return -1;
	json_object_set_new(d, "open", json_integer(open));
	json_object_set_new(d, "at_risk_count", json_integer(risk));
	days_json(db, org, now, d);
	if (missed >= 0) {
		json_object_set_new(d, "missed_total", json_integer(missed));
		return scorecard(db, org, now, z, d);
	}
	char sql[400];
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM wo INDEXED BY wo_missed WHERE owner_org_id %s AND state_class = 1"
	    " AND target_sla_at > 0 AND completed_at > target_sla_at", scope_sql(org));
	db_stmt *s = db_prep(db, sql);
	if (!s)
		return -1;
	db_bind_int(s, 1, org);
	int rc = db_step(s);
	json_object_set_new(d, "missed_total", json_integer(rc == DB_ROW ? db_col_int(s, 0) : 0));
	db_done(s);
	return rc == DB_ROW ? scorecard(db, org, now, z, d) : -1;
}

json_t *
dash_numbers(db_t *db, int64_t org, int64_t now, const struct tz *z)
{
	json_t *d = json_object();
	/* the counts the triggers keep: no scan of the work orders */
	json_t *by_status = bars(db, "SELECT status, SUM(n) FROM wo_count WHERE owner_org_id %s AND ?2 = ?2"
	    " AND status IN ('Assigned', 'Ship-To Received', 'Parts Ordered', 'Shipping', 'Shipped', 'Parts Delivered',"
	    " 'In Progress', 'On Hold') GROUP BY status HAVING SUM(n) > 0 ORDER BY SUM(n) DESC, status", org, now);
	/* missed: completed after the Target SLA Date, by the reason given (if
	 * any): the fact, not a stored reason (wo_missed, a partial index) */
	json_t *missed = bars(db, "SELECT CASE WHEN delay_reason = '' THEN 'No reason given' ELSE delay_reason END,"
	    " count(*) FROM wo INDEXED BY wo_missed WHERE owner_org_id %s AND state_class = 1 AND target_sla_at > 0"
	    " AND completed_at > target_sla_at AND ?2 = ?2 GROUP BY delay_reason ORDER BY count(*) DESC", org, now);
	/* each technician's open work orders with them, counted by triggers
	 * per company (tech_load, migration 022) */
	json_t *load = bars(db, "SELECT t.name, x.n FROM (SELECT technician_id AS tid, CAST(SUM(n) AS BIGINT) AS n"
	    " FROM tech_load WHERE owner_org_id %s AND ?2 = ?2 GROUP BY technician_id HAVING SUM(n) > 0) x"
	    " JOIN technician t ON t.id = x.tid ORDER BY x.n DESC, t.name LIMIT 30", org, now);
	if (!by_status || !missed || !load) {
		json_decref(by_status);
		json_decref(missed);
		json_decref(load);
		json_decref(d);
		return NULL;
	}
	int64_t missed_total = 0;
	size_t i;
	json_t *o;
	json_array_foreach(missed, i, o)
		missed_total += json_integer_value(json_object_get(o, "value"));
	json_object_set_new(d, "open_by_status", by_status);
	json_object_set_new(d, "missed_by_reason", missed);
	json_object_set_new(d, "technician_load", load);
	json_object_set_new(d, "chart_status_h", json_integer((json_int_t)json_array_size(by_status) * 28));
	json_object_set_new(d, "chart_missed_h", json_integer((json_int_t)json_array_size(missed) * 28));
	json_object_set_new(d, "chart_load_h", json_integer((json_int_t)json_array_size(load) * 28));
	/* SLA at risk: sla.h's rule */
	char sql[400];
	snprintf(sql, sizeof(sql), "SELECT number, status, target_sla_at, appointment_at FROM wo WHERE owner_org_id %s"
	    " AND state_class = 0 AND " SLA_AT_RISK_SQL(2) " ORDER BY target_sla_at LIMIT 200", scope_sql(org));
	db_stmt *s = db_prep(db, sql);
	json_t *risk = json_array();
	if (s) {
		db_bind_int(s, 1, org);
		db_bind_int(s, 2, sla_at_risk_until(now));
		while (db_step(s) == DB_ROW) {
			json_t *r = json_object();
			char t[32], a[32];
			tz_fmt_datetime(z, db_col_int(s, 2), t);
			tz_fmt_datetime(z, db_col_int(s, 3), a);
			json_object_set_new(r, "number", json_integer(db_col_int(s, 0)));
			json_object_set_new(r, "status", json_string(db_col_text(s, 1)));
			json_object_set_new(r, "target_sla_local", json_string(t));
			json_object_set_new(r, "appointment_local", json_string(a));
			json_object_set_new(r, "overdue", json_boolean(db_col_int(s, 2) < now));
			json_array_append_new(risk, r);
		}
		db_done(s);
	}
	json_object_set_new(d, "at_risk", risk);
	if (summary(db, org, now, z, missed_total, d)) {
		json_decref(d);
		return NULL;
	}
	/* the list shows the first 200 by target; the count is all of them */
	json_object_set_new(d, "at_risk_shown", json_integer((json_int_t)json_array_size(risk)));
	json_object_set_new(d, "at_risk_more", json_boolean(json_integer_value(json_object_get(d, "at_risk_count")) >
	    (json_int_t)json_array_size(risk)));
	return d;
}

json_t *
dash_by_partner(db_t *db, int64_t now, const struct tz *z)
{
	db_stmt *s = db_prep(db, "SELECT id, name FROM org WHERE kind = 'partner' ORDER BY name");
	if (!s)
		return NULL;
	int64_t ids[64];
	char names[64][128];
	size_t n = 0;
	while (db_step(s) == DB_ROW && n < 64) {
		ids[n] = db_col_int(s, 0);
		str_copy(names[n], db_col_text(s, 1), sizeof(names[n]));
		n++;
	}
	db_done(s);
	json_t *a = json_array();
	for (size_t i = 0; i < n; i++) {
		json_t *d = json_object();
		if (summary(db, ids[i], now, z, -1, d)) {
			json_decref(d);
			json_decref(a);
			return NULL;
		}
		json_object_set_new(d, "company", json_string(names[i]));
		json_array_append_new(a, d);
	}
	return a;
}

int64_t
dash_at_risk(db_t *db, int64_t org, int64_t now)
{
	/* sla.h's rule as the open work orders (the counters) less those it
	 * leaves out: no target, or a target after the window's end and no
	 * appointment after it -- two range scans of the (company, class,
	 * target, appointment) index over work not yet due, however much is
	 * overdue, neither visiting a row */
	int64_t open;
	if (wo_class_count(db, org, 0, &open) != WO_OK)
		return -1;
	char sql[480];
	snprintf(sql, sizeof(sql), "SELECT (SELECT count(*) FROM wo INDEXED BY wo_p_target WHERE owner_org_id %s"
	    " AND state_class = 0 AND target_sla_at <= 0) + (SELECT count(*) FROM wo INDEXED BY wo_p_target"
	    " WHERE owner_org_id %s AND state_class = 0 AND target_sla_at > ?2 AND appointment_at <= target_sla_at)",
	    scope_sql(org), scope_sql(org));
	db_stmt *s = db_prep(db, sql);
	if (!s)
		return -1;
	db_bind_int(s, 1, org);
	db_bind_int(s, 2, sla_at_risk_until(now));
	int64_t n = db_step(s) == DB_ROW ? open - db_col_int(s, 0) : -1;
	db_done(s);
	return n;
}
